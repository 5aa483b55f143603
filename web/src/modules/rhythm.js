// The campaign's working rhythm (weekly reports, coordination items, inspections) and its
// assessment (bulletins, checkpoints, rules, proposals, admonition talks): docs/workflows.md.
import { Notebook, Finished, Flag, Search, Document, AlarmClock, List, Stamp, ChatLineRound } from '@element-plus/icons-vue'

export default {
  routes: [
    { path: '/weekly-reports', name: 'weekly-reports', component: () => import('../views/RhythmReports.vue'), meta: { menu: true, group: 'rhythm', order: 40, title: 'menu.weeklyReports', icon: Notebook, cap: ['weekly-reports', 'read'] } },
    { path: '/weekly-reports/:id(\\d+)', name: 'weekly-report', component: () => import('../views/RhythmReportDetail.vue'), meta: { title: 'wr.detail', parent: 'weekly-reports', cap: ['weekly-reports', 'read'] } },
    { path: '/report-status', name: 'report-status', component: () => import('../views/RhythmReportStatus.vue'), meta: { menu: true, group: 'rhythm', order: 41, title: 'menu.reportStatus', icon: Finished, cap: ['campaigns', 'report-status'] } },
    { path: '/coordination', name: 'coordination', component: () => import('../views/RhythmCoordination.vue'), meta: { menu: true, group: 'rhythm', order: 42, title: 'menu.coordination', icon: Flag, cap: ['coordination-items', 'read'] } },
    { path: '/inspections', name: 'inspections', component: () => import('../views/RhythmInspections.vue'), meta: { menu: true, group: 'rhythm', order: 43, title: 'menu.inspections', icon: Search, cap: ['inspections', 'read'] } },
    { path: '/bulletins', name: 'bulletins', component: () => import('../views/AssessBulletins.vue'), meta: { menu: true, group: 'assessment', order: 60, title: 'menu.bulletins', icon: Document, cap: ['bulletins', 'read'] } },
    { path: '/bulletins/:id(\\d+)', name: 'bulletin', component: () => import('../views/AssessBulletinDetail.vue'), meta: { title: 'bul.detail', parent: 'bulletins', cap: ['bulletins', 'read'] } },
    { path: '/checkpoints', name: 'checkpoints', component: () => import('../views/AssessCheckpoints.vue'), meta: { menu: true, group: 'assessment', order: 61, title: 'menu.checkpoints', icon: AlarmClock, cap: ['checkpoints', 'read'] } },
    { path: '/rules', name: 'rules', component: () => import('../views/AssessRules.vue'), meta: { menu: true, group: 'assessment', order: 62, title: 'menu.rules', icon: List, cap: ['rules', 'read'] } },
    { path: '/proposals', name: 'proposals', component: () => import('../views/AssessProposals.vue'), meta: { menu: true, group: 'assessment', order: 63, title: 'menu.proposals', icon: Stamp, cap: ['proposals', 'read'] } },
    { path: '/admonitions', name: 'admonitions', component: () => import('../views/AssessAdmonitions.vue'), meta: { menu: true, group: 'assessment', order: 64, title: 'menu.admonitions', icon: ChatLineRound, cap: ['admonitions', 'read'] } },
  ],
  // The menu titles now; the pages' own messages with the first of them (modules/zh/rhythm.js).
  messages: { 'zh-CN': { menu: { 'weekly-reports': '周报', weeklyReports: '周报', reportStatus: '周报报送情况', coordination: '督办事项', inspections: '督查', bulletins: '通报', checkpoints: '考核节点', rules: '奖惩规则', proposals: '奖惩建议', admonitions: '谈话诫勉' } } },
  lazyMessages: { 'zh-CN': () => import('./zh/rhythm.js') },
}
