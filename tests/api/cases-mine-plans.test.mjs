// "My cases" (mine=true) and the mediator's workbench under each of the two plans SQLite may
// choose between (issue 12): the caller's own cases driving, or the caller's scope driving with
// each case tested for being theirs (chosen when the scope holds fewer cases, as for the busiest
// demo mediator at 1 M cases). JIEFEN_MINE_PLAN takes the choice away so that both run on this
// small register; every other test runs the choice itself. Whatever the plan, the list holds
// exactly the caller's cases of their scope, in queue order, and each count is its list's.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertStatus, loginAs, lookup, listAll, sqlOn, O, R } from './helpers.mjs';

const servers = [];
after(async () => { for (const s of servers) await s.stop(); });

/** A server under `plan`, with cases of the mediator jzj_mediator in several states. */
async function setUp(plan) {
  const srv = await startServer({ env: { JIEFEN_MINE_PLAN: plan } });
  servers.push(srv);
  const admin = await loginAs(srv.url, 'admin');
  const ids = await lookup(admin);
  const clerk = await loginAs(srv.url, 'fc_clerk');
  const disp = await loginAs(srv.url, 'fc_dispatcher');
  const med = await loginAs(srv.url, 'jzj_mediator');
  const uid = ids.user('jzj_mediator').id;
  const mid = (await listAll(admin, '/api/v1/mediators')).find((m) => m.user_id === uid).id;
  const act = async (id, body, client = disp) =>
    assertStatus(await client.post(`/api/v1/cases/${id}/transitions`, body), 200, `${body.action} on ${id}`);
  const made = [];
  for (let i = 0; i < 7; i++) {
    const r = await clerk.post('/api/v1/cases', {
      channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: `楼道堆放杂物，第${i}起`,
      region_id: ids.region(R.dongjie).id, parties: [{ role: 'applicant', name: '钱红' }],
    });
    assertStatus(r, 201, r.text);
    made.push(r.data);
    if (i === 6) continue; // left registered: in scope, not the mediator's
    await act(r.data.id, { action: 'accept' });
    await act(r.data.id, { action: 'assign', resp_org_id: ids.org(O.djCommittee).id, mediator_ids: [mid] });
    if (i < 2) {
      await act(r.data.id, { action: 'record_session', held_at: '2026-11-02 09:30', record: '第一次调解', place: '调解室', participants: '双方' }, med);
    }
  }
  // Cases that are the mediator's two or three ways (responsible person, lead leader, or
  // both, too: each counted once), and a registered one that is theirs as lead leader only (a count goes
  // through each of the three ways, store/cases.c mine_count). Written with SQL: who answers
  // for a case is not a counter.
  sqlOn(srv.db, `UPDATE cases SET resp_user_id = ${uid} WHERE id = ${made[2].id}`);
  sqlOn(srv.db, `UPDATE cases SET lead_leader_id = ${uid} WHERE id = ${made[5].id}`);
  sqlOn(srv.db, `UPDATE cases SET resp_user_id = ${uid}, lead_leader_id = ${uid} WHERE id = ${made[3].id}`);
  const spare = await clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: '楼道堆放杂物，另一起',
    region_id: ids.region(R.dongjie).id, parties: [{ role: 'applicant', name: '钱红' }],
  });
  assertStatus(spare, 201, spare.text);
  sqlOn(srv.db, `UPDATE cases SET lead_leader_id = ${uid} WHERE id = ${spare.data.id}`);
  return { med, uid, mid };
}

for (const plan of ['scope', 'mine']) {
  test(`plan ${plan}: "my cases" and the workbench's counts are the mediator's own cases of their scope`, async () => {
    const { med, uid, mid } = await setUp(plan);
    const isMine = (k) => k.resp_user_id === uid || k.lead_leader_id === uid || (k.mediator_ids ?? []).includes(mid);
    // The truth: the mediator's whole scope in queue order, filtered here.
    const scope = await listAll(med, '/api/v1/cases');
    const mine = scope.filter(isMine);
    assert.ok(mine.length >= 7, `the seven cases made are the mediator's (${mine.length})`);
    assert.ok(mine.some((k) => k.resp_user_id === uid && (k.mediator_ids ?? []).includes(mid)), 'one case is theirs two ways');
    assert.ok(mine.some((k) => k.lead_leader_id === uid && !(k.mediator_ids ?? []).includes(mid)), 'one is theirs as lead leader only');
    assert.ok(scope.length > mine.length, 'the scope holds cases that are not the mediator\'s');

    const listed = await listAll(med, '/api/v1/cases?mine=true');
    assert.deepEqual(listed.map((k) => k.id), mine.map((k) => k.id));
    const first = await med.get('/api/v1/cases?mine=true&per_page=2');
    assertStatus(first, 200);
    assert.equal(first.data.total, mine.length);

    for (const state of ['assigned', 'mediating', 'closed']) {
      const want = mine.filter((k) => k.state === state).map((k) => k.id);
      const got = await listAll(med, `/api/v1/cases?mine=true&state=${state}`);
      assert.deepEqual(got.map((k) => k.id), want, `mine=true&state=${state}`);
    }
    const wb = await med.get('/api/v1/workbench');
    assertStatus(wb, 200);
    const count = Object.fromEntries(wb.data.items.map((i) => [i.key, i.count]));
    assert.equal(count.sessions_due, mine.filter((k) => k.state === 'assigned').length);
    assert.equal(count.mediating, mine.filter((k) => k.state === 'mediating').length);
    assert.ok(count.sessions_due >= 4 && count.mediating >= 2, JSON.stringify(count));
  });
}
