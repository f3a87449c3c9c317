//! The loopback door's guard. Any web page the clerk opens can send requests to a port on
//! loopback, and a DNS-rebinding page can even read the answers; so every request must name an
//! allowed Host, carry no foreign Origin, and present the token made at start (a cookie set when
//! the printed URL is opened, or `Authorization: Bearer <token>`).

use super::{refuse, token_in_cookie};
use crate::error::ErrorCode;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::net::SocketAddr;
use std::sync::Arc;

pub(crate) struct LoopbackGuard {
    pub token: String,
    /// The cookie that carries the token.
    pub cookie: String,
    allowed_hosts: Vec<String>,
}

impl LoopbackGuard {
    pub fn new(bound: SocketAddr) -> LoopbackGuard {
        LoopbackGuard {
            token: crate::logins::new_token(),
            cookie: format!("archivedesk_token_{}", bound.port()),
            allowed_hosts: allowed_hosts(bound),
        }
    }

    /// The address to open, with the token in it.
    pub fn url(&self, bound: SocketAddr) -> String {
        format!("http://{}/?token={}", host_of(bound), self.token)
    }
}

fn host_of(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        format!("127.0.0.1:{}", addr.port())
    } else {
        addr.to_string()
    }
}

fn allowed_hosts(bound: SocketAddr) -> Vec<String> {
    let port = bound.port();
    let names = ["127.0.0.1", "localhost", "[::1]"];
    let mut hosts: Vec<String> = names.iter().map(|n| format!("{n}:{port}")).collect();
    // Browsers leave the default port out of Host.
    if port == 80 {
        hosts.extend(names.iter().map(|n| n.to_string()));
    }
    hosts
}

/// Equal strings, compared in time that does not depend on where they differ.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn token_in_query(query: Option<&str>) -> Option<&str> {
    query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
}

/// Host, Origin and token, in that order, before anything else runs.
pub(crate) async fn guard(
    State(door): State<Arc<LoopbackGuard>>,
    request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !door.allowed_hosts.iter().any(|h| h == host) {
        return refuse(
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            "拒绝访问：请求的主机名不是本机地址",
        );
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let allowed = origin.to_str().ok().is_some_and(|o| {
            door.allowed_hosts
                .iter()
                .any(|h| o == format!("http://{h}"))
        });
        if !allowed {
            return refuse(
                StatusCode::FORBIDDEN,
                ErrorCode::Forbidden,
                "拒绝访问：请求来自其他网页",
            );
        }
    }
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let presented = bearer.or_else(|| token_in_cookie(headers, &door.cookie));
    if presented.is_some_and(|t| same_secret(t, &door.token)) {
        return next.run(request).await;
    }
    // Opening the printed URL: keep the token in a cookie and drop it from the address bar, so
    // it is not left in the history or sent on as a Referer.
    if let Some(t) = token_in_query(request.uri().query()) {
        if same_secret(t, &door.token) && request.method() == axum::http::Method::GET {
            let cookie = format!(
                "{}={}; HttpOnly; SameSite=Strict; Path=/",
                door.cookie, door.token
            );
            let mut response = Redirect::to(request.uri().path()).into_response();
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            return response;
        }
    }
    refuse(
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthorized,
        "需要访问令牌：请打开 archivedesk serve 启动时显示的网址",
    )
}
