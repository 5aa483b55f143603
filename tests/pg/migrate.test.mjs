// huizhan migrate: the demo city's SQLite file copied into an empty PostgreSQL database.
// Every table's count matches, `check` and `audit verify` are clean there, every figure
// endpoint answers the same numbers on both databases, attachments' bytes survive, new
// rows continue after the copied ids, and a target that is not empty, a missing source or
// a missing option is refused naming it. Text that COPY's text format must escape (tab,
// newline, carriage return, backslash, a literal \N, quotes, Chinese), NULLs, an empty
// string, and an attachment of every byte 0x00..0xFF arrive byte for byte (raw SQL on both
// sides). Runs in the PostgreSQL pass (ctest api-pg/migrate).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { run, sqliteDemoDb, tempDir, serveDb, psql, pgCreateDb, pgDropDb, PG, DEMO_AS_OF, DEMO_PASSWORD } from '../api/lib.mjs';
import { sql, PDF, PNG } from '../api/fixtures.mjs';

let dir, file, uri, out;
// Every byte value once, behind the PDF magic the server sniffs for.
const ALL_BYTES = Buffer.concat([Buffer.from('%PDF-'), Buffer.from([...Array(256).keys()])]);
// Text whose bytes COPY's text format escapes or could mistake, ending in a backslash.
const ODD = '制表\t换行\n回车\r反斜杠\\双\\\\ 单引号\' 双引号" 字面\\N 空格 结尾\\';
// SQLite text literal of a JS string: control characters through char(), quotes doubled.
const lit = (t) => [...t].map((ch) => (ch < ' ' ? `' || char(${ch.charCodeAt(0)}) || '` : ch === "'" ? "''" : ch)).join('');
let odd; // the ids of the projects given odd text

before(async () => {
  assert.ok(PG, 'HUIZHAN_TEST_PG names the test cluster');
  dir = tempDir();
  file = join(dir, 'city.db');
  copyFileSync(await sqliteDemoDb(), file);
  // Three attachments, so that bytes have to cross too, one of them every byte value.
  const served = await serveDb(file, { env: { HUIZHAN_TODAY: DEMO_AS_OF } });
  const admin = await served.login('admin', DEMO_PASSWORD);
  for (const [name, bytes, type] of [['合同.pdf', PDF, 'application/pdf'], ['现场.png', PNG, 'image/png'], ['全字节.pdf', ALL_BYTES, 'application/pdf']]) {
    const r = await admin.req('POST', `/api/v1/projects/1/attachments?filename=${encodeURIComponent(name)}`, bytes, { headers: { 'Content-Type': type } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  await served.stop();
  // Odd text written straight into the file: a name, a description that is literally \N,
  // one that is empty and one that is NULL (names and descriptions enter no figure).
  odd = sql(file, 'SELECT id FROM projects ORDER BY id LIMIT 3').map((r) => Number(r[0]));
  sql(file, `UPDATE projects SET name = '${lit(ODD)}', description = '\\N' WHERE id = ${odd[0]}`);
  sql(file, `UPDATE projects SET description = '', source_name = '${lit(ODD)}' WHERE id = ${odd[1]}`);
  sql(file, `UPDATE projects SET description = NULL, source_name = NULL WHERE id = ${odd[2]}`);
  uri = pgCreateDb();
  out = await run(['migrate', '--from', file, '--to', uri]);
});
after(() => {
  if (uri) pgDropDb(uri);
  rmSync(dir, { recursive: true, force: true });
});

const dbName = () => uri.slice(PG.length);
const tables = () => sql(file, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name").map((r) => r[0]);

test('every table arrives with every row, and the command says how many', () => {
  assert.equal(out.code, 0, out.stderr);
  const names = tables();
  let total = 0;
  for (const t of names) {
    const want = Number(sql(file, `SELECT count(*) FROM ${t}`)[0][0]);
    assert.equal(Number(psql(dbName(), `SELECT count(*) FROM ${t}`)), want, `rows of ${t}`);
    total += want;
  }
  assert.ok(total > 20000, `the demo city is not empty (${total} rows)`);
  const m = out.stdout.match(/migrated (\d+) rows in (\d+) tables/);
  assert.ok(m, out.stdout);
  assert.deepEqual([Number(m[1]), Number(m[2])], [total, names.length]);
  // The audit chain is the same chain: same head, same count, same last hash.
  for (const q of ["SELECT value FROM meta WHERE key = 'audit_head'", "SELECT value FROM meta WHERE key = 'audit_count'",
    'SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1'])
    assert.equal(psql(dbName(), q), sql(file, q)[0][0], q);
  // Attachments keep their bytes.
  const want = sql(file, 'SELECT sha256, size, hex(data) FROM blobs ORDER BY sha256');
  assert.equal(want.length, 3);
  const got = psql(dbName(), 'SELECT sha256, size, upper(encode(data, \'hex\')) FROM blobs ORDER BY sha256 COLLATE "C"').split('\n').map((l) => l.split('|'));
  assert.deepEqual(got, want);
  assert.equal(want.map((r) => r[2]).sort().join(), [PDF, PNG, ALL_BYTES].map((b) => b.toString('hex').toUpperCase()).sort().join());
});

test('text COPY must escape, NULLs and empty strings arrive byte for byte', () => {
  const cols = ['name', 'description', 'source_name'];
  // (SQLite's hex(NULL) is '', so NULL is asked for by name on both sides)
  const want = sql(file, `SELECT id, ${cols.map((c) => `CASE WHEN ${c} IS NULL THEN 'NULL' ELSE hex(${c}) END`).join(', ')} FROM projects WHERE id IN (${odd}) ORDER BY id`);
  const got = psql(dbName(), `SELECT id, ${cols.map((c) => `coalesce(upper(encode(convert_to(${c}, 'UTF8'), 'hex')), 'NULL')`).join(', ')}
    FROM projects WHERE id IN (${odd}) ORDER BY id`).split('\n').map((l) => l.split('|'));
  assert.deepEqual(got, want);
  // The source holds what was meant (so the comparison above compares something): the odd
  // text, a description of the two characters \N, an empty one and a NULL one.
  const hex = (t) => Buffer.from(t).toString('hex').toUpperCase();
  assert.deepEqual(want.map((r) => r.slice(1)), [
    [hex(ODD), hex('\\N'), want[0][3]],
    [want[1][1], '', hex(ODD)],
    [want[2][1], 'NULL', 'NULL'],
  ]);
  // On PostgreSQL the empty description is '' and not NULL, and \N is text.
  assert.equal(psql(dbName(), `SELECT count(*) FROM projects WHERE id = ${odd[1]} AND description = ''`), '1');
  assert.equal(psql(dbName(), `SELECT count(*) FROM projects WHERE id = ${odd[0]} AND description = E'\\\\N'`), '1');
});

test('check and audit verify are clean on the copy', async () => {
  const check = await run(['check', '--db', uri]);
  assert.equal(check.code, 0, check.stderr);
  assert.equal(check.stdout.trim(), 'ok');
  const verify = await run(['audit', 'verify', '--db', uri]);
  assert.equal(verify.code, 0, verify.stderr);
  assert.equal(verify.stdout.trim(), 'ok');
});

test('every figure endpoint answers the same on both databases; new rows go after the copied ids', async () => {
  const env = { HUIZHAN_TODAY: DEMO_AS_OF };
  const a = await serveDb(file, { env }), b = await serveDb(uri, { env });
  try {
    const maxSession = Number(psql(dbName(), 'SELECT COALESCE(MAX(id), 0) FROM sessions'));
    const ca = await a.login('office', DEMO_PASSWORD), cb = await b.login('office', DEMO_PASSWORD);
    // The login's session took an id past the copied ones (the identity was moved on).
    assert.ok(Number(psql(dbName(), 'SELECT MAX(id) FROM sessions')) > maxSession);
    const unit = Number(sql(file, "SELECT id FROM units WHERE name = '市商务局'")[0][0]);
    const paths = ['dashboard', 'dashboard/ranking?limit=100', 'dashboard/matrix?limit=100', 'progress', 'ranking',
      `ranking/${unit}`, 'funnel', 'forecast', 'stale-projects?limit=100', 'target-gaps', 'certification-queue?limit=100',
      'duplicates', 'report-status', 'bulletins?limit=100', 'snapshots?limit=100', 'settings']
      .map((p) => `/api/v1/campaigns/1/${p}`)
      .concat(['/api/v1/projects?limit=500&sort=id', '/api/v1/units?limit=100', '/api/v1/funds?limit=500&sort=id',
        '/api/v1/audit?limit=200&offset=1' /* past each side's own login */, `/api/v1/campaigns/1/dashboard?as_of=2026-09-30`]);
    for (const p of paths) {
      const [ra, rb] = [await ca.get(p), await cb.get(p)];
      assert.equal(ra.status, 200, `${p} on SQLite: ${JSON.stringify(ra.body).slice(0, 200)}`);
      assert.equal(rb.status, 200, `${p} on PostgreSQL: ${JSON.stringify(rb.body).slice(0, 200)}`);
      assert.deepEqual(rb.body, ra.body, p);
    }
    // A record made on the copy takes the next id of its table, as on the original.
    const body = { unit_id: unit, name: '迁移后新建的项目', investor_name: '测试投资方', industry: 'manufacturing', planned_investment: 1000000 };
    const [pa, pb] = [await ca.post('/api/v1/projects', body), await cb.post('/api/v1/projects', body)];
    assert.equal(pb.status, pa.status, JSON.stringify(pb.body));
    if (pa.status === 201) assert.equal(pb.body.id, pa.body.id);
  } finally {
    await a.stop();
    await b.stop();
  }
});

test('a target that is not empty, a missing source and a missing option are refused, naming them', async () => {
  const again = await run(['migrate', '--from', file, '--to', uri]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /不是空数据库.*（to）/);
  const missing = await run(['migrate', '--from', join(dir, 'nope.db'), '--to', uri]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /nope\.db 不存在（from）/);
  const noTo = await run(['migrate', '--from', file]);
  assert.equal(noTo.code, 2); /* a usage error */
  assert.match(noTo.stderr, /缺少 --to.*（to）/);
  const same = await run(['migrate', '--from', file, '--to', file]);
  assert.equal(same.code, 2);
  assert.match(same.stderr, /同一个数据库（to）/);
  // None of these touched the copy.
  assert.equal(Number(psql(dbName(), 'SELECT count(*) FROM units')), Number(sql(file, 'SELECT count(*) FROM units')[0][0]));
});
