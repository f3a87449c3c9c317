//! The lookup register and certificates: what a request must say, a visit from registration to
//! a verified certificate, what was handed over kept through a re-import, how a request moves
//! on, a certificate that fails midway, and the usage statistics counted from the register.

mod common;

use archivedesk::api::{
    AttachRequest, IssueRequest, NewLookupRequest, RedactRequest, Redaction, Relationship,
    RequestQuery, RequestStatus, RequestStatusChange, UsageRequest,
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
fn usage_statistics_count_people_records_pages_and_certificates() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    let first = liu_with_his_row_attached(&mut archive);
    archive
        .issue_certificate(&IssueRequest {
            request_id: first.id,
            confirmed: None,
        })
        .unwrap();
    let second = archive
        .register_request(&NewLookupRequest {
            requester_name: "王磊".into(),
            requester_id: wang_id(),
            purpose: "工龄认定".into(),
            channel: "代查代送".into(),
            delivery: Some("自取".into()),
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

/// A wage table of three scanned pages whose rows say their page: 王磊 on page 1, 刘建国 and
/// 赵强 on page 2, 孙丽 alone on page 3.
fn archive_with_paged_wage_table(dir: &std::path::Path) -> Archive {
    let csv = dir.join("工资调整表.csv");
    let rows = [
        ("王磊", wang_id(), "1"),
        ("刘建国", liu_id(), "第2页"),
        ("赵强", id18("62010219610203003"), "2"),
        ("孙丽", id18("62010219630304004"), "3"),
    ];
    let mut lines =
        vec!["档号,题名,类别,成文日期,开放标识,姓名,身份证号码,页号,调整后工资".to_string()];
    for (name, id, page) in rows {
        lines.push(format!(
            "J012-WS·1999-Y-0001,1999年工资调整表,工资调整,1999年7月,开放,{name},{id},{page},400.00"
        ));
    }
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    write_utf8_csv(&csv, &lines, true);
    let pages = dir.join("扫描件").join("J012-WS-1999-Y-0001");
    std::fs::create_dir_all(&pages).unwrap();
    for n in 1..=3 {
        image::RgbImage::from_pixel(400, 560, image::Rgb([250, 250, 245]))
            .save(pages.join(format!("{n}.png")))
            .unwrap();
    }
    let mut archive = Archive::open(&dir.join("data")).unwrap();
    import(&mut archive, &[&csv, &dir.join("扫描件")]);
    archive
}

#[test]
fn a_row_is_attached_with_its_own_pages_and_other_peoples_pages_need_covering() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = archive_with_paged_wage_table(dir.path());
    archive.act_as(clerk("zhangli", archivedesk::api::Role::Clerk));
    let request = archive.register_request(&liu_request()).unwrap();
    let reference = "J012-WS-1999-Y-0001";
    let liu = entry_of(&mut archive, reference, "刘建国");
    let view = archive
        .attach_record(&AttachRequest {
            request_id: request.id,
            entry_id: Some(liu),
            ..AttachRequest::default()
        })
        .unwrap();
    let record = &view.records[0];
    assert_eq!(
        record.pages,
        vec![2],
        "the page his row is on, not the whole table"
    );
    assert_eq!(record.pages_with_others, vec![2], "赵强 is on page 2 too");
    assert_eq!(view.uncovered.len(), 1);
    let issue = IssueRequest {
        request_id: request.id,
        confirmed: None,
    };
    let refused = archive.issue_certificate(&issue).unwrap_err();
    assert!(refused.message.contains("第 2 页"), "{}", refused.message);

    // Confirming needs boxes; a clerk cannot override.
    let confirm = archivedesk::api::CoverRequest {
        request_id: request.id,
        record_id: record.id,
        page_no: 2,
        override_reason: None,
    };
    assert!(archive
        .confirm_covered(&confirm)
        .unwrap_err()
        .message
        .contains("遮盖框"));
    let overriding = archivedesk::api::CoverRequest {
        override_reason: Some("公证处要求整页复印".into()),
        ..confirm.clone()
    };
    assert_eq!(
        archive.confirm_covered(&overriding).unwrap_err().code,
        ErrorCode::Forbidden
    );
    let view = cover(&mut archive, request.id, record.id, 2);
    assert!(view.uncovered.is_empty());
    assert_eq!(view.records[0].covers[0].page_no, 2);
    let issued = archive.issue_certificate(&issue).unwrap();
    assert_eq!(issued.pages, 1);

    // A row whose page is its own alone needs nothing; one without a page attaches none.
    let mut sun_request = liu_request();
    sun_request.requester_name = "孙丽".into();
    sun_request.requester_id = id18("62010219630304004");
    let sun_visit = archive.register_request(&sun_request).unwrap();
    let sun = entry_of(&mut archive, reference, "孙丽");
    let view = archive
        .attach_record(&AttachRequest {
            request_id: sun_visit.id,
            entry_id: Some(sun),
            ..AttachRequest::default()
        })
        .unwrap();
    assert_eq!(view.records[0].pages, vec![3]);
    assert!(view.uncovered.is_empty());
    let view = archive
        .attach_record(&AttachRequest {
            request_id: sun_visit.id,
            entry_id: Some(sun),
            catalogue_only: true,
            ..AttachRequest::default()
        })
        .unwrap();
    assert!(view.records[1].pages.is_empty(), "the clerk ticked none");

    // A supervisor may let a page go out uncovered, with a reason; both are recorded.
    archive.act_as(clerk("wangzhu", archivedesk::api::Role::Supervisor));
    let visit = archive.register_request(&liu_request()).unwrap();
    let view = archive
        .attach_record(&AttachRequest {
            request_id: visit.id,
            entry_id: Some(liu),
            ..AttachRequest::default()
        })
        .unwrap();
    archive
        .confirm_covered(&archivedesk::api::CoverRequest {
            request_id: visit.id,
            record_id: view.records[0].id,
            ..overriding
        })
        .unwrap();
    archive
        .issue_certificate(&IssueRequest {
            request_id: visit.id,
            confirmed: None,
        })
        .unwrap();
    let actions = audit_actions(&mut archive);
    assert_eq!(
        actions.iter().filter(|a| *a == "cover_confirmed").count(),
        1
    );
    assert_eq!(actions.iter().filter(|a| *a == "cover_override").count(), 1);
}

#[test]
fn a_row_without_a_page_attaches_no_page_of_a_table_of_many() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    let request = archive.register_request(&liu_request()).unwrap();
    let liu = entry_of(&mut archive, REF, "刘建国");
    let view = archive
        .attach_record(&AttachRequest {
            request_id: request.id,
            entry_id: Some(liu),
            ..AttachRequest::default()
        })
        .unwrap();
    assert!(
        view.records[0].pages.is_empty(),
        "the clerk ticks the pages"
    );
    let doc = document_id(&mut archive, REF);
    let view = archive
        .attach_record(&AttachRequest {
            request_id: request.id,
            document_id: Some(doc),
            ..AttachRequest::default()
        })
        .unwrap();
    assert!(
        view.records[1].pages.is_empty(),
        "a document of two people's rows: none by default"
    );
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
fn a_page_whose_people_the_catalogue_does_not_list_needs_covering() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("案卷目录.csv");
    write_utf8_csv(
        &csv,
        &[
            "档号,题名,类别",
            "J012-WS·1990-Y-0001,1990年职工花名册,工资调整",
        ],
        true,
    );
    let pages = dir.path().join("扫描件").join("J012-WS-1990-Y-0001");
    std::fs::create_dir_all(&pages).unwrap();
    image::RgbImage::from_pixel(400, 560, image::Rgb([250, 250, 245]))
        .save(pages.join("1.png"))
        .unwrap();
    let mut archive = Archive::open(&dir.path().join("data")).unwrap();
    import(&mut archive, &[&csv, &dir.path().join("扫描件")]);
    let request = archive.register_request(&liu_request()).unwrap();
    let doc = document_id(&mut archive, "J012-WS-1990-Y-0001");
    let view = archive
        .attach_record(&AttachRequest {
            request_id: request.id,
            document_id: Some(doc),
            pages: vec![1],
            ..AttachRequest::default()
        })
        .unwrap();
    assert_eq!(view.uncovered.len(), 1, "a volume's page may hold anyone");
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
