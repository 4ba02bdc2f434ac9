// Regions (行政区划): the tree, reading, creating.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertProblem, assertStatus, assertPage, assertValidation, loginAs, lookup, listAll, NO_SUCH_ID, R,
} from './helpers.mjs';

let srv, admin, ids;
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
});
after(async () => { await srv?.stop(); });

const children = async (code) => (await listAll(admin, `/api/v1/regions?parent_id=${ids.region(code).id}`)).map((r) => r.code).sort();

test('the demo tree: 绵阳市 ─ 涪城区 ─ {城厢街道 ─ {警钟街社区, 解放街社区, …}, 工区街道, …}', async () => {
  const root = assertPage(await admin.get('/api/v1/regions'));
  assert.equal(root.total, 1);
  assert.deepEqual(root.items.map((r) => [r.code, r.name, r.level, r.parent_id]), [[R.mianyang, '绵阳市', 'city', null]]);
  assert.ok((await children(R.mianyang)).includes(R.fucheng));
  const townships = await children(R.fucheng);
  for (const c of [R.chengxiang, R.gongqu]) assert.ok(townships.includes(c), `${c} not under 涪城区: ${townships}`);
  const villages = await children(R.chengxiang);
  for (const c of [R.dongjie, R.xijie]) assert.ok(villages.includes(c), `${c} not under 城厢街道: ${villages}`);
  const levels = Object.fromEntries(Object.values(ids.regions).map((r) => [r.code, r.level]));
  assert.equal(levels[R.fucheng], 'county');
  assert.equal(levels[R.chengxiang], 'township');
  assert.equal(levels[R.gongqu], 'township');
  assert.equal(levels[R.dongjie], 'village');
  assert.equal(ids.region(R.dongjie).name, '警钟街社区');
  assert.equal(ids.region(R.xijie).parent_id, ids.region(R.chengxiang).id);
});

test('GET /api/v1/regions/{id} → the region object', async () => {
  const r = await admin.get(`/api/v1/regions/${ids.region(R.chengxiang).id}`);
  assertStatus(r, 200);
  for (const k of ['id', 'code', 'name', 'level', 'parent_id', 'population']) assert.ok(k in r.data, `region.${k} missing`);
  assert.equal(r.data.code, R.chengxiang);
  assert.equal(r.data.name, '城厢街道');
  assert.equal(r.data.level, 'township');
  assert.equal(r.data.parent_id, ids.region(R.fucheng).id);
  assert.ok(r.data.population === null || Number.isInteger(r.data.population));
  assertProblem(await admin.get(`/api/v1/regions/${NO_SUCH_ID}`), 404, 'not-found');
});

test('children lists are paged with total', async () => {
  const all = await listAll(admin, `/api/v1/regions?parent_id=${ids.region(R.chengxiang).id}`);
  assert.ok(all.length >= 2);
  const p = assertPage(await admin.get(`/api/v1/regions?parent_id=${ids.region(R.chengxiang).id}&per_page=1`));
  assert.equal(p.total, all.length);
  assert.equal(p.items.length, 1);
  const p2 = assertPage(await admin.get(`/api/v1/regions?parent_id=${ids.region(R.chengxiang).id}&per_page=1&page=2`));
  assert.equal(p2.items.length, 1);
  assert.notEqual(p2.items[0].id, p.items[0].id);
});

test('every staff role can read the regions of its scope', async () => {
  const c = await loginAs(srv.url, 'jzj_grid');
  assertStatus(await c.get(`/api/v1/regions/${ids.region(R.dongjie).id}`), 200);
  assert.deepEqual(assertPage(await c.get('/api/v1/regions')).items.map((r) => r.code), [R.dongjie]);
});

test('unauthenticated region reads → 401', async () => {
  const r = await fetch(`${srv.url}/api/v1/regions`);
  assert.equal(r.status, 401);
});

test('create a village → 201; it appears under its parent', async () => {
  const body = { code: '510703003901', name: '临园测试社区', level: 'village', parent_id: ids.region(R.gongqu).id, population: 8600 };
  const r = await admin.post('/api/v1/regions', body);
  assertStatus(r, 201);
  assert.equal(r.data.code, body.code);
  assert.equal(r.data.name, body.name);
  assert.equal(r.data.level, 'village');
  assert.equal(r.data.parent_id, body.parent_id);
  assert.equal(r.data.population, 8600);
  assert.ok(r.data.id);
  assert.ok((await children(R.gongqu)).includes(body.code));
  const { path_names: pathNames, ...detail } = (await admin.get(`/api/v1/regions/${r.data.id}`)).data;
  assert.deepEqual(detail, r.data);
  assert.deepEqual(pathNames, ['绵阳市', '涪城区', '工区街道', body.name]);
});

test('population is optional (null)', async () => {
  const r = await admin.post('/api/v1/regions', { code: '510703003902', name: '北街测试社区', level: 'village', parent_id: ids.region(R.gongqu).id });
  assertStatus(r, 201);
  assert.equal(r.data.population, null);
});

test('create with {} names code, name, level and parent_id', async () => {
  const errs = assertValidation(await admin.post('/api/v1/regions', {}));
  for (const f of ['code', 'name', 'level', 'parent_id']) assert.equal(errs[f], 'required', `${f}: ${JSON.stringify(errs)}`);
  assert.ok(!('population' in errs));
});

test('create validates code, level, population and parent', async () => {
  const ok = { code: '510703003910', name: '校验社区', level: 'village', parent_id: ids.region(R.gongqu).id };
  assert.equal(assertValidation(await admin.post('/api/v1/regions', { ...ok, code: '5107' })).code, 'invalid');
  assert.equal(assertValidation(await admin.post('/api/v1/regions', { ...ok, code: 'abcdefghijkl' })).code, 'invalid');
  assert.equal(assertValidation(await admin.post('/api/v1/regions', { ...ok, level: 'hamlet' })).level, 'invalid');
  assert.equal(assertValidation(await admin.post('/api/v1/regions', { ...ok, population: -5 })).population, 'invalid');
  assert.equal(assertValidation(await admin.post('/api/v1/regions', { ...ok, population: 'many' })).population, 'type');
  assert.equal(assertValidation(await admin.post('/api/v1/regions', { ...ok, parent_id: NO_SUCH_ID })).parent_id, 'not_found');
  assert.ok(!(await children(R.gongqu)).includes(ok.code), 'a rejected region was created');
});

test('a region must be below its parent\'s level', async () => {
  const r = await admin.post('/api/v1/regions', { code: '510703003911', name: '倒挂', level: 'city', parent_id: ids.region(R.gongqu).id });
  assert.equal(assertValidation(r).level, 'invalid');
});

test('duplicate code → 409 conflict', async () => {
  const r = await admin.post('/api/v1/regions', { code: R.xijie, name: '解放街社区二', level: 'village', parent_id: ids.region(R.chengxiang).id });
  const before = await children(R.chengxiang);
  assertProblem(r, 409, 'conflict');
  assert.deepEqual(await children(R.chengxiang), before);
  assert.equal((await listAll(admin, `/api/v1/regions?parent_id=${ids.region(R.chengxiang).id}`)).filter((x) => x.code === R.xijie).length, 1);
});

test('non-admins cannot create regions → 403', async () => {
  const c = await loginAs(srv.url, 'fc_leader');
  assertProblem(await c.post('/api/v1/regions', { code: '510703003920', name: '无权', level: 'village', parent_id: ids.region(R.gongqu).id }), 403, 'forbidden');
});
