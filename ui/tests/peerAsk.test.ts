import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as api from '../src/api/client'
import type { PeerAnswer, PeerAskView, PeerDirectory } from '../src/api/types'
import PeerAskPanel from '../src/components/register/PeerAskPanel.vue'
import { openRequest } from './deskServer'
import { mountApp } from './helpers'

vi.mock('../src/api/client', async (original) => ({
  ...(await original<typeof import('../src/api/client')>()),
  peers: vi.fn(),
  peerAsk: vi.fn(),
  peerAskStatus: vi.fn(),
}))

const directory: PeerDirectory = {
  own_pin: 'AAAA BBBB',
  province: '测试省',
  can_ask_all: true,
  peers: [
    { id: 1, name: '乙县档案馆', address: '10.8.1.20:8444', pin: 'ab'.repeat(32), added_at: '2026-12-01 09:00:00', added_by: 'wang（王主任）' },
    { id: 2, name: '丙县档案馆', address: '10.8.1.30:8444', pin: 'cd'.repeat(32), added_at: '2026-12-01 09:00:00', added_by: 'wang（王主任）' },
  ],
}

function answer(peer_id: number, peer_name: string, state: string, extra: Partial<PeerAnswer> = {}): PeerAnswer {
  return { peer_id, peer_name, state, facts: null, message: null, millis: null, ...extra }
}

function asked(answers: PeerAnswer[], done: boolean): PeerAskView {
  return { ask_id: 7, request_id: 5, mode: 'chosen', answers, done }
}

const found = answer(1, '乙县档案馆', 'found', {
  millis: 42,
  facts: {
    archive_name: '乙县档案馆',
    groups: [{ category: '工资调整', year: 1998, matched_by: 'id', records: 2, titles: ['城关镇供销社1998年工资调整表'] }],
    restricted: 1,
  },
})

const shown = (wrapper: ReturnType<typeof mountApp>) =>
  wrapper.findAll('[data-testid="peer-answer"]').map((li) => [li.attributes('data-peer'), li.attributes('data-state')])

beforeEach(() => {
  vi.useFakeTimers()
  vi.mocked(api.peers).mockReset().mockResolvedValue(directory)
  vi.mocked(api.peerAsk).mockReset()
  vi.mocked(api.peerAskStatus).mockReset()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('查询其他档案馆', () => {
  it('asks the archives chosen and shows each answer as it comes, until none is waiting', async () => {
    vi.mocked(api.peerAsk).mockResolvedValue(asked([answer(1, '乙县档案馆', 'waiting'), answer(2, '丙县档案馆', 'waiting')], false))
    vi.mocked(api.peerAskStatus)
      .mockResolvedValueOnce(asked([found, answer(2, '丙县档案馆', 'waiting')], false))
      // Every archive has answered; the answers are still being put on the trail.
      .mockResolvedValueOnce(asked([found, answer(2, '丙县档案馆', 'unreachable', { message: 'connection refused' })], false))
    const wrapper = mountApp(PeerAskPanel, { props: { view: openRequest({ channel: '跨馆' }) } })
    await flushPromises()
    expect(wrapper.find('[data-testid="peer-ask-chosen"]').attributes('disabled')).toBeDefined()

    await wrapper.find('[data-testid="peer-ask-peer-1"] input').setValue(true)
    await wrapper.find('[data-testid="peer-ask-peer-2"] input').setValue(true)
    await wrapper.find('[data-testid="peer-ask-with-name"] input').setValue(false)
    await wrapper.find('[data-testid="peer-ask-chosen"]').trigger('click')
    await flushPromises()
    expect(api.peerAsk).toHaveBeenCalledWith({ request_id: 5, peers: [1, 2], with_id: true, with_name: false })
    expect(shown(wrapper)).toEqual([['乙县档案馆', 'waiting'], ['丙县档案馆', 'waiting']])

    await vi.advanceTimersByTimeAsync(300)
    expect(shown(wrapper)).toEqual([['乙县档案馆', 'found'], ['丙县档案馆', 'waiting']])
    const text = wrapper.find('[data-testid="peer-answers"]').text()
    expect(text).toContain('有记录')
    expect(text).toContain('工资调整 · 1998 · 2 件 · 身份证号相同')
    expect(text).toContain('另有控制使用的档案 1 件')

    await vi.advanceTimersByTimeAsync(300)
    expect(shown(wrapper)).toEqual([['乙县档案馆', 'found'], ['丙县档案馆', 'unreachable']])
    expect(wrapper.text()).toContain('无法连接')
    await vi.advanceTimersByTimeAsync(1000)
    expect(api.peerAskStatus).toHaveBeenCalledTimes(2)
  })

  it('asks every archive with nothing chosen, and only where the province list allows it', async () => {
    vi.mocked(api.peerAsk).mockResolvedValue({ ...asked([answer(1, '乙县档案馆', 'none')], true), mode: 'hash' })
    const wrapper = mountApp(PeerAskPanel, { props: { view: openRequest({ channel: '跨馆' }) } })
    await flushPromises()
    await wrapper.find('[data-testid="peer-ask-all"]').trigger('click')
    await flushPromises()
    expect(api.peerAsk).toHaveBeenCalledWith(expect.objectContaining({ request_id: 5, peers: [] }))
    expect(shown(wrapper)).toEqual([['乙县档案馆', 'none']])

    vi.mocked(api.peers).mockResolvedValue({ ...directory, can_ask_all: false })
    const without = mountApp(PeerAskPanel, { props: { view: openRequest({ channel: '跨馆' }) } })
    await flushPromises()
    expect(without.find('[data-testid="peer-ask-all"]').exists()).toBe(false)
  })

  it('is not offered on a closed request, and says so when no archive was added', async () => {
    const closed = mountApp(PeerAskPanel, { props: { view: openRequest({ channel: '跨馆', status: 'delivered' }) } })
    await flushPromises()
    expect(closed.find('[data-testid="peer-ask"]').exists()).toBe(false)

    vi.mocked(api.peers).mockResolvedValue({ ...directory, peers: [] })
    const none = mountApp(PeerAskPanel, { props: { view: openRequest({ channel: '跨馆' }) } })
    await flushPromises()
    expect(none.find('[data-testid="peer-ask-none"]').text()).toContain('设置 → 跨馆档案馆')
  })
})
