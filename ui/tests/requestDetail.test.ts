import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import * as api from '../src/api/client'
import type { AttachedRecord, CertificatePreview, CertificateView, LookupRequestView, Role } from '../src/api/types'
import RequestDetail from '../src/components/register/RequestDetail.vue'
import { useDeskStore } from '../src/stores/desk'
import { openRequest } from './deskServer'
import { confirmBox, mountApp } from './helpers'

vi.mock('../src/api/client', async (original) => ({
  ...(await original<typeof import('../src/api/client')>()),
  confirmCovered: vi.fn(),
  issueCertificate: vi.fn(),
  lookupRequest: vi.fn(),
  previewCertificate: vi.fn(),
  removeAttached: vi.fn(),
  setRequestStatus: vi.fn(),
  voidCertificate: vi.fn(),
}))

function record(overrides: Partial<AttachedRecord> = {}): AttachedRecord {
  return {
    id: 3,
    document_id: 10,
    entry_id: 1,
    ref_code: 'J012-WS·1998-Y-0034',
    title: '清源县化肥厂1998年工资调整审批表',
    date: '1998',
    doc_number: null,
    access: 'open',
    category: '工资调整',
    row: [['姓名', '刘建国']],
    own_record: true,
    pages: [1, 2, 4],
    redactions: [{ page_no: 4, boxes: [{ x: 0.1, y: 0.2, width: 0.5, height: 0.05 }] }],
    attached_at: '2026-03-02 09:15:00',
    attached_by: '李梅',
    pages_with_others: [1, 2, 4],
    covers: [{ page_no: 1, by: '王主任', at: '2026-03-02 09:20:00', override_reason: '查档人持法院调查令' }],
    ...overrides,
  }
}

/// 刘建国's request 12, found, with its wage-table record whose pages 2 and 4 are still to cover.
function view(overrides: Partial<LookupRequestView> = {}): LookupRequestView {
  return openRequest({
    id: 12,
    requester_id_masked: '431128********7181',
    status: 'found',
    records: [record()],
    uncovered: [
      { record_id: 3, ref_code: 'J012-WS·1998-Y-0034', page_no: 2, boxes: 0 },
      { record_id: 3, ref_code: 'J012-WS·1998-Y-0034', page_no: 4, boxes: 1 },
    ],
    ...overrides,
  })
}

async function mountDetail(shown: LookupRequestView, role: Role = 'clerk') {
  const Blank = { template: '<div />' }
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'search', component: Blank },
      { path: '/register/:requestId?', name: 'register', component: Blank },
      { path: '/certificate/:number', name: 'certificate', component: Blank },
    ],
  })
  await router.push('/register/12')
  const wrapper = mountApp(RequestDetail, {
    props: { view: shown, onChanged: (next: LookupRequestView) => wrapper.setProps({ view: next } as never) },
    global: { plugins: [router] },
    attachTo: document.body,
  })
  useDeskStore().session = {
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

function certificate(overrides: Partial<CertificateView> = {}): CertificateView {
  return {
    id: 1,
    request_id: 12,
    number: '〔2026〕A第0001号',
    verify_code: 'K7QM-2XPD-9TFA',
    issued_at: '2026-03-02 09:30:00',
    issued_by: '李梅',
    pages: 3,
    pdf_bytes: 1000,
    pdf_sha256: 'ab',
    voided_at: null,
    voided_by: null,
    void_reason: null,
    ...overrides,
  }
}

function preview(overrides: Partial<CertificatePreview> = {}): CertificatePreview {
  // No PDF bytes: the pages themselves are drawn by pdf.js, which the browser flows exercise.
  return { request_id: 12, pdf_base64: '', pages: 3, blockers: [], fingerprint: 'f1', ...overrides }
}

/// Elements of the preview dialog, which Element Plus renders into the body.
const inBody = (testid: string) => document.querySelector(`[data-testid="${testid}"]`) as HTMLElement | null

beforeEach(() => {
  vi.mocked(api.confirmCovered).mockReset()
  vi.mocked(api.issueCertificate).mockReset()
  vi.mocked(api.lookupRequest).mockReset()
  vi.mocked(api.previewCertificate).mockReset()
  vi.mocked(api.removeAttached).mockReset()
  vi.mocked(api.voidCertificate).mockReset()
  vi.mocked(api.setRequestStatus).mockReset()
})
afterEach(() => {
  document.body.innerHTML = ''
})

describe('who asked, for whom, and where the result goes', () => {
  it('names the 当事人 and the 代理人 apart, the proxy’s ID and phone in fields of their own, and the address', async () => {
    const { wrapper } = await mountDetail(
      view({
        relationship: 'proxy',
        requester_name: '刘建國',
        proxy_name: '刘小军',
        proxy_id_masked: '431128********7203',
        proxy_phone: '13900000000',
        channel: '代查代送',
        delivery: '清源县城关镇东街 12 号 刘小军收',
      }),
    )
    const labelOf = (testid: string) =>
      wrapper.find(`[data-testid="${testid}"]`).element.closest('td')?.previousElementSibling?.textContent?.trim()
    expect(labelOf('request-detail-name')).toBe('当事人')
    expect(labelOf('request-detail-id')).toBe('当事人身份证号')
    expect(labelOf('request-detail-proxy-name')).toBe('代理人')
    expect(wrapper.find('[data-testid="request-detail-proxy-name"]').text()).toBe('刘小军')
    expect(labelOf('request-detail-proxy-id')).toBe('代理人身份证号')
    expect(wrapper.find('[data-testid="request-detail-proxy-id"]').text()).toBe('431128********7203')
    expect(labelOf('request-detail-proxy-phone')).toBe('代理人电话')
    expect(wrapper.find('[data-testid="request-detail-proxy-phone"]').text()).toBe('13900000000')
    expect(labelOf('request-detail-delivery')).toBe('送达方式')
    expect(wrapper.find('[data-testid="request-detail-delivery"]').text()).toBe('清源县城关镇东街 12 号 刘小军收')
  })

  it('calls the person at the counter 查档人 when they came for themselves, and shows no proxy', async () => {
    const { wrapper } = await mountDetail(view())
    const label = wrapper.find('[data-testid="request-detail-name"]').element.closest('td')?.previousElementSibling
    expect(label?.textContent?.trim()).toBe('查档人')
    expect(wrapper.find('[data-testid="request-detail-proxy-name"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="request-detail-delivery"]').exists()).toBe(false)
  })

  it('shows the 利用效果 entered at 已交付 on the request afterwards', async () => {
    const { wrapper } = await mountDetail(view({ uncovered: [] }))
    expect(wrapper.find('[data-testid="request-detail-outcome"]').exists()).toBe(false)
    vi.mocked(api.setRequestStatus).mockImplementation(async (change) =>
      view({ uncovered: [], status: change.status, outcome: change.outcome, closed_at: '2026-03-02 10:00:00' }),
    )
    await wrapper.find('[data-testid="request-delivered"]').trigger('click')
    await flushPromises()
    // Element Plus puts the test id on the textarea itself.
    const outcome = document.querySelector('textarea[data-testid="request-outcome"]') as HTMLTextAreaElement
    outcome.value = '已用于退休待遇核定'
    outcome.dispatchEvent(new Event('input'))
    ;(document.querySelector('[data-testid="request-outcome-save"]') as HTMLElement).click()
    await flushPromises()
    expect(vi.mocked(api.setRequestStatus)).toHaveBeenCalledWith({
      request_id: 12,
      status: 'delivered',
      outcome: '已用于退休待遇核定',
    })
    expect(wrapper.find('[data-testid="request-detail-outcome"]').text()).toBe('已用于退休待遇核定')
  })
})

describe('the next step has the focus', () => {
  const focused = () => (document.activeElement as HTMLElement | null)?.dataset.testid

  it('moves from covering a page to confirming it to 出具证明 as the request changes', async () => {
    const { wrapper } = await mountDetail(
      view({ uncovered: [{ record_id: 3, ref_code: 'J012-WS·1998-Y-0034', page_no: 2, boxes: 0 }] }),
    )
    await flushPromises()
    expect(focused()).toBe('uncovered-redact')

    await wrapper.setProps({
      view: view({ uncovered: [{ record_id: 3, ref_code: 'J012-WS·1998-Y-0034', page_no: 2, boxes: 3 }] }),
    } as never)
    await flushPromises()
    expect(focused()).toBe('confirm-covered')

    await wrapper.setProps({ view: view({ uncovered: [] }) } as never)
    await flushPromises()
    expect(focused()).toBe('issue-certificate')
  })

  it('takes nothing from a field the clerk is typing in', async () => {
    const field = document.createElement('input')
    document.body.appendChild(field)
    field.focus()
    await mountDetail(view({ uncovered: [] }))
    await flushPromises()
    expect(document.activeElement).toBe(field)
  })
})

describe('request detail before a certificate', () => {
  it('keeps 出证 disabled while pages are uncovered, confirms a covered page for this request, then issues', async () => {
    const { wrapper, router } = await mountDetail(view())
    const issue = () => wrapper.find('[data-testid="issue-certificate"]')
    expect(issue().attributes('disabled')).toBeDefined()
    expect(wrapper.find('[data-testid="issue-blocked"]').text()).toBe('还有 2 页未确认遮盖他人信息')

    const rows = wrapper.findAll('[data-testid="uncovered-page"]')
    expect(rows.map((r) => [r.attributes('data-page'), r.find('[data-testid="uncovered-boxes"]').text()])).toEqual([
      ['2', '尚未遮盖'],
      ['4', '已画 1 处遮盖'],
    ])
    expect(rows[0].text()).toContain('J012-WS·1998-Y-0034')
    // No boxes on page 2: it cannot be confirmed yet, and the clerk is told why.
    expect(rows[0].find('[data-testid="confirm-covered"]').attributes('disabled')).toBeDefined()
    expect(rows[0].find('[data-testid="confirm-covered-hint"]').text()).toBe('先在页面上遮盖他人信息')
    // A clerk cannot let a page go out uncovered.
    expect(wrapper.find('[data-testid="cover-override"]').exists()).toBe(false)

    const remaining = view({ uncovered: [view().uncovered[0]] })
    vi.mocked(api.confirmCovered).mockResolvedValueOnce(remaining)
    await rows[1].find('[data-testid="confirm-covered"]').trigger('click')
    await flushPromises()
    expect(api.confirmCovered).toHaveBeenCalledWith({ request_id: 12, record_id: 3, page_no: 4, override_reason: null })
    expect(wrapper.findAll('[data-testid="uncovered-page"]')).toHaveLength(1)
    expect(issue().attributes('disabled')).toBeDefined()
    expect(wrapper.find('[data-testid="issue-blocked"]').text()).toBe('还有 1 页未确认遮盖他人信息')

    // All settled: 出证 can be done.
    const settled = view({ uncovered: [] })
    await wrapper.setProps({ view: settled } as never)
    expect(wrapper.find('[data-testid="uncovered-pages"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="issue-blocked"]').exists()).toBe(false)
    const issued = certificate()
    vi.mocked(api.previewCertificate).mockResolvedValue(preview())
    vi.mocked(api.issueCertificate).mockResolvedValue(issued)
    vi.mocked(api.lookupRequest).mockResolvedValue({ ...settled, certificates: [issued] })
    // The click shows the certificate first; only the confirmation issues it.
    await issue().trigger('click')
    await flushPromises()
    expect(api.previewCertificate).toHaveBeenCalledWith({ id: 12 })
    expect(api.issueCertificate).not.toHaveBeenCalled()
    expect(inBody('certificate-preview-ready')?.textContent).toContain('将复制扫描页 3 页')
    inBody('certificate-preview-confirm')?.click()
    await flushPromises()
    expect(api.issueCertificate).toHaveBeenCalledWith({ request_id: 12, confirmed: 'f1' })
    expect(router.currentRoute.value.name).toBe('certificate')
  })

  it('lets a supervisor send a page out uncovered with a reason', async () => {
    const { wrapper } = await mountDetail(view(), 'supervisor')
    vi.mocked(api.confirmCovered).mockResolvedValueOnce(view({ uncovered: [view().uncovered[1]] }))
    await wrapper.findAll('[data-testid="cover-override"]')[0].trigger('click')
    await flushPromises()
    expect(document.querySelector('[data-testid="reason-dialog"]')?.textContent).toContain('不遮盖出证：J012-WS·1998-Y-0034 第 2 页')
    const reason = document.querySelector('[data-testid="reason-input"]') as HTMLTextAreaElement
    reason.value = '查档人持法院调查令'
    reason.dispatchEvent(new Event('input'))
    ;(document.querySelector('[data-testid="reason-confirm"]') as HTMLElement).click()
    await flushPromises()
    expect(api.confirmCovered).toHaveBeenCalledWith({
      request_id: 12,
      record_id: 3,
      page_no: 2,
      override_reason: '查档人持法院调查令',
    })
    expect(wrapper.findAll('[data-testid="uncovered-page"]').map((r) => r.attributes('data-page'))).toEqual(['4'])
  })

  it('shows each attached page’s cover state: to confirm, confirmed by whom, or overridden with the reason', async () => {
    const covered = record({
      covers: [
        { page_no: 1, by: '王主任', at: '2026-03-02 09:20:00', override_reason: '查档人持法院调查令' },
        { page_no: 4, by: '李梅', at: '2026-03-02 09:25:00', override_reason: null },
      ],
      pages: [1, 2, 4, 5],
    })
    const { wrapper } = await mountDetail(view({ records: [covered], uncovered: [view().uncovered[0]] }))
    const states = wrapper
      .findAll('[data-testid="page-cover"]')
      .map((c) => [c.attributes('data-page'), c.attributes('data-cover'), c.text()])
    expect(states).toEqual([
      ['1', 'override', '不遮盖（王主任）：查档人持法院调查令'],
      ['2', 'todo', '待确认遮盖'],
      ['4', 'done', '李梅 已确认遮盖'],
    ])
  })
})

describe('a certificate that cannot go out wrong', () => {
  const settled = () => view({ uncovered: [] })

  it('names what stands in the way in the preview and cannot be confirmed until it is settled', async () => {
    const { wrapper } = await mountDetail(settled())
    vi.mocked(api.previewCertificate).mockResolvedValue(
      preview({ blockers: ['档号 J012-WS·1998-Y-0035 不是开放档案，出具证明须经主管批准：请主管登录后出证'] }),
    )
    await wrapper.find('[data-testid="issue-certificate"]').trigger('click')
    await flushPromises()
    const blockers = document.querySelectorAll('[data-testid="certificate-preview-blocker"]')
    expect([...blockers].map((b) => b.textContent?.trim())).toEqual([
      '档号 J012-WS·1998-Y-0035 不是开放档案，出具证明须经主管批准：请主管登录后出证',
    ])
    expect(inBody('certificate-preview-confirm')?.hasAttribute('disabled')).toBe(true)
    inBody('certificate-preview-confirm')?.click()
    await flushPromises()
    expect(api.issueCertificate).not.toHaveBeenCalled()
  })

  it('previews again when the request changed after the preview, and issues what was seen the second time', async () => {
    const { wrapper } = await mountDetail(settled())
    vi.mocked(api.previewCertificate)
      .mockResolvedValueOnce(preview({ fingerprint: 'before' }))
      .mockResolvedValueOnce(preview({ fingerprint: 'after', pages: 4 }))
    vi.mocked(api.issueCertificate)
      .mockRejectedValueOnce(
        new api.ApiError('invalid_request', '查档登记 12 在预览之后有了变动：请重新预览后再确认出具'),
      )
      .mockResolvedValueOnce(certificate())
    vi.mocked(api.lookupRequest).mockResolvedValue(settled())
    await wrapper.find('[data-testid="issue-certificate"]').trigger('click')
    await flushPromises()
    inBody('certificate-preview-confirm')?.click()
    await flushPromises()
    expect(api.previewCertificate).toHaveBeenCalledTimes(2)
    expect(inBody('certificate-preview-error')?.textContent).toContain('在预览之后有了变动')
    expect(inBody('certificate-preview-ready')?.textContent).toContain('将复制扫描页 4 页')
    inBody('certificate-preview-confirm')?.click()
    await flushPromises()
    expect(vi.mocked(api.issueCertificate).mock.calls.map(([r]) => r.confirmed)).toEqual(['before', 'after'])
  })

  it('offers no certificate once the request is delivered or not found', async () => {
    for (const status of ['delivered', 'not_found'] as const) {
      const { wrapper } = await mountDetail(view({ status, uncovered: [] }))
      expect(wrapper.find('[data-testid="issue-certificate"]').attributes('disabled')).toBeDefined()
      expect(wrapper.find('[data-testid="issue-blocked"]').text()).toContain('不能再出具证明')
      expect(wrapper.find('[data-testid="remove-record"]').exists()).toBe(false)
      wrapper.unmount()
    }
  })

  it('voids a certificate with a reason and shows it voided with who, when and why', async () => {
    const issued = certificate()
    const { wrapper } = await mountDetail(view({ uncovered: [], certificates: [issued] }))
    // The certificate in force cites the records: none can be removed until it is voided.
    expect(wrapper.find('[data-testid="remove-record"]').exists()).toBe(false)
    const voided = certificate({ voided_at: '2026-03-02 10:00:00', voided_by: '李梅', void_reason: '页码选错' })
    vi.mocked(api.voidCertificate).mockResolvedValue(voided)
    vi.mocked(api.lookupRequest).mockResolvedValue(view({ uncovered: [], certificates: [voided] }))
    await wrapper.find('[data-testid="certificate-void"]').trigger('click')
    await flushPromises()
    expect(inBody('reason-dialog')?.textContent).toContain('作废证明 〔2026〕A第0001号')
    const reason = inBody('reason-input') as HTMLTextAreaElement
    reason.value = '页码选错'
    reason.dispatchEvent(new Event('input'))
    inBody('reason-confirm')?.click()
    await flushPromises()
    expect(api.voidCertificate).toHaveBeenCalledWith({ number_or_code: '〔2026〕A第0001号', reason: '页码选错' })
    const row = wrapper.find('[data-testid="certificate-row"]')
    expect(row.attributes('data-voided')).toBe('true')
    expect(row.find('[data-testid="certificate-void-reason"]').text()).toBe('李梅 于 2026-03-02 10:00 作废：页码选错')
    expect(row.find('[data-testid="certificate-void"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="remove-record"]').exists()).toBe(true)
  })

  it('removes one attached page after the clerk confirms, and nothing when the clerk cancels', async () => {
    const { wrapper } = await mountDetail(settled())
    const fewer = view({ uncovered: [], records: [record({ pages: [1, 4] })] })
    vi.mocked(api.removeAttached).mockResolvedValue(fewer)
    await wrapper.find('[data-testid="remove-page"][data-page="2"]').trigger('click')
    expect(await confirmBox()).toContain('移除 J012-WS·1998-Y-0034 第 2 页')
    expect(api.removeAttached).toHaveBeenCalledWith({ request_id: 12, record_id: 3, page_no: 2 })
    expect(wrapper.findAll('[data-testid="attached-page"]').map((p) => p.attributes('data-page'))).toEqual(['1', '4'])

    await wrapper.find('[data-testid="remove-record"]').trigger('click')
    await flushPromises()
    const boxes = document.querySelectorAll('.el-message-box')
    ;(boxes[boxes.length - 1].querySelector('.el-message-box__btns .el-button:not(.el-button--primary)') as HTMLElement).click()
    await flushPromises()
    expect(api.removeAttached).toHaveBeenCalledTimes(1)
  })
})
