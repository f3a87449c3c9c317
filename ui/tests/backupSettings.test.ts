import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as api from '../src/api/client'
import BackupSettings from '../src/components/settings/BackupSettings.vue'
import { mountApp } from './helpers'

vi.mock('../src/api/client', async (original) => ({
  ...(await original<typeof import('../src/api/client')>()),
  backupStatus: vi.fn(),
  backupNow: vi.fn(),
  setDeskSettings: vi.fn(),
}))

const NONE = {
  folder: null,
  time: null,
  keep: 7,
  encrypted: false,
  last_folder: null,
  last_at: null,
  last_problem: null,
}

beforeEach(() => {
  vi.mocked(api.backupStatus).mockReset().mockResolvedValue(NONE)
  vi.mocked(api.backupNow).mockReset()
  vi.mocked(api.setDeskSettings).mockReset()
})
afterEach(() => {
  document.body.innerHTML = ''
})

describe('backup settings', () => {
  it('sets the daily backup with a passphrase that is never shown again, then backs up at once', async () => {
    const wrapper = mountApp(BackupSettings, { attachTo: document.body })
    await flushPromises()
    expect(wrapper.find('[data-testid="backup-last"]').text()).toContain('还没有备份过')
    expect(wrapper.find('[data-testid="backup-now"]').attributes('disabled')).toBeDefined()

    await wrapper.find('[data-testid="backup-folder-input"]').setValue('E:\\档案备份')
    await wrapper.find('[data-testid="backup-passphrase"]').setValue('柜台备份密码2026')
    const saved = { ...NONE, folder: 'E:\\档案备份', time: '18:00', encrypted: true }
    vi.mocked(api.setDeskSettings).mockResolvedValueOnce({
      idle_minutes: 30,
      anchor_mirror_dir: null,
      backup_dir: 'E:\\档案备份',
      backup_time: '18:00',
      backup_keep: 7,
      backup_passphrase: null,
      proof_retention_days: 180,
    })
    vi.mocked(api.backupStatus).mockResolvedValueOnce(saved)
    await wrapper.find('[data-testid="backup-save"]').trigger('submit')
    await flushPromises()
    expect(api.setDeskSettings).toHaveBeenCalledWith({
      idle_minutes: null,
      anchor_mirror_dir: null,
      backup_dir: 'E:\\档案备份',
      backup_time: '18:00',
      backup_keep: 7,
      backup_passphrase: '柜台备份密码2026',
      proof_retention_days: null,
    })
    const field = wrapper.find('[data-testid="backup-passphrase"]').element as HTMLInputElement
    expect(field.value).toBe('')
    expect(wrapper.text()).toContain('已设密码')

    vi.mocked(api.backupNow).mockRejectedValueOnce(
      new api.ApiError('disk_full', '备份没有完成：备份文件夹「E:\\档案备份」所在磁盘已满；不完整的备份已删除，档案库没有改动'),
    )
    await wrapper.find('[data-testid="backup-now"]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid="backup-error"]').text()).toContain('磁盘已满')

    vi.mocked(api.backupNow).mockResolvedValueOnce({
      folder: 'E:\\档案备份\\archivedesk-backup-20261206-180000',
      taken_at: '2026-12-06 18:00:00',
      encrypted: true,
      bytes: 1000,
      counts: { documents: 1, entries: 2, pages: 0, requests: 0, certificates: 0, clerks: 1, audit_rows: 5 },
      removed: [],
    })
    vi.mocked(api.backupStatus).mockResolvedValueOnce({
      ...saved,
      last_at: '2026-12-06 18:00:00',
      last_folder: 'E:\\档案备份\\archivedesk-backup-20261206-180000',
    })
    await wrapper.find('[data-testid="backup-now"]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid="backup-last"]').text()).toContain('2026-12-06 18:00:00')
    expect(wrapper.find('[data-testid="backup-error"]').exists()).toBe(false)
  })
})
