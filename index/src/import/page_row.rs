//! A table row the recognizer read on a scanned page, made a catalogue row by the clerk: the
//! page's rows with the field each cell stands under on the page's header (a suggestion the
//! clerk checks against the scan), and the values the clerk confirmed, read exactly as an
//! imported catalogue's cells are (`read_row`) and written as an entry of the page's document.
//! That entry joins the person timeline like any imported row. This is how a volume catalogued
//! by volume only becomes a person index, one confirmed row at a time.

use super::cell::{Cell, SourceRow};
use super::fields::Field;
use super::header::plan_columns;
use super::row::{read_row, RowContext, RowOutcome};
use crate::api::{FileReport, PageCell, PageRowValues, PageTableRow};
use crate::error::{Error, ErrorCode, Result};
use crate::ocr::stored_lines::StoredLine;
use crate::ocr::table_rows::{self, Placed};
use crate::store::rows::RowRecord;
use crate::store::writer::{BatchWriter, EntryWrite, NewBatch};
use rusqlite::{Connection, OptionalExtension, Transaction};

/// How a confirmed row's batch is named among the imports.
pub use crate::store::rows::PAGE_ROW_BATCH as SOURCE_NAME;

/// The fields a clerk confirms, in the order the values are read.
const CONFIRMED_FIELDS: [Field; 9] = [
    Field::Name,
    Field::Gender,
    Field::BirthDate,
    Field::IdNumber,
    Field::WorkUnit,
    Field::WorkStart,
    Field::RetireDate,
    Field::WageBefore,
    Field::WageAfter,
];

/// A header row names at least this many of the confirmed fields, 姓名 among them.
const HEADER_FIELDS: usize = 2;

fn value_of(values: &PageRowValues, field: Field) -> Option<&str> {
    let value = match field {
        Field::Name => Some(&values.name),
        Field::Gender => values.gender.as_ref(),
        Field::BirthDate => values.birth_date.as_ref(),
        Field::IdNumber => values.id_number.as_ref(),
        Field::WorkUnit => values.work_unit.as_ref(),
        Field::WorkStart => values.work_start.as_ref(),
        Field::RetireDate => values.retire_date.as_ref(),
        Field::WageBefore => values.wage_before.as_ref(),
        Field::WageAfter => values.wage_after.as_ref(),
        _ => None,
    };
    value.map(|v| v.trim()).filter(|v| !v.is_empty())
}

/// The document's sheet a confirmed row is kept under, and its place: the page.
pub fn sheet_of(page_no: i64) -> String {
    format!("扫描页第{page_no}页")
}

/// A confirmed row's key: where it stands on the page as read from this file, so that
/// confirming the row again (a misread name corrected) changes that entry instead of adding a
/// second one. A page scanned again is read again and its rows may fall otherwise: its
/// confirmations are other entries, and the earlier ones stay as they were.
pub fn entry_key(ref_key: &str, page_no: i64, checksum: &str, row_no: i64) -> String {
    let file: String = checksum.chars().take(16).collect();
    format!("{ref_key}/扫描页{page_no}/{file}/{row_no}")
}

fn span_x(line: &StoredLine) -> (f32, f32) {
    let xs = line.corners().map(|p| p.0);
    (
        xs.iter().copied().fold(f32::INFINITY, f32::min),
        xs.iter().copied().fold(f32::NEG_INFINITY, f32::max),
    )
}

/// A header column: its left and right edge on the page, and the field it names.
type Column = ((f32, f32), Option<Field>);

/// The fields a row's cells name, when it is a header row.
fn header_fields(lines: &[StoredLine], row: &[usize]) -> Option<Vec<Option<Field>>> {
    let fields: Vec<Option<Field>> = row
        .iter()
        .map(|&i| Field::from_header(&lines[i].text))
        .map(|f| f.filter(|f| CONFIRMED_FIELDS.contains(f)))
        .collect();
    let named = fields.iter().flatten().count();
    (named >= HEADER_FIELDS && fields.contains(&Some(Field::Name))).then_some(fields)
}

/// The field of the header column a cell stands under: the one its centre lies in, else the
/// nearest (a column the header names no field for, such as 序号, gives none).
fn column_under(columns: &[Column], cell: (f32, f32)) -> Option<Field> {
    let centre = (cell.0 + cell.1) / 2.0;
    columns
        .iter()
        .min_by(|a, b| {
            let distance = |((left, right), _): &Column| {
                if centre < *left {
                    left - centre
                } else if centre > *right {
                    centre - right
                } else {
                    0.0
                }
            };
            distance(a).total_cmp(&distance(b))
        })
        .and_then(|(_, field)| *field)
}

/// The page's rows as read, top to bottom, each cell with the field it stands under on the
/// first header row (none above that row, nor on a page without one).
pub fn page_table(lines: &[StoredLine]) -> Vec<PageTableRow> {
    let rows = table_rows::rows(lines);
    let mut columns: Option<Vec<Column>> = None;
    let mut table = Vec::with_capacity(rows.len());
    for (n, row) in rows.iter().enumerate() {
        // The header is printed again at the top of a table's continuation: each is a header,
        // the first gives the columns.
        let is_header = match header_fields(lines, row) {
            Some(fields) => {
                if columns.is_none() {
                    let named = row
                        .iter()
                        .zip(fields)
                        .map(|(&i, f)| (span_x(&lines[i]), f))
                        .collect();
                    columns = Some(named);
                }
                true
            }
            None => false,
        };
        let cells = row
            .iter()
            .map(|&i| PageCell {
                text: lines[i].text.trim().to_string(),
                quad: lines[i].quad,
                field: match (&columns, is_header) {
                    (Some(columns), false) => column_under(columns, span_x(&lines[i])),
                    _ => None,
                },
            })
            .collect();
        table.push(PageTableRow {
            row_no: n as i64 + 1,
            cells,
            header: is_header,
            entry_id: None,
            confirmed_in: None,
        });
    }
    table
}

/// Between two cells under one column: a name's parts go together (王 秀英), numbers stay apart.
pub fn joint(field: Field) -> &'static str {
    if field == Field::Name {
        ""
    } else {
        " "
    }
}

/// The fields whose confirmed value differs from what the recognizer read under them: what
/// the clerk corrected, for the audit trail (the values themselves stay out of it).
pub fn corrected_fields(row: &PageTableRow, values: &PageRowValues) -> Vec<Field> {
    CONFIRMED_FIELDS
        .into_iter()
        .filter(|&field| {
            let read: Vec<&str> = row
                .cells
                .iter()
                .filter(|c| c.field == Some(field))
                .map(|c| c.text.as_str())
                .collect();
            let read = (!read.is_empty()).then(|| read.join(joint(field)));
            value_of(values, field) != read.as_deref()
        })
        .collect()
}

/// The row the clerk confirmed, read as an import reads a catalogue row with these columns.
/// Refused with the field and the reason when a value cannot stand, as an import refuses a row;
/// an ID number that fails its check is refused unless the clerk keeps it as printed.
pub fn confirmed_record(
    ref_code: &str,
    page_no: i64,
    row_no: i64,
    values: &PageRowValues,
    id_as_printed: bool,
) -> Result<RowRecord> {
    let refused = |message: String| Error::new(ErrorCode::InvalidRequest, message);
    if value_of(values, Field::Name).is_none() {
        return Err(refused("请填写姓名：没有姓名的行不能成为人员条目".into()));
    }
    let mut headers = vec![Field::RefCode.label(), Field::Page.label()];
    let mut cells = vec![
        Cell::Text(ref_code.to_string()),
        Cell::Text(page_no.to_string()),
    ];
    for field in CONFIRMED_FIELDS {
        headers.push(field.label());
        cells.push(match value_of(values, field) {
            Some(v) => Cell::Text(v.to_string()),
            None => Cell::Empty,
        });
    }
    let header = SourceRow {
        number: 0,
        cells: headers.into_iter().map(|h| Cell::Text(h.into())).collect(),
        decode_error: None,
    };
    let row = SourceRow {
        number: row_no.max(0) as usize,
        cells,
        decode_error: None,
    };
    let plan = plan_columns(&[header, row.clone()], None)?
        .ok_or_else(|| Error::new(ErrorCode::Io, "确认的列无法识别"))?;
    let record = match read_row(&row, &plan, RowContext::default()) {
        RowOutcome::Record(record) => *record,
        RowOutcome::Rejected { column, reason } => {
            return Err(refused(match column {
                Some(column) => format!("{column}：{reason}"),
                None => reason,
            }))
        }
    };
    let Some(person) = &record.person else {
        return Err(refused("姓名无法识别为人名，请核对".into()));
    };
    if let (Some(status), Some(raw)) = (person.id_status, &person.id_raw) {
        if !status.is_valid() && !id_as_printed {
            return Err(refused(format!(
                "身份证号「{}」{}：多为识别错误，请对照扫描页核对；若原件确实如此，请选择按原样保留",
                crate::text::mask_id(raw),
                status.message_zh()
            )));
        }
    }
    Ok(record)
}

/// Writes a confirmed row into the page's document as a batch of its own; returns the entry's
/// id and what happened to it.
pub fn write_confirmed(
    tx: &Transaction,
    document_id: i64,
    key: &str,
    page_no: i64,
    record: &RowRecord,
) -> Result<(i64, EntryWrite)> {
    let row_no = record.source_row as i64;
    let where_on_page = format!("{} 第{page_no}页 第{row_no}行", record.doc.ref_code);
    let batch = NewBatch {
        source_name: SOURCE_NAME,
        source_path: &where_on_page,
        checksum: &record.content_hash,
        options: "{}",
        format: SOURCE_NAME,
        category: None,
    };
    let mut writer = BatchWriter::begin(tx, &batch, None)?;
    let written = writer.write_to_document(document_id, key, &sheet_of(page_no), record)?;
    let mut report = FileReport::new(where_on_page);
    report.rows_read = 1;
    report.rows_accepted = 1;
    writer.finish(&mut report, &[], "{}")?;
    let entry_id = tx.query_row("SELECT id FROM entries WHERE entry_key = ?1", [key], |r| {
        r.get(0)
    })?;
    Ok((entry_id, written))
}

/// The catalogue row a clerk made of a page's row (read from this file), if it is still in the
/// catalogue: its id, and the confirmation (batch) that wrote it last.
pub fn confirmed_entry(conn: &Connection, key: &str) -> Result<Option<(i64, i64)>> {
    Ok(conn
        .query_row(
            "SELECT id, batch_id FROM entries WHERE entry_key = ?1 AND superseded_at IS NULL",
            [key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// The document's 档号 as written and as keyed.
pub fn document_ref(conn: &Connection, document_id: i64) -> Result<(String, String)> {
    conn.query_row(
        "SELECT ref_code, ref_key FROM documents WHERE id = ?1",
        [document_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .ok_or_else(|| {
        Error::new(
            ErrorCode::NotFound,
            format!("没有编号为 {document_id} 的案卷"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, x: f32, y: f32, w: f32) -> StoredLine {
        StoredLine {
            text: text.into(),
            confidence: 0.9,
            quad: [x, y, x + w, y, x + w, y + 20.0, x, y + 20.0],
            chars: Vec::new(),
        }
    }

    #[test]
    fn cells_under_the_header_are_given_its_fields() {
        let lines = vec![
            line("城关镇供销社1998年职工工资调整审批表", 100.0, 20.0, 500.0),
            line("序号", 50.0, 100.0, 40.0),
            line("姓名", 120.0, 100.0, 60.0),
            line("身份证号码", 260.0, 100.0, 200.0),
            line("调整后工资", 520.0, 100.0, 100.0),
            line("1", 55.0, 140.0, 10.0),
            line("张三丰", 118.0, 141.0, 66.0),
            // Narrower than its header, and a little to the left of it.
            line("410102195603120018", 250.0, 139.0, 190.0),
            line("412.00", 540.0, 140.0, 60.0),
        ];
        let table = page_table(&lines);
        assert_eq!(table.len(), 3);
        assert!(!table[0].header && table[0].cells[0].field.is_none());
        assert!(table[1].header);
        let row = &table[2];
        let fields: Vec<_> = row
            .cells
            .iter()
            .map(|c| (c.text.as_str(), c.field))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("1", None),
                ("张三丰", Some(Field::Name)),
                ("410102195603120018", Some(Field::IdNumber)),
                ("412.00", Some(Field::WageAfter)),
            ]
        );
        let values = PageRowValues {
            name: "张三峰".into(),
            id_number: Some("410102195603120018".into()),
            wage_after: Some("412.00".into()),
            ..Default::default()
        };
        assert_eq!(corrected_fields(row, &values), vec![Field::Name]);
    }

    #[test]
    fn a_page_without_a_header_suggests_nothing() {
        let lines = vec![
            line("张三丰", 100.0, 100.0, 60.0),
            line("男", 200.0, 100.0, 20.0),
        ];
        let table = page_table(&lines);
        assert!(table.iter().all(|r| !r.header));
        assert!(table[0].cells.iter().all(|c| c.field.is_none()));
    }

    #[test]
    fn a_confirmed_row_is_read_as_an_imported_one() {
        let values = PageRowValues {
            name: " 张三丰 ".into(),
            id_number: Some("410102195603120018".into()),
            wage_after: Some("412.00".into()),
            birth_date: Some("1956.03".into()),
            ..Default::default()
        };
        let record = confirmed_record("J012-WS-1998-Y-0046", 3, 5, &values, false).unwrap();
        let person = record.person.unwrap();
        assert_eq!(person.name, "张三丰");
        assert_eq!(person.id_key.as_deref(), Some("410102195603120018"));
        assert_eq!(person.birth_key.as_deref(), Some("1956-03"));
        assert_eq!(person.wage_after_amount, Some(412.0));
        assert_eq!(person.page.as_deref(), Some("3"));
        assert_eq!(record.source_row, 5);
    }

    #[test]
    fn a_misread_id_is_refused_unless_kept_as_printed() {
        let values = PageRowValues {
            name: "张三丰".into(),
            // The check digit of 410102195603120018 misread as 4.
            id_number: Some("410102195603120014".into()),
            ..Default::default()
        };
        let refused = confirmed_record("J012-WS-1998-Y-0046", 1, 2, &values, false).unwrap_err();
        assert!(refused.message.contains("身份证号"), "{}", refused.message);
        assert!(
            !refused.message.contains("195603120014"),
            "{}",
            refused.message
        );
        let kept = confirmed_record("J012-WS-1998-Y-0046", 1, 2, &values, true).unwrap();
        assert!(!kept.person.unwrap().id_status.unwrap().is_valid());
        let nameless = PageRowValues {
            name: "  ".into(),
            ..values
        };
        assert!(confirmed_record("J012-WS-1998-Y-0046", 1, 2, &nameless, false).is_err());
    }
}
