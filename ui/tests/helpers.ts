import { flushPromises, mount, type ComponentMountingOptions } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import type { Component } from 'vue'
import { i18n } from '../src/i18n'
import type { SearchHit, TimelineEvent } from '../src/api/types'

/// Mounts a component as the app would: Element Plus and the Chinese messages installed.
export function mountApp<T extends Component>(component: T, options: ComponentMountingOptions<T> = {}) {
  const pinia = createPinia()
  setActivePinia(pinia)
  i18n.global.locale.value = 'zh-CN'
  return mount(component as never, {
    ...options,
    global: {
      ...(options.global ?? {}),
      plugins: [ElementPlus, i18n, pinia, ...(options.global?.plugins ?? [])],
      // Real transitions, so attributes reach the element as they do in the browser.
      stubs: { transition: false, 'transition-group': false, ...(options.global?.stubs as object | undefined) },
    },
  } as never)
}

export function hit(overrides: Partial<SearchHit> = {}): SearchHit {
  return {
    ref_code: 'J012-WS·1998-Y-0034',
    name: '刘建国',
    entry_id: 1,
    document_id: 10,
    category: '工资调整',
    title: '清源县化肥厂1998年工资调整审批表',
    year: 1998,
    gender: '男',
    birth: '1956.07',
    unit: '清源县化肥厂',
    id_masked: '431128********7181',
    page: '3',
    access: 'open',
    tier: 'exact',
    score: 1,
    matched: ['name'],
    reason: '姓名完全相同',
    snippet: [],
    originals: [],
    scanned_page: null,
    ...overrides,
  }
}

export function event(overrides: Partial<TimelineEvent> = {}): TimelineEvent {
  return {
    entry_id: 1,
    document_id: 10,
    ref_code: 'J012-WS·1998-Y-0034',
    category: '工资调整',
    title: '1998年工资调整审批表',
    date: '1998.07',
    date_key: '1998-07',
    kind: 'wage_adjustment',
    name: '刘建国',
    unit: '清源县化肥厂',
    wage_before: '312',
    wage_after: '356',
    work_start: null,
    retirement: null,
    page: '3',
    access: 'open',
    join: 'id_number',
    confidence: 'high',
    originals: [],
    ...overrides,
  }
}

/// The confirmation Element Plus asks in a message box (the latest; a closed one may linger while
/// it fades out): confirmed with its primary button.
export async function confirmBox(): Promise<string> {
  await flushPromises()
  const boxes = document.querySelectorAll('.el-message-box')
  const box = boxes[boxes.length - 1] as HTMLElement
  const text = box.textContent ?? ''
  ;(box.querySelector('.el-message-box__btns .el-button--primary') as HTMLElement).click()
  await flushPromises()
  return text
}
