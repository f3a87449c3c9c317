//! Request and response types of the lookup register (查档登记): a request and who asks, the
//! records attached to it with their pages, boxes and covering, and the register's list.

use super::CertificateView;
use serde::{Deserialize, Serialize};

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
    /// The proof the request was accepted on (ID card, letter of authorization), newest last;
    /// deleted ones say when and why.
    pub proofs: Vec<ProofFile>,
    /// 跨馆 applications this request sent to other archives.
    pub cross_sent: Vec<super::CrossSent>,
    /// The application another archive sent, when this request was registered for it.
    pub cross_received: Option<super::CrossReceived>,
}

/// A proof file kept with a request: what it is, never its content (`proof_view` reads that,
/// recorded).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ProofFile {
    pub id: i64,
    pub request_id: i64,
    /// id_card (身份证), authorization (授权委托书) or other (其他证明).
    pub kind: String,
    pub file_name: String,
    /// image/jpeg, image/png, image/tiff or application/pdf.
    pub media_type: String,
    pub bytes: i64,
    pub added_at: String,
    pub added_by: String,
    /// When the content was deleted, and why: retention (保存期满) or removed (经办人删除).
    pub deleted_at: Option<String>,
    pub deleted_why: Option<String>,
}

/// A scan or photo of a proof, captured at the counter, for a request not yet delivered.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct ProofAddRequest {
    pub request_id: i64,
    /// id_card, authorization or other.
    pub kind: String,
    pub file_name: String,
    /// The file, base64 (10 MB at most): JPEG, PNG, TIFF or PDF.
    pub content_base64: String,
}

/// A proof file's content, to show.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ProofContent {
    pub id: i64,
    pub file_name: String,
    pub media_type: String,
    pub content_base64: String,
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
