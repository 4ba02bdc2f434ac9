// The workbench (工作台, GET /api/v1/workbench): each role's to-do counts in its region, a
// mediator's among their own cases, each count equal to the register list its link opens.
import { test, before, after } from 'node:test';
import { runCli } from '../lib/server.mjs';
import assert from 'node:assert/strict';
import {
  startServer, assertPage, assertStatus, assertValidation, loginAs, lookup, listAll, sqlOn, O, R,
} from './helpers.mjs';

const LOGINS = ['fc_clerk', 'fc_dispatcher', 'fc_supervisor', 'fc_leader', 'jzj_mediator', 'jfj_mediator', 'jzj_grid', 'admin'];
let srv, ids, committee, mediatorId;
const as = {};
const before0 = {};
const made = {};
before(async () => {
  srv = await startServer();
  for (const l of LOGINS) as[l] = await loginAs(srv.url, l);
  ids = await lookup(as.admin);
  committee = ids.org(O.djCommittee);
  const meds = await listAll(as.admin, '/api/v1/mediators');
  mediatorId = meds.find((m) => m.user_id === ids.user('jzj_mediator').id).id;
  for (const l of LOGINS) before0[l] = await counts(l);
  await makeCases();
});
after(async () => { await srv?.stop(); });

async function workbench(login, query = '') {
  const r = await as[login].get(`/api/v1/workbench${query}`);
  assertStatus(r, 200, `workbench of ${login}`);
  return r.data;
}
const counts = async (login) => Object.fromEntries((await workbench(login)).items.map((i) => [i.key, i.count]));

async function act(id, body, client = as.fc_dispatcher) {
  const r = await client.post(`/api/v1/cases/${id}/transitions`, body);
  assertStatus(r, 200, `${body.action} on case ${id}`);
}

/** A case in 警钟街社区 taken to `state` along the ordinary path. */
async function caseIn(state) {
  const r = await as.fc_clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: '楼道堆放杂物',
    region_id: ids.region(R.dongjie).id, parties: [{ role: 'applicant', name: '钱红' }],
  });
  assertStatus(r, 201);
  const k = r.data;
  if (state === 'registered') return k;
  if (state === 'referred') {
    await act(k.id, { action: 'refer', to_body: '涪城区劳动人事争议仲裁委员会', sent: '移交函' });
    return k;
  }
  await act(k.id, { action: 'accept' });
  if (state === 'accepted') return k;
  await act(k.id, { action: 'assign', resp_org_id: committee.id, mediator_ids: [mediatorId] });
  if (state === 'assigned') return k;
  await act(k.id, { action: 'record_session', held_at: '2026-11-02 09:30', record: '第一次调解', place: '调解室', participants: '双方' }, as.jzj_mediator);
  return k;
}

const sql = (s) => sqlOn(srv.db, s);

/*
 * One case per to-do (and a few that must not count): registered, accepted, assigned (x2:
 * one past its time limit), mediating with a late instalment, referred awaiting feedback,
 * an open supervision order, a closed case whose return visit is due. Dates in the past
 * are written with SQL, as time passing would.
 */
async function makeCases() {
  made.registered = await caseIn('registered');
  made.accepted = await caseIn('accepted');
  made.assigned = await caseIn('assigned');
  made.late = await caseIn('assigned');
  sql(`UPDATE cases SET due_date = '2020-01-06' WHERE id = ${made.late.id}`);
  made.mediating = await caseIn('mediating');
  sql(`INSERT INTO agreement_instalments (case_id, seq, due_date, amount, status) VALUES
    (${made.mediating.id}, 1, '2020-02-01', 500, 'pending'), (${made.mediating.id}, 2, '2020-03-01', 500, 'late'),
    (${made.mediating.id}, 3, '2099-01-01', 500, 'pending'), (${made.assigned.id}, 1, '2020-02-01', 500, 'paid')`);
  made.referred = await caseIn('referred');
  made.failed = await caseIn('mediating');
  await act(made.failed.id, { action: 'fail', reason: '双方分歧较大', guidance: 'litigation' }, as.jzj_mediator);
  made.led = await caseIn('assigned');
  await act(made.led.id, { action: 'assign', resp_org_id: committee.id, mediator_ids: [mediatorId], lead_leader_id: ids.user('fc_leader').id });
  const order = await as.fc_supervisor.post(`/api/v1/cases/${made.assigned.id}/supervision`, { level: 'supervise', content: '请尽快化解', deadline: '2030-01-10' });
  assertStatus(order, 201);
  const answered = await as.fc_supervisor.post(`/api/v1/cases/${made.mediating.id}/supervision`, { level: 'supervise', content: '报告进展', deadline: '2030-01-10' });
  assertStatus((await as.jzj_mediator.post(`/api/v1/supervision/${answered.data.id}/reply`, { reply: '已调解一次' })), 200);
  // Closed through the case module, which keeps the counters the workbench's state counts
  // read (an UPDATE of the state would leave them counting it as assigned); only the day of
  // its return visit is moved into the past.
  made.visit = await caseIn('mediating');
  await act(made.visit.id, { action: 'agree', terms: '清理杂物' }, as.jzj_mediator);
  await act(made.visit.id, { action: 'close' }, as.jzj_mediator);
  sql(`UPDATE cases SET visit_due = '2020-05-01' WHERE id = ${made.visit.id}`);
  // The late case's due date was moved back with SQL, behind the case module: the counters
  // the workbench's overdue count reads (open_due, by due date) are recounted from the cases,
  // as `jiefen stats rebuild` does after any change made outside the module.
  const r = runCli(['stats', ...srv.db.args, 'rebuild']);
  assert.equal(r.status, 0, r.stderr);
  // A closed case the leader led is no longer among his to-dos (我包案的案件 counts open ones).
  sql(`UPDATE cases SET lead_leader_id = ${ids.user('fc_leader').id} WHERE id = ${made.visit.id}`);
}

const delta = (login, now) => Object.fromEntries(Object.entries(now).map(([k, v]) => [k, v - before0[login][k]]));
const ALL = {
  to_accept: 1, to_assign: 1, sessions_due: 3, mediating: 1, overdue: 1, orders_open: 1, visits_due: 1,
  instalments_late: 1, awaiting_feedback: 1, to_review: 1, my_cases: 0,
};
const pick = (keys, from = ALL) => Object.fromEntries(keys.map((k) => [k, from[k]]));

test('each role opens on its own to-dos, counted over the cases made in its region', async () => {
  assert.deepEqual(delta('admin', await counts('admin')), ALL, 'an administrator sees every to-do');
  assert.deepEqual(delta('fc_dispatcher', await counts('fc_dispatcher')),
    pick(['to_accept', 'to_assign', 'sessions_due', 'overdue', 'orders_open', 'visits_due', 'instalments_late', 'awaiting_feedback']));
  assert.deepEqual(delta('fc_clerk', await counts('fc_clerk')), pick(['to_accept', 'awaiting_feedback']));
  assert.deepEqual(delta('fc_supervisor', await counts('fc_supervisor')),
    pick(['sessions_due', 'mediating', 'overdue', 'orders_open', 'visits_due', 'instalments_late', 'awaiting_feedback', 'to_review']));
  // 包案: the leader's own case counts for him alone, whoever else sees it.
  assert.deepEqual(delta('fc_leader', await counts('fc_leader')), { ...pick(['mediating', 'overdue', 'orders_open']), my_cases: 1 });
  assert.deepEqual(delta('jzj_grid', await counts('jzj_grid')), pick(['visits_due']));
});

test('a mediator counts their own cases; a mediator of the next village sees none of these', async () => {
  const mine = await workbench('jzj_mediator');
  assert.equal(mine.mine, true);
  assert.match(mine.today, /^\d{4}-\d{2}-\d{2}$/);
  // The case merely registered, accepted or referred has no mediator yet.
  assert.deepEqual(delta('jzj_mediator', await counts('jzj_mediator')),
    { sessions_due: 3, mediating: 1, overdue: 1, orders_open: 1, visits_due: 1, instalments_late: 1 });
  assert.deepEqual(delta('jfj_mediator', await counts('jfj_mediator')),
    { sessions_due: 0, mediating: 0, overdue: 0, orders_open: 0, visits_due: 0, instalments_late: 0 });
  const all = await workbench('jzj_mediator', '?mine=false');
  assert.equal(all.mine, false);
  assert.equal(all.items.find((i) => i.key === 'sessions_due').query, 'state=assigned');
  assert.equal(assertValidation(await as.jzj_mediator.get('/api/v1/workbench?mine=perhaps')).mine, 'invalid');
});

test('every count is the total of the register list its link opens, and lists the cases made', async () => {
  const expect = {
    to_accept: [made.registered], to_assign: [made.accepted], sessions_due: [made.assigned, made.late],
    mediating: [made.mediating], overdue: [made.late], orders_open: [made.assigned], visits_due: [made.visit],
    instalments_late: [made.mediating], awaiting_feedback: [made.referred], to_review: [made.failed],
    my_cases: [],
  };
  for (const login of ['admin', 'jzj_mediator', 'fc_leader']) {
    for (const item of (await workbench(login)).items) {
      const list = assertPage(await as[login].get(`/api/v1/cases?per_page=100&${item.query}`), `${login} ${item.query}`);
      assert.equal(list.total, item.count, `${login}: ${item.key} (${item.query})`);
      for (const k of expect[item.key]) assert.ok(list.items.some((x) => x.id === k.id), `${login}: ${item.key} lists case ${k.id}`);
    }
  }
  const led = (await workbench('fc_leader')).items.find((i) => i.key === 'my_cases');
  assert.equal(led.query, 'mine=true&todo=open');
  assert.ok(assertPage(await as.fc_leader.get(`/api/v1/cases?${led.query}`)).items.some((x) => x.id === made.led.id), 'the leader\'s 包案 case');
  const mineQuery = (await workbench('jzj_mediator')).items.find((i) => i.key === 'overdue').query;
  assert.equal(mineQuery, 'overdue=true&mine=true');
});

test('answering the order, paying the instalments and recording the feedback take them off the workbench', async () => {
  const order = (await as.fc_supervisor.get('/api/v1/supervision?status=open')).data.items.find((o) => o.case_id === made.assigned.id);
  assertStatus(await as.jzj_mediator.post(`/api/v1/supervision/${order.id}/reply`, { reply: '已约定调解时间' }), 200);
  sql(`UPDATE agreement_instalments SET status = 'paid', paid_on = '2020-03-02' WHERE case_id = ${made.mediating.id} AND due_date < '2021-01-01'`);
  await act(made.referred.id, { action: 'feedback', feedback: '仲裁委已受理' });
  const d = delta('admin', await counts('admin'));
  assert.equal(d.orders_open, 0);
  assert.equal(d.instalments_late, 0);
  assert.equal(d.awaiting_feedback, 0);
});
