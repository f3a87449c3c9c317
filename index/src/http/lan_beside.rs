//! The LAN door run beside the desktop app, on the archive the app has open (设置 → 局域网主机):
//! on a small archive the host PC's own clerk keeps working in the app while the other desks
//! work on the same archive through this door. The door is the one `serve --lan` opens (TLS 1.3,
//! enrolled desks only), on a thread of its own; the app keeps the archive and closes it.
//! Whether it was on is kept in the data folder, so the door opens again with the app.

use super::lan_door::{self, LanHost};
use super::{bind, listen, new_door, runtime, Door};
use crate::api::{Caller, LanHostStatus, LanPairing};
use crate::error::{Error, ErrorCode, Result};
use crate::session::Session;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Whether the app serves the LAN, and on which address (`{"listen": "0.0.0.0:8443"}`).
const SETTING_FILE: &str = "lan_host.json";

/// The address a new host listens on: every address of the PC, the port IT opens.
pub const DEFAULT_LISTEN: &str = "0.0.0.0:8443";

#[derive(Serialize, Deserialize)]
struct Setting {
    listen: String,
}

pub struct LanBeside {
    door: Arc<Door>,
    address: SocketAddr,
    host_pin: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    data_dir: PathBuf,
}

/// The address the app served the LAN on when it last closed, if it did. A damaged setting is
/// said in the log and taken as off: the supervisor turns the door on again.
pub fn remembered(data_dir: &Path) -> Option<String> {
    let path = data_dir.join(SETTING_FILE);
    let bytes = std::fs::read(&path).ok()?;
    match serde_json::from_slice::<Setting>(&bytes) {
        Ok(setting) => Some(setting.listen),
        Err(e) => {
            log::error!(
                "{} unreadable, the LAN door stays closed: {e}",
                path.display()
            );
            None
        }
    }
}

/// Written whole or not at all.
fn remember(data_dir: &Path, listen: SocketAddr) -> Result<()> {
    let path = data_dir.join(SETTING_FILE);
    let temporary = path.with_extension("new");
    let setting = Setting {
        listen: listen.to_string(),
    };
    std::fs::write(
        &temporary,
        serde_json::to_vec(&setting).expect("plain fields"),
    )
    .and_then(|()| std::fs::rename(&temporary, &path))
    .map_err(|e| Error::io("无法保存局域网主机设置", &path, &e))
}

/// The address a clerk typed (`192.168.1.20:8443`, or a port alone for every address).
pub fn parse_listen(typed: &str) -> Result<SocketAddr> {
    let typed = typed.trim();
    let full = if typed.chars().all(|c| c.is_ascii_digit()) && !typed.is_empty() {
        format!("0.0.0.0:{typed}")
    } else {
        typed.to_string()
    };
    full.parse().map_err(|_| {
        Error::new(
            ErrorCode::InvalidRequest,
            format!("地址「{typed}」不对：应为 IP:端口，如 192.168.1.20:8443，或 0.0.0.0:8443（本机所有地址）"),
        )
    })
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
        if let Err(e) = remember(data_dir, address) {
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
        let path = self.data_dir.join(SETTING_FILE);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io("无法保存局域网主机设置", &path, &e)),
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_port_alone_listens_on_every_address_and_a_wrong_address_is_said() {
        assert_eq!(parse_listen("8443").unwrap().to_string(), "0.0.0.0:8443");
        assert_eq!(
            parse_listen(" 192.168.1.20:8443 ").unwrap().to_string(),
            "192.168.1.20:8443"
        );
        let wrong = parse_listen("主机:8443").unwrap_err();
        assert!(wrong.message.contains("IP:端口"), "{}", wrong.message);
        assert!(parse_listen("").is_err());
    }
}
