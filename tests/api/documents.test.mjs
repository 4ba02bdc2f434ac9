// Printable documents of a case: HTML from the templates, with the case's facts, audited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertProblem, loginAs, lookup, R, residentId, mobile, audit, getBinary, unzip } from './helpers.mjs';

let srv, clerk, disp, med, admin, ids, kase, idNumber, phone;
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
  clerk = await loginAs(srv.url, 'fc_clerk');
  disp = await loginAs(srv.url, 'fc_dispatcher');
  med = await loginAs(srv.url, 'jzj_mediator');
  idNumber = residentId();
  phone = mobile();
  const r = await clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: '排水沟堵塞<引发>争执',
    region_id: ids.region(R.dongjie).id,
    parties: [{ role: 'applicant', name: '张三', id_number: idNumber, phone, address: '警钟街1号' },
      { role: 'respondent', name: '李四' }],
  });
  assert.equal(r.status, 201, r.text);
  kase = r.data;
  const step = async (who, body) => {
    const x = await who.post(`/api/v1/cases/${kase.id}/transitions`, body);
    assert.equal(x.status, 200, x.text);
  };
  const mediator = (await disp.get('/api/v1/mediators?q=黄志强')).data.items[0];
  await step(disp, { action: 'accept' });
  await step(disp, { action: 'assign', resp_org_id: ids.org('警钟街社区人民调解委员会').id, mediator_ids: [mediator.id] });
  await step(med, { action: 'record_session', held_at: '2026-11-20 09:30', place: '社区调解室', participants: '张三、李四', record: '双方同意共同出资疏通' });
  await step(med, { action: 'agree', terms: '双方各承担疏通费用五百元，三日内完成。' });
});
after(async () => { await srv?.stop(); });

const doc = (who, kind) => who.get(`/api/v1/cases/${kase.id}/documents/${kind}`);

test('the list names every document', async () => {
  const r = await disp.get(`/api/v1/cases/${kase.id}/documents`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.data.items.map((d) => d.kind), ['registration', 'rights_notice', 'session_record',
    'one_time_notice', 'agreement', 'confirmation_application', 'return_visit']);
});

test('the registration form prints the case, the parties in full, and escapes text', async () => {
  const r = await doc(disp, 'registration');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.ok(r.text.includes('矛盾纠纷受理登记表'));
  assert.ok(r.text.includes(kase.number));
  assert.ok(r.text.includes(idNumber) && r.text.includes(phone), 'printing shows the full ID and phone');
  assert.ok(r.text.includes('排水沟堵塞&lt;引发&gt;争执'), 'text is HTML-escaped');
  assert.ok(r.text.includes('邻里纠纷') && r.text.includes('人民调解'));
});

test('the agreement, the session record and the confirmation application carry what was recorded', async () => {
  assert.ok((await doc(med, 'agreement')).text.includes('双方各承担疏通费用五百元'));
  const rec = await doc(med, 'session_record');
  assert.ok(rec.text.includes('第1次调解') && rec.text.includes('双方同意共同出资疏通'));
  assert.ok((await doc(med, 'confirmation_application')).text.includes('第三十三条'));
  assert.ok((await doc(med, 'return_visit')).text.includes('尚未回访'));
});

test('the one-time notice lists the service catalogue items of the routing decision', async () => {
  const r = await doc(disp, 'one_time_notice');
  assert.ok(r.text.includes('人民调解申请') && r.text.includes('人民调解法'), r.text.slice(0, 400));
});

test('printing is an audited read; out of scope is 404; unknown documents 404', async () => {
  const before = (await audit(admin, { object_type: "case", object_id: String(kase.id), action: "read" })).length;
  await doc(disp, 'agreement');
  assert.equal((await audit(admin, { object_type: "case", object_id: String(kase.id), action: "read" })).length, before + 1);
  assertProblem(await doc(await loginAs(srv.url, 'jfj_mediator'), 'agreement'), 404, 'not-found');
  assertProblem(await doc(disp, 'will'), 404, 'not-found');
});

test('the dossier: only once closed, then one zip in the order of the standard file', async () => {
  assertProblem(await disp.get(`/api/v1/cases/${kase.id}/dossier`), 409, 'conflict');
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.alloc(16, 1)]);
  const up = await med.request('POST', `/api/v1/cases/${kase.id}/attachments?name=${encodeURIComponent('现场照片.png')}&kind=photo`,
    { body: png, headers: { 'content-type': 'image/png' } });
  assert.equal(up.status, 201, up.text);
  assert.equal((await med.post(`/api/v1/cases/${kase.id}/transitions`, { action: 'close' })).status, 200);
  const r = await getBinary(disp, `/api/v1/cases/${kase.id}/dossier`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), 'application/zip');
  const files = unzip(r.body);
  const names = Object.keys(files).sort();
  assert.deepEqual(names.map((n) => n.slice(0, 2)), ['00', '01', '02', '03', '04', '05', '06', '08', '09', '10']);
  assert.ok(names.includes('04-证据材料/01-现场照片.png'));
  assert.ok(files['04-证据材料/01-现场照片.png'].equals(png));
  assert.ok(files['06-人民调解协议书.html'].toString().includes('双方各承担疏通费用五百元'));
  const json = JSON.parse(files['10-案件数据.json'].toString());
  assert.equal(json.number, kase.number);
  assert.ok(json.timeline.some((e) => e.action === 'close'));
  assert.ok(files['00-卷宗目录.txt'].toString().includes(kase.number));
});
