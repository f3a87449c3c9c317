//! The daily backup set in 设置: a folder, a time of day and how many backups to keep. It is
//! due once the day's time has come and no backup succeeded since; one that failed is tried
//! again an hour later, not at every tick.

use chrono::{NaiveDateTime, NaiveTime};

pub const FOLDER_KEY: &str = "backup_dir";
pub const TIME_KEY: &str = "backup_time";
pub const KEEP_KEY: &str = "backup_keep";
/// Kept so that the daily backup can encrypt without a clerk at the desk; the data folder
/// holds the data itself unencrypted, the backup leaves the building.
pub const PASSPHRASE_KEY: &str = "backup_passphrase";
pub const LAST_AT_KEY: &str = "backup_last_at";
pub const LAST_FOLDER_KEY: &str = "backup_last_folder";
pub const LAST_TRIED_KEY: &str = "backup_last_tried";
/// When the daily backup last succeeded, by the clock it was due by.
pub const LAST_DAILY_KEY: &str = "backup_last_daily";
pub const LAST_PROBLEM_KEY: &str = "backup_last_problem";

pub const DEFAULT_KEEP: i64 = 7;
pub const MAX_KEEP: i64 = 365;
const RETRY_AFTER: chrono::Duration = chrono::Duration::hours(1);
const FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// `18:30` → 18:30.
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M").ok()
}

pub fn stamp(at: NaiveDateTime) -> String {
    at.format(FORMAT).to_string()
}

pub fn parse_stamp(text: Option<&str>) -> Option<NaiveDateTime> {
    text.and_then(|t| NaiveDateTime::parse_from_str(t, FORMAT).ok())
}

/// Whether the daily backup at `time` is due `now`, given the last backup that succeeded and
/// the last attempt. The slot is the latest time of day passed: today's, or yesterday's
/// before today's comes — so a day missed (the PC off at the time) is caught up at start.
pub fn due(
    time: NaiveTime,
    last_success: Option<NaiveDateTime>,
    last_tried: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> bool {
    let today = now.date().and_time(time);
    let slot = if now >= today {
        today
    } else {
        today - chrono::Duration::days(1)
    };
    if last_success.is_some_and(|at| at >= slot) {
        return false;
    }
    match last_tried {
        Some(tried) if tried >= slot => now - tried >= RETRY_AFTER,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, FORMAT).unwrap()
    }

    #[test]
    fn the_daily_backup_is_due_once_a_day_after_its_time_and_a_failed_one_an_hour_later() {
        let time = parse_time("18:30").unwrap();
        let yesterday = Some(at("2026-12-05 18:30:05"));
        assert!(
            !due(time, yesterday, None, at("2026-12-06 18:29:59")),
            "not yet"
        );
        assert!(
            due(
                time,
                Some(at("2026-12-04 18:30:05")),
                None,
                at("2026-12-06 09:00:00")
            ),
            "yesterday's missed: caught up at start"
        );
        assert!(due(time, None, None, at("2026-12-06 18:30:00")));
        assert!(
            due(
                time,
                Some(at("2026-12-05 18:30:05")),
                None,
                at("2026-12-06 21:00:00")
            ),
            "yesterday's does not count"
        );
        assert!(
            !due(
                time,
                Some(at("2026-12-06 18:30:05")),
                Some(at("2026-12-06 18:30:00")),
                at("2026-12-06 23:59:00")
            ),
            "done today"
        );
        let failed = Some(at("2026-12-06 18:30:00"));
        assert!(
            !due(time, None, failed, at("2026-12-06 19:00:00")),
            "a failure waits"
        );
        assert!(
            due(time, None, failed, at("2026-12-06 19:30:00")),
            "then tries again"
        );
        assert_eq!(parse_time("7:05"), NaiveTime::from_hms_opt(7, 5, 0));
        assert!(parse_time("25:00").is_none());
    }
}
