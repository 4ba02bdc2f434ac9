// Registry: the real region tree of 涪城区 (national statistical division codes) with grids under
// the villages; name search, ancestors and path names within the caller's scope; renaming and
// populations (audited).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertProblem, assertStatus, assertPage, assertValidation, loginAs, lookup, listAll, audit, R,
} from './helpers.mjs';

let srv, admin, ids;
const as = {};
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
  for (const l of ['fc_admin', 'fc_clerk', 'cx_admin', 'jzj_mediator', 'jfj_mediator']) as[l] = await loginAs(srv.url, l);
});
after(async () => { await srv?.stop(); });

const childrenOf = (client, id) => listAll(client, `/api/v1/regions?parent_id=${id}`);
async function gridsOf(code) {
  const grids = await childrenOf(admin, ids.region(code).id);
  assert.ok(grids.length > 0, `no grids under ${code}`);
  return grids;
}
const search = async (client, q, extra = '') => assertPage(await client.get(`/api/v1/regions?q=${encodeURIComponent(q)}&per_page=500${extra}`), `?q=${q}`).items;

test('涪城区 has its real streets and towns (统计用区划代码)', async () => {
  const towns = await childrenOf(admin, ids.region(R.fucheng).id);
  const byCode = Object.fromEntries(towns.map((t) => [t.code, t]));
  assert.equal(byCode['510703001000']?.name, '城厢街道', JSON.stringify(towns.map((t) => [t.code, t.name])));
  assert.equal(byCode['510703003000']?.name, '工区街道');
  assert.ok(towns.length >= 10, `涪城区 has only ${towns.length} townships: ${towns.map((t) => t.name)}`);
  for (const t of towns) {
    assert.equal(t.level, 'township', JSON.stringify(t));
    assert.match(t.code, /^510703\d{3}000$/, `township code ${t.code} does not extend 涪城区's`);
    assert.equal(t.parent_id, ids.region(R.fucheng).id);
  }
  assert.equal(new Set(towns.map((t) => t.code)).size, towns.length, 'duplicate codes');
});

test('the villages of 城厢街道 and 工区街道 are the real communities', async () => {
  const cx = await childrenOf(admin, ids.region(R.chengxiang).id);
  const byCode = Object.fromEntries(cx.map((v) => [v.code, v]));
  assert.equal(byCode['510703001003']?.name, '警钟街社区', JSON.stringify(cx.map((v) => [v.code, v.name])));
  assert.equal(byCode['510703001008']?.name, '解放街社区');
  assert.ok(cx.length >= 5, `城厢街道 has only ${cx.length} villages`);
  const gq = await childrenOf(admin, ids.region(R.gongqu).id);
  assert.ok(gq.length >= 3, `工区街道 has only ${gq.length} villages`);
  for (const [town, list] of [['510703001', cx], ['510703003', gq]]) {
    for (const v of list) {
      assert.equal(v.level, 'village', JSON.stringify(v));
      assert.match(v.code, /^\d{12}$/, JSON.stringify(v));
      assert.ok(v.code.startsWith(town), `village ${v.code} ${v.name} not coded under ${town}`);
    }
  }
});

test('grids hang under villages: level grid, codes extending the village code, no children', async () => {
  for (const code of [R.dongjie, R.xijie]) {
    const grids = await gridsOf(code);
    for (const g of grids) {
      assert.equal(g.level, 'grid', JSON.stringify(g));
      assert.ok(g.code.startsWith(code) && g.code.length > code.length, `grid code ${g.code} does not extend ${code}`);
      assert.match(g.code, /^\d+$/);
      assert.equal(g.parent_id, ids.region(code).id);
      assert.ok(g.name, 'grid without a name');
    }
    assert.equal(new Set(grids.map((g) => g.code)).size, grids.length, 'duplicate grid codes');
    assert.deepEqual(await childrenOf(admin, grids[0].id), [], 'a grid has children');
  }
});

test('region objects carry population_synthetic (bool)', async () => {
  const r = await admin.get(`/api/v1/regions/${ids.region(R.dongjie).id}`);
  assertStatus(r, 200);
  assert.equal(typeof r.data.population_synthetic, 'boolean', JSON.stringify(r.data));
  for (const x of await childrenOf(admin, ids.region(R.chengxiang).id)) {
    assert.equal(typeof x.population_synthetic, 'boolean', JSON.stringify(x));
  }
});

test('?q= finds regions by name at any depth, within the caller\'s scope only', async () => {
  const hits = await search(admin, '警钟街');
  assert.ok(hits.some((r) => r.code === R.dongjie), `admin ?q=警钟街: ${JSON.stringify(hits.map((r) => r.name))}`);
  for (const r of hits) assert.ok(r.name.includes('警钟街'), `${r.name} does not contain 警钟街`);

  const grid = (await gridsOf(R.dongjie))[0];
  assert.ok((await search(as.jzj_mediator, grid.name)).some((r) => r.id === grid.id), 'a grid is found by its name');

  assert.deepEqual(await search(as.jfj_mediator, '警钟街'), [], '解放街社区 finds the neighbour village');
  const cxHits = await search(as.cx_admin, '社区');
  assert.ok(cxHits.length > 0);
  for (const r of cxHits) assert.ok(r.code.startsWith('510703001'), `cx_admin found ${r.code} ${r.name} outside 城厢街道`);
  assert.ok(!(await search(as.fc_admin, '绵阳')).some((r) => r.code === R.mianyang), 'fc_admin finds 绵阳市 above its scope');
  assert.ok(!(await search(as.cx_admin, '工区')).some((r) => r.code === R.gongqu), 'cx_admin finds 工区街道');
});

test('?q= returns at most 50 regions; ?level= narrows to one level', async () => {
  const many = await search(admin, '社区');
  assert.ok(many.length > 0 && many.length <= 50, `?q=社区 gave ${many.length} items`);
  const villages = await search(admin, '社区', '&level=village');
  assert.ok(villages.length > 0);
  for (const r of villages) assert.equal(r.level, 'village', JSON.stringify(r));
  const towns = await listAll(admin, `/api/v1/regions?parent_id=${ids.region(R.fucheng).id}&level=township`);
  assert.deepEqual(towns.map((t) => t.code).sort(), (await childrenOf(admin, ids.region(R.fucheng).id)).map((t) => t.code).sort());
  assert.deepEqual(await listAll(admin, `/api/v1/regions?parent_id=${ids.region(R.fucheng).id}&level=village`), []);
  assertValidation(await admin.get('/api/v1/regions?q=x&level=hamlet'), 'unknown level');
});

test('ancestors: root → parent, limited to the caller\'s scope', async () => {
  const grid = (await gridsOf(R.dongjie))[0];
  const codes = async (client, id) => {
    const r = await client.get(`/api/v1/regions/${id}/ancestors`);
    assertStatus(r, 200, `ancestors of ${id}`);
    assert.ok(Array.isArray(r.data.items), r.text);
    return r.data.items.map((x) => x.code);
  };
  assert.deepEqual(await codes(admin, grid.id), [R.mianyang, R.fucheng, R.chengxiang, R.dongjie]);
  assert.deepEqual(await codes(as.fc_admin, grid.id), [R.fucheng, R.chengxiang, R.dongjie]);
  assert.deepEqual(await codes(as.cx_admin, grid.id), [R.chengxiang, R.dongjie]);
  assert.deepEqual(await codes(as.jzj_mediator, grid.id), [R.dongjie]);
  assert.deepEqual(await codes(as.jzj_mediator, ids.region(R.dongjie).id), []);
  assert.deepEqual(await codes(admin, ids.region(R.mianyang).id), []);
  assertProblem(await as.jfj_mediator.get(`/api/v1/regions/${grid.id}/ancestors`), 404, 'not-found', 'neighbour village\'s grid');
});

test('GET /api/v1/regions/{id} has path_names from the root to the region', async () => {
  const r = await admin.get(`/api/v1/regions/${ids.region(R.dongjie).id}`);
  assertStatus(r, 200);
  assert.deepEqual(r.data.path_names, ['绵阳市', '涪城区', '城厢街道', '警钟街社区']);
  const grid = (await gridsOf(R.dongjie))[0];
  const g = await admin.get(`/api/v1/regions/${grid.id}`);
  assert.deepEqual(g.data.path_names, ['绵阳市', '涪城区', '城厢街道', '警钟街社区', grid.name]);
  const root = await admin.get(`/api/v1/regions/${ids.region(R.mianyang).id}`);
  assert.deepEqual(root.data.path_names, ['绵阳市']);
});

test('PATCH name and population → 200, audited with the changed fields', async () => {
  const c = await admin.post('/api/v1/regions', { code: '510703003931', name: '改名前社区', level: 'village', parent_id: ids.region(R.gongqu).id });
  assertStatus(c, 201);
  const r = await as.fc_admin.patch(`/api/v1/regions/${c.data.id}`, { name: '改名后社区', population: 5400 });
  assertStatus(r, 200);
  assert.equal(r.data.name, '改名后社区');
  assert.equal(r.data.population, 5400);
  assert.equal(r.data.code, '510703003931');
  assert.equal(r.data.level, 'village');
  const g = await admin.get(`/api/v1/regions/${c.data.id}`);
  assert.equal(g.data.name, '改名后社区');
  assert.equal(g.data.population, 5400);
  const e = (await audit(admin, { object_type: 'region', object_id: String(c.data.id), action: 'update' }))[0];
  assert.ok(e, 'no update audit entry');
  assert.equal(e.actor_login, 'fc_admin');
  for (const f of ['name', 'population']) assert.ok(e.fields.includes(f), `fields ${JSON.stringify(e.fields)} lack ${f}`);
  const p = await admin.patch(`/api/v1/regions/${ids.region(R.dongjie).id}`, { population: 12345 });
  assertStatus(p, 200);
  assert.equal(p.data.population, 12345);
  assert.equal(p.data.name, '警钟街社区');
});

test('PATCH validates, respects scope and is for admins only', async () => {
  const id = ids.region(R.gongqu).id;
  const before = (await admin.get(`/api/v1/regions/${id}`)).data;
  assert.equal(assertValidation(await admin.patch(`/api/v1/regions/${id}`, { population: -1 })).population, 'invalid');
  assert.equal(assertValidation(await admin.patch(`/api/v1/regions/${id}`, { population: 'many' })).population, 'type');
  assert.ok(['required', 'too_short'].includes(assertValidation(await admin.patch(`/api/v1/regions/${id}`, { name: '' })).name));
  assert.equal(assertValidation(await admin.patch(`/api/v1/regions/${id}`, { code: '510703003999' })).code, 'unknown');
  assertProblem(await as.cx_admin.patch(`/api/v1/regions/${id}`, { name: '越权' }), 404, 'not-found', 'cx_admin on 工区街道');
  assertProblem(await as.fc_clerk.patch(`/api/v1/regions/${id}`, { name: '越权' }), 403, 'forbidden', 'clerk');
  assert.deepEqual((await admin.get(`/api/v1/regions/${id}`)).data, before);
});

test('a village user cannot see another village\'s grid (404)', async () => {
  const theirs = (await gridsOf(R.xijie))[0];
  const mine = (await gridsOf(R.dongjie))[0];
  assertStatus(await as.jzj_mediator.get(`/api/v1/regions/${mine.id}`), 200, 'own grid');
  assertProblem(await as.jzj_mediator.get(`/api/v1/regions/${theirs.id}`), 404, 'not-found', '解放街社区\'s grid');
  const l = await as.jzj_mediator.get(`/api/v1/regions?parent_id=${ids.region(R.xijie).id}`);
  if (l.status === 404) assertProblem(l, 404, 'not-found');
  else assert.equal(assertPage(l).total, 0, `解放街社区's grids listed to 警钟街社区: ${l.text}`);
  assertProblem(await as.jfj_mediator.get(`/api/v1/regions/${mine.id}`), 404, 'not-found', '警钟街社区\'s grid');
  assert.ok((await childrenOf(as.jzj_mediator, ids.region(R.dongjie).id)).some((g) => g.id === mine.id));
});
