import { i18n } from '../i18n'

/// The actions the audit trail records (index/src/audit.rs and its callers).
export const AUDIT_ACTIONS = [
  'search',
  'view_record',
  'reveal',
  'open_restricted',
  'register',
  'attach',
  'redact',
  'request_status',
  'certificate',
  'verify',
  'import',
  'login',
  'login_failed',
  'clerk_create',
  'audit_export',
  'export_usage',
  'logout',
  'login_slowed',
  'login_delay',
  'login_delay_cleared',
  'clerk_change',
  'password_change',
  'settings',
  'cover_confirmed',
  'cover_override',
  'view_request',
  'search_register',
  'certificate_view',
  'view_person',
  'decide_person',
  'view_pages',
  'certificate_preview',
  'certificate_void',
  'request_remove',
  'desk_enrolled',
  'desk_revoked',
  'pairing_attempt',
  'history_merged',
  'peer_added',
  'peer_removed',
  'peer_list_imported',
  'peer_asked',
  'peer_answers',
  'peer_answered',
  'peer_refused',
  'proof_added',
  'view_proof',
  'proof_removed',
  'proof_expired',
  'cross_sent',
  'cross_status',
  'cross_received',
  'cross_step',
  'view_cross_inbox',
  'calendar',
] as const

/// The action in the clerk's words (查询, 显示完整 …); an action this UI does not know yet is
/// shown as recorded.
export function auditActionLabel(action: string): string {
  const key = `audit.actions.${action}`
  return i18n.global.te(key) ? i18n.global.t(key) : action
}

/// Recorded values that are keys of their own (open, delivered, supervisor), in words.
const VALUE_KEYS: Record<string, string> = {
  access: 'access',
  status: 'requestStatus',
  role: 'desk.role',
  why: 'audit.whyValues',
}

function keyedValue(key: string, value: unknown): string {
  const prefix = VALUE_KEYS[key]
  if (prefix && typeof value === 'string' && i18n.global.te(`${prefix}.${value}`)) {
    return i18n.global.t(`${prefix}.${value}`)
  }
  return valueText(value)
}

function valueText(value: unknown): string {
  if (value === null || value === undefined) return '—'
  if (Array.isArray(value)) return value.map(valueText).join('、')
  if (typeof value === 'object') return JSON.stringify(value)
  if (typeof value === 'boolean') return i18n.global.t(value ? 'common.yes' : 'common.no')
  return String(value)
}

/// The details of a row (a JSON object as recorded) as "key：value；…"; text that is not a
/// JSON object is shown as it is.
export function auditDetailText(detail: string): string {
  let parsed: unknown
  try {
    parsed = JSON.parse(detail)
  } catch {
    return detail
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return valueText(parsed)
  const parts = Object.entries(parsed as Record<string, unknown>)
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([key, value]) => {
      const label = `audit.detailKeys.${key}`
      return `${i18n.global.te(label) ? i18n.global.t(label) : key}：${keyedValue(key, value)}`
    })
  return parts.join('；')
}

/// What a row names (request:12, document:5 …) in words: 登记 12, 档案 5 …
export function auditTargetText(target: string | null): string {
  if (!target) return '—'
  const match = /^([a-z_]+):(.*)$/.exec(target)
  if (!match) return target
  const key = `audit.targets.${match[1]}`
  return i18n.global.te(key) ? `${i18n.global.t(key)} ${match[2]}` : target
}
