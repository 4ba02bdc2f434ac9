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
