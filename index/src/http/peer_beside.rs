//! The peer door run beside the desktop app, on the archive the app has open (设置 → 跨馆档案馆 →
//! 本馆跨馆端口): other archives reach this one — who-holds questions, 跨馆 applications and the
//! steps of those this archive sent — while its clerk works in the app. It is the door
//! `serve --peer-door` opens (TLS 1.3 with the archive's own key, peers' pinned keys only, each
//! refusal on the trail), on a thread of its own, apart from the LAN door if the app opens that
//! too. Whether it was on is kept in the data folder, so it opens again with the app.

use super::{bind, listen, peer_door, remembered_door, runtime};
use crate::api::{Caller, PeerDoorStatus};
use crate::error::{Error, ErrorCode, Result};
use crate::session::Session;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Whether the app serves other archives, and on which address (`{"listen": "0.0.0.0:9443"}`).
const SETTING_FILE: &str = "peer_door.json";

/// The address a new peer door listens on: every address of the PC, a port beside the LAN door's.
pub const DEFAULT_LISTEN: &str = "0.0.0.0:9443";

pub struct PeerBeside {
    address: SocketAddr,
    stop: Option<tokio::sync::watch::Sender<bool>>,
    thread: Option<std::thread::JoinHandle<()>>,
    data_dir: PathBuf,
}

/// The address the app served other archives on when it last closed, if it did.
pub fn remembered(data_dir: &Path) -> Option<String> {
    remembered_door::remembered(data_dir, SETTING_FILE)
}

impl PeerBeside {
    /// Opens the peer door on `listen` over `session`'s archive, for `caller` (a supervisor), and
    /// remembers the address it listens on for the app's next start.
    pub fn start(
        session: Arc<Session>,
        data_dir: &Path,
        listen: SocketAddr,
        caller: &Caller,
    ) -> Result<PeerBeside> {
        caller.require_supervisor("向其他档案馆开放跨馆端口")?;
        if session.on_demo()? {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                "演示档案库是编造的数据，不向其他档案馆开放：请先打开本馆的档案库",
            ));
        }
        let key = session.with_archive(|archive| archive.host_key())?;
        let tls = tokio_rustls::TlsAcceptor::from(Arc::new(crate::lan::tls::host_config(&key)?));
        let (stop, mut stopping) = tokio::sync::watch::channel(false);
        let (opened, door_open) = std::sync::mpsc::channel();
        let runtime = runtime()?;
        let thread = std::thread::Builder::new()
            .name("peer-door".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let (listener, bound) = match bind(listen).await {
                        Ok(bound) => bound,
                        Err(e) => {
                            let _ = opened.send(Err(e));
                            return;
                        }
                    };
                    let door = peer_door::PeerDoor::new(session);
                    let failed = peer_door::handshake_failed(&door);
                    let _ = opened.send(Ok(bound));
                    let shutdown = async move {
                        let _ = stopping.wait_for(|stop| *stop).await;
                    };
                    listen::serve_until_telling(
                        listener,
                        peer_door::router(door),
                        Some(tls),
                        shutdown,
                        Some(failed),
                    )
                    .await;
                });
            })
            .map_err(|e| Error::new(ErrorCode::Io, format!("无法启动跨馆端口：{e}")))?;
        let address = door_open
            .recv()
            .map_err(|_| Error::new(ErrorCode::Io, "跨馆端口没有启动"))??;
        let mut beside = PeerBeside {
            address,
            stop: Some(stop),
            thread: Some(thread),
            data_dir: data_dir.to_path_buf(),
        };
        // The port it got, not `:0`: the other archives keep the address they were told.
        if let Err(e) = remembered_door::remember(data_dir, SETTING_FILE, address) {
            beside.close();
            return Err(e);
        }
        Ok(beside)
    }

    pub fn status(&self) -> PeerDoorStatus {
        PeerDoorStatus {
            running: true,
            listen: Some(self.address.to_string()),
        }
    }

    /// Closes the door (calls under way are answered first) and forgets it for the next start.
    pub fn stop(mut self) -> Result<()> {
        self.close();
        remembered_door::forget(&self.data_dir, SETTING_FILE)
    }

    fn close(&mut self) {
        if let Some(stop) = self.stop.take() {
            stop.send_replace(true);
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The app quitting closes the door and keeps it on for the next start.
impl Drop for PeerBeside {
    fn drop(&mut self) {
        self.close();
    }
}
