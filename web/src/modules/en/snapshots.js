// English messages of modules/snapshots.js.
export default {
  menu: { snapshots: 'Snapshots' },
  snap: {
    hint: 'A snapshot freezes the ranking, each metric\'s progress and the project funnel of a day, as the basis of a bulletin or a meeting; later certifications and edits do not change it.',
    create: 'Freeze current figures', label: 'Name', labelHint: 'e.g. basis of bulletin no. 3', asOf: 'Figures as of', createdAt: 'Frozen at', createdBy: 'Frozen by', digest: 'Checksum',
    view: 'View', compare: 'Compare with now', frozen: 'Frozen', current: 'Now', noChange: 'Nothing has changed since it was frozen', changes: '{n} changes',
    ranking: 'Overall ranking', totals: 'City totals', rank: 'Rank', score: 'Score', metric: 'Metric', target: 'Target', reported: 'Reported', certified: 'Certified', completion: 'Completion',
    rankMetric: 'Rank', sides: 'Amounts and counts: certified (reported)', title: '{label} (as of {date})',
  },
}
