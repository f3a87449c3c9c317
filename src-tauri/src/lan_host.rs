//! 设置 → 局域网主机: the app serves its own archive to the office's other desks through the LAN
//! door (`archivedesk::http::lan_beside`), while its clerk keeps working in it. Only a supervisor
//! turns it on or off; once on, it opens again with the app until turned off.

use crate::door_switch::DoorSwitch;
use archivedesk::api::{Caller, LanHostStatus};
use archivedesk::http::forget_leftover_uploads;
use archivedesk::http::lan_beside::{remembered, LanBeside, DEFAULT_LISTEN};
use archivedesk::http::lan_door;
use archivedesk::http::remembered_door::parse_listen;
use archivedesk::session::Session;
use archivedesk::{Error, ErrorCode, Result};
use std::sync::Arc;

pub struct LanHostSwitch {
    session: Arc<Session>,
    door: DoorSwitch<LanBeside>,
}

impl LanHostSwitch {
    pub fn new(session: Arc<Session>) -> Arc<LanHostSwitch> {
        Arc::new(LanHostSwitch {
            session,
            door: DoorSwitch::default(),
        })
    }

    /// At the app's start (blocking: it waits for the archive to open): uploads an earlier run
    /// left are removed, and the door opens again if it was on when the app closed — with no
    /// pairing open, since nobody asked for one. A door that cannot open is logged; the
    /// supervisor sees it off in 设置.
    pub fn reopen_if_remembered(&self) {
        let Ok(data_dir) = self.session.data_dir() else {
            return;
        };
        forget_leftover_uploads(&data_dir);
        let Some(listen) = remembered(&data_dir) else {
            return;
        };
        match self.open(&Caller::local_operator(), &listen, false) {
            Ok(status) => log::info!("LAN door open again on {:?}", status.listen),
            Err(e) => log::error!("LAN door not opened again on {listen}: {}", e.message),
        }
    }

    pub fn is_on(&self) -> bool {
        self.door.is_on()
    }

    /// Whether the door is open, where, and the code of the pairing it opened with.
    pub fn status(&self, caller: &Caller) -> Result<LanHostStatus> {
        caller.require_supervisor("查看局域网主机")?;
        if let Some(status) = self.door.with(|door| door.map(LanBeside::status)) {
            return Ok(status);
        }
        let remembered = self
            .session
            .data_dir()
            .ok()
            .and_then(|dir| remembered(&dir));
        Ok(LanHostStatus {
            running: false,
            listen: Some(remembered.unwrap_or_else(|| DEFAULT_LISTEN.to_string())),
            ..LanHostStatus::default()
        })
    }

    /// Opens the door on `listen` (closing one already open first), with a pairing open for
    /// the next desk.
    pub fn start(&self, caller: &Caller, listen: &str) -> Result<LanHostStatus> {
        self.open(caller, listen, true)
    }

    fn open(&self, caller: &Caller, listen: &str, open_pairing: bool) -> Result<LanHostStatus> {
        caller.require_supervisor("在局域网上提供档案库")?;
        let listen = parse_listen(listen)?;
        let data_dir = self.session.data_dir()?;
        // Closed, not turned off: if the new address fails, the old one opens at the next start.
        self.door.open(
            || {
                LanBeside::start(
                    Arc::clone(&self.session),
                    &data_dir,
                    listen,
                    caller,
                    open_pairing,
                )
            },
            LanBeside::status,
        )
    }

    /// Closes the door; it stays closed at the next start.
    pub fn stop(&self, caller: &Caller) -> Result<LanHostStatus> {
        caller.require_supervisor("关闭局域网主机")?;
        if let Some(open) = self.door.take() {
            open.stop()?;
        }
        self.status(caller)
    }

    /// One of the host's own operations on its desks, for the clerk at this PC.
    pub fn host_operation(
        &self,
        caller: Caller,
        op: &str,
        body: &[u8],
    ) -> Result<serde_json::Value> {
        self.door.with(|door| match door {
            Some(door) => door.host_operation(caller, op, body),
            None => lan_door::host_operation(&self.session, None, caller, op, body),
        })
    }

    /// The app quitting: the door closes (and opens again with the app).
    pub fn close(&self) {
        self.door.quit();
    }

    /// Refuses switching to another archive while desks work on this one.
    pub fn refuse_while_on(&self, op: &str) -> Result<()> {
        if op == "open_demo" && self.is_on() {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                "本机正在作为局域网档案库主机，其他柜台在用这个档案库：请先在 设置 → 局域网主机 中关闭，再打开演示档案库",
            ));
        }
        Ok(())
    }
}
