// The messages of modules/rhythm.js, loaded with its first page (router.js).
export default {
  menu: {
    'weekly-reports': '周报', weeklyReports: '周报', reportStatus: '周报报送情况', coordination: '督办事项', inspections: '督查', bulletins: '通报', checkpoints: '考核节点',
    rules: '奖惩规则', proposals: '奖惩建议', admonitions: '谈话诫勉',
  },
  rh: {
    status: '状态', all: '全部', week: '周次', weekN: '第 {n} 周', weekRange: '第 {n} 周（{from} 至 {to}）', new: '新建', edit: '编辑', save: '保存', view: '查看', delete: '删除',
    saved: '已保存', deleted: '已删除', confirmDelete: '确定删除这条记录吗？', confirm: '确定', note: '说明', required: '请填写{f}', back: '返回列表', colon: '：', lp: '（', rp: '）',
    comma: '，', noCampaign: '请先选择会战',
  },
  wr: {
    detail: '周报详情', followUps: '洽谈跟踪', alreadyWritten: '已填写', create: '填写周报', createHint: '系统会按所选周次自动填入本单位的数据，提交时再次刷新并冻结。', work_done: '本周工作',
    problems: '需协调解决的问题', next_plan: '下周计划', figures: '系统填报数据', metric: '指标', this_week: '本周', last_week: '上周', to_date: '累计', change: '较上周', reported: '上报',
    certified: '认定', submit: '提交', submitConfirm: '提交后数据冻结，不能再修改。确定提交第 {n} 周周报吗？', submitted: '已提交', review: '听取审阅', heard: '负责人已听取', comments: '负责人意见',
    reviewDate: '听取日期', reviewDone: '已记录听取意见', reviewedBy: '听取情况', onTime: '按时', late: '超期', instructions: '领导批示', addInstruction: '添加批示',
    instructionText: '批示内容', noInstructions: '暂无批示', instructionAdded: '批示已添加', submittedAt: '提交时间', draftHint: '草稿：可修改文字部分，提交后冻结。',
    statusLabels: { draft: '草稿', submitted: '已提交', reviewed: '已听取', missing: '未报送' }, notSubmitted: '未报送/草稿', notReviewed: '已提交未听取', reviewDue: '听取期限',
    dueWeeks: '已结束 {n} 周', allGood: '本周全部报送并听取',
  },
  co: {
    title: '事项', description: '说明', due: '办结时限', daysLeft: '剩余天数', light: '灯', reminders: '催办', remind: '催办', reminded: '已催办，已通知责任单位', lastReminded: '最近催办',
    create: '交办督办事项', advance: '推进', closed: '已办结', overdueDays: '逾期 {n} 天', daysN: '{n} 天', fromReport: '来源周报 ID', handling: '办理情况', feedback: '反馈',
    review_note: '复核意见', closed_on: '办结日期', steps: { signed_off: '签收', handled: '办理', feedback: '反馈', reviewed: '复核', closed: '办结' },
    statusLabels: { assigned: '已交办', signed_off: '已签收', handled: '已办理', feedback: '已反馈', reviewed: '已复核', closed: '已办结' },
    lights: { red: '红灯', yellow: '黄灯', green: '绿灯' }, advanced: '已推进到「{s}」', noteFor: { handled: '办理情况', feedback: '反馈内容', reviewed: '复核意见' },
  },
  ins: {
    create: '新建督查', date: '督查日期', inspectors: '督查人员', leadership: '领导精力投入', negotiation: '招商洽谈', funds: '资金到账', progress: '项目进展', findings: '督查结论',
    dimFindings: '{d}情况', total: '平均分', published: '已公开', draft: '未公开', publish: '公开', publishConfirm: '公开后责任单位可以看到这次督查。确定公开吗？', evidence: '领导精力投入数据',
    withLeader: '负责人参与洽谈', reportsDue: '应报周报', reviewedOnTime: '按时听取', score: '得分',
  },
  bul: {
    detail: '通报详情', number: '期号', numberN: '第 {n} 期', title: '标题', issuer: '发文单位', period: '通报期间', generate: '生成通报草稿', generated: '已生成第 {n} 期草稿',
    draftWaiting: '第 {n} 期草稿待发布：发布或删除后才能生成下一期', generateHint: '默认从上一期已发布通报的次日（或会战开始）至今天；数据在期末冻结。', periodStart: '期初（可空）', periodEnd: '期末（可空）', intro: '导语',
    highlights_text: '工作亮点', closing: '下步要求', publish: '发布', publishConfirm: '发布后通报不可再修改或删除，SHA-256 记入审计链。确定发布第 {n} 期吗？', published: '已发布', publishedOn: '发布日期',
    print: '打印版', download: '下载', pdf: 'PDF（公文版式）', xlsx: 'Excel 表格', ranking: '综合排名', rank: '名次', score: '得分', fundsCert: '到位资金（认定，万元）', signedCert: '签约（认定）', lagging: '落后单位', ruleOutcomes: '规则建议',
    instructions: '领导批示', deleteDraft: '删除草稿', statusLabels: { draft: '草稿', published: '已发布' }, readOnly: '已发布，内容不可更改',
  },
  cp: {
    new: '新增考核节点', editTitle: '编辑考核节点', dateHint: '在会战起止日期（{from} 至 {to}）之内', confirmDelete: '确定删除考核节点“{name}”吗？',
    name: '名称', kind: '类型', date: '日期', evaluate: '评估', evaluated: '评估完成：新增 {n} 条建议', noLonger: '{n} 条未决建议已不再满足条件，请驳回', warning: '预警',
    warningTitle: '预警：{name}', judgedOn: '依据', judged: { figures: '当前数据', forecast: '预测' }, asOf: '截至', wouldPropose: '将产生的建议', notYet: '日期未到，不能评估',
    kinds: { month_end: '月底', midpoint: '过半', fair: '经贸洽谈会', final: '会战结束', other: '其他' }, noWarnings: '按今天的数据，此节点不会产生建议',
  },
  rule: {
    new: '新增规则',
    confirmDelete: '确定删除规则 {code}“{name}”吗？',
    code: '编号', name: '名称', trigger: '触发时机', condition: '条件', outcome: '结果', outcomeText: '处理意见', enabled: '启用', conditionJson: '条件（JSON）',
    badJson: '条件不是有效的 JSON',
    triggers: { month_end: '月底节点', midpoint: '过半节点', fair: '经贸洽谈会', final: '会战结束', other: '其他节点', any_checkpoint: '任一节点', bulletin: '每期通报' },
  },
  pr: {
    source: '来源', fromBulletin: '通报第 {n} 期', fromCheckpoint: '节点：{name}', approve: '批准', dismiss: '驳回', decisionNote: '审定意见', approved: '已批准', dismissed: '已驳回',
    statusLabels: { proposed: '待审定', approved: '已批准', dismissed: '已驳回' }, basis: '依据', schedule: '安排谈话', noteRequired: '驳回须填写意见',
    outcomes: {
      full_time_investment: '主要负责人离职招商', leave_post: '主要负责人离岗招商', accountability: '追究主要负责人责任', commendation: '表彰奖励', admonition: '谈话诫勉', other: '其他',
    },
  },
  adm: { create: '登记谈话', date: '谈话日期', leader: '谈话领导', head: '谈话对象', basis: '谈话依据', notes: '谈话记录', proposal: '奖惩建议', bulletin: '通报', created: '已登记谈话' },
}
