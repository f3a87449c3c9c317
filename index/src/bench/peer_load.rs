//! `archivedesk bench peers`: who-holds questions from one archive (A) to two others (B and C),
//! as real processes on loopback addresses, each host serving its LAN door and its peer door:
//! `queries` questions by ID number (the demo's IDs and as many no archive holds), `concurrency`
//! at once, alternating between B and C, with the answers' p50/p95/p99 and the refusals of the
//! peers' rate limit counted apart. Then the clerk's ask: ten peers at once (five names at each of
//! B's and C's doors), every answer in, p50/p95/p99 over the rounds. The baseline, in the same run:
//! the same questions answered by B's archive in this process, without the network or TLS.

use super::search::percentile;
use super::soak::{prepare_archive, Server};
use crate::api::{Peer, PeerAddRequest, PeerAsking, WhoHoldsQuestion};
use crate::error::{Error, ErrorCode, Result};
use crate::lan::desk_link::HostLink;
use crate::lan::keys::Pin;
use crate::peers::ask::{ask_each, ANSWER_WITHIN};
use crate::peers::WHO_HOLDS_PATH;
use crate::Archive;
use serde::Serialize;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Instant;

pub struct PeerLoadOptions {
    pub queries: usize,
    pub concurrency: usize,
    /// Size of the demo archive B and C hold (built in the work folder on first use).
    pub entries: usize,
    pub work: PathBuf,
    /// The peers' rate limit (`PER_SECOND,BURST`); the door's own when absent.
    pub rate: Option<String>,
    /// Rounds of the ten-peer ask.
    pub rounds: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Latency {
    pub count: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeerLoadReport {
    pub queries: usize,
    pub concurrency: usize,
    pub entries: usize,
    /// Questions answered (200), over the peer doors.
    pub answered: Latency,
    pub found: usize,
    /// Refused by the peers' rate limit (429).
    pub refused_by_rate: usize,
    pub errors: usize,
    pub first_error: Option<String>,
    /// The clerk's ask of ten peers: until every answer is in.
    pub ten_peers: Latency,
    pub ten_peers_all_answered: usize,
    /// Baseline: the same questions answered by B's archive in this process.
    pub in_process: Latency,
}

fn failed(what: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::Io, format!("{what}：{e}"))
}

fn latency(mut millis: Vec<f64>) -> Latency {
    millis.sort_by(f64::total_cmp);
    Latency {
        count: millis.len(),
        p50_ms: percentile(&millis, 50.0),
        p95_ms: percentile(&millis, 95.0),
        p99_ms: percentile(&millis, 99.0),
    }
}

/// A host serving its peer door on `ip`: the process, its key hash and its peer door.
fn start_peer_host(
    exe: &Path,
    data: &Path,
    ip: &str,
    rate: Option<&str>,
) -> Result<(Server, String, String)> {
    let mut command = Command::new(exe);
    if let Some(rate) = rate {
        command.env("ARCHIVEDESK_PEER_RATE", rate);
    }
    let mut child = command
        .arg("--data-dir")
        .arg(data)
        .args([
            "serve",
            "--lan",
            &format!("{ip}:0"),
            "--peer-door",
            &format!("{ip}:0"),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| failed("无法启动 serve --lan --peer-door", e))?;
    let mut lines = BufReader::new(child.stdout.take().expect("piped")).lines();
    let host = Server(child);
    let mut said = std::collections::BTreeMap::new();
    for prefix in ["地址", "主机密钥 SHA-256", "跨馆地址", "配对码"] {
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
    Ok((
        host,
        said["主机密钥 SHA-256"].clone(),
        said["跨馆地址"].clone(),
    ))
}

/// The demo's ID numbers, and as many that no archive holds.
fn questions_of(data: &Path, count: usize) -> Result<Vec<WhoHoldsQuestion>> {
    let truth = data
        .join(crate::demo::build::SOURCE_FOLDER)
        .join("truth.jsonl");
    let text = std::fs::read_to_string(&truth).map_err(|e| Error::io("无法读取", &truth, &e))?;
    let held: Vec<String> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|row| row["id18"].as_str().map(str::to_string))
        .filter(|id| id.len() == 18)
        .take(count)
        .collect();
    if held.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("「{}」中没有身份证号", truth.display()),
        ));
    }
    let asking = PeerAsking {
        request_no: "1".into(),
        clerk: "压力测试".into(),
        purpose: "退休待遇核定".into(),
        channel: "跨馆".into(),
    };
    Ok((0..count)
        .map(|n| {
            let id = if n % 2 == 0 {
                held[(n / 2) % held.len()].clone()
            } else {
                // The same region and birth, another sequence: most likely a person nobody holds.
                let real = &held[(n / 2) % held.len()];
                let first17 = format!("{}{:03}", &real[..14], n % 997);
                let check = crate::text::id_number::id_check_digit(&first17).unwrap_or('0');
                format!("{first17}{check}")
            };
            WhoHoldsQuestion {
                asking: asking.clone(),
                id_number: Some(id),
                ..WhoHoldsQuestion::default()
            }
        })
        .collect())
}

/// Makes A a peer of `holder` (once).
fn admit(holder: &Path, a_pin: &Pin) -> Result<()> {
    let mut archive = Archive::open(holder)?;
    if archive.peer_by_pin(a_pin)?.is_none() {
        archive.add_peer(&PeerAddRequest {
            name: "甲县档案馆（测试）".into(),
            address: "127.0.0.5:1".into(),
            pin: a_pin.hex(),
        })?;
    }
    Ok(())
}

pub fn run_peer_load(exe: &Path, options: &PeerLoadOptions) -> Result<PeerLoadReport> {
    let (a, b, c) = (
        options.work.join("a"),
        options.work.join("b"),
        options.work.join("c"),
    );
    prepare_archive(&b, options.entries)?;
    prepare_archive(&c, options.entries)?;
    let a_key = Archive::open(&a)?.host_key()?;
    admit(&b, &a_key.pin())?;
    admit(&c, &a_key.pin())?;
    let questions = questions_of(&b, options.queries.max(1))?;

    let rate = options.rate.as_deref();
    let (b_host, b_pin, b_door) = start_peer_host(exe, &b, "127.0.0.6", rate)?;
    let (c_host, c_pin, c_door) = start_peer_host(exe, &c, "127.0.0.7", rate)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| failed("无法启动网络连接", e))?;
    let pin = |shown: &str| Pin::parse(shown).ok_or_else(|| failed("主机密钥无法读取", shown));
    let links = Arc::new([
        HostLink::new(&b_door, &a_key, Some(pin(&b_pin)?))?,
        HostLink::new(&c_door, &a_key, Some(pin(&c_pin)?))?,
    ]);

    let outcomes = runtime.block_on(async {
        let slots = Arc::new(tokio::sync::Semaphore::new(options.concurrency.max(1)));
        let mut asking = tokio::task::JoinSet::new();
        for (n, question) in questions.iter().cloned().enumerate() {
            let (slots, links) = (Arc::clone(&slots), Arc::clone(&links));
            asking.spawn(async move {
                let _slot = slots.acquire_owned().await.expect("never closed");
                let link = &links[n % 2];
                let request = hyper::Request::post(WHO_HOLDS_PATH)
                    .header(hyper::header::HOST, link.host())
                    .header(hyper::header::CONTENT_TYPE, "application/json")
                    .body(axum::body::Body::from(
                        serde_json::to_vec(&question).expect("serializes"),
                    ))
                    .expect("a plain request");
                let started = Instant::now();
                let answered = match link.send(request).await {
                    Ok(response) => {
                        let status = response.status().as_u16();
                        let body = http_body_util::BodyExt::collect(response.into_body()).await;
                        let found = body.ok().is_some_and(|b| {
                            serde_json::from_slice::<crate::api::WhoHoldsFacts>(&b.to_bytes())
                                .is_ok_and(|f| !f.groups.is_empty() || f.restricted > 0)
                        });
                        Ok((status, found))
                    }
                    Err(_) => Err("无法连接".to_string()),
                };
                (started.elapsed().as_secs_f64() * 1000.0, answered)
            });
        }
        let mut outcomes = Vec::new();
        while let Some(done) = asking.join_next().await {
            outcomes.push(done.map_err(|e| e.to_string()));
        }
        outcomes
    });
    let mut report = PeerLoadReport {
        queries: questions.len(),
        concurrency: options.concurrency,
        entries: options.entries,
        answered: latency(Vec::new()),
        found: 0,
        refused_by_rate: 0,
        errors: 0,
        first_error: None,
        ten_peers: latency(Vec::new()),
        ten_peers_all_answered: 0,
        in_process: latency(Vec::new()),
    };
    let mut answered = Vec::new();
    for outcome in outcomes {
        match outcome {
            Ok((millis, Ok((200, found)))) => {
                answered.push(millis);
                report.found += usize::from(found);
            }
            Ok((_, Ok((429, _)))) => report.refused_by_rate += 1,
            Ok((_, Ok((status, _)))) => {
                report.errors += 1;
                report.first_error.get_or_insert(format!("HTTP {status}"));
            }
            Ok((_, Err(why))) | Err(why) => {
                report.errors += 1;
                report.first_error.get_or_insert(why);
            }
        }
    }
    report.answered = latency(answered);

    // The clerk's ask: ten peers at once, five names at each door, until all have answered.
    let ten: Vec<(Peer, WhoHoldsQuestion)> = (0..10)
        .map(|n| {
            let (address, pin) = if n % 2 == 0 {
                (&b_door, &b_pin)
            } else {
                (&c_door, &c_pin)
            };
            let peer = Peer {
                id: n as i64,
                name: format!("档案馆{n}"),
                address: address.clone(),
                pin: Pin::parse(pin).map(|p| p.hex()).unwrap_or_default(),
                added_at: String::new(),
                added_by: String::new(),
            };
            (peer, questions[n % questions.len()].clone())
        })
        .collect();
    let mut rounds = Vec::new();
    for _ in 0..options.rounds {
        let started = Instant::now();
        let answers = std::sync::Mutex::new(0usize);
        runtime.block_on(ask_each(&a_key, &ten, ANSWER_WITHIN, |_, answer| {
            if answer.state == "found" || answer.state == "none" {
                *answers
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) += 1;
            }
        }));
        rounds.push(started.elapsed().as_secs_f64() * 1000.0);
        if answers
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            == ten.len()
        {
            report.ten_peers_all_answered += 1;
        }
    }
    report.ten_peers = latency(rounds);
    drop((b_host, c_host));

    // Baseline: B's archive answers the same questions in this process.
    let mut archive = Archive::open(&b)?;
    let a_as_peer = archive
        .peer_by_pin(&a_key.pin())?
        .ok_or_else(|| failed("乙馆没有登记甲馆", "peer"))?;
    let mut in_process = Vec::new();
    for question in &questions {
        let started = Instant::now();
        archive.answer_who_holds(&a_as_peer, question)?;
        in_process.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    report.in_process = latency(in_process);
    Ok(report)
}

pub fn format_report(r: &PeerLoadReport) -> String {
    let line = |what: &str, l: &Latency| {
        format!(
            "{what:<44}{:>7}{:>10.1}{:>10.1}{:>10.1}\n",
            l.count, l.p50_ms, l.p95_ms, l.p99_ms
        )
    };
    let mut out = format!(
        "{} who-holds questions by ID, {} at once, to B and C (demo archives of {} entries each)\n",
        r.queries, r.concurrency, r.entries
    );
    out.push_str(&format!(
        "{:<44}{:>7}{:>10}{:>10}{:>10}\n",
        "case", "count", "p50 ms", "p95 ms", "p99 ms"
    ));
    out.push_str(&line(
        "answered over the peer doors (mutual TLS)",
        &r.answered,
    ));
    out.push_str(&line(
        "baseline: answered by B in this process",
        &r.in_process,
    ));
    out.push_str(&line(
        "ten peers asked at once, all answers in",
        &r.ten_peers,
    ));
    out.push_str(&format!(
        "found {}; refused by the rate limit {}; other errors {}{}\n",
        r.found,
        r.refused_by_rate,
        r.errors,
        r.first_error
            .as_deref()
            .map(|e| format!(" (first: {e})"))
            .unwrap_or_default()
    ));
    out.push_str(&format!(
        "ten-peer rounds with every answer in: {} of {}; target: p95 ≤ 2000 ms\n",
        r.ten_peers_all_answered, r.ten_peers.count
    ));
    out
}
