//! Issued certificates as the register and the verification desk read them.

use crate::api::CertificateView;
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};

/// A code as typed: any case, with or without dashes and spaces.
pub fn normalize_code(typed: &str) -> String {
    let compact: String = crate::text::fold_width(typed)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    compact
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

pub(super) fn view_row(r: &rusqlite::Row) -> rusqlite::Result<CertificateView> {
    Ok(CertificateView {
        id: r.get(0)?,
        request_id: r.get(1)?,
        number: r.get(2)?,
        verify_code: r.get(3)?,
        issued_at: r.get(4)?,
        issued_by: r.get(5)?,
        pages: r.get(6)?,
        pdf_bytes: r.get(7)?,
        pdf_sha256: r.get(8)?,
        voided_at: r.get(9)?,
        voided_by: r.get(10)?,
        void_reason: r.get(11)?,
    })
}

pub(super) const VIEW_COLUMNS: &str = "id, request_id, number, verify_code, issued_at, issued_by,
    pages, length(pdf), pdf_sha256, voided_at, voided_by, void_reason";

pub fn of_request(conn: &Connection, request_id: i64) -> Result<Vec<CertificateView>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {VIEW_COLUMNS} FROM certificates WHERE request_id = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([request_id], view_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A certificate by its number or its verification code.
pub fn find(conn: &Connection, number_or_code: &str) -> Result<Option<CertificateView>> {
    let code = normalize_code(number_or_code);
    Ok(conn
        .query_row(
            &format!(
                "SELECT {VIEW_COLUMNS} FROM certificates WHERE number = ?1 OR verify_code = ?2"
            ),
            params![number_or_code.trim(), code],
            view_row,
        )
        .optional()?)
}

pub fn pdf_of(conn: &Connection, id: i64) -> Result<Vec<u8>> {
    Ok(
        conn.query_row("SELECT pdf FROM certificates WHERE id = ?1", [id], |r| {
            r.get(0)
        })?,
    )
}
