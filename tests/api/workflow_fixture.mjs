// The city of the workflow tests (scenario.test.mjs, workflow.test.mjs,
// workflow_roles.test.mjs): the leader's speech (reference/speech-zh.txt) replayed on a
// small campaign built through the API as admin on an empty database, small enough that
// every figure of docs/figures.md and docs/workflows.md can be worked out by hand from
// the table below. Not a test file itself (no .test.mjs suffix).
//
// Campaign 2026-08-01 → 2026-11-08 (100 days; start + 99), status active. Checkpoints:
//   CP_M   月底节点         month_end 2026-10-31 (day 92)   "月底前还没有明显成效的，主要负责人要离职招商"
//   CP_FAIR 经贸洽谈会      fair      2026-10-25 (day 86)   "10月下旬即将举行的经贸洽谈会"
//   CP_END 百日会战结束     final     2026-11-08 (day 100)  "百日会战活动结束时，仍然没有成效的…离岗招商"
// Campaign week N runs 08-01 + 7(N−1) … +6: week 10 = 10-03…10-09, week 11 = 10-10…10-16,
// week 12 = 10-17…10-23, week 13 = 10-24…10-30, week 14 = 10-31…11-06, week 15 = 11-07…11-08.
//
// Units (created in this order, so ids ascend) and their campaign targets:
//   U1 市工业和信息化局 industry      funds_arrived 100M · signed_count 2 · annual funds_arrived 150M
//   U2 市商务局         industry      funds_arrived 50M · signed_count 2
//   U3 市农业农村局     agriculture   funds_arrived 30M
//   U4 市文化和旅游局   services      funds_arrived 20M
//   U5 市审计局         policy_funds  policy_funds 10M
//   U6 市总工会         mass_org      funds_arrived 10M
//   U7 市城市管理局     services      funds_arrived 40M · signed_count 1
// Users: office1 (office), leader1 (leader); U1: head1 (unit_head, units.head_user_id),
// dep1 (unit_head, units.deputy_user_id), staff1a, staff1b, staff1c (unit_staff);
// U2: head2, staff2; U3: head3, staff3; U4: head4; U5: head5.
// U1's team 工信招商小分队 has the members staff1a, staff1b and staff1c.
//
// Phase 1 — records made with today = 2026-10-20 (day 81). c = certified, r = reported.
//  P1  U1 新能源电池项目 lead 08-03 (source staff1c) · →negotiating 08-20 · →signed 09-10 contract 80M c
//        F1 60M out_of_province 09-20 c · F1b 20M out_of_city 10-06 c
//        FU1 09-05 meeting with dep1 (with_leader) · FU2 10-13 meeting with head1 (with_leader)
//  P2  U1 智能装备项目 lead 10-05 (source staff1a) · lead→signed 10-12 contract 30M c
//        F1c 10M foreign 10-14 c · F1d 5M out_of_city 10-15 r · FU3 10-15 call with staff1b
//  P3  U1 新材料项目 lead 10-11 (source dep1), nothing else
//  P4  U2 跨境电商产业园 lead 09-01 · lead→signed 10-14 contract 50M c
//  P5  U2 物流园项目 lead 10-02 · →negotiating 10-10
//  P6  U3 现代农业产业园 lead 09-10 · lead→signed 10-05 contract 20M r · F2 10M out_of_city 10-15 r
//  P7  U4 古城文旅综合体 lead 09-15 · →negotiating 10-01
//  P8  U5 上级审计专项资金 lead 08-20 · lead→signed 09-01 contract 0 r · F3 8M policy 09-15 c
//  P9  U6 职工疗养基地 lead 08-15 · lead→signed 09-20 contract 5M c · F4 2M out_of_city 10-10 c
//        F6 3M out_of_city 10-19 r (certified later, after bulletin 1 is published)
//  P10 U7 智慧停车项目 lead 10-01 · →negotiating 10-10
// Phase 2 — records made with today = 2026-11-01 (phase2()):
//  U1  F1e 20M out_of_province 10-25 c on P1
//  U2  P5 →signed 10-26 contract 20M c · F5 50M out_of_province 10-29 c on P4
//  U5  F3b 4M policy 10-27 c on P8
//  U7  P10 →signed 10-28 contract 30M c · F7 40M out_of_province 10-30 c
// Phase 3 — with today = 2026-11-09 (phase3()): the office certifies U3's F2 (10M, 10-15).
// No follow-up is an outbound visit, an investor visit or a fair, so no activity metric
// enters any score: a score is 100 × Σ weight × min(certified/target, 1.5) / Σ weight over
// the unit's targets (weights funds_arrived 40, signed_count 10, policy_funds 40).
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { run, serveDb, tempDir, ADMIN_PASSWORD } from './lib.mjs';

export const M = 1_000_000;
export const PASSWORD = 'wf-pass-2026';
export const DAY1 = '2026-10-20';
export const DAY2 = '2026-11-01';
export const DAY3 = '2026-11-09';

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
 * A server on a fresh database of its own, restartable with another "today" on the same
 * database: {db, server, today, start(today), restart(today), stop()}. stop() asserts the
 * server exits 0 on SIGTERM (under ASan a leak makes it fail) and removes the database.
 */
export async function openCity(today) {
  const dir = tempDir();
  const db = join(dir, 'huizhan.db');
  const r = await run(['init', '--db', db, '--admin-password', ADMIN_PASSWORD]);
  assert.equal(r.code, 0, r.stderr);
  const city = {
    db, dir, server: null, today: null,
    async start(day) {
      city.today = day;
      city.server = await serveDb(db, { env: { HUIZHAN_TODAY: day } });
      return city.server;
    },
    /** Stops the server (exit 0 asserted) and serves the same database as of `day`. */
    async restart(day) {
      const exit = await city.server.stop();
      assert.deepEqual(exit, { code: 0, signal: null }, city.server.log());
      return city.start(day);
    },
    async stop() {
      if (city.server) {
        const exit = await city.server.stop();
        const log = city.server.log();
        city.server = null;
        rmSync(dir, { recursive: true, force: true });
        assert.deepEqual(exit, { code: 0, signal: null }, log);
      } else rmSync(dir, { recursive: true, force: true });
    },
  };
  await city.start(today);
  return city;
}

/** Runs `huizhan ARGS --db DB` with HUIZHAN_TODAY = today; resolves the parsed JSON of stdout. */
export async function cli(city, args) {
  const r = await run([...args, '--db', city.db], { env: { HUIZHAN_TODAY: city.today } });
  assert.equal(r.code, 0, `huizhan ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/**
 * A client of `login` on `server` that logs in on its first request (a login costs an
 * Argon2id hash, so only the users a test needs log in).
 */
function lazyClient(server, login, password) {
  let c = null;
  const ready = async () => { c ??= await server.login(login, password); return c; };
  return {
    get: async (...a) => (await ready()).get(...a),
    post: async (...a) => (await ready()).post(...a),
    patch: async (...a) => (await ready()).patch(...a),
    del: async (...a) => (await ready()).del(...a),
    req: async (...a) => (await ready()).req(...a),
  };
}

/**
 * Logs admin in on the city's current server and makes f.as[login] a client of every
 * user of the fixture (logged in when first used); call again after a restart.
 */
export async function loginAll(city, f) {
  f.admin = await city.server.login('admin', ADMIN_PASSWORD);
  const server = city.server;
  f.as = new Proxy({}, { get: (t, l) => (t[l] ??= lazyClient(server, l, PASSWORD)) });
  return f;
}

/**
 * Builds phase 1 through the API as admin (today must be DAY1). Resolves
 * f = {c (campaign id), cp: {m, fair, end}, u: {1..7}, users: {login: id}, p: {1..10},
 * sc: {name: id}, fund: {name: id}, fu: {1..3}, team, admin, as: {login: Client}}.
 */
export async function buildCity(city) {
  const admin = await city.server.login('admin', ADMIN_PASSWORD);
  const f = { admin, u: {}, users: {}, p: {}, sc: {}, fund: {}, fu: {}, cp: {} };
  // The helpers below use f.admin, which loginAll() renews after a restart.
  const units = [['市工业和信息化局', 'industry'], ['市商务局', 'industry'], ['市农业农村局', 'agriculture'],
    ['市文化和旅游局', 'services'], ['市审计局', 'policy_funds'], ['市总工会', 'mass_org'], ['市城市管理局', 'services']];
  for (const [i, [name, category]] of units.entries()) f.u[i + 1] = (await make(admin, '/api/v1/units', { name, category })).id;

  const user = async (login, role, unit) => {
    f.users[login] = (await make(admin, '/api/v1/users', {
      login, name: `${login} 姓名`, role, password: PASSWORD, ...(unit ? { unit_id: f.u[unit] } : {}),
    })).id;
  };
  await user('office1', 'office');
  await user('leader1', 'leader');
  await user('head1', 'unit_head', 1);
  await user('dep1', 'unit_head', 1);
  await user('staff1a', 'unit_staff', 1);
  await user('staff1b', 'unit_staff', 1);
  await user('staff1c', 'unit_staff', 1);
  await user('head2', 'unit_head', 2);
  await user('staff2', 'unit_staff', 2);
  await user('head3', 'unit_head', 3);
  await user('staff3', 'unit_staff', 3);
  await user('head4', 'unit_head', 4);
  await user('head5', 'unit_head', 5);
  // U1's head and deputy in charge: a follow-up with either taking part is "with leader".
  const u1 = ok(await admin.get(`/api/v1/units/${f.u[1]}`));
  ok(await admin.patch(`/api/v1/units/${f.u[1]}`, { version: u1.version, head_user_id: f.users.head1, deputy_user_id: f.users.dep1 }));

  const camp = await make(admin, '/api/v1/campaigns', { name: '2026 市直部门招商引资百日会战', start_date: '2026-08-01', status: 'active' });
  assert.equal(camp.end_date, '2026-11-08');
  f.c = camp.id;
  const cp = async (k, name, kind, date) => { f.cp[k] = (await make(admin, `/api/v1/campaigns/${f.c}/checkpoints`, { name, kind, date })).id; };
  await cp('m', '月底节点', 'month_end', '2026-10-31');
  await cp('fair', '经贸洽谈会', 'fair', '2026-10-25');
  await cp('end', '百日会战结束', 'final', '2026-11-08');

  const target = (unit, metric, value, extra = {}) => make(admin, `/api/v1/campaigns/${f.c}/targets`, { unit_id: f.u[unit], metric, value, ...extra });
  await target(1, 'funds_arrived', 100 * M);
  await target(1, 'signed_count', 2);
  await target(1, 'funds_arrived', 150 * M, { scope: 'annual' });
  await target(2, 'funds_arrived', 50 * M);
  await target(2, 'signed_count', 2);
  await target(3, 'funds_arrived', 30 * M);
  await target(4, 'funds_arrived', 20 * M);
  await target(5, 'policy_funds', 10 * M);
  await target(6, 'funds_arrived', 10 * M);
  await target(7, 'funds_arrived', 40 * M);
  await target(7, 'signed_count', 1);

  const project = async (n, unit, name, lead_date, extra = {}) => {
    f.p[n] = (await make(admin, '/api/v1/projects', {
      campaign_id: f.c, name, lead_unit_id: f.u[unit], category: 'industrial', method: 'industry',
      planned_investment: 50 * M, lead_date, ...extra,
    })).id;
  };
  f.move = async (name, p, body) => { f.sc[name] = (await make(f.admin, `/api/v1/projects/${f.p[p]}/stage-changes`, body)).id; };
  f.addFund = async (name, p, amount, date, kind) => {
    f.fund[name] = (await make(f.admin, `/api/v1/projects/${f.p[p]}/funds`, { amount, date, kind, voucher_no: `V-${name}` })).id;
  };
  // Maker-checker (R-PROG-13): admin entered the records, so office1 certifies them; the
  // signings have no contract scan attached, so each is certified on a stated reason.
  f.certify = async (what, id) => ok(await f.as.office1.post(`/api/v1/${what}/${id}/certify`,
    what === 'stage-changes' ? { reason: '合同原件已核验' } : {}), 200, `certify ${what} ${id}`);
  const followUp = async (n, p, date, kind, participants) => {
    f.fu[n] = (await make(admin, `/api/v1/projects/${f.p[p]}/follow-ups`,
      { date, kind, summary: `跟踪洽谈 ${n}`, participant_user_ids: participants.map((l) => f.users[l]) })).id;
  };
  const signed = (date, value) => ({ to_stage: 'signed', date, contract_date: date, contract_value: value });
  const S = f.users;

  await project(1, 1, '新能源电池项目', '2026-08-03', { source_user_id: S.staff1c });
  await f.move('p1n', 1, { to_stage: 'negotiating', date: '2026-08-20' });
  await f.move('p1s', 1, signed('2026-09-10', 80 * M));
  await f.addFund('F1', 1, 60 * M, '2026-09-20', 'out_of_province');
  await f.addFund('F1b', 1, 20 * M, '2026-10-06', 'out_of_city');
  await followUp(1, 1, '2026-09-05', 'meeting', ['dep1']);
  await followUp(2, 1, '2026-10-13', 'meeting', ['head1']);

  await project(2, 1, '智能装备项目', '2026-10-05', { source_user_id: S.staff1a });
  await f.move('p2s', 2, signed('2026-10-12', 30 * M));
  await f.addFund('F1c', 2, 10 * M, '2026-10-14', 'foreign');
  await f.addFund('F1d', 2, 5 * M, '2026-10-15', 'out_of_city');
  await followUp(3, 2, '2026-10-15', 'call', ['staff1b']);

  await project(3, 1, '新材料项目', '2026-10-11', { source_user_id: S.dep1 });

  await project(4, 2, '跨境电商产业园', '2026-09-01');
  await f.move('p4s', 4, signed('2026-10-14', 50 * M));
  await project(5, 2, '物流园项目', '2026-10-02');
  await f.move('p5n', 5, { to_stage: 'negotiating', date: '2026-10-10' });

  await project(6, 3, '现代农业产业园', '2026-09-10', { category: 'agri_industrialization' });
  await f.move('p6s', 6, signed('2026-10-05', 20 * M));
  await f.addFund('F2', 6, 10 * M, '2026-10-15', 'out_of_city');

  await project(7, 4, '古城文旅综合体', '2026-09-15', { category: 'services' });
  await f.move('p7n', 7, { to_stage: 'negotiating', date: '2026-10-01' });

  await project(8, 5, '上级审计专项资金', '2026-08-20', { category: 'policy_funds', method: 'other' });
  await f.move('p8s', 8, signed('2026-09-01', 0));
  await f.addFund('F3', 8, 8 * M, '2026-09-15', 'policy');

  await project(9, 6, '职工疗养基地', '2026-08-15', { category: 'services', method: 'joint' });
  await f.move('p9s', 9, signed('2026-09-20', 5 * M));
  await f.addFund('F4', 9, 2 * M, '2026-10-10', 'out_of_city');
  await f.addFund('F6', 9, 3 * M, '2026-10-19', 'out_of_city');

  await project(10, 7, '智慧停车项目', '2026-10-01', { category: 'services' });
  await f.move('p10n', 10, { to_stage: 'negotiating', date: '2026-10-10' });

  await loginAll(city, f); // f.as.office1 certifies
  for (const s of ['p1s', 'p2s', 'p4s', 'p9s']) await f.certify('stage-changes', f.sc[s]);
  for (const x of ['F1', 'F1b', 'F1c', 'F3', 'F4']) await f.certify('funds', f.fund[x]);

  f.team = await make(admin, '/api/v1/teams', {
    unit_id: f.u[1], campaign_id: f.c, name: '工信招商小分队', member_user_ids: [S.staff1a, S.staff1b, S.staff1c],
  });
  return loginAll(city, f);
}

/** Phase 2 records (today must be DAY2): everything dated 10-21 … 11-01. */
export async function phase2(f) {
  const signed = (date, value) => ({ to_stage: 'signed', date, contract_date: date, contract_value: value });
  await f.addFund('F1e', 1, 20 * M, '2026-10-25', 'out_of_province');
  await f.move('p5s', 5, signed('2026-10-26', 20 * M));
  await f.addFund('F5', 4, 50 * M, '2026-10-29', 'out_of_province');
  await f.addFund('F3b', 8, 4 * M, '2026-10-27', 'policy');
  await f.move('p10s', 10, signed('2026-10-28', 30 * M));
  await f.addFund('F7', 10, 40 * M, '2026-10-30', 'out_of_province');
  for (const s of ['p5s', 'p10s']) await f.certify('stage-changes', f.sc[s]);
  for (const x of ['F1e', 'F5', 'F3b', 'F7']) await f.certify('funds', f.fund[x]);
}

/** Phase 3 (today DAY3): the office certifies U3's reported fund F2 (10M, 10-15). */
export async function phase3(f) {
  await f.certify('funds', f.fund.F2);
}

/** The fixture's name (U1…U7) of a unit id. */
export function unitName(f, id) {
  const e = Object.entries(f.u).find(([, v]) => v === id);
  return e ? `U${e[0]}` : `unit#${id}`;
}
/** The fixture's name (P1…P10) of a project id. */
export function projectName(f, id) {
  const e = Object.entries(f.p).find(([, v]) => v === id);
  return e ? `P${e[0]}` : `project#${id}`;
}
/** Sorted fixture names of the unit ids in a list of records (by key unit_id). */
export function unitSet(f, list, key = 'unit_id') {
  return list.map((x) => unitName(f, x[key])).sort();
}

/**
 * The set-up every workflow test file shares: registers its before (a fresh database as of
 * `today`, the city built on it; ready(city, f) hands both to the file) and its after (the
 * server stopped, exit 0 asserted). Returns the helpers read against that city: office()
 * the office1 client, get(path, client = admin) the 200 body of a GET, U(id) a unit's U1…U7.
 */
export function useCity(today, ready) {
  let f = null;
  let city = null;
  before(async () => {
    city = await openCity(today);
    f = await buildCity(city);
    ready(city, f);
  });
  after(async () => { await city.stop(); });
  return {
    office: () => f.as.office1,
    get: async (path, c = f.admin) => ok(await c.get(path), 200, `GET ${path}`),
    U: (id) => unitName(f, id),
  };
}
