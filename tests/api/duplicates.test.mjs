// Once-only counting across units (R-PROG-10, docs/figures.md "Duplicates"): each unit sees
// only the investors it registered, so one company is often entered twice. Two claims are
// flagged when their investors are the same record or two enterprises whose names agree
// after folding full-width forms, dropping spaces and punctuation and the legal-form
// suffixes (股份有限公司, 有限责任公司, 有限公司, 公司, 集团, 股份), and the project names look alike.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib.mjs';
import { create, expectStatus } from './fixture_units.mjs';

const PASSWORD = 'dup-pass-2026';
let server;
let office;
let c;
const p = {};

before(async () => {
  server = await startServer({ env: { HUIZHAN_TODAY: '2026-10-15' } });
  const admin = await server.admin();
  const u1 = await create(admin, '/api/v1/units', { name: '市工业和信息化局', category: 'industry' });
  const u2 = await create(admin, '/api/v1/units', { name: '市商务局', category: 'industry' });
  for (const [login, role, unit_id] of [['office1', 'office'], ['staff1', 'unit_staff', u1.id], ['staff2', 'unit_staff', u2.id]]) {
    await create(admin, '/api/v1/users', { login, name: login, role, password: PASSWORD, ...(unit_id ? { unit_id } : {}) });
  }
  office = await server.login('office1', PASSWORD);
  const staff1 = await server.login('staff1', PASSWORD);
  const staff2 = await server.login('staff2', PASSWORD);
  c = (await create(admin, '/api/v1/campaigns', { name: '2026 会战（重复测试）', start_date: '2026-08-01' })).id;
  // Each unit registers the investors it meets, unaware of the other's records.
  const investor = (client, name, kind = 'enterprise') => create(client, '/api/v1/investors', { name, kind, origin: 'out_of_province' });
  const project = async (key, client, name, inv) => {
    p[key] = (await create(client, '/api/v1/projects', {
      campaign_id: c, name, category: 'industrial', method: 'industry', lead_date: '2026-08-10', investor_id: inv.id,
    })).id;
  };
  // Full-width letters, a space and 有限公司 against half-width, （集团）and 有限公司: key "hc智能装备".
  await project('a1', staff1, '华创智能装备产业园项目', await investor(staff1, 'ＨＣ智能装备 有限公司'));
  await project('a2', staff2, '华创智能装备产业园', await investor(staff2, 'hc智能装备（集团）有限公司'));
  // 股份有限公司 against 有限责任公司: key "华创新材料".
  await project('b1', staff1, '华创新材料基地', await investor(staff1, '华创新材料股份有限公司'));
  await project('b2', staff2, '华创新材料生产基地', await investor(staff2, '华创新材料有限责任公司'));
  // Same company, unlike project names (Dice 0 < 0.5): not a claim on the same project.
  await project('c2', staff2, '物流仓储中心', await investor(staff2, '华创新材料集团'));
  // Two people of one name are not one investor.
  await project('d1', staff1, '个人投资农庄项目', await investor(staff1, '张伟', 'person'));
  await project('d2', staff2, '个人投资农庄', await investor(staff2, '张伟', 'person'));
});
after(async () => { await server.stop(); });

const candidates = async () => expectStatus(await office.get(`/api/v1/campaigns/${c}/duplicates`), 200).items
  .map((x) => [x.a.id, x.b.id, x.match, x.similarity]);

test('two separately registered investors of one company, in two units, are flagged', async () => {
  // a1/a2: without 项目 the names are equal, similarity 1.
  // b1/b2: 华创新材料基地 has 6 bigrams, 华创新材料生产基地 8; common 华创 创新 新材 材料 基地 = 5;
  //        Dice = 2×5 / (6+8) = 0.714 → 0.71.
  assert.deepEqual(await candidates(), [
    [p.a1, p.a2, 'investor_name', 1],
    [p.b1, p.b2, 'investor_name', 0.71],
  ]);
  const item = expectStatus(await office.get(`/api/v1/campaigns/${c}/duplicates`), 200).items[0];
  assert.equal(item.a.investor_name, 'ＨＣ智能装备 有限公司');
  assert.equal(item.b.investor_name, 'hc智能装备（集团）有限公司');
});

test('the office settles one pair as a duplicate and dismisses the other', async () => {
  expectStatus(await office.post(`/api/v1/projects/${p.a2}/settle-duplicate`, { duplicate_of: p.a1 }), 200);
  assert.deepEqual(await candidates(), [[p.b1, p.b2, 'investor_name', 0.71]]);
  expectStatus(await office.post(`/api/v1/projects/${p.b2}/settle-duplicate`, { not_duplicate_of: p.b1 }), 200);
  assert.deepEqual(await candidates(), []);
});
