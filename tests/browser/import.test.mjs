// The office imports units from a CSV through the import page (issue 12): the dry run shows
// the counts and writes nothing; a file with a bad cell shows that cell's row, column and
// message in the table and writes nothing; the confirmed import creates exactly the rows.
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
  assert.equal(Number(sqlValue(db, 'SELECT COUNT(*) FROM units')), units0, 'the bad file wrote nothing');
  await shot(page, 'import-errors');

  // The good file: a dry run shows 2 new, writes nothing.
  await upload(page, 'good.csv', GOOD);
  assert.equal((await page.locator('[data-test=import-state]').innerText()).trim(), '可以导入');
  assert.equal((await page.locator('[data-test=count-created]').innerText()).trim(), '2');
  assert.equal((await page.locator('[data-test=count-updated]').innerText()).trim(), '0');
  assert.equal(Number(sqlValue(db, 'SELECT COUNT(*) FROM units')), units0, 'the dry run wrote nothing');
  await shot(page, 'import-dry-run');

  await page.locator('[data-test=import-confirm]').click();
  await page.locator('.el-message-box .el-button--primary').click();
  await page.locator('[data-test=import-state]', { hasText: '已导入' }).waitFor();
  assert.equal(Number(sqlValue(db, 'SELECT COUNT(*) FROM units')), units0 + 2);
  assert.deepEqual(sql(db, "SELECT name, short_name, category, COALESCE(note, '') FROM units WHERE name LIKE '市导入测试%' ORDER BY name"),
    [['市导入测试一局', '导一局', 'industry', '浏览器导入'], ['市导入测试二局', '导二局', 'services', '']]);
  await shot(page, 'import-done');
  page.check();

  // At 390 px the page does not scroll sideways.
  const phone = await openPage(env, { viewport: PHONE });
  await login(phone, 'office');
  await phone.goto(phone.origin + '/import');
  await phone.locator('[data-test=kind-units]').click();
  await upload(phone, 'bad.csv', BAD);
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
