// The ledger (台账, GET /api/v1/ledger) and the register's export (GET /api/v1/cases/export):
// one row per case received in the period in the region's subtree, the same rows as the
// register's list says; CSV with a BOM that parses, XLSX with a header row; phone numbers
// masked; every export audited; scope and bad input refused naming the field.
// Not here: a 100,000-row export in bounded memory (the writer streams page by page to a
// temporary file, src/api/ledger.c; a memory test of that size does not belong in this suite).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertValidation, assertPage, loginAs, lookup, audit, getBinary, parseCsv, readXlsx,
  todayCandidates, findUnmasked, mobile, XLSX_TYPE, R,
} from './helpers.mjs';

let srv, ids, admin, clerk, leader, far;
const made = [];
const phone = mobile();
const days = todayCandidates().sort();
const from = days[0], to = days[days.length - 1];
const HEADER = ['案件编号', '受理日期', '来源渠道', '纠纷类型', '复杂程度', '发生地', '发生日期', '涉及人数',
  '涉及金额（元）', '申请人', '申请人电话', '被申请人', '纠纷简要情况', '当事人诉求', '办理状态', '化解结果',
  '化解方式', '办理层级', '办结期限', '结案日期', '责任单位', '调解员', '风险等级'];

before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
  clerk = await loginAs(srv.url, 'fc_clerk');
  leader = await loginAs(srv.url, 'fc_leader');
  far = await loginAs(srv.url, 'jfj_mediator'); // 解放街社区: does not see 警钟街社区
  for (let i = 0; i < 5; i++) {
    const r = await clerk.post('/api/v1/cases', {
      channel: 'walk_in', category: 'neighbour', complexity: 'simple',
      facts: i === 0 ? `院墙"排水",引发争执，第二段${'长'.repeat(800)}` : '院墙排水引发争执',
      claims: '恢复排水', people: 2 + i, amount: 1000 * i,
      region_id: ids.region(R.dongjie).id,
      parties: [{ role: 'applicant', name: `赵文${i}`, phone }, { role: 'respondent', name: `钱武${i}` }],
    });
    assert.equal(r.status, 201, r.text);
    made.push(r.data);
  }
});
after(async () => { await srv?.stop(); });

const q = (o) => new URLSearchParams(o).toString();
const total = async (client, query) => assertPage(await client.get(`/api/v1/cases?${q({ ...query, per_page: 1 })}`)).total;

test('the ledger in CSV: BOM, Chinese header, one row per case received in the period as the register counts them', async () => {
  const r = await getBinary(leader, `/api/v1/ledger?${q({ from, to, format: 'csv' })}`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^text\/csv; charset=utf-8/);
  assert.deepEqual([...r.body.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM first');
  const cd = r.headers.get('content-disposition');
  assert.match(cd, /^attachment; filename="ledger\.csv"; filename\*=UTF-8''/);
  assert.equal(decodeURIComponent(cd.split("UTF-8''")[1]), `纠纷台账_${from}至${to}.csv`);
  const rows = parseCsv(r.text).filter((x) => x.some((v) => v !== ''));
  assert.deepEqual(rows[0], HEADER);
  assert.ok(rows.slice(1).every((x) => x.length === HEADER.length), 'every row has every column');
  const want = await total(leader, { from, to });
  assert.ok(want >= made.length);
  assert.equal(rows.length - 1, want, 'rows = the register\'s total for the period');
  const numbers = rows.slice(1).map((x) => x[0]);
  for (const k of made) assert.ok(numbers.includes(k.number), `${k.number} in the ledger`);
  const first = rows.find((x) => x[0] === made[0].number);
  assert.ok(days.includes(first[1]), 'received on the day it was registered');
  assert.equal(first[2], '来访');
  assert.equal(first[3], '邻里纠纷');
  assert.equal(first[9], '赵文0');
  assert.equal(first[11], '钱武0');
  assert.equal(first[14], '已登记');
  assert.ok(first[12].startsWith('院墙"排水",引发争执，第二段'), 'quotes and commas survive');
  assert.ok(first[12].endsWith('…') && [...first[12]].length === 501, 'long facts are cut at 500 characters');
});

test('the ledger in XLSX: header row and the same rows as the CSV', async () => {
  const c = parseCsv((await getBinary(leader, `/api/v1/ledger?${q({ from, to, format: 'csv' })}`)).text)
    .filter((x) => x.some((v) => v !== ''));
  const r = await getBinary(leader, `/api/v1/ledger?${q({ from, to, format: 'xlsx' })}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), XLSX_TYPE);
  const rows = readXlsx(r.body).map((x) => { while (x.length < HEADER.length) x.push(''); return x; });
  assert.deepEqual(rows, c, 'the XLSX holds what the CSV holds');
});

test('a region narrows the ledger to its subtree; the register\'s filter exports the same way', async () => {
  const dongjie = ids.region(R.dongjie).id;
  const rows = parseCsv((await getBinary(leader, `/api/v1/ledger?${q({ region_id: dongjie, from, to })}`)).text)
    .filter((x) => x.some((v) => v !== '')).slice(1);
  assert.equal(rows.length, await total(leader, { region_id: dongjie, from, to }));
  const filter = { region_id: dongjie, category: 'neighbour', q: '排水' };
  const e = await getBinary(leader, `/api/v1/cases/export?${q({ ...filter, format: 'xlsx' })}`);
  assert.equal(e.status, 200, e.text);
  assert.match(decodeURIComponent(e.headers.get('content-disposition').split("UTF-8''")[1]), /^案件登记_\d{4}-\d{2}-\d{2}\.xlsx$/);
  const x = readXlsx(e.body);
  assert.deepEqual(x[0], HEADER);
  assert.equal(x.length - 1, await total(leader, filter));
  assert.ok(x.length - 1 >= made.length);
});

test('phone numbers are masked for every role, as the case view shows them', async () => {
  for (const who of [leader, clerk]) {
    const r = await getBinary(who, `/api/v1/ledger?${q({ from, to })}`);
    assert.equal(r.status, 200);
    assert.ok(!r.text.includes(phone), 'no full phone number');
    assert.deepEqual(findUnmasked(r.text), [], 'no full ID number or phone at all');
    const row = parseCsv(r.text).find((x) => x[0] === made[1].number);
    assert.equal(row[10], `${phone.slice(0, 3)}****${phone.slice(7)}`);
  }
});

test('each export is audited: action export on case, with the filter and the row count', async () => {
  const before = (await audit(admin, { action: 'export', object_type: 'case' })).length;
  const r = await getBinary(leader, `/api/v1/ledger?${q({ from, to, format: 'xlsx' })}`);
  assert.equal(r.status, 200);
  const n = readXlsx(r.body).length - 1;
  const items = await audit(admin, { action: 'export', object_type: 'case' });
  assert.equal(items.length, before + 1);
  assert.equal(items[0].actor_login, 'fc_leader');
  assert.match(items[0].detail, new RegExp(`^ledger rows=${n} from=${from} to=${to} format=xlsx$`));
});

test('scope: a region outside the caller\'s subtree is refused naming region_id; a village sees its own cases only', async () => {
  const other = Object.values(ids.regions).find((r) => r.level === 'county' && r.code !== R.fucheng);
  for (const region of [ids.region(R.mianyang), other].filter(Boolean)) {
    const r = await leader.get(`/api/v1/ledger?${q({ region_id: region.id, from, to })}`);
    assert.ok([400, 404].includes(r.status), `${region.code}: ${r.status}`);
    if (r.status === 400) assert.ok('region_id' in assertValidation(r));
  }
  const mine = parseCsv((await getBinary(far, `/api/v1/ledger?${q({ from, to })}`)).text);
  for (const k of made) assert.ok(!mine.some((x) => x[0] === k.number), 'another village\'s case is not exported');
});

test('bad input: dates, a missing period, an unknown format or filter are 400 naming the field', async () => {
  const cases = [
    [{ from: '2026-13-01', to }, 'from'],
    [{ from, to: 'tomorrow' }, 'to'],
    [{ to }, 'from'],
    [{ from }, 'to'],
    [{ from: to, to: '2020-01-01' }, 'to'],
    [{ from, to, format: 'pdf' }, 'format'],
    [{ from, to, category: 'nonsense' }, 'category'],
  ];
  for (const [query, field] of cases) {
    const r = await leader.get(`/api/v1/ledger?${q(query)}`);
    assert.ok(field in assertValidation(r, q(query)), `${q(query)} names ${field}`);
  }
  assert.ok('format' in assertValidation(await leader.get('/api/v1/cases/export?format=doc')));
  assert.equal((await new (leader.constructor)(srv.url).get(`/api/v1/ledger?${q({ from, to })}`)).status, 401);
});
