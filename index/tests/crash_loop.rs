//! The crash loop: a child program imports, registers, attaches and issues — one act per
//! process, as the counter's command line does them — and is killed with SIGKILL at a random
//! moment. After every kill the store passes `integrity_check`, every import batch is all or
//! nothing, the search index agrees with the store, certificate numbers have no gaps and the
//! audit chain verifies. Bounded: about a minute of killing (the long run is by hand, with
//! ARCHIVEDESK_CRASH_LOOP_SECONDS).
#![cfg(unix)]

mod common;

use archivedesk::api::SearchRequest;
use archivedesk::Archive;
use common::*;
use rand::{Rng, SeedableRng};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Rows of each import: 40 documents of 25 rows.
const DOCUMENTS: usize = 40;
const ROWS_PER_DOCUMENT: usize = 25;

fn ref_code(round: usize, document: usize) -> String {
    format!("J{:03}-WS·1998-Y-{:04}", 100 + round, document + 1)
}

fn write_round(path: &Path, round: usize) {
    let mut lines =
        vec!["档号,题名,姓名,性别,出生年月,身份证号码,工作单位,原工资,调整后工资".to_string()];
    for d in 0..DOCUMENTS {
        for r in 0..ROWS_PER_DOCUMENT {
            let birth = format!(
                "19{:02}{:02}{:02}",
                40 + (d + r) % 40,
                1 + r % 12,
                1 + d % 28
            );
            lines.push(format!(
                "{},县第{round}厂1998年工资调整表,职工{}{},男,{}.{},{},县第{round}厂,{},{}",
                ref_code(round, d),
                ["甲", "乙", "丙", "丁", "戊"][r % 5],
                ["子", "丑", "寅", "卯", "辰"][d % 5],
                &birth[..4],
                &birth[4..6],
                id18(&format!("620102{}{:03}", birth, (d * 31 + r) % 1000)),
                300 + r,
                340 + r
            ));
        }
    }
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    write_utf8_csv(path, &lines, false);
}

/// Runs one act in a child and kills it after `after`, unless it ended first. None when it
/// was killed, else how long it took.
fn run_and_maybe_kill(data: &Path, args: &[String], after: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_archivedesk"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + after;
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return Some(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    if child.try_wait().unwrap().is_some() {
        return Some(started.elapsed());
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

fn count(conn: &rusqlite::Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Everything that must hold after any kill.
fn check(data: &Path, imported_rounds: &[usize], rng_round: usize) {
    let conn = rusqlite::Connection::open(data.join("archive.sqlite3")).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok", "round {rng_round}: integrity");
    // Every batch all or nothing: a committed batch holds all its rows.
    let batches: Vec<(i64, i64, i64)> = conn
        .prepare("SELECT b.id, b.rows_accepted, (SELECT COUNT(*) FROM entries e WHERE e.batch_id = b.id) FROM import_batches b")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (id, accepted, held) in &batches {
        assert_eq!(accepted, held, "round {rng_round}: batch {id} is whole");
    }
    // Certificate numbers without gaps.
    let seqs: Vec<i64> = conn
        .prepare("SELECT seq FROM certificates ORDER BY year, desk, seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        seqs,
        (1..=seqs.len() as i64).collect::<Vec<_>>(),
        "round {rng_round}: no gap"
    );
    let live = count(
        &conn,
        "SELECT COUNT(*) FROM documents WHERE superseded_at IS NULL",
    ) + count(
        &conn,
        "SELECT COUNT(*) FROM entries WHERE superseded_at IS NULL",
    );
    drop(conn);

    // The index agrees with the store, in count and for a sample of documents.
    let mut archive = Archive::open(data).unwrap();
    let status = archive.status().unwrap();
    assert_eq!(
        status.indexed as i64, live,
        "round {rng_round}: the index counts what the store holds"
    );
    let committed: Vec<usize> = imported_rounds
        .iter()
        .copied()
        .filter(|round| {
            let conn = rusqlite::Connection::open(data.join("archive.sqlite3")).unwrap();
            count(
                &conn,
                &format!(
                    "SELECT COUNT(*) FROM documents WHERE ref_code = '{}'",
                    ref_code(*round, 0)
                ),
            ) > 0
        })
        .collect();
    for round in imported_rounds {
        let reference = ref_code(*round, DOCUMENTS / 2);
        let found = archive
            .search(&SearchRequest {
                query: reference.clone(),
                ..Default::default()
            })
            .unwrap()
            .hits
            .iter()
            .any(|h| h.ref_code == reference);
        assert_eq!(
            found,
            committed.contains(round),
            "round {rng_round}: {reference} found iff committed"
        );
    }
    let verification = archive.audit_verify(None).unwrap();
    assert!(
        verification.intact,
        "round {rng_round}: {:?}",
        verification.problem
    );
}

#[test]
fn killed_at_random_moments_the_archive_stays_whole() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let seconds: u64 = std::env::var("ARCHIVEDESK_CRASH_LOOP_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let seed: u64 = rand::random();
    eprintln!("crash loop seed {seed}");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    // The requester's own row, to attach and certify.
    let own = dir.path().join("本人.csv");
    write_utf8_csv(
        &own,
        &[
            "档号,题名,姓名,性别,出生年月,身份证号码,工作单位,原工资,调整后工资",
            &format!("J012-WS·1998-Y-0034,城关镇1998年工资调整表,刘建国,男,1956.03,{},红星机械厂,312.50,356.00", id18("62010219560315001")),
        ],
        false,
    );
    let mut archive = Archive::open(&data).unwrap();
    import(&mut archive, &[&own]);
    let own_entry = archive.show("J012-WS·1998-Y-0034").unwrap().entries[0].id;
    drop(archive);

    let started = Instant::now();
    // How long each kind of act last took when left alone: kills are drawn within it, so
    // that about half land mid-way on a fast machine and a slow one alike.
    let mut typical = [1500u64, 400, 400, 800].map(Duration::from_millis);
    let mut imported_rounds = Vec::new();
    let (mut kills, mut rounds) = (0, 0);
    while started.elapsed() < Duration::from_secs(seconds) {
        let round = rounds;
        rounds += 1;
        let requests = {
            let conn = rusqlite::Connection::open(data.join("archive.sqlite3")).unwrap();
            count(&conn, "SELECT COALESCE(MAX(id), 0) FROM requests")
        };
        let kind = round % 4;
        let args: Vec<String> = match kind {
            0 => {
                let file = dir.path().join(format!("第{round}批.csv"));
                write_round(&file, round);
                imported_rounds.push(round);
                vec!["import".into(), file.display().to_string()]
            }
            1 => [
                "register",
                "new",
                "--name",
                "刘建国",
                "--id-number",
                &id18("62010219560315001"),
                "--purpose",
                "退休待遇核定",
                "--sought",
                "1998年工资",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            2 => vec![
                "register".into(),
                "attach".into(),
                requests.to_string(),
                "--entry".into(),
                own_entry.to_string(),
            ],
            _ => vec!["certificate".into(), "issue".into(), requests.to_string()],
        };
        let after = typical[kind].mul_f64(rng.gen_range(0.0..1.0));
        match run_and_maybe_kill(&data, &args, after) {
            Some(took) => typical[kind] = took,
            None => {
                kills += 1;
                // Killed before its end: its end is later than thought.
                typical[kind] = typical[kind].mul_f64(1.3);
            }
        }
        check(&data, &imported_rounds, round);
    }
    eprintln!(
        "crash loop: {rounds} acts, {kills} killed mid-way, in {:?}",
        started.elapsed()
    );
    assert!(
        kills >= rounds / 5,
        "enough acts were killed mid-way: {kills} of {rounds}"
    );
}
