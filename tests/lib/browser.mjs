// What every browser test file shares: Debian's Chromium launched through playwright-core
// (never a downloaded browser) against a real server on a fresh demo database, a test that
// fails when the page threw or logged a console error, and the helpers that drive the
// Element Plus screens. Screenshots go to build/screenshots/ for a human to look at.
//
// The one kind of console error that is expected is Chromium's "Failed to load resource"
// line for an API call answered with a 4xx status: those answers (401 before login, 400
// validation, 409 for an action no longer allowed, ...) are handled by the app.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, ROOT, Client, DEMO_PASSWORD } from './server.mjs';

export const SHOTS = join(ROOT, 'build', 'screenshots');
export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 375, height: 812 };
const CHROMIUM = process.env.JIEFEN_CHROMIUM || '/usr/bin/chromium';

/** A console message that signals a real problem (see the header comment). */
function isRealConsoleError(msg) {
  if (msg.type() !== 'error') return false;
  const text = msg.text();
  const url = (msg.location() && msg.location().url) || '';
  if (/favicon/.test(url) || /favicon/.test(text)) return false;
  if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(text) && url.includes('/api/')) {
    return false;
  }
  return true;
}

/**
 * Declares the file's server and browser (started before its tests, stopped after) and
 * returns {test, apiAs, server}: `test(name, fn)` runs fn(page, more) with a fresh page (no
 * cookies) on the app, where more(viewport) opens another watched page; `apiAs(login)` is an
 * API client logged in (for test data and for checking what the UI did); `server()` is the
 * running server ({url, db, ...}).
 */
export function browserSuite(serverOptions = {}) {
  let server;
  let context;
  let profile;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startServer(serverOptions);
    profile = mkdtempSync(join(tmpdir(), 'jiefen-chromium-'));
    // launchPersistentContext passes --user-data-dir itself (launch() refuses the flag).
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: DESKTOP,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
  });

  after(async () => {
    if (context) await context.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    if (server) await server.stop();
  });

  async function watchedPage(errors, viewport) {
    const page = await context.newPage();
    await page.setViewportSize(viewport);
    page.setDefaultTimeout(15000);
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (isRealConsoleError(m)) errors.push(`console error: ${m.text()} (${m.location().url || 'no url'})`);
    });
    return page;
  }

  function browserTest(name, fn) {
    test(name, async (t) => {
      await context.clearCookies();
      const errors = [];
      const pages = [];
      const more = async (viewport = DESKTOP) => {
        const p = await watchedPage(errors, viewport);
        pages.push(p);
        return p;
      };
      try {
        const page = await more(DESKTOP);
        await page.goto(server.url + '/');
        await fn(page, more, t); // t: the node:test context (t.skip)
      } finally {
        for (const p of pages) await p.close();
      }
      assert.deepEqual(errors, [], `the page reported JavaScript errors:\n${errors.join('\n')}`);
    });
  }

  async function apiAs(login) {
    const c = new Client(server.url);
    const r = await c.login(login);
    assert.equal(r.status, 201, `API login as ${login}`);
    return c;
  }

  return { test: browserTest, apiAs, server: () => server };
}

/** Fills the login form and sends it (the outcome is the caller's to check). */
export async function login(page, user, password = DEMO_PASSWORD) {
  await page.locator('input[name=login]').fill(user);
  await page.locator('input[name=password]').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

/** Logs in and waits for the home screen. */
export async function loginOk(page, user, password = DEMO_PASSWORD) {
  await login(page, user, password);
  await page.locator('[data-test=user-menu]').waitFor();
  await page.locator('[data-test=home]').waitFor();
}

export async function logout(page) {
  await page.locator('[data-test=user-menu]').click();
  await page.getByRole('menuitem', { name: '退出登录' }).click();
  await page.locator('input[name=login]').waitFor();
}

/** Logs out whoever is logged in and logs `user` in. */
export async function switchUser(page, user) {
  await logout(page);
  await loginOk(page, user);
}

/**
 * A screenshot of the whole screen, or of the element `of` (a locator). The frame scrolls
 * inside its content area, so for the picture it is let grow to the content's height
 * (expand: false keeps the viewport as it is, for a dialog or drawer); passing toasts are
 * left out of the picture.
 */
export async function shot(page, name, { of = null, expand = true } = {}) {
  await page.mouse.move(0, 0); // no hover tooltips in the picture
  const style = await page.addStyleTag({
    content: (expand ? '.jf-shell,.jf-body{height:auto!important;min-height:100vh}'
      + '.jf-main{overflow:visible!important;min-width:0}.jf-aside{overflow:visible!important}' : '')
      + '.el-message{display:none!important}',
  });
  await page.waitForTimeout(400); // let transitions (dialogs, messages) settle
  if (of) await of.screenshot({ path: join(SHOTS, name) });
  else await page.screenshot({ path: join(SHOTS, name), fullPage: expand });
  await style.evaluate((n) => n.remove());
}

/** Opens a screen from the menu and waits for it. */
export async function openScreen(page, label, dataTest) {
  await page.locator('[data-test=nav] .el-menu-item', { hasText: label }).click();
  await page.locator(`[data-test=${dataTest}]`).waitFor();
}

/** The labels of the menu as shown. */
export const navLabels = (page) => page.locator('[data-test=nav] .jf-menu-label').allTextContents();

/** Chooses `option` in the ElSelect inside `scope` (a locator), closing a multiple select after. */
export async function choose(page, scope, option, { multiple = false } = {}) {
  await scope.locator('.el-select__wrapper').first().click();
  await page.locator('.el-select-dropdown:visible').getByRole('option', { name: option, exact: true }).click();
  if (multiple) await page.keyboard.press('Escape');
}

/** Chooses a region in a region picker (ElTreeSelect) by its path of names from the root. */
export async function chooseRegion(page, scope, path) {
  await scope.locator('.el-select__wrapper').first().click();
  const pop = page.locator('.jf-region-popper:visible');
  const node = (name) => pop.locator('.el-tree-node__content').filter({ has: page.getByText(name, { exact: true }) }).first();
  for (const name of path.slice(0, -1)) {
    await node(name).waitFor();
    const icon = node(name).locator('.el-tree-node__expand-icon');
    if (!(await icon.getAttribute('class')).includes('expanded')) await icon.click();
  }
  const last = path[path.length - 1];
  await node(last).waitFor();
  await node(last).getByText(last, { exact: true }).click();
  await pop.waitFor({ state: 'hidden' }).catch(() => page.keyboard.press('Escape'));
}
