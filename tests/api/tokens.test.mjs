// API tokens: created by an admin, shown once, used as Bearer, scoped like their user, revocable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../lib/server.mjs';
import {
  startServer, assertProblem, assertStatus, assertPage, assertRefRejected, loginAs, lookup, listAll, bearerClient, uniq,
  ISO_MS, NO_SUCH_ID, R, O,
} from './helpers.mjs';

let srv, admin, ids;
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
});
after(async () => { await srv?.stop(); });

async function newToken(login, name = uniq('tok'), by = admin) {
  const r = await by.post('/api/v1/tokens', { user_id: ids.user(login).id, name });
  assertStatus(r, 201, `token for ${login}`);
  return r.data;
}

test('admin creates a token for a user → 201 with the secret and the token fields', async () => {
  const name = uniq('接口');
  const t = await newToken('jzj_mediator', name);
  assert.equal(typeof t.token, 'string');
  assert.ok(t.token.length >= 20, `secret too short: ${t.token}`);
  assert.equal(t.user_id, ids.user('jzj_mediator').id);
  assert.equal(t.user_login, 'jzj_mediator');
  assert.equal(t.name, name);
  assert.match(t.created_at, ISO_MS);
  assert.equal(t.last_used_at, null);
  assert.equal(t.revoked_at, null);
  const t2 = await newToken('jzj_mediator', name);
  assert.notEqual(t2.token, t.token, 'two tokens share a secret');
});

test('a Bearer request works and is scoped like its user', async () => {
  const b = bearerClient(srv.url, (await newToken('jzj_mediator')).token);
  assertStatus(await b.get(`/api/v1/organizations/${ids.org(O.djCommittee).id}`), 200, 'own organization');
  assertProblem(await b.get(`/api/v1/organizations/${ids.org(O.xjCommittee).id}`), 404, 'not-found', 'neighbour organization');
  assertProblem(await b.get(`/api/v1/regions/${ids.region(R.xijie).id}`), 404, 'not-found', 'neighbour region');
  const self = await b.get(`/api/v1/users/${ids.user('jzj_mediator').id}`);
  assertStatus(self, 200, 'self');
  assert.equal(self.data.login, 'jzj_mediator');
  assertProblem(await b.get('/api/v1/users'), 403, 'forbidden', 'mediator role');
  const names = (await listAll(b, '/api/v1/organizations')).map((o) => o.name);
  assert.deepEqual(names, [O.djCommittee]);
});

test('an unknown or malformed bearer token → 401', async () => {
  assertProblem(await bearerClient(srv.url, 'jf_0000000000000000000000000000000000').get('/api/v1/organizations'), 401, 'unauthorized');
  assertProblem(await bearerClient(srv.url, '').get('/api/v1/organizations'), 401, 'unauthorized');
  const r = await fetch(`${srv.url}/api/v1/organizations`, { headers: { authorization: 'Basic YWRtaW46amllZmVuLWRlbW8=' } });
  assert.equal(r.status, 401);
});

test('last_used_at is set once the token is used', async () => {
  const t = await newToken('fc_clerk');
  assertStatus(await bearerClient(srv.url, t.token).get('/api/v1/organizations'), 200);
  const row = (await listAll(admin, '/api/v1/tokens')).find((x) => x.id === t.id);
  assert.ok(row, 'token not listed');
  assert.match(row.last_used_at || '', ISO_MS, `last_used_at: ${row.last_used_at}`);
});

test('revoked token → 401; the row is kept with revoked_at', async () => {
  const t = await newToken('cx_mediator');
  const b = bearerClient(srv.url, t.token);
  assertStatus(await b.get('/api/v1/organizations'), 200, 'before revoke');
  assertStatus(await admin.del(`/api/v1/tokens/${t.id}`), 204, 'revoke');
  assertProblem(await b.get('/api/v1/organizations'), 401, 'unauthorized', 'after revoke');
  const row = (await listAll(admin, '/api/v1/tokens')).find((x) => x.id === t.id);
  assert.ok(row, 'revoked token row is gone');
  assert.match(row.revoked_at || '', ISO_MS);
  assertProblem(await admin.del(`/api/v1/tokens/${NO_SUCH_ID}`), 404, 'not-found', 'unknown token');
});

test('token list never contains secrets', async () => {
  const secrets = [(await newToken('fc_leader')).token, (await newToken('jfj_mediator')).token];
  const r = await admin.get('/api/v1/tokens?per_page=500');
  const page = assertPage(r);
  assert.ok(page.total >= 2);
  for (const s of secrets) assert.ok(!r.text.includes(s), 'a secret appears in the token list');
  for (const item of page.items) {
    assert.ok(!('token' in item) && !('secret' in item) && !('hash' in item), `item has secret fields: ${JSON.stringify(item)}`);
    for (const k of ['id', 'user_id', 'user_login', 'name', 'created_at', 'last_used_at', 'revoked_at']) assert.ok(k in item, `token.${k} missing`);
  }
});

test('token list and token management are scoped to the admin\'s subtree', async () => {
  const outside = await newToken('fc_clerk');
  const inside = await newToken('jfj_mediator');
  const cx = await loginAs(srv.url, 'cx_admin');
  const list = await listAll(cx, '/api/v1/tokens');
  assert.ok(list.some((t) => t.id === inside.id), 'cx_admin does not see a token of its subtree');
  assert.ok(!list.some((t) => t.id === outside.id), 'cx_admin sees a token of 涪城区');
  assertProblem(await cx.del(`/api/v1/tokens/${outside.id}`), 404, 'not-found', 'revoke outside');
  assertStatus(await bearerClient(srv.url, outside.token).get('/api/v1/organizations'), 200, 'still valid');
  assertRefRejected(await cx.post('/api/v1/tokens', { user_id: ids.user('fc_clerk').id, name: 'x' }), 'user_id', 'token for fc_clerk');
  const mine = await newToken('jzj_grid', 'cx', cx);
  assertStatus(await cx.del(`/api/v1/tokens/${mine.id}`), 204);
});

test('token creation validates its body', async () => {
  const r = await admin.post('/api/v1/tokens', {});
  assertProblem(r, 400, 'validation');
  const fields = r.data.errors.map((e) => e.field).sort();
  assert.deepEqual(fields, ['name', 'user_id']);
  assertRefRejected(await admin.post('/api/v1/tokens', { user_id: NO_SUCH_ID, name: 'x' }), 'user_id');
});

test('a token of a deactivated user stops working', async () => {
  const login = uniq('deact');
  const u = await admin.post('/api/v1/users', { login, name: '停用', password: 'token-pass-1', roles: ['clerk'], org_id: ids.org(O.gqCommittee).id });
  assertStatus(u, 201);
  const t = await admin.post('/api/v1/tokens', { user_id: u.data.id, name: 'x' });
  assertStatus(t, 201);
  const b = bearerClient(srv.url, t.data.token);
  assertStatus(await b.get('/api/v1/organizations'), 200);
  assertStatus(await admin.patch(`/api/v1/users/${u.data.id}`, { active: false }), 200);
  assertProblem(await b.get('/api/v1/organizations'), 401, 'unauthorized');
  // Revoked for good: enabling the account again does not bring the token back.
  assertStatus(await admin.patch(`/api/v1/users/${u.data.id}`, { active: true }), 200);
  assertProblem(await b.get('/api/v1/organizations'), 401, 'unauthorized', 'after re-enabling');
  const row = (await listAll(admin, '/api/v1/tokens')).find((x) => x.id === t.data.id);
  assert.match(row.revoked_at || '', ISO_MS, 'the token is listed as revoked');
});

test("an administrator's password reset revokes the user's tokens and ends the sessions; one's own change keeps them", async () => {
  const login = uniq('reset');
  const u = await admin.post('/api/v1/users', { login, name: '重置', password: 'token-pass-1', roles: ['clerk'], org_id: ids.org(O.gqCommittee).id });
  assertStatus(u, 201);
  const t = await admin.post('/api/v1/tokens', { user_id: u.data.id, name: 'x' });
  const b = bearerClient(srv.url, t.data.token);
  const self = await loginAs(srv.url, login, 'token-pass-1');
  assertStatus(await self.post(`/api/v1/users/${u.data.id}/password`, { old_password: 'token-pass-1', password: 'token-pass-2' }), 204);
  assertStatus(await b.get('/api/v1/organizations'), 200, "the token survives the owner's own change");
  assertStatus(await self.get('/api/v1/session'), 200, "the owner's session survives her own change");
  assertStatus(await admin.post(`/api/v1/users/${u.data.id}/password`, { password: 'token-pass-3' }), 204, 'admin reset');
  assertProblem(await b.get('/api/v1/organizations'), 401, 'unauthorized', 'token after the reset');
  assertProblem(await self.get('/api/v1/session'), 401, 'unauthorized', 'session after the reset');
  const revokes = (await listAll(admin, `/api/v1/audit?object_type=token&action=revoke`)).filter((a) => a.object_id === t.data.id);
  assert.equal(revokes.length, 1, 'the revocation is audited');
});

test('a token made with `jiefen user token` works as Bearer', async () => {
  const r = runCli(['user', 'token', '--login', 'jzj_grid', '--name', 'cli', ...srv.db.args]);
  assert.equal(r.status, 0, `jiefen user token failed: ${r.stderr}`);
  const secret = r.stdout.trim().split('\n').pop().trim();
  assert.ok(secret.length >= 20, `unexpected output: ${r.stdout}`);
  const b = bearerClient(srv.url, secret);
  assertStatus(await b.get(`/api/v1/organizations/${ids.org(O.djCommittee).id}`), 200);
  assertProblem(await b.get(`/api/v1/organizations/${ids.org(O.xjCommittee).id}`), 404, 'not-found');
  const row = (await listAll(admin, '/api/v1/tokens')).find((t) => t.user_login === 'jzj_grid' && t.name === 'cli');
  assert.ok(row, 'CLI token not in the token list');
});

test('a Bearer token cannot be used to create tokens for itself beyond its role', async () => {
  const b = bearerClient(srv.url, (await newToken('fc_supervisor')).token);
  assertProblem(await b.post('/api/v1/tokens', { user_id: ids.user('fc_supervisor').id, name: 'more' }), 403, 'forbidden');
});
