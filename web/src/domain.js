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
export function loadUnits() {
  if (!unitsPromise) unitsPromise = get('/units', { limit: 500, sort: 'id' }).then((r) => r.items).catch((e) => { unitsPromise = null; throw e })
  return unitsPromise
}
