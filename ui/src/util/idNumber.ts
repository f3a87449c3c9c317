// Resident ID numbers (GB 11643-1999) as the clerk types them: the check digit (MOD 11-2), the
// birth date and the province, mirroring the engine's own check (index/src/text/id_number.rs)
// so that the form can say what is wrong before the request is sent.

export type IdCheck =
  /// Nothing typed yet.
  | { status: 'empty' }
  /// Digits still being typed (fewer than 18, and not a complete 15-digit number yet).
  | { status: 'incomplete'; length: number }
  | { status: 'valid18'; normalized: string }
  /// An old 15-digit number; `normalized` is its 18-digit form.
  | { status: 'valid15'; normalized: string }
  | { status: 'bad_check'; expected: string }
  | { status: 'bad_date' }
  | { status: 'bad_region' }
  | { status: 'malformed' }

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = '10X98765432'

/// Province-level codes of GB/T 2260, plus 81–83 (Hong Kong, Macao, Taiwan residence permits).
const PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64',
  '65', '71', '81', '82', '83',
])

/// The MOD 11-2 check character of the first 17 digits; null when they are not 17 digits.
export function idCheckDigit(first17: string): string | null {
  if (!/^\d{17}$/.test(first17)) return null
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]
  return CHECK[sum % 11]
}

/// Full-width digits and Ｘ folded, spaces and dashes (which clerks type inside a number)
/// dropped, x made upper case.
export function compactId(raw: string): string {
  return raw
    .replace(/[\uFF10-\uFF19\uFF38\uFF58]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\-\u2010-\u2015]/g, '')
    .toUpperCase()
}

/// A real calendar day between 1850 and today.
function realDate(yyyymmdd: string, today: Date): boolean {
  const y = Number(yyyymmdd.slice(0, 4))
  const m = Number(yyyymmdd.slice(4, 6))
  const d = Number(yyyymmdd.slice(6, 8))
  const date = new Date(Date.UTC(y, m - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return false
  const todayUtc = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate())
  return y >= 1850 && date.getTime() <= todayUtc
}

export type CheckOptions = {
  /// The clerk is still typing: 15 digits that are no valid old number may be the start of an
  /// 18-digit one, so they are not called wrong yet.
  typing?: boolean
  /// Today, for tests: a birth date may not be later.
  today?: Date
}

/// What the typed text is, as an ID number.
export function checkIdNumber(raw: string, options: CheckOptions = {}): IdCheck {
  const today = options.today ?? new Date()
  const id = compactId(raw)
  if (id === '') return { status: 'empty' }
  if (/^\d{1,17}$/.test(id) && id.length !== 15) return { status: 'incomplete', length: id.length }
  if (/^\d{15}$/.test(id)) {
    const long17 = `${id.slice(0, 6)}19${id.slice(6)}`
    const problem = !PROVINCES.has(id.slice(0, 2)) ? 'bad_region' : !realDate(long17.slice(6, 14), today) ? 'bad_date' : null
    if (problem === null) return { status: 'valid15', normalized: long17 + idCheckDigit(long17) }
    return options.typing ? { status: 'incomplete', length: 15 } : { status: problem }
  }
  if (/^\d{17}[\dX]$/.test(id)) {
    if (!PROVINCES.has(id.slice(0, 2))) return { status: 'bad_region' }
    if (!realDate(id.slice(6, 14), today)) return { status: 'bad_date' }
    const expected = idCheckDigit(id.slice(0, 17)) as string
    if (expected !== id[17]) return { status: 'bad_check', expected }
    return { status: 'valid18', normalized: id }
  }
  // 17 digits and an X typed too early, letters, or more than 18 characters.
  return { status: 'malformed' }
}

export function idIsValid(check: IdCheck): boolean {
  return check.status === 'valid18' || check.status === 'valid15'
}

/// Whether the form should show the check as an error now: a complete number that fails, or
/// anything that can no longer become a number. Half-typed digits are not an error yet.
export function idIsWrong(check: IdCheck): boolean {
  return !['empty', 'incomplete', 'valid18', 'valid15'].includes(check.status)
}
