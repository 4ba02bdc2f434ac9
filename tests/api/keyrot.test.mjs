// Key rotation without downtime (个人信息保护法 art. 51(3); docs/security-data.md "Key rotation"):
// `jiefen key add` + SIGHUP, `key promote` + SIGHUP, `key rotate` in batches while the server
// keeps registering cases, matching key persons and revealing numbers; halfway through, every
// look-up by number finds rows under the old and the new blind index; at the end no sealed
// value names the old key, every revealed value is the original, and `key retire` drops it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startServer, Client, assertProblem, assertStatus, loginAs, lookup, sqlOn, residentId, mobile, R } from './helpers.mjs';
import { runCli, BIN } from '../lib/server.mjs';

let srv, admin, ids, clerk, sup;
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
  clerk = await loginAs(srv.url, 'fc_clerk');
  sup = await loginAs(srv.url, 'fc_supervisor');
});
after(async () => { await srv?.stop(); });

const key = (...args) => runCli(['key', ...srv.db.args, '--key', srv.keyFile, ...args]);
/** The same, without blocking the event loop: requests go on meanwhile. */
const keyAsync = (...args) => new Promise((res) => {
  execFile(BIN, ['key', ...srv.db.args, '--key', srv.keyFile, ...args], (err, stdout, stderr) => res({ status: err ? err.code : 0, stdout, stderr }));
});

/** Sends SIGHUP and waits for the server to say it read the key file (the n-th time). */
async function reload(n) {
  srv.child.kill('SIGHUP');
  for (;;) {
    const seen = srv.log().split('key file reloaded').length - 1;
    if (seen >= n) return;
    assert.ok(!srv.log().includes('key file not reloaded'), srv.log());
    await new Promise((r) => setTimeout(r, 20));
  }
}

const SEALED = {
  case_parties: ['id_sealed', 'phone_sealed', 'address_sealed'],
  key_persons: ['name_sealed', 'id_sealed', 'phone_sealed'],
  users: ['phone_sealed'], mediators: ['phone_sealed'], experts: ['phone_sealed'], grid_workers: ['phone_sealed'],
};

/** How many sealed values in the database name each key id (read from the sealed text). */
function keyIds() {
  const n = {};
  for (const [table, cols] of Object.entries(SEALED)) {
    for (const col of cols) {
      for (const v of sqlOn(srv.db, `SELECT ${col} FROM ${table} WHERE ${col} IS NOT NULL`).split('\n')) {
        if (!v.startsWith('v1:')) continue;
        const id = Buffer.from(v.trim().slice(3), 'base64url')[0];
        n[id] = (n[id] || 0) + 1;
      }
    }
  }
  return n;
}

async function register(idNumber, phone, address) {
  const r = await clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: '院墙漏水引发争执', region_id: ids.region(R.dongjie).id,
    parties: [{ role: 'applicant', name: '钱七', id_number: idNumber, phone, address }, { role: 'respondent', name: '孙八', phone: mobile() }],
  });
  assertStatus(r, 201, 'register');
  return { id: r.data.id, pid: r.data.parties[0].id, idNumber, phone, address };
}

async function revealed(k) {
  const r = await sup.post(`/api/v1/cases/${k.id}/parties/${k.pid}/reveal`, { reason: '核实当事人身份' });
  assertStatus(r, 200, 'reveal');
  return [r.data.id_number, r.data.phone, r.data.address];
}

const found = async (q) => {
  const r = await sup.get(`/api/v1/cases?per_page=100&q=${encodeURIComponent(q)}`);
  assertStatus(r, 200, `search ${q}`);
  return r.data.items.map((c) => c.id);
};

test('add, promote, rotate while requests go on; look-ups find both indexes; retire', async () => {
  const kpId = residentId('510703', '19700101');
  const kp = await sup.post('/api/v1/key-persons', {
    name: '张三丰', id_number: kpId, phone: mobile(), gender: 'male', age: 52, reason: 'repeat_disputant',
    region_id: ids.region(R.xijie).id, responsible_user_id: ids.user('jfj_mediator').id, review_every_days: 14,
  });
  assertStatus(kp, 201, 'key person');
  const before = [];
  for (let i = 0; i < 12; i++) before.push(await register(residentId(), mobile(), `警钟街${i}号`));
  assert.deepEqual(Object.keys(keyIds()), ['1'], 'everything sealed with key 1 to begin with');

  // Phase 1: the new key is known (it opens values) but does not seal yet.
  let r = key('add');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(key('add').status, 1, 'a third key is refused mid-rotation');
  await reload(1);
  const during1 = await register(residentId(), mobile(), '警钟街甲号');
  assert.deepEqual(Object.keys(keyIds()), ['1'], 'key 2 not current yet');
  // Retire refuses while anything is sealed with another key than the current one.
  r = key('promote');
  assert.equal(r.status, 0, r.stderr);
  await reload(2);
  assert.equal(key('retire').status, 1, 'retire refused: values on key 1');

  // Halfway: the first 10 party rows re-sealed, the rest not.
  r = key('rotate', '--batch', '5', '--batches', '2');
  assert.equal(r.status, 0, r.stderr);
  const mid = keyIds();
  assert.ok(mid[1] > 0 && mid[2] > 0, `both keys in use: ${JSON.stringify(mid)}`);
  const first = before[0];
  const last = before[before.length - 1];
  assert.deepEqual(await found(first.idNumber), [first.id], 'a re-indexed party by ID number');
  assert.deepEqual(await found(last.idNumber), [last.id], 'a party not yet re-indexed, by ID number');
  assert.deepEqual(await found(last.phone), [last.id], '… and by phone');
  // A new case (key 2) of the key person (still key 1) is matched at intake.
  const kase = await register(kpId, mobile(), '警钟街乙号');
  const kd = await sup.get(`/api/v1/key-persons/${kp.data.id}`);
  assert.deepEqual(kd.data.linked_cases.map((c) => c.id), [kase.id], 'key person matched across keys');
  const again = await register(last.idNumber, mobile(), '警钟街丙号');
  const rel = await clerk.post('/api/v1/parties/lookup', { id_number: last.idNumber });
  assertStatus(rel, 200, 'party lookup');
  assert.deepEqual(new Set(rel.data.cases.map((c) => c.case_id ?? c.id)), new Set([last.id, again.id]), 'intake lookup finds both');
  const ex = await admin.get(`/api/v1/people/export?${new URLSearchParams({ id_number: last.idNumber, reason: '本人申请查询' })}`);
  assertStatus(ex, 200, 'export');
  assert.equal(ex.data.total, 2, 'people export finds the old-index and the new-index row');

  // The rest while requests go on: registering, key-person matching, revealing.
  const made = [];
  let done = false, rounds = 0;
  const traffic = (async () => {
    while (!done) {
      const k = await register(residentId(), mobile(), `新华路${rounds}号`);
      made.push(k);
      assert.deepEqual(await revealed(k), [k.idNumber, k.phone, k.address], 'a new case reveals');
      assert.deepEqual(await revealed(first), [first.idNumber, first.phone, first.address], 'an old case reveals');
      const m = await register(kpId, mobile(), '新华路');
      const mk = await sup.get(`/api/v1/cases/${m.id}`);
      assert.ok(mk.data.key_persons === true || mk.data.key_persons === 1, 'key person matched during rotation');
      rounds++;
    }
  })();
  r = await keyAsync('rotate', '--batch', '1');
  done = true;
  await traffic;
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /case_parties up to id \d+/, 'progress on stderr');
  assert.ok(rounds >= 1, 'requests ran alongside');

  assert.deepEqual(Object.keys(keyIds()), ['2'], `nothing sealed with key 1: ${JSON.stringify(keyIds())}`);
  for (const k of [...before, during1, kase, ...made]) assert.deepEqual(await revealed(k), [k.idNumber, k.phone, k.address], `case ${k.id}`);
  r = key('rotate');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^key rotate: 0 values re-sealed/, 'a rerun changes nothing');

  r = key('retire');
  assert.equal(r.status, 0, r.stderr);
  const lines = readFileSync(srv.keyFile, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  assert.deepEqual(lines.map((l) => l.split(' ')[0]), ['2'], 'only key 2 left');
  await reload(3);
  assert.deepEqual(await found(first.idNumber), [first.id], 'a case registered before rotation, by ID number');
  assert.deepEqual(await revealed(last), [last.idNumber, last.phone, last.address]);
  const staff = await admin.get(`/api/v1/users/${ids.user('fc_clerk').id}`);
  assertStatus(staff, 200, 'a staff phone opens');
});

// The four look-ups that once used only the current key (docs/security-data.md): values written
// under the old key are still matched once the new key is current, before `key rotate` has
// re-indexed anything. Runs after the test above (key 2 alone) and rotates to key 3.
test('mid-rotation: the repeat-party factor, lost-code recovery, the per-phone limit and the video room hold', async () => {
  const pub = new Client(srv.url);
  const setTemplate = (value) => admin.request('PUT', '/api/v1/settings/meeting_url_template', { json: { value } });
  assertStatus(await setTemplate('https://meet.example.org/jiefen-{room}'), 200, 'meeting template');
  const phone = mobile(), idNumber = residentId();
  const apply = (applicant) => pub.post('/api/v1/public/applications', {
    category: 'neighbour', region_id: ids.region(R.dongjie).id, facts: '楼上漏水多次协商未果', claims: '赔偿损失',
    applicant, respondent: { name: '刘大海' },
  });
  // Under key 2: three applications from one phone (the day's limit), the first with an ID number.
  const first = await apply({ name: '王小明', phone, id_number: idNumber });
  assertStatus(first, 201, 'application');
  for (let i = 0; i < 2; i++) assertStatus(await apply({ name: '王小明', phone }), 201, 'application');
  assertProblem(await apply({ name: '王小明', phone }), 429, 'rate-limited', 'the limit holds before the rotation');
  const repeatId = residentId();
  const old = await register(repeatId, mobile(), '警钟街丁号');
  const room = (await sup.get(`/api/v1/cases/${old.id}`)).data.meeting_url;
  assert.match(room, /^https:\/\/meet\.example\.org\/jiefen-[0-9a-f]{20}$/);

  // Key 3 current, nothing re-indexed yet: every value above is indexed under key 2.
  let r = key('add');
  assert.equal(r.status, 0, r.stderr);
  await reload(4);
  r = key('promote');
  assert.equal(r.status, 0, r.stderr);
  await reload(5);
  assert.ok(keyIds()[2] > 0 && !keyIds()[3], `old values on key 2: ${JSON.stringify(keyIds())}`);

  const again = await register(repeatId, mobile(), '警钟街戊号');
  assert.ok(again.id !== old.id);
  const regraded = (await sup.get(`/api/v1/cases/${again.id}`)).data;
  assert.ok(/同一当事人近12个月内另有1件纠纷/.test(JSON.stringify(regraded.risk_reasons)), `repeat party across keys: ${JSON.stringify(regraded.risk_reasons)}`);
  const got = await pub.post(`/api/v1/public/cases/${encodeURIComponent(first.data.number)}/access-code`, { phone, id_number: idNumber });
  assertStatus(got, 200, 'lost-code recovery of an applicant indexed under the old key');
  assertProblem(await apply({ name: '王小明', phone }), 429, 'rate-limited', 'the per-phone limit counts requests under the old key');
  assert.equal((await sup.get(`/api/v1/cases/${old.id}`)).data.meeting_url, room, 'the room link sent before the rotation still holds');

  // Finish the rotation: everything on key 3, key 2 retired.
  r = key('rotate');
  assert.equal(r.status, 0, r.stderr);
  r = key('retire');
  assert.equal(r.status, 0, r.stderr);
  await reload(6);
  assert.deepEqual(Object.keys(keyIds()), ['3']);
  assertStatus(await setTemplate(''), 200, 'meeting off again');
});
