// The administrator's pages in 系统管理: users, API tokens, the campaign's assessment
// settings and the scheduled jobs. Each shows only to the roles whose capabilities admit it.
import { User, Key, Operation, Timer } from '@element-plus/icons-vue'

export default {
  routes: [
    { path: '/admin/users', name: 'admin-users', component: () => import('../views/AdminUsers.vue'), meta: { menu: true, group: 'system', order: 82, title: 'admin.users.menu', icon: User, cap: ['users', 'update'] } },
    { path: '/admin/settings', name: 'admin-settings', component: () => import('../views/AdminSettings.vue'), meta: { menu: true, group: 'system', order: 86, title: 'admin.settings.menu', icon: Operation, cap: ['settings', 'update'] } },
    { path: '/admin/jobs', name: 'admin-jobs', component: () => import('../views/AdminJobs.vue'), meta: { menu: true, group: 'system', order: 88, title: 'admin.jobs.menu', icon: Timer, cap: ['jobs', 'read'] } },
    { path: '/admin/tokens', name: 'admin-tokens', component: () => import('../views/AdminTokens.vue'), meta: { menu: true, group: 'system', order: 84, title: 'admin.tokens.menu', icon: Key, cap: ['api-tokens', 'read'] } },
  ],
  // The menu titles now; the pages' own messages with the first of them (modules/zh/admin.js).
  messages: { 'zh-CN': { admin: { users: { menu: '用户管理' }, settings: { menu: '考核设置' }, jobs: { menu: '定时任务' }, tokens: { menu: 'API 令牌' } } } },
  lazyMessages: { 'zh-CN': () => import('./zh/admin.js') },
}
