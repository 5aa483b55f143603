// A writer load for the durability tests (crash.test.mjs, backup.test.mjs): n clients
// creating units with unique names through the API, recording which writes the server
// acknowledged (201) and in what order, so a test can ask which of them a database holds.
import { run } from './lib.mjs';
import { Client } from './lib.mjs';

/** An API token for login (huizhan token create): no password hashing per round. */
export async function adminToken(db) {
  const r = await run(['token', 'create', '--db', db, '--login', 'admin', '--name', 'writer-load']);
  if (r.code !== 0) throw new Error(`token create failed: ${r.stderr}`);
  return r.stdout.trim();
}

/**
 * Starts n writers against url with the bearer token; each creates units named
 * `${prefix}-${writer}-${i}` one after the other until stop() or until the server stops
 * answering (a refused or cut connection ends that writer). Returns
 * {acked: names acknowledged in order, sent: names sent, failures: non-201 answers,
 *  stop(): resolves when every writer has ended, done: the same without asking them to stop}.
 */
export function startWriters(url, token, n, prefix) {
  const client = new Client(url, { bearer: token });
  const acked = [], sent = [], failures = [];
  let stopping = false;
  async function writer(w) {
    for (let i = 0; !stopping; i++) {
      const name = `${prefix}-${w}-${i}`;
      sent.push(name);
      let r;
      try {
        r = await client.post('/api/v1/units', { name, category: 'industry' });
      } catch {
        return; // the server is gone: this write is in flight, not acknowledged
      }
      if (r.status === 201) acked.push(name);
      else failures.push({ name, status: r.status, body: r.body });
    }
  }
  const done = Promise.all(Array.from({ length: n }, (_, w) => writer(w)));
  return {
    acked, sent, failures, done,
    stop() { stopping = true; return done; },
  };
}
