// 研判专报 walked as a county leader on a demo county with cases (issue 11, part 7): last
// month's report is generated, the analysis written, issued; a change to the issued version
// is refused and 修订 makes version 2; 导出 Excel downloads the XLSX, whose total and every
// rate equal GET /stats/summary of the same region and month. Then 季度: a quarter is picked,
// the units that issued or owe its summary are listed as the API lists them, the quarterly
// summary is generated and issued, and the county's row turns 已签发. The same screens on a
// phone (390 px). Screenshots (build/screenshots/): reportsq-*.png.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { browserSuite, loginOk, shot, openScreen, choose } from '../lib/browser.mjs';
import { readXlsx } from '../api/helpers.mjs';

const { test: browserTest, apiAs } = browserSuite({ demoArgs: ['--cases', '600', '--seed', '5'] });

const LAPTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
const pad = (n) => String(n).padStart(2, '0');

/** Last month in Shanghai (the browser's zone and the screen's default) and its first and last day. */
function lastMonth() {
  const d = new Date(Date.now() + 8 * 3600e3);
  const y = d.getUTCMonth() === 0 ? d.getUTCFullYear() - 1 : d.getUTCFullYear();
  const m = d.getUTCMonth() === 0 ? 12 : d.getUTCMonth();
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { period: `${y}-${pad(m)}`, from: `${y}-${pad(m)}-01`, to: `${y}-${pad(m)}-${pad(days)}` };
}
/** The last finished quarter (the first the quarter picker offers). */
function lastQuarter() {
  const d = new Date(Date.now() + 8 * 3600e3);
  let y = d.getUTCFullYear(), q = Math.floor(d.getUTCMonth() / 3);
  if (q === 0) { y -= 1; q = 4; }
  return `${y}-Q${q}`;
}

/** The overview rows of the exported sheet: {code: value} from the first table (codes in column C). */
function overviewOf(rows) {
  const out = {};
  for (const r of rows) if (r[2] && !(r[2] in out)) out[r[2]] = r[1];
  return out;
}

browserTest('a county leader walks the monthly report and the quarterly summary; the XLSX is the summary API\'s', async (page, more) => {
  const leader = await apiAs('fc_leader');
  const month = lastMonth();
  const summary = (await leader.get(`/api/v1/stats/summary?from=${month.from}&to=${month.to}`)).data;
  assert.ok(summary.total > 0, `the demo has cases in ${month.period}`);
  const nonNull = Object.entries(summary.rates).filter(([, v]) => v !== null);
  assert.ok(nonNull.length >= 3, `cases closed in ${month.period}: rates to compare (${JSON.stringify(summary.rates)})`);

  await page.setViewportSize(LAPTOP);
  await loginOk(page, 'fc_leader');
  await openScreen(page, '研判专报', 'reports');
  await page.locator('[data-test=reports-list]').waitFor();
  assert.equal(await page.locator('[data-test=reports-quarterly]').count(), 0, 'the quarter\'s units belong to 季度');
  await shot(page, 'reportsq-list-1366.png');
  const picker = page.locator('[data-test=reports-period] input').first();
  assert.equal(await picker.inputValue(), month.period, 'the month picker opens on last month');
  await page.locator('[data-test=reports-generate]').click();
  await page.locator('textarea[data-test=report-analysis-input]').waitFor();
  const id = Number(page.url().match(/#\/reports\/(\d+)/)[1]);
  const draft = (await leader.get(`/api/v1/reports/${id}`)).data;
  assert.equal(draft.period, month.period);
  assert.equal(draft.generated.overview.total, summary.total);
  // 热点区域: each township's incidence is its cases per 10,000 of its population (not 0.00).
  const spots = draft.generated.hot_spots.filter((h) => h.population && h.total);
  assert.ok(spots.length > 3);
  for (const h of spots) assert.ok(Math.abs(h.incidence_per_10k - h.total * 1e4 / h.population) < 1e-9, `${h.name}: ${h.incidence_per_10k}`);
  await shot(page, 'reportsq-draft-1366.png');

  const text = '上月纠纷总量平稳，婚姻家庭、邻里纠纷居前。\n建议：加强网格排查，对高风险纠纷提前介入。';
  await page.locator('textarea[data-test=report-analysis-input]').fill(text);
  await page.locator('[data-test=report-save]').click();
  await page.locator('.el-message--success', { hasText: '已保存' }).waitFor();
  await page.locator('[data-test=report-issue]').click();
  await page.locator('.el-message-box .el-button--primary').click();
  await page.locator('[data-test=report-state]', { hasText: '已签发' }).waitFor();
  // The issued version cannot be changed, through the API either.
  assert.equal(await page.locator('[data-test=report-analysis-input]').count(), 0);
  const change = await leader.patch(`/api/v1/reports/${id}`, { analysis: '改动' });
  assert.equal(change.status, 409, change.text);
  assert.equal((await leader.get(`/api/v1/reports/${id}`)).data.analysis, text);
  await shot(page, 'reportsq-issued-1366.png');

  // 导出 Excel: the downloaded file's total and rates are GET /stats/summary's.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=report-export]').click()]);
  assert.match(dl.suggestedFilename(), /\.xlsx$/);
  const rows = readXlsx(readFileSync(await dl.path()));
  const sheet = overviewOf(rows);
  assert.equal(Number(sheet.total), summary.total, 'XLSX total = summary total');
  for (const [k, v] of Object.entries(summary.rates)) {
    if (v === null) assert.equal(sheet[k], '', `${k}: no figure`);
    else assert.ok(Math.abs(Number(sheet[k]) - v) < 1e-12, `${k}: XLSX ${sheet[k]} vs summary ${v}`);
  }
  assert.ok(rows.some((r) => r.some((c) => c.includes('建议：加强网格排查'))), 'the analysis is in the workbook');

  // 修订: version 2 as a new draft, with the analysis carried over.
  await page.locator('[data-test=report-revise]').click();
  await page.waitForURL((u) => !u.hash.endsWith(`/reports/${id}`));
  await page.locator('textarea[data-test=report-analysis-input]').waitFor();
  const v2 = (await leader.get(`/api/v1/reports/${page.url().match(/#\/reports\/(\d+)/)[1]}`)).data;
  assert.equal(v2.version, 2);
  assert.equal(v2.state, 'draft');
  assert.equal(v2.analysis, text);
  await shot(page, 'reportsq-v2-1366.png');

  // 季度: the last quarter's issued and owing units, as the API lists them.
  const quarter = lastQuarter();
  await page.locator('[data-test=nav] .el-menu-item', { hasText: '研判专报' }).click();
  await page.locator('[data-test=reports-list]').waitFor();
  await page.locator('[data-test=reports-kind] label', { hasText: '季度总结' }).click();
  await choose(page, page.locator('[data-test=reports-quarter]'), quarter);
  const before = (await leader.get(`/api/v1/reports/quarterly?period=${quarter}`)).data;
  assert.ok(before.items.length > 1 && before.owing === before.items.length, 'nobody has issued yet');
  const card = page.locator('[data-test=reports-quarterly]');
  await card.locator('.el-card__header', { hasText: quarter }).waitFor();
  assert.equal(await card.locator('tbody tr').count(), before.items.length);
  await shot(page, 'reportsq-quarter-1366.png');
  await page.locator('[data-test=reports-generate]').click();
  await page.locator('textarea[data-test=report-analysis-input]').waitFor();
  const qid = Number(page.url().match(/#\/reports\/(\d+)/)[1]);
  const qrep = (await leader.get(`/api/v1/reports/${qid}`)).data;
  assert.equal(qrep.kind, 'quarterly');
  assert.equal(qrep.period, quarter);
  // A quarter is compared with quarters, and its sections are numbered without the monthly
  // high-risk list.
  const head = (await page.locator('[data-test=report-comparison] thead th').allTextContents()).map((x) => x.trim());
  assert.deepEqual(head, ['项目', '本季度', `上季度（${qrep.generated.comparison.previous_quarter.period}）`,
    `去年同季度（${qrep.generated.comparison.same_quarter_last_year.period}）`]);
  const titles = (await page.locator('.jf-report-section .el-card__header strong').allTextContents()).map((x) => x.trim());
  assert.deepEqual(titles, ['一、总体情况', '二、同比环比', '三、纠纷类型', '四、热点区域', '五、逾期与待反馈', '六、研判分析与工作建议']);
  await shot(page, 'reportsq-quarter-draft-1366.png');
  await page.locator('textarea[data-test=report-analysis-input]').fill('本季度纠纷总量平稳。');
  await page.locator('[data-test=report-issue]').click();
  await page.locator('.el-message-box .el-button--primary').click();
  await page.locator('[data-test=report-state]', { hasText: '已签发' }).waitFor();
  assert.equal((await leader.get(`/api/v1/reports/${qid}`)).data.state, 'issued');
  await page.locator('[data-test=nav] .el-menu-item', { hasText: '研判专报' }).click();
  await page.locator('[data-test=reports-kind] label', { hasText: '季度总结' }).click();
  await choose(page, page.locator('[data-test=reports-quarter]'), quarter);
  const after = (await leader.get(`/api/v1/reports/quarterly?period=${quarter}`)).data;
  const county = after.items.find((i) => i.level === 'county');
  assert.equal(county.issued_version, 1, 'the county has issued');
  assert.equal(after.issued, 1);
  await card.locator('.el-card__header', { hasText: `已签发 1 个单位` }).waitFor();
  await shot(page, 'reportsq-quarter-issued-1366.png');

  // A phone: the list, the quarter's units and a report fit 390 px.
  const phone = await more(PHONE);
  await phone.goto(page.url().split('#')[0] + '#/reports');
  await phone.locator('[data-test=reports-list]').waitFor();
  await phone.locator('[data-test=reports-kind] label', { hasText: '季度总结' }).click();
  await phone.locator('[data-test=reports-quarterly] tbody tr').first().waitFor();
  await shot(phone, 'reportsq-list-390.png');
  await phone.goto(page.url().split('#')[0] + `#/reports/${qid}`);
  await phone.locator('[data-test=report-comparison]').waitFor();
  await shot(phone, 'reportsq-quarter-390.png');
  await phone.goto(page.url().split('#')[0] + `#/reports/${v2.id}`);
  await phone.locator('textarea[data-test=report-analysis-input]').waitFor();
  await shot(phone, 'reportsq-draft-390.png');
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling on a phone (${overflow} px too wide)`);
});
