// The case register (统一接案): intake from every channel, numbering, validation, personal data
// sealed and masked, related-case hints, who may register, and region scope of cases.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../lib/server.mjs';
import {
  startServer, assertProblem, assertStatus, assertValidation, assertRefRejected, assertPage, loginAs, lookup, listAll,
  todayCandidates, residentId, badCheckDigit, mobile, findUnmasked, CASE_NUMBER, ISO_MS, NO_SUCH_ID, R,
} from './helpers.mjs';

let srv, admin, ids;
const as = {};
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
  for (const l of ['fc_clerk', 'fc_dispatcher', 'fc_supervisor', 'cx_mediator', 'jzj_mediator', 'jfj_mediator', 'jzj_grid']) {
    as[l] = await loginAs(srv.url, l);
  }
});
after(async () => { await srv?.stop(); });

const JZJ = () => ids.region(R.dongjie).id; // 警钟街社区
const JFJ = () => ids.region(R.xijie).id; // 解放街社区

/** An intake body: a neighbour dispute in 警钟街社区 with an applicant and a respondent. */
function intake(extra = {}, applicant = {}) {
  return {
    channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: '楼上漏水，协商未果', claims: '赔偿维修费用',
    region_id: JZJ(), occurred_on: '2026-10-08', people: 2, amount: 3000,
    parties: [
      { role: 'applicant', name: '张秀英', id_number: residentId(), phone: mobile(), address: '涪城区警钟街88号3栋2单元501', ...applicant },
      { role: 'respondent', name: '李建国' },
    ],
    ...extra,
  };
}

async function register(client, body, what = 'intake') {
  const r = await client.post('/api/v1/cases', body);
  assertStatus(r, 201, what);
  return r.data;
}

const schemas = parse(readFileSync(join(ROOT, 'docs', 'openapi.yaml'), 'utf8')).components.schemas;
const sorted = (a) => [...a].sort();

const seqOf = (number) => Number(number.match(/第(\d{4})号/)[1]);

test('intake answers 201 with a case number of the county and year, increasing per case', async () => {
  const a = await register(as.fc_clerk, intake());
  const b = await register(as.fc_clerk, intake({ channel: 'phone' }));
  for (const k of [a, b]) {
    assert.match(k.number, CASE_NUMBER);
    assert.ok(todayCandidates().map((d) => d.slice(0, 4)).includes(k.number.slice(1, 5)), `year of ${k.number}`);
    assert.equal(k.state, 'registered');
    assert.equal(k.region_id, JZJ());
    assert.equal(k.level, 'village', 'a case starts at the level of its village');
    assert.equal(k.clerk_id, ids.user('fc_clerk').id);
    assert.match(k.received_at, ISO_MS);
    assert.equal(k.parties.length, 2);
    assert.ok(Array.isArray(k.related));
  }
  assert.deepEqual(sorted(Object.keys(a)), sorted([...schemas.CaseSummary.required, ...schemas.Case.allOf[1].required, 'related']), 'fields of the case as documented (CaseSummary, Case, CaseCreated)');
  assert.deepEqual(sorted(Object.keys(a.parties[0])), sorted(schemas.Party.required), 'fields of a party as documented');
  assert.ok(seqOf(b.number) > seqOf(a.number), `${b.number} should come after ${a.number}`);
  assert.notEqual(a.number, b.number);
  const got = await as.fc_clerk.get(`/api/v1/cases/${a.id}`);
  assertStatus(got, 200);
  assert.equal(got.data.number, a.number);
  assert.equal(got.data.facts, '楼上漏水，协商未果');
});

test('intake validation names every bad field at once, inside parties too, and writes nothing', async () => {
  const before = assertPage(await as.fc_clerk.get('/api/v1/cases')).total;
  const good = residentId();
  const r = await as.fc_clerk.post('/api/v1/cases', {
    channel: 'carrier_pigeon', category: 'neighbour', complexity: 'simple', facts: '', region_id: JZJ(), occurred_on: '2026-13-45',
    parties: [
      { role: 'applicant', name: '王芳', id_number: badCheckDigit(good) },
      { role: 'respondent', name: '赵强', phone: '12345' },
    ],
  });
  const errs = assertValidation(r, 'bad intake');
  for (const f of ['channel', 'facts', 'occurred_on', 'parties[0].id_number', 'parties[1].phone']) {
    assert.ok(f in errs, `${f} not named: ${r.text}`);
  }
  assert.equal(errs['parties[0].id_number'], 'invalid');
  assert.equal(errs['parties[1].phone'], 'invalid');
  assert.equal(assertPage(await as.fc_clerk.get('/api/v1/cases')).total, before, 'a rejected intake wrote a case');
});

test('intake without an applicant → 400 parties', async () => {
  const onlyRespondent = intake();
  onlyRespondent.parties = [{ role: 'respondent', name: '李建国' }];
  assert.equal(assertValidation(await as.fc_clerk.post('/api/v1/cases', onlyRespondent), 'no applicant').parties, 'required');
  const none = intake();
  none.parties = [];
  assert.ok('parties' in assertValidation(await as.fc_clerk.post('/api/v1/cases', none), 'no parties'));
});

test('ID number, phone and address are masked in every answer, never shown in full', async () => {
  const id = residentId(), phone = mobile(), address = '涪城区警钟街88号3栋2单元501';
  const k = await register(as.fc_clerk, intake({}, { id_number: id, phone, address }));
  const check = (text, where) => {
    assert.ok(!text.includes(id), `${where}: full ID number shown`);
    assert.ok(!text.includes(phone), `${where}: full phone shown`);
    assert.ok(!text.includes(address), `${where}: full address shown`);
    assert.deepEqual(findUnmasked(text), [], `${where}: unmasked numbers in ${text.slice(0, 300)}`);
  };
  check(JSON.stringify(k), 'POST /api/v1/cases');
  const p = k.parties.find((x) => x.role === 'applicant');
  assert.equal(p.id_number, `${id.slice(0, 6)}********${id.slice(14)}`);
  assert.equal(p.phone, `${phone.slice(0, 3)}****${phone.slice(7)}`);
  assert.match(p.address, /^涪城区.*\*{4}$/);
  assert.equal(p.name, '张秀英');
  const resp = k.parties.find((x) => x.role === 'respondent');
  assert.equal(resp.id_number, null);
  assert.equal(resp.phone, null);
  for (const [who, path] of [['fc_clerk', `/api/v1/cases/${k.id}`], ['jzj_mediator', `/api/v1/cases/${k.id}`],
    ['fc_dispatcher', '/api/v1/cases?per_page=500'], ['fc_dispatcher', `/api/v1/cases/${k.id}/timeline`]]) {
    const r = await as[who].get(path);
    assertStatus(r, 200, `${who} GET ${path}`);
    check(r.text, `${who} GET ${path}`);
  }
  const detail = (await as.fc_clerk.get(`/api/v1/cases/${k.id}`)).data;
  assert.deepEqual(detail.parties, k.parties, 'GET shows the parties as the intake answered');
});

test('the database file holds no ID number, phone or address in clear (SQLite)', async (t) => {
  if (!srv.db.dir) { t.skip('not an SQLite database file'); return; }
  const id = residentId(), phone = mobile(), address = '涪城区警钟街明文检查路7号';
  await register(as.fc_clerk, intake({}, { id_number: id, phone, address }));
  const files = readdirSync(srv.db.dir).filter((f) => !f.endsWith('.key'));
  assert.ok(files.some((f) => f.endsWith('.db')), `no .db file in ${files}`);
  const bytes = Buffer.concat(files.map((f) => readFileSync(join(srv.db.dir, f))));
  for (const [what, v] of [['ID number', id], ['phone', phone], ['address', address]]) {
    assert.equal(bytes.indexOf(Buffer.from(v, 'utf8')), -1, `${what} stored in clear in ${files.join(', ')}`);
  }
});

test('a second case with the same applicant phone (or ID number) lists the first in related', async () => {
  const phone = mobile(), id = residentId();
  const first = await register(as.fc_clerk, intake({}, { phone, id_number: residentId() }));
  assert.deepEqual(first.related, [], 'a new phone has no related cases');
  // the same phone written differently is the same phone
  const spaced = `+86 ${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`;
  const second = await register(as.fc_dispatcher, intake({ channel: 'phone' }, { phone: spaced, id_number: id }));
  const rel = second.related.find((x) => x.id === first.id);
  assert.ok(rel, `first case not in related: ${JSON.stringify(second.related)}`);
  assert.deepEqual(Object.keys(rel).sort(), ['category', 'id', 'number', 'received_at', 'state'].sort());
  assert.equal(rel.number, first.number);
  assert.equal(rel.state, 'registered');
  assert.equal(rel.category, 'neighbour');
  assert.ok(!second.related.some((x) => x.id === second.id), 'a case is not related to itself');
  // by ID number, a respondent this time, another phone
  const third = await register(as.fc_clerk, {
    ...intake(), parties: [{ role: 'applicant', name: '孙丽' }, { role: 'respondent', name: '张秀英', id_number: id.toLowerCase() }],
  });
  assert.ok(third.related.some((x) => x.id === second.id), `same ID number not related: ${JSON.stringify(third.related)}`);
  assert.ok(!third.related.some((x) => x.id === first.id), 'first case shares neither ID nor phone with the third');
  // Related means the same matter: another category of dispute is not offered (the intake
  // form's party look-up shows the person's other cases before saving).
  const other = await register(as.fc_clerk, {
    ...intake({ category: 'contract' }), parties: [{ role: 'applicant', name: '张秀英', id_number: id }],
  });
  assert.deepEqual(other.related, [], 'a contract dispute is not related to the neighbour disputes');
});

test('related lists open cases only: a closed case is not offered again', async () => {
  const phone = mobile();
  const old = await register(as.fc_clerk, intake({}, { phone }));
  assertStatus(await as.fc_clerk.post(`/api/v1/cases/${old.id}/transitions`, { action: 'withdraw', by: '申请人', reason: '已自行和解' }), 200, 'withdraw');
  assertStatus(await as.fc_dispatcher.post(`/api/v1/cases/${old.id}/transitions`, { action: 'close' }), 200, 'close');
  const again = await register(as.fc_clerk, intake({}, { phone }));
  assert.ok(!again.related.some((x) => x.id === old.id), `closed case ${old.number} offered as related: ${JSON.stringify(again.related)}`);
});

test('a region outside the caller\'s scope → 400 region_id not_found', async () => {
  assertRefRejected(await as.jzj_grid.post('/api/v1/cases', intake({ region_id: JFJ() })), 'region_id', '警钟街 grid worker in 解放街');
  assertRefRejected(await as.fc_clerk.post('/api/v1/cases', intake({ region_id: ids.region(R.mianyang).id })), 'region_id', '涪城 clerk at 绵阳市');
  assertRefRejected(await as.fc_clerk.post('/api/v1/cases', intake({ region_id: NO_SUCH_ID })), 'region_id', 'no such region');
  // in scope works for the grid worker (网格上报)
  const k = await register(as.jzj_grid, intake({ channel: 'grid_report' }), 'grid worker in own village');
  assert.equal(k.channel, 'grid_report');
});

test('roles that do not register (mediator, supervisor) → 403', async () => {
  assertProblem(await as.jzj_mediator.post('/api/v1/cases', intake()), 403, 'forbidden', 'mediator');
  assertProblem(await as.fc_supervisor.post('/api/v1/cases', intake()), 403, 'forbidden', 'supervisor');
  await register(admin, intake(), 'admin registers');
});

test('unknown intake fields are refused by name, also inside a party', async () => {
  const body = intake({ colour: 'red' });
  body.parties[0].hair = 'long';
  const errs = assertValidation(await as.fc_clerk.post('/api/v1/cases', body));
  assert.equal(errs.colour, 'unknown');
  assert.equal(errs['parties[0].hair'], 'unknown');
});

test('a case in 解放街社区 is 404 for 警钟街\'s mediator and visible to 城厢街道 and 涪城区 staff', async () => {
  const k = await register(as.fc_clerk, intake({ region_id: JFJ(), facts: '解放街社区的纠纷' }));
  for (const path of [`/api/v1/cases/${k.id}`, `/api/v1/cases/${k.id}/transitions`, `/api/v1/cases/${k.id}/timeline`]) {
    assertProblem(await as.jzj_mediator.get(path), 404, 'not-found', `jzj_mediator GET ${path}`);
  }
  assertProblem(await as.jzj_mediator.post(`/api/v1/cases/${k.id}/transitions`, { action: 'withdraw', by: '申请人', reason: '撤回' }), 404, 'not-found', 'jzj_mediator acts');
  for (const who of ['cx_mediator', 'jfj_mediator', 'fc_clerk', 'fc_dispatcher', 'fc_supervisor']) {
    const r = await as[who].get(`/api/v1/cases/${k.id}`);
    assertStatus(r, 200, `${who} GET case`);
    assert.equal(r.data.number, k.number);
    assertStatus(await as[who].get(`/api/v1/cases/${k.id}/timeline`), 200, `${who} timeline`);
  }
  assertStatus(await admin.get(`/api/v1/cases/${k.id}`), 200, 'admin');
  assertProblem(await as.fc_clerk.get(`/api/v1/cases/${NO_SUCH_ID}`), 404, 'not-found', 'no such case');
});

test('case lists are scoped to the caller\'s regions and filter by region, state, category, channel and text', async () => {
  const jfj = await register(as.fc_clerk, intake({ region_id: JFJ(), category: 'property_mgmt', channel: 'letter', facts: '物业费争议解放街' }));
  const jzj = await register(as.fc_clerk, { ...intake({ facts: '警钟街独有的事实描述' }), parties: [{ role: 'applicant', name: '欧阳震华' }] });
  const has = (items, k) => items.some((x) => x.id === k.id);
  const jzjList = await listAll(as.jzj_mediator, '/api/v1/cases');
  assert.ok(has(jzjList, jzj) && !has(jzjList, jfj), 'jzj_mediator sees 警钟街 only');
  assert.ok(jzjList.every((x) => x.region_id !== JFJ()), 'jzj_mediator lists no 解放街 case');
  const cxList = await listAll(as.cx_mediator, '/api/v1/cases');
  assert.ok(has(cxList, jzj) && has(cxList, jfj), 'cx_mediator sees both villages');
  const fcList = await listAll(as.fc_supervisor, '/api/v1/cases');
  assert.ok(has(fcList, jzj) && has(fcList, jfj));
  const total = assertPage(await as.fc_dispatcher.get('/api/v1/cases')).total;
  assert.ok(total >= fcList.length && total === fcList.length, 'total counts the scoped list');
  // filters
  const byRegion = await listAll(as.fc_dispatcher, `/api/v1/cases?region_id=${JFJ()}`);
  assert.ok(has(byRegion, jfj) && !has(byRegion, jzj));
  assert.ok(byRegion.every((x) => x.region_id === JFJ()));
  const byCat = await listAll(as.fc_dispatcher, '/api/v1/cases?category=property_mgmt');
  assert.ok(has(byCat, jfj) && byCat.every((x) => x.category === 'property_mgmt'));
  const byChannel = await listAll(as.fc_dispatcher, '/api/v1/cases?channel=letter');
  assert.ok(has(byChannel, jfj) && byChannel.every((x) => x.channel === 'letter'));
  const byState = await listAll(as.fc_dispatcher, '/api/v1/cases?state=registered');
  assert.ok(has(byState, jzj) && byState.every((x) => x.state === 'registered'));
  // Two filters at once (each filter's index holds the others, migration 46): exactly the
  // cases of one list that pass the other filter, none lost and none added.
  const both = await listAll(as.fc_dispatcher, '/api/v1/cases?state=registered&channel=letter');
  assert.deepEqual(both.map((x) => x.id).sort(), byState.filter((x) => x.channel === 'letter').map((x) => x.id).sort());
  assert.ok(has(both, jfj), 'the letter about 解放街 is registered and by letter');
  const catChan = await listAll(as.fc_dispatcher, '/api/v1/cases?category=property_mgmt&channel=letter');
  assert.deepEqual(catChan.map((x) => x.id).sort(), byCat.filter((x) => x.channel === 'letter').map((x) => x.id).sort());
  const byText = await listAll(as.fc_dispatcher, `/api/v1/cases?q=${encodeURIComponent('警钟街独有的事实')}`);
  assert.deepEqual(byText.map((x) => x.id), [jzj.id]);
  const byName = await listAll(as.fc_dispatcher, `/api/v1/cases?q=${encodeURIComponent('欧阳震华')}`);
  assert.deepEqual(byName.map((x) => x.id), [jzj.id], 'search finds a party by name');
  // a region outside the caller's scope, unknown vocabulary
  assert.equal(assertValidation(await as.jzj_mediator.get(`/api/v1/cases?region_id=${JFJ()}`)).region_id, 'not_found');
  assert.ok('state' in assertValidation(await as.fc_dispatcher.get('/api/v1/cases?state=pending')));
  assert.ok('category' in assertValidation(await as.fc_dispatcher.get('/api/v1/cases?category=quarrel')));
});

test('intake sets a risk level with its reasons; lists filter by risk', async () => {
  const plain = await register(as.fc_clerk, intake());
  assert.equal(plain.risk, 'blue');
  assert.equal(plain.risk_reasons, null);
  const group = await register(as.fc_clerk, intake({ category: 'wage_arrears', people: 40, key_persons: true, facts: '四十名工人讨要工资' }));
  assert.equal(group.risk, 'red');
  for (const why of ['群体性（40人）', '涉及重点人员', '敏感领域']) assert.ok(group.risk_reasons.includes(why), group.risk_reasons);
  const high = await listAll(as.fc_dispatcher, '/api/v1/cases?risk=red');
  assert.ok(high.some((x) => x.id === group.id) && !high.some((x) => x.id === plain.id));
  assert.ok(high.every((x) => x.risk === 'red'));
  const low = await listAll(as.fc_dispatcher, '/api/v1/cases?risk=blue&category=neighbour');
  assert.ok(low.some((x) => x.id === plain.id) && low.every((x) => x.risk === 'blue' && x.category === 'neighbour'));
  assert.equal(assertValidation(await as.fc_dispatcher.get('/api/v1/cases?risk=extreme')).risk, 'invalid');
});

test('the register is the workbench queue: running cases by due date (higher risk first), then untimed, then ended newest first', async () => {
  const items = await listAll(as.fc_dispatcher, '/api/v1/cases');
  assert.ok(items.length > 3, 'the demo register has cases');
  const ended = ['rejected', 'withdrawn', 'closed', 'archived'];
  const rank = { red: 0, orange: 1, yellow: 2, blue: 3 };
  const key = (k) => (ended.includes(k.state) ? [2, -Date.parse(k.received_at)]
    : k.due_date === null ? [1, rank[k.risk], Date.parse(k.received_at)] : [0, k.due_date, rank[k.risk]]);
  for (let i = 1; i < items.length; i++) {
    const a = key(items[i - 1]), b = key(items[i]);
    let cmp = 0;
    for (let j = 0; j < a.length && cmp === 0; j++) cmp = a[j] < b[j] ? -1 : a[j] > b[j] ? 1 : 0;
    assert.ok(cmp <= 0, `item ${i - 1} (${JSON.stringify(a)}) sorts before item ${i} (${JSON.stringify(b)})`);
  }
});

test('a repeated report linked at intake: checked in scope, shown on both cases, recorded on the earlier one\'s timeline', async () => {
  const first = await register(as.fc_clerk, intake());
  assert.equal(assertValidation(await as.fc_clerk.post('/api/v1/cases', intake({ related_to: NO_SUCH_ID }))).related_to, 'not_found');
  assert.equal(assertValidation(await as.fc_clerk.post('/api/v1/cases', intake({ related_to: 0 }))).related_to, 'invalid');
  const elsewhere = await register(as.fc_clerk, intake({ region_id: JFJ() }));
  assert.equal(assertValidation(await as.jzj_grid.post('/api/v1/cases', intake({ related_to: elsewhere.id }))).related_to, 'not_found',
    'a case outside the caller\'s scope cannot be linked (nor learned of)');
  const repeat = await register(as.fc_clerk, intake({ related_to: first.id, channel: 'phone' }));
  assert.equal(repeat.related_to, first.id);
  assert.deepEqual(repeat.links.map((l) => [l.id, l.direction]), [[first.id, 'to']]);
  const again = (await as.fc_dispatcher.get(`/api/v1/cases/${first.id}`)).data;
  assert.deepEqual(again.links.map((l) => [l.id, l.number, l.direction]), [[repeat.id, repeat.number, 'from']]);
  const t = (await as.fc_dispatcher.get(`/api/v1/cases/${first.id}/timeline`)).data.items;
  const linked = t.find((e) => e.action === 'linked');
  assert.ok(linked, 'the earlier case records the link');
  assert.equal(linked.data.case_id, repeat.id);
  assert.equal(linked.data.number, repeat.number);
});
