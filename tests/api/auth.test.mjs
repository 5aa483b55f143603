// Authentication (R-SEC-1, SPEC §8): logging in and out, the session cookie and its
// attributes, rate limiting, disabled users and changed passwords from the command line,
// bearer tokens for scripts, Argon2id password storage, and the audit trail of every
// login and failed login.
import { describe, it, before, after } from 'node:test';
import http from 'node:http';
import assert from 'node:assert/strict';
import { startServer, run, Client, ADMIN_PASSWORD } from './lib.mjs';
import { create, sql, count, expectStatus, expectError, USER_PASSWORD } from './fixture_units.mjs';

let server, admin, unitA, users = {};
// What the audit log must hold, counted as the tests log in (expected outcomes, not answers).
let logins = 0, failures = 0;
const failedLogins = []; // the login names of failed attempts, in order

async function attempt(login, password, expected) {
  const c = new Client(server.url);
  const r = await c.post('/api/v1/session', { login, password });
  assert.equal(r.status, expected, `login ${login}: ${JSON.stringify(r.body)}`);
  if (expected === 200) {
    logins++;
    c.csrf = r.body.csrf_token;
    c.user = r.body.user;
  } else if (expected === 401) {
    failures++;
    failedLogins.push(login);
  }
  return { c, r };
}
const loginOk = async (login, password = USER_PASSWORD) => (await attempt(login, password, 200)).c;

/** A login attempt from another loopback address (127.0.0.0/8 all reach the server). */
function attemptFrom(localAddress, login, password, expected) {
  const body = JSON.stringify({ login, password });
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}/api/v1/session`, {
      method: 'POST', localAddress, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        assert.equal(res.statusCode, expected, `login ${login} from ${localAddress}: ${text}`);
        if (expected === 200) logins++;
        else if (expected === 401) { failures++; failedLogins.push(login); }
        resolve({ status: res.statusCode, headers: res.headers, body: JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
const cli = async (...args) => {
  const r = await run([...args, '--db', server.db]);
  assert.equal(r.code, 0, `huizhan ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

before(async () => {
  server = await startServer();
  const r = await attempt('admin', ADMIN_PASSWORD, 200);
  admin = r.c;
  unitA = await create(admin, '/api/v1/units', { name: '市商务局', category: 'industry' });
  const mk = async (login, role, unit) => {
    users[login] = await create(admin, '/api/v1/users', {
      login, name: `${login} 姓名`, role, password: USER_PASSWORD, ...(unit ? { unit_id: unit } : {}),
    });
  };
  await mk('office', 'office');
  await mk('leader', 'leader');
  await mk('head_a', 'unit_head', unitA.id);
  await mk('staff_a', 'unit_staff', unitA.id);
  await mk('limited', 'unit_staff', unitA.id);
  await mk('forgiven', 'unit_staff', unitA.id);
  await mk('targeted', 'unit_staff', unitA.id);
  await mk('besieged', 'unit_staff', unitA.id);
  await mk('leaving', 'unit_staff', unitA.id);
  await mk('renewing', 'leader');
});
after(async () => {
  if (!server) return;
  // SIGTERM stops the server cleanly (and, under ASan, without leaks or errors)
  const res = await server.stop();
  await new Promise((r) => setTimeout(r, 50)); // let the last output arrive
  assert.deepEqual(res, { code: 0, signal: null }, server.log());
});

describe('logging in', () => {
  it('returns the user with role and unit, a CSRF token and an HttpOnly SameSite cookie', async () => {
    const { c, r } = await attempt('head_a', USER_PASSWORD, 200);
    const u = r.body.user;
    assert.equal(u.id, users.head_a.id);
    assert.equal(u.login, 'head_a');
    assert.equal(u.name, 'head_a 姓名');
    assert.equal(u.role, 'unit_head');
    assert.equal(u.unit_id, unitA.id);
    assert.equal(typeof r.body.csrf_token, 'string');
    assert.ok(r.body.csrf_token.length >= 32, 'CSRF token too short');
    assert.equal(r.body.password, undefined);
    assert.equal(u.password_hash, undefined);

    const set = r.headers.get('set-cookie');
    assert.ok(set, 'a Set-Cookie header is expected');
    const [pair, ...attrs] = set.split(';').map((s) => s.trim());
    const [name, token] = pair.split('=');
    assert.equal(name, 'hz_session');
    assert.ok(/^[A-Za-z0-9_-]{32,}$/.test(token), `session token ${token}`);
    assert.notEqual(token, r.body.csrf_token);
    assert.ok(!r.raw.toString().includes(token), 'the session token must not be in the JSON body');
    const lower = attrs.map((a) => a.toLowerCase());
    assert.ok(lower.includes('httponly'), set);
    assert.ok(lower.some((a) => a === 'samesite=strict' || a === 'samesite=lax'), set);
    assert.ok(lower.includes('path=/'), set);
    const maxAge = lower.find((a) => a.startsWith('max-age='));
    assert.ok(maxAge && Number(maxAge.slice(8)) > 0, set);
    assert.equal(r.headers.get('cache-control'), 'no-store');

    // the session token is stored only as a hash
    assert.equal(await count(server.db, 'sessions', `token_hash = '${token}'`), 0);
    assert.equal(await count(server.db, 'sessions', `user_id = ${u.id}`), 1);
    const me = expectStatus(await c.get('/api/v1/me'), 200);
    assert.deepEqual({ id: me.id, role: me.role, unit_id: me.unit_id, csrf_token: me.csrf_token },
      { id: u.id, role: 'unit_head', unit_id: unitA.id, csrf_token: r.body.csrf_token });
  });

  it('each login opens its own session with its own tokens', async () => {
    const a = await loginOk('staff_a');
    const b = await loginOk('staff_a');
    assert.notEqual(a.cookie, b.cookie);
    assert.notEqual(a.csrf, b.csrf);
    assert.equal(await count(server.db, 'sessions', `user_id = ${users.staff_a.id}`), 2);
    expectStatus(await a.get('/api/v1/me'), 200);
    expectStatus(await b.get('/api/v1/me'), 200);
  });

  it('GET /api/v1/me returns the current user for every role', async () => {
    for (const [login, role, unit] of [['admin', 'admin', null], ['office', 'office', null], ['leader', 'leader', null],
      ['staff_a', 'unit_staff', unitA.id]]) {
      const c = login === 'admin' ? admin : await loginOk(login);
      const me = expectStatus(await c.get('/api/v1/me'), 200);
      assert.equal(me.login, login);
      assert.equal(me.role, role);
      assert.equal(me.unit_id, unit);
      assert.equal(me.csrf_token, c.csrf);
    }
  });

  it('a bad password and an unknown user both get 401 with the same message, and no cookie', async () => {
    const bad = (await attempt('office', 'wrong-password', 401)).r;
    const unknown = (await attempt('nobody-here', 'wrong-password', 401)).r;
    expectError(bad, 401, [], 'unauthorized');
    expectError(unknown, 401, [], 'unauthorized');
    assert.equal(bad.body.error.message, unknown.body.error.message);
    assert.deepEqual(bad.body.error.fields, unknown.body.error.fields);
    assert.equal(bad.headers.get('set-cookie'), null);
    assert.equal(unknown.headers.get('set-cookie'), null);
    // an empty password is not even tried
    const c = new Client(server.url);
    expectError(await c.post('/api/v1/session', { login: 'office', password: '' }), 400, ['password'], 'validation_failed');
    expectError(await c.post('/api/v1/session', { login: 'office', password: USER_PASSWORD.toUpperCase() }), 401);
    failures++;
    failedLogins.push('office');
  });

  it('a wrong password does not leave a session behind', async () => {
    const before = await count(server.db, 'sessions');
    await attempt('leader', 'not-the-password', 401);
    assert.equal(await count(server.db, 'sessions'), before);
  });
});

describe('rate limiting', () => {
  it('after 5 failures the login is refused with 429 even with the right password', async () => {
    for (let i = 0; i < 5; i++) await attempt('limited', `wrong-${i}`, 401);
    assert.equal(await count(server.db, 'login_failures', "login = 'limited'"), 5);
    const { r } = await attempt('limited', USER_PASSWORD, 429);
    expectError(r, 429, [], 'too_many_requests');
    assert.equal(r.headers.get('retry-after'), '900', 'the 15-minute window, in seconds');
    assert.equal(r.headers.get('set-cookie'), null);
    await attempt('limited', 'wrong-again', 429);
    assert.equal(await count(server.db, 'sessions', `user_id = ${users.limited.id}`), 0);
    // other logins are not affected
    await loginOk('staff_a');
  });

  it('failing on purpose from one address does not lock the account from another', async () => {
    for (let i = 0; i < 5; i++) await attemptFrom('127.0.0.2', 'targeted', `wrong-${i}`, 401);
    await attemptFrom('127.0.0.2', 'targeted', USER_PASSWORD, 429);
    // The owner, elsewhere, still gets in; and the failures are recorded with their address.
    await attemptFrom('127.0.0.3', 'targeted', USER_PASSWORD, 200);
    assert.equal(await count(server.db, 'login_failures', "login = 'targeted' AND address = '127.0.0.2'"), 5);
    assert.equal(await count(server.db, 'login_failures', "login = 'targeted' AND address <> '127.0.0.2'"), 0);
  });

  it('an address failing on many logins is held back as a whole after 50 failures', async () => {
    // 50 failures on 50 different (unknown) logins from 127.0.0.4, none 5 times.
    for (let i = 0; i < 50; i++) await attemptFrom('127.0.0.4', `sprayed-${i}`, 'guess', 401);
    const r = await attemptFrom('127.0.0.4', 'staff_a', USER_PASSWORD, 429);
    assert.equal(r.headers['retry-after'], '900');
    assert.equal(r.body.error.code, 'too_many_requests');
    // Another address is not held back.
    await attemptFrom('127.0.0.5', 'staff_a', USER_PASSWORD, 200);
  });

  it('one login failing from many addresses is held back everywhere after 50 failures', async () => {
    // 5 failures from each of 10 addresses (each address's own limit is reached, none passed): 50 in all.
    for (let a = 0; a < 10; a++) for (let i = 0; i < 5; i++) await attemptFrom(`127.0.1.${a + 1}`, 'besieged', `guess-${a}-${i}`, 401);
    await attemptFrom('127.0.2.1', 'besieged', USER_PASSWORD, 429);
    // Other logins from those addresses are not held back.
    await attemptFrom('127.0.1.1', 'staff_a', USER_PASSWORD, 200);
  });

  it('unknown logins are limited the same way', async () => {
    for (let i = 0; i < 5; i++) await attempt('ghost', `guess-${i}`, 401);
    const { r } = await attempt('ghost', 'guess-5', 429);
    expectError(r, 429, [], 'too_many_requests');
  });

  it('a successful login clears the count', async () => {
    for (let i = 0; i < 4; i++) await attempt('forgiven', `typo-${i}`, 401);
    await loginOk('forgiven');
    assert.equal(await count(server.db, 'login_failures', "login = 'forgiven'"), 0);
    for (let i = 0; i < 4; i++) await attempt('forgiven', `typo-again-${i}`, 401);
    await loginOk('forgiven'); // 4 + 4 failures, never 5 in a row
  });
});

describe('sessions', () => {
  it('no cookie, a forged cookie or an oversized cookie → 401', async () => {
    const anon = new Client(server.url);
    for (const path of ['/api/v1/me', '/api/v1/projects', '/api/v1/users', '/api/v1/audit']) {
      expectError(await anon.get(path), 401, [], 'unauthorized');
    }
    expectError(await anon.post('/api/v1/campaigns', { name: 'x', start_date: '2026-01-01' }), 401);
    expectError(await anon.del('/api/v1/session'), 401);
    anon.cookie = 'hz_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    expectError(await anon.get('/api/v1/me'), 401);
    anon.cookie = `hz_session=${'A'.repeat(5000)}`;
    expectError(await anon.get('/api/v1/me'), 401);
    assert.equal(await count(server.db, 'campaigns'), 0);
    // public addresses need no login
    assert.equal((await anon.get('/health')).status, 200);
    assert.equal((await anon.get('/api/v1/openapi.json')).status, 200);
  });

  it('DELETE /api/v1/session logs out: the cookie no longer works', async () => {
    const c = await loginOk('staff_a');
    const cookie = c.cookie;
    const before = await count(server.db, 'sessions', `user_id = ${users.staff_a.id}`);
    const r = await c.del('/api/v1/session');
    assert.equal(r.status, 204);
    const set = r.headers.get('set-cookie');
    assert.ok(/hz_session=;/.test(set) && /max-age=0/i.test(set), set);
    assert.equal(await count(server.db, 'sessions', `user_id = ${users.staff_a.id}`), before - 1);
    const old = new Client(server.url);
    old.cookie = cookie;
    old.csrf = c.csrf;
    expectError(await old.get('/api/v1/me'), 401, [], 'unauthorized');
    expectError(await old.post('/api/v1/campaigns', { name: 'x', start_date: '2026-01-01' }), 401);
    expectError(await old.del('/api/v1/session'), 401);
    const audit = expectStatus(await admin.get(`/api/v1/audit?action=logout&user_id=${users.staff_a.id}`), 200);
    assert.equal(audit.total, 1);
  });

  it('a disabled user loses its session and cannot log in', async () => {
    const c = await loginOk('leaving');
    expectStatus(await c.get('/api/v1/me'), 200);
    const out = await cli('user', 'disable', '--login', 'leaving');
    assert.match(out, /leaving/);
    expectError(await c.get('/api/v1/me'), 401, [], 'unauthorized');
    assert.equal(await count(server.db, 'sessions', `user_id = ${users.leaving.id}`), 0);
    const { r } = await attempt('leaving', USER_PASSWORD, 401);
    expectError(r, 401, [], 'unauthorized');
    assert.equal(r.headers.get('set-cookie'), null);
    const u = expectStatus(await admin.get(`/api/v1/users/${users.leaving.id}`), 200);
    assert.equal(u.disabled, true);
    assert.equal(await sql(server.db, `SELECT disabled FROM users WHERE id = ${users.leaving.id}`), '1');
    const audit = expectStatus(await admin.get(`/api/v1/audit?action=disable&entity_id=${users.leaving.id}`), 200);
    assert.equal(audit.total, 1);
    assert.deepEqual(audit.items[0].after, { disabled: true });
  });

  it('huizhan user passwd changes the password and ends the sessions', async () => {
    const c = await loginOk('renewing');
    const oldHash = await sql(server.db, `SELECT password_hash FROM users WHERE id = ${users.renewing.id}`);
    await cli('user', 'passwd', '--login', 'renewing', '--password', 'brand-new-pass-2026');
    const newHash = await sql(server.db, `SELECT password_hash FROM users WHERE id = ${users.renewing.id}`);
    assert.notEqual(newHash, oldHash);
    assert.ok(newHash.startsWith('$argon2id$'));
    expectError(await c.get('/api/v1/me'), 401);
    await attempt('renewing', USER_PASSWORD, 401);
    const fresh = await loginOk('renewing', 'brand-new-pass-2026');
    assert.equal(fresh.user.role, 'leader');
    // too short a password is refused and changes nothing
    const r = await run(['user', 'passwd', '--db', server.db, '--login', 'renewing', '--password', 'short']);
    assert.notEqual(r.code, 0);
    assert.equal(await sql(server.db, `SELECT password_hash FROM users WHERE id = ${users.renewing.id}`), newHash);
    expectStatus(await fresh.get('/api/v1/me'), 200);
  });
});

describe('bearer tokens', () => {
  let token, tokenId;
  it('huizhan token create prints a token that works without a CSRF token', async () => {
    token = (await cli('token', 'create', '--login', 'office', '--name', 'nightly-export')).trim();
    assert.ok(/^[A-Za-z0-9_-]{32,}$/.test(token), `token ${token}`);
    assert.equal(await count(server.db, 'api_tokens', `token_hash = '${token}'`), 0, 'stored hashed');
    const bot = new Client(server.url, { bearer: token });
    const me = expectStatus(await bot.get('/api/v1/me'), 200);
    assert.equal(me.login, 'office');
    assert.equal(me.role, 'office');
    assert.equal(me.csrf_token, undefined);
    const camp = await create(bot, '/api/v1/campaigns', { name: '脚本建的会战', start_date: '2026-05-01' });
    assert.equal(camp.end_date, '2026-08-08');
    const upd = expectStatus(await bot.patch(`/api/v1/campaigns/${camp.id}`, { status: 'active', version: camp.version }), 200);
    assert.equal(upd.status, 'active');
    expectStatus(await bot.get('/api/v1/audit?limit=1'), 200); // office may read the audit log
    const audit = expectStatus(await admin.get(`/api/v1/audit?entity=campaigns&entity_id=${camp.id}`), 200);
    assert.deepEqual(audit.items.map((x) => [x.action, x.user_id]), [['update', users.office.id], ['create', users.office.id]]);
    // the bearer scheme is case-insensitive; a wrong token is not
    const lower = await bot.get('/api/v1/me', { headers: { Authorization: `bearer ${token}` } });
    assert.equal(lower.status, 200);
    expectError(await new Client(server.url, { bearer: token.slice(0, -1) }).get('/api/v1/me'), 401);
    expectError(await new Client(server.url, { bearer: '' }).get('/api/v1/me'), 401);
  });

  it('a token carries its user\'s role: a leader token cannot write', async () => {
    const t = (await cli('token', 'create', '--login', 'leader')).trim();
    const bot = new Client(server.url, { bearer: t });
    expectError(await bot.post('/api/v1/campaigns', { name: 'x', start_date: '2026-05-01' }), 403, [], 'forbidden');
    expectError(await bot.get('/api/v1/audit'), 403);
    expectStatus(await bot.get('/api/v1/campaigns'), 200);
  });

  it('huizhan token list shows the tokens, never the secret', async () => {
    const out = await cli('token', 'list');
    assert.ok(!out.includes(token), 'the token itself must not be listed');
    const lines = out.trim().split('\n');
    assert.match(lines[0], /^id\s+login\s+name\s+created_at\s+revoked$/);
    const rows = lines.slice(1).map((l) => l.trim().split(/\s+/));
    assert.equal(rows.length, 2);
    const [id, login, name, , revoked] = rows[0];
    assert.deepEqual([login, name, revoked], ['office', 'nightly-export', undefined]);
    assert.deepEqual(rows[1].slice(1, 3), ['leader', 'script']);
    tokenId = Number(id);
    assert.equal(String(tokenId), await sql(server.db, "SELECT id FROM api_tokens WHERE name = 'nightly-export'"));
  });

  it('huizhan token revoke makes the token 401', async () => {
    await cli('token', 'revoke', '--id', String(tokenId));
    const bot = new Client(server.url, { bearer: token });
    expectError(await bot.get('/api/v1/me'), 401, [], 'unauthorized');
    expectError(await bot.post('/api/v1/campaigns', { name: 'x', start_date: '2026-05-01' }), 401);
    const rows = (await cli('token', 'list')).trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/));
    assert.equal(rows[0][4], 'yes');
    assert.equal(rows[1][4], undefined);
    const bad = await run(['token', 'revoke', '--db', server.db, '--id', '999']);
    assert.notEqual(bad.code, 0);
    const unknown = await run(['token', 'create', '--db', server.db, '--login', 'nobody-here']);
    assert.notEqual(unknown.code, 0);
    assert.equal(await count(server.db, 'api_tokens'), 2);
  });

  it('a disabled user\'s token stops working', async () => {
    const t = (await cli('token', 'create', '--login', 'head_a')).trim();
    const bot = new Client(server.url, { bearer: t });
    expectStatus(await bot.get('/api/v1/me'), 200);
    await cli('user', 'disable', '--login', 'head_a');
    expectError(await bot.get('/api/v1/me'), 401);
  });
});

describe('password storage', () => {
  it('every password is stored as an Argon2id hash', async () => {
    const hashes = (await sql(server.db, 'SELECT password_hash FROM users ORDER BY id')).split('\n');
    assert.equal(hashes.length, 1 + Object.keys(users).length);
    for (const h of hashes) {
      assert.ok(h.startsWith('$argon2id$v=19$'), h);
      assert.ok(!h.includes(USER_PASSWORD) && !h.includes(ADMIN_PASSWORD));
    }
    assert.equal(new Set(hashes).size, hashes.length, 'salted: no two hashes alike');
  });

  it('the API never returns a password or its hash', async () => {
    const list = expectStatus(await admin.get('/api/v1/users?limit=500'), 200);
    assert.equal(list.total, 1 + Object.keys(users).length);
    const one = expectStatus(await admin.get(`/api/v1/users/${users.office.id}`), 200);
    for (const u of [...list.items, one]) {
      assert.ok(!Object.hasOwn(u, 'password'), JSON.stringify(u));
      assert.ok(!Object.hasOwn(u, 'password_hash'), JSON.stringify(u));
    }
    const created = await create(admin, '/api/v1/users', { login: 'fresh', name: 'x', role: 'leader', password: 'fresh-pass-2026' });
    users.fresh = created;
    assert.ok(!Object.hasOwn(created, 'password') && !Object.hasOwn(created, 'password_hash'));
    const patched = expectStatus(await admin.patch(`/api/v1/users/${created.id}`,
      { password: 'fresher-pass-2026', version: created.version }), 200);
    assert.ok(!Object.hasOwn(patched, 'password') && !Object.hasOwn(patched, 'password_hash'));
    await loginOk('fresh', 'fresher-pass-2026');
    await attempt('fresh', 'fresh-pass-2026', 401);
    // a password set through the API ends the user's open sessions, like `huizhan user passwd`
    const session = await loginOk('fresh', 'fresher-pass-2026');
    const cur = expectStatus(await admin.get(`/api/v1/users/${created.id}`), 200);
    expectStatus(await admin.patch(`/api/v1/users/${created.id}`, { password: 'freshest-pass-2026', version: cur.version }), 200);
    expectError(await session.get('/api/v1/me'), 401);
    assert.equal(await count(server.db, 'sessions', `user_id = ${created.id}`), 0);
    await loginOk('fresh', 'freshest-pass-2026');
    // and so does disabling the account through the API
    const again = expectStatus(await admin.get(`/api/v1/users/${created.id}`), 200);
    expectStatus(await admin.patch(`/api/v1/users/${created.id}`, { disabled: true, version: again.version }), 200);
    assert.equal(await count(server.db, 'sessions', `user_id = ${created.id}`), 0);
    await attempt('fresh', 'freshest-pass-2026', 401);
    const raw = (await admin.get('/api/v1/users?limit=500')).raw.toString();
    assert.ok(!raw.includes('argon2') && !raw.includes('pass-2026'));
  });

  it('the audit log holds no password and no hash', async () => {
    assert.equal(await count(server.db, 'audit_log',
      "COALESCE(before, '') || COALESCE(after, '') LIKE '%argon2%' OR COALESCE(before, '') || COALESCE(after, '') LIKE '%pass-2026%'"), 0);
    const audit = (await admin.get('/api/v1/audit?limit=500')).raw.toString();
    assert.ok(!audit.includes('argon2') && !audit.includes('pass-2026'));
  });
});

describe('the last login in the users list', () => {
  // The login log's newest successful login of a user, read with raw SQL: "at|address".
  const lastOk = (id) => sql(server.db, `SELECT at, address FROM login_events WHERE user_id = ${id} AND outcome = 'ok' ORDER BY id DESC LIMIT 1`);
  const lastSession = (id) => sql(server.db, `SELECT created_at FROM sessions WHERE user_id = ${id} ORDER BY id DESC LIMIT 1`);
  let seen, never;
  before(async () => {
    const mk = (login) => create(admin, '/api/v1/users', { login, name: `${login} 姓名`, role: 'unit_staff', unit_id: unitA.id, password: USER_PASSWORD });
    seen = await mk('lastlog_seen');
    never = await mk('lastlog_never');
    assert.equal(seen.last_login_at, null); // the create answer: no login yet
  });
  const byLogin = (page) => Object.fromEntries(page.items.map((u) => [u.login, u]));

  it('GET /api/v1/users and /users/{id} give the last login as the sessions table has it; null for never', async () => {
    await loginOk('lastlog_seen');
    const at = await lastSession(seen.id);
    assert.match(at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(await lastOk(seen.id), `${at}|127.0.0.1`); // the login log's row of the same login
    const list = byLogin(expectStatus(await admin.get('/api/v1/users?q=lastlog_'), 200));
    assert.deepEqual(Object.keys(list).sort(), ['lastlog_never', 'lastlog_seen']);
    assert.equal(list.lastlog_seen.last_login_at, at);
    assert.equal(list.lastlog_seen.last_login_address, '127.0.0.1');
    assert.equal(list.lastlog_never.last_login_at, null);
    assert.equal(list.lastlog_never.last_login_address, null);
    assert.equal(await lastOk(never.id), '');
    const one = expectStatus(await admin.get(`/api/v1/users/${seen.id}`), 200);
    assert.equal(one.last_login_at, at);
    assert.equal(one.last_login_address, '127.0.0.1');
    const none = expectStatus(await admin.get(`/api/v1/users/${never.id}`), 200);
    assert.equal(none.last_login_at, null);
    assert.ok('last_login_at' in none && 'last_login_address' in none);
  });

  it('a later login moves it; the list sorts by it on the server, never-logged-in first ascending', async () => {
    await loginOk('lastlog_seen');
    const at = await lastSession(seen.id);
    assert.equal((await lastOk(seen.id)).split('|')[0], at);
    assert.equal(expectStatus(await admin.get(`/api/v1/users/${seen.id}`), 200).last_login_at, at);
    const asc = expectStatus(await admin.get('/api/v1/users?q=lastlog_&sort=last_login_at'), 200).items.map((u) => u.login);
    assert.deepEqual(asc, ['lastlog_never', 'lastlog_seen']);
    const desc = expectStatus(await admin.get('/api/v1/users?q=lastlog_&sort=-last_login_at'), 200).items.map((u) => u.login);
    assert.deepEqual(desc, ['lastlog_seen', 'lastlog_never']);
    // across every user: descending by the login log's own order, never-logged-in last
    const all = expectStatus(await admin.get('/api/v1/users?sort=-last_login_at&limit=500'), 200).items;
    const want = (await sql(server.db, "SELECT u.login FROM users u LEFT JOIN (SELECT user_id, MAX(at) AS at FROM login_events WHERE outcome = 'ok' GROUP BY user_id) l ON l.user_id = u.id ORDER BY l.at DESC NULLS LAST, u.id DESC")).split('\n');
    assert.deepEqual(all.map((u) => u.login), want);
  });

  it('every role that reads users sees the time; the address only those who keep the accounts', async () => {
    const at = await lastSession(seen.id);
    for (const login of ['office', 'leader', 'staff_a']) {
      const c = await loginOk(login);
      const u = byLogin(expectStatus(await c.get('/api/v1/users?q=lastlog_'), 200));
      assert.equal(u.lastlog_seen.last_login_at, at, login);
      assert.equal(u.lastlog_never.last_login_at, null, login);
      assert.ok(!('last_login_address' in u.lastlog_seen), `${login} sees no address`);
      const one = expectStatus(await c.get(`/api/v1/users/${seen.id}`), 200);
      assert.equal(one.last_login_at, at);
      assert.ok(!('last_login_address' in one));
    }
  });

  it('a role that may not read users gets 403 for the list and the record', async () => {
    await create(admin, '/api/v1/users', { login: 'lastlog_aud', name: '审计员', role: 'auditor', password: USER_PASSWORD });
    const aud = await loginOk('lastlog_aud');
    expectError(await aud.get('/api/v1/users'), 403);
    expectError(await aud.get(`/api/v1/users/${seen.id}`), 403);
    expectError(await aud.get('/api/v1/users?sort=-last_login_at'), 403);
  });

  it('bad sorts and writes of it are refused naming the field', async () => {
    expectError(await admin.get('/api/v1/users?sort=last_login_address'), 400, ['sort']);
    expectError(await admin.get('/api/v1/users?last_login_at=2026-01-01'), 400, ['last_login_at']);
    const cur = expectStatus(await admin.get(`/api/v1/users/${never.id}`), 200);
    expectError(await admin.patch(`/api/v1/users/${never.id}`, { last_login_at: '2026-01-01T00:00:00Z', version: cur.version }), 400, ['last_login_at']);
    expectError(await admin.patch(`/api/v1/users/${never.id}`, { last_login_address: '1.2.3.4', version: cur.version }), 400, ['last_login_address']);
    assert.equal(expectStatus(await admin.get(`/api/v1/users/${never.id}`), 200).last_login_at, null);
  });

  it('the served OpenAPI document describes the fields and the sort', async () => {
    const doc = expectStatus(await admin.get('/api/v1/openapi.json'), 200);
    const p = doc.components.schemas.users.properties;
    assert.deepEqual({ ...p.last_login_at, description: undefined },
      { type: 'string', format: 'date-time', nullable: true, readOnly: true, description: undefined });
    assert.match(p.last_login_at.description, /^上次登录时间/);
    assert.equal(p.last_login_address.type, 'string');
    assert.match(p.last_login_address.description, /只给可修改本集合的角色/);
    const sort = doc.paths['/api/v1/users'].get.parameters.find((x) => x.name === 'sort');
    assert.ok(sort.schema.enum.includes('last_login_at') && sort.schema.enum.includes('-last_login_at'));
    assert.ok(!sort.schema.enum.includes('last_login_address'));
  });
});

describe('audit of logins', () => {
  it('every login and every failed login is in GET /api/v1/audit', async () => {
    const ok = expectStatus(await admin.get('/api/v1/audit?action=login&limit=500'), 200);
    assert.equal(ok.total, logins);
    assert.equal(ok.total, await count(server.db, 'audit_log', "action = 'login'"));
    for (const x of ok.items) {
      assert.equal(x.entity, 'users');
      assert.equal(x.entity_id, x.user_id);
    }
    const byUser = ok.items.filter((x) => x.user_id === users.forgiven.id).length;
    assert.equal(byUser, 2);
    const bad = expectStatus(await admin.get('/api/v1/audit?action=login_failed&limit=500'), 200);
    assert.equal(bad.total, failures);
    // newest first: the attempted login names in reverse order
    assert.deepEqual(bad.items.map((x) => x.after.login), [...failedLogins].reverse());
    for (const x of bad.items) assert.equal(x.user_id, null);
    assert.equal(bad.items.filter((x) => x.after.login === 'limited').length, 5);
    assert.equal(bad.items.filter((x) => x.after.login === 'ghost').length, 5);
  });

  it('the audit chain is intact', async () => {
    const r = await run(['audit', 'verify', '--db', server.db]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ok/);
  });
});
