//! Backups of the archive, and the daily backup set in 设置; see `crate::backup`.

use super::Archive;
use crate::api::{BackupReport, BackupRequest, BackupStatus};
use crate::audit::Event;
use crate::backup::{daily, encryption, take};
use crate::error::{Error, ErrorCode, Result};
use serde_json::json;
use std::path::{Path, PathBuf};

/// A backup checked and ready to be taken without the archive (see `Archive::plan_backup`).
pub struct BackupPlan {
    data_dir: PathBuf,
    to: PathBuf,
    passphrase: Option<String>,
    keep: usize,
}

impl BackupPlan {
    /// The copy itself: the one long step, needing no lock on the archive.
    pub fn take(&self) -> Result<take::Taken> {
        take::take(&self.data_dir, &self.to, self.passphrase.as_deref())
    }
}

impl Archive {
    /// Takes a backup now (a supervisor's act, recorded); see `plan_backup`, `take::take` and
    /// `finish_backup`, which a door runs with the archive released during the copy.
    pub fn backup(&mut self, request: &BackupRequest) -> Result<BackupReport> {
        let plan = self.plan_backup(request)?;
        let taken = plan.take();
        self.finish_backup(&plan, taken)
    }

    /// Where the backup goes and with which passphrase, checked; the trail anchored first
    /// when the database is free at once, so that the backup carries its newest anchor (an
    /// import holding the database does not hold the backup up).
    pub fn plan_backup(&mut self, request: &BackupRequest) -> Result<BackupPlan> {
        self.caller.require_supervisor("备份档案库")?;
        let to = match request
            .to
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            Some(to) => PathBuf::from(to),
            None => self
                .store
                .meta(daily::FOLDER_KEY)?
                .filter(|f| !f.trim().is_empty())
                .map(PathBuf::from)
                .ok_or_else(|| {
                    Error::new(
                        ErrorCode::InvalidRequest,
                        "没有指定备份文件夹：请给出备份位置，或在设置中设好每日备份的文件夹",
                    )
                })?,
        };
        // An empty passphrase in 设置 means the backups are not encrypted.
        let passphrase = match request.passphrase.as_deref().filter(|p| !p.is_empty()) {
            Some(p) => Some(p.to_string()),
            None => self
                .store
                .meta(daily::PASSPHRASE_KEY)?
                .filter(|p| !p.is_empty()),
        };
        if let Some(p) = passphrase.as_deref() {
            encryption::check_passphrase(p)?;
        }
        if same_folder(&to, &self.data_dir) {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                "备份不能放在数据文件夹里：请选另一个磁盘或移动硬盘上的文件夹",
            ));
        }
        if self
            .store
            .conn
            .busy_timeout(std::time::Duration::ZERO)
            .is_ok()
        {
            let _ = self.write_anchor();
            let _ = self.store.conn.busy_timeout(crate::store::BUSY_WAIT);
        }
        Ok(BackupPlan {
            data_dir: self.data_dir.clone(),
            to,
            passphrase,
            keep: self.backup_keep()? as usize,
        })
    }

    /// Records a backup taken (in the journal, chained into the trail by the next act) and
    /// how it went, and removes this archive's backups beyond the number to keep.
    pub fn finish_backup(
        &mut self,
        plan: &BackupPlan,
        taken: Result<take::Taken>,
    ) -> Result<BackupReport> {
        let taken = match taken {
            Ok(taken) => taken,
            Err(e) => {
                let _ = self.journal.set_state(daily::LAST_PROBLEM_KEY, &e.message);
                return Err(e);
            }
        };
        let removed = take::prune(&plan.to, &taken, plan.keep);
        let folder = taken.folder.display().to_string();
        let bytes = taken.manifest.files.iter().map(|f| f.bytes).sum();
        for (key, value) in [
            (daily::LAST_AT_KEY, taken.manifest.taken_at.as_str()),
            (daily::LAST_FOLDER_KEY, folder.as_str()),
            (daily::LAST_PROBLEM_KEY, ""),
        ] {
            self.journal.set_state(key, value)?;
        }
        self.record_look(Event::new(
            "backup",
            Some(folder.clone()),
            json!({ "encrypted": taken.manifest.encrypted, "counts": taken.manifest.counts,
                    "bytes": bytes, "removed": removed }),
        ))?;
        Ok(BackupReport {
            folder,
            taken_at: taken.manifest.taken_at.clone(),
            encrypted: taken.manifest.encrypted,
            bytes,
            counts: taken.manifest.counts.clone(),
            removed,
        })
    }

    fn backup_keep(&self) -> Result<i64> {
        Ok(self
            .store
            .meta(daily::KEEP_KEY)?
            .and_then(|k| k.parse().ok())
            .unwrap_or(daily::DEFAULT_KEEP))
    }

    /// The daily backup's settings and how it went last.
    pub fn backup_status(&self) -> Result<BackupStatus> {
        let meta = |key| -> Result<Option<String>> {
            Ok(self.store.meta(key)?.filter(|v| !v.trim().is_empty()))
        };
        let state = |key| -> Result<Option<String>> {
            Ok(self.journal.state(key)?.filter(|v| !v.trim().is_empty()))
        };
        Ok(BackupStatus {
            folder: meta(daily::FOLDER_KEY)?,
            time: meta(daily::TIME_KEY)?,
            keep: self.backup_keep()?,
            encrypted: meta(daily::PASSPHRASE_KEY)?.is_some(),
            last_folder: state(daily::LAST_FOLDER_KEY)?,
            last_at: state(daily::LAST_AT_KEY)?,
            last_problem: state(daily::LAST_PROBLEM_KEY)?,
        })
    }

    /// Runs the daily backup when it is due (see `daily_backup_plan`).
    pub fn backup_if_due(&mut self, now: chrono::NaiveDateTime) -> Option<Result<BackupReport>> {
        let plan = match self.daily_backup_plan(now)? {
            Ok(plan) => plan,
            Err(e) => return Some(Err(e)),
        };
        let taken = plan.take();
        Some(self.finish_daily_backup(&plan, now, taken))
    }

    /// The daily backup's plan when it is due now (the desktop app and `serve` ask every
    /// minute); None when nothing is due. A failure is kept for 设置 to show and tried again
    /// an hour later.
    pub fn daily_backup_plan(&mut self, now: chrono::NaiveDateTime) -> Option<Result<BackupPlan>> {
        let status = self.backup_status().ok()?;
        status.folder.as_ref()?;
        let time = daily::parse_time(status.time.as_deref()?)?;
        let stamp = |key| daily::parse_stamp(self.journal.state(key).ok().flatten().as_deref());
        let (last_success, last_tried) =
            (stamp(daily::LAST_DAILY_KEY), stamp(daily::LAST_TRIED_KEY));
        if !daily::due(time, last_success, last_tried, now) {
            return None;
        }
        let _ = self
            .journal
            .set_state(daily::LAST_TRIED_KEY, &daily::stamp(now));
        let caller = std::mem::replace(&mut self.caller, crate::api::Caller::local_operator());
        let plan = self.plan_backup(&BackupRequest::default());
        self.caller = caller;
        if let Err(e) = &plan {
            let _ = self.journal.set_state(daily::LAST_PROBLEM_KEY, &e.message);
        }
        Some(plan)
    }

    /// The daily backup recorded as done (by the clock it was due by) or failed.
    pub fn finish_daily_backup(
        &mut self,
        plan: &BackupPlan,
        now: chrono::NaiveDateTime,
        taken: Result<take::Taken>,
    ) -> Result<BackupReport> {
        let caller = std::mem::replace(&mut self.caller, crate::api::Caller::local_operator());
        let report = self.finish_backup(plan, taken);
        self.caller = caller;
        if report.is_ok() {
            let _ = self
                .journal
                .set_state(daily::LAST_DAILY_KEY, &daily::stamp(now));
        }
        report
    }
}

/// `to` is the data folder or inside it.
fn same_folder(to: &Path, data_dir: &Path) -> bool {
    match (to.canonicalize(), data_dir.canonicalize()) {
        (Ok(to), Ok(data)) => to.starts_with(data),
        _ => to.starts_with(data_dir),
    }
}
