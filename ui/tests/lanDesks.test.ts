import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as api from '../src/api/client'
import type { LanDesk } from '../src/api/types'
import LanDesks from '../src/components/settings/LanDesks.vue'
import { useDeskStore } from '../src/stores/desk'
import { deskSession, supervisor } from './deskServer'
import { confirmBox, mountApp } from './helpers'

vi.mock('../src/api/client', async (original) => ({
  ...(await original<typeof import('../src/api/client')>()),
  lanDesks: vi.fn(),
  lanPairingStart: vi.fn(),
  lanDeskRevoke: vi.fn(),
}))

function desk(code: string, name: string, revoked_at: string | null = null): LanDesk {
  return {
    code,
    name,
    pin: code.toLowerCase().repeat(64),
    enrolled_at: '2026-12-01 09:00:00',
    enrolled_by: 'wang（王主任）',
    revoked_at,
  }
}

const B = desk('B', '二号窗口')
const C = desk('C', '三号窗口')
const D = desk('D', '旧柜台', '2026-12-03 17:00:00')

async function mountAtDesk(code: string) {
  const wrapper = mountApp(LanDesks, { attachTo: document.body })
  useDeskStore().session = deskSession({ ...supervisor, desk: code })
  await flushPromises()
  return wrapper
}

beforeEach(() => {
  vi.mocked(api.lanDesks).mockReset().mockResolvedValue([B, C, D])
  vi.mocked(api.lanPairingStart).mockReset()
  vi.mocked(api.lanDeskRevoke).mockReset()
})
afterEach(() => {
  document.body.innerHTML = ''
})

describe('LAN desks', () => {
  it('lists the desks, and the supervisor revokes another desk but never the one they work at', async () => {
    const wrapper = await mountAtDesk('C')
    expect(wrapper.find('[data-testid="lan-desk-state-B"]').text()).toBe('使用中')
    expect(wrapper.find('[data-testid="lan-desk-state-D"]').text()).toContain('已撤销')
    expect(wrapper.find('[data-testid="lan-desk-revoke-C"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="lan-desk-revoke-D"]').exists()).toBe(false)

    vi.mocked(api.lanDeskRevoke).mockResolvedValueOnce([{ ...B, revoked_at: '2026-12-07 10:00:00' }, C, D])
    await wrapper.find('[data-testid="lan-desk-revoke-B"]').trigger('click')
    const asked = await confirmBox()
    expect(asked).toContain('柜台B')
    expect(api.lanDeskRevoke).toHaveBeenCalledWith({ desk_code: 'B' })
    expect(wrapper.find('[data-testid="lan-desk-state-B"]').text()).toContain('已撤销')
    expect(wrapper.find('[data-testid="lan-desk-revoke-B"]').exists()).toBe(false)
  })

  it('opens a pairing for a named desk and shows its code once, grouped as the host prints it', async () => {
    const wrapper = await mountAtDesk('B')
    vi.mocked(api.lanPairingStart).mockResolvedValueOnce({
      code: '483920',
      desk_code: 'E',
      desk_name: '四号窗口',
      seconds_left: 600,
    })
    await wrapper.find('[data-testid="lan-pair-name"]').setValue(' 四号窗口 ')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(api.lanPairingStart).toHaveBeenCalledWith({ desk_name: '四号窗口' })
    expect(wrapper.find('[data-testid="lan-pairing-code"]').text()).toBe('483 920')
    const said = wrapper.find('[data-testid="lan-pairing"]').text()
    expect(said).toContain('柜台E「四号窗口」')
    expect(said).toContain('10 分钟')
  })
})
