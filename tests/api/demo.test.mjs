// huizhan demo (R-IF-5, SPEC §8): the demo city. Every figure here is recomputed from the
// raw tables with the sqlite3 CLI or read back through the API, never taken from the
// generator's own summary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { DEMO_AS_OF, DEMO_PASSWORD, demoDb, run, startServer, tempDir } from './lib.mjs';

const DAY = 86400000;
const day = (iso) => Date.parse(`${iso}T00:00:00Z`) / DAY;
const iso = (n) => new Date(n * DAY).toISOString().slice(0, 10);
const lastOfMonth = (n) => {
  const d = new Date(n * DAY);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0) / DAY;
};
const TODAY = day(DEMO_AS_OF);

/** Rows of a query on db, as objects (sqlite3 -json). */
function sql(db, query) {
  return new Promise((resolve, reject) => {
    execFile('sqlite3', ['-json', '-cmd', '.timeout 10000', db, query], { maxBuffer: 256 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`sqlite3: ${stderr || err.message}\n${query}`));
      else resolve(stdout.trim() ? JSON.parse(stdout) : []);
    });
  });
}
const one = async (db, query) => Object.values((await sql(db, query))[0])[0];

let dir, db, server, office;

before(async () => {
  dir = tempDir();
  db = join(dir, 'demo.db');
  copyFileSync(await demoDb(), db);
  server = await startServer({ demo: true });
  office = await server.login('office');
});

after(async () => {
  if (server) await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('about 30 departments of every category, each with sections, a head and a deputy', async () => {
  const units = await sql(db, 'SELECT id, name, category, head_user_id, deputy_user_id FROM units');
  assert.ok(units.length >= 28 && units.length <= 36, `${units.length} units`);
  assert.deepEqual([...new Set(units.map((u) => u.category))].sort(),
    ['agriculture', 'industry', 'mass_org', 'other', 'policy_funds', 'services']);
  for (const name of ['市工业和信息化局', '市商务局', '市发展和改革委员会', '市农业农村局', '市文化广电和旅游局',
    '市城市管理局', '市审计局', '市人民防空办公室', '市总工会', '团市委']) {
    assert.ok(units.some((u) => u.name === name), name);
  }
  const sections = await sql(db, 'SELECT unit_id, COUNT(*) AS n FROM sections GROUP BY unit_id');
  assert.equal(sections.length, units.length);
  for (const s of sections) assert.ok(s.n >= 2 && s.n <= 4, `unit ${s.unit_id}: ${s.n} sections`);
  const heads = await sql(db, `SELECT u.id FROM units u
    JOIN users h ON h.id = u.head_user_id AND h.role = 'unit_head' AND h.unit_id = u.id
    JOIN users d ON d.id = u.deputy_user_id AND d.role = 'unit_head' AND d.unit_id = u.id AND d.id <> h.id`);
  assert.equal(heads.length, units.length, 'every unit names its own head and deputy');
});

test('huizhan user list: admin, office, leader, and a unit_head and a unit_staff for every unit', async () => {
  const r = await run(['user', 'list', '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  const rows = r.stdout.trim().split('\n').slice(1).map((line) => line.trim().split(/\s+/));
  const role = Object.fromEntries(rows.map(([login, rl]) => [login, rl]));
  assert.equal(role.admin, 'admin');
  assert.equal(role.office, 'office');
  assert.equal(role.leader, 'leader');
  const unitIds = (await sql(db, 'SELECT id FROM units')).map((u) => String(u.id));
  for (const id of unitIds) {
    const mine = rows.filter((row) => row[2] === id);
    assert.ok(mine.some((row) => row[1] === 'unit_head'), `unit ${id} has a unit_head`);
    assert.ok(mine.some((row) => row[1] === 'unit_staff'), `unit ${id} has a unit_staff`);
  }
  // Stable, readable logins: a pinyin code per unit.
  for (const login of ['gxj.head', 'gxj.deputy', 'gxj.staff1', 'swj.head', 'tsw.staff1']) assert.ok(role[login], login);
  assert.equal(rows.length, await one(db, 'SELECT COUNT(*) FROM users'));
});

test('every demo account has the demo password', async () => {
  for (const [login, roleName] of [['admin', 'admin'], ['office', 'office'], ['leader', 'leader'],
    ['gxj.head', 'unit_head'], ['gxj.deputy', 'unit_head'], ['nyj.staff1', 'unit_staff']]) {
    const c = await server.login(login, DEMO_PASSWORD);
    assert.equal(c.user.role, roleName, login);
    const me = await c.get('/api/v1/me');
    assert.equal(me.status, 200);
  }
  const staff = await server.login('gxj.staff1', DEMO_PASSWORD);
  const gxj = await one(db, "SELECT id FROM units WHERE name = '市工业和信息化局'");
  assert.equal(staff.user.unit_id, gxj);
  const bad = await fetch(`${server.url}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: 'office', password: `${DEMO_PASSWORD}x` }),
  });
  assert.equal(bad.status, 401);
});

test('one active 100-day campaign that has reached day 60', async () => {
  const r = await office.get('/api/v1/campaigns');
  assert.equal(r.status, 200);
  assert.equal(r.body.total, 1);
  const c = r.body.items[0];
  assert.equal(c.status, 'active');
  assert.equal(TODAY - day(c.start_date) + 1, 60, `${DEMO_AS_OF} is day 60 of ${c.start_date}`);
  assert.equal(day(c.end_date) - day(c.start_date) + 1, 100);
});

test('checkpoints: midpoint passed; the fair and then the month-end ahead; final on the last day', async () => {
  const c = (await sql(db, 'SELECT id, start_date, end_date FROM campaigns'))[0];
  const r = await office.get(`/api/v1/campaigns/${c.id}/checkpoints?limit=100`);
  assert.equal(r.status, 200);
  const at = Object.fromEntries(r.body.items.map((cp) => [cp.kind, day(cp.date)]));
  assert.equal(at.midpoint, day(c.start_date) + 49);
  assert.ok(at.midpoint < TODAY);
  assert.ok(at.month_end > TODAY && at.month_end <= day(c.end_date));
  assert.equal(at.month_end, lastOfMonth(at.month_end), 'the month-end checkpoint is the last day of a month');
  assert.ok(at.fair > TODAY && at.fair < at.month_end, 'the trade fair comes shortly before the month-end');
  assert.equal(at.final, day(c.end_date));
  const fairs = await sql(db, `SELECT name FROM events WHERE start_date = '${iso(at.fair)}'`);
  assert.ok(fairs.some((e) => e.name.includes('经贸洽谈会')), JSON.stringify(fairs));
});

test('a past signing event at which projects were signed', async () => {
  const rows = await sql(db, `SELECT e.id, e.start_date, COUNT(*) AS n,
      SUM(s.contract_date = e.start_date) AS on_the_day
    FROM events e JOIN projects p ON p.event_id = e.id
    JOIN stage_changes s ON s.project_id = p.id AND s.to_stage = 'signed'
    WHERE e.end_date < '${DEMO_AS_OF}' GROUP BY e.id`);
  assert.ok(rows.length >= 1);
  assert.ok(rows[0].n >= 5, `${rows[0].n} projects signed at the event`);
  assert.equal(rows[0].on_the_day, rows[0].n, 'their contracts are dated on the event day');
});

test('several hundred projects at every stage', async () => {
  const rows = await sql(db, 'SELECT stage, COUNT(*) AS n FROM projects GROUP BY stage');
  const n = Object.fromEntries(rows.map((r) => [r.stage, r.n]));
  const total = rows.reduce((s, r) => s + r.n, 0);
  assert.ok(total >= 300 && total <= 600, `${total} projects`);
  for (const stage of ['lead', 'negotiating', 'signed', 'started', 'completed', 'dropped']) {
    assert.ok(n[stage] >= 10, `${n[stage] ?? 0} projects at ${stage}`);
  }
  const r = await office.get('/api/v1/projects?limit=1');
  assert.equal(r.body.total, total);
  // Names read like real ones, and money is in realistic yuan ranges.
  const odd = await sql(db, `SELECT name FROM projects WHERE name GLOB '*[{}%?]*' OR length(name) NOT BETWEEN 6 AND 60
    OR planned_investment < 100000 OR planned_investment > 1000000000000`);
  assert.deepEqual(odd, []);
  assert.equal(await one(db, 'SELECT COUNT(*) - COUNT(DISTINCT name) FROM projects'), 0, 'project names are unique');
});

test('stage history is a consistent, dated chain ending at the project stage', async () => {
  const moves = await sql(db, `SELECT project_id, from_stage, to_stage, date, contract_date, contract_value,
      start_date, completion_date, reason, status FROM stage_changes ORDER BY project_id, id`);
  const projects = await sql(db, 'SELECT id, stage, lead_date, contract_value FROM projects');
  const byProject = new Map(projects.map((p) => [p.id, { p, moves: [] }]));
  for (const m of moves) byProject.get(m.project_id).moves.push(m);
  const order = ['lead', 'negotiating', 'signed', 'started', 'completed'];
  for (const { p, moves: ms } of byProject.values()) {
    let stage = 'lead';
    let last = day(p.lead_date);
    const ev = {};
    for (const m of ms) {
      assert.equal(m.from_stage, stage, `project ${p.id}: moves chain`);
      assert.ok(day(m.date) >= last && day(m.date) <= TODAY, `project ${p.id}: move dates in order, none ahead`);
      last = day(m.date);
      if (m.to_stage === 'dropped') assert.ok(m.reason, `project ${p.id}: a drop gives its reason`);
      else assert.equal(order.indexOf(m.to_stage), order.indexOf(stage) + 1, `project ${p.id}: one stage at a time`);
      if (m.to_stage === 'signed') assert.ok(m.contract_date && m.contract_value > 0, `project ${p.id}: contract`);
      if (m.to_stage === 'started') assert.ok(m.start_date, `project ${p.id}: start date`);
      if (m.to_stage === 'completed') assert.ok(m.completion_date, `project ${p.id}: completion date`);
      for (const k of ['contract_date', 'start_date', 'completion_date']) if (m[k]) ev[k] = m[k];
      // A rejected move is undone: the project goes back to where it came from.
      if (m.status !== 'rejected') stage = m.to_stage;
    }
    assert.equal(p.stage, stage, `project ${p.id}: stage is that of its last standing move`);
    if (ev.contract_date && ev.start_date) assert.ok(ev.contract_date <= ev.start_date, `project ${p.id}`);
    if (ev.start_date && ev.completion_date) assert.ok(ev.start_date <= ev.completion_date, `project ${p.id}`);
    assert.ok(day(p.lead_date) <= TODAY);
  }
});

test('follow-ups: many, every kind, heads and deputies take part, some projects gone quiet', async () => {
  assert.ok(await one(db, 'SELECT COUNT(*) FROM follow_ups') >= 1000);
  const kinds = (await sql(db, 'SELECT DISTINCT kind FROM follow_ups ORDER BY kind')).map((r) => r.kind);
  assert.deepEqual(kinds, ['call', 'fair', 'investor_visit', 'meeting', 'outbound_visit']);
  assert.equal(await one(db, `SELECT COUNT(*) FROM follow_ups WHERE date > '${DEMO_AS_OF}'
    OR (next_date IS NOT NULL AND next_date < date) OR summary GLOB '*[{}]*'`), 0);
  const withLeader = await one(db, `SELECT COUNT(DISTINCT f.id) FROM follow_ups f
    JOIN follow_up_participants x ON x.follow_up_id = f.id
    JOIN projects p ON p.id = f.project_id JOIN units u ON u.id = p.lead_unit_id
    WHERE x.user_id IN (u.head_user_id, u.deputy_user_id)`);
  const total = await one(db, 'SELECT COUNT(*) FROM follow_ups');
  assert.ok(withLeader >= total / 10 && withLeader < total, `${withLeader} of ${total} with the head or deputy`);
  // Stale (R-PROG-6): lead or negotiating with nothing for more than 14 days.
  const stale = await sql(db, `SELECT p.id FROM projects p WHERE p.stage IN ('lead', 'negotiating')
    AND MAX(p.lead_date, COALESCE((SELECT MAX(date) FROM follow_ups f WHERE f.project_id = p.id), ''))
        <= '${iso(TODAY - 14)}' ORDER BY p.id`);
  const active = await one(db, "SELECT COUNT(*) FROM projects WHERE stage IN ('lead', 'negotiating')");
  assert.ok(stale.length >= 10 && stale.length < active / 2, `${stale.length} of ${active} quiet`);
  const c = await one(db, 'SELECT id FROM campaigns');
  const r = await office.get(`/api/v1/campaigns/${c}/stale-projects?limit=500`);
  assert.equal(r.status, 200);
  assert.equal(r.body.total, stale.length);
  assert.deepEqual(r.body.items.map((x) => x.project_id).sort((a, b) => a - b), stale.map((x) => x.id));
});

test('funds: only for signed projects, never ahead of today; certified, reported and a few rejected', async () => {
  const funds = await sql(db, `SELECT f.id, f.amount, f.date, f.kind, f.status, f.reject_reason, p.stage,
      (SELECT MIN(contract_date) FROM stage_changes s WHERE s.project_id = p.id AND s.to_stage = 'signed') AS signed
    FROM funds f JOIN projects p ON p.id = f.project_id`);
  assert.ok(funds.length >= 200 && funds.length <= 500, `${funds.length} funds`);
  for (const f of funds) {
    assert.ok(['signed', 'started', 'completed'].includes(f.stage), `fund ${f.id} on a ${f.stage} project`);
    assert.ok(f.signed && f.date >= f.signed && f.date <= DEMO_AS_OF, `fund ${f.id} dated ${f.date}`);
    assert.ok(f.amount >= 10000 && f.amount <= 100000000000, `fund ${f.id}: ${f.amount}`);
  }
  const by = (s) => funds.filter((f) => f.status === s);
  assert.ok(by('certified').length >= funds.length / 4);
  assert.ok(by('reported').length >= funds.length / 10);
  assert.ok(by('rejected').length >= 1 && by('rejected').length <= funds.length / 10);
  for (const f of by('rejected')) assert.ok(f.reject_reason, `fund ${f.id}: reason`);
  assert.deepEqual([...new Set(funds.map((f) => f.kind))].sort(), ['foreign', 'out_of_city', 'out_of_province', 'policy']);
  const listed = await office.get('/api/v1/funds?status=rejected&limit=1');
  assert.equal(listed.body.total, by('rejected').length);
});

test('stage changes: certified, reported and a few rejected with a reason', async () => {
  const rows = await sql(db, `SELECT status, COUNT(*) AS n, SUM(reject_reason IS NOT NULL AND reject_reason <> '') AS why
    FROM stage_changes WHERE to_stage IN ('signed', 'started', 'completed') GROUP BY status`);
  const n = Object.fromEntries(rows.map((r) => [r.status, r]));
  assert.ok(n.certified.n >= 50 && n.reported.n >= 20, JSON.stringify(rows));
  assert.ok(n.rejected.n >= 1 && n.rejected.n < n.certified.n / 5);
  assert.equal(n.rejected.why, n.rejected.n);
});

test('3 or 4 units with nothing at all, and they are zero on the board', async () => {
  const zero = await sql(db, `SELECT id FROM units u
    WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.lead_unit_id = u.id)
      AND NOT EXISTS (SELECT 1 FROM project_units x WHERE x.unit_id = u.id)
      AND NOT EXISTS (SELECT 1 FROM funds f WHERE f.unit_id = u.id) ORDER BY id`);
  assert.ok(zero.length >= 3 && zero.length <= 4, `${zero.length} empty units`);
  const c = await one(db, 'SELECT id FROM campaigns');
  const r = await office.get(`/api/v1/campaigns/${c}/progress`);
  assert.equal(r.status, 200);
  for (const { id } of zero) assert.equal(r.body.units.find((u) => u.unit_id === id).status, 'zero', `unit ${id}`);
  const statuses = new Set(r.body.units.map((u) => u.status));
  for (const s of ['ahead', 'on_track', 'behind', 'zero']) assert.ok(statuses.has(s), `some unit is ${s}`);
});

test('joint promotion: projects co-owned by two units', async () => {
  const rows = await sql(db, `SELECT p.id, p.method, p.lead_unit_id, x.unit_id FROM projects p
    JOIN project_units x ON x.project_id = p.id`);
  assert.ok(rows.length >= 10, `${rows.length} co-owned`);
  for (const r of rows) {
    assert.equal(r.method, 'joint');
    assert.notEqual(r.unit_id, r.lead_unit_id);
  }
});

test('reinvestment projects follow completed ones', async () => {
  const rows = await sql(db, `SELECT p.lead_date, o.stage, p.investor_id = o.investor_id AS same,
      (SELECT completion_date FROM stage_changes s WHERE s.project_id = o.id AND s.to_stage = 'completed') AS done
    FROM projects p JOIN projects o ON o.id = p.reinvestment_of`);
  assert.ok(rows.length >= 1);
  for (const r of rows) {
    assert.equal(r.stage, 'completed');
    assert.equal(r.same, 1);
    assert.ok(r.lead_date > r.done);
  }
});

test('targets by category, campaign and annual, decomposed; a few units do not add up', async () => {
  const c = await one(db, 'SELECT id FROM campaigns');
  const rows = await sql(db, `SELECT u.id, u.category, t.scope, t.metric FROM targets t JOIN units u ON u.id = t.unit_id
    WHERE t.section_id IS NULL AND t.user_id IS NULL`);
  for (const [cat, metric] of [['policy_funds', 'policy_funds'], ['industry', 'completed_count'],
    ['industry', 'funds_arrived'], ['mass_org', 'leads_count']]) {
    const units = new Set(rows.filter((r) => r.category === cat).map((r) => r.id));
    for (const scope of ['campaign', 'annual']) {
      const have = new Set(rows.filter((r) => r.category === cat && r.metric === metric && r.scope === scope).map((r) => r.id));
      assert.equal(have.size, units.size, `${cat} units have a ${scope} ${metric} target`);
    }
  }
  // R-DATA-TGT: units whose section or person parts sum to less than the whole.
  const short = await sql(db, `SELECT DISTINCT t.unit_id FROM targets t
    WHERE t.section_id IS NULL AND t.user_id IS NULL AND (
      (SELECT COALESCE(SUM(value), 0) FROM targets p WHERE p.campaign_id = t.campaign_id AND p.scope = t.scope
         AND p.unit_id = t.unit_id AND p.metric = t.metric AND p.section_id IS NOT NULL) < t.value OR
      (SELECT COALESCE(SUM(value), 0) FROM targets p WHERE p.campaign_id = t.campaign_id AND p.scope = t.scope
         AND p.unit_id = t.unit_id AND p.metric = t.metric AND p.user_id IS NOT NULL) < t.value)
    ORDER BY t.unit_id`);
  assert.ok(short.length >= 2 && short.length <= 5, `${short.length} units fall short`);
  const parts = await one(db, 'SELECT COUNT(*) FROM targets WHERE section_id IS NOT NULL OR user_id IS NOT NULL');
  assert.ok(parts > rows.length * 2, 'targets are decomposed to sections and people');
  // The gaps are a list like any other, paged: read every page.
  const items = [];
  let total = null;
  for (let offset = 0; total === null || offset < total; offset += 100) {
    const r = await office.get(`/api/v1/campaigns/${c}/target-gaps?limit=100&offset=${offset}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.limit, 100);
    assert.equal(r.body.offset, offset);
    total ??= r.body.total;
    assert.equal(r.body.total, total);
    items.push(...r.body.items);
  }
  assert.equal(items.length, total);
  const flagged = [...new Set(items.filter((i) => i.sections_short || i.people_short).map((i) => i.unit_id))];
  assert.deepEqual(flagged.sort((a, b) => a - b), short.map((s) => s.unit_id));
});

test('a possible duplicate claim for the office to settle (R-PROG-10)', async () => {
  const c = await one(db, 'SELECT id FROM campaigns');
  const r = await office.get(`/api/v1/campaigns/${c}/duplicates`);
  assert.equal(r.status, 200);
  assert.ok(r.body.items.length >= 1);
  const { a, b } = r.body.items[0];
  assert.notEqual(a.lead_unit_id, b.lead_unit_id);
});

test('written through the engine: every record audited, the chain intact', async () => {
  const v = await run(['audit', 'verify', '--db', db]);
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stdout, /\bok\b/);
  const audited = Object.fromEntries((await sql(db, `SELECT entity || ':' || action AS k, COUNT(*) AS n
    FROM audit_log GROUP BY 1`)).map((r) => [r.k, r.n]));
  for (const [entity, table] of [['projects', 'projects'], ['follow-ups', 'follow_ups'], ['funds', 'funds'],
    ['stage-changes', 'stage_changes'], ['targets', 'targets'], ['users', 'users'], ['investors', 'investors']]) {
    assert.equal(audited[`${entity}:create`], await one(db, `SELECT COUNT(*) FROM ${table}`), entity);
  }
  const settled = await one(db, `SELECT (SELECT COUNT(*) FROM funds WHERE status <> 'reported')
    + (SELECT COUNT(*) FROM stage_changes WHERE status <> 'reported')`);
  assert.equal((audited['funds:certify'] ?? 0) + (audited['funds:reject'] ?? 0)
    + (audited['stage-changes:certify'] ?? 0) + (audited['stage-changes:reject'] ?? 0), settled);
  // Reported by unit staff, certified by the office: real people, not the system.
  assert.equal(await one(db, "SELECT COUNT(*) FROM funds WHERE created_by IS NULL OR (status <> 'reported' AND reviewed_by IS NULL)"), 0);
  const check = await run(['check', '--db', db], { env: { HUIZHAN_TODAY: DEMO_AS_OF } });
  assert.equal(check.code, 0, check.stdout + check.stderr);
});

// ---- the working rhythm as of day 60 (docs/workflows.md) ----
const campaignOf = async () => (await sql(db, 'SELECT id, start_date, end_date FROM campaigns'))[0];
const weekEnd = (c, w) => iso(day(c.start_date) + 7 * w - 1);
const all = async (client, path) => {
  const r = await client.get(`${path}${path.includes('?') ? '&' : '?'}limit=500`);
  assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
  return r.body;
};

test('weekly reports: every ended week, most on time and heard, some late, unheard or missing', async () => {
  const c = await campaignOf();
  const due = Math.floor((TODAY - day(c.start_date)) / 7); // weeks ended before today
  assert.equal(due, 8);
  const { items, total } = await all(office, `/api/v1/campaigns/${c.id}/weekly-reports`);
  assert.equal(total, items.length);
  const units = await one(db, 'SELECT COUNT(*) FROM units');
  const by = (s) => items.filter((r) => r.status === s);
  assert.ok(by('reviewed').length >= total / 2, `${by('reviewed').length} of ${total} heard`);
  assert.ok(by('submitted').length >= 10, `${by('submitted').length} submitted, not yet heard`);
  assert.ok(by('draft').length >= 1, 'some report still a draft');
  const perWeek = [];
  for (let w = 1; w <= due; w++) perWeek.push(items.filter((r) => r.week === w).length);
  assert.ok(perWeek.every((k) => k >= units * 0.8), `reports per week ${perWeek} of ${units} units`);
  assert.ok(perWeek.filter((k) => k < units).length >= due / 2, `units missing weeks: ${perWeek}`);
  assert.ok(items.every((r) => r.week <= due), 'no report for a week still running is submitted early');
  let late = 0, lateReview = 0, onTime = 0;
  for (const r of items) {
    assert.equal(r.week_end, weekEnd(c, r.week), `report ${r.id}`);
    assert.ok(r.work_done && r.next_plan && !/[{}]/.test(r.work_done + r.next_plan + (r.problems ?? '')), `report ${r.id} text`);
    if (r.status === 'draft') continue;
    assert.ok(r.submitted_at.slice(0, 10) > r.week_end && r.submitted_at.slice(0, 10) <= DEMO_AS_OF, `report ${r.id} submitted ${r.submitted_at}`);
    if (day(r.submitted_at.slice(0, 10)) > day(r.week_end) + 3) late++;
    assert.ok(r.figures?.this_week && r.figures?.to_date, `report ${r.id}: figures frozen`);
    if (r.status !== 'reviewed') continue;
    assert.equal(r.heard, true);
    assert.ok(r.reviewed_on >= r.submitted_at.slice(0, 10) && r.reviewed_on <= DEMO_AS_OF, `report ${r.id} heard ${r.reviewed_on}`);
    if (day(r.reviewed_on) > day(r.week_end) + 7) lateReview++;
    else onTime++;
    assert.ok(r.review_comments, `report ${r.id}: the head's comments`);
  }
  assert.ok(late >= 5, `${late} submitted late`);
  assert.ok(lateReview >= 3 && onTime > lateReview * 3, `${onTime} heard on time, ${lateReview} late`);
  assert.ok(items.filter((r) => r.problems).length >= 20, 'problems needing coordination are raised');
  // The reports were written by the unit's liaison and heard by its head.
  assert.equal(await one(db, `SELECT COUNT(*) FROM weekly_reports r JOIN users s ON s.id = r.submitted_by
    JOIN units u ON u.id = r.unit_id WHERE s.unit_id <> r.unit_id
      OR (r.status = 'reviewed' AND r.reviewed_by IS NOT u.head_user_id)`), 0);
});

test('report status of a past week lists missing and unreviewed units; a unit head sees only its own', async () => {
  const c = await campaignOf();
  const r = await office.get(`/api/v1/campaigns/${c.id}/report-status?week=7`);
  assert.equal(r.status, 200);
  const [w7] = r.body.items;
  assert.equal(w7.week, 7);
  assert.ok(w7.not_submitted.length >= 1, `week 7 missing: ${JSON.stringify(w7.not_submitted)}`);
  assert.ok(w7.not_reviewed.length >= 1, `week 7 unreviewed: ${JSON.stringify(w7.not_reviewed)}`);
  const statuses = new Set(w7.units.map((u) => u.status));
  for (const s of ['missing', 'submitted', 'reviewed']) assert.ok(statuses.has(s), `week 7 has a ${s} unit`);
  assert.ok(w7.units.some((u) => u.status === 'reviewed' && !u.reviewed_on_time), 'a review came late');
  const overview = await office.get(`/api/v1/campaigns/${c.id}/report-status`);
  assert.equal(overview.body.due_weeks, 8);
  const last = overview.body.items.find((x) => x.week === 8);
  assert.ok(last.units.some((u) => u.status === 'draft'), 'a report of the last week is still a draft');
  const head = await server.login('gxj.head');
  const mine = await all(head, `/api/v1/campaigns/${c.id}/weekly-reports`);
  assert.ok(mine.total >= 7, `${mine.total} reports of the unit`);
  assert.ok(mine.items.every((x) => x.unit_id === head.user.unit_id), 'only the own unit');
  assert.equal(mine.total, await one(db, `SELECT COUNT(*) FROM weekly_reports WHERE unit_id = ${head.user.unit_id}`));
  const other = await one(db, `SELECT id FROM weekly_reports WHERE unit_id <> ${head.user.unit_id} LIMIT 1`);
  assert.equal((await head.get(`/api/v1/weekly-reports/${other}`)).status, 404);
});

test('coordination items in every state, with red, yellow and green lights and reminders', async () => {
  const { items } = await all(office, '/api/v1/coordination-items');
  const states = ['assigned', 'signed_off', 'handled', 'feedback', 'reviewed', 'closed'];
  for (const s of states) assert.ok(items.some((i) => i.status === s), `an item ${s}`);
  for (const l of ['red', 'yellow', 'green']) assert.ok(items.some((i) => i.light === l && i.status !== 'closed'), `an open ${l} item`);
  const reminded = items.filter((i) => i.reminders > 0);
  assert.ok(reminded.length >= 2, `${reminded.length} reminded`);
  for (const i of reminded) assert.ok(i.last_reminded_on > i.due_date && i.last_reminded_on <= DEMO_AS_OF, `item ${i.id}`);
  for (const i of items) {
    const at = states.indexOf(i.status);
    assert.equal(Boolean(i.handling), at >= 2, `item ${i.id} handling`);
    assert.equal(Boolean(i.feedback), at >= 3, `item ${i.id} feedback`);
    assert.equal(Boolean(i.review_note), at >= 4, `item ${i.id} review`);
    if (i.status === 'closed') assert.ok(i.closed_on <= DEMO_AS_OF && i.closed_on >= i.created_at.slice(0, 10));
  }
  // A few raised from a report's problems, after the report came in.
  const fromReports = await sql(db, `SELECT i.id, i.created_at, r.submitted_at, r.problems FROM coordination_items i
    JOIN weekly_reports r ON r.id = i.weekly_report_id`);
  assert.ok(fromReports.length >= 2, `${fromReports.length} from reports`);
  for (const x of fromReports) assert.ok(x.created_at.slice(0, 10) > x.submitted_at.slice(0, 10) && x.problems, `item ${x.id}`);
  // The unit that must solve an item sees it; another unit does not.
  const item = items.find((i) => i.status === 'assigned');
  const code = await one(db, `SELECT substr(s.login, 1, instr(s.login, '.') - 1) FROM users s
    WHERE s.unit_id = ${item.unit_id} AND s.role = 'unit_staff' LIMIT 1`);
  const staff = await server.login(`${code}.staff1`);
  assert.equal((await staff.get(`/api/v1/coordination-items/${item.id}`)).status, 200);
  const mine = await all(staff, '/api/v1/coordination-items');
  assert.ok(mine.items.every((i) => i.unit_id === item.unit_id));
});

test('inspections score the four dimensions with findings; one is not yet published', async () => {
  const c = await campaignOf();
  const { items } = await all(office, `/api/v1/campaigns/${c.id}/inspections`);
  assert.ok(items.length >= 2 && items.length <= 4, `${items.length} inspections`);
  for (const i of items) {
    for (const k of ['leadership', 'negotiation', 'funds', 'progress']) {
      assert.ok(i[`${k}_score`] >= 0 && i[`${k}_score`] <= 100, `${k} score`);
      assert.ok(i[`${k}_findings`], `${k} findings`);
    }
    assert.ok(i.findings && i.inspectors && i.date <= DEMO_AS_OF && i.date >= c.start_date);
    assert.ok(i.leadership_evidence?.reports_due >= 1);
  }
  const hidden = items.filter((i) => !i.published);
  assert.equal(hidden.length, 1);
  const head = await one(db, `SELECT login FROM users WHERE unit_id = ${hidden[0].unit_id} AND role = 'unit_head' LIMIT 1`);
  const unit = await server.login(head);
  assert.equal((await unit.get(`/api/v1/inspections/${hidden[0].id}`)).status, 404, 'an unpublished inspection is the office\'s');
});

test('bulletins 第1期 and 第2期 published from frozen figures, 第3期 a draft; leaders\' instructions', async () => {
  const c = await campaignOf();
  const { items } = await all(office, `/api/v1/campaigns/${c.id}/bulletins`);
  const n = Object.fromEntries(items.map((b) => [b.number, b]));
  assert.equal(n[1]?.status, 'published');
  assert.equal(n[2]?.status, 'published');
  assert.equal(n[3]?.status, 'draft');
  assert.equal(n[1].period_start, c.start_date);
  assert.equal(day(n[2].period_start), day(n[1].period_end) + 1);
  assert.equal(day(n[3].period_start), day(n[2].period_end) + 1);
  for (const b of items) {
    assert.ok(b.period_end < DEMO_AS_OF, `bulletin ${b.number} period`);
    if (b.status === 'published') assert.ok(b.published_on > b.period_end && b.published_on <= DEMO_AS_OF && b.sha256);
    const snap = (await sql(db, `SELECT as_of FROM snapshots WHERE id = ${b.snapshot_id}`))[0];
    assert.equal(snap.as_of, b.period_end, `bulletin ${b.number}: figures frozen as of its period end`);
    assert.ok(b.highlights_text && b.closing, `bulletin ${b.number}: the office's text`);
  }
  const print = await office.get(`/api/v1/bulletins/${n[1].id}/print`);
  assert.equal(print.status, 200);
  assert.match(print.body, /第1期/);
  assert.doesNotMatch(print.body, /草稿/);
  // Everyone reads the published ones; the draft stays with the office.
  const staff = await server.login('nyj.staff1');
  const seen = await all(staff, `/api/v1/campaigns/${c.id}/bulletins`);
  assert.deepEqual(seen.items.map((b) => b.number).sort(), [1, 2]);
  assert.equal((await staff.get(`/api/v1/bulletins/${n[1].id}/print`)).status, 200);
  const leader = await server.login('leader');
  const onBulletin = await leader.get(`/api/v1/bulletins/${n[1].id}/instructions`);
  assert.equal(onBulletin.status, 200);
  assert.ok(onBulletin.body.items.length >= 1 && onBulletin.body.items[0].text);
  const onReports = await sql(db, `SELECT x.weekly_report_id, x.created_at, r.submitted_at FROM instructions x
    JOIN weekly_reports r ON r.id = x.weekly_report_id`);
  assert.ok(onReports.length >= 1, 'an instruction on a weekly report');
  for (const x of onReports) assert.ok(x.created_at >= x.submitted_at);
  const read = await leader.get(`/api/v1/weekly-reports/${onReports[0].weekly_report_id}/instructions`);
  assert.ok(read.body.items.length >= 1);
});

test('admonition proposals of the bulletins: approved, one dismissed with a note, talks held', async () => {
  const c = await campaignOf();
  const { items } = await all(office, `/api/v1/campaigns/${c.id}/proposals`);
  assert.ok(items.length >= 5);
  assert.ok(items.every((p) => p.outcome === 'admonition' && p.bulletin_id), 'all from the bulletins\' rule');
  const bulletins = Object.fromEntries((await sql(db, 'SELECT id, status, published_on FROM bulletins')).map((b) => [b.id, b]));
  const approved = items.filter((p) => p.status === 'approved');
  const dismissed = items.filter((p) => p.status === 'dismissed');
  assert.ok(approved.length >= 3, `${approved.length} approved`);
  assert.equal(dismissed.length, 1);
  assert.ok(dismissed[0].note);
  for (const p of [...approved, ...dismissed]) {
    assert.equal(bulletins[p.bulletin_id].status, 'published');
    assert.ok(p.decided_on >= bulletins[p.bulletin_id].published_on && p.decided_on <= DEMO_AS_OF);
  }
  assert.ok(items.filter((p) => p.status === 'proposed').every((p) => bulletins[p.bulletin_id].status === 'draft'),
    'only the draft\'s proposals wait');
  const talks = (await all(office, '/api/v1/admonitions')).items;
  assert.ok(talks.length >= 1);
  for (const t of talks) {
    const p = approved.find((x) => x.id === t.proposal_id);
    assert.ok(p && p.unit_id === t.unit_id, `talk ${t.id} follows an approved proposal for its unit`);
    assert.ok(t.date >= p.decided_on && t.date <= DEMO_AS_OF && t.leader && t.head_name && t.notes);
  }
  // A unit sees its own approved proposals and talks only.
  const unit = approved.find((p) => talks.some((t) => t.unit_id === p.unit_id)).unit_id;
  const head = await server.login(await one(db, `SELECT login FROM users WHERE unit_id = ${unit} AND role = 'unit_head' LIMIT 1`));
  const own = await all(head, `/api/v1/campaigns/${c.id}/proposals`);
  assert.ok(own.total >= 1 && own.items.every((p) => p.unit_id === unit && p.status === 'approved'));
  assert.ok((await all(head, '/api/v1/admonitions')).items.every((t) => t.unit_id === unit));
});

test('team rosters: members with their work, and whom to keep or add', async () => {
  const team = await one(db, `SELECT t.id FROM teams t JOIN units u ON u.id = t.unit_id WHERE u.name = '市工业和信息化局'`);
  const r = await office.get(`/api/v1/teams/${team}/roster`);
  assert.equal(r.status, 200);
  assert.ok(r.body.members.filter((m) => m.in_team).length >= 3);
  assert.ok(r.body.members.some((m) => m.proposal === 'keep' && m.leads + m.followed > 0));
  assert.ok(await one(db, 'SELECT COUNT(DISTINCT unit_id) FROM teams') >= 5);
});

test('nothing of the working rhythm is dated after today', async () => {
  const late = await one(db, `SELECT
      (SELECT COUNT(*) FROM weekly_reports WHERE week_start > '${DEMO_AS_OF}' OR reviewed_on > '${DEMO_AS_OF}'
         OR substr(submitted_at, 1, 10) > '${DEMO_AS_OF}')
    + (SELECT COUNT(*) FROM coordination_items WHERE closed_on > '${DEMO_AS_OF}' OR last_reminded_on > '${DEMO_AS_OF}')
    + (SELECT COUNT(*) FROM inspections WHERE date > '${DEMO_AS_OF}')
    + (SELECT COUNT(*) FROM bulletins WHERE period_end >= '${DEMO_AS_OF}' OR published_on > '${DEMO_AS_OF}')
    + (SELECT COUNT(*) FROM proposals WHERE decided_on > '${DEMO_AS_OF}')
    + (SELECT COUNT(*) FROM admonitions WHERE date > '${DEMO_AS_OF}')
    + (SELECT COUNT(*) FROM audit_log WHERE substr(at, 1, 10) > '${DEMO_AS_OF}')`);
  assert.equal(late, 0);
  // Written through the engine: each step audited.
  const n = Object.fromEntries((await sql(db, `SELECT entity || ':' || action AS k, COUNT(*) AS n FROM audit_log
    WHERE entity IN ('weekly-reports', 'coordination-items', 'bulletins', 'proposals') GROUP BY 1`)).map((x) => [x.k, x.n]));
  assert.equal(n['weekly-reports:submit'], await one(db, "SELECT COUNT(*) FROM weekly_reports WHERE status <> 'draft'"));
  assert.equal(n['weekly-reports:review'], await one(db, "SELECT COUNT(*) FROM weekly_reports WHERE status = 'reviewed'"));
  assert.equal(n['coordination-items:closed'], await one(db, "SELECT COUNT(*) FROM coordination_items WHERE status = 'closed'"));
  assert.equal(n['bulletins:publish'], 2);
  assert.equal(n['proposals:dismiss'], 1);
});

/** sha256 of every business table, without times, password hashes and the audit log (nor a
 * bulletin's audit_head: the chain's hashes cover the entries' times). */
async function businessDump(file) {
  const skip = new Set(['audit_log', 'meta', 'sessions', 'api_tokens', 'login_failures', 'login_events', 'password_history']);
  const tables = (await sql(file, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"))
    .map((t) => t.name).filter((t) => !skip.has(t));
  const out = {};
  for (const t of tables) {
    const cols = (await sql(file, `PRAGMA table_info(${t})`)).map((c) => c.name)
      .filter((c) => !/_at$|_unix$/.test(c) && c !== 'password_hash' && c !== 'audit_head');
    const rows = await sql(file, `SELECT ${cols.map((c) => `"${c}"`).join(', ')} FROM ${t} ORDER BY ${cols.map((_, i) => i + 1).join(', ')}`);
    out[t] = `${rows.length}:${createHash('sha256').update(JSON.stringify(rows)).digest('hex')}`;
  }
  return out;
}

test('same --as-of, same city; another --as-of moves the campaign with it', async () => {
  const d = tempDir();
  try {
    const again = join(d, 'again.db');
    const spring = join(d, 'spring.db');
    // Two builds at once; --as-of alone (no HUIZHAN_TODAY) must be enough.
    const env = { HUIZHAN_TODAY: '' };
    const [a, b] = await Promise.all([
      run(['demo', '--db', again, '--password', DEMO_PASSWORD, '--as-of', DEMO_AS_OF], { env }),
      run(['demo', '--db', spring, '--password', DEMO_PASSWORD, '--as-of', '2027-01-25'], { env }),
    ]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.match(a.stdout, /演示城市已创建/);
    assert.deepEqual(await businessDump(again), await businessDump(db));
    // 2027-01-25 is day 60; January ends too soon, so the month-end checkpoint is in February.
    const c = (await sql(spring, 'SELECT start_date, end_date FROM campaigns'))[0];
    assert.equal(day('2027-01-25') - day(c.start_date) + 1, 60);
    const cps = Object.fromEntries((await sql(spring, 'SELECT kind, date FROM checkpoints')).map((r) => [r.kind, r.date]));
    assert.equal(cps.month_end, '2027-02-28');
    assert.ok(cps.fair > '2027-01-25' && cps.fair < cps.month_end);
    assert.equal(await one(spring, "SELECT COUNT(*) FROM funds WHERE date > '2027-01-25'"), 0);
    assert.ok(await one(spring, 'SELECT COUNT(*) FROM projects') >= 300);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('without --as-of (as `make run` builds it) today is day 60: HUIZHAN_TODAY=2027-03-15', async () => {
  const d = tempDir();
  try {
    const file = join(d, 'today.db');
    const r = await run(['demo', '--db', file, '--password', DEMO_PASSWORD], { env: { HUIZHAN_TODAY: '2027-03-15' } });
    assert.equal(r.code, 0, r.stderr);
    // Day 60 on 03-15: the start is 59 days before, 2027-01-15 (16 days of January after it,
    // 28 of February, 15 of March); the 100th day is 40 days after 03-15, 2027-04-24.
    assert.deepEqual((await sql(file, 'SELECT start_date, end_date FROM campaigns'))[0],
      { start_date: '2027-01-15', end_date: '2027-04-24' });
    const cps = Object.fromEntries((await sql(file, 'SELECT kind, date FROM checkpoints')).map((x) => [x.kind, x.date]));
    assert.equal(cps.month_end, '2027-03-31');
    assert.equal(cps.final, '2027-04-24');
    assert.ok(cps.fair > '2027-03-15' && cps.fair < cps.month_end, cps.fair);
    assert.equal(await one(file, "SELECT COUNT(*) FROM funds WHERE date > '2027-03-15'"), 0);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('demo refuses an existing file, a missing password and a bad date', async () => {
  const d = tempDir();
  try {
    const existing = join(d, 'existing.db');
    writeFileSync(existing, 'not a database');
    const r1 = await run(['demo', '--db', existing, '--password', DEMO_PASSWORD]);
    assert.notEqual(r1.code, 0);
    assert.equal(readFileSync(existing, 'utf8'), 'not a database', 'the existing file is left alone');
    const fresh = join(d, 'fresh.db');
    const r2 = await run(['demo', '--db', fresh]);
    assert.equal(r2.code, 2, r2.stderr);
    assert.match(r2.stderr, /password/);
    const r3 = await run(['demo', '--db', fresh, '--password', DEMO_PASSWORD, '--as-of', '2026-02-30']);
    assert.equal(r3.code, 2, r3.stderr);
    assert.ok(!existsSync(fresh), 'nothing is created on a usage error');
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});
