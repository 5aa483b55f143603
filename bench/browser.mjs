// make bench, browser rows (bench/README.md): the dashboard's first load and the project
// list's paging, in Debian's Chromium driven by playwright-core (web/node_modules), on
// loopback against a running `huizhan serve`. Not a test: prints medians as JSON lines.
//
//   node bench/browser.mjs dashboard ORIGIN LOGIN PASSWORD REPS [WRITE_PROJECT]
//   node bench/browser.mjs projects  ORIGIN LOGIN PASSWORD REPS FAR_PAGE
//
// dashboard: each run opens a new browser context, logs in through the form, empties the
// browser's HTTP cache, then navigates to /dashboard and reads the page's own performance marks, taken from
// navigation start: dashboard-charts-drawn (ranking, funnel and forecast charts have
// finished rendering, ECharts' "finished" event) and dashboard-tables-filled (the first
// page of the ranking and lagging tables shown, after scrolling to them once the charts are
// drawn: their code loads when they come near the screen). With WRITE_PROJECT, a follow-up is
// POSTed on that project before each run, so the server computes the boards afresh
// ("after a write"); without it the server answers from its cache. Baseline, same run:
// a fresh context's navigation to /login until its form shows (the app shell alone).
//
// projects: /projects as the office: time from navigation start to the first page's rows,
// then from the jumper's Enter to page FAR_PAGE's rows, then from a click on a column's
// sort to the re-sorted rows; long tasks (PerformanceObserver "longtask", ≥ 50 ms) are
// counted and the longest reported for each step. Baseline: GET of the same first page
// with fetch() inside the page (the API's own time, no rendering).
import { createRequire } from 'node:module';

const require = createRequire(new URL('../web/package.json', import.meta.url));
const { chromium, request } = require('playwright-core');

const [mode, origin, login, password, repsArg, extra] = process.argv.slice(2);
const REPS = Number(repsArg || 3);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
const round = (x) => Math.round(x * 10) / 10;

const browser = await chromium.launch({
  executablePath: process.env.HZ_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--no-first-run', '--disable-sync'],
});

async function newPage() {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  ctx.setDefaultTimeout(120_000);
  const page = await ctx.newPage();
  // Long tasks from the first script on.
  await page.addInitScript(() => {
    window.__long = [];
    try {
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([e.startTime, e.duration]); })
        .observe({ type: 'longtask', buffered: true });
    } catch { /* no longtask support */ }
  });
  // Logged in through the form, as a person does (the app keeps its session state itself).
  await page.goto(origin + '/login');
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill(password);
  await page.locator('[data-test=login-submit]').click();
  await page.waitForURL(/\/home$/);
  // The workbench's own requests finish first, so they do not share the server with the timed load.
  await page.waitForLoadState('networkidle');
  return { ctx, page };
}

// Writes go through their own API session (a follow-up bumps the data revision).
let writer = null;
async function write(project, i) {
  if (!writer) {
    writer = await request.newContext({ baseURL: origin });
    const r = await writer.post('/api/v1/session', { data: { login, password } });
    writer.csrf = (await r.json()).csrf_token;
  }
  const w = await writer.post(`/api/v1/projects/${project}/follow-ups`, {
    headers: { 'X-CSRF-Token': writer.csrf },
    data: { date: process.env.AS_OF || new Date().toISOString().slice(0, 10), kind: 'call', summary: `bench ${i}` },
  });
  if (!w.ok()) throw new Error(`write: ${w.status()} ${await w.text()}`);
}

async function mark(page, name) {
  await page.waitForFunction((n) => performance.getEntriesByName(n).length > 0, name, { polling: 20 });
  return page.evaluate((n) => performance.getEntriesByName(n)[0].startTime, name);
}

async function dashboard() {
  const writeProject = extra ? Number(extra) : 0;
  const charts = [], tables = [], shell = [], longest = [];
  for (let i = 0; i < REPS + 1; i++) { // the first run warms Chromium and the page cache; not counted
    const { ctx, page } = await newPage();
    // The baseline: the app shell alone, in a fresh context (empty HTTP cache) like the dashboard's.
    const shellCtx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    shellCtx.setDefaultTimeout(120_000);
    const shellPage = await shellCtx.newPage();
    await shellPage.goto(origin + '/login');
    await shellPage.locator('input[name=login]').waitFor();
    const shellMs = await shellPage.evaluate(() => performance.now());
    await shellCtx.close();
    // A first load: nothing of the app in the browser's cache (the session cookie stays).
    await (await ctx.newCDPSession(page)).send('Network.clearBrowserCache');
    if (writeProject) await write(writeProject, i);
    await page.goto(origin + '/dashboard');
    const c = await mark(page, 'dashboard-charts-drawn');
    // The unit tables below the charts load when they come near the screen: scroll to them.
    await page.locator('[data-test=units-card]').scrollIntoViewIfNeeded();
    const t = await mark(page, 'dashboard-tables-filled');
    const long = await page.evaluate(() => window.__long.reduce((a, [, d]) => Math.max(a, d), 0));
    if (i > 0) { charts.push(c); tables.push(t); shell.push(shellMs); longest.push(long); }
    await ctx.close();
  }
  return { charts_drawn_ms: round(median(charts)), tables_filled_ms: round(median(tables)), login_shell_ms: round(median(shell)),
    longest_task_ms: round(median(longest)), runs: charts.map(round) };
}

async function projects() {
  const far = Number(extra || 5000);
  const out = { first: [], jump: [], sort: [], api: [], long: [] };
  const rowsText = (page) => page.locator('[data-test=project-table] .el-table__body-wrapper .el-table__row').first().innerText();
  const settled = (page, before) => page.waitForFunction((b) => {
    const row = document.querySelector('[data-test=project-table] .el-table__body-wrapper .el-table__row');
    const busy = document.querySelector('[data-test=project-table] .el-loading-mask');
    return row && row.innerText !== b && (!busy || busy.style.display === 'none' || getComputedStyle(busy).display === 'none');
  }, before, { polling: 'raf' });
  const longSince = (page, t0) => page.evaluate((t) => window.__long.filter(([s]) => s >= t).map(([, d]) => d), t0);
  for (let i = 0; i < REPS + 1; i++) {
    const { ctx, page } = await newPage();
    await page.goto(origin + '/projects');
    await page.locator('[data-test=project-table] .el-table__body-wrapper .el-table__row').first().waitFor();
    const first = await page.evaluate(() => performance.now());
    const total = await page.locator('.el-pagination__total').first().innerText();
    const api = await page.evaluate(async () => {
      const t0 = performance.now();
      const r = await fetch('/api/v1/projects?limit=20&offset=0&sort=-id&campaign_id=1&_=' + Math.random(), { credentials: 'same-origin' });
      await r.json();
      return performance.now() - t0;
    });
    // A far page through the jumper.
    let before = await rowsText(page);
    let t0 = await page.evaluate(() => performance.now());
    const jumper = page.locator('.el-pagination__jump input');
    await jumper.fill(String(far));
    t0 = await page.evaluate(() => performance.now());
    await jumper.press('Enter');
    await settled(page, before);
    const jump = (await page.evaluate(() => performance.now())) - t0;
    const longJump = await longSince(page, t0);
    // A sort change: the planned investment column, largest first (two clicks: ascending, then descending).
    before = await rowsText(page);
    const header = page.locator('[data-test=project-table] th').filter({ hasText: /计划投资/ }).first();
    t0 = await page.evaluate(() => performance.now());
    await header.locator('.caret-wrapper .descending').click();
    await settled(page, before);
    const sort = (await page.evaluate(() => performance.now())) - t0;
    const longSort = await longSince(page, t0);
    if (i > 0) {
      out.first.push(first); out.jump.push(jump); out.sort.push(sort); out.api.push(api);
      out.long.push(Math.max(0, ...longJump, ...longSort));
    }
    if (i === REPS) out.total = total;
    await ctx.close();
  }
  return { total: out.total, first_page_ms: round(median(out.first)), far_page_ms: round(median(out.jump)), sort_ms: round(median(out.sort)),
    api_first_page_ms: round(median(out.api)), longest_task_ms: round(median(out.long)), far_page: far };
}

try {
  const r = mode === 'dashboard' ? await dashboard() : await projects();
  console.log(JSON.stringify(r));
} finally {
  await browser.close();
}
