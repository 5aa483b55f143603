// The administrator's and the office's system pages.
import { Document } from '@element-plus/icons-vue'

export default {
  routes: [
    { path: '/audit', name: 'audit', component: () => import('../views/Audit.vue'), meta: { menu: true, group: 'system', order: 90, title: 'menu.audit', icon: Document, cap: ['audit', 'read'], office: true } },
  ],
  // The menu titles now; the pages' own messages with the first of them (modules/zh/system.js).
  messages: { 'zh-CN': {} },
  lazyMessages: { 'zh-CN': () => import('./zh/system.js') },
}
