// `jiefen case`: the command line registers a case and takes actions through the same case
// module as the API — same checks, same refusals, same timeline and audit — on both backends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, lookup, audit, R } from './helpers.mjs';
import { runCli } from '../lib/server.mjs';

let srv, admin, ids;
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
});
after(async () => { await srv?.stop(); });

const cli = (args, body) => runCli(['case', ...args, ...srv.db.args, '--key', srv.keyFile], { input: JSON.stringify(body) });

test('a case registered and accepted on the command line, as named users, is the API\'s case', async () => {
  const reg = cli(['register', '--as', 'fc_clerk'], {
    channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: '由旧系统导入的邻里纠纷',
    region_id: ids.region(R.dongjie).id, parties: [{ role: 'applicant', name: '赵六' }],
  });
  assert.equal(reg.status, 0, reg.stderr);
  const k = JSON.parse(reg.stdout);
  assert.equal(k.state, 'registered');
  const acc = cli(['act', String(k.id), '--as', 'fc_dispatcher'], { action: 'accept' });
  assert.equal(acc.status, 0, acc.stderr);
  assert.equal(JSON.parse(acc.stdout).state, 'accepted');
  const got = (await admin.get(`/api/v1/cases/${k.id}`)).data;
  assert.equal(got.state, 'accepted');
  assert.equal(got.routings.length, 1, 'routed as the API routes');
  const t = (await admin.get(`/api/v1/cases/${k.id}/timeline`)).data.items;
  assert.deepEqual(t.map((e) => [e.action, e.actor_login]), [['register', 'fc_clerk'], ['accept', 'fc_dispatcher']]);
  const rows = await audit(admin, { object_type: 'case', action: 'accept' });
  assert.ok(rows.some((r) => r.object_id === k.id && r.actor_login === 'fc_dispatcher'), `audited as the user: ${JSON.stringify(rows.slice(0, 3))}`);
});

test('refusals and bad fields answer as the API does, and nothing is written', async () => {
  const reg = cli(['register'], { channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: '无申请人',
    region_id: ids.region(R.dongjie).id, parties: [{ role: 'respondent', name: '某' }] });
  assert.equal(reg.status, 3);
  assert.equal(JSON.parse(reg.stderr).errors[0].field, 'parties');
  const ok = JSON.parse(cli(['register'], { channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: '系统导入',
    region_id: ids.region(R.dongjie).id, parties: [{ role: 'applicant', name: '钱七' }] }).stdout);
  const wrong = cli(['act', String(ok.id)], { action: 'close' });
  assert.equal(wrong.status, 3);
  assert.equal(JSON.parse(wrong.stderr).reason, 'wrong_state');
  const grid = cli(['act', String(ok.id), '--as', 'jzj_grid'], { action: 'reject', reason: '不属于调解范围' });
  assert.equal(grid.status, 3);
  assert.equal(JSON.parse(grid.stderr).reason, 'role');
  const t = (await admin.get(`/api/v1/cases/${ok.id}/timeline`)).data.items;
  assert.equal(t.length, 1, 'only the registration');
  assert.equal(cli(['act', String(ok.id), '--as', 'nobody'], { action: 'accept' }).status, 1);
});
