//! Workbooks (XLSX, XLS) read in a child process of the program's own binary, with a memory
//! ceiling and a watchdog, so that a hostile or broken file (calamine reserving what its XML
//! claims, a parser stuck in a loop) costs that one file and not the app that imports it: the
//! desktop app or the host every desk works on. The binaries turn this on at start; a process
//! that never does (the library's own tests) reads workbooks in itself.

pub mod child;
pub mod parent;
pub mod wire;

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

/// The first argument that makes the binary the reader child instead of the app.
pub const CHILD_ARGUMENT: &str = "--read-workbook-child";

/// Overrides for IT (and the tests): the child's memory ceiling in MB, and how long it may go
/// without reading a byte or delivering a row before it is stopped.
pub const MEMORY_VARIABLE: &str = "ARCHIVEDESK_READER_MEMORY_MB";
pub const STALL_VARIABLE: &str = "ARCHIVEDESK_READER_STALL_SECONDS";

/// Far above what a real catalogue needs (calamine holds a workbook's shared strings in
/// memory, some tens of MB for the largest tables seen), far below what hurts an office PC.
const DEFAULT_MEMORY_MB: u64 = 1024;
/// The child reports the bytes it reads every half second; a minute without one is stuck.
const DEFAULT_STALL_SECONDS: u64 = 60;

#[derive(Debug, Clone)]
pub struct ReaderChild {
    /// The binary to start with `CHILD_ARGUMENT`: the running program itself.
    pub program: PathBuf,
    pub memory_mb: u64,
    pub stall: Duration,
}

impl ReaderChild {
    /// This program as the reader, with the limits from the environment or the defaults.
    pub fn this_program() -> Option<ReaderChild> {
        let program = std::env::current_exe().ok()?;
        let number = |name: &str, default: u64| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .filter(|n| *n > 0)
                .unwrap_or(default)
        };
        Some(ReaderChild {
            program,
            memory_mb: number(MEMORY_VARIABLE, DEFAULT_MEMORY_MB),
            stall: Duration::from_secs(number(STALL_VARIABLE, DEFAULT_STALL_SECONDS)),
        })
    }
}

static READER: OnceLock<ReaderChild> = OnceLock::new();

/// From now on workbooks are read in a child process. Called once, at the binary's start.
pub fn read_workbooks_in_child(reader: ReaderChild) {
    let _ = READER.set(reader);
}

/// The reader child to use, if the binary turned it on.
pub fn reader_child() -> Option<&'static ReaderChild> {
    READER.get()
}
