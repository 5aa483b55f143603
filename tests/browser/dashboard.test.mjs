// The dashboard reads a bounded summary and pages its unit tables on the server (issue 11
// "Speed", issue 13): the ranking, lagging and light-matrix tables show the API's pages,
// sort and filter through it, and the page never fetches every unit's detail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPage, login, shot, horizontalOverflow, PHONE, DESKTOP } from './lib.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

const rowsOf = (page, table) => page.locator(`[data-test=units-${table}] .el-table__body-wrapper .el-table__row`);
/** The unit names a table shows, once it shows `expected` (or after 90 s, what it shows then). */
async function namesShown(page, table, expected) {
  const names = () => rowsOf(page, table).evaluateAll((rows) => rows.map((r) => r.querySelector('[data-test=drill-unit]').textContent.trim()));
  await page.waitForFunction(({ table, expected }) => {
    const rows = [...document.querySelectorAll(`[data-test=units-${table}] .el-table__body-wrapper .el-table__row`)];
    return JSON.stringify(rows.map((r) => r.querySelector('[data-test=drill-unit]').textContent.trim())) === JSON.stringify(expected);
  }, { table, expected }, { timeout: 90_000 }).catch(() => {});
  return names();
}

test('the unit tables show the API pages, sort and filter on the server, and the summary is all the page reads whole', async () => {
  const page = await openPage(env, { viewport: DESKTOP });
  await login(page, 'office');
  const api = [];
  page.on('request', (r) => { const u = new URL(r.url()); if (u.pathname.startsWith('/api/v1/campaigns/')) api.push(u.pathname + u.search); });
  await page.goto(page.origin + '/dashboard');
  await page.locator('[data-test=ranking][data-rendered]').waitFor();
  // Below the charts, the tables' code loads when they come near the screen.
  assert.equal(await page.locator('[data-test=units-ranking]').count(), 0, 'not before they are near the screen');
  await page.locator('[data-test=units-card]').scrollIntoViewIfNeeded();
  const get = async (q) => (await page.request.get(page.origin + '/api/v1/campaigns/1/' + q)).json();

  // Ranking table: page 1 of 10, by rank.
  const p1 = await get('dashboard/ranking?limit=10');
  assert.ok(p1.total > 20, 'the demo city has its units');
  assert.deepEqual(await namesShown(page, 'ranking', p1.items.map((r) => r.name)), p1.items.map((r) => r.name));
  assert.match(await page.locator('[data-test=units-ranking] .el-pagination__total').innerText(), new RegExp(String(p1.total)));
  // Page 2 through the pager.
  const p2 = await get('dashboard/ranking?limit=10&offset=10');
  await page.locator('[data-test=units-ranking] .el-pager li', { hasText: /^2$/ }).click();
  assert.deepEqual(await namesShown(page, 'ranking', p2.items.map((r) => r.name)), p2.items.map((r) => r.name));
  // Sorted by score, highest first (the column's descending arrow), back on page 1.
  const byScore = await get('dashboard/ranking?limit=10&sort=-score');
  await page.locator('[data-test=units-ranking] th').filter({ hasText: /得分/ }).locator('.caret-wrapper .descending').click();
  assert.deepEqual(await namesShown(page, 'ranking', byScore.items.map((r) => r.name)), byScore.items.map((r) => r.name));
  assert.ok(api.some((u) => u.includes('/dashboard/ranking?') && u.includes('sort=-score')), 'sorted by the server');
  // Filtered to one category.
  const services = await get('dashboard/ranking?limit=10&sort=-score&category=services');
  await page.locator('[data-test=units-ranking] [data-test=filter-category]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '服务部门' }).click();
  assert.deepEqual(await namesShown(page, 'ranking', services.items.map((r) => r.name)), services.items.map((r) => r.name));

  // Lagging units: zero and behind, as the API gives them, counted in the card's title.
  const lagging = await get('dashboard/ranking?limit=10&status=zero&status=behind');
  const dash = await get('dashboard');
  assert.equal(dash.lagging_total, lagging.total);
  // The forecast names its unit in its title: the demo's signing target passes 1 亿 (10^8 元).
  assert.ok(dash.forecast.signed_value.target >= 1e8, `signing target ${dash.forecast.signed_value.target}`);
  assert.equal(await page.locator('[data-test=forecast-title]').innerText(), '预测完成（亿元）');
  assert.deepEqual(await namesShown(page, 'lagging', lagging.items.map((r) => r.name)), lagging.items.map((r) => r.name));
  for (const tag of await page.locator('[data-test=units-lagging] .el-tag').allInnerTexts()) assert.match(tag, /落后|零进展/);

  // The light matrix: a cell's light is the API's; sorted by funds arrived, lowest first.
  await page.locator('[data-test=table-tabs] label').nth(1).click();
  const m = await get('dashboard/matrix?limit=10');
  assert.deepEqual(await namesShown(page, 'matrix', m.items.map((r) => r.name)), m.items.map((r) => r.name));
  const firstLights = await rowsOf(page, 'matrix').first().locator('.cell-light .light').evaluateAll((els) => els.map((e) => [...e.classList].find((c) => c !== 'light')));
  assert.deepEqual(firstLights, ['funds_arrived', 'signed_count', 'signed_value', 'started_count', 'completed_count', 'policy_funds', 'leads_count']
    .map((k) => m.items[0].metrics[k].light));
  const head = page.locator('[data-test=units-matrix] th').filter({ hasText: /到位资金/ });
  assert.match(await head.innerText(), new RegExp(`${dash.lights.funds_arrived.ahead}\\s*${dash.lights.funds_arrived.on_track}`), 'light counts of the summary');
  const byFunds = await get('dashboard/matrix?limit=10&sort=funds_arrived');
  await head.locator('.caret-wrapper .ascending').click();
  assert.deepEqual(await namesShown(page, 'matrix', byFunds.items.map((r) => r.name)), byFunds.items.map((r) => r.name));
  await shot(page, 'dashboard-tables');

  // Nothing whole: no progress, forecast or full ranking board, every table request a page.
  assert.deepEqual(api.filter((u) => /\/campaigns\/\d+\/(progress|forecast|ranking)(\?|$)/.test(u)), []);
  assert.ok(api.some((u) => /\/dashboard\/matrix\?/.test(u)));
  for (const u of api.filter((x) => /\/dashboard\/(ranking|matrix)/.test(x))) assert.match(u, /limit=10\b/, u);
  page.check();
  await page.ctx.close();
});

test('at 390 px in English the tables scroll inside their card and the page does not scroll sideways', async () => {
  const page = await openPage(env, { viewport: PHONE, locale: 'en' });
  await login(page, 'leader');
  await page.evaluate(() => localStorage.setItem('huizhan.locale', 'en'));
  await page.goto(page.origin + '/dashboard');
  await page.locator('[data-test=ranking][data-rendered]').waitFor();
  await page.locator('[data-test=units-card]').scrollIntoViewIfNeeded();
  await rowsOf(page, 'ranking').first().waitFor();
  await rowsOf(page, 'lagging').first().waitFor();
  assert.match(await page.locator('[data-test=lagging-card] .el-card__header').innerText(), /Lagging units/);
  assert.match(await page.locator('[data-test=forecast-title]').innerText(), /^.+ \(CNY\)$/);
  const { scrollWidth, clientWidth } = await horizontalOverflow(page);
  assert.ok(scrollWidth <= clientWidth, `page ${scrollWidth}px wide in ${clientWidth}px`);
  // The table itself is wider than the phone and scrolls inside its wrapper.
  const inner = await page.locator('[data-test=units-ranking] .el-table__body-wrapper .el-scrollbar__wrap').first()
    .evaluate((e) => [e.scrollWidth, e.clientWidth]);
  assert.ok(inner[0] > inner[1], `the ranking table scrolls in itself: ${inner}`);
  await page.locator('[data-test=units-ranking]').scrollIntoViewIfNeeded();
  await shot(page, 'phone-dashboard-tables-en');
  // The as-of day through the Element Plus picker (its code loads when the field is touched),
  // in English, on the phone: the figures then stand at that day, as the API gives them.
  const today = (await (await page.request.get(page.origin + '/api/v1/campaigns/1/dashboard')).json()).campaign.as_of;
  const day = new Date(Date.parse(today + 'T00:00:00Z') - 2 * 86400e3).toISOString().slice(0, 10);
  const then = await (await page.request.get(page.origin + '/api/v1/campaigns/1/dashboard?as_of=' + day)).json();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator('[data-test=as-of]').click();
  await page.locator('.el-picker-panel:visible').waitFor();
  assert.match(await page.locator('.el-picker-panel:visible').innerText(), /Sun\s+Mon/);
  await shot(page, 'phone-dashboard-as-of-en');
  await page.locator('[data-test=as-of] input').fill(day);
  await page.locator('[data-test=as-of] input').press('Enter');
  await page.locator('.time-card').filter({ hasText: `Day ${then.campaign.day} of ${then.campaign.days}` }).filter({ hasText: day }).waitFor();
  const overflow = await horizontalOverflow(page);
  assert.ok(overflow.scrollWidth <= overflow.clientWidth, 'the open picker keeps the page within the phone');
  page.check();
  await page.ctx.close();
});
