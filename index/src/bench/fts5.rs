//! The baseline a home-grown tool would reach for: the catalogue rows in an SQLite FTS5 table
//! with the trigram tokenizer, searched with MATCH for needles of three characters or more and
//! LIKE for shorter ones (trigrams cannot match them). Given the benefit of the doubt: short
//! needles are looked for in the one column they belong to, not the whole row.

use rusqlite::Connection;

use super::queries::BenchQuery;
use crate::error::Result;

/// Hits shown per query, as in ArchiveDesk.
const PAGE: usize = 20;

/// Runs one query the way the baseline would (a count for the total, then one page of rows)
/// and says whether the target row is on that page.
pub fn run_query(conn: &Connection, q: &BenchQuery) -> Result<(usize, bool)> {
    let mut conditions = Vec::new();
    let mut params: Vec<String> = Vec::new();
    let long: Vec<String> = q
        .needles
        .iter()
        .filter(|n| n.chars().count() >= 3)
        .map(|n| format!("\"{}\"", n.replace('"', "\"\"")))
        .collect();
    if !long.is_empty() {
        conditions.push("rows MATCH ?".to_string());
        params.push(long.join(" "));
    }
    for short in q.needles.iter().filter(|n| n.chars().count() < 3) {
        conditions.push(format!("c{} LIKE ?", q.like_column));
        params.push(format!("%{short}%"));
    }
    let filter = conditions.join(" AND ");
    let count: i64 = conn.query_row(
        &format!("SELECT count(*) FROM rows WHERE {filter}"),
        rusqlite::params_from_iter(params.iter()),
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c0, c3 FROM rows WHERE {filter} LIMIT {PAGE}"
    ))?;
    let mut found = false;
    let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
    while let Some(r) = rows.next()? {
        let (ref_code, name): (String, String) = (r.get(0)?, r.get(1)?);
        found |= q.target_ref.as_deref() == Some(ref_code.as_str())
            && q.target_name
                .as_deref()
                .is_none_or(|n| n.is_empty() || n == name);
    }
    Ok((count as usize, found))
}
