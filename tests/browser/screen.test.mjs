// The big screen (大屏) at /screen: at 1920×1080 it shows every unit of the dashboard in
// the light matrix with the API's status; it polls with If-None-Match (304 while nothing
// changed) and, when the office certifies a signing through the API, the signed figure
// grows by exactly the contract value without the page reloading. At 1366×768 and
// 1280×1024 the 1920×1080 stage is scaled down whole: nothing is cropped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPage, login, shot, DEMO_PASSWORD } from './lib.mjs';
import { sql } from '../api/fixtures.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

const kpiText = async (page, metric) => (await page.locator(`[data-kpi=${metric}] [data-test=kpi-value]`).innerText()).trim();
const kpiRaw = async (page, metric) => Number(await page.locator(`[data-kpi=${metric}] [data-test=kpi-value]`).getAttribute('data-raw'));
const wanOf = (text) => Number(text.replace(/,/g, ''));

test('the big screen shows every unit with its status and follows a certification without reloading', async () => {
  const page = await openPage(env, { viewport: { width: 1920, height: 1080 } });
  await login(page, 'leader');
  // The workbench links to it.
  await page.locator('[data-test=open-screen]').click();
  await page.waitForURL(/\/screen$/);
  await page.locator('[data-test=matrix-unit]').first().waitFor();
  await page.evaluate(() => { window.__screenMarker = 'kept'; });
  const statuses = [];
  page.on('response', (r) => { if (/\/api\/v1\/campaigns\/1\/dashboard$/.test(r.url())) statuses.push(r.status()); });

  const dash = await (await page.request.get(page.origin + '/api/v1/campaigns/1/dashboard')).json();
  dash.units = (await (await page.request.get(page.origin + '/api/v1/campaigns/1/dashboard/matrix?limit=500')).json()).items;
  assert.ok(dash.units.length > 20, 'the demo city has its units');
  // Every unit once, with the API's status as its class.
  const rows = await page.locator('[data-test=matrix-unit]').evaluateAll((els) => els.map((e) => ({ id: Number(e.dataset.unit), cls: [...e.classList] })));
  assert.equal(rows.length, dash.units.length);
  assert.deepEqual(rows.map((r) => r.id).sort((a, b) => a - b), dash.units.map((u) => u.unit_id).sort((a, b) => a - b));
  for (const u of dash.units) {
    const row = rows.find((r) => r.id === u.unit_id);
    assert.ok(row.cls.includes('st-' + u.status), `unit ${u.name}: ${row.cls} has st-${u.status}`);
  }
  // Every status the API counts is on the screen, and the units add up.
  const counted = Object.values(dash.status_counts).reduce((a, b) => a + b, 0);
  assert.equal(counted, dash.units.length);
  // KPI cards: the certified figures of the API, in 万元 for money.
  assert.equal(await kpiRaw(page, 'signed_value'), dash.totals.signed_value.certified);
  assert.equal(wanOf(await kpiText(page, 'funds_arrived')), dash.totals.funds_arrived.certified / 10000);
  assert.equal(Number(await kpiText(page, 'started_count')), dash.totals.started_count.certified);
  assert.equal((await page.locator('[data-test=days-left] .days-num .num').innerText()).trim(), String(dash.campaign.days_left));
  // The charts drew, and the lists hold the latest signings (newest first).
  await page.locator('[data-test=screen-ranking] canvas').waitFor();
  await page.locator('[data-test=screen-funnel] canvas').waitFor();
  const latest = (await (await page.request.get(page.origin + '/api/v1/stage-changes?campaign_id=1&to_stage=signed&sort=-date&limit=30')).json())
    .items.filter((s) => s.status !== 'rejected');
  assert.equal(await page.locator('[data-signing]').first().getAttribute('data-signing'), String(latest[0].id));
  // The stage fills the 1920×1080 window exactly.
  const box = await page.locator('[data-test=stage]').boundingBox();
  assert.deepEqual([box.x, box.y, box.width, box.height].map(Math.round), [0, 0, 1920, 1080]);
  // Every panel lies inside the stage (the stage clips what overflows).
  const outside = await page.locator('[data-test=stage] .panel').evaluateAll((els) => els
    .map((e) => e.getBoundingClientRect()).filter((r) => r.left < 0 || r.top < 0 || r.right > 1920.5 || r.bottom > 1080.5)
    .map((r) => [r.left, r.top, r.right, r.bottom].map(Math.round)));
  assert.deepEqual(outside, []);
  await shot(page, 'screen-1920');

  // While nothing changes the poll answers 304 and the figure stays.
  const signedText = await kpiText(page, 'signed_value');
  const signedRaw = await kpiRaw(page, 'signed_value');
  const t0 = Date.now();
  while (!statuses.includes(304) && Date.now() - t0 < 15000) await page.waitForTimeout(250);
  assert.ok(statuses.includes(304), `a 304 among the polls: ${statuses}`);
  assert.equal(await kpiText(page, 'signed_value'), signedText);

  // The office certifies a reported signing (entered by a unit, not by the office).
  const [pick] = sql(env.server.db, `SELECT sc.id, sc.contract_value FROM stage_changes sc JOIN users u ON u.id = sc.created_by
    WHERE sc.to_stage = 'signed' AND sc.status = 'reported' AND sc.contract_value > 0 AND sc.campaign_id = 1 AND u.role IN ('unit_head', 'unit_staff')
    ORDER BY sc.id LIMIT 1`);
  assert.ok(pick, 'a reported signing to certify');
  const value = Number(pick[1]);
  const office = await env.server.login('office');
  const r = await office.post(`/api/v1/stage-changes/${pick[0]}/certify`, { reason: '合同原件已核验' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const apiAfter = (await office.get('/api/v1/campaigns/1/dashboard')).body.totals.signed_value.certified;
  assert.equal(apiAfter, signedRaw + value, 'the API counts the contract value');

  // Within one polling interval (10 s) the screen follows, by exactly the contract value.
  await page.waitForFunction((before) => {
    const el = document.querySelector('[data-kpi=signed_value] [data-test=kpi-value]');
    return el && Number(el.getAttribute('data-raw')) !== before;
  }, signedRaw, { timeout: 12000, polling: 200 });
  assert.equal(await kpiRaw(page, 'signed_value'), signedRaw + value);
  const grown = wanOf(await kpiText(page, 'signed_value')) - wanOf(signedText);
  assert.equal(Math.round(grown * 100), value / 100, `shown in 万元: ${signedText} → ${await kpiText(page, 'signed_value')}`);
  assert.ok(statuses.includes(200) && statuses.lastIndexOf(200) > statuses.indexOf(304), 'a 200 after the 304s');
  // No reload: the marker set on this page is still there.
  assert.equal(await page.evaluate(() => window.__screenMarker), 'kept');
  await shot(page, 'screen-1920-after');

  // Other windows: the stage is scaled whole and centred.
  for (const vp of [{ width: 1366, height: 768 }, { width: 1280, height: 1024 }]) {
    await page.setViewportSize(vp);
    await page.waitForFunction((w) => {
      const b = document.querySelector('[data-test=stage]').getBoundingClientRect();
      return Math.abs(b.width - 1920 * Math.min(w.width / 1920, w.height / 1080)) < 1;
    }, vp);
    const b = await page.locator('[data-test=stage]').boundingBox();
    const s = Math.min(vp.width / 1920, vp.height / 1080);
    assert.ok(b.x >= -0.5 && b.y >= -0.5 && b.x + b.width <= vp.width + 0.5 && b.y + b.height <= vp.height + 0.5, `${vp.width}×${vp.height}: ${JSON.stringify(b)}`);
    assert.ok(Math.abs(b.width - 1920 * s) < 1 && Math.abs(b.height - 1080 * s) < 1, 'scaled, not cropped');
    // Letterboxed: centred on the axis with room to spare.
    assert.ok(Math.abs(b.x - (vp.width - b.width) / 2) < 1 && Math.abs(b.y - (vp.height - b.height) / 2) < 1, 'centred');
    // The last unit of the matrix and the bottom panels are inside the window.
    const last = await page.locator('[data-test=matrix-unit]').last().boundingBox();
    assert.ok(last.y + last.height <= vp.height, 'the matrix is whole');
    const doc = await page.evaluate(() => ({ w: document.scrollingElement.scrollWidth, h: document.scrollingElement.scrollHeight }));
    assert.deepEqual(doc, { w: vp.width, h: vp.height }, 'no scrollbars');
    await shot(page, `screen-${vp.width}x${vp.height}`);
  }
  assert.equal(await page.evaluate(() => window.__screenMarker), 'kept');
  page.check();
  await page.ctx.close();
});

test('the dashboard links to the big screen and back; without a session it asks for the login first', async () => {
  const page = await openPage(env);
  await login(page, 'office');
  await page.goto(page.origin + '/dashboard');
  await page.locator('[data-test=open-screen]').click();
  await page.waitForURL(/\/screen$/);
  await page.locator('[data-test=matrix-unit]').first().waitFor();
  // Back to the dashboard from the screen.
  await page.locator('[data-test=screen-back]').click();
  await page.waitForURL(/\/dashboard$/);
  page.check();
  await page.ctx.close();

  // Without a session the screen asks for the login first, then opens.
  const anon = await openPage(env, { viewport: { width: 1920, height: 1080 } });
  await anon.goto(anon.origin + '/screen');
  await anon.waitForURL(/\/login\?redirect=(%2F|\/)screen$/);
  assert.equal(await anon.locator('[data-test=matrix-unit]').count(), 0);
  await anon.locator('input[name=login]').fill('leader');
  await anon.locator('input[name=password]').fill(DEMO_PASSWORD);
  await anon.locator('[data-test=login-submit]').click();
  await anon.waitForURL(/\/screen$/);
  await anon.locator('[data-test=matrix-unit]').first().waitFor();
  anon.check();
  await anon.ctx.close();
});
