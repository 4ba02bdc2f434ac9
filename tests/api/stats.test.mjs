// The statistics service (docs/metrics.md): the summary's figures after a handful of cases
// driven through the transitions API, checked by hand; the breakdowns; bad input; and the
// exactness of the counters the case module keeps — after a random mix of actions,
// `jiefen stats rebuild` recomputes from the cases exactly the rows maintained step by step.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertStatus, assertValidation, loginAs, lookup, listAll, residentId, mobile, sqlOn, R, O,
} from './helpers.mjs';
import { runCli } from '../lib/server.mjs';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LOGINS = ['fc_clerk', 'fc_dispatcher', 'fc_supervisor', 'jzj_mediator', 'jzj_grid', 'fc_leader'];
let srv, admin, ids, committee, mediatorId, otherId;
const as = {};
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
  for (const l of LOGINS) as[l] = await loginAs(srv.url, l);
  committee = ids.org(O.djCommittee);
  const meds = await listAll(admin, '/api/v1/mediators');
  const m = meds.find((x) => x.user_id === ids.user('jzj_mediator').id);
  assert.ok(m, 'jzj_mediator has a mediator record');
  mediatorId = m.id;
  // a second mediator of the committee, so that the walk can reassign between them
  const other = await admin.post('/api/v1/mediators', {
    name: '孙丽华', mediator_type: 'part_time', grade: 'intermediate', specialties: ['neighbour'], org_ids: [committee.id],
  });
  assertStatus(other, 201, 'second mediator');
  otherId = other.data.id;
});
after(async () => { await srv?.stop(); });

const JZJ = () => ids.region(R.dongjie).id;
const beijingToday = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

async function register(extra = {}) {
  const r = await as.fc_clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: '相邻通道堆放杂物引发争吵', region_id: JZJ(),
    parties: [{ role: 'applicant', name: '陈玉兰', id_number: residentId(), phone: mobile() }, { role: 'respondent', name: '周德明' }],
    ...extra,
  });
  assertStatus(r, 201, 'intake');
  return r.data;
}
async function act(client, id, body) {
  const r = await client.post(`/api/v1/cases/${id}/transitions`, body);
  assertStatus(r, 200, body.action);
  return r.data;
}
const ASSIGN = () => ({ action: 'assign', lead_leader_id: ids.user('fc_leader').id, resp_org_id: committee.id, mediator_ids: [mediatorId] });
const SESSION = { action: 'record_session', held_at: '2026-11-02 09:30', record: '双方陈述意见', place: '调解室', participants: '双方' };

async function summary(q = {}) {
  const day = beijingToday();
  const qs = new URLSearchParams({ region_id: JZJ(), from: day, to: day, ...q });
  const r = await as.fc_leader.get(`/api/v1/stats/summary?${qs}`);
  assertStatus(r, 200, 'summary');
  return r.data;
}

test('the summary counts a handful of cases driven through their lives, figure by figure', async () => {
  const before0 = await summary();
  // A: agreed at the village, closed, visited (satisfied, fulfilled)
  const a = await register();
  await act(as.fc_dispatcher, a.id, { action: 'accept' });
  await act(as.fc_dispatcher, a.id, ASSIGN());
  await act(as.jzj_mediator, a.id, SESSION);
  await act(as.jzj_mediator, a.id, { action: 'agree', terms: '三日内清理通道杂物', form: 'written' });
  await act(as.jzj_mediator, a.id, { action: 'close', summary: '调解成功' });
  await act(as.jzj_grid, a.id, { action: 'return_visit', visitor: '网格员', method: '上门', satisfaction: 5, fulfilled: true, note: '已清理' });
  // B: mediation failed, reviewed, closed
  const b = await register({ category: 'contract', channel: 'phone' });
  await act(as.fc_dispatcher, b.id, { action: 'accept' });
  await act(as.fc_dispatcher, b.id, ASSIGN());
  await act(as.jzj_mediator, b.id, SESSION);
  await act(as.jzj_mediator, b.id, { action: 'fail', guidance: 'litigation', reason: '被申请人拒绝调解' });
  await act(as.fc_supervisor, b.id, { action: 'review_failure', opinion: '同意终结' });
  await act(as.jzj_mediator, b.id, { action: 'close', summary: '调解不成' });
  // C: urgent, accepted and escalated at once (still open)
  const c = await register({ urgent: true, facts: '双方持械对峙，情况紧急' });
  await act(as.fc_dispatcher, c.id, { action: 'accept' });
  await act(as.fc_dispatcher, c.id, { action: 'escalate', reason: '紧急，直接上报' });
  // D: referred out, feedback in, closed (resolved by the body it went to)
  const d = await register({ category: 'labour', facts: '用工单位拒付工伤待遇' });
  await act(as.fc_dispatcher, d.id, { action: 'refer', to_body: '涪城区劳动人事争议仲裁委员会', sent: '移交函' });
  const mid = await summary();
  await act(as.fc_dispatcher, d.id, { action: 'feedback', feedback: '仲裁委已调解结案' });
  await act(as.fc_dispatcher, d.id, { action: 'close' });
  // E: only registered
  await register({ channel: 'phone' });

  const s = await summary();
  const delta = (k) => s.figures[k] - before0.figures[k];
  assert.equal(s.total - before0.total, 5, 'five cases received today');
  const want = {
    received: 5, accepted: 3, mediated: 2, agreed: 1, failed: 1, withdrawn: 0, rejected: 0, referred: 1,
    referred_resolved: 1, resolved: 2, concluded: 3, resolved_local: 1, escalated: 1, closed: 3, visited_closed: 1,
    rated: 1, satisfied: 1, fulfilment_known: 1, fulfilled: 1, awaiting_feedback: 0,
  };
  for (const [k, v] of Object.entries(want)) assert.equal(delta(k), v, `figure ${k}`);
  assert.equal(mid.awaiting_feedback - before0.awaiting_feedback, 1, 'D awaited feedback before it came');
  assert.equal(s.awaiting_feedback, before0.awaiting_feedback, 'and no longer after');
  const dc = (o, k) => (s.counts[o][k] || 0) - (before0.counts[o][k] || 0);
  assert.equal(dc('by_category', 'neighbour'), 3);
  assert.equal(dc('by_category', 'contract'), 1);
  assert.equal(dc('by_category', 'labour'), 1);
  assert.equal(dc('by_channel', 'phone'), 2);
  assert.equal(dc('by_channel', 'walk_in'), 3);
  assert.equal(dc('by_state', 'closed'), 3);
  assert.equal(dc('by_state', 'accepted'), 1);
  assert.equal(dc('by_state', 'registered'), 1);
  assert.equal(dc('by_outcome', 'agreed'), 1);
  assert.equal(dc('by_outcome', 'failed'), 1);
  assert.equal(dc('by_outcome', 'referred_resolved'), 1);
  assert.equal(dc('by_outcome', 'open'), 2);
  assert.equal(before0.total, 0, "the demo data has no cases: the rates below are this test's alone");
  {
    // rates by hand: 调解率 2/3, 成功率 1/2, 化解率 2/3, 就地化解率 1/2, escalation 1/3, visits 1/3
    const near = (x, y, k) => assert.ok(Math.abs(x - y) < 1e-9, `${k}: ${x} ≠ ${y}`);
    near(s.rates.mediation_rate, 2 / 3, 'mediation_rate');
    near(s.rates.success_rate, 1 / 2, 'success_rate');
    near(s.rates.resolution_rate, 2 / 3, 'resolution_rate');
    near(s.rates.local_resolution_rate, 1 / 2, 'local_resolution_rate');
    near(s.rates.escalation_rate, 1 / 3, 'escalation_rate');
    near(s.rates.visit_coverage, 1 / 3, 'visit_coverage');
    near(s.rates.satisfaction_rate, 1, 'satisfaction_rate');
    near(s.rates.fulfilment_rate, 1, 'fulfilment_rate');
  }
  // the same cases counted in every region above: the county sees at least them
  const county = await summary({ region_id: ids.region(R.fucheng).id });
  assert.ok(county.total >= s.total, 'the county includes its community');
  // C is the only one of the five still open with a due date, and it is not yet overdue
  const kc = (await as.fc_dispatcher.get(`/api/v1/cases/${c.id}`)).data;
  assert.ok(kc.due_date, 'an accepted case has a due date');
  assert.equal(s.overdue.open_with_due - before0.overdue.open_with_due, 1);
  assert.equal(s.overdue.count, before0.overdue.count);
  assert.equal(s.region_name, ids.region(R.dongjie).name);
  // days to resolve: A (agreed) and D (referred, feedback) were resolved the day received
  assert.deepEqual(s.days_to_resolve, { median: 0, p90: 0, n: 2, cap: 366 });
  for (const k of ['previous', 'last_year']) {
    assert.equal(s[k].total, 0, `${k}: nothing was received before today in this test`);
    assert.equal(s[k].rates.success_rate, null, `${k}: no denominator → null`);
  }
});

test('the breakdowns split the same figures by category, month and child region', async () => {
  const day = beijingToday();
  const s = await summary();
  const q = (by, region = JZJ()) => as.fc_leader.get(`/api/v1/stats/breakdown?${new URLSearchParams({ region_id: region, from: day, to: day, by })}`);
  const cat = await q('category');
  assertStatus(cat, 200, 'by category');
  assert.equal(cat.data.items.reduce((n, it) => n + it.total, 0), s.total, 'categories add up to the total');
  assert.ok(cat.data.items.find((it) => it.key === 'neighbour')?.name, 'a category has its name');
  const mon = await q('month');
  assertStatus(mon, 200, 'by month');
  assert.deepEqual(mon.data.items.map((it) => it.key), [day.slice(0, 7)]);
  assert.equal(mon.data.items[0].total, s.total);
  const parent = (await admin.get(`/api/v1/regions/${JZJ()}`)).data.parent_id;
  const reg = await q('region', parent);
  assertStatus(reg, 200, 'by region');
  const mine = reg.data.items.find((it) => it.key === String(JZJ()));
  assert.ok(mine, 'the community is among its parent\'s children');
  assert.equal(mine.total, s.total);
  assert.deepEqual(mine.rates, s.rates);
});

test('bad dates, a reversed period, a bad `by` and a region out of scope are refused', async () => {
  let r = await as.fc_leader.get('/api/v1/stats/summary?from=2026-13-01&to=2026-12-01');
  assertValidation(r, 'bad from');
  assert.ok(r.data.errors.some((e) => e.field === 'from'), r.text);
  r = await as.fc_leader.get('/api/v1/stats/summary?from=2026-12-05&to=2026-12-01');
  assertValidation(r, 'from after to');
  assert.ok(r.data.errors.some((e) => e.field === 'from'), r.text);
  r = await as.fc_leader.get('/api/v1/stats/breakdown?by=street');
  assertValidation(r, 'bad by');
  assert.ok(r.data.errors.some((e) => e.field === 'by'), r.text);
  r = await as.fc_leader.get('/api/v1/stats/breakdown');
  assertStatus(r, 200, 'breakdown defaults');
  assert.equal(r.data.by, 'region');
  r = await as.fc_leader.get('/api/v1/stats/summary');
  assertStatus(r, 200, 'defaults: own region, this month');
  assert.equal(r.data.to, beijingToday());
  assert.equal(r.data.from, `${beijingToday().slice(0, 7)}-01`);
  // a village mediator does not read the county
  r = await as.jzj_mediator.get(`/api/v1/stats/summary?region_id=${ids.region(R.fucheng).id}`);
  assert.ok([403, 404].includes(r.status), `out of scope: ${r.status}`);
});

// Bodies for the actions the random walk takes; the others are not tried.
const BODIES = {
  accept: () => ({ action: 'accept' }),
  reject: () => ({ action: 'reject', reason: '不属于人民调解范围', notice: '请向法院起诉' }),
  refer: () => ({ action: 'refer', to_body: '派出所', sent: '移交函' }),
  feedback: () => ({ action: 'feedback', feedback: '已处理' }),
  // (re)assign to one of two mediators or both, so that the mediators' counters move
  assign: () => ({ ...ASSIGN(), mediator_ids: [[mediatorId], [otherId], [mediatorId, otherId]][Math.floor(Math.random() * 3)] }),
  record_session: () => SESSION,
  escalate: () => ({ action: 'escalate', reason: '上报' }),
  agree: () => ({ action: 'agree', terms: '赔偿500元', form: 'oral' }),
  fail: () => ({ action: 'fail', guidance: 'litigation', reason: '不同意' }),
  review_failure: () => ({ action: 'review_failure', opinion: '同意终结' }),
  withdraw: () => ({ action: 'withdraw', reason: '申请人撤回' }),
  close: () => ({ action: 'close', summary: '结案' }),
  return_visit: () => ({ action: 'return_visit', visitor: '网格员', method: '电话', satisfaction: 1 + Math.floor(Math.random() * 5), fulfilled: Math.random() < 0.7, ...(Math.random() < 0.2 ? { recurrence: true } : {}) }),
  reopen: () => ({ action: 'reopen', reason: '纠纷复发' }),
  archive: () => ({ action: 'archive' }),
};

function counters() {
  return {
    counts: sqlOn(srv.db, 'SELECT region_id, day, metric, category, channel, n FROM stat_counts ORDER BY region_id, day, metric, category, channel'),
    keys: sqlOn(srv.db, 'SELECT case_id, metric, day FROM stat_case_keys ORDER BY case_id, metric'),
    mediators: sqlOn(srv.db, 'SELECT mediator_id, day, metric, n FROM stat_mediator_counts ORDER BY mediator_id, day, metric'),
    caseMediators: sqlOn(srv.db, 'SELECT case_id, mediator_id FROM stat_case_mediators ORDER BY case_id, mediator_id'),
    days: sqlOn(srv.db, 'SELECT region_id, period, category, metric, n FROM stat_days ORDER BY region_id, period, category, metric'),
    months: sqlOn(srv.db, 'SELECT region_id, period, category, metric, n FROM stat_months ORDER BY region_id, period, category, metric'),
  };
}

test('exactness: after a random mix of actions, a rebuild from the cases gives the very same counters', async () => {
  const cases = [];
  for (let i = 0; i < 10; i++) {
    cases.push(await register({ urgent: i % 3 === 0, category: ['neighbour', 'contract', 'labour'][i % 3], channel: ['walk_in', 'phone'][i % 2] }));
  }
  let taken = 0;
  for (let step = 0; step < 10; step++) {
    for (const k of cases) {
      const logins = LOGINS.slice().sort(() => Math.random() - 0.5);
      for (const login of logins) {
        const t = await as[login].get(`/api/v1/cases/${k.id}/transitions`);
        if (t.status !== 200) continue;
        const acts = t.data.actions.filter((a) => BODIES[a]);
        if (!acts.length) continue;
        const a = acts[Math.floor(Math.random() * acts.length)];
        const r = await as[login].post(`/api/v1/cases/${k.id}/transitions`, BODIES[a]());
        if (r.status === 200) { taken++; break; }
      }
    }
  }
  assert.ok(taken >= 30, `the walk took ${taken} actions`);
  const kept = counters();
  const sumKept = await summary();
  assert.ok(kept.counts.split('\n').length > 50, 'counters were kept');
  const r = runCli(['stats', ...srv.db.args, 'rebuild']);
  assert.equal(r.status, 0, r.stderr);
  const rebuilt = counters();
  assert.equal(rebuilt.keys, kept.keys, 'each case holds the same keys');
  assert.equal(rebuilt.counts, kept.counts, 'the counters equal a recount from the cases');
  assert.ok(kept.mediators.split('\n').length > 10, 'the mediators\' counters were kept');
  assert.equal(rebuilt.caseMediators, kept.caseMediators, 'each case counts for the same mediators');
  assert.equal(rebuilt.mediators, kept.mediators, 'the mediators\' counters equal a recount');
  // The rollups the summaries read (migration 31): kept by stats_sync step by step, refilled
  // by the rebuild from stat_counts in SQL; both must give the very same rows.
  assert.ok(kept.months.split('\n').length > 50, 'the rollups were kept');
  assert.equal(rebuilt.days, kept.days, 'the daily rollup equals a recount');
  assert.equal(rebuilt.months, kept.months, 'the monthly rollup equals a recount');
  assert.deepEqual(await summary(), sumKept, 'and so does the summary');
});

const addDays = (d, n) => new Date(Date.parse(d + 'T00:00:00Z') + n * 86400e3).toISOString().slice(0, 10);

test('days to resolve: Beijing calendar days from the received day to the agreement, median and p90 by nearest rank', async () => {
  // Three agreed cases, dated back by SQL as time passing would (received 2, 3 and 9 days
  // before the agreement) and one failed (no resolve day), all received on one day D.
  const D = addDays(beijingToday(), -40);
  const back = [2, 3, 9, 5];
  for (let i = 0; i < 4; i++) {
    const k = await register();
    await act(as.fc_dispatcher, k.id, { action: 'accept' });
    await act(as.fc_dispatcher, k.id, ASSIGN());
    await act(as.jzj_mediator, k.id, SESSION);
    if (i < 3) await act(as.jzj_mediator, k.id, { action: 'agree', terms: '协议', form: 'written' });
    else await act(as.jzj_mediator, k.id, { action: 'fail', guidance: 'litigation', reason: '拒绝' });
    // received at D 10:00 Beijing; the agreement back[i] days later, 09:00 (a calendar day, not 24 h)
    const recv = Date.parse(D + 'T02:00:00Z');
    sqlOn(srv.db, `UPDATE cases SET received_at = ${recv} WHERE id = ${k.id}`);
    sqlOn(srv.db, `UPDATE case_events SET at = ${recv + back[i] * 86400e3 - 3600e3} WHERE case_id = ${k.id} AND action IN ('agree', 'fail')`);
  }
  const r = runCli(['stats', ...srv.db.args, 'rebuild']);
  assert.equal(r.status, 0, r.stderr);
  const s = await summary({ from: D, to: D });
  assert.equal(s.total, 4);
  // sorted 2, 3, 9: median = ceil(1.5) = 2nd = 3; p90 = ceil(2.7) = 3rd = 9
  assert.deepEqual(s.days_to_resolve, { median: 3, p90: 9, n: 3, cap: 366 });
  const none = await summary({ from: addDays(D, -1), to: addDays(D, -1) });
  assert.deepEqual(none.days_to_resolve, { median: null, p90: null, n: 0, cap: 366 });
});

test('万人成讼率: the court filings of the subtree in the months of the period × 10,000 / population', async () => {
  const day = beijingToday(), month = day.slice(0, 7);
  const jzj = JZJ(), county = ids.region(R.fucheng).id;
  const path = (id, m = month) => `/api/v1/regions/${id}/court-filings/${m}`;
  let s = await summary();
  assert.equal(s.litigation.filings, null, 'unknown until entered');
  assert.equal(s.litigation.per_10k, null);
  assertStatus(await as.fc_leader.put(path(jzj), { filings: 12, source: '涪城区人民法院 2026年12月收案统计' }), 200);
  const kids = (await admin.get(`/api/v1/regions?parent_id=${jzj}`)).data.items;
  assert.ok(kids.length, 'the community has children');
  assertStatus(await admin.put(path(kids[0].id), { filings: 3 }), 200);
  assertStatus(await admin.put(path(jzj, '2025-01'), { filings: 99 }), 200); // another month: not counted
  s = await summary();
  assert.equal(s.litigation.filings, 15, 'the community and its child');
  assert.equal(s.litigation.recorded, 2);
  const pop0 = s.population;
  assertStatus(await admin.patch(`/api/v1/regions/${jzj}`, { population: 20000 }), 200);
  assert.equal((await summary()).litigation.per_10k, 7.5, '15 × 10,000 / 20,000');
  assertStatus(await admin.patch(`/api/v1/regions/${jzj}`, { population: 0 }), 200);
  assert.equal((await summary()).litigation.per_10k, null, 'no population, no rate');
  if (pop0 != null) assertStatus(await admin.patch(`/api/v1/regions/${jzj}`, { population: pop0 }), 200);
  const c = await summary({ region_id: county });
  assert.ok(c.litigation.filings >= 15, 'the county sums its subtree');
  // overwrite, list, delete
  assertStatus(await as.fc_leader.put(path(jzj), { filings: 10 }), 200);
  const list = await as.fc_leader.get(`/api/v1/regions/${jzj}/court-filings?from=${month}&to=${month}`);
  assertStatus(list, 200);
  assert.deepEqual(list.data.items.map((x) => [x.month, x.filings]), [[month, 10]]);
  assert.equal((await summary()).litigation.filings, 13);
  // refused: a clerk, a negative number, a bad month, a region out of scope
  assert.equal((await as.fc_clerk.put(path(jzj), { filings: 1 })).status, 403);
  assert.equal(assertValidation(await admin.put(path(jzj), { filings: -1 })).filings, 'invalid');
  assert.equal(assertValidation(await admin.put(path(jzj), {})).filings, 'required');
  assert.equal((await admin.put(path(jzj, '2026-13'), { filings: 1 })).status, 404);
  assertStatus(await admin.request('DELETE', path(kids[0].id)), 204);
  assertStatus(await admin.request('DELETE', path(jzj)), 204);
  assert.equal((await summary()).litigation.filings, null, 'unknown again');
  // the CLI imports a court's table (CSV with a BOM, as Excel saves it); a bad row writes nothing
  const dir = mkdtempSync(join(tmpdir(), 'court-'));
  const code = ids.region(R.dongjie).code;
  writeFileSync(join(dir, 'bad.csv'), `\ufeff区划代码,月份,收案数\r\n${code},${month},7\r\n${code},2026-13,1\r\n`);
  const bad = runCli(['stats', ...srv.db.args, 'import-court', join(dir, 'bad.csv')]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /row 3/);
  assert.equal((await summary()).litigation.filings, null, 'nothing written');
  writeFileSync(join(dir, 'ok.csv'), `\ufeff区划代码,月份,收案数,来源\r\n${code},${month},7,法院统计\r\n${kids[0].code},${month},2,法院统计\r\n`);
  const ok = runCli(['stats', ...srv.db.args, 'import-court', join(dir, 'ok.csv')]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal((await summary()).litigation.filings, 9);
  rmSync(dir, { recursive: true });
});

test('排查率 and 上报率 in the summary are the investigation service\'s, summed over the subtree', async () => {
  // 警钟街 committee: last week filed late, this week filed on time → due 2, filed 2, on time 1
  const grid = as.jzj_grid, org = ids.org(O.djCommittee);
  const today = beijingToday();
  const thisMonday = addDays(today, -((new Date(today + 'T00:00:00Z').getUTCDay() + 6) % 7));
  const w1 = addDays(thisMonday, -7);
  assertStatus(await grid.post('/api/v1/investigation/reports', { org_id: org.id, period_start: w1, zero_report: true }), 201);
  assertStatus(await grid.post('/api/v1/investigation/reports', { org_id: org.id, zero_report: true }), 201);
  const s = await summary({ from: w1, to: addDays(thisMonday, 6) });
  assert.deepEqual(s.investigation, { due: 2, filed: 2, on_time: 1, investigation_rate: 1, reporting_rate: 0.5 });
  const before = await summary({ from: addDays(w1, -60), to: addDays(w1, -30) });
  assert.deepEqual(before.investigation, { due: 0, filed: 0, on_time: 0, investigation_rate: null, reporting_rate: null });
});

test('rollups: a period of whole and partial months reads what the daily counters of its days add up to', async () => {
  // Cases dated back over three months, so that periods mix days of partial months (stat_days)
  // with whole months (stat_months); each summary and breakdown is compared with the sum of
  // stat_counts over the very days of the period, computed here in SQL.
  const today = beijingToday();
  const back = [0, 1, 9, 31, 40, 47, 63, 75, 76, 90];
  const cats = ['neighbour', 'contract', 'labour'];
  for (let i = 0; i < back.length; i++) {
    const k = await register({ category: cats[i % 3], channel: ['walk_in', 'phone'][i % 2] });
    if (i % 2) await act(as.fc_dispatcher, k.id, { action: 'accept' });
    if (i % 4 === 1) await act(as.fc_dispatcher, k.id, ASSIGN());
    sqlOn(srv.db, `UPDATE cases SET received_at = received_at - ${back[i] * 86400e3} WHERE id = ${k.id}`);
  }
  const r = runCli(['stats', ...srv.db.args, 'rebuild']);
  assert.equal(r.status, 0, r.stderr);
  const county = ids.region(R.fucheng).id;
  const first = (d) => d.slice(0, 8) + '01';
  const spans = [
    [addDays(today, -80), today], [first(addDays(today, -40)), today], [addDays(today, -45), addDays(today, -40)],
    [first(addDays(today, -70)), addDays(first(addDays(today, -40)), -1)], [addDays(today, -100), addDays(today, -2)],
    [today, today],
  ];
  const sums = (region, from, to, group) => Object.fromEntries(sqlOn(srv.db,
    `SELECT ${group}, SUM(n) FROM stat_counts WHERE region_id = ${region} AND day >= '${from}' AND day <= '${to}'`
    + ` AND metric <> 'open_due' GROUP BY ${group}`).trim().split('\n').filter(Boolean).map((l) => l.split('|'))
    .map(([k, n]) => [k, Number(n)]));
  let seen = 0;
  for (const region of [JZJ(), county]) {
    for (const [from, to] of spans) {
      const s = await summary({ region_id: region, from, to });
      const want = sums(region, from, to, 'metric');
      for (const [f, n] of Object.entries(s.figures)) assert.equal(n, want[f] ?? 0, `${f} of ${from}..${to}`);
      const received = sums(region, from, to, "CASE WHEN metric = 'received' THEN category END");
      for (const [c, n] of Object.entries(s.counts.by_category)) assert.equal(n, received[c], `category ${c}`);
      const byCat = await as.fc_leader.get(`/api/v1/stats/breakdown?by=category&region_id=${region}&from=${from}&to=${to}`);
      for (const it of byCat.data.items) assert.equal(it.total, received[it.key], `breakdown category ${it.key}`);
      const byMonth = await as.fc_leader.get(`/api/v1/stats/breakdown?by=month&region_id=${region}&from=${from}&to=${to}`);
      assert.equal(byMonth.data.items.reduce((a, it) => a + it.total, 0), s.total, 'the months add up to the total');
      seen += s.total;
    }
  }
  const byRegion = await as.fc_leader.get(`/api/v1/stats/breakdown?by=region&region_id=${county}&from=${spans[0][0]}&to=${today}`);
  assert.equal(byRegion.data.items.reduce((a, it) => a + it.total, 0), (await summary({ region_id: county, from: spans[0][0], to: today })).total);
  assert.ok(seen > 20, `the periods held cases (${seen})`);
});
