//! One scanned page file read: decoded (within the viewer's limits), read by the recognizer,
//! and put in the form the store keeps — the page's text row by row, and its lines' boxes —
//! then kept (by the archive's connection, or a background reader's own).

use super::reader::PageReader;
use super::{stored_lines, table_rows};
use crate::error::Result;
use std::path::Path;
use std::time::Instant;

/// What was read on a page.
#[derive(Debug, Clone)]
pub struct RecognizedPage {
    /// Row by row, the cells of a row apart (`table_rows`).
    pub text: String,
    pub lines_json: String,
    pub lines: usize,
    /// How long the reading took, decoding included.
    pub millis: u64,
}

pub fn read_page_file(reader: &PageReader, path: &Path) -> Result<RecognizedPage> {
    let started = Instant::now();
    let page = crate::page_image::decode(path)?.to_rgb8();
    let lines = reader.read(&page)?;
    let stored = stored_lines::to_stored(&lines);
    Ok(RecognizedPage {
        text: table_rows::page_text(&lines),
        lines_json: serde_json::to_string(&stored).expect("lines serialize"),
        lines: lines.len(),
        millis: started.elapsed().as_millis() as u64,
    })
}

/// Keeps what was read on `page` (or why it could not be read) in the store behind `conn`,
/// with the change the search index follows.
pub fn keep(
    conn: &mut rusqlite::Connection,
    page: &crate::store::page_text::UnreadPage,
    outcome: std::result::Result<&RecognizedPage, String>,
) -> Result<()> {
    use crate::store::page_text::{record_failure, record_read, PageReading};
    crate::store::durable(conn, |tx| match outcome {
        Ok(read) => record_read(
            tx,
            &PageReading {
                page,
                text: &read.text,
                lines_json: &read.lines_json,
                millis: read.millis,
            },
        ),
        Err(why) => record_failure(tx, page, &why),
    })
}
