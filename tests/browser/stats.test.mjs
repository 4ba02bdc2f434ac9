// Browser tests of 统计分析 (issue 11, part 6): the county leader's home opens on this month's
// headline figures (the API's numbers, linking to the dashboard); the dashboard shows the six
// headline cards with the summary's figures, and its four ECharts charts draw on their
// canvases (pixels, not just a canvas element); a click on the largest bar of the category
// chart opens the register filtered to that category, region and period, with as many cases
// as the breakdown counted; the 大屏 mode covers the window in the dark theme and goes back.
// The same screen on a phone (390 px): the cards two a row, every chart drawn at its width.
//
// Screenshots (build/screenshots/): stats-home.png, stats-1366.png, stats-wall.png,
// stats-drill.png, stats-390.png.

import assert from 'node:assert/strict';
import { browserSuite, loginOk, shot, openScreen } from '../lib/browser.mjs';

const { test: browserTest, apiAs } = browserSuite({ demoArgs: ['--cases', '600', '--seed', '5'] });

const LAPTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
const CHARTS = ['chart-trend', 'chart-category', 'chart-region', 'chart-funnel'];

const pad = (n) => String(n).padStart(2, '0');
/** Today in Shanghai (the browser's zone), as Date parts. */
function shanghaiToday() {
  const d = new Date(Date.now() + 8 * 3600e3);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
}
const ymd = ({ y, m, d }) => `${y}-${pad(m)}-${pad(d)}`;
const thisMonth = () => { const t = shanghaiToday(); return { from: ymd({ ...t, d: 1 }), to: ymd(t) }; };
const thisYear = () => { const t = shanghaiToday(); return { from: ymd({ y: t.y, m: 1, d: 1 }), to: ymd(t) }; };

/**
 * Waits until the chart's canvas has ink on a good part of it (ECharts animates in), and
 * returns the share of its pixels drawn: the background is transparent, so a blank canvas,
 * or one with only axes and a "暂无数据" line, stays near 0.
 */
async function waitForInk(page, test, share = 0.03) {
  const sel = `[data-test=${test}] canvas`;
  await page.locator(sel).first().waitFor();
  const handle = await page.waitForFunction(([s, min]) => {
    const c = document.querySelector(s);
    if (!c || !c.width || !c.height) return false;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    const r = n / (c.width * c.height);
    return r >= min ? r : false;
  }, [sel, share]);
  return handle.jsonValue();
}

/** The six headline values as shown, by key. */
async function headlineTexts(page, prefix) {
  const out = {};
  for (const k of ['total', 'success', 'resolution', 'fulfilment', 'satisfaction', 'overdue']) {
    out[k] = (await page.locator(`[data-test=${prefix}${k}] [data-test=stat-value]`).textContent()).trim();
  }
  return out;
}
const percent = (v) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

browserTest('a leader sees the headline figures at home, the charts, and drills down from a category', async (page) => {
  const api = await apiAs('fc_leader');
  const month = thisMonth();
  const summary = (await api.get(`/api/v1/stats/summary?from=${month.from}&to=${month.to}`)).data;
  assert.ok(summary.total > 0, `the demo has cases this month (${summary.total})`);

  await page.setViewportSize(LAPTOP);
  await loginOk(page, 'fc_leader');
  // Home: this month's figures of the leader's region, each card a link to 统计分析.
  await page.locator('[data-test=home-stat-total] [data-test=stat-value]').waitFor();
  const home = await headlineTexts(page, 'home-stat-');
  assert.equal(home.total, summary.total.toLocaleString('zh-CN'));
  assert.equal(home.success, percent(summary.rates.success_rate));
  assert.equal(home.overdue, summary.overdue.count.toLocaleString('zh-CN'));
  await shot(page, 'stats-home.png');
  await page.locator('[data-test=home-stat-resolution]').click();
  await page.locator('[data-test=stats]').waitFor();

  // The dashboard, this month: the summary's figures, compared with the period before.
  await page.locator('[data-test=stat-total] [data-test=stat-value]').waitFor();
  const cards = await headlineTexts(page, 'stat-');
  assert.equal(cards.total, summary.total.toLocaleString('zh-CN'));
  assert.equal(cards.resolution, percent(summary.rates.resolution_rate));
  assert.equal(cards.satisfaction, percent(summary.rates.satisfaction_rate));
  assert.match(await page.locator('[data-test=stat-total] [data-test=stat-prev]').textContent(), /环比/);
  assert.match(await page.locator('[data-test=stat-total] [data-test=stat-last-year]').textContent(), /同比/);
  // the figures without comparisons: days to resolve, 排查率, 万人成讼率 (docs/metrics.md)
  const shown = async (k) => (await page.locator(`[data-test=stat-${k}] [data-test=stat-value]`).textContent()).trim();
  const d = summary.days_to_resolve;
  assert.equal(await shown('days'), d.median === null ? '—' : `${d.median >= d.cap ? '≥ ' : ''}${d.median} 天`);
  assert.equal(await shown('investigation'), percent(summary.investigation.investigation_rate));
  assert.equal(await shown('litigation'), summary.litigation.per_10k === null ? '—' : summary.litigation.per_10k.toFixed(2));

  // This year: every chart draws.
  await page.locator('[data-test=stats-period] .el-radio-button', { hasText: '本年' }).click();
  const year = thisYear();
  await page.waitForFunction((t) => document.querySelector('[data-test=stats-period-text]').textContent.includes(t), year.from);
  for (const c of CHARTS) {
    const ink = await waitForInk(page, c);
    assert.ok(ink > 0.03, `${c} has ink on ${ink} of its canvas`);
  }
  await shot(page, 'stats-1366.png');

  // 大屏: over the whole window, dark, and back.
  await page.locator('[data-test=stats-wall]').click();
  await page.locator('[data-test=wall-head]').waitFor();
  const bg = await page.locator('[data-test=stats]').evaluate((e) => getComputedStyle(e).backgroundColor);
  assert.equal(bg, 'rgb(11, 23, 51)', 'the wall display is dark');
  for (const c of CHARTS) await waitForInk(page, c);
  await shot(page, 'stats-wall.png', { expand: false });
  await page.locator('[data-test=wall-exit]').click();
  await page.locator('[data-test=stats-wall]').waitFor();

  // Drill-down: a click on the largest category's bar (the top one) opens the register.
  const cats = (await api.get(`/api/v1/stats/breakdown?from=${year.from}&to=${year.to}&by=category`)).data.items;
  const most = Math.max(...cats.map((i) => i.total));
  await waitForInk(page, 'chart-category');
  await page.locator('[data-test=chart-category]').scrollIntoViewIfNeeded(); // the click is in the viewport's pixels
  const target = await page.locator('[data-test=chart-category]').evaluate(async (el) => {
    const echarts = await import('echarts');
    const chart = echarts.getInstanceByDom(el.querySelector('[_echarts_instance_]') || el);
    const data = chart.getOption().series[0].data;
    const last = data.length - 1; // the bars run bottom-up: the largest is the last
    const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, [data[last].value / 2, last]);
    const box = el.getBoundingClientRect();
    return { key: data[last].key, value: data[last].value, x: box.left + x, y: box.top + y };
  });
  assert.equal(target.value, most, 'the top bar is the largest category');
  await page.mouse.click(target.x, target.y);
  await page.locator('[data-test=cases]').waitFor();
  const h = new URLSearchParams(new URL(page.url()).hash.split('?')[1]);
  assert.equal(h.get('category'), target.key);
  assert.equal(h.get('from'), year.from);
  assert.equal(h.get('to'), year.to);
  assert.equal(h.get('region_id'), String(summary.region_id));
  await page.waitForFunction((n) => (document.querySelector('.jf-pager .el-pagination__total') || {}).textContent?.includes(String(n)), most);
  assert.match(await page.locator('.jf-pager .el-pagination__total').textContent(), new RegExp(`\\b${most}\\b`));
  await shot(page, 'stats-drill.png', { expand: false });
});

browserTest('the dashboard on a phone: cards two a row, every chart drawn at its width', async (page) => {
  await page.setViewportSize(PHONE);
  await loginOk(page, 'fc_leader');
  await page.goto(page.url().split('#')[0] + '#/stats?period=year');
  await page.locator('[data-test=stat-total] [data-test=stat-value]').waitFor();
  for (const c of CHARTS) {
    await waitForInk(page, c);
    const w = await page.locator(`[data-test=${c}]`).evaluate((e) => e.getBoundingClientRect().width);
    assert.ok(w > 300 && w < 390, `${c} fits the phone (${w} px)`);
  }
  const tops = await page.locator('.jf-stat-card').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
  assert.equal(tops[0], tops[1], 'two cards a row');
  assert.notEqual(tops[1], tops[2]);
  await shot(page, 'stats-390.png');
});
