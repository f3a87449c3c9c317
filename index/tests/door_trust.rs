//! The HTTP door against a hostile clerk, with the real `archivedesk serve`: looks that survive a
//! killed process, logins that slow a guesser down and end when the account changes, what is
//! answered before a login, page images only within a recorded view, certificates of many pages
//! verified, and uploads that belong to the clerk who made them.

mod common;

use common::counter::*;
use common::server::*;
use std::path::Path;
use std::time::{Duration, Instant};

/// The wage table of the counter's tests, ready to be served.
fn counter_archive(dir: &Path) -> std::path::PathBuf {
    let (archive, _) = archive_with_wage_table(dir);
    let data = archive.data_dir().to_path_buf();
    drop(archive);
    data
}

fn post(server: &Server, op: &str, cookie: Option<&str>, body: serde_json::Value) -> Answer {
    let mut headers = vec![bearer(server), "Content-Type: application/json".into()];
    if let Some(cookie) = cookie {
        headers.push(format!("Cookie: {cookie}"));
    }
    send(
        server,
        "POST",
        &format!("/api/{op}"),
        &headers,
        body.to_string().as_bytes(),
    )
}

/// Logs `login` in; the login cookie, or the refusal.
fn login_as(server: &Server, login: &str, password: &str) -> Result<String, Answer> {
    let answer = post(
        server,
        "login",
        None,
        serde_json::json!({ "login": login, "password": password }),
    );
    if answer.status != 200 {
        return Err(answer);
    }
    Ok(answer
        .header("set-cookie")
        .expect("a login cookie")
        .split(';')
        .next()
        .unwrap()
        .to_string())
}

/// A clerk's account made by the supervisor the tests log in as.
fn make_clerk(server: &Server, login: &str, password: &str) -> i64 {
    let made = call(
        server,
        "create_clerk",
        serde_json::json!({"login": login, "display_name": "张丽", "role": "clerk", "password": password}),
    );
    assert_eq!(made.status, 200, "{}", String::from_utf8_lossy(&made.body));
    made.json()["id"].as_i64().unwrap()
}

fn trail_actions(data: &Path) -> Vec<(String, String)> {
    let mut archive = archivedesk::Archive::open(data).unwrap();
    archive.chain_looks().unwrap();
    let conn = rusqlite::Connection::open(data.join("archive.sqlite3")).unwrap();
    let mut stmt = conn
        .prepare("SELECT actor, action FROM audit_log ORDER BY seq")
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    rows
}

#[test]
fn looks_survive_a_killed_door() {
    let dir = tempfile::tempdir().unwrap();
    let data = counter_archive(dir.path());
    let mut server = serve(&data);
    // Another program holds the database for writing, as an import does for minutes.
    let holder = rusqlite::Connection::open(data.join("archive.sqlite3")).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    for query in ["620102", "刘建国", "王磊"] {
        assert_eq!(
            call(&server, "search", serde_json::json!({ "query": query })).status,
            200
        );
    }
    let viewed = call(&server, "document", serde_json::json!({ "reference": REF }));
    assert_eq!(viewed.status, 200);
    // Killed at once: no chance to write anything on the way out.
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    holder.execute_batch("COMMIT").unwrap();
    let actions: Vec<String> = trail_actions(&data).into_iter().map(|(_, a)| a).collect();
    let searches = actions.iter().filter(|a| *a == "search").count();
    assert_eq!(searches, 3, "{actions:?}");
    assert!(actions.contains(&"login".to_string()));
    assert!(actions.contains(&"view_record".to_string()));
}

#[cfg(unix)]
#[test]
fn sigterm_closes_the_archive_with_its_looks_chained_and_anchored() {
    let dir = tempfile::tempdir().unwrap();
    let data = counter_archive(dir.path());
    let mut server = serve(&data);
    call(&server, "search", serde_json::json!({ "query": "刘建国" }));
    let pid = server.child.id().to_string();
    let signal = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(signal.success());
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    // Chained and anchored by the door itself as it closed: the journal is empty.
    let journal = rusqlite::Connection::open(data.join("journal.sqlite3")).unwrap();
    let waiting: i64 = journal
        .query_row("SELECT COUNT(*) FROM looks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(waiting, 0);
    let conn = rusqlite::Connection::open(data.join("archive.sqlite3")).unwrap();
    let (search, last_anchor): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT MAX(seq) FROM audit_log WHERE action = 'search'),
                    (SELECT MAX(seq) FROM audit_log WHERE action = 'anchor')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(
        last_anchor > search,
        "the anchor written on close covers the search"
    );
}

#[test]
fn a_guesser_is_slowed_down_and_a_supervisor_lets_the_clerk_back_in() {
    let dir = tempfile::tempdir().unwrap();
    let data = counter_archive(dir.path());
    let server = serve(&data);
    make_clerk(&server, "zhangli", "档案查询台-柜台3号");
    let started = Instant::now();
    let mut slowed = 0;
    for n in 0..100 {
        match login_as(&server, "zhangli", &format!("guess-{n}")) {
            Ok(_) => panic!("a wrong password let in"),
            Err(answer) if answer.status == 429 => slowed += 1,
            Err(answer) => assert_eq!(answer.status, 401),
        }
    }
    assert!(slowed >= 90, "only {slowed} of 100 guesses were slowed");
    assert!(started.elapsed() < Duration::from_secs(60));
    let refused = login_as(&server, "zhangli", "档案查询台-柜台3号").unwrap_err();
    assert_eq!(refused.status, 429, "the right password waits too");
    assert!(refused.json()["message"]
        .as_str()
        .unwrap()
        .contains("秒后再试"));

    let clerks = call(&server, "clerks", serde_json::json!({})).json();
    let zhang = clerks
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["login"] == "zhangli")
        .unwrap();
    assert!(zhang["failed_logins"].as_i64().unwrap() >= 4);
    assert!(zhang["login_delay_seconds"].as_i64().unwrap() > 0);
    let cleared = call(
        &server,
        "clear_login_delay",
        serde_json::json!({ "login": "zhangli" }),
    );
    assert_eq!(cleared.status, 200);
    assert!(login_as(&server, "zhangli", "档案查询台-柜台3号").is_ok());
    drop(server);
    let actions: Vec<String> = trail_actions(&data).into_iter().map(|(_, a)| a).collect();
    let count = |what: &str| actions.iter().filter(|a| *a == what).count();
    assert!(count("login_failed") >= 4);
    assert!(count("login_delay") >= 1);
    assert!(count("login_slowed") >= 90);
    assert_eq!(count("login_delay_cleared"), 1);
}

#[test]
fn an_unknown_login_is_refused_as_slowly_as_a_wrong_password() {
    let dir = tempfile::tempdir().unwrap();
    let data = counter_archive(dir.path());
    let server = serve(&data);
    make_clerk(&server, "zhangli", "档案查询台-柜台3号");
    let timed = |login: &str| {
        let started = Instant::now();
        let answer = login_as(&server, login, "wrong-password").unwrap_err();
        assert_eq!(answer.status, 401);
        started.elapsed()
    };
    // Three each: within the failures allowed before any delay.
    let known = (0..3).map(|_| timed("zhangli")).min().unwrap();
    let unknown = (0..3).map(|n| timed(&format!("nobody{n}"))).min().unwrap();
    assert!(
        unknown * 3 >= known,
        "an unknown login answered in {unknown:?}, a known one in {known:?}"
    );
}

#[test]
fn a_change_to_the_account_ends_its_logins_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = counter_archive(dir.path());
    let server = serve(&data);
    let id = make_clerk(&server, "zhangli", "档案查询台-柜台3号");
    let search = |cookie: &str| {
        post(
            &server,
            "search",
            Some(cookie),
            serde_json::json!({ "query": "刘建国" }),
        )
    };
    let zhang = login_as(&server, "zhangli", "档案查询台-柜台3号").unwrap();
    assert_eq!(search(&zhang).status, 200);
    let change = |body: serde_json::Value| {
        let answer = call(&server, "change_clerk", body);
        assert_eq!(
            answer.status,
            200,
            "{}",
            String::from_utf8_lossy(&answer.body)
        );
    };
    change(serde_json::json!({ "clerk_id": id, "disabled": true }));
    let ended = search(&zhang);
    assert_eq!(ended.status, 401);
    assert!(ended.json()["message"].as_str().unwrap().contains("停用"));
    assert_eq!(
        login_as(&server, "zhangli", "档案查询台-柜台3号")
            .unwrap_err()
            .status,
        401
    );
    change(serde_json::json!({ "clerk_id": id, "disabled": false }));
    let zhang = login_as(&server, "zhangli", "档案查询台-柜台3号").unwrap();
    change(serde_json::json!({ "clerk_id": id, "role": "supervisor" }));
    assert_eq!(search(&zhang).status, 401, "a new role needs a new login");

    // A reset password must be changed before anything else.
    change(serde_json::json!({ "clerk_id": id, "reset_password": "临时密码-请尽快修改" }));
    let zhang = login_as(&server, "zhangli", "临时密码-请尽快修改").unwrap();
    assert_eq!(search(&zhang).status, 403);
    // Nor through the door's own routes: uploads, imports, pages.
    let (content_type, body) = multipart(&[("名册.csv", b"a,b\n".to_vec())]);
    let upload = send(
        &server,
        "POST",
        "/api/upload",
        &[bearer(&server), format!("Cookie: {zhang}"), content_type],
        &body,
    );
    assert_eq!(upload.status, 403);
    let page = send(
        &server,
        "GET",
        "/api/page/1/1",
        &[bearer(&server), format!("Cookie: {zhang}")],
        b"",
    );
    assert_eq!(page.status, 403);
    let weak = post(
        &server,
        "change_password",
        Some(&zhang),
        serde_json::json!({ "current_password": "临时密码-请尽快修改", "new_password": "12345678" }),
    );
    assert_eq!(weak.status, 400, "a common password is refused");
    let changed = post(
        &server,
        "change_password",
        Some(&zhang),
        serde_json::json!({ "current_password": "临时密码-请尽快修改", "new_password": "新的柜台密码-2026" }),
    );
    assert_eq!(changed.status, 200);
    let renewed = changed
        .header("set-cookie")
        .expect("the door keeps the clerk logged in under a new login")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(search(&renewed).status, 200);
    assert_eq!(search(&zhang).status, 401, "the old login ended");
}

#[test]
fn before_a_login_the_door_tells_only_what_the_login_screen_needs() {
    let dir = tempfile::tempdir().unwrap();
    let data = counter_archive(dir.path());
    let server = serve(&data);
    let status = post(&server, "status", None, serde_json::json!({}));
    assert_eq!(status.status, 401);
    let desk = post(&server, "desk_session", None, serde_json::json!({}));
    assert_eq!(desk.status, 200);
    let text = String::from_utf8_lossy(&desk.body).to_string();
    assert!(text.contains("城关区档案馆"), "{text}");
    assert!(
        !text.contains(&data.display().to_string()),
        "no data folder: {text}"
    );
    assert!(
        !text.contains("entries") && !text.contains("documents"),
        "no totals: {text}"
    );
}

#[test]
fn pages_are_served_within_a_recorded_view_and_never_cached() {
    let dir = tempfile::tempdir().unwrap();
    let data = counter_archive(dir.path());
    let server = serve(&data);
    let document = {
        let archive = archivedesk::Archive::open(&data).unwrap();
        archive.show(REF).unwrap().id
    };
    let page = |cookie: &str| {
        send(
            &server,
            "GET",
            &format!("/api/page/{document}/1?size=preview"),
            &[bearer(&server), format!("Cookie: {cookie}")],
            b"",
        )
    };
    assert_eq!(page(&server.login).status, 403, "no view of the record yet");
    call(
        &server,
        "document",
        serde_json::json!({ "document_id": document }),
    );
    let shown = page(&server.login);
    assert_eq!(shown.status, 200);
    assert_eq!(shown.header("cache-control"), Some("no-store"));
    // A clerk who logs in at the same browser next has no view of it.
    make_clerk(&server, "zhangli", "档案查询台-柜台3号");
    let zhang = login_as(&server, "zhangli", "档案查询台-柜台3号").unwrap();
    assert_eq!(page(&zhang).status, 403);
}

/// A certificate of eight large scanned pages (several MB of PDF) is verified through the
/// door, byte for byte.
#[test]
fn a_certificate_of_many_pages_is_verified_through_the_door() {
    let dir = tempfile::tempdir().unwrap();
    let (data, request_id) = liu_with_eight_noisy_pages(dir.path(), 1240, 1754);
    let mut archive = archivedesk::Archive::open(&data).unwrap();
    let issued = archive
        .issue_certificate(&archivedesk::api::IssueRequest {
            request_id,
            confirmed: None,
        })
        .unwrap();
    let (_, pdf) = archive.certificate_pdf(&issued.number).unwrap();
    drop(archive);
    assert!(
        pdf.len() > 3 << 20,
        "a large certificate: {} bytes",
        pdf.len()
    );
    let server = serve(&data);
    use base64::Engine;
    let verified = call(
        &server,
        "verify_certificate",
        serde_json::json!({
            "code": issued.verify_code,
            "pdf_base64": base64::engine::general_purpose::STANDARD.encode(&pdf),
        }),
    );
    assert_eq!(
        verified.status,
        200,
        "{}",
        String::from_utf8_lossy(&verified.body)
    );
    let result = verified.json();
    assert_eq!(result["valid"], true);
    assert_eq!(result["pdf_matches"], true);
}

#[test]
fn uploads_belong_to_the_clerk_who_made_them_and_are_capped() {
    let dir = tempfile::tempdir().unwrap();
    let data = counter_archive(dir.path());
    let server = serve(&data);
    make_clerk(&server, "zhangli", "档案查询台-柜台3号");
    let zhang = login_as(&server, "zhangli", "档案查询台-柜台3号").unwrap();
    let (content_type, body) = multipart(&[("名册.csv", b"a,b\n1,2\n".to_vec())]);
    let mine = send(
        &server,
        "POST",
        "/api/upload",
        &[signed_in(&server), vec![content_type.clone()]].concat(),
        &body,
    )
    .json();
    let id = mine["files"][0]["upload"].as_str().unwrap().to_string();
    let taken = post(
        &server,
        "import_start",
        Some(&zhang),
        serde_json::json!({ "uploads": [id], "dry_run": true }),
    );
    assert_eq!(
        taken.status, 404,
        "another clerk's upload does not exist for her"
    );
    let many: Vec<(String, Vec<u8>)> = (0..51)
        .map(|n| (format!("名册{n}.csv"), b"a,b\n".to_vec()))
        .collect();
    let named: Vec<(&str, Vec<u8>)> = many.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let (content_type, body) = multipart(&named);
    let capped = send(
        &server,
        "POST",
        "/api/upload",
        &[
            vec![bearer(&server), format!("Cookie: {zhang}")],
            vec![content_type],
        ]
        .concat(),
        &body,
    );
    assert_eq!(capped.status, 400);
    assert!(capped.json()["message"].as_str().unwrap().contains("50"));
}
