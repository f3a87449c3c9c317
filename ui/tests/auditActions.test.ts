import { afterEach, describe, expect, it } from 'vitest'
import { i18n } from '../src/i18n'
import { AUDIT_ACTIONS, auditActionLabel, auditDetailText, auditTargetText } from '../src/util/auditActions'

afterEach(() => {
  i18n.global.locale.value = 'zh-CN'
})

describe('audit action labels', () => {
  it('names every recorded action in the clerk’s words', () => {
    i18n.global.locale.value = 'zh-CN'
    const labels = Object.fromEntries(AUDIT_ACTIONS.map((a) => [a, auditActionLabel(a)]))
    expect(labels).toEqual({
      search: '查询',
      view_record: '查看档案',
      reveal: '显示完整',
      open_restricted: '调阅控制档案',
      register: '登记',
      attach: '添加档案',
      redact: '遮盖',
      request_status: '登记状态',
      certificate: '出证',
      verify: '核验证明',
      import: '导入',
      login: '登录',
      login_failed: '登录失败',
      clerk_create: '新增账号',
      audit_export: '导出链头',
      export_usage: '导出统计',
      logout: '退出登录',
      login_slowed: '登录被限制',
      login_delay: '登录限制',
      login_delay_cleared: '解除登录限制',
      clerk_change: '修改账号',
      password_change: '修改密码',
      settings: '修改设置',
      cover_confirmed: '确认已遮盖',
      cover_override: '不遮盖出证',
      view_request: '查看登记',
      search_register: '查询登记',
      certificate_view: '查看证明',
      view_person: '查看人员',
      decide_person: '人员确认',
      view_pages: '查看扫描页',
      certificate_preview: '预览证明',
      certificate_void: '作废证明',
      request_remove: '移除档案',
      desk_enrolled: '柜台配对',
      desk_revoked: '撤销柜台',
      pairing_attempt: '使用配对码',
      history_merged: '并入另一台电脑的记录',
      peer_added: '添加跨馆档案馆',
      peer_removed: '删除跨馆档案馆',
      peer_list_imported: '导入档案馆名单',
      peer_asked: '向其他档案馆查询',
      peer_answers: '其他档案馆的回答',
      peer_answered: '回答其他档案馆的查询',
      peer_refused: '拒绝其他档案馆的连接',
      proof_added: '添加证明材料',
      view_proof: '查看证明材料',
      proof_removed: '删除证明材料',
      proof_expired: '删除保存期满的证明材料',
      cross_sent: '发送跨馆查档申请',
      cross_status: '收到跨馆申请的办理情况',
      cross_received: '收到跨馆查档申请',
      cross_step: '跨馆协办办理',
      view_cross_inbox: '查看跨馆协办',
      calendar: '修改工作日历',
    })
  })

  it('has an English label for every action, and shows an unknown action as recorded', () => {
    i18n.global.locale.value = 'en'
    expect(auditActionLabel('reveal')).toBe('Show in full')
    for (const action of AUDIT_ACTIONS) expect(auditActionLabel(action)).not.toBe(action)
    expect(auditActionLabel('purge_everything')).toBe('purge_everything')
  })

  it('reads the recorded details and target in words', () => {
    i18n.global.locale.value = 'zh-CN'
    expect(auditDetailText('{"reason":"核对工资","entry_id":12,"own_record":true,"pages":[1,2]}')).toBe(
      '事由：核对工资；条目：12；本人记录：是；页：1、2',
    )
    expect(auditDetailText('{"status":"delivered","access":"controlled","role":"supervisor"}')).toBe(
      '状态：已交付；开放标识：控制；角色：主管',
    )
    expect(auditDetailText('{"why":"handshake_failed"}')).toBe('原因：证书与密钥不符（安全连接未建立）')
    expect(auditDetailText('{"why":"自定义原因"}')).toBe('原因：自定义原因')
    expect(auditDetailText('not json')).toBe('not json')
    expect(auditTargetText('request:7')).toBe('登记 7')
    expect(auditTargetText(null)).toBe('—')
    expect(auditTargetText('something')).toBe('something')
  })
})
