// The bell's read state on the server (migration 0010): POST /api/v1/notifications/seen
// {up_to} moves the user's mark forward, never back; GET /api/v1/me tells it as
// notifications_seen; each user has their own; bad input names up_to.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib.mjs';
import { sql, expectStatus, expectError } from './fixtures.mjs';

let server, office, leader;
before(async () => {
  server = await startServer({ demo: true });
  office = await server.login('office');
  leader = await server.login('leader');
});
after(async () => { await server.stop(); });

const maxId = () => Number(sql(server.db, 'SELECT max(id) FROM notifications')[0][0]);
const stored = (login) => sql(server.db, `SELECT r.last_seen_id FROM notification_reads r JOIN users u ON u.id = r.user_id WHERE u.login = '${login}'`).map((r) => Number(r[0]));

test('the mark moves forward only, per user, and /me reports it', async () => {
  const top = maxId();
  assert.ok(top > 5, 'the demo has notifications');
  assert.equal(expectStatus(await office.get('/api/v1/me'), 200).notifications_seen, 0);
  assert.deepEqual(stored('office'), []);

  assert.deepEqual(expectStatus(await office.post('/api/v1/notifications/seen', { up_to: top - 3 }), 200), { up_to: top - 3 });
  assert.deepEqual(stored('office'), [top - 3]);
  assert.equal(expectStatus(await office.get('/api/v1/me'), 200).notifications_seen, top - 3);
  // Seeing an older one (another tab, a stale list) does not move it back.
  assert.deepEqual(expectStatus(await office.post('/api/v1/notifications/seen', { up_to: 2 }), 200), { up_to: top - 3 });
  assert.deepEqual(stored('office'), [top - 3]);
  assert.deepEqual(expectStatus(await office.post('/api/v1/notifications/seen', { up_to: top }), 200), { up_to: top });
  assert.equal(expectStatus(await office.get('/api/v1/me'), 200).notifications_seen, top);
  // The leader's mark is their own.
  assert.equal(expectStatus(await leader.get('/api/v1/me'), 200).notifications_seen, 0);
  assert.deepEqual(stored('leader'), []);
});

test('bad input names up_to; without a session it is 401', async () => {
  const before = sql(server.db, 'SELECT count(*) FROM notification_reads')[0][0];
  expectError(await leader.post('/api/v1/notifications/seen', {}), 400, 'validation_failed', 'up_to');
  expectError(await leader.post('/api/v1/notifications/seen', { up_to: -1 }), 400, 'validation_failed', 'up_to');
  expectError(await leader.post('/api/v1/notifications/seen', { up_to: '7' }), 400, 'validation_failed', 'up_to');
  expectError(await leader.post('/api/v1/notifications/seen', { up_to: 1.5 }), 400, 'validation_failed', 'up_to');
  const err = expectError(await leader.post('/api/v1/notifications/seen', { up_to: maxId() + 1 }), 400, 'validation_failed', 'up_to');
  assert.match(err.message, new RegExp(String(maxId() + 1)));
  expectError(await leader.post('/api/v1/notifications/seen', { up_to: 1, extra: 1 }), 400, 'validation_failed', 'extra');
  assert.equal(sql(server.db, 'SELECT count(*) FROM notification_reads')[0][0], before, 'nothing stored');
  const anon = await fetch(server.url + '/api/v1/notifications/seen', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"up_to":1}' });
  assert.equal(anon.status, 401);
});
