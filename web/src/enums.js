// Enumerated fields' codes and labels from GET /api/v1/enums ("<collection>.<field>" →
// [{code, label}]); the server's labels are Chinese, so in English the UI's own message
// (when it has one) is shown instead.
import { ref } from 'vue'
import { get } from './api'
import { i18n } from './i18n'

export const enums = ref({})
let loading = null
export function loadEnums() {
  if (!loading) loading = get('/enums').then((e) => { enums.value = e; return e }).catch((e) => { loading = null; throw e })
  return loading
}

/** The choices of collection.field as [{value, label}], labels in the user's language. */
export function choices(key, i18nPrefix) {
  return (enums.value[key] || []).map((c) => ({ value: c.code, label: enumLabel(key, c.code, i18nPrefix) }))
}

/** One code's label: the UI's message in English when it exists, else the server's label. */
export function enumLabel(key, code, i18nPrefix) {
  if (code == null || code === '') return '—'
  const g = i18n.global
  if (i18nPrefix && g.locale.value !== 'zh-CN' && g.te(`${i18nPrefix}.${code}`)) return g.t(`${i18nPrefix}.${code}`)
  const c = (enums.value[key] || []).find((x) => x.code === code)
  if (c) return c.label
  return i18nPrefix && g.te(`${i18nPrefix}.${code}`) ? g.t(`${i18nPrefix}.${code}`) : code
}
