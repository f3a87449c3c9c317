//! Scanned pages without text, read by the recognizer (OCR): which page waits, keeping what was
//! read so that it is searchable (`扫描页识别` hits), how far the reading is, and where on a page
//! the words a search found stand. The reading itself runs without the archive (see
//! `crate::page_reading`): a page takes seconds, and the archive stays free meanwhile.

use super::Archive;
use crate::api::{PageReadingStatus, PageWords, PageWordsRequest};
use crate::error::{Error, ErrorCode, Result};
use crate::store::page_text::{self, PassedOver, UnreadPage};

const PAUSED_KEY: &str = "page_reading_paused";

impl Archive {
    /// The next page waiting for the recognizer, passing over `passed`.
    pub fn page_to_read(&self, passed: &PassedOver) -> Result<Option<UnreadPage>> {
        page_text::next_unread(&self.store.conn, passed)
    }

    /// The store's connection, for the foreground reader to keep pages on.
    pub(crate) fn store_connection(&mut self) -> &mut rusqlite::Connection {
        &mut self.store.conn
    }

    /// Whether the clerk paused the background reading (kept across restarts).
    pub fn page_reading_paused(&self) -> Result<bool> {
        Ok(self.store.meta(PAUSED_KEY)?.as_deref() == Some("1"))
    }

    pub fn set_page_reading_paused(&self, paused: bool) -> Result<()> {
        self.store
            .set_meta(PAUSED_KEY, if paused { "1" } else { "0" })
    }

    /// How far the reading is, as the store knows it (whether a reader runs is the door's).
    pub fn page_reading_counts(&self) -> Result<PageReadingStatus> {
        let counts = page_text::counts(&self.store.conn)?;
        let seconds_left = (counts.read > 0).then(|| {
            let per_page = counts.millis_read as f64 / counts.read as f64;
            (per_page * counts.waiting as f64 / 1000.0).ceil() as u64
        });
        Ok(PageReadingStatus {
            read: counts.read,
            failed: counts.failed,
            waiting: counts.waiting,
            seconds_left,
            running: false,
            paused: false,
            problem: None,
        })
    }

    /// A page of a document the caller has in view, with its size and the lines the
    /// recognizer read on it (none before it is read). Served within the caller's recorded view
    /// of the document, as its pages are.
    pub(super) fn page_as_read(&self, document_id: i64, page_no: i64) -> Result<PageAsRead> {
        let view = self.view_of_pages(document_id)?;
        let conn = &self.store.conn;
        let Some(page_id) = page_text::page_id(conn, document_id, page_no)? else {
            return Err(Error::new(
                ErrorCode::NotFound,
                format!("案卷 {document_id} 没有第 {page_no} 页扫描件"),
            ));
        };
        let (width, height): (Option<i64>, Option<i64>) = conn.query_row(
            "SELECT width, height FROM pages WHERE id = ?1",
            [page_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let read = page_text::page_reading(conn, page_id)?;
        Ok(PageAsRead {
            view,
            width,
            height,
            lines: read
                .as_ref()
                .map(|r| crate::ocr::stored_lines::parse(&r.lines_json)),
            checksum: read.map(|r| r.checksum),
        })
    }

    /// Where the words of `request.query` stand on a page the recognizer read, for the viewer
    /// to box them.
    pub fn page_words(&mut self, request: &PageWordsRequest) -> Result<PageWords> {
        let page = self.page_as_read(request.document_id, request.page_no)?;
        let mut boxes = Vec::new();
        let needles = crate::search::snippet::query_words(&request.query);
        for line in page.lines.iter().flatten() {
            for (from, to) in crate::search::snippet::match_ranges(&line.text, &needles) {
                boxes.extend(crate::ocr::found_boxes::box_over(line, from, to));
            }
        }
        // Top to bottom, then left to right: the order ↑/↓ step through.
        boxes.sort_by(|a, b| a[1].total_cmp(&b[1]).then(a[0].total_cmp(&b[0])));
        Ok(PageWords {
            document_id: request.document_id,
            page_no: request.page_no,
            width: page.width,
            height: page.height,
            read: page.lines.is_some(),
            boxes,
        })
    }
}

/// A page's size and what the recognizer read on it.
pub(super) struct PageAsRead {
    /// The clerk's recorded view of the document the page is served within.
    pub view: String,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub lines: Option<Vec<crate::ocr::stored_lines::StoredLine>>,
    /// The checksum of the file the lines were read from.
    pub checksum: Option<String>,
}
