// Personal data (个人信息保护法, issue 13 part 3): staff-side phones sealed at rest (art. 51),
// opening a case audited, party numbers revealed only with a reason, printed documents masked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertStatus, loginAs, lookup, uniq, audit, sqlOn, findUnmasked, O, R,
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
  const reads = await audit(admin, { entity: 'user', entity_id: String(u.data.id), action: 'read' });
  assert.ok(reads.length >= 1, 'the full phone read is audited');
  const med = await admin.get(`/api/v1/mediators/${m.data.id}`);
  assert.equal(med.data.phone, phone);
  const meds = await admin.get('/api/v1/mediators?per_page=500');
  assert.deepEqual(findUnmasked(meds.text), []);
});
