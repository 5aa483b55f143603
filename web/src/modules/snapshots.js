// 数据快照: the figures frozen on a day (ranking, progress, funnel) the office keeps as the
// basis of a bulletin or a meeting, and how today's figures differ from them.
import { Camera } from '@element-plus/icons-vue'

export default {
  routes: [
    { path: '/snapshots', name: 'snapshots', component: () => import('../views/AssessSnapshots.vue'), meta: { menu: true, group: 'assessment', order: 65, title: 'menu.snapshots', icon: Camera, cap: ['snapshots', 'create'], office: true } },
  ],
  messages: {
    'zh-CN': {
      menu: { snapshots: '数据快照' },
      snap: {
        hint: '快照冻结某一天的排名、各指标完成情况和项目漏斗，作为通报和会议的依据；之后的认定、修改不会改变它。',
        create: '冻结当前数据', label: '名称', labelHint: '如：第3期通报依据', asOf: '数据截至', createdAt: '冻结时间', createdBy: '冻结人', digest: '校验值',
        view: '查看', compare: '与当前对比', frozen: '冻结时', current: '当前', noChange: '冻结以来数据没有变化', changes: '共 {n} 处变化',
        ranking: '综合排名', totals: '全市合计', rank: '名次', score: '得分', metric: '指标', target: '目标', reported: '申报', certified: '认定', completion: '完成率',
        rankMetric: '名次', sides: '箭头左边是冻结时的数，右边是当前的数', title: '{label}（截至 {date}）',
      },
    },
  },
}
