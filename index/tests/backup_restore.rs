//! Backups and restores: a backup taken while another program imports and the counter works
//! holds every act committed before it began and nothing half-done; restored into an empty
//! folder, the chain verifies (the anchors written after the backup are read as a recorded
//! restore, not a cut tail), search works, and the next certificate number is one no citizen
//! holds yet. Encrypted backups hide the data; damaged or mismatched ones are refused.

mod common;

use archivedesk::api::{BackupRequest, DeskSettings, PageRequest, RestoreRequest, SearchRequest};
use archivedesk::Archive;
use common::counter::*;
#[cfg(unix)]
use common::*;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// For the test run on Unix only (see below).
#[cfg(unix)]
fn issue(archive: &mut Archive) -> String {
    use archivedesk::api::IssueRequest;
    let request = liu_with_his_row_attached(archive);
    archive
        .issue_certificate(&IssueRequest {
            request_id: request.id,
            confirmed: None,
        })
        .unwrap()
        .number
}

/// The audit trail's anchors also written to a second folder (as on another drive).
fn with_second_anchor_folder(archive: &mut Archive, dir: &Path) {
    archive
        .set_desk_settings(&DeskSettings {
            anchor_mirror_dir: Some(dir.join("第二位置").display().to_string()),
            ..DeskSettings::default()
        })
        .unwrap();
}

#[cfg(unix)]
fn request_ids(data: &Path) -> Vec<i64> {
    let conn = rusqlite::Connection::open(data.join("archive.sqlite3")).unwrap();
    let mut stmt = conn.prepare("SELECT id FROM requests ORDER BY id").unwrap();
    let ids = stmt.query_map([], |r| r.get(0)).unwrap();
    ids.map(Result::unwrap).collect()
}

fn found(archive: &mut Archive, query: &str) -> usize {
    archive
        .search(&SearchRequest {
            query: query.into(),
            ..Default::default()
        })
        .unwrap()
        .total
}

fn restore(
    data: &Path,
    from: &Path,
    adjust: impl FnOnce(&mut RestoreRequest),
) -> Result<Archive, archivedesk::Error> {
    let mut request = RestoreRequest {
        from: from.display().to_string(),
        ..RestoreRequest::default()
    };
    adjust(&mut request);
    Archive::restore(data, &request).map(|(archive, _)| archive)
}

/// Unix only: under Wine the large import would take the Windows leg minutes.
#[cfg(unix)]
#[test]
fn a_backup_taken_during_an_import_and_counter_work_restores_whole_with_fresh_numbers() {
    use std::process::{Command, Stdio};
    use std::time::Instant;
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    let data = dir.path().join("data");
    with_second_anchor_folder(&mut archive, dir.path());
    // Acts committed before the backup: a request with a certificate, two more requests.
    let first = issue(&mut archive);
    assert!(first.ends_with("A第0001号"), "{first}");
    for _ in 0..2 {
        archive.register_request(&liu_request()).unwrap();
    }
    let before = request_ids(&data);
    let batches_before = snapshot(&data).batches;

    // Another program imports a large catalogue: its transaction is open while the backup runs.
    let big = dir.path().join("大目录.csv");
    write_large_catalogue(&big, 150_000);
    let wal = |d: &Path| std::fs::metadata(d.join("archive.sqlite3-wal")).map_or(0, |m| m.len());
    let wal_before = wal(&data);
    let mut child = Command::new(env!("CARGO_BIN_EXE_archivedesk"))
        .arg("--data-dir")
        .arg(&data)
        .args(["import", "--json"])
        .arg(&big)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(300);
    while wal(&data).saturating_sub(wal_before) < 4 << 20 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended too early; make it larger"
        );
        assert!(
            Instant::now() < deadline,
            "the import wrote nothing in time"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let backups = dir.path().join("备份");
    let report = archive
        .backup(&BackupRequest {
            to: Some(backups.display().to_string()),
            passphrase: None,
        })
        .unwrap();
    assert!(
        child.try_wait().unwrap().is_none(),
        "the backup ran while the import was still open"
    );
    let finished = child.wait_with_output().unwrap();
    assert!(
        finished.status.success(),
        "the import finishes after the backup: {}",
        String::from_utf8_lossy(&finished.stderr)
    );
    assert_eq!(report.counts.requests, before.len() as i64);
    assert_eq!(report.counts.certificates, 1);

    // Work after the backup: another certificate, which a restore must not hand out again.
    let second = issue(&mut archive);
    assert!(second.ends_with("A第0002号"), "{second}");
    drop(archive);

    let restored_data = dir.path().join("恢复后");
    let mut restored = restore(&restored_data, Path::new(&report.folder), |_| {}).unwrap();
    assert_eq!(
        request_ids(&restored_data),
        before,
        "every request committed before the backup, nothing after"
    );
    let restored_batches = snapshot(&restored_data).batches;
    assert_eq!(
        restored_batches, batches_before,
        "the import open during the backup is not in it, not even in part"
    );
    let verification = restored.audit_verify(None).unwrap();
    assert!(verification.intact, "{:?}", verification.problem);
    assert!(
        found(&mut restored, "刘建国") > 0,
        "search works on the rebuilt index"
    );
    let next = issue(&mut restored);
    assert!(
        next.ends_with("A第0003号"),
        "the number after the ones the anchors know was issued: {next}"
    );
    let actions = audit_actions(&mut restored);
    assert!(actions.contains(&"restore".to_string()), "{actions:?}");
    drop(restored);
    // The restore and the certificate after it are anchored outside the database.
    let anchors = archivedesk::audit::anchors::read_folder(&restored_data.join("anchors")).unwrap();
    assert!(
        anchors.values().any(|a| a.restore.is_some()),
        "the restore is anchored"
    );
    let newest = anchors.values().next_back().unwrap();
    assert_eq!(
        newest.certificates.values().max(),
        Some(&3),
        "the new certificate is anchored"
    );

    // The chain still verifies after the archive is reopened and writes on.
    let mut reopened = Archive::open(&restored_data).unwrap();
    reopened.register_request(&liu_request()).unwrap();
    reopened.write_anchor().unwrap();
    let verification = reopened.audit_verify(None).unwrap();
    assert!(verification.intact, "{:?}", verification.problem);
}

#[test]
fn an_encrypted_backup_shows_no_personal_data_and_needs_its_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    let report = archive
        .backup(&BackupRequest {
            to: Some(dir.path().join("备份").display().to_string()),
            passphrase: Some("柜台备份密码2026".into()),
        })
        .unwrap();
    assert!(report.encrypted);
    drop(archive);
    let folder = PathBuf::from(&report.folder);
    for entry in walk(&folder) {
        let bytes = std::fs::read(&entry).unwrap();
        for secret in [liu_id(), "刘建国".to_string()] {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{} holds {secret} in the clear",
                entry.display()
            );
        }
    }
    let target = dir.path().join("恢复");
    let wrong = restore(&target, &folder, |r| {
        r.passphrase = Some("不对的密码12345".into())
    })
    .err()
    .expect("refused");
    assert!(wrong.message.contains("备份密码不对"), "{}", wrong.message);
    let missing = restore(&target, &folder, |_| {}).err().expect("refused");
    assert!(missing.message.contains("已加密"), "{}", missing.message);
    assert!(
        !target.join("archive.sqlite3").exists(),
        "nothing put in place"
    );
    let mut restored = restore(&target, &folder, |r| {
        r.passphrase = Some("柜台备份密码2026".into())
    })
    .unwrap();
    assert!(found(&mut restored, "刘建国") > 0);
}

fn walk(folder: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(folder).unwrap().flatten() {
        if entry.path().is_dir() {
            out.extend(walk(&entry.path()));
        } else {
            out.push(entry.path());
        }
    }
    out
}

#[test]
fn a_damaged_or_misplaced_restore_is_refused_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    let report = archive
        .backup(&BackupRequest {
            to: Some(dir.path().join("备份").display().to_string()),
            passphrase: None,
        })
        .unwrap();
    let folder = PathBuf::from(&report.folder);

    let occupied = dir.path().join("data");
    let refused = restore(&occupied, &folder, |_| {}).err().expect("refused");
    assert!(refused.message.contains("不是空的"), "{}", refused.message);
    drop(archive);

    // One byte of the database changed after the backup: the manifest's checksum catches it.
    let damaged = dir.path().join("坏备份");
    std::fs::create_dir_all(&damaged).unwrap();
    for entry in walk(&folder) {
        let relative = entry.strip_prefix(&folder).unwrap();
        std::fs::create_dir_all(damaged.join(relative).parent().unwrap()).unwrap();
        std::fs::copy(&entry, damaged.join(relative)).unwrap();
    }
    let db = damaged.join("archive.sqlite3");
    let mut bytes = std::fs::read(&db).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x5a;
    std::fs::write(&db, bytes).unwrap();
    let target = dir.path().join("恢复");
    let refused = restore(&target, &damaged, |_| {}).err().expect("refused");
    assert!(
        refused.message.contains("archive.sqlite3") && refused.message.contains("校验值不符"),
        "{}",
        refused.message
    );
    assert!(
        std::fs::read_dir(&target).map_or(true, |mut d| d.next().is_none()),
        "nothing left in the target"
    );

    // A manifest naming a file outside the backup is refused.
    std::fs::copy(
        folder.join("archive.sqlite3"),
        damaged.join("archive.sqlite3"),
    )
    .unwrap();
    let manifest = damaged.join("manifest.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let climbing = text.replacen("\"archive.sqlite3\"", "\"../archive.sqlite3\"", 1);
    assert_ne!(climbing, text);
    std::fs::write(&manifest, climbing).unwrap();
    let refused = restore(&target, &damaged, |_| {}).err().expect("refused");
    assert!(
        refused.message.contains("不在备份清单中"),
        "{}",
        refused.message
    );

    // A scan folder that moved is named, and re-pointed when its new place is given.
    let scans = dir.path().join("扫描件");
    let moved = dir.path().join("新盘").join("扫描件");
    std::fs::create_dir_all(moved.parent().unwrap()).unwrap();
    std::fs::rename(&scans, &moved).unwrap();
    let refused = restore(&target, &folder, |_| {}).err().expect("refused");
    assert!(
        refused.message.contains(&scans.display().to_string())
            && refused.message.contains("--scan-root"),
        "{}",
        refused.message
    );
    let mut restored = restore(&target, &folder, |r| {
        r.scan_roots = vec![(scans.display().to_string(), moved.display().to_string())]
    })
    .unwrap();
    let document = document_id(&mut restored, REF);
    restored
        .view_document(&archivedesk::api::DocumentRequest {
            document_id: Some(document),
            ..Default::default()
        })
        .unwrap();
    let page = restored
        .page_image(&PageRequest {
            document_id: document,
            page_no: 1,
            size: Default::default(),
        })
        .unwrap();
    assert!(
        !page.bytes.is_empty(),
        "the page is read from its new place"
    );
}

#[test]
fn the_daily_backup_runs_once_a_day_and_keeps_the_number_asked() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    let backups = dir.path().join("每日备份");
    archive
        .set_desk_settings(&DeskSettings {
            backup_dir: Some(backups.display().to_string()),
            backup_time: Some("08:00".into()),
            backup_keep: Some(2),
            ..DeskSettings::default()
        })
        .unwrap();
    let day = |d: u32, time: &str| {
        chrono::NaiveDateTime::parse_from_str(
            &format!("2026-12-{d:02} {time}"),
            "%Y-%m-%d %H:%M:%S",
        )
        .unwrap()
    };
    let taken = archive
        .backup_if_due(day(6, "08:00:30"))
        .expect("due")
        .unwrap();
    assert!(Path::new(&taken.folder).join("manifest.json").is_file());
    let status = archive.backup_status().unwrap();
    assert_eq!(status.last_folder.as_deref(), Some(taken.folder.as_str()));
    assert!(
        archive.backup_if_due(day(6, "23:00:00")).is_none(),
        "once a day"
    );
    assert!(
        archive.backup_if_due(day(7, "07:00:00")).is_none(),
        "not before the next day's time"
    );
    assert!(
        archive.backup_if_due(day(7, "08:05:00")).is_some(),
        "and the next day again"
    );
    let mut newest = Vec::new();
    for _ in 0..2 {
        std::thread::sleep(Duration::from_millis(1100));
        newest.push(archive.backup(&BackupRequest::default()).unwrap().folder);
    }
    let mut kept: Vec<String> = std::fs::read_dir(&backups)
        .unwrap()
        .flatten()
        .map(|e| e.path().display().to_string())
        .collect();
    kept.sort();
    assert_eq!(kept, newest, "only the two newest are kept");

    // A passphrase set, then cleared again: the backups go on, unencrypted.
    for passphrase in ["柜台备份密码2026", ""] {
        archive
            .set_desk_settings(&DeskSettings {
                backup_passphrase: Some(passphrase.into()),
                ..DeskSettings::default()
            })
            .unwrap();
        std::thread::sleep(Duration::from_millis(1100));
        let report = archive.backup(&BackupRequest::default()).unwrap();
        assert_eq!(report.encrypted, !passphrase.is_empty());
    }
    archive.chain_looks().unwrap();
    let trail = open_raw(&archive)
        .query_row("SELECT group_concat(detail, ' ') FROM audit_log", [], |r| {
            r.get::<_, String>(0)
        })
        .unwrap();
    assert!(
        !trail.contains("柜台备份密码2026"),
        "the passphrase never reaches the trail"
    );
}

#[test]
fn a_restore_row_forged_into_the_database_does_not_excuse_a_cut_trail() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    with_second_anchor_folder(&mut archive, dir.path());
    for _ in 0..3 {
        archive.register_request(&liu_request()).unwrap();
        archive.write_anchor().unwrap().expect("anchored");
    }
    let data = dir.path().join("data");
    drop(archive);
    let known = archivedesk::audit::anchors::read_folder(&data.join("anchors")).unwrap();
    let anchors_known = *known.keys().next_back().unwrap();
    let cut_to = known.values().next().unwrap().count;
    // What someone with the database (not the anchor folders) could do: cut the trail, then
    // append a row that claims a restore set the rest aside.
    let conn = rusqlite::Connection::open(data.join("archive.sqlite3")).unwrap();
    conn.execute_batch(&format!(
        "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq > {cut_to};"
    ))
    .unwrap();
    let detail =
        serde_json::json!({ "backup_rows": cut_to, "anchors_known": anchors_known }).to_string();
    archivedesk::audit::append_row(
        &conn,
        &archivedesk::audit::Row {
            at: "2026-12-06 10:00:00",
            actor: "local（本机）",
            action: "restore",
            target: Some("E:\\备份"),
            detail: &detail,
        },
    )
    .unwrap();
    drop(conn);
    let mut opened = Archive::open(&data).unwrap();
    let verification = opened.audit_verify(None).unwrap();
    assert!(
        !verification.intact,
        "a forged restore row is not taken for a restore"
    );
}

#[test]
fn a_damaged_database_is_found_by_the_quick_check_and_refused_naming_the_last_backup() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    let data = dir.path().join("data");
    let report = archive
        .backup(&BackupRequest {
            to: Some(dir.path().join("备份").display().to_string()),
            passphrase: None,
        })
        .unwrap();
    drop(archive);
    assert_eq!(
        archivedesk::archive::damage::quick_check(&data),
        None,
        "sound before"
    );

    // Pages of the database overwritten, as a failing disk does.
    let db = data.join("archive.sqlite3");
    let mut bytes = std::fs::read(&db).unwrap();
    assert!(
        !Path::new(&format!("{}-wal", db.display())).exists()
            || std::fs::metadata(format!("{}-wal", db.display()))
                .unwrap()
                .len()
                == 0
    );
    let page = 4096;
    for offset in (page * 2..bytes.len().min(page * 6)).step_by(7) {
        bytes[offset] = 0xAB;
    }
    std::fs::write(&db, &bytes).unwrap();
    let found = archivedesk::archive::damage::quick_check(&data).expect("the quick check finds it");
    let refused = archivedesk::archive::damage::damaged(&data, &found);
    assert!(
        refused.message.contains("已损坏") && refused.message.contains(&report.folder),
        "{}",
        refused.message
    );

    // A header overwritten: opening refuses, naming the backup.
    bytes[..100].fill(0x41);
    std::fs::write(&db, &bytes).unwrap();
    let refused = Archive::open(&data).err().expect("refused");
    assert!(
        refused.message.contains(&report.folder) && refused.message.contains("restore"),
        "{}",
        refused.message
    );
}
