// The routes the server registers and the paths in docs/openapi.yaml must be the same set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runCli, ROOT } from '../lib/server.mjs';
import { startServer, Client, loginAs, lookup } from './helpers.mjs';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const spec = parse(readFileSync(join(ROOT, 'docs', 'openapi.yaml'), 'utf8'));

/** Parameter names do not matter for equality: /users/{id} == /users/{user_id}. */
const norm = (method, path) => `${method.toUpperCase()} ${path.replace(/\{[^}]*\}/g, '{}')}`;

function documented() {
  const out = new Map();
  for (const [path, item] of Object.entries(spec.paths || {})) {
    for (const m of METHODS) if (item[m]) out.set(norm(m, path), { method: m.toUpperCase(), path, op: item[m] });
  }
  return out;
}

let srv, admin, ids;
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
});
after(async () => { await srv?.stop(); });

test('openapi.yaml is OpenAPI 3.1 and every $ref resolves', () => {
  assert.match(String(spec.openapi), /^3\.1\./);
  const bad = [];
  (function walk(o, at) {
    if (!o || typeof o !== 'object') return;
    for (const [k, v] of Object.entries(o)) {
      if (k === '$ref' && typeof v === 'string') {
        let cur = spec;
        for (const p of v.replace(/^#\//, '').split('/')) cur = cur?.[p.replace(/~1/g, '/').replace(/~0/g, '~')];
        if (cur === undefined) bad.push(`${at}: ${v}`);
      } else walk(v, `${at}/${k}`);
    }
  })(spec, '#');
  assert.deepEqual(bad, [], `unresolved $refs:\n${bad.join('\n')}`);
  for (const s of ['Problem', 'User', 'Region', 'Organization', 'Token', 'AuditEntry']) {
    assert.ok(spec.components.schemas[s], `components.schemas.${s} missing`);
  }
  assert.ok(spec.components.schemas.Problem.properties.errors, 'Problem.errors missing');
  assert.equal(spec.components.securitySchemes.cookieAuth?.name, 'jiefen_session');
  assert.equal(spec.components.securitySchemes.csrfToken?.name, 'X-CSRF-Token');
  assert.equal(spec.components.securitySchemes.bearerAuth?.scheme, 'bearer');
});

test('every documented operation has an operationId and exactly one success status', () => {
  const problems = [];
  const opIds = new Set();
  for (const [key, { op }] of documented()) {
    if (!op.operationId) problems.push(`${key}: no operationId`);
    else if (opIds.has(op.operationId)) problems.push(`${key}: duplicate operationId ${op.operationId}`);
    opIds.add(op.operationId);
    const ok = Object.keys(op.responses || {}).filter((s) => /^2\d\d$/.test(s));
    if (ok.length !== 1) problems.push(`${key}: success statuses ${JSON.stringify(ok)}`);
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('`jiefen routes` and docs/openapi.yaml list the same routes', () => {
  const r = runCli(['routes']);
  assert.equal(r.status, 0, `jiefen routes failed: ${r.stderr}`);
  const lines = r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  const server = new Map();
  const unparsable = [];
  for (const l of lines) {
    const m = l.match(/^([A-Z]+)\s+(\/\S*)$/);
    if (!m) { unparsable.push(l); continue; }
    server.set(norm(m[1], m[2]), l);
  }
  assert.deepEqual(unparsable, [], `lines of \`jiefen routes\` not of the form "METHOD /path":\n${unparsable.join('\n')}`);
  assert.ok(server.size > 0, '`jiefen routes` printed no routes');
  const doc = documented();
  const missingInDoc = [...server.keys()].filter((k) => !doc.has(k)).map((k) => server.get(k));
  const missingInServer = [...doc.keys()].filter((k) => !server.has(k)).map((k) => `${doc.get(k).method} ${doc.get(k).path}`);
  const msg = [
    missingInDoc.length ? `registered by the server but not in docs/openapi.yaml:\n  ${missingInDoc.join('\n  ')}` : '',
    missingInServer.length ? `in docs/openapi.yaml but not registered by the server:\n  ${missingInServer.join('\n  ')}` : '',
  ].filter(Boolean).join('\n');
  assert.equal(msg, '', msg);
});

test('documented success status of each GET operation is what the server answers', async () => {
  const sample = {
    '/api/v1/users/{id}': ids.user('fc_clerk').id,
    '/api/v1/regions/{id}': ids.region('510703001000').id,
    '/api/v1/organizations/{id}': ids.org('城厢街道人民调解委员会').id,
  };
  const wrong = [];
  for (const [, { method, path, op }] of documented()) {
    if (method !== 'GET') continue;
    let concrete = path;
    if (path.includes('{')) {
      if (!(path in sample)) continue;
      concrete = path.replace(/\{[^}]*\}/, String(sample[path]));
    }
    const expected = Number(Object.keys(op.responses).find((s) => /^2\d\d$/.test(s)));
    const res = await admin.get(concrete);
    if (res.status !== expected) wrong.push(`GET ${concrete}: documented ${expected}, got ${res.status} ${res.text.slice(0, 200)}`);
  }
  assert.deepEqual(wrong, [], wrong.join('\n'));
});

test('documented success status of the write operations is what the server answers', async () => {
  const doc = documented();
  const status = (m, p) => Number(Object.keys(doc.get(norm(m, p)).op.responses).find((s) => /^2\d\d$/.test(s)));
  const got = [];
  const check = (m, p, res) => { if (res.status !== status(m, p)) got.push(`${m} ${p}: documented ${status(m, p)}, got ${res.status} ${res.text.slice(0, 200)}`); };

  const org = await admin.post('/api/v1/organizations', { name: `routes-org-${process.pid}`, type: 'studio', region_id: ids.region('510703003000').id });
  check('POST', '/api/v1/organizations', org);
  if (org.data?.id) check('PATCH', '/api/v1/organizations/{id}', await admin.patch(`/api/v1/organizations/${org.data.id}`, { address: '临园路1号' }));
  const user = await admin.post('/api/v1/users', { login: `routes_u_${process.pid}`, name: '路由测试', password: 'routes-pass-1', roles: ['clerk'], org_id: ids.org('工区街道人民调解委员会').id });
  check('POST', '/api/v1/users', user);
  if (user.data?.id) {
    check('PATCH', '/api/v1/users/{id}', await admin.patch(`/api/v1/users/${user.data.id}`, { name: '路由测试二' }));
    check('POST', '/api/v1/users/{id}/password', await admin.post(`/api/v1/users/${user.data.id}/password`, { password: 'routes-pass-2' }));
    const tok = await admin.post('/api/v1/tokens', { user_id: user.data.id, name: 'routes' });
    check('POST', '/api/v1/tokens', tok);
    if (tok.data?.id) check('DELETE', '/api/v1/tokens/{id}', await admin.del(`/api/v1/tokens/${tok.data.id}`));
  }
  check('POST', '/api/v1/regions', await admin.post('/api/v1/regions', { code: '510703002' + String(process.pid % 1000).padStart(3, '0'), name: '路由社区', level: 'village', parent_id: ids.region('510703003000').id }));
  const c = new Client(srv.url);
  check('POST', '/api/v1/session', await c.login('fc_clerk'));
  check('DELETE', '/api/v1/session', await c.del('/api/v1/session'));
  assert.deepEqual(got, [], got.join('\n'));
});
