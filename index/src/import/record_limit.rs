//! A bound on one CSV record's length. The csv crate grows its record buffer as long as a
//! record goes on, so a file with a 1 GB line (or one quoted cell that never closes) would take
//! the app's memory; this reader refuses to read on once a record passes the bound, and the
//! file is refused with the line it started on.

use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Far more than any catalogue row (a page of OCR text in a cell is a few KB); a row with a
/// cell of some MB is read and rejected on its own (see `cell`), a record beyond this refuses
/// the file.
pub const MAX_RECORD_BYTES: u64 = 64 << 20;

/// The marker of the refusal, found again in the csv reader's error.
pub const TOO_LONG: &str = "record too long";

pub struct RecordLimit<R> {
    inner: R,
    read: u64,
    /// Where the record being read began (the csv reader's position after the last record).
    record_start: Arc<AtomicU64>,
}

impl<R> RecordLimit<R> {
    pub fn new(inner: R, record_start: Arc<AtomicU64>) -> Self {
        RecordLimit {
            inner,
            read: 0,
            record_start,
        }
    }
}

impl<R: Read> Read for RecordLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let start = self.record_start.load(Ordering::Relaxed);
        let used = self.read.saturating_sub(start);
        if used > MAX_RECORD_BYTES {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                TOO_LONG,
            ));
        }
        // Never past the bound by more than a byte, however large the caller's buffer.
        let allowed = (MAX_RECORD_BYTES - used + 1).min(buf.len() as u64) as usize;
        let n = self.inner.read(&mut buf[..allowed])?;
        self.read += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_stops_once_a_record_outgrows_the_bound_and_goes_on_after_each_record_ends() {
        let start = Arc::new(AtomicU64::new(0));
        let long = vec![b'a'; (MAX_RECORD_BYTES + (1 << 20)) as usize];
        let mut reader = RecordLimit::new(&long[..], Arc::clone(&start));
        let mut sink = Vec::new();
        let error = reader.read_to_end(&mut sink).unwrap_err();
        assert_eq!(error.to_string(), TOO_LONG);
        assert_eq!(
            sink.len() as u64,
            MAX_RECORD_BYTES + 1,
            "stopped at the bound"
        );

        // Records that end in time never meet it.
        let mut reader = RecordLimit::new(&long[..], Arc::clone(&start));
        let mut chunk = vec![0u8; 1 << 20];
        let mut total = 0u64;
        loop {
            let n = reader.read(&mut chunk).unwrap();
            if n == 0 {
                break;
            }
            total += n as u64;
            start.store(total, Ordering::Relaxed);
        }
        assert_eq!(total, long.len() as u64);
    }
}
