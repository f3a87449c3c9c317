//! An import killed mid-way (SIGKILL, after it has written rows of its open transaction and
//! before it commits) leaves the archive exactly as it was before that import.
#![cfg(unix)]

mod common;

use common::*;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn write_large_catalogue(path: &std::path::Path, rows: usize) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(
        out,
        "档号,题名,姓名,性别,出生年月,工作单位,原工资,调整后工资"
    )
    .unwrap();
    for i in 0..rows {
        writeln!(
            out,
            "J099-WS·1998-Y-{:05},县第{}厂1998年工资调整表,职工{},男,19{:02}.{:02},县第{}厂,{},{}",
            i / 30,
            i % 20,
            i,
            40 + i % 40,
            1 + i % 12,
            i % 20,
            200 + i % 300,
            240 + i % 300
        )
        .unwrap();
    }
}

fn wal_size(data: &std::path::Path) -> u64 {
    std::fs::metadata(data.join("archive.sqlite3-wal"))
        .map(|m| m.len())
        .unwrap_or(0)
}

fn committed_batches(data: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(data.join("archive.sqlite3")).unwrap();
    conn.query_row("SELECT COUNT(*) FROM import_batches", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn killed_import_leaves_the_archive_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut archive = archivedesk::Archive::open(&data).unwrap();
    import(&mut archive, &[&sample("retirement_catalogue_gb18030.csv")]);
    drop(archive);
    let before = snapshot(&data);
    let wal_before = wal_size(&data);

    let big = dir.path().join("大目录.csv");
    write_large_catalogue(&big, 400_000);
    let mut child = Command::new(env!("CARGO_BIN_EXE_archivedesk"))
        .arg("--data-dir")
        .arg(&data)
        .arg("import")
        .arg(&big)
        .arg("--json")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();

    // Rows of the open transaction reach the write-ahead log once they outgrow SQLite's cache.
    let deadline = Instant::now() + Duration::from_secs(300);
    let written = loop {
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "the import ended ({status}) before it could be interrupted; make the file larger"
            );
        }
        let grown = wal_size(&data).saturating_sub(wal_before);
        if grown > 8 << 20 {
            break grown;
        }
        assert!(
            Instant::now() < deadline,
            "the import wrote nothing in time"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(
        committed_batches(&data),
        before.batches,
        "the import has not committed yet"
    );
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "killed, not finished");
    assert!(
        written > 8 << 20,
        "rows of the open transaction had been written: {written} bytes of log"
    );

    assert_eq!(
        snapshot(&data),
        before,
        "the archive is exactly as before the killed import"
    );
    let conn = rusqlite::Connection::open(data.join("archive.sqlite3")).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(conn);
    let stats = archivedesk::Archive::open(&data).unwrap().stats().unwrap();
    assert_eq!(stats.entries as i64, before.live_entries);
}
