import { describe, expect, it } from 'vitest'
import SearchBox from '../src/components/search/SearchBox.vue'
import { mountApp } from './helpers'

function mountBox(value = '') {
  return mountApp(SearchBox, { props: { modelValue: value }, attachTo: document.body })
}

describe('SearchBox', () => {
  it('takes the focus when it appears', () => {
    const wrapper = mountBox()
    expect(document.activeElement).toBe(wrapper.find('[data-testid="search-input"]').element)
    wrapper.unmount()
  })

  it('hands ↑, ↓ and Enter to the result list', async () => {
    const wrapper = mountBox('刘')
    const input = wrapper.find('[data-testid="search-input"]')
    await input.trigger('keydown', { key: 'ArrowDown' })
    await input.trigger('keydown', { key: 'ArrowUp' })
    await input.trigger('keydown', { key: 'Enter' })
    await input.trigger('keydown', { key: 'a' })
    expect(wrapper.emitted('navigate')).toEqual([['down'], ['up'], ['enter']])
    wrapper.unmount()
  })

  it('leaves the keys to the input method while it composes Chinese', async () => {
    const wrapper = mountBox()
    const input = wrapper.find('[data-testid="search-input"]')
    await input.trigger('keydown', { key: 'Enter', isComposing: true })
    await input.trigger('keydown', { key: 'ArrowDown', keyCode: 229 })
    expect(wrapper.emitted('navigate')).toBeUndefined()
    wrapper.unmount()
  })

  it('clears the box with Escape', async () => {
    const wrapper = mountBox('王磊')
    await wrapper.find('[data-testid="search-input"]').trigger('keydown', { key: 'Escape' })
    expect(wrapper.emitted('update:modelValue')).toEqual([['']])
    wrapper.unmount()
  })
})
