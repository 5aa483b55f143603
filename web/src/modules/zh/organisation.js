// The messages of modules/organisation.js, loaded with its first page (router.js).
export default {
  menu: { orgUnits: '单位管理', orgTargets: '目标分解', orgTeams: '招商小分队', orgEvents: '经贸活动' },
  org: {
    unitSearch: '单位名称 / 简称', category: '单位类别', unitNew: '新增单位', unitEdit: '编辑单位', unitName: '单位名称', shortName: '简称', phone: '电话', targets: '目标',
    level: '单位 / 科室 / 个人', section: '科室', target: '目标值', partsSum: '下级合计', short: '差', over: '超', sectionsLabel: '科室', peopleLabel: '个人', set: '设定',
    sectionsShort: '各科室目标合计 {sum}，少于单位目标 {value}，差 {gap}', peopleShort: '个人目标合计 {sum}，少于单位目标 {value}，差 {gap}', teamSearch: '小分队名称', teamName: '小分队',
    members: '队员数', roster: '人员评估', period: '评估期间：{from} 至 {to}', person: '人员', leads: '线索', followed: '洽谈', signed: '签约', funds: '到账（万元）', proposal: '系统建议',
    decision: '调整决定', inTeam: '队员', proposals: { keep: '留任', drop: '调出', add: '调入' }, notAdd: '不调入', changes: '调入 {add} 人，调出 {drop} 人', apply: '应用调整',
    rosterHint: '系统按评估期间的线索、洽谈、签约和到账情况提出建议，可逐人调整后应用。', applyConfirm: '调入：{add}；调出：{drop}。确认调整小分队名单？', eventSearch: '活动名称', eventNew: '新增活动', eventEdit: '编辑活动',
    eventName: '活动名称', eventDates: '日期', place: '地点', start: '开始日期', end: '结束日期',
  },
}
