//! The reader child: started as `<program> --read-workbook-child <kind> <memory MB> <path>
//! <name>`, it reads the workbook under a memory ceiling and writes what it read to stdout
//! (`wire`). While it works, a second thread reports the bytes read every half second, so that
//! the parent can tell a long sheet from a stuck parser.

use super::wire::{self, Message};
use super::CHILD_ARGUMENT;
use crate::import::source::Workbook;
use crate::import::xlsx_source::{XlsWorkbook, XlsxWorkbook};
use std::ffi::OsString;
use std::io::{BufWriter, Read, Stdout, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Makes the child stop reading after opening the workbook, as a stuck parser would (for the
/// watchdog's test; nothing else sets it).
pub const FAILPOINT_VARIABLE: &str = "ARCHIVEDESK_READER_FAILPOINT";

/// When the program was started as the reader child, reads and returns the exit code; None
/// when it was started as anything else. Call it first thing in `main`.
pub fn run_if_asked() -> Option<i32> {
    let mut args = std::env::args_os().skip(1);
    if args.next()? != CHILD_ARGUMENT {
        return None;
    }
    let rest: Vec<OsString> = args.collect();
    let (kind, memory_mb, path, name) = match rest.as_slice() {
        [kind, memory_mb, path, name] => match (
            kind.to_str(),
            memory_mb.to_str().and_then(|m| m.parse::<usize>().ok()),
        ) {
            (Some(kind), Some(memory_mb)) => (kind, memory_mb, path, name),
            _ => return Some(usage()),
        },
        _ => return Some(usage()),
    };
    crate::memory_ceiling::set_ceiling(memory_mb.saturating_mul(1 << 20));
    end_with_the_parent();
    let out = Arc::new(Mutex::new(BufWriter::with_capacity(
        1 << 16,
        std::io::stdout(),
    )));
    let name = name.to_string_lossy();
    let done = read(kind, &PathBuf::from(path), &name, &out);
    let mut out = out.lock().unwrap_or_else(|e| e.into_inner());
    Some(match done.and_then(|()| out.flush()) {
        Ok(()) => 0,
        // The parent is gone or stopped listening: nothing to tell anyone.
        Err(_) => 3,
    })
}

fn usage() -> i32 {
    eprintln!("usage: {CHILD_ARGUMENT} xlsx|xls MEMORY_MB PATH NAME");
    2
}

/// The parent holds the child's stdin open while it lives; when it ends in any way (closed,
/// killed, crashed), stdin reaches its end and the child ends too, even in a parser's loop.
fn end_with_the_parent() {
    std::thread::spawn(|| {
        let mut sink = [0u8; 64];
        let mut stdin = std::io::stdin();
        while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
        std::process::exit(4);
    });
}

type Out = Arc<Mutex<BufWriter<Stdout>>>;

fn send(out: &Out, message: &Message) -> std::io::Result<()> {
    let mut out = out.lock().unwrap_or_else(|e| e.into_inner());
    wire::write(&mut *out, message)
}

fn read(kind: &str, path: &std::path::Path, name: &str, out: &Out) -> std::io::Result<()> {
    send(out, &wire::hello())?;
    // Opening reads much of the file (shared strings, styles; all of an XLS): heard from the start.
    let bytes_read = Arc::new(AtomicU64::new(0));
    heartbeat(out.clone(), bytes_read.clone());
    let opened: crate::error::Result<Box<dyn Workbook>> = match kind {
        "xls" => XlsWorkbook::open_counted(path, name, bytes_read)
            .map(|b| Box::new(b) as Box<dyn Workbook>),
        _ => XlsxWorkbook::open_counted(path, name, bytes_read)
            .map(|b| Box::new(b) as Box<dyn Workbook>),
    };
    let mut book = match opened {
        Ok(book) => book,
        Err(e) => return send(out, &Message::Failed(e.message)),
    };
    let sheets = book.sheet_names();
    send(
        out,
        &Message::Opened {
            describe: book.describe(),
            sheets: sheets.clone(),
        },
    )?;
    if std::env::var_os(FAILPOINT_VARIABLE).is_some_and(|v| v == "stall") {
        std::thread::sleep(Duration::MAX);
    }
    for (i, sheet) in sheets.iter().enumerate() {
        send(out, &Message::SheetStart(i as u32))?;
        let mut rows = match book.open_sheet(sheet) {
            Ok(rows) => rows,
            Err(e) => return send(out, &Message::Failed(e.message)),
        };
        loop {
            match rows.next_row() {
                Ok(Some(row)) => send(out, &Message::Row(row))?,
                Ok(None) => break,
                Err(e) => return send(out, &Message::Failed(e.message)),
            }
        }
        send(out, &Message::SheetEnd)?;
    }
    send(out, &Message::Finished)
}

/// Every half second: the bytes read so far when they grew, and whatever rows are waiting in
/// the buffer. Ends with the process.
fn heartbeat(out: Out, bytes_read: Arc<AtomicU64>) {
    std::thread::spawn(move || {
        let mut told = 0;
        loop {
            std::thread::sleep(Duration::from_millis(500));
            let now = bytes_read.load(Ordering::Relaxed);
            let mut out = out.lock().unwrap_or_else(|e| e.into_inner());
            if now != told {
                told = now;
                if wire::write(&mut *out, &Message::Progress(now)).is_err() {
                    return;
                }
            }
            if out.flush().is_err() {
                return;
            }
        }
    });
}
