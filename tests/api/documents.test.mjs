// Printable documents of a case: HTML from the templates, with the case's facts, audited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, Client, assertProblem, loginAs, lookup, R, residentId, mobile, audit, getBinary, unzip } from './helpers.mjs';

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

const KINDS = ['registration', 'rights_notice', 'session_record', 'one_time_notice', 'agreement',
  'confirmation_application', 'return_visit'];

test('the list names every document; the notice that mediation ended only once it failed', async () => {
  const r = await disp.get(`/api/v1/cases/${kase.id}/documents`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.data.items.map((d) => d.kind), KINDS);
  assertProblem(await doc(disp, 'mediation_ended'), 409, 'conflict');
  // Before its occasion a document is offered blank, to be filled in by hand.
  const ready = Object.fromEntries(r.data.items.map((d) => [d.kind, d.ready]));
  assert.equal(ready.registration, true);
  assert.equal(ready.session_record, true, 'a session was recorded');
  assert.equal(ready.agreement, true, 'the agreement was reached');
  assert.equal(ready.confirmation_application, true);
  assert.equal(ready.return_visit, false, 'no return visit yet');
});

// ---- every document, for a case with every optional field empty and for one with all full

/** What an empty field leaves behind (the same rules as tests/unit/test_doc.c). */
function emptySlot(html, full) {
  const text = html.replace(/<[^>]*>/g, '');
  for (const s of ['、：', '于经', '。。', '，，', '（）', '（至）', '、。', '，。', '：。', '：，', '：；', '、）', '（、',
    '、、', '；。', '{{', '}}', '人民币元', '第期', 'undefined', 'null']) if (text.includes(s)) return s;
  for (const s of ['：\n', '：</td>', '：</span>', '：　', '<p></p>', '<p class="plain"></p>', '<li></li>']) if (html.includes(s)) return s;
  if (full && html.includes('<td></td>')) return '<td></td>';
  if (/此致[\s　]*人民法院/.test(text)) return '此致 / 人民法院 without a court';
  return null;
}

test('the slot checker catches what it must', () => {
  assert.ok(emptySlot('<p>张三、李四、：</p>'));
  assert.ok(emptySlot('<p class="plain">此致</p>\n<p class="plain">人民法院</p>'));
  assert.ok(emptySlot('<p>于经人民调解委员会</p>'));
  assert.equal(emptySlot('<p class="plain">此致</p><p>绵阳市涪城区人民法院</p>'), null);
});

async function walk(who, id, steps) {
  for (const body of steps) {
    const x = await who().post(`/api/v1/cases/${id}/transitions`, body);
    assert.equal(x.status, 200, `${body.action}: ${x.text}`);
  }
}

async function allDocuments(who, id, full) {
  const list = (await who.get(`/api/v1/cases/${id}/documents`)).data.items.map((d) => d.kind);
  const out = {};
  for (const kind of list) {
    // In full (with a reason: 个人信息保护法 art. 28) for the handling mediator of a full case.
    const r = await who.get(`/api/v1/cases/${id}/documents/${kind}${full ? `?reason=${encodeURIComponent('打印存档')}` : ''}`);
    assert.equal(r.status, 200, `${kind}: ${r.text.slice(0, 300)}`);
    const slot = emptySlot(r.text, full);
    assert.equal(slot, null, `${kind} of case ${id}: empty slot ${slot}\n${r.text.replace(/<[^>]*>/g, '').slice(0, 3000)}`);
    out[kind] = r.text;
  }
  return out;
}

test('every document of a bare online application (nothing optional, not yet accepted) has no empty slot', async () => {
  const pub = new Client(srv.url);
  const a = await pub.post('/api/v1/public/applications', {
    category: 'neighbour', region_id: ids.region(R.dongjie).id, facts: '楼上漏水',
    applicant: { name: '王小明', phone: mobile() }, respondent: { name: '刘大海' },
  });
  assert.equal(a.status, 201, a.text);
  const mine = (await disp.get('/api/v1/cases?channel=online&per_page=100')).data.items.find((c) => c.number === a.data.number);
  assert.ok(mine, 'the application is in the register');
  const docs = await allDocuments(disp, mine.id, false);
  assert.deepEqual(Object.keys(docs), KINDS);
  assert.ok(docs.confirmation_application.includes('绵阳市涪城区人民法院'), 'a village case goes to the district court');
});

test('every document of a case with every field full, agreed with instalments, has no empty slot', async () => {
  const mediator = (await disp.get('/api/v1/mediators?q=黄志强')).data.items[0];
  const r = await clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'contract', complexity: 'ordinary', facts: '借款到期未还。', claims: '归还借款三千元。',
    cause: '经营困难。', occurred_on: '2026-10-01', people: 2, amount: 3000, forecast: '可能激化。',
    region_id: ids.region(R.dongjie).id,
    parties: [{ role: 'applicant', name: '赵甲', id_number: residentId(), phone: mobile(), address: '警钟街3号', agent: '赵小甲' },
      { role: 'respondent', name: '钱乙', id_number: residentId(), phone: mobile(), address: '警钟街4号', agent: '钱小乙' }],
  });
  assert.equal(r.status, 201, r.text);
  await walk(() => disp, r.data.id, [{ action: 'accept' },
    { action: 'assign', lead_leader_id: ids.user('fc_leader').id, resp_org_id: ids.org('警钟街社区人民调解委员会').id, mediator_ids: [mediator.id] }]);
  await walk(() => med, r.data.id, [
    { action: 'record_session', held_at: '2026-11-20 09:30', place: '社区调解室', participants: '赵甲、钱乙', record: '双方同意分期还款。', next_step: '起草协议。' },
    { action: 'record_session', held_at: '2026-11-22 15:00', record: '视频连线确认还款计划。', online: true },
    { action: 'agree', terms: '钱乙分两期归还借款三千元。', amount: 3000,
      instalments: [{ due_date: '2027-01-10', amount: 1500 }, { due_date: '2027-02-10', amount: 1500 }] }]);
  const docs = await allDocuments(med, r.data.id, true);
  assert.ok(docs.registration.includes('登记时间') && docs.registration.includes('警钟街4号'), 'registration time and addresses');
  assert.match(docs.agreement, /履行方式、时限/);
  assert.equal((docs.session_record.match(/线上视频调解/g) || []).length, 1, 'the online session says so, the other not');
  assert.ok(docs.agreement.includes('2027年1月10日') && docs.agreement.includes('2027年2月10日'), 'the instalment plan');
  assert.ok(docs.confirmation_application.includes('绵阳市涪城区人民法院'));
  for (const [kind, html] of Object.entries(docs)) {
    const seal = html.slice(html.indexOf('class="seal"'));
    assert.ok(html.includes('class="seal"') && seal.includes(kind === 'registration' || kind === 'one_time_notice'
      ? '涪城区社会矛盾纠纷调处化解中心' : '警钟街社区人民调解委员会'), `${kind}: the issuing body beside the seal`);
  }
});

test('a failed case prints the notice that mediation ended: why, and the routes left with their limits', async () => {
  const mediator = (await disp.get('/api/v1/mediators?q=黄志强')).data.items[0];
  const r = await clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'labour', complexity: 'simple', facts: '拖欠工资', region_id: ids.region(R.dongjie).id,
    parties: [{ role: 'applicant', name: '孙丙' }, { role: 'respondent', name: '某建筑公司', kind: 'organization' }],
  });
  assert.equal(r.status, 201, r.text);
  await walk(() => disp, r.data.id, [{ action: 'accept' },
    { action: 'assign', lead_leader_id: ids.user('fc_leader').id, resp_org_id: ids.org('警钟街社区人民调解委员会').id, mediator_ids: [mediator.id] }]);
  await walk(() => med, r.data.id, [{ action: 'record_session', held_at: '2026-11-20', record: '公司拒不到场。' },
    { action: 'fail', guidance: 'arbitration', reason: '被申请人拒绝调解。' }]);
  const docs = await allDocuments(med, r.data.id, false);
  const ended = docs.mediation_ended;
  assert.ok(ended, 'the notice is listed for a failed case');
  for (const s of ['调解终结告知书', '被申请人拒绝调解', '引导仲裁', '三年', '一年', '六十日', '第一百八十八条', '第二十七条', '第二十条', '警钟街社区人民调解委员会'])
    assert.ok(ended.includes(s), `the notice lacks ${s}`);
});

test('a region\'s court: set, cleared, validated, audited; the nearest one upwards is used', async () => {
  const fc = ids.region(R.fucheng).id;
  assert.equal((await admin.get(`/api/v1/regions/${fc}`)).data.court, '绵阳市涪城区人民法院');
  assert.equal((await admin.get(`/api/v1/regions/${ids.region(R.mianyang).id}`)).data.court, '绵阳市中级人民法院');
  const cx = ids.region(R.chengxiang).id;
  const bad = await admin.patch(`/api/v1/regions/${cx}`, { court: 'x'.repeat(65) });
  assertProblem(bad, 400, 'validation');
  assert.ok(JSON.stringify(bad.data).includes('court'));
  const set = await admin.patch(`/api/v1/regions/${cx}`, { court: '涪城区人民法院城厢法庭' });
  assert.equal(set.status, 200, set.text);
  assert.equal(set.data.court, '涪城区人民法院城厢法庭');
  assert.ok((await doc(med, 'confirmation_application')).text.includes('涪城区人民法院城厢法庭'), 'the nearer court wins');
  const cleared = await admin.patch(`/api/v1/regions/${cx}`, { court: '' });
  assert.equal(cleared.data.court, null);
  assert.ok((await doc(med, 'confirmation_application')).text.includes('绵阳市涪城区人民法院'));
  const a = await audit(admin, { object_type: 'region', object_id: String(cx), action: 'update' });
  assert.ok(a.some((x) => (x.fields || '').includes('court')), JSON.stringify(a.slice(0, 2)));
});

test('the registration form prints the case, the parties masked, and escapes text', async () => {
  const r = await doc(disp, 'registration');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.ok(r.text.includes('矛盾纠纷受理登记表'));
  assert.ok(r.text.includes(kase.number));
  assert.ok(!r.text.includes(idNumber) && !r.text.includes(phone), 'printing without a reason masks the ID and phone');
  assert.ok(r.text.includes(`${idNumber.slice(0, 6)}********${idNumber.slice(14)}`), 'the masked ID is printed');
  // The handling mediator prints in full by giving a reason (个人信息保护法 art. 28/29), audited with it.
  const full = await med.get(`/api/v1/cases/${kase.id}/documents/registration?reason=${encodeURIComponent('当事人签字确认')}`);
  assert.equal(full.status, 200, full.text);
  assert.ok(full.text.includes(idNumber) && full.text.includes(phone), 'printing with a reason shows the full ID and phone');
  const rows = await audit(admin, { object_type: 'case', object_id: String(kase.id), action: 'reveal' });
  assert.ok(rows.some((a) => a.detail === '当事人签字确认' && JSON.stringify(a.fields) === '["document"]'), JSON.stringify(rows));
  // A dispatcher may not print in full, reason or not; a blank reason is a 400 naming it.
  assertProblem(await disp.get(`/api/v1/cases/${kase.id}/documents/registration?reason=${encodeURIComponent('想看看')}`), 403, 'forbidden');
  const blank = await med.get(`/api/v1/cases/${kase.id}/documents/registration?reason=`);
  assert.equal(blank.status, 400, blank.text);
  assert.ok(blank.text.includes('reason'), blank.text);
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
  // Hostile names (issue 13, defect 3): every one is stored in a safe form.
  const hostile = [
    ['../../../../tmp/zipslip.png', 'zipslip.png'], ['/etc/passwd.png', 'passwd.png'],
    ['C:/Windows/win.png', 'win.png'], ['..\\..\\evil.png', 'evil.png'], ['..', 'attachment.png'],
    ['收据\u202egnp.exe', '收据gnp.exe'], ['a\u0001b\u0007c\u009b.png', 'abc.png'], ['\u200f\u2066', 'attachment.png'],
    ['...hidden.png', 'hidden.png'], ['a<b>c:d|e?.png', 'a_b_c_d_e_.png'], ['长'.repeat(300) + '.png', '长'.repeat(96) + '.png'],
  ];
  for (const [name, safe] of hostile) {
    const h = await med.request('POST', `/api/v1/cases/${kase.id}/attachments?name=${encodeURIComponent(name)}&kind=scan`,
      { body: png, headers: { 'content-type': 'image/png' } });
    assert.equal(h.status, 201, `${JSON.stringify(name)}: ${h.text}`);
    assert.equal(h.data.name, safe, `stored name of ${JSON.stringify(name)}`);
  }
  assert.equal((await med.post(`/api/v1/cases/${kase.id}/transitions`, { action: 'close' })).status, 200);
  const r = await getBinary(disp, `/api/v1/cases/${kase.id}/dossier`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), 'application/zip');
  const files = unzip(r.body);
  const names = Object.keys(files).sort();
  assert.deepEqual([...new Set(names.map((n) => n.slice(0, 2)))], ['00', '01', '02', '03', '04', '05', '06', '07', '08', '09', '10']);
  assert.ok(names.includes('04-证据材料/01-现场照片.png'));
  assert.ok(files['04-证据材料/01-现场照片.png'].equals(png));
  assert.ok(files['06-人民调解协议书.html'].toString().includes('双方各承担疏通费用五百元'));
  const json = JSON.parse(files['10-案件数据.json'].toString());
  assert.equal(json.number, kase.number);
  assert.ok(json.timeline.some((e) => e.action === 'close'));
  assert.ok(files['00-卷宗目录.txt'].toString().includes(kase.number));
  // What a naive extractor would do: join each entry to the target folder. None leaves it,
  // none is absolute, none carries a control or bidi character.
  const root = path.resolve('/tmp/dossier-extract');
  for (const n of names) {
    assert.ok(!path.isAbsolute(n) && !/^[A-Za-z]:/.test(n), `absolute entry ${n}`);
    assert.ok(!n.includes('\\') && !n.split('/').includes('..'), `climbing entry ${n}`);
    assert.ok(path.resolve(root, n).startsWith(root + path.sep), `entry outside the folder: ${n}`);
    assert.ok(!/[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/.test(n), `control/bidi in ${JSON.stringify(n)}`);
  }
  assert.ok(names.some((n) => n.startsWith('07-履行凭证及签字材料/') && n.endsWith('-zipslip.png')), names.join('\n'));
});
