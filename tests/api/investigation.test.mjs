// Scheduled investigation (定期排查) with zero-reports, and trend warnings (趋势预警):
// docs/risk.md. Filing uses the server's clock; scans are pinned with --today.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertPage, assertProblem, assertValidation, assertStatus, loginAs, lookup, listAll, R, O,
} from './helpers.mjs';
import { runCli } from '../lib/server.mjs';

let srv, admin, grid, jfj, cx, ids;
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  grid = await loginAs(srv.url, 'jzj_grid'); // 警钟街社区 committee's grid worker
  jfj = await loginAs(srv.url, 'jfj_mediator'); // 解放街社区 committee
  cx = await loginAs(srv.url, 'cx_admin'); // 城厢街道, the township above both
  ids = await lookup(admin);
});
after(async () => { await srv?.stop(); });

// The server's day is Beijing's (UTC+8).
const DAY = 86400000;
const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
const today = iso(Date.now() + 8 * 3600 * 1000);
const addDays = (d, n) => iso(Date.parse(d + 'T00:00:00Z') + n * DAY);
const monday = (d) => addDays(d, -((new Date(d + 'T00:00:00Z').getUTCDay() + 6) % 7));
const thisMonday = monday(today);

const scan = (day) => {
  const r = runCli(['scan', ...srv.db.args, '--today', day]);
  assert.equal(r.status, 0, r.stderr);
  return {
    // Each line is printed only when its count is not zero.
    misses: Number(r.stdout.match(/^(\d+) investigation miss/m)?.[1] ?? 0),
    trends: Number(r.stdout.match(/^(\d+) trend warning/m)?.[1] ?? 0),
  };
};
const finding = (category, facts) => ({
  category, complexity: 'simple', facts, parties: [{ role: 'applicant', name: '排查甲' }],
});

test('the default schedules: village weekly, township half-monthly, county monthly', async () => {
  const s = (await admin.get('/api/v1/investigation/schedules')).data.items;
  const by = Object.fromEntries(s.map((x) => [x.level, x.period]));
  assert.deepEqual(by, { county: 'month', township: 'half_month', village: 'week' });
  assertProblem(await grid.request('PUT', '/api/v1/investigation/schedules', { json: { level: 'village', period: 'day' } }), 403, 'forbidden');
  const bad = await admin.request('PUT', '/api/v1/investigation/schedules', { json: { level: 'village', period: 'fortnight' } });
  assert.equal(assertValidation(bad).period, 'invalid');
});

test('a grid worker files a one-tap zero-report for this week; a second filing is 409', async () => {
  const org = ids.org(O.djCommittee);
  const r = await grid.post('/api/v1/investigation/reports', { org_id: org.id, zero_report: true });
  assertStatus(r, 201);
  assert.equal(r.data.zero_report, true);
  assert.equal(r.data.state, 'filed');
  assert.equal(r.data.period, 'week');
  assert.equal(r.data.period_start, thisMonday);
  assert.equal(r.data.period_end, addDays(thisMonday, 6));
  assert.equal(r.data.on_time, true);
  assert.deepEqual(r.data.cases, []);
  const again = await grid.post('/api/v1/investigation/reports', { org_id: org.id, zero_report: true });
  assertProblem(again, 409, 'conflict');
  const list = assertPage(await grid.get(`/api/v1/investigation/reports?state=filed&from=${thisMonday}`));
  assert.deepEqual(list.items.map((x) => x.id), [r.data.id]);
});

test('a zero-report with findings, an empty report, a period that does not begin that day: 400 naming the field', async () => {
  const org = ids.org(O.djCommittee);
  const z = await grid.post('/api/v1/investigation/reports', { org_id: org.id, zero_report: true, findings: [finding('neighbour', '噪音')] });
  assert.equal(assertValidation(z).findings, 'invalid');
  const empty = await grid.post('/api/v1/investigation/reports', { org_id: org.id, period_start: addDays(thisMonday, -7) });
  assert.equal(assertValidation(empty).findings, 'required');
  const mid = await grid.post('/api/v1/investigation/reports', { org_id: org.id, zero_report: true, period_start: addDays(thisMonday, -5) });
  assert.equal(assertValidation(mid).period_start, 'invalid');
  // The neighbour village's committee is outside the grid worker's scope; the township's
  // own committee is above it: neither is the grid worker's to file.
  assert.equal(assertValidation(await grid.post('/api/v1/investigation/reports', { org_id: ids.org(O.xjCommittee).id, zero_report: true })).org_id, 'not_found');
  assertProblem(await jfj.post('/api/v1/investigation/reports', { org_id: ids.org(O.djCommittee).id, zero_report: true }), 400, 'validation');
  const cxMediator = await loginAs(srv.url, 'cx_mediator');
  assertProblem(await cxMediator.post('/api/v1/investigation/reports', { org_id: ids.org(O.djCommittee).id, zero_report: true }), 403, 'forbidden');
});

test('a finding becomes a case with channel investigation; an existing case is linked', async () => {
  const org = ids.org(O.xjCommittee);
  const old = await jfj.get('/api/v1/cases?per_page=1');
  const r = await jfj.post('/api/v1/investigation/reports', {
    org_id: org.id, hazards: '河堤旁两户因排水沟争执',
    findings: [finding('housing_homestead', '两户宅基地边界争执，排查发现')],
  });
  assertStatus(r, 201);
  assert.equal(r.data.zero_report, false);
  assert.equal(r.data.cases.length, 1);
  const k = (await jfj.get(`/api/v1/cases/${r.data.cases[0].id}`)).data;
  assert.equal(k.channel, 'investigation');
  assert.equal(k.region_id, ids.region(R.xijie).id);
  // A bad finding names its field and leaves nothing behind.
  const bad = await jfj.post('/api/v1/investigation/reports', {
    org_id: org.id, period_start: addDays(thisMonday, -7), findings: [{ category: 'nope', facts: 'x' }],
  });
  const errs = assertValidation(bad);
  assert.equal(errs['findings[0].category'], 'invalid');
  const after = await jfj.get('/api/v1/cases?per_page=1');
  assert.equal(after.data.total, old.data.total + 1, 'no case from the refused report');
  // Last week's report links the case found this week and another existing one.
  const link = await jfj.post('/api/v1/investigation/reports', {
    org_id: org.id, period_start: addDays(thisMonday, -7), findings: [{ case_id: k.id }],
  });
  assertStatus(link, 201);
  assert.deepEqual(link.data.cases.map((c) => [c.id, c.created]), [[k.id, false]]);
  assert.equal(link.data.on_time, false, 'filed after its due day');
});

test('a village that misses its weekly report: the township gets one miss warning, once', async () => {
  const week = '2025-01-06'; // a Monday, past: its state is read against the server's today
  scan(week); // opens the week's reports
  const first = scan('2025-01-13');
  assert.ok(first.misses >= 1, 'the week passed unfiled');
  assert.equal(scan('2025-01-13').misses, 0, 'a second scan raises none');
  assert.equal(scan('2025-01-14').misses, 0, 'nor a later one');
  const org = ids.org(O.djCommittee);
  const missed = (await listAll(cx, `/api/v1/investigation/reports?state=missed&from=${week}&to=${week}`))
    .filter((x) => x.org_id === org.id);
  assert.equal(missed.length, 1);
  assert.equal(missed[0].period_start, week);
  assert.equal(missed[0].due_on, '2025-01-12');
  assert.match(missed[0].miss_raised_at, /^\d{4}-/);
  // The neighbour village does not see it (属地管理).
  const seen = await listAll(jfj, `/api/v1/investigation/reports?from=${week}&to=${week}`);
  assert.ok(seen.every((x) => x.org_id === ids.org(O.xjCommittee).id));
  assertValidation(await cx.get('/api/v1/investigation/reports?state=late'));
});

test('completion rates on a small fixture: 排查率 2/3, 上报率 1/3', async () => {
  // 警钟街 committee, weeks W-2 .. W0: W-2 filed late, W-1 opened by the scheduler and
  // missed, W0 filed on time (the zero-report above).
  const org = ids.org(O.djCommittee);
  const w2 = addDays(thisMonday, -14), w1 = addDays(thisMonday, -7);
  assertStatus(await grid.post('/api/v1/investigation/reports', { org_id: org.id, period_start: w2, hazards: '无' }), 201);
  scan(w1);
  const c = (await cx.get(`/api/v1/investigation/completion?from=${w2}&to=${addDays(thisMonday, 6)}`)).data.items;
  const mine = c.find((x) => x.org_id === org.id);
  assert.deepEqual([mine.due, mine.filed, mine.on_time, mine.zero_reports], [3, 2, 1, 1]);
  assert.equal(mine.investigation_rate, 0.6667);
  assert.equal(mine.reporting_rate, 0.3333);
});

test('counters equal a recount from the cases after several intakes', async () => {
  const disp = await loginAs(srv.url, 'fc_dispatcher');
  const region = ids.region(R.dongjie);
  for (const cat of ['neighbour', 'neighbour', 'contract']) {
    const r = await disp.post('/api/v1/cases', { channel: 'walk_in', region_id: region.id, ...finding(cat, '计数') });
    assertStatus(r, 201);
  }
  const counts = async (rid) => Object.fromEntries((await disp.get(`/api/v1/trends/counts?region_id=${rid}&from=${today}&to=${today}`)).data.items.map((x) => [x.category, x.n]));
  const village = await counts(region.id), county = await counts(ids.region(R.fucheng).id);
  assert.ok(village.neighbour >= 2 && village.contract >= 1, JSON.stringify(village));
  const r = runCli(['trend', 'rebuild', ...srv.db.args]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(await counts(region.id), village, 'the village');
  assert.deepEqual(await counts(ids.region(R.fucheng).id), county, 'the county (an ancestor)');
  // And the counters are the cases: the register says the same for the village today.
  for (const [cat, n] of Object.entries(village)) {
    const list = await disp.get(`/api/v1/cases?region_id=${region.id}&category=${cat}&from=${today}&to=${today}&per_page=1`);
    assert.equal(list.data.total, n, cat);
  }
});

test('a spike in the counters raises one trend warning per region, once', async () => {
  const disp = await loginAs(srv.url, 'fc_dispatcher');
  const region = ids.region(R.dongjie);
  for (let i = 0; i < 6; i++) {
    assertStatus(await disp.post('/api/v1/cases', { channel: 'walk_in', region_id: region.id, ...finding('campus', `校园纠纷${i}`) }), 201);
  }
  const s = scan(today);
  assert.ok(s.trends >= 1);
  assert.equal(scan(today).trends, 0, 'a second scan raises none');
  const w = assertPage(await disp.get(`/api/v1/trends?region_id=${region.id}`)).items.filter((x) => x.category === 'campus');
  assert.equal(w.length, 1);
  assert.equal(w[0].observed, 6);
  assert.equal(w[0].window_end, today);
  assert.equal(w[0].baseline, 0);
  assert.ok(w[0].ratio >= 10);
  assert.equal(w[0].region_name, region.name);
  // Nothing for a category with no cases this week.
  assert.ok(assertPage(await disp.get('/api/v1/trends?per_page=500')).items.every((x) => x.category !== 'military'));
  assertProblem(await grid.get('/api/v1/trends'), 403, 'forbidden');
});
