// The public roster (名册向社会公布): no login, organizations and mediators, never a person's
// phone or address; suspended organizations and inactive mediators are not listed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, Client, assertStatus, loginAs, lookup, listAll, uniq, R, O,
} from './helpers.mjs';

let srv, admin, ids, anon;
let djMediator, gqMediator, inactiveMediator, suspendedOrg, wageOrg;
const PHONES = { dj: '13912340001', gq: '13912340002', inactive: '13912340003' };
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
  anon = new Client(srv.url);
  const med = async (name, phone, org, extra = {}) => {
    const r = await admin.post('/api/v1/mediators', { name, gender: 'female', phone, mediator_type: 'full_time', grade: 'senior', specialties: ['neighbour'], org_ids: [ids.org(org).id], ...extra });
    assertStatus(r, 201, `create mediator ${name}`);
    return r.data;
  };
  djMediator = await med(uniq('警钟街名册调解员'), PHONES.dj, O.djCommittee, { specialties: ['neighbour', 'wage_arrears'] });
  gqMediator = await med(uniq('工区名册调解员'), PHONES.gq, O.gqCommittee, { specialties: ['marriage_family'] });
  inactiveMediator = await med(uniq('停用调解员'), PHONES.inactive, O.djCommittee, { status: 'inactive' });
  const s = await admin.post('/api/v1/organizations', { name: uniq('已暂停调解室'), type: 'studio', region_id: ids.region(R.dongjie).id, categories: ['neighbour'], status: 'suspended' });
  assertStatus(s, 201);
  suspendedOrg = s.data;
  const w = await admin.post('/api/v1/organizations', { name: uniq('欠薪调解室'), type: 'studio', region_id: ids.region(R.gongqu).id, categories: ['wage_arrears'], address: '工区街道1号', phone: '0816-2000001' });
  assertStatus(w, 201);
  wageOrg = w.data;
});
after(async () => { await srv?.stop(); });

async function roster(query = '') {
  const r = await anon.get(`/api/v1/public/roster?per_page=500${query}`);
  assertStatus(r, 200, `roster ${query}`);
  for (const k of ['organizations', 'mediators']) {
    assert.ok(r.data[k] && Array.isArray(r.data[k].items) && typeof r.data[k].total === 'number', `${k}: ${r.text.slice(0, 300)}`);
  }
  return r;
}

test('the roster needs no login and lists organizations and mediators', async () => {
  const r = await roster();
  const orgNames = r.data.organizations.items.map((o) => o.name);
  for (const n of [O.djCommittee, O.xjCommittee, O.gqCommittee, wageOrg.name]) assert.ok(orgNames.includes(n), `${n} missing from the roster`);
  assert.ok(r.data.mediators.items.some((m) => m.id === djMediator.id), 'a mediator is missing');
  const o = r.data.organizations.items.find((x) => x.id === wageOrg.id);
  assert.deepEqual(Object.keys(o).sort(), ['address', 'categories', 'id', 'industry', 'name', 'phone', 'region_name', 'type'].sort());
  assert.equal(o.region_name, '工区街道');
  assert.equal(o.address, '工区街道1号');
  assert.equal(o.phone, '0816-2000001', 'the office\'s public phone');
  assert.deepEqual(o.categories, ['wage_arrears']);
  const m = r.data.mediators.items.find((x) => x.id === djMediator.id);
  assert.deepEqual(Object.keys(m).sort(), ['grade', 'id', 'mediator_type', 'name', 'orgs', 'specialties'].sort());
  assert.deepEqual(m.orgs, [O.djCommittee]);
  assert.equal(m.mediator_type, 'full_time');
  assert.equal(m.grade, 'senior');
  assert.ok(r.data.organizations.total >= r.data.organizations.items.length);
  assert.equal(r.data.mediators.total, r.data.mediators.items.length);
});

test('the roster contains no person\'s phone: no 11-digit mobile, none of the mediators\' phones', async () => {
  const staff = await listAll(admin, '/api/v1/mediators');
  const demo = staff.filter((m) => ![djMediator.id, gqMediator.id, inactiveMediator.id].includes(m.id));
  assert.ok(demo.length > 0, 'the demo has no mediators');
  const phones = [...Object.values(PHONES)];
  for (const m of staff) {
    const d = await admin.get(`/api/v1/mediators/${m.id}`);
    if (d.data?.phone) phones.push(d.data.phone);
  }
  for (const u of await listAll(admin, '/api/v1/users')) {
    const d = await admin.get(`/api/v1/users/${u.id}`);
    if (d.data?.phone) phones.push(d.data.phone);
  }
  for (const query of ['', `&region_id=${ids.region(R.dongjie).id}`, '&category=neighbour']) {
    const { text } = await roster(query);
    const mobiles = text.match(/(?<!\d)1[3-9]\d{9}(?!\d)/g);
    assert.equal(mobiles, null, `mobile numbers in the roster${query}: ${mobiles}`);
    for (const p of phones) assert.ok(!text.includes(p), `phone ${p} in the roster${query}`);
  }
});

test('suspended organizations and inactive mediators are not listed', async () => {
  const r = await roster();
  assert.ok(!r.data.organizations.items.some((o) => o.id === suspendedOrg.id), 'suspended organization listed');
  assert.ok(!r.data.mediators.items.some((m) => m.id === inactiveMediator.id), 'inactive mediator listed');
  assertStatus(await admin.patch(`/api/v1/organizations/${wageOrg.id}`, { status: 'suspended' }), 200);
  assertStatus(await admin.patch(`/api/v1/mediators/${gqMediator.id}`, { status: 'inactive' }), 200);
  const after = await roster();
  assert.ok(!after.data.organizations.items.some((o) => o.id === wageOrg.id), 'organization listed after suspension');
  assert.ok(!after.data.mediators.items.some((m) => m.id === gqMediator.id), 'mediator listed after deactivation');
  assertStatus(await admin.patch(`/api/v1/organizations/${wageOrg.id}`, { status: 'active' }), 200);
  assertStatus(await admin.patch(`/api/v1/mediators/${gqMediator.id}`, { status: 'active' }), 200);
  const back = await roster();
  assert.ok(back.data.organizations.items.some((o) => o.id === wageOrg.id));
  assert.ok(back.data.mediators.items.some((m) => m.id === gqMediator.id));
});

test('filter by region: the subtree\'s organizations and the mediators of its organizations', async () => {
  const r = await roster(`&region_id=${ids.region(R.chengxiang).id}`);
  const names = r.data.organizations.items.map((o) => o.name);
  for (const n of [O.cxCenter, O.cxCommittee, O.djCommittee, O.xjCommittee]) assert.ok(names.includes(n), `${n} missing`);
  for (const n of [O.gqCommittee, O.fuchengCenter, O.mianyangCenter, wageOrg.name]) assert.ok(!names.includes(n), `${n} outside 城厢街道 listed`);
  assert.ok(r.data.mediators.items.some((m) => m.id === djMediator.id));
  assert.ok(!r.data.mediators.items.some((m) => m.id === gqMediator.id), '工区 mediator listed under 城厢街道');
  const v = await roster(`&region_id=${ids.region(R.dongjie).id}`);
  for (const o of v.data.organizations.items) assert.equal(o.region_name, '警钟街社区', JSON.stringify(o));
  assert.equal(v.data.organizations.total, v.data.organizations.items.length);
});

test('filter by category: organizations handling it, mediators with it as specialty', async () => {
  const r = await roster('&category=wage_arrears');
  assert.ok(r.data.organizations.items.some((o) => o.id === wageOrg.id));
  for (const o of r.data.organizations.items) assert.ok(o.categories.includes('wage_arrears'), JSON.stringify(o));
  assert.ok(r.data.mediators.items.some((m) => m.id === djMediator.id));
  assert.ok(!r.data.mediators.items.some((m) => m.id === gqMediator.id));
  for (const m of r.data.mediators.items) assert.ok(m.specialties.includes('wage_arrears'), JSON.stringify(m));
  const both = await roster(`&category=wage_arrears&region_id=${ids.region(R.chengxiang).id}`);
  assert.ok(!both.data.organizations.items.some((o) => o.id === wageOrg.id));
  const bad = await anon.get('/api/v1/public/roster?category=dragons');
  assert.equal(bad.status, 400, bad.text);
});

test('the public region tree needs no login and has no population', async () => {
  const root = await anon.get('/api/v1/public/regions');
  assertStatus(root, 200);
  assert.deepEqual(root.data.items.map((r) => r.code), [R.mianyang]);
  const r = await anon.get(`/api/v1/public/regions?parent_id=${ids.region(R.fucheng).id}&per_page=500`);
  assertStatus(r, 200);
  const cx = r.data.items.find((x) => x.code === R.chengxiang);
  assert.ok(cx, '城厢街道 missing');
  assert.deepEqual(Object.keys(cx).sort(), ['code', 'has_children', 'id', 'level', 'name']);
  assert.equal(cx.has_children, true);
  assert.equal(cx.level, 'township');
  assert.equal(cx.name, '城厢街道');
});

test('the staff lists still need a login', async () => {
  for (const p of ['/api/v1/mediators', '/api/v1/experts', '/api/v1/grid-workers', '/api/v1/organizations']) {
    assert.equal((await anon.get(p)).status, 401, p);
  }
});
