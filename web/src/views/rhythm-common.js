// Shared by the rhythm and assessment pages: unit names, the campaign's week of a day,
// and the tag colours of their states.
import { ref, onMounted, onBeforeUnmount } from 'vue'
import { loadUnits } from '../domain'
import { session, campaign } from '../session'

export const MONEY = ['funds_arrived', 'signed_value', 'policy_funds']
export const WR_TAG = { draft: 'info', submitted: 'warning', reviewed: 'success', missing: 'danger' }
export const CO_TAG = { assigned: 'danger', signed_off: 'warning', handled: 'warning', feedback: 'primary', reviewed: 'success', closed: 'info' }
export const LIGHT_TAG = { red: 'danger', yellow: 'warning', green: 'success' }
export const PR_TAG = { proposed: 'warning', approved: 'success', dismissed: 'info' }
// Who takes which step of a coordination item (docs/workflows.md).
export const CO_NEXT = { assigned: 'signed_off', signed_off: 'handled', handled: 'feedback', feedback: 'reviewed', reviewed: 'closed' }
export const CO_OFFICE_STEP = { reviewed: true, closed: true }
export const CO_NOTE = { handled: 'handling', feedback: 'feedback', reviewed: 'review_note' }

/** A ref of the units and a name lookup (filled once loaded). */
export function useUnits() {
  const units = ref([])
  loadUnits().then((u) => { units.value = u }).catch(() => { units.value = [] })
  const unitName = (id) => { const u = units.value.find((x) => x.id === id); return u ? u.name : (id ? `#${id}` : '—') }
  return { units, unitName }
}

/** The campaign week that contains the server's today (at least 1, at most the last). */
export function currentWeek() {
  const c = campaign()
  if (!c || !session.today) return 1
  const days = Math.floor((Date.parse(session.today) - Date.parse(c.start_date)) / 86400000)
  const last = Math.floor((Date.parse(c.end_date) - Date.parse(c.start_date)) / 86400000 / 7) + 1
  return Math.max(1, Math.min(last, Math.floor(days / 7) + 1))
}

/** True below 768 px (phones): tables then drop their fixed columns. */
export function useNarrow() {
  const narrow = ref(window.innerWidth < 768)
  const on = () => { narrow.value = window.innerWidth < 768 }
  onMounted(() => window.addEventListener('resize', on))
  onBeforeUnmount(() => window.removeEventListener('resize', on))
  return narrow
}
