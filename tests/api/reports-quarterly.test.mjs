// The quarterly summary (季度总结, docs/reports.md): generated for YYYY-Qn from the statistics
// service, compared with the previous quarter and the same quarter a year earlier; reminders
// to the counties and townships that have not issued it (jiefen scan, once per unit, quarter
// and kind); which units have issued; the XLSX export of a report, audited and scope-checked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertStatus, assertValidation, assertPage, loginAs, lookup, audit, getBinary, readXlsx, unzip,
  XLSX_TYPE, R, O,
} from './helpers.mjs';
import { runCli } from '../lib/server.mjs';

let srv, admin, ids, leader, cx, gq;
before(async () => {
  // Demo cases (spread over two years, many closed) so that the exported rates are figures.
  srv = await startServer({ demoArgs: ['--cases', '300', '--seed', '5'] });
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
  leader = await loginAs(srv.url, 'fc_leader');
  // A leader of each of two townships: 城厢 (its centre) and 工区 (its committee).
  for (const [login, org] of [['q_cx_leader', O.cxCenter], ['q_gq_leader', O.gqCommittee]]) {
    const r = await admin.post('/api/v1/users', {
      login, name: login === 'q_cx_leader' ? '钱卫东' : '孙海燕', password: 'quarter-secret-pw-1', roles: ['leader'],
      org_id: ids.org(org).id,
    });
    assertStatus(r, 201, `user ${login}`);
  }
  cx = await loginAs(srv.url, 'q_cx_leader', 'quarter-secret-pw-1');
  gq = await loginAs(srv.url, 'q_gq_leader', 'quarter-secret-pw-1');
});
after(async () => { await srv?.stop(); });

const scan = (today) => {
  const r = runCli(['scan', ...srv.db.args, '--today', today]);
  assert.equal(r.status, 0, r.stderr);
  const m = r.stdout.match(/^(\d+) quarterly reminders? sent/m);
  return m ? Number(m[1]) : 0;
};
const reminders = async (who) => assertPage(await who.get('/api/v1/notifications?per_page=100')).items
  .filter((n) => n.kind === 'report.quarterly_due');
async function summary(who, region, from, to) {
  const r = await who.get(`/api/v1/stats/summary?region_id=${region}&from=${from}&to=${to}`);
  assertStatus(r, 200, 'summary');
  return r.data;
}

test('the quarterly summary is generated from the statistics service for the quarter', async () => {
  const region = ids.region(R.fucheng).id;
  const g = await leader.post('/api/v1/reports', { kind: 'quarterly', region_id: region, period: '2026-Q4' });
  assertStatus(g, 201, 'generate');
  const rep = g.data;
  assert.equal(rep.kind, 'quarterly');
  assert.equal(rep.version, 1);
  assert.equal(rep.generated.from, '2026-10-01');
  assert.equal(rep.generated.to, '2026-12-31');
  const { previous, last_year: ly, ...same } = await summary(leader, region, '2026-10-01', '2026-12-31');
  assert.ok(previous && ly);
  assert.deepEqual(rep.generated.overview, same, 'overview = GET /stats/summary of the quarter');
  const prev = await summary(leader, region, '2026-07-01', '2026-09-30');
  assert.equal(rep.generated.comparison.previous_quarter.period, '2026-Q3');
  assert.equal(rep.generated.comparison.previous_quarter.total, prev.total);
  assert.deepEqual(rep.generated.comparison.previous_quarter.rates, prev.rates);
  const last = await summary(leader, region, '2025-10-01', '2025-12-31');
  assert.equal(rep.generated.comparison.same_quarter_last_year.period, '2025-Q4');
  assert.equal(rep.generated.comparison.same_quarter_last_year.total, last.total);
  const cats = await leader.get(`/api/v1/stats/breakdown?region_id=${region}&from=2026-10-01&to=2026-12-31&by=category`);
  assert.deepEqual(rep.generated.categories, cats.data.items);
  assert.equal(rep.generated.high_risk, undefined, 'the early-warning list is the monthly report\'s');
  assert.deepEqual(rep.generated.overdue, same.overdue);
  // Issued like the monthly one: then refused, revised into version 2.
  assertStatus(await leader.patch(`/api/v1/reports/${rep.id}`, { analysis: '本季度纠纷总量平稳。' }), 200);
  assertStatus(await leader.post(`/api/v1/reports/${rep.id}/issue`, {}), 200);
  assertStatus(await leader.patch(`/api/v1/reports/${rep.id}`, { analysis: '改' }), 409);
  const v2 = await leader.post(`/api/v1/reports/${rep.id}/revise`, {});
  assertStatus(v2, 201);
  assert.equal(v2.data.version, 2);
  assert.equal(v2.data.kind, 'quarterly');
});

test('a quarter is YYYY-Qn; a month is not a quarter', async () => {
  const region = ids.region(R.fucheng).id;
  for (const period of ['2026-Q5', '2026-Q0', '2026-10', '2026Q1', '1999-Q1']) {
    assertValidation(await leader.post('/api/v1/reports', { kind: 'quarterly', region_id: region, period }), 'period');
  }
  assertValidation(await leader.post('/api/v1/reports', { kind: 'monthly', region_id: region, period: '2026-Q1' }), 'period');
  assertValidation(await leader.post('/api/v1/reports', { kind: 'yearly', region_id: region, period: '2026' }), 'kind');
  assertValidation(await leader.get('/api/v1/reports/quarterly?period=2026-13'), 'period');
});

test('reminders reach each county and township that has not issued last quarter\'s summary, once per kind', async () => {
  // 城厢 issues its 2026-Q3 summary; 工区 and the county (涪城) do not.
  const g = await cx.post('/api/v1/reports', { kind: 'quarterly', region_id: ids.region(R.chengxiang).id, period: '2026-Q3' });
  assertStatus(g, 201);
  assertStatus(await cx.post(`/api/v1/reports/${g.data.id}/issue`, {}), 200);
  // Due 2026-10-05; quarterly_reminder_days is 5: nothing before 2026-09-30.
  assert.equal(scan('2026-09-29'), 0, 'before the reminder window');
  assert.equal((await reminders(gq)).length, 0);
  const first = scan('2026-10-01');
  assert.ok(first >= 2, `the county and 工区 at least (${first})`);
  assert.equal(scan('2026-10-01'), 0, 'a second pass reminds nobody again');
  assert.equal(scan('2026-10-03'), 0, 'nor a later day of the same window');
  let mine = await reminders(gq);
  assert.equal(mine.length, 1, 'one advance reminder to 工区');
  assert.match(mine[0].title, /2026-Q3/);
  assert.match(mine[0].title, /2026-10-05/);
  assert.equal((await reminders(leader)).length, 1, 'one to the county');
  assert.equal((await reminders(cx)).length, 0, '城厢 issued: none');
  // On the due day, a second kind of reminder, again once.
  assert.equal(scan('2026-10-05'), first);
  assert.equal(scan('2026-10-05'), 0);
  mine = await reminders(gq);
  assert.equal(mine.length, 2);
  assert.match(mine[0].title, /到期/);
  assert.equal((await reminders(cx)).length, 0);
  // The state of the quarter: who has issued, who owes it, how often reminded.
  const st = await leader.get(`/api/v1/reports/quarterly?region_id=${ids.region(R.fucheng).id}&period=2026-Q3`);
  assertStatus(st, 200);
  assert.equal(st.data.due_on, '2026-10-05');
  const row = (code) => st.data.items.find((i) => i.region_id === ids.region(code).id);
  assert.equal(row(R.chengxiang).issued_version, 1);
  assert.equal(row(R.chengxiang).reminders, 0);
  assert.equal(row(R.gongqu).issued_version, null);
  assert.equal(row(R.gongqu).reminders, 2);
  assert.equal(row(R.fucheng).issued_version, null);
  assert.equal(st.data.issued + st.data.owing, st.data.items.length);
  assert.ok(st.data.items.every((i) => ['county', 'township'].includes(i.level)));
  // A township leader sees only their own township.
  const own = await cx.get('/api/v1/reports/quarterly?period=2026-Q3');
  assertStatus(own, 200);
  assert.deepEqual(own.data.items.map((i) => i.region_id), [ids.region(R.chengxiang).id]);
});

test('a report exports to XLSX: numbers as numbers, the rates the summary\'s; audited; scope-checked', async () => {
  const region = ids.region(R.fucheng).id;
  // Last month: finished, with closed cases, so that the rates are not null.
  const now = new Date(Date.now() + 8 * 3600e3);
  const p = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
  const g = await leader.post('/api/v1/reports', { kind: 'monthly', region_id: region, period: p });
  assertStatus(g, 201);
  const x = await getBinary(leader, `/api/v1/reports/${g.data.id}/export?format=xlsx`);
  assert.equal(x.status, 200, x.text);
  assert.equal(x.headers.get('content-type'), XLSX_TYPE);
  assert.match(x.headers.get('content-disposition'), /attachment/);
  assert.ok(unzip(x.body)['xl/worksheets/sheet1.xml'], 'a valid zip holding a worksheet');
  const sheet = unzip(x.body)['xl/worksheets/sheet1.xml'].toString('utf8');
  const rows = readXlsx(x.body);
  const byCode = Object.fromEntries(rows.filter((r) => r[2]).map((r) => [r[2], r[1]]));
  const sum = g.data.generated.overview;
  assert.ok(sum.total > 0, `cases in ${p}`);
  assert.equal(Number(byCode.total), sum.total);
  for (const [k, v] of Object.entries(sum.rates)) {
    if (v === null) assert.equal(byCode[k], '', `${k}: no figure`);
    else assert.ok(Math.abs(Number(byCode[k]) - v) < 1e-12, `${k}: ${byCode[k]} vs ${v}`);
  }
  // Figures are number cells (no t="s"), rates in a percentage format: B<n> before the code in C<n>.
  const numeric = [...sheet.matchAll(/<c r="B(\d+)"([^>]*)><v>[^<]*<\/v><\/c><c r="C\1" t="s">/g)];
  const nonNull = Object.values(sum.rates).filter((v) => v !== null).length;
  assert.equal(numeric.filter((m) => !/t="/.test(m[2])).length, 1 + nonNull + (sum.incidence_per_10k === null ? 0 : 1));
  // Rates as percentage cells (libxlsxwriter writes a number format only once a cell uses it).
  assert.ok(nonNull >= 3, `closed cases in ${p}: rates to check (${JSON.stringify(sum.rates)})`);
  assert.match(unzip(x.body)['xl/styles.xml'].toString('utf8'), /formatCode="0\.0%"/, 'rates as percentage cells');
  assert.ok(numeric.some((m) => /s="\d+"/.test(m[2])), 'the rates carry that style');
  assert.match(sheet, /<pane [^>]*ySplit="1"/, 'the title row is frozen');
  const log = await audit(admin, { object_type: 'report', action: 'export' });
  assert.ok(log.some((a) => a.object_id === g.data.id), 'the export is audited');
  // An issued version exports too; format must be xlsx.
  assertValidation(await leader.get(`/api/v1/reports/${g.data.id}/export?format=pdf`), 'format');
  // A township leader cannot export another township's report, nor the county's.
  const other = await gq.post('/api/v1/reports', { kind: 'monthly', region_id: ids.region(R.gongqu).id, period: p });
  assertStatus(other, 201);
  assert.equal((await getBinary(cx, `/api/v1/reports/${other.data.id}/export?format=xlsx`)).status, 404);
  assert.equal((await getBinary(cx, `/api/v1/reports/${g.data.id}/export?format=xlsx`)).status, 404);
  assert.equal((await getBinary(gq, `/api/v1/reports/${other.data.id}/export?format=xlsx`)).status, 200);
  const clerk = await loginAs(srv.url, 'fc_clerk');
  assert.equal((await getBinary(clerk, `/api/v1/reports/${g.data.id}/export?format=xlsx`)).status, 403);
});
