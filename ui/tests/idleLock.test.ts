import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import * as api from '../src/api/client'
import App from '../src/App.vue'
import { SEARCH_DEBOUNCE_MS } from '../src/stores/search'
import SearchView from '../src/views/SearchView.vue'
import { IDLE_MINUTES, LOGIN_REQUIRED, reloginAs, serveDesk, shownCover } from './deskServer'
import { mountApp } from './helpers'

const fetchMock = vi.fn<typeof fetch>()
const MINUTE = 60_000
const Blank = { template: '<div />' }

beforeEach(() => {
  vi.useFakeTimers()
  fetchMock.mockReset()
  vi.stubGlobal('fetch', fetchMock)
})

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

/// The app at the search screen, with the clerk's results for 刘建 on it.
async function searchScreen() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'search', component: SearchView },
      ...['record', 'person', 'register', 'certificate', 'verify', 'stats', 'audit', 'import', 'settings'].map(
        (name) => ({ path: `/${name}`, name, component: Blank }),
      ),
    ],
  })
  await router.push('/')
  const wrapper = mountApp(App, { global: { plugins: [router] }, attachTo: document.body })
  await flushPromises()
  await wrapper.find('[data-testid="search-input"]').setValue('刘建')
  await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS)
  await flushPromises()
  expect(wrapper.findAll('[data-testid="hit"]')).toHaveLength(2)
  return { wrapper, router }
}

const asked = () => document.querySelector('[data-testid="relogin-reason"]')

describe('the idle lock', () => {
  it('covers the screen and asks for the login after the idle minutes without input', async () => {
    serveDesk(fetchMock)
    const { wrapper } = await searchScreen()

    await vi.advanceTimersByTimeAsync(IDLE_MINUTES * MINUTE - 1000)
    expect(asked()).toBeNull()
    expect(shownCover()).toBeNull()

    await vi.advanceTimersByTimeAsync(1000)
    await flushPromises()
    expect(asked()?.textContent).toContain(`${IDLE_MINUTES} 分钟无操作`)
    // Covered, not dimmed; the screen is kept under the cover for the clerk's return.
    expect(shownCover()).not.toBeNull()
    expect(wrapper.findAll('[data-testid="hit"]')).toHaveLength(2)
    expect(document.querySelector('[data-testid="relogin-name"]')).not.toBeNull()
  })

  it('counts the idle time again from each key, click, mouse move or wheel', async () => {
    serveDesk(fetchMock)
    await searchScreen()

    for (const input of [
      new KeyboardEvent('keydown', { key: 'a' }),
      new MouseEvent('mousedown'),
      new MouseEvent('mousemove'),
      new WheelEvent('wheel'),
    ]) {
      await vi.advanceTimersByTimeAsync(IDLE_MINUTES * MINUTE - 1000)
      document.body.dispatchEvent(input)
    }
    await vi.advanceTimersByTimeAsync(IDLE_MINUTES * MINUTE - 1000)
    await flushPromises()
    expect(asked()).toBeNull()

    await vi.advanceTimersByTimeAsync(1000)
    await flushPromises()
    expect(asked()).not.toBeNull()
  })

  it('uncovers the screen as it was when the same clerk logs in again, and counts anew', async () => {
    const { ops } = serveDesk(fetchMock)
    const { wrapper, router } = await searchScreen()
    await vi.advanceTimersByTimeAsync(IDLE_MINUTES * MINUTE)
    await flushPromises()
    expect(shownCover()).not.toBeNull()
    // The login name is filled in with the clerk who was at the desk.
    expect((document.querySelector('[data-testid="relogin-name"]') as HTMLInputElement).value).toBe('li')

    reloginAs('li')
    await flushPromises()
    await vi.advanceTimersByTimeAsync(1000)
    expect(asked()).toBeNull()
    expect(shownCover()).toBeNull()
    expect(ops()).toContain('login')
    expect(router.currentRoute.value.name).toBe('search')
    expect(wrapper.findAll('[data-testid="hit"]')).toHaveLength(2)
    expect((wrapper.find('[data-testid="search-input"]').element as HTMLInputElement).value).toBe('刘建')

    // Idle again for as long: asked again.
    await vi.advanceTimersByTimeAsync(IDLE_MINUTES * MINUTE)
    await flushPromises()
    expect(asked()).not.toBeNull()
  })

  it('covers the screen too when a request finds the login ended', async () => {
    const { expired } = serveDesk(fetchMock)
    const { wrapper } = await searchScreen()
    expired.push('lookup_requests')
    void api.lookupRequests({ text: '', from: null, to: null, status: null, limit: null, offset: 0 }).catch(() => {})
    await flushPromises()
    expect(asked()?.textContent).toContain(LOGIN_REQUIRED)
    expect(shownCover()).not.toBeNull()
    expect(wrapper.findAll('[data-testid="hit"]')).toHaveLength(2)
  })
})
