// Cookie-authenticated writes need X-CSRF-Token; bearer-authenticated ones do not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertProblem, assertStatus, assertPage, loginAs, lookup, bearerClient, uniq,
} from './helpers.mjs';

let srv, admin, ids;
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
});
after(async () => { await srv?.stop(); });

const newOrg = () => ({ name: uniq('csrf工作室'), type: 'studio', region_id: ids.region('510703003000').id });
const countByName = async (name) => assertPage(await admin.get(`/api/v1/organizations?q=${encodeURIComponent(name)}`)).total;

test('cookie write without X-CSRF-Token → 403 csrf, nothing written', async () => {
  const body = newOrg();
  const r = await admin.post('/api/v1/organizations', body, { csrf: false });
  assertProblem(r, 403, 'csrf');
  assert.equal(await countByName(body.name), 0);
});

test('cookie write with a wrong X-CSRF-Token → 403 csrf', async () => {
  const body = newOrg();
  const r = await admin.post('/api/v1/organizations', body, { csrf: false, headers: { 'x-csrf-token': 'wrong-token-0123456789abcdef' } });
  assertProblem(r, 403, 'csrf');
  assert.equal(await countByName(body.name), 0);
});

test('the CSRF token of another session is refused', async () => {
  const other = await loginAs(srv.url, 'admin');
  assert.notEqual(other.csrf, admin.csrf);
  const r = await admin.post('/api/v1/organizations', newOrg(), { csrf: false, headers: { 'x-csrf-token': other.csrf } });
  assertProblem(r, 403, 'csrf');
});

test('cookie write with the right X-CSRF-Token → success', async () => {
  const body = newOrg();
  const r = await admin.post('/api/v1/organizations', body);
  assertStatus(r, 201);
  assert.equal(await countByName(body.name), 1);
});

test('PATCH and DELETE need the CSRF token too', async () => {
  const id = ids.org('工区街道人民调解委员会').id;
  assertProblem(await admin.patch(`/api/v1/organizations/${id}`, { address: '无令牌' }, { csrf: false }), 403, 'csrf', 'PATCH');
  assert.notEqual((await admin.get(`/api/v1/organizations/${id}`)).data.address, '无令牌');
  const c = await loginAs(srv.url, 'fc_clerk');
  assertProblem(await c.del('/api/v1/session', { csrf: false }), 403, 'csrf', 'DELETE /session');
  assertStatus(await c.get('/api/v1/session'), 200, 'session survives a logout without CSRF token');
  const tok = await admin.post('/api/v1/tokens', { user_id: ids.user('fc_clerk').id, name: 'csrf-del' });
  assertStatus(tok, 201);
  assertProblem(await admin.del(`/api/v1/tokens/${tok.data.id}`, { csrf: false }), 403, 'csrf', 'DELETE /tokens/{id}');
});

test('reads need no CSRF token', async () => {
  assertStatus(await admin.get('/api/v1/organizations', { csrf: false }), 200);
});

test('a Bearer-token write needs no CSRF token', async () => {
  const tok = await admin.post('/api/v1/tokens', { user_id: ids.user('cx_admin').id, name: 'csrf-bearer' });
  assertStatus(tok, 201);
  const b = bearerClient(srv.url, tok.data.token);
  const body = { name: uniq('bearer工作室'), type: 'studio', region_id: ids.region('510703001003').id };
  const r = await b.post('/api/v1/organizations', body);
  assertStatus(r, 201, 'bearer write');
  assert.equal(r.data.region_name, '警钟街社区');
});
