//! The 跨馆 request round trip between two hosts. The receiving archive (受理馆) sends an
//! application with its proof; the holding archive (协办馆) registers it as a request of its own,
//! with a deadline counted in working days, and tells each step back — 已受理, 协办中, then 已出证
//! with the certificate's PDF, 无档案 or 退回 with the reason. Every message is written to an
//! outbox in the act's transaction and delivered after, again until the other side has it;
//! the other side takes each once (by its message id and state), so neither side loses or
//! doubles anything when the other is down or either process dies.

pub mod calendar;
pub mod delivery;
pub mod states;

use crate::api::{NewLookupRequest, PeerAsking};
use serde::{Deserialize, Serialize};

/// Where a peer's door takes an application, and a state.
pub const APPLICATION_PATH: &str = "/peer/v1/cross/application";
pub const STATUS_PATH: &str = "/peer/v1/cross/status";

/// Proofs an application carries at most, and their size in all.
pub const MAX_PROOFS: usize = 4;
pub const MAX_PROOF_BYTES: usize = 30 << 20;
/// What a message may weigh on the wire: the proofs (or a certificate) as base64 and the rest.
pub const MESSAGE_BYTES: usize = MAX_PROOF_BYTES / 3 * 4 + (2 << 20);

pub use crate::store::cross::DEFAULT_DEADLINE_DAYS;

/// An application, as the receiving archive sends it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApplicationMessage {
    /// Made by the sender once; the holding archive takes an application once per id.
    pub message_id: String,
    pub asking: PeerAsking,
    /// The request as the holding archive registers it (its channel is 跨馆 there).
    pub application: NewLookupRequest,
    pub proofs: Vec<ProofSent>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProofSent {
    pub kind: String,
    pub file_name: String,
    pub content_base64: String,
}

/// A step of the holding archive, told to the receiving one.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StatusMessage {
    pub message_id: String,
    /// submitted, accepted, in_progress, certified, no_records or returned.
    pub state: String,
    pub at: String,
    /// YYYY-MM-DD: the day the holding archive answers by.
    #[serde(default)]
    pub deadline: Option<String>,
    /// Why it was returned.
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub certificate: Option<CertificateSent>,
    /// The certificate sent before, voided at the holding archive since (the state stays
    /// certified; a certificate issued again comes in a message of its own).
    #[serde(default)]
    pub voided: Option<CertificateVoided>,
}

/// A certificate the holding archive voided after sending it: which, when, why.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CertificateVoided {
    pub number: String,
    pub at: String,
    pub reason: String,
}

/// The certificate the holding archive issued, with its PDF.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CertificateSent {
    pub number: String,
    pub verify_code: String,
    pub issued_at: String,
    pub pdf_base64: String,
}
