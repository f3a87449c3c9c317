import { describe, expect, it } from 'vitest'
import type { ImportJobStatus } from '../src/api/types'
import ImportProgress from '../src/components/import/ImportProgress.vue'
import { mountApp } from './helpers'

function running(filesDone: number, bytesDone: number | null, bytesTotal: number | null): ImportJobStatus {
  return {
    job: 1,
    running: true,
    dry_run: false,
    progress: { file: '工资表.xlsx', sheet: '1998', rows_done: 1200, bytes_done: bytesDone, bytes_total: bytesTotal },
    files_done: filesDone,
    files_total: 4,
    report: null,
    error: null,
  }
}

function percentage(status: ImportJobStatus): string | undefined {
  return mountApp(ImportProgress, { props: { phase: 'running', status } })
    .find('[data-testid="import-progress"]')
    .attributes('data-percentage')
}

describe('ImportProgress', () => {
  it('counts finished files whole and the current one by its bytes', () => {
    // 1 of 4 files done, the second half read: (1 + 0.5) / 4.
    expect(percentage(running(1, 50, 100))).toBe('38')
  })

  it('falls back to files when the bytes are unknown', () => {
    expect(percentage(running(2, null, null))).toBe('50')
  })

  it('says which file, sheet and row the import is at', () => {
    const wrapper = mountApp(ImportProgress, { props: { phase: 'running', status: running(1, 10, 100) } })
    expect(wrapper.text()).toContain('工资表.xlsx')
    expect(wrapper.text()).toContain('已读 1200 行')
    expect(wrapper.text()).toContain('文件 1 / 4')
  })
})
