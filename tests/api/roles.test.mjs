// Roles and unit scoping (SPEC §1, R-ROLE-1): a role × route matrix over every collection
// and action, checking the exact status for allowed and denied calls and re-reading as
// admin (and with raw SQL) that allowed writes changed the record and denied ones did
// not; then what a unit user sees and may touch of another unit's records.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib.mjs';
import { buildCity, create, count, sql, expectStatus, expectError, upload, PDF, TODAY, USER_PASSWORD } from './fixture_units.mjs';

let server, f, admin;
const ROLES = ['admin', 'office', 'leader', 'headA', 'staffA'];
const client = (role) => (role === 'admin' ? admin : f.clients[role]);
const ids = (list) => list.items.map((x) => x.id).sort((a, b) => a - b);
const sorted = (...xs) => xs.sort((a, b) => a - b);

before(async () => {
  server = await startServer({ env: { HUIZHAN_TODAY: TODAY } });
  f = await buildCity(server);
  admin = f.admin;
});
after(async () => {
  if (!server) return;
  // SIGTERM stops the server cleanly (and, under ASan, without leaks or errors)
  const res = await server.stop();
  await new Promise((r) => setTimeout(r, 50)); // let the last output arrive
  assert.deepEqual(res, { code: 0, signal: null }, server.log());
});

// ---------------------------------------------------------------------------------------
// Unit scoping, checked first while the fixture is exactly as built.
describe('unit scoping (R-ROLE-1): reads', () => {
  // [collection path, records of A, records of B, records of both (co-owned), table]
  const cases = () => [
    ['/api/v1/projects', [f.projectA], [f.projectB], [f.projectAB], 'projects'],
    ['/api/v1/stage-changes', [f.stageA], [f.stageB], [f.stageAB], 'stage_changes'],
    ['/api/v1/follow-ups', [f.followUpA], [f.followUpB], [f.followUpAB], 'follow_ups'],
    ['/api/v1/funds', [f.fundA], [f.fundB], [f.fundAB], 'funds'],
    ['/api/v1/attachments', [f.attachmentA], [f.attachmentB], [f.attachmentAB], 'attachments'],
    ['/api/v1/investors', [f.investorA], [f.investorB], [], 'investors'],
    ['/api/v1/teams', [f.teamA], [f.teamB], [], 'teams'],
    ['/api/v1/targets', [f.targetA, f.targetASection], [f.targetB], [], 'targets'],
    [`/api/v1/campaigns/${f.campaign.id}/targets`, [f.targetA, f.targetASection], [f.targetB], [], 'targets'],
    ['/api/v1/users', [f.users.headA, f.users.staffA], [f.users.headB, f.users.staffB], [], 'users'],
  ];

  it('the raw database holds exactly the fixture', async () => {
    assert.equal(await count(server.db, 'projects'), 3);
    assert.equal(await count(server.db, 'project_units'), 1);
    assert.equal(await count(server.db, 'follow_ups'), 3);
    assert.equal(await count(server.db, 'funds'), 3);
    assert.equal(await count(server.db, 'stage_changes'), 3);
    assert.equal(await count(server.db, 'attachments'), 3);
    assert.equal(await count(server.db, 'investors'), 2);
    assert.equal(await count(server.db, 'teams'), 2);
    assert.equal(await count(server.db, 'targets'), 3);
    assert.equal(await count(server.db, 'users'), 7); // admin + 6
  });

  it('unit A users list only A and co-owned records, with exact totals', async () => {
    for (const [path, a, , ab] of cases()) {
      for (const role of ['headA', 'staffA']) {
        const list = expectStatus(await client(role).get(path), 200, `${role} ${path}`);
        const want = sorted(...[...a, ...ab].map((x) => x.id));
        assert.equal(list.total, want.length, `${role} ${path} total`);
        assert.deepEqual(ids(list), want, `${role} ${path} ids`);
      }
    }
  });

  it('unit B users list only B and co-owned records, with exact totals', async () => {
    for (const [path, , b, ab] of cases()) {
      for (const role of ['headB', 'staffB']) {
        const list = expectStatus(await client(role).get(path), 200, `${role} ${path}`);
        const want = sorted(...[...b, ...ab].map((x) => x.id));
        assert.equal(list.total, want.length, `${role} ${path} total`);
        assert.deepEqual(ids(list), want, `${role} ${path} ids`);
      }
    }
  });

  it('admin, office and leader list every record', async () => {
    for (const [path, a, b, ab, table] of cases()) {
      let all = [...a, ...b, ...ab].map((x) => x.id);
      if (table === 'users') all = [1, ...Object.values(f.users).map((u) => u.id)];
      for (const role of ['admin', 'office', 'leader']) {
        const list = expectStatus(await client(role).get(path), 200, `${role} ${path}`);
        assert.equal(list.total, all.length, `${role} ${path} total`);
        assert.deepEqual(ids(list), sorted(...all), `${role} ${path} ids`);
      }
    }
  });

  it("another unit's record is 404 for a unit user, 200 for its own unit", async () => {
    const byId = [
      ['projects', f.projectB, f.projectA], ['stage-changes', f.stageB, f.stageA],
      ['follow-ups', f.followUpB, f.followUpA], ['funds', f.fundB, f.fundA],
      ['attachments', f.attachmentB, f.attachmentA], ['investors', f.investorB, f.investorA],
      ['teams', f.teamB, f.teamA], ['targets', f.targetB, f.targetA], ['users', f.users.staffB, f.users.staffA],
    ];
    for (const [coll, theirs, ours] of byId) {
      for (const role of ['headA', 'staffA']) {
        expectError(await client(role).get(`/api/v1/${coll}/${theirs.id}`), 404, [], 'not_found');
        const mine = expectStatus(await client(role).get(`/api/v1/${coll}/${ours.id}`), 200);
        assert.equal(mine.id, ours.id);
      }
      // and the other way round
      expectStatus(await client('staffB').get(`/api/v1/${coll}/${theirs.id}`), 200);
      expectError(await client('staffB').get(`/api/v1/${coll}/${ours.id}`), 404);
    }
    const content = await client('staffA').get(`/api/v1/attachments/${f.attachmentB.id}/content`);
    expectError(content, 404);
    assert.ok(!content.raw.includes(PDF), 'the file must not leak');
    const own = await client('staffA').get(`/api/v1/attachments/${f.attachmentA.id}/content`);
    assert.equal(own.status, 200);
    assert.deepEqual(own.raw, PDF);
  });

  it("another unit's project's nested lists are 404 for a unit user", async () => {
    for (const coll of ['follow-ups', 'funds', 'stage-changes', 'attachments']) {
      for (const role of ['headA', 'staffA']) {
        expectError(await client(role).get(`/api/v1/projects/${f.projectB.id}/${coll}`), 404);
        const own = expectStatus(await client(role).get(`/api/v1/projects/${f.projectA.id}/${coll}`), 200);
        assert.equal(own.total, 1, `${coll} of A's project`);
      }
    }
  });

  it('filters cannot widen a unit user\'s view', async () => {
    const cases2 = [
      [`/api/v1/projects?lead_unit_id=${f.unitB.id}`, 0],
      [`/api/v1/funds?unit_id=${f.unitB.id}`, 0],
      [`/api/v1/follow-ups?project_id=${f.projectB.id}`, 0],
      [`/api/v1/investors?unit_id=${f.unitB.id}`, 0],
      [`/api/v1/users?unit_id=${f.unitB.id}`, 0],
      [`/api/v1/targets?unit_id=${f.unitB.id}`, 0],
      [`/api/v1/projects?q=${encodeURIComponent('古城')}`, 0],
      [`/api/v1/projects?co_unit_ids=${f.unitB.id}`, 1], // only the co-owned one
    ];
    for (const [path, total] of cases2) {
      const list = expectStatus(await client('staffA').get(path), 200, path);
      assert.equal(list.total, total, path);
      assert.equal(list.items.length, total, path);
    }
    const list = expectStatus(await admin.get(`/api/v1/projects?lead_unit_id=${f.unitB.id}`), 200);
    assert.deepEqual(ids(list), [f.projectB.id]);
  });

  it('target gaps show a unit user only its own unit', async () => {
    const path = `/api/v1/campaigns/${f.campaign.id}/target-gaps`;
    const mine = expectStatus(await client('headA').get(path), 200);
    assert.deepEqual(mine.items.map((x) => x.unit_id), [f.unitA.id]);
    assert.equal(mine.items[0].value, 100_000_000);
    assert.equal(mine.items[0].sections_sum, 60_000_000);
    assert.equal(mine.items[0].sections_gap, 40_000_000);
    const all = expectStatus(await client('leader').get(path), 200);
    assert.deepEqual(all.items.map((x) => x.unit_id).sort(), [f.unitA.id, f.unitB.id].sort());
  });

  it('public collections (campaigns, units, sections, events, checkpoints) are read by every role', async () => {
    const pub = [
      ['/api/v1/campaigns', [f.campaign.id]],
      ['/api/v1/units', [f.unitA.id, f.unitB.id, f.unitC.id]],
      ['/api/v1/sections', [f.sectionA.id, f.sectionB.id]],
      ['/api/v1/events', [f.event.id]],
      [`/api/v1/campaigns/${f.campaign.id}/checkpoints`, [f.checkpoint.id]],
    ];
    for (const role of [...ROLES, 'headB', 'staffB']) {
      for (const [path, want] of pub) {
        const list = expectStatus(await client(role).get(path), 200, `${role} ${path}`);
        assert.equal(list.total, want.length, `${role} ${path}`);
        assert.deepEqual(ids(list), sorted(...want));
      }
      for (const [coll, rec] of [['units', f.unitB], ['events', f.event], ['checkpoints', f.checkpoint],
        ['campaigns', f.campaign], ['sections', f.sectionB]]) {
        const r = expectStatus(await client(role).get(`/api/v1/${coll}/${rec.id}`), 200);
        assert.equal(r.name, rec.name);
      }
    }
  });
});

describe('unit scoping (R-ROLE-1): writes', () => {
  const projectBody = (extra) => ({
    campaign_id: f.campaign.id, name: '越权项目', category: 'other', method: 'other', ...extra,
  });

  it("a unit user cannot create a project led by another unit (403, nothing written)", async () => {
    const before = await count(server.db, 'projects');
    const links = await count(server.db, 'project_units');
    for (const role of ['headA', 'staffA']) {
      expectError(await client(role).post('/api/v1/projects', projectBody({ lead_unit_id: f.unitB.id })), 403,
        ['lead_unit_id'], 'forbidden');
      // not even when it lists itself as a co-owner
      expectError(await client(role).post('/api/v1/projects',
        projectBody({ lead_unit_id: f.unitB.id, co_unit_ids: [f.unitA.id] })), 403, ['lead_unit_id'], 'forbidden');
    }
    assert.equal(await count(server.db, 'projects'), before);
    assert.equal(await count(server.db, 'project_units'), links);
    assert.equal(await count(server.db, 'projects', "name = '越权项目'"), 0);
  });

  it('a unit user creating a project without lead_unit_id gets its own unit', async () => {
    const p = await create(client('staffB'), '/api/v1/projects', projectBody({ name: '乙局自报项目' }));
    assert.equal(p.lead_unit_id, f.unitB.id);
    assert.equal(await sql1(`SELECT lead_unit_id FROM projects WHERE id = ${p.id}`), String(f.unitB.id));
    expectError(await client('staffA').get(`/api/v1/projects/${p.id}`), 404);
    expectStatus(await admin.del(`/api/v1/projects/${p.id}?version=${p.version}`), 204);
  });

  it('a unit user cannot move its project to another unit', async () => {
    for (const body of [{ lead_unit_id: f.unitB.id }, { lead_unit_id: f.unitC.id, co_unit_ids: [f.unitA.id] }]) {
      const cur = expectStatus(await admin.get(`/api/v1/projects/${f.projectA.id}`), 200);
      expectError(await client('headA').patch(`/api/v1/projects/${f.projectA.id}`, { ...body, version: cur.version }),
        403, ['lead_unit_id'], 'forbidden');
      const now = expectStatus(await admin.get(`/api/v1/projects/${f.projectA.id}`), 200);
      assert.equal(now.lead_unit_id, f.unitA.id);
      assert.deepEqual(now.co_unit_ids, []);
      assert.equal(now.version, cur.version);
    }
    // nor may a co-owner take over a project another unit leads
    const cur = expectStatus(await admin.get(`/api/v1/projects/${f.projectAB.id}`), 200);
    expectError(await client('staffB').patch(`/api/v1/projects/${f.projectAB.id}`,
      { lead_unit_id: f.unitB.id, co_unit_ids: [f.unitA.id], version: cur.version }), 403, ['lead_unit_id']);
    const now = expectStatus(await admin.get(`/api/v1/projects/${f.projectAB.id}`), 200);
    assert.equal(now.lead_unit_id, f.unitA.id);
    assert.deepEqual(now.co_unit_ids, [f.unitB.id]);
    assert.equal(now.version, cur.version);
  });

  it("a unit user cannot write under or to another unit's project (404)", async () => {
    const counts = async () => sql1(['follow_ups', 'funds', 'stage_changes', 'attachments', 'projects']
      .map((t) => `SELECT COUNT(*) FROM ${t};`).join(' '));
    const before = await counts();
    const pB = f.projectB.id;
    const staffA = client('staffA');
    expectError(await staffA.post(`/api/v1/projects/${pB}/follow-ups`,
      { date: '2026-10-01', kind: 'call', summary: '越权' }), 404);
    expectError(await staffA.post(`/api/v1/projects/${pB}/funds`,
      { amount: 100, date: '2026-10-01', kind: 'foreign' }), 404);
    expectError(await staffA.post(`/api/v1/projects/${pB}/stage-changes`,
      { to_stage: 'dropped', date: '2026-10-01', reason: '越权' }), 404);
    expectError(await upload(staffA, pB), 404);
    const fu = f.followUpB, fund = f.fundB, proj = f.projectB;
    expectError(await staffA.patch(`/api/v1/follow-ups/${fu.id}`, { summary: '改', version: fu.version }), 404);
    expectError(await staffA.patch(`/api/v1/funds/${fund.id}`, { amount: 1, version: fund.version }), 404);
    expectError(await staffA.patch(`/api/v1/projects/${proj.id}`, { name: '改', version: 1 }), 404);
    expectError(await staffA.del(`/api/v1/follow-ups/${fu.id}`), 404);
    expectError(await staffA.del(`/api/v1/funds/${fund.id}`), 404);
    expectError(await staffA.del(`/api/v1/attachments/${f.attachmentB.id}`), 404);
    expectError(await staffA.del(`/api/v1/projects/${proj.id}`), 404);
    expectError(await client('headA').patch(`/api/v1/investors/${f.investorB.id}`,
      { industry: '改', version: f.investorB.version }), 404);
    expectError(await client('headA').patch(`/api/v1/teams/${f.teamB.id}`, { name: '改', version: 1 }), 404);
    expectError(await client('headA').patch(`/api/v1/targets/${f.targetB.id}`, { value: 1, version: 1 }), 404);
    assert.deepEqual(await counts(), before);
    const b = expectStatus(await admin.get(`/api/v1/projects/${pB}`), 200);
    assert.equal(b.name, f.projectB.name);
    assert.equal((await admin.get(`/api/v1/follow-ups/${fu.id}`)).body.summary, fu.summary);
    assert.equal((await admin.get(`/api/v1/funds/${fund.id}`)).body.amount, 3_000_000);
  });

  it("a unit user cannot create records for another unit (403)", async () => {
    const c = f.campaign.id;
    const counts = () => sql1('SELECT COUNT(*) FROM investors; SELECT COUNT(*) FROM teams; SELECT COUNT(*) FROM targets;');
    const before = await counts();
    expectError(await client('staffA').post('/api/v1/investors',
      { name: '越权客商', kind: 'person', origin: 'local', unit_id: f.unitB.id }), 403, ['unit_id']);
    expectError(await client('headA').post('/api/v1/teams',
      { unit_id: f.unitB.id, campaign_id: c, name: '越权小分队' }), 403, ['unit_id']);
    expectError(await client('headA').post(`/api/v1/campaigns/${c}/targets`,
      { unit_id: f.unitB.id, section_id: f.sectionB.id, metric: 'leads_count', value: 5 }), 403, ['unit_id']);
    // a section of another unit under the own unit is a bad reference
    expectError(await client('headA').post(`/api/v1/campaigns/${c}/targets`,
      { unit_id: f.unitA.id, section_id: f.sectionB.id, metric: 'leads_count', value: 5 }), 400, ['section_id']);
    assert.deepEqual(await counts(), before);
  });

  it('the co-owned project is visible and editable by both units', async () => {
    const p = f.projectAB.id;
    for (const role of ['headA', 'staffA', 'headB', 'staffB']) {
      const cur = expectStatus(await client(role).get(`/api/v1/projects/${p}`), 200, role);
      const name = `联合招商产业园（${role} 编辑）`;
      const upd = expectStatus(await client(role).patch(`/api/v1/projects/${p}`, { name, version: cur.version }), 200);
      assert.equal(upd.version, cur.version + 1);
      const seen = expectStatus(await admin.get(`/api/v1/projects/${p}`), 200);
      assert.equal(seen.name, name);
      assert.equal(seen.lead_unit_id, f.unitA.id);
      assert.deepEqual(seen.co_unit_ids, [f.unitB.id]);
    }
    // follow-ups and funds under it, from the co-owning unit
    const fu = await create(client('staffB'), `/api/v1/projects/${p}/follow-ups`,
      { date: '2026-10-02', kind: 'meeting', summary: '乙局参加联合洽谈' });
    assert.equal(fu.project_id, p);
    assert.equal(fu.unit_id, f.unitA.id); // counted to the lead unit
    assert.equal(fu.created_by, f.users.staffB.id);
    const seenByA = expectStatus(await client('staffA').get(`/api/v1/follow-ups/${fu.id}`), 200);
    assert.equal(seenByA.summary, '乙局参加联合洽谈');
    const upd = expectStatus(await client('headA').patch(`/api/v1/follow-ups/${fu.id}`,
      { summary: '甲局补充纪要', version: fu.version }), 200);
    assert.equal(upd.summary, '甲局补充纪要');
    const fund = await create(client('headB'), `/api/v1/projects/${p}/funds`,
      { amount: 250_000, date: '2026-10-10', kind: 'out_of_city' });
    assert.equal(await sql1(`SELECT amount FROM funds WHERE id = ${fund.id}`), '250000');
    expectStatus(await client('staffA').get(`/api/v1/funds/${fund.id}`), 200);
    expectStatus(await client('staffB').del(`/api/v1/funds/${fund.id}?version=${fund.version}`), 204);
    expectStatus(await client('staffA').del(`/api/v1/follow-ups/${fu.id}?version=${upd.version}`), 204);
    assert.equal(await count(server.db, 'funds', `id = ${fund.id}`), 0);
    assert.equal(await count(server.db, 'follow_ups', `id = ${fu.id}`), 0);
    // the unit that is not a co-owner sees none of it
    const headC = await unitCUser();
    expectError(await headC.get(`/api/v1/projects/${p}`), 404);
    assert.equal(expectStatus(await headC.get('/api/v1/projects'), 200).total, 0);
  });
});

const sql1 = (query) => sql(server.db, query);

let cUser;
async function unitCUser() {
  if (cUser) return cUser;
  await create(admin, '/api/v1/users',
    { login: 'head_c', name: '丙局局长', role: 'unit_head', unit_id: f.unitC.id, password: USER_PASSWORD });
  cUser = await server.login('head_c', USER_PASSWORD);
  return cUser;
}

// ---------------------------------------------------------------------------------------
// The role × route matrix. Unit users act on their own unit (A); leaders read everything
// and write nothing; users are the admin's; certification and the audit log are central.
const ALL = new Set(ROLES);
const CENTRAL = new Set(['admin', 'office']);
const ADMIN = new Set(['admin']);
const WRITERS = new Set(['admin', 'office', 'headA', 'staffA']); // central + unit
const HEADS = new Set(['admin', 'office', 'headA']);
const METRICS = ['funds_arrived', 'signed_count', 'signed_value', 'started_count', 'completed_count',
  'policy_funds', 'leads_count'];

let serial = 0;
const uniq = (s) => `${s}-${++serial}`;

async function newProject(name = uniq('矩阵项目')) {
  return create(admin, '/api/v1/projects', {
    campaign_id: f.campaign.id, name, lead_unit_id: f.unitA.id, category: 'industrial', method: 'industry',
    lead_date: '2026-08-01', // before the evidence dates of the moves below
  });
}
async function newSignedProject() {
  const p = await newProject();
  // Entered by the unit's staff: whoever enters a record never certifies it (maker-checker).
  const sc = await create(client('staffA'), `/api/v1/projects/${p.id}/stage-changes`,
    { to_stage: 'signed', date: '2026-09-20', contract_date: '2026-09-20', contract_value: 7_000_000 });
  return { p, sc };
}

// Each entry: what to call and who may; `field`/`value` for updates; `make` gives a fresh
// record (as admin) for deletes and actions.
const matrix = () => [
  {
    coll: 'campaigns', table: 'campaigns', read: ALL, write: CENTRAL,
    list: ['/api/v1/campaigns'], one: () => f.campaign.id,
    body: () => ({ name: uniq('会战'), start_date: '2026-03-01' }),
    field: 'name', value: () => uniq('会战改名'),
    make: async () => (await create(admin, '/api/v1/campaigns', { name: uniq('待删会战'), start_date: '2027-01-01' })).id,
  },
  {
    coll: 'checkpoints', table: 'checkpoints', read: ALL, write: CENTRAL,
    list: ['/api/v1/checkpoints', () => `/api/v1/campaigns/${f.campaign.id}/checkpoints`], one: () => f.checkpoint.id,
    createPath: () => `/api/v1/campaigns/${f.campaign.id}/checkpoints`,
    body: () => ({ name: uniq('节点'), kind: 'midpoint', date: '2026-09-19' }),
    field: 'name', value: () => uniq('节点改名'),
    make: async () => (await create(admin, `/api/v1/campaigns/${f.campaign.id}/checkpoints`,
      { name: uniq('待删节点'), kind: 'other', date: '2026-10-01' })).id,
  },
  {
    coll: 'units', table: 'units', read: ALL, write: CENTRAL,
    list: ['/api/v1/units'], one: () => f.unitA.id,
    body: () => ({ name: uniq('市新单位'), category: 'other' }),
    field: 'phone', value: () => uniq('0571'),
    make: async () => (await create(admin, '/api/v1/units', { name: uniq('待删单位'), category: 'other' })).id,
  },
  {
    coll: 'sections', table: 'sections', read: ALL, write: CENTRAL,
    list: ['/api/v1/sections', () => `/api/v1/units/${f.unitA.id}/sections`], one: () => f.sectionA.id,
    createPath: () => `/api/v1/units/${f.unitA.id}/sections`,
    body: () => ({ name: uniq('新科室') }),
    field: 'name', value: () => uniq('科室改名'),
    make: async () => (await create(admin, `/api/v1/units/${f.unitA.id}/sections`, { name: uniq('待删科室') })).id,
  },
  {
    coll: 'events', table: 'events', read: ALL, write: CENTRAL,
    list: ['/api/v1/events'], one: () => f.event.id,
    body: () => ({ name: uniq('推介会'), start_date: '2026-09-01', end_date: '2026-09-02' }),
    field: 'place', value: () => uniq('国际会展中心'),
    make: async () => (await create(admin, '/api/v1/events',
      { name: uniq('待删活动'), start_date: '2026-09-05', end_date: '2026-09-05' })).id,
  },
  {
    coll: 'users', table: 'users', read: ALL, write: ADMIN,
    list: ['/api/v1/users'], one: () => f.users.staffA.id,
    body: () => ({ login: uniq('newuser'), name: '新用户', role: 'unit_staff', unit_id: f.unitA.id, password: USER_PASSWORD }),
    field: 'title', value: () => uniq('联络员'),
    make: async () => (await create(admin, '/api/v1/users',
      { login: uniq('deluser'), name: '待删用户', role: 'leader', password: USER_PASSWORD })).id,
  },
  {
    coll: 'targets (unit level)', path: 'targets', table: 'targets', read: ALL, write: CENTRAL,
    list: ['/api/v1/targets', () => `/api/v1/campaigns/${f.campaign.id}/targets`], one: () => f.targetA.id,
    createPath: () => `/api/v1/campaigns/${f.campaign.id}/targets`,
    body: (role) => ({ unit_id: f.unitA.id, scope: 'campaign', metric: METRICS[1 + ROLES.indexOf(role)], value: 12 }),
    field: 'value', value: () => 100_000_000 + serial++, updateId: () => f.targetA.id,
    make: async (role) => (await create(admin, `/api/v1/campaigns/${f.campaign.id}/targets`,
      { unit_id: f.unitA.id, scope: 'annual', metric: METRICS[ROLES.indexOf(role)], value: 1000 })).id,
  },
  {
    // the unit head passes the unit's target down to sections and people
    coll: 'targets (decomposed)', path: 'targets', table: 'targets', read: ALL, write: HEADS,
    list: [], one: () => f.targetASection.id,
    createPath: () => `/api/v1/campaigns/${f.campaign.id}/targets`,
    body: (role) => ({ unit_id: f.unitA.id, section_id: f.sectionA.id, metric: METRICS[1 + ROLES.indexOf(role)], value: 5 }),
    field: 'value', value: () => 50_000_000 + serial++, updateId: () => f.targetASection.id,
    make: async (role) => (await create(admin, `/api/v1/campaigns/${f.campaign.id}/targets`,
      { unit_id: f.unitA.id, user_id: f.users.staffA.id, metric: METRICS[ROLES.indexOf(role)], value: 10 })).id,
  },
  {
    coll: 'investors', table: 'investors', read: ALL, write: WRITERS,
    list: ['/api/v1/investors'], one: () => f.investorA.id,
    body: () => ({ name: uniq('新客商'), kind: 'person', origin: 'overseas', unit_id: f.unitA.id }),
    field: 'industry', value: () => uniq('新材料'),
    make: async () => (await create(admin, '/api/v1/investors',
      { name: uniq('待删客商'), kind: 'enterprise', origin: 'local', unit_id: f.unitA.id })).id,
  },
  {
    coll: 'projects', table: 'projects', read: ALL, write: WRITERS,
    list: ['/api/v1/projects'], one: () => f.projectA.id,
    body: () => ({ campaign_id: f.campaign.id, name: uniq('新项目'), lead_unit_id: f.unitA.id, category: 'services', method: 'fair' }),
    field: 'planned_investment', value: () => 80_000_000 + serial++,
    make: async () => (await newProject()).id,
  },
  {
    coll: 'follow-ups', table: 'follow_ups', read: ALL, write: WRITERS,
    list: ['/api/v1/follow-ups', () => `/api/v1/projects/${f.projectA.id}/follow-ups`], one: () => f.followUpA.id,
    createPath: () => `/api/v1/projects/${f.projectA.id}/follow-ups`,
    body: () => ({ date: '2026-10-05', kind: 'call', summary: uniq('电话跟踪') }),
    field: 'summary', value: () => uniq('修改纪要'),
    make: async () => (await create(admin, `/api/v1/projects/${f.projectA.id}/follow-ups`,
      { date: '2026-10-06', kind: 'meeting', summary: uniq('待删纪要') })).id,
  },
  {
    coll: 'funds', table: 'funds', read: ALL, write: WRITERS,
    list: ['/api/v1/funds', () => `/api/v1/projects/${f.projectA.id}/funds`], one: () => f.fundA.id,
    createPath: () => `/api/v1/projects/${f.projectA.id}/funds`,
    body: () => ({ amount: 123_456, date: '2026-10-12', kind: 'foreign' }),
    field: 'amount', value: () => 5_000_000 + serial++,
    make: async () => (await create(admin, `/api/v1/projects/${f.projectA.id}/funds`,
      { amount: 1000, date: '2026-10-13', kind: 'policy' })).id,
  },
  {
    coll: 'teams', table: 'teams', read: ALL, write: HEADS,
    list: ['/api/v1/teams'], one: () => f.teamA.id,
    body: () => ({ unit_id: f.unitA.id, campaign_id: f.campaign.id, name: uniq('小分队') }),
    field: 'name', value: () => uniq('小分队改名'),
    make: async () => (await create(admin, '/api/v1/teams',
      { unit_id: f.unitA.id, campaign_id: f.campaign.id, name: uniq('待删小分队') })).id,
  },
];

describe('role × route matrix', () => {
  for (const m of matrix()) {
    const path = m.path || m.coll;
    describe(m.coll, () => {
      for (const role of ROLES) {
        const canRead = m.read.has(role), canWrite = m.write.has(role);
        if (m.list.length) {
          it(`GET list as ${role} → ${canRead ? 200 : 403}`, async () => {
            for (const p of [`/api/v1/${path}`, ...m.list]) {
              const url = typeof p === 'function' ? p() : p;
              const r = await client(role).get(url);
              const body = expectStatus(r, canRead ? 200 : 403, `${role} GET ${url}`);
              if (canRead) {
                assert.equal(typeof body.total, 'number');
                assert.ok(body.total >= 1, `${url} should show at least the fixture record`);
                assert.equal(body.items.length, Math.min(body.total, 50));
                assert.equal(body.limit, 50);
                assert.equal(body.offset, 0);
              }
            }
          });
        }
        it(`GET one as ${role} → ${canRead ? 200 : 403}`, async () => {
          const r = await client(role).get(`/api/v1/${path}/${m.one()}`);
          const body = expectStatus(r, canRead ? 200 : 403);
          if (canRead) assert.equal(body.id, m.one());
        });
        it(`POST as ${role} → ${canWrite ? 201 : 403}`, async () => {
          const before = await count(server.db, m.table);
          const url = m.createPath ? m.createPath() : `/api/v1/${path}`;
          const sent = m.body(role);
          const r = await client(role).post(url, sent);
          if (canWrite) {
            const rec = expectStatus(r, 201, `${role} POST ${url}`);
            assert.equal(rec.version, 1);
            assert.equal(await count(server.db, m.table), before + 1);
            const stored = expectStatus(await admin.get(`/api/v1/${path}/${rec.id}`), 200);
            for (const [k, v] of Object.entries(sent)) if (k !== 'password') assert.deepEqual(stored[k], v, k);
          } else {
            expectError(r, 403, [], 'forbidden');
            assert.equal(await count(server.db, m.table), before);
          }
        });
        it(`PATCH as ${role} → ${canWrite ? 200 : 403}`, async () => {
          const id = m.updateId ? m.updateId() : m.one();
          const cur = expectStatus(await admin.get(`/api/v1/${path}/${id}`), 200);
          const value = m.value();
          const r = await client(role).patch(`/api/v1/${path}/${id}`, { [m.field]: value, version: cur.version });
          const now = expectStatus(await admin.get(`/api/v1/${path}/${id}`), 200);
          if (canWrite) {
            const body = expectStatus(r, 200, `${role} PATCH ${path}/${id}`);
            assert.equal(body[m.field], value);
            assert.equal(now[m.field], value);
            assert.equal(now.version, cur.version + 1);
          } else {
            expectError(r, 403, [], 'forbidden');
            assert.deepEqual(now, cur);
          }
        });
        it(`DELETE as ${role} → ${canWrite ? 204 : 403}`, async () => {
          const id = await m.make(role);
          const { version } = expectStatus(await admin.get(`/api/v1/${path}/${id}`), 200);
          const r = await client(role).del(`/api/v1/${path}/${id}?version=${version}`);
          if (canWrite) {
            assert.equal(r.status, 204, JSON.stringify(r.body));
            expectError(await admin.get(`/api/v1/${path}/${id}`), 404);
            assert.equal(await count(server.db, m.table, `id = ${id}`), 0);
          } else {
            expectError(r, 403, [], 'forbidden');
            expectStatus(await admin.get(`/api/v1/${path}/${id}`), 200);
            assert.equal(await count(server.db, m.table, `id = ${id}`), 1);
          }
        });
      }
    });
  }

  describe('unit_head may not set the unit-level target', () => {
    it('creating a unit-level target as headA → 403 naming nothing half-written', async () => {
      const before = await count(server.db, 'targets');
      expectError(await client('headA').post(`/api/v1/campaigns/${f.campaign.id}/targets`,
        { unit_id: f.unitA.id, metric: 'leads_count', value: 99 }), 403, [], 'forbidden');
      assert.equal(await count(server.db, 'targets'), before);
    });
    it('turning a decomposed target into anything else is impossible (section_id is create-only)', async () => {
      const cur = expectStatus(await admin.get(`/api/v1/targets/${f.targetASection.id}`), 200);
      expectError(await client('headA').patch(`/api/v1/targets/${f.targetASection.id}`,
        { section_id: null, version: cur.version }), 400, ['section_id']);
      assert.deepEqual(expectStatus(await admin.get(`/api/v1/targets/${f.targetASection.id}`), 200), cur);
    });
  });

  describe('stage changes: append-only history', () => {
    for (const role of ROLES) {
      const can = WRITERS.has(role);
      it(`POST a move to negotiating as ${role} → ${can ? 201 : 403}`, async () => {
        const p = await newProject();
        const before = await count(server.db, 'stage_changes');
        const r = await client(role).post(`/api/v1/projects/${p.id}/stage-changes`,
          { to_stage: 'negotiating', date: '2026-10-01' });
        const proj = expectStatus(await admin.get(`/api/v1/projects/${p.id}`), 200);
        if (can) {
          const sc = expectStatus(r, 201);
          assert.equal(sc.from_stage, 'lead');
          assert.equal(sc.to_stage, 'negotiating');
          assert.equal(sc.unit_id, f.unitA.id);
          assert.equal(proj.stage, 'negotiating');
          assert.equal(await count(server.db, 'stage_changes'), before + 1);
        } else {
          expectError(r, 403, [], 'forbidden');
          assert.equal(proj.stage, 'lead');
          assert.equal(await count(server.db, 'stage_changes'), before);
        }
      });
      it(`GET one as ${role} → 200`, async () => {
        const sc = expectStatus(await client(role).get(`/api/v1/stage-changes/${f.stageA.id}`), 200);
        assert.equal(sc.to_stage, 'signed');
        assert.equal(sc.contract_value, 30_000_000);
      });
      it(`GET lists as ${role} → 200`, async () => {
        for (const url of ['/api/v1/stage-changes', `/api/v1/projects/${f.projectA.id}/stage-changes`]) {
          const list = expectStatus(await client(role).get(url), 200);
          assert.ok(list.items.some((x) => x.id === f.stageA.id), url);
        }
      });
      it(`PATCH and DELETE as ${role} → ${can ? 405 : 403}, history unchanged`, async () => {
        const cur = expectStatus(await admin.get(`/api/v1/stage-changes/${f.stageA.id}`), 200);
        const p = await client(role).patch(`/api/v1/stage-changes/${f.stageA.id}`, { note: '改', version: cur.version });
        expectError(p, can ? 405 : 403);
        const d = await client(role).del(`/api/v1/stage-changes/${f.stageA.id}`);
        expectError(d, can ? 405 : 403);
        assert.deepEqual(expectStatus(await admin.get(`/api/v1/stage-changes/${f.stageA.id}`), 200), cur);
      });
    }
  });

  describe('certify / reject: office and admin only', () => {
    for (const role of ROLES) {
      const can = CENTRAL.has(role);
      for (const action of ['certify', 'reject']) {
        it(`POST funds/{id}/${action} as ${role} → ${can ? 200 : 403}`, async () => {
          const fund = await create(client('staffA'), `/api/v1/projects/${f.projectA.id}/funds`,
            { amount: 4321, date: '2026-10-14', kind: 'out_of_city' });
          const r = await client(role).post(`/api/v1/funds/${fund.id}/${action}`, { reason: '凭证不清晰' });
          const now = expectStatus(await admin.get(`/api/v1/funds/${fund.id}`), 200);
          const want = action === 'certify' ? 'certified' : 'rejected';
          if (can) {
            assert.equal(expectStatus(r, 200).status, want);
            assert.equal(now.status, want);
            assert.equal(now.reviewed_by, client(role).user.id);
            assert.equal(now.reject_reason, action === 'reject' ? '凭证不清晰' : null);
            assert.equal(await sql1(`SELECT status FROM funds WHERE id = ${fund.id}`), want);
          } else {
            expectError(r, 403, [], 'forbidden');
            assert.equal(now.status, 'reported');
            assert.equal(now.reviewed_by, null);
            assert.equal(now.version, fund.version);
          }
        });
        it(`POST stage-changes/{id}/${action} as ${role} → ${can ? 200 : 403}`, async () => {
          const { sc } = await newSignedProject();
          const r = await client(role).post(`/api/v1/stage-changes/${sc.id}/${action}`, { reason: '合同未盖章' });
          const now = expectStatus(await admin.get(`/api/v1/stage-changes/${sc.id}`), 200);
          const want = action === 'certify' ? 'certified' : 'rejected';
          if (can) {
            assert.equal(expectStatus(r, 200).status, want);
            assert.equal(now.status, want);
          } else {
            expectError(r, 403, [], 'forbidden');
            assert.equal(now.status, 'reported');
            assert.equal(now.version, sc.version);
          }
        });
      }
    }
    it('certified funds are settled: a unit user can no longer change them (422)', async () => {
      const fund = await create(client('staffA'), `/api/v1/projects/${f.projectA.id}/funds`,
        { amount: 777, date: '2026-10-14', kind: 'foreign' });
      expectStatus(await client('office').post(`/api/v1/funds/${fund.id}/certify`, {}), 200);
      const cur = expectStatus(await admin.get(`/api/v1/funds/${fund.id}`), 200);
      expectError(await client('staffA').patch(`/api/v1/funds/${fund.id}`, { amount: 1, version: cur.version }),
        422, ['status'], 'rule_violation');
      expectError(await client('staffA').del(`/api/v1/funds/${fund.id}?version=${cur.version}`), 422, ['status']);
      assert.deepEqual(expectStatus(await admin.get(`/api/v1/funds/${fund.id}`), 200), cur);
    });
  });

  describe('attachments', () => {
    for (const role of ROLES) {
      const can = WRITERS.has(role);
      it(`upload as ${role} → ${can ? 201 : 403}`, async () => {
        const before = await count(server.db, 'attachments');
        const r = await upload(client(role), f.projectA.id, `${role}.pdf`);
        if (can) {
          const a = expectStatus(r, 201);
          assert.equal(a.filename, `${role}.pdf`);
          assert.equal(a.size, PDF.length);
          assert.equal(a.content_type, 'application/pdf');
          assert.equal(await count(server.db, 'attachments'), before + 1);
        } else {
          expectError(r, 403, [], 'forbidden');
          assert.equal(await count(server.db, 'attachments'), before);
        }
      });
      it(`read record, list and content as ${role} → 200`, async () => {
        const a = expectStatus(await client(role).get(`/api/v1/attachments/${f.attachmentA.id}`), 200);
        assert.equal(a.filename, 'contract-a.pdf');
        const list = expectStatus(await client(role).get(`/api/v1/projects/${f.projectA.id}/attachments`), 200);
        assert.ok(list.items.some((x) => x.id === f.attachmentA.id));
        const c = await client(role).get(`/api/v1/attachments/${f.attachmentA.id}/content`);
        assert.equal(c.status, 200);
        assert.equal(c.headers.get('content-type'), 'application/pdf');
        assert.deepEqual(c.raw, PDF);
      });
      it(`DELETE as ${role} → ${can ? 204 : 403}`, async () => {
        const a = expectStatus(await upload(admin, f.projectA.id, uniq('todelete') + '.pdf'), 201);
        const r = await client(role).del(`/api/v1/attachments/${a.id}?version=${a.version}`);
        if (can) {
          assert.equal(r.status, 204);
          assert.equal(await count(server.db, 'attachments', `id = ${a.id}`), 0);
        } else {
          expectError(r, 403, [], 'forbidden');
          assert.equal(await count(server.db, 'attachments', `id = ${a.id}`), 1);
        }
      });
      it(`PATCH as ${role} → ${can ? 405 : 403}`, async () => {
        const r = await client(role).patch(`/api/v1/attachments/${f.attachmentA.id}`, { version: 1 });
        expectError(r, can ? 405 : 403);
      });
    }
  });

  describe('audit log, me and target gaps', () => {
    for (const role of ROLES) {
      const can = CENTRAL.has(role);
      it(`GET /api/v1/audit as ${role} → ${can ? 200 : 403}`, async () => {
        const r = await client(role).get('/api/v1/audit?limit=5');
        if (can) {
          const body = expectStatus(r, 200);
          assert.equal(body.items.length, 5);
          assert.equal(body.total, await count(server.db, 'audit_log'));
          assert.deepEqual(body.items.map((x) => x.id), [0, 1, 2, 3, 4].map((i) => body.total - i));
        } else {
          expectError(r, 403, [], 'forbidden');
          assert.equal(r.body.items, undefined);
        }
      });
      it(`GET /api/v1/me as ${role} → 200 with its role and unit`, async () => {
        const me = expectStatus(await client(role).get('/api/v1/me'), 200);
        const want = role === 'admin' ? { role: 'admin', unit_id: null, login: 'admin' }
          : { role: f.users[role].role, unit_id: f.users[role].unit_id, login: f.users[role].login };
        assert.equal(me.role, want.role);
        assert.equal(me.unit_id, want.unit_id);
        assert.equal(me.login, want.login);
      });
      it(`GET target-gaps as ${role} → 200`, async () => {
        const g = expectStatus(await client(role).get(`/api/v1/campaigns/${f.campaign.id}/target-gaps`), 200);
        const units = new Set(g.items.map((x) => x.unit_id));
        if (role === 'headA' || role === 'staffA') assert.deepEqual([...units], [f.unitA.id]);
        else assert.ok(units.has(f.unitB.id));
      });
    }
  });
});

describe('figures, settings, snapshots and duplicate settling', () => {
  const c = () => f.campaign.id;
  const boards = ['dashboard', 'progress', 'ranking', 'funnel', 'forecast', 'stale-projects', 'certification-queue',
    'settings', 'snapshots'];
  let snapshotId;
  before(async () => {
    const s = await create(admin, `/api/v1/campaigns/${f.campaign.id}/snapshots`, { label: '矩阵基准' });
    snapshotId = s.id;
  });
  for (const role of ROLES) {
    const central = CENTRAL.has(role), unit = role === 'headA' || role === 'staffA';
    it(`GET the boards of a campaign as ${role} → 200`, async () => {
      for (const b of boards) expectStatus(await client(role).get(`/api/v1/campaigns/${c()}/${b}`), 200, `${role} ${b}`);
      const progress = expectStatus(await client(role).get(`/api/v1/campaigns/${c()}/progress`), 200);
      const units = new Set(progress.units.map((u) => u.unit_id));
      if (unit) assert.deepEqual([...units], [f.unitA.id]);
      else assert.ok(units.has(f.unitA.id) && units.has(f.unitB.id), JSON.stringify([...units]));
      expectStatus(await client(role).get(`/api/v1/snapshots/${snapshotId}`), 200);
    });
    it(`GET duplicates and snapshot diffs as ${role} → ${unit ? 403 : 200}`, async () => {
      expectStatus(await client(role).get(`/api/v1/campaigns/${c()}/duplicates`), unit ? 403 : 200);
      expectStatus(await client(role).get(`/api/v1/snapshots/${snapshotId}/diff`), unit ? 403 : 200);
    });
    it(`GET the score drill-down of unit A / unit B as ${role} → 200 / ${unit ? 403 : 200}`, async () => {
      expectStatus(await client(role).get(`/api/v1/campaigns/${c()}/ranking/${f.unitA.id}`), 200);
      expectStatus(await client(role).get(`/api/v1/campaigns/${c()}/ranking/${f.unitB.id}`), unit ? 403 : 200);
    });
    it(`PATCH settings as ${role} → ${central ? 200 : 403}`, async () => {
      const cur = expectStatus(await admin.get(`/api/v1/campaigns/${c()}/settings`), 200);
      const days = cur.stale_days + 1;
      const r = await client(role).patch(`/api/v1/campaigns/${c()}/settings`, { stale_days: days, version: cur.version });
      const now = expectStatus(await admin.get(`/api/v1/campaigns/${c()}/settings`), 200);
      if (central) {
        assert.equal(expectStatus(r, 200).stale_days, days);
        assert.equal(now.stale_days, days);
        assert.equal(now.version, cur.version + 1);
      } else {
        expectError(r, 403, [], 'forbidden');
        assert.deepEqual(now, cur);
      }
    });
    it(`POST a snapshot as ${role} → ${central ? 201 : 403}`, async () => {
      const before = await count(server.db, 'snapshots');
      const r = await client(role).post(`/api/v1/campaigns/${c()}/snapshots`, { label: `${role} 快照` });
      if (central) {
        expectStatus(r, 201);
        assert.equal(await count(server.db, 'snapshots'), before + 1);
      } else {
        expectError(r, 403, [], 'forbidden');
        assert.equal(await count(server.db, 'snapshots'), before);
      }
    });
    it(`POST settle-duplicate as ${role} → ${central ? 200 : 403}`, async () => {
      const other = await newProject(uniq('疑似重复'));
      const before = await sql1('SELECT COUNT(*) FROM duplicate_dismissals');
      const r = await client(role).post(`/api/v1/projects/${f.projectA.id}/settle-duplicate`, { not_duplicate_of: other.id });
      const after = await sql1('SELECT COUNT(*) FROM duplicate_dismissals');
      if (central) {
        expectStatus(r, 200);
        assert.equal(Number(after), Number(before) + 1);
      } else {
        expectError(r, 403, [], 'forbidden');
        assert.equal(after, before);
      }
      const p = expectStatus(await admin.get(`/api/v1/projects/${f.projectA.id}`), 200);
      assert.equal(p.duplicate_of, null);
    });
  }
});
