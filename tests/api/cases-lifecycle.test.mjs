// The life of a case: the state machine of docs/case-states.md over HTTP — the ordinary walk from
// intake to archive, the allowed actions after every step, the timeline and the audit trail, and
// every kind of refusal (wrong state, role, 三三制, review before closing a failure, feedback
// before closing a referral), suspension and bad details.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertStatus, assertValidation, assertProblem, loginAs, lookup, listAll, audit, todayCandidates,
  residentId, mobile, expectedActions, assertRefused, CASE_ACTIONS, ISO_MS, NO_SUCH_ID, R, O,
} from './helpers.mjs';

const LOGINS = ['fc_clerk', 'fc_dispatcher', 'fc_supervisor', 'jzj_mediator', 'jzj_grid', 'jfj_mediator'];
let srv, admin, ids, committee, mediatorId;
const as = {};
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
  for (const l of LOGINS) as[l] = await loginAs(srv.url, l);
  as.admin = admin;
  committee = ids.org(O.djCommittee);
  // the mediator record of jzj_mediator (警钟街社区人民调解委员会)
  const meds = await listAll(admin, '/api/v1/mediators');
  const m = meds.find((x) => x.user_id === ids.user('jzj_mediator').id) || meds.find((x) => (x.org_ids || []).includes(committee.id));
  assert.ok(m, 'no mediator of 警钟街社区人民调解委员会 in the demo data');
  mediatorId = m.id;
});
after(async () => { await srv?.stop(); });

const rolesOf = (login) => ids.user(login).roles;
const JZJ = () => ids.region(R.dongjie).id;
const UP = { village: 'township', township: 'county', county: 'city' };

async function register(extra = {}, client = as.fc_clerk) {
  const r = await client.post('/api/v1/cases', {
    channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: '相邻通道堆放杂物引发争吵', region_id: JZJ(),
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

async function getCase(id) {
  const r = await as.fc_dispatcher.get(`/api/v1/cases/${id}`);
  assertStatus(r, 200, `GET case ${id}`);
  return r.data;
}

async function timeline(id, client = as.fc_dispatcher) {
  const r = await client.get(`/api/v1/cases/${id}/timeline`);
  assertStatus(r, 200, 'timeline');
  assert.ok(Array.isArray(r.data?.items), r.text);
  return r.data.items;
}

/** GET /transitions for each of the logins equals what the state machine allows them now. */
async function checkAllowed(id, step, logins = [...LOGINS.filter((l) => l !== 'jfj_mediator'), 'admin']) {
  const k = await getCase(id);
  for (const login of logins) {
    const r = await as[login].get(`/api/v1/cases/${id}/transitions`);
    assertStatus(r, 200, `${step}: ${login} GET transitions`);
    assert.equal(r.data.state, k.state, `${step}: state`);
    const holds = login === 'jzj_mediator' ? (k.mediator_ids || []).includes(mediatorId) : k.resp_user_id === ids.user(login).id;
    assert.deepEqual(r.data.actions, expectedActions(k, rolesOf(login), holds),
      `${step}: actions of ${login} (${rolesOf(login)}) in ${k.state} (sessions ${k.sessions_at_level}, level ${k.level})`);
  }
  return k;
}

const ASSIGN = () => ({ action: 'assign', lead_leader_id: ids.user('fc_leader').id, resp_org_id: committee.id, mediator_ids: [mediatorId] });
const SESSION = (n) => ({ action: 'record_session', held_at: `2026-11-0${n} 09:30`, record: `第${n}次调解：双方陈述意见`, place: '警钟街社区调解室', participants: '陈玉兰、周德明' });

/** Registers a case and takes it to `state` along the ordinary path. */
async function caseIn(state, extra = {}) {
  const k = await register(extra);
  if (state === 'registered') return k;
  await act(as.fc_dispatcher, k.id, { action: 'accept' });
  if (state === 'accepted') return getCase(k.id);
  await act(as.fc_dispatcher, k.id, ASSIGN());
  if (state === 'assigned') return getCase(k.id);
  await act(as.jzj_mediator, k.id, SESSION(1));
  if (state === 'mediating') return getCase(k.id);
  throw new Error(`caseIn(${state}) not supported`);
}

const walk = { id: null, steps: [] };

test('the walk: register → accept → assign → two sessions → agree → close → return visit → archive, allowed actions after each step', async () => {
  const step = (login, action, from, to) => walk.steps.push({ login, action, from, to });
  const k0 = await register();
  walk.id = k0.id;
  step('fc_clerk', 'register', null, 'registered');
  await checkAllowed(k0.id, 'registered');

  const acc = await act(as.fc_dispatcher, k0.id, { action: 'accept', note: '属简易邻里纠纷' });
  step('fc_dispatcher', 'accept', 'registered', 'accepted');
  assert.equal(acc.state, 'accepted');
  assert.equal(acc.level, 'village', 'a simple neighbour dispute in a village stays in the village');
  assert.equal(acc.method, 'people_mediation');
  assert.match(acc.due_date, /^\d{4}-\d{2}-\d{2}$/);
  assert.ok(acc.due_date > todayCandidates().sort()[0], `due date ${acc.due_date} is not after today`);
  assert.equal(typeof acc.time_limit_days, 'number');
  assert.ok(['business', 'calendar'].includes(acc.time_limit_kind), acc.time_limit_kind);
  assert.ok(acc.routing && typeof acc.routing === 'object', 'routing explanation missing');
  assert.ok(Array.isArray(acc.routing.candidates) && acc.routing.candidates.length > 0, 'routing.candidates missing');
  assert.equal(acc.routing.candidates.filter((c) => c.outcome === 'winner').length, 1, 'one winning rule');
  assert.equal(acc.routing.decision.method, acc.method);
  assert.equal(acc.routing.decision.due_date, acc.due_date);
  assert.equal(acc.routing.decision.time_limit_days, acc.time_limit_days);
  // the same explanation as the preview gives
  const pre = await as.fc_dispatcher.post('/api/v1/routing/preview', { category: 'neighbour', region_id: JZJ(), complexity: 'simple' });
  assertStatus(pre, 200, 'preview');
  assert.equal(acc.routing.rule.id, pre.data.rule.id);
  await checkAllowed(k0.id, 'accepted');

  const asg = await act(as.fc_dispatcher, k0.id, ASSIGN());
  step('fc_dispatcher', 'assign', 'accepted', 'assigned');
  assert.equal(asg.state, 'assigned');
  assert.equal(asg.lead_leader_id, ids.user('fc_leader').id, 'the lead leader is a user (包案领导)');
  assert.equal(asg.lead_leader, ids.user('fc_leader').name);
  assert.equal(asg.resp_org_id, committee.id);
  assert.equal(asg.resp_org_name, O.djCommittee);
  assert.deepEqual(asg.mediator_ids, [mediatorId]);
  await checkAllowed(k0.id, 'assigned');

  for (const n of [1, 2]) {
    const s = await act(as.jzj_mediator, k0.id, SESSION(n));
    step('jzj_mediator', 'record_session', n === 1 ? 'assigned' : 'mediating', 'mediating');
    assert.equal(s.state, 'mediating');
    assert.equal(s.sessions_at_level, n);
    await checkAllowed(k0.id, `mediating after session ${n}`);
  }

  const agr = await act(as.jzj_mediator, k0.id, { action: 'agree', terms: '周德明三日内清理通道杂物，双方互不追究', form: 'written' });
  step('jzj_mediator', 'agree', 'mediating', 'agreed');
  assert.equal(agr.state, 'agreed');
  await checkAllowed(k0.id, 'agreed');

  const cls = await act(as.jzj_mediator, k0.id, { action: 'close', summary: '调解成功' });
  step('jzj_mediator', 'close', 'agreed', 'closed');
  assert.equal(cls.state, 'closed');
  await checkAllowed(k0.id, 'closed');

  const rv = await act(as.jzj_grid, k0.id, { action: 'return_visit', visitor: '网格员', method: '上门', satisfaction: 5, fulfilled: true, note: '通道已清理' });
  step('jzj_grid', 'return_visit', 'closed', 'closed');
  assert.equal(rv.state, 'closed');
  await checkAllowed(k0.id, 'closed after the return visit');

  const arc = await act(as.fc_clerk, k0.id, { action: 'archive' });
  step('fc_clerk', 'archive', 'closed', 'archived');
  assert.equal(arc.state, 'archived');
  const last = await checkAllowed(k0.id, 'archived');
  for (const login of ['fc_clerk', 'fc_dispatcher', 'fc_supervisor', 'jzj_mediator', 'admin']) {
    assert.deepEqual((await as[login].get(`/api/v1/cases/${k0.id}/transitions`)).data.actions, [], `nothing after archive for ${login}`);
  }
  assert.equal(last.state, 'archived');
});

test('the timeline has one event per step, with actor and states, oldest first', async () => {
  assert.ok(walk.id, 'the walk did not run');
  const items = await timeline(walk.id);
  assert.deepEqual(items.map((e) => [e.action, e.from_state, e.to_state, e.actor_login]),
    walk.steps.map((s) => [s.action, s.from, s.to, s.login]));
  for (const [i, e] of items.entries()) {
    assert.equal(e.actor_id, ids.user(walk.steps[i].login).id, `actor_id of ${e.action}`);
    assert.match(e.at, ISO_MS);
    if (i) assert.ok(e.at >= items[i - 1].at, 'events are in order');
    assert.equal(typeof e.id, 'number');
    assert.ok(e.data && typeof e.data === 'object' && !Array.isArray(e.data), `data of ${e.action}`);
    assert.equal(typeof e.public, 'boolean');
  }
  const accept = items.find((e) => e.action === 'accept');
  assert.equal(accept.data.method, 'people_mediation');
  const rv = items.find((e) => e.action === 'return_visit');
  assert.equal(rv.data.satisfaction, 5);
});

test('every step of a case is in the audit log (object_type=case)', async () => {
  assert.ok(walk.id, 'the walk did not run');
  // Opening the case page is audited too (view, 个人信息保护法); the steps are the rest.
  const entries = (await audit(admin, { object_type: 'case', object_id: String(walk.id) }))
    .reverse().filter((e) => e.action !== 'view');
  assert.deepEqual(entries.map((e) => [e.action, e.actor_login]),
    walk.steps.map((s) => [s.action === 'register' ? 'create' : s.action, s.login]));
  for (const e of entries) {
    assert.equal(e.object_type, 'case');
    assert.equal(e.object_id, walk.id);
  }
  const byAction = Object.fromEntries(entries.map((e) => [e.action, e]));
  assert.equal(byAction.accept.detail, 'accepted');
  assert.equal(byAction.archive.detail, 'archived');
});

test('closing a registered case → 409 wrong_state with the allowed actions; nothing changes', async () => {
  const k = await register();
  const before = await timeline(k.id);
  for (const login of ['fc_dispatcher', 'jzj_mediator']) {
    const p = assertRefused(await as[login].post(`/api/v1/cases/${k.id}/transitions`, { action: 'close' }), 'wrong_state', login);
    const allowed = (await as[login].get(`/api/v1/cases/${k.id}/transitions`)).data.actions;
    assert.deepEqual(p.allowed, allowed, `${login}: allowed in the 409 equals GET transitions`);
    assert.ok(!p.allowed.includes('close'));
  }
  assert.equal((await getCase(k.id)).state, 'registered');
  assert.equal((await timeline(k.id)).length, before.length, 'a refused action adds no event');
});

test('an action of another role → 409 role (a clerk cannot assign, a dispatcher cannot record a session)', async () => {
  const k = await caseIn('accepted');
  const p = assertRefused(await as.fc_clerk.post(`/api/v1/cases/${k.id}/transitions`, ASSIGN()), 'role', 'clerk assigns');
  assert.deepEqual(p.allowed, expectedActions(k, rolesOf('fc_clerk')));
  await act(as.fc_dispatcher, k.id, ASSIGN());
  assertRefused(await as.fc_dispatcher.post(`/api/v1/cases/${k.id}/transitions`, SESSION(1)), 'role', 'dispatcher records a session');
});

test('escalating after two sessions → 409 too_few_sessions; after the third it goes one level up and the count restarts (三三制)', async () => {
  const k = await caseIn('mediating');
  await act(as.jzj_mediator, k.id, SESSION(2));
  const p = assertRefused(await as.jzj_mediator.post(`/api/v1/cases/${k.id}/transitions`, { action: 'escalate', reason: '双方分歧大' }), 'too_few_sessions');
  assert.ok(!p.allowed.includes('escalate'));
  assert.equal((await getCase(k.id)).level, 'village');
  await act(as.jzj_mediator, k.id, SESSION(3));
  await checkAllowed(k.id, 'three sessions', ['jzj_mediator', 'fc_dispatcher', 'fc_supervisor']);
  const up = await act(as.jzj_mediator, k.id, { action: 'escalate', reason: '村级三次调解未果，上报街道' });
  assert.equal(up.state, 'accepted');
  assert.equal(up.level, 'township');
  assert.equal(up.sessions_at_level, 0);
  assertRefused(await as.fc_dispatcher.post(`/api/v1/cases/${k.id}/transitions`, { action: 'escalate', reason: '再上报' }), 'too_few_sessions', 'again at once');
});

test('an urgent case escalates at once and its level goes up one', async () => {
  const k = await register({ urgent: true, facts: '双方持械对峙，情况紧急' });
  assert.equal(k.urgent, true);
  const acc = await act(as.fc_dispatcher, k.id, { action: 'accept' });
  await checkAllowed(k.id, 'urgent accepted', ['fc_dispatcher', 'fc_supervisor', 'jzj_mediator']);
  assert.ok((await as.fc_dispatcher.get(`/api/v1/cases/${k.id}/transitions`)).data.actions.includes('escalate'));
  const up = await act(as.fc_dispatcher, k.id, { action: 'escalate', reason: '紧急，直接上报' });
  assert.equal(up.level, UP[acc.level], `${acc.level} → ${up.level}`);
  assert.equal(up.state, 'accepted');
  const ev = (await timeline(k.id)).at(-1);
  assert.equal(ev.action, 'escalate');
  assert.equal(ev.data.level, up.level);
});

test('a failed case closes only after the supervisor\'s review; a mediator cannot review', async () => {
  const k = await caseIn('mediating');
  const f = await act(as.jzj_mediator, k.id, { action: 'fail', guidance: 'litigation', reason: '被申请人拒绝调解' });
  assert.equal(f.state, 'failed');
  assert.equal(f.failure_reviewed, false);
  await checkAllowed(k.id, 'failed');
  assertRefused(await as.jzj_mediator.post(`/api/v1/cases/${k.id}/transitions`, { action: 'close' }), 'not_reviewed', 'close before review');
  assertRefused(await as.jzj_mediator.post(`/api/v1/cases/${k.id}/transitions`, { action: 'review_failure', opinion: '同意终结' }), 'role', 'mediator reviews');
  const rv = await act(as.fc_supervisor, k.id, { action: 'review_failure', opinion: '已引导诉讼，同意终结' });
  assert.equal(rv.state, 'failed');
  assert.equal(rv.failure_reviewed, true);
  await checkAllowed(k.id, 'failed and reviewed');
  assertRefused(await as.fc_supervisor.post(`/api/v1/cases/${k.id}/transitions`, { action: 'review_failure', opinion: '再次研判' }), 'already_reviewed');
  const c = await act(as.jzj_mediator, k.id, { action: 'close', summary: '调解不成，已引导诉讼' });
  assert.equal(c.state, 'closed');
  const ev = await timeline(k.id);
  assert.equal(ev.find((e) => e.action === 'review_failure').public, false, 'the review is internal');
  assert.equal(ev.find((e) => e.action === 'fail').data.guidance, 'litigation');
});

test('a referred case closes only after its feedback is recorded (闭环)', async () => {
  const k = await register({ category: 'labour', facts: '用工单位拒付工伤待遇' });
  const r = await act(as.fc_dispatcher, k.id, { action: 'refer', to_body: '涪城区劳动人事争议仲裁委员会', sent: '2026-11-05 移交函' });
  assert.equal(r.state, 'referred');
  await checkAllowed(k.id, 'referred');
  assertRefused(await as.fc_dispatcher.post(`/api/v1/cases/${k.id}/transitions`, { action: 'close' }), 'no_feedback');
  const fb = await act(as.fc_dispatcher, k.id, { action: 'feedback', feedback: '仲裁委已立案受理' });
  assert.equal(fb.state, 'referred');
  assert.equal(fb.feedback_recorded, true);
  await checkAllowed(k.id, 'referred with feedback');
  const c = await act(as.fc_dispatcher, k.id, { action: 'close' });
  assert.equal(c.state, 'closed');
});

test('suspend → resume returns to the state the case was suspended from', async () => {
  const m = await caseIn('mediating');
  const s = await act(as.jzj_mediator, m.id, { action: 'suspend', reason: '等待伤情鉴定' });
  assert.equal(s.state, 'suspended');
  assert.equal(s.resume_state, 'mediating');
  await checkAllowed(m.id, 'suspended');
  const back = await act(as.jzj_mediator, m.id, { action: 'resume' });
  assert.equal(back.state, 'mediating');
  assert.equal(back.resume_state, null);
  assert.equal(back.sessions_at_level, 1, 'sessions are kept');

  const a = await caseIn('assigned');
  // 四定三包: the case's own mediator suspends it; the centre's dispatcher only reads it now
  assertRefused(await as.fc_dispatcher.post(`/api/v1/cases/${a.id}/transitions`, { action: 'suspend', reason: '当事人外出务工' }), 'not_holder', 'a dispatcher who does not hold the case');
  await act(as.jzj_mediator, a.id, { action: 'suspend', reason: '当事人外出务工' });
  const backA = await act(as.jzj_mediator, a.id, { action: 'resume' });
  assert.equal(backA.state, 'assigned');
  assertRefused(await as.fc_supervisor.post(`/api/v1/cases/${a.id}/transitions`, { action: 'resume' }), 'wrong_state', 'resume when not suspended');
});

test('an unknown action → 400 naming action', async () => {
  const k = await register();
  assert.equal(assertValidation(await as.fc_dispatcher.post(`/api/v1/cases/${k.id}/transitions`, { action: 'teleport' })).action, 'invalid');
  assert.ok('action' in assertValidation(await as.fc_dispatcher.post(`/api/v1/cases/${k.id}/transitions`, { note: 'no action' })));
  assert.equal((await getCase(k.id)).state, 'registered');
});

test('an unknown detail field → 400 naming it; nothing changes', async () => {
  const k = await register();
  const errs = assertValidation(await as.fc_dispatcher.post(`/api/v1/cases/${k.id}/transitions`, { action: 'accept', note: '受理', colour: 'red' }));
  assert.equal(errs.colour, 'unknown');
  assert.ok(!('note' in errs));
  const again = await getCase(k.id);
  assert.equal(again.state, 'registered');
  assert.equal(again.routing, null);
  assert.equal((await timeline(k.id)).length, 1);
});

test('missing or bad details → 400 naming every field', async () => {
  const k = await caseIn('accepted');
  const errs = assertValidation(await as.fc_dispatcher.post(`/api/v1/cases/${k.id}/transitions`, { action: 'assign' }));
  for (const f of ['resp_org_id', 'mediator_ids']) assert.ok(f in errs, `${f} not named: ${JSON.stringify(errs)}`);
  const bad = assertValidation(await as.fc_dispatcher.post(`/api/v1/cases/${k.id}/transitions`, { ...ASSIGN(), mediator_ids: [] }));
  assert.ok('mediator_ids' in bad);
  const m = await caseIn('mediating');
  const f = assertValidation(await as.jzj_mediator.post(`/api/v1/cases/${m.id}/transitions`, { action: 'fail', guidance: 'prayer' }));
  assert.equal(f.guidance, 'invalid');
  assert.equal(f.reason, 'required');
  const g = assertValidation(await as.jzj_mediator.post(`/api/v1/cases/${m.id}/transitions`, { action: 'agree', terms: '', form: 'telepathic' }));
  assert.ok('terms' in g && 'form' in g, JSON.stringify(g));
  assert.equal((await getCase(m.id)).state, 'mediating');
});

test('assign refers to a unit and mediators that exist in scope (400 not_found otherwise)', async () => {
  const k = await caseIn('accepted');
  const org = assertValidation(await as.fc_dispatcher.post(`/api/v1/cases/${k.id}/transitions`, { ...ASSIGN(), resp_org_id: NO_SUCH_ID }));
  assert.equal(org.resp_org_id, 'not_found');
  const med = assertValidation(await as.fc_dispatcher.post(`/api/v1/cases/${k.id}/transitions`, { ...ASSIGN(), mediator_ids: [NO_SUCH_ID] }));
  assert.equal(med.mediator_ids, 'not_found');
  assert.equal((await getCase(k.id)).state, 'accepted');
});

test('a case outside the caller\'s scope cannot be acted on (404)', async () => {
  const k = await register();
  assertProblem(await as.jfj_mediator.post(`/api/v1/cases/${k.id}/transitions`, { action: 'withdraw', by: '申请人', reason: '撤回' }), 404, 'not-found');
  assertProblem(await as.fc_dispatcher.post(`/api/v1/cases/${NO_SUCH_ID}/transitions`, { action: 'accept' }), 404, 'not-found');
  assert.equal((await getCase(k.id)).state, 'registered');
});

test('the allowed-actions answer lists actions in the state machine\'s order', async () => {
  const k = await register();
  const r = await admin.get(`/api/v1/cases/${k.id}/transitions`);
  assertStatus(r, 200);
  const order = r.data.actions.map((a) => CASE_ACTIONS.indexOf(a));
  assert.ok(order.every((x) => x >= 0), `unknown action in ${r.data.actions}`);
  assert.deepEqual(order, [...order].sort((a, b) => a - b));
});
