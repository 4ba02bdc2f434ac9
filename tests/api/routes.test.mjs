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

let srv, admin, ids, caseId;
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
  // A case, so that the GETs below /api/v1/cases/{id} have an object to answer about.
  const c = await admin.post('/api/v1/cases', {
    channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: '路由测试案件', region_id: ids.region('510703001003').id,
    parties: [{ role: 'applicant', name: '路由申请人' }],
  });
  assert.equal(c.status, 201, `POST /api/v1/cases: ${c.text}`);
  caseId = c.data.id;
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
  for (const s of ['Problem', 'User', 'Region', 'Organization', 'Token', 'AuditEntry',
    'Mediator', 'Expert', 'GridWorker', 'RoutingRule', 'RoutingPreview', 'CatalogueItem', 'CalendarDay',
    'SensitivePeriod', 'ImportPreview', 'PublicRoster',
    'Case', 'Party', 'CaseIntake', 'TransitionRequest', 'TransitionProblem', 'TimelineEvent', 'AllowedActions']) {
    assert.ok(spec.components.schemas[s], `components.schemas.${s} missing`);
  }
  assert.ok(spec.components.schemas.Problem.properties.errors, 'Problem.errors missing');
  assert.equal(spec.components.securitySchemes.cookieAuth?.name, 'jiefen_session');
  assert.equal(spec.components.securitySchemes.csrfToken?.name, 'X-CSRF-Token');
  assert.equal(spec.components.securitySchemes.bearerAuth?.scheme, 'bearer');
});

test('imports take the raw file as CSV or XLSX; exports answer with their media types', () => {
  const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  const resolve = (o) => (o && o.$ref ? o.$ref.replace(/^#\//, '').split('/').reduce((c, k) => c[k], spec) : o);
  for (const p of ['/api/v1/imports/{kind}', '/api/v1/imports/{kind}/preview']) {
    const body = resolve(spec.paths[p]?.post?.requestBody);
    assert.ok(body, `${p}: no requestBody`);
    assert.deepEqual(Object.keys(body.content).sort(), [XLSX, 'text/csv'].sort(), p);
  }
  const exp = spec.paths['/api/v1/exports/{file}']?.get?.responses['200'].content;
  assert.ok(exp?.[XLSX] && exp?.['text/csv'], 'export media types');
  for (const p of ['/api/v1/public/roster', '/api/v1/public/regions', '/api/v1/public/catalogue']) {
    assert.deepEqual(spec.paths[p]?.get?.security, [], `${p} must need no login`);
  }
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

/**
 * A concrete URL for a documented GET path: ids come from the collection's first item (or a
 * demo object), path parameters other than ids and required query parameters from samples.
 * Null when no such object exists.
 */
async function concreteGet(path) {
  const fixed = {
    '/api/v1/users/{id}': `/api/v1/users/${ids.user('fc_clerk').id}`,
    '/api/v1/regions/{id}': `/api/v1/regions/${ids.region('510703001000').id}`,
    '/api/v1/regions/{id}/ancestors': `/api/v1/regions/${ids.region('510703001003').id}/ancestors`,
    '/api/v1/regions/{id}/alert-recipients': `/api/v1/regions/${ids.region('510703001000').id}/alert-recipients`,
    '/api/v1/organizations/{id}': `/api/v1/organizations/${ids.org('城厢街道人民调解委员会').id}`,
    '/api/v1/calendar/add': '/api/v1/calendar/add?from=2026-09-30&days=3&kind=business',
    '/api/v1/calendar': '/api/v1/calendar?year=2026',
    '/api/v1/exports/{file}': '/api/v1/exports/organizations.xlsx',
    '/api/v1/ledger': '/api/v1/ledger?from=2026-01-01&to=2026-12-31',
    '/api/v1/cases/{id}/transitions': caseId ? `/api/v1/cases/${caseId}/transitions` : null,
    '/api/v1/cases/{id}/timeline': caseId ? `/api/v1/cases/${caseId}/timeline` : null,
    '/api/v1/people/export': `/api/v1/people/export?id_number=110101199003074573&reason=${encodeURIComponent('本人申请查阅')}`,
    // Partner tokens only (an administrator is refused): tests/api/notify.test.mjs.
    '/api/v1/partner/referrals': null,
  };
  if (path in fixed) return fixed[path];
  if (!path.includes('{')) return path;
  const m = path.match(/^(.*)\/\{id\}$/);
  if (!m) return null;
  const first = (await admin.get(`${m[1]}?per_page=1`)).data?.items?.[0];
  return first ? `${m[1]}/${first.id}` : null;
}

test('documented success status of each GET operation is what the server answers', async () => {
  const wrong = [];
  const skipped = [];
  for (const [, { method, path, op }] of documented()) {
    if (method !== 'GET') continue;
    const concrete = await concreteGet(path);
    if (!concrete) { skipped.push(path); continue; }
    const expected = Number(Object.keys(op.responses).find((s) => /^2\d\d$/.test(s)));
    const res = await admin.get(concrete);
    if (res.status !== expected) wrong.push(`GET ${concrete}: documented ${expected}, got ${res.status} ${res.text.slice(0, 200)}`);
  }
  assert.deepEqual(wrong, [], wrong.join('\n'));
});

test('documented success status of the write operations is what the server answers', async () => {
  const doc = documented();
  const got = [];
  const status = (m, p) => {
    const d = doc.get(norm(m, p));
    if (!d) { got.push(`${m} ${p}: not in docs/openapi.yaml`); return null; }
    return Number(Object.keys(d.op.responses).find((s) => /^2\d\d$/.test(s)));
  };
  const check = (m, p, res) => {
    const want = status(m, p);
    if (want !== null && res.status !== want) got.push(`${m} ${p}: documented ${want}, got ${res.status} ${res.text.slice(0, 200)}`);
    return res;
  };

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
  const region = check('POST', '/api/v1/regions', await admin.post('/api/v1/regions', { code: '5107030039' + String(process.pid % 100).padStart(2, '0'), name: '路由社区', level: 'village', parent_id: ids.region('510703003000').id }));
  if (region.data?.id) check('PATCH', '/api/v1/regions/{id}', await admin.patch(`/api/v1/regions/${region.data.id}`, { population: 4321 }));
  if (region.data?.id) check('PUT', '/api/v1/regions/{id}/alert-recipients', await admin.request('PUT', `/api/v1/regions/${region.data.id}/alert-recipients`, { json: { recipients: [{ user_id: ids.user('fc_leader').id, duty: 'lead_leader' }] } }));

  // registry
  const committee = ids.org('工区街道人民调解委员会').id;
  const med = check('POST', '/api/v1/mediators', await admin.post('/api/v1/mediators', { name: '路由调解员', mediator_type: 'part_time', grade: 'junior', specialties: ['neighbour'], org_ids: [committee] }));
  if (med.data?.id) check('PATCH', '/api/v1/mediators/{id}', await admin.patch(`/api/v1/mediators/${med.data.id}`, { grade: 'intermediate' }));
  const exp = check('POST', '/api/v1/experts', await admin.post('/api/v1/experts', { name: '路由专家', specialty: 'law', region_id: ids.region('510703000000').id }));
  if (exp.data?.id) check('PATCH', '/api/v1/experts/{id}', await admin.patch(`/api/v1/experts/${exp.data.id}`, { availability: 'busy' }));
  const grids = (await admin.get(`/api/v1/regions?parent_id=${ids.region('510703001003').id}`)).data?.items || [];
  const grid = grids.find((g) => g.level === 'grid');
  if (grid) {
    const gw = check('POST', '/api/v1/grid-workers', await admin.post('/api/v1/grid-workers', { name: '路由网格员', grid_id: grid.id }));
    if (gw.data?.id) check('PATCH', '/api/v1/grid-workers/{id}', await admin.patch(`/api/v1/grid-workers/${gw.data.id}`, { name: '路由网格员二' }));
  } else got.push('no grid under 警钟街社区 to test POST /api/v1/grid-workers');
  const item = check('POST', '/api/v1/catalogue', await admin.post('/api/v1/catalogue', { name: `路由事项${process.pid}`, documents: [] }));
  if (item.data?.id) {
    check('PATCH', '/api/v1/catalogue/{id}', await admin.patch(`/api/v1/catalogue/${item.data.id}`, { time_limit: '15个工作日' }));
    check('DELETE', '/api/v1/catalogue/{id}', await admin.del(`/api/v1/catalogue/${item.data.id}`));
  }
  const rule = check('POST', '/api/v1/routing/rules', await admin.post('/api/v1/routing/rules', {
    name: '路由测试规则', region_id: ids.region('510703003000').id, category: 'campus', complexity: 'difficult', region_level: 'township',
    management_level: 'county', department: 'center', method: 'people_mediation', time_limit_days: 15, time_limit_kind: 'business',
  }));
  if (rule.data?.id) {
    check('PATCH', '/api/v1/routing/rules/{id}', await admin.patch(`/api/v1/routing/rules/${rule.data.id}`, { enabled: false }));
    check('DELETE', '/api/v1/routing/rules/{id}', await admin.del(`/api/v1/routing/rules/${rule.data.id}`));
  }
  check('POST', '/api/v1/routing/preview', await admin.post('/api/v1/routing/preview', { category: 'neighbour', region_id: ids.region('510703001003').id, complexity: 'simple' }));
  check('PUT', '/api/v1/calendar/{date}', await admin.request('PUT', '/api/v1/calendar/2027-06-01', { json: { kind: 'holiday', name: '路由测试' } }));
  check('DELETE', '/api/v1/calendar/{date}', await admin.del('/api/v1/calendar/2027-06-01'));
  const period = check('POST', '/api/v1/sensitive-periods', await admin.post('/api/v1/sensitive-periods', { name: '路由测试', start: '2027-03-01', end: '2027-03-15', region_ids: [ids.region('510703000000').id] }));
  if (period.data?.id) {
    check('PATCH', '/api/v1/sensitive-periods/{id}', await admin.patch(`/api/v1/sensitive-periods/${period.data.id}`, { note: '两会' }));
    check('DELETE', '/api/v1/sensitive-periods/{id}', await admin.del(`/api/v1/sensitive-periods/${period.data.id}`));
  }
  const file = '名称,类型,区划代码\r\n路由导入工作室' + process.pid + ',studio,510703003000\r\n';
  check('POST', '/api/v1/imports/{kind}/preview', await admin.request('POST', '/api/v1/imports/organizations/preview', { body: file, headers: { 'content-type': 'text/csv' } }));
  check('POST', '/api/v1/imports/{kind}', await admin.request('POST', '/api/v1/imports/organizations', { body: file, headers: { 'content-type': 'text/csv' } }));

  // cases
  const kase = check('POST', '/api/v1/cases', await admin.post('/api/v1/cases', {
    channel: 'phone', category: 'neighbour', complexity: 'simple', facts: '路由写入测试', region_id: ids.region('510703001003').id,
    parties: [{ role: 'applicant', name: '路由申请人二' }],
  }));
  if (kase.data?.id) check('POST', '/api/v1/cases/{id}/transitions', await admin.post(`/api/v1/cases/${kase.data.id}/transitions`, { action: 'accept' }));

  const c = new Client(srv.url);
  check('POST', '/api/v1/session', await c.login('fc_clerk'));
  check('DELETE', '/api/v1/session', await c.del('/api/v1/session'));
  assert.deepEqual(got, [], got.join('\n'));
});
