// The scheduler inside `huizhan serve` (docs/workflows.md, "Scheduled jobs"): with
// --jobs on, a job whose time of day has come runs once that day, by itself, and a
// restart the same day does not run it again; jobs switched off never run.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { run, serveDb, tempDir, ADMIN_PASSWORD } from './lib.mjs';
import { expectStatus } from './fixtures.mjs';

// The campaign starts on Monday 2026-08-03; on 08-20 weeks 1 (to 08-09) and 2 (to 08-16) have ended.
const TODAY = '2026-08-20';
const env = { HUIZHAN_TODAY: TODAY };
const dir = tempDir();
const db = join(dir, 'huizhan.db');
after(() => rmSync(dir, { recursive: true, force: true }));

async function waitFor(what, check) {
  for (let i = 0; i < 200; i++) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The scheduler's checks for due jobs so far (0 until the first is over). */
async function schedulerRounds(server) {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return Number(/^huizhan_scheduler_rounds_total (\d+)$/m.exec(text)[1]);
}

test('a due job runs once a day inside serve, and only the enabled ones', async () => {
  assert.equal((await run(['init', '--db', db, '--admin-password', ADMIN_PASSWORD])).code, 0);
  let server = await serveDb(db, { env });
  let admin = await server.login('admin', ADMIN_PASSWORD);
  const c = expectStatus(await admin.post('/api/v1/campaigns', { name: '调度', start_date: '2026-08-03', status: 'active' }), 201);
  const u = expectStatus(await admin.post('/api/v1/units', { name: '调度测试局', category: 'industry' }), 201);
  // missing-reports every day from 00:00 (so its time has always come); the others off.
  expectStatus(await admin.patch('/api/v1/jobs/missing-reports', { enabled: true, weekday: null, at_time: '00:00' }), 200);
  for (const name of ['bulletin-draft', 'remind-overdue', 'early-warning']) {
    expectStatus(await admin.patch(`/api/v1/jobs/${name}`, { enabled: false, weekday: null, at_time: '00:00' }), 200);
  }
  assert.equal((await server.stop()).code, 0);
  assert.equal((await admin.get('/api/v1/jobs').catch(() => ({ status: 'down' }))).status, 'down');

  // With the scheduler on, the job runs by itself: week 2 is the last ended week, and the
  // unit has no report for it.
  server = await serveDb(db, { env, jobs: true });
  admin = await server.login('admin', ADMIN_PASSWORD);
  const notes = await waitFor('the missing-report notice', async () => {
    const items = expectStatus(await admin.get('/api/v1/notifications'), 200).items;
    return items.length ? items : null;
  });
  assert.deepEqual(notes.map((n) => [n.kind, n.unit_id, n.campaign_id, n.text]),
    [['missing_report', u.id, c.id, '第2周周报尚未提交，请尽快提交。']]);
  const jobs = Object.fromEntries(expectStatus(await admin.get('/api/v1/jobs'), 200).items.map((j) => [j.name, j.last_run_on]));
  assert.deepEqual(jobs, { backup: null, 'bulletin-draft': null, 'early-warning': null, 'missing-reports': TODAY, 'remind-overdue': null });
  assert.equal((await server.stop()).code, 0);

  // A restart the same day: the job has run today, so once the scheduler's first check for
  // due jobs is over (/metrics counts it) nothing new has appeared.
  server = await serveDb(db, { env, jobs: true });
  admin = await server.login('admin', ADMIN_PASSWORD);
  await waitFor('the first check for due jobs', () => schedulerRounds(server));
  assert.equal(expectStatus(await admin.get('/api/v1/notifications'), 200).total, 1);
  const runs = await (await fetch(`${server.url}/metrics`)).text();
  assert.match(runs, /^huizhan_job_runs_total\{job="missing-reports"\} 0$/m);
  assert.equal((await server.stop()).code, 0);

  // The next day it runs again.
  server = await serveDb(db, { env: { HUIZHAN_TODAY: '2026-08-21' }, jobs: true });
  admin = await server.login('admin', ADMIN_PASSWORD);
  await waitFor('the next day\'s notice', async () => expectStatus(await admin.get('/api/v1/notifications'), 200).total === 2);
  assert.equal((await server.stop()).code, 0);
});
