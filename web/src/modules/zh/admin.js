// The messages of modules/admin.js, loaded with its first page (router.js).
export default {
  admin: {
    edit: '编辑', save: '保存', saved: '已保存', more: '操作',
    users: {
      menu: '用户管理', search: '登录名、姓名', role: '角色', mustChange: '须改密码', mustChangeHint: '重置密码或初始化生成的密码：下次登录时须先修改', state: '状态', active: '正常', disabled: '已停用', new: '新建用户', editTitle: '编辑用户', login: '登录名', name: '姓名',
      title: '职务', phone: '电话', password: '初始密码', passwordHint: '至少 8 个字符', resetPassword: '重置密码', resetPasswordFor: '重置 {name} 的密码', newPassword: '新密码',
      passwordNote: '保存后该用户已登录的会话全部失效，须用新密码重新登录。', passwordSet: '{name} 的密码已重置', disable: '停用', enable: '启用',
      disableConfirm: '停用 {name}（{login}）？停用后不能登录，已登录的会话立即失效。', enableConfirm: '启用 {name}（{login}）？',
      nameTitle: '姓名 / 职务', lastLogin: '上次登录', neverLoggedIn: '从未登录', lastLoginLine: '上次登录：{time}',
    },
    settings: {
      menu: '考核设置', lights: '红黄绿灯与停滞', behind_margin: '落后阈值（百分点）', ahead_margin: '超序时阈值（百分点）', stale_days: '停滞天数', behindHint: '完成率低于时间进度减此值为红灯',
      aheadHint: '完成率高于时间进度加此值为绿灯', staleHint: '项目连续这么多天无进展即列为停滞', weights: '综合得分权重', weightsHint: '各指标在综合排名中的权重', probabilities: '阶段成功概率（%）',
      probHint: '期末预测按项目所处阶段计入的概率', conflict: '设置已被他人修改，请点“重置”载入最新设置后再改',
    },
    jobs: {
      menu: '定时任务', about: '服务器按时自动执行的任务（北京时间）', name: '任务', when: '执行时间', lastRun: '上次执行', enabled: '启用', runNow: '立即运行', weekly: '每{day} {time}',
      daily: '每天 {time}', runConfirm: '现在运行“{name}”？', ran: '“{name}”已运行', turnedOn: '已启用“{name}”', turnedOff: '已停用“{name}”',
      weekdays: { '0': '周日', '1': '周一', '2': '周二', '3': '周三', '4': '周四', '5': '周五', '6': '周六' },
      names: { 'bulletin-draft': '生成周通报草稿', 'early-warning': '考核节点预警', 'missing-reports': '提醒未交周报的单位', 'remind-overdue': '催办逾期协调事项' },
    },
    tokens: {
      menu: 'API 令牌', new: '新建令牌', name: '令牌名称', namePlaceholder: '如：统计局数据同步', user: '以谁的身份', userPlaceholder: '输入登录名或姓名查找',
      userNote: '令牌拥有该用户的全部权限，建议为接口单独建一个用户。', created: '创建时间', valid: '有效', revoked: '已吊销', revoke: '吊销', revokeConfirm: '吊销令牌“{name}”（{login}）？使用它的程序将无法再访问。',
      revokedDone: '令牌已吊销', create: '生成令牌', made: '令牌已生成', onlyOnce: '请立即复制并妥善保存：关闭此窗口后令牌不会再显示。', copy: '复制', copied: '已复制', copyFailed: '无法自动复制，请手动选中复制',
      usage: '调用接口时放在请求头：', done: '我已保存', about: 'API 令牌供其他系统或脚本调用接口，系统只保存其摘要；遗失请吊销后重新生成。',
    },
  },
}
