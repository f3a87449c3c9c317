import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as api from '../src/api/client'
import type { ClerkView } from '../src/api/types'
import ClerkAdmin from '../src/components/settings/ClerkAdmin.vue'
import { confirmBox, mountApp } from './helpers'

vi.mock('../src/api/client', async (original) => ({
  ...(await original<typeof import('../src/api/client')>()),
  clerks: vi.fn(),
  changeClerk: vi.fn(),
  clearLoginDelay: vi.fn(),
}))

function clerk(overrides: Partial<ClerkView> = {}): ClerkView {
  return {
    id: 2,
    login: 'li',
    display_name: '李梅',
    role: 'clerk',
    created_at: '2026-01-05 08:00:00',
    disabled: false,
    must_change_password: false,
    failed_logins: 0,
    login_delay_seconds: null,
    ...overrides,
  }
}

const li = clerk({ failed_logins: 5, login_delay_seconds: 40 })
const zhao = clerk({ id: 3, login: 'zhao', display_name: '赵强', disabled: true, must_change_password: true })

async function mountAdmin() {
  const wrapper = mountApp(ClerkAdmin, { attachTo: document.body })
  await flushPromises()
  const row = (login: string) => wrapper.find(`[data-testid="clerk-row"][data-id="${login}"]`)
  return { wrapper, row }
}

beforeEach(() => {
  vi.mocked(api.clerks).mockReset().mockResolvedValue([li, zhao])
  vi.mocked(api.changeClerk).mockReset()
  vi.mocked(api.clearLoginDelay).mockReset()
})
afterEach(() => {
  document.body.innerHTML = ''
})

describe('accounts screen', () => {
  it('shows each account’s role, state, password to change, failed logins and delay', async () => {
    const { row } = await mountAdmin()
    const cells = (login: string) =>
      ['clerk-role', 'clerk-state', 'clerk-must-change', 'clerk-failed', 'clerk-delay'].map((id) =>
        row(login).find(`[data-testid="${id}"]`).text(),
      )
    expect(cells('li')).toEqual(['工作人员', '在用', '—', '5', '40 秒'])
    expect(cells('zhao')).toEqual(['工作人员', '已停用', '是', '0', '—'])
    // The delay can be lifted only where there is something to lift.
    expect(row('li').find('[data-testid="clerk-clear-delay"]').exists()).toBe(true)
    expect(row('zhao').find('[data-testid="clerk-clear-delay"]').exists()).toBe(false)
    expect(row('zhao').find('[data-testid="clerk-toggle-disabled"]').text()).toBe('启用')
  })

  it('disables an account after a confirmation, and makes a clerk a supervisor', async () => {
    const { row } = await mountAdmin()
    vi.mocked(api.changeClerk).mockResolvedValueOnce({ ...li, disabled: true })
    await row('li').find('[data-testid="clerk-toggle-disabled"]').trigger('click')
    expect(await confirmBox()).toContain('停用 李梅 的账号？其登录会立即结束')
    expect(api.changeClerk).toHaveBeenCalledWith({ clerk_id: 2, role: null, disabled: true, reset_password: null })
    expect(row('li').find('[data-testid="clerk-state"]').text()).toBe('已停用')

    vi.mocked(api.changeClerk).mockResolvedValueOnce({ ...li, disabled: true, role: 'supervisor' })
    await row('li').find('[data-testid="clerk-toggle-role"]').trigger('click')
    expect(await confirmBox()).toContain('将 李梅 设为主管？')
    expect(api.changeClerk).toHaveBeenLastCalledWith({ clerk_id: 2, role: 'supervisor', disabled: null, reset_password: null })
    expect(row('li').find('[data-testid="clerk-role"]').text()).toBe('主管')
  })

  it('does nothing when the confirmation is cancelled', async () => {
    const { row } = await mountAdmin()
    await row('li').find('[data-testid="clerk-toggle-disabled"]').trigger('click')
    await flushPromises()
    ;(document.querySelector('.el-message-box__btns .el-button:not(.el-button--primary)') as HTMLElement).click()
    await flushPromises()
    expect(api.changeClerk).not.toHaveBeenCalled()
  })

  it('resets a password typed twice, showing the engine’s refusal', async () => {
    const { row } = await mountAdmin()
    await row('zhao').find('[data-testid="clerk-reset-password"]').trigger('click')
    await flushPromises()
    const dialog = document.querySelector('[data-testid="reset-password-dialog"]') as HTMLElement
    const field = (testid: string, value: string) => {
      const input = dialog.querySelector(`[data-testid="${testid}"]`) as HTMLInputElement
      input.value = value
      input.dispatchEvent(new Event('input'))
    }
    const confirm = async () => {
      ;(dialog.querySelector('[data-testid="reset-confirm"]') as HTMLElement).click()
      await flushPromises()
    }
    field('reset-password', 'temp-2026-zhao')
    field('reset-password2', 'temp-2026-zha')
    await confirm()
    expect(dialog.querySelector('[data-testid="reset-error"]')?.textContent).toContain('两次输入的密码不一致')
    expect(api.changeClerk).not.toHaveBeenCalled()

    vi.mocked(api.changeClerk).mockRejectedValueOnce(new api.ApiError('invalid_request', '密码不能包含登录名'))
    field('reset-password2', 'temp-2026-zhao')
    await confirm()
    expect(dialog.querySelector('[data-testid="reset-error"]')?.textContent).toContain('密码不能包含登录名')

    vi.mocked(api.changeClerk).mockResolvedValueOnce({ ...zhao, must_change_password: true })
    field('reset-password', 'Qingyuan-0302')
    field('reset-password2', 'Qingyuan-0302')
    await confirm()
    expect(api.changeClerk).toHaveBeenLastCalledWith({ clerk_id: 3, role: null, disabled: null, reset_password: 'Qingyuan-0302' })
    expect(dialog.querySelector('[data-testid="reset-error"]')).toBeNull()
  })

  it('lifts the login delay of an account, by its login', async () => {
    const { row } = await mountAdmin()
    vi.mocked(api.clearLoginDelay).mockResolvedValue([{ ...li, failed_logins: 0, login_delay_seconds: null }, zhao])
    await row('li').find('[data-testid="clerk-clear-delay"]').trigger('click')
    await flushPromises()
    expect(api.clearLoginDelay).toHaveBeenCalledWith({ login: 'li' })
    expect(row('li').find('[data-testid="clerk-delay"]').text()).toBe('—')
    expect(row('li').find('[data-testid="clerk-clear-delay"]').exists()).toBe(false)
  })
})
