// Flood load test (issue 13 part 1): one address (127.0.0.1) floods the citizens' public
// endpoints — the online application form (POST /api/v1/public/applications) and the
// tracking lookup (GET /api/v1/public/cases/{number}?code=) — and holds many slow
// connections open (a slowloris trickle, as tests/api/flood.test.mjs), while a clerk from
// another address (127.0.0.2: Linux routes all of 127/8 to lo) keeps opening the workbench
// and case pages. Reports the clerk's success rate and p50/p99 latency without and during the
// flood. Not part of `make check`: it measures timings. Run through bench/flood.sh.
import http from 'node:http';
import net from 'node:net';
import { startServer } from '../tests/lib/server.mjs';

const SECS = Number(process.env.FLOOD_SECS || 20);
const WORKERS = Number(process.env.FLOOD_WORKERS || 64); // concurrent flooding requests
const SLOW = Number(process.env.FLOOD_SLOW || 1000); // slow connections
const STAFF = Number(process.env.FLOOD_STAFF || 4); // clerk's concurrent page loads
const CASES = Number(process.env.FLOOD_CASES || 2000); // demo register size
// The per-address cap (docs/security.md §1) means one address cannot both hold a thousand
// slow connections and get requests through; the slow connections come from a second
// attacking address so that the public endpoints are really flooded at the same time.
const ATTACKER = '127.0.0.1', SLOWLORIS = '127.0.0.3', CLERK = '127.0.0.2';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One HTTP request from a chosen local address; resolves {status, ms, body} (status 0: failed). */
function req(base, agent, method, path, { headers = {}, body } = {}) {
  const u = new URL(path, base);
  const t0 = process.hrtime.bigint();
  return new Promise((resolve) => {
    const buf = body === undefined ? null : Buffer.from(JSON.stringify(body));
    const r = http.request({
      host: u.hostname, port: u.port, path: u.pathname + u.search, method, agent, timeout: 30000,
      headers: { ...headers, ...(buf ? { 'content-type': 'application/json', 'content-length': buf.length } : {}) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - t0) / 1e6, text, headers: res.headers }));
      res.on('error', () => resolve({ status: 0, ms: Number(process.hrtime.bigint() - t0) / 1e6, text: '' }));
    });
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.on('error', () => resolve({ status: 0, ms: Number(process.hrtime.bigint() - t0) / 1e6, text: '' }));
    r.end(buf);
  });
}

const pct = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

/** The clerk's loop: workbench, the register, one case page; for `secs` seconds. */
async function clerkLoad(base, cookie, caseIds, secs) {
  const agent = new http.Agent({ keepAlive: true, localAddress: CLERK, maxSockets: STAFF });
  const headers = { cookie };
  const samples = [];
  const until = Date.now() + secs * 1000;
  await Promise.all(Array.from({ length: STAFF }, async (_, w) => {
    for (let i = w; Date.now() < until; i++) {
      const path = [
        '/api/v1/workbench', '/api/v1/cases?per_page=20', `/api/v1/cases/${caseIds[i % caseIds.length]}`,
      ][i % 3];
      samples.push(await req(base, agent, 'GET', path, { headers }));
    }
  }));
  agent.destroy();
  const ok = samples.filter((s) => s.status === 200);
  return {
    n: samples.length, ok: ok.length, rate: ok.length / Math.max(1, samples.length),
    p50: pct(ok.map((s) => s.ms), 50), p99: pct(ok.map((s) => s.ms), 99),
    statuses: samples.reduce((m, s) => ({ ...m, [s.status]: (m[s.status] || 0) + 1 }), {}),
  };
}

/** The flood from one address until stop() is called; returns the tallies. */
function flood(base, regionId, known, nslow) {
  const agent = new http.Agent({ keepAlive: true, localAddress: ATTACKER, maxSockets: WORKERS });
  const tally = { apply: {}, track: {} };
  const count = (k, s) => { tally[k][s] = (tally[k][s] || 0) + 1; };
  let running = true;
  const slow = [];
  const u = new URL(base);
  // Slow connections, trickling a header line every 2 s (the server's deadline cuts them).
  const openSlow = () => {
    const s = net.connect({ host: u.hostname, port: Number(u.port), localAddress: SLOWLORIS });
    s.on('error', () => {});
    s.on('connect', () => s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'));
    s.on('close', () => { const i = slow.indexOf(s); if (i >= 0) slow.splice(i, 1); });
    slow.push(s);
  };
  for (let i = 0; i < nslow; i++) openSlow();
  const trickle = setInterval(() => {
    for (const s of slow) s.write(`X-T: ${Date.now()}\r\n`);
    while (running && slow.length < nslow) openSlow(); // reopen what the server closed
  }, 2000);
  let seq = 0;
  const loops = Array.from({ length: WORKERS }, async (_, w) => {
    while (running) {
      seq++;
      if (w % 2 === 0) {
        const r = await req(base, agent, 'POST', '/api/v1/public/applications', {
          body: {
            category: 'neighbour', region_id: regionId, facts: `洪水测试第${seq}件：楼上漏水`, claims: '赔偿',
            applicant: { name: '王小明', phone: '139' + String(10000000 + (seq % 89999999)).padStart(8, '0') },
          },
        });
        count('apply', r.status);
        if (r.status === 201 && known.length < 50) {
          try { const d = JSON.parse(r.text); known.push([d.number, d.access_code]); } catch { /* not JSON */ }
        }
      } else {
        const [num, code] = known.length && seq % 4 ? known[seq % known.length] : ['（2026）涪城人调字第0001号', 'WRONGCOD'];
        const r = await req(base, agent, 'GET', `/api/v1/public/cases/${encodeURIComponent(num)}?code=${code}`);
        count('track', r.status);
      }
      if (!running) break;
    }
  });
  return {
    tally, slowOpen: () => slow.length,
    async stop() {
      running = false;
      clearInterval(trickle);
      await Promise.all(loops);
      for (const s of slow) s.destroy();
      agent.destroy();
    },
  };
}

const fmt = (x) => (Number.isFinite(x) ? x.toFixed(1) : '—');
const row = (name, r) => `| ${name} | ${r.n} | ${r.ok} | ${(100 * r.rate).toFixed(2)} % | ${fmt(r.p50)} | ${fmt(r.p99)} | ${JSON.stringify(r.statuses)} |`;

const srv = await startServer({ demoArgs: ['--cases', String(CASES), '--seed', '7'], extraArgs: process.env.FLOOD_ARGS ? process.env.FLOOD_ARGS.split(' ') : [] });
try {
  // The clerk logs in from its own address.
  const agent = new http.Agent({ localAddress: CLERK });
  const login = await req(srv.url, agent, 'POST', '/api/v1/session', { body: { login: 'fc_clerk', password: 'jiefen-demo' } });
  if (login.status !== 201) throw new Error(`login: ${login.status} ${login.text}`);
  const cookie = String(login.headers['set-cookie']).match(/jiefen_session=[^;]*/)[0];
  const list = await req(srv.url, agent, 'GET', '/api/v1/cases?per_page=20', { headers: { cookie } });
  const caseIds = JSON.parse(list.text).items.map((k) => k.id);
  const regions = JSON.parse((await req(srv.url, agent, 'GET', '/api/v1/public/regions')).text);
  const regionList = regions.items || regions;
  const village = regionList.find((r) => r.code === '510703001003') || regionList[regionList.length - 1];
  agent.destroy();

  const total = (t) => Object.values(t).reduce((a, b) => a + b, 0);
  const attack = (name, f) => `${name}: applications ${total(f.tally.apply)} ${JSON.stringify(f.tally.apply)}; tracking lookups ${total(f.tally.track)} ${JSON.stringify(f.tally.track)}`;
  const before = await clerkLoad(srv.url, cookie, caseIds, SECS);
  const known = [];
  // Phase 1: the public endpoints flooded from one address.
  let f = flood(srv.url, village.id, known, 0);
  await sleep(2000);
  const during = await clerkLoad(srv.url, cookie, caseIds, SECS);
  await f.stop();
  const a1 = attack('public flood', f);
  // Phase 2: the same, and a thousand slow connections trickling header lines.
  f = flood(srv.url, village.id, known, SLOW);
  await sleep(3000);
  const slowAtStart = f.slowOpen();
  const during2 = await clerkLoad(srv.url, cookie, caseIds, SECS);
  const slowAtEnd = f.slowOpen();
  await f.stop();
  const a2 = attack('public flood + slow connections', f);
  const after = await clerkLoad(srv.url, cookie, caseIds, Math.min(SECS, 10));
  const out = [
    `register: ${CASES} demo cases. flood: ${WORKERS} concurrent public requests (applications and tracking lookups) from ${ATTACKER}; `
      + `${SLOW} slow connections from ${SLOWLORIS} in the second phase; clerk: ${STAFF} concurrent page loads from ${CLERK}; ${SECS} s per phase`,
    '',
    '| clerk (workbench, register, case page) | requests | 200 | success | p50 ms | p99 ms | statuses |',
    '|---|---|---|---|---|---|---|',
    row('without the flood', before), row('public endpoints flooded', during),
    row(`flooded + ${SLOW} slow connections`, during2), row('after the flood', after),
    '',
    `attacker (status: count; 0 = connection refused or closed): ${a1}; ${a2}`,
    `slow connections the server held open: ${slowAtStart} after 3 s, ${slowAtEnd} at the end (the client reopens every closed one each 2 s)`,
  ];
  console.log(out.join('\n'));
} finally {
  await srv.stop();
}
