// Agreements with a payment plan: fulfilment (履行率) and judicial confirmation (司法确认).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertProblem, assertValidation, loginAs, lookup, R } from './helpers.mjs';

let srv, disp, med, kase;
const day = (offset) => new Date(Date.now() + 8 * 3600e3 + offset * 86400e3).toISOString().slice(0, 10);
before(async () => {
  srv = await startServer();
  const ids = await lookup(await loginAs(srv.url, 'admin'));
  disp = await loginAs(srv.url, 'fc_dispatcher');
  med = await loginAs(srv.url, 'jzj_mediator');
  const r = await disp.post('/api/v1/cases', {
    channel: 'walk_in', category: 'contract', complexity: 'simple', facts: '欠款纠纷',
    region_id: ids.region(R.dongjie).id, parties: [{ role: 'applicant', name: '甲' }],
  });
  kase = r.data;
  const m = (await disp.get('/api/v1/mediators?q=黄志强')).data.items[0];
  for (const [who, body] of [[disp, { action: 'accept' }],
    [disp, { action: 'assign', resp_org_id: ids.org('警钟街社区人民调解委员会').id, mediator_ids: [m.id] }],
    [med, { action: 'record_session', held_at: '2026-11-20', record: '协商还款' }]]) {
    const x = await who.post(`/api/v1/cases/${kase.id}/transitions`, body);
    assert.equal(x.status, 200, x.text);
  }
});
after(async () => { await srv?.stop(); });

test('before an agreement there is nothing to confirm', async () => {
  assertProblem(await med.request('PUT', `/api/v1/cases/${kase.id}/confirmation`, { json: { applied_on: day(0), court: '涪城区人民法院' } }), 409, 'conflict');
});

test('an agreement may carry instalments; bad ones are named', async () => {
  const bad = await med.post(`/api/v1/cases/${kase.id}/transitions`, { action: 'agree', terms: '分期还款', instalments: [{ due_date: 'soon', amount: 100 }] });
  assert.equal(assertValidation(bad).instalments, 'invalid');
  const r = await med.post(`/api/v1/cases/${kase.id}/transitions`, {
    action: 'agree', terms: '乙分三期归还借款三千元', instalments: [
      { due_date: day(10), amount: 1000 }, { due_date: day(40), amount: 1000 }, { due_date: day(70), amount: 1000 }],
  });
  assert.equal(r.status, 200, r.text);
  const f = (await med.get(`/api/v1/cases/${kase.id}/fulfilment`)).data;
  assert.equal(f.count, 3);
  assert.equal(f.amount, 3000);
  assert.equal(f.fulfilment_rate, 0);
  assert.equal(f.confirmation_deadline, day(30));
});

test('marking instalments paid moves the fulfilment rate', async () => {
  const f = (await med.get(`/api/v1/cases/${kase.id}/fulfilment`)).data;
  const first = f.instalments[0];
  assert.equal(assertValidation(await med.patch(`/api/v1/cases/${kase.id}/instalments/${first.id}`, { status: 'paid' })).paid_on, 'required');
  const r = await med.patch(`/api/v1/cases/${kase.id}/instalments/${first.id}`, { status: 'paid', paid_on: day(9) });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.paid, 1);
  assert.ok(Math.abs(r.data.fulfilment_rate - 1 / 3) < 1e-9);
  const late = await med.patch(`/api/v1/cases/${kase.id}/instalments/${f.instalments[1].id}`, { status: 'defaulted', note: '逾期未付' });
  assert.equal(late.data.instalments[1].status, 'defaulted');
  assertProblem(await med.patch(`/api/v1/cases/${kase.id}/instalments/999999`, { status: 'paid', paid_on: day(0) }), 404, 'not-found');
});

test('judicial confirmation: within 30 days of the agreement (人民调解法 art. 33)', async () => {
  const late = await med.request('PUT', `/api/v1/cases/${kase.id}/confirmation`, { json: { applied_on: day(31), court: '涪城区人民法院' } });
  assert.equal(assertValidation(late).applied_on, 'invalid');
  const ok = await med.request('PUT', `/api/v1/cases/${kase.id}/confirmation`, { json: { applied_on: day(3), court: '涪城区人民法院' } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.data.confirmation.result, 'pending');
  assert.equal(ok.data.court, '绵阳市涪城区人民法院', 'the court of the place the dispute arose is offered');
  const undated = await med.request('PUT', `/api/v1/cases/${kase.id}/confirmation`, { json: { applied_on: day(3), court: '涪城区人民法院', result: 'confirmed' } });
  assert.equal(assertValidation(undated).decided_on, 'required', 'a decision has a day');
  const backwards = await med.request('PUT', `/api/v1/cases/${kase.id}/confirmation`, { json: { applied_on: day(3), court: '涪城区人民法院', result: 'rejected', decided_on: day(1) } });
  assert.equal(assertValidation(backwards).decided_on, 'invalid', 'not decided before it was applied for');
  const done = await med.request('PUT', `/api/v1/cases/${kase.id}/confirmation`, { json: { applied_on: day(3), court: '涪城区人民法院', result: 'confirmed', decided_on: day(12) } });
  assert.equal(done.data.confirmation.result, 'confirmed');
  const t = (await med.get(`/api/v1/cases/${kase.id}/timeline`)).data.items;
  assert.ok(t.some((e) => e.action === 'judicial_confirmation') && t.some((e) => e.action === 'fulfilment'));
});
