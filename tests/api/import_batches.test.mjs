// Large imports in batches (docs/import.md "All or nothing", issue 12's speed goal): a file
// is checked whole first (batches that are rolled back), then written in batches of 2000
// rows, each committed, so other writers get the database in between. On the demo city:
// the figures after an import equal a from-scratch recompute (`huizhan check`) and the raw
// records (sqlite3 CLI), the audit chain verifies with one entry per row, a bad row in the
// middle of a multi-batch file leaves the database as it was, and a writer using the API
// while a long import runs is served between its batches.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, run } from './lib.mjs';

let srv, office, campaignId, units;

const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 30000', srv.db, q], { encoding: 'utf8', maxBuffer: 256 << 20 }).trim();
const num = (q) => Number(sql(q));
const csv = (rows) => Buffer.from('\ufeff' + rows.map((r) => r.join(',')).join('\r\n') + '\r\n', 'utf8');

// n project rows; lead units round-robin over `units`, lead dates inside the campaign.
function projectRows(n, prefix, bad = {}) {
  const rows = [['项目名称', '牵头单位', '项目类别', '招商方式', '计划投资', '信息登记日期']];
  for (let i = 0; i < n; i++) {
    rows.push([`${prefix}${String(i).padStart(6, '0')}`, units[i % units.length], i % 2 ? '工业项目' : '服务业项目',
      '以商招商', String(1000000 + i), `2026-09-${String(1 + (i % 28)).padStart(2, '0')}`]);
    if (bad[i]) rows[rows.length - 1][bad[i].col] = bad[i].value;
  }
  return rows;
}

async function upload(kind, body, extra = '') {
  const r = await office.post(`/api/v1/imports?kind=${kind}&filename=f.csv&campaign=${campaignId}${extra}`, body,
    { headers: { 'Content-Type': 'application/octet-stream' } });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  return r.body.id;
}
async function waitJob(id) {
  for (let i = 0; i < 6000; i++) {
    const g = await office.get(`/api/v1/imports/${id}`);
    assert.equal(g.status, 200);
    if (g.body.state !== 'running') return g.body;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('import did not finish');
}
const checkOk = async () => {
  const r = await run(['check', '--db', srv.db]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^ok/m);
};
const auditOk = async () => {
  const r = await run(['audit', 'verify', '--db', srv.db]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /ok/);
};
// The database without the jobs table (what an import may change).
const snapshot = () => execFileSync('sqlite3', ['-cmd', '.timeout 30000', srv.db, '.dump'], { encoding: 'utf8', maxBuffer: 256 << 20 })
  .split('\n').filter((l) => !l.startsWith('INSERT INTO import_jobs')).join('\n');

before(async () => {
  srv = await startServer({ demo: true });
  office = await srv.login('office');
  campaignId = num("SELECT id FROM campaigns WHERE status = 'active' ORDER BY id LIMIT 1");
  units = sql('SELECT name FROM units ORDER BY id LIMIT 7').split('\n');
  assert.equal(units.length, 7);
});
after(async () => {
  const log = srv.log();
  const res = await srv.stop();
  assert.equal(res.code, 0, log.slice(-4000));
});

test('a bad row in the middle of a multi-batch file: rejected, database unchanged, the row named', async () => {
  const was = snapshot();
  // 5000 rows = three batches; row 3500 (line 3502) has a category that does not exist.
  const id = await upload('projects', csv(projectRows(5000, '中段坏行', { 3500: { col: 2, value: '火星项目' } })));
  const j = await waitJob(id);
  assert.equal(j.state, 'done', JSON.stringify(j));
  assert.equal(j.result.state, 'rejected');
  assert.equal(j.result.errors_total, 1);
  assert.deepEqual([j.result.errors[0].row, j.result.errors[0].ref, j.result.errors[0].field, j.result.errors[0].value],
    [3502, 'C3502', 'category', '火星项目']);
  assert.equal(num("SELECT COUNT(*) FROM projects WHERE name LIKE '中段坏行%'"), 0);
  assert.equal(snapshot(), was);
  // A dry run of a clean multi-batch file counts every row and leaves it unchanged too.
  const d = await waitJob(await upload('projects', csv(projectRows(4100, '试导入')), '&dry_run=1'));
  assert.equal(d.result.state, 'dry_run');
  assert.deepEqual([d.result.rows, d.result.created, d.result.updated], [4100, 4100, 0]);
  assert.equal(snapshot(), was);
});

test('after a multi-batch import the figures equal a recompute and the raw records; every row audited', async () => {
  const n = 4500; // three batches
  const auditBefore = num('SELECT COUNT(*) FROM audit_log');
  const leadsBefore = sql(`SELECT unit_id||':'||reported FROM unit_totals WHERE campaign_id=${campaignId} AND metric='leads_count' ORDER BY unit_id`);
  const j = await waitJob(await upload('projects', csv(projectRows(n, '批量导入'))));
  assert.equal(j.result.state, 'committed', JSON.stringify(j.result.errors));
  assert.deepEqual([j.result.rows, j.result.created], [n, n]);
  assert.equal(num("SELECT COUNT(*) FROM projects WHERE name LIKE '批量导入%'"), n);
  // One create entry per row, in one unbroken chain; the revision moved with them.
  assert.equal(num("SELECT COUNT(*) FROM audit_log WHERE entity='projects' AND action='create' AND json_extract(after,'$.name') LIKE '批量导入%'"), n);
  assert.equal(num('SELECT COUNT(*) FROM audit_log'), auditBefore + n);
  await auditOk();
  await checkOk();
  // Raw SQL: each unit's leads went up by exactly its imported rows (7 units round-robin).
  const now = new Map(sql(`SELECT unit_id||':'||reported FROM unit_totals WHERE campaign_id=${campaignId} AND metric='leads_count' ORDER BY unit_id`)
    .split('\n').map((l) => l.split(':').map(Number)));
  const was = new Map(leadsBefore.split('\n').filter(Boolean).map((l) => l.split(':').map(Number)));
  for (let k = 0; k < units.length; k++) {
    const uid = num(`SELECT id FROM units WHERE name='${units[k]}'`);
    const mine = Math.floor(n / units.length) + (k < n % units.length ? 1 : 0);
    assert.equal(num(`SELECT COUNT(*) FROM projects WHERE lead_unit_id=${uid} AND name LIKE '批量导入%'`), mine);
    assert.equal(now.get(uid) - (was.get(uid) || 0), mine, `unit ${units[k]}`);
  }
  // The stored sums equal the project figures summed from scratch, for every metric.
  assert.equal(sql(`SELECT COUNT(*) FROM (SELECT campaign_id, unit_id, metric, SUM(reported) r, SUM(certified) c FROM project_figures GROUP BY 1,2,3) p
    LEFT JOIN unit_totals t USING (campaign_id, unit_id, metric) WHERE t.reported IS NOT p.r OR t.certified IS NOT p.c`), '0');

  // Follow-ups on the imported projects (another kind, more batches): activity and the
  // last activity date of each project move with them.
  const fu = [['项目', '单位', '日期', '方式', '洽谈内容']];
  for (let i = 0; i < 2100; i++) fu.push([`批量导入${String(i).padStart(6, '0')}`, units[i % units.length], '2026-10-0' + (1 + (i % 9)), '电话沟通', `第${i}次`]);
  const f = await waitJob(await upload('follow-ups', csv(fu)));
  assert.equal(f.result.state, 'committed', JSON.stringify(f.result.errors).slice(0, 2000));
  assert.equal(f.result.created, 2100);
  assert.equal(num("SELECT COUNT(*) FROM projects WHERE name LIKE '批量导入%' AND last_activity_date >= '2026-10-01'"), 2100);
  assert.equal(sql("SELECT last_activity_date FROM projects WHERE name='批量导入000008'"), '2026-10-09');
  await checkOk();
  await auditOk();
});

test('another client writes through the API while a long import runs: both succeed, the writer is not held for the import', async () => {
  const n = 16000; // eight batches to write
  const project = num(`SELECT id FROM projects WHERE campaign_id=${campaignId} AND stage='negotiating' ORDER BY id LIMIT 1`);
  const fuBefore = num(`SELECT COUNT(*) FROM follow_ups WHERE project_id=${project}`);
  const id = await upload('projects', csv(projectRows(n, '并发导入')));
  let during = 0, writes = 0, inWritePass = 0;
  for (let i = 0; i < 400; i++) {
    const w = await office.post(`/api/v1/projects/${project}/follow-ups`, { date: '2026-10-10', kind: 'call', summary: `导入期间的电话 ${i}` });
    assert.equal(w.status, 201, JSON.stringify(w.body));
    writes++;
    const g = await office.get(`/api/v1/imports/${id}`);
    if (g.body.state !== 'running') break;
    during++;
    // The second half of the bytes is the write pass (batches committed as they go).
    if (g.body.progress.bytes_done > g.body.progress.bytes_total / 2) inWritePass++;
    await new Promise((res) => setTimeout(res, 100));
  }
  const j = await waitJob(id);
  assert.equal(j.result.state, 'committed', JSON.stringify(j.result.errors));
  assert.equal(j.result.created, n);
  assert.ok(during >= 2, `writes finished while the import ran: ${during} of ${writes}`);
  assert.ok(inWritePass >= 1, `writes finished while the import wrote its batches: ${inWritePass}`);
  assert.equal(num("SELECT COUNT(*) FROM projects WHERE name LIKE '并发导入%'"), n);
  assert.equal(num(`SELECT COUNT(*) FROM follow_ups WHERE project_id=${project}`), fuBefore + writes);
  // The chain stayed linear with the writer's entries between the import's batches.
  const ids = sql("SELECT id FROM audit_log WHERE entity='follow-ups' AND action='create' ORDER BY id DESC LIMIT 1");
  assert.ok(Number(ids) > 0);
  assert.ok(num(`SELECT COUNT(*) FROM audit_log WHERE entity='projects' AND action='create' AND id > ${ids} AND json_extract(after,'$.name') LIKE '并发导入%'`) < n,
    'the API writes landed between the import\'s entries, not after all of them');
  await auditOk();
  await checkOk();
});
