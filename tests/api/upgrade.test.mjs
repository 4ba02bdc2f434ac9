// An old database upgrades without loss (issue 13 part 7): the fixture tests/data/fixtures/v3.sql
// holds data written at schema version 3, the oldest with cases, parties and their timeline
// (make-v3.sh regenerates it). It is loaded after `jiefen migrate --to 3`, then upgraded to the
// newest version; every row is still there with its values, sealed parties still open with the
// key they were sealed with, staff phones (plain at v3) get sealed, and users still log in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase, runCli, serveOn, Client, ROOT, BACKEND, DEMO_PASSWORD } from '../lib/server.mjs';
import { sqlOn } from './helpers.mjs';

const FIX = join(ROOT, 'tests', 'data', 'fixtures');

/** Applies the fixture's INSERTs; on PostgreSQL moves each identity past the ids it holds. */
function load(db, tables) {
  const [flag, target] = db.args;
  const file = join(FIX, 'v3.sql');
  if (flag === '--db') {
    execFileSync('sqlite3', ['-bail', target], { input: readFileSync(file) });
    return;
  }
  const kv = Object.fromEntries(target.split(' ').map((p) => p.split('=')));
  execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', '-h', kv.host, '-U', kv.user, '-d', kv.dbname, '-f', file]);
  for (const t of tables) {
    if (!sqlOn(db, `SELECT 1 FROM information_schema.columns WHERE table_name = '${t}' AND column_name = 'id'`).trim()) continue;
    sqlOn(db, `SELECT setval(pg_get_serial_sequence('${t}', 'id'), (SELECT MAX(id) FROM ${t}))`);
  }
}

// What must carry over, per table: the columns read before and after the upgrade.
const KEEP = {
  regions: 'id, code, name, level, parent_id, path',
  organizations: 'id, name, type, region_id',
  users: 'id, login, name, password_hash, roles, org_id, active',
  cases: 'id, number, channel, category, complexity, facts, region_id, received_at, clerk_id',
  case_parties: 'id, case_id, role, kind, name, id_sealed, id_index, phone_sealed, phone_index, address_sealed',
  case_events: 'id, case_id, at, actor_id, action, from_state, to_state',
  case_sessions: 'id, case_id',
  mediators: 'id, name, user_id',
  case_counters: 'county_id, year, last',
};

test(`a database of schema version 3 upgrades to the newest without loss (${BACKEND})`, async () => {
  const db = freshDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'jiefen-upgrade-'));
  let srv;
  try {
    const old = runCli(['migrate', ...db.args, '--to', '3']);
    assert.equal(old.status, 0, old.stderr);
    assert.match(old.stdout, /schema version 3/);
    const tables = [...new Set(readFileSync(join(FIX, 'v3.sql'), 'utf8').match(/^INSERT INTO (\w+)/gm).map((l) => l.slice(12)))];
    load(db, tables);
    const q = (t) => `SELECT ${KEEP[t]} FROM ${t} ORDER BY ${KEEP[t].split(',')[0]}`;
    const before = Object.fromEntries(Object.keys(KEEP).map((t) => [t, sqlOn(db, q(t))]));
    const counts = Object.fromEntries(tables.map((t) => [t, sqlOn(db, `SELECT count(*) FROM ${t}`).trim()]));
    assert.ok(Number(counts.cases) >= 10 && Number(counts.case_events) > Number(counts.cases), JSON.stringify(counts));
    assert.ok(Number(sqlOn(db, "SELECT count(*) FROM case_parties WHERE id_sealed LIKE 'v1:%'")) > 0);

    const up = runCli(['migrate', ...db.args]);
    assert.equal(up.status, 0, up.stderr);
    const newest = runCli(['version']).stdout.match(/schema (\d+)/)[1];
    assert.match(up.stdout, new RegExp(`schema version ${newest}`));
    assert.equal(sqlOn(db, 'SELECT MAX(version) FROM schema_migrations').trim(), newest);
    for (const t of tables) assert.equal(sqlOn(db, `SELECT count(*) FROM ${t}`).trim(), counts[t], `rows of ${t}`);
    for (const t of Object.keys(KEEP)) assert.equal(sqlOn(db, q(t)), before[t], `values of ${t}`);

    // The server on the upgraded database, with the key the parties were sealed with.
    const key = join(dir, 'jiefen.key');
    copyFileSync(join(FIX, 'v3.key'), key);
    chmodSync(key, 0o600);
    srv = await serveOn(db.args, key, join(dir, 'files'));
    for (const login of ['admin', 'fc_clerk', 'fc_supervisor']) {
      assert.equal((await new Client(srv.url).login(login, DEMO_PASSWORD)).status, 201, `${login} logs in`);
    }
    const sup = new Client(srv.url);
    await sup.login('fc_supervisor');
    const [caseId, partyId] = sqlOn(db, "SELECT case_id, id FROM case_parties WHERE id_sealed IS NOT NULL ORDER BY id LIMIT 1").trim().split('|');
    const facts = sqlOn(db, `SELECT facts FROM cases WHERE id = ${caseId}`).trim();
    const k = await sup.get(`/api/v1/cases/${caseId}`);
    assert.equal(k.status, 200, JSON.stringify(k.data));
    assert.equal(k.data.facts, facts);
    const r = await sup.post(`/api/v1/cases/${caseId}/parties/${partyId}/reveal`, { reason: '升级后核对当事人信息' });
    assert.equal(r.status, 200, JSON.stringify(r.data));
    assert.match(r.data.id_number, /^\d{17}[\dX]$/);
    assert.match(r.data.phone, /^1\d{10}$/);
    // Staff phones, plain at version 3, are sealed once the server has started (migration 29).
    assert.equal(sqlOn(db, "SELECT count(*) FROM users WHERE phone IS NOT NULL AND phone NOT LIKE 'v1:%'").trim(), '0');
  } finally {
    await srv?.stop();
    db.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});
