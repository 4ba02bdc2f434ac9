// Browser test of 考核排名 (issue 11 part 5): the county leader opens it from the menu and sees
// the townships ranked as GET /api/v1/assessment ranks them, the score bars drawn; a click on
// the first unit's 受理数 opens the register filtered to that township and period with as
// many cases as the assessment counted. The same screen on a phone (390 px): the page does not
// overflow sideways (the table scrolls inside its card).
//
// Screenshots (build/screenshots/): assessment-1366.png, assessment-drill.png, assessment-390.png.

import assert from 'node:assert/strict';
import { browserSuite, loginOk, shot, openScreen } from '../lib/browser.mjs';

const { test: browserTest, apiAs } = browserSuite({ demoArgs: ['--cases', '600', '--seed', '5'] });

const pad = (n) => String(n).padStart(2, '0');
function thisMonth() {
  const d = new Date(Date.now() + 8 * 3600e3);
  const y = d.getUTCFullYear(), m = pad(d.getUTCMonth() + 1);
  return { from: `${y}-${m}-01`, to: `${y}-${m}-${pad(d.getUTCDate())}` };
}

browserTest('a leader opens 考核排名, sees the ranking and drills down to the cases', async (page) => {
  const api = await apiAs('fc_leader');
  const month = thisMonth();
  const a = (await api.get(`/api/v1/assessment?from=${month.from}&to=${month.to}`)).data;
  const ranked = a.items.filter((u) => u.rank !== null);
  assert.ok(ranked.length >= 2, `the demo ranks townships this month (${ranked.length})`);

  await page.setViewportSize({ width: 1366, height: 900 });
  await loginOk(page, 'fc_leader');
  await openScreen(page, '考核排名', 'assessment');
  await page.locator('[data-test=assessment-unit]').first().waitFor();
  const units = await page.locator('[data-test=assessment-table] .el-table__body-wrapper [data-test=assessment-unit]').allTextContents();
  assert.deepEqual(units, a.items.map((u) => u.region_name), 'the units in the API\'s order');
  const scores = await page.locator('[data-test=assessment-score]').allTextContents();
  assert.deepEqual(scores, a.items.map((u) => (u.score === null ? '—' : u.score.toFixed(1))));
  const ranks = await page.locator('[data-test=assessment-rank]').allTextContents();
  assert.deepEqual(ranks, a.items.map((u) => (u.rank === null ? '—' : String(u.rank))));
  assert.match(await page.locator('[data-test=assessment-weights]').textContent(), /调解成功率 40/);
  // the bars draw: ink on the canvas
  await page.waitForFunction(() => {
    const c = document.querySelector('[data-test=chart-assessment] canvas');
    if (!c || !c.width) return false;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n / (c.width * c.height) > 0.03;
  });
  await shot(page, 'assessment-1366.png');

  // drill-down: the first unit's cases of the period in the register
  const first = a.items[0];
  await page.locator('[data-test=assessment-total]').first().click();
  await page.locator('.jf-pager .el-pagination__total').waitFor();
  const h = new URLSearchParams(page.url().split('?')[1]);
  assert.equal(h.get('region_id'), String(first.region_id));
  assert.equal(h.get('from'), month.from);
  assert.equal(h.get('to'), month.to);
  await page.waitForFunction((n) => (document.querySelector('.jf-pager .el-pagination__total') || {}).textContent?.includes(String(n)), first.total);
  await shot(page, 'assessment-drill.png', { expand: false });
});

browserTest('考核排名, tab 调解员: the mediators of the region ranked, a figure drills down to their cases', async (page) => {
  const api = await apiAs('fc_leader');
  const month = thisMonth();
  const a = (await api.get(`/api/v1/assessment?by=mediator&from=${month.from}&to=${month.to}`)).data;
  const ranked = a.items.filter((u) => u.rank !== null);
  assert.ok(ranked.length >= 1, `the demo's mediators have figures this month (${ranked.length})`);

  await page.setViewportSize({ width: 1366, height: 900 });
  await loginOk(page, 'fc_leader');
  await openScreen(page, '考核排名', 'assessment');
  await page.locator('[data-test=assessment-unit]').first().waitFor();
  await page.locator('[data-test=assessment-by] .el-tabs__item', { hasText: '调解员' }).click();
  await page.waitForFunction((n) => [...document.querySelectorAll('[data-test=assessment-table] .el-table__body-wrapper [data-test=assessment-unit]')].map((e) => e.textContent).join('|') === n,
    a.items.map((u) => u.mediator_name).join('|'));
  const scores = await page.locator('[data-test=assessment-score]').allTextContents();
  assert.deepEqual(scores, a.items.map((u) => (u.score === null ? '—' : u.score.toFixed(1))));
  await shot(page, 'assessment-mediators-1366.png');

  const first = a.items[0];
  await page.locator('[data-test=assessment-total]').first().click();
  await page.locator('.jf-pager .el-pagination__total').waitFor();
  const h = new URLSearchParams(page.url().split('?')[1]);
  assert.equal(h.get('mediator_id'), String(first.mediator_id));
  assert.equal(h.get('region_id'), null);
  assert.equal(h.get('from'), month.from);
  await page.waitForFunction((n) => (document.querySelector('.jf-pager .el-pagination__total') || {}).textContent?.includes(String(n)), first.total);
});

browserTest('考核排名 on a phone: the page fits 390 px, the table scrolls inside', async (page) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await loginOk(page, 'fc_leader');
  await page.goto(page.url().split('#')[0] + '#/assessment?period=year');
  await page.locator('[data-test=assessment-unit]').first().waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling of the page (${overflow} px)`);
  await shot(page, 'assessment-390.png');
});
