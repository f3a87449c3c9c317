import { createRouter, createWebHashHistory, type LocationQuery } from 'vue-router'
import { ref } from 'vue'
import SearchView from './views/SearchView.vue'

/// The person last looked at, so that the 人员 tab goes back to them.
export const lastPersonQuery = ref<LocationQuery | null>(null)

const RecordView = () => import('./views/RecordView.vue')
const PersonView = () => import('./views/PersonView.vue')

/// The screens a hit opens are loaded while the clerk is still typing, so that opening the first
/// record does not wait for its code (the page viewer is the largest part of the app).
export function preloadHitScreens(): void {
  const load = () => void Promise.all([RecordView(), PersonView()]).catch(() => {})
  if ('requestIdleCallback' in window) window.requestIdleCallback(load, { timeout: 2000 })
  else setTimeout(load, 500)
}

// Hash history: the same build runs from a Tauri webview and from any path of an HTTP server.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'search', component: SearchView },
    { path: '/record/:documentId', name: 'record', component: RecordView },
    { path: '/person', name: 'person', component: PersonView },
    { path: '/register/:requestId(\\d+)?', name: 'register', component: () => import('./views/RegisterView.vue') },
    { path: '/certificate/:number', name: 'certificate', component: () => import('./views/CertificateView.vue') },
    { path: '/verify', name: 'verify', component: () => import('./views/VerifyView.vue') },
    { path: '/stats', name: 'stats', component: () => import('./views/StatsView.vue') },
    { path: '/audit', name: 'audit', component: () => import('./views/AuditView.vue') },
    { path: '/import', name: 'import', component: () => import('./views/ImportView.vue') },
    { path: '/settings', name: 'settings', component: () => import('./views/SettingsView.vue') },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})

router.afterEach((to) => {
  if (to.name === 'person' && Object.keys(to.query).length > 0) lastPersonQuery.value = to.query
})
