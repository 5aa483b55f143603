// The office imports units from a CSV through the import page (issue 12): the dry run shows
// the counts and, row by row, what it would create, and writes nothing; a file with a bad
// cell shows that cell's row, column and message in the table and writes nothing; while a
// file is checked or written the page says so; the confirmed import creates exactly the rows
// and leads to the list.
// Every count is checked with raw SQL (sqlite3 CLI).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPage, login, shot, horizontalOverflow, PHONE } from './lib.mjs';
import { sql, sqlValue } from '../api/fixtures.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

const csv = (rows) => Buffer.from('\ufeff' + rows.map((r) => r.join(',')).join('\r\n') + '\r\n', 'utf8');
const GOOD = csv([['名称', '简称', '类别', '备注'], ['市导入测试一局', '导一局', '工业', '浏览器导入'], ['市导入测试二局', '导二局', '服务业', '']]);
const BAD = csv([['名称', '简称', '类别', '备注'], ['市导入测试一局', '导一局', '工业', ''], ['市导入测试二局', '导二局', '不存在的类别', '']]);

async function upload(page, name, body) {
  await page.locator('[data-test=import-file] input[type=file]').setInputFiles({ name, mimeType: 'text/csv', buffer: body });
  await page.locator('[data-test=import-result]').waitFor();
  await page.locator('[data-test=import-state]').waitFor();
}

test('the office imports a units CSV: dry run, a bad cell, then the confirmed import', async () => {
  const db = env.server.db;
  const units0 = Number(sqlValue(db, 'SELECT COUNT(*) FROM units'));
  const page = await openPage(env);
  await login(page, 'office');
  await page.goto(page.origin + '/import');
  await page.locator('[data-test=kind-units]').click();
  // The template link names the kind chosen.
  assert.equal(await page.locator('[data-test=template]').getAttribute('href'), '/api/v1/import-templates/units.xlsx');
  await shot(page, 'import-start');

  // A file with a bad cell: the table names row 3, column 类别, the value and the reason.
  await upload(page, 'bad.csv', BAD);
  assert.equal((await page.locator('[data-test=import-state]').innerText()).trim(), '有错误，未导入');
  const cells = await page.locator('[data-test=import-errors] tbody tr').first().locator('td').allInnerTexts();
  assert.equal(cells[0].trim(), '3');
  assert.match(cells[1], /类别/);
  assert.match(cells[1], /C3/);
  assert.equal(cells[2].trim(), '不存在的类别');
  assert.ok(cells[3].trim().length > 0, 'a message');
  assert.equal(await page.locator('[data-test=import-errors] tbody tr').count(), 1);
  assert.match(await page.locator('[data-test=errors-xlsx]').getAttribute('href'), /^\/api\/v1\/imports\/\d+\/errors\.xlsx$/);
  assert.equal(await page.locator('[data-test=import-confirm]').count(), 0, 'no confirmation for a rejected file');
  assert.equal((await page.locator('[data-test=count-errors]').innerText()).trim(), '1');
  assert.equal(Number(sqlValue(db, 'SELECT COUNT(*) FROM units')), units0, 'the bad file wrote nothing');
  await shot(page, 'import-errors');

  // The good file: a dry run shows 2 new, row by row, writes nothing. While the upload is
  // held back, the page says it is checking.
  let release;
  const held = new Promise((r) => { release = r; });
  const isUpload = (u) => u.pathname === '/api/v1/imports';
  await page.route(isUpload, async (route) => { await held; await route.continue(); });
  await page.locator('[data-test=import-file] input[type=file]').setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: GOOD });
  assert.match(await page.locator('[data-test=import-progress-text]').innerText(), /^正在检查，已读 0 行/);
  release();
  await page.locator('[data-test=import-state]').waitFor();
  assert.equal((await page.locator('[data-test=import-state]').innerText()).trim(), '可以导入');
  assert.equal((await page.locator('[data-test=count-created]').innerText()).trim(), '2');
  assert.equal((await page.locator('[data-test=count-updated]').innerText()).trim(), '0');
  const items = await page.locator('[data-test=import-items] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())));
  assert.deepEqual(items, [['2', '新建', '市导入测试一局'], ['3', '新建', '市导入测试二局']]);
  assert.equal(Number(sqlValue(db, 'SELECT COUNT(*) FROM units')), units0, 'the dry run wrote nothing');
  await shot(page, 'import-dry-run');
  await page.unroute(isUpload);

  await page.locator('[data-test=import-confirm]').click();
  await page.locator('.el-message-box .el-button--primary').click();
  await page.locator('[data-test=import-state]', { hasText: '已导入' }).waitFor();
  assert.equal(Number(sqlValue(db, 'SELECT COUNT(*) FROM units')), units0 + 2);
  assert.deepEqual(sql(db, "SELECT name, short_name, category, COALESCE(note, '') FROM units WHERE name LIKE '市导入测试%' ORDER BY name"),
    [['市导入测试一局', '导一局', 'industry', '浏览器导入'], ['市导入测试二局', '导二局', 'services', '']]);
  await shot(page, 'import-done');
  await page.locator('[data-test=import-view]').click();
  await page.waitForURL(/\/organisation\/units$/);
  page.check();

  // At 390 px, in English: an old .xls is refused with an English title (the server's
  // Chinese text below it), and the page does not scroll sideways.
  const phone = await openPage(env, { viewport: PHONE });
  await phone.ctx.addInitScript(() => localStorage.setItem('huizhan.locale', 'en'));
  await login(phone, 'office');
  await phone.goto(phone.origin + '/import');
  await phone.locator('[data-test=kind-units]').click();
  await phone.locator('[data-test=import-file] input[type=file]').setInputFiles({ name: 'old.xls', mimeType: 'application/vnd.ms-excel',
    buffer: Buffer.from('d0cf11e0a1b11ae10000000000000000', 'hex') });
  const refused = phone.locator('[data-test=import-failure]');
  assert.equal((await refused.locator('.el-alert__title').innerText()).trim(), 'Unsupported file type');
  assert.match(await refused.locator('.el-alert__description').innerText(), /^old\.xls是旧版 Excel/);
  await upload(phone, 'bad.csv', BAD);
  assert.equal((await phone.locator('[data-test=import-state]').innerText()).trim(), 'Errors: nothing imported');
  assert.match(await phone.locator('[data-test=rejected-note]').innerText(), /^The file has an error, so none of it was imported/);
  const o = await horizontalOverflow(phone);
  assert.ok(o.scrollWidth <= o.clientWidth, JSON.stringify(o));
  await shot(phone, 'import-errors-390');
  phone.check();
});

test('the project list exports with its filters (XLSX and CSV links)', async () => {
  const page = await openPage(env);
  await login(page, 'office');
  await page.goto(page.origin + '/projects?stage=signed');
  await page.locator('[data-test=export]').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export-csv]').click()]);
  await page.locator('.el-message', { hasText: '正在生成导出文件' }).waitFor(); // the click is acknowledged
  const path = await download.path();
  const { readFileSync } = await import('node:fs');
  const text = readFileSync(path, 'utf8');
  const lines = text.trim().split(/\r?\n/);
  const campaign = sqlValue(env.server.db, 'SELECT id FROM campaigns LIMIT 1');
  const n = Number(sqlValue(env.server.db, `SELECT COUNT(*) FROM projects WHERE stage = 'signed' AND campaign_id = ${campaign}`));
  assert.equal(lines.length - 1, n, 'the export holds the filtered rows');
  await shot(page, 'projects-export');
  page.check();
});

/** Clicks the export button inside scope, then its CSV item; resolves the file's data rows (split on commas, BOM dropped). */
async function exportCsv(page, scope) {
  const button = scope.locator('[data-test=export], [data-test=fu-export], [data-test=fd-export]').first().locator('button');
  const menu = await button.getAttribute('aria-controls'); // this button's own menu (another may still be fading out)
  await button.click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[id="${menu}"] [data-test=export-csv]`).click()]);
  const { readFileSync } = await import('node:fs');
  const text = readFileSync(await download.path(), 'utf8');
  assert.ok(text.startsWith('\ufeff'), 'UTF-8 with a BOM');
  return { url: download.url(), rows: text.slice(1).trim().split(/\r\n/).slice(1).map((l) => l.split(',')) };
}

test('every list on screen exports with its filters: the ranking and lagging units, targets, a project\'s follow-ups and funds; both templates', async () => {
  const db = env.server.db;
  const campaign = sqlValue(db, 'SELECT id FROM campaigns LIMIT 1');
  const page = await openPage(env);
  await login(page, 'office');
  const api = (path) => page.evaluate(async (u) => (await fetch(u)).json(), `/api/v1/campaigns/${campaign}/${path}`);

  // The dashboard's ranking table, filtered to one category: the file is that list, in its order.
  await page.goto(page.origin + '/dashboard');
  await page.locator('[data-test=ranking][data-rendered]').waitFor();
  await page.locator('[data-test=units-card]').scrollIntoViewIfNeeded(); // the tables load when near the screen
  const ranking = page.locator('[data-test=units-ranking]');
  await ranking.locator('[data-test=unit-table] tbody tr').first().waitFor();
  await ranking.locator('[data-test=filter-category]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '服务部门' }).click();
  const services = await api('dashboard/ranking?category=services&limit=500');
  let got = await exportCsv(page, ranking);
  assert.match(got.url, /\/ranking\/export\.csv\?.*category=services/);
  assert.deepEqual(got.rows.map((r) => r[2]), services.items.map((r) => r.name));
  assert.ok(services.items.length > 0 && services.items.length < Number(sqlValue(db, 'SELECT COUNT(*) FROM units')));
  // The lagging units' table: status zero and behind.
  const lagging = await api('dashboard/ranking?status=zero&status=behind&limit=500');
  got = await exportCsv(page, page.locator('[data-test=units-lagging]'));
  assert.deepEqual(got.rows.map((r) => r[2]), lagging.items.map((r) => r.name));

  // Targets of one unit, scope and metric, as the page shows them.
  const unit = sqlValue(db, `SELECT unit_id FROM targets WHERE campaign_id = ${campaign} AND scope = 'campaign' AND metric = 'funds_arrived'
    GROUP BY unit_id HAVING COUNT(*) > 1 ORDER BY unit_id LIMIT 1`);
  await page.goto(page.origin + `/organisation/targets?unit_id=${unit}`);
  await page.locator('[data-test=tg-tree] tbody tr').first().waitFor();
  got = await exportCsv(page, page.locator('[data-test=org-targets]'));
  assert.equal(got.rows.length, Number(sqlValue(db, `SELECT COUNT(*) FROM targets WHERE campaign_id = ${campaign} AND unit_id = ${unit}
    AND scope = 'campaign' AND metric = 'funds_arrived'`)));
  assert.ok(got.rows.every((r) => r[5] === '到账资金'), JSON.stringify(got.rows));

  // A project's follow-ups and funds.
  const project = sqlValue(db, `SELECT p.id FROM projects p WHERE (SELECT COUNT(*) FROM funds f WHERE f.project_id = p.id) > 1
    ORDER BY (SELECT COUNT(*) FROM follow_ups f WHERE f.project_id = p.id) DESC LIMIT 1`);
  await page.goto(page.origin + `/projects/${project}`);
  await page.locator('.el-tabs__item', { hasText: '跟踪' }).first().click();
  got = await exportCsv(page, page.locator('.el-tab-pane:visible'));
  assert.equal(got.rows.length, Number(sqlValue(db, `SELECT COUNT(*) FROM follow_ups WHERE project_id = ${project}`)));
  await page.locator('.el-tabs__item', { hasText: '资金' }).first().click();
  got = await exportCsv(page, page.locator('.el-tab-pane:visible'));
  assert.equal(got.rows.length, Number(sqlValue(db, `SELECT COUNT(*) FROM funds WHERE project_id = ${project}`)));

  // The import page offers each kind's template with Chinese and with English headers.
  await page.goto(page.origin + '/import');
  await page.locator('[data-test=kind-funds]').click();
  assert.equal(await page.locator('[data-test=template]').getAttribute('href'), '/api/v1/import-templates/funds.xlsx');
  assert.equal(await page.locator('[data-test=template-en]').getAttribute('href'), '/api/v1/import-templates/funds.xlsx?lang=en');
  // What is there to start from: the chosen campaign's funds, in the template's columns.
  got = await exportCsv(page, page.locator('[data-test=import-page]'));
  assert.equal(new URL(got.url).search, `?campaign_id=${campaign}`);
  assert.equal(got.rows.length, Number(sqlValue(db, `SELECT COUNT(*) FROM funds f JOIN projects p ON p.id = f.project_id WHERE p.campaign_id = ${campaign}`)));
  await shot(page, 'import-templates');
  page.check();
});
