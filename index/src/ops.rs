//! The operations the UI calls, by name: JSON in, JSON out, for the clerk at the desk. The
//! HTTP door and the desktop shell both pass their requests through here, so which operation
//! needs a login, and who it is done for, is decided once. Importing differs between the doors
//! (uploads or local paths) and stays with them.

use crate::api::*;
use crate::error::{Error, ErrorCode, Result};
use crate::register::validate::{CHANNELS, PURPOSES};
use crate::session::Session;
use crate::Archive;
use base64::Engine;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Every operation `call` answers; a door may add its own (import_start, upload).
pub const OPERATIONS: &[&str] = &[
    "desk_session",
    "login",
    "logout",
    "create_clerk",
    "clerks",
    "status",
    "search",
    "document",
    "person",
    "decide_person",
    "reindex",
    "open_demo",
    "import_status",
    "reveal",
    "open_restricted",
    "register_request",
    "lookup_requests",
    "lookup_request",
    "attach_record",
    "redact_page",
    "set_request_status",
    "issue_certificate",
    "certificate_pdf",
    "verify_certificate",
    "audit_rows",
    "audit_verify",
    "usage_stats",
    "export_usage",
];

/// Answered before anyone has logged in.
const WITHOUT_LOGIN: &[&str] = &["desk_session", "login", "logout", "status", "create_clerk"];

fn parse<T: DeserializeOwned + Default>(body: &[u8]) -> Result<T> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    parse_required(body)
}

fn parse_required<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    serde_json::from_slice(body)
        .map_err(|e| Error::new(ErrorCode::InvalidRequest, format!("请求格式不对：{e}")))
}

fn answer<T: Serialize>(value: T) -> Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| Error::new(ErrorCode::Io, format!("无法生成回答：{e}")))
}

fn decode_base64(text: &str) -> Result<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|_| Error::new(ErrorCode::InvalidRequest, "所给文件的内容无法读取"))
}

fn encode_base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn require_supervisor(at_desk: &Option<Caller>, what: &str) -> Result<()> {
    match at_desk {
        Some(caller) => caller.require_supervisor(what),
        None => Err(Error::new(ErrorCode::Unauthorized, "请先登录")),
    }
}

fn desk_session(archive: &Archive, caller: &Option<Caller>) -> Result<DeskSession> {
    Ok(DeskSession {
        caller: caller.clone(),
        needs_first_clerk: archive.needs_first_clerk()?,
        purposes: PURPOSES.iter().map(|p| p.to_string()).collect(),
        channels: CHANNELS.iter().map(|c| c.to_string()).collect(),
    })
}

/// Runs operation `op` for the clerk in `at_desk` (None before a login). `login` fills it and
/// `logout` empties it; the door keeps it for the next call.
pub fn call(
    session: &Session,
    at_desk: &mut Option<Caller>,
    op: &str,
    body: &[u8],
) -> Result<serde_json::Value> {
    if !OPERATIONS.contains(&op) {
        return Err(Error::new(
            ErrorCode::NotFound,
            format!("没有名为「{op}」的操作"),
        ));
    }
    if at_desk.is_none() && !WITHOUT_LOGIN.contains(&op) {
        return Err(Error::new(
            ErrorCode::Unauthorized,
            "请先登录：查档、登记和出证都记在登录的工作人员名下",
        ));
    }
    match op {
        // Both change the archive every desk works on.
        "reindex" => {
            require_supervisor(at_desk, "重建检索索引")?;
            return answer(session.reindex()?);
        }
        "open_demo" => {
            require_supervisor(at_desk, "打开演示档案库")?;
            return answer(session.open_demo()?);
        }
        "import_status" => {
            let request: ImportJobRequest = parse_required(body)?;
            return answer(session.import_status(request.job)?);
        }
        _ => {}
    }
    let caller = at_desk.clone();
    let outcome = session.with_archive(|archive| {
        // Before a login the archive acts for nobody in particular; nothing it answers then is
        // recorded under a clerk's name.
        archive.act_as(caller.clone().unwrap_or_else(Caller::local_operator));
        archive_call(archive, &caller, op, body)
    })?;
    match op {
        "login" => {
            *at_desk = Some(
                serde_json::from_value(outcome.clone())
                    .map_err(|e| Error::new(ErrorCode::Io, format!("无法读取登录结果：{e}")))?,
            )
        }
        "logout" => *at_desk = None,
        _ => {}
    }
    Ok(outcome)
}

fn archive_call(
    archive: &mut Archive,
    caller: &Option<Caller>,
    op: &str,
    body: &[u8],
) -> Result<serde_json::Value> {
    match op {
        "desk_session" => answer(desk_session(archive, caller)?),
        "login" => answer(archive.login(&parse_required::<LoginRequest>(body)?)?),
        "logout" => answer(desk_session(archive, &None)?),
        "create_clerk" => {
            // Before a login, only the first account (first run) may be made.
            if caller.is_none() && !archive.needs_first_clerk()? {
                return Err(Error::new(
                    ErrorCode::Unauthorized,
                    "已有工作人员账号，请主管登录后新增",
                ));
            }
            answer(archive.create_clerk(&parse_required::<NewClerk>(body)?)?)
        }
        "clerks" => {
            archive.caller().require_supervisor("查看工作人员账号")?;
            answer(archive.clerks()?)
        }
        "status" => answer(archive.status()?),
        "search" => answer(archive.search_as_caller(&parse::<SearchRequest>(body)?)?),
        "document" => answer(archive.view_document(&parse::<DocumentRequest>(body)?)?),
        "person" => answer(archive.view_person(&parse::<PersonRequest>(body)?)?),
        "decide_person" => answer(archive.decide_in_view(&parse::<PersonDecisionRequest>(body)?)?),
        "reveal" => answer(archive.reveal(&parse::<RevealRequest>(body)?)?),
        "open_restricted" => {
            answer(archive.open_restricted(&parse::<OpenRestrictedRequest>(body)?)?)
        }
        "register_request" => {
            answer(archive.register_request(&parse_required::<NewLookupRequest>(body)?)?)
        }
        "lookup_requests" => answer(archive.lookup_requests(&parse::<RequestQuery>(body)?)?),
        "lookup_request" => answer(archive.lookup_request(parse::<IdRequest>(body)?.id)?),
        "attach_record" => answer(archive.attach_record(&parse::<AttachRequest>(body)?)?),
        "redact_page" => answer(archive.redact_page(&parse::<RedactRequest>(body)?)?),
        "set_request_status" => {
            answer(archive.set_request_status(&parse_required::<RequestStatusChange>(body)?)?)
        }
        "issue_certificate" => answer(archive.issue_certificate(&parse::<IssueRequest>(body)?)?),
        "certificate_pdf" => {
            let request = parse::<CertificateRequest>(body)?;
            let (certificate, pdf) = archive.open_certificate(&request.number_or_code)?;
            answer(CertificatePdf {
                certificate,
                pdf_base64: encode_base64(&pdf),
            })
        }
        "verify_certificate" => {
            let request = parse::<VerifyRequest>(body)?;
            let pdf = request
                .pdf_base64
                .as_deref()
                .map(decode_base64)
                .transpose()?;
            answer(archive.verify_certificate(&request.code, pdf.as_deref())?)
        }
        "audit_rows" => answer(archive.audit_rows(&parse::<AuditQuery>(body)?)?),
        "audit_verify" => {
            let request = parse::<AuditVerifyRequest>(body)?;
            answer(archive.audit_verify(request.head.as_ref())?)
        }
        "usage_stats" => answer(archive.usage_stats(&parse::<UsageRequest>(body)?)?),
        "export_usage" => {
            let (stats, bytes) = archive.usage_workbook(&parse::<UsageRequest>(body)?)?;
            answer(ExportedFile {
                file_name: format!("档案利用统计_{}_{}.xlsx", stats.from, stats.to),
                base64: encode_base64(&bytes),
            })
        }
        other => Err(Error::new(
            ErrorCode::NotFound,
            format!("没有名为「{other}」的操作"),
        )),
    }
}
