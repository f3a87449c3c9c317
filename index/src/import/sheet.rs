//! Reading one sheet into the open batch: find its header, then every row either written,
//! rejected (with row, column and reason), or skipped as a title, footer or repeated header.

use super::cell::SourceRow;
use super::fields::Field;
use super::header::{self, ColumnPlan};
use super::source::RowStream;
use super::{category, row, skip, Progress};
use crate::api::{
    CategoryChoice, FileReport, ImportProgress, ImportRequest, ImportWarning, RejectedRow,
    SheetReport,
};
use crate::error::Result;
use crate::store::writer::{BatchWriter, EntryWrite};

/// Warnings listed one by one in a report; more are counted (each stays on its entry).
const MAX_LISTED_WARNINGS: usize = 2000;
/// How often the progress callback hears from a running import.
const PROGRESS_EVERY_ROWS: usize = 2000;
/// How often the index is fed what the sheet has written so far, so that its threads index
/// beside the import. A document whose rows go on past a feed is indexed again whole at the
/// next one, so feeding often costs more than it overlaps.
const FEED_EVERY_ROWS: usize = 10_000;

pub struct SheetContext<'a> {
    pub file_name: &'a str,
    pub request: &'a ImportRequest,
    pub bytes_total: Option<u64>,
    /// The file is CSV: its cells are what the spreadsheet showed when it was saved.
    pub shown_text: bool,
    /// Row warnings listed so far, and those only counted.
    pub listed: std::cell::Cell<usize>,
    pub unlisted: std::cell::Cell<usize>,
}

impl SheetContext<'_> {
    fn warn(
        &self,
        report: &mut FileReport,
        sheet: &str,
        row: Option<usize>,
        column: Option<String>,
        message: String,
    ) {
        if row.is_some() {
            if self.listed.get() >= MAX_LISTED_WARNINGS {
                self.unlisted.set(self.unlisted.get() + 1);
                return;
            }
            self.listed.set(self.listed.get() + 1);
        }
        report.warnings.push(ImportWarning {
            file: self.file_name.to_string(),
            sheet: sheet.to_string(),
            row,
            column,
            message,
        });
    }
}

/// Read the sheet `name` from `rows` into `writer`. Returns whether the sheet held a catalogue.
pub fn read_sheet(
    ctx: &SheetContext,
    name: &str,
    rows: &mut dyn RowStream,
    writer: &mut BatchWriter,
    report: &mut FileReport,
    progress: &mut Progress,
    feed: &mut super::Feed,
) -> Result<bool> {
    let mut ahead: Vec<SourceRow> = Vec::new();
    while ahead.len() < header::HEADER_SEARCH_ROWS {
        match rows.next_row()? {
            Some(r) if r.is_blank() => continue,
            Some(r) => ahead.push(r),
            None => break,
        }
    }
    let mut sheet = SheetReport {
        name: name.to_string(),
        header_rows: Vec::new(),
        title: None,
        category: None,
        columns: Vec::new(),
        rows: 0,
        skipped: None,
    };
    let plan = match header::plan_columns(&ahead, ctx.request.mapping.as_ref())? {
        Some(plan) if has_ref_code(&plan) => plan,
        found => {
            let why = match found {
                Some(_) => "没有档号列，也没有可组成档号的全宗号、目录号、案卷号、件号列；可用对照表（--mapping）指定哪一列是档号",
                None if ahead.is_empty() => "工作表为空",
                None => "前30行中找不到表头（至少需要认出两个字段，如档号、姓名）",
            };
            skip_sheet(ctx, name, ahead, rows, why, &mut sheet, report)?;
            report.sheets.push(sheet);
            return Ok(false);
        }
    };
    sheet.header_rows = plan
        .header_positions
        .iter()
        .map(|&p| ahead[p].number)
        .collect();
    sheet.title = plan.title.clone();
    sheet.columns = plan.report();
    sheet.category = choose_category(ctx.request, &plan, name, ctx.file_name);
    if report.category.is_none() {
        report.category = sheet.category.clone();
    }
    let category_from = |sources: &[&str]| {
        sheet
            .category
            .as_ref()
            .filter(|c| sources.contains(&c.source.as_str()))
            .map(|c| c.value.clone())
    };
    let (category, category_fallback) = (
        category_from(&["option", "title"]),
        category_from(&["sheet", "file_name"]),
    );
    let row_ctx = row::RowContext {
        category: category.as_deref(),
        category_fallback: category_fallback.as_deref(),
        shown_text: ctx.shown_text,
    };

    let first_data = plan.header_positions.last().map(|p| p + 1).unwrap_or(0);
    let mut pending = ahead.drain(first_data..).collect::<Vec<_>>().into_iter();
    loop {
        let next = match pending.next() {
            Some(r) => Some(r),
            None => rows.next_row()?,
        };
        let Some(source_row) = next else { break };
        if source_row.is_blank() {
            continue;
        }
        report.rows_read += 1;
        sheet.rows += 1;
        if let Some(why) = skip::skip_reason(&source_row, &plan) {
            report.rows_skipped += 1;
            ctx.warn(report, name, Some(source_row.number), None, why);
        } else {
            read_one(ctx, name, &source_row, &plan, row_ctx, writer, report)?;
        }
        if report.rows_read.is_multiple_of(FEED_EVERY_ROWS) {
            feed(writer.log_changes()?)?;
        }
        if report.rows_read.is_multiple_of(PROGRESS_EVERY_ROWS) {
            progress(&ImportProgress {
                file: ctx.file_name.to_string(),
                sheet: name.to_string(),
                rows_done: report.rows_read,
                bytes_done: rows.bytes_read(),
                bytes_total: ctx.bytes_total,
            });
        }
    }
    report.sheets.push(sheet);
    Ok(true)
}

fn read_one(
    ctx: &SheetContext,
    sheet: &str,
    source_row: &SourceRow,
    plan: &ColumnPlan,
    row_ctx: row::RowContext,
    writer: &mut BatchWriter,
    report: &mut FileReport,
) -> Result<()> {
    match row::read_row(source_row, plan, row_ctx) {
        row::RowOutcome::Rejected { column, reason } => {
            writer.reject(sheet, source_row.number, column.as_deref(), &reason)?;
            report.rows_rejected += 1;
            report.rejected.push(RejectedRow {
                file: ctx.file_name.to_string(),
                sheet: sheet.to_string(),
                row: source_row.number,
                column,
                reason,
            });
        }
        row::RowOutcome::Record(record) => {
            report.rows_accepted += 1;
            let outcome = writer.write(sheet, &record)?;
            match outcome.entry {
                Some(EntryWrite::New) => report.entries_new += 1,
                Some(EntryWrite::Updated) => report.entries_updated += 1,
                Some(EntryWrite::Unchanged) => report.entries_unchanged += 1,
                Some(EntryWrite::Duplicate) => {
                    report.duplicate_rows += 1;
                    let message = "与本文件中已导入的一行完全相同，只保留一次".to_string();
                    ctx.warn(report, sheet, Some(source_row.number), None, message);
                }
                None => report.document_rows += 1,
            }
            for (label, value) in outcome.disagreements {
                let message = format!(
                    "同一档号前面的行写的{label}不同，案卷保留前者；此行的「{}」记在本行条目上",
                    value.chars().take(40).collect::<String>()
                );
                ctx.warn(report, sheet, Some(source_row.number), Some(label), message);
            }
            for (column, message) in &record.notes {
                ctx.warn(
                    report,
                    sheet,
                    Some(source_row.number),
                    column.clone(),
                    message.clone(),
                );
            }
        }
    }
    Ok(())
}

fn has_ref_code(plan: &ColumnPlan) -> bool {
    plan.has(Field::RefCode) || plan.ref_code_parts().is_some()
}

/// A sheet without a catalogue: its rows are counted as skipped and the reason said, so that
/// nothing disappears without a word (and `--strict` fails).
fn skip_sheet(
    ctx: &SheetContext,
    name: &str,
    ahead: Vec<SourceRow>,
    rows: &mut dyn RowStream,
    why: &str,
    sheet: &mut SheetReport,
    report: &mut FileReport,
) -> Result<()> {
    let mut count = ahead.len();
    while let Some(r) = rows.next_row()? {
        if !r.is_blank() {
            count += 1;
        }
    }
    sheet.skipped = Some(why.to_string());
    sheet.rows = count;
    report.rows_read += count;
    report.rows_skipped += count;
    if count > 0 {
        let label = if name.is_empty() {
            "文件".to_string()
        } else {
            format!("工作表「{name}」")
        };
        ctx.warn(
            report,
            name,
            None,
            None,
            format!("{label}的 {count} 行未导入：{why}"),
        );
    }
    Ok(())
}

fn choose_category(
    request: &ImportRequest,
    plan: &ColumnPlan,
    sheet: &str,
    file_name: &str,
) -> Option<CategoryChoice> {
    if let Some(c) = &request.category {
        return Some(CategoryChoice {
            value: c.clone(),
            source: "option".to_string(),
        });
    }
    if plan.has(Field::Category) {
        return Some(CategoryChoice {
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
        plan.has(Field::Title).then(|| CategoryChoice {
            value: "如「退休」→退休审批".to_string(),
            source: "document_title".to_string(),
        })
    })
}
