// 组织与目标: the office lowers a section's target in the decomposition tree and the
// shortfall shows as the server computes it; a unit's staff see the same pages without
// any edit button, and the API refuses them the same writes (403). The office adds an
// 经贸洽谈会 and the database holds it as typed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPage, login, shot, PHONE, horizontalOverflow } from './lib.mjs';
import { sql, sqlValue } from '../api/fixtures.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

test('the office edits a section target and the gap appears; units and events pages', async () => {
  const page = await openPage(env);
  await login(page, 'office');
  // The unit's funds target and its first section's part, from the database.
  const [unitT] = sql(env.server.db, `SELECT id, value FROM targets WHERE campaign_id = 1 AND unit_id = 1 AND scope = 'campaign' AND metric = 'funds_arrived' AND section_id IS NULL AND user_id IS NULL`);
  const [secT] = sql(env.server.db, `SELECT t.id, t.value, t.section_id FROM targets t WHERE campaign_id = 1 AND unit_id = 1 AND scope = 'campaign' AND metric = 'funds_arrived' AND section_id IS NOT NULL ORDER BY section_id LIMIT 1`);
  const secSum = Number(sqlValue(env.server.db, `SELECT sum(value) FROM targets WHERE campaign_id = 1 AND unit_id = 1 AND scope = 'campaign' AND metric = 'funds_arrived' AND section_id IS NOT NULL`));
  assert.equal(secSum, Number(unitT[1]), 'the demo decomposes the unit target exactly');
  await page.goto(page.origin + '/organisation/targets?unit_id=1');
  const tree = page.locator('[data-test=tg-tree]');
  await tree.locator(`[data-test=tg-value-s${secT[2]}]`).waitFor();
  assert.equal(await page.locator('[data-test=tg-gap]').count(), 0);
  await shot(page, 'org-targets');
  // Lower the section's part by 1,000 万元.
  await tree.locator('.el-table__row').filter({ has: page.locator(`[data-test=tg-value-s${secT[2]}]`) }).locator('[data-test=tg-edit]').click();
  const dlg = page.locator('[data-test=tg-dialog]');
  await dlg.locator('[data-test=tg-input] input').fill(String(Number(secT[1]) / 10000 - 1000));
  await dlg.locator('[data-test=tg-submit]').click();
  await dlg.waitFor({ state: 'hidden' });
  const gap = page.locator('[data-test=tg-gap]');
  await gap.first().waitFor();
  assert.equal(sqlValue(env.server.db, `SELECT value FROM targets WHERE id = ${secT[0]}`), String(Number(secT[1]) - 10000000));
  const apiGap = (await (await page.request.get(`${page.origin}/api/v1/campaigns/1/target-gaps`)).json()).items
    .find((g) => g.target_id === Number(unitT[0]));
  assert.equal(apiGap.sections_gap, 10000000);
  assert.match(await gap.first().innerText(), /差 1,000/);
  assert.equal(sqlValue(env.server.db, `SELECT count(*) FROM audit_log WHERE entity = 'targets' AND entity_id = ${secT[0]} AND action = 'update'`), '1');
  await shot(page, 'org-targets-gap');

  await page.goto(page.origin + '/organisation/units');
  await page.locator('[data-test=unit-table] .el-table__row').first().waitFor();
  assert.equal(await page.locator('[data-test=unit-table] .el-table__body-wrapper .el-table__row').count(), Number(sqlValue(env.server.db, 'SELECT count(*) FROM units')));
  assert.ok(await page.locator('[data-test=unit-new]').count() === 1);
  await shot(page, 'org-units');

  await page.goto(page.origin + '/organisation/events');
  await page.locator('[data-test=event-new]').click();
  const ev = page.locator('[data-test=event-dialog]');
  await ev.locator('input[data-test=event-name]').fill('2026年秋季经贸洽谈会');
  await ev.locator('.el-date-editor input').nth(0).fill('2026-10-20');
  await ev.locator('.el-date-editor input').nth(0).press('Enter');
  await ev.locator('.el-date-editor input').nth(1).fill('2026-10-22');
  await ev.locator('.el-date-editor input').nth(1).press('Enter');
  await ev.locator('[data-test=event-submit]').click();
  await ev.waitFor({ state: 'hidden' });
  await page.locator('[data-test=event-table]').getByText('2026年秋季经贸洽谈会').waitFor();
  assert.deepEqual(sql(env.server.db, `SELECT start_date, end_date, campaign_id FROM events WHERE name = '2026年秋季经贸洽谈会'`), [['2026-10-20', '2026-10-22', '1']]);
  await shot(page, 'org-events');
  page.check();
  await page.ctx.close();
});

test('a unit\'s staff see units and targets without edit buttons, and the API answers 403', async () => {
  const page = await openPage(env, { viewport: PHONE });
  await login(page, 'gxj.staff1');
  await page.goto(page.origin + '/organisation/units');
  await page.locator('[data-test=unit-table] .el-table__row').first().waitFor();
  assert.equal(await page.locator('[data-test=unit-new]').count(), 0);
  assert.equal(await page.locator('[data-test=unit-edit]').count(), 0);
  assert.equal(Object.values(await horizontalOverflow(page)).reduce((a, b) => a - b), 0);
  await shot(page, 'org-units-phone');
  await page.goto(page.origin + '/organisation/targets');
  await page.locator('[data-test=tg-tree] .el-table__row').first().waitFor();
  assert.equal(await page.locator('[data-test=tg-edit]').count(), 0);
  assert.equal(Object.values(await horizontalOverflow(page)).reduce((a, b) => a - b), 0);
  await shot(page, 'org-targets-phone');
  await page.goto(page.origin + '/organisation/events');
  await page.locator('[data-test=event-table] .el-table__row').first().waitFor();
  assert.equal(await page.locator('[data-test=event-new], [data-test=event-edit]').count(), 0);
  await shot(page, 'org-events-phone');
  page.check();
  await page.ctx.close();

  const staff = await env.server.login('gxj.staff1');
  const unit = (await staff.get('/api/v1/units/1')).body;
  assert.equal((await staff.patch('/api/v1/units/1', { version: unit.version, phone: '123' })).status, 403);
  const tid = Number(sqlValue(env.server.db, `SELECT id FROM targets WHERE unit_id = 1 AND section_id IS NOT NULL LIMIT 1`));
  const tg = (await staff.get(`/api/v1/targets/${tid}`)).body;
  assert.equal((await staff.patch(`/api/v1/targets/${tid}`, { version: tg.version, value: 1 })).status, 403);
  assert.equal((await staff.post('/api/v1/events', { name: 'x', start_date: '2026-10-01', end_date: '2026-10-01' })).status, 403);
});

test('the roster review: the office applies the proposals and the team holds the new members', async () => {
  const office = await env.server.login('office');
  const roster = (await office.get('/api/v1/teams/1/roster')).body;
  const adds = roster.members.filter((m) => m.proposal === 'add').map((m) => m.user_id);
  const drops = roster.members.filter((m) => m.proposal === 'drop').map((m) => m.user_id);
  assert.ok(adds.length + drops.length > 0, 'the demo proposes a change for team 1');
  const before = sql(env.server.db, 'SELECT user_id FROM team_members WHERE team_id = 1 ORDER BY user_id').map((r) => Number(r[0]));
  const page = await openPage(env);
  await login(page, 'office');
  await page.goto(page.origin + '/organisation/teams');
  await page.locator('[data-test=team-table] .el-table__row').first().locator('[data-test=team-roster]').click();
  const drawer = page.locator('[data-test=roster-drawer]');
  await drawer.locator('[data-test=roster-table] tbody tr').first().waitFor();
  assert.equal(await drawer.locator('[data-test=roster-table] tbody tr').count(), roster.members.length);
  await shot(page, 'org-teams-roster');
  await drawer.locator('[data-test=roster-apply]').click();
  await page.locator('.el-message-box .el-button--primary').click();
  await page.getByText('已保存').first().waitFor();
  const after = sql(env.server.db, 'SELECT user_id FROM team_members WHERE team_id = 1 ORDER BY user_id').map((r) => Number(r[0]));
  assert.deepEqual(after, [...new Set([...before.filter((u) => !drops.includes(u)), ...adds])].sort((a, b) => a - b));
  assert.equal(sqlValue(env.server.db, `SELECT count(*) FROM audit_log WHERE entity = 'teams' AND entity_id = 1 AND action = 'update'`), '1');
  page.check();
  await page.ctx.close();

  // Staff read the review but cannot apply it.
  const staff = await openPage(env, { viewport: PHONE });
  await login(staff, 'gxj.staff1');
  await staff.goto(staff.origin + '/organisation/teams');
  await staff.locator('[data-test=team-roster]').first().click();
  await staff.locator('[data-test=roster-table] tbody tr').first().waitFor();
  assert.equal(await staff.locator('[data-test=roster-apply]').count(), 0);
  assert.equal(Object.values(await horizontalOverflow(staff)).reduce((a, b) => a - b), 0);
  await shot(staff, 'org-teams-phone');
  staff.check();
  await staff.ctx.close();
});
