//! A catalogue file seen as sheets of rows, whatever its format.

use super::cell::SourceRow;
use crate::error::Result;

/// One sheet's rows, read one at a time so that memory does not grow with the file.
pub trait RowStream {
    fn next_row(&mut self) -> Result<Option<SourceRow>>;

    /// Bytes of the file consumed so far, where the format can tell (for a progress bar).
    fn bytes_read(&self) -> Option<u64> {
        None
    }
}

/// A workbook (or a single-sheet text file).
pub trait Workbook {
    /// How the file was read, for the report (format and encoding).
    fn describe(&self) -> String;
    fn sheet_names(&self) -> Vec<String>;
    fn open_sheet<'a>(&'a mut self, name: &str) -> Result<Box<dyn RowStream + Send + 'a>>;
}
