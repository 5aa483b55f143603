// The corrections a unit makes on a project's page, each checked in the database: a
// follow-up and a fund arrival edited (the PATCH carries the version read; a stale one is
// refused in words) and deleted after a confirmation naming them, a voucher attached to
// a fund and deleted again, a certified fund offering no buttons, a project deleted (a stale
// version refused in words; a lead with records offers no delete). The office freezes the figures
// as a snapshot, views it and compares it with today; a unit's staff see none of that.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPage, login, shot, fillDate, PHONE, horizontalOverflow } from './lib.mjs';
import { PDF, sql, sqlValue } from '../api/fixtures.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

const box = (page) => page.locator('.el-message-box');
async function confirmBox(page, text) {
  await box(page).waitFor();
  assert.match(await box(page).innerText(), text);
  await box(page).locator('.el-message-box__btns .el-button--primary').click();
  await box(page).waitFor({ state: 'hidden' });
}

test('staff edit and delete a follow-up and a fund, attach and delete a voucher, delete a project', async () => {
  const db = env.server.db;
  // A project of the unit with follow-ups and a fund still waiting for certification.
  const pid = Number(sqlValue(db, `SELECT p.id FROM projects p WHERE p.lead_unit_id = 1
    AND (SELECT count(*) FROM follow_ups f WHERE f.project_id = p.id) >= 2
    AND EXISTS (SELECT 1 FROM funds d WHERE d.project_id = p.id AND d.status = 'reported') ORDER BY p.id LIMIT 1`));
  assert.ok(pid > 0, 'a project of unit 1 with follow-ups and a reported fund');
  const page = await openPage(env);
  await login(page, 'gxj.staff1');
  const csrf = (await (await page.request.get(page.origin + '/api/v1/me')).json()).csrf_token;

  // Follow-up: edit its summary and next step.
  const [[fuId, fuVersion]] = sql(db, `SELECT id, version FROM follow_ups WHERE project_id = ${pid} ORDER BY date DESC, id DESC LIMIT 1`);
  await page.goto(`${page.origin}/projects/${pid}?tab=followups`);
  await page.locator(`[data-test=fu-edit-${fuId}]`).click();
  const fuDlg = page.locator('[data-test=follow-up-dialog]');
  await fuDlg.waitFor();
  assert.match(await fuDlg.locator('.el-dialog__title').innerText(), /修改洽谈记录/);
  await fuDlg.locator('textarea[data-test=fu-summary]').fill('复核：客商确认下月到访，洽谈用地指标。');
  await fuDlg.locator('input[data-test=fu-next]').fill('准备用地方案');
  await fillDate(fuDlg.locator('[data-test=fu-next-date]'), '2026-10-28');
  await shot(page, 'record-followup-edit');
  await fuDlg.locator('[data-test=fu-submit]').click();
  await fuDlg.waitFor({ state: 'hidden' });
  await page.getByText('复核：客商确认下月到访，洽谈用地指标。').waitFor();
  assert.deepEqual(sql(db, `SELECT summary, next_step, next_date, version FROM follow_ups WHERE id = ${fuId}`),
    [['复核：客商确认下月到访，洽谈用地指标。', '准备用地方案', '2026-10-28', String(Number(fuVersion) + 1)]]);

  // A stale version: someone else saves the same follow-up meanwhile; the dialog says so.
  await page.locator(`[data-test=fu-edit-${fuId}]`).click();
  await fuDlg.waitFor();
  const other = await page.request.patch(`${page.origin}/api/v1/follow-ups/${fuId}`,
    { headers: { 'X-CSRF-Token': csrf }, data: { version: Number(fuVersion) + 1, next_step: '另一人的修改' } });
  assert.equal(other.status(), 200);
  await fuDlg.locator('textarea[data-test=fu-summary]').fill('这次保存应被拒绝');
  await fuDlg.locator('[data-test=fu-submit]').click();
  await fuDlg.locator('[data-test=form-error]').waitFor();
  assert.match(await fuDlg.locator('[data-test=form-error]').innerText(), /已被他人修改/);
  assert.equal(sqlValue(db, `SELECT next_step FROM follow_ups WHERE id = ${fuId}`), '另一人的修改');
  await shot(page, 'record-followup-stale');
  await fuDlg.locator('.el-dialog__footer .el-button').first().click();
  await fuDlg.waitFor({ state: 'hidden' });

  // Delete it: the confirmation names its date.
  const fuDate = sqlValue(db, `SELECT date FROM follow_ups WHERE id = ${fuId}`);
  const fuBefore = Number(sqlValue(db, `SELECT count(*) FROM follow_ups WHERE project_id = ${pid}`));
  await page.reload();
  await page.locator(`[data-test=fu-delete-${fuId}]`).click();
  await confirmBox(page, new RegExp(`删除 ${fuDate} 的洽谈记录`));
  await page.locator(`[data-test=fu-delete-${fuId}]`).waitFor({ state: 'detached' });
  assert.equal(sqlValue(db, `SELECT count(*) FROM follow_ups WHERE id = ${fuId}`), '0');
  assert.equal(Number(sqlValue(db, `SELECT count(*) FROM follow_ups WHERE project_id = ${pid}`)), fuBefore - 1);
  assert.equal(sqlValue(db, `SELECT count(*) FROM audit_log WHERE entity = 'follow-ups' AND entity_id = ${fuId} AND action = 'delete'`), '1');

  // Fund: the amount in 万元 becomes yuan; a voucher is attached while editing.
  const [[fdId]] = sql(db, `SELECT id FROM funds WHERE project_id = ${pid} AND status = 'reported' ORDER BY id LIMIT 1`);
  await page.goto(`${page.origin}/projects/${pid}?tab=funds`);
  await page.locator(`[data-test=fd-edit-${fdId}]`).click();
  const fdDlg = page.locator('[data-test=fund-dialog]');
  await fdDlg.waitFor();
  await fdDlg.locator('[data-test=fd-amount] input').fill('88.5');
  await fdDlg.locator('input[data-test=fd-voucher]').fill('YH-2026-1015-007');
  await fdDlg.locator('input[type=file]').setInputFiles({ name: '银行回单.pdf', mimeType: 'application/pdf', buffer: PDF });
  await shot(page, 'record-fund-edit');
  await fdDlg.locator('[data-test=fd-submit]').click();
  await fdDlg.waitFor({ state: 'hidden' });
  const fundRow = page.locator('[data-test=fund-table] .el-table__body-wrapper tr').filter({ hasText: 'YH-2026-1015-007' });
  await fundRow.waitFor();
  assert.match(await fundRow.innerText(), /88\.5/);
  assert.deepEqual(sql(db, `SELECT amount, voucher_no FROM funds WHERE id = ${fdId}`), [['885000', 'YH-2026-1015-007']]);
  const [[attId]] = sql(db, `SELECT id FROM attachments WHERE fund_id = ${fdId} AND filename = '银行回单.pdf'`);
  await shot(page, 'record-fund-edited');

  // The voucher deleted again.
  await page.locator(`[data-test=att-delete-${attId}]`).click();
  await confirmBox(page, /删除附件“银行回单\.pdf”/);
  await page.locator(`[data-test=att-delete-${attId}]`).waitFor({ state: 'detached' });
  assert.equal(sqlValue(db, `SELECT count(*) FROM attachments WHERE id = ${attId}`), '0');

  // The fund deleted.
  await page.locator(`[data-test=fd-delete-${fdId}]`).click();
  await confirmBox(page, /删除 .* 到账的 88\.5 万元吗/);
  await page.locator(`[data-test=fd-delete-${fdId}]`).waitFor({ state: 'detached' });
  assert.equal(sqlValue(db, `SELECT count(*) FROM funds WHERE id = ${fdId}`), '0');

  // A certified fund can no longer change: its row offers neither button.
  const [[cpid, cfid]] = sql(db, `SELECT project_id, id FROM funds WHERE unit_id = 1 AND status = 'certified' ORDER BY id LIMIT 1`);
  await page.goto(`${page.origin}/projects/${cpid}?tab=funds`);
  await page.locator('[data-test=fund-table] .el-table__body-wrapper tr').first().waitFor();
  assert.equal(await page.locator(`[data-test=fd-edit-${cfid}]`).count(), 0);
  assert.equal(await page.locator(`[data-test=fd-delete-${cfid}]`).count(), 0);
  // …and the API says why if asked anyway (what the button would have met).
  const v = sqlValue(db, `SELECT version FROM funds WHERE id = ${cfid}`);
  const refused = await page.request.delete(`${page.origin}/api/v1/funds/${cfid}?version=${v}`, { headers: { 'X-CSRF-Token': csrf } });
  assert.equal(refused.status(), 422);

  // A lead with follow-ups offers no delete (the API would refuse it: records refer to it).
  const busy = sqlValue(db, `SELECT p.id FROM projects p WHERE p.lead_unit_id = 1 AND p.stage = 'lead'
    AND EXISTS (SELECT 1 FROM follow_ups f WHERE f.project_id = p.id) ORDER BY p.id LIMIT 1`);
  await page.goto(`${page.origin}/projects/${busy}`);
  await page.locator('[data-test=edit-project]').waitFor();
  assert.equal(await page.locator('[data-test=delete-project]').count(), 0);

  // A fresh lead: someone renames it while the page is open, so the delete (with the version
  // read) is refused in words; after a reload it goes, and the list is shown after.
  const made = await page.request.post(`${page.origin}/api/v1/projects`, { headers: { 'X-CSRF-Token': csrf },
    data: { campaign_id: 1, name: '待删除的测试线索', lead_unit_id: 1, category: 'industrial', method: 'industry', lead_date: '2026-10-10' } });
  assert.equal(made.status(), 201);
  const np = await made.json();
  await page.goto(`${page.origin}/projects/${np.id}`);
  await page.locator('[data-test=delete-project]').waitFor();
  const renamed = await page.request.patch(`${page.origin}/api/v1/projects/${np.id}`, { headers: { 'X-CSRF-Token': csrf }, data: { version: np.version, description: '另一人补充的简介' } });
  assert.equal(renamed.status(), 200);
  await page.locator('[data-test=delete-project]').click();
  await confirmBox(page, /删除项目“待删除的测试线索”/);
  const msg = page.locator('.el-message--error');
  await msg.waitFor();
  assert.match(await msg.innerText(), /已被他人修改/);
  assert.equal(sqlValue(db, `SELECT count(*) FROM projects WHERE id = ${np.id}`), '1');
  await shot(page, 'record-project-delete-refused');
  await page.reload();
  await page.locator('[data-test=delete-project]').click();
  await shot(page, 'record-project-delete-confirm');
  await confirmBox(page, /删除项目“待删除的测试线索”/);
  await page.waitForURL(/\/projects$/);
  assert.equal(sqlValue(db, `SELECT count(*) FROM projects WHERE id = ${np.id}`), '0');
  assert.equal(sqlValue(db, `SELECT count(*) FROM audit_log WHERE entity = 'projects' AND entity_id = ${np.id} AND action = 'delete'`), '1');

  // The only console errors are the refusals asked for on purpose (409 stale, 422 certified).
  assert.deepEqual(page.problems.filter((x) => !/status of (409|422)/.test(x)), []);
});

test('the office freezes the figures, views the snapshot and compares it with today', async () => {
  const db = env.server.db;
  const page = await openPage(env);
  await login(page, 'office');
  const today = (await (await page.request.get(page.origin + '/health')).json()).today;
  const before = Number(sqlValue(db, 'SELECT count(*) FROM snapshots WHERE campaign_id = 1'));
  await page.goto(page.origin + '/snapshots');
  await page.locator('[data-test=list-total]').waitFor();
  if (before) await page.locator('[data-test=snapshot-table] .el-table__body-wrapper .el-table__row').first().waitFor();
  assert.equal(await page.locator('[data-test=snapshot-table] .el-table__body-wrapper .el-table__row').count(), Math.min(before, 20));

  await page.locator('[data-test=snap-new]').click();
  const dlg = page.locator('[data-test=snap-dialog]');
  await dlg.waitFor();
  assert.equal(await dlg.locator('[data-test=snap-as-of] input').inputValue(), today);
  await dlg.locator('input[data-test=snap-label]').fill('第7周调度会依据');
  await shot(page, 'snapshot-create');
  await dlg.locator('[data-test=snap-submit]').click();
  await dlg.waitFor({ state: 'hidden' });
  const [[sid, asOf, by]] = sql(db, `SELECT id, as_of, created_by FROM snapshots WHERE label = '第7周调度会依据'`);
  assert.equal(asOf, today);
  assert.equal(by, sqlValue(db, `SELECT id FROM users WHERE login = 'office'`));

  // The new snapshot opens at once: its ranking is every unit of the frozen ranking.
  const drawer = page.locator('[data-test=snap-drawer]');
  await drawer.locator('[data-test=snap-ranking] .el-table__body-wrapper .el-table__row').first().waitFor();
  const frozen = await (await page.request.get(`${page.origin}/api/v1/snapshots/${sid}`)).json();
  assert.equal(await drawer.locator('[data-test=snap-ranking] .el-table__body-wrapper .el-table__row').count(), frozen.figures.ranking.overall.length);
  const first = frozen.figures.ranking.overall[0];
  assert.match(await drawer.locator('[data-test=snap-ranking] .el-table__body-wrapper .el-table__row').first().innerText(), new RegExp(`${first.rank}\\s+${first.name}`));
  // The city's certified funds in 万元, as frozen.
  const funds = frozen.figures.progress.totals.funds_arrived.certified / 10000;
  const fundsRow = drawer.locator('[data-test=snap-totals] .el-table__body-wrapper .el-table__row').filter({ hasText: '到位资金' });
  assert.match(await fundsRow.innerText(), new RegExp(funds.toLocaleString('zh-CN', { maximumFractionDigits: 2 }).replace(/[.,]/g, '\\$&')));
  await shot(page, 'snapshot-view');
  await drawer.locator('.el-drawer__close-btn').click();
  await drawer.waitFor({ state: 'hidden' });

  // Just frozen: nothing differs from today.
  await page.locator(`[data-test=snap-diff-${sid}]`).click();
  await drawer.locator('[data-test=snap-diff-summary]').waitFor();
  assert.match(await drawer.locator('[data-test=snap-diff-summary]').innerText(), /没有变化/);
  await drawer.locator('.el-drawer__close-btn').click();
  await drawer.waitFor({ state: 'hidden' });

  // An older one: as many changed figures as the API lists.
  const older = Number(sqlValue(db, `SELECT min(id) FROM snapshots WHERE campaign_id = 1`));
  if (older !== Number(sid)) {
    const d = await (await page.request.get(`${page.origin}/api/v1/snapshots/${older}/diff`)).json();
    await page.locator(`[data-test=snap-diff-${older}]`).click();
    await drawer.locator('[data-test=snap-diff-summary]').waitFor();
    if (d.changes.length) {
      assert.match(await drawer.locator('[data-test=snap-diff-summary]').innerText(), new RegExp(`共 ${d.changes.length} 处变化`));
      await drawer.locator('[data-test=snap-diff] .el-table__body-wrapper .el-table__row').first().waitFor();
    }
    await shot(page, 'snapshot-diff');
  }
  page.check();
});

// Each screen changed here, at an office's 1366 px and a phone's 390 px, in both languages:
// no sideways scroll of the page, every dialog within the screen, no untranslated text.
for (const lang of ['zh-CN', 'en']) {
  test(`the project's record dialogs and the snapshot page at 1366 and 390 px in ${lang}`, async () => {
    const page = await openPage(env, { viewport: { width: 1366, height: 800 }, locale: lang });
    await page.addInitScript((l) => localStorage.setItem('huizhan.locale', l), lang);
    await login(page, 'office');
    for (const viewport of [{ width: 1366, height: 800 }, PHONE]) {
      await page.setViewportSize(viewport);
      const tag = `${lang === 'en' ? 'en' : 'zh'}-${viewport.width}`;
      const fits = async (what) => {
        const o = await horizontalOverflow(page);
        assert.ok(o.scrollWidth <= o.clientWidth, `${what}: no sideways scroll (${o.scrollWidth} > ${o.clientWidth})`);
      };
      const settled = async (dlg) => {
        await dlg.waitFor();
        await page.waitForTimeout(400); // the dialog's opening animation
        const w = await dlg.evaluate((e) => e.getBoundingClientRect().width);
        assert.ok(w <= viewport.width, `the dialog fits the screen: ${w}`);
      };
      const pid = sqlValue(env.server.db, `SELECT p.id FROM projects p WHERE EXISTS (SELECT 1 FROM funds d WHERE d.project_id = p.id AND d.status = 'reported')
        AND EXISTS (SELECT 1 FROM follow_ups f WHERE f.project_id = p.id) ORDER BY p.id LIMIT 1`);
      await page.goto(`${page.origin}/projects/${pid}?tab=funds`);
      await page.locator('[data-test=fund-table] .el-table__body-wrapper tr').first().waitFor();
      await fits('funds');
      await shot(page, `record-funds-${tag}`);
      await page.locator(`[data-test=fd-edit-${sqlValue(env.server.db, `SELECT id FROM funds WHERE project_id = ${pid} AND status = 'reported' ORDER BY id LIMIT 1`)}]`).click();
      const fd = page.locator('[data-test=fund-dialog]');
      await settled(fd);
      assert.match(await fd.locator('.el-dialog__title').innerText(), lang === 'en' ? /Edit fund arrival/ : /修改到账资金/);
      await shot(page, `record-fund-dialog-${tag}`);
      await fd.locator('.el-dialog__footer .el-button').first().click();
      await fd.waitFor({ state: 'hidden' });

      await page.goto(`${page.origin}/projects/${pid}?tab=followups`);
      const fuFirst = page.locator(`[data-test=fu-edit-${sqlValue(env.server.db, `SELECT id FROM follow_ups WHERE project_id = ${pid} ORDER BY date DESC, id DESC LIMIT 1`)}]`);
      await fuFirst.waitFor();
      await fits('follow-ups');
      await shot(page, `record-followups-${tag}`);
      await fuFirst.click();
      await settled(page.locator('[data-test=follow-up-dialog]'));
      await shot(page, `record-followup-dialog-${tag}`);

      await page.goto(page.origin + '/snapshots');
      await page.locator('[data-test=snapshot-table] .el-table__body-wrapper .el-table__row').first().waitFor();
      assert.match(await page.locator('[data-test=snap-new]').innerText(), lang === 'en' ? /Freeze current figures/ : /冻结当前数据/);
      await fits('snapshots');
      await shot(page, `snapshots-${tag}`);
      await page.locator('[data-test=snap-new]').click();
      await settled(page.locator('[data-test=snap-dialog]'));
      await shot(page, `snapshot-dialog-${tag}`);
      await page.locator('[data-test=snap-dialog] .el-dialog__footer .el-button').first().click();
      await page.locator(`[data-test=snap-diff-${sqlValue(env.server.db, 'SELECT min(id) FROM snapshots WHERE campaign_id = 1')}]`).click();
      await page.locator('[data-test=snap-diff] .el-table__body-wrapper .el-table__row').first().waitFor();
      await page.waitForTimeout(400);
      await shot(page, `snapshot-diff-${tag}`);
    }
    page.check();
  });
}

test('a unit\'s staff see no snapshot page and no office button; the API refuses them', async () => {
  const page = await openPage(env);
  await login(page, 'gxj.staff1');
  assert.equal(await page.locator('[data-menu=snapshots]').count(), 0);
  await page.goto(page.origin + '/snapshots');
  await page.locator('[data-test=forbidden]').waitFor();
  assert.equal(await page.locator('[data-test=snap-new]').count(), 0);
  const csrf = (await (await page.request.get(page.origin + '/api/v1/me')).json()).csrf_token;
  const r = await page.request.post(`${page.origin}/api/v1/campaigns/1/snapshots`, { headers: { 'X-CSRF-Token': csrf }, data: { label: 'x' } });
  assert.equal(r.status(), 403);
  // On a project of the unit: no certification buttons, only the unit's own corrections.
  const pid = sqlValue(env.server.db, `SELECT id FROM projects WHERE lead_unit_id = 1 AND stage = 'signed' ORDER BY id LIMIT 1`);
  await page.goto(`${page.origin}/projects/${pid}?tab=funds`);
  await page.locator('[data-test=project-detail] .el-tabs').waitFor();
  assert.equal(await page.getByRole('button', { name: /^认定$|^退回$/ }).count(), 0);
  await shot(page, 'record-unit-staff');
  page.check();
});
