// 得分反查: the office clicks a unit on the dashboard and sees its score's make-up; the
// drill-down's code arrives only then (the dashboard's bundle stays small), the figures
// are the API's, and the fund records listed are the unit's certified arrivals in the
// database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPage, login, shot, PHONE, horizontalOverflow } from './lib.mjs';
import { sqlValue } from '../api/fixtures.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

test('a unit of the ranking opens its score breakdown with the records behind it', async () => {
  for (const [viewport, name] of [[undefined, 'score-drill'], [PHONE, 'score-drill-phone']]) {
    const page = await openPage(env, { viewport });
    const chunks = [];
    page.on('request', (r) => { if (/ScoreDrill/.test(r.url())) chunks.push(r.url()); });
    await login(page, 'office');
    await page.goto(page.origin + '/dashboard');
    // The unit tables load when they come near the screen.
    await page.locator('[data-test=ranking][data-rendered]').waitFor();
    await page.locator('[data-test=units-card]').scrollIntoViewIfNeeded();
    const link = page.locator('[data-test=drill-unit]').nth(1);
    await link.waitFor();
    assert.deepEqual(chunks, [], 'the drill-down is not loaded with the dashboard');
    const unitId = Number(await link.getAttribute('data-unit'));
    const api = (await (await page.request.get(`${page.origin}/api/v1/campaigns/1/ranking/${unitId}`)).json());
    await link.click();
    const drawer = page.locator('[data-test=score-drill]');
    await drawer.locator('[data-test=drill-score]').waitFor();
    assert.ok(chunks.length >= 1, 'the drill-down chunk loads on the click');
    assert.equal((await drawer.locator('[data-test=drill-score]').innerText()).trim(), String(api.score));
    assert.match(await drawer.innerText(), new RegExp(api.name));
    // One row per component, with its weight and points as the API gives them.
    for (const c of api.components) {
      const cells = await drawer.locator(`[data-test=drill-components] tr[data-metric=${c.metric}] td`).allInnerTexts();
      assert.equal(cells[4].trim(), String(c.weight), c.metric);
      assert.equal(cells[5].trim(), String(c.points), c.metric);
    }
    // The funds behind the score: the unit's certified non-policy arrivals up to the as-of day.
    const funds = Number(sqlValue(env.server.db, `SELECT count(*) FROM funds WHERE unit_id = ${unitId} AND campaign_id = 1 AND status = 'certified'
      AND kind <> 'policy' AND date <= '${api.campaign.as_of}' AND project_id NOT IN (SELECT id FROM projects WHERE duplicate_of IS NOT NULL)`));
    const tag = drawer.locator('[data-records=funds_arrived] .el-collapse-item__header .el-tag');
    if (api.components.some((c) => c.metric === 'funds_arrived')) {
      assert.equal((await tag.innerText()).trim().split(' / ').pop(), String(funds));
      assert.equal(await drawer.locator('[data-records=funds_arrived] tbody tr').count(), Math.min(funds, 200));
    }
    if (viewport) assert.equal(Object.values(await horizontalOverflow(page)).reduce((a, b) => a - b), 0);
    await shot(page, name);
    page.check();
    await page.ctx.close();
  }
});
