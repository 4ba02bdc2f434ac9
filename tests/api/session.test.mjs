// Login, session and logout (POST/GET/DELETE /api/v1/session) and the login rate limit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, Client, DEMO_PASSWORD, assertProblem, assertStatus, assertValidation, loginAs, lookup, uniq,
} from './helpers.mjs';

let srv, admin, ids;
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
});
after(async () => { await srv?.stop(); });

test('login with the right password → 201, session cookie HttpOnly SameSite=Strict, user and csrf_token', async () => {
  const c = new Client(srv.url);
  const r = await c.post('/api/v1/session', { login: 'fc_clerk', password: DEMO_PASSWORD });
  assertStatus(r, 201, 'login');
  const cookie = r.headers.get('set-cookie') || '';
  assert.match(cookie, /jiefen_session=[^;\s]+/, `Set-Cookie: ${cookie}`);
  assert.match(cookie, /;\s*HttpOnly/i, `Set-Cookie lacks HttpOnly: ${cookie}`);
  assert.match(cookie, /;\s*SameSite=Strict/i, `Set-Cookie lacks SameSite=Strict: ${cookie}`);
  assert.match(cookie, /;\s*Path=\//i, `Set-Cookie lacks Path=/: ${cookie}`);
  assert.equal(typeof r.data.csrf_token, 'string');
  assert.ok(r.data.csrf_token.length >= 16, 'csrf_token too short to be unguessable');
  const u = r.data.user;
  assert.equal(u.login, 'fc_clerk');
  assert.deepEqual(u.roles, ['clerk']);
  assert.equal(u.org_name, '涪城区社会矛盾纠纷调处化解中心');
  assert.equal(u.region_name, '涪城区');
  assert.ok(!/password|hash/i.test(JSON.stringify(r.data)), `login answer mentions a password: ${r.text}`);
});

test('the session\'s user is the user object of the contract', async () => {
  const r = await new Client(srv.url).login('jzj_grid');
  assertStatus(r, 201);
  const missing = ['id', 'login', 'name', 'phone', 'roles', 'active', 'org_id', 'org_name', 'region_id', 'region_name', 'created_at']
    .filter((k) => !(k in r.data.user));
  assert.deepEqual(missing, [], `session user lacks ${missing.join(', ')}: ${JSON.stringify(r.data.user)}`);
  assert.equal(r.data.user.active, true);
});

test('GET /api/v1/session with the cookie → 200 with the same user and csrf_token', async () => {
  const c = await loginAs(srv.url, 'jzj_mediator');
  const r = await c.get('/api/v1/session');
  assertStatus(r, 200);
  assert.equal(r.data.user.login, 'jzj_mediator');
  assert.equal(r.data.csrf_token, c.csrf);
});

test('wrong password → 401 unauthorized problem', async () => {
  const r = await new Client(srv.url).post('/api/v1/session', { login: 'fc_leader', password: 'not-the-password' });
  assertProblem(r, 401, 'unauthorized');
  assert.equal(r.headers.get('set-cookie'), null, 'a failed login must not set a cookie');
});

test('unknown login → 401 with the same body as a wrong password (no account enumeration)', async () => {
  const wrong = await new Client(srv.url).post('/api/v1/session', { login: 'fc_supervisor', password: 'not-the-password' });
  const unknown = await new Client(srv.url).post('/api/v1/session', { login: 'nobody_here', password: 'not-the-password' });
  assertProblem(unknown, 401, 'unauthorized');
  assertProblem(wrong, 401, 'unauthorized');
  assert.deepEqual(unknown.data, wrong.data);
});

test('login with missing fields → 400 validation naming login and password', async () => {
  const errs = assertValidation(await new Client(srv.url).post('/api/v1/session', {}));
  assert.equal(errs.login, 'required');
  assert.equal(errs.password, 'required');
});

test('GET /api/v1/session without a cookie → 401 unauthorized', async () => {
  assertProblem(await new Client(srv.url).get('/api/v1/session'), 401, 'unauthorized');
});

test('a forged session cookie → 401 unauthorized', async () => {
  const c = new Client(srv.url);
  c.cookie = 'jiefen_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
  assertProblem(await c.get('/api/v1/session'), 401, 'unauthorized');
});

test('logout → 204, cookie cleared, and the old cookie no longer works', async () => {
  const c = await loginAs(srv.url, 'fc_dispatcher');
  const saved = c.cookie;
  const r = await c.del('/api/v1/session');
  assertStatus(r, 204, 'logout');
  const set = r.headers.get('set-cookie') || '';
  assert.match(set, /jiefen_session=/, 'logout must clear the cookie');
  assert.match(set, /Max-Age=0|Expires=Thu, 01 Jan 1970/i, `cookie not expired: ${set}`);
  const old = new Client(srv.url);
  old.cookie = saved;
  assertProblem(await old.get('/api/v1/session'), 401, 'unauthorized', 'old cookie after logout');
});

test('two logins of one user are independent sessions', async () => {
  const a = await loginAs(srv.url, 'cx_mediator');
  const b = await loginAs(srv.url, 'cx_mediator');
  assert.notEqual(a.cookie, b.cookie);
  assertStatus(await a.del('/api/v1/session'), 204);
  assertStatus(await b.get('/api/v1/session'), 200, 'the other session survives');
});

test('repeated failed logins for one account → 429 with Retry-After (a back-off); the right password waits too', async () => {
  // A fresh account so no other test is affected. Back-off, not lock-out: tests/api/backoff.test.mjs.
  const login = uniq('rl');
  const created = await admin.post('/api/v1/users', {
    login, name: '限流测试', password: 'rate-limit-pw-1', roles: ['clerk'], org_id: ids.org('工区街道人民调解委员会').id,
  });
  assertStatus(created, 201, 'create user');
  const c = new Client(srv.url);
  let limited = null;
  for (let i = 1; i <= 20 && !limited; i++) {
    const r = await c.post('/api/v1/session', { login, password: `wrong-${i}` });
    if (r.status === 429) limited = r;
    else assertProblem(r, 401, 'unauthorized', `failure ${i}`);
    assert.ok(i > 3 || r.status === 401, 'the first three failures cost nothing');
  }
  assert.ok(limited, 'repeated failures are slowed down');
  assertProblem(limited, 429, 'rate-limited', 'limited attempt');
  const ra = limited.headers.get('retry-after');
  assert.match(ra || '', /^\d+$/, `Retry-After must be seconds, got ${ra}`);
  assert.ok(Number(ra) > 0 && Number(ra) <= 15 * 60, `Retry-After ${ra}`);
  const right = await c.post('/api/v1/session', { login, password: 'rate-limit-pw-1' });
  assertProblem(right, 429, 'rate-limited', 'right password while waiting');
  assert.equal(c.cookie, null, 'no session while limited');
  // Other accounts from the same address are not slowed by one account's failures.
  await loginAs(srv.url, 'fc_leader');
});
