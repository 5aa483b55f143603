// huizhan gen: the benchmark's database generator (bench/), at a small size. Exact
// counts, the same data for the same seed, records that obey the campaign's rules, and
// figures that `huizhan check` recomputes to the same sums.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { run, tempDir, serveDb, Client } from './lib.mjs';

const SIZE = ['--units', '30', '--projects', '2000', '--follow-ups', '8000', '--funds', '4000'];
const AS_OF = '2026-10-15';
const PASSWORD = 'gen-pass-2026';
const dir = tempDir();
after(() => rmSync(dir, { recursive: true, force: true }));

function sql(db, query) {
  return execFileSync('sqlite3', ['-batch', '-noheader', db, query], { encoding: 'utf8', maxBuffer: 256 << 20 }).trim();
}
function count(db, table) { return Number(sql(db, `SELECT COUNT(*) FROM ${table}`)); }

async function gen(name, seed, extra = []) {
  const db = join(dir, name);
  const r = await run(['gen', '--db', db, ...SIZE, '--seed', String(seed), '--as-of', AS_OF, '--password', PASSWORD, ...extra]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /2000 个项目/);
  assert.match(r.stderr, /figures/, 'progress goes to stderr');
  return db;
}

/** Every generated table's rows in id order; the password hash (random salt) and the
 * closing audit entry (its time) left out. */
function dump(db) {
  const tables = ['units', 'campaigns', 'checkpoints', 'events', 'targets', 'investors', 'projects', 'project_units',
    'stage_changes', 'follow_ups', 'follow_up_participants', 'funds', 'project_figures', 'unit_figures', 'unit_totals'];
  const parts = tables.map((t) => sql(db, `SELECT * FROM ${t} ORDER BY 1, 2`));
  parts.push(sql(db, 'SELECT id, created_at, updated_at, login, name, role, unit_id, title, phone FROM users ORDER BY id'));
  parts.push(sql(db, "SELECT * FROM audit_log WHERE action = 'certify' ORDER BY id"));
  return parts.join('\n--\n');
}

/** Everything gen writes that does not hang on the password's salt, the audit key or the
 * clock: every table's rows in the order they were written (the figures tables, stored by
 * their keys since schema 19, in the order of all their columns), the audit entries
 * without their hashes. */
function content(db) {
  const tables = ['units', 'campaigns', 'checkpoints', 'events', 'targets', 'investors', 'projects', 'project_units',
    'stage_changes', 'follow_ups', 'follow_up_participants', 'funds'];
  const figures = { project_figures: 7, unit_figures: 6, unit_totals: 5, project_stays: 7, unit_stays: 6, unit_stay_totals: 5 };
  const parts = tables.map((t) => `${t}\n${sql(db, `SELECT rowid, * FROM ${t} ORDER BY rowid`)}`);
  for (const [t, n] of Object.entries(figures)) {
    const all = Array.from({ length: n }, (_, i) => i + 1).join(', ');
    parts.push(`${t}\n${sql(db, `SELECT * FROM ${t} ORDER BY ${all}`)}`);
  }
  parts.push(sql(db, 'SELECT id, created_at, updated_at, login, name, role, unit_id, title, phone FROM users ORDER BY id'));
  parts.push(sql(db, "SELECT id, at, user_id, action, entity, entity_id, before, after FROM audit_log WHERE action = 'certify' ORDER BY id"));
  parts.push(sql(db, "SELECT key, value FROM meta WHERE key = 'audit_count'"));
  return parts.join('\n--\n');
}
/* The SHA-256 of content() for seed 42 at SIZE, as the generator wrote it before it was
 * made faster (issue 13): a change that speeds gen up must not change what it writes.
 * (Since schema 19 the figures tables are hashed in key order: the binary of schema 17
 * gives this same hash.) A
 * change meant to alter the data (it also renews the benchmark's database) updates it:
 * print content()'s hash and say why in the commit. */
const CONTENT_SHA256 = 'f88f612488a76a5feb1970e0c779bd60006bc6cd17aa31bde451509b5c3ff7dc';

describe('huizhan gen', () => {
  let a, b, c;
  before(async () => {
    a = await gen('a.db', 42);
    b = await gen('b.db', 42);
    c = await gen('c.db', 43);
  });

  test('writes exactly the sizes asked for', () => {
    assert.equal(count(a, 'units'), 30);
    assert.equal(count(a, 'projects'), 2000);
    assert.equal(count(a, 'follow_ups'), 8000);
    assert.equal(count(a, 'funds'), 4000);
    assert.equal(count(a, 'campaigns'), 1);
    assert.equal(count(a, 'users'), 3 + 3 * 30, 'admin, office, leader and three accounts per unit');
    assert.equal(count(a, "users WHERE role = 'unit_staff'"), 30);
    assert.equal(count(a, 'targets WHERE scope = \'campaign\''), 30 * 7, 'every unit has a target for every metric');
    assert.ok(count(a, 'stage_changes') > 1000);
    assert.ok(count(a, 'project_figures') > 0 && count(a, 'unit_totals') > 0);
  });

  test('the same seed gives the same data, another seed other data', () => {
    const da = dump(a);
    assert.ok(da.length > 100000);
    assert.equal(da, dump(b));
    assert.notEqual(da, dump(c));
    // one password hash, computed once
    assert.equal(count(a, '(SELECT DISTINCT password_hash FROM users)'), 1);
  });

  test('writes what the generator has always written for this seed', () => {
    assert.equal(createHash('sha256').update(content(a)).digest('hex'), CONTENT_SHA256);
  });

  test('huizhan check recomputes the same figures, and the audit chain holds', async () => {
    const r = await run(['check', '--db', a]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'ok\n');
    const v = await run(['audit', 'verify', '--db', a]);
    assert.equal(v.code, 0, v.stderr);
  });

  test('records obey the campaign rules', () => {
    const none = (q, what) => assert.equal(Number(sql(a, q)), 0, what);
    none("SELECT COUNT(*) FROM funds f JOIN projects p ON p.id = f.project_id WHERE p.stage NOT IN ('signed','started','completed')",
      'funds only for signed, started or completed projects');
    none(`SELECT COUNT(*) FROM funds f JOIN stage_changes s ON s.project_id = f.project_id AND s.contract_date IS NOT NULL
          AND s.status <> 'rejected' WHERE f.date < s.contract_date`, 'no money before the signing');
    for (const t of ['follow_ups', 'funds', 'stage_changes']) none(`SELECT COUNT(*) FROM ${t} WHERE date > '${AS_OF}'`, `no ${t} after the as-of day`);
    none("SELECT COUNT(*) FROM projects WHERE lead_date > '2026-10-15'", 'no lead after the as-of day');
    // evidence of every stage a move passes
    none(`SELECT COUNT(*) FROM stage_changes WHERE to_stage IN ('signed','started','completed')
          AND from_stage IN ('lead','negotiating') AND (contract_date IS NULL OR contract_value IS NULL)`, 'signing evidence');
    none(`SELECT COUNT(*) FROM stage_changes WHERE to_stage IN ('started','completed')
          AND from_stage IN ('lead','negotiating','signed') AND start_date IS NULL`, 'start evidence');
    none("SELECT COUNT(*) FROM stage_changes WHERE to_stage = 'completed' AND completion_date IS NULL", 'completion evidence');
    none("SELECT COUNT(*) FROM stage_changes WHERE to_stage = 'dropped' AND (reason IS NULL OR reason = '')", 'drop reason');
    // the project stands where its latest standing move took it
    none(`SELECT COUNT(*) FROM projects p WHERE p.stage <> COALESCE((SELECT to_stage FROM stage_changes s
          WHERE s.project_id = p.id AND s.status <> 'rejected' ORDER BY s.id DESC LIMIT 1), 'lead')`, 'stage follows the moves');
    // each move starts where the previous standing one ended
    none(`SELECT COUNT(*) FROM stage_changes s WHERE s.from_stage <> COALESCE((SELECT to_stage FROM stage_changes t
          WHERE t.project_id = s.project_id AND t.id < s.id AND t.status <> 'rejected' ORDER BY t.id DESC LIMIT 1), 'lead')`,
    'moves form a straight line');
    // only a project's latest move is ever rejected
    none(`SELECT COUNT(*) FROM stage_changes s WHERE s.status = 'rejected'
          AND EXISTS (SELECT 1 FROM stage_changes t WHERE t.project_id = s.project_id AND t.id > s.id)`, 'rejections');
    none(`SELECT COUNT(*) FROM projects p WHERE last_activity_date <>
          MAX(lead_date, COALESCE((SELECT MAX(date) FROM follow_ups f WHERE f.project_id = p.id), ''))`, 'last activity');
    none(`SELECT COUNT(*) FROM follow_ups f JOIN units u ON u.id = f.unit_id WHERE f.with_leader <>
          EXISTS (SELECT 1 FROM follow_up_participants x WHERE x.follow_up_id = f.id AND x.user_id IN (u.head_user_id, u.deputy_user_id))`,
    'with_leader says whether the head or deputy took part');
    assert.ok(Number(sql(a, "SELECT COUNT(*) FROM stage_changes WHERE status = 'certified'")) > 0);
    assert.ok(Number(sql(a, "SELECT COUNT(*) FROM stage_changes WHERE status = 'rejected'")) > 0);
  });

  test('a unit account logs in and sees its own projects, largest first', async () => {
    const srv = await serveDb(a, { env: { HUIZHAN_TODAY: AS_OF } });
    try {
      const staff = await srv.login('u3_staff', PASSWORD);
      assert.equal(staff.user.unit_id, 3);
      const r = await staff.get('/api/v1/projects?sort=-planned_investment&limit=50');
      assert.equal(r.status, 200);
      const visible = Number(sql(a, 'SELECT COUNT(*) FROM projects WHERE lead_unit_id = 3 OR id IN (SELECT project_id FROM project_units WHERE unit_id = 3)'));
      assert.equal(r.body.total, visible);
      assert.equal(r.body.items.length, Math.min(50, visible));
      for (let i = 1; i < r.body.items.length; i++) assert.ok(r.body.items[i - 1].planned_investment >= r.body.items[i].planned_investment);
      const office = await srv.login('office', PASSWORD);
      const d = await office.get('/api/v1/campaigns/1/dashboard');
      assert.equal(d.status, 200);
      assert.equal(d.body.ranking.total, 30);
      assert.equal(d.body.ranking.top.length, 30, 'up to 40 units the chart gets them all');
      const m = await office.get('/api/v1/campaigns/1/dashboard/matrix?limit=500');
      assert.equal(m.body.total, 30);
      assert.equal(m.body.items.length, 30);
      assert.equal(d.body.campaign.day, 60, 'the as-of day is day 60 of the campaign');
    } finally {
      await srv.stop();
    }
  });

  test('refuses bad sizes and an existing file', async () => {
    let r = await run(['gen', '--db', join(dir, 'x.db'), '--units', '0']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /units/);
    r = await run(['gen', '--db', join(dir, 'x.db'), '--projects', 'many']);
    assert.equal(r.code, 2);
    assert.ok(!existsSync(join(dir, 'x.db')));
    r = await run(['gen', '--db', a, ...SIZE]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /已存在/);
    r = await run(['gen', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--follow-ups/);
  });
});
