// The deadline scheduler: warnings before and at a case's limit, each raised exactly once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertPage, assertProblem, loginAs, lookup, O, R } from './helpers.mjs';
import { runCli } from '../lib/server.mjs';

let srv, disp, ids, kase;
before(async () => {
  srv = await startServer();
  disp = await loginAs(srv.url, 'fc_dispatcher');
  ids = await lookup(await loginAs(srv.url, 'admin'));
  const r = await disp.post('/api/v1/cases', {
    channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: '夜间噪音扰民',
    region_id: ids.region(R.dongjie).id, parties: [{ role: 'applicant', name: '甲' }],
  });
  assert.equal(r.status, 201, r.text);
  const a = await disp.post(`/api/v1/cases/${r.data.id}/transitions`, { action: 'accept' });
  assert.equal(a.status, 200, a.text);
  kase = a.data;
});
after(async () => { await srv?.stop(); });

const scan = (today) => {
  const r = runCli(['scan', ...srv.db.args, '--today', today]);
  assert.equal(r.status, 0, r.stderr);
  return Number(r.stdout.match(/^(\d+) warning/)[1]);
};
const dayBefore = (iso, n) => new Date(Date.parse(iso + 'T00:00:00Z') - n * 86400000).toISOString().slice(0, 10);
const warningsOf = async (id) => assertPage(await disp.get('/api/v1/warnings?per_page=500')).items.filter((w) => w.case_id === id);

test('an accepted case has a due date counted on the calendar', () => {
  assert.match(kase.due_date, /^\d{4}-\d{2}-\d{2}$/);
});

test('nothing is raised long before the limit', async () => {
  assert.equal(scan(dayBefore(kase.due_date, 20)), 0);
  assert.equal((await warningsOf(kase.id)).length, 0);
});

test('a warning a few working days before the limit, raised once however often the scan runs', async () => {
  const day = dayBefore(kase.due_date, 1);
  assert.equal(scan(day), 1);
  assert.equal(scan(day), 0, 'a second pass raises nothing new');
  const w = await warningsOf(kase.id);
  assert.deepEqual(w.map((x) => x.kind), ['approaching']);
  assert.equal(w[0].due_date, kase.due_date);
});

test('a warning when the limit is reached; the timeline records both', async () => {
  assert.equal(scan(kase.due_date), 1);
  assert.equal(scan(dayBefore(kase.due_date, -3)), 0);
  // The board lists the case once, with its most severe warning; each kind stays listed by kind.
  assert.deepEqual((await warningsOf(kase.id)).map((x) => x.kind), ['due']);
  const all = assertPage(await disp.get('/api/v1/warnings?per_page=500'));
  assert.equal(new Set(all.items.map((w) => w.case_id)).size, all.items.length, 'no case twice');
  assert.equal(all.total, all.items.length, 'the total counts cases, not warnings');
  for (const kind of ['approaching', 'due']) {
    const byKind = assertPage(await disp.get(`/api/v1/warnings?kind=${kind}&per_page=500`)).items.filter((w) => w.case_id === kase.id);
    assert.deepEqual(byKind.map((x) => x.kind), [kind]);
  }
  const t = (await disp.get(`/api/v1/cases/${kase.id}/timeline`)).data.items;
  assert.equal(t.filter((e) => e.action === 'deadline_warning').length, 2);
});

test('warnings are for supervisors, leaders, dispatchers and admins; scoped to the region', async () => {
  assertProblem(await (await loginAs(srv.url, 'jzj_mediator')).get('/api/v1/warnings'), 403, 'forbidden');
  const gq = await loginAs(srv.url, 'fc_supervisor');
  assert.ok(assertPage(await gq.get('/api/v1/warnings')).items.some((w) => w.case_id === kase.id));
  // A supervisor of 工区街道 (the case is in 警钟街社区, 城厢街道): none of it, not even in
  // the count (the board reads the warnings' own region path, migration 38).
  const admin = await loginAs(srv.url, 'admin');
  const made = await admin.post('/api/v1/users', {
    login: 'gq_supervisor', name: '工区督办', password: 'long-enough-pw', roles: ['supervisor'],
    org_id: (await lookup(admin)).org(O.gqCommittee).id,
  });
  assert.equal(made.status, 201, made.text);
  const far = await loginAs(srv.url, 'gq_supervisor', 'long-enough-pw');
  const theirs = assertPage(await far.get('/api/v1/warnings?per_page=500'));
  assert.equal(theirs.total, theirs.items.length);
  assert.ok(!theirs.items.some((w) => w.case_id === kase.id), 'another township does not see the warning');
  assert.ok(assertPage(await disp.get('/api/v1/warnings')).total > theirs.total);
  assertProblem(await disp.get('/api/v1/warnings?kind=late'), 400, 'validation');
});

test('the warning lead comes from the warning_lead_days setting', async () => {
  const admin = await loginAs(srv.url, 'admin');
  const r = await disp.post('/api/v1/cases', {
    channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: '共用水管漏水',
    region_id: ids.region(R.dongjie).id, parties: [{ role: 'applicant', name: '乙' }],
  });
  const k = (await disp.post(`/api/v1/cases/${r.data.id}/transitions`, { action: 'accept' })).data;
  // 20 calendar days before the limit is more than 3 working days (the default): nothing.
  const early = dayBefore(k.due_date, 20);
  scan(early);
  assert.equal((await warningsOf(k.id)).length, 0);
  // With a lead of 20 working days the same day is within the lead.
  const set = await admin.request('PUT', '/api/v1/settings/warning_lead_days', { json: { value: 20 } });
  assert.equal(set.status, 200, set.text);
  scan(early);
  assert.deepEqual((await warningsOf(k.id)).map((w) => w.kind), ['approaching']);
  assert.equal((await admin.request('PUT', '/api/v1/settings/warning_lead_days', { json: { value: 3 } })).status, 200);
});
