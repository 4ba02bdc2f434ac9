// Shared helpers of the API suite (not a test file: the runner only picks up *.test.mjs).
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import net from 'node:net';
import { execFileSync } from 'node:child_process';
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

/**
 * A unique 12-digit region code under the given 12-digit parent code (last 3 digits vary).
 * Uses 9xx, which the national division codes of 涪城区 leave unused, so it never collides
 * with the real tree the demo ships.
 */
let codeSeq = 900;
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
 * regions by code down to the villages (grids: list a village's children), organizations by
 * name, users by login.
 */
export async function lookup(admin) {
  const regions = {};
  const roots = assertPage(await admin.get('/api/v1/regions'), 'GET /api/v1/regions').items;
  const queue = [...roots];
  while (queue.length) {
    const r = queue.shift();
    regions[r.code] = r;
    if (r.level !== 'grid' && r.level !== 'village') queue.push(...await listAll(admin, `/api/v1/regions?parent_id=${r.id}`));
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

/** Today's date (YYYY-MM-DD) in UTC and in China (Asia/Shanghai): the server's "today" is one of them. */
export function todayCandidates() {
  const utc = new Date().toISOString().slice(0, 10);
  const cn = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  return [...new Set([utc, cn])];
}

/** Uploads a raw file (Buffer or string) with the given content type. */
export function upload(client, path, body, contentType = 'text/csv') {
  return client.request('POST', path, { body, headers: { 'content-type': contentType } });
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** GET returning the body as a Buffer (for exports). */
export async function getBinary(client, path) {
  const h = {};
  if (client.cookie) h.cookie = client.cookie;
  if (client.bearer) h.authorization = `Bearer ${client.bearer}`;
  const res = await fetch(client.base + path, { headers: h });
  const body = Buffer.from(await res.arrayBuffer());
  let data = null;
  if ((res.headers.get('content-type') || '').includes('json')) { try { data = JSON.parse(body.toString('utf8')); } catch { data = null; } }
  return { status: res.status, headers: res.headers, body, text: body.toString('utf8'), data };
}

/** A CSV file (RFC 4180 quoting) from rows of cells. */
export function csv(rows, { bom = false } = {}) {
  const cell = (v) => {
    const t = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
  };
  return (bom ? '\ufeff' : '') + rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Parses CSV text (RFC 4180) into rows of strings; a leading BOM is dropped. */
export function parseCsv(text) {
  const rows = [];
  let row = [], cur = '', q = false;
  const t = text.replace(/^\ufeff/, '');
  for (let i = 0; i < t.length; i++) {
    const ch = t[i];
    if (q) {
      if (ch === '"' && t[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') q = false; else cur += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') { row.push(cur); cur = ''; } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && t[i + 1] === '\n') i++;
      row.push(cur); rows.push(row); row = []; cur = '';
    } else cur += ch;
  }
  if (cur !== '' || row.length) { row.push(cur); rows.push(row); }
  return rows;
}

// ---- minimal ZIP / XLSX, enough to write fixtures as Excel does (deflated parts, shared
// strings) and to read the workbooks the server exports.

function zip(files) {
  const locals = [], centrals = [];
  let offset = 0;
  for (const [name, content] of files) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    const packed = zlib.deflateRawSync(data);
    const crc = zlib.crc32(data);
    const nameBuf = Buffer.from(name, 'utf8');
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0); lh.writeUInt16LE(20, 4); lh.writeUInt16LE(0x0800, 6); lh.writeUInt16LE(8, 8);
    lh.writeUInt16LE(0, 10); lh.writeUInt16LE(0x21, 12); lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(packed.length, 18); lh.writeUInt32LE(data.length, 22); lh.writeUInt16LE(nameBuf.length, 26); lh.writeUInt16LE(0, 28);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0); ch.writeUInt16LE(20, 4); ch.writeUInt16LE(20, 6); ch.writeUInt16LE(0x0800, 8); ch.writeUInt16LE(8, 10);
    ch.writeUInt16LE(0, 12); ch.writeUInt16LE(0x21, 14); ch.writeUInt32LE(crc, 16); ch.writeUInt32LE(packed.length, 20);
    ch.writeUInt32LE(data.length, 24); ch.writeUInt16LE(nameBuf.length, 28); ch.writeUInt32LE(offset, 42);
    locals.push(lh, nameBuf, packed);
    centrals.push(ch, nameBuf);
    offset += 30 + nameBuf.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(files.length, 8); end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** The entries of a ZIP file: {name: Buffer}. */
export function unzip(buf) {
  let e = buf.length - 22;
  while (e >= 0 && buf.readUInt32LE(e) !== 0x06054b50) e--;
  if (e < 0) throw new Error('not a zip file (no end of central directory)');
  const n = buf.readUInt16LE(e + 10);
  let p = buf.readUInt32LE(e + 16);
  const out = {};
  for (let i = 0; i < n; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad zip central directory');
    const method = buf.readUInt16LE(p + 10), csize = buf.readUInt32LE(p + 20);
    const nlen = buf.readUInt16LE(p + 28), xlen = buf.readUInt16LE(p + 30), clen = buf.readUInt16LE(p + 32);
    const lho = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nlen);
    const start = lho + 30 + buf.readUInt16LE(lho + 26) + buf.readUInt16LE(lho + 28);
    const raw = buf.subarray(start, start + csize);
    out[name] = method === 0 ? Buffer.from(raw) : zlib.inflateRawSync(raw);
    p += 46 + nlen + xlen + clen;
  }
  return out;
}

const xmlEsc = (t) => String(t).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const colName = (i) => { let s = ''; i += 1; while (i > 0) { const m = (i - 1) % 26; s = String.fromCharCode(65 + m) + s; i = Math.floor((i - 1) / 26); } return s; };

/** An XLSX workbook with one sheet as Excel writes it: strings in sharedStrings.xml, numbers as numbers. */
export function xlsx(rows, sheetName = 'Sheet1') {
  const strings = [], index = new Map();
  const si = (t) => { if (!index.has(t)) { index.set(t, strings.length); strings.push(t); } return index.get(t); };
  const sheetRows = rows.map((r, ri) => `<row r="${ri + 1}">${r.map((v, ci) => {
    const ref = `${colName(ci)}${ri + 1}`;
    if (v === null || v === undefined || v === '') return '';
    if (typeof v === 'number') return `<c r="${ref}"><v>${v}</v></c>`;
    return `<c r="${ref}" t="s"><v>${si(String(v))}</v></c>`;
  }).join('')}</row>`).join('');
  const X = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
  const M = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const P = 'http://schemas.openxmlformats.org/package/2006/relationships';
  return zip([
    ['[Content_Types].xml', `${X}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`],
    ['_rels/.rels', `${X}<Relationships xmlns="${P}"><Relationship Id="rId1" Type="${R}/officeDocument" Target="xl/workbook.xml"/></Relationships>`],
    ['xl/workbook.xml', `${X}<workbook xmlns="${M}" xmlns:r="${R}"><sheets><sheet name="${xmlEsc(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`],
    ['xl/_rels/workbook.xml.rels', `${X}<Relationships xmlns="${P}"><Relationship Id="rId1" Type="${R}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${R}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`],
    ['xl/worksheets/sheet1.xml', `${X}<worksheet xmlns="${M}"><sheetData>${sheetRows}</sheetData></worksheet>`],
    ['xl/sharedStrings.xml', `${X}<sst xmlns="${M}" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((t) => `<si><t xml:space="preserve">${xmlEsc(t)}</t></si>`).join('')}</sst>`],
  ]);
}

const xmlUnesc = (t) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'")
  .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d))).replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16))).replace(/&amp;/g, '&');

/** Reads the first worksheet of an XLSX file into rows of strings (shared and inline strings, numbers). */
export function readXlsx(buf) {
  const files = unzip(buf);
  const shared = [];
  if (files['xl/sharedStrings.xml']) {
    for (const m of files['xl/sharedStrings.xml'].toString('utf8').matchAll(/<si>([\s\S]*?)<\/si>/g)) {
      shared.push([...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((x) => xmlUnesc(x[1])).join(''));
    }
  }
  const sheetName = Object.keys(files).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n)).sort()[0];
  if (!sheetName) throw new Error(`no worksheet in ${Object.keys(files).join(', ')}`);
  const xml = files[sheetName].toString('utf8');
  const rows = [];
  for (const rm of xml.matchAll(/<row\b[^>]*?(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    const row = [];
    for (const cm of (rm[1] || '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = cm[1], inner = cm[2] || '';
      const ref = (attrs.match(/r="([A-Z]+)\d+"/) || [])[1];
      let col = row.length;
      if (ref) { col = 0; for (const ch of ref) col = col * 26 + (ch.charCodeAt(0) - 64); col -= 1; }
      const t = (attrs.match(/t="([^"]+)"/) || [])[1];
      const v = (inner.match(/<v>([\s\S]*?)<\/v>/) || [])[1];
      let val = '';
      if (t === 's') val = shared[Number(v)] ?? '';
      else if (t === 'inlineStr') val = [...inner.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((x) => xmlUnesc(x[1])).join('');
      else if (v !== undefined) val = xmlUnesc(v);
      while (row.length < col) row.push('');
      row[col] = val;
    }
    rows.push(row);
  }
  return rows;
}

/**
 * A request over a bare socket that reads the answer even when the server closes the
 * connection before the whole body was sent (as it may for a 413): write errors are ignored,
 * the status line and body are taken from whatever the server sent before closing.
 */
export function socketRequest(url, { method = 'POST', path, headers = {}, body = '' }) {
  return new Promise((resolve, reject) => {
    const u = new URL(path, url);
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
    const sock = net.connect(Number(u.port), u.hostname);
    const chunks = [];
    sock.on('data', (d) => chunks.push(d));
    sock.on('error', () => {});
    sock.on('close', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const m = raw.match(/^HTTP\/1\.[01] (\d{3})/);
      if (!m) { reject(new Error(`no HTTP answer: ${JSON.stringify(raw.slice(0, 200))}`)); return; }
      const [head, ...rest] = raw.split('\r\n\r\n');
      const h = new Headers();
      for (const line of head.split('\r\n').slice(1)) { const i = line.indexOf(':'); if (i > 0) h.append(line.slice(0, i).trim(), line.slice(i + 1).trim()); }
      const text = rest.join('\r\n\r\n');
      let data = null;
      if ((h.get('content-type') || '').includes('json')) { try { data = JSON.parse(text); } catch { data = null; } }
      resolve({ status: Number(m[1]), headers: h, text, data });
    });
    sock.on('connect', () => {
      const lines = [`${method} ${u.pathname}${u.search} HTTP/1.1`, `Host: ${u.host}`, 'Connection: close', `Content-Length: ${buf.length}`,
        ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
      sock.write(lines.join('\r\n') + '\r\n\r\n');
      sock.end(buf);
    });
  });
}

// ---- cases (案件)

/** A valid 18-character resident ID number (GB 11643 check character), unique per call. */
let idSeq = 0;
export function residentId(region = '510703', birth = '19800101') {
  idSeq += 1;
  const body = `${region}${birth}${String((process.pid * 7 + idSeq) % 1000).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

/** The same ID number with a wrong check character. */
export function badCheckDigit(id) {
  const c = '10X98765432'.split('').find((x) => x !== id[17]);
  return id.slice(0, 17) + c;
}

/** A mainland mobile number (11 digits, 139...) unique within this process. */
let phoneSeq = 0;
export function mobile() {
  phoneSeq += 1;
  return '139' + String((process.pid * 1000 + phoneSeq) % 1e8).padStart(8, '0');
}

export const CASE_NUMBER = /^（\d{4}）涪城人调字第\d{4}号$/;

/** Every case action, in the order the state machine declares them. */
export const CASE_ACTIONS = ['accept', 'reject', 'refer', 'feedback', 'assign', 'record_session', 'change_method', 'escalate',
  'suspend', 'resume', 'agree', 'fail', 'review_failure', 'withdraw', 'close', 'return_visit', 'reopen', 'archive', 'extend', 'merge',
  'reroute', 'invite_experts'];

/**
 * The state machine of docs/case-states.md with the roles of docs/api-contract-cases.md (and
 * the table in src/core/case_fsm.c): from-states and roles per action.
 */
const FRONT = ['clerk', 'dispatcher', 'admin'];
const TRIAGE = ['dispatcher', 'admin'];
const HANDLERS = ['mediator', 'dispatcher', 'supervisor'];
export const CASE_FSM = {
  accept: { from: ['registered'], roles: FRONT },
  reject: { from: ['registered'], roles: TRIAGE },
  refer: { from: ['registered', 'accepted', 'failed'], roles: [...TRIAGE, 'supervisor'] },
  feedback: { from: ['referred'], roles: [...TRIAGE, 'supervisor', 'clerk'] },
  assign: { from: ['accepted', 'assigned'], roles: TRIAGE },
  record_session: { from: ['assigned', 'mediating'], roles: ['mediator'], hold: true },
  change_method: { from: ['assigned', 'mediating'], roles: HANDLERS, hold: true },
  escalate: { from: ['accepted', 'assigned', 'mediating'], roles: HANDLERS, hold: true },
  suspend: { from: ['assigned', 'mediating'], roles: HANDLERS, hold: true },
  resume: { from: ['suspended'], roles: HANDLERS, hold: true },
  agree: { from: ['mediating'], roles: ['mediator'], hold: true },
  fail: { from: ['mediating'], roles: ['mediator'], hold: true },
  review_failure: { from: ['failed'], roles: ['supervisor'] },
  withdraw: { from: ['registered', 'accepted', 'assigned', 'mediating', 'suspended'], roles: [...FRONT, 'mediator'], hold: true },
  close: { from: ['agreed', 'failed', 'withdrawn', 'rejected', 'referred'], roles: [...HANDLERS, 'admin'] },
  return_visit: { from: ['closed'], roles: [...HANDLERS, 'grid_worker'] },
  reopen: { from: ['closed'], roles: [...TRIAGE, 'supervisor'] },
  archive: { from: ['closed'], roles: ['clerk', 'supervisor', 'admin'] },
  extend: { from: ['accepted', 'assigned', 'mediating'], roles: ['dispatcher', 'supervisor'] },
  merge: { from: ['registered', 'accepted'], roles: TRIAGE },
  reroute: { from: ['accepted', 'assigned'], roles: [...TRIAGE, 'supervisor'] },
  invite_experts: { from: ['assigned', 'mediating'], roles: HANDLERS, hold: true },
};

/**
 * The actions a holder of `roles` may take on case `k` (as GET /cases/{id} shows it), in order.
 * `holds`: the caller answers for the case (四定三包: its mediator, responsible person or unit
 * head); handling actions are theirs alone once a unit holds the case.
 */
export function expectedActions(k, roles, holds = true) {
  return CASE_ACTIONS.filter((a) => {
    const t = CASE_FSM[a];
    if (!t.from.includes(k.state) || !t.roles.some((r) => roles.includes(r))) return false;
    if (t.hold && k.resp_org_id && !holds) return false;
    if (a === 'escalate') return k.level !== 'city' && k.level !== 'province' && (k.urgent || k.sessions_at_level >= 3);
    if (a === 'close' && k.state === 'failed') return k.failure_reviewed;
    if (a === 'close' && k.state === 'referred') return k.feedback_recorded;
    if (a === 'review_failure') return !k.failure_reviewed;
    if (a === 'extend') return !k.extended;
    return true;
  });
}

/** Asserts a 409 transition problem with the given reason; returns the body. */
export function assertRefused(res, reason, what = '') {
  const ctx = `${what ? what + ': ' : ''}expected 409 transition/${reason}, got ${res.status} ${res.text.slice(0, 400)}`;
  assert.equal(res.status, 409, ctx);
  assert.ok((res.headers.get('content-type') || '').startsWith('application/problem+json'), ctx);
  assert.equal(res.data?.type, 'urn:jiefen:problem:transition', ctx);
  assert.equal(res.data.status, 409, ctx);
  assert.equal(typeof res.data.title, 'string', ctx);
  assert.equal(res.data.reason, reason, ctx);
  assert.ok(Array.isArray(res.data.allowed), `${ctx}: allowed[] missing`);
  return res.data;
}

/** Text of a JSON value holding no full ID number (18 characters) or mobile/landline number. */
export function findUnmasked(text) {
  return [...text.matchAll(/(?<![\dA-Za-z])(\d{17}[\dXx]|1[3-9]\d{9}|0\d{9,11})(?![\dA-Za-z])/g)].map((m) => m[0]);
}

/**
 * Runs SQL on a test server's database (`srv.db`) with the sqlite3 or psql shell and returns
 * its output (rows as lines, columns joined by "|"): for what the API cannot do, such as
 * dating an event back as time passing would, or counting rows after the server was killed.
 */
export function sqlOn(db, sql) {
  const [flag, target] = db.args;
  // The server may be writing (the group writer's audit rows after a GET): wait for its
  // lock as the server's own connections do, instead of failing with "database is locked".
  if (flag === '--db') return execFileSync('sqlite3', ['-cmd', '.timeout 10000', target, sql], { encoding: 'utf8' });
  const kv = Object.fromEntries(target.split(' ').map((p) => p.split('=')));
  return execFileSync('psql', ['-h', kv.host, '-U', kv.user, '-d', kv.dbname, '-tAc', sql], { encoding: 'utf8' });
}
