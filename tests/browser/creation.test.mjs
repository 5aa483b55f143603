// The office's creation screens (issue 11): checkpoints (考核节点), the sections (科室) of a
// unit, campaigns and teams are created, edited and deleted in the UI; each write is
// cross-checked in the database with the sqlite3 CLI, and the API's field errors show
// under the field they name. A unit's staff see none of these buttons.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPage, login, shot, PHONE, horizontalOverflow, fillDate, pickOption, submitForm } from './lib.mjs';
import { sql, sqlValue } from '../api/fixtures.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

/** The error text Element Plus shows under the form item holding `inner`. */
function fieldError(scope, inner) {
  return scope.locator('.el-form-item').filter({ has: scope.page().locator(inner) }).locator('.el-form-item__error');
}

test('the office creates, edits and deletes a checkpoint; a date outside the campaign is refused under the date field', async () => {
  const page = await openPage(env);
  await login(page, 'office');
  const [[start, end]] = sql(env.server.db, 'SELECT start_date, end_date FROM campaigns WHERE id = 1');
  const before = Number(sqlValue(env.server.db, 'SELECT count(*) FROM checkpoints WHERE campaign_id = 1'));
  await page.goto(page.origin + '/checkpoints');
  await page.locator('[data-test=checkpoints-table] .el-table__body-wrapper .el-table__row').first().waitFor();
  assert.equal(await page.locator('[data-test=checkpoints-table] .el-table__body-wrapper .el-table__row').count(), before);

  await page.locator('[data-test=cp-new]').click();
  const dlg = page.locator('[data-test=cp-dialog]');
  await dlg.locator('input[data-test=cp-name]').fill('11月中旬节点考核');
  await dlg.locator('[data-test=cp-kind]').click();
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '其他' }).click();
  await fillDate(dlg.locator('[data-test=cp-date]'), '2027-06-30'); // after the campaign's end
  await dlg.locator('[data-test=cp-submit]').click();
  const err = fieldError(dlg, '[data-test=cp-date]');
  await err.waitFor();
  assert.match(await err.innerText(), /会战起止日期/);
  assert.ok(end < '2027-06-30');
  assert.equal(sqlValue(env.server.db, `SELECT count(*) FROM checkpoints WHERE name = '11月中旬节点考核'`), '0');
  await shot(page, 'checkpoint-date-error');

  await fillDate(dlg.locator('[data-test=cp-date]'), '2026-11-15');
  await dlg.locator('[data-test=cp-submit]').click();
  await dlg.waitFor({ state: 'hidden' });
  await page.locator('[data-test=checkpoints-table]').getByText('11月中旬节点考核').waitFor();
  const [[id, kind, date, campaign]] = sql(env.server.db, `SELECT id, kind, date, campaign_id FROM checkpoints WHERE name = '11月中旬节点考核'`);
  assert.deepEqual([kind, date, campaign], ['other', '2026-11-15', '1']);
  assert.ok(start <= date && date <= end);
  assert.equal(sqlValue(env.server.db, `SELECT count(*) FROM audit_log WHERE entity = 'checkpoints' AND entity_id = ${id} AND action = 'create'`), '1');
  await shot(page, 'checkpoint-created');

  // Renamed and moved: the PATCH carries the version and the row changes.
  await page.locator(`[data-test=cp-edit-${id}]`).click();
  await dlg.locator('input[data-test=cp-name]').fill('11月中旬节点考核（调整）');
  await fillDate(dlg.locator('[data-test=cp-date]'), '2026-11-16');
  await dlg.locator('[data-test=cp-submit]').click();
  await dlg.waitFor({ state: 'hidden' });
  await page.locator('[data-test=checkpoints-table]').getByText('11月中旬节点考核（调整）').waitFor();
  assert.deepEqual(sql(env.server.db, `SELECT name, date, version FROM checkpoints WHERE id = ${id}`), [['11月中旬节点考核（调整）', '2026-11-16', '2']]);

  // Deleted after a confirmation.
  await page.locator(`[data-test=cp-delete-${id}]`).click();
  await page.locator('.el-message-box__btns .el-button--primary').click();
  await page.locator('[data-test=checkpoints-table]').getByText('11月中旬节点考核（调整）').waitFor({ state: 'detached' });
  assert.equal(sqlValue(env.server.db, `SELECT count(*) FROM checkpoints WHERE id = ${id}`), '0');
  assert.equal(sqlValue(env.server.db, `SELECT count(*) FROM audit_log WHERE entity = 'checkpoints' AND entity_id = ${id} AND action = 'delete'`), '1');
  // The one failed request the browser logs is the refused date (400).
  assert.deepEqual(page.problems.filter((x) => !/status of 400/.test(x)), []);
  assert.equal(page.problems.length, 1, page.problems.join('\n'));
});

test('the office adds a section to a unit, a duplicate name is refused under the field, and the target tree shows the new section', async () => {
  const page = await openPage(env);
  await login(page, 'office');
  const [[unitId, unitName]] = sql(env.server.db, 'SELECT id, name FROM units ORDER BY id LIMIT 1');
  const existing = sqlValue(env.server.db, `SELECT name FROM sections WHERE unit_id = ${unitId} ORDER BY id LIMIT 1`);
  const count = Number(sqlValue(env.server.db, `SELECT count(*) FROM sections WHERE unit_id = ${unitId}`));
  await page.goto(page.origin + '/organisation/units');
  await page.locator(`[data-test=unit-sections-${unitId}]`).click();
  const drawer = page.locator('[data-test=sections-drawer]');
  await drawer.locator('[data-test=section-table] .el-table__body-wrapper .el-table__row').first().waitFor();
  assert.equal(await drawer.locator('[data-test=section-table] .el-table__body-wrapper .el-table__row').count(), count);
  assert.match(await drawer.locator('.el-drawer__title').innerText(), new RegExp(unitName));

  // The name another section of the unit has: the API's conflict names the field.
  await drawer.locator('input[data-test=section-name]').fill(existing);
  await drawer.locator('[data-test=section-submit]').click();
  const err = fieldError(drawer, '[data-test=section-name]');
  await err.waitFor();
  assert.match(await err.innerText(), /已存在相同名称的科室/);
  assert.equal(Number(sqlValue(env.server.db, `SELECT count(*) FROM sections WHERE unit_id = ${unitId}`)), count);
  await shot(page, 'section-duplicate-error');

  await drawer.locator('input[data-test=section-name]').fill('招商服务科');
  await drawer.locator('[data-test=section-submit]').click();
  await drawer.locator('[data-test=section-table]').getByText('招商服务科').waitFor();
  const secId = sqlValue(env.server.db, `SELECT id FROM sections WHERE unit_id = ${unitId} AND name = '招商服务科'`);
  assert.ok(Number(secId) > 0);
  assert.equal(sqlValue(env.server.db, `SELECT count(*) FROM audit_log WHERE entity = 'sections' AND entity_id = ${secId} AND action = 'create'`), '1');
  // Renamed in place.
  await drawer.locator(`[data-test=section-edit-${secId}]`).click();
  await drawer.locator('input[data-test=section-name]').fill('招商服务与项目科');
  await drawer.locator('[data-test=section-submit]').click();
  await drawer.locator('[data-test=section-table]').getByText('招商服务与项目科').waitFor();
  assert.deepEqual(sql(env.server.db, `SELECT name, version FROM sections WHERE id = ${secId}`), [['招商服务与项目科', '2']]);
  await shot(page, 'sections-drawer');
  await drawer.locator('.el-drawer__close-btn').click();

  // The decomposition tree (unit → section → person) has the new section, with no target yet,
  // and the office sets its target there.
  await page.goto(page.origin + `/organisation/targets?unit_id=${unitId}`);
  const cell = page.locator(`[data-test=tg-value-s${secId}]`);
  await cell.waitFor();
  assert.equal((await cell.innerText()).trim(), '—');
  await page.locator('[data-test=tg-tree] .el-table__row').filter({ has: cell }).locator('[data-test=tg-edit]').click();
  const tg = page.locator('[data-test=tg-dialog]');
  await tg.locator('[data-test=tg-input] input').fill('500');
  await tg.locator('[data-test=tg-submit]').click();
  await tg.waitFor({ state: 'hidden' });
  await page.locator(`[data-test=tg-value-s${secId}]`).filter({ hasText: '500' }).waitFor();
  assert.equal(sqlValue(env.server.db, `SELECT value FROM targets WHERE section_id = ${secId} AND metric = 'funds_arrived' AND scope = 'campaign'`), '5000000');
  await shot(page, 'targets-new-section');

  // A section that holds a target cannot be deleted: the API's reason shows, the row stays.
  await page.locator('[data-test=tg-sections]').click();
  await drawer.locator(`[data-test=section-delete-${secId}]`).click();
  await page.locator('.el-message-box__btns .el-button--primary').click();
  await page.locator('.el-message--error').waitFor();
  assert.equal(sqlValue(env.server.db, `SELECT count(*) FROM sections WHERE id = ${secId}`), '1');
  // The failed requests the browser logs: the duplicate name and the refused delete (409 each).
  assert.deepEqual(page.problems.filter((x) => !/status of 409/.test(x)), []);
  assert.equal(page.problems.length, 2, page.problems.join('\n'));
});

test('the office creates a campaign and a team; a unit\'s staff see no creation buttons and the API refuses them', async () => {
  const page = await openPage(env);
  await login(page, 'office');
  await page.goto(page.origin + '/organisation/campaigns');
  await page.locator('[data-test=campaign-table] .el-table__row').first().waitFor();
  await page.locator('[data-test=campaign-new]').click();
  const dlg = page.locator('[data-test=campaign-dialog]');
  await dlg.locator('[data-test=campaign-submit]').click(); // empty: the name and the start are required
  await fieldError(dlg, 'input[data-test=campaign-name]').waitFor();
  assert.match(await fieldError(dlg, 'input[data-test=campaign-name]').innerText(), /不能为空/);
  await dlg.locator('input[data-test=campaign-name]').fill('2027年春季招商引资百日会战');
  await fillDate(dlg.locator('[data-test=campaign-start]'), '2027-03-01');
  await fillDate(dlg.locator('[data-test=campaign-end]'), '2027-06-08');
  await dlg.locator('[data-test=campaign-submit]').click();
  await dlg.waitFor({ state: 'hidden' });
  await page.locator('[data-test=campaign-table]').getByText('2027年春季招商引资百日会战').waitFor();
  assert.deepEqual(sql(env.server.db, `SELECT year, start_date, end_date, status FROM campaigns WHERE name = '2027年春季招商引资百日会战'`), [['2027', '2027-03-01', '2027-06-08', 'draft']]);
  await shot(page, 'campaigns');

  const before = Number(sqlValue(env.server.db, 'SELECT count(*) FROM teams WHERE campaign_id = 1 AND unit_id = 2'));
  await page.goto(page.origin + '/organisation/teams');
  await page.locator('[data-test=team-new]').click();
  const td = page.locator('[data-test=team-dialog]');
  const unit2 = sqlValue(env.server.db, 'SELECT name FROM units WHERE id = 2');
  // the pick has landed in the select (and its list closed) before the form is sent
  await pickOption(td.locator('[data-test=team-unit]'), unit2);
  await td.locator('input[data-test=team-name]').fill('发改委重点产业小分队');
  // a refusal or a click that sent nothing fails with the answer and the dialog's text
  await submitForm(td.locator('[data-test=team-submit]'), { path: /^\/api\/v1\/teams$/, dialog: td, name: 'team-dialog-stayed-open' });
  await td.waitFor({ state: 'hidden' });
  assert.equal(Number(sqlValue(env.server.db, 'SELECT count(*) FROM teams WHERE campaign_id = 1 AND unit_id = 2')), before + 1);
  assert.equal(sqlValue(env.server.db, `SELECT unit_id FROM teams WHERE name = '发改委重点产业小分队'`), '2');
  assert.deepEqual(page.problems.filter((x) => !/status of 400/.test(x)), []);
  assert.equal(page.problems.length, 1, page.problems.join('\n')); // the empty campaign form

  const staff = await openPage(env, { viewport: PHONE });
  await login(staff, 'gxj.staff1');
  await staff.goto(staff.origin + '/checkpoints');
  await staff.locator('[data-test=checkpoints-table] .el-table__row').first().waitFor();
  assert.equal(await staff.locator('[data-test=cp-new]').count(), 0);
  assert.equal(await staff.locator('[data-test^=cp-edit-]').count(), 0);
  const o = await horizontalOverflow(staff);
  assert.ok(o.scrollWidth <= o.clientWidth, `no sideways scroll at 390 px (${o.scrollWidth} > ${o.clientWidth})`);
  await shot(staff, 'checkpoints-staff-phone');
  await staff.goto(staff.origin + '/organisation/units');
  await staff.locator('[data-test=unit-sections-1]').click();
  await staff.locator('[data-test=section-table]').waitFor();
  assert.equal(await staff.locator('[data-test=section-form]').count(), 0);
  await staff.goto(staff.origin + '/organisation/campaigns');
  await staff.locator('[data-test=forbidden]').waitFor();
  const me = await (await staff.request.get(`${staff.origin}/api/v1/me`)).json();
  const r = await staff.request.post(`${staff.origin}/api/v1/units/1/sections`, { data: { name: '越权科' }, headers: { 'X-CSRF-Token': me.csrf_token } });
  assert.equal(r.status(), 403);
  assert.equal(sqlValue(env.server.db, `SELECT count(*) FROM sections WHERE name = '越权科'`), '0');
  staff.check();
});

test('the investors page: staff add an investor (a missing name is refused under the field), find it by the search form and correct it', async () => {
  const page = await openPage(env);
  await login(page, 'gxj.staff1');
  await page.goto(page.origin + '/investors');
  const rows = page.locator('[data-test=investor-table] .el-table__body-wrapper .el-table__row');
  await rows.first().waitFor();
  // A unit's staff see their own unit's investors.
  const total = Number(sqlValue(env.server.db, `SELECT count(*) FROM investors WHERE unit_id = (SELECT unit_id FROM users WHERE login = 'gxj.staff1')`));
  assert.ok(total > 0 && total < Number(sqlValue(env.server.db, 'SELECT count(*) FROM investors')));
  assert.match(await page.locator('[data-test=list-total]').innerText(), new RegExp(`\\b${total}\\b`));
  await page.locator('[data-test=inv-new]').click();
  const dlg = page.locator('[data-test=inv-dialog]');
  await dlg.locator('[data-test=inv-submit]').click();
  const err = fieldError(dlg, 'input[data-test=inv-name]');
  await err.waitFor();
  assert.match(await err.innerText(), /不能为空/);
  await dlg.locator('input[data-test=inv-name]').fill('苏州恒瑞精密机械有限公司');
  await dlg.locator('[data-test=inv-submit]').click();
  await dlg.waitFor({ state: 'hidden' });
  const [[id, kind, origin, unit]] = sql(env.server.db, `SELECT id, kind, origin, unit_id FROM investors WHERE name = '苏州恒瑞精密机械有限公司'`);
  assert.deepEqual([kind, origin, unit], ['enterprise', 'out_of_province', sqlValue(env.server.db, `SELECT unit_id FROM users WHERE login = 'gxj.staff1'`)]);
  await page.locator('[data-test=inv-q]').fill('恒瑞精密');
  await page.locator('[data-test=inv-q]').press('Enter');
  await page.locator('[data-test=list-total]').filter({ hasText: /\b1\b/ }).waitFor();
  assert.equal(await rows.count(), 1);
  await page.locator(`[data-test=inv-edit-${id}]`).click();
  await dlg.locator('input[data-test=inv-name]').fill('苏州恒瑞精密机械股份有限公司');
  await dlg.locator('[data-test=inv-submit]').click();
  await dlg.waitFor({ state: 'hidden' });
  assert.deepEqual(sql(env.server.db, `SELECT name, version FROM investors WHERE id = ${id}`), [['苏州恒瑞精密机械股份有限公司', '2']]);
  await shot(page, 'investors');
  assert.deepEqual(page.problems.filter((x) => !/status of 400/.test(x)), []);
  assert.equal(page.problems.length, 1, page.problems.join('\n'));
});
