// Who may do what in the campaign's working rhythm (SPEC §1 R-ROLE, docs/workflows.md),
// the roster review of a team (R-RULE-7) and the inspections with their leadership
// evidence (R-PROG-8), on the city of workflow_fixture.mjs as of 2026-10-20 (phase 1
// records only; see there). Every expected number is worked out by hand in the comments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useCity, ok, fails, M, DAY1 } from './workflow_fixture.mjs';

let f;
let bulletin; // a published bulletin (第1期)
let draft; // a draft bulletin (第2期)

const { office, get, U } = useCity(DAY1, (c, built) => { f = built; });

const user = (id) => Object.entries(f.users).find(([, v]) => v === id)[0];

test('roster review of U1\'s team: keep, drop and add over a period', async () => {
  const roster = async (q = '', c = f.admin) => get(`/api/v1/teams/${f.team.id}/roster${q}`, c);
  const rows = (r) => r.members.map((m) => [user(m.user_id), m.in_team, m.leads, m.followed, m.signed, m.funds, m.proposal]);
  // 10-01…10-20. The team is staff1a, staff1b, staff1c; U1's people are also head1 and dep1.
  //   dep1  (not in the team) brought P3 (10-11) → add; took part in FU1 on 09-05 (outside).
  //   staff1a brought P2 (10-05) → keep; P2 signed 10-12 (1), its funds F1c 10M + F1d 5M.
  //   staff1b took part in FU3 (10-15, P2) → keep; nothing of its own.
  //   staff1c brought P1 on 08-03 (outside) and followed nothing → drop; P1's F1b (20M,
  //     10-06) falls in the period all the same.
  //   head1 (not in the team) took part in FU2 but brought no lead → not listed.
  const p = await roster('?from=2026-10-01&to=2026-10-20');
  assert.deepEqual([p.from, p.to, p.team.id], ['2026-10-01', '2026-10-20', f.team.id]);
  assert.deepEqual(rows(p), [
    ['dep1', false, 1, 0, 0, 0, 'add'],
    ['staff1a', true, 1, 0, 1, 15 * M, 'keep'],
    ['staff1b', true, 0, 1, 0, 0, 'keep'],
    ['staff1c', true, 0, 0, 0, 20 * M, 'drop'],
  ]);
  // The whole campaign so far (08-01…today): staff1c's P1 lead and signing (09-10) now
  // count, so staff1c is kept; dep1 also followed P1 (FU1).
  const all = await roster();
  assert.deepEqual([all.from, all.to], ['2026-08-01', DAY1]);
  assert.deepEqual(rows(all), [
    ['dep1', false, 1, 1, 0, 0, 'add'],
    ['staff1a', true, 1, 0, 1, 15 * M, 'keep'],
    ['staff1b', true, 0, 1, 0, 0, 'keep'],
    ['staff1c', true, 1, 0, 1, 80 * M, 'keep'],
  ]);
  // The unit's head reads it; another unit does not.
  assert.deepEqual(rows(await roster('?from=2026-10-01&to=2026-10-20', f.as.head1)), rows(p));
  fails(await f.as.staff2.get(`/api/v1/teams/${f.team.id}/roster`), 404, 'not_found');
  fails(await f.admin.get(`/api/v1/teams/${f.team.id}/roster?from=2026-10-21&to=2026-10-20`), 400, 'validation_failed', 'from');
  fails(await f.admin.get(`/api/v1/teams/${f.team.id}/roster?from=2026-02-30`), 400, 'validation_failed', 'from');
  fails(await f.admin.get(`/api/v1/teams/${f.team.id}/roster?since=2026-10-01`), 400, 'validation_failed', 'since');
});

test('inspections: leadership evidence as of the inspection date; the unit sees them once published', async () => {
  // U1's weekly reports, both submitted today (a review is never dated before its
  // submission): week 10 reviewed today, 10-20 (due 10-16: late), week 11 reviewed today
  // (due 10-23: on time).
  for (const [week, date] of [[10, DAY1], [11, DAY1]]) {
    const r = ok(await f.as.staff1a.post(`/api/v1/campaigns/${f.c}/weekly-reports`, { week }), 201);
    ok(await f.as.staff1a.post(`/api/v1/weekly-reports/${r.id}/submit`, {}));
    ok(await f.as.head1.post(`/api/v1/weekly-reports/${r.id}/review`, { heard: true, date }));
  }
  const inspect = (unit, date, extra = {}) => office().post(`/api/v1/campaigns/${f.c}/inspections`, {
    unit_id: f.u[unit], date, inspectors: '督查组', leadership_score: 80, negotiation_score: 70, funds_score: 90,
    progress_score: 60, findings: '主要负责人亲自带队外出招商', ...extra,
  });
  fails(await f.as.head1.post(`/api/v1/campaigns/${f.c}/inspections`, { unit_id: f.u[1], date: DAY1, leadership_score: 1, negotiation_score: 1, funds_score: 1, progress_score: 1 }), 403, 'forbidden');
  fails(await inspect(1, '2026-10-21'), 422, 'rule_violation', 'date');
  fails(await inspect(1, DAY1, { funds_score: 101 }), 400, 'validation_failed', 'funds_score');
  const i20 = ok(await inspect(1, DAY1), 201);
  // As of 10-20: follow-ups with U1's head or deputy: FU1 (09-05, dep1) and FU2 (10-13,
  // head1) → 2. Weeks ended before 10-20: (10-20 − 08-01) / 7 = 80 / 7 → 11. Reviewed on
  // time: week 11 (10-20 ≤ 10-16 + 7); week 10 not (10-20 > 10-09 + 7) → 1.
  assert.deepEqual(i20.leadership_evidence, { follow_ups_with_leader: 2, reports_due: 11, reports_reviewed_on_time: 1 });
  // As of 10-16: 76 / 7 → 10 weeks ended (week 11 ends that day); no review had happened
  // by then (both are of 10-20) → 0. Both follow-ups are before 10-16 → 2.
  const i16 = ok(await inspect(1, '2026-10-16'), 201);
  assert.deepEqual(i16.leadership_evidence, { follow_ups_with_leader: 2, reports_due: 10, reports_reviewed_on_time: 0 });
  // As of 10-19: 79 / 7 → 11 weeks ended; week 11's review (10-20) had not happened yet → 0.
  const i19 = ok(await inspect(1, '2026-10-19'), 201);
  assert.deepEqual(i19.leadership_evidence, { follow_ups_with_leader: 2, reports_due: 11, reports_reviewed_on_time: 0 });
  // As of 09-06: FU1 only; (09-06 − 08-01) = 36 / 7 → 5 weeks; no review yet.
  const i906 = ok(await inspect(1, '2026-09-06'), 201);
  assert.deepEqual(i906.leadership_evidence, { follow_ups_with_leader: 1, reports_due: 5, reports_reviewed_on_time: 0 });
  // U2 has no head or deputy on record and no reports.
  const u2 = ok(await inspect(2, DAY1), 201);
  assert.deepEqual(u2.leadership_evidence, { follow_ups_with_leader: 0, reports_due: 11, reports_reviewed_on_time: 0 });
  assert.equal(i20.published, false);

  // Unpublished: U1's people do not see it.
  fails(await f.as.head1.get(`/api/v1/inspections/${i20.id}`), 404, 'not_found');
  assert.equal((await get(`/api/v1/campaigns/${f.c}/inspections`, f.as.staff1a)).total, 0);
  ok(await f.as.leader1.get(`/api/v1/inspections/${i20.id}`));
  fails(await f.as.leader1.patch(`/api/v1/inspections/${i20.id}`, { version: i20.version, published: true }), 403, 'forbidden');
  fails(await f.as.head1.patch(`/api/v1/inspections/${i20.id}`, { version: i20.version, published: true }), 403, 'forbidden');
  const pub = ok(await office().patch(`/api/v1/inspections/${i20.id}`, { version: i20.version, published: true }));
  assert.equal(pub.published, true);
  assert.deepEqual(pub.leadership_evidence, i20.leadership_evidence);
  // Published: U1 sees this one (not its unpublished ones); U2 never sees U1's.
  assert.deepEqual((await get(`/api/v1/campaigns/${f.c}/inspections`, f.as.head1)).items.map((x) => x.id), [i20.id]);
  assert.equal((await get(`/api/v1/inspections/${i20.id}`, f.as.staff1b)).funds_score, 90);
  fails(await f.as.staff2.get(`/api/v1/inspections/${i20.id}`), 404, 'not_found');
  assert.equal((await get(`/api/v1/campaigns/${f.c}/inspections`, f.as.head2)).total, 0);
});

test('bulletins: the office drafts and publishes; leaders read drafts and add instructions; units read published ones', async () => {
  const b1 = ok(await office().post(`/api/v1/campaigns/${f.c}/bulletins`, {}), 201);
  fails(await f.as.leader1.patch(`/api/v1/bulletins/${b1.id}`, { version: b1.version, closing: '改' }), 403, 'forbidden');
  fails(await f.as.head1.patch(`/api/v1/bulletins/${b1.id}`, { version: b1.version, closing: '改' }), 403, 'forbidden');
  fails(await f.as.leader1.del(`/api/v1/bulletins/${b1.id}?version=${b1.version}`), 403, 'forbidden');
  fails(await f.as.leader1.post(`/api/v1/bulletins/${b1.id}/publish`, {}), 403, 'forbidden');
  fails(await f.as.head1.post(`/api/v1/bulletins/${b1.id}/publish`, {}), 403, 'forbidden');
  fails(await f.as.staff1a.post(`/api/v1/bulletins/${b1.id}/publish`, {}), 403, 'forbidden');
  bulletin = ok(await office().post(`/api/v1/bulletins/${b1.id}/publish`, {}));
  draft = ok(await office().post(`/api/v1/campaigns/${f.c}/bulletins`, { period_start: '2026-10-20' }), 201);
  assert.deepEqual([draft.number, draft.period_start, draft.period_end], [2, DAY1, DAY1]);
  fails(await office().post(`/api/v1/campaigns/${f.c}/bulletins`, { period_end: '2026-10-21' }), 422, 'rule_violation', 'period_end');
  fails(await office().post(`/api/v1/campaigns/${f.c}/bulletins`, { number: 9 }), 400, 'validation_failed', 'number');
  // In a draft the office edits the texts (title, issuer, intro, highlights_text, closing), never the figures.
  for (const [k, v] of [['content', {}], ['number', 5], ['period_end', '2026-10-01'], ['snapshot_id', 1], ['status', 'published'], ['sha256', 'x']]) {
    fails(await office().patch(`/api/v1/bulletins/${draft.id}`, { version: draft.version, [k]: v }), 400, 'validation_failed', k);
  }
  // An official circular keeps a title and an issuer.
  for (const [k, v] of [['title', ''], ['title', '  '], ['issuer', '']]) {
    fails(await office().patch(`/api/v1/bulletins/${draft.id}`, { version: draft.version, [k]: v }), 400, 'validation_failed', k);
  }
  const texts = ok(await office().patch(`/api/v1/bulletins/${draft.id}`, {
    version: draft.version, title: '第2期（征求意见稿）', issuer: '市百日会战活动办公室', intro: '导语', highlights_text: '亮点', closing: '要求',
  }));
  assert.deepEqual([texts.title, texts.issuer, texts.intro, texts.highlights_text, texts.closing, texts.content],
    ['第2期（征求意见稿）', '市百日会战活动办公室', '导语', '亮点', '要求', draft.content]);

  // Leaders read drafts; units read published bulletins only.
  ok(await f.as.leader1.get(`/api/v1/bulletins/${draft.id}`));
  ok(await f.as.leader1.get(`/api/v1/bulletins/${draft.id}/print`));
  for (const l of ['head1', 'staff1a', 'head3', 'staff2']) {
    assert.deepEqual((await get(`/api/v1/campaigns/${f.c}/bulletins`, f.as[l])).items.map((x) => x.id), [bulletin.id], l);
    fails(await f.as[l].get(`/api/v1/bulletins/${draft.id}`), 404, 'not_found');
    fails(await f.as[l].get(`/api/v1/bulletins/${draft.id}/print`), 404, 'not_found');
    assert.ok((await f.as[l].get(`/api/v1/bulletins/${bulletin.id}/print`)).body.includes('第1期'));
  }
  assert.equal((await get(`/api/v1/campaigns/${f.c}/bulletins`, f.as.leader1)).total, 2);

  // Instructions (批示): leaders only.
  const ins = ok(await f.as.leader1.post(`/api/v1/bulletins/${bulletin.id}/instructions`, { text: '落后单位要对照差距，限期整改。' }), 201);
  assert.equal(ins.bulletin_id, bulletin.id);
  fails(await office().post(`/api/v1/bulletins/${bulletin.id}/instructions`, { text: '收到' }), 403, 'forbidden');
  fails(await f.as.head1.post(`/api/v1/bulletins/${bulletin.id}/instructions`, { text: '收到' }), 403, 'forbidden');
  fails(await f.as.leader1.post(`/api/v1/bulletins/${bulletin.id}/instructions`, { text: '好', extra: 1 }), 400, 'validation_failed', 'extra');
  const list = await get(`/api/v1/bulletins/${bulletin.id}/instructions`, f.as.staff3);
  assert.deepEqual(list.items.map((x) => [x.user_id, x.text]), [[f.users.leader1, '落后单位要对照差距，限期整改。']]);
  // An instruction does not change the published bulletin.
  assert.deepEqual(await get(`/api/v1/bulletins/${bulletin.id}`), bulletin);
  fails(await f.as.head1.get(`/api/v1/bulletins/${draft.id}/instructions`), 404, 'not_found');
  // On a weekly report too.
  const r = ok(await f.as.staff2.post(`/api/v1/campaigns/${f.c}/weekly-reports`, { week: 11 }), 201);
  ok(await f.as.leader1.post(`/api/v1/weekly-reports/${r.id}/instructions`, { text: '商务局要加快跨境电商项目资金到位。' }), 201);
  fails(await f.as.leader1.post(`/api/v1/campaigns/${f.c}/weekly-reports`, { week: 11, unit_id: f.u[4] }), 403, 'forbidden');
  fails(await f.as.leader1.patch(`/api/v1/weekly-reports/${r.id}`, { version: r.version, work_done: '改' }), 403, 'forbidden');
  fails(await f.as.leader1.post(`/api/v1/weekly-reports/${r.id}/submit`, {}), 403, 'forbidden');
});

test('a leader reads every figure but edits none', async () => {
  const L = f.as.leader1;
  const fund = await get(`/api/v1/funds/${f.fund.F1d}`, L);
  fails(await L.patch(`/api/v1/funds/${f.fund.F1d}`, { version: fund.version, amount: 6 * M }), 403, 'forbidden');
  fails(await L.del(`/api/v1/funds/${f.fund.F1d}?version=${fund.version}`), 403, 'forbidden');
  fails(await L.post(`/api/v1/projects/${f.p[2]}/funds`, { amount: M, date: DAY1, kind: 'foreign' }), 403, 'forbidden');
  fails(await L.post(`/api/v1/funds/${f.fund.F1d}/certify`, {}), 403, 'forbidden');
  const proj = await get(`/api/v1/projects/${f.p[1]}`, L);
  fails(await L.patch(`/api/v1/projects/${f.p[1]}`, { version: proj.version, planned_investment: 1 }), 403, 'forbidden');
  fails(await L.post(`/api/v1/projects/${f.p[3]}/stage-changes`, { to_stage: 'negotiating', date: DAY1 }), 403, 'forbidden');
  fails(await L.post(`/api/v1/campaigns/${f.c}/rules`, {
    code: 'X', name: 'x', trigger_on: 'final', condition: { field: 'status', op: 'eq', value: 'zero' }, outcome: 'other', outcome_text: 'x',
  }), 403, 'forbidden');
  fails(await L.post('/api/v1/coordination-items', { campaign_id: f.c, unit_id: f.u[1], title: 'x', due_date: '2026-10-25' }), 403, 'forbidden');
  // Nothing changed: F1d is still 5M and reported.
  const after = await get(`/api/v1/funds/${f.fund.F1d}`);
  assert.deepEqual([after.amount, after.status, after.version], [5 * M, 'reported', fund.version]);
  // Reading is fine: the rules, the ranking, every unit's progress.
  assert.equal((await get(`/api/v1/campaigns/${f.c}/rules`, L)).total, 5);
  assert.equal((await get(`/api/v1/campaigns/${f.c}/progress`, L)).units.length, 7);
});

test('proposals: the office decides; a unit sees its own approved ones only', async () => {
  // 第1期's admonitions (as of 10-20): bottom 3 U3, U4, U7 and behind U6, U2.
  const all = (await get(`/api/v1/campaigns/${f.c}/proposals?bulletin_id=${bulletin.id}`)).items;
  assert.deepEqual(all.map((p) => U(p.unit_id)).sort(), ['U2', 'U3', 'U4', 'U6', 'U7']);
  // 第2期 (10-20 only, same figures) proposes the same five again, for itself.
  assert.equal((await get(`/api/v1/campaigns/${f.c}/proposals?bulletin_id=${draft.id}`)).total, 5);
  const of = (u) => all.find((p) => U(p.unit_id) === u);
  for (const c of [f.as.leader1, f.as.head3, f.as.staff3]) {
    fails(await c.post(`/api/v1/proposals/${of('U3').id}/approve`, {}), 403, 'forbidden');
    fails(await c.post(`/api/v1/proposals/${of('U3').id}/dismiss`, { note: '不同意' }), 403, 'forbidden');
  }
  // Before any decision a unit sees none of its proposals.
  assert.equal((await get(`/api/v1/campaigns/${f.c}/proposals`, f.as.head3)).total, 0);
  ok(await office().post(`/api/v1/proposals/${of('U3').id}/approve`, { note: '请分管市领导约谈' }));
  ok(await office().post(`/api/v1/proposals/${of('U2').id}/dismiss`, { note: '已有签约项目，暂缓约谈' }));
  ok(await office().post(`/api/v1/proposals/${of('U4').id}/approve`, {}));
  // U3 sees its approved one; U2 its dismissed one not; U4's is not U3's business.
  for (const l of ['head3', 'staff3']) {
    const mine = (await get(`/api/v1/campaigns/${f.c}/proposals`, f.as[l])).items;
    assert.deepEqual(mine.map((p) => [U(p.unit_id), p.outcome, p.status]), [['U3', 'admonition', 'approved']], l);
  }
  assert.equal((await get(`/api/v1/campaigns/${f.c}/proposals`, f.as.staff2)).total, 0);
  fails(await f.as.staff2.get(`/api/v1/proposals/${of('U2').id}`), 404, 'not_found');
  fails(await f.as.head3.get(`/api/v1/proposals/${of('U4').id}`), 404, 'not_found');
  // Leaders read them all.
  assert.equal((await get(`/api/v1/campaigns/${f.c}/proposals`, f.as.leader1)).total, 10);
});
