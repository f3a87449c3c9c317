//! Turning a vendor's delivery into archive records: catalogue files (CSV, XLSX, XLS, JSON
//! Lines) and scan folders. One file is one transaction: all its accepted rows or none.

pub mod category;
pub mod cell;
pub mod csv_source;
pub mod fields;
pub mod header;
pub mod jsonl_source;
pub mod mapping;
pub mod merges;
pub mod row;
pub mod scans;
pub mod sniff;
pub mod source;
pub mod values;
pub mod xlsx_source;
pub mod zip_guard;

use crate::api::{
    FileOutcome, FileReport, ImportProgress, ImportRequest, ImportWarning, RejectedRow, SheetReport,
};
use crate::error::{Error, ErrorCode, Result};
use crate::store::writer::{BatchWriter, EntryWrite, NewBatch};
use cell::SourceRow;
use fields::Field;
use header::ColumnPlan;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use sha2::{Digest, Sha256};
use sniff::FileKind;
use source::{RowStream, Workbook};
use std::io::Read;
use std::path::Path;

/// How often the progress callback hears from a running import.
const PROGRESS_EVERY_ROWS: usize = 2000;
/// Warnings listed one by one in a report; more are counted (each stays on its entry).
const MAX_LISTED_WARNINGS: usize = 2000;

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

fn open_workbook(kind: FileKind, path: &Path, name: &str) -> Result<Box<dyn Workbook>> {
    Ok(match kind {
        FileKind::Csv => Box::new(csv_source::CsvWorkbook::open(path)?),
        FileKind::JsonLines => Box::new(jsonl_source::JsonlWorkbook::open(path)?),
        FileKind::Xlsx => Box::new(xlsx_source::XlsxWorkbook::open(path, name)?),
        FileKind::Xls => Box::new(xlsx_source::XlsWorkbook::open(path, name)?),
    })
}

/// Import one catalogue file. A file that cannot be read comes back as a refused report and
/// leaves the archive untouched; only a failing database is an error.
pub fn import_catalogue(
    conn: &mut Connection,
    path: &Path,
    request: &ImportRequest,
    progress: &mut Progress,
) -> Result<FileReport> {
    let name = sniff::display_name(path);
    let mut report = FileReport::new(path.display().to_string());
    match import_catalogue_inner(conn, path, &name, request, progress, &mut report) {
        Ok(()) => Ok(report),
        Err(e) if e.code == ErrorCode::Database => Err(e),
        Err(e) => {
            report.outcome = FileOutcome::Refused;
            report.message = Some(e.message);
            report.batch_id = None;
            report.rows_accepted = 0;
            Ok(report)
        }
    }
}

fn import_catalogue_inner(
    conn: &mut Connection,
    path: &Path,
    name: &str,
    request: &ImportRequest,
    progress: &mut Progress,
    report: &mut FileReport,
) -> Result<()> {
    let sniffed = sniff::sniff(path)?;
    if let Some(note) = sniffed.note {
        report.warnings.push(ImportWarning {
            file: name.to_string(),
            sheet: String::new(),
            row: None,
            column: None,
            message: note,
        });
    }
    let checksum = file_checksum(path)?;
    let earlier: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, imported_at FROM import_batches WHERE checksum = ?1 AND status = 'active' ORDER BY id DESC LIMIT 1",
            [&checksum],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((batch, at)) = earlier {
        report.outcome = FileOutcome::Unchanged;
        report.batch_id = Some(batch);
        report.message = Some(format!("同一文件已于 {at} 导入（批次 {batch}），未作改动"));
        return Ok(());
    }
    let replaces: Option<i64> = conn
        .query_row(
            "SELECT id FROM import_batches WHERE source_name = ?1 AND status = 'active' ORDER BY id DESC LIMIT 1",
            [name],
            |r| r.get(0),
        )
        .optional()?;
    report.replaces_batch = replaces;

    let mut book = open_workbook(sniffed.kind, path, name)?;
    report.format = book.describe();
    let bytes_total = std::fs::metadata(path).ok().map(|m| m.len());

    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let batch = NewBatch {
        source_name: name,
        source_path: &path.display().to_string(),
        checksum: &checksum,
        format: &report.format.clone(),
        category: request.category.as_deref(),
    };
    let mut writer = BatchWriter::begin(&tx, &batch, replaces)?;
    let mut listed_warnings = 0usize;
    let mut unlisted_warnings = 0usize;
    let mut sheets_read = 0usize;
    for sheet in book.sheet_names() {
        let mut rows = book.open_sheet(&sheet)?;
        let mut ahead: Vec<SourceRow> = Vec::new();
        while ahead.len() < header::HEADER_SEARCH_ROWS {
            match rows.next_row()? {
                Some(r) if r.is_blank() => continue,
                Some(r) => ahead.push(r),
                None => break,
            }
        }
        let mut sheet_report = SheetReport {
            name: sheet.clone(),
            header_rows: Vec::new(),
            title: None,
            columns: Vec::new(),
            rows: 0,
            skipped: None,
        };
        let plan = match header::plan_columns(&ahead, request.mapping.as_ref())? {
            Some(plan) => plan,
            None => {
                sheet_report.skipped = Some(if ahead.is_empty() {
                    "工作表为空".to_string()
                } else {
                    "前30行中找不到表头（至少需要认出两个字段，如档号、姓名）".to_string()
                });
                report.sheets.push(sheet_report);
                continue;
            }
        };
        sheet_report.header_rows = plan
            .header_positions
            .iter()
            .map(|&p| ahead[p].number)
            .collect();
        sheet_report.title = plan.title.clone();
        sheet_report.columns = plan.report();
        let has_parts = [
            Field::Fonds,
            Field::CatalogueNo,
            Field::VolumeNo,
            Field::ItemNo,
        ]
        .iter()
        .filter(|f| plan.has(**f))
        .count()
            >= 2;
        if !plan.has(Field::RefCode) && !has_parts {
            sheet_report.skipped = Some(
                "没有档号列，也没有可组成档号的全宗号、目录号、案卷号、件号列；可用对照表（--mapping）指定哪一列是档号".to_string(),
            );
            report.sheets.push(sheet_report);
            continue;
        }
        sheets_read += 1;
        if report.category.is_none() {
            report.category = choose_category(request, &plan, &sheet, name);
        }
        let default_category = if plan.has(Field::Category) {
            request.category.clone()
        } else {
            report
                .category
                .as_ref()
                .filter(|c| !matches!(c.source.as_str(), "column" | "document_title"))
                .map(|c| c.value.clone())
        };
        let first_data = plan.header_positions.last().map(|p| p + 1).unwrap_or(0);
        let mut pending = ahead.drain(first_data..).collect::<Vec<_>>().into_iter();
        let mut next = |rows: &mut Box<dyn RowStream + '_>| -> Result<Option<SourceRow>> {
            match pending.next() {
                Some(r) => Ok(Some(r)),
                None => rows.next_row(),
            }
        };
        while let Some(source_row) = next(&mut rows)? {
            if source_row.is_blank() {
                continue;
            }
            report.rows_read += 1;
            sheet_report.rows += 1;
            match row::read_row(&source_row, &plan, default_category.as_deref()) {
                row::RowOutcome::Rejected { column, reason } => {
                    writer.reject(&sheet, source_row.number, column.as_deref(), &reason)?;
                    report.rows_rejected += 1;
                    report.rejected.push(RejectedRow {
                        file: name.to_string(),
                        sheet: sheet.clone(),
                        row: source_row.number,
                        column,
                        reason,
                    });
                }
                row::RowOutcome::Record(record) => {
                    report.rows_accepted += 1;
                    let written = writer.write(&sheet, &record)?;
                    let mut notes = record.notes.clone();
                    match written {
                        Some(EntryWrite::New) => report.entries_new += 1,
                        Some(EntryWrite::Updated) => report.entries_updated += 1,
                        Some(EntryWrite::Duplicate) => {
                            report.duplicate_rows += 1;
                            notes.push((
                                None,
                                "与本文件中已导入的一行完全相同，只保留一次".to_string(),
                            ));
                        }
                        Some(EntryWrite::Unchanged) | None => {}
                    }
                    for (column, message) in notes {
                        if listed_warnings < MAX_LISTED_WARNINGS {
                            listed_warnings += 1;
                            report.warnings.push(ImportWarning {
                                file: name.to_string(),
                                sheet: sheet.clone(),
                                row: Some(source_row.number),
                                column,
                                message,
                            });
                        } else {
                            unlisted_warnings += 1;
                        }
                    }
                }
            }
            if report.rows_read % PROGRESS_EVERY_ROWS == 0 {
                progress(&ImportProgress {
                    file: name.to_string(),
                    sheet: sheet.clone(),
                    rows_done: report.rows_read,
                    bytes_done: rows.bytes_read(),
                    bytes_total,
                });
            }
        }
        report.sheets.push(sheet_report);
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
    if unlisted_warnings > 0 {
        report.warnings.push(ImportWarning {
            file: name.to_string(),
            sheet: String::new(),
            row: None,
            column: None,
            message: format!("另有 {unlisted_warnings} 条提示未逐条列出（已记在各条目上）"),
        });
    }
    progress(&ImportProgress {
        file: name.to_string(),
        sheet: String::new(),
        rows_done: report.rows_read,
        bytes_done: bytes_total,
        bytes_total,
    });
    report.batch_id = Some(writer.batch_id);
    report.documents_new = writer.counts.documents_new;
    report.documents_updated = writer.counts.documents_updated;
    let stored = serde_json::json!({
        "sheets": report.sheets,
        "category": report.category,
        "warnings": report.warnings,
        "duplicate_rows": report.duplicate_rows,
    });
    report.entries_superseded = writer.finish(
        report.rows_read,
        report.rows_accepted,
        report.rows_rejected,
        &stored.to_string(),
    )?;
    if request.dry_run {
        tx.rollback()?;
    } else {
        tx.commit()?;
    }
    Ok(())
}

fn choose_category(
    request: &ImportRequest,
    plan: &ColumnPlan,
    sheet: &str,
    file_name: &str,
) -> Option<crate::api::CategoryChoice> {
    if let Some(c) = &request.category {
        return Some(crate::api::CategoryChoice {
            value: c.clone(),
            source: "option".to_string(),
        });
    }
    if plan.has(Field::Category) {
        return Some(crate::api::CategoryChoice {
            value: "（按类别列）".to_string(),
            source: "column".to_string(),
        });
    }
    let title = plan.title.clone().unwrap_or_default();
    category::infer(&[
        ("title", &title),
        ("sheet", sheet),
        ("file_name", file_name),
    ])
    .or_else(|| {
        plan.has(Field::Title).then(|| crate::api::CategoryChoice {
            value: "如「退休」→退休审批".to_string(),
            source: "document_title".to_string(),
        })
    })
}
