// English messages of modules/organisation.js, loaded when someone switches to English.
export default {
  menu: { orgCampaigns: 'Campaigns', orgUnits: 'Units', orgTargets: 'Target breakdown', orgTeams: 'Teams', orgEvents: 'Events' },
  org: {
    scopes: { campaign: 'Campaign target', annual: 'Annual target' }, zones: { 'Asia/Shanghai': 'Beijing time (Shanghai)', 'Asia/Hong_Kong': 'Beijing time (Hong Kong)', 'Asia/Macau': 'Beijing time (Macau)' },
    clearTarget: 'Remove target', clearConfirm: 'Remove the target of "{name}"?',
    campaignSearch: 'Campaign name', campaignNew: 'New campaign', campaignEdit: 'Edit campaign', campaignName: 'Campaign name', campaignStatus: 'Status', year: 'Year', yearHint: 'Defaults to the start date\'s year',
    timeZone: 'Time zone', current: 'current', campaignStatuses: { draft: 'In preparation', active: 'Active', closed: 'Closed' },
    campaignDelete: 'Delete the campaign "{name}"? A campaign that has projects, targets or weekly reports cannot be deleted.',
    teamNew: 'New team', teamEdit: 'Edit team', leader: 'Team leader', pickPerson: 'Choose from the unit\'s people', teamDelete: 'Delete the team "{name}"?',
    eventDelete: 'Delete the event "{name}"? An event that projects refer to cannot be deleted.',
    sectionsBtn: 'Sections', sectionsOf: '{unit} · sections', sectionNew: 'New section', sectionRename: 'Rename "{name}"', sectionName: 'Section name', add: 'Add', delete: 'Delete', deleted: 'Deleted',
    noSections: 'No sections yet', sectionDelete: 'Delete the section "{name}"?', unitDelete: 'Delete the unit "{name}"? A unit that still has people, projects or targets cannot be deleted.', manageSections: 'Sections',
    unitSearch: 'Name or short name', category: 'Unit category', unitNew: 'New unit', unitEdit: 'Edit unit', unitName: 'Unit name', shortName: 'Short name', phone: 'Phone',
    targets: 'Targets', level: 'Unit / section / person', section: 'Section', target: 'Target', partsSum: 'Sum of parts', short: 'short', over: 'over', sectionsLabel: 'sections', peopleLabel: 'people', set: 'Set',
    sectionsShort: 'Sections add up to {sum}, less than the unit\'s {value} (short by {gap})', peopleShort: 'People add up to {sum}, less than the unit\'s {value} (short by {gap})',
    teamSearch: 'Team name', teamName: 'Team', members: 'Members', roster: 'Roster review', period: 'Period: {from} to {to}', person: 'Person',
    leads: 'Leads', followed: 'Follow-ups', signed: 'Signed', funds: 'Funds (10k CNY)', proposal: 'Proposal', decision: 'Decision', inTeam: 'member',
    proposals: { keep: 'Keep', drop: 'Drop', add: 'Add' }, notAdd: 'Do not add', changes: '{add} to add, {drop} to drop', apply: 'Apply',
    rosterHint: 'The proposals come from each person\'s leads, follow-ups, signings and funds in the period; adjust them person by person, then apply.',
    applyConfirm: 'Add: {add}; drop: {drop}. Change the team\'s members?',
    eventSearch: 'Event name', eventNew: 'New event', eventEdit: 'Edit event', eventName: 'Event name', eventDates: 'Dates', place: 'Place', start: 'Start date', end: 'End date',
  },
}
