// 研判专报: a leader generates last month's report of their jurisdiction, writes the analysis,
// issues it (签发: who and when shown, the textarea gone, 修订 offered) and opens the A4 print
// view; the figures on the page are the API's. Screenshots: build/screenshots/report*.png.

import assert from 'node:assert/strict';
import { browserSuite, loginOk, shot, openScreen } from '../lib/browser.mjs';

const { test: browserTest, apiAs } = browserSuite();

browserTest('a leader generates, edits, issues and prints the monthly report', async (page) => {
  await page.setViewportSize({ width: 1366, height: 900 });
  // Cases of this month, so that the tables and the chart have something to show.
  const clerk = await apiAs('fc_clerk');
  const village = (await clerk.get('/api/v1/regions?q=' + encodeURIComponent('警钟街社区'))).data.items[0];
  for (const [category, facts] of [['neighbour', '院墙排水引发争执'], ['contract', '装修款结算争议'], ['neighbour', '楼道堆物']]) {
    const r = await clerk.post('/api/v1/cases', {
      channel: 'walk_in', category, complexity: 'simple', facts, region_id: village.id, parties: [{ role: 'applicant', name: '赵文' }],
    });
    assert.equal(r.status, 201, r.text);
  }
  const month = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7);
  await loginOk(page, 'fc_leader');
  await openScreen(page, '研判专报', 'reports');
  const picker = page.locator('[data-test=reports-period] input').first();
  await picker.fill(month);
  await picker.press('Enter');
  await page.locator('[data-test=reports-generate]').click();
  await page.locator('textarea[data-test=report-analysis-input]').waitFor();
  const id = page.url().match(/#\/reports\/(\d+)/)[1];
  const leader = await apiAs('fc_leader');
  const rep = (await leader.get(`/api/v1/reports/${id}`)).data;
  assert.equal(rep.state, 'draft');
  assert.equal(rep.period, month);
  assert.ok(rep.generated.overview.total >= 3);
  assert.ok(await page.locator('[data-test=report-categories] canvas').count() > 0, 'the category chart is drawn');
  // The overview's 受理数 is the generated total.
  const overview = page.locator('[data-test=report-overview] tbody tr').first();
  assert.equal((await overview.locator('td').nth(1).textContent()).trim(), String(rep.generated.overview.total));
  const text = '本月纠纷总体平稳，邻里纠纷仍居首位。\n建议：加强网格排查，提前介入。';
  await page.locator('textarea[data-test=report-analysis-input]').fill(text);
  await page.locator('[data-test=report-save]').click();
  await page.locator('.el-message--success', { hasText: '已保存' }).waitFor();
  assert.equal((await leader.get(`/api/v1/reports/${id}`)).data.analysis, text);
  await page.locator('[data-test=report-issue]').click();
  await page.locator('.el-message-box .el-button--primary').click();
  await page.locator('[data-test=report-state]', { hasText: '已签发' }).waitFor();
  assert.equal((await page.locator('[data-test=report-issued-by]').textContent()).trim(), '陈静');
  assert.equal(await page.locator('[data-test=report-analysis-input]').count(), 0, 'no editing once issued');
  await page.locator('[data-test=report-revise]').waitFor();
  const issued = (await leader.get(`/api/v1/reports/${id}`)).data;
  assert.equal(issued.state, 'issued');
  assert.equal(issued.analysis, text);
  await shot(page, 'report-issued.png');

  const [popup] = await Promise.all([page.waitForEvent('popup'), page.locator('[data-test=report-print]').click()]);
  await popup.locator('h1', { hasText: '人民调解研判预警专报' }).waitFor();
  assert.ok((await popup.locator('body').textContent()).includes('建议：加强网格排查'), 'the analysis is printed');
  await popup.setViewportSize({ width: 900, height: 1200 });
  await shot(popup, 'report-print.png', { expand: false });
  await popup.close();
});
