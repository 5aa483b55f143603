// English messages of modules/admin.js, loaded when someone switches to English.
export default {
  admin: {
    edit: 'Edit', save: 'Save', saved: 'Saved', more: 'More',
    users: {
      menu: 'Users', search: 'Login or name', role: 'Role', mustChange: 'Must change password', mustChangeHint: 'Reset or generated password: to be changed at the next login', state: 'State', active: 'Active', disabled: 'Disabled', new: 'New user', editTitle: 'Edit user',
      login: 'Login', name: 'Name', title: 'Title', phone: 'Phone', password: 'Initial password', passwordHint: 'At least 8 characters',
      resetPassword: 'Reset password', resetPasswordFor: 'New password for {name}', newPassword: 'New password', passwordNote: 'Saving ends the user\'s sessions; they log in again with the new password.',
      passwordSet: 'Password of {name} reset', disable: 'Disable', enable: 'Enable',
      disableConfirm: 'Disable {name} ({login})? They can no longer log in and their sessions end now.', enableConfirm: 'Enable {name} ({login})?',
      nameTitle: 'Name / Title', lastLogin: 'Last login', neverLoggedIn: 'Never', lastLoginLine: 'Last login: {time}',
    },
    settings: {
      menu: 'Assessment settings', lights: 'Lights and quiet projects', behind_margin: 'Behind margin (points)', ahead_margin: 'Ahead margin (points)', stale_days: 'Quiet days',
      behindHint: 'Red when completion is below time elapsed minus this', aheadHint: 'Green when completion is above time elapsed plus this', staleHint: 'A project with no progress for this many days is quiet',
      weights: 'Score weights', weightsHint: 'Each metric\'s weight in the ranking', probabilities: 'Stage probabilities (%)', probHint: 'How much of a project counts in the forecast, by stage',
      conflict: 'Someone else changed the settings; press Reset to load them, then change again',
    },
    jobs: {
      menu: 'Scheduled jobs', about: 'What the server runs by itself (Beijing time)', name: 'Job', when: 'When', lastRun: 'Last run', enabled: 'On', runNow: 'Run now',
      weekly: 'Every {day} at {time}', daily: 'Daily at {time}', runConfirm: 'Run "{name}" now?', ran: '"{name}" ran', turnedOn: '"{name}" on', turnedOff: '"{name}" off',
      weekdays: { 0: 'Sunday', 1: 'Monday', 2: 'Tuesday', 3: 'Wednesday', 4: 'Thursday', 5: 'Friday', 6: 'Saturday' },
      names: { 'bulletin-draft': 'Draft the weekly bulletin', 'early-warning': 'Checkpoint early warning', 'missing-reports': 'Remind units without a weekly report', 'remind-overdue': 'Chase overdue coordination items' },
    },
    tokens: {
      menu: 'API tokens', new: 'New token', name: 'Token name', namePlaceholder: 'e.g. statistics bureau sync', user: 'Acts as', userPlaceholder: 'Type a login or name',
      userNote: 'The token has all of this user\'s rights; a user of its own for the interface is best.', created: 'Created', valid: 'Valid', revoked: 'Revoked', revoke: 'Revoke',
      revokeConfirm: 'Revoke token "{name}" ({login})? Programs using it lose access.', revokedDone: 'Token revoked', create: 'Create token', made: 'Token created',
      onlyOnce: 'Copy it now and keep it safe: it is not shown again once this window closes.', copy: 'Copy', copied: 'Copied', copyFailed: 'Could not copy; select it and copy by hand',
      usage: 'Send it in the request header:', done: 'I have saved it', about: 'API tokens let other systems and scripts call the API; only a hash is stored. Lost one? Revoke it and make a new one.',
    },
  },
}
