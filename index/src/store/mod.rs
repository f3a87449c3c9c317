//! The archive's source of truth: one SQLite file in the data folder.

pub mod acts_done;
pub mod certificate_numbers;
pub mod cross;
pub mod journal;
pub mod lan_desks;
pub mod migrations;
pub mod open_records;
pub mod page_text;
pub mod peers;
pub mod proofs;
pub mod read;
pub mod rows;
pub mod statements;
pub mod writer;

use crate::error::{Error, ErrorCode, Result};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

pub const DB_FILE: &str = "archive.sqlite3";

/// How long a write waits for another writer (an import in another thread or program) before
/// it gives up with `ErrorCode::Busy`.
pub const BUSY_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

pub struct Store {
    pub conn: Connection,
    pub path: PathBuf,
}

impl Store {
    /// Open (creating if needed) the archive database in `data_dir`, migrating it forward.
    pub fn open(data_dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(data_dir).map_err(|e| {
            let error = Error::io("无法创建数据文件夹", data_dir, &e);
            match error.code {
                ErrorCode::Io => Error::new(ErrorCode::DataDir, error.message),
                _ => error,
            }
        })?;
        let path = data_dir.join(DB_FILE);
        let not_archive = |e: rusqlite::Error| Error::opening_database(&path, e);
        let mut conn = Connection::open(&path).map_err(not_archive)?;
        conn.busy_timeout(BUSY_WAIT).map_err(not_archive)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(not_archive)?;
        let latest = migrations::latest_version();
        if version > latest {
            return Err(Error::new(
                ErrorCode::SchemaTooNew,
                format!(
                    "数据库「{}」由较新版本的档案查询台写入（数据结构版本 {version}，本程序只认识到 {latest}），为免损坏数据已拒绝打开；请升级本程序",
                    path.display()
                ),
            ));
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(not_archive)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(not_archive)?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // An import is one transaction; a larger page cache keeps its index pages from being
        // spilled to the log and read back. Bounded, so memory does not follow the file size.
        conn.pragma_update(None, "cache_size", -65536)?;
        // Statement journals of upserts go to memory, not to a temporary file per statement.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        for (i, sql) in migrations::MIGRATIONS
            .iter()
            .enumerate()
            .skip(version as usize)
        {
            let tx = conn.transaction().map_err(not_archive)?;
            tx.execute_batch(sql).map_err(not_archive)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)
                .map_err(not_archive)?;
            tx.commit().map_err(not_archive)?;
        }
        Ok(Store { conn, path })
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        set_meta_in(&self.conn, key, value)
    }
}

/// Sets a `meta` value on `conn` (inside an act's transaction, say).
pub fn set_meta_in(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

/// The archive's identity, made once: the search index and the audit trail's anchors name the
/// archive they belong to by it.
/// A read-only connection of its own to the archive database in `data_dir`, for work done on
/// another thread beside the clerks (a backup, an index rebuild): in WAL mode it holds no
/// writer up and sees one snapshot per transaction.
pub fn open_reader(data_dir: &Path) -> Result<Connection> {
    let path = data_dir.join(DB_FILE);
    let conn = Connection::open_with_flags(
        &path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| Error::opening_database(&path, e))?;
    conn.busy_timeout(BUSY_WAIT)?;
    Ok(conn)
}

pub fn archive_uid(conn: &Connection) -> Result<String> {
    use rusqlite::OptionalExtension;
    let existing: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'archive_uid'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(uid) = existing {
        return Ok(uid);
    }
    let uid = format!(
        "{:016x}{:016x}",
        rand::random::<u64>(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default() as u64
    );
    conn.execute(
        "INSERT OR IGNORE INTO meta(key, value) VALUES ('archive_uid', ?1)",
        [&uid],
    )?;
    Ok(conn.query_row(
        "SELECT value FROM meta WHERE key = 'archive_uid'",
        [],
        |r| r.get(0),
    )?)
}

/// Local time as the clerk reads it, for "imported at" and "superseded at".
pub fn now_text() -> String {
    chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string()
}

/// Runs `work` in one transaction committed with synchronous=FULL: the register, certificates
/// and audit trail must survive a power cut the moment the clerk sees them saved (imports keep
/// NORMAL, where a lost last commit is imported again). IMMEDIATE, so that a number read inside
/// is not taken by another writer before the commit.
pub fn durable<T>(
    conn: &mut Connection,
    work: impl FnOnce(&rusqlite::Transaction) -> Result<T>,
) -> Result<T> {
    conn.pragma_update(None, "synchronous", "FULL")?;
    let result = (|| {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let value = work(&tx)?;
        tx.commit()?;
        Ok(value)
    })();
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    result
}
