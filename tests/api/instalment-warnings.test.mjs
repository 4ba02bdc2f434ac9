// The scheduler follows agreements up (协议履行, issue 9 part 3): on the day an instalment's
// period ends it warns that it falls due; once the period has ended unpaid it marks the
// instalment late and warns, once. A period whose last day is a rest day or holiday ends on
// the next working day (民法典 art. 203): an instalment due on 2026-10-01 (National Day, the
// holiday runs to 10-07) falls due on 2026-10-08.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, lookup, assertPage, R } from './helpers.mjs';
import { runCli } from '../lib/server.mjs';

let srv, disp, med, kase;
before(async () => {
  srv = await startServer();
  const ids = await lookup(await loginAs(srv.url, 'admin'));
  disp = await loginAs(srv.url, 'fc_dispatcher');
  med = await loginAs(srv.url, 'jzj_mediator');
  kase = (await disp.post('/api/v1/cases', {
    channel: 'walk_in', category: 'contract', complexity: 'simple', facts: '借款到期未还',
    region_id: ids.region(R.dongjie).id, parties: [{ role: 'applicant', name: '甲' }],
  })).data;
  const m = (await disp.get('/api/v1/mediators?q=黄志强')).data.items[0];
  for (const [who, body] of [[disp, { action: 'accept' }],
    [disp, { action: 'assign', resp_org_id: ids.org('警钟街社区人民调解委员会').id, mediator_ids: [m.id] }],
    [med, { action: 'record_session', held_at: '2026-09-20', record: '协商还款' }],
    [med, { action: 'agree', terms: '乙分两期归还借款两千元', instalments: [
      { due_date: '2026-10-01', amount: 1000 }, { due_date: '2026-10-15', amount: 1000 }] }]]) {
    const x = await who.post(`/api/v1/cases/${kase.id}/transitions`, body);
    assert.equal(x.status, 200, `${body.action}: ${x.text}`);
  }
});
after(async () => { await srv?.stop(); });

const scan = (today) => {
  const r = runCli(['scan', ...srv.db.args, '--today', today]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
};
const warnings = async (kind) => assertPage(await disp.get(`/api/v1/warnings?kind=${kind}`)).items
  .filter((w) => w.case_id === kase.id);
const plan = async () => (await med.get(`/api/v1/cases/${kase.id}/fulfilment`)).data;

test('an instalment due on a holiday falls due on the next working day, and is late the day after', async () => {
  const first = (await plan()).instalments[0];
  assert.equal(first.due_date, '2026-10-01');
  assert.equal(first.ends_on, '2026-10-08', 'the National Day holiday moves the end of the period');

  scan('2026-10-07');
  assert.equal((await warnings('instalment_due')).length, 0, 'not yet due during the holiday');
  scan('2026-10-08');
  const due = await warnings('instalment_due');
  assert.equal(due.length, 1);
  assert.equal(due[0].due_date, '2026-10-01');
  assert.equal((await plan()).instalments[0].status, 'pending', 'on its last day it is not late yet');

  scan('2026-10-09');
  assert.equal((await warnings('instalment_late')).length, 1);
  const after = await plan();
  assert.equal(after.instalments[0].status, 'late', 'the lapsed instalment is marked late');
  assert.equal(after.instalments[1].status, 'pending', 'the next one is not touched');
  assert.equal(scan('2026-10-09'), '0 warnings raised', 'a second pass raises nothing twice');

  const t = (await disp.get(`/api/v1/cases/${kase.id}/timeline`)).data.items;
  assert.deepEqual(t.filter((e) => e.action === 'deadline_warning').map((e) => e.data.kind).filter((k) => k.startsWith('instalment')),
    ['instalment_due', 'instalment_late'], 'each warning once on the timeline');
  assert.ok(t.some((e) => e.action === 'fulfilment' && e.data.status === 'late'), 'the status change is on the timeline');
});

test('a paid instalment is never warned about', async () => {
  const second = (await plan()).instalments[1];
  const r = await med.patch(`/api/v1/cases/${kase.id}/instalments/${second.id}`, { status: 'paid', paid_on: '2026-10-14' });
  assert.equal(r.status, 200, r.text);
  scan('2026-10-20');
  const late = await warnings('instalment_late');
  assert.equal(late.length, 1, 'only the first instalment is late');
  assert.equal(late[0].due_date, '2026-10-01');
});
