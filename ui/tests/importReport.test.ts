import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { FileReport, ImportReport } from '../src/api/types'
import ImportReportPanel from '../src/components/import/ImportReportPanel.vue'
import { mountApp } from './helpers'

function file(overrides: Partial<FileReport> = {}): FileReport {
  return {
    path: '工资调整表.csv',
    outcome: 'imported',
    format: 'CSV（GBK）',
    message: null,
    batch_id: null,
    replaces_batch: null,
    category: null,
    sheets: [],
    rows_read: 12,
    rows_accepted: 10,
    rows_rejected: 2,
    rows_skipped: 0,
    duplicate_rows: 0,
    document_rows: 0,
    documents_new: 1,
    documents_updated: 0,
    entries_new: 10,
    entries_updated: 0,
    entries_unchanged: 0,
    entries_superseded: 0,
    pages_attached: 0,
    rejected: [
      { file: '工资调整表.csv', sheet: '', row: 5, column: '身份证号码', reason: '身份证号校验位不对' },
      { file: '工资调整表.csv', sheet: '', row: 9, column: '姓名', reason: '人员行没有姓名' },
    ],
    warnings: [],
    ...overrides,
  }
}

afterEach(() => {
  document.body.innerHTML = ''
})

describe('import report', () => {
  it('says first how many rows a preview will reject, never a plain 可以导入, with the rows one click away', async () => {
    const report: ImportReport = { dry_run: true, files: [file()] }
    const wrapper = mountApp(ImportReportPanel, { props: { report }, attachTo: document.body })
    const verdict = wrapper.find('[data-testid="import-rejected-verdict"]')
    expect(verdict.text()).toContain('2 行将被拒绝，不会导入')
    // The verdict comes before the files' mapping tables.
    const order = [...(wrapper.element as HTMLElement).querySelectorAll('[data-testid]')].map((e) => e.getAttribute('data-testid'))
    expect(order.indexOf('import-rejected-verdict')).toBeLessThan(order.indexOf('import-file'))
    const tag = wrapper.find('[data-testid="import-file-verdict"]')
    expect(tag.text()).toBe('可以导入，2 行将被拒绝')
    expect(tag.classes()).toContain('el-tag--warning')

    const anchor = wrapper.find('[data-testid="rejected-anchor"]').element as HTMLElement
    const scrolled = vi.fn()
    anchor.scrollIntoView = scrolled
    await wrapper.find('[data-testid="import-show-rejected"]').trigger('click')
    await flushPromises()
    expect(scrolled).toHaveBeenCalled()
    expect(document.activeElement).toBe(anchor)
  })

  it('keeps the plain verdict when nothing is rejected', () => {
    const report: ImportReport = { dry_run: true, files: [file({ rows_rejected: 0, rejected: [] })] }
    const wrapper = mountApp(ImportReportPanel, { props: { report } })
    expect(wrapper.find('[data-testid="import-rejected-verdict"]').exists()).toBe(false)
    const tag = wrapper.find('[data-testid="import-file-verdict"]')
    expect(tag.text()).toBe('可以导入')
    expect(tag.classes()).toContain('el-tag--success')
  })
})
