// Data exchange (issue 12): spreadsheet imports; the export button's messages.
import { UploadFilled } from '@element-plus/icons-vue'

export default {
  routes: [
    { path: '/import', name: 'import', component: () => import('../views/ImportPage.vue'), meta: { menu: true, group: 'system', order: 80, title: 'menu.import', icon: UploadFilled, cap: ['imports', 'create'] } },
  ],
  messages: {
    'zh-CN': {
      menu: { import: '数据导入' },
      exportButton: { label: '导出' },
      imp: {
        step1: '选择文件', step2: '检查结果', step3: '确认导入',
        kind: '导入内容', file: '文件', choose: '选择文件并检查', template: '下载导入模板', hint: '支持 Excel（.xlsx）和 CSV；选择文件后先检查，不会写入数据，确认后才导入。',
        kinds: { units: '单位', users: '用户', targets: '目标任务', projects: '项目', 'follow-ups': '跟踪洽谈记录', funds: '到账资金' },
        dryTitle: '检查结果（尚未写入）', doneTitle: '导入结果',
        state: { dry_run: '可以导入', rejected: '有错误，未导入', committed: '已导入' },
        created: '新建', updated: '更新', unchanged: '不变', errors: '错误',
        ignored: '以下列不导入（已忽略）：', errorsXlsx: '下载标出错误的工作簿（改好后可直接重新导入）',
        col: { row: '行', column: '列', value: '内容', message: '问题' },
        more: '共 {n} 处错误，表中只列出前 1000 处，完整的见工作簿。',
        confirm: '确认导入（{n} 行）', confirmTitle: '确认导入', confirmText: '将新建 {c} 条、更新 {u} 条记录。确定导入吗？',
        committed: '已导入 {n} 条记录', failed: '文件无法读取',
      },
    },
    en: {
      menu: { import: 'Import' },
      exportButton: { label: 'Export' },
      imp: {
        step1: 'Choose a file', step2: 'Check', step3: 'Confirm',
        kind: 'What to import', file: 'File', choose: 'Choose a file and check it', template: 'Download the template', hint: 'Excel (.xlsx) or CSV. The file is checked first and nothing is written until you confirm.',
        kinds: { units: 'Units', users: 'Users', targets: 'Targets', projects: 'Projects', 'follow-ups': 'Follow-ups', funds: 'Funds' },
        dryTitle: 'Check result (nothing written yet)', doneTitle: 'Import result',
        state: { dry_run: 'Ready to import', rejected: 'Errors: nothing imported', committed: 'Imported' },
        created: 'New', updated: 'Updated', unchanged: 'Unchanged', errors: 'Errors',
        ignored: 'Columns not imported (ignored):', errorsXlsx: 'Download the workbook with the errors marked (fix it and import it as it is)',
        col: { row: 'Row', column: 'Column', value: 'Value', message: 'Problem' },
        more: '{n} errors in all; the table lists the first 1000, the workbook has them all.',
        confirm: 'Import ({n} rows)', confirmTitle: 'Confirm the import', confirmText: '{c} records will be created and {u} updated. Import now?',
        committed: '{n} records imported', failed: 'The file cannot be read',
      },
    },
  },
}
