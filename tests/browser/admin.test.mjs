// The administrator's pages: a user created through the UI (role and unit) can log in,
// a too-short password is refused under its field, a disabled user no longer can; an
// API token made through the UI is shown once and works as a Bearer token until it is
// revoked through the UI; the settings and jobs pages save what they show. Screenshots
// at 1440 and 390 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPage, login, shot, PHONE, horizontalOverflow, DEMO_PASSWORD } from './lib.mjs';
import { sql } from '../api/fixtures.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

const NEW_LOGIN = 'zhang.test';
const NEW_PASSWORD = 'Zhang-2026-pass';

async function pick(page, selectLocator, text) {
  await selectLocator.click();
  const item = page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: text }).first();
  await item.waitFor();
  await item.click();
  // The list closes (fading) before the next field is clicked: under load it once covered the next select.
  await item.waitFor({ state: 'hidden' });
}

async function apiLogin(env, loginName, password) {
  const r = await fetch(env.server.url + '/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: loginName, password }) });
  return r.status;
}

test('a user created through the UI logs in; a short password is refused under its field; disabling locks them out', async () => {
  const page = await openPage(env);
  await login(page, 'admin');
  await page.locator('[data-menu=admin-users]').click();
  await page.locator('[data-test=user-table] .el-table__row').first().waitFor();
  const total = Number(sql(env.server.db, 'SELECT count(*) FROM users')[0][0]);
  assert.match(await page.locator('[data-test=admin-users]').innerText(), new RegExp(`共 ${total} 条`));
  await shot(page, 'admin-users-1440');

  const unit = sql(env.server.db, "SELECT id, name FROM units WHERE name = '市商务局'")[0];
  await page.locator('[data-test=user-new]').click();
  const dlg = page.locator('[data-test=user-dialog]');
  await dlg.locator('input[name=login]').fill(NEW_LOGIN);
  await dlg.locator('input[name=name]').fill('张测试');
  await pick(page, dlg.locator('[data-test=user-role]'), '单位联络员');
  await pick(page, dlg.locator('[data-test=user-unit]'), unit[1]);
  await dlg.locator('input[name=password]').fill('short');
  await dlg.locator('[data-test=user-save]').click();
  const err = dlg.locator('.el-form-item').filter({ hasText: '初始密码' }).locator('.el-form-item__error');
  await err.waitFor();
  assert.match(await err.innerText(), /8 个字符/);
  assert.equal(sql(env.server.db, `SELECT count(*) FROM users WHERE login = '${NEW_LOGIN}'`)[0][0], '0');
  await shot(page, 'admin-user-dialog-error');
  await dlg.locator('input[name=password]').fill(NEW_PASSWORD);
  await dlg.locator('[data-test=user-save]').click();
  await dlg.waitFor({ state: 'hidden' });
  // What the server keeps, and its audit.
  const [row] = sql(env.server.db, `SELECT id, name, role, unit_id, disabled FROM users WHERE login = '${NEW_LOGIN}'`);
  assert.deepEqual(row.slice(1), ['张测试', 'unit_staff', unit[0], '0']);
  assert.equal(sql(env.server.db, `SELECT count(*) FROM audit_log WHERE entity = 'users' AND entity_id = ${row[0]} AND action = 'create'`)[0][0], '1');
  // Found by the search form.
  await page.locator('[data-test=filter-q]').fill(NEW_LOGIN);
  await page.locator('[data-test=filter-q]').press('Enter');
  await shot(page, 'admin-users-search');
  await page.locator('[data-test=user-table] .el-table__body-wrapper .el-table__row').filter({ hasText: NEW_LOGIN }).waitFor();
  assert.equal(await page.locator('[data-test=user-table] .el-table__body-wrapper .el-table__row').count(), 1);

  // The new user logs in through the form and sees the unit's workbench.
  const them = await openPage(env);
  await login(them, NEW_LOGIN, NEW_PASSWORD);
  const me = await (await them.request.get(them.origin + '/api/v1/me')).json();
  assert.deepEqual([me.login, me.role, me.unit_id], [NEW_LOGIN, 'unit_staff', Number(unit[0])]);
  them.check();
  await them.ctx.close();

  // Reset the password through the UI: the old one stops working, the new one works.
  await page.locator('[data-test=user-table] .el-table__fixed-right [data-test=user-password], [data-test=user-table] [data-test=user-password]').first().click();
  const pwd = page.locator('[data-test=password-dialog]');
  await pwd.locator('input').fill('Zhang-2026-new!');
  await pwd.locator('[data-test=password-save]').click();
  await pwd.waitFor({ state: 'hidden' });
  assert.equal(await apiLogin(env, NEW_LOGIN, NEW_PASSWORD), 401);
  assert.equal(await apiLogin(env, NEW_LOGIN, 'Zhang-2026-new!'), 200);
  // The reset forces a change at the next login: the row says so with a tag, as the server keeps it.
  assert.equal(sql(env.server.db, `SELECT must_change_password FROM users WHERE login = '${NEW_LOGIN}'`)[0][0], '1');
  await page.locator('[data-test=user-table] .el-table__body-wrapper .el-table__row').filter({ hasText: NEW_LOGIN })
    .locator('[data-test=must-change]').filter({ hasText: '须改密码' }).waitFor();

  // Disable after a confirmation: the login is refused.
  await page.locator('[data-test=user-table] [data-test=user-toggle]').first().click();
  await page.locator('.el-message-box').waitFor();
  assert.match(await page.locator('.el-message-box').innerText(), new RegExp(NEW_LOGIN));
  await page.locator('.el-message-box .el-button--primary').click();
  await page.locator('[data-test=user-table] .el-table__body-wrapper .el-table__row').filter({ hasText: '已停用' }).waitFor();
  assert.equal(sql(env.server.db, `SELECT disabled FROM users WHERE login = '${NEW_LOGIN}'`)[0][0], '1');
  assert.equal(await apiLogin(env, NEW_LOGIN, 'Zhang-2026-new!'), 401);
  // The only console error is the refused short password (HTTP 400).
  assert.deepEqual(page.problems.filter((x) => !/status of 400/.test(x)), []);
  assert.equal(page.problems.length, 1, page.problems.join('\n'));
  await page.ctx.close();
});

test('the users table shows each user\'s last login as the login log has it, and 从未登录 / Never for one who never logged in', async () => {
  assert.equal(await apiLogin(env, 'office', DEMO_PASSWORD), 200);
  // The campaign's zone is Beijing time: UTC+8 all year (no summer time).
  assert.deepEqual(sql(env.server.db, 'SELECT DISTINCT time_zone FROM campaigns'), [['Asia/Shanghai']]);
  const [at, address] = sql(env.server.db, "SELECT at, address FROM login_events WHERE login = 'office' AND outcome = 'ok' ORDER BY id DESC LIMIT 1")[0];
  const beijing = new Date(Date.parse(at) + 8 * 3600e3).toISOString();
  const when = `${beijing.slice(0, 10)} ${beijing.slice(11, 16)}`;
  // Someone who never logged in (and whom this test does not log in: the admin does, below).
  const never = sql(env.server.db, "SELECT login FROM users WHERE login NOT IN ('admin', 'office') AND id NOT IN"
    + " (SELECT user_id FROM login_events WHERE outcome = 'ok' AND user_id IS NOT NULL) ORDER BY login LIMIT 1")[0][0];
  const views = [[{ width: 1366, height: 900 }, 'zh', '1366'], [{ width: 1366, height: 900 }, 'en', '1366'], [PHONE, 'zh', '390'], [PHONE, 'en', '390']];
  // One login; each view is a fresh load of the page at its size and in its language.
  const page = await openPage(env, { viewport: views[0][0] });
  await login(page, 'admin');
  for (const [viewport, lang, width] of views) {
    await page.setViewportSize(viewport);
    await page.evaluate((l) => localStorage.setItem('huizhan.locale', l), lang === 'en' ? 'en' : 'zh-CN');
    await page.goto(page.origin + '/admin/users');
    const rows = page.locator('[data-test=user-table] .el-table__body-wrapper .el-table__row');
    await rows.first().waitFor();
    const header = page.locator('[data-test=user-table] .el-table__header th').filter({ hasText: lang === 'en' ? 'Last login' : '上次登录' });
    assert.equal(await header.count(), width === '390' ? 0 : 1, 'the column on a desktop, a card line on a phone');
    await shot(page, `admin-users-last-login-${width}-${lang}`);
    if (width === '1366' && lang === 'zh') {
      // Sorting asks the server (?sort=-last_login_at): the latest logins first, as the login log has them.
      const asked = page.waitForResponse((r) => r.url().includes('/api/v1/users?') && r.url().includes('sort=-last_login_at'));
      await header.locator('.caret-wrapper .descending').click();
      await asked;
      await page.locator('[data-test=user-table] .el-loading-mask').waitFor({ state: 'hidden' });
      const latest = sql(env.server.db, "SELECT u.login FROM users u JOIN login_events e ON e.user_id = u.id AND e.outcome = 'ok'"
        + ' GROUP BY u.id, u.login ORDER BY MAX(e.at) DESC, u.id DESC LIMIT 3').map((r) => r[0]); // ties (same second): by id
      const shown = await rows.locator('td:first-child .cell > div:first-child').allInnerTexts();
      assert.deepEqual(shown.slice(0, latest.length).map((x) => x.trim()), latest);
    }
    // The row of one login, found by the search form.
    const rowOf = async (loginName) => {
      await page.locator('[data-test=filter-q]').fill(loginName);
      await page.locator('[data-test=filter-q]').press('Enter');
      const row = rows.filter({ has: page.locator('td:first-child .cell > div:first-child', { hasText: new RegExp(`^${loginName}$`) }) });
      await row.waitFor();
      await page.locator('[data-test=user-table] .el-loading-mask').waitFor({ state: 'hidden' });
      return row;
    };
    const line = (text) => (width === '390' ? (lang === 'en' ? `Last login: ${text}` : `上次登录：${text}`) : text);
    const office = await rowOf('office');
    assert.equal((await office.locator('[data-test=last-login]').innerText()).trim(), line(when));
    // the address on a desktop (the admin keeps the accounts), not on the phone's card line
    assert.equal(await office.locator('[data-test=last-login-address]').count(), width === '390' ? 0 : 1);
    if (width !== '390') assert.equal((await office.locator('[data-test=last-login-address]').innerText()).trim(), address);
    const none = await rowOf(never);
    assert.equal((await none.locator('[data-test=last-login]').innerText()).trim(), line(lang === 'en' ? 'Never' : '从未登录'));
    if (width === '390') {
      const o = await horizontalOverflow(page);
      assert.ok(o.scrollWidth <= o.clientWidth, JSON.stringify(o));
    }
  }
  page.check();
  await page.ctx.close();
});

test('a token created through the UI works as a Bearer token until it is revoked through the UI', async () => {
  const page = await openPage(env);
  await login(page, 'admin');
  await page.locator('[data-menu=admin-tokens]').click();
  await page.locator('[data-test=admin-tokens]').waitFor();
  await page.locator('[data-test=token-new]').click();
  const dlg = page.locator('[data-test=token-dialog]');
  await dlg.locator('input[name=token-name]').fill('统计局数据同步');
  await dlg.locator('[data-test=token-user]').click();
  await page.keyboard.type('office');
  const opt = page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: '（office）' }).first();
  await opt.waitFor();
  await opt.click();
  await dlg.locator('[data-test=token-save]').click();
  const value = dlg.locator('[data-test=token-value]');
  await value.waitFor();
  const token = (await value.innerText()).trim();
  assert.match(token, /^[A-Za-z0-9_-]{30,}$/);
  await shot(page, 'admin-token-made');
  // Only the hash is stored.
  assert.equal(sql(env.server.db, `SELECT count(*) FROM api_tokens WHERE token_hash = '${token}'`)[0][0], '0');

  const bearer = (t) => fetch(env.server.url + '/api/v1/me', { headers: { Authorization: `Bearer ${t}` } });
  const r = await bearer(token);
  assert.equal(r.status, 200);
  assert.equal((await r.json()).login, 'office');

  await dlg.locator('[data-test=token-done]').click();
  await dlg.waitFor({ state: 'hidden' });
  const row = page.locator('[data-test=token-table] .el-table__body-wrapper .el-table__row').filter({ hasText: '统计局数据同步' });
  await row.waitFor();
  assert.ok(!(await page.locator('[data-test=admin-tokens]').innerText()).includes(token), 'the list never shows the token');
  await shot(page, 'admin-tokens-1440');
  await page.locator('[data-test=token-table] [data-test=token-revoke]').first().click();
  await page.locator('.el-message-box .el-button--primary').click();
  await row.filter({ hasText: '已吊销' }).waitFor();
  assert.equal((await bearer(token)).status, 401);
  page.check();
  await page.ctx.close();
});

test('settings and jobs: the office saves a margin and switches a job off; the server keeps both', async () => {
  const page = await openPage(env);
  await login(page, 'office');
  await page.locator('[data-menu=admin-settings]').click();
  const input = page.locator('[data-test=behind_margin] input');
  await input.waitFor();
  assert.equal(await input.inputValue(), '10');
  await input.fill('12');
  await input.press('Tab');
  await page.locator('[data-test=settings-save]').click();
  await page.getByText('已保存').first().waitFor();
  const s = await (await page.request.get(page.origin + '/api/v1/campaigns/1/settings')).json();
  assert.equal(s.behind_margin, 12);
  assert.equal(s.ahead_margin, 10);
  await shot(page, 'admin-settings-1440');

  await page.locator('[data-menu=admin-jobs]').click();
  const first = page.locator('[data-test=job-table] .el-table__body-wrapper .el-table__row').filter({ hasText: 'early-warning' });
  await first.waitFor();
  await first.locator('[data-test=job-enabled]').click();
  await page.getByText('已停用“考核节点预警”').waitFor();
  const jobs = await (await page.request.get(page.origin + '/api/v1/jobs')).json();
  assert.equal(jobs.items.find((j) => j.name === 'early-warning').enabled, false);
  await shot(page, 'admin-jobs-1440');
  page.check();
  await page.ctx.close();
});

test('the audit log filters by object type and action, and shows the settings change field by field', async () => {
  // After the previous test the office changed behind_margin 10 → 12.
  const page = await openPage(env);
  await login(page, 'office');
  await page.locator('[data-menu=audit]').click();
  await page.locator('[data-test=audit-table] .el-table__row').first().waitFor();
  await pick(page, page.locator('[data-test=audit-entity]'), '考核设置');
  await pick(page, page.locator('[data-test=audit-action]'), '修改');
  const api = await (await page.request.get(page.origin + '/api/v1/audit?entity=campaign-settings&action=update&sort=-id')).json();
  assert.equal(api.total, Number(sql(env.server.db, "SELECT count(*) FROM audit_log WHERE entity = 'campaign-settings' AND action = 'update'")[0][0]));
  assert.ok(api.total >= 1);
  await page.waitForFunction((n) => document.querySelector('[data-test=audit]').innerText.includes(`共 ${n} 条`), api.total);
  const rows = page.locator('[data-test=audit-table] .el-table__body-wrapper .el-table__row');
  assert.equal(await rows.count(), api.total);
  assert.match(await rows.first().innerText(), new RegExp(`${api.items[0].id}[\\s\\S]*徐淑珍（office）[\\s\\S]*修改[\\s\\S]*考核设置`));
  await rows.first().click();
  const drawer = page.locator('[data-test=audit-drawer]');
  const changed = drawer.locator('[data-test=audit-diff] tr[data-changed]');
  await changed.first().waitFor();
  // Only the changed fields by default: behind_margin 10 → 12 (and the version).
  const cells = await changed.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())));
  assert.deepEqual(cells.find((c) => c[0] === 'behind_margin'), ['behind_margin', '10', '12']);
  assert.ok(!cells.some((c) => c[0] === 'ahead_margin'), 'unchanged fields hidden');
  await shot(page, 'audit-drawer-1440');
  page.check();
  await page.ctx.close();
});

test('on a phone the admin pages scroll inside their tables, not sideways', async () => {
  const page = await openPage(env, { viewport: PHONE });
  await login(page, 'admin');
  for (const [path, sel, name] of [['/admin/users', '[data-test=user-table] .el-table__row', 'admin-users-390'], ['/admin/tokens', '[data-test=token-table]', 'admin-tokens-390'],
    ['/admin/settings', '[data-test=behind_margin]', 'admin-settings-390'], ['/admin/jobs', '[data-test=job-table] .el-table__row', 'admin-jobs-390']]) {
    await page.goto(page.origin + path);
    await page.locator(sel).first().waitFor();
    const o = await horizontalOverflow(page);
    assert.ok(o.scrollWidth <= o.clientWidth, `${path}: ${JSON.stringify(o)}`);
    await shot(page, name);
  }
  page.check();
  await page.ctx.close();
});
