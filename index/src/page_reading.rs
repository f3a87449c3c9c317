//! Working through the scanned pages that wait for the recognizer (OCR), one page after another:
//! in the foreground for `archivedesk ocr`, or in the background beside a door (the desktop
//! app, `serve`). The background reader opens the archive on a thread of its own (its own
//! database connection, the index writer only while it keeps a page), runs the models on one
//! thread so that the clerk's searches keep the other core, and can be paused. What it has read
//! is kept page by page with the file's checksum, so after a restart or a kill it goes on where
//! it stopped, and a page whose file is unchanged is never read twice.

use crate::api::PageReadingStatus;
use crate::archive::Archive;
use crate::error::Result;
use crate::ocr::page_file::keep;
use crate::ocr::page_file::read_page_file;
use crate::ocr::reader::PageReader;
use crate::store::page_text::{next_unread, PassedOver, UnreadPage};
use crate::store::Store;
use rusqlite::Connection;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// How long an idle background reader sleeps before it looks for new pages (an import wakes
/// it at once).
const IDLE_LOOK: Duration = Duration::from_secs(30);
/// Threads the background reader's models run on.
const BACKGROUND_THREADS: usize = 1;

/// What one foreground run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PagesDone {
    pub read: u64,
    pub failed: u64,
    /// Pages still waiting at the end: their files (or folders) could not be reached.
    pub unreachable: u64,
}

/// What became of one page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Read,
    /// The recognizer could not read the file (damaged, not an image): kept as failed.
    Failed,
    /// The file is not there now: left waiting for another time.
    Unreachable,
    /// Its scan folder is not there now (a share or a disk offline): every page under it waits.
    FolderUnreachable,
    /// The reader was paused or stopped in the middle of a long file: it waits as it was.
    Stopped,
}

/// Reads one page and keeps the outcome in the store behind `conn`; only a failure to keep it
/// stops the run. A file that makes the reading fail unexpectedly (a crafted PDF, a decoder's
/// bug) is kept as unreadable, so that it is not tried first again on every start while the
/// pages after it wait for ever.
fn read_one(
    conn: &mut Connection,
    reader: &PageReader,
    page: &UnreadPage,
    keep_going: &dyn Fn() -> bool,
) -> Result<Outcome> {
    if !page.scan_root.is_dir() {
        return Ok(Outcome::FolderUnreachable);
    }
    if !page.file.path.is_file() {
        return Ok(Outcome::Unreachable);
    }
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_page_file(reader, &page.file.path, keep_going)
    }))
    .unwrap_or_else(|_| {
        Err(crate::error::Error::new(
            crate::error::ErrorCode::Io,
            format!(
                "识别扫描件「{}」时程序出错，已跳过这一页",
                page.file.path.display()
            ),
        ))
    });
    match read {
        Ok(None) => Ok(Outcome::Stopped),
        Ok(Some(read)) => {
            keep(conn, page, Ok(&read))?;
            Ok(Outcome::Read)
        }
        // Gone while it was read: not the file's fault.
        Err(_) if !page.file.path.is_file() => Ok(Outcome::Unreachable),
        Err(why) => {
            keep(conn, page, Err(why.message))?;
            Ok(Outcome::Failed)
        }
    }
}

/// Remembers a page (or its whole folder) passed over.
fn pass_over(passed: &mut PassedOver, page: &UnreadPage, outcome: Outcome) {
    match outcome {
        Outcome::Unreachable => passed.pages.push(page.page_id),
        Outcome::FolderUnreachable => passed.roots.push(page.scan_root_id),
        Outcome::Read | Outcome::Failed | Outcome::Stopped => {}
    }
}

/// Reads the waiting pages in the foreground, at most `limit` of them, telling `progress` the
/// status after each page.
pub fn read_waiting_pages(
    archive: &mut Archive,
    reader: &PageReader,
    limit: Option<u64>,
    progress: &mut dyn FnMut(&PageReadingStatus),
) -> Result<PagesDone> {
    let mut done = PagesDone::default();
    let mut passed = PassedOver::default();
    progress(&archive.page_reading_counts()?);
    while limit.is_none_or(|l| done.read + done.failed < l) {
        let Some(page) = archive.page_to_read(&passed)? else {
            break;
        };
        let outcome = read_one(archive.store_connection(), reader, &page, &|| true)?;
        match outcome {
            Outcome::Read => done.read += 1,
            Outcome::Failed => done.failed += 1,
            Outcome::Unreachable | Outcome::FolderUnreachable | Outcome::Stopped => {
                pass_over(&mut passed, &page, outcome)
            }
        }
        progress(&archive.page_reading_counts()?);
    }
    done.unreachable = archive.page_reading_counts()?.waiting;
    // What was read is searchable when the run returns.
    archive.open_index()?;
    Ok(done)
}

#[derive(Default)]
struct Shared {
    paused: AtomicBool,
    stopping: AtomicBool,
    running: AtomicBool,
    /// Why the reader cannot work (no models, …).
    problem: Mutex<Option<String>>,
    /// Wakes the reader from a pause or an idle wait.
    wake: (Mutex<bool>, Condvar),
}

impl Shared {
    /// Waits until woken or `timeout` passes.
    fn sleep(&self, timeout: Duration) {
        let (flag, condvar) = &self.wake;
        let woken = flag
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (mut woken, _) = condvar
            .wait_timeout_while(woken, timeout, |w| !*w)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *woken = false;
    }

    fn wake(&self) {
        let (flag, condvar) = &self.wake;
        *flag
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = true;
        condvar.notify_all();
    }

    fn say_problem(&self, problem: Option<String>) {
        *self
            .problem
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = problem;
    }
}

/// The background reader of one archive.
pub struct PageReadingQueue {
    shared: Arc<Shared>,
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
}

impl PageReadingQueue {
    /// Starts reading the pages of the archive in `data_dir` that wait, and those imported
    /// later; `paused` as the clerk last left it.
    pub fn start(data_dir: PathBuf, paused: bool) -> PageReadingQueue {
        let shared = Arc::new(Shared::default());
        shared.paused.store(paused, Ordering::SeqCst);
        let worker = shared.clone();
        let thread = std::thread::Builder::new()
            .name("page-reading".into())
            .spawn(move || work(&worker, &data_dir))
            .ok();
        if thread.is_none() {
            shared.say_problem(Some("无法启动扫描页识别线程".into()));
        }
        PageReadingQueue {
            shared,
            thread: Mutex::new(thread),
        }
    }

    pub fn pause(&self) {
        self.shared.paused.store(true, Ordering::SeqCst);
    }

    pub fn resume(&self) {
        self.shared.paused.store(false, Ordering::SeqCst);
        self.shared.wake();
    }

    pub fn is_paused(&self) -> bool {
        self.shared.paused.load(Ordering::SeqCst)
    }

    /// New pages may wait (an import finished): look now rather than at the next idle look.
    pub fn look_again(&self) {
        self.shared.wake();
    }

    /// The status: the store's counts as `archive` sees them, and this reader's state.
    pub fn status(&self, archive: &Archive) -> Result<PageReadingStatus> {
        let mut status = archive.page_reading_counts()?;
        status.paused = self.is_paused();
        status.running = self.shared.running.load(Ordering::SeqCst) && !status.paused;
        status.problem = self
            .shared
            .problem
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        Ok(status)
    }

    /// Stops after the page under way, without waiting for it (a page takes seconds, and the
    /// app is closing or switching archives): kept if it is done in time, read again next time
    /// if not.
    pub fn stop(&self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        self.shared.wake();
        self.thread
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
    }
}

impl Drop for PageReadingQueue {
    fn drop(&mut self) {
        self.stop();
    }
}

fn work(shared: &Shared, data_dir: &std::path::Path) {
    // The store alone, on a connection of its own: not the archive, whose opening chains the
    // door's journaled looks and would hold the journal while the store is busy.
    let mut store: Option<Store> = None;
    let mut reader: Option<PageReader> = None;
    // Pages whose files could not be reached, or not kept: passed over until the reader has
    // nothing else to do and has waited.
    let mut put_aside = PassedOver::default();
    while !shared.stopping.load(Ordering::SeqCst) {
        if shared.paused.load(Ordering::SeqCst) {
            shared.running.store(false, Ordering::SeqCst);
            shared.sleep(IDLE_LOOK);
            continue;
        }
        let opened = match store.as_mut() {
            Some(s) => s,
            None if !crate::archive::Archive::is_in(data_dir) => {
                shared.sleep(IDLE_LOOK);
                continue;
            }
            None => match Store::open(data_dir) {
                Ok(s) => store.insert(s),
                Err(e) => {
                    shared.say_problem(Some(e.message));
                    shared.sleep(IDLE_LOOK);
                    continue;
                }
            },
        };
        let page = match next_unread(&opened.conn, &put_aside) {
            Ok(Some(page)) => page,
            Ok(None) => {
                shared.running.store(false, Ordering::SeqCst);
                shared.sleep(IDLE_LOOK);
                // Pages put aside are tried again after the wait.
                put_aside = PassedOver::default();
                continue;
            }
            Err(e) => {
                shared.say_problem(Some(e.message));
                shared.sleep(IDLE_LOOK);
                continue;
            }
        };
        let models = match reader.as_ref() {
            Some(r) => r,
            None => match crate::ocr::models::models_folder()
                .and_then(|folder| PageReader::load(&folder))
            {
                Ok(r) => reader.insert(r.with_threads(BACKGROUND_THREADS)),
                Err(e) => {
                    // Without models nothing can be read: said, and looked for again later.
                    shared.running.store(false, Ordering::SeqCst);
                    shared.say_problem(Some(e.message));
                    shared.sleep(IDLE_LOOK);
                    continue;
                }
            },
        };
        shared.running.store(true, Ordering::SeqCst);
        shared.say_problem(None);
        let keep_going =
            || !shared.stopping.load(Ordering::SeqCst) && !shared.paused.load(Ordering::SeqCst);
        match read_one(&mut opened.conn, models, &page, &keep_going) {
            Ok(Outcome::Read | Outcome::Failed | Outcome::Stopped) => {}
            // Tried again after the next idle look (the share may be back by then).
            Ok(outcome) => pass_over(&mut put_aside, &page, outcome),
            Err(e) if e.code == crate::error::ErrorCode::Busy => {
                // Another writer held the store too long: the page is read again.
            }
            Err(e) => {
                shared.say_problem(Some(e.message));
                put_aside.pages.push(page.page_id);
            }
        }
    }
    shared.running.store(false, Ordering::SeqCst);
}
