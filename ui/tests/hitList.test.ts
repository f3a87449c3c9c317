import type { VueWrapper } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import type { SearchHit } from '../src/api/types'
import HitList from '../src/components/search/HitList.vue'
import { hit, mountApp } from './helpers'

const hits: SearchHit[] = [
  hit({ entry_id: 1, name: '刘建国' }),
  hit({ entry_id: 2, name: '刘建华' }),
  hit({ entry_id: null, name: null, title: '1998年工资调整文件', document_id: 11 }),
]

/// The list as SearchView uses it: the selection goes out and comes back as a prop.
function mountList(): VueWrapper {
  const wrapper: VueWrapper = mountApp(HitList, {
    props: {
      hits,
      selected: 0,
      'onUpdate:selected': (index: number) => wrapper.setProps({ selected: index }),
    },
  })
  return wrapper
}

async function press(wrapper: VueWrapper, key: string): Promise<void> {
  await wrapper.trigger('keydown', { key })
}

function selectedIndex(wrapper: VueWrapper): number {
  return wrapper.findAll('[data-testid="hit"]').findIndex((item) => item.classes('is-selected'))
}

describe('HitList', () => {
  it('moves the selection with ↓ and ↑ and shows it', async () => {
    const wrapper = mountList()
    expect(selectedIndex(wrapper)).toBe(0)
    await press(wrapper, 'ArrowDown')
    expect(selectedIndex(wrapper)).toBe(1)
    expect(wrapper.findAll('[data-testid="hit"]')[1].attributes('aria-selected')).toBe('true')
    await press(wrapper, 'ArrowUp')
    expect(selectedIndex(wrapper)).toBe(0)
  })

  it('keeps the selection within the list', async () => {
    const wrapper = mountList()
    await press(wrapper, 'ArrowUp')
    expect(selectedIndex(wrapper)).toBe(0)
    for (let i = 0; i < 5; i++) await press(wrapper, 'ArrowDown')
    expect(selectedIndex(wrapper)).toBe(2)
    // No event for a move that goes nowhere.
    const updates = wrapper.emitted('update:selected') ?? []
    expect(updates.map(([index]) => index)).toEqual([1, 2])
  })

  it('opens the selected hit with Enter', async () => {
    const wrapper = mountList()
    await press(wrapper, 'ArrowDown')
    await press(wrapper, 'Enter')
    expect(wrapper.emitted('open')).toEqual([[hits[1]]])
  })

  it('opens a clicked hit and selects it', async () => {
    const wrapper = mountList()
    await wrapper.findAll('[data-testid="hit"]')[2].trigger('click')
    expect(wrapper.emitted('open')).toEqual([[hits[2]]])
    expect(selectedIndex(wrapper)).toBe(2)
  })

  it('offers the person button only on person hits, without opening the record', async () => {
    const wrapper = mountList()
    const buttons = wrapper.findAll('[data-testid="hit-person"]')
    expect(buttons).toHaveLength(2)
    await buttons[1].trigger('click')
    expect(wrapper.emitted('person')).toEqual([[hits[1]]])
    expect(wrapper.emitted('open')).toBeUndefined()
  })

  it('shows a document hit by its title when it has no name', () => {
    const wrapper = mountList()
    const names = wrapper.findAll('[data-testid="hit-name"]').map((n) => n.text())
    expect(names).toEqual(['刘建国', '刘建华', '1998年工资调整文件'])
  })

  it('tags records that are not open', () => {
    const wrapper = mountApp(HitList, {
      props: { hits: [hit({ access: 'controlled' }), hit({ entry_id: 5, access: 'closed' }), hit({ entry_id: 6 })], selected: 0 },
    })
    const tags = wrapper.findAll('[data-testid="access-tag"]').map((t) => t.text())
    expect(tags).toEqual(['控制', '不开放'])
  })

  it('does nothing on an empty list', async () => {
    const wrapper = mountApp(HitList, { props: { hits: [], selected: 0 } })
    await wrapper.trigger('keydown', { key: 'ArrowDown' })
    await wrapper.trigger('keydown', { key: 'Enter' })
    expect(wrapper.emitted('update:selected')).toBeUndefined()
    expect(wrapper.emitted('open')).toBeUndefined()
  })
})

describe('a hit in one form', () => {
  it('shows the 档号, name and birth as the engine gives them, with what the record wrote on hover', () => {
    const wrapper = mountApp(HitList, {
      props: {
        hits: [
          hit({
            ref_code: 'J012-LS·1997-C-0003',
            name: '罗志',
            birth: '1952.02',
            originals: [
              ['ref_code', 'j012-ls・1997-c-0003'],
              ['name', '罗　志'],
              ['birth', '52.2'],
            ],
          }),
          hit({ entry_id: 2, name: '刘建华' }),
        ],
        selected: 0,
      },
    })
    const [rewritten, asWritten] = wrapper.findAll('[data-testid="hit"]')
    expect(rewritten.find('[data-testid="hit-name"]').text()).toBe('罗志')
    expect(rewritten.find('[data-testid="hit-name"]').attributes('title')).toBe('原文：罗　志')
    expect(rewritten.find('[data-testid="hit-ref"]').attributes('title')).toBe('原文：j012-ls・1997-c-0003')
    expect(rewritten.find('[data-testid="hit-birth"]').text()).toContain('1952.02')
    expect(rewritten.find('[data-testid="hit-birth"]').attributes('title')).toBe('原文：52.2')
    // Shown as written: no hover text.
    expect(asWritten.find('[data-testid="hit-name"]').attributes('title')).toBeUndefined()
  })
})
