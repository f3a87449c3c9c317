//! 作废: a certificate issued by mistake is voided with a reason, never deleted — its number
//! stays used, 核验 says it is void, and statistics count it apart. Only the clerk who issued
//! it or a supervisor may void it.

use super::records::find;
use crate::api::{Caller, CertificateView};
use crate::audit::{self, actor, Event};
use crate::error::{Error, ErrorCode, Result};
use rusqlite::{params, Connection};
use serde_json::json;

pub fn void(
    conn: &Connection,
    caller: &Caller,
    number_or_code: &str,
    reason: &str,
) -> Result<CertificateView> {
    let certificate = find(conn, number_or_code)?.ok_or_else(|| {
        Error::new(
            ErrorCode::NotFound,
            format!("没有编号或核验码为「{}」的证明", number_or_code.trim()),
        )
    })?;
    if let Some(at) = &certificate.voided_at {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("证明 {} 已于 {at} 作废", certificate.number),
        ));
    }
    // By login: a clerk renamed since still voids their own.
    let issuer_login = certificate.issued_by.split('（').next().unwrap_or_default();
    if !caller.is_supervisor() && issuer_login != caller.login {
        return Err(Error::new(
            ErrorCode::Forbidden,
            format!(
                "证明 {} 由 {} 出具：只有出证的工作人员或主管可以作废",
                certificate.number, certificate.issued_by
            ),
        ));
    }
    let reason = reason.trim();
    if reason.chars().count() < 2 {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            "作废证明须说明理由（会记入审计日志）",
        ));
    }
    conn.execute(
        "UPDATE certificates SET voided_at = ?2, voided_by = ?3, void_reason = ?4 WHERE id = ?1",
        params![
            certificate.id,
            crate::store::now_text(),
            actor(caller),
            reason
        ],
    )?;
    audit::append(
        conn,
        caller,
        Event::new(
            "certificate_void",
            Some(certificate.number.clone()),
            json!({ "request": certificate.request_id, "reason": reason }),
        ),
    )?;
    find(conn, &certificate.number)?
        .ok_or_else(|| Error::new(ErrorCode::NotFound, "证明在作废时消失了"))
}
