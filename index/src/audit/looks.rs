//! Looks — a search answered, a record, page, request or timeline viewed, a login — are written
//! to the desk's journal the moment they happen (`store::journal`), so that an import holding the
//! archive's database never keeps the clerk's screen waiting and a killed process loses none.
//! The next act chains them into `audit_log` inside its own transaction, in the order they
//! happened and folded as `collapse` says, before its own row.

use super::collapse::{collapse, Look};
use super::{append_row, Event, Row};
use crate::api::Caller;
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};

/// Where the archive keeps how far it has chained the journal: the journal's own id (a journal
/// made anew starts its numbering again) and the last look chained.
const CHAINED_KEY: &str = "journal_chained";

/// Writes a look to the journal, durably, at once.
pub fn journal(journal: &Connection, caller: &Caller, event: &Event) -> Result<()> {
    let at = event.at.clone().unwrap_or_else(crate::store::now_text);
    journal.execute(
        "INSERT INTO looks (at, actor, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            at,
            super::trail_actor(caller),
            event.action,
            event.target,
            event.detail.to_string()
        ],
    )?;
    Ok(())
}

/// The journal file's identity, made when it is first used. Read without writing when it
/// exists: it is asked twice per imported file, and a write would cost a sync each time.
fn journal_uid(journal: &Connection) -> Result<String> {
    let known = journal
        .query_row("SELECT uid FROM journal_uid", [], |r| r.get::<_, String>(0))
        .optional();
    if let Ok(Some(uid)) = known {
        return Ok(uid);
    }
    journal.execute_batch(
        "CREATE TABLE IF NOT EXISTS journal_uid (uid TEXT NOT NULL);
         INSERT INTO journal_uid (uid) SELECT lower(hex(randomblob(16)))
             WHERE NOT EXISTS (SELECT 1 FROM journal_uid);",
    )?;
    Ok(journal.query_row("SELECT uid FROM journal_uid", [], |r| r.get(0))?)
}

/// How far the archive has chained this journal (0 for a journal it has not chained from).
fn chained_upto(conn: &Connection, uid: &str) -> Result<i64> {
    let chained: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [CHAINED_KEY],
            |r| r.get(0),
        )
        .optional()?;
    Ok(chained
        .as_deref()
        .and_then(|v| v.split_once(' '))
        .filter(|(of, _)| *of == uid)
        .and_then(|(_, upto)| upto.parse::<i64>().ok())
        .unwrap_or(0))
}

/// Chains every look the journal holds into `audit_log`, inside the archive transaction `tx`,
/// and notes how far; once `tx` has committed, `prune` deletes what it chained.
pub fn chain(tx: &Connection, journal: &Connection) -> Result<()> {
    let uid = journal_uid(journal)?;
    let looks = unchained(journal, chained_upto(tx, &uid)?)?;
    let Some(last) = looks.last().map(|l| l.id) else {
        return Ok(());
    };
    for look in collapse(looks) {
        append_row(
            tx,
            &Row {
                at: &look.at,
                actor: &look.actor,
                action: &look.action,
                target: look.target.as_deref(),
                detail: &look.detail.to_string(),
            },
        )?;
    }
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![CHAINED_KEY, format!("{uid} {last}")],
    )?;
    Ok(())
}

fn unchained(journal: &Connection, after: i64) -> Result<Vec<Look>> {
    let mut stmt = journal.prepare_cached(
        "SELECT id, at, actor, action, target, detail FROM looks WHERE id > ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([after], |r| {
        let detail: String = r.get(5)?;
        Ok(Look {
            id: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            target: r.get(4)?,
            detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::Null),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Deletes the looks the archive has chained, as its committed state says (a transaction that
/// chained them and then rolled back leaves them in the journal; a crash after the commit leaves
/// them to be skipped by their ids and deleted next time).
pub fn prune(journal: &Connection, conn: &Connection) -> Result<()> {
    let upto = chained_upto(conn, &journal_uid(journal)?)?;
    if upto > 0 {
        journal.execute("DELETE FROM looks WHERE id <= ?1", [upto])?;
    }
    Ok(())
}

/// How many looks wait to be chained.
pub fn waiting(journal: &Connection) -> Result<i64> {
    Ok(journal.query_row("SELECT COUNT(*) FROM looks", [], |r| r.get(0))?)
}
