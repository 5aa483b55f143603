// Helpers shared by crud/features/audit/service tests: raw SQL through the sqlite3 CLI
// (an independent view of what the server stored), status assertions that print the
// body on failure, and builders for the records most tests need.
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';

/** Fixed "today" for the servers of these tests: fund dates etc. are judged against it. */
export const TODAY = '2026-09-30';

/** Runs one SQL statement with the sqlite3 CLI; returns rows as arrays of strings. */
export function sql(db, query) {
  const out = execFileSync('sqlite3', ['-batch', '-cmd', '.timeout 5000', db, query], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return out.split('\n').filter((l) => l.length).map((l) => l.split('|'));
}

/** The single value of a one-row, one-column query. */
export function sqlValue(db, query) {
  const rows = sql(db, query);
  assert.equal(rows.length, 1, `expected one row from ${query}, got ${JSON.stringify(rows)}`);
  return rows[0][0];
}

/** Asserts the HTTP status, showing the body when it differs; returns the body. */
export function expectStatus(r, status, what = '') {
  assert.equal(r.status, status, `${what} expected ${status}, got ${r.status}: ${typeof r.body === 'string' ? r.body : JSON.stringify(r.body)}`);
  return r.body;
}

/** Asserts an error answer: status, error.code and that error.fields names `field`. */
export function expectError(r, status, code, field) {
  expectStatus(r, status);
  assert.equal(typeof r.body, 'object', 'error body is JSON');
  assert.equal(r.body.error.code, code, JSON.stringify(r.body));
  assert.equal(typeof r.body.error.message, 'string');
  assert.ok(r.body.error.message.length > 0);
  if (field !== undefined) {
    assert.ok(r.body.error.fields && Object.hasOwn(r.body.error.fields, field),
      `error.fields should name ${field}: ${JSON.stringify(r.body.error)}`);
  }
  return r.body.error;
}

export const ids = (list) => list.map((x) => x.id);

/** Every key of `body` comes back with the same value in `rec` (skipping `skip`). */
export function assertEchoes(rec, body, skip = []) {
  for (const [k, v] of Object.entries(body)) {
    if (skip.includes(k)) continue;
    assert.deepEqual(rec[k], v, `field ${k}`);
  }
}

/** POST that must answer 201 with a fresh record (id > 0, version 1); returns it. */
export async function create(c, path, body) {
  const r = await c.post(path, body);
  const rec = expectStatus(r, 201, `POST ${path} ${JSON.stringify(body)}`);
  assert.ok(Number.isInteger(rec.id) && rec.id > 0, 'id');
  assert.equal(rec.version, 1, 'version of a new record');
  return rec;
}

let seq = 0;
/** A short unique tag for names in one test run. */
export function tag(prefix = 't') { seq += 1; return `${prefix}${seq}x${process.pid}`; }

/** A campaign of 100 days from start (end_date worked out by hand by the caller when needed). */
export function newCampaign(c, name = tag('会战'), start = '2026-08-01') {
  return create(c, '/api/v1/campaigns', { name, start_date: start });
}
export function newUnit(c, name = tag('单位'), category = 'industry') {
  return create(c, '/api/v1/units', { name, category });
}
/** A project whose lead dates from the campaign's first day, before any evidence `advance` gives. */
export function newProject(c, campaignId, unitId, extra = {}) {
  return create(c, '/api/v1/projects', {
    campaign_id: campaignId, name: tag('项目'), lead_unit_id: unitId, category: 'industrial', method: 'industry',
    lead_date: '2026-08-01', ...extra,
  });
}

/** Moves a project through stages with complete evidence; returns the stage-change records. */
export async function advance(c, projectId, to) {
  const evidence = {
    negotiating: { to_stage: 'negotiating', date: '2026-08-05' },
    signed: { to_stage: 'signed', date: '2026-08-10', contract_date: '2026-08-10', contract_value: 50_000_000 },
    started: { to_stage: 'started', date: '2026-08-20', start_date: '2026-08-20' },
    completed: { to_stage: 'completed', date: '2026-09-20', completion_date: '2026-09-20' },
  };
  const order = ['negotiating', 'signed', 'started', 'completed'];
  const out = [];
  for (const s of order.slice(0, order.indexOf(to) + 1)) {
    out.push(await create(c, `/api/v1/projects/${projectId}/stage-changes`, evidence[s]));
  }
  return out;
}

/** Minimal valid files. */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
export const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex'),
]);

/** Uploads raw bytes as an attachment of a project. */
export function upload(c, projectId, filename, type, bytes, query = '') {
  const path = `/api/v1/projects/${projectId}/attachments?filename=${encodeURIComponent(filename)}${query}`;
  return c.post(path, bytes, { headers: { 'Content-Type': type } });
}

/**
 * A second office user, logged in, who certifies what admin entered: whoever entered a
 * record never certifies it (maker-checker, R-PROG-13). A signing without a contract scan
 * attached is certified with a `reason` (CONTRACT_SEEN).
 */
export async function checker(server, admin, login = tag('checker')) {
  await create(admin, '/api/v1/users', { login, name: '复核员', role: 'office', password: 'checker-pass-2026' });
  return server.login(login, 'checker-pass-2026');
}
export const CONTRACT_SEEN = { reason: '合同原件已核验' };
