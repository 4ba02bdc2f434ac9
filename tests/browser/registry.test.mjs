// Browser tests of the registry screens (issue 3: who resolves what): regions, organizations,
// mediators, experts, grid workers, routing rules with the live preview, the service
// catalogue, the calendar, import/export, and the public roster — driven in Debian's Chromium
// against the real server on a fresh demo database. Screenshots of every screen go to
// build/screenshots/ for a human to look at.
//
// As in login.test.mjs, every test fails if the page threw or logged a console error (other
// than Chromium's "Failed to load resource" line for an API answer with a 4xx status).

import assert from 'node:assert/strict';
import { browserSuite, loginOk, shot, openScreen, navLabels, choose, chooseRegion } from '../lib/browser.mjs';

const { test: browserTest, apiAs } = browserSuite();

// ---------------------------------------------------------------------------------------

browserTest('admin adds a grid under 警钟街社区 and an organization; both appear', async (page) => {
  const api = await apiAs('admin');
  const village = (await api.get('/api/v1/regions?q=' + encodeURIComponent('警钟街社区'))).data.items
    .find((r) => r.name === '警钟街社区');
  assert.ok(village, 'the demo has 警钟街社区');
  const kids = (await api.get(`/api/v1/regions?parent_id=${village.id}&per_page=500`)).data.items;
  // A code one past the highest existing child's, or the village's code with a grid suffix.
  const code = kids.length
    ? (kids.map((k) => BigInt(k.code)).reduce((a, b) => (a > b ? a : b)) + 1n).toString().padStart(kids[0].code.length, '0')
    : village.code + '099';
  const gridName = '第九十九网格';

  await loginOk(page, 'admin');
  await openScreen(page, '区划管理', 'regions');
  await page.locator('[data-test=regions-tree]').getByText('绵阳市').waitFor();
  await page.locator('input[data-test=region-q]').fill('警钟街');
  await page.locator('input[data-test=region-q]').press('Enter');
  await page.locator('[data-test=region-hits] li', { hasText: '警钟街社区' }).first().click();
  await page.locator('[data-test=region-path]', { hasText: '警钟街社区' }).waitFor();
  const path = await page.locator('[data-test=region-path]').textContent();
  assert.match(path, /绵阳市.*涪城区.*城厢街道.*警钟街社区/, 'the breadcrumb shows the path from the root');
  await page.locator('[data-test=region-add]').click();
  const dlg = page.locator('[data-test=region-dialog]');
  await dlg.locator('[data-field=code] input').fill(code);
  await dlg.locator('[data-field=name] input').fill(gridName);
  assert.match(await dlg.locator('[data-field=level]').textContent(), /网格/, 'a village\'s child is a grid by default');
  await dlg.locator('[data-field=population] input').fill('860');
  await page.locator('[data-test=region-save]').click();
  await dlg.waitFor({ state: 'hidden' });
  await page.locator('[data-test=region-children] .el-table__row', { hasText: gridName }).waitFor();
  const found = (await api.get(`/api/v1/regions?parent_id=${village.id}&per_page=500`)).data.items;
  assert.ok(found.some((r) => r.name === gridName && r.level === 'grid'), 'the grid exists on the server');
  await shot(page, 'regions.png');
  // Its population is edited from its own detail panel.
  await page.locator('[data-test=region-children] .el-table__row', { hasText: gridName }).click();
  await page.locator('[data-test=region-path]', { hasText: gridName }).waitFor();
  await page.locator('[data-test=region-edit]').click();
  await dlg.locator('[data-field=population] input').fill('905');
  await page.locator('[data-test=region-save]').click();
  await dlg.waitFor({ state: 'hidden' });
  await page.locator('[data-test=region-population]', { hasText: '905' }).waitFor();

  await openScreen(page, '组织机构', 'organizations');
  await page.locator('[data-test=org-table]').getByText('警钟街社区人民调解委员会').waitFor();
  await page.locator('[data-test=org-create]').click();
  const od = page.locator('[data-test=org-dialog]');
  await od.waitFor();
  const orgName = '涪城区医疗纠纷人民调解委员会';
  await od.locator('[data-field=name] input').fill(orgName);
  await chooseRegion(page, od.locator('[data-field=region_id]'), ['绵阳市', '涪城区']);
  await choose(page, od.locator('[data-field=industry]'), '医疗');
  await choose(page, od.locator('[data-field=categories]'), '医疗纠纷', { multiple: true });
  await od.locator('[data-field=address] input').fill('绵阳市涪城区临园路东段');
  await od.locator('[data-field=phone] input').fill('0816-2345678');
  await od.locator('[data-field=contact_person] input').fill('王主任');
  await shot(page, 'org-dialog.png', { expand: false });
  await page.locator('[data-test=org-save]').click();
  await od.waitFor({ state: 'hidden' });
  const row = page.locator('[data-test=org-table] .el-table__row', { hasText: orgName });
  await row.waitFor();
  const cells = await row.locator('td').allTextContents();
  assert.match(cells[1], /医疗行业/, `the type column names the industry: ${cells}`);
  assert.match(cells[2], /涪城区/, `the region: ${cells}`);
  assert.match(cells[3], /医疗纠纷/, `the categories column lists 医疗纠纷: ${cells}`);
  // The new filters narrow the list to it.
  await choose(page, page.locator('[data-test=org-category-filter]'), '医疗纠纷');
  await page.locator('[data-test=org-table] .el-table__row', { hasText: orgName }).waitFor();
  await page.locator('[data-test=org-table] .el-table__row', { hasText: '警钟街社区人民调解委员会' }).waitFor({ state: 'detached' });
  await shot(page, 'orgs.png');
});

const MEDIATOR_HEADER = '姓名,性别,手机号,类型,等级,专长,所属组织,状态';

browserTest('a mediator CSV with one bad row shows the row and commits nothing; the corrected file commits every row', async (page) => {
  const api = await apiAs('admin');
  const before = (await api.get('/api/v1/mediators?per_page=1')).data.total;
  const rows = [
    '刘晓燕,女,13912340001,兼职,初级,邻里纠纷、婚姻家庭,警钟街社区人民调解委员会,active',
    '陈建国,男,13912340002,专职,中级,拖欠工资,城厢街道第九调解委员会,active', // no such organization
    '杨帆,男,13912340003,兼职,初级,物业纠纷,解放街社区人民调解委员会,active',
  ];
  const bad = Buffer.from([MEDIATOR_HEADER, ...rows].join('\r\n') + '\r\n', 'utf8');
  const good = Buffer.from([MEDIATOR_HEADER, ...rows.map((r) => r.replace('城厢街道第九调解委员会', '城厢街道人民调解委员会'))].join('\r\n') + '\r\n', 'utf8');

  await loginOk(page, 'admin');
  await openScreen(page, '数据导入导出', 'imports');
  await page.locator('[data-test=import-kind]').getByText('调解员', { exact: true }).click();
  const input = page.locator('[data-test=import-file] input[type=file]');
  await input.setInputFiles({ name: '调解员-有误.csv', mimeType: 'text/csv', buffer: bad });
  const errTable = page.locator('[data-test=import-errors]');
  await errTable.waitFor();
  const errRows = errTable.locator('.el-table__body .el-table__row');
  assert.equal(await errRows.count(), 1, 'exactly one bad row');
  const cells = await errRows.first().locator('td').allTextContents();
  assert.equal(cells[0].trim(), '3', `the bad row is line 3 of the file (the header is line 1): ${cells}`);
  assert.match(cells[1], /所属组织/, `the column is the organization: ${cells}`);
  assert.match(cells[2], /[\u4e00-\u9fa5]/, `the reason is in Chinese: ${cells}`);
  assert.ok(await page.locator('[data-test=import-commit]').isDisabled(), '确认导入 is disabled while a row is bad');
  await shot(page, 'import-errors.png');
  assert.equal((await api.get('/api/v1/mediators?per_page=1')).data.total, before, 'nothing was written');

  await input.setInputFiles({ name: '调解员.csv', mimeType: 'text/csv', buffer: good });
  await page.locator('[data-test=import-summary]').waitFor();
  await page.waitForFunction(() => {
    const b = document.querySelector('[data-test=import-commit]');
    return b && !b.disabled;
  });
  assert.equal(await errTable.count(), 0, 'no error table for a clean file');
  await page.locator('[data-test=import-commit]').click();
  const done = page.locator('[data-test=import-done]');
  await done.waitFor();
  assert.match(await done.textContent(), /已导入 3 条调解员数据/);
  assert.equal((await api.get('/api/v1/mediators?per_page=1')).data.total, before + 3, 'all three rows were written');

  await openScreen(page, '调解员', 'mediators');
  const table = page.locator('[data-test=mediator-table]');
  for (const name of ['刘晓燕', '陈建国', '杨帆']) await table.getByText(name, { exact: true }).waitFor();

  // The export is a plain download of the caller's scope.
  await openScreen(page, '数据导入导出', 'imports');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('[data-test=export-mediators-csv]').click(),
  ]);
  assert.equal(download.suggestedFilename(), 'mediators.csv');
  assert.equal(await download.failure(), null, 'the export downloaded');
});

browserTest('the routing preview explains its decision and follows an edit of the matching rule', async (page) => {
  await loginOk(page, 'admin');
  await openScreen(page, '分流规则', 'routing');
  await page.locator('[data-test=rule-table] [data-test=rule-default]').first().waitFor();

  await choose(page, page.locator('[data-test=preview-category]'), '拖欠工资');
  await chooseRegion(page, page.locator('[data-test=preview-region]'), ['绵阳市', '涪城区', '城厢街道', '警钟街社区']);
  await page.locator('[data-test=preview-people] input').fill('40');
  await page.locator('[data-test=preview-people] input').press('Tab');

  const limit = page.locator('[data-test=decision-limit]');
  const winner = page.locator('[data-test=preview-winner]');
  await page.waitForFunction(() => {
    const w = document.querySelector('[data-test=preview-winner]');
    return w && !/兜底/.test(w.textContent);
  });
  const winnerName = (await winner.locator('strong').textContent()).trim();
  const before = (await limit.textContent()).trim();
  const days = Number(before.match(/\d+/)[0]);
  assert.match(await page.locator('[data-test=decision-method]').textContent(), /调解/);
  const reasons = (await page.locator('[data-test=preview-nomatch]').allTextContents()).join('\n');
  assert.match(reasons, /类别不符：规则为 \S+，案件为 拖欠工资/, `mismatches are explained in Chinese:\n${reasons}`);
  await shot(page, 'routing.png');

  // Edit the rule that won: its time limit, then see the preview follow.
  const row = page.locator('[data-test=rule-table] .el-table__row', { hasText: winnerName }).first();
  await row.locator('[data-test=rule-edit]').click();
  const dlg = page.locator('[data-test=rule-dialog]');
  await dlg.waitFor();
  const newDays = days + 7;
  await dlg.locator('[data-test=rule-days] input').fill(String(newDays));
  await dlg.locator('[data-test=rule-days] input').press('Tab');
  await shot(page, 'routing-editor.png', { expand: false });
  await page.locator('[data-test=rule-save]').click();
  await dlg.waitFor({ state: 'hidden' });
  await page.waitForFunction((n) => {
    const el = document.querySelector('[data-test=decision-limit]');
    return el && el.textContent.includes(String(n));
  }, newDays);
  assert.match(await limit.textContent(), new RegExp(`${newDays} 个`));
});

browserTest('a rule that ties with another is refused and the other rule is named', async (page) => {
  await loginOk(page, 'admin');
  await openScreen(page, '分流规则', 'routing');
  await page.locator('[data-test=rule-table] .el-table__row').first().waitFor();
  await page.locator('[data-test=rule-create]').click();
  const dlg = page.locator('[data-test=rule-dialog]');
  await dlg.waitFor();
  await dlg.locator('[data-field=name] input').fill('欠薪纠纷（20–30人）');
  await dlg.locator('[data-test=rule-is-default]').click();
  await choose(page, dlg.locator('[data-field=category]'), '拖欠工资');
  await dlg.locator('[data-test=rule-people-min] input').fill('20');
  await dlg.locator('[data-test=rule-people-max] input').fill('30');
  await dlg.locator('[data-test=rule-people-max] input').press('Tab');
  await page.locator('[data-test=rule-save]').click();
  const tie = page.locator('[data-test=rule-tie]');
  await tie.waitFor();
  assert.match(await tie.textContent(), /与规则“多人欠薪纠纷乡镇联调”的条件重叠且具体程度相同/);
  assert.ok(await dlg.isVisible(), 'the dialog stays open to fix the conditions');
  await shot(page, 'routing-tie.png', { expand: false });
});

browserTest('the public roster opens without login, links from the login page, and shows no phone number of a person', async (page) => {
  await page.locator('[data-test=public-links]').getByText('调解组织和调解员名册公示').click();
  await page.locator('[data-test=public-roster]').waitFor();
  assert.equal(await page.locator('input[name=password]').count(), 0, 'no login form on the public page');
  const orgs = page.locator('[data-test=roster-orgs] .el-table__row');
  await orgs.first().waitFor();
  await page.reload();
  await orgs.first().waitFor();
  assert.equal(await page.locator('input[name=password]').count(), 0, 'a reload stays on the public page');
  await page.getByRole('tab', { name: /调解员/ }).click();
  await page.locator('[data-test=roster-mediators] .el-table__row').first().waitFor();
  const text = await page.locator('body').innerText();
  assert.ok(!/(?<!\d)1[3-9]\d{9}(?!\d)/.test(text), 'no 11-digit mobile number on the public roster');
  assert.match(text, /赵敏|黄志强|孙立新/, 'the demo mediators are listed');
  await shot(page, 'roster-public.png');
  await page.getByRole('menuitem', { name: '服务清单' }).click();
  await page.locator('[data-test=public-catalogue] .el-collapse-item').first().waitFor();
  await shot(page, 'catalogue-public.png');
});

browserTest('a mediator sees the registry but none of the administrators\' edit buttons', async (page) => {
  await loginOk(page, 'jzj_mediator');
  const labels = await navLabels(page);
  for (const l of ['区划管理', '组织机构', '调解员', '分流规则']) assert.ok(labels.includes(l), `menu has ${l}: ${labels}`);
  assert.ok(!labels.includes('数据导入导出'), `no 数据导入导出 for a mediator: ${labels}`);

  await openScreen(page, '区划管理', 'regions');
  await page.locator('[data-test=region-detail] .el-descriptions').waitFor();
  assert.equal(await page.locator('[data-test=region-add]').count(), 0);
  assert.equal(await page.locator('[data-test=region-edit]').count(), 0);

  await openScreen(page, '组织机构', 'organizations');
  await page.locator('[data-test=org-table] .el-table__row').first().waitFor();
  assert.equal(await page.locator('[data-test=org-create]').count(), 0);
  assert.equal(await page.locator('[data-test=org-edit]').count(), 0);

  await openScreen(page, '调解员', 'mediators');
  await page.locator('[data-test=mediator-table] .el-table__row').first().waitFor();
  assert.equal(await page.locator('[data-test=mediator-create]').count(), 0);
  assert.equal(await page.locator('[data-test=mediator-edit]').count(), 0);

  await openScreen(page, '分流规则', 'routing');
  await page.locator('[data-test=rule-table] .el-table__row').first().waitFor();
  assert.equal(await page.locator('[data-test=rule-create]').count(), 0);
  assert.equal(await page.locator('[data-test=rule-delete]').count(), 0);
  const editLabels = await page.locator('[data-test=rule-edit]').allTextContents();
  assert.ok(editLabels.every((l) => l.trim() === '查看'), `rules are view-only: ${editLabels}`);

  await openScreen(page, '服务清单', 'catalogue');
  await page.locator('[data-test=catalogue-table] .el-table__row').first().waitFor();
  assert.equal(await page.locator('[data-test=catalogue-create]').count(), 0);
});

browserTest('the people screens: masked phones in lists, the full phone in the detail drawer', async (page) => {
  await loginOk(page, 'admin');
  await openScreen(page, '调解员', 'mediators');
  const row = page.locator('[data-test=mediator-table] .el-table__row', { hasText: '赵敏' });
  await row.waitFor();
  assert.match(await row.textContent(), /\d{3}\*{4}\d{4}/, 'the list shows a masked phone');
  assert.match(await row.textContent(), /城厢街道人民调解委员会/);
  await shot(page, 'mediators.png');
  await row.locator('[data-test=mediator-detail]').click();
  const phone = page.locator('[data-test=mediator-phone]');
  await phone.waitFor();
  assert.match(await phone.textContent(), /^1\d{10}$/, 'the drawer shows the full phone');
  await shot(page, 'mediator-drawer.png', { expand: false });
  await page.keyboard.press('Escape');

  await openScreen(page, '专家库', 'experts');
  await page.locator('[data-test=expert-table] .el-table__row').first().waitFor();
  const specialties = await page.locator('[data-test=expert-table]').textContent();
  for (const s of ['法律', '医学', '心理']) assert.match(specialties, new RegExp(s), `an expert in ${s}`);
  const expert = await page.locator('[data-test=expert-table] .el-table__row').first().locator('td').allTextContents();
  assert.match(expert[4], /[\u4e00-\u9fa5]/, `an expert's region is shown by name: ${expert}`);
  assert.match(expert[5], /可邀请|忙碌|暂不可用/, `an expert's availability reads in Chinese: ${expert}`);
  await shot(page, 'experts.png');

  await openScreen(page, '网格员', 'grid-workers');
  const gw = page.locator('[data-test=grid-worker-table] .el-table__row', { hasText: '周丽' });
  await gw.waitFor();
  assert.match(await gw.textContent(), /网格/);
  await gw.locator('[data-test=grid-worker-edit]').click();
  await page.locator('[data-test=grid-worker-dialog] [data-field=grid_id]').waitFor();
  assert.match(await page.locator('[data-test=grid-worker-dialog] [data-field=grid_id]').textContent(), /网格/,
    'the grid picker shows the worker\'s grid by name');
  await page.locator('[data-test=grid-worker-dialog]').getByRole('button', { name: '取消' }).click();
  await shot(page, 'grid-workers.png');
});

browserTest('the catalogue, the calendar with its deadline calculator, and sensitive periods', async (page) => {
  await loginOk(page, 'admin');
  await openScreen(page, '服务清单', 'catalogue');
  await page.locator('[data-test=catalogue-table] .el-table__row').first().waitFor();
  await page.locator('[data-test=catalogue-create]').waitFor();
  await shot(page, 'catalogue.png');

  await openScreen(page, '工作日历', 'calendar');
  await page.locator('[data-test=calendar-year]').getByText('2026年').waitFor().catch(() => {});
  if (!/2026/.test(await page.locator('[data-test=calendar-year]').textContent())) {
    await choose(page, page.locator('[data-test=calendar-year]'), '2026年');
  }
  const grid = page.locator('[data-test=calendar-year-grid]');
  await grid.locator('.jf-cal-day.is-holiday').first().waitFor();
  // 2026-10-01 is 国庆节, a holiday in the shipped 2026 arrangement.
  assert.match(await grid.locator('[data-date="2026-10-01"]').getAttribute('class'), /is-holiday/);
  assert.match(await grid.locator('[data-date="2026-10-01"]').textContent(), /休/);
  assert.ok(await grid.locator('.jf-cal-day.is-workday').count() > 0, 'make-up workdays are marked 班');
  await page.locator('[data-test=calc-days] input').fill('10');
  await page.locator('[data-test=calc-run]').click();
  await page.locator('[data-test=calc-result]').waitFor();
  assert.match(await page.locator('[data-test=calc-result]').textContent(), /\d{4}-\d{2}-\d{2}/);
  await shot(page, 'calendar.png');

  await openScreen(page, '敏感时期', 'sensitive-periods');
  await page.locator('[data-test=sensitive-table]').waitFor();
  await shot(page, 'sensitive-periods.png');
});

browserTest('admin adds a grid worker in a grid, a sensitive period, a catalogue item, and a holiday that moves a deadline', async (page) => {
  await loginOk(page, 'admin');

  await openScreen(page, '网格员', 'grid-workers');
  await page.locator('[data-test=grid-worker-table] .el-table__row').first().waitFor();
  await page.locator('[data-test=grid-worker-create]').click();
  const gd = page.locator('[data-test=grid-worker-dialog]');
  await gd.locator('[data-field=name] input').fill('李娜');
  await gd.locator('[data-field=phone] input').fill('13811112222');
  await chooseRegion(page, gd.locator('[data-field=grid_id]'), ['绵阳市', '涪城区', '城厢街道', '解放街社区', '第一网格']);
  await page.locator('[data-test=grid-worker-save]').click();
  await gd.waitFor({ state: 'hidden' });
  const gw = page.locator('[data-test=grid-worker-table] .el-table__row', { hasText: '李娜' });
  await gw.waitFor();
  assert.match(await gw.textContent(), /第一网格/);
  assert.match(await gw.textContent(), /解放街社区/);
  assert.match(await gw.textContent(), /138\*{4}2222/, 'the new worker\'s phone is masked in the list');

  await openScreen(page, '敏感时期', 'sensitive-periods');
  await page.locator('[data-test=sensitive-create]').click();
  const sd = page.locator('[data-test=sensitive-dialog]');
  await sd.locator('[data-field=name] input').fill('全国两会期间');
  const range = sd.locator('[data-field=range] input');
  await range.nth(0).fill('2026-03-01');
  await range.nth(1).fill('2026-03-15');
  await range.nth(1).press('Enter');
  await chooseRegion(page, sd.locator('[data-field=region_ids]'), ['绵阳市', '涪城区']);
  await page.locator('[data-test=sensitive-save]').click();
  await sd.waitFor({ state: 'hidden' });
  const sp = page.locator('[data-test=sensitive-table] .el-table__row', { hasText: '全国两会期间' });
  await sp.waitFor();
  assert.match(await sp.textContent(), /2026-03-01.*2026-03-15/);
  assert.match(await sp.textContent(), /涪城区/);
  await shot(page, 'sensitive-periods.png');

  await openScreen(page, '服务清单', 'catalogue');
  await page.locator('[data-test=catalogue-create]').click();
  const cd = page.locator('[data-test=catalogue-dialog]');
  await cd.locator('[data-field=name] input').fill('消费纠纷投诉');
  await cd.locator('[data-field=level] input').fill('县级');
  await cd.locator('[data-field=handling_body] input').fill('涪城区市场监督管理局');
  await cd.locator('[data-field=legal_basis] textarea').fill('《中华人民共和国消费者权益保护法》第三十九条');
  for (const d of ['投诉书', '购物凭证']) {
    await cd.locator('[data-test=tag-add]').click();
    await cd.locator('input[data-test=tag-new]').fill(d);
    await cd.locator('input[data-test=tag-new]').press('Enter');
  }
  await shot(page, 'catalogue-editor.png', { expand: false });
  await page.locator('[data-test=catalogue-save]').click();
  await cd.waitFor({ state: 'hidden' });
  const item = page.locator('[data-test=catalogue-table] .el-table__row', { hasText: '消费纠纷投诉' });
  await item.waitFor();
  assert.match(await item.textContent(), /涪城区市场监督管理局/);
  const cells = await item.locator('td').allTextContents();
  assert.equal(cells[5].trim(), '2', `two documents: ${cells}`);

  // A holiday set on the calendar moves a business-day deadline (the server counts).
  await openScreen(page, '工作日历', 'calendar');
  const day = page.locator('[data-test=calendar-year-grid] [data-date="2026-06-01"]');
  if (!(await day.count())) await choose(page, page.locator('[data-test=calendar-year]'), '2026年');
  await day.click();
  const dd = page.locator('[data-test=calendar-dialog]');
  await dd.getByText('法定节假日', { exact: true }).click();
  await dd.locator('input').last().fill('测试假日');
  await page.locator('[data-test=calendar-save]').click();
  await dd.waitFor({ state: 'hidden' });
  await page.locator('[data-test=calendar-year-grid] [data-date="2026-06-01"].is-holiday').waitFor();
  const from = page.locator('[data-test=deadline-calculator] .el-date-editor input');
  await from.fill('2026-05-29');
  await from.press('Enter');
  await page.locator('[data-test=calc-days] input').fill('1');
  await page.locator('[data-test=deadline-calculator] .el-radio-button', { hasText: '工作日' }).click();
  await page.locator('[data-test=calc-run]').click();
  await page.locator('[data-test=calc-result]', { hasText: '2026-06-02' }).waitFor();

  await day.click();
  await dd.getByText('按平常（周一至周五上班）', { exact: true }).click();
  await page.locator('[data-test=calendar-save]').click();
  await dd.waitFor({ state: 'hidden' });
  await page.locator('[data-test=calendar-year-grid] [data-date="2026-06-01"]:not(.is-holiday)').waitFor();
  await page.locator('[data-test=calc-run]').click();
  await page.locator('[data-test=calc-result]', { hasText: '2026-06-01' }).waitFor();
});

browserTest('a county administrator may add rules for the county but only views the default rules', async (page) => {
  await loginOk(page, 'fc_admin');
  await openScreen(page, '分流规则', 'routing');
  const defaults = page.locator('[data-test=rule-table] .el-table__row', { has: page.locator('[data-test=rule-default]') });
  await defaults.first().waitFor();
  const labels = await defaults.locator('[data-test=rule-edit]').allTextContents();
  assert.ok(labels.length > 0 && labels.every((l) => l.trim() === '查看'), `default rules are view-only: ${labels}`);
  assert.equal(await defaults.locator('[data-test=rule-delete]').count(), 0);
  await page.locator('[data-test=rule-create]').click();
  const dlg = page.locator('[data-test=rule-dialog]');
  await dlg.waitFor();
  assert.equal(await dlg.locator('[data-test=rule-is-default]').count(), 0, 'no 默认规则 choice below the top');
  assert.match(await dlg.locator('[data-field=region_id]').textContent(), /涪城区/, 'a new rule belongs to the county');
});

browserTest('系统设置: the top administrator changes the case number format (one that could repeat numbers is refused); a county administrator only reads', async (page) => {
  await loginOk(page, 'admin');
  await openScreen(page, '系统设置', 'settings');
  const table = page.locator('[data-test=settings-table]');
  await table.getByText('逐级上报前的最少调解次数').waitFor();
  assert.equal((await page.locator('[data-test=setting-value-min_sessions_before_escalation]').textContent()).trim(), '3');
  await page.locator('[data-test=setting-edit-case_number_format]').click();
  const dlg = page.locator('[data-test=setting-dialog]');
  await dlg.waitFor();
  await dlg.locator('[data-field=value] input').fill('第{seq}号');
  await dlg.locator('[data-test=setting-save]').click();
  await dlg.locator('[data-field=value] .el-form-item__error').waitFor();
  assert.match(await dlg.locator('[data-field=value] .el-form-item__error').textContent(), /格式或取值不正确/);
  await dlg.locator('[data-field=value] input').fill('{county}调〔{year}〕{seq}号');
  await dlg.locator('[data-test=setting-save]').click();
  await dlg.waitFor({ state: 'hidden' });
  await page.waitForFunction(() => document.querySelector('[data-test=setting-value-case_number_format]')?.textContent.includes('调〔'));
  await shot(page, 'settings.png');
  // The next case registered is numbered in the new format.
  const clerk = await apiAs('fc_clerk');
  const village = (await clerk.get('/api/v1/regions?q=' + encodeURIComponent('警钟街社区'))).data.items.find((r) => r.name === '警钟街社区');
  const k = await clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: '相邻通行纠纷', region_id: village.id,
    parties: [{ role: 'applicant', name: '赵六' }],
  });
  assert.equal(k.status, 201, JSON.stringify(k.data));
  assert.match(k.data.number, /^涪城调〔\d{4}〕\d{4}号$/);
  // Put the default back for the other tests.
  const admin = await apiAs('admin');
  const back = await admin.request('PUT', '/api/v1/settings/case_number_format', { json: { value: '（{year}）{county}人调字第{seq}号' } });
  assert.equal(back.status, 200, JSON.stringify(back.data));
});

browserTest('系统设置 for a county administrator: the values, read-only', async (page) => {
  await loginOk(page, 'fc_admin');
  await openScreen(page, '系统设置', 'settings');
  await page.locator('[data-test=settings-table]').getByText('到期预警提前工作日').waitFor();
  assert.equal(await page.locator('[data-test^=setting-edit-]').count(), 0, 'no edit buttons below the top');
  assert.match(await page.locator('[data-test=settings]').textContent(), /仅最高级管理员可修改/);
});

browserTest('admin adds an expert (a bad phone is named at its field first) and changes a mediator\'s phone: only that change is sent', async (page) => {
  const api = await apiAs('admin');
  await loginOk(page, 'admin');
  await openScreen(page, '专家库', 'experts');
  await page.locator('[data-test=expert-create]').click();
  const dlg = page.locator('[data-test=expert-dialog]');
  await dlg.waitFor();
  await dlg.locator('[data-field=name] input').fill('欧阳明远');
  await dlg.locator('[data-field=title] input').fill('主任医师');
  await choose(page, dlg.locator('[data-field=specialty]'), '医学');
  await dlg.locator('[data-field=phone] input').fill('12345');
  await chooseRegion(page, dlg.locator('[data-field=region_id]'), ['绵阳市', '涪城区']);
  await dlg.locator('[data-test=expert-save]').click();
  await dlg.locator('[data-field=phone] .el-form-item__error').waitFor();
  await dlg.locator('[data-field=phone] input').fill('13981612345');
  await dlg.locator('[data-test=expert-save]').click();
  await dlg.waitFor({ state: 'hidden' });
  const experts = (await api.get('/api/v1/experts?q=' + encodeURIComponent('欧阳明远'))).data.items;
  assert.equal(experts.length, 1, 'the expert was created once');
  assert.equal(experts[0].specialty, 'medicine');

  // Editing a mediator: the list shows the phone masked; the dialog loads it whole, and only
  // the changed field goes to the server (the audit row names just that field).
  await openScreen(page, '调解员', 'mediators');
  await page.locator('input[data-test=mediator-q]').fill('黄志强');
  await page.locator('input[data-test=mediator-q]').press('Enter');
  const row = page.locator('[data-test=mediator-table] .el-table__row', { hasText: '黄志强' }).first();
  await row.waitFor();
  await row.locator('[data-test=mediator-edit]').click();
  const md = page.locator('[data-test=mediator-dialog]');
  await md.waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-test=mediator-dialog] .el-loading-mask'));
  assert.doesNotMatch(await md.locator('[data-field=phone] input').inputValue(), /\*/, 'the whole phone, for editing');
  await md.locator('[data-field=phone] input').fill('13508160001');
  await md.locator('[data-test=mediator-save]').click();
  await md.waitFor({ state: 'hidden' });
  const id = (await api.get('/api/v1/mediators?q=' + encodeURIComponent('黄志强'))).data.items[0].id;
  const audit = (await api.get(`/api/v1/audit?object_type=mediator&object_id=${id}&action=update`)).data.items[0];
  assert.deepEqual(audit.fields, ['phone']);
});
