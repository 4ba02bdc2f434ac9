// The scheduler merges the SQLite search index (FTS5 'optimize') once a day and, between
// those, once SEARCH_MERGE_AFTER cases have been registered since the last merge (src/sched/
// sched.c): a broad search slows with every registration until the merge (docs/performance.md).
// The server runs with the threshold at 3 (JIEFEN_SEARCH_MERGE_AFTER) and a pass a second.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertStatus, loginAs, lookup, R } from './helpers.mjs';
import { BACKEND } from '../lib/server.mjs';

const sqlite = BACKEND !== 'pg';
let srv, clerk, ids;
before(async () => {
  if (!sqlite) return;
  srv = await startServer({ env: { JIEFEN_SEARCH_MERGE_AFTER: '3' }, extraArgs: ['--scan-interval', '1'] });
  clerk = await loginAs(srv.url, 'fc_clerk');
  ids = await lookup(await loginAs(srv.url, 'admin'));
});
after(async () => { await srv?.stop(); });

const merges = () => srv.log().split('\n').filter((l) => l.includes('"search index merged"') && l.includes('"reason":"registrations"'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function register(n) {
  for (let i = 0; i < n; i++) {
    const r = await clerk.post('/api/v1/cases', {
      channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: `楼道堆物引发争执，第${i}起`,
      region_id: ids.region(R.dongjie).id, parties: [{ role: 'applicant', name: '钱进' }],
    });
    assertStatus(r, 201, r.text);
  }
}
async function waitFor(pred, ms) {
  for (let t = 0; t < ms; t += 100) {
    if (pred()) return true;
    await sleep(100);
  }
  return pred();
}

test('no merge at start-up, none below the threshold, one once it is reached', { skip: !sqlite && 'the GIN index of PostgreSQL merges itself' }, async () => {
  await sleep(2500); // two passes: the first marks the newest case, the second finds nothing new
  assert.deepEqual(merges(), [], 'no merge at start-up');
  await register(2);
  await sleep(2500);
  assert.deepEqual(merges(), [], 'two registrations are below the threshold of three');
  await register(1);
  assert.ok(await waitFor(() => merges().length === 1, 10000), `one merge after the third:\n${merges().join('\n')}`);
  assert.match(merges()[0], /"reason":"registrations"/);
  await sleep(2500);
  assert.equal(merges().length, 1, 'the count starts again after a merge');
});
