//! Taking a backup while clerks work and an import runs: SQLite's online backup API copies
//! the database as one snapshot from a connection of its own (in WAL mode writers go on
//! beside it), the copy is checked, counted and described in a manifest, and the backup's
//! folder gets its final name only when complete — a backup cut short by a full disk or a
//! crash is never mistaken for one.

use super::encryption::encrypt_file;
use super::manifest::{self, Manifest, DATABASE_FILE, ENCRYPTED_DATABASE_FILE, FOLDER_PREFIX};
use crate::audit::anchors;
use crate::error::{Error, ErrorCode, Result};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// A backup taken: its folder and its manifest.
pub struct Taken {
    pub folder: PathBuf,
    pub manifest: Manifest,
}

/// Copies the archive in `data_dir` into a new folder under `to`.
pub fn take(data_dir: &Path, to: &Path, passphrase: Option<&str>) -> Result<Taken> {
    take_capped(data_dir, to, passphrase, None)
}

/// The same with the copy capped at `max_pages` pages, as a backup drive that fills up: a
/// failpoint for the tests of a full disk.
#[doc(hidden)]
pub fn take_capped(
    data_dir: &Path,
    to: &Path,
    passphrase: Option<&str>,
    max_pages: Option<u64>,
) -> Result<Taken> {
    std::fs::create_dir_all(to).map_err(|e| Error::io("无法创建备份文件夹", to, &e))?;
    remove_leftovers(data_dir);
    let taken_at = chrono::Local::now();
    let (partial, done) = reserve_folder(to, taken_at)?;
    // The plain copy of an encrypted backup stays in the data folder, as protected as the
    // database itself, and is removed whatever happens (or at the next backup, after a crash).
    let plain = match passphrase {
        Some(_) => data_dir.join(format!(
            "{PLAIN_COPY_PREFIX}{}-{:016x}.tmp",
            std::process::id(),
            rand::random::<u64>()
        )),
        None => partial.join(DATABASE_FILE),
    };
    let result = (|| {
        let (mut manifest, anchors_of_copy) = copy_database(data_dir, &plain, taken_at, max_pages)?;
        if let Some(passphrase) = passphrase {
            encrypt_file(&plain, &partial.join(ENCRYPTED_DATABASE_FILE), passphrase)?;
            manifest.encrypted = true;
        }
        let mut files = vec![if manifest.encrypted {
            ENCRYPTED_DATABASE_FILE.to_string()
        } else {
            DATABASE_FILE.to_string()
        }];
        files.extend(write_anchors(&anchors_of_copy, &partial)?);
        manifest.files = files
            .iter()
            .map(|f| manifest::file_entry(&partial, f))
            .collect::<Result<_>>()?;
        let text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
        anchors::write_durably(&partial, manifest::MANIFEST_FILE, &text)?;
        std::fs::rename(&partial, &done).map_err(|e| Error::io("无法完成备份", &done, &e))?;
        sync_folder(to);
        // Read back as a restore reads it: a backup that would be refused is no backup.
        manifest::read_and_check(&done)?;
        Ok(manifest)
    })();
    if passphrase.is_some() {
        let _ = std::fs::remove_file(&plain);
    }
    match result {
        Ok(manifest) => Ok(Taken {
            folder: done,
            manifest,
        }),
        Err(e) => {
            let removed = [&partial, &done]
                .iter()
                .all(|f| !f.exists() || std::fs::remove_dir_all(f).is_ok());
            Err(unfinished(to, e, removed))
        }
    }
}

/// Plain copies of encrypted backups are named so in the data folder.
const PLAIN_COPY_PREFIX: &str = "backup-plain-";

/// Plain copies a killed backup left in the data folder.
fn remove_leftovers(data_dir: &Path) {
    for entry in std::fs::read_dir(data_dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(PLAIN_COPY_PREFIX) && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The backup's folder, named by its time and made at once (`create_dir` fails when another
/// backup took the name first), so that two backups never share one.
fn reserve_folder(
    to: &Path,
    taken_at: chrono::DateTime<chrono::Local>,
) -> Result<(PathBuf, PathBuf)> {
    let stamp = taken_at.format("%Y%m%d-%H%M%S");
    for n in 1..1000 {
        let name = match n {
            1 => format!("{FOLDER_PREFIX}{stamp}"),
            n => format!("{FOLDER_PREFIX}{stamp}-{n}"),
        };
        let (partial, done) = (to.join(format!("{name}.partial")), to.join(&name));
        if done.exists() {
            continue;
        }
        match std::fs::create_dir(&partial) {
            Ok(()) => return Ok((partial, done)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::io("无法创建备份文件夹", &partial, &e)),
        }
    }
    Err(Error::new(
        ErrorCode::Io,
        format!("无法在「{}」中为备份取名", to.display()),
    ))
}

/// The rename that completes a backup made durable (where the system lets a folder be
/// opened for it).
fn sync_folder(folder: &Path) {
    if let Ok(dir) = std::fs::File::open(folder) {
        let _ = dir.sync_all();
    }
}

/// A failed backup says so, and whether anything of it was left behind.
fn unfinished(to: &Path, e: Error, removed: bool) -> Error {
    let why = match e.code {
        ErrorCode::DiskFull => format!("备份文件夹「{}」所在磁盘已满", to.display()),
        _ => e.message,
    };
    let left = if removed {
        "不完整的备份已删除"
    } else {
        "不完整的备份未能删除（名称以 .partial 结尾），请手动删除"
    };
    Error::new(
        e.code,
        format!("备份没有完成：{why}；{left}，档案库没有改动"),
    )
}

/// The online backup of the database into `plain`, checked and described.
fn copy_database(
    data_dir: &Path,
    plain: &Path,
    taken_at: chrono::DateTime<chrono::Local>,
    max_pages: Option<u64>,
) -> Result<(Manifest, Vec<anchors::Anchor>)> {
    let source = Connection::open_with_flags(
        data_dir.join(crate::store::DB_FILE),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    source.busy_timeout(crate::store::BUSY_WAIT)?;
    let mut copy = Connection::open(plain)?;
    if let Some(pages) = max_pages {
        copy.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))?;
    }
    {
        let backup = rusqlite::backup::Backup::new(&source, &mut copy)?;
        // All pages in one step: one read transaction, so the copy is one snapshot. In WAL
        // mode a reader holds no writer up, so clerks and an import go on meanwhile.
        let deadline = std::time::Instant::now() + crate::store::BUSY_WAIT;
        loop {
            match backup.step(-1)? {
                rusqlite::backup::StepResult::Done => break,
                _ if std::time::Instant::now() > deadline => {
                    return Err(Error::new(
                        ErrorCode::Busy,
                        "档案库正忙，无法读取，请稍后再备份",
                    ))
                }
                _ => std::thread::sleep(std::time::Duration::from_millis(50)),
            }
        }
    }
    copy.pragma_update(None, "journal_mode", "DELETE")?;
    let check: String = copy.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(Error::new(
            ErrorCode::Database,
            format!("备份副本未通过完整性检查（{check}）：数据库可能已损坏，请先处理数据库"),
        ));
    }
    let schema_version: i64 = copy.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let anchors_of_copy = anchors_covered_by(&copy, &data_dir.join(anchors::ANCHOR_FOLDER))?;
    let manifest = Manifest {
        format: manifest::FORMAT,
        program_version: env!("CARGO_PKG_VERSION").to_string(),
        archive_uid: crate::store::archive_uid(&copy)?,
        archive_name: manifest::meta(&copy, "archive_name")?,
        schema_version,
        taken_at: taken_at.format("%Y-%m-%d %H:%M:%S").to_string(),
        encrypted: false,
        counts: manifest::counts(&copy)?,
        audit_last_hash: manifest::audit_last_hash(&copy)?,
        latest_anchor: anchors_of_copy.last().cloned(),
        certificates: crate::store::certificate_numbers::highest(&copy)?,
        scan_roots: manifest::scan_roots(&copy)?,
        anchor_mirror_dir: manifest::meta(&copy, anchors::MIRROR_KEY)?,
        files: Vec::new(),
    };
    Ok((manifest, anchors_of_copy))
}

/// The data folder's anchors that the copy holds the rows of: one written after the snapshot
/// (by another door, while the copy was made) would make the backup look cut.
fn anchors_covered_by(copy: &Connection, folder: &Path) -> Result<Vec<anchors::Anchor>> {
    let all = anchors::read_folder(folder).map_err(|why| Error::new(ErrorCode::Io, why))?;
    let mut covered = Vec::new();
    for anchor in all.into_values() {
        let hash: Option<String> = copy
            .query_row(
                "SELECT hash FROM audit_log WHERE seq = ?1",
                [anchor.count],
                |r| r.get(0),
            )
            .ok();
        if anchor.count == 0 || hash.as_deref() == Some(anchor.last_hash.as_str()) {
            covered.push(anchor);
        } else {
            break;
        }
    }
    Ok(covered)
}

/// The anchors beside the database (they hold hashes and counts only).
fn write_anchors(all: &[anchors::Anchor], backup: &Path) -> Result<Vec<String>> {
    let folder = backup.join(anchors::ANCHOR_FOLDER);
    let mut names = Vec::new();
    for anchor in all {
        let text = serde_json::to_string_pretty(anchor).unwrap_or_default();
        anchors::write_durably(&folder, &anchor.file_name(), &text)?;
        names.push(format!("{}/{}", anchors::ANCHOR_FOLDER, anchor.file_name()));
    }
    Ok(names)
}

/// Backups of the archive `uid` in `to`, newest first: complete ones only (a manifest naming
/// the archive), so that another archive's backups or a stranger's folders are never touched.
pub fn backups_in(to: &Path, uid: &str) -> Vec<PathBuf> {
    let mut found: Vec<(String, PathBuf)> = std::fs::read_dir(to)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.starts_with(FOLDER_PREFIX) || name.ends_with(".partial") {
                return None;
            }
            let text = std::fs::read_to_string(entry.path().join(manifest::MANIFEST_FILE)).ok()?;
            let manifest: Manifest = serde_json::from_str(&text).ok()?;
            (manifest.archive_uid == uid).then(|| (manifest.taken_at, entry.path()))
        })
        .collect();
    found.sort_by(|a, b| b.cmp(a));
    found.into_iter().map(|(_, path)| path).collect()
}

/// Removes this archive's backups in `to` beyond the `keep` newest, never the one just
/// `taken` (a clock set back would sort it last); returns the removed.
pub fn prune(to: &Path, taken: &Taken, keep: usize) -> Vec<String> {
    let mut removed = Vec::new();
    let others = backups_in(to, &taken.manifest.archive_uid)
        .into_iter()
        .filter(|b| *b != taken.folder);
    for old in others.skip(keep.max(1) - 1) {
        if std::fs::remove_dir_all(&old).is_ok() {
            removed.push(old.display().to_string());
        }
    }
    removed
}
