import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as api from '../src/api/client'
import type { SearchRequest, SearchResponse } from '../src/api/types'
import { useDeskStore } from '../src/stores/desk'
import { PAGE_SIZE, SEARCH_DEBOUNCE_MS, useSearchStore } from '../src/stores/search'
import { clerk, deskSession } from './deskServer'
import { hit } from './helpers'

vi.mock('../src/api/client', async (original) => ({
  ...(await original<typeof import('../src/api/client')>()),
  search: vi.fn(),
  logout: vi.fn(),
}))

const search = vi.mocked(api.search)

function answer(name: string, total = 1): SearchResponse {
  return {
    total,
    took_ms: 1.5,
    hits: [hit({ name })],
    facets: { category: [], year: [] },
    understood: [],
  }
}

/// A search whose answer the test releases when it wants.
function deferred() {
  let resolve!: (value: SearchResponse) => void
  const promise = new Promise<SearchResponse>((r) => (resolve = r))
  return { promise, resolve }
}

function lastRequest(): SearchRequest {
  return search.mock.calls[search.mock.calls.length - 1][0]
}

beforeEach(() => {
  setActivePinia(createPinia())
  vi.useFakeTimers()
  search.mockReset()
})

afterEach(() => {
  vi.useRealTimers()
})

describe('search store', () => {
  it('waits until typing pauses and then asks once, for the latest text', async () => {
    search.mockResolvedValue(answer('张三'))
    const store = useSearchStore()
    store.setQuery('张')
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS / 2)
    store.setQuery('张三')
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS - 1)
    expect(search).not.toHaveBeenCalled()

    await vi.advanceTimersByTimeAsync(1)
    expect(search).toHaveBeenCalledTimes(1)
    expect(lastRequest().query).toBe('张三')
    expect(store.response?.hits[0].name).toBe('张三')
    expect(store.answeredQuery).toBe('张三')
  })

  it('drops an answer that arrives after a newer search was sent', async () => {
    const first = deferred()
    const second = deferred()
    search.mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise)
    const store = useSearchStore()

    store.setQuery('张')
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS)
    store.setQuery('张三')
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS)
    expect(search).toHaveBeenCalledTimes(2)

    second.resolve(answer('张三'))
    await vi.runAllTimersAsync()
    first.resolve(answer('张'))
    await vi.runAllTimersAsync()

    expect(store.response?.hits[0].name).toBe('张三')
    expect(store.loading).toBe(false)
  })

  it('drops the answer to an older text even while the newer one is still waiting to be sent', async () => {
    const first = deferred()
    search.mockReturnValueOnce(first.promise).mockResolvedValueOnce(answer('张三'))
    const store = useSearchStore()

    store.setQuery('张')
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS)
    store.setQuery('张三')
    first.resolve(answer('张'))
    await Promise.resolve()
    await Promise.resolve()
    expect(store.response).toBeNull()

    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS)
    expect(store.response?.hits[0].name).toBe('张三')
  })

  it('aborts the request of a replaced search', async () => {
    search.mockReturnValueOnce(deferred().promise).mockResolvedValueOnce(answer('张三'))
    const store = useSearchStore()
    store.setQuery('张')
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS)
    const signal = search.mock.calls[0][1]
    expect(signal?.aborted).toBe(false)
    store.setQuery('张三')
    expect(signal?.aborted).toBe(true)
  })

  it('puts the chosen filters and page into the request', async () => {
    search.mockResolvedValue(answer('王磊', 100))
    const store = useSearchStore()
    store.setQuery('王磊')
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS)
    expect(lastRequest()).toEqual({
      query: '王磊',
      category: null,
      year_from: null,
      year_to: null,
      fonds: null,
      work_unit: null,
      access: null,
      limit: PAGE_SIZE,
      offset: 0,
      committed: false,
    })

    store.setCategory('工资调整')
    await vi.runAllTimersAsync()
    expect(lastRequest()).toMatchObject({ query: '王磊', category: '工资调整', offset: 0 })

    store.toggleYear(1998)
    await vi.runAllTimersAsync()
    expect(lastRequest()).toMatchObject({ category: '工资调整', year_from: 1998, year_to: 1998 })

    store.setPage(3)
    await vi.runAllTimersAsync()
    expect(lastRequest()).toMatchObject({ year_from: 1998, offset: 2 * PAGE_SIZE, limit: PAGE_SIZE })

    // A new filter starts again at the first page.
    store.setYearRange(1990, 1999)
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS)
    expect(lastRequest()).toMatchObject({ year_from: 1990, year_to: 1999, offset: 0 })

    store.clearFilters()
    await vi.runAllTimersAsync()
    expect(lastRequest()).toMatchObject({ query: '王磊', category: null, year_from: null, year_to: null })
  })

  it('clicking the chosen year again lifts the year filter', async () => {
    search.mockResolvedValue(answer('王磊'))
    const store = useSearchStore()
    store.query = '王磊'
    store.toggleYear(1998)
    store.toggleYear(1998)
    await vi.runAllTimersAsync()
    expect(lastRequest()).toMatchObject({ year_from: null, year_to: null })
  })

  it('asks nothing for an empty box without filters, and clears the old answer', async () => {
    search.mockResolvedValue(answer('张三'))
    const store = useSearchStore()
    store.setQuery('张三')
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS)
    expect(store.response).not.toBeNull()

    store.setQuery('   ')
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS)
    expect(search).toHaveBeenCalledTimes(1)
    expect(store.response).toBeNull()
  })

  it('resets the selection to the first hit of each new answer', async () => {
    search.mockResolvedValue(answer('张三'))
    const store = useSearchStore()
    store.setQuery('张三')
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS)
    store.selected = 5
    store.setQuery('张三丰')
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS)
    expect(store.selected).toBe(0)
  })

  it('marks search-as-you-type uncommitted and the search Enter waits for committed', async () => {
    search.mockResolvedValue(answer('张三'))
    const store = useSearchStore()
    store.setQuery('张三')
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS)
    expect(lastRequest().committed).toBe(false)

    // Enter before the debounce has passed: the search it waits for is the committed one.
    store.setQuery('张三丰')
    await store.settle()
    expect(search).toHaveBeenCalledTimes(2)
    expect(lastRequest()).toMatchObject({ query: '张三丰', committed: true })
  })

  it('commits an answer found while typing once, when Enter is pressed or a hit is opened', async () => {
    search.mockResolvedValue(answer('张三'))
    const store = useSearchStore()
    store.setQuery('张三')
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS)
    expect(search).toHaveBeenCalledTimes(1)

    await store.settle()
    expect(search).toHaveBeenCalledTimes(2)
    expect(lastRequest()).toMatchObject({ query: '张三', committed: true })
    // The answer shown stays; opening another hit of the same search records nothing more.
    expect(store.response?.hits[0].name).toBe('张三')
    store.commit()
    expect(search).toHaveBeenCalledTimes(2)

    // The next page is a new search: opening one of its hits commits it.
    store.setPage(2)
    await vi.runAllTimersAsync()
    expect(lastRequest()).toMatchObject({ offset: PAGE_SIZE, committed: false })
    store.commit()
    expect(lastRequest()).toMatchObject({ offset: PAGE_SIZE, committed: true })
  })

  it('forgets the query, the filters and the answer when the clerk leaves the desk, and drops one on its way', async () => {
    vi.mocked(api.logout).mockResolvedValue(deskSession(null))
    const desk = useDeskStore()
    desk.session = deskSession(clerk)
    search.mockResolvedValueOnce(answer('张三'))
    const store = useSearchStore()
    store.setQuery('张三')
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS)
    store.setCategory('工资调整')
    const late = deferred()
    search.mockReturnValueOnce(late.promise)
    store.setQuery('张三丰')
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS)
    expect(store.response?.hits[0].name).toBe('张三')

    await desk.logout()
    late.resolve(answer('张三丰'))
    await vi.runAllTimersAsync()
    expect(store.query).toBe('')
    expect(store.category).toBeNull()
    expect(store.response).toBeNull()
    expect(store.answeredQuery).toBe('')
    expect(store.loading).toBe(false)
  })
})

describe('paging from the keyboard', () => {
  const many = (names: string[]): SearchResponse => ({ ...answer('x', 45), hits: names.map((name) => hit({ name })) })

  it('selects the last hit only of the page asked for from its end, not of a newer search', async () => {
    const store = useSearchStore()
    search.mockResolvedValue(many(['a', 'b', 'c']))
    store.setQuery('刘')
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS)
    store.setPage(2)
    await vi.advanceTimersByTimeAsync(0)

    // ↑ from the first hit of page 2 asks for page 1 from its end; the clerk types on before it answers.
    const slow = deferred()
    search.mockReturnValueOnce(slow.promise)
    expect(store.previousPage(true)).toBe(true)
    search.mockResolvedValue(many(['d', 'e', 'f']))
    store.setQuery('刘建')
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS)
    slow.resolve(many(['stale']))
    await vi.advanceTimersByTimeAsync(0)
    expect(lastRequest().query).toBe('刘建')
    expect(store.selected).toBe(0)
  })

  it('takes no second page turn while a page is still loading', async () => {
    const store = useSearchStore()
    search.mockResolvedValue(many(['a', 'b']))
    store.setQuery('刘')
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS)
    const slow = deferred()
    search.mockReturnValueOnce(slow.promise)
    expect(store.nextPage()).toBe(true)
    expect(store.nextPage()).toBe(true)
    expect(lastRequest().offset).toBe(PAGE_SIZE)
    expect(search.mock.calls.filter(([sent]) => sent.offset === 2 * PAGE_SIZE)).toHaveLength(0)
    slow.resolve(many(['c']))
    await vi.advanceTimersByTimeAsync(0)
  })
})
