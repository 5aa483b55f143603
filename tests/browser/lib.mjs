// Browser tests: Debian's Chromium driven by playwright-core (web/node_modules), against a
// real `huizhan serve` on the demo city (tests/api/lib.mjs). Every page is watched: a
// console error, an uncaught exception or a request to any other host fails the test.
// Each test saves a screenshot to $HZ_SCREENSHOTS/NAME.png (CMake: build/screenshots).
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../api/lib.mjs';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

export { DEMO_PASSWORD };
export const SHOTS = process.env.HZ_SCREENSHOTS || new URL('../../build/screenshots', import.meta.url).pathname;
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1440, height: 900 };

/** A demo server and a headless Chromium (a fresh temporary profile per launch). */
export async function setup() {
  const server = await startServer({ demo: true });
  // When a test of this file fails, the server's own last words say why (a crash report
  // under make asan, an error logged).
  process.on('exit', (code) => { if (code) console.error(`server log (last 8000 characters):\n${server.log().slice(-8000)}`); });
  const browser = await chromium.launch({
    executablePath: process.env.HZ_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  return {
    server,
    browser,
    async close() {
      await browser.close();
      assert.deepEqual(await server.stop(), { code: 0, signal: null });
    },
  };
}

/**
 * A new page in a new context (no shared cookies or storage) with the watchers on.
 * Call page.check() at the end of the test: it throws on any console error, page error
 * or foreign request seen since the page opened.
 */
export async function openPage(env, { viewport = DESKTOP, locale = 'zh-CN' } = {}) {
  const context = await env.browser.newContext({ viewport, locale, timezoneId: 'Asia/Shanghai' });
  // Generous waits: under `make asan` a login (Argon2id) or a write with other suites
  // running takes seconds; a wait only runs to its end when something is wrong.
  context.setDefaultTimeout(90_000);
  const page = await context.newPage();
  const origin = new URL(env.server.url).origin;
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:')) problems.push(`foreign request: ${u}`);
  });
  page.check = () => assert.deepEqual(problems, [], problems.join('\n'));
  page.problems = problems;
  page.origin = origin;
  page.ctx = context;
  return page;
}

/**
 * Saves build/screenshots/NAME.png (the whole page). With HZ_SCREENSHOTS_FAILURES_ONLY=1
 * (make asan: the same pages as make test's, drawn by the same web UI) only the
 * screenshots of a failure (failure: true) are taken.
 */
export async function shot(page, name, { failure = false } = {}) {
  if (process.env.HZ_SCREENSHOTS_FAILURES_ONLY === '1' && !failure) return null;
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Logs in through the form and waits for the workbench. */
export async function login(page, loginName, password = DEMO_PASSWORD) {
  await page.goto(page.origin + '/login');
  await page.locator('input[name=login]').fill(loginName);
  await page.locator('input[name=password]').fill(password);
  await page.locator('[data-test=login-submit]').click();
  await page.waitForURL(/\/home$/);
  await page.locator('[data-test=home] [data-todo]').first().waitFor();
}

/** The data-menu names of the navigation entries shown (desktop sidebar or phone drawer). */
export async function menuNames(page) {
  return page.locator('[data-menu]').evaluateAll((els) => els.map((e) => e.getAttribute('data-menu')));
}

/** Whether the page scrolls sideways (the document wider than the viewport). */
export async function horizontalOverflow(page) {
  return page.evaluate(() => {
    const s = document.scrollingElement;
    return { scrollWidth: s.scrollWidth, clientWidth: s.clientWidth };
  });
}

/** Types a date (YYYY-MM-DD) into the Element Plus date picker inside `field` and confirms it. */
export async function fillDate(field, value) {
  const input = field.locator('input');
  await input.fill(value);
  await input.press('Enter');
}

/**
 * Picks the option showing `label` in the Element Plus select `select` (a locator of the
 * el-select) and returns once the pick has landed: the select shows the label and its list
 * has closed. The option is looked up in this select's own list (its combobox's
 * aria-controls), not in whatever list happens to be visible: a list still fading out
 * (another select's, or this one's last time) is never clicked, and the next action (a
 * fill, the form's submit) neither lands on a closing list nor sends the form before the
 * select's value is set. A click that did not take (the list was still opening or already
 * closing) is tried again.
 */
export async function pickOption(select, label) {
  const page = select.page();
  const combo = select.locator('[role=combobox]').first();
  const list = page.locator(`[id="${await combo.getAttribute('aria-controls')}"]`);
  const shown = select.locator('.el-select__placeholder:not(.is-transparent), .el-select__tags-text').filter({ hasText: label });
  for (let attempt = 1; ; attempt++) {
    if ((await combo.getAttribute('aria-expanded')) !== 'true') await select.click();
    await list.locator('.el-select-dropdown__item', { hasText: label }).first().click();
    try {
      await shown.first().waitFor({ timeout: attempt < 3 ? 5000 : 90_000 });
      break;
    } catch (err) {
      if (attempt >= 3) throw new Error(`the select did not take "${label}"`, { cause: err });
    }
  }
  // the list is gone (its fade-out over) before anything else is clicked
  await page.waitForFunction((el) => el.getAttribute('aria-expanded') === 'false', await combo.elementHandle());
  await list.waitFor({ state: 'hidden' });
}

/**
 * Clicks a form's submit button and waits for the write it sends (method, URL path matching
 * `path`); returns the response. A click that sends nothing, or an answer other than 2xx,
 * fails with what the page shows (the dialog's text) and a screenshot, instead of a later
 * wait running out with no word of why.
 */
export async function submitForm(button, { method = 'POST', path, dialog, name = 'submit-failed' } = {}) {
  const page = button.page();
  const sent = page.waitForResponse((r) => r.request().method() === method && path.test(new URL(r.url()).pathname), { timeout: 90_000 });
  await button.click();
  let res;
  try { res = await sent; } catch (err) {
    await shot(page, name, { failure: true });
    throw new Error(`no ${method} ${path} answered after the click: ${dialog ? (await dialog.innerText()).replace(/\s+/g, ' ') : ''}`, { cause: err });
  }
  if (!res.ok()) {
    await shot(page, name, { failure: true });
    throw new Error(`${method} ${path} answered ${res.status()}: ${await res.text()}`);
  }
  return res;
}
