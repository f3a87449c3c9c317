//! One current entry with its document: what a timeline is made of, read straight from SQLite
//! so that whatever a lookup returns is checked against the source of truth.

use super::PersonLookup;
use crate::error::Result;
use rusqlite::{Connection, OptionalExtension, Row};

#[derive(Debug, Clone, Default)]
pub(super) struct Record {
    pub entry_id: i64,
    pub entry_key: String,
    pub document_id: i64,
    pub name: String,
    pub name_norm: String,
    pub gender: Option<String>,
    pub birth_raw: Option<String>,
    pub birth_key: Option<String>,
    pub id_raw: Option<String>,
    /// Canonical key of a valid ID only: an invalid number proves nothing about who it is.
    pub id_key: Option<String>,
    pub work_unit: Option<String>,
    pub work_start_raw: Option<String>,
    pub work_start_key: Option<String>,
    pub retire_raw: Option<String>,
    pub retire_key: Option<String>,
    pub wage_before: Option<String>,
    pub wage_after: Option<String>,
    pub page: Option<String>,
    pub ref_code: String,
    pub category: Option<String>,
    pub title: Option<String>,
    pub date_raw: Option<String>,
    pub date_key: Option<String>,
    pub year: Option<i32>,
    pub access: String,
}

/// Entries and documents that a later import replaced are history, not the person's records.
const CURRENT: &str = "SELECT e.id, e.entry_key, e.document_id, e.name, e.name_norm, e.gender,
        e.birth_raw, e.birth_key, e.id_raw,
        CASE WHEN e.id_status IN ('Valid18', 'Valid15') THEN e.id_key END,
        e.work_unit, e.work_start_raw, e.work_start_key, e.retire_raw, e.retire_key,
        e.wage_before, e.wage_after, e.page,
        d.ref_code, d.category, d.title, d.date_raw, d.date_key, d.year, d.access
    FROM entries e JOIN documents d ON d.id = e.document_id
    WHERE e.superseded_at IS NULL AND d.superseded_at IS NULL";

fn record(r: &Row) -> rusqlite::Result<Record> {
    Ok(Record {
        entry_id: r.get(0)?,
        entry_key: r.get(1)?,
        document_id: r.get(2)?,
        name: r.get(3)?,
        name_norm: r.get(4)?,
        gender: r.get(5)?,
        birth_raw: r.get(6)?,
        birth_key: r.get(7)?,
        id_raw: r.get(8)?,
        id_key: r.get(9)?,
        work_unit: r.get(10)?,
        work_start_raw: r.get(11)?,
        work_start_key: r.get(12)?,
        retire_raw: r.get(13)?,
        retire_key: r.get(14)?,
        wage_before: r.get(15)?,
        wage_after: r.get(16)?,
        page: r.get(17)?,
        ref_code: r.get(18)?,
        category: r.get(19)?,
        title: r.get(20)?,
        date_raw: r.get(21)?,
        date_key: r.get(22)?,
        year: r.get(23)?,
        access: r.get(24)?,
    })
}

/// A current entry by id; None when it does not exist or was replaced.
pub(super) fn by_id(conn: &Connection, entry_id: i64) -> Result<Option<Record>> {
    let sql = format!("{CURRENT} AND e.id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([entry_id], record)
        .optional()?)
}

/// A current entry by its stable key, which is how decisions name it.
pub(super) fn by_entry_key(conn: &Connection, entry_key: &str) -> Result<Option<Record>> {
    let sql = format!("{CURRENT} AND e.entry_key = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([entry_key], record)
        .optional()?)
}

/// The current ones of these entries, in the order given.
fn by_ids(conn: &Connection, ids: &[i64]) -> Result<Vec<Record>> {
    let sql = format!("{CURRENT} AND e.id = ?1");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(r) = stmt.query_row([id], record).optional()? {
            out.push(r);
        }
    }
    Ok(out)
}

/// Current entries with this valid ID key; whatever else the lookup returns is dropped.
pub(super) fn with_id(
    conn: &Connection,
    lookup: &dyn PersonLookup,
    id_key: &str,
) -> Result<Vec<Record>> {
    let mut found = by_ids(conn, &lookup.entries_by_id_key(id_key)?)?;
    found.retain(|r| r.id_key.as_deref() == Some(id_key));
    Ok(found)
}

/// Current entries under this normalized name; whatever else the lookup returns is dropped.
pub(super) fn with_name(
    conn: &Connection,
    lookup: &dyn PersonLookup,
    name_norm: &str,
) -> Result<Vec<Record>> {
    let mut found = by_ids(conn, &lookup.entries_by_name(name_norm)?)?;
    found.retain(|r| r.name_norm == name_norm);
    Ok(found)
}

impl Record {
    /// The birth date that identifies the person: the ID's for a valid ID (the written one may
    /// be a clerk's slip), else as written.
    pub fn birth(&self) -> Option<String> {
        match self.id_key.as_deref().and_then(crate::text::birth_date_of) {
            Some((y, m, d)) => Some(format!("{y:04}-{m:02}-{d:02}")),
            None => self.birth_key.clone(),
        }
    }

    /// The document's date, or its year when that is all there is.
    pub fn date(&self) -> Option<String> {
        self.date_key
            .clone()
            .or_else(|| self.year.map(|y| format!("{y:04}")))
    }

    /// Timeline order: by date (a bare year sorts before the months of that year), then year,
    /// then 档号; undated records last.
    pub fn order(&self) -> (bool, Option<String>, Option<i32>, &str, i64) {
        let date = self.date();
        (
            date.is_none(),
            date,
            self.year,
            &self.ref_code,
            self.entry_id,
        )
    }
}
