//! Personal data at the counter: IDs and wages masked except the open requester's own rows, a
//! reason to show them in full, and restricted records shown as their catalogue line until a
//! supervisor opens them — in the record, the search hits, the register and the timeline.

mod common;

use archivedesk::api::{
    AttachRequest, DocumentRequest, IssueRequest, OpenRestrictedRequest, RequestStatus,
    RequestStatusChange, RevealRequest, Role, SearchRequest,
};
use archivedesk::ErrorCode;
use common::counter::*;

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
    // An open request unmasks nothing outside it: in every other view his row stays masked.
    let view = archive.view_document(&by_ref(REF)).unwrap();
    assert!(view.entries.iter().all(|e| e.masked), "outside the request");
    let in_request = DocumentRequest {
        request_id: Some(request.id),
        ..by_ref(REF)
    };
    let view = archive.view_document(&in_request).unwrap();
    assert_eq!(view.opened_for_request, Some(request.id));
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
    let refused = archive.view_document(&in_request).unwrap_err();
    assert!(refused.message.contains("已办结"), "{}", refused.message);
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
    let actions = audit_actions(&mut archive);
    assert_eq!(actions.iter().filter(|a| *a == "reveal").count(), 1);
    assert_eq!(actions.iter().filter(|a| *a == "view_record").count(), 4);
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
            confirmed: None,
        })
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::Forbidden);
    assert!(refused.message.contains(REF_CONTROLLED));

    archive.act_as(clerk("wangzhu", Role::Supervisor));
    assert_eq!(
        archive.page_source(&page).err().map(|e| e.code),
        Some(ErrorCode::Forbidden),
        "a supervisor too opens the record with a reason first"
    );
    let opened = archive.open_restricted(&open).unwrap();
    assert_eq!(
        archive.page_source(&page).err().map(|e| e.code),
        Some(ErrorCode::NotFound),
        "then gets as far as the missing scan"
    );
    assert_eq!(opened.entries.len(), 2);
    assert!(!opened.restricted);
    let issued = archive
        .issue_certificate(&IssueRequest {
            request_id: request.id,
            confirmed: None,
        })
        .unwrap();
    assert_eq!(issued.pages, 0, "the controlled record has no scan");
    let actions = audit_actions(&mut archive);
    assert!(actions.contains(&"open_restricted".to_string()));
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
        Some("＊＊＊"),
        "an open request unmasks rows only inside the request, not in the timeline"
    );
    archive.act_as(clerk("wangzhu", Role::Supervisor));
    let timeline = archive.view_person(&by_id).unwrap();
    let controlled = timeline
        .events
        .iter()
        .find(|e| e.ref_code == REF_CONTROLLED)
        .unwrap();
    assert_eq!(controlled.unit.as_deref(), Some("红星机械厂"));
    let actions = audit_actions(&mut archive);
    assert_eq!(actions.iter().filter(|a| *a == "view_person").count(), 3);
}
#[test]
fn a_clerk_sees_nothing_of_a_person_whose_only_record_is_restricted() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    archive.act_as(clerk("zhangli", Role::Clerk));
    // 赵敏 is only in the controlled record.
    let zhao = entry_of(&mut archive, REF_CONTROLLED, "赵敏");
    for request in [
        archivedesk::api::PersonRequest {
            entry_id: Some(zhao),
            ..Default::default()
        },
        archivedesk::api::PersonRequest {
            name: Some("赵敏".into()),
            birth: Some("1962-05".into()),
            ..Default::default()
        },
    ] {
        let timeline = archive.view_person(&request).unwrap();
        assert_eq!(timeline.gender, None);
        assert_eq!(timeline.birth, None);
        assert_eq!(timeline.id_masked, None);
        assert!(timeline.service.is_none());
        let shown = serde_json::to_string(&timeline).unwrap();
        assert!(!shown.contains("红星机械厂"), "{shown}");
    }
    // A supervisor sees the summary.
    archive.act_as(clerk("wangzhu", Role::Supervisor));
    let timeline = archive
        .view_person(&archivedesk::api::PersonRequest {
            entry_id: Some(zhao),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(timeline.gender.as_deref(), Some("女"));
}

#[test]
fn opening_a_request_is_recorded_with_who_opened_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    let request = archive.register_request(&liu_request()).unwrap();
    archive.act_as(clerk("wangfang", Role::Clerk));
    archive.lookup_request(request.id).unwrap();
    archive.chain_looks().unwrap();
    let conn = open_raw(&archive);
    let actor: String = conn
        .query_row(
            "SELECT actor FROM audit_log WHERE action = 'view_request' AND target = ?1",
            [format!("request:{}", request.id)],
            |r| r.get(0),
        )
        .unwrap();
    assert!(actor.starts_with("wangfang"), "{actor}");
}
#[test]
fn a_record_unmasks_only_inside_a_request_the_clerk_opened() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    archive.act_as(clerk("zhangli", Role::Clerk));
    let request = archive.register_request(&liu_request()).unwrap();
    let in_request = DocumentRequest {
        reference: Some(REF.into()),
        request_id: Some(request.id),
        ..DocumentRequest::default()
    };
    assert!(
        archive.view_document(&in_request).is_ok(),
        "she registered it"
    );
    // Another clerk naming the request's number gets nothing until she opens the request.
    let mut other = clerk("wangfang", Role::Clerk);
    other.clerk_id = Some(100);
    archive.act_as(other);
    let refused = archive.view_document(&in_request).unwrap_err();
    assert_eq!(refused.code, ErrorCode::Forbidden);
    archive.lookup_request(request.id).unwrap();
    let view = archive.view_document(&in_request).unwrap();
    assert!(view.entries.iter().any(|e| !e.masked));
}
