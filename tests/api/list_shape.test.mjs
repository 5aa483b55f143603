// One list shape and one list parser (issue 10): every list answers {items, total, limit,
// offset} and pages with limit/offset; a repeated filter on an enum, reference or integer
// field means "any of"; any other repeated parameter, a %00 or a broken % escape answers
// 400 naming the parameter. Totals are cross-checked with raw SQL on the demo city.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { startServer } from './lib.mjs';
import { PDF, upload } from './fixtures.mjs';

/** Rows of a query on the server's database, as objects (sqlite3 -json). */
function sql(db, query) {
  return new Promise((resolve, reject) => {
    execFile('sqlite3', ['-json', '-cmd', '.timeout 10000', db, query], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`sqlite3: ${stderr || err.message}\n${query}`));
      else resolve(stdout.trim() ? JSON.parse(stdout) : []);
    });
  });
}
const one = async (db, query) => Object.values((await sql(db, query))[0] ?? { v: null })[0];

let server, office, admin, campaign;

before(async () => {
  server = await startServer({ demo: true });
  office = await server.login('office');
  admin = await server.login('admin');
  campaign = await one(server.db, "SELECT id FROM campaigns WHERE status = 'active' ORDER BY id LIMIT 1");
});
after(async () => {
  const exit = await server.stop();
  assert.deepEqual(exit, { code: 0, signal: null }, server.log());
});

/** GET that must answer 200 with the list shape; resolves the body. */
async function list(c, path) {
  const r = await c.get(path);
  assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
  assert.deepEqual(Object.keys(r.body).filter((k) => ['items', 'total', 'limit', 'offset'].includes(k)).sort(),
    ['items', 'limit', 'offset', 'total'], path);
  assert.ok(Array.isArray(r.body.items), path);
  return r.body;
}

/** Expects a 400 naming `field`. */
function refused(r, field, code) {
  assert.equal(r.status, 400, JSON.stringify(r.body));
  if (code) assert.equal(r.body.error.code, code);
  assert.ok(r.body.error.fields && field in r.body.error.fields, `names ${field}: ${JSON.stringify(r.body)}`);
}

/** Reads every page of a list with the given page size; checks each page's echo and total. */
async function allPages(c, path, size) {
  const sep = path.includes('?') ? '&' : '?';
  const items = [];
  let total = null;
  for (let offset = 0; total === null || offset < total; offset += size) {
    const b = await list(c, `${path}${sep}limit=${size}&offset=${offset}`);
    assert.equal(b.limit, size);
    assert.equal(b.offset, offset);
    total ??= b.total;
    assert.equal(b.total, total, 'the total does not move between pages');
    assert.equal(b.items.length, Math.min(size, total - offset));
    items.push(...b.items);
  }
  return { items, total };
}

test('snapshots page with limit/offset, oldest first, total as in the table', async () => {
  for (const label of ['A', 'B', 'C']) {
    const r = await office.post(`/api/v1/campaigns/${campaign}/snapshots`, { as_of: '2026-10-01', label: `分页${label}` });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const ids = (await sql(server.db, `SELECT id FROM snapshots WHERE campaign_id = ${campaign} ORDER BY id`)).map((x) => x.id);
  assert.ok(ids.length >= 3);
  const first = await list(office, `/api/v1/campaigns/${campaign}/snapshots`);
  assert.equal(first.total, ids.length);
  assert.equal(first.limit, 50);
  assert.equal(first.offset, 0);
  const { items } = await allPages(office, `/api/v1/campaigns/${campaign}/snapshots`, 2);
  assert.deepEqual(items.map((s) => s.id), ids);
  assert.ok(items.every((s) => !('figures' in s)), 'the list leaves the figures out');
  const tail = await list(office, `/api/v1/campaigns/${campaign}/snapshots?offset=${ids.length - 1}`);
  assert.deepEqual(tail.items.map((s) => s.id), [ids.at(-1)]);
  refused(await office.get(`/api/v1/campaigns/${campaign}/snapshots?limit=0`), 'limit');
  refused(await office.get(`/api/v1/campaigns/${campaign}/snapshots?limit=501`), 'limit');
  refused(await office.get(`/api/v1/campaigns/${campaign}/snapshots?offset=-1`), 'offset');
  refused(await office.get(`/api/v1/campaigns/${campaign}/snapshots?label=A`), 'label');
  refused(await office.get(`/api/v1/campaigns/${campaign}/snapshots?limit=1&limit=2`), 'limit');
});

test('duplicates page with limit/offset: the pages put together are the whole list', async () => {
  const whole = await list(office, `/api/v1/campaigns/${campaign}/duplicates?limit=500`);
  assert.ok(whole.total >= 1, 'the demo city has a duplicate claim');
  assert.equal(whole.items.length, whole.total);
  const { items, total } = await allPages(office, `/api/v1/campaigns/${campaign}/duplicates`, 1);
  assert.equal(total, whole.total);
  assert.deepEqual(items, whole.items);
  // Every pair is two live projects of the campaign, neither settled as a duplicate.
  for (const d of whole.items) {
    const n = await one(server.db, `SELECT COUNT(*) FROM projects WHERE id IN (${d.a.id}, ${d.b.id})
      AND campaign_id = ${campaign} AND duplicate_of IS NULL`);
    assert.equal(n, 2, JSON.stringify(d));
  }
  refused(await office.get(`/api/v1/campaigns/${campaign}/duplicates?limit=x`), 'limit');
  refused(await office.get(`/api/v1/campaigns/${campaign}/duplicates?sort=id`), 'sort');
});

test('target gaps page with limit/offset; total and short_count as the raw targets give them', async () => {
  const targets = await sql(server.db, `SELECT t.id, t.unit_id, t.value,
      (SELECT COALESCE(SUM(p.value), 0) FROM targets p WHERE p.campaign_id = t.campaign_id AND p.scope = t.scope
         AND p.unit_id = t.unit_id AND p.metric = t.metric AND p.section_id IS NOT NULL) AS sections,
      (SELECT COALESCE(SUM(p.value), 0) FROM targets p WHERE p.campaign_id = t.campaign_id AND p.scope = t.scope
         AND p.unit_id = t.unit_id AND p.metric = t.metric AND p.user_id IS NOT NULL) AS people
    FROM targets t WHERE t.campaign_id = ${campaign} AND t.section_id IS NULL AND t.user_id IS NULL`);
  const short = targets.filter((t) => t.sections < t.value || t.people < t.value).length;
  assert.ok(targets.length > 60, `${targets.length} unit targets: more than one page`);
  const first = await list(office, `/api/v1/campaigns/${campaign}/target-gaps`);
  assert.equal(first.total, targets.length);
  assert.equal(first.items.length, 50);
  assert.equal(first.short_count, short, 'short_count counts the whole list, not the page');
  const { items } = await allPages(office, `/api/v1/campaigns/${campaign}/target-gaps`, 40);
  assert.deepEqual(items.map((t) => t.target_id).sort((a, b) => a - b), targets.map((t) => t.id).sort((a, b) => a - b));
  // A unit head's list is its unit's only, paged the same way.
  const unit = await one(server.db, "SELECT id FROM units WHERE name = '市工业和信息化局'");
  const head = await server.login('gxj.head');
  const mine = await list(head, `/api/v1/campaigns/${campaign}/target-gaps?limit=1`);
  assert.equal(mine.total, targets.filter((t) => t.unit_id === unit).length);
  assert.equal(mine.items.length, 1);
  assert.equal(mine.items[0].unit_id, unit);
  refused(await office.get(`/api/v1/campaigns/${campaign}/target-gaps?unit_id=1`), 'unit_id');
});

test('jobs, the audit log and the figures lists answer the same shape', async () => {
  const jobs = await list(office, '/api/v1/jobs?limit=2');
  assert.equal(jobs.total, await one(server.db, 'SELECT COUNT(*) FROM jobs'));
  assert.equal(jobs.items.length, Math.min(2, jobs.total));
  const audit = await list(admin, '/api/v1/audit?entity=projects&action=create&limit=3&offset=1');
  assert.equal(audit.total, await one(server.db, "SELECT COUNT(*) FROM audit_log WHERE entity = 'projects' AND action = 'create'"));
  const newest = await sql(server.db, "SELECT id FROM audit_log WHERE entity = 'projects' AND action = 'create' ORDER BY id DESC LIMIT 3 OFFSET 1");
  assert.deepEqual(audit.items.map((a) => a.id), newest.map((a) => a.id));
  const stale = await list(office, `/api/v1/campaigns/${campaign}/stale-projects?limit=5`);
  assert.equal(stale.limit, 5);
  const queue = await list(office, `/api/v1/campaigns/${campaign}/certification-queue?limit=5&kind=fund`);
  assert.equal(queue.total, await one(server.db, `SELECT COUNT(*) FROM funds
    WHERE campaign_id = ${campaign} AND status = 'reported'`));
  // Leaders' instructions on a bulletin and on a weekly report, oldest first.
  for (const [field, path] of [['bulletin_id', 'bulletins'], ['weekly_report_id', 'weekly-reports']]) {
    const target = await one(server.db, `SELECT ${field} FROM instructions WHERE ${field} IS NOT NULL
      GROUP BY ${field} ORDER BY COUNT(*) DESC, ${field} LIMIT 1`);
    const ids = (await sql(server.db, `SELECT id FROM instructions WHERE ${field} = ${target} ORDER BY id`)).map((x) => x.id);
    const { items, total } = await allPages(office, `/api/v1/${path}/${target}/instructions`, 1);
    assert.equal(total, ids.length);
    assert.deepEqual(items.map((x) => x.id), ids);
    refused(await office.get(`/api/v1/${path}/${target}/instructions?sort=id`), 'sort');
  }
  // A board without a row per unit is no list: limit is refused there as before (progress,
  // ranking and forecast page their unit rows: dashboard_tables.test.mjs).
  refused(await office.get(`/api/v1/campaigns/${campaign}/funnel?limit=5`), 'limit');
});

test('a repeated enum or reference filter means any of them, counted as SQL counts them', async () => {
  const both = await list(office, '/api/v1/projects?stage=lead&stage=signed&limit=500');
  const expected = await one(server.db, "SELECT COUNT(*) FROM projects WHERE stage IN ('lead', 'signed')");
  assert.equal(both.total, expected);
  assert.ok(both.items.every((p) => p.stage === 'lead' || p.stage === 'signed'));
  assert.ok(both.items.some((p) => p.stage === 'lead') && both.items.some((p) => p.stage === 'signed'));
  const lead = await list(office, '/api/v1/projects?stage=lead');
  assert.ok(lead.total < both.total && lead.total > 0);
  // Two units' projects, paged and sorted like any list.
  const units = (await sql(server.db, 'SELECT lead_unit_id AS u FROM projects GROUP BY lead_unit_id ORDER BY COUNT(*) DESC LIMIT 2')).map((x) => x.u);
  const two = await allPages(office, `/api/v1/projects?lead_unit_id=${units[0]}&lead_unit_id=${units[1]}&sort=-planned_investment`, 100);
  const rows = await sql(server.db, `SELECT id FROM projects WHERE lead_unit_id IN (${units.join(',')}) ORDER BY planned_investment DESC, id DESC`);
  assert.deepEqual(two.items.map((p) => p.id), rows.map((r) => r.id));
  // The same filter for a unit head: still only what the unit may see.
  const unit = await one(server.db, "SELECT id FROM units WHERE name = '市工业和信息化局'");
  const head = await server.login('gxj.head');
  const seen = await list(head, '/api/v1/projects?stage=lead&stage=negotiating&limit=1');
  assert.equal(seen.total, await one(server.db, `SELECT COUNT(*) FROM projects WHERE stage IN ('lead', 'negotiating')
    AND (lead_unit_id = ${unit} OR id IN (SELECT project_id FROM project_units WHERE unit_id = ${unit}))`));
  // A repeated value that is no stage, a text or date filter, paging or sort given twice: refused, named.
  refused(await office.get('/api/v1/projects?stage=lead&stage=moon'), 'stage');
  refused(await office.get('/api/v1/projects?q=光伏&q=风电'), 'q');
  refused(await office.get('/api/v1/projects?lead_date_from=2026-01-01&lead_date_from=2026-02-01'), 'lead_date_from');
  refused(await office.get('/api/v1/projects?sort=id&sort=-id'), 'sort');
  refused(await office.get('/api/v1/projects?offset=0&offset=1'), 'offset');
  refused(await office.get(`/api/v1/projects?${Array.from({ length: 21 }, (_, i) => `lead_unit_id=${i + 1}`).join('&')}`), 'lead_unit_id');
  // Elsewhere a parameter given twice is refused, where the last one used to win.
  refused(await admin.get('/api/v1/audit?action=create&action=update'), 'action');
  refused(await office.get(`/api/v1/campaigns/${campaign}/dashboard?as_of=2026-10-01&as_of=2026-10-02`), 'as_of');
  refused(await office.get(`/api/v1/campaigns/${campaign}/certification-queue?kind=fund&kind=fund`), 'kind');
});

test('OpenAPI says which filters may be repeated', async () => {
  const doc = (await office.get('/api/v1/openapi.json')).body;
  const params = doc.paths['/api/v1/projects'].get.parameters;
  const stage = params.find((p) => p.name === 'stage');
  assert.match(stage.description, /任一/);
  const name = params.find((p) => p.name === 'lead_date_from');
  assert.doesNotMatch(name.description ?? '', /任一/);
});

test('%00 and broken % escapes in any parameter answer 400 naming it', async () => {
  const cases = [
    ['/api/v1/projects?q=a%00zzzz', 'q'],
    ['/api/v1/projects?q=%E5%85%89%zz', 'q'],
    ['/api/v1/projects?q=ab%4', 'q'],
    ['/api/v1/projects?stage=lead%', 'stage'],
    [`/api/v1/campaigns/${campaign}/dashboard?as_of=2026-10-0%31%00`, 'as_of'],
    [`/api/v1/campaigns/${campaign}/stale-projects?unit_id=%G1`, 'unit_id'],
    ['/api/v1/audit?entity=projects%00', 'entity'],
    [`/api/v1/campaigns/${campaign}/snapshots?limit=1%`, 'limit'],
    ['/api/v1/projects?li%zzmit=1', 'li%zzmit'],
    ['/api/v1/projects?%00=1', '%00'],
  ];
  for (const [path, field] of cases) {
    const r = await admin.get(path);
    refused(r, field, 'malformed_request');
  }
  // A well-formed escape still works: %E5%85%89 is 光, + is a space.
  const ok = await list(office, '/api/v1/projects?q=%E5%85%89%E4%BC%8F&limit=1');
  assert.equal(ok.total, await one(server.db, "SELECT COUNT(*) FROM projects WHERE name LIKE '%光伏%' OR description LIKE '%光伏%'"));
  assert.ok(ok.total > 0);
});

test('an attachment named with %00 is refused, not stored cut short', async () => {
  const project = await one(server.db, 'SELECT id FROM projects ORDER BY id LIMIT 1');
  const before = await one(server.db, 'SELECT COUNT(*) FROM attachments');
  const path = `/api/v1/projects/${project}/attachments?filename=contract.pdf%00.exe`;
  const r = await office.post(path, PDF, { headers: { 'Content-Type': 'application/pdf' } });
  refused(r, 'filename', 'malformed_request');
  assert.equal(await one(server.db, 'SELECT COUNT(*) FROM attachments'), before);
  assert.equal(await one(server.db, "SELECT COUNT(*) FROM attachments WHERE filename = 'contract.pdf'"), 0);
  // The same name without the NUL is stored whole.
  const good = await upload(office, project, 'contract%.pdf', 'application/pdf', PDF);
  assert.equal(good.status, 201, JSON.stringify(good.body));
  assert.equal(await one(server.db, `SELECT filename FROM attachments WHERE id = ${good.body.id}`), 'contract%.pdf');
  refused(await office.post(`/api/v1/projects/${project}/attachments?filename=a.pdf&filename=b.pdf`, PDF,
    { headers: { 'Content-Type': 'application/pdf' } }), 'filename');
});

test("a unit user's dashboard is the office's narrowed to its own unit's detail rows", async () => {
  const unit = await one(server.db, "SELECT id FROM units WHERE name = '市工业和信息化局'");
  const head = await server.login('gxj.head');
  const all = (await office.get(`/api/v1/campaigns/${campaign}/dashboard`)).body;
  const mine = (await head.get(`/api/v1/campaigns/${campaign}/dashboard`)).body;
  const allUnits = (await office.get(`/api/v1/campaigns/${campaign}/dashboard/matrix?limit=500`)).body;
  const myUnits = (await head.get(`/api/v1/campaigns/${campaign}/dashboard/matrix?limit=500`)).body;
  assert.ok(allUnits.total > 20);
  assert.deepEqual(myUnits.items, allUnits.items.filter((u) => u.unit_id === unit));
  assert.equal(myUnits.total, 1);
  assert.deepEqual(mine.will_miss, all.will_miss.filter((u) => u.unit_id === unit));
  assert.equal(mine.will_miss_total, mine.will_miss.length);
  // What is circulated whole stays whole.
  for (const k of ['campaign', 'totals', 'status_counts', 'lights', 'ranking', 'funnel', 'lagging_total'])
    assert.deepEqual(mine[k], all[k], k);
  assert.deepEqual((await head.get(`/api/v1/campaigns/${campaign}/dashboard/ranking?limit=500`)).body,
    (await office.get(`/api/v1/campaigns/${campaign}/dashboard/ranking?limit=500`)).body);
  // Its stale list is its own projects', as the unit's stale-projects list gives them.
  const own = await list(office, `/api/v1/campaigns/${campaign}/stale-projects?unit_id=${unit}&limit=10`);
  assert.deepEqual(mine.stale.items, own.items);
  assert.equal(mine.stale.total, own.total);
  for (const p of mine.stale.items) {
    const n = await one(server.db, `SELECT COUNT(*) FROM projects WHERE id = ${p.project_id} AND (lead_unit_id = ${unit}
      OR id IN (SELECT project_id FROM project_units WHERE unit_id = ${unit}))`);
    assert.equal(n, 1);
  }
  // A unit user cannot widen its view by asking for another unit.
  const other = allUnits.items.find((u) => u.unit_id !== unit).unit_id;
  const asked = (await head.get(`/api/v1/campaigns/${campaign}/stale-projects?unit_id=${other}`)).body;
  assert.deepEqual(asked.items, (await list(head, `/api/v1/campaigns/${campaign}/stale-projects`)).items);
  // No breakdown by category for the unit user; the office has it.
  const prog = (await head.get(`/api/v1/campaigns/${campaign}/progress`)).body;
  assert.equal(prog.categories, undefined);
  assert.ok((await office.get(`/api/v1/campaigns/${campaign}/progress`)).body.categories);
});
