// The administrator's pages in 系统管理: users, API tokens, the campaign's assessment
// settings and the scheduled jobs. Each shows only to the roles whose capabilities admit it.
import { User, Key, Operation, Timer } from '@element-plus/icons-vue'

export default {
  routes: [
    { path: '/admin/users', name: 'admin-users', component: () => import('../views/AdminUsers.vue'), meta: { menu: true, group: 'system', order: 82, title: 'admin.users.menu', icon: User, cap: ['users', 'update'] } },
    { path: '/admin/settings', name: 'admin-settings', component: () => import('../views/AdminSettings.vue'), meta: { menu: true, group: 'system', order: 86, title: 'admin.settings.menu', icon: Operation, cap: ['settings', 'update'] } },
    { path: '/admin/jobs', name: 'admin-jobs', component: () => import('../views/AdminJobs.vue'), meta: { menu: true, group: 'system', order: 88, title: 'admin.jobs.menu', icon: Timer, cap: ['jobs', 'read'] } },
    { path: '/admin/tokens', name: 'admin-tokens', component: () => import('../views/AdminTokens.vue'), meta: { menu: true, group: 'system', order: 84, title: 'admin.tokens.menu', icon: Key, cap: ['api-tokens', 'read'] } },
  ],
  messages: {
    'zh-CN': {
      admin: {
        edit: '编辑', save: '保存', saved: '已保存', more: '操作',
        users: {
          menu: '用户管理', search: '登录名、姓名', role: '角色', state: '状态', active: '正常', disabled: '已停用', new: '新建用户', editTitle: '编辑用户',
          login: '登录名', name: '姓名', title: '职务', phone: '电话', password: '初始密码', passwordHint: '至少 8 个字符',
          resetPassword: '重置密码', resetPasswordFor: '重置 {name} 的密码', newPassword: '新密码', passwordNote: '保存后该用户已登录的会话全部失效，须用新密码重新登录。',
          passwordSet: '{name} 的密码已重置', disable: '停用', enable: '启用',
          disableConfirm: '停用 {name}（{login}）？停用后不能登录，已登录的会话立即失效。', enableConfirm: '启用 {name}（{login}）？',
        },
        settings: {
          menu: '考核设置', lights: '红黄绿灯与停滞', behind_margin: '落后阈值（百分点）', ahead_margin: '超序时阈值（百分点）', stale_days: '停滞天数',
          behindHint: '完成率低于时间进度减此值为红灯', aheadHint: '完成率高于时间进度加此值为绿灯', staleHint: '项目连续这么多天无进展即列为停滞',
          weights: '综合得分权重', weightsHint: '各指标在综合排名中的权重', probabilities: '阶段成功概率（%）', probHint: '期末预测按项目所处阶段计入的概率',
          conflict: '设置已被他人修改，请点“重置”载入最新设置后再改', 
        },
        jobs: {
          menu: '定时任务', about: '服务器按时自动执行的任务（北京时间）', name: '任务', when: '执行时间', lastRun: '上次执行', enabled: '启用', runNow: '立即运行',
          weekly: '每{day} {time}', daily: '每天 {time}', runConfirm: '现在运行“{name}”？', ran: '“{name}”已运行', turnedOn: '已启用“{name}”', turnedOff: '已停用“{name}”',
          weekdays: { 0: '周日', 1: '周一', 2: '周二', 3: '周三', 4: '周四', 5: '周五', 6: '周六' },
          names: { 'bulletin-draft': '生成周通报草稿', 'early-warning': '考核节点预警', 'missing-reports': '提醒未交周报的单位', 'remind-overdue': '催办逾期协调事项' },
        },
        tokens: {
          menu: 'API 令牌', new: '新建令牌', name: '令牌名称', namePlaceholder: '如：统计局数据同步', user: '以谁的身份', userPlaceholder: '输入登录名或姓名查找',
          userNote: '令牌拥有该用户的全部权限，建议为接口单独建一个用户。', created: '创建时间', valid: '有效', revoked: '已吊销', revoke: '吊销',
          revokeConfirm: '吊销令牌“{name}”（{login}）？使用它的程序将无法再访问。', revokedDone: '令牌已吊销', create: '生成令牌', made: '令牌已生成',
          onlyOnce: '请立即复制并妥善保存：关闭此窗口后令牌不会再显示。', copy: '复制', copied: '已复制', copyFailed: '无法自动复制，请手动选中复制',
          usage: '调用接口时放在请求头：', done: '我已保存', about: 'API 令牌供其他系统或脚本调用接口，系统只保存其摘要；遗失请吊销后重新生成。',
        },
      },
    },
    en: {
      admin: {
        edit: 'Edit', save: 'Save', saved: 'Saved', more: 'More',
        users: {
          menu: 'Users', search: 'Login or name', role: 'Role', state: 'State', active: 'Active', disabled: 'Disabled', new: 'New user', editTitle: 'Edit user',
          login: 'Login', name: 'Name', title: 'Title', phone: 'Phone', password: 'Initial password', passwordHint: 'At least 8 characters',
          resetPassword: 'Reset password', resetPasswordFor: 'New password for {name}', newPassword: 'New password', passwordNote: 'Saving ends the user\'s sessions; they log in again with the new password.',
          passwordSet: 'Password of {name} reset', disable: 'Disable', enable: 'Enable',
          disableConfirm: 'Disable {name} ({login})? They can no longer log in and their sessions end now.', enableConfirm: 'Enable {name} ({login})?',
        },
        settings: {
          menu: 'Assessment settings', lights: 'Lights and quiet projects', behind_margin: 'Behind margin (points)', ahead_margin: 'Ahead margin (points)', stale_days: 'Quiet days',
          behindHint: 'Red when completion is below time elapsed minus this', aheadHint: 'Green when completion is above time elapsed plus this', staleHint: 'A project with no progress for this many days is quiet',
          weights: 'Score weights', weightsHint: 'Each metric\'s weight in the ranking', probabilities: 'Stage probabilities (%)', probHint: 'How much of a project counts in the forecast, by stage',
          conflict: 'Someone else changed the settings; press Reset to load them, then change again',
        },
        jobs: {
          menu: 'Scheduled jobs', about: 'What the server runs by itself (Beijing time)', name: 'Job', when: 'When', lastRun: 'Last run', enabled: 'On', runNow: 'Run now',
          weekly: 'Every {day} at {time}', daily: 'Daily at {time}', runConfirm: 'Run "{name}" now?', ran: '"{name}" ran', turnedOn: '"{name}" on', turnedOff: '"{name}" off',
          weekdays: { 0: 'Sunday', 1: 'Monday', 2: 'Tuesday', 3: 'Wednesday', 4: 'Thursday', 5: 'Friday', 6: 'Saturday' },
          names: { 'bulletin-draft': 'Draft the weekly bulletin', 'early-warning': 'Checkpoint early warning', 'missing-reports': 'Remind units without a weekly report', 'remind-overdue': 'Chase overdue coordination items' },
        },
        tokens: {
          menu: 'API tokens', new: 'New token', name: 'Token name', namePlaceholder: 'e.g. statistics bureau sync', user: 'Acts as', userPlaceholder: 'Type a login or name',
          userNote: 'The token has all of this user\'s rights; a user of its own for the interface is best.', created: 'Created', valid: 'Valid', revoked: 'Revoked', revoke: 'Revoke',
          revokeConfirm: 'Revoke token "{name}" ({login})? Programs using it lose access.', revokedDone: 'Token revoked', create: 'Create token', made: 'Token created',
          onlyOnce: 'Copy it now and keep it safe: it is not shown again once this window closes.', copy: 'Copy', copied: 'Copied', copyFailed: 'Could not copy; select it and copy by hand',
          usage: 'Send it in the request header:', done: 'I have saved it', about: 'API tokens let other systems and scripts call the API; only a hash is stored. Lost one? Revoke it and make a new one.',
        },
      },
    },
  },
}
