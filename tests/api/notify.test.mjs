// Notifications through one outbox (docs/notifications.md): a real webhook receiver checks
// the signature, fails on purpose and de-duplicates by event id; delivery survives SIGKILL
// and a second server on the same database delivers nothing twice; dead letters are
// replayed; mail reaches a real SMTP server; a partner agency's token reaches only its own
// referrals. Deliveries are driven by `jiefen notify run --once` where the order matters
// and by the servers' own threads where crashes and concurrency are the point.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawn, execFile } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import {
  startServer, assertPage, assertProblem, assertValidation, loginAs, lookup, bearerClient, uniq, R,
} from './helpers.mjs';
import { BIN, ROOT } from '../lib/server.mjs';

const SECRET = 'a-long-shared-secret-0123456789';
let srv, admin, disp, ids, court, police, rx;
const extra = []; // servers started by the tests, stopped at the end

/** A webhook receiver as an agency would write one (docs/notifications.md). */
function receiver() {
  const r = {
    requests: [], // every request: {event, ok (signature), status}
    seen: new Map(), // event id -> payload, processed once
    duplicates: 0,
    failFirst: 0, // per event id: answer 500 this many times
    dropAfterProcessing: new Set(), // event ids whose first answer is lost (socket destroyed)
    tries: new Map(),
    down: false,
  };
  r.verify = (headers, body) => {
    const ts = headers['x-jiefen-timestamp'];
    const sig = headers['x-jiefen-signature'] || '';
    const want = 'sha256=' + createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex');
    return sig.length === want.length && timingSafeEqual(Buffer.from(sig), Buffer.from(want));
  };
  r.server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const ok = r.verify(req.headers, body);
      const event = req.headers['x-jiefen-event'];
      const n = (r.tries.get(event) || 0) + 1;
      r.tries.set(event, n);
      const entry = { event, ok, path: req.url, body, at: Date.now() };
      r.requests.push(entry);
      if (!ok) { res.writeHead(401).end(); return; }
      if (r.down || req.url === '/always-fail' || n <= r.failFirst) { entry.status = 500; res.writeHead(500).end(); return; }
      if (r.seen.has(event)) r.duplicates++;
      else r.seen.set(event, JSON.parse(body));
      if (r.dropAfterProcessing.delete(event)) { req.socket.destroy(); return; }
      entry.status = 204;
      res.writeHead(204).end();
    });
  });
  return new Promise((res) => r.server.listen(0, '127.0.0.1', () => {
    r.url = `http://127.0.0.1:${r.server.address().port}`;
    res(r);
  }));
}

const setting = async (key, value) => {
  const r = await admin.request('PUT', `/api/v1/settings/${key}`, { json: { value: String(value) } });
  assert.equal(r.status, 200, r.text);
};
const outbox = async (q = '') => assertPage(await admin.get(`/api/v1/outbox?per_page=500${q}`)).items;
const row = async (eventId) => (await outbox()).filter((o) => o.event_id === eventId);
// Asynchronous: the receivers live in this process and must answer while it runs.
const pass = () => new Promise((res) => {
  execFile(BIN, ['notify', ...srv.db.args, '--key', srv.keyFile, 'run', '--once'], (err, stdout, stderr) => {
    assert.equal(err, null, stderr);
    res(stdout);
  });
});
const sleepUntil = async (ms) => { while (Date.now() <= ms) await new Promise((r) => setTimeout(r, 50)); };
const waitFor = async (what, fn) => {
  for (let i = 0; i < 1200; i++) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
};

const newCase = async () => {
  const r = await disp.post('/api/v1/cases', {
    channel: 'walk_in', category: 'contract', complexity: 'simple', facts: '买卖合同货款纠纷',
    region_id: ids.region(R.dongjie).id, parties: [{ role: 'applicant', name: '甲' }],
  });
  assert.equal(r.status, 201, r.text);
  return r.data;
};
const refer = async (k, org, status = 200) => {
  const body = { action: 'refer', to_body: org ? org.name : '派出所', sent: '登记表及证据材料' };
  if (org) body.to_org_id = org.id;
  const r = await disp.post(`/api/v1/cases/${k.id}/transitions`, body);
  assert.equal(r.status, status, r.text);
  return r;
};
const endpoint = async (body) => {
  const r = await admin.post('/api/v1/notify/endpoints', {
    channel: 'webhook', secret: SECRET, region_id: ids.region(R.fucheng).id, ...body,
  });
  assert.equal(r.status, 201, r.text);
  return r.data;
};

/** Another `jiefen serve` on the test's database, delivering every second. */
async function serveAgain() {
  const child = spawn(BIN, ['serve', ...srv.db.args, '--listen', '127.0.0.1:0', '--web', join(ROOT, 'web'),
    '--key', srv.keyFile, '--scan-interval', '0', '--notify-interval', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  await new Promise((res, rej) => {
    let buf = '';
    child.stdout.on('data', (d) => { buf += d; if (/listening on/.test(buf)) res(); });
    child.on('exit', (code) => rej(new Error(`serve exited ${code}: ${log}`)));
  });
  child.stdout.resume();
  const s = {
    child, log: () => log,
    kill: async (sig) => {
      if (child.exitCode !== null || child.signalCode !== null) return null;
      const done = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));
      child.kill(sig);
      return done;
    },
  };
  extra.push(s);
  return s;
}

before(async () => {
  // The test's own server does not deliver: the tests drive the passes.
  srv = await startServer({ extraArgs: ['--notify-interval', '0'] });
  admin = await loginAs(srv.url, 'admin');
  disp = await loginAs(srv.url, 'fc_dispatcher');
  ids = await lookup(admin);
  const mk = async (name, type) => {
    const r = await admin.post('/api/v1/organizations', { name, type, region_id: ids.region(R.fucheng).id });
    assert.equal(r.status, 201, r.text);
    return r.data;
  };
  court = await mk('涪城区人民法院', 'court');
  police = await mk('涪城区公安分局城厢派出所', 'police');
  rx = await receiver();
  await setting('notify_retry_base_seconds', 1);
  await setting('notify_lease_seconds', 4);
});
after(async () => {
  for (const s of extra) await s.kill('SIGTERM');
  rx?.server.close();
  await srv?.stop();
});

test('a referral reaches the agency\'s webhook signed, after retries that back off, once per event id', async () => {
  await endpoint({ name: '法院诉调对接平台', url: `${rx.url}/court`, kinds: 'case.referred', organization_id: court.id });
  const k = await newCase();
  const r = await refer(k, court);
  const ev = (await disp.get(`/api/v1/cases/${k.id}/timeline`)).data.items.at(-1);
  assert.equal(ev.data.to_org_id, court.id, 'the agency is on the referral event');
  const rows = (await outbox('&state=pending')).filter((o) => o.kind === 'case.referred' && o.payload.case_id === k.id);
  assert.equal(rows.length, 1, 'one outbox row, written with the referral');
  const id = rows[0].event_id;
  assert.equal(r.data.state, 'referred');

  rx.failFirst = 2;
  const waits = [];
  for (let attempt = 1; attempt <= 2; attempt++) {
    const t0 = Date.now();
    await pass();
    const t1 = Date.now();
    const [o] = await row(id);
    assert.equal(o.state, 'pending');
    assert.equal(o.attempts, attempt);
    assert.equal(o.last_error, 'HTTP 500');
    const next = Date.parse(o.next_at);
    const wait = 1000 * 2 ** (attempt - 1); // base 1 s, doubling
    assert.ok(next >= t0 + wait && next <= t1 + wait, `attempt ${attempt}: next_at ${o.next_at} is ${wait} ms after it`);
    waits.push(next);
    await pass(); // not due yet: nothing happens
    assert.equal((await row(id))[0].attempts, attempt, 'a row is not retried before next_at');
    await sleepUntil(next);
  }
  await pass();
  const [done] = await row(id);
  assert.equal(done.state, 'delivered');
  assert.equal(done.attempts, 3);
  const got = rx.requests.filter((q) => q.event === id);
  assert.equal(got.length, 3);
  assert.ok(got.every((q) => q.ok), 'every request carries a valid signature');
  assert.equal(got[0].path, '/court');
  const body = rx.seen.get(id);
  assert.deepEqual(Object.keys(body).sort(), ['body', 'case_id', 'data', 'event_id', 'kind', 'link', 'occurred_at', 'region_id', 'title']);
  assert.equal(body.kind, 'case.referred');
  assert.equal(body.case_id, k.id);
  assert.equal(body.data.to_org_id, court.id);
  assert.match(body.title, new RegExp(k.number));
  // A tampered body fails the receiver's check (the check is not vacuous).
  const h = { 'x-jiefen-timestamp': '1', 'x-jiefen-signature': 'sha256=' + createHmac('sha256', SECRET).update('1.{}').digest('hex') };
  assert.equal(rx.verify(h, '{}'), true);
  assert.equal(rx.verify(h, '{"a":1}'), false);
  rx.failFirst = 0;

  // The agency's endpoint does not hear of referrals to others.
  const k2 = await newCase();
  await refer(k2, police);
  assert.equal((await outbox()).filter((o) => o.payload.case_id === k2.id).length, 0);
});

test('a lost acknowledgement is delivered again with the same event id; the receiver drops the repeat', async () => {
  const k = await newCase();
  await refer(k, court);
  const [o] = (await outbox('&state=pending')).filter((x) => x.payload.case_id === k.id);
  rx.dropAfterProcessing.add(o.event_id);
  await pass();
  assert.equal((await row(o.event_id))[0].state, 'pending', 'no answer: not delivered');
  await sleepUntil(Date.parse((await row(o.event_id))[0].next_at));
  await pass();
  assert.equal((await row(o.event_id))[0].state, 'delivered');
  assert.equal(rx.requests.filter((q) => q.event === o.event_id).length, 2, 'sent twice');
  assert.ok(rx.seen.has(o.event_id));
  assert.equal(rx.duplicates, 1, 'the second was recognised by its event id');
});

test('after the last attempt a delivery is a dead letter an administrator replays', async () => {
  await setting('notify_max_attempts', 2);
  const ep = await endpoint({ name: '坏地址', url: `${rx.url}/always-fail`, kinds: 'notify.test' });
  const t = await admin.post(`/api/v1/notify/endpoints/${ep.id}/test`, {});
  assert.equal(t.status, 202, t.text);
  await pass();
  await sleepUntil(Date.parse((await row(t.data.event_id))[0].next_at));
  await pass();
  const dead = await outbox('&state=dead');
  const d = dead.find((x) => x.event_id === t.data.event_id);
  assert.ok(d, 'listed among the dead letters');
  assert.equal(d.attempts, 2);
  assert.equal(d.endpoint_name, '坏地址');
  assert.equal(rx.requests.filter((q) => q.event === t.data.event_id).length, 2);

  // The receiver is fixed; the administrator points the endpoint at it and replays.
  assert.equal((await admin.patch(`/api/v1/notify/endpoints/${ep.id}`, { url: `${rx.url}/fixed` })).status, 200);
  // The outbox row keeps its target: replaying re-sends to where it was addressed; a new
  // test event goes to the new address.
  assertProblem(await admin.post('/api/v1/outbox/987654/replay', {}), 404, 'not-found');
  assert.equal((await admin.post(`/api/v1/outbox/${d.id}/replay`, {})).status, 204);
  const back = (await row(t.data.event_id))[0];
  assert.equal(back.state, 'pending');
  assert.equal(back.attempts, 0);
  await setting('notify_max_attempts', 8);
  const t2 = await admin.post(`/api/v1/notify/endpoints/${ep.id}/test`, {});
  await pass();
  assert.equal((await row(t2.data.event_id))[0].state, 'delivered');
  assert.ok(rx.seen.has(t2.data.event_id));
  assertProblem(await admin.post(`/api/v1/outbox/${(await row(t2.data.event_id))[0].id}/replay`, {}), 409, 'conflict');
  const again = assertPage(await admin.get('/api/v1/audit?object_type=outbox&per_page=50')).items;
  assert.ok(again.some((a) => a.action === 'replay' && a.object_id === d.id), 'the replay is audited');
  await admin.del(`/api/v1/notify/endpoints/${ep.id}`);
});

test('endpoints: secrets are write-only, fields are checked, non-admins are refused', async () => {
  const ep = await endpoint({ name: '短信网关', channel: 'sms', url: `${rx.url}/sms`, address: '13800000099', sms_template: '【解纷】{title}', kinds: 'none.at.all' });
  assert.equal(ep.has_secret, true);
  assert.equal(ep.secret, undefined);
  const list = (await admin.get('/api/v1/notify/endpoints')).data.items;
  assert.ok(list.every((e) => e.secret === undefined));
  const bad = assertValidation(await admin.post('/api/v1/notify/endpoints', { channel: 'webhook', name: 'x', url: 'ftp://x', region_id: ids.region(R.fucheng).id }));
  assert.equal(bad.url, 'invalid');
  assert.equal(bad.secret, 'required');
  assertProblem(await disp.get('/api/v1/notify/endpoints'), 403, 'forbidden');
  assertProblem(await disp.get('/api/v1/outbox'), 403, 'forbidden');
  // The SMS profile posts {phone, text} from the template, signed like any webhook.
  const t = await admin.post(`/api/v1/notify/endpoints/${ep.id}/test`, {});
  await pass();
  const q = rx.requests.find((x) => x.event === t.data.event_id);
  assert.ok(q.ok);
  assert.deepEqual(JSON.parse(q.body), { phone: '13800000099', text: '【解纷】短信网关' });
  await admin.patch(`/api/v1/notify/endpoints/${ep.id}`, { enabled: false });
});

test('killed with deliveries queued, a restarted server delivers every event; none is lost', async () => {
  const before = rx.seen.size;
  rx.down = true;
  const cases = [];
  for (let i = 0; i < 5; i++) {
    const k = await newCase();
    await refer(k, court);
    cases.push(k.id);
  }
  const mine = async () => (await outbox()).filter((o) => cases.includes(o.payload.case_id));
  const events = (await mine()).map((o) => o.event_id);
  assert.equal(events.length, 5);
  const a = await serveAgain();
  await waitFor('every row attempted', async () => (await mine()).every((o) => o.attempts >= 1));
  const killed = await a.kill('SIGKILL');
  assert.equal(killed.signal, 'SIGKILL');
  assert.ok((await mine()).every((o) => o.state === 'pending'), 'nothing delivered while the receiver was down');
  rx.down = false;
  await serveAgain();
  await waitFor('all delivered after the restart', async () => (await mine()).every((o) => o.state === 'delivered'));
  for (const e of events) assert.ok(rx.seen.has(e), `event ${e} received`);
  // (rx.seen may also have grown by earlier tests' retries arriving late on a loaded machine.)
  assert.ok(rx.seen.size >= before + 5);
  for (const s of extra) await s.kill('SIGTERM');
});

test('two servers on one database deliver each event exactly once', async () => {
  const ep = await endpoint({ name: '双实例', url: `${rx.url}/twice`, kinds: 'notify.test' });
  // Exactly once holds while a delivery ends within its lease; the suite's 4 s (set for the
  // crash test above) can run out on a loaded machine, and then a second delivery is the
  // at-least-once rule working, not two claims of one live lease. A lease no delivery here
  // can outlast leaves only the latter to be caught.
  await setting('notify_lease_seconds', 120);
  try {
    await twoServers(ep);
  } finally {
    for (const s of extra) await s.kill('SIGTERM');
    await setting('notify_lease_seconds', 4);
  }
});

async function twoServers(ep) {
  await serveAgain();
  const events = [];
  for (let i = 0; i < 40; i++) {
    const t = await admin.post(`/api/v1/notify/endpoints/${ep.id}/test`, {});
    assert.equal(t.status, 202, t.text);
    events.push(t.data.event_id);
  }
  await waitFor('all delivered', async () => {
    const rows = (await outbox()).filter((o) => events.includes(o.event_id));
    return rows.length === 40 && rows.every((o) => o.state === 'delivered');
  });
  for (const e of events) {
    const n = rx.requests.filter((q) => q.event === e).length;
    assert.equal(n, 1, `event ${e} was posted ${n} times`);
  }
  const rows = (await outbox()).filter((o) => events.includes(o.event_id));
  assert.ok(rows.every((o) => o.attempts === 1));
}

test('mail goes over SMTP with a UTF-8 subject, to endpoints and to staff who have an address', async () => {
  const mails = [];
  const smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'],
    onData(stream, session, cb) {
      let text = '';
      stream.on('data', (d) => { text += d; });
      stream.on('end', () => { mails.push({ to: session.envelope.rcptTo.map((r) => r.address), text }); cb(); });
    },
  });
  await new Promise((res) => smtp.listen(0, '127.0.0.1', res));
  try {
    await setting('smtp_url', `smtp://127.0.0.1:${smtp.server.address().port}`);
    await setting('smtp_from', 'jiefen@example.org');
    // The dispatcher who refers gets the agency's feedback by mail.
    const me = ids.user('fc_dispatcher');
    assert.equal(assertValidation(await admin.patch(`/api/v1/users/${me.id}`, { email: 'not-an-address' })).email, 'invalid');
    const u = await admin.patch(`/api/v1/users/${me.id}`, { email: 'zhangwei@example.org' });
    assert.equal(u.status, 200, u.text);
    assert.equal(u.data.email, 'zhangwei@example.org');
    const ep = await endpoint({ name: '值班邮箱', channel: 'email', address: 'duty@example.org', kinds: 'case.feedback', secret: undefined });
    const { token } = await partnerToken(court);
    const k = await newCase();
    await refer(k, court);
    const f = await bearerClient(srv.url, token).post(`/api/v1/partner/referrals/${k.id}/feedback`, { feedback: '已立案，案号（2026）川0703民初1234号' });
    assert.equal(f.status, 200, f.text);
    await pass();
    const to = mails.flatMap((m) => m.to).sort();
    assert.deepEqual(to, ['duty@example.org', 'zhangwei@example.org']);
    const m = mails[0].text;
    const subject = m.match(/^Subject: =\?UTF-8\?B\?([^?]+)\?=/m);
    assert.ok(subject, m);
    assert.equal(Buffer.from(subject[1], 'base64').toString('utf8'), `案件 ${k.number} 收到移交反馈`);
    assert.match(m, /^X-Jiefen-Event: [0-9a-f]{32}/m);
    const body = Buffer.from(m.split('\r\n\r\n')[1].replace(/\s/g, ''), 'base64').toString('utf8');
    assert.equal(body, '已立案，案号（2026）川0703民初1234号');
    await admin.patch(`/api/v1/notify/endpoints/${ep.id}`, { enabled: false });
    await admin.patch(`/api/v1/users/${me.id}`, { email: '' });
  } finally {
    smtp.close();
  }
});

/** A partner account in the agency's organization and its API token. */
async function partnerToken(org) {
  const login = uniq('p');
  const u = await admin.post('/api/v1/users', { login, name: org.name, password: 'partner-pass-123', roles: ['partner'], org_id: org.id });
  assert.equal(u.status, 201, u.text);
  const t = await admin.post('/api/v1/tokens', { user_id: u.data.id, name: `${org.name}对接` });
  assert.equal(t.status, 201, t.text);
  return { user: u.data, token: t.data.token };
}

test('a partner token reads and answers only the referrals sent to its organization', async () => {
  assert.equal(assertValidation(await admin.post('/api/v1/users', { login: uniq('p'), name: 'x', password: 'partner-pass-123', roles: ['partner', 'clerk'], org_id: court.id })).roles, 'invalid');
  const { token } = await partnerToken(court);
  const p = bearerClient(srv.url, token);
  const mine = await newCase();
  await refer(mine, court);
  const theirs = await newCase();
  await refer(theirs, police);
  const other = await newCase(); // not referred at all

  const list = assertPage(await p.get('/api/v1/partner/referrals')).items;
  assert.ok(list.some((x) => x.id === mine.id));
  assert.ok(!list.some((x) => x.id === theirs.id || x.id === other.id), 'only its own referrals');
  const one = await p.get(`/api/v1/partner/referrals/${mine.id}`);
  assert.equal(one.status, 200, one.text);
  assert.equal(one.data.number, mine.number);
  assert.equal(one.data.referral.to_org_id, court.id);
  assertProblem(await p.get(`/api/v1/partner/referrals/${theirs.id}`), 404, 'not-found');
  assertProblem(await p.post(`/api/v1/partner/referrals/${theirs.id}/feedback`, { feedback: '越权' }), 404, 'not-found');
  // Everything else is refused, even what any logged-in user may do.
  for (const path of [`/api/v1/cases/${mine.id}`, `/api/v1/cases/${other.id}`, '/api/v1/cases', '/api/v1/regions',
    '/api/v1/session', '/api/v1/notifications', `/api/v1/cases/${mine.id}/timeline`]) {
    assertProblem(await p.get(path), 403, 'forbidden', path);
  }
  assertProblem(await p.post(`/api/v1/cases/${mine.id}/transitions`, { action: 'feedback', feedback: 'x' }), 403, 'forbidden');
  // Staff cannot use the partner routes either.
  assertProblem(await disp.get('/api/v1/partner/referrals'), 403, 'forbidden');

  assert.equal(assertValidation(await p.post(`/api/v1/partner/referrals/${mine.id}/feedback`, { feedback: '收到', action: 'close' })).action, 'unknown');
  const f = await p.post(`/api/v1/partner/referrals/${mine.id}/feedback`, { feedback: '已收到材料，正在审查' });
  assert.equal(f.status, 200, f.text);
  assert.equal(f.data.feedback_recorded, true);
  const ev = (await disp.get(`/api/v1/cases/${mine.id}/timeline`)).data.items.at(-1);
  assert.equal(ev.action, 'feedback');
  assert.equal(ev.data.feedback, '已收到材料，正在审查');
  // The referring dispatcher's bell rings.
  const inbox = assertPage(await disp.get('/api/v1/notifications?unread=true'));
  const n = inbox.items.find((x) => x.case_id === mine.id);
  assert.ok(n, 'an unread notification');
  assert.equal(n.kind, 'case.feedback');
  assert.equal(n.link, `/cases/${mine.id}`);
  assert.equal(n.body, '已收到材料，正在审查');
  assert.ok(inbox.unread >= 1);
  assert.equal((await disp.post(`/api/v1/notifications/${n.id}/read`, {})).status, 204);
  const after = assertPage(await disp.get('/api/v1/notifications'));
  assert.equal(after.unread, inbox.unread - 1);
  assert.ok(after.items.find((x) => x.id === n.id).read_at);
  // Someone else's notification is not mine to mark.
  const other2 = await loginAs(srv.url, 'fc_clerk');
  assertProblem(await other2.post(`/api/v1/notifications/${n.id}/read`, {}), 404, 'not-found');
  assert.equal((await disp.post('/api/v1/notifications/read-all', {})).status, 204);
  assert.equal(assertPage(await disp.get('/api/v1/notifications')).unread, 0);
});
