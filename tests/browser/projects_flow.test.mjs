// A unit's staff member registers a project through the form and adds a follow-up: the
// database holds exactly what was typed (raw SQL), and the audit log has both creations.
// An edit that crosses someone else's change shows "已被他人修改，请刷新"; a fund arrives
// with its voucher. The kanban counts each stage as the API's totals do; the office sees
// the project's history tab, the staff do not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPage, login, shot, PHONE, horizontalOverflow, pickOption, submitForm } from './lib.mjs';
import { PDF, sql, sqlValue } from '../api/fixtures.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

/** Picks the option labelled `label` in the el-select inside `scope` marked data-test=`dt` (lib.mjs pickOption). */
async function pick(page, scope, dt, label) {
  await pickOption(scope.locator(`[data-test=${dt}]`), label);
}
const STAGES = ['lead', 'negotiating', 'signed', 'started', 'completed', 'dropped'];

test('staff create a project and a follow-up through the UI; the database and the audit log hold them', async () => {
  const page = await openPage(env);
  await login(page, 'gxj.staff1');
  const me = await (await page.request.get(page.origin + '/api/v1/me')).json();
  const today = (await (await page.request.get(page.origin + '/health')).json()).today;

  await page.goto(page.origin + '/projects');
  await page.locator('[data-test=project-table] .el-table__row').first().waitFor();
  await page.locator('[data-test=new-project]').click();
  const form = page.locator('[data-test=project-form]');
  await form.locator('input[data-test=pf-name]').waitFor().catch(async (e) => { await shot(page, 'debug-form', { failure: true }); throw e; });
  // Nothing filled: the server names the missing fields under them.
  await form.locator('[data-test=pf-submit]').click();
  const nameErr = form.locator('.el-form-item').filter({ hasText: '项目名称' }).locator('.el-form-item__error');
  await nameErr.waitFor();
  assert.equal((await nameErr.innerText()).trim(), '不能为空');
  for (const label of ['类别', '招商方式']) {
    assert.equal((await form.locator('.el-form-item').filter({ hasText: label }).locator('.el-form-item__error').innerText()).trim(), '必填', label);
  }
  await shot(page, 'project-form-errors');

  await form.locator('input[data-test=pf-name]').fill('浏览器测试年产5万吨新材料项目');
  await pick(page, form, 'pf-category', '工业项目');
  await pick(page, form, 'pf-method', '以商招商');
  await form.locator('[data-test=pf-planned] input').fill('2345.67');
  await form.locator('textarea[data-test=pf-description]').fill('由测试新材料公司投资，选址经开区。');
  // The investor is created on the spot and chosen.
  await form.locator('[data-test=pf-investor-new]').click();
  const quick = form.locator('[data-test=investor-quick]');
  await quick.locator('input[data-test=inv-name]').fill('测试新材料有限公司');
  await pick(page, quick, 'inv-kind', '企业');
  await pick(page, quick, 'inv-origin', '省外');
  await quick.locator('[data-test=inv-save]').click();
  await quick.waitFor({ state: 'hidden' });
  assert.match(await form.locator('[data-test=pf-investor]').innerText(), /测试新材料有限公司/);
  await shot(page, 'project-form');
  // the POST is answered 201 (else its answer and the form's text say why), then the page moves
  await submitForm(form.locator('[data-test=pf-submit]'), { path: /^\/api\/v1\/projects$/, dialog: form, name: 'project-form-not-saved' });
  await page.waitForURL(/\/projects\/\d+$/);
  const id = Number(page.url().match(/\/projects\/(\d+)$/)[1]);
  await page.locator('[data-test=project-detail] .page-title').filter({ hasText: '浏览器测试年产5万吨新材料项目' }).waitFor();

  const [row] = sql(env.server.db, `SELECT name, lead_unit_id, category, method, planned_investment, description, lead_date, stage, campaign_id, source_user_id,
    (SELECT name || '/' || kind || '/' || origin || '/' || unit_id FROM investors WHERE id = investor_id) FROM projects WHERE id = ${id}`);
  assert.deepEqual(row, ['浏览器测试年产5万吨新材料项目', String(me.unit_id), 'industrial', 'business_led', '23456700',
    '由测试新材料公司投资，选址经开区。', today, 'lead', '1', String(me.id), `测试新材料有限公司/enterprise/out_of_province/${me.unit_id}`]);

  // A follow-up from the detail page.
  await page.locator('.el-tabs__item', { hasText: '跟踪洽谈' }).click();
  await page.locator('[data-test=add-follow-up]').click();
  const fu = page.locator('[data-test=follow-up-dialog]');
  await pick(page, fu, 'fu-kind', '会谈');
  await fu.locator('textarea[data-test=fu-summary]').fill('与客商洽谈用地与能耗指标，客商同意下月来访。');
  await fu.locator('input[data-test=fu-next]').fill('安排实地考察');
  await shot(page, 'follow-up-dialog');
  await fu.locator('[data-test=fu-submit]').click();
  await fu.waitFor({ state: 'hidden' });
  await page.getByText('与客商洽谈用地与能耗指标，客商同意下月来访。').waitFor();
  await shot(page, 'project-detail-follow-up');
  const fus = sql(env.server.db, `SELECT id, date, kind, summary, next_step, unit_id, created_by FROM follow_ups WHERE project_id = ${id}`);
  assert.equal(fus.length, 1);
  assert.deepEqual(fus[0].slice(1), [today, 'meeting', '与客商洽谈用地与能耗指标，客商同意下月来访。', '安排实地考察', String(me.unit_id), String(me.id)]);

  // The audit log has both creations, by this user.
  assert.equal(sqlValue(env.server.db, `SELECT count(*) FROM audit_log WHERE entity = 'projects' AND entity_id = ${id} AND action = 'create' AND user_id = ${me.id}`), '1');
  assert.equal(sqlValue(env.server.db, `SELECT count(*) FROM audit_log WHERE entity = 'follow-ups' AND entity_id = ${fus[0][0]} AND action = 'create' AND user_id = ${me.id}`), '1');
  // Staff may not read the audit: no history tab.
  assert.equal(await page.locator('.el-tabs__item', { hasText: '变更历史' }).count(), 0);

  // An edit crossing someone else's change is refused with the words a clerk understands.
  await page.locator('[data-test=edit-project]').click();
  const edit = page.locator('[data-test=project-form]');
  await edit.locator('input[data-test=pf-name]').waitFor();
  const other = await env.server.login('gxj.staff2');
  const cur = (await other.get(`/api/v1/projects/${id}`)).body;
  assert.equal((await other.patch(`/api/v1/projects/${id}`, { version: cur.version, description: '另一位同事改过' })).status, 200);
  await edit.locator('[data-test=pf-planned] input').fill('3000');
  await edit.locator('[data-test=pf-submit]').click();
  await edit.locator('[data-test=pf-error]').filter({ hasText: '已被他人修改，请刷新' }).waitFor();
  assert.equal(sqlValue(env.server.db, `SELECT planned_investment FROM projects WHERE id = ${id}`), '23456700');
  await shot(page, 'project-edit-conflict');
  await edit.locator('.el-dialog__footer button').first().click();
  // After a refresh the same edit goes through.
  await page.reload();
  await page.locator('[data-test=edit-project]').click();
  await edit.locator('[data-test=pf-planned] input').fill('3000');
  await edit.locator('[data-test=pf-submit]').click();
  await edit.waitFor({ state: 'hidden' });
  assert.deepEqual(sql(env.server.db, `SELECT planned_investment, description FROM projects WHERE id = ${id}`)[0], ['30000000', '另一位同事改过']);
  assert.equal(page.problems.filter((x) => !/status of (400|409)/.test(x)).length, 0, page.problems.join('\n'));
  assert.equal(page.problems.length, 2, page.problems.join('\n')); // the empty form (400) and the crossed edit (409)
  await page.ctx.close();

  // The office sees the project's history: the creation and the two edits.
  const desk = await openPage(env);
  await login(desk, 'office');
  await desk.goto(`${desk.origin}/projects/${id}`);
  await desk.locator('.el-tabs__item', { hasText: '变更历史' }).click();
  const hist = desk.locator('[data-test=audit-history] .el-timeline-item');
  await hist.first().waitFor();
  assert.equal(await hist.count(), Number(sqlValue(env.server.db, `SELECT count(*) FROM audit_log WHERE entity = 'projects' AND entity_id = ${id}`)));
  assert.match(await desk.locator('[data-test=audit-history]').innerText(), /计划投资：2,345\.67万元 → 3,000万元/);
  await shot(desk, 'project-history');
  desk.check();
  await desk.ctx.close();
});

test('a fund arrival with its voucher, recorded from the project page', async () => {
  const page = await openPage(env);
  await login(page, 'gxj.staff1');
  const me = await (await page.request.get(page.origin + '/api/v1/me')).json();
  const p = (await (await page.request.get(`${page.origin}/api/v1/projects?stage=signed&lead_unit_id=${me.unit_id}&limit=1`)).json()).items[0];
  assert.ok(p, 'a signed project of the unit');
  const before = Number(sqlValue(env.server.db, `SELECT count(*) FROM funds WHERE project_id = ${p.id}`));
  await page.goto(`${page.origin}/projects/${p.id}`);
  await page.locator('.el-tabs__item', { hasText: '到账资金' }).click();
  await page.locator('[data-test=add-fund]').click();
  const dlg = page.locator('[data-test=fund-dialog]');
  await dlg.locator('[data-test=fd-amount] input').fill('88.5');
  await pick(page, dlg, 'fd-kind', '省外资金');
  await dlg.locator('input[type=file]').setInputFiles({ name: '银行进账单.pdf', mimeType: 'application/pdf', buffer: PDF });
  await shot(page, 'fund-dialog');
  await dlg.locator('[data-test=fd-submit]').click();
  await dlg.waitFor({ state: 'hidden' });
  await page.getByText('银行进账单.pdf').waitFor();
  const [f] = sql(env.server.db, `SELECT id, amount, kind, status, unit_id FROM funds WHERE project_id = ${p.id} ORDER BY id DESC LIMIT 1`);
  assert.equal(Number(sqlValue(env.server.db, `SELECT count(*) FROM funds WHERE project_id = ${p.id}`)), before + 1);
  assert.deepEqual(f.slice(1), ['885000', 'out_of_province', 'reported', String(me.unit_id)]);
  assert.deepEqual(sql(env.server.db, `SELECT filename FROM attachments WHERE fund_id = ${f[0]}`), [['银行进账单.pdf']]);
  await shot(page, 'project-funds');
  page.check();
  await page.ctx.close();
});

test('the kanban counts each stage as the API does, on a desk and on a phone', async () => {
  for (const [who, viewport, name] of [['gxj.staff1', undefined, 'project-board'], ['office', PHONE, 'project-board-phone']]) {
    const page = await openPage(env, { viewport });
    await login(page, who);
    await page.goto(page.origin + '/projects/board');
    for (const s of STAGES) {
      const api = (await (await page.request.get(`${page.origin}/api/v1/projects?stage=${s}&campaign_id=1&limit=1`)).json()).total;
      const count = page.locator(`[data-stage=${s}] [data-test=stage-count]`);
      await page.waitForFunction(([sel, n]) => document.querySelector(sel)?.textContent.trim() === String(n), [`[data-stage=${s}] [data-test=stage-count]`, api]);
      assert.equal(Number(await count.innerText()), api, `${who} ${s}`);
      // Cards shown: the first page of the stage.
      assert.equal(await page.locator(`[data-stage=${s}] [data-test=board-card]`).count(), Math.min(api, 20));
    }
    if (viewport) assert.deepEqual(Object.values(await horizontalOverflow(page)).reduce((a, b) => a - b), 0);
    await shot(page, name);
    // 推进 on a card opens the stage-move dialog on the project's page.
    if (who === 'gxj.staff1') {
      await page.locator('[data-stage=negotiating] [data-test=board-move]').first().click();
      await page.waitForURL(/\/projects\/\d+$/);
      await page.locator('[data-test=move-dialog]').filter({ visible: true }).or(page.locator('.el-dialog:visible', { hasText: '推进阶段' })).first().waitFor();
      assert.equal((await page.locator('.el-dialog:visible [data-test=to-stage]').innerText()).trim(), '签约');
    }
    page.check();
    await page.ctx.close();
  }
});

test('the office settles a duplicate claim: the project is marked, the pair leaves the list; a unit user gets the 403 page', async () => {
  const office = await env.server.login('office');
  const before = (await office.get('/api/v1/campaigns/1/duplicates')).body;
  assert.ok(before.total >= 1, 'the demo city has a suspected duplicate');
  const pair = before.items[0];
  const page = await openPage(env);
  await login(page, 'office');
  await page.locator('[data-menu=duplicates]').click();
  const card = page.locator('[data-test=dup-pair]').filter({ hasText: pair.b.name }).first();
  await card.waitFor();
  assert.equal(await page.locator('[data-test=dup-pair]').count(), Math.min(before.total, 20));
  await shot(page, 'duplicates');
  await card.locator('[data-test=dup-b]').click();
  await page.locator('.el-message-box').waitFor();
  await shot(page, 'duplicates-confirm');
  await page.locator('.el-message-box .el-button--primary').click();
  await page.getByText('已处理').first().waitFor();
  await page.waitForFunction((n) => document.querySelectorAll('[data-test=dup-pair]').length === n, Math.min(before.total - 1, 20));
  assert.equal(sqlValue(env.server.db, `SELECT duplicate_of FROM projects WHERE id = ${pair.b.id}`), String(pair.a.id));
  assert.equal(sqlValue(env.server.db, `SELECT count(*) FROM audit_log WHERE entity = 'projects' AND entity_id = ${pair.b.id} AND action = 'settle_duplicate'`), '1');
  assert.equal((await office.get('/api/v1/campaigns/1/duplicates')).body.total, before.total - 1);
  page.check();
  await page.ctx.close();

  const unit = await openPage(env, { viewport: PHONE });
  await login(unit, 'gxj.staff1');
  await unit.goto(unit.origin + '/duplicates');
  await unit.locator('[data-test=forbidden]').waitFor();
  assert.equal(await unit.locator('[data-test=duplicates]').count(), 0);
  unit.check();
  await unit.ctx.close();
});
