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
/// found in the search are added to it with one click.
export const useRequestStore = defineStore('request', () => {
  const current = ref<LookupRequestView | null>(null)
  const pending = ref<PendingAttach | null>(null)

  function set(view: LookupRequestView): void {
    current.value = view
  }

  function clear(): void {
    current.value = null
    pending.value = null
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

  /// Another clerk at the desk does not carry on this one's request.
  useDeskStore().onChange(clear)

  return { current, pending, set, clear, attach, registered }
})
