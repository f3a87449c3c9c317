//! Which scanned pages hold whom: how many people's rows a page of a document holds, by the
//! catalogue's 页次/页号 of each row (`text::pages_named`).

use crate::error::Result;
use crate::text::pages_named;
use rusqlite::{params, Connection};

/// A row a page of a document holds: its ID key (when it carries a valid ID) and its stable
/// entry key (which a clerk's confirmation names).
pub struct RowOnPage {
    pub id_key: Option<String>,
    pub entry_key: String,
}

/// The rows a page of a document holds. When no row of the document says its page, every row
/// may be on any page.
pub fn rows_on_page(conn: &Connection, document_id: i64, page_no: i64) -> Result<Vec<RowOnPage>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id_key, entry_key, page
         FROM entries WHERE document_id = ?1 AND superseded_at IS NULL",
    )?;
    let rows: Vec<(RowOnPage, Option<String>)> = stmt
        .query_map(params![document_id], |r| {
            Ok((
                RowOnPage {
                    id_key: r.get(0)?,
                    entry_key: r.get(1)?,
                },
                r.get(2)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let any_page_known = rows
        .iter()
        .any(|(_, page)| page.as_deref().is_some_and(|p| !pages_named(p).is_empty()));
    Ok(rows
        .into_iter()
        .filter(|(_, page)| {
            !any_page_known
                || page
                    .as_deref()
                    .is_none_or(|p| pages_named(p).is_empty() || pages_named(p).contains(&page_no))
        })
        .map(|(row, _)| row)
        .collect())
}
