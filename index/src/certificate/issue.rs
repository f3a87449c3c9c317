//! Issuing a certificate from a request: the next number of the year at this desk (such as
//! 〔2026〕A第0001号, so two counter PCs never collide), a verification code, the PDF made from
//! the request's attached records as they were shown, and its audit row — all in one durable
//! transaction, so a crash leaves no number used twice and no half-issued certificate.

use super::pdf::{
    render_certificate, CertificateContent, CertifiedPage, CertifiedRecord, RedactionBox,
};
use super::records::{view_row, VIEW_COLUMNS};
use crate::api::{Caller, CertificateView, Relationship, RequestStatus};
use crate::audit::{self, actor, Event};
use crate::error::{Error, ErrorCode, Result};
use crate::privacy::is_restricted;
use crate::register;
use rand::Rng;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;
use sha2::{Digest, Sha256};

/// The desk's code in certificate numbers, kept in the archive's settings.
pub const DESK_CODE_KEY: &str = "desk_code";
pub const DEFAULT_DESK_CODE: &str = "A";

/// The largest certificate issued (the HTTP door takes one this large back for verification):
/// about 200 scanned pages.
pub const MAX_CERTIFICATE_BYTES: usize = 64 << 20;

/// Letters and digits that cannot be misread for each other when typed from paper.
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

pub fn new_verify_code() -> String {
    let mut rng = rand::rngs::OsRng;
    let chars: Vec<char> = (0..12)
        .map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

pub fn number_text(year: i32, desk: &str, seq: i64) -> String {
    format!("〔{year}〕{desk}第{seq:04}号")
}

/// Everything a certificate needs besides the store: the archive's name, this desk's code,
/// today, and a way to read the scanned pages.
pub struct Issuing<'a> {
    pub archive_name: String,
    pub desk: String,
    pub today: chrono::NaiveDate,
    pub read_page: &'a dyn Fn(i64, i64) -> Result<Vec<u8>>,
}

pub fn issue(
    conn: &Connection,
    caller: &Caller,
    request_id: i64,
    issuing: &Issuing,
) -> Result<CertificateView> {
    let request = register::get(conn, request_id)?;
    if !request.status.is_open() {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!(
                "查档登记 {request_id} 已{}，不能再出具证明",
                if request.status == RequestStatus::Delivered {
                    "交付"
                } else {
                    "标为未查到"
                }
            ),
        ));
    }
    if request.records.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("查档登记 {request_id} 还没有添加档案，无法出具证明"),
        ));
    }
    if let Some(closed) = request.records.iter().find(|r| is_restricted(&r.access)) {
        if !caller.is_supervisor() {
            return Err(Error::new(
                ErrorCode::Forbidden,
                format!(
                    "档号 {} 不是开放档案，出具证明须经主管批准：请主管登录后出证",
                    closed.ref_code
                ),
            ));
        }
    }
    if !request.uncovered.is_empty() {
        let pages: Vec<String> = request
            .uncovered
            .iter()
            .map(|p| format!("{} 第 {} 页", p.ref_code, p.page_no))
            .collect();
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!(
                "以下扫描页上有他人的信息，尚未遮盖并确认「已遮盖他人信息」：{}",
                pages.join("、")
            ),
        ));
    }
    use chrono::Datelike;
    let year = issuing.today.year();
    let audit_position = conn
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
        )
        .optional()?
        .map(|(seq, hash)| format!("第 {seq} 条·{}", &hash[..12.min(hash.len())]))
        .unwrap_or_else(|| "第 0 条".to_string());
    let seq: i64 = conn.query_row(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM certificates WHERE year = ?1 AND desk = ?2",
        params![year, issuing.desk],
        |r| r.get(0),
    )?;
    let number = number_text(year, &issuing.desk, seq);
    let verify_code = new_verify_code();
    let mut records = Vec::new();
    let mut pages_copied = 0;
    for record in &request.records {
        let mut pages = Vec::new();
        for &page_no in &record.pages {
            let image = (issuing.read_page)(record.document_id, page_no)?;
            let redactions = record
                .redactions
                .iter()
                .filter(|p| p.page_no == page_no)
                .flat_map(|p| p.boxes.iter())
                .map(|b| RedactionBox {
                    x: b.x,
                    y: b.y,
                    width: b.width,
                    height: b.height,
                })
                .collect();
            pages.push(CertifiedPage {
                page_no: page_no as u32,
                image,
                redactions,
            });
            pages_copied += 1;
        }
        records.push(CertifiedRecord {
            ref_code: record.ref_code.clone(),
            title: record.title.clone().unwrap_or_default(),
            date: record.date.clone().unwrap_or_default(),
            doc_number: record.doc_number.clone(),
            row: record.row.clone(),
            pages,
        });
    }
    let relationship = match request.relationship {
        Relationship::Oneself => Relationship::Oneself.label().to_string(),
        Relationship::Proxy => format!(
            "委托代理（代理人：{}）",
            request.proxy_name.clone().unwrap_or_default()
        ),
        Relationship::Unit => format!("单位：{}", request.unit_name.clone().unwrap_or_default()),
    };
    let content = CertificateContent {
        archive_name: issuing.archive_name.clone(),
        title: "档案证明".into(),
        number: number.clone(),
        verify_code: verify_code.clone(),
        issued_on: issuing.today.format("%Y年%-m月%-d日").to_string(),
        audit_position: audit_position.clone(),
        clerk: caller.display_name.clone(),
        requester: request.requester_name.clone(),
        requester_id_masked: request.requester_id_masked.clone(),
        relationship,
        purpose: match &request.purpose_note {
            Some(note) => format!("{}（{note}）", request.purpose),
            None => request.purpose.clone(),
        },
        records,
    };
    let pdf = render_certificate(&content)?;
    if pdf.len() > MAX_CERTIFICATE_BYTES {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!(
                "证明文件将超过 {} MB（{} 页扫描件）：请分成几份出具",
                MAX_CERTIFICATE_BYTES >> 20,
                pages_copied
            ),
        ));
    }
    let sha = hex::encode(Sha256::digest(&pdf));
    let now = crate::store::now_text();
    conn.execute(
        "INSERT INTO certificates (request_id, year, desk, seq, number, verify_code, pdf, pdf_sha256, pages, issued_at, issued_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            request_id,
            year,
            issuing.desk,
            seq,
            number,
            verify_code,
            pdf,
            sha,
            pages_copied,
            now,
            actor(caller)
        ],
    )?;
    let id = conn.last_insert_rowid();
    audit::append(
        conn,
        caller,
        Event::new(
            "certificate",
            Some(format!("request:{request_id}")),
            json!({
                "number": number,
                "records": request.records.iter().map(|r| r.ref_code.clone()).collect::<Vec<_>>(),
                "pages": pages_copied,
                "requester_id": request.requester_id_masked,
                "pdf_sha256": sha,
                "audit_position": audit_position,
            }),
        ),
    )?;
    Ok(conn.query_row(
        &format!("SELECT {VIEW_COLUMNS} FROM certificates WHERE id = ?1"),
        [id],
        view_row,
    )?)
}
