import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import * as api from '../src/api/client'
import type { LookupRequestView } from '../src/api/types'
import RequestForm from '../src/components/register/RequestForm.vue'
import UncoveredPages from '../src/components/register/UncoveredPages.vue'
import { useDeskStore } from '../src/stores/desk'
import { useRequestStore } from '../src/stores/request'
import RegisterView from '../src/views/RegisterView.vue'
import { deskSession, openRequest, supervisor } from './deskServer'
import { mountApp } from './helpers'

vi.mock('../src/api/client', async (original) => ({
  ...(await original<typeof import('../src/api/client')>()),
  lookupRequest: vi.fn(),
  lookupRequests: vi.fn(),
}))

const record = {
  id: 3,
  document_id: 10,
  entry_id: 1,
  ref_code: 'J012-WS·1998-Y-0034',
  title: '清源县化肥厂1998年工资调整审批表',
  date: '1998',
  doc_number: null,
  access: 'open' as const,
  category: '工资调整',
  row: [['姓名', '刘建国']] as [string, string][],
  own_record: true,
  pages: [1],
  redactions: [],
  attached_at: '2026-03-02 09:15:00',
  attached_by: '王主任',
  pages_with_others: [1],
  covers: [],
}

/// Request 5 just registered with its record, page 1 still to cover.
const registered: LookupRequestView = openRequest({
  status: 'found',
  records: [record],
  uncovered: [{ record_id: 3, ref_code: record.ref_code, page_no: 1, boxes: 0 }],
})
/// The same request once the supervisor let page 1 go out uncovered.
const covered: LookupRequestView = openRequest({
  status: 'found',
  records: [{ ...record, covers: [{ page_no: 1, by: '王主任', at: '2026-03-02 09:16:00', override_reason: '查档人同意' }] }],
  uncovered: [],
})

beforeEach(() => {
  vi.mocked(api.lookupRequest).mockReset()
  vi.mocked(api.lookupRequests).mockReset()
  vi.mocked(api.lookupRequests).mockResolvedValue({ total: 1, requests: [] })
})
afterEach(() => {
  document.body.innerHTML = ''
})

describe('登记: the request shown', () => {
  it('keeps what an act answered when a read of the request started before it comes back after it', async () => {
    // The read that registering starts (on the way to the request's own address) answers late,
    // with the request as it was before the covering.
    let answerRead: (view: LookupRequestView) => void = () => {}
    vi.mocked(api.lookupRequest).mockImplementation(() => new Promise((resolve) => (answerRead = resolve)))
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/register/:requestId(\\d+)?', name: 'register', component: RegisterView },
        { path: '/', name: 'search', component: { template: '<div />' } },
      ],
    })
    await router.push('/register')
    const wrapper = mountApp(RegisterView, { global: { plugins: [router] }, attachTo: document.body })
    useDeskStore().session = deskSession(supervisor)
    await flushPromises()

    wrapper.findComponent(RequestForm).vm.$emit('registered', registered)
    await flushPromises()
    expect(api.lookupRequest).toHaveBeenCalledWith({ id: 5 })
    expect(wrapper.findAll('[data-testid="uncovered-page"]')).toHaveLength(1)

    // What 不遮盖出证 answers, as the covering list hands it on.
    wrapper.findComponent(UncoveredPages).vm.$emit('changed', covered)
    await flushPromises()
    expect(wrapper.findAll('[data-testid="uncovered-page"]')).toHaveLength(0)

    answerRead(registered)
    await flushPromises()
    expect(wrapper.findAll('[data-testid="uncovered-page"]')).toHaveLength(0)
    expect(useRequestStore().current?.uncovered).toEqual([])
    expect(wrapper.find('[data-testid="request-detail"]').exists()).toBe(true)
  })
})
