// Browser tests of the case register and lifecycle (issue 4, docs/api-contract-cases.md):
// one case walked through the UI by the people who handle it, switching users by logging out
// and in — the clerk registers it from the keyboard, the dispatcher accepts it (the routing
// explanation appears) and assigns it, the community mediator records two sessions, records
// the agreement and closes it. At every step only the actions the server allows are offered
// and the timeline grows. Also: a mediator never sees 结案 on a freshly accepted case, and an
// action that became impossible meanwhile (409) is explained in Chinese and the buttons are
// refreshed.
//
// Driven in Debian's Chromium against the real server on a fresh demo database, like the
// other browser tests; screenshots go to build/screenshots/. Every test fails if the page
// threw or logged a console error (other than Chromium's line for an API 4xx answer).

import assert from 'node:assert/strict';
import { browserSuite, loginOk, logout, switchUser, shot, openScreen, navLabels, choose, chooseRegion, DESKTOP } from '../lib/browser.mjs';

const { test: browserTest, apiAs } = browserSuite();

const NUMBER = /（\d{4}）涪城人调字第\d{4}号/;

/** The action buttons the case page offers now, as data-test names (e.g. "accept"). */
async function actionsShown(page) {
  const bar = page.locator('[data-test=case-actions]');
  await bar.waitFor();
  await page.waitForLoadState('networkidle');
  const tests = await bar.locator('button').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-test')));
  return tests.filter(Boolean).map((t) => t.replace(/^action-/, '')).sort();
}

/** Waits until the timeline shows `n` entries; returns their action names. */
async function timelineHas(page, n) {
  const items = page.locator('[data-test=case-timeline] [data-test=timeline-action]');
  await page.waitForFunction(
    (k) => document.querySelectorAll('[data-test=case-timeline] [data-test=timeline-action]').length === k, n);
  return items.allTextContents();
}

/** Opens an action's dialog; returns the dialog's locator. */
async function openAction(page, action) {
  await page.locator(`[data-test=action-${action}]`).click();
  const dlg = page.locator('.el-dialog:visible');
  await dlg.waitFor();
  return dlg;
}

/** Submits an action's dialog and waits until it has closed. */
async function submitAction(page, dlg) {
  await dlg.locator('[data-test=action-submit]').click();
  await dlg.waitFor({ state: 'hidden' });
}

/** A case in 警钟街社区 registered and accepted over the API; returns {id, number}. */
async function acceptedCase(facts) {
  const clerk = await apiAs('fc_clerk');
  const village = (await clerk.get('/api/v1/regions?q=' + encodeURIComponent('警钟街社区'))).data.items
    .find((r) => r.name === '警钟街社区');
  const r = await clerk.post('/api/v1/cases', {
    channel: 'phone', category: 'neighbour', complexity: 'simple', facts, region_id: village.id,
    parties: [{ role: 'applicant', name: '王五' }],
  });
  assert.equal(r.status, 201, JSON.stringify(r.data));
  const dispatcher = await apiAs('fc_dispatcher');
  const a = await dispatcher.post(`/api/v1/cases/${r.data.id}/transitions`, { action: 'accept' });
  assert.equal(a.status, 200, JSON.stringify(a.data));
  return r.data;
}

// ---------------------------------------------------------------------------------------

browserTest('one case through the UI: registered, accepted, assigned, mediated, agreed, closed', async (page) => {
  // Something else in the register, so the list is a list.
  await acceptedCase('楼上住户装修噪音扰民，多次协商未果');

  // --- the clerk registers it, from the keyboard ---
  await loginOk(page, 'fc_clerk');
  const labels = await navLabels(page);
  for (const l of ['纠纷登记', '案件']) assert.ok(labels.includes(l), `a clerk's menu has ${l}: ${labels}`);
  await openScreen(page, '纠纷登记', 'intake');
  // At a laptop's 1366 px the four degrees of complexity stay on one line (重大 wrapped).
  await page.setViewportSize({ width: 1366, height: 900 });
  const row = await page.locator('[data-test=intake-complexity]').evaluate((e) => e.getBoundingClientRect().height);
  assert.ok(row < 40, `复杂程度 on one line at 1366 px: ${row}px high`);
  await page.setViewportSize(DESKTOP);
  await choose(page, page.locator('[data-field=category]'), '邻里纠纷');
  await chooseRegion(page, page.locator('[data-field=region_id]'), ['涪城区', '城厢街道', '警钟街社区']);
  await page.locator('[data-field=facts] textarea').fill('两户因公共楼道堆放杂物发生争执，申请人要求对方清理楼道。');
  await page.locator('[data-field=claims] textarea').fill('清理楼道杂物，今后不再堆放');

  const cell = (row, col) => page.locator(`[data-test=party-row-${row}] [data-col=${col}]`);
  await cell(0, 'name').locator('input').fill('张秀英');
  await cell(0, 'id_number').locator('input').fill('11010519491231002X');
  await cell(0, 'phone').locator('input').fill('13800138000');
  await cell(1, 'name').locator('input').fill('李建国');
  await cell(1, 'id_number').locator('input').fill('110105194912310021'); // wrong check digit
  // Enter in a party's row adds a party and puts the cursor in its name.
  await cell(1, 'agent').locator('input').press('Enter');
  await page.locator('[data-test=party-row-2]').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.closest('[data-col]')?.getAttribute('data-col')), 'name',
    'the new row\'s name has the focus');
  // Ctrl+Enter submits: the server's error for parties[1].id_number is shown in that cell.
  await page.keyboard.press('Control+Enter');
  const idError = cell(1, 'id_number').locator('.el-form-item__error');
  await idError.waitFor();
  assert.match(await idError.textContent(), /有效的18位居民身份证号码/);
  assert.equal(await cell(0, 'id_number').locator('.el-form-item__error').count(), 0, 'the applicant\'s ID number is fine');
  await shot(page, 'intake.png');

  await cell(1, 'id_number').locator('input').fill('');
  await cell(1, 'phone').locator('input').fill('13900139000');
  await cell(1, 'phone').locator('input').press('Control+Enter');
  const numberEl = page.locator('[data-test=intake-number]');
  await numberEl.waitFor();
  const number = (await numberEl.textContent()).trim();
  assert.match(number, NUMBER, `the case number is shown: ${number}`);
  await shot(page, 'intake-done.png');

  // The clerk may accept or withdraw it, but not assign it.
  await page.locator('[data-test=intake-open]').click();
  await page.locator('[data-test=case-detail] [data-test=case-number]').waitFor();
  let shown = await actionsShown(page);
  assert.ok(!shown.includes('assign'), `the clerk sees no 指派: ${shown}`);
  assert.equal(await page.getByRole('button', { name: '指派' }).count(), 0);
  assert.deepEqual(await timelineHas(page, 1), ['登记']);
  assert.match(await page.locator('[data-test=party-id]').first().textContent(), /^110105\*+002X$/, 'the ID number is masked');
  assert.match(await page.locator('[data-test=case-state]').textContent(), /已登记/);

  // --- the dispatcher finds it in the register and accepts it ---
  await switchUser(page, 'fc_dispatcher');
  await openScreen(page, '案件', 'cases');
  const link = page.locator('[data-test=cases-table] [data-test=case-link]', { hasText: number });
  await link.waitFor();
  assert.ok(await page.locator('[data-test=cases-table] .el-table__row').count() >= 2, 'the list shows both cases');
  await shot(page, 'case-list.png');
  await link.click();
  await page.locator('[data-test=case-detail] [data-test=case-number]').waitFor();
  shown = await actionsShown(page);
  assert.deepEqual(shown, ['accept', 'merge', 'refer', 'reject', 'withdraw'], `a dispatcher's actions on a registered case: ${shown}`);
  await submitAction(page, await openAction(page, 'accept'));
  await page.locator('[data-test=case-routing] [data-test=decision-level]').waitFor();
  assert.match(await page.locator('[data-test=case-routing] [data-test=decision-level]').textContent(), /村（社区）/);
  assert.match(await page.locator('[data-test=case-routing] [data-test=decision-method]').textContent(), /人民调解/);
  await page.locator('[data-test=case-routing] [data-test=preview-winner]').waitFor();
  assert.match(await page.locator('[data-test=case-state]').textContent(), /已受理/);
  assert.match(await page.locator('[data-test=case-level]').textContent(), /村（社区）/);
  assert.match(await page.locator('[data-test=case-due]').textContent(), /^\d{4}-\d{2}-\d{2}$/, 'a due date is set');
  assert.deepEqual(await timelineHas(page, 2), ['登记', '受理']);
  shown = await actionsShown(page);
  assert.ok(shown.includes('assign') && !shown.includes('accept'), `after accepting: ${shown}`);

  // Assigning without a mediator names the field; then with one.
  let dlg = await openAction(page, 'assign');
  // 包案领导 is chosen from the users who lead (陈静, 涪城区矛调中心), not typed.
  await choose(page, dlg.locator('[data-field=lead_leader_id]'), '陈静');
  await choose(page, dlg.locator('[data-field=resp_org_id]'), '警钟街社区人民调解委员会');
  await dlg.locator('[data-test=action-submit]').click();
  await dlg.locator('[data-field=mediator_ids] .el-form-item__error').waitFor();
  await choose(page, dlg.locator('[data-field=mediator_ids]'), '黄志强', { multiple: true });
  await submitAction(page, dlg);
  await page.locator('[data-test=case-state]', { hasText: '已指派' }).waitFor();
  assert.match(await page.locator('[data-test=case-resp-org]').textContent(), /警钟街社区人民调解委员会/);
  assert.match(await page.locator('[data-test=case-mediators]').textContent(), /黄志强/);
  assert.deepEqual(await timelineHas(page, 3), ['登记', '受理', '指派']);
  shown = await actionsShown(page);
  assert.ok(!shown.includes('record_session') && !shown.includes('close'), `a dispatcher does not mediate: ${shown}`);

  // --- the community's mediator mediates, records the agreement and closes ---
  await switchUser(page, 'jzj_mediator');
  await openScreen(page, '案件', 'cases');
  await page.locator('[data-test=cases-table] [data-test=case-link]', { hasText: number }).click();
  await page.locator('[data-test=case-detail] [data-test=case-number]').waitFor();
  shown = await actionsShown(page);
  assert.ok(shown.includes('record_session'), `the mediator may record a session: ${shown}`);
  assert.ok(!shown.includes('close') && !shown.includes('agree') && !shown.includes('assign'), `not yet: ${shown}`);

  dlg = await openAction(page, 'record_session');
  await dlg.locator('[data-field=place] input').fill('警钟街社区调解室');
  await dlg.locator('[data-field=participants] input').fill('双方当事人、调解员黄志强');
  await dlg.locator('[data-field=record] textarea').fill('听取双方陈述，讲解相关规定，双方同意各自清理。');
  await submitAction(page, dlg);
  await page.locator('[data-test=case-state]', { hasText: '调解中' }).waitFor();
  assert.equal((await timelineHas(page, 4))[3], '记录调解');

  dlg = await openAction(page, 'record_session');
  await dlg.locator('[data-field=record] textarea').fill('现场查看，杂物已部分清理，约定三日内清理完毕。');
  await submitAction(page, dlg);
  await timelineHas(page, 5);
  shown = await actionsShown(page);
  assert.ok(shown.includes('agree') && shown.includes('fail'), `in mediation: ${shown}`);
  assert.ok(!shown.includes('close'), `no 结案 while mediating: ${shown}`);

  dlg = await openAction(page, 'agree');
  await dlg.locator('[data-field=terms] textarea').fill('李建国于三日内清理楼道杂物，双方今后共同维护公共楼道整洁。');
  await submitAction(page, dlg);
  await page.locator('[data-test=case-state]', { hasText: '调解成功' }).waitFor();
  await timelineHas(page, 6);
  shown = await actionsShown(page);
  assert.ok(shown.includes('close'), `after the agreement the mediator may close: ${shown}`);

  dlg = await openAction(page, 'close');
  await dlg.locator('[data-field=summary] textarea').fill('双方达成口头一致并已履行，纠纷化解。');
  await submitAction(page, dlg);
  await page.locator('[data-test=case-state]', { hasText: '已结案' }).waitFor();
  const events = await timelineHas(page, 7);
  assert.deepEqual(events, ['登记', '受理', '指派', '记录调解', '记录调解', '达成协议', '结案']);
  shown = await actionsShown(page);
  assert.ok(!shown.includes('close') && !shown.includes('record_session'), `closed: ${shown}`);
  const timeline = await page.locator('[data-test=case-timeline]').textContent();
  assert.doesNotMatch(timeline, /jzj_mediator/, 'the timeline names people, not logins');
  assert.match(timeline, /黄志强/, 'the assignment names the mediator');
  assert.match(timeline, /包案领导陈静/, 'the lead leader by name');
  assert.doesNotMatch(timeline, /包案领导\d/, 'not by id');
  assert.match(timeline, /调解中 → 调解成功/);
  // The documents follow the case: the agreement and the session record print filled in now.
  await page.locator('[data-test=case-documents] .jf-doc-links:not(.jf-doc-blank) [data-test=document-agreement]').waitFor();
  await shot(page, 'case-detail.png');
  await shot(page, 'case-timeline.png', { of: page.locator('[data-test=case-timeline]') });

  // The server agrees with what the screens showed.
  const api = await apiAs('fc_dispatcher');
  const list = (await api.get('/api/v1/cases?q=' + encodeURIComponent('楼道'))).data.items;
  const mine = list.find((c) => c.number === number);
  assert.ok(mine, `the case is found by text: ${JSON.stringify(list.map((c) => c.number))}`);
  assert.equal(mine.state, 'closed');
});

browserTest('a mediator does not see 结案 on a freshly accepted case', async (page) => {
  const c = await acceptedCase('邻居饲养犬只夜间吠叫扰民');
  await loginOk(page, 'jzj_mediator');
  await page.evaluate((id) => { location.hash = `#/cases/${id}`; }, c.id);
  await page.locator('[data-test=case-detail] [data-test=case-number]').waitFor();
  assert.match(await page.locator('[data-test=case-state]').textContent(), /已受理/);
  const shown = await actionsShown(page);
  assert.ok(!shown.includes('close'), `no 结案 on an accepted case: ${shown}`);
  assert.equal(await page.getByRole('button', { name: '结案', exact: true }).count(), 0);
  assert.ok(!shown.includes('assign') && !shown.includes('record_session'), `nothing a mediator may do yet: ${shown}`);
  // A mediator's list opens on 我的案件: a case not assigned to them is not there; the
  // whole register of their community shows it, its state in Chinese.
  await openScreen(page, '案件', 'cases');
  const mine = page.locator('[data-test=cases-mine] input');
  assert.ok(await mine.isChecked(), 'a mediator starts with their own cases');
  await page.waitForLoadState('networkidle');
  const row = page.locator('[data-test=cases-table] .el-table__row', { hasText: c.number });
  assert.equal(await row.count(), 0, 'not assigned to this mediator');
  await page.locator('[data-test=cases-mine]').click();
  await row.waitFor();
  assert.match(await row.locator('[data-test=case-state]').textContent(), /已受理/);
});

browserTest('an action that became impossible meanwhile: the 409 reason in Chinese, buttons refreshed', async (page) => {
  const clerk = await apiAs('fc_clerk');
  const village = (await clerk.get('/api/v1/regions?q=' + encodeURIComponent('警钟街社区'))).data.items
    .find((r) => r.name === '警钟街社区');
  const r = await clerk.post('/api/v1/cases', {
    channel: 'letter', category: 'neighbour', complexity: 'simple', facts: '相邻通行纠纷', region_id: village.id,
    parties: [{ role: 'applicant', name: '赵六' }],
  });
  assert.equal(r.status, 201);
  await loginOk(page, 'fc_dispatcher');
  await page.evaluate((id) => { location.hash = `#/cases/${id}`; }, r.data.id);
  await page.locator('[data-test=case-detail] [data-test=case-number]').waitFor();
  assert.ok((await actionsShown(page)).includes('accept'));
  const dlg = await openAction(page, 'accept');
  // Someone else accepts it while the dialog is open.
  const other = await apiAs('fc_admin');
  assert.equal((await other.post(`/api/v1/cases/${r.data.id}/transitions`, { action: 'accept' })).status, 200);
  await submitAction(page, dlg);
  const refused = page.locator('[data-test=action-refused]');
  await refused.waitFor();
  assert.match(await refused.textContent(), /不能受理：案件当前所处的状态不能进行此操作/);
  await page.locator('[data-test=case-state]', { hasText: '已受理' }).waitFor();
  const shown = await actionsShown(page);
  assert.ok(!shown.includes('accept') && shown.includes('assign'), `the buttons follow the new state: ${shown}`);
  await timelineHas(page, 2);
});

browserTest('intake looks a party up by ID number or phone: the name is filled in and an open case is shown before saving', async (page) => {
  // 陈淑芬 already has an open case (registered over the API) under this ID number and phone.
  const clerk = await apiAs('fc_clerk');
  const village = (await clerk.get('/api/v1/regions?q=' + encodeURIComponent('警钟街社区'))).data.items
    .find((r) => r.name === '警钟街社区');
  const idNumber = '510703198503150021', phone = '13708160427';
  const earlier = await clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'marriage_family', complexity: 'simple', facts: '夫妻因子女抚养问题发生纠纷', region_id: village.id,
    parties: [{ role: 'applicant', name: '陈淑芬', id_number: idNumber, phone, address: '涪城区警钟街16号' }],
  });
  assert.equal(earlier.status, 201, JSON.stringify(earlier.data));

  await loginOk(page, 'fc_clerk');
  await openScreen(page, '纠纷登记', 'intake');
  const cell = (row, col) => page.locator(`[data-test=party-row-${row}] [data-col=${col}]`);
  // Typing the ID number and leaving the field (Tab) asks the server; the name is filled in.
  await cell(0, 'id_number').locator('input').fill(idNumber);
  await cell(0, 'id_number').locator('input').press('Tab');
  const known = page.locator('[data-test=party-known-0]');
  await known.waitFor();
  assert.equal(await cell(0, 'name').locator('input').inputValue(), '陈淑芬', 'the known name is filled in');
  assert.match(await known.textContent(), /有在办案件/);
  assert.match(await known.textContent(), /137\*+0427/, 'the phone is shown masked');
  assert.ok(!(await known.textContent()).includes(phone), 'never the whole phone');
  assert.deepEqual(await known.locator('[data-test=known-case]').allTextContents(), [earlier.data.number]);
  await shot(page, 'intake-lookup.png');

  // The respondent's phone alone finds nobody: no hint, the name stays as typed.
  await cell(1, 'name').locator('input').fill('刘强');
  await cell(1, 'phone').locator('input').fill('13999990000');
  await cell(1, 'phone').locator('input').press('Tab');
  await page.waitForLoadState('networkidle');
  assert.equal(await page.locator('[data-test=party-known-1]').count(), 0);
  assert.equal(await cell(1, 'name').locator('input').inputValue(), '刘强');

  // A phone on a new row finds her too.
  await cell(1, 'agent').locator('input').press('Enter');
  await page.locator('[data-test=party-row-2]').waitFor();
  await cell(2, 'phone').locator('input').fill(phone);
  await cell(2, 'phone').locator('input').press('Tab');
  await page.locator('[data-test=party-known-2]').waitFor();
  assert.equal(await cell(2, 'name').locator('input').inputValue(), '陈淑芬');

  // The clerk links the new report to her open case and registers it: both cases show the link.
  await known.locator('[data-test=known-link]').click();
  await page.locator('[data-test=intake-related-to]', { hasText: earlier.data.number }).waitFor();
  await cell(2, 'role').locator('.el-select__wrapper').click();
  await page.locator('.el-select-dropdown:visible').getByRole('option', { name: '第三人', exact: true }).click();
  await choose(page, page.locator('[data-field=category]'), '婚姻家庭');
  await chooseRegion(page, page.locator('[data-field=region_id]'), ['涪城区', '城厢街道', '警钟街社区']);
  await page.locator('[data-field=facts] textarea').fill('陈淑芬再次来访，反映对方仍未支付子女抚养费。');
  await page.locator('[data-test=intake-submit]').click();
  await page.locator('[data-test=intake-number]').waitFor();
  await page.locator('[data-test=intake-open]').click();
  const link = page.locator('[data-test=case-link-item]');
  await link.first().waitFor();
  assert.match(await link.first().textContent(), new RegExp(`重复反映.*${earlier.data.number.replace(/[()（）]/g, '.')}`));
  await page.evaluate((id) => { location.hash = `#/cases/${id}`; }, earlier.data.id);
  await page.locator('[data-test=case-detail] [data-test=case-number]', { hasText: earlier.data.number }).waitFor();
  await page.locator('[data-test=case-link-item]').first().waitFor();
  assert.match(await page.locator('[data-test=case-link-item]').first().textContent(), /重复反映（或已合并至本案）/);
});
