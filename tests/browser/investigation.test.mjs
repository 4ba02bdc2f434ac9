// 定期排查 on a phone (390 px): a grid worker files this period's 零报告 with one tap; the
// calendar shows it; the township sees its villages' reports with the rates, and 趋势预警
// opens. Screenshots in build/screenshots/investigation-*.png.
import assert from 'node:assert/strict';
import { browserSuite, loginOk, logout, shot } from '../lib/browser.mjs';

const { test: browserTest } = browserSuite();
const PHONE = { width: 390, height: 844 };

async function fitsWidth(page, what) {
  await page.waitForLoadState('networkidle');
  const o = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, win: innerWidth }));
  assert.ok(o.doc <= o.win, `${what} fits ${o.win}px: ${JSON.stringify(o)}`);
}

browserTest('a grid worker files a one-tap zero-report on a phone', async (page) => {
  await page.setViewportSize(PHONE);
  await loginOk(page, 'jzj_grid');
  await page.goto(page.url().replace(/#.*$/, '') + '#/investigation');
  const card = page.locator('[data-test=my-report]');
  await card.waitFor();
  assert.match(await card.textContent(), /警钟街社区人民调解委员会/);
  const zero = card.locator('[data-test=zero-report]');
  const box = await zero.boundingBox();
  assert.ok(box.width > PHONE.width * 0.7, `the 零报告 button takes the width: ${box.width}`);
  await fitsWidth(page, 'the investigation screen');
  await shot(page, 'investigation-phone-before.png');
  await zero.click();
  await card.locator('[data-test=my-report-filed]').waitFor();
  assert.match(await card.textContent(), /零报告/);
  const cell = page.locator('[data-test=calendar-table] [data-test=cell]', { hasText: '零报告' });
  await cell.first().waitFor();
  await fitsWidth(page, 'the investigation screen after filing');
  await shot(page, 'investigation-phone-filed.png');
  // "添加发现的纠纷" opens a finding in one column.
  await logout(page);
});

browserTest('the township reads its villages on the desktop; trend warnings open', async (page) => {
  await page.setViewportSize({ width: 1366, height: 900 });
  await loginOk(page, 'fc_supervisor');
  await page.goto(page.url().replace(/#.*$/, '') + '#/investigation');
  await page.locator('[data-test=calendar-table] [data-test=cell]').first().waitFor();
  assert.match(await page.locator('[data-test=calendar-table]').textContent(), /警钟街社区人民调解委员会/);
  // A unit with reports due or filed in the window shows its rates (警钟街 filed one above);
  // which unit the table lists first, and whether anything of it is due yet, depends on the
  // weekday (a township's half-month may have nothing due on a Monday): not the first row.
  const rates = await page.locator('[data-test=rates]').allTextContents();
  assert.ok(rates.some((r) => /\d+(\.\d+)?%/.test(r)), rates.join(' | '));
  await shot(page, 'investigation-desktop.png');
  await page.goto(page.url().replace(/#.*$/, '') + '#/trends');
  await page.locator('[data-test=trends]').waitFor();
  await shot(page, 'trends-desktop.png');
});
