import { describe, expect, it } from 'vitest'
import FacetFilters from '../src/components/search/FacetFilters.vue'
import { mountApp } from './helpers'

const facets = {
  category: [
    { value: '工资调整', count: 12 },
    { value: '退休审批', count: 3 },
  ],
  year: [
    { value: '1998', count: 9 },
    { value: '1999', count: 6 },
  ],
}

function mountFilters(props: Partial<{ category: string | null; yearFrom: number | null; yearTo: number | null; hasFilters: boolean }> = {}) {
  return mountApp(FacetFilters, {
    props: { facets, category: null, yearFrom: null, yearTo: null, hasFilters: false, ...props },
  })
}

describe('FacetFilters', () => {
  it('shows each facet with its count', () => {
    const items = mountFilters().findAll('[data-testid="facet-category"]')
    expect(items.map((i) => i.text())).toEqual(['工资调整12', '退休审批3'])
  })

  it('chooses a category, and lifts it when clicked again', async () => {
    const wrapper = mountFilters({ category: '工资调整', hasFilters: true })
    const [chosen, other] = wrapper.findAll('[data-testid="facet-category"]')
    expect(chosen.classes()).toContain('active')
    await chosen.trigger('click')
    await other.trigger('click')
    expect(wrapper.emitted('category')).toEqual([[null], ['退休审批']])
  })

  it('chooses a year as a number', async () => {
    const wrapper = mountFilters()
    await wrapper.findAll('[data-testid="facet-year"]')[1].trigger('click')
    expect(wrapper.emitted('year')).toEqual([[1999]])
  })

  it('sends typed years as a range, ignoring what is not a year', async () => {
    const wrapper = mountFilters()
    await wrapper.find('[data-testid="year-from"]').setValue('1990')
    await wrapper.find('[data-testid="year-to"]').setValue('19x')
    expect(wrapper.emitted('range')?.at(-1)).toEqual([1990, null])
    await wrapper.find('[data-testid="year-to"]').setValue('1995')
    expect(wrapper.emitted('range')?.at(-1)).toEqual([1990, 1995])
  })

  it('offers to clear only when a filter is set', async () => {
    expect(mountFilters().find('[data-testid="clear-filters"]').exists()).toBe(false)
    const wrapper = mountFilters({ yearFrom: 1998, yearTo: 1998, hasFilters: true })
    expect(wrapper.findAll('[data-testid="facet-year"]')[0].classes()).toContain('active')
    await wrapper.find('[data-testid="clear-filters"]').trigger('click')
    expect(wrapper.emitted('clear')).toHaveLength(1)
  })
})
