// Bad input of every kind (R-SEC-2, R-IF-3): each rejected request gets the right status
// and error code and names the offending field in error.fields; and after every rejected
// write nothing was half-written — the row counts of every table, the audit log, the data
// revision and the list totals are exactly what they were.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib.mjs';
import { buildCity, create, sql, expectStatus, expectError, TODAY } from './fixture_units.mjs';

let server, f, admin, staffA;
let project; // unit A's project, signed
let leadProject; // unit A's project, still a lead
let fund, followUp;

const TABLES = ['campaigns', 'checkpoints', 'units', 'sections', 'users', 'targets', 'investors', 'events',
  'projects', 'project_units', 'stage_changes', 'follow_ups', 'follow_up_participants', 'funds', 'attachments',
  'blobs', 'teams', 'team_members', 'sessions', 'audit_log'];

/** Every table's row count and the data revision, straight from the database file. */
async function snapshot() {
  const q = `SELECT ${TABLES.map((t) => `(SELECT COUNT(*) FROM ${t})`).join(', ')},
    (SELECT value FROM meta WHERE key = 'revision')`;
  const cols = (await sql(server.db, q)).split('|');
  const snap = Object.fromEntries(TABLES.map((t, i) => [t, Number(cols[i])]));
  snap.revision = Number(cols[TABLES.length]);
  for (const coll of ['projects', 'funds', 'follow-ups', 'campaigns', 'events', 'users', 'targets', 'stage-changes']) {
    snap[`api:${coll}`] = expectStatus(await admin.get(`/api/v1/${coll}?limit=1`), 200).total;
  }
  return snap;
}

before(async () => {
  server = await startServer({ env: { HUIZHAN_TODAY: TODAY } });
  f = await buildCity(server, { full: false });
  admin = f.admin;
  staffA = f.clients.staffA;
  project = f.projectA;
  await create(admin, `/api/v1/projects/${project.id}/stage-changes`,
    { to_stage: 'signed', date: '2026-09-01', contract_date: '2026-09-01', contract_value: 9_000_000 });
  leadProject = await create(staffA, '/api/v1/projects',
    { campaign_id: f.campaign.id, name: '仍在信息阶段的项目', category: 'other', method: 'other', lead_date: '2026-08-01' });
  fund = await create(staffA, `/api/v1/projects/${project.id}/funds`, { amount: 2_000_000, date: '2026-10-01', kind: 'foreign' });
  followUp = await create(staffA, `/api/v1/projects/${project.id}/follow-ups`,
    { date: '2026-10-02', kind: 'call', summary: '电话沟通' });
});
after(async () => {
  if (!server) return;
  // SIGTERM stops the server cleanly (and, under ASan, without leaks or errors)
  const res = await server.stop();
  await new Promise((r) => setTimeout(r, 50)); // let the last output arrive
  assert.deepEqual(res, { code: 0, signal: null }, server.log());
});

const P = '/api/v1/projects';
const validProject = (extra = {}) => ({
  campaign_id: f.campaign.id, name: '合规项目', lead_unit_id: f.unitA.id, category: 'industrial', method: 'industry', ...extra,
});
const fundsOf = () => `${P}/${project.id}/funds`;
const raw = (client, method, path, body, headers = {}) => client.req(method, path, body, { headers });

/**
 * Runs a rejected request and checks status, code, the named fields (all of `fields`;
 * with exact=true no others) and that nothing at all changed in the database.
 * `record` (a path) is re-read as admin and must be unchanged too.
 */
async function rejected({ send, status, code, fields = [], exact = false, record }) {
  const before = await snapshot();
  const rec = record ? expectStatus(await admin.get(record), 200) : null;
  const r = await send();
  const err = expectError(r, status, fields, code);
  if (exact) assert.deepEqual(Object.keys(err.fields).sort(), [...fields].sort(), JSON.stringify(err));
  assert.deepEqual(await snapshot(), before, 'a rejected request must not write anything');
  if (record) assert.deepEqual(expectStatus(await admin.get(record), 200), rec, `${record} must be unchanged`);
  return err;
}

describe('malformed requests (400 malformed_request)', () => {
  const cases = [
    ['truncated JSON', '{"name": "半截', ['body']],
    ['trailing garbage', '{"name":"x"} extra', ['body']],
    ['single quotes', "{'name':'x'}", ['body']],
    ['a duplicated key', '{"name":"a","name":"b","campaign_id":1,"category":"other","method":"other"}', ['body']],
    ['an integer beyond 64 bits in an array body', '[99999999999999999999999]', ['body']],
    ['an array body', '[1,2,3]', ['body']],
    ['a string body', '"项目"', ['body']],
    ['a number body', '42', ['body']],
    ['a null body', 'null', ['body']],
    ['an empty body', '', ['body']],
  ];
  for (const [name, body, fields] of cases) {
    it(`POST with ${name}`, async () => {
      await rejected({ send: () => raw(admin, 'POST', P, body), status: 400, code: 'malformed_request', fields });
    });
  }
  it('an integer beyond 64 bits is named by its field (400 validation_failed)', async () => {
    for (const big of ['99999999999999999999999', '-9223372036854775809', '9223372036854775808']) {
      const err = await rejected({ send: () => raw(admin, 'POST', P, `{"name":"x","planned_investment": ${big}}`),
        status: 400, code: 'validation_failed', fields: ['planned_investment'], exact: true });
      assert.match(err.fields.planned_investment, /超出范围/);
    }
  });
  it('PATCH with a malformed body leaves the record unchanged', async () => {
    await rejected({
      send: () => raw(admin, 'PATCH', `${P}/${project.id}`, '{"name":'), status: 400, code: 'malformed_request',
      fields: ['body'], record: `${P}/${project.id}`,
    });
  });
  it('login with a body that is not an object', async () => {
    await rejected({ send: () => raw(new (admin.constructor)(server.url), 'POST', '/api/v1/session', '["admin"]'),
      status: 400, code: 'malformed_request', fields: ['body'] });
  });
});

describe('invalid UTF-8', () => {
  it('in a JSON string value of the body → 400 naming the field', async () => {
    const body = Buffer.concat([Buffer.from(`{"campaign_id":${1},"category":"other","method":"other","name":"bad `),
      Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
    await rejected({ send: () => raw(admin, 'POST', P, body), status: 400, code: 'malformed_request', fields: ['name'] });
  });
  it('as an overlong encoding and a lone surrogate → 400 naming the field', async () => {
    for (const bytes of [[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]]) {
      const body = Buffer.concat([Buffer.from('{"summary":"'), Buffer.from(bytes), Buffer.from('","date":"2026-10-01","kind":"call"}')]);
      await rejected({ send: () => raw(staffA, 'POST', `${P}/${project.id}/follow-ups`, body), status: 400,
        code: 'malformed_request', fields: ['summary'] });
    }
  });
  it('outside any string → 400 naming the body', async () => {
    const body = Buffer.concat([Buffer.from('{"name":"x"}'), Buffer.from([0xff])]);
    await rejected({ send: () => raw(admin, 'POST', P, body), status: 400, code: 'malformed_request', fields: ['body'] });
  });
  it('in a query string parameter → 400 naming the parameter', async () => {
    const r = await admin.get(`${P}?q=%FF%FE`);
    expectError(r, 400, ['q'], 'malformed_request');
    const r2 = await admin.get(`${P}?name=ok&limit=%C3`);
    expectError(r2, 400, ['limit'], 'malformed_request');
  });
  it('in a query parameter of a write → 400, nothing written', async () => {
    await rejected({ send: () => admin.post(`${P}?x=%E4%B8`, validProject()), status: 400, code: 'malformed_request',
      fields: ['x'] });
  });
  it('well-formed Chinese text is accepted and stored byte for byte', async () => {
    const name = '招商引资百日会战 — 𠀀 emoji 🚀';
    const p = await create(admin, P, validProject({ name }));
    assert.equal(p.name, name);
    assert.equal(await sql(server.db, `SELECT hex(name) FROM projects WHERE id = ${p.id}`),
      Buffer.from(name).toString('hex').toUpperCase());
    expectStatus(await admin.del(`${P}/${p.id}?version=${p.version}`), 204);
  });
});

describe('size and media type', () => {
  it('a body over 1 MiB → 413 naming the body, nothing written', async () => {
    const big = JSON.stringify(validProject({ description: 'x'.repeat((1 << 20) + 1) }));
    assert.ok(Buffer.byteLength(big) > 1 << 20);
    await rejected({ send: () => raw(admin, 'POST', P, big), status: 413, code: 'payload_too_large', fields: ['body'] });
    // the server still answers afterwards
    expectStatus(await admin.get('/api/v1/me'), 200);
  });
  it('a body just under 1 MiB is read (and then refused for its too-long text, 400)', async () => {
    const body = JSON.stringify(validProject({ description: 'y'.repeat((1 << 20) - 400) }));
    assert.ok(Buffer.byteLength(body) <= 1 << 20);
    await rejected({ send: () => raw(admin, 'POST', P, body), status: 400, code: 'validation_failed',
      fields: ['description'], exact: true });
  });
  for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonp', 'multipart/form-data']) {
    it(`Content-Type ${ct} → 415 naming Content-Type`, async () => {
      await rejected({ send: () => raw(admin, 'POST', P, JSON.stringify(validProject()), { 'Content-Type': ct }),
        status: 415, code: 'unsupported_media_type', fields: ['Content-Type'] });
    });
  }
  it('no Content-Type at all → 415', async () => {
    await rejected({ send: () => raw(admin, 'POST', P, JSON.stringify(validProject()), { 'Content-Type': null }),
      status: 415, code: 'unsupported_media_type', fields: ['Content-Type'] });
  });
  it('a PATCH with the wrong Content-Type → 415, record unchanged', async () => {
    await rejected({ send: () => raw(admin, 'PATCH', `${P}/${project.id}`, '{"name":"x","version":1}',
      { 'Content-Type': 'text/json' }), status: 415, code: 'unsupported_media_type', fields: ['Content-Type'],
    record: `${P}/${project.id}` });
  });
  it('application/json with a charset parameter is accepted', async () => {
    const r = await raw(admin, 'POST', P, JSON.stringify(validProject({ name: '带字符集' })),
      { 'Content-Type': 'application/json; charset=utf-8' });
    const p = expectStatus(r, 201);
    expectStatus(await admin.del(`${P}/${p.id}?version=${p.version}`), 204);
  });
});

describe('CSRF on cookie sessions', () => {
  const attempts = () => [
    ['POST', () => staffA.post(`${P}/${project.id}/follow-ups`, { date: '2026-10-03', kind: 'call', summary: '无令牌' }, cs())],
    ['PATCH', () => staffA.patch(`${P}/${project.id}`, { name: '无令牌', version: 1 }, cs()), `${P}/${project.id}`],
    ['DELETE', () => staffA.del(`/api/v1/follow-ups/${followUp.id}`, cs()), `/api/v1/follow-ups/${followUp.id}`],
    ['logout', () => staffA.del('/api/v1/session', cs())],
  ];
  let cs;
  for (const [label, mk] of [
    ['missing', () => ({ csrf: false })],
    ['wrong', () => ({ headers: { 'X-CSRF-Token': 'not-the-token' } })],
    ['empty', () => ({ headers: { 'X-CSRF-Token': '' } })],
    ["another session's", () => ({ headers: { 'X-CSRF-Token': f.clients.headA.csrf } })],
  ]) {
    it(`a ${label} X-CSRF-Token → 403 naming X-CSRF-Token, nothing written`, async () => {
      cs = mk;
      for (const [, send, record] of attempts()) {
        await rejected({ send, status: 403, code: 'forbidden', fields: ['X-CSRF-Token'], record });
      }
      // the session still works with the right token (logout above was refused)
      expectStatus(await staffA.get('/api/v1/me'), 200);
    });
  }
  it('GET needs no token; the right token lets the write through', async () => {
    expectStatus(await staffA.get(P, { csrf: false }), 200);
    const cur = expectStatus(await staffA.get(`${P}/${project.id}`), 200);
    const r = await staffA.patch(`${P}/${project.id}`, { description: '有令牌', version: cur.version });
    assert.equal(expectStatus(r, 200).description, '有令牌');
  });
});

describe('validation of fields (400 validation_failed, every offending field named)', () => {
  const post = (path, body, client = () => admin) => () => client().post(typeof path === 'function' ? path() : path, body());
  const cases = [
    // wrong types
    ['a string for an integer amount', post(fundsOf, () => ({ amount: '1000', date: '2026-10-01', kind: 'foreign' })), ['amount']],
    ['a float for money', post(fundsOf, () => ({ amount: 1000.5, date: '2026-10-01', kind: 'foreign' })), ['amount']],
    ['1.0 for money', () => raw(admin, 'POST', fundsOf(), '{"amount":1.0,"date":"2026-10-01","kind":"foreign"}'), ['amount']],
    ['1e3 for money', () => raw(admin, 'POST', fundsOf(), '{"amount":1e3,"date":"2026-10-01","kind":"foreign"}'), ['amount']],
    ['a number for a text', post(P, () => validProject({ name: 12345 })), ['name']],
    ['an object for a text', post(P, () => validProject({ description: { zh: '简介' } })), ['description']],
    ['a string for a reference', post(P, () => validProject({ lead_unit_id: String(f.unitA.id) })), ['lead_unit_id']],
    ['a zero reference', post(P, () => validProject({ investor_id: 0 })), ['investor_id']],
    ['a negative reference', post(P, () => validProject({ event_id: -3 })), ['event_id']],
    ['a string for a link list', post(P, () => validProject({ co_unit_ids: String(f.unitB.id) })), ['co_unit_ids']],
    ['floats in a link list', post(P, () => validProject({ co_unit_ids: [1.5] })), ['co_unit_ids']],
    ['repeated ids in a link list', post(P, () => validProject({ co_unit_ids: [f.unitB.id, f.unitB.id] })), ['co_unit_ids']],
    ['a value outside an enum', post(P, () => validProject({ category: 'mining' })), ['category']],
    ['an enum in the wrong case', post(P, () => validProject({ method: 'Industry' })), ['method']],
    ['a string for a year', post('/api/v1/campaigns', () => ({ name: '会战', start_date: '2026-03-01', year: '2026' })), ['year']],
    ['a year out of range', post('/api/v1/campaigns', () => ({ name: '会战', start_date: '2026-03-01', year: 1999 })), ['year']],
    ['a year the campaign does not run in', post('/api/v1/campaigns', () => ({ name: '会战', start_date: '2027-03-01', year: 2030 })), ['year'], true],
    ['a year before a campaign over the new year', post('/api/v1/campaigns', () => ({ name: '会战', start_date: '2026-11-15', year: 2025 })), ['year'], true],
    ['a time zone that is not on Beijing time', post('/api/v1/campaigns', () => ({ name: '会战', start_date: '2026-03-01', time_zone: 'Mars/Olympus' })), ['time_zone'], true],
    ['a string for a boolean', post('/api/v1/users', () => ({ login: 'u_bool', name: 'x', role: 'leader', password: 'longenough1', disabled: 'no' })), ['disabled']],
    ['null for a required text', post(P, () => validProject({ name: null })), ['name']],
    ['a blank required text', post(P, () => validProject({ name: '   \t ' })), ['name']],
    ['a text over 500 characters', post(P, () => validProject({ name: '长'.repeat(501) })), ['name']],
    ['a NUL inside a text', post(P, () => validProject({ name: 'a\u0000b' })), ['name'], true],
    ['a NUL after an enum value', post(fundsOf, () => ({ amount: 10, date: '2026-10-01', kind: 'foreign\u0000x' })), ['kind'], true],
    ['a NUL after a date', post(fundsOf, () => ({ amount: 10, date: '2026-10-01\u0000', kind: 'foreign' })), ['date'], true],
    ['a NUL inside a link list of texts', post(P, () => validProject({ co_unit_ids: ['\u0000'] })), ['co_unit_ids'], true],
    // missing required fields, each named
    ['an empty project', post(P, () => ({})), ['campaign_id', 'name', 'category', 'method'], true],
    ['an empty fund', post(fundsOf, () => ({})), ['amount', 'date', 'kind'], true],
    ['an empty follow-up', post(() => `${P}/${project.id}/follow-ups`, () => ({})), ['date', 'kind', 'summary'], true],
    ['an empty campaign', post('/api/v1/campaigns', () => ({})), ['name', 'start_date'], true],
    ['an empty event', post('/api/v1/events', () => ({})), ['name', 'start_date', 'end_date'], true],
    ['an empty investor', post('/api/v1/investors', () => ({})), ['name', 'kind', 'origin'], true],
    ['an empty unit', post('/api/v1/units', () => ({})), ['name', 'category'], true],
    ['an empty user', post('/api/v1/users', () => ({})), ['login', 'name', 'role'], true],
    ['an empty target', post(() => `/api/v1/campaigns/${f.campaign.id}/targets`, () => ({})), ['unit_id', 'metric', 'value'], true],
    ['an empty checkpoint', post(() => `/api/v1/campaigns/${f.campaign.id}/checkpoints`, () => ({})), ['name', 'kind', 'date'], true],
    ['an empty stage change', post(() => `${P}/${leadProject.id}/stage-changes`, () => ({})), ['to_stage', 'date'], true],
    ['a user without a password', post('/api/v1/users', () => ({ login: 'nopw', name: 'x', role: 'leader' })), ['password'], true],
    ['a password under 8 characters', post('/api/v1/users', () => ({ login: 'shortpw', name: 'x', role: 'leader', password: '1234567' })), ['password'], true],
    ['a unit user without a unit', post('/api/v1/users', () => ({ login: 'nounit', name: 'x', role: 'unit_staff', password: 'longenough1' })), ['unit_id'], true],
    ['a central user with a unit', post('/api/v1/users', () => ({ login: 'withunit', name: 'x', role: 'office', unit_id: f.unitA.id, password: 'longenough1' })), ['unit_id'], true],
    // unknown and read-only fields
    ['unknown fields', post(P, () => validProject({ colour: 'red', priority: 1 })), ['colour', 'priority'], true],
    ['a read-only id', post(P, () => validProject({ id: 999 })), ['id'], true],
    ['a read-only stage', post(P, () => validProject({ stage: 'signed' })), ['stage'], true],
    ['a read-only created_at', post(P, () => validProject({ created_at: '2026-01-01T00:00:00Z' })), ['created_at'], true],
    ['a version on create', post(P, () => validProject({ version: 1 })), ['version'], true],
    ['a read-only certification status', post(fundsOf, () => ({ amount: 10, date: '2026-10-01', kind: 'foreign', status: 'certified' })), ['status'], true],
    ['a read-only reviewer', post(fundsOf, () => ({ amount: 10, date: '2026-10-01', kind: 'foreign', reviewed_by: 1 })), ['reviewed_by'], true],
    ['a server-set unit on a fund', post(fundsOf, () => ({ amount: 10, date: '2026-10-01', kind: 'foreign', unit_id: f.unitB.id })), ['unit_id'], true],
    ['a password hash', post('/api/v1/users', () => ({ login: 'hashy', name: 'x', role: 'leader', password: 'longenough1', password_hash: '$argon2id$x' })), ['password_hash'], true],
    ['several faults at once', post(P, () => ({ name: 7, category: 'x', bogus: true, id: 1 })), ['name', 'category', 'bogus', 'id', 'campaign_id', 'method'], true],
    // amounts
    ['a negative fund amount', post(fundsOf, () => ({ amount: -100, date: '2026-10-01', kind: 'foreign' })), ['amount'], true],
    ['a zero fund amount', post(fundsOf, () => ({ amount: 0, date: '2026-10-01', kind: 'foreign' })), ['amount'], true],
    ['a negative planned investment', post(P, () => validProject({ planned_investment: -1 })), ['planned_investment'], true],
    ['a negative target', post(() => `/api/v1/campaigns/${f.campaign.id}/targets`, () => ({ unit_id: f.unitA.id, metric: 'signed_count', value: -5 })), ['value'], true],
    ['money above the maximum', post(fundsOf, () => ({ amount: 1_000_000_000_000_001, date: '2026-10-01', kind: 'foreign' })), ['amount'], true],
    ['a planned investment above the maximum', post(P, () => validProject({ planned_investment: 2 ** 53 })), ['planned_investment'], true],
    // dates
    ...['2026-02-30', '2026-13-01', '20261001', '2026-1-05', '2026/10/01', '2026-10-01T00:00:00', '', '2025-02-29', '二〇二六-十-一']
      .map((d) => [`an impossible date "${d}"`, post(fundsOf, () => ({ amount: 10, date: d, kind: 'foreign' })), ['date'], true]),
    ['a number for a date', post(fundsOf, () => ({ amount: 10, date: 20261001, kind: 'foreign' })), ['date'], true],
    ['a campaign ending before it starts', post('/api/v1/campaigns', () => ({ name: '倒序会战', start_date: '2026-10-01', end_date: '2026-09-30' })), ['end_date'], true],
    ['an event ending before it starts', post('/api/v1/events', () => ({ name: '倒序活动', start_date: '2026-10-02', end_date: '2026-10-01' })), ['end_date'], true],
    ['a next step before the follow-up', post(() => `${P}/${project.id}/follow-ups`, () => ({ date: '2026-10-05', kind: 'call', summary: 's', next_date: '2026-10-04' })), ['next_date'], true],
    ['a checkpoint outside the campaign', post(() => `/api/v1/campaigns/${f.campaign.id}/checkpoints`, () => ({ name: '界外', kind: 'other', date: '2027-01-01' })), ['date'], true],
    // references to records that do not exist
    ['a missing investor', post(P, () => validProject({ investor_id: 999999 })), ['investor_id'], true],
    ['a missing campaign', post(P, () => validProject({ campaign_id: 999999 })), ['campaign_id'], true],
    ['a missing lead unit', post(P, () => validProject({ lead_unit_id: 999999 })), ['lead_unit_id'], true],
    ['a missing co-owning unit', post(P, () => validProject({ co_unit_ids: [f.unitB.id, 999999] })), ['co_unit_ids'], true],
    ['a missing event', post(P, () => validProject({ event_id: 999999 })), ['event_id'], true],
    ['a missing responsible user', post(P, () => validProject({ responsible_user_id: 999999 })), ['responsible_user_id'], true],
    ['a missing participant', post(() => `${P}/${project.id}/follow-ups`, () => ({ date: '2026-10-05', kind: 'call', summary: 's', participant_user_ids: [999999] })), ['participant_user_ids'], true],
    ['a missing unit for a user', post('/api/v1/users', () => ({ login: 'ghostunit', name: 'x', role: 'unit_staff', unit_id: 999999, password: 'longenough1' })), ['unit_id'], true],
    ['a missing unit for a target', post(() => `/api/v1/campaigns/${f.campaign.id}/targets`, () => ({ unit_id: 999999, metric: 'signed_count', value: 1 })), ['unit_id'], true],
    ['a missing section for a target', post(() => `/api/v1/campaigns/${f.campaign.id}/targets`, () => ({ unit_id: f.unitA.id, section_id: 999999, metric: 'signed_count', value: 1 })), ['section_id'], true],
    ['a missing earlier project', post(P, () => validProject({ reinvestment_of: 999999 })), ['reinvestment_of'], true],
    ['a lead unit also listed as co-owner', post(P, () => validProject({ co_unit_ids: [f.unitA.id] })), ['co_unit_ids'], true],
  ];
  for (const [name, send, fields, exact] of cases) {
    it(name, async () => {
      await rejected({ send, status: 400, code: 'validation_failed', fields, exact });
    });
  }
  it('the largest amount is accepted (boundary)', async () => {
    const fd = await create(admin, fundsOf(), { amount: 1_000_000_000_000_000, date: '2026-10-01', kind: 'foreign' });
    assert.equal(await sql(server.db, `SELECT amount FROM funds WHERE id = ${fd.id}`), '1000000000000000');
    expectStatus(await admin.del(`/api/v1/funds/${fd.id}?version=${fd.version}`), 204);
  });
  it('a leap day in a leap year is a real date', async () => {
    const c = await create(admin, '/api/v1/campaigns', { name: '闰年会战', start_date: '2028-02-29' });
    assert.equal(c.end_date, '2028-06-07'); // 100 days, both ends counted
    assert.equal(c.year, 2028);
    assert.equal(await sql(server.db, `SELECT start_date || ' ' || end_date FROM campaigns WHERE id = ${c.id}`),
      '2028-02-29 2028-06-07');
  });
});

describe('updates', () => {
  const patch = (path, body) => () => admin.patch(typeof path === 'function' ? path() : path, body);
  const at = () => `${P}/${project.id}`;
  const cur = async (path) => expectStatus(await admin.get(path), 200);
  it('PATCH without version → 400 naming version', async () => {
    await rejected({ send: patch(at, { name: '无版本' }), status: 400, code: 'validation_failed', fields: ['version'],
      exact: true, record: at() });
  });
  for (const v of ['1', 0, -1, 1.5, null]) {
    it(`PATCH with version ${JSON.stringify(v)} → 400 naming version`, async () => {
      await rejected({ send: patch(at, { name: '坏版本', version: v }), status: 400, code: 'validation_failed',
        fields: ['version'], exact: true, record: at() });
    });
  }
  it('PATCH with a stale version → 409 naming version', async () => {
    const p = await cur(at());
    await rejected({ send: patch(at, { name: '过期', version: p.version - 1 }), status: 409, code: 'conflict',
      fields: ['version'], record: at() });
  });
  it('PATCH of read-only and create-only fields → 400 naming each', async () => {
    const p = await cur(at());
    await rejected({ send: patch(at, { stage: 'completed', campaign_id: f.campaign.id, id: 5, updated_at: 'x', version: p.version }),
      status: 400, code: 'validation_failed', fields: ['stage', 'campaign_id', 'id', 'updated_at'], exact: true, record: at() });
    const u = await cur(`/api/v1/users/${f.users.staffB.id}`);
    await rejected({ send: patch(`/api/v1/users/${u.id}`, { login: 'renamed', password_hash: 'x', version: u.version }),
      status: 400, code: 'validation_failed', fields: ['login', 'password_hash'], exact: true, record: `/api/v1/users/${u.id}` });
  });
  it('PATCH with wrong types and impossible values → 400 naming each, nothing changed', async () => {
    const fd = await cur(`/api/v1/funds/${fund.id}`);
    await rejected({ send: patch(`/api/v1/funds/${fund.id}`, { amount: -1, date: '2026-02-30', kind: 1, version: fd.version }),
      status: 400, code: 'validation_failed', fields: ['amount', 'date', 'kind'], exact: true, record: `/api/v1/funds/${fund.id}` });
    const c = await cur(`/api/v1/campaigns/${f.campaign.id}`);
    await rejected({ send: patch(`/api/v1/campaigns/${f.campaign.id}`, { end_date: '2026-07-31', version: c.version }),
      status: 400, code: 'validation_failed', fields: ['end_date'], exact: true, record: `/api/v1/campaigns/${f.campaign.id}` });
    await rejected({ send: patch(at, { investor_id: 999999, version: (await cur(at())).version }),
      status: 400, code: 'validation_failed', fields: ['investor_id'], exact: true, record: at() });
  });
  it('PATCH of a record that does not exist → 404', async () => {
    await rejected({ send: patch(`${P}/999999`, { name: 'x', version: 1 }), status: 404, code: 'not_found' });
  });
});

describe('stage moves without evidence (422 rule_violation naming the field)', () => {
  const move = (body, p = () => leadProject) => () => staffA.post(`${P}/${p().id}/stage-changes`, body);
  const cases = [
    ['signed without a contract date', { to_stage: 'signed', date: '2026-10-01', contract_value: 100 }, 'contract_date'],
    ['signed without a contract value', { to_stage: 'signed', date: '2026-10-01', contract_date: '2026-10-01' }, 'contract_value'],
    ['started, skipping signed, without a contract', { to_stage: 'started', date: '2026-10-01', start_date: '2026-10-01' }, 'contract_date'],
    ['started without a start date', { to_stage: 'started', date: '2026-10-01', contract_date: '2026-09-01', contract_value: 5 }, 'start_date'],
    ['completed without a completion date', { to_stage: 'completed', date: '2026-10-01', contract_date: '2026-09-01', contract_value: 5, start_date: '2026-09-02' }, 'completion_date'],
    ['started before it was signed', { to_stage: 'started', date: '2026-10-01', contract_date: '2026-09-10', contract_value: 5, start_date: '2026-09-01' }, 'start_date'],
    ['dropped without a reason', { to_stage: 'dropped', date: '2026-10-01' }, 'reason'],
    ['dropped with a blank reason', { to_stage: 'dropped', date: '2026-10-01', reason: '' }, 'reason'],
    ['negotiating before the lead was recorded (08-01)', { to_stage: 'negotiating', date: '2026-07-20' }, 'date'],
    // Evidence of a stage the move does not reach: it would become figures the move has no right to.
    ['negotiating with a contract value', { to_stage: 'negotiating', date: '2026-10-01', contract_value: 5 }, 'contract_value'],
    ['negotiating with a contract date', { to_stage: 'negotiating', date: '2026-10-01', contract_date: '2026-09-01' }, 'contract_date'],
    ['signed with a start date', { to_stage: 'signed', date: '2026-10-01', contract_date: '2026-09-01', contract_value: 5, start_date: '2026-09-02' }, 'start_date'],
    ['started with a completion date', { to_stage: 'started', date: '2026-10-01', contract_date: '2026-09-01', contract_value: 5, start_date: '2026-09-02', completion_date: '2026-09-03' }, 'completion_date'],
    ['dropped with a contract value', { to_stage: 'dropped', date: '2026-10-01', reason: '撤资', contract_value: 5 }, 'contract_value'],
    ['signed with a reason', { to_stage: 'signed', date: '2026-10-01', contract_date: '2026-09-01', contract_value: 5, reason: '撤资' }, 'reason'],
  ];
  for (const [name, body, field] of cases) {
    it(name, async () => {
      await rejected({ send: move(body), status: 422, code: 'rule_violation', fields: [field],
        record: `${P}/${leadProject.id}` });
    });
  }
  it('a project\'s contract value is the signing\'s, not set on the project (400 naming it)', async () => {
    await rejected({ send: () => admin.patch(`${P}/${leadProject.id}`, { version: leadProject.version, contract_value: 123_456_789 }),
      status: 400, code: 'validation_failed', fields: ['contract_value'], exact: true, record: `${P}/${leadProject.id}` });
    await rejected({ send: () => staffA.post(P, { campaign_id: f.campaign.id, name: '自报合同额', category: 'other', method: 'other', contract_value: 5 }),
      status: 400, code: 'validation_failed', fields: ['contract_value'], exact: true });
  });
  it('a move backwards (signed → negotiating)', async () => {
    await rejected({ send: move({ to_stage: 'negotiating', date: '2026-10-01' }, () => project), status: 422,
      code: 'rule_violation', fields: ['to_stage'], record: `${P}/${project.id}` });
  });
  it('an unknown stage and a missing date are input errors (400)', async () => {
    await rejected({ send: move({ to_stage: 'won', date: '2026-10-01' }), status: 400, code: 'validation_failed',
      fields: ['to_stage'], exact: true });
    await rejected({ send: move({ to_stage: 'negotiating' }), status: 400, code: 'validation_failed',
      fields: ['date'], exact: true });
    await rejected({ send: move({ to_stage: 'signed', date: '2026-10-01', contract_date: '2026-02-30', contract_value: 1 }),
      status: 400, fields: ['contract_date'] });
  });
  it('a fund for a project not yet signed → 422 naming project_id', async () => {
    await rejected({ send: () => staffA.post(`${P}/${leadProject.id}/funds`, { amount: 10, date: '2026-10-01', kind: 'foreign' }),
      status: 422, code: 'rule_violation', fields: ['project_id'] });
  });
  it('with the evidence the move goes through and is recorded once', async () => {
    const sc = await create(staffA, `${P}/${leadProject.id}/stage-changes`,
      { to_stage: 'signed', date: '2026-10-01', contract_date: '2026-10-01', contract_value: 1_500_000 });
    assert.equal(sc.from_stage, 'lead');
    assert.equal(sc.status, 'reported');
    const p = expectStatus(await admin.get(`${P}/${leadProject.id}`), 200);
    assert.equal(p.stage, 'signed');
    assert.equal(p.contract_value, 1_500_000);
    assert.equal(await sql(server.db, `SELECT COUNT(*) FROM stage_changes WHERE project_id = ${leadProject.id}`), '1');
    leadProject = (await create(staffA, P, { campaign_id: f.campaign.id, name: '又一个信息', category: 'other', method: 'other', lead_date: '2026-08-01' }));
  });
});

describe('list parameters (400 naming the parameter)', () => {
  const cases = [
    [`${P}?colour=red`, 'colour'],
    [`${P}?limit=0`, 'limit'],
    [`${P}?limit=501`, 'limit'],
    [`${P}?limit=ten`, 'limit'],
    [`${P}?limit=`, 'limit'],
    [`${P}?limit=1.5`, 'limit'],
    [`${P}?offset=-1`, 'offset'],
    [`${P}?offset=x`, 'offset'],
    [`${P}?sort=colour`, 'sort'],
    [`${P}?sort=-description`, 'sort'],
    [`${P}?sort=`, 'sort'],
    [`${P}?description=x`, 'description'],
    [`${P}?stage=flying`, 'stage'],
    [`${P}?lead_unit_id=abc`, 'lead_unit_id'],
    [`${P}?name_from=a`, 'name_from'],
    ['/api/v1/funds?date_from=2026-02-30', 'date_from'],
    ['/api/v1/funds?status=approved', 'status'],
    ['/api/v1/users?password_hash=x', 'password_hash'],
    ['/api/v1/users?disabled=maybe', 'disabled'],
    ['/api/v1/audit?colour=red', 'colour'],
    ['/api/v1/audit?limit=0', 'limit'],
    ['/api/v1/audit?entity_id=x', 'entity_id'],
  ];
  for (const [path, field] of cases) {
    it(`GET ${path} → 400 naming ${field}`, async () => {
      const err = expectError(await admin.get(path), 400, [field], 'validation_failed');
      assert.deepEqual(Object.keys(err.fields), [field]);
    });
  }
  it('good parameters work and page exactly', async () => {
    const all = expectStatus(await admin.get(`${P}?sort=-name&limit=500`), 200);
    const n = Number(await sql(server.db, 'SELECT COUNT(*) FROM projects'));
    assert.equal(all.total, n);
    const names = all.items.map((x) => x.name);
    const byCodepoint = [...names].sort((a, b) => (Buffer.compare(Buffer.from(b), Buffer.from(a))));
    assert.deepEqual(names, byCodepoint);
    const page = expectStatus(await admin.get(`${P}?sort=-name&limit=1&offset=1`), 200);
    assert.deepEqual([page.total, page.limit, page.offset, page.items.length], [n, 1, 1, 1]);
    assert.equal(page.items[0].id, all.items[1].id);
    const beyond = expectStatus(await admin.get(`${P}?offset=1000`), 200);
    assert.deepEqual([beyond.total, beyond.items.length], [n, 0]);
  });
});

describe('addresses that do not exist (404)', () => {
  for (const path of ['/api/v1/projects/999999', '/api/v1/nothing', '/api/v1/nothing/1', '/api/v1/projects/999999/follow-ups',
    '/api/v1/campaigns/999999/targets', '/api/v1/projects/1/checkpoints', '/api/v1/attachments/999999/content']) {
    it(`GET ${path} → 404`, async () => {
      expectError(await admin.get(path), 404, [], 'not_found');
    });
  }
  it('writes under a parent that does not exist → 404, nothing written', async () => {
    await rejected({ send: () => admin.post(`${P}/999999/follow-ups`, { date: '2026-10-01', kind: 'call', summary: 's' }),
      status: 404, code: 'not_found' });
    await rejected({ send: () => admin.post('/api/v1/campaigns/999999/targets', { unit_id: f.unitA.id, metric: 'signed_count', value: 1 }),
      status: 404, code: 'not_found' });
    await rejected({ send: () => admin.del('/api/v1/funds/999999'), status: 404, code: 'not_found' });
    await rejected({ send: () => admin.post('/api/v1/funds/999999/certify', {}), status: 404, code: 'not_found' });
  });
  it('an id that is not a positive integer matches no route', async () => {
    for (const path of [`${P}/abc`, `${P}/0`, `${P}/-1`, `${P}/1.5`]) expectError(await admin.get(path), 404);
  });
});

describe('actions with bad input', () => {
  it('reject without a reason → 400 naming reason; certify twice → 422', async () => {
    const fd = await create(staffA, fundsOf(), { amount: 55, date: '2026-10-01', kind: 'foreign' });
    const path = `/api/v1/funds/${fd.id}`;
    await rejected({ send: () => admin.post(`${path}/reject`, {}), status: 400, code: 'validation_failed', fields: ['reason'], record: path });
    await rejected({ send: () => admin.post(`${path}/reject`, { reason: '  ' }), status: 400, fields: ['reason'], record: path });
    await rejected({ send: () => admin.post(`${path}/reject`, { reason: 5 }), status: 400, fields: ['reason'], record: path });
    expectStatus(await admin.post(`${path}/certify`, {}), 200);
    await rejected({ send: () => admin.post(`${path}/certify`, {}), status: 422, code: 'rule_violation', fields: ['status'], record: path });
    await rejected({ send: () => admin.post(`${path}/reject`, { reason: '晚了' }), status: 422, fields: ['status'], record: path });
  });
  it('attachments: wrong type, forged content, no file name', async () => {
    const up = (q, body, ct) => () => admin.req('POST', `${P}/${project.id}/attachments${q}`, body, { headers: { 'Content-Type': ct } });
    await rejected({ send: up('?filename=a.exe', Buffer.from('MZ\x90\x00'), 'application/x-msdownload'), status: 415,
      code: 'unsupported_media_type', fields: ['Content-Type'] });
    await rejected({ send: up('?filename=fake.pdf', Buffer.from('<html>not a pdf</html>'), 'application/pdf'), status: 415,
      fields: ['Content-Type'] });
    await rejected({ send: up('', Buffer.from('%PDF-1.4 x'), 'application/pdf'), status: 400, fields: ['filename'] });
    await rejected({ send: up('?filename=..%2Fetc%2Fpasswd', Buffer.from('%PDF-1.4 x'), 'application/pdf'), status: 400, fields: ['filename'] });
    await rejected({ send: up('?filename=a.pdf&fund_id=999999', Buffer.from('%PDF-1.4 x'), 'application/pdf'), status: 400, fields: ['fund_id'] });
    await rejected({ send: up('?filename=a.pdf&colour=red', Buffer.from('%PDF-1.4 x'), 'application/pdf'), status: 400, fields: ['colour'] });
  });
  it('login with missing or mistyped fields → 400 naming them', async () => {
    const anon = new (admin.constructor)(server.url);
    let err = await rejected({ send: () => anon.post('/api/v1/session', {}), status: 400, code: 'validation_failed', fields: ['login', 'password'] });
    assert.ok(err);
    err = await rejected({ send: () => anon.post('/api/v1/session', { login: 'admin', password: 12345678 }), status: 400, fields: ['password'] });
    assert.ok(!Object.hasOwn(err.fields, 'login'));
    // a NUL would cut "admin\u0000…" down to "admin": refused before any lookup (no failed login recorded)
    await rejected({ send: () => anon.post('/api/v1/session', { login: 'admin\u0000x', password: 'whatever1' }), status: 400,
      code: 'validation_failed', fields: ['login'], exact: true });
    await rejected({ send: () => anon.post('/api/v1/session', { login: 'admin', password: 'admin-pass-2026\u0000' }), status: 400,
      code: 'validation_failed', fields: ['password'], exact: true });
  });
});
