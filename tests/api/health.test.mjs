// /healthz and /metrics.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, loginAs, lookup } from './helpers.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

/** Parses Prometheus text into [{name, labels:{}, value}]. */
function parseMetrics(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\d+)?$/);
    assert.ok(m, `not a Prometheus sample line: ${line}`);
    const labels = {};
    if (m[3]) for (const l of m[3].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[4] === '+Inf' ? Infinity : m[4]) });
  }
  return out;
}

async function metrics() {
  const r = await fetch(`${srv.url}/metrics`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') || '', /^text\/plain/);
  const text = await r.text();
  return { text, samples: parseMetrics(text) };
}

const sum = (samples, pred) => samples.filter(pred).reduce((a, s) => a + s.value, 0);

/**
 * A server may count a request only after its response is sent; re-read /metrics a few times
 * until the value reaches the expectation (this is not a timing threshold: it only waits).
 */
async function settle(read, ok) {
  let v;
  for (let i = 0; i < 40; i++) {
    v = read((await metrics()).samples);
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  return v;
}

test('/healthz → 200 {"status":"ok"} without credentials', async () => {
  const r = await fetch(`${srv.url}/healthz`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') || '', /^application\/json/);
  const body = await r.json();
  assert.equal(body.status, 'ok', JSON.stringify(body));
});

test('/metrics is Prometheus text with jiefen_http_requests_total labelled by route, method and status', async () => {
  await fetch(`${srv.url}/healthz`);
  await fetch(`${srv.url}/api/v1/session`);
  await settle((s) => s, (s) => s.some((x) => x.name === 'jiefen_http_requests_total' && x.labels.route === '/api/v1/session'));
  const { text, samples } = await metrics();
  assert.match(text, /^# TYPE jiefen_http_requests_total counter$/m);
  const req = samples.filter((s) => s.name === 'jiefen_http_requests_total');
  assert.ok(req.length > 0, 'no jiefen_http_requests_total samples');
  for (const s of req) for (const l of ['route', 'method', 'status']) assert.ok(l in s.labels, `label ${l} missing: ${JSON.stringify(s)}`);
  assert.ok(req.some((s) => s.labels.route === '/healthz' && s.labels.method === 'GET' && s.labels.status === '200' && s.value >= 1), 'no /healthz 200 sample');
  assert.ok(req.some((s) => s.labels.route === '/api/v1/session' && s.labels.status === '401'), 'no /api/v1/session 401 sample');
});

test('request counts grow after requests', async () => {
  const count = (samples) => sum(samples, (s) => s.name === 'jiefen_http_requests_total' && s.labels.route === '/healthz' && s.labels.status === '200');
  const before = count((await metrics()).samples);
  for (let i = 0; i < 3; i++) await fetch(`${srv.url}/healthz`);
  const after = await settle(count, (v) => v >= before + 3);
  assert.ok(after >= before + 3, `requests_total for /healthz went from ${before} to ${after}`);
});

test('jiefen_http_request_duration_seconds is a histogram whose bucket counts grow after requests', async () => {
  const m1 = await metrics();
  assert.match(m1.text, /^# TYPE jiefen_http_request_duration_seconds histogram$/m);
  const inf = (samples) => sum(samples, (s) => s.name === 'jiefen_http_request_duration_seconds_bucket' && s.labels.le === '+Inf');
  const buckets = m1.samples.filter((s) => s.name === 'jiefen_http_request_duration_seconds_bucket');
  assert.ok(buckets.length > 1, 'no histogram buckets');
  // Buckets of one series are cumulative: counts never decrease as le grows.
  const series = new Map();
  for (const b of buckets) {
    const { le, ...rest } = b.labels;
    const key = JSON.stringify(rest);
    if (!series.has(key)) series.set(key, []);
    series.get(key).push([le === '+Inf' ? Infinity : Number(le), b.value]);
  }
  for (const [key, bs] of series) {
    bs.sort((a, b) => a[0] - b[0]);
    assert.equal(bs[bs.length - 1][0], Infinity, `series ${key} lacks le="+Inf"`);
    for (let i = 1; i < bs.length; i++) assert.ok(bs[i][1] >= bs[i - 1][1], `series ${key} not cumulative`);
  }
  assert.ok(m1.samples.some((s) => s.name === 'jiefen_http_request_duration_seconds_sum'), '_sum missing');
  assert.ok(m1.samples.some((s) => s.name === 'jiefen_http_request_duration_seconds_count'), '_count missing');
  const before = inf(m1.samples);
  for (let i = 0; i < 4; i++) await fetch(`${srv.url}/healthz`);
  const after = await settle(inf, (v) => v >= before + 4);
  assert.ok(after >= before + 4, `+Inf bucket total went from ${before} to ${after}`);
});

test('route labels are templates, not concrete ids', async () => {
  const admin = await loginAs(srv.url, 'admin');
  const ids = await lookup(admin);
  const id = ids.user('fc_clerk').id;
  await admin.get(`/api/v1/users/${id}`);
  const samples = await settle((s) => s, (s) => s.some((x) => x.name === 'jiefen_http_requests_total' && x.labels.route === '/api/v1/users/{id}'));
  const routes = new Set(samples.filter((s) => s.name === 'jiefen_http_requests_total').map((s) => s.labels.route));
  assert.ok(routes.has('/api/v1/users/{id}'), `routes: ${[...routes].join(', ')}`);
  assert.ok(![...routes].some((r) => r.includes(`/${id}`)), `a concrete id in a route label: ${[...routes].join(', ')}`);
});

test('unknown paths do not create one metric series each', async () => {
  for (let i = 0; i < 3; i++) await fetch(`${srv.url}/api/v1/nope-${i}-${Date.now()}`);
  const { samples } = await metrics();
  const routes = samples.filter((s) => s.name === 'jiefen_http_requests_total').map((s) => s.labels.route);
  assert.ok(!routes.some((r) => r.includes('nope-')), `raw unknown paths in route labels: ${routes.join(', ')}`);
});

test('every response, the app page included, carries a CSP without inline script and with frame-ancestors none', async () => {
  const { createHash } = await import('node:crypto');
  const { readFileSync } = await import('node:fs');
  for (const path of ['/', '/cases/12', '/healthz', '/api/v1/session']) {
    const r = await fetch(`${srv.url}${path}`);
    const csp = r.headers.get('content-security-policy') || '';
    const script = (csp.match(/script-src ([^;]*)/) || [])[1] || '';
    assert.ok(script.includes("'self'"), `${path}: ${csp}`);
    assert.ok(!script.includes("'unsafe-inline'"), `${path}: inline script allowed: ${csp}`);
    assert.match(csp, /frame-ancestors 'none'/, path);
    assert.match(csp, /object-src 'none'/, path);
    assert.equal(r.headers.get('x-frame-options'), 'DENY', path);
  }
  // The one inline script, the import map, is allowed by its hash, and only it.
  const page = readFileSync(new URL('../../web/index.html', import.meta.url), 'utf8');
  const map = page.match(/<script type="importmap">([\s\S]*?)<\/script>/)[1];
  const hash = createHash('sha256').update(map, 'utf8').digest('base64');
  const csp = (await fetch(`${srv.url}/`)).headers.get('content-security-policy');
  assert.ok(csp.includes(`'sha256-${hash}'`), `the import map's hash is in ${csp}`);
  assert.equal((page.match(/<script(?![^>]*\bsrc=)[^>]*>/g) || []).length, 1, 'no other inline script in index.html');
});
