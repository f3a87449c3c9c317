//! Several counter desks on one archive over the LAN, as real processes on loopback addresses:
//! a host (`serve --lan`) and desks (`serve --connect`, each with a data folder of its own),
//! paired by the code the host shows. Every refusal the LAN door owes is tried: no supervisor,
//! a plaintext client, a wrong code, an unenrolled desk, a revoked desk, a host with another key,
//! and an operation only the host may do.

mod common;

use common::lan_host::*;
use common::server::*;
use common::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

#[test]
fn the_lan_door_will_not_open_before_the_archive_has_a_supervisor() {
    let (_dir, data) = archive_with_sample("档案数据");
    let out = run(&data, &["serve", "--lan", &format!("{HOST_IP}:0")]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("主管账号"));
    assert!(
        !data.join("lan_key.pem").exists(),
        "no key made for a door that did not open"
    );
}

#[test]
fn a_paired_desk_works_on_the_host_archive_and_every_stranger_is_refused() {
    let (dir, host_data) = archive_with_supervisor();
    let host = start_host(&host_data);
    assert_eq!(
        host.pin.split(' ').count(),
        16,
        "the full SHA-256 is shown: {}",
        host.pin
    );

    // A plaintext client gets no HTTP answer from the TLS door.
    let mut plain = TcpStream::connect(&host.address).unwrap();
    plain
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    plain
        .write_all(b"POST /api/desk_session HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
        .unwrap();
    let mut answer = Vec::new();
    let _ = plain.read_to_end(&mut answer);
    assert!(
        !answer.starts_with(b"HTTP/"),
        "{}",
        String::from_utf8_lossy(&answer)
    );

    // A wrong code spends the code: the right one no longer works either.
    let wrong = if host.code.starts_with('0') {
        "999 999"
    } else {
        "000 000"
    };
    let stranger = dir.path().join("陌生柜台");
    let refused = start_desk(&stranger, &host.address, Some(wrong)).unwrap_err();
    assert!(refused.contains("配对"), "{refused}");
    let late = start_desk(&stranger, &host.address, Some(&host.code)).unwrap_err();
    assert!(late.contains("配对"), "{late}");
    assert!(!stranger.join("lan_desk.json").exists());
    // The trail says who spent the code: once, by the wrong attempt.
    let trail = run(&host_data, &["audit", "list", "--json"]);
    assert!(
        trail.status.success(),
        "{}",
        String::from_utf8_lossy(&trail.stderr)
    );
    let trail = String::from_utf8_lossy(&trail.stdout);
    assert_eq!(trail.matches("\"pairing_attempt\"").count(), 1, "{trail}");

    // Nothing was enrolled; a host started again shows a new code, and the desk pairs with it.
    let enrolled = run(&host_data, &["desks", "--json"]);
    assert_eq!(String::from_utf8_lossy(&enrolled.stdout).trim(), "[]");
    drop(host);
    let host = start_host(&host_data);
    let desk_b_data = dir.path().join("二号柜台");
    let desk_b = logged_in(start_desk(&desk_b_data, &host.address, Some(&host.code)).unwrap());
    let config = desk_config(&desk_b_data);
    assert_eq!(config["desk_code"], "B");
    assert_eq!(
        config["host_pin"].as_str().unwrap(),
        host.pin.replace(' ', "").to_lowercase(),
        "the desk pinned the key the host shows"
    );
    assert!(
        !desk_b_data.join("archive.sqlite3").exists(),
        "a desk keeps no copy of the archive"
    );

    // The desk finds and opens the host's records.
    let found = call(&desk_b, "search", serde_json::json!({"query": "张瑞"})).json();
    assert_eq!(found["hits"][0]["name"], "张瑞");
    let entry = found["hits"][0]["entry_id"].as_i64().unwrap();
    let doc = call(&desk_b, "document", serde_json::json!({"entry_id": entry})).json();
    assert_eq!(doc["ref_code"], "031-7-1");

    // Registered and issued at desk B: the number carries desk B's code, the trail names the desk.
    let request = call(
        &desk_b,
        "register_request",
        serde_json::to_value(common::counter::liu_request()).unwrap(),
    );
    assert_eq!(
        request.status,
        200,
        "{}",
        String::from_utf8_lossy(&request.body)
    );
    let request_id = request.json()["id"].as_i64().unwrap();
    let attached = call(
        &desk_b,
        "attach_record",
        serde_json::json!({"request_id": request_id, "entry_id": entry, "catalogue_only": true}),
    );
    assert_eq!(
        attached.status,
        200,
        "{}",
        String::from_utf8_lossy(&attached.body)
    );
    let issued = call(
        &desk_b,
        "issue_certificate",
        serde_json::json!({"request_id": request_id}),
    );
    assert_eq!(
        issued.status,
        200,
        "{}",
        String::from_utf8_lossy(&issued.body)
    );
    let number = issued.json()["number"].as_str().unwrap().to_string();
    assert!(number.contains("B第0001号"), "{number}");
    let rows = call(
        &desk_b,
        "audit_rows",
        serde_json::json!({"action": "certificate"}),
    )
    .json();
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .any(|r| r["actor"].as_str().unwrap().ends_with("@柜台B")
                && r["detail"].as_str().unwrap().contains(&number)),
        "{rows}"
    );

    // A catalogue uploaded at the desk is imported by the host and reported to the desk; the
    // desk keeps no copy of it.
    let csv = dir.path().join("柜台上传的招工表.csv");
    write_gb18030_csv(
        &csv,
        &[
            "档号,题名,姓名,性别,出生日期,身份证号,单位",
            "031-80-1,招工审批表,欧阳明月,女,1962.03,430102196203150027,石门县纺织厂",
        ],
    );
    let (content_type, body) = multipart(&[("招工.csv", std::fs::read(&csv).unwrap())]);
    let uploaded = send(
        &desk_b,
        "POST",
        "/api/upload",
        &[signed_in(&desk_b), vec![content_type]].concat(),
        &body,
    );
    assert_eq!(
        uploaded.status,
        200,
        "{}",
        String::from_utf8_lossy(&uploaded.body)
    );
    let upload = uploaded.json()["files"][0]["upload"]
        .as_str()
        .unwrap()
        .to_string();
    let job = call(
        &desk_b,
        "import_start",
        serde_json::json!({"uploads": [upload]}),
    )
    .json()["job"]
        .as_i64()
        .unwrap();
    let done = wait_for_job(&desk_b, job);
    assert!(done["error"].is_null(), "{done}");
    assert_eq!(done["report"]["files"][0]["rows_accepted"], 1, "{done}");
    let found = call(&desk_b, "search", serde_json::json!({"query": "欧阳明月"})).json();
    assert_eq!(found["total"], 1, "{found}");
    assert!(!desk_b_data.join("uploads").exists());

    // An operation that changes what every desk works on is for the host alone.
    let reindex = call(&desk_b, "reindex", serde_json::json!({}));
    assert_eq!(reindex.status, 403);
    assert!(reindex.json()["message"].as_str().unwrap().contains("主机"));
    for escaped in [
        "/api/re%69ndex",
        "/api/open%5Fdemo",
        "/api/set%5Fdesk%5Fsettings",
    ] {
        let mut headers = signed_in(&desk_b);
        headers.push("Content-Type: application/json".into());
        let answer = send(&desk_b, "POST", escaped, &headers, b"{}");
        assert!(
            matches!(answer.status, 400 | 403 | 404),
            "{escaped}: {}",
            answer.status
        );
    }

    // A supervisor at desk B opens a pairing for desk C.
    let pairing = call(
        &desk_b,
        "lan_pairing_start",
        serde_json::json!({"desk_name": "三号柜台"}),
    );
    assert_eq!(
        pairing.status,
        200,
        "{}",
        String::from_utf8_lossy(&pairing.body)
    );
    let pairing = pairing.json();
    assert_eq!(pairing["desk_code"], "C");
    let desk_c_data = dir.path().join("三号柜台");
    let desk_c = logged_in(
        start_desk(
            &desk_c_data,
            &host.address,
            Some(pairing["code"].as_str().unwrap()),
        )
        .unwrap(),
    );
    assert_eq!(desk_config(&desk_c_data)["desk_name"], "三号柜台");

    // The trail names the desk a login came from.
    let rows = call(
        &desk_c,
        "audit_rows",
        serde_json::json!({"action": "login"}),
    )
    .json();
    let rows = rows.as_array().unwrap_or_else(|| panic!("{rows}"));
    assert!(
        rows.iter()
            .any(|r| r["detail"].as_str().unwrap().contains("柜台C（三号柜台）")),
        "{rows:?}"
    );

    // A desk whose key the host never enrolled is refused, though it knows the host's key.
    let unknown_data = dir.path().join("未登记柜台");
    std::fs::create_dir_all(&unknown_data).unwrap();
    std::fs::write(unknown_data.join("lan_desk.json"), config.to_string()).unwrap();
    let unknown = start_desk(&unknown_data, &host.address, None).unwrap();
    let answer = send(
        &unknown,
        "POST",
        "/api/desk_session",
        &[bearer(&unknown)],
        b"{}",
    );
    assert_eq!(answer.status, 403);
    assert!(answer.json()["message"]
        .as_str()
        .unwrap()
        .contains("没有登记"));

    // A host that shows another key than the pinned one is refused, never "continued".
    let mut forged = desk_config(&desk_c_data);
    forged["host_pin"] = serde_json::json!("ab".repeat(32));
    std::fs::write(desk_c_data.join("lan_desk.json"), forged.to_string()).unwrap();
    let misled = start_desk(&desk_c_data, &host.address, None).unwrap();
    let answer = send(
        &misled,
        "POST",
        "/api/desk_session",
        &[bearer(&misled)],
        b"{}",
    );
    assert_eq!(answer.status, 403);
    assert!(answer.json()["message"].as_str().unwrap().contains("密钥"));

    // Revoked at the host while it runs: desk B's next request is refused.
    let revoked = run(&host_data, &["desks", "--revoke", "B", "--json"]);
    assert!(
        revoked.status.success(),
        "{}",
        String::from_utf8_lossy(&revoked.stderr)
    );
    let desks: serde_json::Value = serde_json::from_slice(&revoked.stdout).unwrap();
    assert!(
        desks[0]["revoked_at"].is_string() && desks[1]["revoked_at"].is_null(),
        "{desks}"
    );
    let after = call(&desk_b, "search", serde_json::json!({"query": "张瑞"}));
    assert_eq!(after.status, 403);
    assert!(after.json()["message"].as_str().unwrap().contains("撤销"));
    // Desk C (its right pin put back) still works.
    std::fs::write(
        desk_c_data.join("lan_desk.json"),
        desk_config_with(&forged, &host.pin),
    )
    .unwrap();
    drop(misled);
    drop(desk_c);
    let desk_c = logged_in(start_desk(&desk_c_data, &host.address, None).unwrap());
    let still = call(&desk_c, "search", serde_json::json!({"query": "张瑞"}));
    assert_eq!(still.status, 200);

    // The revoked PC pairs again when a supervisor opens a pairing for it: with a new key, as a
    // new desk code (B's certificates keep theirs).
    let pairing = call(
        &desk_c,
        "lan_pairing_start",
        serde_json::json!({"desk_name": "二号柜台"}),
    )
    .json();
    assert_eq!(pairing["desk_code"], "D");
    drop(desk_b);
    let desk_b = logged_in(
        start_desk(
            &desk_b_data,
            &host.address,
            Some(pairing["code"].as_str().unwrap()),
        )
        .unwrap(),
    );
    assert_eq!(desk_config(&desk_b_data)["desk_code"], "D");
    let back = call(&desk_b, "search", serde_json::json!({"query": "张瑞"}));
    assert_eq!(back.status, 200);
}

fn desk_config_with(config: &serde_json::Value, shown_pin: &str) -> String {
    let mut config = config.clone();
    config["host_pin"] = serde_json::json!(shown_pin.replace(' ', "").to_lowercase());
    config.to_string()
}
/// The host is killed in the middle of an act — once before the act commits, once after it
/// committed but before the answer left — and started again on its address, having forgotten
/// the logins. The desk asks again under the act's retry key: an act that was not committed is
/// not done, and the desk is asked to log in again; one that was committed is answered with what
/// it made, and never done a second time.
#[test]
fn an_act_whose_host_died_midway_is_done_once_or_not_at_all_and_the_desk_says_which() {
    let (dir, host_data) = archive_with_supervisor();
    let address = {
        let free = std::net::TcpListener::bind(format!("{HOST_IP}:0")).unwrap();
        free.local_addr().unwrap().to_string()
    };
    let host = start_host_at(&host_data, &address, None);
    let desk_data = dir.path().join("二号柜台");
    let mut desk = start_desk(&desk_data, &address, Some(&host.code)).unwrap();
    drop(host);
    let requests = |desk: &Server| {
        let list = call(desk, "lookup_requests", serde_json::json!({}));
        assert_eq!(list.status, 200, "{}", String::from_utf8_lossy(&list.body));
        list.json()["total"].as_i64().unwrap()
    };

    // Killed before the act commits: nothing was registered, and the desk is told to log in.
    let (asked, restarted) =
        register_while_the_host_dies(&host_data, &address, &mut desk, "act_committing");
    assert_eq!(
        asked.status,
        401,
        "{}",
        String::from_utf8_lossy(&asked.body)
    );
    desk.login = log_in(&desk);
    assert_eq!(
        requests(&desk),
        0,
        "an act killed before its commit is not done"
    );
    drop(restarted);

    // Killed after the act committed: the desk gets the request it made, and only that one.
    let (asked, _restarted) =
        register_while_the_host_dies(&host_data, &address, &mut desk, "act_committed");
    assert_eq!(
        asked.status,
        200,
        "{}",
        String::from_utf8_lossy(&asked.body)
    );
    assert_eq!(asked.json()["id"], 1, "the desk got the request it made");
    desk.login = log_in(&desk);
    assert_eq!(
        requests(&desk),
        1,
        "an act committed before the kill is done once"
    );
}

/// The host started with `failpoint` and the desk logged in to it; a request registered at the
/// desk while the host dies at that point and is started again on its address. The desk's answer,
/// and the host started again.
fn register_while_the_host_dies(
    host_data: &Path,
    address: &str,
    desk: &mut Server,
    failpoint: &str,
) -> (Answer, Host) {
    let mut dying = start_host_at(host_data, address, Some(failpoint));
    desk.login = log_in(desk);
    let desk = &*desk;
    std::thread::scope(|scope| {
        let asking = scope.spawn(|| {
            call(
                desk,
                "register_request",
                serde_json::to_value(common::counter::liu_request()).unwrap(),
            )
        });
        assert!(
            !dying.child.wait().unwrap().success(),
            "killed at {failpoint}"
        );
        let restarted = start_host_at(host_data, address, None);
        (asking.join().unwrap(), restarted)
    })
}
