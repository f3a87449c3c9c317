import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as api from '../src/api/client'
import type { UsageStats } from '../src/api/types'
import EChart from '../src/components/common/EChart.vue'
import StatsView from '../src/views/StatsView.vue'
import { mountApp } from './helpers'

vi.mock('../src/api/client', async (original) => ({
  ...(await original<typeof import('../src/api/client')>()),
  usageStats: vi.fn(),
}))

function usage(): UsageStats {
  return {
    from: '2026-01-01',
    to: '2026-03-31',
    period: 'month',
    people_served: 5,
    records_used: 7,
    pages_copied: 9,
    certificates: 3,
    certificates_voided: 1,
    answered: 4,
    found: 3,
    median_minutes_to_answer: 25,
    by_period: [{ key: '2026-02', count: 5 }],
    by_purpose: [{ key: '工龄认定', count: 5 }],
    by_channel: [{ key: '窗口', count: 5 }],
    by_category: [
      { key: '工资调整', count: 4 },
      { key: '退休审批', count: 3 },
    ],
    by_status: [
      { key: 'delivered', count: 3 },
      { key: 'not_found', count: 1 },
      { key: 'registered', count: 1 },
    ],
  }
}

afterEach(() => {
  document.body.innerHTML = ''
})

describe('statistics screen', () => {
  it('charts the category and outcome breakdowns the table has, outcomes in the clerk’s words', async () => {
    vi.mocked(api.usageStats).mockResolvedValue(usage())
    const wrapper = mountApp(StatsView, { global: { stubs: { EChart: true } } })
    await flushPromises()
    const chart = (testid: string) => {
      const found = wrapper.findAllComponents(EChart).find((c) => c.attributes('data-testid') === testid)
      const option = found?.props('option') as { yAxis: { data: string[] }; series: { data: number[] }[] }
      return option.yAxis.data.map((key, i) => [key, option.series[0].data[i]])
    }
    expect(chart('stats-chart-category')).toEqual([
      ['工资调整', 4],
      ['退休审批', 3],
    ])
    expect(chart('stats-chart-outcome')).toEqual([
      ['已交付', 3],
      ['未查到', 1],
      ['已登记', 1],
    ])
    expect(wrapper.find('[data-testid="stats-voided"] [data-testid="stats-value"]').text()).toBe('1')
    expect(wrapper.find('[data-testid="stats-certificates"] [data-testid="stats-value"]').text()).toBe('3')
  })
})
