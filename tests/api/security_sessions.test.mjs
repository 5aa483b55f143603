// The 等保2.0 baseline (issue 14), sessions, logins and passwords: sessions end after the
// policy's idle time and at its absolute lifetime (kept in the database, so every instance
// agrees); every login attempt is recorded with time and address and the admin reads them;
// the password policy (length, classes, history, expiry) and the forced change of init's
// generated admin password.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, serveDb, run, tempDir, ADMIN_PASSWORD } from './lib.mjs';
import { sql } from './fixture_units.mjs';

let srv, admin;
before(async () => {
  srv = await startServer();
  admin = await srv.admin();
});
after(async () => { await srv.stop(); });

const policy = async () => (await admin.get('/api/v1/security-policy')).body;
async function setPolicy(patch) {
  const r = await admin.patch('/api/v1/security-policy', { version: (await policy()).version, ...patch });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}
async function newUser(login, password = 'user-pass-2026', role = 'office') {
  const r = await admin.post('/api/v1/users', { login, name: login, role, password });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}
const sessionOf = (c) => c.cookie.replace('hz_session=', '');

test('the policy: defaults, changes audited, bad values named, stale version 409', async () => {
  const p = await policy();
  assert.deepEqual(p, {
    session_idle_minutes: 30, session_max_hours: 12, password_min_length: 8, password_min_classes: 2,
    password_history: 5, password_max_days: 90, separation_of_duties: false, version: 0,
  });
  const bad = await admin.patch('/api/v1/security-policy', {
    version: 0, session_idle_minutes: 0, password_min_length: 7, password_min_classes: 5, separation_of_duties: 'yes', colour: 1,
  });
  assert.equal(bad.status, 400);
  assert.deepEqual(Object.keys(bad.body.error.fields).sort(),
    ['colour', 'password_min_classes', 'password_min_length', 'separation_of_duties', 'session_idle_minutes']);
  assert.equal((await admin.patch('/api/v1/security-policy', { session_idle_minutes: 20 })).body.error.fields.version !== undefined, true);
  const changed = await setPolicy({ session_idle_minutes: 20 });
  assert.equal(changed.session_idle_minutes, 20);
  assert.equal(changed.version, 1);
  const stale = await admin.patch('/api/v1/security-policy', { version: 0, session_idle_minutes: 25 });
  assert.equal(stale.status, 409);
  const audit = await sql(srv.db, "SELECT before, after FROM audit_log WHERE entity = 'security_policy'");
  assert.match(audit, /"session_idle_minutes":30.*"session_idle_minutes":20/);
  // Separation of duties needs someone to hand the duties to.
  const sep = await admin.patch('/api/v1/security-policy', { version: 1, separation_of_duties: true });
  assert.equal(sep.status, 422);
  assert.ok(sep.body.error.fields.separation_of_duties);
  await setPolicy({ session_idle_minutes: 30 });
  // Others may not read or change it.
  await newUser('office-p');
  const office = await srv.login('office-p', 'user-pass-2026');
  assert.equal((await office.get('/api/v1/security-policy')).status, 403);
  assert.equal((await office.patch('/api/v1/security-policy', { version: 2, session_idle_minutes: 5 })).status, 403);
  assert.equal((await policy()).session_idle_minutes, 30);
});

test('a session ends after the idle time, and at the absolute lifetime even when in use', async () => {
  await newUser('idle-u');
  const c = await srv.login('idle-u', 'user-pass-2026');
  const hash = await sql(srv.db, `SELECT token_hash FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.login = 'idle-u' ORDER BY s.id DESC LIMIT 1`);
  const created = Number(await sql(srv.db, `SELECT created_unix FROM sessions WHERE token_hash = '${hash}'`));
  const expires = Number(await sql(srv.db, `SELECT expires_unix FROM sessions WHERE token_hash = '${hash}'`));
  assert.ok(Math.abs(created - Date.now() / 1000) < 60);
  assert.equal(expires - created, 12 * 3600);
  // Idle 29 minutes: still alive, and the use is written back.
  await sql(srv.db, `UPDATE sessions SET last_seen_unix = ${created - 29 * 60} WHERE token_hash = '${hash}'`);
  assert.equal((await c.get('/api/v1/me')).status, 200);
  const seen = Number(await sql(srv.db, `SELECT last_seen_unix FROM sessions WHERE token_hash = '${hash}'`));
  assert.ok(seen >= created, `last_seen ${seen} created ${created}`);
  // Idle 31 minutes: gone.
  await sql(srv.db, `UPDATE sessions SET last_seen_unix = ${created - 31 * 60} WHERE token_hash = '${hash}'`);
  const r = await c.get('/api/v1/me');
  assert.equal(r.status, 401);
  assert.equal(r.body.error.code, 'unauthorized');
  // A shorter idle time in the policy applies to open sessions at once.
  const c2 = await srv.login('idle-u', 'user-pass-2026');
  const h2 = await sql(srv.db, `SELECT token_hash FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.login = 'idle-u' ORDER BY s.id DESC LIMIT 1`);
  await sql(srv.db, `UPDATE sessions SET last_seen_unix = last_seen_unix - 6 * 60 WHERE token_hash = '${h2}'`);
  assert.equal((await c2.get('/api/v1/me')).status, 200);
  await sql(srv.db, `UPDATE sessions SET last_seen_unix = last_seen_unix - 6 * 60 WHERE token_hash = '${h2}'`);
  await setPolicy({ session_idle_minutes: 5 });
  assert.equal((await c2.get('/api/v1/me')).status, 401);
  await setPolicy({ session_idle_minutes: 30 });
  // Absolute lifetime: in use a second ago, but opened 12 h + 1 min ago.
  const c3 = await srv.login('idle-u', 'user-pass-2026');
  const h3 = await sql(srv.db, `SELECT token_hash FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.login = 'idle-u' ORDER BY s.id DESC LIMIT 1`);
  await sql(srv.db, `UPDATE sessions SET created_unix = created_unix - 12 * 3600 - 60 WHERE token_hash = '${h3}'`);
  assert.equal((await c3.get('/api/v1/me')).status, 401);
  // The cookie says the lifetime too, and a changed lifetime applies to new sessions.
  await setPolicy({ session_max_hours: 2 });
  const res = await fetch(`${srv.url}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: 'idle-u', password: 'user-pass-2026' }),
  });
  assert.match(res.headers.get('set-cookie'), /Max-Age=7200(;|$)/);
  await setPolicy({ session_max_hours: 12 });
  assert.ok(sessionOf(c3));
});

test('every login attempt is recorded with time and address; the admin pages through them', async () => {
  await newUser('rec-u');
  const bad = await srv.tryLogin('rec-u', 'wrong-password');
  assert.equal(bad.status, 401);
  const none = await srv.tryLogin('nobody-here', 'whatever-1');
  assert.equal(none.status, 401);
  await srv.login('rec-u', 'user-pass-2026');
  const rows = await sql(srv.db, "SELECT login, outcome, address, COALESCE(user_id, 0) > 0 FROM login_events WHERE login IN ('rec-u','nobody-here') ORDER BY id");
  assert.equal(rows, 'rec-u|bad_credentials|127.0.0.1|1\nnobody-here|bad_credentials|127.0.0.1|0\nrec-u|ok|127.0.0.1|1');
  const page = await admin.get('/api/v1/login-events?login=rec-u');
  assert.equal(page.status, 200);
  assert.deepEqual(Object.keys(page.body).sort(), ['items', 'limit', 'offset', 'total']);
  assert.equal(page.body.total, 2);
  assert.deepEqual(page.body.items.map((x) => x.outcome), ['ok', 'bad_credentials']); // newest first
  assert.match(page.body.items[0].at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
  assert.equal(page.body.items[0].address, '127.0.0.1');
  const total = Number(await sql(srv.db, 'SELECT COUNT(*) FROM login_events'));
  const p2 = await admin.get('/api/v1/login-events?limit=2&offset=1');
  assert.equal(p2.body.total, total);
  assert.equal(p2.body.limit, 2);
  assert.equal(p2.body.offset, 1);
  const secondNewest = Number(await sql(srv.db, 'SELECT id FROM login_events ORDER BY id DESC LIMIT 1 OFFSET 1'));
  assert.equal(p2.body.items[0].id, secondNewest);
  const failed = await admin.get('/api/v1/login-events?outcome=bad_credentials');
  assert.equal(failed.body.total, Number(await sql(srv.db, "SELECT COUNT(*) FROM login_events WHERE outcome = 'bad_credentials'")));
  for (const [q, field] of [['limit=0', 'limit'], ['limit=x', 'limit'], ['offset=-1', 'offset'], ['outcome=maybe', 'outcome'], ['sort=at', 'sort']]) {
    const r = await admin.get(`/api/v1/login-events?${q}`);
    assert.equal(r.status, 400, q);
    assert.ok(r.body.error.fields[field], `${q}: ${JSON.stringify(r.body)}`);
  }
  const office = await srv.login('office-p', 'user-pass-2026');
  assert.equal((await office.get('/api/v1/login-events')).status, 403);
  // Too many failures: refused, and the refusal is on the record too.
  for (let i = 0; i < 5; i++) await srv.tryLogin('rec-u', `wrong-${i}-pass`);
  const limited = await srv.tryLogin('rec-u', 'user-pass-2026');
  assert.equal(limited.status, 429);
  assert.equal(await sql(srv.db, "SELECT outcome FROM login_events WHERE login = 'rec-u' ORDER BY id DESC LIMIT 1"), 'rate_limited');
});

test('the logged-in user sees their previous login and the failures since', async () => {
  await newUser('last-u');
  const first = await srv.login('last-u', 'user-pass-2026');
  assert.equal((await first.get('/api/v1/me')).body.last_login, null);
  await srv.tryLogin('last-u', 'not-the-password');
  await srv.tryLogin('last-u', 'not-the-password-2');
  const second = await srv.login('last-u', 'user-pass-2026');
  const me = (await second.get('/api/v1/me')).body;
  const firstAt = await sql(srv.db, "SELECT at FROM login_events WHERE login = 'last-u' AND outcome = 'ok' ORDER BY id LIMIT 1");
  assert.deepEqual(me.last_login, { at: firstAt, address: '127.0.0.1', failures_since: 2 });
  assert.equal(me.must_change_password, false);
});

test('password policy: length, classes, history; every failure names the field', async () => {
  const weak = await admin.post('/api/v1/users', { login: 'pw-u', name: 'P', role: 'office', password: 'alllowercase' });
  assert.equal(weak.status, 400);
  assert.match(weak.body.error.fields.password, /2 类/);
  const short = await admin.post('/api/v1/users', { login: 'pw-u', name: 'P', role: 'office', password: 'ab-1' });
  assert.equal(short.status, 400);
  assert.match(short.body.error.fields.password, /8 个字符/);
  await setPolicy({ password_min_length: 12, password_min_classes: 3 });
  const mid = await admin.post('/api/v1/users', { login: 'pw-u', name: 'P', role: 'office', password: 'lower-and-1' });
  assert.equal(mid.status, 400);
  assert.match(mid.body.error.fields.password, /12 个字符/);
  const three = await admin.post('/api/v1/users', { login: 'pw-u', name: 'P', role: 'office', password: 'lower-and-digits-1' });
  assert.equal(three.status, 201, JSON.stringify(three.body));
  assert.equal(Number(await sql(srv.db, "SELECT COUNT(*) FROM users WHERE login = 'pw-u'")), 1);
  await setPolicy({ password_min_length: 8, password_min_classes: 2, password_history: 2 });
  const u = await srv.login('pw-u', 'lower-and-digits-1');
  const change = (cur, next) => u.post('/api/v1/me/password', { current_password: cur, new_password: next });
  // Wrong current password; the same one again; a weak one.
  let r = await change('wrong-current-1', 'brand-new-pass-1');
  assert.equal(r.status, 400);
  assert.ok(r.body.error.fields.current_password);
  r = await change('lower-and-digits-1', 'lower-and-digits-1');
  assert.equal(r.status, 400);
  assert.match(r.body.error.fields.new_password, /最近 2 次/);
  // The current password counts as the first of the last 2.
  r = await u.post('/api/v1/me/password', { current_password: 'lower-and-digits-1' });
  assert.equal(r.status, 400);
  assert.ok(r.body.error.fields.new_password);
  r = await u.post('/api/v1/me/password', { current_password: 5, new_password: [] });
  assert.equal(r.status, 400);
  assert.deepEqual(Object.keys(r.body.error.fields).sort(), ['current_password', 'new_password']);
  // A -> B -> C; with history 2 (the current one included) B and C are refused, A is allowed again.
  assert.equal((await change('lower-and-digits-1', 'second-pass-22')).status, 204);
  assert.equal((await change('second-pass-22', 'third-pass-333')).status, 204);
  r = await change('third-pass-333', 'second-pass-22');
  assert.equal(r.status, 400);
  assert.ok(r.body.error.fields.new_password);
  assert.equal((await change('third-pass-333', 'lower-and-digits-1')).status, 204);
  // The session that changed it stays; the others end; each change is audited.
  assert.equal((await u.get('/api/v1/me')).status, 200);
  const id = (await u.get('/api/v1/me')).body.id;
  assert.equal(Number(await sql(srv.db, `SELECT COUNT(*) FROM audit_log WHERE action = 'password' AND entity_id = ${id}`)), 3);
  assert.equal(Number(await sql(srv.db, `SELECT COUNT(*) FROM password_history WHERE user_id = ${id}`)), 2); // history 2: the newest two
  // The admin's reset follows the same rules.
  r = await admin.patch(`/api/v1/users/${id}`, { version: (await admin.get(`/api/v1/users/${id}`)).body.version, password: 'third-pass-333' });
  assert.equal(r.status, 400);
  assert.ok(r.body.error.fields.password);
  await setPolicy({ password_history: 5 });
});

test('an expired password must be changed before anything else', async () => {
  await newUser('exp-u', 'expiring-pass-1');
  const c = await srv.login('exp-u', 'expiring-pass-1');
  assert.equal((await c.get('/api/v1/campaigns')).status, 200);
  await sql(srv.db, `UPDATE users SET password_changed_unix = password_changed_unix - 91 * 86400 WHERE login = 'exp-u'`);
  const r = await c.get('/api/v1/campaigns');
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'password_change_required');
  assert.equal((await c.get('/api/v1/me')).body.must_change_password, 'expired');
  // No expiry in the policy: allowed again.
  await setPolicy({ password_max_days: 0 });
  assert.equal((await c.get('/api/v1/campaigns')).status, 200);
  await setPolicy({ password_max_days: 90 });
  assert.equal((await c.post('/api/v1/me/password', { current_password: 'expiring-pass-1', new_password: 'renewed-pass-2' })).status, 204);
  assert.equal((await c.get('/api/v1/campaigns')).status, 200);
  assert.equal((await c.get('/api/v1/me')).body.must_change_password, false);
});

test("init's generated admin password must be changed at the first login", async () => {
  const dir = tempDir();
  const db = join(dir, 'fresh.db');
  const init = await run(['init', '--db', db], { env: { HUIZHAN_ADMIN_PASSWORD: '' } });
  assert.equal(init.code, 0, init.stderr);
  const pw = /：(\S+)\s*$/m.exec(init.stdout.split('\n').find((l) => l.startsWith('admin 初始密码')))[1];
  assert.equal(pw.length, 16);
  assert.equal(await sql(db, "SELECT must_change_password FROM users WHERE login = 'admin'"), '1');
  const s = await serveDb(db);
  try {
    const login = await s.tryLogin('admin', pw);
    assert.equal(login.status, 200);
    assert.equal(login.body.user.must_change_password, 'first_login');
    const c = login.client;
    for (const [m, p] of [['GET', '/api/v1/users'], ['GET', '/api/v1/campaigns'], ['POST', '/api/v1/units'], ['GET', '/api/v1/audit']]) {
      const r = await c.req(m, p, m === 'POST' ? { name: 'x' } : undefined);
      assert.equal(r.status, 403, `${m} ${p}`);
      assert.equal(r.body.error.code, 'password_change_required');
    }
    assert.equal((await c.get('/api/v1/me')).status, 200);
    assert.equal((await c.post('/api/v1/me/password', { current_password: pw, new_password: 'my-own-admin-pass-1' })).status, 204);
    assert.equal((await c.get('/api/v1/users')).status, 200);
    assert.equal((await c.get('/api/v1/me')).body.must_change_password, false);
    assert.equal(await sql(db, "SELECT must_change_password FROM users WHERE login = 'admin'"), '0');
    // A password given to init is the operator's own: no forced change.
    const db2 = join(dir, 'given.db');
    assert.equal((await run(['init', '--db', db2, '--admin-password', ADMIN_PASSWORD])).code, 0);
    assert.equal(await sql(db2, "SELECT must_change_password FROM users WHERE login = 'admin'"), '0');
  } finally {
    await s.stop();
  }
});
