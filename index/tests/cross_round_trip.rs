//! The 跨馆 request round trip between two hosts, as real processes on loopback addresses: A
//! (the receiving archive) sends 刘建国's application with his ID card while B (the holding
//! archive) is down; B registers it once up, with a deadline of 4 working days; B accepts it
//! while A is killed, attaches his wage table and issues the certificate while its own host is
//! down — each step reaches A once the other side is back, in order, once; the PDF A receives is the one B
//! issued, it verifies at either archive, and A can deliver. A message told again changes
//! nothing; a certificate voided at B is void at A too, and the one standing or issued again
//! after replaces it;
//! an application returned says why on both sides.

mod common;

use archivedesk::cross::calendar::working_days_after;
use archivedesk::cross::{StatusMessage, STATUS_PATH};
use archivedesk::lan::desk_link::HostLink;
use archivedesk::lan::keys::{Pin, TlsKey};
use common::lan_host::run;
use common::peer_hosts::*;
use common::*;
use std::path::Path;
use std::time::Duration;

fn json(data: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(run(data, args))).unwrap()
}

fn actions(data: &Path, action: &str) -> usize {
    let conn = rusqlite::Connection::open(data.join("archive.sqlite3")).unwrap();
    conn.query_row(
        "SELECT COUNT(*) FROM audit_log WHERE action = ?1",
        [action],
        |r| r.get::<_, i64>(0),
    )
    .unwrap() as usize
}

#[test]
fn an_application_goes_to_the_holding_archive_and_its_certificate_comes_back_whatever_dies() {
    let root = tempfile::tempdir().unwrap();
    let liu = id18("43112819490512003");
    let catalogue = root.path().join("乙县目录.csv");
    write_more_of_b(&catalogue, &liu);
    let a = archive(root.path(), "甲县档案馆", &[]);
    let b = archive(root.path(), "乙县档案馆", &[catalogue]);
    let (a_lan, a_door) = two_free_addresses("127.0.0.21");
    let (b_lan, b_door) = two_free_addresses("127.0.0.22");
    add_peer(&a, "乙县档案馆", &b_door, &own_pin(&b));
    add_peer(&b, "甲县档案馆", &a_door, &own_pin(&a));
    let (a_host, _) = start_peer_host_at(&a, &a_lan, &a_door, &[]);

    // A: a 跨馆 request for 刘建国 with his ID card, sent to B.
    let request = cross_archive_request(&a, "刘建国", &liu);
    let refused = run(
        &a,
        &[
            "cross",
            "send",
            "--request",
            &request,
            "--peer",
            "乙县档案馆",
        ],
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("身份证"));
    let card = id_card(root.path());
    send_with_id_card(&a, &request, &card, "乙县档案馆");

    // B's host is not up yet: the application waits in A's outbox, saying why.
    let waiting = eventually("A has tried to deliver", || {
        let sent = sent_state(&a, &request);
        sent["last_error"].is_string().then_some(sent)
    });
    assert_eq!(waiting["delivered"], false);
    assert_eq!(waiting["state"], "submitted");
    let (b_host, _) = start_peer_host_at(&b, &b_lan, &b_door, &[]);

    // B registers it as its own request, with the proof, due in 4 working days.
    let item = eventually("B has the application", || {
        let inbox = json(&b, &["cross", "inbox", "--json"]);
        inbox["items"].as_array().and_then(|i| i.first().cloned())
    });
    let today = chrono::Local::now().date_naive();
    let due = working_days_after(today, 4, &|_| None)
        .format("%Y-%m-%d")
        .to_string();
    assert_eq!(item["deadline"], due.as_str());
    assert_eq!(item["peer_name"], "甲县档案馆");
    assert_eq!(item["their_request_no"], request.as_str());
    assert_eq!(item["requester_name"], "刘建国");
    let b_request = item["request_id"].as_i64().unwrap().to_string();
    let registered = json(&b, &["register", "show", &b_request, "--json"]);
    assert_eq!(registered["channel"], "跨馆");
    assert_eq!(registered["proofs"][0]["kind"], "id_card");
    assert_eq!(registered["proofs"][0]["file_name"], "刘建国身份证.jpg");
    let item_id = item["id"].as_i64().unwrap().to_string();
    // A hears it was submitted, and by when B answers.
    eventually("A knows the deadline", || {
        let sent = sent_state(&a, &request);
        (sent["delivered"] == true && sent["deadline"] == due.as_str()).then_some(())
    });

    // A is killed; B accepts meanwhile. A hears it once it is back.
    drop(a_host);
    ok(run(&b, &["cross", "accept", &item_id]));
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(sent_state(&a, &request)["state"], "submitted");
    let (a_host, _) = start_peer_host_at(&a, &a_lan, &a_door, &[]);
    eventually("A hears 已受理", || {
        (sent_state(&a, &request)["state"] == "accepted").then_some(())
    });

    // B's host is down while its clerk attaches the wage table and issues the certificate: the
    // messages wait in B's outbox, and reach A when B is back.
    drop(b_host);
    let document = json(&b, &["show", "J012-WS·1999-Y-0040", "--json"])["id"]
        .as_i64()
        .unwrap()
        .to_string();
    ok(run(
        &b,
        &["register", "attach", &b_request, "--document", &document],
    ));
    let issued = json(&b, &["certificate", "issue", &b_request, "--json"]);
    let number = issued["number"].as_str().unwrap().to_string();
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(sent_state(&a, &request)["state"], "accepted");
    let (b_host, _) = start_peer_host_at(&b, &b_lan, &b_door, &[]);
    let sent = eventually("A receives the certificate", || {
        let sent = sent_state(&a, &request);
        (sent["state"] == "certified").then_some(sent)
    });
    assert_eq!(sent["certificate_number"], number.as_str());
    assert_eq!(sent["certificate_code"], issued["verify_code"]);
    // The PDF A prints is the one B issued, byte for byte.
    let at_a = root.path().join("收到的证明.pdf");
    let at_b = root.path().join("出具的证明.pdf");
    let sent_id = sent["id"].as_i64().unwrap().to_string();
    ok(run(
        &a,
        &[
            "cross",
            "certificate",
            &sent_id,
            "--out",
            at_a.to_str().unwrap(),
        ],
    ));
    ok(run(
        &b,
        &[
            "certificate",
            "show",
            &number,
            "--out",
            at_b.to_str().unwrap(),
        ],
    ));
    assert_eq!(std::fs::read(&at_a).unwrap(), std::fs::read(&at_b).unwrap());
    // It verifies at either archive: at B as issued, at A as the PDF B sent.
    let code = issued["verify_code"].as_str().unwrap();
    let at_b_says = json(
        &b,
        &["verify", code, "--pdf", at_a.to_str().unwrap(), "--json"],
    );
    assert_eq!(at_b_says["valid"], true);
    assert_eq!(at_b_says["pdf_matches"], true);
    let at_a_says = json(
        &a,
        &["verify", code, "--pdf", at_a.to_str().unwrap(), "--json"],
    );
    assert_eq!(at_a_says["valid"], true, "{at_a_says}");
    assert_eq!(at_a_says["issued_elsewhere"], "乙县档案馆");
    assert_eq!(at_a_says["certificate"]["number"], number.as_str());
    let forged = root.path().join("改过的证明.pdf");
    let mut bytes = std::fs::read(&at_a).unwrap();
    bytes.extend_from_slice(b"\n% changed");
    std::fs::write(&forged, bytes).unwrap();
    let refused = run(
        &a,
        &["verify", code, "--pdf", forged.to_str().unwrap(), "--json"],
    );
    let refused: serde_json::Value = serde_json::from_slice(&refused.stdout).unwrap();
    assert_eq!(refused["valid"], false);
    // A's request stands 已查到 and can be delivered.
    let shown = json(&a, &["register", "show", &request, "--json"]);
    assert_eq!(shown["status"], "found");
    ok(run(
        &a,
        &["register", "close", &request, "--status", "delivered"],
    ));

    // Each step once on each trail: in order at A, B's clerk and A's name at B.
    assert_eq!(actions(&a, "cross_sent"), 1);
    assert_eq!(
        actions(&a, "cross_status"),
        3,
        "accepted, in_progress, certified"
    );
    assert_eq!(actions(&b, "cross_received"), 1);
    assert_eq!(actions(&b, "cross_step"), 3);

    // Told again (a late or repeated message): nothing changes at A.
    let key =
        TlsKey::load_or_make(&b.join(archivedesk::lan::KEY_FILE), "archivedesk-host").unwrap();
    let message_id = {
        let conn = rusqlite::Connection::open(a.join("archive.sqlite3")).unwrap();
        conn.query_row("SELECT message_id FROM cross_sent", [], |r| {
            r.get::<_, String>(0)
        })
        .unwrap()
    };
    let late = StatusMessage {
        message_id,
        state: "accepted".into(),
        at: "2026-01-01 00:00:00".into(),
        deadline: None,
        reason: None,
        certificate: None,
        voided: None,
    };
    let status = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let link = HostLink::new(&a_door, &key, Some(Pin::parse(&own_pin(&a)).unwrap())).unwrap();
        let request = hyper::Request::post(STATUS_PATH)
            .header(hyper::header::HOST, link.host())
            .header(hyper::header::CONTENT_TYPE, "application/json")
            .body(axum::body::Body::from(serde_json::to_vec(&late).unwrap()))
            .unwrap();
        link.send(request).await.unwrap().status().as_u16()
    });
    assert_eq!(status, 200);
    assert_eq!(sent_state(&a, &request)["state"], "certified");
    assert_eq!(actions(&a, "cross_status"), 3);

    // B voids the certificate (issued by mistake), having issued another meanwhile: that one
    // waits at B while the first stands, then reaches A after the void, which A takes first —
    // A prints the first no more and 核验 there says it is void; the second replaces it.
    let outbox = |data: &Path| -> i64 {
        let conn = rusqlite::Connection::open(data.join("archive.sqlite3")).unwrap();
        conn.query_row("SELECT COUNT(*) FROM peer_outbox", [], |r| r.get(0))
            .unwrap()
    };
    let waiting_at_b = outbox(&b);
    let second = json(&b, &["certificate", "issue", &b_request, "--json"]);
    let second_number = second["number"].as_str().unwrap().to_string();
    assert_ne!(second_number, number);
    assert_eq!(
        outbox(&b),
        waiting_at_b,
        "nothing told while the first stands"
    );
    ok(run(
        &b,
        &["certificate", "void", &number, "--reason", "出生年月抄错"],
    ));
    let replaced = eventually("A has the second certificate", || {
        let sent = sent_state(&a, &request);
        (sent["certificate_number"] == second_number.as_str()).then_some(sent)
    });
    assert!(replaced["certificate_voided_at"].is_null(), "{replaced}");
    assert_eq!(
        actions(&a, "cross_status"),
        5,
        "the void taken, then the second"
    );
    let void_at_a = run(
        &a,
        &["verify", code, "--pdf", at_a.to_str().unwrap(), "--json"],
    );
    let void_at_a: serde_json::Value = serde_json::from_slice(&void_at_a.stdout).unwrap();
    assert_eq!(void_at_a["valid"], false, "{void_at_a}");

    // The second voided too, with none standing: A holds it as void and prints it no more…
    ok(run(
        &b,
        &[
            "certificate",
            "void",
            &second_number,
            "--reason",
            "单位名称有误",
        ],
    ));
    let voided = eventually("A hears the second was voided", || {
        let sent = sent_state(&a, &request);
        sent["certificate_voided_at"].is_string().then_some(sent)
    });
    assert_eq!(voided["certificate_void_reason"], "单位名称有误");
    assert_eq!(voided["state"], "certified");
    assert!(voided["certificate_voided_at"].is_string());
    let refused = run(
        &a,
        &[
            "cross",
            "certificate",
            &sent_id,
            "--out",
            at_a.to_str().unwrap(),
        ],
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("作废"));
    let second_code = second["verify_code"].as_str().unwrap();
    let void_at_a: serde_json::Value =
        serde_json::from_slice(&run(&a, &["verify", second_code, "--json"]).stdout).unwrap();
    assert_eq!(void_at_a["valid"], false, "{void_at_a}");
    assert!(void_at_a["reason"]
        .as_str()
        .unwrap()
        .contains("乙县档案馆作废"));

    // …until B issues again: the third replaces it, and verifies at A.
    let third = json(&b, &["certificate", "issue", &b_request, "--json"]);
    let third_number = third["number"].as_str().unwrap().to_string();
    let replaced = eventually("A receives the third", || {
        let sent = sent_state(&a, &request);
        (sent["certificate_number"] == third_number.as_str()).then_some(sent)
    });
    assert!(replaced["certificate_voided_at"].is_null(), "{replaced}");
    ok(run(
        &a,
        &[
            "cross",
            "certificate",
            &sent_id,
            "--out",
            at_a.to_str().unwrap(),
        ],
    ));
    let third_at_a = json(
        &a,
        &[
            "verify",
            third["verify_code"].as_str().unwrap(),
            "--pdf",
            at_a.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(third_at_a["valid"], true, "{third_at_a}");
    assert!(third_at_a["certificate"]["voided_by"].is_null());
    assert_eq!(actions(&a, "cross_status"), 7);

    // A second application, returned by B with the reason: both sides say why.
    let second = cross_archive_request(&a, "刘建国", &liu);
    send_with_id_card(&a, &second, &card, "乙县档案馆");
    let returned = eventually("B has the second application", || {
        let inbox = json(&b, &["cross", "inbox", "--json"]);
        inbox["items"]
            .as_array()
            .and_then(|items| items.iter().find(|i| i["state"] == "submitted").cloned())
    });
    ok(run(
        &b,
        &[
            "cross",
            "return",
            &returned["id"].to_string(),
            "--reason",
            "请补充授权委托书原件",
        ],
    ));
    let back = eventually("A hears 退回", || {
        let sent = sent_state(&a, &second);
        (sent["state"] == "returned").then_some(sent)
    });
    assert_eq!(back["reason"], "请补充授权委托书原件");
    let b_second = json(
        &b,
        &[
            "register",
            "show",
            &returned["request_id"].to_string(),
            "--json",
        ],
    );
    assert_eq!(b_second["status"], "not_found");
    assert!(b_second["outcome"]
        .as_str()
        .unwrap()
        .contains("请补充授权委托书原件"));

    // B no longer counts A among its archives: a new application is refused for good, not sent
    // again and again, and stands 退回 at A with why, so that the clerk knows.
    ok(run(&b, &["peers", "remove", "甲县档案馆"]));
    // B's door reads its archives at most every 2 s.
    std::thread::sleep(Duration::from_millis(2500));
    let third = cross_archive_request(&a, "刘建国", &liu);
    ok(run(
        &a,
        &[
            "register",
            "proof",
            &third,
            "--kind",
            "id_card",
            card.to_str().unwrap(),
        ],
    ));
    ok(run(
        &a,
        &["cross", "send", "--request", &third, "--peer", "乙县档案馆"],
    ));
    let refused = eventually("A hears B refused it", || {
        let sent = sent_state(&a, &third);
        (sent["state"] == "returned").then_some(sent)
    });
    assert!(
        refused["reason"].as_str().unwrap().contains("拒收"),
        "{refused}"
    );
    drop((a_host, b_host));
}
