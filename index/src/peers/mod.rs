//! Other archives (跨馆). A peer is another ArchiveDesk host, known by the SHA-256 of its key
//! (as a LAN desk is) and reached at its peer door: mutual TLS, each side's key pinned by the
//! other. What crosses between archives is only what the procedure would send: the asking
//! archive's request number, clerk, purpose and channel with the question, and document-level
//! facts back. Asking every peer at once sends a keyed hash of the ID alone.

pub mod ask;
pub mod facts;
pub mod id_hash;
pub mod peer_list;

/// The path of "who holds records for this person" on the peer door.
pub const WHO_HOLDS_PATH: &str = "/peer/v1/who_holds";
