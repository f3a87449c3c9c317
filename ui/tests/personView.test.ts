import { flushPromises } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import * as api from '../src/api/client'
import type { PersonTimeline } from '../src/api/types'
import PersonView from '../src/views/PersonView.vue'
import { event, mountApp } from './helpers'

vi.mock('../src/api/client', async (original) => ({
  ...(await original<typeof import('../src/api/client')>()),
  person: vi.fn(),
  decidePerson: vi.fn(),
}))

function timeline(overrides: Partial<PersonTimeline> = {}): PersonTimeline {
  return {
    name: '刘建国',
    gender: '男',
    birth: '1956.07',
    id_masked: '431128********7181',
    events: [event({ entry_id: 1 }), event({ entry_id: 2, confidence: 'medium', join: 'name_birth' })],
    service: null,
    possible_matches: [event({ entry_id: 5, confidence: 'low', join: 'name_only' })],
    originals: [],
    ...overrides,
  }
}

async function mountAt(path: string) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/person', name: 'person', component: PersonView },
      { path: '/record/:documentId', name: 'record', component: { template: '<div />' } },
    ],
  })
  await router.push(path)
  const wrapper = mountApp(PersonView, { global: { plugins: [router] } })
  await flushPromises()
  return { wrapper, router }
}

beforeEach(() => {
  vi.mocked(api.person).mockReset()
  vi.mocked(api.decidePerson).mockReset()
})

describe('PersonView', () => {
  it('asks for the person the address names', async () => {
    vi.mocked(api.person).mockResolvedValue(timeline())
    const { wrapper } = await mountAt('/person?name=刘建国&birth=1956-07')
    expect(api.person).toHaveBeenCalledWith({ entry_id: null, id_number: null, name: '刘建国', birth: '1956-07', request_id: null })
    expect(wrapper.find('[data-testid="timeline-name"]').text()).toBe('刘建国')
    expect(wrapper.findAll('[data-testid="timeline-event"]')).toHaveLength(2)
    expect(wrapper.findAll('[data-testid="possible-match"]')).toHaveLength(1)
  })

  it('sends a decision with the person request and shows the timeline it answers', async () => {
    vi.mocked(api.person).mockResolvedValue(timeline())
    vi.mocked(api.decidePerson).mockResolvedValue(
      timeline({ events: [event({ entry_id: 1 }), event({ entry_id: 2 }), event({ entry_id: 5, confidence: 'confirmed' })], possible_matches: [] }),
    )
    const { wrapper } = await mountAt('/person?entry=1')
    await wrapper.find('[data-testid="match-add"]').trigger('click')
    await flushPromises()

    expect(api.decidePerson).toHaveBeenCalledWith({
      person: { entry_id: 1, id_number: null, name: null, birth: null, request_id: null },
      entry_id: 5,
      action: 'add',
    })
    expect(wrapper.findAll('[data-testid="timeline-event"]')).toHaveLength(3)
    expect(wrapper.find('[data-testid="possible-match"]').exists()).toBe(false)
  })

  it('opens the record of an event', async () => {
    vi.mocked(api.person).mockResolvedValue(timeline())
    const { wrapper, router } = await mountAt('/person?entry=1')
    await wrapper.findAll('[data-testid="timeline-event"]')[1].find('.title').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/record/10?entry=2')
    // Leaving for the record is not a new person to ask for.
    expect(api.person).toHaveBeenCalledTimes(1)
  })

  it('asks for nothing when the address names no one', async () => {
    const { wrapper } = await mountAt('/person')
    expect(api.person).not.toHaveBeenCalled()
    expect(wrapper.text()).toContain('请从查询结果中选择一个人')
  })
})
