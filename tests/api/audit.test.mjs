// The audit log (每件责任可溯): every write, login, logout, password change and personal-data
// read is recorded with actor, action, object, changed fields and IP; it is read-only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, Client, assertProblem, assertStatus, assertPage, assertValidation, loginAs, lookup, bearerClient, uniq, audit,
  ISO_MS, R, O,
} from './helpers.mjs';

let srv, admin, ids, adminId;
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
  adminId = ids.user('admin').id;
});
after(async () => { await srv?.stop(); });

const same = (a, b) => String(a) === String(b);

/** The newest entry for this object and action; fails with the entries found otherwise. */
async function entry(objectType, objectId, action) {
  const items = await audit(admin, { object_type: objectType, object_id: String(objectId) });
  const e = items.find((x) => x.action === action);
  assert.ok(e, `no audit entry ${action} ${objectType} ${objectId}; found ${JSON.stringify(items.map((x) => x.action))}`);
  return e;
}

function assertEntry(e, { actor, action, objectType, objectId, fields = [], notFields = [] }) {
  const ctx = JSON.stringify(e);
  assert.equal(e.action, action, ctx);
  assert.equal(e.object_type, objectType, ctx);
  assert.ok(same(e.object_id, objectId), `object_id: ${ctx}`);
  assert.ok(same(e.actor_id, actor.id), `actor_id: ${ctx}`);
  assert.equal(e.actor_login, actor.login, ctx);
  assert.equal(e.ip, '127.0.0.1', ctx);
  assert.match(e.at, ISO_MS, ctx);
  assert.ok(Array.isArray(e.fields), `fields: ${ctx}`);
  for (const f of fields) assert.ok(e.fields.includes(f), `field ${f} missing: ${ctx}`);
  for (const f of notFields) assert.ok(!e.fields.includes(f), `field ${f} should not be listed: ${ctx}`);
}

const ADMIN = () => ({ id: adminId, login: 'admin' });

test('creating a user is audited with the written fields, never the password', async () => {
  const login = uniq('au');
  const r = await admin.post('/api/v1/users', {
    login, name: '审计甲', password: 'audit-secret-pw-1', roles: ['clerk'], org_id: ids.org(O.gqCommittee).id, phone: '13800001111',
  });
  assertStatus(r, 201);
  const e = await entry('user', r.data.id, 'create');
  assertEntry(e, { actor: ADMIN(), action: 'create', objectType: 'user', objectId: r.data.id, fields: ['login', 'name', 'roles', 'org_id'] });
  const all = await admin.get('/api/v1/audit?per_page=500');
  assert.ok(!all.text.includes('audit-secret-pw-1'), 'a password appears in the audit log');
});

test('patching a user is audited with exactly the changed fields', async () => {
  const u = ids.user('jzj_grid');
  const r = await admin.patch(`/api/v1/users/${u.id}`, { name: '警钟街网格员（改）', phone: '13900002222' });
  assertStatus(r, 200);
  const e = await entry('user', u.id, 'update');
  assertEntry(e, { actor: ADMIN(), action: 'update', objectType: 'user', objectId: u.id, fields: ['name', 'phone'], notFields: ['roles', 'org_id', 'active', 'login'] });
});

test('creating and patching an organization is audited', async () => {
  const r = await admin.post('/api/v1/organizations', { name: uniq('审计调解室'), type: 'studio', region_id: ids.region(R.gongqu).id });
  assertStatus(r, 201);
  assertEntry(await entry('organization', r.data.id, 'create'), { actor: ADMIN(), action: 'create', objectType: 'organization', objectId: r.data.id, fields: ['name', 'type', 'region_id'] });
  assertStatus(await admin.patch(`/api/v1/organizations/${r.data.id}`, { status: 'suspended' }), 200);
  assertEntry(await entry('organization', r.data.id, 'update'), { actor: ADMIN(), action: 'update', objectType: 'organization', objectId: r.data.id, fields: ['status'], notFields: ['name', 'type'] });
});

test('creating a region is audited', async () => {
  const r = await admin.post('/api/v1/regions', { code: '510703003981', name: '审计社区', level: 'village', parent_id: ids.region(R.gongqu).id, population: 1200 });
  assertStatus(r, 201);
  assertEntry(await entry('region', r.data.id, 'create'), { actor: ADMIN(), action: 'create', objectType: 'region', objectId: r.data.id, fields: ['code', 'name', 'level', 'parent_id'] });
});

test('login and logout are audited on the user, with the client IP', async () => {
  const u = ids.user('fc_leader');
  const c = await loginAs(srv.url, 'fc_leader');
  assertEntry(await entry('user', u.id, 'login'), { actor: u, action: 'login', objectType: 'user', objectId: u.id });
  assertStatus(await c.del('/api/v1/session'), 204);
  assertEntry(await entry('user', u.id, 'logout'), { actor: u, action: 'logout', objectType: 'user', objectId: u.id });
});

test('a failed login is audited as login_failed without the attempted password', async () => {
  const u = ids.user('fc_dispatcher');
  const r = await new Client(srv.url).post('/api/v1/session', { login: 'fc_dispatcher', password: 'guess-me-123' });
  assertProblem(r, 401, 'unauthorized');
  const items = await audit(admin, { action: 'login_failed' });
  const e = items.find((x) => same(x.object_id, u.id));
  assert.ok(e, `no login_failed entry on fc_dispatcher: ${JSON.stringify(items)}`);
  assert.equal(e.object_type, 'user');
  assert.equal(e.ip, '127.0.0.1');
  assert.ok(!JSON.stringify(items).includes('guess-me-123'), 'attempted password logged');
});

test('token creation and revocation are audited, never with the secret', async () => {
  const t = await admin.post('/api/v1/tokens', { user_id: ids.user('cx_mediator').id, name: 'audit' });
  assertStatus(t, 201);
  assertEntry(await entry('token', t.data.id, 'create'), { actor: ADMIN(), action: 'create', objectType: 'token', objectId: t.data.id });
  assertStatus(await admin.del(`/api/v1/tokens/${t.data.id}`), 204);
  assertEntry(await entry('token', t.data.id, 'revoke'), { actor: ADMIN(), action: 'revoke', objectType: 'token', objectId: t.data.id });
  const all = await admin.get('/api/v1/audit?per_page=500');
  assert.ok(!all.text.includes(t.data.token), 'a token secret appears in the audit log');
});

test('password changes (self and admin reset) are audited as action password', async () => {
  const login = uniq('pw');
  const r = await admin.post('/api/v1/users', { login, name: '改密', password: 'first-pass-111', roles: ['clerk'], org_id: ids.org(O.gqCommittee).id });
  assertStatus(r, 201);
  const me = { id: r.data.id, login };
  const c = await loginAs(srv.url, login, 'first-pass-111');
  assertStatus(await c.post(`/api/v1/users/${me.id}/password`, { old_password: 'first-pass-111', password: 'second-pass-222' }), 204);
  assertEntry(await entry('user', me.id, 'password'), { actor: me, action: 'password', objectType: 'user', objectId: me.id });
  assertStatus(await admin.post(`/api/v1/users/${me.id}/password`, { password: 'third-pass-333' }), 204);
  assertEntry(await entry('user', me.id, 'password'), { actor: ADMIN(), action: 'password', objectType: 'user', objectId: me.id });
  const all = await admin.get('/api/v1/audit?per_page=500');
  for (const p of ['first-pass-111', 'second-pass-222', 'third-pass-333']) assert.ok(!all.text.includes(p), `${p} in audit log`);
});

test('reading a user\'s detail (personal data) is audited as read', async () => {
  const u = ids.user('jfj_mediator');
  assertStatus(await admin.get(`/api/v1/users/${u.id}`), 200);
  assertEntry(await entry('user', u.id, 'read'), { actor: ADMIN(), action: 'read', objectType: 'user', objectId: u.id });
  const sup = ids.user('fc_supervisor');
  const c = await loginAs(srv.url, 'fc_supervisor');
  assertStatus(await c.get(`/api/v1/users/${u.id}`), 200);
  assertEntry(await entry('user', u.id, 'read'), { actor: sup, action: 'read', objectType: 'user', objectId: u.id });
});

test('writes through a Bearer token are audited with the token\'s user as actor', async () => {
  const t = await admin.post('/api/v1/tokens', { user_id: ids.user('cx_admin').id, name: 'audit-bearer' });
  assertStatus(t, 201);
  const r = await bearerClient(srv.url, t.data.token).post('/api/v1/organizations', { name: uniq('令牌写'), type: 'studio', region_id: ids.region(R.xijie).id });
  assertStatus(r, 201);
  assertEntry(await entry('organization', r.data.id, 'create'), { actor: ids.user('cx_admin'), action: 'create', objectType: 'organization', objectId: r.data.id });
});

test('a rejected write leaves no audit entry', async () => {
  const before = assertPage(await admin.get('/api/v1/audit?action=create&per_page=1')).total;
  assertProblem(await admin.post('/api/v1/users', { login: 'jzj_mediator', name: 'x', password: 'long-enough-pw', roles: ['clerk'], org_id: ids.org(O.gqCommittee).id }), 409, 'conflict');
  assertProblem(await admin.post('/api/v1/organizations', {}), 400, 'validation');
  assert.equal(assertPage(await admin.get('/api/v1/audit?action=create&per_page=1')).total, before);
});

test('non-admin → 403 on the audit log', async () => {
  for (const l of ['fc_supervisor', 'fc_leader', 'jzj_mediator']) {
    assertProblem(await (await loginAs(srv.url, l)).get('/api/v1/audit'), 403, 'forbidden', l);
  }
  assertProblem(await new Client(srv.url).get('/api/v1/audit'), 401, 'unauthorized');
});

test('entries are newest first and paged with total', async () => {
  const p = assertPage(await admin.get('/api/v1/audit?per_page=5'));
  assert.equal(p.per_page, 5);
  assert.ok(p.items.length <= 5 && p.total >= p.items.length);
  const all = await audit(admin, {});
  for (let i = 1; i < all.length; i++) {
    assert.ok(all[i - 1].at >= all[i].at, `not newest first at ${i}: ${all[i - 1].at} < ${all[i].at}`);
    if (all[i - 1].at === all[i].at) assert.ok(Number(all[i - 1].id) > Number(all[i].id), `ties not by id at ${i}`);
  }
  for (const e of all) {
    for (const k of ['id', 'at', 'actor_id', 'actor_login', 'ip', 'action', 'object_type', 'object_id', 'fields', 'detail']) {
      assert.ok(k in e, `audit entry lacks ${k}: ${JSON.stringify(e)}`);
    }
  }
  const p2 = assertPage(await admin.get('/api/v1/audit?per_page=5&page=2'));
  if (p.total > 5) assert.notDeepEqual(p2.items.map((e) => e.id), p.items.map((e) => e.id));
});

test('next_cursor pages the log by keyset: the same entries as page 2, then on to the end', async () => {
  const p1 = assertPage(await admin.get('/api/v1/audit?per_page=3&action=login'));
  assert.ok(p1.total > 5, `logins logged: ${p1.total}`);
  assert.equal(typeof p1.next_cursor, 'string');
  const p2 = assertPage(await admin.get('/api/v1/audit?per_page=3&action=login&page=2'));
  const c2 = assertPage(await admin.get(`/api/v1/audit?per_page=3&action=login&after=${p1.next_cursor}`));
  assert.deepEqual(c2.items.map((e) => e.id), p2.items.map((e) => e.id));
  let cursor = p1.next_cursor, seen = p1.items.length;
  for (let i = 0; cursor && i < 1000; i++) {
    const d = assertPage(await admin.get(`/api/v1/audit?per_page=3&action=login&after=${cursor}`));
    seen += d.items.length;
    cursor = d.next_cursor;
  }
  assert.ok(seen >= p1.total, `${seen} of ${p1.total} by cursor`);
  assert.equal(assertValidation(await admin.get('/api/v1/audit?after=x')).after, 'invalid');
  assert.equal(assertValidation(await admin.get(`/api/v1/audit?page=2&after=${p1.next_cursor}`)).page, 'invalid');
});

test('filters action, object_type, object_id, actor_id, since and until work', async () => {
  const u = ids.user('cx_mediator');
  assertStatus(await admin.get(`/api/v1/users/${u.id}`), 200);
  const reads = await audit(admin, { action: 'read' });
  assert.ok(reads.length > 0 && reads.every((e) => e.action === 'read'), 'action filter');
  const orgs = await audit(admin, { object_type: 'organization' });
  assert.ok(orgs.every((e) => e.object_type === 'organization'), 'object_type filter');
  const one = await audit(admin, { object_type: 'user', object_id: String(u.id) });
  assert.ok(one.length > 0 && one.every((e) => e.object_type === 'user' && same(e.object_id, u.id)), 'object_id filter');
  const byAdmin = await audit(admin, { actor_id: String(adminId) });
  assert.ok(byAdmin.length > 0 && byAdmin.every((e) => same(e.actor_id, adminId)), 'actor_id filter');
  assert.equal((await audit(admin, { since: '2999-01-01T00:00:00.000Z' })).length, 0, 'since in the future');
  assert.equal((await audit(admin, { until: '2000-01-01T00:00:00.000Z' })).length, 0, 'until in the past');
  const recent = await audit(admin, { since: '2000-01-01T00:00:00.000Z', until: '2999-01-01T00:00:00.000Z' });
  assert.ok(recent.length > 0, 'since/until window');
  const bad = await admin.get('/api/v1/audit?action=explode');
  assertProblem(bad, 400, 'validation', 'unknown action');
  assertProblem(await admin.get('/api/v1/audit?since=yesterday'), 400, 'validation', 'bad since');
});

test('an admin sees only entries whose actor is in its scope', async () => {
  const cx = await loginAs(srv.url, 'cx_admin');
  const r = await cx.post('/api/v1/organizations', { name: uniq('城厢审计'), type: 'studio', region_id: ids.region(R.dongjie).id });
  assertStatus(r, 201);
  const items = await audit(cx, {});
  assert.ok(items.some((e) => same(e.object_id, r.data.id) && e.action === 'create'), 'cx_admin does not see its own write');
  assert.ok(!items.some((e) => same(e.actor_id, adminId)), 'cx_admin sees entries of the city administrator');
  assert.ok(!items.some((e) => e.actor_login === 'fc_admin' || e.actor_login === 'fc_leader'), 'cx_admin sees 涪城区 actors');
});

test('audit rows cannot be changed through the API (405 on the audit path)', async () => {
  for (const m of ['POST', 'PUT', 'PATCH', 'DELETE']) {
    const r = await admin.request(m, '/api/v1/audit', m === 'DELETE' ? {} : { json: { action: 'read' } });
    assertProblem(r, 405, 'method-not-allowed', `${m} /api/v1/audit`);
    assert.match(r.headers.get('allow') || '', /\bGET\b/);
  }
  const some = (await audit(admin, {}))[0];
  for (const m of ['PATCH', 'DELETE', 'PUT']) {
    const r = await admin.request(m, `/api/v1/audit/${some.id}`, m === 'DELETE' ? {} : { json: { action: 'read' } });
    assert.ok([404, 405].includes(r.status), `${m} /api/v1/audit/{id}: ${r.status}`);
  }
  const again = (await audit(admin, { object_type: some.object_type })).find((e) => same(e.id, some.id));
  assert.deepEqual(again, some, 'entry changed');
});

test('every action and object type the log may hold has a Chinese name on the audit screen; case actions filter', async () => {
  const { parse } = await import('yaml');
  const { readFileSync } = await import('node:fs');
  const { default: M } = await import('../../web/messages/zh-CN.js');
  const spec = parse(readFileSync(new URL('../../docs/openapi.yaml', import.meta.url), 'utf8'));
  // The screen looks an action up in auditActions, then caseActions, then caseEvents (format.js).
  const named = (table) => (v) => typeof table[v] === 'string' && /\p{Script=Han}/u.test(table[v]);
  const action = named({ ...M.caseEvents, ...M.caseActions, ...M.auditActions });
  assert.deepEqual(spec.components.schemas.AuditAction.enum.filter((a) => !action(a)), []);
  assert.deepEqual(spec.components.schemas.AuditObjectType.enum.filter((o) => !named(M.objectTypes)(o)), []);
  // The server accepts every documented action as a filter.
  for (const a of spec.components.schemas.AuditAction.enum) assertPage(await admin.get(`/api/v1/audit?action=${a}`), a);
});
