// The intake form's party look-up (当事人查询): by ID number or phone through the blind
// indexes, the name in clear, phone and address masked, the party's earlier cases listed,
// limited to the caller's scope, audited when it finds someone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertStatus, assertValidation, assertProblem, assertPage, loginAs, lookup, residentId, mobile, R,
} from './helpers.mjs';

let srv, admin, ids, clerk, grid, mediator, known;
const address = '涪城区解放街12号院3单元402';
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
  clerk = await loginAs(srv.url, 'fc_clerk');
  grid = await loginAs(srv.url, 'jzj_grid'); // 警钟街社区: cannot see 解放街's cases
  mediator = await loginAs(srv.url, 'jfj_mediator');
  known = { id_number: residentId(), phone: mobile() };
  const r = await clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: '邻居占用公共楼道堆放杂物',
    region_id: ids.region(R.xijie).id,
    parties: [{ role: 'applicant', name: '周桂兰', ...known, address }, { role: 'respondent', name: '吴志强' }],
  });
  assertStatus(r, 201, 'intake');
  known.case = r.data;
});
after(async () => { await srv?.stop(); });

test('an ID number finds the party: name in clear, phone and address masked, earlier cases listed', async () => {
  const r = await clerk.post('/api/v1/parties/lookup', { id_number: known.id_number });
  assertStatus(r, 200, 'lookup');
  assert.equal(r.data.found, true);
  assert.equal(r.data.name, '周桂兰');
  assert.equal(r.data.kind, 'person');
  assert.notEqual(r.data.phone, known.phone);
  assert.match(r.data.phone, /^139\*+\d{4}$/);
  assert.ok(r.data.address.includes('*') && r.data.address !== address, r.data.address);
  const c = r.data.cases.find((x) => x.id === known.case.id);
  assert.ok(c, 'the earlier case is listed');
  assert.equal(c.number, known.case.number);
  assert.equal(c.role, 'applicant');
  assert.equal(c.state, 'registered');
  assert.ok(!JSON.stringify(r.data).includes(known.id_number), 'the ID number is never echoed');
});

test('a phone number alone finds the same party', async () => {
  const r = await clerk.post('/api/v1/parties/lookup', { phone: known.phone });
  assertStatus(r, 200);
  assert.equal(r.data.name, '周桂兰');
  assert.ok(r.data.cases.some((x) => x.id === known.case.id));
});

test('nobody under that number: found false, no cases', async () => {
  const r = await clerk.post('/api/v1/parties/lookup', { id_number: residentId('510703', '19920202') });
  assertStatus(r, 200);
  assert.deepEqual(r.data, { found: false, name: null, kind: null, phone: null, address: null, cases: [] });
});

test('a party known only outside the caller\'s scope is not found', async () => {
  const r = await grid.post('/api/v1/parties/lookup', { id_number: known.id_number });
  assertStatus(r, 200);
  assert.equal(r.data.found, false);
  assert.deepEqual(r.data.cases, []);
});

test('bad input is named: invalid numbers, neither given, unknown fields', async () => {
  const bad = assertValidation(await clerk.post('/api/v1/parties/lookup', { id_number: '123', phone: '12' }));
  assert.equal(bad.id_number, 'invalid');
  assert.equal(bad.phone, 'invalid');
  assert.equal(assertValidation(await clerk.post('/api/v1/parties/lookup', {})).id_number, 'required');
  assert.ok('name' in assertValidation(await clerk.post('/api/v1/parties/lookup', { name: '周桂兰' })));
});

test('roles that do not register cannot look parties up (403)', async () => {
  assertProblem(await mediator.post('/api/v1/parties/lookup', { id_number: known.id_number }), 403, 'forbidden');
});

test('a look-up that finds someone is an audited read', async () => {
  const before = assertPage(await admin.get('/api/v1/audit?object_type=party&per_page=1')).total;
  assertStatus(await clerk.post('/api/v1/parties/lookup', { phone: known.phone }), 200);
  const after = assertPage(await admin.get('/api/v1/audit?object_type=party&per_page=5'));
  assert.equal(after.total, before + 1);
  assert.equal(after.items[0].action, 'read');
  assert.equal(after.items[0].object_id, known.case.id);
});
