// A row read on a scanned page made a catalogue row: 转为目录条目 beside the page lists the rows
// below the table's header, the chosen row is boxed on the page and fills the form with what was
// read under each header field; the clerk corrects a misreading and confirms, and a row made an
// entry says so.
import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as api from '../src/api/client'
import type { PageRows, PageView } from '../src/api/types'
import PageViewer from '../src/components/record/PageViewer.vue'
import { cleaned, rowsToConfirm, valuesFromRow } from '../src/components/scans/pageRowForm'
import { mountApp } from './helpers'

vi.mock('../src/api/client', async (original) => ({
  ...(await original<typeof import('../src/api/client')>()),
  pageWords: vi.fn(),
  pageRows: vi.fn(),
  confirmPageRow: vi.fn(),
}))

type Quad = [number, number, number, number, number, number, number, number]
const quad = (x: number, y: number): Quad => [x, y, x + 100, y, x + 100, y + 30, x, y + 30]

const ROWS: PageRows = {
  document_id: 10,
  page_no: 2,
  ref_code: 'J012-WS-1998-Y-0046',
  width: 1240,
  height: 1754,
  read: true,
  rows: [
    { row_no: 1, header: false, entry_id: null, confirmed_in: null, cells: [{ text: '城关镇供销社1998年职工工资调整审批表', quad: quad(300, 80), field: null }] },
    {
      row_no: 2,
      header: true,
      entry_id: null,
      confirmed_in: null,
      cells: [
        { text: '序号', quad: quad(100, 200), field: null },
        { text: '姓名', quad: quad(250, 200), field: null },
        { text: '身份证号码', quad: quad(500, 200), field: null },
        { text: '调整后工资', quad: quad(900, 200), field: null },
      ],
    },
    {
      row_no: 3,
      header: false,
      entry_id: null,
      confirmed_in: null,
      cells: [
        { text: '1', quad: quad(100, 260), field: null },
        { text: '王秀英', quad: quad(250, 260), field: 'name' },
        { text: '410102195603120026', quad: quad(500, 260), field: 'id_number' },
        { text: '412.00', quad: quad(900, 260), field: 'wage_after' },
      ],
    },
    {
      row_no: 4,
      header: false,
      entry_id: 77,
      confirmed_in: 12,
      cells: [
        { text: '2', quad: quad(100, 320), field: null },
        { text: '李建国', quad: quad(250, 320), field: 'name' },
      ],
    },
  ],
}

function page(page_no: number): PageView {
  return { page_no, media: 'image', reachable: true, path: `/scans/${page_no}.jpg`, width: 1240, height: 1754 } as PageView
}

/// Page 2 of the record shown, with its rows opened beside it.
async function openRows(pages: PageView[]) {
  const wrapper = mountApp(PageViewer, {
    props: { documentId: 10, pages, pageNo: 2, wordsQuery: null },
    global: { stubs: { ImageViewer: true, PdfViewer: true } },
    attachTo: document.body,
  })
  await flushPromises()
  await wrapper.find('[data-testid="page-row-open"]').trigger('click')
  await flushPromises()
  return wrapper
}

beforeEach(() => {
  vi.mocked(api.pageWords).mockReset().mockResolvedValue({ document_id: 10, page_no: 2, width: 1240, height: 1754, read: true, boxes: [] })
  vi.mocked(api.pageRows).mockReset().mockResolvedValue(ROWS)
  vi.mocked(api.confirmPageRow).mockReset().mockResolvedValue({ entry_id: 91, outcome: 'new', notes: [] })
})

afterEach(() => {
  document.body.innerHTML = ''
})

describe('a scanned page row made a catalogue row', () => {
  it('offers the rows below the header, with the values read under each field', () => {
    const rows = rowsToConfirm(ROWS)
    expect(rows.map((r) => r.row_no)).toEqual([3, 4])
    const values = valuesFromRow(rows[0])
    expect(values).toMatchObject({ name: '王秀英', id_number: '410102195603120026', wage_after: '412.00', gender: null })
    expect(cleaned({ ...values, name: ' 王秀英 ', gender: '  ' })).toMatchObject({ name: '王秀英', gender: null })
    // A page without a header: every row with something on it.
    const plain = { ...ROWS, rows: ROWS.rows.map((r) => ({ ...r, header: false })) }
    expect(rowsToConfirm(plain).map((r) => r.row_no)).toEqual([1, 2, 3, 4])
  })

  it('boxes the chosen row on the page, and confirms it as corrected by the clerk', async () => {
    const wrapper = await openRows([page(1), page(2)])
    expect(api.pageRows).toHaveBeenCalledWith({ document_id: 10, page_no: 2 })
    const listed = () => Array.from(document.querySelectorAll<HTMLElement>('[data-testid="page-row"]'))
    expect(listed().map((li) => li.textContent)).toEqual([
      expect.stringContaining('1　王秀英　410102195603120026　412.00'),
      expect.stringContaining('已建条目'),
    ])

    listed()[0].click()
    await flushPromises()
    const viewer = wrapper.findComponent({ name: 'ImageViewer' })
    expect(viewer.props('boxes')).toEqual(ROWS.rows[2].cells.map((c) => c.quad))
    expect(viewer.props('pageWidth')).toBe(1240)
    // Element Plus puts the attributes of el-input on its <input>.
    const input = (field: string) => document.querySelector<HTMLInputElement>(`input[data-testid="page-row-${field}"]`)!
    expect(input('name').value).toBe('王秀英')
    expect(input('wage_after').value).toBe('412.00')

    // The recognizer read 王秀英 right but the wage wrong: the clerk corrects it.
    input('wage_after').value = '421.00'
    input('wage_after').dispatchEvent(new Event('input'))
    await flushPromises()
    document.querySelector<HTMLButtonElement>('[data-testid="page-row-confirm"]')!.click()
    await flushPromises()
    expect(api.confirmPageRow).toHaveBeenCalledWith({
      document_id: 10,
      page_no: 2,
      row_no: 3,
      values: {
        name: '王秀英',
        gender: null,
        birth_date: null,
        id_number: '410102195603120026',
        work_unit: null,
        work_start: null,
        retire_date: null,
        wage_before: null,
        wage_after: '421.00',
      },
      confirmed_in: null,
      id_as_printed: false,
    })
    expect(wrapper.emitted('rowConfirmed')).toEqual([[91]])
    // The rows are asked again, to show the row made an entry.
    expect(api.pageRows).toHaveBeenCalledTimes(2)
  })

  it('shows the rows as they are now when another desk confirmed the row first', async () => {
    vi.mocked(api.confirmPageRow).mockRejectedValue({ code: 'InvalidRequest', message: '这一行刚被另一柜台转为目录条目或更正过' })
    await openRows([page(2)])
    document.querySelectorAll<HTMLElement>('[data-testid="page-row"]')[0].click()
    await flushPromises()
    const now = { ...ROWS, rows: ROWS.rows.map((r) => (r.row_no === 3 ? { ...r, entry_id: 92, confirmed_in: 30 } : r)) }
    vi.mocked(api.pageRows).mockResolvedValue(now)
    document.querySelector<HTMLButtonElement>('[data-testid="page-row-confirm"]')!.click()
    await flushPromises()
    expect(api.pageRows).toHaveBeenCalledTimes(2)
    // The row is now shown made, and a second try would send what was seen now.
    expect(document.querySelectorAll('[data-testid="page-row-made"]').length).toBe(2)
    vi.mocked(api.confirmPageRow).mockResolvedValue({ entry_id: 92, outcome: 'updated', notes: [] })
    document.querySelector<HTMLButtonElement>('[data-testid="page-row-confirm"]')!.click()
    await flushPromises()
    expect(vi.mocked(api.confirmPageRow).mock.calls[1][0].confirmed_in).toBe(30)
  })

  it('says so when the page is not read yet', async () => {
    vi.mocked(api.pageRows).mockResolvedValue({ ...ROWS, read: false, rows: [] })
    await openRows([page(2)])
    expect(document.querySelector('[data-testid="page-row-not-read"]')?.textContent).toContain('尚未识别')
  })
})

describe('the row drawer on another page', () => {
  it('forgets the row chosen on the last page', async () => {
    const wrapper = await openRows([page(1), page(2)])
    document.querySelectorAll<HTMLElement>('[data-testid="page-row"]')[0].click()
    await flushPromises()
    expect(document.querySelector('input[data-testid="page-row-name"]')).not.toBeNull()

    // Page 1 answers slowly: meanwhile nothing of page 2 may be confirmed.
    let answer: (rows: PageRows) => void = () => {}
    vi.mocked(api.pageRows).mockImplementation(() => new Promise((ok) => (answer = ok)))
    await wrapper.setProps({ pageNo: 1 } as never)
    await flushPromises()
    expect(document.querySelector('input[data-testid="page-row-name"]')).toBeNull()
    expect(wrapper.findComponent({ name: 'ImageViewer' }).props('boxes')).toEqual([])
    answer({ ...ROWS, page_no: 1 })
    await flushPromises()
    expect(document.querySelector('input[data-testid="page-row-name"]')).toBeNull()
    expect(api.confirmPageRow).not.toHaveBeenCalled()
  })
})
