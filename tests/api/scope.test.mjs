// Region scope (属地管理): a user sees its organization's region and the subtree below,
// objects outside answer 404; roles not allowed for an endpoint get 403.
//
// Demo tree (the real county tree; these are the parts the tests use):
// 绵阳市 ─ 涪城区 ─┬ 城厢街道 ─┬ 警钟街社区 ─ grids
//                  │           └ 解放街社区 ─ grids
//                  └ 工区街道 ─ its communities
// Codes the tests create use the 9xx numbers the national division codes leave unused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, Client, assertProblem, assertStatus, assertPage, assertRefRejected, loginAs, lookup, listAll, uniq, R, O, DEMO_PASSWORD,
} from './helpers.mjs';

let srv, admin, ids;
const as = {};
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
  for (const l of ['jzj_mediator', 'jfj_mediator', 'cx_mediator', 'cx_admin', 'fc_admin', 'fc_supervisor', 'fc_leader', 'fc_clerk', 'jzj_grid']) {
    as[l] = await loginAs(srv.url, l);
  }
});
after(async () => { await srv?.stop(); });

const orgNames = async (c, q = '') => (await listAll(c, `/api/v1/organizations${q}`)).map((o) => o.name).sort();

test('jzj_mediator (警钟街社区): the 解放街社区 committee answers 404, not 403', async () => {
  const r = await as.jzj_mediator.get(`/api/v1/organizations/${ids.org(O.xjCommittee).id}`);
  assertProblem(r, 404, 'not-found');
  assertStatus(await as.jzj_mediator.get(`/api/v1/organizations/${ids.org(O.djCommittee).id}`), 200, 'own organization');
});

test('jzj_mediator lists only the organizations of 警钟街社区', async () => {
  const names = await orgNames(as.jzj_mediator);
  assert.deepEqual(names, [O.djCommittee]);
  assert.ok(!names.includes(O.xjCommittee));
});

test('a village never sees its neighbour: jfj_mediator does not see 警钟街社区', async () => {
  assertProblem(await as.jfj_mediator.get(`/api/v1/organizations/${ids.org(O.djCommittee).id}`), 404, 'not-found');
  assertProblem(await as.jfj_mediator.get(`/api/v1/regions/${ids.region(R.dongjie).id}`), 404, 'not-found');
  assert.deepEqual(await orgNames(as.jfj_mediator), [O.xjCommittee]);
});

test('cx_mediator and cx_admin (城厢街道) see both villages\' organizations and nothing outside 城厢街道', async () => {
  const expected = [O.cxCenter, O.cxCommittee, O.djCommittee, O.xjCommittee].sort();
  for (const who of ['cx_mediator', 'cx_admin']) {
    const names = (await orgNames(as[who])).filter((n) => Object.values(O).includes(n));
    assert.deepEqual(names, expected, who);
    assertStatus(await as[who].get(`/api/v1/organizations/${ids.org(O.xjCommittee).id}`), 200, `${who} 解放街`);
    assertStatus(await as[who].get(`/api/v1/organizations/${ids.org(O.djCommittee).id}`), 200, `${who} 警钟街`);
    assertProblem(await as[who].get(`/api/v1/organizations/${ids.org(O.gqCommittee).id}`), 404, 'not-found', `${who} 工区`);
    assertProblem(await as[who].get(`/api/v1/organizations/${ids.org(O.fuchengCenter).id}`), 404, 'not-found', `${who} 涪城区中心`);
  }
});

test('fc_admin sees all of 涪城区 but not 绵阳市\'s organization', async () => {
  const names = (await orgNames(as.fc_admin)).filter((n) => Object.values(O).includes(n));
  const expected = Object.values(O).filter((n) => n !== O.mianyangCenter).sort();
  assert.deepEqual(names, expected);
  assertProblem(await as.fc_admin.get(`/api/v1/organizations/${ids.org(O.mianyangCenter).id}`), 404, 'not-found');
  assertProblem(await as.fc_admin.get(`/api/v1/regions/${ids.region(R.mianyang).id}`), 404, 'not-found', 'parent region');
});

test('GET /api/v1/regions/{id} of a neighbour or of the parent → 404', async () => {
  assertProblem(await as.jzj_mediator.get(`/api/v1/regions/${ids.region(R.xijie).id}`), 404, 'not-found', 'neighbour village');
  assertProblem(await as.jzj_mediator.get(`/api/v1/regions/${ids.region(R.chengxiang).id}`), 404, 'not-found', 'parent township');
  assertProblem(await as.cx_admin.get(`/api/v1/regions/${ids.region(R.gongqu).id}`), 404, 'not-found', 'neighbour township');
  assertStatus(await as.jzj_mediator.get(`/api/v1/regions/${ids.region(R.dongjie).id}`), 200, 'own region');
  assertStatus(await as.cx_mediator.get(`/api/v1/regions/${ids.region(R.xijie).id}`), 200, 'child region');
});

test('GET /api/v1/regions without parent_id is the caller\'s own root region', async () => {
  const codes = async (c) => assertPage(await c.get('/api/v1/regions')).items.map((r) => r.code);
  assert.deepEqual(await codes(as.jzj_mediator), [R.dongjie]);
  assert.deepEqual(await codes(as.cx_mediator), [R.chengxiang]);
  assert.deepEqual(await codes(as.fc_admin), [R.fucheng]);
  assert.deepEqual(await codes(admin), [R.mianyang]);
});

test('children of an out-of-scope region are not revealed', async () => {
  // Either 404 for the out-of-scope parent, or only the children in scope (警钟街社区 itself).
  const r = await as.jzj_mediator.get(`/api/v1/regions?parent_id=${ids.region(R.chengxiang).id}`);
  if (r.status === 200) {
    assert.ok(r.data.items.every((x) => x.code === R.dongjie), `leaks ${r.text}`);
    assert.equal(r.data.total, r.data.items.length, `total counts hidden regions: ${r.text}`);
  } else assertProblem(r, 404, 'not-found');
  const o = await as.jzj_mediator.get(`/api/v1/organizations?region_id=${ids.region(R.xijie).id}`);
  if (o.status === 200) assert.equal(o.data.total, 0, `leaks ${o.text}`);
  else assert.ok([400, 404].includes(o.status), o.text);
});

test('users outside the scope answer 404 and are not listed', async () => {
  assertProblem(await as.cx_admin.get(`/api/v1/users/${ids.user('fc_clerk').id}`), 404, 'not-found');
  assertProblem(await as.cx_admin.patch(`/api/v1/users/${ids.user('fc_clerk').id}`, { name: '越权' }), 404, 'not-found');
  assertProblem(await as.cx_admin.post(`/api/v1/users/${ids.user('fc_clerk').id}/password`, { password: 'taken-over-1' }), 404, 'not-found');
  const logins = (await listAll(as.cx_admin, '/api/v1/users')).map((u) => u.login);
  for (const l of ['cx_admin', 'cx_mediator', 'jzj_mediator', 'jzj_grid', 'jfj_mediator']) assert.ok(logins.includes(l), `${l} missing`);
  for (const l of ['admin', 'fc_admin', 'fc_clerk', 'fc_leader']) assert.ok(!logins.includes(l), `${l} leaked`);
  const sup = (await listAll(as.fc_supervisor, '/api/v1/users')).map((u) => u.login);
  assert.ok(sup.includes('fc_clerk') && sup.includes('jzj_mediator'));
  assert.ok(!sup.includes('admin'), 'fc_supervisor sees the city administrator');
  assertProblem(await as.fc_supervisor.get(`/api/v1/users/${ids.user('admin').id}`), 404, 'not-found');
});

test('cx_admin can create a user in 解放街社区 (inside its subtree)', async () => {
  const r = await as.cx_admin.post('/api/v1/users', {
    login: uniq('xj'), name: '解放街新调解员', password: 'scope-pass-1', roles: ['mediator'], org_id: ids.org(O.xjCommittee).id,
  });
  assertStatus(r, 201);
  assert.equal(r.data.region_name, '解放街社区');
});

test('an admin cannot create a user, organization or region outside its subtree', async () => {
  const login = uniq('out');
  assertRefRejected(await as.cx_admin.post('/api/v1/users', {
    login, name: '越界', password: 'scope-pass-1', roles: ['clerk'], org_id: ids.org(O.gqCommittee).id,
  }), 'org_id', 'user in 工区');
  assertRefRejected(await as.cx_admin.post('/api/v1/users', {
    login, name: '越界', password: 'scope-pass-1', roles: ['admin'], org_id: ids.org(O.fuchengCenter).id,
  }), 'org_id', 'user in parent 涪城区');
  assertRefRejected(await as.fc_admin.post('/api/v1/users', {
    login, name: '越界', password: 'scope-pass-1', roles: ['admin'], org_id: ids.org(O.mianyangCenter).id,
  }), 'org_id', 'fc_admin user in 绵阳市');
  assert.equal(assertPage(await admin.get(`/api/v1/users?q=${login}`)).total, 0, 'user was created');

  const orgName = uniq('越界组织');
  assertRefRejected(await as.cx_admin.post('/api/v1/organizations', {
    name: orgName, type: 'studio', region_id: ids.region(R.gongqu).id,
  }), 'region_id', 'org in 工区');
  assertRefRejected(await as.cx_admin.post('/api/v1/organizations', {
    name: orgName, type: 'center', region_id: ids.region(R.fucheng).id,
  }), 'region_id', 'org in parent');
  assert.equal(assertPage(await admin.get(`/api/v1/organizations?q=${encodeURIComponent(orgName)}`)).total, 0);

  assertRefRejected(await as.cx_admin.post('/api/v1/regions', {
    code: '510703003951', name: '越界社区', level: 'village', parent_id: ids.region(R.gongqu).id,
  }), 'parent_id', 'region under 工区');
  assertRefRejected(await as.cx_admin.post('/api/v1/regions', {
    code: '510703951000', name: '越界街道', level: 'township', parent_id: ids.region(R.fucheng).id,
  }), 'parent_id', 'region under parent 涪城区');
  const children = assertPage(await admin.get(`/api/v1/regions?parent_id=${ids.region(R.gongqu).id}`)).items;
  assert.ok(!children.some((r) => r.code === '510703003951'), 'region was created');
});

test('an admin cannot move a user or organization out of its subtree', async () => {
  const u = ids.user('jfj_mediator');
  assertRefRejected(await as.cx_admin.patch(`/api/v1/users/${u.id}`, { org_id: ids.org(O.gqCommittee).id }), 'org_id', 'move user');
  assert.equal((await admin.get(`/api/v1/users/${u.id}`)).data.org_name, O.xjCommittee);
  const o = ids.org(O.xjCommittee);
  assertRefRejected(await as.cx_admin.patch(`/api/v1/organizations/${o.id}`, { region_id: ids.region(R.gongqu).id }), 'region_id', 'move org');
  assert.equal((await admin.get(`/api/v1/organizations/${o.id}`)).data.region_name, '解放街社区');
});

test('an admin can create a region inside its subtree', async () => {
  const r = await as.cx_admin.post('/api/v1/regions', { code: '510703001003951', name: '警钟街测试网格', level: 'grid', parent_id: ids.region(R.dongjie).id });
  assertStatus(r, 201);
  assertStatus(await as.jzj_mediator.get(`/api/v1/regions/${r.data.id}`), 200, 'jzj_mediator sees the new grid');
  assertProblem(await as.jfj_mediator.get(`/api/v1/regions/${r.data.id}`), 404, 'not-found', 'jfj_mediator does not');
});

test('a non-admin role on an admin endpoint → 403 forbidden', async () => {
  const org = ids.org(O.djCommittee).id;
  const cases = [
    ['jzj_mediator', 'POST', '/api/v1/users', { login: uniq('f'), name: '无权', password: 'scope-pass-1', roles: ['clerk'], org_id: org }],
    ['jzj_mediator', 'GET', '/api/v1/users'],
    ['jzj_grid', 'GET', '/api/v1/users'],
    ['fc_clerk', 'GET', '/api/v1/users'],
    ['fc_supervisor', 'POST', '/api/v1/users', { login: uniq('f'), name: '无权', password: 'scope-pass-1', roles: ['clerk'], org_id: org }],
    ['fc_leader', 'PATCH', `/api/v1/users/${ids.user('jzj_grid').id}`, { name: '无权' }],
    ['cx_mediator', 'POST', '/api/v1/organizations', { name: uniq('无权'), type: 'studio', region_id: ids.region(R.dongjie).id }],
    ['cx_mediator', 'PATCH', `/api/v1/organizations/${org}`, { name: '无权' }],
    ['cx_mediator', 'POST', '/api/v1/regions', { code: '510703001003952', name: '无权', level: 'grid', parent_id: ids.region(R.dongjie).id }],
    ['fc_supervisor', 'GET', '/api/v1/tokens'],
    ['fc_supervisor', 'POST', '/api/v1/tokens', { user_id: ids.user('fc_supervisor').id, name: 'self' }],
    ['fc_leader', 'GET', '/api/v1/audit'],
    ['jzj_mediator', 'POST', `/api/v1/users/${ids.user('jzj_grid').id}/password`, { password: 'taken-over-1' }],
  ];
  const wrong = [];
  for (const [who, method, path, json] of cases) {
    const r = await as[who].request(method, path, { json });
    if (r.status !== 403 || r.data?.type !== 'urn:jiefen:problem:forbidden') wrong.push(`${who} ${method} ${path}: ${r.status} ${r.text.slice(0, 200)}`);
  }
  assert.deepEqual(wrong, [], wrong.join('\n'));
  const login = new Client(srv.url);
  assertStatus(await login.login('jzj_grid', DEMO_PASSWORD), 201, 'jzj_grid password unchanged');
});

test('supervisor and leader may read users in scope; a mediator may read only itself', async () => {
  assertStatus(await as.fc_supervisor.get(`/api/v1/users/${ids.user('jzj_grid').id}`), 200);
  assertStatus(await as.fc_leader.get(`/api/v1/users/${ids.user('jzj_grid').id}`), 200);
  assertStatus(await as.jzj_mediator.get(`/api/v1/users/${ids.user('jzj_mediator').id}`), 200, 'self');
  assertProblem(await as.jzj_mediator.get(`/api/v1/users/${ids.user('jzj_grid').id}`), 403, 'forbidden', 'colleague');
});
