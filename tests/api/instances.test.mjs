// Several `huizhan serve` instances on one database (docs/scaling.md, "Several instances"):
// a write on one is seen by the next read on another, with a new ETag; concurrent writers
// on two instances keep every guarantee; a due job runs once across instances; kill -9 of
// one loses no acknowledged write; SIGTERM drains one while the other goes on; /health says
// 503 when the database is gone. SQLite shares one file between processes; the same holds
// on PostgreSQL, where every instance reads the same revision row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { run, startInstances, serveDb, tempDir, ADMIN_PASSWORD, Client, PG, pgDropDb } from './lib.mjs';
import { TODAY, expectStatus, create, tag } from './fixtures.mjs';

const env = { HUIZHAN_TODAY: TODAY };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Rows of one statement through the sqlite3 CLI (an independent reader), waiting up to
 * 10 s for a lock: the servers may be writing meanwhile. */
function sqlNow(db, query) {
  const out = execFileSync('sqlite3', ['-batch', '-cmd', '.timeout 10000', db, query], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.length).map((l) => l.split('|'));
}

async function admin(server) { return server.login('admin', ADMIN_PASSWORD); }

async function checkClean(db) {
  const v = await run(['audit', 'verify', '--db', db]);
  assert.equal(v.code, 0, v.stderr);
  assert.equal(v.stdout.trim(), 'ok');
  const c = await run(['check', '--db', db], { env });
  assert.equal(c.code, 0, `huizhan check: ${c.stdout}\n${c.stderr}`);
}

test('a write on A is seen by the next read on B with a new ETag: project list, dashboard, ranking; and back', async () => {
  const inst = await startInstances(2, { env });
  try {
    const [A, B] = inst.servers;
    const a = await admin(A), b = await admin(B);
    const camp = await create(a, '/api/v1/campaigns', { name: tag('会战'), start_date: '2026-08-01' });
    const unit = await create(a, '/api/v1/units', { name: tag('单位'), category: 'industry' });
    const project = (name, planned) => ({
      campaign_id: camp.id, name, lead_unit_id: unit.id, category: 'industrial', method: 'industry',
      lead_date: '2026-08-01', planned_investment: planned,
    });
    await create(a, '/api/v1/projects', project('甲项目', 3_000_000));
    const LIST = '/api/v1/projects?sort=-planned_investment&limit=50';
    const DASH = `/api/v1/campaigns/${camp.id}/dashboard`;
    const RANK = `/api/v1/campaigns/${camp.id}/ranking`;

    // B fills its caches, and proves it keeps them: the same question again is a 304.
    const cached = async (c, path) => {
      const r = expectStatus(await c.get(path), 200);
      const etag = (await c.get(path)).headers.get('etag');
      assert.ok(etag, `${path} has an ETag`);
      assert.equal((await c.get(path, { headers: { 'If-None-Match': etag } })).status, 304, `${path} cached`);
      return { body: r, etag };
    };
    const list1 = await cached(b, LIST), dash1 = await cached(b, DASH), rank1 = await cached(b, RANK);
    assert.deepEqual(list1.body.items.map((p) => p.name), ['甲项目']);
    assert.equal(dash1.body.totals.leads_count.reported, 1);

    // A write on A: a new project with the largest planned investment.
    await create(a, '/api/v1/projects', project('乙项目', 9_000_000));
    // The very next read on B, holding B's old tag, is a fresh 200 with a new tag.
    const fresh = async (c, path, old) => {
      const r = await c.get(path, { headers: { 'If-None-Match': old } });
      assert.equal(r.status, 200, `${path} after the write on the other instance`);
      assert.notEqual(r.headers.get('etag'), old);
      return r;
    };
    const list2 = await fresh(b, LIST, list1.etag);
    assert.deepEqual(list2.body.items.map((p) => p.name), ['乙项目', '甲项目']);
    const dash2 = await fresh(b, DASH, dash1.etag);
    assert.equal(dash2.body.totals.leads_count.reported, 2);
    // The ranking's numbers did not move (leads are not in it), but it is a new answer at a new revision.
    const rank2 = await fresh(b, RANK, rank1.etag);
    assert.deepEqual(rank2.body.overall.map((r) => r.unit_id), [unit.id]);

    // And the other way: A has cached, B edits, A's next read shows it.
    const listA = await cached(a, LIST);
    assert.deepEqual(listA.body.items.map((p) => p.name), ['乙项目', '甲项目']);
    const yi = list2.body.items[0];
    expectStatus(await b.patch(`/api/v1/projects/${yi.id}`, { version: yi.version, name: '乙项目（改名）' }), 200);
    const listA2 = await fresh(a, LIST, listA.etag);
    assert.deepEqual(listA2.body.items.map((p) => p.name), ['乙项目（改名）', '甲项目']);
    // The revision both see is the one in the database.
    const rev = Number(sqlNow(inst.db, "SELECT value FROM meta WHERE key = 'revision'")[0][0]);
    assert.match(listA2.headers.get('etag'), new RegExp(`^"r${rev}-`));
    assert.match((await b.get(LIST)).headers.get('etag'), new RegExp(`^"r${rev}-`));
  } finally {
    assert.deepEqual(await inst.stop(), [{ code: 0, signal: null }, { code: 0, signal: null }]);
  }
});

/**
 * Clients that write until `until`: each PATCHes one of `units` (read, then write with the
 * version read; a race with another client is a 409) and, every fourth time, creates a unit.
 * Records what was acknowledged, the conflicts, and anything else as a failure (unless
 * tolerate(client, error) says that client's instance is gone on purpose).
 */
async function writeLoad(clients, units, until, tolerate = () => false) {
  const out = { acks: [], created: [], failures: [], conflicts: 0 };
  await Promise.all(clients.map(async (cl) => {
    const { n, c, on } = cl;
    for (let k = 0; Date.now() < until; k++) {
      try {
        if (k % 4 === 3) {
          const name = `新建${n}-${k}x${process.pid}`;
          const r = await c.post('/api/v1/units', { name, category: 'other' });
          if (r.status === 201) out.created.push({ id: r.body.id, name, on });
          else out.failures.push(`${on} POST ${r.status} ${JSON.stringify(r.body)}`);
          continue;
        }
        const u = units[(n * 7 + k) % units.length];
        const g = await c.get(`/api/v1/units/${u.id}`);
        if (g.status !== 200) { out.failures.push(`${on} GET ${g.status} ${JSON.stringify(g.body)}`); continue; }
        const note = `c${n}-${k}`;
        const r = await c.patch(`/api/v1/units/${u.id}`, { version: g.body.version, note });
        if (r.status === 200) out.acks.push({ id: u.id, version: r.body.version, note, on });
        else if (r.status === 409 && r.body.error?.code === 'conflict') out.conflicts++;
        else out.failures.push(`${on} PATCH ${r.status} ${JSON.stringify(r.body)}`);
      } catch (err) {
        if (tolerate(cl, err)) return;
        out.failures.push(`${on} ${err.message}`);
      }
    }
  }));
  return out;
}

/** Every acknowledged write is in the database, read by the sqlite3 CLI: each unit's
 * acknowledged versions are exactly 2..its version now, the last one's note is its note,
 * one audit entry per acknowledged update, and every created unit is there by name. */
function assertAcknowledged(db, units, load) {
  for (const u of units) {
    const mine = load.acks.filter((x) => x.id === u.id).sort((x, y) => x.version - y.version);
    const [[version, note]] = sqlNow(db, `SELECT version, coalesce(note, '') FROM units WHERE id = ${u.id}`);
    assert.deepEqual(mine.map((x) => x.version), Array.from({ length: mine.length }, (_, i) => i + 2),
      `unit ${u.id}: acknowledged versions`);
    assert.equal(Number(version), mine.length + 1, `unit ${u.id}: version in the database`);
    if (mine.length) assert.equal(note, mine.at(-1).note, `unit ${u.id}: the last acknowledged note`);
  }
  const ids = units.map((u) => u.id).join(',');
  assert.equal(Number(sqlNow(db, `SELECT count(*) FROM audit_log WHERE entity = 'units' AND action = 'update' AND entity_id IN (${ids})`)[0][0]),
    load.acks.length, 'one audit entry per acknowledged update');
  const names = new Map(sqlNow(db, "SELECT id, name FROM units WHERE name LIKE '新建%'").map(([id, name]) => [Number(id), name]));
  for (const c of load.created) assert.equal(names.get(c.id), c.name, `created unit ${c.id} (${c.on})`);
}

async function setupLoad(inst, nUnits = 6, perInstance = 8) {
  const a = await admin(inst.servers[0]);
  const units = [];
  for (let i = 0; i < nUnits; i++) units.push(await create(a, '/api/v1/units', { name: tag('并发单位'), category: 'other' }));
  // One session per instance, shared by its clients (each sends its own requests).
  const sessions = [];
  for (const s of inst.servers) sessions.push(await admin(s));
  const clients = [];
  for (let i = 0; i < perInstance * inst.servers.length; i++) {
    const k = i % inst.servers.length;
    clients.push({ n: i, c: sessions[k], on: 'AB'[k] });
  }
  return { units, clients };
}

// The PostgreSQL pass (api-pg/instances, tests/CMakeLists.txt) runs the load for 3 s, to stay in
// CI's time budget.
const LOAD_MS = Number(process.env.HZ_INSTANCES_LOAD_MS) || 10_000;

test('2 × 8 concurrent writers on A and B for 10 s (3 s in the PostgreSQL pass): every acknowledged update is there, conflicts are 409, audit and check clean', async () => {
  const inst = await startInstances(2, { env });
  try {
    const { units, clients } = await setupLoad(inst);
    const load = await writeLoad(clients, units, Date.now() + LOAD_MS);
    assert.deepEqual(await inst.stop({ keep: true }), [{ code: 0, signal: null }, { code: 0, signal: null }]);
    assert.deepEqual(load.failures, []);
    assert.ok(load.conflicts > 0, 'sixteen clients racing on six units meet conflicts');
    for (const on of 'AB') {
      const acks = load.acks.filter((x) => x.on === on).length, created = load.created.filter((x) => x.on === on).length;
      assert.ok(acks > 20 * LOAD_MS / 10_000, `updates acknowledged by ${on}: ${acks}`);
      assert.ok(created > 5 * LOAD_MS / 10_000, `units created through ${on}: ${created}`);
    }
    assertAcknowledged(inst.db, units, load);
    await checkClean(inst.db);
  } finally {
    await inst.stop();
  }
});

test('kill -9 of A in the middle of a write load: no acknowledged write is lost, B goes on', async () => {
  const inst = await startInstances(2, { env });
  const [A, B] = inst.servers;
  try {
    const { units, clients } = await setupLoad(inst, 6, 4);
    let killedAt = 0;
    const killer = (async () => {
      await sleep(1500);
      killedAt = Date.now();
      A.proc.kill('SIGKILL');
    })();
    // Clients of A stop at their first failure after the kill (the connection is gone).
    const load = await writeLoad(clients, units, Date.now() + 4000, (cl, err) => cl.on === 'A' && killedAt && Date.now() >= killedAt);
    await killer;
    assert.deepEqual(await A.exited, { code: null, signal: 'SIGKILL' });
    assert.deepEqual(load.failures, []);
    assert.ok(load.acks.filter((x) => x.on === 'A').length > 5, 'A acknowledged writes before it died');
    // B went on writing after A died, so A left no lock behind.
    const bAfter = load.created.filter((x) => x.on === 'B').length;
    assert.ok(bAfter > 0);
    const b = await admin(B);
    const late = await create(b, '/api/v1/units', { name: tag('新建-之后'), category: 'other' });
    load.created.push({ id: late.id, name: late.name, on: 'B' });
    assert.deepEqual(await inst.stop({ keep: true }), [{ code: null, signal: 'SIGKILL' }, { code: 0, signal: null }]);
    assertAcknowledged(inst.db, units, load);
    await checkClean(inst.db);
  } finally {
    await inst.stop();
  }
});

test('sessions, API tokens and login-failure limits live in the database: what A knows, B knows', async () => {
  const inst = await startInstances(2, { env });
  const [A, B] = inst.servers;
  try {
    // A session made on A works on B (a load balancer may send the next request anywhere),
    // with its CSRF token; logging out on B ends it on A.
    const onA = await admin(A);
    const onB = new Client(B.url);
    onB.cookie = onA.cookie;
    onB.csrf = onA.csrf;
    assert.equal(expectStatus(await onB.get('/api/v1/me'), 200).login, 'admin');
    const u = await create(onB, '/api/v1/units', { name: tag('经B写入'), category: 'other' });
    assert.equal(expectStatus(await onA.get(`/api/v1/units/${u.id}`), 200).name, u.name);
    expectStatus(await onB.del('/api/v1/session'), 204);
    assert.equal((await onA.get('/api/v1/me')).status, 401);

    // A token made on A works on B; revoked on B, it fails on A at once.
    const admA = await admin(A);
    const made = expectStatus(await admA.post('/api/v1/api-tokens', { login: 'admin', name: '脚本' }), 201);
    const botB = new Client(B.url, { bearer: made.token }), botA = new Client(A.url, { bearer: made.token });
    assert.equal(expectStatus(await botB.get('/api/v1/me'), 200).login, 'admin');
    assert.equal(expectStatus(await botA.get('/api/v1/me'), 200).login, 'admin');
    const admB = await admin(B);
    expectStatus(await admB.del(`/api/v1/api-tokens/${made.id}`), 204);
    assert.equal((await botA.get('/api/v1/me')).status, 401);

    // Five wrong passwords spread over A and B: the sixth attempt is refused on either,
    // even with the right password (429), because both count the same rows.
    for (let i = 0; i < 5; i++) {
      const r = await (i % 2 ? B : A).tryLogin('admin', 'wrong-password-' + i);
      assert.equal(r.status, 401, `attempt ${i + 1}`);
    }
    assert.equal((await A.tryLogin('admin', ADMIN_PASSWORD)).status, 429);
    assert.equal((await B.tryLogin('admin', ADMIN_PASSWORD)).status, 429);
  } finally {
    assert.deepEqual(await inst.stop(), [{ code: 0, signal: null }, { code: 0, signal: null }]);
  }
});

test('a due job runs exactly once with two instances started at the same moment, each day', async () => {
  const inst = await startInstances(1, { env });
  const db = inst.db;
  try {
    const a = await admin(inst.servers[0]);
    // The campaign starts on Monday 2026-08-03; on 08-20 week 2 (to 08-16) is the last ended one.
    const c = await create(a, '/api/v1/campaigns', { name: tag('调度'), start_date: '2026-08-03', status: 'active' });
    const units = [];
    for (let i = 0; i < 3; i++) units.push(await create(a, '/api/v1/units', { name: tag('调度单位'), category: 'industry' }));
    expectStatus(await a.patch('/api/v1/jobs/missing-reports', { enabled: true, weekday: null, at_time: '00:00' }), 200);
    for (const name of ['bulletin-draft', 'remind-overdue', 'early-warning'])
      expectStatus(await a.patch(`/api/v1/jobs/${name}`, { enabled: false, weekday: null, at_time: '00:00' }), 200);
    assert.deepEqual(await inst.stop({ keep: true }), [{ code: 0, signal: null }]);

    const notices = () => Number(sqlNow(db, "SELECT count(*) FROM notifications WHERE kind = 'missing_report'")[0][0]);
    for (const [day, expected] of [['2026-08-20', 3], ['2026-08-21', 6]]) {
      // Two schedulers, started together: each looks for due jobs at once, then every 30 s.
      const pair = await Promise.all([0, 1].map(() => serveDb(db, { env: { HUIZHAN_TODAY: day }, jobs: true })));
      try {
        for (let i = 0; i < 200 && notices() < expected; i++) await sleep(50);
        await sleep(1500); // time for a second run, if one were to happen
        assert.equal(notices(), expected, `${day}: one notice per unit, not one per unit and instance`);
        assert.deepEqual(sqlNow(db, `SELECT unit_id FROM notifications WHERE kind = 'missing_report' AND created_at LIKE '${day}%' ORDER BY unit_id`)
          .map((r) => Number(r[0])), units.map((u) => u.id));
        assert.equal(sqlNow(db, "SELECT last_run_on FROM jobs WHERE name = 'missing-reports'")[0][0], day);
        // Exactly one of them ran it.
        const ran = pair.filter((s) => s.log().includes('scheduled job missing-reports ran')).length;
        assert.equal(ran, 1, pair.map((s) => s.log()).join('\n---\n'));
        void c;
      } finally {
        for (const s of pair) assert.deepEqual(await s.stop(), { code: 0, signal: null });
      }
    }
  } finally {
    inst.remove();
  }
});

test('SIGTERM drains A: requests in flight finish (connection closed after), A exits 0, B goes on answering', async () => {
  const inst = await startInstances(2, { env });
  const [A, B] = inst.servers;
  try {
    const a = await admin(A), b = await admin(B);
    // Four writes in flight on A: headers and half the body sent, the rest after the signal.
    const inflight = [0, 1, 2, 3].map((i) => new Promise((resolve, reject) => {
      const body = Buffer.from(JSON.stringify({ name: `停机在途${i}x${process.pid}`, category: 'other' }));
      const req = http.request(`${A.url}/api/v1/units`, {
        method: 'POST',
        agent: false,
        headers: { Cookie: a.cookie, 'X-CSRF-Token': a.csrf, 'Content-Type': 'application/json', 'Content-Length': body.length },
      }, (res) => {
        let text = '';
        res.on('data', (d) => { text += d; });
        res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.write(body.subarray(0, 10));
      setTimeout(() => req.end(body.subarray(10)), 700);
    }));
    // A health checker that keeps its connection open (as nginx or HAProxy may).
    const keep = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const health = (agent) => new Promise((resolve, reject) => {
      http.get(`${A.url}/health`, { agent }, (res) => {
        let text = '';
        res.on('data', (d) => { text += d; });
        res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection, body: JSON.parse(text) }));
      }).on('error', reject);
    });
    assert.equal((await health(keep)).status, 200);
    await sleep(200);
    A.proc.kill('SIGTERM');
    // While A drains: B answers reads and writes; A takes no new connection, and says 503
    // (and closes) on the one the checker kept.
    await sleep(150);
    await assert.rejects(health(false), /ECONNREFUSED|ECONNRESET/);
    const h = await health(keep);
    assert.equal(h.status, 503);
    assert.equal(h.body.error.code, 'unavailable');
    assert.equal(h.connection, 'close');
    keep.destroy();
    const during = await create(b, '/api/v1/units', { name: tag('排空时经B'), category: 'other' });
    const answers = await Promise.all(inflight);
    for (const r of answers) {
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.connection, 'close', 'an answer sent while draining closes its connection');
    }
    assert.deepEqual(await A.exited, { code: 0, signal: null }, A.log());
    assert.match(A.log(), /draining/);
    // B still answers, and sees what A finished.
    for (const r of answers) assert.equal(expectStatus(await b.get(`/api/v1/units/${r.body.id}`), 200).name, r.body.name);
    assert.equal(expectStatus(await b.get(`/api/v1/units/${during.id}`), 200).name, during.name);
    assert.equal((await fetch(`${B.url}/health`)).status, 200);
    assert.deepEqual(await inst.stop({ keep: true }), [{ code: 0, signal: null }, { code: 0, signal: null }]);
    const names = sqlNow(inst.db, `SELECT name FROM units WHERE id IN (${answers.map((r) => r.body.id).join(',')}) ORDER BY name`).map((r) => r[0]);
    assert.deepEqual(names, answers.map((r) => r.body.name).sort());
  } finally {
    await inst.stop();
  }
});

test('/health: 200 with the database ok on both; 503 when the database is gone (its file deleted; on PostgreSQL, dropped)', async () => {
  const inst = await startInstances(2, { env });
  try {
    for (const s of inst.servers) {
      const r = await fetch(`${s.url}/health`);
      assert.equal(r.status, 200);
      const body = await r.json();
      assert.equal(body.status, 'ok');
      assert.equal(body.db, 'ok');
    }
    if (PG) {
      // The database is dropped under both (its connections ended): none can be had again.
      pgDropDb(inst.db);
    } else {
      // The file is deleted under both (and its WAL): each worker connection still has it open,
      // which is why the check asks whether the path still names the file it opened.
      for (const f of ['', '-wal', '-shm']) rmSync(inst.db + f, { force: true });
      assert.ok(!existsSync(inst.db));
    }
    for (const s of inst.servers) {
      for (let i = 0; i < 6; i++) { // several requests, so several worker threads answer
        const r = await fetch(`${s.url}/health`);
        assert.equal(r.status, 503);
        const body = await r.json();
        assert.equal(body.error.code, 'unavailable');
      }
    }
  } finally {
    await inst.stop();
  }
});

test('behind a trusted load balancer the login limits count per client (X-Forwarded-For), on every instance; from anyone else the header is ignored', async () => {
  // The tests reach the servers from 127.0.0.1, so here that is the load balancer.
  const inst = await startInstances(2, { env, args: ['--trust-proxy', '10.9.9.9,127.0.0.1'] });
  const [A, B] = inst.servers;
  const login = (s, ip, password) => new Client(s.url).post('/api/v1/session', { login: 'admin', password },
    { headers: { 'X-Forwarded-For': ip } });
  try {
    for (let i = 0; i < 5; i++) assert.equal((await login(i % 2 ? B : A, '203.0.113.7', 'wrong-' + i)).status, 401);
    // That client is now refused on both instances; another client behind the same balancer is not.
    assert.equal((await login(A, '203.0.113.7', ADMIN_PASSWORD)).status, 429);
    assert.equal((await login(B, '203.0.113.7', ADMIN_PASSWORD)).status, 429);
    assert.equal((await login(B, '203.0.113.8', ADMIN_PASSWORD)).status, 200);
    assert.equal((await login(A, '2001:db8::8', ADMIN_PASSWORD)).status, 200);
    // The audit names the client, not the balancer.
    const seen = sqlNow(inst.db, "SELECT DISTINCT json_extract(after, '$.address') FROM audit_log WHERE action = 'login_failed'").map((r) => r[0]);
    assert.deepEqual(seen, ['203.0.113.7']);
    // A header that is not an address is not believed: the balancer's own address counts.
    assert.equal((await login(A, 'not-an-ip', 'wrong')).status, 401);
    assert.deepEqual(sqlNow(inst.db, "SELECT json_extract(after, '$.address') FROM audit_log WHERE action = 'login_failed' ORDER BY id DESC LIMIT 1")[0], ['127.0.0.1']);
  } finally {
    assert.deepEqual(await inst.stop(), [{ code: 0, signal: null }, { code: 0, signal: null }]);
  }
  // Without --trust-proxy anyone could claim any address: the header changes nothing.
  const plain = await startInstances(1, { env });
  try {
    for (let i = 0; i < 5; i++) assert.equal((await login(plain.servers[0], `198.51.100.${i}`, 'wrong-' + i)).status, 401);
    assert.equal((await login(plain.servers[0], '198.51.100.99', ADMIN_PASSWORD)).status, 429);
  } finally {
    await plain.stop();
  }
  // A bad list is refused at the start: security_proxy_tls.test.mjs.
});

test('an import running on A is "running" when polled on B, done there once done; cut off by kill -9, B says interrupted', async () => {
  const inst = await startInstances(2, { env });
  const [A, B] = inst.servers;
  try {
    const a = await admin(A), b = await admin(B);
    const csv = (prefix, n) => Buffer.from(['名称,类别', ...Array.from({ length: n }, (_, i) => `${prefix}${i},工业`)].join('\r\n') + '\r\n');
    const start = async (body) => {
      const r = await a.post('/api/v1/imports?kind=units&filename=u.csv', body, { headers: { 'Content-Type': 'text/csv' } });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      return r.body.id;
    };
    // Polled on B (as a balancer may send the poll) until it ends.
    const body1 = csv('导入甲', 12000);
    const id1 = await start(body1);
    const seen = [];
    let job;
    for (let i = 0; i < 1200; i++) {
      job = expectStatus(await b.get(`/api/v1/imports/${id1}`), 200);
      seen.push(job.state);
      if (job.state !== 'running') break;
      assert.equal(job.progress.bytes_total, body1.length);
      await sleep(25);
    }
    assert.equal(seen[0], 'running', 'B sees the job A runs as running');
    assert.equal(job.state, 'done', JSON.stringify(job));
    assert.equal(job.rows_done, 12000);
    assert.equal(Number(sqlNow(inst.db, "SELECT count(*) FROM units WHERE name LIKE '导入甲%'")[0][0]), 12000);
    assert.equal(expectStatus(await a.get(`/api/v1/imports/${id1}`), 200).state, 'done');

    // A dies in the middle of the next one: B tells, and nothing of it was committed.
    const id2 = await start(csv('导入乙', 12000));
    assert.equal(expectStatus(await b.get(`/api/v1/imports/${id2}`), 200).state, 'running');
    A.proc.kill('SIGKILL');
    await A.exited;
    const cut = expectStatus(await b.get(`/api/v1/imports/${id2}`), 200);
    assert.equal(cut.state, 'failed');
    assert.equal(cut.result.code, 'interrupted');
    assert.equal(Number(sqlNow(inst.db, "SELECT count(*) FROM units WHERE name LIKE '导入乙%'")[0][0]), 0);
  } finally {
    await inst.stop();
  }
});
