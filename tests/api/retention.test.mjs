// Retention (个人信息保护法 art. 19, 47): `jiefen retention run` anonymises the parties of
// cases archived more than `retention_years` (default 30) before --today — names to
// 当事人甲/乙, sealed numbers and blind indexes cleared, search terms rewritten, a timeline
// event and an audit row — skips cases under a legal hold (`jiefen retention hold`), and a
// rerun changes nothing. --dry-run only lists.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertStatus, loginAs, lookup, audit, sqlOn, residentId, mobile, R } from './helpers.mjs';
import { runCli } from '../lib/server.mjs';

let srv, admin, ids;
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
});
after(async () => { await srv?.stop(); });

/** The Beijing date `years` years and `days` days from now, as YYYY-MM-DD. */
function beijingDay(years, days) {
  const d = new Date(Date.now() + 8 * 3600 * 1000);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A case registered, withdrawn, closed and archived now; returns {id, number, idNumber}. */
async function archivedCase(clerk, name) {
  const idNumber = residentId();
  const r = await clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: '院墙漏水引发争执',
    region_id: ids.region(R.dongjie).id,
    parties: [{ role: 'applicant', name, id_number: idNumber, phone: mobile(), address: '警钟街3号', agent: '律师甲某' },
      { role: 'respondent', name: '赵六', phone: mobile() }],
  });
  assertStatus(r, 201);
  const id = r.data.id;
  assertStatus(await clerk.post(`/api/v1/cases/${id}/transitions`, { action: 'withdraw', by: '申请人', reason: '已自行和解' }), 200);
  assertStatus(await admin.post(`/api/v1/cases/${id}/transitions`, { action: 'close', summary: '撤回结案' }), 200);
  assertStatus(await clerk.post(`/api/v1/cases/${id}/transitions`, { action: 'archive' }), 200);
  return { id, number: r.data.number, idNumber };
}

const cli = (...args) => runCli(['retention', ...srv.db.args, ...args]);

test('retention run anonymises archived cases past the period, skips a legal hold, and is idempotent', async () => {
  const settings = await admin.get('/api/v1/settings');
  assertStatus(settings, 200);
  assert.ok(JSON.stringify(settings.data).includes('retention_years'), 'the setting is listed');

  const clerk = await loginAs(srv.url, 'fc_clerk');
  const name = `欧阳锦${'华荣'[process.pid % 2]}`;
  const a = await archivedCase(clerk, name);
  const held = await archivedCase(clerk, '司马守正');
  const hold = cli('hold', String(held.id));
  assert.equal(hold.status, 0, hold.stderr);

  // One day short of 30 years: nothing is due.
  const early = cli('run', '--dry-run', '--today', beijingDay(30, -1));
  assert.equal(early.status, 0, early.stderr);
  assert.ok(!early.stdout.includes(a.number), early.stdout);

  // Past the period, a dry run lists the case but changes nothing; the held one is not listed.
  const today = beijingDay(30, 1);
  const dry = cli('run', '--dry-run', '--today', today);
  assert.equal(dry.status, 0, dry.stderr);
  assert.ok(dry.stdout.includes(a.number) && !dry.stdout.includes(held.number), dry.stdout);
  assert.match(dry.stdout, /would anonymise \d+ cases .*[1-9]\d* under a legal hold kept/);
  assert.equal(sqlOn(srv.db, `SELECT COUNT(*) FROM case_parties WHERE case_id = ${a.id} AND id_sealed IS NOT NULL`).trim(), '1');

  const run = cli('run', '--today', today);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /anonymised [1-9]\d* cases/);
  const rows = sqlOn(srv.db, `SELECT name, COALESCE(id_sealed, '-'), COALESCE(id_index, '-'), COALESCE(phone_sealed, '-'),`
    + ` COALESCE(phone_index, '-'), COALESCE(address_sealed, '-'), COALESCE(agent, '-') FROM case_parties WHERE case_id = ${a.id} ORDER BY id`);
  assert.deepEqual(rows.trim().split('\n'), ['当事人甲|-|-|-|-|-|-', '当事人乙|-|-|-|-|-|-']);

  const sup = await loginAs(srv.url, 'fc_supervisor');
  const k = await sup.get(`/api/v1/cases/${a.id}`);
  assert.deepEqual(k.data.parties.map((p) => [p.name, p.id_number, p.phone]), [['当事人甲', null, null], ['当事人乙', null, null]]);
  assert.equal(k.data.state, 'archived');
  // The old name and ID number no longer find it; the label does.
  const byName = await sup.get(`/api/v1/cases?q=${encodeURIComponent(name)}`);
  assert.ok(!byName.data.items.some((x) => x.id === a.id), 'old name still finds the case');
  const byId = await sup.get(`/api/v1/cases?q=${a.idNumber}`);
  assert.ok(!byId.data.items.some((x) => x.id === a.id), 'old ID number still finds the case');
  const tl = await sup.get(`/api/v1/cases/${a.id}/timeline`);
  assert.ok(tl.data.items.some((e) => e.action === 'anonymise'), 'timeline event');
  const au = await audit(admin, { object_type: 'case', object_id: String(a.id), action: 'anonymise' });
  assert.equal(au.length, 1);
  const exp = await admin.get(`/api/v1/people/export?id_number=${a.idNumber}&reason=${encodeURIComponent('本人申请查阅')}`);
  assert.equal(exp.data.total, 0, 'nothing left to export');

  // The held case keeps its parties.
  assert.equal(sqlOn(srv.db, `SELECT name FROM case_parties WHERE case_id = ${held.id} ORDER BY id LIMIT 1`).trim(), '司马守正');

  // A rerun changes nothing: no new audit rows.
  const again = cli('run', '--today', today);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /anonymised 0 cases/);
  assert.equal((await audit(admin, { object_type: 'case', object_id: String(a.id), action: 'anonymise' })).length, 1);

  // Lifting the hold makes the held case due.
  assert.equal(cli('hold', String(held.id), '--off').status, 0);
  const last = cli('run', '--today', today);
  assert.match(last.stdout, /anonymised 1 cases/);
  assert.equal(sqlOn(srv.db, `SELECT name FROM case_parties WHERE case_id = ${held.id} ORDER BY id LIMIT 1`).trim(), '当事人甲');
});

test('retention: bad arguments and an unknown case are refused', () => {
  assert.equal(cli().status, 2);
  assert.equal(cli('run', '--today', '2026-13-01').status, 2);
  assert.equal(cli('hold').status, 2);
  assert.equal(cli('hold', '987654321').status, 1);
});
