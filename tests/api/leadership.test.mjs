// Leadership input (R-PROG-8, docs/figures.md): follow-ups in which the unit's head took
// part, and the weekly reports the head reviewed on time, as each unit's progress shows
// them, for today and for an earlier day.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { run, serveDb, tempDir, ADMIN_PASSWORD } from './lib.mjs';
import { expectStatus } from './fixtures.mjs';

const TODAY = '2026-09-01';
let server, admin, head, staff, campaignId, unitId, dir;

/** Serves the test's database with `day` as today and logs everyone in again. */
async function serveOn(day) {
  if (server) assert.equal((await server.stop()).code, 0);
  server = await serveDb(join(dir, 'huizhan.db'), { env: { HUIZHAN_TODAY: day } });
  admin = await server.login('admin', ADMIN_PASSWORD);
  if (unitId) {
    head = await server.login('ld.head', 'head-pass-1');
    staff = await server.login('ld.staff', 'staff-pass-1');
  }
}

before(async () => {
  dir = tempDir();
  assert.equal((await run(['init', '--db', join(dir, 'huizhan.db'), '--admin-password', ADMIN_PASSWORD])).code, 0);
  // A head hears a report only once it is submitted (a review is never dated before the
  // submission), so the reports are written and heard on the days below: the server is
  // restarted on the same database with each day as today.
  await serveOn('2026-08-12');
  // The campaign starts on Monday 2026-08-03: week 1 is 08-03..08-09, week 2 08-10..08-16,
  // week 3 08-17..08-23, week 4 08-24..08-30, week 5 08-31..09-06.
  campaignId = expectStatus(await admin.post('/api/v1/campaigns', { name: '领导投入', start_date: '2026-08-03', status: 'active' }), 201).id;
  const unit = expectStatus(await admin.post('/api/v1/units', { name: '领导投入测试局', category: 'industry' }), 201);
  unitId = unit.id;
  const h = expectStatus(await admin.post('/api/v1/users', { login: 'ld.head', name: '局长', role: 'unit_head', unit_id: unitId, password: 'head-pass-1' }), 201);
  expectStatus(await admin.post('/api/v1/users', { login: 'ld.staff', name: '联络员', role: 'unit_staff', unit_id: unitId, password: 'staff-pass-1' }), 201);
  expectStatus(await admin.patch(`/api/v1/units/${unitId}`, { version: unit.version, head_user_id: h.id }), 200);
  head = await server.login('ld.head', 'head-pass-1');
  staff = await server.login('ld.staff', 'staff-pass-1');

  // Reports of weeks 1–4, all submitted; reviews: week 1 on 08-12 (due by 08-16: on time),
  // week 2 on 08-25 (due by 08-23: late), week 3 on 08-30 (due by 08-30: on time, the last
  // day allowed), week 4 not reviewed. Weeks 1–2 are submitted on 08-12, weeks 3–4 on 08-25.
  const report = async (week) => {
    const r = expectStatus(await staff.post(`/api/v1/campaigns/${campaignId}/weekly-reports`, { week, work_done: `第${week}周` }), 201);
    expectStatus(await staff.post(`/api/v1/weekly-reports/${r.id}/submit`), 200);
    return r.id;
  };
  const review = async (id, date) => expectStatus(await head.post(`/api/v1/weekly-reports/${id}/review`, { heard: true, date }), 200);
  const ids = { 1: await report(1), 2: await report(2) };
  await review(ids[1], '2026-08-12');
  await serveOn('2026-08-25');
  ids[3] = await report(3);
  ids[4] = await report(4);
  await review(ids[2], '2026-08-25');
  await serveOn('2026-08-30');
  await review(ids[3], '2026-08-30');
  await serveOn(TODAY);

  const p = expectStatus(await staff.post('/api/v1/projects', {
    campaign_id: campaignId, name: '测试项目', category: 'industrial', method: 'industry', lead_date: '2026-08-03',
  }), 201);
  // Follow-ups: the head took part on 08-05 and 08-20; the 08-07 one without the head.
  for (const [date, who] of [['2026-08-05', [h.id]], ['2026-08-07', []], ['2026-08-20', [h.id]]]) {
    expectStatus(await staff.post(`/api/v1/projects/${p.id}/follow-ups`, { date, kind: 'call', summary: '电话沟通', participant_user_ids: who }), 201);
  }
});

after(async () => {
  const { code } = await server.stop();
  rmSync(dir, { recursive: true, force: true });
  assert.equal(code, 0);
});

async function activity(asOf) {
  const q = asOf ? `?as_of=${asOf}` : '';
  const body = expectStatus(await admin.get(`/api/v1/campaigns/${campaignId}/progress${q}`), 200);
  return body.units.find((u) => u.unit_id === unitId).activity;
}

test('today: 4 weeks ended, 2 reviews on time, 2 follow-ups with the head', async () => {
  // 09-01 − 08-03 = 29 days: weeks 1–4 have ended (week 5 ends 09-06).
  assert.deepEqual(await activity(), {
    follow_ups: 3, follow_ups_with_leader: 2, reports_due: 4, reports_reviewed_on_time: 2,
  });
});

test('an earlier day counts only what had happened by then', async () => {
  // As of 08-29: 26 days, weeks 1–3 ended; week 1's review counts, week 3's (08-30) not yet.
  // Follow-ups up to 08-29: all three, two with the head.
  assert.deepEqual(await activity('2026-08-29'), {
    follow_ups: 3, follow_ups_with_leader: 2, reports_due: 3, reports_reviewed_on_time: 1,
  });
  // As of 08-06: no week has ended; one follow-up (08-05, with the head).
  assert.deepEqual(await activity('2026-08-06'), {
    follow_ups: 1, follow_ups_with_leader: 1, reports_due: 0, reports_reviewed_on_time: 0,
  });
});
