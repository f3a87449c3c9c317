/// The screens show dates, 档号 and names in one form (1949.06, J012-WS·1998-Y-0034, 罗志); the
/// engine keeps what the record wrote in `originals`. This is the hover text saying so, or
/// undefined when the value is shown as written.
export function asWritten(item: { originals: Array<[string, string]> }, field: string): string | undefined {
  const original = item.originals.find(([name]) => name === field)?.[1]
  return original === undefined ? undefined : `原文：${original}`
}
