//! Other people's rows on a page that goes into a certificate. A page of a document that holds
//! anyone's rows besides the requester's cannot be certified until it has redaction boxes and the
//! clerk has confirmed 已遮盖他人信息 for it — or a supervisor overrides, with a reason. Both are
//! recorded; drawing the page's boxes again withdraws them.

use super::pages::rows_on_page;
use crate::api::{AttachedRecord, Caller, CoverRequest, PageCover, UncoveredPage};
use crate::audit::{self, actor, Event};
use crate::error::{Error, ErrorCode, Result};
use crate::privacy::RequesterRows;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;

/// The pages of `record` that hold someone else's rows: rows that are not the requester's by
/// their ID, nor confirmed as theirs by a clerk.
pub fn pages_with_others(
    conn: &Connection,
    record: &AttachedRecord,
    requester: &RequesterRows,
) -> Result<Vec<i64>> {
    let mut out = Vec::new();
    for &page in &record.pages {
        let rows = rows_on_page(conn, record.document_id, page)?;
        // A page whose people the catalogue does not list may hold anyone's rows.
        if rows.is_empty()
            || rows
                .iter()
                .any(|r| !requester.owns(r.id_key.as_deref(), &r.entry_key))
        {
            out.push(page);
        }
    }
    Ok(out)
}

/// The pages of the request still to be covered and confirmed before it can be certified.
pub fn uncovered(records: &[AttachedRecord]) -> Vec<UncoveredPage> {
    let mut out = Vec::new();
    for record in records {
        for &page in &record.pages_with_others {
            if record.covers.iter().any(|c| c.page_no == page) {
                continue;
            }
            let boxes = record
                .redactions
                .iter()
                .filter(|r| r.page_no == page)
                .map(|r| r.boxes.len())
                .sum();
            out.push(UncoveredPage {
                record_id: record.id,
                ref_code: record.ref_code.clone(),
                page_no: page,
                boxes,
            });
        }
    }
    out
}

pub fn read(covers_json: &str) -> Vec<PageCover> {
    serde_json::from_str(covers_json).unwrap_or_default()
}

/// The clerk confirms a page is covered (it must have boxes), or a supervisor overrides with a
/// reason; recorded.
pub fn confirm(conn: &Connection, caller: &Caller, request: &CoverRequest) -> Result<()> {
    let stored: Option<(String, String, String)> = conn
        .query_row(
            "SELECT pages_json, redactions_json, covers_json FROM request_records
             WHERE id = ?1 AND request_id = ?2",
            params![request.record_id, request.request_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((pages, redactions, covers)) = stored else {
        return Err(Error::new(
            ErrorCode::NotFound,
            format!(
                "查档登记 {} 没有编号为 {} 的附件",
                request.request_id, request.record_id
            ),
        ));
    };
    let pages: Vec<i64> = serde_json::from_str(&pages).unwrap_or_default();
    if !pages.contains(&request.page_no) {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("附件中没有第 {} 页", request.page_no),
        ));
    }
    let reason = request
        .override_reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if let Some(reason) = reason {
        caller.require_supervisor("不遮盖他人信息而出证")?;
        if reason.chars().count() < 2 {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                "不遮盖而出证须说明理由（会记入审计日志）",
            ));
        }
    } else {
        let redactions: Vec<crate::api::PageRedactions> =
            serde_json::from_str(&redactions).unwrap_or_default();
        let boxed = redactions
            .iter()
            .any(|p| p.page_no == request.page_no && !p.boxes.is_empty());
        if !boxed {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                format!(
                    "第 {} 页还没有遮盖框：请先遮盖他人的信息，再确认已遮盖",
                    request.page_no
                ),
            ));
        }
    }
    let mut covers = read(&covers);
    covers.retain(|c| c.page_no != request.page_no);
    covers.push(PageCover {
        page_no: request.page_no,
        by: actor(caller),
        at: crate::store::now_text(),
        override_reason: reason.map(str::to_string),
    });
    covers.sort_by_key(|c| c.page_no);
    conn.execute(
        "UPDATE request_records SET covers_json = ?2 WHERE id = ?1",
        params![
            request.record_id,
            serde_json::to_string(&covers).unwrap_or_default()
        ],
    )?;
    let (action, detail) = match reason {
        Some(reason) => (
            "cover_override",
            json!({ "record": request.record_id, "page": request.page_no, "reason": reason }),
        ),
        None => (
            "cover_confirmed",
            json!({ "record": request.record_id, "page": request.page_no }),
        ),
    };
    audit::append(
        conn,
        caller,
        Event::new(
            action,
            Some(format!("request:{}", request.request_id)),
            detail,
        ),
    )?;
    Ok(())
}

/// Boxes drawn again on a page withdraw its confirmation: it covered other boxes.
pub fn withdraw(conn: &Connection, record_id: i64, page_no: i64) -> Result<()> {
    let covers: String = conn.query_row(
        "SELECT covers_json FROM request_records WHERE id = ?1",
        [record_id],
        |r| r.get(0),
    )?;
    let mut covers = read(&covers);
    covers.retain(|c| c.page_no != page_no);
    conn.execute(
        "UPDATE request_records SET covers_json = ?2 WHERE id = ?1",
        params![
            record_id,
            serde_json::to_string(&covers).unwrap_or_default()
        ],
    )?;
    Ok(())
}
