// The hand-worked fixture of the progress engine tests (progress*.test.mjs): a small
// campaign built through the API as admin on an empty database, small enough that every
// figure of docs/figures.md can be worked out by hand from the table below.
// Not a test file itself (no .test.mjs suffix).
//
// Campaign 2026-08-01 → 2026-11-08 (100 days: the end date is start + 99). Today is
// 2026-10-15 (day 76). Four units, created in this order (so their ids ascend):
//   U1 市工业和信息化局 industry      targets funds_arrived 100,000,000 · signed_count 4 · leads_count 5
//                                     annual funds_arrived 300,000,000; section 招商科 funds 60,000,000
//                                     (a decomposition: never read by the board)
//   U2 市商务局         industry      targets funds_arrived 50,000,000 · signed_count 2 · completed_count 1
//   U3 市文化和旅游局   services      targets funds_arrived 40,000,000 · signed_value 100,000,000
//   U4 市审计局         policy_funds  target  policy_funds 20,000,000
// U1's head is user head1 (units.head_user_id), so a follow-up with head1 taking part is
// "with leader".
//
// Projects (lead date, planned investment) and their records. c = certified,
// r = reported (left for the office), x = rejected.
//  P1  U1 新能源电池生产基地 (08-03, 200M, investor I1)
//        SC1 →negotiating 08-10 · SC2 →signed 08-25 contract 08-25 150M c · SC3 →started 09-15 c
//        F1 60M out_of_province 09-01 c · F2 20M foreign 09-28 r
//        FU1 08-05 outbound_visit with head1 (with_leader) · FU2 09-10 meeting
//  P2  U1 高端装备零部件项目 (08-05, 80M)
//        SC4 lead→started 09-05 (skips negotiating and signed, so it carries the contract:
//            contract 09-01 60M, start 09-05) c · F3 30M out_of_city 09-20 c
//  P3  U1 联合招商产业园 (08-10, 100M), co-owned by U3 (joint promotion)
//        SC5 →negotiating 08-26 · SC6 →signed 09-25 contract 09-25 40M r · FU3 09-20 investor_visit
//  P4  U1 智能装备制造产业园项目 (09-01, 50M, investor I2)   ← same investor and name as P7
//        SC7 →negotiating 09-10 · FU4 09-12 call
//  P5  U1 食品加工项目 (08-20, 10M), responsible person staff1, nothing since
//  P6  U2 精密模具项目 (08-02, 60M)
//        SC8 →negotiating 08-14 · SC9 →signed 09-10 contract 09-10 50M c · SC10 →started 10-01 c
//        SC11 →completed 10-12 r · F4 25M out_of_province 09-20 c · FU5 08-08 fair · FU6 09-05 outbound_visit
//  P7  U2 智能装备制造产业园 (08-15, 90M, investor I2)
//        SC12 →negotiating 08-28 · SC13 →signed 09-30 contract 09-30 70M x (back to negotiating)
//        FU7 09-28 outbound_visit
//  P8  U2 物流园项目 (08-05, 30M)
//        SC14 →negotiating 08-13 · SC15 →dropped 09-05
//  P9  U3 古城文旅综合体 (08-01, 120M)
//        SC16 lead→signed 08-20 contract 08-20 80M c · F5 10M out_of_city 09-10 c
//        F6 5M out_of_city 10-05 r · F7 3M out_of_city 10-06 r · FU8 08-10 investor_visit · FU9 10-01 outbound_visit
//  P10 U3 温泉度假项目 (09-01, 30M)
//        SC17 →negotiating 09-15 · SC19 →signed 09-22 contract 09-22 20M c · F10 4M out_of_city 10-02 r
//        FU10 09-16 investor_visit
//  P11 U2 精密模具二期项目 (10-13, 40M), a reinvestment of P6 (completed)
//  P12 U4 上级审计专项资金项目 (08-10, 5M, category policy_funds)
//        SC18 lead→signed 08-22 contract 08-22 value 0 r · F8 13,750,000 policy 09-15 c · F9 8M policy 10-08 r
//  P13 U4 人防工程补助项目 (08-25, 2M, category policy_funds)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { run } from './lib.mjs';

export const TODAY = '2026-10-15';
export const PASSWORD = 'prog-pass-2026';
export const M = 1_000_000;

/** `huizhan check` on db as of TODAY: asserts it fails with exactly these lines (in any order) and their count. */
export async function checkFails(db, lines) {
  const r = await run(['check', '--db', db], { env: { HUIZHAN_TODAY: TODAY } });
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '');
  const got = r.stderr.trim().split('\n');
  assert.equal(got.pop(), `huizhan: ${lines.length} figure(s) differ from the raw records`);
  assert.deepEqual(got.sort(), [...lines].sort());
}
/** `huizhan check` on db as of TODAY: asserts it finds nothing. */
export async function checkOk(db) {
  const r = await run(['check', '--db', db], { env: { HUIZHAN_TODAY: TODAY } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'ok\n');
}

/** Runs one SQL statement with the sqlite3 CLI; rows as arrays of strings. */
export function sql(db, query) {
  const out = execFileSync('sqlite3', ['-batch', '-cmd', '.timeout 5000', db, query],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return out.split('\n').filter((l) => l.length).map((l) => l.split('|'));
}

/** Asserts the HTTP status, showing the body when it differs; returns the body. */
export function ok(r, status = 200, what = '') {
  assert.equal(r.status, status, `${what} expected ${status}, got ${r.status}: ${typeof r.body === 'string' ? r.body : JSON.stringify(r.body)}`);
  return r.body;
}

/** Asserts an error answer with its code and, when given, the field it names. */
export function fails(r, status, code, field) {
  ok(r, status);
  assert.equal(r.body.error.code, code, JSON.stringify(r.body));
  if (field !== undefined) {
    assert.ok(r.body.error.fields && Object.hasOwn(r.body.error.fields, field),
      `error.fields should name ${field}: ${JSON.stringify(r.body.error)}`);
  }
  return r.body.error;
}

async function make(c, path, body) {
  return ok(await c.post(path, body), 201, `POST ${path} ${JSON.stringify(body)}`);
}

/**
 * Builds the fixture through the API. Resolves f = {admin, office, leader, head1, staff1,
 * staff3 (clients), campaign, c (campaign id), u: {1..4} unit ids, p: {1..13} project ids,
 * sc: {1..19} stage-change ids, fund: {1..10} fund ids, fu: {1..10} follow-up ids, users}.
 */
export async function buildFixture(server) {
  const admin = await server.admin();
  const f = { admin, u: {}, p: {}, sc: {}, fund: {}, fu: {}, users: {} };

  const units = [['市工业和信息化局', 'industry'], ['市商务局', 'industry'], ['市文化和旅游局', 'services'],
    ['市审计局', 'policy_funds']];
  for (const [i, [name, category]] of units.entries()) f.u[i + 1] = (await make(admin, '/api/v1/units', { name, category })).id;
  const section = await make(admin, `/api/v1/units/${f.u[1]}/sections`, { name: '招商科' });

  const user = async (login, role, unit_id) => (await make(admin, '/api/v1/users', {
    login, name: `${login} 姓名`, role, password: PASSWORD, ...(unit_id ? { unit_id } : {}),
  })).id;
  f.users.office = await user('office1', 'office');
  f.users.leader = await user('leader1', 'leader');
  f.users.head1 = await user('head1', 'unit_head', f.u[1]);
  f.users.staff1 = await user('staff1', 'unit_staff', f.u[1]);
  f.users.staff3 = await user('staff3', 'unit_staff', f.u[3]);
  // U1's principal head: follow-ups with head1 taking part count as the leader's (R-PROG-8).
  const u1 = ok(await admin.get(`/api/v1/units/${f.u[1]}`));
  ok(await admin.patch(`/api/v1/units/${f.u[1]}`, { version: u1.version, head_user_id: f.users.head1 }));

  f.campaign = await make(admin, '/api/v1/campaigns', { name: '2026 招商引资百日会战（进度测试）', start_date: '2026-08-01' });
  f.c = f.campaign.id;
  const target = (unit_id, metric, value, extra = {}) => make(admin, `/api/v1/campaigns/${f.c}/targets`, { unit_id, metric, value, ...extra });
  await target(f.u[1], 'funds_arrived', 100 * M);
  await target(f.u[1], 'signed_count', 4);
  await target(f.u[1], 'leads_count', 5);
  await target(f.u[1], 'funds_arrived', 300 * M, { scope: 'annual' });
  await target(f.u[1], 'funds_arrived', 60 * M, { section_id: section.id });
  await target(f.u[2], 'funds_arrived', 50 * M);
  await target(f.u[2], 'signed_count', 2);
  await target(f.u[2], 'completed_count', 1);
  await target(f.u[3], 'funds_arrived', 40 * M);
  await target(f.u[3], 'signed_value', 100 * M);
  await target(f.u[4], 'policy_funds', 20 * M);

  const i1 = await make(admin, '/api/v1/investors', { name: '甲方新能源科技有限公司', kind: 'enterprise', origin: 'out_of_province', unit_id: f.u[1] });
  const i2 = await make(admin, '/api/v1/investors', { name: '乙方智能装备集团', kind: 'enterprise', origin: 'out_of_province', unit_id: f.u[2] });

  const project = async (n, unit, name, lead_date, planned, extra = {}) => {
    f.p[n] = (await make(admin, '/api/v1/projects', {
      campaign_id: f.c, name, lead_unit_id: f.u[unit], category: 'industrial', method: 'industry',
      planned_investment: planned, lead_date, ...extra,
    })).id;
  };
  const move = async (n, p, body) => { f.sc[n] = (await make(admin, `/api/v1/projects/${f.p[p]}/stage-changes`, body)).id; };
  const fund = async (n, p, amount, date, kind) => {
    f.fund[n] = (await make(admin, `/api/v1/projects/${f.p[p]}/funds`, { amount, date, kind, voucher_no: `V-${n}` })).id;
  };
  const followUp = async (n, p, date, kind, extra = {}) => {
    f.fu[n] = (await make(admin, `/api/v1/projects/${f.p[p]}/follow-ups`, { date, kind, summary: `跟踪记录 ${n}`, ...extra })).id;
  };
  // Maker-checker (R-PROG-13): admin entered the records, so office1 certifies them; a
  // signing with no contract scan attached is certified on a stated reason.
  const checker = await server.login('office1', PASSWORD);
  const certify = async (what, id, reason) => ok(await checker.post(`/api/v1/${what}/${id}/certify`, reason ? { reason } : {}), 200, `certify ${what} ${id}`);
  const signed = (date, value) => ({ to_stage: 'signed', date, contract_date: date, contract_value: value });

  await project(1, 1, '新能源电池生产基地', '2026-08-03', 200 * M, { investor_id: i1.id });
  await move(1, 1, { to_stage: 'negotiating', date: '2026-08-10' });
  await move(2, 1, signed('2026-08-25', 150 * M));
  await move(3, 1, { to_stage: 'started', date: '2026-09-15', start_date: '2026-09-15' });
  await fund(1, 1, 60 * M, '2026-09-01', 'out_of_province');
  await fund(2, 1, 20 * M, '2026-09-28', 'foreign');
  await followUp(1, 1, '2026-08-05', 'outbound_visit', { participant_user_ids: [f.users.head1] });
  await followUp(2, 1, '2026-09-10', 'meeting');

  await project(2, 1, '高端装备零部件项目', '2026-08-05', 80 * M);
  await move(4, 2, { to_stage: 'started', date: '2026-09-05', contract_date: '2026-09-01', contract_value: 60 * M, start_date: '2026-09-05' });
  await fund(3, 2, 30 * M, '2026-09-20', 'out_of_city');

  await project(3, 1, '联合招商产业园', '2026-08-10', 100 * M, { method: 'joint', co_unit_ids: [f.u[3]] });
  await move(5, 3, { to_stage: 'negotiating', date: '2026-08-26' });
  await move(6, 3, signed('2026-09-25', 40 * M));
  await followUp(3, 3, '2026-09-20', 'investor_visit');

  await project(4, 1, '智能装备制造产业园项目', '2026-09-01', 50 * M, { investor_id: i2.id });
  await move(7, 4, { to_stage: 'negotiating', date: '2026-09-10' });
  await followUp(4, 4, '2026-09-12', 'call');

  await project(5, 1, '食品加工项目', '2026-08-20', 10 * M, { responsible_user_id: f.users.staff1 });

  await project(6, 2, '精密模具项目', '2026-08-02', 60 * M);
  await move(8, 6, { to_stage: 'negotiating', date: '2026-08-14' });
  await move(9, 6, signed('2026-09-10', 50 * M));
  await move(10, 6, { to_stage: 'started', date: '2026-10-01', start_date: '2026-10-01' });
  await move(11, 6, { to_stage: 'completed', date: '2026-10-12', completion_date: '2026-10-12' });
  await fund(4, 6, 25 * M, '2026-09-20', 'out_of_province');
  await followUp(5, 6, '2026-08-08', 'fair');
  await followUp(6, 6, '2026-09-05', 'outbound_visit');

  await project(7, 2, '智能装备制造产业园', '2026-08-15', 90 * M, { investor_id: i2.id });
  await move(12, 7, { to_stage: 'negotiating', date: '2026-08-28' });
  await move(13, 7, signed('2026-09-30', 70 * M));
  await followUp(7, 7, '2026-09-28', 'outbound_visit');

  await project(8, 2, '物流园项目', '2026-08-05', 30 * M);
  await move(14, 8, { to_stage: 'negotiating', date: '2026-08-13' });
  await move(15, 8, { to_stage: 'dropped', date: '2026-09-05', reason: '客商资金链断裂' });

  await project(9, 3, '古城文旅综合体', '2026-08-01', 120 * M, { category: 'services' });
  await move(16, 9, signed('2026-08-20', 80 * M));
  await fund(5, 9, 10 * M, '2026-09-10', 'out_of_city');
  await fund(6, 9, 5 * M, '2026-10-05', 'out_of_city');
  await fund(7, 9, 3 * M, '2026-10-06', 'out_of_city');
  await followUp(8, 9, '2026-08-10', 'investor_visit');
  await followUp(9, 9, '2026-10-01', 'outbound_visit');

  await project(10, 3, '温泉度假项目', '2026-09-01', 30 * M, { category: 'services' });
  await move(17, 10, { to_stage: 'negotiating', date: '2026-09-15' });
  await move(19, 10, signed('2026-09-22', 20 * M));
  await fund(10, 10, 4 * M, '2026-10-02', 'out_of_city');
  await followUp(10, 10, '2026-09-16', 'investor_visit');

  await project(11, 2, '精密模具二期项目', '2026-10-13', 40 * M, { reinvestment_of: f.p[6] });

  await project(12, 4, '上级审计专项资金项目', '2026-08-10', 5 * M, { category: 'policy_funds', method: 'other' });
  await move(18, 12, signed('2026-08-22', 0));
  await fund(8, 12, 13_750_000, '2026-09-15', 'policy');
  await fund(9, 12, 8 * M, '2026-10-08', 'policy');

  await project(13, 4, '人防工程补助项目', '2026-08-25', 2 * M, { category: 'policy_funds', method: 'other' });

  for (const n of [2, 3, 4, 9, 10, 16, 19]) await certify('stage-changes', f.sc[n], [3, 10].includes(n) ? null : '合同原件已核验');
  for (const n of [1, 3, 4, 5, 8]) await certify('funds', f.fund[n]);
  ok(await checker.post(`/api/v1/stage-changes/${f.sc[13]}/reject`, { reason: '合同未盖章，不予认定' }), 200, 'reject SC13');

  f.office = await server.login('office1', PASSWORD);
  f.leader = await server.login('leader1', PASSWORD);
  f.head1 = await server.login('head1', PASSWORD);
  f.staff1 = await server.login('staff1', PASSWORD);
  f.staff3 = await server.login('staff3', PASSWORD);
  return f;
}
