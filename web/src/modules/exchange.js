// Data exchange (issue 12): spreadsheet imports; the export button's messages.
import { UploadFilled, ChatDotRound } from '@element-plus/icons-vue'

export default {
  routes: [
    { path: '/import', name: 'import', component: () => import('../views/ImportPage.vue'), meta: { menu: true, group: 'system', order: 80, title: 'menu.import', icon: UploadFilled, cap: ['imports', 'create'] } },
    { path: '/webhooks', name: 'webhooks', component: () => import('../views/Webhooks.vue'), meta: { menu: true, group: 'system', order: 85, title: 'menu.webhooks', icon: ChatDotRound, cap: ['webhooks', 'read'] } },
  ],
  messages: {
    'zh-CN': {
      menu: { import: '数据导入', webhooks: '群机器人' },
      hook: {
        intro: '会战的企业微信、钉钉群机器人：通报发布、周报未报、项目停滞、协调事项逾期、预警时推送到群里。',
        add: '添加群机器人', edit: '编辑群机器人', none: '还没有群机器人', name: '名称', kind: '类型', url: 'Webhook 地址', secret: '加签密钥',
        kinds: { wecom: '企业微信', dingtalk: '钉钉' }, events: '推送内容', enabled: '启用',
        ev: { bulletin_published: '通报发布', missing_reports: '周报未报', stale_projects: '项目停滞', overdue_items: '协调事项逾期', early_warning: '预警', test: '测试消息' },
        test: '发送测试消息', log: '推送记录', logTitle: '推送记录', allRobots: '显示全部机器人', noLog: '还没有推送记录',
        time: '时间', robot: '机器人', event: '内容', title: '标题', status: '状态', attempts: '尝试次数', nextRetry: '下次重试',
        st: { pending: '待发送', sent: '已发送', failed: '失败' },
        keepEmpty: '不修改请留空', now: '现为 {v}',
        testFailedHint: '群里没有收到这条消息。请核对 Webhook 地址（和钉钉的加签密钥）是否与群机器人设置里的一致；钉钉机器人若设了“自定义关键词”或“IP 地址段”，也须相符。服务器的回答：', secretHint: '钉钉机器人“加签”的密钥，可不填',
        testOk: '测试消息已发送（{d}）', testFailed: '测试消息发送失败',
        deleteText: '删除群机器人“{n}”？推送记录会保留。', editBtn: '编辑', delete: '删除', save: '保存', saved: '已保存',
      },

      exportButton: { label: '导出', started: '正在生成导出文件，浏览器稍后开始下载' },
      imp: {
        step1: '选择文件', step2: '检查结果', step3: '确认导入',
        kind: '导入内容', file: '文件', choose: '选择文件并检查', template: '下载导入模板', templateEn: '英文列名模板', hint: '支持 Excel（.xlsx）和 CSV；选择文件后先检查，不会写入数据，确认后才导入。',
        kinds: { units: '单位', users: '用户', targets: '目标任务', projects: '项目', 'follow-ups': '跟踪洽谈记录', funds: '到账资金' },
        dryTitle: '检查结果（尚未写入）', doneTitle: '导入结果',
        state: { dry_run: '可以导入', rejected: '有错误，未导入', committed: '已导入', interrupted: '导入中断' },
        created: '新建', updated: '更新', unchanged: '不变', errors: '错误',
        ignored: '以下列不导入（已忽略）：', errorsXlsx: '下载标出错误的工作簿（改好后可直接重新导入）',
        col: { row: '行', column: '列', value: '内容', message: '问题', action: '处理', key: '记录' },
        action: { create: '新建', update: '更新', unchanged: '不变' }, blank: '（空）', gbk: '文件为 GBK 编码，已转换为 UTF-8',
        itemsMore: '表中只列出前 {n} 行。',
        checking: '正在检查，已读 {n} 行…', writing: '正在导入，已处理 {n} 行…',
        another: '导入其他文件', view: '查看{k}',
        more: '共 {n} 处错误，表中只列出前 1000 处，完整的见工作簿。',
        confirm: '确认导入（{n} 行）', confirmTitle: '确认导入', confirmText: '将新建 {c} 条、更新 {u} 条记录。确定导入吗？',
        committed: '已导入 {n} 条记录', failed: '文件无法读取', exportExisting: '导出现有数据',
        rejectedNote: '文件中有 {n} 处错误，整个文件都没有导入。请按下表改正后重新选择文件。',
        interruptedNote: '检查通过后写入时，下表的行被拒绝（其间数据被他人改动）：前 {n} 行已导入，其后未导入。改正后再次导入同一文件即可补完，已导入的行不会重复。',
      },
    },
  },
}
