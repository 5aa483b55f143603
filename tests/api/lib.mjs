// Shared helpers for the API tests: a real `huizhan serve` on a free loopback port with
// a temporary database, and a small HTTP client that logs in like the web UI does.
// With HUIZHAN_TEST_PG set to the directory of a tests/pg/cluster.sh cluster, the
// servers of startServer run on PostgreSQL instead: a new database in that cluster each.
import { spawn, execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, copyFileSync, existsSync, statSync, renameSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';

export const BIN = process.env.HUIZHAN_BIN || new URL('../../build/huizhan', import.meta.url).pathname;
export const ADMIN_PASSWORD = 'admin-pass-2026';
export const DEMO_PASSWORD = 'demo-pass-2026';
export const DEMO_AS_OF = '2026-10-15';

const PG_DIR = process.env.HUIZHAN_TEST_PG;
// Every database the tests make shares one audit key file (R-SEC-4), as the instances of
// one installation do: a copy of the demo city, or a PostgreSQL database (which has no
// file to keep a key beside), finds it through HUIZHAN_AUDIT_KEY, which every huizhan
// the tests start inherits. ctest sets it to build/test-audit-key; init and demo make it.
if (!process.env.HUIZHAN_AUDIT_KEY) process.env.HUIZHAN_AUDIT_KEY = join(tmpdir(), 'huizhan-test-audit-key');
/** The audit key file of the tests' databases. */
export const AUDIT_KEY = process.env.HUIZHAN_AUDIT_KEY;
/** Base URI of the test cluster (postgresql://postgres@127.0.0.1:PORT/), or null on SQLite. */
export const PG = PG_DIR ? readFileSync(join(PG_DIR, 'url'), 'utf8').trim() : null;
const PSQL = '/usr/lib/postgresql/15/bin/psql';

/** Runs SQL with psql on database dbname of the test cluster; resolves its trimmed output (-At). */
export function psql(dbname, sql) {
  return execFileSync(PSQL, ['-XAtq', '-v', 'ON_ERROR_STOP=1', '-d', PG + dbname, '-c', sql],
    { encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

let pgSeq = 0;
/** A new database in the test cluster (a copy of template when given); resolves its URI. */
export function pgCreateDb(template) {
  const name = `hz_${process.pid}_${++pgSeq}_${Math.random().toString(36).slice(2, 8)}`;
  psql('postgres', `CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  return PG + name;
}

/** Drops the database of uri (its connections are ended first). */
export function pgDropDb(uri) {
  const name = uri.slice(PG.length).replace(/\?.*/, '');
  try { psql('postgres', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } catch { /* the cluster is removed anyway */ }
}

/**
 * The demo city as a template database of the test cluster (built once per cluster by the
 * ctest fixture, or by the first test that asks), which pgCreateDb copies.
 */
async function pgDemoTemplate() {
  const name = 'hz_demo_city';
  if (psql('postgres', `SELECT count(*) FROM pg_database WHERE datname = '${name}'`) === '1') return name;
  const uri = pgCreateDb();
  const r = await run(['demo', '--db', uri, '--password', DEMO_PASSWORD, '--as-of', DEMO_AS_OF],
    { env: { HUIZHAN_TODAY: DEMO_AS_OF } });
  if (r.code !== 0) throw new Error(`huizhan demo failed: ${r.stderr}`);
  // renamed when complete, so no test copies a half-built city; a racing builder loses
  try { psql('postgres', `ALTER DATABASE ${uri.slice(PG.length)} RENAME TO ${name}`); } catch { pgDropDb(uri); }
  return name;
}

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
 * keyed by the binary's path and mtime. On PostgreSQL (HUIZHAN_TEST_PG): the name of a
 * template database in the test cluster instead.
 */
export async function demoDb() {
  return PG ? pgDemoTemplate() : sqliteDemoDb();
}

/** The SQLite demo city's file, on either pass (huizhan migrate copies it). */
export async function sqliteDemoDb() {
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
  let db = join(dir, 'huizhan.db');
  if (demo && PG) {
    db = pgCreateDb(await pgDemoTemplate());
  } else if (demo) {
    copyFileSync(await demoDb(), db);
  } else {
    if (PG) db = pgCreateDb();
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
      if (PG) pgDropDb(db);
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
 * loopback port (args: more options of serve). Returns {url, db, proc, log, login, tryLogin, stop}; stop() leaves the
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
      const res = await exited;
      // HZ_SERVER_ERRORS=1: the server's logged errors on stderr (what a 500 hides)
      if (process.env.HZ_SERVER_ERRORS) {
        const errors = log.split('\n').filter((l) => /error|failed/i.test(l));
        if (res.signal && res.signal !== 'SIGTERM') errors.push(`server ended by ${res.signal}`);
        if (errors.length) process.stderr.write(`server ${db} errors:\n${errors.join('\n')}\n`);
      }
      return res;
    },
  };
}

/**
 * Starts n `huizhan serve` processes on ONE database file, as several instances behind a
 * load balancer share one database: an empty one with an admin account, or a copy of the
 * demo city ({demo: true}). opts.jobs turns the scheduler on in each, opts.args adds options
 * of serve. Returns {db, dir,
 * servers (each as serveDb returns it), stop}; stop() SIGTERMs those still running,
 * resolves their exits in order, and removes the directory unless {keep: true} (then
 * remove() does).
 */
export async function startInstances(n = 2, { demo = false, env = {}, jobs = false, args = [] } = {}) {
  const dir = tempDir();
  let db = join(dir, 'huizhan.db');
  if (demo && PG) {
    db = pgCreateDb(await pgDemoTemplate());
  } else if (demo) {
    copyFileSync(await demoDb(), db);
  } else {
    if (PG) db = pgCreateDb();
    const r = await run(['init', '--db', db, '--admin-password', ADMIN_PASSWORD], { env });
    if (r.code !== 0) throw new Error(`huizhan init failed: ${r.stderr}`);
  }
  const drop = () => { rmSync(dir, { recursive: true, force: true }); if (PG) pgDropDb(db); };
  const serveEnv = { ...(demo ? { HUIZHAN_TODAY: DEMO_AS_OF } : {}), ...env };
  // Started together, as after a deploy: they meet at the same moment on one database.
  const started = await Promise.allSettled(Array.from({ length: n }, () => serveDb(db, { env: serveEnv, jobs, args })));
  const servers = started.filter((s) => s.status === 'fulfilled').map((s) => s.value);
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    for (const s of servers) await s.stop();
    drop();
    throw failed.reason;
  }
  return {
    db, dir, servers,
    async stop({ keep = false } = {}) {
      const exits = [];
      for (const s of servers) {
        exits.push(s.proc.exitCode === null && s.proc.signalCode === null ? await s.stop() : await s.exited);
      }
      if (!keep) drop();
      return exits;
    },
    remove: drop,
  };
}
