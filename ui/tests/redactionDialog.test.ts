import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as api from '../src/api/client'
import type { AttachedRecord, CoverSuggestion, LookupRequestView } from '../src/api/types'
import RedactionDialog from '../src/components/register/RedactionDialog.vue'
import { mountApp } from './helpers'

vi.mock('../src/api/client', async (original) => ({
  ...(await original<typeof import('../src/api/client')>()),
  suggestCover: vi.fn(),
  redactPage: vi.fn(),
}))

const record = {
  id: 3,
  document_id: 10,
  ref_code: 'J012-WS·1998-Y-0034',
  redactions: [],
  covers: [],
} as unknown as AttachedRecord

/// Rows of 5% from y = 20%: the header, the requester's row at 25–30%, then two others.
const rows: CoverSuggestion = {
  boxes: [
    { x: 0.1, y: 0.3, width: 0.8, height: 0.05 },
    { x: 0.1, y: 0.35, width: 0.8, height: 0.05 },
  ],
  own: [{ x: 0.1, y: 0.25, width: 0.8, height: 0.05 }],
  requester_on_page: true,
  note: '已按表格行线遮盖本人以外的 2 行，本人所在行以绿框标出：请逐行核对后保存',
}

const inBody = (testid: string) => document.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`)

async function openDialog(suggestion: CoverSuggestion = rows) {
  vi.mocked(api.suggestCover).mockResolvedValue(suggestion)
  const wrapper = mountApp(RedactionDialog, {
    props: { modelValue: false, requestId: 12, record, pageNo: 1, 'onUpdate:modelValue': () => {} },
    attachTo: document.body,
  }) as VueWrapper
  await wrapper.setProps({ modelValue: true } as never)
  await flushPromises()
  inBody('redact-image')[0].dispatchEvent(new Event('load'))
  await flushPromises()
  // The page is shown 1000 px square at the window's origin.
  const overlay = inBody('redact-overlay')[0]
  overlay.getBoundingClientRect = () => ({ left: 0, top: 0, width: 1000, height: 1000 }) as DOMRect
  return { wrapper, overlay }
}

/// A press at (x, y) on `target`, moved to (x2, y2) and released, in screen pixels.
async function drag(target: HTMLElement, overlay: HTMLElement, from: [number, number], to: [number, number]) {
  const at = (type: string, [x, y]: [number, number], on: HTMLElement) =>
    on.dispatchEvent(new MouseEvent(type, { clientX: x, clientY: y, button: 0, bubbles: true }))
  at('pointerdown', from, target)
  at('pointermove', to, overlay)
  at('pointerup', to, overlay)
  await flushPromises()
}

beforeEach(() => {
  vi.mocked(api.suggestCover).mockReset()
  vi.mocked(api.redactPage).mockReset()
})
afterEach(() => {
  document.body.innerHTML = ''
})

describe('the redaction dialog', () => {
  it('outlines the requester’s row and covers every other row in one step, saved once checked', async () => {
    await openDialog()
    expect(api.suggestCover).toHaveBeenCalledWith({ request_id: 12, record_id: 3, page_no: 1 })
    expect(inBody('redact-own')).toHaveLength(1)
    expect(inBody('redact-own')[0].style.top).toBe('25%')
    expect(inBody('redact-box')).toHaveLength(0)

    inBody('redact-suggest')[0].click()
    await flushPromises()
    expect(inBody('redact-box')).toHaveLength(2)
    expect(inBody('redact-suggest-note')[0].textContent).toContain('请逐行核对')
    // 保存 is reached on purpose, after the clerk has looked: the focus stays where it was.
    expect(document.activeElement).not.toBe(inBody('redact-save')[0])

    vi.mocked(api.redactPage).mockResolvedValue({ id: 12 } as LookupRequestView)
    inBody('redact-save')[0].click()
    await flushPromises()
    expect(api.redactPage).toHaveBeenCalledWith({ request_id: 12, record_id: 3, page_no: 1, boxes: rows.boxes })
  })

  it('draws a box from a drag that starts on an existing box, and removes a box on a click', async () => {
    const { overlay } = await openDialog()
    await drag(overlay, overlay, [100, 300], [900, 350])
    expect(inBody('redact-box')).toHaveLength(1)
    // The next row down, dragged from inside the first box: a second box, not nothing.
    await drag(inBody('redact-box')[0], overlay, [500, 340], [900, 400])
    expect(inBody('redact-box')).toHaveLength(2)
    // A click on a box (no drag) removes it.
    await drag(inBody('redact-box')[0], overlay, [500, 320], [500, 320])
    expect(inBody('redact-box')).toHaveLength(1)
  })

  it('offers to take a page without the requester’s rows off the request instead', async () => {
    const { wrapper } = await openDialog({ ...rows, own: [], requester_on_page: false, note: '' })
    expect(inBody('redact-not-on-page')[0].textContent).toContain('此页没有查档人本人的记录')
    inBody('redact-remove-page')[0].click()
    await flushPromises()
    expect(wrapper.emitted('removePage')?.[0]).toEqual([record, 1])
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual([false])
  })
})
