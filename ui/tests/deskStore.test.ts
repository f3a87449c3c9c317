import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import * as api from '../src/api/client'
import type { Component } from 'vue'
import type { ArchiveStatus, Caller, DeskSession, LookupRequestView, SearchResponse } from '../src/api/types'
import App from '../src/App.vue'
import { useDeskStore } from '../src/stores/desk'
import { useRequestStore } from '../src/stores/request'
import { SEARCH_DEBOUNCE_MS } from '../src/stores/search'
import SearchView from '../src/views/SearchView.vue'
import { hit, mountApp } from './helpers'

const fetchMock = vi.fn<typeof fetch>()

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

const clerk: Caller = { clerk_id: 2, login: 'li', display_name: '李梅', role: 'clerk', desk: null }
const supervisor: Caller = { clerk_id: 1, login: 'wang', display_name: '王主任', role: 'supervisor', desk: null }

function session(caller: Caller | null, needsFirst = false, mustChange = false): DeskSession {
  return {
    caller,
    needs_first_clerk: needsFirst,
    archive_name: '清源县档案馆',
    demo: false,
    must_change_password: mustChange,
    idle_minutes: 30,
    purposes: ['工龄认定', '其他'],
    channels: ['窗口', '线上'],
  }
}

const archive: ArchiveStatus = {
  data_dir: '/data',
  indexed: 1,
  index_rebuilt_because: null,
  index_rebuilding: null,
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

/// An error answer of the fake server.
class Refusal {
  constructor(
    readonly code: string,
    readonly message: string,
    readonly status = 400,
  ) {}
}

const LOGIN_REQUIRED = '请先登录：查档、登记和出证都记在登录的工作人员名下'

type Answer = ((body: unknown) => unknown) | object

/// A server: answers by op (a function answer is given the request), a 401 for the ops listed in
/// `expired` (which a test may change as the session ends).
function serve(answers: Record<string, Answer>, expired: string[] = []): void {
  fetchMock.mockImplementation(async (url, init) => {
    const op = String(url).replace('/api/', '')
    if (expired.includes(op)) return json({ code: 'unauthorized', message: LOGIN_REQUIRED }, 401)
    if (!(op in answers)) return json({ code: 'not_found', message: `no ${op}` }, 404)
    const answer = answers[op]
    const body = typeof answer === 'function' ? answer(JSON.parse((init?.body as string) ?? '{}')) : answer
    if (body instanceof Refusal) return json({ code: body.code, message: body.message }, body.status)
    return json(body)
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
    let at: Caller | null = null
    serve({
      desk_session: () => session(at),
      login: () => (at = clerk),
      logout: () => session((at = null)),
    })
    const desk = useDeskStore()
    await desk.load()
    expect(desk.caller).toBeNull()
    expect(desk.purposes).toEqual(['工龄认定', '其他'])
    expect(desk.archiveName).toBe('清源县档案馆')

    await desk.login(' li ', 'secret-password')
    expect(desk.caller).toEqual(clerk)
    expect(JSON.parse(fetchMock.mock.calls[1][1]?.body as string)).toEqual({ login: 'li', password: 'secret-password' })
    expect(desk.isSupervisor).toBe(false)
    expect(desk.mustChangePassword).toBe(false)

    await desk.logout()
    expect(desk.caller).toBeNull()
    // The session after the login says whether the password must be changed first.
    expect(ops()).toEqual(['desk_session', 'login', 'desk_session', 'logout'])
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

  it('asks a lost login again without emptying the desk, and sends the refused operation again for the same clerk', async () => {
    let at: Caller | null = supervisor
    const expired = ['lookup_requests']
    serve(
      {
        desk_session: () => session(at),
        login: (body) => (at = (body as { login: string }).login === 'wang' ? supervisor : clerk),
        lookup_requests: { total: 0, requests: [] },
      },
      expired,
    )
    const desk = useDeskStore()
    await desk.load()
    const request = useRequestStore()
    request.set({ id: 5, requester_name: '刘建国' } as LookupRequestView)
    const query = { text: '', from: null, to: null, status: null, limit: null, offset: 0 }

    const refused = api.lookupRequests(query)
    await flushPromises()
    expect(desk.expired).toBe(LOGIN_REQUIRED)
    // The clerk and their request stay: the screen is kept under the login dialog.
    expect(desk.caller).toEqual(supervisor)
    expect(request.current?.id).toBe(5)

    expired.length = 0
    await desk.login('wang', 'secret-password')
    await expect(refused).resolves.toEqual({ total: 0, requests: [] })
    expect(ops().filter((op) => op === 'lookup_requests')).toHaveLength(2)
    expect(desk.expired).toBeNull()
    expect(request.current?.id).toBe(5)
  })

  it('gives a lost login’s operation up and forgets the request when another clerk logs in instead', async () => {
    let at: Caller | null = supervisor
    const expired = ['lookup_requests']
    serve({ desk_session: () => session(at), login: () => (at = clerk) }, expired)
    const desk = useDeskStore()
    await desk.load()
    const request = useRequestStore()
    request.set({ id: 5, requester_name: '刘建国' } as LookupRequestView)

    const refused = api.lookupRequests({ text: '', from: null, to: null, status: null, limit: null, offset: 0 })
    await flushPromises()
    expect(desk.expired).not.toBeNull()
    expired.length = 0
    await desk.login('li', 'secret-password')
    await expect(refused).rejects.toMatchObject({ code: 'unauthorized' })
    expect(ops().filter((op) => op === 'lookup_requests')).toHaveLength(1)
    expect(desk.caller).toEqual(clerk)
    expect(desk.expired).toBeNull()
    expect(request.current).toBeNull()
  })

  it('makes the first account a supervisor and logs it in', async () => {
    let at: Caller | null = null
    serve({
      desk_session: () => session(at, at === null),
      create_clerk: { id: 1, login: 'wang', display_name: '王主任', role: 'supervisor', created_at: '', disabled: false },
      login: () => (at = supervisor),
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
  const Blank = { template: '<div data-testid="screen">screen</div>' }

  async function mountAppAt(path = '/', searchScreen: Component = Blank) {
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/', name: 'search', component: searchScreen },
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
    let at: Caller | null = null
    serve({ status: archive, desk_session: () => ({ ...session(at), demo: true }), login: () => (at = clerk) })
    const wrapper = await mountAppAt()
    expect(wrapper.find('[data-testid="login"]').exists()).toBe(true)
    // The archive's name and the demo flag come from the desk session: the totals need a login.
    expect(wrapper.find('[data-testid="desk-archive-name"]').text()).toBe('清源县档案馆')
    expect(wrapper.find('[data-testid="desk-archive-demo"]').exists()).toBe(true)
    expect(ops()).not.toContain('status')
    expect(wrapper.find('[data-testid="screen"]').exists()).toBe(false)
    // The header shows the title alone.
    expect(wrapper.find('[data-testid="nav-search"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="desk-user"]').exists()).toBe(false)
    expect(document.activeElement).toBe(wrapper.find('[data-testid="login-name"]').element)

    await wrapper.find('[data-testid="login-name"]').setValue('li')
    await wrapper.find('[data-testid="login-password"]').setValue('secret-password')
    await wrapper.find('[data-testid="login-submit"]').trigger('submit')
    await flushPromises()

    expect(wrapper.find('[data-testid="login"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="screen"]').exists()).toBe(true)
    expect(ops()).toContain('status')
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

    // Too many failures: the engine says how long to wait.
    fetchMock.mockImplementationOnce(async () =>
      json({ code: 'throttled', message: '登录失败次数过多，请 30 秒后再试；或请主管解除限制' }, 429),
    )
    await wrapper.find('[data-testid="login-password"]').setValue('again')
    await wrapper.find('[data-testid="login-submit"]').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[data-testid="login-error"]').text()).toBe('登录失败次数过多，请 30 秒后再试；或请主管解除限制')
  })

  it('asks for the login again over the screen when it is lost, keeping the search results, and carries on after it', async () => {
    const found: SearchResponse = {
      total: 2,
      took_ms: 1,
      hits: [hit({ entry_id: 1, name: '刘建国' }), hit({ entry_id: 2, document_id: 11, name: '刘建华' })],
      facets: { category: [], year: [] },
      understood: [],
    }
    const narrowed: SearchResponse = { ...found, total: 1, hits: [found.hits[0]] }
    let at: Caller | null = clerk
    const expired: string[] = []
    serve(
      {
        status: archive,
        desk_session: () => session(at),
        login: () => (at = clerk),
        search: (body) => ((body as { query: string }).query === '刘建国' ? narrowed : found),
      },
      expired,
    )
    const wrapper = await mountAppAt('/', SearchView)
    const typed = async (text: string) => {
      await wrapper.find('[data-testid="search-input"]').setValue(text)
      await new Promise((resolve) => setTimeout(resolve, SEARCH_DEBOUNCE_MS + 20))
      await flushPromises()
    }
    await typed('刘建')
    expect(wrapper.findAll('[data-testid="hit"]')).toHaveLength(2)

    // Idle too long: the next search is refused.
    expired.push('search')
    await typed('刘建国')
    const reason = document.querySelector('[data-testid="relogin-reason"]')
    expect(reason?.textContent).toContain(LOGIN_REQUIRED)
    // The screen stays as it was under the dialog: the results, the typed text, the clerk.
    expect(wrapper.find('[data-testid="login"]').exists()).toBe(false)
    expect(wrapper.findAll('[data-testid="hit"]')).toHaveLength(2)
    expect((wrapper.find('[data-testid="search-input"]').element as HTMLInputElement).value).toBe('刘建国')
    expect(wrapper.find('[data-testid="desk-user"]').text()).toBe('李梅')

    // The same clerk logs in again (the login name is filled in): the refused search is sent again.
    expired.length = 0
    const password = document.querySelector('[data-testid="relogin-password"]') as HTMLInputElement
    expect((document.querySelector('[data-testid="relogin-name"]') as HTMLInputElement).value).toBe('li')
    password.value = 'secret-password'
    password.dispatchEvent(new Event('input'))
    ;(document.querySelector('[data-testid="relogin-submit"]') as HTMLElement).click()
    await flushPromises()
    expect(document.querySelector('[data-testid="relogin-reason"]')).toBeNull()
    expect(ops().filter((op) => op === 'search')).toHaveLength(3)
    expect(wrapper.findAll('[data-testid="hit"]')).toHaveLength(1)
    expect((wrapper.find('[data-testid="search-input"]').element as HTMLInputElement).value).toBe('刘建国')
  })

  it('shows the password change in place of the app while the password must be changed, then the app', async () => {
    let mustChange = true
    const changes: unknown[] = []
    serve({
      status: archive,
      desk_session: () => session(clerk, false, mustChange),
      change_password: (body) => {
        changes.push(body)
        if ((body as { new_password: string }).new_password.includes('li')) {
          return new Refusal('invalid_request', '新密码不能包含登录名')
        }
        mustChange = false
        return session(clerk)
      },
    })
    const wrapper = await mountAppAt()
    expect(wrapper.find('[data-testid="password-required"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="screen"]').exists()).toBe(false)
    // Everything else answers Forbidden meanwhile: not even the totals are asked for.
    expect(ops()).toEqual(['desk_session'])

    const fill = async (current: string, next: string, repeat: string) => {
      await wrapper.find('[data-testid="password-current"]').setValue(current)
      await wrapper.find('[data-testid="password-new"]').setValue(next)
      await wrapper.find('[data-testid="password-repeat"]').setValue(repeat)
      await wrapper.find('[data-testid="password-form"]').trigger('submit')
      await flushPromises()
    }
    await fill('given-by-wang', 'my-own-secret', 'my-own-secreT')
    expect(wrapper.find('[data-testid="password-error"]').text()).toContain('两次输入的密码不一致')
    expect(changes).toHaveLength(0)

    await fill('given-by-wang', 'li-secret-2024', 'li-secret-2024')
    expect(wrapper.find('[data-testid="password-error"]').text()).toContain('新密码不能包含登录名')
    expect(wrapper.find('[data-testid="screen"]').exists()).toBe(false)

    await fill('given-by-wang', 'my-own-secret', 'my-own-secret')
    expect(changes[1]).toEqual({ current_password: 'given-by-wang', new_password: 'my-own-secret' })
    expect(wrapper.find('[data-testid="password-required"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="screen"]').exists()).toBe(true)
    expect(ops()).toContain('status')
  })

  it('changes the clerk’s own password from the header menu, staying logged in', async () => {
    serve({
      status: archive,
      desk_session: session(clerk),
      change_password: (body) =>
        (body as { new_password: string }).new_password === '12345678'
          ? new Refusal('invalid_request', '这个密码太常见，请换一个')
          : session(clerk),
    })
    const wrapper = await mountAppAt()
    await wrapper.find('[data-testid="desk-menu"]').trigger('click')
    await flushPromises()
    ;(document.querySelector('[data-testid="change-password-open"]') as HTMLElement).click()
    await flushPromises()
    const field = (testid: string, value: string) => {
      const input = document.querySelector(`[data-testid="password-dialog"] [data-testid="${testid}"]`) as HTMLInputElement
      input.value = value
      input.dispatchEvent(new Event('input'))
    }
    field('password-current', 'old-secret')
    field('password-new', '12345678')
    field('password-repeat', '12345678')
    ;(document.querySelector('[data-testid="password-submit"]') as HTMLElement).click()
    await flushPromises()
    expect(document.querySelector('[data-testid="password-error"]')?.textContent).toContain('这个密码太常见')

    field('password-new', 'a-better-one')
    field('password-repeat', 'a-better-one')
    ;(document.querySelector('[data-testid="password-submit"]') as HTMLElement).click()
    await flushPromises()
    expect(ops().filter((op) => op === 'change_password')).toHaveLength(2)
    expect(document.querySelector('[data-testid="password-form"]')).toBeNull()
    expect(wrapper.find('[data-testid="screen"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="desk-user"]').text()).toBe('李梅')
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

  it('logs out with Alt+Q from anywhere on the screen, and the login form has the caret', async () => {
    serve({ status: archive, desk_session: session(clerk), logout: session(null) })
    const wrapper = await mountAppAt()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'q', altKey: true }))
    await flushPromises()
    expect(ops()).toContain('logout')
    expect(wrapper.find('[data-testid="login"]').exists()).toBe(true)
    expect(document.activeElement).toBe(wrapper.find('[data-testid="login-name"]').element)
  })

  it('asks for the supervisor account on first run, with the password twice', async () => {
    let at: Caller | null = null
    serve({
      status: archive,
      desk_session: () => session(at, at === null),
      create_clerk: { id: 1, login: 'wang', display_name: '王主任', role: 'supervisor', created_at: '', disabled: false },
      login: () => (at = supervisor),
    })
    const wrapper = await mountAppAt()
    expect(wrapper.find('[data-testid="first-run-clerk"]').exists()).toBe(true)
    // The caret waits in the first field.
    expect(document.activeElement).toBe(wrapper.find('[data-testid="first-run-login"]').element)
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
