// A person's data on request (个人信息保护法 art. 45): GET /api/v1/people/export finds every
// case where a resident ID number is a party (by its blind index), answers with that
// person's own data in full and the case's registration elements — never the other
// parties' — and audits the export with its reason. Administrators only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertStatus, loginAs, lookup, audit, residentId, mobile, R } from './helpers.mjs';

let srv, admin, ids;
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
});
after(async () => { await srv?.stop(); });

const url = (q) => `/api/v1/people/export?${new URLSearchParams(q)}`;

test('export: every case of the person, their own data in full, others\' left out, audited', async () => {
  const clerk = await loginAs(srv.url, 'fc_clerk');
  const person = residentId();
  const other = residentId();
  const phone = mobile();
  const otherPhone = mobile();
  const made = [];
  for (const [role, facts] of [['applicant', '院墙漏水引发争执'], ['respondent', '借款到期未还引发纠纷']]) {
    const r = await clerk.post('/api/v1/cases', {
      channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts, region_id: ids.region(R.dongjie).id,
      parties: [{ role, name: '钱七', id_number: person, phone, address: '警钟街9号' },
        { role: role === 'applicant' ? 'respondent' : 'applicant', name: '孙八', id_number: other, phone: otherPhone }],
    });
    assertStatus(r, 201);
    made.push(r.data);
  }
  const reason = '当事人本人申请查阅复制个人信息';
  // The number may be written with a lowercase x or spaces: it is normalised first.
  const r = await admin.get(url({ id_number: ` ${person.toLowerCase()} `, reason }));
  assertStatus(r, 200);
  assert.equal(r.data.total, 2);
  assert.deepEqual(r.data.items.map((x) => x.case.id).sort((a, b) => a - b), made.map((c) => c.id).sort((a, b) => a - b));
  for (const it of r.data.items) {
    const mine = made.find((c) => c.id === it.case.id);
    assert.equal(it.case.number, mine.number);
    assert.ok(it.case.facts && it.case.category === 'neighbour' && it.case.received_at > 0, JSON.stringify(it.case));
    assert.equal(it.party.name, '钱七');
    assert.equal(it.party.id_number, person);
    assert.equal(it.party.phone, phone);
    assert.equal(it.party.address, '警钟街9号');
  }
  assert.equal(r.data.items.find((x) => x.case.id === made[1].id).party.role, 'respondent');
  assert.ok(!r.text.includes(other) && !r.text.includes(otherPhone) && !r.text.includes('孙八'), 'no other party');
  assert.equal(r.headers.get('cache-control'), 'no-store');

  const rows = await audit(admin, { object_type: 'party', action: 'export' });
  const row = rows.find((x) => x.detail === reason);
  assert.ok(row, JSON.stringify(rows));
  assert.equal(row.actor_login, 'admin');
  assert.ok(!JSON.stringify(row).includes(person), 'the number is not in the audit log');

  // A number that is nobody's: an empty list, still audited.
  const none = await admin.get(url({ id_number: residentId(), reason: '核查是否存在个人信息' }));
  assertStatus(none, 200);
  assert.equal(none.data.total, 0);
  assert.ok((await audit(admin, { object_type: 'party', action: 'export' })).some((x) => x.detail === '核查是否存在个人信息'));
});

test('export: the number and the reason are required and checked; administrators only', async () => {
  const person = residentId();
  for (const [q, field] of [
    [{ reason: '本人申请' }, 'id_number'],
    [{ id_number: '510703198001011235', reason: '本人申请' }, 'id_number'],
    [{ id_number: person }, 'reason'],
    [{ id_number: person, reason: '查' }, 'reason'],
    [{ id_number: person, reason: '长'.repeat(201) }, 'reason'],
  ]) {
    const r = await admin.get(url(q));
    assertStatus(r, 400);
    assert.ok(JSON.stringify(r.data).includes(field), `${JSON.stringify(q)}: ${JSON.stringify(r.data)}`);
  }
  for (const login of ['fc_clerk', 'fc_supervisor']) {
    const c = await loginAs(srv.url, login);
    assertStatus(await c.get(url({ id_number: person, reason: '本人申请复制' })), 403);
  }
});
