//! The 跨馆 round trip's tables: the working-day calendar, the applications sent
//! (`cross_sent`) and received (`cross_received`), and the outbox of messages to peers.
//! Callers write the audit row in the same transaction.

use crate::api::{CalendarDay, CrossSent};
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashMap;

/// `meta`: working days the holding archive has for an application.
pub const DEADLINE_DAYS_KEY: &str = "cross_deadline_days";
/// Working days the holding archive has, unless the supervisor (or the province's list) says
/// otherwise.
pub const DEFAULT_DEADLINE_DAYS: i64 = 4;

/// A message waiting in the outbox, with where it goes.
#[derive(Debug, Clone)]
pub struct OutboxMessage {
    pub id: i64,
    pub peer_name: String,
    pub address: String,
    pub pin: String,
    pub path: String,
    pub body: Vec<u8>,
    pub attempts: i64,
}

// ── The calendar ─────────────────────────────────────────────────────────────────────────────

pub fn calendar_days(conn: &Connection) -> Result<Vec<CalendarDay>> {
    let mut statement =
        conn.prepare("SELECT day, working, note FROM calendar_days ORDER BY day")?;
    let days = statement
        .query_map([], |r| {
            Ok(CalendarDay {
                day: r.get(0)?,
                working: r.get::<_, i64>(1)? != 0,
                note: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(days)
}

/// The days set, by date: true a working day, false a holiday.
pub fn special_days(conn: &Connection) -> Result<HashMap<chrono::NaiveDate, bool>> {
    Ok(calendar_days(conn)?
        .into_iter()
        .filter_map(|d| {
            let day = chrono::NaiveDate::parse_from_str(&d.day, "%Y-%m-%d").ok()?;
            Some((day, d.working))
        })
        .collect())
}

pub fn set_day(conn: &Connection, day: &CalendarDay) -> Result<()> {
    conn.execute(
        "INSERT INTO calendar_days(day, working, note) VALUES (?1, ?2, ?3)
         ON CONFLICT(day) DO UPDATE SET working = excluded.working, note = excluded.note",
        params![day.day, day.working as i64, day.note],
    )?;
    Ok(())
}

pub fn remove_day(conn: &Connection, day: &str) -> Result<()> {
    conn.execute("DELETE FROM calendar_days WHERE day = ?1", [day])?;
    Ok(())
}

pub fn deadline_days(conn: &Connection) -> Result<i64> {
    let kept: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [DEADLINE_DAYS_KEY],
            |r| r.get(0),
        )
        .optional()?;
    Ok(kept
        .and_then(|d| d.parse().ok())
        .unwrap_or(DEFAULT_DEADLINE_DAYS))
}

// ── The outbox ───────────────────────────────────────────────────────────────────────────────

/// Puts a message in the outbox, due now; answers its id.
pub fn enqueue(conn: &Connection, peer_id: i64, path: &str, body: &[u8], now: &str) -> Result<i64> {
    conn.execute(
        "INSERT INTO peer_outbox(peer_id, path, body, created_at, next_at) VALUES (?1, ?2, ?3, ?4, ?4)",
        params![peer_id, path, body, now],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Given up on (a lasting refusal): never due again.
const GIVEN_UP: &str = "9999-12-31 23:59:59";

/// Messages due by `now`, oldest first, with where they go but not their bodies (read one at a
/// time with `body`: an application with its proof weighs tens of MB); a removed peer's wait
/// (its calls would be refused) until it is added again. A peer's messages go in the order they
/// were written, each once the one before it was delivered (or given up on): a certificate
/// voided, then issued again, must not arrive before the certificate it voids.
pub fn due(conn: &Connection, now: &str, limit: usize) -> Result<Vec<OutboxMessage>> {
    let mut statement = conn.prepare(&format!(
        "SELECT o.id, p.name, p.address, p.pin, o.path, o.attempts
         FROM peer_outbox o JOIN peers p ON p.id = o.peer_id
         WHERE o.delivered_at IS NULL AND o.next_at <= ?1 AND p.removed_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM peer_outbox e
                           WHERE e.peer_id = o.peer_id AND e.id < o.id
                             AND e.delivered_at IS NULL AND e.next_at < ?2)
         ORDER BY o.id LIMIT {limit}"
    ))?;
    let due = statement
        .query_map([now, GIVEN_UP], |r| {
            Ok(OutboxMessage {
                id: r.get(0)?,
                peer_name: r.get(1)?,
                address: r.get(2)?,
                pin: r.get(3)?,
                path: r.get(4)?,
                body: Vec::new(),
                attempts: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(due)
}

/// A message's body, while it waits.
pub fn body(conn: &Connection, id: i64) -> Result<Vec<u8>> {
    Ok(conn
        .query_row(
            "SELECT body FROM peer_outbox WHERE id = ?1 AND delivered_at IS NULL",
            [id],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_default())
}

/// Delivered: the body is no longer kept — its space zeroed (`secure_delete`), as it may hold
/// the copy of an ID card sent with an application (the certificate's PDF is in its own table).
pub fn delivered(conn: &Connection, id: i64, at: &str) -> Result<()> {
    conn.pragma_update(None, "secure_delete", "ON")?;
    let done = conn.execute(
        "UPDATE peer_outbox SET delivered_at = ?2, body = x'', last_error = NULL WHERE id = ?1",
        params![id, at],
    );
    conn.pragma_update(None, "secure_delete", "OFF")?;
    done?;
    Ok(())
}

/// Refused for good by the peer: not tried again, the body zeroed as when delivered, and the
/// reason kept.
pub fn given_up(conn: &Connection, id: i64, why: &str) -> Result<()> {
    conn.pragma_update(None, "secure_delete", "ON")?;
    let done = conn.execute(
        "UPDATE peer_outbox SET next_at = ?3, body = x'', last_error = ?2,
                attempts = attempts + 1 WHERE id = ?1",
        params![id, why, GIVEN_UP],
    );
    conn.pragma_update(None, "secure_delete", "OFF")?;
    done?;
    Ok(())
}

/// The application sent with this outbox message, if it was one: its id and request.
pub fn sent_of_outbox(conn: &Connection, outbox_id: i64) -> Result<Option<(i64, i64)>> {
    Ok(conn
        .query_row(
            "SELECT id, request_id FROM cross_sent WHERE outbox_id = ?1",
            [outbox_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

pub fn failed(conn: &Connection, id: i64, error: &str, next_at: &str) -> Result<()> {
    conn.execute(
        "UPDATE peer_outbox SET attempts = attempts + 1, last_error = ?2, next_at = ?3 WHERE id = ?1",
        params![id, error, next_at],
    )?;
    Ok(())
}

/// Messages not yet delivered.
pub fn waiting(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM peer_outbox WHERE delivered_at IS NULL",
        [],
        |r| r.get(0),
    )?)
}

/// When the next message is due, if any waits.
pub fn next_due(conn: &Connection) -> Result<Option<String>> {
    Ok(conn.query_row(
        "SELECT MIN(next_at) FROM peer_outbox WHERE delivered_at IS NULL",
        [],
        |r| r.get(0),
    )?)
}

// ── Applications sent ────────────────────────────────────────────────────────────────────────

pub struct NewSent<'a> {
    pub message_id: &'a str,
    pub request_id: i64,
    pub peer_id: i64,
    pub outbox_id: i64,
    pub at: &'a str,
    pub by: &'a str,
}

pub fn insert_sent(conn: &Connection, sent: &NewSent) -> Result<i64> {
    conn.execute(
        "INSERT INTO cross_sent(message_id, request_id, peer_id, outbox_id, sent_at, sent_by, state, state_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'submitted', ?5)",
        params![sent.message_id, sent.request_id, sent.peer_id, sent.outbox_id, sent.at, sent.by],
    )?;
    Ok(conn.last_insert_rowid())
}

const SENT: &str = "SELECT s.id, s.peer_id, p.name, s.sent_at, s.sent_by, s.state, s.state_at, s.deadline,
        s.reason, o.delivered_at IS NOT NULL, o.last_error, s.certificate_number, s.certificate_code,
        s.certificate_voided_at, s.certificate_void_reason
     FROM cross_sent s JOIN peers p ON p.id = s.peer_id LEFT JOIN peer_outbox o ON o.id = s.outbox_id";

fn sent(r: &rusqlite::Row) -> rusqlite::Result<CrossSent> {
    Ok(CrossSent {
        id: r.get(0)?,
        peer_id: r.get(1)?,
        peer_name: r.get(2)?,
        sent_at: r.get(3)?,
        sent_by: r.get(4)?,
        state: r.get(5)?,
        state_at: r.get(6)?,
        deadline: r.get(7)?,
        reason: r.get(8)?,
        delivered: r.get::<_, Option<bool>>(9)?.unwrap_or(false),
        last_error: r.get(10)?,
        certificate_number: r.get(11)?,
        certificate_code: r.get(12)?,
        certificate_voided_at: r.get(13)?,
        certificate_void_reason: r.get(14)?,
    })
}

pub fn sent_of_request(conn: &Connection, request_id: i64) -> Result<Vec<CrossSent>> {
    let mut statement =
        conn.prepare_cached(&format!("{SENT} WHERE s.request_id = ?1 ORDER BY s.id"))?;
    let sent = statement
        .query_map([request_id], sent)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(sent)
}

/// The application sent to `peer_id` under `message_id`: its id, request and state.
pub fn sent_by_message(
    conn: &Connection,
    peer_id: i64,
    message_id: &str,
) -> Result<Option<(i64, i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT id, request_id, state FROM cross_sent WHERE peer_id = ?1 AND message_id = ?2",
            params![peer_id, message_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

pub fn set_sent_state(
    conn: &Connection,
    id: i64,
    state: &str,
    at: &str,
    deadline: Option<&str>,
    reason: Option<&str>,
) -> Result<()> {
    conn.execute(
        "UPDATE cross_sent SET state = ?2, state_at = ?3, deadline = COALESCE(?4, deadline),
                reason = COALESCE(?5, reason) WHERE id = ?1",
        params![id, state, at, deadline, reason],
    )?;
    Ok(())
}

/// A deadline told before the state changes (the holding archive's first message).
pub fn set_sent_deadline(conn: &Connection, id: i64, deadline: &str) -> Result<()> {
    conn.execute(
        "UPDATE cross_sent SET deadline = ?2 WHERE id = ?1",
        params![id, deadline],
    )?;
    Ok(())
}

pub struct ReceivedCertificate<'a> {
    pub number: &'a str,
    pub verify_code: &'a str,
    pub issued_at: &'a str,
    pub pdf: &'a [u8],
    pub sha256: &'a str,
}

pub fn store_certificate(
    conn: &Connection,
    id: i64,
    certificate: &ReceivedCertificate,
) -> Result<()> {
    conn.execute(
        "UPDATE cross_sent SET certificate_number = ?2, certificate_code = ?3, certificate_issued_at = ?4,
                certificate_pdf = ?5, certificate_sha256 = ?6, certificate_voided_at = NULL,
                certificate_void_reason = NULL
         WHERE id = ?1",
        params![
            id,
            certificate.number,
            certificate.verify_code,
            certificate.issued_at,
            certificate.pdf,
            certificate.sha256
        ],
    )?;
    Ok(())
}

/// The certificate received for an application sent, if one was: its number, and whether the
/// issuing archive voided it since.
pub fn sent_certificate(conn: &Connection, id: i64) -> Result<Option<(String, bool)>> {
    Ok(conn
        .query_row(
            "SELECT certificate_number, certificate_voided_at IS NOT NULL FROM cross_sent
             WHERE id = ?1 AND certificate_number IS NOT NULL",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Whether another application's certificate, received from any archive, has this code: a
/// code is how 核验 finds a received certificate, so it must name one only.
pub fn certificate_code_taken(conn: &Connection, code: &str, except_id: i64) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM cross_sent WHERE certificate_code = ?1 AND id <> ?2)",
        params![code, except_id],
        |r| r.get(0),
    )?)
}

/// The issuing archive voided the certificate received for an application sent.
pub fn void_received(conn: &Connection, id: i64, at: &str, reason: &str) -> Result<()> {
    conn.execute(
        "UPDATE cross_sent SET certificate_voided_at = ?2, certificate_void_reason = ?3 WHERE id = ?1",
        params![id, at, reason],
    )?;
    Ok(())
}

/// A certificate another archive issued for a request of this archive's.
pub struct CertificateReceived {
    pub request_id: i64,
    pub peer_name: String,
    pub number: String,
    pub pdf: Vec<u8>,
    pub voided_at: Option<String>,
}

pub fn received_certificate(conn: &Connection, id: i64) -> Result<Option<CertificateReceived>> {
    Ok(conn
        .query_row(
            "SELECT s.request_id, p.name, s.certificate_number, s.certificate_pdf,
                    s.certificate_voided_at
             FROM cross_sent s JOIN peers p ON p.id = s.peer_id
             WHERE s.id = ?1 AND s.certificate_pdf IS NOT NULL",
            [id],
            |r| {
                Ok(CertificateReceived {
                    request_id: r.get(0)?,
                    peer_name: r.get(1)?,
                    number: r.get(2)?,
                    pdf: r.get(3)?,
                    voided_at: r.get(4)?,
                })
            },
        )
        .optional()?)
}

/// A certificate received from another archive, by its verification code (normalized, as
/// `certificate::records::normalize_code` writes it; never by number, as every archive numbers
/// alike): the archive, and the certificate as this archive keeps it.
pub fn received_by_code(
    conn: &Connection,
    code: &str,
) -> Result<Option<(String, crate::api::CertificateView, Vec<u8>)>> {
    Ok(conn
        .query_row(
            "SELECT p.name, s.id, s.request_id, s.certificate_number, s.certificate_code,
                    s.certificate_issued_at, s.certificate_sha256, s.certificate_pdf,
                    s.certificate_voided_at, s.certificate_void_reason
             FROM cross_sent s JOIN peers p ON p.id = s.peer_id
             WHERE s.certificate_pdf IS NOT NULL AND s.certificate_code = ?1",
            [code],
            |r| {
                let pdf: Vec<u8> = r.get(7)?;
                Ok((
                    r.get(0)?,
                    crate::api::CertificateView {
                        id: r.get(1)?,
                        request_id: r.get(2)?,
                        number: r.get(3)?,
                        verify_code: r.get(4)?,
                        issued_at: r.get(5)?,
                        issued_by: r.get(0)?,
                        pages: 0,
                        pdf_bytes: pdf.len() as i64,
                        pdf_sha256: r.get(6)?,
                        voided_at: r.get(8)?,
                        voided_by: r.get::<_, Option<String>>(8)?.and(r.get(0)?),
                        void_reason: r.get(9)?,
                    },
                    pdf,
                ))
            },
        )
        .optional()?)
}

// ── Applications received ────────────────────────────────────────────────────────────────────

pub struct NewReceived<'a> {
    pub message_id: &'a str,
    pub peer_id: i64,
    pub request_id: i64,
    pub at: &'a str,
    pub deadline: &'a str,
    pub asking_json: &'a str,
}

pub fn insert_received(conn: &Connection, received: &NewReceived) -> Result<i64> {
    conn.execute(
        "INSERT INTO cross_received(message_id, peer_id, request_id, received_at, deadline, asking_json, state, state_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'submitted', ?4)",
        params![
            received.message_id,
            received.peer_id,
            received.request_id,
            received.at,
            received.deadline,
            received.asking_json
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// A received application as stored: what the screens and the messages back are made from.
#[derive(Debug, Clone)]
pub struct ReceivedRow {
    pub id: i64,
    pub message_id: String,
    pub peer_id: i64,
    pub peer_name: String,
    pub request_id: i64,
    pub received_at: String,
    pub deadline: String,
    pub asking_json: String,
    pub state: String,
    pub state_at: String,
    pub reason: Option<String>,
    /// The number of the certificate last sent back for it.
    pub certificate_sent: Option<String>,
}

const RECEIVED: &str =
    "SELECT c.id, c.message_id, c.peer_id, p.name, c.request_id, c.received_at, c.deadline,
        c.asking_json, c.state, c.state_at, c.reason, c.certificate_sent
     FROM cross_received c JOIN peers p ON p.id = c.peer_id";

fn received(r: &rusqlite::Row) -> rusqlite::Result<ReceivedRow> {
    Ok(ReceivedRow {
        id: r.get(0)?,
        message_id: r.get(1)?,
        peer_id: r.get(2)?,
        peer_name: r.get(3)?,
        request_id: r.get(4)?,
        received_at: r.get(5)?,
        deadline: r.get(6)?,
        asking_json: r.get(7)?,
        state: r.get(8)?,
        state_at: r.get(9)?,
        reason: r.get(10)?,
        certificate_sent: r.get(11)?,
    })
}

pub fn received_by_message(
    conn: &Connection,
    peer_id: i64,
    message_id: &str,
) -> Result<Option<ReceivedRow>> {
    Ok(conn
        .query_row(
            &format!("{RECEIVED} WHERE c.peer_id = ?1 AND c.message_id = ?2"),
            params![peer_id, message_id],
            received,
        )
        .optional()?)
}

pub fn received_of_request(conn: &Connection, request_id: i64) -> Result<Option<ReceivedRow>> {
    Ok(conn
        .query_row(
            &format!("{RECEIVED} WHERE c.request_id = ?1"),
            [request_id],
            received,
        )
        .optional()?)
}

pub fn received_one(conn: &Connection, id: i64) -> Result<Option<ReceivedRow>> {
    Ok(conn
        .query_row(&format!("{RECEIVED} WHERE c.id = ?1"), [id], received)
        .optional()?)
}

/// Applications received, newest first; with `all`, the finished ones too.
pub fn received_list(conn: &Connection, all: bool) -> Result<Vec<ReceivedRow>> {
    let finished = if all {
        ""
    } else {
        " WHERE c.state NOT IN ('certified', 'no_records', 'returned')"
    };
    let mut statement = conn.prepare(&format!(
        "{RECEIVED}{finished} ORDER BY c.id DESC LIMIT 500"
    ))?;
    let rows = statement
        .query_map([], received)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The certificate sent back for an application received.
pub fn set_certificate_sent(conn: &Connection, id: i64, number: &str) -> Result<()> {
    conn.execute(
        "UPDATE cross_received SET certificate_sent = ?2 WHERE id = ?1",
        params![id, number],
    )?;
    Ok(())
}

/// Whether a certificate issued here was voided since.
pub fn certificate_voided_here(conn: &Connection, number: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT voided_at IS NOT NULL FROM certificates WHERE number = ?1",
            [number],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(false))
}

/// The newest certificate of a request that still stands, if one does.
pub fn standing_certificate(conn: &Connection, request_id: i64) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT number FROM certificates WHERE request_id = ?1 AND voided_at IS NULL
             ORDER BY id DESC LIMIT 1",
            [request_id],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn set_received_state(
    conn: &Connection,
    id: i64,
    state: &str,
    at: &str,
    reason: Option<&str>,
) -> Result<()> {
    conn.execute(
        "UPDATE cross_received SET state = ?2, state_at = ?3, reason = COALESCE(?4, reason) WHERE id = ?1",
        params![id, state, at, reason],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_peers_messages_are_due_one_after_another_in_the_order_written() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(dir.path()).unwrap();
        let conn = &store.conn;
        let now = "2026-12-07 10:00:00";
        let pin = "ab".repeat(32);
        let other_pin = "cd".repeat(32);
        let b = crate::store::peers::add(conn, "乙县档案馆", "127.0.0.22:9443", &pin, now, "主管")
            .unwrap();
        let c = crate::store::peers::add(
            conn,
            "丙县档案馆",
            "127.0.0.23:9443",
            &other_pin,
            now,
            "主管",
        )
        .unwrap();
        let certificate = enqueue(conn, b.id, "/status", b"certified", now).unwrap();
        let void = enqueue(conn, b.id, "/status", b"voided", now).unwrap();
        let to_c = enqueue(conn, c.id, "/status", b"accepted", now).unwrap();
        let ids =
            |at: &str| -> Vec<i64> { due(conn, at, 20).unwrap().iter().map(|m| m.id).collect() };
        assert_eq!(ids(now), [certificate, to_c]);

        // The certificate failed and waits: the void after it waits too; another peer's does not.
        failed(conn, certificate, "timed out", "2026-12-07 10:00:30").unwrap();
        delivered(conn, to_c, now).unwrap();
        assert!(ids("2026-12-07 10:00:10").is_empty());
        assert_eq!(ids("2026-12-07 10:00:30"), [certificate]);
        delivered(conn, certificate, "2026-12-07 10:00:30").unwrap();
        assert_eq!(ids("2026-12-07 10:00:31"), [void]);

        // A message given up on holds up none after it.
        let third = enqueue(conn, b.id, "/status", b"third", now).unwrap();
        given_up(conn, void, "refused").unwrap();
        assert_eq!(ids("2026-12-07 10:01:00"), [third]);
    }
}
