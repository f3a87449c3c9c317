//! A disk that fills up — made without privileges, by capping the database file's pages as
//! SQLite's own I/O-error tests do, and the bytes the search index may write — during an import,
//! a certificate, an index commit and a backup: the clerk is told the disk is full, nothing is
//! half-written, and the same work succeeds once there is room again.

mod common;

use archivedesk::api::{FileOutcome, IssueRequest};
use archivedesk::Archive;
use common::counter::*;
use common::*;
use std::path::Path;

fn pages(data: &Path) -> u64 {
    let conn = rusqlite::Connection::open(data.join("archive.sqlite3")).unwrap();
    conn.query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn an_import_on_a_full_disk_writes_nothing_and_goes_through_once_there_is_room() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    let data = dir.path().join("data");
    let big = dir.path().join("大目录.csv");
    write_large_catalogue(&big, 3_000);
    let before = snapshot(&data);
    archive.cap_database_pages(Some(pages(&data) + 2)).unwrap();
    let report = import(&mut archive, &[&big]);
    let file = &report.files[0];
    assert_eq!(file.outcome, FileOutcome::Refused);
    let message = file.message.as_deref().unwrap_or_default();
    assert!(message.contains("磁盘已满"), "{message}");
    assert_eq!(snapshot(&data), before, "nothing of the file was written");

    archive.cap_database_pages(None).unwrap();
    let report = import(&mut archive, &[&big]);
    assert_eq!(report.files[0].outcome, FileOutcome::Imported);
    assert_eq!(report.files[0].rows_accepted, 3_000);
}

#[test]
fn a_certificate_on_a_full_disk_takes_no_number_and_is_issued_once_there_is_room() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    let data = dir.path().join("data");
    let request = liu_with_his_row_attached(&mut archive);
    archive.cap_database_pages(Some(pages(&data))).unwrap();
    let refused = archive
        .issue_certificate(&IssueRequest {
            request_id: request.id,
            confirmed: None,
        })
        .expect_err("the PDF does not fit");
    assert!(refused.message.contains("磁盘已满"), "{}", refused.message);
    let held = |data: &Path| -> i64 {
        let conn = rusqlite::Connection::open(data.join("archive.sqlite3")).unwrap();
        conn.query_row("SELECT COUNT(*) FROM certificates", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(held(&data), 0, "no certificate half-issued");

    archive.cap_database_pages(None).unwrap();
    let issued = archive
        .issue_certificate(&IssueRequest {
            request_id: request.id,
            confirmed: None,
        })
        .unwrap();
    assert!(
        issued.number.ends_with("A第0001号"),
        "the number was not used up: {}",
        issued.number
    );
    assert!(archive.audit_verify(None).unwrap().intact);
}

#[test]
fn a_backup_to_a_full_drive_leaves_no_backup_behind_and_the_next_one_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, _) = archive_with_wage_table(dir.path());
    let data = dir.path().join("data");
    drop(archive);
    let to = dir.path().join("备份");
    let refused = archivedesk::backup::take::take_capped(&data, &to, None, Some(3))
        .err()
        .expect("the copy does not fit");
    assert!(
        refused.message.contains("磁盘已满") && refused.message.contains("不完整的备份已删除"),
        "{}",
        refused.message
    );
    assert_eq!(
        std::fs::read_dir(&to).unwrap().count(),
        0,
        "nothing that looks like a backup is left"
    );
    let taken = archivedesk::backup::take::take(&data, &to, None).unwrap();
    assert!(taken.folder.join("manifest.json").is_file());
    let mut archive = Archive::open(&data).unwrap();
    assert!(archive.audit_verify(None).unwrap().intact);
}

#[test]
fn an_index_commit_on_a_full_disk_says_so_and_the_index_catches_up_once_there_is_room() {
    use archivedesk::api::SearchRequest;
    use archivedesk::error::ErrorCode;
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    let data = dir.path().join("data");
    let big = dir.path().join("大目录.csv");
    write_large_catalogue(&big, 3_000);
    let search = |archive: &mut Archive, query: &str| {
        archive.search(&SearchRequest {
            query: query.into(),
            limit: Some(5),
            ..SearchRequest::default()
        })
    };
    let wanted = search(&mut archive, "刘建国").unwrap().total;
    assert!(wanted > 0);

    archive.cap_index_writes(Some(4096)).unwrap();
    let refused = archive
        .import(
            &archivedesk::api::ImportRequest {
                paths: vec![big.clone()],
                ..Default::default()
            },
            &mut |_| {},
        )
        .expect_err("the index does not fit");
    assert_eq!(refused.code, ErrorCode::DiskFull, "{}", refused.message);
    assert!(refused.message.contains("磁盘已满"), "{}", refused.message);
    // The store took the file whole; the index still answers for what it committed.
    let stored = snapshot(&data);
    let searched = search(&mut archive, "刘建国");
    assert_eq!(
        searched.map_err(|e| e.code).unwrap_err(),
        ErrorCode::DiskFull,
        "a search that cannot bring the index up to date says the disk is full"
    );

    archive.cap_index_writes(None).unwrap();
    let found = search(&mut archive, "职工1234").unwrap();
    assert!(
        found.total > 0,
        "the file's rows are searchable once there is room"
    );
    assert_eq!(search(&mut archive, "刘建国").unwrap().total, wanted);
    drop(archive);
    let mut again = Archive::open(&data).unwrap();
    let status = again.status().unwrap();
    assert_eq!(
        status.index_rebuilt_because, None,
        "nothing half-written: the index opens as it was left"
    );
    assert_eq!(snapshot(&data), stored);
    assert!(search(&mut again, "职工1234").unwrap().total > 0);
}
