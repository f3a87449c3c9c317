import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as api from '../api/client'
import type { Caller, DeskPlace, DeskSession, LanConnectRequest, NewClerk } from '../api/types'
import { errorText } from '../util/errors'

// One desk per app: a store made anew (a test's fresh pinia) takes the lost logins over.
let stopListening: (() => void) | null = null

/// Who is at the desk. The app shows the first-run screen until the first account exists, the
/// login screen while nobody is logged in, the password change while the clerk must choose a new
/// one, and everything else only to a logged-in clerk: every query, view and certificate is
/// recorded under their name. A login that ends in the middle of work (idle time, 12 hours, the
/// account changed) is asked for again over the screen, which stays as it was.
export const useDeskStore = defineStore('desk', () => {
  /// Where the app works (the desktop app on a new PC asks first: its own archive, or a LAN
  /// host's); null until read.
  const place = ref<DeskPlace | null>(null)
  const session = ref<DeskSession | null>(null)
  const loading = ref(false)
  /// Why the session could not be read (the server is unreachable, the token is missing).
  const error = ref<string | null>(null)
  /// Set while a lost login is asked for again over the screen: the engine's word on why it ended.
  const expired = ref<string | null>(null)
  /// The clerk whose login was lost, and the operations refused meanwhile: they are sent again
  /// (resolved true) when that clerk is back, and given up (false) when someone else logs in.
  let lostLogin: string | null = null
  let waiting: Array<(again: boolean) => void> = []
  /// Whether the login was lost over the app's screens (not over the forced password change):
  /// a new password the login then asks for is chosen in the dialog too, so the screen stays.
  const screenKept = ref(false)

  const placeNeeded = computed(() => place.value !== null && !place.value.chosen)
  /// The host and this desk's name and code, when the app works as a desk of a LAN host.
  const lanDesk = computed(() => place.value?.lan ?? null)
  const caller = computed<Caller | null>(() => session.value?.caller ?? null)
  const loaded = computed(() => session.value !== null)
  const needsFirstClerk = computed(() => session.value?.needs_first_clerk ?? false)
  const isSupervisor = computed(() => caller.value?.role === 'supervisor')
  const mustChangePassword = computed(() => caller.value !== null && (session.value?.must_change_password ?? false))
  const passwordInDialog = computed(() => expired.value !== null && screenKept.value && mustChangePassword.value)
  const archiveName = computed(() => session.value?.archive_name ?? '')
  const demo = computed(() => session.value?.demo ?? false)
  const purposes = computed(() => session.value?.purposes ?? [])
  const channels = computed(() => session.value?.channels ?? [])
  /// Minutes without input after which the screen asks for the login again (the engine ends the
  /// login after as many minutes without a request).
  const idleMinutes = computed(() => session.value?.idle_minutes ?? 0)

  /// Listeners to run when the clerk at the desk changes (login, logout, another clerk after a
  /// lost login): stores that hold one clerk's work let it go (the current request is carried
  /// over a 切换账号, see the request store).
  const changeListeners = new Set<() => void>()
  function onChange(listener: () => void): () => void {
    changeListeners.add(listener)
    return () => changeListeners.delete(listener)
  }

  /// Listeners to run when a clerk leaves the desk (logout, another clerk after a lost login):
  /// whatever was shown to them (search results, records, an import) is not the next clerk's.
  /// The same clerk back after a lost login keeps it all.
  const leaveListeners = new Set<() => void>()
  function onClerkLeaves(listener: () => void): () => void {
    leaveListeners.add(listener)
    return () => leaveListeners.delete(listener)
  }

  function apply(next: DeskSession): void {
    const before = caller.value
    session.value = next
    const after = next.caller
    if (before?.login !== after?.login || before?.role !== after?.role) {
      for (const listener of [...changeListeners]) listener()
    }
    if (before !== null && before.login !== after?.login) {
      for (const listener of [...leaveListeners]) listener()
    }
  }

  /// The lost login is back (or given up): the dialog closes and the refused operations go on.
  function settle(again: boolean): void {
    const refused = waiting
    waiting = []
    lostLogin = null
    expired.value = null
    for (const resolve of refused) resolve(again)
  }

  function resumeIfReady(): void {
    if (expired.value === null || passwordInDialog.value) return
    settle(caller.value?.login === lostLogin)
  }

  async function load(): Promise<void> {
    loading.value = true
    try {
      if (!place.value?.chosen) {
        place.value = await api.deskPlace()
        if (!place.value.chosen) return
      }
      session.value = await api.deskSession()
      error.value = null
    } catch (failure) {
      error.value = errorText(failure)
    } finally {
      loading.value = false
    }
  }

  /// Logs in; a refusal (wrong password, too many failures) is thrown for the login form to show.
  async function login(login: string, password: string): Promise<Caller> {
    const who = await api.login({ login: login.trim(), password })
    // The session says what the login alone does not: whether the password must be changed.
    let next: DeskSession | null = session.value
    try {
      next = await api.deskSession()
    } catch {
      // Logged in all the same; the desk goes on with what it knew.
    }
    if (next) apply({ ...next, caller: next.caller ?? who })
    resumeIfReady()
    return who
  }

  async function logout(): Promise<void> {
    let next: DeskSession | null = session.value
    try {
      next = await api.logout()
    } catch {
      // The server forgot the login already (restarted): the desk is empty all the same.
    }
    settle(false)
    if (next) apply({ ...next, caller: null, must_change_password: false })
  }

  /// The clerk's own password; the engine keeps them logged in and says so.
  async function changePassword(current: string, next: string): Promise<void> {
    apply(await api.changePassword({ current_password: current, new_password: next }))
    resumeIfReady()
  }

  /// First run: the first account (the engine makes it the supervisor), then its login.
  async function createFirstClerk(clerk: Omit<NewClerk, 'role'>): Promise<Caller> {
    await api.createClerk({ ...clerk, role: 'supervisor' })
    if (session.value) session.value = { ...session.value, needs_first_clerk: false }
    return login(clerk.login, clerk.password)
  }

  /// 本机档案库 or 连接局域网档案库, chosen at the first start; the desk then loads as usual.
  /// A refused connection (a wrong code, another host's key) is thrown for the panel to show.
  async function choosePlace(lan: LanConnectRequest | null): Promise<void> {
    place.value = lan ? await api.connectLanArchive(lan) : await api.chooseLocalArchive()
    await load()
  }

  /// An operation was refused for want of a login: ask for it again over the screen. Resolves
  /// true when the same clerk is back, so the operation is sent again.
  function lost(reason: string): Promise<boolean> {
    if (!caller.value) return Promise.resolve(false)
    if (expired.value === null) {
      lostLogin = caller.value.login
      screenKept.value = !mustChangePassword.value
    }
    expired.value = reason
    return new Promise((resolve) => waiting.push(resolve))
  }

  stopListening?.()
  stopListening = api.onUnauthorized((failure) => lost(errorText(failure)))

  return {
    place,
    placeNeeded,
    lanDesk,
    session,
    loading,
    error,
    expired,
    caller,
    loaded,
    needsFirstClerk,
    isSupervisor,
    mustChangePassword,
    passwordInDialog,
    archiveName,
    demo,
    purposes,
    channels,
    idleMinutes,
    load,
    login,
    logout,
    changePassword,
    createFirstClerk,
    choosePlace,
    lost,
    onChange,
    onClerkLeaves,
  }
})
