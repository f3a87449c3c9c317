import type { NewLookupRequest, Relationship } from '../api/types'

/// The new-request form as typed: every field a string, as the inputs hold them.
export type RequestDraft = {
  requester_name: string
  requester_id: string
  requester_phone: string
  relationship: Relationship
  proxy_name: string
  proxy_id: string
  proxy_phone: string
  unit_name: string
  purpose: string
  purpose_note: string
  channel: string
  /// 代查代送: 'post' sends the result to `delivery_address`, 'pickup' keeps it for 自取.
  delivery_mode: 'post' | 'pickup'
  delivery_address: string
  sought: string
}

export type DraftField = keyof RequestDraft

/// The purpose that needs a note.
export const OTHER_PURPOSE = '其他'

/// The channel whose result is sent somewhere (or picked up).
export const DELIVERY_CHANNEL = '代查代送'

/// What the engine keeps for a result picked up at the counter.
export const PICKUP = '自取'

/// The person the records are about: 查档人 when they came themselves, 当事人 when a proxy
/// (代理人) or a unit asks for them — as the engine's messages and the certificate say.
export function subjectLabel(relationship: Relationship): '查档人' | '当事人' {
  return relationship === 'self' ? '查档人' : '当事人'
}

export function emptyDraft(channel = ''): RequestDraft {
  return {
    requester_name: '',
    requester_id: '',
    requester_phone: '',
    relationship: 'self',
    proxy_name: '',
    proxy_id: '',
    proxy_phone: '',
    unit_name: '',
    purpose: '',
    purpose_note: '',
    channel,
    delivery_mode: 'post',
    delivery_address: '',
    sought: '',
  }
}

const text = (value: string): string | null => (value.trim() === '' ? null : value.trim())

/// What is sent: trimmed, blanks as null, and only the fields the relationship and purpose use.
export function toRequest(draft: RequestDraft): NewLookupRequest {
  const proxy = draft.relationship === 'proxy'
  return {
    requester_name: draft.requester_name.trim(),
    requester_id: draft.requester_id.trim(),
    requester_phone: text(draft.requester_phone),
    relationship: draft.relationship,
    proxy_name: proxy ? text(draft.proxy_name) : null,
    proxy_id: proxy ? text(draft.proxy_id) : null,
    proxy_phone: proxy ? text(draft.proxy_phone) : null,
    unit_name: draft.relationship === 'unit' ? text(draft.unit_name) : null,
    purpose: draft.purpose,
    purpose_note: draft.purpose === OTHER_PURPOSE ? text(draft.purpose_note) : null,
    channel: draft.channel,
    delivery: draft.channel !== DELIVERY_CHANNEL ? null : draft.delivery_mode === 'pickup' ? PICKUP : text(draft.delivery_address),
    sought: draft.sought.trim(),
  }
}

/// The engine names the field in its message (请填写利用目的, 查档人身份证号「…」无效 …): the
/// longer names first, so that 利用目的说明 is not taken for 利用目的.
const FIELD_NAMES: Array<[string, DraftField]> = [
  ['查档人身份证号', 'requester_id'],
  ['当事人身份证号', 'requester_id'],
  ['代理人身份证号', 'proxy_id'],
  ['查档人姓名', 'requester_name'],
  ['当事人姓名', 'requester_name'],
  ['送达方式', 'delivery_address'],
  ['代理人姓名', 'proxy_name'],
  ['利用目的说明', 'purpose_note'],
  ['利用目的', 'purpose'],
  ['查档渠道', 'channel'],
  ['查档内容', 'sought'],
  ['单位名称', 'unit_name'],
  ['代理人电话', 'proxy_phone'],
  ['电话', 'requester_phone'],
]

/// The field an error message is about, to mark it on the form; null when it names none.
export function fieldOfMessage(message: string): DraftField | null {
  return FIELD_NAMES.find(([name]) => message.includes(name))?.[1] ?? null
}
