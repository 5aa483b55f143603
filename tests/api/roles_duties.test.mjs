// Separation of duties (三员分立, issue 14): the security admin manages users, roles and
// tokens; the auditor reads the audit and login logs and nothing else; with the
// installation's separation on, the admin (and the office) lose accounts and logs.
// A role × route matrix with exact statuses, writes cross-checked in the raw database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib.mjs';
import { sql } from './fixture_units.mjs';

let srv, admin, sec, aud, office, unitId, campaignId;
const PW = 'duty-pass-2026';

before(async () => {
  srv = await startServer();
  admin = await srv.admin();
  for (const [login, role] of [['sec', 'security_admin'], ['aud', 'auditor'], ['off', 'office']]) {
    const r = await admin.post('/api/v1/users', { login, name: login, role, password: PW });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const u = await admin.post('/api/v1/units', { name: '招商局', category: 'industry' });
  assert.equal(u.status, 201, JSON.stringify(u.body));
  unitId = u.body.id;
  const c = await admin.post('/api/v1/campaigns', { name: '百日会战', year: 2026, start_date: '2026-07-01', end_date: '2026-10-08' });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  campaignId = c.body.id;
  sec = await srv.login('sec', PW);
  aud = await srv.login('aud', PW);
  office = await srv.login('off', PW);
});
after(async () => { await srv.stop(); });

let n = 0;
// [label, method, path, body()] — the calls of the matrix.
const calls = () => [
  ['users list', 'GET', '/api/v1/users'],
  ['user create', 'POST', '/api/v1/users', () => ({ login: `new${++n}`, name: 'N', role: 'leader', password: 'new-user-pass-1' })],
  ['tokens list', 'GET', '/api/v1/api-tokens'],
  ['token create', 'POST', '/api/v1/api-tokens', () => ({ login: 'off', name: `t${++n}` })],
  ['policy read', 'GET', '/api/v1/security-policy'],
  ['audit', 'GET', '/api/v1/audit'],
  ['login events', 'GET', '/api/v1/login-events'],
  ['campaigns', 'GET', '/api/v1/campaigns'],
  ['dashboard', 'GET', `/api/v1/campaigns/${campaignId}/dashboard`],
  ['projects', 'GET', '/api/v1/projects'],
  ['unit create', 'POST', '/api/v1/units', () => ({ name: `单位${++n}`, category: 'services' })],
  ['jobs', 'GET', '/api/v1/jobs'],
  ['me', 'GET', '/api/v1/me'],
];

async function matrix(expect) {
  const who = { admin, sec, aud, office };
  for (const [label, method, path, body] of calls()) {
    for (const [role, want] of Object.entries(expect[label])) {
      const users = Number(await sql(srv.db, 'SELECT COUNT(*) FROM users'));
      const r = await who[role].req(method, path, body ? body() : undefined);
      assert.equal(r.status, want, `${role} ${label}: ${JSON.stringify(r.body).slice(0, 200)}`);
      if (want === 403) assert.equal(r.body.error.code, 'forbidden', `${role} ${label}`);
      if (label === 'user create') assert.equal(Number(await sql(srv.db, 'SELECT COUNT(*) FROM users')), users + (want === 201 ? 1 : 0));
    }
  }
}

const OFF = {
  'users list': { admin: 200, sec: 200, aud: 403, office: 200 },
  'user create': { admin: 201, sec: 201, aud: 403, office: 403 },
  'tokens list': { admin: 200, sec: 200, aud: 403, office: 403 },
  'token create': { admin: 201, sec: 201, aud: 403, office: 403 },
  'policy read': { admin: 200, sec: 200, aud: 403, office: 403 },
  audit: { admin: 200, sec: 403, aud: 200, office: 200 },
  'login events': { admin: 200, sec: 403, aud: 200, office: 403 },
  campaigns: { admin: 200, sec: 403, aud: 403, office: 200 },
  dashboard: { admin: 200, sec: 403, aud: 403, office: 200 },
  projects: { admin: 200, sec: 403, aud: 403, office: 200 },
  'unit create': { admin: 201, sec: 403, aud: 403, office: 201 },
  jobs: { admin: 200, sec: 403, aud: 403, office: 200 },
  me: { admin: 200, sec: 200, aud: 200, office: 200 },
};
// Separation on: accounts to the security admin alone, logs to the auditor alone.
const ON = {
  ...OFF,
  'users list': { admin: 200, sec: 200, aud: 403, office: 200 }, // everyone picks people in forms
  'user create': { admin: 403, sec: 201, aud: 403, office: 403 },
  'tokens list': { admin: 403, sec: 200, aud: 403, office: 403 },
  'token create': { admin: 403, sec: 201, aud: 403, office: 403 },
  'policy read': { admin: 403, sec: 200, aud: 403, office: 403 },
  audit: { admin: 403, sec: 403, aud: 200, office: 403 },
  'login events': { admin: 403, sec: 403, aud: 200, office: 403 },
};

test('the duty roles without separation: each keeps to its duty; the admin keeps everything', async () => {
  await matrix(OFF);
  const caps = (await aud.get('/api/v1/me')).body.capabilities;
  assert.deepEqual(Object.entries(caps).filter(([, v]) => v.length).map(([k]) => k).sort(), ['audit', 'login-events']);
});

test('separation on: the admin loses accounts and logs, the duty roles keep theirs', async () => {
  const v = (await admin.get('/api/v1/security-policy')).body.version;
  const r = await admin.patch('/api/v1/security-policy', { version: v, separation_of_duties: true });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  await matrix(ON);
  // The admin can no longer edit or disable an account, nor reset a password.
  const offId = Number(await sql(srv.db, "SELECT id FROM users WHERE login = 'off'"));
  const ver = Number(await sql(srv.db, `SELECT version FROM users WHERE id = ${offId}`));
  assert.equal((await admin.patch(`/api/v1/users/${offId}`, { version: ver, disabled: true })).status, 403);
  assert.equal(await sql(srv.db, `SELECT disabled FROM users WHERE id = ${offId}`), '0');
  const ok = await sec.patch(`/api/v1/users/${offId}`, { version: ver, title: '科长' });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(await sql(srv.db, `SELECT title FROM users WHERE id = ${offId}`), '科长');
  // Capabilities follow: /api/v1/me tells the UI what to show.
  const me = (await admin.get('/api/v1/me')).body;
  assert.equal(me.separation_of_duties, true);
  assert.deepEqual(me.capabilities.users, ['export', 'read']); // reading them, as everyone does
  assert.deepEqual(me.capabilities.audit, []);
  assert.deepEqual(me.capabilities['api-tokens'], []);
  const secCaps = (await sec.get('/api/v1/me')).body.capabilities;
  assert.deepEqual(secCaps.users, ['create', 'delete', 'export', 'read', 'update']);
  assert.deepEqual(secCaps['api-tokens'], ['create', 'delete', 'read']);
  assert.deepEqual(secCaps.audit, []);
  assert.deepEqual((await aud.get('/api/v1/me')).body.capabilities.audit, ['read']);
  // Only the security admin may now change the policy, and its change is audited with who made it.
  assert.equal((await admin.patch('/api/v1/security-policy', { version: v + 1, separation_of_duties: false })).status, 403);
  const off = await sec.patch('/api/v1/security-policy', { version: v + 1, separation_of_duties: false });
  assert.equal(off.status, 200);
  const secId = Number(await sql(srv.db, "SELECT id FROM users WHERE login = 'sec'"));
  assert.equal(await sql(srv.db, "SELECT user_id FROM audit_log WHERE entity = 'security_policy' ORDER BY id DESC LIMIT 1"), String(secId));
  await matrix(OFF);
});

test('the duty roles are ordinary user roles: validated like the others', async () => {
  const bad = await admin.post('/api/v1/users', { login: 'x1', name: 'X', role: 'auditor', unit_id: unitId, password: 'valid-pass-1' });
  assert.equal(bad.status, 400, JSON.stringify(bad.body));
  assert.ok(bad.body.error.fields.unit_id);
  const unknown = await admin.post('/api/v1/users', { login: 'x2', name: 'X', role: 'superuser', password: 'valid-pass-1' });
  assert.equal(unknown.status, 400);
  assert.ok(unknown.body.error.fields.role);
});
