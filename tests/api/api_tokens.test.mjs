// API tokens over HTTP (the admin's page): POST /api/v1/api-tokens shows the token once,
// it works as a Bearer token for its user, the list never holds it, DELETE revokes it
// (then 401), every change is audited, bad input names the field, and only the
// administrator may do any of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from './lib.mjs';
import { sql, expectStatus, expectError } from './fixtures.mjs';

let server, admin, office;
before(async () => {
  server = await startServer({ demo: true });
  admin = await server.login('admin');
  office = await server.login('office');
});
after(async () => { await server.stop(); });

test('create shows the token once; it works as Bearer; revoke ends it; all audited', async () => {
  const made = expectStatus(await admin.post('/api/v1/api-tokens', { login: 'office', name: '数据同步脚本' }), 201);
  assert.equal(made.login, 'office');
  assert.equal(made.name, '数据同步脚本');
  assert.match(made.token, /^[A-Za-z0-9_-]{30,}$/);
  // Stored as a hash only: the clear token is nowhere in the database.
  const [row] = sql(server.db, `SELECT t.name, u.login, t.revoked, t.token_hash != '${made.token}' FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ${made.id}`);
  assert.deepEqual(row, ['数据同步脚本', 'office', '0', '1']);

  const bot = new Client(server.url, { bearer: made.token });
  const me = expectStatus(await bot.get('/api/v1/me'), 200);
  assert.equal(me.login, 'office');

  const list = expectStatus(await admin.get('/api/v1/api-tokens'), 200);
  const mine = list.items.find((t) => t.id === made.id);
  assert.deepEqual(mine, { id: made.id, name: '数据同步脚本', login: 'office', created_at: mine.created_at, revoked: false });
  assert.equal(list.total, Number(sql(server.db, 'SELECT count(*) FROM api_tokens')[0][0]));
  assert.ok(!JSON.stringify(list).includes(made.token), 'the list never shows a token');

  const del = await admin.del(`/api/v1/api-tokens/${made.id}`);
  assert.equal(del.status, 204);
  expectError(await bot.get('/api/v1/me'), 401, 'unauthorized');
  assert.equal(sql(server.db, `SELECT revoked FROM api_tokens WHERE id = ${made.id}`)[0][0], '1');
  // Revoking twice is a conflict; an unknown id is 404.
  expectError(await admin.del(`/api/v1/api-tokens/${made.id}`), 409, 'conflict');
  expectError(await admin.del('/api/v1/api-tokens/999999'), 404, 'not_found');
  const audit = sql(server.db, `SELECT a.action FROM audit_log a WHERE a.entity = 'api_tokens' AND a.entity_id = ${made.id} ORDER BY a.id`);
  assert.deepEqual(audit.map((r) => r[0]), ['token_create', 'token_revoke']);
});

test('bad input names the field; only the administrator may list, create or revoke', async () => {
  expectError(await admin.post('/api/v1/api-tokens', { name: 'x' }), 400, 'validation_failed', 'login');
  expectError(await admin.post('/api/v1/api-tokens', { login: 'office', name: '' }), 400, 'validation_failed', 'name');
  const err = expectError(await admin.post('/api/v1/api-tokens', { login: 'nobody.here', name: 'x' }), 400, 'validation_failed', 'login');
  assert.match(err.fields.login, /不存在/);
  assert.match(err.message, /nobody\.here/);
  const before = Number(sql(server.db, 'SELECT count(*) FROM api_tokens')[0][0]);
  expectError(await office.get('/api/v1/api-tokens'), 403, 'forbidden');
  expectError(await office.post('/api/v1/api-tokens', { login: 'office', name: 'x' }), 403, 'forbidden');
  const made = expectStatus(await admin.post('/api/v1/api-tokens', { login: 'leader', name: '大屏' }), 201);
  expectError(await office.del(`/api/v1/api-tokens/${made.id}`), 403, 'forbidden');
  assert.equal(Number(sql(server.db, 'SELECT count(*) FROM api_tokens')[0][0]), before + 1);
  // The capabilities say the same.
  assert.deepEqual((await admin.get('/api/v1/me')).body.capabilities['api-tokens'], ['create', 'delete', 'read']);
  assert.deepEqual((await office.get('/api/v1/me')).body.capabilities['api-tokens'], []);
});
