// The JSON API as the UI uses it: same origin, session cookie, CSRF header on writes.
// Errors become ApiError with the server's code and per-field messages (error.fields).
let csrf = ''
let onUnauthorized = null
let onPasswordChange = null

export function setCsrf(token) { csrf = token || '' }
export function setUnauthorizedHandler(fn) { onUnauthorized = fn }
// Called on 403 password_change_required (a generated or expired password).
export function setPasswordChangeHandler(fn) { onPasswordChange = fn }

export class ApiError extends Error {
  constructor(status, err) {
    super((err && err.message) || `HTTP ${status}`)
    this.status = status
    this.code = (err && err.code) || (status === 0 ? 'network' : 'internal_error')
    this.fields = (err && err.fields) || {}
  }
}

function url(path, query) {
  const u = new URL('/api/v1' + path, location.origin)
  for (const [k, v] of Object.entries(query || {})) {
    if (Array.isArray(v)) v.forEach((x) => u.searchParams.append(k, x)) // "any of": the parameter once per value
    else if (v !== undefined && v !== null && v !== '') u.searchParams.set(k, v)
  }
  return u.pathname + u.search
}

export async function api(method, path, { query, body, form, signal } = {}) {
  const headers = { Accept: 'application/json' }
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrf
  let payload
  if (form) payload = form
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json'
    payload = JSON.stringify(body)
  }
  let r
  try {
    r = await fetch(url(path, query), { method, headers, body: payload, credentials: 'same-origin', signal })
  } catch (e) {
    if (e.name === 'AbortError') throw e
    throw new ApiError(0, null)
  }
  const text = await r.text()
  let data = null
  try { data = text ? JSON.parse(text) : null } catch { data = null }
  if (!r.ok) {
    const err = new ApiError(r.status, data && data.error)
    if (r.status === 401 && onUnauthorized && path !== '/session') onUnauthorized()
    if (err.code === 'password_change_required' && onPasswordChange) onPasswordChange()
    throw err
  }
  return data
}

export const get = (path, query, opts) => api('GET', path, { ...opts, query })
export const post = (path, body) => api('POST', path, { body })
export const patch = (path, body) => api('PATCH', path, { body })
export const del = (path) => api('DELETE', path)
