// The one door of the UI to the engine. Inside the desktop app every operation is a Tauri
// command; in a browser it is `POST /api/<op>` on the `archivedesk serve` that served the page.
import { convertFileSrc, invoke } from '@tauri-apps/api/core'
import type {
  ArchiveStatus,
  DocumentRequest,
  DocumentView,
  ErrorCode,
  ImportJobRequest,
  ImportJobStarted,
  ImportJobStatus,
  ImportStartRequest,
  PageSize,
  PersonDecisionRequest,
  PersonRequest,
  PersonTimeline,
  ReindexResponse,
  SearchRequest,
  SearchResponse,
  UploadedFiles,
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

async function call<Res>(op: string, request: unknown, signal?: AbortSignal): Promise<Res> {
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

/// `signal` lets the caller drop a search that a newer one replaced (browser only: a Tauri
/// command cannot be cancelled, and its late answer is ignored by the caller instead).
export function search(request: SearchRequest, signal?: AbortSignal): Promise<SearchResponse> {
  return call('search', request, signal)
}

export function document(request: DocumentRequest): Promise<DocumentView> {
  return call('document', request)
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

/// Where the viewer loads a scanned page from: the desktop's `page` protocol or the server.
export function pageUrl(documentId: number, pageNo: number, size: PageSize): string {
  if (inTauri()) return convertFileSrc(`${documentId}/${pageNo}?size=${size}`, 'page')
  return `${API}/page/${documentId}/${pageNo}?size=${size}`
}
