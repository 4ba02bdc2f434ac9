// Personal data (个人信息保护法, issue 13 part 3): staff-side phones sealed at rest (art. 51),
// opening a case audited, party numbers revealed only with a reason, printed documents masked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertStatus, loginAs, lookup, uniq, audit, sqlOn, findUnmasked, residentId, mobile, NO_SUCH_ID, O, R,
} from './helpers.mjs';

let srv, admin, ids;
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
});
after(async () => { await srv?.stop(); });

const STAFF_TABLES = ['users', 'mediators', 'experts', 'grid_workers'];

test('staff-side phones are sealed at rest: no plain phone column, sealed text and a blind index', async () => {
  const phone = `1371${String(process.pid % 10000).padStart(4, '0')}123`;
  const u = await admin.post('/api/v1/users', {
    login: uniq('pii'), name: '密封用户', password: 'pii-user-pass-1', roles: ['clerk'], org_id: ids.org(O.xjCommittee).id, phone,
  });
  assertStatus(u, 201);
  const m = await admin.post('/api/v1/mediators', {
    name: uniq('调解员'), gender: 'female', phone, mediator_type: 'part_time', grade: 'intermediate',
    specialties: ['neighbour'], org_ids: [ids.org(O.djCommittee).id],
  });
  assertStatus(m, 201);
  for (const t of STAFF_TABLES) {
    // The demo's rows, written by `jiefen demo` without the key, were sealed at serve start.
    assert.equal(sqlOn(srv.db, `SELECT COUNT(*) FROM ${t} WHERE phone IS NOT NULL`).trim(), '0', `${t}: plain phones left`);
  }
  const row = sqlOn(srv.db, `SELECT phone_sealed, phone_index FROM users WHERE id = ${u.data.id}`).trim().split('|');
  assert.match(row[0], /^v1:/, 'sealed text');
  assert.match(row[1], /^[0-9a-f]{64}$/, 'blind index');
  assert.ok(!sqlOn(srv.db, 'SELECT phone_sealed FROM mediators').includes(phone), 'no plain phone in mediators');
  // Lists show masked phones, one record's full phone is an audited read.
  const list = await admin.get(`/api/v1/users?q=${encodeURIComponent(u.data.login)}`);
  assert.equal(list.data.items[0].phone, `${phone.slice(0, 3)}****${phone.slice(7)}`);
  assert.deepEqual(findUnmasked(list.text), []);
  const one = await admin.get(`/api/v1/users/${u.data.id}`);
  assert.equal(one.data.phone, phone);
  const reads = await audit(admin, { object_type: 'user', object_id: String(u.data.id), action: 'read' });
  assert.ok(reads.length >= 1, 'the full phone read is audited');
  const med = await admin.get(`/api/v1/mediators/${m.data.id}`);
  assert.equal(med.data.phone, phone);
  const meds = await admin.get('/api/v1/mediators?per_page=500');
  assert.deepEqual(findUnmasked(meds.text), []);
});

async function newCase() {
  const clerk = await loginAs(srv.url, 'fc_clerk');
  const idNumber = residentId();
  const phone = mobile();
  const r = await clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: '院墙漏水引发争执',
    region_id: ids.region(R.dongjie).id,
    parties: [{ role: 'applicant', name: '王五', id_number: idNumber, phone, address: '警钟街2号' }, { role: 'respondent', name: '赵六' }],
  });
  assertStatus(r, 201);
  return { kase: r.data, idNumber, phone };
}

test('opening a case writes one audit row "view"; the case shows masked numbers only', async () => {
  const { kase, idNumber, phone } = await newCase();
  const clerk = await loginAs(srv.url, 'fc_clerk');
  const q = { object_type: 'case', object_id: String(kase.id), action: 'view' };
  const before = (await audit(admin, q)).length;
  const r = await clerk.get(`/api/v1/cases/${kase.id}`);
  assertStatus(r, 200);
  assert.deepEqual(findUnmasked(r.text), [], 'no full number in the case view');
  assert.ok(!r.text.includes(idNumber) && !r.text.includes(phone));
  const after = await audit(admin, q);
  assert.equal(after.length, before + 1, 'one view row per opening');
  assert.equal(after[0].actor_login, 'fc_clerk');
});

test('reveal: a supervisor gets the full numbers with a reason, audited; clerks, grid workers and admins may not', async () => {
  const { kase, idNumber, phone } = await newCase();
  const pid = kase.parties[0].id;
  const path = `/api/v1/cases/${kase.id}/parties/${pid}/reveal`;
  const sup = await loginAs(srv.url, 'fc_supervisor');
  const r = await sup.post(path, { reason: '电话联系当事人核实' });
  assertStatus(r, 200);
  assert.equal(r.data.id_number, idNumber);
  assert.equal(r.data.phone, phone);
  assert.equal(r.data.address, '警钟街2号');
  const rows = await audit(admin, { object_type: 'case', object_id: String(kase.id), action: 'reveal' });
  assert.equal(rows.length, 1);
  assert.equal(rows[0].detail, '电话联系当事人核实');
  assert.deepEqual(rows[0].fields, [`party:${pid}`, 'id_number', 'phone', 'address']);
  assert.equal(rows[0].actor_login, 'fc_supervisor');
  assertStatus(await sup.post(path, {}), 400);
  assertStatus(await sup.post(path, { reason: '' }), 400);
  assertStatus(await sup.post(`/api/v1/cases/${kase.id}/parties/${NO_SUCH_ID}/reveal`, { reason: '核实身份信息' }), 404);
  for (const login of ['fc_clerk', 'jzj_grid', 'admin']) {
    const who = login === 'admin' ? admin : await loginAs(srv.url, login);
    const x = await who.post(path, { reason: '核实身份信息' });
    assert.ok(x.status === 403 || x.status === 404, `${login}: ${x.status} ${x.text}`);
    assert.deepEqual(findUnmasked(x.text), [], `${login} got a full number`);
  }
  // A mediator who does not handle the case may not either.
  const med = await loginAs(srv.url, 'jzj_mediator');
  const m = await med.post(path, { reason: '核实身份信息' });
  assert.ok(m.status === 403 || m.status === 404, m.text);
  assert.equal((await audit(admin, { object_type: 'case', object_id: String(kase.id), action: 'reveal' })).length, 1, 'refusals reveal nothing and audit no reveal');
});
