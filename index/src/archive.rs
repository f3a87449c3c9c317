//! `Archive`: one data folder, and every operation the app offers on it. The CLI, the desktop
//! shell and the HTTP door call these methods and nothing below them.

use crate::api::{
    ArchiveStatus, DocumentRequest, DocumentView, ImportProgress, ImportReport, ImportRequest,
    ImportWarning, PageRequest, PersonDecision, PersonDecisionRequest, PersonRequest,
    PersonTimeline, SearchRequest, SearchResponse, Stats,
};
use crate::error::{Error, ErrorCode, Result};
use crate::page_image::{PageImage, PageSource};
use crate::search::background_rebuild::{BackgroundRebuild, RebuildGate};
use crate::search::index::{Checked, RebuildProgress};
use crate::search::SearchIndex;
use crate::store::journal::Journal;
use crate::store::Store;
use std::path::{Path, PathBuf};

/// How often a long import makes what it has committed searchable.
const INDEX_COMMIT_EVERY: std::time::Duration = std::time::Duration::from_secs(5);
/// How long opening waits for a rebuild before it goes on in the background.
const REBUILD_UNNOTICED: std::time::Duration = std::time::Duration::from_secs(2);
/// How long a failed background rebuild is said again before it is tried anew.
const RETRY_REBUILD_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

mod accounts;
mod backups;
mod counter;
mod cross;
pub mod damage;
mod lan_desks;
mod merged_history;
pub mod open_data;
pub mod peers;
mod proofs;
mod restores;
mod retries;

pub use retries::{valid_retry_key, RETRIED_OPS};

pub use accounts::{check_new_password, LoginAttempt};
pub use backups::BackupPlan;
mod confirmed_page_rows;
mod page_views;
mod scanned_pages;
mod trail;

pub struct Archive {
    data_dir: PathBuf,
    store: Store,
    /// Looks of the audit trail until an act chains them, and failed logins: written at once
    /// even while an import holds the store.
    journal: Journal,
    /// Opened on first use: reading a document or the totals needs no index.
    search: Option<SearchIndex>,
    /// An index being rebuilt on a thread of its own (doors that stay open rebuild this way;
    /// a command waits for its rebuild).
    rebuilding: Option<BackgroundRebuild>,
    rebuild_in_background: bool,
    rebuild_gate: Option<std::sync::Arc<RebuildGate>>,
    /// A background rebuild that failed, and when: said again instead of retried at once.
    rebuild_failed: Option<(std::time::Instant, Error)>,
    /// Who the operations are done for; the local operator until a door says otherwise.
    caller: crate::api::Caller,
    /// The documents whose pages each clerk may be served (their recorded views).
    views: page_views::PageViews,
    trail: trail::TrailState,
    /// The retry key of the operation under way (`retries`).
    retry: Option<retries::RetryKey>,
    /// This archive's IDs by their keyed hash, for peers asking every archive at once.
    id_hashes: crate::peers::id_hash::IdHashes,
}

impl Drop for Archive {
    fn drop(&mut self) {
        // Looks journaled so far are chained, and the head anchored, as the archive closes.
        self.close_trail();
    }
}

impl Archive {
    /// Open the archive in `data_dir`, creating an empty one if the folder holds none.
    pub fn open(data_dir: &Path) -> Result<Archive> {
        let store = Store::open(data_dir).map_err(|e| match e.code {
            // Damaged (as the quick check confirms): said with the last good backup.
            ErrorCode::Database => match damage::quick_check(data_dir) {
                Some(found) => damage::damaged(data_dir, &found),
                None => e,
            },
            _ => e,
        })?;
        let journal = Journal::open(data_dir)?;
        let mut archive = Archive {
            data_dir: data_dir.to_path_buf(),
            store,
            journal,
            search: None,
            rebuilding: None,
            rebuild_in_background: false,
            rebuild_gate: None,
            rebuild_failed: None,
            caller: crate::api::Caller::local_operator(),
            views: page_views::PageViews::default(),
            trail: trail::TrailState::default(),
            retry: None,
            id_hashes: Default::default(),
        };
        // Looks a process that was killed had journaled join the trail now.
        archive.try_chain(std::time::Duration::ZERO);
        Ok(archive)
    }

    /// Whether `data_dir` holds an archive (a new PC's folder does not).
    pub fn is_in(data_dir: &Path) -> bool {
        data_dir.join(crate::store::DB_FILE).is_file()
    }

    /// Open an archive that must already exist: reading commands never create one in a
    /// mistyped folder.
    pub fn open_existing(data_dir: &Path) -> Result<Archive> {
        if !Archive::is_in(data_dir) {
            return Err(Error::new(
                ErrorCode::DataDir,
                format!(
                    "数据文件夹「{}」中还没有档案库；请用 archivedesk init 创建，或用 --data-dir 指定正确的文件夹",
                    data_dir.display()
                ),
            ));
        }
        Archive::open(data_dir)
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn database_path(&self) -> &Path {
        &self.store.path
    }

    /// Caps the database at `pages` pages of its file (None lifts the cap), as a disk that
    /// fills up does: SQLite answers "full" past it. A failpoint for the tests of what a full
    /// disk leaves behind; SQLite never lowers the cap below the file's size.
    #[doc(hidden)]
    pub fn cap_database_pages(&mut self, pages: Option<u64>) -> Result<()> {
        let cap = pages.unwrap_or(0xFFFF_FFFE);
        self.store
            .conn
            .query_row(&format!("PRAGMA max_page_count = {cap}"), [], |_| Ok(()))?;
        Ok(())
    }

    /// Lets the search index write only `bytes` more (None lifts the cap), as a disk that fills
    /// up does: a failpoint for the tests of a full disk during an index commit.
    #[doc(hidden)]
    pub fn cap_index_writes(&mut self, bytes: Option<u64>) -> Result<()> {
        if self.search.is_none() {
            self.search_index()?;
        }
        if let Some(index) = &self.search {
            index.cap_writes(bytes);
        }
        Ok(())
    }

    /// Import catalogue files and scan folders, each file in its own transaction. Files that
    /// cannot be read are reported as refused; the others are imported all the same.
    pub fn import(
        &mut self,
        request: &ImportRequest,
        progress: &mut dyn FnMut(&ImportProgress),
    ) -> Result<ImportReport> {
        if request.paths.is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                "没有指定要导入的文件",
            ));
        }
        // The index is brought up to the store first, then fed while each file is read, so
        // indexing runs beside the import instead of after it.
        if !request.dry_run {
            self.search_index()?.take_writer()?;
        }
        let mut files = Vec::with_capacity(request.paths.len());
        let result = self.import_files(request, progress, &mut files);
        if let Some(index) = self.search.as_mut() {
            if result.is_err() {
                let _ = index.rollback_fed();
            }
            index.release_writer();
        }
        result?;
        if request.dry_run {
            for f in &mut files {
                f.batch_id = None;
            }
        }
        for file in &mut files {
            crate::privacy::mask_file_report(file);
        }
        Ok(ImportReport {
            dry_run: request.dry_run,
            files,
        })
    }

    /// Each file in its own transaction. The index commits what the store committed every
    /// few seconds and at the end — a tantivy commit per file of a delivery of many small files
    /// costs more than indexing them — and forgets what it was fed from a file that was refused.
    /// Files the store committed and the index did not yet are in the store's change log, so a
    /// crash in between loses nothing: the index catches up when next opened.
    fn import_files(
        &mut self,
        request: &ImportRequest,
        progress: &mut dyn FnMut(&ImportProgress),
        files: &mut Vec<crate::api::FileReport>,
    ) -> Result<()> {
        let Archive {
            store,
            search,
            data_dir,
            journal,
            caller,
            ..
        } = self;
        let mut index = if request.dry_run {
            None
        } else {
            search.as_mut()
        };
        let mut last_index_commit = std::time::Instant::now();
        for path in &request.paths {
            // The file's row of the audit trail commits with the file (after the looks
            // journaled before it).
            let mut before_commit = |tx: &rusqlite::Connection, report: &crate::api::FileReport| {
                crate::audit::looks::chain(tx, &journal.conn)?;
                crate::audit::append(tx, caller, import_event(report)).map(|_| ())
            };
            let report = if path.is_dir() {
                crate::import::scans::import_scan_folder(
                    &mut store.conn,
                    path,
                    request.dry_run,
                    &mut before_commit,
                )?
            } else if path.exists() {
                let mut feed = |conn: &rusqlite::Connection| match index.as_deref_mut() {
                    Some(index) => index.feed(conn),
                    None => Ok(()),
                };
                crate::import::import_catalogue(
                    &mut store.conn,
                    path,
                    request,
                    progress,
                    &mut feed,
                    &mut before_commit,
                )?
            } else {
                let mut r = crate::api::FileReport::new(path.display().to_string());
                r.outcome = crate::api::FileOutcome::Refused;
                r.message = Some(format!("找不到文件「{}」", path.display()));
                r
            };
            // Only what the file's committed transaction chained leaves the journal.
            let _ = crate::audit::looks::prune(&journal.conn, &store.conn);
            let mut report = report;
            if report.outcome != crate::api::FileOutcome::Imported && !request.dry_run {
                // Nothing was written: the attempt is kept as a look.
                crate::audit::looks::journal(&journal.conn, caller, &import_event(&report))?;
            }
            if path.is_dir() && !request.dry_run {
                make_previews(store, data_dir, &mut report)?;
            }
            if let Some(index) = index.as_deref_mut() {
                if report.outcome == crate::api::FileOutcome::Refused {
                    // Forgets this file and the committed files not yet in an index commit;
                    // the next feed takes those again from the store's change log.
                    index.rollback_fed()?;
                } else if last_index_commit.elapsed() >= INDEX_COMMIT_EVERY {
                    index.commit_fed(&store.conn)?;
                    last_index_commit = std::time::Instant::now();
                } else {
                    // Indexed beside the next file rather than all at the end.
                    index.feed(&store.conn)?;
                }
            }
            files.push(report);
        }
        if let Some(index) = index {
            index.commit_fed(&store.conn)?;
        }
        Ok(())
    }

    /// A door that stays open rebuilds a missing or damaged index in the background: search
    /// says so meanwhile and everything else goes on.
    pub fn rebuild_index_in_background(&mut self) {
        self.rebuild_in_background = true;
    }

    /// Holds background rebuilds back until the gate opens (a failpoint for the tests).
    #[doc(hidden)]
    pub fn hold_index_rebuilds(&mut self, gate: std::sync::Arc<RebuildGate>) {
        self.rebuild_gate = Some(gate);
    }

    /// Opens the index now (or starts its rebuild), so that the first search need not.
    pub fn open_index(&mut self) -> Result<()> {
        self.search_index().map(|_| ())
    }

    /// The search index, opened (and brought up to the store) on first use, then kept current.
    /// While it is rebuilt in the background: an `IndexRebuilding` error that says how far.
    fn search_index(&mut self) -> Result<&mut SearchIndex> {
        if let Some(rebuilding) = &self.rebuilding {
            if !rebuilding.finished() {
                return Err(rebuilding.still_rebuilding());
            }
            let rebuilt = self.rebuilding.take().expect("checked above").join();
            self.take_rebuilt(rebuilt)?;
        }
        match &mut self.search {
            Some(index) => index.refresh(&self.store.conn)?,
            None => match SearchIndex::check(&self.data_dir, &self.store.conn)? {
                Checked::Usable(index) => self.search = Some(*index),
                Checked::Rebuild(needed) if self.rebuild_in_background => {
                    if let Some((when, why)) = &self.rebuild_failed {
                        if when.elapsed() < RETRY_REBUILD_AFTER {
                            return Err(why.clone());
                        }
                    }
                    let rebuilding =
                        BackgroundRebuild::start(needed, &self.data_dir, self.rebuild_gate.clone());
                    if !rebuilding.wait_briefly(REBUILD_UNNOTICED) {
                        let said = rebuilding.still_rebuilding();
                        self.rebuilding = Some(rebuilding);
                        return Err(said);
                    }
                    self.take_rebuilt(rebuilding.join())?;
                }
                Checked::Rebuild(needed) => {
                    let built = needed.build(&self.store.conn, &RebuildProgress::default())?;
                    self.search = Some(built.adopt(&self.data_dir, &self.store.conn)?);
                }
            },
        }
        Ok(self.search.as_mut().expect("opened above"))
    }

    /// Takes a background rebuild's index into use, or remembers why there is none.
    fn take_rebuilt(&mut self, rebuilt: Result<crate::search::index::Built>) -> Result<()> {
        let adopted = rebuilt.and_then(|built| built.adopt(&self.data_dir, &self.store.conn));
        match adopted {
            Ok(index) => {
                self.rebuild_failed = None;
                self.search = Some(index);
                Ok(())
            }
            Err(why) => {
                self.rebuild_failed = Some((std::time::Instant::now(), why.clone()));
                Err(why)
            }
        }
    }

    /// Find records as the clerk typed them; see `crate::search`.
    pub fn search(&mut self, request: &SearchRequest) -> Result<SearchResponse> {
        let index = self.search_index()?;
        let searcher = index.searcher();
        let fields = index.fields.clone();
        crate::search::run::search(&searcher, &fields, &self.store.conn, request)
    }

    /// A person's records across documents in date order; see `crate::person`.
    pub fn person(&mut self, request: &PersonRequest) -> Result<PersonTimeline> {
        self.search_index()?;
        let index = self.search.as_ref().expect("opened above");
        let sees_restricted = self.caller.is_supervisor();
        crate::person::person_timeline(&self.store.conn, index, request, sees_restricted)
    }

    /// A clerk's decision that a record does or does not belong to a person; kept across
    /// re-imports.
    /// Written with its row of the audit trail, in one transaction.
    pub fn decide_person(&mut self, decision: &PersonDecision) -> Result<()> {
        self.act(|tx, caller| {
            crate::person::record_decision(tx, decision)?;
            crate::audit::append(
                tx,
                caller,
                crate::audit::Event::new(
                    "decide_person",
                    Some(format!("entry:{}", decision.entry_id)),
                    serde_json::json!({ "person_entry": decision.person_entry_id,
                                        "action": decision.action }),
                ),
            )
            .map(|_| ())
        })
    }

    /// Records a clerk's decision about `entry` (confirm, split or add) for the person the
    /// request names, and returns the person's timeline with it applied. The decision is kept
    /// with a record of the person that carries what the timeline was joined by (their ID when
    /// it was), so that it applies however the person is asked for next time.
    pub fn decide_for_person(
        &mut self,
        request: &PersonRequest,
        entry: i64,
        action: &str,
    ) -> Result<PersonTimeline> {
        let timeline = self.person(request)?;
        let other = |join: &str| {
            timeline
                .events
                .iter()
                .find(|e| e.entry_id != entry && (join.is_empty() || e.join == join))
                .map(|e| e.entry_id)
        };
        let person_entry_id = request
            .entry_id
            .filter(|e| *e != entry)
            .or_else(|| other("id_number"))
            .or_else(|| other("name_birth"))
            .or_else(|| other(""))
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidRequest,
                    "这个人还没有别的记录，无法登记这条记录的归属",
                )
            })?;
        self.decide_person(&PersonDecision {
            entry_id: entry,
            person_entry_id,
            action: action.to_string(),
        })?;
        self.person(request)
    }

    /// The same, with the person and the decision in one request (as the UI sends them).
    pub fn decide_person_in_timeline(
        &mut self,
        request: &PersonDecisionRequest,
    ) -> Result<PersonTimeline> {
        self.decide_for_person(&request.person, request.entry_id, &request.action)
    }

    /// Build the search index again from the store.
    /// Refused at once, leaving the index as it was, while another program imports.
    pub fn reindex(&mut self) -> Result<u64> {
        self.refuse_while_another_program_writes()?;
        self.search_index()?;
        let index = self.search.as_mut().expect("opened above");
        // Holding the old index's writer keeps an import from starting into it meanwhile.
        index.take_writer()?;
        index.rebuild(&self.store.conn)?;
        Ok(index.num_docs())
    }

    /// Another program importing holds the database's write lock: say so now, instead of
    /// waiting on it half-way through.
    fn refuse_while_another_program_writes(&mut self) -> Result<()> {
        self.store.conn.busy_timeout(std::time::Duration::ZERO)?;
        let free = self.store.conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;");
        self.store.conn.busy_timeout(crate::store::BUSY_WAIT)?;
        free.map_err(|e| match Error::from(e) {
            busy if busy.code == ErrorCode::Busy => Error::new(
                ErrorCode::Busy,
                "另一个程序正在向档案库导入文件；请等它完成后再重建检索索引（索引未作改动）",
            ),
            other => other,
        })
    }

    pub fn stats(&self) -> Result<Stats> {
        self.store.stats()
    }

    /// Where the archive is, what it holds and how much of it the search index covers.
    pub fn status(&mut self) -> Result<ArchiveStatus> {
        let (indexed, index_rebuilt_because) = match self.search_index() {
            Ok(index) => (index.num_docs(), index.rebuilt_because.clone()),
            Err(e) if e.code == ErrorCode::IndexRebuilding => (0, None),
            Err(e) => return Err(e),
        };
        Ok(ArchiveStatus {
            data_dir: self.data_dir.display().to_string(),
            stats: self.store.stats()?,
            indexed,
            index_rebuilt_because,
            index_rebuilding: self.rebuilding.as_ref().map(BackgroundRebuild::status),
        })
    }

    /// A document with its entries and pages, named by 档号, id or one of its entries.
    pub fn document(&self, request: &DocumentRequest) -> Result<DocumentView> {
        if let Some(id) = request.document_id {
            return self.store.document(id);
        }
        if let Some(entry) = request.entry_id {
            return self.show(&format!("#{entry}"));
        }
        match request.reference.as_deref() {
            Some(reference) if !reference.trim().is_empty() => self.show(reference),
            _ => Err(Error::new(
                ErrorCode::InvalidRequest,
                "请给出档号、案卷编号或记录编号",
            )),
        }
    }

    /// A scanned page for the viewer: its preview or the full image, converted where a webview
    /// cannot show the format; see `crate::page_image`.
    pub fn page_image(&mut self, request: &PageRequest) -> Result<PageImage> {
        self.page_source(request)?.load()
    }

    /// Where a page's image comes from, served only within the caller's recorded view of the
    /// document (a restricted record's only after a supervisor opened it with a reason), and
    /// recorded against that view. Doors that share the archive between requests look the page
    /// up while holding it and load (decode, convert) after letting go, so that a TIFF being
    /// converted never keeps a search waiting.
    pub fn page_source(&mut self, request: &PageRequest) -> Result<PageSource> {
        let view = self.view_of_pages(request.document_id)?;
        let page = self
            .store
            .page_file(request.document_id, request.page_no)?
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::NotFound,
                    format!(
                        "案卷 {} 没有第 {} 页扫描件",
                        request.document_id, request.page_no
                    ),
                )
            })?;
        self.record_look(crate::audit::Event::new(
            crate::audit::collapse::PAGES,
            Some(format!("document:{}", request.document_id)),
            serde_json::json!({ "view": view, "pages": [request.page_no] }),
        ))?;
        Ok(PageSource {
            data_dir: self.data_dir.clone(),
            page,
            size: request.size,
        })
    }

    /// The caller's recorded view of a document, within which its pages (and what was read on
    /// them) are served; a restricted record's to supervisors only.
    fn view_of_pages(&self, document_id: i64) -> Result<String> {
        let Some(access) = self.store.document_access(document_id)? else {
            return Err(Error::new(
                ErrorCode::NotFound,
                format!("没有编号为 {document_id} 的案卷"),
            ));
        };
        let restricted = crate::privacy::is_restricted(&access);
        if restricted {
            self.caller
                .require_supervisor("查看控制使用或不开放档案的扫描件")?;
        }
        let clerk = crate::audit::actor(&self.caller);
        self.views
            .view_of(&clerk, document_id, restricted)
            .map(str::to_string)
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::Forbidden,
                    if restricted {
                        "这份档案控制使用或不开放：请先说明理由打开档案，再查看扫描件"
                    } else {
                        "请先打开这份档案（查看会记入审计日志），再查看它的扫描件"
                    },
                )
            })
    }

    /// A document by 档号 (in any of its written forms), or by an entry id written `#123`.
    pub fn show(&self, reference: &str) -> Result<DocumentView> {
        let reference = reference.trim();
        let by_entry = reference
            .strip_prefix('#')
            .or_else(|| reference.strip_prefix("entry:"))
            .and_then(|n| n.parse::<i64>().ok());
        let id = match by_entry {
            Some(entry) => self.store.document_of_entry(entry)?,
            None => self
                .store
                .document_by_key(&crate::text::codes::ref_code_key(reference))?,
        };
        match id {
            Some(id) => self.store.document(id),
            None => Err(Error::new(
                ErrorCode::NotFound,
                format!("找不到档号为「{reference}」的案卷"),
            )),
        }
    }

    /// Name shown on every screen and certificate.
    pub fn set_archive_name(&self, name: &str) -> Result<()> {
        self.store.set_meta("archive_name", name)
    }

    /// Mark the archive as demo data, so every screen can say so.
    pub fn mark_demo(&self) -> Result<()> {
        self.store.set_meta("demo", "1")
    }

    /// Makes a demo archive count as a real one (benchmarks that need its rows and a real
    /// archive's background work).
    pub(crate) fn forget_demo(&self) -> Result<()> {
        self.store.set_meta("demo", "0")
    }

    /// Whether this is a demo archive (made up, its scans printed from its own catalogue).
    pub fn is_demo(&self) -> Result<bool> {
        Ok(self.store.meta("demo")?.as_deref() == Some("1"))
    }
}

/// The audit trail's row for one imported (or refused) file.
fn import_event(report: &crate::api::FileReport) -> crate::audit::Event {
    crate::audit::Event::new(
        "import",
        None,
        serde_json::json!({ "file": report.path, "outcome": report.outcome,
            "accepted": report.rows_accepted, "rejected": report.rows_rejected,
            "pages": report.pages_attached, "batch": report.batch_id }),
    )
}

/// Previews of a scan folder's pages are made as it is imported, so that a page shows at once
/// when it is first opened. A page that cannot be decoded is a warning: it is still registered,
/// and the viewer will say it cannot be shown.
fn make_previews(
    store: &Store,
    data_dir: &Path,
    report: &mut crate::api::FileReport,
) -> Result<()> {
    if report.outcome != crate::api::FileOutcome::Imported {
        return Ok(());
    }
    for page in store.pages_under_root(&report.path)? {
        if let Err(e) = crate::page_image::ensure_preview(data_dir, &page) {
            report.warnings.push(ImportWarning {
                file: page.path.display().to_string(),
                sheet: String::new(),
                row: None,
                column: None,
                message: e.message,
            });
        }
    }
    Ok(())
}
