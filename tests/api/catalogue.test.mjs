// The service catalogue (服务清单): written by the top administrator, read by staff and, without
// login, by the public.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, Client, assertProblem, assertStatus, assertPage, assertValidation, loginAs, listAll, uniq, ISO_MS, NO_SUCH_ID,
} from './helpers.mjs';

let srv, admin, anon;
const as = {};
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  anon = new Client(srv.url);
  for (const l of ['fc_admin', 'fc_clerk', 'cx_admin', 'jzj_grid']) as[l] = await loginAs(srv.url, l);
});
after(async () => { await srv?.stop(); });

const KEYS = ['id', 'name', 'legal_basis', 'level', 'handling_body', 'conditions', 'procedure', 'documents', 'time_limit', 'created_at', 'updated_at'];
const full = () => ({
  name: uniq('人民调解申请'),
  legal_basis: '《中华人民共和国人民调解法》第十七条',
  level: 'village',
  handling_body: '村（社区）人民调解委员会',
  conditions: '当事人自愿申请，纠纷属于民间纠纷',
  procedure: '申请—受理—调解—达成协议—回访',
  documents: ['身份证明', '纠纷基本情况说明'],
  time_limit: '30日',
});

test('items are shipped and staff can read them', async () => {
  const items = await listAll(as.jzj_grid, '/api/v1/catalogue');
  assert.ok(items.length > 0, 'the catalogue is empty');
  for (const it of items) {
    for (const k of KEYS) assert.ok(k in it, `item.${k} missing: ${JSON.stringify(it)}`);
    assert.ok(Array.isArray(it.documents));
    assert.match(it.created_at, ISO_MS);
  }
  const one = await as.jzj_grid.get(`/api/v1/catalogue/${items[0].id}`);
  assertStatus(one, 200);
  assert.deepEqual(one.data, items[0]);
  assert.equal((await anon.get('/api/v1/catalogue')).status, 401, 'the staff catalogue needs a login');
});

test('the public catalogue needs no login and has the same items', async () => {
  const pub = await anon.get('/api/v1/public/catalogue?per_page=500');
  assertStatus(pub, 200);
  const staff = await listAll(as.fc_clerk, '/api/v1/catalogue');
  assert.equal(pub.data.total, staff.length);
  assert.deepEqual(pub.data.items.map((i) => i.id).sort((a, b) => a - b), staff.map((i) => i.id).sort((a, b) => a - b));
  const byId = new Map(staff.map((i) => [i.id, i]));
  for (const i of pub.data.items) assert.equal(i.name, byId.get(i.id).name);
});

test('CRUD by the top administrator', async () => {
  const body = full();
  const c = await admin.post('/api/v1/catalogue', body);
  assertStatus(c, 201);
  for (const [k, v] of Object.entries(body)) assert.deepEqual(c.data[k], v, k);
  assert.match(c.data.created_at, ISO_MS);
  assert.match(c.data.updated_at, ISO_MS);
  assert.deepEqual((await admin.get(`/api/v1/catalogue/${c.data.id}`)).data, c.data);
  const q = await listAll(as.fc_clerk, `/api/v1/catalogue?q=${encodeURIComponent(body.name)}`);
  assert.deepEqual(q.map((i) => i.id), [c.data.id]);
  const pub = await anon.get(`/api/v1/public/catalogue?q=${encodeURIComponent(body.name)}`);
  assert.deepEqual(pub.data.items.map((i) => i.id), [c.data.id], 'new item in the public catalogue');

  const u = await admin.patch(`/api/v1/catalogue/${c.data.id}`, { documents: ['身份证明'], time_limit: '15日' });
  assertStatus(u, 200);
  assert.deepEqual(u.data.documents, ['身份证明']);
  assert.equal(u.data.time_limit, '15日');
  assert.equal(u.data.legal_basis, body.legal_basis, 'an unchanged field changed');
  assert.equal(u.data.created_at, c.data.created_at);
  assert.ok(u.data.updated_at >= c.data.updated_at);

  assertStatus(await admin.del(`/api/v1/catalogue/${c.data.id}`), 204);
  assertProblem(await admin.get(`/api/v1/catalogue/${c.data.id}`), 404, 'not-found');
  assert.equal(assertPage(await as.fc_clerk.get(`/api/v1/catalogue?q=${encodeURIComponent(body.name)}`)).total, 0);
  assertProblem(await admin.del(`/api/v1/catalogue/${c.data.id}`), 404, 'not-found');
  assertProblem(await admin.patch(`/api/v1/catalogue/${NO_SUCH_ID}`, { name: 'x' }), 404, 'not-found');
});

test('only the top administrator writes: other admins and staff → 403', async () => {
  const existing = (await listAll(admin, '/api/v1/catalogue'))[0];
  for (const who of ['fc_admin', 'cx_admin', 'fc_clerk']) {
    assertProblem(await as[who].post('/api/v1/catalogue', full()), 403, 'forbidden', `${who} POST`);
    assertProblem(await as[who].patch(`/api/v1/catalogue/${existing.id}`, { name: '越权' }), 403, 'forbidden', `${who} PATCH`);
    assertProblem(await as[who].del(`/api/v1/catalogue/${existing.id}`), 403, 'forbidden', `${who} DELETE`);
  }
  assert.deepEqual((await admin.get(`/api/v1/catalogue/${existing.id}`)).data, existing);
  assert.equal((await anon.post('/api/v1/catalogue', full())).status, 401);
});

test('validation: name required, documents a list of strings, unknown fields; nothing written', async () => {
  const before = (await listAll(admin, '/api/v1/catalogue')).length;
  assert.equal(assertValidation(await admin.post('/api/v1/catalogue', {})).name, 'required');
  assert.ok(['required', 'too_short'].includes(assertValidation(await admin.post('/api/v1/catalogue', { ...full(), name: '' })).name));
  const t = assertValidation(await admin.post('/api/v1/catalogue', { ...full(), documents: '身份证明', legal_basis: 7 }));
  assert.ok(Object.entries(t).some(([f, c]) => f.startsWith('documents') && c === 'type'), JSON.stringify(t));
  assert.equal(t.legal_basis, 'type');
  const e = assertValidation(await admin.post('/api/v1/catalogue', { ...full(), documents: ['身份证明', 3] }));
  assert.ok(Object.keys(e).some((f) => f.startsWith('documents')), JSON.stringify(e));
  assert.equal(assertValidation(await admin.post('/api/v1/catalogue', { ...full(), fee: '免费' })).fee, 'unknown');
  assert.equal((await listAll(admin, '/api/v1/catalogue')).length, before, 'a rejected item was written');
  const existing = (await listAll(admin, '/api/v1/catalogue'))[0];
  assert.equal(assertValidation(await admin.patch(`/api/v1/catalogue/${existing.id}`, { documents: 'x' })).documents, 'type');
});
