//! Issuing a certificate from a request: the next number of the year at this desk (such as
//! 〔2026〕A第0001号, so two counter PCs never collide), a verification code, the PDF made from
//! the request's attached records as they were shown, and its audit row — all in one durable
//! transaction, so a crash leaves no number used twice and no half-issued certificate.

use super::draft::{draft, Draft, Issuing};
use super::pdf::{render_certificate, CertificateContent};
use super::records::{view_row, VIEW_COLUMNS};
use crate::api::{Caller, CertificateView};
use crate::audit::{self, actor, Event};
use crate::error::{Error, ErrorCode, Result};
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

/// A certificate drawn before its number is taken, so that its PDF — the slow part — can be
/// rendered without holding the archive: searches at other desks never wait on it. It carries
/// the number it expects; `issue` uses it only if that number, the day and the content are
/// still exactly so, and draws again inside its transaction otherwise.
pub struct DrawnAhead {
    content: CertificateContent,
    pages: i64,
    fingerprint: String,
    year: i32,
    desk: String,
    seq: i64,
}

/// `DrawnAhead` with its PDF.
pub struct Rendered {
    ahead: DrawnAhead,
    pdf: Vec<u8>,
}

/// Draws request `request_id`'s certificate under the number it would get now (a read: nothing
/// is taken or recorded). Refused for the reasons `issue` refuses, so that nothing is rendered
/// for a certificate that cannot be issued.
pub fn draw_ahead(
    conn: &Connection,
    caller: &Caller,
    request_id: i64,
    issuing: &Issuing,
    confirmed: Option<&str>,
) -> Result<DrawnAhead> {
    let Draft {
        mut content,
        blockers,
        pages,
        fingerprint,
    } = draft(conn, caller, request_id, issuing)?;
    if let Some(first) = blockers.into_iter().next() {
        return Err(first.into_error());
    }
    if confirmed.is_some_and(|c| c != fingerprint) {
        return Err(changed_since_preview(request_id));
    }
    use chrono::Datelike;
    let year = issuing.today.year();
    let seq = crate::store::certificate_numbers::next_seq(conn, year as i64, &issuing.desk)?;
    content.number = number_text(year, &issuing.desk, seq);
    content.verify_code = new_verify_code();
    content.audit_position = audit_position(conn)?;
    Ok(DrawnAhead {
        content,
        pages,
        fingerprint,
        year,
        desk: issuing.desk.clone(),
        seq,
    })
}

impl DrawnAhead {
    /// The same number and the same content (the code and the audit position aside).
    fn same_certificate(&self, other: &DrawnAhead) -> bool {
        self.year == other.year
            && self.desk == other.desk
            && self.seq == other.seq
            && self.fingerprint == other.fingerprint
    }

    /// Renders the PDF; needs no store, so it runs with the archive free.
    pub fn render(self) -> Result<Rendered> {
        let pdf = render_certificate(&self.content)?;
        if pdf.len() > MAX_CERTIFICATE_BYTES {
            return Err(too_large(self.pages));
        }
        Ok(Rendered { ahead: self, pdf })
    }
}

impl Rendered {
    pub fn pdf(&self) -> &[u8] {
        &self.pdf
    }
}

/// Issues request `request_id`'s certificate. With `confirmed` (the fingerprint of the preview
/// the clerk confirmed), only if it would still be exactly that certificate. With `rendered`
/// (drawn ahead outside the transaction), its PDF is used when it still holds; the audit
/// position it prints is then the trail's last entry when it was drawn.
pub fn issue(
    conn: &Connection,
    caller: &Caller,
    request_id: i64,
    issuing: &Issuing,
    confirmed: Option<&str>,
    rendered: Option<Rendered>,
) -> Result<CertificateView> {
    let fresh = draw_ahead(conn, caller, request_id, issuing, confirmed)?;
    // Another certificate took the number, or the request changed, while it was drawn: it is
    // drawn again here.
    let Rendered { ahead, pdf } = match rendered.filter(|r| r.ahead.same_certificate(&fresh)) {
        Some(rendered) => rendered,
        None => fresh.render()?,
    };
    let DrawnAhead {
        content,
        pages: pages_copied,
        year,
        seq,
        ..
    } = ahead;
    let number = content.number.clone();
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
            content.verify_code,
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
                "records": content.records.iter().map(|r| r.ref_code.clone()).collect::<Vec<_>>(),
                "pages": pages_copied,
                "requester_id": content.requester_id_masked,
                "pdf_sha256": sha,
                "audit_position": content.audit_position,
            }),
        ),
    )?;
    Ok(conn.query_row(
        &format!("SELECT {VIEW_COLUMNS} FROM certificates WHERE id = ?1"),
        [id],
        view_row,
    )?)
}

/// The trail's last entry, printed on the certificate so that it can be placed in the trail.
fn audit_position(conn: &Connection) -> Result<String> {
    Ok(conn
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
        )
        .optional()?
        .map(|(seq, hash)| format!("第 {seq} 条·{}", &hash[..12.min(hash.len())]))
        .unwrap_or_else(|| "第 0 条".to_string()))
}

fn changed_since_preview(request_id: i64) -> Error {
    Error::new(
        ErrorCode::InvalidRequest,
        format!("查档登记 {request_id} 在预览之后有了变动：请重新预览后再确认出具"),
    )
}

/// A certificate larger than the door takes back for verification.
pub fn too_large(pages: i64) -> Error {
    Error::new(
        ErrorCode::InvalidRequest,
        format!(
            "证明文件将超过 {} MB（{pages} 页扫描件）：请分成几份出具",
            MAX_CERTIFICATE_BYTES >> 20
        ),
    )
}
