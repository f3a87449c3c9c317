//! One scanned page file read: decoded (within the viewer's limits; a PDF's page images one by
//! one, see `pdf_pages`), read by the recognizer,
//! and put in the form the store keeps — the page's text row by row, and its lines' boxes —
//! then kept (by the archive's connection, or a background reader's own).

use super::reader::{PageLine, PageReader};
use super::text_regions::Quad;
use super::{stored_lines, table_rows};
use crate::error::{Error, ErrorCode, Result};
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

/// Reads a page file; none when `keep_going` said to stop before the end (a PDF is read page by
/// page, and a long one takes minutes).
pub fn read_page_file(
    reader: &PageReader,
    path: &Path,
    keep_going: &dyn Fn() -> bool,
) -> Result<Option<RecognizedPage>> {
    let started = Instant::now();
    let lines = if crate::scan_kind::is_pdf(path) {
        match read_pdf(reader, path, keep_going)? {
            Some(lines) => lines,
            None => return Ok(None),
        }
    } else {
        let page = crate::page_image::decode(path)?.into_rgb8();
        reader.read(&page)?
    };
    let stored = stored_lines::to_stored(&lines);
    Ok(Some(RecognizedPage {
        text: table_rows::page_text(&lines),
        lines_json: serde_json::to_string(&stored).expect("lines serialize"),
        lines: lines.len(),
        millis: started.elapsed().as_millis() as u64,
    }))
}

/// A scanned PDF's pages read one after another, their lines placed as if the pages stood one
/// below the other: the file is one page of its document, and its text reads down its pages.
fn read_pdf(
    reader: &PageReader,
    path: &Path,
    keep_going: &dyn Fn() -> bool,
) -> Result<Option<Vec<PageLine>>> {
    let mut lines = Vec::new();
    let mut top = 0.0f32;
    let finished = super::pdf_pages::each_page_image(path, keep_going, |_, image| {
        let image = image.into_rgb8();
        let read = reader.read(&image).map_err(|e| e.message)?;
        lines.extend(read.into_iter().map(|line| shifted_down(line, top)));
        top += image.height() as f32;
        Ok(())
    })
    .map_err(|why| {
        Error::new(
            ErrorCode::Io,
            format!("无法读取扫描件「{}」：{why}", path.display()),
        )
    })?;
    Ok(finished.then_some(lines))
}

fn shifted_down(mut line: PageLine, by: f32) -> PageLine {
    let shift = |quad: &mut Quad| quad.0.iter_mut().for_each(|p| p.1 += by);
    shift(&mut line.quad);
    line.chars.iter_mut().for_each(|c| shift(&mut c.quad));
    line
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
