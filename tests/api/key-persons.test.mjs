// The key-person registry (重点人员): sealed numbers found by blind index at intake, narrow
// access (overseers of the region or the responsible user), masked lists, every view audited,
// full numbers only with a stated reason, reviews that move the next review day, and the
// scheduler's reminder once per review day. docs/key-persons.md.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertStatus, assertValidation, assertProblem, assertPage, loginAs, lookup, residentId, badCheckDigit,
  mobile, audit, uniq, R, O,
} from './helpers.mjs';
import { runCli } from '../lib/server.mjs';

let srv, admin, ids, sup, clerk, mediator, other, kp;
const id_number = residentId('510703', '19750312');
const phone = mobile();

before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
  sup = await loginAs(srv.url, 'fc_supervisor');
  clerk = await loginAs(srv.url, 'fc_clerk');
  mediator = await loginAs(srv.url, 'jfj_mediator');
  // A supervisor of another county (游仙区 stands in: a county beside 涪城区 under 绵阳市).
  const county = await admin.post('/api/v1/regions', { code: '510799000000', name: '测试县', level: 'county', parent_id: ids.region(R.mianyang).id });
  assertStatus(county, 201, 'county');
  const org = await admin.post('/api/v1/organizations', { name: uniq('测试县矛调中心'), type: 'center', region_id: county.data.id });
  assertStatus(org, 201, 'org');
  const login = uniq('other_sup');
  assertStatus(await admin.post('/api/v1/users', { login, name: '外县督办', password: 'long-enough-pw', roles: ['supervisor'], org_id: org.data.id }), 201, 'user');
  other = await loginAs(srv.url, login, 'long-enough-pw');
  const r = await sup.post('/api/v1/key-persons', {
    name: '张三丰', id_number, phone, gender: 'male', age: 52, reason: 'repeat_disputant', reason_note: '一年内三次宅基地纠纷',
    region_id: ids.region(R.xijie).id, responsible_user_id: ids.user('jfj_mediator').id, review_every_days: 14,
  });
  assertStatus(r, 201, 'create');
  kp = r.data;
});
after(async () => { await srv?.stop(); });

const readsOf = async (id) => (await audit(admin, { object_type: 'key_person', object_id: String(id) }));

test('create answers the masked detail: name 张**, ID and phone masked, next review in 14 days', async () => {
  assert.equal(kp.name, '张**');
  assert.match(kp.id_number, /^510703\*+\d{3}[\dX]$/);
  assert.notEqual(kp.id_number, id_number);
  assert.equal(kp.phone, `${phone.slice(0, 3)}****${phone.slice(-4)}`);
  assert.equal(kp.reason, 'repeat_disputant');
  assert.equal(kp.status, 'active');
  assert.equal(kp.review_every_days, 14);
  assert.match(kp.next_review_day, /^\d{4}-\d{2}-\d{2}$/);
  assert.deepEqual(kp.linked_cases, []);
  assert.deepEqual(kp.reviews, []);
  assert.ok(!JSON.stringify(kp).includes(id_number) && !JSON.stringify(kp).includes(phone), 'no full number');
});

test('bad input names the field: ID check digit, phone, reason, region, days', async () => {
  const e = assertValidation(await sup.post('/api/v1/key-persons', {
    name: '李四', id_number: badCheckDigit(residentId()), phone: '12345', reason: 'bored', region_id: ids.region(R.xijie).id,
    review_every_days: 0,
  }));
  assert.equal(e.id_number, 'invalid');
  assert.equal(e.phone, 'invalid');
  assert.equal(e.reason, 'invalid');
  assert.equal(e.review_every_days, 'invalid');
  const m = assertValidation(await sup.post('/api/v1/key-persons', {}));
  for (const f of ['name', 'reason', 'region_id']) assert.equal(m[f], 'required', f);
});

test('a case registered with a party of the same ID number is linked and its key_persons flag set', async () => {
  const r = await clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'housing_homestead', complexity: 'simple', facts: '宅基地边界争议',
    region_id: ids.region(R.xijie).id, parties: [{ role: 'applicant', name: '张三丰', id_number }, { role: 'respondent', name: '王五' }],
  });
  assertStatus(r, 201, 'intake');
  const k = await sup.get(`/api/v1/cases/${r.data.id}`);
  assertStatus(k, 200);
  assert.ok(k.data.key_persons === true || k.data.key_persons === 1, `flag: ${k.data.key_persons}`);
  const d = await sup.get(`/api/v1/key-persons/${kp.id}`);
  assertStatus(d, 200);
  assert.deepEqual(d.data.linked_cases.map((c) => [c.id, c.how]), [[r.data.id, 'intake_match']]);
  // A party matched by phone alone links too; a stranger's case does not.
  const p = await clerk.post('/api/v1/cases', {
    channel: 'phone', category: 'neighbour', complexity: 'simple', facts: '噪音',
    region_id: ids.region(R.dongjie).id, parties: [{ role: 'applicant', name: '张某', phone }],
  });
  const s = await clerk.post('/api/v1/cases', {
    channel: 'phone', category: 'neighbour', complexity: 'simple', facts: '噪音',
    region_id: ids.region(R.dongjie).id, parties: [{ role: 'applicant', name: '路人', phone: mobile(), id_number: residentId() }],
  });
  assertStatus(s, 201);
  const again = await sup.get(`/api/v1/key-persons/${kp.id}`);
  assert.deepEqual(new Set(again.data.linked_cases.map((c) => c.id)), new Set([r.data.id, p.data.id]));
  const sk = await sup.get(`/api/v1/cases/${s.data.id}`);
  assert.ok(!sk.data.key_persons, 'a stranger\'s case is not flagged');
});

test('mediator and clerk get 403 on the register; the responsible mediator reads its own person', async () => {
  for (const [who, c] of [['clerk', clerk], ['mediator', mediator]]) {
    assertProblem(await c.get('/api/v1/key-persons'), 403, 'forbidden', `${who} list`);
    assertProblem(await c.post('/api/v1/key-persons', { name: 'x', reason: 'other', region_id: ids.region(R.xijie).id }), 403, 'forbidden', `${who} create`);
    assertProblem(await c.patch(`/api/v1/key-persons/${kp.id}`, { reason: 'other' }), 403, 'forbidden', `${who} patch`);
  }
  assertProblem(await clerk.get(`/api/v1/key-persons/${kp.id}`), 403, 'forbidden', 'clerk detail');
  assertProblem(await clerk.post(`/api/v1/key-persons/${kp.id}/reveal`, { reason: '核实身份' }), 403, 'forbidden', 'clerk reveal');
  // jfj_mediator is this person's responsible user: the detail opens, masked.
  const own = await mediator.get(`/api/v1/key-persons/${kp.id}`);
  assertStatus(own, 200, 'responsible user');
  assert.equal(own.data.name, '张**');
  const jzj = await loginAs(srv.url, 'jzj_mediator');
  assertProblem(await jzj.get(`/api/v1/key-persons/${kp.id}`), 403, 'forbidden', 'another mediator');
});

test('another county\'s supervisor neither lists nor opens it (404), nor can link to it', async () => {
  const page = assertPage(await other.get('/api/v1/key-persons'));
  assert.equal(page.items.length, 0);
  assertProblem(await other.get(`/api/v1/key-persons/${kp.id}`), 404, 'not-found');
  assertProblem(await other.post(`/api/v1/key-persons/${kp.id}/reveal`, { reason: '核实身份' }), 404, 'not-found');
  assertProblem(await other.post(`/api/v1/key-persons/${kp.id}/reviews`, { note: 'x' }), 404, 'not-found');
});

test('the list is masked, filters by reason, region and due, and is audited with the ids shown', async () => {
  const before = (await audit(admin, { object_type: 'key_person', action: 'read' })).length;
  const page = assertPage(await sup.get('/api/v1/key-persons?reason=repeat_disputant'));
  const row = page.items.find((x) => x.id === kp.id);
  assert.ok(row, 'listed');
  assert.equal(row.name, '张**');
  assert.match(row.id_number, /\*{4,}/);
  assert.match(row.phone, /^\d{3}\*{4}\d{4}$/);
  assert.ok(!JSON.stringify(page).includes(id_number) && !JSON.stringify(page).includes(phone));
  assert.ok(!('name_sealed' in row) && !('id_sealed' in row));
  const after = await audit(admin, { object_type: 'key_person', action: 'read' });
  assert.equal(after.length, before + 1, 'one audit row for the page');
  assert.ok(after[0].detail.includes(String(kp.id)), after[0].detail);
  assert.equal(assertPage(await sup.get('/api/v1/key-persons?reason=petitioner')).items.filter((x) => x.id === kp.id).length, 0);
  assert.equal(assertPage(await sup.get(`/api/v1/key-persons?region_id=${ids.region(R.gongqu).id}`)).items.length, 0);
  assert.equal(assertPage(await sup.get('/api/v1/key-persons?due=true')).items.filter((x) => x.id === kp.id).length, 0, 'not due yet');
  assert.equal(assertValidation(await sup.get('/api/v1/key-persons?due=maybe')).due, 'invalid');
});

test('each detail view writes an audit row', async () => {
  const n = (await readsOf(kp.id)).filter((a) => a.action === 'read').length;
  assertStatus(await sup.get(`/api/v1/key-persons/${kp.id}`), 200);
  assertStatus(await sup.get(`/api/v1/key-persons/${kp.id}`), 200);
  const rows = (await readsOf(kp.id)).filter((a) => a.action === 'read');
  assert.equal(rows.length, n + 2);
  assert.equal(rows[0].actor_login, 'fc_supervisor');
});

test('reveal needs a reason, returns the full numbers and is audited with the reason', async () => {
  assert.equal(assertValidation(await sup.post(`/api/v1/key-persons/${kp.id}/reveal`, {})).reason, 'required');
  assert.equal(assertValidation(await sup.post(`/api/v1/key-persons/${kp.id}/reveal`, { reason: '   ' })).reason, 'required');
  const r = await sup.post(`/api/v1/key-persons/${kp.id}/reveal`, { reason: '上门走访核实身份' });
  assertStatus(r, 200);
  assert.deepEqual(r.data, { id: kp.id, name: '张三丰', id_number, phone });
  const a = (await readsOf(kp.id)).find((x) => x.action === 'reveal');
  assert.ok(a, 'audited');
  assert.equal(a.detail, '上门走访核实身份');
  assert.equal(a.actor_login, 'fc_supervisor');
});

test('a review moves the next review day by the interval from today', async () => {
  const r = await mediator.post(`/api/v1/key-persons/${kp.id}/reviews`, { note: '上门走访，情绪稳定' });
  assertStatus(r, 201);
  assert.equal(r.data.reviews.length, 1);
  assert.equal(r.data.reviews[0].note, '上门走访，情绪稳定');
  const day = r.data.reviews[0].day;
  const next = new Date(Date.parse(day + 'T00:00:00Z') + 14 * 86400000).toISOString().slice(0, 10);
  assert.equal(r.data.next_review_day, next);
  assert.equal(assertValidation(await sup.post(`/api/v1/key-persons/${kp.id}/reviews`, {})).note, 'required');
});

test('a manual link needs a case in scope; PATCH changes fields and is audited', async () => {
  const c = await clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: '手动关联',
    region_id: ids.region(R.xijie).id, parties: [{ role: 'applicant', name: '某人' }],
  });
  const l = await sup.post(`/api/v1/key-persons/${kp.id}/cases`, { case_id: c.data.id });
  assertStatus(l, 201);
  assert.ok(l.data.linked_cases.some((x) => x.id === c.data.id && x.how === 'manual'));
  assertStatus(await sup.post(`/api/v1/key-persons/${kp.id}/cases`, { case_id: c.data.id }), 200, 'again: no change');
  assert.equal(assertValidation(await sup.post(`/api/v1/key-persons/${kp.id}/cases`, { case_id: 987654321 })).case_id, 'not_found');
  const p = await sup.patch(`/api/v1/key-persons/${kp.id}`, { reason: 'in_crisis', review_every_days: 7 });
  assertStatus(p, 200);
  assert.equal(p.data.reason, 'in_crisis');
  assert.equal(p.data.review_every_days, 7);
  const u = (await readsOf(kp.id)).find((x) => x.action === 'update');
  assert.deepEqual(u.fields.sort(), ['reason', 'review_every_days']);
});

test('the scheduler reminds the responsible user once on the review day', async () => {
  const d = await sup.get(`/api/v1/key-persons/${kp.id}`);
  const day = d.data.next_review_day;
  const scan = (today) => {
    const r = runCli(['scan', ...srv.db.args, '--today', today]);
    assert.equal(r.status, 0, r.stderr);
    return Number(r.stdout.match(/^(\d+) warning/)[1]);
  };
  const prev = new Date(Date.parse(day + 'T00:00:00Z') - 86400000).toISOString().slice(0, 10);
  assert.equal(scan(prev), 0, 'not before the day');
  assert.equal(scan(day), 1, 'on the day');
  assert.equal(scan(day), 0, 'once');
  const after = await sup.get(`/api/v1/key-persons/${kp.id}`);
  assert.equal(after.data.reminded_on, day);
});
