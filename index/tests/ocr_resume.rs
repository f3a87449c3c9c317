//! The reading of scanned pages survives being killed and goes on where it stopped: a real
//! `archivedesk ocr` process killed once it has kept a page leaves that page kept whole and the
//! others waiting; the background reader of a door (the session's queue) then reads only those,
//! paused and resumed as the clerk asks (the pause kept across restarts), while the clerk's
//! searches go on.
//!
//! The models are PyPI's (`rapidocr-onnxruntime`), put in place by `.ci/setup`.

mod common;

use archivedesk::api::{PageReadingStatus, SearchRequest};
use archivedesk::session::Session;
use archivedesk::Archive;
use common::cli::{archivedesk, archivedesk_ok, stdout};
use common::scanned_volume::write_volume;
use common::*;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn status(data: &Path) -> PageReadingStatus {
    let out = archivedesk(data, &["ocr", "--status", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// When each page was read, by page number.
fn read_at(data: &Path) -> Vec<(i64, String)> {
    let conn = rusqlite::Connection::open(data.join("archive.sqlite3")).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT p.page_no, t.read_at FROM page_text t JOIN pages p ON p.id = t.page_id
              WHERE t.state = 'read' ORDER BY p.page_no",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    rows
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < Duration::from_secs(180),
            "waited 3 minutes for {what}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn a_reading_killed_goes_on_where_it_stopped_and_the_background_reader_pauses() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("档案库");
    let pages: [&[(&str, String)]; 3] = [
        &[("王秀英", id18("41010219560312002"))],
        &[("李建国", id18("41010219610705001"))],
        &[("刘德福", id18("41010219580921003"))],
    ];
    let (catalogue, scans) = write_volume(dir.path(), &pages);
    archivedesk_ok(
        &data,
        &[
            "import",
            catalogue.to_str().unwrap(),
            scans.to_str().unwrap(),
        ],
    );
    assert_eq!(status(&data).waiting, 3);

    // Killed once it has kept a page, most likely in the middle of the next.
    let mut reading = Command::new(env!("CARGO_BIN_EXE_archivedesk"))
        .arg("--data-dir")
        .arg(&data)
        .args(["ocr", "--wait"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for("the first page kept", || status(&data).read >= 1);
    reading.kill().unwrap();
    reading.wait().unwrap();
    let killed = status(&data);
    assert!(killed.read >= 1 && killed.read < 3, "{killed:?}");
    assert_eq!(killed.failed, 0);
    assert_eq!(killed.read + killed.waiting, 3, "{killed:?}");
    let kept_before = read_at(&data);

    // A door's background reader, paused by the clerk before it started: it reads nothing.
    let session = Session::new(Archive::open(&data).unwrap(), dir.path().join("演示档案库"));
    session.pause_page_reading(true).unwrap();
    session.start_reading_pages().unwrap();
    std::thread::sleep(Duration::from_secs(2));
    let paused = session.page_reading_status().unwrap();
    assert!(paused.paused && !paused.running, "{paused:?}");
    assert_eq!(paused.read, killed.read);
    drop(session);
    // The pause outlives the door: opened again, it stays paused.
    let session = Session::new(Archive::open(&data).unwrap(), dir.path().join("演示档案库"));
    session.start_reading_pages().unwrap();
    assert!(session.page_reading_status().unwrap().paused);

    // Resumed: it reads the pages left, and the clerk searches meanwhile.
    session.pause_page_reading(false).unwrap();
    wait_for("the pages left read", || {
        let search = session.with_archive(|archive| {
            archive.search(&SearchRequest {
                query: "王秀英".into(),
                ..SearchRequest::default()
            })
        });
        assert_eq!(
            search.unwrap().total,
            1,
            "searches go on while pages are read"
        );
        session.page_reading_status().unwrap().waiting == 0
    });
    let done = session.page_reading_status().unwrap();
    assert_eq!((done.read, done.failed), (3, 0), "{done:?}");
    let kept_after = read_at(&data);
    // The pages kept before the kill were not read again.
    for kept in &kept_before {
        assert!(
            kept_after.contains(kept),
            "{kept:?} read again: {kept_after:?}"
        );
    }
    for name in ["王秀英", "李建国", "刘德福"] {
        let found = session
            .with_archive(|archive| {
                archive.search(&SearchRequest {
                    query: name.into(),
                    ..SearchRequest::default()
                })
            })
            .unwrap();
        assert_eq!(found.hits.len(), 1, "{name}: {found:?}");
        assert_eq!(found.hits[0].tier, "scanned_page");
    }
}
