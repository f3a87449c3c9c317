//! The lookup register (查档登记): who asked, with what proof, for what purpose, what was found
//! and handed over. Every change is made inside the caller's durable transaction together with
//! its audit row (see `Archive`).

pub mod cover_plan;
pub mod covers;
pub mod cross_view;
pub mod pages;
pub mod proofs;
pub mod remove;
pub mod snapshot;
pub mod validate;

use crate::api::{
    AttachRequest, AttachedRecord, Caller, LookupRequestView, NewLookupRequest, PageRedactions,
    RedactRequest, Relationship, RequestList, RequestQuery, RequestStatus, RequestStatusChange,
    RequestSummary,
};
use crate::audit::{self, actor, Event};
use crate::error::{Error, ErrorCode, Result};
use crate::text::{mask_id, parse_id_number};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;

fn trimmed(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

pub fn register(conn: &Connection, caller: &Caller, new: &NewLookupRequest) -> Result<i64> {
    let checked = validate::check(new)?;
    let now = crate::store::now_text();
    conn.execute(
        "INSERT INTO requests (registered_at, registered_by, requester_name, requester_id_raw, requester_id_key,
             requester_phone, relationship, proxy_name, proxy_id_raw, proxy_id_key, proxy_phone, unit_name,
             purpose, purpose_note, channel, sought, status, delivery)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, 'registered', ?17)",
        params![
            now,
            actor(caller),
            new.requester_name.trim(),
            checked.requester_id.raw.trim(),
            checked.requester_id.key,
            trimmed(&new.requester_phone),
            new.relationship.key(),
            trimmed(&new.proxy_name),
            checked.proxy_id.as_ref().map(|p| p.raw.trim().to_string()),
            checked.proxy_id.as_ref().map(|p| p.key.clone()),
            trimmed(&new.proxy_phone),
            trimmed(&new.unit_name),
            new.purpose.trim(),
            trimmed(&new.purpose_note),
            new.channel.trim(),
            new.sought.trim(),
            delivery(new),
        ],
    )?;
    let id = conn.last_insert_rowid();
    audit::append(
        conn,
        caller,
        Event::new(
            "register",
            Some(format!("request:{id}")),
            json!({
                "requester": new.requester_name.trim(),
                "requester_id": mask_id(&checked.requester_id.key),
                "purpose": new.purpose.trim(),
                "channel": new.channel.trim(),
            }),
        ),
    )?;
    Ok(id)
}

/// Kept for 代查代送 only: another channel has nowhere to send the result.
fn delivery(new: &NewLookupRequest) -> Option<String> {
    (new.channel.trim() == validate::PROXY_DELIVERY_CHANNEL)
        .then(|| trimmed(&new.delivery))
        .flatten()
}

fn status_of(key: &str) -> RequestStatus {
    RequestStatus::parse(key).unwrap_or(RequestStatus::Registered)
}

/// The request with its attached records and certificates.
pub fn get(conn: &Connection, id: i64) -> Result<LookupRequestView> {
    let mut view = conn
        .query_row(
            "SELECT id, registered_at, registered_by, requester_name, requester_id_key, requester_phone, relationship,
                    proxy_name, proxy_id_key, proxy_phone, unit_name, purpose, purpose_note, channel, sought, status,
                    outcome, answered_at, closed_at, delivery
             FROM requests WHERE id = ?1",
            [id],
            |r| {
                Ok(LookupRequestView {
                    id: r.get(0)?,
                    registered_at: r.get(1)?,
                    registered_by: r.get(2)?,
                    requester_name: r.get(3)?,
                    requester_id_masked: mask_id(&r.get::<_, String>(4)?),
                    requester_phone: r.get(5)?,
                    relationship: Relationship::parse(&r.get::<_, String>(6)?)
                        .unwrap_or(Relationship::Oneself),
                    proxy_name: r.get(7)?,
                    proxy_id_masked: r.get::<_, Option<String>>(8)?.map(|k| mask_id(&k)),
                    proxy_phone: r.get(9)?,
                    unit_name: r.get(10)?,
                    purpose: r.get(11)?,
                    purpose_note: r.get(12)?,
                    channel: r.get(13)?,
                    delivery: r.get(19)?,
                    sought: r.get(14)?,
                    status: status_of(&r.get::<_, String>(15)?),
                    outcome: r.get(16)?,
                    answered_at: r.get(17)?,
                    closed_at: r.get(18)?,
                    records: Vec::new(),
                    certificates: Vec::new(),
                    uncovered: Vec::new(),
                    proofs: Vec::new(),
                    cross_sent: Vec::new(),
                    cross_received: None,
                })
            },
        )
        .optional()?
        .ok_or_else(|| Error::new(ErrorCode::NotFound, format!("没有编号为 {id} 的查档登记")))?;
    view.records = records(conn, id)?;
    view.proofs = crate::store::proofs::of_request(conn, id)?;
    cross_view::fill(conn, &mut view)?;
    let (requester_key, _) = requester_key(conn, id)?;
    let requester = crate::privacy::RequesterRows {
        confirmed: crate::person::confirmed_for_id(conn, &requester_key)?,
        id_key: requester_key,
    };
    for record in &mut view.records {
        record.pages_with_others = covers::pages_with_others(conn, record, &requester)?;
    }
    view.uncovered = covers::uncovered(&view.records);
    if !view.status.is_open() {
        // The requester's own values were shown in full only while the request was open.
        for record in &mut view.records {
            crate::privacy::mask_row(&mut record.row);
        }
    }
    view.certificates = crate::certificate::records::of_request(conn, id)?;
    Ok(view)
}

pub fn records(conn: &Connection, request_id: i64) -> Result<Vec<AttachedRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, snapshot_json, redactions_json, covers_json FROM request_records
         WHERE request_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([request_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, snapshot, redactions, covered) = row?;
        let mut record: AttachedRecord = serde_json::from_str(&snapshot).map_err(|e| {
            Error::new(
                ErrorCode::Database,
                format!("查档登记 {request_id} 的附件 {id} 已损坏：{e}"),
            )
        })?;
        record.id = id;
        record.redactions = serde_json::from_str(&redactions).unwrap_or_default();
        record.covers = covers::read(&covered);
        out.push(record);
    }
    Ok(out)
}

pub(crate) fn requester_key(conn: &Connection, request_id: i64) -> Result<(String, RequestStatus)> {
    conn.query_row(
        "SELECT requester_id_key, status FROM requests WHERE id = ?1",
        [request_id],
        |r| Ok((r.get(0)?, status_of(&r.get::<_, String>(1)?))),
    )
    .optional()?
    .ok_or_else(|| {
        Error::new(
            ErrorCode::NotFound,
            format!("没有编号为 {request_id} 的查档登记"),
        )
    })
}

/// Attaches a record found for the request, keeping a copy of it as shown; the request is then
/// found (if it was only registered).
pub fn attach(conn: &Connection, caller: &Caller, request: &AttachRequest) -> Result<i64> {
    let (key, status) = requester_key(conn, request.request_id)?;
    if status == RequestStatus::Delivered {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("查档登记 {} 已交付，不能再添加档案", request.request_id),
        ));
    }
    let document_id = match (request.entry_id, request.document_id) {
        (Some(entry), _) => conn
            .query_row(
                "SELECT document_id FROM entries WHERE id = ?1",
                [entry],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| Error::new(ErrorCode::NotFound, format!("没有编号为 {entry} 的条目")))?,
        (None, Some(doc)) => doc,
        (None, None) => {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                "请指明要添加的条目或案卷",
            ))
        }
    };
    let doc = crate::store::read::document(conn, document_id)?;
    if crate::privacy::is_restricted(&doc.access) {
        // What is attached is shown with the request: a restricted record's rows are for a
        // supervisor, as in the record view.
        caller.require_supervisor(&format!("添加控制使用或不开放的档案（{}）", doc.ref_code))?;
    }
    // Pages a certificate can copy: images. A page scanned as PDF is shown in the viewer but
    // cannot be drawn into the certificate.
    let copyable: Vec<i64> = doc
        .pages
        .iter()
        .filter(|p| p.media == "image")
        .map(|p| p.page_no)
        .collect();
    let pages = if request.catalogue_only {
        Vec::new()
    } else if request.pages.is_empty() {
        default_pages(conn, &doc, request.entry_id, &copyable)?
    } else {
        for page in &request.pages {
            match doc.pages.iter().find(|p| p.page_no == *page) {
                None => {
                    return Err(Error::new(
                        ErrorCode::InvalidRequest,
                        format!("档号 {} 没有第 {page} 页的扫描件", doc.ref_code),
                    ))
                }
                Some(p) if p.media != "image" => {
                    return Err(Error::new(
                        ErrorCode::InvalidRequest,
                        format!(
                            "档号 {} 第 {page} 页是PDF扫描件，不能复制进证明；请选用图片扫描的页",
                            doc.ref_code
                        ),
                    ))
                }
                Some(_) => {}
            }
        }
        request.pages.clone()
    };
    let full = match request.entry_id {
        Some(entry) => Some(snapshot::full_values(conn, entry)?),
        None => None,
    };
    let entry =
        match request.entry_id {
            Some(id) => Some(doc.entries.iter().find(|e| e.id == id).ok_or_else(|| {
                Error::new(ErrorCode::NotFound, format!("没有编号为 {id} 的条目"))
            })?),
            None => None,
        };
    let now = crate::store::now_text();
    let by = actor(caller);
    let requester = crate::privacy::RequesterRows {
        confirmed: crate::person::confirmed_for_id(conn, &key)?,
        id_key: key,
    };
    let record = snapshot::attached(&doc, entry.zip(full.as_ref()), &requester, pages, &now, &by);
    conn.execute(
        "INSERT INTO request_records (request_id, document_id, entry_id, pages_json, snapshot_json, attached_at, attached_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            request.request_id,
            document_id,
            request.entry_id,
            serde_json::to_string(&record.pages).unwrap_or_default(),
            serde_json::to_string(&record).unwrap_or_default(),
            now,
            by
        ],
    )?;
    let record_id = conn.last_insert_rowid();
    if status == RequestStatus::Registered || status == RequestStatus::NotFound {
        // Found after all: no longer closed as not found.
        conn.execute(
            "UPDATE requests SET status = 'found', answered_at = COALESCE(answered_at, ?2), closed_at = NULL
             WHERE id = ?1",
            params![request.request_id, now],
        )?;
    }
    audit::append(
        conn,
        caller,
        Event::new(
            "attach",
            Some(format!("request:{}", request.request_id)),
            json!({
                "ref_code": doc.ref_code,
                "entry_id": request.entry_id,
                "pages": record.pages,
                "own_record": record.own_record,
            }),
        ),
    )?;
    Ok(record_id)
}

/// The pages attached when the clerk ticked none: those the row's catalogue page names; for a
/// document attached without a row, all of them when it holds one person's rows. Never
/// every page of a table of many people: the requester would be handed their colleagues' rows.
fn default_pages(
    conn: &Connection,
    doc: &crate::api::DocumentView,
    entry_id: Option<i64>,
    copyable: &[i64],
) -> Result<Vec<i64>> {
    let named = match entry_id {
        Some(id) => doc
            .entries
            .iter()
            .find(|e| e.id == id)
            .and_then(|e| e.page.as_deref())
            .map(crate::text::pages_named)
            .unwrap_or_default(),
        None => {
            let people: i64 = conn.query_row(
                "SELECT COUNT(DISTINCT COALESCE(id_key, name_norm || '|' || COALESCE(birth_key, '')))
                 FROM entries WHERE document_id = ?1 AND superseded_at IS NULL",
                [doc.id],
                |r| r.get(0),
            )?;
            // One person's record (an approval) gives all its pages; a table of many, or a
            // volume whose people the catalogue does not list, none.
            return Ok(if people == 1 {
                copyable.to_vec()
            } else {
                Vec::new()
            });
        }
    };
    Ok(named.into_iter().filter(|p| copyable.contains(p)).collect())
}

/// Replaces the redaction boxes of one page of an attached record.
pub fn redact(conn: &Connection, caller: &Caller, request: &RedactRequest) -> Result<()> {
    let stored: Option<(String, String)> = conn
        .query_row(
            "SELECT pages_json, redactions_json FROM request_records WHERE id = ?1 AND request_id = ?2",
            params![request.record_id, request.request_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((pages, redactions)) = stored else {
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
    for b in &request.boxes {
        let inside = |v: f32| (0.0..=1.0).contains(&v);
        if !(inside(b.x) && inside(b.y) && b.width > 0.0 && b.height > 0.0)
            || b.x + b.width > 1.0001
            || b.y + b.height > 1.0001
        {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                "遮盖框超出了页面范围",
            ));
        }
    }
    let mut all: Vec<PageRedactions> = serde_json::from_str(&redactions).unwrap_or_default();
    all.retain(|p| p.page_no != request.page_no);
    if !request.boxes.is_empty() {
        all.push(PageRedactions {
            page_no: request.page_no,
            boxes: request.boxes.clone(),
        });
    }
    all.sort_by_key(|p| p.page_no);
    conn.execute(
        "UPDATE request_records SET redactions_json = ?2 WHERE id = ?1",
        params![
            request.record_id,
            serde_json::to_string(&all).unwrap_or_default()
        ],
    )?;
    covers::withdraw(conn, request.record_id, request.page_no)?;
    audit::append(
        conn,
        caller,
        Event::new(
            "redact",
            Some(format!("request:{}", request.request_id)),
            json!({ "record": request.record_id, "page": request.page_no, "boxes": request.boxes.len() }),
        ),
    )?;
    Ok(())
}

/// Moves a request on: found / not found / delivered, with the outcome (利用效果).
pub fn set_status(conn: &Connection, caller: &Caller, change: &RequestStatusChange) -> Result<()> {
    let (_, current) = requester_key(conn, change.request_id)?;
    let attached: i64 = conn.query_row(
        "SELECT COUNT(*) FROM request_records WHERE request_id = ?1",
        [change.request_id],
        |r| r.get(0),
    )?;
    let refuse = |why: &str| {
        Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("查档登记 {}：{why}", change.request_id),
        ))
    };
    // registered → found (records attached) or not found → delivered.
    match change.status {
        _ if current == RequestStatus::Delivered && change.status != RequestStatus::Delivered => {
            return refuse("已交付，不能改回");
        }
        RequestStatus::Registered if current != RequestStatus::Registered => {
            return refuse("已答复，不能改回已登记");
        }
        RequestStatus::Found if attached == 0 => {
            return refuse("还没有添加查到的档案");
        }
        RequestStatus::NotFound if attached > 0 => {
            return refuse("已添加了查到的档案，不能标为未查到");
        }
        RequestStatus::Delivered if current == RequestStatus::Registered => {
            return refuse("请先添加查到的档案，或标为未查到");
        }
        _ => {}
    }
    let now = crate::store::now_text();
    let answered = change.status != RequestStatus::Registered;
    let closed = matches!(
        change.status,
        RequestStatus::Delivered | RequestStatus::NotFound
    );
    conn.execute(
        "UPDATE requests SET status = ?2, outcome = COALESCE(?3, outcome),
             answered_at = CASE WHEN ?4 THEN COALESCE(answered_at, ?6) ELSE answered_at END,
             closed_at = CASE WHEN ?5 THEN COALESCE(closed_at, ?6) ELSE NULL END
         WHERE id = ?1",
        params![
            change.request_id,
            change.status.key(),
            trimmed(&change.outcome),
            answered,
            closed,
            now
        ],
    )?;
    audit::append(
        conn,
        caller,
        Event::new(
            "request_status",
            Some(format!("request:{}", change.request_id)),
            json!({ "status": change.status.key(), "outcome": trimmed(&change.outcome) }),
        ),
    )?;
    Ok(())
}

/// The register, newest first, searchable by requester (name, ID in any form, phone), date
/// and status.
pub fn list(conn: &Connection, query: &RequestQuery) -> Result<RequestList> {
    for (day, field) in [(&query.from, "起始日期"), (&query.to, "截止日期")] {
        if let Some(day) = day.as_deref() {
            if chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").is_err() {
                return Err(Error::new(
                    ErrorCode::InvalidRequest,
                    format!("{field}「{day}」不是日期（应为 2026-01-31 这样的格式）"),
                ));
            }
        }
    }
    let text = query.text.trim();
    // ID numbers and phones match only whole (an ID by its normalized key): a part of one would
    // let a clerk recover a masked number digit by digit.
    let id_key = parse_id_number(text)
        .filter(|id| id.status.is_valid())
        .map(|id| id.key);
    let phone: String = crate::text::fold_width(text)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let like = format!("%{text}%");
    let filter =
        "(?1 = '' OR requester_name LIKE ?2 OR replace(replace(requester_phone, ' ', ''), '-', '') = ?7
                   OR requester_id_key = ?3 OR proxy_id_key = ?3 OR proxy_name LIKE ?2)
              AND (?4 IS NULL OR substr(registered_at, 1, 10) >= ?4)
              AND (?5 IS NULL OR substr(registered_at, 1, 10) <= ?5)
              AND (?6 IS NULL OR status = ?6)";
    let status = query.status.map(|s| s.key());
    let args = params![text, like, id_key, query.from, query.to, status, phone];
    let total: i64 = conn.query_row(
        &format!("SELECT COUNT(*) FROM requests WHERE {filter}"),
        args,
        |r| r.get(0),
    )?;
    let limit = query.limit.unwrap_or(50).min(500) as i64;
    let mut stmt = conn.prepare(&format!(
        "SELECT id, registered_at, requester_name, requester_id_key, purpose, channel, status,
                (SELECT COUNT(*) FROM request_records rr WHERE rr.request_id = requests.id),
                (SELECT COUNT(*) FROM certificates c WHERE c.request_id = requests.id)
         FROM requests WHERE {filter} ORDER BY id DESC LIMIT {limit} OFFSET {}",
        query.offset
    ))?;
    let rows = stmt.query_map(args, |r| {
        Ok(RequestSummary {
            id: r.get(0)?,
            registered_at: r.get(1)?,
            requester_name: r.get(2)?,
            requester_id_masked: mask_id(&r.get::<_, String>(3)?),
            purpose: r.get(4)?,
            channel: r.get(5)?,
            status: status_of(&r.get::<_, String>(6)?),
            records: r.get(7)?,
            certificates: r.get(8)?,
        })
    })?;
    Ok(RequestList {
        total,
        requests: rows.collect::<rusqlite::Result<_>>()?,
    })
}
