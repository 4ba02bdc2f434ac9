// Request-level errors: malformed JSON, media type, size limit, unknown paths and methods,
// validation naming every bad field, conflicts, and no partial writes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, Client, assertProblem, assertStatus, assertValidation, assertPage, loginAs, lookup, rawRequest, uniq,
} from './helpers.mjs';

let srv, admin, ids;
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
});
after(async () => { await srv?.stop(); });

const userTotal = async () => assertPage(await admin.get('/api/v1/users?per_page=1')).total;
const orgTotal = async () => assertPage(await admin.get('/api/v1/organizations?per_page=1')).total;

test('malformed JSON → 400 malformed-json whose detail says what and where', async () => {
  const r = await admin.request('POST', '/api/v1/users', {
    body: '{"login": "x",\n "name": }', headers: { 'content-type': 'application/json' },
  });
  const p = assertProblem(r, 400, 'malformed-json');
  assert.equal(typeof p.detail, 'string');
  assert.match(p.detail, /line\D*2/i, `detail should name line 2: ${p.detail}`);
  assert.match(p.detail, /column\D*\d+/i, `detail should name the column: ${p.detail}`);
  assert.equal(p.errors, undefined, 'errors[] is only for validation problems');
});

test('malformed JSON on the login endpoint → 400 malformed-json', async () => {
  const r = await new Client(srv.url).request('POST', '/api/v1/session', {
    body: '{login:', headers: { 'content-type': 'application/json' },
  });
  assertProblem(r, 400, 'malformed-json');
});

test('a JSON body that is not an object → 400', async () => {
  const r = await admin.request('POST', '/api/v1/organizations', { body: '[1,2]', headers: { 'content-type': 'application/json' } });
  assert.equal(r.status, 400, r.text);
  assert.ok(['urn:jiefen:problem:validation', 'urn:jiefen:problem:malformed-json'].includes(r.data?.type), r.text);
});

test('wrong Content-Type → 415 unsupported-media-type', async () => {
  const body = JSON.stringify({ name: 'x', type: 'studio', region_id: ids.region('510703003000').id });
  const r = await admin.request('POST', '/api/v1/organizations', { body, headers: { 'content-type': 'text/plain' } });
  assertProblem(r, 415, 'unsupported-media-type');
  const form = await new Client(srv.url).request('POST', '/api/v1/session', {
    body: 'login=admin&password=jiefen-demo', headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assertProblem(form, 415, 'unsupported-media-type', 'form-encoded login');
});

test('application/json with a charset parameter is accepted', async () => {
  const r = await new Client(srv.url).request('POST', '/api/v1/session', {
    body: JSON.stringify({ login: 'fc_clerk', password: 'jiefen-demo' }),
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
  assertStatus(r, 201);
});

test('body over 1 MiB → 413 payload-too-large, and nothing is created', async () => {
  const before = await userTotal();
  const login = uniq('big');
  const body = JSON.stringify({
    login, name: '大', password: 'big-body-pass', roles: ['clerk'], org_id: ids.org('工区街道人民调解委员会').id,
    phone: '', pad: 'x'.repeat(1024 * 1024),
  });
  const r = await rawRequest(srv.url, {
    path: '/api/v1/users', body,
    headers: { 'content-type': 'application/json', cookie: admin.cookie, 'x-csrf-token': admin.csrf },
  });
  assertProblem(r, 413, 'payload-too-large');
  assert.equal(await userTotal(), before);
});

test('a body of just under 1 MiB is not rejected for its size', async () => {
  // 1 MiB minus a little: must reach validation (the unknown field), not 413.
  const pad = 'x'.repeat(1024 * 1024 - 200);
  const r = await admin.post('/api/v1/organizations', { name: 'n', type: 'studio', region_id: ids.region('510703003000').id, pad });
  const errs = assertValidation(r);
  assert.equal(errs.pad, 'unknown');
});

test('unknown /api/v1/nope → 404 not-found problem', async () => {
  assertProblem(await admin.get('/api/v1/nope'), 404, 'not-found');
  assertProblem(await admin.get('/api/v2/users'), 404, 'not-found');
  assertProblem(await admin.post('/api/v1/nope', {}), 404, 'not-found');
});

test('wrong method on a known path → 405 method-not-allowed with Allow', async () => {
  const r = await admin.request('PUT', '/api/v1/users', { json: {} });
  assertProblem(r, 405, 'method-not-allowed');
  const allow = (r.headers.get('allow') || '').split(',').map((s) => s.trim()).sort();
  assert.ok(allow.includes('GET') && allow.includes('POST'), `Allow: ${r.headers.get('allow')}`);
  assert.ok(!allow.includes('PUT'), `Allow: ${r.headers.get('allow')}`);
  const d = await admin.del(`/api/v1/users/${ids.user('fc_clerk').id}`);
  assertProblem(d, 405, 'method-not-allowed', 'DELETE /users/{id}');
  assert.match(d.headers.get('allow') || '', /PATCH/);
  const h = await admin.request('POST', '/healthz', { json: {} });
  assert.equal(h.status, 405, 'POST /healthz');
  assert.match(h.headers.get('allow') || '', /GET/);
});

test('POST /api/v1/users with {} names every missing field at once', async () => {
  const errs = assertValidation(await admin.post('/api/v1/users', {}));
  for (const f of ['login', 'name', 'password', 'roles', 'org_id']) {
    assert.equal(errs[f], 'required', `field ${f}: ${JSON.stringify(errs)}`);
  }
  assert.ok(!('phone' in errs), 'phone is optional');
});

test('validation reports each kind of bad field at once: wrong type, unknown role, unknown field', async () => {
  const r = await admin.post('/api/v1/users', {
    login: 42, name: '测试', password: 'long-enough-pw', roles: ['clerk', 'boss'], org_id: ids.org('工区街道人民调解委员会').id, colour: 'red',
  });
  const errs = assertValidation(r);
  assert.equal(errs.login, 'type');
  assert.equal(errs.roles, 'invalid');
  assert.equal(errs.colour, 'unknown');
  assert.ok(!('name' in errs) && !('password' in errs) && !('org_id' in errs), `good fields reported: ${JSON.stringify(errs)}`);
});

test('a missing referenced object is reported together with the other bad fields', async () => {
  const r = await admin.post('/api/v1/users', {
    login: uniq('ref'), name: '测试', password: 'x', roles: ['clerk'], org_id: 987654321,
  });
  const errs = assertValidation(r);
  assert.equal(errs.password, 'too_short', r.text);
  assert.equal(errs.org_id, 'not_found', r.text);
});

test('unknown role value alone → field roles', async () => {
  const errs = assertValidation(await admin.post('/api/v1/users', {
    login: uniq('role'), name: '测试', password: 'long-enough-pw', roles: ['superuser'], org_id: ids.org('工区街道人民调解委员会').id,
  }));
  assert.deepEqual(Object.keys(errs), ['roles']);
});

test('validation of query parameters: per_page out of range → 400 naming per_page', async () => {
  assert.equal(assertValidation(await admin.get('/api/v1/users?per_page=0')).per_page !== undefined, true);
  assert.equal(assertValidation(await admin.get('/api/v1/organizations?per_page=501')).per_page !== undefined, true);
  assert.equal(assertValidation(await admin.get('/api/v1/organizations?page=0')).page !== undefined, true);
  assert.equal(assertValidation(await admin.get('/api/v1/organizations?per_page=abc')).per_page !== undefined, true);
});

test('duplicate login → 409 conflict, and the existing user is unchanged', async () => {
  const before = await userTotal();
  const r = await admin.post('/api/v1/users', {
    login: 'jzj_mediator', name: '冒名', password: 'long-enough-pw', roles: ['admin'], org_id: ids.org('绵阳市社会矛盾纠纷调处化解中心').id,
  });
  assertProblem(r, 409, 'conflict');
  assert.equal(await userTotal(), before);
  const dj = await admin.get(`/api/v1/users/${ids.user('jzj_mediator').id}`);
  assert.deepEqual(dj.data.roles, ['mediator']);
  assert.equal(dj.data.org_name, '警钟街社区人民调解委员会');
});

test('nothing is half-written after a rejected request', async () => {
  const users = await userTotal();
  const orgs = await orgTotal();
  const login = uniq('half');
  assertValidation(await admin.post('/api/v1/users', {
    login, name: '半', password: 'long-enough-pw', roles: ['clerk', 'nope'], org_id: ids.org('工区街道人民调解委员会').id,
  }));
  assertValidation(await admin.post('/api/v1/organizations', { name: uniq('半'), type: 'studio', region_id: 987654321 }));
  assertValidation(await admin.post('/api/v1/organizations', { name: uniq('半'), type: 'studio', region_id: ids.region('510703003000').id, status: 'closed' }));
  assert.equal(await userTotal(), users);
  assert.equal(await orgTotal(), orgs);
  const q = assertPage(await admin.get(`/api/v1/users?q=${login}`));
  assert.equal(q.total, 0);
  // A rejected PATCH changes no field at all, not even the valid ones.
  const id = ids.user('fc_dispatcher').id;
  const beforeUser = (await admin.get(`/api/v1/users/${id}`)).data;
  assertValidation(await admin.patch(`/api/v1/users/${id}`, { name: '改了吗', roles: ['emperor'] }));
  const afterUser = (await admin.get(`/api/v1/users/${id}`)).data;
  assert.equal(afterUser.name, beforeUser.name);
  assert.deepEqual(afterUser.roles, beforeUser.roles);
});

test('problem responses never leak internals', async () => {
  const r = await admin.post('/api/v1/organizations', { name: 1, type: 2, region_id: 'x' });
  assertValidation(r);
  assert.ok(!/sqlite|postgres|SELECT|INSERT|\.c:\d+/i.test(r.text), r.text);
});
