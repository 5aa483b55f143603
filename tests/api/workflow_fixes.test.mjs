// Review findings on the workflows (issue 4), each pinned on the city of
// workflow_fixture.mjs (see there for every record): R-RULE-5 takes units at zero wherever
// they rank; a weekly review is never dated before its submission; an admonition talk
// needs an approved proposal or a published bulletin that proposed it; a draft bulletin
// can be deleted with its undecided proposals, one draft at a time, periods measured from
// the last published bulletin; the printed circular has the tables by category, each
// unit's own target metrics and Chinese dates; units without a target are not judged by
// the rules; rule PATCH / enable / disable, every condition operator, null facts, and the
// `huizhan bulletin` commands. Every expected value is worked out by hand in the comments;
// the tests run in order. The server is restarted on the same database on 10-23 and 10-26.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { useCity, loginAll, ok, fails, M, DAY1 } from './workflow_fixture.mjs';
import { run } from './lib.mjs';

let city;
let f;
const b = {}; // bulletins by name
const rep = {}; // weekly report ids

const { office, get, U } = useCity(DAY1, (c, built) => { city = c; f = built; });

const proposals = async (query = '') => (await get(`/api/v1/campaigns/${f.c}/proposals?limit=500${query}`)).items;
const outcomes = (list) => list.map((p) => `${U(p.unit_id)} ${p.outcome}`).sort();
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', city.db, q], { encoding: 'utf8' }).trim();
const rule = async (code) => (await get(`/api/v1/campaigns/${f.c}/rules?limit=100`)).items.find((r) => r.code === code);

test('R-RULE-5 by default also takes a unit at zero ranked above the bottom 3', async () => {
  assert.deepEqual((await rule('R-RULE-5')).condition, {
    any: [{ field: 'rank_from_bottom', op: 'lte', value: 3 }, { field: 'status', op: 'in', value: ['behind', 'zero'] }],
  });
  // U4 (no certified funds, no certified signing: zero) gets a target of 1 lead, which its
  // lead P7 (09-15) meets: score 100 × (40 × 0 + 5 × 1) / (40 + 5) = 11.11, above U2 (10).
  ok(await f.admin.post(`/api/v1/campaigns/${f.c}/targets`, { unit_id: f.u[4], metric: 'leads_count', value: 1 }), 201);
  const d = ok(await office().post(`/api/v1/campaigns/${f.c}/bulletins`, { issuer: '市百日会战活动办公室' }), 201);
  // As of 10-20: U1 92, U5 80, U6 20, U4 11.11, U2 10, U3 0, U7 0 (ties by id).
  assert.deepEqual(d.content.ranking.map((r) => [U(r.unit_id), r.rank, r.score, r.status]), [
    ['U1', 1, 92, 'ahead'], ['U5', 2, 80, 'on_track'], ['U6', 3, 20, 'behind'], ['U4', 4, 11.11, 'zero'],
    ['U2', 5, 10, 'behind'], ['U3', 6, 0, 'zero'], ['U7', 7, 0, 'zero'],
  ]);
  // Bottom 3 (U2, U3, U7), behind (U6, U2), zero (U4, U3, U7): U4 at rank 4 is admonished too.
  assert.deepEqual(outcomes(d.content.rule_outcomes),
    ['U2 admonition', 'U3 admonition', 'U4 admonition', 'U6 admonition', 'U7 admonition']);
  const u4 = d.content.rule_outcomes.find((p) => U(p.unit_id) === 'U4').basis.figures;
  assert.deepEqual([u4.rank, u4.rank_from_bottom, u4.status], [4, 4, 'zero']);
  b.first = d;
});

test('deleting a draft bulletin deletes its undecided proposals, audited; its number is reused', async () => {
  const d = b.first;
  assert.equal((await proposals(`&bulletin_id=${d.id}`)).length, 5);
  const del = await office().del(`/api/v1/bulletins/${d.id}?version=${d.version}`);
  assert.ok(del.status === 200 || del.status === 204, JSON.stringify(del.body));
  fails(await office().get(`/api/v1/bulletins/${d.id}`), 404, 'not_found');
  assert.equal(sql(`SELECT COUNT(*) FROM proposals WHERE bulletin_id = ${d.id}`), '0');
  // One audit entry per proposal deleted, and one for the bulletin.
  const audit = (await get('/api/v1/audit?entity=proposals&limit=100')).items.filter((x) => x.action === 'delete');
  assert.equal(audit.length, 5);
  assert.ok(audit.every((x) => x.before.bulletin_id === d.id && x.after === null), JSON.stringify(audit[0]));
  assert.ok((await get(`/api/v1/audit?entity=bulletins&entity_id=${d.id}&limit=10`)).items.some((x) => x.action === 'delete'));
  // The deleted draft was never circulated: the next one is 第1期 again, over the same period.
  const again = ok(await office().post(`/api/v1/campaigns/${f.c}/bulletins`, { issuer: '市百日会战活动办公室' }), 201);
  assert.deepEqual([again.number, again.period_start, again.period_end, again.title],
    [1, '2026-08-01', DAY1, '2026 市直部门招商引资百日会战工作通报（第1期）']);
  assert.equal((await proposals(`&bulletin_id=${again.id}`)).length, 5);
  b.first = again;
});

test('one draft at a time; a draft whose proposals were decided cannot be deleted (409)', async () => {
  const d = b.first;
  // A second draft while 第1期 waits: refused (422), nothing stored.
  fails(await office().post(`/api/v1/campaigns/${f.c}/bulletins`, { period_start: '2026-10-01' }), 422, 'rule_violation', 'status');
  assert.equal(sql(`SELECT COUNT(*) FROM bulletins WHERE campaign_id = ${f.c}`), '1');
  const of = async (u) => (await proposals(`&bulletin_id=${d.id}`)).find((p) => U(p.unit_id) === u);
  ok(await office().post(`/api/v1/proposals/${(await of('U2')).id}/approve`, { note: '请市领导约谈' }));
  ok(await office().post(`/api/v1/proposals/${(await of('U6')).id}/dismiss`, { note: '工会系统另行督促' }));
  const cur = await get(`/api/v1/bulletins/${d.id}`);
  const err = fails(await office().del(`/api/v1/bulletins/${d.id}?version=${cur.version}`), 409, 'conflict', 'status');
  assert.match(err.message, /已有 2 条经会战办公室审定，不能删除/);
  assert.equal((await proposals(`&bulletin_id=${d.id}`)).length, 5);
  // An admonition talk cannot rest on a draft, even one that proposed the unit (U3).
  fails(await office().post('/api/v1/admonitions', {
    campaign_id: f.c, unit_id: f.u[3], bulletin_id: d.id, date: DAY1, leader: '张副市长',
  }), 422, 'rule_violation', 'bulletin_id');
  b.first = ok(await office().post(`/api/v1/bulletins/${d.id}/publish`, {}));
});

test('the printed circular: ranking by category, each unit\'s target metrics, Chinese dates', async () => {
  const html = (await f.as.head1.get(`/api/v1/bulletins/${b.first.id}/print`)).body;
  const row = (rank, name, score, wan, signed, status) =>
    `<tr><td>${rank}</td><td class="l">${name}</td><td>${score}</td><td>${wan}</td><td>${signed}</td><td>${status}</td></tr>`;
  // Within each category (R-PROG-4), in the order industry, agriculture, services, policy
  // funds, mass organisations. Certified funds in 万元 count policy funds too (U5: 8M = 800.00).
  const cat = html.slice(html.indexOf('<h2>二、分类排名</h2>'), html.indexOf('<h2>三、'));
  assert.ok(cat.length > 0, html);
  const order = ['（一）工业类单位', '（二）农业类单位', '（三）服务业类单位', '（四）争取政策资金类单位', '（五）群团类单位'];
  assert.deepEqual(order.map((h) => cat.indexOf(`<h3>${h}</h3>`) >= 0), order.map(() => true), cat);
  assert.deepEqual(order.map((h) => cat.indexOf(h)), [...order.map((h) => cat.indexOf(h))].sort((x, y) => x - y));
  const industry = cat.slice(cat.indexOf('（一）'), cat.indexOf('（二）'));
  assert.ok(industry.includes(row(1, '市工业和信息化局', '92.00', '9000.00', 2, '超前') + '\n' + row(2, '市商务局', '10.00', '0.00', 1, '滞后')), industry);
  const services = cat.slice(cat.indexOf('（三）'), cat.indexOf('（四）'));
  assert.ok(services.includes(row(1, '市文化和旅游局', '11.11', '0.00', 0, '零进展') + '\n' + row(2, '市城市管理局', '0.00', '0.00', 0, '零进展')), services);
  assert.ok(cat.includes(row(1, '市审计局', '80.00', '800.00', 0, '正常')));
  assert.ok(cat.includes(row(1, '市农业农村局', '0.00', '0.00', 0, '零进展')));
  assert.ok(cat.includes(row(1, '市总工会', '20.00', '200.00', 1, '滞后')));
  // Time vs task: every metric with a target, certified / target. U5 is measured on its
  // policy funds (8M of 10M), U4 on funds and its lead, U1 on funds and signings. The
  // metrics are named as the targets' metric field names them (GET /api/v1/enums).
  const labels = Object.fromEntries((await get('/api/v1/enums'))['targets.metric'].map((c) => [c.code, c.label]));
  assert.deepEqual([labels.policy_funds, labels.signed_count, labels.leads_count], ['争取上级政策资金', '签约项目数', '项目信息条数']);
  const tvt = html.slice(html.indexOf('<h2>三、'), html.indexOf('<h2>四、'));
  assert.ok(tvt.includes('<td class="l">市审计局</td><td>80.0%</td><td class="l">争取上级政策资金 800.00 / 1000.00 万元</td><td>正常</td>'), tvt);
  assert.ok(tvt.includes('<td class="l">市工业和信息化局</td><td>92.0%</td><td class="l">到账资金 9000.00 / 10000.00 万元<br>签约项目数 2 / 2 个</td>'), tvt);
  assert.ok(tvt.includes('<td class="l">市文化和旅游局</td><td>11.1%</td><td class="l">到账资金 0.00 / 2000.00 万元<br>项目信息条数 1 / 1 条</td>'), tvt);
  assert.ok(!tvt.includes('0.00 / 0.00'), tvt);
  // Dates as a circular writes them: under the number, in the intro, in the highlights and
  // under the closing signature (issuing office, then date). Published 10-20.
  assert.ok(html.includes('<div class="no">市百日会战活动办公室　　2026年10月20日</div>'), html);
  assert.ok(html.includes('截至2026年10月20日，会战进行到第81天（共100天）'));
  assert.ok(html.includes('新能源电池项目，合同金额 8000.00 万元（2026年9月10日）'));
  assert.ok(html.includes('<p class="sign">市百日会战活动办公室<br>2026年10月20日</p>'));
  assert.ok(!/\d{4}-\d{2}-\d{2}/.test(html.slice(html.indexOf('<body>'))), 'no ISO date left in the page');
});

test('an admonition talk rests on an approved proposal for the unit or a published bulletin that proposed it', async () => {
  const talk = (unit, extra) => office().post('/api/v1/admonitions',
    { campaign_id: f.c, unit_id: f.u[unit], date: DAY1, leader: '张副市长', ...extra });
  const of = async (u) => (await proposals(`&bulletin_id=${b.first.id}`)).find((p) => U(p.unit_id) === u);
  // No basis at all.
  fails(await talk(2, {}), 400, 'validation_failed', 'proposal_id');
  // U3's proposal is undecided, U6's dismissed (422); U2's approved one is not U3's (400).
  const undecided = fails(await talk(3, { proposal_id: (await of('U3')).id }), 422, 'rule_violation', 'proposal_id');
  assert.match(undecided.message, /尚未审定/);
  const dismissed = fails(await talk(6, { proposal_id: (await of('U6')).id }), 422, 'rule_violation', 'proposal_id');
  assert.match(dismissed.message, /已被驳回/);
  fails(await talk(3, { proposal_id: (await of('U2')).id }), 400, 'validation_failed', 'proposal_id');
  // 第1期 (published) proposed no admonition for U1 (rank 1, ahead).
  fails(await talk(1, { bulletin_id: b.first.id }), 400, 'validation_failed', 'bulletin_id');
  // Valid: the published bulletin alone (U3), or the approved proposal with its bulletin (U2).
  ok(await talk(3, { bulletin_id: b.first.id }), 201);
  b.talkU2 = ok(await talk(2, { proposal_id: (await of('U2')).id, bulletin_id: b.first.id }), 201);
  assert.equal(b.talkU2.proposal_id, (await of('U2')).id);
});

test('a talk or a weekly report with several independent faults names every bad field in one answer', async () => {
  const of = async (u) => (await proposals(`&bulletin_id=${b.first.id}`)).find((p) => U(p.unit_id) === u);
  // An unknown bulletin id (400: the first fault found, references are read first), U3's
  // proposal undecided and the talk dated tomorrow.
  const e = fails(await office().post('/api/v1/admonitions', {
    campaign_id: f.c, unit_id: f.u[3], date: '2026-10-21', leader: '张副市长', proposal_id: (await of('U3')).id,
    bulletin_id: 999999,
  }), 400, 'validation_failed');
  assert.match(e.message, /^有 3 处输入有误：/);
  assert.deepEqual(Object.keys(e.fields).sort(), ['bulletin_id', 'date', 'proposal_id']);
  assert.match(e.fields.proposal_id, /尚未审定/);
  assert.equal(e.fields.bulletin_id, '引用的记录不存在');
  assert.equal(e.fields.date, '谈话日期不能晚于今天');
  // The admin keys in a report with no unit for week 99 of a 15-week campaign.
  const w = fails(await f.admin.post(`/api/v1/campaigns/${f.c}/weekly-reports`, { week: 99 }), 400, 'validation_failed');
  assert.deepEqual(w.fields, { unit_id: '必填', week: '会战共 15 周' });
  // Nothing was written.
  assert.equal(sql(`SELECT COUNT(*) FROM admonitions WHERE date = '2026-10-21'`), '0');
  assert.equal(sql('SELECT COUNT(*) FROM weekly_reports WHERE week = 99'), '0');
});

test('a head\'s review is never dated before the report was submitted', async () => {
  rep.U1w11 = ok(await f.as.staff1a.post(`/api/v1/campaigns/${f.c}/weekly-reports`, { week: 11 }), 201).id;
  ok(await f.as.staff1a.post(`/api/v1/weekly-reports/${rep.U1w11}/submit`, {}));
  rep.U2w11 = ok(await f.as.staff2.post(`/api/v1/campaigns/${f.c}/weekly-reports`, { week: 11 }), 201).id;
  ok(await f.as.staff2.post(`/api/v1/weekly-reports/${rep.U2w11}/submit`, {}));
  // Submitted 10-20: the day before, and a day before the campaign even started, are refused.
  for (const date of ['2026-10-19', '2026-07-15']) {
    const e = fails(await f.as.head1.post(`/api/v1/weekly-reports/${rep.U1w11}/review`, { heard: true, date }), 400, 'validation_failed', 'date');
    assert.equal(e.fields.date, '听取日期不能早于周报提交日期（2026-10-20）');
  }
  assert.equal((await get(`/api/v1/weekly-reports/${rep.U1w11}`)).status, 'submitted');
  // Week 11 (10-10…10-16) is due for review by 10-23. On 10-23 U1's head reviews it (the
  // last day on time); on 10-26 U2's head reviews, dated 10-24 (late).
  await city.restart('2026-10-23');
  await loginAll(city, f);
  ok(await f.as.head1.post(`/api/v1/weekly-reports/${rep.U1w11}/review`, { heard: true, date: '2026-10-23' }));
  await city.restart('2026-10-26');
  await loginAll(city, f);
  ok(await f.as.head2.post(`/api/v1/weekly-reports/${rep.U2w11}/review`, { heard: true, date: '2026-10-24' }));
  const w11 = (await get(`/api/v1/campaigns/${f.c}/report-status?week=11`)).items[0];
  assert.deepEqual(w11.units.filter((u) => u.status === 'reviewed').map((u) => [U(u.unit_id), u.reviewed_on_time]),
    [['U1', true], ['U2', false]]);
});

test('a unit with no target is ranked but not judged; bottom-N counts the judged units; draft periods run from the last published bulletin', async () => {
  // Today 10-26 (day 87: time progress 87 %; behind below 77, ahead above 97). U8 市档案馆
  // (other) has no target in the campaign and no records: status zero, score 0.
  f.u[8] = ok(await f.admin.post('/api/v1/units', { name: '市档案馆', category: 'other' }), 201).id;
  // A draft up to 10-23, deleted (its proposals were undecided): the next draft still runs
  // from the day after 第1期 (published, to 10-20), not after the deleted draft, and is 第2期.
  const tmp = ok(await office().post(`/api/v1/campaigns/${f.c}/bulletins`, { period_end: '2026-10-23' }), 201);
  assert.deepEqual([tmp.number, tmp.period_start, tmp.period_end], [2, '2026-10-21', '2026-10-23']);
  const gone = await office().del(`/api/v1/bulletins/${tmp.id}?version=${tmp.version}`);
  assert.ok(gone.status === 200 || gone.status === 204, JSON.stringify(gone.body));
  const d = ok(await office().post(`/api/v1/campaigns/${f.c}/bulletins`, {}), 201);
  assert.deepEqual([d.number, d.period_start, d.period_end], [2, '2026-10-21', '2026-10-26']);
  // The ranking keeps U8: U1 92 (on track), U5 80 (on track), U6 20 and U2 10 (behind),
  // U4 11.11 (zero), then U3, U7, U8 at 0 by id.
  assert.deepEqual(d.content.ranking.map((r) => [U(r.unit_id), r.rank, r.status]), [
    ['U1', 1, 'on_track'], ['U5', 2, 'on_track'], ['U6', 3, 'behind'], ['U4', 4, 'zero'],
    ['U2', 5, 'behind'], ['U3', 6, 'zero'], ['U7', 7, 'zero'], ['U8', 8, 'zero'],
  ]);
  // Rank moves against 第1期 (U1 1, U5 2, U6 3, U4 4, U2 5, U3 6, U7 7): none.
  assert.deepEqual(d.content.highlights.biggest_movers, []);
  // The rules judge U1…U7 only. Counted among them from the bottom: U7 1, U3 2, U2 3, U4 4.
  // R-RULE-5: bottom 3 (U7, U3, U2) or behind / zero (U6, U2, U4, U3, U7); not U8.
  assert.deepEqual(outcomes(d.content.rule_outcomes),
    ['U2 admonition', 'U3 admonition', 'U4 admonition', 'U6 admonition', 'U7 admonition']);
  const u2 = d.content.rule_outcomes.find((p) => U(p.unit_id) === 'U2').basis.figures;
  assert.deepEqual([u2.rank, u2.rank_from_bottom], [5, 3]);
  // Early warnings leave U8 out as well: month-end R-RULE-1 (zero) → U3, U4, U7.
  const w = await get(`/api/v1/checkpoints/${f.cp.m}/early-warning`);
  assert.deepEqual(outcomes(w.would_propose), ['U3 full_time_investment', 'U4 full_time_investment', 'U7 full_time_investment']);
  const end = await get(`/api/v1/checkpoints/${f.cp.end}/early-warning`);
  assert.ok(end.would_propose.every((p) => U(p.unit_id) !== 'U8'), JSON.stringify(end.would_propose.map((p) => U(p.unit_id))));
  b.second = ok(await office().post(`/api/v1/bulletins/${d.id}/publish`, {}));
  // A talk naming U2's approved proposal (from 第1期) with 第2期 as its bulletin: they disagree.
  const p2 = (await proposals(`&bulletin_id=${b.first.id}`)).find((p) => U(p.unit_id) === 'U2');
  fails(await office().post('/api/v1/admonitions', {
    campaign_id: f.c, unit_id: f.u[2], proposal_id: p2.id, bulletin_id: b.second.id, date: '2026-10-26', leader: '张副市长',
  }), 400, 'validation_failed', 'bulletin_id');
});

test('rules: PATCH with its version, disable and enable again', async () => {
  const r1 = await rule('R-RULE-1');
  const ids = async () => outcomes((await get(`/api/v1/checkpoints/${f.cp.m}/early-warning`)).would_propose);
  fails(await office().patch(`/api/v1/rules/${r1.id}`, { version: r1.version, condition: { field: 'status', op: 'gt', value: 'zero' } }),
    400, 'validation_failed', 'condition');
  fails(await office().patch(`/api/v1/rules/${r1.id}`, { version: r1.version + 1, name: '改' }), 409, 'conflict');
  fails(await f.as.leader1.patch(`/api/v1/rules/${r1.id}`, { version: r1.version, enabled: false }), 403, 'forbidden');
  // Disabled, it proposes nothing; enabled again, U3, U4 and U7 as before.
  const off = ok(await office().patch(`/api/v1/rules/${r1.id}`, { version: r1.version, enabled: false }));
  assert.equal(off.enabled, false);
  assert.deepEqual(await ids(), []);
  const on = ok(await office().patch(`/api/v1/rules/${r1.id}`, { version: off.version, enabled: true }));
  assert.deepEqual(await ids(), ['U3 full_time_investment', 'U4 full_time_investment', 'U7 full_time_investment']);
  // A new condition takes effect: zero or behind → also U2 and U6.
  ok(await office().patch(`/api/v1/rules/${r1.id}`, { version: on.version, condition: { field: 'status', op: 'in', value: ['zero', 'behind'] } }));
  assert.deepEqual(await ids(), ['U2', 'U3', 'U4', 'U6', 'U7'].map((u) => `${u} full_time_investment`));
  const audit = (await get(`/api/v1/audit?entity=rules&entity_id=${r1.id}&limit=10`)).items;
  assert.equal(audit.filter((x) => x.action === 'update').length, 3);
});

test('condition operators not / in / ne / gt / lt, and null facts, on today\'s facts', async () => {
  // Facts as of 10-26 of the judged units (U8 has no target): status U1 on_track, U5
  // on_track, U6 behind, U2 behind, U3 U4 U7 zero; certified funds U1 90M, U6 2M, others 0
  // (U5's 8M are policy funds); scores U1 92, U5 80, U6 20, U4 11.11, U2 10, U3 0, U7 0;
  // completion.signed_count exists only where there is a signing target: U1 2/2 = 100,
  // U2 1/2 = 50, U7 0/1 = 0, null for the others.
  const conds = {
    NOT: { not: { field: 'status', op: 'in', value: ['zero', 'behind'] } }, // U1, U5
    IN: { field: 'status', op: 'in', value: ['behind'] }, // U2, U6
    NE: { field: 'status', op: 'ne', value: 'zero' }, // U1, U2, U5, U6
    GT: { field: 'certified.funds_arrived', op: 'gt', value: 50 * M }, // U1
    LT: { field: 'score', op: 'lt', value: 15 }, // U2, U3, U4, U7
    NULL_LT: { field: 'completion.signed_count', op: 'lt', value: 1000 }, // U1, U2, U7: null never matches
    NULL_NE: { field: 'completion.signed_count', op: 'ne', value: 50 }, // U1, U7
  };
  for (const [code, condition] of Object.entries(conds)) {
    ok(await office().post(`/api/v1/campaigns/${f.c}/rules`, {
      code, name: `运算符 ${code}`, trigger_on: 'fair', condition, outcome: 'other', outcome_text: code,
    }), 201, code);
  }
  const w = (await get(`/api/v1/checkpoints/${f.cp.fair}/early-warning`)).would_propose;
  const by = (code) => w.filter((p) => p.basis.rule.code === code).map((p) => U(p.unit_id)).sort();
  assert.deepEqual(Object.fromEntries(Object.keys(conds).map((c) => [c, by(c)])), {
    NOT: ['U1', 'U5'], IN: ['U2', 'U6'], NE: ['U1', 'U2', 'U5', 'U6'], GT: ['U1'],
    LT: ['U2', 'U3', 'U4', 'U7'], NULL_LT: ['U1', 'U2', 'U7'], NULL_NE: ['U1', 'U7'],
  });
  // Malformed: in on a number, a number compared with text, not with a sibling key.
  for (const condition of [{ field: 'score', op: 'in', value: [1] }, { field: 'score', op: 'gt', value: 'x' },
    { not: { field: 'rank', op: 'eq', value: 1 }, any: [] }]) {
    fails(await office().post(`/api/v1/campaigns/${f.c}/rules`, {
      code: 'BAD', name: 'x', trigger_on: 'fair', condition, outcome: 'other', outcome_text: 'x',
    }), 400, 'validation_failed', 'condition');
  }
});

test('huizhan bulletin draft | print | publish on the command line', async () => {
  const bin = (args, today = '2026-10-28') => run([...args, '--db', city.db], { env: { HUIZHAN_TODAY: today } });
  // On 10-28, from the day after 第2期 (10-26): 10-27…10-28, number 3.
  const r = await bin(['bulletin', 'draft', '--campaign', String(f.c)]);
  assert.equal(r.code, 0, r.stderr);
  const d = JSON.parse(r.stdout);
  assert.deepEqual([d.number, d.status, d.period_start, d.period_end], [3, 'draft', '2026-10-27', '2026-10-28']);
  assert.equal(sql(`SELECT number || ' ' || status || ' ' || period_end FROM bulletins WHERE id = ${d.id}`), '3 draft 2026-10-28');
  assert.equal(sql(`SELECT COUNT(*) FROM proposals WHERE bulletin_id = ${d.id}`), String(d.content.rule_outcomes.length));
  // A second draft while 第3期 waits: refused, exit 1, the message on stderr; nothing stored.
  const again = await bin(['bulletin', 'draft', '--campaign', String(f.c)]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /第3期通报草稿尚未发布/);
  assert.equal(sql(`SELECT COUNT(*) FROM bulletins WHERE campaign_id = ${f.c}`), '3');
  // Printed while a draft: marked so and dated by its period end.
  const p = await bin(['bulletin', 'print', '--id', String(d.id)]);
  assert.equal(p.code, 0, p.stderr);
  assert.ok(p.stdout.startsWith('<!doctype html>'));
  assert.ok(p.stdout.includes('（草稿，未发布）') && p.stdout.includes('第3期') && p.stdout.includes('2026年10月28日'));
  const pub = await bin(['bulletin', 'publish', '--id', String(d.id)]);
  assert.equal(pub.code, 0, pub.stderr);
  const out = JSON.parse(pub.stdout);
  assert.deepEqual([out.status, out.published_on], ['published', '2026-10-28']);
  assert.equal(sql(`SELECT status || ' ' || length(sha256) FROM bulletins WHERE id = ${d.id}`), 'published 64');
  const twice = await bin(['bulletin', 'publish', '--id', String(d.id)]);
  assert.equal(twice.code, 1);
  assert.match(twice.stderr, /通报已发布/);
  assert.ok(!(await bin(['bulletin', 'print', '--id', String(d.id)])).stdout.includes('草稿'));
  // Bad use: no such bulletin (1), no subcommand or no id (2).
  assert.equal((await bin(['bulletin', 'print', '--id', '9999'])).code, 1);
  assert.equal((await bin(['bulletin'])).code, 2);
  assert.equal((await bin(['bulletin', 'draft'])).code, 2);
  assert.equal((await bin(['bulletin', 'publish', '--id', 'x'])).code, 2);
});
