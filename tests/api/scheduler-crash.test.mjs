// The deadline scheduler survives being killed: the server is killed (SIGKILL, no chance to
// clean up) while its first pass raises warnings over a register of many cases; the passes
// after it raise exactly what was missing, never a warning twice, and every warning has its
// timeline entry (both are written in one transaction).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sqlOn } from './helpers.mjs';
import { runCli } from '../lib/server.mjs';

const N = 20000;
let srv;
before(async () => {
  srv = await startServer({ demoArgs: ['--cases', String(N), '--seed', '11'], extraArgs: ['--scan-interval', '1'] });
});
after(async () => {
  // The server was killed on purpose: only its database is left to remove.
  if (srv.child.exitCode === null && srv.child.signalCode === null) await srv.stop();
  else srv.db.cleanup();
});

const count = (sql) => Number(sqlOn(srv.db, sql).trim());
const scan = () => {
  const r = runCli(['scan', ...srv.db.args]);
  assert.equal(r.status, 0, r.stderr);
  return Number(r.stdout.match(/^(\d+) warning/)[1]);
};

test('killed during its pass, the scheduler loses no warning and raises none twice', async () => {
  // Kill as soon as the first warnings are in: the pass is then most likely under way.
  for (let i = 0; i < 600 && count('SELECT COUNT(*) FROM case_warnings') === 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  srv.child.kill('SIGKILL');
  await new Promise((r) => srv.child.once('exit', r));
  const atKill = count('SELECT COUNT(*) FROM case_warnings');
  assert.ok(atKill > 0, 'the server had started raising warnings');

  const rest = scan(); // what a restarted scheduler does: one more pass
  const total = count('SELECT COUNT(*) FROM case_warnings');
  assert.equal(total, atKill + rest, 'the pass after the kill raised exactly what was missing');
  assert.equal(scan(), 0, 'a further pass finds nothing missing');
  assert.equal(count('SELECT COUNT(*) FROM case_warnings'), total);
  assert.equal(count('SELECT COUNT(*) FROM (SELECT case_id, kind, due_date FROM case_warnings'
    + ' GROUP BY case_id, kind, due_date HAVING COUNT(*) > 1) d'), 0, 'no warning twice');
  assert.equal(count("SELECT COUNT(*) FROM case_events WHERE action = 'deadline_warning'"), total,
    'every warning has exactly one timeline entry');
  // Diagnostic, not an assertion (how far the pass had come depends on the machine).
  console.log(`${atKill} warnings before the kill, ${rest} raised after it`);
});
