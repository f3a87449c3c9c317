import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import CategoryPicker from '../src/components/import/CategoryPicker.vue'
import { similarCategory } from '../src/util/categories'
import { mountApp } from './helpers'

const KNOWN = ['工资调整', '退休审批', '招工录用']

function mountPicker(known: string[] = KNOWN) {
  const wrapper = mountApp(CategoryPicker, {
    props: {
      modelValue: '',
      known,
      'onUpdate:modelValue': (value: string) => wrapper.setProps({ modelValue: value }),
    },
    attachTo: document.body,
  }) as VueWrapper
  return wrapper
}

/// Clicks an option of the open select (Element Plus renders them into the body).
async function pick(wrapper: VueWrapper, selector: string): Promise<void> {
  await wrapper.find('[data-testid="import-category"]').trigger('click')
  await flushPromises()
  ;(document.querySelector(selector) as HTMLElement).click()
  await flushPromises()
}

afterEach(() => {
  document.body.innerHTML = ''
})

describe('a near miss of a category', () => {
  it('is a slip of one character, of width or spaces, or a part of an existing category', () => {
    expect(similarCategory('工资调正', KNOWN)).toBe('工资调整')
    expect(similarCategory('工资 调整 ', KNOWN)).toBe('工资调整')
    expect(similarCategory('退休审', KNOWN)).toBe('退休审批')
    expect(similarCategory('招工录用审批表', KNOWN)).toBe('招工录用')
  })

  it('is nothing for a category new in earnest, an existing one, or a single character', () => {
    expect(similarCategory('落实政策', KNOWN)).toBeNull()
    expect(similarCategory('工资调整', KNOWN)).toBeNull()
    expect(similarCategory('工', KNOWN)).toBeNull()
    expect(similarCategory('', KNOWN)).toBeNull()
  })
})

describe('the 类别 picker', () => {
  it('chooses from the archive’s categories', async () => {
    const wrapper = mountPicker()
    expect(wrapper.find('[data-testid="import-category-new"]').exists()).toBe(false)
    await pick(wrapper, '[data-testid="import-category-option"][data-value="退休审批"]')
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual(['退休审批'])
  })

  it('adds a new category only on purpose, and offers the existing one for a near miss', async () => {
    const wrapper = mountPicker()
    await pick(wrapper, '[data-testid="import-category-new-option"]')
    const typed = wrapper.find('[data-testid="import-category-new"]')
    expect(typed.exists()).toBe(true)

    await typed.setValue('工资调正')
    expect(wrapper.find('[data-testid="import-category-near-miss"]').text()).toContain('与已有类别「工资调整」相近')
    expect(wrapper.find('[data-testid="import-category-will-add"]').exists()).toBe(false)
    await wrapper.find('[data-testid="import-category-use-known"]').trigger('click')
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual(['工资调整'])
    expect(wrapper.find('[data-testid="import-category-new"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="import-category"]').exists()).toBe(true)

    await pick(wrapper, '[data-testid="import-category-new-option"]')
    await wrapper.find('[data-testid="import-category-new"]').setValue('落实政策')
    expect(wrapper.find('[data-testid="import-category-will-add"]').text()).toBe('将新建类别「落实政策」')
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual(['落实政策'])
  })

  it('asks for the name straight away in an archive that has no category yet', () => {
    const wrapper = mountPicker([])
    expect(wrapper.find('[data-testid="import-category"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="import-category-new"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="import-category-back"]').exists()).toBe(false)
  })
})
