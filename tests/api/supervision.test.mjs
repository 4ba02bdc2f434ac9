// Supervision orders (督办): issued by supervisors and leaders, answered by those handling the case.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertPage, assertProblem, assertValidation, loginAs, lookup, R } from './helpers.mjs';

let srv, sup, disp, kase;
before(async () => {
  srv = await startServer();
  const ids = await lookup(await loginAs(srv.url, 'admin'));
  sup = await loginAs(srv.url, 'fc_supervisor');
  disp = await loginAs(srv.url, 'fc_dispatcher');
  const r = await disp.post('/api/v1/cases', {
    channel: 'walk_in', category: 'wage_arrears', complexity: 'ordinary', facts: '工地拖欠工资',
    region_id: ids.region(R.dongjie).id, people: 20, parties: [{ role: 'applicant', name: '甲' }],
  });
  assert.equal(r.status, 201, r.text);
  kase = r.data;
});
after(async () => { await srv?.stop(); });

test('a supervisor puts a case under supervision with a deadline; it is on the timeline', async () => {
  const past = await sup.post(`/api/v1/cases/${kase.id}/supervision`, { level: 'listed', content: '请于期限内化解并报告', deadline: '2020-01-10' });
  assert.equal(assertValidation(past).deadline, 'invalid', 'a deadline in the past is refused');
  const r = await sup.post(`/api/v1/cases/${kase.id}/supervision`, { level: 'listed', content: '请于期限内化解并报告', deadline: '2030-01-10' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.data.status, 'open');
  assert.equal(r.data.level, 'listed');
  const t = (await disp.get(`/api/v1/cases/${kase.id}/timeline`)).data.items;
  assert.ok(t.some((e) => e.action === 'supervise'));
});

test('open orders are listed (not as overdue before their deadline); a reply closes one, only once', async () => {
  const open = assertPage(await sup.get('/api/v1/supervision?status=open')).items;
  const order = open.find((o) => o.case_id === kase.id);
  assert.ok(order, 'the open order is listed');
  assert.ok(!assertPage(await sup.get('/api/v1/supervision?status=open&overdue=true')).items.some((o) => o.id === order.id));
  const r = await disp.post(`/api/v1/supervision/${order.id}/reply`, { reply: '已召集双方调解，约定分期支付' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.status, 'answered');
  const again = assertProblem(await disp.post(`/api/v1/supervision/${order.id}/reply`, { reply: '再次答复' }), 409, 'conflict');
  assert.match(again.detail, /answered already/);
  assert.ok(!assertPage(await sup.get('/api/v1/supervision?status=open')).items.some((o) => o.id === order.id));
});

test('only supervisors and leaders issue orders; details are validated; scope holds', async () => {
  assertProblem(await disp.post(`/api/v1/cases/${kase.id}/supervision`, { content: 'x', deadline: '2027-01-01' }), 403, 'forbidden');
  const v = assertValidation(await sup.post(`/api/v1/cases/${kase.id}/supervision`, { level: 'urgent', deadline: 'soon' }));
  assert.deepEqual(Object.keys(v).sort(), ['content', 'deadline', 'level']);
  const far = await loginAs(srv.url, 'jfj_mediator');
  assert.equal(assertPage(await far.get('/api/v1/supervision')).total, 0);
});

test('once a unit is responsible, only its staff, the responsible person and the case\'s mediators answer (else 403)', async () => {
  const admin = await loginAs(srv.url, 'admin');
  const ids = await lookup(admin);
  const jzj = await loginAs(srv.url, 'jzj_mediator'); // a member of 警钟街社区人民调解委员会
  const cx = await loginAs(srv.url, 'cx_mediator'); // 城厢街道: sees the case, does not answer for it
  const mediator = (await disp.get('/api/v1/mediators?q=黄志强')).data.items[0];
  const k = (await disp.post('/api/v1/cases', {
    channel: 'walk_in', category: 'contract', complexity: 'simple', facts: '货款纠纷',
    region_id: ids.region(R.dongjie).id, parties: [{ role: 'applicant', name: '乙' }],
  })).data;
  for (const body of [{ action: 'accept' }, { action: 'assign', resp_org_id: ids.org('警钟街社区人民调解委员会').id, mediator_ids: [mediator.id] }]) {
    const r = await disp.post(`/api/v1/cases/${k.id}/transitions`, body);
    assert.equal(r.status, 200, r.text);
  }
  const order = (await sup.post(`/api/v1/cases/${k.id}/supervision`, { level: 'supervise', content: '请尽快化解', deadline: '2030-02-01' })).data;
  assert.ok(order.id, 'order issued');
  assert.equal((await cx.get(`/api/v1/cases/${k.id}`)).status, 200, 'the township mediator sees the case');
  const refused = assertProblem(await cx.post(`/api/v1/supervision/${order.id}/reply`, { reply: '知悉' }), 403, 'forbidden');
  assert.match(refused.detail, /responsible unit/);
  assertProblem(await disp.post(`/api/v1/supervision/${order.id}/reply`, { reply: '知悉' }), 403, 'forbidden');
  const r = await jzj.post(`/api/v1/supervision/${order.id}/reply`, { reply: '已联系双方，本周内组织调解' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.status, 'answered');
});
