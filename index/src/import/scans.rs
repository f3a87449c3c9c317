//! Scan folders: `<档号>/` subfolders of page images (and PDFs) and `<档号>.txt` OCR text,
//! attached to documents by 档号 key. Scans stay where they are; pages keep paths relative to
//! the registered scan root, so a moved or missing file later shows as not reachable.

use crate::api::{FileOutcome, FileReport, ImportWarning};
use crate::error::{Error, ErrorCode, Result};
use crate::text::codes::ref_code_key;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use std::path::{Path, PathBuf};

const PAGE_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "tif", "tiff", "pdf", "bmp"];

fn is_page(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| PAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Page order by the numbers in the file name (2.jpg before 10.jpg), then by name.
fn page_order(path: &Path) -> (Vec<u64>, String) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut numbers = Vec::new();
    let mut current = String::new();
    for c in name.chars() {
        if c.is_ascii_digit() {
            current.push(c);
        } else if !current.is_empty() {
            numbers.push(current.parse().unwrap_or(u64::MAX));
            current.clear();
        }
    }
    if !current.is_empty() {
        numbers.push(current.parse().unwrap_or(u64::MAX));
    }
    (numbers, name)
}

fn read_text_file(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| {
        Error::new(
            ErrorCode::Io,
            format!("无法读取「{}」：{e}", path.display()),
        )
    })?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    Ok(match std::str::from_utf8(body) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode(body).0.into_owned(),
    })
}

fn io_err(path: &Path, e: std::io::Error) -> Error {
    Error::new(
        ErrorCode::Io,
        format!("无法读取「{}」：{e}", path.display()),
    )
}

pub fn import_scan_folder(
    conn: &mut Connection,
    dir: &Path,
    dry_run: bool,
    before_commit: &mut super::BeforeCommit,
) -> Result<FileReport> {
    let root: PathBuf = std::path::absolute(dir).map_err(|e| io_err(dir, e))?;
    let mut report = FileReport::new(root.display().to_string());
    report.format = "扫描文件夹".to_string();
    let folder_name = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut items: Vec<PathBuf> = std::fs::read_dir(&root)
        .map_err(|e| io_err(&root, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    items.sort();

    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute(
        "INSERT INTO scan_roots (path, registered_at) VALUES (?1, ?2) ON CONFLICT(path) DO NOTHING",
        params![root.display().to_string(), crate::store::now_text()],
    )?;
    let root_id: i64 = tx.query_row(
        "SELECT id FROM scan_roots WHERE path = ?1",
        [root.display().to_string()],
        |r| r.get(0),
    )?;
    let mut warn = |message: String| {
        report.warnings.push(ImportWarning {
            file: folder_name.clone(),
            sheet: String::new(),
            row: None,
            column: None,
            message,
        })
    };
    let mut documents_touched = 0usize;
    let mut pages = 0usize;
    for item in items {
        let stem = item
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let is_dir = item.is_dir();
        let is_text = !is_dir
            && item
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
        if !is_dir && !is_text {
            continue;
        }
        let label = if is_dir {
            item.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        } else {
            stem.clone()
        };
        let key = ref_code_key(&label);
        let doc: Option<i64> = tx
            .query_row("SELECT id FROM documents WHERE ref_key = ?1", [&key], |r| {
                r.get(0)
            })
            .optional()?;
        let Some(doc_id) = doc else {
            warn(format!(
                "「{label}」没有对应档号的案卷（请先导入目录），已跳过"
            ));
            continue;
        };
        documents_touched += 1;
        if is_text {
            let text = read_text_file(&item)?;
            tx.execute(
                "UPDATE documents SET full_text = ?2 WHERE id = ?1",
                params![doc_id, text],
            )?;
            continue;
        }
        let mut files: Vec<PathBuf> = std::fs::read_dir(&item)
            .map_err(|e| io_err(&item, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && is_page(p))
            .collect();
        files.sort_by_key(|p| page_order(p));
        for (i, file) in files.iter().enumerate() {
            let bytes = std::fs::metadata(file).map_err(|e| io_err(file, e))?.len();
            let checksum = super::file_checksum(file)?;
            let (width, height) = match image::image_dimensions(file) {
                Ok((w, h)) => (Some(w as i64), Some(h as i64)),
                Err(_) => (None, None),
            };
            let rel: Vec<String> = file
                .strip_prefix(&root)
                .unwrap_or(file)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            tx.execute(
                "INSERT INTO pages (document_id, page_no, scan_root_id, rel_path, width, height, bytes, checksum)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT(document_id, page_no) DO UPDATE SET scan_root_id = excluded.scan_root_id,
                    rel_path = excluded.rel_path, width = excluded.width, height = excluded.height,
                    bytes = excluded.bytes, checksum = excluded.checksum",
                params![doc_id, (i + 1) as i64, root_id, rel.join("/"), width, height, bytes as i64, checksum],
            )?;
            pages += 1;
        }
        // A folder scanned again with fewer pages: the pages it no longer has go, with what
        // was read on them; the index drops what it had of them (and of pages changed since).
        crate::store::page_text::forget_pages_after(&tx, doc_id, files.len() as i64)?;
        crate::store::page_text::own_text_changed(&tx, doc_id)?;
        tx.execute(
            "DELETE FROM pages WHERE document_id = ?1 AND page_no > ?2",
            params![doc_id, files.len() as i64],
        )?;
    }
    report.documents_updated = documents_touched;
    report.pages_attached = pages;
    report.outcome = FileOutcome::Imported;
    if dry_run {
        tx.rollback()?;
    } else {
        before_commit(&tx, &report)?;
        tx.commit()?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::page_order;
    use std::path::Path;

    #[test]
    fn pages_sort_by_number_not_by_text() {
        let mut names = vec!["10.jpg", "2.jpg", "1.jpg"];
        names.sort_by_key(|n| page_order(Path::new(n)));
        assert_eq!(names, vec!["1.jpg", "2.jpg", "10.jpg"]);
    }
}
