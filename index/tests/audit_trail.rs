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
    let actions = audit_actions(&mut archive);
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
    archive.chain_looks().unwrap();
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
    let actions = audit_actions(&mut archive);
    assert_eq!(
        actions,
        vec!["import", "import", "search", "register", "view_record"],
        "each imported file, one search (its keystrokes folded into it), the request, the view"
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
    // The five rows above and the anchor written after the first act.
    assert!(verified.intact && verified.rows == 6, "{verified:?}");
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
    assert_eq!(verified.broken_at, Some(3));
    assert!(verified.problem.unwrap().contains("改动"));
}

#[test]
fn audit_verify_detects_a_deleted_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = audited_archive(dir.path());
    archive.chain_looks().unwrap();
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
    archive.chain_looks().unwrap();
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
    // The walk alone cannot see a consistent rewrite; the anchor written after the first act
    // covers the search row, and the exported head does too.
    let verified = archive.audit_verify(None).unwrap();
    assert!(!verified.intact);
    assert!(
        verified.problem.unwrap().contains("锚点"),
        "caught by the anchor"
    );
    std::fs::remove_dir_all(dir.path().join("data").join("anchors")).unwrap();
    let verified = archive.audit_verify(Some(&head)).unwrap();
    assert!(!verified.intact);
    let problem = verified.problem.unwrap();
    assert!(
        problem.contains("链头") || problem.contains("锚点"),
        "{problem}"
    );
}

/// While an import holds the database, a search is answered at once; its look is journaled and
/// chained, in order and with its time, before the next act.
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
    let on_trail: i64 = open_raw(&archive)
        .query_row(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'search'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(on_trail, 0, "journaled, not yet chained");
    // An act must be recorded before it is done: it waits, then says the archive is busy.
    let refused = archive.register_request(&liu_request()).unwrap_err();
    assert_eq!(refused.code, ErrorCode::Busy);
    holder.execute_batch("COMMIT").unwrap();
    archive.register_request(&liu_request()).unwrap();
    let actions = audit_actions(&mut archive);
    let search = actions.iter().position(|a| a == "search").expect("written");
    let register = actions.iter().position(|a| a == "register").unwrap();
    assert!(search < register);
    assert!(archive.audit_verify(None).unwrap().intact);
}

fn searches_on_the_trail(archive: &mut Archive) -> Vec<String> {
    archive.chain_looks().unwrap();
    let conn = open_raw(archive);
    let mut stmt = conn
        .prepare("SELECT detail FROM audit_log WHERE action = 'search' ORDER BY seq")
        .unwrap();
    let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
    rows.map(|d| {
        let d: serde_json::Value = serde_json::from_str(&d.unwrap()).unwrap();
        d["query"].as_str().unwrap().to_string()
    })
    .collect()
}

/// The client's `committed` flag no longer decides what is recorded: every query answered is,
/// and only a query the clerk's next one extends is folded into it.
#[test]
fn every_query_answered_is_recorded_whatever_the_client_says() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    archive.act_as(clerk("zhangli", Role::Clerk));
    let liu = liu_id();
    let mut typed = Vec::new();
    // A whole ID typed key by key, read, then the box edited down to 张.
    for n in 1..=liu.len() {
        typed.push(liu[..n].to_string());
    }
    typed.push("张".into());
    for query in &typed {
        archive
            .search_as_caller(&SearchRequest {
                query: query.clone(),
                committed: false,
                ..SearchRequest::default()
            })
            .unwrap();
    }
    // Browsing by a filter alone is a search too.
    archive
        .search_as_caller(&SearchRequest {
            work_unit: Some("红星机械厂".into()),
            ..SearchRequest::default()
        })
        .unwrap();
    assert_eq!(
        searches_on_the_trail(&mut archive),
        vec![liu.clone(), "张".into(), String::new()]
    );
}

#[test]
fn pages_are_served_only_within_a_recorded_view_and_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    let document = document_id(&mut archive, REF);
    archive.act_as(clerk("zhangli", Role::Clerk));
    let page = |size| archivedesk::api::PageRequest {
        document_id: document,
        page_no: 1,
        size,
    };
    let refused = archive.page_image(&page(Default::default())).err().unwrap();
    assert_eq!(refused.code, ErrorCode::Forbidden, "no view, no page");
    archive
        .view_document(&DocumentRequest {
            document_id: Some(document),
            ..DocumentRequest::default()
        })
        .unwrap();
    archive
        .page_image(&page(archivedesk::api::PageSize::Preview))
        .unwrap();
    archive
        .page_image(&page(archivedesk::api::PageSize::Full))
        .unwrap();
    // Another clerk at the same archive has no view of it.
    archive.act_as(clerk("wangfang", Role::Clerk));
    assert_eq!(
        archive
            .page_image(&page(Default::default()))
            .err()
            .unwrap()
            .code,
        ErrorCode::Forbidden
    );
    archive.chain_looks().unwrap();
    let conn = open_raw(&archive);
    let rows: Vec<(String, String)> = conn
        .prepare("SELECT actor, detail FROM audit_log WHERE action = 'view_pages'")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        rows.len(),
        1,
        "one row per view, listing the pages: {rows:?}"
    );
    assert!(rows[0].0.starts_with("zhangli"));
    let detail: serde_json::Value = serde_json::from_str(&rows[0].1).unwrap();
    assert_eq!(detail["pages"], serde_json::json!([1]));
}

#[test]
fn a_decision_about_a_person_is_written_with_its_row() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    let liu = entry_of(&mut archive, REF, "刘建国");
    let zhao = entry_of(&mut archive, REF_CONTROLLED, "赵敏");
    archive
        .decide_person(&archivedesk::api::PersonDecision {
            entry_id: zhao,
            person_entry_id: liu,
            action: "split".into(),
        })
        .unwrap();
    let conn = open_raw(&archive);
    let (decisions, rows): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT COUNT(*) FROM person_decisions),
                    (SELECT COUNT(*) FROM audit_log WHERE action = 'decide_person')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((decisions, rows), (1, 1));
}

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

/// Opening a copy of the data folder to check it writes no anchor: anchors speak for the
/// archive that wrote the rows.
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

#[test]
fn a_wrong_current_password_counts_as_a_failed_login() {
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
    let me = archive
        .login(&LoginRequest {
            login: "wangzhu".into(),
            password: "chaxun-2026".into(),
        })
        .unwrap();
    archive.act_as(me);
    let mut outcomes = Vec::new();
    for n in 0..6 {
        let refused = archive
            .change_own_password(&archivedesk::api::PasswordChange {
                current_password: format!("guess-{n}"),
                new_password: "新的柜台密码-2026".into(),
            })
            .unwrap_err();
        outcomes.push(refused.code);
    }
    assert!(outcomes.contains(&ErrorCode::Throttled), "{outcomes:?}");
    let actions = audit_actions(&mut archive);
    assert!(
        actions
            .iter()
            .filter(|a| *a == "password_change_failed")
            .count()
            >= 4
    );
}

#[test]
fn the_trail_is_filtered_by_clerk_action_and_day() {
    use archivedesk::api::AuditQuery;
    let dir = tempfile::tempdir().unwrap();
    let mut archive = audited_archive(dir.path());
    archive.act_as(clerk("zhangli", Role::Clerk));
    archive
        .search_as_caller(&SearchRequest {
            query: "王磊".into(),
            committed: true,
            ..SearchRequest::default()
        })
        .unwrap();
    archive.act_as(clerk("wangzhu", Role::Supervisor));
    let mut rows = |query: AuditQuery| {
        archive
            .audit_rows(&AuditQuery {
                limit: Some(1000),
                ..query
            })
            .unwrap()
    };
    let everything = rows(AuditQuery::default());
    assert!(everything.len() > 3, "{everything:?}");

    // By clerk, as typed: part of the login or of the name.
    for typed in ["zhangli", "zhangli的名"] {
        let by_zhang = rows(AuditQuery {
            actor: Some(typed.into()),
            ..AuditQuery::default()
        });
        assert_eq!(by_zhang.len(), 1, "{typed}: {by_zhang:?}");
        assert_eq!(by_zhang[0].action, "search");
        assert!(by_zhang[0].detail.contains("王磊"));
    }
    // A LIKE wildcard typed is a character, not "anyone".
    assert!(rows(AuditQuery {
        actor: Some("%".into()),
        ..AuditQuery::default()
    })
    .is_empty());

    // By action.
    let registered = rows(AuditQuery {
        action: Some("register".into()),
        ..AuditQuery::default()
    });
    assert_eq!(registered.len(), 1, "{registered:?}");

    // By day: today holds every row, both ends included; tomorrow none.
    let today = chrono::Local::now().date_naive();
    let tomorrow = today.succ_opt().unwrap();
    let day = |d: chrono::NaiveDate| Some(d.format("%Y-%m-%d").to_string());
    let todays = rows(AuditQuery {
        from: day(today),
        to: day(today),
        ..AuditQuery::default()
    });
    assert_eq!(todays.len(), everything.len());
    assert!(rows(AuditQuery {
        from: day(tomorrow),
        ..AuditQuery::default()
    })
    .is_empty());
    assert!(rows(AuditQuery {
        to: day(today.pred_opt().unwrap()),
        ..AuditQuery::default()
    })
    .is_empty());

    let refused = archive
        .audit_rows(&AuditQuery {
            from: Some("2026/3/1".into()),
            ..AuditQuery::default()
        })
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::InvalidRequest);
    assert!(refused.message.contains("2026/3/1"), "{}", refused.message);
}
