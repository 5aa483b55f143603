// The administrator's and the office's system pages.
import { Document } from '@element-plus/icons-vue'

export default {
  routes: [
    { path: '/audit', name: 'audit', component: () => import('../views/Audit.vue'), meta: { menu: true, group: 'system', order: 90, title: 'menu.audit', icon: Document, cap: ['audit', 'read'], office: true } },
  ],
  messages: { 'zh-CN': {}, en: {} },
}
