//! A desk's own door (`archivedesk serve --connect HOST:PORT`): the UI on loopback, as the
//! loopback door serves it (token, Host and Origin checks), with every `/api/` request forwarded
//! to the archive's host over the pinned TLS link with this desk's key. The desk keeps nothing
//! of the archive: no copy, no cache. When the host cannot be reached, the UI is told so at once.

use super::loopback_guard::{self, LoopbackGuard};
use super::{
    error_response, new_token, security_headers, token_in_cookie, with_ui, LAN_LOGIN_COOKIE,
    RETRY_KEY_HEADER,
};
use crate::archive::RETRIED_OPS;
use crate::error::{Error, ErrorCode, Result};
use crate::lan::desk_link::{desk_key, pair, DeskConfig, HostLink};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::middleware;
use axum::response::Response;
use axum::routing::any;
use axum::Router;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

pub struct DeskOptions {
    /// Where the desk's own door listens: loopback only.
    pub listen: SocketAddr,
    /// The desk's data folder: its key and its pairing, nothing of the archive.
    pub data_dir: PathBuf,
    pub ui_dir: Option<PathBuf>,
    /// The host's address; without it, the one the pairing kept.
    pub host: Option<String>,
    /// A pairing code shown at the host: pair first.
    pub pairing_code: Option<String>,
}

struct DeskDoor {
    link: HostLink,
    /// The login cookie in this desk's browser (named for its port, as the loopback door does).
    login_cookie: String,
}

/// Headers of a request that go on to the host; everything else (the desk door's token, the
/// browser's other cookies) stays here.
const FORWARDED_REQUEST_HEADERS: &[HeaderName] =
    &[header::CONTENT_TYPE, header::CONTENT_LENGTH, header::ACCEPT];
const FORWARDED_RESPONSE_HEADERS: &[HeaderName] = &[
    header::CONTENT_TYPE,
    header::CONTENT_LENGTH,
    header::CACHE_CONTROL,
    header::CONTENT_DISPOSITION,
];

/// Pairs when asked, then serves the desk's door until Ctrl+C or SIGTERM. `started` gets the
/// URL to open and the pairing the desk works under.
pub fn serve_desk(options: DeskOptions, started: impl FnOnce(&str, &DeskConfig)) -> Result<()> {
    if !options.listen.ip().is_loopback() {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!(
                "柜台只在本机回环地址上提供界面（如 127.0.0.1:8017），不能在「{}」上",
                options.listen
            ),
        ));
    }
    super::runtime()?.block_on(async move {
        let config = match (&options.pairing_code, &options.host) {
            (Some(code), Some(host)) => pair(&options.data_dir, host, code).await?,
            (Some(_), None) => {
                return Err(Error::new(ErrorCode::InvalidRequest, "配对需要档案库主机的地址（--connect 主机:端口）"))
            }
            (None, _) => DeskConfig::load(&options.data_dir)?.ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidRequest,
                    "本机还没有与档案库主机配对：请用 --connect 主机:端口 --pair 主机上显示的配对码",
                )
            })?,
        };
        let host = options.host.clone().unwrap_or_else(|| config.host.clone());
        let key = desk_key(&options.data_dir)?;
        let link = HostLink::new(&host, &key, Some(config.pin()?))?;
        let listener = tokio::net::TcpListener::bind(options.listen)
            .await
            .map_err(|e| Error::new(ErrorCode::Io, format!("无法在 {} 上监听：{e}", options.listen)))?;
        let bound = listener
            .local_addr()
            .map_err(|e| Error::new(ErrorCode::Io, format!("无法读取监听地址：{e}")))?;
        let guard = Arc::new(LoopbackGuard::new(bound));
        let door = Arc::new(DeskDoor {
            link,
            login_cookie: format!("archivedesk_login_{}", bound.port()),
        });
        let app = with_ui(
            Router::new().route("/api/{*rest}", any(forward)),
            options.ui_dir.as_deref(),
        )
        .layer(middleware::from_fn_with_state(Arc::clone(&guard), loopback_guard::guard))
        .layer(middleware::from_fn(security_headers))
        .with_state(door);
        let shutdown = super::listen::shutdown_signal();
        started(&guard.url(bound), &config);
        super::listen::serve_until(listener, app, None, shutdown).await;
        Ok(())
    })
}

/// The largest act body kept for asking again: acts carry small JSON, but for a proof's scan.
const RETRIED_BODY_LIMIT: usize = crate::register::proofs::PROOF_BODY_LIMIT;

/// One request on to the host and its answer back, the login cookie renamed both ways. An act is
/// sent under a retry key and sent again, with the same key, while the host cannot be reached.
async fn forward(State(door): State<Arc<DeskDoor>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    // Acts whose answer, when lost on the way back, is asked for again under the same retry
    // key: the host does each once (`Archive::retry_key`).
    let retried = parts.method == Method::POST
        && parts
            .uri
            .path()
            .strip_prefix("/api/")
            .is_some_and(|op| RETRIED_OPS.contains(&op));
    if !retried {
        let onward = match onward(&door, &parts, body, None) {
            Ok(onward) => onward,
            Err(e) => return error_response(e),
        };
        return match door.link.send(onward).await {
            Ok(answer) => answered(&door, answer),
            Err(e) => error_response(e.into_error(door.link.host())),
        };
    }
    let bytes = match axum::body::to_bytes(body, RETRIED_BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(e) => {
            return error_response(Error::new(
                ErrorCode::InvalidRequest,
                format!("请求无法读取：{e}"),
            ))
        }
    };
    let key = new_token();
    let sent = door
        .link
        .send_act(|| onward(&door, &parts, Body::from(bytes.clone()), Some(&key)))
        .await;
    match sent {
        Ok(answer) => answered(&door, answer),
        Err(e) => error_response(e),
    }
}

/// The request as the host gets it: its path, the headers that go on, the login.
fn onward(
    door: &DeskDoor,
    parts: &axum::http::request::Parts,
    body: Body,
    retry_key: Option<&str>,
) -> Result<hyper::Request<Body>> {
    let path = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path().to_string(), |p| p.as_str().to_string());
    let mut onward = hyper::Request::builder()
        .method(parts.method.clone())
        .uri(path)
        .header(header::HOST, door.link.host());
    for name in FORWARDED_REQUEST_HEADERS {
        if let Some(value) = parts.headers.get(name) {
            onward = onward.header(name, value);
        }
    }
    if let Some(token) = token_in_cookie(&parts.headers, &door.login_cookie) {
        onward = onward.header(header::COOKIE, format!("{LAN_LOGIN_COOKIE}={token}"));
    }
    if let Some(key) = retry_key {
        onward = onward.header(RETRY_KEY_HEADER, key);
    }
    onward
        .body(body)
        .map_err(|e| Error::new(ErrorCode::InvalidRequest, format!("请求无法转发：{e}")))
}

/// The host's answer as the desk's browser gets it.
fn answered(door: &DeskDoor, answer: hyper::Response<hyper::body::Incoming>) -> Response {
    let (parts, body) = answer.into_parts();
    let mut response = Response::builder().status(parts.status);
    for name in FORWARDED_RESPONSE_HEADERS {
        if let Some(value) = parts.headers.get(name) {
            response = response.header(name, value);
        }
    }
    for cookie in parts.headers.get_all(header::SET_COOKIE) {
        if let Some(renamed) = renamed_cookie(cookie, &door.login_cookie) {
            response = response.header(header::SET_COOKIE, renamed);
        }
    }
    response.body(Body::new(body)).unwrap_or_else(|e| {
        error_response(Error::new(
            ErrorCode::Io,
            format!("主机的回答无法转交：{e}"),
        ))
    })
}

/// The host's login cookie under this desk's name; other cookies are not passed on.
fn renamed_cookie(cookie: &HeaderValue, desk_name: &str) -> Option<HeaderValue> {
    let text = cookie.to_str().ok()?;
    let rest = text.strip_prefix(LAN_LOGIN_COOKIE)?.strip_prefix('=')?;
    HeaderValue::from_str(&format!("{desk_name}={rest}")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_login_cookie_comes_back_and_under_the_desk_name() {
        let set =
            HeaderValue::from_static("archivedesk_login=abc; HttpOnly; SameSite=Strict; Path=/");
        assert_eq!(
            renamed_cookie(&set, "archivedesk_login_9001").unwrap(),
            "archivedesk_login_9001=abc; HttpOnly; SameSite=Strict; Path=/"
        );
        assert!(renamed_cookie(&HeaderValue::from_static("other=1"), "x").is_none());
        assert!(
            renamed_cookie(&HeaderValue::from_static("archivedesk_login_8443=1"), "x").is_none()
        );
    }
}
