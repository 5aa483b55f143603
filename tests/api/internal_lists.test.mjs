// Internal callers read whole collections, not the first page of 500: the scheduled
// jobs walk every active campaign and the rules engine every enabled rule (domain/jobs.c,
// domain/rules.c via record_list_all). 620 campaigns and 600 rules made with raw SQL.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { run, serveDb, tempDir, ADMIN_PASSWORD } from './lib.mjs';
import { expectStatus, sql, sqlValue } from './fixtures.mjs';

// Campaigns start Monday 2026-08-03; on 08-20 weeks 1 and 2 have ended.
const TODAY = '2026-08-20';
const dir = tempDir();
const db = join(dir, 'huizhan.db');
after(() => rmSync(dir, { recursive: true, force: true }));

test('missing-reports covers all 620 active campaigns and a checkpoint all 600 enabled rules, not the first 500', async () => {
  assert.equal((await run(['init', '--db', db, '--admin-password', ADMIN_PASSWORD])).code, 0);
  const server = await serveDb(db, { env: { HUIZHAN_TODAY: TODAY } });
  try {
    const admin = await server.login('admin', ADMIN_PASSWORD);
    const first = expectStatus(await admin.post('/api/v1/campaigns', { name: '第1场', start_date: '2026-08-03', status: 'active' }), 201);
    const unit = expectStatus(await admin.post('/api/v1/units', { name: '全覆盖测试局', category: 'industry' }), 201);
    // 619 more like it, and 30 drafts the job must leave alone.
    sql(db, `WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 650)
             INSERT INTO campaigns (created_at, updated_at, name, year, start_date, end_date, status)
             SELECT created_at, updated_at, '第' || i || '场', year, start_date, end_date,
                    CASE WHEN i <= 620 THEN 'active' ELSE 'draft' END
             FROM campaigns, n WHERE campaigns.id = ${first.id}`);
    assert.equal(sqlValue(db, "SELECT COUNT(*) FROM campaigns WHERE status = 'active'"), '620');
    const r = expectStatus(await admin.post('/api/v1/jobs/missing-reports/run'), 200);
    // One reminder per active campaign for the one unit: week 2 is missing everywhere.
    assert.equal(r.done.length, 620);
    assert.ok(r.done.every((d) => d.unit_id === unit.id && d.week === 2 && d.status === 'missing'), JSON.stringify(r.done[0]));
    assert.equal(sqlValue(db, "SELECT COUNT(DISTINCT campaign_id) FROM notifications WHERE kind = 'missing_report'"), '620');
    assert.equal(sqlValue(db, `SELECT COUNT(*) FROM notifications n JOIN campaigns c ON c.id = n.campaign_id
                               WHERE n.kind = 'missing_report' AND c.status <> 'active'`), '0');
    // The highest-numbered active campaign is among them (the old first page stopped at 500).
    const last = sqlValue(db, "SELECT MAX(id) FROM campaigns WHERE status = 'active'");
    assert.equal(sqlValue(db, `SELECT COUNT(*) FROM notifications WHERE campaign_id = ${last}`), '1');

    // Rules: the unit has a target, so it is judged; 600 enabled rules that every judged
    // unit meets (rank <= 1000) and 20 disabled ones; the campaign's default rules off.
    expectStatus(await admin.post(`/api/v1/campaigns/${first.id}/targets`, { unit_id: unit.id, metric: 'signed_count', value: 3 }), 201);
    const cp = expectStatus(await admin.post(`/api/v1/campaigns/${first.id}/checkpoints`, { name: '月底', kind: 'month_end', date: '2026-08-31' }), 201);
    sql(db, `UPDATE rules SET enabled = 0 WHERE campaign_id = ${first.id}`);
    sql(db, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 620)
             INSERT INTO rules (created_at, updated_at, campaign_id, code, name, trigger_on, condition, outcome, outcome_text, enabled)
             SELECT '2026-08-01T00:00:00Z', '2026-08-01T00:00:00Z', ${first.id}, 'T-' || i, '规则' || i,
                    CASE WHEN i % 2 = 0 THEN 'any_checkpoint' ELSE 'month_end' END,
                    '{"field":"rank","op":"lte","value":1000}', 'other', '测试', CASE WHEN i <= 600 THEN 1 ELSE 0 END
             FROM n`);
    assert.equal(sqlValue(db, `SELECT COUNT(*) FROM rules WHERE campaign_id = ${first.id} AND enabled = 1`), '600');
    const warn = expectStatus(await admin.get(`/api/v1/checkpoints/${cp.id}/early-warning`), 200);
    assert.equal(warn.would_propose.length, 600);
    const codes = new Set(warn.would_propose.map((p) => p.basis.rule.code));
    assert.equal(codes.size, 600);
    assert.ok(codes.has('T-600') && !codes.has('T-601'));
    assert.ok(warn.would_propose.every((p) => p.unit_id === unit.id));
  } finally {
    await server.stop();
  }
});
