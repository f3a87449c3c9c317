//! The working-day calendar the holding archive's deadlines are counted on: public holidays,
//! 调休 working days and the number of days, kept by a supervisor.

use super::{invalid, is_day};
use crate::api::{CalendarChange, WorkCalendar};
use crate::audit::{self, Event};
use crate::error::Result;
use crate::store::cross as store;
use crate::Archive;
use serde_json::json;

impl Archive {
    pub fn work_calendar(&self) -> Result<WorkCalendar> {
        Ok(WorkCalendar {
            days: store::calendar_days(&self.store.conn)?,
            deadline_days: store::deadline_days(&self.store.conn)?,
        })
    }

    /// A supervisor sets holidays, 调休 working days and the deadline; recorded.
    pub fn set_work_calendar(&mut self, change: &CalendarChange) -> Result<WorkCalendar> {
        self.caller.require_supervisor("修改工作日历")?;
        for day in change
            .set
            .iter()
            .map(|d| d.day.as_str())
            .chain(change.remove.iter().map(String::as_str))
        {
            if !is_day(day) {
                return Err(invalid(format!(
                    "日期「{day}」应写成 YYYY-MM-DD，如 2026-10-01"
                )));
            }
        }
        if let Some(days) = change.deadline_days {
            if !(1..=60).contains(&days) {
                return Err(invalid("协办期限应为 1 至 60 个工作日"));
            }
        }
        self.act(|tx, caller| {
            for day in &change.set {
                let note = day.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
                store::set_day(
                    tx,
                    &crate::api::CalendarDay {
                        note: note.map(|n| n.chars().take(40).collect()),
                        ..day.clone()
                    },
                )?;
            }
            for day in &change.remove {
                store::remove_day(tx, day)?;
            }
            if let Some(days) = change.deadline_days {
                crate::store::set_meta_in(tx, store::DEADLINE_DAYS_KEY, &days.to_string())?;
            }
            audit::append(
                tx,
                caller,
                Event::new(
                    "calendar",
                    None,
                    json!({ "set": change.set, "remove": change.remove,
                            "deadline_days": change.deadline_days }),
                ),
            )
            .map(|_| ())
        })?;
        self.work_calendar()
    }
}
