//! A province's peer-list file (省级档案馆名单): the archives of a province with their peer
//! doors and key hashes, and the province's shared key for keyed ID hashes. A provincial archive
//! hands it out; each archive reads it, and its supervisor compares every key hash shown before
//! it is taken in.
//!
//! ```json
//! { "province": "甘肃省",
//!   "hash_key": "64 hex digits",
//!   "peers": [ { "name": "河西县档案馆", "address": "10.8.1.20:8444", "pin": "3F2A 19C0 …" } ] }
//! ```

use crate::error::{Error, ErrorCode, Result};
use crate::lan::keys::Pin;
use serde::Deserialize;
use std::path::Path;

/// What a peer list may weigh: a province has a few hundred archives at most.
const MAX_FILE_BYTES: u64 = 1 << 20;
const MAX_PEERS: usize = 2000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerList {
    pub province: String,
    pub hash_key: Option<Vec<u8>>,
    pub peers: Vec<ListedPeer>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedPeer {
    pub name: String,
    pub address: String,
    pub pin: Pin,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListFile {
    province: String,
    #[serde(default)]
    hash_key: Option<String>,
    peers: Vec<PeerEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeerEntry {
    name: String,
    address: String,
    pin: String,
}

/// Reads and checks a peer list; an error names the file and the entry.
pub fn read(path: &Path) -> Result<PeerList> {
    let shown = path.display().to_string();
    let metadata =
        std::fs::metadata(path).map_err(|e| Error::io("无法读取档案馆名单", path, &e))?;
    if metadata.len() > MAX_FILE_BYTES {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("档案馆名单「{shown}」过大（超过 1 MB），不是名单文件"),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io("无法读取档案馆名单", path, &e))?;
    parse(&bytes).map_err(|e| Error::new(e.code, format!("档案馆名单「{shown}」：{}", e.message)))
}

pub fn parse(bytes: &[u8]) -> Result<PeerList> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let file: ListFile = serde_json::from_slice(bytes)
        .map_err(|e| Error::new(ErrorCode::InvalidRequest, format!("格式不对：{e}")))?;
    let province = checked_name(&file.province).map_err(|why| invalid(format!("省份{why}")))?;
    let hash_key = match file.hash_key.as_deref() {
        None => None,
        Some(text) => Some(super::id_hash::parse_key(text).ok_or_else(|| {
            invalid("共享密钥（hash_key）应为至少 32 位十六进制数字".to_string())
        })?),
    };
    if file.peers.len() > MAX_PEERS {
        return Err(invalid(format!("档案馆超过 {MAX_PEERS} 个")));
    }
    let mut peers: Vec<ListedPeer> = Vec::with_capacity(file.peers.len());
    for (n, entry) in file.peers.iter().enumerate() {
        let at = |why: String| invalid(format!("第 {} 项：{why}", n + 1));
        let name = checked_name(&entry.name).map_err(|why| at(format!("名称{why}")))?;
        let address = checked_address(&entry.address).map_err(at)?;
        let pin = Pin::parse(&entry.pin)
            .ok_or_else(|| at("密钥摘要应为 64 位十六进制数字（SHA-256）".to_string()))?;
        if let Some(twice) = peers.iter().find(|p| p.pin == pin || p.name == name) {
            return Err(at(format!("与「{}」重复（名称或密钥相同）", twice.name)));
        }
        peers.push(ListedPeer { name, address, pin });
    }
    Ok(PeerList {
        province,
        hash_key,
        peers,
    })
}

fn invalid(message: String) -> Error {
    Error::new(ErrorCode::InvalidRequest, message)
}

/// An archive's or a province's name: 1–40 characters, no control characters.
pub fn checked_name(name: &str) -> std::result::Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("不能为空".into());
    }
    if name.chars().count() > 40 || name.chars().any(char::is_control) {
        return Err("最多 40 个字，不能含控制字符".into());
    }
    Ok(name.to_string())
}

/// A peer door's address: `host:port`, the host a LAN or intranet name or an IP address.
pub fn checked_address(address: &str) -> std::result::Result<String, String> {
    let address = address.trim();
    let wrong = || format!("地址「{address}」应为 主机:端口（如 10.8.1.20:8444）");
    let (host, port) = address.rsplit_once(':').ok_or_else(wrong)?;
    if port.parse::<u16>().ok().filter(|p| *p > 0).is_none() || host.is_empty() || host.len() > 253
    {
        return Err(wrong());
    }
    let ok = match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        Some(v6) => v6.parse::<std::net::Ipv6Addr>().is_ok(),
        None => host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        }),
    };
    if ok {
        Ok(address.to_string())
    } else {
        Err(wrong())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PIN: &str =
        "3F2A 19C0 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0001";

    #[test]
    fn a_list_reads_with_its_key_and_peers() {
        let list = parse(
            format!(
                r#"{{"province":"甘肃省","hash_key":"00112233445566778899aabbccddeeff",
                    "peers":[{{"name":"河西县档案馆","address":"10.8.1.20:8444","pin":"{PIN}"}}]}}"#
            )
            .as_bytes(),
        )
        .unwrap();
        assert_eq!(list.province, "甘肃省");
        assert_eq!(list.hash_key.unwrap().len(), 16);
        assert_eq!(list.peers[0].name, "河西县档案馆");
        assert_eq!(list.peers[0].pin, Pin::parse(PIN).unwrap());
    }

    #[test]
    fn a_wrong_entry_is_named_by_its_number() {
        let bad_pin = br#"{"province":"P","peers":[{"name":"A","address":"a:1","pin":"12"}]}"#;
        assert!(parse(bad_pin).unwrap_err().message.contains("第 1 项"));
        let bad_address = format!(
            r#"{{"province":"P","peers":[{{"name":"A","address":"a:1","pin":"{PIN}"}},{{"name":"B","address":"b/x:80","pin":"{PIN}"}}]}}"#
        );
        let error = parse(bad_address.as_bytes()).unwrap_err();
        assert!(
            error.message.contains("第 2 项") && error.message.contains("地址"),
            "{}",
            error.message
        );
        let twice = format!(
            r#"{{"province":"P","peers":[{{"name":"A","address":"a:1","pin":"{PIN}"}},{{"name":"B","address":"b:2","pin":"{PIN}"}}]}}"#
        );
        assert!(parse(twice.as_bytes())
            .unwrap_err()
            .message
            .contains("重复"));
        assert!(parse(br#"{"province":"P","peers":[],"extra":1}"#).is_err());
        assert!(parse(br#"{"province":"P","hash_key":"0011","peers":[]}"#).is_err());
    }

    #[test]
    fn addresses_are_host_and_port() {
        assert!(checked_address("dangan.local:8444").is_ok());
        assert!(checked_address("[fe80::1]:8444").is_ok());
        assert!(checked_address("10.0.0.1").is_err());
        assert!(checked_address("10.0.0.1:0").is_err());
        assert!(checked_address("evil.example/x:8444").is_err());
    }
}
