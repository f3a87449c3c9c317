//! The peer door (`serve --lan … --peer-door ADDR:PORT`): other archives' questions, on a port of
//! its own, over TLS 1.3 with both keys proved in the handshake. A caller is answered only when
//! its key is a peer's (not removed) and it is within its rate; anything else is refused,
//! recorded and its connection closed. Nothing of the desks' door is reachable here: the only
//! routes are the peers' own — who holds a person's records, and the 跨馆 round trip's
//! application and steps.

use super::listen::DeskKey;
use super::rate_limit::RateLimits;
use super::{blocking, error_response, refuse, security_headers, Whence};
use crate::api::{Peer, WhoHoldsQuestion};
use crate::error::ErrorCode;
use crate::lan::keys::Pin;
use crate::peers::WHO_HOLDS_PATH;
use crate::session::Session;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Extension, Json, Router};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Questions are a few hundred bytes.
const QUESTION_BYTES: usize = 16 << 10;
/// Questions a peer may ask per second, on average, and at once: a clerk's ask is one question
/// per person, and a peer testing ID after ID is slowed to a crawl (and on the trail).
const RATE_PER_SECOND: f64 = 1.0;
const BURST: f64 = 20.0;
/// Overrides both, as `PER_SECOND,BURST`, for tests that reach the limit with a few questions.
const RATE_VAR: &str = "ARCHIVEDESK_PEER_RATE";
/// A refusal from the same address (or peer) is recorded at most this often, however many keys
/// it makes: a caller cannot flood the trail.
const RECORD_REFUSALS_EVERY: Duration = Duration::from_secs(60);
/// Refusals remembered at most; beyond, the oldest are forgotten.
const REFUSALS_KEPT: usize = 1024;
/// The peers' keys are read from the archive at most this often: an unknown key is refused
/// without waiting for the archive the clerks work on.
const PEERS_READ_EVERY: Duration = Duration::from_secs(2);
/// Peers' questions are answered one at a time, beside the clerks; one that cannot start
/// within this is told to ask again later.
const ANSWER_QUEUE_WAIT: Duration = Duration::from_secs(3);

pub(crate) struct PeerDoor {
    session: Arc<Session>,
    rates: RateLimits<Pin>,
    /// When a refusal was last recorded, by where it came from and why.
    refusals_recorded: Mutex<HashMap<(String, &'static str), Instant>>,
    /// The peers as last read, and when.
    known: Mutex<Option<(Instant, Vec<Peer>)>>,
    answering: tokio::sync::Semaphore,
}

impl PeerDoor {
    pub(crate) fn new(session: Arc<Session>) -> Arc<PeerDoor> {
        Arc::new(PeerDoor {
            session,
            rates: RateLimits::new(RATE_PER_SECOND, BURST, RATE_VAR),
            refusals_recorded: Mutex::new(HashMap::new()),
            known: Mutex::new(None),
            answering: tokio::sync::Semaphore::new(1),
        })
    }

    /// The peer holding `pin`, from the peers read at most PEERS_READ_EVERY ago.
    async fn peer_of(&self, pin: Pin) -> crate::error::Result<Option<Peer>> {
        let fresh = {
            let known = self.known.lock().unwrap_or_else(PoisonError::into_inner);
            known
                .as_ref()
                .filter(|(at, _)| at.elapsed() < PEERS_READ_EVERY)
                .map(|(_, peers)| peers.clone())
        };
        let peers = match fresh {
            Some(peers) => peers,
            None => {
                let session = Arc::clone(&self.session);
                let peers =
                    blocking(move || session.with_archive(|archive| archive.peers())).await?;
                *self.known.lock().unwrap_or_else(PoisonError::into_inner) =
                    Some((Instant::now(), peers.clone()));
                peers
            }
        };
        Ok(peers.into_iter().find(|p| p.pin == pin.hex()))
    }

    /// Whether the peer holding `pin` may ask once more now.
    fn within_rate(&self, pin: Pin) -> bool {
        self.rates.allow(pin)
    }

    /// Records a refusal on the trail, unless one from the same place for the same reason was
    /// recorded a moment ago.
    async fn record_refusal(&self, pin: Option<Pin>, why: &'static str, address: String) {
        {
            let mut recorded = self
                .refusals_recorded
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let now = Instant::now();
            let key = (address.clone(), why);
            if recorded
                .get(&key)
                .is_some_and(|at| now.duration_since(*at) < RECORD_REFUSALS_EVERY)
            {
                return;
            }
            if recorded.len() >= REFUSALS_KEPT {
                recorded.retain(|_, at| now.duration_since(*at) < RECORD_REFUSALS_EVERY);
                if recorded.len() >= REFUSALS_KEPT {
                    recorded.clear();
                }
            }
            recorded.insert(key, now);
        }
        let session = Arc::clone(&self.session);
        let _ = blocking(move || {
            session.with_archive(|archive| archive.peer_refused(pin.as_ref(), &address, why))
        })
        .await;
    }
}

/// A handshake that failed at the peer door (a certificate presented without its key, a
/// client that is no TLS peer) is recorded like any refusal, once a minute per address.
pub(crate) fn handshake_failed(door: &Arc<PeerDoor>) -> super::listen::HandshakeFailed {
    let door = Arc::clone(door);
    Arc::new(move |from, _why| {
        let door = Arc::clone(&door);
        tokio::spawn(async move {
            door.record_refusal(None, "handshake_failed", from.ip().to_string())
                .await
        });
    })
}

pub(crate) fn router(door: Arc<PeerDoor>) -> Router {
    Router::new()
        .route(
            WHO_HOLDS_PATH,
            post(who_holds).layer(DefaultBodyLimit::max(QUESTION_BYTES)),
        )
        .route(
            crate::cross::APPLICATION_PATH,
            post(cross_application).layer(DefaultBodyLimit::max(crate::cross::MESSAGE_BYTES)),
        )
        .route(
            crate::cross::STATUS_PATH,
            post(cross_status).layer(DefaultBodyLimit::max(crate::cross::MESSAGE_BYTES)),
        )
        .fallback(|| async { StatusCode::NOT_FOUND })
        .layer(middleware::from_fn_with_state(Arc::clone(&door), guard))
        .layer(middleware::from_fn(security_headers))
        .with_state(door)
}

/// A refusal that also ends the connection.
fn closing(status: StatusCode, message: &str) -> Response {
    let mut refusal = refuse(status, ErrorCode::Forbidden, message);
    refusal
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    refusal
}

/// The caller's key must be a peer's, and the peer within its rate.
async fn guard(
    State(door): State<Arc<PeerDoor>>,
    from: Whence,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(DeskKey(pin)) = request.extensions().get::<DeskKey>().copied() else {
        return closing(StatusCode::FORBIDDEN, "拒绝访问：连接没有出示档案馆密钥");
    };
    let peer = match door.peer_of(pin).await {
        Ok(Some(peer)) => peer,
        Ok(None) => {
            door.record_refusal(Some(pin), "unknown_key", from.address)
                .await;
            return closing(
                StatusCode::FORBIDDEN,
                "拒绝访问：这个密钥不属于本馆登记的任何档案馆",
            );
        }
        Err(e) => return told_to_a_peer(e),
    };
    if !door.within_rate(pin) {
        door.record_refusal(Some(pin), "over_rate", from.address)
            .await;
        return refuse(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::Forbidden,
            "查询过于频繁，请稍后再试",
        );
    }
    request.extensions_mut().insert(peer);
    next.run(request).await
}

async fn who_holds(
    State(door): State<Arc<PeerDoor>>,
    Extension(peer): Extension<Peer>,
    Json(question): Json<WhoHoldsQuestion>,
) -> Response {
    let Ok(Ok(_turn)) = tokio::time::timeout(ANSWER_QUEUE_WAIT, door.answering.acquire()).await
    else {
        return refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Busy,
            "本馆正忙，请稍后再查询",
        );
    };
    let session = Arc::clone(&door.session);
    let answered = blocking(move || {
        session.with_archive(|archive| archive.answer_who_holds(&peer, &question))
    })
    .await;
    match answered {
        Ok(facts) => Json(facts).into_response(),
        Err(e) => told_to_a_peer(e),
    }
}

/// A 跨馆 application from a peer: registered here, taken once however often it is sent.
async fn cross_application(
    State(door): State<Arc<PeerDoor>>,
    Extension(peer): Extension<Peer>,
    Json(message): Json<crate::cross::ApplicationMessage>,
) -> Response {
    let session = Arc::clone(&door.session);
    let taken = blocking(move || {
        session.with_archive(|archive| archive.receive_cross_application(&peer, &message))
    })
    .await;
    match taken {
        Ok(()) => Json(serde_json::json!({ "taken": true })).into_response(),
        Err(e) => told_to_a_peer(e),
    }
}

/// A step a peer took on an application this archive sent it.
async fn cross_status(
    State(door): State<Arc<PeerDoor>>,
    Extension(peer): Extension<Peer>,
    Json(message): Json<crate::cross::StatusMessage>,
) -> Response {
    let session = Arc::clone(&door.session);
    let taken = blocking(move || {
        session.with_archive(|archive| archive.receive_cross_status(&peer, &message))
    })
    .await;
    match taken {
        Ok(()) => Json(serde_json::json!({ "taken": true })).into_response(),
        Err(e) => told_to_a_peer(e),
    }
}

/// What a peer is told of an error: why its question was refused, or that this archive cannot
/// answer now — never a local path or a database's own words.
fn told_to_a_peer(error: crate::error::Error) -> Response {
    match error.code {
        ErrorCode::InvalidRequest | ErrorCode::NotFound | ErrorCode::Busy => {
            error_response(crate::error::Error {
                message: crate::privacy::mask_text(&error.message),
                ..error
            })
        }
        _ => refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Busy,
            "本馆暂时无法回答，请稍后再查询",
        ),
    }
}
