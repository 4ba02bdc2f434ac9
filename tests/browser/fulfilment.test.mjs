// Browser test of an agreement followed up on the case page (issue 9, part 3): the mediator
// records the agreement with an instalment plan in the 达成协议 dialog (a row left without an
// amount is named first), the 协议履行 panel lists the instalments as 待履行, one is marked
// paid with the day paid and another defaulted, the fulfilment rate and amounts follow, 司法确认
// is recorded (court, day applied, then the result and the day decided) beside the 30-day
// deadline of 人民调解法 art. 33, the timeline says all of it in Chinese, and the return visit
// after closing shows the plan's state and sends `fulfilled` from it. What the screens showed
// is checked against the API. The agreement and the marking are done at a phone's width
// (390 px: a mediator in the village), the rest at 1366 px.

import assert from 'node:assert/strict';
import { browserSuite, loginOk, shot } from '../lib/browser.mjs';

const { test: browserTest, apiAs } = browserSuite();
const PHONE = { width: 390, height: 844 };

// Beijing's calendar day, `offset` days from today, as the server counts it.
const day = (offset = 0) => new Date(Date.now() + 8 * 3600e3 + offset * 86400e3).toISOString().slice(0, 10);

/** A case in 警钟街社区 assigned to 黄志强 with one session recorded (over the API). */
async function caseInMediation(facts) {
  const clerk = await apiAs('fc_clerk');
  const village = (await clerk.get('/api/v1/regions?q=' + encodeURIComponent('警钟街社区'))).data.items
    .find((r) => r.name === '警钟街社区');
  const r = await clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'contract', complexity: 'simple', facts, region_id: village.id,
    parties: [{ role: 'applicant', name: '周明' }, { role: 'respondent', name: '吴刚' }],
  });
  assert.equal(r.status, 201, JSON.stringify(r.data));
  const disp = await apiAs('fc_dispatcher');
  const med = await apiAs('jzj_mediator');
  const m = (await disp.get('/api/v1/mediators?q=' + encodeURIComponent('黄志强'))).data.items[0];
  const org = (await disp.get('/api/v1/organizations?q=' + encodeURIComponent('警钟街社区人民调解委员会'))).data.items[0];
  for (const [who, body] of [[disp, { action: 'accept' }],
    [disp, { action: 'assign', resp_org_id: org.id, mediator_ids: [m.id] }],
    [med, { action: 'record_session', held_at: `${day()} 09:30`, record: '双方就还款方式协商' }]]) {
    const x = await who.post(`/api/v1/cases/${r.data.id}/transitions`, body);
    assert.equal(x.status, 200, x.text);
  }
  return r.data;
}

async function openAction(page, action) {
  await page.locator(`[data-test=action-${action}]`).click();
  const dlg = page.locator('.el-dialog:visible');
  await dlg.waitFor();
  return dlg;
}

browserTest('an agreement with a plan: instalments marked, fulfilment rate, 司法确认 and the return visit', async (page) => {
  const c = await caseInMediation('吴刚向周明借款三千元逾期未还');
  await loginOk(page, 'jzj_mediator');
  await page.evaluate((id) => { location.hash = `#/cases/${id}`; }, c.id);
  await page.locator('[data-test=case-detail] [data-test=case-number]').waitFor();
  await page.waitForLoadState('networkidle');
  assert.equal(await page.locator('[data-test=case-fulfilment]').count(), 0, 'no 协议履行 panel before the agreement');
  await page.setViewportSize(PHONE);

  // --- the agreement and its plan ---
  const dlg = await openAction(page, 'agree');
  await dlg.locator('[data-field=terms] textarea').fill('吴刚分三期归还周明借款共计三千元。');
  await dlg.locator('[data-field=amount] input').fill('3000');
  const plan = dlg.locator('[data-test=plan]');
  await plan.locator('[data-test=plan-add]').click();
  const row = (i) => plan.locator(`[data-test=plan-row-${i}]`);
  // The first row asks for the whole amount, due a month from today.
  assert.equal(await row(0).locator('[data-col=amount] input').inputValue(), '3000');
  await row(0).locator('[data-col=due_date] input').fill(day(10));
  await row(0).locator('[data-col=due_date] input').press('Enter');
  await row(0).locator('[data-col=amount] input').fill('1000');
  await row(0).locator('[data-col=amount] input').press('Tab');
  await plan.locator('[data-test=plan-add]').click();
  assert.equal(await row(1).locator('[data-col=amount] input').inputValue(), '2000', 'the next row asks for what is left');
  await row(1).locator('[data-col=amount] input').fill('1000');
  await row(1).locator('[data-col=amount] input').press('Tab');
  await plan.locator('[data-test=plan-add]').click();
  assert.equal(await row(2).locator('[data-col=amount] input').inputValue(), '1000');
  // A fourth row without an amount: the server refuses the plan and the dialog says why.
  await plan.locator('[data-test=plan-add]').click();
  await row(3).locator('[data-col=amount] input').fill('');
  await row(3).locator('[data-col=amount] input').press('Tab');
  await dlg.locator('[data-test=action-submit]').click();
  const planError = dlg.locator('[data-field=instalments] .el-form-item__error');
  await planError.waitFor();
  assert.match(await planError.textContent(), /履行期限和大于零的整数金额/);
  await row(3).locator('[data-test=plan-remove]').click();
  assert.match(await plan.locator('[data-test=plan-sum]').textContent(), /合计 3 期，3,000 元/);
  assert.equal(await plan.locator('[data-test=plan-differs]').count(), 0, 'the plan adds up to the agreed amount');
  const box = await dlg.boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width, `the dialog fits the phone: ${JSON.stringify(box)}`);
  const rowBox = await row(2).boundingBox();
  assert.ok(rowBox.x + rowBox.width <= box.x + box.width, 'a plan row fits the dialog');
  await shot(page, 'phone-agree-plan.png', { expand: false });
  await dlg.locator('[data-test=action-submit]').click();
  await dlg.waitFor({ state: 'hidden' });
  await page.locator('[data-test=case-state]', { hasText: '调解成功' }).waitFor();

  // --- the 协议履行 panel ---
  const panel = page.locator('[data-test=case-fulfilment]');
  await panel.waitFor();
  const statuses = () => panel.locator('[data-test=instalment-status]').allTextContents();
  assert.deepEqual(await statuses(), ['待履行', '待履行', '待履行']);
  assert.equal((await panel.locator('[data-test=fulfilment-rate]').textContent()).trim(), '0%');
  assert.equal((await panel.locator('[data-test=confirmation-deadline-date]').textContent()).trim(), day(30),
    'the deadline of 人民调解法 art. 33: thirty days from the agreement');
  assert.match(await panel.locator('[data-test=confirmation-deadline]').textContent(), /还有 30 天.*第三十三条/);
  const api = await apiAs('jzj_mediator');
  const planned = (await api.get(`/api/v1/cases/${c.id}/fulfilment`)).data;
  assert.deepEqual(planned.instalments.map((i) => [i.due_date, i.amount]),
    [[day(10), 1000], [planned.instalments[1].due_date, 1000], [planned.instalments[2].due_date, 1000]]);
  assert.ok(planned.instalments[1].due_date > day(10) && planned.instalments[2].due_date > planned.instalments[1].due_date,
    `each row is due after the one before: ${JSON.stringify(planned.instalments)}`);

  // The first instalment paid (on the day given), the third defaulted.
  const instRow = (i) => panel.locator('[data-test=instalments] .el-table__body-wrapper tr').nth(i);
  await instRow(0).locator('[data-test=instalment-paid]').click();
  let mark = page.locator('[data-test=instalment-dialog]:visible');
  await mark.waitFor();
  assert.equal(await mark.locator('[data-field=paid_on] input').inputValue(), day(0), 'paid today unless told otherwise');
  await mark.locator('[data-field=paid_on] input').fill(day(-1));
  await mark.locator('[data-field=paid_on] input').press('Enter');
  await mark.locator('[data-field=note] textarea').fill('周明确认已收到转账');
  await mark.locator('[data-test=instalment-submit]').click();
  await mark.waitFor({ state: 'hidden' });
  await panel.locator('[data-test=fulfilment-rate]', { hasText: '33%' }).waitFor();
  assert.deepEqual(await statuses(), ['已履行', '待履行', '待履行']);
  assert.match(await panel.locator('[data-test=fulfilment-count]').textContent(), /已履行 1 \/ 3 期/);
  assert.match(await panel.locator('[data-test=fulfilment-amounts]').textContent(), /已履行 1,000 元 \/ 协议 3,000 元/);
  assert.match(await instRow(0).locator('[data-test=instalment-paid-on]').textContent(), new RegExp(`${day(-1)} 履行`));

  await instRow(2).locator('[data-test=instalment-defaulted]').click();
  mark = page.locator('[data-test=instalment-dialog]:visible');
  await mark.waitFor();
  assert.equal(await mark.locator('[data-field=paid_on]').count(), 0, 'no day paid for a default');
  await mark.locator('[data-test=instalment-submit]').click();
  await mark.waitFor({ state: 'hidden' });
  await panel.locator('[data-test=fulfilment-troubled]', { hasText: '违约 1 期' }).waitFor();
  assert.deepEqual(await statuses(), ['已履行', '待履行', '违约']);
  await shot(page, 'phone-fulfilment.png', { of: panel });
  await page.setViewportSize({ width: 1366, height: 900 });

  // --- 司法确认: applied, then confirmed ---
  await panel.locator('[data-test=confirmation-edit]').click();
  let conf = page.locator('[data-test=confirmation-dialog]:visible');
  await conf.waitFor();
  // The court of the place the dispute arose is offered; without a court the form says so.
  assert.equal(await conf.locator('[data-field=court] input').inputValue(), '绵阳市涪城区人民法院');
  await conf.locator('[data-field=court] input').fill('');
  await conf.locator('[data-test=confirmation-submit]').click();
  await conf.locator('[data-field=court] .el-form-item__error').waitFor();
  await conf.locator('[data-field=court] input').fill('涪城区人民法院');
  await conf.locator('[data-test=confirmation-submit]').click();
  await conf.waitFor({ state: 'hidden' });
  await panel.locator('[data-test=confirmation-result]', { hasText: '待定' }).waitFor();
  assert.match(await panel.locator('[data-test=confirmation-court]').textContent(), /涪城区人民法院/);

  await panel.locator('[data-test=confirmation-edit]').click();
  conf = page.locator('[data-test=confirmation-dialog]:visible');
  await conf.waitFor();
  assert.equal(await conf.locator('[data-field=court] input').inputValue(), '涪城区人民法院', 'the dialog opens on what was recorded');
  await conf.locator('[data-field=result] label', { hasText: '确认有效' }).click();
  await conf.locator('[data-field=decided_on] input').fill(day(0));
  await conf.locator('[data-field=decided_on] input').press('Enter');
  await conf.locator('[data-test=confirmation-submit]').click();
  await conf.waitFor({ state: 'hidden' });
  await panel.locator('[data-test=confirmation-result]', { hasText: '确认有效' }).waitFor();
  await shot(page, 'case-fulfilment.png', { of: panel });
  // At 1366 px the plan's table fits its card: no sideways scrolling on a desktop.
  const wrap = await panel.locator('[data-test=instalments] .el-scrollbar__wrap').first().evaluate((w) => [w.scrollWidth, w.clientWidth]);
  assert.ok(wrap[0] <= wrap[1], `the instalments fit at 1366 px: ${wrap}`);

  const after = (await api.get(`/api/v1/cases/${c.id}/fulfilment`)).data;
  assert.equal(after.paid, 1);
  assert.equal(after.paid_amount, 1000);
  assert.deepEqual(after.instalments.map((i) => i.status), ['paid', 'pending', 'defaulted']);
  assert.equal(after.instalments[0].paid_on, day(-1));
  assert.equal(after.instalments[0].note, '周明确认已收到转账');
  assert.deepEqual([after.confirmation.court, after.confirmation.result, after.confirmation.applied_on, after.confirmation.decided_on],
    ['涪城区人民法院', 'confirmed', day(0), day(0)]);

  // The timeline says it in Chinese.
  const timeline = page.locator('[data-test=case-timeline]');
  await timeline.locator('[data-test=timeline-action]', { hasText: '司法确认' }).nth(1).waitFor();
  const text = await timeline.textContent();
  assert.match(text, /协议履行.*状态已履行/s);
  assert.match(text, /结果确认有效/);
  assert.match(text, /第 1 期：\d{4}-\d{2}-\d{2} 前 1,000 元/, 'the agreement names its plan');
  assert.ok(!/due_date|instalments|paid|confirmed|defaulted/.test(text), `no raw codes on the timeline: ${text}`);

  // --- closed, then the return visit: the plan's state, not a yes/no switch ---
  let d = await openAction(page, 'close');
  await d.locator('[data-test=action-submit]').click();
  await d.waitFor({ state: 'hidden' });
  await page.locator('[data-test=case-state]', { hasText: '已结案' }).waitFor();
  d = await openAction(page, 'return_visit');
  const summary = d.locator('[data-test=visit-fulfilment-summary]');
  await summary.waitFor();
  assert.match(await summary.textContent(), /共 3 期 3,000 元：已履行 1 期 1,000 元（履行率 33%）/);
  assert.match(await d.locator('[data-test=visit-fulfilment]').textContent(), /尚未全部履行/);
  assert.equal(await d.locator('[data-test=visit-fulfilled] .is-active').textContent(), '未履行完毕', 'preset from the records');
  assert.equal(await d.locator('.el-switch').count(), 1, 'only the recurrence is a switch');
  await d.locator('[data-field=visitor] input').fill('黄志强');
  await d.locator('[data-field=method] input').fill('电话回访');
  await d.locator('[data-field=satisfaction] .el-rate__item').nth(3).click();
  await shot(page, 'return-visit.png', { of: d, expand: false });
  await d.locator('[data-test=action-submit]').click();
  await d.waitFor({ state: 'hidden' });
  const events = (await api.get(`/api/v1/cases/${c.id}/timeline`)).data.items;
  const visitEv = events.find((e) => e.action === 'return_visit');
  assert.ok(visitEv, 'the return visit is recorded');
  assert.equal(visitEv.data.fulfilled, false, 'fulfilled is sent as the records have it');
  assert.equal(visitEv.data.satisfaction, 4);
  await shot(page, 'case-agreement-followed.png');
});
