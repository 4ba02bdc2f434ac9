// Routing rules (研判分流): the shipped default rules decide the level, department and method of
// typical disputes; region rules beat defaults; ties are refused; due dates follow the calendar.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertProblem, assertStatus, assertValidation, assertRefRejected, loginAs, lookup, listAll, todayCandidates, NO_SUCH_ID, R,
} from './helpers.mjs';

let srv, admin, ids;
const as = {};
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
  for (const l of ['fc_admin', 'fc_clerk', 'cx_admin', 'jzj_grid', 'jfj_mediator', 'fc_dispatcher']) as[l] = await loginAs(srv.url, l);
});
after(async () => { await srv?.stop(); });

const RULE_KEYS = ['id', 'name', 'region_id', 'region_name', 'category', 'region_level', 'complexity', 'amount_min', 'amount_max',
  'people_min', 'people_max', 'management_level', 'department', 'department_field', 'method', 'time_limit_days', 'time_limit_kind',
  'lead_leader', 'notice_ids', 'enabled', 'specificity', 'created_at', 'updated_at'];
const DECISION_KEYS = ['management_level', 'resolved_level', 'department', 'department_field', 'method', 'time_limit_days', 'time_limit_kind', 'lead_leader', 'due_date'];

/** POST /routing/preview; checks the answer's shape and the candidates' consistency. */
async function preview(body, client = as.fc_dispatcher) {
  const r = await client.post('/api/v1/routing/preview', body);
  assertStatus(r, 200, `preview ${JSON.stringify(body)}`);
  const p = r.data;
  const ctx = JSON.stringify(p, null, 1).slice(0, 3000);
  for (const k of DECISION_KEYS) assert.ok(p.decision && k in p.decision, `decision.${k} missing: ${ctx}`);
  assert.ok(p.rule && p.rule.id && p.rule.name, `rule missing: ${ctx}`);
  assert.ok(Array.isArray(p.candidates) && Array.isArray(p.notices), ctx);
  const winners = p.candidates.filter((c) => c.outcome === 'winner');
  assert.equal(winners.length, 1, `one winner expected: ${ctx}`);
  assert.equal(winners[0].rule_id, p.rule.id, ctx);
  for (const c of p.candidates) {
    for (const k of ['rule_id', 'name', 'matched', 'specificity', 'mismatches', 'outcome']) assert.ok(k in c, `candidate.${k} missing: ${JSON.stringify(c)}`);
    assert.ok(['winner', 'beaten', 'no_match', 'disabled'].includes(c.outcome), JSON.stringify(c));
    if (c.outcome === 'disabled') continue;
    if (c.outcome === 'no_match') {
      assert.equal(c.matched, false, JSON.stringify(c));
      assert.ok(c.mismatches.length > 0, `no_match without mismatches: ${JSON.stringify(c)}`);
      for (const m of c.mismatches) for (const k of ['dimension', 'rule_value', 'case_value']) assert.ok(k in m, JSON.stringify(m));
    } else {
      assert.equal(c.matched, true, JSON.stringify(c));
      assert.deepEqual(c.mismatches, [], JSON.stringify(c));
    }
  }
  assert.match(p.decision.due_date, /^\d{4}-\d{2}-\d{2}$/);
  return p;
}

const village = () => ids.region(R.dongjie).id;
const rule = (extra) => ({
  name: `测试规则${Math.random().toString(36).slice(2, 8)}`, management_level: 'township', department: 'center',
  method: 'people_mediation', time_limit_days: 15, time_limit_kind: 'business', ...extra,
});
async function ruleCount(client = admin) { return (await listAll(client, '/api/v1/routing/rules')).length; }

test('(a) a simple neighbour dispute in a village → village level, mediation committee, people mediation', async () => {
  const p = await preview({ category: 'neighbour', region_id: village(), complexity: 'simple' });
  assert.equal(p.decision.resolved_level, 'village');
  assert.ok(['village', 'local'].includes(p.decision.management_level), p.decision.management_level);
  assert.equal(p.decision.department, 'mediation_committee');
  assert.equal(p.decision.method, 'people_mediation');
  assert.equal(p.decision.time_limit_days, 30);
  assert.equal(p.decision.time_limit_kind, 'calendar');
  assert.equal(p.decision.lead_leader, false);
  const m = await preview({ category: 'marriage_family', region_id: village(), complexity: 'simple' });
  assert.equal(m.decision.resolved_level, 'village');
  assert.equal(m.decision.method, 'people_mediation');
});

test('(b) 拖欠工资 with 40 workers in a village → township center, administrative mediation; candidates explain', async () => {
  const p = await preview({ category: 'wage_arrears', region_id: village(), complexity: 'ordinary', people: 40, amount: 600000 });
  assert.equal(p.decision.resolved_level, 'township');
  assert.equal(p.decision.management_level, 'township');
  assert.equal(p.decision.department, 'center');
  assert.equal(p.decision.method, 'administrative_mediation');
  assert.equal(p.decision.time_limit_days, 30);
  assert.equal(p.decision.time_limit_kind, 'business');
  const winner = p.candidates.find((c) => c.outcome === 'winner');
  const beaten = p.candidates.filter((c) => c.outcome === 'beaten');
  assert.ok(beaten.length > 0, 'the catch-all rule should be listed as beaten');
  for (const b of beaten) assert.ok(b.specificity <= winner.specificity, `beaten rule more specific: ${JSON.stringify(b)}`);
  const noMatch = p.candidates.filter((c) => c.outcome === 'no_match');
  const dims = noMatch.flatMap((c) => c.mismatches.map((m) => m.dimension));
  assert.ok(dims.includes('category'), `no rule failed on category: ${JSON.stringify(noMatch)}`);
  const onPeople = noMatch.flatMap((c) => c.mismatches).find((m) => m.dimension === 'people');
  assert.ok(onPeople, `the ≥50-people rule should fail on people: ${JSON.stringify(noMatch)}`);
  assert.ok(String(onPeople.case_value).includes('40'), JSON.stringify(onPeople));
  const catMiss = noMatch.flatMap((c) => c.mismatches).find((m) => m.dimension === 'category');
  assert.ok(String(catMiss.case_value).includes('wage_arrears'), JSON.stringify(catMiss));
});

test('(c) 征地拆迁 with 20 people → township', async () => {
  const p = await preview({ category: 'land_requisition', region_id: village(), complexity: 'ordinary', people: 20 });
  assert.equal(p.decision.resolved_level, 'township');
  assert.equal(p.decision.department, 'center');
  assert.equal(p.decision.method, 'administrative_mediation');
  const t = await preview({ category: 'land_requisition', region_id: ids.region(R.gongqu).id, complexity: 'ordinary', people: 20 });
  assert.equal(t.decision.resolved_level, 'township', 'a dispute arising in a township stays there');
});

test('(d) a major dispute → county with a lead leader; ≥50 people too', async () => {
  const p = await preview({ category: 'land_requisition', region_id: village(), complexity: 'major', people: 80 });
  assert.equal(p.decision.resolved_level, 'county');
  assert.equal(p.decision.management_level, 'county');
  assert.equal(p.decision.department, 'center');
  assert.equal(p.decision.lead_leader, true);
  const n = await preview({ category: 'neighbour', region_id: village(), complexity: 'major' });
  assert.equal(n.decision.resolved_level, 'county');
  assert.equal(n.decision.lead_leader, true);
  const many = await preview({ category: 'wage_arrears', region_id: village(), complexity: 'ordinary', people: 60 });
  assert.equal(many.decision.resolved_level, 'county');
  assert.equal(many.decision.lead_leader, true);
  assert.equal(many.decision.time_limit_days, 60);
});

test('(e) criminal → refer_police with notices from the catalogue; administrative → refer_reconsideration', async () => {
  const p = await preview({ category: 'criminal', region_id: village(), complexity: 'ordinary' });
  assert.equal(p.decision.method, 'refer_police');
  assert.ok(p.notices.length > 0, 'no notices for a criminal matter');
  const catalogue = new Map((await listAll(admin, '/api/v1/catalogue')).map((c) => [c.id, c]));
  for (const n of p.notices) {
    assert.ok(catalogue.has(n.id), `notice ${n.id} is not a catalogue item`);
    assert.equal(n.name, catalogue.get(n.id).name);
  }
  const winner = await admin.get(`/api/v1/routing/rules/${p.rule.id}`);
  assertStatus(winner, 200);
  assert.deepEqual([...winner.data.notice_ids].sort(), p.notices.map((n) => n.id).sort());
  const a = await preview({ category: 'administrative', region_id: village(), complexity: 'simple' });
  assert.equal(a.decision.method, 'refer_reconsideration');
});

test('the catch-all rule resolves `local` to the level where the dispute arises', async () => {
  const t = await preview({ category: 'other', region_id: ids.region(R.chengxiang).id, complexity: 'ordinary' });
  assert.equal(t.decision.department, 'mediation_committee');
  assert.equal(t.decision.method, 'people_mediation');
  assert.equal(t.decision.management_level, 'local');
  assert.equal(t.decision.resolved_level, 'township');
  const v = await preview({ category: 'other', region_id: village(), complexity: 'ordinary' });
  assert.equal(v.decision.resolved_level, 'village');
  assert.equal(v.rule.id, t.rule.id);
});

test('the shipped default rules are listed with computed specificity', async () => {
  const rules = await listAll(as.fc_clerk, '/api/v1/routing/rules');
  const defaults = rules.filter((r) => r.region_id === null);
  assert.ok(defaults.length >= 6, `only ${defaults.length} default rules`);
  for (const r of rules) {
    for (const k of RULE_KEYS) assert.ok(k in r, `rule.${k} missing: ${JSON.stringify(r)}`);
    const spec = 8 * (r.category !== null) + 4 * (r.complexity !== null) + 2 * (r.amount_min !== null || r.amount_max !== null)
      + 2 * (r.people_min !== null || r.people_max !== null) + (r.region_level !== null);
    assert.equal(r.specificity, spec, `specificity of ${r.name}`);
  }
  assert.ok(defaults.some((r) => r.category === 'criminal' && r.method === 'refer_police'));
  assert.ok(defaults.some((r) => r.category === 'administrative' && r.method === 'refer_reconsideration'));
  assert.ok(defaults.some((r) => r.specificity === 0), 'no catch-all rule');
  const criminal = await listAll(as.fc_clerk, '/api/v1/routing/rules?category=criminal');
  assert.ok(criminal.length > 0 && criminal.every((r) => r.category === 'criminal'));
});

test('preview validation and scope', async () => {
  const errs = assertValidation(await as.fc_dispatcher.post('/api/v1/routing/preview', {}));
  for (const f of ['category', 'region_id', 'complexity']) assert.equal(errs[f], 'required', f);
  const bad = assertValidation(await as.fc_dispatcher.post('/api/v1/routing/preview', { category: 'dragons', region_id: village(), complexity: 'epic', people: -3, amount: 'lots' }));
  assert.equal(bad.category, 'invalid');
  assert.equal(bad.complexity, 'invalid');
  assert.equal(bad.people, 'invalid');
  assert.equal(bad.amount, 'type');
  assertRefRejected(await as.jfj_mediator.post('/api/v1/routing/preview', { category: 'neighbour', region_id: village(), complexity: 'simple' }), 'region_id', 'another village');
  assertRefRejected(await as.fc_dispatcher.post('/api/v1/routing/preview', { category: 'neighbour', region_id: NO_SUCH_ID, complexity: 'simple' }), 'region_id', 'no such region');
  await preview({ category: 'neighbour', region_id: village(), complexity: 'simple' }, as.jzj_grid);
});

test('rules: create → 201 with specificity; validation; non-admins → 403', async () => {
  const c = await as.fc_admin.post('/api/v1/routing/rules', rule({
    region_id: ids.region(R.fucheng).id, category: 'traffic', complexity: 'difficult', amount_min: 10000, amount_max: 500000,
    people_min: 1, people_max: 9, region_level: 'village', method: 'industry_mediation', department: 'mediation_committee',
  }));
  assertStatus(c, 201);
  for (const k of RULE_KEYS) assert.ok(k in c.data, `rule.${k} missing`);
  assert.equal(c.data.specificity, 17);
  assert.equal(c.data.region_name, '涪城区');
  assert.equal(c.data.enabled, true);
  assert.equal(c.data.lead_leader, false);
  assert.deepEqual(c.data.notice_ids, []);
  assert.deepEqual((await as.fc_admin.get(`/api/v1/routing/rules/${c.data.id}`)).data, c.data);
  const errs = assertValidation(await as.fc_admin.post('/api/v1/routing/rules', { region_id: ids.region(R.fucheng).id }));
  for (const f of ['name', 'management_level', 'department', 'method', 'time_limit_days', 'time_limit_kind']) assert.equal(errs[f], 'required', f);
  const bad = assertValidation(await as.fc_admin.post('/api/v1/routing/rules', rule({
    region_id: ids.region(R.fucheng).id, category: 'dragons', complexity: 'epic', management_level: 'galaxy', method: 'duel',
    department: 'castle', time_limit_kind: 'lunar', time_limit_days: 0, region_level: 'hamlet',
  })));
  for (const f of ['category', 'complexity', 'management_level', 'method', 'department', 'time_limit_kind', 'time_limit_days', 'region_level']) {
    assert.equal(bad[f], 'invalid', `${f}: ${JSON.stringify(bad)}`);
  }
  const range = assertValidation(await as.fc_admin.post('/api/v1/routing/rules', rule({ region_id: ids.region(R.fucheng).id, category: 'traffic', people_min: 30, people_max: 10 })));
  assert.ok(range.people_min || range.people_max, JSON.stringify(range));
  const notice = await as.fc_admin.post('/api/v1/routing/rules', rule({ region_id: ids.region(R.fucheng).id, category: 'campus', notice_ids: [NO_SUCH_ID] }));
  const ne = assertValidation(notice);
  assert.ok(Object.entries(ne).some(([f, code]) => f.startsWith('notice_ids') && code === 'not_found'), notice.text);
  assertRefRejected(await as.cx_admin.post('/api/v1/routing/rules', rule({ region_id: ids.region(R.gongqu).id, category: 'campus' })), 'region_id', 'cx_admin for 工区');
  assertProblem(await as.fc_clerk.post('/api/v1/routing/rules', rule({ region_id: ids.region(R.fucheng).id, category: 'campus' })), 403, 'forbidden');
  assertStatus(await as.fc_admin.del(`/api/v1/routing/rules/${c.data.id}`), 204);
  assertProblem(await as.fc_admin.get(`/api/v1/routing/rules/${c.data.id}`), 404, 'not-found');
});

test('a rule that ties with another of the same owner → 409 naming it; nothing written', async () => {
  const fc = ids.region(R.fucheng).id;
  const a = await as.fc_admin.post('/api/v1/routing/rules', rule({ region_id: fc, category: 'consumer', people_min: 5, people_max: 20 }));
  assertStatus(a, 201);
  const before = await ruleCount();
  const t = await as.fc_admin.post('/api/v1/routing/rules', rule({ name: '重叠规则', region_id: fc, category: 'consumer', people_min: 15, people_max: 40 }));
  const p = assertProblem(t, 409, 'conflict', 'overlapping people range');
  assert.ok(Array.isArray(p.errors) && p.errors.some((e) => e.field === 'conditions' && e.code === 'tie'), t.text);
  assert.ok(p.detail.includes(String(a.data.id)) && p.detail.includes(a.data.name), `detail should name rule ${a.data.id} ${a.data.name}: ${p.detail}`);
  assert.equal(await ruleCount(), before, 'a tying rule was written');

  const c = await as.fc_admin.post('/api/v1/routing/rules', rule({ region_id: fc, category: 'consumer', people_min: 21, people_max: 40 }));
  assertStatus(c, 201, 'adjacent, not overlapping');
  const d = await as.fc_admin.post('/api/v1/routing/rules', rule({ region_id: fc, category: 'consumer', complexity: 'simple', people_min: 5, people_max: 20 }));
  assertStatus(d, 201, 'more specific, not a tie');
  const cx = await as.cx_admin.post('/api/v1/routing/rules', rule({ region_id: ids.region(R.chengxiang).id, category: 'consumer', people_min: 5, people_max: 20 }));
  assertStatus(cx, 201, 'same conditions, another owner');

  const pt = await as.fc_admin.patch(`/api/v1/routing/rules/${c.data.id}`, { people_min: 10 });
  assertProblem(pt, 409, 'conflict', 'PATCH into a tie');
  assert.equal((await admin.get(`/api/v1/routing/rules/${c.data.id}`)).data.people_min, 21, 'the tying PATCH was written');
  for (const r of [a, c, d, cx]) assertStatus(await admin.del(`/api/v1/routing/rules/${r.data.id}`), 204);
});

test('rules of equal specificity on different dimensions that can match the same case also tie', async () => {
  const fc = ids.region(R.fucheng).id;
  const a = await as.fc_admin.post('/api/v1/routing/rules', rule({ region_id: fc, category: 'finance', people_min: 1, people_max: 10 }));
  assertStatus(a, 201);
  const t = await as.fc_admin.post('/api/v1/routing/rules', rule({ region_id: fc, category: 'finance', amount_min: 0, amount_max: 100000 }));
  const p = assertProblem(t, 409, 'conflict', 'people range vs amount range: (finance, 5 people, 50 000 yuan) matches both');
  assert.ok(p.detail.includes(String(a.data.id)), p.detail);
  assertStatus(await admin.del(`/api/v1/routing/rules/${a.data.id}`), 204);
});

test('a copy of a default rule saved as a default ties with it (409)', async () => {
  const p = await preview({ category: 'neighbour', region_id: village(), complexity: 'simple' });
  const d = (await admin.get(`/api/v1/routing/rules/${p.rule.id}`)).data;
  assert.equal(d.region_id, null, 'the neighbour rule is a default rule');
  const copy = {};
  for (const k of ['category', 'region_level', 'complexity', 'amount_min', 'amount_max', 'people_min', 'people_max', 'management_level',
    'department', 'department_field', 'method', 'time_limit_days', 'time_limit_kind', 'lead_leader']) copy[k] = d[k];
  const before = await ruleCount();
  const t = await admin.post('/api/v1/routing/rules', { ...copy, name: '默认规则副本', region_id: null });
  const prob = assertProblem(t, 409, 'conflict');
  assert.ok(prob.detail.includes(String(d.id)), prob.detail);
  assert.equal(await ruleCount(), before);
});

test('a non-top admin cannot change default rules (403) but its own rule wins over the default', async () => {
  const p0 = await preview({ category: 'neighbour', region_id: village(), complexity: 'simple' });
  const def = p0.rule.id;
  assertProblem(await as.fc_admin.patch(`/api/v1/routing/rules/${def}`, { time_limit_days: 10 }), 403, 'forbidden', 'PATCH default');
  assertProblem(await as.fc_admin.del(`/api/v1/routing/rules/${def}`), 403, 'forbidden', 'DELETE default');
  assertProblem(await as.fc_admin.post('/api/v1/routing/rules', rule({ region_id: null, category: 'campus' })), 403, 'forbidden', 'POST default');
  assert.equal((await admin.get(`/api/v1/routing/rules/${def}`)).data.time_limit_days, 30);

  const made = [];
  try {
    // a county rule naming only the category (specificity 8) beats the more specific default
    const fcRule = await as.fc_admin.post('/api/v1/routing/rules', rule({ region_id: ids.region(R.fucheng).id, category: 'neighbour', management_level: 'township', department: 'center', time_limit_days: 20, time_limit_kind: 'calendar' }));
    assertStatus(fcRule, 201);
    made.push(fcRule.data.id);
    assert.equal(fcRule.data.specificity, 8);
    const p1 = await preview({ category: 'neighbour', region_id: village(), complexity: 'simple' });
    assert.equal(p1.rule.id, fcRule.data.id, 'the county rule should win');
    assert.equal(p1.decision.resolved_level, 'township');
    assert.equal(p1.decision.time_limit_days, 20);
    assert.equal(p1.candidates.find((c) => c.rule_id === def)?.outcome, 'beaten');
    const gq = (await listAll(admin, `/api/v1/regions?parent_id=${ids.region(R.gongqu).id}`))[0];
    assert.equal((await preview({ category: 'neighbour', region_id: gq.id, complexity: 'simple' })).rule.id, fcRule.data.id, 'county rule applies in all of 涪城区');

    // a deeper region's rule beats the county's
    const cxRule = await as.cx_admin.post('/api/v1/routing/rules', rule({ region_id: ids.region(R.chengxiang).id, category: 'neighbour', management_level: 'village', department: 'mediation_committee', time_limit_days: 10, time_limit_kind: 'calendar' }));
    assertStatus(cxRule, 201);
    made.push(cxRule.data.id);
    assert.equal((await preview({ category: 'neighbour', region_id: village(), complexity: 'simple' })).rule.id, cxRule.data.id, 'the township rule should win in its village');
    assert.equal((await preview({ category: 'neighbour', region_id: gq.id, complexity: 'simple' })).rule.id, fcRule.data.id, '城厢\'s rule does not apply in 工区');
    // the county's rule applies in 城厢街道: cx_admin may read it (403 on edits) or not see it at all (404)
    const seen = (await as.cx_admin.get(`/api/v1/routing/rules/${fcRule.data.id}`)).status;
    assertProblem(await as.cx_admin.patch(`/api/v1/routing/rules/${fcRule.data.id}`, { time_limit_days: 5 }), seen === 200 ? 403 : 404, seen === 200 ? 'forbidden' : 'not-found', 'cx_admin edits the county rule');
    assertProblem(await as.cx_admin.del(`/api/v1/routing/rules/${fcRule.data.id}`), seen === 200 ? 403 : 404, seen === 200 ? 'forbidden' : 'not-found', 'cx_admin deletes the county rule');

    // disabling a rule changes the preview
    assertStatus(await as.cx_admin.patch(`/api/v1/routing/rules/${cxRule.data.id}`, { enabled: false }), 200);
    assert.equal((await preview({ category: 'neighbour', region_id: village(), complexity: 'simple' })).rule.id, fcRule.data.id);
    const off = await as.fc_admin.patch(`/api/v1/routing/rules/${fcRule.data.id}`, { enabled: false });
    assertStatus(off, 200);
    assert.equal(off.data.enabled, false);
    const p2 = await preview({ category: 'neighbour', region_id: village(), complexity: 'simple' });
    assert.equal(p2.rule.id, def, 'back to the default once the region rules are disabled');
    assert.ok(!p2.candidates.some((c) => c.rule_id === fcRule.data.id && ['winner', 'beaten'].includes(c.outcome)), 'a disabled rule took part');

    assertStatus(await as.cx_admin.del(`/api/v1/routing/rules/${cxRule.data.id}`), 204);
    assertStatus(await as.fc_admin.del(`/api/v1/routing/rules/${fcRule.data.id}`), 204);
    made.length = 0;
    assert.equal((await preview({ category: 'neighbour', region_id: village(), complexity: 'simple' })).rule.id, def);
  } finally {
    for (const id of made) await admin.del(`/api/v1/routing/rules/${id}`);
  }
});

test('the top administrator may edit a default rule', async () => {
  const p = await preview({ category: 'administrative', region_id: village(), complexity: 'simple' });
  const r = await admin.patch(`/api/v1/routing/rules/${p.rule.id}`, { department_field: '司法行政' });
  assertStatus(r, 200);
  assert.equal(r.data.department_field, '司法行政');
  assert.equal((await preview({ category: 'administrative', region_id: village(), complexity: 'simple' })).decision.department_field, '司法行政');
});

/** Working days in (from, to]: Monday–Friday or a make-up workday, and not a holiday. */
async function businessDaysBetween(from, to) {
  const years = new Set([from.slice(0, 4), to.slice(0, 4)]);
  const kinds = new Map();
  for (const y of years) {
    const r = await admin.get(`/api/v1/calendar?year=${y}`);
    assertStatus(r, 200);
    for (const d of r.data.days) kinds.set(d.date, d.kind);
  }
  const isWork = (iso) => {
    const k = kinds.get(iso);
    if (k === 'holiday') return false;
    if (k === 'workday') return true;
    const dow = new Date(`${iso}T00:00:00Z`).getUTCDay();
    return dow !== 0 && dow !== 6;
  };
  let n = 0;
  const d = new Date(`${from}T00:00:00Z`);
  for (;;) {
    d.setUTCDate(d.getUTCDate() + 1);
    const iso = d.toISOString().slice(0, 10);
    if (iso > to) break;
    if (isWork(iso)) n++;
  }
  return { n, lastIsWork: isWork(to) };
}

test('due_date is counted on the calendar: business days skip weekends and holidays', async () => {
  const cal = await preview({ category: 'neighbour', region_id: village(), complexity: 'simple' });
  const biz = await preview({ category: 'wage_arrears', region_id: village(), complexity: 'ordinary', people: 40 });
  assert.equal(cal.decision.time_limit_kind, 'calendar');
  assert.equal(biz.decision.time_limit_kind, 'business');
  const fits = [];
  for (const today of todayCandidates()) {
    const c = await as.fc_dispatcher.get(`/api/v1/calendar/add?from=${today}&days=${cal.decision.time_limit_days}&kind=calendar`);
    const b = await as.fc_dispatcher.get(`/api/v1/calendar/add?from=${today}&days=${biz.decision.time_limit_days}&kind=business`);
    assertStatus(c, 200); assertStatus(b, 200);
    if (c.data.due === cal.decision.due_date && b.data.due === biz.decision.due_date) fits.push(today);
  }
  assert.ok(fits.length > 0, `due dates ${cal.decision.due_date} / ${biz.decision.due_date} are not today (${todayCandidates()}) + the time limit on the calendar`);
  const today = fits[0];
  const { n, lastIsWork } = await businessDaysBetween(today, biz.decision.due_date);
  assert.equal(n, biz.decision.time_limit_days, `${n} working days from ${today} to ${biz.decision.due_date}`);
  assert.ok(lastIsWork, 'a business-day due date falls on a working day');
  assert.ok(biz.decision.due_date > cal.decision.due_date, '30 working days end after 30 calendar days');
});
