//! The two cases of `bench ocr` that run in child processes of their own (so that memory is
//! each one's own): `read` reads the pages with the models on every core, as a clerk's PC does
//! when told to read now; `archive` imports them into an archive of `entries` demo rows and lets
//! a door's background reader read them on one thread while a clerk searches, then searches
//! every name printed.

use super::super::bench_error::bench_err;
use super::super::memory::peak_memory_mb;
use super::super::search::percentile;
use crate::api::{ImportRequest, SearchRequest};
use crate::error::Result;
use crate::ocr::page_file::read_page_file;
use crate::ocr::reader::PageReader;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReadPage {
    pub file: String,
    pub seconds: f64,
    /// The lines read, as the recognizer found them (cells apart).
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReadCase {
    pub load_seconds: f64,
    pub pages: Vec<ReadPage>,
    pub peak_memory_mb: Option<f64>,
}

/// Reads each page file named, timing each (decoding included, as the baseline's is).
pub fn run_read_case(pages: &[PathBuf]) -> Result<ReadCase> {
    let started = Instant::now();
    let reader = PageReader::load(&crate::ocr::models::models_folder()?)?;
    let load_seconds = started.elapsed().as_secs_f64();
    let mut out = Vec::new();
    for page in pages {
        let started = Instant::now();
        let read =
            read_page_file(&reader, page, &|| true)?.expect("nothing stops a benchmark's reading");
        let seconds = started.elapsed().as_secs_f64();
        let lines = crate::ocr::stored_lines::parse(&read.lines_json)
            .into_iter()
            .map(|l| l.text)
            .collect();
        out.push(ReadPage {
            file: page.display().to_string(),
            seconds,
            lines,
        });
    }
    Ok(ReadCase {
        load_seconds,
        pages: out,
        peak_memory_mb: peak_memory_mb(),
    })
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub struct Latency {
    pub searches: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
}

fn latency(mut ms: Vec<f64>) -> Latency {
    ms.sort_by(f64::total_cmp);
    Latency {
        searches: ms.len(),
        p50_ms: percentile(&ms, 50.0),
        p95_ms: percentile(&ms, 95.0),
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArchiveCase {
    pub entries: usize,
    /// A clerk's searches with no reading under way, and while the background reader reads.
    pub search_idle: Latency,
    pub search_reading: Latency,
    /// Pages read by the background reader, and how long it took (one thread).
    pub pages_read: u64,
    pub reading_seconds: f64,
    /// Names printed on the pages that a search for them finds on their page: anywhere in the
    /// answer, and among its first 20 hits (where a common name has more catalogued rows of
    /// that very name than 20, the page comes after them, as it should).
    pub names_found: usize,
    pub names_found_first_20: usize,
    pub names_total: usize,
}

/// `work` holds `catalogue.csv`, the `scans` folder and `names.json` ([[page_no, name], …]).
pub fn run_archive_case(work: &Path, entries: usize) -> Result<ArchiveCase> {
    let data = work.join("archive");
    let _ = std::fs::remove_dir_all(&data);
    crate::demo::build::build_demo_archive(&data, entries, 7, false, &mut |_| {})?;
    let names: Vec<(i64, String)> =
        serde_json::from_slice(&std::fs::read(work.join("names.json")).map_err(bench_err)?)
            .map_err(bench_err)?;
    let mut archive = crate::Archive::open(&data)?;
    // Its rows are the demo's; the pages are read as in any archive.
    archive.forget_demo()?;
    archive.import(
        &ImportRequest {
            paths: vec![work.join("catalogue.csv"), work.join("scans")],
            ..ImportRequest::default()
        },
        &mut |_| {},
    )?;
    let session = crate::session::Session::new(archive, work.join("no-demo"));
    let search_up_to = |query: &str, limit: usize| -> Result<(f64, crate::api::SearchResponse)> {
        let started = Instant::now();
        let found = session.with_archive(|a| {
            a.search(&SearchRequest {
                query: query.to_string(),
                limit: Some(limit),
                ..SearchRequest::default()
            })
        })?;
        Ok((started.elapsed().as_secs_f64() * 1000.0, found))
    };
    // The first page of hits, as the clerk's screen asks.
    let search = |query: &str| search_up_to(query, 20);
    // Warm, then a clerk's searches with nothing read.
    for (_, name) in names.iter().take(20) {
        search(name)?;
    }
    let mut idle = Vec::new();
    for (_, name) in &names {
        idle.push(search(name)?.0);
    }
    let reading_started = Instant::now();
    session.start_reading_pages()?;
    let mut reading = Vec::new();
    let mut next = 0;
    loop {
        let status = session.page_reading_status()?;
        if status.waiting == 0 {
            break;
        }
        if let Some(problem) = status.problem {
            return Err(bench_err(problem));
        }
        // A clerk types a name about every half second.
        reading.push(search(&names[next % names.len()].1)?.0);
        next += 1;
        std::thread::sleep(Duration::from_millis(500));
    }
    let reading_seconds = reading_started.elapsed().as_secs_f64();
    let pages_read = session.page_reading_status()?.read;
    let (mut names_found, mut names_found_first_20) = (0, 0);
    for (page_no, name) in &names {
        let (_, found) = search_up_to(name, 500)?;
        let at = found
            .hits
            .iter()
            .position(|h| h.tier == "scanned_page" && h.scanned_page == Some(*page_no));
        names_found += usize::from(at.is_some());
        names_found_first_20 += usize::from(at.is_some_and(|i| i < 20));
    }
    Ok(ArchiveCase {
        entries,
        search_idle: latency(idle),
        search_reading: latency(reading),
        pages_read,
        reading_seconds,
        names_found,
        names_found_first_20,
        names_total: names.len(),
    })
}
