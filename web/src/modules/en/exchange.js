// English messages of modules/exchange.js, loaded when someone switches to English.
export default {
  menu: { import: 'Import', webhooks: 'Group robots' },
  hook: {
    intro: "The campaign's WeCom and DingTalk group robots: told when a bulletin is published, weekly reports are missing, projects stall, coordination items are overdue, and of early warnings.",
    add: 'Add a group robot', edit: 'Edit the group robot', none: 'No group robots yet', name: 'Name', kind: 'Kind', url: 'Webhook URL', secret: 'Signing secret',
    kinds: { wecom: 'WeCom', dingtalk: 'DingTalk' }, events: 'Events', enabled: 'Enabled',
    ev: { bulletin_published: 'Bulletin published', missing_reports: 'Reports missing', stale_projects: 'Quiet projects', overdue_items: 'Overdue items', early_warning: 'Early warning', test: 'Test message' },
    test: 'Send a test message', log: 'Deliveries', logTitle: 'Delivery log', allRobots: 'All robots', noLog: 'Nothing sent yet',
    time: 'Time', robot: 'Robot', event: 'Event', title: 'Title', status: 'Status', attempts: 'Attempts', nextRetry: 'next retry',
    st: { pending: 'Pending', sent: 'Sent', failed: 'Failed' },
    keep: 'Leave empty to keep it (now {v})', secretHint: "DingTalk's signing secret (optional)",
    testOk: 'Test message sent ({d})', testFailed: 'The test message failed',
    deleteText: 'Delete the group robot "{n}"? Its delivery log is kept.', editBtn: 'Edit', delete: 'Delete', save: 'Save', saved: 'Saved',
  },

  exportButton: { label: 'Export' },
  imp: {
    step1: 'Choose a file', step2: 'Check', step3: 'Confirm',
    kind: 'What to import', file: 'File', choose: 'Choose a file and check it', template: 'Download the template', templateEn: 'Template with English headers', hint: 'Excel (.xlsx) or CSV. The file is checked first and nothing is written until you confirm.',
    kinds: { units: 'Units', users: 'Users', targets: 'Targets', projects: 'Projects', 'follow-ups': 'Follow-ups', funds: 'Funds' },
    dryTitle: 'Check result (nothing written yet)', doneTitle: 'Import result',
    state: { dry_run: 'Ready to import', rejected: 'Errors: nothing imported', committed: 'Imported', interrupted: 'Interrupted' },
    created: 'New', updated: 'Updated', unchanged: 'Unchanged', errors: 'Errors',
    ignored: 'Columns not imported (ignored):', errorsXlsx: 'Download the workbook with the errors marked (fix it and import it as it is)',
    col: { row: 'Row', column: 'Column', value: 'Value', message: 'Problem' },
    more: '{n} errors in all; the table lists the first 1000, the workbook has them all.',
    confirm: 'Import ({n} rows)', confirmTitle: 'Confirm the import', confirmText: '{c} records will be created and {u} updated. Import now?',
    committed: '{n} records imported', failed: 'The file cannot be read', exportExisting: 'Export what is there',
    rejectedNote: 'The file has {n} errors, so none of it was imported. Fix them as listed and choose the file again.',
    interruptedNote: 'The file passed the check, but while it was written the row listed below was refused (someone changed the data meanwhile): its first {n} rows are imported, the rest not. Fix it and import the same file again to finish; rows already imported are not duplicated.',
  },
}
