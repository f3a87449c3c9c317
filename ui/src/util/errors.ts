import { ElMessage } from 'element-plus'
import { ApiError, type ClientErrorCode } from '../api/client'
import { i18n } from '../i18n'

/// Codes said in words when no message came with them (the engine sends its own in Chinese).
const CODE_TEXT: Partial<Record<ClientErrorCode, string>> = {
  network: 'errors.network',
  unauthorized: 'errors.unauthorized',
  throttled: 'errors.throttled',
  disk_full: 'errors.diskFull',
  read_only: 'errors.readOnly',
}

/// Troubles that stop every act until someone fixes the machine: their message stays up.
const LASTING: ReadonlySet<ClientErrorCode> = new Set(['disk_full', 'read_only'])

/// The sentence the clerk reads: the engine's own Chinese message when it sent one.
export function errorText(error: unknown): string {
  const t = i18n.global.t
  if (error instanceof ApiError) {
    if (error.message) return error.message
    const key = CODE_TEXT[error.code]
    if (key) return t(key)
    if (error.code === 'http') return t('errors.http', { status: error.status ?? '' })
    return t('errors.unknown')
  }
  if (error instanceof Error && error.message) return error.message
  return t('errors.unknown')
}

export function showError(error: unknown): void {
  // A lost login is said by the login dialog over the screen, not by a toast.
  if (error instanceof ApiError && error.code === 'unauthorized') return
  const lasting = error instanceof ApiError && LASTING.has(error.code)
  ElMessage.error({ message: errorText(error), showClose: true, duration: lasting ? 0 : 6000 })
}
