// 设置 → 局域网主机 in the desktop app: the supervisor turns the LAN door on at the address typed,
// sees the host key and the first pairing code, and turns it off again; a door that cannot open
// leaves the switch off and says why.
import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as api from '../src/api/client'
import type { LanHostStatus } from '../src/api/types'
import LanHostSettings from '../src/components/settings/LanHostSettings.vue'
import { mountApp } from './helpers'

vi.mock('../src/api/client', async (original) => ({
  ...(await original<typeof import('../src/api/client')>()),
  lanHostStatus: vi.fn(),
  lanHostStart: vi.fn(),
  lanHostStop: vi.fn(),
}))

const OFF: LanHostStatus = { running: false, listen: '0.0.0.0:8443', host_pin: null, pairing: null }
const ON: LanHostStatus = {
  running: true,
  listen: '192.168.1.20:8443',
  host_pin: '3F2A 9C01 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000',
  pairing: { code: '483920', desk_code: 'B', desk_name: '柜台B', seconds_left: 600 },
}

beforeEach(() => {
  vi.mocked(api.lanHostStatus).mockReset().mockResolvedValue(OFF)
  vi.mocked(api.lanHostStart).mockReset().mockResolvedValue(ON)
  vi.mocked(api.lanHostStop).mockReset().mockResolvedValue(OFF)
})

afterEach(() => {
  document.body.innerHTML = ''
})

describe('局域网主机', () => {
  it('opens the door at the address typed, shows the key and the code, and closes it', async () => {
    const wrapper = mountApp(LanHostSettings, { attachTo: document.body })
    await flushPromises()
    const listen = wrapper.find<HTMLInputElement>('[data-testid="lan-host-listen"]')
    expect(listen.element.value).toBe('0.0.0.0:8443')
    expect(wrapper.find('[data-testid="lan-host-facts"]').exists()).toBe(false)

    await listen.setValue(' 192.168.1.20:8443 ')
    await wrapper.find('[data-testid="lan-host-switch"]').trigger('click')
    await flushPromises()
    expect(api.lanHostStart).toHaveBeenCalledWith({ listen: '192.168.1.20:8443' })
    expect(wrapper.find('[data-testid="lan-host-address"]').text()).toBe('192.168.1.20:8443')
    expect(wrapper.find('[data-testid="lan-host-pin"]').text()).toContain('3F2A 9C01')
    expect(wrapper.find('[data-testid="lan-host-code"]').text()).toBe('483 920')
    expect(wrapper.emitted('changed')).toEqual([[false], [true]])
    // The address is fixed while the door is open.
    expect(listen.attributes('disabled')).toBeDefined()

    await wrapper.find('[data-testid="lan-host-switch"]').trigger('click')
    await flushPromises()
    expect(api.lanHostStop).toHaveBeenCalledTimes(1)
    expect(wrapper.find('[data-testid="lan-host-facts"]').exists()).toBe(false)
    expect(wrapper.emitted('changed')?.at(-1)).toEqual([false])
    // What was typed stays for the next time.
    expect(listen.element.value).toBe('192.168.1.20:8443')
  })

  it('stays off and says why when the door cannot open', async () => {
    vi.mocked(api.lanHostStart).mockRejectedValue(
      new api.ApiError('io', '无法在 192.168.1.20:8443 上监听：Address already in use'),
    )
    const wrapper = mountApp(LanHostSettings, { attachTo: document.body })
    await flushPromises()
    await wrapper.find('[data-testid="lan-host-switch"]').trigger('click')
    await flushPromises()
    expect(document.body.textContent).toContain('无法在 192.168.1.20:8443 上监听')
    expect(wrapper.find('[data-testid="lan-host-facts"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="lan-host-switch"]').classes()).not.toContain('is-checked')
  })
})
