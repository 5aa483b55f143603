// The service around the API: /health, /metrics, the web app at /, the OpenAPI document
// (checked against real records), and stopping: SIGTERM exits 0 promptly and loses no
// acknowledged write; neither does kill -9.
import { test, before, after } from 'node:test';
import http from 'node:http';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { run, startServer, serveDb, ADMIN_PASSWORD } from './lib.mjs';
import {
  TODAY, sqlValue, expectStatus, expectError, create, tag, newCampaign, newUnit, newProject, advance, PDF, upload,
} from './fixtures.mjs';

let server;
let admin;

before(async () => {
  server = await startServer({ env: { HUIZHAN_TODAY: TODAY } });
  admin = await server.admin();
});
// A clean stop (exit 0) also means no leak reports under ASan/LSan; the last test already
// stopped this server with SIGTERM and checked that exit itself.
after(async () => {
  const exit = await server.stop();
  assert.deepEqual(exit, { code: 0, signal: null }, server.log());
});

test('/health answers JSON status ok with the date the server takes as today', async () => {
  const r = await fetch(`${server.url}/health`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  const body = await r.json();
  assert.equal(body.status, 'ok');
  assert.equal(body.today, TODAY);
  assert.equal(typeof body.version, 'string');
  assert.equal(body.schema, Number(sqlValue(server.db, 'PRAGMA user_version')));
});

/** Parses Prometheus text: {'name{labels}': value}. */
function parseMetrics(text) {
  const out = {};
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{.*\})?) (\S+)$/.exec(line); // label values may hold braces: route="/api/v1/{name}"
    assert.ok(m, `metric line: ${line}`);
    out[m[1]] = Number(m[2]);
  }
  return out;
}

test('/metrics: Prometheus text; request counters and data revision move by exactly what happened', async () => {
  const scrape = async () => {
    const r = await fetch(`${server.url}/metrics`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/plain/);
    const text = await r.text();
    assert.match(text, /^# TYPE huizhan_http_requests_total counter$/m);
    return parseMetrics(text);
  };
  const m1 = await scrape();
  const ok = 'huizhan_http_requests_total{code="2xx"}';
  const client = 'huizhan_http_requests_total{code="4xx"}';
  assert.ok(Number.isInteger(m1[ok]) && Number.isInteger(m1[client]));
  // Between the scrapes: the first scrape itself (2xx), 3 × /health (2xx), 2 × unknown path (404),
  // 1 × /api/v1/me without a session (401), 1 × unit created (201).
  for (let i = 0; i < 3; i++) assert.equal((await fetch(`${server.url}/health`)).status, 200);
  for (let i = 0; i < 2; i++) assert.equal((await fetch(`${server.url}/api/no/such/page`)).status, 404);
  assert.equal((await fetch(`${server.url}/api/v1/me`)).status, 401);
  const revBefore = Number(sqlValue(server.db, "SELECT value FROM meta WHERE key = 'revision'"));
  const auditBefore = Number(sqlValue(server.db, 'SELECT COUNT(*) FROM audit_log'));
  await newUnit(admin);
  const m2 = await scrape();
  assert.equal(m2[ok], m1[ok] + 1 + 3 + 1);
  assert.equal(m2[client], m1[client] + 3);
  // One audited write: the revision moved by one, as the raw table says.
  assert.equal(Number(sqlValue(server.db, 'SELECT COUNT(*) FROM audit_log')), auditBefore + 1);
  assert.equal(m2.huizhan_data_revision, revBefore + 1);
  assert.equal(m2.huizhan_data_revision, Number(sqlValue(server.db, "SELECT value FROM meta WHERE key = 'revision'")));
  assert.ok(m2.huizhan_uptime_seconds >= m1.huizhan_uptime_seconds);
});

test('/metrics: a board after a figures write reads again only the units written; after a unit change, all of it', async () => {
  const camp = await newCampaign(admin);
  const unit = await newUnit(admin);
  const scrape = async () => parseMetrics(await (await fetch(`${server.url}/metrics`)).text());
  const how = (m, k) => m[`huizhan_board_computations_total{how="${k}"}`];
  const leads = async () => {
    const p = expectStatus(await admin.get(`/api/v1/campaigns/${camp.id}/progress`), 200, 'progress');
    return p.units.find((u) => u.unit_id === unit.id).metrics.leads_count.reported;
  };
  assert.equal(await leads(), 0);
  const m1 = await scrape();
  // A project of the unit: one unit's sums move, and the board is patched, not loaded again.
  await newProject(admin, camp.id, unit.id);
  assert.equal(await leads(), 1);
  const m2 = await scrape();
  assert.equal(how(m2, 'patch'), how(m1, 'patch') + 1);
  assert.equal(how(m2, 'full'), how(m1, 'full'));
  // Another view at the same revision: the kept board is current.
  expectStatus(await admin.get(`/api/v1/campaigns/${camp.id}/ranking`), 200, 'ranking');
  const m3 = await scrape();
  assert.equal(how(m3, 'kept'), how(m2, 'kept') + 1);
  assert.equal(how(m3, 'full') + how(m3, 'patch'), how(m2, 'full') + how(m2, 'patch'));
  // A unit's own record changed (boards show its name): computed whole again, with the new name.
  const name = tag('改名单位');
  expectStatus(await admin.patch(`/api/v1/units/${unit.id}`, { version: unit.version, name }), 200, 'rename');
  const r = expectStatus(await admin.get(`/api/v1/campaigns/${camp.id}/ranking`), 200, 'ranking');
  assert.equal(r.overall.find((u) => u.unit_id === unit.id).name, name);
  const m4 = await scrape();
  assert.equal(how(m4, 'full'), how(m3, 'full') + 1);
  assert.equal(how(m4, 'patch'), how(m3, 'patch'));
});

test('/metrics: the stale projects\' kept state is loaded at start, then brought up to date by the projects written', async () => {
  const scrape = async () => parseMetrics(await (await fetch(`${server.url}/metrics`)).text());
  const how = (m, k) => m[`huizhan_stale_state_updates_total{how="${k}"}`];
  let m = await scrape();
  for (let i = 0; i < 100 && !(how(m, 'full') >= 1); i++) {
    await new Promise((r) => setTimeout(r, 100));
    m = await scrape();
  }
  assert.ok(how(m, 'full') >= 1, 'loaded at start');
  assert.equal(typeof how(m, 'patch'), 'number');
  // A project quiet since the campaign's first day is stale as of 2026-09-20 (14 quiet days).
  const camp = await newCampaign(admin);
  const p = await newProject(admin, camp.id, (await newUnit(admin)).id);
  const stale = async () => expectStatus(await admin.get(`/api/v1/campaigns/${camp.id}/stale-projects?as_of=2026-09-20`), 200, 'stale');
  const m1 = await scrape();
  assert.deepEqual((await stale()).items.map((x) => x.project_id), [p.id]);
  const m2 = await scrape();
  assert.equal(how(m2, 'full') + how(m2, 'patch'), how(m1, 'full') + how(m1, 'patch') + 1, 'brought up to date once');
  // Nothing written since: the kept state answers as it is.
  assert.deepEqual((await stale()).items.map((x) => x.project_id), [p.id]);
  const m3 = await scrape();
  assert.equal(how(m3, 'full') + how(m3, 'patch'), how(m2, 'full') + how(m2, 'patch'));
});

test('/ is the web app: index.html naming its hashed script, and the OpenAPI document is served', async () => {
  const r = await fetch(`${server.url}/`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  const html = await r.text();
  assert.match(html, /^<!doctype html>/i);
  const src = /<script type="module" crossorigin src="(\/assets\/index-[\w-]+\.js)"><\/script>/.exec(html);
  assert.ok(src, 'names its entry script');
  const js = await fetch(server.url + src[1]);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type'), /^text\/javascript/);
  const doc = await fetch(`${server.url}/api/v1/openapi.json`);
  assert.equal(doc.status, 200);
  assert.match(doc.headers.get('content-type'), /^application\/json/);
});

test('OpenAPI 3: every collection\'s paths, and schemas that match real records field for field', async () => {
  const doc = await (await fetch(`${server.url}/api/v1/openapi.json`)).json();
  assert.match(doc.openapi, /^3\.\d+\.\d+$/);
  assert.equal(typeof doc.info.title, 'string');
  assert.equal(typeof doc.info.version, 'string');
  const schemas = doc.components.schemas;
  // Every $ref resolves.
  const refs = [];
  (function walk(x) {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) { if (k === '$ref') refs.push(v); else walk(v); }
  })(doc);
  assert.ok(refs.length > 20);
  for (const r of refs) {
    const m = /^#\/components\/schemas\/(.+)$/.exec(r);
    assert.ok(m && schemas[m[1]], `dangling $ref ${r}`);
  }

  // Real records of every collection.
  const camp = await newCampaign(admin);
  const unit = await newUnit(admin);
  const section = await create(admin, `/api/v1/units/${unit.id}/sections`, { name: '投资促进科' });
  const login = tag('oa');
  const user = await create(admin, '/api/v1/users', { login, name: login, role: 'unit_staff', unit_id: unit.id, password: 'oa-pass-123' });
  const project = await newProject(admin, camp.id, unit.id);
  const [, signed] = await advance(admin, project.id, 'signed');
  const records = {
    campaigns: camp,
    checkpoints: await create(admin, `/api/v1/campaigns/${camp.id}/checkpoints`, { name: '月底', kind: 'month_end', date: '2026-08-31' }),
    units: unit,
    sections: section,
    users: user,
    targets: await create(admin, `/api/v1/campaigns/${camp.id}/targets`, { unit_id: unit.id, metric: 'signed_count', value: 3 }),
    investors: await create(admin, '/api/v1/investors', { name: '客商', kind: 'enterprise', origin: 'overseas', unit_id: unit.id }),
    events: await create(admin, '/api/v1/events', { name: '洽谈会', start_date: '2026-10-24', end_date: '2026-10-26' }),
    projects: project,
    'stage-changes': signed,
    'follow-ups': await create(admin, `/api/v1/projects/${project.id}/follow-ups`, { date: '2026-08-04', kind: 'call', summary: '电话' }),
    funds: await create(admin, `/api/v1/projects/${project.id}/funds`, { amount: 1_000_000, date: '2026-09-01', kind: 'foreign' }),
    attachments: expectStatus(await upload(admin, project.id, 'c.pdf', 'application/pdf', PDF), 201),
    teams: await create(admin, '/api/v1/teams', { campaign_id: camp.id, unit_id: unit.id, name: '小分队', member_user_ids: [user.id] }),
  };
  const nested = {
    checkpoints: 'campaigns', sections: 'units', targets: 'campaigns',
    'stage-changes': 'projects', 'follow-ups': 'projects', funds: 'projects', attachments: 'projects',
  };
  const appendOnly = { 'stage-changes': true, attachments: true };
  for (const [name, rec] of Object.entries(records)) {
    const schema = schemas[name];
    assert.ok(schema, `schema for ${name}`);
    // The record read back (GET) has exactly the schema's readable properties.
    const got = expectStatus(await admin.get(`/api/v1/${name}/${rec.id}`), 200);
    const readable = Object.entries(schema.properties).filter(([, p]) => !p.writeOnly).map(([k]) => k).sort();
    assert.deepEqual(Object.keys(got).sort(), readable, `${name}: record keys vs schema properties`);
    for (const [k, p] of Object.entries(schema.properties)) {
      if (p.writeOnly || got[k] === null) continue;
      const t = Array.isArray(got[k]) ? 'array' : typeof got[k] === 'number' ? 'integer' : typeof got[k];
      assert.equal(p.type, t, `${name}.${k} type`);
      if (p.enum) assert.ok(p.enum.includes(got[k]), `${name}.${k} in enum`);
      if (p.format === 'date') assert.match(got[k], /^\d{4}-\d\d-\d\d$/);
    }
    // The list path (nested where the collection lives under a parent, and flat) with the page shape.
    const paths = [`/api/v1/${name}`];
    if (nested[name]) paths.push(`/api/v1/${nested[name]}/{id}/${name}`);
    for (const path of paths) {
      const op = doc.paths[path]?.get;
      assert.ok(op, `GET ${path} documented`);
      const page = op.responses['200'].content['application/json'].schema;
      assert.deepEqual(Object.keys(page.properties).sort(), ['items', 'limit', 'offset', 'total']);
      assert.equal(page.properties.items.items.$ref, `#/components/schemas/${name}`);
      const params = op.parameters.map((p) => p.name);
      for (const p of ['limit', 'offset', 'sort']) assert.ok(params.includes(p), `${path} documents ${p}`);
    }
    const createPath = nested[name] ? `/api/v1/${nested[name]}/{id}/${name}` : `/api/v1/${name}`;
    assert.ok(doc.paths[createPath].post, `POST ${createPath} documented`);
    const item = doc.paths[`/api/v1/${name}/{id}`];
    assert.ok(item.get, `GET /api/v1/${name}/{id}`);
    assert.equal(Boolean(item.patch), !appendOnly[name], `PATCH /api/v1/${name}/{id}`);
    assert.equal(Boolean(item.delete), name !== 'stage-changes', `DELETE /api/v1/${name}/{id}`);
  }
  // Cross-project lists are filterable by campaign, unit and certification status.
  for (const name of ['stage-changes', 'follow-ups', 'funds']) {
    const params = doc.paths[`/api/v1/${name}`].get.parameters.map((p) => p.name);
    for (const p of ['campaign_id', 'unit_id', 'project_id']) assert.ok(params.includes(p), `${name} filter ${p}`);
  }
  for (const name of ['stage-changes', 'funds']) {
    const status = doc.paths[`/api/v1/${name}`].get.parameters.find((p) => p.name === 'status');
    assert.deepEqual(status.schema.enum, ['reported', 'certified', 'rejected']);
    assert.ok(doc.paths[`/api/v1/${name}/{id}/certify`].post);
    assert.deepEqual(doc.paths[`/api/v1/${name}/{id}/reject`].post.requestBody.content['application/json'].schema.required, ['reason']);
  }
  // The password is write-only and its hash never documented.
  assert.equal(schemas.users.properties.password.writeOnly, true);
  assert.ok(!('password_hash' in schemas.users.properties));
  // Every documented required field really is required: leaving it out of a valid body → 400 naming it.
  const bodies = {
    campaigns: ['/api/v1/campaigns', { name: 'x', start_date: '2026-08-01' }],
    checkpoints: [`/api/v1/campaigns/${camp.id}/checkpoints`, { name: 'x', kind: 'other', date: '2026-09-01' }],
    units: ['/api/v1/units', { name: tag('x'), category: 'other' }],
    events: ['/api/v1/events', { name: 'x', start_date: '2026-09-01', end_date: '2026-09-02' }],
    projects: ['/api/v1/projects', { campaign_id: camp.id, name: 'x', lead_unit_id: unit.id, category: 'other', method: 'other' }],
    'stage-changes': [`/api/v1/projects/${project.id}/stage-changes`, { to_stage: 'started', date: '2026-08-25', start_date: '2026-08-25' }],
    'follow-ups': [`/api/v1/projects/${project.id}/follow-ups`, { date: '2026-08-04', kind: 'call', summary: 'x' }],
    funds: [`/api/v1/projects/${project.id}/funds`, { amount: 5, date: '2026-09-01', kind: 'foreign' }],
    teams: ['/api/v1/teams', { campaign_id: camp.id, unit_id: unit.id, name: 'x' }],
  };
  for (const [name, [path, body]] of Object.entries(bodies)) {
    const required = schemas[name].required;
    assert.ok(required.length > 0, `${name} has required fields`);
    for (const f of required) {
      assert.ok(f in body, `${name}: test body carries required ${f}`);
      const { [f]: _, ...rest } = body;
      const r = await admin.post(path, rest);
      assert.equal(r.status, 400, `${name} without ${f}: ${JSON.stringify(r.body)}`);
      assert.ok(f in r.body.error.fields, `${name} without ${f} names it: ${JSON.stringify(r.body.error)}`);
    }
  }
});

test('OpenAPI 3: every documented query parameter is one the server takes, and no other', async () => {
  const doc = await (await fetch(`${server.url}/api/v1/openapi.json`)).json();
  const sample = (p) => {
    const sc = p.schema || {};
    if (sc.enum) return sc.enum[0];
    if (sc.format === 'date') return '2026-09-01';
    if (sc.type === 'integer') return '1';
    if (sc.type === 'boolean') return 'true';
    return '招商';
  };
  let lists = 0, checked = 0;
  for (const [path, item] of Object.entries(doc.paths)) {
    const page = item.get?.responses?.['200']?.content?.['application/json']?.schema;
    if (!page?.properties?.items || path.includes('{')) continue; // the flat collection lists
    lists++;
    for (const p of item.get.parameters.filter((x) => x.in === 'query')) {
      const values = p.name === 'sort' ? p.schema.enum : [sample(p)];
      for (const v of values) {
        const r = await admin.get(`${path}?${p.name}=${encodeURIComponent(v)}`);
        assert.equal(r.status, 200, `${path}?${p.name}=${v}: ${JSON.stringify(r.body)}`);
        checked++;
      }
    }
    expectError(await admin.get(`${path}?undocumented_param=1`), 400, 'validation_failed', 'undocumented_param');
  }
  assert.ok(lists >= 12, `${lists} collection lists`);
  assert.ok(checked > 100, `${checked} parameters checked`);
  // The ranges on dates are documented where they work.
  const events = doc.paths['/api/v1/events'].get.parameters.map((p) => p.name);
  assert.ok(events.includes('start_date_from') && events.includes('start_date_to'), events.join());
  // Routes outside the collections.
  const names = (path, method = 'get') => doc.paths[path][method].parameters.map((p) => p.name);
  assert.deepEqual(names('/api/v1/audit').sort(), ['action', 'at_from', 'at_to', 'entity', 'entity_id', 'limit', 'offset', 'sort', 'user_id']);
  for (const p of doc.paths['/api/v1/audit'].get.parameters)
    assert.equal((await admin.get(`/api/v1/audit?${p.name}=${encodeURIComponent(sample(p))}`)).status, 200, p.name);
  assert.ok(doc.paths['/api/v1/audit/{id}'].get);
  assert.deepEqual(names('/api/v1/projects/{id}/attachments', 'post').sort(), ['filename', 'fund_id', 'id', 'stage_change_id']);
  assert.equal(doc.paths['/api/v1/projects/{id}/attachments'].post.requestBody.content['application/octet-stream'].schema.format, 'binary');
  assert.ok(doc.paths['/api/v1/attachments/{id}/content'].get.responses['200'].content['application/octet-stream']);
  const session = doc.paths['/api/v1/session'].post.responses['200'].content['application/json'].schema;
  assert.deepEqual(Object.keys(session.properties).sort(), ['csrf_token', 'user']);
  const me = expectStatus(await admin.get('/api/v1/me'), 200);
  for (const k of Object.keys(session.properties.user.properties)) assert.ok(k in me, `/me has ${k}`);
});

test('OpenAPI 3: the lists beside the collections document limit/offset and their page; DELETE its version; /enums its shape', async () => {
  const doc = await (await fetch(`${server.url}/api/v1/openapi.json`)).json();
  const camp = await newCampaign(admin);
  const unit = await newUnit(admin);
  const report = await create(admin, `/api/v1/campaigns/${camp.id}/weekly-reports`,
    { unit_id: unit.id, week: 1, work_done: '走访', problems: '无', next_plan: '跟进' });
  const bulletin = expectStatus(await admin.post(`/api/v1/campaigns/${camp.id}/bulletins`, {}), 201);
  const ids = { campaigns: camp.id, 'weekly-reports': report.id, bulletins: bulletin.id };
  const sample = (p) => (p.schema.enum ? p.schema.enum[0] : p.schema.items && p.schema.items.enum ? p.schema.items.enum[0]
    : p.schema.format === 'date' ? TODAY : p.name === 'unit_id' ? String(unit.id) : '1');
  const paged = [
    '/api/v1/campaigns/{id}/stale-projects', '/api/v1/campaigns/{id}/certification-queue', '/api/v1/campaigns/{id}/duplicates',
    '/api/v1/campaigns/{id}/dashboard/ranking', '/api/v1/campaigns/{id}/dashboard/matrix',
    '/api/v1/campaigns/{id}/snapshots', '/api/v1/campaigns/{id}/target-gaps', '/api/v1/jobs',
    '/api/v1/weekly-reports/{id}/instructions', '/api/v1/bulletins/{id}/instructions',
  ];
  for (const path of paged) {
    const op = doc.paths[path].get;
    const page = op.responses['200'].content['application/json'].schema;
    assert.deepEqual(Object.keys(page.properties).sort(), ['items', 'limit', 'offset', 'total'], path);
    const query = op.parameters.filter((p) => p.in === 'query');
    assert.ok(['limit', 'offset'].every((n) => query.some((p) => p.name === n)), `${path} documents limit and offset`);
    const url = path.replace('{id}', ids[path.split('/')[3]]);
    for (const p of query) {
      const r = await admin.get(`${url}?${p.name}=${encodeURIComponent(sample(p))}`);
      assert.equal(r.status, 200, `${url}?${p.name}: ${JSON.stringify(r.body)}`);
      if (p.name === 'limit') assert.deepEqual([r.body.limit, r.body.offset], [1, 0], url);
      if (p.name === 'offset') assert.deepEqual([r.body.limit, r.body.offset], [50, 1], url);
    }
    expectError(await admin.get(`${url}?undocumented_param=1`), 400, 'validation_failed', 'undocumented_param');
  }
  const dash = doc.paths['/api/v1/campaigns/{id}/dashboard'].get.parameters.map((p) => p.name).sort();
  assert.deepEqual(dash, ['as_of', 'id', 'limit', 'offset', 'unit_id']);
  // DELETE: the version read, in the query or as If-Match; 428 without, 409 when stale.
  for (const name of ['projects', 'units', 'funds']) {
    const del = doc.paths[`/api/v1/${name}/{id}`].delete;
    assert.deepEqual(del.parameters.map((p) => `${p.in}:${p.name}`), ['path:id', 'query:version', 'header:If-Match'], name);
    assert.ok(del.responses['428'] && del.responses['409'] && del.responses['204'], name);
  }
  const u = await newUnit(admin);
  expectError(await admin.del(`/api/v1/units/${u.id}`), 428, 'precondition_required', 'version');
  expectStatus(await admin.del(`/api/v1/units/${u.id}?version=1`), 204);
  // /enums: "<collection>.<field>" → [{code, label}], as documented.
  const enums = doc.paths['/api/v1/enums'].get.responses['200'].content['application/json'].schema;
  assert.deepEqual(enums.additionalProperties.items.required, ['code', 'label']);
  const got = expectStatus(await admin.get('/api/v1/enums'), 200);
  assert.deepEqual(got['funds.status'].map((c) => c.code), doc.components.schemas.funds.properties.status.enum);
  for (const list of Object.values(got))
    for (const c of list) assert.deepEqual(Object.keys(c).sort(), ['code', 'label']);
});

test('SIGTERM: exits 0 promptly; a write acknowledged just before is there after a restart; so after kill -9', async () => {
  const env = { HUIZHAN_TODAY: TODAY };
  const name = tag('停机前');
  const u = await create(admin, '/api/v1/units', { name, category: 'other' });
  const patched = expectStatus(await admin.patch(`/api/v1/units/${u.id}`, { version: 1, note: '最后一次写入' }), 200);
  const t0 = Date.now();
  server.proc.kill('SIGTERM');
  const exit = await server.exited;
  const took = Date.now() - t0;
  assert.deepEqual(exit, { code: 0, signal: null }, server.log());
  assert.ok(took < 5000, `stopped in ${took} ms`);
  // The database is closed cleanly: the row is there and nothing is left in a hot journal.
  assert.equal(sqlValue(server.db, `SELECT note || '/' || version FROM units WHERE id = ${u.id}`), '最后一次写入/2');

  const second = await serveDb(server.db, { env });
  try {
    const c = await second.login('admin', ADMIN_PASSWORD);
    assert.deepEqual(expectStatus(await c.get(`/api/v1/units/${u.id}`), 200), patched);
    // A write acknowledged, then kill -9: still there on the next start.
    const v = await create(c, '/api/v1/units', { name: tag('断电前'), category: 'other' });
    second.proc.kill('SIGKILL');
    assert.deepEqual(await second.exited, { code: null, signal: 'SIGKILL' });
  } finally {
    if (second.proc.exitCode === null && second.proc.signalCode === null) await second.stop();
  }
  const third = await serveDb(server.db, { env });
  try {
    const c = await third.login('admin', ADMIN_PASSWORD);
    const list = expectStatus(await c.get(`/api/v1/units?q=${encodeURIComponent('断电前')}`), 200);
    assert.equal(list.total, 1);
    // And the audit chain survived both stops intact.
    const v = await run(['audit', 'verify', '--db', server.db]);
    assert.equal(v.code, 0, v.stderr);
    assert.equal(v.stdout.trim(), 'ok');
  } finally {
    assert.deepEqual(await third.stop(), { code: 0, signal: null });
  }
});

test('SIGTERM while a request is still arriving: it is answered and written, then the server exits 0', async () => {
  const db = join(server.dir, 'inflight.db');
  assert.equal((await run(['init', '--db', db, '--admin-password', ADMIN_PASSWORD])).code, 0);
  const srv = await serveDb(db, { env: { HUIZHAN_TODAY: TODAY } });
  const c = await srv.login('admin', ADMIN_PASSWORD);
  const body = Buffer.from(JSON.stringify({ name: '停机时在途的单位', category: 'other' }));
  const answer = new Promise((resolve, reject) => {
    const req = http.request(`${srv.url}/api/v1/units`, {
      method: 'POST',
      headers: { Cookie: c.cookie, 'X-CSRF-Token': c.csrf, 'Content-Type': 'application/json', 'Content-Length': body.length },
    }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    // Half the body, then the signal, then the rest.
    req.write(body.subarray(0, 10));
    setTimeout(() => {
      srv.proc.kill('SIGTERM');
      setTimeout(() => req.end(body.subarray(10)), 300);
    }, 200);
  });
  const r = await answer;
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.name, '停机时在途的单位');
  assert.deepEqual(await srv.exited, { code: 0, signal: null }, srv.log());
  assert.equal(sqlValue(db, `SELECT name FROM units WHERE id = ${r.body.id}`), '停机时在途的单位');
  // No new connection is taken once the signal came.
  await assert.rejects(fetch(`${srv.url}/health`));
});
