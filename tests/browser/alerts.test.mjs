// Browser tests of 预警信息 (#/alerts): an administrator sets who is told for a township
// (预警接收人); a case that grades red shows as a 重大 alert to that recipient, who
// acknowledges it (签收) with a note on a phone. The alert is raised by the case module's risk
// hook (src/case/risk.c) when the case is graded.
// Screenshots at 1366 px and 390 px.

import assert from 'node:assert/strict';
import { browserSuite, loginOk, shot, choose, chooseRegion } from '../lib/browser.mjs';

const { test: browserTest, apiAs } = browserSuite();
const LAPTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

async function regionId(api, name) {
  return (await api.get('/api/v1/regions?q=' + encodeURIComponent(name))).data.items.find((r) => r.name === name).id;
}

browserTest('an administrator sets the township\'s alert recipients', async (page, more) => {
  const admin = await apiAs('fc_admin');
  const cxAdmin = (await admin.get('/api/v1/users?per_page=500')).data.items.find((u) => u.login === 'cx_admin');
  const p = await more(LAPTOP);
  await p.goto(page.url());
  await loginOk(p, 'fc_admin');
  await p.goto(p.url().split('#')[0] + '#/alerts');
  await p.locator('[data-test=alerts]').waitFor();
  await p.getByRole('tab', { name: '预警接收人' }).click();
  await chooseRegion(p, p.locator('[data-test=recipients-region]'), ['涪城区', '城厢街道']);
  await p.locator('[data-test=recipients]').waitFor();
  await p.locator('[data-test=recipient-add]').click();
  await choose(p, p.locator('[data-test=recipient-row]').last().locator('[data-test=recipient-user]'), `${cxAdmin.name}（${cxAdmin.org_name}）`);
  await choose(p, p.locator('[data-test=recipient-row]').last().locator('[data-test=recipient-duty]'), '综治中心');
  await p.locator('[data-test=recipients-save]').click();
  await p.locator('.el-message--success').waitFor();
  const saved = (await admin.get(`/api/v1/regions/${await regionId(admin, '城厢街道')}/alert-recipients`)).data.items;
  assert.deepEqual(saved.map((r) => [r.login, r.duty]), [['cx_admin', 'zongzhi_centre']]);
  await shot(p, 'alerts-recipients-1366.png');
});

browserTest('a red case shows as a 重大 alert to the recipient, who acknowledges it on a phone', async (page, more, t) => {
  const admin = await apiAs('fc_admin');
  const cx = await regionId(admin, '城厢街道');
  const cxAdmin = (await admin.get('/api/v1/users?per_page=500')).data.items.find((u) => u.login === 'cx_admin');
  assert.equal((await admin.request('PUT', `/api/v1/regions/${cx}/alert-recipients`,
    { json: { recipients: [{ user_id: cxAdmin.id, duty: 'zongzhi_centre' }] } })).status, 200);
  const clerk = await apiAs('fc_clerk');
  const r = await clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'land_requisition', complexity: 'simple', facts: '征地补偿款分配不均，三十余户村民扬言集体上访',
    region_id: await regionId(clerk, '警钟街社区'), people: 30, key_persons: true,
    parties: [{ role: 'applicant', name: '赵大成' }],
  });
  assert.equal(r.status, 201, r.text);
  assert.equal((await admin.get(`/api/v1/cases/${r.data.id}`)).data.risk, 'red');
  const alert = (await admin.get('/api/v1/alerts?state=all&per_page=500')).data.items.find((a) => a.case_id === r.data.id);
  assert.ok(alert, 'the red case raised an alert');

  const p = await more(PHONE);
  await p.goto(page.url());
  await loginOk(p, 'cx_admin');
  await p.goto(p.url().split('#')[0] + '#/alerts');
  const card = p.locator('[data-test=alert]', { hasText: r.data.number });
  await card.waitFor();
  assert.equal(await card.locator('[data-test=alert-level]').textContent(), '重大');
  assert.equal(await card.locator('[data-test=alert-state-tag]').textContent(), '待签收');
  const box = await card.boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width, `the card fits 390 px: ${JSON.stringify(box)}`);
  await shot(p, 'alerts-open-390.png');

  await card.locator('[data-test=alert-ack]').click();
  await p.locator('textarea[data-test=ack-note], [data-test=ack-note] textarea').first().fill('已通知包案领导，今日上门稳控');
  await shot(p, 'alerts-ack-dialog-390.png', { expand: false });
  await p.locator('[data-test=ack-submit]').click();
  await card.waitFor({ state: 'detached' });
  await p.locator('[data-test=alert-state]').getByText('已签收').click();
  const done = p.locator('[data-test=alert]', { hasText: r.data.number });
  await done.waitFor();
  assert.match(await done.locator('[data-test=alert-acked]').textContent(), /已通知包案领导，今日上门稳控/);
  await shot(p, 'alerts-acked-390.png');
});
