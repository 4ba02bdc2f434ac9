// The one client of the jiefen API (docs/api-contract.md). Every screen talks to the server
// through here, so the session cookie, the CSRF header and the problem+json error shape are
// handled once.
//
// The session cookie is HttpOnly, so the script never sees it; it only keeps the csrf_token
// that POST/GET /api/v1/session return and sends it as X-CSRF-Token on every write.

import M from './messages/zh-CN.js';

const BASE = '/api/v1';
const PROBLEM_PREFIX = 'urn:jiefen:problem:';

let csrfToken = null;
let unauthorizedHandler = null;

/** The Retry-After header's delay in seconds (RFC 9110 10.2.3: delay-seconds; an HTTP date
 * is not sent by this server), or 0. */
function retryAfterSeconds(res) {
  const n = Number.parseInt(res.headers.get('Retry-After') || '', 10);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** An API failure: HTTP status, problem slug, detail and the validation errors[] if any. */
export class ApiError extends Error {
  constructor(status, problem, retryAfter = 0) {
    const type = (problem && problem.type) || '';
    const slug = type.startsWith(PROBLEM_PREFIX) ? type.slice(PROBLEM_PREFIX.length) : slugForStatus(status);
    super(M.problems[slug] || M.problems.unknown);
    this.name = 'ApiError';
    this.status = status;
    this.type = type;
    this.slug = slug;
    this.title = (problem && problem.title) || '';
    this.detail = (problem && problem.detail) || '';
    this.errors = Array.isArray(problem && problem.errors) ? problem.errors : [];
    this.problem = problem || null; // the whole body, for members some endpoints add (e.g. rows[])
    this.retryAfter = retryAfter; // seconds from a 429's Retry-After header, 0 when none
  }
}

function slugForStatus(status) {
  switch (status) {
    case 0: return 'network';
    case 400: return 'validation';
    case 401: return 'unauthorized';
    case 403: return 'forbidden';
    case 404: return 'not-found';
    case 409: return 'conflict';
    case 413: return 'payload-too-large';
    case 429: return 'rate-limited';
    case 503: return 'unavailable';
    default: return status >= 500 ? 'internal' : 'unknown';
  }
}

/** Called with the ApiError whenever a request (other than the session calls) answers 401. */
export function onUnauthorized(fn) {
  unauthorizedHandler = fn;
}

function queryString(query) {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    p.append(k, String(v));
  }
  const s = p.toString();
  return s ? '?' + s : '';
}

/**
 * Sends one request. Resolves with the decoded JSON body (null for 204); rejects with an
 * ApiError. `quiet401` keeps a 401 from triggering the unauthorized handler (used by the
 * session calls, where 401 is an expected answer).
 */
export async function request(method, path, { query, body, raw, contentType, quiet401 = false } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  const init = { method, headers, credentials: 'same-origin' };
  if (raw !== undefined) {
    headers['Content-Type'] = contentType;
    init.body = raw;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let res;
  try {
    res = await fetch(BASE + path + queryString(query), init);
  } catch {
    throw new ApiError(0, null);
  }

  let data = null;
  const ct = res.headers.get('Content-Type') || '';
  if (res.status !== 204 && ct.includes('json')) {
    try {
      data = await res.json();
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const err = new ApiError(res.status, data, retryAfterSeconds(res));
    if (res.status === 401 && !quiet401 && unauthorizedHandler) unauthorizedHandler(err);
    throw err;
  }
  return data;
}

export const get = (path, query) => request('GET', path, { query });
export const post = (path, body) => request('POST', path, { body });
export const patch = (path, body) => request('PATCH', path, { body });
export const put = (path, body) => request('PUT', path, { body });
export const del = (path) => request('DELETE', path);

/**
 * Sends a file's bytes as the request body (no multipart), with the Content-Type its kind
 * needs: the import endpoints read the raw CSV or XLSX (docs/api-contract-registry.md), the
 * attachments of a case the file as it is, named in `query` (?name=&kind=).
 */
export function upload(path, file, contentType, query) {
  return request('POST', path, { query, raw: file, contentType });
}

/**
 * Downloads a file the server builds (the ledger, the register's export) and saves it under
 * the name its Content-Disposition gives (RFC 5987 filename*), or `fallback`. Fetched rather
 * than followed as a link so that a refusal (400 naming a field) shows as a message instead
 * of a page of JSON. Resolves with the name saved; rejects with an ApiError.
 */
export async function download(path, query, fallback) {
  let res;
  try {
    res = await fetch(BASE + path + queryString(query), { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, null);
  }
  if (!res.ok) {
    let data = null;
    try { data = await res.json(); } catch { data = null; }
    const err = new ApiError(res.status, data);
    if (res.status === 401 && unauthorizedHandler) unauthorizedHandler(err);
    throw err;
  }
  const cd = res.headers.get('Content-Disposition') || '';
  const m = cd.match(/filename\*=UTF-8''([^;]+)/i);
  const name = m ? decodeURIComponent(m[1]) : fallback;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  return name;
}

/** The URL of a file the browser downloads itself (exports); the session cookie goes along. */
export function fileUrl(path) {
  return BASE + path;
}

/** Logs in; resolves with the user. A wrong password rejects with status 401, too many with 429. */
export async function login(loginName, password) {
  const r = await request('POST', '/session', { body: { login: loginName, password }, quiet401: true });
  csrfToken = r.csrf_token;
  return r.user;
}

/** Restores the session of a reloaded page; resolves with the user, or null when not logged in. */
export async function currentSession() {
  try {
    const r = await request('GET', '/session', { quiet401: true });
    csrfToken = r.csrf_token;
    return r.user;
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}

/** Ends the session on the server; the local state is forgotten even if the call fails. */
export async function logout() {
  try {
    await request('DELETE', '/session', { quiet401: true });
  } finally {
    csrfToken = null;
  }
}

/** Forgets the CSRF token (after the server said the session is gone). */
export function forgetSession() {
  csrfToken = null;
}
