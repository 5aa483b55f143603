// The rules beyond plain CRUD: the project stage machine (SPEC §2), certification
// (R-PROG-1), attachments (type-checked, size-limited, stored by content hash) and the
// target decomposition gaps (R-DATA-TGT). Expected values are worked out by hand.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startServer } from './lib.mjs';
import {
  TODAY, sql, sqlValue, expectStatus, expectError, ids, create, tag, newCampaign, newUnit, newProject, advance,
  PDF, PNG, upload, checker, CONTRACT_SEEN,
} from './fixtures.mjs';

let server;
let admin;
let camp;
let unit;

before(async () => {
  server = await startServer({ env: { HUIZHAN_TODAY: TODAY } });
  admin = await server.admin();
  camp = await newCampaign(admin);
  unit = await newUnit(admin);
});
// A clean stop (exit 0) also means no leak reports under ASan/LSan.
after(async () => {
  const exit = await server.stop();
  assert.deepEqual(exit, { code: 0, signal: null }, server.log());
});

const move = (c, projectId, body) => c.post(`/api/v1/projects/${projectId}/stage-changes`, body);
const project = async (id) => expectStatus(await admin.get(`/api/v1/projects/${id}`), 200);
const changesOf = (id) => Number(sqlValue(server.db, `SELECT COUNT(*) FROM stage_changes WHERE project_id = ${id}`));

/** A unit account and its logged-in client. */
async function unitUser(role, unitId = unit.id) {
  const login = tag(role);
  await create(admin, '/api/v1/users', { login, name: login, role, unit_id: unitId, password: 'unit-pass-1' });
  return server.login(login, 'unit-pass-1');
}

test('stage machine: lead → negotiating → signed → started → completed, each step with its evidence', async () => {
  const p = await newProject(admin, camp.id, unit.id, { planned_investment: 120_000_000 });
  assert.equal(p.stage, 'lead');

  const n = expectStatus(await move(admin, p.id, { to_stage: 'negotiating', date: '2026-08-03' }), 201);
  assert.equal(n.from_stage, 'lead');
  assert.equal(n.to_stage, 'negotiating');
  assert.equal((await project(p.id)).stage, 'negotiating');

  // Signing needs the contract date and value, each named when missing; nothing is written.
  expectError(await move(admin, p.id, { to_stage: 'signed', date: '2026-08-10', contract_value: 88_000_000 }), 422, 'rule_violation', 'contract_date');
  expectError(await move(admin, p.id, { to_stage: 'signed', date: '2026-08-10', contract_date: '2026-08-10' }), 422, 'rule_violation', 'contract_value');
  assert.equal(changesOf(p.id), 1);
  assert.equal((await project(p.id)).stage, 'negotiating');
  const s = expectStatus(await move(admin, p.id, { to_stage: 'signed', date: '2026-08-10', contract_date: '2026-08-09', contract_value: 88_000_000 }), 201);
  assert.equal(s.from_stage, 'negotiating');
  assert.equal(s.contract_value, 88_000_000);
  let cur = await project(p.id);
  assert.equal(cur.stage, 'signed');
  assert.equal(cur.contract_value, 88_000_000);
  assert.equal(cur.planned_investment, 120_000_000);

  // Started: needs start_date, not earlier than the contract.
  expectError(await move(admin, p.id, { to_stage: 'started', date: '2026-08-20' }), 422, 'rule_violation', 'start_date');
  // History reads forward: a move dated before the signing move of 08-10 is refused, naming date.
  expectError(await move(admin, p.id, { to_stage: 'started', date: '2026-08-09', start_date: '2026-08-09' }), 422, 'rule_violation', 'date');
  assert.equal(changesOf(p.id), 2);
  const st = expectStatus(await move(admin, p.id, { to_stage: 'started', date: '2026-08-20', start_date: '2026-08-18' }), 201);
  assert.equal(st.from_stage, 'signed');
  assert.equal((await project(p.id)).stage, 'started');

  // Completed: needs completion_date.
  expectError(await move(admin, p.id, { to_stage: 'completed', date: '2026-09-25' }), 422, 'rule_violation', 'completion_date');
  expectStatus(await move(admin, p.id, { to_stage: 'completed', date: '2026-09-25', completion_date: '2026-09-25' }), 201);
  cur = await project(p.id);
  assert.equal(cur.stage, 'completed');
  assert.equal(cur.contract_value, 88_000_000);

  // Nothing moves after completion, not even dropping.
  expectError(await move(admin, p.id, { to_stage: 'dropped', date: '2026-09-26', reason: '迁址' }), 422, 'rule_violation', 'to_stage');
  expectError(await move(admin, p.id, { to_stage: 'negotiating', date: '2026-09-26' }), 422, 'rule_violation', 'to_stage');
  // The history in order, by raw SQL.
  assert.deepEqual(sql(server.db, `SELECT from_stage, to_stage, date FROM stage_changes WHERE project_id = ${p.id} ORDER BY id`), [
    ['lead', 'negotiating', '2026-08-03'], ['negotiating', 'signed', '2026-08-10'], ['signed', 'started', '2026-08-20'], ['started', 'completed', '2026-09-25'],
  ]);
  assert.equal(sqlValue(server.db, `SELECT stage || '/' || contract_value FROM projects WHERE id = ${p.id}`), 'completed/88000000');
});

test('stage machine: skipping stages needs the skipped stages\' evidence', async () => {
  const p = await newProject(admin, camp.id, unit.id);
  // lead → started passes signed: contract date and value first, then the start date.
  expectError(await move(admin, p.id, { to_stage: 'started', date: '2026-08-20', start_date: '2026-08-20' }), 422, 'rule_violation', 'contract_date');
  expectError(await move(admin, p.id, { to_stage: 'started', date: '2026-08-20', contract_date: '2026-08-15', start_date: '2026-08-20' }), 422, 'rule_violation', 'contract_value');
  expectError(await move(admin, p.id, { to_stage: 'started', date: '2026-08-20', contract_date: '2026-08-15', contract_value: 10_000_000 }), 422, 'rule_violation', 'start_date');
  // Dates in order: a start before the contract is refused.
  expectError(await move(admin, p.id, { to_stage: 'started', date: '2026-08-20', contract_date: '2026-08-15', contract_value: 10_000_000, start_date: '2026-08-14' }), 422, 'rule_violation', 'start_date');
  assert.equal(changesOf(p.id), 0);
  assert.equal((await project(p.id)).stage, 'lead');
  const sc = expectStatus(await move(admin, p.id, { to_stage: 'started', date: '2026-08-20', contract_date: '2026-08-15', contract_value: 10_000_000, start_date: '2026-08-20' }), 201);
  assert.equal(sc.from_stage, 'lead');
  assert.equal(sc.to_stage, 'started');
  const cur = await project(p.id);
  assert.equal(cur.stage, 'started');
  assert.equal(cur.contract_value, 10_000_000);

  // lead → completed in one move with every piece of evidence, in order.
  const q = await newProject(admin, camp.id, unit.id);
  expectError(await move(admin, q.id, { to_stage: 'completed', date: '2026-09-01', contract_date: '2026-08-01', contract_value: 5_000_000, start_date: '2026-08-05' }), 422, 'rule_violation', 'completion_date');
  expectError(await move(admin, q.id, { to_stage: 'completed', date: '2026-09-01', contract_date: '2026-08-01', contract_value: 5_000_000, start_date: '2026-08-05', completion_date: '2026-08-04' }), 422, 'rule_violation', 'completion_date');
  expectStatus(await move(admin, q.id, { to_stage: 'completed', date: '2026-09-01', contract_date: '2026-08-01', contract_value: 5_000_000, start_date: '2026-08-05', completion_date: '2026-09-01' }), 201);
  assert.equal(sqlValue(server.db, `SELECT stage || '/' || contract_value FROM projects WHERE id = ${q.id}`), 'completed/5000000');

  // negotiating → started skips signed: needs the contract too.
  const r = await newProject(admin, camp.id, unit.id);
  await advance(admin, r.id, 'negotiating');
  expectError(await move(admin, r.id, { to_stage: 'started', date: '2026-08-20', start_date: '2026-08-20' }), 422, 'rule_violation', 'contract_date');
  assert.equal((await project(r.id)).stage, 'negotiating');
});

test('stage machine: backwards and same-stage moves, dropping with a reason, malformed moves', async () => {
  const p = await newProject(admin, camp.id, unit.id);
  await advance(admin, p.id, 'signed');
  expectError(await move(admin, p.id, { to_stage: 'negotiating', date: '2026-08-25' }), 422, 'rule_violation', 'to_stage');
  expectError(await move(admin, p.id, { to_stage: 'signed', date: '2026-08-25', contract_date: '2026-08-25', contract_value: 1 }), 422, 'rule_violation', 'to_stage');
  // Not a stage one moves to, or no date: 400 naming the field.
  expectError(await move(admin, p.id, { to_stage: 'lead', date: '2026-08-25' }), 400, 'validation_failed', 'to_stage');
  expectError(await move(admin, p.id, { to_stage: 'started', start_date: '2026-08-25' }), 400, 'validation_failed', 'date');
  expectError(await move(admin, p.id, { to_stage: 'started', date: '2026-08-25', start_date: '2026-02-30' }), 400, 'validation_failed', 'start_date');
  expectError(await move(admin, p.id, { to_stage: 'started', date: '2026-08-25', start_date: '2026-08-25', from_stage: 'lead' }), 400, 'validation_failed', 'from_stage');
  // A move (or its evidence) dated after today (${TODAY}) is refused naming the date.
  expectError(await move(admin, p.id, { to_stage: 'started', date: '2026-10-01', start_date: '2026-09-30' }), 422, 'rule_violation', 'date');
  expectError(await move(admin, p.id, { to_stage: 'started', date: '2026-09-30', start_date: '2026-10-01' }), 422, 'rule_violation', 'start_date');
  // Dropping needs a reason.
  expectError(await move(admin, p.id, { to_stage: 'dropped', date: '2026-08-26' }), 422, 'rule_violation', 'reason');
  expectError(await move(admin, p.id, { to_stage: 'dropped', date: '2026-08-26', reason: '' }), 422, 'rule_violation', 'reason');
  assert.equal(changesOf(p.id), 2);
  const d = expectStatus(await move(admin, p.id, { to_stage: 'dropped', date: '2026-08-26', reason: '企业资金链断裂' }), 201);
  assert.equal(d.from_stage, 'signed');
  assert.equal(d.reason, '企业资金链断裂');
  const cur = await project(p.id);
  assert.equal(cur.stage, 'dropped');
  // The signed contract value stays on record (advance() signed it at 50,000,000).
  assert.equal(cur.contract_value, 50_000_000);
  // After dropping nothing moves, not forward, not again to dropped.
  expectError(await move(admin, p.id, { to_stage: 'started', date: '2026-08-27', start_date: '2026-08-27' }), 422, 'rule_violation', 'to_stage');
  expectError(await move(admin, p.id, { to_stage: 'dropped', date: '2026-08-27', reason: '再次' }), 422, 'rule_violation', 'to_stage');
  assert.equal(changesOf(p.id), 3);
  // A dropped project (past lead) still cannot be deleted.
  expectError(await admin.del(`/api/v1/projects/${p.id}?version=${expectStatus(await admin.get(`/api/v1/projects/${p.id}`), 200).version}`), 422, 'rule_violation', 'stage');
  // Dropping a lead directly is allowed.
  const q = await newProject(admin, camp.id, unit.id);
  expectStatus(await move(admin, q.id, { to_stage: 'dropped', date: '2026-08-02', reason: '信息不实' }), 201);
  assert.equal(sqlValue(server.db, `SELECT stage FROM projects WHERE id = ${q.id}`), 'dropped');
  // Moves of a project that does not exist: 404.
  expectError(await move(admin, 999999, { to_stage: 'negotiating', date: '2026-08-02' }), 404, 'not_found');
});

test('stage machine: every project update by a move is audited on the project', async () => {
  const p = await newProject(admin, camp.id, unit.id);
  const [n, s] = await advance(admin, p.id, 'signed');
  const log = expectStatus(await admin.get(`/api/v1/audit?entity=projects&entity_id=${p.id}`), 200);
  assert.deepEqual(log.items.map((x) => x.action), ['update', 'update', 'create']);
  assert.deepEqual([log.items[1].before.stage, log.items[1].after.stage], ['lead', 'negotiating']);
  assert.deepEqual([log.items[0].before.stage, log.items[0].after.stage], ['negotiating', 'signed']);
  assert.deepEqual([log.items[0].before.contract_value, log.items[0].after.contract_value], [0, 50_000_000]);
  assert.equal(log.items[0].after.version, 3);
  // And each move itself.
  for (const sc of [n, s]) {
    const l = expectStatus(await admin.get(`/api/v1/audit?entity=stage-changes&entity_id=${sc.id}`), 200).items;
    assert.deepEqual(l.map((x) => x.action), ['create']);
    assert.equal(l[0].after.to_stage, sc.to_stage);
  }
});

test('certification of stage changes: certify, reject with reason, double certify, no certification for negotiating', async () => {
  const p = await newProject(admin, camp.id, unit.id);
  const [neg, signed] = await advance(admin, p.id, 'signed');
  assert.equal(signed.status, 'reported');
  // Moves to negotiating (and dropped) are not certified.
  expectError(await admin.post(`/api/v1/stage-changes/${neg.id}/certify`), 422, 'rule_violation', 'to_stage');
  expectError(await admin.post(`/api/v1/stage-changes/${neg.id}/reject`, { reason: 'x' }), 422, 'rule_violation', 'to_stage');

  // Unit users and leaders may not certify.
  const staff = await unitUser('unit_staff');
  const head = await unitUser('unit_head');
  expectError(await staff.post(`/api/v1/stage-changes/${signed.id}/certify`), 403, 'forbidden');
  expectError(await head.post(`/api/v1/stage-changes/${signed.id}/certify`), 403, 'forbidden');
  const leaderLogin = tag('leader');
  await create(admin, '/api/v1/users', { login: leaderLogin, name: '市领导', role: 'leader', password: 'leader-pass-1' });
  const leader = await server.login(leaderLogin, 'leader-pass-1');
  expectError(await leader.post(`/api/v1/stage-changes/${signed.id}/certify`), 403, 'forbidden');
  assert.equal(sqlValue(server.db, `SELECT status FROM stage_changes WHERE id = ${signed.id}`), 'reported');

  // An office user certifies.
  const officeLogin = tag('office');
  const officeUser = await create(admin, '/api/v1/users', { login: officeLogin, name: '会战办', role: 'office', password: 'office-pass-1' });
  const office = await server.login(officeLogin, 'office-pass-1');
  // No contract scan is attached: the office states what it certified on.
  const cert = expectStatus(await office.post(`/api/v1/stage-changes/${signed.id}/certify`, CONTRACT_SEEN), 200);
  assert.equal(cert.status, 'certified');
  assert.equal(cert.reviewed_by, officeUser.id);
  assert.match(cert.reviewed_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(cert.reject_reason, null);
  assert.equal(cert.certify_reason, CONTRACT_SEEN.reason);
  assert.equal(cert.version, 2);
  assert.deepEqual(expectStatus(await admin.get(`/api/v1/stage-changes/${signed.id}`), 200), cert);
  assert.deepEqual(sql(server.db, `SELECT status, reviewed_by, reject_reason IS NULL FROM stage_changes WHERE id = ${signed.id}`), [['certified', String(officeUser.id), '1']]);
  // Settled: neither certified again nor rejected.
  expectError(await admin.post(`/api/v1/stage-changes/${signed.id}/certify`), 422, 'rule_violation', 'status');
  expectError(await admin.post(`/api/v1/stage-changes/${signed.id}/reject`, { reason: '重新审核' }), 422, 'rule_violation', 'status');
  assert.deepEqual(expectStatus(await admin.get(`/api/v1/stage-changes/${signed.id}`), 200), cert);
  // The certification is audited with before/after.
  const log = expectStatus(await admin.get(`/api/v1/audit?entity=stage-changes&entity_id=${signed.id}`), 200).items;
  assert.deepEqual(log.map((x) => x.action), ['certify', 'create']);
  assert.equal(log[0].user_id, officeUser.id);
  assert.equal(log[0].before.status, 'reported');
  assert.equal(log[0].after.status, 'certified');

  // Started: rejected with a reason the unit sees.
  const started = expectStatus(await move(admin, p.id, { to_stage: 'started', date: '2026-08-22', start_date: '2026-08-22' }), 201);
  expectError(await admin.post(`/api/v1/stage-changes/${started.id}/reject`, {}), 400, 'validation_failed', 'reason');
  expectError(await admin.post(`/api/v1/stage-changes/${started.id}/reject`, { reason: '   ' }), 400, 'validation_failed', 'reason');
  expectError(await admin.post(`/api/v1/stage-changes/${started.id}/reject`, { reason: 42 }), 400, 'validation_failed', 'reason');
  expectError(await admin.post(`/api/v1/stage-changes/${started.id}/reject`), 400, 'validation_failed', 'reason');
  assert.equal(sqlValue(server.db, `SELECT status FROM stage_changes WHERE id = ${started.id}`), 'reported');
  const rej = expectStatus(await office.post(`/api/v1/stage-changes/${started.id}/reject`, { reason: '开工照片不符' }), 200);
  assert.equal(rej.status, 'rejected');
  assert.equal(rej.reject_reason, '开工照片不符');
  assert.equal(rej.reviewed_by, officeUser.id);
  // A rejected move is undone: the project is back at signed (its certified stage).
  assert.equal((await project(p.id)).stage, 'signed');
  // The unit sees the reason on its own record.
  const seen = expectStatus(await staff.get(`/api/v1/stage-changes/${started.id}`), 200);
  assert.equal(seen.status, 'rejected');
  assert.equal(seen.reject_reason, '开工照片不符');
  expectError(await admin.post(`/api/v1/stage-changes/${started.id}/certify`), 422, 'rule_violation', 'status');
  // Unknown record, or a collection that is not certified: 404.
  expectError(await admin.post('/api/v1/stage-changes/999999/certify'), 404, 'not_found');
  expectError(await admin.post(`/api/v1/projects/${p.id}/certify`), 404, 'not_found');
  // Flat list by status for this project: hand-counted.
  const byStatus = async (st) => ids(expectStatus(await admin.get(`/api/v1/stage-changes?project_id=${p.id}&status=${st}`), 200).items);
  assert.deepEqual(await byStatus('certified'), [signed.id]);
  assert.deepEqual(await byStatus('rejected'), [started.id]);
  assert.deepEqual(await byStatus('reported'), [neg.id]);
});

test('rejecting moves: only the latest standing move, each undoing one step, audited on the project', async () => {
  const p = await newProject(admin, camp.id, unit.id);
  const [neg, signed, started] = await advance(admin, p.id, 'started');
  const office = await checker(server, admin); // admin entered the moves (maker-checker)
  assert.equal((await project(p.id)).stage, 'started');
  // The signing is not the latest move: rejecting it would leave a start without a contract.
  expectError(await office.post(`/api/v1/stage-changes/${signed.id}/reject`, { reason: '合同无效' }), 422, 'rule_violation');
  assert.equal(sqlValue(server.db, `SELECT status FROM stage_changes WHERE id = ${signed.id}`), 'reported');
  assert.equal((await project(p.id)).stage, 'started');
  // Reject the start, then the signing: started → signed → negotiating.
  expectStatus(await office.post(`/api/v1/stage-changes/${started.id}/reject`, { reason: '未见开工' }), 200);
  assert.equal((await project(p.id)).stage, 'signed');
  // The start carried no contract: the signing's contract value stands.
  assert.equal((await project(p.id)).contract_value, signed.contract_value);
  assert.ok(signed.contract_value > 0);
  expectStatus(await office.post(`/api/v1/stage-changes/${signed.id}/reject`, { reason: '合同无效' }), 200);
  assert.equal((await project(p.id)).stage, 'negotiating');
  // The rejected contract no longer stands, and no other move carries one.
  assert.equal((await project(p.id)).contract_value, 0);
  assert.deepEqual(sql(server.db, `SELECT to_stage, status FROM stage_changes WHERE project_id = ${p.id} ORDER BY id`),
    [['negotiating', 'reported'], ['signed', 'rejected'], ['started', 'rejected']]);
  // The project's audit trail: create, three moves, two undos (newest first).
  const log = expectStatus(await admin.get(`/api/v1/audit?entity=projects&entity_id=${p.id}`), 200).items;
  assert.deepEqual(log.map((x) => [x.action, x.before?.stage ?? null, x.after.stage]), [
    ['update', 'signed', 'negotiating'], ['update', 'started', 'signed'],
    ['update', 'signed', 'started'], ['update', 'negotiating', 'signed'], ['update', 'lead', 'negotiating'], ['create', null, 'lead'],
  ]);
  // After the undo the project moves on again from negotiating, with new evidence.
  const again = expectStatus(await move(admin, p.id, { to_stage: 'signed', date: '2026-09-01', contract_date: '2026-09-01', contract_value: 45_000_000 }), 201);
  assert.equal(again.from_stage, 'negotiating');
  assert.equal(sqlValue(server.db, `SELECT stage || '/' || contract_value FROM projects WHERE id = ${p.id}`), 'signed/45000000');
  assert.ok(neg.id < signed.id);
});

test('certification of funds: certify, reject with reason, settled funds locked', async () => {
  const p = await newProject(admin, camp.id, unit.id);
  await advance(admin, p.id, 'signed');
  const f1 = await create(admin, `/api/v1/projects/${p.id}/funds`, { amount: 6_000_000, date: '2026-08-30', kind: 'out_of_province' });
  const f2 = await create(admin, `/api/v1/projects/${p.id}/funds`, { amount: 2_000_000, date: '2026-09-05', kind: 'foreign' });
  const staff = await unitUser('unit_staff');
  const office = await checker(server, admin); // admin entered the funds (maker-checker)
  expectError(await staff.post(`/api/v1/funds/${f1.id}/certify`), 403, 'forbidden');
  const c1 = expectStatus(await office.post(`/api/v1/funds/${f1.id}/certify`, {}), 200);
  assert.deepEqual([c1.status, c1.reviewed_by, c1.reject_reason, c1.version], ['certified', office.user.id, null, 2]);
  expectError(await office.post(`/api/v1/funds/${f1.id}/certify`), 422, 'rule_violation', 'status');
  expectError(await office.post(`/api/v1/funds/${f2.id}/reject`, { reason: '' }), 400, 'validation_failed', 'reason');
  const r2 = expectStatus(await office.post(`/api/v1/funds/${f2.id}/reject`, { reason: '银行回单缺失' }), 200);
  assert.deepEqual([r2.status, r2.reject_reason, r2.reviewed_by], ['rejected', '银行回单缺失', office.user.id]);
  assert.ok(r2.reviewed_at);
  // Settled funds are locked for the unit too.
  const cur = expectStatus(await staff.get(`/api/v1/funds/${f2.id}`), 200);
  expectError(await staff.patch(`/api/v1/funds/${f2.id}`, { version: cur.version, amount: 2_100_000 }), 422, 'rule_violation', 'status');
  expectError(await staff.del(`/api/v1/funds/${f1.id}?version=${expectStatus(await staff.get(`/api/v1/funds/${f1.id}`), 200).version}`), 422, 'rule_violation', 'status');
  // Certified and reported totals of the project, by raw SQL: 6,000,000 certified, nothing else counts.
  assert.deepEqual(sql(server.db, `SELECT status, SUM(amount) FROM funds WHERE project_id = ${p.id} GROUP BY status ORDER BY status`),
    [['certified', '6000000'], ['rejected', '2000000']]);
  // Filterable flat list.
  assert.deepEqual(ids(expectStatus(await admin.get(`/api/v1/funds?project_id=${p.id}&status=certified`), 200).items), [f1.id]);
});

test('attachments: upload PDF/PNG, type and size checks, download, dedup by content, links', async () => {
  const p = await newProject(admin, camp.id, unit.id);
  const other = await newProject(admin, camp.id, unit.id);
  const sha = (b) => createHash('sha256').update(b).digest('hex');
  const stored = new Set();

  // A contract scan with a Chinese filename.
  const r = await upload(admin, p.id, '合同.pdf', 'application/pdf', PDF);
  const a1 = expectStatus(r, 201, 'pdf upload');
  stored.add(sha(PDF));
  assert.deepEqual([a1.project_id, a1.filename, a1.content_type, a1.size, a1.sha256, a1.version, a1.created_by],
    [p.id, '合同.pdf', 'application/pdf', PDF.length, sha(PDF), 1, admin.user.id]);
  const dl = await admin.get(`/api/v1/attachments/${a1.id}/content`);
  expectStatus(dl, 200);
  assert.ok(dl.raw.equals(PDF), 'same bytes back');
  assert.equal(dl.headers.get('content-type'), 'application/pdf');
  const disp = dl.headers.get('content-disposition');
  // 合 = U+5408 = E5 90 88, 同 = U+540C = E5 90 8C in UTF-8.
  assert.ok(disp.startsWith('attachment;'), disp);
  assert.ok(disp.includes("filename*=UTF-8''%E5%90%88%E5%90%8C.pdf"), disp);
  assert.match(disp, /filename="[\x20-\x7e]*\.pdf"/);

  // A PNG photo, parameters on the content type are fine.
  const a2 = expectStatus(await upload(admin, p.id, 'site photo.png', 'image/png', PNG), 201);
  stored.add(sha(PNG));
  assert.equal(a2.content_type, 'image/png');
  assert.equal(a2.size, PNG.length);
  const dl2 = await admin.get(`/api/v1/attachments/${a2.id}/content`);
  assert.equal(dl2.headers.get('content-type'), 'image/png');
  assert.ok(dl2.raw.equals(PNG));
  assert.ok(dl2.headers.get('content-disposition').includes("filename*=UTF-8''site%20photo.png"));

  // Bytes that do not match the declared type, and types not accepted at all: 415.
  expectError(await upload(admin, p.id, 'fake.pdf', 'application/pdf', PNG), 415, 'unsupported_media_type');
  expectError(await upload(admin, p.id, 'fake.png', 'image/png', PDF), 415, 'unsupported_media_type');
  expectError(await upload(admin, p.id, 'note.txt', 'text/plain', Buffer.from('hello')), 415, 'unsupported_media_type');
  expectError(await upload(admin, p.id, 'run.exe', 'application/octet-stream', Buffer.from('MZ\x90\x00')), 415, 'unsupported_media_type');
  // Empty: 400 naming the body; no filename or a path in it: 400 naming filename.
  expectError(await upload(admin, p.id, 'empty.pdf', 'application/pdf', Buffer.alloc(0)), 400, 'validation_failed', 'body');
  expectError(await admin.post(`/api/v1/projects/${p.id}/attachments`, PDF, { headers: { 'Content-Type': 'application/pdf' } }), 400, 'validation_failed', 'filename');
  expectError(await upload(admin, p.id, '../etc/passwd.pdf', 'application/pdf', PDF), 400, 'validation_failed', 'filename');
  // Over 20 MiB: 413; exactly 20 MiB is accepted.
  const limit = 20 * 1024 * 1024;
  const big = Buffer.alloc(limit + 1, 0x20);
  PDF.copy(big, 0);
  expectError(await upload(admin, p.id, 'big.pdf', 'application/pdf', big), 413, 'payload_too_large');
  const exact = big.subarray(0, limit);
  const a3 = expectStatus(await upload(admin, p.id, 'exact.pdf', 'application/pdf', exact), 201);
  stored.add(sha(exact));
  assert.equal(a3.size, limit);
  assert.equal(sqlValue(server.db, `SELECT length(data) FROM blobs WHERE sha256 = '${sha(exact)}'`), String(limit));

  // The same content twice (another name, another project) is stored once.
  const dup = expectStatus(await upload(admin, other.id, '合同副本.pdf', 'application/pdf', PDF), 201);
  assert.equal(dup.sha256, a1.sha256);
  assert.notEqual(dup.id, a1.id);
  assert.equal(sqlValue(server.db, `SELECT COUNT(*) FROM blobs WHERE sha256 = '${sha(PDF)}'`), '1');
  assert.equal(sqlValue(server.db, `SELECT COUNT(*) FROM attachments WHERE sha256 = '${sha(PDF)}'`), '2');
  assert.equal(sqlValue(server.db, 'SELECT COUNT(*) FROM blobs'), String(stored.size));
  assert.ok((await admin.get(`/api/v1/attachments/${dup.id}/content`)).raw.equals(PDF));
  // Deleting one attachment leaves the other's content readable.
  expectStatus(await admin.del(`/api/v1/attachments/${a1.id}?version=${a1.version}`), 204);
  assert.ok((await admin.get(`/api/v1/attachments/${dup.id}/content`)).raw.equals(PDF));

  // Linking to a stage change or fund: of this project yes, of another project 400.
  const [, signedP] = await advance(admin, p.id, 'signed');
  const [, signedO] = await advance(admin, other.id, 'signed');
  const fundO = await create(admin, `/api/v1/projects/${other.id}/funds`, { amount: 1_000_000, date: '2026-09-01', kind: 'out_of_city' });
  const fundP = await create(admin, `/api/v1/projects/${p.id}/funds`, { amount: 2_000_000, date: '2026-09-01', kind: 'out_of_city' });
  const linked = expectStatus(await upload(admin, p.id, '签约合同.pdf', 'application/pdf', PDF, `&stage_change_id=${signedP.id}`), 201);
  assert.equal(linked.stage_change_id, signedP.id);
  assert.equal(linked.fund_id, null);
  const linkedF = expectStatus(await upload(admin, p.id, '回单.png', 'image/png', PNG, `&fund_id=${fundP.id}`), 201);
  assert.equal(linkedF.fund_id, fundP.id);
  expectError(await upload(admin, p.id, 'x.pdf', 'application/pdf', PDF, `&stage_change_id=${signedO.id}`), 400, 'validation_failed', 'stage_change_id');
  expectError(await upload(admin, p.id, 'x.pdf', 'application/pdf', PDF, `&fund_id=${fundO.id}`), 400, 'validation_failed', 'fund_id');
  expectError(await upload(admin, p.id, 'x.pdf', 'application/pdf', PDF, '&fund_id=999999'), 400, 'validation_failed', 'fund_id');
  expectError(await upload(admin, p.id, 'x.pdf', 'application/pdf', PDF, `&fund_id=${fundP.id}&stage_change_id=${signedP.id}`), 400, 'validation_failed');
  expectError(await upload(admin, p.id, 'x.pdf', 'application/pdf', PDF, '&colour=red'), 400, 'validation_failed', 'colour');
  const byLink = expectStatus(await admin.get(`/api/v1/attachments?stage_change_id=${signedP.id}`), 200);
  assert.deepEqual(ids(byLink.items), [linked.id]);
  // Nothing stored by the refused uploads: the attachments rows are exactly the accepted ones.
  assert.equal(sqlValue(server.db, 'SELECT COUNT(*) FROM attachments'), '5'); // a2, a3, dup, linked, linkedF
  assert.equal(sqlValue(server.db, 'SELECT COUNT(*) FROM blobs'), String(stored.size));
  // Project that does not exist: 404. A leader (read-only) may download but not upload.
  expectError(await upload(admin, 999999, 'x.pdf', 'application/pdf', PDF), 404, 'not_found');
  const leaderLogin = tag('leader');
  await create(admin, '/api/v1/users', { login: leaderLogin, name: '领导', role: 'leader', password: 'leader-pass-1' });
  const leader = await server.login(leaderLogin, 'leader-pass-1');
  expectError(await upload(leader, p.id, 'x.pdf', 'application/pdf', PDF), 403, 'forbidden');
  assert.ok((await leader.get(`/api/v1/attachments/${a2.id}/content`)).raw.equals(PNG));
  // Another unit's user sees neither the record nor the content.
  const outsider = await unitUser('unit_staff', (await newUnit(admin)).id);
  expectError(await outsider.get(`/api/v1/attachments/${a2.id}/content`), 404, 'not_found');
  expectError(await upload(outsider, p.id, 'x.pdf', 'application/pdf', PDF), 404, 'not_found');
});

test('target gaps: unit targets whose section or person parts add up to less than the whole', async () => {
  const g = await newCampaign(admin);
  const [A, B, C] = [await newUnit(admin), await newUnit(admin), await newUnit(admin)];
  const secA1 = await create(admin, `/api/v1/units/${A.id}/sections`, { name: '一科' });
  const secA2 = await create(admin, `/api/v1/units/${A.id}/sections`, { name: '二科' });
  const secB1 = await create(admin, `/api/v1/units/${B.id}/sections`, { name: '一科' });
  const person = async (u) => { const l = tag('p'); return create(admin, '/api/v1/users', { login: l, name: l, role: 'unit_staff', unit_id: u.id, password: 'person-pass' }); };
  const [a1, a2, b1] = [await person(A), await person(A), await person(B)];
  const base = `/api/v1/campaigns/${g.id}/targets`;
  const T = (body) => create(admin, base, body);
  // Unit A.
  const tAannual = await T({ unit_id: A.id, metric: 'funds_arrived', value: 400_000_000, scope: 'annual' });
  await T({ unit_id: A.id, section_id: secA1.id, metric: 'funds_arrived', value: 400_000_000, scope: 'annual' });
  const tAfunds = await T({ unit_id: A.id, metric: 'funds_arrived', value: 100_000_000 });
  await T({ unit_id: A.id, section_id: secA1.id, metric: 'funds_arrived', value: 60_000_000 });
  await T({ unit_id: A.id, section_id: secA2.id, metric: 'funds_arrived', value: 30_000_000 });
  await T({ unit_id: A.id, user_id: a1.id, metric: 'funds_arrived', value: 50_000_000 });
  await T({ unit_id: A.id, user_id: a2.id, metric: 'funds_arrived', value: 50_000_000 });
  const tAsigned = await T({ unit_id: A.id, metric: 'signed_count', value: 10 });
  await T({ unit_id: A.id, section_id: secA1.id, metric: 'signed_count', value: 4 });
  await T({ unit_id: A.id, section_id: secA2.id, metric: 'signed_count', value: 6 });
  await T({ unit_id: A.id, user_id: a1.id, metric: 'signed_count', value: 3 });
  await T({ unit_id: A.id, user_id: a2.id, metric: 'signed_count', value: 7 });
  // Unit B: funds split to its section only; signed value over-decomposed to the section.
  const tBfunds = await T({ unit_id: B.id, metric: 'funds_arrived', value: 50_000_000 });
  await T({ unit_id: B.id, section_id: secB1.id, metric: 'funds_arrived', value: 50_000_000 });
  const tBvalue = await T({ unit_id: B.id, metric: 'signed_value', value: 100_000_000 });
  await T({ unit_id: B.id, section_id: secB1.id, metric: 'signed_value', value: 120_000_000 });
  await T({ unit_id: B.id, user_id: b1.id, metric: 'signed_value', value: 100_000_000 });
  // Unit C: not decomposed at all.
  const tC = await T({ unit_id: C.id, metric: 'leads_count', value: 20 });
  // Another campaign's parts never count here.
  const other = await newCampaign(admin);
  await create(admin, `/api/v1/campaigns/${other.id}/targets`, { unit_id: C.id, metric: 'leads_count', value: 20 });
  await create(admin, `/api/v1/campaigns/${other.id}/targets`, { unit_id: A.id, section_id: secA2.id, metric: 'funds_arrived', value: 10_000_000 });

  // Decomposition rules: a section of another unit, or both a section and a person, are refused.
  expectError(await admin.post(base, { unit_id: A.id, section_id: secB1.id, metric: 'leads_count', value: 1 }), 400, 'validation_failed', 'section_id');
  expectError(await admin.post(base, { unit_id: A.id, user_id: b1.id, metric: 'leads_count', value: 1 }), 400, 'validation_failed', 'user_id');
  expectError(await admin.post(base, { unit_id: A.id, section_id: secA1.id, user_id: a1.id, metric: 'leads_count', value: 1 }), 400, 'validation_failed', 'user_id');

  const row = (t, scope, metric, value, ss, sc, ps, pc) => ({
    target_id: t.id, unit_id: t.unit_id, scope, metric, value, sections_sum: ss, sections_count: sc, people_sum: ps, people_count: pc,
    sections_short: ss < value, people_short: ps < value, sections_gap: Math.max(0, value - ss), people_gap: Math.max(0, value - ps),
  });
  const expected = [
    // A, annual before campaign: 400M whole, section part 400M, no people → people gap 400M.
    row(tAannual, 'annual', 'funds_arrived', 400_000_000, 400_000_000, 1, 0, 0),
    // A funds 100M: sections 60M + 30M = 90M (gap 10M); people 50M + 50M = 100M.
    row(tAfunds, 'campaign', 'funds_arrived', 100_000_000, 90_000_000, 2, 100_000_000, 2),
    // A signed 10: sections 4 + 6, people 3 + 7 — complete.
    row(tAsigned, 'campaign', 'signed_count', 10, 10, 2, 10, 2),
    // B funds 50M: section 50M; people none → gap 50M.
    row(tBfunds, 'campaign', 'funds_arrived', 50_000_000, 50_000_000, 1, 0, 0),
    // B signed value 100M: section 120M (over, no gap), person 100M.
    row(tBvalue, 'campaign', 'signed_value', 100_000_000, 120_000_000, 1, 100_000_000, 1),
    // C leads 20: nothing decomposed → both gaps 20.
    row(tC, 'campaign', 'leads_count', 20, 0, 0, 0, 0),
  ];
  // The gaps hand-checked above.
  assert.deepEqual(expected.map((x) => [x.sections_gap, x.people_gap]),
    [[0, 400_000_000], [10_000_000, 0], [0, 0], [0, 50_000_000], [0, 0], [20, 20]]);
  const gaps = expectStatus(await admin.get(`/api/v1/campaigns/${g.id}/target-gaps`), 200);
  assert.deepEqual(gaps.items, expected);
  assert.equal(gaps.short_count, 4);

  // A unit head sees only the unit's own figures, and may decompose but not set the unit's target.
  const headA = await unitUser('unit_head', A.id);
  const mine = expectStatus(await headA.get(`/api/v1/campaigns/${g.id}/target-gaps`), 200);
  assert.deepEqual(mine.items, expected.slice(0, 3));
  assert.equal(mine.short_count, 2);
  expectError(await headA.post(base, { unit_id: A.id, metric: 'leads_count', value: 5 }), 403, 'forbidden');
  expectError(await headA.post(base, { unit_id: B.id, section_id: secB1.id, metric: 'leads_count', value: 5 }), 403, 'forbidden');
  const own = await create(headA, base, { unit_id: A.id, user_id: a1.id, metric: 'leads_count', value: 5 });
  expectStatus(await headA.del(`/api/v1/targets/${own.id}?version=${own.version}`), 204);
  // Closing the 10M section gap: A's second section takes 40M instead of 30M.
  const part = expectStatus(await headA.get(`${base}?unit_id=${A.id}&section_id=${secA2.id}&metric=funds_arrived`), 200).items;
  assert.equal(part.length, 1);
  expectStatus(await headA.patch(`/api/v1/targets/${part[0].id}`, { version: part[0].version, value: 40_000_000 }), 200);
  const after = expectStatus(await headA.get(`/api/v1/campaigns/${g.id}/target-gaps`), 200);
  assert.deepEqual(after.items[1], row(tAfunds, 'campaign', 'funds_arrived', 100_000_000, 100_000_000, 2, 100_000_000, 2));
  assert.equal(after.short_count, 1);
  // The same sums by raw SQL.
  assert.equal(sqlValue(server.db, `SELECT SUM(value) FROM targets WHERE campaign_id = ${g.id} AND unit_id = ${A.id} AND scope = 'campaign' AND metric = 'funds_arrived' AND section_id IS NOT NULL`), '100000000');
  expectError(await admin.get('/api/v1/campaigns/999999/target-gaps'), 404, 'not_found');
});
