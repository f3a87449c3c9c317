//! Acts done under a retry key (`acts_done`), written in the act's own transaction: found again
//! when the same key comes back, and forgotten after two days.

use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};

/// How long a key is kept: a desk retries within minutes, a clerk's second try the same day.
const KEPT: &str = "-2 days";

pub struct ActDone {
    pub op: String,
    pub actor: String,
    /// The LAN desk it was asked from.
    pub desk: Option<String>,
    pub request_sha256: String,
    pub result: String,
}

pub fn find(conn: &Connection, key: &str) -> Result<Option<ActDone>> {
    Ok(conn
        .query_row(
            "SELECT op, actor, desk, request_sha256, result FROM acts_done WHERE key = ?1",
            [key],
            |r| {
                Ok(ActDone {
                    op: r.get(0)?,
                    actor: r.get(1)?,
                    desk: r.get(2)?,
                    request_sha256: r.get(3)?,
                    result: r.get(4)?,
                })
            },
        )
        .optional()?)
}

pub fn record(conn: &Connection, key: &str, done: &ActDone) -> Result<()> {
    conn.execute(
        "DELETE FROM acts_done WHERE done_at < datetime('now', 'localtime', ?1)",
        [KEPT],
    )?;
    conn.execute(
        "INSERT INTO acts_done(key, op, actor, desk, request_sha256, result, done_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![key, done.op, done.actor, done.desk, done.request_sha256, done.result, crate::store::now_text()],
    )?;
    Ok(())
}
