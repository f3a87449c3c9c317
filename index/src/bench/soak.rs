//! `archivedesk bench soak`: `archivedesk serve` as a real process on a loopback port under a
//! steady load of clerks searching, opening documents and viewing their pages, for minutes.
//! The figures of the first window after warming up are the baseline for those of the last:
//! resident memory, open file handles and p50/p99 latency must not grow beyond noise.

use super::loopback_client::LoopbackClient;
use crate::api::{NewClerk, Role};
use crate::error::{Error, ErrorCode, Result};
use crate::Archive;
use serde::Serialize;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub(super) const LOGIN: &str = "soak";
pub(super) const PASSWORD: &str = "load-bench-pass-1998";

pub struct SoakOptions {
    pub seconds: u64,
    pub entries: usize,
    pub clients: usize,
    pub work: PathBuf,
}

/// Figures of one stretch of the run.
#[derive(Debug, Clone, Serialize)]
pub struct SoakWindow {
    pub from_second: f64,
    pub to_second: f64,
    pub requests: usize,
    pub errors: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Resident memory of the server (median of the samples in the window), Linux only.
    pub rss_mb: Option<f64>,
    /// Files and sockets the server holds open (largest in the window), Linux only.
    pub open_handles: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SoakReport {
    pub seconds: u64,
    pub clients: usize,
    pub entries: usize,
    pub requests: usize,
    pub errors: usize,
    /// The first error answered, if any: what to look at.
    pub first_error: Option<String>,
    pub start: SoakWindow,
    pub end: SoakWindow,
    /// The server's resident memory at each tenth of the run: whether it levels off or climbs.
    pub rss_trail_mb: Vec<f64>,
}

struct Sample {
    at: f64,
    millis: f64,
    ok: bool,
}

struct ServerFigures {
    at: f64,
    rss_kb: Option<u64>,
    handles: Option<u64>,
}

/// The server process, killed when the benchmark ends however it ends.
pub(super) struct Server(pub(super) Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn run_soak(exe: &Path, options: &SoakOptions) -> Result<SoakReport> {
    let data = options.work.join("archive");
    prepare_archive(&data, options.entries)?;
    let queries = queries_of(&data)?;
    let (server, host, token) = start_server(exe, &data)?;
    let pid = server.0.id();
    let cookie = log_in(&host, &token)?;

    let started = Instant::now();
    let deadline = started + Duration::from_secs(options.seconds);
    let samples = Arc::new(Mutex::new(Vec::<Sample>::new()));
    let first_error = Arc::new(Mutex::new(None::<String>));
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut figures = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                figures.push(ServerFigures {
                    at: started.elapsed().as_secs_f64(),
                    rss_kb: rss_kb(pid),
                    handles: open_handles(pid),
                });
                std::thread::sleep(Duration::from_millis(500));
            }
            figures
        })
    };
    let clients: Vec<_> = (0..options.clients.max(1))
        .map(|n| {
            let (host, queries) = (host.clone(), Arc::clone(&queries));
            let (samples, first_error) = (Arc::clone(&samples), Arc::clone(&first_error));
            let headers = vec![
                format!("Authorization: Bearer {token}"),
                format!("Cookie: {cookie}"),
            ];
            std::thread::spawn(move || {
                let mut client = LoopbackClient::new(&host, headers);
                let mut i = n * 7919;
                while Instant::now() < deadline {
                    i += 1;
                    let query = &queries[i % queries.len()];
                    let asked = Instant::now();
                    let done = one_visit(&mut client, query, i);
                    let sample = Sample {
                        at: started.elapsed().as_secs_f64(),
                        millis: asked.elapsed().as_secs_f64() * 1000.0,
                        ok: done.is_ok(),
                    };
                    if let Err(e) = done {
                        first_error.lock().expect("not poisoned").get_or_insert(e);
                    }
                    samples.lock().expect("not poisoned").push(sample);
                }
            })
        })
        .collect();
    for client in clients {
        let _ = client.join();
    }
    stop.store(true, Ordering::Relaxed);
    let figures = sampler.join().unwrap_or_default();
    drop(server);

    let samples = std::mem::take(&mut *samples.lock().expect("not poisoned"));
    let total = options.seconds as f64;
    // Warm-up (caches filled, the index opened) is left out; the windows are as long as each
    // other, at the start and at the end.
    let warm_up = (total * 0.1).min(60.0);
    let window = (total * 0.2).min(60.0);
    let first_error = first_error.lock().expect("not poisoned").clone();
    Ok(SoakReport {
        seconds: options.seconds,
        clients: options.clients.max(1),
        entries: options.entries,
        requests: samples.len(),
        errors: samples.iter().filter(|s| !s.ok).count(),
        first_error,
        start: window_of(&samples, &figures, warm_up, warm_up + window),
        end: window_of(&samples, &figures, total - window, total),
        rss_trail_mb: (1..=10)
            .filter_map(|tenth| {
                let at = total * tenth as f64 / 10.0;
                figures
                    .iter()
                    .rev()
                    .find(|f| f.at <= at)
                    .and_then(|f| f.rss_kb)
                    .map(|kb| (kb as f64 / 1024.0 * 10.0).round() / 10.0)
            })
            .collect(),
    })
}

/// What a clerk does for one citizen: a search, and for some the record and a page of it.
fn one_visit(
    client: &mut LoopbackClient,
    query: &str,
    i: usize,
) -> std::result::Result<(), String> {
    let found = call(
        client,
        "search",
        serde_json::json!({ "query": query, "limit": 20 }),
    )?;
    if !i.is_multiple_of(4) {
        return Ok(());
    }
    let Some(document_id) = found["hits"][0]["document_id"].as_i64() else {
        return Ok(());
    };
    let shown = call(
        client,
        "document",
        serde_json::json!({ "document_id": document_id, "query": query }),
    )?;
    first_page(client, document_id, &shown)
}

/// The first page of a document as `document` showed it, when it has a scan: its number.
pub(super) fn first_scanned_page(shown: &serde_json::Value) -> Option<i64> {
    let first = &shown["pages"][0];
    first["page_no"]
        .as_i64()
        .filter(|_| first["reachable"] == true)
}

/// Fetches that page's preview, as the record screen does on opening a record.
pub(super) fn first_page(
    client: &mut LoopbackClient,
    document_id: i64,
    shown: &serde_json::Value,
) -> std::result::Result<(), String> {
    let Some(page_no) = first_scanned_page(shown) else {
        return Ok(());
    };
    let answer = client
        .send(
            "GET",
            &format!("/api/page/{document_id}/{page_no}?size=preview"),
            b"",
        )
        .map_err(|e| format!("page: {e}"))?;
    if answer.status != 200 {
        return Err(format!(
            "page: HTTP {} {}",
            answer.status,
            String::from_utf8_lossy(&answer.body)
        ));
    }
    Ok(())
}

pub(super) fn call(
    client: &mut LoopbackClient,
    op: &str,
    body: serde_json::Value,
) -> std::result::Result<serde_json::Value, String> {
    let answer = client
        .send("POST", &format!("/api/{op}"), body.to_string().as_bytes())
        .map_err(|e| format!("{op}: {e}"))?;
    if answer.status != 200 {
        return Err(format!(
            "{op}: HTTP {} {}",
            answer.status,
            String::from_utf8_lossy(&answer.body)
        ));
    }
    serde_json::from_slice(&answer.body).map_err(|e| format!("{op}: {e}"))
}

fn window_of(samples: &[Sample], figures: &[ServerFigures], from: f64, to: f64) -> SoakWindow {
    let inside: Vec<&Sample> = samples
        .iter()
        .filter(|s| s.at >= from && s.at <= to)
        .collect();
    let mut millis: Vec<f64> = inside.iter().map(|s| s.millis).collect();
    millis.sort_by(f64::total_cmp);
    let quantile = |q: f64| {
        if millis.is_empty() {
            0.0
        } else {
            millis[((millis.len() - 1) as f64 * q).round() as usize]
        }
    };
    let seen: Vec<&ServerFigures> = figures
        .iter()
        .filter(|f| f.at >= from && f.at <= to)
        .collect();
    let mut rss: Vec<u64> = seen.iter().filter_map(|f| f.rss_kb).collect();
    rss.sort_unstable();
    SoakWindow {
        from_second: from,
        to_second: to,
        requests: inside.len(),
        errors: inside.iter().filter(|s| !s.ok).count(),
        p50_ms: quantile(0.5),
        p99_ms: quantile(0.99),
        rss_mb: rss.get(rss.len() / 2).map(|kb| *kb as f64 / 1024.0),
        open_handles: seen.iter().filter_map(|f| f.handles).max(),
    }
}

/// A demo archive of about `entries` rows with page images, and the account the load logs in
/// with; kept in the work folder and reused by the next run.
pub(super) fn prepare_archive(data: &Path, entries: usize) -> Result<()> {
    if !data.join(crate::store::DB_FILE).is_file() {
        crate::demo::build::build_demo_archive(
            data,
            entries,
            crate::demo::DEMO_SEED,
            true,
            &mut |_| {},
        )?;
    }
    let mut archive = Archive::open(data)?;
    if !archive.clerks()?.iter().any(|c| c.login == LOGIN) {
        archive.create_clerk(&NewClerk {
            login: LOGIN.into(),
            display_name: "压力测试".into(),
            role: Role::Supervisor,
            password: PASSWORD.into(),
        })?;
    }
    Ok(())
}

/// What clerks type: the demo's names, ID numbers and 档号, in the order written.
fn queries_of(data: &Path) -> Result<Arc<Vec<String>>> {
    let truth = data
        .join(crate::demo::build::SOURCE_FOLDER)
        .join("truth.jsonl");
    let text = std::fs::read_to_string(&truth).map_err(|e| Error::io("无法读取", &truth, &e))?;
    let mut queries = Vec::new();
    for line in text.lines().take(3000) {
        let Ok(row) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        for key in ["name", "id18", "ref_code"] {
            if let Some(q) = row[key].as_str().filter(|q| !q.is_empty()) {
                queries.push(q.to_string());
            }
        }
    }
    if queries.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("「{}」中没有可用的查询", truth.display()),
        ));
    }
    Ok(Arc::new(queries))
}

pub(super) fn start_server(exe: &Path, data: &Path) -> Result<(Server, String, String)> {
    let failed = |e: String| Error::new(ErrorCode::Io, format!("无法启动 serve：{e}"));
    let mut child = Command::new(exe)
        .arg("--data-dir")
        .arg(data)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| failed(e.to_string()))?;
    let stdout = child.stdout.take().expect("piped");
    let server = Server(child);
    let mut first = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut first)
        .map_err(|e| failed(e.to_string()))?;
    // The first line is the URL to open: http://127.0.0.1:PORT/?token=…
    let (host, token) = first
        .trim()
        .strip_prefix("http://")
        .and_then(|rest| rest.split_once("/?token="))
        .ok_or_else(|| failed(format!("第一行不是地址：{first}")))?;
    Ok((server, host.to_string(), token.to_string()))
}

fn log_in(host: &str, token: &str) -> Result<String> {
    let mut client = LoopbackClient::new(host, vec![format!("Authorization: Bearer {token}")]);
    let body = serde_json::json!({ "login": LOGIN, "password": PASSWORD }).to_string();
    let answer = client
        .send("POST", "/api/login", body.as_bytes())
        .map_err(|e| Error::new(ErrorCode::Io, format!("登录失败：{e}")))?;
    answer
        .set_cookie
        .filter(|_| answer.status == 200)
        .and_then(|c| c.split(';').next().map(str::to_string))
        .ok_or_else(|| {
            Error::new(
                ErrorCode::Unauthorized,
                format!("登录失败：HTTP {}", answer.status),
            )
        })
}

fn proc_status_kb(pid: u32, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn rss_kb(pid: u32) -> Option<u64> {
    proc_status_kb(pid, "VmRSS:")
}

fn open_handles(pid: u32) -> Option<u64> {
    Some(std::fs::read_dir(format!("/proc/{pid}/fd")).ok()?.count() as u64)
}

/// The report as a table: the start window is the baseline of the end window.
pub fn format_report(r: &SoakReport) -> String {
    let mb = |v: Option<f64>| v.map_or("n/a".to_string(), |v| format!("{v:.1}"));
    let count = |v: Option<u64>| v.map_or("n/a".to_string(), |v| v.to_string());
    let row = |label: &str, w: &SoakWindow| {
        format!(
            "{label:<6} {:>5.0}–{:<5.0} s {:>9} {:>7} {:>9.1} {:>9.1} {:>9} {:>8}",
            w.from_second,
            w.to_second,
            w.requests,
            w.errors,
            w.p50_ms,
            w.p99_ms,
            mb(w.rss_mb),
            count(w.open_handles)
        )
    };
    let growth = match (r.start.rss_mb, r.end.rss_mb) {
        (Some(a), Some(b)) => format!("{:+.1} MB", b - a),
        _ => "n/a".into(),
    };
    let handles = match (r.start.open_handles, r.end.open_handles) {
        (Some(a), Some(b)) => format!("{:+}", b as i64 - a as i64),
        _ => "n/a".into(),
    };
    let mut out = format!(
        "soak of archivedesk serve: {} s, {} clients, demo archive of {} entries, {} requests, {} errors\n\
         window             requests  errors    p50 ms    p99 ms    RSS MB  handles\n{}\n{}\n\
         end against start: RSS {growth}, open handles {handles}, p99 {:+.1} ms",
        r.seconds,
        r.clients,
        r.entries,
        r.requests,
        r.errors,
        row("start", &r.start),
        row("end", &r.end),
        r.end.p99_ms - r.start.p99_ms
    );
    if !r.rss_trail_mb.is_empty() {
        let trail: Vec<String> = r.rss_trail_mb.iter().map(|mb| format!("{mb:.0}")).collect();
        out.push_str(&format!(
            "\nRSS at each tenth of the run, MB: {}",
            trail.join(" ")
        ));
    }
    if let Some(e) = &r.first_error {
        out.push_str(&format!("\nfirst error: {e}"));
    }
    out
}
