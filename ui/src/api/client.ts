// The one door of the UI to the engine. Inside the desktop app every operation is a Tauri
// command; in a browser it is `POST /api/<op>` on the `archivedesk serve` that served the page.
import { convertFileSrc, invoke } from '@tauri-apps/api/core'
import type {
  ArchiveStatus,
  AttachRequest,
  AuditQuery,
  AuditRow,
  AuditVerification,
  AuditVerifyRequest,
  BackupReport,
  BackupStatus,
  CalendarChange,
  Caller,
  CertificatePdf,
  CertificatePreview,
  CertificateRequest,
  CertificateView,
  ClearLoginDelay,
  ClerkChange,
  ClerkView,
  CoverRequest,
  CoverSuggestRequest,
  CoverSuggestion,
  CrossInbox,
  CrossInboxQuery,
  CrossReturnRequest,
  CrossSendRequest,
  DeskPlace,
  DeskSession,
  DeskSettings,
  DocumentRequest,
  DocumentView,
  ErrorCode,
  ExportedFile,
  IdRequest,
  ImportJobRequest,
  ImportJobStarted,
  ImportJobStatus,
  ImportStartRequest,
  IssueRequest,
  LanConnectRequest,
  LanDesk,
  LanDeskRevokeRequest,
  LanHostStartRequest,
  LanHostStatus,
  PeerDoorStartRequest,
  PeerDoorStatus,
  LanPairing,
  LanPairingRequest,
  LoginRequest,
  LookupRequestView,
  NewClerk,
  NewLookupRequest,
  OpenRestrictedRequest,
  PageReadingStatus,
  PageSize,
  PageWords,
  PageWordsRequest,
  PageRowsRequest,
  PageRows,
  ConfirmPageRowRequest,
  ConfirmedPageRow,
  PasswordChange,
  PeerAddRequest,
  PeerAskRequest,
  PeerAskStatusRequest,
  PeerAskView,
  PeerDirectory,
  PeerListPreview,
  PeerListRequest,
  PeerRemoveRequest,
  PersonDecisionRequest,
  PersonRequest,
  PersonTimeline,
  ProofAddRequest,
  ProofContent,
  RedactRequest,
  ReindexResponse,
  RemoveAttachedRequest,
  RequestList,
  RequestQuery,
  RequestStatusChange,
  RevealRequest,
  RevealedEntry,
  SearchRequest,
  SearchResponse,
  UploadedFiles,
  UsageRequest,
  UsageStats,
  VerifyRequest,
  WorkCalendar,
  VerifyResult,
  VoidCertificateRequest,
} from './types'

/// `network`: the server could not be reached; `http`: it answered without a readable error.
export type ClientErrorCode = ErrorCode | 'network' | 'http' | 'unknown'

/// An error the engine reported (`{code, message}`, message in Chinese for the clerk) or one
/// the transport met. An empty message means: say it from the code.
export class ApiError extends Error {
  readonly code: ClientErrorCode
  readonly status: number | null

  constructor(code: ClientErrorCode, message: string, status: number | null = null) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.status = status
  }
}

const API = '/api'

export function inTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window
}

function isWireError(value: unknown): value is { code: ErrorCode; message: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  )
}

function fromTauri(error: unknown): ApiError {
  if (isWireError(error)) return new ApiError(error.code, error.message)
  if (typeof error === 'string') return new ApiError('unknown', error)
  return new ApiError('unknown', '')
}

async function fromResponse(response: Response): Promise<ApiError> {
  try {
    const body: unknown = await response.json()
    if (isWireError(body)) return new ApiError(body.code, body.message, response.status)
  } catch {
    // Not JSON (a proxy's page, an empty body): fall through to the status alone.
  }
  return new ApiError('http', '', response.status)
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError'
}

async function fetchOrThrow(url: string, init: RequestInit): Promise<Response> {
  let response: Response
  try {
    response = await fetch(url, { credentials: 'same-origin', ...init })
  } catch (error) {
    if (isAbort(error)) throw error
    throw new ApiError('network', '')
  }
  if (!response.ok) throw await fromResponse(response)
  return response
}

/// Told when an operation was refused for want of a login (idle too long, 12 hours, the account
/// changed by a supervisor, the server restarted). The desk store asks for the login again over
/// the screen and answers true once the same clerk is back, so that the operation is sent again.
type UnauthorizedListener = (error: ApiError) => Promise<boolean> | void
const unauthorizedListeners = new Set<UnauthorizedListener>()

export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener)
  return () => unauthorizedListeners.delete(listener)
}

/// Ops whose `unauthorized` answer is part of their own dialogue (a wrong password, a first
/// account that someone else made meanwhile), not a sign that the login was lost.
const OWN_UNAUTHORIZED = new Set(['desk_session', 'login', 'logout', 'create_clerk'])

/// Whether a listener got the same clerk logged in again (the refused operation may be retried).
export async function reportUnauthorized(error: ApiError): Promise<boolean> {
  const answers = await Promise.all([...unauthorizedListeners].map((listener) => listener(error)))
  return answers.some((again) => again === true)
}

async function send<Res>(op: string, request: unknown, signal?: AbortSignal): Promise<Res> {
  if (inTauri()) {
    try {
      return await invoke<Res>(op, { request })
    } catch (error) {
      throw fromTauri(error)
    }
  }
  const response = await fetchOrThrow(`${API}/${op}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
    signal,
  })
  return (await response.json()) as Res
}

/// Told when a LAN desk loses its host (true) and when the host answers again (false).
type HostListener = (away: boolean) => void
const hostListeners = new Set<HostListener>()
let hostAway = false

export function onHostAway(listener: HostListener): () => void {
  hostListeners.add(listener)
  return () => hostListeners.delete(listener)
}

function setHostAway(away: boolean): void {
  if (hostAway === away) return
  hostAway = away
  for (const listener of hostListeners) listener(away)
}

/// Ops that only read: while a desk's host cannot be reached they are sent again, later and
/// later, until it answers. Acts are not: the desk's door already asked again under the act's
/// retry key, and a second try from here could do the act twice.
const RESENT_WHILE_HOST_AWAY = new Set([
  'desk_session',
  'status',
  'search',
  'document',
  'person',
  'lookup_requests',
  'lookup_request',
  'clerks',
  'desk_settings',
  'backup_status',
  'audit_rows',
  'usage_stats',
  'import_status',
])

/// The waits between tries while the host is away: 1, 2, 4, then 8 s each.
export function hostRetryDelay(attempt: number): number {
  return Math.min(1000 * 2 ** attempt, 8000)
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}

async function call<Res>(op: string, request: unknown, signal?: AbortSignal): Promise<Res> {
  for (let attempt = 0; ; attempt++) {
    try {
      const answer = await send<Res>(op, request, signal)
      setHostAway(false)
      return answer
    } catch (error) {
      if (error instanceof ApiError && error.code === 'host_unreachable') {
        setHostAway(true)
        if (RESENT_WHILE_HOST_AWAY.has(op) && !signal?.aborted) {
          await pause(hostRetryDelay(attempt), signal)
          if (!signal?.aborted) continue
        }
      }
      if (error instanceof ApiError && error.code === 'unauthorized' && !OWN_UNAUTHORIZED.has(op)) {
        // Waits while the login is asked for again; a search replaced meanwhile is not resent.
        if ((await reportUnauthorized(error)) && !signal?.aborted) return call(op, request, signal)
      }
      throw error
    }
  }
}

// ── Where the desktop app works ─────────────────────────────────────────────────────────────

/// Where the app works: its own archive, or a LAN host's as a desk; on a new PC's first start,
/// not chosen yet. A browser always works where the page came from.
export async function deskPlace(): Promise<DeskPlace> {
  if (!inTauri()) return { chosen: true, lan: null, problem: null }
  return tauriOnly<DeskPlace>('desk_place', {})
}

/// 本机档案库: this PC keeps an archive of its own.
export function chooseLocalArchive(): Promise<DeskPlace> {
  return tauriOnly('choose_local_archive', {})
}

/// 连接局域网档案库: pairs with the host at the address, with the code shown there.
export function connectLanArchive(request: LanConnectRequest): Promise<DeskPlace> {
  return tauriOnly('connect_lan_archive', request)
}

async function tauriOnly<Res>(command: string, request: unknown): Promise<Res> {
  try {
    return await invoke<Res>(command, { request })
  } catch (error) {
    throw fromTauri(error)
  }
}

// ── Who is at the desk ──────────────────────────────────────────────────────────────────────

export function deskSession(): Promise<DeskSession> {
  return call('desk_session', {})
}

export function login(request: LoginRequest): Promise<Caller> {
  return call('login', request)
}

export function logout(): Promise<DeskSession> {
  return call('logout', {})
}

/// Before any account exists anyone may make the first one (it becomes the supervisor);
/// afterwards only a logged-in supervisor.
export function createClerk(request: NewClerk): Promise<ClerkView> {
  return call('create_clerk', request)
}

export function clerks(): Promise<ClerkView[]> {
  return call('clerks', {})
}

/// The clerk's own password; the engine keeps them logged in.
export function changePassword(request: PasswordChange): Promise<DeskSession> {
  return call('change_password', request)
}

/// A supervisor disables or enables an account, changes its role or resets its password; the
/// clerk's logins end at once.
export function changeClerk(request: ClerkChange): Promise<ClerkView> {
  return call('change_clerk', request)
}

/// A supervisor lets a login slowed by failed attempts be tried again at once; the accounts.
export function clearLoginDelay(request: ClearLoginDelay): Promise<ClerkView[]> {
  return call('clear_login_delay', request)
}

export function deskSettings(): Promise<DeskSettings> {
  return call('desk_settings', {})
}

export function setDeskSettings(request: DeskSettings): Promise<DeskSettings> {
  return call('set_desk_settings', request)
}

/// The daily backup's settings and how the last backup went (supervisors).
export function backupStatus(): Promise<BackupStatus> {
  return call('backup_status', {})
}

/// A backup now, into the folder set in 设置 (supervisors).
export function backupNow(): Promise<BackupReport> {
  return call('backup_now', {})
}

/// At a LAN desk (`serve --connect`, or the desktop app paired with a host): the host's own
/// operations on its desks, which an archive of the PC's own does not have.
async function atLanHost<Res>(op: string, request: unknown): Promise<Res> {
  if (inTauri()) return tauriOnly<Res>(op, request)
  const response = await fetchOrThrow(`${API}/${op}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
  })
  return (await response.json()) as Res
}

/// The counter desks paired with this archive's LAN host (supervisors).
export function lanDesks(): Promise<LanDesk[]> {
  return atLanHost('lan_desks', {})
}

/// Opens a pairing for one more desk: the code to type there, once, within minutes.
export function lanPairingStart(request: LanPairingRequest): Promise<LanPairing> {
  return atLanHost('lan_pairing_start', request)
}

/// Revokes a desk; answered with the desks as they are now.
export function lanDeskRevoke(request: LanDeskRevokeRequest): Promise<LanDesk[]> {
  return atLanHost('lan_desk_revoke', request)
}

/// Desktop only, on an archive of the PC's own (supervisors): 设置 → 局域网主机, the LAN door
/// the app opens for the office's other desks.
export function lanHostStatus(): Promise<LanHostStatus> {
  return tauriOnly('lan_host_status', {})
}

export function lanHostStart(request: LanHostStartRequest): Promise<LanHostStatus> {
  return tauriOnly('lan_host_start', request)
}

export function lanHostStop(): Promise<LanHostStatus> {
  return tauriOnly('lan_host_stop', {})
}

/// Desktop only, on an archive of the PC's own (supervisors): 本馆跨馆端口, the peer door the app
/// opens for other archives.
export function peerDoorStatus(): Promise<PeerDoorStatus> {
  return tauriOnly('peer_door_status', {})
}

export function peerDoorStart(request: PeerDoorStartRequest): Promise<PeerDoorStatus> {
  return tauriOnly('peer_door_start', request)
}

export function peerDoorStop(): Promise<PeerDoorStatus> {
  return tauriOnly('peer_door_stop', {})
}

// ── Other archives (跨馆) ───────────────────────────────────────────────────────────────────

/// The other archives, this archive's own key hash, and whether all can be asked at once.
export function peers(): Promise<PeerDirectory> {
  return call('peers', {})
}

/// At the host (supervisors): another archive added by its name, address and key hash.
export function peerAdd(request: PeerAddRequest): Promise<PeerDirectory> {
  return call('peer_add', request)
}

export function peerRemove(request: PeerRemoveRequest): Promise<PeerDirectory> {
  return call('peer_remove', request)
}

/// A province's list as it would be taken in, each key hash shown for comparing.
export function peerListPreview(request: PeerListRequest): Promise<PeerListPreview> {
  return call('peer_list_preview', request)
}

export function peerListImport(request: PeerListRequest): Promise<PeerListPreview> {
  return call('peer_list_import', request)
}

/// Starts asking other archives who holds records for the person of an open 跨馆 request.
export function peerAsk(request: PeerAskRequest): Promise<PeerAskView> {
  return call('peer_ask', request)
}

/// The ask as it stands: each peer's answer as it came.
export function peerAskStatus(request: PeerAskStatusRequest): Promise<PeerAskView> {
  return call('peer_ask_status', request)
}

// ── Proof files of a request ───────────────────────────────────────────────────────────────

/// Keeps a scan or photo of the requester's ID card or a proxy's letter with the request.
export function proofAdd(request: ProofAddRequest): Promise<LookupRequestView> {
  return call('proof_add', request)
}

/// A proof's content, to show; recorded on the trail.
export function proofView(request: IdRequest): Promise<ProofContent> {
  return call('proof_view', request)
}

/// Removes a proof captured by mistake (the clerk who added it, or a supervisor).
export function proofRemove(request: IdRequest): Promise<LookupRequestView> {
  return call('proof_remove', request)
}

// ── The 跨馆 round trip ────────────────────────────────────────────────────────────────────

/// Sends an open 跨馆 request's application, with its proof, to another archive.
export function crossSend(request: CrossSendRequest): Promise<LookupRequestView> {
  return call('cross_send', request)
}

/// 跨馆协办: the applications other archives sent here, with their deadlines.
export function crossInbox(request: CrossInboxQuery): Promise<CrossInbox> {
  return call('cross_inbox', request)
}

/// 受理 an application received.
export function crossAccept(request: IdRequest): Promise<LookupRequestView> {
  return call('cross_accept', request)
}

/// 退回 an application received, with the reason.
export function crossReturn(request: CrossReturnRequest): Promise<LookupRequestView> {
  return call('cross_return', request)
}

/// The certificate another archive issued for an application sent (a PDF).
export function crossCertificate(request: IdRequest): Promise<ExportedFile> {
  return call('cross_certificate', request)
}

/// The working-day calendar the deadlines are counted on.
export function workCalendar(): Promise<WorkCalendar> {
  return call('work_calendar', {})
}

/// At the host (supervisors): holidays, 调休 working days and the deadline set.
export function setWorkCalendar(request: CalendarChange): Promise<WorkCalendar> {
  return call('set_work_calendar', request)
}

// ── Scanned pages read by the recognizer (扫描页识别) ─────────────────────────────────────────

/// Where the words of a search stand on a scanned page the recognizer read.
export function pageWords(request: PageWordsRequest): Promise<PageWords> {
  return call('page_words', request)
}

/// The table rows the recognizer read on a scanned page, each cell with the field its header names.
export function pageRows(request: PageRowsRequest): Promise<PageRows> {
  return call('page_rows', request)
}

/// Make a row read on a scanned page a catalogue row of its record (confirming it again corrects it).
export function confirmPageRow(request: ConfirmPageRowRequest): Promise<ConfirmedPageRow> {
  return call('confirm_page_row', request)
}

/// How far the background reading of scanned pages without text is.
export function pageReadingStatus(): Promise<PageReadingStatus> {
  return call('page_reading_status', {})
}

/// At the host: pause or resume the background reading (kept across restarts).
export function pausePageReading(paused: boolean): Promise<PageReadingStatus> {
  return call('page_reading_pause', { paused })
}

// ── Records ─────────────────────────────────────────────────────────────────────────────────

/// `signal` lets the caller drop a search that a newer one replaced (browser only: a Tauri
/// command cannot be cancelled, and its late answer is ignored by the caller instead).
export function search(request: SearchRequest, signal?: AbortSignal): Promise<SearchResponse> {
  return call('search', request, signal)
}

export function document(request: DocumentRequest): Promise<DocumentView> {
  return call('document', request)
}

/// "显示完整": one masked row's ID number and wages, with the clerk's reason (audited).
export function reveal(request: RevealRequest): Promise<RevealedEntry> {
  return call('reveal', request)
}

/// A controlled or closed record opened by a supervisor, with the reason (audited).
export function openRestricted(request: OpenRestrictedRequest): Promise<DocumentView> {
  return call('open_restricted', request)
}

export function person(request: PersonRequest): Promise<PersonTimeline> {
  return call('person', request)
}

export function decidePerson(request: PersonDecisionRequest): Promise<PersonTimeline> {
  return call('decide_person', request)
}

export function status(): Promise<ArchiveStatus> {
  return call('status', {})
}

export function reindex(): Promise<ReindexResponse> {
  return call('reindex', {})
}

export function openDemo(): Promise<ArchiveStatus> {
  return call('open_demo', {})
}

export function importStart(request: ImportStartRequest): Promise<ImportJobStarted> {
  return call('import_start', request)
}

export function importStatus(request: ImportJobRequest): Promise<ImportJobStatus> {
  return call('import_status', request)
}

// ── The register (查档登记) ──────────────────────────────────────────────────────────────────

export function registerRequest(request: NewLookupRequest): Promise<LookupRequestView> {
  return call('register_request', request)
}

export function lookupRequests(query: RequestQuery): Promise<RequestList> {
  return call('lookup_requests', query)
}

export function lookupRequest(request: IdRequest): Promise<LookupRequestView> {
  return call('lookup_request', request)
}

export function attachRecord(request: AttachRequest): Promise<LookupRequestView> {
  return call('attach_record', request)
}

export function redactPage(request: RedactRequest): Promise<LookupRequestView> {
  return call('redact_page', request)
}

/// 遮盖本人以外的各行: boxes over every row of the page's table but the requester's, to check.
export function suggestCover(request: CoverSuggestRequest): Promise<CoverSuggestion> {
  return call('suggest_cover', request)
}

/// 已遮盖他人信息 for a page; with `override_reason`, a supervisor lets it go out uncovered.
export function confirmCovered(request: CoverRequest): Promise<LookupRequestView> {
  return call('confirm_covered', request)
}

/// 移除 a record, or one page of it, from an open request.
export function removeAttached(request: RemoveAttachedRequest): Promise<LookupRequestView> {
  return call('remove_attached', request)
}

export function setRequestStatus(request: RequestStatusChange): Promise<LookupRequestView> {
  return call('set_request_status', request)
}

// ── Certificates (出证) ──────────────────────────────────────────────────────────────────────

/// The certificate as it would be issued now, with what still stands in the way.
export function previewCertificate(request: IdRequest): Promise<CertificatePreview> {
  return call('preview_certificate', request)
}

/// Issues it; with `confirmed`, only if it is still the previewed one.
export function issueCertificate(request: IssueRequest): Promise<CertificateView> {
  return call('issue_certificate', request)
}

/// 作废 with a reason: the number stays used.
export function voidCertificate(request: VoidCertificateRequest): Promise<CertificateView> {
  return call('void_certificate', request)
}

export function certificatePdf(request: CertificateRequest): Promise<CertificatePdf> {
  return call('certificate_pdf', request)
}

export function verifyCertificate(request: VerifyRequest): Promise<VerifyResult> {
  return call('verify_certificate', request)
}

// ── Audit and statistics ────────────────────────────────────────────────────────────────────

export function auditRows(query: AuditQuery): Promise<AuditRow[]> {
  return call('audit_rows', query)
}

export function auditVerify(request: AuditVerifyRequest): Promise<AuditVerification> {
  return call('audit_verify', request)
}

export function usageStats(request: UsageRequest): Promise<UsageStats> {
  return call('usage_stats', request)
}

export function exportUsage(request: UsageRequest): Promise<ExportedFile> {
  return call('export_usage', request)
}

// ── Files ───────────────────────────────────────────────────────────────────────────────────

/// The bytes of a base64 text (a certificate PDF, an exported spreadsheet).
export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64.replace(/\s+/g, ''))
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

export function base64ToBlob(base64: string, type: string): Blob {
  return new Blob([base64ToBytes(base64)], { type })
}

/// Base64 of some bytes (a PDF presented for verification), in chunks so that a large file
/// does not overflow the argument list of String.fromCharCode.
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  const chunk = 0x8000
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk))
  }
  return btoa(binary)
}

export async function fileToBase64(file: Blob): Promise<string> {
  return bytesToBase64(new Uint8Array(await file.arrayBuffer()))
}

export const PDF_TYPE = 'application/pdf'
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/// Saves a file the way a browser downloads one: an `<a download>` link to a blob. The
/// desktop's webview does the same for now (it asks where to save, or puts it in Downloads).
export function saveFile(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob)
  const link = window.document.createElement('a')
  link.href = url
  link.download = fileName
  link.rel = 'noopener'
  link.style.display = 'none'
  window.document.body.appendChild(link)
  link.click()
  link.remove()
  // Give the browser time to start the download before the blob is let go.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

/// Browser only: the HTTP door imports files uploaded to it, never paths on the machine.
export async function upload(files: File[]): Promise<UploadedFiles> {
  const form = new FormData()
  for (const file of files) form.append('file', file, file.name)
  const response = await fetchOrThrow(`${API}/upload`, { method: 'POST', body: form })
  return (await response.json()) as UploadedFiles
}

/// Desktop only: catalogue files (or scan folders) chosen in the system dialog, as paths;
/// empty when cancelled.
export async function choosePaths(folders = false): Promise<string[]> {
  const { open } = await import('@tauri-apps/plugin-dialog')
  const chosen = await open({ multiple: true, directory: folders })
  if (chosen === null) return []
  return Array.isArray(chosen) ? chosen : [chosen]
}

/// Desktop only: one folder chosen in the system dialog (the audit anchors' second place); null
/// when cancelled.
export async function chooseFolder(): Promise<string | null> {
  const { open } = await import('@tauri-apps/plugin-dialog')
  const chosen = await open({ directory: true, multiple: false })
  return typeof chosen === 'string' ? chosen : null
}

/// Where the viewer loads a scanned page from: the desktop's `page` protocol or the server.
export function pageUrl(documentId: number, pageNo: number, size: PageSize): string {
  if (inTauri()) return convertFileSrc(`${documentId}/${pageNo}?size=${size}`, 'page')
  return `${API}/page/${documentId}/${pageNo}?size=${size}`
}
