//! One scanned page file read: decoded (within the viewer's limits), read by the recognizer,
//! and put in the form the store keeps — the page's text row by row, and its lines' boxes.

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
