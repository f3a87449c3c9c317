//! The index folder as tantivy sees it: its own memory-mapped directory, with every byte written
//! counted against a budget that is unlimited unless a test caps it — the same way a disk that
//! fills up answers, so that a full disk during an index commit can be tested without privileges.

use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    AntiCallToken, Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, TerminatingWrite,
    WatchCallback, WatchHandle, WritePtr,
};

/// Bytes the index may still write (`u64::MAX` for no cap), and whether a write found the disk
/// full: tantivy's writer threads report only that they died, not why.
#[derive(Clone, Debug)]
pub struct WriteBudget {
    left: Arc<AtomicU64>,
    found_full: Arc<AtomicBool>,
}

impl Default for WriteBudget {
    fn default() -> Self {
        WriteBudget {
            left: Arc::new(AtomicU64::new(u64::MAX)),
            found_full: Arc::new(AtomicBool::new(false)),
        }
    }
}

impl WriteBudget {
    pub fn cap(&self, bytes: Option<u64>) {
        self.left.store(bytes.unwrap_or(u64::MAX), Ordering::SeqCst);
    }

    /// Whether a write found the disk full since this was last asked.
    pub fn found_full(&self) -> bool {
        self.found_full.swap(false, Ordering::SeqCst)
    }

    /// Takes `bytes` from the budget, or fails as a full disk does.
    fn spend(&self, bytes: usize) -> io::Result<()> {
        let bytes = bytes as u64;
        self.left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
                if left == u64::MAX {
                    Some(left)
                } else {
                    left.checked_sub(bytes)
                }
            })
            .map(|_| ())
            .map_err(|_| io::Error::from(io::ErrorKind::StorageFull))
    }

    /// Notes a write that failed for want of room, and passes the result on.
    fn noted<T>(&self, result: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &result {
            if matches!(
                e.kind(),
                io::ErrorKind::StorageFull
                    | io::ErrorKind::QuotaExceeded
                    | io::ErrorKind::FileTooLarge
            ) {
                self.found_full.store(true, Ordering::SeqCst);
            }
        }
        result
    }
}

#[derive(Clone, Debug)]
pub struct IndexDirectory {
    files: MmapDirectory,
    budget: WriteBudget,
}

impl IndexDirectory {
    pub fn open(folder: &Path, budget: WriteBudget) -> tantivy::Result<IndexDirectory> {
        Ok(IndexDirectory {
            files: MmapDirectory::open(folder)?,
            budget,
        })
    }
}

/// A file being written, each write paid for before it reaches the disk.
struct BudgetedWrite {
    file: Box<dyn TerminatingWrite + Send + Sync>,
    budget: WriteBudget,
}

impl Write for BudgetedWrite {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self
            .budget
            .spend(buf.len())
            .and_then(|()| self.file.write(buf));
        self.budget.noted(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        let flushed = self.file.flush();
        self.budget.noted(flushed)
    }
}

impl TerminatingWrite for BudgetedWrite {
    fn terminate_ref(&mut self, token: AntiCallToken) -> io::Result<()> {
        let ended = self.file.terminate_ref(token);
        self.budget.noted(ended)
    }
}

impl Directory for IndexDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.files.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.files.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.files.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        let opened = self.files.open_write(path);
        if let Err(OpenWriteError::IoError { io_error, .. }) = &opened {
            let _ = self
                .budget
                .noted::<()>(Err(io::Error::from(io_error.kind())));
        }
        // The file's own writer, unwrapped from its buffer (empty yet), so that the budget is
        // paid once per buffer full, not per small write.
        let file = opened?.into_inner().map_err(|e| OpenWriteError::IoError {
            io_error: Arc::new(e.into_error()),
            filepath: path.to_path_buf(),
        })?;
        Ok(BufWriter::new(Box::new(BudgetedWrite {
            file,
            budget: self.budget.clone(),
        })))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.files.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        let written = self
            .budget
            .spend(data.len())
            .and_then(|()| self.files.atomic_write(path, data));
        self.budget.noted(written)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.files.sync_directory()
    }

    /// The folder's own file locks, which the system lets go of when a process dies.
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.files.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.files.watch(watch_callback)
    }
}
