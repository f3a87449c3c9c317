//! The audit trail: every committed search, record view, reveal of a masked value, certificate
//! and import, appended to `audit_log` as a hash chain. Each row's hash covers its own fields
//! and the previous row's hash, so an edited, deleted or reordered row breaks the chain; the
//! chain's head, kept off the machine, shows whether the whole chain was rewritten since.

pub mod anchors;
pub mod collapse;
pub mod looks;

use crate::api::{AuditHead, AuditQuery, AuditRow, AuditVerification, Caller};
use crate::error::{Error, ErrorCode, Result};
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

/// The hash before the first row.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an audited action names: the action, what it was done to, and the details (the full
/// query, the reason given, …).
#[derive(Debug, Clone)]
pub struct Event {
    pub action: &'static str,
    pub target: Option<String>,
    pub detail: serde_json::Value,
    /// When it happened, if not now (an act kept while the database was busy).
    pub at: Option<String>,
}

impl Event {
    pub fn new(action: &'static str, target: Option<String>, detail: serde_json::Value) -> Self {
        Event {
            action,
            target,
            detail,
            at: None,
        }
    }
}

/// The clerk, as the register and certificates name who did what: the login, and who that is.
pub fn actor(caller: &Caller) -> String {
    format!("{}（{}）", caller.login, caller.display_name)
}

/// How the trail names the caller: the clerk, and at a LAN desk the desk too.
pub fn trail_actor(caller: &Caller) -> String {
    match &caller.desk {
        Some(desk) => format!("{}@柜台{desk}", actor(caller)),
        None => actor(caller),
    }
}

pub fn row_hash(
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    target: Option<&str>,
    detail: &str,
    prev: &str,
) -> String {
    let mut hasher = Sha256::new();
    for part in [
        &seq.to_string(),
        at,
        actor,
        action,
        target.unwrap_or(""),
        detail,
        prev,
    ] {
        // Lengths first, so that no two different rows hash the same text.
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// Appends one row inside the caller's transaction (which commits it with the act itself).
pub fn append(conn: &Connection, caller: &Caller, event: Event) -> Result<i64> {
    let at = event.at.clone().unwrap_or_else(crate::store::now_text);
    append_row(
        conn,
        &Row {
            at: &at,
            actor: &trail_actor(caller),
            action: event.action,
            target: event.target.as_deref(),
            detail: &event.detail.to_string(),
        },
    )
}

/// One row of the trail as it is chained.
pub struct Row<'a> {
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub target: Option<&'a str>,
    pub detail: &'a str,
}

/// Chains `row` after the last row, inside the caller's transaction.
pub fn append_row(conn: &Connection, row: &Row) -> Result<i64> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, prev) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_string()),
    };
    let hash = row_hash(
        seq, row.at, row.actor, row.action, row.target, row.detail, &prev,
    );
    conn.execute(
        "INSERT INTO audit_log (seq, at, actor, action, target, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![seq, row.at, row.actor, row.action, row.target, row.detail, prev, hash],
    )?;
    Ok(seq)
}

/// Walks the chain from the first row: every row follows the one before it (its seq is the
/// next and its prev_hash that row's hash) and its hash is its own. With `head`, the chain must
/// also still hold that head: same hash at the same count.
/// `anchor_folders`: where the anchors are (see `anchors`); they are checked too.
pub fn verify(
    conn: &Connection,
    head: Option<&AuditHead>,
    anchor_folders: &[anchors::Folder],
) -> Result<AuditVerification> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, target, detail, prev_hash, hash FROM audit_log ORDER BY rowid",
    )?;
    let mut rows = stmt.query([])?;
    let mut expected_seq = 1;
    let mut prev = GENESIS.to_string();
    let mut problem: Option<(i64, String)> = None;
    let mut count = 0;
    let mut hash_at_head: Option<String> = None;
    let (mut first_at, mut last_at) = (None, None);
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let at: String = r.get(1)?;
        let target: Option<String> = r.get(4)?;
        let prev_hash: String = r.get(6)?;
        let hash: String = r.get(7)?;
        count += 1;
        first_at.get_or_insert_with(|| at.clone());
        last_at = Some(at.clone());
        if problem.is_none() {
            let computed = row_hash(
                seq,
                &at,
                &r.get::<_, String>(2)?,
                &r.get::<_, String>(3)?,
                target.as_deref(),
                &r.get::<_, String>(5)?,
                &prev_hash,
            );
            if seq != expected_seq {
                problem = Some((
                    seq,
                    format!("第 {expected_seq} 条之后是第 {seq} 条：有记录被删除或调换了顺序"),
                ));
            } else if prev_hash != prev {
                problem = Some((
                    seq,
                    format!("第 {seq} 条与前一条接不上：前一条被改动或删除"),
                ));
            } else if computed != hash {
                problem = Some((seq, format!("第 {seq} 条的内容与其校验值不符：记录被改动")));
            }
        }
        if head.is_some_and(|h| h.count == seq) {
            hash_at_head = Some(hash.clone());
        }
        expected_seq = seq + 1;
        prev = hash;
    }
    if problem.is_none() {
        if let Some(head) = head {
            match hash_at_head {
                _ if head.count > count => {
                    problem = Some((
                        count + 1,
                        format!(
                            "导出的链头有 {} 条，现在只有 {count} 条：记录被删除",
                            head.count
                        ),
                    ))
                }
                Some(hash) if hash != head.last_hash => {
                    problem = Some((
                        head.count,
                        format!(
                            "第 {} 条的校验值与导出的链头不符：审计日志在导出之后被重写",
                            head.count
                        ),
                    ))
                }
                None if head.count > 0 => {
                    problem = Some((head.count, "找不到导出的链头对应的记录".to_string()))
                }
                _ => {}
            }
        }
    }
    let hash_at = |seq: i64| -> Option<String> {
        conn.query_row("SELECT hash FROM audit_log WHERE seq = ?1", [seq], |r| {
            r.get(0)
        })
        .ok()
    };
    let recorded = anchors::recorded_numbers(conn)?;
    let restores = anchors::restore_marks(conn)?;
    let anchored = anchors::check(anchor_folders, count, &hash_at, &recorded, &restores);
    if problem.is_none() {
        problem = anchored.problem;
    }
    Ok(AuditVerification {
        anchors: anchored.anchors,
        intact: problem.is_none(),
        rows: count,
        broken_at: problem.as_ref().map(|(seq, _)| *seq),
        problem: problem.map(|(_, why)| why),
        head: AuditHead {
            count,
            last_hash: if count == 0 {
                GENESIS.to_string()
            } else {
                prev
            },
            first_at,
            last_at,
        },
    })
}

/// The newest rows first.
/// The newest rows first that match the query's clerk, action and days.
pub fn list(conn: &Connection, query: &AuditQuery, limit: usize) -> Result<Vec<AuditRow>> {
    let from = query.from.as_deref().map(day).transpose()?;
    // `at` is local time as `YYYY-MM-DD HH:MM:SS`, so text order is time order; the last day
    // runs up to the start of the next one.
    let before = query
        .to
        .as_deref()
        .map(day)
        .transpose()?
        .map(|d| d + chrono::Days::new(1));
    let actor = query
        .actor
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| {
            format!(
                "%{}%",
                a.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            )
        });
    let action = query
        .action
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty());
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, target, detail FROM audit_log
         WHERE (?3 IS NULL OR actor LIKE ?3 ESCAPE '\\')
           AND (?4 IS NULL OR action = ?4)
           AND (?5 IS NULL OR at >= ?5)
           AND (?6 IS NULL OR at < ?6)
         ORDER BY seq DESC LIMIT ?1 OFFSET ?2",
    )?;
    let rows = stmt.query_map(
        params![
            limit as i64,
            query.offset as i64,
            actor,
            action,
            from.map(|d| d.format("%Y-%m-%d").to_string()),
            before.map(|d| d.format("%Y-%m-%d").to_string()),
        ],
        |r| {
            Ok(AuditRow {
                seq: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                action: r.get(3)?,
                target: r.get(4)?,
                detail: r.get(5)?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn day(text: &str) -> Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        Error::new(
            ErrorCode::InvalidRequest,
            format!("审计日志的日期「{}」应写作 2026-03-01", text.trim()),
        )
    })
}

/// Reads a head written by `audit export`.
pub fn read_head(path: &std::path::Path) -> Result<AuditHead> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::new(
            ErrorCode::Io,
            format!("无法读取链头文件「{}」：{e}", path.display()),
        )
    })?;
    serde_json::from_str(&text).map_err(|e| {
        Error::new(
            ErrorCode::InvalidRequest,
            format!("「{}」不是审计日志的链头文件：{e}", path.display()),
        )
    })
}
