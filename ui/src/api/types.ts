// Generated from index/src/api.rs (run `UPDATE_API_TYPES=1 cargo test -p archivedesk --lib api::typescript`); do not edit.

export type Error = { code: ErrorCode, message: string, };

export type ErrorCode = "data_dir" | "schema_too_new" | "database" | "file_refused" | "mapping" | "not_found" | "invalid_request" | "io" | "search_index" | "index_locked" | "index_rebuilding" | "unauthorized" | "forbidden" | "busy" | "throttled" | "disk_full" | "read_only" | "host_unreachable";

export type BackupRequest = { 
/**
 * The folder the backup goes into (a folder of its own is made there); the daily
 * backup's folder from 设置 when left out.
 */
to: string | null, 
/**
 * Encrypts the backup (age, scrypt): a backup holds personal data unmasked. The daily
 * backup's passphrase from 设置 when left out.
 */
passphrase: string | null, };

export type BackupCounts = { documents: number, entries: number, pages: number, requests: number, certificates: number, clerks: number, audit_rows: number, };

export type BackupReport = { 
/**
 * The backup's own folder.
 */
folder: string, taken_at: string, encrypted: boolean, bytes: number, counts: BackupCounts, 
/**
 * Older backups of this archive removed from the folder beyond the number to keep.
 */
removed: Array<string>, };

export type BackupStatus = { folder: string | null, 
/**
 * HH:MM, local time.
 */
time: string | null, keep: number, encrypted: boolean, last_folder: string | null, last_at: string | null, 
/**
 * Why the last daily backup failed, when it did.
 */
last_problem: string | null, };

export type SearchRequest = { 
/**
 * The typed text: names, ID numbers, 档号, 文号, years, pinyin, quoted phrases, `-word`
 * exclusions and `字段:值` terms (姓名: 单位: 年度:1995-1999 …).
 */
query: string, category: string | null, year_from: number | null, year_to: number | null, fonds: string | null, work_unit: string | null, 
/**
 * open | controlled | closed
 */
access: string | null, 
/**
 * Hits per page; 20 when absent.
 */
limit: number | null, offset: number, 
/**
 * The clerk committed to this search (Enter, or opening a result): it is written to the
 * audit trail. The keystrokes of search-as-you-type are not.
 */
committed: boolean, };

export type SearchResponse = { total: number, took_ms: number, hits: Array<SearchHit>, facets: Facets, 
/**
 * How the typed text was understood, for the clerk to check (识别为身份证号 …).
 */
understood: Array<string>, };

export type SearchHit = { 
/**
 * 档号 as stored in the source (in one form at the counter, see `originals`).
 */
ref_code: string, 
/**
 * The person's name as stored (without padding spaces at the counter); null for a
 * document hit.
 */
name: string | null, entry_id: number | null, document_id: number, category: string | null, title: string | null, year: number | null, gender: string | null, 
/**
 * Birth date as written.
 */
birth: string | null, unit: string | null, 
/**
 * ID number with all but the first 6 and last 4 characters hidden.
 */
id_masked: string | null, page: string | null, 
/**
 * open | controlled | closed
 */
access: string, 
/**
 * exact | text | placeholder | pinyin | fuzzy_pinyin | partial_name | initials | same_person
 * | scanned_page
 */
tier: string, score: number, 
/**
 * Fields that matched: name, id_number, ref_code, doc_number, unit, title, full_text,
 * name_pinyin, year …
 */
matched: Array<string>, 
/**
 * Why, in words the clerk reads (姓名完全相同, 拼音相同 …).
 */
reason: string, 
/**
 * Plain-text fragments; highlights are [start, end) in characters (Unicode scalar values)
 * of the fragment. Empty for records that are not open.
 */
snippet: Array<SnippetFragment>, 
/**
 * Values shown in one form at the counter (`shown`): (field, as written) for each one that
 * reads differently from what the record wrote, for the clerk to see on hover.
 */
originals: Array<[string, string]>, 
/**
 * For a hit on a scanned page read by the recognizer (tier `scanned_page`): the page's
 * number in its document, to open it with the words found boxed.
 */
scanned_page: number | null, };

export type SnippetFragment = { 
/**
 * Which stored field the fragment comes from (name, unit, title, full_text …).
 */
field: string, text: string, highlights: Array<[number, number]>, };

export type Facets = { category: Array<FacetCount>, year: Array<FacetCount>, };

export type FacetCount = { value: string, count: number, };

export type DocumentRequest = { reference: string | null, document_id: number | null, entry_id: number | null, 
/**
 * Opened from this request (or its attach dialog): while the request is open, the rows
 * whose ID number is its requester's show in full. Recorded with the view.
 */
request_id: number | null, 
/**
 * What the clerk searched for: highlighted in the full text.
 */
query: string | null, };

export type DocumentView = { id: number, ref_code: string, ref_key: string, fonds: string | null, category: string | null, title: string | null, creator: string | null, doc_number: string | null, date: string | null, year: number | null, page_count: number | null, retention: string | null, 
/**
 * open, controlled or closed.
 */
access: string, has_full_text: boolean, superseded: boolean, 
/**
 * Controlled or closed, and not opened by a supervisor: the catalogue line only, no rows
 * and no pages.
 */
restricted: boolean, entries: Array<EntryView>, pages: Array<PageView>, 
/**
 * The document's full text (OCR or typed), masked like every text a clerk sees; None for
 * a restricted record or a document without text.
 */
full_text: string | null, 
/**
 * Where the words of `DocumentRequest::query` stand in `full_text`: [from, to) in
 * characters (code points).
 */
full_text_highlights: Array<[number, number]>, 
/**
 * The open request the record was opened from: its requester's own rows show in full.
 */
opened_for_request: number | null, 
/**
 * Values shown in one form at the counter (`shown`): (field, as written) for each one that
 * reads differently from what the record wrote, for the clerk to see on hover.
 */
originals: Array<[string, string]>, };

export type EntryView = { id: number, entry_key: string, name: string, gender: string | null, birth: string | null, birth_key: string | null, 
/**
 * Masked (first 6 and last 4 kept).
 */
id_number_masked: string | null, id_valid: boolean | null, work_unit: string | null, work_start: string | null, retire_date: string | null, wage_before: string | null, wage_after: string | null, page: string | null, 
/**
 * The scanned pages the row's page cell names (页次/页号: 3, 第3页, 3-4 …): what attaching
 * the row takes by default.
 */
page_numbers: Array<number>, source_row: number, extra: Array<[string, string]>, notes: Array<string>, superseded: boolean, 
/**
 * The ID number and wages are masked (see `privacy`); "show in full" is `reveal`.
 */
masked: boolean, 
/**
 * Opened from an open request: a row without the requester's ID that the person timeline
 * joins to them — same_person (same name and birth month: a guess, masked until a clerk
 * confirms it with `decide_person`) or confirmed. Null otherwise.
 */
requester_join: string | null, 
/**
 * Values shown in one form at the counter (`shown`): (field, as written) for each one that
 * reads differently from what the record wrote, for the clerk to see on hover.
 */
originals: Array<[string, string]>, };

export type PageView = { page_no: number, path: string, 
/**
 * False when the scan file cannot be found where it was registered.
 */
reachable: boolean, 
/**
 * image (shown in the zoomable viewer) or pdf (a multi-page scan, rendered page by page).
 */
media: string, width: number | null, height: number | null, };

export type PageSize = "preview" | "full";

export type PageRequest = { document_id: number, page_no: number, size: PageSize, };

export type PageReadingStatus = { 
/**
 * Pages read as their files are now.
 */
read: number, 
/**
 * Pages the recognizer could not read (kept, and not tried again until their file changes).
 */
failed: number, 
/**
 * Pages waiting to be read.
 */
waiting: number, 
/**
 * Seconds the waiting pages will take at the pace read so far (None before any page).
 */
seconds_left: number | null, 
/**
 * Whether a reader works through the waiting pages now (the app's or the door's).
 */
running: boolean, 
/**
 * Whether the clerk paused it.
 */
paused: boolean, 
/**
 * Why it cannot run (no models found, …), in words for the clerk.
 */
problem: string | null, };

export type PageReadingPause = { paused: boolean, };

export type PageWordsRequest = { document_id: number, page_no: number, query: string, };

export type PageWords = { document_id: number, page_no: number, 
/**
 * The page's size in pixels as the recognizer read it (the boxes are in these pixels).
 */
width: number | null, height: number | null, 
/**
 * Whether the recognizer has read the page (as its file is now).
 */
read: boolean, 
/**
 * One box per place the query's words stand, top to bottom: corners top-left, top-right,
 * bottom-right, bottom-left as x, y.
 */
boxes: Array<[number, number, number, number, number, number, number, number]>, };

export type PageRowsRequest = { document_id: number, page_no: number, };

export type PageCell = { text: string, quad: [number, number, number, number, number, number, number, number], field: Field | null, };

export type PageTableRow = { 
/**
 * Counted from 1, top to bottom, over every row read on the page (titles included).
 */
row_no: number, cells: Array<PageCell>, 
/**
 * Whether this is the table's header row (its cells name the columns).
 */
header: boolean, 
/**
 * The catalogue row a clerk made of it, if any (still in the catalogue).
 */
entry_id: number | null, 
/**
 * Which confirmation wrote that row last (changes with every correction): sent back with a
 * confirmation, so that one made meanwhile at another desk is not overwritten unseen.
 */
confirmed_in: number | null, };

export type PageRows = { document_id: number, page_no: number, ref_code: string, width: number | null, height: number | null, 
/**
 * Whether the recognizer has read the page (as its file is now).
 */
read: boolean, rows: Array<PageTableRow>, };

export type PageRowValues = { name: string, gender: string | null, birth_date: string | null, id_number: string | null, work_unit: string | null, work_start: string | null, retire_date: string | null, wage_before: string | null, wage_after: string | null, };

export type ConfirmPageRowRequest = { document_id: number, page_no: number, row_no: number, values: PageRowValues, 
/**
 * The row's `PageTableRow::confirmed_in` as the clerk saw it (none for a row not made a
 * catalogue row yet): the confirmation is refused when the row was confirmed or corrected
 * since (another desk).
 */
confirmed_in: number | null, 
/**
 * Keep an ID number whose check digit or birth date is wrong as the page prints it (a
 * misprint of its time). Without it such a number is refused: most are misreadings.
 */
id_as_printed: boolean, };

export type ConfirmedPageRow = { entry_id: number, 
/**
 * `new`, `updated` (the row was confirmed before and is corrected) or `unchanged`.
 */
outcome: string, 
/**
 * What the clerk should know about the values (as an import's notes say it).
 */
notes: Array<string>, };

export type PersonRequest = { entry_id: number | null, id_number: string | null, name: string | null, 
/**
 * YYYY-MM (any written form of a date is accepted).
 */
birth: string | null, 
/**
 * The requester of this open request (which the clerk has opened): their ID number,
 * which the UI only has masked.
 */
request_id: number | null, };

export type PersonTimeline = { name: string, gender: string | null, birth: string | null, id_masked: string | null, events: Array<TimelineEvent>, 
/**
 * Continuous service computed from the dates where they allow; a reference only.
 */
service: ServiceYears | null, 
/**
 * Entries with the same name and no ID or birth to decide: shown, never joined silently.
 */
possible_matches: Array<TimelineEvent>, 
/**
 * Values shown in one form at the counter (`shown`): (field, as written) for each one that
 * reads differently from what the record wrote, for the clerk to see on hover.
 */
originals: Array<[string, string]>, };

export type TimelineEvent = { entry_id: number, document_id: number, ref_code: string, category: string | null, title: string | null, 
/**
 * The document's date as written, and its key (1998 / 1998-07 / 1998-07-15) for sorting.
 */
date: string | null, date_key: string | null, 
/**
 * hired | wage_adjustment | retirement | record
 */
kind: string, name: string, unit: string | null, wage_before: string | null, wage_after: string | null, work_start: string | null, retirement: string | null, page: string | null, access: string, 
/**
 * id_number | name_birth | name_only | confirmed | added
 */
join: string, 
/**
 * high (same ID), medium (same name and birth month), low (same name only), or confirmed
 * by a clerk.
 */
confidence: string, 
/**
 * Values shown in one form at the counter (`shown`): (field, as written) for each one that
 * reads differently from what the record wrote, for the clerk to see on hover.
 */
originals: Array<[string, string]>, };

export type ServiceYears = { 
/**
 * From the earliest work start (or hiring) to retirement (or the last record).
 */
from: string, to: string, years: number, months: number, 
/**
 * Always 参考: deciding 工龄 is the social-security office's call.
 */
label: string, basis: string, };

export type PersonDecision = { 
/**
 * The record the decision is about.
 */
entry_id: number, 
/**
 * The timeline (any entry of the person) it is confirmed into or added to.
 */
person_entry_id: number, 
/**
 * confirm | split | add
 */
action: string, };

export type PersonDecisionRequest = { person: PersonRequest, entry_id: number, action: string, };

export type ArchiveStatus = { data_dir: string, stats: Stats, 
/**
 * Records (entries and documents) in the search index.
 */
indexed: number, 
/**
 * Why the search index was rebuilt when the archive was opened (missing, damaged, out of
 * step with the store), if it was.
 */
index_rebuilt_because: string | null, 
/**
 * The search index being rebuilt in the background right now, and how far it is.
 */
index_rebuilding: IndexRebuilding | null, };

export type IndexRebuilding = { because: string, documents_done: number, documents_total: number, };

export type Stats = { archive_name: string, demo: boolean, documents: number, entries: number, pages: number, superseded_entries: number, import_batches: number, rejected_rows: number, by_category: Array<Count>, by_year: Array<Count>, last_import: string | null, };

export type Count = { key: string, count: number, };

export type ReindexResponse = { 
/**
 * Records (entries and documents) in the rebuilt index.
 */
indexed: number, };

export type ImportStartRequest = { paths: Array<string>, uploads: Array<string>, category: string | null, mapping: ColumnMapping | null, 
/**
 * Read and report the columns and rows without writing anything (the preview).
 */
dry_run: boolean, };

export type ImportJobRequest = { job: number, };

export type ImportJobStarted = { job: number, };

export type ImportJobStatus = { job: number, running: boolean, dry_run: boolean, progress: ImportProgress | null, 
/**
 * Files finished so far, of `files_total`.
 */
files_done: number, files_total: number, report: ImportReport | null, error: Error | null, };

export type ImportRequest = { 
/**
 * Catalogue files (CSV, XLSX, XLS, JSONL) and scan folders.
 */
paths: Array<string>, 
/**
 * Category for rows that carry none (工资调整, 退休审批, 招工录用 …).
 */
category: string | null, mapping: ColumnMapping | null, 
/**
 * Report what would happen without writing anything.
 */
dry_run: boolean, };

export type ColumnMapping = { 
/**
 * Header text (as written) → field name (`name`, `id_number`, or the Chinese label such as
 * 姓名) or `ignore`.
 */
columns: { [key in string]: string }, 
/**
 * The header row, 1-based, when detection should not guess.
 */
header_row: number | null, };

export type ImportReport = { dry_run: boolean, files: Array<FileReport>, };

export type FileOutcome = "imported" | "unchanged" | "refused";

export type FileReport = { path: string, outcome: FileOutcome, 
/**
 * How it was read: format, encoding.
 */
format: string, 
/**
 * Why a file was refused or left unchanged.
 */
message: string | null, batch_id: number | null, 
/**
 * The earlier batch of a file with this name that this one replaces.
 */
replaces_batch: number | null, category: CategoryChoice | null, sheets: Array<SheetReport>, 
/**
 * Non-blank rows below the header: accepted + rejected + skipped.
 */
rows_read: number, rows_accepted: number, rows_rejected: number, 
/**
 * Titles, footers, totals and repeated headers inside a table, and the rows of sheets
 * that hold no catalogue: not records, each said in a warning.
 */
rows_skipped: number, 
/**
 * Accepted rows that repeat an earlier row of the file exactly: kept once.
 */
duplicate_rows: number, 
/**
 * Accepted rows that describe only the document (no 姓名).
 */
document_rows: number, documents_new: number, documents_updated: number, entries_new: number, entries_updated: number, 
/**
 * Entries delivered again exactly as they were.
 */
entries_unchanged: number, 
/**
 * Rows of the replaced batch that this delivery no longer has: kept, marked superseded.
 */
entries_superseded: number, pages_attached: number, rejected: Array<RejectedRow>, warnings: Array<ImportWarning>, };

export type CategoryChoice = { value: string, 
/**
 * Where it came from: option, column, title, file_name.
 */
source: string, };

export type SheetReport = { 
/**
 * Empty for single-sheet formats.
 */
name: string, 
/**
 * 1-based header rows (two for a two-row header); empty when no header was found.
 */
header_rows: Array<number>, 
/**
 * A title row found above the header, such as "XX厂1998年工资调整审批表".
 */
title: string | null, 
/**
 * The category given to this sheet's rows that carry none, and where it came from.
 */
category: CategoryChoice | null, columns: Array<ColumnReport>, rows: number, 
/**
 * Why the sheet was skipped, when it was.
 */
skipped: string | null, };

export type ColumnReport = { 
/**
 * Spreadsheet letter (A, B, … AA).
 */
column: string, header: string, field: Field | null, 
/**
 * synonym, mapping, extra (kept as an extra value) or ignored.
 */
via: string, };

export type Field = "ref_code" | "fonds" | "catalogue_no" | "volume_no" | "item_no" | "category" | "title" | "year" | "creator" | "doc_number" | "date" | "page" | "page_count" | "retention" | "access" | "full_text" | "name" | "gender" | "birth_date" | "id_number" | "work_unit" | "work_start" | "retire_date" | "wage_before" | "wage_after";

export type RejectedRow = { file: string, sheet: string, 
/**
 * 1-based row (line for CSV/JSONL) as the clerk sees it in the source.
 */
row: number, column: string | null, reason: string, };

export type ImportWarning = { file: string, sheet: string, row: number | null, column: string | null, message: string, };

export type ImportProgress = { file: string, sheet: string, rows_done: number, 
/**
 * Bytes of the file read so far and in all, for a progress bar; None when unknown.
 */
bytes_done: number | null, bytes_total: number | null, };

export type UploadedFiles = { files: Array<UploadedFile>, };

export type UploadedFile = { upload: string, 
/**
 * The file's own name, which the import report shows and by which a later delivery of the
 * same file replaces this one.
 */
name: string, bytes: number, };

export type Role = "clerk" | "supervisor";

export type Caller = { 
/**
 * None for the local operator of the command line.
 */
clerk_id: number | null, login: string, display_name: string, role: Role, 
/**
 * The LAN desk the clerk works at now (its desk code), as the host's LAN door knows it from
 * the desk's key; None on the host itself and on a PC that works alone.
 */
desk: string | null, };

export type DeskSession = { caller: Caller | null, needs_first_clerk: boolean, 
/**
 * The login screen's heading: the archive's name, and whether it is demo data.
 */
archive_name: string, demo: boolean, 
/**
 * The clerk at the desk must choose a new password before anything else.
 */
must_change_password: boolean, 
/**
 * Minutes without a request after which the login ends.
 */
idle_minutes: number, 
/**
 * 利用目的 and 查档渠道 the register accepts, for the UI's choices.
 */
purposes: Array<string>, channels: Array<string>, };

export type LoginRequest = { login: string, password: string, };

export type NewClerk = { login: string, display_name: string, role: Role, password: string, };

export type ClerkView = { id: number, login: string, display_name: string, role: Role, created_at: string, disabled: boolean, 
/**
 * A supervisor reset the password: the clerk must choose a new one at the next login.
 */
must_change_password: boolean, 
/**
 * Failed logins in a row (at the address with the most), and how long the next attempt
 * must still wait.
 */
failed_logins: number, login_delay_seconds: number | null, };

export type ClerkChange = { clerk_id: number, role: Role | null, disabled: boolean | null, 
/**
 * A new password the clerk must change at the next login.
 */
reset_password: string | null, };

export type PasswordChange = { current_password: string, new_password: string, };

export type ClearLoginDelay = { login: string, };

export type DeskSettings = { 
/**
 * Minutes without a request after which a login ends (30 by default).
 */
idle_minutes: number | null, 
/**
 * A second folder (another drive) the audit trail's anchors are written to.
 */
anchor_mirror_dir: string | null, 
/**
 * The daily backup's folder (another drive); empty turns the daily backup off.
 */
backup_dir: string | null, 
/**
 * The daily backup's time of day, HH:MM.
 */
backup_time: string | null, 
/**
 * How many of the archive's backups the folder keeps (7 by default).
 */
backup_keep: number | null, 
/**
 * Encrypts the daily backups; empty turns encryption off. Never sent back.
 */
backup_passphrase: string | null, 
/**
 * Days a request's proof files (ID card, letter of authorization) are kept after the
 * request closed; then their content is deleted, and the deletion recorded (180 by default).
 */
proof_retention_days: number | null, };

export type LanDesk = { 
/**
 * The letter its certificates are numbered with (〔2026〕B第0001号).
 */
code: string, name: string, 
/**
 * SHA-256 of the desk's public key, in hex.
 */
pin: string, enrolled_at: string, enrolled_by: string, revoked_at: string | null, };

export type LanPairingRequest = { desk_name: string | null, };

export type LanPairing = { code: string, desk_code: string, desk_name: string, seconds_left: number, };

export type LanDeskRevokeRequest = { desk_code: string, };

export type DeskPlace = { chosen: boolean, lan: LanDeskPlace | null, 
/**
 * Why the data folder's pairing could not be read (a damaged `lan_desk.json` or key): the
 * first-start screen says so, and the desk pairs again.
 */
problem: string | null, };

export type LanDeskPlace = { host: string, desk_code: string, desk_name: string, archive_name: string, };

export type LanConnectRequest = { host: string, code: string, };

export type LanHostStatus = { running: boolean, 
/**
 * The address it listens on; when off, the one it would open on.
 */
listen: string | null, 
/**
 * The host key's SHA-256 in groups, as desks check it.
 */
host_pin: string | null, 
/**
 * The pairing open now (opened with the door, or in 局域网柜台), while it lasts.
 */
pairing: LanPairing | null, };

export type LanHostStartRequest = { 
/**
 * `192.168.1.20:8443`, `0.0.0.0:8443`, or a port alone.
 */
listen: string, };

export type Peer = { id: number, name: string, 
/**
 * Its peer door, `host:port`.
 */
address: string, 
/**
 * SHA-256 of its public key, in hex: the only thing that makes it this archive.
 */
pin: string, added_at: string, added_by: string, };

export type PeerDirectory = { 
/**
 * This archive's key hash, grouped as it is read out.
 */
own_pin: string, province: string | null, 
/**
 * Whether every peer can be asked at once (the province's shared key is here).
 */
can_ask_all: boolean, peers: Array<Peer>, };

export type PeerDoorStatus = { running: boolean, 
/**
 * The address it listens on; when off, the one it would open on.
 */
listen: string | null, };

export type PeerDoorStartRequest = { 
/**
 * `192.168.1.20:9443`, `0.0.0.0:9443`, or a port alone.
 */
listen: string, };

export type PeerAddRequest = { name: string, address: string, 
/**
 * The key hash as the other archive shows it (groups of hex, spaces or colons allowed).
 */
pin: string, };

export type PeerRemoveRequest = { id: number, };

export type PeerListRequest = { content_base64: string, };

export type PeerListPreview = { province: string, peers: Array<PeerListed>, 
/**
 * Whether the list carries the province's shared key for asking every peer at once.
 */
has_hash_key: boolean, };

export type PeerListed = { name: string, address: string, 
/**
 * The key hash, grouped as archives read it out to each other.
 */
pin_shown: string, 
/**
 * added (new), same (already a peer with this key), changed_address, self (this archive);
 * not taken in: changed_key (a peer of that name holds another key), removed_before (a key
 * a supervisor removed).
 */
effect: string, };

export type WhoHoldsFacts = { archive_name: string, 
/**
 * Open records, by category, year and how sure the match is.
 */
groups: Array<HeldGroup>, 
/**
 * Controlled or closed records: counted, never described.
 */
restricted: number, };

export type HeldGroup = { category: string | null, year: number | null, 
/**
 * id (the ID itself), name_birth (same name and birth month), name_only, or confirmed (a
 * clerk there joined it to the person).
 */
matched_by: string, records: number, 
/**
 * The documents' titles with every person's name in them masked.
 */
titles: Array<string>, };

export type PeerAskRequest = { request_id: number, 
/**
 * The peers asked; empty asks every peer, with the keyed hash of the ID alone.
 */
peers: Array<number>, 
/**
 * To the peers chosen: send the ID number.
 */
with_id: boolean, 
/**
 * To the peers chosen: send the name and birth month.
 */
with_name: boolean, };

export type PeerAskView = { ask_id: number, request_id: number, 
/**
 * hash (every peer, keyed hash only) or chosen.
 */
mode: string, answers: Array<PeerAnswer>, done: boolean, };

export type PeerAnswer = { peer_id: number, peer_name: string, 
/**
 * waiting, found (有记录), none (无记录), timeout (超时), refused (拒绝), unreachable (无法连接).
 */
state: string, facts: WhoHoldsFacts | null, 
/**
 * Why refused or unreachable, in words.
 */
message: string | null, millis: number | null, };

export type PeerAskStatusRequest = { ask_id: number, };

export type Relationship = "self" | "proxy" | "unit";

export type NewLookupRequest = { 
/**
 * The person the records are about (当事人): the one at the counter when they come
 * themselves (查档人), else the one a proxy (代理人) or a unit asks for. Their ID number
 * decides which attached rows are their own.
 */
requester_name: string, requester_id: string, requester_phone: string | null, relationship: Relationship, proxy_name: string | null, proxy_id: string | null, proxy_phone: string | null, unit_name: string | null, purpose: string, purpose_note: string | null, channel: string, 
/**
 * Where the result goes (代查代送: a postal address, or 自取); required for that channel.
 */
delivery: string | null, 
/**
 * What is sought, in the requester's words.
 */
sought: string, };

export type RequestStatus = "registered" | "found" | "not_found" | "delivered";

export type LookupRequestView = { id: number, registered_at: string, registered_by: string, requester_name: string, requester_id_masked: string, requester_phone: string | null, relationship: Relationship, proxy_name: string | null, proxy_id_masked: string | null, proxy_phone: string | null, unit_name: string | null, purpose: string, purpose_note: string | null, channel: string, 
/**
 * Where the result goes (代查代送).
 */
delivery: string | null, sought: string, status: RequestStatus, outcome: string | null, answered_at: string | null, closed_at: string | null, records: Array<AttachedRecord>, certificates: Array<CertificateView>, 
/**
 * What still stands between the request and its certificate (see `CoverRequest`).
 */
uncovered: Array<UncoveredPage>, 
/**
 * The proof the request was accepted on (ID card, letter of authorization), newest last;
 * deleted ones say when and why.
 */
proofs: Array<ProofFile>, 
/**
 * 跨馆 applications this request sent to other archives.
 */
cross_sent: Array<CrossSent>, 
/**
 * The application another archive sent, when this request was registered for it.
 */
cross_received: CrossReceived | null, };

export type ProofFile = { id: number, request_id: number, 
/**
 * id_card (身份证), authorization (授权委托书) or other (其他证明).
 */
kind: string, file_name: string, 
/**
 * image/jpeg, image/png, image/tiff or application/pdf.
 */
media_type: string, bytes: number, added_at: string, added_by: string, 
/**
 * When the content was deleted, and why: retention (保存期满) or removed (经办人删除).
 */
deleted_at: string | null, deleted_why: string | null, };

export type CrossSendRequest = { request_id: number, peer_id: number, };

export type CrossSent = { id: number, peer_id: number, peer_name: string, sent_at: string, sent_by: string, 
/**
 * submitted (已提交), accepted (已受理), in_progress (协办中), certified (已出证),
 * no_records (无档案) or returned (退回).
 */
state: string, state_at: string, 
/**
 * The day the holding archive answers by, as it said.
 */
deadline: string | null, 
/**
 * Why it was returned.
 */
reason: string | null, 
/**
 * Whether the application has reached the other archive; while not, why the last try failed.
 */
delivered: boolean, last_error: string | null, 
/**
 * The holding archive's certificate, once issued.
 */
certificate_number: string | null, certificate_code: string | null, 
/**
 * Set when the holding archive voided that certificate since (and has not issued another).
 */
certificate_voided_at: string | null, certificate_void_reason: string | null, };

export type CrossReceived = { id: number, 
/**
 * This archive's request, registered when the application came.
 */
request_id: number, peer_name: string, received_at: string, 
/**
 * YYYY-MM-DD, counted in working days.
 */
deadline: string, 
/**
 * Working days left until the deadline (0 on the day; negative when overdue).
 */
working_days_left: number, overdue: boolean, 
/**
 * The sending archive's request number and clerk.
 */
their_request_no: string, their_clerk: string, requester_name: string, purpose: string, sought: string, state: string, state_at: string, reason: string | null, };

export type CrossInboxQuery = { all: boolean, };

export type CrossInbox = { items: Array<CrossReceived>, overdue: number, };

export type CrossReturnRequest = { id: number, reason: string, };

export type CalendarDay = { 
/**
 * YYYY-MM-DD.
 */
day: string, working: boolean, note: string | null, };

export type WorkCalendar = { days: Array<CalendarDay>, deadline_days: number, };

export type CalendarChange = { set: Array<CalendarDay>, 
/**
 * YYYY-MM-DD of days to forget.
 */
remove: Array<string>, deadline_days: number | null, };

export type ProofAddRequest = { request_id: number, 
/**
 * id_card, authorization or other.
 */
kind: string, file_name: string, 
/**
 * The file, base64 (10 MB at most): JPEG, PNG, TIFF or PDF.
 */
content_base64: string, };

export type ProofContent = { id: number, file_name: string, media_type: string, content_base64: string, };

export type AttachedRecord = { id: number, document_id: number, entry_id: number | null, ref_code: string, title: string | null, date: string | null, doc_number: string | null, access: string, category: string | null, 
/**
 * The person's row as shown: (column, value); the ID and wages in full only when the row
 * is the requester's own.
 */
row: Array<[string, string]>, 
/**
 * Whether the row's ID number is the requester's.
 */
own_record: boolean, pages: Array<number>, redactions: Array<PageRedactions>, attached_at: string, attached_by: string, 
/**
 * Pages that hold other people's rows: each must be covered and confirmed (or overridden
 * by a supervisor) before the request can be certified.
 */
pages_with_others: Array<number>, 
/**
 * The confirmations and overrides given, page by page.
 */
covers: Array<PageCover>, };

export type PageCover = { page_no: number, by: string, at: string, 
/**
 * Set when a supervisor let the page go out without (all) boxes.
 */
override_reason: string | null, };

export type UncoveredPage = { record_id: number, ref_code: string, page_no: number, 
/**
 * Redaction boxes drawn on it so far.
 */
boxes: number, };

export type CoverRequest = { request_id: number, record_id: number, page_no: number, override_reason: string | null, };

export type Redaction = { x: number, y: number, width: number, height: number, };

export type PageRedactions = { page_no: number, boxes: Array<Redaction>, };

export type AttachRequest = { request_id: number, 
/**
 * The person's row; or only the document when the record has no rows.
 */
entry_id: number | null, document_id: number | null, 
/**
 * Pages used (copied). When empty: the pages the row's catalogue page (页次/页号) names, or
 * none when it names none (the clerk ticks them); for a document attached without a row,
 * all its pages when it holds one person's rows at most, else none.
 */
pages: Array<number>, 
/**
 * The catalogue line alone, no page (the clerk ticked none).
 */
catalogue_only: boolean, };

export type RedactRequest = { request_id: number, 
/**
 * The attached record (`AttachedRecord::id`).
 */
record_id: number, page_no: number, 
/**
 * Replaces the page's boxes.
 */
boxes: Array<Redaction>, };

export type CoverSuggestRequest = { request_id: number, 
/**
 * The attached record (`AttachedRecord::id`).
 */
record_id: number, page_no: number, };

export type CoverSuggestion = { 
/**
 * Over every row of the page's table but the requester's (and the row attached): nothing
 * is saved until the clerk has checked them.
 */
boxes: Array<Redaction>, 
/**
 * The requester's own rows, to be shown highlighted.
 */
own: Array<Redaction>, 
/**
 * Whether the page holds a row of the requester's: false offers to take the page off the
 * request instead of blacking it out; null when the catalogue cannot say.
 */
requester_on_page: boolean | null, 
/**
 * What the boxes rest on, or why there are none, in Chinese.
 */
note: string, };

export type RequestStatusChange = { request_id: number, status: RequestStatus, 
/**
 * 利用效果, in the clerk's words.
 */
outcome: string | null, };

export type RequestQuery = { 
/**
 * Requester's name, ID number (any form) or phone; empty for all.
 */
text: string, 
/**
 * Registered on or after this day (YYYY-MM-DD).
 */
from: string | null, 
/**
 * Registered on or before this day (YYYY-MM-DD).
 */
to: string | null, status: RequestStatus | null, limit: number | null, offset: number, };

export type RequestSummary = { id: number, registered_at: string, requester_name: string, requester_id_masked: string, purpose: string, channel: string, status: RequestStatus, records: number, certificates: number, };

export type RequestList = { total: number, requests: Array<RequestSummary>, };

export type IdRequest = { id: number, };

export type IssueRequest = { request_id: number, 
/**
 * The `fingerprint` of the preview the clerk confirmed: the certificate is issued only if
 * it is still that one (nothing attached, removed or covered since). Scripts (the CLI)
 * issue without a preview and leave it out.
 */
confirmed: string | null, };

export type CertificatePreview = { request_id: number, 
/**
 * The PDF with 预览 in place of the number and the code, base64.
 */
pdf_base64: string, 
/**
 * Scanned pages it copies.
 */
pages: number, 
/**
 * What stands before issuing, in Chinese; empty when it can be issued.
 */
blockers: Array<string>, 
/**
 * Names exactly this content; `IssueRequest::confirmed` gives it back.
 */
fingerprint: string, };

export type VoidCertificateRequest = { number_or_code: string, reason: string, };

export type RemoveAttachedRequest = { request_id: number, record_id: number, 
/**
 * Only this page of the record; the whole record when absent.
 */
page_no: number | null, };

export type CertificateView = { id: number, request_id: number, 
/**
 * Such as 〔2026〕A第0001号.
 */
number: string, verify_code: string, issued_at: string, issued_by: string, 
/**
 * Scanned pages copied into it.
 */
pages: number, pdf_bytes: number, pdf_sha256: string, 
/**
 * Set when it was voided (作废): when, by whom, why.
 */
voided_at: string | null, voided_by: string | null, void_reason: string | null, };

export type CertificateRequest = { number_or_code: string, };

export type CertificatePdf = { certificate: CertificateView, 
/**
 * The PDF as issued, base64.
 */
pdf_base64: string, };

export type VerifyRequest = { code: string, 
/**
 * A PDF someone presented, base64: it must be the one issued, byte for byte.
 */
pdf_base64: string | null, };

export type VerifyResult = { valid: boolean, 
/**
 * Why not, in Chinese, when not valid.
 */
reason: string | null, certificate: CertificateView | null, requester_name: string | null, records: Array<string>, 
/**
 * When a PDF file was given: whether it is byte for byte the one issued.
 */
pdf_matches: boolean | null, 
/**
 * The archive that issued it, when another archive did and this one received it for a 跨馆
 * request: this archive vouches it is the PDF it received; the issuing one, for the rest.
 */
issued_elsewhere: string | null, };

export type RevealRequest = { entry_id: number, reason: string, };

export type RevealedEntry = { entry_id: number, id_number: string | null, wage_before: string | null, wage_after: string | null, extra: Array<[string, string]>, };

export type OpenRestrictedRequest = { document_id: number, reason: string, };

export type AuditRow = { seq: number, at: string, actor: string, action: string, target: string | null, detail: string, };

export type AuditQuery = { limit: number | null, offset: number, 
/**
 * Rows whose clerk contains this (a name or a login).
 */
actor: string | null, 
/**
 * Rows of this action only (`certificate`, `reveal` …).
 */
action: string | null, 
/**
 * Days, YYYY-MM-DD, both included.
 */
from: string | null, to: string | null, };

export type AuditHead = { count: number, last_hash: string, first_at: string | null, last_at: string | null, };

export type AuditVerifyRequest = { 
/**
 * A head exported earlier, to compare with.
 */
head: AuditHead | null, };

export type AuditVerification = { intact: boolean, rows: number, 
/**
 * Anchors found (in the data folder and the second folder) and checked.
 */
anchors: number, 
/**
 * The first row that breaks the chain, and how.
 */
broken_at: number | null, problem: string | null, head: AuditHead, };

export type UsageRequest = { 
/**
 * First day counted (YYYY-MM-DD); the start of this year when absent.
 */
from: string | null, 
/**
 * Last day counted (YYYY-MM-DD); today when absent.
 */
to: string | null, 
/**
 * "day", "month" or "year".
 */
period: string | null, };

export type UsageCount = { key: string, count: number, };

export type UsageStats = { from: string, to: string, period: string, 
/**
 * 利用人次: requests registered.
 */
people_served: number, 
/**
 * 利用卷/件次: records attached.
 */
records_used: number, 
/**
 * 复制页数: scanned pages copied into certificates.
 */
pages_copied: number, 
/**
 * 出具证明份数, voided ones not counted
 */
certificates: number, 
/**
 * 作废证明份数
 */
certificates_voided: number, 
/**
 * Requests answered (found or not) and, of those, found.
 */
answered: number, found: number, 
/**
 * Median minutes from registration to answer, over answered requests.
 */
median_minutes_to_answer: number | null, by_period: Array<UsageCount>, by_purpose: Array<UsageCount>, by_channel: Array<UsageCount>, by_category: Array<UsageCount>, by_status: Array<UsageCount>, };

export type ExportedFile = { file_name: string, base64: string, };
