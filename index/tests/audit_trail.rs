//! What is recorded of the desk's work: the hash-chained audit trail and the tampering `audit
//! verify` finds, every query and page view recorded whatever the client says, looks made while
//! an import holds the database, and the trail filtered. Logins are in `logins.rs`, anchors in
//! `audit_anchors.rs`.

mod common;

use archivedesk::api::{DocumentRequest, Role, SearchRequest};
use archivedesk::{Archive, ErrorCode};
use common::audited::*;
use common::counter::*;

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

/// Opening a copy of the data folder to check it writes no anchor: anchors speak for the
/// archive that wrote the rows.
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
