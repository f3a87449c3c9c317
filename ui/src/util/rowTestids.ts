import type { Directive } from 'vue'

export type RowTestids = {
  /// data-testid of every body row.
  testid: string
  /// data-id of each row, in the table's row order.
  ids?: Array<string | number>
}

const observers = new WeakMap<HTMLElement, { observer: MutationObserver; value: RowTestids }>()

function label(el: HTMLElement, value: RowTestids): void {
  const rows = el.querySelectorAll<HTMLTableRowElement>('.el-table__body-wrapper tbody > tr.el-table__row')
  rows.forEach((row, i) => {
    if (row.getAttribute('data-testid') !== value.testid) row.setAttribute('data-testid', value.testid)
    const id = value.ids?.[i]
    if (id !== undefined && row.getAttribute('data-id') !== String(id)) row.setAttribute('data-id', String(id))
  })
}

/// el-table offers classes for its rows but no attributes; this puts a data-testid (and a
/// data-id) on each body row, again whenever the table renders its rows anew.
export const vRowTestids: Directive<HTMLElement, RowTestids> = {
  mounted(el, binding) {
    const entry = { value: binding.value, observer: new MutationObserver(() => label(el, entry.value)) }
    entry.observer.observe(el, { childList: true, subtree: true })
    observers.set(el, entry)
    label(el, binding.value)
  },
  updated(el, binding) {
    const entry = observers.get(el)
    if (entry) entry.value = binding.value
    label(el, binding.value)
  },
  unmounted(el) {
    observers.get(el)?.observer.disconnect()
    observers.delete(el)
  },
}
