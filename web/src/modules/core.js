// The workbench, the dashboard and the notifications: every role's first pages.
import { House, DataAnalysis, Bell } from '@element-plus/icons-vue'

export default {
  routes: [
    { path: '/home', name: 'home', component: () => import('../views/Home.vue'), meta: { menu: true, order: 10, title: 'menu.home', icon: House } },
    { path: '/dashboard', name: 'dashboard', component: () => import('../views/Dashboard.vue'), meta: { menu: true, order: 12, title: 'menu.dashboard', icon: DataAnalysis, cap: ['campaigns', 'dashboard'] } },
    { path: '/notifications', name: 'notifications', component: () => import('../views/Notifications.vue'), meta: { menu: true, order: 30, title: 'menu.notifications', icon: Bell, cap: ['notifications', 'read'] } },
  ],
  messages: { 'zh-CN': {} },
}
