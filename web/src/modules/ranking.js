// 得分反查: the messages of the dashboard's score drill-down (views/ScoreDrill.vue, loaded
// lazily from the dashboard); no page of its own.
export default {
  routes: [],
  messages: {
    'zh-CN': {
      drill: {
        title: '得分反查', hint: '点击单位名称或得分条，查看得分构成及所依据的记录', rank: '总排名', categoryRank: '类别内排名', completion: '综合完成率',
        metric: '指标', value: '认定值', of: '目标 / 基准', ratio: '完成比', weight: '权重', points: '得分', total: '合计', reported: '申报',
        basis: { target: '对目标', best_unit: '对最好单位' }, records: '计分所依据的记录', noRecords: '没有计入的记录', kind: '类型',
        formula: '得分 = 100 × Σ(权重 × 完成比) ÷ Σ权重；完成比 = 认定值 ÷ 目标（最多 1.5），活动类指标为本单位次数 ÷ 最好单位的次数。每类记录最多列出 200 条。',
        kinds: { lead: '项目线索', follow_up: '洽谈', stage_change: '阶段认定', fund: '到账资金' },
      },
    },
  },
}
