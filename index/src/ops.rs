//! The operations the UI calls, by name: JSON in, JSON out, for the clerk at the desk. The
//! HTTP door and the desktop shell both pass their requests through here, so which operation
//! needs a login, and who it is done for, is decided once. Importing differs between the doors
//! (uploads or local paths) and stays with them.

use crate::api::*;
use crate::error::{Error, ErrorCode, Result};
use crate::logins::AtDesk;
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
    "change_password",
    "create_clerk",
    "clerks",
    "change_clerk",
    "clear_login_delay",
    "desk_settings",
    "set_desk_settings",
    "backup_status",
    "backup_now",
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
    "suggest_cover",
    "confirm_covered",
    "set_request_status",
    "preview_certificate",
    "issue_certificate",
    "void_certificate",
    "remove_attached",
    "certificate_pdf",
    "verify_certificate",
    "audit_rows",
    "audit_verify",
    "usage_stats",
    "export_usage",
    "peers",
    "peer_add",
    "peer_remove",
    "peer_list_preview",
    "peer_list_import",
    "peer_ask",
    "peer_ask_status",
    "proof_add",
    "proof_view",
    "proof_remove",
    "cross_send",
    "cross_inbox",
    "cross_accept",
    "cross_return",
    "cross_certificate",
    "work_calendar",
    "set_work_calendar",
    "page_words",
    "page_rows",
    "confirm_page_row",
    "page_reading_status",
    "page_reading_pause",
];

/// Operations that change which archive or data every desk works on, or its settings: done at the
/// LAN host itself, never from a desk.
pub const AT_THE_HOST_ONLY: &[&str] = &[
    "reindex",
    "open_demo",
    "backup_now",
    "set_desk_settings",
    // Which other archives are trusted is decided at the host.
    "peer_add",
    "peer_remove",
    "peer_list_import",
    // The calendar the deadlines are counted on is the archive's.
    "set_work_calendar",
    // The host's own processor reads the pages.
    "page_reading_pause",
];

/// The reading's progress as a clerk sees it: its problem names the host's folders (where the
/// models were looked for), so a LAN desk is told there is one, and where to look.
fn reading_as_seen_by(caller: &Caller, mut status: PageReadingStatus) -> PageReadingStatus {
    if caller.desk.is_some() && status.problem.is_some() {
        status.problem = Some("主机上的扫描页识别暂时无法进行，详情请在主机上查看".into());
    }
    status
}

/// Answered before anyone has logged in.
const WITHOUT_LOGIN: &[&str] = &["desk_session", "login", "logout", "create_clerk"];

/// Answered for a clerk who must change a reset password first.
const BEFORE_PASSWORD_CHANGE: &[&str] = &["desk_session", "logout", "change_password"];

/// What a door keeps between requests of one browser or app window: the login's token (the
/// engine resolves it to a clerk on every request) and where the requests come from (failed
/// logins are slowed per address).
#[derive(Debug, Clone, Default)]
pub struct DoorLogin {
    pub token: Option<String>,
    pub address: String,
    /// The LAN desk the requests come from (its desk code, from the desk's key); None at the
    /// host itself and on one PC.
    pub desk: Option<String>,
    /// The request's retry key: an act asked again under it is not done twice
    /// (`Archive::retry_key`).
    pub retry_key: Option<String>,
}

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

fn login_required() -> Error {
    Error::new(
        ErrorCode::Unauthorized,
        "请先登录：查档、登记和出证都记在登录的工作人员名下",
    )
}

fn desk_session(archive: &Archive, at_desk: Option<&AtDesk>) -> Result<DeskSession> {
    let stats = archive.stats()?;
    Ok(DeskSession {
        caller: at_desk.map(|a| a.caller.clone()),
        needs_first_clerk: archive.needs_first_clerk()?,
        archive_name: stats.archive_name,
        demo: stats.demo,
        must_change_password: at_desk.is_some_and(|a| a.must_change_password),
        idle_minutes: archive.desk_settings()?.idle_minutes.unwrap_or_default(),
        purposes: PURPOSES.iter().map(|p| p.to_string()).collect(),
        channels: CHANNELS.iter().map(|c| c.to_string()).collect(),
    })
}

/// The clerk at the desk now: the login resolved afresh (a login that ended is forgotten by the
/// door too), or None when nobody is logged in.
fn resolve(session: &Session, door: &mut DoorLogin) -> Result<Option<AtDesk>> {
    let Some(token) = door.token.clone() else {
        return Ok(None);
    };
    match session.at_desk(&token) {
        Ok(mut at) => {
            at.caller.desk = door.desk.clone();
            Ok(Some(at))
        }
        Err(e) if e.code == ErrorCode::Unauthorized => {
            door.token = None;
            Err(e)
        }
        Err(e) => Err(e),
    }
}

/// The clerk a door's login names now (for the door's own operations: imports, pages).
/// A clerk who must change a reset password does nothing else first, at any door.
pub fn caller_at(session: &Session, door: &mut DoorLogin) -> Result<Caller> {
    let at = resolve(session, door)?.ok_or_else(login_required)?;
    if at.must_change_password {
        return Err(password_change_first());
    }
    Ok(at.caller)
}

fn password_change_first() -> Error {
    Error::new(
        ErrorCode::Forbidden,
        "主管重设了您的密码：请先修改密码再继续",
    )
}

/// Runs operation `op` for the clerk logged in at `door`. `login` fills its token and `logout`
/// empties it; the door keeps it for the next call. An error's message is masked like every
/// text a clerk sees: it may quote what was typed or stored.
pub fn call(
    session: &Session,
    door: &mut DoorLogin,
    op: &str,
    body: &[u8],
) -> Result<serde_json::Value> {
    call_for_the_desk(session, door, op, body).map_err(|mut e| {
        e.message = crate::privacy::mask_text(&e.message);
        e
    })
}

fn call_for_the_desk(
    session: &Session,
    door: &mut DoorLogin,
    op: &str,
    body: &[u8],
) -> Result<serde_json::Value> {
    if !OPERATIONS.contains(&op) {
        return Err(Error::new(
            ErrorCode::NotFound,
            format!("没有名为「{op}」的操作"),
        ));
    }
    if door.desk.is_some() && AT_THE_HOST_ONLY.contains(&op) {
        return Err(Error::new(
            ErrorCode::Forbidden,
            "这项操作只能在档案库主机上进行，柜台不能进行",
        ));
    }
    match op {
        "login" => {
            let request: LoginRequest = parse_required(body)?;
            if let Some(old) = door.token.take() {
                session.logout(&old, door.desk.as_deref())?;
            }
            let (mut caller, token) = session.login(&request, &door.address)?;
            door.token = Some(token);
            // At a LAN desk the clerk is at that desk from the first answer on.
            caller.desk = door.desk.clone();
            return answer(caller);
        }
        "logout" => {
            if let Some(token) = door.token.take() {
                session.logout(&token, door.desk.as_deref())?;
            }
            return answer(session.with_archive(|archive| desk_session(archive, None))?);
        }
        "desk_session" => {
            // An ended login is simply nobody at the desk here.
            let at = resolve(session, door).unwrap_or(None);
            return answer(session.with_archive(|archive| desk_session(archive, at.as_ref()))?);
        }
        _ => {}
    }
    // An act asked again under its retry key is answered with what was done, even when the
    // login was lost with a host restart (`Archive::done_before`).
    if let Some(key) = door.retry_key.as_deref() {
        if crate::archive::RETRIED_OPS.contains(&op) {
            let desk = door.desk.clone();
            if let Some(done) = session
                .with_archive(|archive| archive.done_before(key, desk.as_deref(), op, body))?
            {
                return Ok(done);
            }
        }
    }
    let at_desk = match resolve(session, door)? {
        Some(at) => Some(at),
        None if WITHOUT_LOGIN.contains(&op) => None,
        None => return Err(login_required()),
    };
    if at_desk.as_ref().is_some_and(|a| a.must_change_password)
        && !BEFORE_PASSWORD_CHANGE.contains(&op)
    {
        return Err(password_change_first());
    }
    let caller = at_desk.as_ref().map(|a| a.caller.clone());
    match op {
        // Both change the archive every desk works on.
        "reindex" => {
            require_supervisor(&caller, "重建检索索引")?;
            return answer(session.reindex()?);
        }
        "open_demo" => {
            require_supervisor(&caller, "打开演示档案库")?;
            return answer(session.open_demo()?);
        }
        // Only into the folder set in 设置, with its passphrase: a caller of a door never
        // chooses where the archive's data is written. The copy runs with the archive free.
        "backup_now" => {
            let caller = caller.clone().ok_or_else(login_required)?;
            caller.require_supervisor("备份档案库")?;
            return answer(session.backup_now(&caller)?);
        }
        // Its PDF is rendered with the archive free (`Session::issue_certificate`).
        "issue_certificate" => {
            let caller = caller.clone().ok_or_else(login_required)?;
            let request = parse::<IssueRequest>(body)?;
            let retry = door.retry_key.as_deref().map(|key| (key, body));
            return answer(session.issue_certificate(&caller, retry, &request)?);
        }
        // The peers are asked without holding the archive (`Session::ask_peers`).
        "peer_ask" => {
            let caller = caller.clone().ok_or_else(login_required)?;
            return answer(session.ask_peers(&caller, &parse_required::<PeerAskRequest>(body)?)?);
        }
        "peer_ask_status" => {
            let caller = caller.clone().ok_or_else(login_required)?;
            let asked: PeerAskStatusRequest = parse_required(body)?;
            return answer(session.peer_ask_status(&caller, asked.ask_id)?);
        }
        "page_reading_status" => {
            let caller = caller.as_ref().ok_or_else(login_required)?;
            return answer(reading_as_seen_by(caller, session.page_reading_status()?));
        }
        "page_reading_pause" => {
            caller.as_ref().ok_or_else(login_required)?;
            let request: PageReadingPause = parse_required(body)?;
            return answer(session.pause_page_reading(request.paused)?);
        }
        "import_status" => {
            let request: ImportJobRequest = parse_required(body)?;
            let caller = caller.ok_or_else(login_required)?;
            return answer(session.import_status(request.job, &caller)?);
        }
        "change_password" => {
            let change: PasswordChange = parse_required(body)?;
            let token = door.token.clone().ok_or_else(login_required)?;
            door.token = Some(session.change_password(
                &token,
                &change,
                &door.address,
                door.desk.as_deref(),
            )?);
            let at = resolve(session, door)?;
            return answer(session.with_archive(|archive| desk_session(archive, at.as_ref()))?);
        }
        _ => {}
    }
    session.with_archive(|archive| {
        // Before a login the archive acts for nobody in particular; nothing it answers then is
        // recorded under a clerk's name.
        archive.act_as(caller.clone().unwrap_or_else(Caller::local_operator));
        archive.retry_key(door.retry_key.as_deref().map(|key| (key, body)));
        let answered = archive_call(archive, &caller, op, body);
        archive.retry_key(None);
        answered
    })
}

fn require_supervisor(caller: &Option<Caller>, what: &str) -> Result<()> {
    match caller {
        Some(caller) => caller.require_supervisor(what),
        None => Err(login_required()),
    }
}

fn archive_call(
    archive: &mut Archive,
    caller: &Option<Caller>,
    op: &str,
    body: &[u8],
) -> Result<serde_json::Value> {
    match op {
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
        "clerks" => answer(archive.clerks()?),
        "change_clerk" => answer(archive.change_clerk(&parse_required::<ClerkChange>(body)?)?),
        "clear_login_delay" => {
            archive.clear_login_delay(&parse_required::<ClearLoginDelay>(body)?)?;
            answer(archive.clerks()?)
        }
        "desk_settings" => {
            archive.caller().require_supervisor("查看安全设置")?;
            answer(archive.desk_settings()?)
        }
        "set_desk_settings" => {
            answer(archive.set_desk_settings(&parse_required::<DeskSettings>(body)?)?)
        }
        "backup_status" => {
            archive.caller().require_supervisor("查看备份设置")?;
            answer(archive.backup_status()?)
        }
        "status" => answer(archive.status()?),
        // The screens show dates, 档号 and names in one form (`shown`); the command line's JSON
        // keeps them as written.
        "search" => {
            let mut response = archive.search_as_caller(&parse::<SearchRequest>(body)?)?;
            response.hits.iter_mut().for_each(crate::shown::hit);
            answer(response)
        }
        "document" => {
            let mut view = archive.view_document(&parse::<DocumentRequest>(body)?)?;
            crate::shown::document(&mut view);
            answer(view)
        }
        "person" => {
            let mut timeline = archive.view_person(&parse::<PersonRequest>(body)?)?;
            crate::shown::timeline(&mut timeline);
            answer(timeline)
        }
        "decide_person" => {
            let mut timeline = archive.decide_in_view(&parse::<PersonDecisionRequest>(body)?)?;
            crate::shown::timeline(&mut timeline);
            answer(timeline)
        }
        "reveal" => answer(archive.reveal(&parse::<RevealRequest>(body)?)?),
        "open_restricted" => {
            let mut view = archive.open_restricted(&parse::<OpenRestrictedRequest>(body)?)?;
            crate::shown::document(&mut view);
            answer(view)
        }
        "register_request" => {
            answer(archive.register_request(&parse_required::<NewLookupRequest>(body)?)?)
        }
        "lookup_requests" => answer(archive.lookup_requests(&parse::<RequestQuery>(body)?)?),
        "lookup_request" => answer(archive.lookup_request(parse::<IdRequest>(body)?.id)?),
        "attach_record" => answer(archive.attach_record(&parse::<AttachRequest>(body)?)?),
        "redact_page" => answer(archive.redact_page(&parse::<RedactRequest>(body)?)?),
        "suggest_cover" => answer(archive.suggest_cover(&parse::<CoverSuggestRequest>(body)?)?),
        "confirm_covered" => answer(archive.confirm_covered(&parse::<CoverRequest>(body)?)?),
        "set_request_status" => {
            answer(archive.set_request_status(&parse_required::<RequestStatusChange>(body)?)?)
        }
        "preview_certificate" => {
            answer(archive.preview_certificate(&parse_required::<IdRequest>(body)?)?)
        }
        "void_certificate" => {
            answer(archive.void_certificate(&parse_required::<VoidCertificateRequest>(body)?)?)
        }
        "remove_attached" => {
            answer(archive.remove_attached(&parse_required::<RemoveAttachedRequest>(body)?)?)
        }
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
        "proof_add" => answer(archive.add_proof(&parse_required::<ProofAddRequest>(body)?)?),
        "proof_view" => answer(archive.view_proof(parse_required::<IdRequest>(body)?.id)?),
        "proof_remove" => answer(archive.remove_proof(parse_required::<IdRequest>(body)?.id)?),
        "cross_send" => {
            answer(archive.send_cross_application(&parse_required::<CrossSendRequest>(body)?)?)
        }
        "cross_inbox" => answer(archive.cross_inbox(&parse::<CrossInboxQuery>(body)?)?),
        "cross_accept" => answer(archive.accept_cross(parse_required::<IdRequest>(body)?.id)?),
        "cross_return" => {
            answer(archive.return_cross(&parse_required::<CrossReturnRequest>(body)?)?)
        }
        "cross_certificate" => {
            let (file_name, pdf) =
                archive.received_certificate(parse_required::<IdRequest>(body)?.id)?;
            answer(ExportedFile {
                file_name,
                base64: encode_base64(&pdf),
            })
        }
        "work_calendar" => answer(archive.work_calendar()?),
        "page_words" => answer(archive.page_words(&parse_required::<PageWordsRequest>(body)?)?),
        "page_rows" => answer(archive.page_rows(&parse_required::<PageRowsRequest>(body)?)?),
        "confirm_page_row" => {
            answer(archive.confirm_page_row(&parse_required::<ConfirmPageRowRequest>(body)?)?)
        }
        "set_work_calendar" => {
            answer(archive.set_work_calendar(&parse_required::<CalendarChange>(body)?)?)
        }
        "peers" => answer(archive.peer_directory()?),
        "peer_add" => {
            archive.add_peer(&parse_required::<PeerAddRequest>(body)?)?;
            answer(archive.peer_directory()?)
        }
        "peer_remove" => {
            archive.remove_peer(parse_required::<PeerRemoveRequest>(body)?.id)?;
            answer(archive.peer_directory()?)
        }
        "peer_list_preview" => {
            let list = peer_list_in(body)?;
            answer(archive.preview_peer_list(&list)?)
        }
        "peer_list_import" => {
            let list = peer_list_in(body)?;
            answer(archive.import_peer_list(&list)?)
        }
        other => Err(Error::new(
            ErrorCode::NotFound,
            format!("没有名为「{other}」的操作"),
        )),
    }
}

/// The peer list file a supervisor chose, sent as base64.
fn peer_list_in(body: &[u8]) -> Result<crate::peers::peer_list::PeerList> {
    let request: PeerListRequest = parse_required(body)?;
    let bytes = decode_base64(&request.content_base64)?;
    crate::peers::peer_list::parse(&bytes)
        .map_err(|e| Error::new(e.code, format!("档案馆名单：{}", e.message)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lan_desk_is_not_shown_the_hosts_folders() {
        let problem = PageReadingStatus {
            problem: Some("找不到识别模型：D:\\档案\\ocr-models".into()),
            ..PageReadingStatus::default()
        };
        let at_host = Caller {
            clerk_id: Some(1),
            login: "wang".into(),
            display_name: "王主任".into(),
            role: Role::Supervisor,
            desk: None,
        };
        let at_desk = Caller {
            desk: Some("D2".into()),
            ..at_host.clone()
        };
        let seen = reading_as_seen_by(&at_host, problem.clone());
        assert!(seen.problem.unwrap().contains("ocr-models"));
        let seen = reading_as_seen_by(&at_desk, problem);
        let said = seen.problem.unwrap();
        assert!(
            !said.contains("ocr-models") && said.contains("主机"),
            "{said}"
        );
    }
}
