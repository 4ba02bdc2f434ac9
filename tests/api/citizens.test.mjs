// Citizens without an account: apply online, track with the access code, rate after closing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, assertProblem, assertValidation, loginAs, lookup, R, mobile, findUnmasked, residentId, badCheckDigit, audit as auditRows } from './helpers.mjs';

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

// ---- issue 9: numbers as citizens type them, lost codes, the responsible unit, video rooms

const staffCase = async (who, number) => (await who.get('/api/v1/cases?channel=online&per_page=100')).data.items.find((x) => x.number === number);

test('tracking takes the number with ASCII or Chinese brackets and spaces around it', async () => {
  const r = await apply(application());
  const n = r.data.number; // （2026）涪城人调字第0001号
  const inner = n.slice(1).replace('）', '\u0000');
  const typed = [
    ` ${n}  `, `(${inner.replace('\u0000', ')')}`, `〔${inner.replace('\u0000', '〕')}`,
    `[${inner.replace('\u0000', ']')}`, `\u3000( ${inner.replace('\u0000', ') ')}\u3000`,
  ];
  for (const t of typed) {
    const got = await track(t, r.data.access_code);
    assert.equal(got.status, 200, `${JSON.stringify(t)}: ${got.text}`);
    assert.equal(got.data.number, n, 'the stored form is shown');
  }
  assertProblem(await track(` (${inner.replace('\u0000', ')')} `, 'WRONGCOD'), 404, 'not-found');
  assertProblem(await track('   ', r.data.access_code), 404, 'not-found');
});

test('the tracking page names the responsible unit, never a person; a video link only while mediated', async () => {
  const admin = await loginAs(srv.url, 'admin');
  const d = await loginAs(srv.url, 'fc_dispatcher');
  const setTemplate = (value) => admin.request('PUT', '/api/v1/settings/meeting_url_template', { json: { value } });
  assert.equal((await setTemplate('https://meet.example.org/jiefen-{room}')).status, 200);
  try {
    const r = await apply(application());
    const t0 = await track(r.data.number, r.data.access_code);
    assert.equal(t0.data.resp_org_name, null);
    assert.equal(t0.data.meeting_url, null, 'no room before mediators are assigned');
    const c = await staffCase(d, r.data.number);
    const staff = (await d.get(`/api/v1/cases/${c.id}`)).data;
    assert.match(staff.meeting_url, /^https:\/\/meet\.example\.org\/jiefen-[0-9a-f]{20}$/);
    const mediator = (await d.get('/api/v1/mediators?q=黄志强')).data.items[0];
    const unit = ids.org('警钟街社区人民调解委员会');
    assert.equal((await d.post(`/api/v1/cases/${c.id}/transitions`, { action: 'accept' })).status, 200);
    const assigned = await d.post(`/api/v1/cases/${c.id}/transitions`,
      { action: 'assign', resp_org_id: unit.id, mediator_ids: [mediator.id] });
    assert.equal(assigned.status, 200, assigned.text);
    const t = await track(r.data.number, r.data.access_code);
    assert.equal(t.data.state, 'assigned');
    assert.equal(t.data.resp_org_name, '警钟街社区人民调解委员会');
    assert.equal(t.data.meeting_url, staff.meeting_url, 'the parties get the room the staff page shows');
    for (const person of ['黄志强', '李明']) assert.ok(!t.text.includes(person), `no ${person} on the citizen's page`);
    const other = (await d.get(`/api/v1/cases/${(await staffCase(d, (await apply(application())).data.number)).id}`)).data;
    assert.notEqual(other.meeting_url, staff.meeting_url, 'each case has its own room');
    // Bad templates are refused, naming the value; empty turns online mediation off.
    for (const bad of ['https://meet.example.org/jiefen', 'ftp://meet.example.org/{room}', 'https://meet.example.org/{room}"><script>']) {
      const p = assertValidation(await setTemplate(bad));
      assert.equal(p.value, 'invalid', bad);
    }
    assert.equal((await setTemplate('')).status, 200);
    assert.equal((await d.get(`/api/v1/cases/${c.id}`)).data.meeting_url, null);
    assert.equal((await track(r.data.number, r.data.access_code)).data.meeting_url, null);
  } finally {
    await setTemplate('');
  }
});

test('a company named as the respondent online stays a legal person (法人/非法人组织)', async () => {
  const body = application();
  body.respondent = { kind: 'organization', name: '绵阳某物业服务有限公司' };
  const r = await apply(body);
  assert.equal(r.status, 201, r.text);
  const d = await loginAs(srv.url, 'fc_dispatcher');
  const parties = (await d.get(`/api/v1/cases/${(await staffCase(d, r.data.number)).id}`)).data.parties;
  assert.deepEqual(parties.map((p) => [p.role, p.kind]), [['applicant', 'person'], ['respondent', 'organization']]);
  const bad = application();
  bad.respondent = { kind: 'company', name: '某公司' };
  assert.equal(assertValidation(await apply(bad))['parties[1].kind'], 'invalid');
});

test('the staff timeline names the person who acted, not only the login', async () => {
  const r = await apply(application());
  const d = await loginAs(srv.url, 'fc_dispatcher');
  const me = (await d.get('/api/v1/session')).data;
  const c = await staffCase(d, r.data.number);
  assert.equal((await d.post(`/api/v1/cases/${c.id}/transitions`, { action: 'accept' })).status, 200);
  const items = (await d.get(`/api/v1/cases/${c.id}/timeline`)).data.items;
  assert.equal(items[0].actor_name, null, 'a citizen filed it: nobody by name');
  const accept = items.find((e) => e.action === 'accept');
  assert.equal(accept.actor_login, 'fc_dispatcher');
  assert.ok(accept.actor_name && accept.actor_name === me.user.name, JSON.stringify([accept, me]));
  assert.ok(!(await track(r.data.number, r.data.access_code)).text.includes(accept.actor_name), 'not on the citizen page');
});

const recover = (number, body) => pub.post(`/api/v1/public/cases/${encodeURIComponent(number)}/access-code`, body);

test('a lost access code is replaced by number, phone and ID number; the old one stops working', async () => {
  const phone = mobile(), id = residentId(), otherId = residentId();
  const body = application(phone);
  body.applicant.id_number = id;
  body.respondent = { name: '刘大海', phone: mobile(), id_number: otherId };
  const r = await apply(body);
  assert.equal(r.status, 201, r.text);
  const inner = r.data.number.slice(1).replace('）', ')');
  // Anything wrong is one and the same 404: number, phone, ID, or the two from different people.
  const misses = [
    await recover('（2026）涪城人调字第9999号', { phone, id_number: id }),
    await recover(r.data.number, { phone: mobile(), id_number: id }),
    await recover(r.data.number, { phone, id_number: residentId() }),
    await recover(r.data.number, { phone, id_number: otherId }),
  ];
  for (const m of misses) assertProblem(m, 404, 'not-found');
  assert.equal(new Set(misses.map((m) => m.text)).size, 1, 'the answers do not tell which part was wrong');
  const got = await recover(` (${inner} `, { phone: `${phone.slice(0, 3)} ${phone.slice(3)}`, id_number: id.toLowerCase() });
  assert.equal(got.status, 200, got.text);
  assert.equal(got.data.number, r.data.number);
  assert.match(got.data.access_code, /^[2-9A-HJ-NP-Z]{8}$/);
  assert.notEqual(got.data.access_code, r.data.access_code);
  assert.ok(got.data.track_url.includes(got.data.access_code) && got.data.qr_svg.startsWith('<svg'));
  assertProblem(await track(r.data.number, r.data.access_code), 404, 'not-found');
  assert.equal((await track(r.data.number, got.data.access_code)).status, 200);
  assert.ok(!(await track(r.data.number, got.data.access_code)).data.timeline.some((e) => e.action === 'access_code_reissued'), 'internal');
  // Staff see it on the timeline; the audit log has it, without the code.
  const admin = await loginAs(srv.url, 'admin');
  const c = await staffCase(admin, r.data.number);
  assert.ok((await admin.get(`/api/v1/cases/${c.id}/timeline`)).data.items.some((e) => e.action === 'access_code_reissued'));
  const rows = await auditRows(admin, { action: 'reissue_access_code' });
  const row = rows.find((x) => x.object_id === c.id);
  assert.ok(row, 'audited');
  assert.equal(row.actor_id, null);
  assert.deepEqual(row.fields, ['access_digest']);
  assert.ok(!JSON.stringify(row).includes(got.data.access_code));
  // Desk-registered cases have no code to replace.
  const clerk = await loginAs(srv.url, 'fc_clerk');
  const walkIn = { role: 'applicant', name: '赵六', phone: mobile(), id_number: residentId() };
  const desk = await clerk.post('/api/v1/cases', { channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: '邻里纠纷',
    region_id: ids.region(R.dongjie).id, parties: [walkIn] });
  assert.equal(desk.status, 201, desk.text);
  assertProblem(await recover(desk.data.number, { phone: walkIn.phone, id_number: walkIn.id_number }), 404, 'not-found');
});

test('recovery names a missing or malformed phone or ID number', async () => {
  const p = assertValidation(await recover('（2026）涪城人调字第0001号', {}));
  assert.equal(p.phone, 'required');
  assert.equal(p.id_number, 'required');
  const q = assertValidation(await recover('（2026）涪城人调字第0001号', { phone: '12', id_number: badCheckDigit(residentId()), code: 'x' }));
  assert.deepEqual([q.phone, q.id_number, q.code], ['invalid', 'invalid', 'unknown']);
});

test('recovery is limited: five tries per phone number a day, twenty per address an hour', async () => {
  const phone = mobile(), id = residentId();
  const body = application(phone);
  body.applicant.id_number = id;
  const r = await apply(body);
  for (let i = 0; i < 5; i++) assertProblem(await recover(r.data.number, { phone, id_number: residentId() }), 404, 'not-found');
  const limited = await recover(r.data.number, { phone, id_number: id });
  assertProblem(limited, 429, 'rate-limited', 'even the right answer, once the phone has used its tries');
  assert.match(limited.data.detail, /phone/);
  // Other phones from the same address: the address runs out too (every attempt above counted).
  let tries = 0, last;
  do {
    last = await recover(r.data.number, { phone: mobile(), id_number: id });
    tries += 1;
  } while (last.status === 404 && tries < 25);
  assertProblem(last, 429, 'rate-limited');
  assert.match(last.data.detail, /address/);
  assert.ok(tries <= 20, `the address limit came after ${tries} more tries`);
});

test('the audit screen can name in Chinese every action, object type and field this suite wrote', async () => {
  const { default: M } = await import('../../web/messages/zh-CN.js');
  const rows = await auditRows(await loginAs(srv.url, 'admin'), {});
  assert.ok(rows.some((r) => r.action === 'reissue_access_code') && rows.some((r) => r.action === 'assign'));
  const actions = { ...M.caseEvents, ...M.caseActions, ...M.auditActions };
  const unnamed = new Set();
  for (const r of rows) {
    if (!actions[r.action]) unnamed.add(`action ${r.action}`);
    if (!M.objectTypes[r.object_type]) unnamed.add(`object ${r.object_type}`);
    for (const f of r.fields || []) if (!M.fields[f]) unnamed.add(`field ${f}`);
  }
  assert.deepEqual([...unnamed], []);
});
