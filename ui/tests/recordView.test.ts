import { enableAutoUnmount, flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import * as api from '../src/api/client'
import type { DocumentRequest, DocumentView, EntryView, LookupRequestView, PageView } from '../src/api/types'
import { useDeskStore } from '../src/stores/desk'
import { useRequestStore } from '../src/stores/request'
import RecordView from '../src/views/RecordView.vue'
import { mountApp } from './helpers'

vi.mock('../src/api/client', async (original) => ({
  ...(await original<typeof import('../src/api/client')>()),
  document: vi.fn(),
  reveal: vi.fn(),
  openRestricted: vi.fn(),
  attachRecord: vi.fn(),
  decidePerson: vi.fn(),
}))

function entry(id: number, name: string, overrides: Partial<EntryView> = {}): EntryView {
  return {
    id,
    entry_key: `k${id}`,
    name,
    gender: '男',
    birth: '1956.07',
    birth_key: '1956-07',
    id_number_masked: '431128********7181',
    id_valid: true,
    work_unit: '清源县化肥厂',
    work_start: null,
    retire_date: null,
    wage_before: '＊＊＊',
    wage_after: '＊＊＊',
    page: null,
    page_numbers: [],
    source_row: id,
    extra: [],
    notes: [],
    superseded: false,
    masked: true,
    requester_join: null,
    originals: [],
    ...overrides,
  }
}

function doc(overrides: Partial<DocumentView> = {}): DocumentView {
  return {
    id: 10,
    ref_code: 'J012-WS·1998-Y-0034',
    ref_key: 'j012ws1998y0034',
    fonds: null,
    category: '工资调整',
    title: '清源县化肥厂1998年工资调整审批表',
    creator: null,
    doc_number: null,
    date: '1998',
    year: 1998,
    page_count: null,
    retention: null,
    access: 'open',
    has_full_text: false,
    superseded: false,
    restricted: false,
    entries: [entry(1, '刘建国'), entry(2, '王磊', { id_number_masked: '430726********0676' })],
    pages: [],
    full_text: null,
    full_text_highlights: [],
    opened_for_request: null,
    originals: [],
    ...overrides,
  }
}

function page(page_no: number, media = 'image'): PageView {
  return { page_no, path: `D:/扫描/${page_no}.jpg`, reachable: true, media, width: null, height: null }
}

function lastDocumentRequest(): DocumentRequest {
  const calls = vi.mocked(api.document).mock.calls
  return calls[calls.length - 1][0]
}

async function mountRecord(role: 'clerk' | 'supervisor' = 'clerk', path = '/record/10') {
  const Blank = { template: '<div />' }
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/record/:documentId', name: 'record', component: RecordView },
      { path: '/register/:requestId?', name: 'register', component: Blank },
      { path: '/person', name: 'person', component: Blank },
    ],
  })
  await router.push(path)
  // The zoomable viewers need a real canvas; the page strip and the dialogs are what is tested.
  const wrapper = mountApp(RecordView, {
    global: { plugins: [router], stubs: { ImageViewer: true, PdfViewer: true } },
    attachTo: document.body,
  })
  const desk = useDeskStore()
  desk.session = {
    caller: { clerk_id: 1, login: 'li', display_name: '李梅', role, desk: null },
    needs_first_clerk: false,
    archive_name: '清源县档案馆',
    demo: false,
    must_change_password: false,
    idle_minutes: 30,
    purposes: [],
    channels: [],
  }
  await flushPromises()
  return { wrapper, router }
}

beforeEach(() => {
  vi.mocked(api.document).mockReset()
  vi.mocked(api.reveal).mockReset()
  vi.mocked(api.openRestricted).mockReset()
  vi.mocked(api.attachRecord).mockReset()
  vi.mocked(api.decidePerson).mockReset()
})
// A record screen left mounted would still answer Esc on the window.
enableAutoUnmount(afterEach)
afterEach(() => {
  document.body.innerHTML = ''
})

describe('record screen', () => {
  it('shows masked rows as given, and one row in full after a reason is given', async () => {
    vi.mocked(api.document).mockResolvedValue(doc())
    vi.mocked(api.reveal).mockResolvedValue({
      entry_id: 2,
      id_number: '430726196804260676',
      wage_before: '52',
      wage_after: '62',
      extra: [],
    })
    const { wrapper } = await mountRecord()
    const rows = () => wrapper.findAll('[data-testid="entry-row"]')
    expect(rows()[1].find('[data-testid="entry-id-number"]').text()).toBe('430726********0676')
    expect(rows()[1].find('[data-field="wage_before"]').text()).toBe('＊＊＊')

    await rows()[1].find('[data-testid="reveal-entry"]').trigger('click')
    await flushPromises()
    // No reason: refused here, nothing asked of the engine.
    ;(document.querySelector('[data-testid="reason-confirm"]') as HTMLElement).click()
    await flushPromises()
    expect(document.querySelector('[data-testid="reason-error"]')?.textContent).toContain('事由至少 2 个字')
    expect(api.reveal).not.toHaveBeenCalled()

    const reason = document.querySelector('[data-testid="reason-input"]') as HTMLTextAreaElement
    reason.value = '核对本人工资'
    reason.dispatchEvent(new Event('input'))
    ;(document.querySelector('[data-testid="reason-confirm"]') as HTMLElement).click()
    await flushPromises()
    expect(api.reveal).toHaveBeenCalledWith({ entry_id: 2, reason: '核对本人工资' })

    expect(rows()[1].find('[data-testid="entry-id-number"]').text()).toBe('430726196804260676')
    expect(rows()[1].find('[data-field="wage_before"]').text()).toBe('52')
    expect(rows()[1].find('[data-testid="revealed-tag"]').exists()).toBe(true)
    // The other row stays masked.
    expect(rows()[0].find('[data-testid="entry-id-number"]').text()).toBe('431128********7181')
    expect(rows()[0].find('[data-testid="reveal-entry"]').exists()).toBe(true)
  })

  it('shows a restricted record’s catalogue line only; a supervisor may open it with a reason', async () => {
    vi.mocked(api.document).mockResolvedValue(doc({ access: 'controlled', restricted: true, entries: [] }))
    const asClerk = await mountRecord('clerk')
    expect(asClerk.wrapper.find('[data-testid="restricted-notice"]').text()).toContain('该档案为控制使用/不开放，仅显示目录')
    expect(asClerk.wrapper.find('[data-testid="record-ref"]').text()).toBe('J012-WS·1998-Y-0034')
    expect(asClerk.wrapper.find('[data-testid="open-restricted"]').exists()).toBe(false)
    expect(asClerk.wrapper.find('[data-testid="entry-row"]').exists()).toBe(false)
    asClerk.wrapper.unmount()

    vi.mocked(api.openRestricted).mockResolvedValue(doc({ access: 'controlled' }))
    const { wrapper } = await mountRecord('supervisor')
    await wrapper.find('[data-testid="open-restricted"]').trigger('click')
    await flushPromises()
    const reason = document.querySelector('[data-testid="reason-input"]') as HTMLTextAreaElement
    reason.value = '经批准调阅'
    reason.dispatchEvent(new Event('input'))
    ;(document.querySelector('[data-testid="reason-confirm"]') as HTMLElement).click()
    await flushPromises()
    expect(api.openRestricted).toHaveBeenCalledWith({ document_id: 10, reason: '经批准调阅' })
    expect(wrapper.find('[data-testid="restricted-notice"]').exists()).toBe(false)
    expect(wrapper.findAll('[data-testid="entry-row"]')).toHaveLength(2)
  })

  it('adds a row with the pages ticked to the current request, or pre-fills a new request with its name', async () => {
    vi.mocked(api.document).mockResolvedValue(
      doc({
        pages: [page(1), page(2), page(3)],
        entries: [entry(1, '刘建国', { page: '2', page_numbers: [2] }), entry(2, '王磊')],
      }),
    )
    const { wrapper, router } = await mountRecord()
    const dialog = () => document.querySelector('[data-testid="attach-dialog"]') as HTMLElement
    const picks = () => Array.from(dialog().querySelectorAll('[data-testid="page-pick"]')) as HTMLElement[]
    const ticked = () => picks().filter((p) => p.getAttribute('aria-checked') === 'true').map((p) => p.dataset.page)

    // The catalogue names page 2 for this row: it comes ticked; the clerk adds page 3.
    await wrapper.findAll('[data-testid="attach-entry"]')[0].trigger('click')
    await flushPromises()
    expect(dialog().querySelector('[data-testid="attach-hint"]')?.getAttribute('data-situation')).toBe('named')
    expect(ticked()).toEqual(['2'])
    picks()[2].click()
    await flushPromises()
    expect(ticked()).toEqual(['2', '3'])
    ;(dialog().querySelector('[data-testid="attach-confirm"]') as HTMLElement).click()
    await flushPromises()
    expect(api.attachRecord).not.toHaveBeenCalled()
    expect(router.currentRoute.value.name).toBe('register')
    expect(router.currentRoute.value.query).toEqual({ new: '1', name: '刘建国' })
    const request = useRequestStore()
    expect(request.pending).toMatchObject({ entryId: 1, documentId: 10, pages: [2, 3], refCode: 'J012-WS·1998-Y-0034' })

    await router.push('/record/10')
    await flushPromises()
    request.pending = null
    request.set({ id: 7, requester_name: '王磊', status: 'registered', records: [] } as unknown as LookupRequestView)
    await flushPromises()
    vi.mocked(api.attachRecord).mockResolvedValue({ id: 7, requester_name: '王磊', status: 'found', records: [] } as unknown as LookupRequestView)
    // This row names no page: nothing is ticked, and the clerk is asked to tick the row's pages.
    await wrapper.findAll('[data-testid="attach-entry"]')[1].trigger('click')
    await flushPromises()
    const hint = dialog().querySelector('[data-testid="attach-hint"]') as HTMLElement
    expect(hint.getAttribute('data-situation')).toBe('unnamed')
    expect(hint.textContent).toContain('请勾选此人所在的页')
    expect(ticked()).toEqual([])
    picks()[0].click()
    await flushPromises()
    ;(dialog().querySelector('[data-testid="attach-confirm"]') as HTMLElement).click()
    await flushPromises()
    expect(api.attachRecord).toHaveBeenCalledWith({ request_id: 7, entry_id: 2, document_id: 10, pages: [1], catalogue_only: false })
    expect(request.current?.status).toBe('found')
  })

  it('explains that a record without copyable scans is added with its catalogue line only', async () => {
    vi.mocked(api.document).mockResolvedValue(doc({ pages: [page(1, 'pdf')], entries: [entry(1, '刘建国', { page_numbers: [1] })] }))
    const { wrapper } = await mountRecord()
    await wrapper.find('[data-testid="attach-entry"]').trigger('click')
    await flushPromises()
    const hint = document.querySelector('[data-testid="attach-dialog"] [data-testid="attach-hint"]') as HTMLElement
    expect(hint.getAttribute('data-situation')).toBe('none')
    expect(hint.textContent).toContain('只加入目录信息')
    expect(document.querySelectorAll('[data-testid="attach-dialog"] [data-testid="page-pick"]')).toHaveLength(0)
  })

  it('shows the full text with the searched words marked, asking with the search text that led to the record', async () => {
    // 𠀀 is one character but two UTF-16 units: the marks count characters.
    const text = '𠀀清源县化肥厂：刘建国同志1998年7月调整工资。\n经研究，同意刘建国调整。'
    vi.mocked(api.document).mockResolvedValue(
      doc({
        has_full_text: true,
        full_text: text,
        full_text_highlights: [
          [8, 11],
          [32, 35],
        ],
      }),
    )
    const { wrapper } = await mountRecord('clerk', '/record/10?q=刘建国')
    expect(lastDocumentRequest()).toEqual({ reference: null, document_id: 10, entry_id: null, request_id: null, query: '刘建国' })
    const section = wrapper.find('[data-testid="full-text"]')
    expect(section.text()).toContain('全文')
    expect(wrapper.find('[data-testid="full-text-body"]').text()).toBe(text)
    expect(wrapper.findAll('[data-testid="full-text-mark"]').map((m) => m.text())).toEqual(['刘建国', '刘建国'])
    expect(wrapper.find('[data-testid="full-text-matches"]').text()).toContain('2')
  })

  it('asks without a search text when the record was not opened from a search, and shows no full text without one', async () => {
    vi.mocked(api.document).mockResolvedValue(doc())
    const { wrapper } = await mountRecord('clerk', '/record/10?entry=1&q=%20')
    expect(lastDocumentRequest().query).toBeNull()
    expect(wrapper.find('[data-testid="full-text"]').exists()).toBe(false)
  })

  it('passes the current request’s id only while that request is open, and says when the requester’s rows are shown', async () => {
    vi.mocked(api.document).mockImplementation(async (request) => doc({ opened_for_request: request.request_id }))
    const { wrapper } = await mountRecord()
    expect(lastDocumentRequest().request_id).toBeNull()
    expect(wrapper.find('[data-testid="opened-for-request"]').exists()).toBe(false)

    const request = useRequestStore()
    request.set({ id: 7, requester_name: '刘建国', status: 'found', records: [] } as unknown as LookupRequestView)
    await flushPromises()
    expect(lastDocumentRequest().request_id).toBe(7)
    expect(wrapper.find('[data-testid="opened-for-request"]').text()).toContain('按查档登记第 7 号显示查档人本人的信息')

    // Delivered: closed, so the record is asked for without it (the engine refuses a closed one).
    request.set({ id: 7, requester_name: '刘建国', status: 'delivered', records: [] } as unknown as LookupRequestView)
    await flushPromises()
    expect(lastDocumentRequest().request_id).toBeNull()
    expect(wrapper.find('[data-testid="opened-for-request"]').exists()).toBe(false)

    request.set({ id: 8, requester_name: '王磊', status: 'registered', records: [] } as unknown as LookupRequestView)
    await flushPromises()
    expect(lastDocumentRequest().request_id).toBe(8)
    request.clear()
    await flushPromises()
    expect(lastDocumentRequest().request_id).toBeNull()
  })

  it('marks a row joined to the requester by name and birth month as a guess, and shows it in full once the clerk confirms it', async () => {
    let confirmed = false
    vi.mocked(api.document).mockImplementation(async (request) =>
      doc({
        opened_for_request: request.request_id,
        entries: [
          entry(1, '刘建国', {
            id_number_masked: null,
            requester_join: confirmed ? 'confirmed' : request.request_id === null ? null : 'same_person',
            masked: !confirmed,
            wage_before: confirmed ? '312.50' : '＊＊＊',
          }),
        ],
      }),
    )
    vi.mocked(api.decidePerson).mockImplementation(async () => {
      confirmed = true
      return {} as Awaited<ReturnType<typeof api.decidePerson>>
    })
    const { wrapper } = await mountRecord()
    expect(wrapper.find('[data-testid="requester-join"]').exists()).toBe(false)
    useRequestStore().set({ id: 7, requester_name: '刘建国', status: 'found', records: [] } as unknown as LookupRequestView)
    await flushPromises()
    expect(wrapper.find('[data-testid="requester-join"]').text()).toBe('同名同出生年月，参考')
    expect(wrapper.find('[data-field="wage_before"]').text()).toBe('＊＊＊')

    await wrapper.find('[data-testid="confirm-join"]').trigger('click')
    await flushPromises()
    // The decision names the request, whose requester's ID the screen has only masked.
    expect(api.decidePerson).toHaveBeenCalledWith({
      person: { entry_id: null, id_number: null, name: null, birth: null, request_id: 7 },
      entry_id: 1,
      action: 'confirm',
    })
    expect(lastDocumentRequest().request_id).toBe(7)
    expect(wrapper.find('[data-testid="requester-join"]').text()).toBe('已确认是查档人本人')
    expect(wrapper.find('[data-testid="confirm-join"]').exists()).toBe(false)
    expect(wrapper.find('[data-field="wage_before"]').text()).toBe('312.50')
  })
})

describe('the record screen from the keyboard', () => {
  it('opens with the focus on the row searched for; ↑/↓ move it and show its page; Enter adds it; Esc goes back', async () => {
    vi.mocked(api.document).mockResolvedValue(
      doc({
        pages: [page(1), page(2), page(3)],
        entries: [
          entry(1, '赵敏', { page: '1', page_numbers: [1] }),
          entry(2, '刘建国', { page: '2', page_numbers: [2] }),
          entry(3, '王磊', { page: '3', page_numbers: [3] }),
        ],
      }),
    )
    const { wrapper, router } = await mountRecord('clerk', '/record/10?entry=2&q=刘建国')
    router.addRoute({ path: '/', name: 'search', component: { template: '<div />' } })
    const request = useRequestStore()
    request.set({ id: 7, requester_name: '刘建国', status: 'registered', records: [] } as unknown as LookupRequestView)
    await flushPromises()
    const rows = () => wrapper.findAll('[data-testid="entry-row"]')
    const focusedRow = () => (document.activeElement as HTMLElement | null)?.dataset.id
    const shownPage = () => wrapper.find('[data-testid="page-thumb"].current').attributes('data-page')

    expect(focusedRow()).toBe('2')
    expect(shownPage()).toBe('2')
    // The key is shown on the focused row's button only.
    expect(rows()[1].find('[data-testid="attach-key"]').text()).toBe('Enter')
    expect(rows()[0].find('[data-testid="attach-key"]').exists()).toBe(false)

    await rows()[1].trigger('keydown', { key: 'ArrowDown' })
    expect(focusedRow()).toBe('3')
    expect(shownPage()).toBe('3')
    await rows()[2].trigger('keydown', { key: 'ArrowUp' })
    await rows()[1].trigger('keydown', { key: 'ArrowUp' })
    expect(focusedRow()).toBe('1')
    expect(shownPage()).toBe('1')
    await rows()[0].trigger('keydown', { key: 'ArrowDown' })
    expect(focusedRow()).toBe('2')

    vi.mocked(api.attachRecord).mockResolvedValue({ id: 7, requester_name: '刘建国', status: 'found', records: [] } as unknown as LookupRequestView)
    await rows()[1].trigger('keydown', { key: 'Enter' })
    await flushPromises()
    const dialog = document.querySelector('[data-testid="attach-dialog"]') as HTMLElement
    expect(dialog.textContent).toContain('刘建国')
    // Esc while the dialog is open closes the dialog, not the record.
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    await flushPromises()
    expect(router.currentRoute.value.name).toBe('record')

    // Enter, Enter: the row goes in with the page the catalogue names.
    await rows()[1].trigger('keydown', { key: 'Enter' })
    await flushPromises()
    ;(dialog.querySelector('[data-testid="attach-confirm"]') as HTMLElement).click()
    await flushPromises()
    expect(api.attachRecord).toHaveBeenCalledWith({ request_id: 7, entry_id: 2, document_id: 10, pages: [2], catalogue_only: false })
    await new Promise((resolve) => setTimeout(resolve, 100))
    await flushPromises()
    expect(focusedRow()).toBe('2')

    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }))
    await flushPromises()
    expect(router.currentRoute.value.name).toBe('search')
  })
})

describe('the rows at 1366×768', () => {
  it('shows the columns the rows fill, the seldom-needed ones on demand, and 显示完整 only where something is hidden', async () => {
    vi.mocked(api.document).mockResolvedValue(
      doc({
        entries: [
          entry(1, '刘建国', { work_start: '1975.03' }),
          entry(2, '赵敏', { id_number_masked: null, wage_before: null, wage_after: null }),
        ],
      }),
    )
    const { wrapper } = await mountRecord()
    const headers = () => wrapper.findAll('th').map((th) => th.text())
    expect(headers()).toContain('身份证号')
    expect(headers()).not.toContain('退休时间') // no row fills it
    expect(headers()).not.toContain('工作单位') // filled, but behind 更多列
    expect(wrapper.find('[data-testid="entry-more-columns"]').text()).toBe('更多 2 列')
    await wrapper.find('[data-testid="entry-more-columns"]').trigger('click')
    expect(headers()).toEqual(expect.arrayContaining(['工作单位', '参加工作']))

    const rows = wrapper.findAll('[data-testid="entry-row"]')
    expect(rows[0].find('[data-testid="reveal-entry"]').exists()).toBe(true)
    // Masked, but with nothing hidden: no ID, no wages.
    expect(rows[1].attributes('data-masked')).toBe('true')
    expect(rows[1].find('[data-testid="reveal-entry"]').exists()).toBe(false)
  })
})
