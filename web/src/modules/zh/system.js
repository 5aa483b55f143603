// The messages of modules/system.js, loaded with its first page (router.js).
export default {
  auditx: {
    entity: '对象类型', user: '操作人', action: '操作', from: '开始日期', to: '结束日期', changes: '变更内容', view: '详情', hash: '哈希', field: '字段', before: '修改前', after: '修改后',
    onlyChanged: '只看有变化的字段', noData: '此操作没有记录数据变化（如登录）', system: '系统', created: '新建，{n} 个字段', deleted: '已删除',
    entities: {
      projects: '项目', 'stage-changes': '阶段变更', funds: '到位资金', 'follow-ups': '洽谈记录', investors: '客商', targets: '目标', 'weekly-reports': '周报',
      'coordination-items': '协调事项', bulletins: '通报', proposals: '奖惩建议', admonitions: '约谈', inspections: '督查', checkpoints: '考核节点', events: '活动', teams: '小分队',
      units: '单位', sections: '科室', users: '用户', api_tokens: 'API 令牌', campaigns: '会战', 'campaign-settings': '考核设置', rules: '规则', snapshots: '快照', jobs: '定时任务',
    },
    actions: {
      create: '新建', update: '修改', delete: '删除', certify: '认定', reject: '退回', submit: '提交', review: '审阅', approve: '批准', dismiss: '驳回', publish: '发布',
      login: '登录', password: '改密码', token_create: '建令牌', token_revoke: '吊销令牌',
    },
  },
}
