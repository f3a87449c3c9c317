//! The LAN door (`archivedesk serve --lan ADDR:PORT`): the archive's operations for the desks
//! paired with this host, over TLS 1.3 alone. A connection must hold a desk key; a request is
//! answered only for a desk enrolled with that key and not revoked (the pairing exchange aside),
//! and names that desk in logins and the trail. No UI is served here: each desk serves its own.

use super::listen::DeskKey;
use super::{
    answer, api_routes, blocking, error_response, parse, refuse, run_door_until, security_headers,
    Door, DoorOpening, Whence,
};
use crate::api::{Caller, LanDesk, LanDeskRevokeRequest, LanPairing, LanPairingRequest};
use crate::error::{Error, ErrorCode, Result};
use crate::lan::desk_link::{
    decode, encode, PairAnswer, PairAnswerRequest, PairConfirmRequest, PairConfirmed,
    PAIR_ANSWER_PATH, PAIR_CONFIRM_PATH,
};
use crate::lan::keys::TlsKey;
use crate::lan::pairing::{DeskToEnrol, PairingOpened, Pairings};
use crate::lan::KEY_FILE;
use crate::session::Session;
use crate::Archive;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Extension, Json, Router};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio_rustls::TlsAcceptor;

pub struct LanOptions {
    pub listen: SocketAddr,
    /// Other archives' door (跨馆), on a port of its own.
    pub peer_listen: Option<SocketAddr>,
    /// Open data (OAI-PMH, SRU), when the supervisor turns it on.
    pub open_data: Option<OpenDataAt>,
    pub data_dir: PathBuf,
    pub demo_dir: PathBuf,
}

/// What the host says when its door is open.
pub struct LanStarted {
    pub address: SocketAddr,
    /// The host key's SHA-256, as desks pin it.
    pub host_pin: String,
    /// The pairing opened at start, for the next desk.
    pub pairing: PairingOpened,
    /// Where other archives reach this one, when the peer door was asked for.
    pub peer_address: Option<SocketAddr>,
    /// Where harvesters reach open data, when it was turned on.
    pub open_data_address: Option<SocketAddr>,
}

/// Where open data is served: beside the desks on the LAN door's port, or on a port of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenDataAt {
    LanDoor,
    Own(SocketAddr),
}

pub struct LanHost {
    key: TlsKey,
    acceptor: TlsAcceptor,
    pairings: Pairings,
}

impl LanHost {
    pub(crate) fn acceptor(&self) -> TlsAcceptor {
        self.acceptor.clone()
    }

    /// The LAN door's acceptor when harvesters share its port: a desk key is not required by
    /// the handshake (the desks' routes still refuse a connection without one).
    pub(crate) fn acceptor_letting_in_harvesters(&self) -> Result<TlsAcceptor> {
        let config = crate::lan::tls::host_config_letting_in_harvesters(&self.key)?;
        Ok(TlsAcceptor::from(Arc::new(config)))
    }

    /// The open-data door's acceptor on a port of its own: no key asked for.
    pub(crate) fn open_data_acceptor(&self) -> Result<TlsAcceptor> {
        let config = crate::lan::tls::open_data_config(&self.key)?;
        Ok(TlsAcceptor::from(Arc::new(config)))
    }
}

/// The enrolled desk a request comes from (in its extensions, from `guard`).
#[derive(Debug, Clone)]
pub(crate) struct AtLanDesk(pub LanDesk);

/// Serves the LAN door until Ctrl+C or SIGTERM. Refused while the archive has no supervisor:
/// on the LAN nobody may create the first account.
pub fn serve_lan(options: LanOptions, started: impl FnOnce(&LanStarted)) -> Result<()> {
    serve_lan_until(options, started, super::listen::shutdown_signal)
}

/// `serve_lan` until the future `shutdown` makes (inside the door's runtime) resolves: how a
/// Windows service stops it.
pub fn serve_lan_until<F: std::future::Future<Output = ()>>(
    options: LanOptions,
    started: impl FnOnce(&LanStarted),
    shutdown: impl FnOnce() -> F,
) -> Result<()> {
    // A mistyped folder is said, not made into an empty archive.
    let mut archive = Archive::open_existing(&options.data_dir)?;
    let (lan, pairing) = LanHost::prepare(
        &mut archive,
        &options.data_dir,
        Some(Caller::local_operator()),
    )?;
    let pairing = pairing.expect("a pairing is opened at start");
    let host_pin = lan.key.pin().shown();
    run_door_until(
        DoorOpening {
            archive,
            data_dir: &options.data_dir,
            demo_dir: options.demo_dir,
            listen: options.listen,
            lan: Some(lan),
            peer_door: options.peer_listen,
            open_data: options.open_data,
        },
        router,
        |door, bound| {
            started(&LanStarted {
                address: bound,
                host_pin,
                pairing,
                peer_address: door.peer_address,
                open_data_address: door.open_data_address,
            })
        },
        shutdown,
    )
}

impl LanHost {
    /// The host's key (made once in the data folder, kept across renewals), and with
    /// `opened_by` a pairing opened at once for the next desk, recorded as theirs. Refused while
    /// the archive has no supervisor.
    pub(crate) fn prepare(
        archive: &mut Archive,
        data_dir: &Path,
        opened_by: Option<Caller>,
    ) -> Result<(LanHost, Option<PairingOpened>)> {
        if archive.needs_first_clerk()? {
            return Err(Error::new(
                ErrorCode::Forbidden,
                "档案库还没有主管账号：请先在本机打开档案查询台创建主管账号，再在局域网上提供服务",
            ));
        }
        let key = TlsKey::load_or_make(&data_dir.join(KEY_FILE), "archivedesk-host")?;
        let config = crate::lan::tls::host_config(&key)?;
        let lan = LanHost {
            key,
            acceptor: TlsAcceptor::from(Arc::new(config)),
            pairings: Pairings::default(),
        };
        let pairing = match opened_by {
            Some(opened_by) => {
                let next = archive.next_desk_code()?;
                Some(lan.pairings.open(DeskToEnrol {
                    name: format!("柜台{next}"),
                    code: next,
                    opened_by,
                }))
            }
            None => None,
        };
        Ok((lan, pairing))
    }

    /// The pairing open now, if any.
    pub fn pairing_open(&self) -> Option<PairingOpened> {
        self.pairings.open_now()
    }

    /// The host key's SHA-256, as desks pin it and the host shows it.
    pub fn pin_shown(&self) -> String {
        self.key.pin().shown()
    }
}

/// The host's own operations on its desks, for a supervisor at the host or at a desk.
pub const HOST_OPERATIONS: &[&str] = &["lan_desks", "lan_pairing_start", "lan_desk_revoke"];

/// One of `HOST_OPERATIONS` for `caller`. Without `lan` (the archive is not served on the LAN
/// now) the desks are listed and revoked, but no pairing is opened.
pub fn host_operation(
    session: &Session,
    lan: Option<&LanHost>,
    caller: Caller,
    op: &str,
    body: &[u8],
) -> Result<serde_json::Value> {
    match op {
        "lan_pairing_start" => {
            let asked: LanPairingRequest = parse(body)?;
            let opened = open_pairing(session, lan, caller, asked.desk_name)?;
            answer(LanPairing {
                code: opened.code,
                desk_code: opened.desk.code,
                desk_name: opened.desk.name,
                seconds_left: opened.expires_in.as_secs(),
            })
        }
        "lan_desks" => answer(session.with_archive(|archive| {
            archive.act_as(caller);
            archive.lan_desks()
        })?),
        "lan_desk_revoke" => {
            let asked: LanDeskRevokeRequest = parse(body)?;
            answer(session.with_archive(|archive| {
                archive.act_as(caller);
                archive.revoke_desk(asked.desk_code.trim())?;
                archive.lan_desks()
            })?)
        }
        _ => Err(Error::new(
            ErrorCode::NotFound,
            format!("没有「{op}」这个操作"),
        )),
    }
}

pub(super) fn router(door: Arc<Door>) -> Router {
    api_routes()
        .route(PAIR_ANSWER_PATH, post(pair_answer))
        .route(PAIR_CONFIRM_PATH, post(pair_confirm))
        .fallback(|| async { StatusCode::NOT_FOUND })
        .layer(middleware::from_fn_with_state(Arc::clone(&door), guard))
        .layer(middleware::from_fn(security_headers))
        .with_state(door)
}

fn lan_of(door: &Door) -> &LanHost {
    door.lan
        .as_ref()
        .expect("the LAN door's router runs only with its host")
}

/// A Host header a desk may send: a LAN name or address, with the door's port.
pub(crate) fn host_allowed(host: &str, port: u16) -> bool {
    let Some((name, given_port)) = host.rsplit_once(':') else {
        return false;
    };
    if given_port.parse::<u16>().ok() != Some(port) || name.is_empty() || name.len() > 253 {
        return false;
    }
    let bracketed = name.strip_prefix('[').and_then(|n| n.strip_suffix(']'));
    match bracketed {
        Some(v6) => v6.parse::<std::net::Ipv6Addr>().is_ok(),
        None => name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        }),
    }
}

/// What the door tells whoever runs it: on the console of `serve --lan`, and in the desktop app's
/// log when the app is the host (its console is seen by nobody).
fn say(message: &str) {
    eprintln!("{message}");
    log::info!("{message}");
}

/// A refusal that also ends the connection: a caller that is not a desk of this archive does
/// not keep one of the door's connections by asking again and again on it.
fn closing(status: StatusCode, code: ErrorCode, message: &str) -> Response {
    let mut refusal = refuse(status, code, message);
    refusal
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    refusal
}

/// The desk's key and Host first; then, but for the pairing exchange, an enrolled desk that was
/// not revoked. A refusal closes the connection.
async fn guard(State(door): State<Arc<Door>>, mut request: Request, next: Next) -> Response {
    let Some(DeskKey(pin)) = request.extensions().get::<DeskKey>().copied() else {
        return closing(
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            "拒绝访问：连接没有出示柜台密钥",
        );
    };
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !host_allowed(host, door.port) {
        return closing(
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            "拒绝访问：请求的主机名不是本档案库主机的地址",
        );
    }
    let path = request.uri().path().to_string();
    // Desks' own doors never encode a path: an escape could spell an operation otherwise
    // refused (`ops::AT_THE_HOST_ONLY` is checked again on the decoded name).
    if path.contains('%') {
        return closing(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidRequest,
            "请求的路径不对",
        );
    }
    if path == PAIR_ANSWER_PATH || path == PAIR_CONFIRM_PATH {
        return next.run(request).await;
    }
    let session = Arc::clone(&door.session);
    let found =
        blocking(move || session.with_archive(|archive| archive.desk_by_pin(&pin.hex()))).await;
    let desk = match found {
        Ok(Some(desk)) if desk.revoked_at.is_none() => desk,
        Ok(Some(desk)) => {
            say(&format!("已拒绝被撤销的柜台{}（{}）", desk.code, desk.name));
            return closing(
                StatusCode::FORBIDDEN,
                ErrorCode::Forbidden,
                "这个柜台已被主管撤销，不能再使用本档案库；如需恢复，请主管重新为它配对",
            );
        }
        Ok(None) => {
            return closing(
                StatusCode::FORBIDDEN,
                ErrorCode::Forbidden,
                "这台电脑没有登记为本档案库的柜台：请主管在档案库主机上为它配对",
            )
        }
        Err(e) => return error_response(e),
    };
    request.extensions_mut().insert(AtLanDesk(desk));
    next.run(request).await
}

async fn pair_answer(
    State(door): State<Arc<Door>>,
    Extension(DeskKey(desk)): Extension<DeskKey>,
    from: Whence,
    Json(asked): Json<PairAnswerRequest>,
) -> Response {
    let lan = lan_of(&door);
    // The attempt spends the code, right or wrong: the trail says who spent it.
    if lan.pairings.is_open() {
        let session = Arc::clone(&door.session);
        let (address, pin) = (from.address, desk.hex());
        let _ = blocking(move || {
            session.with_archive(|archive| archive.pairing_attempted(&address, &pin))
        })
        .await;
    }
    let answered =
        decode(&asked.message).and_then(|m| lan.pairings.answer(lan.key.pin(), desk, &m));
    match answered {
        Ok(answer) => Json(PairAnswer {
            message: encode(&answer.message),
            confirmation: encode(&answer.confirmation),
        })
        .into_response(),
        Err(e) => {
            say(&format!("配对未成功：{}", e.message));
            error_response(e)
        }
    }
}

async fn pair_confirm(
    State(door): State<Arc<Door>>,
    Extension(DeskKey(desk)): Extension<DeskKey>,
    from: Whence,
    Json(asked): Json<PairConfirmRequest>,
) -> Response {
    let confirmed =
        decode(&asked.confirmation).and_then(|c| lan_of(&door).pairings.confirm(desk, &c));
    let to_enrol = match confirmed {
        Ok(to_enrol) => to_enrol,
        Err(e) => {
            say(&format!("配对未成功（{}）：{}", from.address, e.message));
            return error_response(e);
        }
    };
    let session = Arc::clone(&door.session);
    let enrolled = blocking(move || {
        session.with_archive(|archive| {
            archive.act_as(to_enrol.opened_by.clone());
            let desk = archive.enrol_desk(&desk.hex(), &to_enrol.name, &to_enrol.code)?;
            Ok((desk, archive.stats()?.archive_name))
        })
    })
    .await;
    match enrolled {
        Ok((desk, archive_name)) => {
            say(&format!(
                "柜台{}（{}）已配对：{}",
                desk.code, desk.name, from.address
            ));
            Json(PairConfirmed {
                desk_code: desk.code,
                desk_name: desk.name,
                archive_name,
            })
            .into_response()
        }
        Err(e) => error_response(e),
    }
}

/// A supervisor (at the host or a desk) opens a pairing for one more desk: its code is shown to
/// them and works once, for minutes.
fn open_pairing(
    session: &Session,
    lan: Option<&LanHost>,
    caller: Caller,
    name: Option<String>,
) -> Result<PairingOpened> {
    caller.require_supervisor("为新柜台配对")?;
    let lan = lan.ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidRequest,
            "本机没有作为局域网档案库主机运行：请先在 设置 → 局域网主机 中打开，或用 serve --lan",
        )
    })?;
    let code = session.with_archive(|archive| archive.next_desk_code())?;
    let name = name
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| format!("柜台{code}"));
    if name.chars().count() > 20 || name.chars().any(char::is_control) {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            "柜台名称最多 20 个字，不能含控制字符",
        ));
    }
    Ok(lan.pairings.open(DeskToEnrol {
        name,
        code,
        opened_by: caller,
    }))
}

#[cfg(test)]
mod tests {
    use super::host_allowed;

    #[test]
    fn a_desk_may_name_the_host_by_a_lan_name_or_address_with_the_door_port() {
        assert!(host_allowed("dangan-zhuji:8443", 8443));
        assert!(host_allowed("dangan-zhuji.local:8443", 8443));
        assert!(host_allowed("192.168.1.20:8443", 8443));
        assert!(host_allowed("[fe80::1]:8443", 8443));
        assert!(!host_allowed("dangan-zhuji:80", 8443));
        assert!(!host_allowed("dangan-zhuji", 8443));
        assert!(!host_allowed("evil.example/x:8443", 8443));
        assert!(!host_allowed(":8443", 8443));
        assert!(!host_allowed("a..b:8443", 8443));
        assert!(!host_allowed("[not-v6]:8443", 8443));
    }
}
