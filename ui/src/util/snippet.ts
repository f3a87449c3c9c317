export type SnippetPart = { text: string; mark: boolean }

/// Splits a snippet into plain and highlighted parts. Highlights are [start, end) in characters
/// (Unicode code points), as the engine counts them: a character outside the BMP such as 𠀀 is
/// one character here but two UTF-16 units in a JS string, so the text is sliced as an array of
/// code points, never with String.slice.
export function snippetParts(text: string, highlights: ReadonlyArray<readonly [number, number]>): SnippetPart[] {
  const chars = Array.from(text)
  const clamp = (n: number) => Math.max(0, Math.min(chars.length, n))
  const ranges = highlights
    .map(([start, end]) => [clamp(start), clamp(end)] as [number, number])
    .filter(([start, end]) => start < end)
    .sort((a, b) => a[0] - b[0])

  // Overlapping or touching ranges become one mark.
  const merged: Array<[number, number]> = []
  for (const range of ranges) {
    const last = merged[merged.length - 1]
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1])
    else merged.push([...range])
  }

  const parts: SnippetPart[] = []
  let at = 0
  for (const [start, end] of merged) {
    if (start > at) parts.push({ text: chars.slice(at, start).join(''), mark: false })
    parts.push({ text: chars.slice(start, end).join(''), mark: true })
    at = end
  }
  if (at < chars.length) parts.push({ text: chars.slice(at).join(''), mark: false })
  return parts
}
