//! The desktop app's side of the LAN, without a window: as a desk (`HostCalls`, what the app's
//! shell sends on to a host started as a real process on 127.0.0.2) and as the host itself
//! (`LanBeside`, the LAN door on the app's own open archive).

mod common;

use common::lan_host::*;
use common::*;
use std::path::Path;
use std::time::Duration;

/// A demo archive (with scanned pages) whose supervisor is `tester`.
fn demo_with_supervisor(data: &Path) {
    let built = run(data, &["demo", "--entries", "60"]);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    add_supervisor(data);
}

#[test]
fn the_desktop_app_as_a_desk_sends_operations_pages_and_files_to_the_host() {
    use archivedesk::api::ImportStartRequest;
    use archivedesk::http::host_calls::HostCalls;
    use archivedesk::ErrorCode;
    use serde_json::json;

    let dir = tempfile::tempdir().unwrap();
    let host_data = dir.path().join("主机档案");
    demo_with_supervisor(&host_data);
    let host = start_host(&host_data);
    let desk_data = dir.path().join("三号柜台");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let calls = HostCalls::pair(&desk_data, &host.address, &host.code)
            .await
            .unwrap();
        assert_eq!(
            calls.config().host_pin,
            host.pin.replace(' ', "").to_lowercase(),
            "the desk pinned the host's key"
        );
        let place = calls.place();
        let lan = place.lan.as_ref().unwrap();
        assert!(place.chosen);
        assert_eq!(lan.desk_code, calls.config().desk_code);

        // Nothing before a login; the login is kept for the calls that follow.
        let refused = calls.call("status", &json!({})).await.unwrap_err();
        assert_eq!(refused.code, ErrorCode::Unauthorized);
        let wrong = calls
            .call(
                "login",
                &json!({"login": "tester", "password": "wrong-password"}),
            )
            .await
            .unwrap_err();
        assert_eq!(wrong.code, ErrorCode::Unauthorized);
        calls
            .call(
                "login",
                &json!({"login": "tester", "password": "test-password"}),
            )
            .await
            .unwrap();
        let session = calls.call("desk_session", &json!({})).await.unwrap();
        assert_eq!(
            session["caller"]["desk"],
            lan.desk_code.as_str(),
            "the host names the desk"
        );

        // A record and its first page, as the host serves them.
        let found = calls
            .call("search", &json!({"query": "工资"}))
            .await
            .unwrap();
        let mut with_page = None;
        for hit in found["hits"].as_array().unwrap() {
            let document_id = hit["document_id"].as_i64().unwrap();
            let record = calls
                .call("document", &json!({"document_id": document_id}))
                .await
                .unwrap();
            if let Some(page_no) = record["pages"][0]["page_no"].as_i64() {
                with_page = Some((document_id, page_no));
                break;
            }
        }
        let (document_id, page_no) = with_page.expect("a wage record with a scanned page");
        let page = calls
            .page(&archivedesk::api::PageRequest {
                document_id,
                page_no,
                size: archivedesk::api::PageSize::Preview,
            })
            .await
            .unwrap();
        assert!(
            page.content_type.starts_with("image/"),
            "{}",
            page.content_type
        );
        assert!(page.bytes.len() > 100);

        // An act goes through under a retry key, and is done once.
        let registered = calls
            .call(
                "register_request",
                &serde_json::to_value(common::counter::liu_request()).unwrap(),
            )
            .await
            .unwrap();
        let listed = calls.call("lookup_requests", &json!({})).await.unwrap();
        assert_eq!(listed["total"], 1);
        assert_eq!(listed["requests"][0]["id"], registered["id"]);

        // A catalogue file chosen at the desk is uploaded and previewed at the host; a folder
        // is not sent.
        let started = calls
            .import_files(ImportStartRequest {
                paths: vec![sample("retirement_catalogue_gb18030.csv")],
                dry_run: true,
                ..Default::default()
            })
            .await
            .unwrap();
        let report = loop {
            let status = calls
                .call("import_status", &json!({"job": started.job}))
                .await
                .unwrap();
            if status["running"] == false {
                break status;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        assert!(report["error"].is_null(), "{report}");
        let file = &report["report"]["files"][0];
        assert!(
            file["path"]
                .as_str()
                .unwrap()
                .ends_with("retirement_catalogue_gb18030.csv"),
            "{report}"
        );
        let folder = calls
            .import_files(ImportStartRequest {
                paths: vec![samples_dir()],
                dry_run: true,
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert!(folder.message.contains("文件夹"), "{}", folder.message);

        // The app started again works on the host without pairing, and without the login.
        let again = HostCalls::open(&desk_data).unwrap().unwrap();
        let refused = again.call("status", &json!({})).await.unwrap_err();
        assert_eq!(refused.code, ErrorCode::Unauthorized);

        // A clerk disabled by a supervisor loses the login at the desk at once and cannot log
        // in again there.
        let made = calls
            .call(
                "create_clerk",
                &json!({"login": "lisi", "display_name": "李四", "role": "clerk",
                        "password": "Qingyuan-2026x"}),
            )
            .await
            .unwrap();
        let clerk = HostCalls::open(&desk_data).unwrap().unwrap();
        let login = json!({"login": "lisi", "password": "Qingyuan-2026x"});
        clerk.call("login", &login).await.unwrap();
        let at_desk = clerk.call("desk_session", &json!({})).await.unwrap();
        assert_eq!(at_desk["caller"]["login"], "lisi");
        calls
            .call(
                "change_clerk",
                &json!({"clerk_id": made["id"], "disabled": true}),
            )
            .await
            .unwrap();
        let ended = clerk.call("lookup_requests", &json!({})).await.unwrap_err();
        assert_eq!(ended.code, ErrorCode::Unauthorized, "{}", ended.message);
        let refused = clerk.call("login", &login).await.unwrap_err();
        assert!(refused.message.contains("停用"), "{}", refused.message);

        // Quitting the app ends the login at the host; a logout ends the one kept in memory.
        let quitting = HostCalls::open(&desk_data).unwrap().unwrap();
        quitting
            .call(
                "login",
                &json!({"login": "tester", "password": "test-password"}),
            )
            .await
            .unwrap();
        let logouts = |rows: serde_json::Value| rows.as_array().unwrap().len();
        let before = logouts(
            calls
                .call("audit_rows", &json!({"action": "logout"}))
                .await
                .unwrap(),
        );
        quitting.log_out().await;
        let after = logouts(
            calls
                .call("audit_rows", &json!({"action": "logout"}))
                .await
                .unwrap(),
        );
        assert_eq!(after, before + 1, "the host recorded the logout");
        let refused = quitting.call("status", &json!({})).await.unwrap_err();
        assert_eq!(refused.code, ErrorCode::Unauthorized);
        calls.call("logout", &json!({})).await.unwrap();
        let refused = calls.call("status", &json!({})).await.unwrap_err();
        assert_eq!(refused.code, ErrorCode::Unauthorized);
    });
    // The desk kept its key and pairing, and nothing of the archive.
    let mut kept: Vec<String> = std::fs::read_dir(&desk_data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    kept.sort();
    assert_eq!(
        kept,
        ["lan_desk.json", "lan_key.pem"],
        "the desk keeps only its pairing and key"
    );
}

#[test]
fn the_app_serves_its_own_archive_on_the_lan_beside_its_clerk_and_stops_when_told() {
    use archivedesk::api::{Caller, Role};
    use archivedesk::http::host_calls::HostCalls;
    use archivedesk::http::lan_beside::{remembered, LanBeside};
    use archivedesk::ops::DoorLogin;
    use archivedesk::session::Session;
    use archivedesk::ErrorCode;
    use serde_json::json;
    use std::sync::Arc;

    let (dir, data) = archive_with_supervisor();
    let session = Arc::new(Session::new(
        archivedesk::Archive::open(&data).unwrap(),
        dir.path().join("演示"),
    ));
    // The clerk at the host PC's app, logged in as the app logs in.
    let mut at_host = DoorLogin {
        token: None,
        address: "本机".into(),
        desk: None,
        retry_key: None,
    };
    let body = json!({"login": "tester", "password": "test-password"}).to_string();
    archivedesk::ops::call(&session, &mut at_host, "login", body.as_bytes()).unwrap();
    let supervisor = archivedesk::ops::caller_at(&session, &mut at_host).unwrap();
    let clerk = Caller {
        role: Role::Clerk,
        ..supervisor.clone()
    };
    let listen = format!("{HOST_IP}:0").parse().unwrap();

    let refused = LanBeside::start(Arc::clone(&session), &data, listen, &clerk, true)
        .err()
        .unwrap();
    assert_eq!(refused.code, ErrorCode::Forbidden, "{}", refused.message);

    let beside = LanBeside::start(Arc::clone(&session), &data, listen, &supervisor, true).unwrap();
    let status = beside.status();
    let address = status.listen.clone().unwrap();
    assert!(status.running && address.starts_with(HOST_IP), "{address}");
    // The port it got is remembered, not `:0`: desks keep the address they paired with.
    assert_eq!(remembered(&data).as_deref(), Some(address.as_str()));
    let code = status.pairing.unwrap().code;

    let desk_data = dir.path().join("二号柜台");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let desk = runtime.block_on(async {
        let desk = HostCalls::pair(&desk_data, &address, &code).await.unwrap();
        assert_eq!(
            desk.config().host_pin,
            status.host_pin.unwrap().replace(' ', "").to_lowercase()
        );
        desk.call(
            "login",
            &json!({"login": "tester", "password": "test-password"}),
        )
        .await
        .unwrap();
        desk.call(
            "register_request",
            &serde_json::to_value(common::counter::liu_request()).unwrap(),
        )
        .await
        .unwrap();
        desk
    });
    // One archive: the request made at the desk is in the host's register, under the desk.
    let listed = archivedesk::ops::call(&session, &mut at_host, "lookup_requests", b"{}").unwrap();
    assert_eq!(listed["total"], 1, "{listed}");
    let desks = beside
        .host_operation(supervisor.clone(), "lan_desks", b"{}")
        .unwrap();
    assert_eq!(desks[0]["code"], desk.config().desk_code.as_str());
    let opened = beside
        .host_operation(
            supervisor.clone(),
            "lan_pairing_start",
            json!({"desk_name": "三号柜台"}).to_string().as_bytes(),
        )
        .unwrap();
    assert_eq!(opened["desk_name"], "三号柜台");

    assert!(
        beside.status().pairing.unwrap().desk_name == "三号柜台",
        "the pairing open now is the one opened last"
    );

    // The app quitting closes the door and keeps it on; at the next start it opens on the same
    // address with the same key, with no pairing open, and the desk works on.
    drop(beside);
    let gone = runtime
        .block_on(desk.call("lookup_requests", &json!({})))
        .unwrap_err();
    assert_eq!(gone.code, ErrorCode::HostUnreachable, "{}", gone.message);
    let again: std::net::SocketAddr = remembered(&data).unwrap().parse().unwrap();
    let beside = LanBeside::start(
        Arc::clone(&session),
        &data,
        again,
        &Caller::local_operator(),
        false,
    )
    .unwrap();
    assert!(beside.status().pairing.is_none());
    assert_eq!(beside.status().listen.as_deref(), Some(address.as_str()));
    let back = runtime
        .block_on(desk.call("lookup_requests", &json!({})))
        .unwrap();
    assert_eq!(back["total"], 1);

    // Turned off: the desk is told the host is gone, the app keeps its archive, and the door
    // does not open again at the next start.
    beside.stop().unwrap();
    let gone = runtime
        .block_on(desk.call("status", &json!({})))
        .unwrap_err();
    assert_eq!(gone.code, ErrorCode::HostUnreachable, "{}", gone.message);
    assert!(remembered(&data).is_none());
    let still = archivedesk::ops::call(&session, &mut at_host, "lookup_requests", b"{}").unwrap();
    assert_eq!(still["total"], 1);
}

#[test]
fn the_desktop_desk_gets_back_the_act_whose_answer_the_dying_host_never_sent() {
    use archivedesk::http::host_calls::HostCalls;
    use serde_json::json;

    let (dir, host_data) = archive_with_supervisor();
    let address = {
        let free = std::net::TcpListener::bind(format!("{HOST_IP}:0")).unwrap();
        free.local_addr().unwrap().to_string()
    };
    let host = start_host_at(&host_data, &address, None);
    let desk_data = dir.path().join("二号柜台");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let desk = runtime
        .block_on(HostCalls::pair(&desk_data, &address, &host.code))
        .unwrap();
    drop(host);
    let login = json!({"login": "tester", "password": "test-password"});

    // The host dies right after the act commits, before answering; it is started again on its
    // address while the desk asks again under the act's key.
    let mut dying = start_host_at(&host_data, &address, Some("act_committed"));
    runtime.block_on(desk.call("login", &login)).unwrap();
    let (registered, _restarted) = std::thread::scope(|scope| {
        let asking = scope.spawn(|| {
            runtime.block_on(desk.call(
                "register_request",
                &serde_json::to_value(common::counter::liu_request()).unwrap(),
            ))
        });
        assert!(
            !dying.child.wait().unwrap().success(),
            "killed after the commit"
        );
        let restarted = start_host_at(&host_data, &address, None);
        (asking.join().unwrap(), restarted)
    });
    let registered = registered.expect("the act done before the kill is given back");
    assert_eq!(registered["id"], 1);
    runtime.block_on(desk.call("login", &login)).unwrap();
    let listed = runtime
        .block_on(desk.call("lookup_requests", &json!({})))
        .unwrap();
    assert_eq!(listed["total"], 1, "done once: {listed}");
}
