import { i18n } from '../i18n'

const pad = (n: number) => String(n).padStart(2, '0')

/// YYYY-MM-DD of a day, in local time (the archive's days are local days).
export function dayText(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

/// From the first of January to today: the default statistics period.
export function thisYear(today: Date = new Date()): [string, string] {
  return [`${today.getFullYear()}-01-01`, dayText(today)]
}

/// 查到率 = found / answered, as a percentage with one decimal; — when nothing was answered.
export function foundRate(found: number, answered: number): string {
  if (answered <= 0) return '—'
  const percent = Math.round((found / answered) * 1000) / 10
  return `${percent}%`
}

/// A span of minutes as the clerk says it: 25 分钟, 3 小时 5 分钟, 2 天 4 小时.
export function formatMinutes(minutes: number | null): string {
  const t = i18n.global.t
  if (minutes === null || !Number.isFinite(minutes)) return '—'
  const total = Math.round(minutes)
  if (total < 60) return t('stats.minutes', { minutes: total })
  const hours = Math.floor(total / 60)
  if (hours < 24) return t('stats.hours', { hours, minutes: total % 60 })
  return t('stats.days', { days: Math.floor(hours / 24), hours: hours % 24 })
}

/// Periods with no request are not in the engine's counts: every day, month or year from `from`
/// to `to` gets its bar, at zero when nothing happened. Over ~3 years of days the range is left
/// as counted (so many bars say nothing).
export function fillPeriods(
  counts: ReadonlyArray<{ key: string; count: number }>,
  from: string,
  to: string,
  period: string,
): Array<{ key: string; count: number }> {
  const width = period === 'day' ? 10 : period === 'year' ? 4 : 7
  const start = new Date(`${from.slice(0, 10)}T00:00:00`)
  const end = new Date(`${to.slice(0, 10)}T00:00:00`)
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || start > end) return [...counts]
  const keys: string[] = []
  const at = new Date(start)
  while (at <= end && keys.length <= 1100) {
    const key = dayText(at).slice(0, width)
    if (keys[keys.length - 1] !== key) keys.push(key)
    if (period === 'year') at.setFullYear(at.getFullYear() + 1, 0, 1)
    else if (period === 'day') at.setDate(at.getDate() + 1)
    else at.setMonth(at.getMonth() + 1, 1)
  }
  if (keys.length > 1100) return [...counts]
  const known = new Map(counts.map((c) => [c.key, c.count]))
  const filled = keys.map((key) => ({ key, count: known.get(key) ?? 0 }))
  // A count outside the range (clock skew) is kept rather than dropped.
  for (const c of counts) if (!keys.includes(c.key)) filled.push({ key: c.key, count: c.count })
  return filled.sort((a, b) => a.key.localeCompare(b.key))
}
