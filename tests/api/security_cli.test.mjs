// The security baseline's command-line side (docs/security.md): `huizhan security-policy
// show|set` goes through the same validation, version and audit as PATCH
// /api/v1/security-policy; an administrator's password reset (`huizhan user passwd`, or
// PATCH /api/v1/users/{id} with a password) must be changed at the user's next login.
// Checked against the raw tables with the sqlite3 CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, run } from './lib.mjs';
import { sql, sqlValue, expectStatus, expectError } from './fixtures.mjs';

let server;
let admin;
before(async () => {
  server = await startServer();
  admin = await server.admin();
});
after(async () => {
  assert.deepEqual(await server.stop(), { code: 0, signal: null }, server.log());
});

const cli = (...args) => run([...args, '--db', server.db]);
const storedPolicy = () => {
  const v = sqlValue(server.db, "SELECT value FROM meta WHERE key = 'security_policy'");
  return v ? JSON.parse(v) : null;
};
const auditCount = (where) => Number(sqlValue(server.db, `SELECT COUNT(*) FROM audit_log WHERE ${where}`));

test('security-policy show prints the policy the API gives', async () => {
  const r = await cli('security-policy', 'show');
  assert.equal(r.code, 0, r.stderr);
  const shown = JSON.parse(r.stdout);
  assert.deepEqual(shown, {
    session_idle_minutes: 30, session_max_hours: 12, password_min_length: 8, password_min_classes: 2,
    password_history: 5, password_max_days: 90, separation_of_duties: false, version: 0,
  });
  assert.deepEqual(shown, expectStatus(await admin.get('/api/v1/security-policy'), 200));
});

test('security-policy set: stored, audited with before and after, seen by the API, and the API version moves on', async () => {
  const before = expectStatus(await admin.get('/api/v1/security-policy'), 200);
  const audits = auditCount("entity = 'security_policy'");
  const r = await cli('security-policy', 'set', 'password_min_classes=3', 'session_idle_minutes=45');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.version, before.version + 1);
  assert.equal(out.password_min_classes, 3);
  assert.equal(out.session_idle_minutes, 45);
  assert.deepEqual(storedPolicy(), out);
  assert.deepEqual(expectStatus(await admin.get('/api/v1/security-policy'), 200), out);
  assert.equal(auditCount("entity = 'security_policy'"), audits + 1);
  const [action, user, b, a] = sql(server.db,
    "SELECT action, COALESCE(user_id, 0), before, after FROM audit_log WHERE entity = 'security_policy' ORDER BY id DESC LIMIT 1")[0];
  assert.equal(action, 'update');
  assert.equal(user, '0', 'the command line acts as the system (user 0)');
  assert.deepEqual(JSON.parse(b), before);
  assert.deepEqual(JSON.parse(a), out);
  // A form read before the command line's change is stale now: the same version check.
  expectError(await admin.patch('/api/v1/security-policy', { version: before.version, password_history: 3 }), 409, 'conflict', 'version');
  // The new rule applies at once: a two-class password is refused now.
  expectError(await admin.post('/api/v1/users', { login: 'two-classes', name: 'x', role: 'office', password: 'onlylower1' }),
    400, 'validation_failed', 'password');
  // and back, through the API: one policy, one version sequence
  expectStatus(await admin.patch('/api/v1/security-policy', { version: out.version, password_min_classes: 2, session_idle_minutes: 30 }), 200);
  assert.equal(storedPolicy().version, out.version + 1);
});

test('security-policy set refuses bad values as the API does, naming each key, and changes nothing', async () => {
  const stored = storedPolicy();
  const audits = auditCount('1 = 1');
  const bad = await cli('security-policy', 'set', 'session_idle_minutes=0', 'no_such_key=1', 'password_min_length=eight');
  assert.equal(bad.code, 2);
  for (const key of ['session_idle_minutes', 'no_such_key', 'password_min_length']) assert.match(bad.stderr, new RegExp(key));
  assert.match(bad.stderr, /1 到 1440/);
  const api = await admin.patch('/api/v1/security-policy', { version: stored.version, session_idle_minutes: 0, no_such_key: 1 });
  expectError(api, 400, 'validation_failed');
  assert.deepEqual(Object.keys(api.body.error.fields).sort(), ['no_such_key', 'session_idle_minutes']);
  const sep = await cli('security-policy', 'set', 'separation_of_duties=yes');
  assert.equal(sep.code, 2);
  assert.match(sep.stderr, /separation_of_duties/);
  // Separating duties needs a security admin and an auditor first (the API's rule).
  const nobody = await cli('security-policy', 'set', 'separation_of_duties=true');
  assert.equal(nobody.code, 1);
  assert.match(nobody.stderr, /security_admin/);
  // Not KEY=VALUE, the version, a key twice, nothing to set, a word after show, no subcommand.
  for (const args of [['set', 'password_history'], ['set', '=3'], ['set', 'version=9'], ['set', 'password_history=3', 'password_history=4'],
    ['set'], ['show', 'extra'], ['frobnicate'], []]) {
    const r = await cli('security-policy', ...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /KEY=VALUE|version|不止一次|show 或 set/, args.join(' '));
  }
  assert.deepEqual(storedPolicy(), stored);
  assert.equal(auditCount('1 = 1'), audits);
});

test('huizhan user passwd is a reset: the new password works once, to change it', async () => {
  expectStatus(await admin.post('/api/v1/users', { login: 'reset-me', name: '重置', role: 'office', password: 'first-pass-2026' }), 201);
  const id = Number(sqlValue(server.db, "SELECT id FROM users WHERE login = 'reset-me'"));
  const old = await server.login('reset-me', 'first-pass-2026');
  const r = await cli('user', 'passwd', '--login', 'reset-me', '--password', 'temporary-pass-1');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(sqlValue(server.db, `SELECT must_change_password FROM users WHERE id = ${id}`), '1');
  assert.equal((await old.get('/api/v1/me')).status, 401); // the sessions ended
  const [action, after] = sql(server.db, `SELECT action, after FROM audit_log WHERE entity = 'users' AND entity_id = ${id} ORDER BY id DESC LIMIT 1`)[0];
  assert.equal(action, 'password');
  assert.deepEqual(JSON.parse(after), { must_change_password: true });
  const login = await server.tryLogin('reset-me', 'temporary-pass-1');
  assert.equal(login.status, 200);
  assert.equal(login.body.user.must_change_password, 'first_login');
  const c = login.client;
  expectError(await c.get('/api/v1/campaigns'), 403, 'password_change_required');
  // the reset password is the current one: the history refuses it as the new one
  expectError(await c.post('/api/v1/me/password', { current_password: 'temporary-pass-1', new_password: 'temporary-pass-1' }),
    400, 'validation_failed', 'new_password');
  assert.equal((await c.post('/api/v1/me/password', { current_password: 'temporary-pass-1', new_password: 'my-own-pass-2026' })).status, 204);
  expectStatus(await c.get('/api/v1/campaigns'), 200);
  assert.equal(sqlValue(server.db, `SELECT must_change_password FROM users WHERE id = ${id}`), '0');
  // a password the policy refuses resets nothing
  const bad = await cli('user', 'passwd', '--login', 'reset-me', '--password', 'short');
  assert.equal(bad.code, 2);
  assert.equal(sqlValue(server.db, `SELECT must_change_password FROM users WHERE id = ${id}`), '0');
});

test("the API's reset (PATCH a user's password) forces the change; a password one sets oneself does not", async () => {
  const u = expectStatus(await admin.post('/api/v1/users', { login: 'api-reset', name: '接口重置', role: 'office', password: 'first-pass-2026' }), 201);
  assert.equal(u.must_change_password, false, 'a new account with the password its creator gave: no forced change');
  const patched = expectStatus(await admin.patch(`/api/v1/users/${u.id}`, { version: u.version, password: 'temporary-pass-2' }), 200);
  assert.equal(patched.must_change_password, true);
  assert.equal(sqlValue(server.db, `SELECT must_change_password FROM users WHERE id = ${u.id}`), '1');
  const entry = expectStatus(await admin.get(`/api/v1/audit?entity=users&entity_id=${u.id}`), 200).items[0];
  assert.equal(entry.action, 'update');
  assert.equal(entry.before.must_change_password, false);
  assert.equal(entry.after.must_change_password, true);
  assert.ok(!JSON.stringify(entry).includes('temporary-pass-2') && !JSON.stringify(entry).includes('argon2'));
  // the list filters on it, so the admin sees who has yet to change
  const pending = expectStatus(await admin.get('/api/v1/users?must_change_password=true'), 200);
  assert.deepEqual(pending.items.map((x) => x.login), ['api-reset']);
  const c = (await server.tryLogin('api-reset', 'temporary-pass-2')).client;
  expectError(await c.get('/api/v1/campaigns'), 403, 'password_change_required');
  assert.equal((await c.post('/api/v1/me/password', { current_password: 'temporary-pass-2', new_password: 'my-own-pass-2027' })).status, 204);
  expectStatus(await c.get('/api/v1/campaigns'), 200);
  assert.equal(expectStatus(await admin.get(`/api/v1/users/${u.id}`), 200).must_change_password, false);
  // the field is the server's: a client cannot set or clear it
  const cur = expectStatus(await admin.get(`/api/v1/users/${u.id}`), 200);
  expectError(await admin.patch(`/api/v1/users/${u.id}`, { version: cur.version, must_change_password: true }), 400, 'validation_failed', 'must_change_password');
  // the admin setting its own password through the users API is not a reset
  const me = expectStatus(await admin.get('/api/v1/me'), 200);
  const self = expectStatus(await admin.get(`/api/v1/users/${me.id}`), 200);
  const own = expectStatus(await admin.patch(`/api/v1/users/${me.id}`, { version: self.version, password: 'admin-own-pass-2026' }), 200);
  assert.equal(own.must_change_password, false);
});
