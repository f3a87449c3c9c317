import type { EntryView, PageView } from '../api/types'

/// What the attach dialog offers and ticks first, and what it tells the clerk about it.
export type AttachChoice = {
  /// The scanned pages that can be copied into a certificate (images that can be found; PDF
  /// scans are shown, not copied).
  copyable: number[]
  /// Ticked at first: the pages the row's catalogue page cell names, or every page of a record
  /// attached without a row.
  preselected: number[]
  /// none: no page can be copied; unnamed: the row names no page; missing: the pages it names
  /// are not among the scans; named: they are ticked.
  situation: 'none' | 'unnamed' | 'missing' | 'named' | 'document'
}

export function attachChoice(entry: EntryView | null, pages: PageView[]): AttachChoice {
  const copyable = pages.filter((p) => p.media !== 'pdf' && p.reachable).map((p) => p.page_no)
  if (copyable.length === 0) return { copyable, preselected: [], situation: 'none' }
  if (!entry) return { copyable, preselected: copyable, situation: 'document' }
  if (entry.page_numbers.length === 0) return { copyable, preselected: [], situation: 'unnamed' }
  const preselected = entry.page_numbers.filter((p) => copyable.includes(p))
  return { copyable, preselected, situation: preselected.length > 0 ? 'named' : 'missing' }
}
