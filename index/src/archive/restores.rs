//! Restoring a backup into an empty data folder; see `crate::backup::restore`.

use super::Archive;
use crate::api::{RestoreReport, RestoreRequest};
use crate::audit::{anchors, Event};
use crate::backup::restore;
use crate::error::Result;
use serde_json::json;
use std::path::Path;

impl Archive {
    /// Restores the backup `request.from` into the empty folder `data_dir` and opens it: the
    /// restore recorded as the trail's next row, a new anchor written, the index rebuilt.
    pub fn restore(data_dir: &Path, request: &RestoreRequest) -> Result<(Archive, RestoreReport)> {
        let restored = restore::restore_files(data_dir, request)?;
        Archive::open_restored(data_dir, request, restored).inspect_err(|_| {
            // The folder was empty: a restore that did not finish leaves it so, to be retried.
            restore::empty_folder(data_dir);
        })
    }

    fn open_restored(
        data_dir: &Path,
        request: &RestoreRequest,
        restored: restore::Restored,
    ) -> Result<(Archive, RestoreReport)> {
        let mut archive = Archive::open(data_dir)?;
        let backup_rows = restored.manifest.counts.audit_rows;
        archive.record(Event::new(
            anchors::RESTORE_ACTION,
            Some(request.from.clone()),
            json!({
                "taken_at": restored.manifest.taken_at,
                "backup_rows": backup_rows,
                "anchors_in_backup": restored.anchors_in_backup,
                "anchors_known": restored.anchors_known,
                "certificate_floors": restored.floors,
                "scan_roots_moved": restored.moved,
                "scan_roots_missing": restored.missing,
            }),
        ))?;
        // The restore confirmed outside the database (see `anchors::RestoreNote`).
        archive.anchor_restore(anchors::RestoreNote {
            backup_rows,
            anchors_known: restored.anchors_known,
        })?;
        let index_documents = archive.reindex()?;
        let report = RestoreReport {
            from: request.from.clone(),
            taken_at: restored.manifest.taken_at.clone(),
            counts: restored.manifest.counts.clone(),
            anchors_after_backup: restored.anchors_after_backup,
            certificate_floors: restored.floors,
            scan_roots_moved: restored.moved,
            scan_roots_missing: restored.missing,
            index_documents,
        };
        Ok((archive, report))
    }
}
