// Names the API uses for stages and categories, and the units list shared by screens.
import { get } from './api'

export const STAGES = ['lead', 'negotiating', 'signed', 'started', 'completed', 'dropped']
export const CATEGORIES = ['industrial', 'restructuring', 'agri_industrialization', 'services', 'policy_funds', 'other']
export const STAGE_TAG = { lead: 'info', negotiating: 'primary', signed: 'success', started: 'warning', completed: 'success', dropped: 'danger' }
// What a move to each stage must carry (SPEC: contract for signed, start date, completion date).
export const STAGE_EVIDENCE = {
  negotiating: [],
  signed: ['contract_date', 'contract_value'],
  started: ['start_date'],
  completed: ['completion_date'],
  dropped: ['reason'],
}
export const NEXT_STAGES = {
  lead: ['negotiating', 'signed', 'started', 'completed', 'dropped'],
  negotiating: ['signed', 'started', 'completed', 'dropped'],
  signed: ['started', 'completed', 'dropped'],
  started: ['completed', 'dropped'],
  completed: [],
  dropped: [],
}

let unitsPromise = null
// Every unit (a province has thousands: pages of 500, the rest asked for at once).
async function allUnits() {
  const first = await get('/units', { limit: 500, sort: 'id' })
  const rest = []
  for (let offset = 500; offset < first.total; offset += 500) rest.push(get('/units', { limit: 500, offset, sort: 'id' }))
  return first.items.concat(...(await Promise.all(rest)).map((r) => r.items))
}
export function loadUnits() {
  if (!unitsPromise) unitsPromise = allUnits().catch((e) => { unitsPromise = null; throw e })
  return unitsPromise
}
