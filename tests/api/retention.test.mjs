// Retention (个人信息保护法 art. 19, 47): `jiefen retention run` anonymises the parties of
// cases archived more than `retention_years` (default 30) before --today — names to
// 当事人甲/乙, sealed numbers and blind indexes cleared, search terms rewritten, a timeline
// event and an audit row — skips cases under a legal hold (`jiefen retention hold`), and a
// rerun changes nothing. --dry-run only lists.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startServer, assertProblem, assertStatus, listAll, loginAs, lookup, audit, sqlOn, residentId, mobile, R } from './helpers.mjs';
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

const files = () => join(dirname(srv.keyFile), 'files');
const cli = (...args) => runCli(['retention', ...srv.db.args, '--files', files(), ...args]);

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

/** Every stored byte of the database: the SQLite file and its log, or a data dump. */
function databaseBytes() {
  const [flag, target] = srv.db.args;
  if (flag === '--db') return Buffer.concat([target, `${target}-wal`].filter(existsSync).map((f) => readFileSync(f)));
  const kv = Object.fromEntries(target.split(' ').map((x) => x.split('=')));
  return execFileSync('pg_dump', ['-h', kv.host, '-U', kv.user, '-d', kv.dbname, '--data-only'], { maxBuffer: 1 << 28 });
}
const has = (hay, s) => hay.includes(Buffer.from(s, 'utf8'));

/** Every file under the attachments folder. */
function filesBytes() {
  const out = [];
  const walk = (d) => { if (existsSync(d)) for (const e of readdirSync(d, { withFileTypes: true })) e.isDirectory() ? walk(join(d, e.name)) : out.push(readFileSync(join(d, e.name))); };
  walk(files());
  return Buffer.concat(out);
}

// 个人信息保护法 art. 47: past the period the names, ID and phone numbers leave the free text
// too — facts, session records, event notes, agreement terms — and the attachment files go;
// the case record keeps category, region, dates, outcome and counts; statistics stay as they were.
test('retention masks the free text, deletes attachment files, keeps the outcome and the statistics', async () => {
  const clerk = await loginAs(srv.url, 'fc_clerk');
  const disp = await loginAs(srv.url, 'fc_dispatcher');
  const med = await loginAs(srv.url, 'jzj_mediator');
  const name = `上官${'明亮'[process.pid % 2]}辉`, other = '诸葛文远';
  const idNumber = residentId(), phone = mobile();
  const spaced = `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`;
  const r = await clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'neighbour', complexity: 'simple', region_id: ids.region(R.dongjie).id,
    facts: `${name}（身份证号${idNumber}，电话${phone}）称${other}堆放杂物堵塞通道，2026-11-02起多次协商未果`,
    claims: `请${other}清理通道`,
    parties: [{ role: 'applicant', name, id_number: idNumber, phone }, { role: 'respondent', name: other, phone: mobile() }],
  });
  assertStatus(r, 201, 'intake');
  const id = r.data.id;
  const committee = ids.org('警钟街社区人民调解委员会');
  const mediator = (await listAll(admin, '/api/v1/mediators')).find((m) => m.user_id === ids.user('jzj_mediator').id);
  const act = async (who, body) => assertStatus(await who.post(`/api/v1/cases/${id}/transitions`, body), 200, body.action);
  await act(disp, { action: 'accept', note: `已电话联系${name}：${spaced}` });
  await act(disp, { action: 'assign', lead_leader_id: ids.user('fc_leader').id, resp_org_id: committee.id, mediator_ids: [mediator.id] });
  await act(med, { action: 'record_session', held_at: '2026-11-03 09:30', record: `${name}与${other}到场，${name}出示身份证${idNumber}`, place: '警钟街社区调解室', participants: `${name}、${other}` });
  await act(med, { action: 'agree', terms: `${other}三日内清理通道；${name}（${phone}）不再追究`, form: 'written' });
  const up = await med.request('POST', `/api/v1/cases/${id}/attachments?${encodeURI(`name=${name}的身份证复印件.pdf&kind=evidence`)}`,
    { body: Buffer.from(`%PDF-1.4 ${name} ${idNumber} ${phone} 复印件`), headers: { 'content-type': 'application/pdf' } });
  assertStatus(up, 201, 'attachment');
  await act(med, { action: 'close', summary: '调解成功' });
  await act(clerk, { action: 'archive' });
  assert.ok(has(filesBytes(), name), 'the file is on disk before');

  const stats = async () => (await admin.get('/api/v1/stats/summary')).data;
  const before = await stats();
  const today = beijingDay(30, 1);
  const dry = cli('run', '--dry-run', '--today', today);
  assert.equal(dry.status, 0, dry.stderr);
  const line = dry.stdout.split('\n').find((l) => l.startsWith(r.data.number));
  assert.match(line || '', /parties=2 texts=[1-9]\d* attachments=1 bytes=\d+/, dry.stdout);
  assert.ok(has(filesBytes(), name), 'a dry run deletes no file');
  assert.ok(has(databaseBytes(), name) && has(databaseBytes(), phone), 'the database holds them before (the check below can fail)');
  assert.ok(sqlOn(srv.db, `SELECT facts FROM cases WHERE id = ${id}`).includes(name), 'a dry run changes no text');

  const run = cli('run', '--today', today);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /[1-9]\d* texts masked, [1-9]\d* attachments \(\d+ bytes\) deleted/);

  // Nothing of the name, ID number or phone is left in the database or the files folder.
  const db = databaseBytes(), disk = filesBytes();
  for (const [what, v] of [['name', name], ['other party', other], ['ID number', idNumber], ['phone', phone], ['spaced phone', spaced]]) {
    assert.ok(!has(db, v), `${what} still in the database`);
    assert.ok(!has(disk, v), `${what} still in the files folder`);
  }
  // The record keeps what happened: masked facts, the labels, the dates, the outcome.
  const sup = await loginAs(srv.url, 'fc_supervisor');
  const k = (await sup.get(`/api/v1/cases/${id}`)).data;
  assert.equal(k.state, 'archived');
  assert.equal(k.category, 'neighbour');
  assert.equal(k.facts, '当事人甲（身份证号[已删除]，电话[已删除]）称当事人乙堆放杂物堵塞通道，2026-11-02起多次协商未果');
  const tl = (await sup.get(`/api/v1/cases/${id}/timeline`)).data.items;
  const agree = tl.find((e) => e.action === 'agree');
  assert.equal(agree.data.terms, '当事人乙三日内清理通道；当事人甲（[已删除]）不再追究');
  assert.equal(tl.find((e) => e.action === 'accept').data.note, '已电话联系当事人甲：[已删除]');
  const an = tl.find((e) => e.action === 'anonymise');
  assert.equal(an.data.attachments, 1);
  // The attachment row stays, its name masked and marked deleted; the download says so.
  const att = (await sup.get(`/api/v1/cases/${id}/attachments`)).data.items[0];
  assert.equal(att.name, '当事人甲的身份证复印件.pdf');
  assert.ok(att.deleted_at, 'marked deleted');
  assert.equal(att.sha256, up.data.sha256, 'the hash stays');
  assertProblem(await sup.get(`/api/v1/cases/${id}/attachments/${att.id}`), 404, 'not-found');
  assert.deepEqual(await stats(), before, 'statistics unchanged');
  // A rerun: nothing more.
  const again = cli('run', '--today', today);
  assert.match(again.stdout, /anonymised 0 cases/);
});
