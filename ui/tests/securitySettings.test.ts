import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as api from '../src/api/client'
import SecuritySettings from '../src/components/settings/SecuritySettings.vue'
import { mountApp } from './helpers'

const NO_BACKUP = { backup_dir: null, backup_time: null, backup_keep: null, backup_passphrase: null }
/// What is sent for the settings left as they were; the proofs' retention as read.
const UNCHANGED = { ...NO_BACKUP, proof_retention_days: null }
const READ = { ...NO_BACKUP, proof_retention_days: 180 }

vi.mock('../src/api/client', async (original) => ({
  ...(await original<typeof import('../src/api/client')>()),
  deskSettings: vi.fn(),
  setDeskSettings: vi.fn(),
}))

beforeEach(() => {
  vi.mocked(api.deskSettings).mockReset().mockResolvedValue({ idle_minutes: 30, anchor_mirror_dir: null, ...READ })
  vi.mocked(api.setDeskSettings).mockReset()
})
afterEach(() => {
  document.body.innerHTML = ''
})

describe('security settings', () => {
  it('saves the idle time and the anchors’ second folder typed in a browser, showing the engine’s refusal', async () => {
    const wrapper = mountApp(SecuritySettings, { attachTo: document.body })
    await flushPromises()
    const idle = wrapper.find('[data-testid="security-idle"] input')
    expect((idle.element as HTMLInputElement).value).toBe('30')
    expect(wrapper.find('[data-testid="security-save"]').attributes('disabled')).toBeDefined()

    await wrapper.find('[data-testid="security-mirror-input"]').setValue('审计锚点')
    vi.mocked(api.setDeskSettings).mockRejectedValueOnce(
      new api.ApiError('invalid_request', '锚点的第二存放位置应为完整路径（如 D:\\审计锚点），不是「审计锚点」'),
    )
    await wrapper.find('[data-testid="security-save"]').trigger('submit')
    await flushPromises()
    // Only what changed is sent.
    expect(api.setDeskSettings).toHaveBeenCalledWith({ idle_minutes: null, anchor_mirror_dir: '审计锚点', ...UNCHANGED })
    expect(wrapper.find('[data-testid="security-error"]').text()).toContain('应为完整路径')

    await wrapper.find('[data-testid="security-mirror-input"]').setValue(' E:\\审计锚点 ')
    await idle.setValue('15')
    await idle.trigger('change')
    vi.mocked(api.setDeskSettings).mockResolvedValueOnce({ idle_minutes: 15, anchor_mirror_dir: 'E:\\审计锚点', ...READ })
    await wrapper.find('[data-testid="security-save"]').trigger('submit')
    await flushPromises()
    expect(api.setDeskSettings).toHaveBeenLastCalledWith({ idle_minutes: 15, anchor_mirror_dir: 'E:\\审计锚点', ...UNCHANGED })
    expect(wrapper.find('[data-testid="security-error"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="security-save"]').attributes('disabled')).toBeDefined()
  })
  it('saves how long proof files are kept after a request closed, and that alone', async () => {
    const wrapper = mountApp(SecuritySettings, { attachTo: document.body })
    await flushPromises()
    const days = wrapper.find('[data-testid="security-proof-retention"] input')
    expect((days.element as HTMLInputElement).value).toBe('180')
    await days.setValue('365')
    await days.trigger('change')
    vi.mocked(api.setDeskSettings).mockResolvedValueOnce({
      idle_minutes: 30,
      anchor_mirror_dir: null,
      ...NO_BACKUP,
      proof_retention_days: 365,
    })
    await wrapper.find('[data-testid="security-save"]').trigger('submit')
    await flushPromises()
    expect(api.setDeskSettings).toHaveBeenCalledWith({
      idle_minutes: null,
      anchor_mirror_dir: null,
      ...NO_BACKUP,
      proof_retention_days: 365,
    })
    expect(wrapper.find('[data-testid="security-save"]').attributes('disabled')).toBeDefined()
  })
})
