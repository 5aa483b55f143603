// `huizhan check` (R-PROG-12, docs/figures.md "Checking the figures"): it recomputes, from
// the raw records alone, every project's figures, its last activity date, the campaign and
// unit copied onto its records, and every unit sum — and names each difference with its
// project or unit, metric and date. Each corruption below is made behind the engine's back
// with the sqlite3 CLI on the hand-worked fixture of progress_fixture.mjs, then undone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib.mjs';
import { TODAY, M, buildFixture, sql, checkFails, checkOk } from './progress_fixture.mjs';

let server;
let f;
const env = { HUIZHAN_TODAY: TODAY };

before(async () => {
  server = await startServer({ env });
  f = await buildFixture(server);
});
after(async () => { await server.stop(); });

const expectDiffs = (lines) => checkFails(server.db, lines);
const expectOk = () => checkOk(server.db);

test('ok on the fixture as built', expectOk);

test('a wrong last activity date (it drives the stale list) is named, as a date', async () => {
  // P5 食品加工项目: lead 08-20 and no follow-up since, so its last activity is 08-20.
  sql(server.db, `UPDATE projects SET last_activity_date = '2026-10-01' WHERE id = ${f.p[5]}`);
  await expectDiffs([`project ${f.p[5]}: last_activity_date is 2026-10-01, its lead date and follow-ups give 2026-08-20`]);
  sql(server.db, `UPDATE projects SET last_activity_date = '2026-08-20' WHERE id = ${f.p[5]}`);
  await expectOk();
});

test('a stage change or fund carrying another unit than its project (the queue filters on it) is named', async () => {
  // SC2 (P1 → signed), F3 (P2) and FU4 (P4) belong to U1, the lead unit of P1, P2 and P4.
  sql(server.db, `UPDATE stage_changes SET unit_id = ${f.u[2]} WHERE id = ${f.sc[2]}`);
  sql(server.db, `UPDATE funds SET unit_id = ${f.u[3]} WHERE id = ${f.fund[3]}`);
  sql(server.db, `UPDATE follow_ups SET unit_id = ${f.u[4]} WHERE id = ${f.fu[4]}`);
  await expectDiffs([
    `stage change ${f.sc[2]} of project ${f.p[1]}: unit_id is ${f.u[2]}, the project's lead unit is ${f.u[1]}`,
    `fund ${f.fund[3]} of project ${f.p[2]}: unit_id is ${f.u[3]}, the project's lead unit is ${f.u[1]}`,
    `follow-up ${f.fu[4]} of project ${f.p[4]}: unit_id is ${f.u[4]}, the project's lead unit is ${f.u[1]}`,
  ]);
  sql(server.db, `UPDATE stage_changes SET unit_id = ${f.u[1]} WHERE id = ${f.sc[2]}`);
  sql(server.db, `UPDATE funds SET unit_id = ${f.u[1]} WHERE id = ${f.fund[3]}`);
  sql(server.db, `UPDATE follow_ups SET unit_id = ${f.u[1]} WHERE id = ${f.fu[4]}`);
  await expectOk();
});

test('a changed record: the project, its metric and date, and the unit sums against the recomputation', async () => {
  // F3: 30M out_of_city on 09-20, certified, P2 of U1. One yuan more in the record only:
  // the stored project figure and the stored sums still agree with each other, but not
  // with the records. U1's funds_arrived that day is F3 alone (30M); in total F1 60M c +
  // F2 20M r + F3 30M c = 110M reported, 90M certified. What P2 (started) has still to
  // receive drops by the yuan too: contract 60M − 30M arrived = 30M, now 29,999,999; U1's
  // started pipeline is that and P1's 150M − (60M + 20M) = 70M: 100M, now 99,999,999.
  sql(server.db, `UPDATE funds SET amount = amount + 1 WHERE id = ${f.fund[3]}`);
  const day = `daily sum of campaign ${f.c} unit ${f.u[1]} funds_arrived on 2026-09-20: stored reported ${30 * M} certified ${30 * M}, recomputed reported ${30 * M + 1} certified ${30 * M + 1}`;
  const total = `total of campaign ${f.c} unit ${f.u[1]} funds_arrived: stored reported ${110 * M} certified ${90 * M}, recomputed reported ${110 * M + 1} certified ${90 * M + 1}`;
  const pipeline = [
    `daily sum of campaign ${f.c} unit ${f.u[1]} pipeline_value_started as it stands: stored reported ${100 * M} certified ${100 * M}, recomputed reported ${100 * M - 1} certified ${100 * M - 1}`,
    `total of campaign ${f.c} unit ${f.u[1]} pipeline_value_started: stored reported ${100 * M} certified ${100 * M}, recomputed reported ${100 * M - 1} certified ${100 * M - 1}`,
  ];
  await expectDiffs([
    `project ${f.p[2]}: stored figures differ from its records: funds_arrived on 2026-09-20 (unit ${f.u[1]}): stored reported ${30 * M} certified ${30 * M}, recomputed reported ${30 * M + 1} certified ${30 * M + 1}`,
    `project ${f.p[2]}: stored figures differ from its records: pipeline_value_started as it stands (unit ${f.u[1]}): stored reported ${30 * M} certified ${30 * M}, recomputed reported ${30 * M - 1} certified ${30 * M - 1}`,
    day, total, ...pipeline,
  ]);
  // The project's stored figure brought in line too: the sums are still wrong, because
  // they are compared with the records, not with the stored project figures.
  sql(server.db, `UPDATE project_figures SET reported = reported + 1, certified = certified + 1 WHERE project_id = ${f.p[2]} AND metric = 'funds_arrived'`);
  sql(server.db, `UPDATE project_figures SET reported = reported - 1, certified = certified - 1 WHERE project_id = ${f.p[2]} AND metric = 'pipeline_value_started'`);
  await expectDiffs([day, total, ...pipeline]);
  sql(server.db, `UPDATE project_figures SET reported = reported - 1, certified = certified - 1 WHERE project_id = ${f.p[2]} AND metric = 'funds_arrived'`);
  sql(server.db, `UPDATE project_figures SET reported = reported + 1, certified = certified + 1 WHERE project_id = ${f.p[2]} AND metric = 'pipeline_value_started'`);
  sql(server.db, `UPDATE funds SET amount = amount - 1 WHERE id = ${f.fund[3]}`);
  await expectOk();
});

test('a stored sum with no records behind it, and figures of a project that does not exist', async () => {
  // U4 has no signing on 2026-09-01: a stored daily row there is wrong by all of itself.
  const d = Number(sql(server.db, "SELECT CAST(julianday('2026-09-01') - 2440587.5 AS INTEGER)")[0][0]);
  sql(server.db, `INSERT INTO unit_figures VALUES (${f.c}, ${f.u[4]}, 'signed_count', ${d}, 2, 1)`);
  sql(server.db, `INSERT INTO project_figures VALUES (99999, ${f.c}, ${f.u[4]}, 'leads_count', ${d}, 1, 1)`);
  await expectDiffs([
    `daily sum of campaign ${f.c} unit ${f.u[4]} signed_count on 2026-09-01: stored reported 2 certified 1, recomputed reported 0 certified 0`,
    `project 99999: stored figures differ from its records (no such project): leads_count on 2026-09-01 (unit ${f.u[4]}): stored reported 1 certified 1, recomputed reported 0 certified 0`,
  ]);
  sql(server.db, `DELETE FROM unit_figures WHERE unit_id = ${f.u[4]} AND metric = 'signed_count' AND day = ${d}`);
  sql(server.db, 'DELETE FROM project_figures WHERE project_id = 99999');
  await expectOk();
});
