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
  messages: {
    'zh-CN': {
      menu: { 'weekly-reports': '周报', weeklyReports: '周报', reportStatus: '周报报送情况', coordination: '督办事项', inspections: '督查', bulletins: '通报', checkpoints: '考核节点', rules: '奖惩规则', proposals: '奖惩建议', admonitions: '谈话诫勉' },
      rh: {
        status: '状态', all: '全部', week: '周次', weekN: '第 {n} 周', weekRange: '第 {n} 周（{from} 至 {to}）', new: '新建', edit: '编辑', save: '保存', view: '查看', delete: '删除',
        saved: '已保存', deleted: '已删除', confirmDelete: '确定删除这条记录吗？', confirm: '确定', note: '说明', required: '请填写{f}', back: '返回列表', colon: '：', lp: '（', rp: '）', comma: '，', noCampaign: '请先选择会战',
      },
      wr: {
        detail: '周报详情', followUps: '洽谈跟踪', alreadyWritten: '已填写', create: '填写周报', createHint: '系统会按所选周次自动填入本单位的数据，提交时再次刷新并冻结。',
        work_done: '本周工作', problems: '需协调解决的问题', next_plan: '下周计划', figures: '系统填报数据', metric: '指标',
        this_week: '本周', last_week: '上周', to_date: '累计', change: '较上周', reported: '上报', certified: '认定',
        submit: '提交', submitConfirm: '提交后数据冻结，不能再修改。确定提交第 {n} 周周报吗？', submitted: '已提交',
        review: '听取审阅', heard: '负责人已听取', comments: '负责人意见', reviewDate: '听取日期', reviewDone: '已记录听取意见',
        reviewedBy: '听取情况', onTime: '按时', late: '超期',
        instructions: '领导批示', addInstruction: '添加批示', instructionText: '批示内容', noInstructions: '暂无批示', instructionAdded: '批示已添加',
        submittedAt: '提交时间', draftHint: '草稿：可修改文字部分，提交后冻结。',
        statusLabels: { draft: '草稿', submitted: '已提交', reviewed: '已听取', missing: '未报送' },
        notSubmitted: '未报送/草稿', notReviewed: '已提交未听取', reviewDue: '听取期限', dueWeeks: '已结束 {n} 周', allGood: '本周全部报送并听取',
      },
      co: {
        title: '事项', description: '说明', due: '办结时限', daysLeft: '剩余天数', light: '灯', reminders: '催办', remind: '催办', reminded: '已催办，已通知责任单位',
        lastReminded: '最近催办', create: '交办督办事项', advance: '推进', closed: '已办结', overdueDays: '逾期 {n} 天', daysN: '{n} 天', fromReport: '来源周报 ID',
        handling: '办理情况', feedback: '反馈', review_note: '复核意见', closed_on: '办结日期',
        steps: { signed_off: '签收', handled: '办理', feedback: '反馈', reviewed: '复核', closed: '办结' },
        statusLabels: { assigned: '已交办', signed_off: '已签收', handled: '已办理', feedback: '已反馈', reviewed: '已复核', closed: '已办结' },
        lights: { red: '红灯', yellow: '黄灯', green: '绿灯' }, advanced: '已推进到「{s}」', noteFor: { handled: '办理情况', feedback: '反馈内容', reviewed: '复核意见' },
      },
      ins: {
        create: '新建督查', date: '督查日期', inspectors: '督查人员', leadership: '领导精力投入', negotiation: '招商洽谈', funds: '资金到账', progress: '项目进展',
        findings: '督查结论', dimFindings: '{d}情况', total: '平均分', published: '已公开', draft: '未公开', publish: '公开', publishConfirm: '公开后责任单位可以看到这次督查。确定公开吗？',
        evidence: '领导精力投入数据', withLeader: '负责人参与洽谈', reportsDue: '应报周报', reviewedOnTime: '按时听取', score: '得分',
      },
      bul: {
        detail: '通报详情', number: '期号', numberN: '第 {n} 期', title: '标题', issuer: '发文单位', period: '通报期间', generate: '生成通报草稿', generated: '已生成第 {n} 期草稿', draftWaiting: '第 {n} 期草稿待发布：发布或删除后才能生成下一期',
        generateHint: '默认从上一期已发布通报的次日（或会战开始）至今天；数据在期末冻结。', periodStart: '期初（可空）', periodEnd: '期末（可空）',
        intro: '导语', highlights_text: '工作亮点', closing: '下步要求', publish: '发布', publishConfirm: '发布后通报不可再修改或删除，SHA-256 记入审计链。确定发布第 {n} 期吗？',
        published: '已发布', publishedOn: '发布日期', print: '打印版', ranking: '综合排名', rank: '名次', score: '得分', fundsCert: '到位资金（认定，万元）', signedCert: '签约（认定）',
        lagging: '落后单位', ruleOutcomes: '规则建议', instructions: '领导批示', deleteDraft: '删除草稿', statusLabels: { draft: '草稿', published: '已发布' }, readOnly: '已发布，内容不可更改',
      },
      cp: {
        name: '名称', kind: '类型', date: '日期', evaluate: '评估', evaluated: '评估完成：新增 {n} 条建议', noLonger: '{n} 条未决建议已不再满足条件，请驳回', warning: '预警',
        warningTitle: '预警：{name}', judgedOn: '依据', judged: { figures: '当前数据', forecast: '预测' }, asOf: '截至', wouldPropose: '将产生的建议', notYet: '日期未到，不能评估',
        kinds: { month_end: '月底', midpoint: '过半', fair: '经贸洽谈会', final: '会战结束', other: '其他' }, noWarnings: '按今天的数据，此节点不会产生建议',
      },
      rule: {
        code: '编号', name: '名称', trigger: '触发时机', condition: '条件', outcome: '结果', outcomeText: '处理意见', enabled: '启用', conditionJson: '条件（JSON）', badJson: '条件不是有效的 JSON',
        triggers: { month_end: '月底节点', midpoint: '过半节点', fair: '经贸洽谈会', final: '会战结束', other: '其他节点', any_checkpoint: '任一节点', bulletin: '每期通报' },
      },
      pr: {
        source: '来源', fromBulletin: '通报第 {n} 期', fromCheckpoint: '节点：{name}', approve: '批准', dismiss: '驳回', decisionNote: '审定意见', approved: '已批准', dismissed: '已驳回',
        statusLabels: { proposed: '待审定', approved: '已批准', dismissed: '已驳回' }, basis: '依据', schedule: '安排谈话', noteRequired: '驳回须填写意见',
        outcomes: { full_time_investment: '主要负责人离职招商', leave_post: '主要负责人离岗招商', accountability: '追究主要负责人责任', commendation: '表彰奖励', admonition: '谈话诫勉', other: '其他' },
      },
      adm: { create: '登记谈话', date: '谈话日期', leader: '谈话领导', head: '谈话对象', basis: '谈话依据', notes: '谈话记录', proposal: '奖惩建议', bulletin: '通报', created: '已登记谈话' },
    },
    en: {
      menu: { 'weekly-reports': 'Weekly reports', weeklyReports: 'Weekly reports', reportStatus: 'Report status', coordination: 'Coordination items', inspections: 'Inspections', bulletins: 'Bulletins', checkpoints: 'Checkpoints', rules: 'Rules', proposals: 'Proposals', admonitions: 'Admonition talks' },
      rh: {
        status: 'Status', all: 'All', week: 'Week', weekN: 'Week {n}', weekRange: 'Week {n} ({from} – {to})', new: 'New', edit: 'Edit', save: 'Save', view: 'View', delete: 'Delete',
        saved: 'Saved', deleted: 'Deleted', confirmDelete: 'Delete this record?', confirm: 'OK', note: 'Note', required: '{f} is required', back: 'Back to list', colon: ': ', lp: ' (', rp: ')', comma: ', ', noCampaign: 'Choose a campaign first',
      },
      wr: {
        detail: 'Weekly report', followUps: 'Follow-ups', alreadyWritten: 'written', create: 'Write a report', createHint: 'The system fills in the unit\'s figures for the week; submitting refreshes and freezes them.',
        work_done: 'Work done', problems: 'Problems to coordinate', next_plan: 'Next week\'s plan', figures: 'Figures from the system', metric: 'Metric',
        this_week: 'This week', last_week: 'Last week', to_date: 'To date', change: 'Change', reported: 'reported', certified: 'certified',
        submit: 'Submit', submitConfirm: 'Submitting freezes the figures; the report can no longer be edited. Submit the report of week {n}?', submitted: 'Submitted',
        review: 'Review', heard: 'Heard by the head', comments: 'Head\'s comments', reviewDate: 'Review date', reviewDone: 'Review recorded',
        reviewedBy: 'Review', onTime: 'on time', late: 'late',
        instructions: 'Leaders\' instructions', addInstruction: 'Add instruction', instructionText: 'Instruction', noInstructions: 'No instructions yet', instructionAdded: 'Instruction added',
        submittedAt: 'Submitted at', draftHint: 'Draft: the text may be edited; submitting freezes it.',
        statusLabels: { draft: 'Draft', submitted: 'Submitted', reviewed: 'Reviewed', missing: 'Missing' },
        notSubmitted: 'Missing or draft', notReviewed: 'Submitted, not reviewed', reviewDue: 'Review due', dueWeeks: '{n} weeks ended', allGood: 'Every unit reported and was reviewed',
      },
      co: {
        title: 'Item', description: 'Description', due: 'Due', daysLeft: 'Days left', light: 'Light', reminders: 'Reminders', remind: 'Remind', reminded: 'Reminder sent to the unit',
        lastReminded: 'Last reminded', create: 'Raise an item', advance: 'Advance', closed: 'Closed', overdueDays: '{n} days overdue', daysN: '{n} days', fromReport: 'From report ID',
        handling: 'Handling', feedback: 'Feedback', review_note: 'Review note', closed_on: 'Closed on',
        steps: { signed_off: 'Sign off', handled: 'Handled', feedback: 'Feedback', reviewed: 'Review', closed: 'Close' },
        statusLabels: { assigned: 'Assigned', signed_off: 'Signed off', handled: 'Handled', feedback: 'Fed back', reviewed: 'Reviewed', closed: 'Closed' },
        lights: { red: 'Red', yellow: 'Yellow', green: 'Green' }, advanced: 'Moved to “{s}”', noteFor: { handled: 'How it was handled', feedback: 'Feedback', reviewed: 'Review note' },
      },
      ins: {
        create: 'New inspection', date: 'Date', inspectors: 'Inspectors', leadership: 'Leadership', negotiation: 'Negotiation', funds: 'Funds', progress: 'Progress',
        findings: 'Conclusion', dimFindings: '{d} findings', total: 'Average', published: 'Published', draft: 'Not published', publish: 'Publish', publishConfirm: 'The unit will see this inspection once published. Publish it?',
        evidence: 'Leadership evidence', withLeader: 'Follow-ups with the head', reportsDue: 'Reports due', reviewedOnTime: 'Reviewed on time', score: 'Score',
      },
      bul: {
        detail: 'Bulletin details', number: 'No.', numberN: 'No. {n}', title: 'Title', issuer: 'Issuer', period: 'Period', generate: 'Generate a draft', generated: 'Draft no. {n} generated', draftWaiting: 'Draft no. {n} waits: publish or delete it before generating the next',
        generateHint: 'By default from the day after the last published bulletin (or the campaign start) to today; the figures are frozen at the period end.', periodStart: 'From (optional)', periodEnd: 'To (optional)',
        intro: 'Introduction', highlights_text: 'Highlights', closing: 'Requirements', publish: 'Publish', publishConfirm: 'A published bulletin can no longer be changed or deleted; its SHA-256 goes into the audit chain. Publish no. {n}?',
        published: 'Published', publishedOn: 'Published on', print: 'Print view', ranking: 'Ranking', rank: 'Rank', score: 'Score', fundsCert: 'Funds (certified, 10k yuan)', signedCert: 'Signed (certified)',
        lagging: 'Lagging units', ruleOutcomes: 'Rule outcomes', instructions: 'Leaders\' instructions', deleteDraft: 'Delete draft', statusLabels: { draft: 'Draft', published: 'Published' }, readOnly: 'Published: the content can no longer change',
      },
      cp: {
        name: 'Name', kind: 'Kind', date: 'Date', evaluate: 'Evaluate', evaluated: 'Evaluated: {n} new proposals', noLonger: '{n} undecided proposals are no longer supported; dismiss them', warning: 'Early warning',
        warningTitle: 'Early warning: {name}', judgedOn: 'Judged on', judged: { figures: 'today\'s figures', forecast: 'the forecast' }, asOf: 'As of', wouldPropose: 'Would propose', notYet: 'Its date has not come yet',
        kinds: { month_end: 'Month end', midpoint: 'Midpoint', fair: 'Fair', final: 'Final', other: 'Other' }, noWarnings: 'On today\'s figures this checkpoint proposes nothing',
      },
      rule: {
        code: 'Code', name: 'Name', trigger: 'Trigger', condition: 'Condition', outcome: 'Outcome', outcomeText: 'Outcome text', enabled: 'Enabled', conditionJson: 'Condition (JSON)', badJson: 'The condition is not valid JSON',
        triggers: { month_end: 'Month-end checkpoint', midpoint: 'Midpoint checkpoint', fair: 'Fair', final: 'Final checkpoint', other: 'Other checkpoint', any_checkpoint: 'Any checkpoint', bulletin: 'Every bulletin' },
      },
      pr: {
        source: 'Source', fromBulletin: 'Bulletin no. {n}', fromCheckpoint: 'Checkpoint: {name}', approve: 'Approve', dismiss: 'Dismiss', decisionNote: 'Note', approved: 'Approved', dismissed: 'Dismissed',
        statusLabels: { proposed: 'Undecided', approved: 'Approved', dismissed: 'Dismissed' }, basis: 'Basis', schedule: 'Schedule a talk', noteRequired: 'A dismissal needs a note',
        outcomes: { full_time_investment: 'Head leaves post for investment work', leave_post: 'Head leaves post', accountability: 'Accountability', commendation: 'Commendation', admonition: 'Admonition talk', other: 'Other' },
      },
      adm: { create: 'Record a talk', date: 'Date', leader: 'Leader', head: 'Person talked to', basis: 'Basis', notes: 'Notes', proposal: 'Proposal', bulletin: 'Bulletin', created: 'Talk recorded' },
    },
  },
}
