import { vi } from 'vitest'
import type { ArchiveStatus, Caller, DeskSession, LookupRequestView, SearchResponse } from '../src/api/types'
import { hit } from './helpers'

/// A fake engine behind `fetch`, for tests that mount the whole app with a clerk at the desk.

export const clerk: Caller = { clerk_id: 2, login: 'li', display_name: '李梅', role: 'clerk', desk: null }
export const supervisor: Caller = { clerk_id: 1, login: 'wang', display_name: '王主任', role: 'supervisor', desk: null }

export const IDLE_MINUTES = 30
export const LOGIN_REQUIRED = '请先登录：查档、登记和出证都记在登录的工作人员名下'

export function deskSession(caller: Caller | null): DeskSession {
  return {
    caller,
    needs_first_clerk: false,
    archive_name: '清源县档案馆',
    demo: false,
    must_change_password: false,
    idle_minutes: IDLE_MINUTES,
    purposes: ['工龄认定', '其他'],
    channels: ['窗口', '线上'],
  }
}

export const archive: ArchiveStatus = {
  data_dir: '/data',
  indexed: 1,
  index_rebuilt_because: null,
  index_rebuilding: null,
  stats: {
    archive_name: '清源县档案馆',
    demo: false,
    documents: 1,
    entries: 1,
    pages: 0,
    superseded_entries: 0,
    import_batches: 1,
    rejected_rows: 0,
    by_category: [],
    by_year: [],
    last_import: null,
  },
}

export const found: SearchResponse = {
  total: 2,
  took_ms: 1,
  hits: [hit({ entry_id: 1, name: '刘建国' }), hit({ entry_id: 2, document_id: 11, name: '刘建华' })],
  facets: { category: [], year: [] },
  understood: [],
}

/// Request 5: 刘建国's visit, open (registered), nothing attached yet.
export function openRequest(overrides: Partial<LookupRequestView> = {}): LookupRequestView {
  return {
    id: 5,
    registered_at: '2026-03-02 09:00:00',
    registered_by: '李梅',
    requester_name: '刘建国',
    requester_id_masked: '431128********1231',
    requester_phone: null,
    relationship: 'self',
    proxy_name: null,
    proxy_id_masked: null,
    proxy_phone: null,
    unit_name: null,
    purpose: '工龄认定',
    purpose_note: null,
    channel: '窗口',
    delivery: null,
    sought: '1998 年工资调整记录',
    status: 'registered',
    outcome: null,
    answered_at: null,
    closed_at: null,
    records: [],
    certificates: [],
    uncovered: [],
    proofs: [],
    cross_sent: [],
    cross_received: null,
    ...overrides,
  }
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

/// The engine with `first` logged in: it answers the desk session, the totals and any search with
/// `found`, the register with request 5 (`openRequest`); a login makes whoever it names the
/// clerk at the desk. The ops listed in the returned `expired` answer 401 (the login ended).
/// `ops()` lists the ops asked for so far; `requestReads` who read request 5 (its login).
export function serveDesk(fetchMock: ReturnType<typeof vi.fn<typeof fetch>>, first: Caller = clerk) {
  let at: Caller | null = first
  const expired: string[] = []
  const requestReads: Array<string | null> = []
  fetchMock.mockImplementation(async (url, init) => {
    const op = String(url).replace('/api/', '')
    if (expired.includes(op)) return json({ code: 'unauthorized', message: LOGIN_REQUIRED }, 401)
    const body = JSON.parse((init?.body as string) ?? '{}')
    if (op === 'desk_session') return json(deskSession(at))
    if (op === 'status') return json(archive)
    if (op === 'search') return json(found)
    if (op === 'login') return json((at = body.login === supervisor.login ? supervisor : clerk))
    if (op === 'logout') {
      at = null
      return json(deskSession(null))
    }
    if (op === 'lookup_requests') return json({ total: 0, requests: [] })
    if (op === 'lookup_request' && body.id === 5) {
      requestReads.push(at?.login ?? null)
      return json(openRequest())
    }
    return json({ code: 'not_found', message: `no ${op}` }, 404)
  })
  const ops = () => fetchMock.mock.calls.map(([url]) => String(url).replace('/api/', ''))
  return { expired, ops, requestReads }
}

/// Logs in through the dialog that asks for a lost login again.
export function reloginAs(login: string): void {
  const field = (testid: string, value: string) => {
    const input = document.querySelector(`[data-testid="${testid}"]`) as HTMLInputElement
    input.value = value
    input.dispatchEvent(new Event('input'))
  }
  field('relogin-name', login)
  field('relogin-password', 'secret-password')
  ;(document.querySelector('[data-testid="relogin-submit"]') as HTMLElement).click()
}

/// The opaque backdrop of that dialog, when it is shown.
export function shownCover(): HTMLElement | null {
  const cover = document.querySelector<HTMLElement>('.relogin-cover')
  return cover && cover.style.display !== 'none' ? cover : null
}
