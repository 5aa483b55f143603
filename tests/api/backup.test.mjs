// Backup and restore (R-SEC-5, docs/operations.md "Backup and restore"): `huizhan backup`
// copies a database while the server goes on writing and checks the copy; `huizhan
// restore` refuses a database a server has open and keeps the one it replaces; the
// scheduler's backup job writes dated copies and keeps the last N, once however many
// instances run it. SQLite only: on PostgreSQL the commands name pg_dump / pg_restore.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, serveDb, startServer, tempDir, demoDb, DEMO_AS_OF, DEMO_PASSWORD, ADMIN_PASSWORD } from './lib.mjs';
import { sql, expectStatus, expectError } from './fixtures.mjs';
import { adminToken, startWriters } from './writer_load.mjs';

const dir = tempDir();
after(() => rmSync(dir, { recursive: true, force: true }));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const env = { HUIZHAN_TODAY: DEMO_AS_OF };

/** The checks a good copy passes, each run independently of the backup command. */
async function assertSound(file) {
  assert.deepEqual(sql(file, 'PRAGMA integrity_check'), [['ok']], `${file}: integrity_check`);
  const verify = await run(['audit', 'verify', '--db', file]);
  assert.equal(verify.code, 0, `${file}: audit verify: ${verify.stderr}`);
  const check = await run(['check', '--db', file], { env });
  assert.equal(check.code, 0, `${file}: check: ${check.stderr}`);
}

const units = (file, prefix) => new Set(sql(file, `SELECT name FROM units WHERE name LIKE '${prefix}-%'`).map((r) => r[0]));

test('backup under writes: the copy opens, is sound, and holds every write acknowledged before it began', async () => {
  const db = join(dir, 'live.db');
  copyFileSync(await demoDb(), db);
  const token = await adminToken(db);
  const server = await serveDb(db, { env });
  const load = startWriters(server.url, token, 3, 'bw');
  try {
    while (load.acked.length < 30) await sleep(10);
    const before = [...load.acked];
    const ackedAtStart = load.acked.length;
    const to = join(dir, 'live-copy.db');
    const t0 = Date.now();
    const r = await run(['backup', '--db', db, '--to', to], { env });
    const ms = Date.now() - t0;
    const during = load.acked.length - ackedAtStart;
    await load.stop();
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'ok\n');
    assert.match(r.stderr, /audit entries verified/);
    assert.deepEqual(load.failures, [], 'the writers were answered 201 throughout');
    // The writers were not held up: writes went on being acknowledged while the copy ran.
    assert.ok(during > 0, `no write acknowledged during the ${ms} ms backup`);
    console.log(`backup of the demo city under 3 writers: ${ms} ms; ${during} writes acknowledged meanwhile`);
    const copied = units(to, 'bw');
    assert.deepEqual(before.filter((n) => !copied.has(n)), [], 'writes acknowledged before the backup began');
    // A consistent moment: whatever the copy holds was sent, and whole (with its audit entry).
    assert.ok([...copied].every((n) => load.sent.includes(n)));
    assert.equal(Number(sql(to, "SELECT count(*) FROM audit_log WHERE entity = 'units' AND action = 'create' AND after LIKE '%\"bw-%'")[0][0]),
      copied.size);
    assert.ok(!existsSync(`${to}.partial`) && !existsSync(`${to}-wal`), 'one file, nothing left beside it');
    await assertSound(to);
  } finally {
    await load.stop();
    await server.stop();
  }
});

test('backup refuses what it cannot do, and a copy that fails its checks is removed', async () => {
  const db = join(dir, 'refuse.db');
  copyFileSync(await demoDb(), db);
  const to = join(dir, 'refuse-copy.db');
  // No --to; an existing --to; a database that is not there.
  let r = await run(['backup', '--db', db]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /缺少 --to FILE/);
  writeFileSync(to, 'keep me');
  r = await run(['backup', '--db', db, '--to', to]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /已存在；备份只写入新文件（to）/);
  assert.equal(readFileSync(to, 'utf8'), 'keep me');
  rmSync(to);
  r = await run(['backup', '--db', join(dir, 'nothing.db'), '--to', to]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /数据库 .*nothing\.db 不存在/);
  assert.ok(!existsSync(join(dir, 'nothing.db')), 'not created by asking');
  // PostgreSQL: the pg_dump command, the password hidden.
  r = await run(['backup', '--db', 'postgresql://hz:s3cret@db1:5432/city', '--to', '/srv/city.dump']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /pg_dump -Fc -f \/srv\/city\.dump 'postgresql:\/\/hz:\*\*\*@db1:5432\/city'/);
  assert.doesNotMatch(r.stderr, /s3cret/);

  // A database whose running totals no longer match its records: the copy fails `check`,
  // so the backup fails, says why, and leaves no file.
  sql(db, "UPDATE unit_totals SET reported = reported + 1 WHERE (campaign_id, unit_id, metric) = (SELECT campaign_id, unit_id, metric FROM unit_totals WHERE reported > 0 ORDER BY 1, 2, 3 LIMIT 1)");
  r = await run(['backup', '--db', db, '--to', to], { env });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /^huizhan: 备份副本未通过检查，已删除：统计数字与原始记录不符/);
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('refuse-copy')), []);
});

test('restore: refused while a server has the database open, then done, keeping the replaced file', async () => {
  const db = join(dir, 'city.db');
  copyFileSync(await demoDb(), db);
  const token = await adminToken(db);
  let server = await serveDb(db, { env });
  const backup = join(dir, 'city-backup.db');
  const load = startWriters(server.url, token, 2, 'rs');
  let after;
  try {
    while (load.acked.length < 10) await sleep(10);
    assert.equal((await run(['backup', '--db', db, '--to', backup], { env })).code, 0);
    const n = load.acked.length;
    while (load.acked.length < n + 10) await sleep(10);
    await load.stop();
    after = load.acked.filter((name) => !units(backup, 'rs').has(name));
    assert.ok(after.length >= 10, 'writes made after the backup');

    // Served: refused, and nothing changes.
    const r = await run(['restore', backup, '--db', db]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /正由运行中的 huizhan serve 使用/);
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('city.db.')), []);
    assert.ok(units(db, 'rs').has(after[0]), 'the served database is as it was');
  } finally {
    await load.stop();
  }
  // A second instance on the same file holds it too: killing the first is not enough.
  const second = await serveDb(db, { env });
  server.proc.kill('SIGKILL');
  await server.exited;
  assert.equal((await run(['restore', backup, '--db', db])).code, 1);
  // The last server killed (kill -9, its WAL left beside the file): now restore goes ahead.
  second.proc.kill('SIGKILL');
  await second.exited;
  const r = await run(['restore', backup, '--db', db], { env });
  assert.equal(r.code, 0, r.stderr);
  const kept = /kept as (.*\.replaced-\d{8}-\d{6})\n/.exec(r.stderr)?.[1];
  assert.ok(kept && existsSync(kept), r.stderr);
  // The kept file is the old database whole: the writes after the backup, WAL included.
  const keptUnits = units(kept, 'rs');
  assert.deepEqual(load.acked.filter((x) => !keptUnits.has(x)), []);
  assert.ok(!existsSync(`${db}-wal`) && !existsSync(`${db}-shm`), 'the old WAL went with the old file');
  // The database is the backup's now, and serves it.
  assert.deepEqual([...units(db, 'rs')].sort(), [...units(backup, 'rs')].sort());
  await assertSound(db);
  server = await serveDb(db, { env });
  try {
    const admin = await server.login('admin', DEMO_PASSWORD);
    const list = expectStatus(await admin.get('/api/v1/units?limit=500'), 200);
    assert.deepEqual(list.items.filter((u) => u.name.startsWith('rs-')).map((u) => u.name).sort(), [...units(backup, 'rs')].sort());
    assert.ok(!list.items.some((u) => u.name === after[0]), 'a write made after the backup is gone');
  } finally {
    await server.stop();
  }
});

test('restore refuses a file that is not a sound database, and leaves the database alone', async () => {
  const db = join(dir, 'bad-target.db');
  copyFileSync(await demoDb(), db);
  const before = readFileSync(db);
  const junk = join(dir, 'junk.db');
  writeFileSync(junk, 'SQLite format 3\0 but not really a database at all, only some bytes'.repeat(100));
  let r = await run(['restore', junk, '--db', db]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /huizhan: /);
  // A real database whose audit chain was edited: refused by the audit check.
  const edited = join(dir, 'edited.db');
  copyFileSync(await demoDb(), edited);
  sql(edited, 'DROP TRIGGER audit_log_no_update');
  sql(edited, "UPDATE audit_log SET at = '2026-01-01T00:00:00Z' WHERE id = 5");
  r = await run(['restore', edited, '--db', db], { env });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /备份文件未通过检查，数据库未作任何改动/);
  r = await run(['restore', join(dir, 'missing.db'), '--db', db]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /无法读取备份文件/);
  r = await run(['restore', db, '--db', db]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /备份文件就是 --db 本身/);
  r = await run(['restore', '--db', db]);
  assert.equal(r.code, 2);
  assert.ok(readFileSync(db).equals(before), 'the database is untouched');
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('bad-target.db.')), []);
  r = await run(['restore', '/srv/city.dump', '--db', 'postgresql://hz:s3cret@db1/city']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /pg_restore --no-owner -d 'postgresql:\/\/hz:\*\*\*@db1\/city' \/srv\/city\.dump/);
});

test('the backup job writes dated, checked copies, keeps the last N and is audited', async () => {
  const server = await startServer();
  const folder = join(dir, 'job');
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder);
  try {
    const admin = await server.admin();
    // Without a folder (this server has none) the job says what it needs.
    expectError(await admin.post('/api/v1/jobs/backup/run'), 400, 'validation_failed', 'backup-dir');
    // Older copies of this database, and files that are not (kept whatever N is).
    const old = ['huizhan-20261101-020000.db', 'huizhan-20261102-020000.db', 'huizhan-20261103-020000.db'];
    const others = ['other-20261101-020000.db', 'huizhan-notes.txt', 'huizhan-2026110-020000.db'];
    for (const f of [...old, ...others]) writeFileSync(join(folder, f), 'x');
    const r = await run(['job', 'backup', '--db', server.db, '--backup-dir', folder, '--backup-keep', '2']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.match(out.done.file, /\/huizhan-\d{8}-\d{6}\.db$/);
    assert.deepEqual(out.done.removed, old.slice(0, 2));
    const made = out.done.file.split('/').pop();
    assert.deepEqual(readdirSync(folder).sort(), [made, old[2], ...others].sort());
    await assertSound(out.done.file);
    // Audited, and marked run today.
    const [entry] = sql(server.db, "SELECT action, entity, user_id, after FROM audit_log ORDER BY id DESC LIMIT 1");
    assert.deepEqual(entry.slice(0, 2), ['backup', 'jobs']);
    assert.deepEqual(JSON.parse(entry[3]).removed, old.slice(0, 2));
    assert.equal(JSON.parse(entry[3]).file, out.done.file);
    assert.equal(sql(server.db, "SELECT last_run_on IS NOT NULL FROM jobs WHERE name = 'backup'")[0][0], '1');
    // Bad settings are refused before anything runs.
    for (const [args, field] of [[['--backup-keep', '0', '--backup-dir', folder], 'backup-keep'],
      [['--backup-keep', 'x', '--backup-dir', folder], 'backup-keep'], [['--backup-keep', '3'], 'backup-dir']]) {
      const bad = await run(['job', 'backup', '--db', server.db, ...args]);
      assert.equal(bad.code, 2, `${args}: ${bad.stderr}`);
      assert.match(bad.stderr, new RegExp(`（${field}）`));
    }
    const missing = await run(['job', 'backup', '--db', server.db, '--backup-dir', join(dir, 'no-such-folder')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /备份目录 .* 不存在/);
  } finally {
    await server.stop();
  }
});

test('the scheduled backup runs once with two instances, keeping the last N', async () => {
  const db = join(dir, 'sched.db');
  assert.equal((await run(['init', '--db', db, '--admin-password', ADMIN_PASSWORD])).code, 0);
  const folder = join(dir, 'sched');
  mkdirSync(folder);
  for (const f of ['sched-20261101-020000.db', 'sched-20261102-020000.db']) writeFileSync(join(folder, f), 'x');
  // Only the backup job is due: it is set to 00:00, the others are off.
  let one = await serveDb(db);
  const admin = await one.login('admin', ADMIN_PASSWORD);
  for (const name of ['bulletin-draft', 'missing-reports', 'remind-overdue', 'early-warning'])
    expectStatus(await admin.patch(`/api/v1/jobs/${name}`, { enabled: false, weekday: null, at_time: '00:00' }), 200);
  expectStatus(await admin.patch('/api/v1/jobs/backup', { enabled: true, weekday: null, at_time: '00:00' }), 200);
  await one.stop();
  const args = ['--backup-dir', folder, '--backup-keep', '2'];
  const pair = await Promise.all([0, 1].map(() => serveDb(db, { jobs: true, args })));
  try {
    const copies = () => readdirSync(folder).filter((f) => /^sched-\d{8}-\d{6}\.db$/.test(f) && !f.startsWith('sched-202611'));
    for (let i = 0; i < 200 && copies().length === 0; i++) await sleep(50);
    await sleep(1500); // time for a second run, if one were to happen
    assert.equal(copies().length, 1, readdirSync(folder).join(' '));
    assert.deepEqual(readdirSync(folder).sort(), ['sched-20261102-020000.db', copies()[0]].sort());
    assert.equal(pair.filter((s) => s.log().includes('scheduled job backup ran')).length, 1);
    assert.equal(sql(db, "SELECT count(*) FROM audit_log WHERE action = 'backup'")[0][0], '1');
    await assertSound(join(folder, copies()[0]));
  } finally {
    for (const s of pair) assert.equal((await s.stop()).code, 0);
  }
});
