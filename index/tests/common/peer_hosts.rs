//! Archives as real processes on loopback addresses, for the tests of what they say to each
//! other (跨馆): hosts serving their peer doors, each archive's key hash, peers added both ways.

use super::lan_host::{add_supervisor, program, run, Host};
use super::write_gb18030_csv;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;

/// A host serving its LAN door and its peer door on `ip`; answers the host and the peer door's
/// address (the 跨馆地址 line).
pub fn start_peer_host(data: &Path, ip: &str, env: &[(&str, &str)]) -> (Host, String) {
    start_peer_host_at(data, &format!("{ip}:0"), &format!("{ip}:0"), env)
}

/// A host serving its LAN door and its peer door at these addresses (a restarted host keeps
/// its peer door's address, as other archives know it).
pub fn start_peer_host_at(
    data: &Path,
    lan: &str,
    peer_door: &str,
    env: &[(&str, &str)],
) -> (Host, String) {
    let mut command = program();
    command.envs(env.iter().copied());
    let mut child = command
        .arg("--data-dir")
        .arg(data)
        .args(["serve", "--lan", lan, "--peer-door", peer_door])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut next = |prefix: &str| {
        let line = lines.next().unwrap().unwrap();
        line.strip_prefix(prefix)
            .unwrap_or_else(|| panic!("expected a line beginning with {prefix}: {line:?}"))
            .trim()
            .to_string()
    };
    let address = next("地址");
    let pin = next("主机密钥 SHA-256");
    let peer_address = next("跨馆地址");
    let code = next("配对码");
    std::thread::spawn(move || lines.for_each(drop));
    (
        Host {
            child,
            address,
            pin,
            code,
        },
        peer_address,
    )
}

pub fn ok(output: std::process::Output) -> String {
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// An archive's own key hash, as `peers` prints it.
pub fn own_pin(data: &Path) -> String {
    let listed = ok(run(data, &["peers"]));
    listed
        .lines()
        .find_map(|l| l.strip_prefix("本馆密钥 SHA-256"))
        .unwrap()
        .trim()
        .to_string()
}

pub fn add_peer(data: &Path, name: &str, address: &str, pin: &str) {
    ok(run(
        data,
        &[
            "peers",
            "add",
            "--name",
            name,
            "--address",
            address,
            "--pin",
            pin,
        ],
    ));
}

/// An archive with a supervisor, the named catalogue files imported.
pub fn archive(root: &Path, name: &str, files: &[PathBuf]) -> PathBuf {
    let data = root.join(name);
    let mut args = vec!["import".to_string()];
    args.extend(files.iter().map(|f| f.to_str().unwrap().to_string()));
    if files.is_empty() {
        args = vec!["init".into()];
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ok(run(&data, &args));
    ok(run(&data, &["init", "--name", name]));
    add_supervisor(&data);
    data
}

/// B's holdings beyond the counter catalogue: 刘建国's 1998 wages, a retirement approval whose
/// title names him, and a controlled appointment record.
pub fn write_more_of_b(path: &Path, liu: &str) {
    write_gb18030_csv(
        path,
        &[
            "档号,题名,类别,成文日期,姓名,性别,出生年月,身份证号码,工作单位,调整前工资,调整后工资,开放标识",
            &format!("J012-WS·1999-Y-0040,城关镇供销社1999年工资调整表,工资调整,1999年10月,刘建国,男,1949年5月,{liu},城关镇供销社,412.50,468.00,开放"),
            "J012-WS·1999-Y-0040,城关镇供销社1999年工资调整表,工资调整,1999年10月,王淑芬,女,1952年3月,,城关镇供销社,388.00,431.00,开放",
            &format!("J012-TX·2009-Y-0011,关于同意刘建国同志退休的批复,退休审批,2009年6月,刘建国,男,1949年5月,{liu},城关镇供销社,,,开放"),
            &format!("J012-RM·1990-Y-0002,关于刘建国同志任职的通知,干部任免,1990年4月,刘建国,男,1949年5月,{liu},城关镇供销社,,,控制"),
        ],
    );
}

/// A 跨馆 request for the person with `id` registered at `data`; answers its number.
pub fn cross_archive_request(data: &Path, name: &str, id: &str) -> String {
    let made = ok(run(
        data,
        &[
            "register",
            "new",
            "--name",
            name,
            "--id-number",
            id,
            "--purpose",
            "退休待遇核定",
            "--channel",
            "跨馆",
            "--sought",
            "本人工资调整和退休审批记录",
            "--json",
        ],
    ));
    let made: serde_json::Value = serde_json::from_str(&made).unwrap();
    made["id"].as_i64().unwrap().to_string()
}

/// Two addresses on `ip` with ports free now, and not the same port (both are held until both
/// are known): a restarted host keeps them.
pub fn two_free_addresses(ip: &str) -> (String, String) {
    let first = std::net::TcpListener::bind(format!("{ip}:0")).unwrap();
    let second = std::net::TcpListener::bind(format!("{ip}:0")).unwrap();
    (
        first.local_addr().unwrap().to_string(),
        second.local_addr().unwrap().to_string(),
    )
}

/// Asks `what` again until it holds, for at most 20 s.
pub fn eventually<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let started = std::time::Instant::now();
    loop {
        if let Some(done) = check() {
            return done;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "never: {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
}

/// The rows of the archive's trail for `action`, as `audit list` shows them.
pub fn trail_rows(data: &Path, action: &str) -> Vec<serde_json::Value> {
    let rows: serde_json::Value = serde_json::from_str(&ok(run(
        data,
        &["audit", "list", "--limit", "500", "--json"],
    )))
    .unwrap();
    rows.as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"] == action)
        .cloned()
        .collect()
}

/// A photo of 刘建国's ID card, as the counter captures it.
pub fn id_card(dir: &Path) -> PathBuf {
    let path = dir.join("刘建国身份证.jpg");
    image::RgbImage::from_pixel(320, 200, image::Rgb([230, 220, 200]))
        .save(&path)
        .unwrap();
    path
}

/// The ID card filed with the request at `data`, then its application sent to `peer`.
pub fn send_with_id_card(data: &Path, request: &str, card: &Path, peer: &str) {
    ok(run(
        data,
        &[
            "register",
            "proof",
            request,
            "--kind",
            "id_card",
            card.to_str().unwrap(),
        ],
    ));
    ok(run(
        data,
        &["cross", "send", "--request", request, "--peer", peer],
    ));
}

/// The application a 跨馆 request at `a` sent, as its clerk's `register show` has it.
pub fn sent_state(a: &Path, request: &str) -> serde_json::Value {
    let shown = ok(run(a, &["register", "show", request, "--json"]));
    serde_json::from_str::<serde_json::Value>(&shown).unwrap()["cross_sent"][0].clone()
}
