import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as api from '../src/api/client'
import type { CrossReceived, CrossSent, LookupRequestView, PeerDirectory, ProofFile } from '../src/api/types'
import CrossApplicationPanel from '../src/components/register/CrossApplicationPanel.vue'
import CrossReceivedBanner from '../src/components/register/CrossReceivedBanner.vue'
import WorkCalendar from '../src/components/settings/WorkCalendar.vue'
import { openRequest } from './deskServer'
import { mountApp } from './helpers'

vi.mock('../src/api/client', async (original) => ({
  ...(await original<typeof import('../src/api/client')>()),
  peers: vi.fn(),
  crossSend: vi.fn(),
  crossAccept: vi.fn(),
  crossReturn: vi.fn(),
  crossCertificate: vi.fn(),
  lookupRequest: vi.fn(),
  workCalendar: vi.fn(),
  setWorkCalendar: vi.fn(),
  saveFile: vi.fn(),
}))

const directory: PeerDirectory = {
  own_pin: 'AAAA',
  province: null,
  can_ask_all: false,
  peers: [{ id: 2, name: '乙县档案馆', address: '10.8.1.20:8444', pin: 'ab'.repeat(32), added_at: '', added_by: '' }],
}

const idCard: ProofFile = {
  id: 1,
  request_id: 5,
  kind: 'id_card',
  file_name: '身份证.jpg',
  media_type: 'image/jpeg',
  bytes: 1000,
  added_at: '2026-12-07 09:00:00',
  added_by: 'li（李梅）',
  deleted_at: null,
  deleted_why: null,
}

function sent(state: string, extra: Partial<CrossSent> = {}): CrossSent {
  return {
    id: 9,
    peer_id: 2,
    peer_name: '乙县档案馆',
    sent_at: '2026-12-07 09:10:00',
    sent_by: 'li（李梅）',
    state,
    state_at: '2026-12-07 09:10:00',
    deadline: null,
    reason: null,
    delivered: true,
    last_error: null,
    certificate_number: null,
    certificate_code: null,
    certificate_voided_at: null,
    certificate_void_reason: null,
    ...extra,
  }
}

function crossRequest(overrides: Partial<LookupRequestView> = {}): LookupRequestView {
  return openRequest({ channel: '跨馆', ...overrides })
}

beforeEach(() => {
  vi.useFakeTimers()
  for (const f of [api.crossSend, api.crossAccept, api.crossReturn, api.crossCertificate, api.lookupRequest, api.setWorkCalendar]) {
    vi.mocked(f).mockReset()
  }
  vi.mocked(api.peers).mockReset().mockResolvedValue(directory)
})
afterEach(() => {
  vi.useRealTimers()
  document.body.innerHTML = ''
})

describe('跨馆查档申请 (the receiving archive)', () => {
  it('waits for the ID card, sends to the archive chosen, and follows each step until the certificate', async () => {
    const wrapper = mountApp(CrossApplicationPanel, { props: { view: crossRequest() }, attachTo: document.body })
    await flushPromises()
    expect(wrapper.find('[data-testid="cross-missing-proof"]').text()).toContain('身份证')
    expect(wrapper.find('[data-testid="cross-send"]').attributes('disabled')).toBeDefined()

    const withCard = crossRequest({ proofs: [idCard] })
    await wrapper.setProps({ view: withCard } as never)
    ;(wrapper.vm as unknown as { peerId: number }).peerId = 2
    await flushPromises()
    const submitted = crossRequest({ proofs: [idCard], cross_sent: [sent('submitted', { delivered: false, last_error: '无法连接' })] })
    vi.mocked(api.crossSend).mockResolvedValueOnce(submitted)
    await wrapper.find('[data-testid="cross-send"]').trigger('click')
    await flushPromises()
    expect(api.crossSend).toHaveBeenCalledWith({ request_id: 5, peer_id: 2 })
    expect(wrapper.emitted('changed')?.[0]).toEqual([submitted])
    await wrapper.setProps({ view: submitted } as never)
    expect(wrapper.find('[data-testid="cross-undelivered"]').text()).toContain('无法连接')

    // Under way, the request is read again until the application is done with.
    const certified = crossRequest({
      proofs: [idCard],
      status: 'found',
      cross_sent: [sent('certified', { deadline: '2026-12-11', certificate_number: '〔2026〕A第0001号', certificate_code: 'K7QM' })],
    })
    vi.mocked(api.lookupRequest).mockResolvedValueOnce(certified)
    await vi.advanceTimersByTimeAsync(3100)
    expect(api.lookupRequest).toHaveBeenCalledWith({ id: 5 })
    await wrapper.setProps({ view: certified } as never)
    const row = wrapper.find('[data-testid="cross-sent"]')
    expect(row.attributes('data-state')).toBe('certified')
    expect(row.find('[data-testid="cross-state"]').text()).toBe('已出证')
    expect(row.find('[data-testid="cross-deadline"]').text()).toBe('答复期限 2026-12-11')
    vi.mocked(api.crossCertificate).mockResolvedValueOnce({ file_name: '乙县档案馆〔2026〕A第0001号.pdf', base64: 'JVBERi0=' })
    await row.find('[data-testid="cross-certificate"]').trigger('click')
    await flushPromises()
    expect(api.crossCertificate).toHaveBeenCalledWith({ id: 9 })
    expect(api.saveFile).toHaveBeenCalledWith('乙县档案馆〔2026〕A第0001号.pdf', expect.any(Blob))
    // Done with: no more reading.
    vi.mocked(api.lookupRequest).mockClear()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(api.lookupRequest).not.toHaveBeenCalled()
  })
})

describe('a certificate voided by the holding archive', () => {
  it('is said with the reason, and no longer offered to print', async () => {
    const voided = crossRequest({
      proofs: [idCard],
      status: 'found',
      cross_sent: [
        sent('certified', {
          certificate_number: '〔2026〕A第0001号',
          certificate_code: 'K7QM',
          certificate_voided_at: '2026-12-08 10:00:00',
          certificate_void_reason: '出生年月抄错',
        }),
      ],
    })
    const wrapper = mountApp(CrossApplicationPanel, { props: { view: voided }, attachTo: document.body })
    await flushPromises()
    const row = wrapper.find('[data-testid="cross-sent"]')
    expect(row.find('[data-testid="cross-certificate-voided"]').text()).toContain('出生年月抄错')
    expect(row.find('[data-testid="cross-certificate"]').exists()).toBe(false)
  })
})

describe('跨馆协办 (the holding archive)', () => {
  const received: CrossReceived = {
    id: 4,
    request_id: 5,
    peer_name: '甲县档案馆',
    received_at: '2026-12-07 09:11:00',
    deadline: '2026-12-11',
    working_days_left: 4,
    overdue: false,
    their_request_no: '12',
    their_clerk: 'li（李梅）',
    requester_name: '刘建国',
    purpose: '退休待遇核定',
    sought: '工资调整记录',
    state: 'submitted',
    state_at: '2026-12-07 09:11:00',
    reason: null,
  }

  it('shows who asked and the working days left, accepts, and returns with a reason', async () => {
    const view = crossRequest({ cross_received: received })
    const wrapper = mountApp(CrossReceivedBanner, { props: { view, received }, attachTo: document.body })
    expect(wrapper.text()).toContain('甲县档案馆的申请（对方登记号 12')
    expect(wrapper.text()).toContain('还有 4 个工作日')
    const accepted = { ...received, state: 'accepted' }
    vi.mocked(api.crossAccept).mockResolvedValueOnce(crossRequest({ cross_received: accepted }))
    await wrapper.find('[data-testid="cross-accept"]').trigger('click')
    await flushPromises()
    expect(api.crossAccept).toHaveBeenCalledWith({ id: 4 })
    await wrapper.setProps({ received: accepted } as never)
    expect(wrapper.find('[data-testid="cross-accept"]').exists()).toBe(false)

    await wrapper.find('[data-testid="cross-return"]').trigger('click')
    await flushPromises()
    const dialog = document.querySelector('.el-dialog') as HTMLElement
    const input = dialog.querySelector('textarea, input') as HTMLInputElement
    input.value = '不属本馆保管'
    input.dispatchEvent(new Event('input'))
    vi.mocked(api.crossReturn).mockResolvedValueOnce(crossRequest({ cross_received: { ...accepted, state: 'returned' } }))
    ;(dialog.querySelector('.el-button--primary') as HTMLElement).click()
    await flushPromises()
    expect(api.crossReturn).toHaveBeenCalledWith({ id: 4, reason: '不属本馆保管' })
  })

  it('marks an application past its deadline', () => {
    const late = { ...received, overdue: true, working_days_left: -1 }
    const wrapper = mountApp(CrossReceivedBanner, { props: { view: crossRequest(), received: late } })
    expect(wrapper.text()).toContain('已逾期')
  })
})

describe('工作日历', () => {
  it('sets a run of holidays at once and the deadline alone', async () => {
    vi.mocked(api.workCalendar).mockReset().mockResolvedValue({ days: [], deadline_days: 4 })
    const wrapper = mountApp(WorkCalendar, { attachTo: document.body })
    await flushPromises()
    expect(wrapper.text()).toContain('周一至周五为工作日')
    ;(wrapper.vm as unknown as { range: [string, string] }).range = ['2026-10-01', '2026-10-03']
    await wrapper.find('[data-testid="calendar-note"]').setValue('国庆节')
    const days = ['2026-10-01', '2026-10-02', '2026-10-03'].map((day) => ({ day, working: false, note: '国庆节' }))
    vi.mocked(api.setWorkCalendar).mockResolvedValueOnce({ days, deadline_days: 4 })
    await wrapper.find('[data-testid="calendar-add"]').trigger('click')
    await flushPromises()
    expect(api.setWorkCalendar).toHaveBeenCalledWith({ set: days, remove: [], deadline_days: null })
    expect(wrapper.findAll('[data-testid="calendar-day"]')).toHaveLength(3)

    const deadline = wrapper.find('[data-testid="calendar-deadline"] input')
    await deadline.setValue('5')
    await deadline.trigger('change')
    vi.mocked(api.setWorkCalendar).mockResolvedValueOnce({ days, deadline_days: 5 })
    await wrapper.find('[data-testid="calendar-deadline-save"]').trigger('click')
    await flushPromises()
    expect(api.setWorkCalendar).toHaveBeenLastCalledWith({ set: [], remove: [], deadline_days: 5 })
  })
})
