//! The open-data door (`serve --lan … --open-data [ADDR:PORT]`): OAI-PMH at `/oai` and SRU at
//! `/sru`, read-only, without a login or a key, over TLS. Nothing else is answered here, and
//! nothing here reaches the desks' or the peers' operations: the published catalogue is all a
//! caller can read. Each address is held to a rate; questions are answered one at a time
//! beside the clerks.

use super::blocking;
use super::lan_door::host_allowed;
use super::rate_limit::RateLimits;
use crate::open_data::answer::{self, OpenDataPlace};
use crate::session::Session;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

pub(crate) const OAI_PATH: &str = "/oai";
pub(crate) const SRU_PATH: &str = "/sru";

/// A harvester walks the list one page after another; a portal's search asks now and then.
const RATE_PER_SECOND: f64 = 5.0;
const BURST: f64 = 30.0;
/// Overrides both, as `PER_SECOND,BURST`.
const RATE_VAR: &str = "ARCHIVEDESK_OPEN_DATA_RATE";
/// A request is a URL's worth of arguments.
const REQUEST_BYTES: usize = 16 << 10;
/// One that cannot start within this is told to come back.
const ANSWER_QUEUE_WAIT: Duration = Duration::from_secs(5);

pub(crate) struct OpenDataDoor {
    session: Arc<Session>,
    rates: RateLimits<IpAddr>,
    answering: tokio::sync::Semaphore,
    /// Where the door listens: named in answers when the request's Host is not a usable name.
    bound: SocketAddr,
}

impl OpenDataDoor {
    pub(crate) fn new(session: Arc<Session>, bound: SocketAddr) -> Arc<OpenDataDoor> {
        Arc::new(OpenDataDoor {
            session,
            rates: RateLimits::new(RATE_PER_SECOND, BURST, RATE_VAR),
            answering: tokio::sync::Semaphore::new(1),
            bound,
        })
    }
}

/// The two routes, for a port of their own or beside the desks' routes on the LAN door.
pub(crate) fn routes(door: Arc<OpenDataDoor>) -> Router {
    Router::new()
        .route(OAI_PATH, get(oai_get).post(oai_post))
        .route(SRU_PATH, get(sru_get))
        .layer(DefaultBodyLimit::max(REQUEST_BYTES))
        .with_state(door)
}

/// The door on a port of its own: the two routes and nothing else.
pub(crate) fn router(door: Arc<OpenDataDoor>) -> Router {
    routes(door).fallback(|| async { StatusCode::NOT_FOUND })
}

#[derive(Clone, Copy)]
enum Protocol {
    Oai,
    Sru,
}

async fn oai_get(
    State(door): State<Arc<OpenDataDoor>>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    answer(
        door,
        from,
        &headers,
        Protocol::Oai,
        query.unwrap_or_default().into_bytes(),
    )
    .await
}

/// OAI-PMH allows the arguments as a form in the body.
async fn oai_post(
    State(door): State<Arc<OpenDataDoor>>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    answer(door, from, &headers, Protocol::Oai, body.to_vec()).await
}

async fn sru_get(
    State(door): State<Arc<OpenDataDoor>>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    answer(
        door,
        from,
        &headers,
        Protocol::Sru,
        query.unwrap_or_default().into_bytes(),
    )
    .await
}

/// Come back later, as OAI-PMH asks a server to say it.
fn come_back(seconds: u64) -> Response {
    let mut response = (StatusCode::SERVICE_UNAVAILABLE, "请稍后再试\n").into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    response
}

async fn answer(
    door: Arc<OpenDataDoor>,
    from: SocketAddr,
    headers: &HeaderMap,
    protocol: Protocol,
    arguments: Vec<u8>,
) -> Response {
    if !door.rates.allow(from.ip()) {
        return come_back(2);
    }
    let Ok(Ok(_turn)) = tokio::time::timeout(ANSWER_QUEUE_WAIT, door.answering.acquire()).await
    else {
        return come_back(5);
    };
    // Repeated arguments are kept: OAI-PMH refuses them, and must see them to.
    let arguments: Vec<(String, String)> = form_urlencoded::parse(&arguments)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let (host, port) = named_host(headers, door.bound);
    let session = Arc::clone(&door.session);
    let answered = blocking(move || {
        // The archive is held only to publish what changed (nothing, mostly); the answer is
        // read on a connection of the door's own, beside the clerks.
        let data_dir = session.with_archive(|archive| {
            archive.publish_open_records()?;
            Ok(archive.data_dir().to_path_buf())
        })?;
        let conn = crate::store::open_reader(&data_dir)?;
        let place = OpenDataPlace { host: &host, port };
        match protocol {
            Protocol::Oai => answer::oai(&conn, &place, &arguments),
            Protocol::Sru => answer::sru(&conn, &place, &arguments),
        }
    })
    .await;
    match answered {
        Ok(xml) => ([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], xml).into_response(),
        Err(e) => {
            log::warn!("开放数据请求未能回答：{}", e.message);
            come_back(30)
        }
    }
}

/// The host and port harvesters reached the door by: the request's Host when it is a plain
/// name or address with the door's port, else the address the door listens on.
fn named_host(headers: &HeaderMap, bound: SocketAddr) -> (String, u16) {
    let given = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| host_allowed(h, bound.port()))
        .and_then(|h| h.rsplit_once(':'))
        .map(|(name, _)| {
            name.trim_start_matches('[')
                .trim_end_matches(']')
                .to_string()
        });
    (
        given.unwrap_or_else(|| bound.ip().to_string()),
        bound.port(),
    )
}
