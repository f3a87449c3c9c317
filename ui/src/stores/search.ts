import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as api from '../api/client'
import type { SearchRequest, SearchResponse } from '../api/types'
import { showError } from '../util/errors'
import { useDeskStore } from './desk'

/// Long enough to fold a paste or a held key into one search, short enough that results follow
/// each keystroke within 100 ms (the engine answers in a few milliseconds; stale answers are
/// dropped, so asking often costs nothing on screen).
export const SEARCH_DEBOUNCE_MS = 40
export const PAGE_SIZE = 20

/// The query box, its filters and the answer shown. Kept in a store so that going to a record
/// and back finds the list as it was left.
export const useSearchStore = defineStore('search', () => {
  const query = ref('')
  const category = ref<string | null>(null)
  const yearFrom = ref<number | null>(null)
  const yearTo = ref<number | null>(null)
  const offset = ref(0)
  const response = ref<SearchResponse | null>(null)
  /// The query text the shown answer is for (the box may already hold newer text).
  const answeredQuery = ref('')
  /// Index of the selected hit in the current page.
  const selected = ref(0)
  const loading = ref(false)

  let timer: ReturnType<typeof setTimeout> | undefined
  // Each search gets a number; an answer whose number is no longer the latest is dropped, so a
  // slow answer to "张" can never replace the answer to "张三".
  let latest = 0
  let inflight: AbortController | null = null
  /// The page asked for is entered from its end (↑ at the first hit of a later page).
  let selectLastOnAnswer = false

  const hasFilters = computed(
    () => category.value !== null || yearFrom.value !== null || yearTo.value !== null,
  )

  const request = computed<SearchRequest>(() => ({
    query: query.value,
    category: category.value,
    year_from: yearFrom.value,
    year_to: yearTo.value,
    fonds: null,
    work_unit: null,
    access: null,
    limit: PAGE_SIZE,
    offset: offset.value,
    committed: false,
  }))

  /// The request the shown answer is for, and the last search written to the audit trail (so
  /// that opening several hits of one search records it once).
  let answeredRequest: SearchRequest | null = null
  let lastCommitted: string | null = null
  const keyOf = (sent: SearchRequest) => JSON.stringify({ ...sent, committed: true })

  function invalidate(): void {
    latest += 1
    clearTimeout(timer)
    timer = undefined
    inflight?.abort()
    inflight = null
  }

  /// `committed`: the clerk pressed Enter (or opened a hit), so the search is audited.
  async function run(committed = false): Promise<void> {
    invalidate()
    const mine = latest
    // Asked for this run only: a newer search or a failure does not inherit it.
    const fromEnd = selectLastOnAnswer
    selectLastOnAnswer = false
    if (!query.value.trim() && !hasFilters.value) {
      response.value = null
      answeredQuery.value = query.value
      loading.value = false
      return
    }
    const controller = new AbortController()
    inflight = controller
    loading.value = true
    try {
      const sent: SearchRequest = { ...request.value, committed }
      if (committed) lastCommitted = keyOf(sent)
      const answer = await api.search(sent, controller.signal)
      if (mine !== latest) return
      response.value = answer
      answeredRequest = sent
      answeredQuery.value = sent.query
      selected.value = fromEnd ? Math.max(0, answer.hits.length - 1) : 0
    } catch (error) {
      if (mine !== latest) return
      showError(error)
    } finally {
      if (mine === latest) {
        loading.value = false
        inflight = null
      }
    }
  }

  function schedule(delay = SEARCH_DEBOUNCE_MS): void {
    invalidate()
    timer = setTimeout(() => void run(), delay)
  }

  /// The answer to what the box holds now: a card reader types a whole ID and Enter within a few
  /// milliseconds, and Enter must then open that ID's record, never the previous answer's.
  /// Enter commits the search: the one it waits for is sent as committed, and an answer
  /// already shown (found while typing) is committed afterwards.
  async function settle(): Promise<void> {
    if (timer !== undefined || loading.value || answeredQuery.value !== query.value) await run(true)
    else commit()
  }

  /// A hit of the shown answer is being opened: the search that found it goes into the audit
  /// trail, once. Its answer is the one already shown, so it is not waited for.
  function commit(): void {
    if (!answeredRequest || response.value === null) return
    const sent: SearchRequest = { ...answeredRequest, committed: true }
    if (keyOf(sent) === lastCommitted) return
    lastCommitted = keyOf(sent)
    api.search(sent).catch(() => {
      // Not recorded after all; the clerk sees the record regardless.
      lastCommitted = null
    })
  }

  function setQuery(text: string): void {
    query.value = text
    offset.value = 0
    schedule()
  }

  function setCategory(value: string | null): void {
    category.value = value
    offset.value = 0
    void run()
  }

  /// Typed years wait like typed text: "19" is not yet a year the clerk means.
  function setYearRange(from: number | null, to: number | null): void {
    yearFrom.value = from
    yearTo.value = to
    offset.value = 0
    schedule()
  }

  /// A year facet narrows to that one year; clicking it again lifts the narrowing.
  function toggleYear(year: number): void {
    const only = yearFrom.value === year && yearTo.value === year
    yearFrom.value = only ? null : year
    yearTo.value = only ? null : year
    offset.value = 0
    void run()
  }

  function clearFilters(): void {
    category.value = null
    yearFrom.value = null
    yearTo.value = null
    offset.value = 0
    void run()
  }

  /// `fromEnd`: select the page's last hit, as ↑ from the first hit of the next page does.
  function setPage(page: number, fromEnd = false): void {
    offset.value = Math.max(0, (page - 1) * PAGE_SIZE)
    selectLastOnAnswer = fromEnd
    void run()
  }

  const page = computed(() => Math.floor(offset.value / PAGE_SIZE) + 1)
  const pages = computed(() => Math.max(1, Math.ceil((response.value?.total ?? 0) / PAGE_SIZE)))

  /// PageDown, or ↓ at the last hit: the next page, from its first hit. False on the last page.
  function nextPage(): boolean {
    // While a page loads the shown one is stale: a second ↓ must not skip a page.
    if (loading.value) return true
    if (response.value === null || page.value >= pages.value) return false
    setPage(page.value + 1)
    return true
  }

  /// PageUp, or ↑ at the first hit (`fromEnd`: then from its last hit). False on the first page.
  function previousPage(fromEnd = false): boolean {
    if (loading.value) return true
    if (response.value === null || page.value <= 1) return false
    setPage(page.value - 1, fromEnd)
    return true
  }

  /// An empty box, as at the start: a search on its way is dropped.
  function reset(): void {
    invalidate()
    query.value = ''
    category.value = null
    yearFrom.value = null
    yearTo.value = null
    offset.value = 0
    response.value = null
    answeredQuery.value = ''
    selected.value = 0
    selectLastOnAnswer = false
    loading.value = false
    answeredRequest = null
    lastCommitted = null
  }

  /// The next clerk does not see what the previous one searched for, nor its answers.
  useDeskStore().onClerkLeaves(reset)

  return {
    query,
    category,
    yearFrom,
    yearTo,
    offset,
    response,
    answeredQuery,
    selected,
    loading,
    hasFilters,
    request,
    run,
    settle,
    commit,
    setQuery,
    setCategory,
    setYearRange,
    toggleYear,
    clearFilters,
    setPage,
    page,
    pages,
    nextPage,
    previousPage,
  }
})
