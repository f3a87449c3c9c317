//! The certificate shown before it is issued: the same pages as the one that will be issued,
//! marked 预览 where the number and the code will stand, with what still stands in the way.

use super::draft::{draft, Issuing};
use super::issue::{too_large, MAX_CERTIFICATE_BYTES};
use super::pdf::render_certificate;
use crate::api::{Caller, CertificatePreview};
use crate::error::{ErrorCode, Result};
use base64::Engine;
use rusqlite::Connection;

pub fn preview(
    conn: &Connection,
    caller: &Caller,
    request_id: i64,
    issuing: &Issuing,
) -> Result<CertificatePreview> {
    let mut draft = draft(conn, caller, request_id, issuing)?;
    // A clerk sees no restricted record in a preview either: the blockers say who may issue it.
    if draft
        .blockers
        .iter()
        .any(|b| b.code == ErrorCode::Forbidden)
    {
        return Ok(CertificatePreview {
            request_id,
            pdf_base64: String::new(),
            pages: draft.pages,
            blockers: draft.blockers.into_iter().map(|b| b.message).collect(),
            fingerprint: draft.fingerprint,
        });
    }
    draft.content.title = "档案证明（预览，不作证明使用）".into();
    draft.content.number = "预览".into();
    draft.content.verify_code = "预览".into();
    let pdf = render_certificate(&draft.content)?;
    let mut blockers: Vec<String> = draft.blockers.into_iter().map(|b| b.message).collect();
    if pdf.len() > MAX_CERTIFICATE_BYTES {
        blockers.push(too_large(draft.pages).message);
    }
    Ok(CertificatePreview {
        request_id,
        pdf_base64: base64::engine::general_purpose::STANDARD.encode(&pdf),
        pages: draft.pages,
        blockers,
        fingerprint: draft.fingerprint,
    })
}
