//! `archivedesk bench lan`: counter desks at a clerk's pace against one LAN host, as real
//! processes on loopback addresses — the host (`serve --lan`) and a desk door per desk
//! (`serve --connect`), each paired with the host. Every desk searches every 2 s (the keystrokes
//! of search-as-you-type included), opens a record with its first page every 10 s, registers a
//! request every minute and issues its certificate every 2 minutes. The same clerks at the same
//! pace on one plain loopback door (`serve`) are the baseline measured in the same run: what the
//! LAN, its TLS and the forwarding cost. Afterwards the host's archive is checked: certificate
//! numbers gapless and unique per desk, the audit chain whole.

use super::loopback_client::LoopbackClient;
use super::soak::{call, prepare_archive, start_server, Server, LOGIN, PASSWORD};
use crate::api::{NewClerk, Role};
use crate::error::{Error, ErrorCode, Result};
use crate::Archive;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The host listens on another loopback address than the desks' own doors.
const HOST_ADDRESS: &str = "127.0.0.2:0";
const CLERK_PASSWORD: &str = "desk-bench-pass-2026";

pub struct LanLoadOptions {
    pub seconds: u64,
    pub desks: usize,
    /// Size of the demo archive the host serves (built in the work folder on first use).
    pub entries: usize,
    /// 1.0 is the pace above; 10.0 does everything ten times as often (the short run in CI).
    pub pace: f64,
    pub work: PathBuf,
    /// Also run the same clerks on one plain loopback door, for the baseline.
    pub baseline: bool,
}

/// One kind of operation's figures.
#[derive(Debug, Clone, Serialize)]
pub struct OperationFigures {
    pub operation: String,
    pub count: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    /// Answers `busy` (the archive held by another writer), each asked again.
    pub busy_retried: usize,
    pub errors: usize,
}

/// One run: the desks on the LAN host, or the baseline's clerks on one loopback door.
#[derive(Debug, Clone, Serialize)]
pub struct LoadRun {
    pub door: String,
    pub desks: usize,
    pub seconds: u64,
    pub operations: Vec<OperationFigures>,
    pub first_error: Option<String>,
    pub certificates: usize,
    /// Per year and desk code, the numbers are 1, 2, 3 … with none twice and none missing.
    pub numbers_gapless: bool,
    pub audit_intact: bool,
    pub audit_rows: i64,
}

impl LoadRun {
    pub fn errors(&self) -> usize {
        self.operations.iter().map(|o| o.errors).sum()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct LanLoadReport {
    pub lan: LoadRun,
    pub baseline: Option<LoadRun>,
}

/// What one clerk did: which operation, how long it took, and how it ended.
struct Timed {
    operation: &'static str,
    millis: f64,
    busy_retried: usize,
    error: Option<String>,
}

pub fn run_lan_load(exe: &Path, options: &LanLoadOptions) -> Result<LanLoadReport> {
    let data = options.work.join("archive");
    prepare_archive(&data, options.entries)?;
    add_desk_clerks(&data, options.desks)?;
    let people = people_of(&data)?;
    let lan = run_on_lan(exe, options, &data, &people)?;
    let baseline = if options.baseline {
        Some(run_on_loopback(exe, options, &data, &people)?)
    } else {
        None
    };
    Ok(LanLoadReport { lan, baseline })
}

fn run_on_lan(
    exe: &Path,
    options: &LanLoadOptions,
    data: &Path,
    people: &[Person],
) -> Result<LoadRun> {
    let (host, address, first_code) = start_host(exe, data)?;
    let mut desks = Vec::new();
    let mut code = first_code;
    for n in 1..=options.desks {
        let folder = options.work.join(format!("desk-{n}"));
        let _ = std::fs::remove_dir_all(&folder);
        let (server, door, token) = start_desk(exe, &folder, &address, &code)?;
        if n < options.desks {
            // The supervisor, logged in at the first desk, opens the next desk's pairing.
            let (first_door, first_token) = desks
                .first()
                .map(|(_, d, t): &(Server, String, String)| (d.clone(), t.clone()))
                .unwrap_or((door.clone(), token.clone()));
            code = next_pairing_code(&first_door, &first_token)?;
        }
        desks.push((server, door, token));
    }
    let doors: Vec<(String, String)> = desks
        .iter()
        .map(|(_, door, token)| (door.clone(), token.clone()))
        .collect();
    let timed = load(&doors, options, people)?;
    drop(desks);
    drop(host);
    finish("lan", options, data, timed)
}

fn run_on_loopback(
    exe: &Path,
    options: &LanLoadOptions,
    data: &Path,
    people: &[Person],
) -> Result<LoadRun> {
    let (server, door, token) = start_server(exe, data)?;
    let doors = vec![(door, token); options.desks];
    let timed = load(&doors, options, people)?;
    drop(server);
    finish("loopback", options, data, timed)
}

/// The clerks, one per door in `doors` (address, token), each on a thread of its own for
/// the run's length; their operations timed.
fn load(
    doors: &[(String, String)],
    options: &LanLoadOptions,
    people: &[Person],
) -> Result<Vec<Timed>> {
    let deadline = Instant::now() + Duration::from_secs(options.seconds);
    let mut clerks = Vec::new();
    for (n, (door, token)) in doors.iter().enumerate() {
        let login = format!("desk{}", n + 1);
        let cookie = log_in(door, token, &login, CLERK_PASSWORD)?;
        let client = LoopbackClient::new(
            door,
            vec![
                format!("Authorization: Bearer {token}"),
                format!("Cookie: {cookie}"),
            ],
        );
        // Each desk serves other citizens, and starts its rhythm a little apart.
        let mine: Vec<Person> = people
            .iter()
            .skip(n)
            .step_by(doors.len())
            .cloned()
            .collect();
        let pace = Pace::new(options.pace, n, doors.len());
        clerks.push(std::thread::spawn(move || {
            Clerk {
                client,
                people: mine,
                next_person: 0,
                open_request: None,
                timed: Vec::new(),
            }
            .work_until(deadline, pace)
        }));
    }
    Ok(clerks
        .into_iter()
        .flat_map(|c| c.join().unwrap_or_default())
        .collect())
}

/// When each kind of operation is due next, seconds after the start.
struct Pace {
    every: [f64; 4],
    next: [f64; 4],
}

const SEARCH: usize = 0;
const RECORD: usize = 1;
const REGISTER: usize = 2;
const ISSUE: usize = 3;

impl Pace {
    fn new(speed: f64, desk: usize, desks: usize) -> Pace {
        let every = [2.0, 10.0, 60.0, 120.0].map(|s| s / speed.max(0.01));
        let share = desk as f64 / desks.max(1) as f64;
        // The first request is registered early and its certificate issued a while later.
        let next = [
            every[SEARCH] * share,
            every[RECORD] * share,
            every[REGISTER] * share / 4.0,
            every[REGISTER] * share / 4.0 + every[ISSUE] / 4.0,
        ];
        Pace { every, next }
    }

    /// The operation due first, and when.
    fn due(&self) -> (usize, f64) {
        (0..4)
            .map(|k| (k, self.next[k]))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .expect("four kinds")
    }
}

struct Clerk {
    client: LoopbackClient,
    people: Vec<Person>,
    next_person: usize,
    /// The request registered last, its record attached, waiting for its certificate.
    open_request: Option<i64>,
    timed: Vec<Timed>,
}

impl Clerk {
    fn work_until(mut self, deadline: Instant, mut pace: Pace) -> Vec<Timed> {
        let started = Instant::now();
        loop {
            let (kind, at) = pace.due();
            let when = started + Duration::from_secs_f64(at);
            if when >= deadline {
                break;
            }
            if let Some(wait) = when.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
            pace.next[kind] += pace.every[kind];
            match kind {
                SEARCH => self.search(),
                RECORD => self.open_record(),
                REGISTER => self.register(),
                _ => self.issue(),
            }
        }
        self.timed
    }

    fn person(&mut self) -> Person {
        let person = self.people[self.next_person % self.people.len()].clone();
        self.next_person += 1;
        person
    }

    /// Asks `op` with `body`, again while the archive answers `busy`.
    fn ask(&mut self, op: &str, body: Value) -> (std::result::Result<Value, String>, usize) {
        let mut busy = 0;
        loop {
            match call(&mut self.client, op, body.clone()) {
                Err(e) if e.contains("\"busy\"") && busy < 20 => {
                    busy += 1;
                    std::thread::sleep(Duration::from_millis(50));
                }
                answer => return (answer, busy),
            }
        }
    }

    fn timed<T>(
        &mut self,
        operation: &'static str,
        work: impl FnOnce(&mut Self, &mut usize) -> std::result::Result<T, String>,
    ) -> Option<T> {
        let asked = Instant::now();
        let mut busy = 0;
        let done = work(self, &mut busy);
        let millis = asked.elapsed().as_secs_f64() * 1000.0;
        let (value, error) = match done {
            Ok(value) => (Some(value), None),
            Err(e) => (None, Some(e)),
        };
        self.timed.push(Timed {
            operation,
            millis,
            busy_retried: busy,
            error,
        });
        value
    }

    fn asked(
        &mut self,
        op: &str,
        body: Value,
        busy: &mut usize,
    ) -> std::result::Result<Value, String> {
        let (answer, retried) = self.ask(op, body);
        *busy += retried;
        answer
    }

    /// A name typed a key at a time: each keystroke is a search, as in the UI.
    fn search(&mut self) {
        let person = self.person();
        let typed: Vec<char> = person.name.chars().collect();
        for n in 1..=typed.len() {
            let query: String = typed[..n].iter().collect();
            let committed = n == typed.len();
            self.timed("search", |clerk, busy| {
                clerk.asked(
                    "search",
                    json!({ "query": query, "limit": 20, "committed": committed }),
                    busy,
                )
            });
        }
    }

    /// A record and its first page, as the clerk opens a hit.
    fn open_record(&mut self) {
        let person = self.person();
        let Some(found) = self.timed("search", |clerk, busy| {
            clerk.asked("search", json!({ "query": person.id, "limit": 20 }), busy)
        }) else {
            return;
        };
        let Some(document_id) = found["hits"][0]["document_id"].as_i64() else {
            return;
        };
        self.timed("record_with_page", |clerk, busy| {
            let shown = clerk.asked(
                "document",
                json!({ "document_id": document_id, "query": person.id }),
                busy,
            )?;
            let first = &shown["pages"][0];
            if let Some(page_no) = first["page_no"]
                .as_i64()
                .filter(|_| first["reachable"] == true)
            {
                let answer = clerk
                    .client
                    .send(
                        "GET",
                        &format!("/api/page/{document_id}/{page_no}?size=preview"),
                        b"",
                    )
                    .map_err(|e| format!("page: {e}"))?;
                if answer.status != 200 {
                    return Err(format!("page: HTTP {}", answer.status));
                }
            }
            Ok(())
        });
    }

    /// A citizen's request registered and their open record attached with its first page.
    fn register(&mut self) {
        let person = self.person();
        let Some(found) = self.timed("search", |clerk, busy| {
            clerk.asked(
                "search",
                json!({ "query": person.id, "access": "open", "limit": 20, "committed": true }),
                busy,
            )
        }) else {
            return;
        };
        let rows: Vec<Value> = found["hits"]
            .as_array()
            .map(|hits| {
                hits.iter()
                    .filter(|h| h["entry_id"].is_i64())
                    .take(6)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        if rows.is_empty() {
            return;
        }
        self.open_request = self.timed("register", |clerk, busy| {
            let request = clerk.asked(
                "register_request",
                json!({
                    "requester_name": person.name,
                    "requester_id": person.id,
                    "relationship": "self",
                    "purpose": crate::register::validate::PURPOSES[0],
                    "channel": "窗口",
                    "sought": "工资调整记录",
                }),
                busy,
            )?;
            let id = request["id"].as_i64().ok_or("register_request: no id")?;
            // The clerk opens the person's records until one has its scan, and copies its first
            // page, as for most certificates.
            let mut chosen = (&rows[0], Vec::new());
            for hit in &rows {
                let shown = clerk.asked(
                    "document",
                    json!({ "document_id": hit["document_id"], "query": person.id }),
                    busy,
                )?;
                let first = &shown["pages"][0];
                if let Some(page_no) = first["page_no"]
                    .as_i64()
                    .filter(|_| first["reachable"] == true)
                {
                    chosen = (hit, vec![page_no]);
                    break;
                }
            }
            let (hit, pages) = chosen;
            clerk.asked(
                "attach_record",
                json!({
                    "request_id": id,
                    "entry_id": hit["entry_id"],
                    "document_id": hit["document_id"],
                    "pages": pages,
                    "catalogue_only": pages.is_empty(),
                }),
                busy,
            )?;
            Ok(id)
        });
    }

    /// The open request's pages covered where others are on them, then its certificate issued.
    fn issue(&mut self) {
        let Some(request_id) = self.open_request.take() else {
            return;
        };
        let covered = self.timed("cover", |clerk, busy| {
            let view = clerk.asked("lookup_request", json!({ "id": request_id }), busy)?;
            for page in view["uncovered"].as_array().cloned().unwrap_or_default() {
                let at = json!({
                    "request_id": request_id,
                    "record_id": page["record_id"],
                    "page_no": page["page_no"],
                });
                let suggested = clerk.asked("suggest_cover", at.clone(), busy)?;
                let mut boxes = suggested["boxes"].as_array().cloned().unwrap_or_default();
                if boxes.is_empty() {
                    boxes.push(json!({ "x": 0.0, "y": 0.9, "width": 0.2, "height": 0.05 }));
                }
                let mut redact = at.clone();
                redact["boxes"] = Value::Array(boxes);
                clerk.asked("redact_page", redact, busy)?;
                clerk.asked("confirm_covered", at, busy)?;
            }
            Ok(())
        });
        if covered.is_none() {
            return;
        }
        self.timed("certificate", |clerk, busy| {
            clerk.asked(
                "issue_certificate",
                json!({ "request_id": request_id }),
                busy,
            )
        });
    }
}

/// A citizen who comes to the counter: their name and ID number (18 digits) as the archive
/// holds them.
#[derive(Clone)]
struct Person {
    name: String,
    id: String,
}

/// The people in records that have scanned pages: what a clerk opens and copies at the counter.
fn people_of(data: &Path) -> Result<Vec<Person>> {
    let conn = rusqlite::Connection::open(data.join(crate::store::DB_FILE))?;
    let mut stmt = conn.prepare(
        "SELECT name, id_key FROM entries
         WHERE superseded_at IS NULL AND length(id_key) = 18
           AND document_id IN (SELECT document_id FROM pages)
         ORDER BY id LIMIT 5000",
    )?;
    let people = stmt
        .query_map([], |r| {
            Ok(Person {
                name: r.get(0)?,
                id: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if people.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("「{}」中没有带扫描页的查档人", data.display()),
        ));
    }
    Ok(people)
}

/// One clerk's account per desk (`desk1` …), made once.
fn add_desk_clerks(data: &Path, desks: usize) -> Result<()> {
    let mut archive = Archive::open(data)?;
    let have: Vec<String> = archive.clerks()?.into_iter().map(|c| c.login).collect();
    for n in 1..=desks {
        let login = format!("desk{n}");
        if !have.contains(&login) {
            archive.create_clerk(&NewClerk {
                login,
                display_name: format!("柜台{n}"),
                role: Role::Clerk,
                password: CLERK_PASSWORD.into(),
            })?;
        }
    }
    Ok(())
}

fn failed(what: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::Io, format!("{what}：{e}"))
}

/// The LAN host: its address and the first pairing code it shows.
fn start_host(exe: &Path, data: &Path) -> Result<(Server, String, String)> {
    let mut child = Command::new(exe)
        .arg("--data-dir")
        .arg(data)
        .args(["serve", "--lan", HOST_ADDRESS])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| failed("无法启动 serve --lan", e))?;
    let mut lines = BufReader::new(child.stdout.take().expect("piped")).lines();
    let host = Server(child);
    let mut said = BTreeMap::new();
    for prefix in ["地址", "主机密钥 SHA-256", "配对码"] {
        let line = lines
            .next()
            .and_then(|l| l.ok())
            .ok_or_else(|| failed("serve --lan 没有说明", prefix))?;
        let value = line
            .strip_prefix(prefix)
            .ok_or_else(|| failed("serve --lan 的输出不对", &line))?;
        said.insert(prefix, value.trim().to_string());
    }
    std::thread::spawn(move || lines.for_each(drop));
    let code = said["配对码"]
        .split('（')
        .next()
        .unwrap_or("")
        .trim()
        .to_string();
    Ok((host, said["地址"].clone(), code))
}

/// A desk's door in `folder`, paired with the host by `code`: the door and its token.
fn start_desk(
    exe: &Path,
    folder: &Path,
    host: &str,
    code: &str,
) -> Result<(Server, String, String)> {
    let mut child = Command::new(exe)
        .arg("--data-dir")
        .arg(folder)
        .args(["serve", "--connect", host, "--pair", code])
        .args(["--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| failed("无法启动 serve --connect", e))?;
    let mut out = BufReader::new(child.stdout.take().expect("piped"));
    let desk = Server(child);
    let mut first = String::new();
    out.read_line(&mut first)
        .map_err(|e| failed("serve --connect", e))?;
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let (door, token) = first
        .trim()
        .strip_prefix("http://")
        .and_then(|rest| rest.split_once("/?token="))
        .ok_or_else(|| failed("柜台没有配对成功", &first))?;
    Ok((desk, door.to_string(), token.to_string()))
}

/// The supervisor opens one more pairing at a desk; its code.
fn next_pairing_code(door: &str, token: &str) -> Result<String> {
    let cookie = log_in(door, token, LOGIN, PASSWORD)?;
    let mut client = LoopbackClient::new(
        door,
        vec![
            format!("Authorization: Bearer {token}"),
            format!("Cookie: {cookie}"),
        ],
    );
    let opened = call(&mut client, "lan_pairing_start", json!({}))
        .map_err(|e| failed("无法为下一个柜台配对", e))?;
    opened["code"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| failed("无法为下一个柜台配对", opened))
}

/// Logs `login` in at a door; the login cookie to send with every request.
fn log_in(door: &str, token: &str, login: &str, password: &str) -> Result<String> {
    let mut client = LoopbackClient::new(door, vec![format!("Authorization: Bearer {token}")]);
    let body = json!({ "login": login, "password": password }).to_string();
    let answer = client
        .send("POST", "/api/login", body.as_bytes())
        .map_err(|e| failed("登录失败", e))?;
    answer
        .set_cookie
        .filter(|_| answer.status == 200)
        .and_then(|c| c.split(';').next().map(str::to_string))
        .ok_or_else(|| failed("登录失败", format!("HTTP {}", answer.status)))
}

/// The run's figures, and the host's archive checked once every process has stopped.
fn finish(door: &str, options: &LanLoadOptions, data: &Path, timed: Vec<Timed>) -> Result<LoadRun> {
    let mut by_operation: BTreeMap<&str, Vec<&Timed>> = BTreeMap::new();
    for t in &timed {
        by_operation.entry(t.operation).or_default().push(t);
    }
    let operations = [
        "search",
        "record_with_page",
        "register",
        "cover",
        "certificate",
    ]
    .iter()
    .filter_map(|op| by_operation.get(op).map(|all| figures_of(op, all)))
    .collect();
    let (certificates, numbers_gapless) = numbering_of(&rusqlite::Connection::open(
        data.join(crate::store::DB_FILE),
    )?)?;
    let mut archive = Archive::open(data)?;
    let audit = archive.audit_verify(None)?;
    Ok(LoadRun {
        door: door.to_string(),
        desks: options.desks,
        seconds: options.seconds,
        operations,
        first_error: timed.iter().find_map(|t| t.error.clone()),
        certificates,
        numbers_gapless,
        audit_intact: audit.intact,
        audit_rows: audit.rows,
    })
}

fn figures_of(operation: &str, all: &[&Timed]) -> OperationFigures {
    let mut millis: Vec<f64> = all
        .iter()
        .filter(|t| t.error.is_none())
        .map(|t| t.millis)
        .collect();
    millis.sort_by(f64::total_cmp);
    let quantile = |q: f64| {
        if millis.is_empty() {
            0.0
        } else {
            millis[((millis.len() - 1) as f64 * q).round() as usize]
        }
    };
    OperationFigures {
        operation: operation.to_string(),
        count: all.len(),
        p50_ms: quantile(0.5),
        p95_ms: quantile(0.95),
        p99_ms: quantile(0.99),
        busy_retried: all.iter().map(|t| t.busy_retried).sum(),
        errors: all.iter().filter(|t| t.error.is_some()).count(),
    }
}

/// How many certificates the archive holds, and whether each year and desk's numbers run
/// 1, 2, 3 … without a gap or a number twice.
fn numbering_of(conn: &rusqlite::Connection) -> Result<(usize, bool)> {
    let mut numbers: BTreeMap<(i64, String), Vec<i64>> = BTreeMap::new();
    let mut stmt = conn.prepare("SELECT year, desk, seq FROM certificates")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    let mut count = 0;
    for row in rows {
        let (year, desk, seq) = row?;
        numbers.entry((year, desk)).or_default().push(seq);
        count += 1;
    }
    let gapless = numbers.values_mut().all(|seqs| {
        seqs.sort_unstable();
        seqs.iter().enumerate().all(|(i, s)| *s == i as i64 + 1)
    });
    Ok((count, gapless))
}

/// The report as a table, the LAN beside the baseline, with the issue's targets.
pub fn format_report(report: &LanLoadReport) -> String {
    let mut out = String::new();
    let mut run = |r: &LoadRun| {
        out.push_str(&format!(
            "{} door, {} desks, {} s\n{:<18} {:>6} {:>9} {:>9} {:>9} {:>6} {:>6}\n",
            r.door,
            r.desks,
            r.seconds,
            "operation",
            "count",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "busy",
            "errors"
        ));
        for o in &r.operations {
            out.push_str(&format!(
                "{:<18} {:>6} {:>9.1} {:>9.1} {:>9.1} {:>6} {:>6}\n",
                o.operation, o.count, o.p50_ms, o.p95_ms, o.p99_ms, o.busy_retried, o.errors
            ));
        }
        out.push_str(&format!(
            "certificates {} (numbers gapless and unique: {}), audit chain intact: {} ({} rows)\n",
            r.certificates, r.numbers_gapless, r.audit_intact, r.audit_rows
        ));
        if let Some(e) = &r.first_error {
            out.push_str(&format!("first error: {e}\n"));
        }
        out.push('\n');
    };
    run(&report.lan);
    if let Some(baseline) = &report.baseline {
        run(baseline);
    }
    out.push_str("targets on the LAN: search p95 ≤ 100 ms, record with first page p95 ≤ 300 ms, certificate p95 ≤ 2000 ms\n");
    out
}
