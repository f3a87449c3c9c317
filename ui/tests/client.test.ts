import { invoke } from '@tauri-apps/api/core'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as api from '../src/api/client'
import { errorText } from '../src/util/errors'

vi.mock('@tauri-apps/api/core', () => ({
  invoke: vi.fn(),
  convertFileSrc: (path: string, protocol: string) => `${protocol}://localhost/${encodeURIComponent(path)}`,
}))

const fetchMock = vi.fn<typeof fetch>()

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

beforeEach(() => {
  fetchMock.mockReset()
  vi.stubGlobal('fetch', fetchMock)
})

afterEach(() => {
  vi.unstubAllGlobals()
  delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
})

/// The first ten rows of the audit trail, unfiltered.
const AUDIT_PAGE = { limit: 10, offset: 0, actor: null, action: null, from: null, to: null }

describe('client in a browser', () => {
  it('posts the request as JSON to /api/<op> with the session cookie', async () => {
    fetchMock.mockImplementation(async () => json({ indexed: 5 }))
    await expect(api.reindex()).resolves.toEqual({ indexed: 5 })
    await api.decidePerson({
      person: { entry_id: 3, id_number: null, name: null, birth: null, request_id: null },
      entry_id: 4,
      action: 'split',
    })
    const [url, init] = fetchMock.mock.calls[1]
    expect(url).toBe('/api/decide_person')
    expect(init?.method).toBe('POST')
    expect(init?.credentials).toBe('same-origin')
    expect(JSON.parse(init?.body as string)).toEqual({
      person: { entry_id: 3, id_number: null, name: null, birth: null, request_id: null },
      entry_id: 4,
      action: 'split',
    })
    expect(fetchMock.mock.calls[0][0]).toBe('/api/reindex')
  })

  it('turns an error answer into an ApiError with the Chinese message', async () => {
    fetchMock.mockResolvedValue(json({ code: 'not_found', message: '没有档号为 X 的档案' }, 404))
    const error = await api.document({ reference: null, document_id: 9, entry_id: null, request_id: null, query: null }).catch((e) => e)
    expect(error).toBeInstanceOf(api.ApiError)
    expect(error.code).toBe('not_found')
    expect(error.message).toBe('没有档号为 X 的档案')
    expect(error.status).toBe(404)
  })

  it('says the server is unreachable when fetch fails, and when an answer is not JSON', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'))
    await expect(api.status()).rejects.toMatchObject({ code: 'network' })
    fetchMock.mockResolvedValueOnce(new Response('Bad Gateway', { status: 502 }))
    await expect(api.status()).rejects.toMatchObject({ code: 'http', status: 502 })
  })

  it('uploads every file as a part named file', async () => {
    fetchMock.mockResolvedValue(json({ files: [{ upload: 'u1', name: 'a.csv', bytes: 3 }] }))
    await api.upload([new File(['abc'], '工资表.csv'), new File(['de'], 'b.xlsx')])
    const [url, init] = fetchMock.mock.calls[0]
    expect(url).toBe('/api/upload')
    const form = init?.body as FormData
    expect(form.getAll('file').map((f) => (f as File).name)).toEqual(['工资表.csv', 'b.xlsx'])
  })

  it('loads pages from /api/page', () => {
    expect(api.pageUrl(12, 3, 'preview')).toBe('/api/page/12/3?size=preview')
  })
})

describe('client in the desktop app', () => {
  beforeEach(() => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    vi.mocked(invoke).mockReset()
  })

  it('invokes the command of the op in snake_case with { request }', async () => {
    vi.mocked(invoke).mockResolvedValue({ job: 7 })
    const request = { paths: ['D:\\目录\\工资.xlsx'], uploads: [], category: null, mapping: null, dry_run: true }
    await expect(api.importStart(request)).resolves.toEqual({ job: 7 })
    expect(invoke).toHaveBeenCalledWith('import_start', { request })
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('keeps the code and message of a command error', async () => {
    vi.mocked(invoke).mockRejectedValue({ code: 'index_locked', message: '另一个窗口正在写入' })
    await expect(api.openDemo()).rejects.toMatchObject({ code: 'index_locked', message: '另一个窗口正在写入' })
  })

  it('loads pages through the page protocol', () => {
    expect(api.pageUrl(12, 3, 'full')).toBe(`page://localhost/${encodeURIComponent('12/3?size=full')}`)
  })
})

describe('login and files', () => {
  it('reports a lost login from any operation, but not a refused login', async () => {
    const lost = vi.fn()
    const stop = api.onUnauthorized(lost)
    fetchMock.mockImplementation(async () => json({ code: 'unauthorized', message: '请先登录' }, 401))
    await expect(api.login({ login: 'li', password: 'x' })).rejects.toMatchObject({ code: 'unauthorized' })
    await expect(api.deskSession()).rejects.toMatchObject({ code: 'unauthorized' })
    expect(lost).not.toHaveBeenCalled()
    await expect(api.auditRows(AUDIT_PAGE)).rejects.toMatchObject({ code: 'unauthorized' })
    expect(lost).toHaveBeenCalledTimes(1)
    expect(lost.mock.calls[0][0].message).toBe('请先登录')
    stop()
    await api.auditRows(AUDIT_PAGE).catch(() => {})
    expect(lost).toHaveBeenCalledTimes(1)
  })

  it('sends a refused operation again once the listener has the same clerk back', async () => {
    let relogged: (again: boolean) => void = () => {}
    const stop = api.onUnauthorized(() => new Promise<boolean>((resolve) => (relogged = resolve)))
    fetchMock
      .mockResolvedValueOnce(json({ code: 'unauthorized', message: '长时间未操作，登录已失效' }, 401))
      .mockResolvedValueOnce(json([{ seq: 1 }]))
    const answer = api.auditRows(AUDIT_PAGE)
    await new Promise((resolve) => setTimeout(resolve, 0))
    // Waiting for the login: nothing sent again yet.
    expect(fetchMock).toHaveBeenCalledTimes(1)
    relogged(true)
    await expect(answer).resolves.toEqual([{ seq: 1 }])
    expect(fetchMock.mock.calls.map(([url]) => url)).toEqual(['/api/audit_rows', '/api/audit_rows'])

    // Another clerk logged in: the operation is not sent again under their name.
    fetchMock.mockResolvedValueOnce(json({ code: 'unauthorized', message: '账号已变更' }, 401))
    const refused = api.auditRows(AUDIT_PAGE)
    await new Promise((resolve) => setTimeout(resolve, 0))
    relogged(false)
    await expect(refused).rejects.toMatchObject({ code: 'unauthorized', message: '账号已变更' })
    expect(fetchMock).toHaveBeenCalledTimes(3)
    stop()
  })

  it('says the new error codes in words when no message came with them', () => {
    expect(errorText(new api.ApiError('throttled', ''))).toBe('登录失败次数过多，请稍后再试')
    expect(errorText(new api.ApiError('throttled', '登录失败次数过多，请 30 秒后再试'))).toBe('登录失败次数过多，请 30 秒后再试')
    expect(errorText(new api.ApiError('disk_full', ''))).toContain('磁盘已满')
    expect(errorText(new api.ApiError('read_only', ''))).toContain('只能读取')
  })

  it('calls each new operation by its name', async () => {
    fetchMock.mockImplementation(async () => json({}))
    await api.registerRequest({} as never)
    await api.attachRecord({ request_id: 1, entry_id: 2, document_id: null, pages: [], catalogue_only: true })
    await api.issueCertificate({ request_id: 1, confirmed: 'f1' })
    await api.verifyCertificate({ code: 'K7QM-2XPD-9TFA', pdf_base64: null })
    await api.changePassword({ current_password: 'a', new_password: 'b' })
    await api.changeClerk({ clerk_id: 2, role: null, disabled: true, reset_password: null })
    await api.clearLoginDelay({ login: 'li' })
    await api.deskSettings()
    await api.setDeskSettings({ idle_minutes: 30, anchor_mirror_dir: null, backup_dir: null, backup_time: null, backup_keep: null, backup_passphrase: null, proof_retention_days: null })
    await api.confirmCovered({ request_id: 1, record_id: 2, page_no: 3, override_reason: null })
    await api.previewCertificate({ id: 1 })
    await api.voidCertificate({ number_or_code: '〔2026〕A第0001号', reason: '页码选错' })
    await api.removeAttached({ request_id: 1, record_id: 2, page_no: null })
    expect(fetchMock.mock.calls.map(([url]) => url)).toEqual([
      '/api/register_request',
      '/api/attach_record',
      '/api/issue_certificate',
      '/api/verify_certificate',
      '/api/change_password',
      '/api/change_clerk',
      '/api/clear_login_delay',
      '/api/desk_settings',
      '/api/set_desk_settings',
      '/api/confirm_covered',
      '/api/preview_certificate',
      '/api/void_certificate',
      '/api/remove_attached',
    ])
  })

  it('turns base64 into bytes and back, for any byte', async () => {
    const bytes = new Uint8Array(70000).map((_, i) => (i * 7) % 256)
    const text = api.bytesToBase64(bytes)
    expect(api.base64ToBytes(text)).toEqual(bytes)
    expect(api.base64ToBytes('JVBERi0=')).toEqual(new TextEncoder().encode('%PDF-'))
    const blob = api.base64ToBlob('JVBERi0=', api.PDF_TYPE)
    expect(blob.type).toBe('application/pdf')
    expect(blob.size).toBe(5)
    await expect(api.fileToBase64(new Blob(['%PDF-']))).resolves.toBe('JVBERi0=')
  })
})

describe('a LAN desk whose host is away', () => {
  const hostAway = () => json({ code: 'host_unreachable', message: '与档案库主机的连接已断开，正在重试' }, 503)

  afterEach(() => vi.useRealTimers())

  it('says so at once, sends a read again later and later, and says when the host is back', async () => {
    vi.useFakeTimers()
    const told: boolean[] = []
    const stop = api.onHostAway((away) => told.push(away))
    fetchMock
      .mockResolvedValueOnce(hostAway())
      .mockResolvedValueOnce(hostAway())
      .mockResolvedValueOnce(json({ hits: [], total: 0 }))
    const found = api.status()
    await vi.advanceTimersByTimeAsync(0)
    expect(told).toEqual([true])
    expect(fetchMock).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(api.hostRetryDelay(0))
    expect(fetchMock).toHaveBeenCalledTimes(2)
    await vi.advanceTimersByTimeAsync(api.hostRetryDelay(1))
    await expect(found).resolves.toEqual({ hits: [], total: 0 })
    expect(fetchMock).toHaveBeenCalledTimes(3)
    expect(told).toEqual([true, false])
    expect([0, 1, 2, 3, 9].map(api.hostRetryDelay)).toEqual([1000, 2000, 4000, 8000, 8000])
    stop()
  })

  it('does not send an act again: it could be done twice', async () => {
    fetchMock.mockResolvedValue(hostAway())
    const stop = api.onHostAway(() => {})
    const error = await api.issueCertificate({ request_id: 1, confirmed: null }).catch((e) => e)
    expect(error).toBeInstanceOf(api.ApiError)
    expect(error.code).toBe('host_unreachable')
    expect(fetchMock).toHaveBeenCalledTimes(1)
    stop()
  })
})
