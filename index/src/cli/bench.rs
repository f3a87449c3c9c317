//! `archivedesk bench`: the benchmarks that print figures beside a baseline measured in the
//! same run (`archivedesk::bench`), and the hidden commands that run one case in a child process.

use super::print_json;
use archivedesk::Error;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Subcommand)]
pub(super) enum BenchCommand {
    /// Import speed and peak memory against SQLite bulk insert and SQLite FTS5 (trigram).
    Import {
        /// Catalogue sizes in entry rows.
        #[arg(long, value_delimiter = ',', default_value = "100000,1000000")]
        rows: Vec<usize>,
        /// Also import the same rows as XLSX.
        #[arg(long)]
        xlsx: bool,
        /// Instead: a whole vendor delivery of about --rows entries (titled and plain XLSX, GB18030
        /// and UTF-8 CSV, OCR text), our import against FTS5's insert of the same rows.
        #[arg(long)]
        delivery: bool,
        /// Runs of each side for --delivery (their medians are compared).
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Where corpora and scratch archives go (default: a folder in the system temp folder).
        #[arg(long)]
        work_dir: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Import+index speed, index size, query latency per kind of query and memory, against
    /// SQLite FTS5 (trigram) on the same rows.
    Search {
        /// Catalogue sizes in entry rows.
        #[arg(long, value_delimiter = ',', default_value = "100000,1000000")]
        rows: Vec<usize>,
        /// Queries per kind of query.
        #[arg(long, default_value_t = 200)]
        queries: usize,
        #[arg(long)]
        work_dir: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Search quality on a generated demo archive: recall@10, rank-1 and MRR per kind of query
    /// (each way a clerk's typing and a record's writing disagree).
    Recall {
        #[arg(long, default_value_t = 100_000)]
        entries: usize,
        #[arg(long, default_value_t = archivedesk::demo::DEMO_SEED)]
        seed: u64,
        /// Queries per kind at most.
        #[arg(long, default_value_t = 200)]
        per_kind: usize,
        /// Keep the demo archive here and reuse it (default: a temporary folder).
        #[arg(long)]
        work_dir: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// `archivedesk serve` under a steady load of clerks (search, document, page) on a loopback
    /// port: resident memory, open handles and p50/p99 latency at the end against the start.
    Soak {
        /// How long the load runs.
        #[arg(long, default_value_t = 600)]
        seconds: u64,
        /// Size of the demo archive served (built in the work folder on first use).
        #[arg(long, default_value_t = 20_000)]
        entries: usize,
        /// Clerks asking at once, each on a connection of its own.
        #[arg(long, default_value_t = 4)]
        clients: usize,
        #[arg(long)]
        work_dir: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Counter desks at a clerk's pace on one LAN host (`serve --lan`, a `serve --connect` per
    /// desk, on loopback addresses), beside the same clerks on one plain loopback door:
    /// p50/p95/p99 per operation, certificate numbering and the audit chain checked after.
    Lan {
        #[arg(long, default_value_t = 300)]
        seconds: u64,
        #[arg(long, default_value_t = 8)]
        desks: usize,
        /// Size of the demo archive served (built in the work folder on first use).
        #[arg(long, default_value_t = 20_000)]
        entries: usize,
        /// 1 is a clerk's pace (search every 2 s, a record every 10 s, a request every minute,
        /// a certificate every 2 minutes); 10 does all ten times as often.
        #[arg(long, default_value_t = 1.0)]
        pace: f64,
        /// Leave out the baseline run on one loopback door.
        #[arg(long)]
        no_baseline: bool,
        #[arg(long)]
        work_dir: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Other archives asking who holds a person (跨馆): `queries` questions from A to B and C
    /// (real processes with their peer doors on loopback addresses), `concurrency` at once, and
    /// ten peers asked at once; beside the same questions answered in process.
    Peers {
        #[arg(long, default_value_t = 1000)]
        queries: usize,
        #[arg(long, default_value_t = 50)]
        concurrency: usize,
        /// Size of the demo archives B and C hold (built in the work folder on first use).
        #[arg(long, default_value_t = 20_000)]
        entries: usize,
        /// The peers' rate limit as PER_SECOND,BURST (the peer door's own when absent).
        #[arg(long)]
        rate: Option<String>,
        #[arg(long, default_value_t = 50)]
        rounds: usize,
        #[arg(long)]
        work_dir: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Reading scanned pages (OCR) on generated degraded wage tables: character error rate,
    /// names read, seconds per page and memory, beside RapidOCR (Python, ONNX Runtime, the same
    /// models) on the same pages; then names found by searching, and search latency while the
    /// background reader reads, in an archive of demo rows.
    Ocr {
        #[arg(long, default_value_t = 10)]
        pages: usize,
        /// People per page.
        #[arg(long, default_value_t = 25)]
        rows: usize,
        #[arg(long, default_value_t = 1998)]
        seed: u64,
        /// Demo rows in the archive the pages are imported into.
        #[arg(long, default_value_t = 20_000)]
        entries: usize,
        /// A Python with rapidocr_onnxruntime (the baseline).
        #[arg(long, default_value = archivedesk::bench::ocr::DEFAULT_PYTHON)]
        python: PathBuf,
        #[arg(long)]
        work_dir: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Run one case of `bench ocr` in this process.
    #[command(hide = true)]
    OcrCase { case: String, args: Vec<PathBuf> },
    /// Run one search benchmark case in this process (used by `bench search`).
    #[command(hide = true)]
    SearchCase { args: Vec<PathBuf> },
    /// Write the delivery `bench import --delivery` imports into DEST and keep it, to run one
    /// side by hand (`bench delivery-case archivedesk_import DEST WORK`) under a profiler.
    #[command(hide = true)]
    DeliverySource {
        #[arg(long, default_value_t = 700_000)]
        rows: usize,
        dest: PathBuf,
    },
    /// Run one side of the delivery benchmark in this process (used by `bench import --delivery`).
    #[command(hide = true)]
    DeliveryCase {
        side: String,
        source: PathBuf,
        work: PathBuf,
    },
    /// Run one benchmark case in this process (used by `bench import`).
    #[command(hide = true)]
    Case {
        case: String,
        catalogue: PathBuf,
        work: PathBuf,
    },
}

/// This program's own path: benchmarks run each case in a child process of it.
fn this_program() -> Result<PathBuf, Error> {
    std::env::current_exe().map_err(|e| {
        Error::new(
            archivedesk::ErrorCode::Io,
            format!("找不到本程序的路径：{e}"),
        )
    })
}

pub(super) fn run(what: BenchCommand) -> Result<i32, Error> {
    use archivedesk::bench::{run_case, run_import_bench, BenchCase};
    match what {
        BenchCommand::Recall {
            entries,
            seed,
            per_kind,
            work_dir,
            json,
        } => super::recall::run(entries, seed, per_kind, work_dir, json),
        BenchCommand::Soak {
            seconds,
            entries,
            clients,
            work_dir,
            json,
        } => {
            let work =
                work_dir.unwrap_or_else(|| std::env::temp_dir().join("archivedesk-bench-soak"));
            let report = archivedesk::bench::soak::run_soak(
                &this_program()?,
                &archivedesk::bench::soak::SoakOptions {
                    seconds,
                    entries,
                    clients,
                    work,
                },
            )?;
            if json {
                print_json(&report);
            } else {
                println!("{}", archivedesk::bench::soak::format_report(&report));
            }
            Ok(if report.errors == 0 { 0 } else { 1 })
        }
        BenchCommand::Lan {
            seconds,
            desks,
            entries,
            pace,
            no_baseline,
            work_dir,
            json,
        } => {
            use archivedesk::bench::lan_load::{format_report, run_lan_load, LanLoadOptions};
            let work =
                work_dir.unwrap_or_else(|| std::env::temp_dir().join("archivedesk-bench-lan"));
            let report = run_lan_load(
                &this_program()?,
                &LanLoadOptions {
                    seconds,
                    desks: desks.max(1),
                    entries,
                    pace,
                    work,
                    baseline: !no_baseline,
                },
            )?;
            if json {
                print_json(&report);
            } else {
                println!("{}", format_report(&report));
            }
            let sound = |r: &archivedesk::bench::lan_load::LoadRun| {
                r.errors() == 0 && r.numbers_gapless && r.audit_intact
            };
            Ok(if sound(&report.lan) && report.baseline.iter().all(sound) {
                0
            } else {
                1
            })
        }
        BenchCommand::Peers {
            queries,
            concurrency,
            entries,
            rate,
            rounds,
            work_dir,
            json,
        } => {
            use archivedesk::bench::peer_load::{format_report, run_peer_load, PeerLoadOptions};
            let work =
                work_dir.unwrap_or_else(|| std::env::temp_dir().join("archivedesk-bench-peers"));
            let report = run_peer_load(
                &this_program()?,
                &PeerLoadOptions {
                    queries,
                    concurrency,
                    entries,
                    work,
                    rate,
                    rounds,
                },
            )?;
            if json {
                print_json(&report);
            } else {
                println!("{}", format_report(&report));
            }
            Ok(if report.errors == 0 { 0 } else { 1 })
        }
        BenchCommand::Ocr {
            pages,
            rows,
            seed,
            entries,
            python,
            work_dir,
            json,
        } => {
            use archivedesk::bench::ocr::{format_report, run_ocr_bench, OcrBenchOptions};
            let work =
                work_dir.unwrap_or_else(|| std::env::temp_dir().join("archivedesk-bench-ocr"));
            let report = run_ocr_bench(
                &this_program()?,
                &OcrBenchOptions {
                    pages,
                    rows,
                    seed,
                    entries,
                    python,
                    work,
                },
            )?;
            if json {
                print_json(&report);
            } else {
                print!("{}", format_report(&report));
            }
            Ok(0)
        }
        BenchCommand::OcrCase { case, args } => {
            use archivedesk::bench::ocr::{run_archive_case, run_read_case};
            match case.as_str() {
                "read" => print_json(&run_read_case(&args)?),
                "archive" => {
                    let (Some(work), Some(entries)) = (args.first(), args.get(1)) else {
                        return Err(super::invalid("ocr-case archive WORK ENTRIES".into()));
                    };
                    let entries = entries.to_string_lossy().parse().unwrap_or(20_000);
                    print_json(&run_archive_case(work, entries)?);
                }
                other => return Err(super::invalid(format!("没有 {other} 这种测试"))),
            }
            Ok(0)
        }
        BenchCommand::SearchCase { args } => {
            println!("{}", archivedesk::bench::search::run_search_case(&args)?);
            Ok(0)
        }
        BenchCommand::Search {
            rows,
            queries,
            work_dir,
            json,
        } => {
            let exe = this_program()?;
            let work =
                work_dir.unwrap_or_else(|| std::env::temp_dir().join("archivedesk-bench-search"));
            let mut all = Vec::new();
            for n in rows {
                let report = archivedesk::bench::search::run_search_bench(&exe, n, queries, &work)?;
                if !json {
                    println!("{}", archivedesk::bench::search::format_report(&report));
                }
                all.push(report);
            }
            if json {
                print_json(&all);
            }
            let _ = std::fs::remove_dir_all(&work);
            Ok(0)
        }
        BenchCommand::Case {
            case,
            catalogue,
            work,
        } => {
            let case = BenchCase::parse(&case).ok_or_else(|| {
                Error::new(
                    archivedesk::ErrorCode::InvalidRequest,
                    format!("没有基准测试项「{case}」"),
                )
            })?;
            let result = run_case(case, &catalogue, &work)?;
            println!("{}", serde_json::to_string(&result).expect("serializes"));
            Ok(0)
        }
        BenchCommand::DeliverySource { rows, dest } => {
            archivedesk::bench::delivery::keep_delivery(rows, &dest)?;
            println!("{}", dest.display());
            Ok(0)
        }
        BenchCommand::DeliveryCase { side, source, work } => {
            let run = archivedesk::bench::delivery::run_delivery_side(&side, &source, &work)?;
            println!("{}", serde_json::to_string(&run).expect("serializes"));
            Ok(0)
        }
        BenchCommand::Import {
            rows,
            delivery: true,
            runs,
            work_dir,
            json,
            ..
        } => {
            let exe = this_program()?;
            let work = work_dir.unwrap_or_else(|| std::env::temp_dir().join("archivedesk-bench"));
            for n in rows {
                let report = archivedesk::bench::delivery::run_delivery_bench(
                    &exe,
                    n,
                    runs,
                    &work,
                    &mut |r| {
                        if !json {
                            println!(
                                "{:<20} {:>9} rows {:>8.2} s  peak {:>5} MB",
                                r.side,
                                r.rows,
                                r.seconds,
                                megabytes(r.peak_memory_mb)
                            );
                        }
                    },
                )?;
                if json {
                    print_json(&report);
                } else {
                    println!(
                        "delivery of {} rows: our whole import {:.2} s ÷ FTS5 insert alone {:.2} s = {:.2} (medians of {runs}); import peak {} MB",
                        report.catalogue_rows,
                        report.import_median_seconds,
                        report.fts5_insert_median_seconds,
                        report.ratio,
                        megabytes(report.import_peak_memory_mb)
                    );
                }
            }
            let _ = std::fs::remove_dir_all(&work);
            Ok(0)
        }
        BenchCommand::Import {
            rows,
            xlsx,
            work_dir,
            json,
            ..
        } => {
            let exe = this_program()?;
            let work = work_dir.unwrap_or_else(|| std::env::temp_dir().join("archivedesk-bench"));
            let mut all = Vec::new();
            if !json {
                println!(
                    "{:<28} {:>5} {:>10} {:>9} {:>12} {:>8}",
                    "case", "input", "rows", "seconds", "rows/s", "peak MB"
                );
            }
            for n in rows {
                let results = run_import_bench(&exe, n, xlsx, &work, &mut |r| {
                    if !json {
                        println!(
                            "{:<28} {:>5} {:>10} {:>9.2} {:>12.0} {:>8}",
                            r.case.label(),
                            r.input,
                            r.rows,
                            r.seconds,
                            r.rows_per_second,
                            megabytes(r.peak_memory_mb)
                        );
                    }
                })?;
                all.extend(results);
            }
            if json {
                print_json(&all);
            }
            let _ = std::fs::remove_dir_all(&work);
            Ok(0)
        }
    }
}

/// Peak memory in whole MB, or "-" where the platform cannot tell.
fn megabytes(peak: Option<f64>) -> String {
    peak.map(|m| format!("{m:.0}"))
        .unwrap_or_else(|| "-".into())
}
