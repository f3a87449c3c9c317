//! The catalogue as published to harvesters (`open_records`): one row per document ever
//! published, its Dublin Core record as JSON while it is open, a deleted mark once it is not.
//! Rows are listed in 档号 order, after a given 档号, which is what a resumption token keeps.

use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashMap;

/// `meta`: the change-log position the published catalogue was last brought up to.
pub const PUBLISHED_GENERATION: &str = "open_data_generation";

/// A published row as harvesters see it.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedRow {
    pub ref_key: String,
    pub category: Option<String>,
    pub datestamp: String,
    pub deleted: bool,
    /// None when deleted.
    pub record_json: Option<String>,
}

/// A document as the publisher reads it: the catalogue line, nothing of its rows.
#[derive(Debug, Clone)]
pub struct CatalogueLine {
    pub ref_key: String,
    pub ref_code: String,
    pub category: Option<String>,
    pub title: Option<String>,
    pub creator: Option<String>,
    pub doc_number: Option<String>,
    pub date_key: Option<String>,
    pub year: Option<i64>,
    pub page_count: Option<i64>,
    pub access: String,
}

/// A record to publish (or republish).
pub struct Publication<'a> {
    pub ref_key: &'a str,
    pub category: Option<&'a str>,
    pub datestamp: &'a str,
    pub digest: &'a str,
    pub record_json: &'a str,
    pub search_text: &'a str,
    pub title_text: &'a str,
    pub date_key: Option<&'a str>,
    pub identifier_keys: &'a str,
}

/// What a harvest asks for: a set, a datestamp range (inclusive), after a 档号.
#[derive(Debug, Clone, Default)]
pub struct HarvestRange<'a> {
    pub category: Option<&'a str>,
    pub from: Option<&'a str>,
    pub until: Option<&'a str>,
}

const ROW: &str = "ref_key, category, datestamp, deleted, record_json";

fn published_row(r: &rusqlite::Row) -> rusqlite::Result<PublishedRow> {
    Ok(PublishedRow {
        ref_key: r.get(0)?,
        category: r.get(1)?,
        datestamp: r.get(2)?,
        deleted: r.get::<_, i64>(3)? != 0,
        record_json: r.get(4)?,
    })
}

/// Every catalogue line in force (not superseded), open or not.
pub fn catalogue_lines(conn: &Connection, mut each: impl FnMut(CatalogueLine)) -> Result<()> {
    let mut statement = conn.prepare(
        "SELECT ref_key, ref_code, category, title, creator, doc_number, date_key, year, page_count, access
         FROM documents WHERE superseded_at IS NULL",
    )?;
    let mut rows = statement.query([])?;
    while let Some(r) = rows.next()? {
        each(CatalogueLine {
            ref_key: r.get(0)?,
            ref_code: r.get(1)?,
            category: r.get(2)?,
            title: r.get(3)?,
            creator: r.get(4)?,
            doc_number: r.get(5)?,
            date_key: r.get(6)?,
            year: r.get(7)?,
            page_count: r.get(8)?,
            access: r.get(9)?,
        });
    }
    Ok(())
}

/// The names of every person row in force, folded as names are compared, each once.
pub fn person_names(conn: &Connection) -> Result<Vec<String>> {
    let mut statement =
        conn.prepare("SELECT DISTINCT name_norm FROM entries WHERE superseded_at IS NULL")?;
    let names = statement
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(names)
}

/// What is published now: each 档号's digest (None once deleted).
pub fn digests(conn: &Connection) -> Result<HashMap<String, Option<String>>> {
    let mut statement =
        conn.prepare("SELECT ref_key, CASE WHEN deleted = 0 THEN digest END FROM open_records")?;
    let digests = statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(digests)
}

pub fn publish(conn: &Connection, record: &Publication) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO open_records(ref_key, category, datestamp, deleted, digest, record_json,
                                  search_text, title_text, date_key, identifier_keys)
         VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT(ref_key) DO UPDATE SET
            category = excluded.category, datestamp = excluded.datestamp, deleted = 0,
            digest = excluded.digest, record_json = excluded.record_json,
            search_text = excluded.search_text, title_text = excluded.title_text,
            date_key = excluded.date_key, identifier_keys = excluded.identifier_keys",
    )?
    .execute(params![
        record.ref_key,
        record.category,
        record.datestamp,
        record.digest,
        record.record_json,
        record.search_text,
        record.title_text,
        record.date_key,
        record.identifier_keys,
    ])?;
    Ok(())
}

/// Marks a published record deleted: its header stays, its content goes.
pub fn withdraw(conn: &Connection, ref_key: &str, datestamp: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE open_records SET deleted = 1, datestamp = ?2, digest = NULL, record_json = NULL,
                search_text = NULL, title_text = NULL, date_key = NULL, identifier_keys = NULL
         WHERE ref_key = ?1",
    )?
    .execute(params![ref_key, datestamp])?;
    Ok(())
}

fn range_condition(range: &HarvestRange) -> (String, Vec<String>) {
    let mut condition = String::from("1");
    let mut values = Vec::new();
    for (sql, value) in [
        ("category = ?", range.category),
        ("datestamp >= ?", range.from),
        ("datestamp <= ?", range.until),
    ] {
        if let Some(value) = value {
            condition.push_str(" AND ");
            condition.push_str(sql);
            values.push(value.to_string());
        }
    }
    (condition, values)
}

/// Up to `limit` rows of `range` after the 档号 `after`, in 档号 order.
pub fn harvest(
    conn: &Connection,
    range: &HarvestRange,
    after: Option<&str>,
    limit: usize,
) -> Result<Vec<PublishedRow>> {
    let (mut condition, mut values) = range_condition(range);
    if let Some(after) = after {
        condition.push_str(" AND ref_key > ?");
        values.push(after.to_string());
    }
    let mut statement = conn.prepare(&format!(
        "SELECT {ROW} FROM open_records WHERE {condition} ORDER BY ref_key LIMIT {limit}"
    ))?;
    let rows = statement
        .query_map(rusqlite::params_from_iter(values), published_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// How many rows `range` holds.
pub fn harvest_size(conn: &Connection, range: &HarvestRange) -> Result<usize> {
    let (condition, values) = range_condition(range);
    let count: i64 = conn.query_row(
        &format!("SELECT COUNT(*) FROM open_records WHERE {condition}"),
        rusqlite::params_from_iter(values),
        |r| r.get(0),
    )?;
    Ok(count as usize)
}

pub fn one(conn: &Connection, ref_key: &str) -> Result<Option<PublishedRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {ROW} FROM open_records WHERE ref_key = ?1"),
            [ref_key],
            published_row,
        )
        .optional()?)
}

/// The earliest datestamp published, if anything was.
pub fn earliest(conn: &Connection) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT MIN(datestamp) FROM open_records", [], |r| r.get(0))?)
}

/// The categories ever published, by name.
pub fn categories(conn: &Connection) -> Result<Vec<String>> {
    let mut statement = conn.prepare(
        "SELECT DISTINCT category FROM open_records WHERE category IS NOT NULL ORDER BY category",
    )?;
    let categories = statement
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(categories)
}

/// A search over the records published and not deleted: `condition` is SQL over the columns
/// `search_text`, `title_text`, `date_key` and `identifier_keys` with `?` for each of `values`.
/// Answers how many match, and up to `limit` of them from `offset`, in 档号 order.
pub fn search(
    conn: &Connection,
    condition: &str,
    values: &[String],
    offset: usize,
    limit: usize,
) -> Result<(usize, Vec<PublishedRow>)> {
    let count: i64 = conn.query_row(
        &format!("SELECT COUNT(*) FROM open_records WHERE deleted = 0 AND ({condition})"),
        rusqlite::params_from_iter(values),
        |r| r.get(0),
    )?;
    let mut statement = conn.prepare(&format!(
        "SELECT {ROW} FROM open_records WHERE deleted = 0 AND ({condition})
         ORDER BY ref_key LIMIT {limit} OFFSET {offset}"
    ))?;
    let rows = statement
        .query_map(rusqlite::params_from_iter(values), published_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok((count as usize, rows))
}
