//! A row of a table read on a scanned page, as a snippet shows it to every clerk. The
//! recognizer knows no columns, so what a column header would tell (ID number, wages, birth
//! date) is told by the cells themselves: a cell without digits is shown; a cell with digits is
//! shown only when it holds what was searched for, and then with every digit hidden — but the
//! first six of an ID number asked for, as an ID number is shown everywhere. A recognizer's
//! letters for digits (O for 0, l for 1) next to digits are hidden with them, and a number read
//! in groups or with dots is hidden digit by digit, so no grouping lets one through.

/// Between the cells of a row (as `ocr::table_rows` joins them).
const CELL_GAP: char = '　';

/// What an ID number shows of itself (its region).
const ID_KEEPS: usize = 6;

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// Letters a recognizer reads for digits.
fn looks_like_digit(c: char) -> bool {
    matches!(c, 'O' | 'o' | 'I' | 'l' | 'X' | 'x' | 'Ｘ' | 'ｘ')
}

/// The cell with its digits hidden, and the letters read for digits beside them; the first
/// `keep` digits stay.
pub fn hide_digits(cell: &str, keep: usize) -> String {
    let chars: Vec<char> = cell.chars().collect();
    let near_digit = |i: usize| {
        (i > 0 && is_digit(chars[i - 1])) || chars.get(i + 1).is_some_and(|c| is_digit(*c))
    };
    let mut kept = 0;
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if is_digit(c) {
                kept += 1;
                if kept <= keep {
                    c
                } else {
                    '*'
                }
            } else if looks_like_digit(c) && near_digit(i) {
                '*'
            } else {
                c
            }
        })
        .collect()
}

/// The row's cells a snippet may show: cells without digits, and cells with digits that hold a
/// match (`holds`), their digits hidden but an asked ID number's first six (`holds_id`).
pub fn shown_row(
    row: &str,
    holds: impl Fn(&str) -> bool,
    holds_id: impl Fn(&str) -> bool,
) -> String {
    row.split(CELL_GAP)
        .filter_map(|cell| {
            if !cell.chars().any(is_digit) {
                Some(cell.to_string())
            } else if holds(cell) {
                Some(hide_digits(cell, if holds_id(cell) { ID_KEEPS } else { 0 }))
            } else {
                None
            }
        })
        .filter(|cell| !cell.trim().is_empty())
        .collect::<Vec<_>>()
        .join(&CELL_GAP.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str) -> bool {
        false
    }

    #[test]
    fn cells_without_digits_show_and_digits_never_do_but_an_asked_ids_region() {
        let row = "2　王秀英　女　1956.03　410102195603120021　412.00";
        assert_eq!(shown_row(row, |c| c.contains("王秀英"), none), "王秀英　女");
        // An ID number searched for: its region only.
        let id = |c: &str| c.contains("410102");
        assert_eq!(shown_row(row, id, id), "王秀英　女　410102************");
        // A wage typed: its cell, hidden.
        assert_eq!(
            shown_row(row, |c| c.contains("412"), none),
            "王秀英　女　***.**"
        );
        // A row read as one cell (no table lines): every digit hidden.
        assert_eq!(
            shown_row("王秀英 女 1956.03 412.00", |c| c.contains("王秀英"), none),
            "王秀英 女 ****.** ***.**"
        );
        // In groups, with a letter read for a digit: hidden digit by digit.
        assert_eq!(
            hide_digits("41O1 0219 5603 1200 21", ID_KEEPS),
            "41*1 021* **** **** **"
        );
        assert_eq!(hide_digits("Ｏ１２", 0), "Ｏ**");
        assert_eq!(hide_digits("第12号", 0), "第**号");
    }
}
