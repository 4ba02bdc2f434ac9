// Users: list, create, read, update, passwords, deactivation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, Client, assertProblem, assertStatus, assertPage, assertValidation, loginAs, lookup, listAll, uniq,
  ISO_MS, NO_SUCH_ID, R, O,
} from './helpers.mjs';

let srv, admin, ids;
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
});
after(async () => { await srv?.stop(); });

async function createUser(extra = {}) {
  const body = {
    login: uniq('u'), name: '测试用户', password: 'user-pass-001', roles: ['mediator'], org_id: ids.org(O.gqCommittee).id, ...extra,
  };
  const r = await admin.post('/api/v1/users', body);
  assertStatus(r, 201, 'create user');
  return { ...r.data, password: body.password };
}

const USER_KEYS = ['id', 'login', 'name', 'phone', 'roles', 'active', 'org_id', 'org_name', 'region_id', 'region_name', 'created_at'];

test('the demo users are listed, paged with total', async () => {
  const all = await listAll(admin, '/api/v1/users');
  const logins = all.map((u) => u.login);
  for (const l of ['admin', 'fc_admin', 'fc_clerk', 'fc_dispatcher', 'fc_supervisor', 'fc_leader', 'cx_admin', 'cx_mediator', 'jzj_mediator', 'jzj_grid', 'jfj_mediator']) {
    assert.ok(logins.includes(l), `${l} missing`);
  }
  const p1 = assertPage(await admin.get('/api/v1/users?per_page=3&page=1'));
  const p2 = assertPage(await admin.get('/api/v1/users?per_page=3&page=2'));
  assert.equal(p1.page, 1);
  assert.equal(p1.per_page, 3);
  assert.equal(p2.page, 2);
  assert.equal(p1.items.length, 3);
  assert.equal(p1.total, all.length);
  assert.equal(p2.total, all.length);
  const overlap = p1.items.filter((a) => p2.items.some((b) => b.id === a.id));
  assert.deepEqual(overlap, [], 'pages overlap');
  const beyond = assertPage(await admin.get('/api/v1/users?per_page=3&page=1000'));
  assert.deepEqual(beyond.items, []);
  assert.equal(beyond.total, all.length);
  const dflt = assertPage(await admin.get('/api/v1/users'));
  assert.equal(dflt.page, 1);
  assert.equal(dflt.per_page, 50);
  for (const u of all) for (const k of USER_KEYS) assert.ok(k in u, `user.${k} missing in ${JSON.stringify(u)}`);
  assert.ok(!/password|hash/i.test(JSON.stringify(all)), 'password data in the user list');
});

test('list filters q, org_id, region_id and role', async () => {
  const q = await listAll(admin, '/api/v1/users?q=mediator');
  assert.deepEqual(q.map((u) => u.login).sort(), ['cx_mediator', 'jfj_mediator', 'jzj_mediator']);
  const byOrg = await listAll(admin, `/api/v1/users?org_id=${ids.org(O.djCommittee).id}`);
  assert.deepEqual(byOrg.map((u) => u.login).sort(), ['jzj_grid', 'jzj_mediator']);
  const byRegion = (await listAll(admin, `/api/v1/users?region_id=${ids.region(R.dongjie).id}`)).map((u) => u.login);
  assert.ok(byRegion.includes('jzj_mediator') && byRegion.includes('jzj_grid'), byRegion.join());
  assert.ok(!byRegion.includes('jfj_mediator') && !byRegion.includes('cx_mediator'), byRegion.join());
  const byRole = await listAll(admin, '/api/v1/users?role=supervisor');
  assert.ok(byRole.length >= 1 && byRole.every((u) => u.roles.includes('supervisor')));
  assert.ok(byRole.some((u) => u.login === 'fc_supervisor'));
  const combined = await listAll(admin, `/api/v1/users?role=mediator&region_id=${ids.region(R.chengxiang).id}`);
  assert.ok(combined.every((u) => u.roles.includes('mediator')));
  assert.ok(!combined.some((u) => u.login === 'jzj_grid'));
  assertValidation(await admin.get('/api/v1/users?role=emperor'), 'unknown role filter');
});

test('q matches the name too (Chinese)', async () => {
  const u = await createUser({ name: '王调解员' });
  const found = await listAll(admin, `/api/v1/users?q=${encodeURIComponent('王调解')}`);
  assert.ok(found.some((x) => x.id === u.id));
});

test('create → 201 with the user object; the new user can log in', async () => {
  const login = uniq('new');
  const r = await admin.post('/api/v1/users', {
    login, name: '新用户', password: 'new-user-pass-1', roles: ['mediator', 'clerk'], org_id: ids.org(O.xjCommittee).id, phone: '13812345678',
  });
  assertStatus(r, 201);
  const u = r.data;
  for (const k of USER_KEYS) assert.ok(k in u, `user.${k} missing`);
  assert.equal(u.login, login);
  assert.equal(u.name, '新用户');
  assert.deepEqual([...u.roles].sort(), ['clerk', 'mediator']);
  assert.equal(u.active, true);
  assert.equal(u.org_id, ids.org(O.xjCommittee).id);
  assert.equal(u.org_name, O.xjCommittee);
  assert.equal(u.region_id, ids.region(R.xijie).id);
  assert.equal(u.region_name, '解放街社区');
  assert.match(u.created_at, ISO_MS);
  assert.ok(!('password' in u) && !('password_hash' in u));
  const c = new Client(srv.url);
  assertStatus(await c.login(login, 'new-user-pass-1'), 201, 'new user logs in');
});

test('phone is masked in lists and full in the detail', async () => {
  const u = await createUser({ phone: '13812345678' });
  const listed = (await listAll(admin, `/api/v1/users?q=${u.login}`)).find((x) => x.id === u.id);
  assert.equal(listed.phone, '138****5678');
  const detail = await admin.get(`/api/v1/users/${u.id}`);
  assertStatus(detail, 200);
  assert.equal(detail.data.phone, '13812345678');
  const all = await admin.get('/api/v1/users?per_page=500');
  assert.ok(!all.text.includes('13812345678'), 'full phone in a list');
});

test('a user without a phone has phone null', async () => {
  const u = await createUser();
  assert.equal(u.phone ?? null, null);
  assert.equal((await admin.get(`/api/v1/users/${u.id}`)).data.phone, null);
});

test('create validates: short password, empty roles, roles not an array, bad phone, empty name, missing org', async () => {
  const base = { login: uniq('v'), name: '校验', password: 'user-pass-001', roles: ['clerk'], org_id: ids.org(O.gqCommittee).id };
  assert.equal(assertValidation(await admin.post('/api/v1/users', { ...base, password: 'x' })).password, 'too_short');
  assert.ok(assertValidation(await admin.post('/api/v1/users', { ...base, roles: [] })).roles);
  assert.equal(assertValidation(await admin.post('/api/v1/users', { ...base, roles: 'clerk' })).roles, 'type');
  assert.equal(assertValidation(await admin.post('/api/v1/users', { ...base, phone: 'call me' })).phone, 'invalid');
  // An empty string counts as missing or as too short; either code is fine.
  assert.ok(['required', 'too_short'].includes(assertValidation(await admin.post('/api/v1/users', { ...base, name: '' })).name));
  assert.equal(assertValidation(await admin.post('/api/v1/users', { ...base, org_id: NO_SUCH_ID })).org_id, 'not_found');
  assert.equal(assertPage(await admin.get(`/api/v1/users?q=${base.login}`)).total, 0);
});

test('duplicate login → 409 conflict', async () => {
  const u = await createUser();
  const r = await admin.post('/api/v1/users', { login: u.login, name: '重复', password: 'user-pass-001', roles: ['clerk'], org_id: ids.org(O.gqCommittee).id });
  assertProblem(r, 409, 'conflict');
});

test('GET /api/v1/users/{id} of an unknown id → 404', async () => {
  assertProblem(await admin.get(`/api/v1/users/${NO_SUCH_ID}`), 404, 'not-found');
  assertProblem(await admin.patch(`/api/v1/users/${NO_SUCH_ID}`, { name: 'x' }), 404, 'not-found');
  assertProblem(await admin.get('/api/v1/users/abc'), 404, 'not-found');
});

test('PATCH changes name, phone, roles and organization → 200 with the updated user', async () => {
  const u = await createUser();
  const r = await admin.patch(`/api/v1/users/${u.id}`, { name: '改名了', phone: '13987654321', roles: ['dispatcher'], org_id: ids.org(O.cxCenter).id });
  assertStatus(r, 200);
  assert.equal(r.data.name, '改名了');
  assert.equal(r.data.phone, '13987654321');
  assert.deepEqual(r.data.roles, ['dispatcher']);
  assert.equal(r.data.org_name, O.cxCenter);
  assert.equal(r.data.region_name, '城厢街道');
  assert.equal(r.data.login, u.login);
  const again = (await admin.get(`/api/v1/users/${u.id}`)).data;
  assert.deepEqual({ ...again }, { ...r.data });
});

test('PATCH rejects fields that cannot be changed this way', async () => {
  const u = await createUser();
  const errs = assertValidation(await admin.patch(`/api/v1/users/${u.id}`, { login: 'renamed', password: 'sneaky-pass-1' }));
  assert.equal(errs.login, 'unknown');
  assert.equal(errs.password, 'unknown');
  assert.equal(assertValidation(await admin.patch(`/api/v1/users/${u.id}`, { active: 'no' })).active, 'type');
  assert.equal((await admin.get(`/api/v1/users/${u.id}`)).data.login, u.login);
});

test('self password change with old_password → 204; new password works, old does not', async () => {
  const u = await createUser();
  const c = await loginAs(srv.url, u.login, u.password);
  assertStatus(await c.post(`/api/v1/users/${u.id}/password`, { old_password: u.password, password: 'brand-new-pass-2' }), 204);
  assertProblem(await new Client(srv.url).login(u.login, u.password), 401, 'unauthorized', 'old password');
  assertStatus(await new Client(srv.url).login(u.login, 'brand-new-pass-2'), 201, 'new password');
});

test('self password change without or with a wrong old_password is refused', async () => {
  const u = await createUser();
  const c = await loginAs(srv.url, u.login, u.password);
  const missing = await c.post(`/api/v1/users/${u.id}/password`, { password: 'brand-new-pass-3' });
  assert.equal(assertValidation(missing).old_password, 'required');
  const wrong = await c.post(`/api/v1/users/${u.id}/password`, { old_password: 'not-my-password', password: 'brand-new-pass-3' });
  assert.equal(wrong.status, 400, `wrong old_password: ${wrong.status} ${wrong.text}`);
  assert.ok(wrong.data.errors?.some((e) => e.field === 'old_password'), wrong.text);
  const short = await c.post(`/api/v1/users/${u.id}/password`, { old_password: u.password, password: 'x' });
  assert.equal(assertValidation(short).password, 'too_short');
  assertStatus(await new Client(srv.url).login(u.login, u.password), 201, 'password unchanged');
});

test('admin password reset needs no old_password', async () => {
  const u = await createUser();
  assertStatus(await admin.post(`/api/v1/users/${u.id}/password`, { password: 'reset-by-admin-1' }), 204);
  assertStatus(await new Client(srv.url).login(u.login, 'reset-by-admin-1'), 201);
});

test('a user cannot change another user\'s password', async () => {
  const u = await createUser();
  const other = await createUser();
  const c = await loginAs(srv.url, u.login, u.password);
  assertProblem(await c.post(`/api/v1/users/${other.id}/password`, { old_password: other.password, password: 'hijacked-pass-1' }), 403, 'forbidden');
  assertStatus(await new Client(srv.url).login(other.login, other.password), 201);
});

test('a deactivated user (active:false) cannot log in, and its open session ends', async () => {
  const u = await createUser();
  const c = await loginAs(srv.url, u.login, u.password);
  const r = await admin.patch(`/api/v1/users/${u.id}`, { active: false });
  assertStatus(r, 200);
  assert.equal(r.data.active, false);
  assertProblem(await new Client(srv.url).login(u.login, u.password), 401, 'unauthorized', 'login while deactivated');
  assertProblem(await c.get('/api/v1/session'), 401, 'unauthorized', 'old session while deactivated');
  assertStatus(await admin.patch(`/api/v1/users/${u.id}`, { active: true }), 200);
  assertStatus(await new Client(srv.url).login(u.login, u.password), 201, 'login after reactivation');
});

test('the demo password of every demo user is jiefen-demo', async () => {
  for (const l of ['fc_admin', 'cx_admin', 'jfj_mediator']) await loginAs(srv.url, l);
});
