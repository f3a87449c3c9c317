//! Every row of a catalogue file as the text of its cells, with no field meaning applied: what a
//! home-grown tool would load (the import benchmark's FTS5 baseline reads files through this).

use super::cell::Cell;
use super::sniff::{display_name, sniff};
use crate::error::Result;
use std::path::Path;

pub fn plain_rows(path: &Path) -> Result<Vec<Vec<String>>> {
    let kind = sniff(path)?.kind;
    let mut book = super::open_workbook_in_this_process(kind, path, &display_name(path))?;
    let mut out = Vec::new();
    for sheet in book.sheet_names() {
        let mut rows = book.open_sheet(&sheet)?;
        while let Some(row) = rows.next_row()? {
            out.push(row.cells.iter().map(Cell::display).collect());
        }
    }
    Ok(out)
}
