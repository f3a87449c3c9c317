//! The ground truth: one line per entry row written, saying who it really is and what mess the
//! row carries, so that findability can be measured against it.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

#[derive(Serialize, Clone, Debug)]
pub struct TruthRow {
    pub person_id: usize,
    /// Canonical name (minority names with U+00B7).
    pub name: String,
    /// Canonical 18-digit ID.
    pub id18: String,
    /// wage | retirement | recruitment
    pub kind: &'static str,
    /// Path relative to the output folder.
    pub file: String,
    /// Spreadsheet row (1-based), CSV line (1-based, header is line 1) or JSONL line (1-based).
    pub row: usize,
    pub ref_code: String,
    pub ref_code_written: String,
    pub year: i32,
    pub unit: String,
    pub written_name: String,
    pub written_id: String,
    pub mess: Vec<&'static str>,
}

pub fn write_truth(rows: &[TruthRow], path: &Path) -> anyhow::Result<()> {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    for r in rows {
        serde_json::to_writer(&mut w, r)?;
        w.write_all(b"\n")?;
    }
    w.flush()?;
    Ok(())
}
