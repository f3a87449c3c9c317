//! Restoring a backup into an empty data folder: the manifest and every file's checksum, the
//! copy's `integrity_check`, its counts and audit chain are checked before anything is put in
//! place; moved scan folders are re-pointed; certificate numbers continue above every number
//! the backup and the newest anchors know; the anchors written after the backup are kept, so
//! that the trail reads the restore as a restore (recorded), not as a cut tail.

use super::encryption::decrypt_file;
use super::manifest::{self, Manifest, DATABASE_FILE, ENCRYPTED_DATABASE_FILE};
use crate::api::RestoreRequest;
use crate::audit::anchors::{self, Anchor};
use crate::error::{Error, ErrorCode, Result};
use crate::store::certificate_numbers;
use rusqlite::{params, Connection};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What the restore put in place, for its row of the trail and its report.
pub struct Restored {
    pub manifest: Manifest,
    /// Anchors known after the backup's own (from the second folder or the folders given).
    pub anchors_after_backup: i64,
    /// The newest anchor number known, and the backup's own newest.
    pub anchors_known: i64,
    pub anchors_in_backup: i64,
    pub floors: BTreeMap<String, i64>,
    pub moved: Vec<(String, String)>,
    pub missing: Vec<String>,
}

/// Checks the backup at `request.from` and puts its database and anchors into `data_dir`,
/// which must be empty. The caller opens the archive, records the restore and rebuilds the
/// index.
pub fn restore_files(data_dir: &Path, request: &RestoreRequest) -> Result<Restored> {
    require_empty(data_dir)?;
    let from = PathBuf::from(&request.from);
    let manifest = manifest::read_and_check(&from)?;
    std::fs::create_dir_all(data_dir).map_err(|e| Error::io("无法创建数据文件夹", data_dir, &e))?;
    let staging = data_dir.join(format!("{DATABASE_FILE}.restoring"));
    let result = (|| {
        if manifest.encrypted {
            let passphrase = request.passphrase.as_deref().ok_or_else(|| {
                Error::new(ErrorCode::InvalidRequest, "这份备份已加密：请提供备份密码")
            })?;
            decrypt_file(&from.join(ENCRYPTED_DATABASE_FILE), &staging, passphrase)?;
        } else {
            std::fs::copy(from.join(DATABASE_FILE), &staging)
                .map_err(|e| Error::io("无法复制备份", &staging, &e))?;
        }
        let conn = Connection::open(&staging)?;
        check_copy(&conn, &manifest, &from)?;
        let (moved, missing) = repoint_scan_roots(&conn, &manifest, request)?;
        let backup_anchors = anchors::read_folder(&from.join(anchors::ANCHOR_FOLDER))
            .map_err(|why| Error::new(ErrorCode::InvalidRequest, why))?;
        let (later, all_found) = later_anchors(&manifest, &backup_anchors, request)?;
        let mut floors = manifest.certificates.clone();
        certificate_numbers::merge(&mut floors, &certificate_numbers::highest(&conn)?);
        for anchor in backup_anchors.values().chain(all_found.iter()) {
            certificate_numbers::merge(&mut floors, &anchor.certificates);
        }
        certificate_numbers::raise_floors(&conn, &floors)?;
        drop(conn);
        let own = data_dir.join(anchors::ANCHOR_FOLDER);
        for anchor in backup_anchors.values().chain(later.iter()) {
            let text = serde_json::to_string_pretty(anchor).unwrap_or_default();
            anchors::write_durably(&own, &anchor.file_name(), &text)?;
        }
        let anchors_in_backup = backup_anchors.keys().next_back().copied().unwrap_or(0);
        Ok(Restored {
            anchors_after_backup: later.len() as i64,
            anchors_known: later.last().map_or(anchors_in_backup, |a| a.number),
            anchors_in_backup,
            floors,
            moved,
            missing,
            manifest: manifest.clone(),
        })
    })();
    match result {
        Ok(restored) => {
            std::fs::rename(&staging, data_dir.join(crate::store::DB_FILE))
                .map_err(|e| Error::io("无法放置恢复的数据库", data_dir, &e))?;
            Ok(restored)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&staging);
            let _ = std::fs::remove_dir_all(data_dir.join(anchors::ANCHOR_FOLDER));
            Err(e)
        }
    }
}

/// Removes what a restore that did not finish put into the folder (which was empty).
pub fn empty_folder(data_dir: &Path) {
    for entry in std::fs::read_dir(data_dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let _ = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
    }
}

fn require_empty(data_dir: &Path) -> Result<()> {
    let occupied = match std::fs::read_dir(data_dir) {
        Ok(mut entries) => entries.next().is_some(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(Error::io("无法读取数据文件夹", data_dir, &e)),
    };
    if occupied {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!(
                "数据文件夹「{}」不是空的：恢复只写入空的文件夹，以免覆盖现有的档案库",
                data_dir.display()
            ),
        ));
    }
    Ok(())
}

/// The copy is whole, of a schema this program knows, and what the manifest says it is.
fn check_copy(conn: &Connection, manifest: &Manifest, from: &Path) -> Result<()> {
    let refuse = |why: String| {
        Error::new(
            ErrorCode::InvalidRequest,
            format!("备份「{}」不能恢复：{why}", from.display()),
        )
    };
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| refuse(format!("数据库无法读取（{e}）")))?;
    if check != "ok" {
        return Err(refuse(format!("数据库未通过完整性检查（{check}）")));
    }
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > crate::store::migrations::latest_version() {
        return Err(refuse(format!(
            "由较新版本的档案查询台备份（数据结构版本 {version}），请先升级本程序"
        )));
    }
    if crate::store::archive_uid(conn)? != manifest.archive_uid {
        return Err(refuse("数据库与备份清单不是同一个档案库".into()));
    }
    let counts = manifest::counts(conn)?;
    if counts != manifest.counts {
        return Err(refuse(format!(
            "数据库的条数与备份清单不符（清单 {:?}，实有 {:?}）",
            manifest.counts, counts
        )));
    }
    if manifest::audit_last_hash(conn)? != manifest.audit_last_hash {
        return Err(refuse("审计日志的最后一条与备份清单不符".into()));
    }
    let folders = [anchors::Folder {
        path: from.join(anchors::ANCHOR_FOLDER),
        mirror: false,
    }];
    let verification = crate::audit::verify(conn, None, &folders)?;
    if !verification.intact {
        return Err(refuse(format!(
            "审计日志校验未通过（{}）",
            verification.problem.unwrap_or_default()
        )));
    }
    Ok(())
}

/// Scan folders re-pointed (old, new), and those still not found.
type ScanRoots = (Vec<(String, String)>, Vec<String>);

/// Scan folders the request re-points, and those still not found.
fn repoint_scan_roots(
    conn: &Connection,
    manifest: &Manifest,
    request: &RestoreRequest,
) -> Result<ScanRoots> {
    let mut moved = Vec::new();
    let mut missing = Vec::new();
    for root in &manifest.scan_roots {
        let new_place = request
            .scan_roots
            .iter()
            .find(|(old, _)| same_path(old, root))
            .map(|(_, new)| new.clone());
        match new_place {
            Some(new) if !Path::new(&new).is_dir() => {
                return Err(Error::new(
                    ErrorCode::InvalidRequest,
                    format!("扫描件文件夹的新位置「{new}」不存在"),
                ))
            }
            Some(new) => {
                conn.execute(
                    "UPDATE scan_roots SET path = ?1 WHERE path = ?2",
                    params![new, root],
                )?;
                moved.push((root.clone(), new));
            }
            None if Path::new(root).is_dir() => {}
            None => missing.push(root.clone()),
        }
    }
    if !missing.is_empty() && !request.allow_missing_scans {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!(
                "找不到备份所指的扫描件文件夹：{}。请用 --scan-root 旧位置=新位置 指出它们现在的位置；若暂时无法连接，可加 --allow-missing-scans 先行恢复（页面会显示缺失）",
                missing.join("、")
            ),
        ));
    }
    Ok((moved, missing))
}

fn same_path(a: &str, b: &str) -> bool {
    let norm = |p: &str| p.trim().trim_end_matches(['/', '\\']).replace('\\', "/");
    norm(a) == norm(b)
}

/// Anchors written after the backup's newest, from the second folder set in 设置 and from the
/// folders the request names, continuing the backup's anchor chain without a break.
fn later_anchors(
    manifest: &Manifest,
    backup_anchors: &BTreeMap<i64, Anchor>,
    request: &RestoreRequest,
) -> Result<(Vec<Anchor>, Vec<Anchor>)> {
    let mut folders: Vec<PathBuf> = Vec::new();
    for given in &request.anchor_folders {
        let given = PathBuf::from(given);
        // The folder itself, or the second folder holding one folder per archive.
        folders.push(given.join(&manifest.archive_uid));
        folders.push(given);
    }
    if let Some(mirror) = manifest
        .anchor_mirror_dir
        .as_deref()
        .filter(|m| !m.trim().is_empty())
    {
        let mirror = PathBuf::from(mirror).join(&manifest.archive_uid);
        if !mirror.is_dir() && request.anchor_folders.is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                format!(
                    "审计日志锚点的第二存放位置「{}」无法访问：它记着备份之后签发的证明编号。请接上该位置后再恢复，或用 --anchors 指出锚点现在所在的文件夹",
                    mirror.display()
                ),
            ));
        }
        folders.push(mirror);
    }
    let mut found: BTreeMap<i64, Anchor> = BTreeMap::new();
    for folder in folders.iter().filter(|f| f.is_dir()) {
        let all = anchors::read_folder(folder).map_err(|why| Error::new(ErrorCode::Io, why))?;
        found.extend(all);
    }
    // Every anchor found whose own hash holds tells of numbers taken, also after a gap in
    // the chain (a write to the second folder that failed).
    let all_found: Vec<Anchor> = found.values().filter(|a| a.hash_holds()).cloned().collect();
    let mut later = Vec::new();
    let mut last = backup_anchors.values().next_back().cloned();
    loop {
        let next = last.as_ref().map_or(1, |a| a.number + 1);
        let Some(anchor) = found.remove(&next) else {
            break;
        };
        let previous = last.as_ref().map(|a| a.hash.clone());
        if previous.is_some_and(|p| p != anchor.previous) {
            break;
        }
        last = Some(anchor.clone());
        later.push(anchor);
    }
    Ok((later, all_found))
}
