//! `archivedesk bench lan`: counter desks at a clerk's pace against one LAN host, as real
//! processes on loopback addresses — the host (`serve --lan`) and a desk door per desk
//! (`serve --connect`), each paired with the host. Every desk searches every 2 s (the keystrokes
//! of search-as-you-type included), opens a record with its first page every 10 s, registers a
//! request every minute and issues its certificate every 2 minutes. The same clerks at the same
//! pace on one plain loopback door (`serve`) are the baseline measured in the same run: what the
//! LAN, its TLS and the forwarding cost. Afterwards the host's archive is checked: certificate
//! numbers gapless and unique per desk, the audit chain whole.

mod clerk;
mod processes;

use super::loopback_client::LoopbackClient;
use super::soak::prepare_archive;
use super::soak::{start_server, Server};
use crate::error::Result;
use crate::Archive;
use clerk::{people_of, Clerk, Pace, Person, Timed};
use processes::{
    add_desk_clerks, log_in, next_pairing_code, start_desk, start_host, CLERK_PASSWORD,
};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

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
            Clerk::new(client, mine).work_until(deadline, pace)
        }));
    }
    Ok(clerks
        .into_iter()
        .flat_map(|c| c.join().unwrap_or_default())
        .collect())
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

/// The report as a table, the LAN beside the baseline, with the targets.
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
