//! Checking a certificate someone holds against the register: its code (or number) must name a
//! certificate issued here and not voided, and a PDF, when given, must be byte for byte the one
//! issued.

use super::records::{find, pdf_of};
use crate::api::VerifyResult;
use crate::error::Result;
use crate::register;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

pub fn verify(conn: &Connection, code: &str, pdf: Option<&[u8]>) -> Result<VerifyResult> {
    let Some(certificate) = find(conn, code)? else {
        let normalized = super::records::normalize_code(code);
        if let Some(received) = crate::store::cross::received_by_code(conn, &normalized)? {
            return received_from_elsewhere(conn, received, pdf);
        }
        return Ok(VerifyResult {
            valid: false,
            reason: Some(format!(
                "登记簿中没有核验码或编号为「{}」的证明",
                code.trim()
            )),
            certificate: None,
            requester_name: None,
            records: Vec::new(),
            pdf_matches: None,
            issued_elsewhere: None,
        });
    };
    let request = register::get(conn, certificate.request_id)?;
    let pdf_matches = pdf.map(|bytes| hex::encode(Sha256::digest(bytes)) == certificate.pdf_sha256);
    // The stored copy must itself still be the one issued.
    let stored_intact =
        hex::encode(Sha256::digest(pdf_of(conn, certificate.id)?)) == certificate.pdf_sha256;
    let reason = if let Some(at) = &certificate.voided_at {
        Some(format!(
            "此证明已作废（{}，{}）：{}",
            at.get(..16).unwrap_or(at),
            certificate.voided_by.as_deref().unwrap_or_default(),
            certificate.void_reason.as_deref().unwrap_or_default()
        ))
    } else if !stored_intact {
        Some("登记簿中保存的证明文件与出具时的校验值不符".to_string())
    } else if pdf_matches == Some(false) {
        Some("所给文件与登记簿中出具的证明不一致：文件被改动或不是这份证明".to_string())
    } else {
        None
    };
    Ok(VerifyResult {
        valid: reason.is_none(),
        reason,
        requester_name: Some(request.requester_name),
        records: request.records.into_iter().map(|r| r.ref_code).collect(),
        certificate: Some(certificate),
        pdf_matches,
        issued_elsewhere: None,
    })
}

/// A certificate another archive issued for a 跨馆 request of this one's: it stands if the PDF
/// kept here is the one received, and a PDF given is that one too.
fn received_from_elsewhere(
    conn: &Connection,
    (archive, certificate, kept): (String, crate::api::CertificateView, Vec<u8>),
    pdf: Option<&[u8]>,
) -> Result<VerifyResult> {
    let request = register::get(conn, certificate.request_id)?;
    let pdf_matches = pdf.map(|bytes| hex::encode(Sha256::digest(bytes)) == certificate.pdf_sha256);
    let reason = if let Some(at) = &certificate.voided_at {
        Some(format!(
            "此证明已由{archive}作废（{}）：{}",
            at.get(..16).unwrap_or(at),
            certificate.void_reason.as_deref().unwrap_or_default()
        ))
    } else if hex::encode(Sha256::digest(&kept)) != certificate.pdf_sha256 {
        Some("本馆保存的证明文件与收到时的校验值不符".to_string())
    } else if pdf_matches == Some(false) {
        Some(format!(
            "所给文件与本馆从{archive}收到的证明不一致：文件被改动或不是这份证明"
        ))
    } else {
        None
    };
    Ok(VerifyResult {
        valid: reason.is_none(),
        reason,
        requester_name: Some(request.requester_name),
        records: Vec::new(),
        certificate: Some(certificate),
        pdf_matches,
        issued_elsewhere: Some(archive),
    })
}
