// Search bound by (term, scope) (issue 12, migration 34): the search index holds a token for
// each region above a case, and the register's search intersects the term with the caller's
// region there; its count is the index's. A township's search never returns or counts a
// neighbouring township's match, a village's never its sibling's, and the total equals the
// matches the caller can page through. A case whose text spells a scope token (r<code>, or
// r:<code>) does not pass for a case of that region.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertPage, assertStatus, loginAs, lookup, listAll, R, O } from './helpers.mjs';

let srv, ids, county, cx, jzj, gq;
const made = {}; // region code -> case ids with the term
const TERM = '鹦鹉';
const forged = `${TERM}吵闹 r${R.chengxiang} r:${R.chengxiang} r${R.dongjie}`;

before(async () => {
  srv = await startServer();
  const admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
  const clerk = await loginAs(srv.url, 'fc_clerk');
  county = await loginAs(srv.url, 'fc_dispatcher');
  cx = await loginAs(srv.url, 'cx_admin'); // 城厢街道
  jzj = await loginAs(srv.url, 'jzj_mediator'); // 警钟街社区, a village of 城厢街道
  const u = await admin.post('/api/v1/users', {
    login: 'gq_search_clerk', name: '工区检索', password: 'gq-search-pw-1', roles: ['clerk'],
    org_id: ids.org(O.gqCommittee).id,
  });
  assertStatus(u, 201);
  gq = await loginAs(srv.url, 'gq_search_clerk', 'gq-search-pw-1'); // 工区街道, beside 城厢街道
  const plan = [[R.dongjie, 3], [R.xijie, 2], [R.chengxiang, 1], [R.gongqu, 4]];
  for (const [code, n] of plan) {
    made[code] = [];
    for (let i = 0; i < n; i++) {
      const r = await clerk.post('/api/v1/cases', {
        channel: 'walk_in', category: 'neighbour', complexity: 'simple',
        facts: `邻居家${TERM}清晨鸣叫第${i}次`, region_id: ids.region(code).id,
        parties: [{ role: 'applicant', name: '钱多' }],
      });
      assertStatus(r, 201);
      made[code].push(r.data.id);
    }
  }
  // In 工区街道, text that spells the tokens of 城厢街道 and 警钟街社区.
  const r = await clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: forged,
    region_id: ids.region(R.gongqu).id, parties: [{ role: 'applicant', name: '孙五' }],
  });
  assertStatus(r, 201);
  made[R.gongqu].push(r.data.id);
});
after(async () => { await srv?.stop(); });

const q = (term, extra = '') => `/api/v1/cases?q=${encodeURIComponent(term)}${extra}`;
const sorted = (a) => [...a].sort((x, y) => x - y);
const want = (...codes) => sorted(codes.flatMap((c) => made[c]));

// The page, every page and the total agree, and are exactly the expected cases.
async function expectSearch(client, who, path, expected) {
  const first = assertPage(await client.get(`${path}&per_page=2`), `${who} ${path}`);
  assert.equal(first.total, expected.length, `${who}: the total counts only visible matches`);
  assert.equal(first.total_capped, false);
  assert.equal(first.items.length, Math.min(2, expected.length));
  const all = await listAll(client, path);
  assert.deepEqual(sorted(all.map((k) => k.id)), expected, `${who}: the matches are those of its scope`);
}

test('a township finds and counts its own matches, never its neighbour\'s', async () => {
  await expectSearch(cx, '城厢街道', q(TERM), want(R.dongjie, R.xijie, R.chengxiang));
  await expectSearch(gq, '工区街道', q(TERM), want(R.gongqu));
});

test('a village finds only its own matches; the county finds all of them', async () => {
  await expectSearch(jzj, '警钟街社区', q(TERM), want(R.dongjie));
  await expectSearch(county, '涪城区', q(TERM), want(R.dongjie, R.xijie, R.chengxiang, R.gongqu));
});

test('a narrowed region and another filter keep to the same scope', async () => {
  await expectSearch(county, 'region_id=工区街道', q(TERM, `&region_id=${ids.region(R.gongqu).id}`), want(R.gongqu));
  await expectSearch(cx, 'region_id=解放街社区', q(TERM, `&region_id=${ids.region(R.xijie).id}`), want(R.xijie));
  await expectSearch(cx, 'state=registered', q(TERM, '&state=registered'), want(R.dongjie, R.xijie, R.chengxiang));
  const outside = await cx.get(q(TERM, `&region_id=${ids.region(R.gongqu).id}`));
  assertStatus(outside, 400);
});

test('text that spells a scope token does not put a case into that scope', async () => {
  for (const term of [`r${R.chengxiang}`, `${TERM}吵闹`]) {
    const page = assertPage(await cx.get(q(term)), `q=${term}`);
    assert.equal(page.total, 0, `q=${term}: 城厢街道 sees no case of 工区街道`);
  }
  const own = assertPage(await gq.get(q(`${TERM}吵闹`)), 'own');
  assert.deepEqual(own.items.map((k) => k.id), [made[R.gongqu].at(-1)]);
});
