//! A sheet's rows parsed on a thread of their own, handed over in bounded batches, while the
//! importer normalizes and writes the rows before them: parsing XML or decoding GBK is a large
//! share of an import, and a counter PC has a second core. (A third stage that normalized rows
//! apart from the writer was slower on two cores, where tantivy's indexing threads also run.)

use super::cell::SourceRow;
use super::source::RowStream;
use crate::error::Result;
use std::sync::mpsc::{sync_channel, Receiver};

/// Items travel in batches, so that the hand-over costs little beside making them.
const BATCH_ITEMS: usize = 256;
/// Batches made ahead at most: memory stays bounded however large the sheet.
const BATCHES_AHEAD: usize = 4;

struct Batch<T> {
    items: Result<Vec<T>>,
    progress: Option<u64>,
}

/// The consumer's side of a stage: the items another thread makes, in order.
pub struct Ahead<T> {
    batches: Receiver<Batch<T>>,
    current: std::vec::IntoIter<T>,
    progress: Option<u64>,
    finished: bool,
}

impl<T> Ahead<T> {
    pub fn next_item(&mut self) -> Result<Option<T>> {
        loop {
            if let Some(item) = self.current.next() {
                return Ok(Some(item));
            }
            if self.finished {
                return Ok(None);
            }
            // A closed channel means the producer reached its end.
            let Ok(batch) = self.batches.recv() else {
                self.finished = true;
                return Ok(None);
            };
            self.progress = batch.progress.or(self.progress);
            match batch.items {
                Ok(items) => self.current = items.into_iter(),
                Err(e) => {
                    self.finished = true;
                    return Err(e);
                }
            }
        }
    }

    /// How far the producer had got when it made the batch being consumed.
    pub fn progress(&self) -> Option<u64> {
        self.progress
    }
}

/// A producer: the next item (None at the end) and how far it has got.
pub trait Produce: Send {
    type Item: Send;
    fn produce(&mut self) -> Result<Option<Self::Item>>;
    fn progress(&self) -> Option<u64> {
        None
    }
}

/// Runs `consume` over what `producer` makes, made meanwhile on another thread. When `consume`
/// stops early the producer stops at its next batch; an error arrives after the items before it.
pub fn ahead<P: Produce, R>(mut producer: P, consume: impl FnOnce(&mut Ahead<P::Item>) -> R) -> R {
    std::thread::scope(|scope| {
        let (sender, batches) = sync_channel::<Batch<P::Item>>(BATCHES_AHEAD);
        scope.spawn(move || loop {
            let mut items = Vec::with_capacity(BATCH_ITEMS);
            let mut failed = None;
            let mut end = false;
            while items.len() < BATCH_ITEMS {
                match producer.produce() {
                    Ok(Some(item)) => items.push(item),
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
            let progress = producer.progress();
            if sender
                .send(Batch {
                    items: Ok(items),
                    progress,
                })
                .is_err()
            {
                return;
            }
            if let Some(e) = failed {
                let _ = sender.send(Batch {
                    items: Err(e),
                    progress,
                });
                return;
            }
            if end {
                return;
            }
        });
        let mut items = Ahead {
            batches,
            current: Vec::new().into_iter(),
            progress: None,
            finished: false,
        };
        consume(&mut items)
    })
}

struct SheetRows<'a>(Box<dyn RowStream + Send + 'a>);

impl Produce for SheetRows<'_> {
    type Item = SourceRow;
    fn produce(&mut self) -> Result<Option<SourceRow>> {
        self.0.next_row()
    }
    fn progress(&self) -> Option<u64> {
        self.0.bytes_read()
    }
}

impl RowStream for Ahead<SourceRow> {
    fn next_row(&mut self) -> Result<Option<SourceRow>> {
        self.next_item()
    }

    fn bytes_read(&self) -> Option<u64> {
        self.progress()
    }
}

/// Runs `consume` over the rows of `source`, which are parsed meanwhile on another thread.
pub fn read_ahead<T>(
    source: Box<dyn RowStream + Send + '_>,
    consume: impl FnOnce(&mut dyn RowStream) -> T,
) -> T {
    ahead(SheetRows(source), |rows| consume(rows))
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
        let n = BATCH_ITEMS * 3 + 17;
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
            n: BATCH_ITEMS * (BATCHES_AHEAD + 10),
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
