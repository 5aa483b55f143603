// Amounts are whole yuan in the API and 万元 on screen; dates are the campaign's
// calendar dates (YYYY-MM-DD) and timestamps are shown in the campaign's time zone.
import { i18n } from './i18n'

export function wan(yuan, digits = 2) {
  if (yuan === null || yuan === undefined || yuan === '') return '—'
  const v = Number(yuan) / 10000
  return v.toLocaleString(i18n.global.locale.value, { minimumFractionDigits: 0, maximumFractionDigits: digits })
}

export function pct(v, digits = 1) {
  if (v === null || v === undefined) return '—'
  return `${Number(v).toFixed(digits)}%`
}

export function num(v) {
  if (v === null || v === undefined) return '—'
  return Number(v).toLocaleString(i18n.global.locale.value)
}

// An ISO timestamp ("2026-10-31T17:04:32Z") as a date and time in the time zone.
export function datetime(iso, tz = 'Asia/Shanghai') {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
  }).formatToParts(d)
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]))
  return `${p.year}-${p.month}-${p.day} ${p.hour === '24' ? '00' : p.hour}:${p.minute}`
}

// Today's date in the time zone, as YYYY-MM-DD.
export function today(tz = 'Asia/Shanghai') {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date())
}
