// Campaign rules the acceptance run found missing or wrong (issue 10): policy funds need
// no signing, maker-checker, credit for whoever registered a lead, certification beside
// its evidence, notifications of decisions, an early warning judged on what is still
// reachable, and a closed coordination item without a countdown.
//
// A small city built through the API on an empty database, today = 2026-09-30 (day 61 of
// a campaign 2026-08-01 → 2026-11-08):
//   UA 市审计局   industry   campaign target funds_arrived 10M
//   UB 市总工会   mass_org   campaign target funds_arrived 5M (records nothing: zero)
// Users: office1, office2 (office); UA: headA (unit_head), staffA, staffA2 (unit_staff);
// UB: headB (unit_head).
//   PL  UA 上级审计专项资金 lead 08-01 (staffA), stays a lead; FP policy 8M 09-15 (staffA)
//   PS  UA 装备制造项目 lead 08-01 (staffA) → signed 08-10 contract 50M, no attachment
//   PT  UA 新材料项目 lead 08-01 (staffA) → signed 08-10 contract 50M, contract.pdf attached
// The demo city's final checkpoint is judged in the last test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib.mjs';
import { sql, sqlValue, expectStatus, expectError, create, upload, PDF } from './fixtures.mjs';

const TODAY = '2026-09-30';
const M = 1_000_000;
const PASSWORD = 'rules-pass-2026';
let server;
const as = {};
const id = {};

async function user(admin, login, role, unit) {
  const u = await create(admin, '/api/v1/users', {
    login, name: login, role, password: PASSWORD, ...(unit ? { unit_id: unit } : {}),
  });
  id[login] = u.id;
  as[login] = await server.login(login, PASSWORD);
  return u;
}

before(async () => {
  server = await startServer({ env: { HUIZHAN_TODAY: TODAY } });
  const admin = await server.admin();
  id.camp = (await create(admin, '/api/v1/campaigns', { name: '百日会战', start_date: '2026-08-01', status: 'active' })).id;
  id.UA = (await create(admin, '/api/v1/units', { name: '市审计局', category: 'industry' })).id;
  id.UB = (await create(admin, '/api/v1/units', { name: '市总工会', category: 'mass_org' })).id;
  await user(admin, 'office1', 'office');
  await user(admin, 'office2', 'office');
  await user(admin, 'headA', 'unit_head', id.UA);
  await user(admin, 'staffA', 'unit_staff', id.UA);
  await user(admin, 'staffA2', 'unit_staff', id.UA);
  await user(admin, 'headB', 'unit_head', id.UB);
  await create(as.office1, `/api/v1/campaigns/${id.camp}/targets`, { unit_id: id.UA, metric: 'funds_arrived', value: 10 * M });
  await create(as.office1, `/api/v1/campaigns/${id.camp}/targets`, { unit_id: id.UB, metric: 'funds_arrived', value: 5 * M });
});

after(async () => { await server?.stop(); });

const project = (c, name, extra = {}) => create(c, '/api/v1/projects', {
  campaign_id: id.camp, name, category: 'industrial', method: 'industry', lead_date: '2026-08-01', ...extra,
});
const sign = (c, p) => create(c, `/api/v1/projects/${p}/stage-changes`,
  { to_stage: 'signed', date: '2026-08-10', contract_date: '2026-08-10', contract_value: 50 * M });
const unitRow = async (c, unit) => (await c.get(`/api/v1/campaigns/${id.camp}/progress`)).body.units.find((u) => u.unit_id === unit);
const notes = async (c, kind) => (await c.get(`/api/v1/notifications?kind=${kind}&limit=100`)).body.items;

test('1. a policy fund needs no signing: accepted on a lead project, certified, and counted in policy funds only', async () => {
  const pl = await project(as.staffA, '上级审计专项资金', { category: 'policy_funds' });
  id.PL = pl.id;
  assert.equal(pl.stage, 'lead');
  // Money other than policy funds still needs a signed project first.
  expectError(await as.staffA.post(`/api/v1/projects/${pl.id}/funds`, { amount: 3 * M, date: '2026-09-15', kind: 'out_of_city' }),
    422, 'rule_violation', 'project_id');
  const fp = await create(as.staffA, `/api/v1/projects/${pl.id}/funds`, { amount: 8 * M, date: '2026-09-15', kind: 'policy', voucher_no: 'ZJ-0915' });
  id.FP = fp.id;
  assert.deepEqual([fp.status, fp.created_by, fp.unit_id], ['reported', id.staffA, id.UA]);
  // A fund cannot turn into ordinary money on a project that never signed.
  expectError(await as.staffA.patch(`/api/v1/funds/${fp.id}`, { version: fp.version, kind: 'foreign' }), 422, 'rule_violation', 'project_id');
  const before = await unitRow(as.office1, id.UA);
  assert.deepEqual([before.metrics.policy_funds.reported, before.metrics.policy_funds.certified], [8 * M, 0]);
  assert.equal(before.status, 'zero'); // nothing certified yet
  const cert = expectStatus(await as.office1.post(`/api/v1/funds/${fp.id}/certify`, {}), 200);
  assert.deepEqual([cert.status, cert.reviewed_by], ['certified', id.office1]);
  // The project stayed a lead: no signing was invented for it.
  assert.equal(sqlValue(server.db, `SELECT stage FROM projects WHERE id = ${pl.id}`), 'lead');
  assert.equal(sqlValue(server.db, `SELECT COUNT(*) FROM stage_changes WHERE project_id = ${pl.id}`), '0');
  const now = await unitRow(as.office1, id.UA);
  assert.deepEqual([now.metrics.policy_funds.reported, now.metrics.policy_funds.certified], [8 * M, 8 * M]);
  assert.deepEqual([now.metrics.funds_arrived.reported, now.metrics.funds_arrived.certified], [0, 0]);
  assert.deepEqual([now.metrics.signed_count.certified, now.metrics.signed_value.certified], [0, 0]);
  assert.deepEqual([now.metrics.signed_count.reported, now.metrics.signed_value.reported], [0, 0]);
  // Certified funds (policy included) lift the unit out of zero (docs/figures.md status 1).
  assert.notEqual(now.status, 'zero');
  // Raw SQL: the certified policy money of the unit, and no signing anywhere.
  assert.equal(sqlValue(server.db, `SELECT SUM(amount) FROM funds WHERE unit_id = ${id.UA} AND kind = 'policy' AND status = 'certified'`), String(8 * M));
  assert.equal(sqlValue(server.db, `SELECT COUNT(*) FROM stage_changes WHERE unit_id = ${id.UA}`), '0');
  // Not on a dropped project.
  const pd = await project(as.staffA, '终止项目');
  await create(as.staffA, `/api/v1/projects/${pd.id}/stage-changes`, { to_stage: 'dropped', date: '2026-08-20', reason: '客商撤资' });
  const r = await as.staffA.post(`/api/v1/projects/${pd.id}/funds`, { amount: M, date: '2026-09-15', kind: 'policy' });
  expectError(r, 422, 'rule_violation', 'project_id');
  assert.match(r.body.error.message, /终止/);
});

test('2. maker-checker: the office user who entered a record cannot certify or reject it; another office user can', async () => {
  // The office may enter a unit's record (a paper report keyed in centrally) …
  const pl = id.PL;
  const fo = await create(as.office1, `/api/v1/projects/${pl}/funds`, { amount: 2 * M, date: '2026-09-20', kind: 'policy' });
  assert.equal(fo.created_by, id.office1);
  // … but not check it.
  for (const action of ['certify', 'reject']) {
    const r = await as.office1.post(`/api/v1/funds/${fo.id}/${action}`, { reason: '核对' });
    expectError(r, 403, 'forbidden', 'created_by');
    assert.match(r.body.error.message, /本人填报/);
    assert.match(r.body.error.message, /不同的人/);
  }
  assert.deepEqual(sql(server.db, `SELECT status, reviewed_by IS NULL FROM funds WHERE id = ${fo.id}`), [['reported', '1']]);
  // Another office user certifies it.
  const ok = expectStatus(await as.office2.post(`/api/v1/funds/${fo.id}/certify`, {}), 200);
  assert.deepEqual([ok.status, ok.created_by, ok.reviewed_by], ['certified', id.office1, id.office2]);
  assert.deepEqual(sql(server.db, `SELECT created_by, reviewed_by FROM funds WHERE id = ${fo.id}`), [[String(id.office1), String(id.office2)]]);
  // A move entered by the office is held to the same rule.
  const p = await project(as.office1, '办公室代录项目', { lead_unit_id: id.UA });
  const mv = await sign(as.office1, p.id);
  const r = await as.office1.post(`/api/v1/stage-changes/${mv.id}/certify`, { reason: '原件已核验' });
  expectError(r, 403, 'forbidden', 'created_by');
  assert.equal(expectStatus(await as.office2.post(`/api/v1/stage-changes/${mv.id}/certify`, { reason: '原件已核验' }), 200).status, 'certified');
  // Nobody certified anything they entered, in the whole database.
  assert.equal(sqlValue(server.db, `SELECT (SELECT COUNT(*) FROM funds WHERE created_by = reviewed_by)
    + (SELECT COUNT(*) FROM stage_changes WHERE created_by = reviewed_by)`), '0');
});

test('3. whoever registers a project is its source and responsible person; the roster credits their leads', async () => {
  const mine = await project(as.staffA, '装备制造项目');
  id.PS = mine.id;
  assert.deepEqual([mine.source_user_id, mine.responsible_user_id], [id.staffA, id.staffA]);
  id.PT = (await project(as.staffA, '新材料项目')).id;
  // A body that names someone is taken as it is: an outside source, a named responsible person.
  const named = await project(as.headA, '文旅项目', { source_name: '外地商会会长', responsible_user_id: id.staffA2 });
  assert.deepEqual([named.source_user_id, named.source_name, named.responsible_user_id], [null, '外地商会会长', id.staffA2]);
  const nulled = await project(as.headA, '待定项目', { source_user_id: null });
  assert.deepEqual([nulled.source_user_id, nulled.responsible_user_id], [null, id.headA]);
  // headA registers one lead with no names: headA brought it.
  const hs = await project(as.headA, '物流项目');
  assert.equal(hs.source_user_id, id.headA);
  // The office keying a project in for the unit is not its source.
  const office = await project(as.office1, '办公室录入项目', { lead_unit_id: id.UA });
  assert.deepEqual([office.source_user_id, office.responsible_user_id], [null, null]);
  // Someone changes the responsible person later.
  const v = (await as.headA.get(`/api/v1/projects/${id.PT}`)).body.version;
  assert.equal(expectStatus(await as.headA.patch(`/api/v1/projects/${id.PT}`, { version: v, responsible_user_id: id.staffA2 }), 200).responsible_user_id, id.staffA2);

  const team = await create(as.headA, '/api/v1/teams', { campaign_id: id.camp, name: '审计招商小分队', member_user_ids: [id.staffA, id.staffA2] });
  const roster = expectStatus(await as.headA.get(`/api/v1/teams/${team.id}/roster?from=2026-08-01&to=${TODAY}`), 200);
  const by = Object.fromEntries(roster.members.map((m) => [m.user_id, m]));
  // staffA registered PL, the dropped project, PS and PT: 4 leads (hand count), kept.
  const leadsSql = (u) => Number(sqlValue(server.db, `SELECT COUNT(*) FROM projects WHERE source_user_id = ${u} AND campaign_id = ${id.camp}`));
  assert.equal(leadsSql(id.staffA), 4);
  assert.deepEqual([by[id.staffA].leads, by[id.staffA].proposal], [4, 'keep']);
  // staffA2 brought no lead and followed nothing: proposed for dropping.
  assert.deepEqual([by[id.staffA2].leads, by[id.staffA2].proposal], [0, 'drop']);
  // headA, outside the team, brought 物流项目: proposed for adding.
  assert.equal(leadsSql(id.headA), 1);
  assert.deepEqual([by[id.headA].leads, by[id.headA].proposal], [1, 'add']);
});

test('4. the certification queue shows each record beside the evidence it needs; a signing without its contract needs a reason', async () => {
  const ps = await sign(as.staffA, id.PS);
  const pt = await sign(as.staffA, id.PT);
  const up = expectStatus(await upload(as.staffA, id.PT, '新材料项目投资合同.pdf', 'application/pdf', PDF, `&stage_change_id=${pt.id}`), 201);
  const q = expectStatus(await as.office1.get(`/api/v1/campaigns/${id.camp}/certification-queue?kind=stage_change`), 200);
  const item = (x) => q.items.find((i) => i.kind === 'stage_change' && i.id === x);
  const a = item(ps.id), b = item(pt.id);
  assert.deepEqual(a.attachments, []);
  assert.deepEqual(a.required_evidence, [{ code: 'contract', label: '合同文本' }]);
  assert.deepEqual([a.needs_reason, a.from_stage, a.created_by], [true, 'lead', id.staffA]);
  assert.deepEqual(b.attachments.map((x) => [x.id, x.filename, x.content_type, x.size]),
    [[up.id, '新材料项目投资合同.pdf', 'application/pdf', PDF.length]]);
  assert.equal(b.needs_reason, false);
  // Raw SQL: the attachments of each queued move.
  assert.deepEqual(sql(server.db, `SELECT stage_change_id, filename FROM attachments WHERE stage_change_id IN (${ps.id}, ${pt.id})`),
    [[String(pt.id), '新材料项目投资合同.pdf']]);
  // A fund in the queue asks for its bank voucher.
  const fq = expectStatus(await as.office1.get(`/api/v1/campaigns/${id.camp}/certification-queue?kind=fund`), 200);
  for (const f of fq.items) assert.deepEqual(f.required_evidence, [{ code: 'voucher', label: '银行到账凭证' }]);

  // No contract attached: certifying without a reason is refused, naming reason.
  for (const body of [{}, { reason: '' }, { reason: '   ' }]) {
    const r = await as.office1.post(`/api/v1/stage-changes/${ps.id}/certify`, body);
    expectError(r, 422, 'rule_violation', 'reason');
    assert.match(r.body.error.message, /合同/);
  }
  expectError(await as.office1.post(`/api/v1/stage-changes/${ps.id}/certify`, { reason: 5 }), 400, 'validation_failed', 'reason');
  assert.equal(sqlValue(server.db, `SELECT status FROM stage_changes WHERE id = ${ps.id}`), 'reported');
  // With a reason it is certified, and the reason is kept on the record and in the audit log.
  const why = '合同原件已于9月28日现场核验，扫描件待补';
  const c = expectStatus(await as.office1.post(`/api/v1/stage-changes/${ps.id}/certify`, { reason: why }), 200);
  assert.deepEqual([c.status, c.certify_reason], ['certified', why]);
  assert.equal((await as.staffA.get(`/api/v1/stage-changes/${ps.id}`)).body.certify_reason, why);
  assert.equal(sqlValue(server.db, `SELECT certify_reason FROM stage_changes WHERE id = ${ps.id}`), why);
  assert.equal(sqlValue(server.db, `SELECT json_extract(after, '$.certify_reason') FROM audit_log
    WHERE action = 'certify' AND entity = 'stage-changes' AND entity_id = ${ps.id}`), why);
  // With the contract attached no reason is needed, and none is stored.
  const d = expectStatus(await as.office1.post(`/api/v1/stage-changes/${pt.id}/certify`, {}), 200);
  assert.deepEqual([d.status, d.certify_reason], ['certified', null]);
  assert.deepEqual(sql(server.db, `SELECT status, certify_reason IS NULL FROM stage_changes WHERE id = ${pt.id}`), [['certified', '1']]);
  // Certified moves leave the queue.
  const left = (await as.office1.get(`/api/v1/campaigns/${id.camp}/certification-queue?kind=stage_change`)).body.items.map((i) => i.id);
  assert.ok(!left.includes(ps.id) && !left.includes(pt.id));
});

test('5. units hear of decisions on them: a rejection with its reason, an approved proposal, an admonition talk', async () => {
  // A rejected fund.
  const f = await create(as.staffA, `/api/v1/projects/${id.PS}/funds`, { amount: 3 * M, date: '2026-09-25', kind: 'out_of_city' });
  expectStatus(await as.office1.post(`/api/v1/funds/${f.id}/reject`, { reason: '银行凭证金额与申报不符' }), 200);
  const rej = await notes(as.staffA, 'record_rejected');
  assert.equal(rej.length, 1);
  assert.deepEqual([rej[0].unit_id, rej[0].campaign_id, rej[0].link], [id.UA, id.camp, `/api/v1/funds/${f.id}`]);
  assert.equal(rej[0].text, '项目“装备制造项目”的到账资金（2026-09-25，3000000 元）未通过认定，已被退回。原因：银行凭证金额与申报不符');
  const linked = expectStatus(await as.staffA.get(rej[0].link), 200);
  assert.deepEqual([linked.id, linked.status, linked.reject_reason], [f.id, 'rejected', '银行凭证金额与申报不符']);
  // UB does not see UA's notification.
  assert.deepEqual(await notes(as.headB, 'record_rejected'), []);
  // A rejected move names its stage.
  const pm = await project(as.staffA, '退回测试项目');
  const mv = await sign(as.staffA, pm.id);
  expectStatus(await as.office2.post(`/api/v1/stage-changes/${mv.id}/reject`, { reason: '合同未盖章' }), 200);
  const rej2 = (await notes(as.headA, 'record_rejected')).find((n) => n.link === `/api/v1/stage-changes/${mv.id}`);
  assert.equal(rej2.text, '项目“退回测试项目”的签约阶段变更（2026-08-10）未通过认定，已被退回。原因：合同未盖章');

  // The month-end checkpoint (today) finds UB zero: R-RULE-1 proposes 离职招商 for UB only.
  const cp = await create(as.office1, `/api/v1/campaigns/${id.camp}/checkpoints`, { name: '9月底节点', kind: 'month_end', date: TODAY });
  const ev = expectStatus(await as.office1.post(`/api/v1/checkpoints/${cp.id}/evaluate`, {}), 200);
  assert.deepEqual(ev.proposals.map((p) => p.unit_id), [id.UB]);
  const p1 = (await as.office1.get(`/api/v1/campaigns/${id.camp}/proposals?checkpoint_id=${cp.id}`)).body.items[0];
  // A bulletin: R-RULE-5 proposes an admonition for both judged units (bottom 3 of 2).
  const bul = expectStatus(await as.office1.post(`/api/v1/campaigns/${id.camp}/bulletins`, {}), 201);
  const adm = (await as.office1.get(`/api/v1/campaigns/${id.camp}/proposals?bulletin_id=${bul.id}`)).body.items;
  assert.deepEqual(adm.map((p) => [p.unit_id, p.outcome]).sort(), [[id.UA, 'admonition'], [id.UB, 'admonition']].sort());
  const admB = adm.find((p) => p.unit_id === id.UB), admA = adm.find((p) => p.unit_id === id.UA);
  assert.deepEqual(await notes(as.headB, 'proposal_approved'), []);
  expectStatus(await as.office1.post(`/api/v1/proposals/${p1.id}/approve`, { note: '限期一周内到岗' }), 200);
  expectStatus(await as.office1.post(`/api/v1/proposals/${admB.id}/approve`, {}), 200);
  expectStatus(await as.office1.post(`/api/v1/proposals/${admA.id}/dismiss`, { note: '已有政策资金到账' }), 200);
  const appr = await notes(as.headB, 'proposal_approved');
  assert.deepEqual(appr.map((n) => [n.unit_id, n.link, n.text]), [
    [id.UB, `/api/v1/proposals/${p1.id}`, '会战办公室已批准对本单位的建议：主要负责人离职招商。说明：限期一周内到岗'],
    [id.UB, `/api/v1/proposals/${admB.id}`, '会战办公室已批准对本单位的建议：约谈主要负责人，谈话诫勉'],
  ]);
  assert.equal(expectStatus(await as.headB.get(appr[0].link), 200).status, 'approved');
  // A dismissal tells the unit nothing.
  assert.deepEqual(await notes(as.headA, 'proposal_approved'), []);
  // The talk.
  const talk = await create(as.office1, '/api/v1/admonitions', {
    campaign_id: id.camp, unit_id: id.UB, proposal_id: admB.id, date: TODAY, leader: '王副市长', head_name: '张主席',
  });
  const t = await notes(as.headB, 'admonition_scheduled');
  assert.deepEqual(t.map((n) => [n.unit_id, n.campaign_id, n.link, n.text]),
    [[id.UB, id.camp, `/api/v1/admonitions/${talk.id}`, '会战办公室已安排谈话诫勉：2026-09-30，由王副市长约谈张主席。']]);
  assert.equal(expectStatus(await as.headB.get(t[0].link), 200).leader, '王副市长');
  // Raw SQL: every notification of this city, by unit and kind.
  assert.deepEqual(sql(server.db, `SELECT unit_id, kind, COUNT(*) FROM notifications GROUP BY unit_id, kind ORDER BY unit_id, kind`), [
    [String(id.UA), 'record_rejected', '2'],
    [String(id.UB), 'admonition_scheduled', '1'],
    [String(id.UB), 'proposal_approved', '2'],
  ]);
});

test('7. a closed coordination item shows no days left and no overdue light', async () => {
  const item = await create(as.office1, '/api/v1/coordination-items', { campaign_id: id.camp, unit_id: id.UA, title: '审计项目用地协调', due_date: '2026-09-25' });
  assert.deepEqual([item.light, item.days_left], ['red', -5]);
  for (const [c, to, note] of [[as.staffA, 'signed_off'], [as.staffA, 'handled', '已协调'], [as.staffA, 'feedback', '用地已落实'],
    [as.office1, 'reviewed', '属实'], [as.office1, 'closed']]) {
    const r = expectStatus(await c.post(`/api/v1/coordination-items/${item.id}/advance`, { to, ...(note ? { note } : {}) }), 200);
    assert.equal(r.status, to);
    // Open, it counts down and is overdue; closed, neither.
    if (to !== 'closed') assert.deepEqual([r.light, r.days_left], ['red', -5]);
  }
  const closed = expectStatus(await as.office1.get(`/api/v1/coordination-items/${item.id}`), 200);
  assert.deepEqual([closed.status, closed.closed_on, closed.light, closed.days_left], ['closed', TODAY, 'green', null]);
  const listed = (await as.staffA.get(`/api/v1/coordination-items?status=closed`)).body.items.find((x) => x.id === item.id);
  assert.deepEqual([listed.light, listed.days_left], ['green', null]);
  assert.equal(sqlValue(server.db, `SELECT status FROM coordination_items WHERE id = ${item.id}`), 'closed');
});

test('6. the final checkpoint\'s early warning on the demo city judges what is still reachable', async () => {
  const demo = await startServer({ demo: true });
  try {
    const office = await demo.login('office');
    const camp = (await office.get('/api/v1/campaigns')).body.items[0].id;
    const final = (await office.get(`/api/v1/campaigns/${camp}/checkpoints`)).body.items.find((c) => c.kind === 'final');
    const w = expectStatus(await office.get(`/api/v1/checkpoints/${final.id}/early-warning`), 200);
    assert.equal(w.judged_on, 'forecast');
    const hit = (outcome) => w.would_propose.filter((p) => p.outcome === outcome).map((p) => p.unit_id).sort((a, b) => a - b);

    // Independently: each unit's expected completion from the forecast's numbers and the
    // weights, weighted and capped at 150 % (docs/figures.md "Forecast").
    const { weights } = expectStatus(await office.get(`/api/v1/campaigns/${camp}/settings`), 200);
    const fc = expectStatus(await office.get(`/api/v1/campaigns/${camp}/forecast`), 200);
    const missing = [];
    for (const u of fc.units) {
      let num = 0, den = 0;
      for (const [m, x] of Object.entries(u.metrics)) {
        if (x.target > 0 && weights[m] > 0) { num += weights[m] * Math.min(100 * x.forecast / x.target, 150); den += weights[m]; }
      }
      if (den > 0 && num / den < 100) missing.push(u.unit_id);
    }
    missing.sort((a, b) => a - b);
    assert.ok(missing.length > 0 && missing.length < fc.units.length, `some, not all, units fall short: ${missing.length}`);
    // R-RULE-3 (追究) warns exactly the units the forecast sees falling short.
    assert.deepEqual(hit('accountability'), missing);
    assert.ok(w.would_propose.filter((p) => p.outcome === 'accountability').every((p) => p.basis.figures.judged_on === 'forecast'));

    // The top 3 of the ranking are not warned; a zero unit is.
    const ranking = expectStatus(await office.get(`/api/v1/campaigns/${camp}/ranking`), 200).overall;
    const top3 = ranking.filter((r) => r.rank <= 3).map((r) => r.unit_id);
    assert.equal(top3.length, 3);
    for (const u of top3) assert.ok(!hit('accountability').includes(u), `unit ${u} ranked top 3 is not warned`);
    const second = ranking.find((r) => r.rank === 2).unit_id;
    assert.ok(!w.would_propose.some((p) => p.unit_id === second && p.outcome !== 'commendation'));
    const progress = expectStatus(await office.get(`/api/v1/campaigns/${camp}/progress`), 200);
    const zero = progress.units.filter((u) => u.status === 'zero').map((u) => u.unit_id).sort((a, b) => a - b);
    assert.ok(zero.length > 0);
    // Raw SQL: a zero unit has no certified funds and no certified signing.
    for (const u of zero) {
      assert.equal(sqlValue(demo.db, `SELECT (SELECT COUNT(*) FROM funds WHERE unit_id = ${u} AND status = 'certified')
        + (SELECT COUNT(*) FROM stage_changes WHERE unit_id = ${u} AND status = 'certified' AND from_stage IN ('lead','negotiating')
           AND to_stage IN ('signed','started','completed'))`), '0');
      assert.ok(hit('accountability').includes(u), `zero unit ${u} is warned`);
    }
    // R-RULE-2 (still zero) warns the zero units.
    assert.deepEqual(hit('leave_post'), zero);
    // The warning stores nothing.
    assert.equal(sqlValue(demo.db, `SELECT COUNT(*) FROM proposals WHERE checkpoint_id = ${final.id}`), '0');
    // A checkpoint not on the end date is still judged on today's figures.
    const month = (await office.get(`/api/v1/campaigns/${camp}/checkpoints`)).body.items.find((c) => c.kind === 'month_end');
    assert.equal(expectStatus(await office.get(`/api/v1/checkpoints/${month.id}/early-warning`), 200).judged_on, 'figures');
  } finally {
    await demo.stop();
  }
});
