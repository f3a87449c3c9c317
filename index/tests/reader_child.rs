//! Workbooks are read in a child process of the `archivedesk` binary, under a memory ceiling
//! and a watchdog: a hostile workbook costs that one file, never the process that imports
//! (the desktop app, or `serve` with every clerk on it). Tried through the real binary.

mod common;

use common::*;
use serde_json::Value;
use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn import_with_binary(data: &Path, files: &[&Path], env: &[(&str, &str)]) -> (Option<i32>, Value) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_archivedesk"));
    command
        .arg("--data-dir")
        .arg(data)
        .args(["import", "--json"]);
    command.args(files);
    for (k, v) in env {
        command.env(k, v);
    }
    let out = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "no report ({e}); status {:?}\nstdout {stdout}\nstderr {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code(), report)
}

fn file<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with(name))
        .unwrap_or_else(|| panic!("{name} in {report}"))
}

/// The same workbook with its shared-strings table claiming `count` strings: calamine reserves
/// room for all of them before reading one.
fn claiming_strings(from: &Path, to: &Path, count: &str) {
    let mut zin = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut zout = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut found = false;
    for i in 0..zin.len() {
        let mut entry = zin.by_index(i).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        let name = entry.name().unwrap().to_string();
        if name == "xl/sharedStrings.xml" {
            let xml = String::from_utf8(bytes).unwrap();
            let start = xml.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
            let end = start + xml[start..].find('"').unwrap();
            bytes = format!("{}{count}{}", &xml[..start], &xml[end..]).into_bytes();
            found = true;
        }
        zout.start_file(name, options).unwrap();
        zout.write_all(&bytes).unwrap();
    }
    zout.finish().unwrap();
    assert!(found, "the workbook has a shared-strings table");
}

#[test]
fn a_workbook_read_in_the_child_imports_as_it_does_in_process() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("调资表.xlsx");
    write_vendor_wage_table(&book);
    let (code, report) = import_with_binary(&dir.path().join("child"), &[&book], &[]);
    assert_eq!(code, Some(0), "{report}");
    let mut archive = archivedesk::Archive::open(&dir.path().join("here")).unwrap();
    let here = import(&mut archive, &[&book]);
    let here = serde_json::to_value(&here.files[0]).unwrap();
    let there = file(&report, "调资表.xlsx");
    for field in [
        "outcome",
        "format",
        "rows_read",
        "rows_accepted",
        "rows_rejected",
        "documents_new",
        "entries_new",
        "sheets",
        "warnings",
    ] {
        assert_eq!(there[field], here[field], "{field}");
    }
    assert_eq!(there["entries_new"], 5);
}

#[test]
fn a_workbook_claiming_a_hundred_trillion_strings_costs_only_that_file() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("调资表.xlsx");
    write_vendor_wage_table(&good);
    let bomb = dir.path().join("恶意.xlsx");
    // 2.4 PB reserved at once: in the importing process this aborted the whole program.
    claiming_strings(&good, &bomb, "100000000000000");
    let csv = sample("retirement_catalogue_gb18030.csv");
    let data = dir.path().join("data");
    let (code, report) = import_with_binary(&data, &[&good, &bomb, &csv], &[]);
    assert!(code.is_some(), "the importing process ended by itself");
    let refused = file(&report, "恶意.xlsx");
    assert_eq!(refused["outcome"], "refused");
    let message = refused["message"].as_str().unwrap();
    assert!(
        message.contains("恶意.xlsx") && message.contains("内存超过上限（1024 MB）"),
        "{message}"
    );
    assert_eq!(file(&report, "调资表.xlsx")["entries_new"], 5);
    assert_eq!(
        file(&report, "retirement_catalogue_gb18030.csv")["entries_new"],
        6
    );
    let status = archivedesk::Archive::open(&data).unwrap().status().unwrap();
    assert_eq!(
        status.stats.entries, 11,
        "both good files, nothing of the bomb"
    );
}

#[test]
fn a_reader_that_stops_making_progress_is_stopped_by_the_watchdog() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("调资表.xlsx");
    write_vendor_wage_table(&book);
    let csv = sample("retirement_catalogue_gb18030.csv");
    let started = Instant::now();
    let (_, report) = import_with_binary(
        &dir.path().join("data"),
        &[&book, &csv],
        &[
            ("ARCHIVEDESK_READER_STALL_SECONDS", "2"),
            ("ARCHIVEDESK_READER_FAILPOINT", "stall"),
        ],
    );
    assert!(started.elapsed() < Duration::from_secs(30));
    let stuck = file(&report, "调资表.xlsx");
    assert_eq!(stuck["outcome"], "refused");
    let message = stuck["message"].as_str().unwrap();
    assert!(message.contains("2 秒没有任何进展"), "{message}");
    assert_eq!(
        file(&report, "retirement_catalogue_gb18030.csv")["entries_new"],
        6
    );
}

/// The reader children whose command line names `path` (Linux: read from /proc).
#[cfg(target_os = "linux")]
fn readers_of(path: &Path) -> Vec<u32> {
    let wanted = path.to_string_lossy().into_owned();
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            let cmdline = String::from_utf8_lossy(&cmdline);
            cmdline.contains("--read-workbook-child") && cmdline.contains(&wanted)
        })
        .collect()
}

#[cfg(target_os = "linux")]
#[test]
fn a_reader_child_ends_when_the_importing_process_is_killed() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("调资表.xlsx");
    write_vendor_wage_table(&book);
    let mut import = Command::new(env!("CARGO_BIN_EXE_archivedesk"))
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .arg("import")
        .arg(&book)
        .env("ARCHIVEDESK_READER_STALL_SECONDS", "600")
        .env("ARCHIVEDESK_READER_FAILPOINT", "stall")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while readers_of(&book).is_empty() {
        assert!(Instant::now() < deadline, "the reader child started");
        std::thread::sleep(Duration::from_millis(50));
    }
    // Stuck reading, writing nothing: only the lifeline can tell it the parent is gone.
    import.kill().unwrap();
    import.wait().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !readers_of(&book).is_empty() {
        assert!(
            Instant::now() < deadline,
            "the reader child outlived its parent"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
