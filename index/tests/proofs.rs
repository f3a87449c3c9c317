//! A request's proof files: the requester's ID card and a proxy's letter captured at the
//! counter, kept with the request in the archive's database, every view on the trail, a wrong
//! file refused in words that name it, and the content deleted — with the deletion recorded —
//! once the retention period after the request closed has passed.

mod common;

use archivedesk::api::{DeskSettings, ProofAddRequest, RequestStatus, RequestStatusChange, Role};
use base64::Engine;
use common::counter::{archive_with_wage_table, audit_actions, clerk, liu_request, open_raw};

fn jpeg() -> Vec<u8> {
    let mut bytes = Vec::new();
    let card = image::RgbImage::from_pixel(320, 200, image::Rgb([230, 220, 200]));
    card.write_to(
        &mut std::io::Cursor::new(&mut bytes),
        image::ImageFormat::Jpeg,
    )
    .unwrap();
    bytes
}

fn proof(request_id: i64, kind: &str, file_name: &str, content: &[u8]) -> ProofAddRequest {
    ProofAddRequest {
        request_id,
        kind: kind.into(),
        file_name: file_name.into(),
        content_base64: base64::engine::general_purpose::STANDARD.encode(content),
    }
}

#[test]
fn proofs_are_kept_viewed_on_the_trail_and_deleted_when_their_time_is_up() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    archive.act_as(clerk("wang", Role::Clerk));
    let request = archive.register_request(&liu_request()).unwrap();
    let card = jpeg();
    archive
        .add_proof(&proof(request.id, "id_card", "身份证正面.jpg", &card))
        .unwrap();
    let view = archive
        .add_proof(&proof(
            request.id,
            "authorization",
            "授权委托书.pdf",
            b"%PDF-1.4\n%test\n",
        ))
        .unwrap();
    assert_eq!(view.proofs.len(), 2);
    assert_eq!(view.proofs[0].media_type, "image/jpeg");
    assert_eq!(view.proofs[0].bytes, card.len() as i64);
    assert_eq!(view.proofs[1].kind, "authorization");
    assert!(view.proofs[0].added_by.starts_with("wang"));
    // The list says what is kept, never the content; the content is read and recorded.
    assert!(!serde_json::to_string(&view)
        .unwrap()
        .contains(&base64::engine::general_purpose::STANDARD.encode(&card)[..40]));
    let shown = archive.view_proof(view.proofs[0].id).unwrap();
    assert_eq!(
        base64::engine::general_purpose::STANDARD
            .decode(shown.content_base64)
            .unwrap(),
        card
    );

    // Another clerk may not remove wang's capture; a supervisor may.
    archive.act_as(clerk("li", Role::Clerk));
    let refused = archive.remove_proof(view.proofs[1].id).unwrap_err();
    assert!(refused.message.contains("主管"), "{}", refused.message);
    archive.act_as(clerk("boss", Role::Supervisor));
    let view = archive.remove_proof(view.proofs[1].id).unwrap();
    assert_eq!(view.proofs[1].deleted_why.as_deref(), Some("removed"));
    assert!(archive
        .view_proof(view.proofs[1].id)
        .unwrap_err()
        .message
        .contains("已于"));

    // Kept while the request is open, however long; then the retention period after it closed.
    archive
        .set_desk_settings(&DeskSettings {
            proof_retention_days: Some(30),
            ..DeskSettings::default()
        })
        .unwrap();
    let now = chrono::Local::now().naive_local();
    assert_eq!(
        archive
            .expire_proofs(now + chrono::Duration::days(400))
            .unwrap(),
        0
    );
    archive
        .set_request_status(&RequestStatusChange {
            request_id: request.id,
            status: RequestStatus::NotFound,
            outcome: None,
        })
        .unwrap();
    assert_eq!(
        archive
            .expire_proofs(now + chrono::Duration::days(29))
            .unwrap(),
        0
    );
    assert_eq!(
        archive
            .expire_proofs(now + chrono::Duration::days(31))
            .unwrap(),
        1
    );
    let view = archive.lookup_request(request.id).unwrap();
    assert_eq!(view.proofs[0].deleted_why.as_deref(), Some("retention"));
    assert!(archive.view_proof(view.proofs[0].id).is_err());
    // No content is kept for any proof of the request now.
    let conn = open_raw(&archive);
    let kept: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM request_proofs WHERE content IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, 0);
    drop(conn);
    let actions = audit_actions(&mut archive);
    for action in [
        "proof_added",
        "view_proof",
        "proof_removed",
        "proof_expired",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} not in {actions:?}"
        );
    }
}

#[test]
fn a_wrong_file_is_refused_in_words_that_name_it_and_nothing_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (mut archive, _) = archive_with_wage_table(dir.path());
    archive.act_as(clerk("wang", Role::Clerk));
    let request = archive.register_request(&liu_request()).unwrap();
    for (asked, says) in [
        (
            proof(request.id, "id_card", "病毒.exe", b"MZ\x90\0\x03"),
            "病毒.exe",
        ),
        (proof(request.id, "id_card", "空.jpg", b""), "空.jpg"),
        (proof(request.id, "passport", "护照.jpg", &jpeg()), "类别"),
        (
            proof(request.id + 99, "id_card", "身份证.jpg", &jpeg()),
            "查档登记",
        ),
        (
            proof(request.id, "id_card", "大.jpg", &vec![0xFF; 11 << 20]),
            "超过 10 MB",
        ),
        (
            ProofAddRequest {
                content_base64: "不是base64".into(),
                ..proof(request.id, "id_card", "坏.jpg", b"")
            },
            "坏.jpg",
        ),
    ] {
        let refused = archive.add_proof(&asked).unwrap_err();
        assert!(
            refused.message.contains(says),
            "{}: {}",
            says,
            refused.message
        );
    }
    assert!(archive
        .lookup_request(request.id)
        .unwrap()
        .proofs
        .is_empty());
}
