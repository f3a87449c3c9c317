//! 设置 → 跨馆档案馆 → 本馆跨馆端口: the app answers other archives on its own archive through the
//! peer door (`archivedesk::http::peer_beside`) — an archive of one PC takes 跨馆 applications
//! and hears back on those it sent. Only a supervisor turns it on or off; once on, it opens
//! again with the app until turned off.

use crate::door_switch::DoorSwitch;
use archivedesk::api::{Caller, PeerDoorStatus};
use archivedesk::http::peer_beside::{remembered, PeerBeside, DEFAULT_LISTEN};
use archivedesk::http::remembered_door::parse_listen;
use archivedesk::session::Session;
use archivedesk::{Error, ErrorCode, Result};
use std::sync::Arc;

pub struct PeerDoorSwitch {
    session: Arc<Session>,
    door: DoorSwitch<PeerBeside>,
}

impl PeerDoorSwitch {
    pub fn new(session: Arc<Session>) -> Arc<PeerDoorSwitch> {
        Arc::new(PeerDoorSwitch {
            session,
            door: DoorSwitch::default(),
        })
    }

    /// At the app's start (blocking: it waits for the archive to open): the door opens again if
    /// it was on when the app closed. A door that cannot open is logged; the supervisor sees it
    /// off in 设置.
    pub fn reopen_if_remembered(&self) {
        let Ok(data_dir) = self.session.data_dir() else {
            return;
        };
        let Some(listen) = remembered(&data_dir) else {
            return;
        };
        match self.start(&Caller::local_operator(), &listen) {
            Ok(status) => log::info!("peer door open again on {:?}", status.listen),
            Err(e) => log::error!("peer door not opened again on {listen}: {}", e.message),
        }
    }

    pub fn status(&self, caller: &Caller) -> Result<PeerDoorStatus> {
        caller.require_supervisor("查看跨馆端口")?;
        if let Some(status) = self.door.with(|door| door.map(PeerBeside::status)) {
            return Ok(status);
        }
        let remembered = self
            .session
            .data_dir()
            .ok()
            .and_then(|dir| remembered(&dir));
        Ok(PeerDoorStatus {
            running: false,
            listen: Some(remembered.unwrap_or_else(|| DEFAULT_LISTEN.to_string())),
        })
    }

    /// Opens the door on `listen`, closing one already open first.
    pub fn start(&self, caller: &Caller, listen: &str) -> Result<PeerDoorStatus> {
        caller.require_supervisor("向其他档案馆开放跨馆端口")?;
        let listen = parse_listen(listen)?;
        let data_dir = self.session.data_dir()?;
        self.door.open(
            || PeerBeside::start(Arc::clone(&self.session), &data_dir, listen, caller),
            PeerBeside::status,
        )
    }

    /// Closes the door; it stays closed at the next start.
    pub fn stop(&self, caller: &Caller) -> Result<PeerDoorStatus> {
        caller.require_supervisor("关闭跨馆端口")?;
        if let Some(open) = self.door.take() {
            open.stop()?;
        }
        self.status(caller)
    }

    /// The app quitting: the door closes (and opens again with the app).
    pub fn close(&self) {
        self.door.quit();
    }

    /// Refuses switching to another archive while other archives are answered from this one.
    pub fn refuse_while_on(&self, op: &str) -> Result<()> {
        if op == "open_demo" && self.door.is_on() {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                "本机正在向其他档案馆开放跨馆端口：请先在 设置 → 跨馆档案馆 中关闭，再打开演示档案库",
            ));
        }
        Ok(())
    }
}
