// English messages of modules/projects.js, loaded when someone switches to English.
export default {
  menu: { projectBoard: 'Project board', duplicates: 'Duplicate claims', investors: 'Investors' },
  inv: {
    search: 'Investor name / industry / contact', industry: 'Industry', contact: 'Contact', contactName: 'Contact person', contactPhone: 'Contact phone', unit: 'Registered by', editTitle: 'Edit investor',
    delete: 'Delete', deleted: 'Deleted', confirmDelete: 'Delete the investor "{name}"? An investor with projects cannot be deleted.',
    kinds: { enterprise: 'Company', person: 'Individual' }, origins: { local: 'This city', in_province: 'Elsewhere in the province', out_of_province: 'Other provinces', overseas: 'Overseas' },
  },
  dup: {
    hint: 'Different units reported a project of the same investor. A duplicate stops counting for its unit; a pair that is not a duplicate leaves this list.',
    empty: 'No suspected duplicate claims', similarity: 'Investor name similarity', isDup: '{x} is the duplicate', notDup: 'Not a duplicate',
    match: { investor: 'Same investor', investor_name: 'Similar investor names' },
    confirmDup: 'Mark “{x}” as a duplicate of “{y}”? Its figures will stop counting.', confirmNot: 'Confirm these two projects are not duplicates?', settled: 'Settled',
  },
  fields: { fu_date: 'Meeting date', kind: 'Kind', summary: 'What was discussed', next_date: 'Next step date', fund_date: 'Arrival date' },
  project: {
    create: 'New project', edit: 'Edit', save: 'Save', saved: 'Saved', board: 'Board', listView: 'List',
    conflict: 'Someone else changed it in the meantime; please refresh', none: 'None', investor: 'Investor', investorSearch: 'Type to find an investor',
    investorNew: 'New investor', investorName: 'Investor name', investorKind: 'Kind', investorOrigin: 'Origin', event: 'Signing event',
    sourceName: 'Source (outside the system)', sourceHint: 'Empty: the person registering it', leadUnitOffice: 'Only the Campaign Office can change the lead unit',
    addFollowUp: 'Add follow-up', addFund: 'Record fund arrival', outside: 'Outside participants', outsideHint: 'The investor\'s people, e.g. Mr Zhang (chairman)',
    editFollowUp: 'Edit follow-up', editFund: 'Edit fund arrival', confirmDeleteFollowUp: 'Delete the follow-up of {date}, "{summary}"?',
    confirmDeleteFund: 'Delete the arrival of {amount} (10k CNY) on {date}?', confirmDeleteAttachment: 'Delete the attachment "{name}"?',
    confirmDelete: 'Delete the project "{name}"? This cannot be undone (a project with follow-ups, funds or attachments cannot be deleted: drop it instead).',
    voucherFile: 'Voucher', fundBeforeSigning: 'Before signing, only higher-level policy funds can be recorded', history: 'History',
    auditAction: { create: 'created', update: 'changed', delete: 'deleted', certify: 'certified', reject: 'sent back' },
    f: { name: 'Name', lead_unit_id: 'Lead unit', co_unit_ids: 'Co-owning units', responsible_user_id: 'Responsible', source_user_id: 'Source',
      source_name: 'Source (outside)', investor_id: 'Investor', category: 'Category', method: 'Method', planned_investment: 'Planned investment',
      contract_value: 'Contract value', event_id: 'Signing event', stage: 'Stage', reinvestment_of: 'Reinvestment of', description: 'Description',
      lead_date: 'Lead date', last_activity_date: 'Last activity', duplicate_of: 'Duplicate of' },
    daysQuiet: '{n} days quiet', more: 'Load more ({n} left)',
  },
}
