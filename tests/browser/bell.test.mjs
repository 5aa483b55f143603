// The bell's unread count comes from the server's read mark: opening the bell in one
// browser marks the newest notification seen (notification_reads holds its id), and a
// second browser for the same person shows no unread count either.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPage, login, shot } from './lib.mjs';
import { sql } from '../api/fixtures.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env.close(); });

const badge = (page) => page.locator('[data-test=bell] .el-badge__content');

test('opening the bell marks the notifications seen for the person, in every browser', async () => {
  const page = await openPage(env);
  await login(page, 'leader');
  const list = await (await page.request.get(page.origin + '/api/v1/notifications?limit=20&sort=-id&campaign_id=1')).json();
  assert.ok(list.items.length > 0, 'the leader has notifications');
  const top = Math.max(...list.items.map((n) => n.id));
  // Nothing seen yet: every one of the latest (up to 20) counts.
  await badge(page).waitFor();
  assert.equal((await badge(page).innerText()).trim(), String(list.items.length));
  await page.locator('[data-test=bell]').click();
  await badge(page).waitFor({ state: 'hidden' });
  await page.waitForFunction(async () => (await (await fetch('/api/v1/me')).json()).notifications_seen > 0);
  assert.deepEqual(sql(env.server.db, "SELECT r.last_seen_id FROM notification_reads r JOIN users u ON u.id = r.user_id WHERE u.login = 'leader'"), [[String(top)]]);
  await shot(page, 'bell-seen');
  page.check();
  await page.ctx.close();

  // Another browser (a fresh profile, no local storage): still nothing unread.
  const other = await openPage(env);
  await login(other, 'leader');
  await other.waitForFunction(() => document.querySelector('[data-test=bell]'));
  await other.waitForTimeout(500);
  assert.equal(await badge(other).isVisible(), false);
  // A new notification for everyone makes the count 1.
  // (Notifications are made by the server's jobs only, so this one goes in through SQL.)
  sql(env.server.db, "INSERT INTO notifications (created_at, updated_at, campaign_id, unit_id, kind, text) VALUES (strftime('%Y-%m-%dT%H:%M:%SZ','now'), strftime('%Y-%m-%dT%H:%M:%SZ','now'), 1, NULL, 'bulletin_published', '第9期通报已发布')");
  await other.reload();
  await badge(other).waitFor();
  assert.equal((await badge(other).innerText()).trim(), '1');
  other.check();
  await other.ctx.close();
});
