//! A door the desktop app opens beside itself (局域网主机, 跨馆端口) is remembered in the data
//! folder with the address it listens on, so that it opens again with the app until turned off.

use crate::error::{Error, ErrorCode, Result};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::Path;

#[derive(Serialize, Deserialize)]
struct Setting {
    listen: String,
}

/// The address the door in `file` listened on when the app last closed, if it was on. A damaged
/// setting is said in the log and taken as off: the supervisor turns the door on again.
pub fn remembered(data_dir: &Path, file: &str) -> Option<String> {
    let path = data_dir.join(file);
    let bytes = std::fs::read(&path).ok()?;
    match serde_json::from_slice::<Setting>(&bytes) {
        Ok(setting) => Some(setting.listen),
        Err(e) => {
            log::error!("{} unreadable, the door stays closed: {e}", path.display());
            None
        }
    }
}

/// Written whole or not at all.
pub fn remember(data_dir: &Path, file: &str, listen: SocketAddr) -> Result<()> {
    let path = data_dir.join(file);
    let temporary = path.with_extension("new");
    let setting = Setting {
        listen: listen.to_string(),
    };
    std::fs::write(
        &temporary,
        serde_json::to_vec(&setting).expect("plain fields"),
    )
    .and_then(|()| std::fs::rename(&temporary, &path))
    .map_err(|e| Error::io("无法保存端口设置", &path, &e))
}

/// Turned off: not opened again at the next start.
pub fn forget(data_dir: &Path, file: &str) -> Result<()> {
    let path = data_dir.join(file);
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io("无法保存端口设置", &path, &e)),
    }
}

/// The address a clerk typed (`192.168.1.20:8443`, or a port alone for every address).
pub fn parse_listen(typed: &str) -> Result<SocketAddr> {
    let typed = typed.trim();
    let full = if typed.chars().all(|c| c.is_ascii_digit()) && !typed.is_empty() {
        format!("0.0.0.0:{typed}")
    } else {
        typed.to_string()
    };
    full.parse().map_err(|_| {
        Error::new(
            ErrorCode::InvalidRequest,
            format!("地址「{typed}」不对：应为 IP:端口，如 192.168.1.20:8443，或 0.0.0.0:8443（本机所有地址）"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_port_alone_listens_on_every_address_and_a_wrong_address_is_said() {
        assert_eq!(parse_listen("8443").unwrap().to_string(), "0.0.0.0:8443");
        assert_eq!(
            parse_listen(" 192.168.1.20:8443 ").unwrap().to_string(),
            "192.168.1.20:8443"
        );
        let wrong = parse_listen("主机:8443").unwrap_err();
        assert!(wrong.message.contains("IP:端口"), "{}", wrong.message);
        assert!(parse_listen("").is_err());
    }

    #[test]
    fn a_door_is_remembered_until_forgotten_and_a_damaged_setting_is_off() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(remembered(dir.path(), "door.json"), None);
        remember(dir.path(), "door.json", "127.0.0.4:9443".parse().unwrap()).unwrap();
        assert_eq!(
            remembered(dir.path(), "door.json").as_deref(),
            Some("127.0.0.4:9443")
        );
        forget(dir.path(), "door.json").unwrap();
        assert_eq!(remembered(dir.path(), "door.json"), None);
        forget(dir.path(), "door.json").unwrap();
        std::fs::write(dir.path().join("door.json"), "{ damaged").unwrap();
        assert_eq!(remembered(dir.path(), "door.json"), None);
    }
}
