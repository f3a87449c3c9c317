//! The import benchmark: ArchiveDesk's import of a generated catalogue beside two baselines
//! measured in the same run on the same rows — a plain bulk insert into SQLite (the floor of
//! what any store can do) and SQLite FTS5 with the trigram tokenizer (what a home-grown tool
//! would reach for). Each case runs in a child process so that its peak memory is its own.

use super::bench_error::bench_err;
use super::memory::peak_memory_mb;
use crate::demo::{write_corpus, CorpusFormat};
use crate::error::Result;
use crate::Archive;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BenchCase {
    /// ArchiveDesk import: normalization, documents, entries with stable keys, reports.
    Import,
    /// Every cell as TEXT into one plain table, one prepared statement, one transaction.
    SqliteBulkInsert,
    /// The same rows into an FTS5 table with the trigram tokenizer.
    SqliteFts5Trigram,
}

impl BenchCase {
    pub const ALL: [BenchCase; 3] = [
        BenchCase::Import,
        BenchCase::SqliteBulkInsert,
        BenchCase::SqliteFts5Trigram,
    ];

    pub fn label(self) -> &'static str {
        match self {
            BenchCase::Import => "archivedesk import",
            BenchCase::SqliteBulkInsert => "SQLite bulk insert (floor)",
            BenchCase::SqliteFts5Trigram => "SQLite FTS5 trigram",
        }
    }

    pub fn parse(s: &str) -> Option<BenchCase> {
        BenchCase::ALL.into_iter().find(|c| {
            serde_json::to_value(c)
                .ok()
                .and_then(|v| v.as_str().map(|x| x == s))
                == Some(true)
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BenchResult {
    pub case: BenchCase,
    /// The catalogue's format: csv or xlsx.
    pub input: String,
    pub rows: usize,
    pub seconds: f64,
    pub rows_per_second: f64,
    /// Peak resident memory of the process that ran the case (Linux only).
    pub peak_memory_mb: Option<f64>,
}

/// Write the benchmark catalogue (CSV or XLSX) of `rows` entry rows.
pub fn write_catalogue(rows: usize, xlsx: bool, path: &Path) -> Result<()> {
    let format = if xlsx {
        CorpusFormat::Xlsx
    } else {
        CorpusFormat::Csv
    };
    write_corpus(rows, format, 7, path).map_err(bench_err)
}

/// Run one case on `catalogue`, writing into the empty folder `work`.
pub fn run_case(case: BenchCase, catalogue: &Path, work: &Path) -> Result<BenchResult> {
    std::fs::create_dir_all(work).map_err(bench_err)?;
    let start = Instant::now();
    let rows = match case {
        BenchCase::Import => {
            let mut archive = Archive::open(work)?;
            let report = super::import_wage_catalogue(&mut archive, catalogue)?;
            let file = &report.files[0];
            if let Some(m) = &file.message {
                return Err(bench_err(m));
            }
            file.rows_read
        }
        BenchCase::SqliteBulkInsert => sqlite_baseline(catalogue, work, false)?,
        BenchCase::SqliteFts5Trigram => sqlite_baseline(catalogue, work, true)?,
    };
    let seconds = start.elapsed().as_secs_f64();
    let input = catalogue
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    Ok(BenchResult {
        case,
        input,
        rows,
        seconds,
        rows_per_second: rows as f64 / seconds.max(1e-9),
        peak_memory_mb: peak_memory_mb(),
    })
}

/// The same CSV rows straight into SQLite: what is left when a store does nothing but store.
pub(super) fn sqlite_baseline(catalogue: &Path, work: &Path, fts5: bool) -> Result<usize> {
    let mut conn = rusqlite::Connection::open(work.join("baseline.sqlite3"))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(catalogue)
        .map_err(bench_err)?;
    let width = reader.headers().map_err(bench_err)?.len();
    let columns: Vec<String> = (0..width).map(|i| format!("c{i}")).collect();
    let create = if fts5 {
        format!(
            "CREATE VIRTUAL TABLE rows USING fts5({}, tokenize = 'trigram')",
            columns.join(", ")
        )
    } else {
        format!(
            "CREATE TABLE rows ({})",
            columns
                .iter()
                .map(|c| format!("{c} TEXT"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    conn.execute_batch(&create)?;
    let placeholders = vec!["?"; width].join(", ");
    let tx = conn.transaction()?;
    let mut rows = 0;
    {
        let mut insert = tx.prepare(&format!("INSERT INTO rows VALUES ({placeholders})"))?;
        let mut record = csv::StringRecord::new();
        while reader.read_record(&mut record).map_err(bench_err)? {
            insert.execute(rusqlite::params_from_iter(record.iter()))?;
            rows += 1;
        }
    }
    tx.commit()?;
    Ok(rows)
}

/// One catalogue size: the import and both baselines, each in a child process running
/// `exe bench case …` (the CLI passes its own executable).
pub fn run_import_bench(
    exe: &Path,
    rows: usize,
    xlsx: bool,
    work: &Path,
    on_result: &mut dyn FnMut(&BenchResult),
) -> Result<Vec<BenchResult>> {
    std::fs::create_dir_all(work).map_err(bench_err)?;
    let csv = work.join(format!("corpus-{rows}.csv"));
    write_catalogue(rows, false, &csv)?;
    let mut plan: Vec<(BenchCase, std::path::PathBuf)> =
        BenchCase::ALL.iter().map(|c| (*c, csv.clone())).collect();
    if xlsx {
        let book = work.join(format!("corpus-{rows}.xlsx"));
        write_catalogue(rows, true, &book)?;
        plan.insert(1, (BenchCase::Import, book));
    }
    let mut results = Vec::new();
    for (i, (case, catalogue)) in plan.into_iter().enumerate() {
        let case_dir = work.join(format!("case-{rows}-{i}"));
        let _ = std::fs::remove_dir_all(&case_dir);
        let case_name = serde_json::to_value(case).map_err(bench_err)?;
        let result: BenchResult = super::child::case_in_child(
            exe,
            "case",
            &[
                case_name.as_str().unwrap_or_default().as_ref(),
                catalogue.as_os_str(),
                case_dir.as_os_str(),
            ],
        )?;
        on_result(&result);
        results.push(result);
        let _ = std::fs::remove_dir_all(&case_dir);
    }
    Ok(results)
}
