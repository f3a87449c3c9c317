//! Resident ID numbers (GB 11643-1999), written by the generator itself so that tests of the
//! importer's own ID handling are not checked against the same code.

use chrono::{Datelike, NaiveDate};

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The MOD 11-2 check character for the first 17 digits.
pub fn check_char(first17: &str) -> char {
    let sum: u32 = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    CHECK[(sum % 11) as usize]
}

/// An 18-digit ID: area code, birth date, a 3-digit sequence (odd for men), check character.
pub fn make_id18(area: &str, birth: NaiveDate, seq: u32, male: bool) -> String {
    // The last sequence digit carries the gender: odd for men, even for women.
    let seq = seq % 1000;
    let seq = if (seq % 2 == 1) == male {
        seq
    } else {
        (seq + 1) % 1000
    };
    let first17 = format!(
        "{area}{:04}{:02}{:02}{seq:03}",
        birth.year(),
        birth.month(),
        birth.day()
    );
    let check = check_char(&first17);
    format!("{first17}{check}")
}

/// The old 15-digit form: the century "19" and the check character dropped.
pub fn to_id15(id18: &str) -> String {
    format!("{}{}", &id18[..6], &id18[8..17])
}

/// Whether a string is an 18-digit ID with a correct check character (upper-case X only).
pub fn is_valid_id18(s: &str) -> bool {
    s.len() == 18
        && s[..17].bytes().all(|b| b.is_ascii_digit())
        && s[17..].starts_with(check_char(&s[..17]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_check_digits() {
        // Published example numbers from the standard's commentary.
        assert!(is_valid_id18("11010519491231002X"));
        assert!(is_valid_id18("440524188001010014"));
        assert!(!is_valid_id18("440524188001010015"));
    }

    #[test]
    fn gender_parity_and_15_form() {
        let d = NaiveDate::from_ymd_opt(1952, 7, 20).unwrap();
        let m = make_id18("430726", d, 36, true);
        let f = make_id18("430726", d, 36, false);
        assert!(is_valid_id18(&m) && is_valid_id18(&f));
        assert_eq!((m.as_bytes()[16] - b'0') % 2, 1);
        assert_eq!((f.as_bytes()[16] - b'0') % 2, 0);
        assert_eq!(to_id15(&m), format!("430726520720{}", &m[14..17]));
    }
}
