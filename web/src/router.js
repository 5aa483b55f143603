// Routes, each loaded on first visit. meta.cap = [collection, action] the route needs
// (from capabilities in /api/v1/me); without it the Forbidden page shows at the same URL.
import { createRouter, createWebHistory } from 'vue-router'
import { session, loadMe, can } from './session'

const Layout = () => import('./layout/Layout.vue')

export const menuRoutes = [
  { path: '/home', name: 'home', component: () => import('./views/Home.vue'), meta: { title: 'menu.home', icon: 'House' } },
  { path: '/dashboard', name: 'dashboard', component: () => import('./views/Dashboard.vue'), meta: { title: 'menu.dashboard', icon: 'DataAnalysis', cap: ['campaigns', 'dashboard'] } },
  { path: '/projects', name: 'projects', component: () => import('./views/Projects.vue'), meta: { title: 'menu.projects', icon: 'Briefcase', cap: ['projects', 'read'] } },
  { path: '/certification', name: 'certification', component: () => import('./views/Certification.vue'), meta: { title: 'menu.certification', icon: 'Stamp', cap: ['stage-changes', 'certify'], office: true } },
  { path: '/notifications', name: 'notifications', component: () => import('./views/Notifications.vue'), meta: { title: 'menu.notifications', icon: 'Bell', cap: ['notifications', 'read'] } },
  { path: '/audit', name: 'audit', component: () => import('./views/Audit.vue'), meta: { title: 'menu.audit', icon: 'Document', cap: ['audit', 'read'], office: true } },
]

const routes = [
  { path: '/login', name: 'login', component: () => import('./views/Login.vue'), meta: { public: true, title: 'login.title' } },
  {
    path: '/',
    component: Layout,
    redirect: '/home',
    children: [
      ...menuRoutes,
      { path: '/projects/:id(\\d+)', name: 'project', component: () => import('./views/ProjectDetail.vue'), meta: { title: 'project.detail', parent: 'projects', cap: ['projects', 'read'] } },
      { path: '/403', name: 'forbidden', component: () => import('./views/Forbidden.vue'), meta: { title: 'error.forbiddenTitle' } },
      { path: '/:rest(.*)*', name: 'notfound', component: () => import('./views/NotFound.vue'), meta: { title: 'error.notFoundTitle' } },
    ],
  },
]

export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach(async (to) => {
  if (!session.loaded) await loadMe().catch(() => null)
  if (to.meta.public) return session.me && to.name === 'login' ? { path: '/home' } : true
  if (!session.me) return { name: 'login', query: to.fullPath !== '/home' && to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  const cap = to.meta.cap
  if (cap && !can(cap[0], cap[1])) {
    // Keep the URL the person typed; show why instead of the page.
    return { name: 'forbidden', params: {}, query: { from: to.fullPath }, replace: true }
  }
  return true
})
