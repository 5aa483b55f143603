// Where the figures machinery keeps what it computes (docs/figures.md "How it stays fast"):
// the stays behind the funnel's median days in project_stays / unit_stays /
// unit_stay_totals (stage and length as columns), and the figures a single record feeds in
// project_figures. Every expected row is worked out by hand from the fixture table of
// progress_fixture.mjs and read back with the sqlite3 CLI; none is computed by the code.
// Last, schema 5's migration is run on the same data packed the old way (days_lead:31).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, serveDb, run, tempDir, ADMIN_PASSWORD } from './lib.mjs';
import { TODAY, M, PASSWORD, buildFixture, sql, checkFails, checkOk, ok } from './progress_fixture.mjs';

let server;
let f;
let admin;
const env = { HUIZHAN_TODAY: TODAY };

before(async () => {
  server = await startServer({ env });
  f = await buildFixture(server);
  admin = f.admin;
});
after(async () => { await server.stop(); });

/** The day number the engine stores for a date (days since 1970-01-01). */
const day = (date) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

// Every stay of the fixture, by hand: [P, U, stage, days, the date it ended (the next standing move)].
//   P1  lead 08-03 → SC1 08-10 = 7; negotiating 08-10 → SC2 08-25 = 15; signed 08-25 → SC3 09-15 = 21
//   P2  lead 08-05 → SC4 09-05 = 31 (lead → started in one move: one stay, in lead)
//   P3  lead 08-10 → SC5 08-26 = 16; negotiating 08-26 → SC6 09-25 = 30 (SC6 reported: it still ends the stay)
//   P4  lead 09-01 → SC7 09-10 = 9
//   P6  lead 08-02 → SC8 08-14 = 12; negotiating → SC9 09-10 = 27; signed → SC10 10-01 = 21; started → SC11 10-12 = 11
//   P7  lead 08-15 → SC12 08-28 = 13 (SC13 is rejected: P7's negotiating has not ended)
//   P8  lead 08-05 → SC14 08-13 = 8; negotiating 08-13 → SC15 dropped 09-05 = 23
//   P9  lead 08-01 → SC16 08-20 = 19
//   P10 lead 09-01 → SC17 09-15 = 14; negotiating 09-15 → SC19 09-22 = 7
//   P12 lead 08-10 → SC18 08-22 = 12
//   P5, P11, P13 never moved: no stay has ended.
const STAYS = [
  [1, 1, 'lead', 7, '2026-08-10'], [1, 1, 'negotiating', 15, '2026-08-25'], [1, 1, 'signed', 21, '2026-09-15'],
  [2, 1, 'lead', 31, '2026-09-05'],
  [3, 1, 'lead', 16, '2026-08-26'], [3, 1, 'negotiating', 30, '2026-09-25'],
  [4, 1, 'lead', 9, '2026-09-10'],
  [6, 2, 'lead', 12, '2026-08-14'], [6, 2, 'negotiating', 27, '2026-09-10'], [6, 2, 'signed', 21, '2026-10-01'],
  [6, 2, 'started', 11, '2026-10-12'],
  [7, 2, 'lead', 13, '2026-08-28'],
  [8, 2, 'lead', 8, '2026-08-13'], [8, 2, 'negotiating', 23, '2026-09-05'],
  [9, 3, 'lead', 19, '2026-08-20'],
  [10, 3, 'lead', 14, '2026-09-15'], [10, 3, 'negotiating', 7, '2026-09-22'],
  [12, 4, 'lead', 12, '2026-08-22'],
];
const byText = (a, b) => (a.join('|') < b.join('|') ? -1 : a.join('|') > b.join('|') ? 1 : 0);
const rows = (q) => sql(server.db, q).sort(byText);

test('project_stays holds each stay with its stage, length and end day, one row per stay', async () => {
  const expected = STAYS.map(([p, u, stage, days, ended]) =>
    [String(f.p[p]), String(f.c), String(f.u[u]), stage, String(days), String(day(ended)), '1']);
  assert.deepEqual(rows('SELECT project_id, campaign_id, unit_id, stage, days, day, stays FROM project_stays'),
    expected.sort(byText));
  // Nothing of the kind is left packed into a metric's name.
  assert.deepEqual(sql(server.db, "SELECT COUNT(*) FROM project_figures WHERE metric LIKE 'days%'"), [['0']]);
  assert.deepEqual(sql(server.db, "SELECT COUNT(*) FROM unit_figures WHERE metric LIKE 'days%'"), [['0']]);
  assert.deepEqual(sql(server.db, "SELECT COUNT(*) FROM unit_totals WHERE metric LIKE 'days%'"), [['0']]);
});

test('unit_stays and unit_stay_totals count the stays per unit, stage, length (and end day)', async () => {
  // By day, no two stays of the fixture share unit, stage, length and end day, so each is one row.
  // A sum that went back to 0 may keep its row, as with unit_figures: P7's negotiating 08-28 → SC13
  // 09-30 (33 days) counted until SC13 was rejected. Rows of 0 count nowhere.
  assert.deepEqual(rows(`SELECT stays FROM unit_stays WHERE unit_id = ${f.u[2]} AND stage = 'negotiating' AND days = 33`), [['0']]);
  assert.deepEqual(rows('SELECT campaign_id, unit_id, stage, days, day, stays FROM unit_stays WHERE stays <> 0'),
    STAYS.map(([, u, stage, days, ended]) => [String(f.c), String(f.u[u]), stage, String(days), String(day(ended)), '1'])
      .sort(byText));
  // Over all days: no unit has two stays of one length in one stage, so each is one row too:
  // U1 lead 7 9 16 31, negotiating 15 30, signed 21; U2 lead 8 12 13, negotiating 23 27, signed 21,
  // started 11; U3 lead 14 19, negotiating 7; U4 lead 12.
  const totals = [
    [1, 'lead', 7], [1, 'lead', 9], [1, 'lead', 16], [1, 'lead', 31], [1, 'negotiating', 15], [1, 'negotiating', 30],
    [1, 'signed', 21],
    [2, 'lead', 8], [2, 'lead', 12], [2, 'lead', 13], [2, 'negotiating', 23], [2, 'negotiating', 27],
    [2, 'signed', 21], [2, 'started', 11],
    [3, 'lead', 14], [3, 'lead', 19], [3, 'negotiating', 7],
    [4, 'lead', 12],
  ];
  assert.deepEqual(rows('SELECT campaign_id, unit_id, stage, days, stays FROM unit_stay_totals WHERE stays <> 0'),
    totals.map(([u, stage, days]) => [String(f.c), String(f.u[u]), stage, String(days), '1']).sort(byText));

  // A second stay of one length for one unit adds to the count instead of making a row: a new U1
  // project, lead 09-20, signed 09-29 (9 days in lead, like P4's), ending on another day.
  const p = ok(await admin.post('/api/v1/projects', {
    campaign_id: f.c, name: '第二个九天项目', lead_unit_id: f.u[1], category: 'industrial', method: 'industry',
    planned_investment: 1 * M, lead_date: '2026-09-20',
  }), 201);
  const sc = ok(await admin.post(`/api/v1/projects/${p.id}/stage-changes`,
    { to_stage: 'signed', date: '2026-09-29', contract_date: '2026-09-29', contract_value: 1 * M }), 201);
  assert.deepEqual(sql(server.db, `SELECT stays FROM unit_stay_totals WHERE unit_id = ${f.u[1]} AND stage = 'lead' AND days = 9`),
    [['2']]);
  assert.deepEqual(rows(`SELECT day, stays FROM unit_stays WHERE unit_id = ${f.u[1]} AND stage = 'lead' AND days = 9`),
    [[String(day('2026-09-10')), '1'], [String(day('2026-09-29')), '1']]);
  // A rejected move counts nowhere: the stay goes back out of both (the rows stay, at 0).
  // Admin entered it, so another office user rejects it (maker-checker, R-PROG-13).
  const checker = await server.login('office1', PASSWORD);
  ok(await checker.post(`/api/v1/stage-changes/${sc.id}/reject`, { reason: '合同未盖章' }), 200, 'reject the move');
  assert.deepEqual(sql(server.db, `SELECT stays FROM unit_stay_totals WHERE unit_id = ${f.u[1]} AND stage = 'lead' AND days = 9`),
    [['1']]);
  assert.deepEqual(rows(`SELECT day, stays FROM unit_stays WHERE unit_id = ${f.u[1]} AND stage = 'lead' AND days = 9`),
    [[String(day('2026-09-10')), '1'], [String(day('2026-09-29')), '0']]);
  assert.deepEqual(sql(server.db, `SELECT COUNT(*) FROM project_stays WHERE project_id = ${p.id}`), [['0']]);
});

/** The median of stays [[days, count]] as docs/figures.md defines it (even counts: the middle two). */
function median(pairs) {
  const all = pairs.flatMap(([d, n]) => Array(n).fill(d)).sort((a, b) => a - b);
  if (!all.length) return null;
  return (all[Math.floor((all.length - 1) / 2)] + all[Math.floor(all.length / 2)]) / 2;
}

test("the stays columns give the funnel's median days, today and as of a past day", async () => {
  // By hand from STAYS: U1 lead 7 9 16 31 → (9+16)/2 = 12.5, negotiating 15 30 → 22.5, signed 21;
  // the campaign: lead 7 8 9 12 12 | 13 14 16 19 31 → 12.5, negotiating 7 15 23 27 30 → 23.
  const fn = ok(await admin.get(`/api/v1/campaigns/${f.c}/funnel`));
  const u1 = fn.units.find((u) => u.unit_id === f.u[1]).stages.map((s) => s.median_days);
  assert.deepEqual(u1, [12.5, 22.5, 21, null, null]);
  assert.deepEqual(fn.stages.map((s) => s.median_days), [12.5, 23, 21, 11, null]);
  // The same medians straight from the table's columns, with no name to take apart.
  const fromTable = (stage, where = '') => median(sql(server.db,
    `SELECT days, SUM(stays) FROM unit_stays WHERE stage = '${stage}' ${where} GROUP BY days`).map(([d, n]) => [Number(d), Number(n)]));
  assert.deepEqual(['lead', 'negotiating', 'signed', 'started'].map((s) => fromTable(s)), [12.5, 23, 21, 11]);
  assert.deepEqual(['lead', 'negotiating', 'signed'].map((s) => fromTable(s, `AND unit_id = ${f.u[1]}`)), [12.5, 22.5, 21]);
  // As of 08-31 only the stays ended by then: lead 7 8 12 12 13 16 19 → 12; negotiating 15 (P1).
  const early = ok(await admin.get(`/api/v1/campaigns/${f.c}/funnel?as_of=2026-08-31`));
  assert.deepEqual(early.stages.map((s) => s.median_days), [12, 15, null, null, null]);
  const until = `AND day <= ${day('2026-08-31')}`;
  assert.deepEqual(['lead', 'negotiating', 'signed'].map((s) => fromTable(s, until)), [12, 15, null]);
  // After the end of a campaign that is over the board reads the totals less what came after;
  // here nothing did (the end is 11-08, today 10-15), so the same as today.
  const late = ok(await admin.get(`/api/v1/campaigns/${f.c}/funnel?as_of=2026-12-31`));
  assert.deepEqual(late.stages.map((s) => s.median_days), [12.5, 23, 21, 11, null]);
});

test('after a campaign is over its medians are those of the end day: a stay ended later does not count', async () => {
  // A copy of the fixture served on 2026-12-31, after the end (11-08). P4 (U1) has negotiated since
  // 09-10; it signs on 11-20: a negotiating stay of 71 days, ended after the end. As of 12-31 the
  // board reads the totals less what came after the end, so the negotiating median stays
  // 7 15 23 27 30 → 23 (with the 71 it would be (23+27)/2 = 25), and U1's 15 30 → 22.5.
  const copy = join(tempDir(), 'over.db');
  sql(server.db, `VACUUM INTO '${copy}'`);
  const later = { HUIZHAN_TODAY: '2026-12-31' };
  const s2 = await serveDb(copy, { env: later });
  try {
    const c = await s2.login('admin', ADMIN_PASSWORD);
    ok(await c.post(`/api/v1/projects/${f.p[4]}/stage-changes`,
      { to_stage: 'signed', date: '2026-11-20', contract_date: '2026-11-20', contract_value: 1 * M }), 201);
    assert.deepEqual(sql(copy, `SELECT days, day FROM unit_stays WHERE unit_id = ${f.u[1]} AND stage = 'negotiating' AND days = 71`),
      [['71', String(day('2026-11-20'))]]);
    const fn = ok(await c.get(`/api/v1/campaigns/${f.c}/funnel?as_of=2026-12-31`));
    assert.deepEqual(fn.stages.map((x) => x.median_days), [12.5, 23, 21, 11, null]);
    assert.deepEqual(fn.units.find((u) => u.unit_id === f.u[1]).stages.map((x) => x.median_days), [12.5, 22.5, 21, null, null]);
    // As of 11-20 itself the same (the day is clamped to the end), and check agrees with the sums.
    assert.deepEqual(ok(await c.get(`/api/v1/campaigns/${f.c}/funnel?as_of=2026-11-20`)).stages.map((x) => x.median_days),
      [12.5, 23, 21, 11, null]);
    const r = await run(['check', '--db', copy], { env: later });
    assert.equal(r.code, 0, r.stderr);
  } finally {
    await s2.stop();
  }
});

test('a record feeds exactly the metrics of docs/figures.md "Metrics", each on its own day', async () => {
  // P2 (U1): lead 08-05, 80M. SC4 lead → started 09-05 with contract 09-01 60M and start 09-05,
  // certified; F3 30M out_of_city 09-20 certified; no follow-up. By the table of metrics:
  //   the project:  leads_count 1 on 08-05
  //   SC4:          signed_count 1 and signed_value 60M on the contract date 09-01, started_count 1 on
  //                 09-05 (a skip passes signed); it passes negotiating, which counts from its earliest
  //                 figure (09-01); it ends the lead stay (31 days, in project_stays, not here)
  //   F3:           funds_arrived 30M on 09-20 (not policy_funds)
  //   pipeline:     started, value = contract 60M − 30M arrived = 30M, as it stands (day 0)
  const expected = [
    ['leads_count', day('2026-08-05'), 1, 1],
    ['reached_negotiating', day('2026-09-01'), 1, 1],
    ['signed_count', day('2026-09-01'), 1, 1],
    ['signed_value', day('2026-09-01'), 60 * M, 60 * M],
    ['started_count', day('2026-09-05'), 1, 1],
    ['funds_arrived', day('2026-09-20'), 30 * M, 30 * M],
    ['pipeline_started', 0, 1, 1],
    ['pipeline_value_started', 0, 30 * M, 30 * M],
  ].map((r) => r.map(String));
  assert.deepEqual(rows(`SELECT metric, day, reported, certified FROM project_figures WHERE project_id = ${f.p[2]}`),
    expected.sort(byText));

  // P12 (U4): SC18 lead → signed 08-22, contract value 0, reported (not certified); F8 13.75M policy
  // certified 09-15; F9 8M policy reported 10-08. A policy fund feeds policy_funds only; a reported
  // record counts as reported, not certified. Pipeline: signed, contract 0 → planned 5M, less no
  // non-policy funds = 5M.
  const p12 = [
    ['leads_count', day('2026-08-10'), 1, 1],
    ['reached_negotiating', day('2026-08-22'), 1, 1],
    ['signed_count', day('2026-08-22'), 1, 0],
    ['signed_value', day('2026-08-22'), 0, 0],
    ['policy_funds', day('2026-09-15'), 13_750_000, 13_750_000],
    ['policy_funds', day('2026-10-08'), 8 * M, 0],
    ['pipeline_signed', 0, 1, 1],
    ['pipeline_value_signed', 0, 5 * M, 5 * M],
  ].map((r) => r.map(String));
  assert.deepEqual(rows(`SELECT metric, day, reported, certified FROM project_figures WHERE project_id = ${f.p[12]}`),
    p12.sort(byText));

  // P1's follow-ups: FU1 08-05 outbound visit with U1's head (follow_ups, visits_out,
  // leader_follow_ups), FU2 09-10 meeting (follow_ups only).
  assert.deepEqual(rows(`SELECT metric, day, reported FROM project_figures WHERE project_id = ${f.p[1]}
      AND metric IN ('follow_ups', 'visits_out', 'visits_in', 'fairs', 'leader_follow_ups')`),
    [['follow_ups', day('2026-08-05'), 1], ['follow_ups', day('2026-09-10'), 1], ['leader_follow_ups', day('2026-08-05'), 1],
      ['visits_out', day('2026-08-05'), 1]].map((r) => r.map(String)).sort(byText));
});

const expectDiffs = (lines) => checkFails(server.db, lines);
const expectOk = () => checkOk(server.db);

test('check names a stored stay, and a unit sum of stays, that the records do not give', async () => {
  await expectOk();
  // P2's lead stay is 31 days (08-05 → 09-05); stored as 30 it is two differences.
  sql(server.db, `UPDATE project_stays SET days = 30 WHERE project_id = ${f.p[2]}`);
  await expectDiffs([
    `project ${f.p[2]}: stored figures differ from its records: days_lead:31 on 2026-09-05 (unit ${f.u[1]}):`
      + ' stored reported 0 certified 0, recomputed reported 1 certified 1',
    `project ${f.p[2]}: stored figures differ from its records: days_lead:30 on 2026-09-05 (unit ${f.u[1]}):`
      + ' stored reported 1 certified 1, recomputed reported 0 certified 0',
  ]);
  sql(server.db, `UPDATE project_stays SET days = 31 WHERE project_id = ${f.p[2]}`);
  // U1 had one 31-day lead stay, not two.
  sql(server.db, `UPDATE unit_stay_totals SET stays = 2 WHERE unit_id = ${f.u[1]} AND stage = 'lead' AND days = 31`);
  sql(server.db, `UPDATE unit_stays SET stays = 2 WHERE unit_id = ${f.u[1]} AND stage = 'lead' AND days = 31`);
  await expectDiffs([
    `total of campaign ${f.c} unit ${f.u[1]} days_lead:31: stored reported 2 certified 2, recomputed reported 1 certified 1`,
    `daily sum of campaign ${f.c} unit ${f.u[1]} days_lead:31 on 2026-09-05: stored reported 2 certified 2,`
      + ' recomputed reported 1 certified 1',
  ]);
  sql(server.db, `UPDATE unit_stay_totals SET stays = 1 WHERE unit_id = ${f.u[1]} AND stage = 'lead' AND days = 31`);
  sql(server.db, `UPDATE unit_stays SET stays = 1 WHERE unit_id = ${f.u[1]} AND stage = 'lead' AND days = 31`);
  await expectOk();
});

test("schema 5's migration moves stays packed into metric names (days_lead:31) into the new tables", async () => {
  // On a copy of the fixture's database, turned back into schema 4's shape: each stay a figure
  // days_<stage>:<n> with reported = certified = the count, and no stays tables.
  const copy = join(tempDir(), 'schema4.db');
  sql(server.db, `VACUUM INTO '${copy}'`);
  const q = (query) => sql(copy, query).sort(byText);
  const tables = ['project_stays', 'unit_stays', 'unit_stay_totals', 'project_figures', 'unit_figures', 'unit_totals'];
  const dump = () => Object.fromEntries(tables.map((t) => [t, q(`SELECT * FROM ${t}`)]));
  const before = dump();
  assert.equal(before.project_stays.length, STAYS.length);
  sql(copy, `INSERT INTO project_figures (project_id, campaign_id, unit_id, metric, day, reported, certified)
    SELECT project_id, campaign_id, unit_id, 'days_' || stage || ':' || days, day, stays, stays FROM project_stays;
    INSERT INTO unit_figures (campaign_id, unit_id, metric, day, reported, certified)
    SELECT campaign_id, unit_id, 'days_' || stage || ':' || days, day, stays, stays FROM unit_stays;
    INSERT INTO unit_totals (campaign_id, unit_id, metric, reported, certified)
    SELECT campaign_id, unit_id, 'days_' || stage || ':' || days, stays, stays FROM unit_stay_totals;
    DROP TABLE project_stays; DROP TABLE unit_stays; DROP TABLE unit_stay_totals;`);
  assert.deepEqual(q(`SELECT metric, reported FROM project_figures WHERE project_id = ${f.p[2]} AND metric LIKE 'days%'`),
    [['days_lead:31', '1']]);
  assert.deepEqual(q(`SELECT COUNT(*) FROM unit_totals WHERE metric LIKE 'days%'`), [[String(before.unit_stay_totals.length)]]);
  // The migration's own SQL, as db_migrate runs it: every row back where it was, none left packed.
  execFileSync('sqlite3', ['-batch', '-bail', copy], {
    input: readFileSync(new URL('../../src/db/migrations/0005_stays.sql', import.meta.url), 'utf8'),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  assert.deepEqual(dump(), before);
  const r = await run(['check', '--db', copy], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'ok\n');
});
