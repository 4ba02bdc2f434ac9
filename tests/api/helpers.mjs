// Shared helpers of the API suite (not a test file: the runner only picks up *.test.mjs).
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, Client, DEMO_PASSWORD } from '../lib/server.mjs';

export { startServer, Client, DEMO_PASSWORD };

export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const NO_SUCH_ID = 987654321;

let seq = 0;
/** A name unique within this process, ASCII, usable as a login. */
export function uniq(prefix = 't') {
  seq += 1;
  return `${prefix}_${process.pid}_${seq}`;
}

/** A unique 12-digit region code under the given 12-digit parent code (last 3 digits vary). */
let codeSeq = 100;
export function childCode(parentCode, level) {
  codeSeq += 1;
  const n = String(codeSeq).padStart(3, '0');
  // village under township: replace last 3 digits; township under county: digits 7-9.
  if (level === 'township') return parentCode.slice(0, 6) + n + '000';
  return parentCode.slice(0, 9) + n;
}

/** Asserts res is an RFC 9457 problem of the given status and slug; returns the body. */
export function assertProblem(res, status, slug, what = '') {
  const ctx = `${what ? what + ': ' : ''}expected ${status} ${slug}, got ${res.status} ${res.text.slice(0, 400)}`;
  assert.equal(res.status, status, ctx);
  const ct = res.headers.get('content-type') || '';
  assert.ok(ct.startsWith('application/problem+json'), `${ctx}\ncontent-type was ${ct}`);
  assert.ok(res.data && typeof res.data === 'object', ctx);
  assert.equal(res.data.type, `urn:jiefen:problem:${slug}`, ctx);
  assert.equal(res.data.status, status, ctx);
  assert.equal(typeof res.data.title, 'string', ctx);
  return res.data;
}

/** Asserts a 400 validation problem; returns {field: code} (first code per field). */
export function assertValidation(res, what = '') {
  const p = assertProblem(res, 400, 'validation', what);
  assert.ok(Array.isArray(p.errors) && p.errors.length > 0, `${what}: errors[] missing: ${res.text}`);
  const out = {};
  for (const e of p.errors) {
    assert.equal(typeof e.field, 'string', `error without field: ${JSON.stringify(e)}`);
    assert.equal(typeof e.code, 'string', `error without code: ${JSON.stringify(e)}`);
    assert.equal(typeof e.message, 'string', `error without message: ${JSON.stringify(e)}`);
    if (!(e.field in out)) out[e.field] = e.code;
  }
  return out;
}

/**
 * A reference to an out-of-scope or missing object in a body: the contract's validation
 * error with code not_found on that field, or (also accepted) a plain 404 problem.
 */
export function assertRefRejected(res, field, what = '') {
  if (res.status === 404) { assertProblem(res, 404, 'not-found', what); return; }
  const errs = assertValidation(res, what);
  assert.equal(errs[field], 'not_found', `${what}: expected ${field}/not_found, got ${res.text}`);
}

/** Asserts a 2xx status with a readable message. */
export function assertStatus(res, status, what = '') {
  assert.equal(res.status, status, `${what ? what + ': ' : ''}expected ${status}, got ${res.status} ${res.text.slice(0, 400)}`);
}

/** Asserts a paged list answer and returns it. */
export function assertPage(res, what = '') {
  assertStatus(res, 200, what);
  const d = res.data;
  assert.ok(d && Array.isArray(d.items), `${what}: no items[]: ${res.text.slice(0, 300)}`);
  assert.equal(typeof d.total, 'number', `${what}: total missing`);
  assert.equal(typeof d.page, 'number', `${what}: page missing`);
  assert.equal(typeof d.per_page, 'number', `${what}: per_page missing`);
  return d;
}

/** Logs in a new client; asserts success. */
export async function loginAs(url, login, password = DEMO_PASSWORD) {
  const c = new Client(url);
  const r = await c.login(login, password);
  assertStatus(r, 201, `login ${login}`);
  return c;
}

/** A client authenticated only by a bearer token. */
export function bearerClient(url, token) {
  const c = new Client(url);
  c.bearer = token;
  return c;
}

/** Every item of a paged list (follows pages with per_page=500). */
export async function listAll(client, path) {
  const items = [];
  const sep = path.includes('?') ? '&' : '?';
  for (let page = 1; page < 100; page++) {
    const d = assertPage(await client.get(`${path}${sep}per_page=500&page=${page}`), `GET ${path}`);
    items.push(...d.items);
    if (d.items.length === 0 || items.length >= d.total) break;
  }
  return items;
}

/**
 * Looks up the demo data by natural keys through the API as the given (top admin) client:
 * regions by code, organizations by name, users by login.
 */
export async function lookup(admin) {
  const regions = {};
  const roots = assertPage(await admin.get('/api/v1/regions'), 'GET /api/v1/regions').items;
  const queue = [...roots];
  while (queue.length) {
    const r = queue.shift();
    regions[r.code] = r;
    if (r.level !== 'grid') queue.push(...await listAll(admin, `/api/v1/regions?parent_id=${r.id}`));
  }
  const orgs = {};
  for (const o of await listAll(admin, '/api/v1/organizations')) orgs[o.name] = o;
  const users = {};
  for (const u of await listAll(admin, '/api/v1/users')) users[u.login] = u;
  const need = (map, key, kind) => {
    assert.ok(map[key], `demo ${kind} ${key} not found`);
    return map[key];
  };
  return {
    regions, orgs, users,
    region: (code) => need(regions, code, 'region'),
    org: (name) => need(orgs, name, 'organization'),
    user: (login) => need(users, login, 'user'),
  };
}

export const R = {
  mianyang: '510700000000',
  fucheng: '510703000000',
  chengxiang: '510703001000',
  dongjie: '510703001003',
  xijie: '510703001008',
  gongqu: '510703003000',
};
export const O = {
  mianyangCenter: '绵阳市社会矛盾纠纷调处化解中心',
  fuchengCenter: '涪城区社会矛盾纠纷调处化解中心',
  cxCenter: '城厢街道社会矛盾纠纷调处化解中心',
  cxCommittee: '城厢街道人民调解委员会',
  djCommittee: '警钟街社区人民调解委员会',
  xjCommittee: '解放街社区人民调解委员会',
  gqCommittee: '工区街道人民调解委员会',
};

/**
 * Raw HTTP request with node:http (for bodies fetch cannot send well, e.g. very large ones):
 * resolves with the response even if the server answers before reading the whole body.
 */
export function rawRequest(url, { method = 'POST', path, headers = {}, body = '' }) {
  return new Promise((resolve, reject) => {
    const u = new URL(path, url);
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
    const req = http.request({
      host: u.hostname, port: u.port, path: u.pathname + u.search, method,
      headers: { 'content-length': buf.length, ...headers },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let data = null;
        if ((res.headers['content-type'] || '').includes('json') && text) {
          try { data = JSON.parse(text); } catch { data = null; }
        }
        resolve({ status: res.statusCode, headers: new Headers(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)])), text, data });
      });
      res.on('error', reject);
    });
    let answered = false;
    req.on('response', () => { answered = true; });
    req.on('error', (e) => { if (!answered) reject(e); });
    req.end(buf);
  });
}

/** Audit entries matching the query, as the given admin client. */
export async function audit(admin, query) {
  const qs = new URLSearchParams({ per_page: '500', ...query }).toString();
  return assertPage(await admin.get(`/api/v1/audit?${qs}`), `GET /api/v1/audit?${qs}`).items;
}
