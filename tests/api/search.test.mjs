// The register's search box (GET /api/v1/cases?q=): a case by its number, whole or in part,
// with Chinese or ASCII brackets; by a party's phone or ID number through the blind index;
// a one-character query refused with the field named. Also the cases a bulk load wrote.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertPage, assertValidation, loginAs, lookup, listAll, residentId, mobile, R,
} from './helpers.mjs';

let srv, ids, clerk, disp, far;
const made = [];
const idNumber = residentId();
const phone = mobile();
before(async () => {
  srv = await startServer();
  ids = await lookup(await loginAs(srv.url, 'admin'));
  clerk = await loginAs(srv.url, 'fc_clerk');
  disp = await loginAs(srv.url, 'fc_dispatcher');
  far = await loginAs(srv.url, 'jfj_mediator'); // 解放街社区: does not see 警钟街社区
  // Enough cases that the sequence numbers share digits with one another.
  for (let i = 0; i < 12; i++) {
    const parties = [{ role: 'applicant', name: '赵文', ...(i === 3 ? { id_number: idNumber, phone } : {}) }];
    const r = await clerk.post('/api/v1/cases', {
      channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: '院墙排水引发争执',
      region_id: ids.region(R.dongjie).id, parties,
    });
    assert.equal(r.status, 201, r.text);
    made.push(r.data);
  }
});
after(async () => { await srv?.stop(); });

const search = async (client, q) => assertPage(await client.get(`/api/v1/cases?per_page=100&q=${encodeURIComponent(q)}`), `q=${q}`);
const numbers = (page) => page.items.map((k) => k.number).sort();

test('the whole number finds its case, written with Chinese or ASCII brackets and spaces', async () => {
  const k = made[5];
  const digits = k.number.match(/\d+/g); // year and sequence
  const spellings = [
    k.number,
    k.number.replace('（', '(').replace('）', ')'),
    k.number.replace('（', '〔').replace('）', '〕'),
    k.number.replace('（', '[').replace('）', '] '),
    `  ${k.number}  `,
    k.number.slice(k.number.indexOf('）') + 1), // without the year
    `(${digits[0]})${digits[1]}`,
  ];
  for (const q of spellings) assert.deepEqual(numbers(await search(disp, q)), [k.number], `q=${q}`);
});

test('a whole number is looked up within the caller\'s scope and the other filters; the total says it is exact', async () => {
  const k = made[7];
  const page = await search(disp, k.number);
  assert.equal(page.total, 1);
  assert.equal(page.total_capped, false, 'a count below 10,000 is exact');
  assert.equal((await search(far, k.number)).total, 0, 'a village beside it does not see the case by its number');
  const other = await assertPage(await disp.get(`/api/v1/cases?state=closed&q=${encodeURIComponent(k.number)}`));
  assert.equal(other.total, 0, 'a registered case is not listed under state=closed, whole number or not');
  // A number that looks whole but is no case's falls back to its words: nothing either.
  const none = k.number.replace(/第\d+号/, '第98765号');
  assert.equal((await search(disp, none)).total, 0);
});

test('a part of the number in digits finds every case whose number contains it, and only those', async () => {
  const all = await listAll(disp, '/api/v1/cases');
  const seq = made[10].number.match(/第(\d+)号/)[1];
  for (const part of [seq, seq.slice(1), seq.slice(-2), made[0].number.match(/\d{4}/)[0]]) {
    const want = all.filter((k) => k.number.match(/\d+/g).some((d) => d.includes(part))).map((k) => k.number).sort();
    assert.ok(want.length > 0);
    assert.deepEqual(numbers(await search(disp, part)), want, `q=${part}`);
  }
  assert.equal((await search(disp, '98765')).total, 0, 'digits no number holds find nothing');
});

test('a party\'s phone or ID number finds the case exactly, in any spelling; out of scope it finds nothing', async () => {
  const k = made[3];
  for (const q of [phone, `${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`, ` ${phone} `, `+86 ${phone}`,
    idNumber, idNumber.toLowerCase()]) {
    assert.deepEqual(numbers(await search(disp, q)), [k.number], `q=${q}`);
  }
  assert.equal((await search(disp, mobile())).total, 0, 'another phone finds nothing');
  assert.equal((await search(disp, residentId())).total, 0, 'another ID number finds nothing');
  assert.equal((await search(far, phone)).total, 0, 'a village beside it does not see the case');
  assert.equal((await search(far, made[3].number)).total, 0);
});

test('a one-character query is refused with q named and why; an unknown to-do too', async () => {
  for (const q of ['1', '张', 'a', ' 7 ', '（1）']) {
    const r = await disp.get(`/api/v1/cases?q=${encodeURIComponent(q)}`);
    assert.equal(assertValidation(r, `q=${q}`).q, 'too_short');
    assert.match(r.data.errors[0].message, /two characters/);
  }
  await search(disp, '18'); // two digits are a search: 200 (search asserts the page)
  assert.equal(assertValidation(await disp.get('/api/v1/cases?todo=everything')).todo, 'invalid');
});

test('cases a bulk load wrote are found by their number too', async () => {
  const bulk = await startServer({ demoArgs: ['--cases', '30', '--seed', '3'] });
  try {
    const c = await loginAs(bulk.url, 'fc_dispatcher');
    const all = await listAll(c, '/api/v1/cases');
    assert.ok(all.length >= 10);
    const k = all[7];
    assert.ok((await search(c, k.number)).items.some((x) => x.id === k.id), k.number);
    const part = k.number.match(/第(\d+)号/)[1].slice(1);
    const want = all.filter((x) => x.number.match(/\d+/g).some((d) => d.includes(part))).length;
    assert.equal((await search(c, part)).total, want, `q=${part}`);
  } finally {
    await bulk.stop();
  }
});
