//! A backup's manifest: what the copy holds (counted in the copy), the audit chain's head and
//! newest anchor, the certificate numbers taken, the scan folders the archive refers to (scans
//! are referenced in place, never copied), and a checksum of every file of the backup.

use crate::api::BackupCounts;
use crate::audit::anchors::Anchor;
use crate::error::{Error, ErrorCode, Result};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

pub const MANIFEST_FILE: &str = "manifest.json";
pub const DATABASE_FILE: &str = "archive.sqlite3";
pub const ENCRYPTED_DATABASE_FILE: &str = "archive.sqlite3.age";
/// Backups are folders named so, in the folder the backup is taken to.
pub const FOLDER_PREFIX: &str = "archivedesk-backup-";
pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub program_version: String,
    pub archive_uid: String,
    pub archive_name: Option<String>,
    pub schema_version: i64,
    pub taken_at: String,
    pub encrypted: bool,
    pub counts: BackupCounts,
    /// The chain's last row in the copy.
    pub audit_last_hash: String,
    pub latest_anchor: Option<Anchor>,
    /// The highest certificate number per year and desk in the copy (`2026/A` → 12).
    pub certificates: BTreeMap<String, i64>,
    pub scan_roots: Vec<String>,
    /// The second folder of the audit trail's anchors, as set in 设置.
    pub anchor_mirror_dir: Option<String>,
    pub files: Vec<ManifestFile>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestFile {
    /// Relative to the backup's folder, '/' separated.
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

/// What the copy holds, counted.
pub fn counts(conn: &Connection) -> Result<BackupCounts> {
    let count = |table: &str| -> Result<i64> {
        Ok(conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?)
    };
    Ok(BackupCounts {
        documents: count("documents")?,
        entries: count("entries")?,
        pages: count("pages")?,
        requests: count("requests")?,
        certificates: count("certificates")?,
        clerks: count("clerks")?,
        audit_rows: count("audit_log")?,
    })
}

pub fn audit_last_hash(conn: &Connection) -> Result<String> {
    Ok(conn
        .query_row(
            "SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_default())
}

pub fn scan_roots(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT path FROM scan_roots ORDER BY id")?;
    let roots = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(roots)
}

pub fn meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

/// Size and SHA-256 of one file of the backup.
pub fn file_entry(folder: &Path, relative: &str) -> Result<ManifestFile> {
    use std::io::Read;
    let path = folder.join(relative);
    let failed = |e: std::io::Error| Error::io("无法读取备份文件", &path, &e);
    let mut file = std::fs::File::open(&path).map_err(failed)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    let mut bytes = 0u64;
    loop {
        let n = file.read(&mut buffer).map_err(failed)?;
        if n == 0 {
            break;
        }
        bytes += n as u64;
        hasher.update(&buffer[..n]);
    }
    Ok(ManifestFile {
        path: relative.to_string(),
        bytes,
        sha256: hex::encode(hasher.finalize()),
    })
}

/// Reads a backup's manifest and checks every file it lists against its checksum.
pub fn read_and_check(folder: &Path) -> Result<Manifest> {
    let path = folder.join(MANIFEST_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Error::new(
            ErrorCode::InvalidRequest,
            format!(
                "「{}」不是档案查询台的备份：找不到 {MANIFEST_FILE}（{e}）",
                folder.display()
            ),
        )
    })?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| {
        Error::new(
            ErrorCode::InvalidRequest,
            format!("备份清单「{}」已损坏：{e}", path.display()),
        )
    })?;
    if manifest.format != FORMAT {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!(
                "备份「{}」的格式 {} 本程序不认识",
                folder.display(),
                manifest.format
            ),
        ));
    }
    let database = if manifest.encrypted {
        ENCRYPTED_DATABASE_FILE
    } else {
        DATABASE_FILE
    };
    if !manifest.files.iter().any(|f| f.path == database) {
        return Err(damaged(folder, database, "不在备份清单中"));
    }
    for listed in &manifest.files {
        if !plain_relative(&listed.path) {
            return Err(damaged(folder, &listed.path, "路径不合规"));
        }
        let found = file_entry(folder, &listed.path)
            .map_err(|_| damaged(folder, &listed.path, "文件缺失或无法读取"))?;
        if found != *listed {
            return Err(damaged(folder, &listed.path, "内容与备份清单的校验值不符"));
        }
    }
    Ok(manifest)
}

/// A path inside the backup's folder: plain names joined by '/', nothing that climbs out or
/// names a drive, on any system.
fn plain_relative(path: &str) -> bool {
    path.split('/')
        .all(|part| !part.is_empty() && part != "." && part != ".." && !part.contains(['\\', ':']))
}

fn damaged(folder: &Path, file: &str, why: &str) -> Error {
    Error::new(
        ErrorCode::InvalidRequest,
        format!(
            "备份「{}」中的「{file}」{why}：备份已损坏，请换一份备份",
            folder.display()
        ),
    )
}
