// The register's lists at scale (issue 12) on a small register: the server runs with a count
// cap of 3 (JIEFEN_COUNT_CAP) and walks "my cases" from the first one (JIEFEN_MINE_WALK), so
// the capped total (total_capped) and the plans that walk the queue index instead of sorting
// all matches (a common search term, a mediator's many cases) run here and are traced for
// the plan test. Whatever the plan, a list holds exactly the cases of its filter, in queue
// order, each once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertPage, assertStatus, loginAs, lookup, listAll, sqlOn, O, R } from './helpers.mjs';

const CAP = 3;
let srv, ids, admin, clerk, disp, med, mediatorId;
const made = [];
before(async () => {
  srv = await startServer({ env: { JIEFEN_COUNT_CAP: String(CAP), JIEFEN_MINE_WALK: '1' } });
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
  clerk = await loginAs(srv.url, 'fc_clerk');
  disp = await loginAs(srv.url, 'fc_dispatcher');
  med = await loginAs(srv.url, 'jzj_mediator');
  mediatorId = (await listAll(admin, '/api/v1/mediators')).find((m) => m.user_id === ids.user('jzj_mediator').id).id;
  // Seven cases holding a rare word (鹦鹉), four of them assigned to the mediator, and two
  // without the word beside them.
  for (let i = 0; i < 9; i++) {
    const r = await clerk.post('/api/v1/cases', {
      channel: 'walk_in', category: 'neighbour', complexity: 'simple',
      facts: i < 7 ? `邻居家的鹦鹉清晨鸣叫扰民，第${i}起` : '院墙排水引发争执',
      region_id: ids.region(R.dongjie).id, parties: [{ role: 'applicant', name: '孙立' }],
    });
    assertStatus(r, 201, r.text);
    made.push(r.data);
    if (i % 2 === 0 && i < 8) {
      await act(r.data.id, { action: 'accept' });
      await act(r.data.id, { action: 'assign', resp_org_id: ids.org(O.djCommittee).id, mediator_ids: [mediatorId] });
    }
  }
});
after(async () => { await srv?.stop(); });

async function act(id, body) {
  assertStatus(await disp.post(`/api/v1/cases/${id}/transitions`, body), 200, `${body.action} on case ${id}`);
}

/** Every page of a list by next_cursor, per_page 2: the ids in the order listed, and the first page. */
async function walk(client, query) {
  const got = [];
  let first, cursor;
  for (let i = 0; i < 50; i++) {
    const page = assertPage(await client.get(`/api/v1/cases?per_page=2&${query}${cursor ? `&after=${cursor}` : ''}`), query);
    first ??= page;
    got.push(...page.items.map((k) => k.id));
    if (!page.next_cursor) return { got, first };
    cursor = page.next_cursor;
  }
  throw new Error(`${query}: more than 50 pages`);
}

/** The register's own order (no search, no "mine") restricted to `want`. */
async function inQueueOrder(client, want) {
  const all = await listAll(client, '/api/v1/cases');
  return all.map((k) => k.id).filter((id) => want.has(id));
}

test('a total past the cap is the cap, marked total_capped; below it exact and unmarked', async () => {
  const many = assertPage(await disp.get('/api/v1/cases?per_page=2&q=鹦鹉'));
  assert.equal(many.total, CAP);
  assert.equal(many.total_capped, true);
  const few = assertPage(await disp.get(`/api/v1/cases?q=${encodeURIComponent(made[8].number)}`));
  assert.deepEqual([few.total, few.total_capped], [1, false]);
});

test('a search past the cap walks the queue: every case with the word, in queue order, each once', async () => {
  const { got } = await walk(disp, `q=${encodeURIComponent('鹦鹉')}`);
  const want = new Set(made.slice(0, 7).map((k) => k.id));
  assert.deepEqual(got, await inQueueOrder(disp, want));
  assert.equal(new Set(got).size, 7);
});

test('"my cases" walked from the queue are the mediator\'s cases, in queue order, each once', async () => {
  const { got, first } = await walk(med, 'mine=true');
  const want = new Set(made.filter((k, i) => i % 2 === 0 && i < 8).map((k) => k.id));
  assert.equal(want.size, 4);
  assert.deepEqual(got, await inQueueOrder(disp, want));
  assert.equal(first.total, CAP, 'four cases: the total stops at the cap');
  assert.equal(first.total_capped, true);
  // Both at once: the mediator's cases with the word (all four have it).
  assert.deepEqual((await walk(med, `mine=true&q=${encodeURIComponent('鹦鹉')}`)).got, got);
  // And with a state: all four are assigned.
  assert.deepEqual((await walk(med, 'mine=true&state=assigned')).got, got);
  assert.deepEqual((await walk(med, 'mine=true&state=mediating')).got, []);
});

test('a search walked past the cap keeps to the caller\'s scope: a township sees its own cases with the word, not another township\'s', async () => {
  // Four more cases with the word, in 工区街道: outside 城厢街道, inside the county.
  const other = [];
  for (let i = 0; i < 4; i++) {
    const r = await clerk.post('/api/v1/cases', {
      channel: 'walk_in', category: 'neighbour', complexity: 'simple',
      facts: `工区的鹦鹉清晨鸣叫扰民，第${i}起`, region_id: ids.region(R.gongqu).id,
      parties: [{ role: 'applicant', name: '钱进' }],
    });
    assertStatus(r, 201, r.text);
    other.push(r.data.id);
  }
  const town = await loginAs(srv.url, 'cx_admin');
  const q = `q=${encodeURIComponent('鹦鹉')}`;
  const first = assertPage(await town.get(`/api/v1/cases?per_page=2&${q}`));
  assert.equal(first.total_capped, true, 'seven in the township: past the cap, so walked');
  const want = new Set(made.slice(0, 7).map((k) => k.id));
  const { got } = await walk(town, q);
  assert.deepEqual(got, await inQueueOrder(town, want), 'the township\'s seven, in queue order');
  const county = new Set((await walk(disp, q)).got);
  assert.equal(county.size, 11, 'the county sees both townships\' cases');
  for (const id of other) assert.ok(county.has(id), `case ${id} of 工区街道 in the county's search`);
});

// The audit log is counted up to the same cap (issue 12: a city's log at 1 M cases held 2.2
// million entries, and its exact count took 1.3 s a page); a filter narrow enough is exact.
test('the audit log counts up to the cap and says so; a narrow filter counts exactly', async () => {
  const all = assertPage(await admin.get('/api/v1/audit?per_page=2'));
  assert.equal(all.total, CAP);
  assert.equal(all.total_capped, true);
  assert.equal(all.items.length, 2);
  // Past the cap the page walks the log newest first (store_audit_list): the same entries, in
  // the same order, as the full list read by the index and sorted.
  const sorted = sqlOn(srv.db, `SELECT id FROM audit_log WHERE id <= ${all.items[0].id} ORDER BY id DESC LIMIT 4`)
    .trim().split('\n').map(Number);
  assert.deepEqual(all.items.map((e) => e.id), sorted.slice(0, 2));
  const next = assertPage(await admin.get(`/api/v1/audit?per_page=2&after=${all.next_cursor}`));
  assert.deepEqual(next.items.map((e) => e.id), sorted.slice(2, 4));
  const one = assertPage(await admin.get(`/api/v1/audit?object_type=case&object_id=${made[0].id}&action=create`));
  assert.equal(one.total_capped, false);
  assert.equal(one.total, 1);
  assert.equal(one.items[0].object_id, made[0].id);
});

// The 时限预警 board past the cap (store_warning_list): more cases warned than the cap, so the
// page walks the warnings newest first instead of sorting the scope's. Each case is listed
// once, with its top warning (due before approaching before a return visit), newest first,
// and the total counts cases, not warnings. Warnings written straight into the table, as
// the scheduler would (the board only reads them).
test('the warnings board walked past the cap lists each case once, with its top warning, newest first', async () => {
  const path = sqlOn(srv.db, `SELECT region_path FROM cases WHERE id = ${made[0].id}`).trim();
  const ins = (k, kind, due) => Number(sqlOn(srv.db, `INSERT INTO case_warnings (case_id, kind, due_date, created_at,
    region_path) VALUES (${k.id}, '${kind}', '${due}', 0, '${path}') RETURNING id`).trim().split('\n')[0]);
  const top = new Map(); // case id -> the id of its top warning
  for (const [i, k] of made.slice(0, 6).entries()) {
    const a = ins(k, 'approaching', '2026-01-0' + (i + 1));
    // Every other case also falls due: its due warning is its top one, whatever the ids.
    top.set(k.id, i % 2 ? a : ins(k, 'due', '2026-01-0' + (i + 1)));
    if (i === 3) ins(k, 'visit', '2026-02-01'); // newer, but below approaching
  }
  const board = assertPage(await disp.get('/api/v1/warnings?per_page=500'));
  const mine = board.items.filter((w) => top.has(w.case_id));
  assert.equal(mine.length, 6, 'each case once');
  for (const w of mine) assert.equal(w.id, top.get(w.case_id), `case ${w.case_id}: its top warning`);
  assert.deepEqual(board.items.map((w) => w.id), board.items.map((w) => w.id).sort((x, y) => y - x), 'newest first');
  assert.equal(board.total, new Set(board.items.map((w) => w.case_id)).size, 'the total counts cases');
  const paged = [];
  for (let page = 1; paged.length < board.total; page++) {
    paged.push(...assertPage(await disp.get(`/api/v1/warnings?per_page=2&page=${page}`)).items.map((w) => w.id));
  }
  assert.deepEqual(paged, board.items.map((w) => w.id));
  // A supervisor of 工区街道, with four cases warned there (past the cap: walked too), sees
  // those four and none of 城厢街道's.
  const far = [];
  for (let i = 0; i < 4; i++) {
    const r = await clerk.post('/api/v1/cases', {
      channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: '工区街道的邻里纠纷',
      region_id: ids.region(R.gongqu).id, parties: [{ role: 'applicant', name: '周敏' }],
    });
    assertStatus(r, 201, r.text);
    const gqPath = sqlOn(srv.db, `SELECT region_path FROM cases WHERE id = ${r.data.id}`).trim();
    far.push(Number(sqlOn(srv.db, `INSERT INTO case_warnings (case_id, kind, due_date, created_at, region_path)
      VALUES (${r.data.id}, 'due', '2026-01-09', 0, '${gqPath}') RETURNING id`).trim().split('\n')[0]));
  }
  const made2 = await admin.post('/api/v1/users', {
    login: 'gq_supervisor', name: '工区督办', password: 'long-enough-pw', roles: ['supervisor'],
    org_id: ids.org(O.gqCommittee).id,
  });
  assertStatus(made2, 201, made2.text);
  const gq = await loginAs(srv.url, 'gq_supervisor', 'long-enough-pw');
  const theirs = assertPage(await gq.get('/api/v1/warnings?per_page=500'));
  assert.deepEqual(theirs.items.map((w) => w.id), [...far].reverse());
  assert.equal(theirs.total, 4);
  const county = assertPage(await disp.get('/api/v1/warnings?per_page=500'));
  assert.equal(county.total, board.total + 4);
});
