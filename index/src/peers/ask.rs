//! Asking peers: each question goes to its peer over its own pinned TLS connection (this
//! archive's key as the client's), all at once, and each answer is told as it comes — a slow or
//! dead peer holds up nobody else. Asks under way are kept for the clerk's screen to read.

use super::WHO_HOLDS_PATH;
use crate::api::{Peer, PeerAnswer, PeerAskView, WhoHoldsFacts, WhoHoldsQuestion};
use crate::lan::desk_link::{HostLink, LinkError};
use crate::lan::keys::{Pin, TlsKey};
use axum::body::Body;
use http_body_util::BodyExt;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// A peer that has not answered by then is 超时 (a host that takes the connection and says
/// nothing, too: within the link's own 5 s connect timeout); the clerk sees the others meanwhile.
pub const ANSWER_WITHIN: Duration = Duration::from_secs(4);
/// What a peer's answer may weigh: document-level facts are small.
const ANSWER_BYTES: usize = 256 << 10;
/// Asks kept for their screens; the oldest are forgotten first.
const ASKS_KEPT: usize = 200;

/// Asks `calls` all at once with `key`; `answered(i, answer)` is told of the i-th as it comes.
pub async fn ask_each(
    key: &TlsKey,
    calls: &[(Peer, WhoHoldsQuestion)],
    within: Duration,
    answered: impl Fn(usize, PeerAnswer),
) {
    let mut asking = tokio::task::JoinSet::new();
    for (i, (peer, question)) in calls.iter().enumerate() {
        let link = Pin::parse(&peer.pin)
            .ok_or("登记的密钥摘要无法读取")
            .and_then(|pin| {
                HostLink::new(&peer.address, key, Some(pin)).map_err(|_| "无法建立加密连接")
            });
        let (peer, question) = (peer.clone(), question.clone());
        asking.spawn(async move {
            let started = Instant::now();
            let mut answer = match link {
                Ok(link) => match tokio::time::timeout(within, ask_one(&link, &question)).await {
                    Ok(answer) => answer,
                    Err(_) => state("timeout", Some("对方没有在规定时间内回答".into())),
                },
                Err(why) => state("refused", Some(why.into())),
            };
            answer.peer_id = peer.id;
            answer.peer_name = peer.name;
            answer.millis = Some(started.elapsed().as_millis() as u64);
            (i, answer)
        });
    }
    while let Some(done) = asking.join_next().await {
        if let Ok((i, answer)) = done {
            answered(i, answer);
        }
    }
}

fn state(state: &str, message: Option<String>) -> PeerAnswer {
    PeerAnswer {
        peer_id: 0,
        peer_name: String::new(),
        state: state.to_string(),
        facts: None,
        message,
        millis: None,
    }
}

async fn ask_one(link: &HostLink, question: &WhoHoldsQuestion) -> PeerAnswer {
    let body = serde_json::to_vec(question).expect("plain fields serialize");
    let request = hyper::Request::post(WHO_HOLDS_PATH)
        .header(hyper::header::HOST, link.host())
        .header(hyper::header::CONTENT_TYPE, "application/json")
        .body(Body::from(body));
    let Ok(request) = request else {
        return state("unreachable", Some(format!("地址「{}」不对", link.host())));
    };
    let response = match link.send(request).await {
        Ok(response) => response,
        Err(LinkError::WrongHostKey) => {
            return state(
                "refused",
                Some("对方出示的密钥与登记的不同：已拒绝连接（可能是冒充的电脑；如对方确实换了密钥，请主管核实后重新添加）".into()),
            )
        }
        Err(LinkError::Unreachable(why)) => return state("unreachable", Some(why)),
    };
    let status = response.status();
    let limited = http_body_util::Limited::new(response.into_body(), ANSWER_BYTES);
    let bytes = match limited.collect().await {
        Ok(body) => body.to_bytes(),
        Err(e) => return state("unreachable", Some(format!("回答不完整：{e}"))),
    };
    if !status.is_success() {
        // The peer's words are shown, never more than a line of them.
        let said = serde_json::from_slice::<crate::error::Error>(&bytes)
            .map(|e| e.message.chars().take(200).collect::<String>())
            .unwrap_or_else(|_| format!("HTTP {status}"));
        // Busy or broken there is not a refusal of this archive.
        let kind = if status.is_server_error() {
            "unreachable"
        } else {
            "refused"
        };
        return state(kind, Some(crate::privacy::mask_text(&said)));
    }
    match serde_json::from_slice::<WhoHoldsFacts>(&bytes) {
        Ok(mut facts) => {
            // What this archive shows is only what it knows how to say.
            for group in &mut facts.groups {
                if !["id", "name_birth", "name_only", "confirmed"]
                    .contains(&group.matched_by.as_str())
                {
                    group.matched_by = "name_only".into();
                }
            }
            let found = facts.restricted > 0 || facts.groups.iter().any(|g| g.records > 0);
            PeerAnswer {
                facts: Some(facts),
                ..state(if found { "found" } else { "none" }, None)
            }
        }
        Err(e) => state("refused", Some(format!("回答无法识别：{e}"))),
    }
}

/// An ask as its answers come in, shared by the thread asking and the screens reading it.
pub type SharedAsk = Arc<Mutex<PeerAskView>>;

/// The asks under way and done, by number, with the clerk each belongs to.
#[derive(Default)]
pub struct PeerAsks {
    next: AtomicU64,
    asks: Mutex<HashMap<u64, (Option<i64>, SharedAsk)>>,
}

impl PeerAsks {
    /// A new ask for `clerk`, every peer waiting.
    pub fn start(
        &self,
        clerk: Option<i64>,
        request_id: i64,
        mode: &str,
        peers: &[Peer],
    ) -> SharedAsk {
        let ask_id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let view = Arc::new(Mutex::new(PeerAskView {
            ask_id,
            request_id,
            mode: mode.to_string(),
            answers: peers
                .iter()
                .map(|p| PeerAnswer {
                    peer_id: p.id,
                    peer_name: p.name.clone(),
                    ..state("waiting", None)
                })
                .collect(),
            done: false,
        }));
        let mut asks = self.asks.lock().unwrap_or_else(PoisonError::into_inner);
        if asks.len() >= ASKS_KEPT {
            if let Some(oldest) = asks.keys().min().copied() {
                asks.remove(&oldest);
            }
        }
        asks.insert(ask_id, (clerk, Arc::clone(&view)));
        view
    }

    /// The ask as it stands, for the clerk who started it (or a supervisor).
    pub fn view(&self, ask_id: u64, clerk: Option<i64>, supervisor: bool) -> Option<PeerAskView> {
        let asks = self.asks.lock().unwrap_or_else(PoisonError::into_inner);
        let (owner, view) = asks.get(&ask_id)?;
        (supervisor || *owner == clerk)
            .then(|| view.lock().unwrap_or_else(PoisonError::into_inner).clone())
    }
}
