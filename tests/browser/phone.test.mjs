// At a 390 px phone viewport: the menu is a drawer behind the header button, and the
// dashboard, the project list and a project show without sideways scrolling of the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPage, login, shot, menuNames, horizontalOverflow, PHONE, DESKTOP } from './lib.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

async function noSideScroll(page, what) {
  const { scrollWidth, clientWidth } = await horizontalOverflow(page);
  assert.equal(clientWidth, PHONE.width, what);
  assert.ok(scrollWidth <= clientWidth, `${what}: page is ${scrollWidth}px wide in a ${clientWidth}px viewport`);
}

test('at 390 px the menu is a drawer, and the workbench, dashboard, project list and project do not scroll sideways', async () => {
  const page = await openPage(env, { viewport: PHONE });
  await login(page, 'office');
  assert.equal(await page.locator('aside.aside').count(), 0, 'no sidebar on a phone');
  assert.deepEqual(await menuNames(page), [], 'the menu is closed');
  await noSideScroll(page, 'workbench');
  await shot(page, 'phone-home');

  await page.locator('[data-test=menu-toggle]').click();
  await page.locator('.menu-drawer [data-menu=dashboard]').waitFor();
  // Wait for the drawer to finish sliding in before the picture.
  await page.waitForFunction(() => { const d = document.querySelector('.menu-drawer'); return d && d.getBoundingClientRect().left === 0; });
  await page.waitForTimeout(350);
  assert.deepEqual(await menuNames(page), ['home', 'dashboard', 'projects', 'project-board', 'investors', 'certification', 'duplicates', 'notifications', 'weekly-reports', 'report-status', 'coordination', 'inspections', 'bulletins', 'checkpoints', 'rules', 'proposals', 'admonitions', 'snapshots', 'org-campaigns', 'org-units', 'org-targets', 'org-teams', 'org-events', 'import', 'webhooks', 'admin-settings', 'admin-jobs', 'audit']);
  await shot(page, 'phone-menu');
  await page.locator('.menu-drawer [data-menu=dashboard]').click();
  await page.waitForURL(/\/dashboard$/);
  await page.locator('[data-test=ranking][data-rendered]').waitFor();
  await page.locator('[data-test=funnel][data-rendered]').waitFor();
  await noSideScroll(page, 'dashboard');
  await shot(page, 'phone-dashboard');

  await page.goto(page.origin + '/projects');
  await page.locator('[data-test=project-table] .el-table__row').first().waitFor();
  await noSideScroll(page, 'project list');
  await shot(page, 'phone-projects');

  // A wide action column is not pinned on a phone: the unit's name keeps its room.
  await page.goto(page.origin + '/organisation/units');
  const firstCell = page.locator('.el-table__body-wrapper .el-table__row').first().locator('td').first();
  await firstCell.waitFor();
  const nameWidth = await firstCell.evaluate((e) => e.getBoundingClientRect().width);
  assert.ok(nameWidth >= 150, `the unit name column is ${nameWidth}px wide`);
  await noSideScroll(page, 'units');
  await shot(page, 'phone-units');

  await page.goto(page.origin + '/projects/1');
  await page.locator('[data-test=project-detail] .page-title').waitFor();
  await noSideScroll(page, 'project');
  await shot(page, 'phone-project');
  page.check();
  await page.ctx.close();
});

test('on a desktop the dashboard draws its KPI cards against target and pace, and the first page of the light matrix', async () => {
  const page = await openPage(env, { viewport: DESKTOP });
  await login(page, 'leader');
  await page.goto(page.origin + '/dashboard');
  await page.locator('[data-test=ranking][data-rendered]').waitFor();
  const dash = await (await page.request.get(page.origin + '/api/v1/campaigns/1/dashboard')).json();
  // Funds arrived, certified, in 万元 as the card shows it.
  const funds = dash.totals.funds_arrived;
  const card = await page.locator('[data-kpi=funds_arrived] .kpi-value').innerText();
  assert.ok(funds.certified > 0);
  assert.equal(Number(card.replace(/[^\d.]/g, '')), Number((funds.certified / 10000).toFixed(2)), card);
  const reported = await page.locator('[data-kpi=funds_arrived] .kpi-sub').innerText();
  assert.ok(reported.replace(/,/g, '').includes(String(Number((funds.reported / 10000).toFixed(2)))), reported);
  // The matrix is a table paged on the server: its first page of 10, out of every unit.
  await page.locator('[data-test=table-tabs] label').nth(1).click();
  await page.locator('[data-test=units-matrix] .el-table__body-wrapper .el-table__row').first().waitFor();
  assert.equal(await page.locator('[data-test=units-matrix] .el-table__body-wrapper .el-table__row').count(), Math.min(10, dash.ranking.total));
  assert.match(await page.locator('[data-test=units-matrix] .el-pagination__total').innerText(), new RegExp(String(dash.ranking.total)));
  await shot(page, 'dashboard');
  page.check();
  await page.ctx.close();
});
