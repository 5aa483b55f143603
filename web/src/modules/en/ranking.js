// English messages of modules/ranking.js, loaded when someone switches to English.
export default {
  drill: {
    title: 'Score breakdown', hint: 'Click a unit\'s name or bar to see how its score is made up and the records behind it', rank: 'Rank', categoryRank: 'Rank in category',
    completion: 'Completion', metric: 'Metric', value: 'Certified', of: 'Target / basis', ratio: 'Ratio', weight: 'Weight', points: 'Points', total: 'Total',
    reported: 'reported', basis: { target: 'against target', best_unit: 'against best unit' }, records: 'Records counted', noRecords: 'No records counted', kind: 'Kind',
    formula: 'score = 100 × Σ(weight × ratio) / Σ weight; ratio = certified / target (at most 1.5), or for activities the unit\'s count / the best unit\'s. At most 200 records of each kind are listed.',
    kinds: { lead: 'Lead', follow_up: 'Follow-up', stage_change: 'Stage certified', fund: 'Fund arrival' },
  },
}
