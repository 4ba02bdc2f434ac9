// Two app instances on one database (issue 12 part 4): both serve requests, exactly one runs
// the scheduler's passes (a lease in job_leases, src/store/lease.h), and when it stops the
// other takes the job over. The outbox's own per-row leases are tested in notify.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join, dirname } from 'node:path';
import { rmSync } from 'node:fs';
import { startServer, Client, BIN, ROOT } from '../lib/server.mjs';

/** Waits until `cond()` is true, polling; fails with `what` after `ms`. */
async function until(cond, what, ms = 20000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A second `jiefen serve` on the first one's database and key. */
async function second(a) {
  const child = spawn(BIN, ['serve', ...a.db.args, '--listen', '127.0.0.1:0', '--web', join(ROOT, 'web'),
    '--key', a.keyFile, '--files', a.keyFile + '.files', '--scan-interval', '1'],
  { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '', out = '';
  child.stderr.on('data', (d) => { log += d; });
  child.stdout.on('data', (d) => { out += d; });
  await until(() => /listening on/.test(out), 'the second instance to listen');
  const url = out.match(/listening on (http:\/\/[^\s]+)/)[1].replace(/\/$/, '');
  return { child, url, log: () => log };
}

const taken = (log) => (log.match(/scheduler lease taken/g) || []).length;

test('two instances: both serve, one runs the scheduler, the other takes over when it stops', async () => {
  const a = await startServer({ extraArgs: ['--scan-interval', '1'] });
  let b;
  try {
    await until(() => taken(a.log()) === 1, 'the first instance to take the scheduler lease');
    b = await second(a);
    // Several passes later, the second still has not taken it: the first renews its lease.
    const ca = new Client(a.url), cb = new Client(b.url);
    assert.equal((await ca.login('fc_clerk')).status, 201);
    assert.equal((await cb.login('fc_clerk')).status, 201);
    await new Promise((r) => setTimeout(r, 3500));
    assert.equal(taken(b.log()), 0, b.log());
    const ra = await ca.get('/api/v1/cases?per_page=5'), rb = await cb.get('/api/v1/cases?per_page=5');
    assert.equal(ra.status, 200);
    assert.equal(rb.status, 200);
    assert.equal(rb.data.total, ra.data.total);
    // The first stops (SIGTERM releases the lease); the second runs the passes from now on.
    const exited = new Promise((r) => a.child.on('exit', (code) => r(code)));
    a.child.kill('SIGTERM');
    assert.equal(await exited, 0, a.log());
    await until(() => taken(b.log()) === 1, 'the second instance to take the scheduler lease over');
  } finally {
    if (b && b.child.exitCode === null) {
      const exited = new Promise((r) => b.child.on('exit', (code) => r(code)));
      b.child.kill('SIGTERM');
      const code = await exited;
      if (code !== 0) throw new Error(`second instance exited with ${code}:\n${b.log()}`);
    }
    await a.stop();
    a.db.cleanup();
    rmSync(dirname(a.keyFile), { recursive: true, force: true });
  }
});
