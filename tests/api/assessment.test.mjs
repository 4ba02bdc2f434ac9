// Assessment (考核, docs/metrics.md "考核 (assessment)"): the townships' villages ranked by a
// weighted score of four indicators read from the statistics counters. A fixture of six cases
// in two communities of 城厢街道, driven through the transitions API and computed by hand;
// the weights (settings) move the score; roles, scope and bad dates are refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertStatus, assertValidation, loginAs, lookup, listAll, residentId, mobile, sqlOn, R, O,
} from './helpers.mjs';
import { runCli } from '../lib/server.mjs';

const LOGINS = ['fc_clerk', 'fc_dispatcher', 'fc_supervisor', 'fc_leader', 'jzj_mediator', 'jfj_mediator', 'cx_admin'];
let srv, admin, ids;
const as = {};
const med = {};
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
  for (const l of LOGINS) as[l] = await loginAs(srv.url, l);
  const meds = await listAll(admin, '/api/v1/mediators');
  for (const l of ['jzj_mediator', 'jfj_mediator']) med[l] = meds.find((x) => x.user_id === ids.user(l).id).id;
});
after(async () => { await srv?.stop(); });

const beijingToday = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const near = (x, y, k) => assert.ok(x !== null && Math.abs(x - y) < 1e-9, `${k}: ${x} ≠ ${y}`);
const setWeight = async (key, value) => assertStatus(await admin.request('PUT', `/api/v1/settings/${key}`, { json: { value } }), 200, key);

async function register(region) {
  const r = await as.fc_clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: '相邻通道堆放杂物引发争吵', region_id: ids.region(region).id,
    parties: [{ role: 'applicant', name: '陈玉兰', id_number: residentId(), phone: mobile() }, { role: 'respondent', name: '周德明' }],
  });
  assertStatus(r, 201, 'intake');
  return r.data.id;
}
async function act(client, id, body) {
  const r = await client.post(`/api/v1/cases/${id}/transitions`, body);
  assertStatus(r, 200, body.action);
}
const SESSION = { action: 'record_session', held_at: '2026-11-02 09:30', record: '双方陈述意见', place: '调解室', participants: '双方' };

/** A case in `region` handled by `mediator` of `org` up to `end`: agree / fail / accepted. */
async function drive(region, org, mediator, end, satisfaction = 0) {
  const id = await register(region);
  const m = as[mediator];
  await act(as.fc_dispatcher, id, { action: 'accept' });
  if (end === 'accepted') return id;
  await act(as.fc_dispatcher, id, {
    action: 'assign', lead_leader_id: ids.user('fc_leader').id, resp_org_id: ids.org(org).id, mediator_ids: [med[mediator]],
  });
  await act(m, id, SESSION);
  if (end === 'fail') {
    await act(m, id, { action: 'fail', guidance: 'litigation', reason: '被申请人拒绝调解' });
    return id;
  }
  await act(m, id, { action: 'agree', terms: '三日内清理通道杂物', form: 'written' });
  if (satisfaction) {
    await act(m, id, { action: 'close', summary: '调解成功' });
    await act(m, id, { action: 'return_visit', visitor: '调解员', method: '电话', satisfaction, fulfilled: true, note: '回访' });
  }
  return id;
}

async function assessment(client = as.fc_leader, q = {}) {
  const day = beijingToday();
  const qs = new URLSearchParams({ region_id: ids.region(R.chengxiang).id, from: day, to: day, ...q });
  const r = await client.get(`/api/v1/assessment?${qs}`);
  assertStatus(r, 200, 'assessment');
  return r.data;
}

test('the units below a township are ranked by the weighted score, every figure by hand', async () => {
  const empty = await assessment();
  assert.ok(empty.items.length >= 2, 'the township has its communities');
  assert.ok(empty.items.every((u) => u.total === 0 && u.score === null && u.rank === null), 'no cases: no score, no rank');
  // 警钟街社区: agreed (满意 5), agreed (不满意 2), failed, accepted and overdue
  await drive(R.dongjie, O.djCommittee, 'jzj_mediator', 'agree', 5);
  await drive(R.dongjie, O.djCommittee, 'jzj_mediator', 'agree', 2);
  await drive(R.dongjie, O.djCommittee, 'jzj_mediator', 'fail');
  const late = await drive(R.dongjie, O.djCommittee, 'jzj_mediator', 'accepted');
  // 解放街社区: agreed (rated 1, not satisfied), accepted and in time
  await drive(R.xijie, O.xjCommittee, 'jfj_mediator', 'agree', 1);
  await drive(R.xijie, O.xjCommittee, 'jfj_mediator', 'accepted');
  // The time limit of `late` has passed: moved back by hand, the counters recounted.
  sqlOn(srv.db, `UPDATE cases SET due_date = '2026-01-05' WHERE id = ${late}`);
  const rb = runCli(['stats', ...srv.db.args, 'rebuild']);
  assert.equal(rb.status, 0, rb.stderr);

  const a = await assessment();
  assert.deepEqual(a.weights, { success: 40, overdue: 20, satisfaction: 20, local: 20 });
  const dj = a.items.find((u) => u.region_id === ids.region(R.dongjie).id);
  const xj = a.items.find((u) => u.region_id === ids.region(R.xijie).id);
  assert.equal(dj.total, 4);
  assert.deepEqual([dj.success.agreed, dj.success.failed], [2, 1]);
  near(dj.success.rate, 2 / 3, 'dj success');
  assert.deepEqual([dj.overdue.count, dj.overdue.open_with_due], [1, 1]);
  near(dj.overdue.rate, 1, 'dj overdue');
  near(dj.overdue.on_time_rate, 0, 'dj on time');
  assert.deepEqual([dj.satisfaction.satisfied, dj.satisfaction.rated], [1, 2]);
  near(dj.satisfaction.rate, 1 / 2, 'dj satisfaction');
  assert.deepEqual([dj.local.resolved_local, dj.local.resolved], [2, 2]);
  near(dj.local.rate, 1, 'dj local');
  // (40 × 2/3 + 20 × 0 + 20 × 1/2 + 20 × 1) / 100 × 100
  near(dj.score, (40 * 2 / 3 + 0 + 10 + 20), 'dj score');
  assert.equal(xj.total, 2);
  near(xj.success.rate, 1, 'xj success');
  assert.deepEqual([xj.overdue.count, xj.overdue.open_with_due], [0, 1]);
  near(xj.overdue.on_time_rate, 1, 'xj on time');
  near(xj.satisfaction.rate, 0, 'xj satisfaction');
  near(xj.local.rate, 1, 'xj local');
  near(xj.score, 40 + 20 + 0 + 20, 'xj score'); // (40 + 20 + 0 + 20) / 100 × 100
  assert.deepEqual([xj.rank, dj.rank], [1, 2]);
  assert.deepEqual(a.items.slice(0, 2).map((u) => u.region_id), [xj.region_id, dj.region_id], 'ranked order');
  assert.ok(a.items.slice(2).every((u) => u.score === null && u.rank === null), 'units without cases last, unranked');

  // The mediators of the township's units, by the same indicators. `late` was never assigned,
  // so neither mediator has an open case with a due date: the overdue weight is shared out.
  const m = await assessment(as.fc_leader, { by: 'mediator' });
  assert.equal(m.by, 'mediator');
  const mz = m.items.find((x) => x.mediator_id === med.jzj_mediator);
  const mj = m.items.find((x) => x.mediator_id === med.jfj_mediator);
  assert.ok(mz && mj, 'both committees\' mediators are listed');
  assert.equal(mz.region_id, undefined, 'a mediator item names the mediator');
  assert.equal(mz.total, 3);
  assert.deepEqual([mz.success.agreed, mz.success.failed, mz.satisfaction.satisfied, mz.satisfaction.rated], [2, 1, 1, 2]);
  assert.deepEqual([mz.overdue.open_with_due, mz.overdue.on_time_rate], [0, null]);
  near(mz.score, (40 * 2 / 3 + 20 * 1 / 2 + 20 * 1) / 80 * 100, 'jzj mediator score');
  assert.equal(mj.total, 1);
  near(mj.score, (40 * 1 + 20 * 0 + 20 * 1) / 80 * 100, 'jfj mediator score');
  assert.deepEqual([mj.rank, mz.rank], [1, 2]);
  // the drill-down: the register filtered by the mediator and the period holds those cases
  const day = beijingToday();
  const reg = await as.fc_leader.get(`/api/v1/cases?mediator_id=${med.jzj_mediator}&from=${day}&to=${day}&per_page=100`);
  assertStatus(reg, 200, 'register by mediator');
  assert.equal(reg.data.total, mz.total, 'the register lists the cases behind the figure');
  // a reassignment moves the case's figures from one mediator to the other
  const moved = await drive(R.dongjie, O.djCommittee, 'jzj_mediator', 'accepted');
  await act(as.fc_dispatcher, moved, { action: 'assign', lead_leader_id: ids.user('fc_leader').id, resp_org_id: ids.org(O.djCommittee).id, mediator_ids: [med.jzj_mediator] });
  assert.equal((await assessment(as.fc_leader, { by: 'mediator' })).items.find((x) => x.mediator_id === med.jzj_mediator).total, 4);
  await act(as.fc_dispatcher, moved, { action: 'assign', lead_leader_id: ids.user('fc_leader').id, resp_org_id: ids.org(O.xjCommittee).id, mediator_ids: [med.jfj_mediator] });
  const m2 = await assessment(as.fc_leader, { by: 'mediator' });
  assert.equal(m2.items.find((x) => x.mediator_id === med.jzj_mediator).total, 3, 'left the first');
  assert.equal(m2.items.find((x) => x.mediator_id === med.jfj_mediator).total, 2, 'counts for the second');
  assert.equal(m2.items.find((x) => x.mediator_id === med.jfj_mediator).overdue.open_with_due, 1, 'with its open backlog');
  assertValidation(await as.fc_leader.get('/api/v1/assessment?by=org'), 'bad by');
  // withdrawn, it weighs in no indicator of the units below (nor has a due date running)
  await act(as.fc_dispatcher, moved, { action: 'assign', lead_leader_id: ids.user('fc_leader').id, resp_org_id: ids.org(O.djCommittee).id, mediator_ids: [med.jzj_mediator] });
  await act(as.jzj_mediator, moved, { action: 'withdraw', reason: '申请人撤回', by: 'applicant' });

  // Only satisfaction counts: 解放街 (0/1) falls below 警钟街 (1/2).
  for (const [k, v] of [['assess_w_success', 0], ['assess_w_overdue', 0], ['assess_w_local', 0], ['assess_w_satisfaction', 100]]) await setWeight(k, v);
  let b = await assessment();
  const find = (x, r) => x.items.find((u) => u.region_id === ids.region(r).id);
  near(find(b, R.dongjie).score, 50, 'dj score, satisfaction only');
  near(find(b, R.xijie).score, 0, 'xj score, satisfaction only');
  assert.deepEqual([find(b, R.dongjie).rank, find(b, R.xijie).rank], [1, 2]);
  // Only success weighs (50 of 50): the score is the success rate.
  await setWeight('assess_w_satisfaction', 0);
  await setWeight('assess_w_success', 50);
  b = await assessment();
  near(find(b, R.dongjie).score, 100 * 2 / 3, 'dj score, success only');
  near(find(b, R.xijie).score, 100, 'xj score, success only');
  for (const [k, v] of [['assess_w_success', 40], ['assess_w_overdue', 20], ['assess_w_satisfaction', 20], ['assess_w_local', 20]]) await setWeight(k, v);
  // The period moves the cohort: yesterday had no cases, so only the overdue backlog (as of
  // today) has data and the weights of the other three are shared out over it.
  const y = new Date(Date.now() + 8 * 3600e3 - 86400e3).toISOString().slice(0, 10);
  b = await assessment(as.fc_leader, { from: y, to: y });
  assert.equal(find(b, R.dongjie).total, 0);
  assert.equal(find(b, R.dongjie).success.rate, null);
  near(find(b, R.dongjie).score, 0, 'dj yesterday: only the overdue backlog, all late');
  near(find(b, R.xijie).score, 100, 'xj yesterday: only the backlog, in time');
});

test('roles, scope and bad dates are refused', async () => {
  let r = await as.jzj_mediator.get('/api/v1/assessment');
  assert.equal(r.status, 403, `a mediator does not assess: ${r.status}`);
  r = await as.fc_supervisor.get('/api/v1/assessment');
  assertStatus(r, 200, 'a supervisor of the county');
  assert.equal(r.data.from, `${beijingToday().slice(0, 7)}-01`);
  assert.equal(r.data.to, beijingToday());
  assert.ok(r.data.items.some((u) => u.region_id === ids.region(R.chengxiang).id), 'default: the own region, its townships');
  // an administrator of 城厢街道 does not see 工区街道 or the county
  for (const reg of [R.gongqu, R.fucheng]) {
    r = await as.cx_admin.get(`/api/v1/assessment?region_id=${ids.region(reg).id}`);
    assert.ok([403, 404].includes(r.status), `out of scope: ${r.status}`);
  }
  r = await as.cx_admin.get(`/api/v1/assessment?region_id=${ids.region(R.chengxiang).id}`);
  assertStatus(r, 200, 'own township');
  r = await as.fc_leader.get('/api/v1/assessment?from=2026-02-30');
  assertValidation(r, 'bad from');
  assert.ok(r.data.errors.some((e) => e.field === 'from'), r.text);
  r = await as.fc_leader.get('/api/v1/assessment?to=yesterday');
  assertValidation(r, 'bad to');
  assert.ok(r.data.errors.some((e) => e.field === 'to'), r.text);
  r = await as.fc_leader.get('/api/v1/assessment?from=2026-12-05&to=2026-12-01');
  assertValidation(r, 'reversed');
  r = await as.fc_leader.get('/api/v1/assessment?region_id=abc');
  assertValidation(r, 'bad region');
});
