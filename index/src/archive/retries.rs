//! Acts that a desk may send twice: registering, attaching and issuing carry a retry key from the
//! door (`Idempotency-Key`), and the act is recorded under it in its own transaction. When the
//! answer was lost (the host restarted, the cable was pulled) and the desk asks again with the
//! same key, it gets the same request or the same certificate back, never a second one.

use super::Archive;
use crate::api::Caller;
use crate::error::{Error, ErrorCode, Result};
use crate::store::acts_done::{self, ActDone};
use sha2::{Digest, Sha256};

/// The retry key of the operation under way, and what it asked.
pub(super) struct RetryKey {
    key: String,
    request_sha256: String,
}

/// A key a door accepts: long enough to be unique, short and plain enough to store.
pub fn valid_retry_key(key: &str) -> bool {
    (16..=80).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The acts done under a retry key, and how each is read back.
pub const RETRIED_OPS: &[&str] = &[
    "register_request",
    "attach_record",
    "issue_certificate",
    "proof_add",
    "cross_send",
];

impl Archive {
    /// The answer of an act already done under `key` for the same request from the same LAN
    /// desk, read back now; None when no such act was done. Asked before the login is checked:
    /// a host that restarted after the act committed has forgotten the logins, and the desk
    /// that asks again (the only one holding the key) is told what was done rather than
    /// asked to log in and do it twice.
    pub fn done_before(
        &mut self,
        key: &str,
        desk: Option<&str>,
        op: &str,
        request: &[u8],
    ) -> Result<Option<serde_json::Value>> {
        let conn = &self.store.conn;
        let Some(done) = acts_done::find(conn, key)? else {
            return Ok(None);
        };
        if done.op != op
            || done.desk.as_deref() != desk
            || done.request_sha256 != hex::encode(Sha256::digest(request))
        {
            return Ok(None);
        }
        let value = match op {
            "issue_certificate" => serde_json::to_value(
                crate::certificate::records::find(conn, &done.result)?.ok_or_else(|| {
                    Error::new(
                        ErrorCode::NotFound,
                        format!("没有编号为「{}」的证明", done.result),
                    )
                })?,
            ),
            _ => serde_json::to_value(crate::register::get(
                conn,
                done.result.parse().unwrap_or_default(),
            )?),
        };
        value
            .map(Some)
            .map_err(|e| Error::new(ErrorCode::Io, format!("无法生成回答：{e}")))
    }

    /// The next operation is asked under `key` with `request` as its body; None clears it.
    /// Doors set it around one operation.
    pub fn retry_key(&mut self, key: Option<(&str, &[u8])>) {
        self.retry = key.map(|(key, request)| RetryKey {
            key: key.to_string(),
            request_sha256: hex::encode(Sha256::digest(request)),
        });
    }

    /// Runs `work` as an act (`act`), recorded under the retry key when there is one: asked again
    /// with the key, the act is not done again, and `again` reads what it made (named by
    /// `result_of`) back in its present state.
    pub(super) fn act_once<T>(
        &mut self,
        op: &'static str,
        work: impl FnOnce(&rusqlite::Transaction, &Caller) -> Result<T>,
        result_of: impl FnOnce(&T) -> String,
        again: impl FnOnce(&rusqlite::Transaction, &str) -> Result<T>,
    ) -> Result<T> {
        let Some(retry) = self.retry.take() else {
            return self.act(work);
        };
        let done = self.act(|tx, caller| {
            let actor = crate::audit::actor(caller);
            if let Some(done) = acts_done::find(tx, &retry.key)? {
                if done.op != op
                    || done.actor != actor
                    || done.request_sha256 != retry.request_sha256
                {
                    return Err(Error::new(
                        ErrorCode::InvalidRequest,
                        "重试标识已用于另一项操作：请重新操作",
                    ));
                }
                return again(tx, &done.result);
            }
            let value = work(tx, caller)?;
            acts_done::record(
                tx,
                &retry.key,
                &ActDone {
                    op: op.to_string(),
                    actor,
                    desk: caller.desk.clone(),
                    request_sha256: retry.request_sha256.clone(),
                    result: result_of(&value),
                },
            )?;
            crate::failpoint::reached("act_committing");
            Ok(value)
        })?;
        crate::failpoint::reached("act_committed");
        Ok(done)
    }
}
