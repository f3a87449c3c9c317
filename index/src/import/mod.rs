//! Turning a vendor's delivery into archive records: catalogue files (CSV, XLSX, XLS, JSON
//! Lines) and scan folders. One file is one transaction: all its accepted rows or none.

pub mod category;
pub mod cell;
pub mod counted_file;
pub mod csv_source;
pub mod fields;
pub mod header;
pub mod isolated;
pub mod jsonl_source;
pub mod mapping;
pub mod merges;
pub mod page_row;
pub mod plain_rows;
pub mod read_ahead;
pub mod record_limit;
pub mod row;
pub mod scans;
pub mod sheet;
pub mod skip;
pub mod sniff;
pub mod source;
pub mod values;
pub mod xlsx_source;
pub mod zip_guard;

use crate::api::{FileOutcome, FileReport, ImportProgress, ImportRequest, ImportWarning};
use crate::error::{Error, ErrorCode, Result};
use crate::store::writer::{BatchWriter, NewBatch};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use sha2::{Digest, Sha256};
use sniff::FileKind;
use source::Workbook;
use std::io::Read;
use std::path::Path;

pub type Progress<'a> = dyn FnMut(&ImportProgress) + 'a;

pub fn file_checksum(path: &Path) -> Result<String> {
    let mut file = std::fs::File::open(path).map_err(|e| {
        Error::new(
            ErrorCode::Io,
            format!("无法读取「{}」：{e}", path.display()),
        )
    })?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf).map_err(|e| {
            Error::new(
                ErrorCode::Io,
                format!("无法读取「{}」：{e}", path.display()),
            )
        })?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

/// Opens the file for reading its rows: workbooks in a reader child where the binary turned
/// that on (`isolated`), everything else in this process.
fn open_workbook(kind: FileKind, path: &Path, name: &str) -> Result<Box<dyn Workbook>> {
    let child_kind = match kind {
        FileKind::Xlsx => Some("xlsx"),
        FileKind::Xls => Some("xls"),
        FileKind::Csv | FileKind::JsonLines => None,
    };
    match (child_kind, isolated::reader_child()) {
        (Some(child_kind), Some(reader)) => Ok(Box::new(isolated::parent::ChildWorkbook::open(
            reader, child_kind, path, name,
        )?)),
        _ => open_workbook_in_this_process(kind, path, name),
    }
}

fn open_workbook_in_this_process(
    kind: FileKind,
    path: &Path,
    name: &str,
) -> Result<Box<dyn Workbook>> {
    Ok(match kind {
        FileKind::Csv => Box::new(csv_source::CsvWorkbook::open(path)?),
        FileKind::JsonLines => Box::new(jsonl_source::JsonlWorkbook::open(path)?),
        FileKind::Xlsx => Box::new(xlsx_source::XlsxWorkbook::open(path, name)?),
        FileKind::Xls => Box::new(xlsx_source::XlsWorkbook::open(path, name)?),
    })
}

/// Called now and then inside a file's transaction with its connection, so that the search
/// index can read what the import has written so far and index it while the import goes on.
/// Nothing fed becomes searchable before the transaction commits (see `search::index`).
pub type Feed<'a> = dyn FnMut(&Connection) -> Result<()> + 'a;

/// Called inside a file's transaction just before it commits, with the file's report: the audit
/// trail's row for the file is written there, so that the file and its record commit together.
pub type BeforeCommit<'a> = dyn FnMut(&Connection, &FileReport) -> Result<()> + 'a;

/// Import one catalogue file. A file that cannot be read comes back as a refused report and
/// leaves the archive untouched; only a failing database is an error.
pub fn import_catalogue(
    conn: &mut Connection,
    path: &Path,
    request: &ImportRequest,
    progress: &mut Progress,
    feed: &mut Feed,
    before_commit: &mut BeforeCommit,
) -> Result<FileReport> {
    let name = sniff::display_name(path);
    let mut report = FileReport::new(path.display().to_string());
    let outcome = import_catalogue_inner(
        conn,
        path,
        &name,
        request,
        (progress, feed, before_commit),
        &mut report,
    );
    match outcome {
        Ok(()) => Ok(report),
        Err(e) if e.code == ErrorCode::Database => Err(e),
        Err(e) => {
            // Nothing of the file was written: say so, and nothing else.
            let mut refused = FileReport::new(report.path);
            refused.format = report.format;
            refused.outcome = FileOutcome::Refused;
            refused.message = Some(e.message);
            Ok(refused)
        }
    }
}

/// A warning about the file as a whole.
fn file_warning(file: &str, message: String) -> ImportWarning {
    ImportWarning {
        file: file.to_string(),
        sheet: String::new(),
        row: None,
        column: None,
        message,
    }
}

/// What, besides the file's bytes, decides how it is read: importing the same file again with
/// another category or mapping is a new import, not a repeat.
fn options_key(request: &ImportRequest) -> String {
    serde_json::json!({ "category": request.category, "mapping": request.mapping }).to_string()
}

fn import_catalogue_inner(
    conn: &mut Connection,
    path: &Path,
    name: &str,
    request: &ImportRequest,
    (progress, feed, before_commit): (&mut Progress, &mut Feed, &mut BeforeCommit),
    report: &mut FileReport,
) -> Result<()> {
    let sniffed = sniff::sniff(path)?;
    if let Some(note) = sniffed.note {
        report.warnings.push(file_warning(name, note));
    }
    let checksum = file_checksum(path)?;
    let options = options_key(request);
    let earlier: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, imported_at FROM import_batches
             WHERE checksum = ?1 AND options = ?2 AND status = 'active' ORDER BY id DESC LIMIT 1",
            [&checksum, &options],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((batch, at)) = earlier {
        report.outcome = FileOutcome::Unchanged;
        report.batch_id = Some(batch);
        report.message = Some(format!(
            "同一文件已于 {at} 按相同设置导入（批次 {batch}），未作改动"
        ));
        return Ok(());
    }
    let replaces: Option<i64> = conn
        .query_row(
            "SELECT id FROM import_batches WHERE source_name = ?1 AND status = 'active' ORDER BY id DESC LIMIT 1",
            [name],
            |r| r.get(0),
        )
        .optional()?;

    let mut book = open_workbook(sniffed.kind, path, name)?;
    report.format = book.describe();
    let ctx = sheet::SheetContext {
        file_name: name,
        request,
        bytes_total: std::fs::metadata(path).ok().map(|m| m.len()),
        shown_text: sniffed.kind == FileKind::Csv,
        listed: Default::default(),
        unlisted: Default::default(),
    };

    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let source_path = path.display().to_string();
    let batch = NewBatch {
        source_name: name,
        source_path: &source_path,
        checksum: &checksum,
        options: &options,
        format: &report.format.clone(),
        category: request.category.as_deref(),
    };
    let mut writer = BatchWriter::begin(&tx, &batch, replaces)?;
    let mut sheets_read = 0usize;
    for sheet_name in book.sheet_names() {
        let rows = book.open_sheet(&sheet_name)?;
        let read = read_ahead::read_ahead(rows, |rows| {
            sheet::read_sheet(&ctx, &sheet_name, rows, &mut writer, report, progress, feed)
        });
        if read? {
            sheets_read += 1;
        }
    }
    if sheets_read == 0 {
        let why = report
            .sheets
            .iter()
            .find_map(|s| s.skipped.clone())
            .unwrap_or_else(|| "文件中没有工作表".to_string());
        return Err(Error::new(
            ErrorCode::FileRefused,
            format!("文件「{name}」无法导入：{why}"),
        ));
    }
    if ctx.unlisted.get() > 0 {
        let message = format!(
            "另有 {} 条提示未逐条列出（已记在各条目上）",
            ctx.unlisted.get()
        );
        report.warnings.push(file_warning(name, message));
    }
    progress(&ImportProgress {
        file: name.to_string(),
        sheet: String::new(),
        rows_done: report.rows_read,
        bytes_done: ctx.bytes_total,
        bytes_total: ctx.bytes_total,
    });
    report.batch_id = Some(writer.batch_id);
    report.documents_new = writer.counts.documents_new;
    report.documents_updated = writer.counts.documents_updated;
    let skipped_sheets: Vec<String> = report
        .sheets
        .iter()
        .filter(|s| s.skipped.is_some())
        .map(|s| s.name.clone())
        .collect();
    let stored = serde_json::json!({
        "sheets": report.sheets,
        "category": report.category,
        "warnings": report.warnings,
        "duplicate_rows": report.duplicate_rows,
    });
    let replaced = writer.finish(report, &skipped_sheets, &stored.to_string())?;
    if let Some(note) = replaced {
        report.warnings.push(file_warning(name, note));
    }
    if request.dry_run {
        tx.rollback()?;
    } else {
        before_commit(&tx, report)?;
        tx.commit()?;
    }
    Ok(())
}
