import { describe, expect, it } from 'vitest'
import { fillPeriods, formatMinutes, foundRate, thisYear } from '../src/util/stats'

describe('usage statistics helpers', () => {
  it('defaults to this year up to today', () => {
    expect(thisYear(new Date(2026, 2, 5))).toEqual(['2026-01-01', '2026-03-05'])
  })

  it('gives the found rate of answered requests, and none before any answer', () => {
    expect(foundRate(3, 4)).toBe('75%')
    expect(foundRate(2, 3)).toBe('66.7%')
    expect(foundRate(0, 0)).toBe('—')
  })

  it('says a median time in minutes, hours or days', () => {
    expect(formatMinutes(null)).toBe('—')
    expect(formatMinutes(25.4)).toBe('25 分钟')
    expect(formatMinutes(185)).toBe('3 小时 5 分钟')
    expect(formatMinutes(3120)).toBe('2 天 4 小时')
  })

  it('gives every month of the range a bar, at zero when nothing happened', () => {
    expect(fillPeriods([{ key: '2026-03', count: 4 }], '2026-01-01', '2026-04-15', 'month')).toEqual([
      { key: '2026-01', count: 0 },
      { key: '2026-02', count: 0 },
      { key: '2026-03', count: 4 },
      { key: '2026-04', count: 0 },
    ])
    expect(fillPeriods([], '2024-06-01', '2026-01-01', 'year').map((c) => c.key)).toEqual(['2024', '2025', '2026'])
    expect(fillPeriods([{ key: '2026-01-02', count: 1 }], '2026-01-01', '2026-01-03', 'day')).toEqual([
      { key: '2026-01-01', count: 0 },
      { key: '2026-01-02', count: 1 },
      { key: '2026-01-03', count: 0 },
    ])
  })
})
