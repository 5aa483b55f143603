// English messages of modules/rhythm.js, loaded when someone switches to English.
export default {
  menu: { 'weekly-reports': 'Weekly reports', weeklyReports: 'Weekly reports', reportStatus: 'Report status', coordination: 'Coordination items', inspections: 'Inspections', bulletins: 'Bulletins', checkpoints: 'Checkpoints', rules: 'Rules', proposals: 'Proposals', admonitions: 'Admonition talks' },
  rh: {
    status: 'Status', all: 'All', week: 'Week', weekN: 'Week {n}', weekRange: 'Week {n} ({from} – {to})', new: 'New', edit: 'Edit', save: 'Save', view: 'View', delete: 'Delete',
    saved: 'Saved', deleted: 'Deleted', confirmDelete: 'Delete this record?', confirm: 'OK', note: 'Note', required: '{f} is required', back: 'Back to list', colon: ': ', lp: ' (', rp: ')', comma: ', ', noCampaign: 'Choose a campaign first',
  },
  wr: {
    detail: 'Weekly report', followUps: 'Follow-ups', alreadyWritten: 'written', create: 'Write a report', createHint: 'The system fills in the unit\'s figures for the week; submitting refreshes and freezes them.',
    work_done: 'Work done', problems: 'Problems to coordinate', next_plan: 'Next week\'s plan', figures: 'Figures from the system', metric: 'Metric',
    this_week: 'This week', last_week: 'Last week', to_date: 'To date', change: 'Change', reported: 'reported', certified: 'certified',
    submit: 'Submit', submitConfirm: 'Submitting freezes the figures; the report can no longer be edited. Submit the report of week {n}?', submitted: 'Submitted',
    review: 'Review', heard: 'Heard by the head', comments: 'Head\'s comments', reviewDate: 'Review date', reviewDone: 'Review recorded',
    reviewedBy: 'Review', onTime: 'on time', late: 'late',
    instructions: 'Leaders\' instructions', addInstruction: 'Add instruction', instructionText: 'Instruction', noInstructions: 'No instructions yet', instructionAdded: 'Instruction added',
    submittedAt: 'Submitted at', draftHint: 'Draft: the text may be edited; submitting freezes it.',
    statusLabels: { draft: 'Draft', submitted: 'Submitted', reviewed: 'Reviewed', missing: 'Missing' },
    notSubmitted: 'Missing or draft', notReviewed: 'Submitted, not reviewed', reviewDue: 'Review due', dueWeeks: '{n} weeks ended', allGood: 'Every unit reported and was reviewed',
  },
  co: {
    title: 'Item', description: 'Description', due: 'Due', daysLeft: 'Days left', light: 'Light', reminders: 'Reminders', remind: 'Remind', reminded: 'Reminder sent to the unit',
    lastReminded: 'Last reminded', create: 'Raise an item', advance: 'Advance', closed: 'Closed', overdueDays: '{n} days overdue', daysN: '{n} days', fromReport: 'From report ID',
    handling: 'Handling', feedback: 'Feedback', review_note: 'Review note', closed_on: 'Closed on',
    steps: { signed_off: 'Sign off', handled: 'Handled', feedback: 'Feedback', reviewed: 'Review', closed: 'Close' },
    statusLabels: { assigned: 'Assigned', signed_off: 'Signed off', handled: 'Handled', feedback: 'Fed back', reviewed: 'Reviewed', closed: 'Closed' },
    lights: { red: 'Red', yellow: 'Yellow', green: 'Green' }, advanced: 'Moved to “{s}”', noteFor: { handled: 'How it was handled', feedback: 'Feedback', reviewed: 'Review note' },
  },
  ins: {
    create: 'New inspection', date: 'Date', inspectors: 'Inspectors', leadership: 'Leadership', negotiation: 'Negotiation', funds: 'Funds', progress: 'Progress',
    findings: 'Conclusion', dimFindings: '{d} findings', total: 'Average', published: 'Published', draft: 'Not published', publish: 'Publish', publishConfirm: 'The unit will see this inspection once published. Publish it?',
    evidence: 'Leadership evidence', withLeader: 'Follow-ups with the head', reportsDue: 'Reports due', reviewedOnTime: 'Reviewed on time', score: 'Score',
  },
  bul: {
    detail: 'Bulletin details', number: 'No.', numberN: 'No. {n}', title: 'Title', issuer: 'Issuer', period: 'Period', generate: 'Generate a draft', generated: 'Draft no. {n} generated', draftWaiting: 'Draft no. {n} waits: publish or delete it before generating the next',
    generateHint: 'By default from the day after the last published bulletin (or the campaign start) to today; the figures are frozen at the period end.', periodStart: 'From (optional)', periodEnd: 'To (optional)',
    intro: 'Introduction', highlights_text: 'Highlights', closing: 'Requirements', publish: 'Publish', publishConfirm: 'A published bulletin can no longer be changed or deleted; its SHA-256 goes into the audit chain. Publish no. {n}?',
    published: 'Published', publishedOn: 'Published on', print: 'Print view', download: 'Download', pdf: 'PDF (circular layout)', xlsx: 'Excel tables', ranking: 'Ranking', rank: 'Rank', score: 'Score', fundsCert: 'Funds (certified, 10k CNY)', signedCert: 'Signed (certified)',
    lagging: 'Lagging units', ruleOutcomes: 'Rule outcomes', instructions: 'Leaders\' instructions', deleteDraft: 'Delete draft', statusLabels: { draft: 'Draft', published: 'Published' }, readOnly: 'Published: the content can no longer change',
  },
  cp: {
    new: 'New checkpoint', editTitle: 'Edit checkpoint', dateHint: 'Within the campaign ({from} to {to})', confirmDelete: 'Delete the checkpoint "{name}"?',
    name: 'Name', kind: 'Kind', date: 'Date', evaluate: 'Evaluate', evaluated: 'Evaluated: {n} new proposals', noLonger: '{n} undecided proposals no longer meet their rule; dismiss them', warning: 'Early warning',
    warningTitle: 'Early warning: {name}', judgedOn: 'Judged on', judged: { figures: 'today\'s figures', forecast: 'the forecast' }, asOf: 'As of', wouldPropose: 'Would propose', notYet: 'Its date has not come yet',
    kinds: { month_end: 'Month end', midpoint: 'Midpoint', fair: 'Trade fair', final: 'Campaign end', other: 'Other' }, noWarnings: 'On today\'s figures this checkpoint proposes nothing',
  },
  rule: {
    new: 'New rule',
    confirmDelete: 'Delete rule {code} "{name}"?',
    code: 'Code', name: 'Name', trigger: 'Trigger', condition: 'Condition', outcome: 'Outcome', outcomeText: 'Outcome text', enabled: 'Enabled', conditionJson: 'Condition (JSON)', badJson: 'The condition is not valid JSON',
    triggers: { month_end: 'Month-end checkpoint', midpoint: 'Midpoint checkpoint', fair: 'Trade fair checkpoint', final: 'Final checkpoint', other: 'Other checkpoint', any_checkpoint: 'Any checkpoint', bulletin: 'Every bulletin' },
  },
  pr: {
    source: 'Source', fromBulletin: 'Bulletin no. {n}', fromCheckpoint: 'Checkpoint: {name}', approve: 'Approve', dismiss: 'Dismiss', decisionNote: 'Note', approved: 'Approved', dismissed: 'Dismissed',
    statusLabels: { proposed: 'Undecided', approved: 'Approved', dismissed: 'Dismissed' }, basis: 'Basis', schedule: 'Schedule a talk', noteRequired: 'A dismissal needs a note',
    outcomes: { full_time_investment: 'Head leaves post for investment work', leave_post: 'Head leaves post', accountability: 'Accountability', commendation: 'Commendation', admonition: 'Admonition talk', other: 'Other' },
  },
  adm: { create: 'Record a talk', date: 'Date', leader: 'Leader', head: 'Person talked to', basis: 'Basis', notes: 'Notes', proposal: 'Proposal', bulletin: 'Bulletin', created: 'Talk recorded' },
}
