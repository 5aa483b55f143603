// Crash safety (R-SEC-3, docs/operations.md "Crash safety"): rounds of a writer load
// against `huizhan serve`, the server killed with SIGKILL at a random moment, restarted,
// and then every write it had acknowledged must be in the database (raw SQL through the
// sqlite3 CLI), PRAGMA integrity_check must say ok, and `huizhan audit verify` and
// `huizhan check` must be clean. CRASH_ROUNDS rounds (10 in make test, 50 in make crash);
// the counts are printed at the end.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { run, serveDb, tempDir, ADMIN_PASSWORD } from './lib.mjs';
import { sql } from './fixtures.mjs';
import { adminToken, startWriters } from './writer_load.mjs';

const ROUNDS = Number(process.env.CRASH_ROUNDS || 10);
const WRITERS = 4;
const dir = tempDir();
const db = join(dir, 'huizhan.db');
after(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test(`kill -9 at a random moment, ${ROUNDS} rounds: no acknowledged write lost, the database intact`, async () => {
  assert.equal((await run(['init', '--db', db, '--admin-password', ADMIN_PASSWORD])).code, 0);
  const token = await adminToken(db);
  const count = { rounds: 0, acknowledged: 0, lost: 0, inFlight: 0, inFlightKept: 0, failedAnswers: 0 };
  const allAcked = [];
  const delays = [];
  let server = await serveDb(db);
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const load = startWriters(server.url, token, WRITERS, `crash${round}`);
      // Once writes are being answered (on a loaded machine the first may take a while),
      // the load runs 100-700 ms more before the kill: mid-transaction, mid-commit or between.
      for (let waited = 0; load.acked.length === 0 && waited < 10000; waited += 5) await sleep(5);
      const delay = 100 + Math.floor(Math.random() * 600);
      delays.push(delay);
      await sleep(delay);
      server.proc.kill('SIGKILL');
      const exit = await server.exited;
      assert.equal(exit.signal, 'SIGKILL', `round ${round}: the server was still running when killed`);
      await load.done;
      assert.ok(load.acked.length > 0, `round ${round}: no write was acknowledged in 10 s`);
      count.failedAnswers += load.failures.length;
      assert.deepEqual(load.failures, [], `round ${round}: only 201 answers before the kill`);

      // Restarted on the file as the kill left it (its WAL included).
      server = await serveDb(db);
      const present = new Set(sql(db, `SELECT name FROM units WHERE name LIKE 'crash${round}-%'`).map((r) => r[0]));
      const lost = load.acked.filter((n) => !present.has(n));
      const inFlight = load.sent.filter((n) => !load.acked.includes(n));
      count.rounds++;
      count.acknowledged += load.acked.length;
      count.lost += lost.length;
      count.inFlight += inFlight.length;
      count.inFlightKept += inFlight.filter((n) => present.has(n)).length;
      assert.deepEqual(lost, [], `round ${round} (killed after ${delay} ms): acknowledged writes missing`);
      // Nothing but what was sent (a write either happened whole or not at all).
      assert.ok([...present].every((n) => load.sent.includes(n)), `round ${round}: a unit nobody sent`);
      allAcked.push(...load.acked);

      assert.deepEqual(sql(db, 'PRAGMA integrity_check'), [['ok']], `round ${round}: integrity_check`);
      const verify = await run(['audit', 'verify', '--db', db]);
      assert.equal(verify.code, 0, `round ${round}: audit verify: ${verify.stderr}`);
      const check = await run(['check', '--db', db]);
      assert.equal(check.code, 0, `round ${round}: check: ${check.stderr}`);
      // One audit entry per unit, no more, no fewer: no write half-made.
      assert.equal(Number(sql(db, "SELECT count(*) FROM audit_log WHERE entity = 'units' AND action = 'create'")[0][0]),
        Number(sql(db, 'SELECT count(*) FROM units')[0][0]), `round ${round}: units and their audit entries`);
    }
    // Every round's acknowledged writes are still there at the end.
    const all = new Set(sql(db, "SELECT name FROM units WHERE name LIKE 'crash%'").map((r) => r[0]));
    assert.deepEqual(allAcked.filter((n) => !all.has(n)), []);
    assert.equal((await server.stop()).code, 0);
  } finally {
    if (server.proc.exitCode === null && server.proc.signalCode === null) server.proc.kill('SIGKILL');
    console.log(`crash: rounds=${count.rounds} acknowledged=${count.acknowledged} lost=${count.lost}`
      + ` in_flight=${count.inFlight} (kept ${count.inFlightKept}, not kept ${count.inFlight - count.inFlightKept})`
      + ` failed_answers=${count.failedAnswers} kill_after_ms=[${delays.join(',')}]`);
  }
});
