//! A row of a table read on a scanned page, as a snippet shows it to every clerk. The
//! recognizer knows no columns, so what a column header would tell (ID number, wages) is told
//! by the cells themselves: a cell that holds what was searched for is shown with its long
//! numbers hidden; any other cell is shown only when it holds no digit at all (wages, ID
//! numbers, dates of other columns stay on the page, which the clerk opens within a recorded
//! view). A misread digit (O for 0, l for 1) does not let an ID number through: runs are taken
//! with the letters a recognizer confuses with digits.

/// Between the cells of a row (as `ocr::table_rows` joins them).
const CELL_GAP: char = '　';

fn is_digit_like(c: char) -> bool {
    c.is_ascii_digit()
        || ('０'..='９').contains(&c)
        || matches!(c, 'O' | 'o' | 'I' | 'l' | 'X' | 'x' | 'Ｘ' | 'ｘ')
}

fn has_digit(cell: &str) -> bool {
    cell.chars()
        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
}

/// Hides each run of five or more digit-like characters (with at least three real digits): an
/// ID number's middle (its first six and last four stay, as everywhere), any shorter run whole.
pub fn mask_long_numbers(cell: &str) -> String {
    let chars: Vec<char> = cell.chars().collect();
    let mut out = String::with_capacity(cell.len());
    let mut i = 0;
    while i < chars.len() {
        if !is_digit_like(chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_digit_like(chars[i]) {
            i += 1;
        }
        let run = &chars[start..i];
        let digits = run
            .iter()
            .filter(|c| c.is_ascii_digit() || ('０'..='９').contains(*c))
            .count();
        if run.len() < 5 || digits < 3 {
            out.extend(run);
        } else if run.len() >= 15 {
            out.extend(&run[..6]);
            out.extend(std::iter::repeat_n('*', run.len() - 10));
            out.extend(&run[run.len() - 4..]);
        } else {
            out.extend(std::iter::repeat_n('*', run.len()));
        }
    }
    out
}

/// The row's cells a snippet may show: those holding a match (`holds`), their long numbers
/// hidden, and those without digits.
pub fn shown_row(row: &str, holds: impl Fn(&str) -> bool) -> String {
    row.split(CELL_GAP)
        .filter_map(|cell| {
            if holds(cell) {
                Some(mask_long_numbers(cell))
            } else if has_digit(cell) {
                None
            } else {
                Some(cell.to_string())
            }
        })
        .filter(|cell| !cell.trim().is_empty())
        .collect::<Vec<_>>()
        .join(&CELL_GAP.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_matching_cell_and_cells_without_digits_are_shown() {
        let row = "2　王秀英　女　1956.03　410102195603120021　412.00";
        assert_eq!(shown_row(row, |c| c.contains("王秀英")), "王秀英　女");
        // An ID number searched for: its cell, masked as IDs are.
        assert_eq!(
            shown_row(row, |c| c.contains("410102")),
            "王秀英　女　410102********0021"
        );
        // Read with a letter for a digit: still hidden.
        assert_eq!(
            mask_long_numbers("41O1021956O3120021"),
            "41O102********0021"
        );
        assert_eq!(mask_long_numbers("第12345号"), "第*****号");
        assert_eq!(mask_long_numbers("1956.03"), "1956.03");
    }
}
