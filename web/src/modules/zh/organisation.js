// The messages of modules/organisation.js, loaded with its first page (router.js).
export default {
  menu: { orgCampaigns: '会战管理', orgUnits: '单位管理', orgTargets: '目标分解', orgTeams: '招商小分队', orgEvents: '经贸活动' },
  org: {
    clearTarget: '清除目标', clearConfirm: '确定清除“{name}”的目标吗？',
    campaignSearch: '会战名称', campaignNew: '新建会战', campaignEdit: '编辑会战', campaignName: '会战名称', campaignStatus: '状态', year: '年度', yearHint: '默认取开始日期的年份',
    timeZone: '时区', current: '当前', campaignStatuses: { draft: '筹备', active: '进行中', closed: '已结束' },
    campaignDelete: '确定删除会战“{name}”吗？已有项目、目标或周报的会战不能删除。',
    teamNew: '新建小分队', teamEdit: '编辑小分队', leader: '队长', pickPerson: '从本单位人员中选择', teamDelete: '确定删除小分队“{name}”吗？',
    eventDelete: '确定删除活动“{name}”吗？已有项目关联的活动不能删除。',
    sectionsBtn: '科室', sectionsOf: '{unit} · 科室', sectionNew: '新增科室', sectionRename: '修改“{name}”的名称', sectionName: '科室名称', add: '新增', delete: '删除', deleted: '已删除',
    noSections: '还没有科室', sectionDelete: '确定删除科室“{name}”吗？', unitDelete: '确定删除单位“{name}”吗？仍有人员、项目或目标的单位不能删除。', manageSections: '管理科室',
    unitSearch: '单位名称 / 简称', category: '单位类别', unitNew: '新增单位', unitEdit: '编辑单位', unitName: '单位名称', shortName: '简称', phone: '电话', targets: '目标',
    level: '单位 / 科室 / 个人', section: '科室', target: '目标值', partsSum: '下级合计', short: '差', over: '超', sectionsLabel: '科室', peopleLabel: '个人', set: '设定',
    sectionsShort: '各科室目标合计 {sum}，少于单位目标 {value}，差 {gap}', peopleShort: '个人目标合计 {sum}，少于单位目标 {value}，差 {gap}', teamSearch: '小分队名称', teamName: '小分队',
    members: '队员数', roster: '人员评估', period: '评估期间：{from} 至 {to}', person: '人员', leads: '线索', followed: '洽谈', signed: '签约', funds: '到账（万元）', proposal: '系统建议',
    decision: '调整决定', inTeam: '队员', proposals: { keep: '留任', drop: '调出', add: '调入' }, notAdd: '不调入', changes: '调入 {add} 人，调出 {drop} 人', apply: '应用调整',
    rosterHint: '系统按评估期间的线索、洽谈、签约和到账情况提出建议，可逐人调整后应用。', applyConfirm: '调入：{add}；调出：{drop}。确认调整小分队名单？', eventSearch: '活动名称', eventNew: '新增活动', eventEdit: '编辑活动',
    eventName: '活动名称', eventDates: '日期', place: '地点', start: '开始日期', end: '结束日期',
  },
}
