//! The desktop app's own peer door (设置 → 跨馆档案馆 → 本馆跨馆端口, `PeerBeside`) on the archive
//! the app has open: only a supervisor opens it; A (a real host on 127.0.0.23) sends its
//! application there and hears B's 受理 back at its own door; a caller holding a key no peer
//! has is refused and recorded; the door opens again on the address it got after the app
//! restarts, and not once turned off; the demo archive is never served.

mod common;

use archivedesk::api::{Caller, Role, WhoHoldsQuestion};
use archivedesk::http::peer_beside::{remembered, PeerBeside};
use archivedesk::lan::desk_link::HostLink;
use archivedesk::lan::keys::{Pin, TlsKey};
use archivedesk::ops::DoorLogin;
use archivedesk::peers::WHO_HOLDS_PATH;
use archivedesk::session::Session;
use archivedesk::ErrorCode;
use common::peer_hosts::*;
use common::*;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

const A_IP: &str = "127.0.0.23";
const B_IP: &str = "127.0.0.24";

/// Who-holds asked at `address` by a caller holding `key`; answers the HTTP status.
fn ask_with(key: &TlsKey, address: &str, pin: &str) -> u16 {
    let question = WhoHoldsQuestion {
        asking: archivedesk::api::PeerAsking {
            request_no: "7".into(),
            clerk: "来历不明".into(),
            purpose: "退休待遇核定".into(),
            channel: "跨馆".into(),
        },
        id_number: Some(id18("43112819490512003")),
        ..WhoHoldsQuestion::default()
    };
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let link = HostLink::new(address, key, Some(Pin::parse(pin).unwrap())).unwrap();
        let request = hyper::Request::post(WHO_HOLDS_PATH)
            .header(hyper::header::HOST, link.host())
            .header(hyper::header::CONTENT_TYPE, "application/json")
            .body(axum::body::Body::from(
                serde_json::to_vec(&question).unwrap(),
            ))
            .unwrap();
        link.send(request).await.unwrap().status().as_u16()
    })
}

#[test]
fn the_app_answers_other_archives_on_its_own_archive_while_its_door_is_on() {
    let root = tempfile::tempdir().unwrap();
    let liu = id18("43112819490512003");
    let catalogue = root.path().join("乙县目录.csv");
    write_more_of_b(&catalogue, &liu);
    let a = archive(root.path(), "甲县档案馆", &[]);
    let b = archive(root.path(), "乙县档案馆", &[catalogue]);
    let (a_lan, a_door) = two_free_addresses(A_IP);
    add_peer(&b, "甲县档案馆", &a_door, &own_pin(&a));
    let b_pin = own_pin(&b);
    let (_a_host, _) = start_peer_host_at(&a, &a_lan, &a_door, &[]);

    // B is the app: its archive open in a session that delivers its outbox, its supervisor
    // logged in as the app logs in.
    let session = Arc::new(Session::new(
        archivedesk::Archive::open(&b).unwrap(),
        root.path().join("演示"),
    ));
    archivedesk::session::keep_delivering(&session);
    let mut at_b = DoorLogin {
        token: None,
        address: "本机".into(),
        desk: None,
        retry_key: None,
    };
    let login = json!({"login": "tester", "password": "test-password"}).to_string();
    archivedesk::ops::call(&session, &mut at_b, "login", login.as_bytes()).unwrap();
    let supervisor = archivedesk::ops::caller_at(&session, &mut at_b).unwrap();
    let clerk = Caller {
        role: Role::Clerk,
        ..supervisor.clone()
    };
    let listen = format!("{B_IP}:0").parse().unwrap();
    let refused = PeerBeside::start(Arc::clone(&session), &b, listen, &clerk)
        .err()
        .unwrap();
    assert_eq!(refused.code, ErrorCode::Forbidden, "{}", refused.message);
    assert!(remembered(&b).is_none());

    let door = PeerBeside::start(Arc::clone(&session), &b, listen, &supervisor).unwrap();
    let address = door.status().listen.unwrap();
    assert!(
        door.status().running && address.starts_with(B_IP),
        "{address}"
    );
    // The port it got is remembered, not `:0`: other archives keep the address they were told.
    assert_eq!(remembered(&b).as_deref(), Some(address.as_str()));
    add_peer(&a, "乙县档案馆", &address, &b_pin);

    // A sends 刘建国's application with his ID card; B's app has it in its 跨馆协办 inbox.
    let request = cross_archive_request(&a, "刘建国", &liu);
    let card = id_card(root.path());
    send_with_id_card(&a, &request, &card, "乙县档案馆");
    let item = eventually("B's app has the application", || {
        let inbox =
            archivedesk::ops::call(&session, &mut at_b, "cross_inbox", b"{\"all\":false}").unwrap();
        inbox["items"].as_array().and_then(|i| i.first().cloned())
    });
    assert_eq!(item["their_request_no"], request.as_str());
    assert_eq!(item["peer_name"], "甲县档案馆");

    // 受理 in the app reaches A through A's door.
    let accept = json!({"id": item["id"]}).to_string();
    archivedesk::ops::call(&session, &mut at_b, "cross_accept", accept.as_bytes()).unwrap();
    eventually("A hears 已受理", || {
        (sent_state(&a, &request)["state"] == "accepted").then_some(())
    });

    // A key no peer holds gets nothing, and the refusal is on B's trail.
    let stranger =
        TlsKey::load_or_make(&root.path().join("陌生密钥.pem"), "archivedesk-host").unwrap();
    assert_eq!(ask_with(&stranger, &address, &b_pin), 403);
    eventually("the refusal recorded", || {
        trail_rows(&b, "peer_refused")
            .iter()
            .map(|r| r["detail"].to_string())
            .any(|d| d.contains("unknown_key") && d.contains(&stranger.pin().hex()))
            .then_some(())
    });

    // The app quitting closes the door and keeps it on: it opens again on the same address.
    drop(door);
    let again: std::net::SocketAddr = remembered(&b).unwrap().parse().unwrap();
    let door =
        PeerBeside::start(Arc::clone(&session), &b, again, &Caller::local_operator()).unwrap();
    assert_eq!(door.status().listen.as_deref(), Some(address.as_str()));
    assert_eq!(ask_with(&stranger, &address, &b_pin), 403);

    // Turned off: nobody is answered, and it stays off at the next start.
    door.stop().unwrap();
    assert!(remembered(&b).is_none());
    assert!(std::net::TcpStream::connect_timeout(
        &address.parse().unwrap(),
        Duration::from_millis(500)
    )
    .is_err());
    session.close();

    // The demo archive's made-up data is never served to other archives.
    let on_demo = Session::new(archivedesk::Archive::open(&b).unwrap(), b.clone());
    let refused = PeerBeside::start(Arc::new(on_demo), &b, listen, &supervisor)
        .err()
        .unwrap();
    assert!(
        refused.message.contains("演示档案库"),
        "{}",
        refused.message
    );
    assert!(remembered(&b).is_none());
}
