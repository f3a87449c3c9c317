//! How many resident ID numbers fit what a clerk is shown: a masked number (its visible
//! characters), the birth date beside it (to the precision shown) and the gender. The region is
//! counted as known even where it is hidden (a work unit tells it), so the count is a floor.

use archivedesk::text::parse_date;
use chrono::{Datelike, NaiveDate};

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

fn check_char(first17: &[u8]) -> u8 {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    b"10X98765432"[(sum % 11) as usize]
}

/// Whether `digits` fits the visible characters of `shown` (None = hidden).
fn fits(shown: &[Option<u8>], digits: &[u8]) -> bool {
    shown
        .iter()
        .zip(digits)
        .all(|(s, d)| s.is_none_or(|s| s == *d))
}

/// Every birth date the shown birth and the masked birth digits allow, as YYYYMMDD bytes.
fn births(shown_birth: Option<&str>, mask: &[Option<u8>], long: bool) -> Vec<Vec<u8>> {
    let shown = shown_birth.and_then(|b| parse_date(b).ok()).map(|p| p.date);
    let mut out = Vec::new();
    let mut day = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
    let last = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    while day <= last {
        let ok = shown.as_ref().is_none_or(|s| {
            s.year == day.year()
                && s.month.is_none_or(|m| u32::from(m) == day.month())
                && s.day.is_none_or(|d| u32::from(d) == day.day())
        });
        if ok {
            let text = if long {
                day.format("%Y%m%d").to_string()
            } else {
                day.format("%y%m%d").to_string()
            };
            if !long && day.year() >= 2000 {
                day = day.succ_opt().unwrap();
                continue;
            }
            if fits(mask, text.as_bytes()) {
                out.push(text.into_bytes());
            }
        }
        day = day.succ_opt().unwrap();
    }
    out
}

/// The count; `masked` is as shown (`*` for a hidden character, separators allowed).
pub fn candidates(masked: &str, birth: Option<&str>, gender: Option<&str>) -> u64 {
    let shown: Vec<Option<u8>> = masked
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '*')
        .map(|c| (c != '*').then_some(c.to_ascii_uppercase() as u8))
        .collect();
    let long = match shown.len() {
        18 => true,
        15 => false,
        n => panic!("not an ID number's length ({n}): {masked}"),
    };
    let (birth_at, seq_at) = if long {
        (6..14, 14..17)
    } else {
        (6..12, 12..15)
    };
    let dates = births(birth, &shown[birth_at.clone()], long);
    let male = match gender {
        Some("男") => Some(true),
        Some("女") => Some(false),
        _ => None,
    };
    let seqs: Vec<[u8; 3]> = (0..1000u32)
        .map(|n| {
            let t = format!("{n:03}");
            let b = t.as_bytes();
            [b[0], b[1], b[2]]
        })
        .filter(|s| fits(&shown[seq_at.clone()], s))
        .filter(|s| male.is_none_or(|m| ((s[2] - b'0') % 2 == 1) == m))
        .collect();
    let check_shown = if long { shown[17] } else { None };
    match check_shown {
        None => dates.len() as u64 * seqs.len() as u64,
        Some(check) => {
            // The region's digits count as known; take them from the mask or any fixed value.
            let region: Vec<u8> = shown[..6].iter().map(|c| c.unwrap_or(b'1')).collect();
            let mut n = 0;
            for date in &dates {
                for seq in &seqs {
                    let first17: Vec<u8> = [region.as_slice(), date, seq].concat();
                    if check_char(&first17) == check {
                        n += 1;
                    }
                }
            }
            n
        }
    }
}
