import { describe, expect, it } from 'vitest'
import SnippetText from '../src/components/search/SnippetText.vue'
import { snippetParts } from '../src/util/snippet'
import { mountApp } from './helpers'

describe('snippetParts', () => {
  it('counts highlights in code points, so a character outside the BMP is one character', () => {
    // 𠀀 is two UTF-16 units: slicing by JS string index would cut it in half.
    const parts = snippetParts('𠀀刘建国同志', [[1, 4]])
    expect(parts).toEqual([
      { text: '𠀀', mark: false },
      { text: '刘建国', mark: true },
      { text: '同志', mark: false },
    ])
  })

  it('merges overlapping ranges, sorts them and ignores what lies outside the text', () => {
    const parts = snippetParts('王磊王力军', [
      [3, 9],
      [0, 1],
      [1, 2],
      [4, 4],
    ])
    expect(parts).toEqual([
      { text: '王磊', mark: true },
      { text: '王', mark: false },
      { text: '力军', mark: true },
    ])
  })

  it('gives the whole text unmarked when nothing is highlighted', () => {
    expect(snippetParts('清源县', [])).toEqual([{ text: '清源县', mark: false }])
  })
})

describe('SnippetText', () => {
  it('wraps the highlighted characters after a supplementary-plane character in <mark>', () => {
    const wrapper = mountApp(SnippetText, {
      props: { fragment: { field: 'name', text: '𠀀𠀀张三丰', highlights: [[2, 4]] } },
    })
    const marks = wrapper.findAll('mark')
    expect(marks).toHaveLength(1)
    expect(marks[0].text()).toBe('张三')
    expect(wrapper.text()).toContain('𠀀𠀀张三丰')
  })

  it('shows markup in the record as text, never as elements', () => {
    const wrapper = mountApp(SnippetText, {
      props: {
        fragment: { field: 'full_text', text: '<img src=x onerror=alert(1)>刘建国', highlights: [[28, 31]] },
      },
    })
    expect(wrapper.find('img').exists()).toBe(false)
    expect(wrapper.text()).toContain('<img src=x onerror=alert(1)>')
    expect(wrapper.find('mark').text()).toBe('刘建国')
  })

  it('names the field the fragment comes from', () => {
    const wrapper = mountApp(SnippetText, {
      props: { fragment: { field: 'unit', text: '化肥厂', highlights: [] } },
    })
    expect(wrapper.text()).toContain('单位')
  })
})
