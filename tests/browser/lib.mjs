// lib.mjs — shared helpers of the browser tests: launch Debian's chromium through
// playwright-core, log in, run axe-core, take screenshots. Never downloads a browser.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);

export const BASE = process.env.PL_URL;
if (!BASE) throw new Error('PL_URL must name the parlearn server under test (run tests/browser/run.sh)');

function account(role, defName) {
  const key = role.toUpperCase();
  const password = process.env[`PL_PW_${key}`];
  if (!password) throw new Error(`PL_PW_${key} is not set`);
  return { username: process.env[`PL_USER_${key}`] || defName, password };
}

export const ACCOUNTS = {
  learner: account('learner', 'hocvien'),
  trainer: account('trainer', 'giangvien'),
  hr_officer: account('hr_officer', 'nhansu'),
  admin: account('admin', 'quantri'),
};

export const CHROMIUM = process.env.PL_CHROMIUM || '/usr/bin/chromium';

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

let shotDir = null;
export function shotsDir() {
  if (!shotDir) {
    shotDir = process.env.PL_SHOTS || fs.mkdtempSync(path.join(os.tmpdir(), 'parlearn-shots-'));
    fs.mkdirSync(shotDir, { recursive: true });
  }
  return shotDir;
}

export async function shot(page, name) {
  const file = path.join(shotsDir(), `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// A fresh context (own cookies and storage) and page. page.problems collects CSP
// violations, uncaught errors and console errors other than HTTP statuses, which the
// pages cause on purpose (401 from /api/me before login, for instance).
export async function openPage(browser, opts = {}) {
  const context = await browser.newContext({ viewport: opts.viewport || { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of/.test(m.text())) {
      page.problems.push(`console: ${m.text()}`);
    }
  });
  return page;
}

export async function gotoLogin(page) {
  await page.goto(BASE + '/');
  await page.locator('#login-view').waitFor({ state: 'visible' });
}

export async function login(page, role) {
  const a = ACCOUNTS[role];
  await gotoLogin(page);
  await page.fill('#username', a.username);
  await page.fill('#password', a.password);
  await page.click('#login-submit');
  await page.locator('#home-view').waitFor({ state: 'visible' });
  await waitForTables(page);
}

// Waits until the units and people tables (when shown) have finished loading.
export async function waitForTables(page) {
  await page.waitForFunction(() => {
    const busy = (id) => {
      const sec = document.getElementById(id);
      if (!sec || sec.hidden) return false;
      const st = document.querySelector(`#${id} [role=status]`).textContent;
      return st === '' || st === 'Đang tải…' || st === 'Loading…';
    };
    return !busy('section-units') && !busy('section-people');
  });
}

export async function setLang(page, lang) {
  if ((await page.getAttribute('html', 'lang')) !== lang) {
    await page.click('#lang-toggle');
  }
  assert.equal(await page.getAttribute('html', 'lang'), lang);
}

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// Runs axe-core on the page and fails with a readable list of violations.
export async function assertAccessible(page, label) {
  // The server's CSP (default-src 'self') rightly refuses page.addScriptTag's inline
  // script, so axe's source is evaluated through the DevTools protocol instead, which
  // leaves the page's CSP in force for the page's own code.
  const has = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!has) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags },
    resultTypes: ['violations'],
  }), AXE_TAGS);
  const lines = result.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(lines, [], `axe violations on ${label}:\n${lines.join('\n')}`);
  return result;
}

export function assertNoProblems(page) {
  assert.deepEqual(page.problems, [], `page problems:\n${page.problems.join('\n')}`);
}

export async function texts(page, selector) {
  return page.locator(selector).allTextContents();
}
