//! Other archives (跨馆): the peers a supervisor added, the question "who holds records for this
//! person" as it travels between archives, and its answers as the asking clerk sees them.

use serde::{Deserialize, Serialize};

/// Another archive this one talks to, known by its key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Peer {
    pub id: i64,
    pub name: String,
    /// Its peer door, `host:port`.
    pub address: String,
    /// SHA-256 of its public key, in hex: the only thing that makes it this archive.
    pub pin: String,
    pub added_at: String,
    pub added_by: String,
}

/// The other archives, with what they need of this one: its own key hash to read out to them,
/// and the province list taken in, if any.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PeerDirectory {
    /// This archive's key hash, grouped as it is read out.
    pub own_pin: String,
    pub province: Option<String>,
    /// Whether every peer can be asked at once (the province's shared key is here).
    pub can_ask_all: bool,
    pub peers: Vec<Peer>,
}

/// A supervisor adds another archive: its name, address and key hash, learnt out of band.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct PeerAddRequest {
    pub name: String,
    pub address: String,
    /// The key hash as the other archive shows it (groups of hex, spaces or colons allowed).
    pub pin: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct PeerRemoveRequest {
    pub id: i64,
}

/// A province's peer-list file (省级档案馆名单), as read: shown whole for the supervisor to
/// compare each key hash before it is taken in.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PeerListPreview {
    pub province: String,
    pub peers: Vec<PeerListed>,
    /// Whether the list carries the province's shared key for asking every peer at once.
    pub has_hash_key: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PeerListed {
    pub name: String,
    pub address: String,
    /// The key hash, grouped as archives read it out to each other.
    pub pin_shown: String,
    /// added (new), same (already a peer with this key), changed_address, self (this archive);
    /// not taken in: changed_key (a peer of that name holds another key), removed_before (a key
    /// a supervisor removed).
    pub effect: String,
}

/// A peer list file as the supervisor chose it, to preview or take in.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct PeerListRequest {
    pub content_base64: String,
}

/// Who asks, on a peer call: the asking archive is its key; these say why, for both trails.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PeerAsking {
    /// The asking archive's request number.
    pub request_no: String,
    pub clerk: String,
    pub purpose: String,
    pub channel: String,
}

/// "Who holds records for this person", as it travels to a peer. Either a keyed hash of the ID
/// alone (asking every peer), or the ID and/or name and birth month (asking a chosen peer).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WhoHoldsQuestion {
    pub asking: PeerAsking,
    /// HMAC-SHA256 of the 18-digit ID under the province's shared key, in hex.
    pub id_hash: Option<String>,
    pub id_number: Option<String>,
    pub name: Option<String>,
    /// YYYY-MM.
    pub birth: Option<String>,
}

/// What a peer answers: document-level facts only. Never rows, IDs, wages or pages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct WhoHoldsFacts {
    pub archive_name: String,
    /// Open records, by category, year and how sure the match is.
    pub groups: Vec<HeldGroup>,
    /// Controlled or closed records: counted, never described.
    pub restricted: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct HeldGroup {
    pub category: Option<String>,
    pub year: Option<i32>,
    /// id (the ID itself), name_birth (same name and birth month), name_only, or confirmed (a
    /// clerk there joined it to the person).
    pub matched_by: String,
    pub records: usize,
    /// The documents' titles with every person's name in them masked.
    pub titles: Vec<String>,
}

/// 查询哪些档案馆有此人档案: from an open 跨馆 request, to the peers chosen, or to all of
/// them with the keyed hash of the ID alone.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct PeerAskRequest {
    pub request_id: i64,
    /// The peers asked; empty asks every peer, with the keyed hash of the ID alone.
    pub peers: Vec<i64>,
    /// To the peers chosen: send the ID number.
    pub with_id: bool,
    /// To the peers chosen: send the name and birth month.
    pub with_name: bool,
}

/// An ask under way or done: one answer per peer, filled in as they come.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PeerAskView {
    pub ask_id: u64,
    pub request_id: i64,
    /// hash (every peer, keyed hash only) or chosen.
    pub mode: String,
    pub answers: Vec<PeerAnswer>,
    pub done: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PeerAnswer {
    pub peer_id: i64,
    pub peer_name: String,
    /// waiting, found (有记录), none (无记录), timeout (超时), refused (拒绝), unreachable (无法连接).
    pub state: String,
    pub facts: Option<WhoHoldsFacts>,
    /// Why refused or unreachable, in words.
    pub message: Option<String>,
    pub millis: Option<u64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct PeerAskStatusRequest {
    pub ask_id: u64,
}

/// The peer door the desktop app opens on its own archive (设置 → 跨馆档案馆 → 本馆跨馆端口): the
/// port other archives call with their applications, statuses and who-holds questions.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PeerDoorStatus {
    pub running: bool,
    /// The address it listens on; when off, the one it would open on.
    pub listen: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct PeerDoorStartRequest {
    /// `192.168.1.20:9443`, `0.0.0.0:9443`, or a port alone.
    pub listen: String,
}
