//! A sheet's rows parsed on a thread of their own, handed over in bounded batches, while the
//! importer normalizes and writes the rows before them: parsing XML or decoding GBK is a large
//! share of an import, and a counter PC has a second core. (A third stage that normalized rows
//! apart from the writer was slower on two cores, where tantivy's indexing threads also run.)

use super::cell::SourceRow;
use super::source::RowStream;
use crate::error::Result;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

/// Rows travel in batches, so that the hand-over costs little beside parsing them.
const BATCH_ROWS: usize = 256;
/// Batches parsed ahead at most: memory stays bounded however large the sheet.
const BATCHES_AHEAD: usize = 4;

struct Batch {
    rows: Result<Vec<SourceRow>>,
    bytes_read: Option<u64>,
}

/// The importer's side: the rows the parsing thread hands over, in order.
struct ReadAhead {
    batches: Receiver<Batch>,
    current: std::vec::IntoIter<SourceRow>,
    bytes_read: Option<u64>,
    finished: bool,
}

impl RowStream for ReadAhead {
    fn next_row(&mut self) -> Result<Option<SourceRow>> {
        loop {
            if let Some(row) = self.current.next() {
                return Ok(Some(row));
            }
            if self.finished {
                return Ok(None);
            }
            // A closed channel means the parser reached the end of the sheet.
            let Ok(batch) = self.batches.recv() else {
                self.finished = true;
                return Ok(None);
            };
            self.bytes_read = batch.bytes_read.or(self.bytes_read);
            match batch.rows {
                Ok(rows) => self.current = rows.into_iter(),
                Err(e) => {
                    self.finished = true;
                    return Err(e);
                }
            }
        }
    }

    /// How far the parser had got when it parsed the batch being read.
    fn bytes_read(&self) -> Option<u64> {
        self.bytes_read
    }
}

/// The parsing thread: batches of rows until the end of the sheet, an error (sent after the
/// rows before it), or the importer no longer listening (it stopped early).
fn parse(mut source: Box<dyn RowStream + Send + '_>, sender: SyncSender<Batch>) {
    loop {
        let mut rows = Vec::with_capacity(BATCH_ROWS);
        let mut failed = None;
        let mut end = false;
        while rows.len() < BATCH_ROWS {
            match source.next_row() {
                Ok(Some(row)) => rows.push(row),
                Ok(None) => {
                    end = true;
                    break;
                }
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        let bytes_read = source.bytes_read();
        let batch = Batch {
            rows: Ok(rows),
            bytes_read,
        };
        if sender.send(batch).is_err() {
            return;
        }
        if let Some(e) = failed {
            let _ = sender.send(Batch {
                rows: Err(e),
                bytes_read,
            });
            return;
        }
        if end {
            return;
        }
    }
}

/// Runs `consume` over the rows of `source`, which are parsed meanwhile on another thread.
pub fn read_ahead<T>(
    source: Box<dyn RowStream + Send + '_>,
    consume: impl FnOnce(&mut dyn RowStream) -> T,
) -> T {
    std::thread::scope(|scope| {
        let (sender, batches) = sync_channel(BATCHES_AHEAD);
        scope.spawn(move || parse(source, sender));
        let mut rows = ReadAhead {
            batches,
            current: Vec::new().into_iter(),
            bytes_read: None,
            finished: false,
        };
        consume(&mut rows)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::cell::Cell;

    /// A sheet of `n` numbered rows that fails after `fail_after` rows when asked to.
    struct Numbered {
        next: usize,
        n: usize,
        fail_after: Option<usize>,
    }

    impl RowStream for Numbered {
        fn next_row(&mut self) -> Result<Option<SourceRow>> {
            if Some(self.next) == self.fail_after {
                return Err(crate::error::Error::new(
                    crate::error::ErrorCode::InvalidRequest,
                    "第3行读不出",
                ));
            }
            if self.next == self.n {
                return Ok(None);
            }
            self.next += 1;
            Ok(Some(SourceRow {
                number: self.next,
                cells: vec![Cell::Text(self.next.to_string())],
                decode_error: None,
            }))
        }

        fn bytes_read(&self) -> Option<u64> {
            Some(self.next as u64 * 10)
        }
    }

    fn numbers(rows: &mut dyn RowStream) -> Result<Vec<usize>> {
        let mut out = Vec::new();
        while let Some(row) = rows.next_row()? {
            out.push(row.number);
        }
        Ok(out)
    }

    #[test]
    fn every_row_arrives_once_and_in_order_across_batches() {
        let n = BATCH_ROWS * 3 + 17;
        let source = Box::new(Numbered {
            next: 0,
            n,
            fail_after: None,
        });
        let got = read_ahead(source, numbers).unwrap();
        assert_eq!(got, (1..=n).collect::<Vec<_>>());
    }

    #[test]
    fn an_error_arrives_after_the_rows_before_it() {
        let source = Box::new(Numbered {
            next: 0,
            n: 10,
            fail_after: Some(3),
        });
        let mut seen = Vec::new();
        let result = read_ahead(source, |rows| -> Result<()> {
            while let Some(row) = rows.next_row()? {
                seen.push(row.number);
            }
            Ok(())
        });
        assert_eq!(seen, vec![1, 2, 3]);
        assert!(result.unwrap_err().message.contains("第3行"));
    }

    #[test]
    fn stopping_early_ends_the_parser_instead_of_hanging() {
        let source = Box::new(Numbered {
            next: 0,
            n: BATCH_ROWS * (BATCHES_AHEAD + 10),
            fail_after: None,
        });
        let first = read_ahead(source, |rows| rows.next_row().unwrap().unwrap().number);
        assert_eq!(first, 1);
    }

    #[test]
    fn progress_tells_how_far_the_parser_has_read() {
        let source = Box::new(Numbered {
            next: 0,
            n: 5,
            fail_after: None,
        });
        let bytes = read_ahead(source, |rows| {
            while rows.next_row().unwrap().is_some() {}
            rows.bytes_read()
        });
        assert_eq!(bytes, Some(50));
    }
}
