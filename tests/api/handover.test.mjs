// Hand-over (上报 and 改派) over HTTP: an escalated case leaves the village and lands in the
// township centre's queue with its supervision orders, its mediators released (四定三包: the new
// unit assigns its own); re-routing keeps every routing decision; a failed mediation goes to a
// court (诉调对接) and comes back with feedback; the lead leader (包案领导) sees the case among his
// own; invited experts are shown by name. Time limits end on working days (民法典 art. 203),
// checked against the calendar the API publishes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertStatus, assertValidation, assertProblem, assertRefused, loginAs, lookup, listAll, sqlOn,
  residentId, mobile, R, O,
} from './helpers.mjs';

const LOGINS = ['fc_clerk', 'fc_dispatcher', 'fc_supervisor', 'fc_leader', 'cx_admin', 'cx_mediator', 'jzj_mediator'];
let srv, ids, jzjMed, cxMed, countyMed, experts;
const as = {};
before(async () => {
  srv = await startServer();
  as.admin = await loginAs(srv.url, 'admin');
  ids = await lookup(as.admin);
  for (const l of LOGINS) as[l] = await loginAs(srv.url, l);
  const meds = await listAll(as.admin, '/api/v1/mediators');
  const byUser = (login) => meds.find((m) => m.user_id === ids.user(login).id);
  jzjMed = byUser('jzj_mediator');
  cxMed = byUser('cx_mediator');
  countyMed = meds.find((m) => (m.org_ids || []).includes(ids.org(O.fuchengCenter).id));
  assert.ok(jzjMed && cxMed && countyMed, 'the demo mediators of 警钟街社区, 城厢街道 and the county centre');
  experts = await listAll(as.admin, '/api/v1/experts');
  assert.ok(experts.length >= 2, 'the demo expert library');
});
after(async () => { await srv?.stop(); });

const JZJ = () => ids.region(R.dongjie).id;
const committee = () => ids.org(O.djCommittee).id;
const cxCenter = () => ids.org(O.cxCenter).id;

async function register(extra = {}) {
  const r = await as.fc_clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: '楼上漏水殃及楼下，协商未果', region_id: JZJ(),
    parties: [{ role: 'applicant', name: '陈玉兰', id_number: residentId(), phone: mobile() }, { role: 'respondent', name: '周德明' }],
    ...extra,
  });
  assertStatus(r, 201, 'intake');
  return r.data;
}

async function act(client, id, body, what = body.action) {
  const r = await client.post(`/api/v1/cases/${id}/transitions`, body);
  assertStatus(r, 200, what);
  return r.data;
}

async function getCase(id, client = as.fc_dispatcher) {
  const r = await client.get(`/api/v1/cases/${id}`);
  assertStatus(r, 200, `GET case ${id}`);
  return r.data;
}

async function timeline(id) {
  const r = await as.fc_dispatcher.get(`/api/v1/cases/${id}/timeline`);
  assertStatus(r, 200, 'timeline');
  return r.data.items;
}

const SESSION = (n) => ({ action: 'record_session', held_at: `2026-11-0${n} 09:30`, record: `第${n}次调解`, place: '调解室' });
const assignVillage = (extra = {}) => ({ action: 'assign', resp_org_id: committee(), mediator_ids: [jzjMed.id], ...extra });

/** A case accepted and assigned to jzj_mediator's committee. */
async function assigned(extra = {}) {
  const k = await register(extra);
  await act(as.fc_dispatcher, k.id, { action: 'accept' });
  await act(as.fc_dispatcher, k.id, assignVillage());
  return k;
}

const queue = async (client, org) => (await listAll(client, `/api/v1/cases?resp_org_id=${org}`)).map((k) => k.id);

test('escalation from 警钟街社区: the township centre\'s queue takes it, its mediators are released, both routings stay', async () => {
  const k = await assigned();
  const order = await as.fc_supervisor.post(`/api/v1/cases/${k.id}/supervision`, { level: 'supervise', content: '请尽快化解', deadline: '2030-01-10' });
  assertStatus(order, 201, 'order');
  const listed = async () => (await listAll(as.fc_supervisor, `/api/v1/supervision?case_id=${k.id}`)).find((o) => o.id === order.data.id);
  assert.equal((await listed()).resp_org_name, O.djCommittee, 'the order is filed under the village committee first');
  assert.ok((await queue(as.fc_dispatcher, committee())).includes(k.id));

  for (const n of [1, 2, 3]) await act(as.jzj_mediator, k.id, SESSION(n));
  const up = await act(as.jzj_mediator, k.id, { action: 'escalate', reason: '村级三次调解未果，上报街道' });
  assert.equal(up.state, 'accepted');
  assert.equal(up.level, 'township');

  const c = await getCase(k.id);
  assert.equal(c.resp_org_id, cxCenter());
  assert.equal(c.resp_org_name, O.cxCenter);
  assert.deepEqual(c.mediator_ids, [], 'the village mediators are released');
  assert.equal(c.resp_user_id ?? null, null);
  assert.equal(c.sessions_at_level, 0, '三三制 counts again at the township');
  assert.equal(c.routings.length, 2, JSON.stringify(c.routings));
  assert.deepEqual(c.routings.map((h) => h.action), ['accept', 'escalate']);
  assert.equal(c.routings[0].level, 'village');
  assert.equal(c.routings[1].level, 'township');
  assert.equal(c.routings[1].resp_org_name, O.cxCenter);
  assert.equal(c.routings[1].reason, '村级三次调解未果，上报街道');

  // The township centre's queue has it; the village committee's does not any more.
  assert.ok((await queue(as.cx_admin, cxCenter())).includes(k.id), 'in the township unit\'s queue');
  assert.ok(!(await queue(as.fc_dispatcher, committee())).includes(k.id), 'gone from the village committee\'s queue');
  // The order followed the case.
  assert.equal((await listed()).resp_org_name, O.cxCenter, 'the supervision order is listed under the new unit');

  // The timeline keeps who had it.
  const tl = await timeline(k.id);
  const asg = tl.find((e) => e.action === 'assign');
  assert.deepEqual(asg.data.mediator_ids, [jzjMed.id]);
  assert.deepEqual(tl.at(-1).data.released_mediators, [jzjMed.id]);

  // The township assigns its own mediator, who acts; the released one only reads.
  await act(as.fc_dispatcher, k.id, { action: 'assign', resp_org_id: ids.org(O.cxCommittee).id, mediator_ids: [cxMed.id] });
  assertRefused(await as.jzj_mediator.post(`/api/v1/cases/${k.id}/transitions`, SESSION(4)), 'not_holder');
  assert.equal((await getCase(k.id, as.jzj_mediator)).id, k.id, 'the released mediator still reads the case');
  assertProblem(await as.jzj_mediator.post(`/api/v1/supervision/${order.data.id}/reply`, { reply: '知悉' }), 403, 'forbidden');
  const s = await act(as.cx_mediator, k.id, SESSION(4));
  assert.equal(s.state, 'mediating');
  assert.equal(s.sessions_at_level, 1);
  assertStatus(await as.cx_mediator.post(`/api/v1/supervision/${order.data.id}/reply`, { reply: '街道已组织调解' }), 200, 'reply');
});

test('an urgent case is handed up before three sessions', async () => {
  const k = await assigned({ urgent: true });
  const up = await act(as.jzj_mediator, k.id, { action: 'escalate', reason: '紧急，直接上报' });
  assert.equal(up.level, 'township');
  assert.equal(up.resp_org_id, cxCenter());
  assert.deepEqual(up.mediator_ids, []);
  // The released mediator reads the case but no longer acts on it, not even to withdraw it.
  assertRefused(await as.jzj_mediator.post(`/api/v1/cases/${k.id}/transitions`, { action: 'withdraw', by: '申请人', reason: '撤回' }), 'not_holder');
  assert.ok(!(await as.jzj_mediator.get(`/api/v1/cases/${k.id}/transitions`)).data.actions.includes('withdraw'));
});

test('the township centre assigns an escalated case, naming the county\'s leader as 包案领导', async () => {
  const k = await assigned({ urgent: true });
  await act(as.jzj_mediator, k.id, { action: 'escalate', reason: '紧急，直接上报' });
  const leaders = (await as.cx_admin.get('/api/v1/leaders')).data.items;
  assert.ok(leaders.some((l) => l.id === ids.user('fc_leader').id), 'a leader of the county above is offered');
  assert.ok(leaders.every((l) => !('login' in l) && !('phone' in l)), 'names only');
  const a = await act(as.cx_admin, k.id, { action: 'assign', resp_org_id: cxCenter(), mediator_ids: [cxMed.id], lead_leader_id: ids.user('fc_leader').id });
  assert.equal(a.state, 'assigned');
  assert.equal(a.lead_leader_id, ids.user('fc_leader').id);
  // The village's staff still read the case, with the township's unit and mediator by name.
  const seen = await getCase(k.id, as.jzj_mediator);
  assert.deepEqual(seen.mediators, [{ id: cxMed.id, name: cxMed.name }]);
  const assign = (await (await as.jzj_mediator.get(`/api/v1/cases/${k.id}/timeline`)).data.items).filter((e) => e.action === 'assign').pop();
  assert.equal(assign.data.resp_org_name, O.cxCenter);
  assert.deepEqual(assign.data.mediator_names, [cxMed.name]);
  // The lead leader is a user: the name typed as text, as it once was, is refused.
  const typed = assertValidation(await as.cx_admin.post(`/api/v1/cases/${k.id}/transitions`,
    { action: 'assign', resp_org_id: cxCenter(), mediator_ids: [cxMed.id], lead_leader: '王书记' }));
  assert.equal(typed.lead_leader, 'unknown');
});

test('an escalated case re-routed stays at the level it was escalated to', async () => {
  const k = await assigned({ urgent: true });
  await act(as.jzj_mediator, k.id, { action: 'escalate', reason: '紧急，直接上报' });
  const r = await act(as.fc_dispatcher, k.id, { action: 'reroute', reason: '改由街道矛调中心另行指派', resp_org_id: cxCenter() });
  assert.equal(r.level, 'township', 'not sent back down to the village');
  assert.equal(r.routings.length, 3);
  assert.equal(r.routings[2].level, 'township');
});

test('a court-delegated case handed up keeps the court\'s 30-day period', async () => {
  const k = await assigned({ channel: 'court_delegation', urgent: true });
  const before = await getCase(k.id);
  assert.equal(before.time_limit_days, 30);
  const up = await act(as.jzj_mediator, k.id, { action: 'escalate', reason: '需街道协调' });
  assert.equal(up.level, 'township');
  assert.equal(up.due_date, before.due_date, 'the court\'s period runs from the delegation');
  assert.equal(up.time_limit_days, 30);
});

test('re-routing with a reason keeps the old decision beside the new; without a reason it is refused', async () => {
  const k = await assigned();
  const before = (await getCase(k.id)).routings;
  assert.equal(before.length, 1);
  assert.equal(assertValidation(await as.fc_dispatcher.post(`/api/v1/cases/${k.id}/transitions`, { action: 'reroute' })).reason, 'required');
  const r = await act(as.fc_dispatcher, k.id, { action: 'reroute', reason: '当事人均住解放街社区', resp_org_id: ids.org(O.xjCommittee).id });
  assert.equal(r.state, 'accepted');
  const c = await getCase(k.id);
  assert.equal(c.resp_org_id, ids.org(O.xjCommittee).id);
  assert.deepEqual(c.mediator_ids, []);
  assert.equal(c.routings.length, 2);
  assert.deepEqual(c.routings[0], before[0], 'the first decision is kept as it was');
  assert.equal(c.routings[1].action, 'reroute');
  assert.equal(c.routings[1].reason, '当事人均住解放街社区');
  assert.equal(c.routings[1].resp_org_name, O.xjCommittee);
  assertRefused(await as.jzj_mediator.post(`/api/v1/cases/${k.id}/transitions`, { action: 'invite_experts', expert_ids: [experts[0].id] }), 'wrong_state');
});

test('after a failed mediation and the supervisor\'s review, a referral to a court owes feedback, then closes', async () => {
  const k = await assigned();
  await act(as.jzj_mediator, k.id, SESSION(1));
  await act(as.jzj_mediator, k.id, { action: 'fail', reason: '赔偿金额分歧大', guidance: 'litigation' });
  await act(as.fc_supervisor, k.id, { action: 'review_failure', opinion: '同意引导诉讼' });
  assert.equal(assertValidation(await as.fc_supervisor.post(`/api/v1/cases/${k.id}/transitions`,
    { action: 'refer', to_body: '涪城区人民法院', sent: '卷宗', to_kind: 'tribunal' })).to_kind, 'invalid');
  const r = await act(as.fc_supervisor, k.id, { action: 'refer', to_body: '涪城区人民法院', sent: '卷宗及调解记录', to_kind: 'court' });
  assert.equal(r.state, 'referred');
  assert.ok(await isWorkday(r.due_date), `feedback due ${r.due_date} is a working day`);
  const ev = (await timeline(k.id)).at(-1);
  assert.equal(ev.action, 'refer');
  assert.equal(ev.data.to_kind, 'court');
  assert.equal(ev.data.feedback_due, r.due_date);
  assertRefused(await as.fc_supervisor.post(`/api/v1/cases/${k.id}/transitions`, { action: 'close' }), 'no_feedback');
  await act(as.fc_supervisor, k.id, { action: 'feedback', feedback: '法院已立案受理' });
  assert.equal((await act(as.fc_supervisor, k.id, { action: 'close', summary: '移交法院' })).state, 'closed');
});

test('the lead leader (包案领导): a leader named on assignment finds the case among his own; a non-leader is refused', async () => {
  const k = await register();
  await act(as.fc_dispatcher, k.id, { action: 'accept' });
  const clerk = assertValidation(await as.fc_dispatcher.post(`/api/v1/cases/${k.id}/transitions`, assignVillage({ lead_leader_id: ids.user('fc_clerk').id })));
  assert.equal(clerk.lead_leader_id, 'invalid');
  const a = await act(as.fc_dispatcher, k.id, assignVillage({ lead_leader_id: ids.user('fc_leader').id }));
  assert.equal(a.lead_leader_id, ids.user('fc_leader').id);
  const mine = await listAll(as.fc_leader, '/api/v1/cases?mine=true');
  assert.ok(mine.some((x) => x.id === k.id), 'in the leader\'s 我的案件');
  const other = await register();
  assert.ok(!mine.some((x) => x.id === other.id), 'a case he does not lead is not');
});

test('a case whose routing requires a lead leader (complexity major) is not assigned without one', async () => {
  const k = await register({ complexity: 'major' });
  const acc = await act(as.fc_dispatcher, k.id, { action: 'accept' });
  assert.equal(acc.routing.decision.lead_leader, true, JSON.stringify(acc.routing.decision));
  const body = { action: 'assign', resp_org_id: ids.org(O.fuchengCenter).id, mediator_ids: [countyMed.id] };
  const errs = assertValidation(await as.fc_dispatcher.post(`/api/v1/cases/${k.id}/transitions`, body));
  assert.equal(errs.lead_leader_id, 'required');
  assert.equal((await getCase(k.id)).state, 'accepted');
  const a = await act(as.fc_dispatcher, k.id, { ...body, lead_leader_id: ids.user('fc_leader').id });
  assert.equal(a.state, 'assigned');
});

test('invited experts are on the case by name, for the mediator who invited them too', async () => {
  const k = await assigned();
  const pick = experts.slice(0, 2);
  await act(as.jzj_mediator, k.id, { action: 'invite_experts', expert_ids: pick.map((x) => x.id), note: '涉及房屋结构鉴定' });
  for (const client of [as.fc_dispatcher, as.jzj_mediator]) {
    const c = await getCase(k.id, client);
    assert.deepEqual(c.experts, pick.map((x) => ({ id: x.id, name: x.name })));
  }
  assertRefused(await as.cx_mediator.post(`/api/v1/cases/${k.id}/transitions`, { action: 'invite_experts', expert_ids: [pick[0].id] }), 'not_holder');
});

// ---- time limits: 民法典 art. 203, against the published calendar ----

const calendars = new Map();
async function exceptions(year) {
  if (!calendars.has(year)) {
    const r = await as.fc_clerk.get(`/api/v1/calendar?year=${year}`);
    assertStatus(r, 200, `calendar ${year}`);
    calendars.set(year, new Map(r.data.days.map((d) => [d.date, d.kind])));
  }
  return calendars.get(year);
}
async function isWorkday(iso) {
  const kind = (await exceptions(Number(iso.slice(0, 4)))).get(iso);
  if (kind) return kind === 'workday';
  const dow = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6;
}
const plusDays = (iso, n) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);
async function periodEnd(iso) {
  let d = iso;
  while (!(await isWorkday(d))) d = plusDays(d, 1);
  return d;
}
const beijingToday = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);

/** Runs fn; the server's "today" was Beijing's today before or after it (midnight may pass). */
async function aroundToday(fn) {
  const first = beijingToday();
  const out = await fn();
  return { out, todays: [...new Set([first, beijingToday()])] };
}

test('every due date the API sets ends on a working day, a rest day moving it to the next one', async () => {
  // Court delegation (30 days) and petition transfer (60 days), counted from today.
  for (const [channel, days] of [['court_delegation', 30], ['petition_transfer', 60]]) {
    const k = await register({ channel });
    const { out, todays } = await aroundToday(() => act(as.fc_dispatcher, k.id, { action: 'accept' }));
    const expected = await Promise.all(todays.map((t) => periodEnd(plusDays(t, days))));
    assert.ok(expected.includes(out.due_date), `${channel}: due ${out.due_date}, expected one of ${expected}`);
    assert.equal(out.time_limit_days, days);
  }
  // An extension: 30 days from the old due date.
  const k = await register({ channel: 'court_delegation' });
  const acc = await act(as.fc_dispatcher, k.id, { action: 'accept' });
  const ext = await act(as.fc_dispatcher, k.id, { action: 'extend', reason: '需补充鉴定', consent: '法院同意延期' });
  assert.equal(ext.due_date, await periodEnd(plusDays(acc.due_date, 30)), `extended from ${acc.due_date}`);
  // A resumed case: ten days paused (the suspension dated back ten days).
  const s = await assigned();
  const due = (await getCase(s.id)).due_date;
  await act(as.jzj_mediator, s.id, { action: 'suspend', reason: '等待伤残鉴定' });
  sqlOn(srv.db, `UPDATE case_events SET at = at - ${10 * 86400000} WHERE case_id = ${s.id} AND action = 'suspend'`);
  const res = await act(as.jzj_mediator, s.id, { action: 'resume' });
  assert.equal(res.due_date, await periodEnd(plusDays(due, 10)), `resumed from ${due}`);
  assert.equal((await timeline(s.id)).at(-1).data.paused_days, 10, 'the days paused, not the rest days after them');
  // Referral feedback: the default is working days; a given day is moved off a rest day.
  const refer = async (extra) => act(as.fc_dispatcher, (await register()).id, { action: 'refer', to_body: '城厢派出所', sent: '材料', ...extra });
  assert.ok(await isWorkday((await refer({})).due_date), 'default feedback due');
  assert.equal((await refer({ feedback_due: '2027-03-07' })).due_date, '2027-03-08', 'Sunday → Monday');
  assert.equal((await refer({ feedback_due: '2026-10-03' })).due_date, '2026-10-08', '国庆 → the day after it');
  assert.equal((await refer({ feedback_due: '2026-10-10' })).due_date, '2026-10-10', 'a 调休 Saturday is worked');
  // Every one of them, and the ordinary acceptance, is a working day by the calendar.
  const all = await listAll(as.fc_dispatcher, '/api/v1/cases');
  for (const c of all.filter((x) => x.due_date)) assert.ok(await isWorkday(c.due_date), `case ${c.id} due ${c.due_date} (${c.state})`);
});
