// 组织与目标: the campaigns themselves (for the office), the units, the decomposition of their targets to sections and people, and
// the events (经贸洽谈会) projects are signed at.
import { OfficeBuilding, Aim, Calendar, UserFilled, Flag } from '@element-plus/icons-vue'

export default {
  routes: [
    { path: '/organisation/campaigns', name: 'org-campaigns', component: () => import('../views/OrgCampaigns.vue'), meta: { menu: true, group: 'organisation', order: 79, title: 'menu.orgCampaigns', icon: Flag, cap: ['campaigns', 'create'] } },
    { path: '/organisation/units', name: 'org-units', component: () => import('../views/OrgUnits.vue'), meta: { menu: true, group: 'organisation', order: 80, title: 'menu.orgUnits', icon: OfficeBuilding, cap: ['units', 'read'] } },
    { path: '/organisation/targets', name: 'org-targets', component: () => import('../views/OrgTargets.vue'), meta: { menu: true, group: 'organisation', order: 81, title: 'menu.orgTargets', icon: Aim, cap: ['targets', 'read'] } },
    { path: '/organisation/teams', name: 'org-teams', component: () => import('../views/OrgTeams.vue'), meta: { menu: true, group: 'organisation', order: 82, title: 'menu.orgTeams', icon: UserFilled, cap: ['teams', 'read'] } },
    { path: '/organisation/events', name: 'org-events', component: () => import('../views/OrgEvents.vue'), meta: { menu: true, group: 'organisation', order: 83, title: 'menu.orgEvents', icon: Calendar, cap: ['events', 'read'] } },
  ],
  // The menu titles now; the pages' own messages with the first of them (modules/zh/organisation.js).
  messages: { 'zh-CN': { menu: { orgCampaigns: '会战管理', orgUnits: '单位管理', orgTargets: '目标分解', orgTeams: '招商小分队', orgEvents: '经贸活动' } } },
  lazyMessages: { 'zh-CN': () => import('./zh/organisation.js') },
}
