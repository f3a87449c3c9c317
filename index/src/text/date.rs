//! Partial dates (year, year-month, or full date) as archives write them.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::fold_width;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum DatePrecision {
    Year,
    Month,
    Day,
}

/// Years accepted anywhere: older or later ones are typos in these archives.
const MIN_YEAR: i32 = 1800;
const MAX_YEAR: i32 = 2100;

impl PartialDate {
    /// A checked date; a day needs a month.
    pub fn new(year: i32, month: Option<u8>, day: Option<u8>) -> Option<Self> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return None;
        }
        match (month, day) {
            (None, None) => {}
            (Some(m), None) if (1..=12).contains(&m) => {}
            (Some(m), Some(d)) => {
                NaiveDate::from_ymd_opt(year, m.into(), d.into())?;
            }
            _ => return None,
        }
        Some(PartialDate { year, month, day })
    }

    /// "1998", "1998-07", "1998-07-15": sorts and prefix-matches as text.
    pub fn key(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{:02}-{:02}", self.year, m, d),
            (Some(m), None) => format!("{:04}-{:02}", self.year, m),
            _ => format!("{:04}", self.year),
        }
    }

    pub fn precision(&self) -> DatePrecision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => DatePrecision::Day,
            (Some(_), None) => DatePrecision::Month,
            _ => DatePrecision::Year,
        }
    }

    pub fn from_key(s: &str) -> Option<Self> {
        let mut parts = s.split('-');
        let year = parse_fixed(parts.next()?, 4)?;
        let mut next_part = || match parts.next() {
            Some(p) => parse_fixed(p, 2).map(Some),
            None => Some(None),
        };
        let month = next_part()?;
        let day = next_part()?;
        if parts.next().is_some() {
            return None;
        }
        PartialDate::new(year as i32, month.map(|m| m as u8), day.map(|d| d as u8))
    }

    /// "1998年", "1998年7月", "1998年7月15日".
    fn to_zh(self) -> String {
        let mut s = format!("{}年", self.year);
        if let Some(m) = self.month {
            s.push_str(&format!("{m}月"));
        }
        if let Some(d) = self.day {
            s.push_str(&format!("{d}日"));
        }
        s
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

fn parse_fixed(s: &str, len: usize) -> Option<u32> {
    if s.len() != len || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedDate {
    pub date: PartialDate,
    /// Set when an assumption was made, e.g. "「98.7」按1998年7月理解".
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("无法识别的日期「{0}」")]
    Unrecognized(String),
    #[error("年份超出范围「{0}」")]
    BadYear(String),
    #[error("月份不存在「{0}」")]
    BadMonth(String),
    #[error("该月没有这一天「{0}」")]
    BadDay(String),
}

/// Excel's 1900 date system: serial 1 is 1900-01-01 and serial 60 is the 1900-02-29 that
/// Excel invents (None here); only years 1900..=2100. A time-of-day fraction is ignored.
pub fn from_excel_serial(serial: f64) -> Option<PartialDate> {
    if !serial.is_finite() || serial < 1.0 {
        return None;
    }
    let days = serial.trunc() as i64;
    let base = match days {
        60 => return None,
        ..60 => NaiveDate::from_ymd_opt(1899, 12, 31)?,
        _ => NaiveDate::from_ymd_opt(1899, 12, 30)?,
    };
    let date = base.checked_add_signed(chrono::Duration::try_days(days)?)?;
    if date.year() > 2100 {
        return None;
    }
    PartialDate::new(
        date.year(),
        Some(date.month() as u8),
        Some(date.day() as u8),
    )
}

/// One piece of a date as written: a number, or the marker after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Year,
    Month,
    Day,
    Sep,
    End,
}

pub fn parse_date(raw: &str) -> Result<ParsedDate, DateError> {
    let unrecognized = || DateError::Unrecognized(raw.trim().to_string());
    let text: String = fold_width(raw)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let groups = tokenize(&text).ok_or_else(unrecognized)?;
    if groups.is_empty() || groups.len() > 3 {
        return Err(unrecognized());
    }
    // A marker may only follow the number it names: 1998年7月, not 1998月7年.
    for (i, (_, marker)) in groups.iter().enumerate() {
        let ok = match marker {
            Marker::Year => i == 0,
            Marker::Month => i == 1,
            Marker::Day => i == 2,
            Marker::Sep => i + 1 < groups.len(),
            Marker::End => i + 1 == groups.len(),
        };
        if !ok {
            return Err(unrecognized());
        }
    }

    let (year_digits, month, day) = match groups.as_slice() {
        // Compact forms: 1998, 199807, 19980715; a bare two-digit number is not a date.
        [(g, m)] if *m != Marker::Year => match g.len() {
            4 => (g.clone(), None, None),
            6 if is_century(g) => (g[..4].to_string(), Some(g[4..].to_string()), None),
            8 if is_century(g) => (
                g[..4].to_string(),
                Some(g[4..6].to_string()),
                Some(g[6..].to_string()),
            ),
            _ => return Err(unrecognized()),
        },
        [(y, _)] => (y.clone(), None, None),
        [(y, _), (m, _)] => (y.clone(), Some(m.clone()), None),
        [(y, _), (m, _), (d, _)] => (y.clone(), Some(m.clone()), Some(d.clone())),
        _ => return Err(unrecognized()),
    };
    if month.as_ref().is_some_and(|m| m.len() > 2) || day.as_ref().is_some_and(|d| d.len() > 2) {
        return Err(unrecognized());
    }

    let two_digit_year = year_digits.len() == 2;
    let year: i32 = match year_digits.len() {
        4 => year_digits.parse().map_err(|_| unrecognized())?,
        2 => expand_two_digit_year(year_digits.parse().map_err(|_| unrecognized())?),
        _ => return Err(unrecognized()),
    };
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(DateError::BadYear(raw.trim().to_string()));
    }
    let month: Option<u8> = month.map(|m| m.parse().unwrap_or(0));
    if month.is_some_and(|m| !(1..=12).contains(&m)) {
        return Err(DateError::BadMonth(raw.trim().to_string()));
    }
    let day: Option<u8> = day.map(|d| d.parse().unwrap_or(0));
    let date = PartialDate::new(year, month, day)
        .ok_or_else(|| DateError::BadDay(raw.trim().to_string()))?;
    let note = two_digit_year.then(|| format!("「{}」按{}理解", raw.trim(), date.to_zh()));
    Ok(ParsedDate { date, note })
}

/// "19" or "20" leading a compact date; anything else is more likely an ID fragment or a code.
fn is_century(g: &str) -> bool {
    g.starts_with("19") || g.starts_with("20")
}

/// Two-digit years below this are 20xx, the others 19xx. Fixed, not taken from the clock, so
/// that a file reads the same whenever it is imported; callers that know the document's year
/// correct a birth date that would come after it.
pub const TWO_DIGIT_PIVOT: i32 = 30;

pub(crate) fn expand_two_digit_year(yy: i32) -> i32 {
    if yy < TWO_DIGIT_PIVOT {
        2000 + yy
    } else {
        1900 + yy
    }
}

/// Splits into (ASCII digits, marker after them); Chinese numerals become digits.
fn tokenize(text: &str) -> Option<Vec<(String, Marker)>> {
    let mut groups = Vec::new();
    let mut number = String::new();
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        if ch.is_ascii_digit() || zh_digit(ch).is_some() || ch == '十' {
            number.push(ch);
            continue;
        }
        let marker = match ch {
            '年' => Marker::Year,
            '月' => {
                // "7月份" means the same as "7月".
                if chars.peek() == Some(&'份') {
                    chars.next();
                }
                Marker::Month
            }
            '日' | '号' => Marker::Day,
            '.' | '-' | '/' | '\u{2010}'..='\u{2015}' => Marker::Sep,
            _ => return None,
        };
        if number.is_empty() {
            return None;
        }
        groups.push((to_ascii_number(&number)?, marker));
        number.clear();
    }
    if !number.is_empty() {
        groups.push((to_ascii_number(&number)?, Marker::End));
    } else if groups.last().is_some_and(|(_, m)| *m == Marker::Sep) {
        // "1956." is a decimal with nothing after the point.
        return None;
    }
    Some(groups)
}

fn zh_digit(ch: char) -> Option<u32> {
    Some(match ch {
        '〇' | '零' | '○' => 0,
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// "1998" stays; "一九九八" reads digit by digit; "十一", "二十三", "三十一" read as numbers.
fn to_ascii_number(s: &str) -> Option<String> {
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return Some(s.to_string());
    }
    if s.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    if !s.contains('十') {
        return Some(
            s.chars()
                .map(|c| char::from_digit(zh_digit(c).unwrap_or(0), 10).unwrap_or('0'))
                .collect(),
        );
    }
    let (tens, ones) = s.split_once('十')?;
    let tens = match tens.chars().collect::<Vec<_>>().as_slice() {
        [] => 1,
        [c] => zh_digit(*c).filter(|d| *d > 0)?,
        _ => return None,
    };
    let ones = match ones.chars().collect::<Vec<_>>().as_slice() {
        [] => 0,
        [c] => zh_digit(*c).filter(|d| *d > 0)?,
        _ => return None,
    };
    Some((tens * 10 + ones).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: Option<u8>, d: Option<u8>) -> PartialDate {
        PartialDate::new(y, m, d).unwrap()
    }

    fn key(s: &str) -> String {
        match parse_date(s) {
            Ok(p) => p.date.key(),
            Err(e) => panic!("{s}: {e}"),
        }
    }

    #[test]
    fn year_only() {
        for s in ["1998", "1998年", "１９９８", " 1998 ", "一九九八年"] {
            assert_eq!(key(s), "1998", "{s}");
        }
        assert_eq!(key("一九五〇年"), "1950");
        assert_eq!(key("一九五零年"), "1950");
        assert_eq!(
            parse_date("1998").unwrap().date.precision(),
            DatePrecision::Year
        );
    }

    #[test]
    fn year_month() {
        for s in [
            "1998.07",
            "1998.7",
            "1998年7月",
            "1998年07月",
            "1998-07",
            "1998/07",
            "199807",
            "一九九八年七月",
            "1998年7月份",
            "１９９８．０７",
            "1998 年 7 月",
        ] {
            let p = parse_date(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(p.date, ymd(1998, Some(7), None), "{s}");
            assert_eq!(p.note, None, "{s}");
        }
        assert_eq!(key("二〇〇五年十二月"), "2005-12");
        assert_eq!(key("一九九八年十一月"), "1998-11");
        assert_eq!(key("1998年7月").len(), 7);
    }

    #[test]
    fn decimal_year_month() {
        // Excel shows 1956.10 as 1956.1; the caller decides which was meant.
        assert_eq!(key("1956.1"), "1956-01");
        assert_eq!(key("1956.10"), "1956-10");
    }

    #[test]
    fn full_dates() {
        for s in [
            "1998-7-15",
            "1998/7/15",
            "1998.7.15",
            "1998年7月15日",
            "1998年7月15号",
            "19980715",
            "1998-07-15",
            "一九九八年七月十五日",
            "1998年7月15",
        ] {
            assert_eq!(
                parse_date(s).unwrap().date,
                ymd(1998, Some(7), Some(15)),
                "{s}"
            );
        }
        assert_eq!(key("二〇〇五年十二月二十三日"), "2005-12-23");
        assert_eq!(key("一九九八年十二月三十一日"), "1998-12-31");
        assert_eq!(key("一九九八年一月十日"), "1998-01-10");
        assert_eq!(key("2000-02-29"), "2000-02-29");
        assert_eq!(
            parse_date("1998-7-15").unwrap().date.precision(),
            DatePrecision::Day
        );
    }

    #[test]
    fn two_digit_years() {
        for s in ["98.7", "98年7月", "98-07", "九八年七月"] {
            let p = parse_date(s).unwrap();
            assert_eq!(p.date, ymd(1998, Some(7), None), "{s}");
            assert_eq!(
                p.note.as_deref(),
                Some(format!("「{s}」按1998年7月理解").as_str())
            );
        }
        assert_eq!(key("05.3"), "2005-03");
        assert_eq!(key("56年"), "1956");
        assert_eq!(key("29.1"), "2029-01", "a fixed pivot, not today's year");
        assert_eq!(key("30.1"), "1930-01");
    }

    #[test]
    fn rejects() {
        assert_eq!(
            parse_date("1998.13"),
            Err(DateError::BadMonth("1998.13".into()))
        );
        assert_eq!(
            parse_date("1998-02-30"),
            Err(DateError::BadDay("1998-02-30".into()))
        );
        assert_eq!(
            parse_date("1998-00"),
            Err(DateError::BadMonth("1998-00".into()))
        );
        assert_eq!(
            parse_date("1900-02-29"),
            Err(DateError::BadDay("1900-02-29".into()))
        );
        assert_eq!(
            parse_date("1998年13月"),
            Err(DateError::BadMonth("1998年13月".into()))
        );
        assert_eq!(parse_date("0998"), Err(DateError::BadYear("0998".into())));
        for s in [
            "",
            "98",
            "xx",
            "1998月7年",
            "1998.7.15.3",
            "1998..7",
            "1956.",
            "980715",
            "1998.123",
            "一九九八年二十二月",
        ] {
            assert!(parse_date(s).is_err(), "{s}");
        }
        assert_eq!(
            parse_date("1998.13").unwrap_err().to_string(),
            "月份不存在「1998.13」"
        );
        assert_eq!(
            parse_date(" xx ").unwrap_err().to_string(),
            "无法识别的日期「xx」"
        );
    }

    #[test]
    fn keys_round_trip() {
        for k in ["1998", "1998-07", "1998-07-15"] {
            let d = PartialDate::from_key(k).unwrap();
            assert_eq!(d.key(), k);
            assert_eq!(d.to_string(), k);
        }
        assert_eq!(PartialDate::from_key("1998-7"), None);
        assert_eq!(PartialDate::from_key("1998-02-30"), None);
        assert_eq!(PartialDate::from_key("1998-07-15-1"), None);
        assert!(ymd(1998, None, None) < ymd(1998, Some(1), None));
        assert!(ymd(1998, Some(7), Some(31)) < ymd(1998, Some(8), None));
    }

    #[test]
    fn excel_serials() {
        assert_eq!(from_excel_serial(1.0), Some(ymd(1900, Some(1), Some(1))));
        assert_eq!(from_excel_serial(59.0), Some(ymd(1900, Some(2), Some(28))));
        assert_eq!(from_excel_serial(60.0), None);
        assert_eq!(from_excel_serial(61.0), Some(ymd(1900, Some(3), Some(1))));
        // 1998-07-15 is serial 35991 in Excel.
        assert_eq!(
            from_excel_serial(35991.0),
            Some(ymd(1998, Some(7), Some(15)))
        );
        assert_eq!(
            from_excel_serial(35991.75),
            Some(ymd(1998, Some(7), Some(15)))
        );
        assert_eq!(
            from_excel_serial(73415.0),
            Some(ymd(2100, Some(12), Some(31)))
        );
        assert_eq!(from_excel_serial(73416.0), None);
        assert_eq!(from_excel_serial(0.0), None);
        assert_eq!(from_excel_serial(f64::NAN), None);
    }
}
