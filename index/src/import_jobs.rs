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

#[derive(Default)]
pub struct ImportJobs {
    jobs: Mutex<HashMap<u64, Arc<Mutex<ImportJobStatus>>>>,
    next: Mutex<u64>,
}

impl ImportJobs {
    pub fn new() -> Self {
        Self::default()
    }

    /// Start importing `request.paths` into the archive in `data_dir`, one file after another.
    /// `cleanup` names folders to remove when the job ends (the HTTP door's uploads).
    pub fn start(&self, data_dir: PathBuf, request: ImportRequest, cleanup: Vec<PathBuf>) -> u64 {
        let job = {
            let mut next = self.next.lock().expect("job counter");
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
            .expect("job table")
            .insert(job, Arc::clone(&state));
        std::thread::spawn(move || {
            let result = run(&data_dir, &request, &state);
            for dir in cleanup {
                let _ = std::fs::remove_dir_all(dir);
            }
            let mut status = state.lock().expect("job state");
            status.running = false;
            match result {
                Ok(report) => status.report = Some(report),
                Err(error) => status.error = Some(error),
            }
        });
        job
    }

    pub fn status(&self, job: u64) -> Result<ImportJobStatus, Error> {
        let state = self
            .jobs
            .lock()
            .expect("job table")
            .get(&job)
            .cloned()
            .ok_or_else(|| {
                Error::new(ErrorCode::NotFound, format!("没有编号为 {job} 的导入任务"))
            })?;
        let status = state.lock().expect("job state").clone();
        Ok(status)
    }
}

fn run(
    data_dir: &std::path::Path,
    request: &ImportRequest,
    state: &Mutex<ImportJobStatus>,
) -> Result<ImportReport, Error> {
    let mut archive = Archive::open(data_dir)?;
    let mut files: Vec<FileReport> = Vec::with_capacity(request.paths.len());
    // One file at a time, so the job can say how many files are done.
    for path in &request.paths {
        let one = ImportRequest {
            paths: vec![path.clone()],
            ..request.clone()
        };
        let mut progress = |p: &ImportProgress| {
            state.lock().expect("job state").progress = Some(p.clone());
        };
        let report = archive.import(&one, &mut progress)?;
        files.extend(report.files);
        state.lock().expect("job state").files_done += 1;
    }
    Ok(ImportReport {
        dry_run: request.dry_run,
        files,
    })
}
