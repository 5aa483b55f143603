// One description of the API, from the route table (src/http/router.c): the
// capabilities GET /api/v1/me gives each role match what the server really answers,
// and the OpenAPI document lists every route of the table, each answering.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer } from './lib.mjs';
import { expectStatus, sqlValue, upload, PDF } from './fixtures.mjs';

let server, admin;
before(async () => {
  server = await startServer({ demo: true });
  admin = await server.admin();
});
after(() => server?.stop());

const X = 999999999; // no record has this id
const maxId = (table) => Number(sqlValue(server.db, `SELECT MAX(id) FROM ${table}`));

// [collection, verb, method, path, body]: requests that reach the role check and, when
// it passes, stop at something other than 403 (a missing record, a body left empty)
// without changing data, so every role meets the same database.
function probes() {
  const c = maxId('campaigns');
  return [
    ['projects', 'read', 'GET', '/api/v1/projects?limit=1'],
    ['projects', 'export', 'GET', '/api/v1/projects/export.csv?stage=nope'],
    ['targets', 'export', 'GET', `/api/v1/campaigns/${c}/targets/export.csv?metric=nope`],
    ['ranking', 'export', 'GET', `/api/v1/campaigns/${c}/ranking/export.csv?as_of=nope`],
    ['projects', 'create', 'POST', '/api/v1/projects', {}],
    ['projects', 'update', 'PATCH', `/api/v1/projects/${X}`, {}],
    ['projects', 'delete', 'DELETE', `/api/v1/projects/${X}`],
    ['projects', 'settle-duplicate', 'POST', `/api/v1/projects/${X}/settle-duplicate`, {}],
    ['stage-changes', 'create', 'POST', `/api/v1/projects/${X}/stage-changes`, {}],
    ['stage-changes', 'certify', 'POST', `/api/v1/stage-changes/${X}/certify`, {}],
    ['stage-changes', 'reject', 'POST', `/api/v1/stage-changes/${X}/reject`, { reason: '材料不全' }],
    ['funds', 'certify', 'POST', `/api/v1/funds/${X}/certify`, {}],
    ['funds', 'update', 'PATCH', `/api/v1/funds/${X}`, {}],
    ['audit', 'read', 'GET', '/api/v1/audit?limit=1'],
    ['jobs', 'read', 'GET', '/api/v1/jobs'],
    ['jobs', 'update', 'PATCH', '/api/v1/jobs/no-such-job', {}],
    ['jobs', 'run', 'POST', '/api/v1/jobs/no-such-job/run'],
    ['campaigns', 'create', 'POST', '/api/v1/campaigns', {}],
    ['campaigns', 'update', 'PATCH', `/api/v1/campaigns/${X}`, {}],
    ['campaigns', 'dashboard', 'GET', `/api/v1/campaigns/${c}/dashboard`],
    ['campaigns', 'ranking', 'GET', `/api/v1/campaigns/${c}/ranking`],
    ['campaigns', 'duplicates', 'GET', `/api/v1/campaigns/${c}/duplicates`],
    ['campaigns', 'report-status', 'GET', `/api/v1/campaigns/${c}/report-status`],
    ['campaigns', 'certification-queue', 'GET', `/api/v1/campaigns/${c}/certification-queue`],
    ['campaigns', 'target-gaps', 'GET', `/api/v1/campaigns/${c}/target-gaps`],
    ['settings', 'read', 'GET', `/api/v1/campaigns/${c}/settings`],
    ['settings', 'update', 'PATCH', `/api/v1/campaigns/${X}/settings`, {}],
    ['snapshots', 'create', 'POST', `/api/v1/campaigns/${X}/snapshots`, {}],
    ['snapshots', 'diff', 'GET', `/api/v1/snapshots/${X}/diff`],
    ['bulletins', 'create', 'POST', `/api/v1/campaigns/${X}/bulletins`, {}],
    ['bulletins', 'publish', 'POST', `/api/v1/bulletins/${X}/publish`],
    ['bulletins', 'instructions', 'POST', `/api/v1/bulletins/${X}/instructions`, { text: '阅' }],
    ['bulletins', 'print', 'GET', `/api/v1/bulletins/${X}/print`],
    ['weekly-reports', 'create', 'POST', `/api/v1/campaigns/${c}/weekly-reports`, {}],
    ['weekly-reports', 'submit', 'POST', `/api/v1/weekly-reports/${X}/submit`],
    ['weekly-reports', 'review', 'POST', `/api/v1/weekly-reports/${X}/review`, { heard: true }],
    ['weekly-reports', 'instructions', 'POST', `/api/v1/weekly-reports/${X}/instructions`, { text: '阅' }],
    ['coordination-items', 'advance', 'POST', `/api/v1/coordination-items/${X}/advance`, { to: 'signed_off' }],
    ['coordination-items', 'remind', 'POST', `/api/v1/coordination-items/${X}/remind`],
    ['coordination-items', 'create', 'POST', '/api/v1/coordination-items', {}],
    ['checkpoints', 'evaluate', 'POST', `/api/v1/checkpoints/${X}/evaluate`],
    ['checkpoints', 'early-warning', 'GET', `/api/v1/checkpoints/${X}/early-warning`],
    ['proposals', 'approve', 'POST', `/api/v1/proposals/${X}/approve`, {}],
    ['proposals', 'dismiss', 'POST', `/api/v1/proposals/${X}/dismiss`, {}],
    ['proposals', 'create', 'POST', `/api/v1/campaigns/${c}/proposals`, {}],
    ['teams', 'roster', 'GET', `/api/v1/teams/${X}/roster`],
    ['teams', 'create', 'POST', '/api/v1/teams', {}],
    ['targets', 'create', 'POST', `/api/v1/campaigns/${c}/targets`, {}],
    ['users', 'create', 'POST', '/api/v1/users', {}],
    ['users', 'delete', 'DELETE', `/api/v1/users/${X}`],
    ['investors', 'update', 'PATCH', `/api/v1/investors/${X}`, {}],
    ['notifications', 'create', 'POST', '/api/v1/notifications', {}],
    ['attachments', 'create', 'POST', `/api/v1/projects/${X}/attachments?filename=a.pdf`, PDF],
    ['attachments', 'delete', 'DELETE', `/api/v1/attachments/${X}`],
    ['api-tokens', 'read', 'GET', '/api/v1/api-tokens'],
    ['api-tokens', 'create', 'POST', '/api/v1/api-tokens', {}],
    ['api-tokens', 'delete', 'DELETE', `/api/v1/api-tokens/${X}`],
  ];
}

const people = { admin: 'admin', office: 'office', leader: 'leader', unit_head: 'gxj.head', unit_staff: 'gxj.staff1' };

test('capabilities in /me: a verb is listed exactly when the real request is not refused (403, or 405 for no such operation)', async () => {
  const seen = {};
  for (const [role, login] of Object.entries(people)) {
    const c = await server.login(login);
    const me = expectStatus(await c.get('/api/v1/me'), 200);
    assert.equal(me.role, role);
    const caps = me.capabilities;
    // The shape the web UI reads: collection -> sorted, unique verbs.
    for (const [k, verbs] of Object.entries(caps)) {
      assert.ok(Array.isArray(verbs), k);
      assert.deepEqual(verbs, [...new Set(verbs)].sort(), `${role} ${k} sorted and unique`);
    }
    for (const [coll, verb, method, path, body] of probes()) {
      const opts = Buffer.isBuffer(body) ? { headers: { 'Content-Type': 'application/pdf' } } : {};
      const r = await c.req(method, path, body, opts);
      assert.ok(![401, 500].includes(r.status), `${role} ${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
      const listed = (caps[coll] || []).includes(verb);
      const refused = r.status === 403 || r.status === 405;
      assert.equal(listed, !refused, `${role}: ${coll}.${verb} listed=${listed} but ${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
      // A route that is there: a missing record, never a missing address.
      if (r.status === 404) assert.doesNotMatch(r.body.error.message, /没有这个地址|没有这个集合/, `${method} ${path}`);
      (seen[`${coll}.${verb}`] ||= new Set()).add(listed);
    }
  }
  // The sample tells roles apart: most verbs are allowed to some and refused to others.
  const split = Object.values(seen).filter((s) => s.size === 2).length;
  assert.ok(split >= 30, `${split} verbs differ between roles`);
  // Hand-checked answers the web UI relies on.
  const caps = async (login) => expectStatus(await (await server.login(login)).get('/api/v1/me'), 200).capabilities;
  const [a, l, h, s] = [await caps('admin'), await caps('leader'), await caps('gxj.head'), await caps('gxj.staff1')];
  assert.deepEqual(a['stage-changes'], ['certify', 'create', 'export', 'read', 'reject']);
  assert.deepEqual(l['stage-changes'], ['export', 'read']);
  assert.deepEqual(s['weekly-reports'], ['create', 'delete', 'export', 'read', 'submit', 'update']);
  assert.deepEqual(h['weekly-reports'], ['create', 'delete', 'export', 'read', 'review', 'submit', 'update']);
  assert.deepEqual(l['weekly-reports'], ['export', 'instructions', 'read']);
  assert.deepEqual(a.jobs, ['read', 'run', 'update']);
  assert.deepEqual(s.jobs, []);
  assert.deepEqual(a.proposals, ['approve', 'dismiss', 'export', 'read']);
  for (const v of ['dashboard', 'ranking', 'funnel', 'forecast', 'stale-projects', 'certification-queue', 'target-gaps'])
    assert.ok(s.campaigns.includes(v), v);
  assert.ok(!s.campaigns.includes('duplicates') && !s.campaigns.includes('report-status'));
});

// The route table, read from the source: method, pattern and the {name} list it uses.
function routeTable() {
  const src = readFileSync(new URL('../../src/http/router.c', import.meta.url), 'utf8');
  const lists = {};
  for (const m of src.matchAll(/static const char \*const (\w+)\[\] = \{([^}]*)\}/g))
    lists[m[1]] = [...m[2].matchAll(/"([^"]+)"/g)].map((x) => x[1]);
  const routes = [];
  for (const m of src.matchAll(/\{"(GET|POST|PATCH|DELETE)",\s*"([^"]+)",\s*(\w+),\s*([^,]+),\s*[^,]+,\s*[^,]+,\s*(\w+)/g))
    routes.push({ method: m[1], pattern: m[2], handler: m[3], flags: m[4], names: m[5] === 'NULL' ? null : lists[m[5]] });
  // Every entry read, none skipped by a line break inside it.
  assert.equal(routes.length, [...src.matchAll(/^\s*\{"(GET|POST|PATCH|DELETE)"/gm)].length);
  return routes;
}

test('OpenAPI: every route of the table is documented, and every documented operation answers admin', async () => {
  const doc = expectStatus(await admin.get('/api/v1/openapi.json'), 200);
  const routes = routeTable();
  assert.ok(routes.length >= 55, `${routes.length} routes read from router.c`);
  const collections = Object.keys(doc.components.schemas).filter((k) => k !== 'Error');
  assert.ok(collections.length >= 20);
  const has = (path, method) => assert.ok(doc.paths[path]?.[method.toLowerCase()], `${method} ${path} documented`);
  for (const r of routes) {
    if (r.flags.includes('R_RESOURCE')) {
      // The generic routes: documented for the collections they serve.
      if (r.pattern === '/api/v1/{name}' && r.method === 'GET') for (const c of collections) has(`/api/v1/${c}`, 'GET');
      if (r.pattern === '/api/v1/{name}/{id}' && r.method === 'GET') for (const c of collections) has(`/api/v1/${c}/{id}`, 'GET');
      if (r.pattern === '/api/v1/{name}' && r.method === 'POST') has('/api/v1/projects', 'POST');
      if (r.pattern === '/api/v1/{name}/{id}' && r.method !== 'GET') has('/api/v1/projects/{id}', r.method);
      if (r.pattern === '/api/v1/{name}/{id}/{name}') has('/api/v1/projects/{id}/funds', r.method);
    } else if (r.names) {
      for (const n of r.names) has(r.pattern.replace('{name}', n), r.method);
    } else {
      has(r.pattern, r.method);
    }
  }
  // Each operation states its body limit when it takes a body, and its roles.
  const up = doc.paths['/api/v1/projects/{id}/attachments'].post;
  assert.equal(up['x-max-body-bytes'], 20 << 20);
  assert.equal(doc.paths['/api/v1/projects'].post['x-max-body-bytes'], 1 << 20);
  assert.equal(doc.paths['/api/v1/weekly-reports/{id}/review'].post['x-max-body-bytes'], 1 << 20);
  assert.deepEqual(doc.paths['/api/v1/weekly-reports/{id}/review'].post['x-roles'], ['admin', 'unit_head']);
  assert.deepEqual(doc.paths['/api/v1/stage-changes/{id}/certify'].post['x-roles'], ['admin', 'office']);

  // Every documented path and method, called by admin with real ids, is a route.
  expectStatus(await upload(admin, maxId('projects'), 'c.pdf', 'application/pdf', PDF), 201);
  // The demo city has no group robot: one that points at the discard port (refused at once).
  expectStatus(await admin.post(`/api/v1/campaigns/${maxId('campaigns')}/webhooks`,
    { kind: 'wecom', name: '探测', url: 'http://127.0.0.1:9/x?key=k' }), 201);
  // An import job with an error report, for /imports/{id} and /imports/{id}/errors.xlsx.
  const imp = await admin.req('POST', '/api/v1/imports?kind=units', Buffer.from('名称,类别\r\n某局,不知道\r\n'));
  expectStatus(imp, 202);
  for (let i = 0; i < 200 && (await admin.get(`/api/v1/imports/${imp.body.id}`)).body.state === 'running'; i++)
    await new Promise((res) => setTimeout(res, 25));
  expectStatus(await admin.post('/api/v1/api-tokens', { login: 'leader', name: '探测' }), 201); // the demo has no token to revoke
  const table = (coll) => ({ audit: 'audit_log', imports: 'import_jobs' }[coll] || coll.replace(/-/g, '_'));
  const concrete = (path) => {
    const segs = path.split('/');
    return segs.map((s, i) => {
      if (s === '{id}') return String(maxId(table(segs[i - 1])));
      if (s === '{unit_id}') return String(maxId('units'));
      if (s === '{name}') return segs[i - 1] === 'import-templates' ? 'projects.xlsx' : 'remind-overdue';
      return s;
    }).join('/');
  };
  const ops = [];
  for (const [path, item] of Object.entries(doc.paths))
    for (const method of Object.keys(item)) ops.push([method.toUpperCase(), path]);
  const order = { GET: 0, POST: 1, PATCH: 1, DELETE: 2 };
  ops.sort((x, y) => order[x[0]] - order[y[0]] || (x[1] === '/api/v1/session') - (y[1] === '/api/v1/session'));
  let called = 0;
  for (const [method, path] of ops) {
    const url = concrete(path);
    let r;
    if (path === '/api/v1/projects/{id}/attachments' && method === 'POST')
      r = await upload(admin, url.split('/')[4], 'd.pdf', 'application/pdf', PDF);
    else r = await admin.req(method, url, method === 'GET' || method === 'DELETE' ? undefined : {});
    assert.ok(![404, 405].includes(r.status), `${method} ${url} → ${r.status} ${JSON.stringify(r.body)}`);
    called++;
  }
  assert.ok(called >= 100, `${called} operations called`);
});
