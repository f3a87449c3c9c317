// 设置 → 跨馆档案馆 → 本馆跨馆端口 in the desktop app: the supervisor opens the peer door at the
// address typed and sees where it listens, then closes it; a door that cannot open leaves the
// switch off and says why.
import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as api from '../src/api/client'
import type { PeerDoorStatus } from '../src/api/types'
import PeerDoorSettings from '../src/components/settings/PeerDoorSettings.vue'
import { mountApp } from './helpers'

vi.mock('../src/api/client', async (original) => ({
  ...(await original<typeof import('../src/api/client')>()),
  peerDoorStatus: vi.fn(),
  peerDoorStart: vi.fn(),
  peerDoorStop: vi.fn(),
}))

const OFF: PeerDoorStatus = { running: false, listen: '0.0.0.0:9443' }
const ON: PeerDoorStatus = { running: true, listen: '10.1.2.3:9443' }

beforeEach(() => {
  vi.mocked(api.peerDoorStatus).mockReset().mockResolvedValue(OFF)
  vi.mocked(api.peerDoorStart).mockReset().mockResolvedValue(ON)
  vi.mocked(api.peerDoorStop).mockReset().mockResolvedValue(OFF)
})

afterEach(() => {
  document.body.innerHTML = ''
})

describe('本馆跨馆端口', () => {
  it('opens the door at the address typed, shows where it listens, and closes it', async () => {
    const wrapper = mountApp(PeerDoorSettings, { attachTo: document.body })
    await flushPromises()
    const listen = wrapper.find<HTMLInputElement>('[data-testid="peer-door-listen"]')
    expect(listen.element.value).toBe('0.0.0.0:9443')
    expect(wrapper.find('[data-testid="peer-door-address"]').exists()).toBe(false)

    await listen.setValue(' 10.1.2.3:9443 ')
    await wrapper.find('[data-testid="peer-door-switch"]').trigger('click')
    await flushPromises()
    expect(api.peerDoorStart).toHaveBeenCalledWith({ listen: '10.1.2.3:9443' })
    expect(wrapper.find('[data-testid="peer-door-address"]').text()).toBe('10.1.2.3:9443')
    expect(listen.attributes('disabled')).toBeDefined()

    await wrapper.find('[data-testid="peer-door-switch"]').trigger('click')
    await flushPromises()
    expect(api.peerDoorStop).toHaveBeenCalledTimes(1)
    expect(wrapper.find('[data-testid="peer-door-address"]').exists()).toBe(false)
    expect(listen.element.value).toBe('10.1.2.3:9443')
  })

  it('stays off and says why when the door cannot open', async () => {
    vi.mocked(api.peerDoorStart).mockRejectedValue(
      new api.ApiError('io', '无法在 10.1.2.3:9443 上监听：Address already in use'),
    )
    const wrapper = mountApp(PeerDoorSettings, { attachTo: document.body })
    await flushPromises()
    await wrapper.find('[data-testid="peer-door-switch"]').trigger('click')
    await flushPromises()
    expect(document.body.textContent).toContain('无法在 10.1.2.3:9443 上监听')
    expect(wrapper.find('[data-testid="peer-door-address"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="peer-door-switch"]').classes()).not.toContain('is-checked')
  })
})
