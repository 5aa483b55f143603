// Each role logs in through the form, lands on its workbench and sees its own menu, taken
// from the capabilities in /api/v1/me. A unit user has no office menu: typing the audit
// log's URL shows the 403 page, and the API refuses the same data with 403.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPage, login, shot, menuNames } from './lib.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

const MENUS = {
  admin: ['home', 'dashboard', 'projects', 'project-board', 'investors', 'certification', 'duplicates', 'notifications', 'weekly-reports', 'report-status', 'coordination', 'inspections', 'bulletins', 'checkpoints', 'rules', 'proposals', 'admonitions', 'snapshots', 'org-campaigns', 'org-units', 'org-targets', 'org-teams', 'org-events', 'import', 'admin-users', 'admin-tokens', 'webhooks', 'admin-settings', 'admin-jobs', 'audit'],
  office: ['home', 'dashboard', 'projects', 'project-board', 'investors', 'certification', 'duplicates', 'notifications', 'weekly-reports', 'report-status', 'coordination', 'inspections', 'bulletins', 'checkpoints', 'rules', 'proposals', 'admonitions', 'snapshots', 'org-campaigns', 'org-units', 'org-targets', 'org-teams', 'org-events', 'import', 'webhooks', 'admin-settings', 'admin-jobs', 'audit'],
  leader: ['home', 'dashboard', 'projects', 'project-board', 'investors', 'notifications', 'weekly-reports', 'report-status', 'coordination', 'inspections', 'bulletins', 'checkpoints', 'rules', 'proposals', 'admonitions', 'org-units', 'org-targets', 'org-teams', 'org-events'],
  'gxj.head': ['home', 'dashboard', 'projects', 'project-board', 'investors', 'notifications', 'weekly-reports', 'coordination', 'inspections', 'bulletins', 'checkpoints', 'rules', 'proposals', 'admonitions', 'org-units', 'org-targets', 'org-teams', 'org-events', 'import'],
  'gxj.staff1': ['home', 'dashboard', 'projects', 'project-board', 'investors', 'notifications', 'weekly-reports', 'coordination', 'inspections', 'bulletins', 'checkpoints', 'rules', 'proposals', 'admonitions', 'org-units', 'org-targets', 'org-teams', 'org-events', 'import'],
};
// The to-do cards of each workbench (data-todo), in order.
const TODOS = {
  admin: ['queue', 'missingReports', 'overdueItems', 'proposals', 'instructions', 'quiet'],
  office: ['queue', 'missingReports', 'overdueItems', 'proposals', 'quiet'],
  leader: ['dashboard', 'queue', 'missingReports', 'overdueItems', 'proposals', 'instructions', 'quiet'],
  'gxj.head': ['followups', 'quiet', 'reportDue', 'sentBack', 'toReview'],
  'gxj.staff1': ['followups', 'quiet', 'reportDue', 'sentBack'],
};

for (const who of Object.keys(MENUS)) {
  test(`${who} logs in, sees the workbench and its menu`, async () => {
    const page = await openPage(env);
    await login(page, who);
    assert.deepEqual(await menuNames(page), MENUS[who]);
    const todos = await page.locator('[data-todo]').evaluateAll((els) => els.map((e) => e.getAttribute('data-todo')));
    assert.deepEqual(todos, TODOS[who]);
    // Each count is a number and each card a link.
    for (const card of await page.locator('[data-todo]').all()) {
      assert.match(await card.getAttribute('href'), /^\//);
      assert.match((await card.locator('.todo-count').innerText()).trim(), /^\d+$/);
    }
    const me = await (await page.request.get(page.origin + '/api/v1/me')).json();
    assert.equal(me.login, who);
    assert.match(await page.locator('.welcome .page-title').innerText(), new RegExp(me.name));
    await shot(page, `home-${who.replace('.', '-')}`);
    page.check();
    await page.ctx.close();
  });
}

test('a unit user typing an office URL gets the 403 page, and the API answers 403', async () => {
  const page = await openPage(env);
  await login(page, 'gxj.staff1');
  await page.goto(page.origin + '/certification');
  await page.locator('[data-test=forbidden]').waitFor();
  assert.equal(await page.locator('[data-test=certification]').count(), 0);
  await page.goto(page.origin + '/audit');
  await page.locator('[data-test=forbidden]').waitFor();
  assert.match(await page.locator('[data-test=forbidden]').innerText(), /403/);
  assert.equal(await page.locator('[data-test=audit]').count(), 0);
  const api = await page.request.get(page.origin + '/api/v1/audit');
  assert.equal(api.status(), 403);
  assert.equal((await api.json()).error.code, 'forbidden');
  await shot(page, 'forbidden-unit-audit');
  page.check();
  // The office reaches the same URL.
  const office = await openPage(env);
  await login(office, 'office');
  await office.goto(office.origin + '/audit');
  await office.locator('[data-test=audit] .el-table__row').first().waitFor();
  await shot(office, 'audit-office');
  office.check();
  await page.ctx.close();
  await office.ctx.close();
});

test('a deep link while logged out goes to the login page and back after logging in', async () => {
  const page = await openPage(env);
  await page.goto(page.origin + '/projects/1');
  await page.waitForURL(/\/login\?redirect=/);
  await page.locator('[data-test=demo-hint]').waitFor();
  await shot(page, 'login');
  await page.locator('input[name=login]').fill('office');
  await page.locator('input[name=password]').fill('wrong-password');
  await page.locator('[data-test=login-submit]').click();
  await page.locator('[data-test=login-error]').waitFor();
  assert.match(await page.locator('[data-test=login-error]').innerText(), /账号或密码不正确/);
  await page.locator('input[name=password]').fill((await (await page.request.get(page.origin + '/api/v1/login-info')).json()).demo_password);
  await page.locator('[data-test=login-submit]').click();
  await page.waitForURL(/\/projects\/1$/);
  await page.locator('[data-test=project-detail] .page-title').waitFor();
  const p = await (await page.request.get(page.origin + '/api/v1/projects/1')).json();
  assert.match(await page.locator('[data-test=project-detail] .page-title').innerText(), new RegExp(p.name));
  await shot(page, 'project-detail');
  // A wrong password is a 401 in the console; that one is expected.
  assert.deepEqual(page.problems.filter((x) => !/401/.test(x)), []);
  await page.ctx.close();
});
