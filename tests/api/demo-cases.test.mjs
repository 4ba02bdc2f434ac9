// `jiefen demo --cases N`: a register in every state, channel and category, with the
// timing the overdue board and the workbench need (some overdue, escalated, referred,
// reopened), numbered per county and year, searchable, parties sealed under the server's key.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT, runCli } from '../lib/server.mjs';
import { startServer, assertPage, loginAs, listAll, findUnmasked, sqlOn } from './helpers.mjs';

const N = 3000;
let srv, sup, all;
before(async () => {
  srv = await startServer({ demoArgs: ['--cases', String(N), '--seed', '7'] });
  sup = await loginAs(srv.url, 'fc_supervisor'); // the whole county
  all = await listAll(sup, '/api/v1/cases');
});
after(async () => { await srv?.stop(); });

const enumOf = (name) => parse(readFileSync(join(ROOT, 'docs', 'openapi.yaml'), 'utf8')).components.schemas[name].enum;
const count = (f) => all.filter(f).length;

test('N cases, every one listed once, numbers unique', () => {
  assert.equal(all.length, N);
  assert.equal(new Set(all.map((k) => k.id)).size, N);
  assert.equal(new Set(all.map((k) => k.number)).size, N);
});

test('every state and channel occurs; the common categories do, in their order', () => {
  for (const s of enumOf('CaseState')) assert.ok(count((k) => k.state === s) > 0, `state ${s}`);
  for (const c of enumOf('Channel').filter((c) => c !== 'other')) assert.ok(count((k) => k.channel === c) > 0, `channel ${c}`);
  // The official shares (docs/demo-data.md): 邻里 22.9 %, 婚姻家庭 19.7 %, ahead of 损害赔偿 8.1 %.
  const share = (c) => count((k) => k.category === c) / N;
  assert.ok(share('neighbour') > 0.18 && share('neighbour') < 0.28, `neighbour ${share('neighbour')}`);
  assert.ok(share('marriage_family') > 0.15 && share('marriage_family') < 0.25);
  assert.ok(share('marriage_family') > share('damages') && share('damages') > share('environment'));
  for (const r of ['blue', 'yellow', 'orange']) assert.ok(count((k) => k.risk === r) > 0, `risk ${r}`);
});

test('timing: some running cases overdue, most not; escalated and reopened cases have their history', async () => {
  const running = all.filter((k) => ['accepted', 'assigned', 'mediating', 'referred'].includes(k.state));
  const overdue = assertPage(await sup.get('/api/v1/cases?overdue=true&per_page=1')).total;
  assert.ok(overdue > 0 && overdue < running.length / 3, `${overdue} overdue of ${running.length} running`);
  const escalated = all.find((k) => k.level === 'township');
  assert.ok(escalated, 'an escalated case is the township\'s');
  // the history of actions; the risk grade given at load time (a `risk` event) is not one
  const actions = (items) => items.map((e) => e.action).filter((a) => a !== 'risk');
  const t1 = actions((await sup.get(`/api/v1/cases/${escalated.id}/timeline`)).data.items);
  assert.equal(t1.filter((a) => a === 'record_session').length, 3, '三三制: three attempts before escalating');
  assert.equal(t1.at(-1), 'escalate');
  const reopened = [];
  for (const k of all.filter((x) => x.state === 'accepted' && x.level === 'village')) {
    const t = actions((await sup.get(`/api/v1/cases/${k.id}/timeline`)).data.items);
    if (t.includes('reopen')) { reopened.push(t); break; }
  }
  assert.ok(reopened.length, 'a reopened case');
  assert.deepEqual(reopened[0].slice(-3), ['agree', 'close', 'reopen']);
});

test('generated cases are searchable and their parties masked', async () => {
  const k = all.find((x) => x.category === 'marriage_family');
  const one = (await sup.get(`/api/v1/cases/${k.id}`)).data;
  assert.ok(one.parties.length >= 2 && one.parties[0].name.length >= 2);
  assert.match(one.parties[0].id_number, /\*/, 'the ID number is opened with the server\'s key and masked');
  assert.deepEqual(findUnmasked(JSON.stringify(one)), []);
  const hits = assertPage(await sup.get(`/api/v1/cases?q=${encodeURIComponent(one.parties[0].name)}`));
  assert.ok(hits.items.some((x) => x.id === k.id), 'found by the applicant\'s name');
});

// The generator counts the statistics in bulk and regrades only the cases whose grade may
// move (src/cli/cmd_demo_bulk.c): what the case module's own recount and regrade give must
// be exactly what it wrote.
test('derived data of a generated register: a stats rebuild and a risk regrade change nothing', () => {
  // Snapshots in the database (the tables are too large to pass through a pipe), compared
  // row for row with EXCEPT both ways after the recount.
  const tables = {
    stat_counts: 'region_id, day, metric, category, channel, n',
    stat_case_keys: 'case_id, metric, day',
    stat_mediator_counts: 'mediator_id, day, metric, n',
    stat_case_mediators: 'case_id, mediator_id',
    cases: 'id, risk, risk_reasons',
    case_events: 'id, case_id, action',
    alerts: 'id, case_id',
  };
  const rows = (sql) => Number(sqlOn(srv.db, sql).trim());
  for (const [t, cols] of Object.entries(tables)) sqlOn(srv.db, `CREATE TABLE chk_${t} AS SELECT ${cols} FROM ${t}`);
  assert.ok(rows('SELECT COUNT(*) FROM chk_stat_counts') > 1000, 'counters were written');
  assert.ok(rows('SELECT COUNT(*) FROM chk_stat_mediator_counts') > 100, 'mediators\' counters were written');
  assert.ok(rows('SELECT COUNT(*) FROM chk_alerts') > 0, 'orange and red cases raised alerts');
  const same = (how) => {
    for (const [t, cols] of Object.entries(tables)) {
      const now = `SELECT ${cols} FROM ${t}`, was = `SELECT ${cols} FROM chk_${t}`;
      assert.equal(rows(`SELECT COUNT(*) FROM (${now}) x`), rows(`SELECT COUNT(*) FROM (${was}) x`), `${how}, ${t}: as many rows`);
      assert.equal(rows(`SELECT COUNT(*) FROM (${now} EXCEPT ${was}) x`), 0, `${how}, ${t}: no row it added`);
      assert.equal(rows(`SELECT COUNT(*) FROM (${was} EXCEPT ${now}) x`), 0, `${how}, ${t}: no row it dropped`);
    }
  };
  let r = runCli(['stats', ...srv.db.args, 'rebuild']);
  assert.equal(r.status, 0, r.stderr);
  r = runCli(['risk', ...srv.db.args, 'regrade']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /: 0 cases changed level/);
  same('rebuild and regrade');
  // The quick recount from the keys the rebuild just filed: the counters emptied and summed
  // again give the same rows (and a half-counted table would not: the sums replace it).
  sqlOn(srv.db, "UPDATE stat_counts SET n = n + 1 WHERE metric = 'received'");
  // In chunks of 5,000 keys (a tenth of the register each; ten million keys a chunk unless
  // told), as at ten million cases: the chunks' sums must add up to the one sum.
  r = runCli(['stats', ...srv.db.args, 'rebuild', '--from-keys'], { env: { ...process.env, JIEFEN_BULK_CHUNK: '5000' } });
  assert.equal(r.status, 0, r.stderr);
  same('rebuild --from-keys');
  for (const t of Object.keys(tables)) sqlOn(srv.db, `DROP TABLE chk_${t}`);
});
