import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as api from '../api/client'
import type { AttachRequest, LookupRequestView } from '../api/types'
import { useDeskStore } from './desk'

/// A record the clerk chose to add before any request was open: added to the request that is
/// registered next.
export type PendingAttach = {
  entryId: number | null
  documentId: number
  pages: number[]
  /// The row's name, for the new form, and the record's 档号, to say what will be added.
  name: string | null
  refCode: string
}

/// The request at the counter now: set when a request is opened or registered, so that records
/// found in the search are added to it with one click. It belongs to the desk's visit, not to
/// the clerk: when another clerk takes the desk with 切换账号, an open request is carried over —
/// by its number only, read again under the next clerk's login where they land (登记), so that
/// their look is on the trail under their name.
export const useRequestStore = defineStore('request', () => {
  const current = ref<LookupRequestView | null>(null)
  const pending = ref<PendingAttach | null>(null)
  /// The open request the previous clerk left at the desk, until the next clerk has it read.
  const carried = ref<number | null>(null)

  function set(view: LookupRequestView): void {
    current.value = view
    carried.value = null
  }

  function clear(): void {
    current.value = null
    pending.value = null
    carried.value = null
  }

  /// Another clerk at the desk. Handed over with 切换账号 (the desk empty, its login screen up), an
  /// open request is carried over; a login lost to idle time and taken by someone else ends the
  /// visit. A closed request is done with, and a record chosen before registering was the
  /// previous clerk's choice and is dropped.
  function handOver(): void {
    const handedOver = desk.caller === null
    if (current.value !== null) {
      carried.value = handedOver && !current.value.closed_at ? current.value.id : null
    } else if (!handedOver) {
      carried.value = null
    }
    current.value = null
    pending.value = null
  }

  /// The carried request could not be read by the next clerk: the visit is not carried further.
  function dropCarried(): void {
    carried.value = null
  }

  /// Adds a record to the current request with the pages the clerk ticked (none ticked: its
  /// catalogue line alone); the answer (the request with it) becomes current.
  async function attach(
    request: Omit<AttachRequest, 'request_id' | 'catalogue_only'>,
  ): Promise<LookupRequestView> {
    if (!current.value) throw new Error('no current request')
    const view = await api.attachRecord({
      ...request,
      catalogue_only: request.pages.length === 0,
      request_id: current.value.id,
    })
    current.value = view
    return view
  }

  /// Registered: it becomes current, and a record chosen beforehand is added to it.
  async function registered(view: LookupRequestView): Promise<LookupRequestView> {
    current.value = view
    const waiting = pending.value
    pending.value = null
    if (!waiting) return view
    return attach({ entry_id: waiting.entryId, document_id: waiting.documentId, pages: waiting.pages })
  }

  const desk = useDeskStore()
  desk.onChange(handOver)

  return { current, pending, carried, set, clear, dropCarried, attach, registered }
})
