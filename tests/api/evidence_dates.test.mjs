// Evidence dates against the project's history (R-SEC-2, docs/figures.md "Dates"): a move's
// contract, start and completion dates, and a fund's date, may not lie before the project's
// lead date, and a move's evidence not before the evidence date of the stage it leaves
// (the contract date of signed, the start date of started). A refused write leaves nothing behind: no record, no audit entry, no figure.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib.mjs';
import { count, expectError, create } from './fixture_units.mjs';

const TODAY = '2026-10-15';
let server;
let admin;
let c; // campaign id
let late; // project with lead date 2026-10-10
let early; // project with lead date 2026-08-01
let neg; // another, lead date 2026-08-01

before(async () => {
  server = await startServer({ env: { HUIZHAN_TODAY: TODAY } });
  admin = await server.admin();
  const unit = await create(admin, '/api/v1/units', { name: '市工业和信息化局', category: 'industry' });
  c = (await create(admin, '/api/v1/campaigns', { name: '2026 会战（日期测试）', start_date: '2026-08-01' })).id;
  const project = (name, lead_date) => create(admin, '/api/v1/projects', {
    campaign_id: c, name, lead_unit_id: unit.id, category: 'industrial', method: 'industry',
    planned_investment: 10_000_000, lead_date,
  });
  late = (await project('晚登记项目', '2026-10-10')).id;
  early = (await project('早登记项目', '2026-08-01')).id;
  neg = (await project('补录洽谈项目', '2026-08-01')).id;
});
after(async () => { await server.stop(); });

/** Row counts that a refused write must leave as they were. */
const state = async () => [await count(server.db, 'stage_changes'), await count(server.db, 'funds'),
  await count(server.db, 'audit_log'), await count(server.db, 'project_figures')];

test('a signing dated before the lead date is refused, and the funnel stays whole', async () => {
  const was = await state();
  // The review's case: lead 2026-10-10, lead → signed with contract 2025-08-20.
  let err = expectError(await admin.post(`/api/v1/projects/${late}/stage-changes`, {
    to_stage: 'signed', date: '2026-10-12', contract_date: '2025-08-20', contract_value: 5_000_000,
  }), 422, ['contract_date'], 'rule_violation');
  assert.match(err.message, /签约日期（2025-08-20）不能早于项目信息登记日期（2026-10-10）/);
  // One day before the lead is just as wrong.
  expectError(await admin.post(`/api/v1/projects/${late}/stage-changes`, {
    to_stage: 'signed', date: '2026-10-12', contract_date: '2026-10-09', contract_value: 5_000_000,
  }), 422, ['contract_date']);
  // A skip to started carries a start date, checked the same way.
  expectError(await admin.post(`/api/v1/projects/${late}/stage-changes`, {
    to_stage: 'started', date: '2026-10-12', contract_date: '2026-10-10', contract_value: 1, start_date: '2026-10-01',
  }), 422, ['start_date']);
  assert.deepEqual(await state(), was, 'nothing written');
  assert.equal((await admin.get(`/api/v1/projects/${late}`)).body.stage, 'lead');
  // Funnel as of 2026-10-15: 3 leads (every project), both still at lead; never -1.
  const fn = (await admin.get(`/api/v1/campaigns/${c}/funnel?as_of=${TODAY}`)).body;
  assert.deepEqual(fn.stages.map((s) => [s.stage, s.reached, s.current]).slice(0, 3),
    [['lead', 3, 3], ['negotiating', 0, 0], ['signed', 0, 0]]);
  // On the lead date itself the signing is fine.
  await create(admin, `/api/v1/projects/${late}/stage-changes`, {
    to_stage: 'signed', date: '2026-10-12', contract_date: '2026-10-10', contract_value: 5_000_000,
  });
});

test('a move may not date its evidence before the project reached the stage it leaves', async () => {
  // early: lead 08-01 → signed, recorded 09-30 for a contract of 09-20. The project is
  // signed from 09-20 (the contract date), not from the day the move was recorded.
  await create(admin, `/api/v1/projects/${early}/stage-changes`, {
    to_stage: 'signed', date: '2026-09-30', contract_date: '2026-09-20', contract_value: 8_000_000,
  });
  const was = await state();
  const err = expectError(await admin.post(`/api/v1/projects/${early}/stage-changes`, {
    to_stage: 'started', date: '2026-10-01', start_date: '2026-09-19',
  }), 422, ['start_date']);
  assert.match(err.message, /开工日期（2026-09-19）不能早于项目进入签约阶段的日期（2026-09-20）/);
  assert.deepEqual(await state(), was, 'nothing written');
  // 09-25 is after the contract though before the day the signing was recorded: accepted.
  await create(admin, `/api/v1/projects/${early}/stage-changes`, { to_stage: 'started', date: '2026-10-01', start_date: '2026-09-25' });
  // Negotiating carries no evidence date, so it bounds nothing: a lead → negotiating move
  // recorded 10-05 may be followed by a signing of 09-27 (the funnel counts the project as
  // negotiating from then, docs/figures.md "Funnel") — but not one before the lead date.
  await create(admin, `/api/v1/projects/${neg}/stage-changes`, { to_stage: 'negotiating', date: '2026-10-05' });
  expectError(await admin.post(`/api/v1/projects/${neg}/stage-changes`, {
    to_stage: 'signed', date: '2026-10-06', contract_date: '2026-07-31', contract_value: 1,
  }), 422, ['contract_date']);
  await create(admin, `/api/v1/projects/${neg}/stage-changes`, {
    to_stage: 'signed', date: '2026-10-06', contract_date: '2026-09-27', contract_value: 1,
  });
  // Completion before the start (09-25) is refused; after it, accepted.
  expectError(await admin.post(`/api/v1/projects/${early}/stage-changes`, {
    to_stage: 'completed', date: '2026-10-05', completion_date: '2026-09-24',
  }), 422, ['completion_date']);
  await create(admin, `/api/v1/projects/${early}/stage-changes`, { to_stage: 'completed', date: '2026-10-05', completion_date: '2026-10-03' });
});

test('a fund dated before the project\'s lead date is refused', async () => {
  const was = await state();
  // The review's case: a fund of 2025-01-05, long before the campaign and the lead.
  let err = expectError(await admin.post(`/api/v1/projects/${late}/funds`, { amount: 1_000_000, date: '2025-01-05', kind: 'out_of_city' }),
    422, ['date'], 'rule_violation');
  assert.match(err.message, /到账日期（2025-01-05）不能早于项目信息登记日期（2026-10-10）/);
  expectError(await admin.post(`/api/v1/projects/${late}/funds`, { amount: 1_000_000, date: '2026-10-09', kind: 'out_of_city' }), 422, ['date']);
  assert.deepEqual(await state(), was, 'nothing written');
  // An edit cannot move an accepted fund before the lead either.
  const fund = await create(admin, `/api/v1/projects/${late}/funds`, { amount: 1_000_000, date: '2026-10-10', kind: 'out_of_city' });
  expectError(await admin.patch(`/api/v1/funds/${fund.id}`, { version: fund.version, date: '2026-09-30' }), 422, ['date']);
  assert.equal((await admin.get(`/api/v1/funds/${fund.id}`)).body.date, '2026-10-10');
});
