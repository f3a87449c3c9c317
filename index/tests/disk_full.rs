//! A disk that fills up — made without privileges, by capping the database file's pages as
//! SQLite's own I/O-error tests do — during an import, a certificate and a backup: the clerk is
//! told the disk is full, nothing is half-written, and the same work succeeds once there is
//! room again.

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
