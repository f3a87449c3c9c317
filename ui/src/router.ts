import { createRouter, createWebHashHistory, type LocationQuery } from 'vue-router'
import { ref } from 'vue'
import SearchView from './views/SearchView.vue'

/// The person last looked at, so that the 人员 tab goes back to them.
export const lastPersonQuery = ref<LocationQuery | null>(null)

// Hash history: the same build runs from a Tauri webview and from any path of an HTTP server.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'search', component: SearchView },
    { path: '/record/:documentId', name: 'record', component: () => import('./views/RecordView.vue') },
    { path: '/person', name: 'person', component: () => import('./views/PersonView.vue') },
    { path: '/import', name: 'import', component: () => import('./views/ImportView.vue') },
    { path: '/settings', name: 'settings', component: () => import('./views/SettingsView.vue') },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})

router.afterEach((to) => {
  if (to.name === 'person' && Object.keys(to.query).length > 0) lastPersonQuery.value = to.query
})
