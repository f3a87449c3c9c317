//! The search benchmark: import+index throughput, index size against the raw text, query
//! latency per kind of query and memory, for ArchiveDesk and for SQLite FTS5 (trigram) on the
//! same generated catalogue in the same run. Each side runs in its own child process.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::bench_error::bench_err;
use super::child::case_in_child;
use super::fts5;
use super::import::{sqlite_baseline, write_catalogue};
use super::memory::{peak_memory_mb, PrivateMemorySampler};
use super::queries::{make_queries, BenchQuery, QueryKind};
use crate::api::SearchRequest;
use crate::error::Result;
use crate::Archive;

/// Building the searchable store: ArchiveDesk's import+index, or filling the FTS5 table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BuildFigures {
    pub rows: usize,
    pub seconds: f64,
    pub rows_per_second: f64,
    /// Bytes on disk of the search structure (the tantivy index; the FTS5 database).
    pub index_bytes: u64,
    /// Bytes of the whole data folder (ArchiveDesk: SQLite store + index).
    pub total_bytes: u64,
    pub peak_rss_mb: Option<f64>,
    pub peak_private_mb: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KindFigures {
    pub kind: QueryKind,
    pub queries: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Share of queries whose target row is among the hits shown (None when the kind has no
    /// single target).
    pub found: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SearchFigures {
    pub kinds: Vec<KindFigures>,
    pub peak_rss_mb: Option<f64>,
    pub peak_private_mb: Option<f64>,
}

/// One engine's result on one catalogue size.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EngineFigures {
    pub engine: String,
    pub build: BuildFigures,
    pub search: SearchFigures,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SearchBenchReport {
    pub rows: usize,
    /// UTF-8 bytes of the catalogue's cells: the raw text the index is measured against.
    pub raw_text_bytes: u64,
    pub archivedesk: EngineFigures,
    pub fts5: EngineFigures,
}

fn folder_bytes(path: &Path) -> u64 {
    let Ok(read) = std::fs::read_dir(path) else {
        return std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    };
    read.flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                folder_bytes(&p)
            } else {
                e.metadata().map(|m| m.len()).unwrap_or(0)
            }
        })
        .sum()
}

fn raw_text_bytes(catalogue: &Path) -> Result<u64> {
    let mut reader = csv::Reader::from_path(catalogue).map_err(bench_err)?;
    let mut record = csv::StringRecord::new();
    let mut bytes = 0u64;
    while reader.read_record(&mut record).map_err(bench_err)? {
        bytes += record.iter().map(|c| c.len() as u64).sum::<u64>();
    }
    Ok(bytes)
}

pub(super) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Times every query (after one untimed pass over a few of each kind, so both engines start
/// with warm caches) and sums the figures up per kind.
fn time_queries(
    queries: &[BenchQuery],
    run: &mut dyn FnMut(&BenchQuery) -> Result<bool>,
) -> Result<Vec<KindFigures>> {
    let mut warmed: BTreeMap<QueryKind, usize> = BTreeMap::new();
    for q in queries {
        let n = warmed.entry(q.kind).or_default();
        if *n < 10 {
            *n += 1;
            run(q)?;
        }
    }
    let mut by_kind: BTreeMap<QueryKind, (Vec<f64>, usize, usize)> = BTreeMap::new();
    for q in queries {
        let started = Instant::now();
        let found = run(q)?;
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let slot = by_kind.entry(q.kind).or_default();
        slot.0.push(ms);
        if q.target_ref.is_some() {
            slot.1 += 1;
            slot.2 += found as usize;
        }
    }
    Ok(by_kind
        .into_iter()
        .map(|(kind, (mut ms, with_target, found))| {
            ms.sort_by(|a, b| a.total_cmp(b));
            KindFigures {
                kind,
                queries: ms.len(),
                p50_ms: percentile(&ms, 50.0),
                p99_ms: percentile(&ms, 99.0),
                found: (with_target > 0).then(|| found as f64 / with_target as f64),
            }
        })
        .collect())
}

fn is_target(q: &BenchQuery, ref_code: &str, name: Option<&str>) -> bool {
    q.target_ref.as_deref() == Some(ref_code)
        && match q.target_name.as_deref() {
            Some(n) if !n.is_empty() => name == Some(n),
            _ => true,
        }
}

/// Child process: import+index the catalogue into `work/archive`.
pub fn case_index(catalogue: &Path, work: &Path) -> Result<BuildFigures> {
    let folder = work.join("archive");
    let sampler = PrivateMemorySampler::start();
    let started = Instant::now();
    let mut archive = Archive::open(&folder)?;
    let report = super::import_wage_catalogue(&mut archive, catalogue)?;
    let seconds = started.elapsed().as_secs_f64();
    let private = sampler.stop();
    let rows = report.files[0].rows_accepted;
    Ok(BuildFigures {
        rows,
        seconds,
        rows_per_second: rows as f64 / seconds.max(1e-9),
        index_bytes: folder_bytes(&folder.join(crate::search::index::SEARCH_FOLDER)),
        total_bytes: folder_bytes(&folder),
        peak_rss_mb: peak_memory_mb(),
        peak_private_mb: private,
    })
}

/// Child process: open the archive built by `case_index` and run the queries.
pub fn case_search(work: &Path, queries: &[BenchQuery]) -> Result<SearchFigures> {
    let sampler = PrivateMemorySampler::start();
    let mut archive = Archive::open(&work.join("archive"))?;
    let kinds = time_queries(queries, &mut |q| {
        let r = archive.search(&SearchRequest {
            query: q.text.clone(),
            limit: Some(20),
            ..SearchRequest::default()
        })?;
        Ok(r.hits
            .iter()
            .any(|h| is_target(q, &h.ref_code, h.name.as_deref())))
    })?;
    Ok(SearchFigures {
        kinds,
        peak_private_mb: sampler.stop(),
        peak_rss_mb: peak_memory_mb(),
    })
}

/// Child process: fill the FTS5 table, then run the same queries against it.
pub fn case_fts5(catalogue: &Path, work: &Path, queries: &[BenchQuery]) -> Result<EngineFigures> {
    std::fs::create_dir_all(work).map_err(bench_err)?;
    let sampler = PrivateMemorySampler::start();
    let started = Instant::now();
    let rows = sqlite_baseline(catalogue, work, true)?;
    let seconds = started.elapsed().as_secs_f64();
    let build_private = sampler.stop();
    let build = BuildFigures {
        rows,
        seconds,
        rows_per_second: rows as f64 / seconds.max(1e-9),
        index_bytes: folder_bytes(work),
        total_bytes: folder_bytes(work),
        peak_rss_mb: peak_memory_mb(),
        peak_private_mb: build_private,
    };
    let sampler = PrivateMemorySampler::start();
    let conn = rusqlite::Connection::open(work.join("baseline.sqlite3"))?;
    let kinds = time_queries(queries, &mut |q| Ok(fts5::run_query(&conn, q)?.1))?;
    Ok(EngineFigures {
        engine: "SQLite FTS5 trigram".into(),
        build,
        search: SearchFigures {
            kinds,
            peak_private_mb: sampler.stop(),
            peak_rss_mb: peak_memory_mb(),
        },
    })
}

/// The hidden command that runs one search case (`cli/bench.rs`).
const SEARCH_CASE: &str = "search-case";

/// One catalogue size, both engines; `exe` is this program (each case runs in a child).
pub fn run_search_bench(
    exe: &Path,
    rows: usize,
    per_kind: usize,
    work: &Path,
) -> Result<SearchBenchReport> {
    std::fs::create_dir_all(work).map_err(bench_err)?;
    let catalogue = work.join(format!("corpus-{rows}.csv"));
    write_catalogue(rows, false, &catalogue)?;
    let queries = make_queries(&catalogue, per_kind, 11)?;
    let queries_file = work.join(format!("queries-{rows}.json"));
    std::fs::write(
        &queries_file,
        serde_json::to_vec(&queries).map_err(bench_err)?,
    )
    .map_err(bench_err)?;
    let ours: PathBuf = work.join(format!("archivedesk-{rows}"));
    let theirs: PathBuf = work.join(format!("fts5-{rows}"));
    for d in [&ours, &theirs] {
        let _ = std::fs::remove_dir_all(d);
    }

    let build: BuildFigures = case_in_child(
        exe,
        SEARCH_CASE,
        &["index".as_ref(), catalogue.as_os_str(), ours.as_os_str()],
    )?;
    let search: SearchFigures = case_in_child(
        exe,
        SEARCH_CASE,
        &[
            "search".as_ref(),
            ours.as_os_str(),
            queries_file.as_os_str(),
        ],
    )?;
    let fts5: EngineFigures = case_in_child(
        exe,
        SEARCH_CASE,
        &[
            "fts5".as_ref(),
            catalogue.as_os_str(),
            theirs.as_os_str(),
            queries_file.as_os_str(),
        ],
    )?;
    let report = SearchBenchReport {
        rows,
        raw_text_bytes: raw_text_bytes(&catalogue)?,
        archivedesk: EngineFigures {
            engine: "ArchiveDesk".into(),
            build,
            search,
        },
        fts5,
    };
    for d in [&ours, &theirs] {
        let _ = std::fs::remove_dir_all(d);
    }
    Ok(report)
}

/// Dispatches a `bench search-case` child: `index CATALOGUE WORK`, `search WORK QUERIES`,
/// `fts5 CATALOGUE WORK QUERIES`. Prints its figures as JSON.
pub fn run_search_case(args: &[PathBuf]) -> Result<String> {
    let arg = |i: usize| {
        args.get(i)
            .ok_or_else(|| bench_err("基准测试子进程缺少参数"))
    };
    let load = |p: &Path| -> Result<Vec<BenchQuery>> {
        serde_json::from_slice(&std::fs::read(p).map_err(bench_err)?).map_err(bench_err)
    };
    let case = arg(0)?.to_string_lossy().to_string();
    let json = match case.as_str() {
        "index" => serde_json::to_string(&case_index(arg(1)?, arg(2)?)?),
        "search" => serde_json::to_string(&case_search(arg(1)?, &load(arg(2)?)?)?),
        "fts5" => serde_json::to_string(&case_fts5(arg(1)?, arg(2)?, &load(arg(3)?)?)?),
        other => return Err(bench_err(format!("没有基准测试项「{other}」"))),
    };
    json.map_err(bench_err)
}

/// The report as the table README shows.
pub fn format_report(r: &SearchBenchReport) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let mb = |b: u64| b as f64 / 1_048_576.0;
    let opt = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.0}"));
    let _ = writeln!(
        s,
        "{} rows, raw text {:.1} MB",
        r.rows,
        mb(r.raw_text_bytes)
    );
    let _ = writeln!(
        s,
        "{:<22} {:>10} {:>9} {:>12} {:>10} {:>10} {:>10}",
        "build", "rows/s", "seconds", "index MB", "× raw", "peak RSS", "private"
    );
    for e in [&r.archivedesk, &r.fts5] {
        let _ = writeln!(
            s,
            "{:<22} {:>10.0} {:>9.1} {:>12.1} {:>10.2} {:>10} {:>10}",
            e.engine,
            e.build.rows_per_second,
            e.build.seconds,
            mb(e.build.index_bytes),
            e.build.index_bytes as f64 / r.raw_text_bytes.max(1) as f64,
            opt(e.build.peak_rss_mb),
            opt(e.build.peak_private_mb)
        );
    }
    let _ = writeln!(
        s,
        "{:<22} {:>9} {:>9} {:>7} {:>9} {:>9} {:>7} {:>8}",
        "query kind", "ours p50", "ours p99", "found", "FTS5 p50", "FTS5 p99", "found", "p99 ×"
    );
    for k in &r.archivedesk.search.kinds {
        let Some(b) = r.fts5.search.kinds.iter().find(|b| b.kind == k.kind) else {
            continue;
        };
        let pct = |f: Option<f64>| f.map_or("-".to_string(), |f| format!("{:.0}%", f * 100.0));
        let _ = writeln!(
            s,
            "{:<22} {:>9.2} {:>9.2} {:>7} {:>9.2} {:>9.2} {:>7} {:>8.1}",
            k.kind.label(),
            k.p50_ms,
            k.p99_ms,
            pct(k.found),
            b.p50_ms,
            b.p99_ms,
            pct(b.found),
            b.p99_ms / k.p99_ms.max(1e-9)
        );
    }
    let _ = writeln!(
        s,
        "while searching: ArchiveDesk peak RSS {} MB, private {} MB; FTS5 peak RSS {} MB, private {} MB",
        opt(r.archivedesk.search.peak_rss_mb),
        opt(r.archivedesk.search.peak_private_mb),
        opt(r.fts5.search.peak_rss_mb),
        opt(r.fts5.search.peak_private_mb)
    );
    s
}
