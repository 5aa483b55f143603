// Spreadsheet imports (issue 12): units, users, targets, projects, follow-ups and funds from
// XLSX (made here with Debian's python3-openpyxl) and CSV, through POST /api/v1/imports and
// `huizhan import`. Every count is checked against the database with the sqlite3 CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, run, BIN } from './lib.mjs';

let srv, admin, dir, campaignId;

const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 10000', srv.db, q], { encoding: 'utf8' }).trim();
const count = (table) => Number(sql(`SELECT COUNT(*) FROM ${table}`));

// Writes an XLSX with openpyxl: sheets [{title, rows, merge: ['A1:B1'], formulas: {C2: ['=A2', 'cached']}}].
const MAKE_XLSX = `
import json, sys, zipfile, re, openpyxl
spec = json.load(sys.stdin)
wb = openpyxl.Workbook()
wb.remove(wb.active)
for sh in spec['sheets']:
    ws = wb.create_sheet(sh['title'])
    for r in sh['rows']:
        ws.append(r)
    for m in sh.get('merge', []):
        ws.merge_cells(m)
wb.save(spec['path'])
# openpyxl keeps no cached value for a formula: put one in, as Excel would after a save.
cached = {k: v for sh in spec['sheets'] for k, v in sh.get('cached', {}).items()}
if cached:
    src = zipfile.ZipFile(spec['path'])
    items = [(i, src.read(i.filename)) for i in src.infolist()]
    src.close()
    out = zipfile.ZipFile(spec['path'], 'w', zipfile.ZIP_DEFLATED)
    for info, data in items:
        if info.filename.startswith('xl/worksheets/sheet'):
            text = data.decode('utf8')
            for ref, val in cached.items():
                text = re.sub(r'(<c r="%s"[^>]*?)(?: t="\\w+")?>(<f>[^<]*</f>)<v\\s*/?>(?:</v>)?' % ref,
                              lambda m: '%s t="str">%s<v>%s</v>' % (m.group(1), m.group(2), val), text)
            data = text.encode('utf8')
        out.writestr(info, data)
    out.close()
`;
// Reads every cell of the first sheet: {cells: {A1: {v, red, comment}}, sheets, validations}.
const READ_XLSX = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.worksheets[0]
cells = {}
for row in ws.iter_rows():
    for c in row:
        fill = c.fill.fgColor.rgb if c.fill and c.fill.fill_type == 'solid' else None
        cells[c.coordinate] = {'v': c.value, 'red': bool(fill and str(fill).upper().endswith('FF0000') or fill and str(fill).upper().startswith('FFFF') and str(fill).upper()[4:6] in ('C7','00','99','CC')), 'fill': str(fill) if fill else None,
                               'comment': c.comment.text if c.comment else None}
vals = [{'sqref': str(v.sqref), 'formula': v.formula1} for v in ws.data_validations.dataValidation]
sheets = {s.title: [[c for c in r] for r in s.iter_rows(values_only=True)] for s in wb.worksheets if s.sheet_state == 'visible'}
print(json.dumps({'cells': cells, 'sheetnames': wb.sheetnames, 'validations': vals, 'sheets': sheets}, ensure_ascii=False, default=str))
`;

function xlsx(name, sheets) {
  const path = join(dir, name);
  execFileSync('/usr/bin/python3', ['-c', MAKE_XLSX], { input: JSON.stringify({ path, sheets }) });
  return readFileSync(path);
}
const sheet = (rows, extra = {}) => [{ title: 'Sheet1', rows, ...extra }];
function readXlsx(buf) {
  const path = join(dir, `read-${Math.random().toString(36).slice(2)}.xlsx`);
  writeFileSync(path, buf);
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', READ_XLSX, path], { encoding: 'utf8' }));
}
const csv = (rows) => Buffer.from(rows.map((r) => r.join(',')).join('\r\n') + '\r\n', 'utf8');

/** Uploads body as an import of kind and waits for the job to end; resolves the job. */
async function importFile(client, kind, body, { dryRun = false, filename = 'f.xlsx', extra = '' } = {}) {
  const q = `kind=${kind}&filename=${encodeURIComponent(filename)}${dryRun ? '&dry_run=1' : ''}${extra}`;
  const r = await client.post(`/api/v1/imports?${q}`, body, { headers: { 'Content-Type': 'application/octet-stream' } });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  assert.equal(r.headers.get('location'), `/api/v1/imports/${r.body.id}`);
  for (let i = 0; i < 400; i++) {
    const g = await client.get(`/api/v1/imports/${r.body.id}`);
    assert.equal(g.status, 200);
    if (g.body.state !== 'running') return g.body;
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error('import did not finish');
}

// Everything an import may change, as text: the whole database but the jobs table and
// the sessions (whose last use is recorded as the client polls the job).
function snapshot() {
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', srv.db, '.dump'], { encoding: 'utf8', maxBuffer: 64 << 20 })
    .split('\n').filter((l) => !l.startsWith('INSERT INTO import_jobs') && !l.startsWith('INSERT INTO sessions')).join('\n');
}

before(async () => {
  srv = await startServer();
  dir = srv.dir;
  admin = await srv.admin();
  const c = await admin.post('/api/v1/campaigns', { name: '2026年百日会战', start_date: '2026-09-01' });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  campaignId = c.body.id;
});
after(async () => {
  // A clean stop (under `make asan`: no leak from the import jobs' threads).
  const log = srv.log();
  const res = await srv.stop();
  assert.equal(res.code, 0, log.slice(-4000));
});

test('units import from Chinese headers (XLSX) and English headers (CSV)', async () => {
  const zh = xlsx('units.xlsx', sheet([
    ['名称', '简称', '类别', '电话', '备注'],
    ['市商务局', '商务局', '服务业', '0731-1', null],
    ['市工信局', null, '工业', null, '主抓工业'],
    ['市农业农村局', '农业局', 'agriculture', null, null],
  ]));
  const j = await importFile(admin, 'units', zh);
  assert.equal(j.state, 'done', JSON.stringify(j));
  assert.equal(j.result.state, 'committed');
  assert.deepEqual([j.result.rows, j.result.created, j.result.updated], [3, 3, 0]);
  assert.equal(j.result.format, 'xlsx');
  assert.deepEqual(j.progress, { rows: 3, bytes_done: j.progress.bytes_total, bytes_total: j.progress.bytes_total });
  assert.equal(sql("SELECT category||'|'||COALESCE(short_name,'')||'|'||COALESCE(note,'') FROM units WHERE name='市工信局'"), 'industry||主抓工业');
  assert.equal(sql("SELECT category FROM units WHERE name='市农业农村局'"), 'agriculture');

  const en = csv([['name', 'short_name', 'category', 'phone'], ['市招商局', '招商局', 'services', '123'], ['市财政局', '', '其他', '']]);
  const k = await importFile(admin, 'units', en, { filename: 'units.csv' });
  assert.equal(k.result.state, 'committed', JSON.stringify(k.result));
  assert.equal(k.result.format, 'csv');
  assert.equal(k.result.created, 2);
  assert.equal(count('units'), 5);
  // Each created unit has its audit entry, written through the one write path.
  assert.equal(Number(sql("SELECT COUNT(*) FROM audit_log WHERE entity='units' AND action='create'")), 5);
});

test('re-importing updates by natural key: versions bump, no duplicates', async () => {
  const before = count('units');
  const audits = count('audit_log');
  const file = xlsx('units2.xlsx', sheet([
    ['名称', '简称', '类别', '电话', '备注', '编号'],
    ['市商务局', '商务局', '服务业', '0731-9', null, 99], // phone changed
    ['市工信局', null, '工业', null, '主抓工业', 98],      // the same
  ]));
  const j = await importFile(admin, 'units', file);
  assert.equal(j.result.state, 'committed');
  assert.deepEqual([j.result.created, j.result.updated, j.result.unchanged], [0, 1, 1]);
  assert.deepEqual(j.result.ignored_columns, ['编号']);
  assert.deepEqual(j.result.items.map((x) => x.action), ['update', 'unchanged']);
  assert.equal(count('units'), before);
  assert.equal(sql("SELECT version||'|'||phone FROM units WHERE name='市商务局'"), '2|0731-9');
  assert.equal(sql("SELECT version FROM units WHERE name='市工信局'"), '1');
  assert.equal(count('audit_log'), audits + 1);
});

test('users, targets, projects, follow-ups and funds import with references by natural key', async () => {
  const users = xlsx('users.xlsx', sheet([
    ['登录名', '姓名', '角色', '单位', '职务', '密码'],
    ['swj_staff', '张三', '单位工作人员', '市商务局', '科员', 'password-1'],
    ['gxj_head', '李四', 'unit_head', '市工信局', '局长', 'password-2'],
    ['office2', '王五', '会战办公室', null, null, 'password-3'],
  ]));
  let j = await importFile(admin, 'users', users);
  assert.equal(j.result.state, 'committed', JSON.stringify(j.result.errors));
  assert.equal(sql("SELECT u.role||'|'||n.name FROM users u JOIN units n ON n.id=u.unit_id WHERE login='swj_staff'"), 'unit_staff|市商务局');
  const staff = await srv.login('swj_staff', 'password-1');
  assert.equal(staff.user.login, 'swj_staff');

  j = await importFile(admin, 'targets', xlsx('targets.xlsx', sheet([
    ['会战', '单位', '指标', '目标值'],
    ['2026年百日会战', '市商务局', '签约额', 50000000],
    ['2026年百日会战', '市工信局', 'funds_arrived', '30,000,000'],
  ])));
  assert.equal(j.result.state, 'committed', JSON.stringify(j.result.errors));
  // A key of two columns, as the file writes them.
  assert.deepEqual(j.result.items.map((x) => x.key), ['市商务局 · 签约额', '市工信局 · funds_arrived']);
  assert.equal(sql("SELECT value FROM targets t JOIN units u ON u.id=t.unit_id WHERE u.name='市工信局' AND metric='funds_arrived'"), '30000000');

  const projects = xlsx('projects.xlsx', sheet([
    ['项目名称', '牵头单位', '参与单位', '项目类别', '招商方式', '计划投资', '信息登记日期', '跟踪责任人'],
    ['新能源电池项目', '市工信局', '市商务局', '工业项目', '以商招商', 800000000, '2026-09-10', 'gxj_head'],
    ['冷链物流园', '市商务局', null, 'services', '行业招商', 120000000, '2026/9/12', null],
  ]));
  j = await importFile(admin, 'projects', projects);
  assert.equal(j.result.state, 'committed', JSON.stringify(j.result.errors));
  assert.equal(sql(`SELECT campaign_id||'|'||category||'|'||method||'|'||lead_date FROM projects WHERE name='冷链物流园'`),
    `${campaignId}|services|industry|2026-09-12`);
  assert.equal(sql("SELECT COUNT(*) FROM project_units pu JOIN projects p ON p.id=pu.project_id WHERE p.name='新能源电池项目'"), '1');
  // The running totals moved with the records: two leads counted for the campaign.
  assert.equal(Number(sql(`SELECT COUNT(*) FROM projects WHERE campaign_id=${campaignId}`)), 2);

  j = await importFile(admin, 'follow-ups', csv([
    ['项目', '单位', '日期', '方式', '洽谈内容', '参与人员'],
    ['新能源电池项目', '市工信局', '2026-09-15', '客商来访', '首次洽谈', 'gxj_head'],
  ]), { filename: 'f.csv' });
  assert.equal(j.result.state, 'committed', JSON.stringify(j.result.errors));
  assert.equal(sql("SELECT kind||'|'||with_leader FROM follow_ups"), 'investor_visit|0');
  assert.equal(count('follow_up_participants'), 1);

  const funds = csv([
    ['项目', '单位', '到账金额', '到账日期', '资金类型', '凭证号'],
    ['冷链物流园', '市商务局', '2000000', '2026-09-20', '上级政策资金', 'PZ-001'],
  ]);
  j = await importFile(admin, 'funds', funds, { filename: 'funds.csv' });
  assert.equal(j.result.state, 'committed', JSON.stringify(j.result.errors));
  j = await importFile(admin, 'funds', funds, { filename: 'funds.csv' });
  assert.deepEqual([j.result.created, j.result.unchanged], [0, 1]);
  assert.equal(count('funds'), 1);
});

test('a dry run reports what it would do and leaves the database byte for byte as it was', async () => {
  const was = snapshot();
  const audits = count('audit_log');
  const j = await importFile(admin, 'projects', xlsx('dry.xlsx', sheet([
    ['项目名称', '牵头单位', '项目类别', '招商方式', '计划投资', '信息登记日期'],
    ['新能源电池项目', '市工信局', '工业项目', '以商招商', 900000000, '2026-09-10'], // update
    ['智能制造产业园', '市工信局', '工业项目', '联合招商', 300000000, '2026-09-11'], // create
    ['生物医药项目', '市商务局', '工业项目', '展会招商', 100000000, '2026-09-11'],   // create
  ])), { dryRun: true });
  assert.equal(j.result.state, 'dry_run');
  assert.equal(j.dry_run, true);
  assert.deepEqual([j.result.created, j.result.updated, j.result.unchanged], [2, 1, 0]);
  assert.deepEqual(j.result.items.map((x) => [x.row, x.action, x.key]),
    [[2, 'update', '新能源电池项目'], [3, 'create', '智能制造产业园'], [4, 'create', '生物医药项目']]);
  assert.equal(count('audit_log'), audits);
  assert.equal(snapshot(), was);
});

test('two bad rows among ten: nothing is written and exactly those cells are reported', async () => {
  const rows = [['项目名称', '牵头单位', '项目类别', '招商方式', '计划投资', '信息登记日期']];
  for (let i = 1; i <= 10; i++) rows.push([`批量项目${i}`, '市商务局', '服务业项目', '行业招商', 1000000 * i, '2026-09-20']);
  rows[3][2] = '高科技项目';   // Excel row 4 (the header is row 1): C4: no such category
  rows[7][1] = '不存在的局';   // row 8: B8: no such unit
  rows[7][5] = '2026-13-40';   // row 8: F8: no such day
  const was = snapshot();
  const j = await importFile(admin, 'projects', xlsx('bad.xlsx', sheet(rows)), { filename: '项目清单.xlsx' });
  assert.equal(j.state, 'done');
  assert.equal(j.result.state, 'rejected');
  assert.equal(j.result.errors_total, 3);
  const got = j.result.errors.map((x) => [x.row, x.ref, x.column, x.value]).sort();
  assert.deepEqual(got, [[4, 'C4', '项目类别', '高科技项目'], [8, 'B8', '牵头单位', '不存在的局'], [8, 'F8', '信息登记日期', '2026-13-40']]);
  assert.match(j.result.errors.find((x) => x.ref === 'C4').message, /不是可选的项目类别.*工业项目/);
  assert.match(j.result.errors.find((x) => x.ref === 'B8').message, /找不到名为“不存在的局”的单位/);
  assert.equal(snapshot(), was);
  assert.equal(Number(sql("SELECT COUNT(*) FROM projects WHERE name LIKE '批量项目%'")), 0);

  // The marked workbook: the rows as they were, the bad cells red with their message.
  assert.equal(j.has_errors_xlsx, true);
  const r = await admin.get(`/api/v1/imports/${j.id}/errors.xlsx`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
  // Named after the uploaded file, so it lands next to it.
  assert.equal(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(r.headers.get('content-disposition'))[1]), '项目清单（错误标注）.xlsx');
  const book = readXlsx(r.raw);
  assert.equal(book.cells.A11.v, '批量项目10');
  assert.equal(book.cells.G1.v, '错误说明');
  for (const ref of ['C4', 'B8', 'F8']) {
    assert.ok(book.cells[ref].fill, `${ref} filled`);
    assert.ok(book.cells[ref].comment, `${ref} has a comment`);
  }
  assert.equal(book.cells.C4.v, '高科技项目');
  assert.match(book.cells.C4.comment, /不是可选的项目类别/);
  assert.equal(book.cells.C5.fill, null);
  assert.equal(book.cells.C5.comment, null);
  assert.match(book.cells.G8.v, /牵头单位：找不到/);
  // The report corrected in place imports as it is: 错误说明 is ignored, every row is created.
  const fixed = join(dir, 'fixed.xlsx');
  writeFileSync(fixed, r.raw);
  execFileSync('/usr/bin/python3', ['-c', `
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1]); ws = wb.worksheets[0]
ws['C4'] = '服务业项目'; ws['B8'] = '市商务局'; ws['F8'] = '2026-09-20'
wb.save(sys.argv[1])`, fixed]);
  const again = await importFile(admin, 'projects', readFileSync(fixed));
  assert.equal(again.result.state, 'committed', JSON.stringify(again.result.errors));
  assert.equal(again.result.created, 10);
  assert.deepEqual(again.result.ignored_columns, []);
  assert.equal(Number(sql("SELECT COUNT(*) FROM projects WHERE name LIKE '批量项目%'")), 10);
  // A job without bad rows has no report.
  const ok = await importFile(admin, 'units', csv([['名称', '类别'], ['市商务局', '服务业']]), { filename: 'u.csv' });
  assert.equal((await admin.get(`/api/v1/imports/${ok.id}/errors.xlsx`)).status, 404);
});

test('a row the write path refuses is reported on its column with the engine\'s message', async () => {
  const j = await importFile(admin, 'users', csv([
    ['登录名', '姓名', '角色', '单位', '密码'],
    ['good_one', '孙八', '会战办公室', '', 'password-8'],    // fine, but rolled back with the rest
    ['new_staff', '赵六', '单位工作人员', '', 'password-9'], // unit user without a unit
    ['good_two', '周九', '市领导', '', 'password-7'],
    ['short_pw', '钱七', '会战办公室', '', 'abc'],           // password too short
  ]), { filename: 'u.csv' });
  assert.equal(j.result.state, 'rejected');
  assert.equal(j.result.rows, 4);
  const got = j.result.errors.map((x) => [x.row, x.field, x.ref]).sort();
  assert.deepEqual(got, [[3, 'unit_id', 'D3'], [5, 'password', 'E5']]);
  assert.equal(Number(sql("SELECT COUNT(*) FROM users WHERE login IN ('new_staff','short_pw','good_one','good_two')")), 0);
});

// A workbook whose sheet holds bytes that are not UTF-8 where 某局 was (openpyxl writes it as
// the character references &#26576;&#23616;): a broken writer's output.
function badUtf8Xlsx() {
  const path = join(dir, 'utf8-bad.xlsx');
  xlsx('utf8-bad.xlsx', sheet([['名称', '类别'], ['某局', '工业']]));
  execFileSync('/usr/bin/python3', ['-c', `
import sys, zipfile
src = zipfile.ZipFile(sys.argv[1]); items = [(i, src.read(i.filename)) for i in src.infolist()]; src.close()
out = zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED)
for info, data in items:
    out.writestr(info, data.replace(b'&#26576;&#23616;', b'\\xff\\xfe') if info.filename.startswith('xl/worksheets/') else data)
out.close()`, path]);
  return readFileSync(path);
}

test('broken files are refused with a clear Chinese error and the database unchanged', async () => {
  const was = snapshot();
  const cases = [
    ['damaged zip', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]), 'x.xlsx', '', /x\.xlsx已损坏，无法作为 XLSX 读取/],
    ['old .xls', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]), 'old.xls', '', /另存为.*\.xlsx/],
    ['invalid UTF-8 (neither UTF-8 nor GBK)', Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0xff, 0xfe, 0xfd, 0x80, 0x0a]), 'bad.csv', '', /不是有效的 UTF-8 文本（也不是 GBK）：第 2 行/],
    ['merged header cells', xlsx('merged.xlsx', sheet([['名称', null, '类别'], ['某局', 'x', '工业']], { merge: ['A1:B1'] })), 'm.xlsx', '', /合并.*A1:B1/],
    ['missing sheet', xlsx('sheets.xlsx', sheet([['名称', '类别'], ['某局', '工业']])), 's.xlsx', '&sheet=' + encodeURIComponent('单位表'), /单位表/],
    ['formula never calculated', xlsx('formula0.xlsx', sheet([['名称', '类别'], ['=CONCAT("某","局")', '工业']])), 'f.xlsx', '', /打开、保存后再导入/],
    ['missing key column', csv([['简称', '类别'], ['某局', '工业']]), 'k.csv', '', /缺少必需的列：名称（name）/],
    ['invalid UTF-8 inside an XLSX', badUtf8Xlsx(), 'u8.xlsx', '', /无效的 UTF-8/],
  ];
  for (const [what, body, filename, extra, re] of cases) {
    const j = await importFile(admin, 'units', body, { filename, extra });
    assert.equal(j.state, 'failed', `${what}: ${JSON.stringify(j)}`);
    assert.match(j.result.message, re, what);
    assert.match(j.result.message, /[\u4e00-\u9fff]/, `${what}: a Chinese message`);
  }
  assert.equal(snapshot(), was);
});

test('GBK CSV is converted and the result says so; formulas give their cached values', async () => {
  const gbk = execFileSync('/usr/bin/python3', ['-c',
    'import sys; sys.stdout.buffer.write("名称,类别,备注\\r\\n市文旅局,服务业,来自WPS\\r\\n".encode("gbk"))']);
  const j = await importFile(admin, 'units', gbk, { filename: 'gbk.csv' });
  assert.equal(j.result.state, 'committed', JSON.stringify(j.result));
  assert.equal(j.result.encoding, 'GBK');
  assert.equal(j.result.notice, '文件为 GBK 编码，已转换为 UTF-8');
  assert.equal(sql("SELECT note FROM units WHERE name='市文旅局'"), '来自WPS');

  const f = xlsx('formula.xlsx', [{ title: 'Sheet1', rows: [['名称', '类别'], ['=CONCAT("市","体育局")', '服务业']], cached: { A2: '市体育局' } }]);
  const k = await importFile(admin, 'units', f);
  assert.equal(k.result.state, 'committed', JSON.stringify(k.result));
  assert.equal(count("units WHERE name='市体育局'"), 1);
});

test('roles: a unit user cannot import units (403) but imports its own projects; scope still holds', async () => {
  const staff = await srv.login('swj_staff', 'password-1');
  const r = await staff.post('/api/v1/imports?kind=units', csv([['名称', '类别'], ['x', '工业']]), { headers: { 'Content-Type': 'text/csv' } });
  assert.equal(r.status, 403);
  assert.ok('kind' in r.body.error.fields, JSON.stringify(r.body));
  const leader = await admin.post('/api/v1/users', { login: 'leader1', name: '市领导', role: 'leader', password: 'password-l' });
  assert.equal(leader.status, 201);
  const l = await srv.login('leader1', 'password-l');
  assert.equal((await l.post('/api/v1/imports?kind=projects', csv([['a'], ['b']]))).status, 403);
  assert.equal((await l.get('/api/v1/import-templates/projects.xlsx')).status, 403);

  // Its own unit's project: the lead unit defaults to its own.
  const own = await importFile(staff, 'projects', csv([
    ['项目名称', '项目类别', '招商方式', '信息登记日期'], ['商务局自报项目', '服务业项目', '以情招商', '2026-09-25']]), { filename: 'p.csv' });
  assert.equal(own.result.state, 'committed', JSON.stringify(own.result));
  assert.equal(sql("SELECT u.name FROM projects p JOIN units u ON u.id=p.lead_unit_id WHERE p.name='商务局自报项目'"), '市商务局');
  // Another unit's project is refused by the record engine, row by row.
  const other = await importFile(staff, 'projects', csv([
    ['项目名称', '牵头单位', '项目类别', '招商方式'], ['越权项目', '市工信局', '工业项目', '以商招商']]), { filename: 'p.csv' });
  assert.equal(other.result.state, 'rejected');
  assert.equal(count("projects WHERE name='越权项目'"), 0);
  // Someone else's job is not visible to a unit user.
  assert.equal((await staff.get(`/api/v1/imports/1`)).status, 404);

  const me = await admin.get('/api/v1/me');
  assert.deepEqual(me.body.capabilities.imports, ['create', 'read']);
  const sme = await staff.get('/api/v1/me');
  assert.deepEqual(sme.body.capabilities.imports, ['create', 'read']);
  const lme = await l.get('/api/v1/me');
  assert.deepEqual(lme.body.capabilities.imports, []);
  const doc = await admin.get('/api/v1/openapi.json');
  assert.ok(doc.body.paths['/api/v1/imports'].post);
  assert.ok(doc.body.paths['/api/v1/import-templates/{name}'].get);
});

test('bad parameters are refused naming them', async () => {
  const body = csv([['名称', '类别'], ['x', '工业']]);
  let r = await admin.post('/api/v1/imports?kind=planets', body);
  assert.equal(r.status, 400);
  assert.ok('kind' in r.body.error.fields, JSON.stringify(r.body));
  r = await admin.post('/api/v1/imports', body);
  assert.equal(r.status, 400);
  r = await admin.post('/api/v1/imports?kind=units&dry_run=yes', body);
  assert.ok('dry_run' in r.body.error.fields, JSON.stringify(r.body));
  r = await admin.post('/api/v1/imports?kind=units&colour=red', body);
  assert.ok('colour' in r.body.error.fields, JSON.stringify(r.body));
  r = await admin.post('/api/v1/imports?kind=units', '');
  assert.equal(r.status, 400);
  assert.ok('body' in r.body.error.fields, JSON.stringify(r.body));
  assert.equal((await admin.get('/api/v1/imports/99999')).status, 404);
});

test('templates: Chinese headers, drop-down lists and an explanation sheet; a filled template imports', async () => {
  const r = await admin.get('/api/v1/import-templates/projects.xlsx');
  assert.equal(r.status, 200);
  const saved = (res) => decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(res.headers.get('content-disposition'))[1]);
  assert.equal(saved(r), '项目导入模板.xlsx');
  assert.equal(saved(await admin.get('/api/v1/import-templates/follow-ups.xlsx?lang=en')), '跟踪洽谈记录导入模板（英文列名）.xlsx');
  const book = readXlsx(r.raw);
  assert.deepEqual(book.sheets['项目'][0].slice(0, 4), ['会战', '项目名称', '牵头单位', '参与单位（联合招商）']);
  assert.ok(book.sheetnames.includes('说明'));
  const help = book.sheets['说明'];
  assert.deepEqual(help[0], ['列名', '英文字段名', '必填', '匹配键', '填写说明']);
  assert.ok(help.some((row) => row[0] === '招商方式' && /以商招商/.test(row[4])));
  // Drop-downs on 项目类别 (I) and 招商方式 (J).
  const cols = book.validations.map((v) => v.sqref.replace(/\d.*/, ''));
  assert.ok(cols.includes('I') && cols.includes('J'), JSON.stringify(book.validations));
  assert.equal((await admin.get('/api/v1/import-templates/planets.xlsx')).status, 404);

  // Fill the template's own headers in and import it.
  const headers = book.sheets['项目'][0];
  const row = headers.map((h) => ({ 会战: '2026年百日会战', 项目名称: '模板项目', 牵头单位: '市商务局', 项目类别: '服务业项目', 招商方式: '展会招商', 信息登记日期: '2026-09-30' })[h] ?? null);
  const j = await importFile(admin, 'projects', xlsx('tpl.xlsx', sheet([headers, row])));
  assert.equal(j.result.state, 'committed', JSON.stringify(j.result));
  assert.equal(count("projects WHERE name='模板项目' AND method='fair'"), 1);
});

// Fills row 2 of each template by field name (the header itself, or for Chinese headers the
// 说明 sheet's 英文字段名 of that header) and saves it with openpyxl (one process for all);
// prints what it saw of each: {headers, fields, lists: {field: [the column's drop-down]}}.
const FILL_TEMPLATES = `
import json, sys, openpyxl
out = []
for spec in json.load(sys.stdin):
    wb = openpyxl.load_workbook(spec['path'])
    ws = wb.worksheets[0]
    help = {r[0]: r[1] for r in wb['说明'].iter_rows(min_row=2, values_only=True)}
    headers = [c.value for c in ws[1]]
    fields = [h if spec['lang'] == 'en' else help[h] for h in headers]
    lists = {}
    for v in ws.data_validations.dataValidation:
        col = str(v.sqref).split(':')[0].rstrip('0123456789')
        lists[fields[openpyxl.utils.column_index_from_string(col) - 1]] = v.formula1.strip('"').split(',')
    for i, f in enumerate(fields):
        if f in spec['values']:
            ws.cell(row=2, column=i + 1, value=spec['values'][f])
    wb.save(spec['path'])
    out.append({'headers': headers, 'fields': fields, 'lists': lists})
print(json.dumps(out, ensure_ascii=False))
`;

test('templates of every kind, with Chinese and with English headers: a drop-down for every enumeration, and both import', async () => {
  const enums = (await admin.get('/api/v1/enums')).body;
  // One row per kind and language, by field name: [Chinese template's value, English template's value].
  const rows = {
    units: { name: ['模板单位甲', 'Template Unit B'], category: ['农业', 'agriculture'], phone: ['0731-7', '0731-8'] },
    users: { login: ['tpl_zh', 'tpl_en'], name: ['模板甲', 'Template B'], role: ['单位工作人员', 'unit_staff'],
      unit_id: ['市商务局', '市工信局'], disabled: ['否', 'false'], password: ['password-zh', 'password-en'] },
    targets: { campaign_id: ['2026年百日会战', '2026年百日会战'], scope: ['全年目标', 'annual'], unit_id: ['市商务局', '市工信局'],
      metric: ['开工项目数', 'started_count'], value: [3, 4] },
    projects: { name: ['模板项目甲', 'Template project B'], lead_unit_id: ['市商务局', '市工信局'], category: ['农业产业化项目', 'agri_industrialization'],
      method: ['借船招商', 'borrowed_ship'], planned_investment: [1500000, 2500000], lead_date: ['2026-09-28', '2026-09-29'] },
    'follow-ups': { unit_id: ['市商务局', '市工信局'], project_id: ['模板项目甲', 'Template project B'], date: ['2026-10-02', '2026-10-03'],
      kind: ['会谈', 'meeting'], summary: ['模板洽谈甲', 'template talk B'] },
    funds: { unit_id: ['市商务局', '市工信局'], project_id: ['模板项目甲', 'Template project B'], amount: [300000, 400000],
      date: ['2026-10-04', '2026-10-05'], kind: ['上级政策资金', 'policy'], voucher_no: ['TPL-1', 'TPL-2'] },
  };
  const table = { units: 'units', users: 'users', targets: 'targets', projects: 'projects', 'follow-ups': 'follow_ups', funds: 'funds' };
  const specs = [];
  for (const [kind, values] of Object.entries(rows)) {
    for (const [i, lang] of ['zh', 'en'].entries()) {
      const path = join(dir, `tpl-${kind}-${lang}.xlsx`);
      specs.push({ kind, lang, path, values: Object.fromEntries(Object.entries(values).map(([f, v]) => [f, v[i]])) });
    }
  }
  await Promise.all(specs.map(async (x) => {
    const r = await admin.get(`/api/v1/import-templates/${x.kind}.xlsx${x.lang === 'en' ? '?lang=en' : ''}`);
    assert.equal(r.status, 200, `${x.kind} ${x.lang}`);
    writeFileSync(x.path, r.raw);
  }));
  const seenAll = JSON.parse(execFileSync('/usr/bin/python3', ['-c', FILL_TEMPLATES], { input: JSON.stringify(specs), encoding: 'utf8' }));
  for (const [n, { kind, lang, path, values: mine }] of specs.entries()) {
    const seen = seenAll[n];
    if (lang === 'en') assert.deepEqual(seen.headers, seen.fields, `${kind}: English headers are the field names`);
    else assert.ok(seen.headers.every((h, k) => h !== seen.fields[k] && /[\u4e00-\u9fff]/.test(h)), `${kind}: Chinese headers`);
    // A drop-down on exactly the enumerations and yes/no columns, with the enumeration's labels or codes.
    const want = {};
    for (const f of seen.fields) {
      const e = enums[`${kind}.${f}`];
      if (e) want[f] = e.map((c) => (lang === 'en' ? c.code : c.label));
    }
    if (kind === 'users') want.disabled = lang === 'en' ? ['true', 'false'] : ['是', '否'];
    assert.ok(Object.keys(want).length > 0, kind);
    assert.deepEqual(seen.lists, want, `${kind} ${lang}: the drop-down lists`);
    for (const f of Object.keys(mine)) assert.ok(seen.fields.includes(f), `${kind} ${lang}: a ${f} column`);
    const before = count(table[kind]);
    const j = await importFile(admin, kind, readFileSync(path), { filename: `tpl-${lang}.xlsx` });
    assert.equal(j.result.state, 'committed', `${kind} ${lang}: ${JSON.stringify(j.result)}`);
    assert.deepEqual([j.result.created, j.result.ignored_columns], [1, []], `${kind} ${lang}`);
    assert.equal(count(table[kind]), before + 1, `${kind} ${lang}`);
  }
  // The rows landed with the codes behind the labels, field for field.
  assert.equal(sql("SELECT category||'|'||phone FROM units WHERE name IN ('模板单位甲','Template Unit B') ORDER BY id"), 'agriculture|0731-7\nagriculture|0731-8');
  assert.equal(sql("SELECT u.role||'|'||n.name||'|'||u.disabled FROM users u JOIN units n ON n.id=u.unit_id WHERE login IN ('tpl_zh','tpl_en') ORDER BY u.id"),
    'unit_staff|市商务局|0\nunit_staff|市工信局|0');
  assert.equal((await srv.login('tpl_en', 'password-en')).user.login, 'tpl_en');
  assert.equal(sql("SELECT t.scope||'|'||t.metric||'|'||t.value FROM targets t JOIN units u ON u.id=t.unit_id WHERE t.metric='started_count' ORDER BY t.id"),
    'annual|started_count|3\nannual|started_count|4');
  assert.equal(sql("SELECT category||'|'||method||'|'||planned_investment||'|'||lead_date FROM projects WHERE name IN ('模板项目甲','Template project B') ORDER BY id"),
    'agri_industrialization|borrowed_ship|1500000|2026-09-28\nagri_industrialization|borrowed_ship|2500000|2026-09-29');
  assert.equal(sql("SELECT f.kind||'|'||p.name FROM follow_ups f JOIN projects p ON p.id=f.project_id WHERE f.summary IN ('模板洽谈甲','template talk B') ORDER BY f.id"),
    'meeting|模板项目甲\nmeeting|Template project B');
  assert.equal(sql("SELECT f.kind||'|'||f.amount||'|'||f.voucher_no FROM funds f WHERE f.voucher_no LIKE 'TPL-%' ORDER BY f.id"), 'policy|300000|TPL-1\npolicy|400000|TPL-2');
  const bad = await admin.get('/api/v1/import-templates/units.xlsx?lang=fr');
  assert.equal(bad.status, 400);
  assert.ok('lang' in bad.body.error.fields, JSON.stringify(bad.body));
  assert.ok('colour' in (await admin.get('/api/v1/import-templates/units.xlsx?colour=red')).body.error.fields);
});

test('CLI: huizhan import with --dry-run, an error report next to the file, and --as', async () => {
  const file = join(dir, 'cli-units.csv');
  writeFileSync(file, '名称,类别\r\n市统计局,其他\r\n');
  const audits = count('audit_log');
  let r = await run(['import', 'units', file, '--db', srv.db, '--dry-run']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /试导入（未写入）：1 行，新建 1/);
  assert.equal(count('audit_log'), audits);
  r = await run(['import', 'units', file, '--db', srv.db, '--as', 'office2']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /已导入：1 行，新建 1/);
  assert.equal(sql("SELECT u.login FROM audit_log a JOIN users u ON u.id=a.user_id WHERE a.entity='units' ORDER BY a.id DESC LIMIT 1"), 'office2');
  const bad = join(dir, 'cli-bad.csv');
  writeFileSync(bad, '名称,类别\r\n市审计局,不知道\r\n');
  r = await run(['import', 'units', bad, '--db', srv.db]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /第 2 行 B2（类别）：“不知道”不是可选的类别/);
  assert.ok(existsSync(`${bad}.errors.xlsx`));
  assert.equal(readXlsx(readFileSync(`${bad}.errors.xlsx`)).cells.B2.comment.includes('不是可选的类别'), true);
  r = await run(['import', 'units', bad, '--db', srv.db, '--as', 'nobody']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /没有可用的用户“nobody”/);
  // On a terminal (script(1) gives it one) a progress bar redrawn in place ends at 100%;
  // without one (above) no bar, only the summary.
  assert.doesNotMatch(r.stderr + (await run(['import', 'units', file, '--db', srv.db, '--dry-run'])).stderr, /\r|\[#/);
  const cmd = [BIN, 'import', 'units', file, '--db', srv.db, '--dry-run'].map((a) => `'${a}'`).join(' ');
  const tty = execFileSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', env: process.env });
  assert.match(tty, /\r\[#{30}\] 100% +1 行\r?\n/, JSON.stringify(tty));
  assert.match(tty, /试导入（未写入）：1 行，新建 0，更新 0，未变 1/);
});
