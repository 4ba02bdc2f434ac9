// Risk grading kept by the case module (docs/risk.md): four levels graded at intake and on
// every change, the history on the timeline, a red case that cannot leave the red list
// without a control plan (稳控方案), and the risk board of a region.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertProblem, assertStatus, assertValidation, loginAs, lookup, listAll, residentId, mobile, todayCandidates, R,
} from './helpers.mjs';
import { runCli } from '../lib/server.mjs';

let srv, admin, ids;
const as = {};
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
  for (const l of ['fc_clerk', 'fc_dispatcher', 'fc_supervisor', 'fc_leader', 'cx_mediator', 'jzj_mediator', 'jzj_grid', 'jfj_mediator']) {
    as[l] = await loginAs(srv.url, l);
  }
});
after(async () => { await srv?.stop(); });

const JZJ = () => ids.region(R.dongjie).id;

async function register(extra = {}) {
  const r = await as.fc_clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: '相邻通道堆放杂物引发争吵', region_id: JZJ(),
    parties: [{ role: 'applicant', name: '陈玉兰', id_number: residentId(), phone: mobile() }, { role: 'respondent', name: '周德明' }],
    ...extra,
  });
  assertStatus(r, 201, 'intake');
  return r.data;
}

const RED = { category: 'land_requisition', people: 30, key_persons: true, facts: '三十余户村民因征地补偿聚集，情绪激动' };

async function timeline(id) {
  const r = await as.fc_dispatcher.get(`/api/v1/cases/${id}/timeline`);
  assertStatus(r, 200, 'timeline');
  return r.data.items;
}

test('a plain dispute is blue; a group dispute in a sensitive field with a key person is red, with its reasons', async () => {
  const plain = await register();
  assert.equal(plain.risk, 'blue');
  const red = await register(RED);
  assert.equal(red.risk, 'red');
  for (const why of ['群体性（30人）', '涉及重点人员']) assert.ok(red.risk_reasons.includes(why), red.risk_reasons);
  // the first grade is a change of level: its history starts on the timeline, for staff only
  const ev = (await timeline(red.id)).filter((e) => e.action === 'risk');
  assert.equal(ev.length, 1, JSON.stringify(ev));
  assert.equal(ev[0].data.from, 'blue');
  assert.equal(ev[0].data.to, 'red');
  assert.ok(ev[0].data.score > 0 && ev[0].data.reasons.some((x) => x.factor === 'group' && x.points > 0), JSON.stringify(ev[0].data));
  assert.ok(todayCandidates().includes(ev[0].data.respond_by), `red: respond the same day (${ev[0].data.respond_by})`);
  assert.equal((await timeline(plain.id)).filter((e) => e.action === 'risk').length, 0, 'blue from the start: no change');
});

test('a red case cannot be ended without a control plan; the plan is checked, audited and on the timeline', async () => {
  const k = await register(RED);
  const refused = assertValidation(await as.fc_dispatcher.post(`/api/v1/cases/${k.id}/transitions`, { action: 'reject', reason: '不属于受理范围' }), 'reject a red case');
  assert.equal(refused.control_plan, 'required');
  assert.equal((await as.fc_dispatcher.get(`/api/v1/cases/${k.id}`)).data.state, 'registered', 'nothing of the refused action stays');
  const none = await as.fc_dispatcher.get(`/api/v1/cases/${k.id}/control-plan`);
  assertStatus(none, 200, 'no plan yet');
  assert.equal(none.data, null);
  assert.equal((await as.jfj_mediator.get(`/api/v1/cases/${k.id}/control-plan`)).status, 404, 'out of scope');

  const path = `/api/v1/cases/${k.id}/control-plan`;
  const owner = ids.user('fc_supervisor').id;
  let bad = assertValidation(await as.fc_supervisor.put(path, {}));
  for (const f of ['owner_id', 'measures', 'review_on']) assert.equal(bad[f], 'required', f);
  bad = assertValidation(await as.fc_supervisor.put(path, { owner_id: owner, measures: '  ', review_on: '2026-02-30' }));
  assert.equal(bad.measures, 'required');
  assert.equal(bad.review_on, 'invalid');
  bad = assertValidation(await as.fc_supervisor.put(path, { owner_id: 999999, measures: '包案领导每日联系', review_on: '2099-01-01' }));
  assert.equal(bad.owner_id, 'not_found');
  // out of scope: a village mediator of another village does not see the case
  assert.equal((await as.jfj_mediator.put(path, { owner_id: owner, measures: 'x', review_on: '2099-01-01' })).status, 404);

  const plan = { owner_id: owner, measures: '包案领导每日联系当事人；派出所民警参与稳控；每周研判一次', review_on: '2099-01-01' };
  const r = await as.fc_supervisor.put(path, plan);
  assertStatus(r, 200, 'control plan');
  assert.equal(r.data.owner_id, owner);
  assert.equal(r.data.owner_name, ids.user('fc_supervisor').name);
  assert.equal(r.data.measures, plan.measures);
  assert.equal(r.data.review_on, '2099-01-01');
  assert.ok((await timeline(k.id)).some((e) => e.action === 'control_plan'));
  const audit = (await admin.get(`/api/v1/audit?entity=case&entity_id=${k.id}`)).data;
  assert.ok((audit.items || []).some((a) => a.action === 'control_plan'), JSON.stringify(audit).slice(0, 400));

  const rej = await as.fc_dispatcher.post(`/api/v1/cases/${k.id}/transitions`, { action: 'reject', reason: '不属于受理范围，已移交信访部门' });
  assertStatus(rej, 200, 'reject with a plan on file');
});

// docs/risk.md: the plan is written by the case's handlers, dispatchers, supervisors, leaders
// and administrators. A case no unit holds yet has no handlers, so the staff who merely see it
// (a mediator of the street's committee above the village, the village's own mediator and grid
// worker, the clerk who registered it) are refused with a problem body, and nothing is written.
test('on a case no unit holds, only dispatchers, supervisors, leaders and administrators may write the control plan', async () => {
  const k = await register(RED);
  const c = (await as.fc_dispatcher.get(`/api/v1/cases/${k.id}`)).data;
  assert.equal(c.resp_org_id ?? null, null, 'unheld');
  const path = `/api/v1/cases/${k.id}/control-plan`;
  const plan = { owner_id: ids.user('fc_supervisor').id, measures: '每日联系当事人', review_on: '2099-01-01' };
  for (const who of ['cx_mediator', 'jzj_mediator', 'jzj_grid', 'fc_clerk']) {
    assertProblem(await as[who].put(path, plan), 403, 'forbidden', who);
  }
  assert.equal((await as.fc_dispatcher.get(path)).data, null, 'a refused plan writes nothing');
  assert.equal((await timeline(k.id)).filter((e) => e.action === 'control_plan').length, 0);
  assertStatus(await as.fc_dispatcher.put(path, plan), 200, 'dispatcher');
  assertStatus(await as.fc_supervisor.put(path, { ...plan, measures: '督办：每周研判' }), 200, 'supervisor');
  assertStatus(await as.fc_leader.put(path, { ...plan, measures: '包案领导约谈' }), 200, 'leader');
  assert.equal((await as.fc_dispatcher.get(path)).data.measures, '包案领导约谈');
});

test('the risk board lists open red and orange cases of the region with counts per child region, within scope', async () => {
  const red = await register(RED);
  const orange = await register({ people: 12 });
  assert.equal(orange.risk, 'orange', orange.risk_reasons);
  const board = await as.fc_leader.get('/api/v1/risk/board');
  assertStatus(board, 200, 'board');
  const seen = board.data.cases.map((c) => c.id);
  assert.ok(seen.includes(red.id) && seen.includes(orange.id));
  assert.ok(board.data.cases.every((c) => c.risk === 'red' || c.risk === 'orange'));
  const firstOrange = board.data.cases.findIndex((c) => c.risk === 'orange');
  assert.ok(board.data.cases.slice(firstOrange).every((c) => c.risk === 'orange'), 'red first');
  // counts per child region of the leader's county add up to the totals, which count the list
  const sum = (k) => board.data.regions.reduce((n, x) => n + x[k], 0);
  assert.equal(sum('red'), board.data.red);
  assert.equal(sum('orange'), board.data.orange);
  assert.equal(board.data.total, board.data.red + board.data.orange);
  assert.ok(board.data.total <= board.data.per_page, 'this suite fits one page');
  assert.equal(board.data.red, board.data.cases.filter((c) => c.risk === 'red').length);
  // pages: one case a page walks the same list
  const one = await as.fc_leader.get('/api/v1/risk/board?per_page=1&page=2');
  assertStatus(one, 200);
  assert.deepEqual(one.data.cases.map((c) => c.id), [board.data.cases[1].id]);
  assert.equal(one.data.total, board.data.total);
  // Every page of two, in order, is the whole list (each level is read up to the page's end).
  const paged = [];
  for (let page = 1; paged.length < board.data.total; page++) {
    const p = await as.fc_leader.get(`/api/v1/risk/board?per_page=2&page=${page}`);
    assertStatus(p, 200);
    assert.ok(p.data.cases.length > 0, `page ${page} is not empty`);
    paged.push(...p.data.cases.map((c) => c.id));
  }
  assert.deepEqual(paged, board.data.cases.map((c) => c.id));
  // narrowed to the township, and a region out of scope is a field error
  const town = await as.fc_leader.get(`/api/v1/risk/board?region_id=${ids.region(R.chengxiang).id}`);
  assertStatus(town, 200);
  assert.ok(town.data.cases.some((c) => c.id === red.id));
  assert.ok(town.data.regions.some((x) => x.region_id === JZJ() && x.red >= 1), JSON.stringify(town.data.regions));
  const other = await as.jfj_mediator.get('/api/v1/risk/board');
  assertStatus(other, 200);
  assert.ok(!other.data.cases.some((c) => c.id === red.id), 'another village does not see it');
  assert.equal(assertValidation(await as.jfj_mediator.get(`/api/v1/risk/board?region_id=${JZJ()}`)).region_id, 'not_found');
  // ended cases leave the board
  const ended = await register({ people: 12 });
  const rej = await as.fc_dispatcher.post(`/api/v1/cases/${ended.id}/transitions`, { action: 'reject', reason: '重复登记' });
  assertStatus(rej, 200);
  assert.ok(!(await as.fc_leader.get('/api/v1/risk/board')).data.cases.some((c) => c.id === ended.id));
});

test('the register filters by the four levels', async () => {
  const red = await register(RED);
  for (const level of ['red', 'orange', 'yellow', 'blue']) {
    const items = await listAll(as.fc_dispatcher, `/api/v1/cases?risk=${level}&per_page=100`);
    assert.ok(items.every((x) => x.risk === level), level);
    if (level === 'red') assert.ok(items.some((x) => x.id === red.id));
  }
});

test('thresholds are settings: after lowering the orange threshold, `jiefen risk regrade` regrades the register through the case module', async () => {
  const k = await register({ category: 'wage_arrears', people: 3, facts: '三名工人被拖欠工资，协商未果' });
  assert.equal(k.risk, 'yellow', k.risk_reasons); // a sensitive field alone
  assertStatus(await admin.put('/api/v1/settings/risk_orange_at', { value: '10' }), 200, 'setting');
  const r = runCli(['risk', ...srv.db.args, 'regrade']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /risk regraded: [1-9]\d* cases changed level/);
  const now = (await as.fc_dispatcher.get(`/api/v1/cases/${k.id}`)).data;
  assert.equal(now.risk, 'orange');
  const ev = (await timeline(k.id)).filter((e) => e.action === 'risk').at(-1);
  assert.deepEqual([ev.data.from, ev.data.to], ['yellow', 'orange']);
  assertStatus(await admin.put('/api/v1/settings/risk_orange_at', { value: '40' }), 200, 'setting back');
  assert.equal(runCli(['risk', ...srv.db.args, 'regrade']).status, 0);
  assert.equal((await as.fc_dispatcher.get(`/api/v1/cases/${k.id}`)).data.risk, 'yellow');
});

test('the scheduler regrades a case the day after its time limit passed (the overdue factor), once', async () => {
  const k = await register();
  assert.equal(k.risk, 'blue');
  const acc = await as.fc_dispatcher.post(`/api/v1/cases/${k.id}/transitions`, { action: 'accept' });
  assertStatus(acc, 200, 'accept');
  const due = new Date(`${acc.data.due_date}T00:00:00Z`);
  const dayAfter = new Date(due.getTime() + 86400e3).toISOString().slice(0, 10);
  const scan = runCli(['scan', ...srv.db.args, '--today', dayAfter]);
  assert.equal(scan.status, 0, scan.stderr);
  const now = (await as.fc_dispatcher.get(`/api/v1/cases/${k.id}`)).data;
  assert.equal(now.risk, 'yellow', now.risk_reasons);
  assert.match(now.risk_reasons, /超过调处时限/);
  // a second pass finds the level already there and writes no second event
  assert.equal(runCli(['scan', ...srv.db.args, '--today', dayAfter]).status, 0);
  const ev = (await timeline(k.id)).filter((e) => e.action === 'risk');
  assert.equal(ev.length, 1, JSON.stringify(ev));
  assert.deepEqual([ev[0].data.from, ev[0].data.to], ['blue', 'yellow']);
});

// A transition's regrade reads the case's text (facts, claims, session records). The server
// reads it before the change, outside the one writer, and the writer uses that reading only
// if the text is still the same (api_cases_transition, case_text_read_case): a session
// record that adds words of a threat must be read by that very transition.
test('a session record with a threat raises the grade on its own transition; an action that adds no text keeps it', async () => {
  const k = await register();
  assert.equal(k.risk, 'blue', k.risk_reasons);
  const mediator = (await as.fc_dispatcher.get('/api/v1/mediators?q=黄志强')).data.items[0];
  const act = (body, who = as.fc_dispatcher) => who.post(`/api/v1/cases/${k.id}/transitions`, body);
  let r = await act({ action: 'accept' });
  assertStatus(r, 200, 'accept');
  assert.equal(r.data.risk, 'blue', r.data.risk_reasons);
  r = await act({ action: 'assign', resp_org_id: ids.org('警钟街社区人民调解委员会').id, mediator_ids: [mediator.id] });
  assertStatus(r, 200, 'assign');
  r = await act({ action: 'record_session', held_at: '2026-11-20', record: '申请人情绪激动，扬言要报复对方，说大不了同归于尽' }, as.jzj_mediator);
  assertStatus(r, 200, 'record_session');
  assert.notEqual(r.data.risk, 'blue', `the threat in the session record was not read: ${r.data.risk_reasons}`);
  const graded = { risk: r.data.risk, reasons: r.data.risk_reasons };
  // The next session adds no threat: the same text plus a calm record, the same grade.
  r = await act({ action: 'record_session', held_at: '2026-11-21', record: '双方同意继续协商' }, as.jzj_mediator);
  assertStatus(r, 200, 'second session');
  assert.deepEqual({ risk: r.data.risk, reasons: r.data.risk_reasons }, graded);
  // And the register agrees with what the transition answered.
  const again = await as.fc_dispatcher.get(`/api/v1/cases/${k.id}`);
  assert.equal(again.data.risk, graded.risk);
});
