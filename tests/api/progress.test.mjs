// The progress engine (SPEC §3 R-PROG-1 … R-PROG-12) against the hand-worked fixture of
// progress_fixture.mjs. Every expected number below is written out and worked by hand
// from docs/figures.md in the comment beside it; none is computed by calling the code.
// The tests run in order on one server: first the figures of the fixture as built, then
// a snapshot, then edits that move exactly the figures they should, then the snapshot's
// diff and the engine's settings.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { run, startServer } from './lib.mjs';
import { TODAY, M, buildFixture, sql, ok, fails } from './progress_fixture.mjs';

let server;
let f;
let admin;
let snapshot; // the snapshot taken of the fixture as built

before(async () => {
  server = await startServer({ env: { HUIZHAN_TODAY: TODAY } });
  f = await buildFixture(server);
  admin = f.admin;
});
after(async () => {
  const exit = await server.stop();
  assert.deepEqual(exit, { code: 0, signal: null }, server.log());
});

const get = async (path, c = admin) => ok(await c.get(path), 200, `GET ${path}`);
const board = (what, asOf, c = admin) => get(`/api/v1/campaigns/${f.c}/${what}${asOf ? `?as_of=${asOf}` : ''}`, c);
/** The fixture's name (U1…U4) of a unit id. */
const uname = (id) => `U${Object.entries(f.u).find(([, v]) => v === id)[0]}`;
const pname = (id) => `P${Object.entries(f.p).find(([, v]) => v === id)[0]}`;
const METRICS = ['funds_arrived', 'signed_count', 'signed_value', 'started_count', 'completed_count', 'policy_funds', 'leads_count'];
/** progress → {U1: {metric: [target, reported, certified, completion]}} */
function figures(progress) {
  const out = {};
  for (const u of progress.units) {
    out[uname(u.unit_id)] = Object.fromEntries(METRICS.map((m) => {
      const x = u.metrics[m];
      return [m, [x.target, x.reported, x.certified, x.completion]];
    }));
  }
  return out;
}
/** progress → {U1: [status, overall completion]} */
const standing = (progress) => Object.fromEntries(progress.units.map((u) => [uname(u.unit_id), [u.status, u.completion]]));
/** ranking list → [[U, rank, score, status, funds_certified, signed_certified]] */
const ranks = (list) => list.map((r) => [uname(r.unit_id), r.rank, r.score, r.status, r.funds_certified, r.signed_certified]);
/** A unit's [target, reported, certified, completion] for one metric. */
async function metric(unit, m, asOf) {
  return figures(await board('progress', asOf))[unit][m];
}

// Zero rows, as a unit without any record of a metric and without a target shows them.
const NONE = [0, 0, 0, null];

test('time progress: day 0 (the eve), day 1, day 50, day 100 and after the end', async () => {
  // days = 2026-11-08 − 2026-08-01 + 1 = 100 (Aug 31 + Sep 30 + Oct 31 + Nov 8).
  // elapsed = clamp(as_of − start + 1, 0, 100); time_progress = 100 × elapsed / 100.
  const cases = [
    ['2026-07-31', 0, 0],      // the eve of the start: 07-31 − 08-01 + 1 = 0
    ['2026-08-01', 1, 1],      // day 1
    ['2026-09-19', 50, 50],    // 31 (Aug) + 19 = 50
    [TODAY, 76, 76],           // 31 + 30 + 15 = 76 (the default as_of is today)
    ['2026-11-08', 100, 100],  // the last day
    ['2026-11-20', 100, 100],  // after the end: clamped to 100
  ];
  for (const [asOf, day, tp] of cases) {
    const p = await board('progress', asOf === TODAY ? undefined : asOf);
    assert.equal(p.campaign.as_of, asOf);
    assert.equal(p.campaign.start_date, '2026-08-01');
    assert.equal(p.campaign.end_date, '2026-11-08');
    assert.equal(p.campaign.days, 100);
    assert.equal(p.campaign.day, day, asOf);
    assert.equal(p.campaign.days_left, 100 - day, asOf);
    assert.equal(p.campaign.time_progress, tp, asOf);
  }
  fails(await admin.get(`/api/v1/campaigns/${f.c}/progress?as_of=2026-02-30`), 400, 'validation_failed', 'as_of');
});

test('completion per unit and metric: target, reported, certified, completion (as of today)', async () => {
  const p = await board('progress');
  assert.deepEqual(figures(p), {
    // U1: P1–P5. funds: F1 60M c + F2 20M r + F3 30M c → reported 110M, certified 90M; 90/100 = 90 %.
    // signings: SC2 150M c, SC4 60M c (the lead→started skip passes signed), SC6 40M r
    //   → count 3 / 2 (2/4 = 50 %), value 250M / 210M. started: SC3 c, SC4 c → 2 / 2.
    // leads: 5 projects, never subject to certification → 5 / 5, 5/5 = 100 %.
    U1: {
      funds_arrived: [100 * M, 110 * M, 90 * M, 90], signed_count: [4, 3, 2, 50], signed_value: [0, 250 * M, 210 * M, null],
      started_count: [0, 2, 2, null], completed_count: NONE, policy_funds: NONE, leads_count: [5, 5, 5, 100],
    },
    // U2: P6, P7, P8, P11. funds F4 25M c → 25/50 = 50 %. signings: SC9 50M c; SC13 rejected
    // counts nowhere → 1 / 1 (1/2 = 50 %). SC10 started c. SC11 completed r → 1 / 0 (0/1 = 0 %).
    U2: {
      funds_arrived: [50 * M, 25 * M, 25 * M, 50], signed_count: [2, 1, 1, 50], signed_value: [0, 50 * M, 50 * M, null],
      started_count: [0, 1, 1, null], completed_count: [1, 1, 0, 0], policy_funds: NONE, leads_count: [0, 4, 4, null],
    },
    // U3: P9, P10 (P3 is only co-owned by U3: it counts for its lead unit U1).
    // funds F5 10M c + F6 5M r + F7 3M r + F10 4M r → 22M / 10M, 10/40 = 25 %.
    // signings SC16 80M c + SC19 20M c → 2 / 2, value 100M / 100M = 100 %.
    U3: {
      funds_arrived: [40 * M, 22 * M, 10 * M, 25], signed_count: [0, 2, 2, null], signed_value: [100 * M, 100 * M, 100 * M, 100],
      started_count: NONE, completed_count: NONE, policy_funds: NONE, leads_count: [0, 2, 2, null],
    },
    // U4: P12, P13. policy funds F8 13.75M c + F9 8M r → 21.75M / 13.75M, 13.75/20 = 68.75 %.
    // SC18 (signed, value 0) is still reported → 1 / 0.
    U4: {
      funds_arrived: NONE, signed_count: [0, 1, 0, null], signed_value: NONE, started_count: NONE,
      completed_count: NONE, policy_funds: [20 * M, 21_750_000, 13_750_000, 68.75], leads_count: [0, 2, 2, null],
    },
  });
  const u1 = p.units.find((u) => u.unit_id === f.u[1]);
  // The annual target (300M) is beside the campaign target; the section's 60M (a decomposition) is not read.
  assert.equal(u1.metrics.funds_arrived.annual_target, 300 * M);
  assert.equal(u1.metrics.funds_arrived.annual_completion, 30); // 90 / 300
  assert.equal(u1.metrics.signed_count.annual_target, 0);
  assert.equal(u1.metrics.signed_count.annual_completion, null);
  // Overall completion = Σ w × min(c, 150) / Σ w over the targets with a weight (default weights):
  //   U1 (40×90 + 10×50 + 5×100) / 55 = 4600/55 = 83.636… → 83.64
  //   U2 (40×50 + 10×50 + 5×0) / 55 = 2500/55 = 45.4545… → 45.45
  //   U3 (40×25 + 15×100) / 55 = 2500/55 → 45.45
  //   U4 (40×68.75) / 40 = 68.75
  // Time progress today is 76 %: behind below 66, ahead above 86.
  assert.deepEqual(standing(p), {
    U1: ['on_track', 83.64], U2: ['behind', 45.45], U3: ['behind', 45.45], U4: ['on_track', 68.75],
  });
  // Activity: follow-ups per lead unit; FU1 had U1's head (head1) taking part.
  //   U1: FU1, FU2, FU3, FU4 → 4 (1 with leader); U2: FU5, FU6, FU7 → 3; U3: FU8, FU9, FU10 → 3; U4: 0.
  // Weekly reports: 10-15 − 08-01 = 75 days, so weeks 1–10 have ended; nobody reported.
  const reports = { reports_due: 10, reports_reviewed_on_time: 0 };
  assert.deepEqual(Object.fromEntries(p.units.map((u) => [uname(u.unit_id), u.activity])), {
    U1: { follow_ups: 4, follow_ups_with_leader: 1, ...reports }, U2: { follow_ups: 3, follow_ups_with_leader: 0, ...reports },
    U3: { follow_ups: 3, follow_ups_with_leader: 0, ...reports }, U4: { follow_ups: 0, follow_ups_with_leader: 0, ...reports },
  });
  const fu1 = await get(`/api/v1/follow-ups/${f.fu[1]}`);
  assert.equal(fu1.with_leader, true);
  assert.equal((await get(`/api/v1/follow-ups/${f.fu[2]}`)).with_leader, false);
  // Categories: industry = U1 + U2: funds target 150M, reported 135M, certified 115M.
  assert.equal(p.categories.industry.units, 2);
  assert.deepEqual(p.categories.industry.status, { zero: 0, behind: 1, on_track: 1, ahead: 0, no_target: 0 });
  const ind = p.categories.industry.metrics.funds_arrived;
  assert.deepEqual([ind.target, ind.reported, ind.certified], [150 * M, 135 * M, 115 * M]);
  // Totals over all four units: funds reported 110 + 25 + 22 = 157M, certified 90 + 25 + 10 = 125M.
  assert.deepEqual([p.totals.funds_arrived.reported, p.totals.funds_arrived.certified], [157 * M, 125 * M]);
  assert.deepEqual([p.totals.leads_count.reported, p.totals.signed_count.reported, p.totals.signed_count.certified], [13, 7, 5]);
});

test('status: zero, behind, on_track and ahead as of different days', async () => {
  // As of 07-31 (day 0) nothing is certified yet: every unit is zero.
  assert.deepEqual(standing(await board('progress', '2026-07-31')), {
    U1: ['zero', 0], U2: ['zero', 0], U3: ['zero', 0], U4: ['zero', 0],
  });
  // As of 09-10 (day 41, 41 %: behind < 31, ahead > 51):
  //   U1 funds F1 60M (09-01) → 60 %, signings SC2 + SC4 (contract 09-01) → 2/4, leads 5/5:
  //      (40×60 + 10×50 + 5×100)/55 = 3400/55 = 61.82 → ahead
  //   U2 SC9 (contract 09-10) → 1/2, no funds yet: (10×50)/55 = 9.09 → behind (not zero: a certified signing)
  //   U3 F5 10M (09-10) → 25 %, SC16 80M → 80 %: (40×25 + 15×80)/55 = 2200/55 = 40 → on_track
  //   U4 F8 arrives 09-15, SC18 is only reported: no certified funds, no certified signing → zero
  assert.deepEqual(standing(await board('progress', '2026-09-10')), {
    U1: ['ahead', 61.82], U2: ['behind', 9.09], U3: ['on_track', 40], U4: ['zero', 0],
  });
  // As of 09-19 (day 50, 50 %: behind < 40, ahead > 60): U1 still 61.82 → ahead; U2 9.09 → behind;
  // U3 exactly 40 is not below 40 → on_track; U4 F8 13.75M → 68.75 → ahead.
  const mid = await board('progress', '2026-09-19');
  assert.deepEqual(standing(mid), {
    U1: ['ahead', 61.82], U2: ['behind', 9.09], U3: ['on_track', 40], U4: ['ahead', 68.75],
  });
  const dash = await board('dashboard', '2026-09-19');
  assert.deepEqual(dash.status_counts, { zero: 0, behind: 1, on_track: 1, ahead: 2, no_target: 0 });
  // On the last day (100 %: behind < 90) the figures are today's: every unit is behind.
  assert.deepEqual(standing(await board('progress', '2026-11-08')), {
    U1: ['behind', 83.64], U2: ['behind', 45.45], U3: ['behind', 45.45], U4: ['behind', 68.75],
  });
});

test('score and rank overall and within the category; a tie broken by certified funds', async () => {
  // Components (default weights; activity ratio = count / the largest count of any unit):
  //   largest counts: visits_out 2 (U2: FU6, FU7), visits_in 2 (U3: FU8, FU10), fairs 1 (U2: FU5).
  //   U1: funds 40×0.9 + signed_count 10×0.5 + leads 5×1 + out 5×½ + in 5×½ + fairs 5×0 = 51 over 70 → 72.857 → 72.86
  //   U2: funds 40×0.5 + signed 10×0.5 + completed 5×0 + out 5×1 + in 5×0 + fairs 5×1 = 35 / 70 → 50
  //   U3: funds 40×0.25 + signed_value 15×1 + out 5×½ + in 5×1 + fairs 0 = 32.5 / 70 → 46.428 → 46.43
  //   U4: policy 40×0.6875 + out 0 + in 0 + fairs 0 = 27.5 / 55 → 50
  // U2 and U4 tie at 50: certified funds decide, U2 25M before U4 13.75M (policy funds count).
  const r = await board('ranking');
  assert.deepEqual(ranks(r.overall), [
    ['U1', 1, 72.86, 'on_track', 90 * M, 2],
    ['U2', 2, 50, 'behind', 25 * M, 1],
    ['U4', 3, 50, 'on_track', 13_750_000, 0],
    ['U3', 4, 46.43, 'behind', 10 * M, 2],
  ]);
  assert.deepEqual(Object.fromEntries(Object.entries(r.by_category).map(([k, v]) => [k, ranks(v).map((x) => x.slice(0, 3))])), {
    industry: [['U1', 1, 72.86], ['U2', 2, 50]],
    policy_funds: [['U4', 1, 50]],
    services: [['U3', 1, 46.43]],
  });
  assert.equal(r.tie_break, 'score desc, certified funds desc, certified signings desc, unit id asc');
  // Reported beside certified (R-PROG-1): funds of both kinds and signings, rejected ones left out.
  //   U1 funds F1 60 + F2 20 + F3 30 = 110M, signings SC2 SC4 SC6 = 3; U2 F4 25M, SC9 = 1 (SC13 rejected);
  //   U4 policy F8 13.75 + F9 8 = 21.75M, SC18 = 1; U3 F5 10 + F6 5 + F7 3 + F10 4 = 22M, SC16 SC19 = 2.
  assert.deepEqual(r.overall.map((x) => [uname(x.unit_id), x.funds_reported, x.signed_reported]), [
    ['U1', 110 * M, 3], ['U2', 25 * M, 1], ['U4', 21_750_000, 1], ['U3', 22 * M, 2],
  ]);
  assert.deepEqual(r.by_category.policy_funds.map((x) => [x.funds_reported, x.signed_reported]), [[21_750_000, 1]]);
  // On the eve of the start every score is 0 with no funds and no signings: the unit id decides.
  assert.deepEqual(ranks((await board('ranking', '2026-07-31')).overall).map((x) => x.slice(0, 3)),
    [['U1', 1, 0], ['U2', 2, 0], ['U3', 3, 0], ['U4', 4, 0]]);
});

test('score drill-down: components, points and the certified records behind them', async () => {
  const x = await get(`/api/v1/campaigns/${f.c}/ranking/${f.u[1]}`);
  assert.equal(x.unit_id, f.u[1]);
  assert.deepEqual([x.score, x.rank, x.category_rank, x.status, x.completion], [72.86, 1, 1, 'on_track', 83.64]);
  // points = 100 × weight × ratio / Σ weight (Σ = 70): 3600/70 = 51.43, 500/70 = 7.14, 250/70 = 3.57.
  // reported stands beside the certified value: funds 110M (F2 too), signings 3 (SC6 too).
  assert.deepEqual(x.components, [
    { metric: 'funds_arrived', basis: 'target', value: 90 * M, reported: 110 * M, of: 100 * M, ratio: 0.9, weight: 40, points: 51.43 },
    { metric: 'signed_count', basis: 'target', value: 2, reported: 3, of: 4, ratio: 0.5, weight: 10, points: 7.14 },
    { metric: 'leads_count', basis: 'target', value: 5, reported: 5, of: 5, ratio: 1, weight: 5, points: 7.14 },
    { metric: 'visits_out', basis: 'best_unit', value: 1, reported: 1, of: 2, ratio: 0.5, weight: 5, points: 3.57 },
    { metric: 'visits_in', basis: 'best_unit', value: 1, reported: 1, of: 2, ratio: 0.5, weight: 5, points: 3.57 },
    { metric: 'fairs', basis: 'best_unit', value: 0, reported: 0, of: 1, ratio: 0, weight: 5, points: 0 },
  ]);
  // The records behind the components, by date, then kind (follow_up, fund, lead, stage_change), then id;
  // each says the metrics it feeds: the certified moves (a move from the day of its earliest figure) and
  // funds, the 5 projects counted as leads (at their planned investment), the follow-ups counted as visits
  // (FU1 outbound, FU3 investor visit; FU2 meeting and FU4 call feed no component).
  // Not SC6 (reported), not F2 (reported). kind_total: lead 5, follow_up 2, fund 2, stage_change 3.
  const rec = (kind, id, p, date, detail, amount, metrics, kind_total) =>
    ({ kind, id, project_id: f.p[p], date, detail, amount, metrics, kind_total });
  const SIGN = ['signed_count', 'signed_value'];
  assert.deepEqual(x.records.map(({ project_name, ...r }) => r), [
    rec('lead', f.p[1], 1, '2026-08-03', null, 200 * M, ['leads_count'], 5),
    rec('follow_up', f.fu[1], 1, '2026-08-05', 'outbound_visit', null, ['visits_out'], 2),
    rec('lead', f.p[2], 2, '2026-08-05', null, 80 * M, ['leads_count'], 5),
    rec('lead', f.p[3], 3, '2026-08-10', null, 100 * M, ['leads_count'], 5),
    rec('lead', f.p[5], 5, '2026-08-20', null, 10 * M, ['leads_count'], 5),
    rec('stage_change', f.sc[2], 1, '2026-08-25', 'signed', 150 * M, SIGN, 3),
    rec('fund', f.fund[1], 1, '2026-09-01', 'out_of_province', 60 * M, ['funds_arrived'], 2),
    rec('lead', f.p[4], 4, '2026-09-01', null, 50 * M, ['leads_count'], 5),
    // SC4 lead→started: contract 09-01 (signed_count, signed_value), start 09-05 (started_count).
    rec('stage_change', f.sc[4], 2, '2026-09-01', 'started', 60 * M, [...SIGN, 'started_count'], 3),
    rec('stage_change', f.sc[3], 1, '2026-09-15', 'started', null, ['started_count'], 3),
    rec('follow_up', f.fu[3], 3, '2026-09-20', 'investor_visit', null, ['visits_in'], 2),
    rec('fund', f.fund[3], 2, '2026-09-20', 'out_of_city', 30 * M, ['funds_arrived'], 2),
  ]);
  assert.equal(x.records[0].project_name, '新能源电池生产基地');

  // As of 09-03 (day 34): F1 60M (09-01), SC2 and SC4 (its contract 09-01 counts although the
  // move is dated 09-05), leads 5 (P4 09-01). Activity as of 09-03: U1 FU1 out (1), U3 FU8 in (1),
  // U2 FU5 fair (1): largest 1 each. Σ = 40×0.6 + 10×0.5 + 5×1 + 5×1 + 5×0 + 5×0 = 39 / 70 → 55.71.
  // Others: U3 15×0.8 + 5×1 = 17/70 → 24.29; U2 fairs 5/70 → 7.14; U4 0 → U1 first.
  // Completion (40×60 + 10×50 + 5×100)/55 = 61.82 against 34 % → ahead.
  const early = await get(`/api/v1/campaigns/${f.c}/ranking/${f.u[1]}?as_of=2026-09-03`);
  assert.deepEqual([early.score, early.rank, early.status, early.completion], [55.71, 1, 'ahead', 61.82]);
  assert.deepEqual(early.components.map((c) => [c.metric, c.value, c.of, c.ratio, c.points]), [
    ['funds_arrived', 60 * M, 100 * M, 0.6, 34.29], // 2400/70
    ['signed_count', 2, 4, 0.5, 7.14],
    ['leads_count', 5, 5, 1, 7.14],
    ['visits_out', 1, 1, 1, 7.14],
    ['visits_in', 0, 1, 0, 0],
    ['fairs', 0, 1, 0, 0],
  ]);
  // The records behind signed_count = 2 as of 09-03 are SC2 and SC4, which by then feeds the signing
  // only (its start is 09-05); SC3 (09-15), FU3 and F3 (09-20) come later.
  assert.deepEqual(early.records.map((r) => [r.kind, r.id, r.metrics.join(' '), r.kind_total]), [
    ['lead', f.p[1], 'leads_count', 5], ['follow_up', f.fu[1], 'visits_out', 1], ['lead', f.p[2], 'leads_count', 5],
    ['lead', f.p[3], 'leads_count', 5], ['lead', f.p[5], 'leads_count', 5],
    ['stage_change', f.sc[2], 'signed_count signed_value', 2], ['fund', f.fund[1], 'funds_arrived', 1],
    ['lead', f.p[4], 'leads_count', 5], ['stage_change', f.sc[4], 'signed_count signed_value', 2],
  ]);

  // U4: policy 13.75M of 20M, ratio 0.6875, points 100×40×0.6875/55 = 50; the activity
  // components apply (someone has some) at ratio 0. Policy funds reported 13.75 + 8 (F9) = 21.75M.
  // Its one certified record is F8 (SC18 and F9 are reported); its leads P12 and P13.
  const u4 = await get(`/api/v1/campaigns/${f.c}/ranking/${f.u[4]}`);
  assert.deepEqual([u4.score, u4.rank, u4.category_rank], [50, 3, 1]);
  assert.deepEqual(u4.components.map((c) => [c.metric, c.value, c.reported, c.of, c.ratio, c.weight, c.points]), [
    ['policy_funds', 13_750_000, 21_750_000, 20 * M, 0.6875, 40, 50],
    ['visits_out', 0, 0, 2, 0, 5, 0], ['visits_in', 0, 0, 2, 0, 5, 0], ['fairs', 0, 0, 1, 0, 5, 0],
  ]);
  assert.deepEqual(u4.records.map((r) => [r.kind, r.id, r.detail, r.amount, r.metrics.join(' '), r.kind_total]), [
    ['lead', f.p[12], null, 5 * M, 'leads_count', 2], ['lead', f.p[13], null, 2 * M, 'leads_count', 2],
    ['fund', f.fund[8], 'policy', 13_750_000, 'policy_funds', 1],
  ]);
  fails(await admin.get(`/api/v1/campaigns/${f.c}/ranking/9999`), 404, 'not_found');
  // On the campaign's first day no unit has a record yet: the drill-down is an empty list
  // (under UBSan this once sorted a NULL array and stopped the server).
  const first = await get(`/api/v1/campaigns/${f.c}/ranking/${f.u[4]}?as_of=2026-08-01`);
  assert.deepEqual(first.records, []);
});

/** funnel stages → [[stage, reached, current, dropped, conversion_to_next, median_days]] */
const stages = (list) => list.map((s) => [s.stage, s.reached, s.current, s.dropped, s.conversion_to_next, s.median_days]);

test('funnel: reached, current, dropped, conversion and median days (campaign, category, as of)', async () => {
  const fn = await board('funnel');
  // reached (reported, rejected moves excluded):
  //   lead 13 projects; negotiating 10 (P1 P2 P3 P4 P6 P7 P8 P9 P10 P12: skips pass it);
  //   signed 7 (SC2 SC4 SC6 SC9 SC16 SC19 SC18; SC13 rejected); started 3 (SC3 SC4 SC10); completed 1 (SC11).
  //   dropped: 1 from negotiating (P8).
  // current = reached_k − reached_k+1 − dropped_k: lead 13−10 = 3 (P5 P11 P13), negotiating 10−7−1 = 2
  //   (P4 P7), signed 7−3 = 4 (P3 P9 P10 P12), started 3−1 = 2 (P1 P2), completed 1 (P6).
  // conversion: 10/13 = 76.92, 7/10 = 70, 3/7 = 42.86, 1/3 = 33.33.
  // Stays (entering → next standing move): lead P1 7, P2 31, P3 16, P4 9, P6 12, P7 13 (SC13 rejected
  //   does not end P7's negotiating), P8 8, P9 19, P10 14, P12 12 → 7 8 9 12 12 | 13 14 16 19 31 → (12+13)/2 = 12.5;
  //   negotiating P1 15, P3 30, P6 27, P8 23 (until dropped), P10 7 → 7 15 23 27 30 → 23;
  //   signed P1 21, P6 21 → 21; started P6 11 → 11.
  assert.deepEqual(stages(fn.stages), [
    ['lead', 13, 3, 0, 76.92, 12.5],
    ['negotiating', 10, 2, 1, 70, 23],
    ['signed', 7, 4, 0, 42.86, 21],
    ['started', 3, 2, 0, 33.33, 11],
    ['completed', 1, 1, 0, null, null],
  ]);
  // Certified beside reported where the office certifies (signed, started, completed): signed 5
  // (SC2 SC4 SC9 SC16 SC19; not SC6 SC18), started 3 (SC3 SC4 SC10), completed 0 (SC11 reported).
  // Leads and negotiations are not subject to certification: null.
  assert.deepEqual(fn.stages.map((x) => x.reached_certified), [null, null, 5, 3, 0]);
  // U4: SC18 is reported → 0 certified signings; U1: SC2 SC4 signed, SC3 SC4 started.
  assert.deepEqual(fn.units.map((u) => [uname(u.unit_id), u.stages.map((x) => x.reached_certified)]), [
    ['U1', [null, null, 2, 2, 0]], ['U2', [null, null, 1, 1, 0]], ['U3', [null, null, 2, 0, 0]], ['U4', [null, null, 0, 0, 0]],
  ]);
  // industry = U1 + U2: lead 9 (P1–P8, P11), negotiating 7, signed 4 (SC2 SC4 SC6 SC9), started 3, completed 1,
  // dropped 1. current: 9−7 = 2, 7−4−1 = 2, 4−3 = 1, 3−1 = 2, 1. conversion 77.78, 57.14, 75, 33.33.
  // Stays: lead 7 8 9 12 13 16 31 → 12; negotiating 15 23 27 30 → (23+27)/2 = 25; signed 21; started 11.
  assert.deepEqual(stages(fn.by_category.industry), [
    ['lead', 9, 2, 0, 77.78, 12],
    ['negotiating', 7, 2, 1, 57.14, 25],
    ['signed', 4, 1, 0, 75, 21],
    ['started', 3, 2, 0, 33.33, 11],
    ['completed', 1, 1, 0, null, null],
  ]);
  // services = U3: P9 (lead→signed), P10 (negotiating, signed). Stays: lead 19, 14 → 16.5; negotiating 7.
  assert.deepEqual(stages(fn.by_category.services), [
    ['lead', 2, 0, 0, 100, 16.5],
    ['negotiating', 2, 0, 0, 100, 7],
    ['signed', 2, 2, 0, 0, null],
    ['started', 0, 0, 0, null, null],
    ['completed', 0, 0, 0, null, null],
  ]);
  assert.deepEqual(fn.units.map((u) => uname(u.unit_id)), ['U1', 'U2', 'U3', 'U4']);
  // U4 alone: P12 lead→signed (stay 12), P13 lead.
  assert.deepEqual(stages(fn.units[3].stages), [
    ['lead', 2, 1, 0, 50, 12], ['negotiating', 1, 0, 0, 100, null], ['signed', 1, 1, 0, 0, null],
    ['started', 0, 0, 0, null, null], ['completed', 0, 0, 0, null, null],
  ]);

  // As of 08-31 only what happened by then counts: leads P1 P2 P3 P5 P6 P7 P8 P9 P12 P13 = 10;
  // negotiating SC1 SC5 SC8 SC12 SC14 SC16 SC18 = 7; signed SC2 (08-25) SC16 (08-20) SC18 (08-22) = 3.
  // current: 10−7 = 3 (P2 P5 P13), 7−3 = 4 (P3 P6 P7 P8), 3 (P1 P9 P12), 0, 0.
  // Stays ended by 08-31: lead P1 7, P3 16, P6 12, P7 13, P8 8, P9 19, P12 12 → 7 8 12 12 13 16 19 → 12;
  // negotiating P1 15 → 15; no signed or started stay had ended.
  // Certified as of 08-31: signed SC2 (08-25) and SC16 (08-20); SC18 is reported.
  assert.deepEqual((await board('funnel', '2026-08-31')).stages.map((x) => x.reached_certified), [null, null, 2, 0, 0]);
  assert.deepEqual(stages((await board('funnel', '2026-08-31')).stages), [
    ['lead', 10, 3, 0, 70, 12],
    ['negotiating', 7, 4, 0, 42.86, 15],
    ['signed', 3, 3, 0, 0, null],
    ['started', 0, 0, 0, null, null],
    ['completed', 0, 0, 0, null, null],
  ]);
});

/** The stale projects' kept state (/metrics): {full: whole loads, patch: brought up to date}. */
const staleState = async () => {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const n = (how) => Number(new RegExp(`huizhan_stale_state_updates_total\\{how="${how}"\\} (\\d+)`).exec(text)[1]);
  return { full: n('full'), patch: n('patch') };
};

/** Today's stale list after writes: its total (counted from the state kept in memory, the
 * page from SQL) on the list, on a later page, on the dashboard and for one unit, and that
 * the kept state answered (brought up to date by the writes, not loaded again). */
async function staleNow(expectRows) {
  const s0 = await staleState();
  const s = await board('stale-projects');
  const s1 = await staleState();
  assert.ok(s0.full >= 1, 'serve loaded the kept state at start');
  assert.deepEqual([s1.full, s1.patch > s0.patch], [s0.full, true], 'the count came from the kept state');
  assert.deepEqual([s.total, staleRows(s).map((x) => x[0])], [expectRows.length, expectRows]);
  const page = await get(`/api/v1/campaigns/${f.c}/stale-projects?limit=2&offset=${expectRows.length - 2}`);
  assert.deepEqual([page.total, staleRows(page).map((x) => x[0])], [expectRows.length, expectRows.slice(-2)]);
  const dash = (await board('dashboard')).stale;
  assert.deepEqual([dash.total, staleRows(dash).map((x) => x[0])], [expectRows.length, expectRows]);
  // U1's (counted in one walk of the kept projects): those of the whole list U1 leads.
  const u1 = await get(`/api/v1/campaigns/${f.c}/stale-projects?unit_id=${f.u[1]}`);
  const mine = staleRows(s).filter((x) => x[1] === 'U1').map((x) => x[0]);
  assert.ok(mine.length > 0);
  assert.deepEqual([u1.total, staleRows(u1).map((x) => x[0])], [mine.length, mine]);
}

/** stale list → [[P, U, stage, last_activity_date, days_quiet]] */
const staleRows = (s) => s.items.map((x) => [pname(x.project_id), uname(x.unit_id), x.stage, x.last_activity_date, x.days_quiet]);

test('stale projects: lead or negotiating, quiet for at least 14 days, as of a day', async () => {
  // As of today (10-15) quiet since 10-01 or earlier: last activity = latest of lead date and follow-ups.
  //   P5 lead 08-20 → 56 days (11 + 30 + 15); P13 lead 08-25 → 51; P4 FU4 09-12 → 33; P7 FU7 09-28 → 17.
  //   Not: P11 (lead 10-13), P3/P9/P10/P12 (signed), P8 (dropped), P1 P2 P6 (further on).
  const s = await board('stale-projects');
  assert.equal(s.stale_days, 14);
  assert.equal(s.total, 4);
  assert.deepEqual(staleRows(s), [
    ['P5', 'U1', 'lead', '2026-08-20', 56],
    ['P13', 'U4', 'lead', '2026-08-25', 51],
    ['P4', 'U1', 'negotiating', '2026-09-12', 33],
    ['P7', 'U2', 'negotiating', '2026-09-28', 17],
  ]);
  assert.equal(s.items[0].responsible_user_id, f.users.staff1);
  assert.equal(s.items[0].responsible_name, 'staff1 姓名');
  // As of 09-20 (quiet since 09-06): the stage and the follow-ups as they were on that day.
  //   P7 negotiating, FU7 (09-28) had not happened: last 08-15 → 36 days; P5 08-20 → 31; P13 08-25 → 26.
  //   Not: P4 (FU4 09-12), P10 (FU10 09-16), P3 (FU3 09-20), P11 (not yet a lead).
  const early = await board('stale-projects', '2026-09-20');
  assert.equal(early.total, 3);
  assert.deepEqual(staleRows(early), [
    ['P7', 'U2', 'negotiating', '2026-08-15', 36],
    ['P5', 'U1', 'lead', '2026-08-20', 31],
    ['P13', 'U4', 'lead', '2026-08-25', 26],
  ]);
  // Paging and the unit filter.
  const page = await get(`/api/v1/campaigns/${f.c}/stale-projects?limit=2&offset=1`);
  assert.deepEqual([page.total, page.limit, page.offset, staleRows(page).map((x) => x[0])], [4, 2, 1, ['P13', 'P4']]);
  const u1 = await get(`/api/v1/campaigns/${f.c}/stale-projects?unit_id=${f.u[1]}`);
  assert.deepEqual(staleRows(u1).map((x) => x[0]), ['P5', 'P4']);
  // As of 09-20 too: a page inside (P5, P13) and one past the end keep the total of 3.
  const then = await get(`/api/v1/campaigns/${f.c}/stale-projects?as_of=2026-09-20&limit=2&offset=1`);
  assert.deepEqual([then.total, staleRows(then).map((x) => x[0])], [3, ['P5', 'P13']]);
  const past = await get(`/api/v1/campaigns/${f.c}/stale-projects?as_of=2026-09-20&offset=5`);
  assert.deepEqual([past.total, past.items], [3, []]);
  // And U1's alone as of 09-20: P5.
  const u1then = await get(`/api/v1/campaigns/${f.c}/stale-projects?as_of=2026-09-20&unit_id=${f.u[1]}`);
  assert.deepEqual([u1then.total, staleRows(u1then).map((x) => x[0])], [1, ['P5']]);
});

test('the stale list as of a past day follows a write dated in its window, and no other day moves', async () => {
  // Answered from the state the server keeps in memory (domain/stale_cache.h), brought up to
  // date by the audit entries: asked first, then written, then asked again on the same server.
  const at0920 = await board('stale-projects', '2026-09-20');
  const at0905 = await board('stale-projects', '2026-09-05');
  // As of 09-30 (quiet since 09-16) P5 (lead 08-20, no follow-up) is quiet 41 days.
  const row = async (asOf) => staleRows(await board('stale-projects', asOf)).find((x) => x[0] === 'P5');
  assert.deepEqual(await row('2026-09-30'), ['P5', 'U1', 'lead', '2026-08-20', 41]);
  assert.deepEqual(await row('2026-09-05'), ['P5', 'U1', 'lead', '2026-08-20', 16]);
  // A call on P5 dated 09-10: inside 09-20's quiet window (09-06 … 09-20), so P5 leaves it;
  // it is P5's last activity as of 09-30 (20 days); 09-05 is before it: that list stays.
  const fu = ok(await admin.post(`/api/v1/projects/${f.p[5]}/follow-ups`, { date: '2026-09-10', kind: 'call', summary: '补记电话' }), 201);
  const mid = await board('stale-projects', '2026-09-20');
  assert.deepEqual([mid.total, staleRows(mid)], [2, [
    ['P7', 'U2', 'negotiating', '2026-08-15', 36],
    ['P13', 'U4', 'lead', '2026-08-25', 26],
  ]]);
  assert.deepEqual(await row('2026-09-30'), ['P5', 'U1', 'lead', '2026-09-10', 20]);
  assert.deepEqual(await board('stale-projects', '2026-09-05'), at0905);
  // Deleted again: every list is as before.
  ok(await admin.del(`/api/v1/follow-ups/${fu.id}?version=${fu.version}`), 204, 'delete the call');
  assert.deepEqual(await board('stale-projects', '2026-09-20'), at0920);
  assert.deepEqual(await row('2026-09-30'), ['P5', 'U1', 'lead', '2026-08-20', 41]);
});

/** forecast → {U: [will_miss, completion, {metric: [certified, reported, forecast, target, will_miss]}]} */
const forecastView = (fc) => Object.fromEntries(fc.units.map((u) => [uname(u.unit_id), [u.will_miss, u.completion,
  Object.fromEntries(METRICS.map((m) => {
    const x = u.metrics[m];
    return [m, [x.certified, x.reported, x.forecast, x.target, x.will_miss]];
  }))]]));
const Z = [0, 0, 0, 0, false]; // a metric with nothing recorded, forecast or targeted

test('forecast: certified, pending at its stage probability, pipeline and pace; will_miss', async () => {
  // docs/figures.md "Forecast". p = lead 10 %, negotiating 30 %, signed 70 %, started 90 %.
  // Today is day 76: elapsed 76, left 24. Pending (reported − certified) counts at p_signed for
  // signings, at p_started for starts, completions and funds. Pipeline as it stands:
  //   U1 lead P5 (10M) · negotiating P4 (50M) · signed P3 (owes 40M) · started P1 (150 − 60 − 20 = 70M), P2 (60 − 30 = 30M)
  //   U2 lead P11 (40M) · negotiating P7 (90M)      U3 signed P9 (80 − 18 = 62M), P10 (20 − 4 = 16M)
  //   U4 lead P13 (2M) · signed P12 (contract 0 → planned 5M)
  // U1  funds: known = 90 + 0.9 × 20 (F2) = 108M; more = min(108 × 24/76 = 34.105263M, owed 0.7 × 40 + 0.9 × 100 = 118M)
  //       → 142,105,263.16 → 142,105,263 (142.11 % of 100M)
  //     signed_count 2 + 0.7 × 1 (SC6) + 0.1 × 1 + 0.3 × 1 = 3.1 → 3 < 4 (75 %): this metric falls short
  //     signed_value 210 + 0.7 × 40 + 0.1 × 10 + 0.3 × 50 = 254M · started 2 + 0.7 × 1 (P3) = 2.7 → 3
  //     completed 0 + 0.9 × 2 (P1 P2) = 1.8 → 2 · leads 5 × (1 + 24/76) = 6.58 → 7 (140 %)
  //     completion (40 × 142.105263 + 10 × 75 + 5 × 140) / 55 = 7134.2105/55 = 129.71 ≥ 100 → not flagged
  // U2  funds 25M, more = min(7.89M, owed 0: P6 completed, nothing signed or started) → 25M (50 %)
  //     signed 1 + 0.1 + 0.3 = 1.4 → 1 (50 %) · value 50 + 4 + 27 = 81M · started 1 · completed 0 + 0.9 (SC11) → 1 (100 %)
  //     leads 4 × 100/76 = 5.26 → 5 · completion (40 × 50 + 10 × 50 + 5 × 100) / 55 = 54.55 → flagged
  // U3  funds known 10 + 0.9 × 12 (F6 F7 F10) = 20.8M; more = min(20.8 × 24/76 = 6.568421M, 0.7 × 78 = 54.6M)
  //       → 27,368,421.05 → 27,368,421 (68.42 %) · signed 2 · value 100M (100 %) · started 0 + 0.7 × 2 = 1.4 → 1
  //     leads 2 × 100/76 = 2.63 → 3 · completion (40 × 68.4210525 + 15 × 100) / 55 = 77.03 → flagged
  // U4  policy known 13.75 + 0.9 × 8 (F9) = 20.95M; more 20.95 × 24/76 = 6.615789M → 27,565,789 (137.83 %)
  //     signed 0 + 0.7 × 1 (SC18) + 0.1 × 1 = 0.8 → 1 · value 0.1 × 2M = 200,000 · started 0.7 × 1 → 1 · leads 3
  //     completion 137.83 → not flagged
  // The old forecast flagged U1 and U2 (U1 for its signings, its reported SC6 counting nothing) and
  // never looked at U3's funds pace or at U4's policy funds.
  const fc = await board('forecast');
  assert.deepEqual(forecastView(fc), {
    U1: [false, 129.71, {
      funds_arrived: [90 * M, 110 * M, 142_105_263, 100 * M, false], signed_count: [2, 3, 3, 4, true],
      signed_value: [210 * M, 250 * M, 254 * M, 0, false], started_count: [2, 2, 3, 0, false],
      completed_count: [0, 0, 2, 0, false], policy_funds: Z, leads_count: [5, 5, 7, 5, false],
    }],
    U2: [true, 54.55, {
      funds_arrived: [25 * M, 25 * M, 25 * M, 50 * M, true], signed_count: [1, 1, 1, 2, true],
      signed_value: [50 * M, 50 * M, 81 * M, 0, false], started_count: [1, 1, 1, 0, false],
      completed_count: [0, 1, 1, 1, false], policy_funds: Z, leads_count: [4, 4, 5, 0, false],
    }],
    U3: [true, 77.03, {
      funds_arrived: [10 * M, 22 * M, 27_368_421, 40 * M, true], signed_count: [2, 2, 2, 0, false],
      signed_value: [100 * M, 100 * M, 100 * M, 100 * M, false], started_count: [0, 0, 1, 0, false],
      completed_count: Z, policy_funds: Z, leads_count: [2, 2, 3, 0, false],
    }],
    U4: [false, 137.83, {
      funds_arrived: Z, signed_count: [0, 1, 1, 0, false], signed_value: [0, 0, 200_000, 0, false],
      started_count: [0, 0, 1, 0, false], completed_count: Z,
      policy_funds: [13_750_000, 21_750_000, 27_565_789, 20 * M, false], leads_count: [2, 2, 3, 0, false],
    }],
  });
  assert.deepEqual(fc.will_miss.map((u) => uname(u.unit_id)), ['U2', 'U3']);
  assert.deepEqual((await board('dashboard')).will_miss.map((u) => uname(u.unit_id)), ['U2', 'U3']);

  // As of 09-14 (day 45: elapsed 45, left 55), the pipeline as it stands today:
  // U4, the policy-funds unit, has no policy funds yet (F8 arrives 09-15): forecast 0 of 20M → flagged.
  // U1 funds 60M (F1) + min(60 × 55/45 = 73.33M, 118M) = 133,333,333; signed 2 + 0.4 = 2.4 → 2 (50 %);
  //    leads 5 × 100/45 = 11.1 → 11 (220 %, capped at 150): (40 × 133.33 + 10 × 50 + 5 × 150)/55 = 119.7 → not flagged.
  // U2 nothing arrived (F4 09-20), signed 1.4 → 1, completed 0: (10 × 50)/55 = 9.09 → flagged.
  // U3 funds 10M (F5) + min(12.22M, 54.6M) = 22,222,222 (55.56 %); value 80M (SC19 not yet): 62.22 → flagged.
  const early = forecastView(await board('forecast', '2026-09-14'));
  assert.deepEqual(early.U4, [true, 0, { ...early.U4[2], policy_funds: [0, 0, 0, 20 * M, true] }]);
  assert.deepEqual([early.U1[0], early.U1[1], early.U1[2].funds_arrived[2], early.U1[2].signed_count[2], early.U1[2].leads_count[2]],
    [false, 119.7, 133_333_333, 2, 11]);
  assert.deepEqual([early.U2[0], early.U2[1]], [true, 9.09]);
  assert.deepEqual([early.U3[0], early.U3[1], early.U3[2].funds_arrived[2], early.U3[2].signed_value[2]], [true, 62.22, 22_222_222, 80 * M]);
  // On the eve of the start there is no pace yet: nobody is flagged.
  assert.deepEqual((await board('forecast', '2026-07-31')).will_miss, []);
});

/** queue items → sorted ["kind id unit detail amount"] */
const queue = (q) => q.items.map((x) => `${x.kind} ${x.id} ${uname(x.unit_id)} ${x.detail} ${x.amount}`).sort();

test('certification queue: exactly the reported signed/started/completed moves and funds', async () => {
  const path = `/api/v1/campaigns/${f.c}/certification-queue`;
  const sc = (n, u, to, amount) => `stage_change ${f.sc[n]} ${u} ${to} ${amount}`;
  const fd = (n, u, kind, amount) => `fund ${f.fund[n]} ${u} ${kind} ${amount}`;
  // Reported moves to signed/started/completed: SC6, SC11, SC18 (not the negotiating or dropped moves,
  // not SC13 rejected). Reported funds: F2, F6, F7, F10, F9.
  const all = await get(path);
  assert.equal(all.total, 8);
  assert.deepEqual(queue(all), [
    fd(2, 'U1', 'foreign', 20 * M), fd(6, 'U3', 'out_of_city', 5 * M), fd(7, 'U3', 'out_of_city', 3 * M),
    fd(10, 'U3', 'out_of_city', 4 * M), fd(9, 'U4', 'policy', 8 * M),
    sc(6, 'U1', 'signed', 40 * M), sc(11, 'U2', 'completed', null), sc(18, 'U4', 'signed', 0),
  ].sort());
  assert.deepEqual(queue(await get(`${path}?unit_id=${f.u[1]}`)), [fd(2, 'U1', 'foreign', 20 * M), sc(6, 'U1', 'signed', 40 * M)].sort());
  assert.equal((await get(`${path}?kind=fund`)).total, 5);
  assert.deepEqual(queue(await get(`${path}?kind=stage_change`)),
    [sc(6, 'U1', 'signed', 40 * M), sc(11, 'U2', 'completed', null), sc(18, 'U4', 'signed', 0)].sort());
  assert.deepEqual(queue(await get(`${path}?kind=fund&unit_id=${f.u[3]}`)),
    [fd(6, 'U3', 'out_of_city', 5 * M), fd(7, 'U3', 'out_of_city', 3 * M), fd(10, 'U3', 'out_of_city', 4 * M)].sort());
  fails(await admin.get(`${path}?kind=weird`), 400, 'validation_failed', 'kind');
});

/**
 * The auditor's query (R-PROG-12): a unit's reported or certified value of every metric as of a
 * day, straight from funds, stage_changes and projects, independent of the stored sums.
 */
function rawFigures(unitId, asOf, certified) {
  const st = certified ? "('certified')" : "('reported','certified')";
  const own = `JOIN projects p ON p.id = x.project_id WHERE p.campaign_id = ${f.c} AND p.lead_unit_id = ${unitId} AND p.duplicate_of IS NULL AND x.status IN ${st}`;
  const queries = {
    funds_arrived: `SELECT COALESCE(SUM(x.amount), 0) FROM funds x ${own} AND x.kind <> 'policy' AND x.date <= '${asOf}'`,
    signed_count: `SELECT COUNT(*) FROM stage_changes x ${own} AND x.from_stage IN ('lead','negotiating') AND x.to_stage IN ('signed','started','completed') AND COALESCE(x.contract_date, x.date) <= '${asOf}'`,
    signed_value: `SELECT COALESCE(SUM(x.contract_value), 0) FROM stage_changes x ${own} AND x.from_stage IN ('lead','negotiating') AND x.to_stage IN ('signed','started','completed') AND COALESCE(x.contract_date, x.date) <= '${asOf}'`,
    started_count: `SELECT COUNT(*) FROM stage_changes x ${own} AND x.from_stage IN ('lead','negotiating','signed') AND x.to_stage IN ('started','completed') AND COALESCE(x.start_date, x.date) <= '${asOf}'`,
    completed_count: `SELECT COUNT(*) FROM stage_changes x ${own} AND x.to_stage = 'completed' AND COALESCE(x.completion_date, x.date) <= '${asOf}'`,
    policy_funds: `SELECT COALESCE(SUM(x.amount), 0) FROM funds x ${own} AND x.kind = 'policy' AND x.date <= '${asOf}'`,
    leads_count: `SELECT COUNT(*) FROM projects p WHERE p.campaign_id = ${f.c} AND p.lead_unit_id = ${unitId} AND p.duplicate_of IS NULL AND p.lead_date <= '${asOf}'`,
  };
  // One sqlite3 (or, on PostgreSQL, psql) run for the seven: each run blocks the event loop,
  // and a long block lets the server close the test's idle keep-alive connection under it.
  const names = Object.keys(queries);
  const [row] = sql(server.db, `SELECT ${names.map((m) => `(${queries[m]})`).join(', ')}`);
  return Object.fromEntries(names.map((m, i) => [m, Number(row[i])]));
}

async function crossCheck() {
  for (const asOf of ['2026-09-19', TODAY]) {
    const p = await board('progress', asOf);
    assert.equal(p.units.length, 4);
    for (const u of p.units) {
      const rep = rawFigures(u.unit_id, asOf, false), cert = rawFigures(u.unit_id, asOf, true);
      for (const m of METRICS) {
        assert.equal(u.metrics[m].reported, rep[m], `${uname(u.unit_id)} ${m} reported as of ${asOf}`);
        assert.equal(u.metrics[m].certified, cert[m], `${uname(u.unit_id)} ${m} certified as of ${asOf}`);
      }
    }
  }
}

test('every figure equals an independent SQL query over the raw records (R-PROG-12)', async () => {
  await crossCheck();
  // A sample of the raw queries, to be sure they measure what they should: U1 as of today.
  assert.deepEqual(rawFigures(f.u[1], TODAY, false), {
    funds_arrived: 110 * M, signed_count: 3, signed_value: 250 * M, started_count: 2, completed_count: 0, policy_funds: 0, leads_count: 5,
  });
});

test('duplicate claims: same investor and a similar name in two units', async () => {
  const d = await get(`/api/v1/campaigns/${f.c}/duplicates`);
  // P4 (U1) 智能装备制造产业园项目 and P7 (U2) 智能装备制造产业园, both of investor 乙方智能装备集团:
  // without 项目 the names are the same. P1 is the only project of 甲方新能源.
  assert.equal(d.items.length, 1);
  const [pair] = d.items;
  assert.deepEqual([pair.a.id, pair.a.lead_unit_id, pair.b.id, pair.b.lead_unit_id, pair.similarity],
    [f.p[4], f.u[1], f.p[7], f.u[2], 1]);
});

test('snapshot of the figures as built', async () => {
  const r = await admin.post(`/api/v1/campaigns/${f.c}/snapshots`, { as_of: TODAY, label: '第1期通报' });
  snapshot = ok(r, 201, 'snapshot');
  assert.equal(snapshot.as_of, TODAY);
  assert.equal(snapshot.label, '第1期通报');
  assert.match(snapshot.sha256, /^[0-9a-f]{64}$/);
  // Right after it, nothing differs.
  const d = await get(`/api/v1/snapshots/${snapshot.id}/diff`);
  assert.equal(d.changed, false);
  assert.deepEqual(d.changes, []);
  fails(await admin.post(`/api/v1/campaigns/${f.c}/snapshots`, { as_of: '2026-13-01' }), 400, 'validation_failed', 'as_of');
  fails(await admin.post(`/api/v1/campaigns/${f.c}/snapshots`, { as_of: TODAY, label: '' }), 400, 'validation_failed', 'label');
});

// ---- edits move exactly the figures they should (each step builds on the one before) ----

test('certifying a fund raises certified by its amount', async () => {
  ok(await f.office.post(`/api/v1/funds/${f.fund[2]}/certify`, {}), 200, 'certify F2');
  // U1 funds: certified 90M + F2 20M = 110M; reported stays 110M; 110/100 = 110 %.
  assert.deepEqual(await metric('U1', 'funds_arrived'), [100 * M, 110 * M, 110 * M, 110]);
  // Overall (40×110 + 10×50 + 5×100)/55 = 5400/55 = 98.18 > 86 → ahead.
  assert.deepEqual(standing(await board('progress')).U1, ['ahead', 98.18]);
  // Nothing else moved: U1's other metrics as before.
  assert.deepEqual(await metric('U1', 'signed_count'), [4, 3, 2, 50]);
  assert.equal((await get(`/api/v1/campaigns/${f.c}/certification-queue`)).total, 7);
  // A certified record is settled: certifying it again, or editing or deleting it, is refused.
  fails(await f.office.post(`/api/v1/funds/${f.fund[2]}/certify`, {}), 422, 'rule_violation');
  const f2 = await get(`/api/v1/funds/${f.fund[2]}`);
  fails(await admin.patch(`/api/v1/funds/${f.fund[2]}`, { version: f2.version, amount: 1 }), 422, 'rule_violation', 'status');
  fails(await admin.del(`/api/v1/funds/${f.fund[2]}?version=${f2.version}`), 422, 'rule_violation', 'status');
});

test('rejecting a signing drops it from reported and moves the project back', async () => {
  // Only the latest standing move can be rejected; SC3 is certified anyway.
  fails(await f.office.post(`/api/v1/stage-changes/${f.sc[3]}/reject`, { reason: '无' }), 422, 'rule_violation');
  fails(await f.office.post(`/api/v1/stage-changes/${f.sc[6]}/reject`, {}), 400, 'validation_failed', 'reason');
  const r = ok(await f.office.post(`/api/v1/stage-changes/${f.sc[6]}/reject`, { reason: '合同尚未签订' }), 200);
  assert.equal(r.status, 'rejected');
  assert.equal(r.reject_reason, '合同尚未签订');
  // U1 signings: reported 3 − 1 = 2 (certified 2 unchanged); value 250M − 40M = 210M.
  const p = figures(await board('progress'));
  assert.deepEqual(p.U1.signed_count, [4, 2, 2, 50]);
  assert.deepEqual(p.U1.signed_value, [0, 210 * M, 210 * M, null]);
  assert.equal((await get(`/api/v1/projects/${f.p[3]}`)).stage, 'negotiating');
  assert.equal((await get(`/api/v1/campaigns/${f.c}/certification-queue`)).total, 6);
  // P3 is negotiating again, quiet since FU3 (09-20): 25 days as of 10-15 → now stale.
  await staleNow(['P5', 'P13', 'P4', 'P3', 'P7']);
});

test('editing and deleting a reported fund change reported only', async () => {
  const f6 = await get(`/api/v1/funds/${f.fund[6]}`);
  ok(await admin.patch(`/api/v1/funds/${f.fund[6]}`, { version: f6.version, amount: 7 * M }), 200, 'edit F6');
  // U3 funds reported 22M − 5M + 7M = 24M; certified 10M.
  assert.deepEqual(await metric('U3', 'funds_arrived'), [40 * M, 24 * M, 10 * M, 25]);
  ok(await admin.del(`/api/v1/funds/${f.fund[7]}?version=${(await get(`/api/v1/funds/${f.fund[7]}`)).version}`), 204, 'delete F7');
  // 24M − 3M = 21M.
  assert.deepEqual(await metric('U3', 'funds_arrived'), [40 * M, 21 * M, 10 * M, 25]);
  assert.equal((await get(`/api/v1/campaigns/${f.c}/certification-queue?unit_id=${f.u[3]}`)).total, 2); // F6, F10
});

test("moving a project's lead unit moves its figures to the other unit", async () => {
  const p10 = await get(`/api/v1/projects/${f.p[10]}`);
  // A unit user may not move it; the office may.
  fails(await f.staff3.patch(`/api/v1/projects/${f.p[10]}`, { version: p10.version, lead_unit_id: f.u[2] }), 403, 'forbidden');
  ok(await f.office.patch(`/api/v1/projects/${f.p[10]}`, { version: p10.version, lead_unit_id: f.u[2] }), 200, 'move P10');
  // P10 carries: lead 1, SC19 signed 20M certified, F10 4M reported, FU10 (investor visit).
  //   U3: leads 2 → 1; signings 2 → 1, value 100M → 80M (80 %); funds reported 21M − 4M = 17M.
  //   U2: leads 4 → 5; signings 1 → 2 (2/2 = 100 %), value 50M → 70M; funds reported 25M + 4M = 29M.
  const p = await board('progress');
  const x = figures(p);
  assert.deepEqual(x.U3, {
    funds_arrived: [40 * M, 17 * M, 10 * M, 25], signed_count: [0, 1, 1, null], signed_value: [100 * M, 80 * M, 80 * M, 80],
    started_count: NONE, completed_count: NONE, policy_funds: NONE, leads_count: [0, 1, 1, null],
  });
  assert.deepEqual(x.U2, {
    funds_arrived: [50 * M, 29 * M, 25 * M, 50], signed_count: [2, 2, 2, 100], signed_value: [0, 70 * M, 70 * M, null],
    started_count: [0, 1, 1, null], completed_count: [1, 1, 0, 0], policy_funds: NONE, leads_count: [0, 5, 5, null],
  });
  // U2 (40×50 + 10×100 + 5×0)/55 = 3000/55 = 54.55; U3 (40×25 + 15×80)/55 = 40.
  assert.deepEqual([standing(p).U2, standing(p).U3], [['behind', 54.55], ['behind', 40]]);
  assert.deepEqual([p.units[1].activity.follow_ups, p.units[2].activity.follow_ups], [4, 2]);
  // The project's records now belong to U2.
  assert.equal((await get(`/api/v1/funds/${f.fund[10]}`)).unit_id, f.u[2]);
  assert.equal((await get(`/api/v1/stage-changes/${f.sc[19]}`)).unit_id, f.u[2]);
  assert.deepEqual(queue(await get(`/api/v1/campaigns/${f.c}/certification-queue?unit_id=${f.u[2]}`)),
    [`fund ${f.fund[10]} U2 out_of_city ${4 * M}`, `stage_change ${f.sc[11]} U2 completed null`].sort());
});

test('settling a duplicate claim removes its figures', async () => {
  const path = `/api/v1/projects/${f.p[4]}/settle-duplicate`;
  fails(await f.staff1.post(path, { duplicate_of: f.p[7] }), 403, 'forbidden');
  fails(await admin.post(path, { duplicate_of: f.p[4] }), 400, 'validation_failed', 'duplicate_of');
  const r = ok(await admin.post(path, { duplicate_of: f.p[7] }), 200, 'settle');
  assert.equal(r.duplicate_of, f.p[7]);
  // P4 counted 1 lead for U1 (no signing, no fund): leads 5 → 4 (80 %); its follow-up FU4 goes too.
  const p = await board('progress');
  assert.deepEqual(figures(p).U1.leads_count, [5, 4, 4, 80]);
  assert.equal(p.units[0].activity.follow_ups, 3);
  // (40×110 + 10×50 + 5×80)/55 = 5300/55 = 96.36.
  assert.deepEqual(standing(p).U1, ['ahead', 96.36]);
  assert.deepEqual((await get(`/api/v1/campaigns/${f.c}/duplicates`)).items, []);
  // A settled duplicate is not stale either: P5 P13 P3 P7 remain.
  await staleNow(['P5', 'P13', 'P3', 'P7']);
  assert.equal((await board('funnel')).stages[0].reached, 12);
});

test('as_of before a record\'s date leaves it out', async () => {
  // F2 (certified now) arrived 09-28: as of 09-27 U1 has F1 60M + F3 30M = 90M; as of 09-28, 110M.
  assert.deepEqual(await metric('U1', 'funds_arrived', '2026-09-27'), [100 * M, 90 * M, 90 * M, 90]);
  assert.deepEqual(await metric('U1', 'funds_arrived', '2026-09-28'), [100 * M, 110 * M, 110 * M, 110]);
  // F6 (now 7M, reported) arrived 10-05: as of 10-04 U3 has F5 only.
  assert.deepEqual(await metric('U3', 'funds_arrived', '2026-10-04'), [40 * M, 10 * M, 10 * M, 25]);
  assert.deepEqual(await metric('U3', 'funds_arrived', '2026-10-05'), [40 * M, 17 * M, 10 * M, 25]);
  // SC4's signing counts from its contract date 09-01, its start from 09-05.
  assert.deepEqual((await metric('U1', 'signed_count', '2026-08-31')), [4, 1, 1, 25]);
  assert.deepEqual((await metric('U1', 'signed_count', '2026-09-01')), [4, 2, 2, 50]);
  assert.deepEqual((await metric('U1', 'started_count', '2026-09-04')), [0, 0, 0, null]);
  assert.deepEqual((await metric('U1', 'started_count', '2026-09-05')), [0, 1, 1, null]);
  // No record may claim a day after today.
  fails(await admin.post(`/api/v1/projects/${f.p[1]}/funds`, { amount: 1, date: '2026-10-16', kind: 'foreign' }), 422, 'rule_violation', 'date');
});

test('after the edits the figures still equal the raw-record queries', async () => {
  await crossCheck();
  // The final standing (as of today) — score components with default weights:
  //   largest: visits_out 2 (U2 FU6 FU7), visits_in 1 (U1 FU3, U2 FU10, U3 FU8), fairs 1 (U2 FU5)
  //   U1 40×1.1 + 10×0.5 + 5×0.8 + 5×½ + 5×1 + 5×0 = 60.5/70 → 86.43
  //   U2 40×0.5 + 10×1 + 5×0 + 5×1 + 5×1 + 5×1 = 45/70 → 64.29
  //   U3 40×0.25 + 15×0.8 + 5×½ + 5×1 + 5×0 = 29.5/70 → 42.14
  //   U4 27.5/55 → 50
  assert.deepEqual(ranks((await board('ranking')).overall), [
    ['U1', 1, 86.43, 'ahead', 110 * M, 2],
    ['U2', 2, 64.29, 'behind', 25 * M, 2],
    ['U4', 3, 50, 'on_track', 13_750_000, 0],
    ['U3', 4, 42.14, 'behind', 10 * M, 1],
  ]);
});

test('the snapshot keeps the frozen figures; its diff lists exactly what changed', async () => {
  const s = await get(`/api/v1/snapshots/${snapshot.id}`);
  assert.equal(s.label, '第1期通报');
  const frozen = figures(s.figures.progress);
  assert.deepEqual(frozen.U1.funds_arrived, [100 * M, 110 * M, 90 * M, 90]);
  assert.deepEqual(frozen.U1.signed_count, [4, 3, 2, 50]);
  assert.deepEqual(frozen.U3.funds_arrived, [40 * M, 22 * M, 10 * M, 25]);
  assert.deepEqual(frozen.U1.leads_count, [5, 5, 5, 100]);
  assert.deepEqual(ranks(s.figures.ranking.overall).map((x) => x.slice(0, 3)),
    [['U1', 1, 72.86], ['U2', 2, 50], ['U4', 3, 50], ['U3', 4, 46.43]]);
  assert.equal(s.figures.funnel.stages[0].reached, 13);
  // The stored text hashes to the recorded SHA-256.
  const [[text, sha]] = sql(server.db, `SELECT figures, sha256 FROM snapshots WHERE id = ${snapshot.id}`);
  assert.equal(createHash('sha256').update(text).digest('hex'), sha);
  assert.equal(sha, snapshot.sha256);

  // The edits since: F2 certified; SC6 rejected; F6 5→7M, F7 deleted; P10 moved U3→U2; P4 settled.
  // [unit, metric, frozen reported, current reported, frozen certified, current certified]:
  const d = await get(`/api/v1/snapshots/${snapshot.id}/diff`);
  assert.equal(d.changed, true);
  assert.equal(d.snapshot.id, snapshot.id);
  const rows = d.changes.map((c) => [uname(c.unit_id), c.metric, c.frozen_reported, c.current_reported, c.frozen_certified, c.current_certified]);
  assert.deepEqual(rows.sort(), [
    ['U1', 'funds_arrived', 110 * M, 110 * M, 90 * M, 110 * M], // F2 certified
    ['U1', 'leads_count', 5, 4, 5, 4], // P4 settled as a duplicate
    ['U1', 'signed_count', 3, 2, 2, 2], // SC6 rejected
    ['U1', 'signed_value', 250 * M, 210 * M, 210 * M, 210 * M],
    ['U2', 'funds_arrived', 25 * M, 29 * M, 25 * M, 25 * M], // P10 joined with F10 4M reported
    ['U2', 'leads_count', 4, 5, 4, 5],
    ['U2', 'signed_count', 1, 2, 1, 2],
    ['U2', 'signed_value', 50 * M, 70 * M, 50 * M, 70 * M],
    ['U3', 'funds_arrived', 22 * M, 17 * M, 10 * M, 10 * M], // +2M (F6), −3M (F7), −4M (F10 left)
    ['U3', 'leads_count', 2, 1, 2, 1],
    ['U3', 'signed_count', 2, 1, 2, 1],
    ['U3', 'signed_value', 100 * M, 80 * M, 100 * M, 80 * M],
  ].sort());
  // The ranks are as they were (U1 U2 U4 U3): no rank line.
  assert.equal(d.changes.filter((c) => c.metric === 'rank').length, 0);
  // The snapshot row itself cannot be changed, even in SQL.
  assert.throws(() => sql(server.db, `UPDATE snapshots SET label = 'x' WHERE id = ${snapshot.id}`), /snapshots are frozen/);
  assert.equal(sql(server.db, `SELECT label FROM snapshots WHERE id = ${snapshot.id}`)[0][0], '第1期通报');
  assert.deepEqual((await get(`/api/v1/campaigns/${f.c}/snapshots`)).items.map((x) => x.id), [snapshot.id]);
});

test('settings: weights change scores exactly; the stale check follows stale_days', async () => {
  const path = `/api/v1/campaigns/${f.c}/settings`;
  const s0 = await get(path);
  assert.equal(s0.version, 0);
  assert.deepEqual(s0.weights, {
    funds_arrived: 40, signed_count: 10, signed_value: 15, started_count: 10, completed_count: 5,
    policy_funds: 40, leads_count: 5, visits_out: 5, visits_in: 5, fairs: 5,
  });
  const s1 = ok(await f.office.patch(path, {
    version: 0, stale_days: 30,
    weights: { funds_arrived: 0, policy_funds: 0, signed_count: 20, visits_out: 0, visits_in: 0, fairs: 0 },
  }), 200, 'settings');
  assert.equal(s1.version, 1);
  assert.equal(s1.weights.signed_count, 20);
  assert.equal(s1.weights.signed_value, 15); // untouched
  // Components left: signed_count 20, signed_value 15, started 10, completed 5, leads 5 (with targets):
  //   U1 signed 20×0.5 + leads 5×0.8 = 14 / 25 → 56
  //   U2 signed 20×1 + completed 5×0 = 20 / 25 → 80
  //   U3 signed_value 15×0.8 = 12 / 15 → 80
  //   U4 none left → 0
  // U2 and U3 tie at 80: certified funds decide (U2 25M before U3 10M).
  // Completion uses the same weights: U1 (20×50 + 5×80)/25 = 56 → behind (< 66); U2 (20×100 + 5×0)/25 = 80
  // → on_track; U3 80 → on_track; U4 has certified funds but no weighted target → no_target.
  const r = await board('ranking');
  assert.deepEqual(ranks(r.overall), [
    ['U2', 1, 80, 'on_track', 25 * M, 2],
    ['U3', 2, 80, 'on_track', 10 * M, 1],
    ['U1', 3, 56, 'behind', 110 * M, 2],
    ['U4', 4, 0, 'no_target', 13_750_000, 0],
  ]);
  assert.deepEqual(ranks(r.by_category.industry).map((x) => x.slice(0, 3)), [['U2', 1, 80], ['U1', 2, 56]]);
  const x = await get(`/api/v1/campaigns/${f.c}/ranking/${f.u[1]}`);
  assert.deepEqual(x.components.map((c) => [c.metric, c.weight, c.ratio, c.points]), [
    ['signed_count', 20, 0.5, 40], // 100×20×0.5/25
    ['leads_count', 5, 0.8, 16], // 100×5×0.8/25
  ]);
  // stale_days 30 (quiet since 09-15): P5 (08-20) and P13 (08-25); P3 (09-20) and P7 (09-28) are not.
  const stale = await board('stale-projects');
  assert.equal(stale.stale_days, 30);
  assert.deepEqual(staleRows(stale).map((y) => y[0]), ['P5', 'P13']);
  // The ranks moved against the snapshot: U1 1→3, U2 2→1, U3 4→2, U4 3→4.
  const d = await get(`/api/v1/snapshots/${snapshot.id}/diff`);
  assert.deepEqual(d.changes.filter((c) => c.metric === 'rank').map((c) => [uname(c.unit_id), c.frozen_rank, c.current_rank]),
    [['U1', 1, 3], ['U2', 2, 1], ['U3', 4, 2], ['U4', 3, 4]]);
  assert.equal(d.changes.length, 16); // the 12 metric lines and 4 rank lines

  // Every weight 0: no component, every score 0. As of 09-09 certified funds are U1 60M (F1), others 0;
  // certified signings U1 2 (SC2, SC4), U3 1 (SC16), U2 0 (SC9 is 09-10), U4 0. Order: U1 (funds),
  // U3 (signings), then U2 and U4 by id. Status: a unit with certified funds or signings but no
  // weighted target is no_target; U2 and U4 have neither: zero.
  const zero = Object.fromEntries(Object.keys(s0.weights).map((k) => [k, 0]));
  ok(await f.office.patch(path, { version: 1, weights: zero }), 200);
  assert.deepEqual(ranks((await board('ranking', '2026-09-09')).overall), [
    ['U1', 1, 0, 'no_target', 60 * M, 2],
    ['U3', 2, 0, 'no_target', 0, 1],
    ['U2', 3, 0, 'zero', 0, 0],
    ['U4', 4, 0, 'zero', 0, 0],
  ]);

  // A stale version, bad values, and roles other than the office's are refused; nothing changes.
  fails(await f.office.patch(path, { version: 1, stale_days: 20 }), 409, 'conflict', 'version');
  fails(await f.office.patch(path, { stale_days: 20 }), 400, 'validation_failed', 'version');
  fails(await f.office.patch(path, { version: 2, weights: { funds_arrived: -1 } }), 400, 'validation_failed', 'weights.funds_arrived');
  fails(await f.office.patch(path, { version: 2, weights: { funds_arrived: 'x' } }), 400, 'validation_failed', 'weights.funds_arrived');
  fails(await f.office.patch(path, { version: 2, weights: { bogus: 1 } }), 400, 'validation_failed', 'weights.bogus');
  fails(await f.office.patch(path, { version: 2, probabilities: { lead: 101 } }), 400, 'validation_failed', 'probabilities.lead');
  fails(await f.office.patch(path, { version: 2, stale_days: 0 }), 400, 'validation_failed', 'stale_days');
  fails(await f.office.patch(path, { version: 2, behind_margin: 101 }), 400, 'validation_failed', 'behind_margin');
  for (const c of [f.staff1, f.head1, f.leader]) fails(await c.patch(path, { version: 2, stale_days: 20 }), 403, 'forbidden');
  const now = await get(path);
  assert.deepEqual([now.version, now.stale_days, now.weights.funds_arrived], [2, 30, 0]);
});

test('enough reported signings keep a unit off the will-miss list (the forecast counts pending records)', async () => {
  // State after the edits above (weights all 0 from the settings test): U1 has certified signings SC2 and
  // SC4, no pending one (SC6 rejected), and in the pipeline P5 (lead) and P3 (negotiating again); P4 is a
  // settled duplicate. Only signings and leads weigh here, so the signing forecast decides.
  ok(await f.office.patch(`/api/v1/campaigns/${f.c}/settings`, { version: 2, weights: { signed_count: 10, leads_count: 5 } }), 200);
  // signed_count 2 + 0.1 × 1 + 0.3 × 1 = 2.4 → 2 of 4 (50 %); leads P1 P2 P3 P5 = 4 × 100/76 = 5.26 → 5 of 5
  // (100 %): (10 × 50 + 5 × 100)/15 = 66.67 → flagged. U2 signings 2 (SC9, SC19 with P10) + 0.4 → 2 of 2: not.
  let fc = forecastView(await board('forecast'));
  assert.deepEqual([fc.U1[0], fc.U1[1], fc.U1[2].signed_count, fc.U1[2].leads_count], [true, 66.67, [2, 2, 2, 4, true], [4, 4, 5, 5, false]]);
  assert.deepEqual((await board('forecast')).will_miss.map((u) => uname(u.unit_id)), ['U1']);
  // Three signings reported, none certified yet: P3 and P5, and a new project P14 signed on its lead day.
  const signed = (date, value) => ({ to_stage: 'signed', date, contract_date: date, contract_value: value });
  ok(await admin.post(`/api/v1/projects/${f.p[3]}/stage-changes`, signed('2026-10-14', 40 * M)), 201, 'sign P3');
  ok(await admin.post(`/api/v1/projects/${f.p[5]}/stage-changes`, signed('2026-10-14', 10 * M)), 201, 'sign P5');
  const p14 = ok(await admin.post('/api/v1/projects', {
    campaign_id: f.c, name: '新材料研发中心项目', lead_unit_id: f.u[1], category: 'industrial', method: 'industry',
    planned_investment: 30 * M, lead_date: TODAY,
  }), 201, 'P14');
  ok(await admin.post(`/api/v1/projects/${p14.id}/stage-changes`, signed(TODAY, 30 * M)), 201, 'sign P14');
  // signed_count 2 + 0.7 × 3 = 4.1 → 4 of 4 (no lead or negotiating left); leads 5 × 100/76 = 6.58 → 7 (140 %):
  // (10 × 100 + 5 × 140)/15 = 113.33 → not flagged. The old forecast (certified + pipeline only) said 2.
  fc = forecastView(await board('forecast'));
  assert.deepEqual([fc.U1[0], fc.U1[1], fc.U1[2].signed_count, fc.U1[2].leads_count], [false, 113.33, [2, 5, 4, 4, false], [5, 5, 7, 5, false]]);
  assert.deepEqual((await board('forecast')).will_miss, []);
});

test('figures count only what is dated within the campaign: as_of after the end is the end day, before the start nothing', async () => {
  // A second server on the same fixture whose today (11-20) is after the campaign's end (11-08).
  const late = await startServer({ env: { HUIZHAN_TODAY: '2026-11-20' } });
  try {
    const g = await buildFixture(late);
    const c = g.admin;
    const get2 = async (path) => ok(await c.get(path), 200, `GET ${path}`);
    const view = (what, asOf) => get2(`/api/v1/campaigns/${g.c}/${what}${asOf ? `?as_of=${asOf}` : ''}`);
    const u = (p, n) => p.units.find((x) => x.unit_id === g.u[n]);
    // F11: 7M foreign to P1, dated 11-15 (after the end), certified; P15: a lead of U2 from 07-20, before the start.
    const f11 = ok(await c.post(`/api/v1/projects/${g.p[1]}/funds`, { amount: 7 * M, date: '2026-11-15', kind: 'foreign', voucher_no: 'V-11' }), 201);
    ok(await g.office.post(`/api/v1/funds/${f11.id}/certify`, {}), 200); // admin entered it: office1 checks
    ok(await c.post('/api/v1/projects', {
      campaign_id: g.c, name: '预热期物流项目', lead_unit_id: g.u[2], category: 'industrial', method: 'industry',
      planned_investment: M, lead_date: '2026-07-20',
    }), 201);
    // Today, 11-16 and 11-08 show the same: U1 funds F1 60 + F2 20 + F3 30 = 110M reported, 90M certified
    // (F11 left out); U2 leads P6 P7 P8 P11 + P15 = 5 (the early lead counts once the campaign runs).
    for (const asOf of [undefined, '2026-11-16', '2026-11-08']) {
      const p = await view('progress', asOf);
      assert.equal(p.campaign.day, 100);
      const x = u(p, 1).metrics.funds_arrived;
      assert.deepEqual([x.reported, x.certified, x.completion], [110 * M, 90 * M, 90], `U1 funds as of ${asOf ?? 'today'}`);
      assert.equal(u(p, 2).metrics.leads_count.reported, 5);
      assert.deepEqual([p.totals.funds_arrived.reported, p.totals.funds_arrived.certified], [157 * M, 125 * M]);
    }
    assert.equal((await view('progress')).campaign.as_of, '2026-11-20');
    const r = (await view('ranking')).overall.find((x) => x.unit_id === g.u[1]);
    assert.deepEqual([r.funds_certified, r.funds_reported], [90 * M, 110 * M]);
    // The drill-down lists F1 and F3 only, not F11.
    const x = await get2(`/api/v1/campaigns/${g.c}/ranking/${g.u[1]}`);
    assert.deepEqual(x.records.filter((y) => y.kind === 'fund').map((y) => y.id), [g.fund[1], g.fund[3]]);
    // After the end nothing more can happen: the forecast is certified + pending at their probabilities.
    //   U1 signed 2 + 0.7 × 1 (SC6) = 2.7 → 3; U4 policy 13.75 + 0.9 × 8 = 20.95M; U1 funds 90 + 0.9 × 20 = 108M.
    const fc = (await view('forecast')).units;
    const fu = (n) => fc.find((y) => y.unit_id === g.u[n]).metrics;
    assert.deepEqual([fu(1).signed_count.forecast, fu(4).policy_funds.forecast, fu(1).funds_arrived.forecast], [3, 20_950_000, 108 * M]);
    // On the eve of the start nothing counts yet, not even P15's lead from 07-20; as of day 1 it does.
    const eve = await view('progress', '2026-07-31');
    assert.deepEqual(eve.units.map((y) => y.metrics.leads_count.reported), [0, 0, 0, 0]);
    assert.equal(eve.totals.funds_arrived.reported, 0);
    assert.deepEqual((await view('funnel', '2026-07-31')).stages.map((y) => y.reached), [0, 0, 0, 0, 0]);
    assert.deepEqual((await get2(`/api/v1/campaigns/${g.c}/ranking/${g.u[2]}?as_of=2026-07-31`)).records, []);
    assert.equal(u(await view('progress', '2026-08-01'), 2).metrics.leads_count.reported, 1);
    // The running totals still equal the records.
    const check = await run(['check', '--db', late.db], { env: { HUIZHAN_TODAY: '2026-11-20' } });
    assert.equal(check.code, 0, check.stdout + check.stderr);
  } finally {
    await late.stop();
  }
});
