import { describe, expect, it } from 'vitest'
import type { EntryView, PageView } from '../src/api/types'
import { attachChoice } from '../src/util/attachPages'
import { pageForEntry } from '../src/util/pages'
import { personRequestFrom } from '../src/util/personRequest'

const page = (page_no: number): PageView => ({
  page_no,
  path: `D:/扫描/${page_no}.jpg`,
  reachable: true,
  media: 'image',
  width: null,
  height: null,
})

describe('pageForEntry', () => {
  const pages = [page(1), page(2), page(3)]

  it('finds the scan of the written page in its usual forms', () => {
    expect(pageForEntry('2', pages)).toBe(2)
    expect(pageForEntry('第3页', pages)).toBe(3)
    expect(pageForEntry('3-4', pages)).toBe(3)
  })

  it('falls back to the first scan, and to none without scans', () => {
    expect(pageForEntry('9', pages)).toBe(1)
    expect(pageForEntry(null, pages)).toBe(1)
    expect(pageForEntry('2', [])).toBeNull()
  })
})

describe('personRequestFrom', () => {
  it('reads an entry id, an ID number, or a name with birth', () => {
    expect(personRequestFrom({ entry: '42' })).toEqual({ entry_id: 42, id_number: null, name: null, birth: null, request_id: null })
    expect(personRequestFrom({ id_number: ' 431128380318718 ' })).toMatchObject({ id_number: '431128380318718' })
    expect(personRequestFrom({ name: '王磊', birth: '1960-03' })).toMatchObject({ name: '王磊', birth: '1960-03' })
  })

  it('names no one without any of them', () => {
    expect(personRequestFrom({})).toBeNull()
    expect(personRequestFrom({ entry: 'abc' })).toBeNull()
    expect(personRequestFrom({ birth: '1960-03' })).toBeNull()
  })
})

describe('attachChoice', () => {
  const row = (page_numbers: number[]) => ({ page_numbers }) as EntryView

  it('ticks the pages the row’s catalogue cell names, among the scans that can be copied', () => {
    const pages = [page(1), page(2), { ...page(3), media: 'pdf' }, { ...page(4), reachable: false }]
    expect(attachChoice(row([2, 3]), pages)).toEqual({ copyable: [1, 2], preselected: [2], situation: 'named' })
    expect(attachChoice(row([]), pages)).toEqual({ copyable: [1, 2], preselected: [], situation: 'unnamed' })
    expect(attachChoice(row([9]), pages)).toEqual({ copyable: [1, 2], preselected: [], situation: 'missing' })
    expect(attachChoice(null, pages)).toEqual({ copyable: [1, 2], preselected: [1, 2], situation: 'document' })
    expect(attachChoice(row([1]), [{ ...page(1), media: 'pdf' }])).toMatchObject({ copyable: [], situation: 'none' })
  })
})
