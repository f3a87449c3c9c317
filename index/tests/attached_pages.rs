//! Pages attached to a request: a row comes with its own pages, other people's rows on them need
//! covering, a row without a page attaches none of a table of many, and a page whose people the
//! catalogue does not list needs covering too.

mod common;

use archivedesk::api::{AttachRequest, IssueRequest};
use archivedesk::{Archive, ErrorCode};
use common::counter::*;
use common::*;

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
