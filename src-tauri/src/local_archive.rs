//! The app on an archive of its own: the engine's `Session` (the open archive and the background
//! imports), as the HTTP door has it, and the login at this desk. Work runs on blocking threads,
//! never on the main thread that drives the window.

use crate::lan_host::LanHostSwitch;
use crate::peer_door::PeerDoorSwitch;
use archivedesk::api::{
    Caller, ImportJobStarted, ImportRequest, LanHostStartRequest, PageRequest, PeerDoorStartRequest,
};
use archivedesk::ops::DoorLogin;
use archivedesk::page_image::PageImage;
use archivedesk::session::Session;
use archivedesk::{Archive, Error, ErrorCode, Result};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

/// Where the desktop's logins come from, for the delays after failed ones.
const THIS_MACHINE: &str = "本机";

pub struct LocalArchive {
    session: Arc<Session>,
    /// 设置 → 局域网主机: this archive served to the office's other desks.
    lan_host: Arc<LanHostSwitch>,
    /// 设置 → 跨馆档案馆 → 本馆跨馆端口: this archive answering other archives.
    peer_door: Arc<PeerDoorSwitch>,
    /// The login at this desk (the engine names the clerk from it on every command, so a login
    /// that ended — idle, 12 hours, the account changed — ends here too).
    login: Arc<Mutex<DoorLogin>>,
}

impl LocalArchive {
    /// Opening may take long (the demo archive is built on first use), so it runs on a thread of
    /// its own while the window comes up; commands that arrive meanwhile wait for it.
    pub fn opening(
        demo_dir: std::path::PathBuf,
        open: impl FnOnce() -> Result<Archive> + Send + 'static,
    ) -> LocalArchive {
        let session = Session::opening(demo_dir, move || {
            let opened = open();
            match &opened {
                Ok(archive) => log::info!("archive opened: {}", archive.data_dir().display()),
                Err(e) => log::error!("archive not opened: {}", e.message),
            }
            opened
        });
        session.check_in_background();
        archivedesk::session::keep_delivering(&session);
        archivedesk::session::keep_reading_pages(&session);
        let daily = Arc::downgrade(&session);
        archivedesk::session::keep_daily_backups(move || {
            let Some(session) = daily.upgrade() else {
                return false;
            };
            match session.expire_proofs_tick() {
                Some(Ok(count)) => log::info!("expired proof files deleted: {count}"),
                Some(Err(e)) => log::error!("expired proof files not deleted: {}", e.message),
                None => {}
            }
            match session.daily_backup_tick() {
                Some(Ok(report)) => log::info!("daily backup done: {}", report.folder),
                Some(Err(e)) => log::error!("daily backup failed: {}", e.message),
                None => {}
            }
            true
        });
        let lan_host = LanHostSwitch::new(Arc::clone(&session));
        let reopening = Arc::clone(&lan_host);
        std::thread::spawn(move || reopening.reopen_if_remembered());
        let peer_door = PeerDoorSwitch::new(Arc::clone(&session));
        let reopening = Arc::clone(&peer_door);
        std::thread::spawn(move || reopening.reopen_if_remembered());
        LocalArchive {
            session,
            lan_host,
            peer_door,
            login: Arc::new(Mutex::new(DoorLogin {
                token: None,
                address: THIS_MACHINE.to_string(),
                desk: None,
                retry_key: None,
            })),
        }
    }

    /// The clerk logged in now, or the engine's request to log in first.
    pub fn at_desk(&self) -> Result<Caller> {
        at_desk_of(&self.session, &self.login)
    }

    /// The same as a function of the parts, for work moved off the main thread.
    pub fn login(&self) -> Arc<Mutex<DoorLogin>> {
        Arc::clone(&self.login)
    }

    /// One of the engine's operations for the clerk at the desk (`archivedesk::ops`), off the
    /// main thread; a login or logout changes who that is.
    pub async fn call(
        &self,
        op: &'static str,
        request: serde_json::Value,
    ) -> Result<serde_json::Value> {
        let body = if request.is_null() {
            Vec::new()
        } else {
            serde_json::to_vec(&request).unwrap_or_default()
        };
        self.lan_host.refuse_while_on(op)?;
        self.peer_door.refuse_while_on(op)?;
        let login = Arc::clone(&self.login);
        self.with_session(op, move |session| {
            let before = login.lock().unwrap_or_else(PoisonError::into_inner).clone();
            let mut door = before.clone();
            let answer = archivedesk::ops::call(session, &mut door, op, &body);
            // A login made, ended or renewed is kept for the next command, whatever the answer —
            // unless another command changed it meanwhile (a login made while this one ran).
            if door.token != before.token {
                let mut kept = login.lock().unwrap_or_else(PoisonError::into_inner);
                if kept.token == before.token {
                    *kept = door;
                }
            }
            answer
        })
        .await
    }

    /// Files and folders chosen in the system dialog, imported where they are.
    pub async fn import_start(&self, request: ImportRequest) -> Result<ImportJobStarted> {
        let caller = self.at_desk()?;
        // Nothing to clean up afterwards: the files are the clerk's own.
        self.with_session("import_start", move |session| {
            session.start_import(request, Vec::new(), caller)
        })
        .await
    }

    /// A scanned page for the clerk at the desk (recorded as a look).
    pub async fn page(&self, page: PageRequest) -> Result<PageImage> {
        let login = self.login();
        self.with_session("page", move |session| {
            let caller = at_desk_of(session, &login)?;
            session.page_image(&page, &caller)
        })
        .await
    }

    /// 设置 → 局域网主机, and the host's own operations on its desks, for the clerk at the desk.
    pub async fn lan_host(
        &self,
        op: &'static str,
        request: serde_json::Value,
    ) -> Result<serde_json::Value> {
        let caller = self.at_desk()?;
        let switch = Arc::clone(&self.lan_host);
        off_main_thread(op, move || {
            let answer = |status| serde_json::to_value(status).map_err(unanswerable);
            match op {
                "lan_host_status" => answer(switch.status(&caller)?),
                "lan_host_start" => {
                    let asked: LanHostStartRequest =
                        serde_json::from_value(request).map_err(|e| {
                            Error::new(ErrorCode::InvalidRequest, format!("请求格式不对：{e}"))
                        })?;
                    answer(switch.start(&caller, &asked.listen)?)
                }
                "lan_host_stop" => answer(switch.stop(&caller)?),
                _ => {
                    let body = serde_json::to_vec(&request).unwrap_or_default();
                    switch.host_operation(caller, op, &body)
                }
            }
        })
        .await
    }

    /// 设置 → 跨馆档案馆 → 本馆跨馆端口, for the supervisor at the desk.
    pub async fn peer_door(
        &self,
        op: &'static str,
        request: serde_json::Value,
    ) -> Result<serde_json::Value> {
        let caller = self.at_desk()?;
        let switch = Arc::clone(&self.peer_door);
        off_main_thread(op, move || {
            let status = match op {
                "peer_door_start" => {
                    let asked: PeerDoorStartRequest =
                        serde_json::from_value(request).map_err(|e| {
                            Error::new(ErrorCode::InvalidRequest, format!("请求格式不对：{e}"))
                        })?;
                    switch.start(&caller, &asked.listen)?
                }
                "peer_door_stop" => switch.stop(&caller)?,
                _ => switch.status(&caller)?,
            };
            serde_json::to_value(status).map_err(unanswerable)
        })
        .await
    }

    /// The app is quitting: the archive is closed (its looks chained, its trail anchored).
    pub fn close(&self) {
        self.peer_door.close();
        self.lan_host.close();
        self.session.close();
    }

    /// Run `work` on the open archive, off the main thread.
    pub async fn with_archive<T: Send + 'static>(
        &self,
        what: &'static str,
        work: impl FnOnce(&mut Archive) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        self.with_session(what, move |session| session.with_archive(work))
            .await
    }

    /// Run `work` with the session (imports, reindex, the demo), off the main thread.
    pub async fn with_session<T: Send + 'static>(
        &self,
        what: &'static str,
        work: impl FnOnce(&Session) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let session = Arc::clone(&self.session);
        off_main_thread(what, move || work(&session)).await
    }
}

/// The clerk `login` names now in `session`.
pub fn at_desk_of(session: &Session, login: &Mutex<DoorLogin>) -> Result<Caller> {
    let before = login.lock().unwrap_or_else(PoisonError::into_inner).clone();
    let mut door = before.clone();
    let caller = archivedesk::ops::caller_at(session, &mut door);
    if door.token.is_none() {
        // The login ended: forgotten here too, unless a new one was made meanwhile.
        let mut kept = login.lock().unwrap_or_else(PoisonError::into_inner);
        if kept.token == before.token {
            kept.token = None;
        }
    }
    caller
}

/// Blocking work on Tauri's blocking threads. The outcome is logged, never the request: a search
/// names the person looked for.
pub async fn off_main_thread<T: Send + 'static>(
    what: &'static str,
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    let started = Instant::now();
    let result = match tauri::async_runtime::spawn_blocking(work).await {
        Ok(result) => result,
        Err(e) => Err(Error::new(ErrorCode::Io, format!("处理请求时出错：{e}"))),
    };
    let took = started.elapsed().as_millis();
    match &result {
        Ok(_) => log::debug!("{what}: done in {took} ms"),
        Err(e) => log::warn!("{what}: {:?} after {took} ms: {}", e.code, e.message),
    }
    result
}

fn unanswerable(e: serde_json::Error) -> Error {
    Error::new(ErrorCode::Io, format!("无法生成回答：{e}"))
}
