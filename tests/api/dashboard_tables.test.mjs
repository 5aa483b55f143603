// The dashboard as the UI reads it (issue 11 "Speed", issue 13): a bounded summary and
// unit tables that page, sort and filter on the server (GET /campaigns/{id}/dashboard,
// /dashboard/ranking, /dashboard/matrix). Values worked by hand on the fixture of
// progress_fixture.mjs (see there for the records), cross-checked with raw SQL; then a
// generated city of 300 units, where every unit list of the answers stays bounded.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { startServer, run, tempDir, serveDb } from './lib.mjs';
import { TODAY, M, buildFixture, sql, ok, fails } from './progress_fixture.mjs';

describe('on the hand-worked fixture', () => {
  let server, f, admin;
  before(async () => {
    server = await startServer({ env: { HUIZHAN_TODAY: TODAY } });
    f = await buildFixture(server);
    admin = f.admin;
  });
  after(async () => {
    assert.deepEqual(await server.stop(), { code: 0, signal: null }, server.log());
  });

  const uname = (id) => `U${Object.entries(f.u).find(([, v]) => v === id)[0]}`;
  const units = (list) => list.map((u) => uname(u.unit_id));
  const get = async (c, what, query = '') => ok(await c.get(`/api/v1/campaigns/${f.c}/${what}${query}`), 200, what + query);

  test('the summary: status counts, lights per metric, forecast sums, the whole ranking in top', async () => {
    // As of 10-15, day 76 of 100 (time progress 76 %, margins 10: behind below 66, ahead from 86).
    // Certified completion of each target (progress_fixture.mjs):
    //   U1 funds F1 60M + F3 30M = 90M of 100M → 90 % ahead; signed SC2 + SC4 = 2 of 4 → 50 % behind;
    //      leads P1…P5 = 5 of 5 → 100 % ahead
    //   U2 funds F4 25M of 50M → 50 % behind; signed SC9 1 of 2 → behind; completed SC11 reported only → zero
    //   U3 funds F5 10M of 40M → 25 % behind; value SC16 80M + SC19 20M = 100M of 100M → ahead
    //   U4 policy funds F8 13.75M of 20M → 68.75 % on track
    const d = await get(admin, 'dashboard');
    const none = { zero: 0, behind: 0, on_track: 0, ahead: 0, no_target: 0 };
    const c = (x) => ({ ...none, ...x });
    assert.deepEqual(d.lights, {
      funds_arrived: c({ ahead: 1, behind: 2, no_target: 1 }),
      signed_count: c({ behind: 2, no_target: 2 }),
      signed_value: c({ ahead: 1, no_target: 3 }),
      started_count: c({ no_target: 4 }),
      completed_count: c({ zero: 1, no_target: 3 }),
      policy_funds: c({ on_track: 1, no_target: 3 }),
      leads_count: c({ ahead: 1, no_target: 3 }),
    });
    assert.deepEqual(d.status_counts, { zero: 0, behind: 2, on_track: 2, ahead: 0, no_target: 0 });
    // Four units: the chart gets them all, best first; nothing in bottom.
    assert.equal(d.ranking.total, 4);
    assert.deepEqual(units(d.ranking.top), ['U1', 'U2', 'U4', 'U3']);
    assert.deepEqual(d.ranking.bottom, []);
    assert.equal(d.lagging_total, 2, 'U2 and U3 are behind');
    // The forecast summed over the units, as the forecast board lists them one by one.
    const fc = await get(admin, 'forecast');
    for (const m of ['funds_arrived', 'signed_value', 'policy_funds'])
      for (const k of ['certified', 'forecast', 'target'])
        assert.equal(d.forecast[m][k], fc.units.reduce((a, u) => a + (u.metrics[m] ? u.metrics[m][k] : 0), 0), `${m}.${k}`);
    assert.equal(d.forecast.funds_arrived.certified, 90 * M + 25 * M + 10 * M, 'U1 90M, U2 25M, U3 10M');
    assert.equal(d.forecast.funds_arrived.target, 190 * M);
    assert.deepEqual(units(d.will_miss), ['U2', 'U3']);
    assert.equal(d.will_miss_total, 2);
    // No unit's detail rows in the summary.
    for (const k of ['units', 'lagging']) assert.equal(d[k], undefined, k);
  });

  test('the ranking table pages and sorts on the server; certified funds as the raw records sum them', async () => {
    const all = await get(admin, 'dashboard/ranking');
    assert.deepEqual([all.total, all.limit, all.offset], [4, 50, 0]);
    assert.deepEqual(all.items.map((r) => [uname(r.unit_id), r.rank, r.score, r.status, r.category_rank]), [
      ['U1', 1, 72.86, 'on_track', 1], ['U2', 2, 50, 'behind', 2], ['U4', 3, 50, 'on_track', 1], ['U3', 4, 46.43, 'behind', 1],
    ]);
    // The same rows as the full ranking board, plus the rank within the category.
    const board = await get(admin, 'ranking');
    assert.deepEqual(all.items.map(({ category_rank, ...r }) => r), board.overall);
    // Certified funds of both kinds per lead unit, from the raw records.
    const raw = Object.fromEntries(sql(server.db, `SELECT p.lead_unit_id, SUM(f.amount) FROM funds f JOIN projects p ON p.id = f.project_id
      WHERE f.status = 'certified' AND f.campaign_id = ${f.c} GROUP BY p.lead_unit_id`).map(([u, s]) => [uname(Number(u)), Number(s)]));
    assert.deepEqual(raw, { U1: 90 * M, U2: 25 * M, U3: 10 * M, U4: 13_750_000 });
    for (const r of all.items) assert.equal(r.funds_certified, raw[uname(r.unit_id)], uname(r.unit_id));

    const page = await get(admin, 'dashboard/ranking', '?limit=2&offset=1');
    assert.deepEqual([units(page.items), page.total, page.limit, page.offset], [['U2', 'U4'], 4, 2, 1]);
    assert.deepEqual((await get(admin, 'dashboard/ranking', '?offset=9')).items, []);
    // Ties (U2 and U4 both 50) keep their rank order whichever way the score sorts.
    assert.deepEqual(units((await get(admin, 'dashboard/ranking', '?sort=-score')).items), ['U1', 'U2', 'U4', 'U3']);
    assert.deepEqual(units((await get(admin, 'dashboard/ranking', '?sort=score')).items), ['U3', 'U2', 'U4', 'U1']);
    assert.deepEqual(units((await get(admin, 'dashboard/ranking', '?sort=-rank')).items), ['U3', 'U4', 'U2', 'U1']);
    assert.deepEqual(units((await get(admin, 'dashboard/ranking', '?sort=funds_certified')).items), ['U3', 'U4', 'U2', 'U1']);
    // By name: the names' UTF-8 bytes in order.
    const byName = [...all.items].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
    assert.deepEqual(units((await get(admin, 'dashboard/ranking', '?sort=name')).items), units(byName));
    // Filters: one category (with its own ranks), the lagging units (any of several statuses).
    const industry = await get(admin, 'dashboard/ranking', '?category=industry');
    assert.deepEqual(industry.items.map((r) => [uname(r.unit_id), r.category_rank]), [['U1', 1], ['U2', 2]]);
    assert.equal(industry.total, 2);
    const lagging = await get(admin, 'dashboard/ranking', '?status=zero&status=behind');
    assert.deepEqual([units(lagging.items), lagging.total], [['U2', 'U3'], 2]);
    assert.deepEqual(units((await get(admin, 'dashboard/ranking', '?status=on_track&category=policy_funds')).items), ['U4']);
    assert.equal((await get(admin, 'dashboard/ranking', '?status=ahead')).total, 0);
    // A unit user gets the whole ranking too (it is circulated, R-ROLE-2).
    assert.deepEqual(await get(f.staff1, 'dashboard/ranking'), all);
  });

  test('the light matrix: every cell lit as worked out by hand, sorted by a metric, a unit user sees its own row', async () => {
    const m = await get(admin, 'dashboard/matrix');
    assert.equal(m.total, 4);
    const lit = Object.fromEntries(m.items.map((u) => [uname(u.unit_id),
      Object.fromEntries(Object.entries(u.metrics).filter(([, x]) => x.light !== 'no_target').map(([k, x]) => [k, [x.light, x.completion]]))]));
    assert.deepEqual(lit, {
      U1: { funds_arrived: ['ahead', 90], signed_count: ['behind', 50], leads_count: ['ahead', 100] },
      U2: { funds_arrived: ['behind', 50], signed_count: ['behind', 50], completed_count: ['zero', 0] },
      U3: { funds_arrived: ['behind', 25], signed_value: ['ahead', 100] },
      U4: { policy_funds: ['on_track', 68.75] },
    });
    assert.deepEqual(m.items.map((u) => [uname(u.unit_id), u.rank, u.score]), [['U1', 1, 72.86], ['U2', 2, 50], ['U4', 3, 50], ['U3', 4, 46.43]]);
    // The lights counted by the summary are these cells'.
    const d = await get(admin, 'dashboard');
    for (const [metric, counts] of Object.entries(d.lights))
      for (const [light, n] of Object.entries(counts))
        assert.equal(m.items.filter((u) => u.metrics[metric].light === light).length, n, `${metric} ${light}`);
    // By a metric's completion; a unit without a target for it comes last either way.
    assert.deepEqual(units((await get(admin, 'dashboard/matrix', '?sort=funds_arrived')).items), ['U3', 'U2', 'U1', 'U4']);
    assert.deepEqual(units((await get(admin, 'dashboard/matrix', '?sort=-funds_arrived')).items), ['U1', 'U2', 'U3', 'U4']);
    assert.deepEqual(units((await get(admin, 'dashboard/matrix', '?sort=-funds_arrived&limit=1&offset=2')).items), ['U3']);
    assert.deepEqual(units((await get(admin, 'dashboard/matrix', '?status=behind&sort=-rank')).items), ['U3', 'U2']);
    // A unit user: its own unit's row only (detail rows stay the unit's own).
    const mine = await get(f.staff1, 'dashboard/matrix');
    assert.deepEqual([units(mine.items), mine.total], [['U1'], 1]);
    assert.deepEqual(mine.items[0], m.items[0]);
    assert.equal((await get(f.staff1, 'dashboard/matrix', '?category=services')).total, 0);
  });

  test('progress, ranking and forecast page and sort their unit rows on the server; all=true gives every row', async () => {
    // The ranking (above): U1 72.86, U2 50, U4 50 (tie: rank), U3 46.43.
    const r = await get(admin, 'ranking', '?limit=2&offset=1');
    assert.deepEqual([units(r.overall), r.total, r.limit, r.offset], [['U2', 'U4'], 4, 2, 1]);
    // Each category's ranking is cut to the same page: industry U1, U2; policy_funds U4; services U3.
    assert.deepEqual(Object.fromEntries(Object.entries(r.by_category).map(([k, v]) => [k, units(v)])), { industry: ['U2'], policy_funds: [], services: [] });
    assert.deepEqual(r.by_category_total, { industry: 2, policy_funds: 1, services: 1 });
    assert.deepEqual(units((await get(admin, 'ranking', '?sort=score')).overall), ['U3', 'U2', 'U4', 'U1']);
    assert.deepEqual(units((await get(admin, 'ranking', '?sort=-rank&limit=1')).overall), ['U3']);
    const whole = await get(admin, 'ranking', '?all=true');
    assert.deepEqual(units(whole.overall), ['U1', 'U2', 'U4', 'U3']);
    assert.deepEqual(Object.keys(whole).sort(), ['by_category', 'campaign', 'overall', 'tie_break']);
    assert.deepEqual(units(whole.by_category.industry), ['U1', 'U2']);
    // Progress: a metric sorts by its completion (funds: U1 90 %, U2 50 %, U3 25 %; U4 has no target, last either way).
    const p = await get(admin, 'progress', '?sort=-funds_arrived&limit=3');
    assert.deepEqual([units(p.units), p.total, p.limit, p.offset], [['U1', 'U2', 'U3'], 4, 3, 0]);
    assert.deepEqual(units((await get(admin, 'progress', '?sort=funds_arrived')).units), ['U3', 'U2', 'U1', 'U4']);
    assert.deepEqual(units((await get(admin, 'progress', '?sort=funds_arrived&offset=3')).units), ['U4']);
    const allProgress = await get(admin, 'progress', '?all=true');
    assert.equal(allProgress.units.length, 4);
    assert.equal(allProgress.total, undefined);
    // Forecast: a metric sorts by its forecast; the page is the slice of every row sorted so.
    const fc = await get(admin, 'forecast', '?all=true');
    const byForecast = [...fc.units].sort((a, b) => (b.metrics.funds_arrived?.forecast ?? -1) - (a.metrics.funds_arrived?.forecast ?? -1) || a.unit_id - b.unit_id);
    const fp = await get(admin, 'forecast', '?sort=-funds_arrived&limit=2&offset=1');
    assert.deepEqual(units(fp.units), units(byForecast).slice(1, 3));
    assert.deepEqual([units(fp.will_miss), fp.will_miss_total, fp.total], [['U2', 'U3'], 2, 4]);
    // A unit user gets its own row, paged the same way.
    const mine = await get(f.staff1, 'progress', '?limit=5');
    assert.deepEqual([units(mine.units), mine.total], [['U1'], 1]);
    for (const [what, q, field] of [['progress', 'all=yes', 'all'], ['progress', 'sort=rank', 'sort'], ['ranking', 'sort=funds_arrived', 'sort'],
      ['forecast', 'sort=completion', 'sort'], ['forecast', 'limit=0', 'limit'], ['ranking', 'offset=-2', 'offset'], ['progress', 'status=behind', 'status']])
      fails(await admin.get(`/api/v1/campaigns/${f.c}/${what}?${q}`), 400, 'validation_failed', field);
  });

  test('bad paging, sorting and filters are 400 naming the parameter', async () => {
    const base = `/api/v1/campaigns/${f.c}/dashboard`;
    for (const path of [`${base}/ranking`, `${base}/matrix`]) {
      for (const [q, field] of [
        ['limit=0', 'limit'], ['limit=501', 'limit'], ['limit=ten', 'limit'], ['limit=5&limit=6', 'limit'],
        ['offset=-1', 'offset'], ['offset=1.5', 'offset'], ['sort=bogus', 'sort'], ['sort=--rank', 'sort'], ['sort=rank&sort=name', 'sort'],
        ['status=late', 'status'], ['status=behind&status=late', 'status'], ['status=', 'status'],
        ['category=nope', 'category'], ['category=industry&category=services', 'category'],
        ['as_of=2026-02-30', 'as_of'], ['unit_id=1', 'unit_id'], ['foo=1', 'foo'],
      ]) fails(await admin.get(`${path}?${q}`), 400, 'validation_failed', field);
    }
    // Each table sorts by its own keys only.
    fails(await admin.get(`${base}/ranking?sort=funds_arrived`), 400, 'validation_failed', 'sort');
    fails(await admin.get(`${base}/matrix?sort=funds_certified`), 400, 'validation_failed', 'sort');
    assert.equal((await admin.get(`/api/v1/campaigns/999999/dashboard/ranking`)).status, 404);
  });

  test('the tables are cached per query and revision: ETag, 304, and a write shows at once', async () => {
    const path = `/api/v1/campaigns/${f.c}/dashboard/ranking?status=behind`;
    const r1 = await admin.get(path);
    assert.ok(r1.headers.get('etag'));
    const r2 = await admin.get(path, { headers: { 'If-None-Match': r1.headers.get('etag') } });
    assert.equal(r2.status, 304);
    // The same path with other parameters is another answer, not the cached one.
    assert.deepEqual(units((await get(admin, 'dashboard/ranking', '?status=on_track')).items), ['U1', 'U4']);
    assert.deepEqual(units((await get(admin, 'dashboard/ranking', '?status=behind')).items), ['U2', 'U3']);
    // U3's reported funds F6 5M: certifying it moves U3's certified funds by exactly 5M.
    const [[f6]] = sql(server.db, `SELECT id FROM funds WHERE amount = ${5 * M} AND status = 'reported' AND campaign_id = ${f.c}`);
    const before = (await get(admin, 'dashboard/ranking', '?category=services')).items[0].funds_certified;
    ok(await f.office.post(`/api/v1/funds/${f6}/certify`, {}), 200);
    const after = (await get(admin, 'dashboard/ranking', '?category=services')).items[0].funds_certified;
    assert.equal(after - before, 5 * M);
  });
});

describe('at 300 units (huizhan gen)', () => {
  const dir = tempDir();
  const PASSWORD = 'gen-pass-2026';
  let srv, office;
  before(async () => {
    const db = join(dir, 'g.db');
    const r = await run(['gen', '--db', db, '--units', '300', '--projects', '3000', '--follow-ups', '3000', '--funds', '2000',
      '--seed', '7', '--as-of', '2026-10-15', '--password', PASSWORD]);
    assert.equal(r.code, 0, r.stderr);
    srv = await serveDb(db, { env: { HUIZHAN_TODAY: '2026-10-15' } });
    office = await srv.login('office', PASSWORD);
  });
  after(async () => {
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** How many objects with a unit_id there are anywhere in x. */
  const count = (x) => (x && typeof x === 'object'
    ? (!Array.isArray(x) && 'unit_id' in x ? 1 : 0) + Object.values(x).reduce((a, y) => a + count(y), 0) : 0);

  test('the summary carries 20 best and 20 worst, not 300 units; the tables return one page', async () => {
    const units = Number(sql(srv.db, 'SELECT COUNT(*) FROM units')[0][0]);
    assert.equal(units, 300);
    const d = ok(await office.get('/api/v1/campaigns/1/dashboard'), 200);
    assert.equal(d.ranking.total, 300);
    assert.deepEqual(d.ranking.top.map((r) => r.rank), Array.from({ length: 20 }, (_, i) => i + 1));
    assert.deepEqual(d.ranking.bottom.map((r) => r.rank), Array.from({ length: 20 }, (_, i) => 281 + i));
    assert.equal(Object.values(d.status_counts).reduce((a, b) => a + b, 0), 300);
    for (const [m, c] of Object.entries(d.lights)) assert.equal(Object.values(c).reduce((a, b) => a + b, 0), 300, m);
    // Unit rows anywhere in the summary: the 40 of the chart, at most 20 of will_miss, 10 stale projects.
    assert.ok(d.will_miss.length <= 20 && d.will_miss_total >= d.will_miss.length);
    assert.equal(count(d), 40 + d.will_miss.length + d.stale.items.length);
    assert.equal(d.lagging_total, d.status_counts.zero + d.status_counts.behind);
    const lagging = ok(await office.get('/api/v1/campaigns/1/dashboard/ranking?status=zero&status=behind&limit=10'), 200);
    assert.deepEqual([lagging.total, lagging.items.length], [d.lagging_total, Math.min(10, d.lagging_total)]);
    // A page of each table holds the page size, whatever the number of units.
    for (const table of ['ranking', 'matrix']) {
      const p = ok(await office.get(`/api/v1/campaigns/1/dashboard/${table}?limit=25&offset=100`), 200);
      assert.deepEqual([p.items.length, p.total], [25, 300], table);
      assert.deepEqual(p.items.map((r) => r.rank), Array.from({ length: 25 }, (_, i) => 101 + i), table);
      const last = ok(await office.get(`/api/v1/campaigns/1/dashboard/${table}?limit=25&offset=290`), 200);
      assert.equal(last.items.length, 10, table);
    }
    // Gzip, as a browser fetches it: the summary is far below the whole progress board.
    const gz = (x) => zlib.gzipSync(JSON.stringify(x)).length;
    const progress = ok(await office.get('/api/v1/campaigns/1/progress?all=true'), 200);
    assert.equal(progress.units.length, 300);
    // The boards with a row per unit send a page of rows unless asked for all of them.
    for (const [board, list] of [['progress', 'units'], ['ranking', 'overall'], ['forecast', 'units']]) {
      const p = ok(await office.get(`/api/v1/campaigns/1/${board}?offset=280`), 200);
      assert.deepEqual([p[list].length, p.total, p.limit], [20, 300, 50], board);
      assert.equal(ok(await office.get(`/api/v1/campaigns/1/${board}`), 200)[list].length, 50, board);
    }
    assert.ok(gz(d) * 4 < gz(progress), `summary ${gz(d)} B gzip, progress ${gz(progress)} B`);
  });
});
