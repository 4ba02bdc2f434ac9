// Registry: people — mediators (调解员), experts (专家库) and grid workers (网格员).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertProblem, assertStatus, assertPage, assertValidation, loginAs, lookup, listAll, uniq, audit,
  ISO_MS, NO_SUCH_ID, R, O,
} from './helpers.mjs';

let srv, admin, ids;
const as = {};
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
  for (const l of ['fc_admin', 'fc_clerk', 'cx_admin', 'jzj_mediator', 'jfj_mediator', 'jzj_grid']) as[l] = await loginAs(srv.url, l);
});
after(async () => { await srv?.stop(); });

const MASKED = /^1\d{2}\*{4}\d{4}$/;
const MEDIATOR_KEYS = ['id', 'name', 'gender', 'phone', 'mediator_type', 'grade', 'specialties', 'org_ids', 'orgs', 'user_id', 'status', 'caseload', 'region_id', 'region_name', 'created_at'];
const EXPERT_KEYS = ['id', 'name', 'specialty', 'industry', 'title', 'phone', 'availability', 'region_id', 'region_name', 'note', 'created_at'];
const WORKER_KEYS = ['id', 'name', 'phone', 'grid_id', 'grid_name', 'village_name', 'user_id', 'status', 'created_at'];
const codeOf = (errs, prefix) => Object.entries(errs).find(([f]) => f === prefix || f.startsWith(`${prefix}[`) || f.startsWith(`${prefix}.`))?.[1];

/** A reference to an out-of-scope object in a list field: 400 field/not_found (any element) or 404. */
function assertListRefRejected(res, field, what) {
  if (res.status === 404) { assertProblem(res, 404, 'not-found', what); return; }
  const errs = assertValidation(res, what);
  assert.equal(codeOf(errs, field), 'not_found', `${what}: ${res.text}`);
}

let phoneSeq = 0;
const phone = () => `139${String(process.pid % 10000).padStart(4, '0')}${String(++phoneSeq).padStart(4, '0')}`;
const newMediator = (client, extra = {}) => client.post('/api/v1/mediators', {
  name: uniq('调解员'), gender: 'female', phone: phone(), mediator_type: 'part_time', grade: 'intermediate',
  specialties: ['neighbour', 'marriage_family'], org_ids: [ids.org(O.djCommittee).id], ...extra,
});
const gridsOf = async (code) => (await listAll(admin, `/api/v1/regions?parent_id=${ids.region(code).id}`)).filter((g) => g.level === 'grid');

test('create a mediator with organizations in scope → 201 with the full object', async () => {
  const p = phone();
  const r = await as.cx_admin.post('/api/v1/mediators', {
    name: '赵调解', gender: 'male', phone: p, mediator_type: 'full_time', grade: 'senior', specialties: ['neighbour', 'land_forest'],
    org_ids: [ids.org(O.djCommittee).id, ids.org(O.cxCommittee).id],
  });
  assertStatus(r, 201);
  for (const k of MEDIATOR_KEYS) assert.ok(k in r.data, `mediator.${k} missing: ${r.text}`);
  assert.equal(r.data.name, '赵调解');
  assert.equal(r.data.gender, 'male');
  assert.equal(r.data.phone, p, 'phone in full in the create answer');
  assert.equal(r.data.mediator_type, 'full_time');
  assert.equal(r.data.grade, 'senior');
  assert.deepEqual([...r.data.specialties].sort(), ['land_forest', 'neighbour']);
  assert.deepEqual(r.data.org_ids, [ids.org(O.djCommittee).id, ids.org(O.cxCommittee).id]);
  assert.deepEqual(r.data.orgs.map((o) => o.name), [O.djCommittee, O.cxCommittee]);
  assert.equal(r.data.region_id, ids.region(R.dongjie).id, 'region is the first organization\'s');
  assert.equal(r.data.region_name, '警钟街社区');
  assert.equal(r.data.status, 'active');
  assert.equal(r.data.caseload, 0);
  assert.equal(r.data.user_id, null);
  assert.match(r.data.created_at, ISO_MS);
  const minimal = await as.cx_admin.post('/api/v1/mediators', { name: '钱调解', mediator_type: 'part_time', grade: 'junior', specialties: [], org_ids: [ids.org(O.xjCommittee).id] });
  assertStatus(minimal, 201);
  assert.equal(minimal.data.gender, null);
  assert.equal(minimal.data.phone, null);
});

test('an organization out of scope → 400 org_ids not_found (or 404); nothing written', async () => {
  const name = uniq('越界调解员');
  const base = { name, mediator_type: 'part_time', grade: 'junior', specialties: ['neighbour'] };
  assertListRefRejected(await as.cx_admin.post('/api/v1/mediators', { ...base, org_ids: [ids.org(O.gqCommittee).id] }), 'org_ids', '工区 committee');
  assertListRefRejected(await as.cx_admin.post('/api/v1/mediators', { ...base, org_ids: [ids.org(O.djCommittee).id, ids.org(O.fuchengCenter).id] }), 'org_ids', 'one of two out of scope');
  assertListRefRejected(await as.cx_admin.post('/api/v1/mediators', { ...base, org_ids: [NO_SUCH_ID] }), 'org_ids', 'no such org');
  assert.equal(assertPage(await admin.get(`/api/v1/mediators?q=${encodeURIComponent(name)}`)).total, 0, 'a rejected mediator was written');
});

test('mediator validation names every bad field', async () => {
  const errs = assertValidation(await admin.post('/api/v1/mediators', {}));
  for (const f of ['name', 'mediator_type', 'grade', 'org_ids']) assert.equal(errs[f], 'required', `${f}: ${JSON.stringify(errs)}`);
  assert.ok(!('gender' in errs) && !('phone' in errs) && !('user_id' in errs) && !('status' in errs), 'optional fields reported');
  const bad = assertValidation(await admin.post('/api/v1/mediators', {
    name: uniq('坏'), gender: 'other', phone: '12345', mediator_type: 'boss', grade: 'king', specialties: ['neighbour', 'dragons'],
    org_ids: [ids.org(O.djCommittee).id], status: 'retired',
  }));
  for (const f of ['gender', 'phone', 'mediator_type', 'grade', 'status']) assert.equal(bad[f], 'invalid', `${f}: ${JSON.stringify(bad)}`);
  assert.equal(codeOf(bad, 'specialties'), 'invalid', JSON.stringify(bad));
  assert.ok(codeOf(assertValidation(await admin.post('/api/v1/mediators', { name: 'x', mediator_type: 'part_time', grade: 'junior', specialties: [], org_ids: [] })), 'org_ids'),
    'empty org_ids accepted');
  assert.equal(codeOf(assertValidation(await admin.post('/api/v1/mediators', { name: 'x', mediator_type: 'part_time', grade: 'junior', specialties: [], org_ids: 'all' })), 'org_ids'), 'type');
});

test('phone masked in the list, full in the detail; the detail read is audited', async () => {
  const c = await newMediator(as.cx_admin);
  assertStatus(c, 201);
  const full = c.data.phone;
  const listed = (await listAll(as.fc_admin, `/api/v1/mediators?q=${encodeURIComponent(c.data.name)}`))[0];
  assert.ok(listed, 'mediator not listed');
  assert.match(listed.phone, MASKED);
  assert.equal(listed.phone, `${full.slice(0, 3)}****${full.slice(7)}`);
  for (const m of await listAll(admin, '/api/v1/mediators')) {
    if (m.phone !== null) assert.ok(!/\d{11}/.test(m.phone), `unmasked phone in list: ${m.name} ${m.phone}`);
  }
  const d = await as.fc_admin.get(`/api/v1/mediators/${c.data.id}`);
  assertStatus(d, 200);
  assert.equal(d.data.phone, full);
  const e = (await audit(admin, { object_type: 'mediator', object_id: String(c.data.id), action: 'read' }))[0];
  assert.ok(e, 'detail read not audited');
  assert.equal(e.actor_login, 'fc_admin');
  assert.ok(!JSON.stringify(e).includes(full), 'the phone is in the audit entry');
});

test('mediator list filters: q, org_id, region_id, specialty, mediator_type, status', async () => {
  const a = await newMediator(as.cx_admin, { specialties: ['wage_arrears'], mediator_type: 'full_time', org_ids: [ids.org(O.xjCommittee).id] });
  const b = await newMediator(admin, { specialties: ['traffic'], org_ids: [ids.org(O.gqCommittee).id] });
  assertStatus(a, 201); assertStatus(b, 201);
  const idsOf = async (q) => (await listAll(admin, `/api/v1/mediators?${q}`)).map((m) => m.id);
  assert.deepEqual(await idsOf(`q=${encodeURIComponent(a.data.name)}`), [a.data.id]);
  const byOrg = await idsOf(`org_id=${ids.org(O.xjCommittee).id}`);
  assert.ok(byOrg.includes(a.data.id) && !byOrg.includes(b.data.id));
  const byRegion = await idsOf(`region_id=${ids.region(R.chengxiang).id}`);
  assert.ok(byRegion.includes(a.data.id) && !byRegion.includes(b.data.id), 'region filter is the subtree');
  const bySpec = await listAll(admin, '/api/v1/mediators?specialty=wage_arrears');
  assert.ok(bySpec.some((m) => m.id === a.data.id) && !bySpec.some((m) => m.id === b.data.id));
  for (const m of bySpec) assert.ok(m.specialties.includes('wage_arrears'));
  for (const m of await listAll(admin, '/api/v1/mediators?mediator_type=full_time')) assert.equal(m.mediator_type, 'full_time');
  assertStatus(await admin.patch(`/api/v1/mediators/${b.data.id}`, { status: 'inactive' }), 200);
  const inactive = await listAll(admin, '/api/v1/mediators?status=inactive');
  assert.ok(inactive.some((m) => m.id === b.data.id));
  for (const m of inactive) assert.equal(m.status, 'inactive');
  assert.ok(!(await idsOf('status=active')).includes(b.data.id));
  assertValidation(await admin.get('/api/v1/mediators?specialty=dragons'));
  assertValidation(await admin.get('/api/v1/mediators?mediator_type=boss'));
});

test('mediator scope: a village sees its own, not its neighbour\'s; only admins write', async () => {
  const c = await newMediator(as.cx_admin);
  assertStatus(c, 201);
  assertStatus(await as.jzj_mediator.get(`/api/v1/mediators/${c.data.id}`), 200, '警钟街 sees its mediator');
  assertProblem(await as.jfj_mediator.get(`/api/v1/mediators/${c.data.id}`), 404, 'not-found', '解放街 does not');
  assert.ok(!(await listAll(as.jfj_mediator, '/api/v1/mediators')).some((m) => m.id === c.data.id));
  for (const m of await listAll(as.jfj_mediator, '/api/v1/mediators')) {
    assert.ok(m.orgs.some((o) => o.name === O.xjCommittee), `jfj_mediator sees ${m.name} of ${JSON.stringify(m.orgs)}`);
  }
  assertProblem(await newMediator(as.fc_clerk), 403, 'forbidden', 'clerk creates');
  assertProblem(await as.jzj_mediator.patch(`/api/v1/mediators/${c.data.id}`, { grade: 'chief' }), 403, 'forbidden', 'mediator edits');
  assertProblem(await as.cx_admin.get(`/api/v1/mediators/${NO_SUCH_ID}`), 404, 'not-found');
});

test('PATCH a mediator: changed fields only; cannot move it out of scope', async () => {
  const c = await newMediator(as.cx_admin);
  assertStatus(c, 201);
  const r = await as.cx_admin.patch(`/api/v1/mediators/${c.data.id}`, { grade: 'chief', org_ids: [ids.org(O.xjCommittee).id], status: 'inactive' });
  assertStatus(r, 200);
  assert.equal(r.data.grade, 'chief');
  assert.equal(r.data.status, 'inactive');
  assert.deepEqual(r.data.org_ids, [ids.org(O.xjCommittee).id]);
  assert.equal(r.data.region_name, '解放街社区');
  assert.equal(r.data.name, c.data.name);
  assert.deepEqual(r.data.specialties, c.data.specialties);
  assertListRefRejected(await as.cx_admin.patch(`/api/v1/mediators/${c.data.id}`, { org_ids: [ids.org(O.gqCommittee).id] }), 'org_ids', 'move to 工区');
  assert.deepEqual((await admin.get(`/api/v1/mediators/${c.data.id}`)).data.org_ids, [ids.org(O.xjCommittee).id]);
  assert.equal(assertValidation(await as.cx_admin.patch(`/api/v1/mediators/${c.data.id}`, { caseload: 3 })).caseload, 'unknown');
});

test('experts: create, masked list, audited detail, filters, scope and validation', async () => {
  const p = phone();
  const c = await as.fc_admin.post('/api/v1/experts', {
    name: uniq('张律师'), specialty: 'law', industry: null, title: '四川某律师事务所 主任律师', phone: p,
    availability: 'available', region_id: ids.region(R.fucheng).id, note: '擅长合同纠纷',
  });
  assertStatus(c, 201);
  for (const k of EXPERT_KEYS) assert.ok(k in c.data, `expert.${k} missing: ${c.text}`);
  assert.equal(c.data.region_name, '涪城区');
  assert.equal(c.data.phone, p);
  assert.equal(c.data.specialty, 'law');
  const med = await as.fc_admin.post('/api/v1/experts', { name: uniq('刘医生'), specialty: 'medicine', industry: 'medical', region_id: ids.region(R.gongqu).id });
  assertStatus(med, 201);
  assert.equal(med.data.availability, 'available', 'default availability');
  const listed = (await listAll(as.fc_admin, `/api/v1/experts?q=${encodeURIComponent(c.data.name)}`))[0];
  assert.match(listed.phone, MASKED);
  const d = await as.fc_admin.get(`/api/v1/experts/${c.data.id}`);
  assertStatus(d, 200);
  assert.equal(d.data.phone, p);
  assert.ok((await audit(admin, { object_type: 'expert', object_id: String(c.data.id), action: 'read' })).length > 0, 'expert detail read not audited');

  const bySpec = await listAll(admin, '/api/v1/experts?specialty=medicine');
  assert.ok(bySpec.some((x) => x.id === med.data.id) && !bySpec.some((x) => x.id === c.data.id));
  const byRegion = await listAll(admin, `/api/v1/experts?region_id=${ids.region(R.gongqu).id}`);
  assert.ok(byRegion.some((x) => x.id === med.data.id) && !byRegion.some((x) => x.id === c.data.id));
  const u = await as.fc_admin.patch(`/api/v1/experts/${med.data.id}`, { availability: 'busy' });
  assertStatus(u, 200);
  assert.equal(u.data.availability, 'busy');
  assert.ok((await listAll(admin, '/api/v1/experts?availability=busy')).some((x) => x.id === med.data.id));
  assert.ok(!(await listAll(admin, '/api/v1/experts?availability=available')).some((x) => x.id === med.data.id));

  assertProblem(await as.cx_admin.get(`/api/v1/experts/${med.data.id}`), 404, 'not-found', '工区 expert from 城厢');
  const errs = assertValidation(await as.fc_admin.post('/api/v1/experts', { name: 'x', specialty: 'astrology', industry: 'mining', availability: 'asleep', region_id: ids.region(R.fucheng).id }));
  for (const f of ['specialty', 'industry', 'availability']) assert.equal(errs[f], 'invalid', `${f}: ${JSON.stringify(errs)}`);
  const req = assertValidation(await as.fc_admin.post('/api/v1/experts', {}));
  for (const f of ['name', 'specialty', 'region_id']) assert.equal(req[f], 'required', f);
  const out = await as.cx_admin.post('/api/v1/experts', { name: uniq('越界专家'), specialty: 'law', region_id: ids.region(R.fucheng).id });
  if (out.status !== 404) assert.equal(assertValidation(out).region_id, 'not_found');
  assertProblem(await as.fc_clerk.post('/api/v1/experts', { name: 'x', specialty: 'law', region_id: ids.region(R.fucheng).id }), 403, 'forbidden');
});

test('grid workers: grid_id must be a grid in scope — a village id → 400 naming grid_id', async () => {
  const grid = (await gridsOf(R.dongjie))[0];
  assert.ok(grid, 'no grid under 警钟街社区');
  const p = phone();
  const c = await as.cx_admin.post('/api/v1/grid-workers', { name: uniq('网格员'), phone: p, grid_id: grid.id });
  assertStatus(c, 201);
  for (const k of WORKER_KEYS) assert.ok(k in c.data, `grid worker.${k} missing: ${c.text}`);
  assert.equal(c.data.grid_id, grid.id);
  assert.equal(c.data.grid_name, grid.name);
  assert.equal(c.data.village_name, '警钟街社区');
  assert.equal(c.data.status, 'active');

  const name = uniq('错网格');
  assert.equal(assertValidation(await as.cx_admin.post('/api/v1/grid-workers', { name, grid_id: ids.region(R.dongjie).id }), 'village as grid').grid_id, 'invalid');
  assert.equal(assertValidation(await as.cx_admin.post('/api/v1/grid-workers', { name, grid_id: ids.region(R.chengxiang).id }), 'township as grid').grid_id, 'invalid');
  assert.equal(assertValidation(await as.cx_admin.post('/api/v1/grid-workers', {})).grid_id, 'required');

  // a grid outside 城厢街道: one of 工区街道's villages (created if the tree has none there)
  let outside = null;
  for (const v of await listAll(admin, `/api/v1/regions?parent_id=${ids.region(R.gongqu).id}`)) {
    outside = (await listAll(admin, `/api/v1/regions?parent_id=${v.id}`)).find((g) => g.level === 'grid');
    if (outside) break;
  }
  if (!outside) {
    const v = (await listAll(admin, `/api/v1/regions?parent_id=${ids.region(R.gongqu).id}`))[0];
    const g = await admin.post('/api/v1/regions', { code: `${v.code}951`, name: '工区测试网格', level: 'grid', parent_id: v.id });
    assertStatus(g, 201);
    outside = g.data;
  }
  const o = await as.cx_admin.post('/api/v1/grid-workers', { name, grid_id: outside.id });
  if (o.status !== 404) assert.equal(assertValidation(o).grid_id, 'not_found');
  assert.equal(assertPage(await admin.get(`/api/v1/grid-workers?q=${encodeURIComponent(name)}`)).total, 0, 'a rejected grid worker was written');
});

test('grid workers: list by region subtree with masked phones; PATCH', async () => {
  const grid = (await gridsOf(R.dongjie))[0];
  const other = (await gridsOf(R.xijie))[0];
  const a = await admin.post('/api/v1/grid-workers', { name: uniq('警钟街网格员'), phone: phone(), grid_id: grid.id });
  const b = await admin.post('/api/v1/grid-workers', { name: uniq('解放街网格员'), phone: phone(), grid_id: other.id });
  assertStatus(a, 201); assertStatus(b, 201);
  const dj = await listAll(admin, `/api/v1/grid-workers?region_id=${ids.region(R.dongjie).id}`);
  assert.ok(dj.some((w) => w.id === a.data.id) && !dj.some((w) => w.id === b.data.id));
  const cx = await listAll(admin, `/api/v1/grid-workers?region_id=${ids.region(R.chengxiang).id}`);
  assert.ok(cx.some((w) => w.id === a.data.id) && cx.some((w) => w.id === b.data.id), 'region_id is the subtree');
  const mine = await listAll(as.jzj_grid, '/api/v1/grid-workers');
  assert.ok(mine.some((w) => w.id === a.data.id) && !mine.some((w) => w.id === b.data.id), 'scope of a village user');
  for (const w of dj) if (w.phone !== null) assert.match(w.phone, MASKED);
  const u = await admin.patch(`/api/v1/grid-workers/${a.data.id}`, { status: 'inactive', grid_id: (await gridsOf(R.dongjie)).at(-1).id });
  assertStatus(u, 200);
  assert.equal(u.data.status, 'inactive');
  assert.equal(assertValidation(await admin.patch(`/api/v1/grid-workers/${a.data.id}`, { grid_id: ids.region(R.xijie).id })).grid_id, 'invalid');
  assertProblem(await as.jzj_mediator.patch(`/api/v1/grid-workers/${a.data.id}`, { name: 'x' }), 403, 'forbidden');
  const o = await as.jfj_mediator.get(`/api/v1/grid-workers?region_id=${ids.region(R.dongjie).id}`);
  if (o.status === 404) assertProblem(o, 404, 'not-found');
  else if (o.status === 400) assert.equal(assertValidation(o).region_id, 'not_found');
  else assert.equal(assertPage(o).total, 0, `region filter out of scope leaks: ${o.text}`);
});
