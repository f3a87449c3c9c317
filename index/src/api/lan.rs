//! The LAN door's desks as a supervisor sees them.

use serde::{Deserialize, Serialize};

/// A desk enrolled at this archive's host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LanDesk {
    /// The letter its certificates are numbered with (〔2026〕B第0001号).
    pub code: String,
    pub name: String,
    /// SHA-256 of the desk's public key, in hex.
    pub pin: String,
    pub enrolled_at: String,
    pub enrolled_by: String,
    pub revoked_at: Option<String>,
}

/// A supervisor opens a pairing for one more desk, optionally naming it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct LanPairingRequest {
    pub desk_name: Option<String>,
}

/// The code to type at the new desk, and the desk it will enrol.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LanPairing {
    pub code: String,
    pub desk_code: String,
    pub desk_name: String,
    pub seconds_left: u64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct LanDeskRevokeRequest {
    pub desk_code: String,
}

/// What joining a PC's history into the host brought over (`Archive::merge_history`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HistoryMerge {
    /// The data folder merged from, as given.
    pub source: String,
    /// The desk code its certificates carry (〔2026〕A…), kept as printed.
    pub desk_codes: Vec<String>,
    pub requests: usize,
    pub certificates: usize,
    pub audit_rows: usize,
}

/// Where the desktop app works: its own archive, or a LAN host's as one of its desks. Until
/// the clerk chose (a new PC's first start), `chosen` is false.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DeskPlace {
    pub chosen: bool,
    pub lan: Option<LanDeskPlace>,
    /// Why the data folder's pairing could not be read (a damaged `lan_desk.json` or key): the
    /// first-start screen says so, and the desk pairs again.
    pub problem: Option<String>,
}

/// The host a desk works on, and who the desk is there.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LanDeskPlace {
    pub host: String,
    pub desk_code: String,
    pub desk_name: String,
    pub archive_name: String,
}

/// 连接局域网档案库: the host's address and the pairing code shown there.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct LanConnectRequest {
    pub host: String,
    pub code: String,
}

/// The LAN door the desktop app opens on its own archive (设置 → 局域网主机).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LanHostStatus {
    pub running: bool,
    /// The address it listens on; when off, the one it would open on.
    pub listen: Option<String>,
    /// The host key's SHA-256 in groups, as desks check it.
    pub host_pin: Option<String>,
    /// The pairing open now (opened with the door, or in 局域网柜台), while it lasts.
    pub pairing: Option<LanPairing>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct LanHostStartRequest {
    /// `192.168.1.20:8443`, `0.0.0.0:8443`, or a port alone.
    pub listen: String,
}
