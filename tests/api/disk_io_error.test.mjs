// A disk that fails (R-SEC-3, docs/operations.md "Crash safety"): a write that gets an I/O
// error is answered 503 naming the cause, its transaction is undone whole, and the server
// goes on serving reads, and writes again once the disk works. The failing disk is the
// test-only HUIZHAN_TEST_IOERR_FILE: while that file exists, every write(2)/pwrite(2) of
// SQLite's own unix layer in the server fails with EIO (replaced through the VFS's
// xSetSystemCall, the seam SQLite's own I/O-error tests use), so SQLite meets the error
// where a bad disk would give it, inside a commit to the WAL, and handles it as it would
// there. The sqlite3 CLI the test reads with is another process: its writes are not hooked.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, serveDb, tempDir, ADMIN_PASSWORD } from './lib.mjs';
import { sql, expectStatus } from './fixtures.mjs';

const dir = tempDir();
const db = join(dir, 'huizhan.db');
const failing = join(dir, 'disk-fails');
after(() => rmSync(dir, { recursive: true, force: true }));

const count = (q) => Number(sql(db, q)[0][0]);

test('a write that meets an I/O error: 503 with the cause, rolled back whole, the server goes on', async () => {
  assert.equal((await run(['init', '--db', db, '--admin-password', ADMIN_PASSWORD])).code, 0);
  const server = await serveDb(db, { env: { HUIZHAN_TEST_IOERR_FILE: failing } });
  try {
    const admin = await server.login('admin', ADMIN_PASSWORD);
    const first = expectStatus(await admin.post('/api/v1/units', { name: '读写正常单位', category: 'industry' }), 201);
    const units = count('SELECT count(*) FROM units');
    const audit = count('SELECT count(*) FROM audit_log');
    const head = sql(db, "SELECT value FROM meta WHERE key = 'audit_head'")[0][0];
    const revision = sql(db, "SELECT value FROM meta WHERE key = 'revision'")[0][0];

    writeFileSync(failing, ''); // the disk starts failing
    // A unit is one transaction of several statements (the row, its audit entry, the
    // revision): the error comes at the commit, when the WAL is written.
    const r = await admin.post('/api/v1/units', { name: '读写出错单位', category: 'industry' });
    assert.equal(r.status, 503, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'unavailable');
    assert.match(r.body.error.message, /I\/O 错误.*本次写入未保存/);
    // A second write on the failing disk is refused the same way (not a 500, no crash).
    const r2 = await admin.patch(`/api/v1/units/${first.id}`, { version: first.version, name: '改名不应生效' });
    assert.equal(r2.status, 503, JSON.stringify(r2.body));
    // Reads go on while the disk fails (they read; nothing is written).
    const list = expectStatus(await admin.get('/api/v1/units?limit=50'), 200);
    assert.deepEqual(list.items.map((u) => u.name), ['读写正常单位']);
    expectStatus(await admin.get('/health'), 200);
    assert.equal(server.proc.exitCode, null);

    // Nothing of either write reached the file: rows, audit chain, revision as before.
    assert.equal(count('SELECT count(*) FROM units'), units);
    assert.equal(count("SELECT count(*) FROM units WHERE name IN ('读写出错单位', '改名不应生效')"), 0);
    assert.equal(count('SELECT count(*) FROM audit_log'), audit);
    assert.equal(sql(db, "SELECT value FROM meta WHERE key = 'audit_head'")[0][0], head);
    assert.equal(sql(db, "SELECT value FROM meta WHERE key = 'revision'")[0][0], revision);

    rmSync(failing); // the disk is replaced: the same writes now go in, audited
    const ok = expectStatus(await admin.post('/api/v1/units', { name: '读写出错单位', category: 'industry' }), 201);
    expectStatus(await admin.patch(`/api/v1/units/${first.id}`, { version: first.version, name: '改名已生效' }), 200);
    assert.equal(count(`SELECT count(*) FROM units WHERE id = ${ok.id} AND name = '读写出错单位'`), 1);
    assert.equal(count(`SELECT name = '改名已生效' FROM units WHERE id = ${first.id}`), 1);
    assert.equal(count('SELECT count(*) FROM audit_log'), audit + 2);
  } finally {
    rmSync(failing, { force: true });
    assert.equal((await server.stop()).code, 0);
  }
  assert.match(server.log(), /disk I\/O error/, 'the cause is in the server log');
  assert.deepEqual(sql(db, 'PRAGMA integrity_check'), [['ok']]);
  const verify = await run(['audit', 'verify', '--db', db]);
  assert.equal(verify.code, 0, verify.stderr);
  const check = await run(['check', '--db', db]);
  assert.equal(check.code, 0, check.stderr);
});
