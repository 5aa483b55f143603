// zh-CN by default, English on request; the choice is kept in localStorage and
// Element Plus follows it (App.vue passes elementLocale to el-config-provider).
// English (the common messages and each module's modules/en/*.js) is
// loaded only when someone chooses it, so the login page and the dashboard carry one
// language.
import { createI18n } from 'vue-i18n'
import { shallowRef } from 'vue'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
// Element Plus carries its English texts in any case (its default locale).
import enEl from 'element-plus/es/locale/lang/en'
import zh from './locales/zh-CN'
import { moduleMessages } from './modules'

/** Adds b's keys into a, recursively (a page module's messages beside the common ones). */
function merge(a, b) {
  for (const [k, v] of Object.entries(b)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && a[k] && typeof a[k] === 'object') merge(a[k], v)
    else a[k] = v
  }
  return a
}
for (const m of moduleMessages) merge(zh, m['zh-CN'] || {})

const KEY = 'huizhan.locale'
const saved = (() => { try { return localStorage.getItem(KEY) } catch { return null } })()

export const i18n = createI18n({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zh },
})

export const elementLocale = shallowRef(zhCn)
const elementLocales = { 'zh-CN': zhCn, en: enEl }

const englishModules = import.meta.glob('./modules/en/*.js', { import: 'default' })
let english = null
/** Loads the English messages once (the common ones and every module's). */
function loadEnglish() {
  english ||= Promise.all([
    import('./locales/en').then((m) => m.default),
    ...Object.keys(englishModules).sort().map((k) => englishModules[k]()),
  ]).then(([common, ...modules]) => {
    const en = merge({}, common)
    for (const m of modules) merge(en, m)
    i18n.global.setLocaleMessage('en', en)
  })
  return english
}

/** Switches the language (loading English first when needed) and remembers the choice. */
export async function setLocale(l) {
  if (l === 'en') await loadEnglish()
  i18n.global.locale.value = l
  elementLocale.value = elementLocales[l] || zhCn
  document.documentElement.lang = l
  try { localStorage.setItem(KEY, l) } catch { /* private mode: not remembered */ }
}

/** The remembered language, ready before the first page is drawn. */
export const localeReady = saved === 'en' ? setLocale('en') : Promise.resolve()
document.documentElement.lang = i18n.global.locale.value
