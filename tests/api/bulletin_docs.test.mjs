// The bulletin documents (SPEC R-OUT-2, docs/workflows.md "Bulletins"): the PDF in
// official-circular layout and the XLSX of its tables, through the API and the CLI, on
// the demo city (第1期 and 第2期 published, 第3期 a draft). What the documents say is
// checked against the bulletin's frozen figures read with raw SQL, by independent
// readers: poppler's pdftotext / pdffonts / pdfinfo and Debian's python3-openpyxl.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, run } from './lib.mjs';
import { expectStatus, expectError } from './fixtures.mjs';

let server, office, staff, leader, b2, b3;
before(async () => {
  server = await startServer({ demo: true });
  office = await server.login('office');
  staff = await server.login('nyj.staff1');
  leader = await server.login('leader');
  const rows = sql(server.db, 'SELECT id, number, status, title, issuer, published_on, sha256 FROM bulletins ORDER BY number');
  b2 = rows.find((b) => b.number === 2);
  b3 = rows.find((b) => b.number === 3);
  assert.equal(b2.status, 'published');
  assert.equal(b3.status, 'draft');
});
after(() => server?.stop());

// Raw SQL with the sqlite3 CLI, rows as objects with SQLite's own types.
function sql(db, query) {
  const out = execFileSync('sqlite3', ['-json', '-cmd', '.timeout 5000', db, query], { encoding: 'utf8' });
  return out.trim() ? JSON.parse(out) : [];
}
const tool = (cmd, args) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
const save = (name, bytes) => {
  const p = join(server.dir, name);
  writeFileSync(p, bytes);
  return p;
};
const flat = (s) => s.replace(/\s+/g, '');
const pageText = (pdf, page, layout = false) =>
  tool('pdftotext', [...(layout ? ['-layout'] : []), '-f', String(page), '-l', String(page), pdf, '-']);
const wan = (yuan) => (Math.round(yuan / 100) / 100).toFixed(2); // all demo amounts are positive
const STATUS = { zero: '零进展', behind: '滞后', ahead: '超前', no_target: '未下达目标', on_track: '正常' };

// The ranking the bulletin froze, straight from the stored JSON with SQLite's json_each.
function frozenRanking(id, path = '$.ranking') {
  return sql(server.db, `SELECT json_extract(value, '$.rank') AS rank, json_extract(value, '$.name') AS name,
      json_extract(value, '$.score') AS score, json_extract(value, '$.funds_certified') AS funds,
      json_extract(value, '$.signed_certified') AS signed, json_extract(value, '$.status') AS status
    FROM bulletins, json_each(bulletins.content, '${path}') WHERE bulletins.id = ${id} ORDER BY key`);
}

let pdf2; // 第2期 as a unit's staff member downloads it
test('PDF of 第2期: official circular with the title, 第2期, the office, every ranked unit in order', async () => {
  const t0 = Date.now();
  const r = await staff.get(`/api/v1/bulletins/${b2.id}/pdf`);
  const ms = Date.now() - t0;
  assert.equal(r.status, 200, r.body);
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  assert.equal(r.headers.get('content-disposition'),
    `attachment; filename="bulletin-2.pdf"; filename*=UTF-8''${encodeURIComponent('通报第2期.pdf')}`);
  assert.equal(r.raw.subarray(0, 5).toString(), '%PDF-');
  assert.ok(r.raw.length < 500_000, `${r.raw.length} bytes: fonts are subset`);
  console.log(`# 第2期 PDF: ${r.raw.length} bytes, ${ms} ms over HTTP`);
  pdf2 = save('b2.pdf', r.raw);

  const text = tool('pdftotext', [pdf2, '-']);
  const all = flat(text);
  assert.ok(all.includes(flat(b2.title)), 'the title');
  assert.ok(all.includes('招商引资百日会战通报第2期'), 'masthead and 第2期');
  assert.ok(all.includes(b2.issuer) && all.includes('2026年9月29日'), 'issuing office and the date it was published (2026-09-29)');
  assert.equal(b2.published_on, '2026-09-29');

  // The ranking table, row by row, as the bulletin froze it (31 units in the demo city).
  const ranking = frozenRanking(b2.id);
  assert.equal(ranking.length, 31);
  // The API's bulletin JSON says the same as the raw SQL.
  const json = expectStatus(await staff.get(`/api/v1/bulletins/${b2.id}`), 200);
  assert.deepEqual(json.content.ranking.map((x) => x.name), ranking.map((x) => x.name));
  const layout = tool('pdftotext', ['-layout', pdf2, '-']);
  const at = [];
  for (const u of ranking) {
    const row = new RegExp(`^\\s*${u.rank}\\s+${u.name}\\s+${u.score.toFixed(2)}\\s+${wan(u.funds)}\\s+${u.signed}\\s+${STATUS[u.status]}\\s*$`, 'm');
    const m = row.exec(layout);
    assert.ok(m, `ranking row of ${u.rank} ${u.name}`);
    at.push(m.index);
  }
  assert.deepEqual(at, [...at].sort((x, y) => x - y), 'in rank order');

  // Lagging units, rule outcomes and highlights, from the same frozen content.
  const lagging = sql(server.db, `SELECT json_extract(value, '$.name') AS name FROM bulletins,
    json_each(bulletins.content, '$.lagging') WHERE bulletins.id = ${b2.id}`);
  const outcomes = sql(server.db, `SELECT json_extract(value, '$.unit_name') AS name, json_extract(value, '$.outcome_text') AS t
    FROM bulletins, json_each(bulletins.content, '$.rule_outcomes') WHERE bulletins.id = ${b2.id}`);
  const signings = sql(server.db, `SELECT json_extract(value, '$.project_name') AS p FROM bulletins,
    json_each(bulletins.content, '$.highlights.new_signings') WHERE bulletins.id = ${b2.id}`);
  assert.ok(lagging.length > 0 && outcomes.length > 0 && signings.length > 0);
  const tail = all.slice(all.indexOf('五、进度滞后单位'));
  for (const u of lagging) assert.ok(tail.includes(`${u.name}（`), `lagging: ${u.name}`);
  for (const o of outcomes) assert.ok(tail.includes(`${o.name}：${o.t}`), `rule outcome: ${o.name}`);
  for (const s of signings) assert.ok(all.includes(flat(s.p)), `signing: ${s.p}`);
  assert.ok(!all.includes('草稿'), 'a published bulletin is no draft');
});

test('PDF: Noto CJK embedded as subsets, pages numbered 第 x 页 共 y 页, the table header repeated on page 2', () => {
  const fonts = tool('pdffonts', [pdf2]).split('\n').slice(2).filter((l) => l.trim());
  assert.ok(fonts.length >= 2);
  for (const l of fonts) {
    assert.match(l, /^[A-Z]{6}\+Noto(Serif|Sans)CJKsc-(Regular|Bold)\s/, l);
    assert.match(l, /\byes\s+yes\s+yes\b/, `embedded, subset, with a ToUnicode map: ${l}`);
  }
  assert.ok(fonts.some((l) => /NotoSerifCJK/.test(l)) && fonts.some((l) => /NotoSansCJK/.test(l)));
  const pages = Number(/Pages:\s+(\d+)/.exec(tool('pdfinfo', [pdf2]))[1]);
  assert.ok(pages > 1, `${pages} pages`);
  for (let p = 1; p <= pages; p++) assert.match(pageText(pdf2, p), new RegExp(`第 ${p} 页 共 ${pages} 页`), `page ${p}`);

  // The overall ranking starts on page 1 and goes on on page 2, under its header again.
  const ranking = frozenRanking(b2.id);
  const rowOf = (u) => new RegExp(`^\\s*${u.rank}\\s+${u.name}\\s`, 'm');
  const one = pageText(pdf2, 1, true), two = pageText(pdf2, 2, true);
  const last = ranking.filter((u) => rowOf(u).test(one)).pop();
  assert.ok(last && last.rank > 1 && last.rank < ranking.length, `page 1 ends the table at rank ${last?.rank}`);
  const next = ranking[last.rank]; // rank k + 1
  const m = rowOf(next).exec(two);
  assert.ok(m, `rank ${next.rank} on page 2`);
  const above = two.slice(0, m.index);
  for (const h of ['名次', '单位', '综合得分', '认定到账资金', '认定签约项目', '进度']) assert.ok(above.includes(h), `header ${h} repeated`);
  assert.ok(!above.includes('综合排名') && !/\d/.test(above.replace(/（万元）|（个）/g, '')), `only the header above it: ${above}`);

  // The first page as an image (the look is checked by eye; here: it renders, A4 at 60 dpi).
  const png = join(server.dir, 'first');
  tool('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdf2, png]);
  const file = [`${png}-01.png`, `${png}-1.png`].find(existsSync);
  assert.ok(file && statSync(file).size > 10_000);
  const img = readFileSync(file);
  assert.deepEqual([img.readUInt32BE(16), img.readUInt32BE(20)], [497, 702], 'A4 at 60 dpi (pdftoppm rounds up)');
});

test('the draft (第3期): the office and leaders get it marked as a draft; a unit gets 404, as for its print page', async () => {
  for (const fmt of ['pdf', 'xlsx']) {
    expectError(await staff.get(`/api/v1/bulletins/${b3.id}/${fmt}`), 404, 'not_found');
    assert.equal((await staff.get(`/api/v1/bulletins/${b3.id}/print`)).status, 404);
  }
  const r = await office.get(`/api/v1/bulletins/${b3.id}/pdf`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-disposition'),
    `attachment; filename="bulletin-3-draft.pdf"; filename*=UTF-8''${encodeURIComponent('通报第3期（草稿）.pdf')}`);
  const text = flat(tool('pdftotext', [save('b3.pdf', r.raw), '-']));
  assert.ok(text.includes('（草稿，未发布）') && text.includes('第3期'));
  // A draft is dated by its period end.
  const end = sql(server.db, `SELECT period_end FROM bulletins WHERE id = ${b3.id}`)[0].period_end;
  const [y, mo, d] = end.split('-').map(Number);
  assert.ok(text.includes(`${y}年${mo}月${d}日`), end);
  assert.equal((await leader.get(`/api/v1/bulletins/${b3.id}/xlsx`)).status, 200);
  // The demo's long title breaks before 工作通报; a short one stays on one line, and text
  // that looks like markup is set as it is.
  const lines = (pdf) => pageText(pdf, 1).split('\n').map((l) => l.trim());
  const demoTitle = sql(server.db, `SELECT title FROM bulletins WHERE id = ${b3.id}`)[0].title;
  const at = demoTitle.indexOf('工作通报');
  assert.ok(at > 0);
  const before = lines(join(server.dir, 'b3.pdf'));
  assert.ok(before.includes(demoTitle.slice(0, at)) && before.includes(demoTitle.slice(at)), before.join('|'));
  const version = sql(server.db, `SELECT version FROM bulletins WHERE id = ${b3.id}`)[0].version;
  expectStatus(await office.patch(`/api/v1/bulletins/${b3.id}`, { version, title: '会战<b>&工作通报（第3期）' }), 200);
  const short = await office.get(`/api/v1/bulletins/${b3.id}/pdf`);
  assert.ok(lines(save('b3-short.pdf', short.raw)).includes('会战<b>&工作通报（第3期）'));
});

test('bad requests: no such bulletin, a query parameter, no login', async () => {
  for (const fmt of ['pdf', 'xlsx']) {
    expectError(await office.get(`/api/v1/bulletins/999999/${fmt}`), 404, 'not_found');
    const q = expectError(await office.get(`/api/v1/bulletins/${b2.id}/${fmt}?format=html`), 400, 'validation_failed', 'format');
    assert.ok(q.message);
    const anon = await fetch(`${server.url}/api/v1/bulletins/${b2.id}/${fmt}`);
    assert.equal(anon.status, 401);
  }
});

// Reads every sheet of a workbook with openpyxl: {sheet: {rows, frozen, bold}}.
function readXlsx(path) {
  const py = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {}
for ws in wb.worksheets:
    out[ws.title] = {'rows': [[c.value for c in r] for r in ws.iter_rows()], 'frozen': ws.freeze_panes,
                     'bold': all(c.font.b for c in ws[1])}
print(json.dumps(out, ensure_ascii=False))`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', py, path], { encoding: 'utf8' }));
}

const rankingRows = (list) => list.map((u) => [u.rank, u.name, u.score, Number(wan(u.funds)), u.signed, STATUS[u.status]]);

test('XLSX of 第2期: the same tables, read back by openpyxl, equal the frozen figures', async () => {
  const r = await staff.get(`/api/v1/bulletins/${b2.id}/xlsx`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal(r.headers.get('content-disposition'),
    `attachment; filename="bulletin-2.xlsx"; filename*=UTF-8''${encodeURIComponent('通报第2期.xlsx')}`);
  const wb = readXlsx(save('b2.xlsx', r.raw));
  const header = ['名次', '单位', '综合得分', '认定到账资金（万元）', '认定签约项目（个）', '进度'];
  assert.deepEqual(Object.keys(wb), ['综合排名', '工业类单位', '农业类单位', '服务业类单位', '争取政策资金类单位', '群团类单位',
    '其他单位', '时间进度与任务进度', '新签约项目', '大额资金到账', '排名变化较大的单位', '进度滞后单位', '奖惩建议', '通报信息']);
  const overall = wb['综合排名'];
  assert.deepEqual(overall.rows[0], header);
  assert.equal(overall.frozen, 'A2');
  assert.ok(overall.bold);
  assert.deepEqual(overall.rows.slice(1), rankingRows(frozenRanking(b2.id)));
  const cats = { 工业类单位: 'industry', 农业类单位: 'agriculture', 服务业类单位: 'services', 争取政策资金类单位: 'policy_funds', 群团类单位: 'mass_org', 其他单位: 'other' };
  for (const [sheet, key] of Object.entries(cats)) {
    assert.deepEqual(wb[sheet].rows.slice(1), rankingRows(frozenRanking(b2.id, `$.ranking_by_category.${key}`)), sheet);
  }
  // Time vs task: one row per unit, completion as a number, targets joined with "；".
  const tvt = wb['时间进度与任务进度'];
  const units = sql(server.db, `SELECT json_extract(value, '$.name') AS name, json_extract(value, '$.completion') AS c
    FROM bulletins, json_each(bulletins.content, '$.time_vs_task') WHERE bulletins.id = ${b2.id} ORDER BY key`);
  assert.deepEqual(tvt.rows[0], ['单位', '任务完成率（%）', '目标任务完成情况（认定 / 目标）', '状态']);
  assert.deepEqual(tvt.rows.slice(1).map((x) => [x[0], x[1]]), units.map((u) => [u.name, u.c === null ? '—' : Math.round(u.c * 10) / 10]));
  assert.ok(tvt.rows.slice(1).some((x) => /^到账资金 [\d.]+ \/ [\d.]+ 万元；/.test(x[2])));
  const info = Object.fromEntries(wb['通报信息'].rows.slice(1));
  assert.equal(info['标题'], b2.title);
  assert.equal(info['期数'], '第2期');
  assert.equal(info['SHA-256'], b2.sha256);
  assert.equal(info['状态'], '已发布');
});

test('huizhan bulletin render ID --format pdf|xlsx|html: the same documents as the API', async () => {
  const cli = (args) => run(['bulletin', 'render', ...args, '--db', server.db], { env: { HUIZHAN_TODAY: '2026-10-15' } });
  const out = (ext) => join(server.dir, `cli.${ext}`);
  let r = await cli([String(b2.id), '--format', 'pdf', '--out', out('pdf')]);
  assert.equal(r.code, 0, r.stderr);
  const text = flat(tool('pdftotext', [out('pdf'), '-']));
  assert.ok(text.includes(flat(b2.title)) && text.includes('第2期'));
  r = await cli([String(b2.id), '--format', 'xlsx', '--out', out('xlsx')]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readXlsx(out('xlsx'))['综合排名'].rows.slice(1), rankingRows(frozenRanking(b2.id)));
  // HTML to standard output: byte for byte the API's print page.
  r = await cli([String(b2.id), '--format', 'html']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, (await office.get(`/api/v1/bulletins/${b2.id}/print`)).body);
  // PDF to standard output (not a terminal here).
  r = await cli([String(b2.id), '--format', 'pdf']);
  assert.equal(r.code, 0);
  assert.ok(r.stdout.startsWith('%PDF-'));
  // Bad use: an unknown format or none, no id (2); no such bulletin (1).
  r = await cli([String(b2.id), '--format', 'docx']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--format 应为 pdf、xlsx 或 html/);
  assert.equal((await cli([String(b2.id)])).code, 2);
  assert.equal((await cli(['--format', 'pdf'])).code, 2);
  assert.equal((await cli(['x', '--format', 'pdf'])).code, 2);
  r = await cli(['9999', '--format', 'pdf', '--out', out('none')]);
  assert.equal(r.code, 1);
  assert.ok(!existsSync(out('none')));
});
