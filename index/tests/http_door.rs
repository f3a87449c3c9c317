//! `archivedesk serve`: the HTTP door's checks (Host, Origin, token), its JSON operations, page
//! images and uploads, against the real program on a loopback port.

mod common;

use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `archivedesk serve`, stopped when dropped.
struct Server {
    child: Child,
    /// host:port
    host: String,
    token: String,
    /// "name=value" of the login cookie of the clerk the tests act as.
    login: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn archivedesk(data: &Path, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_archivedesk"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn serve(data: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_archivedesk"))
        .arg("--data-dir")
        .arg(data)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The first line is the URL to open: http://127.0.0.1:PORT/?token=…
    let rest = first
        .trim()
        .strip_prefix("http://")
        .unwrap_or_else(|| panic!("first line is not the URL: {first:?}"));
    let (host, token) = rest.split_once("/?token=").unwrap();
    let mut server = Server {
        child,
        host: host.to_string(),
        token: token.to_string(),
        login: String::new(),
    };
    server.login = log_in(&server);
    server
}

/// Makes the first account if there is none, logs in with it and returns its login cookie.
fn log_in(server: &Server) -> String {
    let post = |op: &str, body: serde_json::Value| {
        send(
            server,
            "POST",
            &format!("/api/{op}"),
            &[bearer(server), "Content-Type: application/json".into()],
            body.to_string().as_bytes(),
        )
    };
    if post("desk_session", serde_json::json!({})).json()["needs_first_clerk"] == true {
        let made = post(
            "create_clerk",
            serde_json::json!({"login": "tester", "display_name": "测试员", "role": "supervisor", "password": "test-password"}),
        );
        assert_eq!(made.status, 200, "{}", String::from_utf8_lossy(&made.body));
    }
    let answer = post(
        "login",
        serde_json::json!({"login": "tester", "password": "test-password"}),
    );
    assert_eq!(answer.status, 200);
    let cookie = answer.header("set-cookie").expect("a login cookie");
    assert!(cookie.contains("HttpOnly"));
    cookie.split(';').next().unwrap().to_string()
}

/// The token and the login, as every request of a logged-in clerk carries them.
fn signed_in(server: &Server) -> Vec<String> {
    vec![bearer(server), format!("Cookie: {}", server.login)]
}

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&body[..line_end]).unwrap().trim(), 16)
                .unwrap();
        if size == 0 {
            return out;
        }
        let start = line_end + 2;
        out.extend_from_slice(&body[start..start + size]);
        body = &body[start + size + 2..];
    }
}

/// One HTTP/1.1 request on its own connection; `headers` as "Name: value" lines.
fn send(server: &Server, method: &str, path: &str, headers: &[String], body: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(&server.host).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if !headers
        .iter()
        .any(|h| h.to_ascii_lowercase().starts_with("host:"))
    {
        head.push_str(&format!("Host: {}\r\n", server.host));
    }
    for h in headers {
        head.push_str(h);
        head.push_str("\r\n");
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Answer {
        status,
        headers,
        body,
    }
}

fn bearer(server: &Server) -> String {
    format!("Authorization: Bearer {}", server.token)
}

fn call(server: &Server, op: &str, request: serde_json::Value) -> Answer {
    let mut headers = signed_in(server);
    headers.push("Content-Type: application/json".into());
    send(
        server,
        "POST",
        &format!("/api/{op}"),
        &headers,
        request.to_string().as_bytes(),
    )
}

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
    let status = |headers: &[String]| send(&server, "POST", "/api/status", headers, b"{}").status;

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
    let unauthorized = send(&server, "POST", "/api/status", &[], b"{}").json();
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
        "/api/status",
        &[format!("Cookie: {pair}")],
        b"{}",
    );
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["stats"]["entries"], 6);
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

fn multipart(files: &[(&str, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "----archivedesk-test-boundary";
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (
        format!("Content-Type: multipart/form-data; boundary={boundary}"),
        body,
    )
}

fn wait_for_job(server: &Server, job: i64) -> serde_json::Value {
    let started = Instant::now();
    loop {
        let status = call(server, "import_status", serde_json::json!({ "job": job })).json();
        if status["running"] == false {
            return status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "import did not end"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
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
        &[signed_in(&server), vec![content_type]].concat(),
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
