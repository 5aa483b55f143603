// CRUD, paging, sorting and filtering for every collection of SPEC §8, against a real
// `huizhan serve` on an empty database. Every expectation is worked out by hand from the
// input (orders, page contents, filter hits, server-set defaults) and cross-checked with
// raw SQL through the sqlite3 CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startServer } from './lib.mjs';
import {
  TODAY, sql, sqlValue, expectStatus, expectError, ids, assertEchoes, create, tag, newCampaign, newUnit,
  newProject, advance, PDF, PNG, upload,
  checker, CONTRACT_SEEN,
} from './fixtures.mjs';

let server;
let admin;

before(async () => {
  server = await startServer({ env: { HUIZHAN_TODAY: TODAY } });
  admin = await server.admin();
});
// A clean stop (exit 0) also means no leak reports under ASan/LSan.
after(async () => {
  const exit = await server.stop();
  assert.deepEqual(exit, { code: 0, signal: null }, server.log());
});

const qs = (params) => new URLSearchParams(params).toString();
const withQuery = (path, params) => `${path}${path.includes('?') ? '&' : '?'}${qs(params)}`;

/** Orders like SQLite's BINARY collation: NULL first, numbers by value, text by UTF-8 bytes. */
function cmp(a, b) {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number') return a - b;
  if (typeof a === 'boolean') return Number(a) - Number(b);
  return Buffer.compare(Buffer.from(String(a)), Buffer.from(String(b)));
}

/**
 * Exercises one collection end to end. spec:
 *   name, table          collection and SQL table
 *   entries              [{body, path?, expect?}] records to create (path defaults to spec.createPath)
 *   createPath, listPath where to POST / GET the list; scope: query that narrows the list to
 *                        exactly the entries (e.g. {campaign_id: 3})
 *   make(entry)          optional custom creation (attachments) resolving the created record
 *   echoSkip             body fields not read back (passwords)
 *   sorts                [field] sortable by body/expect values
 *   filters              [{params, expect: [entry indexes]}] worked out by hand
 *   afterCreate()        hook run before listing (certify, …)
 *   patch                {index, body, stale} or null when the collection is append-only
 *   remove               index deleted at the end, or null when deletion is refused (405)
 */
async function exercise(spec) {
  const c = admin;
  const db = server.db;
  const created = [];
  for (const entry of spec.entries) {
    const rec = spec.make ? await spec.make(entry) : await create(c, entry.path || spec.createPath, entry.body);
    assert.equal(rec.version, 1);
    assertEchoes(rec, entry.body, spec.echoSkip || []);
    assertEchoes(rec, entry.expect || {});
    created.push(rec);
  }
  const value = (i, f) => {
    const e = spec.entries[i];
    if (e.expect && Object.hasOwn(e.expect, f)) return e.expect[f];
    if (Object.hasOwn(e.body, f)) return e.body[f];
    return created[i][f];
  };
  const allIds = ids(created);
  // GET by id returns exactly what POST returned; the row is in the table with version 1.
  for (const rec of created) {
    const got = expectStatus(await c.get(`/api/v1/${spec.name}/${rec.id}`), 200);
    assert.deepEqual(got, rec);
    assert.equal(sqlValue(db, `SELECT version FROM ${spec.table} WHERE id = ${rec.id}`), '1');
  }
  if (spec.afterCreate) await spec.afterCreate(created);
  const n = created.length;
  const list = async (params) => {
    const body = expectStatus(await c.get(withQuery(spec.listPath, { ...spec.scope, ...params })), 200, JSON.stringify(params));
    assert.deepEqual(Object.keys(body).sort(), ['items', 'limit', 'offset', 'total']);
    return body;
  };
  // Unpaged: every entry, by id; default limit 50.
  const all = await list({});
  assert.equal(all.total, n);
  assert.equal(all.limit, 50);
  assert.equal(all.offset, 0);
  assert.deepEqual(ids(all.items), allIds);
  // Pages of two.
  for (let off = 0; off < n; off += 2) {
    const page = await list({ limit: '2', offset: String(off) });
    assert.equal(page.total, n, `total at offset ${off}`);
    assert.equal(page.limit, 2);
    assert.equal(page.offset, off);
    assert.deepEqual(ids(page.items), allIds.slice(off, off + 2), `page at offset ${off}`);
  }
  const past = await list({ limit: '3', offset: String(n + 5) });
  assert.equal(past.total, n);
  assert.deepEqual(past.items, []);
  // Sorts, ascending and descending, ties broken by id in the same direction.
  for (const f of spec.sorts || []) {
    const idx = created.map((_, i) => i);
    const asc = [...idx].sort((a, b) => cmp(value(a, f), value(b, f)) || allIds[a] - allIds[b]).map((i) => allIds[i]);
    const desc = [...idx].sort((a, b) => cmp(value(b, f), value(a, f)) || allIds[b] - allIds[a]).map((i) => allIds[i]);
    assert.deepEqual(ids((await list({ sort: f })).items), asc, `sort=${f}`);
    assert.deepEqual(ids((await list({ sort: `-${f}` })).items), desc, `sort=-${f}`);
    // Sorted paging: the second page of two continues the sorted order.
    assert.deepEqual(ids((await list({ sort: f, limit: '2', offset: '2' })).items), asc.slice(2, 4), `sort=${f} page 2`);
  }
  for (const flt of spec.filters || []) {
    const got = await list(flt.params);
    const want = flt.expect.map((i) => allIds[i]);
    assert.deepEqual(ids(got.items), want, `filter ${qs(flt.params)}`);
    assert.equal(got.total, want.length, `total for ${qs(flt.params)}`);
  }
  // An unknown filter or sort key is refused with 400 naming it.
  expectError(await c.get(withQuery(spec.listPath, { no_such_field: '1' })), 400, 'validation_failed', 'no_such_field');
  expectError(await c.get(withQuery(spec.listPath, { sort: 'no_such_field' })), 400, 'validation_failed', 'sort');

  const auditOf = async (id) => expectStatus(await c.get(`/api/v1/audit?${qs({ entity: spec.name, entity_id: id })}`), 200).items;
  let patched = null;
  if (spec.patch) {
    const target = created[spec.patch.index ?? 0];
    const r = await c.patch(`/api/v1/${spec.name}/${target.id}`, { version: 1, ...spec.patch.body });
    patched = expectStatus(r, 200, 'PATCH');
    assert.equal(patched.version, 2);
    assert.equal(patched.id, target.id);
    assertEchoes(patched, spec.patch.body, spec.echoSkip || []);
    // Untouched fields keep their values, but those the server changes with the patch (patch.changes).
    const changes = spec.patch.changes || {};
    for (const [k, v] of Object.entries(target)) {
      if (Object.hasOwn(changes, k)) assert.deepEqual(patched[k], changes[k], `changed by the server: ${k}`);
      else if (!Object.hasOwn(spec.patch.body, k) && !['version', 'updated_at'].includes(k)) assert.deepEqual(patched[k], v, `unchanged ${k}`);
    }
    assert.deepEqual(expectStatus(await c.get(`/api/v1/${spec.name}/${target.id}`), 200), patched);
    assert.equal(sqlValue(db, `SELECT version FROM ${spec.table} WHERE id = ${target.id}`), '2');
    // A second writer still holding version 1 gets 409 and changes nothing.
    const stale = await c.patch(`/api/v1/${spec.name}/${target.id}`, { version: 1, ...spec.patch.stale });
    expectError(stale, 409, 'conflict', 'version');
    assert.deepEqual(expectStatus(await c.get(`/api/v1/${spec.name}/${target.id}`), 200), patched);
    assert.equal(sqlValue(db, `SELECT version FROM ${spec.table} WHERE id = ${target.id}`), '2');
    // PATCH without a version is refused too.
    expectError(await c.patch(`/api/v1/${spec.name}/${target.id}`, { ...spec.patch.stale }), 400, 'validation_failed', 'version');
    // The audit log holds the create and the update with before/after.
    const log = await auditOf(target.id);
    assert.deepEqual(log.map((x) => x.action), ['update', 'create']);
    assert.equal(log[1].before, null);
    assert.equal(log[1].after.version, 1);
    assert.equal(log[0].before.version, 1);
    assert.equal(log[0].after.version, 2);
    for (const [k, v] of Object.entries(spec.patch.body)) {
      if (!(spec.echoSkip || []).includes(k)) {
        assert.deepEqual(log[0].after[k], v, `audit after.${k}`);
        assert.deepEqual(log[0].before[k], target[k], `audit before.${k}`);
      }
    }
  } else {
    const target = created[0];
    expectError(await c.patch(`/api/v1/${spec.name}/${target.id}`, { version: 1 }), 405, 'method_not_allowed');
    assert.deepEqual(expectStatus(await c.get(`/api/v1/${spec.name}/${target.id}`), 200), target);
  }
  if (spec.remove !== null && spec.remove !== undefined) {
    const victim = created[spec.remove];
    const { version } = expectStatus(await c.get(`/api/v1/${spec.name}/${victim.id}`), 200);
    const r = await c.del(`/api/v1/${spec.name}/${victim.id}?version=${version}`);
    expectStatus(r, 204, 'DELETE');
    assert.equal(r.raw.length, 0);
    expectError(await c.get(`/api/v1/${spec.name}/${victim.id}`), 404, 'not_found');
    expectError(await c.del(`/api/v1/${spec.name}/${victim.id}?version=${version}`), 404, 'not_found');
    assert.equal(sqlValue(db, `SELECT COUNT(*) FROM ${spec.table} WHERE id = ${victim.id}`), '0');
    const rest = await list({});
    assert.equal(rest.total, n - 1);
    assert.deepEqual(ids(rest.items), allIds.filter((id) => id !== victim.id));
    const log = await auditOf(victim.id);
    assert.equal(log[0].action, 'delete');
    assert.equal(log[0].after, null);
    assert.equal(log[0].before.id, victim.id);
    assert.equal(log.at(-1).action, 'create');
  } else {
    const target = created[0];
    expectError(await c.del(`/api/v1/${spec.name}/${target.id}`), 405, 'method_not_allowed');
    assert.deepEqual(expectStatus(await c.get(`/api/v1/${spec.name}/${target.id}`), 200), target);
    assert.equal(sqlValue(db, `SELECT COUNT(*) FROM ${spec.table} WHERE id = ${target.id}`), '1');
  }
  return { created, patched };
}

test('a campaign over the new year takes the year it starts or ends in, and no other', async () => {
  // 2026-11-15 + 99 days: Nov 30 (+15), Dec 31 (+46), Jan 31 (+77), Feb 22 (+99).
  const c = await create(admin, '/api/v1/campaigns', { name: tag('跨年会战'), start_date: '2026-11-15', year: 2027 });
  assert.deepEqual([c.end_date, c.year], ['2027-02-22', 2027]);
  const d = expectStatus(await admin.patch(`/api/v1/campaigns/${c.id}`, { version: c.version, year: 2026 }), 200);
  assert.equal(d.year, 2026);
  // Moved to start in 2028, its year 2026 no longer fits: named, and nothing changes.
  expectError(await admin.patch(`/api/v1/campaigns/${c.id}`, { version: d.version, start_date: '2028-01-05', end_date: '2028-04-13' }),
    400, 'validation_failed', 'year');
  assert.equal(sqlValue(server.db, `SELECT start_date || '/' || year FROM campaigns WHERE id = ${c.id}`), '2026-11-15/2026');
});

test('campaigns: CRUD, 100-day default end date, year from start date, paging, sort, filters', async () => {
  const t = tag('camp');
  const { created } = await exercise({
    name: 'campaigns', table: 'campaigns', createPath: '/api/v1/campaigns', listPath: '/api/v1/campaigns', scope: { q: t },
    entries: [
      // 2026-03-01 + 99 days: 30 to Mar 31, 30 more to Apr 30, 31 to May 31, 8 to Jun 8.
      { body: { name: `${t}-c`, start_date: '2026-03-01', status: 'active' }, expect: { end_date: '2026-06-08', year: 2026, time_zone: 'Asia/Shanghai' } },
      { body: { name: `${t}-a`, start_date: '2025-08-01', end_date: '2025-11-30', year: 2025, status: 'closed' } },
      // 2026-08-01 + 99: Aug 31 (+30), Sep 30 (+60), Oct 31 (+91), Nov 8 (+99).
      { body: { name: `${t}-e`, start_date: '2026-08-01' }, expect: { end_date: '2026-11-08', year: 2026, status: 'draft' } },
      // An explicit end date without a year: the year still comes from the start date.
      { body: { name: `${t}-b`, start_date: '2027-01-10', end_date: '2027-04-19' }, expect: { year: 2027, status: 'draft' } },
      // 2026-05-01 + 99: May 31 (+30), Jun 30 (+60), Jul 31 (+91), Aug 8 (+99).
      { body: { name: `${t}-d`, start_date: '2026-05-01', status: 'active' }, expect: { end_date: '2026-08-08', year: 2026 } },
    ],
    sorts: ['name', 'start_date', 'end_date', 'year', 'status'],
    filters: [
      { params: { status: 'active' }, expect: [0, 4] },
      { params: { status: 'draft' }, expect: [2, 3] },
      { params: { year: '2026' }, expect: [0, 2, 4] },
      { params: { start_date_from: '2026-05-01', start_date_to: '2026-08-01' }, expect: [2, 4] },
      { params: { end_date_to: '2026-08-08' }, expect: [0, 1, 4] },
      { params: { end_date_from: '2027-04-19' }, expect: [3] },
    ],
    patch: { index: 2, body: { name: `${t}-z`, status: 'active' }, stale: { name: `${t}-stale` } },
    remove: 1,
  });
  // The stored rows agree with the API.
  assert.deepEqual(sql(server.db, `SELECT name, year, start_date, end_date, status FROM campaigns WHERE id = ${created[3].id}`),
    [[`${t}-b`, '2027', '2027-01-10', '2027-04-19', 'draft']]);
  // An end before the start is refused naming end_date, and nothing changes.
  const cur = expectStatus(await admin.get(`/api/v1/campaigns/${created[0].id}`), 200);
  expectError(await admin.patch(`/api/v1/campaigns/${cur.id}`, { version: cur.version, end_date: '2026-02-01' }), 400, 'validation_failed', 'end_date');
  expectError(await admin.post('/api/v1/campaigns', { name: 'x', start_date: '2026-02-30' }), 400, 'validation_failed', 'start_date');
  expectError(await admin.post('/api/v1/campaigns', { start_date: '2026-02-01' }), 400, 'validation_failed', 'name');
  assert.deepEqual(expectStatus(await admin.get(`/api/v1/campaigns/${cur.id}`), 200), cur);
});

test('checkpoints under a campaign: CRUD, dates inside the campaign, flat list by campaign_id', async () => {
  const camp = await newCampaign(admin); // 2026-08-01 .. 2026-11-08
  const base = `/api/v1/campaigns/${camp.id}/checkpoints`;
  const { created } = await exercise({
    name: 'checkpoints', table: 'checkpoints', createPath: base, listPath: base,
    entries: [
      { body: { name: '8月底', kind: 'month_end', date: '2026-08-31' }, expect: { campaign_id: camp.id } },
      { body: { name: '时间过半', kind: 'midpoint', date: '2026-09-19' }, expect: { campaign_id: camp.id } },
      { body: { name: '经贸洽谈会', kind: 'fair', date: '2026-10-25' } },
      { body: { name: '会战结束', kind: 'final', date: '2026-11-08' } },
      { body: { name: '国庆节点', kind: 'other', date: '2026-10-01' } },
    ],
    sorts: ['date', 'name', 'kind'],
    filters: [
      { params: { kind: 'fair' }, expect: [2] },
      { params: { date_from: '2026-09-01', date_to: '2026-10-25' }, expect: [1, 2, 4] },
      { params: { date_from: '2026-10-26' }, expect: [3] },
    ],
    patch: { index: 2, body: { date: '2026-10-28', name: '第十届经贸洽谈会' }, stale: { date: '2026-10-20' } },
    remove: 4,
  });
  // The same checkpoints listed flat, filtered by campaign.
  const flat = expectStatus(await admin.get(`/api/v1/checkpoints?campaign_id=${camp.id}`), 200);
  assert.deepEqual(ids(flat.items), ids(created).filter((_, i) => i !== 4));
  // Outside the campaign (one day before its start, one day after its end) → 400 naming date.
  expectError(await admin.post(base, { name: 'x', kind: 'other', date: '2026-07-31' }), 400, 'validation_failed', 'date');
  expectError(await admin.post(base, { name: 'x', kind: 'other', date: '2026-11-09' }), 400, 'validation_failed', 'date');
  expectError(await admin.post(base, { name: 'x', kind: 'weekly', date: '2026-09-09' }), 400, 'validation_failed', 'kind');
  // Under a campaign that does not exist: 404.
  expectError(await admin.post('/api/v1/campaigns/999999/checkpoints', { name: 'x', kind: 'other', date: '2026-09-09' }), 404, 'not_found');
  // Posting flat is not how a nested record is created.
  expectError(await admin.post('/api/v1/checkpoints', { name: 'x', kind: 'other', date: '2026-09-09' }), 405, 'method_not_allowed');
  assert.equal(sqlValue(server.db, `SELECT COUNT(*) FROM checkpoints WHERE campaign_id = ${camp.id}`), '4');
});

test('units: CRUD, unique names, sort and filter by category', async () => {
  const t = tag('unit');
  await exercise({
    name: 'units', table: 'units', createPath: '/api/v1/units', listPath: '/api/v1/units', scope: { q: t },
    entries: [
      { body: { name: `${t}-d-工业和信息化局`, category: 'industry', short_name: '工信局' }, expect: { head_user_id: null, phone: null } },
      { body: { name: `${t}-b-农业农村局`, category: 'agriculture' } },
      { body: { name: `${t}-e-文化旅游局`, category: 'services', phone: '0571-88886666' } },
      { body: { name: `${t}-a-审计局`, category: 'policy_funds', note: '争取上级政策资金' } },
      { body: { name: `${t}-c-总工会`, category: 'mass_org' } },
      { body: { name: `${t}-f-商务局`, category: 'services' } },
    ],
    sorts: ['name', 'category'],
    filters: [
      { params: { category: 'services' }, expect: [2, 5] },
      { params: { category: 'other' }, expect: [] },
    ],
    patch: { index: 0, body: { short_name: '工信', phone: '0571-12345678' }, stale: { short_name: '旧' } },
    remove: 4,
  });
  // Same name twice → 409 naming the field.
  expectError(await admin.post('/api/v1/units', { name: `${t}-a-审计局`, category: 'other' }), 409, 'conflict', 'name');
  expectError(await admin.post('/api/v1/units', { name: `${t}-x`, category: 'bank' }), 400, 'validation_failed', 'category');
  assert.equal(sqlValue(server.db, `SELECT COUNT(*) FROM units WHERE name LIKE '${t}-%'`), '5');
  // ?q= matches a substring literally: % and _ are not wildcards.
  const pct = await create(admin, '/api/v1/units', { name: `${t}-持股50%_单位`, category: 'other' });
  await create(admin, '/api/v1/units', { name: `${t}-持股500单位`, category: 'other' });
  const hits = expectStatus(await admin.get(`/api/v1/units?q=${encodeURIComponent('50%_')}`), 200);
  assert.deepEqual(ids(hits.items), [pct.id]);
  // A unit still referenced (by a section) cannot be deleted: 409, and it stays.
  await create(admin, `/api/v1/units/${pct.id}/sections`, { name: '办公室' });
  expectError(await admin.del(`/api/v1/units/${pct.id}?version=${pct.version}`), 409, 'conflict');
  assert.equal(sqlValue(server.db, `SELECT COUNT(*) FROM units WHERE id = ${pct.id}`), '1');
  // Unknown fields and a malformed version are refused naming them.
  expectError(await admin.patch(`/api/v1/units/${pct.id}`, { version: 1, colour: 'red' }), 400, 'validation_failed', 'colour');
  expectError(await admin.patch(`/api/v1/units/${pct.id}`, { version: '1', phone: '1' }), 400, 'validation_failed', 'version');
  assert.equal(sqlValue(server.db, `SELECT version FROM units WHERE id = ${pct.id}`), '1');
});

test('sections under a unit: CRUD, flat filter by unit_id, unique within the unit', async () => {
  const unit = await newUnit(admin);
  const other = await newUnit(admin);
  await create(admin, `/api/v1/units/${other.id}/sections`, { name: '办公室' });
  const base = `/api/v1/units/${unit.id}/sections`;
  const { created } = await exercise({
    name: 'sections', table: 'sections', createPath: base, listPath: base,
    entries: [
      { body: { name: '投资促进科' }, expect: { unit_id: unit.id } },
      { body: { name: '办公室' }, expect: { unit_id: unit.id } },
      { body: { name: '综合科' } },
      { body: { name: 'A项目科' } },
    ],
    sorts: ['name'],
    patch: { index: 1, body: { name: '办公室（党办）' }, stale: { name: '旧名' } },
    remove: 2,
  });
  const flat = expectStatus(await admin.get(`/api/v1/sections?unit_id=${unit.id}&sort=name`), 200);
  // 'A项目科' < '办公室（党办）' (U+529E) < '投资促进科' (U+6295) by code point.
  assert.deepEqual(ids(flat.items), [created[3].id, created[1].id, created[0].id]);
  expectError(await admin.post(base, { name: '投资促进科' }), 409, 'conflict');
  // The same name in another unit is fine (it was created above).
  assert.equal(sqlValue(server.db, `SELECT COUNT(*) FROM sections WHERE name = '办公室' AND unit_id = ${other.id}`), '1');
  assert.equal(sqlValue(server.db, `SELECT COUNT(*) FROM sections WHERE name = '办公室' AND unit_id = ${unit.id}`), '0');
});

test('users: CRUD, passwords never read back, role/unit rules, login with the new account', async () => {
  const unit = await newUnit(admin);
  const sec = await create(admin, `/api/v1/units/${unit.id}/sections`, { name: '投资促进科' });
  const t = tag('u');
  const { created, patched } = await exercise({
    name: 'users', table: 'users', createPath: '/api/v1/users', listPath: '/api/v1/users', scope: { unit_id: unit.id },
    entries: [
      { body: { login: `${t}-head`, name: '王局长', role: 'unit_head', unit_id: unit.id, password: 'head-pass-1', title: '局长' }, expect: { disabled: false, section_id: null } },
      { body: { login: `${t}-staff1`, name: '李联络员', role: 'unit_staff', unit_id: unit.id, section_id: sec.id, password: 'staff-pass-1' } },
      { body: { login: `${t}-deputy`, name: '赵副局长', role: 'unit_head', unit_id: unit.id, password: 'deputy-pass-1' } },
      { body: { login: `${t}-staff2`, name: '陈队员', role: 'unit_staff', unit_id: unit.id, section_id: sec.id, password: 'staff-pass-2', disabled: true } },
      { body: { login: `${t}-staff3`, name: '周队员', role: 'unit_staff', unit_id: unit.id, password: 'staff-pass-3', phone: '13800000000' } },
    ],
    echoSkip: ['password'],
    sorts: ['login', 'name', 'role'],
    filters: [
      { params: { role: 'unit_staff' }, expect: [1, 3, 4] },
      { params: { section_id: String(sec.id) }, expect: [1, 3] },
      { params: { disabled: 'true' }, expect: [3] },
      { params: { disabled: 'false', role: 'unit_head' }, expect: [0, 2] },
    ],
    // an administrator's reset: the user must change the password at the next login
    patch: { index: 1, body: { name: '李联络员（改）', title: '科长', password: 'staff-pass-new' }, stale: { name: '过期' }, changes: { must_change_password: true } },
    remove: 4,
  });
  for (const u of [...created, patched]) {
    assert.ok(!('password' in u) && !('password_hash' in u), 'no password in a user record');
  }
  // Audit entries never carry the password hash either.
  const log = expectStatus(await admin.get(`/api/v1/audit?entity=users&entity_id=${created[1].id}`), 200).items;
  assert.ok(!JSON.stringify(log).includes('argon2'), 'audit log leaks no password hash');
  assert.match(sqlValue(server.db, `SELECT password_hash FROM users WHERE id = ${created[1].id}`), /^\$argon2id\$/);
  // The new accounts log in with their passwords; the changed password replaced the old one.
  const head = await server.login(`${t}-head`, 'head-pass-1');
  assert.equal(head.user.role, 'unit_head');
  assert.equal(head.user.unit_id, unit.id);
  const staff = await server.login(`${t}-staff1`, 'staff-pass-new');
  assert.equal(staff.user.id, created[1].id);
  expectStatus(await staff.post('/api/v1/session', { login: `${t}-staff1`, password: 'staff-pass-1' }), 401);
  // A disabled account cannot log in.
  expectStatus(await staff.post('/api/v1/session', { login: `${t}-staff2`, password: 'staff-pass-2' }), 401);
  // Rules: unit roles need a unit, central roles have none, passwords of 8+ characters, logins unique.
  expectError(await admin.post('/api/v1/users', { login: `${t}-x`, name: 'x', role: 'unit_staff', password: 'long-enough' }), 400, 'validation_failed', 'unit_id');
  expectError(await admin.post('/api/v1/users', { login: `${t}-y`, name: 'y', role: 'office', unit_id: unit.id, password: 'long-enough' }), 400, 'validation_failed', 'unit_id');
  expectError(await admin.post('/api/v1/users', { login: `${t}-z`, name: 'z', role: 'office', password: 'short' }), 400, 'validation_failed', 'password');
  expectError(await admin.post('/api/v1/users', { login: `${t}-w`, name: 'w', role: 'office' }), 400, 'validation_failed', 'password');
  expectError(await admin.post('/api/v1/users', { login: `${t}-head`, name: 'dup', role: 'office', password: 'long-enough' }), 409, 'conflict', 'login');
  // The login cannot be renamed after creation.
  const cur = expectStatus(await admin.get(`/api/v1/users/${created[0].id}`), 200);
  expectError(await admin.patch(`/api/v1/users/${cur.id}`, { version: cur.version, login: 'renamed' }), 400, 'validation_failed', 'login');
  // Changing a unit user to a central role while keeping the unit is refused; admin cannot delete itself.
  const s1 = expectStatus(await admin.get(`/api/v1/users/${created[1].id}`), 200);
  expectError(await admin.patch(`/api/v1/users/${s1.id}`, { version: s1.version, role: 'office' }), 400, 'validation_failed', 'unit_id');
  const me = expectStatus(await admin.get(`/api/v1/users/${admin.user.id}`), 200);
  expectError(await admin.del(`/api/v1/users/${me.id}`, { headers: { 'If-Match': `"${me.version}"` } }), 422, 'rule_violation');
  assert.equal(sqlValue(server.db, `SELECT role FROM users WHERE id = ${s1.id}`), 'unit_staff');
  // A unit user may not write users at all.
  expectStatus(await head.post('/api/v1/users', { login: `${t}-v`, name: 'v', role: 'unit_staff', unit_id: unit.id, password: 'long-enough' }), 403);
  assert.equal(sqlValue(server.db, `SELECT COUNT(*) FROM users WHERE login LIKE '${t}-%'`), '4');
});

test('targets under a campaign: CRUD, defaults, one target per unit/metric/scope', async () => {
  const camp = await newCampaign(admin);
  const u1 = await newUnit(admin);
  const u2 = await newUnit(admin);
  const base = `/api/v1/campaigns/${camp.id}/targets`;
  const { created } = await exercise({
    name: 'targets', table: 'targets', createPath: base, listPath: base,
    entries: [
      { body: { unit_id: u1.id, metric: 'funds_arrived', value: 300_000_000 }, expect: { scope: 'campaign', campaign_id: camp.id, section_id: null, user_id: null } },
      { body: { unit_id: u1.id, metric: 'signed_count', value: 5 } },
      { body: { unit_id: u2.id, metric: 'funds_arrived', value: 100_000_000 } },
      { body: { unit_id: u2.id, metric: 'signed_value', value: 200_000_000, scope: 'annual' } },
      { body: { unit_id: u1.id, metric: 'leads_count', value: 40 } },
    ],
    sorts: ['value', 'metric', 'unit_id'],
    filters: [
      { params: { unit_id: String(u2.id) }, expect: [2, 3] },
      { params: { metric: 'funds_arrived' }, expect: [0, 2] },
      { params: { scope: 'annual' }, expect: [3] },
      { params: { scope: 'campaign', unit_id: String(u1.id) }, expect: [0, 1, 4] },
    ],
    patch: { index: 0, body: { value: 350_000_000 }, stale: { value: 1 } },
    remove: 4,
  });
  expectError(await admin.post(base, { unit_id: u1.id, metric: 'funds_arrived', value: 7 }), 409, 'conflict');
  expectError(await admin.post(base, { unit_id: u1.id, metric: 'funds_arrived', value: -7, scope: 'annual' }), 400, 'validation_failed', 'value');
  expectError(await admin.post(base, { unit_id: u1.id, metric: 'happiness', value: 7 }), 400, 'validation_failed', 'metric');
  const cur = expectStatus(await admin.get(`/api/v1/targets/${created[0].id}`), 200);
  expectError(await admin.patch(`/api/v1/targets/${cur.id}`, { version: cur.version, metric: 'signed_count' }), 400, 'validation_failed', 'metric');
  assert.deepEqual(sql(server.db, `SELECT unit_id, metric, value FROM targets WHERE campaign_id = ${camp.id} ORDER BY id`), [
    [String(u1.id), 'funds_arrived', '350000000'], [String(u1.id), 'signed_count', '5'],
    [String(u2.id), 'funds_arrived', '100000000'], [String(u2.id), 'signed_value', '200000000'],
  ]);
});

test('investors: CRUD, sort and filter by kind, origin and industry', async () => {
  const unit = await newUnit(admin);
  await exercise({
    name: 'investors', table: 'investors', createPath: '/api/v1/investors', listPath: '/api/v1/investors', scope: { unit_id: unit.id },
    entries: [
      { body: { name: 'C 新能源集团', kind: 'enterprise', origin: 'out_of_province', industry: '新能源', unit_id: unit.id }, expect: { contact_name: null } },
      { body: { name: 'A 张先生', kind: 'person', origin: 'local', unit_id: unit.id, contact_phone: '13900000000' } },
      { body: { name: 'E 港资控股', kind: 'enterprise', origin: 'overseas', industry: '物流', unit_id: unit.id } },
      { body: { name: 'B 省内药业', kind: 'enterprise', origin: 'in_province', industry: '新能源', unit_id: unit.id } },
      { body: { name: 'D 李女士', kind: 'person', origin: 'out_of_province', unit_id: unit.id } },
    ],
    sorts: ['name', 'origin', 'kind', 'industry'],
    filters: [
      { params: { kind: 'person' }, expect: [1, 4] },
      { params: { origin: 'out_of_province' }, expect: [0, 4] },
      { params: { industry: '新能源' }, expect: [0, 3] },
    ],
    patch: { index: 0, body: { contact_name: '王经理', industry: '装备制造' }, stale: { industry: '旧' } },
    remove: 2,
  });
  // An office user must say which unit registers the investor.
  expectError(await admin.post('/api/v1/investors', { name: 'x', kind: 'person', origin: 'local' }), 400, 'validation_failed', 'unit_id');
  expectError(await admin.post('/api/v1/investors', { name: 'x', kind: 'person', origin: 'mars', unit_id: unit.id }), 400, 'validation_failed', 'origin');
  expectError(await admin.post('/api/v1/investors', { name: 'x', kind: 'person', origin: 'local', unit_id: 987654 }), 400, 'validation_failed', 'unit_id');
});

test('events: CRUD, date order, sort and date-range filters', async () => {
  const camp = await newCampaign(admin);
  const { created } = await exercise({
    name: 'events', table: 'events', createPath: '/api/v1/events', listPath: '/api/v1/events', scope: { campaign_id: camp.id },
    entries: [
      { body: { campaign_id: camp.id, name: '经贸洽谈会', start_date: '2026-10-24', end_date: '2026-10-26', place: '国际会展中心' } },
      { body: { campaign_id: camp.id, name: '深圳推介会', start_date: '2026-08-15', end_date: '2026-08-15' }, expect: { place: null } },
      { body: { campaign_id: camp.id, name: '农产品博览会', start_date: '2026-09-10', end_date: '2026-09-12' } },
      { body: { campaign_id: camp.id, name: '上海招商周', start_date: '2026-09-21', end_date: '2026-09-27' } },
    ],
    sorts: ['start_date', 'end_date', 'name'],
    filters: [
      { params: { start_date_from: '2026-09-01', start_date_to: '2026-09-30' }, expect: [2, 3] },
      { params: { end_date_to: '2026-09-12' }, expect: [1, 2] },
      { params: { start_date: '2026-08-15' }, expect: [1] },
    ],
    patch: { index: 1, body: { place: '深圳会展中心', end_date: '2026-08-16' }, stale: { place: 'x' } },
    remove: 3,
  });
  expectError(await admin.post('/api/v1/events', { name: 'x', start_date: '2026-09-10', end_date: '2026-09-09' }), 400, 'validation_failed', 'end_date');
  const cur = expectStatus(await admin.get(`/api/v1/events/${created[0].id}`), 200);
  expectError(await admin.patch(`/api/v1/events/${cur.id}`, { version: cur.version, start_date: '2026-10-27' }), 400, 'validation_failed', 'end_date');
  assert.deepEqual(expectStatus(await admin.get(`/api/v1/events/${cur.id}`), 200), cur);
});

test('projects: CRUD with co_unit_ids, link table, filters, and only leads may be deleted', async () => {
  const camp = await newCampaign(admin);
  const [u1, u2, u3] = [await newUnit(admin), await newUnit(admin), await newUnit(admin)];
  const inv = await create(admin, '/api/v1/investors', { name: '远景投资', kind: 'enterprise', origin: 'overseas', unit_id: u1.id });
  const p = (name, lead, co, planned, category, method, extra = {}) => ({
    body: { campaign_id: camp.id, name, lead_unit_id: lead.id, co_unit_ids: co.map((u) => u.id), planned_investment: planned, category, method, lead_date: '2026-08-01', ...extra },
    expect: { stage: 'lead', contract_value: 0 },
  });
  const { created } = await exercise({
    name: 'projects', table: 'projects', createPath: '/api/v1/projects', listPath: '/api/v1/projects', scope: { campaign_id: camp.id },
    entries: [
      p('d-智能装备产业园', u1, [u2], 80_000_000, 'industrial', 'joint', { investor_id: inv.id }),
      p('b-文旅综合体', u1, [u2, u3], 20_000_000, 'services', 'relationship'),
      p('e-新能源电池', u2, [], 150_000_000, 'industrial', 'industry'),
      p('a-果蔬深加工', u3, [u1], 5_000_000, 'agri_industrialization', 'fair'),
      p('c-老厂重组', u1, [], 60_000_000, 'restructuring', 'business_led', { description: '盘活闲置厂房' }),
    ],
    sorts: ['planned_investment', 'name', 'category', 'lead_unit_id'],
    filters: [
      { params: { co_unit_ids: String(u2.id) }, expect: [0, 1] },
      { params: { co_unit_ids: String(u1.id) }, expect: [3] },
      { params: { lead_unit_id: String(u1.id) }, expect: [0, 1, 4] },
      { params: { category: 'industrial' }, expect: [0, 2] },
      { params: { method: 'joint' }, expect: [0] },
      { params: { investor_id: String(inv.id) }, expect: [0] },
      { params: { stage: 'lead' }, expect: [0, 1, 2, 3, 4] },
      { params: { stage: 'signed' }, expect: [] },
    ],
    patch: { index: 0, body: { co_unit_ids: [u3.id], planned_investment: 90_000_000 }, stale: { co_unit_ids: [] } },
    remove: 4,
  });
  const [p0, p1, p2] = created;
  // The link table holds exactly the co-owners, after the PATCH of p0 (u2 → u3) and the DELETE of p4.
  assert.deepEqual(sql(server.db, `SELECT project_id, unit_id FROM project_units WHERE project_id IN (${ids(created).join(',')}) ORDER BY 1, 2`), [
    [String(p0.id), String(u3.id)], [String(p1.id), String(u2.id)], [String(p1.id), String(u3.id)], [String(created[3].id), String(u1.id)],
  ]);
  // The lead unit cannot also be a co-owner; co-owners must exist.
  expectError(await admin.post('/api/v1/projects', { campaign_id: camp.id, name: 'x', lead_unit_id: u1.id, co_unit_ids: [u1.id], category: 'other', method: 'other' }), 400, 'validation_failed', 'co_unit_ids');
  expectError(await admin.post('/api/v1/projects', { campaign_id: camp.id, name: 'x', lead_unit_id: u1.id, co_unit_ids: [999999], category: 'other', method: 'other' }), 400, 'validation_failed', 'co_unit_ids');
  expectError(await admin.post('/api/v1/projects', { campaign_id: camp.id, name: 'x', lead_unit_id: u1.id, category: 'other', method: 'other', stage: 'signed' }), 400, 'validation_failed', 'stage');
  // Once past lead a project cannot be deleted (it can be dropped): 422, still there.
  await advance(admin, p2.id, 'negotiating');
  expectError(await admin.del(`/api/v1/projects/${p2.id}?version=${expectStatus(await admin.get(`/api/v1/projects/${p2.id}`), 200).version}`), 422, 'rule_violation', 'stage');
  assert.equal(sqlValue(server.db, `SELECT stage FROM projects WHERE id = ${p2.id}`), 'negotiating');
  const after2 = expectStatus(await admin.get(`/api/v1/projects/${p2.id}`), 200);
  assert.equal(after2.stage, 'negotiating');
  // The stage is not writable through PATCH.
  expectError(await admin.patch(`/api/v1/projects/${p2.id}`, { version: after2.version, stage: 'completed' }), 400, 'validation_failed', 'stage');
});

test('stage-changes: append-only, nested and flat lists filterable by campaign, unit and status', async () => {
  const camp = await newCampaign(admin);
  const [u1, u2] = [await newUnit(admin), await newUnit(admin)];
  const [pa, pb, pc] = [await newProject(admin, camp.id, u1.id), await newProject(admin, camp.id, u1.id), await newProject(admin, camp.id, u2.id)];
  const sc = (project, body, expect) => ({ path: `/api/v1/projects/${project.id}/stage-changes`, body, expect: { project_id: project.id, campaign_id: camp.id, status: 'reported', reviewed_by: null, reviewed_at: null, reject_reason: null, ...expect } });
  const { created } = await exercise({
    name: 'stage-changes', table: 'stage_changes', listPath: '/api/v1/stage-changes', scope: { campaign_id: camp.id },
    entries: [
      sc(pa, { to_stage: 'negotiating', date: '2026-08-05' }, { from_stage: 'lead', unit_id: u1.id }),
      sc(pa, { to_stage: 'signed', date: '2026-08-12', contract_date: '2026-08-12', contract_value: 30_000_000 }, { from_stage: 'negotiating', unit_id: u1.id }),
      sc(pb, { to_stage: 'negotiating', date: '2026-08-03' }, { from_stage: 'lead', unit_id: u1.id }),
      sc(pc, { to_stage: 'negotiating', date: '2026-08-07', note: '第二次洽谈' }, { from_stage: 'lead', unit_id: u2.id }),
      sc(pc, { to_stage: 'signed', date: '2026-08-20', contract_date: '2026-08-19', contract_value: 70_000_000 }, { from_stage: 'negotiating', unit_id: u2.id }),
      sc(pb, { to_stage: 'dropped', date: '2026-08-25', reason: '投资方撤资' }, { from_stage: 'negotiating', unit_id: u1.id }),
    ],
    afterCreate: async (c) => {
      // Maker-checker: admin entered the moves, another office user settles them.
      const office = await checker(server, admin);
      expectStatus(await office.post(`/api/v1/stage-changes/${c[1].id}/certify`, CONTRACT_SEEN), 200);
      expectStatus(await office.post(`/api/v1/stage-changes/${c[4].id}/reject`, { reason: '合同未盖章' }), 200);
      // The certification changed status/version: refresh what GET returns so later checks compare like with like.
      for (const i of [1, 4]) c[i] = expectStatus(await admin.get(`/api/v1/stage-changes/${c[i].id}`), 200);
    },
    sorts: ['date', 'to_stage'],
    filters: [
      { params: { status: 'certified' }, expect: [1] },
      { params: { status: 'rejected' }, expect: [4] },
      { params: { status: 'reported' }, expect: [0, 2, 3, 5] },
      { params: { unit_id: String(u2.id) }, expect: [3, 4] },
      { params: { unit_id: String(u1.id), status: 'reported' }, expect: [0, 2, 5] },
      { params: { to_stage: 'signed' }, expect: [1, 4] },
      { params: { from_stage: 'negotiating' }, expect: [1, 4, 5] },
      { params: { project_id: String(pb.id) }, expect: [2, 5] },
      { params: { date_from: '2026-08-05', date_to: '2026-08-20' }, expect: [0, 1, 3, 4] },
    ],
    patch: null,
    remove: null,
  });
  // Nested list: only that project's history, oldest first.
  const nested = expectStatus(await admin.get(`/api/v1/projects/${pa.id}/stage-changes`), 200);
  assert.equal(nested.total, 2);
  assert.deepEqual(ids(nested.items), [created[0].id, created[1].id]);
  // The projects followed their moves; pc's rejected signing sent it back to negotiating.
  const stageOf = (p) => sqlValue(server.db, `SELECT stage || ',' || contract_value FROM projects WHERE id = ${p.id}`);
  assert.equal(stageOf(pa), 'signed,30000000');
  assert.equal(stageOf(pb), 'dropped,0');
  assert.equal(sqlValue(server.db, `SELECT stage FROM projects WHERE id = ${pc.id}`), 'negotiating');
  // Still append-only after the refusals: six rows, none changed.
  assert.deepEqual(sql(server.db, `SELECT id, version, status FROM stage_changes WHERE campaign_id = ${camp.id} ORDER BY id`), [
    [String(created[0].id), '1', 'reported'], [String(created[1].id), '2', 'certified'], [String(created[2].id), '1', 'reported'],
    [String(created[3].id), '1', 'reported'], [String(created[4].id), '2', 'rejected'], [String(created[5].id), '1', 'reported'],
  ]);
  expectError(await admin.del(`/api/v1/stage-changes/${created[1].id}`), 405, 'method_not_allowed');
});

test('follow-ups: CRUD, participants link table, flat list by campaign/unit/date', async () => {
  const camp = await newCampaign(admin);
  const [u1, u2] = [await newUnit(admin), await newUnit(admin)];
  const t = tag('fu');
  const m1 = await create(admin, '/api/v1/users', { login: `${t}-1`, name: '甲', role: 'unit_staff', unit_id: u1.id, password: 'password-1' });
  const m2 = await create(admin, '/api/v1/users', { login: `${t}-2`, name: '乙', role: 'unit_head', unit_id: u1.id, password: 'password-2' });
  const [fa, fb] = [await newProject(admin, camp.id, u1.id), await newProject(admin, camp.id, u2.id)];
  const fu = (project, body, unit) => ({ path: `/api/v1/projects/${project.id}/follow-ups`, body, expect: { project_id: project.id, campaign_id: camp.id, unit_id: unit.id, created_by: admin.user.id } });
  const { created } = await exercise({
    name: 'follow-ups', table: 'follow_ups', listPath: '/api/v1/follow-ups', scope: { campaign_id: camp.id },
    entries: [
      fu(fa, { date: '2026-08-03', kind: 'outbound_visit', participant_user_ids: [m1.id, m2.id], summary: '赴深圳拜访总部', next_step: '邀请考察', next_date: '2026-08-10' }, u1),
      fu(fa, { date: '2026-08-15', kind: 'call', participant_user_ids: [m1.id], summary: '电话沟通用地' }, u1),
      fu(fb, { date: '2026-08-09', kind: 'investor_visit', participant_user_ids: [], summary: '客商来访', next_date: '2026-09-01' }, u2),
      fu(fb, { date: '2026-09-02', kind: 'meeting', participant_user_ids: [m2.id], summary: '专题会议' }, u2),
      fu(fa, { date: '2026-08-28', kind: 'fair', summary: '洽谈会接洽', outside_participants: '某集团李总' }, u1),
    ],
    sorts: ['date', 'next_date', 'kind'],
    filters: [
      { params: { unit_id: String(u2.id) }, expect: [2, 3] },
      { params: { kind: 'call' }, expect: [1] },
      { params: { date_from: '2026-08-09', date_to: '2026-08-28' }, expect: [1, 2, 4] },
      { params: { participant_user_ids: String(m2.id) }, expect: [0, 3] },
      { params: { project_id: String(fb.id) }, expect: [2, 3] },
      { params: { next_date_from: '2026-08-11' }, expect: [2] },
    ],
    patch: { index: 1, body: { summary: '电话确认签约时间', next_date: '2026-08-20', participant_user_ids: [m2.id] }, stale: { summary: 'x' } },
    remove: 0,
  });
  assert.deepEqual(created[4].participant_user_ids, []);
  // Link rows: f0's were removed with it, f1 now has only m2.
  assert.deepEqual(sql(server.db, `SELECT follow_up_id, user_id FROM follow_up_participants WHERE follow_up_id IN (${ids(created).join(',')}) ORDER BY 1, 2`), [
    [String(created[1].id), String(m2.id)], [String(created[3].id), String(m2.id)],
  ]);
  const nested = expectStatus(await admin.get(`/api/v1/projects/${fa.id}/follow-ups?sort=-date`), 200);
  assert.deepEqual(ids(nested.items), [created[4].id, created[1].id]);
  // Next step before the follow-up itself → 400 naming next_date.
  expectError(await admin.post(`/api/v1/projects/${fa.id}/follow-ups`, { date: '2026-08-10', kind: 'call', summary: 'x', next_date: '2026-08-09' }), 400, 'validation_failed', 'next_date');
  expectError(await admin.post(`/api/v1/projects/${fa.id}/follow-ups`, { date: '2026-08-10', kind: 'call' }), 400, 'validation_failed', 'summary');
});

test('funds: CRUD, certified/rejected records are settled (422), flat list by status', async () => {
  const camp = await newCampaign(admin);
  const [u1, u2] = [await newUnit(admin), await newUnit(admin)];
  const [pa, pb] = [await newProject(admin, camp.id, u1.id), await newProject(admin, camp.id, u2.id)];
  await advance(admin, pa.id, 'signed');
  await advance(admin, pb.id, 'signed');
  const fd = (project, body, unit) => ({ path: `/api/v1/projects/${project.id}/funds`, body, expect: { project_id: project.id, campaign_id: camp.id, unit_id: unit.id, status: 'reported' } });
  const { created } = await exercise({
    name: 'funds', table: 'funds', listPath: '/api/v1/funds', scope: { campaign_id: camp.id },
    entries: [
      fd(pa, { amount: 12_000_000, date: '2026-08-15', kind: 'out_of_province', voucher_no: 'V-001' }, u1),
      fd(pa, { amount: 3_500_000, date: '2026-09-01', kind: 'foreign' }, u1),
      fd(pb, { amount: 40_000_000, date: '2026-08-20', kind: 'out_of_city' }, u2),
      fd(pb, { amount: 800_000, date: TODAY, kind: 'policy', note: '省级专项' }, u2),
      fd(pa, { amount: 25_000_000, date: '2026-09-10', kind: 'out_of_city' }, u1),
    ],
    afterCreate: async (c) => {
      const office = await checker(server, admin);
      expectStatus(await office.post(`/api/v1/funds/${c[2].id}/certify`), 200);
      expectStatus(await office.post(`/api/v1/funds/${c[1].id}/reject`, { reason: '凭证不清晰' }), 200);
      for (const i of [1, 2]) c[i] = expectStatus(await admin.get(`/api/v1/funds/${c[i].id}`), 200);
    },
    sorts: ['amount', 'date', 'kind'],
    filters: [
      { params: { status: 'certified' }, expect: [2] },
      { params: { status: 'rejected' }, expect: [1] },
      { params: { status: 'reported' }, expect: [0, 3, 4] },
      { params: { unit_id: String(u2.id) }, expect: [2, 3] },
      { params: { kind: 'out_of_city' }, expect: [2, 4] },
      { params: { date_from: '2026-09-01' }, expect: [1, 3, 4] },
      { params: { project_id: String(pa.id), status: 'reported' }, expect: [0, 4] },
    ],
    patch: { index: 0, body: { amount: 12_500_000, voucher_no: 'V-001A' }, stale: { amount: 1 } },
    remove: 4,
  });
  // Settled records cannot be changed or deleted: 422 naming status, and the rows stay as they were.
  for (const i of [1, 2]) {
    const cur = expectStatus(await admin.get(`/api/v1/funds/${created[i].id}`), 200);
    expectError(await admin.patch(`/api/v1/funds/${cur.id}`, { version: cur.version, amount: 1 }), 422, 'rule_violation', 'status');
    expectError(await admin.del(`/api/v1/funds/${cur.id}?version=${cur.version}`), 422, 'rule_violation', 'status');
    assert.deepEqual(expectStatus(await admin.get(`/api/v1/funds/${cur.id}`), 200), cur);
  }
  assert.deepEqual(sql(server.db, `SELECT amount, status FROM funds WHERE id IN (${created[1].id}, ${created[2].id}) ORDER BY id`), [['3500000', 'rejected'], ['40000000', 'certified']]);
  // Money arrives only on signed projects, in the past, in positive integer yuan.
  const lead = await newProject(admin, camp.id, u1.id);
  expectError(await admin.post(`/api/v1/projects/${lead.id}/funds`, { amount: 1000, date: '2026-09-01', kind: 'foreign' }), 422, 'rule_violation', 'project_id');
  expectError(await admin.post(`/api/v1/projects/${pa.id}/funds`, { amount: 1000, date: '2026-10-01', kind: 'foreign' }), 422, 'rule_violation', 'date');
  expectError(await admin.post(`/api/v1/projects/${pa.id}/funds`, { amount: 0, date: '2026-09-01', kind: 'foreign' }), 400, 'validation_failed', 'amount');
  expectError(await admin.post(`/api/v1/projects/${pa.id}/funds`, { amount: 10.5, date: '2026-09-01', kind: 'foreign' }), 400, 'validation_failed', 'amount');
  // Certified sum per campaign, independently: only the 40,000,000 certified.
  assert.equal(sqlValue(server.db, `SELECT SUM(amount) FROM funds WHERE campaign_id = ${camp.id} AND status = 'certified'`), '40000000');
});

test('attachments: list, get, sort, filter; no PATCH; DELETE', async () => {
  const camp = await newCampaign(admin);
  const unit = await newUnit(admin);
  const [p1, p2] = [await newProject(admin, camp.id, unit.id), await newProject(admin, camp.id, unit.id)];
  const pdf2 = Buffer.concat([PDF, Buffer.from('% voucher\n')]);
  const pdf3 = Buffer.concat([PDF, Buffer.from('% scan, page two of the contract\n')]);
  const sha = (b) => createHash('sha256').update(b).digest('hex');
  const at = (project, filename, type, bytes) => ({ project, bytes, type, body: {}, expect: { project_id: project.id, filename, content_type: type, size: bytes.length, sha256: sha(bytes), stage_change_id: null, fund_id: null } });
  const entries = [
    at(p1, '合同.pdf', 'application/pdf', PDF),
    at(p1, 'site.png', 'image/png', PNG),
    at(p2, '凭证.pdf', 'application/pdf', pdf2),
    at(p1, 'b-scan.pdf', 'application/pdf', pdf3),
  ];
  const { created } = await exercise({
    name: 'attachments', table: 'attachments', listPath: '/api/v1/attachments', scope: {},
    make: async (e) => {
      const r = await upload(admin, e.project.id, e.expect.filename, e.type, e.bytes);
      const rec = expectStatus(r, 201, 'upload');
      return rec;
    },
    entries,
    sorts: ['filename', 'size'],
    filters: [
      { params: { content_type: 'application/pdf' }, expect: [0, 2, 3] },
      { params: { sha256: sha(PNG) }, expect: [1] },
      { params: { project_id: String(p2.id) }, expect: [2] },
    ],
    patch: null,
    remove: 3,
  });
  const nested = expectStatus(await admin.get(`/api/v1/projects/${p1.id}/attachments`), 200);
  assert.deepEqual(ids(nested.items), [created[0].id, created[1].id]);
  assert.equal(nested.total, 2);
  // Content of a deleted attachment is gone too (404); the remaining ones are served.
  expectStatus(await admin.get(`/api/v1/attachments/${created[3].id}/content`), 404);
  const got = await admin.get(`/api/v1/attachments/${created[1].id}/content`);
  expectStatus(got, 200);
  assert.ok(got.raw.equals(PNG));
});

test('teams: CRUD with members, leader from the same unit, filter by member', async () => {
  const camp = await newCampaign(admin);
  const [u1, u2] = [await newUnit(admin), await newUnit(admin)];
  const t = tag('team');
  const mk = (n, unit) => create(admin, '/api/v1/users', { login: `${t}-${n}`, name: `队员${n}`, role: 'unit_staff', unit_id: unit.id, password: 'password-x' });
  const [m1, m2, m3, x1] = [await mk(1, u1), await mk(2, u1), await mk(3, u1), await mk(4, u2)];
  const { created } = await exercise({
    name: 'teams', table: 'teams', createPath: '/api/v1/teams', listPath: '/api/v1/teams', scope: { campaign_id: camp.id },
    entries: [
      { body: { campaign_id: camp.id, unit_id: u1.id, name: '招商一组', leader_user_id: m1.id, member_user_ids: [m1.id, m2.id] } },
      { body: { campaign_id: camp.id, unit_id: u1.id, name: '招商二组', member_user_ids: [m3.id] }, expect: { leader_user_id: null } },
      { body: { campaign_id: camp.id, unit_id: u2.id, name: '联络组', member_user_ids: [] } },
      { body: { campaign_id: camp.id, unit_id: u1.id, name: 'A 小分队', member_user_ids: [m2.id, m3.id] } },
    ],
    sorts: ['name', 'unit_id'],
    filters: [
      { params: { unit_id: String(u2.id) }, expect: [2] },
      { params: { member_user_ids: String(m2.id) }, expect: [0, 3] },
      { params: { member_user_ids: String(x1.id) }, expect: [] },
    ],
    patch: { index: 1, body: { name: '招商二组（调整）', member_user_ids: [m1.id, m3.id] }, stale: { member_user_ids: [] } },
    remove: 2,
  });
  assert.deepEqual(sql(server.db, `SELECT team_id, user_id FROM team_members WHERE team_id IN (${ids(created).join(',')}) ORDER BY 1, 2`), [
    [String(created[0].id), String(m1.id)], [String(created[0].id), String(m2.id)],
    [String(created[1].id), String(m1.id)], [String(created[1].id), String(m3.id)],
    [String(created[3].id), String(m2.id)], [String(created[3].id), String(m3.id)],
  ]);
  // A leader from another unit is refused naming leader_user_id.
  expectError(await admin.post('/api/v1/teams', { campaign_id: camp.id, unit_id: u1.id, name: 'x', leader_user_id: x1.id }), 400, 'validation_failed', 'leader_user_id');
  expectError(await admin.post('/api/v1/teams', { campaign_id: camp.id, unit_id: u1.id, name: 'x', member_user_ids: [m1.id, m1.id] }), 400, 'validation_failed', 'member_user_ids');
});

test('list parameters: limit and offset bounds, malformed filter values', async () => {
  expectError(await admin.get('/api/v1/units?limit=0'), 400, 'validation_failed', 'limit');
  expectError(await admin.get('/api/v1/units?limit=501'), 400, 'validation_failed', 'limit');
  expectError(await admin.get('/api/v1/units?limit=abc'), 400, 'validation_failed', 'limit');
  expectError(await admin.get('/api/v1/units?offset=-1'), 400, 'validation_failed', 'offset');
  expectError(await admin.get('/api/v1/campaigns?start_date_from=2026-13-01'), 400, 'validation_failed', 'start_date_from');
  expectError(await admin.get('/api/v1/units?category=bank'), 400, 'validation_failed', 'category');
  // A _from/_to suffix works on dates only.
  expectError(await admin.get('/api/v1/campaigns?year_from=2020'), 400, 'validation_failed', 'year_from');
  const units = Number(sqlValue(server.db, 'SELECT COUNT(*) FROM units'));
  const page = expectStatus(await admin.get('/api/v1/units?limit=500'), 200);
  assert.equal(page.total, units);
  assert.equal(page.items.length, Math.min(units, 500));
  // sort=id and sort=-id: by id, both ways.
  const byId = ids(expectStatus(await admin.get('/api/v1/units?sort=id&limit=500'), 200).items);
  const byIdDesc = ids(expectStatus(await admin.get('/api/v1/units?sort=-id&limit=500'), 200).items);
  assert.deepEqual(byId, sql(server.db, 'SELECT id FROM units ORDER BY id').map((r) => Number(r[0])));
  assert.deepEqual(byIdDesc, [...byId].reverse());
  expectError(await admin.get('/api/v1/no-such-collection'), 404, 'not_found');
  expectError(await admin.get('/api/v1/units/999999'), 404, 'not_found');
  // Nested under the wrong parent.
  expectError(await admin.get('/api/v1/units/1/checkpoints'), 404, 'not_found');
});
