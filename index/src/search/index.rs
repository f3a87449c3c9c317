//! The search index's life beside the store: open, catch up with the store's change log, and
//! rebuild when missing, stale or corrupt.
//!
//! Layout in the data folder: `search/CURRENT` names the folder of the live index
//! (`search/index-<time>`). A rebuild writes a new folder and switches `CURRENT` when it is
//! complete; a broken folder is kept aside as `*.corrupt-<time>`. Switching a pointer file
//! instead of renaming folders works on Windows, where a folder whose files a reader still maps
//! cannot be renamed.

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy};

use super::cjk_tokenizer::{CjkBigramTokenizer, CjkTokenizer, CJK_BIGRAM_TOKENIZER, CJK_TOKENIZER};
use super::documents::{read_document, Redo};
use super::index_directory::{IndexDirectory, WriteBudget};
use super::index_feeder::{Change, IndexFeeder, BATCH_INDEX_DOCUMENTS};
use super::schema::{build_schema, Fields, SCHEMA_VERSION};
use crate::error::{Error, ErrorCode, Result};

pub const SEARCH_FOLDER: &str = "search";
const CURRENT_FILE: &str = "CURRENT";
/// Memory the writer may use for its in-RAM segments before it writes them out.
const WRITER_MEMORY: usize = 96 * 1024 * 1024;

/// What an index commit says about the store it was built from.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Payload {
    /// The archive it belongs to (an index copied beside another database is not trusted).
    archive: String,
    schema: u32,
    /// The last change of the store's log that the index covers.
    seq: i64,
}

pub struct SearchIndex {
    root: PathBuf,
    folder: PathBuf,
    index: Index,
    reader: IndexReader,
    pub fields: Fields,
    archive_uid: String,
    covered: i64,
    /// Why the index was last rebuilt on open, if it was (shown in the index status).
    pub rebuilt_because: Option<String>,
    /// The writer while changes are being fed, and the last change fed to it.
    feeding: Option<Feeding>,
    /// What the index may still write (a failpoint for the tests of a full disk).
    budget: WriteBudget,
}

struct Feeding {
    feeder: IndexFeeder,
    fed: i64,
}

/// The store's side of the bargain: its identity (`store::archive_uid`) and the head of its
/// change log.
fn archive_uid(conn: &Connection) -> Result<String> {
    crate::store::archive_uid(conn)
}

/// The highest change ever logged, also after the covered part of the log was pruned.
pub fn store_head(conn: &Connection) -> Result<i64> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT seq FROM sqlite_sequence WHERE name = 'changes'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .optional()?
        .unwrap_or(0))
}

fn pruned_to(conn: &Connection) -> Result<i64> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'changes_pruned_to'",
            [],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

fn register_tokenizers(index: &Index) {
    index.tokenizers().register(CJK_TOKENIZER, CjkTokenizer);
    index
        .tokenizers()
        .register(CJK_BIGRAM_TOKENIZER, CjkBigramTokenizer);
}

fn now_tag() -> String {
    chrono::Local::now()
        .format("%Y%m%d-%H%M%S%.3f")
        .to_string()
        .replace('.', "-")
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::new(
        ErrorCode::SearchIndex,
        format!("{what}「{}」：{e}", path.display()),
    )
}

/// Opens an index folder and checks its commit belongs to this archive and schema.
fn open_folder(
    folder: &Path,
    archive: &str,
    budget: &WriteBudget,
) -> std::result::Result<(Index, i64), String> {
    let index = IndexDirectory::open(folder, budget.clone())
        .and_then(Index::open)
        .map_err(|e| format!("无法打开：{e}"))?;
    let metas = index.load_metas().map_err(|e| format!("无法读取：{e}"))?;
    let payload: Payload = metas
        .payload
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok())
        .ok_or_else(|| "没有提交记录".to_string())?;
    if payload.archive != archive {
        return Err("属于另一个档案库".into());
    }
    if payload.schema != SCHEMA_VERSION {
        return Err(format!("索引结构版本 {} 已过时", payload.schema));
    }
    let (expected, _) = build_schema();
    if index.schema() != expected {
        return Err("索引字段与本程序不符".into());
    }
    // Every file of the live segments against its own checksum (tantivy's footer): a byte
    // flipped or a file cut short is found now, not by a search that fails later.
    match index.validate_checksum() {
        Ok(damaged) if damaged.is_empty() => {}
        Ok(damaged) => {
            let mut names: Vec<String> = damaged.iter().map(|p| p.display().to_string()).collect();
            names.sort();
            return Err(format!("文件校验不符：{}", names.join("、")));
        }
        Err(e) => return Err(format!("文件缺失或无法校验：{e}")),
    }
    Ok((index, payload.seq))
}

/// What opening an index folder found: an index to use, or why it must be built again.
pub enum Checked {
    Usable(Box<SearchIndex>),
    Rebuild(NeedsRebuild),
}

/// An index that cannot be used as it is: why, and the folder `CURRENT` named (removed once
/// the new index is in place).
pub struct NeedsRebuild {
    pub because: String,
    root: PathBuf,
    /// What `CURRENT` named when the rebuild was found needed.
    current: Option<String>,
    archive_uid: String,
}

/// A complete index in a folder of its own, not yet in use: `adopt` switches to it.
pub struct Built {
    index: SearchIndex,
    /// What `CURRENT` named when the rebuild began.
    current: Option<String>,
}

impl NeedsRebuild {
    /// Builds the new index from the store as `conn` sees it now, without writing to the store
    /// (it may be a read-only connection of another thread); `adopt` finishes it.
    pub fn build(&self, conn: &Connection, progress: &RebuildProgress) -> Result<Built> {
        let mut index =
            SearchIndex::build_into_new_folder(&self.root, conn, &self.archive_uid, progress)?;
        index.rebuilt_because = Some(self.because.clone());
        Ok(Built {
            index,
            current: self.current.clone(),
        })
    }
}

impl Built {
    /// Takes the new index into use, in one breath: the store's change log pruned up to what it
    /// covers, then `CURRENT` switched to it, the old folder removed and the changes made since
    /// it was built indexed. If another program switched `CURRENT` or indexed further meanwhile,
    /// this build is stale: it is thrown away and the index that program made is opened.
    pub fn adopt(self, data_dir: &Path, conn: &Connection) -> Result<SearchIndex> {
        let mut index = self.index;
        let root = index.root.clone();
        let now = read_current(&root);
        if now != self.current || pruned_to(conn)? > index.covered {
            let stale = index.folder.clone();
            drop(index);
            let _ = std::fs::remove_dir_all(&stale);
            return SearchIndex::open(data_dir, conn);
        }
        prune_changes(conn, index.covered)?;
        let name = index
            .folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        write_current(&root, &name)?;
        if let Some(old) = self.current {
            // Best effort: on Windows a folder still mapped by a reader stays until later.
            let _ = std::fs::remove_dir_all(root.join(old));
        }
        index.remove_leftovers();
        index.refresh(conn)?;
        Ok(index)
    }

    /// Gives the build up (it could not be taken into use): its folder is removed.
    pub fn discard(self) {
        let folder = self.index.folder.clone();
        drop(self);
        let _ = std::fs::remove_dir_all(folder);
    }
}

/// The folder `CURRENT` names, if it names one.
fn read_current(root: &Path) -> Option<String> {
    std::fs::read_to_string(root.join(CURRENT_FILE))
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty() && !s.contains(['/', '\\']))
}

/// How far a rebuild has got: index documents of the store's documents sent to the writer.
#[derive(Default)]
pub struct RebuildProgress {
    pub documents_done: std::sync::atomic::AtomicU64,
    pub documents_total: std::sync::atomic::AtomicU64,
}

impl SearchIndex {
    /// Opens the index of the data folder, rebuilding it when missing, stale or corrupt, and
    /// brings it up to the store's last committed change.
    pub fn open(data_dir: &Path, conn: &Connection) -> Result<SearchIndex> {
        match Self::check(data_dir, conn)? {
            Checked::Usable(index) => Ok(*index),
            Checked::Rebuild(needed) => needed
                .build(conn, &RebuildProgress::default())?
                .adopt(data_dir, conn),
        }
    }

    /// Opens the index of the data folder if it is sound and belongs to the store as it is,
    /// and brings it up to the store; otherwise says why it must be rebuilt (a damaged folder
    /// is set aside first).
    pub fn check(data_dir: &Path, conn: &Connection) -> Result<Checked> {
        let root = data_dir.join(SEARCH_FOLDER);
        std::fs::create_dir_all(&root).map_err(|e| io_error("无法创建检索索引文件夹", &root, e))?;
        let uid = archive_uid(conn)?;
        let head = store_head(conn)?;
        let current = read_current(&root);

        let budget = WriteBudget::default();
        let (opened, reason) = match &current {
            None => (None, "检索索引不存在".to_string()),
            Some(name) => match open_folder(&root.join(name), &uid, &budget) {
                Ok((index, seq)) if seq > head => {
                    // The store is older than the index (restored from a backup): the index
                    // describes records the store no longer has.
                    drop(index);
                    (
                        None,
                        format!("检索索引比数据库新（{seq} > {head}），已重建"),
                    )
                }
                Ok((index, seq)) if seq != pruned_to(conn)? => {
                    // Every index commit prunes the store's log up to it in the same breath;
                    // a mismatch means an older index folder was put back, or the database
                    // was restored from a backup and has since taken other changes.
                    drop(index);
                    (None, "检索索引与数据库不一致，已重建".to_string())
                }
                Ok(ok) => (Some(ok), String::new()),
                Err(_) if !root.join(name).exists() => {
                    (None, format!("检索索引文件夹「{name}」不存在，已重建"))
                }
                Err(why) => {
                    match set_aside(&root.join(name)) {
                        Some(aside) => log::warn!(
                            "检索索引「{}」损坏（{why}），已移到「{}」，从数据库重建",
                            root.join(name).display(),
                            aside.display()
                        ),
                        None => log::warn!(
                            "检索索引「{}」损坏（{why}），无法移开，从数据库重建",
                            root.join(name).display()
                        ),
                    }
                    (None, format!("检索索引损坏（{why}），已重建"))
                }
            },
        };

        let Some((index, seq)) = opened else {
            return Ok(Checked::Rebuild(NeedsRebuild {
                because: reason,
                current,
                root,
                archive_uid: uid,
            }));
        };
        let folder = root.join(current.as_deref().unwrap_or_default());
        let mut this = Self::from_index(root, folder, index, uid, seq, budget)?;
        this.remove_leftovers();
        // A writer lock held elsewhere means that program is bringing the index up to date;
        // searching goes on with what is committed.
        this.refresh(conn)?;
        Ok(Checked::Usable(Box::new(this)))
    }

    fn from_index(
        root: PathBuf,
        folder: PathBuf,
        index: Index,
        archive_uid: String,
        covered: i64,
        budget: WriteBudget,
    ) -> Result<SearchIndex> {
        register_tokenizers(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let (_, fields) = build_schema();
        Ok(SearchIndex {
            root,
            folder,
            index,
            reader,
            fields,
            archive_uid,
            covered,
            rebuilt_because: None,
            feeding: None,
            budget,
        })
    }

    fn writer(index: &Index) -> Result<IndexWriter> {
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 2);
        Ok(index.writer_with_num_threads(threads, WRITER_MEMORY)?)
    }

    /// Builds a complete index of the store's current records in a new folder (named for the
    /// time and this process, so that two programs never build into one). `CURRENT` is switched
    /// to it and the store's change log pruned by whoever takes it into use.
    fn build_into_new_folder(
        root: &Path,
        conn: &Connection,
        uid: &str,
        progress: &RebuildProgress,
    ) -> Result<SearchIndex> {
        let name = format!("index-{}-{}", now_tag(), std::process::id());
        let folder = root.join(&name);
        std::fs::create_dir_all(&folder)
            .map_err(|e| io_error("无法创建检索索引文件夹", &folder, e))?;
        let (schema, fields) = build_schema();
        let budget = WriteBudget::default();
        let index = Index::create(
            IndexDirectory::open(&folder, budget.clone())?,
            schema,
            tantivy::IndexSettings::default(),
        )?;
        register_tokenizers(&index);
        let feeder = IndexFeeder::start(Self::writer(&index)?, fields.clone());
        // One read transaction: the documents read and the head recorded are one snapshot.
        let snapshot = conn.unchecked_transaction()?;
        let head = store_head(&snapshot)?;
        let ids: Vec<i64> = snapshot
            .prepare("SELECT id FROM documents WHERE superseded_at IS NULL ORDER BY id")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        progress
            .documents_total
            .store(ids.len() as u64, std::sync::atomic::Ordering::Relaxed);
        let whole: Vec<(i64, Redo)> = ids.into_iter().map(|id| (id, Redo::WHOLE)).collect();
        send_documents(&snapshot, &feeder, &whole, false, Some(progress))?;
        snapshot.finish()?;
        feeder.commit(payload(uid, head))?;
        if let Some(writer) = feeder.finish() {
            writer.wait_merging_threads()?;
        }
        Self::from_index(
            root.to_path_buf(),
            folder,
            index,
            uid.to_string(),
            head,
            budget,
        )
    }

    /// Throws the index away and builds it again from the store (`archivedesk reindex`).
    pub fn rebuild(&mut self, conn: &Connection) -> Result<()> {
        let old = self.folder.clone();
        let fresh = Self::build_into_new_folder(
            &self.root,
            conn,
            &self.archive_uid,
            &RebuildProgress::default(),
        )?;
        prune_changes(conn, fresh.covered)?;
        let name = fresh
            .folder
            .file_name()
            .unwrap_or_default()
            .to_string_lossy();
        write_current(&self.root, &name)?;
        *self = fresh;
        // Best effort: on Windows a folder still mapped by another reader stays until later.
        let _ = std::fs::remove_dir_all(&old);
        self.catch_up(conn).map(|_| ())
    }

    /// Re-indexes every document changed since the last change the index covers, commits with
    /// the new head as payload and reloads the reader, so the changes are searchable on return.
    pub fn catch_up(&mut self, conn: &Connection) -> Result<()> {
        if store_head(conn)? <= self.covered {
            return Ok(());
        }
        // Another process may have caught up already.
        self.reload_from_disk()?;
        if store_head(conn)? <= self.covered {
            return Ok(());
        }
        if self.covered < pruned_to(conn)? {
            return self.rebuild(conn);
        }
        // Changes another program wrote (an import, the page reader): a search takes them up,
        // and prunes the log only if nobody holds the store, rather than wait for them.
        let result = self
            .commit_index(conn)
            .and_then(|_| prune_changes_when_free(conn, self.covered));
        self.release_writer();
        result
    }

    /// Indexes the documents changed since the last feed, as `conn` sees them — inside an
    /// import's transaction, what it has written so far. Nothing fed is searchable until
    /// `commit_fed`; `rollback_fed` forgets it.
    pub fn feed(&mut self, conn: &Connection) -> Result<()> {
        self.feed_changes(conn).map_err(|e| self.said_plainly(e))
    }

    /// A writer that died because the disk is full says only that it died: said as a full
    /// disk, with what becomes of the records.
    fn said_plainly(&self, e: Error) -> Error {
        if e.code == ErrorCode::SearchIndex && self.budget.found_full() {
            Error::new(
                ErrorCode::DiskFull,
                format!(
                    "无法写入检索索引「{}」：磁盘已满，请腾出空间后重试（数据库中的记录没有丢失，腾出空间后检索索引会自动补上）",
                    self.folder.display()
                ),
            )
        } else {
            e
        }
    }

    fn feed_changes(&mut self, conn: &Connection) -> Result<()> {
        self.take_writer()?;
        let feeding = self.feeding.as_mut().expect("taken above");
        let mut changed = conn.prepare_cached(
            "SELECT document_id, first_new_entry, own_only, seq FROM changes WHERE seq > ?1 ORDER BY seq",
        )?;
        // What each changed document needs, all its changes since the last feed together.
        let mut redo: std::collections::BTreeMap<i64, Redo> = Default::default();
        let mut last = feeding.fed;
        let mut rows = changed.query([feeding.fed])?;
        while let Some(r) = rows.next()? {
            let needed = redo.entry(r.get(0)?).or_default();
            let first_new_entry: Option<i64> = r.get(1)?;
            let own_only: bool = r.get(2)?;
            match (first_new_entry, own_only) {
                (Some(first), _) => {
                    needed.entries_from = Some(needed.entries_from.map_or(first, |f| f.min(first)))
                }
                (None, true) => needed.own = true,
                (None, false) => *needed = Redo::WHOLE,
            }
            last = r.get(3)?;
        }
        drop(rows);
        let redo: Vec<(i64, Redo)> = redo.into_iter().collect();
        send_documents(conn, &feeding.feeder, &redo, true, None)?;
        feeding.fed = last;
        Ok(())
    }

    /// After the store committed: feeds what is left, commits the index with the store's head
    /// as payload and reloads, so that everything committed is searchable on return.
    pub fn commit_fed(&mut self, conn: &Connection) -> Result<()> {
        self.commit_index(conn)?;
        prune_changes(conn, self.covered)
    }

    /// `commit_fed` without pruning the store's change log.
    fn commit_index(&mut self, conn: &Connection) -> Result<()> {
        self.feed(conn)?;
        let feeding = self.feeding.as_ref().expect("fed above");
        let fed = feeding.fed;
        let committed = feeding.feeder.commit(payload(&self.archive_uid, fed));
        committed.map_err(|e| self.said_plainly(e))?;
        self.reader.reload()?;
        self.covered = fed;
        Ok(())
    }

    /// The store rolled back: what was fed since the last commit never happened.
    pub fn rollback_fed(&mut self) -> Result<()> {
        if let Some(feeding) = self.feeding.as_mut() {
            feeding.feeder.rollback()?;
            feeding.fed = self.covered;
        }
        Ok(())
    }

    /// Takes the index's writer lock (before an import starts, so that a lock held by another
    /// program is reported before any work is done).
    pub fn take_writer(&mut self) -> Result<()> {
        if self.feeding.is_none() {
            // A full disk found by an earlier writer is that writer's story.
            self.budget.found_full();
            self.feeding = Some(Feeding {
                feeder: IndexFeeder::start(Self::writer(&self.index)?, self.fields.clone()),
                fed: self.covered,
            });
        }
        Ok(())
    }

    /// Lets another process write the index again.
    pub fn release_writer(&mut self) {
        if let Some(writer) = self.feeding.take().and_then(|f| f.feeder.finish()) {
            let _ = writer.wait_merging_threads();
        }
    }

    /// Picks up a commit made by another process since this one last looked.
    fn reload_from_disk(&mut self) -> Result<()> {
        // Another process may have rebuilt the index into a new folder.
        let current = std::fs::read_to_string(self.root.join(CURRENT_FILE)).unwrap_or_default();
        let current = current.trim();
        if !current.is_empty() && self.folder.file_name().is_some_and(|n| n != current) {
            if let Ok((index, seq)) =
                open_folder(&self.root.join(current), &self.archive_uid, &self.budget)
            {
                self.release_writer();
                let root = self.root.clone();
                let rebuilt = self.rebuilt_because.take();
                *self = Self::from_index(
                    root,
                    self.root.join(current),
                    index,
                    self.archive_uid.clone(),
                    seq,
                    self.budget.clone(),
                )?;
                self.rebuilt_because = rebuilt;
                return Ok(());
            }
        }
        let metas = self.index.load_metas()?;
        if let Some(p) = metas
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str::<Payload>(p).ok())
        {
            if p.seq > self.covered {
                self.reader.reload()?;
                self.covered = p.seq;
            }
        }
        Ok(())
    }

    /// Brings the index up to date before a search: picks up other processes' commits and
    /// catches up when this process may write; a writer lock held elsewhere means that
    /// process is catching up, so the search goes on with what is committed.
    pub fn refresh(&mut self, conn: &Connection) -> Result<()> {
        match self.catch_up(conn) {
            Ok(()) => Ok(()),
            Err(e) if e.code == ErrorCode::IndexLocked => Ok(()),
            Err(e) => Err(e),
        }
    }

    pub fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    pub fn covered_seq(&self) -> i64 {
        self.covered
    }

    /// Lets the index write only `bytes` more (None: no cap), as a disk that fills up would.
    pub fn cap_writes(&self, bytes: Option<u64>) {
        self.budget.cap(bytes);
    }

    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// Index documents (entries and documents) searchable now.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Removes index folders a crash left half-built (never the live one or those set aside).
    fn remove_leftovers(&self) {
        let Ok(read) = std::fs::read_dir(&self.root) else {
            return;
        };
        for entry in read.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().to_string();
            if path.is_dir()
                && name.starts_with("index-")
                && !name.contains(".corrupt-")
                && path != self.folder
            {
                let _ = std::fs::remove_dir_all(&path);
            }
        }
    }
}

/// What an index commit records: the archive, the schema and the last change it covers.
fn payload(archive: &str, seq: i64) -> String {
    serde_json::to_string(&Payload {
        archive: archive.to_string(),
        schema: SCHEMA_VERSION,
        seq,
    })
    .expect("payload serializes")
}

/// Reads what each store document needs done again as it now is, and hands it to the feeder in
/// batches: first its index documents that are redone are forgotten (all of them, or only its
/// own; new entries have none yet), so that a superseded or deleted document is only forgotten.
/// An index built afresh has nothing to forget (`forget` false).
fn send_documents(
    conn: &Connection,
    feeder: &IndexFeeder,
    redo: &[(i64, Redo)],
    forget: bool,
    progress: Option<&RebuildProgress>,
) -> Result<()> {
    let mut batch = Vec::new();
    let mut in_batch = 0;
    for &(id, needed) in redo {
        if let Some(progress) = progress {
            progress
                .documents_done
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        if forget && needed == Redo::WHOLE {
            batch.push(Change::Forget(id));
        } else if forget && needed.own {
            batch.push(Change::ForgetOwn(id));
        }
        if let Some(stored) = read_document(conn, id, needed)? {
            in_batch += stored.index_document_count();
            batch.push(Change::Add(Box::new(stored)));
        }
        if in_batch >= BATCH_INDEX_DOCUMENTS {
            feeder.send(std::mem::take(&mut batch))?;
            in_batch = 0;
        }
    }
    feeder.send(batch)
}

/// The log up to what the index covers is no longer needed; the watermark says so, so that an
/// index older than it is known to be stale.
/// Prunes the change log now, or leaves it for the next commit when another writer holds the
/// store (what is covered is in the index's own payload; the log is only housekeeping).
fn prune_changes_when_free(conn: &Connection, covered: i64) -> Result<()> {
    conn.busy_timeout(std::time::Duration::ZERO)?;
    let pruned = prune_changes(conn, covered);
    conn.busy_timeout(crate::store::BUSY_WAIT)?;
    match pruned {
        Err(e) if e.code == ErrorCode::Busy => Ok(()),
        other => other,
    }
}

fn prune_changes(conn: &Connection, covered: i64) -> Result<()> {
    let tx = conn.unchecked_transaction()?;
    tx.execute("DELETE FROM changes WHERE seq <= ?1", [covered])?;
    tx.execute(
        "INSERT INTO meta(key, value) VALUES ('changes_pruned_to', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [covered.to_string()],
    )?;
    tx.commit()?;
    Ok(())
}

/// Writes `CURRENT` by replacing it whole, so a crash leaves the old or the new name.
fn write_current(root: &Path, name: &str) -> Result<()> {
    let tmp = root.join("CURRENT.tmp");
    std::fs::write(&tmp, name).map_err(|e| io_error("无法写入", &tmp, e))?;
    std::fs::rename(&tmp, root.join(CURRENT_FILE))
        .map_err(|e| io_error("无法更新", &root.join(CURRENT_FILE), e))
}

/// Keeps a broken index for inspection instead of deleting it; returns where it went.
fn set_aside(folder: &Path) -> Option<PathBuf> {
    let mut aside = folder.as_os_str().to_owned();
    aside.push(format!(".corrupt-{}", now_tag()));
    let aside = PathBuf::from(aside);
    std::fs::rename(folder, &aside).ok().map(|_| aside)
}
