// A unit's staff member moves a project from negotiating to signed in the browser: the
// dialog asks for the contract (date and value in 万元), shows the server's complaint
// next to the field it names when the value is missing, uploads the contract, and the
// timeline then shows the move waiting for certification with its attachment. The office
// certifies it from its queue, and the unit's dashboard figure grows by the contract value.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPage, login, shot } from './lib.mjs';
import { PDF, sql } from '../api/fixtures.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

test('staff move a project to signed with the contract uploaded; the office sees it in the queue', async () => {
  const page = await openPage(env);
  await login(page, 'gxj.staff1');
  const me = await (await page.request.get(page.origin + '/api/v1/me')).json();
  const list = await (await page.request.get(`${page.origin}/api/v1/projects?stage=negotiating&lead_unit_id=${me.unit_id}&limit=1`)).json();
  const p = list.items[0];
  assert.ok(p, 'a negotiating project of the unit');
  const today = (await (await page.request.get(page.origin + '/health')).json()).today;

  await page.goto(`${page.origin}/projects/${p.id}`);
  await page.locator('[data-test=move-stage]').click();
  const dialog = page.locator('.el-dialog');
  await dialog.waitFor();
  // negotiating → signed is offered first; it needs the contract date and value.
  assert.equal((await dialog.locator('[data-test=to-stage]').innerText()).trim(), '签约');
  assert.equal(await dialog.locator('.el-form-item').filter({ hasText: '签约日期' }).count(), 1);
  // Without a value the server refuses, and says so under the value's field.
  await dialog.locator('[data-test=move-submit]').click();
  const err = dialog.locator('.el-form-item').filter({ hasText: '合同金额' }).locator('.el-form-item__error');
  await err.waitFor();
  assert.match(await err.innerText(), /合同金额/);
  await shot(page, 'stage-move-error');

  await dialog.locator('[data-test=contract-value] input').fill('1234.5');
  await dialog.locator('input[type=file]').setInputFiles({ name: '投资合同.pdf', mimeType: 'application/pdf', buffer: PDF });
  await dialog.locator('[data-test=move-submit]').click();
  await dialog.waitFor({ state: 'hidden' });
  const last = page.locator('.el-timeline-item').filter({ hasText: '洽谈 → 签约' }).last();
  await last.waitFor();
  assert.match(await last.innerText(), /待认定/);
  assert.match(await last.innerText(), /1,234\.5万元/);
  assert.match(await last.innerText(), /投资合同\.pdf/);
  await shot(page, 'stage-move-done');

  // What the server keeps, read from the database itself.
  const [row] = sql(env.server.db, `SELECT id, to_stage, contract_value, contract_date, status FROM stage_changes WHERE project_id = ${p.id} ORDER BY id DESC LIMIT 1`);
  assert.deepEqual(row.slice(1), ['signed', '12345000', today, 'reported']);
  const [att] = sql(env.server.db, `SELECT filename, stage_change_id FROM attachments WHERE project_id = ${p.id} ORDER BY id DESC LIMIT 1`);
  assert.deepEqual(att, ['投资合同.pdf', row[0]]);
  // The only console errors are the refused first try (HTTP 422).
  assert.deepEqual(page.problems.filter((x) => !/status of 422/.test(x)), []);
  assert.equal(page.problems.length, 1, page.problems.join('\n'));

  // The office's certification queue holds the record.
  const office = await env.server.login('office');
  const queue = (await office.get('/api/v1/campaigns/1/certification-queue?limit=500')).body;
  assert.ok(queue.items.some((i) => i.kind === 'stage_change' && i.id === Number(row[0]) && i.amount === 12345000), 'in the queue');
  await page.ctx.close();

  // The office certifies it in the browser; the unit's certified value signed on the
  // dashboard grows by exactly the contract value.
  const unitSigned = async () => (await office.get('/api/v1/campaigns/1/dashboard/matrix?limit=500')).body.items
    .find((u) => u.unit_id === me.unit_id).metrics.signed_value.certified;
  const before = await unitSigned();
  const desk = await openPage(env);
  await login(desk, 'office');
  await desk.locator('[data-menu=certification]').click();
  await desk.locator('[data-test=queue-table] .el-table__row').first().waitFor();
  // The newest record is on the last page (the queue is oldest first).
  await desk.locator('.el-pager li.number').last().click();
  const mine = desk.locator('[data-test=queue-table] .el-table__body-wrapper .el-table__row').filter({ hasText: p.name });
  await mine.waitFor();
  assert.match(await mine.innerText(), /1,234\.5/);
  await desk.locator('.el-table__fixed-right .el-table__row, .el-table__row').filter({ hasText: p.name }).locator('[data-test=certify]').first().click();
  await desk.getByText('已认定').first().waitFor();
  assert.equal(sql(env.server.db, `SELECT status FROM stage_changes WHERE id = ${row[0]}`)[0][0], 'certified');
  assert.equal(await unitSigned(), before + 12345000);
  await shot(desk, 'certification-queue');
  desk.check();
  await desk.ctx.close();
});
