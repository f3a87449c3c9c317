import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as api from '../api/client'
import type { ArchiveStatus } from '../api/types'
import { errorText } from '../util/errors'

/// What the header, the first-run panel and the settings screen know about the open archive, once
/// someone is at the desk (before a login the desk session names the archive).
export const useStatusStore = defineStore('status', () => {
  const status = ref<ArchiveStatus | null>(null)
  const loading = ref(false)
  // Why the archive could not be opened: shown on every screen until a retry succeeds, since
  // nothing else works meanwhile.
  const error = ref<string | null>(null)

  const demo = computed(() => status.value?.stats.demo ?? false)
  const archiveName = computed(() => status.value?.stats.archive_name ?? '')
  const empty = computed(() => status.value !== null && status.value.stats.documents === 0)

  async function load(): Promise<void> {
    loading.value = true
    try {
      status.value = await api.status()
      error.value = null
    } catch (failure) {
      // A lost login is asked for again and says so itself; the archive is not at fault.
      if (failure instanceof api.ApiError && failure.code === 'unauthorized') return
      error.value = errorText(failure)
    } finally {
      loading.value = false
    }
  }

  function set(next: ArchiveStatus): void {
    status.value = next
    error.value = null
  }

  return { status, loading, error, demo, archiveName, empty, load, set }
})
