// Browser tests of risk grading as staff see it (issue 10, docs/risk.md): a dispute whose
// facts say "扬言要同归于尽", with 30 people in a land-requisition dispute, is registered at the
// intake screen and its page shows 重大; the county leader finds it on the 风险研判 board (red
// list, counts per township, drill-down to the village); the dispatcher cannot 不予受理 it —
// the dialog says a control plan (稳控方案) is required and leads to the plan's dialog, whose
// field errors stand under the fields; with the plan on file the same action goes through.
// The county leader, the county's alert recipient, acknowledges the alert (签收) in 预警信息.
// The timeline shows the change of level with its reasons and the plan with its owner's name.
//
// Screenshots (build/screenshots/): the board and the case's control-plan card at 1366 px
// and at 390 px.

import assert from 'node:assert/strict';
import { browserSuite, loginOk, switchUser, shot, openScreen, choose, chooseRegion } from '../lib/browser.mjs';

const { test: browserTest, apiAs } = browserSuite();

const LAPTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
const FACTS = '三十余户村民因征地补偿款分配不均多次聚集，其中一户扬言要同归于尽，情绪激动。';

const pad = (n) => String(n).padStart(2, '0');
/** The local day `days` from today, YYYY-MM-DD (the browser runs in Asia/Shanghai). */
function dayFromNow(days) {
  const d = new Date(Date.now() + 8 * 3600e3 + days * 86400e3); // Shanghai's day, whatever the host's zone
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Opens 风险研判 from the 排查预警 submenu (opening the submenu when it is closed). */
async function openBoard(page) {
  const item = page.locator('[data-test=nav] .el-menu-item', { hasText: '风险研判' });
  if (!(await item.isVisible())) await page.locator('[data-test=nav-group-warnings] .el-sub-menu__title').click();
  await openScreen(page, '风险研判', 'risk-board');
  await page.locator('[data-test=risk-cases-table], [data-test=risk-cases] .el-empty').first().waitFor();
}

/** Chooses the plan's owner by name (each option also says why the person is offered). */
async function chooseOwner(page, dlg, name) {
  await dlg.locator('[data-field=owner_id] .el-select__wrapper').click();
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: name }).first().click();
}

/** The board's row of a case (desktop table), by its number. */
const boardRow = (page, number) => page.locator('[data-test=risk-cases-table] .el-table__row', { hasText: number });

browserTest('a red case: graded at intake, on the board, not ended without a control plan, then ended with one', async (page, more) => {
  // The county's alert recipient (预警接收人) is its leader; no region below has one.
  const admin = await apiAs('fc_admin');
  const county = (await admin.get('/api/v1/regions?q=' + encodeURIComponent('涪城区'))).data.items.find((r) => r.name === '涪城区').id;
  const leader = (await admin.get('/api/v1/users?per_page=500')).data.items.find((u) => u.login === 'fc_leader');
  assert.equal((await admin.put(`/api/v1/regions/${county}/alert-recipients`, { recipients: [{ user_id: leader.id, duty: 'lead_leader' }] })).status, 200);

  // --- the clerk registers it ---
  await loginOk(page, 'fc_clerk');
  await openScreen(page, '纠纷登记', 'intake');
  await choose(page, page.locator('[data-field=category]'), '征地拆迁');
  await chooseRegion(page, page.locator('[data-field=region_id]'), ['涪城区', '城厢街道', '警钟街社区']);
  await page.locator('[data-test=intake-people] input').fill('30');
  // Nothing else is marked: the group and what the facts say make it red (docs/risk.md).
  await page.locator('[data-field=facts] textarea').fill(FACTS);
  await page.locator('[data-field=claims] textarea').fill('按标准足额发放征地补偿款');
  await page.locator('[data-test=party-row-0] [data-col=name] input').fill('郑国强');
  await page.locator('[data-test=party-row-1] [data-col=name] input').fill('城厢街道征地拆迁办公室');
  await page.locator('[data-test=intake-submit]').click();
  const number = (await page.locator('[data-test=intake-number]').textContent()).trim();
  await page.locator('[data-test=intake-open]').click();
  await page.locator('[data-test=case-detail] [data-test=case-number]', { hasText: number }).waitFor();
  const caseUrl = page.url();

  // Its page says 重大 with the reasons, and the plan card asks for a plan (a clerk may not make one).
  assert.match(await page.locator('[data-test=case-risk]').textContent(), /重大/);
  assert.match(await page.locator('[data-test=case-risk]').getAttribute('class'), /el-tag--danger/);
  assert.match(await page.locator('[data-test=case-risk-reasons]').textContent(), /群体性（30人）/);
  const card = page.locator('[data-test=control-plan]');
  await card.locator('[data-test=control-plan-required]').waitFor();
  assert.match(await card.textContent(), /重大风险案件须制定稳控方案，方可结案或降级/);
  assert.equal(await card.locator('[data-test=control-plan-make]').count(), 0, 'a clerk cannot make a plan: no button');
  // The timeline: the change of level, its score and each reason on its own line with its points.
  const riskEvent = page.locator('[data-test=timeline-item]', { has: page.locator('[data-test=timeline-action]', { hasText: '风险等级变化' }) });
  await riskEvent.first().waitFor();
  const riskText = await riskEvent.first().innerText();
  assert.match(riskText, /低 → 重大/);
  assert.match(riskText, /风险分值\s*\d+ 分/);
  // each reason on a line of its own (whatever else the reading of the facts adds)
  assert.match(riskText, /扬言要同归于尽/, 'the threat is quoted');
  for (const why of ['群体性（30人）']) assert.match(riskText, new RegExp(`^\\s*(评估依据：?\\s*)?${why}[^\\n]*（\\+\\d+）$`, 'm'), riskText);
  await page.setViewportSize(LAPTOP);
  await shot(page, 'risk-case-1366.png');
  const phoneRed = await more(PHONE);
  await phoneRed.goto(caseUrl);
  await phoneRed.locator('[data-test=control-plan-required]').waitFor();
  await shot(phoneRed, 'risk-case-390.png');
  await phoneRed.close();

  // --- the county leader finds it on the board ---
  await switchUser(page, 'fc_leader');
  await openBoard(page);
  assert.equal((await page.locator('[data-test=risk-trail-current]').textContent()).trim(), '涪城区');
  const row = boardRow(page, number);
  await row.waitFor();
  assert.match(await row.locator('[data-test=risk-case-level]').textContent(), /重大/);
  assert.match(await row.locator('[data-test=risk-case-reasons]').innerText(), /群体性（30人）/);
  assert.match(await row.textContent(), /未制定稳控方案/);
  // Red first: no orange row stands above a red one.
  const levels = await page.locator('[data-test=risk-cases-table] [data-test=risk-case-level]').allTextContents();
  assert.deepEqual(levels.map((x) => x.trim()), [...levels.map((x) => x.trim())].sort((a, b) => (a === b ? 0 : a === '重大' ? -1 : 1)));
  const red = Number((await page.locator('[data-test=risk-count-red] .jf-risk-count-n').textContent()).match(/\d+/)[0]);
  assert.equal(red, levels.filter((x) => x.trim() === '重大').length, 'the red count is the red list');
  // The township's row counts it; clicking it drills down to the village.
  const town = page.locator('[data-test=risk-regions-table] .el-table__row', { hasText: '城厢街道' });
  assert.ok(Number(await town.locator('[data-test=risk-region-red]').textContent()) >= 1);
  await page.setViewportSize(LAPTOP);
  await shot(page, 'risk-board-1366.png');
  const fits = await page.locator('[data-test=risk-cases-table] .el-table__body-wrapper .el-scrollbar__wrap').evaluate((e) => e.scrollWidth <= e.clientWidth);
  assert.ok(fits, 'every column of the list is in view at 1366 px');
  await town.click();
  await page.locator('[data-test=risk-trail-current]', { hasText: '城厢街道' }).waitFor();
  await page.locator('[data-test=risk-regions-table] .el-table__row', { hasText: '警钟街社区' }).waitFor();
  await boardRow(page, number).waitFor();
  assert.match(page.url(), /region_id=\d+/, 'the region shown is kept in the location');
  // The phone: the same board as cards, the trail back to the county.
  const phone = await more(PHONE);
  await phone.goto(page.url());
  await phone.locator('[data-test=risk-case]', { hasText: number }).waitFor();
  assert.equal((await phone.locator('[data-test=risk-trail-current]').textContent()).trim(), '城厢街道');
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the board fits a phone's width: ${width}px`);
  await shot(phone, 'risk-board-390.png');
  await phone.locator('[data-test=risk-trail-item]', { hasText: '涪城区' }).click();
  await phone.locator('[data-test=risk-trail-current]', { hasText: '涪城区' }).waitFor();
  await phone.locator('[data-test=risk-region]', { hasText: '城厢街道' }).waitFor();
  await phone.close();

  // --- the county leader's alert (预警信息): acknowledged, and the acknowledgment recorded ---
  await page.goto(page.url().split('#')[0] + '#/alerts');
  const alertCard = page.locator('[data-test=alert]', { hasText: number });
  await alertCard.waitFor();
  assert.equal((await alertCard.locator('[data-test=alert-level]').textContent()).trim(), '重大');
  assert.equal((await alertCard.locator('[data-test=alert-state-tag]').textContent()).trim(), '待签收');
  await alertCard.locator('[data-test=alert-ack]').click();
  await page.locator('textarea[data-test=ack-note], [data-test=ack-note] textarea').first().fill('已安排包案，今日约谈当事人');
  await page.locator('[data-test=ack-submit]').click();
  await alertCard.waitFor({ state: 'detached' });
  const acked = (await admin.get('/api/v1/alerts?state=acked&per_page=500')).data.items.find((a) => a.case_number === number);
  assert.ok(acked, 'the alert is acknowledged');
  assert.equal(acked.acked_by, leader.id);
  assert.equal(acked.ack_note, '已安排包案，今日约谈当事人');

  // --- the dispatcher may not turn it away without a plan ---
  await switchUser(page, 'fc_dispatcher');
  await page.goto(caseUrl);
  await page.locator('[data-test=case-detail] [data-test=case-number]', { hasText: number }).waitFor();
  await page.locator('[data-test=action-reject]').click();
  let dlg = page.locator('.el-dialog:visible');
  await dlg.locator('[data-field=reason] textarea').fill('不属于人民调解受理范围，引导向征收部门反映');
  await dlg.locator('[data-test=action-submit]').click();
  const needs = dlg.locator('[data-test=action-needs-plan]');
  await needs.waitFor();
  assert.match(await needs.textContent(), /重大风险案件须制定稳控方案，方可结案或降级/);
  assert.equal(await dlg.locator('.el-alert', { hasText: '稳控方案：此项为必填项' }).count(), 0, 'said in words, not as a bare field error');
  assert.equal(await page.locator('[data-test=case-state]').textContent(), '已登记');
  await shot(page, 'risk-refused-1366.png', { expand: false });

  // The dialog leads to the plan's; an empty plan is refused field by field.
  await needs.locator('[data-test=action-make-plan]').click();
  await page.locator('.el-dialog:visible [data-test=control-plan-submit]').waitFor();
  dlg = page.locator('.el-dialog:visible');
  await dlg.locator('[data-test=control-plan-submit]').click();
  for (const f of ['owner_id', 'measures', 'review_on']) {
    await dlg.locator(`[data-field=${f}] .el-form-item__error`, { hasText: '此项为必填项' }).waitFor();
  }
  await chooseOwner(page, dlg, '陈静');
  await dlg.locator('[data-field=measures] textarea').fill('包案领导陈静每日联系郑国强；城厢派出所民警参与稳控；每周研判一次');
  const review = dayFromNow(7);
  await dlg.locator('[data-field=review_on] input').fill(review);
  await dlg.locator('[data-field=review_on] input').press('Enter');
  await shot(page, 'risk-plan-dialog-1366.png', { expand: false });
  await dlg.locator('[data-test=control-plan-submit]').click();
  await dlg.waitFor({ state: 'hidden' });

  // The card shows the plan; the timeline names its owner, never the owner's id.
  await card.locator('[data-test=control-plan-owner]', { hasText: '陈静' }).waitFor();
  assert.equal((await card.locator('[data-test=control-plan-review]').textContent()).trim(), review);
  assert.match(await card.locator('[data-test=control-plan-measures]').textContent(), /城厢派出所民警参与稳控/);
  assert.match(await card.textContent(), /张伟 于 .* 制定/, 'who made it, by name');
  const planEvent = page.locator('[data-test=timeline-item]', { has: page.locator('[data-test=timeline-action]', { hasText: '制定稳控方案' }) });
  await planEvent.first().waitFor();
  const planText = await planEvent.first().innerText();
  assert.match(planText, /稳控责任人\s*陈静/);
  assert.doesNotMatch(planText, /owner_id|updated_by|更新/);
  await page.setViewportSize(LAPTOP);
  await shot(page, 'risk-plan-card-1366.png', { of: card });
  const phoneCase = await more(PHONE);
  await phoneCase.goto(caseUrl);
  const phoneCard = phoneCase.locator('[data-test=control-plan]');
  await phoneCard.locator('[data-test=control-plan-owner]', { hasText: '陈静' }).waitFor();
  await shot(phoneCase, 'risk-plan-card-390.png', { of: phoneCard });
  await phoneCase.close();

  // Now 不予受理 goes through.
  await page.locator('[data-test=action-reject]').click();
  dlg = page.locator('.el-dialog:visible');
  await dlg.locator('[data-field=reason] textarea').fill('不属于人民调解受理范围，引导向征收部门反映');
  await dlg.locator('[data-test=action-submit]').click();
  await dlg.waitFor({ state: 'hidden' });
  await page.locator('[data-test=case-state]', { hasText: '不予受理' }).waitFor();
  const api = await apiAs('fc_leader');
  const board = (await api.get('/api/v1/risk/board')).data;
  assert.ok(!board.cases.some((c) => c.number === number), 'an ended case leaves the board');
});

browserTest('a red case without a plan shows the notice and a 制定稳控方案 button to its handlers; the board shows a plan\'s review day', async (page) => {
  const clerk = await apiAs('fc_clerk');
  const village = (await clerk.get('/api/v1/regions?q=' + encodeURIComponent('警钟街社区'))).data.items.find((r) => r.name === '警钟街社区');
  const made = await clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'wage_arrears', complexity: 'simple', region_id: village.id, people: 25, key_persons: true,
    facts: '二十余名工人被拖欠工资，聚集在项目部门口', parties: [{ role: 'applicant', name: '钱大勇' }],
  });
  assert.equal(made.status, 201, JSON.stringify(made.data));
  assert.equal(made.data.risk, 'red', made.data.risk_reasons);
  const orange = await clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'neighbour', complexity: 'simple', region_id: village.id, people: 12,
    facts: '小区停车位分配方案有争议，居民要求重新抽签', parties: [{ role: 'applicant', name: '孙丽' }],
  });
  assert.equal(orange.data.risk, 'orange', orange.data.risk_reasons);
  const yellow = await clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'land_requisition', complexity: 'simple', region_id: village.id,
    facts: '一户村民对青苗补偿标准有异议', parties: [{ role: 'applicant', name: '冯春生' }],
  });
  assert.equal(yellow.data.risk, 'yellow', yellow.data.risk_reasons);

  await loginOk(page, 'fc_supervisor');
  await page.goto(page.url().replace(/#.*$/, '') + '#/cases/' + made.data.id);
  const card = page.locator('[data-test=control-plan]');
  await card.locator('[data-test=control-plan-required]').waitFor();
  await card.locator('[data-test=control-plan-make]').click();
  const dlg = page.locator('.el-dialog:visible');
  // A review day in the past cannot be picked; typed, the server's answer stands under the field.
  await chooseOwner(page, dlg, '刘洋');
  await dlg.locator('[data-field=measures] textarea').fill('每日电话联系钱大勇，督促项目方三日内提出支付方案');
  await dlg.locator('[data-field=review_on] input').fill(dayFromNow(14));
  await dlg.locator('[data-field=review_on] input').press('Enter');
  await dlg.locator('[data-test=control-plan-submit]').click();
  await dlg.waitFor({ state: 'hidden' });
  await card.locator('[data-test=control-plan-owner]', { hasText: '刘洋' }).waitFor();

  // The orange case's card offers a plan without requiring one.
  await page.goto(page.url().replace(/#.*$/, '') + '#/cases/' + orange.data.id);
  const oc = page.locator('[data-test=control-plan]');
  await oc.locator('[data-test=control-plan-make]').waitFor();
  assert.equal(await oc.locator('[data-test=control-plan-required]').count(), 0);
  assert.match(await page.locator('[data-test=case-risk]').getAttribute('class'), /jf-risk-orange/);

  await openBoard(page);
  const row = boardRow(page, made.data.number);
  await row.waitFor();
  assert.match(await row.locator('[data-test=risk-plan-review]').textContent(), new RegExp(`${dayFromNow(14)} 复核`));
  await boardRow(page, orange.data.number).waitFor();
  assert.equal(await boardRow(page, yellow.data.number).count(), 0, 'only red and orange are on the board');

  // The register: yellow (一般) and orange (较大) tags are told apart by their colour.
  await page.goto(page.url().replace(/#.*$/, '') + '#/cases');
  const tag = (n) => page.locator('.el-table__row', { hasText: n }).locator('[data-test=case-risk]');
  await tag(yellow.data.number).waitFor();
  const colour = (n) => tag(n).evaluate((e) => getComputedStyle(e).color);
  assert.match(await tag(yellow.data.number).getAttribute('class'), /jf-risk-yellow/);
  assert.notEqual(await colour(yellow.data.number), await colour(orange.data.number));
  await page.setViewportSize(LAPTOP);
  await shot(page, 'risk-register-tags.png');
});
