// Findings of a security and correctness review, each pinned by a test that failed
// before its fix.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib.mjs';
import { buildCity, create, sql, expectStatus, expectError, TODAY, USER_PASSWORD } from './fixture_units.mjs';

let server, f, admin;

before(async () => {
  server = await startServer({ env: { HUIZHAN_TODAY: TODAY } });
  f = await buildCity(server);
  admin = f.admin;
});
after(async () => {
  if (!server) return;
  const res = await server.stop();
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(res, { code: 0, signal: null }, server.log());
});

/** A valid UTF-8 string of n CJK characters (3 bytes each). */
const cjk = (n) => '招'.repeat(n);

// Fixed-size C buffers (error message, actor name, notification text, bulletin title)
// were filled with snprintf from user text: a cut in the middle of a multi-byte
// character left ill-formed UTF-8, which jansson refuses, so the answer lost its body
// (or its record lost its text).
describe('long Chinese text is never cut in the middle of a character', () => {
  it('a long unknown query parameter still gets a JSON error naming it', async () => {
    const key = cjk(300);
    const r = await admin.get(`/api/v1/projects?${encodeURIComponent(key)}=1`);
    expectError(r, 400, [key], 'validation_failed');
  });

  it('an unknown long path still gets a JSON 404', async () => {
    const r = await admin.get(`/api/v1/${encodeURIComponent(cjk(300))}`);
    expectError(r, 404, [], 'not_found');
  });

  it('a user with a long Chinese name can log in and read /me', async () => {
    const name = cjk(60);
    await create(admin, '/api/v1/users', { login: 'longname', name, role: 'unit_staff', unit_id: f.unitA.id, password: USER_PASSWORD });
    const c = await server.login('longname', USER_PASSWORD);
    assert.equal(typeof c.csrf, 'string');
    assert.ok(c.csrf.length > 0);
    assert.ok(c.user && c.user.login === 'longname', JSON.stringify(c.user));
    const me = expectStatus(await c.get('/api/v1/me'), 200);
    assert.equal(me.login, 'longname');
    assert.ok(typeof me.name === 'string' && name.startsWith(me.name) && me.name.length > 0, me.name);
  });

  it('a campaign with a long name gets bulletins; publishing leaves a readable notice', async () => {
    const office = f.clients.office;
    const camp = await create(office, '/api/v1/campaigns', { name: cjk(120), start_date: '2026-08-01' });
    const b = expectStatus(await office.post(`/api/v1/campaigns/${camp.id}/bulletins`, {}), 201, 'generate');
    assert.ok(b.title.startsWith(cjk(120)), b.title);
    const long = expectStatus(await office.patch(`/api/v1/bulletins/${b.id}`, { version: b.version, title: cjk(400) }), 200);
    expectStatus(await office.post(`/api/v1/bulletins/${long.id}/publish`), 200, 'publish');
    const notes = expectStatus(await office.get(`/api/v1/notifications?campaign_id=${camp.id}&kind=bulletin_published`), 200);
    assert.equal(notes.total, 1);
    assert.equal(typeof notes.items[0].text, 'string', JSON.stringify(notes.items[0]));
    assert.ok(notes.items[0].text.includes(cjk(50)));
  });

  it('reminding an item with a long title leaves a readable notice for the unit', async () => {
    const office = f.clients.office;
    const item = await create(office, '/api/v1/coordination-items',
      { campaign_id: f.campaign.id, unit_id: f.unitA.id, title: cjk(300), due_date: '2026-10-01' });
    expectStatus(await office.post(`/api/v1/coordination-items/${item.id}/remind`), 200, 'remind');
    const notes = expectStatus(await f.clients.staffA.get('/api/v1/notifications?kind=overdue_reminder'), 200);
    assert.equal(notes.total, 1);
    assert.equal(typeof notes.items[0].text, 'string', JSON.stringify(notes.items[0]));
  });

  it('evaluating a checkpoint with a long name freezes a snapshot with a readable label', async () => {
    const office = f.clients.office;
    const cp = await create(office, `/api/v1/campaigns/${f.campaign.id}/checkpoints`,
      { name: `a${cjk(399)}`, kind: 'month_end', date: '2026-09-30' });
    const ev = expectStatus(await office.post(`/api/v1/checkpoints/${cp.id}/evaluate`), 200, 'evaluate');
    assert.ok(ev.snapshot_id, JSON.stringify(ev));
    const snap = expectStatus(await office.get(`/api/v1/snapshots/${ev.snapshot_id}`), 200);
    assert.equal(typeof snap.label, 'string', JSON.stringify(Object.keys(snap)));
  });
});

// A team (招商小分队) is made of its unit's people; the leader was checked, the members
// were not, so a unit head could enrol another unit's staff.
describe('team members belong to the team\'s unit', () => {
  it('a unit head cannot put another unit\'s user in its team', async () => {
    const head = f.clients.headA;
    const team = expectStatus(await head.get(`/api/v1/teams/${f.teamA.id}`), 200);
    expectError(await head.patch(`/api/v1/teams/${team.id}`, { version: team.version, member_user_ids: [f.users.staffB.id] }),
      400, ['member_user_ids']);
    expectError(await head.post('/api/v1/teams', { campaign_id: f.campaign.id, name: '混编小分队', member_user_ids: [f.users.headB.id] }),
      400, ['member_user_ids']);
    assert.equal(await sql(server.db, `SELECT COUNT(*) FROM team_members WHERE user_id IN (${f.users.staffB.id}, ${f.users.headB.id})`), '0');
    // its own people are fine
    expectStatus(await head.patch(`/api/v1/teams/${team.id}`, { version: team.version, member_user_ids: [f.users.staffA.id] }), 200);
  });
});
