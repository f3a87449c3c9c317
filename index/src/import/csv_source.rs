//! CSV as Excel on Chinese Windows saves it (GB18030/GBK, CRLF) or as other tools do (UTF-8,
//! with or without a BOM). The encoding is found from the bytes; a row with bytes that do not
//! decode is rejected on its own, the rest of the file is read.

use super::cell::{Cell, SourceRow};
use super::record_limit::{RecordLimit, MAX_RECORD_BYTES, TOO_LONG};
use super::source::{RowStream, Workbook};
use crate::error::{Error, ErrorCode, Result};
use encoding_rs::GB18030;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// How far into the file the encoding is judged. Large enough to hold Chinese text in most
/// catalogues; a GBK file is rarely valid UTF-8 for that long.
const SNIFF_BYTES: u64 = 1 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Gb18030,
}

impl TextEncoding {
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8（带BOM）",
            TextEncoding::Gb18030 => "GB18030/GBK",
        }
    }

    fn decode(self, bytes: &[u8]) -> Option<String> {
        match self {
            TextEncoding::Utf8 | TextEncoding::Utf8Bom => {
                std::str::from_utf8(bytes).ok().map(str::to_owned)
            }
            TextEncoding::Gb18030 => GB18030
                .decode_without_bom_handling_and_without_replacement(bytes)
                .map(|s| s.into_owned()),
        }
    }
}

pub fn detect_encoding(path: &Path) -> Result<TextEncoding> {
    let mut sample = Vec::new();
    File::open(path)
        .and_then(|f| f.take(SNIFF_BYTES).read_to_end(&mut sample))
        .map_err(|e| {
            Error::new(
                ErrorCode::Io,
                format!("无法读取「{}」：{e}", path.display()),
            )
        })?;
    if sample.starts_with(b"\xEF\xBB\xBF") {
        return Ok(TextEncoding::Utf8Bom);
    }
    match std::str::from_utf8(&sample) {
        Ok(_) => Ok(TextEncoding::Utf8),
        // A sample cut in the middle of a character is still UTF-8.
        Err(e) if e.error_len().is_none() => Ok(TextEncoding::Utf8),
        Err(_) => Ok(TextEncoding::Gb18030),
    }
}

/// Comma, unless the first line clearly uses tabs or semicolons.
fn detect_delimiter(path: &Path) -> u8 {
    let mut head = Vec::new();
    let _ = File::open(path).and_then(|f| f.take(64 * 1024).read_to_end(&mut head));
    let first_line = head.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let count = |d: u8| first_line.iter().filter(|&&b| b == d).count();
    let (commas, tabs, semis) = (count(b','), count(b'\t'), count(b';'));
    if tabs > commas && tabs >= semis {
        b'\t'
    } else if semis > commas {
        b';'
    } else {
        b','
    }
}

pub struct CsvWorkbook {
    path: PathBuf,
    encoding: TextEncoding,
    delimiter: u8,
}

impl CsvWorkbook {
    pub fn open(path: &Path) -> Result<Self> {
        Ok(CsvWorkbook {
            path: path.to_path_buf(),
            encoding: detect_encoding(path)?,
            delimiter: detect_delimiter(path),
        })
    }
}

impl Workbook for CsvWorkbook {
    fn describe(&self) -> String {
        let sep = match self.delimiter {
            b'\t' => "制表符分隔",
            b';' => "分号分隔",
            _ => "逗号分隔",
        };
        format!("CSV，{}，{sep}", self.encoding.label())
    }

    fn sheet_names(&self) -> Vec<String> {
        vec![String::new()]
    }

    fn open_sheet<'a>(&'a mut self, _name: &str) -> Result<Box<dyn RowStream + Send + 'a>> {
        let open = || -> Result<BufReader<File>> {
            let io = |e: std::io::Error| {
                Error::new(
                    ErrorCode::Io,
                    format!("无法读取「{}」：{e}", self.path.display()),
                )
            };
            let mut file = BufReader::new(File::open(&self.path).map_err(io)?);
            if self.encoding == TextEncoding::Utf8Bom {
                file.read_exact(&mut [0u8; 3]).map_err(io)?;
            }
            Ok(file)
        };
        let record_start = Arc::new(AtomicU64::new(0));
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(self.delimiter)
            // Records end at '\n' (the '\r' of CRLF is dropped below), so that a CRLF file
            // never yields an empty record between two lines.
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(RecordLimit::new(open()?, Arc::clone(&record_start)));
        Ok(Box::new(CsvRows {
            reader,
            record_start,
            record: csv::ByteRecord::new(),
            encoding: self.encoding,
            lines: LineCounter {
                reader: open()?,
                at: 0,
                breaks: 0,
                last: 0,
            },
            breaks_in_cells: 0,
            file: self.path.display().to_string(),
        }))
    }
}

/// Line numbers by byte offset, read alongside the CSV reader, which skips blank lines
/// without counting them.
struct LineCounter {
    reader: BufReader<File>,
    at: u64,
    breaks: usize,
    last: u8,
}

impl LineCounter {
    /// Line breaks before `offset`, and whether the byte before it was one; offsets only grow.
    fn breaks_before(&mut self, offset: u64) -> (usize, bool) {
        while self.at < offset {
            let Ok(buf) = self.reader.fill_buf() else {
                break;
            };
            if buf.is_empty() {
                break;
            }
            let take = buf.len().min((offset - self.at) as usize);
            self.breaks += buf[..take].iter().filter(|&&b| b == b'\n').count();
            self.last = buf[take - 1];
            self.reader.consume(take);
            self.at += take as u64;
        }
        (self.breaks, self.last == b'\n')
    }
}

struct CsvRows {
    reader: csv::Reader<RecordLimit<BufReader<File>>>,
    /// Where the next record begins, for the bound on its length.
    record_start: Arc<AtomicU64>,
    record: csv::ByteRecord,
    encoding: TextEncoding,
    lines: LineCounter,
    breaks_in_cells: usize,
    file: String,
}

impl RowStream for CsvRows {
    fn bytes_read(&self) -> Option<u64> {
        Some(self.reader.position().byte())
    }

    fn next_row(&mut self) -> Result<Option<SourceRow>> {
        let more = self
            .reader
            .read_byte_record(&mut self.record)
            .map_err(|e| {
                if e.to_string().contains(TOO_LONG) {
                    let start = self.record_start.load(Ordering::Relaxed);
                    let (breaks, _) = self.lines.breaks_before(start);
                    return Error::new(
                        ErrorCode::FileRefused,
                        format!(
                            "CSV文件「{}」从第 {} 行起的一行超过 {} MB，不像目录（文件可能已损坏，或引号没有配对），已拒绝整个文件",
                            self.file,
                            breaks + 1 - self.breaks_in_cells.min(breaks),
                            MAX_RECORD_BYTES >> 20
                        ),
                    );
                }
                Error::new(
                    ErrorCode::FileRefused,
                    format!("读取CSV文件「{}」失败：{e}", self.file),
                )
            })?;
        self.record_start
            .store(self.reader.position().byte(), Ordering::Relaxed);
        if !more {
            return Ok(None);
        }
        // Rows are numbered as Excel shows the file: by text lines (blank ones count; the
        // reader skips them), less the line breaks inside quoted cells, which Excel shows within
        // one row. The record's first line is found from where it ends.
        let inner: usize = self
            .record
            .iter()
            .map(|f| f.iter().filter(|&&b| b == b'\n').count())
            .sum();
        let (breaks, ended_with_break) = self.lines.breaks_before(self.reader.position().byte());
        let last_line = if ended_with_break { breaks } else { breaks + 1 };
        let first_line = last_line.saturating_sub(inner).max(1);
        let number = first_line.saturating_sub(self.breaks_in_cells).max(1);
        self.breaks_in_cells += inner;
        let mut cells = Vec::with_capacity(self.record.len());
        let mut decode_error = None;
        let last = self.record.len().saturating_sub(1);
        for (col, field) in self.record.iter().enumerate() {
            let field = match col == last {
                true => field.strip_suffix(b"\r").unwrap_or(field),
                false => field,
            };
            match self.encoding.decode(field) {
                Some(text) if text.trim().is_empty() => cells.push(Cell::Empty),
                Some(text) => cells.push(Cell::Text(text)),
                None => {
                    decode_error.get_or_insert_with(|| super::cell::DecodeError {
                        column: Some(col),
                        reason: format!(
                            "含有无法按{}解码的字节（文件可能混用了编码或已损坏）",
                            self.encoding.label()
                        ),
                    });
                    cells.push(Cell::Empty);
                }
            }
        }
        Ok(Some(SourceRow {
            number,
            cells,
            decode_error,
        }))
    }
}
