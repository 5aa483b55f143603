// The language switch: zh-CN by default, English on request; menus, page text and
// Element Plus's own texts (pagination) change, and the choice survives a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPage, login, shot } from './lib.mjs';

// Picks a language from the header's menu until the projects menu entry reads `label`. A
// click that lands while the menu is still opening is lost (once in CI, on a loaded
// machine), as a person would see; the person clicks again, and so does the test, at most
// three times.
async function switchLanguage(page, code, label) {
  for (let attempt = 1; ; attempt++) {
    await page.locator('[data-test=lang]').click();
    await page.locator(`[data-test=lang-${code}]`).click();
    const switched = await page.waitForFunction((l) => document.querySelector('[data-menu=projects]').innerText.trim() === l,
      label, { timeout: 15000 }).then(() => true, () => false);
    if (switched) return;
    assert.ok(attempt < 3, `the menu still does not read ${label} after choosing ${code} three times`);
  }
}

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

test('switching to English changes the UI text and survives a reload; switching back restores Chinese', async () => {
  const page = await openPage(env);
  await login(page, 'office');
  const menu = () => page.locator('[data-menu=projects]').innerText();
  assert.equal((await menu()).trim(), '项目管理');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');

  await switchLanguage(page, 'en', 'Projects');
  assert.match(await page.locator('.welcome .page-title').innerText(), /^Hello, /);
  assert.equal(await page.evaluate(() => localStorage.getItem('huizhan.locale')), 'en');

  await page.reload();
  await page.locator('[data-test=home] [data-todo]').first().waitFor();
  assert.equal((await menu()).trim(), 'Projects');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.equal((await page.locator('[data-todo=queue] .todo-label').innerText()).trim(), 'Certification queue');

  // Element Plus follows: its pagination says "Total" in English.
  await page.locator('[data-menu=projects]').click();
  await page.locator('[data-test=project-table] .el-table__row').first().waitFor();
  assert.match(await page.locator('.el-pagination__total').innerText(), /^Total \d+/);
  await shot(page, 'projects-en');

  await switchLanguage(page, 'zh', '项目管理');
  assert.match(await page.locator('.el-pagination__total').innerText(), /^共 \d+ 条/);
  await page.reload();
  await page.locator('[data-test=project-table] .el-table__row').first().waitFor();
  assert.equal((await menu()).trim(), '项目管理');
  page.check();
  await page.ctx.close();
});

test('the login page switches language too, before anyone logs in', async () => {
  const page = await openPage(env);
  await page.goto(page.origin + '/login');
  await page.locator('[data-test=login-submit]').waitFor();
  assert.equal((await page.locator('[data-test=login-submit]').innerText()).replace(/\s/g, ''), '登录');
  await page.locator('[data-test=login-lang]').click();
  // English is loaded on first choice, then the page switches.
  await page.waitForFunction(() => document.querySelector('[data-test=login-submit]').innerText.trim() === 'Log in');
  await page.reload();
  await page.locator('[data-test=demo-hint]').waitFor();
  assert.equal((await page.locator('[data-test=login-submit]').innerText()).trim(), 'Log in');
  assert.match(await page.locator('[data-test=demo-hint]').innerText(), /Every demo account has the password/);
  await shot(page, 'login-en');
  page.check();
  await page.ctx.close();
});
