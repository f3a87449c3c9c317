/// The form two spellings of a category share: width folded (NFKC), spaces dropped.
function folded(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '')
}

/// Edit distance, stopping early once it passes `limit` (categories are a few characters).
function distance(a: string[], b: string[], limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = row
  }
  return previous[b.length]
}

/// The archive's category a newly typed one is probably a slip of: the same once width and
/// spaces are folded, one character off (工资调正 for 工资调整), or one inside the other
/// (工资 for 工资调整). Null when the typed category is new in earnest or already exists.
export function similarCategory(typed: string, known: readonly string[]): string | null {
  const mine = folded(typed)
  if (mine.length === 0 || known.includes(typed.trim())) return null
  const chars = [...mine]
  for (const category of known) {
    const theirs = folded(category)
    if (theirs === mine) return category
    if (chars.length >= 2 && distance(chars, [...theirs], 1) <= 1) return category
    if (chars.length >= 2 && (theirs.includes(mine) || mine.includes(theirs))) return category
  }
  return null
}
