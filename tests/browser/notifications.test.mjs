// Browser tests of the bell and the notification screens (docs/notifications.md): a court
// answers a referral through its partner token; the referring dispatcher's bell shows the
// unread count, the list opens from it, marking one read lowers the count to zero. The
// administrator's 消息推送与对接 screen lists an endpoint and a dead letter with 重发.
// Screenshots at 1366 px and 390 px.

import assert from 'node:assert/strict';
import { browserSuite, loginOk, shot } from '../lib/browser.mjs';

const { test: browserTest, apiAs, server } = browserSuite({ extraArgs: ['--notify-interval', '0'] });
const LAPTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

/** A case referred to a court by fc_dispatcher and answered by the court's partner token. */
async function answeredReferral(admin) {
  const disp = await apiAs('fc_dispatcher');
  const fucheng = (await admin.get('/api/v1/regions?q=' + encodeURIComponent('涪城区'))).data.items.find((r) => r.name === '涪城区');
  const village = (await admin.get('/api/v1/regions?q=' + encodeURIComponent('警钟街社区'))).data.items.find((r) => r.name === '警钟街社区');
  const court = await admin.post('/api/v1/organizations', { name: `涪城区人民法院${Date.now() % 100000}`, type: 'court', region_id: fucheng.id });
  assert.equal(court.status, 201, court.text);
  const user = await admin.post('/api/v1/users', { login: `court${Date.now() % 100000}`, name: '法院对接', password: 'partner-pass-123', roles: ['partner'], org_id: court.data.id });
  assert.equal(user.status, 201, user.text);
  const token = (await admin.post('/api/v1/tokens', { user_id: user.data.id, name: '诉调对接' })).data.token;
  const k = (await disp.post('/api/v1/cases', {
    channel: 'walk_in', category: 'contract', complexity: 'simple', facts: '货款纠纷，调解不成拟起诉',
    region_id: village.id, parties: [{ role: 'applicant', name: '钱进' }],
  })).data;
  const r = await disp.post(`/api/v1/cases/${k.id}/transitions`, { action: 'refer', to_body: court.data.name, sent: '移交函及证据材料', to_org_id: court.data.id });
  assert.equal(r.status, 200, r.text);
  const res = await fetch(`${server().url}/api/v1/partner/referrals/${k.id}/feedback`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ feedback: '已立案受理，案号（2026）川0703民初1234号' }),
  });
  assert.equal(res.status, 200, await res.text());
  return { k, court: court.data };
}

const bellCount = async (page) => {
  const badge = page.locator('[data-test=bell] .el-badge__content');
  return (await badge.isVisible()) ? Number(await badge.textContent()) : 0;
};

browserTest('the bell shows the unread count; the list marks a notification read', async (page, more) => {
  const admin = await apiAs('admin');
  const { k } = await answeredReferral(admin);
  const api = await apiAs('fc_dispatcher');
  const unread = (await api.get('/api/v1/notifications?unread=true')).data.unread;
  assert.ok(unread >= 1);

  const p = await more(LAPTOP);
  await p.goto(page.url());
  await loginOk(p, 'fc_dispatcher');
  await p.locator('[data-test=bell] .el-badge__content').waitFor();
  assert.equal(await bellCount(p), unread, 'the bell shows the unread count');
  await shot(p, 'notifications-bell-1366.png', { expand: false });
  await p.setViewportSize(PHONE);
  await p.locator('[data-test=bell] .el-badge__content').waitFor();
  assert.ok(await p.locator('[data-test=bell]').isVisible(), 'the bell stays in the phone header');
  await shot(p, 'notifications-bell-390.png', { expand: false });
  await p.setViewportSize(LAPTOP);

  await p.locator('[data-test=bell]').click();
  await p.locator('[data-test=notifications]').waitFor();
  const item = p.locator('.jf-inbox-item', { hasText: k.number });
  await item.waitFor();
  assert.equal(await item.getAttribute('data-read'), 'no');
  assert.match(await item.textContent(), /移交反馈/);
  assert.match(await item.textContent(), /已立案受理/);
  await shot(p, 'notifications-list-1366.png');
  await p.setViewportSize(PHONE);
  await shot(p, 'notifications-list-390.png');
  assert.ok(await item.getByRole('button', { name: '查看' }).isVisible(), 'a link to the case');
  await item.locator('[data-test=notice-read]').click();
  await p.waitForFunction((n) => document.querySelector('.jf-inbox-item[data-read="yes"]')?.textContent.includes(n), k.number);
  // The bell counts again: one less.
  await p.waitForFunction((n) => {
    const b = document.querySelector('[data-test=bell] .el-badge__content');
    const shown = b && getComputedStyle(b).display !== 'none' ? Number(b.textContent) : 0;
    return shown === n;
  }, unread - 1);
  const after = (await api.get('/api/v1/notifications')).data;
  assert.equal(after.unread, unread - 1);
  assert.ok(after.items.find((n) => n.case_id === k.id).read_at, 'read on the server');
  await shot(p, 'notifications-read-390.png');
});

browserTest('the administrator sees endpoints and a dead letter with 重发', async (page, more) => {
  const admin = await apiAs('admin');
  const fucheng = (await admin.get('/api/v1/regions?q=' + encodeURIComponent('涪城区'))).data.items.find((r) => r.name === '涪城区');
  assert.equal((await admin.request('PUT', '/api/v1/settings/notify_max_attempts', { json: { value: '1' } })).status, 200);
  const ep = await admin.post('/api/v1/notify/endpoints', { name: '信访局系统', channel: 'webhook', url: 'http://127.0.0.1:9/hook', secret: 'a-long-shared-secret-0123456789', region_id: fucheng.id, kinds: 'case.referred' });
  assert.equal(ep.status, 201, ep.text);
  await admin.post(`/api/v1/notify/endpoints/${ep.data.id}/test`, {});
  const { execFileSync } = await import('node:child_process');
  const { BIN } = await import('../lib/server.mjs');
  execFileSync(BIN, ['notify', ...server().db.args, '--key', server().keyFile, 'run', '--once']);
  const dead = (await admin.get('/api/v1/outbox?state=dead')).data.items;
  assert.equal(dead.length, 1, 'port 9 refuses: one dead letter');

  const p = await more(LAPTOP);
  await p.goto(page.url());
  await loginOk(p, 'admin');
  // The phone first: the laptop then replays the dead letter.
  for (const [viewport, tag] of [[PHONE, '390'], [LAPTOP, '1366']]) {
    await p.setViewportSize(viewport);
    await p.goto(server().url + '/#/notify-admin');
    await p.getByRole('tab', { name: '推送地址' }).click();
    await p.locator('[data-test=endpoints-table]').getByText('信访局系统').waitFor();
    await shot(p, `notify-admin-endpoints-${tag}.png`);
    await p.getByRole('tab', { name: '投递失败（死信）' }).click();
    await p.locator('[data-test=dead-table] [data-test=dead-replay]').first().waitFor();
    await shot(p, `notify-admin-dead-${tag}.png`);
    if (tag === '1366') {
      await p.locator('[data-test=dead-table] [data-test=dead-replay]').first().click();
      await p.waitForFunction(() => !document.querySelector('[data-test=dead-table] [data-test=dead-replay]'));
      const back = (await admin.get('/api/v1/outbox?state=pending')).data.items;
      assert.ok(back.some((o) => o.id === dead[0].id), 'replayed: pending again');
      await p.getByRole('tab', { name: '推送地址' }).click();
      await p.locator('[data-test=endpoint-create]').click();
      await p.locator('[data-test=endpoint-dialog]').waitFor();
      await shot(p, `notify-admin-dialog-${tag}.png`, { expand: false });
      await p.locator('[data-test=endpoint-dialog]').getByRole('button', { name: '取消' }).click();
      await p.locator('[data-test=endpoint-dialog]').waitFor({ state: 'hidden' });
    }
  }
});
