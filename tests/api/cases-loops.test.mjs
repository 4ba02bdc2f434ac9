// Closed loops: referral feedback due dates, court delegations reported back, paused clocks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertPage, assertValidation, loginAs, lookup, sqlOn, R } from './helpers.mjs';
import { runCli } from '../lib/server.mjs';

let srv, disp, med, ids, mediator;
before(async () => {
  srv = await startServer();
  ids = await lookup(await loginAs(srv.url, 'admin'));
  disp = await loginAs(srv.url, 'fc_dispatcher');
  med = await loginAs(srv.url, 'jzj_mediator');
  mediator = (await disp.get('/api/v1/mediators?q=黄志强')).data.items[0];
});
after(async () => { await srv?.stop(); });

const act = async (who, id, body, status = 200) => {
  const r = await who.post(`/api/v1/cases/${id}/transitions`, body);
  assert.equal(r.status, status, `${body.action}: ${r.text}`);
  return r;
};
const newCase = async (channel = 'walk_in') => (await disp.post('/api/v1/cases', {
  channel, category: 'contract', complexity: 'simple', facts: '合同纠纷',
  region_id: ids.region(R.dongjie).id, parties: [{ role: 'applicant', name: '甲' }],
})).data;

test('a referral owes feedback by a due date; when it passes the scheduler warns', async () => {
  const k = await newCase();
  const r = await act(disp, k.id, { action: 'refer', to_body: '涪城区人民法院', sent: '登记表及证据材料' });
  assert.match(r.data.due_date, /^\d{4}-\d{2}-\d{2}$/, 'a default feedback due date (15 working days)');
  const k2 = await newCase();
  const r2 = await act(disp, k2.id, { action: 'refer', to_body: '派出所', sent: '材料', feedback_due: '2026-01-05' });
  assert.equal(r2.data.due_date, '2026-01-05');
  assert.equal(assertValidation(await disp.post(`/api/v1/cases/${k.id}/transitions`, { action: 'feedback' })).feedback, 'required');
  const scan = runCli(['scan', ...srv.db.args]);
  assert.equal(scan.status, 0, scan.stderr);
  const w = assertPage(await disp.get('/api/v1/warnings?kind=due')).items;
  assert.ok(w.some((x) => x.case_id === k2.id && x.state === 'referred'), 'overdue feedback is warned');
});

test('a court-delegated case closes only with the report back to the court', async () => {
  const k = await newCase('court_delegation');
  await act(disp, k.id, { action: 'accept' });
  await act(disp, k.id, { action: 'assign', resp_org_id: ids.org('警钟街社区人民调解委员会').id, mediator_ids: [mediator.id] });
  await act(med, k.id, { action: 'record_session', held_at: '2026-11-20', record: '调解' });
  await act(med, k.id, { action: 'agree', terms: '还款' });
  assert.equal(assertValidation(await med.post(`/api/v1/cases/${k.id}/transitions`, { action: 'close' })).court_report, 'required');
  await act(med, k.id, { action: 'close', court_report: '已将调解协议及结果函告涪城区人民法院' });
});

test('suspending pauses the clock: resuming moves the due date by the days paused', async () => {
  const k = await newCase();
  await act(disp, k.id, { action: 'accept' });
  await act(disp, k.id, { action: 'assign', resp_org_id: ids.org('警钟街社区人民调解委员会').id, mediator_ids: [mediator.id] });
  const before = (await disp.get(`/api/v1/cases/${k.id}`)).data.due_date;
  await act(med, k.id, { action: 'suspend', reason: '等待伤残鉴定' });
  const r = await act(med, k.id, { action: 'resume' });
  const ev = (await disp.get(`/api/v1/cases/${k.id}/timeline`)).data.items.at(-1);
  assert.equal(ev.action, 'resume');
  assert.equal(ev.data.paused_days, 0, 'suspended and resumed on the same day');
  assert.equal(r.data.due_date, before);
  assert.equal(r.data.state, 'assigned');
});

test('a suspension of ten days moves the due date ten days on', async () => {
  const k = await newCase();
  await act(disp, k.id, { action: 'accept' });
  await act(disp, k.id, { action: 'assign', resp_org_id: ids.org('警钟街社区人民调解委员会').id, mediator_ids: [mediator.id] });
  const before = (await disp.get(`/api/v1/cases/${k.id}`)).data.due_date;
  await act(med, k.id, { action: 'suspend', reason: '当事人在外地务工，暂无法到场' });
  // The suspension happened ten days ago: its timeline event is dated back.
  sqlOn(srv.db, `UPDATE case_events SET at = at - ${10 * 86400000} WHERE case_id = ${k.id} AND action = 'suspend'`);
  const r = await act(med, k.id, { action: 'resume' });
  const ev = (await disp.get(`/api/v1/cases/${k.id}/timeline`)).data.items.at(-1);
  assert.equal(ev.data.paused_days, 10);
  // Ten days on; a period that ends on a rest day ends on the next working day (民法典
  // art. 203), so the expected day comes from the calendar, not from adding 10 by hand.
  const want = (await disp.get(`/api/v1/calendar/add?from=${before}&days=10&kind=calendar`)).data.due;
  assert.equal(r.data.due_date, want, `${before} + 10 days = ${r.data.due_date}`);
  const day = (s) => Date.parse(s + 'T00:00:00Z') / 86400000;
  assert.ok(day(r.data.due_date) - day(before) >= 10);
  assert.equal(ev.data.due_date, r.data.due_date);
});

test('a court-entrusted case has 30 days and may be extended once by 30 with the court\'s consent', async () => {
  const sup = await loginAs(srv.url, 'fc_supervisor');
  const k = await newCase('court_delegation');
  const a = await act(disp, k.id, { action: 'accept' });
  assert.equal(a.data.time_limit_days, 30);
  assert.equal(assertValidation(await sup.post(`/api/v1/cases/${k.id}/transitions`, { action: 'extend', reason: '需补充证据' })).consent, 'required');
  const r = await act(sup, k.id, { action: 'extend', reason: '需补充证据', consent: '涪城区人民法院同意延长' });
  // Thirty days on, ending on a working day (民法典 art. 203).
  const plus30 = (await sup.get(`/api/v1/calendar/add?from=${a.data.due_date}&days=30&kind=calendar`)).data.due;
  assert.equal(r.data.due_date, plus30);
  assert.equal(r.data.extended, true);
  const again = await sup.post(`/api/v1/cases/${k.id}/transitions`, { action: 'extend', reason: '再延', consent: '同意' });
  assert.equal(again.status, 409);
  assert.equal(again.data.reason, 'already_extended');
});

test('a petition-related matter has 60 days', async () => {
  const k = await newCase('petition_transfer');
  assert.equal((await act(disp, k.id, { action: 'accept' })).data.time_limit_days, 60);
});

test('the register filters by responsible unit, mediator and received dates', async () => {
  const k = await newCase();
  const org = ids.org('警钟街社区人民调解委员会').id;
  await act(disp, k.id, { action: 'accept' });
  await act(disp, k.id, { action: 'assign', resp_org_id: org, mediator_ids: [mediator.id] });
  const list = async (q) => assertPage(await disp.get(`/api/v1/cases?per_page=500&${q}`)).items.map((c) => c.id);
  assert.ok((await list(`resp_org_id=${org}`)).includes(k.id));
  assert.ok(!(await list(`resp_org_id=${ids.org('解放街社区人民调解委员会').id}`)).includes(k.id));
  assert.ok((await list(`mediator_id=${mediator.id}`)).includes(k.id));
  assert.ok(!(await list(`mediator_id=${mediator.id + 1000}`)).includes(k.id));
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  assert.ok((await list(`from=${today}&to=${today}`)).includes(k.id));
  assert.ok(!(await list('to=2020-01-01')).includes(k.id));
  assert.equal(assertValidation(await disp.get('/api/v1/cases?from=yesterday')).from, 'invalid');
  // 我的案件: the mediator whose profile is on the case sees it under mine=true; the
  // township mediator (who sees the case) and the dispatcher (not on it) do not.
  const mine = async (who) => assertPage(await who.get('/api/v1/cases?per_page=500&mine=true')).items;
  const medMine = await mine(med);
  assert.ok(medMine.some((c) => c.id === k.id), 'the mediator\'s own case');
  assert.ok(medMine.every((c) => c.mediator_ids.includes(mediator.id) || c.resp_user_id === ids.user('jzj_mediator').id),
    'only cases the mediator is on');
  assert.ok(!(await mine(await loginAs(srv.url, 'cx_mediator'))).some((c) => c.id === k.id));
  assert.ok(!(await mine(disp)).some((c) => c.id === k.id));
  assert.equal(assertValidation(await disp.get('/api/v1/cases?mine=perhaps')).mine, 'invalid');
});

test('a repeated report is merged into the case that goes on; both keep their histories', async () => {
  const first = await newCase();
  const again = await newCase();
  assert.equal(assertValidation(await disp.post(`/api/v1/cases/${again.id}/transitions`, { action: 'merge', into: again.id })).into, 'invalid');
  const r = await act(disp, again.id, { action: 'merge', into: first.id, reason: '同一纠纷重复来访' });
  assert.equal(r.data.state, 'closed');
  assert.equal(r.data.related_to, first.id);
  const mine = (await disp.get(`/api/v1/cases/${again.id}/timeline`)).data.items.map((e) => e.action);
  assert.deepEqual(mine, ['register', 'merge']);
  const theirs = (await disp.get(`/api/v1/cases/${first.id}/timeline`)).data.items;
  const m = theirs.find((e) => e.action === 'merged_in');
  assert.equal(m.data.case_id, again.id);
  assert.equal((await disp.get(`/api/v1/cases/${first.id}`)).data.state, 'registered');
});
