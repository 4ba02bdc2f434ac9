// Risk alerts (预警): recipients configured per region, an alert for a case that grades red,
// acknowledgment (签收) by whom the rules allow, escalation to the level above exactly once.
// The alert is raised by the case module's risk hook (src/case/risk.c) in the transaction
// that grades the case; tests/unit/test_store_alerts.c calls alert_on_risk directly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertPage, assertProblem, assertValidation, loginAs, lookup, sqlOn, R, NO_SUCH_ID } from './helpers.mjs';
import { runCli } from '../lib/server.mjs';

let srv, admin, ids, disp, cx, fcSup, fcLeader, jzj, jfj;
const put = (who, regionId, recipients) =>
  who.request('PUT', `/api/v1/regions/${regionId}/alert-recipients`, { json: { recipients } });
const setSetting = (key, value) => admin.request('PUT', `/api/v1/settings/${key}`, { json: { value } });

before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
  [disp, cx, fcSup, fcLeader, jzj, jfj] = await Promise.all(
    ['fc_dispatcher', 'cx_admin', 'fc_supervisor', 'fc_leader', 'jzj_mediator', 'jfj_mediator'].map((l) => loginAs(srv.url, l)));
  // 警钟街社区 has none of its own: its township's are told, then the county's.
  let r = await put(admin, ids.region(R.chengxiang).id, [{ user_id: ids.user('cx_admin').id, duty: 'zongzhi_centre' }]);
  assert.equal(r.status, 200, r.text);
  r = await put(admin, ids.region(R.fucheng).id, [
    { user_id: ids.user('fc_supervisor').id, duty: 'zongzhi_centre' },
    { user_id: ids.user('fc_leader').id, duty: 'lead_leader' }]);
  assert.equal(r.status, 200, r.text);
});
after(async () => { await srv?.stop(); });

const scan = (at) => {
  const r = runCli(['scan', ...srv.db.args, '--at', at]);
  assert.equal(r.status, 0, r.stderr);
  // The line is printed only when something was escalated.
  const m = r.stdout.match(/^(\d+) alerts? escalated/m);
  return m ? Number(m[1]) : 0;
};
const alertsOf = async (who, caseId, query = 'state=all') =>
  assertPage(await who.get(`/api/v1/alerts?${query}&per_page=500`)).items.filter((a) => a.case_id === caseId);
const alertEvents = async (caseId) =>
  (await admin.get(`/api/v1/cases/${caseId}/timeline`)).data.items.filter((e) => e.action === 'alert');

/**
 * A group dispute over land requisition with key persons among 30 people, in 警钟街社区:
 * red (群体性 30 + 重点人员 20 + 敏感领域 10 = 60). Returns the case and its alert, or skips
 * the test when the case is red but no alert was raised (the hook is not merged yet).
 */
async function redCase(t) {
  const r = await disp.post('/api/v1/cases', {
    channel: 'walk_in', category: 'land_requisition', complexity: 'simple', facts: '征地补偿款分配不均，三十余户村民聚集',
    region_id: ids.region(R.dongjie).id, people: 30, key_persons: true,
    parties: [{ role: 'applicant', name: '王建国' }, { role: 'respondent', name: '某村民委员会', kind: 'organization' }],
  });
  assert.equal(r.status, 201, r.text);
  const k = (await admin.get(`/api/v1/cases/${r.data.id}`)).data;
  assert.equal(k.risk, 'red', 'the case grades red');
  const [alert] = await alertsOf(admin, k.id);
  assert.ok(alert, 'the red case raised an alert');
  return { k, alert };
}

test('recipients are configured per region by its administrators and leaders', async () => {
  const cxId = ids.region(R.chengxiang).id;
  const list = (await cx.get(`/api/v1/regions/${cxId}/alert-recipients`)).data.items;
  assert.deepEqual(list.map((x) => [x.login, x.duty]), [['cx_admin', 'zongzhi_centre']]);
  assert.equal(list[0].org_name, '城厢街道社会矛盾纠纷调处化解中心');

  let e = assertValidation(await put(admin, cxId, [{ user_id: ids.user('cx_admin').id, duty: 'boss' }]));
  assert.deepEqual(Object.keys(e), ['recipients[0].duty']);
  e = assertValidation(await put(admin, cxId, [{ user_id: ids.user('cx_admin').id, duty: 'other' }, { user_id: ids.user('cx_admin').id, duty: 'other' }]));
  assert.deepEqual(Object.keys(e), ['recipients[1].user_id']);
  e = assertValidation(await put(admin, cxId, [{ user_id: NO_SUCH_ID, duty: 'other' }]));
  assert.deepEqual(Object.keys(e), ['recipients[0].user_id']);
  assertValidation(await admin.request('PUT', `/api/v1/regions/${cxId}/alert-recipients`, { json: { people: [] } }));

  assertProblem(await put(jzj, cxId, []), 403, 'forbidden');
  assertProblem(await put(cx, ids.region(R.fucheng).id, []), 404, 'not-found');
  assertProblem(await jzj.get(`/api/v1/regions/${cxId}/alert-recipients`), 403, 'forbidden');
  // A leader of the county sets the township's, as the admin did: nothing lost in between.
  const r = await put(fcLeader, cxId, [{ user_id: ids.user('cx_admin').id, duty: 'zongzhi_centre' }]);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.data.items.map((x) => x.login), ['cx_admin']);
});

test('the alert list names the filter it cannot read', async () => {
  assert.deepEqual(Object.keys(assertValidation(await admin.get('/api/v1/alerts?state=late'))), ['state']);
  assert.deepEqual(Object.keys(assertValidation(await admin.get('/api/v1/alerts?mine=yes'))), ['mine']);
  assert.deepEqual(Object.keys(assertValidation(await cx.get(`/api/v1/alerts?region_id=${ids.region(R.gongqu).id}`))), ['region_id']);
  assertProblem(await cx.post(`/api/v1/alerts/${987654321}/ack`, {}), 404, 'not-found');
});

test('a red case raises an alert for the nearest recipients; acknowledged once, by whom the rules allow', async (t) => {
  const got = await redCase(t);
  if (!got) return;
  const { k, alert } = got;
  assert.equal(alert.level, 'red');
  assert.equal(alert.state, 'open');
  assert.equal(alert.case_number, k.number);
  assert.equal(alert.escalation_level, 0);
  assert.equal(alert.target_region_name, '城厢街道');
  assert.equal(alert.overdue, false);
  assert.match(alert.reasons, /群体性/);
  assert.equal(Date.parse(alert.ack_due_at) - Date.parse(alert.created_at), 60 * 60000, 'red: 60 minutes by default');

  assert.equal((await alertsOf(cx, k.id, 'mine=true')).length, 1, 'the township recipient has it');
  assert.equal((await alertsOf(fcSup, k.id, 'mine=true')).length, 0, 'the county is not told yet');
  assert.equal((await alertsOf(fcSup, k.id)).length, 1, 'but sees it in its scope');
  assert.equal((await alertsOf(jfj, k.id)).length, 0, 'the neighbouring village never sees it');
  assert.deepEqual((await alertEvents(k.id)).map((e) => e.data.event), ['raised']);

  assertProblem(await jzj.post(`/api/v1/alerts/${alert.id}/ack`, { note: '收到' }), 403, 'forbidden');
  assertProblem(await jfj.post(`/api/v1/alerts/${alert.id}/ack`, {}), 404, 'not-found');
  assertValidation(await cx.post(`/api/v1/alerts/${alert.id}/ack`, { note: 5 }));
  const a = await cx.post(`/api/v1/alerts/${alert.id}/ack`, { note: '已通知包案领导，今日上门稳控' });
  assert.equal(a.status, 200, a.text);
  assert.equal(a.data.state, 'acked');
  assert.equal(a.data.acked_by, ids.user('cx_admin').id);
  assert.equal(a.data.ack_note, '已通知包案领导，今日上门稳控');
  assertProblem(await fcSup.post(`/api/v1/alerts/${alert.id}/ack`, {}), 409, 'conflict');
  assert.equal((await alertsOf(admin, k.id, 'state=open')).length, 0);
  assert.equal((await alertsOf(admin, k.id, 'state=acked')).length, 1);
  assert.deepEqual((await alertEvents(k.id)).map((e) => e.data.event), ['raised', 'acknowledged']);
  assert.equal(scan(new Date(Date.parse(alert.ack_due_at) + 86400000).toISOString().replace(/\.\d+Z$/, 'Z')), 0,
    'an acknowledged alert never goes up');
});

test('an alert nobody acknowledges goes to the county once, with the window of the setting', async (t) => {
  const s = await setSetting('alert_ack_minutes_red', 5);
  assert.equal(s.status, 200, s.text);
  t.after(() => setSetting('alert_ack_minutes_red', 60));
  const got = await redCase(t);
  if (!got) return;
  const { k, alert } = got;
  assert.equal(Date.parse(alert.ack_due_at) - Date.parse(alert.created_at), 5 * 60000);
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  const due = Date.parse(alert.ack_due_at);

  assert.equal(scan(iso(due - 1000)), 0, 'not before it is due');
  assert.equal(scan(iso(due + 1000)), 1);
  assert.equal(scan(iso(due + 1000)), 0, 'a second pass escalates nothing');
  const [up] = await alertsOf(fcSup, k.id, 'mine=true');
  assert.ok(up, 'the county supervisor is told');
  assert.equal(up.state, 'escalated');
  assert.equal(up.escalation_level, 1);
  assert.equal(up.target_region_name, '涪城区');
  assert.equal((await alertsOf(fcLeader, k.id, 'mine=true')).length, 1);
  // Nobody above the county is configured: later passes leave it where it is.
  assert.equal(scan(iso(due + 86400000)), 0);
  assert.deepEqual((await alertEvents(k.id)).map((e) => e.data.event), ['raised', 'escalated']);
  const [still] = await alertsOf(admin, k.id, 'state=open');
  assert.equal(still.escalation_level, 1);
  const a = await fcSup.post(`/api/v1/alerts/${alert.id}/ack`, {});
  assert.equal(a.status, 200, a.text);
  assert.equal(a.data.acked_by_name, ids.user('fc_supervisor').name);
});

// The board's order (store/alerts.c ALERT_ORDER, read from the alerts_board index since
// issue 12): open before acknowledged; among the open, red first, then the least time left
// to acknowledge, then the newest; acknowledged ones latest first. Six alerts written
// straight into the table (the board only reads them) in 警钟街社区, and one in 工区街道
// that the township administrator of 城厢街道 must not see.
test('the board lists open alerts first, red first, by time left; acknowledged latest first; pages agree', async () => {
  const r = await disp.post('/api/v1/cases', {
    channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: '相邻通行纠纷',
    region_id: ids.region(R.dongjie).id, parties: [{ role: 'applicant', name: '赵一' }],
  });
  assert.equal(r.status, 201, r.text);
  const caseId = r.data.id;
  const [place] = sqlOn(srv.db, `SELECT region_id, region_path FROM cases WHERE id = ${caseId}`).split('\n').map((l) => l.split('|'));
  const [regionId, path] = place;
  const other = sqlOn(srv.db, `SELECT path FROM regions WHERE id = ${ids.region(R.gongqu).id}`).trim();
  const T = 4102444800000; // 2100-01-01: after every alert the other tests raise
  const rows = [ // [name, level, ack_due_at, acked_at]
    ['open orange due late', 'orange', T + 9000, null],
    ['acked early', 'red', T + 1000, T + 100],
    ['open red due late', 'red', T + 8000, null],
    ['open orange due soon', 'orange', T + 2000, null],
    ['acked late', 'orange', T + 1000, T + 500],
    ['open red due soon', 'red', T + 3000, null],
  ];
  const made = {};
  for (const [name, level, due, acked] of rows) {
    made[name] = Number(sqlOn(srv.db, `INSERT INTO alerts (case_id, region_id, region_path, level, from_level,
      reasons, created_at, ack_due_at, acked_at, escalation_level, top_reached, state) VALUES (${caseId}, ${regionId},
      '${path}', '${level}', 'blue', '${name}', ${T}, ${due}, ${acked ?? 'NULL'}, 0, 1, '${acked ? 'acked' : 'open'}')
      RETURNING id`).trim().split('\n')[0]);
  }
  const outside = Number(sqlOn(srv.db, `INSERT INTO alerts (case_id, region_id, region_path, level, from_level,
    reasons, created_at, ack_due_at, escalation_level, top_reached, state) VALUES (${caseId}, ${regionId},
    '${other}', 'red', 'blue', 'elsewhere', ${T}, ${T}, 0, 1, 'open') RETURNING id`).trim().split('\n')[0]);
  const mine = new Set(Object.values(made));
  const board = assertPage(await cx.get('/api/v1/alerts?state=all&per_page=500'));
  assert.equal(board.total, board.items.length, 'the count is the rows listed');
  assert.ok(!board.items.some((a) => a.id === outside), 'another township\'s alert is not on the board');
  assert.equal(new Set(board.items.map((a) => a.id)).size, board.items.length, 'no alert twice');
  assert.deepEqual(board.items.filter((a) => mine.has(a.id)).map((a) => a.reasons),
    ['open red due soon', 'open red due late', 'open orange due soon', 'open orange due late', 'acked late', 'acked early']);
  // Whatever else is on the board keeps the same order: every open one before every acknowledged one.
  const firstAcked = board.items.findIndex((a) => a.acked_at);
  assert.ok(firstAcked < 0 || board.items.slice(firstAcked).every((a) => a.acked_at), 'open alerts come first');
  // Pages of two read the same list.
  const paged = [];
  for (let page = 1; paged.length < board.total; page++) {
    const p = assertPage(await cx.get(`/api/v1/alerts?state=all&per_page=2&page=${page}`));
    assert.equal(p.total, board.total);
    paged.push(...p.items.map((a) => a.id));
  }
  assert.deepEqual(paged, board.items.map((a) => a.id));
  const open = assertPage(await cx.get('/api/v1/alerts?state=open&per_page=500'));
  assert.equal(open.total, board.items.filter((a) => !a.acked_at).length);
  const acked = assertPage(await cx.get('/api/v1/alerts?state=acked&per_page=500'));
  assert.deepEqual(acked.items.filter((a) => mine.has(a.id)).map((a) => a.reasons), ['acked late', 'acked early']);
});
