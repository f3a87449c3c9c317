//! What the recognizer read on scanned pages (OCR), kept per page with the checksum of the file
//! it read: a page waits for reading while its document has no text of its own (no `<档号>.txt`)
//! and no reading of the file as it is now. Failed readings are kept too, so that a page the
//! recognizer cannot open is not tried again and again; a changed file is read again.

use rusqlite::{params, Connection, OptionalExtension};

use super::read::PageFile;
use crate::error::Result;

/// Pages whose documents carry no text of their own.
/// (Blank is spaces, tabs, line breaks, ideographic spaces and a byte-order mark.)
const WITHOUT_TEXT: &str =
    "(d.full_text IS NULL OR trim(d.full_text, char(32, 9, 10, 13, 12288, 65279)) = '')
     AND d.superseded_at IS NULL";

/// A page waiting to be read.
#[derive(Debug, Clone)]
pub struct UnreadPage {
    pub page_id: i64,
    pub document_id: i64,
    pub page_no: i64,
    /// The scan folder it was registered under, and where that is.
    pub scan_root_id: i64,
    pub scan_root: std::path::PathBuf,
    pub file: PageFile,
}

/// Pages passed over for now: single pages, and whole scan folders that cannot be reached (a
/// share offline holds every page under it).
#[derive(Debug, Clone, Default)]
pub struct PassedOver {
    pub pages: Vec<i64>,
    pub roots: Vec<i64>,
}

/// How far the reading is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadingCounts {
    /// Pages read as their files are now.
    pub read: u64,
    /// Pages the recognizer could not read (as their files are now).
    pub failed: u64,
    /// Pages waiting.
    pub waiting: u64,
    /// Milliseconds the pages read so far took, for the time left.
    pub millis_read: u64,
}

fn waiting_sql(select: &str, tail: &str) -> String {
    format!(
        "SELECT {select} FROM pages p JOIN documents d ON d.id = p.document_id
           JOIN scan_roots r ON r.id = p.scan_root_id
           LEFT JOIN page_text t ON t.page_id = p.id
          WHERE {WITHOUT_TEXT} AND (t.page_id IS NULL OR t.checksum <> p.checksum)
          {tail}"
    )
}

/// The next page to read, in document and page order, passing over `passed`.
pub fn next_unread(conn: &Connection, passed: &PassedOver) -> Result<Option<UnreadPage>> {
    let list = |ids: &[i64]| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let tail = format!(
        "AND p.id NOT IN ({}) AND p.scan_root_id NOT IN ({}) ORDER BY p.document_id, p.page_no LIMIT 1",
        list(&passed.pages),
        list(&passed.roots)
    );
    let sql = waiting_sql(
        "p.id, p.document_id, p.page_no, r.path, p.rel_path, p.checksum, p.scan_root_id",
        &tail,
    );
    Ok(conn
        .query_row(&sql, [], |r| {
            let root: String = r.get(3)?;
            let rel: String = r.get(4)?;
            let root = std::path::PathBuf::from(root);
            Ok(UnreadPage {
                page_id: r.get(0)?,
                document_id: r.get(1)?,
                page_no: r.get(2)?,
                scan_root_id: r.get(6)?,
                file: PageFile {
                    path: rel.split('/').fold(root.clone(), |p, part| p.join(part)),
                    checksum: r.get(5)?,
                },
                scan_root: root,
            })
        })
        .optional()?)
}

pub fn counts(conn: &Connection) -> Result<ReadingCounts> {
    let waiting: i64 = conn.query_row(&waiting_sql("count(*)", ""), [], |r| r.get(0))?;
    let (read, failed, millis): (i64, i64, i64) = conn.query_row(
        "SELECT coalesce(sum(t.state = 'read'), 0), coalesce(sum(t.state = 'failed'), 0),
                coalesce(sum(CASE WHEN t.state = 'read' THEN t.millis END), 0)
           FROM page_text t JOIN pages p ON p.id = t.page_id AND p.checksum = t.checksum",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok(ReadingCounts {
        read: read as u64,
        failed: failed as u64,
        waiting: waiting as u64,
        millis_read: millis as u64,
    })
}

/// What was read on a page, as it is kept.
pub struct PageReading<'a> {
    pub page: &'a UnreadPage,
    /// Lines joined by line breaks.
    pub text: &'a str,
    /// The lines with their boxes.
    pub lines_json: &'a str,
    pub millis: u64,
}

/// Keeps a page's reading, and tells the search index its document's own text changed.
pub fn record_read(conn: &Connection, reading: &PageReading) -> Result<()> {
    let page = reading.page;
    conn.execute(
        "INSERT INTO page_text (page_id, document_id, checksum, state, text, lines_json, error, millis, read_at)
         VALUES (?1, ?2, ?3, 'read', ?4, ?5, NULL, ?6, ?7)
         ON CONFLICT(page_id) DO UPDATE SET document_id = excluded.document_id,
            checksum = excluded.checksum, state = 'read', text = excluded.text,
            lines_json = excluded.lines_json, error = NULL, millis = excluded.millis,
            read_at = excluded.read_at",
        params![
            page.page_id,
            page.document_id,
            page.file.checksum,
            reading.text,
            reading.lines_json,
            reading.millis as i64,
            super::now_text()
        ],
    )?;
    own_text_changed(conn, page.document_id)
}

/// Tells the search index that what a document's own index documents carry (its pages' text
/// among them) changed; its rows stay as they are.
pub fn own_text_changed(conn: &Connection, document_id: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO changes (document_id, own_only) VALUES (?1, 1)",
        [document_id],
    )?;
    Ok(())
}

/// Keeps why a page could not be read, so that it is not tried again until its file changes.
pub fn record_failure(conn: &Connection, page: &UnreadPage, error: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO page_text (page_id, document_id, checksum, state, error, read_at)
         VALUES (?1, ?2, ?3, 'failed', ?4, ?5)
         ON CONFLICT(page_id) DO UPDATE SET document_id = excluded.document_id,
            checksum = excluded.checksum, state = 'failed', text = '', lines_json = '[]',
            error = excluded.error, millis = 0, read_at = excluded.read_at",
        params![
            page.page_id,
            page.document_id,
            page.file.checksum,
            error,
            super::now_text()
        ],
    )?;
    own_text_changed(conn, page.document_id)
}

/// A document's pages read as their files are now: (page id, page number, text). None once
/// the document has text of its own (a `<档号>.txt` delivered later): that text is searched
/// instead, not the same words twice.
pub fn document_texts(conn: &Connection, document_id: i64) -> Result<Vec<(i64, i64, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.page_no, t.text FROM page_text t
           JOIN pages p ON p.id = t.page_id AND p.checksum = t.checksum
           JOIN documents d ON d.id = t.document_id
          WHERE t.document_id = ?1 AND t.state = 'read' AND t.text <> ''
            AND (d.full_text IS NULL OR trim(d.full_text, char(32, 9, 10, 13, 12288, 65279)) = '')
          ORDER BY p.page_no",
    )?;
    let rows = stmt.query_map([document_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One page's reading, when it was read as the file is now.
pub fn page_reading(conn: &Connection, page_id: i64) -> Result<Option<PageRead>> {
    Ok(conn
        .query_row(
            "SELECT p.page_no, t.checksum, t.text, t.lines_json FROM page_text t
               JOIN pages p ON p.id = t.page_id AND p.checksum = t.checksum
              WHERE t.page_id = ?1 AND t.state = 'read'",
            [page_id],
            |r| {
                Ok(PageRead {
                    page_no: r.get(0)?,
                    checksum: r.get(1)?,
                    text: r.get(2)?,
                    lines_json: r.get(3)?,
                })
            },
        )
        .optional()?)
}

/// What the recognizer read on a page, as its file is now.
pub struct PageRead {
    pub page_no: i64,
    /// The checksum of the file it read.
    pub checksum: String,
    pub text: String,
    pub lines_json: String,
}

/// The page id of a document's page.
pub fn page_id(conn: &Connection, document_id: i64, page_no: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM pages WHERE document_id = ?1 AND page_no = ?2",
            params![document_id, page_no],
            |r| r.get(0),
        )
        .optional()?)
}

/// Forgets the readings of a document's pages past `last_page` (a folder scanned again with
/// fewer pages), before those pages go.
pub fn forget_pages_after(conn: &Connection, document_id: i64, last_page: i64) -> Result<()> {
    conn.execute(
        "DELETE FROM page_text WHERE page_id IN
           (SELECT id FROM pages WHERE document_id = ?1 AND page_no > ?2)",
        params![document_id, last_page],
    )?;
    Ok(())
}
