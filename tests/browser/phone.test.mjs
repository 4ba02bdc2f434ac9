// Staff screens on a phone (issue 9, part 6), at 390×844 (an iPhone 12–15 held upright):
// the side menu is gone and opens as a drawer from the button in the header, choosing a screen
// closes it; the intake form is one column with every label above its field, and for a grid
// worker (网格员) the channel starts as 网格上报; the case page, the register, the workbench
// and the 督办台 fit the width — nothing scrolls the page sideways (a table scrolls inside its
// card instead) and no label overlaps its field. Screenshots in build/screenshots/phone-*.png.

import assert from 'node:assert/strict';
import { browserSuite, loginOk, logout, shot, choose, chooseRegion } from '../lib/browser.mjs';

const { test: browserTest, apiAs } = browserSuite();
const PHONE = { width: 390, height: 844 };

/** Fails when the page or its content area is wider than the screen. */
async function fitsWidth(page, what) {
  await page.waitForLoadState('networkidle');
  const o = await page.evaluate(() => {
    const main = document.querySelector('.jf-main');
    // The widest element that sticks out past the right edge, to name it in the failure.
    let worst = null;
    for (const el of document.querySelectorAll('.jf-main *')) {
      const r = el.getBoundingClientRect();
      if (r.width && r.right > innerWidth + 1 && !el.closest('.el-table__body-wrapper, .el-table__header-wrapper, .el-scrollbar')) {
        if (!worst || r.right > worst.right) worst = { right: r.right, tag: el.tagName, cls: el.className && String(el.className).slice(0, 60) };
      }
    }
    return { doc: document.documentElement.scrollWidth, win: innerWidth, main: main.scrollWidth, mainW: main.clientWidth, worst };
  });
  assert.ok(o.doc <= o.win && o.main <= o.mainW, `${what} fits ${o.win}px: ${JSON.stringify(o)}`);
}

/** Fails when a visible form label in `scope` is not above its field (overlap or beside it). */
async function labelsAbove(scope, what) {
  const bad = await scope.evaluate((root) => {
    const out = [];
    for (const item of root.querySelectorAll('.el-form-item')) {
      const label = item.querySelector(':scope > .el-form-item__label, :scope > .el-form-item__label-wrap .el-form-item__label');
      const content = item.querySelector(':scope > .el-form-item__content');
      if (!label || !content || !label.textContent.trim() || !label.getBoundingClientRect().width) continue;
      const l = label.getBoundingClientRect(), c = content.getBoundingClientRect();
      if (l.bottom > c.top + 1) out.push(`${label.textContent.trim()}: label ${Math.round(l.top)}–${Math.round(l.bottom)}, field from ${Math.round(c.top)}`);
    }
    return out;
  });
  assert.deepEqual(bad, [], `${what}: labels above their fields`);
}

/** Opens a screen from the drawer behind the header's menu button. */
async function openFromDrawer(page, label, dataTest) {
  await page.locator('[data-test=nav-toggle]').click();
  const drawer = page.locator('[data-test=nav-drawer]');
  await drawer.locator('[data-test=nav]').waitFor();
  await drawer.locator('.el-menu-item', { hasText: label }).click();
  await page.locator(`[data-test=${dataTest}]`).waitFor();
  await drawer.locator('[data-test=nav]').waitFor({ state: 'hidden' });
}

browserTest('a grid worker on a phone: menu from the button, one-column intake on 网格上报, a readable case page', async (page) => {
  await page.setViewportSize(PHONE);
  await loginOk(page, 'jzj_grid');
  assert.equal(await page.locator('.jf-aside').count(), 0, 'no side menu on a phone');
  assert.ok(await page.locator('[data-test=nav-toggle]').isVisible(), 'the menu button is in the header');
  await fitsWidth(page, 'the workbench');
  await shot(page, 'phone-home-grid.png');

  // The drawer holds the menu; choosing a screen closes it.
  await page.locator('[data-test=nav-toggle]').click();
  const drawer = page.locator('[data-test=nav-drawer]');
  await drawer.locator('[data-test=nav]').waitFor();
  assert.match(await drawer.textContent(), /周丽/);
  const labels = await drawer.locator('.jf-menu-label').allTextContents();
  assert.ok(labels.includes('纠纷登记'), `a grid worker reports disputes: ${labels}`);
  await shot(page, 'phone-drawer.png', { expand: false });
  await drawer.locator('.el-menu-item', { hasText: '纠纷登记' }).click();
  await page.locator('[data-test=intake]').waitFor();
  await drawer.locator('[data-test=nav]').waitFor({ state: 'hidden' });

  // One column, labels above, the channel preset to the grid.
  const form = page.locator('[data-test=intake-form]');
  assert.equal((await form.locator('[data-field=channel] .el-select__wrapper').innerText()).trim(), '网格上报');
  const box = async (f) => form.locator(`[data-field=${f}]`).boundingBox();
  const [channel, category, complexity] = [await box('channel'), await box('category'), await box('complexity')];
  assert.ok(Math.abs(channel.x - category.x) < 2 && category.y > channel.y + channel.height - 2 && complexity.y > category.y,
    `the fields stand one under another: ${JSON.stringify([channel, category, complexity])}`);
  assert.ok(channel.width > PHONE.width * 0.8, `a field takes the width: ${channel.width}`);
  await labelsAbove(form, 'the intake form');
  await fitsWidth(page, 'the intake form');
  await shot(page, 'phone-intake.png');

  await choose(page, form.locator('[data-field=category]'), '邻里纠纷');
  await chooseRegion(page, form.locator('[data-field=region_id]'), ['警钟街社区']);
  await form.locator('[data-field=facts] textarea').fill('巡查发现两户因排水沟堵塞发生争吵，现场劝解后仍有矛盾。');
  const cell = (row, col) => page.locator(`[data-test=party-row-${row}] [data-col=${col}]`);
  await cell(0, 'name').locator('input').fill('孙丽');
  await cell(0, 'phone').locator('input').fill('13800138011');
  await cell(1, 'name').locator('input').fill('钱军');
  const [n0, p0] = [await cell(0, 'name').boundingBox(), await cell(0, 'phone').boundingBox()];
  assert.ok(p0.y > n0.y + n0.height - 2, 'a party\'s fields stand one under another');
  await page.locator('[data-test=intake-submit]').click();
  await page.locator('[data-test=intake-number]').waitFor();
  await page.locator('[data-test=intake-open]').click();
  await page.locator('[data-test=case-detail] [data-test=case-number]').waitFor();

  // The case page: one column, the timeline under the details, nothing wider than the screen.
  await page.locator('[data-test=timeline-item]').first().waitFor();
  const head = await page.locator('[data-test=case-basics]').boundingBox();
  const timeline = await page.locator('[data-test=case-timeline]').boundingBox();
  assert.ok(timeline.y > head.y && Math.abs(timeline.x - head.x) < 2, 'the timeline comes under the case, not beside it');
  await fitsWidth(page, 'the case page');
  await shot(page, 'phone-case-grid.png');
  const id = /#\/cases\/(\d+)/.exec(page.url())[1];
  const api = await apiAs('jzj_grid');
  assert.equal((await api.get(`/api/v1/cases/${id}`)).data.channel, 'grid_report', 'registered as a grid report');
});

browserTest('a clerk on a phone: intake on 来访, the register scrolls inside its card, a case and its action dialog fit', async (page) => {
  await page.setViewportSize(PHONE);
  await loginOk(page, 'fc_clerk');
  await fitsWidth(page, 'the workbench');
  await shot(page, 'phone-home-clerk.png');

  await openFromDrawer(page, '纠纷登记', 'intake');
  const form = page.locator('[data-test=intake-form]');
  assert.equal((await form.locator('[data-field=channel] .el-select__wrapper').innerText()).trim(), '来访',
    'a clerk at the window starts on walk-in');
  await labelsAbove(form, 'the intake form');
  await fitsWidth(page, 'the intake form');

  // Something in the register, then the register itself.
  const village = (await (await apiAs('fc_clerk')).get('/api/v1/regions?q=' + encodeURIComponent('警钟街社区'))).data.items
    .find((r) => r.name === '警钟街社区');
  const r = await (await apiAs('fc_clerk')).post('/api/v1/cases', {
    channel: 'phone', category: 'neighbour', complexity: 'simple', facts: '楼上漏水殃及楼下住户', region_id: village.id,
    parties: [{ role: 'applicant', name: '郑华', phone: '13800138022' }, { role: 'respondent', name: '冯涛' }],
  });
  assert.equal(r.status, 201);
  await openFromDrawer(page, '案件', 'cases');
  await page.locator('[data-test=cases-table] [data-test=case-link]').first().waitFor();
  await fitsWidth(page, 'the register');
  const table = await page.locator('[data-test=cases-table] .el-table__body-wrapper .el-scrollbar__wrap').first().evaluate((w) => ({ sw: w.scrollWidth, cw: w.clientWidth }));
  assert.ok(table.sw >= table.cw, `the table scrolls inside its card: ${JSON.stringify(table)}`);
  await shot(page, 'phone-cases.png');

  await page.evaluate((cid) => { location.hash = `#/cases/${cid}`; }, r.data.id);
  await page.locator('[data-test=case-detail] [data-test=case-number]').waitFor();
  await page.locator('[data-test=timeline-item]').first().waitFor();
  await fitsWidth(page, 'the case page');
  await shot(page, 'phone-case-clerk.png');
  // An action's dialog fits the screen, its labels above the fields.
  await page.locator('[data-test=action-withdraw]').click();
  const dlg = page.locator('.el-dialog:visible');
  await dlg.waitFor();
  const d = await dlg.boundingBox();
  assert.ok(d.x >= 0 && d.x + d.width <= PHONE.width, `the dialog fits: ${JSON.stringify(d)}`);
  await labelsAbove(dlg, 'the 撤回 dialog');
  await shot(page, 'phone-dialog.png', { expand: false });
  await dlg.getByRole('button', { name: '取消' }).click();

  // The 督办台 of a supervisor fits too, with an order on it.
  const sup = await apiAs('fc_supervisor');
  const order = await sup.post(`/api/v1/cases/${r.data.id}/supervision`, { level: 'supervise', content: '请于三日内受理并反馈', deadline: '2026-12-31' });
  assert.equal(order.status, 201, order.text);
  await logout(page);
  await loginOk(page, 'fc_supervisor');
  await openFromDrawer(page, '督办台', 'supervision');
  await page.locator('[data-test=supervision] .el-tabs__item', { hasText: '督办令' }).click();
  await page.locator('[data-test=order-content]', { hasText: '请于三日内受理并反馈' }).waitFor();
  await fitsWidth(page, 'the supervision board');
  await shot(page, 'phone-supervision.png');
});
