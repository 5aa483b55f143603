// English messages of modules/screen.js, loaded when someone switches to English.
export default {
  screen: {
    title: 'Big screen', open: 'Big screen', subtitle: 'Investment campaign command screen', asOf: 'As of {date}', day: 'Day {day} of {days}',
    daysLeft: 'Left', days: 'days', timeProgress: 'Time elapsed', certified: 'Certified', reported: 'Reported', target: 'Target', completion: 'Completion',
    ranking: 'Unit ranking', funnel: 'Project stages', matrix: 'Unit × metric lights', signings: 'Latest signings', overdue: 'Overdue coordination items',
    noSignings: 'No signings yet', noOverdue: 'Nothing overdue', overdueDays: '{n} d overdue', updated: 'Updated {time}', offline: 'Connection lost; showing data of {time}',
    fullscreen: 'Full screen', exitFullscreen: 'Exit full screen', back: 'Back to dashboard', loading: 'Loading…', wan: '10k CNY', yi: '100M CNY', projects: '',
    pending: 'pending', certifiedTag: 'certified', unitCount: '{n} units',
    short: { funds_arrived: 'Fund', signed_count: 'Sgn', signed_value: 'Sgn¥', started_count: 'Strt', completed_count: 'Done', policy_funds: 'Pol', leads_count: 'Lead' },
  },
}
