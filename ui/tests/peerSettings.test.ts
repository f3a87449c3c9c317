import { flushPromises } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as api from '../src/api/client'
import type { PeerDirectory, PeerListPreview } from '../src/api/types'
import PeerSettings from '../src/components/settings/PeerSettings.vue'
import { mountApp } from './helpers'

vi.mock('../src/api/client', async (original) => ({
  ...(await original<typeof import('../src/api/client')>()),
  peers: vi.fn(),
  peerAdd: vi.fn(),
  peerRemove: vi.fn(),
  peerListPreview: vi.fn(),
  peerListImport: vi.fn(),
}))

const empty: PeerDirectory = { own_pin: '3F2A 19C0 AAAA BBBB', province: null, can_ask_all: false, peers: [] }
const withB: PeerDirectory = {
  ...empty,
  peers: [{ id: 1, name: '乙县档案馆', address: '10.8.1.20:8444', pin: 'ab'.repeat(32), added_at: '2026-12-01 09:00:00', added_by: 'wang（王主任）' }],
}
const preview: PeerListPreview = {
  province: '测试省',
  has_hash_key: true,
  peers: [
    { name: '甲县档案馆', address: '10.8.1.10:8444', pin_shown: '3F2A 19C0 AAAA BBBB', effect: 'self' },
    { name: '丁县档案馆', address: '10.8.1.40:8444', pin_shown: 'DDDD 0001', effect: 'added' },
  ],
}

beforeEach(() => {
  vi.mocked(api.peers).mockReset().mockResolvedValue(empty)
  vi.mocked(api.peerAdd).mockReset()
  vi.mocked(api.peerRemove).mockReset()
  vi.mocked(api.peerListPreview).mockReset()
  vi.mocked(api.peerListImport).mockReset()
})

describe('设置 → 跨馆档案馆', () => {
  it('shows this archive’s key hash and adds an archive by name, address and key hash', async () => {
    vi.mocked(api.peerAdd).mockResolvedValue(withB)
    const wrapper = mountApp(PeerSettings)
    await flushPromises()
    expect(wrapper.find('[data-testid="peer-own-pin"]').text()).toBe('3F2A 19C0 AAAA BBBB')
    expect(wrapper.find('[data-testid="peer-can-ask-all"]').text()).toContain('只能向选定的档案馆查询')

    await wrapper.find('[data-testid="peer-name"]').setValue(' 乙县档案馆 ')
    await wrapper.find('[data-testid="peer-address"]').setValue('10.8.1.20:8444')
    await wrapper.find('[data-testid="peer-pin"]').setValue('ABAB ABAB')
    await wrapper.find('form.add').trigger('submit')
    await flushPromises()
    expect(api.peerAdd).toHaveBeenCalledWith({ name: '乙县档案馆', address: '10.8.1.20:8444', pin: 'ABAB ABAB' })
    const list = wrapper.find('[data-testid="peer-list"]').text()
    expect(list).toContain('乙县档案馆')
    expect(list).toContain('ABAB ABAB ABAB')
  })

  it('shows a province list whole, key hashes included, and takes it in only when asked', async () => {
    vi.mocked(api.peerListPreview).mockResolvedValue(preview)
    vi.mocked(api.peerListImport).mockResolvedValue(preview)
    const wrapper = mountApp(PeerSettings)
    await flushPromises()
    const input = wrapper.find('[data-testid="peer-list-file"]')
    const file = new File(['{"province":"测试省"}'], '名单.json', { type: 'application/json' })
    Object.defineProperty(input.element, 'files', { value: [file] })
    await input.trigger('change')
    await flushPromises()
    const content = vi.mocked(api.peerListPreview).mock.calls[0][0].content_base64
    const sent = Uint8Array.from(atob(content), (c) => c.charCodeAt(0))
    expect(new TextDecoder().decode(sent)).toBe('{"province":"测试省"}')
    const shown = wrapper.find('[data-testid="peer-list-preview"]').text()
    expect(shown).toContain('DDDD 0001')
    expect(shown).toContain('新增')
    expect(shown).toContain('本馆')
    expect(api.peerListImport).not.toHaveBeenCalled()

    vi.mocked(api.peers).mockResolvedValue({ ...withB, province: '测试省', can_ask_all: true })
    await wrapper.find('[data-testid="peer-list-import"]').trigger('click')
    await flushPromises()
    expect(api.peerListImport).toHaveBeenCalledWith({ content_base64: content })
    expect(wrapper.find('[data-testid="peer-list-preview"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="peer-can-ask-all"]').attributes('data-can')).toBe('true')
  })
})
