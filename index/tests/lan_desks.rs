//! Several counter desks on one archive over the LAN, as real processes on loopback addresses:
//! a host (`serve --lan`) and desks (`serve --connect`, each with a data folder of its own),
//! paired by the code the host shows. Every refusal the LAN door owes is tried: no supervisor,
//! a plaintext client, a wrong code, an unenrolled desk, a revoked desk, a host with another key,
//! and an operation only the host may do.

mod common;

use common::server::*;
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The host's loopback address: another than the desks' own doors use.
const HOST_IP: &str = "127.0.0.2";

struct Host {
    child: Child,
    address: String,
    pin: String,
    code: String,
}

impl Drop for Host {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn program() -> Command {
    Command::new(env!("CARGO_BIN_EXE_archivedesk"))
}

/// A data folder named `name` holding the sample retirement catalogue.
fn archive_with_sample(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join(name);
    archivedesk(
        &data,
        &[
            "import",
            sample("retirement_catalogue_gb18030.csv").to_str().unwrap(),
        ],
    );
    (dir, data)
}

/// The program run to its end on `data` with `args`.
fn run(data: &Path, args: &[&str]) -> std::process::Output {
    program()
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

fn archive_with_supervisor() -> (tempfile::TempDir, PathBuf) {
    let (dir, data) = archive_with_sample("主机档案数据");
    let made = program()
        .arg("--data-dir")
        .arg(&data)
        .args([
            "clerk",
            "add",
            "tester",
            "--name",
            "测试员",
            "--role",
            "supervisor",
        ])
        .env("ARCHIVEDESK_PASSWORD", "test-password")
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    (dir, data)
}

fn start_host(data: &Path) -> Host {
    start_host_at(data, &format!("{HOST_IP}:0"), None)
}

/// The host on `address`, with a failpoint (`ARCHIVEDESK_FAILPOINT`) when one is given.
fn start_host_at(data: &Path, address: &str, failpoint: Option<&str>) -> Host {
    let mut command = program();
    if let Some(point) = failpoint {
        command.env("ARCHIVEDESK_FAILPOINT", point);
    }
    let mut child = command
        .arg("--data-dir")
        .arg(data)
        .args(["serve", "--lan", address])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut next = |prefix: &str| {
        let line = lines.next().unwrap().unwrap();
        line.strip_prefix(prefix)
            .unwrap_or_else(|| panic!("expected a line beginning with {prefix}: {line:?}"))
            .trim()
            .to_string()
    };
    let address = next("地址");
    let pin = next("主机密钥 SHA-256");
    let code_line = next("配对码");
    let code = code_line.split('（').next().unwrap().trim().to_string();
    std::thread::spawn(move || lines.for_each(drop));
    Host {
        child,
        address,
        pin,
        code,
    }
}

/// A desk's own door, paired first when `code` is given; its first line is the URL to open.
fn start_desk(data: &Path, host: &str, code: Option<&str>) -> Result<Server, String> {
    let mut command = program();
    command.arg("--data-dir").arg(data).args([
        "serve",
        "--connect",
        host,
        "--listen",
        "127.0.0.1:0",
    ]);
    if let Some(code) = code {
        command.args(["--pair", code]);
    }
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    // What it says later is read, so that it never writes into a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let Some(rest) = first.trim().strip_prefix("http://") else {
        let mut said = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut said)
            .unwrap();
        let _ = child.wait();
        return Err(said);
    };
    let (address, token) = rest.split_once("/?token=").unwrap();
    Ok(Server {
        child,
        host: address.to_string(),
        token: token.to_string(),
        login: String::new(),
    })
}

fn logged_in(mut desk: Server) -> Server {
    desk.login = log_in(&desk);
    desk
}

fn desk_config(data: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(data.join("lan_desk.json")).unwrap()).unwrap()
}

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

/// A demo archive (with scanned pages) whose supervisor is `tester`.
fn demo_with_supervisor(data: &Path) {
    let built = run(data, &["demo", "--entries", "60"]);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let made = program()
        .arg("--data-dir")
        .arg(data)
        .args([
            "clerk",
            "add",
            "tester",
            "--name",
            "测试员",
            "--role",
            "supervisor",
        ])
        .env("ARCHIVEDESK_PASSWORD", "test-password")
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
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
