//! A LAN host (`serve --lan`) and desks (`serve --connect`) as real processes on loopback
//! addresses, for the LAN tests: archives with a supervisor, the host's printed address, key and
//! pairing code, a desk's door and its pairing file.

use super::server::*;
use super::*;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The host's loopback address: another than the desks' own doors use.
pub const HOST_IP: &str = "127.0.0.2";

pub struct Host {
    pub child: Child,
    pub address: String,
    pub pin: String,
    pub code: String,
}

impl Drop for Host {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn program() -> Command {
    Command::new(env!("CARGO_BIN_EXE_archivedesk"))
}

/// A data folder named `name` holding the sample retirement catalogue.
pub fn archive_with_sample(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join(name);
    archivedesk(
        &data,
        &[
            "import",
            sample("retirement_catalogue_gb18030.csv").to_str().unwrap(),
        ],
    );
    (dir, data)
}

/// The program run to its end on `data` with `args`.
pub fn run(data: &Path, args: &[&str]) -> std::process::Output {
    program()
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

pub fn archive_with_supervisor() -> (tempfile::TempDir, PathBuf) {
    let (dir, data) = archive_with_sample("主机档案数据");
    add_supervisor(&data);
    (dir, data)
}

/// The supervisor `tester` (password `test-password`), made with the command line.
pub fn add_supervisor(data: &Path) {
    let made = program()
        .arg("--data-dir")
        .arg(data)
        .args([
            "clerk",
            "add",
            "tester",
            "--name",
            "测试员",
            "--role",
            "supervisor",
        ])
        .env("ARCHIVEDESK_PASSWORD", "test-password")
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
}

pub fn start_host(data: &Path) -> Host {
    start_host_at(data, &format!("{HOST_IP}:0"), None)
}

/// The host on `address`, with a failpoint (`ARCHIVEDESK_FAILPOINT`) when one is given.
pub fn start_host_at(data: &Path, address: &str, failpoint: Option<&str>) -> Host {
    let mut command = program();
    if let Some(point) = failpoint {
        command.env("ARCHIVEDESK_FAILPOINT", point);
    }
    let mut child = command
        .arg("--data-dir")
        .arg(data)
        .args(["serve", "--lan", address])
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
    let code_line = next("配对码");
    let code = code_line.split('（').next().unwrap().trim().to_string();
    std::thread::spawn(move || lines.for_each(drop));
    Host {
        child,
        address,
        pin,
        code,
    }
}

/// A desk's own door, paired first when `code` is given; its first line is the URL to open.
pub fn start_desk(data: &Path, host: &str, code: Option<&str>) -> Result<Server, String> {
    let mut command = program();
    command.arg("--data-dir").arg(data).args([
        "serve",
        "--connect",
        host,
        "--listen",
        "127.0.0.1:0",
    ]);
    if let Some(code) = code {
        command.args(["--pair", code]);
    }
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    // What it says later is read, so that it never writes into a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let Some(rest) = first.trim().strip_prefix("http://") else {
        let mut said = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut said)
            .unwrap();
        let _ = child.wait();
        return Err(said);
    };
    let (address, token) = rest.split_once("/?token=").unwrap();
    Ok(Server {
        child,
        host: address.to_string(),
        token: token.to_string(),
        login: String::new(),
    })
}

pub fn logged_in(mut desk: Server) -> Server {
    desk.login = log_in(&desk);
    desk
}

pub fn desk_config(data: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(data.join("lan_desk.json")).unwrap()).unwrap()
}
