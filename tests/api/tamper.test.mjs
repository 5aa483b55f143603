// Tamper evidence against someone who can write the database (R-SEC-4, issue 14): every
// case edits a copy of the demo city with raw SQL (the sqlite3 CLI, or psql on the
// PostgreSQL pass), with the guarding triggers dropped (SQLite) or switched off
// (session_replication_role = replica), then `huizhan audit verify` must fail naming it.
// The chain's hashes are recomputed here independently (node:crypto) from the documented
// encoding: HMAC-SHA-256 under the key file's key, so a forger without the key (plain
// SHA-256, or a wrong key) is caught at the entry he edited. Also: the audit log file
// (--audit-log, verify --against), the head printed on bulletins, the key's rules
// (mode 0600, wrong key, PostgreSQL needs a path) and the upgrade of an unkeyed database
// (`huizhan audit rekey`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, rmSync, readFileSync, writeFileSync, statSync, existsSync, chmodSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { run, demoDb, tempDir, serveDb, startServer, pgCreateDb, pgDropDb, PG, AUDIT_KEY, DEMO_AS_OF, DEMO_PASSWORD } from './lib.mjs';
import { sql, sqlValue, newUnit } from './fixtures.mjs';

const PSQL = '/usr/lib/postgresql/15/bin/psql';
let dir;
const made = [];
before(() => { dir = tempDir(); });
after(() => {
  for (const db of made) if (PG && db.startsWith(PG)) pgDropDb(db);
  rmSync(dir, { recursive: true, force: true });
});

let seq = 0;
/** A fresh copy of the demo city (a file, or a database of the test cluster). */
async function freshDemo() {
  const db = PG ? pgCreateDb(await demoDb()) : join(dir, `demo${++seq}.db`);
  if (!PG) copyFileSync(await demoDb(), db);
  made.push(db);
  return db;
}

/** Rows of a query as objects (sqlite3 -json; the PostgreSQL shim answers the same). */
function rows(db, q) {
  const out = execFileSync('sqlite3', ['-json', db, q], { encoding: 'utf8', maxBuffer: 256 << 20 });
  return out.trim() ? JSON.parse(out) : [];
}

/** Runs an SQL script as someone with write access: the guards dropped or switched off. */
function tamper(db, body) {
  if (PG) {
    execFileSync(PSQL, ['-XAtq', '-v', 'ON_ERROR_STOP=1', '-d', db],
      { input: `SET session_replication_role = replica;\nBEGIN;\n${body}\nCOMMIT;\n`, stdio: ['pipe', 'pipe', 'pipe'] });
  } else {
    const drops = ['bulletins_frozen', 'bulletins_no_delete', 'audit_log_no_update', 'audit_log_no_delete']
      .map((t) => `DROP TRIGGER IF EXISTS ${t};`).join('\n');
    execFileSync('sqlite3', [db], { input: `${drops}\nBEGIN;\n${body}\nCOMMIT;\n`, stdio: ['pipe', 'pipe', 'pipe'] });
  }
}

const lit = (s) => (s === null || s === undefined ? 'NULL' : `'${String(s).replace(/'/g, "''")}'`);
const keyOf = (path) => Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');

/** An entry's hash as documented (domain/audit.h): plain SHA-256, or HMAC-SHA-256 under key. */
function entryHash(r, key) {
  const f = (s) => (s === null || s === undefined ? '-|' : `${Buffer.byteLength(s)}:${s}|`);
  const text = `${r.id}|${r.user_id ?? 0}|${r.entity_id ?? 0}|${f(r.at)}${f(r.action)}${f(r.entity)}${f(r.before)}${f(r.after)}${f(r.prev_hash)}`;
  return key ? createHmac('sha256', key).update(text).digest('hex') : createHash('sha256').update(text).digest('hex');
}

const COLS = 'id, at, user_id, action, entity, entity_id, before, after, prev_hash, hash';
const count = (db) => Number(sqlValue(db, "SELECT value FROM meta WHERE key = 'audit_count'"));

/**
 * Recomputes the chain from entry `from` on with key (null: plain SHA-256), after edit(entry
 * from); up to entry `to` only when given, and then the head is left as it was.
 */
function rechain(db, from, key, edit, to = null) {
  const upTo = to ? ` AND id <= ${to}` : '';
  const all = rows(db, `SELECT ${COLS} FROM audit_log WHERE id >= ${from - 1}${upTo} ORDER BY id`);
  let prev = from > 1 ? all.shift().hash : '';
  const stmts = [];
  for (const r of all) {
    if (r.id === from) edit(r);
    r.prev_hash = prev;
    r.hash = entryHash(r, key);
    prev = r.hash;
    stmts.push(`UPDATE audit_log SET after = ${lit(r.after)}, prev_hash = '${r.prev_hash}', hash = '${r.hash}' WHERE id = ${r.id};`);
  }
  if (!to) stmts.push(`UPDATE meta SET value = '${prev}' WHERE key = 'audit_head';`);
  tamper(db, stmts.join('\n'));
}

const verify = (db, args = [], env = {}) => run(['audit', 'verify', '--db', db, ...args], { env });

async function assertBroken(db, pattern, args = []) {
  const r = await verify(db, args);
  assert.equal(r.code, 1, `audit verify must fail: ${r.stdout} ${r.stderr}`);
  assert.doesNotMatch(r.stdout, /^ok/m);
  assert.match(r.stderr, pattern);
  return r;
}

/** Ids of published bulletins and certified funds of the demo city, for the cases. */
function demoFacts(db) {
  const bulletins = rows(db, "SELECT id, audit_count, audit_head FROM bulletins WHERE status = 'published' ORDER BY id");
  const fund = Number(sqlValue(db, "SELECT max(id) FROM funds WHERE status = 'certified'"));
  return { bulletins, fund };
}

test('the clean demo city verifies, and its chain is HMAC-SHA-256 under the key file, not plain SHA-256', async () => {
  const db = await freshDemo();
  const r = await verify(db);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'ok\n');
  const n = count(db);
  assert.match(r.stderr, new RegExp(`^${n} entries verified`));
  const key = keyOf(AUDIT_KEY);
  const some = rows(db, `SELECT ${COLS} FROM audit_log WHERE id IN (1, 2, ${n - 1}, ${n}) ORDER BY id`);
  assert.equal(some.length, 4);
  for (const e of some) {
    assert.equal(entryHash(e, key), e.hash, `entry ${e.id} is keyed`);
    assert.notEqual(entryHash(e, null), e.hash);
  }
  // The key file is the service user's alone.
  assert.equal(statSync(AUDIT_KEY).mode & 0o777, 0o600);
});

test('a published bulletin deleted, or set back to draft, is named by id', async () => {
  let db = await freshDemo();
  const { bulletins } = demoFacts(db);
  assert.ok(bulletins.length >= 2, 'the demo city has published bulletins');
  const victim = bulletins[bulletins.length - 1].id;
  tamper(db, `DELETE FROM bulletins WHERE id = ${victim};`);
  assert.equal(sql(db, `SELECT id FROM bulletins WHERE id = ${victim}`).length, 0);
  await assertBroken(db, new RegExp(`bulletins ${victim}: published \\(audit log\\), but the bulletin was deleted`));

  db = await freshDemo();
  tamper(db, `UPDATE bulletins SET status = 'draft', published_on = NULL, sha256 = NULL WHERE id = ${victim};`);
  await assertBroken(db, new RegExp(`bulletins ${victim}: published \\(audit log\\), but the bulletin is back to draft`));
});

test('a certified fund un-certified, or deleted, is named by id', async () => {
  let db = await freshDemo();
  const { fund } = demoFacts(db);
  assert.ok(fund > 0);
  tamper(db, `UPDATE funds SET status = 'reported', reviewed_by = NULL, reviewed_at = NULL WHERE id = ${fund};`);
  await assertBroken(db, new RegExp(`funds ${fund}: certified in the audit log, but the record is now reported`));

  db = await freshDemo();
  tamper(db, `DELETE FROM funds WHERE id = ${fund};`);
  await assertBroken(db, new RegExp(`funds ${fund}: certified in the audit log, but the record was deleted`));

  // A certified stage change too.
  db = await freshDemo();
  const move = Number(sqlValue(db, "SELECT max(id) FROM stage_changes WHERE status = 'certified'"));
  tamper(db, `UPDATE stage_changes SET status = 'reported' WHERE id = ${move};`);
  await assertBroken(db, new RegExp(`stage-changes ${move}: certified in the audit log, but the record is now reported`));
});

test('the last entries deleted and meta.audit_head set back: the seal of the end gives it away', async () => {
  const db = await freshDemo();
  const n = count(db), keep = n - 3;
  const head = sqlValue(db, `SELECT hash FROM audit_log WHERE id = ${keep}`);
  tamper(db, `DELETE FROM audit_log WHERE id > ${keep};
UPDATE meta SET value = '${head}' WHERE key = 'audit_head';
UPDATE meta SET value = '${keep}' WHERE key = 'audit_count';`);
  assert.equal(Number(sqlValue(db, 'SELECT count(*) FROM audit_log')), keep);
  await assertBroken(db, new RegExp(`entry ${keep}: the log's end was moved`));
});

test('an old entry edited and every later hash recomputed without the key (plain SHA-256, or a wrong key)', async () => {
  for (const key of [null, randomBytes(32)]) {
    const db = await freshDemo();
    // Old enough to have hundreds of entries after it (each recomputed), few enough for the test's time.
    const n = count(db);
    const victim = Number(sqlValue(db, `SELECT min(id) FROM audit_log WHERE id > ${n - 600} AND after LIKE '%"name":"%'`));
    assert.ok(victim > n - 600 && victim < n - 300, `an old entry, with hundreds after it (${victim} of ${n})`);
    const oldAfter = sqlValue(db, `SELECT after FROM audit_log WHERE id = ${victim}`);
    rechain(db, victim, key, (r) => { r.after = r.after.replace(/"name":"/, '"name":"伪'); });
    assert.notEqual(sqlValue(db, `SELECT after FROM audit_log WHERE id = ${victim}`), oldAfter);
    // The forged chain links up: every prev_hash is the previous hash, and the head is the last.
    assert.equal(sqlValue(db, `SELECT count(*) FROM audit_log a JOIN audit_log b ON b.id = a.id + 1 WHERE b.prev_hash <> a.hash`), '0');
    await assertBroken(db, new RegExp(`entry ${victim}: contents were changed`));
  }
});

test('--audit-log copies every entry; verify --against finds an edited file and a database rolled back to an old copy', async () => {
  const file = join(dir, 'audit.jsonl');
  const server = await startServer({ args: ['--audit-log', file] });
  try {
    const admin = await server.admin();
    for (const name of ['甲单位', '乙单位']) await newUnit(admin, name);
    // Each line is written before the request is answered.
    const lines = () => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    assert.equal(lines().length, count(server.db));
    // Another writer (the CLI) with the same file: its entries land there too, in order.
    const r = await run(['user', 'add', '--db', server.db, '--login', 'zhang', '--name', '张三', '--role', 'office',
      '--password', 'Zhang-pass-2026', '--audit-log', file]);
    assert.equal(r.code, 0, r.stderr);
    await newUnit(admin, '丙单位');
    const got = lines();
    const want = rows(server.db, `SELECT ${COLS} FROM audit_log ORDER BY id`);
    assert.equal(got.length, want.length);
    assert.deepEqual(got.map((l) => [l.id, l.hash, l.prev_hash, l.action, l.after]), want.map((w) => [w.id, w.hash, w.prev_hash, w.action, w.after]));
    assert.equal(statSync(file).mode & 0o777, 0o600);
  } finally {
    await server.stop().catch(() => {});
  }
});

test('verify --against: clean, an edited line, a database rolled back to an older copy, and serve refusing the mismatch', async () => {
  const file = join(dir, 'rollback.jsonl');
  const db = await freshDemo();
  let served = await serveDb(db, { env: { HUIZHAN_TODAY: DEMO_AS_OF }, args: ['--audit-log', file] });
  let admin = await served.login('admin', DEMO_PASSWORD);
  await newUnit(admin, '回滚前单位');
  await served.stop();
  // The older copy an attacker kept.
  const old = PG ? pgCreateDb(db.slice(PG.length)) : join(dir, 'old.db');
  if (PG) made.push(old); else copyFileSync(db, old);
  const oldCount = count(old);
  served = await serveDb(db, { env: { HUIZHAN_TODAY: DEMO_AS_OF }, args: ['--audit-log', file] });
  admin = await served.login('admin', DEMO_PASSWORD);
  await newUnit(admin, '回滚后单位');
  await served.stop();

  let r = await verify(db, ['--against', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`${count(db)} entries verified, the same ${count(db)} in `));

  // The file edited: the entry and the field are named.
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const target = JSON.parse(lines[99]);
  target.after = (target.after ?? '{}').replace(/^\{/, '{"x":1,');
  lines[99] = JSON.stringify(target);
  writeFileSync(file, lines.join('\n'));
  await assertBroken(db, new RegExp(`entry ${target.id}: after differs between the database and the audit log file`), ['--against', file]);
  writeFileSync(file, text);

  // The older copy is a whole chain: alone it verifies; the file shows what it lost.
  r = await verify(old);
  assert.equal(r.code, 0, 'a whole older copy is a valid chain (documented: the log file and the bulletins catch this)');
  await assertBroken(old, new RegExp(`entry ${oldCount + 1}: in the audit log file but not in the database`), ['--against', file]);
  // And a server given that file refuses to start on the rolled-back database.
  const s = await run(['serve', '--db', old, '--listen', '127.0.0.1:1', '--audit-log', file]);
  assert.notEqual(s.code, 0);
  assert.match(s.stderr, /审计日志文件 .* 与数据库不符（第 \d+ 条在数据库中已不存在）/);
});

test('each published bulletin prints the audit head and count in its HTML, PDF and XLSX', async () => {
  const db = await freshDemo();
  const { bulletins } = demoFacts(db);
  const env = { HUIZHAN_TODAY: DEMO_AS_OF };
  for (const b of bulletins) {
    assert.ok(b.audit_count > 0);
    // The head is the hash of entry audit_count, and the publication is the next entry.
    assert.equal(sqlValue(db, `SELECT hash FROM audit_log WHERE id = ${b.audit_count}`), b.audit_head);
    assert.equal(sqlValue(db, `SELECT action || ' ' || entity_id FROM audit_log WHERE id = ${b.audit_count + 1}`), `publish ${b.id}`);
    const witness = `审计链：发布时共 ${b.audit_count} 条记录，链头 ${b.audit_head.slice(0, 16)}`;
    const html = await run(['bulletin', 'render', String(b.id), '--format', 'html', '--db', db], { env });
    assert.equal(html.code, 0, html.stderr);
    assert.ok(html.stdout.includes(witness), 'HTML');
    const pdf = join(dir, `b${b.id}.pdf`), xlsx = join(dir, `b${b.id}.xlsx`);
    assert.equal((await run(['bulletin', 'render', String(b.id), '--format', 'pdf', '--db', db, '--out', pdf], { env })).code, 0);
    const flat = (s) => s.replace(/\s+/g, '');
    // pdftotext takes the justified line apart: its pieces, after the signature's date.
    const text = flat(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }));
    const at = text.lastIndexOf('审计链：发布时共');
    assert.ok(at > 0, 'PDF');
    for (const piece of [String(b.audit_count), '条记录，链头', b.audit_head.slice(0, 16)]) assert.ok(text.indexOf(piece, at) > at, `PDF: ${piece}`);
    assert.equal((await run(['bulletin', 'render', String(b.id), '--format', 'xlsx', '--db', db, '--out', xlsx], { env })).code, 0);
    assert.ok(execFileSync('unzip', ['-p', xlsx, 'xl/worksheets/*.xml'], { encoding: 'utf8' }).includes(`<t>${witness}</t>`), 'XLSX: a cell of the 通报信息 sheet');
  }
  // A draft prints none.
  const draft = sqlValue(db, "SELECT min(id) FROM bulletins WHERE status = 'draft'");
  const html = await run(['bulletin', 'render', draft, '--format', 'html', '--db', db], { env });
  assert.equal(html.code, 0);
  assert.ok(!html.stdout.includes('审计链：'));
});

test('the key: wrong key, a key file others can read, PostgreSQL without a key path', async () => {
  const db = await freshDemo();
  const other = join(dir, 'other.key');
  writeFileSync(other, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  let r = await verify(db, ['--audit-key', other]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /审计密钥与数据库不符/);
  r = await run(['user', 'list', '--db', db, '--audit-key', other]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /审计密钥与数据库不符/);
  chmodSync(other, 0o644);
  r = await run(['user', 'list', '--db', db, '--audit-key', other]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /权限过宽（644）/);
  assert.match(r.stderr, /audit-key/);
  // The ring's format (docs/security.md "Rotating the key"): the key alone on line 1, then
  // "KEY FROM" lines with FROM >= 1; anything else is refused, naming the option.
  const hex = () => randomBytes(32).toString('hex');
  for (const text of [`${hex()} ${hex()} 3\n`, `${hex()}\n${hex()} 0\n`, `${hex()}\n${hex()}\n`, `${hex()}x\n`]) {
    writeFileSync(other, text, { mode: 0o600 });
    chmodSync(other, 0o600);
    r = await run(['user', 'list', '--db', db, '--audit-key', other]);
    assert.equal(r.code, 2, text);
    assert.match(r.stderr, /格式不对.*audit-key/, text);
  }
  r = await run(['user', 'list', '--db', db, '--audit-key', join(dir, 'missing.key')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /审计密钥文件 .*missing\.key 不存在/);
  if (PG) {
    r = await run(['user', 'list', '--db', db], { env: { HUIZHAN_AUDIT_KEY: '' } });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /PostgreSQL 数据库须用 --audit-key FILE 或环境变量 HUIZHAN_AUDIT_KEY/);
  } else {
    // A file's default key lives beside it: the demo copy has none there.
    r = await run(['user', 'list', '--db', db], { env: { HUIZHAN_AUDIT_KEY: '' } });
    assert.equal(r.code, 1);
    assert.ok(r.stderr.includes(`${db}.audit-key 不存在`), r.stderr);
  }
});

test('upgrade: a database from before keyed audit is refused until `huizhan audit rekey`, which keys it from the next entry', async () => {
  const db = PG ? pgCreateDb() : join(dir, 'old-style.db');
  if (PG) made.push(db);
  let r = await run(['init', '--db', db, '--admin-password', 'Admin-pass-2026']);
  assert.equal(r.code, 0, r.stderr);
  r = await run(['user', 'add', '--db', db, '--login', 'li', '--name', '李四', '--role', 'office', '--password', 'Li-pass-2026x']);
  assert.equal(r.code, 0, r.stderr);
  // Made as the binary before keyed audit made it: every hash plain SHA-256, no key record.
  rechain(db, 1, null, () => {});
  tamper(db, "DELETE FROM meta WHERE key IN ('audit_key_id', 'audit_keyed_from', 'audit_seal');");
  const n = count(db);
  assert.ok(n >= 2);

  r = await run(['user', 'list', '--db', db]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /huizhan audit rekey/);
  r = await verify(db);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /audit log broken: 审计链没有使用密钥/);

  // rekey refuses a key file that exists (it would bless a stripped keyed database).
  r = await run(['audit', 'rekey', '--db', db]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /已存在/);

  const newKey = join(dir, 'upgraded.key');
  r = await run(['audit', 'rekey', '--db', db, '--audit-key', newKey]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`keyed from entry ${n + 1} on`));
  assert.equal(statSync(newKey).mode & 0o777, 0o600);
  const key = keyOf(newKey);
  // The old entries keep their plain hashes; the marker and everything after are keyed.
  const entries = rows(db, `SELECT ${COLS} FROM audit_log ORDER BY id`);
  for (const e of entries) assert.equal(e.hash, entryHash(e, e.id > n ? key : null), `entry ${e.id}`);
  assert.equal(entries[n].action, 'audit_key');
  assert.deepEqual(JSON.parse(entries[n].after), { keyed_from: n + 1 });

  r = await verify(db, ['--audit-key', newKey]);
  assert.equal(r.code, 0, r.stderr);
  r = await run(['user', 'add', '--db', db, '--login', 'wang', '--name', '王五', '--role', 'office', '--password', 'Wang-pass-2026', '--audit-key', newKey]);
  assert.equal(r.code, 0, r.stderr);
  r = await verify(db, ['--audit-key', newKey]);
  assert.equal(r.code, 0, r.stderr);
  // Keyed now: rekey rotates the key, which takes the current key file (not a new one).
  r = await run(['audit', 'rekey', '--db', db, '--audit-key', join(dir, 'again.key')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /again\.key 不存在/);
  assert.ok(!existsSync(join(dir, 'again.key')));

  // The old, plain part is covered too: recomputing it plainly breaks the first keyed link.
  rechain(db, 1, null, (e) => { e.after = e.after.replace(/"name":"/, '"name":"伪'); }, n);
  await assertBroken(db, new RegExp(`entry ${n + 1}: link to the previous entry is broken`), ['--audit-key', newKey]);
  // Moving the keyed-from point (so that keyed entries would count as plain) breaks the key's record.
  tamper(db, `UPDATE meta SET value = '${n + 5}' WHERE key = 'audit_keyed_from';`);
  await assertBroken(db, /审计密钥与数据库不符/, ['--audit-key', newKey]);
});

test('key rotation: `huizhan audit rekey` on a keyed chain; the old key no longer verifies, the new ring does, the chain stays whole', async () => {
  const db = await freshDemo();
  // The demo's key copied twice: the file rekey replaces, and the old key as someone kept it.
  const keyFile = join(dir, 'rotated.key'), oldFile = join(dir, 'before-rotation.key');
  for (const f of [keyFile, oldFile]) { copyFileSync(AUDIT_KEY, f); chmodSync(f, 0o600); }
  const withKey = ['--audit-key', keyFile];
  const oldKey = keyOf(oldFile);
  const n = count(db);
  const before = rows(db, 'SELECT id, hash FROM audit_log ORDER BY id');
  assert.equal(before.length, n);

  if (!PG) { // no rotation under a running server: it would go on writing with the old key
    const s = await serveDb(db, { env: { HUIZHAN_AUDIT_KEY: keyFile } });
    const busy = await run(['audit', 'rekey', '--db', db, ...withKey]);
    await s.stop();
    assert.equal(busy.code, 1, busy.stdout);
    assert.match(busy.stderr, /正由运行中的 huizhan serve 使用/);
    assert.equal(readFileSync(keyFile, 'utf8'), readFileSync(oldFile, 'utf8'));
  }
  // A chain that does not verify is not rotated (a new key would bless the edit): nothing written.
  const bad = await freshDemo();
  tamper(bad, "UPDATE audit_log SET after = replace(after, '\"', '''') WHERE id = 3;");
  let r = await run(['audit', 'rekey', '--db', bad, ...withKey]);
  assert.equal(r.code, 1, r.stdout);
  assert.match(r.stderr, /entry 3: contents were changed/);
  assert.equal(count(bad), n);
  assert.equal(readFileSync(keyFile, 'utf8'), readFileSync(oldFile, 'utf8'));

  r = await run(['audit', 'rekey', '--db', db, ...withKey]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`entries from ${n + 1} on are keyed with a new key`));
  // The ring: the new key, then the old one with the first entry it covered.
  let lines = readFileSync(keyFile, 'utf8').split('\n').filter(Boolean);
  assert.equal(lines.length, 2);
  assert.match(lines[0], /^[0-9a-f]{64}$/);
  assert.equal(lines[1], `${oldKey.toString('hex')} 1`);
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);
  const newKey = Buffer.from(lines[0], 'hex');
  assert.notDeepEqual(newKey, oldKey);

  // The chain stays whole: every old entry keeps its hash (so the printed heads stay true),
  // and the rotation is the next entry, linked to them, the first under the new key.
  const entries = rows(db, `SELECT ${COLS} FROM audit_log ORDER BY id`);
  assert.equal(entries.length, n + 1);
  assert.deepEqual(entries.slice(0, n).map((e) => [e.id, e.hash]), before.map((e) => [e.id, e.hash]));
  for (const e of [entries[0], entries[n - 1]]) assert.equal(e.hash, entryHash(e, oldKey), `entry ${e.id}`);
  const marker = entries[n];
  assert.equal(marker.action, 'audit_key');
  assert.equal(JSON.parse(marker.after).rotated_from, n + 1);
  assert.equal(marker.prev_hash, entries[n - 1].hash);
  assert.equal(marker.hash, entryHash(marker, newKey));
  assert.notEqual(marker.hash, entryHash(marker, oldKey));

  // The new ring verifies the whole chain; the old key file no longer binds at all; the new
  // key without the retired one cannot vouch for the past.
  r = await verify(db, withKey);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`^${n + 1} entries verified`));
  await assertBroken(db, /审计密钥与数据库不符/, ['--audit-key', oldFile]);
  const newOnly = join(dir, 'new-only.key');
  writeFileSync(newOnly, `${lines[0]}\n`, { mode: 0o600 });
  await assertBroken(db, /entry 1: contents were changed/, ['--audit-key', newOnly]);

  // Writes go on under the new key; a second rotation adds to the ring.
  r = await run(['user', 'add', '--db', db, '--login', 'zhao6', '--name', '赵六', '--role', 'office', '--password', 'Zhao-pass-2026', ...withKey]);
  assert.equal(r.code, 0, r.stderr);
  const last = rows(db, `SELECT ${COLS} FROM audit_log WHERE id = ${n + 2}`)[0];
  assert.equal(last.hash, entryHash(last, newKey));
  r = await run(['audit', 'rekey', '--db', db, ...withKey]);
  assert.equal(r.code, 0, r.stderr);
  lines = readFileSync(keyFile, 'utf8').split('\n').filter(Boolean);
  assert.deepEqual(lines.slice(1), [`${newKey.toString('hex')} ${n + 1}`, `${oldKey.toString('hex')} 1`]);
  r = await verify(db, withKey);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`^${n + 3} entries verified`));

  // Someone who kept the old key rewrites the past consistently under it: the first entry
  // under the new key no longer links.
  rechain(db, 1, oldKey, (e) => {
    e.after = e.after.replace(/"name":"/, '"name":"伪');
    assert.ok(e.after.includes('伪'));
  }, n);
  await assertBroken(db, new RegExp(`entry ${n + 1}: link to the previous entry is broken`), withKey);
});

test('a rotated chain migrated to a new SQLite file takes the whole key ring along', async () => {
  if (PG) return; // migrate's target beside a file: SQLite only (PostgreSQL names its key file)
  const a = join(dir, 'ring-a.db'), b = join(dir, 'ring-b.db');
  const env = { HUIZHAN_AUDIT_KEY: '' }; // the keys beside the files
  let r = await run(['init', '--db', a, '--admin-password', 'Admin-pass-2026'], { env });
  assert.equal(r.code, 0, r.stderr);
  r = await run(['audit', 'rekey', '--db', a], { env });
  assert.equal(r.code, 0, r.stderr);
  r = await run(['migrate', '--from', a, '--to', b], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(`${b}.audit-key`, 'utf8'), readFileSync(`${a}.audit-key`, 'utf8'));
  assert.equal(readFileSync(`${b}.audit-key`, 'utf8').split('\n').filter(Boolean).length, 2);
  assert.equal(statSync(`${b}.audit-key`).mode & 0o777, 0o600);
  r = await verify(b, [], env);
  assert.equal(r.code, 0, r.stderr);
});
