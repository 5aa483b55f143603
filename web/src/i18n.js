// zh-CN by default, English on request; the choice is kept in localStorage and
// Element Plus follows it (App.vue passes elementLocale to el-config-provider).
import { createI18n } from 'vue-i18n'
import { computed } from 'vue'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import enEl from 'element-plus/es/locale/lang/en'
import zh from './locales/zh-CN'
import en from './locales/en'
import { moduleMessages } from './modules'

/** Adds b's keys into a, recursively (a page module's messages beside the common ones). */
function merge(a, b) {
  for (const [k, v] of Object.entries(b)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && a[k] && typeof a[k] === 'object') merge(a[k], v)
    else a[k] = v
  }
  return a
}
for (const m of moduleMessages) {
  merge(zh, m['zh-CN'] || {})
  merge(en, m.en || {})
}

const KEY = 'huizhan.locale'
const saved = (() => { try { return localStorage.getItem(KEY) } catch { return null } })()

export const i18n = createI18n({
  legacy: false,
  locale: saved === 'en' ? 'en' : 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zh, en },
})

export const elementLocale = computed(() => (i18n.global.locale.value === 'en' ? enEl : zhCn))

export function setLocale(l) {
  i18n.global.locale.value = l
  document.documentElement.lang = l
  try { localStorage.setItem(KEY, l) } catch { /* private mode: not remembered */ }
}
document.documentElement.lang = i18n.global.locale.value
