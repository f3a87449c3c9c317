//! Request and response types of the counter's own work: who is at the desk, certificates
//! (出证), revealing masked values, the audit trail and the usage statistics (利用统计). The
//! lookup register's own types are in `register`.

use serde::{Deserialize, Serialize};

/// What a clerk may do: a supervisor also manages clerks, opens restricted records and reads
/// the audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Clerk,
    Supervisor,
}

/// Who asks: every operation knows it, and every recorded action names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Caller {
    /// None for the local operator of the command line.
    pub clerk_id: Option<i64>,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    /// The LAN desk the clerk works at now (its desk code), as the host's LAN door knows it from
    /// the desk's key; None on the host itself and on a PC that works alone.
    #[serde(default)]
    pub desk: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct LoginRequest {
    pub login: String,
    pub password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct NewClerk {
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub password: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ClerkView {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub created_at: String,
    pub disabled: bool,
    /// A supervisor reset the password: the clerk must choose a new one at the next login.
    pub must_change_password: bool,
    /// Failed logins in a row (at the address with the most), and how long the next attempt
    /// must still wait.
    pub failed_logins: i64,
    pub login_delay_seconds: Option<i64>,
}

/// A supervisor's change to an account: any of it ends the clerk's logins at once.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct ClerkChange {
    pub clerk_id: i64,
    pub role: Option<Role>,
    pub disabled: Option<bool>,
    /// A new password the clerk must change at the next login.
    pub reset_password: Option<String>,
}

/// A clerk changes their own password.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// A supervisor lets a login be tried again at once.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct ClearLoginDelay {
    pub login: String,
}

/// What a supervisor sets in 设置 for the counter's protections.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct DeskSettings {
    /// Minutes without a request after which a login ends (30 by default).
    pub idle_minutes: Option<i64>,
    /// A second folder (another drive) the audit trail's anchors are written to.
    pub anchor_mirror_dir: Option<String>,
    /// The daily backup's folder (another drive); empty turns the daily backup off.
    pub backup_dir: Option<String>,
    /// The daily backup's time of day, HH:MM.
    pub backup_time: Option<String>,
    /// How many of the archive's backups the folder keeps (7 by default).
    pub backup_keep: Option<i64>,
    /// Encrypts the daily backups; empty turns encryption off. Never sent back.
    pub backup_passphrase: Option<String>,
    /// Days a request's proof files (ID card, letter of authorization) are kept after the
    /// request closed; then their content is deleted, and the deletion recorded (180 by default).
    pub proof_retention_days: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct IssueRequest {
    pub request_id: i64,
    /// The `fingerprint` of the preview the clerk confirmed: the certificate is issued only if
    /// it is still that one (nothing attached, removed or covered since). Scripts (the CLI)
    /// issue without a preview and leave it out.
    pub confirmed: Option<String>,
}

/// The certificate as it would be issued now, before a number is taken.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CertificatePreview {
    pub request_id: i64,
    /// The PDF with 预览 in place of the number and the code, base64.
    pub pdf_base64: String,
    /// Scanned pages it copies.
    pub pages: i64,
    /// What stands before issuing, in Chinese; empty when it can be issued.
    pub blockers: Vec<String>,
    /// Names exactly this content; `IssueRequest::confirmed` gives it back.
    pub fingerprint: String,
}

/// 作废: a certificate issued by mistake. Its number stays used.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct VoidCertificateRequest {
    pub number_or_code: String,
    pub reason: String,
}

/// 移除: an attached record taken off an open request, or one page of it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct RemoveAttachedRequest {
    pub request_id: i64,
    pub record_id: i64,
    /// Only this page of the record; the whole record when absent.
    pub page_no: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CertificateView {
    pub id: i64,
    pub request_id: i64,
    /// Such as 〔2026〕A第0001号.
    pub number: String,
    pub verify_code: String,
    pub issued_at: String,
    pub issued_by: String,
    /// Scanned pages copied into it.
    pub pages: i64,
    pub pdf_bytes: i64,
    pub pdf_sha256: String,
    /// Set when it was voided (作废): when, by whom, why.
    pub voided_at: Option<String>,
    pub voided_by: Option<String>,
    pub void_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct VerifyResult {
    pub valid: bool,
    /// Why not, in Chinese, when not valid.
    pub reason: Option<String>,
    pub certificate: Option<CertificateView>,
    pub requester_name: Option<String>,
    pub records: Vec<String>,
    /// When a PDF file was given: whether it is byte for byte the one issued.
    pub pdf_matches: Option<bool>,
    /// The archive that issued it, when another archive did and this one received it for a 跨馆
    /// request: this archive vouches it is the PDF it received; the issuing one, for the rest.
    pub issued_elsewhere: Option<String>,
}

/// "Show in full" of a masked row: a deliberate act with a reason, written to the audit trail.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct RevealRequest {
    pub entry_id: i64,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RevealedEntry {
    pub entry_id: i64,
    pub id_number: Option<String>,
    pub wage_before: Option<String>,
    pub wage_after: Option<String>,
    pub extra: Vec<(String, String)>,
}

/// A supervisor opens a controlled or closed record, with a reason.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct OpenRestrictedRequest {
    pub document_id: i64,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AuditRow {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: Option<String>,
    pub detail: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct AuditQuery {
    pub limit: Option<usize>,
    pub offset: usize,
    /// Rows whose clerk contains this (a name or a login).
    pub actor: Option<String>,
    /// Rows of this action only (`certificate`, `reveal` …).
    pub action: Option<String>,
    /// Days, YYYY-MM-DD, both included.
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The chain's head: kept off the machine, it shows later whether the chain was rewritten.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AuditHead {
    pub count: i64,
    pub last_hash: String,
    pub first_at: Option<String>,
    pub last_at: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AuditVerification {
    pub intact: bool,
    pub rows: i64,
    /// Anchors found (in the data folder and the second folder) and checked.
    pub anchors: i64,
    /// The first row that breaks the chain, and how.
    pub broken_at: Option<i64>,
    pub problem: Option<String>,
    pub head: AuditHead,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct UsageRequest {
    /// First day counted (YYYY-MM-DD); the start of this year when absent.
    pub from: Option<String>,
    /// Last day counted (YYYY-MM-DD); today when absent.
    pub to: Option<String>,
    /// "day", "month" or "year".
    pub period: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct UsageCount {
    pub key: String,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct UsageStats {
    pub from: String,
    pub to: String,
    pub period: String,
    /// 利用人次: requests registered.
    pub people_served: i64,
    /// 利用卷/件次: records attached.
    pub records_used: i64,
    /// 复制页数: scanned pages copied into certificates.
    pub pages_copied: i64,
    /// 出具证明份数, voided ones not counted
    pub certificates: i64,
    /// 作废证明份数
    pub certificates_voided: i64,
    /// Requests answered (found or not) and, of those, found.
    pub answered: i64,
    pub found: i64,
    /// Median minutes from registration to answer, over answered requests.
    pub median_minutes_to_answer: Option<f64>,
    pub by_period: Vec<UsageCount>,
    pub by_purpose: Vec<UsageCount>,
    pub by_channel: Vec<UsageCount>,
    pub by_category: Vec<UsageCount>,
    pub by_status: Vec<UsageCount>,
}

/// A request naming one thing by its id.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct IdRequest {
    pub id: i64,
}

/// A certificate by its number or verification code.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct CertificateRequest {
    pub number_or_code: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CertificatePdf {
    pub certificate: CertificateView,
    /// The PDF as issued, base64.
    pub pdf_base64: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct VerifyRequest {
    pub code: String,
    /// A PDF someone presented, base64: it must be the one issued, byte for byte.
    pub pdf_base64: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct AuditVerifyRequest {
    /// A head exported earlier, to compare with.
    pub head: Option<AuditHead>,
}

/// A file made for the clerk to save (the statistics workbook).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ExportedFile {
    pub file_name: String,
    pub base64: String,
}

/// Who is at the desk, and whether the first account must still be made.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DeskSession {
    pub caller: Option<Caller>,
    pub needs_first_clerk: bool,
    /// The login screen's heading: the archive's name, and whether it is demo data.
    pub archive_name: String,
    pub demo: bool,
    /// The clerk at the desk must choose a new password before anything else.
    pub must_change_password: bool,
    /// Minutes without a request after which the login ends.
    pub idle_minutes: i64,
    /// 利用目的 and 查档渠道 the register accepts, for the UI's choices.
    pub purposes: Vec<String>,
    pub channels: Vec<String>,
}
