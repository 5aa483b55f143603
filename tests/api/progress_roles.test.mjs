// Who sees which figures (R-ROLE-1, R-ROLE-2, R-PROG-1), the figures' ETag / 304
// (docs/figures.md "How it stays fast") and `huizhan check` (R-PROG-12), on the hand-worked
// fixture of progress_fixture.mjs (see there for the records; numbers worked by hand below).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import { startServer, run } from './lib.mjs';
import { TODAY, M, buildFixture, sql, ok, fails } from './progress_fixture.mjs';

let server;
let f;
let admin;
let snapshotId;

before(async () => {
  server = await startServer({ env: { HUIZHAN_TODAY: TODAY } });
  f = await buildFixture(server);
  admin = f.admin;
  snapshotId = ok(await admin.post(`/api/v1/campaigns/${f.c}/snapshots`, { as_of: TODAY, label: '第1期通报' }), 201).id;
});
after(async () => {
  const exit = await server.stop();
  assert.deepEqual(exit, { code: 0, signal: null }, server.log());
});

const uname = (id) => `U${Object.entries(f.u).find(([, v]) => v === id)[0]}`;
const pname = (id) => `P${Object.entries(f.p).find(([, v]) => v === id)[0]}`;
const units = (list) => list.map((u) => uname(u.unit_id));
const fig = (c, what, query = '') => c.get(`/api/v1/campaigns/${f.c}/${what}${query}`);
const read = async (c, what, query) => ok(await fig(c, what, query), 200, what);

test('a unit user reads the whole ranking but only its own unit in the detailed figures', async () => {
  const mine = f.staff1; // unit_staff of U1
  const all = await read(admin, 'ranking');
  const r = await read(mine, 'ranking');
  // The official ranking is circulated (R-ROLE-2): all four units, the same as the office sees.
  assert.deepEqual(r.overall, all.overall);
  assert.deepEqual(units(r.overall), ['U1', 'U2', 'U4', 'U3']);
  assert.deepEqual(r.by_category, all.by_category);

  const p = await read(mine, 'progress');
  assert.deepEqual(units(p.units), ['U1']);
  // U1's own figures as the office sees them: funds 110M reported, 90M certified.
  assert.deepEqual([p.units[0].metrics.funds_arrived.reported, p.units[0].metrics.funds_arrived.certified], [110 * M, 90 * M]);
  const fn = await read(mine, 'funnel');
  assert.deepEqual(units(fn.units), ['U1']);
  // No breakdown by category: in a small category it would give away another unit's figures.
  assert.equal(p.categories, undefined);
  assert.equal(fn.by_category, undefined);
  assert.ok(Object.keys((await read(admin, 'progress')).categories).length >= 3);
  assert.ok(Object.keys((await read(admin, 'funnel')).by_category).length >= 3);
  const fc = await read(mine, 'forecast');
  assert.deepEqual(units(fc.units), ['U1']);
  // Which other units are forecast to miss is theirs (the office sees U2 and U3, progress.test.mjs):
  // U1, not flagged, sees none; U3's staff sees U3 only.
  assert.deepEqual(units(fc.will_miss), []);
  assert.deepEqual(units((await read(f.staff3, 'forecast')).will_miss), ['U3']);
  assert.deepEqual(units((await read(f.staff3, 'forecast')).units), ['U3']);
  assert.deepEqual(units((await read(admin, 'forecast')).will_miss), ['U2', 'U3']);
  const d = await read(mine, 'dashboard');
  assert.deepEqual(units((await read(mine, 'dashboard/matrix')).items), ['U1']);
  assert.deepEqual(units((await read(mine, 'dashboard/ranking')).items), ['U1', 'U2', 'U4', 'U3']);
  assert.deepEqual(units(d.ranking.top), ['U1', 'U2', 'U4', 'U3']);
  assert.deepEqual(units(d.will_miss), []);
  assert.deepEqual(d.stale.items.map((x) => pname(x.project_id)), ['P5', 'P4']);
  // Stale projects of U1 only: P5 (lead since 08-20) and P4 (FU4 09-12); not P13 (U4) or P7 (U2).
  const s = await read(mine, 'stale-projects');
  assert.equal(s.total, 2);
  assert.deepEqual(s.items.map((x) => [pname(x.project_id), x.days_quiet]), [['P5', 56], ['P4', 33]]);
  // Asking for another unit does not widen the view.
  assert.equal((await read(mine, 'stale-projects', `?unit_id=${f.u[2]}`)).total, 2);
  // U3's staff: P9 and P10 are signed, the co-owned P3 too: nothing stale.
  assert.equal((await read(f.staff3, 'stale-projects')).total, 0);

  // Its own drill-down, not another unit's.
  assert.equal(ok(await mine.get(`/api/v1/campaigns/${f.c}/ranking/${f.u[1]}`)).score, 72.86);
  fails(await mine.get(`/api/v1/campaigns/${f.c}/ranking/${f.u[2]}`), 403, 'forbidden');
  fails(await f.head1.get(`/api/v1/campaigns/${f.c}/ranking/${f.u[3]}`), 403, 'forbidden');
  // The queue narrowed to U1: SC6 and F2.
  const q = await read(mine, 'certification-queue', `?unit_id=${f.u[3]}`);
  assert.deepEqual(q.items.map((x) => `${x.kind} ${x.id}`).sort(), [`fund ${f.fund[2]}`, `stage_change ${f.sc[6]}`].sort());
  // A frozen snapshot shows U1's row only.
  const snap = ok(await mine.get(`/api/v1/snapshots/${snapshotId}`));
  assert.deepEqual(units(snap.figures.progress.units), ['U1']);
  assert.deepEqual(units(snap.figures.funnel.units), ['U1']);
  assert.equal(snap.figures.progress.categories, undefined);
  assert.equal(snap.figures.funnel.by_category, undefined);
  assert.deepEqual(units(snap.figures.ranking.overall), ['U1', 'U2', 'U4', 'U3']);
  // The ranking carries no per-unit detail list to narrow.
  assert.equal(r.units, undefined);
});

test('a unit user cannot certify, reject, change settings, freeze, compare or settle', async () => {
  for (const c of [f.staff1, f.head1]) {
    fails(await c.post(`/api/v1/funds/${f.fund[2]}/certify`, {}), 403, 'forbidden');
    fails(await c.post(`/api/v1/stage-changes/${f.sc[6]}/reject`, { reason: '自己退回' }), 403, 'forbidden');
    fails(await c.patch(`/api/v1/campaigns/${f.c}/settings`, { version: 0, stale_days: 7 }), 403, 'forbidden');
    fails(await c.post(`/api/v1/campaigns/${f.c}/snapshots`, { as_of: TODAY, label: '自拍' }), 403, 'forbidden');
    fails(await c.get(`/api/v1/snapshots/${snapshotId}/diff`), 403, 'forbidden');
    fails(await c.get(`/api/v1/campaigns/${f.c}/duplicates`), 403, 'forbidden');
    fails(await c.post(`/api/v1/projects/${f.p[4]}/settle-duplicate`, { duplicate_of: f.p[7] }), 403, 'forbidden');
  }
  const p4 = ok(await f.staff1.get(`/api/v1/projects/${f.p[4]}`));
  fails(await f.staff1.patch(`/api/v1/projects/${f.p[4]}`, { version: p4.version, lead_unit_id: f.u[2] }), 403, 'forbidden', 'lead_unit_id');
  // Nothing moved: F2 and SC6 still reported, settings never written, no new snapshot.
  assert.equal(ok(await admin.get(`/api/v1/funds/${f.fund[2]}`)).status, 'reported');
  assert.equal(ok(await admin.get(`/api/v1/stage-changes/${f.sc[6]}`)).status, 'reported');
  assert.equal(ok(await admin.get(`/api/v1/campaigns/${f.c}/settings`)).version, 0);
  assert.equal(ok(await admin.get(`/api/v1/campaigns/${f.c}/snapshots`)).total, 1);
});

test('a leader reads everything but writes nothing', async () => {
  const l = f.leader;
  assert.deepEqual(units((await read(l, 'progress')).units), ['U1', 'U2', 'U3', 'U4']);
  assert.deepEqual(units((await read(l, 'funnel')).units), ['U1', 'U2', 'U3', 'U4']);
  assert.deepEqual(units((await read(l, 'forecast')).will_miss), ['U2', 'U3']);
  assert.equal((await read(l, 'stale-projects')).total, 4);
  assert.equal((await read(l, 'certification-queue')).total, 8);
  assert.equal(ok(await l.get(`/api/v1/campaigns/${f.c}/ranking/${f.u[2]}`)).score, 50);
  assert.equal(ok(await l.get(`/api/v1/campaigns/${f.c}/duplicates`)).items.length, 1);
  assert.equal(ok(await l.get(`/api/v1/snapshots/${snapshotId}/diff`)).changed, false);
  fails(await l.post(`/api/v1/funds/${f.fund[2]}/certify`, {}), 403, 'forbidden');
  fails(await l.post(`/api/v1/stage-changes/${f.sc[6]}/reject`, { reason: '不行' }), 403, 'forbidden');
  fails(await l.patch(`/api/v1/campaigns/${f.c}/settings`, { version: 0, stale_days: 7 }), 403, 'forbidden');
  fails(await l.post(`/api/v1/campaigns/${f.c}/snapshots`, { as_of: TODAY }), 403, 'forbidden');
  fails(await l.post(`/api/v1/projects/${f.p[4]}/settle-duplicate`, { duplicate_of: f.p[7] }), 403, 'forbidden');
});

/** A GET as raw bytes (no decoding), so the test sees what went over the wire. */
const rawGet = (path, headers) => new Promise((resolve, reject) => {
  http.get(server.url + path, { headers: { ...(admin.bearer ? { Authorization: `Bearer ${admin.bearer}` } : { Cookie: admin.cookie }), ...headers } }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, bytes: Buffer.concat(chunks) }));
  }).on('error', reject);
});

test('figures go gzip-compressed to a client that accepts it, with their own ETag', async () => {
  const path = `/api/v1/campaigns/${f.c}/dashboard`;
  const plain = await rawGet(path, {});
  assert.equal(plain.status, 200);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.headers.vary, 'Accept-Encoding');
  const board = JSON.parse(plain.bytes.toString('utf8'));
  assert.equal(board.ranking.top.length, 4);
  for (const ae of ['gzip', 'gzip, deflate, br', 'br;q=1.0, GZIP;q=0.5', '*']) {
    const z = await rawGet(path, { 'Accept-Encoding': ae });
    assert.equal(z.headers['content-encoding'], 'gzip', ae);
    assert.equal(z.headers.vary, 'Accept-Encoding');
    assert.equal(Number(z.headers['content-length']), z.bytes.length);
    assert.ok(z.bytes.length < plain.bytes.length / 2, `${z.bytes.length} of ${plain.bytes.length}`);
    assert.deepEqual(zlib.gunzipSync(z.bytes), plain.bytes, 'the same JSON, byte for byte');
    assert.equal(z.headers.etag, plain.headers.etag.replace(/"$/, '-gz"'));
    // Either representation the client holds is current.
    assert.equal((await rawGet(path, { 'Accept-Encoding': ae, 'If-None-Match': z.headers.etag })).status, 304);
    assert.equal((await rawGet(path, { 'Accept-Encoding': ae, 'If-None-Match': plain.headers.etag })).status, 304);
  }
  for (const ae of ['identity', 'gzip;q=0', 'deflate, gzip;q=0.0', 'x-gzip2']) {
    const r = await rawGet(path, { 'Accept-Encoding': ae });
    assert.equal(r.headers['content-encoding'], undefined, ae);
    assert.deepEqual(r.bytes, plain.bytes, ae);
  }
});

test('figures answer with an ETag; If-None-Match gives 304; a write changes both', async () => {
  const path = `/api/v1/campaigns/${f.c}/progress`;
  const first = await admin.get(path);
  ok(first);
  const etag = first.headers.get('etag');
  assert.match(etag, /^".+"$/);
  const again = await admin.get(path, { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  assert.equal(again.raw.length, 0);
  assert.equal(again.headers.get('etag'), etag);
  // Another day or another viewer is another answer.
  const other = await admin.get(`${path}?as_of=2026-09-19`);
  assert.notEqual(other.headers.get('etag'), etag);
  assert.equal((await admin.get(`${path}?as_of=2026-09-19`, { headers: { 'If-None-Match': etag } })).status, 200);
  assert.notEqual((await f.staff1.get(path)).headers.get('etag'), etag);
  for (const what of ['ranking', 'funnel', 'forecast', 'stale-projects', 'dashboard', `ranking/${f.u[1]}`]) {
    const r = await admin.get(`/api/v1/campaigns/${f.c}/${what}`);
    ok(r, 200, what);
    const tag = r.headers.get('etag');
    assert.ok(tag, `${what} has an ETag`);
    assert.equal((await admin.get(`/api/v1/campaigns/${f.c}/${what}`, { headers: { 'If-None-Match': tag } })).status, 304, what);
  }
  const rankTag = (await admin.get(`/api/v1/campaigns/${f.c}/ranking`)).headers.get('etag');

  // A new follow-up of P5 (U1), an investor visit today: U1 follow-ups 4 → 5, visits_in 1 → 2.
  ok(await f.staff1.post(`/api/v1/projects/${f.p[5]}/follow-ups`, { date: TODAY, kind: 'investor_visit', summary: '客商来访' }), 201);
  const after = await admin.get(path, { headers: { 'If-None-Match': etag } });
  assert.equal(after.status, 200);
  assert.notEqual(after.headers.get('etag'), etag);
  assert.notDeepEqual(after.body, first.body);
  assert.equal(first.body.units[0].activity.follow_ups, 4);
  assert.equal(after.body.units[0].activity.follow_ups, 5);
  // The ranking moves too: U1's visits_in 2 of 2 → ratio 1: 40×0.9 + 10×0.5 + 5×1 + 5×½ + 5×1 + 0 = 53.5/70 → 76.43.
  const r2 = await admin.get(`/api/v1/campaigns/${f.c}/ranking`, { headers: { 'If-None-Match': rankTag } });
  assert.equal(r2.status, 200);
  assert.equal(r2.body.overall[0].score, 76.43);
  // P5 is no longer quiet: the stale list lost it (P13, P4, P7 remain).
  assert.deepEqual((await read(admin, 'stale-projects')).items.map((x) => pname(x.project_id)), ['P13', 'P4', 'P7']);
});

test('huizhan check: ok on the fixture; a corrupted sum or record is named', async () => {
  const env = { HUIZHAN_TODAY: TODAY };
  let r = await run(['check', '--db', server.db], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'ok\n');
  // One certified yuan too many in U1's stored funds total (reported 110M + 1 follow-up since, certified 90M).
  sql(server.db, `UPDATE unit_totals SET certified = certified + 1 WHERE campaign_id = ${f.c} AND unit_id = ${f.u[1]} AND metric = 'funds_arrived'`);
  r = await run(['check', '--db', server.db], { env });
  assert.notEqual(r.code, 0);
  assert.ok(r.stderr.includes(`total of campaign ${f.c} unit ${f.u[1]} funds_arrived: stored reported ${110 * M} certified ${90 * M + 1}, recomputed reported ${110 * M} certified ${90 * M}`), r.stderr);
  assert.ok(r.stderr.includes('1 figure(s) differ'), r.stderr);
  assert.equal(r.stdout, '');
  sql(server.db, `UPDATE unit_totals SET certified = certified - 1 WHERE campaign_id = ${f.c} AND unit_id = ${f.u[1]} AND metric = 'funds_arrived'`);
  assert.equal((await run(['check', '--db', server.db], { env })).code, 0);
  // A raw record changed behind the engine's back: the project's stored figures no longer match it.
  sql(server.db, `UPDATE funds SET amount = amount + 1 WHERE id = ${f.fund[3]}`);
  r = await run(['check', '--db', server.db], { env });
  assert.notEqual(r.code, 0);
  assert.ok(r.stderr.includes(`project ${f.p[2]}: stored figures differ from its records`), r.stderr);
});
