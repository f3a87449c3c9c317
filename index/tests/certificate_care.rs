//! Certificates that cannot go out wrong: a preview says what stands in the way and what was
//! previewed is what is issued; a certificate issued by mistake is voided, never deleted; an
//! attached record or page is removed while the request is open; and the requester's ID is
//! written one way everywhere on the certificate.

mod common;

use archivedesk::api::{
    AttachRequest, IdRequest, IssueRequest, RemoveAttachedRequest, RequestStatus,
    RequestStatusChange, Role, UsageRequest, VoidCertificateRequest,
};
use archivedesk::{Archive, ErrorCode};
use base64::Engine;
use common::counter::*;

fn preview(archive: &mut Archive, request_id: i64) -> archivedesk::api::CertificatePreview {
    archive
        .preview_certificate(&IdRequest { id: request_id })
        .unwrap()
}

fn confirmed(request_id: i64, fingerprint: &str) -> IssueRequest {
    IssueRequest {
        request_id,
        confirmed: Some(fingerprint.to_string()),
    }
}

#[test]
fn the_preview_names_what_is_missing_and_only_what_was_previewed_is_issued() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    let request = liu_with_his_row_uncovered(&mut archive);
    let record = request.records[0].id;

    // 王磊's row is on the page and not covered yet: the preview shows the pages and says so.
    let first = preview(&mut archive, request.id);
    assert_eq!(first.pages, 1);
    assert_eq!(first.blockers.len(), 1, "{:?}", first.blockers);
    assert!(
        first.blockers[0].contains("第 1 页"),
        "{:?}",
        first.blockers
    );
    let pdf = base64::engine::general_purpose::STANDARD
        .decode(&first.pdf_base64)
        .unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    if let Some(text) = pdftotext(&pdf, dir.path()) {
        assert!(text.contains("预览"), "{text}");
        assert!(text.contains("刘建国"));
    }
    // Confirming it anyway issues nothing: the blocker is the error.
    let refused = archive
        .issue_certificate(&confirmed(request.id, &first.fingerprint))
        .unwrap_err();
    assert!(refused.message.contains("尚未遮盖"), "{}", refused.message);

    // Covered: nothing stands in the way, and the content changed (a box on the page).
    cover(&mut archive, request.id, record, 1);
    let covered = preview(&mut archive, request.id);
    assert!(covered.blockers.is_empty(), "{:?}", covered.blockers);
    assert_ne!(covered.fingerprint, first.fingerprint);
    // The same request previewed twice is the same certificate.
    assert_eq!(
        preview(&mut archive, request.id).fingerprint,
        covered.fingerprint
    );

    // A preview confirmed after the request changed is refused, and no number is used.
    let controlled = document_id(&mut archive, REF_CONTROLLED);
    archive
        .attach_record(&AttachRequest {
            request_id: request.id,
            document_id: Some(controlled),
            catalogue_only: true,
            ..AttachRequest::default()
        })
        .unwrap();
    // A clerk previewing it sees no page of the controlled record, only who may issue it.
    let supervisor = archive.caller().clone();
    archive.act_as(clerk("zhangli", Role::Clerk));
    let for_clerk = preview(&mut archive, request.id);
    assert!(for_clerk.pdf_base64.is_empty());
    assert!(
        for_clerk
            .blockers
            .iter()
            .any(|b| b.contains("须经主管批准")),
        "{:?}",
        for_clerk.blockers
    );
    archive.act_as(supervisor);
    let stale = archive
        .issue_certificate(&confirmed(request.id, &covered.fingerprint))
        .unwrap_err();
    assert_eq!(stale.code, ErrorCode::InvalidRequest);
    assert!(stale.message.contains("重新预览"), "{}", stale.message);
    assert!(archive
        .lookup_request(request.id)
        .unwrap()
        .certificates
        .is_empty());

    // The preview confirmed as it stands is issued, and the preview was recorded as a look.
    let current = preview(&mut archive, request.id);
    let issued = archive
        .issue_certificate(&confirmed(request.id, &current.fingerprint))
        .unwrap();
    assert!(issued.number.ends_with("第0001号"), "{}", issued.number);
    let actions = audit_actions(&mut archive);
    assert!(
        actions.iter().any(|a| a == "certificate_preview"),
        "{actions:?}"
    );

    // Delivered, the request has no preview and no certificate any more.
    archive
        .set_request_status(&RequestStatusChange {
            request_id: request.id,
            status: RequestStatus::Delivered,
            outcome: None,
        })
        .unwrap();
    let closed = archive
        .preview_certificate(&IdRequest { id: request.id })
        .unwrap_err();
    assert!(closed.message.contains("已交付"), "{}", closed.message);
}

#[test]
fn a_certificate_issued_by_mistake_is_voided_with_a_reason_and_its_number_stays_used() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    archive.act_as(clerk("zhangli", Role::Clerk));
    let request = liu_with_his_row_attached(&mut archive);
    let issue = IssueRequest {
        request_id: request.id,
        confirmed: None,
    };
    let mistaken = archive.issue_certificate(&issue).unwrap();
    let void = |number: &str, reason: &str| VoidCertificateRequest {
        number_or_code: number.to_string(),
        reason: reason.to_string(),
    };

    // Another clerk may not void it; nor may its own clerk without a reason.
    archive.act_as(clerk("lisi", Role::Clerk));
    let other = archive
        .void_certificate(&void(&mistaken.number, "打错了"))
        .unwrap_err();
    assert_eq!(other.code, ErrorCode::Forbidden);
    archive.act_as(clerk("zhangli", Role::Clerk));
    let bare = archive
        .void_certificate(&void(&mistaken.number, " "))
        .unwrap_err();
    assert!(bare.message.contains("理由"), "{}", bare.message);

    // Voided by its code, as typed from paper.
    let voided = archive
        .void_certificate(&void(
            &mistaken.verify_code.to_lowercase().replace('-', ""),
            "查档人姓名写错",
        ))
        .unwrap();
    assert_eq!(voided.number, mistaken.number);
    assert!(voided.voided_at.is_some());
    assert_eq!(voided.void_reason.as_deref(), Some("查档人姓名写错"));
    let again = archive
        .void_certificate(&void(&mistaken.number, "再次作废"))
        .unwrap_err();
    assert!(again.message.contains("已于"), "{}", again.message);

    // 核验 says it is void, the PDF in hand no matter.
    let (_, pdf) = archive.certificate_pdf(&mistaken.number).unwrap();
    let checked = archive
        .verify_certificate(&mistaken.verify_code, Some(&pdf))
        .unwrap();
    assert!(!checked.valid);
    let reason = checked.reason.unwrap();
    assert!(
        reason.contains("作废") && reason.contains("查档人姓名写错"),
        "{reason}"
    );

    // The next certificate takes the next number; the voided one is still in the register.
    let next = archive.issue_certificate(&issue).unwrap();
    assert!(next.number.ends_with("第0002号"), "{}", next.number);
    let view = archive.lookup_request(request.id).unwrap();
    assert_eq!(view.certificates.len(), 2);
    assert!(view.certificates[0].voided_at.is_some());
    assert!(view.certificates[1].voided_at.is_none());
    assert!(
        archive
            .verify_certificate(&next.verify_code, None)
            .unwrap()
            .valid
    );

    // Statistics count it apart, and the trail has it.
    let stats = archive.usage_stats(&UsageRequest::default()).unwrap();
    assert_eq!((stats.certificates, stats.certificates_voided), (1, 1));
    assert_eq!(
        stats.pages_copied, 1,
        "the voided copy's pages are not counted"
    );
    let actions = audit_actions(&mut archive);
    assert_eq!(
        actions.iter().filter(|a| *a == "certificate_void").count(),
        1,
        "{actions:?}"
    );

    // A supervisor may void another clerk's certificate.
    archive.act_as(clerk("wangzhu", Role::Supervisor));
    archive
        .void_certificate(&void(&next.number, "主管作废"))
        .unwrap();
}

#[test]
fn an_attached_page_or_record_is_removed_while_the_request_is_open() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    let request = liu_with_his_row_attached(&mut archive);
    let record = request.records[0].id;
    let remove = |page_no| RemoveAttachedRequest {
        request_id: request.id,
        record_id: record,
        page_no,
    };

    // A page not attached is refused by its number.
    let wrong = archive.remove_attached(&remove(Some(7))).unwrap_err();
    assert!(wrong.message.contains("第 7 页"), "{}", wrong.message);

    // The page goes, with its boxes and its confirmation; the record stays.
    let view = archive.remove_attached(&remove(Some(1))).unwrap();
    assert_eq!(view.records.len(), 1);
    assert!(view.records[0].pages.is_empty());
    assert!(view.records[0].redactions.is_empty());
    assert!(view.records[0].covers.is_empty());
    assert_eq!(preview(&mut archive, request.id).pages, 0);

    // Then the record: the request has found nothing again.
    let view = archive.remove_attached(&remove(None)).unwrap();
    assert!(view.records.is_empty());
    assert_eq!(view.status, RequestStatus::Registered);
    let actions = audit_actions(&mut archive);
    assert_eq!(
        actions.iter().filter(|a| *a == "request_remove").count(),
        2,
        "{actions:?}"
    );

    // A delivered request keeps what it had.
    let delivered = liu_with_his_row_attached(&mut archive);
    archive
        .set_request_status(&RequestStatusChange {
            request_id: delivered.id,
            status: RequestStatus::Delivered,
            outcome: None,
        })
        .unwrap();
    let refused = archive
        .remove_attached(&RemoveAttachedRequest {
            request_id: delivered.id,
            record_id: delivered.records[0].id,
            page_no: None,
        })
        .unwrap_err();
    assert!(refused.message.contains("已办结"), "{}", refused.message);
    assert_eq!(
        archive.lookup_request(delivered.id).unwrap().records.len(),
        1
    );

    // A certificate in force cites what the request holds: nothing is removed until it is voided.
    let certified = liu_with_his_row_attached(&mut archive);
    let record = certified.records[0].id;
    let issued = archive
        .issue_certificate(&IssueRequest {
            request_id: certified.id,
            confirmed: None,
        })
        .unwrap();
    let take_off = RemoveAttachedRequest {
        request_id: certified.id,
        record_id: record,
        page_no: None,
    };
    let refused = archive.remove_attached(&take_off).unwrap_err();
    assert!(
        refused.message.contains(&issued.number),
        "{}",
        refused.message
    );
    assert!(refused.message.contains("作废"), "{}", refused.message);
    archive
        .void_certificate(&VoidCertificateRequest {
            number_or_code: issued.number.clone(),
            reason: "页码选错".into(),
        })
        .unwrap();
    assert!(archive
        .remove_attached(&take_off)
        .unwrap()
        .records
        .is_empty());
}

#[test]
fn the_requesters_id_is_masked_one_way_everywhere_on_the_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    let request = liu_with_his_row_attached(&mut archive);
    // The register shows the requester his own row in full while the request is open …
    let row = &request.records[0].row;
    assert!(row.iter().any(|(_, v)| v == &liu_id()), "{row:?}");
    let issued = archive
        .issue_certificate(&IssueRequest {
            request_id: request.id,
            confirmed: None,
        })
        .unwrap();
    let (_, pdf) = archive.certificate_pdf(&issued.number).unwrap();
    let Some(text) = pdftotext(&pdf, dir.path()) else {
        return;
    };
    // … but the certificate writes his ID as its heading does, in the transcription too.
    let id15 = format!("{}{}", &liu_id()[..6], &liu_id()[8..17]);
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(!compact.contains(&liu_id()), "{text}");
    assert!(!compact.contains(&id15), "{text}");
    let masked = archivedesk::text::mask_id(&liu_id());
    assert!(compact.matches(&masked).count() >= 2, "{text}");
    // His wages are what is certified: in full.
    assert!(compact.contains("312.50"), "{text}");
}

#[test]
fn a_certificate_drawn_ahead_is_issued_as_drawn_unless_its_number_was_taken_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    archive.act_as(clerk("zhangli", Role::Clerk));
    let request = liu_with_his_row_attached(&mut archive);
    let issue = IssueRequest {
        request_id: request.id,
        confirmed: None,
    };
    let today = day("2026-12-07");

    // Nothing happened while it was rendered: the PDF drawn ahead is the one issued.
    let rendered = archive
        .draw_certificate_ahead(&issue, today)
        .unwrap()
        .render()
        .unwrap();
    let drawn_pdf = rendered.pdf().to_vec();
    let first = archive
        .issue_drawn_certificate(&issue, today, Some(rendered))
        .unwrap();
    assert_eq!(first.number, "〔2026〕A第0001号");
    assert_eq!(archive.certificate_pdf(&first.number).unwrap().1, drawn_pdf);

    // Another certificate of this desk took the number it was drawn under: it is drawn again
    // in the act, under the next number, and the stale PDF is never stored.
    let stale = archive
        .draw_certificate_ahead(&issue, today)
        .unwrap()
        .render()
        .unwrap();
    let stale_pdf = stale.pdf().to_vec();
    let between = archive.issue_certificate_on(&issue, today).unwrap();
    assert!(between.number.ends_with("第0002号"), "{}", between.number);
    let last = archive
        .issue_drawn_certificate(&issue, today, Some(stale))
        .unwrap();
    assert!(last.number.ends_with("第0003号"), "{}", last.number);
    let (_, stored) = archive.certificate_pdf(&last.number).unwrap();
    assert_ne!(stored, stale_pdf);
    if let Some(text) = pdftotext(&stored, dir.path()) {
        assert!(text.contains("第0003号"), "{text}");
        assert!(text.contains(&last.verify_code), "{text}");
    }
    assert!(
        archive
            .verify_certificate(&last.verify_code, Some(&stored))
            .unwrap()
            .valid
    );

    // A request that cannot be certified is refused before anything is rendered.
    archive
        .set_request_status(&RequestStatusChange {
            request_id: request.id,
            status: RequestStatus::Delivered,
            outcome: None,
        })
        .unwrap();
    let refused = archive.draw_certificate_ahead(&issue, today).err().unwrap();
    assert!(refused.message.contains("已交付"), "{}", refused.message);
}
