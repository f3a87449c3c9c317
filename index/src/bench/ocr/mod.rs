//! `archivedesk bench ocr`: reading scanned pages, beside RapidOCR (Python, ONNX Runtime) running
//! the same PP-OCR models on the same pages in the same run. Pages are generated wage tables
//! (names, sexes, birth months, ID numbers, wages) printed with the demo's CJK font and scanned
//! badly (turned up to 2°, specked, coarse JPEG, yellowed paper). Figures: the character error
//! rate against what was printed, the names read, seconds per page and memory for both; then,
//! in an archive of demo rows, the names found by searching for them after the background reader
//! read the pages, and a clerk's search latency while it reads beside that with nothing read.

mod baseline;
mod case;
mod cer;

pub use baseline::DEFAULT_PYTHON;
pub use case::{run_archive_case, run_read_case, ArchiveCase, ReadCase};

use super::bench_error::bench_err;
use super::child::case_in_child;
use crate::error::Result;
use serde::Serialize;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

const VOLUME: &str = "J012-WS-1998-Y-0046";

pub struct OcrBenchOptions {
    pub pages: usize,
    pub rows: usize,
    pub seed: u64,
    /// Demo rows in the archive the pages are imported into.
    pub entries: usize,
    pub python: PathBuf,
    pub work: PathBuf,
}

/// One reader's figures on the pages.
#[derive(Debug, Clone, Serialize)]
pub struct ReaderFigures {
    pub engine: String,
    pub load_seconds: f64,
    pub seconds_per_page_median: f64,
    pub seconds_per_page_mean: f64,
    /// Character errors over characters printed.
    pub cer: f64,
    /// Names printed that some line read holds exactly.
    pub names_read: usize,
    pub peak_memory_mb: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OcrBenchReport {
    pub pages: usize,
    pub rows_per_page: usize,
    pub characters_printed: usize,
    pub names_printed: usize,
    pub ours: ReaderFigures,
    pub rapidocr: Option<ReaderFigures>,
    /// Why there is no baseline, when there is none.
    pub baseline_missing: Option<String>,
    pub archive: ArchiveCase,
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// Figures of a reader from what it read on each page (in page order) and its timings.
fn figures(
    engine: String,
    load_seconds: f64,
    mut seconds: Vec<f64>,
    read: &[Vec<String>],
    printed: &[crate::demo::PrintedPage],
    peak_memory_mb: Option<f64>,
) -> ReaderFigures {
    let (mut errors, mut total, mut names_read) = (0, 0, 0);
    for (lines, page) in read.iter().zip(printed) {
        let (e, t) = cer::page_errors(&page.printed, lines);
        errors += e;
        total += t;
        names_read += page
            .names
            .iter()
            .filter(|name| lines.iter().any(|l| l.contains(name.as_str())))
            .count();
    }
    let mean = seconds.iter().sum::<f64>() / seconds.len().max(1) as f64;
    ReaderFigures {
        engine,
        load_seconds,
        seconds_per_page_median: median(&mut seconds),
        seconds_per_page_mean: mean,
        cer: errors as f64 / total.max(1) as f64,
        names_read,
        peak_memory_mb,
    }
}

pub fn run_ocr_bench(exe: &Path, options: &OcrBenchOptions) -> Result<OcrBenchReport> {
    let work = &options.work;
    let _ = std::fs::remove_dir_all(work);
    let folder = work.join("scans").join(VOLUME);
    std::fs::create_dir_all(&folder).map_err(bench_err)?;
    let printed = crate::demo::printed_wage_pages(options.pages, options.rows, options.seed);
    let mut files = Vec::new();
    let mut names: Vec<(i64, String)> = Vec::new();
    for (i, page) in printed.iter().enumerate() {
        let file = folder.join(format!("{}.jpg", i + 1));
        std::fs::write(&file, &page.jpeg).map_err(bench_err)?;
        files.push(file);
        names.extend(page.names.iter().map(|n| ((i + 1) as i64, n.clone())));
    }
    std::fs::write(
        work.join("catalogue.csv"),
        format!(
            "\u{feff}档号,题名,年度,页数\n{VOLUME},职工工资调整审批表,1998,{}\n",
            options.pages
        ),
    )
    .map_err(bench_err)?;
    std::fs::write(
        work.join("names.json"),
        serde_json::to_vec(&names).map_err(bench_err)?,
    )
    .map_err(bench_err)?;

    let mut args: Vec<&OsStr> = vec![OsStr::new("read")];
    args.extend(files.iter().map(|f| f.as_os_str()));
    let ours: ReadCase = case_in_child(exe, "ocr-case", &args)?;
    let ours = figures(
        "archivedesk (rten)".into(),
        ours.load_seconds,
        ours.pages.iter().map(|p| p.seconds).collect(),
        &ours
            .pages
            .iter()
            .map(|p| p.lines.clone())
            .collect::<Vec<_>>(),
        &printed,
        ours.peak_memory_mb,
    );
    let (rapidocr, baseline_missing) = match baseline::run_rapidocr(&options.python, work, &files)?
    {
        Ok(run) => (
            Some(figures(
                format!("{} + onnxruntime {}", run.engine, run.onnxruntime),
                run.load_seconds,
                run.pages.iter().map(|p| p.seconds).collect(),
                &run.pages
                    .iter()
                    .map(|p| p.lines.iter().map(|l| l.text.clone()).collect())
                    .collect::<Vec<_>>(),
                &printed,
                run.peak_rss_mb,
            )),
            None,
        ),
        Err(why) => (None, Some(why)),
    };
    let entries = options.entries.to_string();
    let archive: ArchiveCase = case_in_child(
        exe,
        "ocr-case",
        &[
            OsStr::new("archive"),
            work.as_os_str(),
            OsStr::new(&entries),
        ],
    )?;
    Ok(OcrBenchReport {
        pages: options.pages,
        rows_per_page: options.rows,
        characters_printed: printed
            .iter()
            .flat_map(|p| &p.printed)
            .map(|t| t.chars().filter(|c| !c.is_whitespace()).count())
            .sum(),
        names_printed: names.len(),
        ours,
        rapidocr,
        baseline_missing,
        archive,
    })
}

fn reader_line(f: &ReaderFigures, names: usize) -> String {
    format!(
        "{:<44} {:>7.2} {:>7.2} {:>7.2} {:>7.2}% {:>5}/{:<5} {:>8}",
        f.engine,
        f.load_seconds,
        f.seconds_per_page_median,
        f.seconds_per_page_mean,
        f.cer * 100.0,
        f.names_read,
        names,
        f.peak_memory_mb
            .map(|m| format!("{m:.0} MB"))
            .unwrap_or_else(|| "?".into()),
    )
}

pub fn format_report(r: &OcrBenchReport) -> String {
    let mut out = format!(
        "扫描页识别：{} 页 A4 150 dpi 工资表（每页 {} 人，转斜 ≤2°、噪点、JPEG 50–75），共 {} 字、{} 个姓名\n",
        r.pages, r.rows_per_page, r.characters_printed, r.names_printed
    );
    out.push_str(&format!(
        "{:<44} {:>7} {:>7} {:>7} {:>8} {:>11} {:>8}\n",
        "reader", "load s", "s/page", "mean s", "CER", "names read", "peak"
    ));
    out.push_str(&reader_line(&r.ours, r.names_printed));
    out.push('\n');
    match (&r.rapidocr, &r.baseline_missing) {
        (Some(b), _) => {
            out.push_str(&reader_line(b, r.names_printed));
            out.push('\n');
            out.push_str(&format!(
                "ours ÷ RapidOCR, seconds per page (median): {:.2}\n",
                r.ours.seconds_per_page_median / b.seconds_per_page_median.max(1e-9)
            ));
        }
        (None, Some(why)) => out.push_str(&format!("{why}\n")),
        (None, None) => {}
    }
    let a = &r.archive;
    out.push_str(&format!(
        "archive of {} demo rows: background reader (1 thread) read {} pages in {:.1} s ({:.1} s/page)\n",
        a.entries,
        a.pages_read,
        a.reading_seconds,
        a.reading_seconds / a.pages_read.max(1) as f64,
    ));
    let share = |n: usize| n as f64 * 100.0 / a.names_total.max(1) as f64;
    out.push_str(&format!(
        "names found on their page by searching for them: {}/{} ({:.1}%); among the first 20 hits: {}/{} ({:.1}%)\n",
        a.names_found,
        a.names_total,
        share(a.names_found),
        a.names_found_first_20,
        a.names_total,
        share(a.names_found_first_20),
    ));
    out.push_str(&format!(
        "a clerk's search: p50 {:.1} ms, p95 {:.1} ms while reading ({} searches) | p50 {:.1} ms, p95 {:.1} ms with nothing read ({} searches)\n",
        a.search_reading.p50_ms,
        a.search_reading.p95_ms,
        a.search_reading.searches,
        a.search_idle.p50_ms,
        a.search_idle.p95_ms,
        a.search_idle.searches
    ));
    out
}
