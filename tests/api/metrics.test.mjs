// /metrics for Prometheus (docs/operations.md): every family has its HELP and TYPE, the
// histograms are cumulative, and each counter moves by exactly what the test did between
// two scrapes, cross-checked against the raw tables and the files on disk.
import { test, before, after } from 'node:test';
import { statSync } from 'node:fs';
import assert from 'node:assert/strict';
import { startServer, Client } from './lib.mjs';
import { TODAY, sql, sqlValue, expectStatus, newUnit } from './fixtures.mjs';

let server;
let admin;

before(async () => {
  server = await startServer({ env: { HUIZHAN_TODAY: TODAY } });
  admin = await server.admin();
});
after(async () => {
  assert.deepEqual(await server.stop(), { code: 0, signal: null }, server.log());
});

/** Scrapes and parses: {samples: {'name{labels}': value}, types: {family: type}, helps: Set, lines}. */
async function scrape() {
  const r = await fetch(`${server.url}/metrics`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  const text = await r.text();
  assert.ok(text.endsWith('\n'));
  const samples = {}, types = {}, helps = new Set(), order = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    let m;
    if ((m = /^# HELP ([a-z_]+) \S.*$/.exec(line))) { assert.ok(!helps.has(m[1]), `one HELP for ${m[1]}`); helps.add(m[1]); continue; }
    if ((m = /^# TYPE ([a-z_]+) (counter|gauge|histogram)$/.exec(line))) {
      assert.ok(!types[m[1]], `one TYPE for ${m[1]}`);
      types[m[1]] = m[2];
      continue;
    }
    assert.ok(!line.startsWith('#'), `comment line: ${line}`);
    m = /^([a-z_]+)(\{.*\})? (-?[0-9.e+]+)$/.exec(line);
    assert.ok(m, `sample line: ${line}`);
    const key = m[1] + (m[2] || '');
    assert.ok(!(key in samples), `one sample for ${key}`);
    samples[key] = Number(m[3]);
    order.push([m[1], m[2] || '', Number(m[3])]);
  }
  // Every sample belongs to a family declared (with HELP) before it.
  for (const [name] of order) {
    const family = name.replace(/_(bucket|sum|count)$/, (s) => (types[name.slice(0, -s.length)] === 'histogram' ? '' : s));
    assert.ok(types[family], `TYPE for ${name}`);
    assert.ok(helps.has(family), `HELP for ${name}`);
  }
  return { samples, types, text };
}

const resp = (route, code, method = 'GET') => `huizhan_http_responses_total{method="${method}",route="${route}",code="${code}"}`;
const hist = (route, part, method = 'GET') => `huizhan_http_request_duration_seconds_${part}{method="${method}",route="${route}"}`;
const v = (m, key) => m.samples[key] ?? 0;

test('every family has HELP and TYPE; each histogram is cumulative and ends in +Inf = count', async () => {
  await fetch(`${server.url}/health`);
  const m = await scrape();
  for (const [family, type] of Object.entries({
    huizhan_http_responses_total: 'counter', huizhan_http_request_duration_seconds: 'histogram',
    huizhan_cache_requests_total: 'counter', huizhan_data_revision: 'counter', huizhan_db_write_transactions_total: 'counter',
    huizhan_logins_total: 'counter', huizhan_job_runs_total: 'counter', huizhan_job_failures_total: 'counter',
    huizhan_scheduler_rounds_total: 'counter',
    huizhan_db_size_bytes: 'gauge', huizhan_db_wal_size_bytes: 'gauge', huizhan_http_requests_total: 'counter',
  })) assert.equal(m.types[family], type, family);
  const routes = new Map();
  for (const line of m.text.split('\n')) {
    const b = /^huizhan_http_request_duration_seconds_bucket\{(method="[^"]*",route="[^"]*"),le="([^"]+)"\} (\d+)$/.exec(line);
    if (!b) continue;
    if (!routes.has(b[1])) routes.set(b[1], []);
    routes.get(b[1]).push([b[2] === '+Inf' ? Infinity : Number(b[2]), Number(b[3])]);
  }
  assert.ok(routes.size >= 2, 'histograms for /health and /metrics');
  for (const [labels, buckets] of routes) {
    assert.equal(buckets.length, 15, labels);
    for (let i = 1; i < buckets.length; i++) {
      assert.ok(buckets[i][0] > buckets[i - 1][0], `le increasing: ${labels}`);
      assert.ok(buckets[i][1] >= buckets[i - 1][1], `cumulative: ${labels}`);
    }
    assert.equal(buckets.at(-1)[0], Infinity);
    assert.equal(buckets.at(-1)[1], m.samples[`huizhan_http_request_duration_seconds_count{${labels}}`], labels);
    assert.ok(m.samples[`huizhan_http_request_duration_seconds_sum{${labels}}`] >= 0);
  }
});

test('requests by route and status, latencies, logins, writes and the revision move by what was done', async () => {
  const m1 = await scrape();
  const audit1 = Number(sqlValue(server.db, 'SELECT COUNT(*) FROM audit_log'));
  // 3 × /health (200), 2 × an unknown API path (404, no route), 1 × /api/v1/me without a session (401).
  for (let i = 0; i < 3; i++) assert.equal((await fetch(`${server.url}/health`)).status, 200);
  for (let i = 0; i < 2; i++) assert.equal((await fetch(`${server.url}/api/no/such/page`)).status, 404);
  assert.equal((await fetch(`${server.url}/api/v1/me`)).status, 401);
  // 2 failed logins and 1 good one; then one unit created: 4 write transactions, 4 audit entries.
  const c = new Client(server.url);
  for (let i = 0; i < 2; i++) assert.equal((await c.post('/api/v1/session', { login: 'admin', password: 'wrong-password' })).status, 401);
  assert.equal((await c.post('/api/v1/session', { login: 'admin', password: 'admin-pass-2026' })).status, 200);
  assert.equal((await c.get('/api/v1/me')).status, 200);
  await newUnit(admin);
  const m2 = await scrape();

  assert.equal(v(m2, resp('/health', 200)) - v(m1, resp('/health', 200)), 3);
  assert.equal(v(m2, hist('/health', 'count')) - v(m1, hist('/health', 'count')), 3);
  assert.ok(v(m2, hist('/health', 'sum')) > v(m1, hist('/health', 'sum')));
  assert.equal(v(m2, resp('other', 404, '')) - v(m1, resp('other', 404, '')), 2);
  assert.equal(v(m2, resp('/api/v1/me', 401)) - v(m1, resp('/api/v1/me', 401)), 1);
  assert.equal(v(m2, resp('/api/v1/me', 200)) - v(m1, resp('/api/v1/me', 200)), 1);
  assert.equal(v(m2, resp('/api/v1/session', 401, 'POST')) - v(m1, resp('/api/v1/session', 401, 'POST')), 2);
  assert.equal(v(m2, resp('/api/v1/session', 200, 'POST')) - v(m1, resp('/api/v1/session', 200, 'POST')), 1);
  assert.equal(v(m2, resp('/api/v1/{name}', 201, 'POST')) - v(m1, resp('/api/v1/{name}', 201, 'POST')), 1);
  // The first scrape is counted by the second.
  assert.equal(v(m2, resp('/metrics', 200)) - v(m1, resp('/metrics', 200)), 1);
  // The per-route counts add up to the status classes' totals.
  const sumCode = (m, re) => Object.entries(m.samples).filter(([k]) => k.startsWith('huizhan_http_responses_total') && re.test(k))
    .reduce((a, [, x]) => a + x, 0);
  assert.equal(sumCode(m2, /code="2\d\d"/), m2.samples['huizhan_http_requests_total{code="2xx"}']);
  assert.equal(sumCode(m2, /code="4\d\d"/), m2.samples['huizhan_http_requests_total{code="4xx"}']);

  assert.equal(v(m2, 'huizhan_logins_total{outcome="failed"}') - v(m1, 'huizhan_logins_total{outcome="failed"}'), 2);
  assert.equal(v(m2, 'huizhan_logins_total{outcome="ok"}') - v(m1, 'huizhan_logins_total{outcome="ok"}'), 1);
  const audit2 = Number(sqlValue(server.db, 'SELECT COUNT(*) FROM audit_log'));
  assert.equal(audit2 - audit1, 4, 'two login_failed, one login, one unit');
  const committed = 'huizhan_db_write_transactions_total{outcome="committed"}';
  assert.equal(v(m2, committed) - v(m1, committed), 4);
  assert.equal(m2.samples.huizhan_data_revision, Number(sqlValue(server.db, "SELECT value FROM meta WHERE key = 'revision'")));
  assert.equal(m2.samples.huizhan_data_revision - m1.samples.huizhan_data_revision, 4, 'every audit entry bumps the revision');
});

test('cache hits and misses: a list asked twice at one revision is rendered once', async () => {
  const m1 = await scrape();
  expectStatus(await admin.get('/api/v1/projects?limit=5'), 200);
  expectStatus(await admin.get('/api/v1/projects?limit=5'), 200);
  expectStatus(await admin.get('/api/v1/projects?limit=6'), 200);
  const m2 = await scrape();
  assert.equal(v(m2, 'huizhan_cache_requests_total{result="miss"}') - v(m1, 'huizhan_cache_requests_total{result="miss"}'), 2);
  assert.equal(v(m2, 'huizhan_cache_requests_total{result="hit"}') - v(m1, 'huizhan_cache_requests_total{result="hit"}'), 1);
});

// Every job has its two series from the first scrape on; the names are the jobs table's.
const JOBS = ['bulletin-draft', 'missing-reports', 'remind-overdue', 'early-warning', 'backup'];
const runs = (m, job) => m.samples[`huizhan_job_runs_total{job="${job}"}`];
const fails = (m, job) => m.samples[`huizhan_job_failures_total{job="${job}"}`];
/** Per job, what m2 counts more than m1: {job: [runs, failures]} (only jobs that moved). */
function jobMoves(m1, m2) {
  const moved = {};
  for (const job of JOBS) {
    const d = [runs(m2, job) - runs(m1, job), fails(m2, job) - fails(m1, job)];
    if (d[0] || d[1]) moved[job] = d;
  }
  return moved;
}

test('job runs and failures by job name', async () => {
  const m1 = await scrape();
  assert.deepEqual(sqlValue(server.db, "SELECT group_concat(name, ',') FROM (SELECT name FROM jobs ORDER BY name)").split(','),
    [...JOBS].sort(), 'one series per job of the jobs table');
  for (const job of JOBS) {
    assert.equal(typeof runs(m1, job), 'number', `huizhan_job_runs_total{job="${job}"}`);
    assert.equal(typeof fails(m1, job), 'number', `huizhan_job_failures_total{job="${job}"}`);
  }
  // Only the two label sets' samples in each family (no unlabelled total beside them).
  assert.equal(Object.keys(m1.samples).filter((k) => k.startsWith('huizhan_job_')).length, 2 * JOBS.length);

  expectStatus(await admin.post('/api/v1/jobs/remind-overdue/run'), 200);
  expectStatus(await admin.post('/api/v1/jobs/missing-reports/run'), 200);
  expectStatus(await admin.post('/api/v1/jobs/missing-reports/run'), 200);
  const m2 = await scrape();
  assert.deepEqual(jobMoves(m1, m2), { 'remind-overdue': [1, 0], 'missing-reports': [2, 0] });

  // A job that fails: a trigger refuses the record of its run.
  sql(server.db, "CREATE TRIGGER metrics_refuse BEFORE UPDATE ON jobs BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
  try {
    const r = await admin.post('/api/v1/jobs/early-warning/run');
    assert.ok(r.status >= 400, `${r.status}`);
  } finally {
    sql(server.db, 'DROP TRIGGER metrics_refuse');
  }
  // The backup job of a server started without a backup folder fails (nothing to write to).
  const b = await admin.post('/api/v1/jobs/backup/run');
  assert.equal(b.status, 400, JSON.stringify(b.body));
  const m3 = await scrape();
  assert.deepEqual(jobMoves(m2, m3), { 'early-warning': [1, 1], backup: [1, 1] });
  // Runs on request are no round of the scheduler, which is off in this server (--jobs off).
  assert.equal(m3.samples.huizhan_scheduler_rounds_total, 0);
});

test('database and WAL sizes are the files on disk', async () => {
  const m = await scrape();
  // Nothing writes between the scrape and the stat (the scrape itself is a read).
  assert.equal(m.samples.huizhan_db_size_bytes, statSync(server.db).size);
  let wal = 0;
  try { wal = statSync(`${server.db}-wal`).size; } catch { /* no WAL file: 0 */ }
  assert.equal(m.samples.huizhan_db_wal_size_bytes, wal);
  assert.ok(m.samples.huizhan_db_size_bytes > 0);
});
