//! The processes of the LAN benchmark: the host (`serve --lan`), the desks (`serve --connect`,
//! each paired with a code the host or a supervisor opened), and the accounts they log in with.

use super::super::loopback_client::LoopbackClient;
use super::super::soak::{call, Server, LOGIN, PASSWORD};
use crate::api::{NewClerk, Role};
use crate::error::{Error, ErrorCode, Result};
use crate::Archive;
use serde_json::json;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

/// The host listens on another loopback address than the desks' own doors.
const HOST_ADDRESS: &str = "127.0.0.2:0";
pub(super) const CLERK_PASSWORD: &str = "desk-bench-pass-2026";

/// One clerk's account per desk (`desk1` …), made once.
pub(super) fn add_desk_clerks(data: &Path, desks: usize) -> Result<()> {
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
pub(super) fn start_host(exe: &Path, data: &Path) -> Result<(Server, String, String)> {
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
pub(super) fn start_desk(
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
pub(super) fn next_pairing_code(door: &str, token: &str) -> Result<String> {
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
pub(super) fn log_in(door: &str, token: &str, login: &str, password: &str) -> Result<String> {
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
