// Behind a proxy and over TLS (issue 14): X-Forwarded-For counts for the login limits and
// the login record only when the request comes from an address named by --trust-proxy;
// --tls-cert/--tls-key serve HTTPS (a self-signed certificate made here with openssl),
// with HSTS on every answer.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import https from 'node:https';
import { startServer, run, tempDir, BIN, ADMIN_PASSWORD } from './lib.mjs';
import { sql } from './fixture_units.mjs';

const cleanup = [];
after(async () => { for (const f of cleanup.reverse()) await f(); });

async function loginFrom(url, login, password, xff) {
  const headers = { 'Content-Type': 'application/json' };
  if (xff) headers['X-Forwarded-For'] = xff;
  const r = await fetch(`${url}/api/v1/session`, { method: 'POST', headers, body: JSON.stringify({ login, password }) });
  return r.status;
}

test('without --trust-proxy, X-Forwarded-For is ignored: the peer address counts and is recorded', async () => {
  const srv = await startServer();
  cleanup.push(() => srv.stop());
  assert.equal(await loginFrom(srv.url, 'admin', 'wrong-pass-1', '203.0.113.7'), 401);
  assert.equal(await sql(srv.db, 'SELECT address FROM login_events ORDER BY id DESC LIMIT 1'), '127.0.0.1');
  // Five failures "from" five forged addresses are five failures from 127.0.0.1: the login is held back.
  for (let i = 2; i <= 5; i++) assert.equal(await loginFrom(srv.url, 'admin', `wrong-pass-${i}`, `198.51.100.${i}`), 401);
  assert.equal(await loginFrom(srv.url, 'admin', ADMIN_PASSWORD, '198.51.100.99'), 429);
});

test('with --trust-proxy 127.0.0.1, the client named by the proxy counts and is recorded', async () => {
  const srv = await startServer({ args: ['--trust-proxy', '10.9.8.7,127.0.0.1'] });
  cleanup.push(() => srv.stop());
  assert.equal(await loginFrom(srv.url, 'admin', 'wrong-pass-1', '203.0.113.7'), 401);
  assert.equal(await sql(srv.db, 'SELECT address FROM login_events ORDER BY id DESC LIMIT 1'), '203.0.113.7');
  // A chain: the client forged the first entry; the proxy appended the real one, read from the right.
  assert.equal(await loginFrom(srv.url, 'admin', 'wrong-pass-2', '1.2.3.4, 203.0.113.8'), 401);
  assert.equal(await sql(srv.db, 'SELECT address FROM login_events ORDER BY id DESC LIMIT 1'), '203.0.113.8');
  // A trusted proxy in the chain is skipped.
  assert.equal(await loginFrom(srv.url, 'admin', 'wrong-pass-3', '203.0.113.9, 10.9.8.7'), 401);
  assert.equal(await sql(srv.db, 'SELECT address FROM login_events ORDER BY id DESC LIMIT 1'), '203.0.113.9');
  // Garbage is not an address: the proxy's own stays.
  assert.equal(await loginFrom(srv.url, 'admin', 'wrong-pass-4', 'not-an-address'), 401);
  assert.equal(await sql(srv.db, 'SELECT address FROM login_events ORDER BY id DESC LIMIT 1'), '127.0.0.1');
  // The limits are per client: five failures from one client hold that client back only.
  for (let i = 0; i < 5; i++) assert.equal(await loginFrom(srv.url, 'admin', `bad-${i}-pass`, '192.0.2.50'), 401);
  assert.equal(await loginFrom(srv.url, 'admin', ADMIN_PASSWORD, '192.0.2.50'), 429);
  assert.equal(await loginFrom(srv.url, 'admin', ADMIN_PASSWORD, '192.0.2.51'), 200);
  assert.equal(await sql(srv.db, "SELECT address FROM login_events WHERE outcome = 'ok' ORDER BY id DESC LIMIT 1"), '192.0.2.51');
});

test('--trust-proxy refuses what is not an address, naming the option', async () => {
  const dir = tempDir();
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'h.db');
  assert.equal((await run(['init', '--db', db, '--admin-password', ADMIN_PASSWORD])).code, 0);
  for (const bad of ['proxy.example', '127.0.0.1,,10.0.0.1', '300.1.1.1']) {
    const r = await run(['serve', '--db', db, '--listen', '127.0.0.1:1', '--trust-proxy', bad]);
    assert.notEqual(r.code, 0, bad);
    assert.match(r.stderr, /trust-proxy/, bad);
  }
  const r = await run(['serve', '--db', db, '--listen', '127.0.0.1:1', '--tls-cert', join(dir, 'none.pem')]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /tls-key/);
});

function httpsGet(url, ca) {
  return new Promise((resolve, reject) => {
    https.get(url, { ca }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    }).on('error', reject);
  });
}

test('--tls-cert/--tls-key: HTTPS with a self-signed certificate, HSTS and Secure cookies', async () => {
  const dir = tempDir();
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const db = join(dir, 'h.db');
  assert.equal((await run(['init', '--db', db, '--admin-password', ADMIN_PASSWORD])).code, 0);
  // A key file that is not PEM is refused, naming it.
  const notPem = await run(['serve', '--db', db, '--listen', '127.0.0.1:1', '--tls-cert', cert, '--tls-key', db]);
  assert.notEqual(notPem.code, 0);
  assert.match(notPem.stderr, /PEM/);
  const net = await import('node:net');
  const port = await new Promise((res) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }); });
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--jobs', 'off', '--tls-cert', cert, '--tls-key', key],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((r) => proc.on('exit', r));
  cleanup.push(async () => { proc.kill('SIGTERM'); await exited; });
  for (let i = 0; !log.includes(`on https://127.0.0.1:${port}`); i++) {
    if (i > 400 || proc.exitCode !== null) throw new Error(`server did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const ca = execFileSync('cat', [cert]);
  const res = await httpsGet(`https://127.0.0.1:${port}/health`, ca);
  assert.equal(res.status, 200);
  assert.equal(res.headers['strict-transport-security'], 'max-age=31536000');
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  const err = await httpsGet(`https://127.0.0.1:${port}/api/v1/me`, ca);
  assert.equal(err.status, 401);
  assert.equal(err.headers['strict-transport-security'], 'max-age=31536000');
  // The session cookie is Secure over HTTPS.
  const login = await new Promise((resolve, reject) => {
    const req = https.request(`https://127.0.0.1:${port}/api/v1/session`, { method: 'POST', ca, headers: { 'Content-Type': 'application/json' } }, (r) => {
      r.resume();
      r.on('end', () => resolve(r));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ login: 'admin', password: ADMIN_PASSWORD }));
  });
  assert.equal(login.statusCode, 200);
  assert.match(login.headers['set-cookie'][0], /; Secure/);
  // Plain HTTP to the TLS port gets no answer.
  const plain = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status).catch(() => 'refused');
  assert.equal(plain, 'refused');
});
