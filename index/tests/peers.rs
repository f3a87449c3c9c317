//! Archives asking each other (跨馆) as real processes on loopback addresses: A asks B and C
//! while C is down; asking every archive sends the keyed hash of the ID alone; a peer with the
//! right address and the wrong key, an unknown key, and a peer over its rate are refused and
//! recorded; and nothing any peer answers carries an ID number, a wage or a person's name.

mod common;

use archivedesk::api::WhoHoldsQuestion;
use archivedesk::lan::desk_link::HostLink;
use archivedesk::lan::keys::{Pin, TlsKey};
use archivedesk::peers::WHO_HOLDS_PATH;
use common::cli::write_counter_catalogue;
use common::lan_host::run;
use common::peer_hosts::*;
use common::*;
use std::path::Path;

/// The names of B's archive: none of them may leave it in an answer.
const NAMES_AT_B: [&str; 6] = ["刘建国", "劉建國", "韩秀英", "冯志强", "蒋玉兰", "王淑芬"];

fn ask(data: &Path, request: &str, peers: &[&str], extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["peers", "ask", "--request", request, "--json"];
    for peer in peers {
        args.extend(["--peer", peer]);
    }
    args.extend(extra);
    serde_json::from_str(&ok(run(data, &args))).unwrap()
}

fn answer_of<'a>(view: &'a serde_json::Value, peer: &str) -> &'a serde_json::Value {
    view["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["peer_name"] == peer)
        .unwrap_or_else(|| panic!("no answer of {peer} in {view}"))
}

/// No 15- or 18-digit ID, no wage amount and no name of B's archive in `text`.
fn assert_nothing_personal(text: &str, ids: &[&str]) {
    for id in ids {
        assert!(!text.contains(id), "an ID number left B: {text}");
    }
    let digits: Vec<usize> = text
        .split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .filter(|n| *n >= 15)
        .collect();
    assert!(
        digits.is_empty(),
        "a run of {digits:?} digits left B: {text}"
    );
    for wage in ["412.5", "468", "388", "431"] {
        assert!(!text.contains(wage), "a wage ({wage}) left B: {text}");
    }
    for name in NAMES_AT_B {
        assert!(!text.contains(name), "{name} left B: {text}");
    }
    for secret in ["任职", "干部任免", "J012"] {
        assert!(
            !text.contains(secret),
            "{secret} (a controlled record or a 档号) left B: {text}"
        );
    }
}

/// Asks B's peer door directly, as a peer holding `key` would, `times` times at once; answers
/// the HTTP statuses.
fn ask_directly(key: &TlsKey, address: &str, pin: &str, id: &str, times: usize) -> Vec<u16> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let link = HostLink::new(address, key, Some(Pin::parse(pin).unwrap())).unwrap();
    let question = WhoHoldsQuestion {
        asking: archivedesk::api::PeerAsking {
            request_no: "9".into(),
            clerk: "测试".into(),
            purpose: "退休待遇核定".into(),
            channel: "跨馆".into(),
        },
        id_number: Some(id.into()),
        ..WhoHoldsQuestion::default()
    };
    let body = serde_json::to_vec(&question).unwrap();
    runtime.block_on(async {
        let mut statuses = Vec::new();
        for _ in 0..times {
            let request = hyper::Request::post(WHO_HOLDS_PATH)
                .header(hyper::header::HOST, address)
                .header(hyper::header::CONTENT_TYPE, "application/json")
                .body(axum::body::Body::from(body.clone()))
                .unwrap();
            match link.send(request).await {
                Ok(response) => statuses.push(response.status().as_u16()),
                Err(_) => statuses.push(0),
            }
        }
        statuses
    })
}

/// A listener that takes one peer question with `key` and keeps its bytes, answering "none":
/// what an asking archive sends, as the other end receives it.
fn capture_one_question(key: TlsKey) -> (String, std::thread::JoinHandle<Vec<u8>>) {
    let config = archivedesk::lan::tls::host_config(&key).unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.9:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let handle = std::thread::spawn(move || {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            listener.set_nonblocking(true).unwrap();
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config));
            let (tcp, _) = listener.accept().await.unwrap();
            let mut tls = acceptor.accept(tcp).await.unwrap();
            let mut received = Vec::new();
            let mut buffer = [0u8; 4096];
            loop {
                let n = tls.read(&mut buffer).await.unwrap();
                received.extend_from_slice(&buffer[..n]);
                let text = String::from_utf8_lossy(&received);
                if let Some((head, body)) = text.split_once("\r\n\r\n") {
                    let length: usize = head
                        .lines()
                        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap()))
                        .unwrap_or(0);
                    if body.len() >= length {
                        break;
                    }
                }
                if n == 0 {
                    break;
                }
            }
            let answer = r#"{"archive_name":"丁县档案馆","groups":[],"restricted":0}"#;
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                answer.len()
            );
            tls.write_all(response.as_bytes()).await.unwrap();
            tls.shutdown().await.ok();
            received
        })
    });
    (address, handle)
}

#[test]
fn archives_ask_each_other_who_holds_a_person_and_learn_only_document_facts() {
    let root = tempfile::tempdir().unwrap();
    let catalogue = root.path().join("乙县目录.csv");
    let (liu, liu15) = write_counter_catalogue(&catalogue);
    let more = root.path().join("乙县补充目录.csv");
    write_more_of_b(&more, &liu);

    let a = archive(
        root.path(),
        "甲县档案馆",
        &[sample("retirement_catalogue_gb18030.csv")],
    );
    let b = archive(
        root.path(),
        "乙县档案馆",
        &[catalogue.clone(), more.clone()],
    );
    let c = archive(root.path(), "丙县档案馆", &[]);
    let (a_pin, b_pin, c_pin) = (own_pin(&a), own_pin(&b), own_pin(&c));

    // C is down: its door was open a moment and is closed now.
    let (c_host, c_peers) = start_peer_host(&c, "127.0.0.7", &[]);
    drop(c_host);
    let (b_host, b_peers) = start_peer_host(&b, "127.0.0.6", &[("ARCHIVEDESK_PEER_RATE", "2,6")]);
    add_peer(&a, "乙县档案馆", &b_peers, &b_pin);
    add_peer(&a, "丙县档案馆", &c_peers, &c_pin);
    // A peer at B's address with another key: whoever answers there is not that archive.
    add_peer(&a, "冒名档案馆", &b_peers, &"AB12".repeat(16));
    add_peer(&b, "甲县档案馆", "127.0.0.5:1", &a_pin);

    // A peer that takes connections and never answers: it holds up nobody else.
    let silent = std::net::TcpListener::bind("127.0.0.8:0").unwrap();
    add_peer(
        &a,
        "慢县档案馆",
        &silent.local_addr().unwrap().to_string(),
        &"CD34".repeat(16),
    );

    // A request of another channel is not asked about elsewhere.
    let at_window = ok(run(
        &a,
        &[
            "register",
            "new",
            "--name",
            "刘建国",
            "--id-number",
            &liu,
            "--purpose",
            "退休待遇核定",
            "--sought",
            "工资",
            "--json",
        ],
    ));
    let at_window: serde_json::Value = serde_json::from_str(&at_window).unwrap();
    let refused = run(
        &a,
        &[
            "peers",
            "ask",
            "--request",
            &at_window["id"].to_string(),
            "--peer",
            "乙县档案馆",
            "--with-id",
        ],
    );
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("跨馆"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );

    // The chosen peers, by ID and by name with birth month: B has records, C cannot be reached,
    // the peer with the wrong key is refused; each on its own, none waiting for the others.
    let request = cross_archive_request(&a, "刘建国", &liu);
    let view = ask(
        &a,
        &request,
        &["乙县档案馆", "丙县档案馆", "冒名档案馆", "慢县档案馆"],
        &["--with-id", "--with-name"],
    );
    assert_eq!(view["done"], true);
    let from_b = answer_of(&view, "乙县档案馆");
    assert_eq!(from_b["state"], "found", "{from_b}");
    assert!(
        from_b["millis"].as_u64().unwrap() < 3_000,
        "B waited for the silent peer: {from_b}"
    );
    assert_eq!(answer_of(&view, "慢县档案馆")["state"], "timeout");
    let facts = &from_b["facts"];
    assert_eq!(facts["archive_name"], "乙县档案馆");
    let groups = facts["groups"].as_array().unwrap();
    let wage_1998 = groups
        .iter()
        .find(|g| g["category"] == "工资调整" && g["year"] == 1998)
        .unwrap_or_else(|| panic!("no 1998 wage record in {facts}"));
    assert_eq!(wage_1998["matched_by"], "id");
    let retired = groups
        .iter()
        .filter(|g| g["category"] == "退休审批")
        .flat_map(|g| g["titles"].as_array().unwrap())
        .map(|t| t.as_str().unwrap())
        .collect::<Vec<_>>();
    assert!(
        retired.contains(&"关于同意＊＊＊同志退休的批复"),
        "{retired:?}"
    );
    let records: u64 = groups.iter().map(|g| g["records"].as_u64().unwrap()).sum();
    assert!(records >= 6, "{facts}");
    assert_eq!(
        facts["restricted"], 1,
        "the controlled appointment is counted: {facts}"
    );
    assert_nothing_personal(&from_b.to_string(), &[&liu, &liu15]);
    let from_c = answer_of(&view, "丙县档案馆");
    assert_eq!(from_c["state"], "unreachable", "{from_c}");
    let impostor = answer_of(&view, "冒名档案馆");
    assert_eq!(impostor["state"], "refused", "{impostor}");
    assert!(
        impostor["message"].as_str().unwrap().contains("密钥"),
        "{impostor}"
    );

    // Asking every archive: the province's list gives A and B the shared key; the question
    // carries the keyed hash alone, as a listener in D's place receives it.
    let d_key =
        TlsKey::load_or_make(&root.path().join("丁县密钥.pem"), "archivedesk-host").unwrap();
    let d_pin = d_key.pin();
    let (d_address, d_received) = capture_one_question(d_key);
    let list = root.path().join("省档案馆名单.json");
    std::fs::write(
        &list,
        serde_json::json!({
            "province": "测试省",
            "hash_key": "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
            "peers": [
                { "name": "甲县档案馆", "address": "127.0.0.5:1", "pin": a_pin },
                { "name": "乙县档案馆", "address": b_peers, "pin": b_pin },
                { "name": "丁县档案馆", "address": d_address, "pin": d_pin.shown() },
            ]
        })
        .to_string(),
    )
    .unwrap();
    let shown = ok(run(&a, &["peers", "import", list.to_str().unwrap()]));
    assert!(
        shown.contains(&d_pin.shown()) && shown.contains("--yes"),
        "{shown}"
    );
    assert!(
        !ok(run(&a, &["peers"])).contains("丁县档案馆"),
        "taken in before --yes"
    );
    ok(run(
        &a,
        &["peers", "import", list.to_str().unwrap(), "--yes"],
    ));
    ok(run(
        &b,
        &["peers", "import", list.to_str().unwrap(), "--yes"],
    ));
    // B reads its peers and the shared key afresh for every question: no restart.
    ok(run(&a, &["peers", "remove", "冒名档案馆"]));
    ok(run(&a, &["peers", "remove", "丙县档案馆"]));
    ok(run(&a, &["peers", "remove", "慢县档案馆"]));
    drop(silent);
    // A list does not bring back a key a supervisor removed, nor give a known name a new key.
    let later = root.path().join("省档案馆名单（更新）.json");
    std::fs::write(
        &later,
        serde_json::json!({
            "province": "测试省",
            "peers": [
                { "name": "丙县档案馆", "address": c_peers, "pin": c_pin },
                { "name": "乙县档案馆", "address": b_peers, "pin": "EF56".repeat(16) },
            ]
        })
        .to_string(),
    )
    .unwrap();
    let shown = ok(run(
        &a,
        &["peers", "import", later.to_str().unwrap(), "--yes"],
    ));
    assert!(
        shown.contains("曾被删除，不导入") && shown.contains("密钥不同，不导入"),
        "{shown}"
    );
    let listed = ok(run(&a, &["peers"]));
    assert!(
        !listed.contains("丙县档案馆") && !listed.contains(&"ef56".repeat(16)),
        "{listed}"
    );

    let all = ask(&a, &request, &[], &[]);
    assert_eq!(all["mode"], "hash");
    let from_b = answer_of(&all, "乙县档案馆");
    assert_eq!(from_b["state"], "found", "{from_b}");
    assert_nothing_personal(&from_b.to_string(), &[&liu, &liu15]);
    assert_eq!(answer_of(&all, "丁县档案馆")["state"], "none");
    let received = String::from_utf8(d_received.join().unwrap()).unwrap();
    let (_, body) = received.split_once("\r\n\r\n").unwrap();
    let question: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(question["id_hash"].as_str().unwrap().len(), 64, "{body}");
    assert!(
        question["id_number"].is_null()
            && question["name"].is_null()
            && question["birth"].is_null(),
        "{body}"
    );
    assert!(
        !body.contains("刘建国") && !body.contains(&liu[..14]) && !body.contains(&liu15[..12]),
        "{body}"
    );
    assert_eq!(question["asking"]["request_no"], request.as_str());
    assert_eq!(question["asking"]["channel"], "跨馆");

    // An archive B does not know is refused, and so is a known one over its rate.
    let stranger =
        TlsKey::load_or_make(&root.path().join("陌生密钥.pem"), "archivedesk-host").unwrap();
    assert_eq!(
        ask_directly(&stranger, &b_peers, &b_pin, &liu, 1),
        vec![403]
    );
    let a_key = TlsKey::load_or_make(&a.join("lan_key.pem"), "archivedesk-host").unwrap();
    let statuses = ask_directly(&a_key, &b_peers, &b_pin, &liu, 12);
    assert!(
        statuses.contains(&200) && statuses.contains(&429),
        "{statuses:?}"
    );

    drop(b_host);
    // Both trails: A's ask and the answers it got; B's answers with A's request, clerk, purpose
    // and channel, by what it was asked, and its refusals.
    let asked = trail_rows(&a, "peer_asked");
    assert_eq!(asked.len(), 2, "{asked:?}");
    assert!(!trail_rows(&a, "peer_answers").is_empty());
    let answered = trail_rows(&b, "peer_answered");
    assert!(answered.len() >= 3, "{answered:?}");
    let details: Vec<serde_json::Value> = answered
        .iter()
        .map(|r| serde_json::from_str(r["detail"].as_str().unwrap()).unwrap())
        .collect();
    assert!(
        details
            .iter()
            .any(|d| d["asked_by"] == "id_hash" && d["request_no"] == request.as_str()),
        "{details:?}"
    );
    assert!(details.iter().any(|d| d["asked_by"] == "id_and_name"
        && d["purpose"] == "退休待遇核定"
        && d["channel"] == "跨馆"));
    assert!(
        answered
            .iter()
            .all(|r| r["actor"].as_str().unwrap().contains("甲县档案馆")),
        "{answered:?}"
    );
    let refusals: Vec<String> = trail_rows(&b, "peer_refused")
        .iter()
        .map(|r| r["detail"].as_str().unwrap().to_string())
        .collect();
    assert!(
        refusals
            .iter()
            .any(|d| d.contains("unknown_key") && d.contains(&stranger.pin().hex())),
        "{refusals:?}"
    );
    assert!(
        refusals.iter().any(|d| d.contains("over_rate")),
        "{refusals:?}"
    );
}

#[test]
fn a_peer_door_answers_peers_alone_and_refuses_what_is_not_a_peer_question() {
    let root = tempfile::tempdir().unwrap();
    let b = archive(root.path(), "乙县档案馆", &[]);
    let a = archive(root.path(), "甲县档案馆", &[]);
    add_peer(&b, "甲县档案馆", "127.0.0.5:1", &own_pin(&a));
    let a_key = TlsKey::load_or_make(&a.join("lan_key.pem"), "archivedesk-host").unwrap();

    // An archive of one PC: its browser's door on loopback, and beside it the peers' door with
    // the archive's own key.
    let mut one_pc = common::lan_host::program()
        .arg("--data-dir")
        .arg(&b)
        .args([
            "serve",
            "--listen",
            "127.0.0.6:0",
            "--peer-door",
            "127.0.0.6:0",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let peer_door = {
        use std::io::BufRead;
        let mut lines = std::io::BufReader::new(one_pc.stdout.take().unwrap()).lines();
        let url = lines.next().unwrap().unwrap();
        assert!(url.starts_with("http://127.0.0.6:"), "{url}");
        let line = lines.next().unwrap().unwrap();
        line.strip_prefix("跨馆地址").unwrap().trim().to_string()
    };
    let answered = ask_directly(
        &a_key,
        &peer_door,
        &own_pin(&b),
        &id18("43112819490512003"),
        1,
    );
    let _ = one_pc.kill();
    let _ = one_pc.wait();
    assert_eq!(answered, [200], "a peer's question to an archive of one PC");

    let (host, peers) = start_peer_host(&b, "127.0.0.6", &[]);
    let b_pin = host.pin.clone();
    // The desks' operations are not on the peer door, even for a peer.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let link = HostLink::new(&peers, &a_key, Some(Pin::parse(&b_pin).unwrap())).unwrap();
    for path in [
        "/api/search",
        "/api/desk_session",
        "/lan/pair/answer",
        "/api/page",
    ] {
        let status = runtime.block_on(async {
            let request = hyper::Request::post(path)
                .header(hyper::header::HOST, &peers)
                .header(hyper::header::CONTENT_TYPE, "application/json")
                .body(axum::body::Body::from("{}"))
                .unwrap();
            link.send(request).await.unwrap().status().as_u16()
        });
        assert_eq!(status, 404, "{path} answered on the peer door");
    }
    // A peer's key is no desk's: the LAN door refuses it.
    let at_lan_door = runtime.block_on(async {
        let lan = HostLink::new(&host.address, &a_key, Some(Pin::parse(&b_pin).unwrap())).unwrap();
        let request = hyper::Request::post("/api/desk_session")
            .header(hyper::header::HOST, &host.address)
            .header(hyper::header::CONTENT_TYPE, "application/json")
            .body(axum::body::Body::from("{}"))
            .unwrap();
        lan.send(request).await.unwrap().status().as_u16()
    });
    assert_eq!(at_lan_door, 403);
    // A peer's certificate copied without its key: the handshake fails at the proof of the key,
    // before any request, and the door records it.
    let stranger =
        TlsKey::load_or_make(&root.path().join("陌生密钥.pem"), "archivedesk-host").unwrap();
    let copied = copied_certificate(a_key.certificate(), &stranger, Pin::parse(&b_pin).unwrap());
    let said = runtime.block_on(async {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let tcp = tokio::net::TcpStream::connect(&peers).await.unwrap();
        let connector = tokio_rustls::TlsConnector::from(std::sync::Arc::new(copied));
        match connector.connect(archivedesk::lan::tls::server_name(&peers), tcp).await {
            Err(e) => format!("refused at the handshake: {e}"),
            // In TLS 1.3 the client finishes first; the door then sends its alert and nothing more.
            Ok(mut tls) => {
                let _ = tls
                    .write_all(b"POST /peer/v1/who_holds HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
                    .await;
                let mut answer = Vec::new();
                let read = tls.read_to_end(&mut answer).await;
                format!("{read:?} {}", String::from_utf8_lossy(&answer))
            }
        }
    });
    assert!(
        !said.contains("HTTP/1.1"),
        "the copied certificate was answered: {said}"
    );
    // A question that does not say who asks is refused.
    let status = runtime.block_on(async {
        let request = hyper::Request::post(WHO_HOLDS_PATH)
            .header(hyper::header::HOST, &peers)
            .header(hyper::header::CONTENT_TYPE, "application/json")
            .body(axum::body::Body::from(
                r#"{"id_number":"110105194905120031"}"#,
            ))
            .unwrap();
        link.send(request).await.unwrap().status().as_u16()
    });
    assert_eq!(status, 400);
    drop(host);
    let refusals: Vec<String> = trail_rows(&b, "peer_refused")
        .iter()
        .map(|r| r["detail"].as_str().unwrap().to_string())
        .collect();
    assert!(
        refusals.iter().any(|d| d.contains("handshake_failed")),
        "{refusals:?}"
    );
    assert!(
        refusals.iter().any(|d| d.contains("bad_question")),
        "{refusals:?}"
    );
}

/// A client presenting `certificate` (another archive's, copied) while signing with `signer`'s
/// key, as someone holding the certificate file alone would.
fn copied_certificate(
    certificate: rustls::pki_types::CertificateDer<'static>,
    signer: &TlsKey,
    host: Pin,
) -> rustls::ClientConfig {
    let mut config = archivedesk::lan::tls::desk_config(signer, Some(host)).unwrap();
    let key = rustls::crypto::ring::sign::any_supported_type(&signer.private_key()).unwrap();
    let presented = rustls::sign::CertifiedKey::new(vec![certificate], key);
    config.client_auth_cert_resolver = std::sync::Arc::new(Copied(std::sync::Arc::new(presented)));
    config
}

#[derive(Debug)]
struct Copied(std::sync::Arc<rustls::sign::CertifiedKey>);

impl rustls::client::ResolvesClientCert for Copied {
    fn resolve(
        &self,
        _hints: &[&[u8]],
        _schemes: &[rustls::SignatureScheme],
    ) -> Option<std::sync::Arc<rustls::sign::CertifiedKey>> {
        Some(std::sync::Arc::clone(&self.0))
    }

    fn has_certs(&self) -> bool {
        true
    }
}
