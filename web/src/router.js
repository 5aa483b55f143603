// Routes, each loaded on first visit; the pages come from src/modules/. meta.cap =
// [collection, action] the route needs (from capabilities in /api/v1/me); without it the
// Forbidden page shows at the same URL. meta.bare: a page of its own, outside the shell
// (the big screen).
import { createRouter, createWebHistory } from 'vue-router'
import { session, loadMe, can, mustChangePassword } from './session'
import { moduleRoutes } from './modules'
import { i18n } from './i18n'

const Layout = () => import('./layout/Layout.vue')

export { menuRoutes } from './modules'

const routes = [
  { path: '/login', name: 'login', component: () => import('./views/Login.vue'), meta: { public: true, title: 'login.title' } },
  { path: '/password', name: 'password', component: () => import('./views/ChangePassword.vue'), meta: { title: 'password.title' } },
  ...moduleRoutes.filter((r) => r.meta && r.meta.bare),
  {
    path: '/',
    component: Layout,
    redirect: '/home',
    children: [
      ...moduleRoutes.filter((r) => !(r.meta && r.meta.bare)),
      { path: '/403', name: 'forbidden', component: () => import('./views/Forbidden.vue'), meta: { title: 'error.forbiddenTitle' } },
      { path: '/:rest(.*)*', name: 'notfound', component: () => import('./views/NotFound.vue'), meta: { title: 'error.notFoundTitle' } },
    ],
  },
]

export const router = createRouter({ history: createWebHistory(), routes })

// Modules whose messages came with their first page (modules.js), merged once.
const merged = new Set()
async function pageMessages(to) {
  const load = to.meta.loadMessages
  if (!load || merged.has(load)) return
  i18n.global.mergeLocaleMessage('zh-CN', await load())
  merged.add(load)
}

router.beforeEach(async (to) => {
  if (!session.loaded) await loadMe().catch(() => null)
  await pageMessages(to)
  if (to.meta.public) return session.me && to.name === 'login' ? { path: '/home' } : true
  if (!session.me) return { name: 'login', query: to.fullPath !== '/home' && to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  // The server refuses everything else (403 password_change_required) until the password is changed.
  if (mustChangePassword()) return to.name === 'password' ? true : { name: 'password', query: { redirect: to.fullPath } }
  const cap = to.meta.cap
  if (cap && !can(cap[0], cap[1])) {
    // Keep the URL the person typed; show why instead of the page.
    return { name: 'forbidden', params: {}, query: { from: to.fullPath }, replace: true }
  }
  return true
})
