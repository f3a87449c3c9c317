//! The LAN door run beside the desktop app, on the archive the app has open (设置 → 局域网主机):
//! on a small archive the host PC's own clerk keeps working in the app while the other desks
//! work on the same archive through this door. The door is the one `serve --lan` opens (TLS 1.3,
//! enrolled desks only), on a thread of its own; the app keeps the archive and closes it.
//! Whether it was on is kept in the data folder (`remembered_door`), so the door opens again
//! with the app.

use super::lan_door::{self, LanHost};
use super::{bind, listen, new_door, remembered_door, runtime, Door};
use crate::api::{Caller, LanHostStatus, LanPairing};
use crate::error::{Error, ErrorCode, Result};
use crate::session::Session;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Whether the app serves the LAN, and on which address (`{"listen": "0.0.0.0:8443"}`).
const SETTING_FILE: &str = "lan_host.json";

/// The address a new host listens on: every address of the PC, the port IT opens.
pub const DEFAULT_LISTEN: &str = "0.0.0.0:8443";

pub struct LanBeside {
    door: Arc<Door>,
    address: SocketAddr,
    host_pin: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    data_dir: PathBuf,
}

/// The address the app served the LAN on when it last closed, if it did.
pub fn remembered(data_dir: &Path) -> Option<String> {
    remembered_door::remembered(data_dir, SETTING_FILE)
}

impl LanBeside {
    /// Opens the LAN door on `listen` over `session`'s archive, for `caller` (a supervisor), and
    /// remembers the address it listens on for the app's next start. With `open_pairing`, a
    /// pairing is opened at once for the next desk, recorded as the caller's (not when the door
    /// merely opens again with the app).
    pub fn start(
        session: Arc<Session>,
        data_dir: &Path,
        listen: SocketAddr,
        caller: &Caller,
        open_pairing: bool,
    ) -> Result<LanBeside> {
        caller.require_supervisor("在局域网上提供档案库")?;
        let opened_by = open_pairing.then(|| caller.clone());
        let (lan, _) =
            session.with_archive(|archive| LanHost::prepare(archive, data_dir, opened_by))?;
        let host_pin = lan.pin_shown();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (opened, door_open) = std::sync::mpsc::channel();
        let dir = data_dir.to_path_buf();
        let runtime = runtime()?;
        let thread = std::thread::Builder::new()
            .name("lan-door".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let (listener, bound) = match bind(listen).await {
                        Ok(bound) => bound,
                        Err(e) => {
                            let _ = opened.send(Err(e));
                            return;
                        }
                    };
                    let tls = Some(lan.acceptor());
                    // Uploads stay when the door closes: the session's imports may still read
                    // them (leftovers go at the app's next start).
                    let door = new_door(session, &dir, bound, Some(lan), [None, None]);
                    let router = lan_door::router(Arc::clone(&door));
                    let _ = opened.send(Ok((Arc::clone(&door), bound)));
                    let shutdown = async {
                        let _ = stopped.await;
                    };
                    listen::serve_until(listener, router, tls, shutdown).await;
                });
            })
            .map_err(|e| Error::new(ErrorCode::Io, format!("无法启动局域网服务：{e}")))?;
        let (door, address) = door_open
            .recv()
            .map_err(|_| Error::new(ErrorCode::Io, "局域网服务没有启动"))??;
        let mut beside = LanBeside {
            door,
            address,
            host_pin,
            stop: Some(stop),
            thread: Some(thread),
            data_dir: data_dir.to_path_buf(),
        };
        // The port it got, not `:0`: the desks keep the address they paired with.
        if let Err(e) = remembered_door::remember(data_dir, SETTING_FILE, address) {
            beside.close();
            return Err(e);
        }
        Ok(beside)
    }

    /// Where the door listens, its key, and the pairing open now (if one is).
    pub fn status(&self) -> LanHostStatus {
        let open = self.door.lan.as_ref().and_then(LanHost::pairing_open);
        LanHostStatus {
            running: true,
            listen: Some(self.address.to_string()),
            host_pin: Some(self.host_pin.clone()),
            pairing: open.map(|opened| LanPairing {
                code: opened.code,
                desk_code: opened.desk.code,
                desk_name: opened.desk.name,
                seconds_left: opened.expires_in.as_secs(),
            }),
        }
    }

    /// One of the host's own operations on its desks (`lan_door::HOST_OPERATIONS`), for the
    /// clerk at the host PC.
    pub fn host_operation(
        &self,
        caller: Caller,
        op: &str,
        body: &[u8],
    ) -> Result<serde_json::Value> {
        lan_door::host_operation(&self.door.session, self.door.lan.as_ref(), caller, op, body)
    }

    /// Closes the door (requests under way are answered first) and forgets it for the next
    /// start; the archive stays open in the app.
    pub fn stop(mut self) -> Result<()> {
        self.close();
        remembered_door::forget(&self.data_dir, SETTING_FILE)
    }

    fn close(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The app quitting closes the door and keeps it on for the next start.
impl Drop for LanBeside {
    fn drop(&mut self) {
        self.close();
    }
}
