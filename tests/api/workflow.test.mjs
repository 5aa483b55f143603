// The weekly rhythm of docs/workflows.md on the city of workflow_fixture.mjs (phase 1
// records only; see there): weekly reports and who has not reported, coordination items
// whose lights change with the date (the server is restarted on the same database with
// a later "today"), reminders, and the scheduled jobs run from the CLI and the API with
// the notifications they leave. Every expected number is worked out by hand in the
// comments; the tests run in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useCity, loginAll, cli, ok, fails, M, DAY1, unitSet } from './workflow_fixture.mjs';

let city;
let f;
const rep = {}; // weekly report ids by "U1w11"
const item = {}; // coordination item ids C1…C5

const { office, get, U } = useCity(DAY1, (c, built) => { city = c; f = built; });

const zero = { reported: 0, certified: 0 };
const both = (n) => ({ reported: n, certified: n });
/** Every notification (admin view), or those of one kind. */
async function notifications(kind, c = f.admin) {
  const all = (await get('/api/v1/notifications?limit=500', c)).items;
  return kind ? all.filter((n) => n.kind === kind) : all;
}
const newReport = (c, week, extra = {}) => c.post(`/api/v1/campaigns/${f.c}/weekly-reports`,
  { week, work_done: `第${week}周：走访客商`, problems: '用地指标紧张', next_plan: '跟进签约', ...extra });

test('a weekly report: the figures the system fills in are the unit\'s week, worked by hand', async () => {
  const r = ok(await newReport(f.as.staff1a, 11), 201);
  rep.U1w11 = r.id;
  assert.deepEqual([U(r.unit_id), r.week, r.week_start, r.week_end, r.status], ['U1', 11, '2026-10-10', '2026-10-16', 'draft']);
  // U1 in week 11 (10-10…10-16): lead P3 (10-11); follow-ups FU2 (10-13, meeting) and FU3
  // (10-15, call); the P2 signing (10-12, 30M, certified); funds F1c 10M (10-14, certified)
  // and F1d 5M (10-15, reported only).
  const expectWeek11 = {
    leads_count: both(1), follow_ups: both(2), visits_out: zero, visits_in: zero, signed_count: both(1),
    signed_value: both(30 * M), started_count: zero, completed_count: zero,
    funds_arrived: { reported: 15 * M, certified: 10 * M }, policy_funds: zero,
  };
  // Week 10 (10-03…10-09): lead P2 (10-05) and fund F1b 20M (10-06, certified).
  const expectWeek10 = {
    leads_count: both(1), follow_ups: zero, visits_out: zero, visits_in: zero, signed_count: zero,
    signed_value: zero, started_count: zero, completed_count: zero, funds_arrived: both(20 * M), policy_funds: zero,
  };
  assert.deepEqual(r.figures.this_week, expectWeek11);
  assert.deepEqual(r.figures.last_week, expectWeek10);
  // change = this week's reported − last week's.
  assert.deepEqual(r.figures.change, {
    leads_count: 0, follow_ups: 2, visits_out: 0, visits_in: 0, signed_count: 1, signed_value: 30 * M,
    started_count: 0, completed_count: 0, funds_arrived: -5 * M, policy_funds: 0,
  });
  // To date (08-01…10-16): leads P1, P2, P3; follow-ups FU1–FU3; signings P1 80M + P2 30M;
  // funds 60 + 20 + 10 (certified) + 5 (reported) M.
  assert.deepEqual(r.figures.to_date, {
    leads_count: both(3), follow_ups: both(3), visits_out: zero, visits_in: zero, signed_count: both(2),
    signed_value: both(110 * M), started_count: zero, completed_count: zero,
    funds_arrived: { reported: 95 * M, certified: 90 * M }, policy_funds: zero,
  });
  // A week that has not started (week 13 starts 10-24) is refused; the campaign has 15 weeks.
  fails(await newReport(f.as.staff1a, 13), 422, 'rule_violation', 'week');
  fails(await newReport(f.as.staff1a, 16), 400, 'validation_failed', 'week');
  fails(await newReport(f.as.staff1a, 0), 400, 'validation_failed', 'week');
  // One report per unit and week.
  fails(await newReport(f.as.staff1b, 11), 409, 'conflict');
  // While a draft, the unit edits it; another unit cannot even read it.
  const edited = ok(await f.as.staff1a.patch(`/api/v1/weekly-reports/${r.id}`, { version: r.version, work_done: '赴深圳拜访电池客商' }));
  assert.equal(edited.work_done, '赴深圳拜访电池客商');
  fails(await f.as.staff2.get(`/api/v1/weekly-reports/${r.id}`), 404, 'not_found');
  fails(await f.as.head3.get(`/api/v1/weekly-reports/${r.id}`), 404, 'not_found');
  fails(await f.as.staff2.patch(`/api/v1/weekly-reports/${r.id}`, { version: edited.version, work_done: '改' }), 404, 'not_found');
  assert.equal((await get(`/api/v1/campaigns/${f.c}/weekly-reports`, f.as.staff2)).total, 0);
  ok(await f.as.head1.get(`/api/v1/weekly-reports/${r.id}`));
  ok(await f.as.leader1.get(`/api/v1/weekly-reports/${r.id}`));
});

test('submitting freezes the report; the unit head reviews it, once', async () => {
  const id = rep.U1w11;
  fails(await f.as.staff2.post(`/api/v1/weekly-reports/${id}/submit`, {}), 404, 'not_found');
  fails(await office().post(`/api/v1/weekly-reports/${id}/submit`, {}), 403, 'forbidden');
  const s = ok(await f.as.staff1a.post(`/api/v1/weekly-reports/${id}/submit`, {}));
  assert.deepEqual([s.status, s.submitted_by], ['submitted', f.users.staff1a]);
  assert.equal(s.figures.this_week.funds_arrived.reported, 15 * M);
  // Submitted: no edit, no deletion, no second submission (422).
  fails(await f.as.staff1a.patch(`/api/v1/weekly-reports/${id}`, { version: s.version, work_done: '改' }), 422, 'rule_violation', 'status');
  fails(await f.as.staff1a.del(`/api/v1/weekly-reports/${id}?version=${s.version}`), 422, 'rule_violation', 'status');
  fails(await f.as.staff1a.post(`/api/v1/weekly-reports/${id}/submit`, {}), 422, 'rule_violation', 'status');
  // The figures stay as submitted when a record of that week is added afterwards.
  ok(await f.admin.post(`/api/v1/projects/${f.p[3]}/follow-ups`, { date: '2026-10-16', kind: 'call', summary: '补录电话洽谈' }), 201);
  assert.deepEqual((await get(`/api/v1/weekly-reports/${id}`)).figures, s.figures);

  // Only the unit's head reviews: not its staff, not another unit's head.
  fails(await f.as.staff1a.post(`/api/v1/weekly-reports/${id}/review`, { heard: true }), 403, 'forbidden');
  fails(await f.as.head2.post(`/api/v1/weekly-reports/${id}/review`, { heard: true }), 404, 'not_found');
  fails(await f.as.head1.post(`/api/v1/weekly-reports/${id}/review`, { heard: false }), 400, 'validation_failed', 'heard');
  fails(await f.as.head1.post(`/api/v1/weekly-reports/${id}/review`, { heard: true, date: '2026-10-21' }), 400, 'validation_failed', 'date');
  const r = ok(await f.as.head1.post(`/api/v1/weekly-reports/${id}/review`, { heard: true, comments: '抓紧推进签约项目资金到位' }));
  assert.deepEqual([r.status, r.heard, r.reviewed_on, r.reviewed_by, r.review_comments],
    ['reviewed', true, DAY1, f.users.head1, '抓紧推进签约项目资金到位']);
  fails(await f.as.head1.post(`/api/v1/weekly-reports/${id}/review`, { heard: true }), 422, 'rule_violation', 'status');
});

test('who has not reported, week by week: draft counts as not submitted; late reviews are not on time', async () => {
  const submit = async (c, id) => ok(await c.post(`/api/v1/weekly-reports/${id}/submit`, {}), 200, `submit ${id}`);
  const review = async (c, id, date) => ok(await c.post(`/api/v1/weekly-reports/${id}/review`, { heard: true, ...(date ? { date } : {}) }), 200);
  // Week 10 (10-03…10-09, review due 10-16), submitted only today (10-20): a review cannot
  // be dated before the submission, so U1 (dated today) and U2 (undated: today) are both
  // late. The on-time boundary is in workflow_fixes.test.mjs.
  rep.U1w10 = ok(await newReport(f.as.staff1a, 10), 201).id;
  await submit(f.as.staff1a, rep.U1w10);
  await review(f.as.head1, rep.U1w10, DAY1);
  rep.U2w10 = ok(await newReport(f.as.staff2, 10), 201).id;
  await submit(f.as.staff2, rep.U2w10);
  await review(f.as.head2, rep.U2w10);
  // Week 11: U2 submitted but not reviewed; U3 only a draft; U5 written by the office for
  // the unit, submitted and reviewed today; U4, U6, U7 nothing.
  rep.U2w11 = ok(await newReport(f.as.staff2, 11), 201).id;
  await submit(f.as.staff2, rep.U2w11);
  rep.U3w11 = ok(await newReport(f.as.staff3, 11), 201).id;
  rep.U5w11 = ok(await newReport(f.admin, 11, { unit_id: f.u[5] }), 201).id;
  await submit(f.admin, rep.U5w11);
  await review(f.as.head5, rep.U5w11);

  const w11 = await get(`/api/v1/campaigns/${f.c}/report-status?week=11`);
  assert.equal(w11.items.length, 1);
  const s11 = w11.items[0];
  assert.deepEqual([s11.week, s11.from, s11.to, s11.review_due], [11, '2026-10-10', '2026-10-16', '2026-10-23']);
  assert.deepEqual(s11.not_submitted.map(U).sort(), ['U3', 'U4', 'U6', 'U7']);
  assert.deepEqual(s11.not_reviewed.map(U), ['U2']);
  assert.deepEqual(s11.units.map((u) => [U(u.unit_id), u.status, u.reviewed_on_time]), [
    ['U1', 'reviewed', true], ['U2', 'submitted', false], ['U3', 'draft', false], ['U4', 'missing', false],
    ['U5', 'reviewed', true], ['U6', 'missing', false], ['U7', 'missing', false],
  ]);
  assert.equal(s11.units.find((u) => U(u.unit_id) === 'U3').report_id, rep.U3w11);
  assert.equal(s11.units.find((u) => U(u.unit_id) === 'U4').report_id, null);

  const s10 = (await get(`/api/v1/campaigns/${f.c}/report-status?week=10`)).items[0];
  assert.equal(s10.review_due, '2026-10-16');
  assert.deepEqual(s10.not_submitted.map(U).sort(), ['U3', 'U4', 'U5', 'U6', 'U7']);
  assert.deepEqual(s10.not_reviewed, []);
  assert.deepEqual(s10.units.filter((u) => u.status === 'reviewed').map((u) => [U(u.unit_id), u.reviewed_on_time]),
    [['U1', false], ['U2', false]]);

  // Without ?week: every week that has ended by today (10-20): weeks 1…11 (week 12,
  // 10-17…10-23, is still running). The campaign has 15 weeks (the 15th is 11-07…11-08).
  const all = await get(`/api/v1/campaigns/${f.c}/report-status`);
  assert.deepEqual([all.weeks, all.due_weeks, all.items.map((w) => w.week)], [15, 11, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]]);
  assert.equal(all.items[0].not_submitted.length, 7);
  // The office and leaders read it; units do not.
  ok(await f.as.leader1.get(`/api/v1/campaigns/${f.c}/report-status?week=11`));
  fails(await f.as.head1.get(`/api/v1/campaigns/${f.c}/report-status`), 403, 'forbidden');
  fails(await f.as.staff3.get(`/api/v1/campaigns/${f.c}/report-status?week=11`), 403, 'forbidden');
  fails(await office().get(`/api/v1/campaigns/${f.c}/report-status?week=16`), 400, 'validation_failed', 'week');
  fails(await office().get(`/api/v1/campaigns/${f.c}/report-status?week=x`), 400, 'validation_failed', 'week');
  fails(await office().get(`/api/v1/campaigns/${f.c}/report-status?unit=1`), 400, 'validation_failed', 'unit');
  // A unit reads its own reports only.
  assert.deepEqual((await get(`/api/v1/campaigns/${f.c}/weekly-reports?limit=100`, f.as.staff2)).items.map((x) => x.week).sort(), [10, 11]);
  fails(await f.as.staff2.get(`/api/v1/weekly-reports/${rep.U3w11}`), 404, 'not_found');
});

test('leaders add instructions (批示) to a weekly report; others cannot', async () => {
  const id = rep.U1w11;
  const ins = ok(await f.as.leader1.post(`/api/v1/weekly-reports/${id}/instructions`, { text: '要拿出“盯劲”，确保资金月底前到位。' }), 201);
  assert.equal(ins.text, '要拿出“盯劲”，确保资金月底前到位。');
  fails(await office().post(`/api/v1/weekly-reports/${id}/instructions`, { text: '同意' }), 403, 'forbidden');
  fails(await f.as.head1.post(`/api/v1/weekly-reports/${id}/instructions`, { text: '同意' }), 403, 'forbidden');
  fails(await f.as.leader1.post(`/api/v1/weekly-reports/${id}/instructions`, { text: '' }), 400, 'validation_failed', 'text');
  const list = await get(`/api/v1/weekly-reports/${id}/instructions`, f.as.staff1a);
  assert.deepEqual(list.items.map((x) => [x.user_id, x.text]), [[f.users.leader1, '要拿出“盯劲”，确保资金月底前到位。']]);
  fails(await f.as.staff2.get(`/api/v1/weekly-reports/${id}/instructions`), 404, 'not_found');
});

test('the missing-reports job (CLI) notifies the units behind on the last ended week, week 11', async () => {
  const out = await cli(city, ['job', 'missing-reports']);
  // Week 11: U2 submitted, not reviewed; U3 draft; U4, U6, U7 missing; U1 and U5 reviewed.
  assert.deepEqual(out.done.map((d) => [U(d.unit_id), d.week, d.status]),
    [['U2', 11, 'submitted'], ['U3', 11, 'draft'], ['U4', 11, 'missing'], ['U6', 11, 'missing'], ['U7', 11, 'missing']]);
  const n = await notifications('missing_report');
  assert.deepEqual(n.map((x) => [U(x.unit_id), x.text]).sort(), [
    ['U2', '第11周周报尚待主要负责人听取审阅。'],
    ['U3', '第11周周报尚未提交，请尽快提交。'],
    ['U4', '第11周周报尚未提交，请尽快提交。'],
    ['U6', '第11周周报尚未提交，请尽快提交。'],
    ['U7', '第11周周报尚未提交，请尽快提交。'],
  ]);
  assert.ok(n.every((x) => x.campaign_id === f.c));
  // A unit sees its own notifications only.
  assert.deepEqual((await notifications(undefined, f.as.head3)).map((x) => [U(x.unit_id), x.kind]), [['U3', 'missing_report']]);
  assert.deepEqual(await notifications(undefined, f.as.staff1a), []);
  const jobs = (await get('/api/v1/jobs')).items;
  assert.equal(jobs.find((j) => j.name === 'missing-reports').last_run_on, DAY1);
});

test('the early-warning job (CLI) notifies the units the coming checkpoints would hit today', async () => {
  const out = await cli(city, ['job', 'early-warning']);
  // Checkpoints from today on: the fair (10-25, no rule of its kind), the month-end
  // (10-31) and the final (11-08), judged on today's figures:
  //   month-end R-RULE-1 (zero): U3, U4, U7;
  //   final R-RULE-2 (zero): U3, U4, U7; R-RULE-3 (a target not met): all seven — U1 90M <
  //   100M, U2 0 < 50M, U3, U4, U5 8M < 10M, U6 2M < 10M, U7; R-RULE-4: nobody met all.
  const count = (list) => list.reduce((m, x) => ({ ...m, [U(x.unit_id)]: (m[U(x.unit_id)] || 0) + 1 }), {});
  assert.equal(out.done.length, 13);
  assert.deepEqual(count(out.done), { U1: 1, U2: 1, U3: 3, U4: 3, U5: 1, U6: 1, U7: 3 });
  assert.deepEqual(out.done.filter((d) => d.checkpoint_id === f.cp.m).map((d) => U(d.unit_id)).sort(), ['U3', 'U4', 'U7']);
  assert.deepEqual(out.done.filter((d) => d.checkpoint_id === f.cp.fair), []);
  const n = await notifications('early_warning');
  assert.equal(n.length, 13);
  assert.deepEqual(count(n), { U1: 1, U2: 1, U3: 3, U4: 3, U5: 1, U6: 1, U7: 3 });
  assert.deepEqual(n.filter((x) => U(x.unit_id) === 'U3').map((x) => x.text).sort(), [
    '预警：若按今天的数据评估“月底节点”（2026-10-31），将触发“主要负责人离职招商”。',
    '预警：若按今天的数据评估“百日会战结束”（2026-11-08），将触发“主要负责人离岗招商”。',
    '预警：若按今天的数据评估“百日会战结束”（2026-11-08），将触发“追究主要负责人责任，全员缓发省标工资”。',
  ].sort());
  // Warnings store no proposal.
  assert.equal((await get(`/api/v1/campaigns/${f.c}/proposals`)).total, 0);
  assert.deepEqual((await notifications('early_warning', f.as.head1)).map((x) => U(x.unit_id)), ['U1']);
});

test('coordination items: raised by the office, with lights by due date, taken through every step', async () => {
  const raise = (unit, title, due_date, extra = {}) => office().post('/api/v1/coordination-items',
    { campaign_id: f.c, unit_id: f.u[unit], title, due_date, ...extra });
  fails(await f.as.staff1a.post('/api/v1/coordination-items', { campaign_id: f.c, unit_id: f.u[1], title: 'x', due_date: '2026-10-25' }), 403, 'forbidden');
  // C1 is raised from U2's week 11 report ("用地指标紧张").
  item.C1 = ok(await raise(2, '物流园用地指标协调', '2026-10-25', { weekly_report_id: rep.U2w11 }), 201);
  item.C2 = ok(await raise(1, '电池项目环评审批', '2026-10-22'), 201);
  item.C3 = ok(await raise(3, '农业产业园土地流转', '2026-10-18'), 201);
  item.C4 = ok(await raise(4, '文旅综合体规划调整', '2026-10-15'), 201);
  item.C5 = ok(await raise(1, '智能装备项目供电接入', '2026-10-10'), 201);
  assert.equal(item.C1.weekly_report_id, rep.U2w11);
  assert.equal(item.C1.raised_by, f.users.office1);
  // Today 10-20: due in 5 days → green; in 2 days → yellow (≤ 3); past → red.
  const light = async (k) => { const x = await get(`/api/v1/coordination-items/${item[k].id}`); return [x.light, x.days_left]; };
  assert.deepEqual(await light('C1'), ['green', 5]);
  assert.deepEqual(await light('C2'), ['yellow', 2]);
  assert.deepEqual(await light('C3'), ['red', -2]);
  assert.deepEqual(await light('C4'), ['red', -5]);
  // A unit sees its own items only.
  assert.deepEqual((await get('/api/v1/coordination-items', f.as.head3)).items.map((x) => x.id), [item.C3.id]);
  fails(await f.as.staff2.get(`/api/v1/coordination-items/${item.C5.id}`), 404, 'not_found');

  // C5 (U1) through every step; each by the right role, in order, with its note.
  const adv = (c, to, note) => c.post(`/api/v1/coordination-items/${item.C5.id}/advance`, { to, ...(note !== undefined ? { note } : {}) });
  fails(await adv(f.as.staff1a, 'handled', '已办'), 422, 'rule_violation', 'to');
  fails(await adv(office(), 'signed_off'), 403, 'forbidden');
  fails(await adv(f.as.staff2, 'signed_off'), 404, 'not_found');
  assert.equal(ok(await adv(f.as.staff1a, 'signed_off')).status, 'signed_off');
  fails(await adv(f.as.staff1a, 'handled'), 400, 'validation_failed', 'note');
  fails(await adv(f.as.staff1a, 'handled', ''), 400, 'validation_failed', 'note');
  assert.equal(ok(await adv(f.as.staff1a, 'handled', '已与供电公司对接，方案已定')).handling, '已与供电公司对接，方案已定');
  fails(await adv(f.as.head1, 'reviewed', '好'), 422, 'rule_violation', 'to');
  fails(await adv(f.as.head1, 'feedback'), 400, 'validation_failed', 'note');
  assert.equal(ok(await adv(f.as.head1, 'feedback', '10月19日已通电')).feedback, '10月19日已通电');
  fails(await adv(f.as.head1, 'reviewed', '属实'), 403, 'forbidden');
  fails(await adv(f.as.leader1, 'reviewed', '属实'), 403, 'forbidden');
  fails(await adv(office(), 'reviewed'), 400, 'validation_failed', 'note');
  assert.equal(ok(await adv(office(), 'reviewed', '经核实已通电')).review_note, '经核实已通电');
  fails(await adv(f.as.staff1a, 'closed'), 403, 'forbidden');
  const closed = ok(await adv(office(), 'closed'));
  assert.deepEqual([closed.status, closed.closed_on, closed.light, closed.days_left], ['closed', DAY1, 'green', null]); // closed: no countdown
  fails(await adv(office(), 'closed'), 422, 'rule_violation', 'to');
  fails(await office().post(`/api/v1/coordination-items/${item.C5.id}/advance`, { to: 'closed', extra: 1 }), 400, 'validation_failed', 'extra');
});

test('reminders: the office reminds an item and the unit is notified; remind-overdue (CLI) reminds the rest once a day', async () => {
  fails(await f.as.head4.post(`/api/v1/coordination-items/${item.C4.id}/remind`, {}), 403, 'forbidden');
  fails(await f.as.leader1.post(`/api/v1/coordination-items/${item.C4.id}/remind`, {}), 403, 'forbidden');
  fails(await office().post(`/api/v1/coordination-items/${item.C5.id}/remind`, {}), 422, 'rule_violation', 'status');
  const r = ok(await office().post(`/api/v1/coordination-items/${item.C4.id}/remind`, {}));
  assert.deepEqual([r.reminders, r.last_reminded_on], [1, DAY1]);
  assert.deepEqual((await notifications('overdue_reminder', f.as.head4)).map((x) => [U(x.unit_id), x.text]),
    [['U4', '催办：“文旅综合体规划调整”应于 2026-10-15 前办结，请抓紧办理并反馈。']]);
  // Today 10-20 the job reminds the overdue items not reminded today: C3 only (C4 was just
  // reminded, C5 is closed, C1 and C2 are not overdue).
  assert.deepEqual((await cli(city, ['job', 'remind-overdue'])).done, [{ reminded: 1 }]);
  const reminders = async () => Object.fromEntries(await Promise.all(['C1', 'C2', 'C3', 'C4', 'C5'].map(async (k) => {
    const x = await get(`/api/v1/coordination-items/${item[k].id}`);
    return [k, [x.reminders, x.last_reminded_on]];
  })));
  assert.deepEqual(await reminders(), {
    C1: [0, null], C2: [0, null], C3: [1, DAY1], C4: [1, DAY1], C5: [0, null],
  });
  // Once a day: again today, nothing.
  assert.deepEqual((await cli(city, ['job', 'remind-overdue'])).done, [{ reminded: 0 }]);
  assert.deepEqual(unitSet(f, await notifications('overdue_reminder')), ['U3', 'U4']);
});

test('the lights and the reminders move with the date (restarts on 10-23 and 10-26)', async () => {
  const light = async (k) => { const x = await get(`/api/v1/coordination-items/${item[k].id}`); return [x.light, x.days_left]; };
  await city.restart('2026-10-23');
  await loginAll(city, f);
  // C1 (due 10-25) is due in 2 days → yellow; C2 (due 10-22) overdue → red.
  assert.deepEqual(await light('C1'), ['yellow', 2]);
  assert.deepEqual(await light('C2'), ['red', -1]);
  assert.deepEqual(await light('C5'), ['green', null]); // closed stays green, without a countdown
  // Overdue and not reminded today: C2 (never), C3 and C4 (last on 10-20) → 3.
  assert.deepEqual((await cli(city, ['job', 'remind-overdue'])).done, [{ reminded: 3 }]);

  await city.restart('2026-10-26');
  await loginAll(city, f);
  assert.deepEqual(await light('C1'), ['red', -1]);
  // Now C1 too: C1, C2, C3, C4 → 4, run through the API this time.
  assert.deepEqual(ok(await office().post('/api/v1/jobs/remind-overdue/run', {})).done, [{ reminded: 4 }]);
  const x = {};
  for (const k of ['C1', 'C2', 'C3', 'C4', 'C5']) x[k] = (await get(`/api/v1/coordination-items/${item[k].id}`)).reminders;
  // C1 1 (10-26) · C2 2 (10-23, 10-26) · C3 3 (10-20, 10-23, 10-26) · C4 3 (10-20 by hand, 10-23, 10-26).
  assert.deepEqual(x, { C1: 1, C2: 2, C3: 3, C4: 3, C5: 0 });
  // 1 by hand + 1 + 3 + 4 by the job.
  assert.equal((await notifications('overdue_reminder')).length, 9);
  assert.deepEqual((await notifications('overdue_reminder', f.as.head3)).length, 3);
});

test('the missing-reports job through the API on 10-26: week 12 has ended, nobody reported it', async () => {
  // (10-26 − 08-01) = 86 days → 12 weeks ended; week 12 = 10-17…10-23.
  const out = ok(await office().post('/api/v1/jobs/missing-reports/run', {}));
  assert.deepEqual([out.job, out.ran_on], ['missing-reports', '2026-10-26']);
  assert.deepEqual(out.done.map((d) => [U(d.unit_id), d.week, d.status]),
    ['U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'U7'].map((u) => [u, 12, 'missing']));
  const n = await notifications('missing_report');
  assert.equal(n.length, 5 + 7);
  assert.equal(n.filter((x) => x.text === '第12周周报尚未提交，请尽快提交。').length, 7);
  fails(await f.as.head1.post('/api/v1/jobs/missing-reports/run', {}), 403, 'forbidden');
  fails(await f.as.leader1.post('/api/v1/jobs/missing-reports/run', {}), 403, 'forbidden');
  fails(await office().post('/api/v1/jobs/no-such-job/run', {}), 404, 'not_found');
});

test('job schedules: PATCH validates at_time and weekday', async () => {
  const jobs = (await get('/api/v1/jobs', office())).items;
  assert.deepEqual(jobs.map((j) => j.name), ['backup', 'bulletin-draft', 'early-warning', 'missing-reports', 'remind-overdue']);
  assert.equal(jobs.find((j) => j.name === 'remind-overdue').last_run_on, '2026-10-26');
  const patch = (body) => office().patch('/api/v1/jobs/missing-reports', body);
  for (const at of ['25:00', '24:00', '9:00', '08:60', '0830', '08:3a', 830, null]) {
    fails(await patch({ at_time: at }), 400, 'validation_failed', 'at_time');
  }
  for (const wd of [7, -1, '1', 1.5, true]) fails(await patch({ weekday: wd }), 400, 'validation_failed', 'weekday');
  fails(await patch({ enabled: 'yes' }), 400, 'validation_failed', 'enabled');
  fails(await patch({ when: 'daily' }), 400, 'validation_failed', 'when');
  fails(await f.as.head1.patch('/api/v1/jobs/missing-reports', { at_time: '08:30' }), 403, 'forbidden');
  fails(await f.as.leader1.patch('/api/v1/jobs/missing-reports', { at_time: '08:30' }), 403, 'forbidden');
  fails(await office().patch('/api/v1/jobs/no-such-job', { at_time: '08:30' }), 404, 'not_found');
  // Monday (1) at 08:30; then daily again (weekday null) at 23:59 and disabled.
  assert.deepEqual(ok(await patch({ weekday: 1, at_time: '08:30' })),
    { name: 'missing-reports', enabled: true, weekday: 1, at_time: '08:30' });
  assert.deepEqual(ok(await patch({ weekday: null, at_time: '23:59', enabled: false })),
    { name: 'missing-reports', enabled: false, weekday: null, at_time: '23:59' });
  const now = (await get('/api/v1/jobs')).items.find((j) => j.name === 'missing-reports');
  assert.deepEqual([now.enabled, now.weekday, now.at_time, now.last_run_on], [false, null, '23:59', '2026-10-26']);
  // The change is audited.
  const audit = await get('/api/v1/audit?entity=jobs&limit=5');
  assert.deepEqual(audit.items[0].after, { name: 'missing-reports', enabled: false, weekday: null, at_time: '23:59' });
});
