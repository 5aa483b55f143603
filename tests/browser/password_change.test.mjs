// The forced password change (issue 14): a person whose password must be changed (init's
// generated one, or an expired one) lands on the change-password page after logging in,
// whatever page they asked for; a password the policy refuses is named under its field;
// once changed, the workbench opens. In Chinese and in English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPage, DEMO_PASSWORD } from './lib.mjs';
import { sql } from '../api/fixtures.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

async function forcedLogin(page, loginName) {
  await page.goto(page.origin + '/login?redirect=/projects');
  await page.locator('input[name=login]').fill(loginName);
  await page.locator('input[name=password]').fill(DEMO_PASSWORD);
  await page.locator('[data-test=login-submit]').click();
  await page.waitForURL(/\/password/);
}

test('a must-change password leads to the change page, and nowhere else until changed', async () => {
  sql(env.server.db, "UPDATE users SET must_change_password = 1 WHERE login = 'office'");
  const page = await openPage(env);
  await forcedLogin(page, 'office');
  assert.match(await page.locator('[data-test=password-intro]').innerText(), /初始密码/);
  // Another page typed in: back to the change page.
  await page.goto(page.origin + '/dashboard');
  await page.waitForURL(/\/password/);
  // The policy refuses a password of one character class, under the new-password field.
  await page.locator('input[data-test=password-current]').fill(DEMO_PASSWORD);
  await page.locator('input[data-test=password-new]').fill('onlyletters');
  await page.locator('input[data-test=password-confirm]').fill('onlyletters');
  await page.locator('[data-test=password-submit]').click();
  await page.locator('[data-test=password-error]').waitFor();
  await page.locator('.el-form-item__error').first().waitFor();
  assert.match(await page.locator('.el-form-item__error').first().innerText(), /2 类/);
  assert.equal(sql(env.server.db, "SELECT must_change_password FROM users WHERE login = 'office'")[0][0], '1');
  await page.locator('input[data-test=password-new]').fill('Office-new-2026');
  await page.locator('input[data-test=password-confirm]').fill('Office-new-2026');
  await page.locator('[data-test=password-submit]').click();
  await page.waitForURL((u) => u.pathname === "/dashboard"); // the page asked for last
  assert.equal(sql(env.server.db, "SELECT must_change_password FROM users WHERE login = 'office'")[0][0], '0');
  // The new password is the one that works now.
  const r = await fetch(env.server.url + '/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: 'office', password: 'Office-new-2026' }) });
  assert.equal(r.status, 200);
  // The one 400 the browser logged is the refused password sent above; nothing else may be.
  assert.equal(page.problems.filter((p) => /status of 400/.test(p)).length, 1);
  page.problems.splice(0, page.problems.length, ...page.problems.filter((p) => !/status of 400/.test(p)));
  page.check();
  await page.ctx.close();
});

test('in English, an expired password says so; the two new passwords must agree', async () => {
  sql(env.server.db, "UPDATE users SET password_changed_unix = password_changed_unix - 100 * 86400 WHERE login = 'leader'");
  const page = await openPage(env, { locale: 'en' });
  await page.goto(page.origin + '/login');
  await page.evaluate(() => localStorage.setItem('huizhan.locale', 'en'));
  await forcedLogin(page, 'leader');
  const intro = await page.locator('[data-test=password-intro]').innerText();
  assert.match(intro, /expired/);
  await page.locator('input[data-test=password-current]').fill(DEMO_PASSWORD);
  await page.locator('input[data-test=password-new]').fill('Leader-new-2026');
  await page.locator('input[data-test=password-confirm]').fill('Leader-new-2027');
  await page.locator('[data-test=password-submit]').click();
  await page.locator('.el-form-item__error').first().waitFor();
  assert.match(await page.locator('.el-form-item__error').first().innerText(), /differ/);
  assert.equal(page.url().includes('/password'), true);
  page.check();
  await page.ctx.close();
});
