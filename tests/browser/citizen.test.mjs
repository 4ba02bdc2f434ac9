// Browser tests of the citizen pages and supervision (issue: 网上申请, 进度查询, 满意度评价, 督办台,
// the case file):
// - a citizen applies online on a phone-sized screen (375×812), gets the case number and the
//   access code, and follows the case on the tracking page while staff accept it (through the
//   UI), assign it, mediate twice, agree, close and visit: after each step the reloaded page
//   shows the new state and a longer timeline; then the citizen rates the service once, and a
//   second rating (from a page opened before) is refused in Chinese;
// - the supervision board lists a deadline warning once `jiefen scan` ran at the case's due
//   date, and an order a supervisor issues from the case page appears on the board under its
//   responsible unit; the mediator answers it;
// - the case file: an upload listed with its kind, a refused type and a disguised file said in
//   Chinese, the documents opening in a new tab; the 移交 dialog asks what was sent in words.
//
// Driven in Debian's Chromium against the real server on a fresh demo database, like the
// other browser tests; screenshots go to build/screenshots/. Every test fails if the page
// threw or logged a console error (other than Chromium's line for an API 4xx answer).

import assert from 'node:assert/strict';
import { browserSuite, PHONE, DESKTOP, loginOk, logout, switchUser, shot, openScreen, choose, chooseRegion } from '../lib/browser.mjs';
import { runCli } from '../lib/server.mjs';

const { test: browserTest, apiAs, server } = browserSuite();

const NUMBER = /^（\d{4}）涪城人调字第\d{4}号$/;

// A 1×1 PNG, the smallest real picture the server's content check accepts.
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489'
  + '0000000d4944415478da63f8cfc0f01f0005000201a1f1a6a90000000049454e44ae426082', 'hex');

/** True when nothing on the page is wider than the screen (no sideways scrolling on a phone). */
const fitsWidth = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

/** The case id of `number` as staff see it. */
async function caseId(api, number) {
  const r = await api.get('/api/v1/cases?per_page=100');
  const c = r.data.items.find((x) => x.number === number);
  assert.ok(c, `the case ${number} is in the register`);
  return c.id;
}

/** A case in 警钟街社区 registered, accepted and assigned to 黄志强 over the API: {id, number, due_date}. */
async function assignedCase(facts) {
  const clerk = await apiAs('fc_clerk');
  const village = (await clerk.get('/api/v1/regions?q=' + encodeURIComponent('警钟街社区'))).data.items
    .find((r) => r.name === '警钟街社区');
  const r = await clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts, region_id: village.id,
    parties: [{ role: 'applicant', name: '王五' }],
  });
  assert.equal(r.status, 201, JSON.stringify(r.data));
  const dispatcher = await apiAs('fc_dispatcher');
  const a = await dispatcher.post(`/api/v1/cases/${r.data.id}/transitions`, { action: 'accept' });
  assert.equal(a.status, 200, JSON.stringify(a.data));
  await assign(dispatcher, r.data.id);
  return { id: r.data.id, number: r.data.number, due_date: a.data.due_date };
}

async function assign(dispatcher, id) {
  const org = (await dispatcher.get('/api/v1/organizations?per_page=500')).data.items
    .find((o) => o.name === '警钟街社区人民调解委员会');
  const med = (await dispatcher.get('/api/v1/mediators?per_page=500')).data.items.find((m) => m.name === '黄志强');
  const r = await dispatcher.post(`/api/v1/cases/${id}/transitions`, {
    action: 'assign', resp_org_id: org.id, mediator_ids: [med.id],
  });
  assert.equal(r.status, 200, JSON.stringify(r.data));
}

// ---------------------------------------------------------------------------------------

browserTest('a citizen applies on a phone, follows every step of the case and rates the service once', async (desk, more) => {
  // The login page leads to the citizen pages.
  await desk.locator('[data-test=citizen-links] [data-test=link-apply]').waitFor();

  const phone = await more(PHONE);
  // The bare address of the citizen pages opens the application, not "page not found".
  await phone.goto(server().url + '/#/public');
  await phone.locator('[data-test=public-apply]').waitFor();
  await phone.goto(server().url + '/#/public/apply');
  await phone.locator('[data-test=public-apply]').waitFor();
  assert.ok(await fitsWidth(phone), 'the application form fits a 375px screen');

  // --- the application, first with a phone number the server refuses ---
  await choose(phone, phone.locator('[data-field=category]'), '邻里纠纷');
  await chooseRegion(phone, phone.locator('[data-field=region_id]'), ['绵阳市', '涪城区', '城厢街道', '警钟街社区']);
  await phone.locator('[data-field=facts] textarea').fill('楼上邻居长期在楼道堆放杂物，影响通行和消防安全，多次沟通未果。');
  await phone.locator('[data-field=claims] textarea').fill('清理楼道杂物，今后不再堆放');
  await phone.locator('[data-field="applicant.name"] input').fill('张秀英');
  await phone.locator('[data-field="applicant.phone"] input').fill('12345');
  await phone.locator('[data-field="respondent.name"] input').fill('李建国');
  await phone.locator('[data-test=apply-submit]').click();
  const phoneError = phone.locator('[data-field="applicant.phone"] .el-form-item__error');
  await phoneError.waitFor();
  assert.match(await phoneError.textContent(), /请填写手机号码或带区号的固定电话/);
  await phone.locator('[data-field="applicant.phone"] input').fill('13800138000');
  await phone.locator('[data-test=apply-submit]').click();

  // --- the receipt: number, access code, QR code as an image ---
  await phone.locator('[data-test=apply-receipt]').waitFor();
  const number = (await phone.locator('[data-test=apply-number]').textContent()).trim();
  const code = (await phone.locator('[data-test=apply-code]').textContent()).trim();
  assert.match(number, NUMBER);
  assert.match(code, /^[2-9A-HJ-NP-Z]{8}$/);
  assert.match(await phone.locator('[data-test=apply-keep]').textContent(), /请妥善保存/);
  const qr = phone.locator('[data-test=apply-qr]');
  assert.match(await qr.getAttribute('src'), /^data:image\/svg\+xml;charset=utf-8,%3Csvg/);
  await phone.waitForFunction(() => document.querySelector('[data-test=apply-qr]').naturalWidth > 0);
  assert.equal(await phone.locator('[data-test=apply-receipt] svg[shape-rendering]').count(), 0,
    'the QR code\'s SVG is not put into the page as markup');
  assert.ok(await fitsWidth(phone), 'the receipt fits a 375px screen');
  await shot(phone, 'apply-mobile.png');

  // --- tracking: a wrong code is refused in Chinese; the link shows the case ---
  await phone.locator('[data-test=apply-track]').click();
  await phone.locator('[data-test=public-track]').waitFor();
  const state = phone.locator('[data-test=track-state]');
  await state.waitFor();
  assert.equal((await state.textContent()).trim(), '已登记');
  assert.equal(await phone.locator('[data-test=track-event]').count(), 1);
  assert.ok(await fitsWidth(phone), 'the tracking page fits a 375px screen');

  const stranger = await more(PHONE);
  await stranger.goto(server().url + '/#/public/track');
  await stranger.locator('[data-field=number] input').fill(number);
  await stranger.locator('[data-field=code] input').fill('ABCDEFGH');
  await stranger.locator('[data-test=track-submit]').click();
  await stranger.locator('[data-test=track-error]').waitFor();
  assert.match(await stranger.locator('[data-test=track-error]').textContent(), /案件编号或查询码不正确/);
  await stranger.close();

  /** Reloads the citizen's page; checks the state and that the timeline has `n` entries. */
  async function citizenSees(stateName, n, lastAction) {
    await phone.reload();
    await phone.locator('[data-test=track-state]').waitFor();
    assert.equal((await phone.locator('[data-test=track-state]').textContent()).trim(), stateName);
    await phone.waitForFunction((k) => document.querySelectorAll('[data-test=track-event]').length === k, n);
    assert.equal((await phone.locator('[data-test=track-action]').first().textContent()).trim(), lastAction,
      'the newest step is on top, in Chinese');
  }

  // --- staff: the dispatcher accepts it through the UI ---
  const dispatcher = await apiAs('fc_dispatcher');
  const id = await caseId(dispatcher, number);
  await loginOk(desk, 'fc_dispatcher');
  await desk.evaluate((cid) => { location.hash = `#/cases/${cid}`; }, id);
  await desk.locator('[data-test=case-detail] [data-test=case-number]').waitFor();
  await desk.locator('[data-test=action-accept]').click();
  const dlg = desk.locator('.el-dialog:visible');
  await dlg.waitFor();
  await dlg.locator('[data-test=action-submit]').click();
  await dlg.waitFor({ state: 'hidden' });
  await desk.locator('[data-test=case-state]', { hasText: '已受理' }).waitFor();
  await citizenSees('已受理', 2, '受理');

  // --- the other steps over the API, the citizen looking after each ---
  await assign(dispatcher, id);
  await citizenSees('已指派', 3, '指派调解员');
  const mediator = await apiAs('jzj_mediator');
  const act = async (body) => {
    const r = await mediator.post(`/api/v1/cases/${id}/transitions`, body);
    assert.equal(r.status, 200, `${body.action}: ${JSON.stringify(r.data)}`);
  };
  await act({ action: 'record_session', held_at: '2026-03-02 09:30', place: '警钟街社区调解室', record: '听取双方陈述，讲解相关规定。' });
  await citizenSees('调解中', 4, '组织调解');
  await act({ action: 'record_session', held_at: '2026-03-05 15:00', record: '现场查看，约定三日内清理完毕。' });
  await citizenSees('调解中', 5, '组织调解');
  await act({ action: 'agree', terms: '李建国于三日内清理楼道杂物。', form: 'oral' });
  await citizenSees('调解成功', 6, '达成调解协议');
  await act({ action: 'close', summary: '已履行，纠纷化解。' });
  await citizenSees('已结案', 7, '办结');
  // A page opened now keeps its rating form: it will try to rate a second time.
  const second = await more(PHONE);
  await second.goto(phone.url());
  await second.locator('[data-test=rating-form]').waitFor();
  await act({ action: 'return_visit', visitor: '黄志强', method: '电话回访', satisfaction: 5, fulfilled: true });
  await citizenSees('已结案', 8, '回访');

  // --- the rating ---
  await phone.locator('[data-test=rating-form]').waitFor();
  await phone.locator('[data-test=rating-stars] .el-rate__item').nth(4).click();
  await phone.locator('[data-test=rating-form] textarea').fill('调解员很耐心，问题解决得很及时。');
  assert.ok(await fitsWidth(phone), 'the rating form fits a 375px screen');
  await shot(phone, 'track-mobile.png');
  await phone.locator('[data-test=rating-submit]').click();
  await phone.locator('[data-test=rating-done]').waitFor();
  assert.match(await phone.locator('[data-test=rating-done]').textContent(), /评价已提交/);
  await phone.waitForFunction(() => document.querySelectorAll('[data-test=track-event]').length === 9);
  assert.equal((await phone.locator('[data-test=track-action]').first().textContent()).trim(), '群众评价');
  await shot(phone, 'track-rated-mobile.png');

  // A second rating is refused, in Chinese.
  await second.locator('[data-test=rating-stars] .el-rate__item').nth(2).click();
  await second.locator('[data-test=rating-submit]').click();
  await second.locator('[data-test=rating-error]').waitFor();
  assert.match(await second.locator('[data-test=rating-error]').textContent(), /您已评价过本案件/);
  // After a reload the page says it was rated, without a form.
  await second.reload();
  await second.locator('[data-test=rating-before]').waitFor();
  assert.equal(await second.locator('[data-test=rating-form]').count(), 0);

  // The staff see the rating in the case's timeline.
  const timeline = (await dispatcher.get(`/api/v1/cases/${id}/timeline`)).data.items;
  const rating = timeline.find((e) => e.action === 'citizen_rating');
  assert.ok(rating, 'the rating is in the timeline');
  assert.equal(rating.data.satisfaction, 5);
});

browserTest('the supervision board: a warning after the scan; an order issued on the case page, listed by unit, answered', async (page) => {
  const c = await assignedCase('相邻两户因排水沟堵塞引发积水纠纷');
  assert.match(c.due_date, /^\d{4}-\d{2}-\d{2}$/);
  const scan = runCli(['scan', ...server().db.args, '--today', c.due_date]);
  assert.equal(scan.status, 0, scan.stderr);

  // --- the warning ---
  await loginOk(page, 'fc_supervisor');
  await openScreen(page, '督办台', 'supervision');
  const warningRow = page.locator('[data-test=warnings-table] .el-table__row', { hasText: c.number });
  await warningRow.first().waitFor();
  const kinds = await warningRow.locator('[data-test=warning-kind-tag]').allTextContents();
  assert.ok(kinds.some((k) => k.trim() === '已到期'), `a 已到期 warning for the case: ${kinds}`);
  assert.match(await warningRow.first().textContent(), /警钟街社区人民调解委员会/);
  await shot(page, 'board-warnings.png');

  // --- an order from the case page ---
  await warningRow.first().locator('[data-test=case-link]').click();
  await page.locator('[data-test=case-detail] [data-test=case-number]').waitFor();
  await page.locator('[data-test=supervise]').click();
  const issue = page.locator('.el-dialog:visible');
  await issue.waitFor();
  // Without content or deadline the server names both fields.
  await issue.locator('[data-test=issue-submit]').click();
  await issue.locator('[data-field=content] .el-form-item__error').waitFor();
  await issue.getByText('挂牌督办', { exact: true }).click();
  await issue.locator('[data-field=content] textarea').fill('请于期限内组织第三次调解并报告进展。');
  await issue.locator('[data-field=deadline] input').fill(c.due_date);
  await issue.locator('[data-field=deadline] input').press('Enter');
  await issue.locator('[data-test=issue-submit]').click();
  await issue.waitFor({ state: 'hidden' });
  const order = page.locator('[data-test=case-order]');
  await order.waitFor();
  assert.equal((await order.locator('[data-test=order-level]').textContent()).trim(), '挂牌督办');
  assert.equal((await order.locator('[data-test=order-status]').textContent()).trim(), '待答复');
  assert.equal(await order.locator('[data-test=order-reply]').count(), 0, 'the supervisor does not answer the own order');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-test=timeline-action]')].some((e) => e.textContent === '督办'));

  // --- on the board, under the responsible unit ---
  await openScreen(page, '督办台', 'supervision');
  await page.getByRole('tab', { name: /督办令/ }).click();
  const unit = page.locator('[data-test=order-unit]', { hasText: c.number });
  await unit.waitFor();
  assert.equal((await unit.locator('[data-test=order-unit-name]').textContent()).trim(), '警钟街社区人民调解委员会');
  assert.match(await unit.textContent(), /请于期限内组织第三次调解/);
  await shot(page, 'board.png');
  // Not past its deadline yet: not under 已逾期.
  await page.locator('[data-test=order-filter-overdue]').click();
  await page.waitForLoadState('networkidle');
  await page.waitForFunction((n) => !document.querySelector('[data-test=orders]').textContent.includes(n), c.number);
  await page.getByRole('tab', { name: /逾期案件/ }).click();
  await page.locator('[data-test=overdue-table]').waitFor();

  // --- the mediator answers it on the case page ---
  await logout(page);
  await loginOk(page, 'jzj_mediator');
  await page.evaluate((cid) => { location.hash = `#/cases/${cid}`; }, c.id);
  await page.locator('[data-test=case-detail] [data-test=case-number]').waitFor();
  assert.equal(await page.locator('[data-test=supervise]').count(), 0, 'a mediator does not issue orders');
  await page.locator('[data-test=case-order] [data-test=order-reply]').click();
  const reply = page.locator('.el-dialog:visible');
  await reply.waitFor();
  await reply.locator('[data-field=reply] textarea').fill('已约定3月10日组织第三次调解，届时报告结果。');
  await reply.locator('[data-test=reply-submit]').click();
  await reply.waitFor({ state: 'hidden' });
  await page.locator('[data-test=case-order] [data-test=order-status]', { hasText: '已答复' }).waitFor();
  assert.match(await page.locator('[data-test=order-reply-text]').textContent(), /第三次调解/);
});

browserTest('the case file: uploads listed by kind, refusals in Chinese, documents in a new tab; 移交 names what was sent', async (page) => {
  const c = await assignedCase('宅基地边界纠纷，双方对界桩位置有争议');
  await loginOk(page, 'jzj_mediator');
  await page.evaluate((cid) => { location.hash = `#/cases/${cid}`; }, c.id);
  await page.locator('[data-test=case-attachments]').waitFor();
  await page.waitForLoadState('networkidle');

  // A photo.
  await choose(page, page.locator('[data-test=attachment-upload]'), '照片');
  await page.locator('[data-test=attachment-file]').setInputFiles({ name: '界桩现场照片.png', mimeType: 'image/png', buffer: PNG });
  await page.locator('[data-test=attachment-send]').click();
  const link = page.locator('[data-test=attachment-link]', { hasText: '界桩现场照片.png' });
  await link.waitFor();
  assert.equal((await page.locator('[data-test=attachment-kind-tag]').first().textContent()).trim(), '照片');
  assert.match(await link.getAttribute('href'), new RegExp(`^/api/v1/cases/${c.id}/attachments/\\d+$`));
  const got = await page.evaluate(async (href) => (await fetch(href)).status, await link.getAttribute('href'));
  assert.equal(got, 200, 'the download link works with the session cookie');

  // A type the server does not keep (415), and a text file dressed as a PNG (400 body).
  await page.locator('[data-test=attachment-file]').setInputFiles({ name: '说明.txt', mimeType: 'text/plain', buffer: Buffer.from('说明') });
  await page.locator('[data-test=attachment-send]').click();
  const err = page.locator('[data-test=attachment-error]');
  await err.waitFor();
  assert.match(await err.textContent(), /不支持的文件格式/);
  await page.locator('[data-test=attachment-file]').setInputFiles({ name: '伪装.png', mimeType: 'image/png', buffer: Buffer.from('not a picture') });
  await page.locator('[data-test=attachment-send]').click();
  await page.locator('[data-test=attachment-error]', { hasText: '文件内容与其格式不符' }).waitFor();
  assert.equal(await page.locator('[data-test=attachment-link]').count(), 1, 'only the photo was stored');

  // The documents open in a new tab.
  const doc = page.locator('[data-test=document-registration]');
  await doc.waitFor();
  assert.equal(await doc.getAttribute('target'), '_blank');
  const [tab] = await Promise.all([page.context().waitForEvent('page'), doc.click()]);
  await tab.waitForLoadState();
  assert.match(await tab.title(), /受理登记表/);
  await tab.close();
  await shot(page, 'case-files.png', { of: page.locator('[data-test=case-files]') });

  // 移交: what was sent is text (移交材料), not a date.
  const clerk = await apiAs('fc_clerk');
  const village = (await clerk.get('/api/v1/regions?q=' + encodeURIComponent('警钟街社区'))).data.items
    .find((r) => r.name === '警钟街社区');
  const r = await clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'contract', complexity: 'simple', facts: '买卖合同货款纠纷', region_id: village.id,
    parties: [{ role: 'applicant', name: '赵六' }],
  });
  assert.equal(r.status, 201);
  await logout(page);
  await loginOk(page, 'fc_dispatcher');
  await page.evaluate((cid) => { location.hash = `#/cases/${cid}`; }, r.data.id);
  await page.locator('[data-test=action-refer]').click();
  const dlg = page.locator('.el-dialog:visible');
  await dlg.waitFor();
  assert.match(await dlg.locator('[data-field=sent] .el-form-item__label').textContent(), /移交材料/);
  assert.equal(await dlg.locator('[data-field=sent] .el-date-editor').count(), 0, 'no date picker for 移交材料');
  await dlg.locator('[data-field=to_body] input').fill('涪城区人民法院');
  await dlg.locator('[data-field=sent] textarea').fill('受理登记表、买卖合同复印件、送货单3份');
  await dlg.locator('[data-test=action-submit]').click();
  await dlg.waitFor({ state: 'hidden' });
  await page.locator('[data-test=case-state]', { hasText: '已移交' }).waitFor();
  const timeline = await page.locator('[data-test=case-timeline]').textContent();
  assert.match(timeline, /移交材料/);
  assert.match(timeline, /送货单3份/);
});

// A valid resident ID number (GB 11643 check character) for the recovery journey.
function residentId(body = '51070319850612123') {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  return body + '10X98765432'[[...body].reduce((s, d, i) => s + Number(d) * w[i], 0) % 11];
}

browserTest('issue 9: a company stays a legal person, a lost code is recovered on a phone, the video room, names and Chinese for staff', async (page, more) => {
  const admin = await apiAs('admin');
  const setTemplate = (value) => admin.request('PUT', '/api/v1/settings/meeting_url_template', { json: { value } });
  assert.equal((await setTemplate('https://meet.example.org/jiefen-{room}')).status, 200);
  try {
    // --- the application on a 390px phone, the other side a company ---
    const phone = await more({ width: 390, height: 844 });
    await phone.goto(server().url + '/#/public/apply');
    await phone.locator('[data-test=public-apply]').waitFor();
    await choose(phone, phone.locator('[data-field=category]'), '物业纠纷');
    await chooseRegion(phone, phone.locator('[data-field=region_id]'), ['绵阳市', '涪城区', '城厢街道', '警钟街社区']);
    await phone.locator('[data-field=facts] textarea').fill('小区电梯长期故障，物业公司迟迟不修。');
    await phone.locator('[data-field="applicant.name"] input').fill('陈淑芬');
    await phone.locator('[data-field="applicant.phone"] input').fill('13900139000');
    const id = residentId();
    await phone.locator('[data-field="applicant.id_number"] input').fill(id);
    await phone.locator('[data-test=respondent-kind] label', { hasText: '单位' }).click();
    await phone.locator('[data-field="respondent.name"] .el-form-item__label', { hasText: '单位名称' }).waitFor();
    await phone.locator('[data-field="respondent.name"] input').fill('绵阳某物业服务有限公司');
    assert.ok(await fitsWidth(phone), 'the form with the kind choice fits a 390px screen');
    await shot(phone, 'apply-organization-mobile.png');
    await phone.locator('[data-test=apply-submit]').click();
    await phone.locator('[data-test=apply-receipt]').waitFor();
    const number = (await phone.locator('[data-test=apply-number]').textContent()).trim();
    const oldCode = (await phone.locator('[data-test=apply-code]').textContent()).trim();
    const dispatcher = await apiAs('fc_dispatcher');
    const cid = await caseId(dispatcher, number);
    const parties = (await dispatcher.get(`/api/v1/cases/${cid}`)).data.parties;
    assert.deepEqual(parties.map((p) => p.kind), ['person', 'organization'], 'the company is a legal person');

    // --- the code is lost: the number typed with ASCII brackets and spaces, phone and ID number ---
    await phone.goto(server().url + '/#/public/track');
    await phone.reload();
    await phone.locator('[data-test=public-track]').waitFor();
    const typed = ` (${number.slice(1).replace('）', ') ')} `;
    await phone.locator('[data-field=number] input').fill(typed);
    await phone.locator('[data-test=lost-toggle]').click();
    await phone.locator('[data-test=lost-form] [data-field=phone] input').fill('13900139001');
    await phone.locator('[data-test=lost-form] [data-field=id_number] input').fill(id);
    await phone.locator('[data-test=lost-submit]').click();
    await phone.locator('[data-test=lost-error]').waitFor();
    assert.match(await phone.locator('[data-test=lost-error]').textContent(), /手机号码或身份证号码不符/);
    await phone.locator('[data-test=lost-form] [data-field=phone] input').fill('139 0013 9000');
    await phone.locator('[data-test=lost-submit]').click();
    await phone.locator('[data-test=lost-issued]').waitFor();
    const newCode = (await phone.locator('[data-test=lost-code]').textContent()).trim();
    assert.match(newCode, /^[2-9A-HJ-NP-Z]{8}$/);
    assert.notEqual(newCode, oldCode);
    await phone.locator('[data-test=track-state]', { hasText: '已登记' }).waitFor();
    assert.equal((await phone.locator('[data-test=track-unit]').textContent()).trim(), '尚未确定，受理后将指定');
    assert.equal(await phone.locator('[data-test=track-meeting]').count(), 0, 'no video room before mediation');
    assert.ok(await fitsWidth(phone), 'the recovered page fits a 390px screen');
    await shot(phone, 'track-recovered-mobile.png');

    // --- assigned: the unit, never a person, and the video room for the parties ---
    assert.equal((await dispatcher.post(`/api/v1/cases/${cid}/transitions`, { action: 'accept' })).status, 200);
    await assign(dispatcher, cid);
    await phone.reload();
    await phone.locator('[data-test=track-state]', { hasText: '已指派' }).waitFor();
    assert.equal((await phone.locator('[data-test=track-unit]').textContent()).trim(), '警钟街社区人民调解委员会');
    const link = phone.locator('[data-test=track-meeting-link]');
    const href = await link.getAttribute('href');
    assert.match(href, /^https:\/\/meet\.example\.org\/jiefen-[0-9a-f]{20}$/);
    assert.equal(await link.getAttribute('target'), '_blank');
    assert.ok(!(await phone.locator('[data-test=public-track]').textContent()).includes('黄志强'), 'no mediator named');
    assert.ok(await fitsWidth(phone), 'the tracking page with the video link fits a 390px screen');
    await shot(phone, 'track-meeting-mobile.png');

    // --- staff at 1366px: the same room, the timeline naming people ---
    const desk = await more({ width: 1366, height: 900 });
    await desk.goto(server().url + '/');
    await loginOk(desk, 'fc_dispatcher');
    await desk.evaluate((k) => { location.hash = `#/cases/${k}`; }, cid);
    await desk.locator('[data-test=case-meeting]').waitFor();
    assert.equal(await desk.locator('[data-test=case-meeting]').getAttribute('href'), href, 'staff and parties meet in one room');
    const actors = await desk.locator('[data-test=timeline-actor]').allTextContents();
    const me = (await dispatcher.get('/api/v1/session')).data.user;
    assert.ok(actors.includes(me.name), `the dispatcher by name (${me.name}) in ${actors}`);
    assert.ok(!actors.some((a) => /^[a-z_]+$/.test(a.trim())), `no logins in the timeline: ${actors}`);
    assert.ok(actors.includes('群众（网上）'));
    await shot(desk, 'case-meeting-desktop.png');

    // --- the supervision board: the case once, with its most severe warning ---
    const due = (await dispatcher.get(`/api/v1/cases/${cid}`)).data.due_date;
    const before = new Date(Date.parse(due + 'T00:00:00Z') - 86400000).toISOString().slice(0, 10);
    for (const day of [before, due]) assert.equal(runCli(['scan', ...server().db.args, '--today', day]).status, 0);
    await switchUser(desk, 'fc_supervisor');
    await openScreen(desk, '督办台', 'supervision');
    const rows = desk.locator('[data-test=warnings-table] .el-table__body tr', { hasText: number });
    await rows.first().waitFor();
    assert.equal(await rows.count(), 1, 'one row for the case');
    assert.equal((await rows.locator('[data-test=warning-kind-tag]').textContent()).trim(), '已到期');
    await shot(desk, 'supervision-once-desktop.png');

    // --- the audit log in Chinese ---
    await switchUser(desk, 'admin');
    await openScreen(desk, '审计日志', 'audit');
    const table = desk.locator('[data-test=audit-table] .el-table__body');
    await table.locator('tr').first().waitFor();
    const cells = await desk.evaluate(() => [...document.querySelectorAll('[data-test=audit-table] .el-table__body tr')]
      .map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
    const words = cells.flatMap((c) => [c[3], c[4], c[6]]);
    assert.deepEqual(words.filter((w) => /[a-z]{2}/.test(w)), [], 'action, object type and fields in Chinese');
    assert.ok(words.includes('重新发放查询码'), 'the recovery is in the log');
    await shot(desk, 'audit-chinese-desktop.png');
  } finally {
    await setTemplate('');
  }
});
