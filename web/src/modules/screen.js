// The big screen (大屏) for the leaders' meeting room: a page of its own outside the
// shell (meta.bare), the same login and the dashboard's capability.
export default {
  routes: [
    { path: '/screen', name: 'screen', component: () => import('../views/Screen.vue'), meta: { bare: true, title: 'screen.title', cap: ['campaigns', 'dashboard'] } },
  ],
  messages: {
    'zh-CN': {
      screen: {
        title: '会战大屏', open: '大屏', subtitle: '招商引资百日会战指挥大屏', asOf: '数据截至 {date}', day: '第 {day} 天 / 共 {days} 天',
        daysLeft: '剩余', days: '天', timeProgress: '时间进度', certified: '认定', reported: '上报', target: '目标', completion: '完成率',
        ranking: '单位综合排名', funnel: '项目阶段漏斗', matrix: '单位 × 指标 红黄绿灯', signings: '最新签约', overdue: '逾期协调事项',
        noSignings: '暂无签约', noOverdue: '没有逾期事项', overdueDays: '逾期 {n} 天', updated: '更新于 {time}', offline: '连接中断，显示的是 {time} 的数据',
        fullscreen: '全屏', exitFullscreen: '退出全屏', back: '返回驾驶舱', loading: '正在载入…', wan: '万元', yi: '亿元', projects: '个',
        pending: '待认定', certifiedTag: '已认定', unitCount: '{n} 个单位',
        short: { funds_arrived: '到位', signed_count: '签约', signed_value: '金额', started_count: '开工', completed_count: '竣工', policy_funds: '政策', leads_count: '线索' },
      },
    },
  },
}
