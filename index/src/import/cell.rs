//! One cell as a source delivered it, before any field meaning is applied.

use crate::text::date::PartialDate;

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A number cell. `decimals` is what the cell's number format shows (Some(2) for "0.00"),
    /// None when the format is General or unknown: then 1956.1 may have been typed as 1956.10.
    Number {
        value: f64,
        decimals: Option<u8>,
    },
    /// A cell Excel itself knows to be a date.
    Date(PartialDate),
    Bool(bool),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The value as the clerk would read it in the source.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_string(),
            Cell::Number { value, decimals } => format_number(*value, *decimals),
            Cell::Date(d) => d.key(),
            Cell::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        }
    }

    pub fn len_bytes(&self) -> usize {
        match self {
            Cell::Text(t) => t.len(),
            _ => 0,
        }
    }
}

/// Print a number the way a spreadsheet shows it: integers without ".0", and with the format's
/// decimals where known.
pub fn format_number(value: f64, decimals: Option<u8>) -> String {
    match decimals {
        Some(d) => format!("{value:.*}", d as usize),
        None if value.fract() == 0.0 && value.abs() < 1e15 => format!("{}", value as i64),
        None => format!("{value}"),
    }
}

/// A row of a sheet, numbered as the clerk sees it in Excel (1-based).
#[derive(Debug, Clone)]
pub struct SourceRow {
    pub number: usize,
    pub cells: Vec<Cell>,
    /// Set when the row's bytes could not be decoded; the row is rejected with this reason.
    pub decode_error: Option<DecodeError>,
}

#[derive(Debug, Clone)]
pub struct DecodeError {
    /// The first column that did not decode, when the format can tell.
    pub column: Option<usize>,
    pub reason: String,
}

impl SourceRow {
    pub fn is_blank(&self) -> bool {
        self.decode_error.is_none() && self.cells.iter().all(Cell::is_empty)
    }

    pub fn get(&self, column: usize) -> &Cell {
        self.cells.get(column).unwrap_or(&Cell::Empty)
    }

    /// A row of text cells ("" for an empty cell), for tests.
    #[cfg(test)]
    pub fn from_texts(number: usize, cells: &[&str]) -> SourceRow {
        SourceRow {
            number,
            cells: cells
                .iter()
                .map(|c| match c.is_empty() {
                    true => Cell::Empty,
                    false => Cell::Text(c.to_string()),
                })
                .collect(),
            decode_error: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_display_as_a_spreadsheet_shows_them() {
        assert_eq!(format_number(1956.1, Some(2)), "1956.10");
        assert_eq!(format_number(1956.1, None), "1956.1");
        assert_eq!(format_number(320.0, None), "320");
        assert_eq!(format_number(612.5, None), "612.5");
    }
}
