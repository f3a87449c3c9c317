import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import * as api from '../src/api/client'
import type { SearchResponse } from '../src/api/types'
import { SEARCH_DEBOUNCE_MS } from '../src/stores/search'
import SearchView from '../src/views/SearchView.vue'
import { hit, mountApp } from './helpers'

vi.mock('../src/api/client', async (original) => ({
  ...(await original<typeof import('../src/api/client')>()),
  search: vi.fn(),
}))

const Blank = { template: '<div />' }

function makeRouter(): Router {
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'search', component: SearchView },
      { path: '/record/:documentId', name: 'record', component: Blank },
      { path: '/person', name: 'person', component: Blank },
      { path: '/import', name: 'import', component: Blank },
    ],
  })
}

const found: SearchResponse = {
  total: 2,
  took_ms: 3.25,
  hits: [hit({ entry_id: 1, document_id: 10, name: '刘建国' }), hit({ entry_id: 2, document_id: 11, name: '刘建华' })],
  facets: { category: [{ value: '工资调整', count: 2 }], year: [{ value: '1998', count: 2 }] },
  understood: [],
}

const nothing: SearchResponse = {
  total: 0,
  took_ms: 0.4,
  hits: [],
  facets: { category: [], year: [] },
  understood: ['识别为身份证号'],
}

async function mountView() {
  const router = makeRouter()
  await router.push('/')
  const wrapper = mountApp(SearchView, { global: { plugins: [router] }, attachTo: document.body })
  return { wrapper, router }
}

async function type(wrapper: Awaited<ReturnType<typeof mountView>>['wrapper'], text: string) {
  await wrapper.find('[data-testid="search-input"]').setValue(text)
  await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS)
  await flushPromises()
}

beforeEach(() => {
  vi.useFakeTimers()
  vi.mocked(api.search).mockReset()
})
afterEach(() => {
  vi.useRealTimers()
  document.body.innerHTML = ''
})

describe('SearchView', () => {
  it('Enter right after typing opens a hit of the new query, not of the answer still shown', async () => {
    const other: SearchResponse = { ...found, total: 1, hits: [hit({ entry_id: 7, document_id: 70, name: '王磊' })] }
    vi.mocked(api.search).mockImplementation(async (request) => (request.query === '王磊' ? other : found))
    const { wrapper, router } = await mountView()
    await type(wrapper, '刘建')
    const input = wrapper.find('[data-testid="search-input"]')
    // A card reader: the whole text and Enter before the debounce has passed.
    await input.setValue('王磊')
    await input.trigger('keydown', { key: 'Enter' })
    await flushPromises()
    await vi.advanceTimersByTimeAsync(0)
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/record/70')
    // The search text goes along, for the record to mark it in its full text.
    expect(router.currentRoute.value.query).toEqual({ entry: '7', q: '王磊' })
  })

  it('shows results as the clerk types, and opens the selected one with the keyboard', async () => {
    vi.mocked(api.search).mockResolvedValue(found)
    const { wrapper, router } = await mountView()
    await type(wrapper, '刘建')

    expect(wrapper.find('[data-testid="search-total"]').text()).toBe('2')
    expect(wrapper.findAll('[data-testid="hit"]')).toHaveLength(2)

    const input = wrapper.find('[data-testid="search-input"]')
    await input.trigger('keydown', { key: 'ArrowDown' })
    await input.trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/record/11')
    expect(router.currentRoute.value.query).toEqual({ entry: '2', q: '刘建' })
  })

  it('narrows by a clicked category facet', async () => {
    vi.mocked(api.search).mockResolvedValue(found)
    const { wrapper } = await mountView()
    await type(wrapper, '刘建')
    await wrapper.find('[data-testid="facet-category"]').trigger('click')
    await flushPromises()
    const calls = vi.mocked(api.search).mock.calls
    expect(calls[calls.length - 1][0]).toMatchObject({ query: '刘建', category: '工资调整' })
  })

  it('explains an empty answer and shows how the query was read', async () => {
    vi.mocked(api.search).mockResolvedValue(nothing)
    const { wrapper } = await mountView()
    await type(wrapper, '431128380318718')
    const empty = wrapper.find('[data-testid="search-empty"]')
    expect(empty.exists()).toBe(true)
    expect(empty.text()).toContain('识别为身份证号')
    expect(empty.text()).toContain('zs')
    expect(wrapper.find('[data-testid="hit"]').exists()).toBe(false)
  })

  it('opens the timeline from a hit’s person button', async () => {
    vi.mocked(api.search).mockResolvedValue(found)
    const { wrapper, router } = await mountView()
    await type(wrapper, '刘建')
    await wrapper.findAll('[data-testid="hit-person"]')[0].trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/person?entry=1')
  })

  it('records the search in the audit trail when Enter opens a hit or a hit is clicked, not while typing', async () => {
    vi.mocked(api.search).mockResolvedValue(found)
    const { wrapper, router } = await mountView()
    await type(wrapper, '刘建')
    const sent = () => vi.mocked(api.search).mock.calls.map(([request]) => request.committed)
    expect(sent()).toEqual([false])

    await wrapper.find('[data-testid="search-input"]').trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(sent()).toEqual([false, true])
    expect(vi.mocked(api.search).mock.calls[1][0]).toMatchObject({ query: '刘建', committed: true })
    expect(router.currentRoute.value.path).toBe('/record/10')
    expect(router.currentRoute.value.query).toEqual({ entry: '1', q: '刘建' })

    // Back to the list: opening another hit of the same search records nothing more.
    await router.push('/')
    await flushPromises()
    await wrapper.findAll('[data-testid="hit"]')[1].trigger('click')
    await flushPromises()
    expect(sent()).toEqual([false, true])
  })
})

/// 45 hits: pages of 20, 20 and 5, each hit named by its place (第1条 …).
function manyHits(request: { offset: number; limit: number | null }): SearchResponse {
  const total = 45
  const count = Math.max(0, Math.min(request.limit ?? 20, total - request.offset))
  return {
    ...found,
    total,
    hits: Array.from({ length: count }, (_, i) =>
      hit({ entry_id: request.offset + i + 1, document_id: 100 + request.offset + i, name: `第${request.offset + i + 1}条` }),
    ),
  }
}

describe('SearchView from the keyboard', () => {
  const selectedName = (wrapper: Awaited<ReturnType<typeof mountView>>['wrapper']) =>
    wrapper.find('[data-testid="hit"].is-selected').attributes('data-entry-id')

  async function press(wrapper: Awaited<ReturnType<typeof mountView>>['wrapper'], key: string, times = 1) {
    for (let i = 0; i < times; i++) {
      await wrapper.find('[data-testid="search-input"]').trigger('keydown', { key })
      await flushPromises()
    }
  }

  it('goes past the 20th hit: ↓ at the last hit and PageDown load the next page, ↑ and PageUp come back', async () => {
    vi.mocked(api.search).mockImplementation(async (request) => manyHits(request))
    const { wrapper } = await mountView()
    await type(wrapper, '刘')
    expect(wrapper.findAll('[data-testid="hit"]')).toHaveLength(20)

    await press(wrapper, 'ArrowDown', 19)
    expect(selectedName(wrapper)).toBe('20')
    await press(wrapper, 'ArrowDown')
    expect(vi.mocked(api.search).mock.lastCall?.[0].offset).toBe(20)
    expect(selectedName(wrapper)).toBe('21')

    await press(wrapper, 'ArrowUp')
    expect(vi.mocked(api.search).mock.lastCall?.[0].offset).toBe(0)
    expect(selectedName(wrapper)).toBe('20')

    await press(wrapper, 'PageDown', 2)
    expect(wrapper.findAll('[data-testid="hit"]')).toHaveLength(5)
    expect(selectedName(wrapper)).toBe('41')
    // The last page: PageDown and ↓ at its end stay there.
    await press(wrapper, 'PageDown')
    await press(wrapper, 'ArrowDown', 6)
    expect(vi.mocked(api.search).mock.lastCall?.[0].offset).toBe(40)
    expect(selectedName(wrapper)).toBe('45')

    await press(wrapper, 'PageUp')
    expect(vi.mocked(api.search).mock.lastCall?.[0].offset).toBe(20)
    expect(selectedName(wrapper)).toBe('21')
  })

  it('reaches the year range with Alt+Y, and hands the caret back to the box on Enter', async () => {
    vi.mocked(api.search).mockResolvedValue(found)
    const { wrapper } = await mountView()
    await type(wrapper, '刘建国')
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'y', altKey: true }))
    await flushPromises()
    const from = wrapper.find('[data-testid="year-from"]')
    expect(document.activeElement).toBe(from.element)
    await from.setValue('1995')
    await from.trigger('keydown', { key: 'Enter' })
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS)
    await flushPromises()
    expect(document.activeElement).toBe(wrapper.find('[data-testid="search-input"]').element)
    expect(vi.mocked(api.search).mock.lastCall?.[0]).toMatchObject({ query: '刘建国', year_from: 1995 })
  })

  it('says plainly that a year filter still applies to a new search; Esc clears the box, then the filters', async () => {
    vi.mocked(api.search).mockResolvedValue(found)
    const { wrapper } = await mountView()
    await type(wrapper, '刘建国')
    await wrapper.find('[data-testid="facet-year"][data-value="1998"]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid="active-filter-years"]').text()).toBe('1998 年')

    await press(wrapper, 'Escape')
    expect((wrapper.find('[data-testid="search-input"]').element as HTMLInputElement).value).toBe('')
    await type(wrapper, '王磊')
    // The next citizen's search is still narrowed, and the screen says so above the list.
    expect(vi.mocked(api.search).mock.lastCall?.[0]).toMatchObject({ query: '王磊', year_from: 1998, year_to: 1998 })
    expect(wrapper.find('[data-testid="active-filters"]').text()).toContain('仍按以下条件筛选')
    expect(wrapper.find('[data-testid="active-filters"]').text()).toContain('Esc')

    await press(wrapper, 'Escape')
    await press(wrapper, 'Escape')
    expect(wrapper.find('[data-testid="active-filters"]').exists()).toBe(false)
    await type(wrapper, '赵敏')
    expect(vi.mocked(api.search).mock.lastCall?.[0]).toMatchObject({ query: '赵敏', year_from: null, year_to: null })
  })
})
