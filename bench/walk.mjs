// A walk through the screens a county uses most, on a register generated beforehand (a million
// cases, say), in Debian's Chromium: the leader's 统计分析 dashboard (this month, then this
// year), the dispatcher's workbench, register search, 预警信息 and 督办台, the administrator's
// 审计日志, and the busiest mediator's workbench
// and 我的案件, at laptop and phone width. Prints
// how long each screen took to be usable (its data shown, the charts drawn) and writes
// screenshots to build/screenshots/walk-*.png. Not a test: it asserts nothing about time.
//   node bench/walk.mjs DB            (a SQLite register with its DB.key beside it)
//   JIEFEN_BIN=build/jiefen  WALK_PORT=18195  JIEFEN_CHROMIUM=/usr/bin/chromium
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = new URL('..', import.meta.url).pathname;
const db = process.argv[2];
if (!db) { console.error('usage: node bench/walk.mjs DB'); process.exit(2); }
const BIN = process.env.JIEFEN_BIN || join(ROOT, 'build', 'jiefen');
const PORT = process.env.WALK_PORT || '18195';
const URL_ = `http://127.0.0.1:${PORT}`;
const SHOTS = join(ROOT, 'build', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

const server = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${PORT}`, '--web', join(ROOT, 'web'),
  '--scan-interval', '0'], { stdio: ['ignore', 'ignore', 'ignore'] });
for (let i = 0; i < 200; i++) {
  try { execFileSync('curl', ['-sf', '-o', '/dev/null', `${URL_}/healthz`]); break; } catch { await new Promise((r) => setTimeout(r, 100)); }
}
const profile = mkdtempSync(join(tmpdir(), 'jiefen-walk-'));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.JIEFEN_CHROMIUM || '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox'], locale: 'zh-CN', timezoneId: 'Asia/Shanghai',
});
const rows = [];
async function timed(name, fn) {
  const t0 = Date.now();
  await fn();
  rows.push([name, Date.now() - t0]);
}
async function login(page, user) {
  await page.goto(URL_ + '/');
  await page.locator('input[name=login]').fill(user);
  await page.locator('input[name=password]').fill('jiefen-demo');
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('[data-test=home]').waitFor({ timeout: 60000 });
}
/** Waits until a chart's canvas has ink (ECharts animates in). */
const inked = (page, test) => page.waitForFunction((s) => {
  const c = document.querySelector(s);
  if (!c || !c.width) return false;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < d.length; i += 4 * 16) if (d[i]) n++;
  return n / (d.length / 64) > 0.02;
}, `[data-test=${test}] canvas`, { timeout: 60000 });
const CHARTS = ['chart-trend', 'chart-category', 'chart-region', 'chart-funnel'];
/** A screenshot once the page's CSS transitions have ended (a table's tags zoom in: taken at
 * once, the state and risk columns were caught empty). Bounded: a spinner never ends. */
async function shot(page, path) {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'),
    null, { timeout: 3000 }).catch(() => {});
  await page.screenshot({ path, fullPage: false });
}

try {
  for (const [w, h, tag] of [[1366, 900, '1366'], [390, 844, '390']]) {
    const page = await ctx.newPage();
    await page.setViewportSize({ width: w, height: h });
    await login(page, 'fc_leader');
    // The figures: the summary and the three breakdowns answered, the first card filled.
    const figures = (from) => Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/v1/stats/summary?region_id=') && r.url().includes(`from=${from}`), { timeout: 60000 }),
      page.waitForResponse((r) => r.url().includes('by=category') && r.url().includes(`from=${from}`), { timeout: 60000 }),
      page.waitForResponse((r) => r.url().includes('by=region') && r.url().includes(`from=${from}`), { timeout: 60000 }),
    ]);
    const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
    await timed(`${tag} px: leader's 统计分析, this month: figures shown`, async () => {
      const answered = figures(today.slice(0, 8) + '01');
      await page.goto(URL_ + '/#/stats');
      await answered;
      await page.locator('[data-test=stats]').waitFor();
    });
    await timed(`${tag} px: the same, charts drawn (each scrolled to)`, async () => {
      for (const c of CHARTS) {
        await page.locator(`[data-test=${c}]`).scrollIntoViewIfNeeded();
        await inked(page, c);
      }
    });
    await timed(`${tag} px: 本年: figures shown`, async () => {
      const answered = figures(today.slice(0, 5) + '01-01');
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.locator('[data-test=stats-period] .el-radio-button', { hasText: '本年' }).click();
      await answered;
      await page.waitForFunction((t) => document.querySelector('[data-test=stats-period-text]')?.textContent.includes(t), today.slice(0, 5) + '01-01');
    });
    await page.waitForTimeout(500);
    await shot(page, join(SHOTS, `walk-stats-${tag}.png`));
    await page.close();
    const desk = await ctx.newPage();
    await desk.setViewportSize({ width: w, height: h });
    await ctx.clearCookies();
    await timed(`${tag} px: dispatcher's login and workbench`, async () => {
      await login(desk, 'fc_dispatcher');
      await desk.locator('[data-test=todos] .jf-todo').first().waitFor({ timeout: 60000 });
    });
    await shot(desk, join(SHOTS, `walk-workbench-${tag}.png`));
    await timed(`${tag} px: register search 噪音扰民`, async () => {
      await desk.goto(URL_ + '/#/cases?q=' + encodeURIComponent('噪音扰民'));
      await desk.locator('[data-test=cases-table] .el-table__row').first().waitFor({ timeout: 60000 });
    });
    await shot(desk, join(SHOTS, `walk-search-${tag}.png`));
    // The county's boards: 预警信息 (risk alerts) and 督办台 (time-limit warnings).
    await timed(`${tag} px: dispatcher's 预警信息`, async () => {
      await desk.goto(URL_ + '/#/alerts');
      await desk.locator('[data-test=alert]').first().waitFor({ timeout: 60000 });
    });
    await shot(desk, join(SHOTS, `walk-alerts-${tag}.png`));
    await timed(`${tag} px: dispatcher's 督办台 (warnings)`, async () => {
      await desk.goto(URL_ + '/#/supervision');
      // A row, or the table's empty text: a register the scheduler never scanned has no
      // warnings yet (the generator raises none; `jiefen scan` does).
      await desk.locator('[data-test=warnings-table] .el-table__row, [data-test=warnings-table] .el-table__empty-text')
        .first().waitFor({ timeout: 60000 });
    });
    await shot(desk, join(SHOTS, `walk-supervision-${tag}.png`));
    await desk.close();
    await ctx.clearCookies();
    // The city administrator's 审计日志 (2.2 million entries at 1 M cases: counted to 10,000).
    const adm = await ctx.newPage();
    await adm.setViewportSize({ width: w, height: h });
    await login(adm, 'admin');
    await timed(`${tag} px: administrator's 审计日志`, async () => {
      await adm.goto(URL_ + '/#/audit');
      await adm.locator('[data-test=audit-table] .el-table__row').first().waitFor({ timeout: 60000 });
    });
    await shot(adm, join(SHOTS, `walk-audit-${tag}.png`));
    await adm.close();
    await ctx.clearCookies();
    // The busiest demo mediator (the generator gives its five mediators every assigned case):
    // the workbench of their own cases, then the register, which opens on 我的案件 for them.
    const med = await ctx.newPage();
    await med.setViewportSize({ width: w, height: h });
    await timed(`${tag} px: busiest mediator's login and workbench`, async () => {
      await login(med, process.env.WALK_MEDIATOR || 'jfj_mediator');
      await med.locator('[data-test=todos] .jf-todo').first().waitFor({ timeout: 60000 });
    });
    await shot(med, join(SHOTS, `walk-mediator-${tag}.png`));
    await timed(`${tag} px: the same mediator's 我的案件`, async () => {
      const listed = med.waitForResponse((r) => r.url().includes('/api/v1/cases?') && r.url().includes('mine=true'), { timeout: 60000 });
      await med.goto(URL_ + '/#/cases');
      await listed;
      await med.locator('[data-test=cases-table] .el-table__row').first().waitFor({ timeout: 60000 });
    });
    await shot(med, join(SHOTS, `walk-mine-${tag}.png`));
    await med.close();
    await ctx.clearCookies();
  }
} finally {
  await ctx.close();
  rmSync(profile, { recursive: true, force: true });
  server.kill('SIGTERM');
}
console.log('| screen | ms until usable |\n|---|---:|');
for (const [n, ms] of rows) console.log(`| ${n} | ${ms} |`);
