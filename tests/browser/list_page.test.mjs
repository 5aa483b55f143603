// The list-page scaffold every list shares (web/src/components/ListPage.vue): the search
// form filters on the server (the count matches the database), the filters, sort and page
// live in the address so a reload keeps them, Reset clears them, a hidden column stays
// hidden after a reload, and the density switch changes the table's size.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPage, login, shot } from './lib.mjs';
import { sqlValue } from '../api/fixtures.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

const total = (page) => page.locator('[data-test=list-total]').innerText().then((s) => Number(s.replace(/\D/g, '')));
const headers = (page, table) => page.locator(`[data-test=${table}] .el-table__header-wrapper th`).evaluateAll((ths) => ths.map((th) => th.innerText.trim()).filter(Boolean));

test('filters, paging and sort survive a reload; Reset clears them', async () => {
  const page = await openPage(env);
  await login(page, 'office');
  await page.goto(page.origin + '/projects');
  const rows = page.locator('[data-test=project-table] .el-table__body-wrapper .el-table__row');
  await rows.first().waitFor();
  assert.equal(await total(page), Number(sqlValue(env.server.db, 'SELECT count(*) FROM projects WHERE campaign_id = 1')));

  // Filter by stage through the form: the count is the database's.
  await page.locator('[data-test=projects] .filters .el-select').first().click();
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '洽谈' }).click();
  await page.waitForURL(/stage=negotiating/);
  const negotiating = Number(sqlValue(env.server.db, `SELECT count(*) FROM projects WHERE campaign_id = 1 AND stage = 'negotiating'`));
  await page.locator('[data-test=list-total]').filter({ hasText: new RegExp(`\\b${negotiating}\\b`) }).waitFor();
  assert.ok(negotiating > 20, 'enough rows for a second page');

  // Page 2, then a reload: the same filter, the same page, the same first row.
  await page.locator('[data-test=projects] .el-pager li').filter({ hasText: /^2$/ }).click();
  await page.waitForURL(/page=2/);
  await page.locator('[data-test=projects] .el-pager li.is-active').filter({ hasText: /^2$/ }).waitFor();
  const first = await rows.first().locator('td').first().innerText();
  await page.reload();
  await page.locator('[data-test=projects] .el-pager li.is-active').filter({ hasText: /^2$/ }).waitFor();
  assert.equal(await total(page), negotiating);
  assert.equal(await rows.first().locator('td').first().innerText(), first);
  await shot(page, 'list-page-reloaded');

  // Reset: every project again, page 1, a clean address.
  await page.locator('[data-test=list-reset]').click();
  await page.waitForURL((u) => !u.search);
  await page.locator('[data-test=list-total]').filter({ hasText: new RegExp(`\\b${sqlValue(env.server.db, 'SELECT count(*) FROM projects WHERE campaign_id = 1')}\\b`) }).waitFor();
  page.check();
});

test('column settings persist across a reload and density changes the table size', async () => {
  const page = await openPage(env);
  await login(page, 'office');
  await page.goto(page.origin + '/organisation/units');
  await page.locator('[data-test=unit-table] .el-table__body-wrapper .el-table__row').first().waitFor();
  const before = await headers(page, 'unit-table');
  assert.ok(before.includes('电话'), before.join('|'));
  await page.locator('[data-test=columns]').click();
  await page.locator('.el-popover .el-checkbox:visible').filter({ hasText: '电话' }).click();
  await page.locator('[data-test=unit-table] .el-table__header-wrapper th').filter({ hasText: '电话' }).waitFor({ state: 'detached' });
  await page.reload();
  await page.locator('[data-test=unit-table] .el-table__body-wrapper .el-table__row').first().waitFor();
  const after = await headers(page, 'unit-table');
  assert.deepEqual(after, before.filter((h) => h !== '电话'));

  await page.locator('[data-test=density]').click();
  await page.locator('.el-dropdown-menu__item:visible').filter({ hasText: '紧凑' }).click();
  await page.locator('[data-test=unit-table].el-table--small').waitFor();
  await shot(page, 'list-page-compact');
  page.check();
});
