import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as api from '../api/client'
import type { Caller, DeskSession, NewClerk } from '../api/types'
import { errorText } from '../util/errors'

/// Who is at the desk. The app shows the first-run screen until the first account exists, the
/// login screen while nobody is logged in, and everything else only to a logged-in clerk: every
/// query, view and certificate is recorded under their name.
export const useDeskStore = defineStore('desk', () => {
  const session = ref<DeskSession | null>(null)
  const loading = ref(false)
  /// Why the session could not be read (the server is unreachable, the token is missing).
  const error = ref<string | null>(null)
  /// Set when an operation was refused for want of a login: the login screen says so.
  const expired = ref<string | null>(null)

  const caller = computed<Caller | null>(() => session.value?.caller ?? null)
  const loaded = computed(() => session.value !== null)
  const needsFirstClerk = computed(() => session.value?.needs_first_clerk ?? false)
  const isSupervisor = computed(() => caller.value?.role === 'supervisor')
  const purposes = computed(() => session.value?.purposes ?? [])
  const channels = computed(() => session.value?.channels ?? [])

  /// Listeners to run when the clerk at the desk changes (login, logout, lost login): stores
  /// that hold one clerk's work (the current request) forget it.
  const changeListeners = new Set<() => void>()
  function onChange(listener: () => void): () => void {
    changeListeners.add(listener)
    return () => changeListeners.delete(listener)
  }
  function changed(): void {
    for (const listener of [...changeListeners]) listener()
  }

  function setCaller(next: Caller | null): void {
    const before = caller.value
    if (session.value) session.value = { ...session.value, caller: next }
    if (before?.login !== next?.login || before?.role !== next?.role) changed()
  }

  async function load(): Promise<void> {
    loading.value = true
    try {
      session.value = await api.deskSession()
      error.value = null
    } catch (failure) {
      error.value = errorText(failure)
    } finally {
      loading.value = false
    }
  }

  /// Logs in; a refusal (wrong password) is thrown for the login form to show.
  async function login(login: string, password: string): Promise<Caller> {
    const who = await api.login({ login: login.trim(), password })
    expired.value = null
    if (!session.value) await load()
    setCaller(who)
    return who
  }

  async function logout(): Promise<void> {
    try {
      const next = await api.logout()
      // Its lists, and whether an account exists; the desk is emptied below.
      session.value = { ...next, caller: caller.value }
    } catch {
      // The server forgot the login already (restarted): the desk is empty all the same.
    }
    expired.value = null
    setCaller(null)
  }

  /// First run: the first account (the engine makes it the supervisor), then its login.
  async function createFirstClerk(clerk: Omit<NewClerk, 'role'>): Promise<Caller> {
    await api.createClerk({ ...clerk, role: 'supervisor' })
    if (session.value) session.value = { ...session.value, needs_first_clerk: false }
    return login(clerk.login, clerk.password)
  }

  /// An operation was refused for want of a login: back to the login screen.
  function lost(reason: string): void {
    if (!caller.value) return
    expired.value = reason
    setCaller(null)
  }

  api.onUnauthorized((failure) => lost(errorText(failure)))

  return {
    session,
    loading,
    error,
    expired,
    caller,
    loaded,
    needsFirstClerk,
    isSupervisor,
    purposes,
    channels,
    load,
    login,
    logout,
    createFirstClerk,
    lost,
    onChange,
  }
})
