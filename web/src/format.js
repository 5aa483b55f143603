// Amounts are whole yuan in the API and 万元 on screen; dates are the campaign's
// calendar dates (YYYY-MM-DD) and timestamps are shown in the campaign's time zone.
import { i18n } from './i18n'

// Formatters made once per locale and options: toLocaleString with options builds a new
// one on every call (~0.2 ms each), which a table of amounts pays per cell and per render.
const formats = new Map()
function formatter(locale, key, make) {
  const k = locale + '|' + key
  let f = formats.get(k)
  if (!f) formats.set(k, (f = make()))
  return f
}

export function wan(yuan, digits = 2) {
  if (yuan === null || yuan === undefined || yuan === '') return '—'
  const v = Number(yuan) / 10000
  const l = i18n.global.locale.value
  return formatter(l, 'wan' + digits, () => new Intl.NumberFormat(l, { minimumFractionDigits: 0, maximumFractionDigits: digits })).format(v)
}

export function pct(v, digits = 1) {
  if (v === null || v === undefined) return '—'
  return `${Number(v).toFixed(digits)}%`
}

export function num(v) {
  if (v === null || v === undefined) return '—'
  const l = i18n.global.locale.value
  return formatter(l, 'num', () => new Intl.NumberFormat(l)).format(Number(v))
}

// An ISO timestamp ("2026-10-31T17:04:32Z") as a date and time in the time zone.
export function datetime(iso, tz = 'Asia/Shanghai') {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const parts = formatter(tz, 'datetime', () => new Intl.DateTimeFormat('en-CA', {
    timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
  })).formatToParts(d)
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]))
  return `${p.year}-${p.month}-${p.day} ${p.hour === '24' ? '00' : p.hour}:${p.minute}`
}

// Today's date in the time zone, as YYYY-MM-DD.
export function today(tz = 'Asia/Shanghai') {
  return formatter(tz, 'day', () => new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' })).format(new Date())
}
