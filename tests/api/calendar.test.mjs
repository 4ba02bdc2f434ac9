// Working calendar (工作日历: 2026 arrangement of the State Council's General Office, 国办发明电
// 〔2025〕7号) and sensitive periods (敏感时期).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, Client, assertProblem, assertStatus, assertPage, assertValidation, assertRefRejected, loginAs, lookup, listAll, R,
} from './helpers.mjs';

let srv, admin, ids;
const as = {};
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
  for (const l of ['fc_admin', 'fc_clerk', 'cx_admin', 'jzj_grid', 'jzj_mediator']) as[l] = await loginAs(srv.url, l);
});
after(async () => { await srv?.stop(); });

// The weekdays off and the weekend days worked of 2026.
const HOLIDAY_WEEKDAYS_2026 = ['2026-01-01', '2026-01-02', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20',
  '2026-02-23', '2026-04-06', '2026-05-01', '2026-05-04', '2026-05-05', '2026-06-19', '2026-09-25',
  '2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'];
const WORKDAYS_2026 = ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'];

async function year(y, client = as.fc_clerk) {
  const r = await client.get(`/api/v1/calendar?year=${y}`);
  assertStatus(r, 200, `calendar ${y}`);
  assert.equal(r.data.year, y);
  assert.ok(Array.isArray(r.data.days), r.text.slice(0, 300));
  return new Map(r.data.days.map((d) => [d.date, d]));
}
async function add(from, days, kind, client = as.fc_clerk) {
  const r = await client.get(`/api/v1/calendar/add?from=${from}&days=${days}&kind=${kind}`);
  assertStatus(r, 200, `add ${from} ${days} ${kind}`);
  assert.equal(r.data.from, from);
  assert.equal(r.data.days, days);
  assert.equal(r.data.kind, kind);
  return r.data.due;
}
const dow = (iso) => new Date(`${iso}T00:00:00Z`).getUTCDay();

test('2026 holidays and make-up workdays are shipped (e.g. 2026-10-01 holiday, 2026-10-10 workday)', async () => {
  const days = await year(2026);
  for (const d of HOLIDAY_WEEKDAYS_2026) assert.equal(days.get(d)?.kind, 'holiday', `${d}: ${JSON.stringify(days.get(d))}`);
  for (const d of WORKDAYS_2026) assert.equal(days.get(d)?.kind, 'workday', `${d}: ${JSON.stringify(days.get(d))}`);
  for (const [date, d] of days) {
    assert.ok(date.startsWith('2026-'), date);
    assert.ok(d.name && typeof d.name === 'string', `${date} has no name`);
    if (d.kind === 'workday') assert.ok([0, 6].includes(dow(date)), `workday ${date} is not a weekend day`);
  }
  const worked = [...days.values()].filter((d) => d.kind === 'workday').map((d) => d.date).sort();
  assert.deepEqual(worked, WORKDAYS_2026, 'the make-up workdays of 2026');
  assert.ok(!days.has('2026-03-10'), 'an ordinary Tuesday listed as an exception');
});

test('2027 statutory holidays are there, marked provisional; 2026 is not', async () => {
  const days = await year(2027);
  assert.equal(days.get('2027-01-01')?.kind, 'holiday');
  assert.equal(days.get('2027-01-01')?.provisional, true, JSON.stringify(days.get('2027-01-01')));
  for (const d of (await year(2026)).values()) assert.equal(d.provisional, false, JSON.stringify(d));
  assert.ok([...days.values()].filter((d) => d.kind === 'holiday').length >= 5);
});

test('/calendar/add: business vs calendar days across 国庆 and the make-up workdays', async () => {
  assert.equal(await add('2026-09-30', 1, 'business'), '2026-10-08', 'the holiday week is skipped');
  assert.equal(await add('2026-09-30', 3, 'business'), '2026-10-10', 'Saturday 10-10 is worked');
  assert.equal(await add('2026-09-30', 8, 'business'), '2026-10-16');
  assert.equal(await add('2026-09-30', 8, 'calendar'), '2026-10-08');
  assert.equal(await add('2026-09-18', 1, 'business'), '2026-09-20', 'Sunday 09-20 is worked');
  assert.equal(await add('2026-09-24', 1, 'business'), '2026-09-28', '中秋 09-25..27 skipped');
  assert.equal(await add('2026-11-06', 1, 'business'), '2026-11-09', 'an ordinary weekend skipped');
  assert.equal(await add('2026-11-04', 1, 'calendar'), '2026-11-05');
  assert.equal(await add('2026-11-04', 7, 'calendar'), '2026-11-11', 'calendar days count the weekend');
  assert.equal(await add('2026-02-13', 1, 'business'), '2026-02-14', 'Saturday 02-14 before 春节 is worked');
  assert.equal(await add('2026-02-14', 1, 'business'), '2026-02-24', '春节 02-15..23 skipped');
  assert.equal(await add('2026-12-31', 2, 'business'), '2027-01-05', 'across the year: 2027-01-01 holiday, weekend');
});

test('/calendar/add: a calendar-day period ending on a rest day ends on the next working day (民法典第二百零三条)', async () => {
  assert.equal(await add('2026-11-06', 1, 'calendar'), '2026-11-09', 'Saturday → Monday');
  assert.equal(await add('2026-09-30', 3, 'calendar'), '2026-10-08', '10-03 in the 国庆 holiday → 10-08');
  assert.equal(await add('2026-09-13', 7, 'calendar'), '2026-09-20', 'Sunday 09-20 is a make-up workday: it stays');
});

test('/calendar/add validates from, days and kind', async () => {
  assert.equal(assertValidation(await as.fc_clerk.get('/api/v1/calendar/add?days=3&kind=business')).from, 'required');
  assert.equal(assertValidation(await as.fc_clerk.get('/api/v1/calendar/add?from=2026-02-30&days=3&kind=business')).from, 'invalid');
  assert.equal(assertValidation(await as.fc_clerk.get('/api/v1/calendar/add?from=2026-03-02&days=-1&kind=business')).days, 'invalid');
  assert.ok(assertValidation(await as.fc_clerk.get('/api/v1/calendar/add?from=2026-03-02&days=x&kind=business')).days);
  assert.equal(assertValidation(await as.fc_clerk.get('/api/v1/calendar/add?from=2026-03-02&days=3&kind=lunar')).kind, 'invalid');
  assert.equal((await new Client(srv.url).get('/api/v1/calendar?year=2026')).status, 401);
});

test('the top administrator sets and removes days; the count follows', async () => {
  // Monday 2027-04-12 off, Saturday 2027-04-17 worked
  const put = await admin.request('PUT', '/api/v1/calendar/2027-04-12', { json: { kind: 'holiday', name: '测试假日' } });
  assertStatus(put, 200);
  assert.deepEqual([put.data.date, put.data.kind, put.data.name], ['2027-04-12', 'holiday', '测试假日'], put.text);
  assert.equal(put.data.provisional, false, 'a day set by hand is not provisional');
  assert.equal((await year(2027)).get('2027-04-12')?.name, '测试假日');
  assert.equal(await add('2027-04-09', 1, 'business'), '2027-04-13');
  const again = await admin.request('PUT', '/api/v1/calendar/2027-04-12', { json: { kind: 'holiday', name: '测试假日（改）' } });
  assertStatus(again, 200, 'upsert');
  assert.equal((await year(2027)).get('2027-04-12')?.name, '测试假日（改）');
  assertStatus(await admin.request('PUT', '/api/v1/calendar/2027-04-17', { json: { kind: 'workday', name: '测试调休' } }), 200);
  assert.equal(await add('2027-04-16', 1, 'business'), '2027-04-17');
  assertStatus(await admin.del('/api/v1/calendar/2027-04-12'), 204);
  assertStatus(await admin.del('/api/v1/calendar/2027-04-17'), 204);
  const days = await year(2027);
  assert.ok(!days.has('2027-04-12') && !days.has('2027-04-17'));
  assert.equal(await add('2027-04-09', 1, 'business'), '2027-04-12');
  assert.equal(await add('2027-04-16', 1, 'business'), '2027-04-19');
  assert.equal(assertValidation(await admin.request('PUT', '/api/v1/calendar/2027-04-12', { json: { kind: 'party', name: 'x' } })).kind, 'invalid');
  assert.equal(assertValidation(await admin.request('PUT', '/api/v1/calendar/2027-04-12', { json: { kind: 'holiday' } })).name, 'required');
  const badDate = await admin.request('PUT', '/api/v1/calendar/2027-13-45', { json: { kind: 'holiday', name: 'x' } });
  assert.ok([400, 404].includes(badDate.status), `bad date: ${badDate.status} ${badDate.text}`);
});

test('only the top administrator may PUT or DELETE days (fc_admin → 403)', async () => {
  for (const who of ['fc_admin', 'cx_admin', 'fc_clerk']) {
    assertProblem(await as[who].request('PUT', '/api/v1/calendar/2026-10-09', { json: { kind: 'holiday', name: '越权' } }), 403, 'forbidden', `${who} PUT`);
    assertProblem(await as[who].del('/api/v1/calendar/2026-10-01'), 403, 'forbidden', `${who} DELETE`);
  }
  const days = await year(2026);
  assert.equal(days.get('2026-10-01')?.kind, 'holiday');
  assert.ok(!days.has('2026-10-09'));
});

test('sensitive periods: create, read, update, delete', async () => {
  const c = await admin.post('/api/v1/sensitive-periods', { name: '全国两会', start: '2027-03-03', end: '2027-03-15', region_ids: [], note: '加强排查' });
  assertStatus(c, 201);
  for (const k of ['id', 'name', 'start', 'end', 'region_ids', 'region_names', 'note']) assert.ok(k in c.data, `${k} missing: ${c.text}`);
  assert.deepEqual(c.data.region_ids, []);
  assert.deepEqual(c.data.region_names, []);
  assert.equal(c.data.start, '2027-03-03');
  assert.equal(c.data.end, '2027-03-15');
  const f = await as.fc_admin.post('/api/v1/sensitive-periods', { name: '涪城区重要活动', start: '2027-05-01', end: '2027-05-03', region_ids: [ids.region(R.fucheng).id, ids.region(R.gongqu).id] });
  assertStatus(f, 201);
  assert.deepEqual(f.data.region_names, ['涪城区', '工区街道']);
  const listed = await listAll(as.fc_admin, '/api/v1/sensitive-periods');
  assert.ok(listed.some((p) => p.id === c.data.id) && listed.some((p) => p.id === f.data.id));
  const u = await as.fc_admin.patch(`/api/v1/sensitive-periods/${f.data.id}`, { end: '2027-05-05', note: '延长' });
  assertStatus(u, 200);
  assert.equal(u.data.end, '2027-05-05');
  assert.equal(u.data.name, '涪城区重要活动');
  assertStatus(await as.fc_admin.del(`/api/v1/sensitive-periods/${f.data.id}`), 204);
  assert.ok(!(await listAll(admin, '/api/v1/sensitive-periods')).some((p) => p.id === f.data.id));
  assertProblem(await as.fc_admin.del(`/api/v1/sensitive-periods/${f.data.id}`), 404, 'not-found');

  const req = assertValidation(await admin.post('/api/v1/sensitive-periods', {}));
  for (const k of ['name', 'start', 'end']) assert.equal(req[k], 'required', k);
  const order = assertValidation(await admin.post('/api/v1/sensitive-periods', { name: 'x', start: '2027-03-15', end: '2027-03-03' }));
  assert.ok(order.end === 'invalid' || order.start === 'invalid', JSON.stringify(order));
  assert.equal(assertValidation(await admin.post('/api/v1/sensitive-periods', { name: 'x', start: 'March', end: '2027-03-03' })).start, 'invalid');
  assertProblem(await as.fc_clerk.post('/api/v1/sensitive-periods', { name: 'x', start: '2027-03-01', end: '2027-03-02', region_ids: [ids.region(R.fucheng).id] }), 403, 'forbidden');
});

test('sensitive periods: ?active_on= filters by date, ends inclusive', async () => {
  const a = await admin.post('/api/v1/sensitive-periods', { name: '春季敏感期', start: '2028-03-03', end: '2028-03-15', region_ids: [] });
  const b = await admin.post('/api/v1/sensitive-periods', { name: '国庆敏感期', start: '2028-10-01', end: '2028-10-07', region_ids: [] });
  assertStatus(a, 201); assertStatus(b, 201);
  const on = async (d) => (await listAll(as.jzj_grid, `/api/v1/sensitive-periods?active_on=${d}`)).map((p) => p.id);
  assert.ok((await on('2028-03-10')).includes(a.data.id));
  assert.ok(!(await on('2028-03-10')).includes(b.data.id));
  assert.ok((await on('2028-03-03')).includes(a.data.id), 'start inclusive');
  assert.ok((await on('2028-03-15')).includes(a.data.id), 'end inclusive');
  assert.ok(!(await on('2028-03-16')).includes(a.data.id));
  assert.ok((await on('2028-10-07')).includes(b.data.id));
  for (const p of await listAll(admin, '/api/v1/sensitive-periods?active_on=2028-10-03')) assert.ok(p.start <= '2028-10-03' && p.end >= '2028-10-03', JSON.stringify(p));
  assertValidation(await admin.get('/api/v1/sensitive-periods?active_on=soon'));
});

test('sensitive periods: scope of regions and of the whole tree', async () => {
  const whole = await as.fc_admin.post('/api/v1/sensitive-periods', { name: '越权全域', start: '2027-06-01', end: '2027-06-02', region_ids: [] });
  if (whole.status === 403) assertProblem(whole, 403, 'forbidden');
  else assert.ok(assertValidation(whole).region_ids, whole.text);
  assertRefRejected(await as.cx_admin.post('/api/v1/sensitive-periods', { name: '越权工区', start: '2027-06-01', end: '2027-06-02', region_ids: [ids.region(R.gongqu).id] }), 'region_ids', 'cx_admin for 工区');
  const gq = await as.fc_admin.post('/api/v1/sensitive-periods', { name: '工区敏感期', start: '2027-07-01', end: '2027-07-02', region_ids: [ids.region(R.gongqu).id] });
  const all = await admin.post('/api/v1/sensitive-periods', { name: '全域敏感期', start: '2027-07-01', end: '2027-07-02', region_ids: [] });
  const cx = await as.cx_admin.post('/api/v1/sensitive-periods', { name: '城厢敏感期', start: '2027-07-01', end: '2027-07-02', region_ids: [ids.region(R.chengxiang).id] });
  assertStatus(gq, 201); assertStatus(all, 201); assertStatus(cx, 201);
  const seen = (await listAll(as.cx_admin, '/api/v1/sensitive-periods')).map((p) => p.id);
  assert.ok(!seen.includes(gq.data.id), '城厢 sees 工区\'s period');
  assert.ok(seen.includes(all.data.id), 'the whole-tree period applies to 城厢 too');
  assert.ok(seen.includes(cx.data.id));
  const village = (await listAll(as.jzj_mediator, '/api/v1/sensitive-periods')).map((p) => p.id);
  assert.ok(village.includes(all.data.id) && !village.includes(gq.data.id));
  assertProblem(await as.cx_admin.patch(`/api/v1/sensitive-periods/${gq.data.id}`, { note: 'x' }), 404, 'not-found');
  assertProblem(await as.cx_admin.del(`/api/v1/sensitive-periods/${gq.data.id}`), 404, 'not-found');
  assertProblem(await as.cx_admin.patch(`/api/v1/sensitive-periods/${all.data.id}`, { note: 'x' }), 403, 'forbidden', 'cx_admin edits the whole-tree period');
  assertRefRejected(await as.cx_admin.patch(`/api/v1/sensitive-periods/${cx.data.id}`, { region_ids: [ids.region(R.gongqu).id] }), 'region_ids', 'move out of scope');
  assert.equal(assertPage(await admin.get('/api/v1/sensitive-periods?per_page=500')).items.find((p) => p.id === cx.data.id).region_names[0], '城厢街道');
});
