import { createApp } from 'vue'
import 'element-plus/theme-chalk/el-message.css'
import 'element-plus/theme-chalk/el-message-box.css'
import 'element-plus/theme-chalk/el-loading.css'
import './styles.css'
import App from './App.vue'
import { router } from './router'
import { i18n, localeReady } from './i18n'
import { setUnauthorizedHandler, setPasswordChangeHandler } from './api'
import { session, sessionExpired } from './session'

setUnauthorizedHandler(() => {
  if (!session.me) return
  sessionExpired()
  router.replace({ name: 'login', query: { redirect: router.currentRoute.value.fullPath } })
})

setPasswordChangeHandler(() => {
  if (session.me) session.me.must_change_password = session.me.must_change_password || 'expired'
  if (router.currentRoute.value.name !== 'password') router.replace({ name: 'password' })
})

// The remembered language first, so the first page is drawn in it.
localeReady.finally(() => createApp(App).use(i18n).use(router).mount('#app'))
