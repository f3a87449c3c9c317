import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as api from '../src/api/client'
import type { LookupRequestView, ProofFile } from '../src/api/types'
import ProofFiles from '../src/components/register/ProofFiles.vue'
import { openRequest } from './deskServer'
import { confirmBox, mountApp } from './helpers'

vi.mock('../src/api/client', async (original) => ({
  ...(await original<typeof import('../src/api/client')>()),
  proofAdd: vi.fn(),
  proofView: vi.fn(),
  proofRemove: vi.fn(),
}))

const letter: ProofFile = {
  id: 3,
  request_id: 5,
  kind: 'authorization',
  file_name: '授权委托书.jpg',
  media_type: 'image/jpeg',
  bytes: 245_760,
  added_at: '2026-03-02 09:05:00',
  added_by: 'li（李梅）',
  deleted_at: null,
  deleted_why: null,
}

function proxyRequest(overrides: Partial<LookupRequestView> = {}): LookupRequestView {
  return openRequest({ relationship: 'proxy', proxy_name: '刘小红', proxy_id_masked: '431128********1242', ...overrides })
}

beforeEach(() => {
  vi.mocked(api.proofAdd).mockReset()
  vi.mocked(api.proofView).mockReset()
  vi.mocked(api.proofRemove).mockReset()
  URL.createObjectURL = vi.fn(() => 'blob:proof')
  URL.revokeObjectURL = vi.fn()
})
afterEach(() => {
  document.body.innerHTML = ''
})

describe('证明材料', () => {
  it('asks a proxy for the letter of authorization and keeps the file chosen as one', async () => {
    const wrapper = mountApp(ProofFiles, { props: { view: proxyRequest() }, attachTo: document.body })
    expect(wrapper.find('[data-testid="proof-letter-missing"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="proof-none"]').exists()).toBe(true)

    const photo = new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2])], '授权委托书.jpg', { type: 'image/jpeg' })
    const input = wrapper.find('[data-testid="proof-input"]')
    Object.defineProperty(input.element, 'files', { value: [photo] })
    const kept = proxyRequest({ proofs: [letter] })
    vi.mocked(api.proofAdd).mockResolvedValueOnce(kept)
    await input.trigger('change')
    await flushPromises()
    // A proxy's first proof is taken as the letter; the bytes go as base64.
    expect(api.proofAdd).toHaveBeenCalledWith({
      request_id: 5,
      kind: 'authorization',
      file_name: '授权委托书.jpg',
      content_base64: '/9j/4AEC',
    })
    expect(wrapper.emitted('changed')?.[0]).toEqual([kept])

    await wrapper.setProps({ view: kept } as never)
    expect(wrapper.find('[data-testid="proof-letter-missing"]').exists()).toBe(false)
    const row = wrapper.find('[data-testid="proof-file"]')
    expect(row.text()).toContain('授权委托书')
    expect(row.text()).toContain('240 KB')
  })

  it('shows a proof only when asked, and removes one after the clerk confirms', async () => {
    const wrapper = mountApp(ProofFiles, { props: { view: proxyRequest({ proofs: [letter] }) }, attachTo: document.body })
    vi.mocked(api.proofView).mockResolvedValueOnce({
      id: 3,
      file_name: '授权委托书.jpg',
      media_type: 'image/jpeg',
      content_base64: '/9j/4AEC',
    })
    expect(api.proofView).not.toHaveBeenCalled()
    await wrapper.find('[data-testid="proof-view"]').trigger('click')
    await flushPromises()
    expect(api.proofView).toHaveBeenCalledWith({ id: 3 })
    expect(document.querySelector('[data-testid="proof-image"]')?.getAttribute('src')).toBe('blob:proof')

    const removed = proxyRequest({
      proofs: [{ ...letter, deleted_at: '2026-03-02 09:10:00', deleted_why: 'removed' }],
    })
    vi.mocked(api.proofRemove).mockResolvedValueOnce(removed)
    await wrapper.find('[data-testid="proof-remove"]').trigger('click')
    expect(await confirmBox()).toContain('删除证明材料「授权委托书.jpg」')
    expect(api.proofRemove).toHaveBeenCalledWith({ id: 3 })
    await wrapper.setProps({ view: removed } as never)
    expect(wrapper.find('[data-testid="proof-deleted"]').text()).toBe('已于 2026-03-02 09:10:00 删除')
    expect(wrapper.find('[data-testid="proof-view"]').exists()).toBe(false)
  })

  it('offers nothing to add or remove once the request was delivered', () => {
    const wrapper = mountApp(ProofFiles, {
      props: { view: proxyRequest({ status: 'delivered', proofs: [letter] }) },
      attachTo: document.body,
    })
    expect(wrapper.find('[data-testid="proof-input"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="proof-remove"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="proof-view"]').exists()).toBe(true)
  })
})
