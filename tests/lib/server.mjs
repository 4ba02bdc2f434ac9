// Starts the real jiefen binary on a fresh database for a test file and stops it after.
// Backend chosen by JIEFEN_TEST_BACKEND (sqlite | pg); for pg a new database is created on
// the throwaway server whose socket directory is JIEFEN_TEST_PGHOST (see tests/run.sh).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.JIEFEN_BIN || join(ROOT, 'build', 'san', 'jiefen');
export const BACKEND = process.env.JIEFEN_TEST_BACKEND || 'sqlite';
export const DEMO_PASSWORD = 'jiefen-demo';

/** Database flags for a fresh database on the selected backend. */
export function freshDatabase() {
  if (BACKEND === 'pg') {
    const host = process.env.JIEFEN_TEST_PGHOST;
    if (!host) throw new Error('JIEFEN_TEST_PGHOST is not set (run the suite through tests/run.sh)');
    const name = 't_' + randomBytes(6).toString('hex');
    execFileSync(join(ROOT, 'scripts', 'pg.sh'), ['createdb', host, name]);
    return { args: ['--pg', `host=${host} user=postgres dbname=${name}`], cleanup() {} };
  }
  const dir = mkdtempSync(join(tmpdir(), 'jiefen-test-'));
  return { args: ['--db', join(dir, 'test.db')], dir, cleanup() { rmSync(dir, { recursive: true, force: true }); } };
}

/** Runs a CLI command of the binary synchronously; returns {status, stdout, stderr}. */
export function runCli(args, opts = {}) {
  try {
    const stdout = execFileSync(BIN, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...opts });
    return { status: 0, stdout, stderr: '' };
  } catch (e) {
    const stderr = e.stderr || '';
    // A sanitizer report fails the test even where a non-zero status is what it expects.
    if (SANITIZER.test(stderr)) throw new Error(`jiefen ${args.join(' ')}: sanitizer report:\n${stderr}`);
    return { status: e.status, stdout: e.stdout || '', stderr };
  }
}

/** What AddressSanitizer, LeakSanitizer and UBSan print when they find something. */
export const SANITIZER = /ERROR: (Address|Leak)Sanitizer|runtime error:/;

/**
 * Starts a server with the demo data loaded. Returns {url, db, stop()}.
 * The server listens on an ephemeral port and prints "listening on http://..." on stdout.
 */
export async function startServer({ demo = true, demoArgs = [], extraArgs = [], env = {} } = {}) {
  const db = freshDatabase();
  // The key for personal data lives outside the database, in a folder of the test's own;
  // the demo loader seals the parties of generated cases (--cases N) with the same key.
  const keyDir = mkdtempSync(join(tmpdir(), 'jiefen-key-'));
  const setup = demo ? ['demo', ...db.args, ...demoArgs] : ['migrate', ...db.args];
  const r = runCli(setup, { env: { ...process.env, JIEFEN_KEY: join(keyDir, 'jiefen.key') } });
  if (r.status !== 0) throw new Error(`jiefen ${setup.join(' ')} failed: ${r.stderr}`);
  const child = spawn(BIN, ['serve', ...db.args, '--listen', '127.0.0.1:0', '--web', join(ROOT, 'web'),
    '--key', join(keyDir, 'jiefen.key'), '--files', join(keyDir, 'files'), '--scan-interval', '0', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const url = await new Promise((res, rej) => {
    let buf = '';
    const timer = setTimeout(() => rej(new Error('server did not start in 60 s:\n' + log)), 60000);
    child.stdout.on('data', (d) => {
      buf += d;
      const m = buf.match(/listening on (http:\/\/[^\s]+)/);
      if (m) { clearTimeout(timer); res(m[1].replace(/\/$/, '')); }
    });
    child.on('exit', (code) => { clearTimeout(timer); rej(new Error(`server exited with ${code}:\n${log}`)); });
  });
  child.stdout.resume();
  return {
    url, db, child, keyFile: join(keyDir, 'jiefen.key'),
    log: () => log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((res) => child.on('exit', (code, sig) => res({ code, sig })));
        child.kill('SIGTERM');
        const { code } = await exited;
        db.cleanup();
        rmSync(keyDir, { recursive: true, force: true });
        // A sanitizer report or a crash on shutdown is a test failure: by its status (ASan and
        // LeakSanitizer exit 1, UBSan aborts), and by its text in case options made it
        // recoverable (UBSAN_OPTIONS=halt_on_error=0, ASAN_OPTIONS=exitcode=0).
        if (code !== 0 || SANITIZER.test(log)) throw new Error(`server exited with status ${code}:\n${log}`);
      }
    },
  };
}

/**
 * Starts a server on an existing database (`dbArgs` as freshDatabase's args) and key file,
 * for tests that build the database themselves (restored, upgraded). Returns {url, child,
 * log(), stop()}; stop() fails like startServer's on a crash or a sanitizer report.
 */
export async function serveOn(dbArgs, keyFile, filesDir) {
  const child = spawn(BIN, ['serve', ...dbArgs, '--listen', '127.0.0.1:0', '--web', join(ROOT, 'web'),
    '--key', keyFile, '--files', filesDir, '--scan-interval', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '', out = '';
  child.stderr.on('data', (d) => { log += d; });
  const url = await new Promise((res, rej) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[^\s]+)/);
      if (m) res(m[1].replace(/\/$/, ''));
    });
    child.on('exit', (code) => rej(new Error(`server exited with ${code}:\n${log}`)));
  });
  return {
    url, child, log: () => log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((res) => child.on('exit', (code) => res(code)));
      child.kill('SIGTERM');
      const code = await exited;
      if (code !== 0 || SANITIZER.test(log)) throw new Error(`server exited with status ${code}:\n${log}`);
    },
  };
}

/** A small HTTP client that keeps the session cookie and CSRF token like a browser would. */
export class Client {
  constructor(base) { this.base = base; this.cookie = null; this.csrf = null; this.bearer = null; }

  async request(method, path, { json, body, headers = {}, csrf = true } = {}) {
    const h = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    if (csrf && this.csrf && method !== 'GET' && method !== 'HEAD') h['x-csrf-token'] = this.csrf;
    let payload = body;
    if (json !== undefined) { payload = JSON.stringify(json); h['content-type'] ??= 'application/json'; }
    const res = await fetch(this.base + path, { method, headers: h, body: payload });
    const set = res.headers.get('set-cookie');
    if (set) {
      const m = set.match(/jiefen_session=([^;]*)/);
      if (m) this.cookie = m[1] ? `jiefen_session=${m[1]}` : null;
    }
    const text = await res.text();
    let data = null;
    const ct = res.headers.get('content-type') || '';
    if (ct.includes('json') && text) data = JSON.parse(text);
    return { status: res.status, headers: res.headers, data, text };
  }

  get(path, o) { return this.request('GET', path, o); }
  post(path, json, o = {}) { return this.request('POST', path, { ...o, json }); }
  patch(path, json, o = {}) { return this.request('PATCH', path, { ...o, json }); }
  put(path, json, o = {}) { return this.request('PUT', path, { ...o, json }); }
  del(path, o) { return this.request('DELETE', path, o); }

  async login(login, password = DEMO_PASSWORD) {
    const r = await this.post('/api/v1/session', { login, password });
    if (r.status === 201) this.csrf = r.data.csrf_token;
    return r;
  }
}
