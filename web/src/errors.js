// API errors in the user's language: the server's messages are Chinese, so in English the
// error code (and the field it names) is translated; in Chinese the server's text is shown.
import { i18n } from './i18n'

export function errorText(err) {
  const { t, locale } = i18n.global
  if (!err) return ''
  if (err.code === 'network') return t('errors.network')
  if (locale.value === 'zh-CN' && err.message && !/^HTTP \d+/.test(err.message)) return err.message
  const key = `errors.${err.code}`
  return i18n.global.te(key) ? t(key) : t('errors.internal_error')
}

// Per-field messages for el-form-item :error, keyed by the API field name.
export function fieldErrors(err) {
  const out = {}
  if (!err || !err.fields) return out
  const { t, locale } = i18n.global
  for (const [field, msg] of Object.entries(err.fields)) {
    out[field] = locale.value === 'zh-CN' ? msg : t('errors.field', { field: i18n.global.te(`fields.${field}`) ? t(`fields.${field}`) : field, code: errorText(err) })
  }
  return out
}
