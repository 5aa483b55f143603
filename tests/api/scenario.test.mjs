// The leader's speech (reference/speech-zh.txt) replayed as a scenario on the city of
// workflow_fixture.mjs (see there for every record): the early warning before the
// month-end, bulletin 第1期 and its freezing, the month-end checkpoint
// ("月底前还没有明显成效的，主要负责人要离职招商"), the trade fair, bulletin 第2期, the
// final checkpoint ("仍然没有成效的，主要负责人要离岗招商"; "对未完成百日会战任务或全年
// 招商引资任务的，要追究单位主要负责人的责任…缓发省标工资"; "对完成任务且表现突出的…表彰奖励")
// and the bulletin-draft job. The server is restarted on the same database with a later
// "today" between the phases: 2026-10-20 (day 81), 2026-11-01 (day 93), 2026-11-09 (after
// the end). Every expected number and unit set is worked out by hand in the comments
// (docs/figures.md, docs/workflows.md); the tests run in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  useCity, loginAll, phase2, phase3, cli, ok, fails, M, DAY1, DAY2, DAY3, projectName, unitSet,
} from './workflow_fixture.mjs';

let city;
let f;
let b1; // bulletin 第1期 as published
let snap1; // its snapshot as published

const { office, get, U } = useCity(DAY1, (c, built) => { city = c; f = built; });

const proposals = async (query = '', c = f.admin) => get(`/api/v1/campaigns/${f.c}/proposals?limit=500${query}`, c);
/** ranking rows → [U, rank, score, status, funds_certified, signed_certified] */
const ranks = (list) => list.map((r) => [U(r.unit_id), r.rank, r.score, r.status, r.funds_certified, r.signed_certified]);
/** proposal list → sorted "U outcome" strings */
const outcomes = (list) => list.map((p) => `${U(p.unit_id)} ${p.outcome}`).sort();
/** highlight rows → [P, U, date, amount, status] */
const rows = (list) => list.map((x) => [projectName(f, x.project_id), U(x.unit_id), x.date, x.amount, x.status]);

test('day 81 (10-20): the month-end early warning names the units at zero today and stores nothing', async () => {
  assert.equal((await proposals()).total, 0);
  const w = await get(`/api/v1/checkpoints/${f.cp.m}/early-warning`);
  assert.equal(w.as_of, DAY1);
  assert.equal(w.checkpoint.id, f.cp.m);
  // Status zero as of 10-20 = no certified funds and no certified signing:
  //   U3: F2 10M and the P6 signing are only reported → zero;  U4: nothing → zero;
  //   U7: P10 only negotiating → zero.
  //   U2 has the certified P4 signing (no funds) and U5 the certified policy fund F3 (its
  //   signing only reported): not zero. U1 and U6 have both.
  assert.deepEqual(outcomes(w.would_propose), ['U3 full_time_investment', 'U4 full_time_investment', 'U7 full_time_investment']);
  const u3 = w.would_propose.find((p) => U(p.unit_id) === 'U3');
  assert.equal(u3.outcome_text, '主要负责人离职招商');
  assert.equal(u3.basis.rule.code, 'R-RULE-1');
  assert.equal(u3.basis.as_of, DAY1);
  assert.deepEqual(u3.basis.rule.condition, { field: 'status', op: 'eq', value: 'zero' });
  const facts = u3.basis.figures;
  assert.deepEqual([facts.status, facts['certified.funds_arrived'], facts['reported.funds_arrived'],
    facts['certified.signed_count'], facts['reported.signed_count']], ['zero', 0, 10 * M, 0, 1]);
  // Nothing stored: no proposal, and the leader sees the same warning.
  assert.equal((await proposals()).total, 0);
  assert.deepEqual(outcomes((await get(`/api/v1/checkpoints/${f.cp.m}/early-warning`, f.as.leader1)).would_propose),
    outcomes(w.would_propose));
  // A unit sees its own warning only: U3's head and staff see U3; U1's head sees none.
  for (const l of ['head3', 'staff3']) {
    assert.deepEqual(outcomes((await get(`/api/v1/checkpoints/${f.cp.m}/early-warning`, f.as[l])).would_propose), ['U3 full_time_investment']);
  }
  assert.deepEqual((await get(`/api/v1/checkpoints/${f.cp.m}/early-warning`, f.as.head1)).would_propose, []);
  // The checkpoint's day has not come: evaluating it now is refused, and stores nothing.
  fails(await office().post(`/api/v1/checkpoints/${f.cp.m}/evaluate`, {}), 422, 'rule_violation', 'date');
  assert.equal((await proposals()).total, 0);
});

test('bulletin 第1期: ranking, time vs task, highlights, lagging units and the admonition proposals', async () => {
  // Only the office drafts bulletins.
  fails(await f.as.leader1.post(`/api/v1/campaigns/${f.c}/bulletins`, {}), 403, 'forbidden');
  fails(await f.as.head1.post(`/api/v1/campaigns/${f.c}/bulletins`, {}), 403, 'forbidden');
  const b = ok(await office().post(`/api/v1/campaigns/${f.c}/bulletins`, { issuer: '市百日会战活动办公室' }), 201);
  // The first bulletin runs from the campaign start to today.
  assert.deepEqual([b.number, b.status, b.period_start, b.period_end, b.issuer],
    [1, 'draft', '2026-08-01', DAY1, '市百日会战活动办公室']);
  assert.equal(b.title, '2026 市直部门招商引资百日会战工作通报（第1期）');
  const c = b.content;
  // Day 81 of 100: time progress 81 %; behind below 71, ahead above 91.
  assert.deepEqual([c.campaign.as_of, c.campaign.day, c.campaign.days, c.campaign.time_progress], [DAY1, 81, 100, 81]);
  // Scores (certified/target capped at 1.5; weights funds 40, signings 10, policy 40):
  //   U1 (40×90/100 + 10×2/2)/50 = 0.92 → 92 (completion 92 > 91: ahead)
  //   U5 40×8/10 / 40 = 0.80 → 80 (completion 80: on track)
  //   U6 40×2/10 / 40 = 0.20 → 20 (behind) ·  U2 (40×0 + 10×1/2)/50 = 0.10 → 10 (behind)
  //   U3, U4, U7: 0, all zero; tie on score, certified funds and signings → unit id order.
  assert.deepEqual(ranks(c.ranking), [
    ['U1', 1, 92, 'ahead', 90 * M, 2],
    ['U5', 2, 80, 'on_track', 8 * M, 0],
    ['U6', 3, 20, 'behind', 2 * M, 1],
    ['U2', 4, 10, 'behind', 0, 1],
    ['U3', 5, 0, 'zero', 0, 0],
    ['U4', 6, 0, 'zero', 0, 0],
    ['U7', 7, 0, 'zero', 0, 0],
  ]);
  const byCat = Object.fromEntries(Object.entries(c.ranking_by_category).map(([k, v]) => [k, v.map((r) => [U(r.unit_id), r.rank])]));
  assert.deepEqual(byCat, {
    industry: [['U1', 1], ['U2', 2]], policy_funds: [['U5', 1]], mass_org: [['U6', 1]],
    agriculture: [['U3', 1]], services: [['U4', 1], ['U7', 2]],
  });
  // Time vs task, in unit order: [U, status, completion, funds target/reported/certified, signings t/r/c].
  // U1 funds reported 95M = F1 60 + F1b 20 + F1c 10 + F1d 5 (reported); U6 5M = F4 2 + F6 3 (reported).
  assert.deepEqual(c.time_vs_task.map((r) => [U(r.unit_id), r.status, r.completion,
    r.funds_arrived.target, r.funds_arrived.reported, r.funds_arrived.certified,
    r.signed_count.target, r.signed_count.reported, r.signed_count.certified]), [
    ['U1', 'ahead', 92, 100 * M, 95 * M, 90 * M, 2, 2, 2],
    ['U2', 'behind', 10, 50 * M, 0, 0, 2, 1, 1],
    ['U3', 'zero', 0, 30 * M, 10 * M, 0, 0, 1, 0],
    ['U4', 'zero', 0, 20 * M, 0, 0, 0, 0, 0],
    ['U5', 'on_track', 80, 0, 0, 0, 0, 1, 0],
    ['U6', 'behind', 20, 10 * M, 5 * M, 2 * M, 0, 1, 1],
    ['U7', 'zero', 0, 40 * M, 0, 0, 1, 0, 0],
  ]);
  // Signings with a contract date in 08-01…10-20, largest first (reported ones marked).
  assert.deepEqual(rows(c.highlights.new_signings), [
    ['P1', 'U1', '2026-09-10', 80 * M, 'certified'],
    ['P4', 'U2', '2026-10-14', 50 * M, 'certified'],
    ['P2', 'U1', '2026-10-12', 30 * M, 'certified'],
    ['P6', 'U3', '2026-10-05', 20 * M, 'reported'],
    ['P9', 'U6', '2026-09-20', 5 * M, 'certified'],
    ['P8', 'U5', '2026-09-01', 0, 'reported'],
  ]);
  // Fund arrivals of the period, largest first; the two of 10M in record order (F1c, then F2).
  assert.deepEqual(rows(c.highlights.largest_funds), [
    ['P1', 'U1', '2026-09-20', 60 * M, 'certified'],
    ['P1', 'U1', '2026-10-06', 20 * M, 'certified'],
    ['P2', 'U1', '2026-10-14', 10 * M, 'certified'],
    ['P6', 'U3', '2026-10-15', 10 * M, 'reported'],
    ['P8', 'U5', '2026-09-15', 8 * M, 'certified'],
    ['P2', 'U1', '2026-10-15', 5 * M, 'reported'],
    ['P9', 'U6', '2026-10-19', 3 * M, 'reported'],
    ['P9', 'U6', '2026-10-10', 2 * M, 'certified'],
  ]);
  assert.deepEqual(c.highlights.biggest_movers, []); // no earlier bulletin
  // Lagging = zero or behind, in ranking order.
  assert.deepEqual(c.lagging.map((r) => [U(r.unit_id), r.status]),
    [['U6', 'behind'], ['U2', 'behind'], ['U3', 'zero'], ['U4', 'zero'], ['U7', 'zero']]);
  // R-RULE-5: bottom 3 (ranks 5–7: U3, U4, U7) or behind (U6, U2) → admonition; not U1
  // (ahead, rank 1) nor U5 (on track, rank 2).
  assert.deepEqual(outcomes(c.rule_outcomes), ['U2 admonition', 'U3 admonition', 'U4 admonition', 'U6 admonition', 'U7 admonition']);
  const u2 = c.rule_outcomes.find((p) => U(p.unit_id) === 'U2');
  assert.deepEqual([u2.basis.rule.code, u2.basis.figures.rank, u2.basis.figures.rank_from_bottom, u2.basis.figures.status, u2.bulletin_id],
    ['R-RULE-5', 4, 4, 'behind', b.id]);
  assert.equal(c.rule_outcomes.find((p) => U(p.unit_id) === 'U3').basis.figures.rank_from_bottom, 3);
  assert.ok(c.rule_outcomes.every((p) => p.basis.as_of === DAY1));
  const stored = await proposals(`&bulletin_id=${b.id}`);
  assert.equal(stored.total, 5);
  assert.deepEqual(outcomes(stored.items), outcomes(c.rule_outcomes));
  assert.ok(stored.items.every((p) => p.status === 'proposed' && p.outcome_text === '约谈主要负责人，谈话诫勉'));
  f.b1 = b.id;
});

test('bulletin 第1期: edited and printed while a draft, then published, hashed, audited and immutable', async () => {
  const id = f.b1;
  const draft = await get(`/api/v1/bulletins/${id}`);
  const closing = '<script>alert("x")</script> 请各单位对照目标任务，找差距、抓落实。';
  const edited = ok(await office().patch(`/api/v1/bulletins/${id}`, {
    version: draft.version, closing, highlights_text: '市工业和信息化局到账资金 9000 万元，居各单位之首。',
  }));
  assert.equal(edited.closing, closing);
  // A draft is for the office and leaders only.
  ok(await f.as.leader1.get(`/api/v1/bulletins/${id}`));
  fails(await f.as.staff1a.get(`/api/v1/bulletins/${id}`), 404, 'not_found');
  assert.equal((await get(`/api/v1/campaigns/${f.c}/bulletins`, f.as.head3)).total, 0);

  const print = await office().get(`/api/v1/bulletins/${id}/print`);
  assert.equal(print.status, 200);
  assert.match(print.headers.get('content-type'), /^text\/html/);
  const html = print.body;
  assert.ok(html.includes('第1期'));
  assert.ok(html.includes('（草稿，未发布）'));
  assert.ok(html.includes('市百日会战活动办公室'));
  // The ranking table: rank, unit, score, certified funds in 万元 (90,000,000 yuan = 9000.00), signings, status.
  assert.ok(html.includes('<tr><td>1</td><td class="l">市工业和信息化局</td><td>92.00</td><td>9000.00</td><td>2</td><td>超前</td></tr>'), html);
  assert.ok(html.includes('<tr><td>7</td><td class="l">市城市管理局</td><td>0.00</td><td>0.00</td><td>0</td><td>零进展</td></tr>'));
  // The closing is escaped, never markup.
  assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; 请各单位对照目标任务'));
  assert.ok(!html.includes('<script'));

  // Only the office publishes.
  fails(await f.as.leader1.post(`/api/v1/bulletins/${id}/publish`, {}), 403, 'forbidden');
  fails(await f.as.head1.post(`/api/v1/bulletins/${id}/publish`, {}), 403, 'forbidden');
  const pub = ok(await office().post(`/api/v1/bulletins/${id}/publish`, {}));
  assert.deepEqual([pub.status, pub.published_on, pub.number], ['published', DAY1, 1]);
  assert.match(pub.sha256, /^[0-9a-f]{64}$/);
  // The hash is in the audit log entry of the publication.
  const audit = await get(`/api/v1/audit?entity=bulletins&entity_id=${id}&limit=50`);
  const entry = audit.items.find((x) => x.action === 'publish');
  assert.ok(entry, JSON.stringify(audit.items.map((x) => x.action)));
  assert.equal(entry.after.sha256, pub.sha256);
  assert.equal(entry.before.status, 'draft');
  assert.equal(entry.user_id, f.users.office1);
  // The publication is announced to every unit: a unit user sees the campaign-wide notice.
  const notices = ok(await f.as.head1.get('/api/v1/notifications?kind=bulletin_published')).items;
  assert.deepEqual(notices.map((x) => [x.unit_id, x.campaign_id, x.text]), [[null, f.c, `已发布：${pub.title}`]]);

  // Published: no change, no deletion, no second publication (409).
  fails(await office().patch(`/api/v1/bulletins/${id}`, { version: pub.version, closing: '改' }), 409, 'conflict');
  fails(await f.admin.patch(`/api/v1/bulletins/${id}`, { version: pub.version, title: '改' }), 409, 'conflict');
  fails(await office().del(`/api/v1/bulletins/${id}?version=${pub.version}`), 409, 'conflict');
  fails(await office().post(`/api/v1/bulletins/${id}/publish`, {}), 409, 'conflict');
  // The database refuses it too.
  assert.throws(() => execFileSync('sqlite3', ['-cmd', '.timeout 5000', city.db, `UPDATE bulletins SET title = 'x' WHERE id = ${id}`],
    { stdio: ['ignore', 'pipe', 'pipe'] }), /immutable/);
  // Now every role reads it, and the printout is no longer marked as a draft.
  ok(await f.as.staff1a.get(`/api/v1/bulletins/${id}`));
  assert.equal((await get(`/api/v1/campaigns/${f.c}/bulletins`, f.as.head3)).total, 1);
  const printed = (await f.as.staff3.get(`/api/v1/bulletins/${id}/print`)).body;
  assert.ok(!printed.includes('草稿'));
  // Dated as an official circular writes it (2026-10-20 → 2026年10月20日).
  assert.ok(printed.includes('市百日会战活动办公室　　2026年10月20日'));
  b1 = await get(`/api/v1/bulletins/${id}`);
  assert.equal(b1.sha256, pub.sha256);
  snap1 = await get(`/api/v1/snapshots/${b1.snapshot_id}`);
  assert.equal(snap1.as_of, DAY1);
});

test('later edits never change what 第1期 froze; the snapshot diff shows them', async () => {
  // The office certifies U6's F6 (3M, 10-19): U6's certified funds as of 10-20 go 2M → 5M.
  await f.certify('funds', f.fund.F6);
  const again = await get(`/api/v1/bulletins/${f.b1}`);
  assert.deepEqual(again, b1);
  assert.deepEqual(await get(`/api/v1/snapshots/${b1.snapshot_id}`), snap1);
  assert.equal(again.content.ranking.find((r) => U(r.unit_id) === 'U6').funds_certified, 2 * M);
  // Now U6 scores 40×5/10/40 = 50, still between U5 (80) and U2 (10): rank 3 unchanged, so
  // the one difference is U6's certified funds (its reported funds were 5M before and after).
  const diff = await get(`/api/v1/snapshots/${b1.snapshot_id}/diff`);
  assert.equal(diff.changed, true);
  assert.deepEqual(diff.changes.map((x) => [U(x.unit_id), x.metric, x.frozen_certified, x.current_certified, x.frozen_reported, x.current_reported]),
    [['U6', 'funds_arrived', 2 * M, 5 * M, 5 * M, 5 * M]]);
  const now = await get(`/api/v1/campaigns/${f.c}/ranking?as_of=${DAY1}`);
  assert.deepEqual(ranks(now.overall)[2], ['U6', 3, 50, 'behind', 5 * M, 1]);
});

test('day 93 (11-01): the month-end checkpoint (10-31) proposes 离职招商 for exactly the units at zero', async () => {
  await city.restart(DAY2);
  await loginAll(city, f);
  await phase2(f);
  fails(await f.as.leader1.post(`/api/v1/checkpoints/${f.cp.m}/evaluate`, {}), 403, 'forbidden');
  fails(await f.as.head3.post(`/api/v1/checkpoints/${f.cp.m}/evaluate`, {}), 403, 'forbidden');
  const ev = ok(await office().post(`/api/v1/checkpoints/${f.cp.m}/evaluate`, {}));
  // As of 10-31: U3 still has only reported funds (F2) and a reported signing → zero;
  // U4 nothing → zero. U7, at zero in the warning of 10-20, signed P10 on 10-28
  // (certified) → not zero. U2 (certified signing, no funds) and U5 (certified policy
  // funds, no certified signing) are not zero either.
  assert.deepEqual([ev.created, ev.existing], [2, 0]);
  assert.deepEqual(outcomes(ev.proposals), ['U3 full_time_investment', 'U4 full_time_investment']);
  const u3 = ev.proposals.find((p) => U(p.unit_id) === 'U3');
  assert.equal(u3.basis.as_of, '2026-10-31');
  assert.deepEqual([u3.basis.figures['certified.funds_arrived'], u3.basis.figures['reported.funds_arrived']], [0, 10 * M]);
  const stored = await proposals(`&checkpoint_id=${f.cp.m}`);
  assert.deepEqual(outcomes(stored.items), ['U3 full_time_investment', 'U4 full_time_investment']);
  assert.ok(stored.items.every((p) => p.status === 'proposed' && p.outcome_text === '主要负责人离职招商'));
  // 5 admonitions of 第1期 + these 2.
  assert.equal((await proposals()).total, 7);
  // The figures behind them are frozen as of 10-31 (R-PROG-11).
  const snap = await get(`/api/v1/snapshots/${ev.snapshot_id}`);
  assert.deepEqual([snap.as_of, snap.label], ['2026-10-31', '考核节点：月底节点（2026-10-31）']);
  assert.deepEqual(snap.figures.progress.units.filter((u) => u.status === 'zero').map((u) => U(u.unit_id)), ['U3', 'U4']);
  const snapshots = (await get(`/api/v1/campaigns/${f.c}/snapshots?limit=100`)).total;

  // Evaluating again adds nothing: no proposal, no snapshot.
  const again = ok(await office().post(`/api/v1/checkpoints/${f.cp.m}/evaluate`, {}));
  assert.deepEqual([again.created, again.existing, again.snapshot_id], [0, 2, null]);
  assert.equal((await proposals()).total, 7);
  // The CLI is the same evaluation.
  const viaCli = await cli(city, ['evaluate', '--checkpoint', String(f.cp.m)]);
  assert.deepEqual([viaCli.created, viaCli.existing, viaCli.snapshot_id], [0, 2, null]);
  assert.equal((await get(`/api/v1/campaigns/${f.c}/snapshots?limit=100`)).total, snapshots);
});

test('the trade fair checkpoint: no default rule fires; a rule the office adds does', async () => {
  const none = ok(await office().post(`/api/v1/checkpoints/${f.cp.fair}/evaluate`, {}));
  assert.deepEqual([none.created, none.existing, none.proposals, none.snapshot_id], [0, 0, [], null]);
  // Rules are data: the office adds one for the fair. A malformed condition is refused.
  fails(await office().post(`/api/v1/campaigns/${f.c}/rules`, {
    code: 'FAIR-1', name: '洽谈会无签约', trigger_on: 'fair', condition: { field: 'certified.nonsense', op: 'eq', value: 0 },
    outcome: 'other', outcome_text: '列入重点督查',
  }), 400, 'validation_failed', 'condition');
  ok(await office().post(`/api/v1/campaigns/${f.c}/rules`, {
    code: 'FAIR-1', name: '洽谈会无签约', trigger_on: 'fair', condition: { field: 'certified.signed_count', op: 'eq', value: 0 },
    outcome: 'other', outcome_text: '列入重点督查',
  }), 201);
  // Certified signings as of 10-25: U1 2, U2 1 (P4), U6 1 (P9); U3 and U5 only reported
  // ones, U4 none, U7 signs on 10-28 → {U3, U4, U5, U7}.
  const ev = ok(await office().post(`/api/v1/checkpoints/${f.cp.fair}/evaluate`, {}));
  assert.deepEqual([ev.created, ev.existing], [4, 0]);
  assert.deepEqual(outcomes(ev.proposals), ['U3 other', 'U4 other', 'U5 other', 'U7 other']);
  assert.equal(ev.proposals[0].basis.as_of, '2026-10-25');
  assert.equal((await get(`/api/v1/snapshots/${ev.snapshot_id}`)).as_of, '2026-10-25');
  assert.equal((await proposals()).total, 11);
});

test('deciding proposals: approve, dismiss with a note, once only; re-evaluation keeps the decisions', async () => {
  const list = (await proposals(`&checkpoint_id=${f.cp.m}`)).items;
  const p3 = list.find((p) => U(p.unit_id) === 'U3');
  const p4 = list.find((p) => U(p.unit_id) === 'U4');
  fails(await office().post(`/api/v1/proposals/${p3.id}/dismiss`, {}), 400, 'validation_failed', 'note');
  fails(await office().post(`/api/v1/proposals/${p3.id}/dismiss`, { note: '' }), 400, 'validation_failed', 'note');
  fails(await f.as.leader1.post(`/api/v1/proposals/${p4.id}/approve`, {}), 403, 'forbidden');
  fails(await f.as.head4.post(`/api/v1/proposals/${p4.id}/approve`, {}), 403, 'forbidden');
  const dismissed = ok(await office().post(`/api/v1/proposals/${p3.id}/dismiss`, { note: '该局签约项目已报送，待认定' }));
  assert.deepEqual([dismissed.status, dismissed.note, dismissed.decided_on, dismissed.decided_by],
    ['dismissed', '该局签约项目已报送，待认定', DAY2, f.users.office1]);
  const approved = ok(await office().post(`/api/v1/proposals/${p4.id}/approve`, {}));
  assert.deepEqual([approved.status, approved.decided_on], ['approved', DAY2]);
  // A decided proposal is not decided again.
  fails(await office().post(`/api/v1/proposals/${p3.id}/approve`, {}), 422, 'rule_violation', 'status');
  fails(await office().post(`/api/v1/proposals/${p4.id}/dismiss`, { note: '改判' }), 422, 'rule_violation', 'status');
  fails(await office().post(`/api/v1/proposals/${p4.id}/approve`, {}), 422, 'rule_violation', 'status');
  // Re-evaluating: nothing new, and the dismissed one stays dismissed.
  const again = ok(await office().post(`/api/v1/checkpoints/${f.cp.m}/evaluate`, {}));
  assert.deepEqual([again.created, again.existing], [0, 2]);
  assert.equal((await get(`/api/v1/proposals/${p3.id}`)).status, 'dismissed');
  assert.equal((await get(`/api/v1/proposals/${p4.id}`)).status, 'approved');
  assert.equal((await proposals()).total, 11);
  // A unit sees its own approved proposals only.
  assert.deepEqual(outcomes((await proposals('', f.as.head4)).items), ['U4 full_time_investment']);
  assert.equal((await proposals('', f.as.head3)).total, 0);
  fails(await f.as.head3.get(`/api/v1/proposals/${p3.id}`), 404, 'not_found');
  fails(await f.as.head3.get(`/api/v1/proposals/${p4.id}`), 404, 'not_found');
  // An admonition talk records the approved admonition it came from — for the same unit only.
  const adm = (await proposals(`&bulletin_id=${f.b1}`)).items;
  const a2 = adm.find((p) => U(p.unit_id) === 'U2');
  ok(await office().post(`/api/v1/proposals/${a2.id}/approve`, { note: '请市领导约谈' }));
  fails(await office().post('/api/v1/admonitions', {
    campaign_id: f.c, unit_id: f.u[3], proposal_id: a2.id, date: '2026-10-30', leader: '张副市长',
  }), 400, 'validation_failed', 'proposal_id');
  fails(await office().post('/api/v1/admonitions', {
    campaign_id: f.c, unit_id: f.u[4], proposal_id: p4.id, date: '2026-10-30', leader: '张副市长',
  }), 400, 'validation_failed', 'proposal_id');
  const talk = ok(await office().post('/api/v1/admonitions', {
    campaign_id: f.c, unit_id: f.u[2], proposal_id: a2.id, bulletin_id: f.b1, date: '2026-10-30', leader: '张副市长',
    basis: '第1期通报排名第4、进度滞后',
  }), 201);
  assert.equal(talk.proposal_id, a2.id);
  assert.deepEqual(outcomes((await proposals('', f.as.staff2)).items), ['U2 admonition']);
});

test('bulletin 第2期 (10-21…11-01): new ranking, movers since 第1期, the period\'s signings and funds', async () => {
  const b = ok(await office().post(`/api/v1/campaigns/${f.c}/bulletins`, {}), 201);
  // From the day after 第1期's period end to today.
  assert.deepEqual([b.number, b.period_start, b.period_end, b.status], [2, '2026-10-21', DAY2, 'draft']);
  assert.equal(b.title, '2026 市直部门招商引资百日会战工作通报（第2期）');
  assert.equal(b.issuer, '招商引资百日会战指挥部办公室');
  const c = b.content;
  // Day 93: time progress 93 %; behind below 83, ahead above 103.
  assert.deepEqual([c.campaign.day, c.campaign.time_progress], [93, 93]);
  // U5 policy 12M/10M → 1.2 → 120 (ahead) · U1 (40×1.1 + 10×1)/50 = 1.08 → 108 (ahead)
  // U2 (40×50/50 + 10×2/2)/50 → 100 (on track) · U7 (40×40/40 + 10×1/1)/50 → 100 (on track)
  // U2 and U7 tie at 100: U2 has more certified funds (50M > 40M) → U2 3rd, U7 4th.
  // U6 40×5/10/40 → 50 (behind) · U3, U4 zero at 0 → by id.
  assert.deepEqual(ranks(c.ranking), [
    ['U5', 1, 120, 'ahead', 12 * M, 0],
    ['U1', 2, 108, 'ahead', 110 * M, 2],
    ['U2', 3, 100, 'on_track', 50 * M, 2],
    ['U7', 4, 100, 'on_track', 40 * M, 1],
    ['U6', 5, 50, 'behind', 5 * M, 1],
    ['U3', 6, 0, 'zero', 0, 0],
    ['U4', 7, 0, 'zero', 0, 0],
  ]);
  // Rank moves since 第1期 (U1 1, U5 2, U6 3, U2 4, U3 5, U4 6, U7 7): U5 +1, U1 −1, U2 +1,
  // U7 +3, U6 −2, U3 −1, U4 −1 → only U7 moved by 3 or more.
  assert.deepEqual(c.highlights.biggest_movers.map((m) => [U(m.unit_id), m.rank, m.change]), [['U7', 4, 3]]);
  assert.deepEqual(rows(c.highlights.new_signings), [
    ['P10', 'U7', '2026-10-28', 30 * M, 'certified'],
    ['P5', 'U2', '2026-10-26', 20 * M, 'certified'],
  ]);
  assert.deepEqual(rows(c.highlights.largest_funds), [
    ['P4', 'U2', '2026-10-29', 50 * M, 'certified'],
    ['P10', 'U7', '2026-10-30', 40 * M, 'certified'],
    ['P1', 'U1', '2026-10-25', 20 * M, 'certified'],
    ['P8', 'U5', '2026-10-27', 4 * M, 'certified'],
  ]);
  assert.deepEqual(c.lagging.map((r) => [U(r.unit_id), r.status]), [['U6', 'behind'], ['U3', 'zero'], ['U4', 'zero']]);
  // Bottom 3 (U6, U3, U4) or behind (U6) → admonition for exactly U3, U4, U6.
  assert.deepEqual(outcomes(c.rule_outcomes), ['U3 admonition', 'U4 admonition', 'U6 admonition']);
  assert.equal((await proposals(`&bulletin_id=${b.id}`)).total, 3);
  assert.equal((await proposals()).total, 14);
  ok(await office().post(`/api/v1/bulletins/${b.id}/publish`, {}));
  const html = (await f.as.head1.get(`/api/v1/bulletins/${b.id}/print`)).body;
  assert.ok(html.includes('第2期'));
  assert.ok(html.includes('招商引资百日会战指挥部办公室'));
  assert.ok(html.includes('<li>市城市管理局：第 4 名，上升 3 位</li>'), html);
  // 第1期 is untouched by all this.
  assert.deepEqual(await get(`/api/v1/bulletins/${f.b1}`), b1);
});

test('after the end (11-09): the final checkpoint proposes 离岗招商, accountability and commendation', async () => {
  await city.restart(DAY3);
  await loginAll(city, f);
  await phase3(f); // U3's F2 (10M, 10-15) is certified now
  const ev = ok(await office().post(`/api/v1/checkpoints/${f.cp.end}/evaluate`, {}));
  // As of 11-08 (time progress 100 %):
  //   U1 funds 110M ≥ 100M, signings 2 ≥ 2, but annual funds 110M < 150M → accountability;
  //      rank 2 yet not all targets met → no commendation.
  //   U2 50M/50M, 2/2 → all met, score 100, rank 3 (beats U7 on funds) → commendation.
  //   U3 10M/30M certified → not zero any more, target missed → accountability.
  //   U4 nothing → zero → 离岗招商, and target missed → accountability.
  //   U5 12M/10M policy → all met, score 120, rank 1 → commendation.
  //   U6 5M/10M → accountability.
  //   U7 40M/40M, 1/1 → all met, score 100 but rank 4 → nothing.
  assert.deepEqual([ev.created, ev.existing], [7, 0]);
  const by = (kind) => unitSet(f, ev.proposals.filter((p) => p.outcome === kind));
  assert.deepEqual(by('leave_post'), ['U4']);
  assert.deepEqual(by('accountability'), ['U1', 'U3', 'U4', 'U6']);
  assert.deepEqual(by('commendation'), ['U2', 'U5']);
  assert.equal(ev.proposals.length, 7);
  const texts = Object.fromEntries(ev.proposals.map((p) => [p.outcome, p.outcome_text]));
  assert.deepEqual(texts, { leave_post: '主要负责人离岗招商', accountability: '追究主要负责人责任，全员缓发省标工资', commendation: '表彰奖励' });
  const u1 = ev.proposals.find((p) => p.outcome === 'accountability' && U(p.unit_id) === 'U1').basis.figures;
  assert.deepEqual([u1.campaign_targets_met, u1.annual_targets_met, u1.all_targets_met, u1['certified.funds_arrived'], u1['annual_target.funds_arrived'], u1.rank],
    [true, false, false, 110 * M, 150 * M, 2]);
  const u2 = ev.proposals.find((p) => p.outcome === 'commendation' && U(p.unit_id) === 'U2').basis;
  assert.deepEqual([u2.rule.code, u2.as_of, u2.figures.rank, u2.figures.all_targets_met], ['R-RULE-4', '2026-11-08', 3, true]);
  const final = await get(`/api/v1/campaigns/${f.c}/ranking?as_of=2026-11-08`);
  // U3 scores 40×(10/30)/40 = 33.33.
  assert.deepEqual(ranks(final.overall).map((r) => [r[0], r[1], r[2]]),
    [['U5', 1, 120], ['U1', 2, 108], ['U2', 3, 100], ['U7', 4, 100], ['U6', 5, 50], ['U3', 6, 33.33], ['U4', 7, 0]]);
  assert.equal((await proposals()).total, 21);
  const frozen = await get(`/api/v1/snapshots/${ev.snapshot_id}`);
  assert.deepEqual(frozen.figures.ranking.overall.map((r) => [U(r.unit_id), r.rank]), ranks(final.overall).map((r) => [r[0], r[1]]));
  const again = ok(await office().post(`/api/v1/checkpoints/${f.cp.end}/evaluate`, {}));
  assert.deepEqual([again.created, again.existing, again.snapshot_id], [0, 7, null]);
  assert.equal((await proposals()).total, 21);
});

test('the bulletin-draft job drafts 第3期 up to yesterday, once', async () => {
  const out = await cli(city, ['job', 'bulletin-draft']);
  assert.equal(out.job, 'bulletin-draft');
  assert.equal(out.ran_on, DAY3);
  assert.equal(out.done.length, 1);
  assert.equal(out.done[0].number, 3);
  const b = await get(`/api/v1/bulletins/${out.done[0].bulletin_id}`);
  // From the day after 第2期 (11-02) to yesterday, 11-08, the last day of the campaign.
  assert.deepEqual([b.status, b.period_start, b.period_end], ['draft', '2026-11-02', '2026-11-08']);
  // As of 11-08 (100 %; behind below 90, ahead above 110): the final ranking; no rank moved
  // since 第2期. U3 (33.33) and U6 (50) are behind, U4 zero; U1 108 is on track.
  assert.deepEqual(ranks(b.content.ranking).map((r) => [r[0], r[1], r[3]]),
    [['U5', 1, 'ahead'], ['U1', 2, 'on_track'], ['U2', 3, 'on_track'], ['U7', 4, 'on_track'], ['U6', 5, 'behind'], ['U3', 6, 'behind'], ['U4', 7, 'zero']]);
  assert.deepEqual(b.content.highlights.biggest_movers, []);
  assert.deepEqual(b.content.highlights.new_signings, []);
  assert.deepEqual(outcomes(b.content.rule_outcomes), ['U3 admonition', 'U4 admonition', 'U6 admonition']);
  // The proposals' basis is dated like the frozen figures (the period end), not today.
  assert.deepEqual(b.content.rule_outcomes.map((p) => p.basis.as_of), ['2026-11-08', '2026-11-08', '2026-11-08']);
  // Nothing new since: the job (here through the API) drafts nothing more.
  const second = ok(await office().post('/api/v1/jobs/bulletin-draft/run', {}));
  assert.deepEqual(second.done, []);
  assert.equal((await get(`/api/v1/campaigns/${f.c}/bulletins`)).total, 3);
  assert.equal((await proposals()).total, 24);
  // Unit users still see the two published bulletins only.
  assert.deepEqual((await get(`/api/v1/campaigns/${f.c}/bulletins?sort=number`, f.as.staff3)).items.map((x) => x.number), [1, 2]);
});

test('re-evaluating names the undecided proposals a late certification lifted, and withdraws nothing', async () => {
  // FAIR-1 (certified signings = 0 as of 10-25) proposed U3, U4, U5 and U7; nobody decided them.
  // U3's signing of P6 (10-05, 20M) was only reported until now: certified today (11-09), it
  // counts from 10-05, so as of 10-25 U3 has one certified signing and FAIR-1 no longer holds
  // for U3. U4 (nothing), U5 (P8 signing still reported) and U7 (signed 10-28) still match.
  ok(await office().post(`/api/v1/stage-changes/${f.sc.p6s}/certify`, { reason: '合同原件已核验' })); // no scan attached
  const ev = ok(await office().post(`/api/v1/checkpoints/${f.cp.fair}/evaluate`, {}));
  assert.deepEqual([ev.created, ev.existing, ev.snapshot_id], [0, 3, null]);
  assert.deepEqual(ev.no_longer_met.map((p) => [U(p.unit_id), p.outcome_text]), [['U3', '列入重点督查']]);
  // Nothing is withdrawn silently: U3's proposal is still there, undecided.
  const fair = (await proposals(`&checkpoint_id=${f.cp.fair}`)).items;
  assert.deepEqual(outcomes(fair), ['U3 other', 'U4 other', 'U5 other', 'U7 other']);
  assert.equal(fair.find((p) => p.id === ev.no_longer_met[0].id).status, 'proposed');
  // The month-end proposals were decided (U3 dismissed, U4 approved): none is listed there.
  assert.deepEqual(ok(await office().post(`/api/v1/checkpoints/${f.cp.m}/evaluate`, {})).no_longer_met, []);
  // The office dismisses it with a note; then it is no longer listed.
  ok(await office().post(`/api/v1/proposals/${ev.no_longer_met[0].id}/dismiss`, { note: '签约已认定' }));
  assert.deepEqual(ok(await office().post(`/api/v1/checkpoints/${f.cp.fair}/evaluate`, {})).no_longer_met, []);
});
