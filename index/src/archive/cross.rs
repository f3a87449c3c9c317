//! The 跨馆 round trip, on both sides. Sending: an open 跨馆 request's application, with its
//! proof, goes to the outbox in the act that records it. Receiving: an application becomes a
//! request of this archive's own, with a deadline in working days, and each step taken on that
//! request (受理, a record attached, the certificate issued, 未查到, 退回) is told back through the
//! outbox in the step's own transaction. A step told is taken once, and only forwards.

mod calendar;
mod holding;
mod outbox;
mod sending;

pub(crate) use holding::{certificate_voided, request_stepped};

use crate::error::{Error, ErrorCode};

/// The channel of a request asked of another archive, on both sides.
const CHANNEL: &str = super::peers::CROSS_ARCHIVE_CHANNEL;

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidRequest, message)
}

fn base64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

fn is_day(text: &str) -> bool {
    text.len() == 10 && chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

/// A step of an application this archive sent, as the holding archive told it (or as its
/// refusal left it), on this archive's trail in the step's own transaction.
fn status_recorded(
    tx: &rusqlite::Connection,
    request_id: i64,
    detail: serde_json::Value,
) -> crate::error::Result<()> {
    crate::audit::append(
        tx,
        &crate::api::Caller::local_operator(),
        crate::audit::Event::new(
            "cross_status",
            Some(format!("request:{request_id}")),
            detail,
        ),
    )
    .map(|_| ())
}
