//! An import killed mid-way (SIGKILL, after it has written rows of its open transaction and
//! before it commits) leaves the archive exactly as it was before that import; one killed after
//! its store transaction committed, while the search index is being brought up to date, leaves
//! the store and the index agreeing once the archive is opened again.
#![cfg(unix)]

mod common;

use common::*;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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
    let mut archive = archivedesk::Archive::open(&data).unwrap();
    let stats = archive.stats().unwrap();
    assert_eq!(stats.entries as i64, before.live_entries);

    // The search index agrees with the store: every record it holds is found, nothing of the
    // killed import is.
    let conn = rusqlite::Connection::open(data.join("archive.sqlite3")).unwrap();
    let live = live_entries(&conn);
    assert_eq!(live.len() as i64, before.live_entries);
    for (entry_id, name, _) in &live {
        let r = search(&mut archive, name);
        assert!(
            r.hits.iter().any(|h| h.entry_id == Some(*entry_id)),
            "{name} (#{entry_id}) is found"
        );
    }
    for query in ["职工1", "职工12345", "J099-WS·1998-Y-00001", "县第3厂"] {
        assert_eq!(search(&mut archive, query).total, 0, "{query}");
    }
}

/// (entry id, name, ID number key) of every current entry.
fn live_entries(conn: &rusqlite::Connection) -> Vec<(i64, String, Option<String>)> {
    conn.prepare("SELECT id, name, id_key FROM entries WHERE superseded_at IS NULL ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn search(archive: &mut archivedesk::Archive, query: &str) -> archivedesk::api::SearchResponse {
    archive
        .search(&archivedesk::api::SearchRequest {
            query: query.to_string(),
            limit: Some(500),
            ..Default::default()
        })
        .unwrap_or_else(|e| panic!("search 「{query}」 failed: {e}"))
}

/// Rows of the catalogue imported and killed: enough that bringing the index up to date takes
/// the child far longer than the test takes to notice the commit.
const ROWS: usize = 8_000;

/// A distinctive name carried by every 97th row.
const RARE_NAME: &str = "欧阳修远";

/// Rows with a distinct valid ID number each, 30 rows per document.
fn write_catalogue_with_ids(path: &std::path::Path, rows: usize) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(out, "档号,题名,姓名,性别,出生年月,身份证号码,工作单位").unwrap();
    for i in 0..rows {
        let birth = i / 1000;
        let (year, month, day) = (1940 + birth % 40, 1 + birth / 40 % 12, 1 + i % 28);
        let id = id18(&format!("430726{year}{month:02}{day:02}{:03}", i % 1000));
        let name = if i % 97 == 0 {
            RARE_NAME.to_string()
        } else {
            format!("工人{i}")
        };
        writeln!(
            out,
            "J098-WS·1999-Y-{:05},县第{}厂1999年工资调整表,{name},男,{year}.{month:02},{id},县第{}厂",
            i / 30,
            i % 20,
            i % 20
        )
        .unwrap();
    }
}

/// An import killed right after its store transaction committed, while the search index may
/// still be catching up: on reopening, the index and the store agree.
#[test]
fn import_killed_after_the_store_committed_leaves_store_and_index_agreeing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut archive = archivedesk::Archive::open(&data).unwrap();
    import(&mut archive, &[&sample("retirement_catalogue_gb18030.csv")]);
    drop(archive);
    let batches_before = committed_batches(&data);

    let big = dir.path().join("带身份证号的目录.csv");
    write_catalogue_with_ids(&big, ROWS);
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

    // Wait for the commit: the batch row becomes visible to other connections only then.
    let conn = rusqlite::Connection::open(data.join("archive.sqlite3")).unwrap();
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let batches: i64 = conn
            .query_row("SELECT COUNT(*) FROM import_batches", [], |r| r.get(0))
            .unwrap();
        if batches > batches_before {
            break;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the import ended ({status}) without committing");
        }
        assert!(
            Instant::now() < deadline,
            "the import did not commit in time"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "the import was still running (bringing the index up to date) when it was killed"
    );
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "killed, not finished");

    // The store kept the committed import, and its row of the audit trail with it.
    let live = live_entries(&conn);
    assert_eq!(live.len(), 6 + ROWS);
    let (batches, audited): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT COUNT(*) FROM import_batches),
                    (SELECT COUNT(*) FROM audit_log WHERE action = 'import')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(audited, batches, "every committed file has its audit row");
    let rare: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM entries WHERE name = ?1 AND superseded_at IS NULL",
            [RARE_NAME],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(rare as usize, ROWS.div_ceil(97));
    drop(conn);

    let mut archive = archivedesk::Archive::open(&data).unwrap();
    let r = search(&mut archive, RARE_NAME);
    assert_eq!(
        r.total as i64, rare,
        "as many hits as the store has entries"
    );
    assert!(r.hits.iter().all(|h| h.name.as_deref() == Some(RARE_NAME)));
    for (entry_id, name, id_key) in &live {
        let r = search(&mut archive, id_key.as_deref().unwrap_or(name));
        if let Some(id) = id_key {
            assert_eq!(
                r.hits.iter().map(|h| h.entry_id).collect::<Vec<_>>(),
                vec![Some(*entry_id)],
                "#{entry_id} and nothing else is found by {id}"
            );
        } else {
            assert!(
                r.hits.iter().any(|h| h.entry_id == Some(*entry_id)),
                "#{entry_id} is found by {name}"
            );
        }
    }
    assert_eq!(
        search(&mut archive, "张瑞").hits[0].name.as_deref(),
        Some("张瑞")
    );
}

/// A certificate issue killed while its PDF is being made leaves no number used and nothing
/// half-written: the next issue takes the next free number, and every certificate kept is whole.
#[test]
fn killed_certificate_issue_uses_no_number_and_leaves_no_half_certificate() {
    let dir = tempfile::tempdir().unwrap();
    // Large noisy pages, so that making the PDF takes long enough to be killed in the middle.
    let (data, request_id) = common::counter::liu_with_eight_noisy_pages(dir.path(), 1700, 2300);
    let issue = || {
        Command::new(env!("CARGO_BIN_EXE_archivedesk"))
            .arg("--data-dir")
            .arg(&data)
            .args(["certificate", "issue", &request_id.to_string(), "--json"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    // How long a whole issue takes here, then a second one killed half-way through.
    let started = Instant::now();
    let whole = issue().wait_with_output().unwrap();
    assert!(
        whole.status.success(),
        "{}",
        String::from_utf8_lossy(&whole.stderr)
    );
    let took = started.elapsed();
    let mut child = issue();
    std::thread::sleep(took / 2);
    assert!(
        child.try_wait().unwrap().is_none(),
        "still issuing when killed"
    );
    child.kill().unwrap();
    child.wait().unwrap();

    let mut archive = archivedesk::Archive::open(&data).unwrap();
    let third = archive
        .issue_certificate(&archivedesk::api::IssueRequest {
            request_id,
            confirmed: None,
        })
        .unwrap();
    let view = archive.lookup_request(request_id).unwrap();
    let numbers: Vec<&str> = view
        .certificates
        .iter()
        .map(|c| c.number.as_str())
        .collect();
    assert_eq!(
        numbers.len(),
        2,
        "the killed issue left nothing: {numbers:?}"
    );
    assert!(numbers[0].ends_with("A第0001号") && numbers[1].ends_with("A第0002号"));
    assert_eq!(third.number, numbers[1]);
    for c in &view.certificates {
        assert!(
            archive
                .verify_certificate(&c.verify_code, None)
                .unwrap()
                .valid
        );
    }
    assert!(archive.audit_verify(None).unwrap().intact);
    let conn = rusqlite::Connection::open(data.join("archive.sqlite3")).unwrap();
    let audited: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'certificate'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 2, "one audit row per certificate kept");
}

/// `reindex` while another program imports is refused at once, and the index stays as it was
/// (it used to wait on the import, switch the index folder, then fail).
#[test]
fn reindex_while_another_program_imports_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut archive = archivedesk::Archive::open(&data).unwrap();
    import(&mut archive, &[&sample("retirement_catalogue_gb18030.csv")]);
    let current = || std::fs::read_to_string(data.join("search").join("CURRENT")).unwrap();
    let before = current();
    let big = dir.path().join("大目录.csv");
    write_large_catalogue(&big, 100_000);
    let mut child = Command::new(env!("CARGO_BIN_EXE_archivedesk"))
        .arg("--data-dir")
        .arg(&data)
        .arg("import")
        .arg(&big)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Until the import holds the database for writing.
    let deadline = Instant::now() + Duration::from_secs(120);
    while wal_size(&data) < 1 << 20 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended early"
        );
        assert!(
            Instant::now() < deadline,
            "the import did not start writing"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let started = Instant::now();
    let refused = archive.reindex().unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "refused after {:?}",
        started.elapsed()
    );
    assert!(refused.message.contains("导入"), "{}", refused.message);
    assert_eq!(current(), before, "the index folder was not switched");
    // Once the other program is gone, the index is rebuilt.
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(archive.reindex().is_ok());
}
