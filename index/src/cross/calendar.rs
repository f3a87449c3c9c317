//! Working days, as the procedure counts its deadlines (4 working days for the holding archive):
//! Monday to Friday, but for the public holidays the supervisor enters, and with the weekend
//! days made working days by 调休.

use chrono::{Datelike, NaiveDate, Weekday};

/// Whether `day` is a working day, given the days the supervisor set (`special(day)`: Some(true)
/// a working day, Some(false) a holiday).
pub fn is_working(day: NaiveDate, special: &impl Fn(NaiveDate) -> Option<bool>) -> bool {
    special(day).unwrap_or(!matches!(day.weekday(), Weekday::Sat | Weekday::Sun))
}

/// The `n`-th working day after `from` (not counting `from` itself): the day a deadline of `n`
/// working days from `from` falls on.
pub fn working_days_after(
    from: NaiveDate,
    n: u32,
    special: &impl Fn(NaiveDate) -> Option<bool>,
) -> NaiveDate {
    let mut day = from;
    let mut counted = 0;
    // A year of holidays in a row is no calendar: stop counting rather than loop for ever.
    for _ in 0..(366 * 2) {
        if counted == n {
            break;
        }
        day = day.succ_opt().unwrap_or(day);
        if is_working(day, special) {
            counted += 1;
        }
    }
    day
}

/// Working days from `from` (exclusive) to `to` (inclusive); negative when `to` is before.
pub fn working_days_between(
    from: NaiveDate,
    to: NaiveDate,
    special: &impl Fn(NaiveDate) -> Option<bool>,
) -> i64 {
    let (start, end, sign) = if to >= from {
        (from, to, 1)
    } else {
        (to, from, -1)
    };
    let mut day = start;
    let mut counted = 0;
    while day < end {
        day = day.succ_opt().unwrap_or(end);
        if is_working(day, special) {
            counted += 1;
        }
    }
    sign * counted
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn four_working_days_skip_the_weekend_the_holidays_and_count_a_made_up_saturday() {
        let none = |_| None;
        // Thursday + 4 working days: Fri, Mon, Tue, Wed.
        assert_eq!(
            working_days_after(day("2026-12-03"), 4, &none),
            day("2026-12-09")
        );
        // 国庆 2026: 1–7 October off, Saturday 10 October worked (调休).
        let mut set = HashMap::new();
        for d in 1..=7 {
            set.insert(day(&format!("2026-10-{d:02}")), false);
        }
        set.insert(day("2026-10-10"), true);
        let special = |d: NaiveDate| set.get(&d).copied();
        // Received on Wednesday 30 September: Thu 8, Fri 9, Sat 10 (worked), Mon 12.
        assert_eq!(
            working_days_after(day("2026-09-30"), 4, &special),
            day("2026-10-12")
        );
        assert_eq!(
            working_days_between(day("2026-09-30"), day("2026-10-12"), &special),
            4
        );
        assert_eq!(
            working_days_between(day("2026-10-12"), day("2026-09-30"), &special),
            -4
        );
        assert!(is_working(day("2026-10-10"), &special));
        assert!(!is_working(day("2026-10-05"), &special));
    }
}
