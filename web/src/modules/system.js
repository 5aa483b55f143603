// The administrator's and the office's system pages.
import { Document } from '@element-plus/icons-vue'

export default {
  routes: [
    { path: '/audit', name: 'audit', component: () => import('../views/Audit.vue'), meta: { menu: true, group: 'system', order: 90, title: 'menu.audit', icon: Document, cap: ['audit', 'read'], office: true } },
  ],
  messages: {
    'zh-CN': {
      auditx: {
        entity: '对象类型', user: '操作人', action: '操作', from: '开始日期', to: '结束日期', changes: '变更内容', view: '详情', hash: '哈希', field: '字段',
        before: '修改前', after: '修改后', onlyChanged: '只看有变化的字段', noData: '此操作没有记录数据变化（如登录）', system: '系统', created: '新建，{n} 个字段', deleted: '已删除',
        entities: {
          projects: '项目', 'stage-changes': '阶段变更', funds: '到位资金', 'follow-ups': '洽谈记录', investors: '客商', targets: '目标', 'weekly-reports': '周报',
          'coordination-items': '协调事项', bulletins: '通报', proposals: '奖惩建议', admonitions: '约谈', inspections: '督查', checkpoints: '考核节点', events: '活动',
          teams: '小分队', units: '单位', sections: '科室', users: '用户', api_tokens: 'API 令牌', campaigns: '会战', 'campaign-settings': '考核设置', rules: '规则', snapshots: '快照', jobs: '定时任务',
        },
        actions: {
          create: '新建', update: '修改', delete: '删除', certify: '认定', reject: '退回', submit: '提交', review: '审阅', approve: '批准', dismiss: '驳回', publish: '发布',
          login: '登录', password: '改密码', token_create: '建令牌', token_revoke: '吊销令牌',
        },
      },
    },
    en: {
      auditx: {
        entity: 'Object type', user: 'By', action: 'Action', from: 'From', to: 'To', changes: 'Changes', view: 'View', hash: 'Hash', field: 'Field',
        before: 'Before', after: 'After', onlyChanged: 'Changed fields only', noData: 'No data change recorded (e.g. a login)', system: 'System', created: 'Created, {n} fields', deleted: 'Deleted',
        entities: {
          projects: 'Projects', 'stage-changes': 'Stage changes', funds: 'Funds', 'follow-ups': 'Follow-ups', investors: 'Investors', targets: 'Targets', 'weekly-reports': 'Weekly reports',
          'coordination-items': 'Coordination items', bulletins: 'Bulletins', proposals: 'Proposals', admonitions: 'Admonitions', inspections: 'Inspections', checkpoints: 'Checkpoints', events: 'Events',
          teams: 'Teams', units: 'Units', sections: 'Sections', users: 'Users', api_tokens: 'API tokens', campaigns: 'Campaigns', 'campaign-settings': 'Settings', rules: 'Rules', snapshots: 'Snapshots', jobs: 'Jobs',
        },
        actions: {
          create: 'Create', update: 'Update', delete: 'Delete', certify: 'Certify', reject: 'Send back', submit: 'Submit', review: 'Review', approve: 'Approve', dismiss: 'Dismiss', publish: 'Publish',
          login: 'Log in', password: 'Password', token_create: 'New token', token_revoke: 'Revoke token',
        },
      },
    },
  },
}
