//! Request and response types of the counter's own work: who is at the desk, the lookup
//! register (查档登记), certificates (出证), revealing masked values, the audit trail and the
//! usage statistics (利用统计).

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
}

/// Who the requester is to the records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    /// 本人
    #[serde(rename = "self")]
    Oneself,
    /// 委托代理: the proxy's details are required.
    Proxy,
    /// 单位: the unit's name is required.
    Unit,
}

impl Relationship {
    pub fn key(self) -> &'static str {
        match self {
            Relationship::Oneself => "self",
            Relationship::Proxy => "proxy",
            Relationship::Unit => "unit",
        }
    }

    pub fn parse(key: &str) -> Option<Relationship> {
        [
            Relationship::Oneself,
            Relationship::Proxy,
            Relationship::Unit,
        ]
        .into_iter()
        .find(|r| r.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Relationship::Oneself => "本人",
            Relationship::Proxy => "委托代理",
            Relationship::Unit => "单位",
        }
    }

    /// What the register and the certificate call the person the records are about: 查档人
    /// when they came themselves, 当事人 when a proxy (代理人) or a unit asks for them.
    pub fn subject_label(self) -> &'static str {
        match self {
            Relationship::Oneself => "查档人",
            Relationship::Proxy | Relationship::Unit => "当事人",
        }
    }
}

/// A new request at the counter. Purpose and channel are the labels of `PURPOSES` and
/// `CHANNELS`; 其他 needs a note.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct NewLookupRequest {
    /// The person the records are about (当事人): the one at the counter when they come
    /// themselves (查档人), else the one a proxy (代理人) or a unit asks for. Their ID number
    /// decides which attached rows are their own.
    pub requester_name: String,
    pub requester_id: String,
    #[serde(default)]
    pub requester_phone: Option<String>,
    pub relationship: Relationship,
    #[serde(default)]
    pub proxy_name: Option<String>,
    #[serde(default)]
    pub proxy_id: Option<String>,
    #[serde(default)]
    pub proxy_phone: Option<String>,
    #[serde(default)]
    pub unit_name: Option<String>,
    pub purpose: String,
    #[serde(default)]
    pub purpose_note: Option<String>,
    pub channel: String,
    /// Where the result goes (代查代送: a postal address, or 自取); required for that channel.
    #[serde(default)]
    pub delivery: Option<String>,
    /// What is sought, in the requester's words.
    pub sought: String,
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Registered,
    Found,
    NotFound,
    Delivered,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 4] = [
        RequestStatus::Registered,
        RequestStatus::Found,
        RequestStatus::NotFound,
        RequestStatus::Delivered,
    ];

    pub fn key(self) -> &'static str {
        match self {
            RequestStatus::Registered => "registered",
            RequestStatus::Found => "found",
            RequestStatus::NotFound => "not_found",
            RequestStatus::Delivered => "delivered",
        }
    }

    pub fn parse(key: &str) -> Option<RequestStatus> {
        RequestStatus::ALL.into_iter().find(|s| s.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            RequestStatus::Registered => "已登记",
            RequestStatus::Found => "已查到",
            RequestStatus::NotFound => "未查到",
            RequestStatus::Delivered => "已交付",
        }
    }

    /// An open request lets its requester's own records show unmasked.
    pub fn is_open(self) -> bool {
        matches!(self, RequestStatus::Registered | RequestStatus::Found)
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LookupRequestView {
    pub id: i64,
    pub registered_at: String,
    pub registered_by: String,
    pub requester_name: String,
    pub requester_id_masked: String,
    pub requester_phone: Option<String>,
    pub relationship: Relationship,
    pub proxy_name: Option<String>,
    pub proxy_id_masked: Option<String>,
    pub proxy_phone: Option<String>,
    pub unit_name: Option<String>,
    pub purpose: String,
    pub purpose_note: Option<String>,
    pub channel: String,
    /// Where the result goes (代查代送).
    pub delivery: Option<String>,
    pub sought: String,
    pub status: RequestStatus,
    pub outcome: Option<String>,
    pub answered_at: Option<String>,
    pub closed_at: Option<String>,
    pub records: Vec<AttachedRecord>,
    pub certificates: Vec<CertificateView>,
    /// What still stands between the request and its certificate (see `CoverRequest`).
    pub uncovered: Vec<UncoveredPage>,
}

/// A record attached to a request, as it was shown when attached.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AttachedRecord {
    pub id: i64,
    pub document_id: i64,
    pub entry_id: Option<i64>,
    pub ref_code: String,
    pub title: Option<String>,
    pub date: Option<String>,
    pub doc_number: Option<String>,
    pub access: String,
    pub category: Option<String>,
    /// The person's row as shown: (column, value); the ID and wages in full only when the row
    /// is the requester's own.
    pub row: Vec<(String, String)>,
    /// Whether the row's ID number is the requester's.
    pub own_record: bool,
    pub pages: Vec<i64>,
    pub redactions: Vec<PageRedactions>,
    pub attached_at: String,
    pub attached_by: String,
    /// Pages that hold other people's rows: each must be covered and confirmed (or overridden
    /// by a supervisor) before the request can be certified.
    #[serde(default)]
    pub pages_with_others: Vec<i64>,
    /// The confirmations and overrides given, page by page.
    #[serde(default)]
    pub covers: Vec<PageCover>,
}

/// 已遮盖他人信息, confirmed for one page by a clerk, or a supervisor's override with a reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PageCover {
    pub page_no: i64,
    pub by: String,
    pub at: String,
    /// Set when a supervisor let the page go out without (all) boxes.
    pub override_reason: Option<String>,
}

/// A page still to be covered before the request can be certified.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct UncoveredPage {
    pub record_id: i64,
    pub ref_code: String,
    pub page_no: i64,
    /// Redaction boxes drawn on it so far.
    pub boxes: usize,
}

/// The clerk confirms 已遮盖他人信息 for a page (it must have boxes); with `override_reason`, a
/// supervisor lets it go out as it is.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct CoverRequest {
    pub request_id: i64,
    pub record_id: i64,
    pub page_no: i64,
    pub override_reason: Option<String>,
}

/// A box the clerk drew over another person's row, as fractions of the page (origin top-left).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Redaction {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PageRedactions {
    pub page_no: i64,
    pub boxes: Vec<Redaction>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct AttachRequest {
    pub request_id: i64,
    /// The person's row; or only the document when the record has no rows.
    pub entry_id: Option<i64>,
    pub document_id: Option<i64>,
    /// Pages used (copied). When empty: the pages the row's catalogue page (页次/页号) names, or
    /// none when it names none (the clerk ticks them); for a document attached without a row,
    /// all its pages when it holds one person's rows at most, else none.
    pub pages: Vec<i64>,
    /// The catalogue line alone, no page (the clerk ticked none).
    pub catalogue_only: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct RedactRequest {
    pub request_id: i64,
    /// The attached record (`AttachedRecord::id`).
    pub record_id: i64,
    pub page_no: i64,
    /// Replaces the page's boxes.
    pub boxes: Vec<Redaction>,
}

/// 遮盖本人以外的各行: boxes over every row of a page but the requester's, for the clerk to check.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct CoverSuggestRequest {
    pub request_id: i64,
    /// The attached record (`AttachedRecord::id`).
    pub record_id: i64,
    pub page_no: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CoverSuggestion {
    /// Over every row of the page's table but the requester's (and the row attached): nothing
    /// is saved until the clerk has checked them.
    pub boxes: Vec<Redaction>,
    /// The requester's own rows, to be shown highlighted.
    pub own: Vec<Redaction>,
    /// Whether the page holds a row of the requester's: false offers to take the page off the
    /// request instead of blacking it out; null when the catalogue cannot say.
    pub requester_on_page: Option<bool>,
    /// What the boxes rest on, or why there are none, in Chinese.
    pub note: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RequestStatusChange {
    pub request_id: i64,
    pub status: RequestStatus,
    /// 利用效果, in the clerk's words.
    #[serde(default)]
    pub outcome: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct RequestQuery {
    /// Requester's name, ID number (any form) or phone; empty for all.
    pub text: String,
    /// Registered on or after this day (YYYY-MM-DD).
    pub from: Option<String>,
    /// Registered on or before this day (YYYY-MM-DD).
    pub to: Option<String>,
    pub status: Option<RequestStatus>,
    pub limit: Option<usize>,
    pub offset: usize,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RequestSummary {
    pub id: i64,
    pub registered_at: String,
    pub requester_name: String,
    pub requester_id_masked: String,
    pub purpose: String,
    pub channel: String,
    pub status: RequestStatus,
    pub records: i64,
    pub certificates: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RequestList {
    pub total: i64,
    pub requests: Vec<RequestSummary>,
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
