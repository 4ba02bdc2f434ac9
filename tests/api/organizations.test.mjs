// Organizations (组织机构): list with filters, read, create, update.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertProblem, assertStatus, assertPage, assertValidation, loginAs, lookup, listAll, uniq,
  ISO_MS, NO_SUCH_ID, R, O,
} from './helpers.mjs';

let srv, admin, ids;
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
});
after(async () => { await srv?.stop(); });

const ORG_KEYS = ['id', 'name', 'type', 'region_id', 'region_name', 'address', 'phone', 'status', 'created_at'];
const demoNames = (items) => items.map((o) => o.name).filter((n) => Object.values(O).includes(n)).sort();

test('the seven demo organizations are listed with their type and region', async () => {
  const all = await listAll(admin, '/api/v1/organizations');
  assert.deepEqual(demoNames(all), Object.values(O).sort());
  const by = Object.fromEntries(all.map((o) => [o.name, o]));
  assert.equal(by[O.mianyangCenter].type, 'center');
  assert.equal(by[O.mianyangCenter].region_name, '绵阳市');
  assert.equal(by[O.cxCommittee].type, 'mediation_committee');
  assert.equal(by[O.cxCommittee].region_name, '城厢街道');
  assert.equal(by[O.djCommittee].region_id, ids.region(R.dongjie).id);
  for (const o of all) {
    for (const k of ORG_KEYS) assert.ok(k in o, `organization.${k} missing: ${JSON.stringify(o)}`);
    assert.match(o.created_at, ISO_MS);
    assert.ok(['active', 'suspended'].includes(o.status));
  }
});

test('the list is paged with total', async () => {
  const total = (await listAll(admin, '/api/v1/organizations')).length;
  const p = assertPage(await admin.get('/api/v1/organizations?per_page=2&page=2'));
  assert.equal(p.total, total);
  assert.equal(p.page, 2);
  assert.equal(p.per_page, 2);
  assert.equal(p.items.length, 2);
});

test('filters: type, region_id (subtree) and q', async () => {
  const centers = await listAll(admin, '/api/v1/organizations?type=center');
  assert.ok(centers.every((o) => o.type === 'center'));
  assert.deepEqual(demoNames(centers), [O.mianyangCenter, O.fuchengCenter, O.cxCenter].sort());
  const cx = await listAll(admin, `/api/v1/organizations?region_id=${ids.region(R.chengxiang).id}`);
  assert.deepEqual(demoNames(cx), [O.cxCenter, O.cxCommittee, O.djCommittee, O.xjCommittee].sort());
  const cxCommittees = await listAll(admin, `/api/v1/organizations?region_id=${ids.region(R.chengxiang).id}&type=mediation_committee`);
  assert.deepEqual(demoNames(cxCommittees), [O.cxCommittee, O.djCommittee, O.xjCommittee].sort());
  const q = await listAll(admin, `/api/v1/organizations?q=${encodeURIComponent('解放街')}`);
  assert.deepEqual(q.map((o) => o.name), [O.xjCommittee]);
  assertValidation(await admin.get('/api/v1/organizations?type=castle'), 'unknown type filter');
});

test('GET /api/v1/organizations/{id} → the organization; unknown id → 404', async () => {
  const o = ids.org(O.gqCommittee);
  const r = await admin.get(`/api/v1/organizations/${o.id}`);
  assertStatus(r, 200);
  assert.deepEqual(r.data, o);
  assertProblem(await admin.get(`/api/v1/organizations/${NO_SUCH_ID}`), 404, 'not-found');
});

test('create → 201 with defaults; visible to staff of that region', async () => {
  const name = uniq('老张调解工作室');
  const r = await admin.post('/api/v1/organizations', {
    name, type: 'studio', region_id: ids.region(R.dongjie).id, address: '警钟街12号', phone: '0816-2345678',
  });
  assertStatus(r, 201);
  assert.equal(r.data.name, name);
  assert.equal(r.data.type, 'studio');
  assert.equal(r.data.region_id, ids.region(R.dongjie).id);
  assert.equal(r.data.region_name, '警钟街社区');
  assert.equal(r.data.address, '警钟街12号');
  assert.equal(r.data.phone, '0816-2345678');
  assert.equal(r.data.status, 'active');
  assert.match(r.data.created_at, ISO_MS);
  const dj = await loginAs(srv.url, 'jzj_mediator');
  assertStatus(await dj.get(`/api/v1/organizations/${r.data.id}`), 200);
  const xj = await loginAs(srv.url, 'jfj_mediator');
  assertProblem(await xj.get(`/api/v1/organizations/${r.data.id}`), 404, 'not-found');
});

test('every organization type is accepted', async () => {
  const types = ['center', 'mediation_committee', 'studio', 'department', 'court', 'procuratorate', 'police',
    'petition_bureau', 'legal_aid', 'arbitration', 'reconsideration', 'law_firm'];
  for (const type of types) {
    const r = await admin.post('/api/v1/organizations', { name: uniq(`涪城${type}`), type, region_id: ids.region(R.fucheng).id });
    assertStatus(r, 201, type);
    assert.equal(r.data.type, type);
  }
});

test('create a suspended organization', async () => {
  const r = await admin.post('/api/v1/organizations', { name: uniq('暂停'), type: 'law_firm', region_id: ids.region(R.fucheng).id, status: 'suspended' });
  assertStatus(r, 201);
  assert.equal(r.data.status, 'suspended');
});

test('create with {} names name, type and region_id', async () => {
  const errs = assertValidation(await admin.post('/api/v1/organizations', {}));
  for (const f of ['name', 'type', 'region_id']) assert.equal(errs[f], 'required', `${f}: ${JSON.stringify(errs)}`);
  for (const f of ['address', 'phone', 'status']) assert.ok(!(f in errs), `${f} is optional`);
});

test('create validates type, status, region and field types', async () => {
  const ok = { name: uniq('校验'), type: 'studio', region_id: ids.region(R.gongqu).id };
  assert.equal(assertValidation(await admin.post('/api/v1/organizations', { ...ok, type: 'castle' })).type, 'invalid');
  assert.equal(assertValidation(await admin.post('/api/v1/organizations', { ...ok, status: 'closed' })).status, 'invalid');
  assert.equal(assertValidation(await admin.post('/api/v1/organizations', { ...ok, region_id: NO_SUCH_ID })).region_id, 'not_found');
  assert.equal(assertValidation(await admin.post('/api/v1/organizations', { ...ok, region_id: 'x' })).region_id, 'type');
  assert.ok(['required', 'too_short'].includes(assertValidation(await admin.post('/api/v1/organizations', { ...ok, name: '' })).name));
  assert.equal(assertPage(await admin.get(`/api/v1/organizations?q=${encodeURIComponent(ok.name)}`)).total, 0);
});

test('PATCH changes the given fields only → 200', async () => {
  const c = await admin.post('/api/v1/organizations', { name: uniq('待改'), type: 'department', region_id: ids.region(R.gongqu).id, address: '旧地址' });
  assertStatus(c, 201);
  const newName = uniq('已改');
  const r = await admin.patch(`/api/v1/organizations/${c.data.id}`, { name: newName, status: 'suspended', phone: '0816-1111111' });
  assertStatus(r, 200);
  assert.equal(r.data.name, newName);
  assert.equal(r.data.status, 'suspended');
  assert.equal(r.data.phone, '0816-1111111');
  assert.equal(r.data.address, '旧地址');
  assert.equal(r.data.type, 'department');
  assert.equal(r.data.created_at, c.data.created_at);
  const moved = await admin.patch(`/api/v1/organizations/${c.data.id}`, { region_id: ids.region(R.xijie).id });
  assertStatus(moved, 200);
  assert.equal(moved.data.region_name, '解放街社区');
  assert.deepEqual((await admin.get(`/api/v1/organizations/${c.data.id}`)).data, moved.data);
});

test('PATCH validates and 404s like creation', async () => {
  const id = ids.org(O.gqCommittee).id;
  assert.equal(assertValidation(await admin.patch(`/api/v1/organizations/${id}`, { type: 'castle' })).type, 'invalid');
  assert.equal(assertValidation(await admin.patch(`/api/v1/organizations/${id}`, { created_at: '2020-01-01T00:00:00.000Z' })).created_at, 'unknown');
  assertProblem(await admin.patch(`/api/v1/organizations/${NO_SUCH_ID}`, { name: 'x' }), 404, 'not-found');
  assert.deepEqual((await admin.get(`/api/v1/organizations/${id}`)).data, ids.org(O.gqCommittee));
});

test('cx_admin manages organizations of its subtree only', async () => {
  const cx = await loginAs(srv.url, 'cx_admin');
  const r = await cx.post('/api/v1/organizations', { name: uniq('解放街工作室'), type: 'studio', region_id: ids.region(R.xijie).id });
  assertStatus(r, 201);
  assertStatus(await cx.patch(`/api/v1/organizations/${r.data.id}`, { address: '解放街1号' }), 200);
  assertProblem(await cx.patch(`/api/v1/organizations/${ids.org(O.gqCommittee).id}`, { address: '越权' }), 404, 'not-found');
});
