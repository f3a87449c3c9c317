// 扫描页识别 at the counter: a name read on a scanned page is a hit of its own kind naming the
// page; the page opens with the name boxed, ↑/↓ step through the boxes; 导入 and 设置 show how
// far the background reading is, and the host's clerk pauses and resumes it.
import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as api from '../src/api/client'
import type { PageReadingStatus, PageView, PageWords } from '../src/api/types'
import HitCard from '../src/components/search/HitCard.vue'
import PageViewer from '../src/components/record/PageViewer.vue'
import PageReadingProgress from '../src/components/scans/PageReadingProgress.vue'
import { useDeskStore } from '../src/stores/desk'
import { clerk, deskSession } from './deskServer'
import { hit, mountApp } from './helpers'

vi.mock('../src/api/client', async (original) => ({
  ...(await original<typeof import('../src/api/client')>()),
  pageWords: vi.fn(),
  pageReadingStatus: vi.fn(),
  pausePageReading: vi.fn(),
}))

function page(page_no: number): PageView {
  return { page_no, media: 'image', reachable: true, path: `/scans/${page_no}.jpg`, width: 1240, height: 1754 } as PageView
}

const WORDS: PageWords = {
  document_id: 10,
  page_no: 2,
  width: 1240,
  height: 1754,
  read: true,
  boxes: [
    [300, 400, 380, 400, 380, 430, 300, 430],
    [300, 900, 380, 900, 380, 930, 300, 930],
  ],
}

const READING: PageReadingStatus = {
  read: 40,
  failed: 1,
  waiting: 59,
  seconds_left: 300,
  running: true,
  paused: false,
  problem: null,
}

beforeEach(() => {
  vi.mocked(api.pageWords).mockReset().mockResolvedValue(WORDS)
  vi.mocked(api.pageReadingStatus).mockReset().mockResolvedValue(READING)
  vi.mocked(api.pausePageReading)
    .mockReset()
    .mockImplementation(async (paused) => ({ ...READING, paused, running: !paused }))
})

afterEach(() => {
  document.body.innerHTML = ''
})

describe('扫描页识别', () => {
  it('shows a name read on a scan as its own kind of hit, with its page', () => {
    const wrapper = mountApp(HitCard, {
      props: {
        hit: hit({
          name: null,
          entry_id: null,
          tier: 'scanned_page',
          page: '2',
          scanned_page: 2,
          title: '城关镇供销社1998年职工工资调整审批表',
        }),
      },
    })
    expect(wrapper.find('[data-testid="tier-tag"]').text()).toBe('扫描页识别')
    expect(wrapper.text()).toContain('第 2 页')
    expect(wrapper.find('[data-testid="hit-person"]').exists()).toBe(false)
  })

  it('boxes the words searched for on the page and steps through them with ↑/↓', async () => {
    const wrapper = mountApp(PageViewer, {
      props: { documentId: 10, pages: [page(1), page(2)], pageNo: 2, wordsQuery: '李建国' },
      global: { stubs: { ImageViewer: true, PdfViewer: true } },
      attachTo: document.body,
    })
    await flushPromises()
    expect(api.pageWords).toHaveBeenCalledWith({ document_id: 10, page_no: 2, query: '李建国' })
    const viewer = () => wrapper.findComponent({ name: 'ImageViewer' })
    expect(viewer().props('boxes')).toEqual(WORDS.boxes)
    expect(viewer().props('pageWidth')).toBe(1240)
    expect(viewer().props('current')).toBe(0)
    expect(wrapper.find('[data-testid="word-of"]').text()).toContain('第 1 / 2 处')

    await wrapper.find('[data-testid="page-viewer"]').trigger('keydown', { key: 'ArrowDown' })
    expect(viewer().props('current')).toBe(1)
    await wrapper.find('[data-testid="page-viewer"]').trigger('keydown', { key: 'ArrowDown' })
    expect(viewer().props('current')).toBe(0)
    await wrapper.find('[data-testid="page-viewer"]').trigger('keydown', { key: 'ArrowUp' })
    expect(viewer().props('current')).toBe(1)

    // Another page: its own words are asked for.
    vi.mocked(api.pageWords).mockResolvedValue({ ...WORDS, page_no: 1, boxes: [] })
    await wrapper.setProps({ pageNo: 1 } as never)
    await flushPromises()
    expect(api.pageWords).toHaveBeenLastCalledWith({ document_id: 10, page_no: 1, query: '李建国' })
    expect(viewer().props('boxes')).toEqual([])
    expect(wrapper.find('[data-testid="word-of"]').exists()).toBe(false)
  })

  it('asks for no words without a search', async () => {
    mountApp(PageViewer, {
      props: { documentId: 10, pages: [page(1)], pageNo: 1, wordsQuery: null },
      global: { stubs: { ImageViewer: true, PdfViewer: true } },
    })
    await flushPromises()
    expect(api.pageWords).not.toHaveBeenCalled()
  })

  it('shows how far the reading is, and pauses and resumes it at the host', async () => {
    const wrapper = mountApp(PageReadingProgress, { attachTo: document.body })
    await flushPromises()
    expect(wrapper.find('[data-testid="page-reading-counts"]').text()).toBe('已识别 40 页，待识别 59 页，无法识别 1 页')
    expect(wrapper.find('[data-testid="page-reading-left"]').text()).toBe('约需 5 分钟')

    await wrapper.find('[data-testid="page-reading-pause"]').trigger('click')
    await flushPromises()
    expect(api.pausePageReading).toHaveBeenCalledWith(true)
    expect(wrapper.find('[data-testid="page-reading-paused"]').exists()).toBe(true)

    await wrapper.find('[data-testid="page-reading-resume"]').trigger('click')
    await flushPromises()
    expect(api.pausePageReading).toHaveBeenLastCalledWith(false)
    expect(wrapper.find('[data-testid="page-reading-pause"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="page-reading-resume"]').exists()).toBe(false)
  })

  it('lets a LAN desk see the progress but not pause the host', async () => {
    const wrapper = mountApp(PageReadingProgress, { attachTo: document.body })
    useDeskStore().session = deskSession({ ...clerk, desk: 'D2' })
    await flushPromises()
    expect(wrapper.find('[data-testid="page-reading-counts"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="page-reading-pause"]').exists()).toBe(false)
  })
})
