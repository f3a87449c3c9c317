import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as api from '../src/api/client'
import type { LookupRequestView } from '../src/api/types'
import RequestForm from '../src/components/register/RequestForm.vue'
import { fieldOfMessage } from '../src/util/requestForm'
import { mountApp } from './helpers'

vi.mock('../src/api/client', async (original) => ({
  ...(await original<typeof import('../src/api/client')>()),
  registerRequest: vi.fn(),
}))

const PURPOSES = ['退休待遇核定', '工龄认定', '其他']
const CHANNELS = ['窗口', '代查代送', '跨馆', '线上']

function mountForm(prefillName: string | null = null) {
  return mountApp(RequestForm, {
    props: { purposes: PURPOSES, channels: CHANNELS, prefillName },
    attachTo: document.body,
  }) as VueWrapper
}

/// The element with the test id, or the input inside it.
function input(wrapper: VueWrapper, testid: string) {
  const found = wrapper.find(`[data-testid="${testid}"]`)
  if (['INPUT', 'TEXTAREA'].includes(found.element.tagName)) return found
  return found.find('input, textarea')
}

async function choose(wrapper: VueWrapper, testid: string): Promise<void> {
  await input(wrapper, testid).setValue(true)
}

/// Element Plus shows a field's error after a short debounce.
async function settled(): Promise<void> {
  await flushPromises()
  await new Promise((resolve) => setTimeout(resolve, 150))
  await flushPromises()
}

beforeEach(() => {
  vi.mocked(api.registerRequest).mockReset()
})
afterEach(() => {
  document.body.innerHTML = ''
})

describe('new-request form', () => {
  it('checks the ID number as it is typed: quiet while incomplete, the expected check digit when wrong', async () => {
    const wrapper = mountForm()
    const id = input(wrapper, 'request-form-id')
    const check = () => wrapper.find('[data-testid="request-form-id-check"]')

    await id.setValue('4311281956')
    expect(check().attributes('data-status')).toBe('incomplete')
    expect(check().classes()).not.toContain('wrong')
    expect(check().text()).toBe('已输入 10 位')

    await id.setValue('431128195607151239')
    expect(check().attributes('data-status')).toBe('bad_check')
    expect(check().classes()).toContain('wrong')
    expect(check().text()).toBe('校验位不符：最后一位应为 1')

    await id.setValue('431128195607151231')
    expect(check().attributes('data-status')).toBe('valid18')
    expect(check().classes()).toContain('ok')
    expect(check().text()).toBe('校验通过')

    await id.setValue('431128560715123')
    expect(check().text()).toBe('15 位旧号码，对应 18 位：431128195607151231')
  })

  it('shows the proxy’s fields, the organisation and the purpose note only when they apply', async () => {
    const wrapper = mountForm()
    expect(wrapper.find('[data-testid="request-form-proxy-name"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="request-form-unit"]').exists()).toBe(false)

    await choose(wrapper, 'request-form-rel-proxy')
    expect(wrapper.find('[data-testid="request-form-proxy-name"]').exists()).toBe(true)
    await input(wrapper, 'request-form-proxy-id').setValue('11010519491231002X')
    expect(wrapper.find('[data-testid="request-form-proxy-id-check"]').text()).toBe('校验通过')

    await choose(wrapper, 'request-form-rel-unit')
    expect(wrapper.find('[data-testid="request-form-proxy-name"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="request-form-unit"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="request-form-purpose-note"]').exists()).toBe(false)
  })

  it('shows the engine’s refusal in Chinese, on the form and on the field it names', async () => {
    vi.mocked(api.registerRequest).mockRejectedValue(
      new api.ApiError('invalid_request', '查档人身份证号「431128195607151239」无效：校验位不符（GB 11643-1999）'),
    )
    const wrapper = mountForm()
    await input(wrapper, 'request-form-name').setValue('刘建国')
    await input(wrapper, 'request-form-id').setValue('431128195607151239')
    await wrapper.find('[data-testid="request-form-submit"]').trigger('submit')
    await settled()

    const alert = wrapper.find('[data-testid="request-form-error"]')
    expect(alert.exists()).toBe(true)
    expect(alert.text()).toContain('查档人身份证号「431128195607151239」无效：校验位不符')
    // The ID field is marked, and its own check gives way to the engine's message.
    const idItem = wrapper.find('[data-testid="request-form-id"]').element.closest('.el-form-item')!
    expect(idItem.classList.contains('is-error')).toBe(true)
    expect(idItem.textContent).toContain('校验位不符（GB 11643-1999）')
    expect(wrapper.find('[data-testid="request-form-id-check"]').exists()).toBe(false)

    // Correcting the field clears the refusal.
    await input(wrapper, 'request-form-id').setValue('431128195607151231')
    await settled()
    expect(wrapper.find('[data-testid="request-form-error"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="request-form-id-check"]').text()).toBe('校验通过')

    // The caret went to the field the refusal names.
    expect(document.activeElement).toBe(input(wrapper, 'request-form-id').element)

    // A missing purpose marks the purpose field.
    vi.mocked(api.registerRequest).mockRejectedValue(new api.ApiError('invalid_request', '请填写利用目的'))
    await wrapper.find('[data-testid="request-form-submit"]').trigger('submit')
    await settled()
    expect(wrapper.find('[data-testid="request-form-error"]').text()).toContain('请填写利用目的')
    const purposeItem = wrapper.find('[data-testid="request-form-purpose"]').element.closest('.el-form-item')!
    expect(purposeItem.classList.contains('is-error')).toBe(true)
    expect(idItem.classList.contains('is-error')).toBe(false)
  })

  it('sends only the fields the relationship uses, trimmed, and says who was registered', async () => {
    const registered = { id: 9, requester_name: '刘建国' } as LookupRequestView
    vi.mocked(api.registerRequest).mockResolvedValue(registered)
    const wrapper = mountForm('刘建国')
    expect(input(wrapper, 'request-form-name').element).toHaveProperty('value', '刘建国')
    expect(wrapper.find('[data-testid="request-form-prefilled"]').exists()).toBe(true)

    await input(wrapper, 'request-form-id').setValue(' 431128195607151231 ')
    await input(wrapper, 'request-form-sought').setValue('1998年工资调整')
    await wrapper.find('[data-testid="request-form-submit"]').trigger('submit')
    await flushPromises()

    expect(api.registerRequest).toHaveBeenCalledWith({
      requester_name: '刘建国',
      requester_id: '431128195607151231',
      requester_phone: null,
      relationship: 'self',
      proxy_name: null,
      proxy_id: null,
      proxy_phone: null,
      unit_name: null,
      purpose: '',
      purpose_note: null,
      channel: '窗口',
      delivery: null,
      sought: '1998年工资调整',
    })
    expect(wrapper.emitted('registered')?.[0]).toEqual([registered])
  })

  it('finds the field an error message names, longest name first', () => {
    expect(fieldOfMessage('请填写利用目的说明')).toBe('purpose_note')
    expect(fieldOfMessage('利用目的「旅游」不在可选项中（…）')).toBe('purpose')
    expect(fieldOfMessage('代理人身份证号「1」无效：不是15位或18位身份证号')).toBe('proxy_id')
    expect(fieldOfMessage('请填写当事人身份证号')).toBe('requester_id')
    expect(fieldOfMessage('请填写送达方式（邮寄地址或自取）')).toBe('delivery_address')
    expect(fieldOfMessage('数据库出错')).toBeNull()
  })

  it('asks for the 当事人 and the 代理人 by those names when a proxy comes, the relationship first', async () => {
    const wrapper = mountForm()
    const labels = () => wrapper.findAll('.el-form-item__label').map((l) => l.text())
    expect(labels()[0]).toBe('与档案关系')
    expect(labels()).toContain('查档人姓名')
    expect(labels()).toContain('查档人身份证号')
    expect(wrapper.find('[data-testid="request-form-subject-hint"]').exists()).toBe(false)

    await choose(wrapper, 'request-form-rel-proxy')
    expect(labels()).toEqual(expect.arrayContaining(['当事人姓名', '当事人身份证号', '当事人电话', '代理人姓名', '代理人身份证号', '代理人电话']))
    expect(labels()).not.toContain('查档人姓名')
    expect(wrapper.find('[data-testid="request-form-subject-hint"]').text()).toContain('档案所记载的人')
    // Two phones, two fields: the proxy's is never run together with the person's.
    expect(wrapper.find('[data-testid="request-form-phone"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="request-form-proxy-phone"]').exists()).toBe(true)
  })

  it('asks where a 代查代送 result goes — an address, or picked up — and sends it', async () => {
    vi.mocked(api.registerRequest).mockResolvedValue({ id: 9, requester_name: '刘建国' } as LookupRequestView)
    const wrapper = mountForm()
    expect(wrapper.find('[data-testid="request-form-delivery"]').exists()).toBe(false)
    await input(wrapper, 'request-form-name').setValue('刘建国')
    await wrapper.find('[data-testid="request-form-channel-option"][data-value="代查代送"] input').setValue(true)
    expect(wrapper.find('[data-testid="request-form-delivery"]').exists()).toBe(true)
    await input(wrapper, 'request-form-delivery-address').setValue(' 清源县城关镇东街 12 号 ')
    await wrapper.find('[data-testid="request-form-submit"]').trigger('submit')
    await flushPromises()
    expect(vi.mocked(api.registerRequest).mock.calls[0][0]).toMatchObject({
      channel: '代查代送',
      delivery: '清源县城关镇东街 12 号',
    })

    await input(wrapper, 'request-form-name').setValue('刘建国')
    await wrapper.find('[data-testid="request-form-channel-option"][data-value="代查代送"] input').setValue(true)
    await wrapper.find('[data-testid="request-form-delivery-pickup"] input').setValue(true)
    expect(wrapper.find('[data-testid="request-form-delivery-address"]').exists()).toBe(false)
    await wrapper.find('[data-testid="request-form-submit"]').trigger('submit')
    await flushPromises()
    expect(vi.mocked(api.registerRequest).mock.calls[1][0]).toMatchObject({ channel: '代查代送', delivery: '自取' })
  })

  it('puts the caret in the name on opening, and registers on Ctrl+Enter from any field', async () => {
    vi.mocked(api.registerRequest).mockResolvedValue({ id: 9, requester_name: '刘建国' } as LookupRequestView)
    const wrapper = mountForm()
    await flushPromises()
    expect(document.activeElement).toBe(input(wrapper, 'request-form-name').element)
    expect(wrapper.find('[data-testid="request-form-submit"]').text()).toContain('Ctrl+Enter')

    const sought = input(wrapper, 'request-form-sought')
    await sought.trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(api.registerRequest).not.toHaveBeenCalled()
    await sought.trigger('keydown', { key: 'Enter', ctrlKey: true })
    await flushPromises()
    expect(api.registerRequest).toHaveBeenCalledTimes(1)
  })
})
