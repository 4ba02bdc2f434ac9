// The ledger screen (纠纷台账) and the register's 导出 button: a leader picks a period, sees how
// many cases were received in it and downloads the ledger, whose rows are that many; the
// register exports its current filter; the ledger screen fits a phone (390 px).
// Screenshots: build/screenshots/ledger*.png, cases-export.png.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { browserSuite, loginOk, shot, openScreen } from '../lib/browser.mjs';
import { readXlsx, parseCsv } from '../api/helpers.mjs';

const { test: browserTest, apiAs } = browserSuite();
const PHONE = { width: 390, height: 844 };

/** Registers `n` cases in 警钟街社区 whose facts hold `mark`, through the API. */
async function register(apiAs, n, mark) {
  const clerk = await apiAs('fc_clerk');
  const village = (await clerk.get('/api/v1/regions?q=' + encodeURIComponent('警钟街社区'))).data.items[0];
  for (let i = 0; i < n; i++) {
    const r = await clerk.post('/api/v1/cases', {
      channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: `${mark}引发争执`,
      region_id: village.id, parties: [{ role: 'applicant', name: '赵文' }],
    });
    assert.equal(r.status, 201, r.text);
  }
}

async function save(page, click) {
  const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: dl.suggestedFilename(), body: readFileSync(await dl.path()) };
}

browserTest('a leader downloads the ledger of this year: as many rows as the screen counts', async (page) => {
  await register(apiAs, 2, '院墙排水');
  await loginOk(page, 'fc_leader');
  await openScreen(page, '纠纷台账', 'ledger');
  await page.locator('[data-test=ledger-thisYear]').click();
  const count = page.locator('[data-test=ledger-count] strong');
  await count.waitFor();
  const from = await page.locator('[data-test=ledger-dates] input').nth(0).inputValue();
  const to = await page.locator('[data-test=ledger-dates] input').nth(1).inputValue();
  assert.match(from, /^\d{4}-01-01$/);
  const leader = await apiAs('fc_leader');
  const total = (await leader.get(`/api/v1/cases?from=${from}&to=${to}&per_page=1`)).data.total;
  assert.ok(total >= 2, 'the cases just registered are in the period');
  await page.locator('[data-test=ledger-count]', { hasText: String(total) }).waitFor();
  await shot(page, 'ledger.png');
  const f = await save(page, () => page.locator('[data-test=ledger-download]').click());
  assert.equal(f.name, `纠纷台账_${from}至${to}.xlsx`);
  const rows = readXlsx(f.body);
  assert.equal(rows[0][0], '案件编号');
  assert.equal(rows.length - 1, total, 'one row per case counted');
});

browserTest('the register exports its current filter as CSV', async (page) => {
  await register(apiAs, 3, '鸡鸭越界');
  await loginOk(page, 'fc_dispatcher');
  await openScreen(page, '案件', 'cases');
  await page.locator('input[data-test=cases-q]').fill('鸡鸭越界');
  await page.locator('input[data-test=cases-q]').press('Enter');
  await page.locator('[data-test=case-link]').first().waitFor();
  await page.waitForLoadState('networkidle');
  const d = await apiAs('fc_dispatcher');
  const total = (await d.get('/api/v1/cases?q=' + encodeURIComponent('鸡鸭越界') + '&per_page=1')).data.total;
  assert.equal(total, 3);
  await page.locator('[data-test=cases-export]').click();
  await shot(page, 'cases-export.png', { expand: false });
  const f = await save(page, () => page.locator('[data-test=cases-export-csv]').click());
  assert.match(f.name, /^案件登记_\d{4}-\d{2}-\d{2}\.csv$/);
  const rows = parseCsv(f.body.toString('utf8')).filter((r) => r.some((v) => v !== ''));
  assert.equal(rows[0][0], '案件编号');
  assert.equal(rows.length - 1, total, 'the filtered cases, not the whole register');
});

browserTest('the ledger screen fits a phone', async (page, more) => {
  await loginOk(page, 'fc_leader');
  const phone = await more(PHONE);
  await phone.goto(page.url().replace(/#.*$/, '') + '#/ledger');
  await phone.locator('[data-test=ledger-count] strong').waitFor();
  const o = await phone.evaluate(() => ({ doc: document.documentElement.scrollWidth, win: innerWidth }));
  assert.ok(o.doc <= o.win, `fits ${o.win}px: ${JSON.stringify(o)}`);
  await shot(phone, 'ledger-phone.png');
});
