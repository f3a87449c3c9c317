//! Resident ID numbers (GB 11643-1999): validation, 15→18 conversion and a canonical key.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::fold_width;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdNumber {
    /// The text as it was written.
    pub raw: String,
    /// 18-character uppercase form when valid; otherwise the cleaned characters as written.
    pub key: String,
    pub status: IdStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IdStatus {
    Valid18,
    Valid15,
    BadCheckDigit,
    BadDate,
    BadRegion,
    Malformed,
    ExcelMangled,
}

impl IdStatus {
    pub fn is_valid(self) -> bool {
        matches!(self, IdStatus::Valid18 | IdStatus::Valid15)
    }

    pub fn message_zh(self) -> &'static str {
        match self {
            IdStatus::Valid18 => "18位身份证号，校验通过",
            IdStatus::Valid15 => "15位旧身份证号，已换算为18位",
            IdStatus::BadCheckDigit => "校验位不符（GB 11643-1999）",
            IdStatus::BadDate => "出生日期不存在",
            IdStatus::BadRegion => "地区码不存在（前两位不是省级代码）",
            IdStatus::Malformed => "不是15位或18位身份证号",
            IdStatus::ExcelMangled => "身份证号被Excel存成数字，末几位已丢失",
        }
    }
}

/// None only for empty or blank input.
pub fn parse_id_number(raw: &str) -> Option<IdNumber> {
    let folded = fold_width(raw);
    // Separators clerks type inside a number, never part of it.
    let compact: String = folded
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{2010}'..='\u{2015}'))
        .collect();
    if compact.is_empty() {
        return None;
    }
    let compact = compact.to_ascii_uppercase();
    let (key, status) = if is_excel_number(&compact) {
        (compact, IdStatus::ExcelMangled)
    } else {
        classify(compact)
    };
    Some(IdNumber {
        raw: raw.to_string(),
        key,
        status,
    })
}

fn classify(s: String) -> (String, IdStatus) {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    match b.len() {
        18 if digits(0..17) && (b[17].is_ascii_digit() || b[17] == b'X') => {
            let status = if !known_province(&s[..2]) {
                IdStatus::BadRegion
            } else if date_of(&s[6..14]).is_none() {
                IdStatus::BadDate
            } else if id_check_digit(&s[..17]) != Some(b[17] as char) {
                // Excel keeps 15 significant digits, so a damaged number ends in 000.
                if s.ends_with("000") {
                    IdStatus::ExcelMangled
                } else {
                    IdStatus::BadCheckDigit
                }
            } else {
                IdStatus::Valid18
            };
            (s, status)
        }
        15 if digits(0..15) => {
            let long17 = format!("{}19{}", &s[..6], &s[6..]);
            let status = if !known_province(&s[..2]) {
                IdStatus::BadRegion
            } else if date_of(&long17[6..14]).is_none() {
                IdStatus::BadDate
            } else {
                IdStatus::Valid15
            };
            if status == IdStatus::Valid15 {
                let check = id_check_digit(&long17).expect("17 digits");
                (format!("{long17}{check}"), status)
            } else {
                (s, status)
            }
        }
        _ => (s, IdStatus::Malformed),
    }
}

/// "6.20102E+17" or "430726195603150000.0": what Excel shows after turning the number into a float.
fn is_excel_number(s: &str) -> bool {
    let (mantissa, exponent) = match s.split_once('E') {
        Some((m, e)) => (m, Some(e)),
        None => (s, None),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit());
    if !all_digits(int_part) || frac_part.is_some_and(|f| !f.is_empty() && !all_digits(f)) {
        return false;
    }
    match exponent {
        // Only exponents that make a number as long as an ID (E+14 and up).
        Some(e) => {
            let e = e.strip_prefix('+').unwrap_or(e);
            all_digits(e) && e.parse::<u32>().is_ok_and(|e| e >= 14)
        }
        // A decimal point only counts when the integer part is as long as an ID number.
        None => frac_part.is_some() && int_part.len() >= 15,
    }
}

/// MOD 11-2 check character for the first 17 digits.
pub fn id_check_digit(first17: &str) -> Option<char> {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let b = first17.as_bytes();
    if b.len() != 17 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = b
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    Some(CHECK[(sum % 11) as usize] as char)
}

/// Birth date of an 18-character key.
pub fn birth_date_of(key: &str) -> Option<(i32, u8, u8)> {
    if key.len() != 18 || !key.is_ascii() {
        return None;
    }
    date_of(&key[6..14])
}

/// Characters of an ID number shown when it is masked: the region of issue (which the work
/// unit beside it tells anyway). Birth date, sequence and check digit stay hidden, so that with
/// a birth month and gender shown beside it at least 28 × 500 = 14,000 numbers remain possible.
pub const MASK_KEEPS: usize = 6;

/// Keeps the region (the first 6 characters) and hides the rest, separators dropped; text of 6
/// characters or fewer is hidden entirely.
pub fn mask_id(key_or_raw: &str) -> String {
    let chars: Vec<char> = key_or_raw
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{2010}'..='\u{2015}'))
        .collect();
    let n = chars.len();
    if n <= MASK_KEEPS {
        return "*".repeat(n);
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| if i < MASK_KEEPS { c } else { '*' })
        .collect()
}

/// Whether 15 digits, or 17 digits and a check character, could be someone's ID: a known
/// province and a real birth date. The check digit is not asked for: a mistyped number is still
/// the person's.
pub fn plausible_id(compact: &str) -> bool {
    let b = compact.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    match b.len() {
        18 if digits(0..17) && (b[17].is_ascii_digit() || b[17] == b'X') => {
            known_province(&compact[..2]) && date_of(&compact[6..14]).is_some()
        }
        15 if digits(0..15) => {
            known_province(&compact[..2]) && date_of(&format!("19{}", &compact[6..12])).is_some()
        }
        _ => false,
    }
}

/// YYYYMMDD → a real calendar date not in the future.
fn date_of(yyyymmdd: &str) -> Option<(i32, u8, u8)> {
    if yyyymmdd.len() != 8 || !yyyymmdd.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let y: i32 = yyyymmdd[..4].parse().ok()?;
    let m: u32 = yyyymmdd[4..6].parse().ok()?;
    let d: u32 = yyyymmdd[6..].parse().ok()?;
    let date = NaiveDate::from_ymd_opt(y, m, d)?;
    if y < 1850 || date > chrono::Local::now().date_naive() {
        return None;
    }
    Some((date.year(), m as u8, d as u8))
}

/// Province-level codes of GB/T 2260, plus 81–83 of Hong Kong, Macao and Taiwan residence permits.
fn known_province(two: &str) -> bool {
    matches!(
        two,
        "11" | "12"
            | "13"
            | "14"
            | "15"
            | "21"
            | "22"
            | "23"
            | "31"
            | "32"
            | "33"
            | "34"
            | "35"
            | "36"
            | "37"
            | "41"
            | "42"
            | "43"
            | "44"
            | "45"
            | "46"
            | "50"
            | "51"
            | "52"
            | "53"
            | "54"
            | "61"
            | "62"
            | "63"
            | "64"
            | "65"
            | "71"
            | "81"
            | "82"
            | "83"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> IdNumber {
        parse_id_number(s).expect("non-blank")
    }

    #[test]
    fn gb_standard_example() {
        assert_eq!(id_check_digit("11010519491231002"), Some('X'));
        let id = parse("11010519491231002X");
        assert_eq!(id.status, IdStatus::Valid18);
        assert_eq!(id.key, "11010519491231002X");
        assert!(id.status.is_valid());
    }

    #[test]
    fn check_digits() {
        // Weighted sums worked by hand: 43072619560315001 → 253 ≡ 0 → '1'.
        assert_eq!(id_check_digit("43072619560315001"), Some('1'));
        // 62010219780523317 → 272 ≡ 8 → '4'.
        assert_eq!(id_check_digit("62010219780523317"), Some('4'));
        assert_eq!(id_check_digit("6201021978052331"), None);
        assert_eq!(id_check_digit("6201021978052331A"), None);
    }

    #[test]
    fn fifteen_to_eighteen() {
        let old = parse("110105491231002");
        assert_eq!(old.status, IdStatus::Valid15);
        assert_eq!(old.key, "11010519491231002X");
        assert_eq!(old.key, parse("11010519491231002X").key);

        let old = parse("430726560315001");
        let new = parse("430726195603150011");
        assert_eq!(old.status, IdStatus::Valid15);
        assert_eq!(new.status, IdStatus::Valid18);
        assert_eq!(old.key, new.key);
        assert_eq!(old.key, "430726195603150011");
        assert_eq!(old.raw, "430726560315001");
    }

    #[test]
    fn lowercase_x_full_width_and_separators() {
        let id = parse("11010519491231002x");
        assert_eq!(id.status, IdStatus::Valid18);
        assert_eq!(id.key, "11010519491231002X");
        assert_eq!(
            parse("１１０１０５１９４９１２３１００２Ｘ").key,
            "11010519491231002X"
        );
        let spaced = parse(" 110105 19491231 002x ");
        assert_eq!(spaced.status, IdStatus::Valid18);
        assert_eq!(spaced.key, "11010519491231002X");
        assert_eq!(parse("110105-19491231-002X").status, IdStatus::Valid18);
    }

    #[test]
    fn bad_check_digit_kept_as_written() {
        let id = parse("110105194912310021");
        assert_eq!(id.status, IdStatus::BadCheckDigit);
        assert_eq!(id.key, "110105194912310021");
        assert!(!id.status.is_valid());
        assert_eq!(id.status.message_zh(), "校验位不符（GB 11643-1999）");
    }

    #[test]
    fn bad_dates() {
        // 1949-02-30 does not exist; the check digit is right for the digits as written.
        let first17 = "11010519490230002";
        let full = format!("{first17}{}", id_check_digit(first17).unwrap());
        assert_eq!(parse(&full).status, IdStatus::BadDate);
        assert_eq!(parse(&full).key, full);
        assert_eq!(parse("110105490230002").status, IdStatus::BadDate);
        assert_eq!(parse("110105490230002").key, "110105490230002");
        let future = "11010530000101002";
        let full = format!("{future}{}", id_check_digit(future).unwrap());
        assert_eq!(parse(&full).status, IdStatus::BadDate);
    }

    #[test]
    fn bad_region() {
        let first17 = "99010519491231002";
        let full = format!("{first17}{}", id_check_digit(first17).unwrap());
        assert_eq!(parse(&full).status, IdStatus::BadRegion);
    }

    #[test]
    fn malformed() {
        for s in [
            "1101051949123100",
            "11010519491231002XX",
            "1101051949123100X2",
            "王磊",
            "110105491231002X",
        ] {
            assert_eq!(parse(s).status, IdStatus::Malformed, "{s}");
        }
        assert_eq!(parse("1101-05").key, "110105");
        assert!(parse_id_number("").is_none());
        assert!(parse_id_number(" \u{3000} ").is_none());
    }

    #[test]
    fn excel_mangled() {
        for s in [
            "6.20102E+17",
            "4.30726e+17",
            "430726195603150000.0",
            "4.30726195603150E+17",
            "430726195603150000.",
        ] {
            let id = parse(s);
            assert_eq!(id.status, IdStatus::ExcelMangled, "{s}");
            assert_eq!(
                id.status.message_zh(),
                "身份证号被Excel存成数字，末几位已丢失"
            );
        }
        assert_eq!(parse("6.20102E+17").key, "6.20102E+17");
        // Shown in full after Excel rounded it: the last three digits are zeros.
        let id = parse("430726195603150000");
        assert_eq!(id.status, IdStatus::ExcelMangled);
        assert_eq!(id.key, "430726195603150000");
        assert_eq!(parse("1.5E+3").status, IdStatus::Malformed);
        // A short decimal is not an ID that Excel damaged.
        assert_eq!(parse("1956.10").status, IdStatus::Malformed);
    }

    #[test]
    fn birth_dates() {
        assert_eq!(birth_date_of("11010519491231002X"), Some((1949, 12, 31)));
        assert_eq!(
            birth_date_of(&parse("430726560315001").key),
            Some((1956, 3, 15))
        );
        assert_eq!(birth_date_of("110105491231002"), None);
    }

    #[test]
    fn masking() {
        assert_eq!(mask_id("11010519491231002X"), "110105************");
        assert_eq!(mask_id("110105491231002"), "110105*********");
        assert_eq!(mask_id("110105-19491231-002X"), "110105************");
        assert_eq!(mask_id("12345"), "*****");
    }
}
