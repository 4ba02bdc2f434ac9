// Citizens without an account: apply online, track with the access code, rate after closing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, assertProblem, assertValidation, loginAs, lookup, R, mobile, findUnmasked } from './helpers.mjs';

let srv, pub, ids;
before(async () => {
  srv = await startServer();
  pub = new Client(srv.url);
  ids = await lookup(await loginAs(srv.url, 'admin'));
});
after(async () => { await srv?.stop(); });

const apply = (body) => pub.post('/api/v1/public/applications', body);
const track = (number, code) => pub.get(`/api/v1/public/cases/${encodeURIComponent(number)}?code=${encodeURIComponent(code)}`);

function application(phone = mobile()) {
  return {
    category: 'neighbour', region_id: ids.region(R.dongjie).id,
    facts: '楼上住户漏水，多次协商未果', claims: '修缮并赔偿损失',
    applicant: { name: '王小明', phone, address: '警钟街12号3单元' },
    respondent: { name: '刘大海' },
  };
}

test('an online application needs no login and returns a number, an access code and a QR code', async () => {
  const r = await apply(application());
  assert.equal(r.status, 201, r.text);
  assert.match(r.data.number, /^（\d{4}）涪城人调字第\d{4}号$/);
  assert.match(r.data.access_code, /^[2-9A-HJ-NP-Z]{8}$/);
  assert.match(r.data.qr_svg, /^<svg[^>]*>.*<\/svg>$/s);
  assert.ok(r.data.track_url.includes(encodeURIComponent(r.data.number)) && r.data.track_url.includes(r.data.access_code));
  // Staff see it in the register, channel online, with the phone masked.
  const clerk = await loginAs(srv.url, 'fc_clerk');
  const list = await clerk.get('/api/v1/cases?channel=online');
  const mine = list.data.items.find((c) => c.number === r.data.number);
  assert.ok(mine, 'the application is in the register');
  const detail = await clerk.get(`/api/v1/cases/${mine.id}`);
  assert.equal(detail.data.channel, 'online');
  assert.deepEqual(findUnmasked(detail.text), [], 'no full phone number in the staff view');
});

test('tracking shows the status and a citizen timeline, without names or notes', async () => {
  const r = await apply(application());
  const t = await track(r.data.number, r.data.access_code);
  assert.equal(t.status, 200, t.text);
  assert.equal(t.data.state, 'registered');
  assert.equal(t.data.timeline.length, 1);
  assert.deepEqual(Object.keys(t.data.timeline[0]).sort(), ['action', 'at', 'state']);
  assert.ok(!t.text.includes('王小明') && !t.text.includes('刘大海'), 'no party names');
  assert.equal(t.data.id, undefined, 'no internal id');
  // The page changes as staff act on the case.
  const d = await loginAs(srv.url, 'fc_dispatcher');
  const c = (await d.get('/api/v1/cases?channel=online')).data.items.find((x) => x.number === r.data.number);
  assert.equal((await d.post(`/api/v1/cases/${c.id}/transitions`, { action: 'accept', note: '内部备注：当事人情绪激动' })).status, 200);
  const t2 = await track(r.data.number, r.data.access_code);
  assert.equal(t2.data.state, 'accepted');
  assert.equal(t2.data.timeline.length, 2);
  assert.ok(!t2.text.includes('内部备注'), 'internal notes stay internal');
});

test('a wrong code and an unknown number answer the same 404', async () => {
  const r = await apply(application());
  assertProblem(await track(r.data.number, 'WRONGCOD'), 404, 'not-found');
  assertProblem(await track('（2026）涪城人调字第9999号', r.data.access_code), 404, 'not-found');
});

test('validation names the missing phone and the bad fields at once', async () => {
  const bad = application();
  delete bad.applicant.phone;
  bad.category = 'quarrel';
  const p = assertValidation(await apply(bad));
  assert.equal(p['applicant.phone'], 'required', JSON.stringify(p));
  assert.equal(p.category, 'invalid', JSON.stringify(p));
  const bad2 = application('12345');
  bad2.category = 'quarrel';
  const p2 = assertValidation(await apply(bad2));
  assert.equal(p2['applicant.phone'], 'invalid', JSON.stringify(p2));
  assert.equal(p2.category, 'invalid', JSON.stringify(p2));
});

test('a citizen cannot set what the centre decides: urgency, key persons, links, channel', async () => {
  const p = assertValidation(await apply({ ...application(), urgent: true, key_persons: true, related_to: 1, channel: 'walk_in' }));
  for (const f of ['urgent', 'key_persons', 'related_to', 'channel']) assert.equal(p[f], 'unknown', JSON.stringify(p));
  const ok = await apply({ ...application(), occurred_on: '2026-11-01' });
  assert.equal(ok.status, 201, ok.text);
});

test('one phone number may file at most three applications a day', async () => {
  const phone = mobile();
  for (let i = 0; i < 3; i++) assert.equal((await apply(application(phone))).status, 201);
  const r = await apply(application(phone));
  assertProblem(r, 429, 'rate-limited');
  assert.ok(r.headers.get('retry-after'));
});

test('rating: only once the case is closed, and only once', async () => {
  const r = await apply(application());
  const rate = (body) => pub.post(`/api/v1/public/cases/${encodeURIComponent(r.data.number)}/rating`, body);
  assertProblem(await rate({ code: r.data.access_code, satisfaction: 5 }), 409, 'conflict');
  const d = await loginAs(srv.url, 'fc_dispatcher');
  const c = (await d.get('/api/v1/cases?channel=online')).data.items.find((x) => x.number === r.data.number);
  assert.equal((await d.post(`/api/v1/cases/${c.id}/transitions`, { action: 'withdraw', by: '申请人', reason: '已自行和解' })).status, 200);
  assert.equal((await d.post(`/api/v1/cases/${c.id}/transitions`, { action: 'close' })).status, 200);
  assertValidation(await rate({ code: r.data.access_code, satisfaction: 9 }));
  assertProblem(await rate({ code: 'WRONGCOD', satisfaction: 4 }), 404, 'not-found');
  assert.equal((await rate({ code: r.data.access_code, satisfaction: 4, comment: '调解员很耐心' })).status, 204);
  assertProblem(await rate({ code: r.data.access_code, satisfaction: 5 }), 409, 'conflict');
  const t = await track(r.data.number, r.data.access_code);
  assert.ok(t.data.timeline.some((e) => e.action === 'citizen_rating'));
});
