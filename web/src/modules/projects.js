// Projects from lead to money in the bank, and the office's certification of them.
import { Briefcase, Stamp, Grid, CopyDocument, Avatar } from '@element-plus/icons-vue'

export default {
  routes: [
    { path: '/projects', name: 'projects', component: () => import('../views/Projects.vue'), meta: { menu: true, group: 'projects', order: 20, title: 'menu.projects', icon: Briefcase, cap: ['projects', 'read'] } },
    { path: '/projects/board', name: 'project-board', component: () => import('../views/ProjectBoard.vue'), meta: { menu: true, group: 'projects', order: 21, title: 'menu.projectBoard', icon: Grid, cap: ['projects', 'read'] } },
    { path: '/projects/:id(\\d+)', name: 'project', component: () => import('../views/ProjectDetail.vue'), meta: { title: 'project.detail', parent: 'projects', cap: ['projects', 'read'] } },
    { path: '/certification', name: 'certification', component: () => import('../views/Certification.vue'), meta: { menu: true, group: 'projects', order: 22, title: 'menu.certification', icon: Stamp, cap: ['stage-changes', 'certify'], office: true } },
    { path: '/investors', name: 'investors', component: () => import('../views/ProjectInvestors.vue'), meta: { menu: true, group: 'projects', order: 21.5, title: 'menu.investors', icon: Avatar, cap: ['investors', 'read'] } },
    { path: '/duplicates', name: 'duplicates', component: () => import('../views/ProjectDuplicates.vue'), meta: { menu: true, group: 'projects', order: 23, title: 'menu.duplicates', icon: CopyDocument, cap: ['projects', 'settle-duplicate'], office: true } },
  ],
  messages: {
    'zh-CN': {
      menu: { projectBoard: '项目看板', duplicates: '重复申报', investors: '客商库' },
      inv: {
        search: '客商名称 / 行业 / 联系人', industry: '行业', contact: '联系人', contactName: '联系人', contactPhone: '联系电话', unit: '登记单位', editTitle: '编辑客商',
        delete: '删除', deleted: '已删除', confirmDelete: '确定删除客商“{name}”吗？已有项目的客商不能删除。',
      },
      dup: {
        hint: '不同单位申报了同一客商的项目。认定为重复后，重复的一方不再计入该单位的考核数据；不是重复则移出本列表。',
        empty: '没有待处理的疑似重复申报', similarity: '客商名称相似度', isDup: '{x} 为重复', notDup: '不是重复',
        match: { investor: '同一客商', investor_name: '客商名称相近' },
        confirmDup: '确认“{x}”是“{y}”的重复申报？其数据将不再计入考核。', confirmNot: '确认这两个项目不是重复申报？', settled: '已处理',
      },
      fields: { fu_date: '洽谈日期', kind: '方式', summary: '洽谈内容', next_date: '下一步日期', fund_date: '到账日期' },
      project: {
        create: '新建项目', edit: '编辑', save: '保存', saved: '已保存', board: '看板', listView: '列表',
        conflict: '已被他人修改，请刷新', none: '无', investor: '客商', investorSearch: '输入名称查找客商', investorNew: '新建客商',
        investorName: '客商名称', investorKind: '类型', investorOrigin: '来源地', event: '签约活动', sourceName: '信息提供人（系统外）',
        sourceHint: '留空则记为登记人本人', leadUnitOffice: '牵头单位只能由会战办公室调整',
        addFollowUp: '新增洽谈记录', addFund: '登记到账资金', outside: '外部人员', outsideHint: '客商方人员，如：张总（董事长）',
        editFollowUp: '修改洽谈记录', editFund: '修改到账资金', confirmDeleteFollowUp: '删除 {date} 的洽谈记录“{summary}”吗？',
        confirmDeleteFund: '删除 {date} 到账的 {amount} 万元吗？', confirmDeleteAttachment: '删除附件“{name}”吗？',
        confirmDelete: '删除项目“{name}”吗？此操作不能撤销（已有洽谈记录、资金或附件的项目不能删除，可推进到“终止”）。',
        voucherFile: '凭证附件', fundBeforeSigning: '项目签约前只能登记上级政策资金', history: '变更历史',
        auditAction: { create: '新建', update: '修改', delete: '删除', certify: '认定', reject: '退回' },
        f: { name: '项目名称', lead_unit_id: '牵头单位', co_unit_ids: '参与单位', responsible_user_id: '跟踪责任人', source_user_id: '信息提供人',
          source_name: '信息提供人（系统外）', investor_id: '客商', category: '类别', method: '招商方式', planned_investment: '计划投资',
          contract_value: '合同金额', event_id: '签约活动', stage: '阶段', reinvestment_of: '再投资来源项目', description: '项目简介',
          lead_date: '线索日期', last_activity_date: '最近进展', duplicate_of: '重复认定为' },
        daysQuiet: '{n} 天未跟进', more: '再加载（还有 {n} 个）',
      },
    },
  },
}
