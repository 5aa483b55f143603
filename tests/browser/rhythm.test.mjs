// The campaign's rhythm in the browser. A unit head reviews a submitted weekly report and
// the review (heard, comments, date) is what the database holds; a date after today is
// refused under the date field. The office generates a bulletin, edits its intro and
// publishes it, and the print page's ranking starts with the units of the bulletin's
// frozen ranking. A unit's staff advance a coordination item and the office sees its new
// state. Every page of the area is photographed at 1440 and 390 px without sideways scroll.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setup, openPage, login, shot, horizontalOverflow, PHONE, DESKTOP, fillDate } from './lib.mjs';
import { sql, sqlValue } from '../api/fixtures.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

const serverToday = async (page) => (await (await page.request.get(page.origin + '/health')).json()).today;

test('staff write the report of the current week from the pre-filled figures and submit it', async () => {
  const page = await openPage(env);
  await login(page, 'gxj.staff1');
  const me = await (await page.request.get(page.origin + '/api/v1/me')).json();
  const camp = (await (await page.request.get(page.origin + '/api/v1/campaigns/1')).json());
  const today = await serverToday(page);
  const week = Math.floor((Date.parse(today) - Date.parse(camp.start_date)) / 86400000 / 7) + 1;
  assert.equal(sqlValue(env.server.db, `SELECT COUNT(*) FROM weekly_reports WHERE unit_id = ${me.unit_id} AND week = ${week}`), '0');

  await page.locator('[data-todo=reportDue]').click();
  await page.waitForURL(/\/weekly-reports\?status=draft$/);
  await page.locator('[data-test=new-report]').click();
  const dlg = page.locator('[data-test=report-dialog]');
  // The current week is offered first, once the dialog knows which weeks are written.
  const weekRe = new RegExp(`第 ${week} 周`);
  await dlg.locator('[data-test=report-week]', { hasText: weekRe }).waitFor({ timeout: 15000 }).catch(() => {});
  assert.match(await dlg.locator('[data-test=report-week]').innerText(), weekRe);
  await dlg.locator('[data-test=report-work_done]').fill('外出招商2次，接待客商来访3批。');
  await dlg.locator('[data-test=report-problems]').fill('某项目用地指标待协调。');
  await dlg.locator('[data-test=report-create]').click();
  await page.waitForURL(/\/weekly-reports\/\d+$/);
  const id = Number(page.url().split('/').pop());
  await page.locator('[data-test=figures]').waitFor();
  // The figures the server filled in, shown as reported / certified.
  const rep = await (await page.request.get(`${page.origin}/api/v1/weekly-reports/${id}`)).json();
  const leads = rep.figures.to_date.leads_count;
  assert.equal((await page.locator('[data-test=figures] tr[data-metric=leads_count] td').nth(3).innerText()).trim(), `${leads.reported} / ${leads.certified}`);
  await shot(page, 'rhythm-report-draft');

  await page.locator('[data-test=edit-next_plan]').fill('推进两个签约项目开工。');
  await page.locator('[data-test=report-submit]').click();
  const box = page.locator('.el-message-box');
  await box.waitFor();
  await box.locator('.el-button--primary').click();
  await page.locator('[data-test=report-status]').filter({ hasText: '已提交' }).waitFor();
  assert.equal(await page.locator('[data-test=edit-work_done]').count(), 0, 'no more editing');
  assert.deepEqual(sql(env.server.db, `SELECT unit_id, week, status, work_done, problems, next_plan FROM weekly_reports WHERE id = ${id}`),
    [[String(me.unit_id), String(week), 'submitted', '外出招商2次，接待客商来访3批。', '某项目用地指标待协调。', '推进两个签约项目开工。']]);
  page.check();
  await page.ctx.close();
});

test('a head reviews a submitted weekly report; the review is stored as entered', async () => {
  // A submitted report of a unit, and that unit's head.
  const [[id, unitId, week]] = sql(env.server.db, "SELECT id, unit_id, week FROM weekly_reports WHERE status = 'submitted' ORDER BY id LIMIT 1");
  const head = sqlValue(env.server.db, `SELECT login FROM users WHERE unit_id = ${unitId} AND role = 'unit_head' ORDER BY id LIMIT 1`);
  const page = await openPage(env);
  await login(page, head);
  const today = await serverToday(page);

  // The workbench's card leads to the reports waiting for review.
  await page.locator('[data-todo=toReview]').click();
  await page.waitForURL(/\/weekly-reports\?status=submitted$/);
  await page.locator(`[data-test=reports-table] a[href="/weekly-reports/${id}"]`).click();
  await page.waitForURL(new RegExp(`/weekly-reports/${id}$`));
  await page.locator('[data-test=figures]').waitFor();
  assert.equal((await page.locator('[data-test=report-status]').innerText()).trim(), '已提交');
  // The figures table shows the frozen figures: this week's signed count, reported / certified.
  const fig = JSON.parse(sqlValue(env.server.db, `SELECT figures FROM weekly_reports WHERE id = ${id}`));
  const signed = fig.this_week.signed_count;
  const row = page.locator('[data-test=figures] tr[data-metric=signed_count] td');
  assert.equal((await row.nth(1).innerText()).trim(), `${signed.reported} / ${signed.certified}`);
  // Money is in 万元: this week's reported funds / 10000.
  const funds = fig.this_week.funds_arrived;
  assert.equal((await page.locator('[data-test=figures] tr[data-metric=funds_arrived] td').nth(1).innerText()).trim().split(' / ')[0],
    (funds.reported / 10000).toLocaleString('zh-CN', { maximumFractionDigits: 2 }));

  // A review dated after today is refused, and the form says so under the date.
  const form = page.locator('[data-test=review-form]');
  await form.locator('[data-test=review-comments]').fill('已听取。下周重点推进签约项目开工。');
  const later = new Date(Date.parse(today) + 3 * 86400000).toISOString().slice(0, 10);
  await fillDate(form.locator('[data-test=review-date]'), later);
  await form.locator('[data-test=review-submit]').click();
  const err = form.locator('.el-form-item').filter({ has: page.locator('[data-test=review-date]') }).locator('.el-form-item__error');
  await err.waitFor();
  assert.match(await err.innerText(), /日期|date/);
  assert.equal(sqlValue(env.server.db, `SELECT status FROM weekly_reports WHERE id = ${id}`), 'submitted');

  await fillDate(form.locator('[data-test=review-date]'), today);
  await form.locator('[data-test=review-submit]').click();
  await page.locator('[data-test=review-shown]').waitFor();
  assert.equal((await page.locator('[data-test=report-status]').innerText()).trim(), '已听取');
  await shot(page, 'rhythm-report-reviewed');
  assert.deepEqual(sql(env.server.db, `SELECT status, heard, review_comments, reviewed_on, week FROM weekly_reports WHERE id = ${id}`),
    [['reviewed', '1', '已听取。下周重点推进签约项目开工。', today, week]]);
  // The one console error is the refused first try (HTTP 400).
  assert.deepEqual(page.problems.filter((x) => !/status of 400/.test(x)), []);
  assert.equal(page.problems.length, 1, page.problems.join('\n'));
  await page.ctx.close();
});

test('a leader reads a reviewed report from the workbench and adds an instruction', async () => {
  const page = await openPage(env);
  await login(page, 'leader');
  const me = await (await page.request.get(page.origin + '/api/v1/me')).json();
  await page.locator('[data-todo=instructions]').click();
  await page.waitForURL(/\/weekly-reports\?status=reviewed$/);
  const link = page.locator('[data-test=reports-table] a[href^="/weekly-reports/"]').first();
  const id = Number((await link.getAttribute('href')).split('/').pop());
  assert.equal(sqlValue(env.server.db, `SELECT status FROM weekly_reports WHERE id = ${id}`), 'reviewed');
  await link.click();
  await page.locator('[data-test=review-shown]').waitFor();
  // The head's review as stored.
  const [[comments, on]] = sql(env.server.db, `SELECT review_comments, reviewed_on FROM weekly_reports WHERE id = ${id}`);
  assert.match(await page.locator('[data-test=review-shown]').innerText(), new RegExp(on));
  if (comments) assert.ok((await page.locator('[data-test=review-shown]').innerText()).includes(comments));
  await page.locator('[data-test=instruction-text]').fill('请会战办跟踪督办周报反映的问题。');
  await page.locator('[data-test=instruction-add]').click();
  await page.locator('[data-test=instructions-card] .el-timeline-item').filter({ hasText: '请会战办跟踪督办周报反映的问题。' }).waitFor();
  assert.deepEqual(sql(env.server.db, `SELECT user_id, text FROM instructions WHERE weekly_report_id = ${id} ORDER BY id DESC LIMIT 1`),
    [[String(me.id), '请会战办跟踪督办周报反映的问题。']]);
  await shot(page, 'rhythm-report-instruction');
  page.check();
  await page.ctx.close();
});

test('the office generates and publishes a bulletin; its print page shows the frozen ranking', async () => {
  const office = await env.server.login('office');
  // The demo leaves a draft waiting; a campaign has one draft at a time, so publish it first.
  const waiting = (await office.get('/api/v1/bulletins?status=draft')).body.items;
  for (const b of waiting) assert.equal((await office.post(`/api/v1/bulletins/${b.id}/publish`, {})).status, 200);
  const before = Number(sqlValue(env.server.db, 'SELECT COUNT(*) FROM bulletins'));

  const page = await openPage(env);
  await login(page, 'office');
  await page.goto(page.origin + '/bulletins');
  await page.locator('[data-test=generate]').click();
  const dlg = page.locator('[data-test=generate-dialog]');
  await dlg.locator('[data-test=generate-confirm]').click();
  await page.waitForURL(/\/bulletins\/\d+$/);
  const id = Number(page.url().split('/').pop());
  assert.equal(Number(sqlValue(env.server.db, 'SELECT COUNT(*) FROM bulletins')), before + 1);
  await page.locator('[data-test=bulletin-status]').waitFor();
  assert.equal((await page.locator('[data-test=bulletin-status]').innerText()).trim(), '草稿');
  await page.locator('[data-test=edit-intro]').fill('本期通报各单位会战进展情况。');
  const saved = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().endsWith(`/api/v1/bulletins/${id}`));
  await page.locator('[data-test=bulletin-save]').click();
  assert.equal((await saved).status(), 200);
  assert.equal(sqlValue(env.server.db, `SELECT intro FROM bulletins WHERE id = ${id}`), '本期通报各单位会战进展情况。');
  await shot(page, 'rhythm-bulletin-draft');

  // Publishing asks first: afterwards the bulletin is immutable.
  await page.locator('[data-test=publish]').click();
  const box = page.locator('.el-message-box');
  await box.waitFor();
  assert.match(await box.innerText(), /不可再修改/);
  await box.locator('.el-button--primary').click();
  await page.locator('[data-test=bulletin-status]').filter({ hasText: '已发布' }).waitFor();
  assert.equal(await page.locator('[data-test=edit-intro]').count(), 0, 'no more editing');
  assert.deepEqual(sql(env.server.db, `SELECT status, length(sha256) FROM bulletins WHERE id = ${id}`), [['published', '64']]);
  await shot(page, 'rhythm-bulletin-published');

  // The print view opens in a new tab; its overall ranking is the bulletin's frozen one.
  const ranking = (await office.get(`/api/v1/bulletins/${id}`)).body.content.ranking;
  assert.ok(ranking.length >= 5);
  const [print] = await Promise.all([page.ctx.waitForEvent('page'), page.locator('[data-test=print-link]').click()]);
  await print.waitForLoadState();
  assert.equal(new URL(print.url()).pathname, `/api/v1/bulletins/${id}/print`);
  const names = await print.locator('h2').filter({ hasText: '综合排名' }).locator('xpath=following-sibling::table[1]//tbody/tr/td[2]').allInnerTexts();
  assert.deepEqual(names.slice(0, 5), ranking.slice(0, 5).map((r) => r.name));
  assert.match(await print.locator('body').innerText(), /本期通报各单位会战进展情况。/);
  await print.screenshot({ path: `${process.env.HZ_SCREENSHOTS || new URL('../../build/screenshots', import.meta.url).pathname}/rhythm-bulletin-print.png`, fullPage: false });

  // The PDF downloads from the bulletin's page under its Chinese name.
  const number = (await office.get(`/api/v1/bulletins/${id}`)).body.number;
  await page.locator('[data-test=bulletin-download]').click();
  const [pdf] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=bulletin-pdf]').click()]);
  assert.equal(pdf.suggestedFilename(), `通报第${number}期.pdf`);
  assert.equal(readFileSync(await pdf.path()).subarray(0, 5).toString(), '%PDF-');
  page.check();
  await page.ctx.close();
});

test('a coordination item advanced by the unit shows its new state for the office', async () => {
  const [[id, unitId]] = sql(env.server.db, "SELECT id, unit_id FROM coordination_items WHERE status = 'signed_off' ORDER BY id LIMIT 1");
  const staff = sqlValue(env.server.db, `SELECT login FROM users WHERE unit_id = ${unitId} AND role = 'unit_staff' ORDER BY id LIMIT 1`);
  const page = await openPage(env);
  await login(page, staff);
  await page.goto(page.origin + '/coordination');
  await page.locator(`[data-test=advance-${id}]`).click();
  const dlg = page.locator('[data-test=advance-dialog]');
  await dlg.locator('[data-test=advance-note]').fill('已协调自然资源部门，用地指标已落实。');
  await dlg.locator('[data-test=advance-confirm]').click();
  await dlg.waitFor({ state: 'hidden' });
  // A unit user has no reminder button and no office step on its items.
  assert.equal(await page.locator('[data-test^=remind-]').count(), 0);
  assert.equal(await page.locator(`[data-test=advance-${id}]`).innerText(), '反馈');
  assert.deepEqual(sql(env.server.db, `SELECT status, handling FROM coordination_items WHERE id = ${id}`), [['handled', '已协调自然资源部门，用地指标已落实。']]);
  page.check();
  await page.ctx.close();

  const office = await openPage(env);
  await login(office, 'office');
  await office.goto(office.origin + '/coordination');
  const row = office.locator('[data-test=items-table] .el-table__body-wrapper tr').filter({ has: office.locator(`[data-item="${id}"]`) });
  await row.waitFor();
  assert.equal((await row.locator('[data-status]').getAttribute('data-status')), 'handled');
  assert.equal((await row.locator('[data-status]').innerText()).trim(), '已办理');
  // The office does not take the unit's step, but may remind.
  assert.equal(await office.locator(`[data-test=advance-${id}]`).count(), 0);
  assert.equal(await office.locator(`[data-test=remind-${id}]`).count(), 1);
  await shot(office, 'rhythm-coordination-office');
  office.check();
  await office.ctx.close();
});

const PAGES = ['/weekly-reports', '/weekly-reports/1', '/report-status', '/coordination', '/inspections', '/bulletins', '/bulletins/1', '/checkpoints', '/rules', '/proposals', '/admonitions'];
for (const [who, viewport] of [['office', DESKTOP], ['office', PHONE], ['leader', DESKTOP], ['gxj.staff1', PHONE]]) {
  test(`every rhythm page for ${who} at ${viewport.width} px loads without sideways scroll`, async () => {
    const page = await openPage(env, { viewport });
    await login(page, who);
    for (const path of PAGES) {
      if (who === 'gxj.staff1' && path === '/report-status') continue;
      await page.goto(page.origin + path);
      await page.locator('.page').first().waitFor();
      await page.waitForLoadState('networkidle');
      assert.equal(await page.locator('.el-result').count(), 0, `${path} shows an error`);
      const { scrollWidth, clientWidth } = await horizontalOverflow(page);
      assert.ok(scrollWidth <= clientWidth, `${path}: page scrolls sideways (${scrollWidth} > ${clientWidth})`);
      await shot(page, `rhythm-${who.replace('.', '-')}-${viewport.width}${path.replace(/\//g, '-')}`);
    }
    page.check();
    await page.ctx.close();
  });
}
