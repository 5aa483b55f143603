// English messages of modules/system.js, loaded when someone switches to English.
export default {
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
}
