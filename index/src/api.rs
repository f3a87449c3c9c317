//! Request and response types of every operation: the one contract shared by the CLI (`--json`
//! prints these shapes), the desktop shell and the HTTP door.
//!
//! Where the doors differ: the CLI and the desktop pass file paths to `import`; the HTTP door
//! will take uploads and save them to a temporary file before calling the same method.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// How the columns of a catalogue map to fields, beyond the built-in header synonyms.
/// Given as data so the UI can show the detected mapping and let the clerk adjust it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct ColumnMapping {
    /// Header text (as written) → field name (`name`, `id_number`, or the Chinese label such as
    /// 姓名) or `ignore`.
    pub columns: BTreeMap<String, String>,
    /// The header row, 1-based, when detection should not guess.
    pub header_row: Option<usize>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default)]
pub struct ImportRequest {
    /// Catalogue files (CSV, XLSX, XLS, JSONL) and scan folders.
    pub paths: Vec<PathBuf>,
    /// Category for rows that carry none (工资调整, 退休审批, 招工录用 …).
    pub category: Option<String>,
    pub mapping: Option<ColumnMapping>,
    /// Report what would happen without writing anything.
    pub dry_run: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ImportReport {
    pub dry_run: bool,
    pub files: Vec<FileReport>,
}

impl ImportReport {
    pub fn rejected_rows(&self) -> usize {
        self.files.iter().map(|f| f.rows_rejected).sum()
    }
    /// Rows that may be records and were not imported: rejected rows, and the rows of sheets
    /// where no catalogue was found (titles, totals and footers inside a table are not counted).
    pub fn rows_not_imported(&self) -> usize {
        self.files
            .iter()
            .map(|f| {
                let in_skipped_sheets: usize = f
                    .sheets
                    .iter()
                    .filter(|s| s.skipped.is_some())
                    .map(|s| s.rows)
                    .sum();
                f.rows_rejected + in_skipped_sheets
            })
            .sum()
    }
    pub fn refused_files(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.outcome == FileOutcome::Refused)
            .count()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FileOutcome {
    /// Rows were written (or, in a dry run, would be).
    Imported,
    /// The same file (same checksum) was imported before; nothing changed.
    Unchanged,
    /// The file could not be read; nothing of it was written.
    Refused,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct FileReport {
    pub path: String,
    pub outcome: FileOutcome,
    /// How it was read: format, encoding.
    pub format: String,
    /// Why a file was refused or left unchanged.
    pub message: Option<String>,
    pub batch_id: Option<i64>,
    /// The earlier batch of a file with this name that this one replaces.
    pub replaces_batch: Option<i64>,
    pub category: Option<CategoryChoice>,
    pub sheets: Vec<SheetReport>,
    /// Non-blank rows below the header: accepted + rejected + skipped.
    pub rows_read: usize,
    pub rows_accepted: usize,
    pub rows_rejected: usize,
    /// Titles, footers, totals and repeated headers inside a table, and the rows of sheets
    /// that hold no catalogue: not records, each said in a warning.
    pub rows_skipped: usize,
    /// Accepted rows that repeat an earlier row of the file exactly: kept once.
    pub duplicate_rows: usize,
    /// Accepted rows that describe only the document (no 姓名).
    pub document_rows: usize,
    pub documents_new: usize,
    pub documents_updated: usize,
    pub entries_new: usize,
    pub entries_updated: usize,
    /// Entries delivered again exactly as they were.
    pub entries_unchanged: usize,
    /// Rows of the replaced batch that this delivery no longer has: kept, marked superseded.
    pub entries_superseded: usize,
    pub pages_attached: usize,
    pub rejected: Vec<RejectedRow>,
    pub warnings: Vec<ImportWarning>,
}

impl FileReport {
    pub fn new(path: String) -> Self {
        FileReport {
            path,
            outcome: FileOutcome::Imported,
            format: String::new(),
            message: None,
            batch_id: None,
            replaces_batch: None,
            category: None,
            sheets: Vec::new(),
            rows_read: 0,
            rows_accepted: 0,
            rows_rejected: 0,
            rows_skipped: 0,
            duplicate_rows: 0,
            document_rows: 0,
            documents_new: 0,
            documents_updated: 0,
            entries_new: 0,
            entries_updated: 0,
            entries_unchanged: 0,
            entries_superseded: 0,
            pages_attached: 0,
            rejected: Vec::new(),
            warnings: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CategoryChoice {
    pub value: String,
    /// Where it came from: option, column, title, file_name.
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SheetReport {
    /// Empty for single-sheet formats.
    pub name: String,
    /// 1-based header rows (two for a two-row header); empty when no header was found.
    pub header_rows: Vec<usize>,
    /// A title row found above the header, such as "XX厂1998年工资调整审批表".
    pub title: Option<String>,
    /// The category given to this sheet's rows that carry none, and where it came from.
    pub category: Option<CategoryChoice>,
    pub columns: Vec<ColumnReport>,
    pub rows: usize,
    /// Why the sheet was skipped, when it was.
    pub skipped: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ColumnReport {
    /// Spreadsheet letter (A, B, … AA).
    pub column: String,
    pub header: String,
    pub field: Option<Field>,
    /// synonym, mapping, extra (kept as an extra value) or ignored.
    pub via: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RejectedRow {
    pub file: String,
    pub sheet: String,
    /// 1-based row (line for CSV/JSONL) as the clerk sees it in the source.
    pub row: usize,
    pub column: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ImportWarning {
    pub file: String,
    pub sheet: String,
    pub row: Option<usize>,
    pub column: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ImportProgress {
    pub file: String,
    pub sheet: String,
    pub rows_done: usize,
    /// Bytes of the file read so far and in all, for a progress bar; None when unknown.
    pub bytes_done: Option<u64>,
    pub bytes_total: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Stats {
    pub archive_name: String,
    pub demo: bool,
    pub documents: u64,
    pub entries: u64,
    pub pages: u64,
    pub superseded_entries: u64,
    pub import_batches: u64,
    pub rejected_rows: u64,
    pub by_category: Vec<Count>,
    pub by_year: Vec<Count>,
    pub last_import: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Count {
    pub key: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DocumentView {
    pub id: i64,
    pub ref_code: String,
    pub ref_key: String,
    pub fonds: Option<String>,
    pub category: Option<String>,
    pub title: Option<String>,
    pub creator: Option<String>,
    pub doc_number: Option<String>,
    pub date: Option<String>,
    pub year: Option<i32>,
    pub page_count: Option<i64>,
    pub retention: Option<String>,
    /// open, controlled or closed.
    pub access: String,
    pub has_full_text: bool,
    pub superseded: bool,
    /// Controlled or closed, and not opened by a supervisor: the catalogue line only, no rows
    /// and no pages.
    pub restricted: bool,
    pub entries: Vec<EntryView>,
    pub pages: Vec<PageView>,
    /// The document's full text (OCR or typed), masked like every text a clerk sees; None for
    /// a restricted record or a document without text.
    pub full_text: Option<String>,
    /// Where the words of `DocumentRequest::query` stand in `full_text`: [from, to) in
    /// characters (code points).
    pub full_text_highlights: Vec<[usize; 2]>,
    /// The open request the record was opened from: its requester's own rows show in full.
    pub opened_for_request: Option<i64>,
    /// Values shown in one form at the counter (`shown`): (field, as written) for each one that
    /// reads differently from what the record wrote, for the clerk to see on hover.
    pub originals: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct EntryView {
    pub id: i64,
    pub entry_key: String,
    pub name: String,
    pub gender: Option<String>,
    pub birth: Option<String>,
    pub birth_key: Option<String>,
    /// Masked (first 6 and last 4 kept).
    pub id_number_masked: Option<String>,
    pub id_valid: Option<bool>,
    pub work_unit: Option<String>,
    pub work_start: Option<String>,
    pub retire_date: Option<String>,
    pub wage_before: Option<String>,
    pub wage_after: Option<String>,
    pub page: Option<String>,
    /// The scanned pages the row's page cell names (页次/页号: 3, 第3页, 3-4 …): what attaching
    /// the row takes by default.
    pub page_numbers: Vec<i64>,
    pub source_row: i64,
    pub extra: Vec<(String, String)>,
    pub notes: Vec<String>,
    pub superseded: bool,
    /// The ID number and wages are masked (see `privacy`); "show in full" is `reveal`.
    pub masked: bool,
    /// Opened from an open request: a row without the requester's ID that the person timeline
    /// joins to them — same_person (same name and birth month: a guess, masked until a clerk
    /// confirms it with `decide_person`) or confirmed. Null otherwise.
    pub requester_join: Option<String>,
    /// Values shown in one form at the counter (`shown`): (field, as written) for each one that
    /// reads differently from what the record wrote, for the clerk to see on hover.
    pub originals: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PageView {
    pub page_no: i64,
    pub path: String,
    /// False when the scan file cannot be found where it was registered.
    pub reachable: bool,
    /// image (shown in the zoomable viewer) or pdf (a multi-page scan, rendered page by page).
    pub media: String,
    pub width: Option<i64>,
    pub height: Option<i64>,
}

/// A search as the clerk typed it, with the filters chosen beside the box.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default)]
pub struct SearchRequest {
    /// The typed text: names, ID numbers, 档号, 文号, years, pinyin, quoted phrases, `-word`
    /// exclusions and `字段:值` terms (姓名: 单位: 年度:1995-1999 …).
    pub query: String,
    pub category: Option<String>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    pub fonds: Option<String>,
    pub work_unit: Option<String>,
    /// open | controlled | closed
    pub access: Option<String>,
    /// Hits per page; 20 when absent.
    pub limit: Option<usize>,
    pub offset: usize,
    /// The clerk committed to this search (Enter, or opening a result): it is written to the
    /// audit trail. The keystrokes of search-as-you-type are not.
    pub committed: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SearchResponse {
    pub total: usize,
    pub took_ms: f64,
    pub hits: Vec<SearchHit>,
    pub facets: Facets,
    /// How the typed text was understood, for the clerk to check (识别为身份证号 …).
    pub understood: Vec<String>,
}

/// One matching record: a person-row of a document, or a document matched by its own text.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SearchHit {
    /// 档号 as stored in the source (in one form at the counter, see `originals`).
    pub ref_code: String,
    /// The person's name as stored (without padding spaces at the counter); null for a
    /// document hit.
    pub name: Option<String>,
    pub entry_id: Option<i64>,
    pub document_id: i64,
    pub category: Option<String>,
    pub title: Option<String>,
    pub year: Option<i32>,
    pub gender: Option<String>,
    /// Birth date as written.
    pub birth: Option<String>,
    pub unit: Option<String>,
    /// ID number with all but the first 6 and last 4 characters hidden.
    pub id_masked: Option<String>,
    pub page: Option<String>,
    /// open | controlled | closed
    pub access: String,
    /// exact | text | placeholder | pinyin | fuzzy_pinyin | partial_name | initials | same_person
    /// | scanned_page
    pub tier: String,
    pub score: f32,
    /// Fields that matched: name, id_number, ref_code, doc_number, unit, title, full_text,
    /// name_pinyin, year …
    pub matched: Vec<String>,
    /// Why, in words the clerk reads (姓名完全相同, 拼音相同 …).
    pub reason: String,
    /// Plain-text fragments; highlights are [start, end) in characters (Unicode scalar values)
    /// of the fragment. Empty for records that are not open.
    pub snippet: Vec<SnippetFragment>,
    /// Values shown in one form at the counter (`shown`): (field, as written) for each one that
    /// reads differently from what the record wrote, for the clerk to see on hover.
    pub originals: Vec<(String, String)>,
    /// For a hit on a scanned page read by the recognizer (tier `scanned_page`): the page's
    /// number in its document, to open it with the words found boxed.
    pub scanned_page: Option<i64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SnippetFragment {
    /// Which stored field the fragment comes from (name, unit, title, full_text …).
    pub field: String,
    pub text: String,
    pub highlights: Vec<[usize; 2]>,
}

#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Facets {
    pub category: Vec<FacetCount>,
    pub year: Vec<FacetCount>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct FacetCount {
    pub value: String,
    pub count: usize,
}

/// Whose timeline: one of an entry, an ID number, or a name with a birth year-month.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default)]
pub struct PersonRequest {
    pub entry_id: Option<i64>,
    pub id_number: Option<String>,
    pub name: Option<String>,
    /// YYYY-MM (any written form of a date is accepted).
    pub birth: Option<String>,
    /// The requester of this open request (which the clerk has opened): their ID number,
    /// which the UI only has masked.
    pub request_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PersonTimeline {
    pub name: String,
    pub gender: Option<String>,
    pub birth: Option<String>,
    pub id_masked: Option<String>,
    pub events: Vec<TimelineEvent>,
    /// Continuous service computed from the dates where they allow; a reference only.
    pub service: Option<ServiceYears>,
    /// Entries with the same name and no ID or birth to decide: shown, never joined silently.
    pub possible_matches: Vec<TimelineEvent>,
    /// Values shown in one form at the counter (`shown`): (field, as written) for each one that
    /// reads differently from what the record wrote, for the clerk to see on hover.
    pub originals: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TimelineEvent {
    pub entry_id: i64,
    pub document_id: i64,
    pub ref_code: String,
    pub category: Option<String>,
    pub title: Option<String>,
    /// The document's date as written, and its key (1998 / 1998-07 / 1998-07-15) for sorting.
    pub date: Option<String>,
    pub date_key: Option<String>,
    /// hired | wage_adjustment | retirement | record
    pub kind: String,
    pub name: String,
    pub unit: Option<String>,
    pub wage_before: Option<String>,
    pub wage_after: Option<String>,
    pub work_start: Option<String>,
    pub retirement: Option<String>,
    pub page: Option<String>,
    pub access: String,
    /// id_number | name_birth | name_only | confirmed | added
    pub join: String,
    /// high (same ID), medium (same name and birth month), low (same name only), or confirmed
    /// by a clerk.
    pub confidence: String,
    /// Values shown in one form at the counter (`shown`): (field, as written) for each one that
    /// reads differently from what the record wrote, for the clerk to see on hover.
    pub originals: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ServiceYears {
    /// From the earliest work start (or hiring) to retirement (or the last record).
    pub from: String,
    pub to: String,
    pub years: i32,
    pub months: i32,
    /// Always 参考: deciding 工龄 is the social-security office's call.
    pub label: String,
    pub basis: String,
}

/// A clerk's decision about who a record belongs to; kept across re-imports.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PersonDecision {
    /// The record the decision is about.
    pub entry_id: i64,
    /// The timeline (any entry of the person) it is confirmed into or added to.
    pub person_entry_id: i64,
    /// confirm | split | add
    pub action: String,
}

/// Which document to show: by 档号 (any written form), by its id, or as the document of an entry.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default)]
pub struct DocumentRequest {
    pub reference: Option<String>,
    pub document_id: Option<i64>,
    pub entry_id: Option<i64>,
    /// Opened from this request (or its attach dialog): while the request is open, the rows
    /// whose ID number is its requester's show in full. Recorded with the view.
    pub request_id: Option<i64>,
    /// What the clerk searched for: highlighted in the full text.
    pub query: Option<String>,
}

/// A clerk's decision about `entry_id` (confirm | split | add) for the person `person` names;
/// answered with the person's timeline with the decision applied.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default)]
pub struct PersonDecisionRequest {
    pub person: PersonRequest,
    pub entry_id: i64,
    pub action: String,
}

/// What the settings screen shows: where the archive is and how much it holds.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ArchiveStatus {
    pub data_dir: String,
    pub stats: Stats,
    /// Records (entries and documents) in the search index.
    pub indexed: u64,
    /// Why the search index was rebuilt when the archive was opened (missing, damaged, out of
    /// step with the store), if it was.
    pub index_rebuilt_because: Option<String>,
    /// The search index being rebuilt in the background right now, and how far it is.
    pub index_rebuilding: Option<IndexRebuilding>,
}

/// A rebuild of the search index under way: why, and the store's documents read so far.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct IndexRebuilding {
    pub because: String,
    pub documents_done: u64,
    pub documents_total: u64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ReindexResponse {
    /// Records (entries and documents) in the rebuilt index.
    pub indexed: u64,
}

/// Starts an import that runs in the background; its progress is asked for with the job id.
///
/// Where the doors differ: the desktop passes file paths (`paths`), the HTTP door takes the files
/// as uploads first (`POST /api/upload`) and names them by the ids it answered (`uploads`).
/// Each door refuses the other's field.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default)]
pub struct ImportStartRequest {
    pub paths: Vec<PathBuf>,
    pub uploads: Vec<String>,
    pub category: Option<String>,
    pub mapping: Option<ColumnMapping>,
    /// Read and report the columns and rows without writing anything (the preview).
    pub dry_run: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ImportJobRequest {
    pub job: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ImportJobStarted {
    pub job: u64,
}

/// An import job as it stands: running with its progress, or finished with a report or an error.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ImportJobStatus {
    pub job: u64,
    pub running: bool,
    pub dry_run: bool,
    pub progress: Option<ImportProgress>,
    /// Files finished so far, of `files_total`.
    pub files_done: usize,
    pub files_total: usize,
    pub report: Option<ImportReport>,
    pub error: Option<crate::error::Error>,
}

/// Files received by the HTTP door, to be named in an `ImportStartRequest`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct UploadedFiles {
    pub files: Vec<UploadedFile>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct UploadedFile {
    pub upload: String,
    /// The file's own name, which the import report shows and by which a later delivery of the
    /// same file replaces this one.
    pub name: String,
    pub bytes: u64,
}

/// A scanned page as the viewer gets it: a preview (made at import, quick to show) or the full
/// image; formats a webview cannot show (TIFF, BMP) arrive converted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum PageSize {
    #[default]
    Preview,
    Full,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PageRequest {
    pub document_id: i64,
    pub page_no: i64,
    #[serde(default)]
    pub size: PageSize,
}

mod backup;
mod cross;
mod desk;
mod field;
mod lan;
mod peers;
mod register;
mod scanned_pages;
pub use backup::*;
pub use cross::*;
pub use desk::*;
pub use field::Field;
pub(crate) use field::SYNONYMS;
pub use lan::*;
pub use peers::*;
pub use register::*;
pub use scanned_pages::*;

#[cfg(test)]
mod typescript;
