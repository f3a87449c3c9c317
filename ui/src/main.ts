import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { i18n } from './i18n'
import { preloadHitScreens, router } from './router'
import './style.css'
import { showError } from './util/errors'

const app = createApp(App)
app.use(createPinia())
app.use(router)
app.use(i18n)
app.use(ElementPlus, { locale: zhCn })

// Whatever goes wrong is said to the clerk; the screen never goes blank in silence.
app.config.errorHandler = (error) => {
  console.error(error)
  showError(error)
}
window.addEventListener('unhandledrejection', (event) => {
  console.error(event.reason)
  showError(event.reason)
})

document.documentElement.lang = i18n.global.locale.value
app.mount('#app')
preloadHitScreens()
