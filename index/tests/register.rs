//! The lookup register and certificates: what a request must say, a visit from registration to
//! a verified certificate, what was handed over kept through a re-import, how a request moves
//! on and a certificate that fails midway. Pages attached are in `attached_pages.rs`, the usage
//! statistics in `usage_statistics.rs`.

mod common;

use archivedesk::api::{
    AttachRequest, IssueRequest, NewLookupRequest, RedactRequest, Redaction, Relationship,
    RequestQuery, RequestStatus, RequestStatusChange,
};
use archivedesk::{Archive, ErrorCode};
use common::counter::*;
use common::*;

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
        (
            NewLookupRequest {
                channel: "代查代送".into(),
                delivery: Some("  ".into()),
                ..liu_request()
            },
            "送达方式",
        ),
        (
            // A proxy asks for the person the records are about: the form calls them 当事人.
            NewLookupRequest {
                relationship: Relationship::Proxy,
                requester_id: String::new(),
                proxy_name: Some("刘小军".into()),
                ..liu_request()
            },
            "当事人身份证号",
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
    assert_eq!(
        view.uncovered.len(),
        1,
        "new boxes withdraw the confirmation"
    );
    let view = cover(&mut archive, request.id, record.id, 1);
    assert!(view.uncovered.is_empty());

    let first = archive
        .issue_certificate_on(
            &IssueRequest {
                request_id: request.id,
                confirmed: None,
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
                confirmed: None,
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
                confirmed: None,
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
            confirmed: None,
        })
        .unwrap();
    let (_, pdf) = archive.certificate_pdf(&issued.number).unwrap();
    if let Some(text) = pdftotext(&pdf, dir.path()) {
        assert!(text.contains("312.50") && !text.contains("999.99"));
    }
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
            confirmed: None,
        })
        .unwrap_err();
    assert!(refused.message.contains("已交付"));
    assert!(archive
        .set_request_status(&change(visit.id, RequestStatus::Found))
        .is_err());
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
        confirmed: None,
    };
    let error = archive.issue_certificate(&issue).unwrap_err();
    assert!(error.message.contains("扫描件"), "{}", error.message);
    std::fs::write(&page, kept).unwrap();
    let issued = archive.issue_certificate(&issue).unwrap();
    assert!(issued.number.ends_with("A第0001号"), "{}", issued.number);
    let actions = audit_actions(&mut archive);
    assert_eq!(actions.iter().filter(|a| *a == "certificate").count(), 1);
}

#[test]
fn the_register_list_matches_id_numbers_and_phones_only_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    archive.register_request(&liu_request()).unwrap();
    let liu = liu_id();
    let found = |archive: &mut Archive, text: &str| {
        archive
            .lookup_requests(&RequestQuery {
                text: text.into(),
                ..RequestQuery::default()
            })
            .unwrap()
            .total
    };
    // Digit by digit, a masked number would come back: no part of it matches.
    for part in [&liu[..7], &liu[..12], &liu[6..14], &liu[..17]] {
        assert_eq!(found(&mut archive, part), 0, "{part}");
    }
    assert_eq!(found(&mut archive, &liu), 1);
    let old15 = format!("{}{}", &liu[..6], &liu[8..17]);
    assert_eq!(
        found(&mut archive, &old15),
        1,
        "its 15-digit form is the same key"
    );
    assert_eq!(found(&mut archive, "138000"), 0);
    assert_eq!(found(&mut archive, "138 0000 0000"), 1);
    assert_eq!(found(&mut archive, "刘建"), 1, "names match in part");
}

#[test]
fn a_certificate_opens_for_its_clerk_while_the_request_is_open_and_for_supervisors() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    let zhang = clerk("zhangli", archivedesk::api::Role::Clerk);
    archive.act_as(zhang.clone());
    let request = liu_with_his_row_attached(&mut archive);
    let issued = archive
        .issue_certificate(&IssueRequest {
            request_id: request.id,
            confirmed: None,
        })
        .unwrap();
    assert!(archive.open_certificate(&issued.number).is_ok());
    let mut other = clerk("wangfang", archivedesk::api::Role::Clerk);
    other.clerk_id = Some(100);
    archive.act_as(other);
    assert_eq!(
        archive.open_certificate(&issued.number).unwrap_err().code,
        ErrorCode::Forbidden
    );
    archive.act_as(zhang);
    archive
        .set_request_status(&RequestStatusChange {
            request_id: request.id,
            status: RequestStatus::Delivered,
            outcome: None,
        })
        .unwrap();
    assert_eq!(
        archive.open_certificate(&issued.number).unwrap_err().code,
        ErrorCode::Forbidden,
        "closed: no longer for the clerk"
    );
    archive.act_as(clerk("wangzhu", archivedesk::api::Role::Supervisor));
    assert!(archive.open_certificate(&issued.number).is_ok());
    // Its code still verifies for anyone.
    assert!(
        archive
            .verify_certificate(&issued.verify_code, None)
            .unwrap()
            .valid
    );
}

#[test]
fn a_proxy_request_matches_the_person_the_records_are_about_and_says_where_the_result_goes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    // 王磊 comes for 刘建国 (the 当事人): the form's person is 刘建国, 王磊 the 代理人.
    let request = archive
        .register_request(&NewLookupRequest {
            relationship: Relationship::Proxy,
            proxy_name: Some("王磊".into()),
            proxy_id: Some(wang_id()),
            proxy_phone: Some("13900000000".into()),
            channel: "代查代送".into(),
            delivery: Some(" 甘肃省兰州市城关区东岗西路 1 号 ".into()),
            ..liu_request()
        })
        .unwrap();
    assert_eq!(
        request.delivery.as_deref(),
        Some("甘肃省兰州市城关区东岗西路 1 号")
    );
    assert_eq!(request.proxy_phone.as_deref(), Some("13900000000"));
    assert_eq!(request.requester_phone.as_deref(), Some("13800000000"));
    for (name, own) in [("刘建国", true), ("王磊", false)] {
        let entry = entry_of(&mut archive, REF, name);
        let view = archive
            .attach_record(&AttachRequest {
                request_id: request.id,
                entry_id: Some(entry),
                pages: vec![1],
                ..AttachRequest::default()
            })
            .unwrap();
        let record = view.records.iter().find(|r| r.entry_id == Some(entry));
        assert_eq!(
            record.unwrap().own_record,
            own,
            "{name}'s row, asked for by the proxy 王磊 on behalf of 刘建国"
        );
    }
    // Another channel keeps no address: nothing is sent anywhere.
    let at_the_window = archive
        .register_request(&NewLookupRequest {
            delivery: Some("自取".into()),
            ..liu_request()
        })
        .unwrap();
    assert_eq!(at_the_window.delivery, None);
    let shown = archive.lookup_request(request.id).unwrap();
    assert_eq!(shown.delivery, request.delivery, "kept with the request");
}

/// The rows of the trail with `action`.
fn trail_of(archive: &mut Archive, action: &str) -> Vec<archivedesk::api::AuditRow> {
    archive
        .audit_rows(&archivedesk::api::AuditQuery {
            limit: Some(1000),
            action: Some(action.into()),
            ..Default::default()
        })
        .unwrap()
}

#[test]
fn a_pc_that_worked_alone_joins_the_host_with_its_register_certificates_and_trail() {
    use archivedesk::api::Role;
    let (host_dir, alone_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (mut host, _) = archive_with_wage_table(host_dir.path());
    host.act_as(clerk("wangzhu", Role::Supervisor));
    let at_host = liu_with_his_row_attached(&mut host);
    let host_certificate = host
        .issue_certificate(&IssueRequest {
            request_id: at_host.id,
            confirmed: None,
        })
        .unwrap();

    // The PC that worked alone numbered its certificates under its own desk code, D.
    let alone_data = alone_dir.path().join("data");
    let alone_certificate = {
        let (mut alone, _) = archive_with_wage_table(alone_dir.path());
        alone.set_desk_code("D").unwrap();
        alone.act_as(clerk("zhaoli", Role::Clerk));
        let request = liu_with_his_row_attached(&mut alone);
        alone.register_request(&liu_request()).unwrap();
        let issue = IssueRequest {
            request_id: request.id,
            confirmed: None,
        };
        let first = alone.issue_certificate(&issue).unwrap();
        // More certificates, so more anchors in its trail than in the host's.
        alone.issue_certificate(&issue).unwrap();
        alone.issue_certificate(&issue).unwrap();
        first
    };
    let (_, alone_pdf) = Archive::open(&alone_data)
        .unwrap()
        .certificate_pdf(&alone_certificate.number)
        .unwrap();
    assert!(alone_certificate.number.contains("D第0001号"));

    // A clerk may not merge; a supervisor may.
    host.act_as(clerk("lisi", Role::Clerk));
    let refused = host.merge_history(&alone_data).unwrap_err();
    assert_eq!(refused.code, ErrorCode::Forbidden);
    host.act_as(clerk("wangzhu", Role::Supervisor));
    let merged = host.merge_history(&alone_data).unwrap();
    assert_eq!((merged.requests, merged.certificates), (2, 3));
    assert_eq!(merged.desk_codes, vec!["D".to_string()]);
    assert!(merged.audit_rows > 5, "{}", merged.audit_rows);

    // Its certificate is verifiable at the host, the PDF in hand with it, and belongs to its
    // request as the host numbers it (after the host's own).
    let checked = host
        .verify_certificate(&alone_certificate.verify_code, Some(&alone_pdf))
        .unwrap();
    assert!(checked.valid, "{:?}", checked.reason);
    let list = host.lookup_requests(&RequestQuery::default()).unwrap();
    assert_eq!(list.total, 3);
    let joined = list
        .requests
        .iter()
        .map(|r| host.lookup_request(r.id).unwrap())
        .find(|r| {
            r.certificates
                .iter()
                .any(|c| c.number == alone_certificate.number)
        })
        .expect("the merged request holds its certificate");
    assert_ne!(joined.id, at_host.id);
    assert_eq!(joined.records.len(), 1);
    assert_eq!(joined.records[0].ref_code, at_host.records[0].ref_code);
    // The host's numbering goes on as before.
    let next = host
        .issue_certificate(&IssueRequest {
            request_id: at_host.id,
            confirmed: None,
        })
        .unwrap();
    assert_eq!(next.number, host_certificate.number.replace("0001", "0002"));

    // The trail holds the other PC's acts under its clerk at desk D, pointing at the host's
    // numbering, and the merge itself; the chain is whole.
    let issued = trail_of(&mut host, "certificate");
    let theirs = issued
        .iter()
        .find(|r| r.actor.starts_with("zhaoli") && r.actor.ends_with("@柜台D"))
        .expect("the other PC's certificate in the host's trail");
    assert_eq!(
        theirs.target.as_deref(),
        Some(format!("request:{}", joined.id).as_str())
    );
    assert!(theirs.detail.contains("merged_from"), "{}", theirs.detail);
    assert_eq!(trail_of(&mut host, "history_merged").len(), 1);
    // Its anchors came along as rows of the trail; the host's own anchors still check out.
    let verified = host.audit_verify(None).unwrap();
    assert!(verified.intact, "{:?}", verified.problem);

    // The same history twice is refused, and nothing is written.
    let rows_before = host.audit_verify(None).unwrap().rows;
    let again = host.merge_history(&alone_data).unwrap_err();
    assert!(again.message.contains("并入过"), "{}", again.message);
    assert_eq!(host.audit_verify(None).unwrap().rows, rows_before);

    // A PC that printed a number the host holds cannot be merged: the papers are out.
    let clash_dir = tempfile::tempdir().unwrap();
    {
        let (mut clash, _) = archive_with_wage_table(clash_dir.path());
        clash.act_as(clerk("zhaoli", Role::Clerk));
        let request = liu_with_his_row_attached(&mut clash);
        clash
            .issue_certificate(&IssueRequest {
                request_id: request.id,
                confirmed: None,
            })
            .unwrap();
    }
    let clash = host
        .merge_history(&clash_dir.path().join("data"))
        .unwrap_err();
    assert!(
        clash.message.contains("同一个柜台代码"),
        "{}",
        clash.message
    );
    assert_eq!(host.audit_verify(None).unwrap().rows, rows_before);
    assert_eq!(
        host.lookup_requests(&RequestQuery::default())
            .unwrap()
            .total,
        3
    );
}
