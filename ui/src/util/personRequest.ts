import type { LocationQuery } from 'vue-router'
import type { PersonRequest } from '../api/types'

function text(value: LocationQuery[string]): string | null {
  const first = Array.isArray(value) ? value[0] : value
  return typeof first === 'string' && first.trim() !== '' ? first.trim() : null
}

/// Whose timeline the address names: ?entry=ID, ?id_number=…, or ?name=…&birth=…; null when
/// it names no one.
export function personRequestFrom(query: LocationQuery): PersonRequest | null {
  const entry = text(query.entry)
  const entryId = entry !== null && /^\d+$/.test(entry) ? Number(entry) : null
  const request: PersonRequest = {
    entry_id: entryId,
    id_number: text(query.id_number),
    name: text(query.name),
    birth: text(query.birth),
    request_id: null,
  }
  if (request.entry_id === null && request.id_number === null && request.name === null) return null
  return request
}
