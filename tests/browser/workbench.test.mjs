// Browser tests of the workbench (工作台) and the register's URL, filters and search:
// the dispatcher's home shows the to-do counts the API gives, a count's link opens the
// register filtered to exactly those cases; the register keeps filters and page in the URL,
// so going back from a case returns to the same page; its columns fit 1366 px; a
// one-character search is explained and leaves no stale rows; a part of a case number finds
// it; a mediator's workbench counts their own cases. Screenshots at 1366 px and 390 px.

import assert from 'node:assert/strict';
import { browserSuite, loginOk, shot } from '../lib/browser.mjs';

const { test: browserTest, apiAs } = browserSuite();
const LAPTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

let made = null;
/** 23 cases registered in 警钟街社区 over the API, two of them accepted (once per run). */
async function makeCases() {
  if (made) return made;
  const clerk = await apiAs('fc_clerk');
  const village = (await clerk.get('/api/v1/regions?q=' + encodeURIComponent('警钟街社区'))).data.items
    .find((r) => r.name === '警钟街社区');
  const cases = [];
  for (let i = 0; i < 23; i++) {
    const r = await clerk.post('/api/v1/cases', {
      channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: `相邻通行纠纷第${i}件`, urgent: i === 22,
      region_id: village.id, parties: [{ role: 'applicant', name: '孙立' }],
    });
    assert.equal(r.status, 201, JSON.stringify(r.data));
    cases.push(r.data);
  }
  const dispatcher = await apiAs('fc_dispatcher');
  for (const k of cases.slice(0, 2)) {
    assert.equal((await dispatcher.post(`/api/v1/cases/${k.id}/transitions`, { action: 'accept' })).status, 200);
  }
  made = { cases, village };
  return made;
}

const todoCount = async (page, key) => Number(await page.locator(`[data-test=todo-${key}] [data-test=todo-count]`).textContent());

/** Waits for the register's table to show rows for `query` (the list request answered). */
async function tableLoaded(page) {
  await page.locator('[data-test=cases-table]').waitFor();
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => !document.querySelector('[data-test=cases-table] .el-loading-mask:not([style*="display: none"])'));
}
const rowNumbers = (page) => page.locator('[data-test=cases-table] [data-test=case-link]').allTextContents();
const total = async (page) => Number((await page.locator('.jf-pager .el-pagination__total').textContent()).match(/\d+/)[0]);

browserTest('the dispatcher\'s workbench shows the to-do counts; a count opens the register filtered to them', async (page, more) => {
  await makeCases();
  const api = await apiAs('fc_dispatcher');
  const wb = (await api.get('/api/v1/workbench')).data;
  const want = Object.fromEntries(wb.items.map((i) => [i.key, i.count]));
  assert.ok(want.to_accept >= 21 && want.to_assign >= 2, JSON.stringify(want));

  const p = await more(LAPTOP);
  await p.goto(page.url());
  await loginOk(p, 'fc_dispatcher');
  await p.locator('[data-test=todo-to_accept]').waitFor();
  for (const [key, n] of Object.entries(want)) assert.equal(await todoCount(p, key), n, `${key} on the workbench`);
  assert.equal(await p.locator('[data-test=todo-mediating]').count(), 0, 'a dispatcher has no 调解中 tile');
  await shot(p, 'workbench-dispatcher-1366.png');

  await p.locator('[data-test=todo-to_assign]').click();
  await p.waitForURL(/#\/cases\?state=accepted/);
  await tableLoaded(p);
  assert.equal(await total(p), want.to_assign, 'the list holds as many cases as the count said');
  const states = await p.locator('[data-test=cases-table] [data-test=case-state]').allTextContents();
  assert.ok(states.length === want.to_assign && states.every((s) => s === '已受理'), states.join(','));
  await shot(p, 'workbench-to-assign-list-1366.png');
});

browserTest('the register keeps filters and page in the URL: back from a case shows the same page; columns fit 1366 px', async (page, more) => {
  const { village } = await makeCases();
  const p = await more(LAPTOP);
  await p.goto(page.url());
  await loginOk(p, 'fc_dispatcher');
  await p.goto(p.url().split('#')[0] + `#/cases?state=registered&region_id=${village.id}&page=2`);
  await tableLoaded(p);
  const n = await total(p);
  assert.ok(n >= 21, `registered cases in the village: ${n}`);
  const second = await rowNumbers(p);
  assert.equal(second.length, Math.min(20, n - 20), 'page 2 of the filtered list');
  assert.equal(await p.locator('.jf-pager .el-pager .is-active').textContent(), '2');
  // The place filter shows the village's name (fetched, as its branch of the tree is closed).
  await p.waitForFunction(() => document.querySelector('[data-test=cases-region]')?.textContent.includes('警钟街社区'));
  // Columns fit: the table's body does not scroll sideways.
  const overflow = await p.locator('[data-test=cases-table] .el-table__body-wrapper .el-scrollbar__wrap').evaluate((el) => el.scrollWidth - el.clientWidth);
  assert.ok(overflow <= 0, `the table overflows by ${overflow}px at 1366 px`);
  // The due date and its 超期 tag stay on one line (they wrapped into two at 1366 px).
  // Nor do the case number and the time of registration (every cell of the row on one line).
  const heights = await p.locator('[data-test=cases-table] .el-table__body .jf-nowrap .cell, [data-test=cases-table] span.jf-nowrap')
    .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
  assert.ok(heights.length > 0 && heights.every((h) => h < 30), `number, received and due on one line: ${heights}`);
  const pageOverflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(pageOverflow <= 0, `the page scrolls sideways by ${pageOverflow}px`);
  await shot(p, 'register-filtered-page2-1366.png');

  await p.locator('[data-test=cases-table] [data-test=case-link]').first().click();
  await p.locator('[data-test=case-actions]').waitFor();
  await p.goBack();
  await tableLoaded(p);
  assert.match(p.url(), /state=registered/);
  assert.match(p.url(), /page=2/);
  assert.deepEqual(await rowNumbers(p), second, 'back from the case: the same page of the same list');
  assert.equal(await p.locator('.jf-pager .el-pager .is-active').textContent(), '2');

  // The date filter goes into the URL as well.
  await p.goto(p.url().split('#')[0] + '#/cases?from=2020-01-01&to=2020-01-31');
  await tableLoaded(p);
  assert.equal(await total(p), 0, 'nothing was received in January 2020');
  assert.equal(await p.locator('.jf-daterange input').first().inputValue(), '2020-01-01');
  // ... and nothing in them is cut off: the 紧急 tag beside a number, the 超期 tag beside a date
  // (the urgent case, of higher risk, heads page 1).
  await p.goto(p.url().split('#')[0] + `#/cases?state=registered&region_id=${village.id}`);
  await tableLoaded(p);
  assert.ok(await p.locator('[data-test=cases-table] .el-table__body .jf-nowrap .el-tag', { hasText: '紧急' }).count() > 0,
    'an urgent case is on the page, its tag beside the number');
  const clipped = await p.locator('[data-test=cases-table] .el-table__body .jf-nowrap .cell')
    .evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent));
  assert.deepEqual(clipped, [], 'cells cut off at 1366 px');
});

browserTest('a one-character search is explained and clears the rows; a part of a number finds the case', async (page, more) => {
  const { cases } = await makeCases();
  const p = await more(LAPTOP);
  await p.goto(page.url());
  await loginOk(p, 'fc_dispatcher');
  await p.goto(p.url().split('#')[0] + '#/cases');
  await tableLoaded(p);
  assert.ok((await rowNumbers(p)).length > 0);
  const q = p.locator('input[data-test=cases-q]');
  await q.fill('1');
  await q.press('Enter');
  await p.locator('[data-test=cases-problem]').waitFor();
  assert.match(await p.locator('[data-test=cases-problem]').textContent(), /至少输入两个字/);
  await tableLoaded(p);
  assert.deepEqual(await rowNumbers(p), [], 'no stale rows under the message');
  await shot(p, 'register-short-query-1366.png');

  const target = cases[17].number;
  const part = target.match(/第(\d+)号/)[1];
  await q.fill(`(${target.slice(1, 5)})${part}`);
  await q.press('Enter');
  await p.locator('[data-test=cases-problem]').waitFor({ state: 'detached' });
  await tableLoaded(p);
  assert.deepEqual(await rowNumbers(p), [target]);
  assert.match(decodeURIComponent(p.url()), new RegExp(`q=\\(${target.slice(1, 5)}\\)${part}`));
});

browserTest('a mediator\'s workbench counts their own cases and links to them; it reads at 390 px', async (page, more) => {
  await makeCases();
  const p = await more(PHONE);
  await p.goto(page.url());
  await loginOk(p, 'jzj_mediator');
  await p.locator('[data-test=todo-sessions_due]').waitFor();
  assert.match(await p.locator('[data-test=todos]').textContent(), /我经办的案件/);
  assert.match(await p.locator('[data-test=todo-overdue]').getAttribute('href'), /overdue=true&mine=true/);
  await shot(p, 'workbench-mediator-390.png');
  await p.locator('[data-test=todo-sessions_due]').click();
  await p.waitForURL(/state=assigned&mine=true/);
  await tableLoaded(p);
  assert.equal(await p.locator('[data-test=cases-mine] input').isChecked(), true);
  await shot(p, 'register-mediator-390.png');
});

browserTest('the register\'s next page follows the cursor of the page before (keyset, issue 12)', async (page, more) => {
  const { village } = await makeCases();
  const p = await more(LAPTOP);
  await p.goto(page.url());
  await loginOk(p, 'fc_dispatcher');
  await p.goto(p.url().split('#')[0] + `#/cases?region_id=${village.id}`);
  await tableLoaded(p);
  const asked = [];
  p.on('request', (r) => { if (/\/api\/v1\/cases\?/.test(r.url())) asked.push(new URL(r.url()).searchParams); });
  await p.locator('.jf-pager .btn-next').click();
  await tableLoaded(p);
  const q = asked.at(-1);
  assert.ok(q && q.get('after') && !q.get('page'), `page 2 by cursor: ${q}`);
  const api = await apiAs('fc_dispatcher');
  const byPage = (await api.get(`/api/v1/cases?region_id=${village.id}&per_page=20&page=2`)).data.items.map((k) => k.number);
  assert.deepEqual(await rowNumbers(p), byPage, 'the rows of page 2');
  assert.match(p.url(), /page=2/);
  await shot(p, 'register-page2-cursor-1366.png');
});
