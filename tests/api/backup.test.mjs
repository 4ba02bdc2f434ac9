// Online backup while the server writes, then restore into a fresh database (issue 13 part 7,
// docs/operations.md): the restore passes its integrity check, holds every case acknowledged
// before the backup began, has the same counts and checksums as the backup it came from, the
// same append-only rows as the source up to the backup's last one, and a server serves it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, freshDatabase, runCli, serveOn, Client, BIN, BACKEND } from '../lib/server.mjs';
import { loginAs, lookup, R, residentId, mobile, sqlOn } from './helpers.mjs';

const run = promisify(execFile);

const body = (region, i) => ({
  channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: `备份期间登记的相邻纠纷第${i}件`,
  region_id: region, occurred_on: '2026-10-08',
  parties: [{ role: 'applicant', name: '张秀英', id_number: residentId(), phone: mobile() }, { role: 'respondent', name: '李建国' }],
});

/** `jiefen check --counts` on a database: its lines, after "integrity ok". */
function counts(args) {
  const r = runCli(['check', ...args, '--counts']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0], /^integrity ok/);
  return lines.slice(1);
}

test(`online backup during writes restores whole and serves (${BACKEND})`, async () => {
  const srv = await startServer();
  const dir = mkdtempSync(join(tmpdir(), 'jiefen-backup-'));
  const target = freshDatabase();
  let restored;
  try {
    const clerk = await loginAs(srv.url, 'fc_clerk');
    const dispatcher = await loginAs(srv.url, 'fc_dispatcher');
    const region = (await lookup(await loginAs(srv.url, 'admin'))).region(R.dongjie).id;
    // Writers: register cases and accept each, until told to stop. Each acknowledgment is
    // stamped with whether the backup had started when it arrived.
    let backupStarted = false, stop = false, n = 0;
    const acked = [];
    const writer = async () => {
      while (!stop) {
        const i = n++;
        const r = await clerk.post('/api/v1/cases', body(region, i));
        assert.equal(r.status, 201, JSON.stringify(r.data));
        acked.push({ id: r.data.id, before: !backupStarted });
        const a = await dispatcher.post(`/api/v1/cases/${r.data.id}/transitions`, { action: 'accept' });
        assert.equal(a.status, 200, JSON.stringify(a.data));
      }
    };
    const writers = [writer(), writer(), writer()];
    while (acked.length < 10) await new Promise((r) => setTimeout(r, 20));
    // The backup runs as its own process while the writers go on.
    const file = join(dir, BACKEND === 'pg' ? 'backup.dump' : 'backup.db');
    backupStarted = true;
    const before = acked.filter((a) => a.before).map((a) => a.id);
    await run(BIN, ['backup', ...srv.db.args, '--to', file]);
    const during = acked.length;
    while (acked.length < during + 5) await new Promise((r) => setTimeout(r, 20));
    stop = true;
    await Promise.all(writers);

    // Restore into a fresh database; a second restore onto it is refused without --force.
    const r1 = runCli(['restore', ...target.args, '--from', file]);
    assert.equal(r1.status, 0, r1.stderr);
    const again = runCli(['restore', ...target.args, '--from', file]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /not empty.*--force/);
    const after = counts(target.args);
    assert.ok(after.some((l) => /^cases \d+ /.test(l)), after.join('\n'));

    // Every case acknowledged before the backup began is in it.
    const ids = new Set(sqlOn(target, 'SELECT id FROM cases').trim().split('\n').map(Number));
    for (const id of before) assert.ok(ids.has(id), `case ${id}, acknowledged before the backup, is missing`);
    assert.ok(before.length >= 10);

    // Counts and checksums: the restore equals its backup (SQLite: the file itself; PG: the
    // archive restored a second time into another fresh database).
    const other = freshDatabase();
    try {
      if (BACKEND === 'pg') {
        const r2 = runCli(['restore', ...other.args, '--from', file]);
        assert.equal(r2.status, 0, r2.stderr);
        assert.deepEqual(counts(other.args), after);
      } else {
        assert.deepEqual(counts(['--db', file]), after);
      }
    } finally { other.cleanup(); }

    // Against the source after the writes stopped: every timeline row and register row of
    // the backup is in the source unchanged. On SQLite, where writes commit in id order, the
    // backup holds exactly the source's rows up to its last id; on PostgreSQL an id taken
    // before the snapshot may commit after it, so there the backup is only a subset.
    const maxEvent = Number(sqlOn(target, 'SELECT MAX(id) FROM case_events').trim());
    const maxCase = Number(sqlOn(target, 'SELECT MAX(id) FROM cases').trim());
    const ev = `SELECT id, case_id, at, action, to_state FROM case_events WHERE id <= ${maxEvent} ORDER BY id`;
    const ks = `SELECT id, number, received_at FROM cases WHERE id <= ${maxCase} ORDER BY id`;
    for (const q of [ev, ks]) {
      const mine = sqlOn(target, q).trim().split('\n'), theirs = new Set(sqlOn(srv.db, q).trim().split('\n'));
      for (const row of mine) assert.ok(theirs.has(row), `${row} is not in the source as it is in the backup`);
      if (BACKEND === 'sqlite') assert.equal(mine.length, theirs.size, q);
    }
    assert.ok(Number(sqlOn(srv.db, 'SELECT MAX(id) FROM cases').trim()) > maxCase, 'writes went on during the backup');

    // A server on the restored database (same key) serves a case, sealed parties readable.
    restored = await serveOn(target.args, srv.keyFile, join(dir, 'files'));
    const c = new Client(restored.url);
    assert.equal((await c.login('fc_clerk')).status, 201);
    const k = await c.get(`/api/v1/cases/${before[0]}`);
    assert.equal(k.status, 200, JSON.stringify(k.data));
    assert.match(k.data.facts, /备份期间登记的相邻纠纷/);
    assert.equal(k.data.parties[0].name, '张秀英');
  } finally {
    await restored?.stop();
    target.cleanup();
    rmSync(dir, { recursive: true, force: true });
    await srv.stop();
  }
});

test('restore refuses a damaged backup and a missing one', { skip: BACKEND !== 'sqlite' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jiefen-backup-'));
  try {
    const bad = join(dir, 'bad.db');
    await import('node:fs').then((fs) => fs.writeFileSync(bad, 'SQLite format 3\0'.padEnd(4096, 'x')));
    const r = runCli(['restore', '--db', join(dir, 'new.db'), '--from', bad]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /integrity|not a database|malformed/);
    const m = runCli(['restore', '--db', join(dir, 'new.db'), '--from', join(dir, 'none.db')]);
    assert.equal(m.status, 1);
    assert.match(m.stderr, /cannot read/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
