//! Reading one cell as a field's value: dates, ID numbers, wages and access status, with the
//! traps Excel sets (IDs stored as numbers, year.months as numbers, date serials).

use super::cell::{format_number, Cell};
use crate::text::date::{from_excel_serial, parse_date, PartialDate};
use crate::text::id_number::{parse_id_number, IdNumber, IdStatus};

/// A date as written, what it means (to the precision written) and what the clerk should know.
pub struct DateValue {
    pub raw: String,
    pub date: Option<PartialDate>,
    pub note: Option<String>,
}

/// How to read a date cell beyond its own content.
#[derive(Debug, Clone, Copy, Default)]
pub struct DateContext {
    /// The text is what a spreadsheet showed, not what was typed (a CSV saved by Excel): a
    /// General cell holding 1956.10 was saved as "1956.1".
    pub shown_text: bool,
    /// The date cannot be later than this year (a birth or start of work before the
    /// document): a two-digit year that would be is taken a century earlier.
    pub not_after: Option<i32>,
}

pub fn read_date(cell: &Cell, ctx: DateContext) -> Option<DateValue> {
    let value = match cell {
        Cell::Empty | Cell::Bool(_) => return None,
        Cell::Date(d) => {
            return Some(DateValue {
                raw: d.key(),
                date: Some(*d),
                note: None,
            })
        }
        Cell::Number { value, decimals } => read_numeric_date(*value, *decimals),
        Cell::Text(t) if t.trim().is_empty() => return None,
        Cell::Text(t) => {
            let folded = crate::text::fold_width(t.trim());
            match folded.parse::<f64>() {
                Ok(number) if ctx.shown_text && is_year_dot_one(&folded) => {
                    let mut v = read_numeric_date(number, None);
                    v.raw = t.trim().to_string();
                    v
                }
                _ => read_text_date(t.trim()),
            }
        }
    };
    Some(match ctx.not_after {
        Some(limit) => earlier_century(value, limit),
        None => value,
    })
}

/// "1956.1" or "56.1": the forms in which a dropped trailing zero hides October.
fn is_year_dot_one(text: &str) -> bool {
    text.strip_suffix(".1")
        .is_some_and(|y| (y.len() == 2 || y.len() == 4) && y.bytes().all(|b| b.is_ascii_digit()))
}

fn written_with_two_digit_year(raw: &str) -> bool {
    let folded = crate::text::fold_width(raw.trim());
    let digits = folded.bytes().take_while(u8::is_ascii_digit).count();
    digits == 2 && folded.len() > 2
}

fn earlier_century(mut value: DateValue, limit: i32) -> DateValue {
    if let Some(date) = value.date.as_mut() {
        if date.year > limit && date.year - 100 >= 1800 && written_with_two_digit_year(&value.raw) {
            date.year -= 100;
            value.note = Some(format!(
                "「{}」按{}理解（两位年份，不晚于案卷年度{limit}）",
                value.raw,
                date.key()
            ));
        }
    }
    value
}

fn read_text_date(raw: &str) -> DateValue {
    match parse_date(raw) {
        Ok(parsed) => DateValue {
            raw: raw.to_string(),
            date: Some(parsed.date),
            note: parsed.note,
        },
        Err(e) => DateValue {
            raw: raw.to_string(),
            date: None,
            note: Some(e.to_string()),
        },
    }
}

fn read_numeric_date(value: f64, decimals: Option<u8>) -> DateValue {
    let shown = format_number(value, decimals);
    let whole = value.trunc();
    let is_integer = value.fract() == 0.0;
    if is_integer && (1000.0..=2200.0).contains(&value) {
        return read_text_date(&shown);
    }
    if is_integer && (100_001.0..=99_991_231.0).contains(&value) {
        // 199807 or 19980715 typed as a number.
        return read_text_date(&shown);
    }
    if decimals.is_none() && is_year_dot_one(&shown) {
        // A year.month typed as a number: Excel drops the trailing zero of 1956.10 unless the
        // cell's format shows two decimals, so ".1" alone cannot tell January from October.
        if let Ok(parsed) = parse_date(&shown) {
            let y = parsed.date.year;
            return DateValue {
                raw: shown.clone(),
                date: Some(PartialDate {
                    year: y,
                    month: None,
                    day: None,
                }),
                note: Some(format!(
                    "「{shown}」是数字，可能是{y}年1月，也可能是省略了末尾0的{y}年10月；只按{y}年记录，请核对原件"
                )),
            };
        }
    }
    if !is_integer && (1800.0..2200.0).contains(&whole) {
        return read_text_date(&shown);
    }
    if value < 100.0 {
        // 98.7 or 58: a two-digit year (and month), never a date serial of 1900.
        return read_text_date(&shown);
    }
    // Serials below 367 fall in 1900, before anyone in these archives was born or hired.
    if (367.0..73_051.0).contains(&value) {
        if let Some(date) = from_excel_serial(value) {
            return DateValue {
                raw: date.key(),
                date: Some(date),
                note: Some(format!("Excel日期序列号 {shown} 已换算为 {}", date.key())),
            };
        }
    }
    read_text_date(&shown)
}

pub enum IdValue {
    Kept(IdNumber),
    /// The row must be refused: the number cannot be trusted at all.
    Refused(String),
}

pub fn read_id(cell: &Cell) -> Option<IdValue> {
    let text = match cell {
        Cell::Empty | Cell::Bool(_) | Cell::Date(_) => return None,
        Cell::Number { value, .. } => {
            // A double holds 15-16 significant digits: a 15-digit ID survives intact, an
            // 18-digit one has lost its last digits.
            if *value >= 1e16 {
                return Some(IdValue::Refused(format!(
                    "身份证号被Excel存成了数字（{}），末几位已丢失，无法还原；请在原表中把该列设为文本后重新录入",
                    crate::privacy::mask_text(&format_number(*value, None))
                )));
            }
            format_number(*value, None)
        }
        Cell::Text(t) => t.trim().to_string(),
    };
    let id = parse_id_number(&text)?;
    if id.status == IdStatus::ExcelMangled {
        return Some(IdValue::Refused(format!(
            "身份证号「{}」是Excel的科学计数法，末几位已丢失，无法还原；请在原表中把该列设为文本后重新录入",
            crate::privacy::mask_text(&id.raw)
        )));
    }
    Some(IdValue::Kept(id))
}

/// Access status as the archive's three values.
pub fn read_access(raw: &str) -> Option<&'static str> {
    let t: String = crate::text::normalize_text(raw)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if t.is_empty() {
        return None;
    }
    if [
        "不开放",
        "未开放",
        "封闭",
        "关闭",
        "不予开放",
        "禁止",
        "closed",
        "密",
    ]
    .iter()
    .any(|k| t.contains(k))
    {
        return Some("closed");
    }
    if ["控制", "限制", "延期", "controlled", "restricted"]
        .iter()
        .any(|k| t.contains(k))
    {
        return Some("controlled");
    }
    if ["开放", "公开", "open"].iter().any(|k| t.contains(k)) {
        return Some("open");
    }
    None
}

/// A wage amount as a number, when it is one ("612.5", "612.50元", "￥612").
pub fn wage_amount(raw: &str) -> Option<f64> {
    let t: String = crate::text::fold_width(raw)
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    t.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(value: f64, decimals: Option<u8>) -> Cell {
        Cell::Number { value, decimals }
    }

    fn read_date_plain(cell: &Cell) -> Option<DateValue> {
        read_date(cell, DateContext::default())
    }

    #[test]
    fn year_month_numbers_follow_the_cell_format() {
        let with_format = read_date_plain(&number(1956.1, Some(2))).unwrap();
        assert_eq!(with_format.date.unwrap().key(), "1956-10");
        let ambiguous = read_date_plain(&number(1956.1, None)).unwrap();
        assert_eq!(ambiguous.date.unwrap().key(), "1956");
        assert!(ambiguous.note.unwrap().contains("10月"));
        assert_eq!(
            read_date_plain(&number(1956.3, None))
                .unwrap()
                .date
                .unwrap()
                .key(),
            "1956-03"
        );
        assert_eq!(
            read_date_plain(&number(1956.12, None))
                .unwrap()
                .date
                .unwrap()
                .key(),
            "1956-12"
        );
    }

    #[test]
    fn typed_text_year_dot_one_is_january() {
        let v = read_date_plain(&Cell::Text("1956.1".into())).unwrap();
        assert_eq!(
            v.date.unwrap().key(),
            "1956-01",
            "typed in a text cell, nothing was dropped"
        );
    }

    #[test]
    fn two_digit_years_are_not_later_than_the_document() {
        let ctx = DateContext {
            shown_text: false,
            not_after: Some(1985),
        };
        let v = read_date(&Cell::Text("26.5".into()), ctx).unwrap();
        assert_eq!(v.date.unwrap().key(), "1926-05");
        assert!(v.note.unwrap().contains("1985"));
        let v = read_date(&Cell::Text("2026.5".into()), ctx).unwrap();
        assert_eq!(
            v.date.unwrap().key(),
            "2026-05",
            "a four-digit year is as written"
        );
        let v = read_date(&number(98.1, None), DateContext::default()).unwrap();
        assert_eq!(v.date.unwrap().key(), "1998", "98.1 may have been 98.10");
    }

    #[test]
    fn text_year_dot_one_is_as_ambiguous_as_the_number() {
        let shown = DateContext {
            shown_text: true,
            not_after: None,
        };
        let v = read_date(&Cell::Text("1956.1".into()), shown).unwrap();
        assert_eq!(v.date.unwrap().key(), "1956");
        assert!(v.note.unwrap().contains("10月"));
        let v = read_date(&Cell::Text("1956.10".into()), shown).unwrap();
        assert_eq!(v.date.unwrap().key(), "1956-10");
        assert_eq!(
            read_date(&Cell::Text("1956.3".into()), shown)
                .unwrap()
                .date
                .unwrap()
                .key(),
            "1956-03"
        );
    }

    #[test]
    fn two_digit_year_numbers_are_not_serials() {
        let v = read_date_plain(&number(98.7, None)).unwrap();
        assert_eq!(v.date.unwrap().key(), "1998-07");
        let v = read_date_plain(&number(58.0, None)).unwrap();
        assert!(
            v.date.is_none() || v.date.unwrap().year != 1900,
            "58 is not 1900-02-27"
        );
    }

    #[test]
    fn excel_serials_are_converted_and_said() {
        let v = read_date_plain(&number(36000.0, None)).unwrap();
        assert_eq!(v.date.unwrap().key(), "1998-07-24");
        assert!(v.note.unwrap().contains("36000"));
    }

    #[test]
    fn plain_years_and_compact_forms() {
        assert_eq!(
            read_date_plain(&number(1998.0, None))
                .unwrap()
                .date
                .unwrap()
                .key(),
            "1998"
        );
        assert_eq!(
            read_date_plain(&number(199807.0, None))
                .unwrap()
                .date
                .unwrap()
                .key(),
            "1998-07"
        );
    }

    #[test]
    fn eighteen_digit_id_stored_as_number_is_refused_fifteen_is_kept() {
        assert!(matches!(
            read_id(&number(4.30726e17, None)),
            Some(IdValue::Refused(_))
        ));
        assert!(matches!(
            read_id(&Cell::Text("6.20102E+17".into())),
            Some(IdValue::Refused(_))
        ));
        match read_id(&number(110105491231002.0, None)) {
            Some(IdValue::Kept(id)) => assert_eq!(id.status, IdStatus::Valid15),
            _ => panic!("a 15-digit ID survives as a number"),
        }
    }

    #[test]
    fn access_words() {
        assert_eq!(read_access("开放"), Some("open"));
        assert_eq!(read_access("控制使用"), Some("controlled"));
        assert_eq!(read_access("不开放"), Some("closed"));
        assert_eq!(read_access("？"), None);
    }
}
