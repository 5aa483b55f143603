// zh-CN by default, English on request; the choice is kept in localStorage and
// Element Plus follows it (App.vue passes elementLocale to el-config-provider).
import { createI18n } from 'vue-i18n'
import { computed } from 'vue'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import enEl from 'element-plus/es/locale/lang/en'
import zh from './locales/zh-CN'
import en from './locales/en'

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
