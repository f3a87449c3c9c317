//! The archive shared over the office LAN: one PC is the host, the other counter desks work on
//! it through a door that speaks TLS 1.3 alone. Identities are keys — the host's, pinned by each
//! desk when it pairs, and each desk's, enrolled by the host — never names, addresses or what a
//! caller says of itself. The doors themselves are in `http`; this module holds what they share.

pub mod desk_link;
pub mod keys;
pub mod pairing;
pub mod tls;

/// Where a data folder keeps its LAN key: the host's, or a desk's own.
pub const KEY_FILE: &str = "lan_key.pem";
