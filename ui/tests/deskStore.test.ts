import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import * as api from '../src/api/client'
import type { ArchiveStatus, Caller, DeskSession, LookupRequestView } from '../src/api/types'
import App from '../src/App.vue'
import { useDeskStore } from '../src/stores/desk'
import { useRequestStore } from '../src/stores/request'
import { mountApp } from './helpers'

const fetchMock = vi.fn<typeof fetch>()

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

const clerk: Caller = { clerk_id: 2, login: 'li', display_name: '李梅', role: 'clerk' }
const supervisor: Caller = { clerk_id: 1, login: 'wang', display_name: '王主任', role: 'supervisor' }

function session(caller: Caller | null, needsFirst = false): DeskSession {
  return { caller, needs_first_clerk: needsFirst, purposes: ['工龄认定', '其他'], channels: ['窗口', '线上'] }
}

const archive: ArchiveStatus = {
  data_dir: '/data',
  indexed: 1,
  stats: {
    archive_name: '清源县档案馆',
    demo: false,
    documents: 1,
    entries: 1,
    pages: 0,
    superseded_entries: 0,
    import_batches: 1,
    rejected_rows: 0,
    by_category: [],
    by_year: [],
    last_import: null,
  },
}

/// A server: answers by op, a 401 for the ops listed in `expired`.
function serve(answers: Record<string, unknown>, expired: string[] = []): void {
  fetchMock.mockImplementation(async (url) => {
    const op = String(url).replace('/api/', '')
    if (expired.includes(op)) return json({ code: 'unauthorized', message: '请先登录：查档、登记和出证都记在登录的工作人员名下' }, 401)
    if (op in answers) return json(answers[op])
    return json({ code: 'not_found', message: `no ${op}` }, 404)
  })
}

/// Element Plus shows a field's error after a short debounce.
async function settled(): Promise<void> {
  await flushPromises()
  await new Promise((resolve) => setTimeout(resolve, 150))
  await flushPromises()
}

function ops(): string[] {
  return fetchMock.mock.calls.map(([url]) => String(url).replace('/api/', ''))
}

beforeEach(() => {
  setActivePinia(createPinia())
  fetchMock.mockReset()
  vi.stubGlobal('fetch', fetchMock)
})

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('desk store', () => {
  it('logs in, and logs out to an empty desk', async () => {
    serve({ desk_session: session(null), login: clerk, logout: session(null) })
    const desk = useDeskStore()
    await desk.load()
    expect(desk.caller).toBeNull()
    expect(desk.purposes).toEqual(['工龄认定', '其他'])

    await desk.login(' li ', 'secret-password')
    expect(desk.caller).toEqual(clerk)
    expect(JSON.parse(fetchMock.mock.calls[1][1]?.body as string)).toEqual({ login: 'li', password: 'secret-password' })
    expect(desk.isSupervisor).toBe(false)

    await desk.logout()
    expect(desk.caller).toBeNull()
    expect(ops()).toEqual(['desk_session', 'login', 'logout'])
  })

  it('keeps a wrong password for the login form and stays logged out', async () => {
    serve({ desk_session: session(null) })
    fetchMock.mockImplementationOnce(async () => json(session(null)))
    fetchMock.mockImplementationOnce(async () => json({ code: 'unauthorized', message: '登录名或密码不正确' }, 401))
    const desk = useDeskStore()
    await desk.load()
    await expect(desk.login('li', 'wrong')).rejects.toMatchObject({ message: '登录名或密码不正确' })
    expect(desk.caller).toBeNull()
    // A refused login is not a lost login: no "expired" notice.
    expect(desk.expired).toBeNull()
  })

  it('empties the desk when any operation answers unauthorized, and forgets the current request', async () => {
    serve({ desk_session: session(supervisor) }, ['lookup_requests'])
    const desk = useDeskStore()
    await desk.load()
    const request = useRequestStore()
    request.set({ id: 5, requester_name: '刘建国' } as LookupRequestView)

    await expect(api.lookupRequests({ text: '', from: null, to: null, status: null, limit: null, offset: 0 })).rejects.toMatchObject({
      code: 'unauthorized',
    })
    expect(desk.caller).toBeNull()
    expect(desk.expired).toContain('请先登录')
    expect(request.current).toBeNull()
  })

  it('makes the first account a supervisor and logs it in', async () => {
    serve({
      desk_session: session(null, true),
      create_clerk: { id: 1, login: 'wang', display_name: '王主任', role: 'supervisor', created_at: '', disabled: false },
      login: supervisor,
    })
    const desk = useDeskStore()
    await desk.load()
    expect(desk.needsFirstClerk).toBe(true)
    await desk.createFirstClerk({ login: 'wang', display_name: '王主任', password: '12345678' })
    expect(JSON.parse(fetchMock.mock.calls[1][1]?.body as string)).toMatchObject({ login: 'wang', role: 'supervisor' })
    expect(desk.needsFirstClerk).toBe(false)
    expect(desk.caller).toEqual(supervisor)
  })
})

describe('the app at the desk', () => {
  async function mountAppAt(path = '/') {
    const Blank = { template: '<div data-testid="screen">screen</div>' }
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/', name: 'search', component: Blank },
        ...['record', 'person', 'register', 'certificate', 'verify', 'stats', 'audit', 'import', 'settings'].map(
          (name) => ({ path: `/${name}`, name, component: Blank }),
        ),
      ],
    })
    await router.push(path)
    const wrapper = mountApp(App, { global: { plugins: [router] }, attachTo: document.body })
    await flushPromises()
    return wrapper
  }

  it('shows the login screen in place of the app while nobody is logged in, and the app after a login', async () => {
    serve({ status: archive, desk_session: session(null), login: clerk })
    const wrapper = await mountAppAt()
    expect(wrapper.find('[data-testid="login"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="screen"]').exists()).toBe(false)
    // The header shows the title alone.
    expect(wrapper.find('[data-testid="nav-search"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="desk-user"]').exists()).toBe(false)

    await wrapper.find('[data-testid="login-name"]').setValue('li')
    await wrapper.find('[data-testid="login-password"]').setValue('secret-password')
    await wrapper.find('[data-testid="login-submit"]').trigger('submit')
    await flushPromises()

    expect(wrapper.find('[data-testid="login"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="screen"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="desk-user"]').text()).toBe('李梅')
    expect(wrapper.find('[data-testid="desk-role"]').text()).toBe('工作人员')
    // A clerk gets no audit tab.
    expect(wrapper.find('[data-testid="nav-register"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="nav-audit"]').exists()).toBe(false)
  })

  it('says why a login was refused', async () => {
    serve({ status: archive, desk_session: session(null) })
    const wrapper = await mountAppAt()
    fetchMock.mockImplementationOnce(async () => json({ code: 'unauthorized', message: '登录名或密码不正确' }, 401))
    await wrapper.find('[data-testid="login-name"]').setValue('li')
    await wrapper.find('[data-testid="login-password"]').setValue('nope')
    await wrapper.find('[data-testid="login-submit"]').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[data-testid="login-error"]').text()).toContain('登录名或密码不正确')
    expect(wrapper.find('[data-testid="screen"]').exists()).toBe(false)
  })

  it('goes back to the login screen when the session is lost, and on 切换账号', async () => {
    serve({ status: archive, desk_session: session(supervisor), logout: session(null) }, ['usage_stats'])
    const wrapper = await mountAppAt()
    expect(wrapper.find('[data-testid="screen"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="desk-role"]').text()).toBe('主管')
    expect(wrapper.find('[data-testid="nav-audit"]').exists()).toBe(true)

    // The server restarted: the next operation is refused.
    await api.usageStats({ from: null, to: null, period: null }).catch(() => {})
    await flushPromises()
    expect(wrapper.find('[data-testid="login"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="login-expired"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="screen"]').exists()).toBe(false)
  })

  it('logs out with 切换账号', async () => {
    serve({ status: archive, desk_session: session(clerk), logout: session(null) })
    const wrapper = await mountAppAt()
    await wrapper.find('[data-testid="switch-clerk"]').trigger('click')
    await flushPromises()
    expect(ops()).toContain('logout')
    expect(wrapper.find('[data-testid="login"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="login-expired"]').exists()).toBe(false)
  })

  it('asks for the supervisor account on first run, with the password twice', async () => {
    serve({
      status: archive,
      desk_session: session(null, true),
      create_clerk: { id: 1, login: 'wang', display_name: '王主任', role: 'supervisor', created_at: '', disabled: false },
      login: supervisor,
    })
    const wrapper = await mountAppAt()
    expect(wrapper.find('[data-testid="first-run-clerk"]').exists()).toBe(true)
    await wrapper.find('[data-testid="first-run-login"]').setValue('wang')
    await wrapper.find('[data-testid="first-run-name"]').setValue('王主任')
    await wrapper.find('[data-testid="first-run-password"]').setValue('short')
    await wrapper.find('[data-testid="first-run-password2"]').setValue('short')
    await wrapper.find('[data-testid="first-run-submit"]').trigger('submit')
    await settled()
    expect(wrapper.text()).toContain('密码至少 8 位')
    expect(ops()).not.toContain('create_clerk')

    await wrapper.find('[data-testid="first-run-password"]').setValue('long-enough')
    await wrapper.find('[data-testid="first-run-password2"]').setValue('long-enougH')
    await wrapper.find('[data-testid="first-run-submit"]').trigger('submit')
    await settled()
    expect(wrapper.text()).toContain('两次输入的密码不一致')
    expect(ops()).not.toContain('create_clerk')

    await wrapper.find('[data-testid="first-run-password2"]').setValue('long-enough')
    await wrapper.find('[data-testid="first-run-submit"]').trigger('submit')
    await flushPromises()
    expect(ops()).toEqual(expect.arrayContaining(['create_clerk', 'login']))
    expect(wrapper.find('[data-testid="screen"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="desk-role"]').text()).toBe('主管')
  })
})
