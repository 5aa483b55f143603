// Who is logged in, what they may do (capabilities from GET /api/v1/me:
// {collection: [verb or action, …]}), the campaign
// they are looking at, and the unread notification count.
import { reactive } from 'vue'
import { get, post, api, setCsrf } from './api'

export const session = reactive({
  me: null,
  loaded: false,
  campaigns: [],
  campaignId: null,
  unread: 0,
  notifications: [],
  today: '', // the server's today (GET /health), which may differ from this computer's
})

const CAMPAIGN_KEY = 'huizhan.campaign'
// Set while this browser holds a session: a first visit then asks nothing that would
// answer 401 (the session cookie itself is HttpOnly, out of the script's reach).
const SIGNED_IN_KEY = 'huizhan.signedIn'
function signedIn(v) {
  try {
    if (v === undefined) return localStorage.getItem(SIGNED_IN_KEY) === '1'
    if (v) localStorage.setItem(SIGNED_IN_KEY, '1')
    else localStorage.removeItem(SIGNED_IN_KEY)
  } catch { /* private mode */ }
  return true
}

export function campaign() {
  return session.campaigns.find((c) => c.id === session.campaignId) || null
}

export function campaignTz() {
  return (campaign() && campaign().time_zone) || 'Asia/Shanghai'
}

export function can(collection, action = 'read') {
  const me = session.me
  if (!me) return false
  const caps = me.capabilities || {}
  return Array.isArray(caps[collection]) && caps[collection].includes(action)
}

export function isUnitUser() {
  return !!session.me && (session.me.role === 'unit_head' || session.me.role === 'unit_staff')
}

export async function loadMe() {
  if (!signedIn()) {
    session.me = null
    session.loaded = true
    return null
  }
  try {
    const me = await get('/me')
    session.me = me
    setCsrf(me.csrf_token)
    // A generated or expired password: the API takes nothing else until it is changed
    // (the router shows the change-password page).
    if (me.must_change_password) return session.me
    const health = await fetch('/health').then((r) => r.json()).catch(() => null)
    session.today = (health && health.today) || ''
    await loadCampaigns()
    refreshNotifications()
  } catch (e) {
    if (e.status !== 401) throw e
    session.me = null
    signedIn(false)
  } finally {
    session.loaded = true
  }
  return session.me
}

async function loadCampaigns() {
  const r = await get('/campaigns', { limit: 100, sort: '-id' })
  session.campaigns = r.items || []
  let saved = null
  try { saved = Number(localStorage.getItem(CAMPAIGN_KEY)) } catch { /* ignore */ }
  const active = session.campaigns.find((c) => c.status === 'active') || session.campaigns[0]
  session.campaignId = session.campaigns.some((c) => c.id === saved) ? saved : active ? active.id : null
}

// After the office creates, edits or deletes a campaign (OrgCampaigns.vue).
export const reloadCampaigns = () => loadCampaigns()

export function selectCampaign(id) {
  session.campaignId = id
  try { localStorage.setItem(CAMPAIGN_KEY, String(id)) } catch { /* ignore */ }
}

export async function login(loginName, password) {
  const r = await post('/session', { login: loginName, password })
  setCsrf(r.csrf_token)
  signedIn(true)
  session.loaded = false
  return loadMe()
}

// POST /me/password; then the session is whole again and loaded as after a login.
export async function changePassword(current, next) {
  await post('/me/password', { current_password: current, new_password: next })
  session.loaded = false
  return loadMe()
}

export function mustChangePassword() {
  return !!(session.me && session.me.must_change_password)
}

export async function logout() {
  try { await api('DELETE', '/session') } catch { /* already gone */ }
  session.me = null
  signedIn(false)
  setCsrf('')
}

// The newest notification the person has seen is kept on the server (GET /me's
// notifications_seen, POST /notifications/seen), so every browser shows the same count.

export async function refreshNotifications() {
  if (!session.me) return
  try {
    const r = await get('/notifications', { limit: 20, sort: '-id', campaign_id: session.campaignId || undefined })
    session.notifications = r.items || []
    const seen = Number(session.me.notifications_seen) || 0
    session.unread = session.notifications.filter((n) => n.id > seen).length
  } catch {
    session.notifications = []
    session.unread = 0
  }
}

export async function markNotificationsSeen() {
  const top = session.notifications.reduce((m, n) => Math.max(m, n.id), 0)
  session.unread = 0
  if (!session.me || top <= (Number(session.me.notifications_seen) || 0)) return
  try {
    const r = await post('/notifications/seen', { up_to: top })
    if (session.me) session.me.notifications_seen = r.up_to
  } catch { /* the count comes back on the next refresh */ }
}

// The server said 401 mid-use (session expired or revoked).
export function sessionExpired() {
  session.me = null
  signedIn(false)
}
