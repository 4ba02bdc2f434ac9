// The installation's settings (系统设置): listed with their Chinese names, defaults and bounds,
// changed by a top-level administrator only, checked, audited, and in effect at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertPage, assertProblem, assertValidation, loginAs, lookup, sqlOn, R } from './helpers.mjs';
import { runCli } from '../lib/server.mjs';

let srv, admin, ids, disp, med, mediator;
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
  disp = await loginAs(srv.url, 'fc_dispatcher');
  med = await loginAs(srv.url, 'jzj_mediator');
  mediator = (await disp.get('/api/v1/mediators?q=黄志强')).data.items[0];
});
after(async () => { await srv?.stop(); });

const put = (who, key, body) => who.request('PUT', `/api/v1/settings/${key}`, { json: body });
const act = async (id, body, who = disp) => who.post(`/api/v1/cases/${id}/transitions`, body);
const newCase = async () => (await disp.post('/api/v1/cases', {
  channel: 'walk_in', category: 'contract', complexity: 'simple', facts: '买卖合同货款纠纷',
  region_id: ids.region(R.dongjie).id, parties: [{ role: 'applicant', name: '丙' }],
})).data;

test('every setting is listed with its name, explanation, bounds, default and value', async () => {
  const r = await admin.get('/api/v1/settings');
  assert.equal(r.status, 200, r.text);
  const keys = r.data.items.map((s) => s.key);
  assert.deepEqual(keys.filter((k) => !k.startsWith('risk_')), ['case_number_format', 'min_sessions_before_escalation', 'warning_lead_days',
    'quarterly_reminder_days', 'referral_feedback_days', 'related_window_days', 'retention_years', 'return_visit_sample_percent', 'meeting_url_template',
    'alert_ack_minutes_red', 'alert_ack_minutes_orange',
    'notify_retry_base_seconds', 'notify_max_attempts', 'notify_lease_seconds', 'smtp_url', 'smtp_from',
    'assess_w_success', 'assess_w_overdue', 'assess_w_satisfaction', 'assess_w_local']);
  // The risk model's knobs (docs/risk.md): a weight per factor, thresholds, amounts, response times.
  for (const k of ['risk_w_threat', 'risk_w_group', 'risk_orange_at', 'risk_red_at', 'risk_amount_large', 'risk_response_days_red']) {
    assert.ok(keys.includes(k), k);
  }
  const sameDay = r.data.items.find((s) => s.key === 'risk_response_days_red');
  assert.equal(sameDay.name, '红色（重大）风险响应时限（天）');
  assert.equal(sameDay.default, '0');
  assert.equal(r.data.items.find((s) => s.key === 'risk_response_days_orange').default, '1');
  const three = r.data.items.find((s) => s.key === 'min_sessions_before_escalation');
  assert.deepEqual({ ...three, help: undefined }, {
    key: 'min_sessions_before_escalation', name: '逐级上报前的最少调解次数', help: undefined, kind: 'integer',
    min: 0, max: 20, default: '3', value: '3', updated_at: null, updated_by: null,
  });
  assert.match(three.help, /三三制/);
  assertProblem(await disp.get('/api/v1/settings'), 403, 'forbidden');
});

test('the 三三制 minimum takes effect at once: with 2, a case escalates after two attempts', async () => {
  const k = await newCase();
  for (const body of [{ action: 'accept' }, { action: 'assign', resp_org_id: ids.org('警钟街社区人民调解委员会').id, mediator_ids: [mediator.id] }]) {
    assert.equal((await act(k.id, body)).status, 200);
  }
  for (let i = 0; i < 2; i++) assert.equal((await act(k.id, { action: 'record_session', held_at: '2026-11-20', record: `第${i + 1}次调解` }, med)).status, 200);
  assert.equal(assertProblem(await act(k.id, { action: 'escalate', reason: '分歧较大' }, med), 409, 'transition').reason, 'too_few_sessions');
  const r = await put(admin, 'min_sessions_before_escalation', { value: 2 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.value, '2');
  assert.equal(r.data.updated_by, 'admin');
  assert.equal((await act(k.id, { action: 'escalate', reason: '分歧较大' }, med)).status, 200);
  const audit = assertPage(await admin.get('/api/v1/audit?object_type=setting')).items[0];
  assert.equal(audit.action, 'update');
  assert.deepEqual(audit.fields, ['min_sessions_before_escalation']);
  assert.equal((await put(admin, 'min_sessions_before_escalation', { value: '3' })).status, 200, 'a number as text is taken too');
});

test('a new case number format numbers the next case; a format that could repeat numbers is refused', async () => {
  const bad = assertValidation(await put(admin, 'case_number_format', { value: '第{seq}号' }));
  assert.equal(bad.value, 'invalid');
  const r = await put(admin, 'case_number_format', { value: '{county}调〔{year}〕{seq}号' });
  assert.equal(r.status, 200, r.text);
  const k = await newCase();
  assert.match(k.number, /^涪城调〔\d{4}〕\d{4}号$/);
  assert.equal((await put(admin, 'case_number_format', { value: r.data.default })).status, 200);
  assert.match((await newCase()).number, /^（\d{4}）涪城人调字第\d{4}号$/);
});

test('bad values are named; unknown settings are 404; only a top-level administrator changes them', async () => {
  const range = await put(admin, 'related_window_days', { value: 0 });
  assert.equal(assertValidation(range).value, 'invalid');
  assert.match(range.data.errors[0].message, /from 1 to 3650/);
  assert.equal(assertValidation(await put(admin, 'related_window_days', { value: 'a year' })).value, 'invalid');
  assert.equal(assertValidation(await put(admin, 'related_window_days', { value: 1.5 })).value, 'type');
  assert.equal(assertValidation(await put(admin, 'related_window_days', {})).value, 'required');
  assert.equal(assertValidation(await put(admin, 'related_window_days', { value: 30, why: 'x' })).why, 'unknown');
  assertProblem(await put(admin, 'no_such_setting', { value: 1 }), 404, 'not-found');
  const county = await loginAs(srv.url, 'fc_admin');
  const refused = assertProblem(await put(county, 'related_window_days', { value: 30 }), 403, 'forbidden');
  assert.match(refused.detail, /top-level administrator/);
  assertProblem(await put(disp, 'related_window_days', { value: 30 }), 403, 'forbidden');
  assert.equal((await admin.get('/api/v1/settings')).data.items.find((s) => s.key === 'related_window_days').value, '365');
});

test('referral feedback days set the default feedback due date', async () => {
  assert.equal((await put(admin, 'referral_feedback_days', { value: 5 })).status, 200);
  const k = await newCase();
  const r = await act(k.id, { action: 'refer', to_body: '涪城区人民法院', sent: '登记表及证据材料' });
  assert.equal(r.status, 200, r.text);
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const expected = (await admin.get(`/api/v1/calendar/add?from=${today}&days=5&kind=business`)).data;
  assert.equal(r.data.due_date, expected.due);
});

test('a value edited into the database by hand out of bounds does not take effect: the default does', async () => {
  const hand = (key, value) => sqlOn(srv.db, `INSERT INTO settings (key, value) VALUES ('${key}', '${value}')`
    + ' ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  hand('case_number_format', '第{seq}号');
  hand('min_sessions_before_escalation', '99');
  const items = (await admin.get('/api/v1/settings')).data.items;
  assert.equal(items.find((s) => s.key === 'case_number_format').value, '（{year}）{county}人调字第{seq}号');
  assert.equal(items.find((s) => s.key === 'min_sessions_before_escalation').value, '3');
  assert.match((await newCase()).number, /^（\d{4}）涪城人调字第\d{4}号$/, 'numbered in the default format');
  const cli = runCli(['setting', ...srv.db.args, 'get', 'min_sessions_before_escalation']);
  assert.equal(cli.status, 0, cli.stderr);
  assert.equal(cli.stdout.trim(), '3');
  assert.equal((await put(admin, 'case_number_format', { value: '（{year}）{county}人调字第{seq}号' })).status, 200);
  assert.equal((await put(admin, 'min_sessions_before_escalation', { value: 3 })).status, 200);
});
