//! `archivedesk serve`: the HTTP door's checks (Host, Origin, token), its JSON operations, page
//! images and uploads, against the real program on a loopback port.

mod common;

use common::server::*;
use common::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn archive_with_sample() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("档案数据");
    archivedesk(
        &data,
        &[
            "import",
            sample("retirement_catalogue_gb18030.csv").to_str().unwrap(),
        ],
    );
    (dir, data)
}

#[test]
fn requests_need_a_local_host_no_foreign_origin_and_the_token() {
    let (_dir, data) = archive_with_sample();
    let server = serve(&data);
    let status =
        |headers: &[String]| send(&server, "POST", "/api/desk_session", headers, b"{}").status;

    assert_eq!(status(&[]), 401, "no token");
    assert_eq!(
        status(&["Authorization: Bearer 0000".into()]),
        401,
        "wrong token"
    );
    assert_eq!(
        status(&[bearer(&server), "Host: archive.example.com".into()]),
        403,
        "a rebinding page's host name"
    );
    assert_eq!(
        status(&[bearer(&server), "Origin: http://evil.example.com".into()]),
        403,
        "a request from another web page"
    );
    assert_eq!(status(&[bearer(&server)]), 200);
    let same_origin = format!("Origin: http://{}", server.host);
    assert_eq!(status(&[bearer(&server), same_origin]), 200);
    let unauthorized = send(&server, "POST", "/api/desk_session", &[], b"{}").json();
    assert_eq!(unauthorized["code"], "unauthorized");
    assert!(unauthorized["message"].as_str().unwrap().contains("令牌"));
}

#[test]
fn opening_the_printed_url_keeps_the_token_in_a_cookie() {
    let (_dir, data) = archive_with_sample();
    let server = serve(&data);
    let opened = send(
        &server,
        "GET",
        &format!("/?token={}", server.token),
        &[],
        b"",
    );
    assert_eq!(opened.status, 303);
    assert_eq!(
        opened.header("location"),
        Some("/"),
        "token dropped from the address"
    );
    let cookie = opened.header("set-cookie").unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let pair = cookie.split(';').next().unwrap().to_string();
    let answer = send(
        &server,
        "POST",
        "/api/desk_session",
        &[format!("Cookie: {pair}")],
        b"{}",
    );
    assert_eq!(answer.status, 200);
    assert!(answer.json()["archive_name"].is_string());
    assert!(opened.header("content-security-policy").is_some());
    let wrong = send(&server, "GET", "/?token=nope", &[], b"");
    assert_eq!(wrong.status, 401);
}

#[test]
fn search_document_and_person_answer_in_the_api_shapes() {
    let (_dir, data) = archive_with_sample();
    let server = serve(&data);
    let found = call(&server, "search", serde_json::json!({"query": "张瑞"}));
    assert_eq!(found.status, 200);
    let found = found.json();
    assert_eq!(found["hits"][0]["name"], "张瑞");
    assert_eq!(found["hits"][0]["tier"], "exact");
    let entry = found["hits"][0]["entry_id"].as_i64().unwrap();

    let doc = call(&server, "document", serde_json::json!({"entry_id": entry})).json();
    assert_eq!(doc["ref_code"], "031-7-1");
    assert_eq!(doc["entries"][0]["name"], "张瑞");

    let person = call(&server, "person", serde_json::json!({"entry_id": entry})).json();
    assert_eq!(person["name"], "张瑞");
    assert_eq!(person["events"].as_array().unwrap().len(), 1);

    let missing = call(
        &server,
        "document",
        serde_json::json!({"reference": "999-9-9"}),
    );
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["code"], "not_found");
    let bad = call(&server, "search", serde_json::json!({"query": 5}));
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["code"], "invalid_request");
    let unknown = call(&server, "drop_everything", serde_json::json!({}));
    assert_eq!(unknown.status, 404);
}

fn write_page(path: &Path, width: u32, height: u32) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let image =
        image::GrayImage::from_fn(width, height, |x, y| image::Luma([((x + y) % 256) as u8]));
    image.save(path).unwrap();
}

#[test]
fn page_images_arrive_as_previews_and_tiff_scans_converted() {
    let (dir, data) = archive_with_sample();
    let scans = dir.path().join("扫描件");
    write_page(&scans.join("031-7-1").join("1.tif"), 1600, 2200);
    write_page(&scans.join("031-7-1").join("2.png"), 600, 800);
    archivedesk(&data, &["import", scans.to_str().unwrap()]);
    let previews = || std::fs::read_dir(data.join("previews")).unwrap().count();
    assert_eq!(
        previews(),
        1,
        "the TIFF's preview was made at import; the small PNG needs none"
    );

    let server = serve(&data);
    let doc = call(
        &server,
        "document",
        serde_json::json!({"reference": "031-7-1"}),
    )
    .json();
    let id = doc["id"].as_i64().unwrap();
    assert_eq!(doc["pages"].as_array().unwrap().len(), 2);
    let auth = signed_in(&server);

    let preview = send(&server, "GET", &format!("/api/page/{id}/1"), &auth, b"");
    assert_eq!(preview.status, 200);
    assert_eq!(preview.header("content-type"), Some("image/jpeg"));
    let shown = image::load_from_memory(&preview.body).unwrap();
    assert_eq!((shown.width(), shown.height()), (1200, 1650));

    let full = send(
        &server,
        "GET",
        &format!("/api/page/{id}/1?size=full"),
        &auth,
        b"",
    );
    assert_eq!(full.header("content-type"), Some("image/png"));
    let shown = image::load_from_memory(&full.body).unwrap();
    assert_eq!((shown.width(), shown.height()), (1600, 2200));
    assert_eq!(
        previews(),
        2,
        "the full PNG is converted once, when first asked for"
    );

    let small = send(&server, "GET", &format!("/api/page/{id}/2"), &auth, b"");
    assert_eq!(small.header("content-type"), Some("image/png"));
    assert_eq!(image::load_from_memory(&small.body).unwrap().width(), 600);

    let absent = send(&server, "GET", &format!("/api/page/{id}/9"), &auth, b"");
    assert_eq!(absent.status, 404);
    assert!(absent.json()["message"]
        .as_str()
        .unwrap()
        .contains("第 9 页"));

    std::fs::remove_file(scans.join("031-7-1").join("2.png")).unwrap();
    let gone = send(&server, "GET", &format!("/api/page/{id}/2"), &auth, b"");
    assert_eq!(gone.status, 404);
    assert!(gone.json()["message"]
        .as_str()
        .unwrap()
        .contains("扫描件缺失"));
}

#[test]
fn uploaded_files_are_previewed_then_imported_in_the_background() {
    let (dir, data) = archive_with_sample();
    let csv = dir.path().join("招工.csv");
    write_gb18030_csv(
        &csv,
        &[
            "档号,题名,姓名,性别,出生日期,身份证号,单位",
            "031-80-1,招工审批表,欧阳明月,女,1962.03,430102196203150027,石门县纺织厂",
            "031-80-1,招工审批表,李建华,男,1960.11,4.30102196011E+17,石门县纺织厂",
        ],
    );
    let server = serve(&data);
    let (content_type, body) = multipart(&[("招工.csv", std::fs::read(&csv).unwrap())]);
    let uploaded = send(
        &server,
        "POST",
        "/api/upload",
        &[signed_in(&server), vec![content_type.clone()]].concat(),
        &body,
    );
    assert_eq!(uploaded.status, 200);
    let uploaded = uploaded.json();
    assert_eq!(uploaded["files"][0]["name"], "招工.csv");
    let id = uploaded["files"][0]["upload"].as_str().unwrap().to_string();

    // The preview reads the columns and writes nothing.
    let job = call(
        &server,
        "import_start",
        serde_json::json!({"uploads": [id], "dry_run": true}),
    )
    .json()["job"]
        .as_i64()
        .unwrap();
    let preview = wait_for_job(&server, job);
    let file = &preview["report"]["files"][0];
    assert_eq!(file["path"], "招工.csv", "named as the clerk knows it");
    assert!(file["sheets"][0]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["header"] == "身份证号" && c["field"] == "id_number"));
    let none = call(&server, "search", serde_json::json!({"query": "欧阳明月"})).json();
    assert_eq!(none["total"], 0);
    assert!(
        !data.join("uploads").join(&id).exists(),
        "a preview removes its upload too"
    );
    let again = call(
        &server,
        "import_start",
        serde_json::json!({"uploads": [id], "dry_run": true}),
    );
    assert_eq!(again.status, 404, "a previewed upload cannot be used again");

    // The import asks for the file again.
    let uploaded = send(
        &server,
        "POST",
        "/api/upload",
        &[signed_in(&server), vec![content_type.clone()]].concat(),
        &body,
    )
    .json();
    let id = uploaded["files"][0]["upload"].as_str().unwrap().to_string();
    let job = call(
        &server,
        "import_start",
        serde_json::json!({"uploads": [id]}),
    )
    .json()["job"]
        .as_i64()
        .unwrap();
    let done = wait_for_job(&server, job);
    assert!(done["error"].is_null(), "{done}");
    assert_eq!(done["files_done"], 1);
    let file = &done["report"]["files"][0];
    assert_eq!(file["rows_accepted"], 1);
    assert_eq!(file["rows_rejected"], 1);
    assert_eq!(file["rejected"][0]["file"], "招工.csv");
    assert_eq!(file["rejected"][0]["row"], 3);

    let found = call(&server, "search", serde_json::json!({"query": "欧阳明月"})).json();
    assert_eq!(found["total"], 1, "searchable once the job has ended");
    assert!(
        !data.join("uploads").join(&id).exists(),
        "the upload is removed after the import"
    );
    let again = call(
        &server,
        "import_start",
        serde_json::json!({"uploads": [id]}),
    );
    assert_eq!(again.status, 404, "an upload is imported once");
}

#[test]
fn the_http_door_imports_uploads_only_never_a_path_on_the_machine() {
    let (_dir, data) = archive_with_sample();
    let server = serve(&data);
    let csv = sample("retirement_catalogue_gb18030.csv");
    let refused = call(
        &server,
        "import_start",
        serde_json::json!({"paths": [csv.to_str().unwrap()]}),
    );
    assert_eq!(refused.status, 400);
    assert!(refused.json()["message"].as_str().unwrap().contains("上传"));
}

#[test]
fn the_door_listens_on_loopback_only() {
    let (_dir, data) = archive_with_sample();
    let out = Command::new(env!("CARGO_BIN_EXE_archivedesk"))
        .arg("--data-dir")
        .arg(&data)
        .args(["serve", "--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("回环地址"), "{stderr}");
    assert!(out.stdout.is_empty(), "no URL is printed");
}

#[test]
fn operations_wait_for_a_login_and_are_recorded_under_the_clerk() {
    let (_dir, data) = archive_with_sample();
    let server = serve(&data);
    let anonymous = |op: &str, body: serde_json::Value| {
        send(
            &server,
            "POST",
            &format!("/api/{op}"),
            &[bearer(&server)],
            body.to_string().as_bytes(),
        )
    };
    let refused = anonymous("search", serde_json::json!({"query": "张瑞"}));
    assert_eq!(refused.status, 401);
    assert_eq!(refused.json()["code"], "unauthorized");
    assert!(refused.json()["message"].as_str().unwrap().contains("登录"));
    let session = anonymous("desk_session", serde_json::json!({})).json();
    assert_eq!(session["caller"], serde_json::Value::Null);
    assert_eq!(session["needs_first_clerk"], false);
    assert!(session["purposes"]
        .as_array()
        .unwrap()
        .contains(&"退休待遇核定".into()));
    let second_first = anonymous(
        "create_clerk",
        serde_json::json!({"login": "intruder", "display_name": "某人", "role": "supervisor", "password": "12345678"}),
    );
    assert_eq!(second_first.status, 401, "only the first account is free");
    let wrong = anonymous(
        "login",
        serde_json::json!({"login": "tester", "password": "not-the-password"}),
    );
    assert_eq!(wrong.status, 401);
    assert!(wrong.header("set-cookie").is_none());

    let found = call(
        &server,
        "search",
        serde_json::json!({"query": "张瑞", "committed": true}),
    );
    assert_eq!(found.status, 200);
    let me = call(&server, "desk_session", serde_json::json!({})).json();
    assert_eq!(me["caller"]["login"], "tester");
    let audit = call(&server, "audit_rows", serde_json::json!({"limit": 10})).json();
    let search_row = audit
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["action"] == "search")
        .expect("the committed search is audited");
    assert!(search_row["actor"].as_str().unwrap().starts_with("tester"));
    assert!(search_row["detail"].as_str().unwrap().contains("张瑞"));

    let out = call(&server, "logout", serde_json::json!({}));
    assert_eq!(out.status, 200);
    assert!(out.header("set-cookie").unwrap().contains("Max-Age=0"));
    let after = call(&server, "search", serde_json::json!({"query": "张瑞"}));
    assert_eq!(after.status, 401, "the old login cookie no longer works");
}

/// Asks for /api/desk_session on `stream` and leaves the connection open (HTTP/1.1 keep-alive).
fn ask_status(server: &Server, stream: &mut TcpStream) {
    write!(
        stream,
        "POST /api/desk_session HTTP/1.1\r\nHost: {}\r\n{}\r\nContent-Length: 2\r\n\r\n{{}}",
        server.host,
        bearer(server)
    )
    .unwrap();
}

/// The status of the answer arriving on `stream`, or None if nothing came within `limit`.
fn status_within(stream: &mut TcpStream, limit: Duration) -> Option<u16> {
    stream.set_read_timeout(Some(limit)).unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            Ok(_) => panic!("closed mid-answer: {}", String::from_utf8_lossy(&head)),
            Err(e) if head.is_empty() && timed_out(&e) => return None,
            Err(e) => panic!("{e}"),
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    Some(head.split(' ').nth(1).unwrap().parse().unwrap())
}

fn timed_out(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    )
}

/// Whether the server closes `stream` within `limit` (whatever it sends before).
fn closed_within(stream: &mut TcpStream, limit: Duration) -> bool {
    stream.set_read_timeout(Some(limit)).unwrap();
    let mut buf = [0u8; 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) if timed_out(&e) => return false,
            Err(_) => return true, // reset
        }
    }
}

#[test]
fn a_connection_that_stops_mid_header_is_closed_after_the_header_timeout() {
    let (_dir, data) = archive_with_sample();
    let server = serve_with(&data, &[("ARCHIVEDESK_HEADER_TIMEOUT_MS", "500")]);
    let connected = Instant::now();
    let mut slow = TcpStream::connect(&server.host).unwrap();
    write!(slow, "GET / HTTP/1.1\r\nHost: {}\r\n", server.host).unwrap();
    assert!(
        closed_within(&mut slow, Duration::from_secs(5)),
        "a half-sent header holds its connection"
    );
    assert!(
        connected.elapsed() >= Duration::from_millis(500),
        "closed before the timeout: {:?}",
        connected.elapsed()
    );
}

#[test]
fn beyond_the_connection_cap_a_client_waits_until_another_connection_ends() {
    let (_dir, data) = archive_with_sample();
    let server = serve_with(
        &data,
        &[
            ("ARCHIVEDESK_MAX_CONNECTIONS", "4"),
            // Long enough that the held connections are not closed as idle during the test.
            ("ARCHIVEDESK_HEADER_TIMEOUT_MS", "60000"),
        ],
    );
    // Four connections, each answered once and then kept open: the cap is reached.
    let mut held: Vec<TcpStream> = (0..4)
        .map(|_| {
            let mut stream = TcpStream::connect(&server.host).unwrap();
            ask_status(&server, &mut stream);
            assert_eq!(
                status_within(&mut stream, Duration::from_secs(10)),
                Some(200)
            );
            stream
        })
        .collect();
    let mut fifth = TcpStream::connect(&server.host).unwrap();
    ask_status(&server, &mut fifth);
    assert_eq!(
        status_within(&mut fifth, Duration::from_secs(1)),
        None,
        "a fifth connection is served while four are open"
    );

    drop(held.pop());
    assert_eq!(
        status_within(&mut fifth, Duration::from_secs(10)),
        Some(200),
        "the waiting connection is served once another ends"
    );
    drop(fifth);
    let again = send(
        &server,
        "POST",
        "/api/desk_session",
        &[bearer(&server)],
        b"{}",
    );
    assert_eq!(again.status, 200);
}

#[cfg(unix)]
#[test]
fn sigterm_shuts_the_door_and_the_program_exits_with_success() {
    let (_dir, data) = archive_with_sample();
    let mut server = serve(&data);
    // An idle keep-alive connection is closed at once, not waited for.
    let mut idle = TcpStream::connect(&server.host).unwrap();
    ask_status(&server, &mut idle);
    assert_eq!(status_within(&mut idle, Duration::from_secs(10)), Some(200));

    let sent = Instant::now();
    let kill = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let exit = loop {
        if let Some(exit) = server.child.try_wait().unwrap() {
            break exit;
        }
        // Under the 5 s granted to requests under way: the idle connection did not hold it up.
        assert!(
            sent.elapsed() < Duration::from_secs(4),
            "still running after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit}");
}
