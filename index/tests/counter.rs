//! The counter: clerks and roles, the lookup register, certificates and their verification,
//! masked personal data, restricted records, the audit chain and usage statistics.

mod common;

use archivedesk::api::{
    AttachRequest, Caller, DocumentRequest, IssueRequest, LoginRequest, NewClerk, NewLookupRequest,
    OpenRestrictedRequest, RedactRequest, Redaction, Relationship, RequestQuery, RequestStatus,
    RequestStatusChange, RevealRequest, Role, SearchRequest, UsageRequest,
};
use archivedesk::{Archive, ErrorCode};
use common::*;
use std::path::{Path, PathBuf};

const REF: &str = "J012-WS·1998-Y-0034";
const REF_CONTROLLED: &str = "J012-WS·1998-Y-0035";

fn liu_id() -> String {
    id18("62010219560315001")
}
fn wang_id() -> String {
    id18("62010219600101002")
}

/// A wage table of two documents (the second controlled) with a scanned page for the first.
fn archive_with_wage_table(dir: &Path) -> (Archive, PathBuf) {
    let csv = dir.join("1998年工资调整表.csv");
    write_wage_csv(&csv, "312.50");
    let scans = dir.join("扫描件");
    let pages = scans.join("J012-WS-1998-Y-0034");
    std::fs::create_dir_all(&pages).unwrap();
    let mut page = image::RgbImage::from_pixel(600, 800, image::Rgb([250, 250, 245]));
    for y in (100..700).step_by(40) {
        for x in 50..550 {
            page.put_pixel(x, y, image::Rgb([20, 20, 20]));
        }
    }
    page.save(pages.join("1.png")).unwrap();
    let data = dir.join("data");
    let mut archive = Archive::open(&data).unwrap();
    archive.set_archive_name("城关区档案馆").unwrap();
    let report = import(&mut archive, &[&csv, &scans]);
    assert_eq!(report.files[0].rows_accepted, 4);
    assert_eq!(report.files[1].pages_attached, 1);
    (archive, csv)
}

fn write_wage_csv(path: &Path, liu_before: &str) {
    let liu = liu_id();
    let wang = wang_id();
    write_utf8_csv(
        path,
        &[
            "档号,题名,类别,文号,成文日期,开放标识,姓名,性别,出生年月,身份证号码,工作单位,原工资,调整后工资,增资额",
            &format!("{REF},城关镇1998年工资调整表,工资调整,甘劳人薪〔1998〕45号,1998年7月,开放,刘建国,男,1956.03,{liu},红星机械厂,{liu_before},356.00,43.50"),
            &format!("{REF},城关镇1998年工资调整表,工资调整,甘劳人薪〔1998〕45号,1998年7月,开放,王磊,男,1960.01,{wang},红星机械厂,298.00,340.00,42.00"),
            &format!("{REF_CONTROLLED},城关镇1998年干部任免,干部任免,甘劳人〔1998〕46号,1998年8月,控制,刘建国,男,1956.03,{liu},红星机械厂,,,"),
            &format!("{REF_CONTROLLED},城关镇1998年干部任免,干部任免,甘劳人〔1998〕46号,1998年8月,控制,赵敏,女,1962.05,,红星机械厂,,,"),
        ],
        true,
    );
}

fn liu_request() -> NewLookupRequest {
    NewLookupRequest {
        requester_name: "刘建国".into(),
        requester_id: liu_id(),
        requester_phone: Some("13800000000".into()),
        relationship: Relationship::Oneself,
        proxy_name: None,
        proxy_id: None,
        proxy_phone: None,
        unit_name: None,
        purpose: "退休待遇核定".into(),
        purpose_note: None,
        channel: "窗口".into(),
        sought: "1998年工资调整记录".into(),
    }
}

fn entry_of(archive: &mut Archive, reference: &str, name: &str) -> i64 {
    archive
        .show(reference)
        .unwrap()
        .entries
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("{name} in {reference}"))
        .id
}

/// 刘建国 at the counter: his request registered, and his row of the wage table attached with
/// its scanned page.
fn liu_with_his_row_attached(archive: &mut Archive) -> archivedesk::api::LookupRequestView {
    let request = archive.register_request(&liu_request()).unwrap();
    let liu = entry_of(archive, REF, "刘建国");
    archive
        .attach_record(&AttachRequest {
            request_id: request.id,
            entry_id: Some(liu),
            pages: vec![1],
            ..AttachRequest::default()
        })
        .unwrap()
}

fn document_id(archive: &mut Archive, reference: &str) -> i64 {
    archive.show(reference).unwrap().id
}

fn clerk(login: &str, role: Role) -> Caller {
    Caller {
        clerk_id: Some(99),
        login: login.into(),
        display_name: format!("{login}的名字"),
        role,
    }
}

/// The certificate's text as poppler's pdftotext reads it. The Windows test leg runs under Wine,
/// which cannot start Linux's poppler: there the text checks are left to the Linux run.
fn pdftotext(pdf: &[u8], dir: &Path) -> Option<String> {
    if cfg!(windows) {
        return None;
    }
    let file = dir.join("certificate.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed by this test");
    assert!(out.status.success());
    Some(String::from_utf8(out.stdout).unwrap())
}

fn day(text: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn audit_actions(archive: &Archive) -> Vec<String> {
    let conn = rusqlite::Connection::open(archive.database_path()).unwrap();
    let mut stmt = conn
        .prepare("SELECT action FROM audit_log ORDER BY seq")
        .unwrap();
    let rows = stmt.query_map([], |r| r.get(0)).unwrap();
    rows.map(Result::unwrap).collect()
}

#[test]
fn a_request_without_identity_or_purpose_is_refused_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    let mut bad_check_digit = liu_id();
    let last = if bad_check_digit.ends_with('1') {
        "2"
    } else {
        "1"
    };
    bad_check_digit.replace_range(17.., last);
    let cases: Vec<(NewLookupRequest, &str)> = vec![
        (
            NewLookupRequest {
                requester_name: " ".into(),
                ..liu_request()
            },
            "查档人姓名",
        ),
        (
            NewLookupRequest {
                requester_id: String::new(),
                ..liu_request()
            },
            "查档人身份证号",
        ),
        (
            NewLookupRequest {
                requester_id: bad_check_digit,
                ..liu_request()
            },
            "校验位",
        ),
        (
            NewLookupRequest {
                purpose: String::new(),
                ..liu_request()
            },
            "利用目的",
        ),
        (
            NewLookupRequest {
                purpose: "其他".into(),
                ..liu_request()
            },
            "利用目的说明",
        ),
        (
            NewLookupRequest {
                relationship: Relationship::Proxy,
                proxy_name: Some("刘小军".into()),
                ..liu_request()
            },
            "代理人身份证号",
        ),
        (
            NewLookupRequest {
                relationship: Relationship::Unit,
                ..liu_request()
            },
            "单位名称",
        ),
        (
            NewLookupRequest {
                channel: "电话".into(),
                ..liu_request()
            },
            "查档渠道",
        ),
    ];
    for (request, field) in cases {
        let error = archive.register_request(&request).unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidRequest);
        assert!(
            error.message.contains(field),
            "「{}」 should name {field}",
            error.message
        );
    }
    let list = archive.lookup_requests(&RequestQuery::default()).unwrap();
    assert_eq!(list.total, 0, "nothing half-registered");
    // A 15-digit old ID number is valid proof.
    let old = format!("{}{}", &liu_id()[..6], &liu_id()[8..17]);
    let view = archive
        .register_request(&NewLookupRequest {
            requester_id: old,
            ..liu_request()
        })
        .unwrap();
    assert_eq!(view.status, RequestStatus::Registered);
    assert_eq!(
        view.requester_id_masked,
        archivedesk::text::mask_id(&liu_id())
    );
}

#[test]
fn a_counter_visit_is_registered_attached_certified_and_verified() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    let request = liu_with_his_row_attached(&mut archive);
    let liu = entry_of(&mut archive, REF, "刘建国");
    assert_eq!(request.status, RequestStatus::Found);
    assert!(request.answered_at.is_some());
    let record = &request.records[0];
    assert!(record.own_record, "the row's ID is the requester's");
    assert!(record.row.contains(&("身份证号码".to_string(), liu_id())));
    assert!(record
        .row
        .contains(&("调整前工资".to_string(), "312.50".to_string())));
    let view = archive
        .redact_page(&RedactRequest {
            request_id: request.id,
            record_id: record.id,
            page_no: 1,
            boxes: vec![Redaction {
                x: 0.1,
                y: 0.5,
                width: 0.8,
                height: 0.1,
            }],
        })
        .unwrap();
    assert_eq!(view.records[0].redactions[0].boxes.len(), 1);

    let first = archive
        .issue_certificate_on(
            &IssueRequest {
                request_id: request.id,
            },
            day("2026-03-02"),
        )
        .unwrap();
    assert_eq!(first.number, "〔2026〕A第0001号");
    assert_eq!(first.pages, 1);
    let second = archive
        .issue_certificate_on(
            &IssueRequest {
                request_id: request.id,
            },
            day("2026-03-02"),
        )
        .unwrap();
    assert_eq!(second.number, "〔2026〕A第0002号");
    assert_ne!(first.verify_code, second.verify_code);
    let next_year = archive
        .issue_certificate_on(
            &IssueRequest {
                request_id: request.id,
            },
            day("2027-01-04"),
        )
        .unwrap();
    assert_eq!(next_year.number, "〔2027〕A第0001号");

    let (_, pdf) = archive.certificate_pdf(&first.verify_code).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    if let Some(text) = pdftotext(&pdf, dir.path()) {
        for expected in [
            "〔2026〕A第0001号",
            "刘建国",
            REF,
            "与原件核对无误",
            "356.00",
            "城关区档案馆",
            first.verify_code.as_str(),
        ] {
            assert!(text.contains(expected), "certificate text lacks {expected}");
        }
    }

    let typed = first.verify_code.to_lowercase().replace('-', " ");
    let verified = archive.verify_certificate(&typed, Some(&pdf)).unwrap();
    assert!(verified.valid, "{:?}", verified.reason);
    assert_eq!(verified.pdf_matches, Some(true));
    assert_eq!(verified.records, vec![REF.to_string()]);
    let mut forged = pdf.clone();
    let at = forged.len() / 2;
    forged[at] ^= 0x20;
    let verified = archive
        .verify_certificate(&first.verify_code, Some(&forged))
        .unwrap();
    assert!(!verified.valid);
    assert_eq!(verified.pdf_matches, Some(false));
    assert!(
        !archive
            .verify_certificate("ZZZZ-ZZZZ-ZZZZ", None)
            .unwrap()
            .valid
    );

    let closed = archive
        .set_request_status(&RequestStatusChange {
            request_id: request.id,
            status: RequestStatus::Delivered,
            outcome: Some("已办理退休待遇核定".into()),
        })
        .unwrap();
    assert!(closed.closed_at.is_some());
    assert_eq!(closed.certificates.len(), 3);
    let error = archive
        .attach_record(&AttachRequest {
            request_id: request.id,
            entry_id: Some(liu),
            ..AttachRequest::default()
        })
        .unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidRequest);
    let found = archive
        .lookup_requests(&RequestQuery {
            text: liu_id().to_lowercase(),
            status: Some(RequestStatus::Delivered),
            ..RequestQuery::default()
        })
        .unwrap();
    assert_eq!(found.total, 1);
    assert_eq!(found.requests[0].certificates, 3);
}

#[test]
fn what_was_handed_over_is_kept_as_shown_through_a_reimport() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, csv) = archive_with_wage_table(dir.path());
    let request = liu_with_his_row_attached(&mut archive);
    write_wage_csv(&csv, "999.99");
    import(&mut archive, &[&csv]);
    let stored = archive.show(REF).unwrap();
    let liu_now = stored.entries.iter().find(|e| e.name == "刘建国").unwrap();
    assert_eq!(liu_now.wage_before.as_deref(), Some("999.99"));
    let view = archive.lookup_request(request.id).unwrap();
    assert!(view.records[0]
        .row
        .contains(&("调整前工资".to_string(), "312.50".to_string())));
    let issued = archive
        .issue_certificate(&IssueRequest {
            request_id: request.id,
        })
        .unwrap();
    let (_, pdf) = archive.certificate_pdf(&issued.number).unwrap();
    if let Some(text) = pdftotext(&pdf, dir.path()) {
        assert!(text.contains("312.50") && !text.contains("999.99"));
    }
}

#[test]
fn wages_and_ids_are_masked_except_the_open_requesters_own_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    let by_ref = |reference: &str| DocumentRequest {
        reference: Some(reference.into()),
        ..DocumentRequest::default()
    };
    let view = archive.view_document(&by_ref(REF)).unwrap();
    for e in &view.entries {
        assert!(e.masked);
        assert_eq!(e.wage_before.as_deref(), Some("＊＊＊"));
        let extra: Vec<&str> = e.extra.iter().map(|(_, v)| v.as_str()).collect();
        assert!(extra.contains(&"＊＊＊"), "增资额 is a wage column");
        assert!(e.id_number_masked.as_deref().unwrap().contains("********"));
    }
    let request = archive.register_request(&liu_request()).unwrap();
    let view = archive.view_document(&by_ref(REF)).unwrap();
    let liu = view.entries.iter().find(|e| e.name == "刘建国").unwrap();
    let wang = view.entries.iter().find(|e| e.name == "王磊").unwrap();
    assert!(!liu.masked);
    assert_eq!(liu.wage_before.as_deref(), Some("312.50"));
    assert_eq!(liu.id_number_masked.as_deref(), Some(liu_id().as_str()));
    assert!(wang.masked && wang.wage_before.as_deref() == Some("＊＊＊"));

    archive
        .set_request_status(&RequestStatusChange {
            request_id: request.id,
            status: RequestStatus::NotFound,
            outcome: None,
        })
        .unwrap();
    let view = archive.view_document(&by_ref(REF)).unwrap();
    assert!(
        view.entries.iter().all(|e| e.masked),
        "closed: masked again"
    );

    let wang_id_entry = wang.id;
    let error = archive
        .reveal(&RevealRequest {
            entry_id: wang_id_entry,
            reason: String::new(),
        })
        .unwrap_err();
    assert!(error.message.contains("理由"));
    let revealed = archive
        .reveal(&RevealRequest {
            entry_id: wang_id_entry,
            reason: "公证处来函核对".into(),
        })
        .unwrap();
    assert_eq!(revealed.id_number.as_deref(), Some(wang_id().as_str()));
    assert_eq!(revealed.wage_after.as_deref(), Some("340.00"));
    let actions = audit_actions(&archive);
    assert_eq!(actions.iter().filter(|a| *a == "reveal").count(), 1);
    assert_eq!(actions.iter().filter(|a| *a == "view_record").count(), 3);
}

#[test]
fn restricted_records_show_their_catalogue_line_until_a_supervisor_opens_them() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    let controlled = document_id(&mut archive, REF_CONTROLLED);
    archive.act_as(clerk("zhangli", Role::Clerk));
    let view = archive
        .view_document(&DocumentRequest {
            document_id: Some(controlled),
            ..DocumentRequest::default()
        })
        .unwrap();
    assert!(view.restricted);
    assert!(view.entries.is_empty() && view.pages.is_empty());
    assert_eq!(view.ref_code, REF_CONTROLLED);
    let open = OpenRestrictedRequest {
        document_id: controlled,
        reason: "本人退休审批需要".into(),
    };
    assert_eq!(
        archive.open_restricted(&open).unwrap_err().code,
        ErrorCode::Forbidden
    );
    let page = archivedesk::api::PageRequest {
        document_id: controlled,
        page_no: 1,
        size: Default::default(),
    };
    assert_eq!(
        archive.page_source(&page).err().map(|e| e.code),
        Some(ErrorCode::Forbidden),
        "its pages too"
    );

    // A search finds the name in the controlled record, and shows nothing more of its row.
    let hits = archive
        .search_as_caller(&SearchRequest {
            query: "赵敏".into(),
            ..SearchRequest::default()
        })
        .unwrap();
    let zhao = hits
        .hits
        .iter()
        .find(|h| h.name.as_deref() == Some("赵敏"))
        .unwrap();
    assert_eq!(
        (&zhao.birth, &zhao.unit, &zhao.gender),
        (&None, &None, &None)
    );
    assert!(zhao.snippet.is_empty());

    // Attaching its row would show it with the request: refused to a clerk.
    let request = archive.register_request(&liu_request()).unwrap();
    let liu_controlled = entry_of(&mut archive, REF_CONTROLLED, "刘建国");
    let attach = AttachRequest {
        request_id: request.id,
        entry_id: Some(liu_controlled),
        ..AttachRequest::default()
    };
    let refused = archive.attach_record(&attach).unwrap_err();
    assert_eq!(refused.code, ErrorCode::Forbidden);
    assert!(refused.message.contains(REF_CONTROLLED));

    archive.act_as(clerk("wangzhu", Role::Supervisor));
    archive.attach_record(&attach).unwrap();
    // Issuing from it is a supervisor's too.
    archive.act_as(clerk("zhangli", Role::Clerk));
    let refused = archive
        .issue_certificate(&IssueRequest {
            request_id: request.id,
        })
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::Forbidden);
    assert!(refused.message.contains(REF_CONTROLLED));

    archive.act_as(clerk("wangzhu", Role::Supervisor));
    assert_eq!(
        archive.page_source(&page).err().map(|e| e.code),
        Some(ErrorCode::NotFound),
        "a supervisor gets as far as the missing scan"
    );
    let opened = archive.open_restricted(&open).unwrap();
    assert_eq!(opened.entries.len(), 2);
    assert!(!opened.restricted);
    let issued = archive
        .issue_certificate(&IssueRequest {
            request_id: request.id,
        })
        .unwrap();
    assert_eq!(issued.pages, 0, "the controlled record has no scan");
    let actions = audit_actions(&archive);
    assert!(actions.contains(&"open_restricted".to_string()));
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

fn open_raw(archive: &Archive) -> rusqlite::Connection {
    rusqlite::Connection::open(archive.database_path()).unwrap()
}

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

/// Lifts the append-only triggers, as someone with the database file in hand could.
fn tamper(archive: &Archive, sql: &str) {
    let conn = open_raw(archive);
    conn.execute_batch(&format!(
        "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; {sql}"
    ))
    .unwrap();
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

#[test]
fn a_certificate_that_fails_midway_uses_no_number() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    let request = liu_with_his_row_attached(&mut archive);
    let page = dir.path().join("扫描件/J012-WS-1998-Y-0034/1.png");
    let kept = std::fs::read(&page).unwrap();
    std::fs::remove_file(&page).unwrap();
    let issue = IssueRequest {
        request_id: request.id,
    };
    let error = archive.issue_certificate(&issue).unwrap_err();
    assert!(error.message.contains("扫描件"), "{}", error.message);
    std::fs::write(&page, kept).unwrap();
    let issued = archive.issue_certificate(&issue).unwrap();
    assert!(issued.number.ends_with("A第0001号"), "{}", issued.number);
    let actions = audit_actions(&archive);
    assert_eq!(actions.iter().filter(|a| *a == "certificate").count(), 1);
}

#[test]
fn usage_statistics_count_people_records_pages_and_certificates() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    let first = liu_with_his_row_attached(&mut archive);
    archive
        .issue_certificate(&IssueRequest {
            request_id: first.id,
        })
        .unwrap();
    let second = archive
        .register_request(&NewLookupRequest {
            requester_name: "王磊".into(),
            requester_id: wang_id(),
            purpose: "工龄认定".into(),
            channel: "代查代送".into(),
            ..liu_request()
        })
        .unwrap();
    archive
        .set_request_status(&RequestStatusChange {
            request_id: second.id,
            status: RequestStatus::NotFound,
            outcome: None,
        })
        .unwrap();
    let stats = archive
        .usage_stats(&UsageRequest {
            period: Some("day".into()),
            ..UsageRequest::default()
        })
        .unwrap();
    assert_eq!(stats.people_served, 2);
    assert_eq!(stats.records_used, 1);
    assert_eq!(stats.pages_copied, 1);
    assert_eq!(stats.certificates, 1);
    assert_eq!((stats.answered, stats.found), (2, 1));
    let purposes: Vec<(&str, i64)> = stats
        .by_purpose
        .iter()
        .map(|c| (c.key.as_str(), c.count))
        .collect();
    assert!(purposes.contains(&("退休待遇核定", 1)) && purposes.contains(&("工龄认定", 1)));
    assert_eq!(stats.by_category[0].key, "工资调整");
    assert_eq!(stats.by_period.len(), 1);
    assert_eq!(stats.by_period[0].count, 2);

    let xlsx = dir.path().join("利用统计.xlsx");
    archive
        .export_usage(&UsageRequest::default(), &xlsx)
        .unwrap();
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let sheet = book.worksheet_range("档案利用").unwrap();
    let cells: Vec<String> = sheet.cells().map(|(_, _, c)| c.to_string()).collect();
    let at = cells.iter().position(|c| c == "利用人次").unwrap();
    assert_eq!(cells[at + 1], "2");
    assert!(cells.iter().any(|c| c == "出具档案证明份数"));

    let bad = archive
        .usage_stats(&UsageRequest {
            from: Some("2026-13-01".into()),
            ..UsageRequest::default()
        })
        .unwrap_err();
    assert!(bad.message.contains("起始日期"));
}

#[test]
fn a_timeline_masks_wages_and_reduces_restricted_records_for_a_clerk() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    archive.act_as(clerk("zhangli", Role::Clerk));
    let by_id = archivedesk::api::PersonRequest {
        id_number: Some(liu_id()),
        ..Default::default()
    };
    let timeline = archive.view_person(&by_id).unwrap();
    let wage = timeline
        .events
        .iter()
        .find(|e| e.ref_code == REF)
        .expect("the wage table");
    assert_eq!(wage.wage_before.as_deref(), Some("＊＊＊"));
    let controlled = timeline
        .events
        .iter()
        .find(|e| e.ref_code == REF_CONTROLLED)
        .expect("the controlled record, as its catalogue line");
    assert_eq!((&controlled.unit, &controlled.page), (&None, &None));

    archive.register_request(&liu_request()).unwrap();
    let timeline = archive.view_person(&by_id).unwrap();
    let wage = timeline.events.iter().find(|e| e.ref_code == REF).unwrap();
    assert_eq!(
        wage.wage_before.as_deref(),
        Some("312.50"),
        "his own request is open"
    );
    archive.act_as(clerk("wangzhu", Role::Supervisor));
    let timeline = archive.view_person(&by_id).unwrap();
    let controlled = timeline
        .events
        .iter()
        .find(|e| e.ref_code == REF_CONTROLLED)
        .unwrap();
    assert_eq!(controlled.unit.as_deref(), Some("红星机械厂"));
    let actions = audit_actions(&archive);
    assert_eq!(actions.iter().filter(|a| *a == "view_person").count(), 3);
}

#[test]
fn a_request_moves_on_only_as_a_visit_does_and_closed_it_masks_the_requesters_row() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    let empty = archive.register_request(&liu_request()).unwrap();
    let change = |id, status| RequestStatusChange {
        request_id: id,
        status,
        outcome: None,
    };
    for (status, why) in [
        (RequestStatus::Delivered, "请先添加"),
        (RequestStatus::Found, "还没有添加"),
    ] {
        let refused = archive
            .set_request_status(&change(empty.id, status))
            .unwrap_err();
        assert!(refused.message.contains(why), "{}", refused.message);
    }
    let visit = liu_with_his_row_attached(&mut archive);
    let refused = archive
        .set_request_status(&change(visit.id, RequestStatus::NotFound))
        .unwrap_err();
    assert!(refused.message.contains("不能标为未查到"));
    let shown = &visit.records[0].row;
    assert!(shown.contains(&("身份证号码".to_string(), liu_id())));

    let closed = archive
        .set_request_status(&change(visit.id, RequestStatus::Delivered))
        .unwrap();
    let row = &closed.records[0].row;
    assert!(row.contains(&(
        "身份证号码".to_string(),
        archivedesk::text::mask_id(&liu_id())
    )));
    assert!(row.contains(&("调整前工资".to_string(), "＊＊＊".to_string())));
    let refused = archive
        .issue_certificate(&IssueRequest {
            request_id: visit.id,
        })
        .unwrap_err();
    assert!(refused.message.contains("已交付"));
    assert!(archive
        .set_request_status(&change(visit.id, RequestStatus::Found))
        .is_err());
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
