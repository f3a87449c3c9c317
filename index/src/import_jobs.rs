//! Imports that run in the background while the clerk goes on searching. Each job opens the
//! archive again on its own thread (its own SQLite connection and the index writer), so the
//! door's archive stays free for searches; those see the new records once the job's files have
//! committed. The door asks for a job's status to show a progress bar and, at the end, the report.

use crate::api::{FileReport, ImportJobStatus, ImportProgress, ImportReport, ImportRequest};
use crate::archive::Archive;
use crate::error::{Error, ErrorCode};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// A job and the clerk who started it: its report names the files and rows refused, for that
/// clerk and supervisors only.
struct Job {
    owner: crate::api::Caller,
    state: Arc<Mutex<ImportJobStatus>>,
}

#[derive(Default)]
pub struct ImportJobs {
    jobs: Mutex<HashMap<u64, Job>>,
    next: Mutex<u64>,
}

impl ImportJobs {
    pub fn new() -> Self {
        Self::default()
    }

    /// Start importing `request.paths` into the archive in `data_dir`, one file after another.
    /// `cleanup` names folders to remove when the job ends (the HTTP door's uploads).
    /// Starts importing on a thread of its own, for `caller` (named in the audit trail).
    pub fn start(
        &self,
        data_dir: PathBuf,
        request: ImportRequest,
        cleanup: Vec<PathBuf>,
        caller: crate::api::Caller,
    ) -> u64 {
        let job = {
            let mut next = self
                .next
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            *next += 1;
            *next
        };
        let state = Arc::new(Mutex::new(ImportJobStatus {
            job,
            running: true,
            dry_run: request.dry_run,
            progress: None,
            files_done: 0,
            files_total: request.paths.len(),
            report: None,
            error: None,
        }));
        self.jobs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(
                job,
                Job {
                    owner: caller.clone(),
                    state: Arc::clone(&state),
                },
            );
        std::thread::spawn(move || {
            // Whatever happens in the import, the job ends: a panic is reported as an error,
            // never left as a job that runs forever.
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                run(&data_dir, &request, &state, caller)
            }));
            for dir in cleanup {
                let _ = std::fs::remove_dir_all(dir);
            }
            let mut status = lock(&state);
            status.running = false;
            match outcome {
                Ok((files, error)) => {
                    status.report = Some(ImportReport {
                        dry_run: request.dry_run,
                        files,
                    });
                    // Shown to the clerk: what it quotes is masked as every message is.
                    status.error = error.map(|mut e| {
                        e.message = crate::privacy::mask_text(&e.message);
                        e
                    });
                }
                Err(_) => {
                    status.error = Some(Error::new(
                        ErrorCode::Io,
                        "导入意外中止；已完成的文件已保存，请查看导入记录后重试其余文件",
                    ))
                }
            }
        });
        job
    }

    /// Refuses while an import runs: rebuilding the index or switching the archive under it
    /// would break the import's hold on the index.
    pub fn ensure_idle(&self) -> Result<(), Error> {
        let jobs = self
            .jobs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if jobs.values().any(|job| lock(&job.state).running) {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                "正在导入文件；请等导入完成后再重建索引或切换档案库",
            ));
        }
        Ok(())
    }

    /// A job's status, for the clerk who started it or a supervisor; to anyone else the job
    /// does not exist.
    pub fn status(&self, job: u64, caller: &crate::api::Caller) -> Result<ImportJobStatus, Error> {
        let jobs = self
            .jobs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let state = jobs
            .get(&job)
            .filter(|j| caller.is_supervisor() || j.owner.clerk_id == caller.clerk_id)
            .map(|j| Arc::clone(&j.state))
            .ok_or_else(|| {
                Error::new(ErrorCode::NotFound, format!("没有编号为 {job} 的导入任务"))
            })?;
        drop(jobs);
        let status = lock(&state).clone();
        Ok(status)
    }
}

/// Import the files one at a time, so the job can say how many are done. On an error the files
/// already imported stay imported, and are reported beside the error.
fn run(
    data_dir: &std::path::Path,
    request: &ImportRequest,
    state: &Mutex<ImportJobStatus>,
    caller: crate::api::Caller,
) -> (Vec<FileReport>, Option<Error>) {
    let mut files: Vec<FileReport> = Vec::with_capacity(request.paths.len());
    let mut archive = match Archive::open(data_dir) {
        Ok(archive) => archive,
        Err(e) => return (files, Some(e)),
    };
    archive.act_as(caller);
    for path in &request.paths {
        let one = ImportRequest {
            paths: vec![path.clone()],
            ..request.clone()
        };
        let mut progress = |p: &ImportProgress| {
            lock(state).progress = Some(p.clone());
        };
        match archive.import(&one, &mut progress) {
            Ok(report) => files.extend(report.files),
            Err(e) => return (files, Some(e)),
        }
        lock(state).files_done += 1;
    }
    (files, None)
}

/// A job's state, even if a thread panicked while holding it.
fn lock(state: &Mutex<ImportJobStatus>) -> std::sync::MutexGuard<'_, ImportJobStatus> {
    state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
