//! Clerks' decisions about who a record belongs to, stored by stable keys so that they outlive
//! the entry ids a re-import may change.

use crate::error::{Error, ErrorCode, Result};
use rusqlite::{params, Connection};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Action {
    Confirm,
    Split,
    Add,
}

impl Action {
    pub fn parse(s: &str) -> Result<Action> {
        match s.trim() {
            "confirm" => Ok(Action::Confirm),
            "split" => Ok(Action::Split),
            "add" => Ok(Action::Add),
            other => Err(Error::new(
                ErrorCode::InvalidRequest,
                format!(
                    "不认识的操作「{other}」：只能是 confirm（确认）、split（拆分）或 add（加入）"
                ),
            )),
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Action::Confirm => "confirm",
            Action::Split => "split",
            Action::Add => "add",
        }
    }
}

/// The decisions about one person, by entry key.
pub(super) fn for_person(conn: &Connection, person_key: &str) -> Result<HashMap<String, Action>> {
    let mut stmt = conn
        .prepare_cached("SELECT entry_key, action FROM person_decisions WHERE person_key = ?1")?;
    let rows = stmt.query_map([person_key], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = HashMap::new();
    for row in rows {
        let (entry_key, action) = row?;
        out.insert(entry_key, Action::parse(&action)?);
    }
    Ok(out)
}

/// The latest decision about a record and a person replaces any earlier one.
pub(super) fn save(
    conn: &Connection,
    entry_key: &str,
    person_key: &str,
    action: Action,
) -> Result<()> {
    conn.execute(
        "INSERT INTO person_decisions(entry_key, person_key, action, decided_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(entry_key, person_key) DO UPDATE SET action = excluded.action, decided_at = excluded.decided_at",
        params![entry_key, person_key, action.as_str(), crate::store::now_text()],
    )?;
    Ok(())
}
