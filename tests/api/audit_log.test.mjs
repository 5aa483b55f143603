// The audit log (R-SEC-4): every create, update and delete made through the API leaves
// one entry with before/after, chained by hash; `huizhan audit verify` accepts the intact
// log and names the first broken entry after the database was tampered with by hand.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { run, startServer } from './lib.mjs';
import { TODAY, sql, sqlValue, expectStatus, expectError, create, tag, newCampaign, newUnit, newProject, advance, checker, CONTRACT_SEEN } from './fixtures.mjs';

let server;
let admin;
const count = () => Number(sqlValue(server.db, 'SELECT COUNT(*) FROM audit_log'));
const entries = async (params) => expectStatus(await admin.get(`/api/v1/audit?${new URLSearchParams(params)}`), 200);

before(async () => {
  server = await startServer({ env: { HUIZHAN_TODAY: TODAY } });
  admin = await server.admin();
});
// A clean stop (exit 0) also means no leak reports under ASan/LSan.
after(async () => {
  const exit = await server.stop();
  assert.deepEqual(exit, { code: 0, signal: null }, server.log());
});

test('each create, update and delete adds exactly one entry with before and after', async () => {
  const n0 = count();
  const name = tag('审计单位');
  const u = await create(admin, '/api/v1/units', { name, category: 'services' });
  assert.equal(count(), n0 + 1);
  let log = (await entries({ entity: 'units', entity_id: u.id })).items;
  assert.equal(log.length, 1);
  assert.deepEqual([log[0].action, log[0].entity, log[0].entity_id, log[0].user_id, log[0].before], ['create', 'units', u.id, admin.user.id, null]);
  assert.deepEqual(log[0].after, u);
  assert.match(log[0].at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.match(log[0].hash, /^[0-9a-f]{64}$/);

  const p1 = expectStatus(await admin.patch(`/api/v1/units/${u.id}`, { version: 1, phone: '0571-1111' }), 200);
  assert.equal(count(), n0 + 2);
  // Refused writes leave no trace: a stale version, a bad field, an unknown record.
  expectStatus(await admin.patch(`/api/v1/units/${u.id}`, { version: 1, phone: 'x' }), 409);
  expectStatus(await admin.patch(`/api/v1/units/${u.id}`, { version: 2, category: 'bank' }), 400);
  expectStatus(await admin.post('/api/v1/units', { name, category: 'services' }), 409);
  expectStatus(await admin.del('/api/v1/units/999999'), 404);
  assert.equal(count(), n0 + 2);

  expectStatus(await admin.del(`/api/v1/units/${u.id}?version=${expectStatus(await admin.get(`/api/v1/units/${u.id}`), 200).version}`), 204);
  assert.equal(count(), n0 + 3);
  log = (await entries({ entity: 'units', entity_id: u.id })).items;
  assert.deepEqual(log.map((x) => x.action), ['delete', 'update', 'create']);
  assert.equal(log[1].before.phone, null);
  assert.equal(log[1].after.phone, '0571-1111');
  assert.deepEqual(log[1].after, p1);
  assert.deepEqual(log[0].before, p1);
  assert.equal(log[0].after, null);
  // The API's view agrees with the table, and each entry links to the one before it.
  for (const e of log) {
    assert.deepEqual(sql(server.db, `SELECT action, hash FROM audit_log WHERE id = ${e.id}`), [[e.action, e.hash]]);
    assert.equal(sqlValue(server.db, `SELECT prev_hash FROM audit_log WHERE id = ${e.id}`), sqlValue(server.db, `SELECT hash FROM audit_log WHERE id = ${e.id - 1}`));
  }
  const ordered = sql(server.db, 'SELECT id FROM audit_log ORDER BY id').map((r) => Number(r[0]));
  assert.deepEqual(ordered, Array.from({ length: ordered.length }, (_, i) => i + 1), 'ids without gaps');
});

test('a project\'s history: create, edit, moves and certification, newest first', async () => {
  const camp = await newCampaign(admin);
  const unit = await newUnit(admin);
  const p = await newProject(admin, camp.id, unit.id, { planned_investment: 10_000_000 });
  expectStatus(await admin.patch(`/api/v1/projects/${p.id}`, { version: 1, planned_investment: 12_000_000 }), 200);
  const [, signed] = await advance(admin, p.id, 'signed');
  const office = await checker(server, admin);
  expectStatus(await office.post(`/api/v1/stage-changes/${signed.id}/certify`, CONTRACT_SEEN), 200);
  const log = (await entries({ entity: 'projects', entity_id: p.id })).items;
  assert.deepEqual(log.map((x) => x.action), ['update', 'update', 'update', 'create']);
  assert.deepEqual([log[2].before.planned_investment, log[2].after.planned_investment], [10_000_000, 12_000_000]);
  assert.deepEqual([log[0].before.stage, log[0].after.stage, log[0].after.contract_value], ['negotiating', 'signed', 50_000_000]);
  const sc = (await entries({ entity: 'stage-changes', entity_id: signed.id })).items;
  assert.deepEqual(sc.map((x) => [x.action, x.after.status]), [['certify', 'certified'], ['create', 'reported']]);
  // Filters and paging of the log itself.
  const all = await entries({ entity: 'projects', entity_id: p.id, limit: '2', offset: '1' });
  assert.equal(all.total, 4);
  assert.deepEqual([all.limit, all.offset], [2, 1]);
  assert.deepEqual(all.items.map((x) => x.id), [log[1].id, log[2].id]);
  const certs = await entries({ action: 'certify' });
  assert.equal(certs.total, Number(sqlValue(server.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'certify'")));
  assert.ok(certs.items.some((x) => x.entity_id === signed.id));
  const mine = await entries({ user_id: String(admin.user.id), limit: '1' });
  assert.equal(mine.total, Number(sqlValue(server.db, `SELECT COUNT(*) FROM audit_log WHERE user_id = ${admin.user.id}`)));
  assert.equal(mine.items[0].id, Number(sqlValue(server.db, `SELECT MAX(id) FROM audit_log WHERE user_id = ${admin.user.id}`)), 'newest first');
  expectError(await admin.get('/api/v1/audit?entity_id=abc'), 400, 'validation_failed', 'entity_id');
  expectError(await admin.get('/api/v1/audit?colour=red'), 400, 'validation_failed', 'colour');
  expectError(await admin.get('/api/v1/audit?limit=0'), 400, 'validation_failed', 'limit');
  // Oldest first on request, and by day (UTC; every entry of this server is dated today).
  const oldest = await entries({ entity: 'projects', entity_id: p.id, sort: 'id' });
  assert.deepEqual(oldest.items.map((x) => x.id), log.map((x) => x.id).reverse());
  const today = sqlValue(server.db, `SELECT substr(at, 1, 10) FROM audit_log WHERE id = ${log[0].id}`);
  assert.equal((await entries({ entity: 'projects', entity_id: p.id, at_from: today, at_to: today })).total, 4);
  assert.equal((await entries({ entity: 'projects', entity_id: p.id, at_to: '2000-01-01' })).total, 0);
  expectError(await admin.get('/api/v1/audit?sort=at'), 400, 'validation_failed', 'sort');
  expectError(await admin.get('/api/v1/audit?at_from=2026-02-30'), 400, 'validation_failed', 'at_from');
  // One entry on its own, as listed.
  assert.deepEqual(expectStatus(await admin.get(`/api/v1/audit/${log[2].id}`), 200), log[2]);
  expectError(await admin.get('/api/v1/audit/99999999'), 404, 'not_found');
  // Only the office and admin read the log.
  const login = tag('staff');
  await create(admin, '/api/v1/users', { login, name: login, role: 'unit_staff', unit_id: unit.id, password: 'staff-pass-1' });
  const staff = await server.login(login, 'staff-pass-1');
  expectError(await staff.get('/api/v1/audit'), 403, 'forbidden');
  expectError(await staff.get(`/api/v1/audit/${log[2].id}`), 403, 'forbidden');
});

/** A consistent copy of the live database (the server keeps running on the original). */
function snapshot(name) {
  const copy = join(server.dir, `${name}.db`);
  sql(server.db, `VACUUM INTO '${copy}'`);
  return copy;
}
const verify = (db) => run(['audit', 'verify', '--db', db]);
const dropTriggers = 'DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;';

test('audit verify: ok on the live log, and the log refuses edits while its triggers stand', async () => {
  const live = await verify(server.db);
  assert.equal(live.code, 0, live.stderr);
  assert.equal(live.stdout.trim(), 'ok');
  const copy = snapshot('guarded');
  // Without dropping the triggers, UPDATE and DELETE are refused by SQLite itself.
  assert.throws(() => sql(copy, "UPDATE audit_log SET after = '{}' WHERE id = 2"), /append-only/);
  assert.throws(() => sql(copy, 'DELETE FROM audit_log WHERE id = 2'), /append-only/);
  const v = await verify(copy);
  assert.equal(v.code, 0, v.stderr);
  assert.equal(v.stdout.trim(), 'ok');
});

test('audit verify: an edited entry, a deleted middle, first or last entry are each named', async () => {
  // Make sure there are enough entries, then find a unit's create entry to forge.
  const name = tag('原名');
  const u = await create(admin, '/api/v1/units', { name, category: 'industry' });
  await create(admin, '/api/v1/units', { name: tag('后续'), category: 'industry' });
  const entry = (await entries({ entity: 'units', entity_id: u.id })).items[0];
  const last = count();
  assert.ok(entry.id > 2 && entry.id < last, `entry ${entry.id} in the middle of ${last}`);

  const cases = [
    ['after text rewritten', entry.id, `UPDATE audit_log SET after = replace(after, '${name}', '伪造单位') WHERE id = ${entry.id}`],
    ['user changed', entry.id, `UPDATE audit_log SET user_id = 99 WHERE id = ${entry.id}`],
    ['middle entry deleted', entry.id, `DELETE FROM audit_log WHERE id = ${entry.id}`],
    ['first entry deleted', 1, 'DELETE FROM audit_log WHERE id = 1'],
    ['last entry deleted', last, `DELETE FROM audit_log WHERE id = ${last}`],
  ];
  for (const [what, broken, tamper] of cases) {
    const copy = snapshot(what.replaceAll(' ', '-'));
    sql(copy, dropTriggers + tamper);
    assert.equal(sqlValue(copy, 'SELECT COUNT(*) FROM sqlite_master WHERE type = \'trigger\' AND tbl_name = \'audit_log\''), '0');
    if (what === 'after text rewritten') assert.match(sqlValue(copy, `SELECT after FROM audit_log WHERE id = ${entry.id}`), /伪造单位/);
    const v = await verify(copy);
    assert.notEqual(v.code, 0, `${what}: verify should fail`);
    assert.doesNotMatch(v.stdout, /^ok$/m, what);
    assert.match(v.stdout + v.stderr, new RegExp(`entry ${broken}\\b`), `${what}: names entry ${broken}: ${v.stderr}`);
  }
  // The live log was never touched.
  const live = await verify(server.db);
  assert.equal(live.code, 0, live.stderr);
});

test('audit verify on a database that does not exist fails', async () => {
  const v = await verify(join(server.dir, 'missing.db'));
  assert.notEqual(v.code, 0);
  assert.doesNotMatch(v.stdout, /^ok$/m);
});
