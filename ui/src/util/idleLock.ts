import { computed, onBeforeUnmount, onMounted, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import { useDeskStore } from '../stores/desk'

/// Input that shows someone is at the counter PC.
const ACTIVITY = ['keydown', 'mousedown', 'mousemove', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const

/// Asks for the login again, over a covered screen, after the engine's idle minutes without
/// input: the engine notices only at the next request, and until then an unattended counter PC
/// would show the open record, the search results and the request to whoever passes by.
export function useIdleLock(): void {
  const desk = useDeskStore()
  const { t } = useI18n()
  /// The idle time in ms while a clerk works at the desk; null while nobody is, or while the
  /// login is asked for already.
  const limit = computed(() =>
    desk.caller !== null && desk.expired === null && desk.idleMinutes > 0 ? desk.idleMinutes * 60_000 : null,
  )
  // Input only notes the time (the mouse moves many times a second); the timer looks at it when
  // it is due and waits again for what is left.
  let lastInput = Date.now()
  let timer: ReturnType<typeof setTimeout> | undefined

  function noteInput(): void {
    lastInput = Date.now()
  }

  function stop(): void {
    clearTimeout(timer)
    timer = undefined
  }

  function due(): void {
    timer = undefined
    if (limit.value === null) return
    const left = lastInput + limit.value - Date.now()
    if (left > 0) timer = setTimeout(due, left)
    else void desk.lost(t('desk.idleEnded', { minutes: desk.idleMinutes }))
  }

  // A clerk starts (a login, or the login given again): the idle time counts from now.
  watch(
    limit,
    (next) => {
      stop()
      if (next === null) return
      noteInput()
      due()
    },
    { immediate: true },
  )

  onMounted(() => {
    for (const type of ACTIVITY) window.addEventListener(type, noteInput, { capture: true, passive: true })
  })
  onBeforeUnmount(() => {
    stop()
    for (const type of ACTIVITY) window.removeEventListener(type, noteInput, { capture: true })
  })
}
