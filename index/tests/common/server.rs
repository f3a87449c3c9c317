//! `archivedesk serve` as a real process on a loopback port, and a raw HTTP/1.1 client for it:
//! the door's tests speak to it as a browser would, header by header.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `archivedesk serve`, stopped when dropped.
#[derive(Debug)]
pub struct Server {
    pub child: Child,
    /// host:port
    pub host: String,
    pub token: String,
    /// "name=value" of the login cookie of the clerk the tests act as.
    pub login: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn archivedesk(data: &Path, args: &[&str]) {
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

pub fn serve(data: &Path) -> Server {
    serve_with(data, &[])
}

/// `serve` with environment variables set for the program (the door's limits).
pub fn serve_with(data: &Path, env: &[(&str, &str)]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_archivedesk"))
        .arg("--data-dir")
        .arg(data)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .envs(env.iter().copied())
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
pub fn log_in(server: &Server) -> String {
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
pub fn signed_in(server: &Server) -> Vec<String> {
    vec![bearer(server), format!("Cookie: {}", server.login)]
}

#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

pub fn dechunk(mut body: &[u8]) -> Vec<u8> {
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
pub fn send(server: &Server, method: &str, path: &str, headers: &[String], body: &[u8]) -> Answer {
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

pub fn bearer(server: &Server) -> String {
    format!("Authorization: Bearer {}", server.token)
}

pub fn call(server: &Server, op: &str, request: serde_json::Value) -> Answer {
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

pub fn multipart(files: &[(&str, Vec<u8>)]) -> (String, Vec<u8>) {
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

pub fn wait_for_job(server: &Server, job: i64) -> serde_json::Value {
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
