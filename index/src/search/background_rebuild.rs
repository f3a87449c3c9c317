//! A search index rebuilt on a thread of its own, with a read-only connection of its own, so
//! that the counter goes on (registering, issuing, showing documents) while search says the
//! index is being rebuilt and how far it is.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;

use super::index::{Built, NeedsRebuild, RebuildProgress};
use crate::api::IndexRebuilding;
use crate::error::{Error, ErrorCode, Result};

pub struct BackgroundRebuild {
    because: String,
    progress: Arc<RebuildProgress>,
    built: JoinHandle<Result<Built>>,
}

/// Holds rebuilds back before they read anything while closed: a failpoint for the tests that
/// look at the archive while its index is being rebuilt.
#[derive(Default)]
pub struct RebuildGate {
    closed: Mutex<bool>,
    opened: Condvar,
}

impl RebuildGate {
    pub fn closed() -> Arc<RebuildGate> {
        Arc::new(RebuildGate {
            closed: Mutex::new(true),
            opened: Condvar::new(),
        })
    }

    pub fn open(&self) {
        *self.closed.lock().unwrap_or_else(PoisonError::into_inner) = false;
        self.opened.notify_all();
    }

    fn pass(&self) {
        let mut closed = self.closed.lock().unwrap_or_else(PoisonError::into_inner);
        while *closed {
            closed = self
                .opened
                .wait(closed)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

impl BackgroundRebuild {
    pub fn start(
        needed: NeedsRebuild,
        data_dir: &std::path::Path,
        gate: Option<Arc<RebuildGate>>,
    ) -> BackgroundRebuild {
        let because = needed.because.clone();
        let progress = Arc::new(RebuildProgress::default());
        let data_dir = data_dir.to_path_buf();
        let shared = Arc::clone(&progress);
        let built = std::thread::spawn(move || {
            if let Some(gate) = gate {
                gate.pass();
            }
            let conn = crate::store::open_reader(&data_dir)?;
            needed.build(&conn, &shared)
        });
        BackgroundRebuild {
            because,
            progress,
            built,
        }
    }

    pub fn finished(&self) -> bool {
        self.built.is_finished()
    }

    /// Waits up to `limit` for the rebuild to end: a small archive's rebuild is over before
    /// anyone would notice, and nobody is told about it.
    pub fn wait_briefly(&self, limit: std::time::Duration) -> bool {
        let until = std::time::Instant::now() + limit;
        while !self.finished() && std::time::Instant::now() < until {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        self.finished()
    }

    /// The built index, or why it could not be built.
    pub fn join(self) -> Result<Built> {
        self.built.join().unwrap_or_else(|_| {
            Err(Error::new(
                ErrorCode::SearchIndex,
                "重建检索索引时出了意外，稍后检索时会再试",
            ))
        })
    }

    pub fn status(&self) -> IndexRebuilding {
        IndexRebuilding {
            // Said while it happens, not as done.
            because: self.because.trim_end_matches("，已重建").to_string(),
            documents_done: self.progress.documents_done.load(Ordering::Relaxed),
            documents_total: self.progress.documents_total.load(Ordering::Relaxed),
        }
    }

    /// What a search (or an import) is told meanwhile.
    pub fn still_rebuilding(&self) -> Error {
        let status = self.status();
        Error::new(
            ErrorCode::IndexRebuilding,
            format!(
                "{}：检索索引正在从数据库重建（已处理 {} / {} 份文件），完成前暂不能检索或导入；登记、出具证明照常，数据库没有改动",
                status.because,
                status.documents_done,
                status.documents_total
            ),
        )
    }
}
