//! Reading the archive back: one document with its entries and pages, and the totals.

use super::rows::PAGE_ROW_BATCH;
use super::Store;
use crate::api::{Count, DocumentView, EntryView, PageView, Stats};
use crate::error::{Error, ErrorCode, Result};
use crate::text::id_number::mask_id;
use rusqlite::{params, Connection, OptionalExtension, Row};
use std::path::Path;

impl Store {
    pub fn stats(&self) -> Result<Stats> {
        let count = |sql: &str| -> Result<u64> {
            Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
        };
        let counts = |sql: &str| -> Result<Vec<Count>> {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| {
                Ok(Count {
                    key: r
                        .get::<_, Option<String>>(0)?
                        .unwrap_or_else(|| "（未填）".to_string()),
                    count: r.get::<_, i64>(1)? as u64,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        Ok(Stats {
            archive_name: self.meta("archive_name")?.unwrap_or_else(|| "档案查询台".to_string()),
            demo: self.meta("demo")?.as_deref() == Some("1"),
            documents: count("SELECT COUNT(*) FROM documents WHERE superseded_at IS NULL")?,
            entries: count("SELECT COUNT(*) FROM entries WHERE superseded_at IS NULL")?,
            pages: count(
                "SELECT COUNT(*) FROM pages p JOIN documents d ON d.id = p.document_id WHERE d.superseded_at IS NULL",
            )?,
            superseded_entries: count("SELECT COUNT(*) FROM entries WHERE superseded_at IS NOT NULL")?,
            // A row a clerk confirmed from a page is a batch of its own, not a delivery.
            import_batches: count(&format!(
                "SELECT COUNT(*) FROM import_batches WHERE status = 'active' AND format <> '{PAGE_ROW_BATCH}'"
            ))?,
            rejected_rows: count(
                "SELECT COUNT(*) FROM rejected_rows r JOIN import_batches b ON b.id = r.batch_id WHERE b.status = 'active'",
            )?,
            by_category: counts(
                "SELECT category, COUNT(*) FROM documents WHERE superseded_at IS NULL GROUP BY category ORDER BY COUNT(*) DESC, category",
            )?,
            by_year: counts(
                "SELECT CAST(year AS TEXT), COUNT(*) FROM documents WHERE superseded_at IS NULL GROUP BY year ORDER BY year",
            )?,
            last_import: self
                .conn
                .query_row(
                    "SELECT MAX(imported_at) FROM import_batches WHERE format <> ?1",
                    [PAGE_ROW_BATCH],
                    |r| r.get(0),
                )?,
        })
    }

    /// A document by its 档号 key, or the document of an entry id.
    pub fn document_by_key(&self, ref_key: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM documents WHERE ref_key = ?1",
                [ref_key],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn document_of_entry(&self, entry_id: i64) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT document_id FROM entries WHERE id = ?1",
                [entry_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn document(&self, id: i64) -> Result<DocumentView> {
        document(&self.conn, id)
    }

    /// A document's full text as stored (OCR or typed), unmasked.
    pub fn full_text(&self, id: i64) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT full_text FROM documents WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?
            .flatten())
    }

    /// A document's access status (open, controlled, closed), if it exists.
    pub fn document_access(&self, id: i64) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT access FROM documents WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?)
    }
}

/// A document with its entries and pages, as stored (nothing masked).
pub fn document(conn: &Connection, id: i64) -> Result<DocumentView> {
    let mut doc = conn
            .query_row(
                "SELECT id, ref_code, ref_key, fonds, category, title, creator, doc_number, COALESCE(date_raw, date_key),
                        year, page_count, retention, access, full_text IS NOT NULL, superseded_at IS NOT NULL
                 FROM documents WHERE id = ?1",
                [id],
                |r| {
                    Ok(DocumentView {
                        id: r.get(0)?,
                        ref_code: r.get(1)?,
                        ref_key: r.get(2)?,
                        fonds: r.get(3)?,
                        category: r.get(4)?,
                        title: r.get(5)?,
                        creator: r.get(6)?,
                        doc_number: r.get(7)?,
                        date: r.get(8)?,
                        year: r.get(9)?,
                        page_count: r.get(10)?,
                        retention: r.get(11)?,
                        access: r.get(12)?,
                        has_full_text: r.get(13)?,
                        superseded: r.get(14)?,
                        restricted: false,
                        entries: Vec::new(),
                        pages: Vec::new(),
                        full_text: None,
                        full_text_highlights: Vec::new(),
                        opened_for_request: None,
                        originals: Vec::new(),
                    })
                },
            )
            .optional()?
            .ok_or_else(|| Error::new(ErrorCode::NotFound, format!("没有编号为 {id} 的案卷")))?;
    let mut stmt = conn.prepare(
            "SELECT id, entry_key, name, gender, birth_raw, birth_key, COALESCE(id_key, id_raw), id_status, work_unit,
                    work_start_raw, retire_raw, wage_before, wage_after, page, source_row, extra_json, notes_json,
                    superseded_at IS NOT NULL
             FROM entries WHERE document_id = ?1 ORDER BY superseded_at IS NOT NULL, sheet, source_row",
        )?;
    doc.entries = stmt
        .query_map([id], entry_view)?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare(
            "SELECT p.page_no, r.path, p.rel_path, p.width, p.height
             FROM pages p JOIN scan_roots r ON r.id = p.scan_root_id WHERE p.document_id = ?1 ORDER BY p.page_no",
        )?;
    doc.pages = stmt
        .query_map(params![id], |r| {
            let root: String = r.get(1)?;
            let rel: String = r.get(2)?;
            let full = rel
                .split('/')
                .fold(Path::new(&root).to_path_buf(), |p, part| p.join(part));
            let is_pdf = crate::scan_kind::is_pdf(&full);
            Ok(PageView {
                page_no: r.get(0)?,
                reachable: full.is_file(),
                media: if is_pdf { "pdf" } else { "image" }.to_string(),
                path: full.display().to_string(),
                width: r.get(3)?,
                height: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(doc)
}

fn entry_view(r: &Row) -> rusqlite::Result<EntryView> {
    let id_number: Option<String> = r.get(6)?;
    let id_status: Option<String> = r.get(7)?;
    let extra: String = r.get(15)?;
    let notes: String = r.get(16)?;
    Ok(EntryView {
        id: r.get(0)?,
        entry_key: r.get(1)?,
        name: r.get(2)?,
        gender: r.get(3)?,
        birth: r.get(4)?,
        birth_key: r.get(5)?,
        id_number_masked: id_number.as_deref().map(mask_id),
        id_valid: id_status.map(|s| s.starts_with("Valid")),
        work_unit: r.get(8)?,
        work_start: r.get(9)?,
        retire_date: r.get(10)?,
        wage_before: r.get(11)?,
        wage_after: r.get(12)?,
        page_numbers: r
            .get::<_, Option<String>>(13)?
            .as_deref()
            .map(crate::text::pages_named)
            .unwrap_or_default(),
        page: r.get(13)?,
        source_row: r.get(14)?,
        extra: serde_json::from_str(&extra).unwrap_or_default(),
        notes: serde_json::from_str(&notes).unwrap_or_default(),
        superseded: r.get(17)?,
        masked: false,
        requester_join: None,
        originals: Vec::new(),
    })
}

/// Where a page's scan is registered, and its checksum (the key of its previews).
#[derive(Debug, Clone)]
pub struct PageFile {
    pub path: std::path::PathBuf,
    pub checksum: String,
}

/// A row of (scan root, path relative to it with '/' separators, checksum).
fn page_file_row(r: &Row) -> rusqlite::Result<PageFile> {
    let root: String = r.get(0)?;
    let rel: String = r.get(1)?;
    Ok(PageFile {
        path: rel
            .split('/')
            .fold(Path::new(&root).to_path_buf(), |p, part| p.join(part)),
        checksum: r.get(2)?,
    })
}

impl Store {
    pub fn page_file(&self, document_id: i64, page_no: i64) -> Result<Option<PageFile>> {
        page_file(&self.conn, document_id, page_no)
    }

    /// The pages of the scan folder at `root`, for making their previews after an import.
    pub fn pages_under_root(&self, root: &str) -> Result<Vec<PageFile>> {
        let mut stmt = self.conn.prepare(
            "SELECT r.path, p.rel_path, p.checksum FROM pages p JOIN scan_roots r ON r.id = p.scan_root_id
             WHERE r.path = ?1",
        )?;
        let rows = stmt.query_map([root], page_file_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Where one page's scan is registered.
pub fn page_file(conn: &Connection, document_id: i64, page_no: i64) -> Result<Option<PageFile>> {
    Ok(conn
        .query_row(
            "SELECT r.path, p.rel_path, p.checksum FROM pages p JOIN scan_roots r ON r.id = p.scan_root_id
             WHERE p.document_id = ?1 AND p.page_no = ?2",
            params![document_id, page_no],
            page_file_row,
        )
        .optional()?)
}
