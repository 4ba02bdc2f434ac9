// The register's deep pages by keyset (issue 12): GET /api/v1/cases answers next_cursor, and
// after=<cursor> reads the page after it from the index instead of skipping rows by OFFSET.
// `page` still works, bounded to the first 10,000 cases (docs/performance.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertPage, assertValidation, loginAs } from './helpers.mjs';

let srv, sup;
before(async () => {
  srv = await startServer({ demoArgs: ['--cases', '120', '--seed', '3'] });
  sup = await loginAs(srv.url, 'fc_supervisor');
});
after(async () => { await srv?.stop(); });

/** Every page of a query by page=, and by after= from page 1; returns [byPage, byCursor]. */
async function walk(query) {
  const byPage = [], byCursor = [];
  let d;
  for (let page = 1; page < 50; page++) {
    d = assertPage(await sup.get(`/api/v1/cases?${query}&per_page=7&page=${page}`));
    byPage.push(...d.items.map((k) => k.id));
    if (d.items.length < 7) break;
  }
  let cursor = '', total = null;
  for (let i = 0; i < 50; i++) {
    d = assertPage(await sup.get(`/api/v1/cases?${query}&per_page=7${cursor ? '&after=' + cursor : ''}`));
    if (total === null) total = d.total;
    assert.equal(d.total, total, 'total is the whole filter on every page');
    byCursor.push(...d.items.map((k) => k.id));
    assert.equal(d.next_cursor === null, d.items.length < 7, 'a cursor exactly when the page is full');
    if (!d.next_cursor) break;
    cursor = d.next_cursor;
  }
  assert.equal(byCursor.length, total);
  return [byPage, byCursor];
}

test('following next_cursor lists the register in the order of its pages, each case once', async () => {
  const [byPage, byCursor] = await walk('x=1');
  assert.ok(byPage.length > 100, `${byPage.length} cases`);
  assert.deepEqual(byCursor, byPage);
});

test('the cursor keeps the filter: a state, and overdue', async () => {
  for (const q of ['state=closed', 'overdue=true', 'category=neighbour']) {
    const [byPage, byCursor] = await walk(q);
    assert.deepEqual(byCursor, byPage, q);
  }
});

test('a cursor not from the list, a page with a cursor, and a page past 10,000 cases are 400s naming the field', async () => {
  for (const bad of ['zz', '3132', '41', 'x'.repeat(300), '2e3132']) // not hex, no id, bad key, too long
    assert.equal(assertValidation(await sup.get(`/api/v1/cases?after=${bad}`), bad).after, 'invalid', bad);
  const d = assertPage(await sup.get('/api/v1/cases?per_page=7'));
  assert.equal(assertValidation(await sup.get(`/api/v1/cases?per_page=7&page=2&after=${d.next_cursor}`)).page, 'invalid');
  assert.equal(assertValidation(await sup.get('/api/v1/cases?per_page=100&page=102')).page, 'too_deep');
  assertPage(await sup.get('/api/v1/cases?per_page=100&page=101'), 'the last page that starts within 10,000');
});
