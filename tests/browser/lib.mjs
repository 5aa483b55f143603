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

/** Saves build/screenshots/NAME.png (the whole page). */
export async function shot(page, name) {
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
