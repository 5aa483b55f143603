// A unit's project list is kept per person, day and data revision (docs/figures.md "How
// it stays fast"): the same question gets the same bytes with an ETag and a 304, any
// audited write gives a fresh answer, and nobody is ever served another person's list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import { startServer } from './lib.mjs';
import { buildCity, create, expectStatus, TODAY } from './fixture_units.mjs';

let server, f;
before(async () => {
  server = await startServer({ env: { HUIZHAN_TODAY: TODAY } });
  f = await buildCity(server);
});
after(async () => { assert.deepEqual(await server.stop(), { code: 0, signal: null }, server.log()); });

const LIST = '/api/v1/projects?sort=-planned_investment&limit=50';
const names = (r) => r.body.items.map((p) => p.name).sort();

test('the same list twice: the same answer, an ETag, and 304 when the client has it', async () => {
  const a = f.clients.staffA;
  const first = expectStatus(await a.get(LIST), 200);
  const r1 = await a.get(LIST);
  // unit A leads 新能源电池项目 and 联合招商产业园 (co-owned with B)
  assert.deepEqual(names(r1), ['新能源电池项目', '联合招商产业园']);
  assert.deepEqual(r1.body, first);
  const tag = r1.headers.get('etag');
  assert.match(tag, /^"r\d+-[0-9a-f]{16}(-gz)?"$/);
  const again = await a.get(LIST, { headers: { 'If-None-Match': tag } });
  assert.equal(again.status, 304);
  assert.equal(again.raw.length, 0);
  // Another page or order is another answer.
  assert.notEqual((await a.get('/api/v1/projects?sort=name&limit=50')).headers.get('etag'), tag);
});

test('each person gets their own list, never one kept for someone else', async () => {
  // B first, then A, then B again: each sees its own projects.
  assert.deepEqual(names(await f.clients.staffB.get(LIST)), ['古城文旅项目', '联合招商产业园']);
  assert.deepEqual(names(await f.clients.headA.get(LIST)), ['新能源电池项目', '联合招商产业园']);
  assert.deepEqual(names(await f.clients.staffB.get(LIST)), ['古城文旅项目', '联合招商产业园']);
  // A's tag means nothing to B: B gets its list, not a 304.
  const tagA = (await f.clients.staffA.get(LIST)).headers.get('etag');
  const b = await f.clients.staffB.get(LIST, { headers: { 'If-None-Match': tagA } });
  assert.equal(b.status, 200);
  assert.deepEqual(names(b), ['古城文旅项目', '联合招商产业园']);
  // The office sees all three.
  assert.equal((await f.clients.office.get(LIST)).body.total, 3);
});

test('a write gives a fresh answer at once: a new project, an edit, a follow-up', async () => {
  const a = f.clients.staffA;
  const before = await a.get(LIST);
  const tag = before.headers.get('etag');
  const p = await create(a, '/api/v1/projects', {
    campaign_id: f.campaign.id, name: '储能电站项目', category: 'industrial', method: 'industry',
    planned_investment: 90_000_000, lead_date: '2026-09-01',
  });
  const after1 = await a.get(LIST, { headers: { 'If-None-Match': tag } });
  assert.equal(after1.status, 200);
  assert.equal(after1.body.total, before.body.total + 1);
  assert.equal(after1.body.items[0].name, '储能电站项目', 'largest planned investment first');
  // B's list did not gain A's project.
  assert.ok(!names(await f.clients.staffB.get(LIST)).includes('储能电站项目'));
  // An edit shows at once.
  expectStatus(await a.patch(`/api/v1/projects/${p.id}`, { version: p.version, name: '储能电站一期' }), 200);
  assert.equal((await a.get(LIST)).body.items[0].name, '储能电站一期');
  // A follow-up moves the project's last activity date.
  await create(a, `/api/v1/projects/${p.id}/follow-ups`, { date: '2026-10-10', kind: 'call', summary: '电话跟进' });
  assert.equal((await a.get(LIST)).body.items[0].last_activity_date, '2026-10-10');
});

test('gzip for a client that takes it: the same JSON', async () => {
  const a = f.clients.staffA;
  const plain = await a.get(LIST);
  const bytes = await new Promise((resolve, reject) => {
    http.get(server.url + LIST, { headers: { Cookie: a.cookie, 'Accept-Encoding': 'gzip' } }, (res) => {
      assert.equal(res.headers['content-encoding'], 'gzip');
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks)));
    }).on('error', reject);
  });
  assert.deepEqual(JSON.parse(zlib.gunzipSync(bytes).toString('utf8')), plain.body);
});
