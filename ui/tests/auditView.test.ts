import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as api from '../src/api/client'
import type { AuditRow } from '../src/api/types'
import { useDeskStore } from '../src/stores/desk'
import AuditView from '../src/views/AuditView.vue'
import { mountApp } from './helpers'

vi.mock('../src/api/client', async (original) => ({
  ...(await original<typeof import('../src/api/client')>()),
  auditRows: vi.fn(),
}))

function row(seq: number, overrides: Partial<AuditRow> = {}): AuditRow {
  return {
    seq,
    at: '2026-03-02 09:30:00',
    actor: 'zhangli（张丽）',
    action: 'certificate',
    target: '〔2026〕A第0001号',
    detail: '{}',
    ...overrides,
  }
}

async function mountAudit() {
  const wrapper = mountApp(AuditView, { attachTo: document.body })
  useDeskStore().session = {
    caller: { clerk_id: 1, login: 'wangzhu', display_name: '王主任', role: 'supervisor', desk: null },
    needs_first_clerk: false,
    archive_name: '清源县档案馆',
    demo: false,
    must_change_password: false,
    idle_minutes: 30,
    purposes: [],
    channels: [],
  }
  // The view loads on creation, before the session above: load as the refresh button does.
  await flushPromises()
  await wrapper.find('[data-testid="audit-refresh"]').trigger('click')
  await flushPromises()
  return wrapper
}

const lastQuery = () => vi.mocked(api.auditRows).mock.calls.at(-1)![0]

beforeEach(() => {
  vi.mocked(api.auditRows).mockReset().mockResolvedValue([row(3), row(2), row(1)])
})
afterEach(() => {
  document.body.innerHTML = ''
})

describe('audit screen', () => {
  it('shows the action in Chinese and the clerk and target whole', async () => {
    const wrapper = await mountAudit()
    expect(wrapper.find('[data-testid="audit-action"]').text()).toBe('出证')
    expect(wrapper.find('[data-testid="audit-target"]').text()).toContain('〔2026〕A第0001号')
    expect(wrapper.find('[data-testid="audit-actor"]').text()).toBe('zhangli（张丽）')
    // Neither is cut to one line with an ellipsis.
    for (const testid of ['audit-actor', 'audit-target']) {
      expect(wrapper.find(`[data-testid="${testid}"]`).element.closest('.el-tooltip')).toBeNull()
    }
  })

  it('filters by clerk, action and days, starting again at the newest row, and clears them with one click', async () => {
    const wrapper = await mountAudit()
    const actor = wrapper.find('[data-testid="audit-filter-actor"]')
    await actor.setValue('张丽')
    await actor.trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(lastQuery()).toMatchObject({ actor: '张丽', action: null, from: null, to: null, offset: 0 })

    await wrapper.find('[data-testid="audit-filter-action"] .el-select__wrapper').trigger('click')
    await flushPromises()
    ;(document.querySelector('[data-testid="audit-filter-action-option"][data-value="certificate_void"]') as HTMLElement).click()
    await flushPromises()
    expect(lastQuery()).toMatchObject({ actor: '张丽', action: 'certificate_void' })

    await wrapper.find('[data-testid="audit-filter-clear"]').trigger('click')
    await flushPromises()
    expect(lastQuery()).toMatchObject({ actor: null, action: null, from: null, to: null })
    expect(wrapper.find('[data-testid="audit-filter-clear"]').exists()).toBe(false)
  })

  it('pages on while rows go on, and says when nothing matches', async () => {
    vi.mocked(api.auditRows).mockResolvedValue(Array.from({ length: 51 }, (_, i) => row(200 - i)))
    const wrapper = await mountAudit()
    expect(lastQuery()).toMatchObject({ limit: 51, offset: 0 })
    expect(wrapper.findAll('[data-testid="audit-action"]')).toHaveLength(50)
    vi.mocked(api.auditRows).mockResolvedValue([row(150)])
    await wrapper.find('[data-testid="audit-next"]').trigger('click')
    await flushPromises()
    expect(lastQuery()).toMatchObject({ offset: 50 })
    expect(wrapper.find('[data-testid="audit-next"]').attributes('disabled')).toBeDefined()
    expect(wrapper.find('[data-testid="audit-page"]').text()).toBe('第 2 页')

    vi.mocked(api.auditRows).mockResolvedValue([])
    const actor = wrapper.find('[data-testid="audit-filter-actor"]')
    await actor.setValue('nobody')
    await actor.trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(lastQuery()).toMatchObject({ offset: 0 })
    expect(wrapper.find('[data-testid="audit-none"]').text()).toBe('没有符合筛选条件的记录')
  })
})
