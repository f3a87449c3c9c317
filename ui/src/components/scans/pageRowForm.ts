// A table row read on a scanned page, as the clerk confirms it into a catalogue row: which rows
// are people's rows, the values the recognizer read under each header field (the form starts
// from them), and where the row stands on the page (boxed while the clerk checks it).
import type { PageRowValues, PageRows, PageTableRow } from '../../api/types'

/// The fields the clerk confirms, in the form's order.
export const ROW_FIELDS = [
  'name',
  'gender',
  'birth_date',
  'id_number',
  'work_unit',
  'work_start',
  'retire_date',
  'wage_before',
  'wage_after',
] as const

export type RowField = (typeof ROW_FIELDS)[number]

/// The rows that may be people's: those below the header (every row of a page without one),
/// with something read on them.
export function rowsToConfirm(page: PageRows): PageTableRow[] {
  const header = page.rows.findIndex((row) => row.header)
  return page.rows.slice(header + 1).filter((row) => row.cells.some((cell) => cell.text.trim() !== ''))
}

/// The row's cells one after another, as the clerk reads the row.
export function rowText(row: PageTableRow): string {
  return row.cells
    .map((cell) => cell.text.trim())
    .filter((text) => text !== '')
    .join('　')
}

/// The values the recognizer read under each field the page's header names.
export function valuesFromRow(row: PageTableRow): PageRowValues {
  const read = (field: RowField): string | null => {
    const texts = row.cells.filter((cell) => cell.field === field).map((cell) => cell.text.trim())
    // A name's parts go together (王 秀英); numbers under one column stay apart.
    return texts.length > 0 ? texts.join(field === 'name' ? '' : ' ') : null
  }
  return {
    name: read('name') ?? '',
    gender: read('gender'),
    birth_date: read('birth_date'),
    id_number: read('id_number'),
    work_unit: read('work_unit'),
    work_start: read('work_start'),
    retire_date: read('retire_date'),
    wage_before: read('wage_before'),
    wage_after: read('wage_after'),
  }
}

/// Blank answers sent as none, the rest trimmed.
export function cleaned(values: PageRowValues): PageRowValues {
  const clean = (value: string | null): string | null => (value && value.trim() !== '' ? value.trim() : null)
  return {
    name: values.name.trim(),
    gender: clean(values.gender),
    birth_date: clean(values.birth_date),
    id_number: clean(values.id_number),
    work_unit: clean(values.work_unit),
    work_start: clean(values.work_start),
    retire_date: clean(values.retire_date),
    wage_before: clean(values.wage_before),
    wage_after: clean(values.wage_after),
  }
}

/// The row's cells as boxes on the page, to show the clerk which row the form is about.
export function rowBoxes(row: PageTableRow): number[][] {
  return row.cells.map((cell) => cell.quad)
}
