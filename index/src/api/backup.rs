//! Request and response types of backups and restores.

use serde::{Deserialize, Serialize};

/// `backup`: a copy of the archive taken while the counter works.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct BackupRequest {
    /// The folder the backup goes into (a folder of its own is made there); the daily
    /// backup's folder from 设置 when left out.
    pub to: Option<String>,
    /// Encrypts the backup (age, scrypt): a backup holds personal data unmasked. The daily
    /// backup's passphrase from 设置 when left out.
    pub passphrase: Option<String>,
}

/// What a backup holds, counted in the copy itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default)]
pub struct BackupCounts {
    pub documents: i64,
    pub entries: i64,
    pub pages: i64,
    pub requests: i64,
    pub certificates: i64,
    pub clerks: i64,
    pub audit_rows: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BackupReport {
    /// The backup's own folder.
    pub folder: String,
    pub taken_at: String,
    pub encrypted: bool,
    pub bytes: u64,
    pub counts: BackupCounts,
    /// Older backups of this archive removed from the folder beyond the number to keep.
    pub removed: Vec<String>,
}

/// When the daily backup runs and how it went last.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BackupStatus {
    pub folder: Option<String>,
    /// HH:MM, local time.
    pub time: Option<String>,
    pub keep: i64,
    pub encrypted: bool,
    pub last_folder: Option<String>,
    pub last_at: Option<String>,
    /// Why the last daily backup failed, when it did.
    pub last_problem: Option<String>,
}

/// `restore`: a backup into an empty data folder.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RestoreRequest {
    /// The backup's folder (holding `manifest.json`).
    pub from: String,
    pub passphrase: Option<String>,
    /// Where scan folders that moved are now: (the path the backup names, the new path).
    pub scan_roots: Vec<(String, String)>,
    /// Restore although some scan folders cannot be found (their pages show as missing).
    pub allow_missing_scans: bool,
    /// A folder holding the archive's anchors, when the second folder set in 设置 moved or
    /// the old data folder's `anchors` survived: numbers they know are not issued again.
    pub anchor_folders: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RestoreReport {
    pub from: String,
    pub taken_at: String,
    pub counts: BackupCounts,
    /// Anchors newer than the backup (from the second folder or the folders given): the
    /// history after the backup that this restore replaces.
    pub anchors_after_backup: i64,
    /// Certificate numbers continue above these (`2026/A` → 12).
    pub certificate_floors: std::collections::BTreeMap<String, i64>,
    /// Scan folders re-pointed: (old, new).
    pub scan_roots_moved: Vec<(String, String)>,
    pub scan_roots_missing: Vec<String>,
    pub index_documents: u64,
}
