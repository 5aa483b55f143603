// The command line (SPEC §8 R-API): version, help, init, user, token, audit verify.
// Logins are checked against a real `huizhan serve` on the database the CLI wrote.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync, statSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { run, tempDir, serveDb, Client } from './lib.mjs';

const COMMANDS = ['init', 'serve', 'demo', 'gen', 'user', 'token', 'check', 'evaluate', 'bulletin', 'job', 'audit'];
const dirs = [];
function dir() { const d = tempDir(); dirs.push(d); return d; }
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/** A fresh database made by `huizhan init` with a known admin password. */
async function initDb(password = 'admin-pass-2026') {
  const db = join(dir(), 'huizhan.db');
  const r = await run(['init', '--db', db, '--admin-password', password], { env: { HUIZHAN_ADMIN_PASSWORD: '' } });
  assert.equal(r.code, 0, r.stderr);
  return db;
}

/** The rows of `huizhan user list`: [{login, role, unit, off, name}] keyed by login. */
async function userList(db) {
  const r = await run(['user', 'list', '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  const header = lines[0].trim().split(/\s+/);
  assert.deepEqual(header.slice(0, 2), ['login', 'role']);
  const users = {};
  for (const line of lines.slice(1)) {
    // login, role and unit are single words; off is "yes" or blank; the name is the rest
    const m = /^(\S+)\s+(\S+)\s+(\S+)\s+(yes)?\s*(.*)$/.exec(line);
    assert.ok(m, `unreadable user list line: ${line}`);
    users[m[1]] = { login: m[1], role: m[2], unit: m[3], off: m[4] === 'yes', name: m[5] };
  }
  return users;
}

/** Stops a server and checks it exits cleanly on SIGTERM (SPEC §8). */
async function stopClean(srv) {
  const { code, signal } = await srv.stop();
  assert.equal(code, 0, `serve exited with ${code ?? signal}:\n${srv.log()}`);
}

/** Failure: non-zero exit, a message on stderr, nothing on stdout. */
function assertFails(r, code, pattern) {
  if (code === undefined) assert.notEqual(r.code, 0, `expected failure, got 0: ${r.stdout}`);
  else assert.equal(r.code, code, `exit ${r.code}, want ${code}; stderr: ${r.stderr}`);
  assert.equal(r.stdout, '', 'errors go to stderr, not stdout');
  assert.match(r.stderr, /\S/);
  if (pattern) assert.match(r.stderr, pattern);
}

describe('version and help', () => {
  test('version prints the version', async () => {
    for (const arg of ['version', '--version']) {
      const r = await run([arg]);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^huizhan \d+\.\d+\.\d+\n$/);
      assert.equal(r.stderr, '');
    }
  });

  test('help lists every command', async () => {
    for (const args of [['help'], ['--help'], ['-h']]) {
      const r = await run(args);
      assert.equal(r.code, 0);
      for (const c of COMMANDS) assert.match(r.stdout, new RegExp(`huizhan ${c} `), `help lacks ${c}`);
      assert.match(r.stdout, /huizhan version/);
      assert.match(r.stdout, /HUIZHAN_TODAY/);
    }
  });

  test('help COMMAND and COMMAND --help print that command\'s usage', async () => {
    for (const c of COMMANDS) {
      for (const args of [['help', c], [c, '--help'], [c, '-h']]) {
        const r = await run(args);
        assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stdout, new RegExp(`^用法：huizhan ${c} `), `${args.join(' ')}: ${r.stdout}`);
        assert.match(r.stdout, /--db FILE/);
        // only this command's usage, not the whole list
        for (const other of COMMANDS.filter((o) => o !== c)) {
          assert.doesNotMatch(r.stdout, new RegExp(`huizhan ${other} --db`), `${c} help shows ${other}`);
        }
      }
    }
  });

  test('--help wins over a subcommand and other options', async () => {
    const r = await run(['user', 'add', '--db', '/nonexistent/x.db', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /huizhan user add --db FILE --login L/);
    assert.match(r.stdout, /huizhan user passwd/);
    assert.match(r.stdout, /huizhan user disable/);
    const t = await run(['token', '--help']);
    assert.match(t.stdout, /token create --db FILE --login L/);
    assert.match(t.stdout, /token list --db FILE/);
    assert.match(t.stdout, /token revoke --db FILE --id ID/);
  });

  test('no command: usage on stderr, exit 2', async () => {
    const r = await run([]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /huizhan init --db FILE/);
  });

  test('unknown command: exit 2, named on stderr', async () => {
    const r = await run(['frobnicate', '--db', 'x.db']);
    assertFails(r, 2, /frobnicate/);
    assert.match(r.stderr, /huizhan init --db FILE/);
  });

  test('unknown subcommands: exit 2', async () => {
    assertFails(await run(['user']), 2, /list/);
    assertFails(await run(['user', 'remove', '--db', 'x.db']), 2, /list/);
    assertFails(await run(['token', 'delete', '--db', 'x.db']), 2, /revoke/);
    assertFails(await run(['audit', '--db', 'x.db']), 2, /verify/);
    assertFails(await run(['audit', 'check', '--db', 'x.db']), 2, /verify/);
  });

  test('an option without its value: exit 2', async () => {
    const r = await run(['user', 'list', '--db']);
    assertFails(r, 2, /--db/);
  });

  test('help for an unknown command: exit 2, named on stderr', async () => {
    assertFails(await run(['help', 'bogus']), 2, /bogus/);
  });

  test('an option the command does not take: exit 2, named, nothing done', async () => {
    const d = dir();
    // a typo of --admin-password must not create a database with a generated password
    const db = join(d, 'typo.db');
    let r = await run(['init', '--db', db, '--admin-pasword', 'secret-pass-1'], { env: { HUIZHAN_ADMIN_PASSWORD: '' } });
    assertFails(r, 2, /--admin-pasword/);
    assert.equal(existsSync(db), false);
    // a typo of --listen must not serve on the default address
    assertFails(await run(['serve', '--db', db, '--lisen', '127.0.0.1:1']), 2, /--lisen/);
    assertFails(await run(['user', 'list', '--db', db, '--bogus', 'x']), 2, /--bogus/);
    // a prefix of a real option is not that option
    assertFails(await run(['demo', '--db', db, '--password', 'pw-2026-demo', '--as', '2026-10-15']), 2, /--as\b/);
    assert.equal(existsSync(db), false);
  });

  test('a HUIZHAN_TODAY that is not a real date: exit 2, named, nothing done', async () => {
    const db = join(dir(), 'today.db');
    for (const bad of ['garbage', '2026-02-30', '2026-10-15x']) {
      const r = await run(['init', '--db', db, '--admin-password', 'secret-pass-1'], { env: { HUIZHAN_TODAY: bad } });
      assertFails(r, 2, /HUIZHAN_TODAY/);
      assert.ok(r.stderr.includes(bad), r.stderr);
      assert.equal(existsSync(db), false);
    }
    assert.equal((await run(['init', '--db', db, '--admin-password', 'secret-pass-1'], { env: { HUIZHAN_TODAY: '2026-10-15' } })).code, 0);
  });
});

describe('--db', () => {
  test('a missing --db is a usage error naming it', async () => {
    for (const args of [['init'], ['user', 'list'], ['user', 'add', '--login', 'x', '--role', 'office', '--password', 'password-1'],
      ['user', 'passwd', '--login', 'admin', '--password', 'password-1'], ['user', 'disable', '--login', 'admin'],
      ['token', 'create', '--login', 'admin'], ['token', 'list'], ['token', 'revoke', '--id', '1'],
      ['audit', 'verify'], ['serve'], ['demo', '--password', 'demo-pass-1']]) {
      const r = await run(args);
      assertFails(r, 2, /--db/);
    }
  });

  test('HUIZHAN_DB names the database when --db is absent, and --db wins over it', async () => {
    const fromEnv = join(dir(), 'env.db');
    let r = await run(['init', '--admin-password', 'env-pass-2026'], { env: { HUIZHAN_DB: fromEnv, HUIZHAN_ADMIN_PASSWORD: '' } });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(fromEnv));
    r = await run(['user', 'list'], { env: { HUIZHAN_DB: fromEnv } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^admin\s/m);
    // --db given: the environment's database is neither read nor written
    const flag = join(dir(), 'flag.db');
    const missing = join(dir(), 'missing-env.db');
    r = await run(['init', '--db', flag, '--admin-password', 'flag-pass-2026'], { env: { HUIZHAN_DB: missing } });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(flag));
    assert.equal(existsSync(missing), false);
    const srv = await serveDb(fromEnv);
    try {
      assert.equal((await srv.tryLogin('admin', 'env-pass-2026')).status, 200);
    } catch (err) { await srv.stop(); throw err; }
    await stopClean(srv);
  });

  test('a PostgreSQL URI that cannot be reached fails naming it, its password masked', async () => {
    // port 1 on loopback: nothing listens, the connection is refused at once
    for (const env of [{}, { HUIZHAN_DB: 'postgresql://hz:s3cret-pw@127.0.0.1:1/city?connect_timeout=2' }]) {
      const args = env.HUIZHAN_DB ? ['user', 'list'] : ['user', 'list', '--db', 'postgres://hz@127.0.0.1:1/city?password=s3cret-pw&connect_timeout=2'];
      const r = await run(args, { env });
      assertFails(r, 1, /127\.0\.0\.1:1\/city/);
      assert.doesNotMatch(r.stderr, /s3cret-pw/);
      assert.match(r.stderr, /\*\*\*/);
    }
  });

  test('a database that does not exist is not created by reading commands', async () => {
    const db = join(dir(), 'missing.db');
    for (const args of [['user', 'list'], ['token', 'list'], ['audit', 'verify']]) {
      const r = await run([...args, '--db', db]);
      assertFails(r, undefined, /missing\.db/);
      assert.equal(existsSync(db), false, `${args.join(' ')} created ${db}`);
    }
  });
});

describe('init', () => {
  test('creates a database with an admin account', async () => {
    const db = join(dir(), 'new.db');
    const r = await run(['init', '--db', db, '--admin-password', 'admin-pass-2026']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(db));
    assert.match(r.stdout, /admin/);
    assert.doesNotMatch(r.stdout, /admin-pass-2026/, 'a given password is not echoed');
    const users = await userList(db);
    assert.deepEqual(Object.keys(users), ['admin']);
    assert.equal(users.admin.role, 'admin');
    assert.equal(users.admin.unit, '-');
    assert.equal(users.admin.off, false);
    const v = await run(['audit', 'verify', '--db', db]);
    assert.equal(v.code, 0, v.stderr);
    assert.equal(v.stdout, 'ok\n');
  });

  test('refuses an existing file and leaves it untouched', async () => {
    const db = await initDb();
    const before = readFileSync(db);
    const { mtimeMs } = statSync(db);
    const r = await run(['init', '--db', db, '--admin-password', 'other-pass-2026']);
    assertFails(r, undefined, /已存在/);
    assert.ok(readFileSync(db).equals(before), 'the database was changed');
    assert.equal(statSync(db).mtimeMs, mtimeMs);
    // the old admin password still works, the new one does not
    const srv = await serveDb(db);
    try {
      assert.equal((await srv.tryLogin('admin', 'admin-pass-2026')).status, 200);
      assert.equal((await srv.tryLogin('admin', 'other-pass-2026')).status, 401);
    } catch (err) { await srv.stop(); throw err; }
    await stopClean(srv);

    // any existing file, not only a database
    const txt = join(dir(), 'notes.txt');
    writeFileSync(txt, '会战笔记\n');
    const r2 = await run(['init', '--db', txt, '--admin-password', 'admin-pass-2026']);
    assertFails(r2);
    assert.equal(readFileSync(txt, 'utf8'), '会战笔记\n');
  });

  test('a too short admin password fails and leaves no file behind', async () => {
    const db = join(dir(), 'short.db');
    const r = await run(['init', '--db', db, '--admin-password', 'short'], { env: { HUIZHAN_ADMIN_PASSWORD: '' } });
    assertFails(r, 2, /password/);
    assert.equal(existsSync(db), false);
  });

  test('a directory that does not exist fails cleanly', async () => {
    const db = join(dir(), 'no', 'such', 'dir', 'x.db');
    const r = await run(['init', '--db', db, '--admin-password', 'admin-pass-2026']);
    assertFails(r);
    assert.equal(existsSync(db), false);
  });

  test('--admin-password, HUIZHAN_ADMIN_PASSWORD, or a generated password printed once', async () => {
    const d = dir();
    const fromFlag = join(d, 'flag.db');
    const fromEnv = join(d, 'env.db');
    const both = join(d, 'both.db');
    const generated = join(d, 'gen.db');
    let r = await run(['init', '--db', fromFlag, '--admin-password', 'flag-pass-2026'], { env: { HUIZHAN_ADMIN_PASSWORD: '' } });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /flag-pass-2026/);
    r = await run(['init', '--db', fromEnv], { env: { HUIZHAN_ADMIN_PASSWORD: 'env-pass-2026' } });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /env-pass-2026/);
    assert.doesNotMatch(r.stdout, /只显示这一次/);
    r = await run(['init', '--db', both, '--admin-password', 'flag-pass-2026'], { env: { HUIZHAN_ADMIN_PASSWORD: 'env-pass-2026' } });
    assert.equal(r.code, 0, r.stderr);
    r = await run(['init', '--db', generated], { env: { HUIZHAN_ADMIN_PASSWORD: '' } });
    assert.equal(r.code, 0, r.stderr);
    // the generated password is on one line of stdout, once, and nowhere else
    const m = /只显示这一次）：(\S+)\n/.exec(r.stdout);
    assert.ok(m, `no generated password in: ${r.stdout}`);
    const pw = m[1];
    assert.ok(pw.length >= 12, `generated password too short: ${pw}`);
    assert.equal(r.stdout.split(pw).length - 1, 1, 'printed once');
    assert.equal(r.stderr.includes(pw), false);
    // a second database gets a different password
    const gen2 = join(d, 'gen2.db');
    const r2 = await run(['init', '--db', gen2], { env: { HUIZHAN_ADMIN_PASSWORD: '' } });
    const m2 = /只显示这一次）：(\S+)\n/.exec(r2.stdout);
    assert.ok(m2);
    assert.notEqual(m2[1], pw);

    const cases = [[fromFlag, 'flag-pass-2026', 'env-pass-2026'], [fromEnv, 'env-pass-2026', 'flag-pass-2026'],
      [both, 'flag-pass-2026', 'env-pass-2026'], [generated, pw, 'admin-pass-2026']];
    for (const [db, good, bad] of cases) {
      const srv = await serveDb(db);
      try {
        const ok = await srv.tryLogin('admin', good);
        assert.equal(ok.status, 200, `${db}: ${JSON.stringify(ok.body)}`);
        assert.equal(ok.body.user.role, 'admin');
        assert.equal(typeof ok.body.csrf_token, 'string');
        const me = await ok.client.get('/api/v1/me');
        assert.equal(me.status, 200);
        assert.equal((me.body.user ?? me.body).login, 'admin');
        assert.equal((await srv.tryLogin('admin', bad)).status, 401);
      } catch (err) { await srv.stop(); throw err; }
      await stopClean(srv);
    }
  });
});

describe('user', () => {
  let db;
  let unitId;
  before(async () => {
    db = await initDb();
    // units have no CLI: create one through the API as admin
    const srv = await serveDb(db);
    try {
      const admin = await srv.login('admin', 'admin-pass-2026');
      const r = await admin.post('/api/v1/units', { name: '市工业和信息化局', category: 'industry' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      unitId = r.body.id;
    } catch (err) { await srv.stop(); throw err; }
    await stopClean(srv);
  });

  test('add for every role', async () => {
    const add = (login, role, extra = []) => run(['user', 'add', '--db', db, '--login', login, '--name', `用户${login}`,
      '--role', role, '--password', 'user-pass-2026', ...extra]);
    for (const role of ['admin', 'office', 'leader']) {
      const r = await add(`${role}1`, role);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`${role}1`));
    }
    for (const role of ['unit_head', 'unit_staff']) {
      const r = await add(`${role}1`, role, ['--unit', String(unitId)]);
      assert.equal(r.code, 0, r.stderr);
    }
    const users = await userList(db);
    for (const role of ['admin', 'office', 'leader']) {
      assert.equal(users[`${role}1`].role, role);
      assert.equal(users[`${role}1`].unit, '-');
      assert.equal(users[`${role}1`].name, `用户${role}1`);
    }
    for (const role of ['unit_head', 'unit_staff']) {
      assert.equal(users[`${role}1`].role, role);
      assert.equal(users[`${role}1`].unit, String(unitId));
    }
    // each can log in and is who the list says
    const srv = await serveDb(db);
    try {
      for (const role of ['admin', 'office', 'leader', 'unit_head', 'unit_staff']) {
        const r = await srv.tryLogin(`${role}1`, 'user-pass-2026');
        assert.equal(r.status, 200, `${role}1: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.user.role, role);
        assert.equal(r.body.user.unit_id ?? null, role.startsWith('unit') ? unitId : null);
      }
    } catch (err) { await srv.stop(); throw err; }
    await stopClean(srv);
  });

  test('a unit role without --unit is refused naming unit_id', async () => {
    for (const role of ['unit_head', 'unit_staff']) {
      const r = await run(['user', 'add', '--db', db, '--login', `nounit_${role}`, '--role', role, '--password', 'user-pass-2026']);
      assertFails(r, 2, /unit_id/);
    }
    const users = await userList(db);
    assert.equal(users.nounit_unit_head, undefined);
    assert.equal(users.nounit_unit_staff, undefined);
  });

  test('a central role with --unit is refused naming unit_id', async () => {
    const r = await run(['user', 'add', '--db', db, '--login', 'office_in_unit', '--role', 'office', '--unit', String(unitId),
      '--password', 'user-pass-2026']);
    assertFails(r, 2, /unit_id/);
  });

  test('bad input to user add', async () => {
    assertFails(await run(['user', 'add', '--db', db, '--login', 'boss1', '--role', 'boss', '--password', 'user-pass-2026']),
      2, /role/);
    assertFails(await run(['user', 'add', '--db', db, '--login', 'x1', '--role', 'unit_staff', '--unit', 'abc',
      '--password', 'user-pass-2026']), 2, /--unit|unit/);
    assertFails(await run(['user', 'add', '--db', db, '--login', 'x2', '--role', 'unit_staff', '--unit', '999999',
      '--password', 'user-pass-2026']), undefined, /unit_id/);
    assertFails(await run(['user', 'add', '--db', db, '--role', 'office', '--password', 'user-pass-2026']), 2, /--login/);
    assertFails(await run(['user', 'add', '--db', db, '--login', 'x3', '--password', 'user-pass-2026']), 2, /--role/);
    assertFails(await run(['user', 'add', '--db', db, '--login', 'x4', '--role', 'office', '--password', 'short']),
      2, /password/);
    // a login that exists already
    assertFails(await run(['user', 'add', '--db', db, '--login', 'admin', '--role', 'office', '--password', 'user-pass-2026']));
    const users = await userList(db);
    for (const l of ['boss1', 'x1', 'x2', 'x3', 'x4']) assert.equal(users[l], undefined, `${l} was created`);
    assert.equal(users.admin.role, 'admin');
  });

  test('add reads the password from standard input', async () => {
    const r = await run(['user', 'add', '--db', db, '--login', 'stdin1', '--role', 'leader'], { input: 'stdin-pass-2026\n' });
    assert.equal(r.code, 0, r.stderr);
    const srv = await serveDb(db);
    try {
      assert.equal((await srv.tryLogin('stdin1', 'stdin-pass-2026')).status, 200);
    } catch (err) { await srv.stop(); throw err; }
    await stopClean(srv);
  });

  test('passwd changes a password', async () => {
    let r = await run(['user', 'add', '--db', db, '--login', 'pw1', '--role', 'office', '--password', 'first-pass-2026']);
    assert.equal(r.code, 0, r.stderr);
    r = await run(['user', 'passwd', '--db', db, '--login', 'pw1', '--password', 'second-pass-2026']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /pw1/);
    assert.doesNotMatch(r.stdout, /second-pass-2026/);
    let srv = await serveDb(db);
    try {
      assert.equal((await srv.tryLogin('pw1', 'first-pass-2026')).status, 401);
      assert.equal((await srv.tryLogin('pw1', 'second-pass-2026')).status, 200);
    } catch (err) { await srv.stop(); throw err; }
    await stopClean(srv);
    // from standard input
    r = await run(['user', 'passwd', '--db', db, '--login', 'pw1'], { input: 'third-pass-2026\n' });
    assert.equal(r.code, 0, r.stderr);
    srv = await serveDb(db);
    try {
      assert.equal((await srv.tryLogin('pw1', 'second-pass-2026')).status, 401);
      assert.equal((await srv.tryLogin('pw1', 'third-pass-2026')).status, 200);
    } catch (err) { await srv.stop(); throw err; }
    await stopClean(srv);
    assertFails(await run(['user', 'passwd', '--db', db, '--login', 'pw1', '--password', 'short']), 2, /password/);
    assertFails(await run(['user', 'passwd', '--db', db, '--login', 'nobody', '--password', 'fourth-pass-2026']));
    assertFails(await run(['user', 'passwd', '--db', db, '--password', 'fourth-pass-2026']), 2, /--login/);
  });

  test('disable stops a user logging in', async () => {
    let r = await run(['user', 'add', '--db', db, '--login', 'off1', '--role', 'leader', '--password', 'off-pass-2026']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await userList(db)).off1.off, false);
    const srv = await serveDb(db);
    try {
      const before = await srv.tryLogin('off1', 'off-pass-2026');
      assert.equal(before.status, 200);
      r = await run(['user', 'disable', '--db', db, '--login', 'off1']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /off1/);
      // the open session ends and a new login is refused
      assert.equal((await before.client.get('/api/v1/me')).status, 401);
      assert.equal((await srv.tryLogin('off1', 'off-pass-2026')).status, 401);
    } catch (err) { await srv.stop(); throw err; }
    await stopClean(srv);
    const users = await userList(db);
    assert.equal(users.off1.off, true);
    assert.equal(users.admin.off, false);
    assertFails(await run(['user', 'disable', '--db', db, '--login', 'nobody']));
    assertFails(await run(['user', 'disable', '--db', db]), 2, /--login/);
  });

  test('list shows login and role columns for every user', async () => {
    const r = await run(['user', 'list', '--db', db]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.split('\n')[0], /^login\s+role\s/);
    const users = await userList(db);
    assert.equal(users.admin.role, 'admin');
    assert.equal(users.unit_staff1.role, 'unit_staff');
  });

  test('audit verify still ok after all of this', async () => {
    const r = await run(['audit', 'verify', '--db', db]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'ok\n');
  });
});

describe('token', () => {
  let db;
  before(async () => {
    db = await initDb();
    const r = await run(['user', 'add', '--db', db, '--login', 'script', '--role', 'office', '--password', 'script-pass-2026']);
    assert.equal(r.code, 0, r.stderr);
  });

  test('create, use, list, revoke', async () => {
    const c = await run(['token', 'create', '--db', db, '--login', 'script', '--name', 'nightly-export']);
    assert.equal(c.code, 0, c.stderr);
    const token = c.stdout.trim();
    assert.match(token, /^[A-Za-z0-9_-]{43}$/, 'the token alone on stdout (32 bytes, base64url)');
    const c2 = await run(['token', 'create', '--db', db, '--login', 'admin']);
    assert.equal(c2.code, 0, c2.stderr);
    assert.notEqual(c2.stdout.trim(), token);

    const list = await run(['token', 'list', '--db', db]);
    assert.equal(list.code, 0, list.stderr);
    assert.doesNotMatch(list.stdout, new RegExp(token), 'tokens are never shown again');
    const lines = list.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^id\s+login\s+name\s+created_at\s+revoked/);
    const row = lines.find((l) => /\sscript\s+nightly-export\s/.test(l));
    assert.ok(row, list.stdout);
    const id = row.trim().split(/\s+/)[0];
    assert.match(id, /^\d+$/);
    assert.ok(lines.some((l) => /\sadmin\s+script\s/.test(l)), 'default name "script"');

    const srv = await serveDb(db);
    try {
      const bearer = new Client(srv.url, { bearer: token });
      const me = await bearer.get('/api/v1/me');
      assert.equal(me.status, 200);
      assert.equal((me.body.user ?? me.body).login, 'script');
      const r = await run(['token', 'revoke', '--db', db, '--id', id]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal((await bearer.get('/api/v1/me')).status, 401);
      // the other token still works
      assert.equal((await new Client(srv.url, { bearer: c2.stdout.trim() }).get('/api/v1/me')).status, 200);
      assert.equal((await new Client(srv.url, { bearer: 'not-a-token' }).get('/api/v1/me')).status, 401);
    } catch (err) { await srv.stop(); throw err; }
    await stopClean(srv);

    const after = await run(['token', 'list', '--db', db]);
    const revoked = after.stdout.split('\n').find((l) => l.trim().startsWith(`${id} `));
    assert.match(revoked, /\syes\s*$/);
    // Revoking it again says so, and writes no second audit entry.
    const entries = () => Number(execFileSync('sqlite3', [db, "SELECT COUNT(*) FROM audit_log WHERE action = 'token_revoke'"], { encoding: 'utf8' }).trim());
    const before = entries();
    assertFails(await run(['token', 'revoke', '--db', db, '--id', id]), 1, /已吊销/);
    assert.equal(entries(), before);
  });

  test('bad input', async () => {
    assertFails(await run(['token', 'create', '--db', db, '--login', 'nobody']));
    assertFails(await run(['token', 'create', '--db', db]), 2, /--login/);
    assertFails(await run(['token', 'revoke', '--db', db, '--id', '999999']));
    assertFails(await run(['token', 'revoke', '--db', db, '--id', 'abc']), 2, /--id/);
    assertFails(await run(['token', 'revoke', '--db', db]), 2, /--id/);
  });
});

describe('audit verify', () => {
  test('ok on a fresh database', async () => {
    const db = await initDb();
    const r = await run(['audit', 'verify', '--db', db]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'ok\n');
  });

  test('names the first broken entry when the log was edited', async () => {
    const db = await initDb();
    for (const l of ['a1', 'a2', 'a3']) {
      const r = await run(['user', 'add', '--db', db, '--login', l, '--role', 'leader', '--password', 'audit-pass-2026']);
      assert.equal(r.code, 0, r.stderr);
    }
    // edit entry 2 behind huizhan's back (the triggers have to go first)
    execFileSync('sqlite3', [db, 'DROP TRIGGER audit_log_no_update; UPDATE audit_log SET after = \'{}\' WHERE id = 2;']);
    const r = await run(['audit', 'verify', '--db', db]);
    assertFails(r, 1, /entry 2\b/);
  });

  test('detects a deleted last entry', async () => {
    const db = await initDb();
    const add = await run(['user', 'add', '--db', db, '--login', 'b1', '--role', 'leader', '--password', 'audit-pass-2026']);
    assert.equal(add.code, 0, add.stderr);
    const n = Number(execFileSync('sqlite3', [db, 'SELECT MAX(id) FROM audit_log;']).toString().trim());
    assert.ok(n >= 2);
    execFileSync('sqlite3', [db, `DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = ${n};`]);
    const r = await run(['audit', 'verify', '--db', db]);
    assertFails(r, 1, new RegExp(`entry ${n}\\b`));
  });
});
