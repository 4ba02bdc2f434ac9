// Rate limits without lock-out (issue 13, defect 4): failures slow the attacker's login and
// address down exponentially, but never lock the victim out. The server trusts 127.0.0.1
// as a reverse proxy here, so X-Forwarded-For names the client address; a server that
// trusts no proxy ignores the header (checked last).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, Client, assertProblem, assertStatus, loginAs, lookup, uniq, mobile, DEMO_PASSWORD, O,
} from './helpers.mjs';

let srv, admin, ids;
before(async () => {
  srv = await startServer({ extraArgs: ['--trusted-proxy', '127.0.0.1'] });
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
});
after(async () => { await srv?.stop(); });

const from = (ip) => ({ headers: { 'x-forwarded-for': ip } });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function newUser(password) {
  const login = uniq('bo');
  assertStatus(await admin.post('/api/v1/users', {
    login, name: '退避测试', password, roles: ['clerk'], org_id: ids.org(O.gqCommittee).id,
  }), 201, 'create user');
  return login;
}

/** Fails logins for `login` from `ip` until the server answers 429; returns that answer. */
async function failUntilSlowed(login, ip) {
  const c = new Client(srv.url);
  for (let i = 1; i <= 25; i++) {
    const r = await c.post('/api/v1/session', { login, password: `guess-${i}` }, from(ip));
    if (r.status === 429) return r;
    assertProblem(r, 401, 'unauthorized', `guess ${i}`);
  }
  assert.fail('25 wrong passwords were never slowed down');
}

test('an attacker slowed on one login cannot lock its owner out: another address, and after the wait, the right password works', async () => {
  const login = await newUser('victim-pw-77');
  const limited = await failUntilSlowed(login, '203.0.113.66');
  assertProblem(limited, 429, 'rate-limited');
  const wait = Number(limited.headers.get('retry-after'));
  assert.ok(wait >= 1 && wait <= 15 * 60, `Retry-After ${wait}`);

  const owner = new Client(srv.url);
  assertStatus(await owner.post('/api/v1/session', { login, password: 'victim-pw-77' }, from('198.51.100.20')), 201,
    'the owner from her own address while the attacker waits');

  // The attacker's address still waits, even with the right password (no oracle) ...
  const attacker = new Client(srv.url);
  assertProblem(await attacker.post('/api/v1/session', { login, password: 'victim-pw-77' }, from('203.0.113.66')), 429,
    'rate-limited', 'right password from the slowed address');
  // ... but only until the wait is over: a back-off, not a lock.
  await sleep(wait * 1000 + 200);
  assertStatus(await attacker.post('/api/v1/session', { login, password: 'victim-pw-77' }, from('203.0.113.66')), 201,
    'the right password after the back-off');
});

test('the waits grow: each further failure doubles Retry-After up to the cap', async () => {
  const login = await newUser('doubling-pw-1');
  const ip = '203.0.113.67';
  const first = await failUntilSlowed(login, ip);
  const w1 = Number(first.headers.get('retry-after'));
  await sleep(w1 * 1000 + 200);
  const c = new Client(srv.url);
  assertProblem(await c.post('/api/v1/session', { login, password: 'still-wrong' }, from(ip)), 401, 'unauthorized', 'after the wait: one more try');
  const second = await c.post('/api/v1/session', { login, password: 'still-wrong-2' }, from(ip));
  assertProblem(second, 429, 'rate-limited');
  const w2 = Number(second.headers.get('retry-after'));
  assert.ok(w2 > w1, `the second wait (${w2} s) is longer than the first (${w1} s)`);
});

test('many users behind one address: spraying slows only logins new to it; those who logged in from it before are not blocked', async () => {
  const shared = '198.51.100.99';
  // A clerk of the township office logs in from the office's address.
  const regular = await newUser('regular-pw-1');
  assertStatus(await new Client(srv.url).post('/api/v1/session', { login: regular, password: 'regular-pw-1' }, from(shared)), 201);
  // Someone in the same office sprays one guess at each of 25 logins.
  for (let i = 0; i < 25; i++) {
    const r = await new Client(srv.url).post('/api/v1/session', { login: uniq('spray'), password: 'x' }, from(shared));
    if (r.status === 429) break;
    assertProblem(r, 401, 'unauthorized', `spray ${i}`);
  }
  const sprayed = await new Client(srv.url).post('/api/v1/session', { login: uniq('spray'), password: 'x' }, from(shared));
  assertProblem(sprayed, 429, 'rate-limited', 'the spraying address is slowed');
  assert.ok(Number(sprayed.headers.get('retry-after')) <= 60, 'an address waits at most a minute');
  // The clerk who logged in from there before is not held up at all.
  assertStatus(await new Client(srv.url).post('/api/v1/session', { login: regular, password: 'regular-pw-1' }, from(shared)), 201,
    'a known user of the shared address');
  // Nor is anyone elsewhere.
  assertStatus(await new Client(srv.url).post('/api/v1/session', { login: 'fc_clerk', password: DEMO_PASSWORD }, from('192.0.2.10')), 201,
    'another address');
});

test("a citizen's correct access code keeps working after 30 wrong tries from an attacker", async () => {
  const pub = new Client(srv.url);
  const phone = mobile();
  const applied = await pub.post('/api/v1/public/applications', {
    category: 'neighbour', region_id: ids.region('510703001003').id,
    facts: '楼上住户漏水，多次协商未果', claims: '修缮并赔偿损失',
    applicant: { name: '王小明', phone, address: '警钟街12号3单元' },
    respondent: { name: '刘大海' },
  }, from('192.0.2.50'));
  assertStatus(applied, 201, 'apply');
  const { number, access_code: code } = applied.data;
  const track = (c, ip) => pub.get(`/api/v1/public/cases/${encodeURIComponent(number)}?code=${c}`, from(ip));
  let slowed = 0;
  for (let i = 0; i < 30; i++) {
    const r = await track(`WRONG${String(i).padStart(3, '2')}`, '203.0.113.30');
    if (r.status === 429) slowed += 1;
    else assertProblem(r, 404, 'not-found', `wrong code ${i}`);
  }
  assert.ok(slowed > 0, 'the attacker is slowed down');
  assertStatus(await track(code, '192.0.2.50'), 200, 'the citizen, from her own address, with her code');
});

test('X-Forwarded-For from a peer that is not a trusted proxy is ignored', async () => {
  const plain = await startServer({ demo: true });
  try {
    const login = 'fc_mediator';
    const c = new Client(plain.url);
    let limited = null;
    for (let i = 1; i <= 25 && !limited; i++) {
      const r = await c.post('/api/v1/session', { login, password: `guess-${i}` }, from(`192.0.2.${i}`));
      if (r.status === 429) limited = r;
    }
    assert.ok(limited, 'a new X-Forwarded-For per guess does not escape the back-off when the proxy is not trusted');
  } finally {
    await plain.stop();
  }
});
