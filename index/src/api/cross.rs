//! The 跨馆 request round trip as the screens see it: the applications a request sent to other
//! archives and where each stands; the applications other archives sent here (跨馆协办), with
//! their deadlines; and the working-day calendar the deadlines are counted on.

use serde::{Deserialize, Serialize};

/// Sends a 跨馆查档申请 for an open request (channel 跨馆) to one other archive, with the
/// request's proof files.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct CrossSendRequest {
    pub request_id: i64,
    pub peer_id: i64,
}

/// An application this archive sent, as it stands.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CrossSent {
    pub id: i64,
    pub peer_id: i64,
    pub peer_name: String,
    pub sent_at: String,
    pub sent_by: String,
    /// submitted (已提交), accepted (已受理), in_progress (协办中), certified (已出证),
    /// no_records (无档案) or returned (退回).
    pub state: String,
    pub state_at: String,
    /// The day the holding archive answers by, as it said.
    pub deadline: Option<String>,
    /// Why it was returned.
    pub reason: Option<String>,
    /// Whether the application has reached the other archive; while not, why the last try failed.
    pub delivered: bool,
    pub last_error: Option<String>,
    /// The holding archive's certificate, once issued.
    pub certificate_number: Option<String>,
    pub certificate_code: Option<String>,
    /// Set when the holding archive voided that certificate since (and has not issued another).
    pub certificate_voided_at: Option<String>,
    pub certificate_void_reason: Option<String>,
}

/// An application another archive sent here, with this archive's own request for it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CrossReceived {
    pub id: i64,
    /// This archive's request, registered when the application came.
    pub request_id: i64,
    pub peer_name: String,
    pub received_at: String,
    /// YYYY-MM-DD, counted in working days.
    pub deadline: String,
    /// Working days left until the deadline (0 on the day; negative when overdue).
    pub working_days_left: i64,
    pub overdue: bool,
    /// The sending archive's request number and clerk.
    pub their_request_no: String,
    pub their_clerk: String,
    pub requester_name: String,
    pub purpose: String,
    pub sought: String,
    pub state: String,
    pub state_at: String,
    pub reason: Option<String>,
}

/// 跨馆协办: the applications received, newest first; open ones only unless all are asked for.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct CrossInboxQuery {
    pub all: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CrossInbox {
    pub items: Vec<CrossReceived>,
    pub overdue: i64,
}

/// 退回 an application received, with the reason told to the sending archive.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct CrossReturnRequest {
    pub id: i64,
    pub reason: String,
}

/// A day the supervisor set: a public holiday (working: false) or a 调休 working day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct CalendarDay {
    /// YYYY-MM-DD.
    pub day: String,
    pub working: bool,
    pub note: Option<String>,
}

/// The working-day calendar: the days set, and the deadline of an application received.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct WorkCalendar {
    pub days: Vec<CalendarDay>,
    pub deadline_days: i64,
}

/// Days set or removed, and the deadline (a supervisor, at the host).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct CalendarChange {
    pub set: Vec<CalendarDay>,
    /// YYYY-MM-DD of days to forget.
    pub remove: Vec<String>,
    pub deadline_days: Option<i64>,
}
