//! JSON Lines: one object per line, keys as headers. A first pass collects the keys in order of
//! first appearance, so every row lines up under one header without holding the file in memory.

use super::cell::{Cell, DecodeError, SourceRow};
use super::source::{RowStream, Workbook};
use crate::error::{Error, ErrorCode, Result};
use serde_json::Value;
use std::fs::File;
use std::io::{BufRead, BufReader, Lines};
use std::path::{Path, PathBuf};

pub struct JsonlWorkbook {
    path: PathBuf,
    keys: Vec<String>,
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::new(
        ErrorCode::Io,
        format!("无法读取「{}」：{e}", path.display()),
    )
}

impl JsonlWorkbook {
    pub fn open(path: &Path) -> Result<Self> {
        let file = File::open(path).map_err(|e| io_error(path, e))?;
        let mut keys: Vec<String> = Vec::new();
        for line in BufReader::new(file).lines() {
            let line = line.map_err(|e| io_error(path, e))?;
            if let Ok(Value::Object(map)) =
                serde_json::from_str::<Value>(line.trim_start_matches('\u{feff}'))
            {
                for key in map.keys() {
                    if !keys.iter().any(|k| k == key) {
                        keys.push(key.clone());
                    }
                }
            }
        }
        Ok(JsonlWorkbook {
            path: path.to_path_buf(),
            keys,
        })
    }
}

impl Workbook for JsonlWorkbook {
    fn describe(&self) -> String {
        "JSON Lines，UTF-8".to_string()
    }

    fn sheet_names(&self) -> Vec<String> {
        vec![String::new()]
    }

    fn open_sheet<'a>(&'a mut self, _name: &str) -> Result<Box<dyn RowStream + Send + 'a>> {
        let file = File::open(&self.path).map_err(|e| io_error(&self.path, e))?;
        Ok(Box::new(JsonlRows {
            lines: BufReader::new(file).lines(),
            keys: &self.keys,
            line_no: 0,
            header_sent: false,
            path: &self.path,
        }))
    }
}

struct JsonlRows<'a> {
    lines: Lines<BufReader<File>>,
    keys: &'a [String],
    line_no: usize,
    header_sent: bool,
    path: &'a Path,
}

fn cell_of(value: &Value) -> Cell {
    match value {
        Value::Null => Cell::Empty,
        Value::Bool(b) => Cell::Bool(*b),
        // Integers keep every digit (an 18-digit ID does not fit a double); fractions are
        // numbers as a spreadsheet would hold them.
        Value::Number(n) if n.is_u64() || n.is_i64() => Cell::Text(n.to_string()),
        Value::Number(n) => Cell::Number {
            value: n.as_f64().unwrap_or(0.0),
            decimals: None,
        },
        Value::String(s) if s.trim().is_empty() => Cell::Empty,
        // Numbers written as strings keep every digit (IDs, year.months with a trailing zero).
        Value::String(s) => Cell::Text(s.clone()),
        other => Cell::Text(other.to_string()),
    }
}

impl RowStream for JsonlRows<'_> {
    fn next_row(&mut self) -> Result<Option<SourceRow>> {
        // The keys act as the header row, numbered 0 so data rows keep their line numbers.
        if !self.header_sent {
            self.header_sent = true;
            return Ok(Some(SourceRow {
                number: 0,
                cells: self.keys.iter().map(|k| Cell::Text(k.clone())).collect(),
                decode_error: None,
            }));
        }
        loop {
            let Some(line) = self.lines.next() else {
                return Ok(None);
            };
            self.line_no += 1;
            let line = match line {
                Ok(l) => l,
                Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                    return Ok(Some(SourceRow {
                        number: self.line_no,
                        cells: Vec::new(),
                        decode_error: Some(DecodeError {
                            column: None,
                            reason: "该行不是有效的UTF-8文本".to_string(),
                        }),
                    }))
                }
                Err(e) => return Err(io_error(self.path, e)),
            };
            let text = line.trim().trim_start_matches('\u{feff}');
            if text.is_empty() {
                continue;
            }
            let row = match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(map)) => SourceRow {
                    number: self.line_no,
                    cells: self
                        .keys
                        .iter()
                        .map(|k| map.get(k).map(cell_of).unwrap_or(Cell::Empty))
                        .collect(),
                    decode_error: None,
                },
                Ok(_) => SourceRow {
                    number: self.line_no,
                    cells: Vec::new(),
                    decode_error: Some(DecodeError {
                        column: None,
                        reason: "该行不是JSON对象（应为 {\"姓名\": …} 的形式）".to_string(),
                    }),
                },
                Err(e) => SourceRow {
                    number: self.line_no,
                    cells: Vec::new(),
                    decode_error: Some(DecodeError {
                        column: None,
                        reason: format!("该行不是有效的JSON：{e}"),
                    }),
                },
            };
            return Ok(Some(row));
        }
    }
}
