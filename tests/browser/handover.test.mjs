// Hand-over on screen (issue 9, part 2): the village mediator who holds an urgent case escalates
// it from the case page; the page then names the township's centre as the responsible unit, no
// mediator, and a routing history of two decisions; the mediator no longer sees the handling
// buttons. The centre's dispatcher assigns it with a lead leader chosen from the leaders, at a
// phone's width. Screenshots: build/screenshots/handover-*.png.

import assert from 'node:assert/strict';
import { browserSuite, loginOk, logout, shot, choose } from '../lib/browser.mjs';

const { test: browserTest, apiAs } = browserSuite({ demoArgs: ['--cases', '60'] });
const PHONE = { width: 390, height: 844 };

/** An urgent case in 警钟街社区, accepted and assigned to jzj_mediator over the API. */
async function heldCase() {
  const clerk = await apiAs('fc_clerk');
  const disp = await apiAs('fc_dispatcher');
  const village = (await clerk.get('/api/v1/regions?q=' + encodeURIComponent('警钟街社区'))).data.items
    .find((r) => r.name === '警钟街社区');
  const r = await clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'neighbour', complexity: 'simple', urgent: true,
    facts: '两户因排水沟堵塞多次争吵，情绪激动', region_id: village.id, parties: [{ role: 'applicant', name: '何平' }],
  });
  assert.equal(r.status, 201, r.text);
  const committee = (await disp.get('/api/v1/organizations?per_page=500')).data.items.find((o) => o.name === '警钟街社区人民调解委员会');
  const me = (await (await apiAs('jzj_mediator')).get('/api/v1/session')).data;
  const med = (await disp.get('/api/v1/mediators?per_page=500')).data.items.find((m) => m.user_id === (me.user?.id ?? me.id));
  assert.ok(committee && med, 'demo committee and mediator');
  for (const body of [{ action: 'accept' }, { action: 'assign', resp_org_id: committee.id, mediator_ids: [med.id] }]) {
    const x = await disp.post(`/api/v1/cases/${r.data.id}/transitions`, body);
    assert.equal(x.status, 200, `${body.action}: ${x.text}`);
  }
  return r.data;
}

async function openCase(page, id) {
  await page.evaluate((cid) => { location.hash = `#/cases/${cid}`; }, id);
  await page.locator('[data-test=case-detail] [data-test=case-number]').waitFor();
}

browserTest('back from a case returns to the register as it was left: its page and filters', async (page) => {
  await loginOk(page, 'fc_dispatcher');
  await page.evaluate(() => { location.hash = '#/cases?from=2000-01-01&page=2'; });
  await page.locator('[data-test=cases-table] [data-test=case-link]').first().waitFor();
  await page.locator('[data-test=cases-table] [data-test=case-link]').first().click();
  await page.locator('[data-test=case-detail] [data-test=case-number]').waitFor();
  await page.locator('[data-test=case-back]').click();
  await page.locator('[data-test=cases-table] [data-test=case-link]').first().waitFor();
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /page=2/, hash);
  assert.match(hash, /from=2000-01-01/, hash);
});

browserTest('the mediator escalates from the case page; the township centre holds it; its dispatcher assigns a lead leader on a phone', async (page, more) => {
  const k = await heldCase();
  await loginOk(page, 'jzj_mediator');
  await openCase(page, k.id);
  await page.locator('[data-test=action-escalate]').click();
  const dlg = page.locator('.el-dialog:visible');
  await dlg.locator('[data-field=reason] textarea').fill('矛盾激化，村级难以化解，申请上报街道');
  await dlg.locator('[data-test=action-submit]').click();
  await dlg.waitFor({ state: 'hidden' });
  await page.locator('[data-test=case-resp-org]', { hasText: '城厢街道' }).waitFor();
  assert.match(await page.locator('[data-test=case-level]').textContent(), /乡镇|街道/);
  assert.equal((await page.locator('[data-test=case-mediators]').textContent()).trim(), '—', 'the mediators are released');
  await page.locator('[data-test=case-routings]').waitFor();
  assert.equal(await page.locator('[data-test=case-routings] .el-table__body tr').count(), 2, 'both routing decisions are shown');
  // 四定三包: the former mediator reads the case but has no handling button left.
  assert.equal(await page.locator('[data-test=action-record_session]').count(), 0);
  assert.equal(await page.locator('[data-test=action-escalate]').count(), 0);
  // The unit above the mediator's area is named on the timeline, not shown as an id.
  const timeline = await page.locator('[data-test=case-timeline]').textContent();
  assert.match(timeline, /城厢街道社会矛盾纠纷调处化解中心/);
  assert.doesNotMatch(timeline, /#\d+/);
  await shot(page, 'handover-escalated.png');
  await logout(page);

  const phone = await more(PHONE);
  await phone.goto(page.url().split('#')[0]);
  await loginOk(phone, 'fc_dispatcher');
  await openCase(phone, k.id);
  await phone.locator('[data-test=action-assign]').click();
  const asg = phone.locator('.el-dialog:visible');
  await choose(phone, asg.locator('[data-field=lead_leader_id]'), '陈静');
  const width = await phone.evaluate(() => ({ doc: document.documentElement.scrollWidth, win: innerWidth }));
  assert.ok(width.doc <= width.win, `the assign dialog fits the phone: ${JSON.stringify(width)}`);
  await shot(phone, 'handover-assign-phone.png');
});
