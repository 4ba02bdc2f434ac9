// The back-off wait on screen (issue 13 part 1): a 429 answer's Retry-After is shown in
// Chinese as "请 N 秒后再试" and counted down, the button disabled meanwhile, on the login
// page (wrong passwords) and on the citizens' tracking page (wrong access codes); at zero the
// message goes and the form is usable again. Screenshots at 1366 and 390 px.
import assert from 'node:assert/strict';
import { browserSuite, login, shot } from '../lib/browser.mjs';

const { test: browserTest, server } = browserSuite();
const WAIT = /请 (\d+) 秒后再试/;

/** Sends the form until the alert names a wait of at least 3 s; returns that wait. */
async function provoke(page, send, alert) {
  for (let i = 0; i < 30; i++) {
    await send(i);
    await alert.waitFor();
    await page.waitForFunction(() => !document.querySelector('.is-loading'));
    const m = (await alert.textContent()).match(WAIT);
    if (m && Number(m[1]) >= 3) return Number(m[1]);
    // A 401/404, or a short wait: let it run out (the button comes back) and try again.
    if (m) await alert.waitFor({ state: 'detached' });
  }
  throw new Error('no back-off wait of 3 s or more after 30 attempts');
}

/** Waits until the alert (data-test `name`) shows a wait shorter than `n`. */
async function ticks(page, name, n) {
  await page.waitForFunction(([sel, k]) => {
    const m = (document.querySelector(sel)?.textContent || '').match(/请 (\d+) 秒后再试/);
    return m && Number(m[1]) < k;
  }, [`[data-test=${name}]`, n]);
}

/** Then until it is gone and the button is usable again. */
async function countsDown(alert, button, n) {
  assert.ok(await button.isDisabled(), 'the button waits too');
  await alert.waitFor({ state: 'detached', timeout: (n + 5) * 1000 });
  assert.ok(await button.isEnabled(), 'usable again at zero');
}

browserTest('login: too many wrong passwords show 请 N 秒后再试, counted down (1366 px)', async (page) => {
  await page.setViewportSize({ width: 1366, height: 800 });
  const alert = page.locator('[data-test=login-error]');
  const button = page.locator('.jf-login-submit');
  await page.locator('input[name=login]').waitFor();
  const n = await provoke(page, (i) => login(page, 'jzj_grid', 'wrong-' + i), alert);
  assert.match(await alert.textContent(), /^尝试次数过多，请 \d+ 秒后再试$/);
  await ticks(page, 'login-error', n);
  await shot(page, 'backoff-login-1366.png');
  await countsDown(alert, button, n);
});

browserTest('login on a phone (390 px): the same wait, counted down', async (page) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const alert = page.locator('[data-test=login-error]');
  const button = page.locator('.jf-login-submit');
  await page.locator('input[name=login]').waitFor();
  const n = await provoke(page, (i) => login(page, 'cx_mediator', 'wrong-' + i), alert);
  await ticks(page, 'login-error', n);
  await shot(page, 'backoff-login-390.png');
  await countsDown(alert, button, n);
});

for (const [width, height] of [[390, 844], [1366, 800]]) {
  browserTest(`tracking page: wrong access codes show 请 N 秒后再试, counted down (${width} px)`, async (page) => {
    await page.setViewportSize({ width, height });
    await page.goto(server().url + '/#/public/track');
    const alert = page.locator('[data-test=track-error]');
    const button = page.locator('[data-test=track-submit]');
    const n = await provoke(page, async (i) => {
      await page.locator('[data-field=number] input').fill('（2026）涪城人调字第9999号');
      await page.locator('[data-field=code] input').fill(`WRONG${i}`.slice(0, 8));
      await button.click();
    }, alert);
    assert.match(await alert.textContent(), /^查询错误次数过多，请 \d+ 秒后再试。$/);
    await ticks(page, 'track-error', n);
    await shot(page, `backoff-track-${width}.png`);
    await countsDown(alert, button, n);
  });
}
