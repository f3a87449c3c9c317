import type { PageView } from '../api/types'

/// The page an entry is on, as far as its written page (页号 "3", "3-4", "第3页") names one of
/// the record's scans; otherwise the first scan.
export function pageForEntry(page: string | null, pages: PageView[]): number | null {
  if (pages.length === 0) return null
  const first = page?.match(/\d+/)?.[0]
  if (first !== undefined) {
    const wanted = Number(first)
    if (pages.some((p) => p.page_no === wanted)) return wanted
  }
  return pages[0].page_no
}
