// A full disk on PostgreSQL (R-SEC-3, docs/operations.md "Crash safety"): the database
// server's real "could not extend file …: No space left on device" (SQLSTATE 53100) is
// answered 503 naming the cause, the write's transaction is undone whole, the server goes
// on serving, and writes again once the operator makes room. The full disk is real: a
// 256 KiB tmpfs mounted for the test and made a tablespace, the units table moved onto it,
// and the rest of it filled by a table of the test's own. Mounting needs root, as CI runs
// (docs/operations.md, "Crash safety"). Runs in the PostgreSQL pass (ctest api-pg/pg_disk_full).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { run, serveDb, tempDir, psql, pgCreateDb, pgDropDb, PG, ADMIN_PASSWORD } from '../api/lib.mjs';
import { expectStatus } from '../api/fixtures.mjs';

const dir = tempDir();
const mnt = join(dir, 'small-disk');
const space = `hz_small_disk_${process.pid}`;
let uri, mounted = false, tablespace = false;
after(() => {
  if (uri) pgDropDb(uri);
  if (tablespace) psql('postgres', `DROP TABLESPACE IF EXISTS ${space}`);
  if (mounted) execFileSync('umount', [mnt]);
  rmSync(dir, { recursive: true, force: true });
});

const name = () => uri.slice(PG.length);
const count = (q) => Number(psql(name(), q));

test('a write that finds the database server\'s disk full: 503 with the cause, nothing half-written, the server goes on', async () => {
  assert.ok(PG, 'HUIZHAN_TEST_PG names the test cluster');
  assert.equal(process.getuid(), 0, 'mounting the small tmpfs needs root');
  mkdirSync(mnt);
  chmodSync(dir, 0o755); // the postgres user reaches the mount point
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k,mode=0700', 'tmpfs', mnt]);
  mounted = true;
  execFileSync('chown', ['postgres:postgres', mnt]);
  psql('postgres', `CREATE TABLESPACE ${space} LOCATION '${mnt}'`);
  tablespace = true;

  uri = pgCreateDb();
  const init = await run(['init', '--db', uri, '--admin-password', ADMIN_PASSWORD]);
  assert.equal(init.code, 0, init.stderr);
  // units (empty: its first row needs a new page) onto the small disk, and the disk filled.
  psql(name(), `ALTER TABLE units SET TABLESPACE ${space}; CREATE TABLE zz_room (b text) TABLESPACE ${space}`);
  assert.throws(() => psql(name(), "INSERT INTO zz_room SELECT repeat(md5(g::text), 200) FROM generate_series(1, 100000) g"),
    /could not extend file .*No space left on device/);
  const df = execFileSync('df', ['-B1', '--output=avail', mnt], { encoding: 'utf8' }).split('\n')[1].trim();
  assert.ok(Number(df) < 8192, `less than a page left on the small disk: ${df} bytes`);

  const server = await serveDb(uri);
  try {
    const admin = await server.login('admin', ADMIN_PASSWORD);
    const audit = count('SELECT count(*) FROM audit_log');
    const revision = psql(name(), "SELECT value FROM meta WHERE key = 'revision'");
    const r = await admin.post('/api/v1/units', { name: '满盘测试单位', category: 'industry' });
    assert.equal(r.status, 503, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'unavailable');
    assert.match(r.body.error.message, /数据库服务器磁盘已满.*本次写入未保存/);
    // Nothing half-written: no unit, no audit entry, the revision as it was.
    assert.equal(count('SELECT count(*) FROM units'), 0);
    assert.equal(count('SELECT count(*) FROM audit_log'), audit);
    assert.equal(psql(name(), "SELECT value FROM meta WHERE key = 'revision'"), revision);
    // Still serving: reads, /health, and a second write is refused the same way.
    assert.equal(expectStatus(await admin.get('/api/v1/units'), 200).total, 0);
    expectStatus(await admin.get('/health'), 200);
    assert.equal((await admin.post('/api/v1/units', { name: '满盘测试单位', category: 'industry' })).status, 503);
    assert.equal(server.proc.exitCode, null);

    psql(name(), 'DROP TABLE zz_room'); // the operator makes room: the same write goes in, audited
    const ok = expectStatus(await admin.post('/api/v1/units', { name: '满盘测试单位', category: 'industry' }), 201);
    assert.equal(psql(name(), `SELECT name FROM units WHERE id = ${ok.id}`), '满盘测试单位');
    assert.equal(count('SELECT count(*) FROM audit_log'), audit + 1);
  } finally {
    assert.equal((await server.stop()).code, 0);
  }
  assert.match(server.log(), /53100 could not extend file/, 'the cause is in the server log');
  const verify = await run(['audit', 'verify', '--db', uri]);
  assert.equal(verify.code, 0, verify.stderr);
  const check = await run(['check', '--db', uri]);
  assert.equal(check.code, 0, check.stderr);
});
