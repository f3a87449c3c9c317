//! The audit trail's anchors: written on close and to the second folder, they catch a cut tail
//! or a missing anchor; a certificate names where the trail stood; a copy of the data folder
//! opened to be checked writes none.

mod common;

use archivedesk::api::Role;
use archivedesk::Archive;
use common::audited::*;
use common::counter::*;
use std::path::Path;

#[test]
fn anchors_are_written_on_close_and_catch_a_cut_tail_or_a_missing_anchor() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mirror = dir.path().join("另一个盘").join("锚点");
    {
        let mut archive = audited_archive(dir.path());
        archive
            .set_desk_settings(&archivedesk::api::DeskSettings {
                anchor_mirror_dir: Some(mirror.display().to_string()),
                ..Default::default()
            })
            .unwrap();
        archive.register_request(&liu_request()).unwrap();
    } // closed: an anchor of everything so far.
    let anchors = |folder: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let written = anchors(&data.join("anchors"));
    assert!(written.len() >= 2, "{written:?}");
    let uid: String = rusqlite::Connection::open(data.join("archive.sqlite3"))
        .unwrap()
        .query_row(
            "SELECT value FROM meta WHERE key = 'archive_uid'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        anchors(&mirror.join(uid)),
        written,
        "the second folder has every anchor, in a folder of the archive's own"
    );
    let mut archive = Archive::open(&data).unwrap();
    let verified = archive.audit_verify(None).unwrap();
    assert!(verified.intact, "{:?}", verified.problem);
    assert_eq!(verified.anchors as usize, written.len());

    // The tail cut after the last anchor: no exported head needed to see it.
    let rows = verified.rows;
    tamper(
        &archive,
        &format!("DELETE FROM audit_log WHERE seq > {}", rows - 3),
    );
    let cut = archive.audit_verify(None).unwrap();
    assert!(!cut.intact);
    assert!(cut.problem.unwrap().contains("锚点"));

    // An anchor deleted from the middle of the anchors' chain.
    let dir2 = tempfile::tempdir().unwrap();
    {
        let mut archive = audited_archive(dir2.path());
        archive.write_anchor().unwrap();
        archive.register_request(&liu_request()).unwrap();
        archive.write_anchor().unwrap();
    }
    let folder = dir2.path().join("data").join("anchors");
    let names = anchors(&folder);
    assert!(names.len() >= 3, "{names:?}");
    std::fs::remove_file(folder.join(&names[1])).unwrap();
    let mut archive = Archive::open(&dir2.path().join("data")).unwrap();
    let broken = archive.audit_verify(None).unwrap();
    assert!(!broken.intact);
    assert!(broken.problem.unwrap().contains("锚点"));
}

#[test]
fn a_certificate_names_where_the_audit_trail_stood() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    let request = liu_with_his_row_attached(&mut archive);
    let issued = archive
        .issue_certificate(&archivedesk::api::IssueRequest {
            request_id: request.id,
            confirmed: None,
        })
        .unwrap();
    let (_, pdf) = archive.certificate_pdf(&issued.number).unwrap();
    let conn = open_raw(&archive);
    let detail: String = conn
        .query_row(
            "SELECT detail FROM audit_log WHERE action = 'certificate'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let detail: serde_json::Value = serde_json::from_str(&detail).unwrap();
    let position = detail["audit_position"].as_str().unwrap().to_string();
    assert!(position.starts_with("第 "), "{position}");
    if let Some(text) = pdftotext(&pdf, dir.path()) {
        let flat: String = text.split_whitespace().collect();
        let wanted: String = position.split_whitespace().collect();
        assert!(flat.contains(&wanted), "{position} in {text}");
    }
}

#[test]
fn a_copy_of_the_data_folder_checked_writes_no_anchor() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut archive = audited_archive(dir.path());
        archive.chain_looks().unwrap();
    }
    let data = dir.path().join("data");
    let copy = dir.path().join("备份核对");
    std::fs::create_dir_all(&copy).unwrap();
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, copy.join(path.file_name().unwrap())).unwrap();
        }
    }
    let count = |folder: &Path| {
        std::fs::read_dir(folder.join("anchors"))
            .map(|d| d.count())
            .unwrap_or(0)
    };
    let mut checked = Archive::open(&copy).unwrap();
    checked.act_as(clerk("wangzhu", Role::Supervisor));
    let verified = checked.audit_verify(None).unwrap();
    drop(checked);
    assert!(verified.rows > 0);
    assert_eq!(count(&copy), 0, "{:?}", verified);
}
