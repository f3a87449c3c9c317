//! XLSX and XLS workbooks through calamine, every sheet. XLSX sheets are streamed cell by cell
//! with each cell's number format, so a year.month typed as a number can be read as shown.

use super::cell::{Cell, SourceRow};
use super::counted_file::CountedFile;
use super::merges::{MergeFill, Region};
use super::source::{RowStream, Workbook};
use crate::error::{Error, ErrorCode, Result};
use crate::text::date::PartialDate;
use calamine::{Data, DataRef, Dimensions, Reader, Xls, Xlsx};
use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

type Source = BufReader<CountedFile>;

fn open_counted(path: &Path, name: &str, read: Arc<AtomicU64>) -> Result<Source> {
    let file = File::open(path)
        .map_err(|e| Error::new(ErrorCode::Io, format!("无法读取「{name}」：{e}")))?;
    Ok(BufReader::new(CountedFile::new(file, read)))
}

fn refused(name: &str, what: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorCode::FileRefused,
        format!("文件「{name}」无法作为表格读取（{what}），未导入"),
    )
}

fn regions(dims: Vec<Dimensions>) -> Vec<Region> {
    dims.into_iter()
        .map(|d| Region {
            first_row: d.start.0,
            last_row: d.end.0,
            first_col: d.start.1,
            last_col: d.end.1,
        })
        .collect()
}

/// Decimals a number format shows: "0.00" → 2, "#,##0.0" → 1, "General" → None.
fn format_decimals(code: &str, id: Option<u32>) -> Option<u8> {
    match id {
        Some(2) | Some(4) => return Some(2),
        Some(1) | Some(3) => return Some(0),
        _ => {}
    }
    let section = code.split(';').next().unwrap_or("");
    if section.is_empty() || section.eq_ignore_ascii_case("general") {
        return None;
    }
    let after_point = section.split_once('.').map(|(_, rest)| rest)?;
    Some(
        after_point
            .chars()
            .take_while(|c| *c == '0' || *c == '#')
            .count() as u8,
    )
}

/// What a date format shows: (month, day). "yyyy年m月" and "yyyy.mm" show no day, so the
/// value's day was never written and is not kept.
fn date_parts_shown(code: &str, id: Option<u32>) -> (bool, bool) {
    // Built-in formats (calamine reports their code as "General"): the year-month ones of
    // Excel and WPS in Chinese, e.g. 57 = yyyy"年"m"月"; the others with a date show a day.
    match id {
        Some(17 | 27 | 36 | 50 | 52 | 57) => return (true, false),
        Some(14..=16 | 22 | 28..=31 | 51 | 53 | 54 | 58) => return (true, true),
        _ => {}
    }
    if code.is_empty() || code.eq_ignore_ascii_case("general") {
        return (true, true);
    }
    let mut shown = String::new();
    let mut quoted = false;
    let mut escaped = false;
    for c in code.split(';').next().unwrap_or("").chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '[' if !quoted => shown.push('['),
            _ if !quoted => shown.push(c.to_ascii_lowercase()),
            _ => {}
        }
    }
    let shown: String = shown
        .split('[')
        .map(|part| part.split_once(']').map(|(_, rest)| rest).unwrap_or(part))
        .collect();
    (
        shown.contains('m') || shown.contains('d'),
        shown.contains('d'),
    )
}

fn excel_date(dt: &calamine::ExcelDateTime, shown: (bool, bool)) -> Cell {
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    let (month, day) = shown;
    Cell::Date(PartialDate {
        year: y as i32,
        month: month.then_some(m),
        day: (month && day).then_some(d),
    })
}

fn iso_date(s: &str) -> Cell {
    crate::text::date::parse_date(s.get(..10).unwrap_or(s))
        .map(|p| Cell::Date(p.date))
        .unwrap_or_else(|_| Cell::Text(s.to_string()))
}

pub struct XlsxWorkbook {
    book: Xlsx<Source>,
    name: String,
}

impl XlsxWorkbook {
    pub fn open(path: &Path, name: &str) -> Result<Self> {
        Self::open_counted(path, name, Arc::default())
    }

    /// Opens the workbook counting into `read` the bytes the parser reads, from the first.
    pub fn open_counted(path: &Path, name: &str, read: Arc<AtomicU64>) -> Result<Self> {
        super::zip_guard::check_zip(path, name)?;
        let source = open_counted(path, name, read)?;
        let book = Xlsx::new(source).map_err(|e| refused(name, e))?;
        Ok(XlsxWorkbook {
            book,
            name: name.to_string(),
        })
    }
}

impl Workbook for XlsxWorkbook {
    fn describe(&self) -> String {
        "XLSX".to_string()
    }

    fn sheet_names(&self) -> Vec<String> {
        self.book.sheet_names()
    }

    fn open_sheet<'a>(&'a mut self, sheet: &str) -> Result<Box<dyn RowStream + Send + 'a>> {
        // Opened on the first row asked for, which is on the parsing thread (`read_ahead`):
        // finding the merged cells reads the whole sheet once before its rows are read.
        Ok(Box::new(XlsxRows {
            unopened: Some((&mut self.book, sheet.to_string())),
            reader: None,
            fill: MergeFill::new(Vec::new()),
            pending: None,
            done: false,
            file: self.name.clone(),
        }))
    }
}

struct XlsxRows<'a> {
    /// The workbook and the sheet, until the sheet is opened.
    unopened: Option<(&'a mut Xlsx<Source>, String)>,
    reader: Option<calamine::XlsxCellReader<'a, Source>>,
    fill: MergeFill,
    /// The first cell of the next row, read while finishing the current one.
    pending: Option<(u32, u32, Cell)>,
    done: bool,
    file: String,
}

impl<'a> XlsxRows<'a> {
    /// Reads the sheet's merged cells, then starts reading its cells.
    fn open(&mut self) -> Result<()> {
        if let Some((book, sheet)) = self.unopened.take() {
            let merges = book
                .merge_cells_by_sheet_name(&sheet)
                .map_err(|e| refused(&self.file, e))?;
            self.fill = MergeFill::new(regions(merges));
            self.reader = Some(
                book.worksheet_cells_reader(&sheet)
                    .map_err(|e| refused(&self.file, e))?,
            );
        }
        Ok(())
    }

    fn next_cell(&mut self) -> Result<Option<(u32, u32, Cell)>> {
        self.open()?;
        let reader = self.reader.as_mut().expect("opened above");
        let Some((cell, style)) = reader
            .next_cell_with_style_id()
            .map_err(|e| refused(&self.file, e))?
        else {
            return Ok(None);
        };
        let (row, col) = cell.get_position();
        let value = match cell.get_value() {
            DataRef::Empty => Cell::Empty,
            DataRef::String(s) => Cell::Text(s.clone()),
            DataRef::SharedString(s) => Cell::Text(s.to_string()),
            DataRef::Int(i) => Cell::Number {
                value: *i as f64,
                decimals: None,
            },
            DataRef::Float(f) => {
                let decimals = reader
                    .styles()
                    .get(style)
                    .and_then(|s| s.number_format.as_ref())
                    .and_then(|nf| format_decimals(&nf.format_code, nf.format_id));
                Cell::Number {
                    value: *f,
                    decimals,
                }
            }
            DataRef::Bool(b) => Cell::Bool(*b),
            DataRef::DateTime(dt) if dt.is_datetime() => {
                let shown = reader
                    .styles()
                    .get(style)
                    .and_then(|s| s.number_format.as_ref())
                    .map(|nf| date_parts_shown(&nf.format_code, nf.format_id))
                    .unwrap_or((true, true));
                excel_date(dt, shown)
            }
            DataRef::DateTime(dt) => Cell::Number {
                value: dt.as_f64(),
                decimals: None,
            },
            DataRef::DateTimeIso(s) => iso_date(s),
            DataRef::DurationIso(s) => Cell::Text(s.clone()),
            DataRef::Error(e) => Cell::Text(format!("#{e}")),
        };
        Ok(Some((row, col, value)))
    }
}

impl RowStream for XlsxRows<'_> {
    fn next_row(&mut self) -> Result<Option<SourceRow>> {
        if self.done {
            return Ok(None);
        }
        let first = match self.pending.take() {
            Some(c) => Some(c),
            None => self.next_cell()?,
        };
        let Some((row, col, value)) = first else {
            self.done = true;
            return Ok(None);
        };
        let mut cells = Vec::new();
        let put = |cells: &mut Vec<Cell>, col: u32, value: Cell| {
            let col = col as usize;
            if cells.len() <= col {
                cells.resize(col + 1, Cell::Empty);
            }
            cells[col] = value;
        };
        put(&mut cells, col, value);
        loop {
            match self.next_cell()? {
                Some((r, c, v)) if r == row => put(&mut cells, c, v),
                Some(next) => {
                    self.pending = Some(next);
                    break;
                }
                None => {
                    self.done = true;
                    break;
                }
            }
        }
        self.fill.fill(row, &mut cells);
        Ok(Some(SourceRow {
            number: row as usize + 1,
            cells,
            decode_error: None,
        }))
    }
}

/// Legacy .xls (BIFF) through calamine; such files are small, so a sheet is read whole.
pub struct XlsWorkbook {
    book: Xls<Source>,
    name: String,
}

impl XlsWorkbook {
    pub fn open(path: &Path, name: &str) -> Result<Self> {
        Self::open_counted(path, name, Arc::default())
    }

    /// Opens the workbook counting into `read` the bytes the parser reads, from the first.
    pub fn open_counted(path: &Path, name: &str, read: Arc<AtomicU64>) -> Result<Self> {
        let source = open_counted(path, name, read)?;
        let book = Xls::new(source).map_err(|e| refused(name, e))?;
        Ok(XlsWorkbook {
            book,
            name: name.to_string(),
        })
    }
}

impl Workbook for XlsWorkbook {
    fn describe(&self) -> String {
        "XLS".to_string()
    }

    fn sheet_names(&self) -> Vec<String> {
        self.book.sheet_names()
    }

    fn open_sheet<'a>(&'a mut self, sheet: &str) -> Result<Box<dyn RowStream + Send + 'a>> {
        let merges = regions(
            self.book
                .merge_cells_by_sheet_name(sheet)
                .unwrap_or_default(),
        );
        let range = self
            .book
            .worksheet_range(sheet)
            .map_err(|e| refused(&self.name, e))?;
        let start_row = range.start().map(|(r, _)| r).unwrap_or(0);
        let start_col = range.start().map(|(_, c)| c).unwrap_or(0) as usize;
        let rows: Vec<(u32, Vec<Cell>)> = range
            .rows()
            .enumerate()
            .map(|(i, row)| {
                let mut cells = vec![Cell::Empty; start_col];
                cells.extend(row.iter().map(|d| match d {
                    Data::Empty => Cell::Empty,
                    Data::String(s) => Cell::Text(s.clone()),
                    Data::Int(i) => Cell::Number {
                        value: *i as f64,
                        decimals: None,
                    },
                    Data::Float(f) => Cell::Number {
                        value: *f,
                        decimals: None,
                    },
                    Data::Bool(b) => Cell::Bool(*b),
                    Data::DateTime(dt) if dt.is_datetime() => excel_date(dt, (true, true)),
                    Data::DateTime(dt) => Cell::Number {
                        value: dt.as_f64(),
                        decimals: None,
                    },
                    Data::DateTimeIso(s) => iso_date(s),
                    Data::DurationIso(s) => Cell::Text(s.clone()),
                    Data::Error(e) => Cell::Text(format!("#{e}")),
                }));
                (start_row + i as u32, cells)
            })
            .collect();
        Ok(Box::new(XlsRows {
            rows: rows.into_iter(),
            fill: MergeFill::new(merges),
        }))
    }
}

struct XlsRows {
    rows: std::vec::IntoIter<(u32, Vec<Cell>)>,
    fill: MergeFill,
}

impl RowStream for XlsRows {
    fn next_row(&mut self) -> Result<Option<SourceRow>> {
        let Some((row, mut cells)) = self.rows.next() else {
            return Ok(None);
        };
        self.fill.fill(row, &mut cells);
        Ok(Some(SourceRow {
            number: row as usize + 1,
            cells,
            decode_error: None,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::{date_parts_shown, format_decimals};

    #[test]
    fn date_formats_tell_the_precision_written() {
        assert_eq!(date_parts_shown("yyyy\"年\"m\"月\"", None), (true, false));
        assert_eq!(date_parts_shown("yyyy.mm", None), (true, false));
        assert_eq!(date_parts_shown("yyyy-mm-dd", None), (true, true));
        assert_eq!(
            date_parts_shown("[$-804]yyyy\"年\"m\"月\"d\"日\"", None),
            (true, true)
        );
        assert_eq!(date_parts_shown("yyyy", None), (false, false));
        assert_eq!(date_parts_shown("General", Some(14)), (true, true));
        assert_eq!(
            date_parts_shown("General", Some(57)),
            (true, false),
            "yyyy年m月 in Chinese Excel"
        );
        assert_eq!(
            date_parts_shown("General", Some(31)),
            (true, true),
            "yyyy年m月d日"
        );
        assert_eq!(
            date_parts_shown("General", None),
            (true, true),
            "unknown: the value as stored"
        );
    }

    #[test]
    fn number_formats_tell_decimals() {
        assert_eq!(format_decimals("0.00", None), Some(2));
        assert_eq!(format_decimals("#,##0.0", None), Some(1));
        assert_eq!(format_decimals("General", None), None);
        assert_eq!(format_decimals("", Some(2)), Some(2));
        assert_eq!(format_decimals("0", None), None);
    }
}
