// Return visits (回访): due after closing for complex and major cases; a recurrence reopens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertPage, loginAs, lookup, R } from './helpers.mjs';
import { runCli } from '../lib/server.mjs';

let srv, disp, med, ids, mediator;
before(async () => {
  srv = await startServer();
  ids = await lookup(await loginAs(srv.url, 'admin'));
  disp = await loginAs(srv.url, 'fc_dispatcher');
  med = await loginAs(srv.url, 'jzj_mediator');
  mediator = (await disp.get('/api/v1/mediators?q=黄志强')).data.items[0];
});
after(async () => { await srv?.stop(); });

async function closedCase(complexity) {
  const r = await disp.post('/api/v1/cases', {
    channel: 'walk_in', category: 'housing_homestead', complexity, facts: '宅基地界址争议',
    region_id: ids.region(R.dongjie).id, parties: [{ role: 'applicant', name: '甲' }],
  });
  const id = r.data.id;
  for (const [who, body] of [[disp, { action: 'accept' }],
    [disp, { action: 'assign', resp_org_id: ids.org('警钟街社区人民调解委员会').id, mediator_ids: [mediator.id], lead_leader_id: ids.user('fc_leader').id }],
    [med, { action: 'record_session', held_at: '2026-11-20', record: '现场勘查' }],
    [med, { action: 'agree', terms: '按原界址恢复' }], [med, { action: 'close' }]]) {
    const x = await who.post(`/api/v1/cases/${id}/transitions`, body);
    assert.equal(x.status, 200, `${body.action}: ${x.text}`);
  }
  return (await disp.get(`/api/v1/cases/${id}`)).data;
}

test('closing a difficult case schedules a return visit, and the scheduler warns on the day', async () => {
  const k = await closedCase('difficult');
  const t = (await disp.get(`/api/v1/cases/${k.id}/timeline`)).data.items;
  const due = t.find((e) => e.action === 'close').data.visit_due;
  assert.match(due, /^\d{4}-\d{2}-\d{2}$/);
  const scan = (today) => runCli(['scan', ...srv.db.args, '--today', today]);
  assert.equal(scan(due).status, 0);
  const w = assertPage(await disp.get('/api/v1/warnings?kind=visit')).items.filter((x) => x.case_id === k.id);
  assert.equal(w.length, 1);
  assert.equal(scan(due).stdout.trim(), '0 warnings raised');
});

test('a return visit that finds a recurrence reopens the case', async () => {
  const k = await closedCase('major');
  const r = await med.post(`/api/v1/cases/${k.id}/transitions`, {
    action: 'return_visit', visitor: '黄志强', method: '上门', satisfaction: 2, fulfilled: false, recurrence: true, note: '双方又起争执',
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.state, 'accepted');
  const actions = (await disp.get(`/api/v1/cases/${k.id}/timeline`)).data.items.map((e) => e.action);
  assert.deepEqual(actions.slice(-2), ['return_visit', 'reopen']);
});

test('a visit without recurrence keeps the case closed', async () => {
  const k = await closedCase('major');
  const r = await med.post(`/api/v1/cases/${k.id}/transitions`, { action: 'return_visit', visitor: '黄志强', method: '电话', satisfaction: 5, fulfilled: true });
  assert.equal(r.data.state, 'closed');
});
