//! The import of a whole vendor delivery beside SQLite FTS5 (trigram) loading the same rows:
//! the demo generator's delivery in the mix vendors hand over (`mixed_delivery`: titled XLSX
//! wage tables with merged cells, GB18030 and UTF-8 CSV catalogues, a plain XLSX volume
//! catalogue, and a scan folder with OCR text files).
//!
//! Our side is timed whole — reading and parsing the files, normalizing, the store, the change
//! log, the index, the report. FTS5 is timed on its insert alone: its rows are read into memory
//! before its clock starts. Each side runs `runs` times, each run in a child process of its own
//! (so that its peak memory is its own); the medians are compared.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::bench_error::bench_err;
use super::memory::peak_memory_mb;
use crate::api::ImportRequest;
use crate::error::Result;
use crate::Archive;
use serde::{Deserialize, Serialize};

/// One run of one side.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeliveryRun {
    /// archivedesk_import | fts5_insert
    pub side: String,
    pub rows: usize,
    pub seconds: f64,
    pub peak_memory_mb: Option<f64>,
}

/// The medians of both sides and their ratio.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryReport {
    pub entries_asked: usize,
    pub catalogue_rows: usize,
    pub runs: Vec<DeliveryRun>,
    pub import_median_seconds: f64,
    pub fts5_insert_median_seconds: f64,
    /// Our whole import ÷ FTS5's insert alone (the goal: at most 0.5).
    pub ratio: f64,
    pub import_peak_memory_mb: Option<f64>,
}

pub const IMPORT_SIDE: &str = "archivedesk_import";
pub const FTS5_SIDE: &str = "fts5_insert";

/// The delivery's catalogue files (every file under `catalogue/`) and its scan folder.
fn delivery_files(source: &Path) -> Result<(Vec<PathBuf>, PathBuf)> {
    let mut files = Vec::new();
    let mut folders = vec![source.join("catalogue")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).map_err(bench_err)? {
            let path = entry.map_err(bench_err)?.path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok((files, source.join("scans")))
}

/// One run of one side, in this process, on the delivery in `source`, writing into `work`.
pub fn run_delivery_side(side: &str, source: &Path, work: &Path) -> Result<DeliveryRun> {
    std::fs::create_dir_all(work).map_err(bench_err)?;
    let (catalogues, scans) = delivery_files(source)?;
    let (rows, seconds) = match side {
        IMPORT_SIDE => {
            let start = Instant::now();
            let mut archive = Archive::open(work)?;
            let mut paths = catalogues;
            paths.push(scans);
            let report = archive.import(
                &ImportRequest {
                    paths,
                    ..ImportRequest::default()
                },
                &mut |_| {},
            )?;
            // A refused file would make the two sides load different rows.
            if let Some(refused) = report
                .files
                .iter()
                .find(|f| f.outcome == crate::api::FileOutcome::Refused)
            {
                return Err(bench_err(format!(
                    "「{}」未导入：{}",
                    refused.path,
                    refused.message.clone().unwrap_or_default()
                )));
            }
            let rows = report.files.iter().map(|f| f.rows_read).sum();
            (rows, start.elapsed().as_secs_f64())
        }
        FTS5_SIDE => fts5_insert(&catalogues, &scans, work)?,
        other => return Err(bench_err(format!("没有这一方「{other}」"))),
    };
    Ok(DeliveryRun {
        side: side.to_string(),
        rows,
        seconds,
        peak_memory_mb: peak_memory_mb(),
    })
}

/// Reads every row of the catalogues (and each OCR text file as a row) into memory, then times
/// their insert into an FTS5 trigram table in one transaction.
fn fts5_insert(catalogues: &[PathBuf], scans: &Path, work: &Path) -> Result<(usize, f64)> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    for file in catalogues {
        rows.extend(crate::import::plain_rows::plain_rows(file)?);
    }
    for entry in std::fs::read_dir(scans).map_err(bench_err)? {
        let path = entry.map_err(bench_err)?.path();
        if path.extension().is_some_and(|e| e == "txt") {
            let text = std::fs::read_to_string(&path).map_err(bench_err)?;
            rows.push(vec![path.display().to_string(), text]);
        }
    }
    let width = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let mut conn = rusqlite::Connection::open(work.join("fts5.sqlite3"))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    let columns: Vec<String> = (0..width).map(|i| format!("c{i}")).collect();
    conn.execute_batch(&format!(
        "CREATE VIRTUAL TABLE rows USING fts5({}, tokenize = 'trigram')",
        columns.join(", ")
    ))?;
    let placeholders = vec!["?"; width].join(", ");
    let start = Instant::now();
    let tx = conn.transaction()?;
    {
        let mut insert = tx.prepare(&format!("INSERT INTO rows VALUES ({placeholders})"))?;
        for row in &rows {
            let cells = row
                .iter()
                .map(String::as_str)
                .chain(std::iter::repeat_n("", width - row.len()));
            insert.execute(rusqlite::params_from_iter(cells))?;
        }
    }
    tx.commit()?;
    Ok((rows.len(), start.elapsed().as_secs_f64()))
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// Writes the benchmark's delivery of about `entries` rows into `dest` and keeps it, to profile
/// one side by hand (`bench delivery-source`): a folder that holds anything is refused, since
/// the delivery would replace what is in it.
pub fn keep_delivery(entries: usize, dest: &Path) -> Result<()> {
    if std::fs::read_dir(dest).is_ok_and(|mut d| d.next().is_some()) {
        return Err(bench_err(format!(
            "「{}」不是空文件夹，请另选一个文件夹存放生成的交付文件",
            dest.display()
        )));
    }
    generate_delivery(entries, dest)
}

/// Writes the benchmark's delivery of about `entries` rows (no page images) into `dest`,
/// replacing what is there.
fn generate_delivery(entries: usize, dest: &Path) -> Result<()> {
    let _ = std::fs::remove_dir_all(dest);
    let options = crate::demo::DemoOptions {
        entries,
        seed: crate::demo::DEMO_SEED,
        page_images: false,
    };
    crate::demo::generate_demo(&options, dest).map_err(bench_err)?;
    super::mixed_delivery::mix_formats(dest)
}

/// Generates the delivery of about `entries` rows (no page images) and runs both sides `runs`
/// times, alternating, each run in a child process `exe bench delivery-case …`.
pub fn run_delivery_bench(
    exe: &Path,
    entries: usize,
    runs: usize,
    work: &Path,
    on_run: &mut dyn FnMut(&DeliveryRun),
) -> Result<DeliveryReport> {
    let source = work.join(format!("delivery-{entries}"));
    generate_delivery(entries, &source)?;
    let mut all = Vec::new();
    for run in 0..runs.max(1) {
        for side in [IMPORT_SIDE, FTS5_SIDE] {
            let case_dir = work.join(format!("case-{side}-{run}"));
            let _ = std::fs::remove_dir_all(&case_dir);
            let result: DeliveryRun = super::child::case_in_child(
                exe,
                "delivery-case",
                &[side.as_ref(), source.as_os_str(), case_dir.as_os_str()],
            )?;
            on_run(&result);
            all.push(result);
            let _ = std::fs::remove_dir_all(&case_dir);
        }
    }
    let seconds = |side: &str| {
        median(
            all.iter()
                .filter(|r| r.side == side)
                .map(|r| r.seconds)
                .collect(),
        )
    };
    let import = seconds(IMPORT_SIDE);
    let fts5 = seconds(FTS5_SIDE);
    let report = DeliveryReport {
        entries_asked: entries,
        catalogue_rows: all.first().map_or(0, |r| r.rows),
        import_median_seconds: import,
        fts5_insert_median_seconds: fts5,
        ratio: import / fts5.max(1e-9),
        import_peak_memory_mb: all
            .iter()
            .filter(|r| r.side == IMPORT_SIDE)
            .filter_map(|r| r.peak_memory_mb)
            .reduce(f64::max),
        runs: all,
    };
    let _ = std::fs::remove_dir_all(&source);
    Ok(report)
}
