// What the login page and the dashboard cost to load: the JavaScript and CSS they fetch,
// as sent (gzip), must stay within 400 KB (400,000 bytes) in all (issue 11); every one of those files
// comes gzip-encoded. Prints the total and the time from logging in to the charts drawn.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPage, shot, DEMO_PASSWORD } from './lib.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

test('login page + dashboard: JS and CSS ≤ 400 KB gzip, all of it gzip-encoded', async () => {
  const page = await openPage(env);
  const sent = new Map();
  page.on('response', async (r) => {
    const u = new URL(r.url());
    if (!u.pathname.startsWith('/assets/') || !/\.(js|css)$/.test(u.pathname)) return;
    const h = await r.allHeaders();
    sent.set(u.pathname, { bytes: Number(h['content-length']), encoding: h['content-encoding'] });
  });
  // The way in by a link to the dashboard: the login page, then straight to the dashboard.
  await page.goto(page.origin + '/dashboard');
  await page.waitForURL(/\/login\?redirect=(%2F|\/)dashboard$/);
  await page.locator('input[name=login]').fill('leader');
  await page.locator('input[name=password]').fill(DEMO_PASSWORD);
  const t0 = Date.now();
  await page.locator('[data-test=login-submit]').click();
  await page.waitForURL(/\/dashboard$/);
  await page.locator('[data-test=ranking][data-rendered]').waitFor();
  await page.locator('[data-test=funnel][data-rendered]').waitFor();
  const ms = Date.now() - t0;
  const total = [...sent.values()].reduce((a, x) => a + x.bytes, 0);
  for (const [path, x] of sent) {
    assert.equal(x.encoding, 'gzip', path);
    assert.ok(x.bytes > 0, path);
  }
  assert.ok(sent.size >= 4, [...sent.keys()].join());
  console.log(`login + dashboard: ${sent.size} JS/CSS files, ${total} bytes gzip; dashboard drawn ${ms} ms after logging in`);
  assert.ok(total <= 400 * 1000, `${total} bytes`);
  await shot(page, 'dashboard-leader');
  page.check();
  await page.ctx.close();
});
