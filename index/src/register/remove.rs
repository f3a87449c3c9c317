//! 移除: a record attached to an open request by mistake is taken off it, or one page of it
//! (with that page's boxes and confirmation). Recorded; a delivered request keeps what it had.

use crate::api::{Caller, RemoveAttachedRequest, RequestStatus};
use crate::audit::{self, Event};
use crate::error::{Error, ErrorCode, Result};
use crate::register::covers;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;

pub fn remove(conn: &Connection, caller: &Caller, request: &RemoveAttachedRequest) -> Result<()> {
    let status: Option<String> = conn
        .query_row(
            "SELECT status FROM requests WHERE id = ?1",
            [request.request_id],
            |r| r.get(0),
        )
        .optional()?;
    let status = status.ok_or_else(|| {
        Error::new(
            ErrorCode::NotFound,
            format!("没有编号为 {} 的查档登记", request.request_id),
        )
    })?;
    if !RequestStatus::parse(&status).is_some_and(|s| s.is_open()) {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("查档登记 {} 已办结，不能再移除档案", request.request_id),
        ));
    }
    // A certificate in force cites what the request holds: 核验 reads it from there.
    let certified: Option<String> = conn
        .query_row(
            "SELECT number FROM certificates WHERE request_id = ?1 AND voided_at IS NULL ORDER BY id LIMIT 1",
            [request.request_id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(number) = certified {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!(
                "查档登记 {} 已出具证明 {number}：须先作废该证明，才能移除档案",
                request.request_id
            ),
        ));
    }
    let stored: Option<(String, String, String, String)> = conn
        .query_row(
            "SELECT pages_json, redactions_json, covers_json, json_extract(snapshot_json, '$.ref_code')
             FROM request_records WHERE id = ?1 AND request_id = ?2",
            params![request.record_id, request.request_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((pages, redactions, covered, ref_code)) = stored else {
        return Err(Error::new(
            ErrorCode::NotFound,
            format!(
                "查档登记 {} 没有编号为 {} 的附件",
                request.request_id, request.record_id
            ),
        ));
    };
    match request.page_no {
        None => {
            conn.execute(
                "DELETE FROM request_records WHERE id = ?1",
                [request.record_id],
            )?;
            back_to_registered_when_empty(conn, request.request_id)?;
        }
        Some(page_no) => {
            let mut pages: Vec<i64> = serde_json::from_str(&pages).unwrap_or_default();
            if !pages.contains(&page_no) {
                return Err(Error::new(
                    ErrorCode::InvalidRequest,
                    format!("附件 {ref_code} 中没有第 {page_no} 页"),
                ));
            }
            pages.retain(|p| *p != page_no);
            let mut redactions: Vec<crate::api::PageRedactions> =
                serde_json::from_str(&redactions).unwrap_or_default();
            redactions.retain(|p| p.page_no != page_no);
            let mut covered = covers::read(&covered);
            covered.retain(|c| c.page_no != page_no);
            conn.execute(
                "UPDATE request_records SET pages_json = ?2, redactions_json = ?3, covers_json = ?4,
                     snapshot_json = json_set(snapshot_json, '$.pages', json(?2))
                 WHERE id = ?1",
                params![
                    request.record_id,
                    serde_json::to_string(&pages).unwrap_or_default(),
                    serde_json::to_string(&redactions).unwrap_or_default(),
                    serde_json::to_string(&covered).unwrap_or_default()
                ],
            )?;
        }
    }
    audit::append(
        conn,
        caller,
        Event::new(
            "request_remove",
            Some(format!("request:{}", request.request_id)),
            json!({ "record": request.record_id, "ref_code": ref_code, "page": request.page_no }),
        ),
    )?;
    Ok(())
}

/// A request whose last record was removed has found nothing yet.
fn back_to_registered_when_empty(conn: &Connection, request_id: i64) -> Result<()> {
    conn.execute(
        "UPDATE requests SET status = 'registered', answered_at = NULL
         WHERE id = ?1 AND status = 'found'
           AND NOT EXISTS (SELECT 1 FROM request_records WHERE request_id = ?1)",
        [request_id],
    )?;
    Ok(())
}
