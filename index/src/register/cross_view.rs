//! A request's 跨馆 applications as its page shows them: those it sent to other archives, and
//! the one it was registered for, with the deadline counted on the working-day calendar.

use crate::api::{CrossReceived, PeerAsking};
use crate::cross::calendar::working_days_between;
use crate::cross::states;
use crate::error::Result;
use crate::store::cross::{self as store, ReceivedRow};
use chrono::NaiveDate;
use rusqlite::Connection;
use std::collections::HashMap;

/// What the request's page shows of an application received, as of `today`.
pub fn received_view(
    row: ReceivedRow,
    requester_name: String,
    purpose: String,
    sought: String,
    today: NaiveDate,
    special: &HashMap<NaiveDate, bool>,
) -> CrossReceived {
    let asking: PeerAsking = serde_json::from_str(&row.asking_json).unwrap_or_default();
    let deadline = NaiveDate::parse_from_str(&row.deadline, "%Y-%m-%d").unwrap_or(today);
    let left = working_days_between(today, deadline, &|d| special.get(&d).copied());
    let open = !states::is_final(&row.state);
    CrossReceived {
        id: row.id,
        request_id: row.request_id,
        peer_name: row.peer_name,
        received_at: row.received_at,
        deadline: row.deadline,
        working_days_left: left,
        overdue: open && today > deadline,
        their_request_no: asking.request_no,
        their_clerk: asking.clerk,
        requester_name,
        purpose,
        sought,
        state: row.state,
        state_at: row.state_at,
        reason: row.reason,
    }
}

/// Fills the request's 跨馆 applications into its view.
pub fn fill(conn: &Connection, view: &mut crate::api::LookupRequestView) -> Result<()> {
    view.cross_sent = store::sent_of_request(conn, view.id)?;
    view.cross_received = match store::received_of_request(conn, view.id)? {
        Some(row) => Some(received_view(
            row,
            view.requester_name.clone(),
            view.purpose.clone(),
            view.sought.clone(),
            chrono::Local::now().date_naive(),
            &store::special_days(conn)?,
        )),
        None => None,
    };
    Ok(())
}
