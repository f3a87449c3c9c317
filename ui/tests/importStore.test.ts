import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as api from '../src/api/client'
import type { ImportJobStatus } from '../src/api/types'
import { useDeskStore } from '../src/stores/desk'
import { useImportStore } from '../src/stores/importJob'
import { clerk, deskSession } from './deskServer'

vi.mock('../src/api/client', async (original) => ({
  ...(await original<typeof import('../src/api/client')>()),
  upload: vi.fn(),
  importStart: vi.fn(),
  importStatus: vi.fn(),
  status: vi.fn(),
  logout: vi.fn(),
}))

function finished(dryRun: boolean): ImportJobStatus {
  return {
    job: 1,
    running: false,
    dry_run: dryRun,
    progress: null,
    files_done: 1,
    files_total: 1,
    report: { dry_run: dryRun, files: [] },
    error: null,
  }
}

beforeEach(() => {
  setActivePinia(createPinia())
  vi.mocked(api.upload).mockReset().mockResolvedValue({ files: [{ upload: 'u-1', name: '工资表.xlsx', bytes: 10 }] })
  vi.mocked(api.importStart).mockReset().mockResolvedValue({ job: 1 })
  vi.mocked(api.status).mockReset().mockRejectedValue(new api.ApiError('network', ''))
})

describe('import store in a browser', () => {
  it('uploads the files again for the import after a preview, which used the first upload up', async () => {
    vi.mocked(api.upload)
      .mockResolvedValueOnce({ files: [{ upload: 'u-1', name: '工资表.xlsx', bytes: 10 }] })
      .mockResolvedValueOnce({ files: [{ upload: 'u-2', name: '工资表.xlsx', bytes: 10 }] })
    vi.mocked(api.importStatus).mockResolvedValueOnce(finished(true)).mockResolvedValueOnce(finished(false))
    const store = useImportStore()
    const file = new File(['x'], '工资表.xlsx')
    store.setFiles([file])
    store.category = ' 工资调整 '

    await store.run(true)
    expect(store.report?.dry_run).toBe(true)
    await store.run(false)

    expect(api.upload).toHaveBeenCalledTimes(2)
    expect(vi.mocked(api.upload).mock.calls[1][0]).toEqual([file])
    expect(vi.mocked(api.importStart).mock.calls.map(([r]) => r)).toEqual([
      { paths: [], uploads: ['u-1'], category: '工资调整', mapping: null, dry_run: true },
      { paths: [], uploads: ['u-2'], category: '工资调整', mapping: null, dry_run: false },
    ])
    expect(store.report?.dry_run).toBe(false)
    expect(store.phase).toBe('idle')
  })

  it('uploads again after an import used the files up', async () => {
    vi.mocked(api.importStatus).mockResolvedValue(finished(false))
    const store = useImportStore()
    store.setFiles([new File(['x'], 'a.csv')])
    await store.run(false)
    await store.run(false)
    expect(api.upload).toHaveBeenCalledTimes(2)
  })

  it('shows the error a job ended with', async () => {
    vi.mocked(api.importStatus).mockResolvedValue({
      ...finished(false),
      report: null,
      error: { code: 'file_refused', message: '文件「a.csv」无法读取' },
    })
    const store = useImportStore()
    store.setFiles([new File(['x'], 'a.csv')])
    await store.run(false)
    expect(store.failure).toBe('文件「a.csv」无法读取')
  })

  it('forgets the files, the progress and the report when the clerk leaves the desk, even of a run under way', async () => {
    let finish!: (status: ImportJobStatus) => void
    vi.mocked(api.importStatus).mockReset().mockReturnValue(new Promise((resolve) => (finish = resolve)))
    vi.mocked(api.logout).mockResolvedValue(deskSession(null))
    const desk = useDeskStore()
    desk.session = deskSession(clerk)
    const store = useImportStore()
    store.setFiles([new File(['x'], '工资表.xlsx')])
    store.category = '工资调整'
    const running = store.run(false)
    await vi.waitFor(() => expect(api.importStatus).toHaveBeenCalled())
    expect(store.phase).toBe('running')

    await desk.logout()
    expect(store.files).toEqual([])
    expect(store.category).toBe('')
    expect(store.phase).toBe('idle')
    // The run's last answer arrives for nobody.
    finish(finished(false))
    await running
    expect(store.report).toBeNull()
    expect(store.status).toBeNull()
    expect(store.failure).toBe('')
    expect(store.phase).toBe('idle')
  })
})
