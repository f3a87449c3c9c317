//! One archive shared by the requests of a door that stays open — the desktop app and the HTTP
//! door — with the imports running in the background beside it. The doors only turn their
//! requests into calls of this and of `Archive`; what may run beside what is decided here once.

use crate::api::{
    ArchiveStatus, Caller, CertificateView, ImportJobStarted, ImportJobStatus, ImportRequest,
    IssueRequest, LoginRequest, PageReadingStatus, PageRequest, ReindexResponse,
};
use crate::error::{Error, ErrorCode, Result};
use crate::import_jobs::ImportJobs;
use crate::logins::{AtDesk, Logins};
use crate::page_image::PageImage;
use crate::page_reading::PageReadingQueue;
use crate::Archive;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex, MutexGuard, PoisonError};

mod peers;

pub struct Session {
    /// The open archive, or why it could not be opened: every request then answers with that
    /// reason, so the clerk sees it instead of a screen that fails in silence.
    archive: Arc<Mutex<Result<Archive>>>,
    jobs: ImportJobs,
    /// Asks at other archives under way and done (`peers`).
    peer_asks: crate::peers::ask::PeerAsks,
    /// Where `open_demo` builds or opens the demo archive.
    demo_dir: PathBuf,
    /// The clerks logged in at this door.
    logins: Logins,
    /// The background reader of the archive's scanned pages without text, and the folder of
    /// the archive it reads (`keep_reading_pages`).
    page_reading: Mutex<Option<(PathBuf, PageReadingQueue)>>,
}

impl Session {
    pub fn new(archive: Archive, demo_dir: PathBuf) -> Session {
        Session {
            archive: Arc::new(Mutex::new(Ok(kept_open(archive)))),
            jobs: ImportJobs::new(),
            peer_asks: Default::default(),
            demo_dir,
            logins: Logins::new(),
            page_reading: Mutex::new(None),
        }
    }

    /// Opening may take long (the demo archive is built on first use), so it runs on a thread of
    /// its own while the window comes up; requests that arrive meanwhile wait for it.
    pub fn opening(
        demo_dir: PathBuf,
        open: impl FnOnce() -> Result<Archive> + Send + 'static,
    ) -> Arc<Session> {
        let session = Arc::new(Session {
            archive: Arc::new(Mutex::new(Err(Error::new(
                ErrorCode::DataDir,
                "打开档案库时出了意外，请重新启动档案查询台",
            )))),
            jobs: ImportJobs::new(),
            peer_asks: Default::default(),
            demo_dir,
            logins: Logins::new(),
            page_reading: Mutex::new(None),
        });
        let opener = Arc::clone(&session);
        let (locked, wait_until_locked) = mpsc::channel();
        std::thread::spawn(move || {
            let mut slot = opener.slot();
            let _ = locked.send(());
            *slot = open().map(kept_open);
        });
        // The opener holds the archive before any request can take it.
        let _ = wait_until_locked.recv();
        session
    }

    /// A request that panicked while holding the archive leaves it usable for the next.
    fn slot(&self) -> MutexGuard<'_, Result<Archive>> {
        self.archive.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Run `work` on the open archive (blocking: doors call this off their event threads).
    pub fn with_archive<T>(&self, work: impl FnOnce(&mut Archive) -> Result<T>) -> Result<T> {
        match &mut *self.slot() {
            Ok(archive) => work(archive),
            Err(why) => Err(why.clone()),
        }
    }

    /// Closes the archive (its journal chained, its trail anchored) when the door shuts down:
    /// requests that still arrive are told it is closed.
    pub fn close(&self) {
        self.stop_reading_pages();
        let closed = std::mem::replace(
            &mut *self.slot(),
            Err(Error::new(ErrorCode::DataDir, "档案查询台正在退出")),
        );
        drop(closed);
    }

    /// Runs SQLite's quick check of the open archive on a thread of its own; a damaged
    /// database is then closed, and every request answers with what was found and the last
    /// good backup (`archive::damage`), so that nobody goes on writing into it.
    pub fn check_in_background(self: &Arc<Self>) {
        let session = Arc::downgrade(self);
        std::thread::spawn(move || {
            let Some(data_dir) = session.upgrade().and_then(|s| s.data_dir().ok()) else {
                return;
            };
            let Some(found) = crate::archive::damage::quick_check(&data_dir) else {
                return;
            };
            let Some(session) = session.upgrade() else {
                return;
            };
            let mut slot = session.slot();
            // Only the archive checked (the demo may have been opened meanwhile).
            let closed = match slot.as_mut() {
                Ok(archive) if archive.data_dir() == data_dir => {
                    archive.stop_writing();
                    *slot = Err(crate::archive::damage::damaged(&data_dir, &found));
                    true
                }
                _ => false,
            };
            drop(slot);
            // Its page reader writes no more into it either (taken after the archive is let
            // go: the reader's slot is never taken while the archive is held).
            if closed {
                session.stop_reading_pages();
            }
        });
    }

    /// Runs the daily backup set in 设置 if it is due now; see `Archive::backup_if_due`.
    /// The copy runs without holding the archive, so that clerks are not kept waiting.
    pub fn daily_backup_tick(&self) -> Option<Result<crate::api::BackupReport>> {
        let now = chrono::Local::now().naive_local();
        let plan = match self
            .with_archive(|archive| Ok(archive.daily_backup_plan(now)))
            .ok()??
        {
            Ok(plan) => plan,
            Err(e) => return Some(Err(e)),
        };
        let taken = plan.take();
        Some(self.with_archive(|archive| archive.finish_daily_backup(&plan, now, taken)))
    }

    /// Sends each message due in the outbox, the archive free while it travels, one body read
    /// at a time; after a peer fails once, its other messages wait for the next round, so that
    /// a peer that hangs holds up nobody else for long. Answers how many were delivered.
    pub fn deliver_due(&self, runtime: &tokio::runtime::Runtime) -> usize {
        let due = self.with_archive(|archive| {
            let due = archive.outbox_due(20)?;
            let key = if due.is_empty() {
                None
            } else {
                Some(archive.host_key()?)
            };
            Ok((due, key))
        });
        let Ok((due, Some(key))) = due else {
            return 0;
        };
        let mut delivered = 0;
        let mut failing: Vec<String> = Vec::new();
        for mut message in due {
            if failing.contains(&message.address) {
                continue;
            }
            let Ok(body) = self.with_archive(|archive| archive.outbox_body(message.id)) else {
                continue;
            };
            message.body = body;
            let sent = runtime.block_on(crate::cross::delivery::deliver(&key, &message));
            let _ = self.with_archive(|archive| match &sent {
                Ok(()) => archive.outbox_delivered(message.id),
                Err(crate::cross::delivery::NotDelivered::Refused(why)) => {
                    archive.outbox_refused(message.id, why)
                }
                Err(crate::cross::delivery::NotDelivered::Later(why)) => {
                    archive.outbox_failed(message.id, message.attempts, why)
                }
            });
            match sent {
                Ok(()) => delivered += 1,
                Err(not) => {
                    log::warn!("给{}的消息未送达：{}", message.peer_name, not.why());
                    failing.push(message.address.clone());
                }
            }
        }
        delivered
    }

    /// Deletes the proof files whose retention period has passed (`Archive::expire_proofs`);
    /// answers how many, when any.
    pub fn expire_proofs_tick(&self) -> Option<Result<usize>> {
        let now = chrono::Local::now().naive_local();
        match self.with_archive(|archive| archive.expire_proofs(now)) {
            Ok(0) => None,
            done => Some(done),
        }
    }

    /// A backup now, into the folder set in 设置 (`backup_now`), with the archive released
    /// while the copy is made.
    pub fn backup_now(&self, caller: &Caller) -> Result<crate::api::BackupReport> {
        let request = crate::api::BackupRequest::default();
        let plan = self.with_archive(|archive| {
            archive.act_as(caller.clone());
            archive.plan_backup(&request)
        })?;
        let taken = plan.take();
        self.with_archive(|archive| {
            archive.act_as(caller.clone());
            archive.finish_backup(&plan, taken)
        })
    }

    /// Issues a certificate for `caller`, its PDF rendered while the archive is free, so that
    /// searches at every desk go on meanwhile; the number and the rows are taken in one short
    /// act afterwards (`Archive::draw_certificate_ahead`). `retry` is the door's retry key
    /// and the request's body.
    pub fn issue_certificate(
        &self,
        caller: &Caller,
        retry: Option<(&str, &[u8])>,
        request: &IssueRequest,
    ) -> Result<CertificateView> {
        let today = chrono::Local::now().date_naive();
        let ahead = self.with_archive(|archive| {
            archive.act_as(caller.clone());
            archive.draw_certificate_ahead(request, today)
        })?;
        let rendered = ahead.render()?;
        self.with_archive(|archive| {
            archive.act_as(caller.clone());
            archive.retry_key(retry);
            let issued = archive.issue_drawn_certificate(request, today, Some(rendered));
            archive.retry_key(None);
            issued
        })
    }

    pub fn data_dir(&self) -> Result<PathBuf> {
        self.with_archive(|archive| Ok(archive.data_dir().to_path_buf()))
    }

    /// Whether the archive open now is the demo archive (made up, never served to others).
    pub fn on_demo(&self) -> Result<bool> {
        Ok(self.data_dir()? == self.demo_dir)
    }

    /// Rebuild the search index; refused while an import holds it.
    pub fn reindex(&self) -> Result<ReindexResponse> {
        self.jobs.ensure_idle()?;
        self.with_archive(|archive| {
            Ok(ReindexResponse {
                indexed: archive.reindex()?,
            })
        })
    }

    /// Build the demo archive on first use, then open it in place of the current one; refused
    /// while an import writes into the current one.
    pub fn open_demo(&self) -> Result<ArchiveStatus> {
        self.jobs.ensure_idle()?;
        // The demo's pages carry their text; the archive left is read again when next opened.
        self.stop_reading_pages();
        let mut slot = self.slot();
        *slot = Ok(kept_open(crate::demo::build::open_demo_archive(
            &self.demo_dir,
            &mut |_| {},
        )?));
        slot.as_mut().map_err(|e| e.clone())?.status()
    }

    /// Logs a clerk in at `address`: the account is looked up holding the archive, the password
    /// (argon2id, slow on purpose) checked without holding it — so guessing never slows other
    /// clerks' searches — and the outcome recorded holding it again. Returns the clerk and the
    /// new login's token.
    pub fn login(&self, request: &LoginRequest, address: &str) -> Result<(Caller, String)> {
        let login = request.login.trim().to_string();
        let attempt = self.with_archive(|archive| archive.login_begin(&login, address))?;
        let matched = crate::clerks::password_matches(attempt.account.as_ref(), &request.password);
        let account =
            self.with_archive(|archive| archive.login_end(&login, address, attempt, matched))?;
        let token = self.logins.start(&account);
        Ok((crate::clerks::as_caller(&account.clerk), token))
    }

    /// The clerk a login's token names now, or why the login has ended.
    pub fn at_desk(&self, token: &str) -> Result<AtDesk> {
        self.with_archive(|archive| archive.login_state(&self.logins, token))
    }

    /// Ends a login, recorded under its clerk (at the LAN desk `desk`, if any).
    pub fn logout(&self, token: &str, desk: Option<&str>) -> Result<()> {
        let at_desk = self.at_desk(token);
        self.logins.end(token);
        match at_desk {
            Ok(mut at) => self.with_archive(|archive| {
                at.caller.desk = desk.map(str::to_string);
                archive.act_as(at.caller);
                archive.logout()
            }),
            Err(_) => Ok(()),
        }
    }

    /// A clerk's own password changed, checked like a login (the current password counted and
    /// verified without holding the archive, the new one hashed likewise): every login of the
    /// clerk ends, and this one goes on as a new login (its token returned).
    pub fn change_password(
        &self,
        token: &str,
        change: &crate::api::PasswordChange,
        address: &str,
        desk: Option<&str>,
    ) -> Result<String> {
        let mut at = self.at_desk(token)?;
        at.caller.desk = desk.map(str::to_string);
        let login = at.caller.login.clone();
        crate::archive::check_new_password(change, &login)?;
        let attempt = self.with_archive(|archive| {
            archive.act_as(at.caller.clone());
            archive.login_begin(&login, address)
        })?;
        let matched =
            crate::clerks::password_matches(attempt.account.as_ref(), &change.current_password);
        let hash = matched
            .then(|| crate::clerks::hash_password(&change.new_password))
            .transpose()?;
        let account = self.with_archive(|archive| {
            archive.act_as(at.caller.clone());
            archive.password_change_end(&login, address, attempt, hash)
        })?;
        self.logins.end(token);
        Ok(self.logins.start(&account))
    }

    /// An import waits for an index being rebuilt (it would start a rebuild of its own): said
    /// before anything is taken for it.
    pub fn ready_to_import(&self) -> Result<()> {
        self.with_archive(Archive::open_index)
    }

    /// Start importing into the open archive in the background; `cleanup` names folders to
    /// remove when the import ends (the HTTP door's uploads).
    pub fn start_import(
        &self,
        request: ImportRequest,
        cleanup: Vec<PathBuf>,
        caller: crate::api::Caller,
    ) -> Result<ImportJobStarted> {
        if !request.dry_run {
            self.ready_to_import()?;
        }
        let data_dir = self.data_dir()?;
        let job = self.jobs.start(data_dir, request, cleanup, caller);
        Ok(ImportJobStarted { job })
    }

    /// A job's progress and report: for the clerk who started it, and supervisors.
    pub fn import_status(&self, job: u64, caller: &Caller) -> Result<ImportJobStatus> {
        let status = self.jobs.status(job, caller)?;
        if !status.running {
            // A scan folder imported may have brought pages to read.
            if let Some((_, queue)) = self.page_reading_slot().as_ref() {
                queue.look_again();
            }
        }
        Ok(status)
    }

    /// A page image. The page is looked up holding the archive and decoded or converted after
    /// letting go, so that a TIFF being converted never keeps a search waiting.
    pub fn page_image(&self, request: &PageRequest, caller: &Caller) -> Result<PageImage> {
        let source = self.with_archive(|archive| {
            archive.act_as(caller.clone());
            archive.page_source(request)
        })?;
        source.load()
    }

    /// Starts reading the open archive's scanned pages without text in the background (not a
    /// demo archive's: its scans are printed from its own catalogue, so reading them would find
    /// nobody new and only take the clerk's processor).
    pub fn start_reading_pages(&self) -> Result<()> {
        let (data_dir, paused, demo) = self.with_archive(|archive| {
            Ok((
                archive.data_dir().to_path_buf(),
                archive.page_reading_paused()?,
                archive.is_demo()?,
            ))
        })?;
        if demo || data_dir == self.demo_dir {
            return Ok(());
        }
        let mut reading = self.page_reading_slot();
        if reading.as_ref().is_none_or(|(dir, _)| *dir != data_dir) {
            *reading = Some((data_dir.clone(), PageReadingQueue::start(data_dir, paused)));
        }
        Ok(())
    }

    fn stop_reading_pages(&self) {
        let stopped = self.page_reading_slot().take();
        if let Some((_, queue)) = stopped {
            queue.stop();
        }
    }

    fn page_reading_slot(&self) -> MutexGuard<'_, Option<(PathBuf, PageReadingQueue)>> {
        self.page_reading
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// How far the reading of scanned pages is, and whether a reader works on them now.
    pub fn page_reading_status(&self) -> Result<PageReadingStatus> {
        let reading = self.page_reading_slot();
        self.with_archive(|archive| match reading.as_ref() {
            Some((dir, queue)) if dir == archive.data_dir() => queue.status(archive),
            // A demo archive's pages are not read: nothing waits.
            _ if archive.is_demo()? => Ok(PageReadingStatus::default()),
            _ => {
                let mut status = archive.page_reading_counts()?;
                status.paused = archive.page_reading_paused()?;
                Ok(status)
            }
        })
    }

    /// Pauses or resumes the background reading, as the clerk asked (kept across restarts).
    pub fn pause_page_reading(&self, paused: bool) -> Result<PageReadingStatus> {
        self.with_archive(|archive| archive.set_page_reading_paused(paused))?;
        if let Some((_, queue)) = self.page_reading_slot().as_ref() {
            if paused {
                queue.pause();
            } else {
                queue.resume();
            }
        }
        self.page_reading_status()
    }

    /// The demo folder this session opens on `open_demo`.
    pub fn demo_dir(&self) -> &Path {
        &self.demo_dir
    }
}

/// How often a door that stays open asks whether the daily backup is due.
/// An archive a door keeps open: its index is opened now — or, missing or damaged, rebuilt in
/// the background while the clerks go on.
fn kept_open(mut archive: Archive) -> Archive {
    archive.rebuild_index_in_background();
    // A damaged index says so on the searches that follow; nothing more to do with it here.
    let _ = archive.open_index();
    archive
}

const DAILY_BACKUP_TICK: std::time::Duration = std::time::Duration::from_secs(60);
/// How often the outbox of messages to other archives is looked at.
const DELIVERY_TICK: std::time::Duration = std::time::Duration::from_secs(1);

/// Delivers the messages waiting for other archives (the 跨馆 round trip), on a thread of its
/// own, as they fall due, for as long as `session` is open.
pub fn keep_delivering(session: &Arc<Session>) {
    let session = Arc::downgrade(session);
    std::thread::spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        loop {
            std::thread::sleep(DELIVERY_TICK);
            let Some(session) = session.upgrade() else {
                break;
            };
            session.deliver_due(&runtime);
        }
    });
}

/// Starts the background reading of scanned pages once `session`'s archive is open (opening
/// may take long), on a thread of its own.
pub fn keep_reading_pages(session: &Arc<Session>) {
    let session = Arc::downgrade(session);
    std::thread::spawn(move || {
        if let Some(session) = session.upgrade() {
            // An archive that could not be opened says why on every request already.
            let _ = session.start_reading_pages();
        }
    });
}

/// Calls `tick` every minute on a thread of its own until it returns false (its door closed).
pub fn keep_daily_backups(tick: impl Fn() -> bool + Send + 'static) {
    std::thread::spawn(move || loop {
        std::thread::sleep(DAILY_BACKUP_TICK);
        if !tick() {
            break;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_wait_for_the_archive_being_opened() {
        let dir = tempfile::tempdir().unwrap();
        let data_dir = dir.path().to_path_buf();
        let session = Session::opening(dir.path().join("demo"), move || {
            std::thread::sleep(std::time::Duration::from_millis(200));
            Archive::open(&data_dir)
        });
        let status = session.with_archive(|a| a.status()).unwrap();
        assert_eq!(status.stats.documents, 0);
    }

    #[test]
    fn an_archive_that_would_not_open_says_why_on_every_request() {
        let session = Session::opening(PathBuf::from("demo"), || {
            Err(Error::new(ErrorCode::DataDir, "数据文件夹无法写入"))
        });
        for _ in 0..2 {
            let error = session.with_archive(|a| a.status()).unwrap_err();
            assert_eq!(error.code, ErrorCode::DataDir);
            assert_eq!(error.message, "数据文件夹无法写入");
        }
        assert_eq!(session.reindex().unwrap_err().code, ErrorCode::DataDir);
    }

    #[test]
    fn a_request_that_panicked_leaves_the_archive_usable() {
        let dir = tempfile::tempdir().unwrap();
        let session = Arc::new(Session::new(
            Archive::open(dir.path()).unwrap(),
            dir.path().join("demo"),
        ));
        let panicking = Arc::clone(&session);
        let _ = std::thread::spawn(move || {
            panicking.with_archive(|_| -> Result<()> { panic!("a bug in one request") })
        })
        .join();
        assert!(session.with_archive(|a| a.status()).is_ok());
    }
}
