// Connection floods (issue 13, defect 1): one address opening a thousand slow connections,
// trickling a header line now and then, must not stop /healthz or a clerk's work from
// another address; a trickle does not extend the header deadline; behind a trusted proxy
// the cap counts each forwarded client, and X-Forwarded-For from anyone else is ignored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, loginAs, assertStatus, assertProblem } from './helpers.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Opens a socket from localAddress and starts a request it never finishes. */
function slowSocket(url, localAddress) {
  const u = new URL(url);
  const s = net.connect({ host: u.hostname, port: Number(u.port), localAddress });
  s.closedByServer = false;
  s.on('error', () => {});
  s.on('close', () => { s.closedByServer = true; });
  s.on('connect', () => s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'));
  return s;
}

/** A raw request over a fresh socket; resolves with the status line's code, or 0 if closed. */
function rawStatus(url, path, headers = {}) {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect({ host: u.hostname, port: Number(u.port) });
    let buf = '';
    s.on('error', () => resolve({ code: 0, socket: s }));
    s.on('data', (d) => {
      buf += d;
      const m = buf.match(/^HTTP\/1\.1 (\d+)/);
      if (m) resolve({ code: Number(m[1]), socket: s });
    });
    s.on('close', () => resolve({ code: 0, socket: s }));
    const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n${extra}\r\n`);
  });
}

test('1,200 slow connections from one address: /healthz and a staff GET from another address keep answering', async () => {
  const srv = await startServer({ extraArgs: ['--per-ip-limit', '20'] });
  try {
    const clerk = await loginAs(srv.url, 'fc_admin');
    const flood = [];
    for (let i = 0; i < 1200; i++) flood.push(slowSocket(srv.url, '127.0.0.2'));
    let ok = 0;
    for (let round = 0; round < 5; round++) {
      // Everyone still open trickles one more header line: the slowloris pattern.
      for (const s of flood) if (!s.closedByServer) s.write(`X-Trickle-${round}: 1\r\n`);
      const h = await fetch(`${srv.url}/healthz`);
      assert.equal(h.status, 200, `round ${round}: /healthz during the flood`);
      assertStatus(await clerk.get('/api/v1/cases?per_page=5'), 200, `round ${round}: staff GET during the flood`);
      ok += 1;
      await sleep(200);
    }
    assert.equal(ok, 5);
    const open = flood.filter((s) => !s.closedByServer).length;
    assert.ok(open <= 20, `at most the per-address cap stays open, got ${open}`);
    for (const s of flood) s.destroy();
  } finally {
    await srv.stop();
  }
});

test('a trickle of header lines does not extend the header deadline', async () => {
  const srv = await startServer({ demo: false, extraArgs: ['--header-timeout', '1'] });
  try {
    const s = slowSocket(srv.url, '127.0.0.1');
    let lines = 0;
    // One line every 250 ms would reset an idle timeout forever; the deadline does not move.
    while (!s.closedByServer && lines < 200) {
      await sleep(250);
      s.write(`X-Line-${lines}: 1\r\n`);
      lines += 1;
    }
    assert.ok(s.closedByServer, 'the server closes a connection that never finishes its headers');
    s.destroy();
  } finally {
    await srv.stop();
  }
});

test('behind a trusted proxy the cap counts each forwarded client; X-Forwarded-For from others is ignored', async () => {
  const srv = await startServer({ demo: false, extraArgs: ['--per-ip-limit', '3', '--trusted-proxy', '127.0.0.1'] });
  const held = [];
  try {
    // Three kept-alive connections through the "proxy" for client A fill A's share.
    for (let i = 0; i < 3; i++) {
      const r = await rawStatus(srv.url, '/healthz', { 'X-Forwarded-For': '198.51.100.7' });
      assert.equal(r.code, 200, `connection ${i} for client A`);
      held.push(r.socket);
    }
    const over = await rawStatus(srv.url, '/healthz', { 'X-Forwarded-For': '198.51.100.7' });
    held.push(over.socket);
    assert.equal(over.code, 429, 'a fourth connection for client A');
    const other = await rawStatus(srv.url, '/healthz', { 'X-Forwarded-For': '198.51.100.8' });
    held.push(other.socket);
    assert.equal(other.code, 200, 'client B through the same proxy');
  } finally {
    for (const s of held) s.destroy();
    await srv.stop();
  }
  // Not trusted: the peer counts, whatever the header claims.
  const plain = await startServer({ demo: false, extraArgs: ['--per-ip-limit', '2'] });
  const kept = [];
  try {
    const codes = [];
    for (let i = 0; i < 3; i++) {
      const r = await rawStatus(plain.url, '/healthz', { 'X-Forwarded-For': `198.51.100.${20 + i}` });
      codes.push(r.code);
      kept.push(r.socket);
    }
    assert.deepEqual(codes, [200, 200, 0], 'the third connection from one peer is refused');
  } finally {
    for (const s of kept) s.destroy();
    await plain.stop();
  }
});

test('/metrics: loopback only without a token; with --metrics-token it wants the token', async () => {
  const srv = await startServer({ demo: false, extraArgs: ['--metrics-token', 'm3tr1cs-s3cret', '--trusted-proxy', '127.0.0.1'] });
  try {
    assertProblem(await fetchJson(`${srv.url}/metrics`), 401, 'unauthorized', 'no token');
    assertProblem(await fetchJson(`${srv.url}/metrics`, { authorization: 'Bearer wrong' }), 401, 'unauthorized', 'wrong token');
    const r = await fetch(`${srv.url}/metrics`, { headers: { authorization: 'Bearer m3tr1cs-s3cret' } });
    assert.equal(r.status, 200);
    assert.match(await r.text(), /jiefen_http_requests_total/);
  } finally {
    await srv.stop();
  }
  const open = await startServer({ demo: false, extraArgs: ['--trusted-proxy', '127.0.0.1'] });
  try {
    assert.equal((await fetch(`${open.url}/metrics`)).status, 200, 'from the machine itself');
    const far = await fetchJson(`${open.url}/metrics`, { 'x-forwarded-for': '203.0.113.5' });
    assertProblem(far, 404, 'not-found', 'a remote client through the proxy');
  } finally {
    await open.stop();
  }
});

async function fetchJson(url, headers = {}) {
  const res = await fetch(url, { headers });
  const text = await res.text();
  let data = null;
  try { data = JSON.parse(text); } catch { data = null; }
  return { status: res.status, headers: res.headers, text, data };
}
