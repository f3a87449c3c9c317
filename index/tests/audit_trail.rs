//! Who is at the desk and what is recorded of it: accounts and logins, the hash-chained audit
//! trail and the tampering `audit verify` finds, and looks made while an import holds the
//! database.

mod common;

use archivedesk::api::{DocumentRequest, LoginRequest, NewClerk, Role, SearchRequest};
use archivedesk::{Archive, ErrorCode};
use common::counter::*;
use std::path::Path;

/// An archive with some audited acts: searches, a view, a request.
fn audited_archive(dir: &Path) -> Archive {
    let (mut archive, _) = archive_with_wage_table(dir);
    for (query, committed) in [("刘", false), ("刘建", false), ("刘建国", true)] {
        archive
            .search_as_caller(&SearchRequest {
                query: query.into(),
                committed,
                ..SearchRequest::default()
            })
            .unwrap();
    }
    archive.register_request(&liu_request()).unwrap();
    archive
        .view_document(&DocumentRequest {
            reference: Some(REF.into()),
            ..DocumentRequest::default()
        })
        .unwrap();
    archive
}

/// Lifts the append-only triggers, as someone with the database file in hand could.
fn tamper(archive: &Archive, sql: &str) {
    let conn = open_raw(archive);
    conn.execute_batch(&format!(
        "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; {sql}"
    ))
    .unwrap();
}

#[test]
fn the_first_account_is_the_supervisor_and_logins_are_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    assert!(archive.needs_first_clerk().unwrap());
    let first = archive
        .create_clerk(&NewClerk {
            login: "wangzhu".into(),
            display_name: "王主任".into(),
            role: Role::Clerk,
            password: "chaxun-2026".into(),
        })
        .unwrap();
    assert_eq!(first.role, Role::Supervisor, "first run creates the admin");
    assert!(!archive.needs_first_clerk().unwrap());

    let clerk_caller = clerk("somebody", Role::Clerk);
    archive.act_as(clerk_caller);
    let new = NewClerk {
        login: "zhangli".into(),
        display_name: "张丽".into(),
        role: Role::Clerk,
        password: "chuangkou-1".into(),
    };
    assert_eq!(
        archive.create_clerk(&new).unwrap_err().code,
        ErrorCode::Forbidden
    );
    let supervisor = archive
        .login(&LoginRequest {
            login: "wangzhu".into(),
            password: "chaxun-2026".into(),
        })
        .unwrap();
    assert_eq!(supervisor.role, Role::Supervisor);
    archive.act_as(supervisor);
    archive.create_clerk(&new).unwrap();
    let short = NewClerk {
        login: "li".into(),
        password: "short".into(),
        ..new.clone()
    };
    assert!(archive
        .create_clerk(&short)
        .unwrap_err()
        .message
        .contains("密码"));

    let wrong = archive
        .login(&LoginRequest {
            login: "zhangli".into(),
            password: "wrong-password".into(),
        })
        .unwrap_err();
    assert_eq!(wrong.code, ErrorCode::Unauthorized);
    let nobody = archive
        .login(&LoginRequest {
            login: "nobody".into(),
            password: "chuangkou-1".into(),
        })
        .unwrap_err();
    assert_eq!(nobody.message, wrong.message, "no hint which logins exist");
    let zhang = archive
        .login(&LoginRequest {
            login: "zhangli".into(),
            password: "chuangkou-1".into(),
        })
        .unwrap();
    assert_eq!(
        (zhang.role, zhang.display_name.as_str()),
        (Role::Clerk, "张丽")
    );
    let actions = audit_actions(&archive);
    assert_eq!(actions.iter().filter(|a| *a == "login_failed").count(), 2);
    assert_eq!(actions.iter().filter(|a| *a == "login").count(), 2);
    let stored: String = rusqlite::Connection::open(archive.database_path())
        .unwrap()
        .query_row(
            "SELECT password_hash FROM clerks WHERE login = 'zhangli'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(stored.starts_with("$argon2id$") && !stored.contains("chuangkou-1"));
}

#[test]
fn a_failed_login_under_an_unknown_name_does_not_keep_what_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    archive
        .create_clerk(&NewClerk {
            login: "wangzhu".into(),
            display_name: "王主任".into(),
            role: Role::Supervisor,
            password: "chaxun-2026".into(),
        })
        .unwrap();
    let typed_password = "my-secret-password";
    assert!(archive
        .login(&LoginRequest {
            login: typed_password.into(),
            password: "x".into(),
        })
        .is_err());
    let conn = open_raw(&archive);
    let trail: String = conn
        .query_row(
            "SELECT group_concat(actor || detail, ' ') FROM audit_log",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!trail.contains(typed_password), "{trail}");
    assert!(trail.contains("未知账号"));
}

#[test]
fn the_audit_trail_records_committed_searches_and_cannot_be_changed_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = audited_archive(dir.path());
    let actions = audit_actions(&archive);
    assert_eq!(
        actions,
        vec!["import", "search", "register", "view_record"],
        "an import of two files, one committed search (not its keystrokes), the request, the view"
    );
    let conn = open_raw(&archive);
    let detail: String = conn
        .query_row(
            "SELECT detail FROM audit_log WHERE action = 'search'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(detail.contains("刘建国"), "the full query is kept");
    let update = conn.execute("UPDATE audit_log SET actor = 'x' WHERE seq = 1", []);
    assert!(update.unwrap_err().to_string().contains("只能追加"));
    assert!(conn
        .execute("DELETE FROM audit_log WHERE seq = 2", [])
        .is_err());
    let verified = archive.audit_verify(None).unwrap();
    assert!(verified.intact && verified.rows == 4);
}

#[test]
fn audit_verify_detects_an_edited_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = audited_archive(dir.path());
    tamper(
        &archive,
        "UPDATE audit_log SET detail = replace(detail, '刘建国', '王磊') WHERE action = 'search'",
    );
    let verified = archive.audit_verify(None).unwrap();
    assert!(!verified.intact);
    assert_eq!(verified.broken_at, Some(2));
    assert!(verified.problem.unwrap().contains("改动"));
}

#[test]
fn audit_verify_detects_a_deleted_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = audited_archive(dir.path());
    tamper(&archive, "DELETE FROM audit_log WHERE seq = 2");
    let verified = archive.audit_verify(None).unwrap();
    assert!(!verified.intact);
    assert_eq!(verified.broken_at, Some(3));
    // The last row deleted: only the exported head shows it.
    let dir2 = tempfile::tempdir().unwrap();
    let mut archive = audited_archive(dir2.path());
    let head_file = dir2.path().join("head.json");
    let head = archive.audit_export(&head_file).unwrap();
    tamper(
        &archive,
        &format!("DELETE FROM audit_log WHERE seq >= {}", head.count),
    );
    assert!(archive.audit_verify(None).unwrap().intact);
    let head = archivedesk::audit::read_head(&head_file).unwrap();
    assert!(!archive.audit_verify(Some(&head)).unwrap().intact);
}

#[test]
fn audit_verify_detects_reordered_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = audited_archive(dir.path());
    // Swap rows 2 and 3, each keeping its own seq and hashes.
    tamper(
        &archive,
        "UPDATE audit_log SET seq = -2 WHERE seq = 2;
         UPDATE audit_log SET seq = 2 WHERE seq = 3;
         UPDATE audit_log SET seq = 3 WHERE seq = -2;",
    );
    let verified = archive.audit_verify(None).unwrap();
    assert!(!verified.intact);
    assert_eq!(verified.broken_at, Some(2));
}

#[test]
fn a_chain_rewritten_after_its_head_was_exported_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = audited_archive(dir.path());
    let head_file = dir.path().join("审计链头.json");
    archive.audit_export(&head_file).unwrap();
    let head = archivedesk::audit::read_head(&head_file).unwrap();
    assert!(archive.audit_verify(Some(&head)).unwrap().intact);
    // Rewrite the search row and every hash after it consistently.
    let conn = open_raw(&archive);
    conn.execute_batch("DROP TRIGGER audit_log_no_update;")
        .unwrap();
    conn.execute(
        "UPDATE audit_log SET detail = replace(detail, '刘建国', '王磊') WHERE action = 'search'",
        [],
    )
    .unwrap();
    let rows: Vec<(i64, String, String, String, Option<String>, String)> = conn
        .prepare("SELECT seq, at, actor, action, target, detail FROM audit_log ORDER BY seq")
        .unwrap()
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut prev = "0".repeat(64);
    for (seq, at, actor, action, target, detail) in rows {
        let hash = archivedesk::audit::row_hash(
            seq,
            &at,
            &actor,
            &action,
            target.as_deref(),
            &detail,
            &prev,
        );
        conn.execute(
            "UPDATE audit_log SET prev_hash = ?2, hash = ?3 WHERE seq = ?1",
            rusqlite::params![seq, prev, hash],
        )
        .unwrap();
        prev = hash;
    }
    assert!(
        archive.audit_verify(None).unwrap().intact,
        "a consistent rewrite passes the walk alone"
    );
    let verified = archive.audit_verify(Some(&head)).unwrap();
    assert!(!verified.intact);
    assert!(verified.problem.unwrap().contains("链头"));
}

/// While an import holds the database, a committed search is answered at once; its audit row
/// is kept and written, in order and with its time, before the next act.
#[test]
fn looks_made_while_an_import_holds_the_database_are_written_afterwards() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    let holder = open_raw(&archive);
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = std::time::Instant::now();
    let found = archive
        .search_as_caller(&SearchRequest {
            query: "刘建国".into(),
            committed: true,
            ..SearchRequest::default()
        })
        .unwrap();
    assert!(found.total > 0);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert!(!audit_actions(&archive).contains(&"search".to_string()));
    // An act must be recorded before it is done: it waits, then says the archive is busy.
    let refused = archive.register_request(&liu_request()).unwrap_err();
    assert_eq!(refused.code, ErrorCode::Busy);
    holder.execute_batch("COMMIT").unwrap();
    archive.register_request(&liu_request()).unwrap();
    let actions = audit_actions(&archive);
    let search = actions.iter().position(|a| a == "search").expect("written");
    let register = actions.iter().position(|a| a == "register").unwrap();
    assert!(search < register);
    assert!(archive.audit_verify(None).unwrap().intact);
}
