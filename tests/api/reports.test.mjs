// The monthly 研判预警专报 (docs/reports.md): generated from the statistics service (its figures
// are the summary's for the month), the analyst's section edited while a draft, issued as an
// immutable version, revised into a new version; scope, roles and bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertStatus, assertValidation, assertProblem, loginAs, lookup, residentId, R,
} from './helpers.mjs';

let srv, admin, ids, leader, clerk;
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
  leader = await loginAs(srv.url, 'fc_leader');
  clerk = await loginAs(srv.url, 'fc_clerk');
});
after(async () => { await srv?.stop(); });

const month = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7);
const lastDay = (p) => new Date(Date.UTC(+p.slice(0, 4), +p.slice(5, 7), 0)).toISOString().slice(0, 10);
const prevMonth = (p) => new Date(Date.UTC(+p.slice(0, 4), +p.slice(5, 7) - 2, 1)).toISOString().slice(0, 7);

async function summary(regionId, p) {
  const r = await leader.get(`/api/v1/stats/summary?region_id=${regionId}&from=${p}-01&to=${lastDay(p)}`);
  assertStatus(r, 200, 'summary');
  return r.data;
}

test('a leader generates, edits, issues and revises the monthly report; figures are the summary\'s', async () => {
  const region = ids.region(R.chengxiang).id;
  const c = await clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: '专报测试：邻里通道纠纷', region_id: ids.region(R.dongjie).id,
    parties: [{ role: 'applicant', name: '陈玉兰', id_number: residentId() }, { role: 'respondent', name: '周德明' }],
  });
  assertStatus(c, 201, 'intake');
  const p = month();
  const g = await leader.post('/api/v1/reports', { kind: 'monthly', region_id: region, period: p });
  assertStatus(g, 201, 'generate');
  const rep = g.data;
  assert.equal(rep.state, 'draft');
  assert.equal(rep.version, 1);
  assert.equal(rep.period, p);
  const sum = await summary(region, p);
  assert.ok(sum.total >= 1, 'the case counts in the month');
  const { previous, last_year: ly, ...same } = sum;
  assert.ok(previous && ly);
  assert.deepEqual(rep.generated.overview, same, 'overview = GET /stats/summary of the month');
  const prev = await summary(region, prevMonth(p));
  assert.equal(rep.generated.comparison.previous_month.period, prevMonth(p));
  assert.equal(rep.generated.comparison.previous_month.total, prev.total);
  assert.deepEqual(rep.generated.comparison.previous_month.rates, prev.rates);
  assert.equal(rep.generated.comparison.same_month_last_year.period, `${+p.slice(0, 4) - 1}${p.slice(4)}`);
  const cats = await leader.get(`/api/v1/stats/breakdown?region_id=${region}&from=${p}-01&to=${lastDay(p)}&by=category`);
  assertStatus(cats, 200, 'breakdown');
  assert.deepEqual(rep.generated.categories, cats.data.items);
  const spots = await leader.get(`/api/v1/stats/breakdown?region_id=${region}&from=${p}-01&to=${lastDay(p)}&by=region`);
  assert.deepEqual(rep.generated.hot_spots, spots.data.items);
  const board = await leader.get(`/api/v1/risk/board?region_id=${region}`);
  assertStatus(board, 200, 'board');
  assert.equal(rep.generated.high_risk.red, board.data.red);
  assert.equal(rep.generated.high_risk.orange, board.data.orange);
  assert.deepEqual(rep.generated.overdue, sum.overdue);
  assert.equal(rep.generated.awaiting_feedback, sum.awaiting_feedback);

  const text = '本月邻里纠纷占比上升，建议加强网格排查。';
  const ed = await leader.patch(`/api/v1/reports/${rep.id}`, { analysis: text });
  assertStatus(ed, 200, 'edit');
  assert.equal(ed.data.analysis, text);

  const is = await leader.post(`/api/v1/reports/${rep.id}/issue`, {});
  assertStatus(is, 200, 'issue');
  assert.equal(is.data.state, 'issued');
  assert.equal(is.data.issued_by, ids.user('fc_leader').id);
  assert.ok(Date.parse(is.data.issued_at) > 0, 'issued_at is a time');

  assertProblem(await leader.patch(`/api/v1/reports/${rep.id}`, { analysis: '改动' }), 409, 'conflict', 'PATCH after issue');
  assertProblem(await leader.post(`/api/v1/reports/${rep.id}/issue`, {}), 409, 'conflict', 'issue twice');
  const still = await leader.get(`/api/v1/reports/${rep.id}`);
  assert.equal(still.data.analysis, text, 'the issued version is unchanged');
  assert.deepEqual(still.data.generated, rep.generated);

  const rv = await leader.post(`/api/v1/reports/${rep.id}/revise`, {});
  assertStatus(rv, 201, 'revise');
  assert.equal(rv.data.version, 2);
  assert.equal(rv.data.state, 'draft');
  assert.equal(rv.data.analysis, text);
  assert.deepEqual(rv.data.generated, rep.generated);
  assertProblem(await leader.post(`/api/v1/reports/${rv.data.id}/revise`, {}), 409, 'conflict', 'revise a draft');

  const list = await leader.get(`/api/v1/reports?region_id=${region}`);
  assertStatus(list, 200, 'list');
  const mine = list.data.items.filter((x) => x.period === p);
  assert.deepEqual(mine.map((x) => [x.version, x.state]), [[2, 'draft'], [1, 'issued']]);
  assert.equal(mine[0].generated, undefined, 'lists leave the sections out');

  const audit = await admin.get(`/api/v1/audit?object_type=report&object_id=${rep.id}`);
  assertStatus(audit, 200, 'audit');
  assert.deepEqual(audit.data.items.map((x) => x.action).sort(), ['create', 'issue', 'update']);
});

test('bad input names the field; other counties and other roles are refused', async () => {
  const region = ids.region(R.chengxiang).id;
  for (const period of ['2026-13', '2026-1', '202612', 'x', '2026-12-01']) {
    const r = await leader.post('/api/v1/reports', { kind: 'monthly', region_id: region, period });
    assert.equal(assertValidation(r, period).period, 'invalid', period);
  }
  // A quarterly summary takes a quarter (YYYY-Qn), not a month; an unknown kind is refused.
  assert.equal(assertValidation(await leader.post('/api/v1/reports', { kind: 'quarterly', region_id: region, period: '2026-11' })).period, 'invalid');
  assert.equal(assertValidation(await leader.post('/api/v1/reports', { kind: 'weekly', region_id: region, period: '2026-11' })).kind, 'invalid');
  assert.ok('period' in assertValidation(await leader.post('/api/v1/reports', { kind: 'monthly', region_id: region })));
  // A county outside Fucheng (the leader's scope): as if it did not exist.
  const county = await admin.post('/api/v1/regions', { code: '510797000000', name: '专报测试县', level: 'county', parent_id: ids.region(R.mianyang).id });
  assertStatus(county, 201, 'county');
  const other = county.data;
  assertStatus(await leader.post('/api/v1/reports', { kind: 'monthly', region_id: other.id, period: '2026-11' }), 404, 'other county');
  const theirs = await admin.post('/api/v1/reports', { kind: 'monthly', region_id: other.id, period: '2026-11' });
  assertStatus(theirs, 201, 'admin generates for the other county');
  assertStatus(await leader.get(`/api/v1/reports/${theirs.data.id}`), 404, 'not in scope');
  assertStatus(await leader.patch(`/api/v1/reports/${theirs.data.id}`, { analysis: 'x' }), 404, 'not in scope');
  assertStatus(await leader.post(`/api/v1/reports/${theirs.data.id}/issue`, {}), 404, 'not in scope');
  assert.ok(!(await leader.get('/api/v1/reports')).data.items.some((x) => x.id === theirs.data.id));
  assertStatus(await clerk.get('/api/v1/reports'), 403, 'a clerk');
  assertStatus(await clerk.post('/api/v1/reports', { kind: 'monthly', region_id: region, period: '2026-11' }), 403, 'a clerk');
});
