//! A desk's link to its host: the pinned TLS connection (with the desk's own key) that requests
//! are forwarded over, the pairing that makes a desk of a PC, and what the desk keeps of it in
//! its data folder (`lan_desk.json`: the host's address and pin, and the desk's name and code).

use super::keys::{Pin, TlsKey};
use super::pairing::DeskPairing;
use super::tls::{desk_config, peer_pin, server_name};
use super::KEY_FILE;
use crate::error::{Error, ErrorCode, Result};
use axum::body::Body;
use base64::Engine as _;
use hyper::body::Incoming;
use hyper::client::conn::http1::{self, SendRequest};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio_rustls::TlsConnector;

/// What a desk keeps of its pairing, in its data folder.
pub const DESK_FILE: &str = "lan_desk.json";
/// The key a pairing under way is made with.
const PAIRING_KEY_FILE: &str = "lan_key.pairing.pem";
/// A host that does not answer the connection and handshake within this is unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// A host that has not begun to answer a request by then is taken for gone (a pulled cable
/// leaves no other trace); drawing a large certificate takes seconds, not minutes.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(120);
/// Kept connections are given up before the host closes them as idle (after 10 s).
const KEPT_FOR: Duration = Duration::from_secs(8);
/// Connections kept per desk: eight desks stay well inside the host's 64.
const KEPT_AT_MOST: usize = 4;
/// How long a desk keeps asking again for an act while the host cannot be reached (a restart).
const RETRY_FOR: Duration = Duration::from_secs(60);

/// The paths of the pairing exchange on the host's LAN door.
pub const PAIR_ANSWER_PATH: &str = "/lan/pair/answer";
pub const PAIR_CONFIRM_PATH: &str = "/lan/pair/confirm";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskConfig {
    /// The host's address as the clerk typed it (`host:port`).
    pub host: String,
    /// The host's key, in hex: the only host this desk talks to.
    pub host_pin: String,
    pub desk_code: String,
    pub desk_name: String,
    pub archive_name: String,
}

impl DeskConfig {
    /// The desk's pairing, if this data folder belongs to a paired desk.
    pub fn load(data_dir: &Path) -> Result<Option<DeskConfig>> {
        let path = data_dir.join(DESK_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
                Error::new(
                    ErrorCode::DataDir,
                    format!("柜台配置「{}」已损坏：{e}；请重新配对", path.display()),
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io("无法读取柜台配置", &path, &e)),
        }
    }

    fn save(&self, data_dir: &Path) -> Result<()> {
        let path = data_dir.join(DESK_FILE);
        let temporary = path.with_extension("new");
        let json = serde_json::to_vec_pretty(self).expect("plain fields serialize");
        std::fs::write(&temporary, json)
            .and_then(|()| std::fs::rename(&temporary, &path))
            .map_err(|e| Error::io("无法保存柜台配置", &path, &e))
    }

    pub fn pin(&self) -> Result<Pin> {
        Pin::parse(&self.host_pin)
            .ok_or_else(|| Error::new(ErrorCode::DataDir, "柜台配置中的主机密钥已损坏：请重新配对"))
    }
}

/// The desk's key, made in its data folder on first use.
pub fn desk_key(data_dir: &Path) -> Result<TlsKey> {
    TlsKey::load_or_make(&data_dir.join(KEY_FILE), "archivedesk-desk")
}

/// Why a request could not be forwarded: the clerk is told so, and the desk tries again.
#[derive(Debug)]
pub enum LinkError {
    /// The host answered with another key than the pinned one: never "continue anyway".
    WrongHostKey,
    /// The host cannot be reached now (down, restarting, cable out).
    Unreachable(String),
}

impl LinkError {
    pub fn into_error(self, host: &str) -> Error {
        match self {
            LinkError::WrongHostKey => Error::new(
                ErrorCode::Forbidden,
                format!(
                    "「{host}」上的档案库主机的密钥与配对时记下的不同：已拒绝连接（可能是另一台电脑冒充主机）。如果主机确实换了密钥，请主管重新为本柜台配对"
                ),
            ),
            LinkError::Unreachable(why) => Error::new(
                ErrorCode::HostUnreachable,
                format!("与档案库主机的连接已断开，正在重试（{host}：{why}）"),
            ),
        }
    }
}

/// A connection kept for the next request, and since when.
type Kept = (SendRequest<Body>, Instant);

pub struct HostLink {
    host: String,
    connector: TlsConnector,
    /// Connections that finished their last exchange, kept for the next request, and since when.
    idle: Arc<Mutex<Vec<Kept>>>,
}

impl HostLink {
    /// A link to `host` with the desk's `key`; with `pin`, only to the host holding that key.
    pub fn new(host: &str, key: &TlsKey, pin: Option<Pin>) -> Result<HostLink> {
        Ok(HostLink {
            host: host.to_string(),
            connector: TlsConnector::from(Arc::new(desk_config(key, pin)?)),
            idle: Arc::new(Mutex::new(Vec::new())),
        })
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    /// A new connection, and the key the host proved it holds.
    async fn connect(&self) -> std::result::Result<(SendRequest<Body>, Option<Pin>), LinkError> {
        let unreachable = |e: &dyn std::fmt::Display| LinkError::Unreachable(e.to_string());
        let connecting = async {
            let tcp = tokio::net::TcpStream::connect(&self.host)
                .await
                .map_err(|e| unreachable(&e))?;
            let _ = tcp.set_nodelay(true);
            self.connector
                .connect(server_name(&self.host), tcp)
                .await
                .map_err(
                    |e| match e.get_ref().and_then(|e| e.downcast_ref::<rustls::Error>()) {
                        Some(rustls::Error::InvalidCertificate(_)) => LinkError::WrongHostKey,
                        _ => unreachable(&e),
                    },
                )
        };
        let tls = tokio::time::timeout(CONNECT_TIMEOUT, connecting)
            .await
            .map_err(|_| LinkError::Unreachable("连接超时".into()))??;
        let host_pin = peer_pin(tls.get_ref().1.peer_certificates());
        let (sender, connection) = http1::handshake(TokioIo::new(tls))
            .await
            .map_err(|e| unreachable(&e))?;
        tokio::spawn(connection);
        Ok((sender, host_pin))
    }

    /// Sends `request` to the host on a kept connection or a new one. A request a kept
    /// connection could not take (the host closed it meanwhile) goes on a new one; a request
    /// sent and then lost is not sent again here.
    pub async fn send(
        &self,
        mut request: Request<Body>,
    ) -> std::result::Result<Response<Incoming>, LinkError> {
        let gone = || LinkError::Unreachable("主机没有回答".into());
        loop {
            let kept = self
                .idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .pop();
            let Some((mut sender, since)) = kept else {
                break;
            };
            if since.elapsed() > KEPT_FOR || sender.is_closed() || sender.ready().await.is_err() {
                continue;
            }
            let answer = tokio::time::timeout(ANSWER_TIMEOUT, sender.try_send_request(request));
            match answer.await.map_err(|_| gone())? {
                Ok(response) => {
                    self.keep_when_ready(sender);
                    return Ok(response);
                }
                Err(mut failed) => match failed.take_message() {
                    Some(unsent) => request = unsent,
                    None => return Err(LinkError::Unreachable(failed.into_error().to_string())),
                },
            }
        }
        let (mut sender, _) = self.connect().await?;
        let answer = tokio::time::timeout(ANSWER_TIMEOUT, sender.send_request(request));
        let response = answer
            .await
            .map_err(|_| gone())?
            .map_err(|e| LinkError::Unreachable(e.to_string()))?;
        self.keep_when_ready(sender);
        Ok(response)
    }

    /// Sends an act, made by `make` under one retry key, and sends it again with the same key
    /// while the host cannot be reached (the host does each act once: `Archive::retry_key`).
    /// Waits double from a quarter second to 4 s, for at most a minute.
    pub async fn send_act(
        &self,
        make: impl Fn() -> Result<Request<Body>>,
    ) -> Result<Response<Incoming>> {
        let started = Instant::now();
        let mut pause = Duration::from_millis(250);
        loop {
            match self.send(make()?).await {
                Ok(answer) => return Ok(answer),
                Err(LinkError::Unreachable(_)) if started.elapsed() < RETRY_FOR => {
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_secs(4));
                }
                Err(e) => return Err(e.into_error(&self.host)),
            }
        }
    }

    /// Back among the kept connections once its response has been read.
    fn keep_when_ready(&self, mut sender: SendRequest<Body>) {
        let idle = Arc::clone(&self.idle);
        tokio::spawn(async move {
            if sender.ready().await.is_ok() {
                let mut idle = idle.lock().unwrap_or_else(PoisonError::into_inner);
                idle.retain(|(_, since)| since.elapsed() <= KEPT_FOR);
                if idle.len() < KEPT_AT_MOST {
                    idle.push((sender, Instant::now()));
                }
            }
        });
    }

    /// POSTs `body` as JSON and reads a JSON answer (for the pairing exchange, before the host
    /// is known: its answer is read only so far, and its words are not shown as they are).
    async fn post_json<T: for<'de> Deserialize<'de>>(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> Result<T> {
        let request = Request::post(path)
            .header(hyper::header::HOST, &self.host)
            .header(hyper::header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                serde_json::to_vec(body).expect("plain fields serialize"),
            ))
            .map_err(|_| {
                Error::new(
                    ErrorCode::InvalidRequest,
                    format!("主机地址「{}」不对", self.host),
                )
            })?;
        let response = self
            .send(request)
            .await
            .map_err(|e| e.into_error(&self.host))?;
        let ok = response.status().is_success();
        let limited = http_body_util::Limited::new(response.into_body(), 64 << 10);
        let bytes = http_body_util::BodyExt::collect(limited)
            .await
            .map_err(|e| Error::new(ErrorCode::HostUnreachable, format!("主机的回答不完整：{e}")))?
            .to_bytes();
        if !ok {
            let code =
                serde_json::from_slice::<Error>(&bytes).map_or(ErrorCode::Forbidden, |e| e.code);
            return Err(Error::new(
                code,
                "档案库主机拒绝了配对：配对码不对、已用过或已过期；请主管在主机上重新开始配对",
            ));
        }
        serde_json::from_slice(&bytes).map_err(|e| {
            Error::new(
                ErrorCode::HostUnreachable,
                format!("主机的回答无法识别：{e}"),
            )
        })
    }
}

#[derive(Serialize, Deserialize)]
pub struct PairAnswerRequest {
    pub message: String,
}

#[derive(Serialize, Deserialize)]
pub struct PairAnswer {
    pub message: String,
    pub confirmation: String,
}

#[derive(Serialize, Deserialize)]
pub struct PairConfirmRequest {
    pub confirmation: String,
}

#[derive(Serialize, Deserialize)]
pub struct PairConfirmed {
    pub desk_code: String,
    pub desk_name: String,
    pub archive_name: String,
}

pub fn encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn decode(text: &str) -> Result<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|_| Error::new(ErrorCode::InvalidRequest, "配对请求的格式不对"))
}

/// Pairs the PC whose data folder is `data_dir` as a desk of the host at `host`, with the code
/// shown at the host; keeps the pairing in the data folder and answers it.
pub async fn pair(data_dir: &Path, host: &str, code: &str) -> Result<DeskConfig> {
    std::fs::create_dir_all(data_dir).map_err(|e| Error::io("无法创建数据文件夹", data_dir, &e))?;
    // A new key for each pairing, taken into use only once the host enrolled it: a desk that
    // was revoked, or whose last pairing broke off, pairs again as a new key.
    let pairing_key = data_dir.join(PAIRING_KEY_FILE);
    let _ = std::fs::remove_file(&pairing_key);
    let key = TlsKey::load_or_make(&pairing_key, "archivedesk-desk")?;
    // The host's key as the connection shows it; from here on only that key is talked to, and
    // the exchange below proves it belongs to the host that showed the code.
    let (_, seen) = HostLink::new(host, &key, None)?
        .connect()
        .await
        .map_err(|e| match e {
            LinkError::Unreachable(why) => Error::new(
                ErrorCode::HostUnreachable,
                format!("无法连接「{host}」上的档案库主机（{why}）：请检查地址和端口，以及主机上的档案查询台是否已启动"),
            ),
            other => other.into_error(host),
        })?;
    let host_pin =
        seen.ok_or_else(|| Error::new(ErrorCode::Forbidden, "档案库主机没有出示密钥"))?;
    let link = HostLink::new(host, &key, Some(host_pin))?;
    let (pairing, message) = DeskPairing::start(code, host_pin, key.pin());
    let answer: PairAnswer = link
        .post_json(
            PAIR_ANSWER_PATH,
            &PairAnswerRequest {
                message: encode(&message),
            },
        )
        .await?;
    let confirmation = pairing.finish(&decode(&answer.message)?, &decode(&answer.confirmation)?)?;
    let confirmed: PairConfirmed = link
        .post_json(
            PAIR_CONFIRM_PATH,
            &PairConfirmRequest {
                confirmation: encode(&confirmation),
            },
        )
        .await?;
    let config = DeskConfig {
        host: host.to_string(),
        host_pin: host_pin.hex(),
        desk_code: confirmed.desk_code,
        desk_name: confirmed.desk_name,
        archive_name: confirmed.archive_name,
    };
    let kept = data_dir.join(KEY_FILE);
    std::fs::rename(&pairing_key, &kept).map_err(|e| Error::io("无法保存密钥文件", &kept, &e))?;
    config.save(data_dir)?;
    Ok(config)
}
