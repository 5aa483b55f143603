// Frozen figures (R-PROG-11, R-SEC-4) on the hand-worked fixture of progress_fixture.mjs:
// the diff of a snapshot against today shows a changed target with what it did to the
// unit's completion, status, score and ranks; snapshots cannot be changed or deleted,
// and `huizhan audit verify` names one whose figures were altered or removed behind
// huizhan's back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, run } from './lib.mjs';
import { TODAY, M, buildFixture, sql, ok } from './progress_fixture.mjs';

let server;
let f;
let snap;

before(async () => {
  server = await startServer({ env: { HUIZHAN_TODAY: TODAY } });
  f = await buildFixture(server);
  snap = ok(await f.office.post(`/api/v1/campaigns/${f.c}/snapshots`, { as_of: TODAY, label: '目标调整前' }), 201);
});
after(async () => {
  assert.deepEqual(await server.stop(), { code: 0, signal: null }, server.log());
});

const uname = (id) => `U${Object.entries(f.u).find(([, v]) => v === id)[0]}`;
const verify = () => run(['audit', 'verify', '--db', server.db]);

test('a target changed after the freeze: its line, and what it did to completion, status, score and ranks', async () => {
  const fresh = ok(await f.office.get(`/api/v1/snapshots/${snap.id}/diff`));
  assert.deepEqual([fresh.changed, fresh.changes, fresh.standings], [false, [], []]);

  // U4's policy funds target 20M → 27.5M. Certified 13.75M (F8), reported 21.75M (F8 + F9 8M).
  const t = (ok(await f.office.get(`/api/v1/campaigns/${f.c}/targets?unit_id=${f.u[4]}&metric=policy_funds`))).items
    .find((x) => x.scope === 'campaign' && x.section_id === null && x.user_id === null);
  assert.equal(t.value, 20 * M);
  ok(await f.office.patch(`/api/v1/targets/${t.id}`, { version: t.version, value: 27_500_000 }));

  const d = ok(await f.office.get(`/api/v1/snapshots/${snap.id}/diff`));
  assert.equal(d.changed, true);
  assert.deepEqual(d.changes.filter((c) => c.metric !== 'rank').map((c) => [uname(c.unit_id), c.metric,
    c.frozen_target, c.current_target, c.frozen_certified, c.current_certified, c.frozen_reported, c.current_reported]),
  [['U4', 'policy_funds', 20 * M, 27_500_000, 13_750_000, 13_750_000, 21_750_000, 21_750_000]]);
  // Completion 13.75 / 20 = 68.75 % → 13.75 / 27.5 = 50 %. Today is day 76 of 100 (76 %, behind below
  // 66): on_track → behind. Score (weights policy 40 + visits_out, visits_in, fairs 5 each, U4 has no
  // activity): 40 × 0.6875 / 55 = 50 → 40 × 0.5 / 55 = 36.36. Overall U1 72.86, U2 50, U3 46.43: U4
  // falls from 3rd to 4th and U3 rises from 4th to 3rd; each is still first in its own category.
  // U3 keeps its completion (funds 10/40 = 25 % at weight 40, signed value 80/100 capped to its
  // 100 % share… weighted as the board does: (40 × 25 + 15 × 100) / 55 = 45.45) and status.
  assert.deepEqual(d.standings.map((s) => [uname(s.unit_id), s.frozen, s.current]), [
    ['U3', { status: 'behind', completion: 45.45, score: 46.43, rank: 4, category_rank: 1 },
      { status: 'behind', completion: 45.45, score: 46.43, rank: 3, category_rank: 1 }],
    ['U4', { status: 'on_track', completion: 68.75, score: 50, rank: 3, category_rank: 1 },
      { status: 'behind', completion: 50, score: 36.36, rank: 4, category_rank: 1 }],
  ]);
  assert.deepEqual(d.changes.filter((c) => c.metric === 'rank').map((c) => [uname(c.unit_id), c.frozen_rank, c.current_rank]),
    [['U3', 4, 3], ['U4', 3, 4]]);
  // What was frozen is as it was.
  const s = ok(await f.office.get(`/api/v1/snapshots/${snap.id}`));
  assert.equal(s.figures.progress.units.find((u) => u.unit_id === f.u[4]).metrics.policy_funds.target, 20 * M);
});

test('a snapshot can neither be changed nor deleted, even in SQL', async () => {
  assert.throws(() => sql(server.db, `UPDATE snapshots SET figures = '{}' WHERE id = ${snap.id}`), /snapshots are frozen/);
  assert.throws(() => sql(server.db, `DELETE FROM snapshots WHERE id = ${snap.id}`), /snapshots are frozen/);
  assert.equal(sql(server.db, `SELECT COUNT(*) FROM snapshots WHERE id = ${snap.id}`)[0][0], '1');
  const v = await verify();
  assert.deepEqual([v.code, v.stdout.trim()], [0, 'ok'], v.stderr);
});

test('audit verify names a snapshot that was deleted, then one whose figures were altered', async () => {
  // verify names the first problem it finds; one at a time here.
  const other = ok(await f.office.post(`/api/v1/campaigns/${f.c}/snapshots`, { as_of: '2026-09-30', label: '九月底' }), 201);
  // Someone with the database file drops the guards and deletes it…
  sql(server.db, 'DROP TRIGGER snapshots_no_delete');
  sql(server.db, `DELETE FROM snapshots WHERE id = ${other.id}`);
  let v = await verify();
  assert.notEqual(v.code, 0);
  assert.match(v.stderr, new RegExp(`snapshots ${other.id}: the frozen figures were deleted`));
  // …or rewrites U1's frozen certified funds (90M) in the other one.
  sql(server.db, 'DROP TRIGGER snapshots_no_update');
  sql(server.db, `INSERT INTO snapshots SELECT ${other.id}, campaign_id, as_of, label, created_at, created_by, figures, sha256 FROM snapshots WHERE id = ${snap.id}`);
  sql(server.db, `UPDATE snapshots SET figures = replace(figures, '"certified":90000000', '"certified":99000000') WHERE id = ${snap.id}`);
  assert.notEqual(sql(server.db, `SELECT instr(figures, '"certified":99000000') FROM snapshots WHERE id = ${snap.id}`)[0][0], '0');
  v = await verify();
  assert.notEqual(v.code, 0);
  assert.match(v.stderr, new RegExp(`snapshots ${snap.id}: the frozen figures no longer match their SHA-256`));
  // Rewriting the row's own hash too does not help: the log keeps the one it was created with.
  const [[text]] = sql(server.db, `SELECT figures FROM snapshots WHERE id = ${snap.id}`);
  const { createHash } = await import('node:crypto');
  sql(server.db, `UPDATE snapshots SET sha256 = '${createHash('sha256').update(text).digest('hex')}' WHERE id = ${snap.id}`);
  v = await verify();
  assert.match(v.stderr, new RegExp(`snapshots ${snap.id}: the frozen figures no longer match their SHA-256`));
  // Figures that no longer even read as JSON are named the same way (and verify does not crash).
  sql(server.db, `UPDATE snapshots SET figures = 'xx' WHERE id = ${snap.id}`);
  v = await verify();
  assert.equal(v.code, 1, v.stderr);
  assert.match(v.stderr, new RegExp(`snapshots ${snap.id}: the frozen figures no longer match their SHA-256`));
});
