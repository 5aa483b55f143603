// Security headers on every answer (等保2.0 level 3, issue 14), including the requests that
// libmicrohttpd would refuse itself: a URI or a header block too large is answered by
// huizhan, in the API's JSON error format, with the same headers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

function assertSecurityHeaders(h, what) {
  assert.equal(h.get('x-content-type-options'), 'nosniff', what);
  assert.equal(h.get('referrer-policy'), 'same-origin', what);
  assert.equal(h.get('x-frame-options'), 'DENY', what);
  const csp = h.get('content-security-policy') || '';
  assert.match(csp, /script-src 'self'(;|$)/, `${what}: ${csp}`);
  assert.doesNotMatch(csp, /script-src[^;]*unsafe-inline/, `${what}: no inline script`);
  assert.match(csp, /frame-ancestors 'none'/, what);
  // Plain HTTP: no HSTS (a browser would ignore it, and it must not stick to a test host).
  assert.equal(h.get('strict-transport-security'), null, what);
}

test('API answers, errors and the web page carry the security headers', async () => {
  for (const [path, status] of [['/api/v1/me', 401], ['/health', 200], ['/', 200], ['/api/v1/nothing-here', 401]]) {
    const res = await fetch(srv.url + path);
    assert.equal(res.status, status, path);
    assertSecurityHeaders(res.headers, path);
  }
});

test('a URI over 16 KiB is answered 414 in JSON, with the headers, naming the uri', async () => {
  const long = 'a'.repeat(20 * 1024);
  const res = await fetch(`${srv.url}/api/v1/projects?q=${long}`);
  assert.equal(res.status, 414);
  assert.match(res.headers.get('content-type'), /^application\/json/);
  assertSecurityHeaders(res.headers, '414');
  const body = await res.json();
  assert.equal(body.error.code, 'uri_too_long');
  assert.ok(body.error.fields.uri, JSON.stringify(body));
  // Just under the limit is an ordinary request (here: not logged in).
  const ok = await fetch(`${srv.url}/api/v1/projects?q=${'a'.repeat(16 * 1024 - 40)}`);
  assert.equal(ok.status, 401);
  // 60 KiB: libmicrohttpd alone used to answer this with its bare HTML page.
  const big = await fetch(`${srv.url}/api/v1/projects?q=${'a'.repeat(60 * 1024)}`);
  assert.equal(big.status, 414);
  assertSecurityHeaders(big.headers, '414 big');
  assert.equal((await big.json()).error.code, 'uri_too_long');
});

test('header fields over 32 KiB are answered 431 in JSON, with the headers', async () => {
  const res = await fetch(`${srv.url}/api/v1/me`, { headers: { 'X-Big': 'b'.repeat(40 * 1024) } });
  assert.equal(res.status, 431);
  assertSecurityHeaders(res.headers, '431');
  const body = await res.json();
  assert.equal(body.error.code, 'headers_too_large');
  assert.ok(body.error.fields.headers);
  // Many small headers count together.
  const many = {};
  for (let i = 0; i < 40; i++) many[`X-H${i}`] = 'c'.repeat(1000);
  const res2 = await fetch(`${srv.url}/api/v1/me`, { headers: many });
  assert.equal(res2.status, 431);
  // A large cookie below the limit is still read as usual.
  const res3 = await fetch(`${srv.url}/api/v1/me`, { headers: { 'X-Big': 'b'.repeat(20 * 1024) } });
  assert.equal(res3.status, 401);
  assertSecurityHeaders(res3.headers, '401');
});
