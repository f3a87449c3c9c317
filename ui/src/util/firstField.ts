/// A screen opens with the caret where the clerk types first: its first text field that can be
/// typed in, else the chosen option of its first choice. Returns whether anything took the focus.
export function focusFirstField(root: HTMLElement | null | undefined): boolean {
  if (!root) return false
  const typed = root.querySelector<HTMLElement>(
    'input:not([type="hidden"]):not([type="radio"]):not([type="checkbox"]):not([disabled]):not([readonly]), textarea:not([disabled]):not([readonly])',
  )
  const field = typed ?? root.querySelector<HTMLElement>('input[type="radio"]:checked:not([disabled])')
  field?.focus()
  return field !== null
}
