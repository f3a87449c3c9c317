//! Which scanned pages hold whom: how many people's rows a page of a document holds, by the
//! catalogue's 页次/页号 of each row (`text::pages_named`).

use crate::error::Result;
use crate::text::pages_named;
use rusqlite::{params, Connection};

/// The people whose rows a page of a document holds, as identity keys (the ID key, or name and
/// birth). When no row of the document says its page, every row may be on any page.
pub fn people_on_page(conn: &Connection, document_id: i64, page_no: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT COALESCE(id_key, name_norm || '|' || COALESCE(birth_key, '')), page
         FROM entries WHERE document_id = ?1 AND superseded_at IS NULL",
    )?;
    let rows: Vec<(String, Option<String>)> = stmt
        .query_map(params![document_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let any_page_known = rows
        .iter()
        .any(|(_, page)| page.as_deref().is_some_and(|p| !pages_named(p).is_empty()));
    let mut people: Vec<String> = rows
        .into_iter()
        .filter(|(_, page)| {
            !any_page_known
                || page
                    .as_deref()
                    .is_none_or(|p| pages_named(p).is_empty() || pages_named(p).contains(&page_no))
        })
        .map(|(who, _)| who)
        .collect();
    people.sort_unstable();
    people.dedup();
    Ok(people)
}
