//! Delivering one message of the outbox to its peer, over the pinned TLS connection with this
//! archive's key. Delivered means the peer answered 2xx: it has taken the message (or had it
//! already). Anything else is tried again later, less and less often.

use crate::lan::desk_link::{HostLink, LinkError};
use crate::lan::keys::{Pin, TlsKey};
use axum::body::Body;
use http_body_util::BodyExt;
use std::time::Duration;

/// How long one delivery may take: a certificate of several MB over an office line.
pub const DELIVERY_WITHIN: Duration = Duration::from_secs(60);
/// Waits between attempts: doubling from 2 s, never more than 5 minutes.
pub fn retry_after(attempts: i64) -> Duration {
    Duration::from_secs(2u64.saturating_pow(attempts.clamp(1, 16) as u32).min(300))
}

pub use crate::store::cross::OutboxMessage as Outgoing;

/// Why a message was not delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotDelivered {
    /// Down, busy, slow, or over its rate: tried again later.
    Later(String),
    /// The peer refused the message itself (a 4xx other than 408 and 429): trying again would
    /// be refused again.
    Refused(String),
}

impl NotDelivered {
    pub fn why(&self) -> &str {
        match self {
            NotDelivered::Later(why) | NotDelivered::Refused(why) => why,
        }
    }
}

/// Sends `message`.
pub async fn deliver(key: &TlsKey, message: &Outgoing) -> Result<(), NotDelivered> {
    send(key, message).await.map_err(|(permanent, why)| {
        if permanent {
            NotDelivered::Refused(why)
        } else {
            NotDelivered::Later(why)
        }
    })
}

/// Err((refused for good, why)).
async fn send(key: &TlsKey, message: &Outgoing) -> Result<(), (bool, String)> {
    let later = |why: String| (false, why);
    let pin = Pin::parse(&message.pin).ok_or(later("登记的密钥摘要无法读取".into()))?;
    let link = HostLink::new(&message.address, key, Some(pin)).map_err(|e| later(e.message))?;
    let request = hyper::Request::post(message.path.as_str())
        .header(hyper::header::HOST, link.host())
        .header(hyper::header::CONTENT_TYPE, "application/json")
        .body(Body::from(message.body.clone()))
        .map_err(|_| later(format!("地址「{}」不对", link.host())))?;
    let sent = tokio::time::timeout(DELIVERY_WITHIN, link.send(request)).await;
    let response = match sent {
        Err(_) => return Err(later("对方没有在规定时间内回答".into())),
        Ok(Err(LinkError::WrongHostKey)) => {
            return Err(later("对方出示的密钥与登记的不同：已拒绝连接".into()))
        }
        Ok(Err(LinkError::Unreachable(why))) => return Err(later(why)),
        Ok(Ok(response)) => response,
    };
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let limited = http_body_util::Limited::new(response.into_body(), 64 << 10);
    let said = match limited.collect().await {
        Ok(body) => serde_json::from_slice::<crate::error::Error>(&body.to_bytes())
            .map(|e| e.message.chars().take(200).collect::<String>())
            .unwrap_or_else(|_| format!("HTTP {status}")),
        Err(_) => format!("HTTP {status}"),
    };
    let for_good = status.is_client_error()
        && status != hyper::StatusCode::REQUEST_TIMEOUT
        && status != hyper::StatusCode::TOO_MANY_REQUESTS;
    Err((for_good, crate::privacy::mask_text(&said)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_wait_longer_and_longer_up_to_five_minutes() {
        assert_eq!(retry_after(1), Duration::from_secs(2));
        assert_eq!(retry_after(3), Duration::from_secs(8));
        assert_eq!(retry_after(40), Duration::from_secs(300));
    }
}
