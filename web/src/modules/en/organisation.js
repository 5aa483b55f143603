// English messages of modules/organisation.js, loaded when someone switches to English.
export default {
  menu: { orgUnits: 'Units', orgTargets: 'Target breakdown', orgTeams: 'Teams', orgEvents: 'Events' },
  org: {
    unitSearch: 'Unit name / short name', category: 'Unit category', unitNew: 'New unit', unitEdit: 'Edit unit', unitName: 'Unit name', shortName: 'Short name', phone: 'Phone',
    targets: 'Targets', level: 'Unit / section / person', section: 'Section', target: 'Target', partsSum: 'Sum of parts', short: 'short', over: 'over', sectionsLabel: 'sections', peopleLabel: 'people', set: 'Set',
    sectionsShort: 'Sections add up to {sum}, less than the unit\'s {value} (short by {gap})', peopleShort: 'People add up to {sum}, less than the unit\'s {value} (short by {gap})',
    teamSearch: 'Team name', teamName: 'Team', members: 'Members', roster: 'Roster review', period: 'Period: {from} to {to}', person: 'Person',
    leads: 'Leads', followed: 'Follow-ups', signed: 'Signed', funds: 'Funds (10k yuan)', proposal: 'Proposal', decision: 'Decision', inTeam: 'member',
    proposals: { keep: 'Keep', drop: 'Drop', add: 'Add' }, notAdd: 'Do not add', changes: '{add} to add, {drop} to drop', apply: 'Apply',
    rosterHint: 'The proposals come from each person\'s leads, follow-ups, signings and funds in the period; adjust them person by person, then apply.',
    applyConfirm: 'Add: {add}; drop: {drop}. Change the team\'s members?',
    eventSearch: 'Event name', eventNew: 'New event', eventEdit: 'Edit event', eventName: 'Event name', eventDates: 'Dates', place: 'Place', start: 'Start date', end: 'End date',
  },
}
