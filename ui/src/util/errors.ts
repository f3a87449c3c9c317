import { ElMessage } from 'element-plus'
import { ApiError } from '../api/client'
import { i18n } from '../i18n'

/// The sentence the clerk reads: the engine's own Chinese message when it sent one.
export function errorText(error: unknown): string {
  const t = i18n.global.t
  if (error instanceof ApiError) {
    if (error.message) return error.message
    if (error.code === 'network') return t('errors.network')
    if (error.code === 'unauthorized') return t('errors.unauthorized')
    if (error.code === 'http') return t('errors.http', { status: error.status ?? '' })
    return t('errors.unknown')
  }
  if (error instanceof Error && error.message) return error.message
  return t('errors.unknown')
}

export function showError(error: unknown): void {
  // A lost login is said by the login screen that replaces the app, not by a toast.
  if (error instanceof ApiError && error.code === 'unauthorized') return
  ElMessage.error({ message: errorText(error), showClose: true, duration: 6000 })
}
