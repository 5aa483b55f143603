// References respect read scope (R-ROLE-1, R-SEC-2): a unit user who cannot read another
// unit's investor (404) cannot attach it by id either, nor that unit's people as the
// responsible person or the lead's source, nor its project as the one reinvested in. A
// follow-up's participants are the people of the project's own units (lead or co-owning)
// or of the city. The answer is 400 naming the field, the same as for an id that
// does not exist, and nothing is written. Public records (events, units) stay referable.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib.mjs';
import { buildCity, create, count, sql, expectStatus, expectError, TODAY } from './fixture_units.mjs';

let server, f, admin, staffA;

before(async () => {
  server = await startServer({ env: { HUIZHAN_TODAY: TODAY } });
  f = await buildCity(server);
  admin = f.admin;
  staffA = f.clients.staffA;
});
after(async () => { await server.stop(); });

const newProject = (extra) => staffA.post('/api/v1/projects', {
  campaign_id: f.campaign.id, name: '引用测试项目', category: 'industrial', method: 'industry', lead_date: '2026-08-01', ...extra,
});

describe('a unit user references only what it may read', () => {
  it('another unit\'s investor: 404 to read, 400 to attach (create and update)', async () => {
    expectStatus(await staffA.get(`/api/v1/investors/${f.investorB.id}`), 404);
    const projects = await count(server.db, 'projects');
    const audits = await count(server.db, 'audit_log');
    const err = expectError(await newProject({ investor_id: f.investorB.id }), 400, ['investor_id'], 'validation_failed');
    assert.equal(err.fields.investor_id, '引用的记录不存在或无权查看');
    // Exactly the answer for an investor that does not exist: the id's existence is not given away.
    const missing = expectError(await newProject({ investor_id: 999999 }), 400, ['investor_id']);
    assert.deepEqual(missing, err);
    const p = expectStatus(await staffA.get(`/api/v1/projects/${f.projectA.id}`), 200);
    expectError(await staffA.patch(`/api/v1/projects/${f.projectA.id}`, { version: p.version, investor_id: f.investorB.id }),
      400, ['investor_id']);
    assert.equal(await count(server.db, 'projects'), projects);
    assert.equal(await count(server.db, 'audit_log'), audits);
    assert.equal(await sql(server.db, `SELECT investor_id FROM projects WHERE id = ${f.projectA.id}`), String(f.investorA.id));
  });

  it('another unit\'s people: responsible person, lead source, participants on a project it does not own', async () => {
    expectStatus(await staffA.get(`/api/v1/users/${f.users.headB.id}`), 404);
    expectError(await newProject({ responsible_user_id: f.users.headB.id }), 400, ['responsible_user_id']);
    expectError(await newProject({ source_user_id: f.users.staffB.id }), 400, ['source_user_id']);
    // The office is not in the unit's scope either.
    expectError(await newProject({ responsible_user_id: f.users.office.id }), 400, ['responsible_user_id']);
    const followUps = await count(server.db, 'follow_ups');
    expectError(await staffA.post(`/api/v1/projects/${f.projectA.id}/follow-ups`, {
      date: '2026-10-01', kind: 'meeting', summary: '联合洽谈', participant_user_ids: [f.users.headA.id, f.users.staffB.id],
    }), 400, ['participant_user_ids']);
    assert.equal(await count(server.db, 'follow_ups'), followUps);
    // On a project B co-owns (joint promotion), B's head and the office may come along.
    const joint = await create(staffA, `/api/v1/projects/${f.projectAB.id}/follow-ups`, {
      date: '2026-10-01', kind: 'meeting', summary: '两局联合拜访', participant_user_ids: [f.users.headB.id, f.users.office.id],
    });
    assert.deepEqual(joint.participant_user_ids, [f.users.office.id, f.users.headB.id].sort((x, y) => x - y));
  });

  it('another unit\'s project as the one reinvested in', async () => {
    expectStatus(await staffA.get(`/api/v1/projects/${f.projectB.id}`), 404);
    expectError(await newProject({ reinvestment_of: f.projectB.id }), 400, ['reinvestment_of']);
  });

  it('a co-owning unit edits a joint project and keeps the lead unit\'s references it cannot read', async () => {
    // The office gives the joint project (led by A, co-owned by B) A's investor and A's staff as the responsible person.
    let p = expectStatus(await admin.get(`/api/v1/projects/${f.projectAB.id}`), 200);
    p = expectStatus(await admin.patch(`/api/v1/projects/${p.id}`,
      { version: p.version, investor_id: f.investorA.id, responsible_user_id: f.users.staffA.id }), 200);
    const staffB = f.clients.staffB;
    expectStatus(await staffB.get(`/api/v1/investors/${f.investorA.id}`), 404);
    // B's form sends the references back unchanged with its edit: accepted.
    const edited = expectStatus(await staffB.patch(`/api/v1/projects/${p.id}`, {
      version: p.version, name: '联合招商产业园（一期）', investor_id: f.investorA.id, responsible_user_id: f.users.staffA.id,
    }), 200);
    assert.deepEqual([edited.name, edited.investor_id, edited.responsible_user_id], ['联合招商产业园（一期）', f.investorA.id, f.users.staffA.id]);
    // Changing one to another of A's people it cannot read is still refused.
    expectError(await staffB.patch(`/api/v1/projects/${p.id}`, { version: edited.version, responsible_user_id: f.users.headA.id }),
      400, ['responsible_user_id']);
    assert.equal(await sql(server.db, `SELECT responsible_user_id FROM projects WHERE id = ${p.id}`), String(f.users.staffA.id));
  });

  it('its own records and public ones stay referable', async () => {
    const p = expectStatus(await newProject({
      investor_id: f.investorA.id, responsible_user_id: f.users.staffA.id, source_user_id: f.users.headA.id,
      event_id: f.event.id, co_unit_ids: [f.unitB.id],
    }), 201);
    assert.deepEqual([p.investor_id, p.responsible_user_id, p.event_id, p.co_unit_ids],
      [f.investorA.id, f.users.staffA.id, f.event.id, [f.unitB.id]]);
    await create(staffA, `/api/v1/projects/${f.projectA.id}/follow-ups`, {
      date: '2026-10-01', kind: 'meeting', summary: '局内洽谈', participant_user_ids: [f.users.headA.id],
    });
    // The office reads every unit, so it may attach any investor.
    const q = await create(admin, '/api/v1/projects', {
      campaign_id: f.campaign.id, name: '办公室登记项目', lead_unit_id: f.unitA.id, category: 'industrial', method: 'industry',
      investor_id: f.investorB.id, responsible_user_id: f.users.headB.id,
    });
    assert.equal(q.investor_id, f.investorB.id);
  });
});
