import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, watch } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import * as api from '../src/api/client'
import type { LookupRequestView } from '../src/api/types'
import App from '../src/App.vue'
import { lastPersonQuery } from '../src/router'
import { useDeskStore } from '../src/stores/desk'
import { useRequestStore } from '../src/stores/request'
import { SEARCH_DEBOUNCE_MS, useSearchStore } from '../src/stores/search'
import RegisterView from '../src/views/RegisterView.vue'
import SearchView from '../src/views/SearchView.vue'
import { clerk, openRequest, reloginAs, serveDesk, shownCover } from './deskServer'
import { mountApp } from './helpers'

const fetchMock = vi.fn<typeof fetch>()
const Blank = { template: '<div />' }

/// Stands in for the record screen: it loads again (a look on the trail) whenever the current
/// request changes, as the record screen does for the requester's own rows.
let recordLoads = 0
const RecordScreen = defineComponent({
  setup() {
    const request = useRequestStore()
    recordLoads += 1
    watch(
      () => request.current,
      () => (recordLoads += 1),
    )
    return () => h('div', { 'data-testid': 'record-screen' })
  },
})

beforeEach(() => {
  recordLoads = 0
  lastPersonQuery.value = null
  fetchMock.mockReset()
  vi.stubGlobal('fetch', fetchMock)
})

/// The dialog closes with a short fade.
async function dialogClosed(): Promise<void> {
  await flushPromises()
  await new Promise((resolve) => setTimeout(resolve, 100))
  await flushPromises()
}

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

/// The clerk searched for 刘建, registered a request (`request`, open unless said otherwise) and
/// opened a record of it; then their login was lost and the dialog asks for it over the covered
/// screen.
async function loginLostOverRecord(request: LookupRequestView = openRequest()) {
  const { expired, ops, requestReads } = serveDesk(fetchMock, clerk)
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'search', component: SearchView },
      { path: '/record/:documentId', name: 'record', component: RecordScreen },
      { path: '/register/:requestId(\\d+)?', name: 'register', component: RegisterView },
      ...['person', 'certificate', 'verify', 'stats', 'audit', 'import', 'settings'].map((name) => ({
        path: `/${name}`,
        name,
        component: Blank,
      })),
    ],
  })
  await router.push('/')
  const wrapper = mountApp(App, { global: { plugins: [router] }, attachTo: document.body })
  await flushPromises()
  await wrapper.find('[data-testid="search-input"]').setValue('刘建')
  await new Promise((resolve) => setTimeout(resolve, SEARCH_DEBOUNCE_MS + 20))
  await flushPromises()
  expect(wrapper.findAll('[data-testid="hit"]')).toHaveLength(2)
  useRequestStore().set(request)
  lastPersonQuery.value = { entry: '1' }
  await router.push('/record/10')
  await flushPromises()
  expect(recordLoads).toBe(1)

  expired.push('lookup_requests')
  void api.lookupRequests({ text: '', from: null, to: null, status: null, limit: null, offset: 0 }).catch(() => {})
  await flushPromises()
  expect(shownCover()).not.toBeNull()
  expired.length = 0
  return { wrapper, router, ops, requestReads }
}

describe('another clerk at the desk', () => {
  it('starts clean at the search screen when another clerk takes a lost login: the visit ended', async () => {
    const { wrapper, router, requestReads } = await loginLostOverRecord()

    reloginAs('wang')
    await dialogClosed()
    expect(document.querySelector('[data-testid="relogin-reason"]')).toBeNull()
    expect(shownCover()).toBeNull()
    expect(wrapper.find('[data-testid="desk-user"]').text()).toBe('王主任')
    expect(router.currentRoute.value.name).toBe('search')
    // None of the previous clerk's work is in front of the next one.
    expect(wrapper.findAll('[data-testid="hit"]')).toHaveLength(0)
    expect((wrapper.find('[data-testid="search-input"]').element as HTMLInputElement).value).toBe('')
    const search = useSearchStore()
    expect(search.query).toBe('')
    expect(search.response).toBeNull()
    expect(useRequestStore().current).toBeNull()
    expect(useRequestStore().carried).toBeNull()
    expect(requestReads).toEqual([])
    expect(lastPersonQuery.value).toBeNull()
    // The record was taken down, not loaded again for the next clerk on its way out.
    expect(recordLoads).toBe(1)
  })

  it('after 切换账号 starts clean at the search screen when the request of the visit was already closed', async () => {
    const { wrapper, router, requestReads } = await loginLostOverRecord(
      openRequest({ status: 'delivered', closed_at: '2026-03-02 10:00:00' }),
    )
    reloginAs('li')
    await dialogClosed()
    await useDeskStore().logout()
    await flushPromises()
    await useDeskStore().login('wang', 'secret-password')
    await flushPromises()
    expect(router.currentRoute.value.name).toBe('search')
    expect(wrapper.findAll('[data-testid="hit"]')).toHaveLength(0)
    expect(useRequestStore().current).toBeNull()
    expect(useRequestStore().carried).toBeNull()
    expect(requestReads).toEqual([])
    expect(recordLoads).toBe(1)
  })

  it('keeps the record, the request and the search when the same clerk logs in again', async () => {
    const { wrapper, router } = await loginLostOverRecord()

    reloginAs('li')
    await dialogClosed()
    expect(shownCover()).toBeNull()
    expect(router.currentRoute.value.fullPath).toBe('/record/10')
    expect(wrapper.find('[data-testid="record-screen"]').exists()).toBe(true)
    expect(recordLoads).toBe(1)
    expect(useRequestStore().current?.id).toBe(5)
    expect(useSearchStore().response?.total).toBe(2)
    expect(lastPersonQuery.value).toEqual({ entry: '1' })
  })

  it('after 切换账号 shows nothing of the visit until the next clerk logs in, then lands them on its request', async () => {
    const { wrapper, router, requestReads } = await loginLostOverRecord()
    reloginAs('li')
    await dialogClosed()
    fetchMock.mockClear()
    await useDeskStore().logout()
    await flushPromises()
    expect(wrapper.find('[data-testid="login"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="request-detail"]').exists()).toBe(false)
    expect(useRequestStore().current).toBeNull()
    expect(useSearchStore().response).toBeNull()
    expect(lastPersonQuery.value).toBeNull()
    expect(requestReads).toEqual([])

    await useDeskStore().login('wang', 'secret-password')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/register/5')
    expect(wrapper.find('[data-testid="request-detail"]').attributes('data-id')).toBe('5')
    expect(useRequestStore().current?.id).toBe(5)
    expect(requestReads).toEqual(['wang'])
  })
})
