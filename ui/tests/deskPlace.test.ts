// The desktop app's first start on a new PC: the clerk chooses 本机档案库 or 连接局域网档案库 before
// anything else, a refused pairing is shown in Chinese and can be tried again, and once chosen the
// desk goes on to the first account or the login as usual.
import { invoke } from '@tauri-apps/api/core'
import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { DeskPlace, DeskSession } from '../src/api/types'
import App from '../src/App.vue'
import { useDeskStore } from '../src/stores/desk'
import { mountApp } from './helpers'

vi.mock('@tauri-apps/api/core', () => ({
  invoke: vi.fn(),
  convertFileSrc: (path: string, protocol: string) => `${protocol}://localhost/${encodeURIComponent(path)}`,
}))

const NOT_CHOSEN: DeskPlace = { chosen: false, lan: null, problem: null }
const AT_HOST: DeskPlace = {
  chosen: true,
  lan: { host: '192.168.1.10:8443', desk_code: 'B', desk_name: '二号柜台', archive_name: '清源县档案馆' },
  problem: null,
}

function session(needsFirst: boolean): DeskSession {
  return {
    caller: null,
    needs_first_clerk: needsFirst,
    archive_name: '清源县档案馆',
    demo: false,
    must_change_password: false,
    idle_minutes: 30,
    purposes: [],
    channels: [],
  }
}

/// Element Plus shows a field's error after a short debounce.
async function settled(): Promise<void> {
  await flushPromises()
  await new Promise((resolve) => setTimeout(resolve, 150))
  await flushPromises()
}

function mountDesk() {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', name: 'search', component: { template: '<div />' } }] })
  return mountApp(App, { global: { plugins: [router] }, attachTo: document.body })
}

function commands(): string[] {
  return vi.mocked(invoke).mock.calls.map(([command]) => command)
}

beforeEach(() => {
  ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
  vi.mocked(invoke).mockReset()
})

afterEach(() => {
  delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
  document.body.innerHTML = ''
})

describe('first start of the desktop app', () => {
  it('asks where to work before anything else, and pairs with the host the clerk names', async () => {
    let place = NOT_CHOSEN
    let tries = 0
    vi.mocked(invoke).mockImplementation(async (command, args) => {
      const request = (args as { request?: unknown })?.request
      switch (command) {
        case 'desk_place':
          return place
        case 'connect_lan_archive':
          tries += 1
          if (tries === 1) throw { code: 'forbidden', message: '档案库主机拒绝了配对：配对码不对、已用过或已过期；请主管在主机上重新开始配对' }
          expect(request).toEqual({ host: '192.168.1.10:8443', code: '4821-7730' })
          return (place = AT_HOST)
        case 'desk_session':
          return session(false)
        default:
          throw { code: 'not_found', message: `no ${command}` }
      }
    })
    const wrapper = mountDesk()
    await settled()
    expect(wrapper.find('[data-testid="desk-place"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="login"]').exists()).toBe(false)
    // Nothing of the archive is asked before the choice.
    expect(commands()).toEqual(['desk_place'])

    // Both fields are needed.
    await wrapper.find('[data-testid="desk-place-submit"]').trigger('click')
    await settled()
    expect(wrapper.text()).toContain('请填写档案库主机的地址')
    expect(wrapper.text()).toContain('请填写配对码')
    expect(commands()).toEqual(['desk_place'])

    await wrapper.find('[data-testid="desk-place-host"]').setValue(' 192.168.1.10:8443 ')
    await wrapper.find('[data-testid="desk-place-code"]').setValue('4821-7730')
    await wrapper.find('[data-testid="desk-place-submit"]').trigger('click')
    await settled()
    expect(wrapper.find('[data-testid="desk-place-error"]').text()).toContain('配对码不对')
    expect(wrapper.find('[data-testid="desk-place"]').exists()).toBe(true)

    await wrapper.find('[data-testid="desk-place-submit"]').trigger('click')
    await settled()
    expect(wrapper.find('[data-testid="desk-place"]').exists()).toBe(false)
    const desk = useDeskStore()
    expect(desk.lanDesk?.desk_name).toBe('二号柜台')
    expect(commands()).toEqual(['desk_place', 'connect_lan_archive', 'connect_lan_archive', 'desk_session'])
  })

  it('makes an archive on this PC when the clerk chooses 本机档案库, then asks for the first account', async () => {
    let place = NOT_CHOSEN
    vi.mocked(invoke).mockImplementation(async (command) => {
      if (command === 'desk_place') return place
      if (command === 'choose_local_archive') return (place = { chosen: true, lan: null, problem: null })
      if (command === 'desk_session') return session(true)
      throw { code: 'not_found', message: `no ${command}` }
    })
    const wrapper = mountDesk()
    await settled()
    await wrapper.find('[data-testid="desk-place-local"] input').setValue(true)
    await settled()
    expect(wrapper.find('[data-testid="desk-place-host"]').exists()).toBe(false)
    await wrapper.find('[data-testid="desk-place-submit"]').trigger('click')
    await settled()
    expect(commands()).toEqual(['desk_place', 'choose_local_archive', 'desk_session'])
    expect(wrapper.find('[data-testid="first-run-clerk"]').exists()).toBe(true)
  })

  it('goes straight to the desk when the app already works somewhere', async () => {
    vi.mocked(invoke).mockImplementation(async (command) => {
      if (command === 'desk_place') return AT_HOST
      if (command === 'desk_session') return session(false)
      throw { code: 'not_found', message: `no ${command}` }
    })
    const wrapper = mountDesk()
    await settled()
    expect(wrapper.find('[data-testid="desk-place"]').exists()).toBe(false)
    expect(commands()).toEqual(['desk_place', 'desk_session'])
  })

  it('says why a desk whose pairing was damaged must pair again', async () => {
    const problem = '柜台配置「D:\\柜台\\lan_desk.json」已损坏：expected value；请重新配对'
    vi.mocked(invoke).mockImplementation(async (command) => {
      if (command === 'desk_place') return { ...NOT_CHOSEN, problem }
      throw { code: 'not_found', message: `no ${command}` }
    })
    const wrapper = mountDesk()
    await settled()
    expect(wrapper.find('[data-testid="desk-place-problem"]').text()).toContain('已损坏')
    expect(wrapper.find('[data-testid="desk-place-host"]').exists()).toBe(true)
  })
})
