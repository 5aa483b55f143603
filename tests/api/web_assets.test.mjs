// The web app as the server hands it out: security headers on every answer, index.html
// for every non-API path (deep links), JSON 404s under /api/, hashed assets gzip-encoded
// when the client takes it and cached for a year, index.html revalidated, no inline
// script, and the login page's demo hint only on a demo database.
import { test, before, after } from 'node:test';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from './lib.mjs';
import { sqlValue } from './fixtures.mjs';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; frame-ancestors 'none'";
let server;
let demo;

before(async () => {
  server = await startServer();
  demo = await startServer({ demo: true });
});
after(async () => {
  assert.deepEqual(await server.stop(), { code: 0, signal: null });
  assert.deepEqual(await demo.stop(), { code: 0, signal: null });
});

/** Raw GET (no automatic decompression): {status, headers, body: Buffer}. */
function raw(path, headers = {}, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = http.request(server.url + path, { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function assertSecurity(r, what) {
  assert.equal(r.headers['content-security-policy'], CSP, what);
  assert.equal(r.headers['x-content-type-options'], 'nosniff', what);
  assert.equal(r.headers['referrer-policy'], 'same-origin', what);
}

async function indexHtml() {
  const r = await raw('/');
  assert.equal(r.status, 200);
  return r.body.toString('utf8');
}

function assetsOf(html) {
  return [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
}

test('index.html names a hashed module script and stylesheet, and holds no inline script', async () => {
  const html = await indexHtml();
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.ok(scripts.length >= 1);
  for (const [, attrs, body] of scripts) {
    assert.match(attrs, /\bsrc="\/assets\/[\w-]+\.js"/, 'every script is a file');
    assert.equal(body.trim(), '', 'no script body');
  }
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
  const assets = assetsOf(html);
  assert.ok(assets.some((a) => /^\/assets\/index-[\w-]+\.js$/.test(a)), assets.join());
  assert.ok(assets.some((a) => /^\/assets\/index-[\w-]+\.css$/.test(a)), assets.join());
});

test('every answer carries the CSP, nosniff and same-origin referrer policy', async () => {
  const html = await indexHtml();
  const paths = ['/', '/projects/123', '/screen', assetsOf(html)[0], '/favicon.svg', '/health', '/api/v1/openapi.json',
    '/api/v1/me', '/api/nope', '/assets/nope.js'];
  for (const p of paths) assertSecurity(await raw(p), p);
});

test('deep links answer index.html, uncached; /api/ paths keep their JSON 404', async () => {
  const html = await indexHtml();
  for (const p of ['/projects/123', '/screen', '/dashboard?as_of=2026-10-01', '/a/b/c/d/e/f/g/h/i/j', '/login']) {
    const r = await raw(p);
    assert.equal(r.status, 200, p);
    assert.match(r.headers['content-type'], /^text\/html; charset=utf-8$/, p);
    assert.equal(r.headers['cache-control'], 'no-cache', p);
    assert.equal(r.body.toString('utf8'), html, p);
  }
  for (const p of ['/api/nope', '/api/v2/projects', '/api', '/api/v1/projects/1/stage-changes/2/x']) {
    const r = await raw(p);
    assert.equal(r.status, 404, p);
    assert.match(r.headers['content-type'], /^application\/json/, p);
    assert.equal(JSON.parse(r.body).error.code, 'not_found', p);
  }
  // Only reads fall back to the app: a POST to an app path is the API's 404.
  const post = await raw('/projects/123', { 'Content-Type': 'application/json' }, 'POST');
  assert.equal(post.status, 404);
  assert.equal(JSON.parse(post.body).error.code, 'not_found');
  // A hashed file that is not in the build is a 404, never index.html served as script.
  const missing = await raw('/assets/index-00000000.js');
  assert.equal(missing.status, 404);
  assert.match(missing.headers['content-type'], /^application\/json/);
});

test('hashed assets: gzip when accepted (the same bytes unzipped), plain otherwise, cached immutably', async () => {
  const html = await indexHtml();
  const assets = assetsOf(html);
  for (const a of assets) {
    const gz = await raw(a, { 'Accept-Encoding': 'gzip, deflate, br' });
    const plain = await raw(a, { 'Accept-Encoding': 'identity' });
    const refused = await raw(a, { 'Accept-Encoding': 'gzip;q=0, identity' });
    assert.equal(gz.status, 200, a);
    assert.equal(gz.headers['content-encoding'], 'gzip', a);
    assert.equal(plain.headers['content-encoding'], undefined, a);
    assert.equal(refused.headers['content-encoding'], undefined, a);
    assert.ok(gz.body.length < plain.body.length, `${a}: ${gz.body.length} < ${plain.body.length}`);
    assert.deepEqual(gunzipSync(gz.body), plain.body, a);
    assert.deepEqual(refused.body, plain.body, a);
    for (const r of [gz, plain]) {
      assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable', a);
      assert.equal(r.headers.vary, 'Accept-Encoding', a);
      assert.equal(Number(r.headers['content-length']), r.body.length, a);
    }
    assert.match(gz.headers['content-type'], a.endsWith('.js') ? /^text\/javascript/ : /^text\/css/, a);
  }
  // index.html itself is never cached without asking.
  assert.equal((await raw('/')).headers['cache-control'], 'no-cache');
  assert.equal((await raw('/favicon.svg')).headers['content-type'], 'image/svg+xml');
});

test('the login hint: a demo database tells its password and accounts, any other nothing', async () => {
  const plain = await (await fetch(`${server.url}/api/v1/login-info`)).json();
  assert.deepEqual(plain, { demo: false });
  const r = await fetch(`${demo.url}/api/v1/login-info`);
  assert.equal(r.status, 200);
  const d = await r.json();
  assert.equal(d.demo, true);
  assert.equal(d.demo_password, DEMO_PASSWORD);
  assert.equal(d.demo_password, sqlValue(demo.db, "SELECT value FROM meta WHERE key = 'demo_password'"));
  assert.deepEqual(d.logins, ['admin', 'office', 'leader', 'gxj.head', 'gxj.staff1']);
  // Every account the hint names logs in with that password.
  for (const login of d.logins) await demo.login(login, d.demo_password);
});
