// A full disk (R-SEC-3, docs/operations.md "Crash safety"): a write that cannot get room
// is answered 503 naming the cause, leaves nothing half-written, and the server goes on
// serving reads, and writes again once there is room. The full disk is a database that
// may not grow past its present size (SQLite's max_page_count, set on every connection of
// the server by the test-only HUIZHAN_TEST_MAX_PAGES), so the test runs anywhere, without
// mounting a small file system.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { run, serveDb, tempDir, ADMIN_PASSWORD } from './lib.mjs';
import { sql, expectStatus } from './fixtures.mjs';

const dir = tempDir();
const db = join(dir, 'huizhan.db');
after(() => rmSync(dir, { recursive: true, force: true }));

const count = (q) => Number(sql(db, q)[0][0]);

test('a write that finds the disk full: 503 with the cause, nothing half-written, the server goes on', async () => {
  assert.equal((await run(['init', '--db', db, '--admin-password', ADMIN_PASSWORD])).code, 0);
  // Room to give back later: a table of the test's own, 100 pages of 4 KiB.
  sql(db, 'CREATE TABLE zz_room (b BLOB); INSERT INTO zz_room VALUES (randomblob(400000))');
  const pages = count('PRAGMA page_count');
  assert.equal(count('PRAGMA freelist_count'), 0);
  const server = await serveDb(db, { env: { HUIZHAN_TEST_MAX_PAGES: String(pages) } });
  try {
    const admin = await server.login('admin', ADMIN_PASSWORD);
    const auditBefore = count('SELECT count(*) FROM audit_log');
    // Units, each with its audit entry, until the file would have to grow.
    const made = [];
    let full = null;
    for (let i = 0; i < 3000 && !full; i++) {
      const name = `满盘测试单位-${i}-${'长'.repeat(60)}`;
      const r = await admin.post('/api/v1/units', { name, category: 'industry' });
      if (r.status === 201) made.push(name);
      else full = { name, r };
    }
    assert.ok(full, 'the database never filled up');
    assert.ok(made.length > 0, 'the first writes had room');
    assert.equal(full.r.status, 503, JSON.stringify(full.r.body));
    assert.equal(full.r.body.error.code, 'unavailable');
    assert.match(full.r.body.error.message, /磁盘已满.*本次写入未保存/);
    assert.equal(count('PRAGMA page_count'), pages, 'the file did not grow');

    // Nothing half-written: the refused unit is not there, and the log holds exactly the
    // acknowledged writes (one entry each).
    assert.equal(count(`SELECT count(*) FROM units WHERE name = '${full.name}'`), 0);
    assert.equal(count("SELECT count(*) FROM units WHERE name LIKE '满盘测试单位-%'"), made.length);
    assert.equal(count('SELECT count(*) FROM audit_log') - auditBefore, made.length);

    // Still serving: reads, /health, and a second write is refused the same way (not a 500).
    const list = expectStatus(await admin.get('/api/v1/units?limit=500'), 200);
    assert.equal(list.total, made.length);
    expectStatus(await admin.get('/health'), 200);
    const again = await admin.post('/api/v1/units', { name: full.name, category: 'industry' });
    assert.equal(again.status, 503);
    assert.equal(server.proc.exitCode, null);

    // Room again (the operator frees space): the same write now goes in, audited.
    sql(db, 'DROP TABLE zz_room');
    assert.ok(count('PRAGMA freelist_count') >= 90);
    const ok = expectStatus(await admin.post('/api/v1/units', { name: full.name, category: 'industry' }), 201);
    assert.equal(count(`SELECT count(*) FROM units WHERE id = ${ok.id} AND name = '${full.name}'`), 1);
    assert.equal(count('SELECT count(*) FROM audit_log') - auditBefore, made.length + 1);

    assert.deepEqual(sql(db, 'PRAGMA integrity_check'), [['ok']]);
    const verify = await run(['audit', 'verify', '--db', db]);
    assert.equal(verify.code, 0, verify.stderr);
    const check = await run(['check', '--db', db]);
    assert.equal(check.code, 0, check.stderr);
  } finally {
    assert.equal((await server.stop()).code, 0);
  }
  assert.match(server.log(), /database or disk is full/, 'the cause is in the server log');
});
