// A small city built through the API as admin, for the permission, scoping, bad-input and
// authentication tests: three units, a user of every role, one campaign with a checkpoint
// and an event, and projects of unit A, of unit B and one co-owned by A and B, each with
// follow-ups, a stage change, a fund, an attachment, targets, an investor and a team.
// Independent of the demo city. Not a test file itself (no .test.mjs suffix).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';

export const USER_PASSWORD = 'unit-pass-2026';
/** "Today" for the servers of these tests: fund dates must not lie in the future. */
export const TODAY = '2026-10-15';
/** The smallest PDF the attachment type check accepts. */
export const PDF = Buffer.from('%PDF-1.4\n% huizhan test\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/**
 * Runs one SQL statement with the sqlite3 CLI; resolves its trimmed stdout. The server
 * holds the database open in WAL mode, so a reader may briefly find it busy: wait.
 */
export function sql(db, query) {
  return new Promise((resolve, reject) => {
    execFile('sqlite3', ['-cmd', '.timeout 10000', db, query], (err, stdout, stderr) => {
      if (err) reject(new Error(`sqlite3 ${query}: ${stderr || err.message}`));
      else resolve(stdout.trim());
    });
  });
}

/** COUNT(*) of a table (with an optional WHERE clause) straight from the database file. */
export async function count(db, table, where = '') {
  return Number(await sql(db, `SELECT COUNT(*) FROM ${table}${where ? ` WHERE ${where}` : ''}`));
}

/** Asserts an answer's status, printing the body when it differs. */
export function expectStatus(r, status, what = '') {
  assert.equal(r.status, status, `${what} expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Asserts an error answer: status, code (optional) and that every named field is in error.fields. */
export function expectError(r, status, fields = [], code = undefined) {
  expectStatus(r, status);
  assert.ok(r.body && r.body.error, `error body expected: ${JSON.stringify(r.body)}`);
  assert.equal(typeof r.body.error.message, 'string');
  assert.ok(r.body.error.message.length > 0, 'error.message is empty');
  assert.equal(typeof r.body.error.fields, 'object');
  if (code) assert.equal(r.body.error.code, code);
  for (const f of fields) {
    assert.ok(Object.hasOwn(r.body.error.fields, f),
      `error.fields should name ${f}: ${JSON.stringify(r.body.error)}`);
  }
  return r.body.error;
}

/** POST that must answer 201; resolves the created record. */
export async function create(client, path, body) {
  const r = await client.post(path, body);
  return expectStatus(r, 201, `POST ${path} ${JSON.stringify(body)}`);
}

/** Uploads a PDF attachment to a project; resolves the answer. */
export function upload(client, projectId, filename = 'contract.pdf', data = PDF) {
  return client.req('POST', `/api/v1/projects/${projectId}/attachments?filename=${encodeURIComponent(filename)}`,
    data, { headers: { 'Content-Type': 'application/pdf' } });
}

/**
 * Builds the fixture through the API as admin and logs every role in once.
 * full=false stops after units, users, the campaign and one project per unit.
 * Resolves {admin, clients: {office, leader, headA, staffA, headB, staffB}, ids…}.
 */
export async function buildCity(server, { full = true } = {}) {
  const admin = await server.admin();
  const f = { admin, server };
  const unit = (name, category) => create(admin, '/api/v1/units', { name, category });
  f.unitA = await unit('市工业和信息化局', 'industry');
  f.unitB = await unit('市文化和旅游局', 'services');
  f.unitC = await unit('市总工会', 'mass_org');
  f.sectionA = await create(admin, `/api/v1/units/${f.unitA.id}/sections`, { name: '招商科' });
  f.sectionB = await create(admin, `/api/v1/units/${f.unitB.id}/sections`, { name: '产业科' });

  const user = (login, role, unit_id, extra = {}) => create(admin, '/api/v1/users', {
    login, name: `${login} 姓名`, role, password: USER_PASSWORD, ...(unit_id ? { unit_id } : {}), ...extra,
  });
  f.users = {
    office: await user('office1', 'office'),
    leader: await user('leader1', 'leader'),
    headA: await user('head_a', 'unit_head', f.unitA.id),
    staffA: await user('staff_a', 'unit_staff', f.unitA.id, { section_id: f.sectionA.id }),
    headB: await user('head_b', 'unit_head', f.unitB.id),
    staffB: await user('staff_b', 'unit_staff', f.unitB.id),
  };
  f.clients = {};
  for (const [k, u] of Object.entries(f.users)) f.clients[k] = await server.login(u.login, USER_PASSWORD);

  f.campaign = await create(admin, '/api/v1/campaigns', { name: '2026 招商引资百日会战', start_date: '2026-08-01' });
  const c = f.campaign.id;
  f.checkpoint = await create(admin, `/api/v1/campaigns/${c}/checkpoints`,
    { name: '月底节点', kind: 'month_end', date: '2026-08-31' });
  f.event = await create(admin, '/api/v1/events',
    { campaign_id: c, name: '经贸洽谈会', start_date: '2026-10-20', end_date: '2026-10-22', place: '会展中心' });

  f.investorA = await create(admin, '/api/v1/investors',
    { name: '甲方实业有限公司', kind: 'enterprise', origin: 'out_of_province', unit_id: f.unitA.id });
  f.investorB = await create(admin, '/api/v1/investors',
    { name: '乙方文旅集团', kind: 'enterprise', origin: 'in_province', unit_id: f.unitB.id });

  const project = (name, lead, extra = {}) => create(admin, '/api/v1/projects', {
    campaign_id: c, name, lead_unit_id: lead, category: 'industrial', method: 'industry',
    planned_investment: 50_000_000, lead_date: '2026-08-01', ...extra, // leads before their evidence dates
  });
  f.projectA = await project('新能源电池项目', f.unitA.id, { investor_id: f.investorA.id });
  f.projectB = await project('古城文旅项目', f.unitB.id, { category: 'services', investor_id: f.investorB.id });
  f.projectAB = await project('联合招商产业园', f.unitA.id, { method: 'joint', co_unit_ids: [f.unitB.id] });
  if (!full) return f;

  const sign = (p, value) => create(admin, `/api/v1/projects/${p.id}/stage-changes`, {
    to_stage: 'signed', date: '2026-09-01', contract_date: '2026-09-01', contract_value: value,
  });
  f.stageA = await sign(f.projectA, 30_000_000);
  f.stageB = await sign(f.projectB, 20_000_000);
  f.stageAB = await sign(f.projectAB, 10_000_000);

  const followUp = (p, summary) => create(admin, `/api/v1/projects/${p.id}/follow-ups`,
    { date: '2026-09-10', kind: 'outbound_visit', summary });
  f.followUpA = await followUp(f.projectA, '赴深圳拜访客商');
  f.followUpB = await followUp(f.projectB, '客商来访考察古城');
  f.followUpAB = await followUp(f.projectAB, '两局联合洽谈');

  const fund = (p, amount) => create(admin, `/api/v1/projects/${p.id}/funds`,
    { amount, date: '2026-10-01', kind: 'out_of_province', voucher_no: `V${p.id}` });
  f.fundA = await fund(f.projectA, 5_000_000);
  f.fundB = await fund(f.projectB, 3_000_000);
  f.fundAB = await fund(f.projectAB, 1_000_000);

  const target = (unit_id, metric, value, extra = {}) => create(admin, `/api/v1/campaigns/${c}/targets`,
    { unit_id, metric, value, ...extra });
  f.targetA = await target(f.unitA.id, 'funds_arrived', 100_000_000);
  f.targetASection = await target(f.unitA.id, 'funds_arrived', 60_000_000, { section_id: f.sectionA.id });
  f.targetB = await target(f.unitB.id, 'funds_arrived', 80_000_000);

  f.teamA = await create(admin, '/api/v1/teams', { unit_id: f.unitA.id, campaign_id: c, name: '工信招商小分队' });
  f.teamB = await create(admin, '/api/v1/teams', { unit_id: f.unitB.id, campaign_id: c, name: '文旅招商小分队' });

  const attach = async (p, name) => expectStatus(await upload(admin, p.id, name), 201, `upload ${name}`);
  f.attachmentA = await attach(f.projectA, 'contract-a.pdf');
  f.attachmentB = await attach(f.projectB, 'contract-b.pdf');
  f.attachmentAB = await attach(f.projectAB, 'contract-ab.pdf');
  return f;
}
