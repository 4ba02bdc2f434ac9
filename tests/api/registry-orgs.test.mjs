// Registry: organizations gain industry, host, field, categories, contact person and description;
// list filters by category and status; suspending.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertProblem, assertStatus, assertValidation, loginAs, lookup, listAll, uniq, audit, R, O,
} from './helpers.mjs';

let srv, admin, ids, fc;
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
  fc = await loginAs(srv.url, 'fc_admin');
});
after(async () => { await srv?.stop(); });

const NEW_KEYS = ['industry', 'host', 'field', 'categories', 'contact_person', 'description'];
/** The first error code of each field whose name starts with prefix (`categories`, `categories[1]`). */
const codeOf = (errs, prefix) => Object.entries(errs).find(([f]) => f === prefix || f.startsWith(`${prefix}[`) || f.startsWith(`${prefix}.`))?.[1];

test('the new fields round-trip through create, read, list and update', async () => {
  const body = {
    name: uniq('涪城区医疗纠纷人民调解委员会'), type: 'mediation_committee', region_id: ids.region(R.fucheng).id,
    industry: 'medical', categories: ['medical', 'damages'], contact_person: '李医生',
    description: '医疗纠纷行业性专业性人民调解', address: '涪城区某路1号', phone: '0816-2220000',
  };
  const c = await admin.post('/api/v1/organizations', body);
  assertStatus(c, 201);
  for (const k of Object.keys(body)) assert.deepEqual(c.data[k], body[k], `${k}: ${c.text}`);
  assert.equal(c.data.host, null);
  assert.equal(c.data.field, null);
  const g = await admin.get(`/api/v1/organizations/${c.data.id}`);
  assert.deepEqual(g.data, c.data);
  const listed = (await listAll(admin, `/api/v1/organizations?q=${encodeURIComponent(body.name)}`))[0];
  assert.deepEqual(listed, c.data);

  const studio = await fc.post('/api/v1/organizations', {
    name: uniq('涪城区法院诉前调解工作室'), type: 'studio', region_id: ids.region(R.fucheng).id,
    host: '涪城区人民法院', industry: null, categories: ['contract', 'finance'],
  });
  assertStatus(studio, 201);
  assert.equal(studio.data.host, '涪城区人民法院');
  assert.equal(studio.data.industry, null);
  const dept = await fc.post('/api/v1/organizations', {
    name: uniq('涪城区人力资源和社会保障局'), type: 'department', region_id: ids.region(R.fucheng).id,
    field: '人力资源和社会保障', categories: ['labour', 'wage_arrears'],
  });
  assertStatus(dept, 201);
  assert.equal(dept.data.field, '人力资源和社会保障');
  assert.deepEqual([...dept.data.categories].sort(), ['labour', 'wage_arrears']);

  const p = await admin.patch(`/api/v1/organizations/${c.data.id}`, { categories: ['medical'], industry: null, contact_person: '王医生' });
  assertStatus(p, 200);
  assert.deepEqual(p.data.categories, ['medical']);
  assert.equal(p.data.industry, null);
  assert.equal(p.data.contact_person, '王医生');
  assert.equal(p.data.description, body.description, 'an unchanged field changed');
});

test('organizations without the new fields: nulls and an empty categories list', async () => {
  const c = await admin.post('/api/v1/organizations', { name: uniq('无新字段'), type: 'center', region_id: ids.region(R.gongqu).id });
  assertStatus(c, 201);
  for (const k of NEW_KEYS) assert.ok(k in c.data, `${k} missing: ${c.text}`);
  assert.deepEqual(c.data.categories, []);
  for (const k of ['industry', 'host', 'field', 'contact_person', 'description']) assert.equal(c.data[k], null, k);
  for (const o of await listAll(admin, '/api/v1/organizations')) {
    for (const k of NEW_KEYS) assert.ok(k in o, `${o.name}: ${k} missing`);
    assert.ok(Array.isArray(o.categories), `${o.name}: categories not an array`);
  }
});

test('validation names each bad field: type, industry, categories', async () => {
  const name = uniq('坏字段');
  const errs = assertValidation(await admin.post('/api/v1/organizations', {
    name, type: 'castle', region_id: ids.region(R.fucheng).id, industry: 'mining', categories: ['neighbour', 'dragons'],
  }));
  assert.equal(errs.type, 'invalid', JSON.stringify(errs));
  assert.equal(errs.industry, 'invalid', JSON.stringify(errs));
  assert.equal(codeOf(errs, 'categories'), 'invalid', JSON.stringify(errs));
  const t = assertValidation(await admin.post('/api/v1/organizations', {
    name, type: 'studio', region_id: ids.region(R.fucheng).id, categories: 'neighbour', host: 5,
  }));
  assert.equal(codeOf(t, 'categories'), 'type', JSON.stringify(t));
  assert.equal(t.host, 'type', JSON.stringify(t));
  assert.equal((await listAll(admin, `/api/v1/organizations?q=${encodeURIComponent(name)}`)).length, 0, 'a rejected organization was written');

  const id = ids.org(O.gqCommittee).id;
  const before = (await admin.get(`/api/v1/organizations/${id}`)).data;
  const pe = assertValidation(await admin.patch(`/api/v1/organizations/${id}`, { industry: 'mining', categories: ['dragons'] }));
  assert.equal(pe.industry, 'invalid');
  assert.equal(codeOf(pe, 'categories'), 'invalid');
  assert.deepEqual((await admin.get(`/api/v1/organizations/${id}`)).data, before);
});

test('filters: ?category= and ?status=', async () => {
  const wage = await fc.post('/api/v1/organizations', { name: uniq('欠薪调解'), type: 'studio', region_id: ids.region(R.gongqu).id, categories: ['wage_arrears', 'labour'] });
  assertStatus(wage, 201);
  const other = await fc.post('/api/v1/organizations', { name: uniq('婚姻调解'), type: 'studio', region_id: ids.region(R.gongqu).id, categories: ['marriage_family'] });
  assertStatus(other, 201);
  const byCat = await listAll(admin, '/api/v1/organizations?category=wage_arrears');
  assert.ok(byCat.some((o) => o.id === wage.data.id), 'organization with the category missing');
  assert.ok(!byCat.some((o) => o.id === other.data.id), 'organization without the category listed');
  for (const o of byCat) assert.ok(o.categories.includes('wage_arrears'), `${o.name}: ${o.categories}`);
  const combined = await listAll(admin, `/api/v1/organizations?category=labour&region_id=${ids.region(R.gongqu).id}&type=studio`);
  assert.ok(combined.some((o) => o.id === wage.data.id));

  assertStatus(await admin.patch(`/api/v1/organizations/${other.data.id}`, { status: 'suspended' }), 200);
  const suspended = await listAll(admin, '/api/v1/organizations?status=suspended');
  assert.ok(suspended.some((o) => o.id === other.data.id));
  for (const o of suspended) assert.equal(o.status, 'suspended');
  const active = await listAll(admin, '/api/v1/organizations?status=active');
  assert.ok(!active.some((o) => o.id === other.data.id));
  for (const o of active) assert.equal(o.status, 'active');
  assertValidation(await admin.get('/api/v1/organizations?category=dragons'), 'unknown category filter');
  assertValidation(await admin.get('/api/v1/organizations?status=closed'), 'unknown status filter');
});

test('suspend and reactivate: PATCH status, audited', async () => {
  const c = await fc.post('/api/v1/organizations', { name: uniq('待暂停'), type: 'law_firm', region_id: ids.region(R.fucheng).id, categories: ['contract'] });
  assertStatus(c, 201);
  const s = await fc.patch(`/api/v1/organizations/${c.data.id}`, { status: 'suspended' });
  assertStatus(s, 200);
  assert.equal(s.data.status, 'suspended');
  assert.deepEqual(s.data.categories, ['contract'], 'suspending changed the categories');
  const e = (await audit(admin, { object_type: 'organization', object_id: String(c.data.id), action: 'update' }))[0];
  assert.ok(e, 'suspension not audited');
  assert.deepEqual(e.fields, ['status']);
  assert.equal(e.actor_login, 'fc_admin');
  const back = await fc.patch(`/api/v1/organizations/${c.data.id}`, { status: 'active' });
  assertStatus(back, 200);
  assert.equal(back.data.status, 'active');
  const clerk = await loginAs(srv.url, 'fc_clerk');
  assertProblem(await clerk.patch(`/api/v1/organizations/${c.data.id}`, { status: 'suspended' }), 403, 'forbidden');
  const cx = await loginAs(srv.url, 'cx_admin');
  assertProblem(await cx.patch(`/api/v1/organizations/${c.data.id}`, { status: 'suspended' }), 404, 'not-found');
  assert.equal((await admin.get(`/api/v1/organizations/${c.data.id}`)).data.status, 'active');
});
