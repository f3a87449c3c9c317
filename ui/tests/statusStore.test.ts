import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as api from '../src/api/client'
import type { ArchiveStatus } from '../src/api/types'
import { useStatusStore } from '../src/stores/status'

vi.mock('../src/api/client', async (original) => ({
  ...(await original<typeof import('../src/api/client')>()),
  status: vi.fn(),
}))

const opened: ArchiveStatus = {
  data_dir: 'D:\\档案',
  indexed: 3,
  index_rebuilt_because: null,
  index_rebuilding: null,
  stats: {
    archive_name: '清源县档案馆',
    demo: false,
    documents: 1,
    entries: 2,
    pages: 0,
    superseded_entries: 0,
    import_batches: 1,
    rejected_rows: 0,
    by_category: [],
    by_year: [],
    last_import: null,
  },
}

beforeEach(() => {
  setActivePinia(createPinia())
  vi.mocked(api.status).mockReset()
})

describe('status store', () => {
  it('keeps the reason an archive cannot be opened until a retry opens it', async () => {
    vi.mocked(api.status)
      .mockRejectedValueOnce(new api.ApiError('database', '「D:\\档案\\archive.sqlite3」不是档案数据库或已损坏'))
      .mockResolvedValueOnce(opened)
    const store = useStatusStore()
    await store.load()
    expect(store.error).toContain('不是档案数据库')
    expect(store.status).toBeNull()
    await store.load()
    expect(store.error).toBeNull()
    expect(store.archiveName).toBe('清源县档案馆')
  })
})
