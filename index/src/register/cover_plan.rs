//! 遮盖本人以外的各行: the boxes that cover every row of a page but the requester's, in one step.
//! The rows come from the table's ruled lines (`page_rows`); which band is whose comes from the
//! catalogue: the rows it names for the page (页次/页号), or — when it names no page — its rows in
//! order, filling the pages' tables one after another (each page's first band its header). Only
//! when the page's bands and rows agree (a band per row, or one more for the header) is the
//! requester's row left open and outlined; otherwise every band is covered. It is a suggestion:
//! nothing is saved until the clerk has checked the boxes against the page.

use crate::api::{CoverSuggestRequest, CoverSuggestion, Redaction};
use crate::error::{Error, ErrorCode, Result};
use crate::page_rows::{RowBand, TableRows};
use crate::privacy::RequesterRows;
use crate::text::pages_named;
use rusqlite::{params, Connection, OptionalExtension};

/// A gap kept between a box and the ruled line above and below it (a fraction of the height),
/// so that the table's grid still shows where the rows are.
const INSET: f32 = 0.001;

/// A row of the document in catalogue order: whether it stays uncovered, and the pages it names.
struct CatalogueRow {
    keep: bool,
    pages: Vec<i64>,
}

/// The table of a page of the document, if it has one (None also for a page that cannot be read).
pub type TableOf<'a> = &'a dyn Fn(i64) -> Result<Option<TableRows>>;

pub fn suggest(
    conn: &Connection,
    request: &CoverSuggestRequest,
    table_of: TableOf,
) -> Result<CoverSuggestion> {
    let (document_id, entry_id, pages) = record_of(conn, request)?;
    if !pages.contains(&request.page_no) {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("第 {} 页不在此附件中", request.page_no),
        ));
    }
    let (id_key, _) = super::requester_key(conn, request.request_id)?;
    let requester = RequesterRows {
        confirmed: crate::person::confirmed_for_id(conn, &id_key)?,
        id_key,
    };
    let rows = catalogue_rows(conn, document_id, entry_id, &requester)?;
    let Some(table) = table_of(request.page_no)? else {
        return Ok(CoverSuggestion {
            boxes: Vec::new(),
            own: Vec::new(),
            requester_on_page: on_page(&rows, request.page_no),
            note: "此页没有可识别的表格行线：请手动框选他人的信息".into(),
        });
    };
    // A page no catalogue row names cannot say whose rows it holds.
    let here = rows_here(&rows, request.page_no, table_of)?.filter(|here| !here.is_empty());
    let requester_on_page = here.as_ref().map(|here| here.iter().any(|&keep| keep));
    // Which band is whose only when the table and the catalogue agree: a band per row, or one
    // more for the header. Otherwise every band is covered and nothing is outlined: a guess
    // that shifted by one row would leave someone else's row open.
    let header = match &here {
        Some(here) if table.bands.len() == here.len() + 1 => Some(1),
        Some(here) if table.bands.len() == here.len() => Some(0),
        _ => None,
    };
    let (Some(here), Some(header)) = (&here, header) else {
        let boxes: Vec<Redaction> = table.bands.iter().map(|band| cover(&table, band)).collect();
        let why = match &here {
            None => "无法确定本人在表格的哪一行".to_string(),
            Some(here) => format!(
                "目录列出此页 {} 人，表格识别出 {} 行，对不上",
                here.len(),
                table.bands.len()
            ),
        };
        let note = if requester_on_page == Some(false) {
            "此页没有查档人本人的记录：可以从登记中移除此页，不必整页遮盖".to_string()
        } else {
            format!(
                "{why}：已遮盖表格的全部 {} 行，请去掉本人所在行（及表头）的遮盖后保存",
                boxes.len()
            )
        };
        return Ok(CoverSuggestion {
            boxes,
            own: Vec::new(),
            requester_on_page,
            note,
        });
    };
    let data = &table.bands[header..];
    let boxes: Vec<Redaction> = data
        .iter()
        .zip(here)
        .filter(|(_, &keep)| !keep)
        .map(|(band, _)| cover(&table, band))
        .collect();
    let own: Vec<Redaction> = data
        .iter()
        .zip(here)
        .filter(|(_, &keep)| keep)
        .map(|(band, _)| cover(&table, band))
        .collect();
    let note = if requester_on_page == Some(false) {
        "此页没有查档人本人的记录：可以从登记中移除此页，不必整页遮盖".to_string()
    } else {
        format!(
            "已按表格行线遮盖本人以外的 {} 行，本人所在行以绿框标出：请逐行核对后保存",
            boxes.len()
        )
    };
    Ok(CoverSuggestion {
        boxes,
        own,
        requester_on_page,
        note,
    })
}

/// The attached record's document, row and pages.
pub fn record_of(
    conn: &Connection,
    request: &CoverSuggestRequest,
) -> Result<(i64, Option<i64>, Vec<i64>)> {
    let row: Option<(i64, Option<i64>, String)> = conn
        .query_row(
            "SELECT document_id, entry_id, pages_json FROM request_records WHERE id = ?1 AND request_id = ?2",
            params![request.record_id, request.request_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let (document_id, entry_id, pages) = row.ok_or_else(|| {
        Error::new(
            ErrorCode::NotFound,
            format!(
                "查档登记 {} 没有编号为 {} 的附件",
                request.request_id, request.record_id
            ),
        )
    })?;
    Ok((
        document_id,
        entry_id,
        serde_json::from_str(&pages).unwrap_or_default(),
    ))
}

/// The document's rows in catalogue order; the requester's and the row attached stay uncovered.
fn catalogue_rows(
    conn: &Connection,
    document_id: i64,
    attached_entry: Option<i64>,
    requester: &RequesterRows,
) -> Result<Vec<CatalogueRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, id_key, entry_key, page FROM entries
         WHERE document_id = ?1 AND superseded_at IS NULL ORDER BY source_row, id",
    )?;
    let rows = stmt
        .query_map(params![document_id], |r| {
            let id: i64 = r.get(0)?;
            let id_key: Option<String> = r.get(1)?;
            let entry_key: String = r.get(2)?;
            let page: Option<String> = r.get(3)?;
            Ok(CatalogueRow {
                keep: Some(id) == attached_entry || requester.owns(id_key.as_deref(), &entry_key),
                pages: page.as_deref().map(pages_named).unwrap_or_default(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Whether the catalogue places a kept row on the page (None when it names no row there).
fn on_page(rows: &[CatalogueRow], page_no: i64) -> Option<bool> {
    let named: Vec<&CatalogueRow> = rows.iter().filter(|r| r.pages.contains(&page_no)).collect();
    (!named.is_empty()).then(|| named.iter().any(|r| r.keep))
}

/// The rows on the page, top to bottom (whether each is kept), or None when they cannot be told.
fn rows_here(rows: &[CatalogueRow], page_no: i64, table_of: TableOf) -> Result<Option<Vec<bool>>> {
    if rows.iter().any(|r| !r.pages.is_empty()) {
        return Ok(Some(
            rows.iter()
                .filter(|r| r.pages.contains(&page_no))
                .map(|r| r.keep)
                .collect(),
        ));
    }
    // No page named: the rows fill the tables in order, each page's first band its header.
    let mut start = 0;
    for earlier in 1..page_no {
        match table_of(earlier)? {
            Some(table) => start += table.bands.len().saturating_sub(1),
            None => return Ok(None),
        }
    }
    let Some(table) = table_of(page_no)? else {
        return Ok(None);
    };
    let capacity = table.bands.len().saturating_sub(1);
    Ok(Some(
        rows.iter()
            .skip(start)
            .take(capacity)
            .map(|r| r.keep)
            .collect(),
    ))
}

fn cover(table: &TableRows, band: &RowBand) -> Redaction {
    let round = |v: f32| (v * 10000.0).round() / 10000.0;
    Redaction {
        x: round(table.left),
        y: round(band.top + INSET),
        width: round(table.right - table.left),
        height: round((band.bottom - band.top - 2.0 * INSET).max(0.0)),
    }
}
