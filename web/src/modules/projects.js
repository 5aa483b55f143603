// Projects from lead to money in the bank, and the office's certification of them.
import { Briefcase, Stamp } from '@element-plus/icons-vue'

export default {
  routes: [
    { path: '/projects', name: 'projects', component: () => import('../views/Projects.vue'), meta: { menu: true, group: 'projects', order: 20, title: 'menu.projects', icon: Briefcase, cap: ['projects', 'read'] } },
    { path: '/projects/:id(\\d+)', name: 'project', component: () => import('../views/ProjectDetail.vue'), meta: { title: 'project.detail', parent: 'projects', cap: ['projects', 'read'] } },
    { path: '/certification', name: 'certification', component: () => import('../views/Certification.vue'), meta: { menu: true, group: 'projects', order: 22, title: 'menu.certification', icon: Stamp, cap: ['stage-changes', 'certify'], office: true } },
  ],
  messages: { 'zh-CN': {}, en: {} },
}
