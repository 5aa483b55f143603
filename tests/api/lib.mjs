// Shared helpers for the API tests: a real `huizhan serve` on a free loopback port with
// a temporary database, and a small HTTP client that logs in like the web UI does.
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, copyFileSync, existsSync, statSync, renameSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';

export const BIN = process.env.HUIZHAN_BIN || new URL('../../build/huizhan', import.meta.url).pathname;
export const ADMIN_PASSWORD = 'admin-pass-2026';
export const DEMO_PASSWORD = 'demo-pass-2026';
export const DEMO_AS_OF = '2026-10-15';

/** Runs the huizhan binary; resolves {code, stdout, stderr} (never rejects on exit code). */
export function run(args, { env = {}, input } = {}) {
  return new Promise((resolve) => {
    const child = execFile(BIN, args, { env: { ...process.env, ...env }, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => resolve({ code: err ? (err.code ?? 1) : 0, stdout, stderr }));
    if (input !== undefined) { child.stdin.write(input); }
    child.stdin.end();
  });
}

export function tempDir() {
  return mkdtempSync(join(tmpdir(), 'huizhan-test-'));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * Waits until this very process serves url. The port was free when picked, but another
 * test's server may have taken it since: then /health answers while ours failed to
 * listen, so the server's own "serving … on http://…" line is what counts.
 */
async function listening(proc, url, log) {
  for (let i = 0; ; i++) {
    if (log().includes(`on ${url} (`)) {
      const res = await fetch(`${url}/health`).catch(() => null);
      if (res?.ok && proc.exitCode === null) return;
    }
    if (i > 400 || proc.exitCode !== null) throw new Error(`server did not start:\n${log()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Path of a demo database (as of DEMO_AS_OF), built once per test run by the ctest fixture
 * tests/api/demo_city.mjs into HUIZHAN_DEMO_DB, and shared read-only by every test process:
 * copy it before use. Run by hand without the fixture, a test builds it into the temp dir,
 * keyed by the binary's path and mtime.
 */
export async function demoDb() {
  const { mtimeMs } = statSync(BIN);
  const key = createHash('sha256').update(`${BIN}:${mtimeMs}:${DEMO_AS_OF}`).digest('hex').slice(0, 16);
  const shared = process.env.HUIZHAN_DEMO_DB || join(tmpdir(), `huizhan-demo-${key}.db`);
  const stamp = `${shared}.key`;
  if (existsSync(shared) && existsSync(stamp) && readFileSync(stamp, 'utf8') === key) return shared;
  const dir = tempDir();
  const db = join(dir, 'demo.db');
  const r = await run(['demo', '--db', db, '--password', DEMO_PASSWORD, '--as-of', DEMO_AS_OF],
    { env: { HUIZHAN_TODAY: DEMO_AS_OF } });
  if (r.code !== 0) throw new Error(`huizhan demo failed: ${r.stderr}`);
  // The last connection to close checkpoints the WAL, so the one file is the whole database.
  renameSync(db, shared);
  writeFileSync(stamp, key);
  rmSync(dir, { recursive: true, force: true });
  return shared;
}

/**
 * Starts a server on a fresh database: an empty one with an admin account, or a copy of
 * the demo city ({demo: true}). Returns {url, db, dir, stop, login, admin}.
 */
export async function startServer({ demo = false, env = {}, jobs = false, args = [] } = {}) {
  const dir = tempDir();
  const db = join(dir, 'huizhan.db');
  if (demo) {
    copyFileSync(await demoDb(), db);
  } else {
    const r = await run(['init', '--db', db, '--admin-password', ADMIN_PASSWORD], { env });
    if (r.code !== 0) throw new Error(`huizhan init failed: ${r.stderr}`);
  }
  const served = await serveDb(db, { env: { ...(demo ? { HUIZHAN_TODAY: DEMO_AS_OF } : {}), ...env }, jobs, args });
  return {
    ...served,
    dir,
    /** Logs in; resolves a Client (throws when the login fails). */
    login(login, password = demo ? DEMO_PASSWORD : ADMIN_PASSWORD) { return served.login(login, password); },
    admin() { return this.login('admin'); },
    /** Stops with SIGTERM and resolves the exit {code, signal}; the database goes too. */
    async stop() {
      const res = await served.stop();
      rmSync(dir, { recursive: true, force: true });
      return res;
    },
  };
}

/** An HTTP client holding a session cookie and CSRF token, or a bearer token. */
export class Client {
  constructor(base, { bearer } = {}) {
    this.base = base;
    this.cookie = null;
    this.csrf = null;
    this.bearer = bearer || null;
    this.user = null;
  }

  /**
   * Sends a request. body: an object (sent as JSON), a string or Buffer (sent as is).
   * opts.headers adds or overrides headers (null removes one); opts.csrf=false omits the token.
   * Resolves {status, body (parsed JSON when the reply is JSON, else text), headers, raw}.
   */
  async req(method, path, body, opts = {}) {
    const headers = {};
    if (this.cookie) headers.Cookie = this.cookie;
    if (this.bearer) headers.Authorization = `Bearer ${this.bearer}`;
    if (this.csrf && method !== 'GET' && opts.csrf !== false) headers['X-CSRF-Token'] = this.csrf;
    let payload;
    if (body !== undefined && body !== null && typeof body === 'object' && !Buffer.isBuffer(body) && !(body instanceof Uint8Array)) {
      payload = JSON.stringify(body);
      headers['Content-Type'] = 'application/json';
    } else if (body !== undefined) {
      payload = body;
      headers['Content-Type'] = 'application/json';
    }
    for (const [k, v] of Object.entries(opts.headers || {})) {
      if (v === null) delete headers[k]; else headers[k] = v;
    }
    const res = await fetch(this.base + path, { method, headers, body: payload });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const m = /hz_session=([^;]*)/.exec(setCookie);
      if (m) this.cookie = m[1] ? `hz_session=${m[1]}` : null;
    }
    const raw = Buffer.from(await res.arrayBuffer());
    const ct = res.headers.get('content-type') || '';
    let parsed = raw.toString('utf8');
    if (ct.startsWith('application/json') && raw.length) parsed = JSON.parse(parsed);
    return { status: res.status, body: parsed, headers: res.headers, raw };
  }

  get(path, opts) { return this.req('GET', path, undefined, opts); }
  post(path, body, opts) { return this.req('POST', path, body, opts); }
  patch(path, body, opts) { return this.req('PATCH', path, body, opts); }
  del(path, opts) { return this.req('DELETE', path, undefined, opts); }
}

/**
 * Serves an existing database (made by the test, e.g. with `huizhan init`) on a free
 * loopback port. Returns {url, db, proc, log, login, tryLogin, stop}; stop() leaves the
 * database file in place (the caller owns it).
 */
export async function serveDb(db, { env = {}, jobs = false, args = [] } = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--jobs', jobs ? 'on' : 'off', ...args],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  try {
    await listening(proc, url, () => log);
  } catch (err) {
    if (proc.exitCode === null) proc.kill('SIGKILL');
    throw err;
  }
  return {
    url, db, proc, exited,
    log: () => log,
    /** POST /api/v1/session; resolves {status, body, client} without throwing. */
    async tryLogin(login, password) {
      const c = new Client(url);
      const r = await c.post('/api/v1/session', { login, password });
      if (r.status === 200) { c.csrf = r.body.csrf_token; c.user = r.body.user; }
      return { status: r.status, body: r.body, client: c };
    },
    /** Logs in; resolves a Client (throws when the login fails). */
    async login(login, password) {
      const r = await this.tryLogin(login, password);
      if (r.status !== 200) throw new Error(`login ${login} failed: ${r.status} ${JSON.stringify(r.body)}`);
      return r.client;
    },
    /** Stops with SIGTERM and resolves the exit {code, signal}; the database stays. */
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
}
