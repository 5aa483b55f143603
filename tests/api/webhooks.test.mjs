// Group-robot notifications (R-OUT-5, docs/workflows.md "Group robots"): the office
// configures WeCom / DingTalk robots per campaign; a bulletin published and the jobs
// (missing reports, overdue items, early warnings, stale projects) queue markdown
// messages that the server sends afterwards, retried with backoff, each attempt logged.
// A local receiver on loopback plays both robots: it checks each payload's format,
// verifies DingTalk's signature with node's own HMAC, and fails on demand.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHmac } from 'node:crypto';
import { startServer, run } from './lib.mjs';
import { expectStatus, expectError, sql, sqlValue, create } from './fixtures.mjs';

const TODAY = '2026-08-20'; // campaign from Monday 08-03: weeks 1 and 2 have ended
const BACKOFF = 50; // ms: retries after 50, 200, 1000, 6000 ms
const SECRET = 'SECding-secret-0123456789abcdef';
const DING_TOKEN = 'DINGTOKEN0123456789';
const WECOM_KEY = 'WECOMKEY0123456789';
const PASSWORD = 'hook-pass-2026';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- the receiver ----
const got = []; // every request: {path, query, rawQuery, body, at}
const plans = {}; // path -> answers to give next: 'http500', 'redirect', 'slow', or a JSON object
const receiver = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => { body += d; });
  req.on('end', async () => {
    const u = new URL(req.url, 'http://x');
    got.push({ path: u.pathname, query: Object.fromEntries(u.searchParams), rawQuery: u.search, body, at: Date.now(),
      type: req.headers['content-type'] });
    const plan = u.pathname === '/bad' ? 'http500' : (plans[u.pathname] || []).shift() || 'ok';
    if (plan === 'http500') { res.writeHead(500, { 'Content-Type': 'text/plain' }); res.end('oops'); return; }
    if (plan === 'redirect') { res.writeHead(302, { Location: '/ding' }); res.end(); return; }
    if (plan === 'slow') await sleep(2500);
    if (plan === 'hang') { hanging.push(res); return; } // never answers (closed at the end)
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(typeof plan === 'object' ? plan : { errcode: 0, errmsg: 'ok' }));
  });
});
const hanging = [];
const sent = (path) => got.filter((g) => g.path === path);

/** DingTalk's signature, worked out here independently of the server. */
function assertSigned(g) {
  assert.match(g.query.timestamp, /^\d{13}$/);
  assert.ok(Math.abs(Date.now() - Number(g.query.timestamp)) < 60_000, 'timestamp is now, in ms');
  const want = createHmac('sha256', SECRET).update(`${g.query.timestamp}\n${SECRET}`).digest('base64');
  assert.equal(g.query.sign, want);
  // In the URL it is percent-encoded: no raw '+', '/' or '=' inside the value.
  assert.match(/[?&]sign=([^&]*)/.exec(g.rawQuery)[1], /^[A-Za-z0-9%]+$/);
  assert.equal(g.query.access_token, DING_TOKEN);
}
function dingBody(g) {
  const b = JSON.parse(g.body);
  assert.deepEqual(Object.keys(b).sort(), ['markdown', 'msgtype']);
  assert.equal(b.msgtype, 'markdown');
  assert.deepEqual(Object.keys(b.markdown).sort(), ['text', 'title']);
  assert.match(g.type, /^application\/json/);
  return b.markdown;
}
function wecomBody(g) {
  const b = JSON.parse(g.body);
  assert.deepEqual(Object.keys(b).sort(), ['markdown', 'msgtype']);
  assert.equal(b.msgtype, 'markdown');
  assert.deepEqual(Object.keys(b.markdown), ['content']);
  assert.equal(g.query.key, WECOM_KEY);
  assert.equal(g.query.sign, undefined, 'WeCom requests are not signed');
  return b.markdown.content;
}

let server; let admin; let unitUser; let leader; let base; let camp; let unitA; let unitB;
let ding; let wecom; let bad; let off;

before(async () => {
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${receiver.address().port}`;
  server = await startServer({ env: { HUIZHAN_TODAY: TODAY, HUIZHAN_WEBHOOK_BACKOFF_MS: String(BACKOFF) } });
  admin = await server.admin();
  camp = await create(admin, '/api/v1/campaigns', { name: '百日会战钩子', start_date: '2026-08-03', status: 'active' });
  unitA = await create(admin, '/api/v1/units', { name: '钩子甲局', category: 'industry' });
  unitB = await create(admin, '/api/v1/units', { name: '钩子乙局', category: 'industry' });
  await create(admin, '/api/v1/users', { login: 'staffa', name: '甲', role: 'unit_staff', unit_id: unitA.id, password: PASSWORD });
  await create(admin, '/api/v1/users', { login: 'lead1', name: '领导', role: 'leader', password: PASSWORD });
  unitUser = await server.login('staffa', PASSWORD);
  leader = await server.login('lead1', PASSWORD);
});
after(async () => {
  await server?.stop();
  for (const res of hanging) res.destroy();
  receiver.close();
});

const hooks = () => `/api/v1/campaigns/${camp.id}/webhooks`;
async function deliveries(q = '') {
  return expectStatus(await admin.get(`/api/v1/campaigns/${camp.id}/webhook-deliveries${q}`), 200);
}
async function waitFor(what, check, ms = 30_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
/** The deliveries of one robot for one event, once none is pending. */
async function settled(hook, event, n = 1) {
  return waitFor(`${event} to ${hook.name}`, async () => {
    const items = (await deliveries(`?webhook_id=${hook.id}&limit=500`)).items.filter((d) => d.event === event);
    return items.length >= n && items.every((d) => d.status !== 'pending') ? items : null;
  });
}

test('the office configures robots; secrets are write-only, masked, and kept out of the audit log', async () => {
  ding = await create(admin, hooks(), { kind: 'dingtalk', name: '会战钉钉群', url: `${base}/ding?access_token=${DING_TOKEN}`, secret: SECRET });
  wecom = await create(admin, hooks(), { kind: 'wecom', name: '会战企微群', url: `${base}/wecom?key=${WECOM_KEY}` });
  bad = await create(admin, hooks(), { kind: 'wecom', name: '坏群', url: `${base}/bad?key=x`, events: ['bulletin_published'] });
  off = await create(admin, hooks(), { kind: 'wecom', name: '停用群', url: `${base}/off?key=x`, enabled: false });
  assert.equal(ding.campaign_id, camp.id);
  assert.equal(ding.secret_masked, 'SEC…cdef');
  assert.equal(ding.url_masked, `${base}/ding?access_token=DIN…6789`);
  assert.equal(wecom.url_masked, `${base}/wecom?key=WEC…6789`);
  assert.equal(wecom.secret_masked, null);
  assert.deepEqual(ding.events, ['bulletin_published', 'missing_reports', 'stale_projects', 'overdue_items', 'early_warning']);
  assert.deepEqual(bad.events, ['bulletin_published']);
  assert.equal(ding.enabled, true);
  assert.equal(off.enabled, false);
  for (const h of [ding, wecom]) {
    assert.equal(h.url, undefined);
    assert.equal(h.secret, undefined);
  }

  // A new secret through PATCH; the URL stays as it was.
  const patched = expectStatus(await admin.patch(`/api/v1/webhooks/${ding.id}`, { version: 1, secret: `${SECRET}-old`, name: '会战钉钉群' }), 200);
  assert.equal(patched.secret_masked, 'SEC…-old');
  ding = expectStatus(await admin.patch(`/api/v1/webhooks/${ding.id}`, { version: 2, secret: SECRET }), 200);
  assert.equal(ding.secret_masked, 'SEC…cdef');
  assert.equal(ding.url_masked, `${base}/ding?access_token=DIN…6789`);

  // No GET answer holds a secret or a token.
  for (const path of [hooks(), `/api/v1/webhooks/${ding.id}`, `/api/v1/webhooks/${wecom.id}`, '/api/v1/webhooks',
    `/api/v1/audit?entity=webhooks`, `/api/v1/campaigns/${camp.id}/webhook-deliveries`]) {
    const r = await admin.get(path);
    assert.equal(r.status, 200, path);
    for (const s of ['ding-secret', DING_TOKEN, WECOM_KEY]) assert.ok(!r.raw.toString().includes(s), `${path} shows ${s}`);
  }
  // They are stored (the sender needs them) …
  assert.equal(sqlValue(server.db, `SELECT secret FROM webhooks WHERE id = ${ding.id}`), SECRET);
  assert.equal(sqlValue(server.db, `SELECT url FROM webhooks WHERE id = ${wecom.id}`), `${base}/wecom?key=${WECOM_KEY}`);
  // … but the audit log's before/after holds only the masked forms: 4 creates, 2 updates.
  const audit = sql(server.db, "SELECT action, COALESCE(before, ''), after FROM audit_log WHERE entity = 'webhooks' ORDER BY id");
  assert.deepEqual(audit.map((r) => r[0]), ['create', 'create', 'create', 'create', 'update', 'update']);
  for (const [, before, afterText] of audit) {
    for (const s of ['ding-secret', DING_TOKEN, WECOM_KEY]) {
      assert.ok(!before.includes(s) && !afterText.includes(s), `audit holds ${s}`);
    }
  }
  assert.equal(JSON.parse(audit[5][2]).secret_masked, 'SEC…cdef');
  assert.equal(JSON.parse(audit[5][1]).secret_masked, 'SEC…-old');
  assert.equal(sqlValue(server.db, "SELECT COUNT(*) FROM audit_log WHERE before LIKE '%ding-secret%' OR after LIKE '%ding-secret%'"
    + ` OR after LIKE '%${DING_TOKEN}%' OR after LIKE '%${WECOM_KEY}%'`), '0');
});

test('bad robot settings are refused, naming the field', async () => {
  const url = `${base}/x?key=k`;
  expectError(await admin.post(hooks(), { kind: 'wecom', name: 'n', url: 'ftp://example.com/x' }), 400, 'validation_failed', 'url');
  expectError(await admin.post(hooks(), { kind: 'wecom', name: 'n', url: 'file:///etc/passwd' }), 400, 'validation_failed', 'url');
  expectError(await admin.post(hooks(), { kind: 'wecom', name: 'n', url: 'https://host/a b' }), 400, 'validation_failed', 'url');
  expectError(await admin.post(hooks(), { kind: 'wecom', name: 'n' }), 400, 'validation_failed', 'url');
  expectError(await admin.post(hooks(), { kind: 'slack', name: 'n', url }), 400, 'validation_failed', 'kind');
  expectError(await admin.post(hooks(), { kind: 'wecom', name: 'n', url, secret: 'SECabcdefghijkl' }), 400, 'validation_failed', 'secret');
  expectError(await admin.post(hooks(), { kind: 'wecom', name: 'n', url, events: ['weather'] }), 400, 'validation_failed', 'events');
  expectError(await admin.post(hooks(), { kind: 'wecom', name: 'n', url, events: ['early_warning', 'early_warning'] }), 400, 'validation_failed', 'events');
  expectError(await admin.post(hooks(), { kind: 'wecom', name: 'n', url, events: 'early_warning' }), 400, 'validation_failed', 'events');
  expectError(await admin.patch(`/api/v1/webhooks/${wecom.id}`, { version: 1, url: 'javascript:alert(1)' }), 400, 'validation_failed', 'url');
  expectError(await admin.get(`/api/v1/campaigns/${camp.id}/webhook-deliveries?webhook_id=abc`), 400, 'validation_failed', 'webhook_id');
  expectError(await admin.get(`/api/v1/campaigns/${camp.id}/webhook-deliveries?colour=red`), 400, 'validation_failed', 'colour');
  expectStatus(await admin.get('/api/v1/campaigns/999999/webhook-deliveries'), 404);
  expectStatus(await admin.post('/api/v1/webhooks/999999/test'), 404);
  expectError(await admin.post(`/api/v1/webhooks/${wecom.id}/test`, { x: 1 }), 400, 'validation_failed', 'body');
  assert.equal(sqlValue(server.db, 'SELECT COUNT(*) FROM webhooks'), '4');
});

test('unit users and leaders cannot see or configure robots (403)', async () => {
  for (const c of [unitUser, leader]) {
    expectStatus(await c.get(hooks()), 403);
    expectStatus(await c.get(`/api/v1/webhooks/${ding.id}`), 403);
    expectStatus(await c.post(hooks(), { kind: 'wecom', name: 'n', url: `${base}/x` }), 403);
    expectStatus(await c.patch(`/api/v1/webhooks/${ding.id}`, { version: 3, enabled: false }), 403);
    expectStatus(await c.del(`/api/v1/webhooks/${ding.id}?version=3`), 403);
    expectStatus(await c.post(`/api/v1/webhooks/${ding.id}/test`), 403);
    expectStatus(await c.get(`/api/v1/campaigns/${camp.id}/webhook-deliveries`), 403);
  }
  // /api/v1/me tells the web UI the same: the office may, a unit user may not.
  const caps = async (c) => expectStatus(await c.get('/api/v1/me'), 200).capabilities;
  const unitCaps = await caps(unitUser);
  assert.deepEqual(unitCaps.webhooks ?? [], []);
  assert.ok(!unitCaps.campaigns.includes('webhook-deliveries'));
  const adminCaps = await caps(admin);
  assert.deepEqual(adminCaps.webhooks, ['create', 'delete', 'export', 'read', 'test', 'update']);
  assert.ok(adminCaps.campaigns.includes('webhook-deliveries'));
  // Exporting the robots list (as every readable list can be) gives away neither the secret
  // nor the robot's access token; a unit user may not export it at all.
  const csv = expectStatus(await admin.get(`/api/v1/campaigns/${camp.id}/webhooks/export.csv`), 200);
  assert.match(csv, /会战钉钉群/);
  assert.ok(!csv.includes(SECRET) && !csv.includes(DING_TOKEN), 'no secret or token in the export');
  expectStatus(await unitUser.get(`/api/v1/campaigns/${camp.id}/webhooks/export.csv`), 403);
  assert.equal(sqlValue(server.db, 'SELECT COUNT(*) FROM webhooks'), '4');
});

test('the test message: both formats, the DingTalk signature, a robot error, no redirects', async () => {
  let r = expectStatus(await admin.post(`/api/v1/webhooks/${ding.id}/test`), 200);
  assert.deepEqual([r.ok, r.http_status, r.errcode, r.errmsg], [true, 200, 0, 'ok']);
  let g = sent('/ding').at(-1);
  assertSigned(g);
  const md = dingBody(g);
  assert.equal(md.title, '测试消息');
  assert.ok(md.text.includes('百日会战钩子') && md.text.includes('会战钉钉群'), md.text);

  r = expectStatus(await admin.post(`/api/v1/webhooks/${wecom.id}/test`), 200);
  assert.equal(r.ok, true);
  assert.ok(wecomBody(sent('/wecom').at(-1)).includes('百日会战钩子'));

  // HTTP 200 but a robot error is a failure, logged and (a test message) not retried.
  plans['/ding'] = [{ errcode: 310000, errmsg: 'sign not match' }];
  r = expectStatus(await admin.post(`/api/v1/webhooks/${ding.id}/test`), 200);
  assert.deepEqual([r.ok, r.http_status, r.errcode, r.errmsg], [false, 200, 310000, 'sign not match']);
  const log = (await deliveries(`?webhook_id=${ding.id}`)).items;
  const d = log.find((x) => x.id === r.delivery_id);
  assert.deepEqual([d.event, d.status, d.attempts, d.next_attempt_at], ['test', 'failed', 1, null]);
  assert.equal(d.attempt_log.length, 1);
  assert.deepEqual([d.attempt_log[0].http_status, d.attempt_log[0].errcode, d.attempt_log[0].errmsg, d.attempt_log[0].next_retry_at],
    [200, 310000, 'sign not match', null]);

  // A redirect is an answer, not an invitation: nothing follows it.
  const redir = await create(admin, hooks(), { kind: 'wecom', name: '跳转群', url: `${base}/redirect?key=r`, events: [] });
  plans['/redirect'] = ['redirect'];
  const before = sent('/ding').length;
  r = expectStatus(await admin.post(`/api/v1/webhooks/${redir.id}/test`), 200);
  assert.deepEqual([r.ok, r.http_status], [false, 302]);
  await sleep(200);
  assert.equal(sent('/ding').length, before, 'the redirect was not followed');
  // A robot that does not answer is given up on after 5 s.
  plans['/redirect'] = ['hang'];
  const t0 = Date.now();
  r = expectStatus(await admin.post(`/api/v1/webhooks/${redir.id}/test`), 200);
  const took = Date.now() - t0;
  assert.ok(took >= 4900 && took < 8000, `timed out after ${took} ms`);
  assert.deepEqual([r.ok, r.http_status, r.errcode], [false, null, null]);
  assert.match(r.errmsg, /^发送失败：.*[Tt]imeout|timed out/);
  // The test is audited (who sent it), without the secret.
  const tests = sql(server.db, `SELECT entity_id, after FROM audit_log WHERE entity = 'webhooks' AND action = 'test' ORDER BY id`);
  assert.deepEqual(tests.map((t) => Number(t[0])), [ding.id, wecom.id, ding.id, redir.id, redir.id]);
  assert.equal(JSON.parse(tests[0][1]).delivery_id > 0, true);
});

test('a published bulletin is queued with the publication, sent afterwards, retried with backoff until the robot recovers', async () => {
  // DingTalk fails twice (HTTP 500, then errcode 300001 with HTTP 200), then recovers;
  // WeCom answers slowly: the publication does not wait for it.
  plans['/ding'] = ['http500', { errcode: 300001, errmsg: 'token is not exist' }];
  plans['/wecom'] = ['slow'];
  const draft = expectStatus(await admin.post(`/api/v1/campaigns/${camp.id}/bulletins`, { period_end: '2026-08-19' }), 201);
  const t0 = Date.now();
  const pub = expectStatus(await admin.post(`/api/v1/bulletins/${draft.id}/publish`), 200);
  assert.ok(Date.now() - t0 < 2000, 'publishing does not wait for the robots');
  assert.equal(pub.status, 'published');
  // Queued in the publication's transaction: one row per subscribed, enabled robot.
  const queued = sql(server.db, "SELECT webhook_name FROM webhook_deliveries WHERE event = 'bulletin_published' ORDER BY webhook_id");
  assert.deepEqual(queued.map((q) => q[0]), ['会战钉钉群', '会战企微群', '坏群']);

  const [d] = await settled(ding, 'bulletin_published');
  assert.deepEqual([d.status, d.attempts, d.link], ['sent', 3, `/api/v1/bulletins/${draft.id}/print`]);
  const a = d.attempt_log;
  assert.deepEqual(a.map((x) => [x.http_status, x.errcode, x.errmsg]),
    [[500, null, 'HTTP 500'], [200, 300001, 'token is not exist'], [200, 0, 'ok']]);
  // Each failure names its next retry: base × 1, then base × 4 after the attempt.
  assert.equal(Date.parse(a[0].next_retry_at) - Date.parse(a[0].at), BACKOFF);
  assert.equal(Date.parse(a[1].next_retry_at) - Date.parse(a[1].at), 4 * BACKOFF);
  assert.equal(a[2].next_retry_at, null);
  assert.ok(Date.parse(a[1].at) >= Date.parse(a[0].next_retry_at));
  assert.ok(Date.parse(a[2].at) >= Date.parse(a[1].next_retry_at));
  assert.ok(d.sent_at);
  // All three requests were signed afresh and carried the same message.
  const posts = sent('/ding').slice(-3);
  const texts = posts.map((g) => { assertSigned(g); return dingBody(g); });
  assert.equal(new Set(texts.map((t) => JSON.stringify(t))).size, 1);
  assert.equal(texts[0].title, '通报已发布：第1期');
  for (const s of ['百日会战钩子', draft.title, '第1期', `/api/v1/bulletins/${draft.id}/print`]) assert.ok(texts[0].text.includes(s), `${s} in ${texts[0].text}`);

  const [w] = await settled(wecom, 'bulletin_published');
  assert.deepEqual([w.status, w.attempts], ['sent', 1]);
  assert.ok(wecomBody(sent('/wecom').at(-1)).includes(draft.title));
  // Publishing again is refused, and queues nothing: the message goes with the publication or not at all.
  expectStatus(await admin.post(`/api/v1/bulletins/${draft.id}/publish`), 409);
  assert.equal(sqlValue(server.db, "SELECT COUNT(*) FROM webhook_deliveries WHERE event = 'bulletin_published'"), '3');
  // The switched-off robot got nothing.
  assert.equal(sent('/off').length, 0);
  assert.equal(sqlValue(server.db, `SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = ${off.id}`), '0');
});

test('a robot that keeps failing is given up after 5 attempts, each logged', async () => {
  const [d] = await settled(bad, 'bulletin_published');
  assert.deepEqual([d.status, d.attempts, d.sent_at, d.next_attempt_at], ['failed', 5, null, null]);
  const a = d.attempt_log;
  assert.equal(a.length, 5);
  assert.deepEqual(a.map((x) => x.http_status), [500, 500, 500, 500, 500]);
  assert.deepEqual(a.slice(0, 4).map((x) => Date.parse(x.next_retry_at) - Date.parse(x.at)), [1, 4, 20, 120].map((f) => f * BACKOFF));
  assert.equal(a[4].next_retry_at, null);
  assert.equal(sent('/bad').length, 5);
  // The log in the database says the same.
  assert.equal(sqlValue(server.db, `SELECT COUNT(*) FROM webhook_attempts WHERE delivery_id = ${d.id} AND http_status = 500`), '5');
});

test('the jobs: missing reports, overdue items, early warnings and stale projects name the campaign, units and counts', async () => {
  // Unit B reports week 2 and submits; unit A reports nothing.
  const rep = expectStatus(await admin.post(`/api/v1/campaigns/${camp.id}/weekly-reports`, { unit_id: unitB.id, week: 2 }), 201);
  expectStatus(await admin.post(`/api/v1/weekly-reports/${rep.id}/submit`), 200);
  const job = expectStatus(await admin.post('/api/v1/jobs/missing-reports/run'), 200);
  assert.deepEqual(job.done.map((x) => [x.unit_id, x.week, x.status]).sort(), [[unitA.id, 2, 'missing'], [unitB.id, 2, 'submitted']]);
  const [m] = await settled(ding, 'missing_reports');
  assert.equal(m.status, 'sent');
  const mt = dingBody(sent('/ding').at(-1));
  assert.equal(mt.title, '第2周周报未报 1 个单位');
  assert.ok(mt.text.includes('百日会战钩子') && mt.text.includes('尚未提交 1 个单位：钩子甲局'), mt.text);
  assert.ok(mt.text.includes('待主要负责人听取 1 个单位：钩子乙局'), mt.text);
  assert.equal(m.link, `/api/v1/campaigns/${camp.id}/weekly-status?week=2`);

  // Two items of unit A past their due date, one of B not yet due.
  for (const [u, due] of [[unitA, '2026-08-10'], [unitA, '2026-08-15'], [unitB, '2026-08-30']]) {
    await create(admin, '/api/v1/coordination-items', { campaign_id: camp.id, unit_id: u.id, title: `事项${due}`, due_date: due });
  }
  const rem = expectStatus(await admin.post('/api/v1/jobs/remind-overdue/run'), 200);
  assert.deepEqual(rem.done, [{ reminded: 2 }]);
  const [o] = await settled(wecom, 'overdue_items');
  assert.equal(o.title, '督办事项逾期 2 件');
  const ot = wecomBody(sent('/wecom').at(-1));
  assert.ok(ot.includes('百日会战钩子') && ot.includes('- 钩子甲局：2 件') && !ot.includes('钩子乙局'), ot);

  // A project of unit A whose last activity is its lead date, 08-01: 19 days quiet > 14.
  await create(admin, '/api/v1/projects', { campaign_id: camp.id, name: '静默项目', lead_unit_id: unitA.id,
    category: 'industrial', method: 'industry', lead_date: '2026-08-01' });
  const stale = expectStatus(await admin.get(`/api/v1/campaigns/${camp.id}/stale-projects`), 200);
  assert.equal(stale.total, 1);
  // A month-end checkpoint ahead; both units have a funds target and nothing arrived, so
  // the default rule R-RULE-1 (month end, status zero) would hit both.
  await create(admin, `/api/v1/campaigns/${camp.id}/checkpoints`, { name: '八月底节点', date: '2026-08-31', kind: 'month_end' });
  for (const u of [unitA, unitB]) {
    await create(admin, `/api/v1/campaigns/${camp.id}/targets`, { unit_id: u.id, metric: 'funds_arrived', value: 10_000_000 });
  }
  const ew = expectStatus(await admin.post('/api/v1/jobs/early-warning/run'), 200);
  const [s] = await settled(ding, 'stale_projects');
  assert.equal(s.title, '停滞项目 1 个');
  assert.equal(s.link, `/api/v1/campaigns/${camp.id}/stale-projects`);
  assert.ok(s.text.includes('百日会战钩子') && s.text.includes('- 钩子甲局：1 个') && s.text.includes('超过 14 天'), s.text);
  // Early warnings: one message naming each unit the job warned, with the checkpoint and the outcome.
  const warned = ew.done.filter((x) => x.checkpoint_id);
  assert.deepEqual(warned.map((x) => x.unit_id).sort(), [unitA.id, unitB.id].sort());
  const [e] = await settled(ding, 'early_warning');
  assert.equal(e.title, '预警：2 项');
  assert.equal(e.link, `/api/v1/campaigns/${camp.id}/checkpoints`);
  for (const u of ['钩子甲局', '钩子乙局']) assert.ok(e.text.includes(`- ${u}：八月底节点（主要负责人离职招商）`), e.text);
  assert.ok(e.text.includes('百日会战钩子') && e.text.includes('将有 2 项奖惩建议'), e.text);
  // The robot that wants only bulletins got no job message.
  assert.deepEqual([...new Set((await deliveries(`?webhook_id=${bad.id}`)).items.map((x) => x.event))], ['bulletin_published']);
});

test('the delivery log is paged, newest first; the CLI sender runs too', async () => {
  const all = await deliveries('?limit=500');
  assert.equal(all.total, Number(sqlValue(server.db, `SELECT COUNT(*) FROM webhook_deliveries WHERE campaign_id = ${camp.id}`)));
  assert.ok(all.total >= 8);
  const page = await deliveries('?limit=2&offset=1');
  assert.deepEqual([page.limit, page.offset, page.total, page.items.length], [2, 1, all.total, 2]);
  assert.deepEqual(page.items.map((x) => x.id), all.items.slice(1, 3).map((x) => x.id));
  assert.ok(all.items[0].id > all.items[1].id);
  const r = await run(['job', 'deliver-webhooks', '--db', server.db]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(Object.keys(JSON.parse(r.stdout)).sort(), ['failed', 'retrying', 'sent']);
  // Deleting a robot keeps its log (the name stays with each delivery).
  const v = expectStatus(await admin.get(`/api/v1/webhooks/${bad.id}`), 200).version;
  expectStatus(await admin.del(`/api/v1/webhooks/${bad.id}?version=${v}`), 204);
  const kept = sql(server.db, "SELECT webhook_id IS NULL, webhook_name FROM webhook_deliveries WHERE webhook_name = '坏群'");
  assert.deepEqual(kept, [['1', '坏群']]);
});

test('the server stops cleanly with its sender running', async () => {
  const { code } = await server.stop();
  assert.equal(code, 0, server.log());
  server = null;
});
