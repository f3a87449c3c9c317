//! The certificate a request would give now, before a number is taken: its content, what still
//! stands before issuing it, and a fingerprint of exactly that content. The clerk confirms a
//! preview; issuing refuses when the fingerprint it is given no longer names what it would issue
//! (a record attached, removed or covered since, another clerk at the desk).

use super::pdf::{CertificateContent, CertifiedPage, CertifiedRecord, RedactionBox};
use crate::api::{Caller, LookupRequestView, Relationship, RequestStatus};
use crate::error::{Error, ErrorCode, Result};
use crate::privacy::{certificate_row, is_restricted, mask_id_numbers};
use crate::register;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

/// Everything a certificate needs besides the store: the archive's name, this desk's code,
/// today, and a way to read the scanned pages.
pub struct Issuing<'a> {
    pub archive_name: String,
    pub desk: String,
    pub today: chrono::NaiveDate,
    pub read_page: &'a dyn Fn(i64, i64) -> Result<Vec<u8>>,
}

pub struct Draft {
    /// Number, code and audit position are placeholders until it is issued.
    pub content: CertificateContent,
    pub blockers: Vec<Blocker>,
    pub pages: i64,
    pub fingerprint: String,
}

/// Something to do before issuing: what to tell the clerk, and the error it is when issuing
/// is tried anyway.
pub struct Blocker {
    pub code: ErrorCode,
    pub message: String,
}

impl Blocker {
    pub fn into_error(self) -> Error {
        Error::new(self.code, self.message)
    }
}

/// The draft of request `request_id`'s certificate. A request that is closed or has nothing
/// attached has none (an error); anything else that stands in the way is a blocker.
pub fn draft(
    conn: &Connection,
    caller: &Caller,
    request_id: i64,
    issuing: &Issuing,
) -> Result<Draft> {
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
    let blockers = blockers(caller, &request);
    let mut records = Vec::new();
    let mut pages = 0;
    for record in &request.records {
        let mut certified = Vec::new();
        for &page_no in &record.pages {
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
            certified.push(CertifiedPage {
                page_no: page_no as u32,
                image: (issuing.read_page)(record.document_id, page_no)?,
                redactions,
            });
            pages += 1;
        }
        let mut row = record.row.clone();
        certificate_row(&mut row);
        records.push(CertifiedRecord {
            ref_code: record.ref_code.clone(),
            title: mask_id_numbers(record.title.as_deref().unwrap_or_default()),
            date: record.date.clone().unwrap_or_default(),
            doc_number: record.doc_number.clone(),
            row,
            pages: certified,
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
        number: "（出具时编号）".into(),
        verify_code: "（出具时生成）".into(),
        issued_on: issuing.today.format("%Y年%-m月%-d日").to_string(),
        audit_position: "（出具时记入）".into(),
        clerk: caller.display_name.clone(),
        requester: request.requester_name.clone(),
        requester_label: request.relationship.subject_label().into(),
        requester_id_masked: request.requester_id_masked.clone(),
        relationship,
        purpose: match &request.purpose_note {
            Some(note) => format!("{}（{note}）", request.purpose),
            None => request.purpose.clone(),
        },
        records,
    };
    let fingerprint = fingerprint(&content);
    Ok(Draft {
        content,
        blockers,
        pages,
        fingerprint,
    })
}

/// What must be done before the request can be certified, said to the clerk.
fn blockers(caller: &Caller, request: &LookupRequestView) -> Vec<Blocker> {
    let mut out = Vec::new();
    if !caller.is_supervisor() {
        for closed in request.records.iter().filter(|r| is_restricted(&r.access)) {
            out.push(Blocker {
                code: ErrorCode::Forbidden,
                message: format!(
                    "档号 {} 不是开放档案，出具证明须经主管批准：请主管登录后出证",
                    closed.ref_code
                ),
            });
        }
    }
    if !request.uncovered.is_empty() {
        let pages: Vec<String> = request
            .uncovered
            .iter()
            .map(|p| format!("{} 第 {} 页", p.ref_code, p.page_no))
            .collect();
        out.push(Blocker {
            code: ErrorCode::InvalidRequest,
            message: format!(
                "以下扫描页上有他人的信息，尚未遮盖并确认「已遮盖他人信息」：{}",
                pages.join("、")
            ),
        });
    }
    out
}

/// A hash of everything the certificate shows but its number, code, day and audit position.
fn fingerprint(content: &CertificateContent) -> String {
    let mut hash = Sha256::new();
    let mut text = |value: &str| {
        hash.update((value.len() as u64).to_le_bytes());
        hash.update(value.as_bytes());
    };
    for value in [
        &content.archive_name,
        &content.title,
        &content.clerk,
        &content.requester,
        &content.requester_id_masked,
        &content.relationship,
        &content.purpose,
    ] {
        text(value);
    }
    for record in &content.records {
        text(&record.ref_code);
        text(&record.title);
        text(&record.date);
        text(record.doc_number.as_deref().unwrap_or("\u{0}"));
        for (header, value) in &record.row {
            text(header);
            text(value);
        }
        for page in &record.pages {
            text(&page.page_no.to_string());
            text(&hex::encode(Sha256::digest(&page.image)));
            for b in &page.redactions {
                text(&format!("{} {} {} {}", b.x, b.y, b.width, b.height));
            }
        }
        text("\u{1}");
    }
    hex::encode(hash.finalize())
}
