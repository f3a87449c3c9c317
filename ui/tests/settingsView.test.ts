import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as api from '../src/api/client'
import type { Role } from '../src/api/types'
import { useDeskStore } from '../src/stores/desk'
import SettingsView from '../src/views/SettingsView.vue'
import { deskSession } from './deskServer'
import { mountApp } from './helpers'

vi.mock('../src/api/client', async (original) => ({
  ...(await original<typeof import('../src/api/client')>()),
  clerks: vi.fn(async () => []),
  deskSettings: vi.fn(async () => ({ idle_minutes: 30, anchor_mirror_dir: null })),
}))

beforeEach(() => vi.mocked(api.clerks).mockClear())
afterEach(() => {
  document.body.innerHTML = ''
})

async function mountSettings(role: Role) {
  const wrapper = mountApp(SettingsView, {
    attachTo: document.body,
    global: {
      plugins: [
        {
          install() {
            useDeskStore().session = deskSession({ clerk_id: 1, login: 'x', display_name: 'X', role, desk: null })
          },
        },
      ],
    },
  })
  await flushPromises()
  return wrapper
}

describe('设置 from the keyboard', () => {
  it('opens with the caret in the new account’s 登录名 for a supervisor', async () => {
    const wrapper = await mountSettings('supervisor')
    expect(document.activeElement).toBe(wrapper.find('[data-testid="clerk-new-login"]').element)
  })

  it('opens with the caret on the chosen language for a clerk, who has no field to type in', async () => {
    const wrapper = await mountSettings('clerk')
    const active = document.activeElement as HTMLInputElement
    expect(wrapper.find('[data-testid="language"]').element.contains(active)).toBe(true)
    expect(active.checked).toBe(true)
  })
})
