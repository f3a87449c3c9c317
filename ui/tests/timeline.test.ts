import { describe, expect, it } from 'vitest'
import PossibleMatches from '../src/components/person/PossibleMatches.vue'
import ServiceYears from '../src/components/person/ServiceYears.vue'
import TimelineEvents from '../src/components/person/TimelineEvents.vue'
import { event, mountApp } from './helpers'

// Given deliberately out of date order: the engine decides the order, the list keeps it.
const events = [
  event({ entry_id: 3, date: '1998.07', kind: 'wage_adjustment', confidence: 'high' }),
  event({ entry_id: 1, date: '1975.03', kind: 'hired', confidence: 'medium', join: 'name_birth' }),
  event({ entry_id: 7, date: '2016.05', kind: 'retirement', confidence: 'confirmed', join: 'confirmed', retirement: '2016.05' }),
  event({ entry_id: 9, date: '1985', kind: 'record', confidence: 'low', join: 'name_only' }),
]

function mountEvents() {
  return mountApp(TimelineEvents, { props: { events, busy: false } })
}

describe('TimelineEvents', () => {
  it('lists the events in the order given', () => {
    const items = mountEvents().findAll('[data-testid="timeline-event"]')
    expect(items.map((i) => i.attributes('data-entry-id'))).toEqual(['3', '1', '7', '9'])
    expect(items[1].text()).toContain('1975.03')
  })

  it('names each kind of event in Chinese', () => {
    const kinds = mountEvents().findAll('[data-testid="event-kind"]').map((k) => k.text())
    expect(kinds).toEqual(['工资调整', '招工录用', '退休', '其他'])
  })

  it('tags the join confidence by colour and words', () => {
    const tags = mountEvents().findAll('[data-testid="confidence"]')
    expect(tags.map((t) => t.text())).toEqual(['身份证号一致', '姓名+出生年月一致', '已确认', '仅姓名相同'])
    expect(tags[0].classes()).toContain('el-tag--success')
    expect(tags[1].classes()).toContain('el-tag--warning')
    expect(tags[3].classes()).toContain('el-tag--danger')
  })

  it('offers confirm and split only where the join is uncertain', async () => {
    const wrapper = mountEvents()
    const items = wrapper.findAll('[data-testid="timeline-event"]')
    const hasButtons = items.map((i) => i.find('[data-testid="event-split"]').exists())
    expect(hasButtons).toEqual([false, true, false, true])

    await items[1].find('[data-testid="event-split"]').trigger('click')
    await items[1].find('[data-testid="event-confirm"]').trigger('click')
    expect(wrapper.emitted('decide')).toEqual([
      [events[1], 'split'],
      [events[1], 'confirm'],
    ])
  })

  it('shows wages before and after', () => {
    const first = mountEvents().findAll('[data-testid="timeline-event"]')[0]
    expect(first.find('[data-testid="event-wage"]').text()).toBe('工资 312 → 356')
  })
})

describe('ServiceYears', () => {
  it('shows the length of service marked 参考 with its range and basis', () => {
    const wrapper = mountApp(ServiceYears, {
      props: {
        service: { from: '1975.03', to: '2016.05', years: 41, months: 2, label: '参考', basis: '招工录用至退休' },
      },
    })
    expect(wrapper.find('[data-testid="service-label"]').text()).toBe('参考')
    expect(wrapper.text()).toContain('41 年 2 个月')
    expect(wrapper.text()).toContain('1975.03 至 2016.05')
    expect(wrapper.text()).toContain('招工录用至退休')
  })

  it('says so when the records do not allow a computation', () => {
    const wrapper = mountApp(ServiceYears, { props: { service: null } })
    expect(wrapper.find('[data-testid="service-label"]').exists()).toBe(false)
    expect(wrapper.text()).toContain('不足以推算工龄')
  })
})

describe('PossibleMatches', () => {
  it('adds a same-name record only when the clerk says so', async () => {
    const match = event({ entry_id: 12, confidence: 'low', join: 'name_only' })
    const wrapper = mountApp(PossibleMatches, { props: { matches: [match], busy: false } })
    expect(wrapper.text()).toContain('可能是同一人（未合并）')
    expect(wrapper.emitted('add')).toBeUndefined()
    await wrapper.find('[data-testid="match-add"]').trigger('click')
    expect(wrapper.emitted('add')).toEqual([[match]])
  })
})
