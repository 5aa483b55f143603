// The record engine against input found by probing (issue 10): a PATCH that changes
// nothing, a DELETE without or with a stale version, bodies with several errors at once,
// and the enumeration labels every client reads from one place (GET /api/v1/enums, the
// OpenAPI document, validation messages). Each write that must not happen is checked with
// raw SQL on the database file: the row, its version and the audit log.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from './lib.mjs';
import { sql, create, expectStatus, expectError, TODAY, USER_PASSWORD } from './fixture_units.mjs';

let server, admin, staff, camp, unitA, unitB, unitC, project;

const audits = async (entity, id) =>
  Number(await sql(server.db, `SELECT COUNT(*) FROM audit_log WHERE entity = '${entity}' AND entity_id = ${id}`));
const row = async (table, id) => sql(server.db, `SELECT version || '|' || updated_at FROM ${table} WHERE id = ${id}`);

before(async () => {
  server = await startServer({ env: { HUIZHAN_TODAY: TODAY } });
  admin = await server.admin();
  camp = await create(admin, '/api/v1/campaigns', { name: '百日会战', start_date: '2026-08-01' });
  unitA = await create(admin, '/api/v1/units', { name: '市商务局', category: 'services' });
  unitB = await create(admin, '/api/v1/units', { name: '市工信局', category: 'industry' });
  unitC = await create(admin, '/api/v1/units', { name: '市总工会', category: 'mass_org' });
  await create(admin, '/api/v1/users',
    { login: 'staff_a', name: '甲局联络员', role: 'unit_staff', unit_id: unitA.id, password: USER_PASSWORD });
  staff = await server.login('staff_a', USER_PASSWORD);
  project = await create(admin, '/api/v1/projects', {
    campaign_id: camp.id, name: '新能源电池项目', lead_unit_id: unitA.id, co_unit_ids: [unitB.id, unitC.id],
    category: 'industrial', method: 'industry', lead_date: '2026-08-05',
  });
});
after(async () => {
  if (server) assert.deepEqual(await server.stop(), { code: 0, signal: null });
});

describe('a PATCH that changes nothing is no write', () => {
  it('only the version: 200 with the record, same version, no audit entry', async () => {
    const cur = expectStatus(await admin.get(`/api/v1/projects/${project.id}`), 200);
    const [stored, logged] = [await row('projects', project.id), await audits('projects', project.id)];
    assert.equal(stored.split('|')[0], String(cur.version));
    const r = expectStatus(await admin.patch(`/api/v1/projects/${project.id}`, { version: cur.version }), 200);
    assert.deepEqual(r, cur);
    assert.equal(await row('projects', project.id), stored);
    assert.equal(await audits('projects', project.id), logged);
  });
  it('the values already stored (links in another order): 200, nothing written', async () => {
    const cur = expectStatus(await admin.get(`/api/v1/projects/${project.id}`), 200);
    const [stored, logged] = [await row('projects', project.id), await audits('projects', project.id)];
    const same = { version: cur.version, name: '新能源电池项目', category: 'industrial', lead_unit_id: unitA.id,
      co_unit_ids: [unitC.id, unitB.id], description: null, planned_investment: cur.planned_investment };
    const r = expectStatus(await staff.patch(`/api/v1/projects/${project.id}`, same), 200);
    assert.deepEqual(r, cur);
    assert.equal(await row('projects', project.id), stored);
    assert.equal(await audits('projects', project.id), logged);
    assert.equal(await sql(server.db, `SELECT group_concat(unit_id) FROM (SELECT unit_id FROM project_units
      WHERE project_id = ${project.id} ORDER BY unit_id)`), `${unitB.id},${unitC.id}`);
  });
  it('a stale version is still a conflict (409), even when nothing would change', async () => {
    const cur = expectStatus(await admin.get(`/api/v1/projects/${project.id}`), 200);
    expectError(await admin.patch(`/api/v1/projects/${project.id}`, { version: cur.version + 1 }), 409, ['version'], 'conflict');
  });
  it('one real change among the same values writes: version + 1, one audit entry', async () => {
    const cur = expectStatus(await admin.get(`/api/v1/projects/${project.id}`), 200);
    const logged = await audits('projects', project.id);
    const r = expectStatus(await admin.patch(`/api/v1/projects/${project.id}`,
      { version: cur.version, name: cur.name, description: '动力电池' }), 200);
    assert.equal(r.version, cur.version + 1);
    assert.equal((await row('projects', project.id)).split('|')[0], String(cur.version + 1));
    assert.equal(await audits('projects', project.id), logged + 1);
    project = r;
  });
});

describe('DELETE takes the version it read', () => {
  const unit = (name) => create(admin, '/api/v1/units', { name, category: 'other' });
  const exists = async (id) => Number(await sql(server.db, `SELECT COUNT(*) FROM units WHERE id = ${id}`));

  it('without a version: 428 naming version, nothing deleted or logged', async () => {
    const u = await unit('待删单位一');
    const logged = await audits('units', u.id);
    const err = expectError(await admin.del(`/api/v1/units/${u.id}`), 428, ['version'], 'precondition_required');
    assert.match(err.message, /version/);
    assert.equal(await exists(u.id), 1);
    assert.equal(await audits('units', u.id), logged);
  });
  it('a stale version (query or If-Match): 409, still there', async () => {
    const u = await unit('待删单位二');
    const cur = expectStatus(await admin.patch(`/api/v1/units/${u.id}`, { version: 1, phone: '0571-1' }), 200);
    assert.equal(cur.version, 2);
    expectError(await admin.del(`/api/v1/units/${u.id}?version=1`), 409, ['version'], 'conflict');
    expectError(await admin.del(`/api/v1/units/${u.id}`, { headers: { 'If-Match': '"1"' } }), 409, ['version'], 'conflict');
    assert.equal(await exists(u.id), 1);
    assert.equal(await audits('units', u.id), 2);
  });
  it('a malformed or contradictory version: 400 naming version', async () => {
    const u = await unit('待删单位三');
    for (const [q, h] of [['?version=abc', null], ['?version=0', null], ['', 'W/"x"'], ['?version=1', '"2"']]) {
      const r = await admin.del(`/api/v1/units/${u.id}${q}`, h ? { headers: { 'If-Match': h } } : {});
      expectError(r, 400, ['version'], 'validation_failed');
    }
    assert.equal(await exists(u.id), 1);
  });
  it('the current version, by query, quoted or bare If-Match: 204 and one delete entry each', async () => {
    for (const how of ['query', 'quoted', 'bare']) {
      const u = await unit(`删除方式-${how}`);
      const path = `/api/v1/units/${u.id}${how === 'query' ? `?version=${u.version}` : ''}`;
      const headers = how === 'query' ? {} : { 'If-Match': how === 'quoted' ? `"${u.version}"` : String(u.version) };
      const r = await admin.del(path, { headers });
      assert.equal(r.status, 204, JSON.stringify(r.body));
      assert.equal(await exists(u.id), 0);
      assert.equal(Number(await sql(server.db, `SELECT COUNT(*) FROM audit_log WHERE entity = 'units'
        AND entity_id = ${u.id} AND action = 'delete' AND json_extract(before, '$.name') = '删除方式-${how}'`)), 1);
    }
  });
  it('the id of a deleted record is never given again: a new record starts a history of its own', async () => {
    const last = await unit('最后建的单位'); // the highest id of the table
    expectStatus(await admin.del(`/api/v1/units/${last.id}?version=1`), 204);
    const next = await unit('后来建的单位');
    assert.equal(next.id, last.id + 1);
    assert.equal(Number(await sql(server.db, 'SELECT MAX(id) FROM units')), next.id);
    const history = expectStatus(await admin.get(`/api/v1/audit?entity=units&entity_id=${next.id}&sort=id`), 200);
    assert.deepEqual(history.items.map((x) => [x.action, x.after?.name]), [['create', '后来建的单位']]);
    // The deleted one's history is still its own: created, then deleted.
    const old = expectStatus(await admin.get(`/api/v1/audit?entity=units&entity_id=${last.id}&sort=id`), 200);
    assert.deepEqual(old.items.map((x) => x.action), ['create', 'delete']);
  });
  it('a record that is not there is 404 before any version question', async () => {
    expectError(await admin.del('/api/v1/units/999999'), 404, [], 'not_found');
  });
});

describe('a body with several errors names every field, with its label', () => {
  it('a move to signed without contract date and value names both (422)', async () => {
    const moves = Number(await sql(server.db, `SELECT COUNT(*) FROM stage_changes WHERE project_id = ${project.id}`));
    const err = expectError(await staff.post(`/api/v1/projects/${project.id}/stage-changes`,
      { to_stage: 'signed', date: '2026-10-01' }), 422, ['contract_date', 'contract_value'], 'rule_violation');
    assert.deepEqual(Object.keys(err.fields).sort(), ['contract_date', 'contract_value']);
    assert.match(err.message, /签约日期/);
    assert.match(err.message, /合同金额/);
    assert.match(err.fields.contract_date, /签约日期/);
    assert.equal(Number(await sql(server.db, `SELECT COUNT(*) FROM stage_changes WHERE project_id = ${project.id}`)), moves);
    assert.equal(await sql(server.db, `SELECT stage FROM projects WHERE id = ${project.id}`), 'lead');
  });
  it('a move to started from lead names all three missing pieces of evidence', async () => {
    const err = expectError(await staff.post(`/api/v1/projects/${project.id}/stage-changes`,
      { to_stage: 'started', date: '2026-10-01' }), 422, [], 'rule_violation');
    assert.deepEqual(Object.keys(err.fields).sort(), ['contract_date', 'contract_value', 'start_date']);
    assert.match(err.message, /3 处/);
    assert.match(err.message, /开工日期（start_date）/);
  });
  it('evidence in the future is named with the evidence missing', async () => {
    const err = expectError(await staff.post(`/api/v1/projects/${project.id}/stage-changes`,
      { to_stage: 'signed', date: '2026-10-01', contract_date: '2026-12-01' }), 422, [], 'rule_violation');
    assert.deepEqual(Object.keys(err.fields).sort(), ['contract_date', 'contract_value']);
    assert.match(err.fields.contract_date, /晚于今天/);
  });
  it('bad input of several fields (400): each named, the message with labels and allowed values', async () => {
    const n = Number(await sql(server.db, 'SELECT COUNT(*) FROM projects'));
    const err = expectError(await staff.post('/api/v1/projects',
      { campaign_id: camp.id, category: 'factory', method: 'golf', planned_investment: -5 }),
    400, [], 'validation_failed');
    assert.deepEqual(Object.keys(err.fields).sort(), ['category', 'method', 'name', 'planned_investment']);
    for (const label of ['项目类别（category）', '招商方式（method）', '项目名称（name）', '计划投资（planned_investment）'])
      assert.ok(err.message.includes(label), `${label} in ${err.message}`);
    assert.equal(err.fields.category,
      '应为以下之一：工业项目(industrial)、重组项目(restructuring)、农业产业化项目(agri_industrialization)、服务业项目(services)、上级政策资金(policy_funds)、其他(other)');
    assert.match(err.fields.method, /以情招商\(relationship\)/);
    assert.equal(Number(await sql(server.db, 'SELECT COUNT(*) FROM projects')), n);
  });
  it('one bad field is named with its label too', async () => {
    const err = expectError(await staff.post('/api/v1/projects',
      { campaign_id: camp.id, name: '单项错误', category: 'other', method: 'golf' }), 400, ['method'], 'validation_failed');
    assert.deepEqual(Object.keys(err.fields), ['method']);
    assert.match(err.message, /招商方式/);
  });
  it('a fund with a zero amount and a future date names both', async () => {
    const signed = await create(admin, '/api/v1/projects', {
      campaign_id: camp.id, name: '已签约项目', lead_unit_id: unitA.id, category: 'services', method: 'joint', lead_date: '2026-08-05',
    });
    await create(admin, `/api/v1/projects/${signed.id}/stage-changes`,
      { to_stage: 'signed', date: '2026-09-01', contract_date: '2026-09-01', contract_value: 1_000_000 });
    const err = expectError(await staff.post(`/api/v1/projects/${signed.id}/funds`,
      { amount: 0, date: '2026-11-30', kind: 'foreign' }), 400, [], 'validation_failed');
    assert.deepEqual(Object.keys(err.fields).sort(), ['amount', 'date']);
    assert.match(err.message, /到账金额（amount）/);
    assert.match(err.message, /到账日期（date）/);
    assert.equal(Number(await sql(server.db, `SELECT COUNT(*) FROM funds WHERE project_id = ${signed.id}`)), 0);
  });
  it('a user with a short password and a unit role without a unit names both', async () => {
    const err = expectError(await admin.post('/api/v1/users',
      { login: 'bad_user', name: '坏用户', role: 'unit_staff', password: 'short' }), 400, [], 'validation_failed');
    assert.deepEqual(Object.keys(err.fields).sort(), ['password', 'unit_id']);
    assert.equal(await sql(server.db, "SELECT COUNT(*) FROM users WHERE login = 'bad_user'"), '0');
  });
});

describe('enumeration labels come from one place', () => {
  const STAGES = [['lead', '信息'], ['negotiating', '洽谈'], ['signed', '签约'], ['started', '开工'],
    ['completed', '竣工'], ['dropped', '终止']].map(([code, label]) => ({ code, label }));
  it('GET /api/v1/enums lists each enumerated field, for any logged-in role', async () => {
    const e = expectStatus(await staff.get('/api/v1/enums'), 200);
    assert.deepEqual(e['projects.stage'], STAGES);
    assert.deepEqual(e['stage-changes.to_stage'], STAGES.slice(1));
    assert.deepEqual(e['stage-changes.from_stage'], STAGES);
    assert.deepEqual(e['funds.kind'].map((c) => c.code), ['out_of_city', 'out_of_province', 'foreign', 'policy']);
    assert.deepEqual(e['funds.kind'][2], { code: 'foreign', label: '境外资金' });
    assert.deepEqual(e['investors.origin'].map((c) => c.label), ['本市', '市外省内', '省外', '境外']);
    assert.deepEqual(e['projects.method'].map((c) => c.label),
      ['行业招商', '联合招商', '以情招商', '借船招商', '以商招商', '展会招商', '其他']);
    // every value has a non-empty label, and no field is a list of codes only
    for (const [k, list] of Object.entries(e)) {
      assert.match(k, /^[a-z-]+\.[a-z_]+$/);
      assert.ok(list.length > 0, k);
      for (const c of list) assert.ok(c.code && c.label && c.label !== c.code, `${k}: ${JSON.stringify(c)}`);
    }
    expectError(await new Client(server.url).get('/api/v1/enums'), 401);
  });
  it('the OpenAPI document carries the same labels as x-enum-labels', async () => {
    const [doc, e] = [expectStatus(await admin.get('/api/v1/openapi.json'), 200), expectStatus(await admin.get('/api/v1/enums'), 200)];
    const stage = doc.components.schemas.projects.properties.stage;
    assert.deepEqual(stage.enum, STAGES.map((c) => c.code));
    assert.deepEqual(stage['x-enum-labels'], Object.fromEntries(STAGES.map((c) => [c.code, c.label])));
    for (const [k, list] of Object.entries(e)) {
      const [coll, field] = k.split('.');
      const s = doc.components.schemas[coll].properties[field];
      assert.deepEqual(s['x-enum-labels'], Object.fromEntries(list.map((c) => [c.code, c.label])), k);
    }
  });
  it('a list filtered by an unknown code names the allowed ones', async () => {
    const err = expectError(await staff.get('/api/v1/projects?stage=won'), 400, ['stage'], 'validation_failed');
    assert.match(err.message, /阶段/);
    assert.match(err.message, /信息\(lead\)、洽谈\(negotiating\)、签约\(signed\)/);
    const leads = Number(await sql(server.db, `SELECT COUNT(*) FROM projects WHERE stage = 'lead' AND lead_unit_id = ${unitA.id}`));
    assert.ok(leads >= 1);
    assert.equal(expectStatus(await staff.get('/api/v1/projects?stage=lead'), 200).total, leads);
  });
  it('a bad stage names the stages with their labels', async () => {
    const err = expectError(await staff.post(`/api/v1/projects/${project.id}/stage-changes`,
      { to_stage: 'won', date: '2026-10-01' }), 400, ['to_stage'], 'validation_failed');
    assert.equal(err.fields.to_stage, '应为以下之一：洽谈(negotiating)、签约(signed)、开工(started)、竣工(completed)、终止(dropped)');
  });
});
