//! The delivery benchmark's small case, as CI runs it: `bench import --delivery` imports a whole
//! vendor delivery (XLSX, GB18030 and UTF-8 CSV, OCR text) beside FTS5 loading the same rows and
//! prints the ratio; `bench delivery-source` keeps that delivery to profile one side by hand.
//! The 700,000-row figures are run by hand (README).
//!
//! Not run as Windows binaries under Wine: the delivery holds some 70 workbooks whatever its
//! size, each read in a reader child, and a Wine process takes about half a second to start —
//! 40 s of CI for a benchmark run by hand. Workbooks in reader children are tested there by
//! `reader_child.rs` and the import tests.
#![cfg(not(windows))]

mod common;

use std::process::Command;

fn archivedesk(args: &[&str], work: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_archivedesk"))
        .args(args)
        .arg(work)
        .output()
        .unwrap()
}

#[test]
fn a_small_delivery_is_imported_whole_beside_fts5_and_the_ratio_is_theirs() {
    let work = tempfile::tempdir().unwrap();
    let out = archivedesk(
        &[
            "bench",
            "import",
            "--delivery",
            "--rows",
            "1000",
            "--runs",
            "1",
            "--json",
            "--work-dir",
        ],
        work.path(),
    );
    let report = common::cli::json(&out);
    let runs = report["runs"].as_array().unwrap();
    let side = |name: &str| {
        runs.iter()
            .find(|r| r["side"] == name)
            .unwrap_or_else(|| panic!("no {name} run: {report:#}"))
    };
    let ours = side("archivedesk_import");
    let fts5 = side("fts5_insert");
    // FTS5 loaded the catalogue rows our import read, and one more per OCR page.
    let rows = ours["rows"].as_u64().unwrap();
    assert!(rows >= 700, "{report:#}");
    assert!(fts5["rows"].as_u64().unwrap() > rows, "{report:#}");
    let (import, insert) = (
        report["import_median_seconds"].as_f64().unwrap(),
        report["fts5_insert_median_seconds"].as_f64().unwrap(),
    );
    assert!(import > 0.0 && insert > 0.0, "{report:#}");
    let ratio = report["ratio"].as_f64().unwrap();
    assert!((ratio - import / insert).abs() < 1e-9, "{report:#}");
    if cfg!(target_os = "linux") {
        assert!(report["import_peak_memory_mb"].as_f64().unwrap() > 1.0);
    }
    assert!(
        std::fs::read_dir(work.path()).map_or(true, |mut d| d.next().is_none()),
        "the generated delivery and scratch archives are removed"
    );
}

#[test]
fn the_delivery_kept_for_profiling_holds_every_shape_the_benchmark_imports() {
    let work = tempfile::tempdir().unwrap();
    let dest = work.path().join("交付");
    let out = archivedesk(&["bench", "delivery-source", "--rows", "1000"], &dest);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let catalogue = dest.join("catalogue");
    assert!(catalogue.join("工资调整案卷目录.xlsx").is_file());
    assert!(catalogue.join("招工录用审批.csv").is_file());
    assert!(
        !catalogue.join("招工录用审批.jsonl").exists(),
        "the recruitment catalogue is delivered as CSV"
    );
    let wage_tables = std::fs::read_dir(catalogue.join("wage"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "xlsx")
        })
        .count();
    assert!(wage_tables > 0, "titled XLSX wage tables");
    let pages = std::fs::read_dir(dest.join("scans")).unwrap().count();
    assert!(pages > 0, "a scan folder of OCR text");

    // Written again over a folder that holds something: refused, and what is there stays.
    let out = archivedesk(&["bench", "delivery-source", "--rows", "1000"], &dest);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("不是空文件夹"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_dir(dest.join("scans")).unwrap().count(),
        pages
    );
}
