// Attachments: raw uploads, checked by content, stored once by SHA-256, downloadable in scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startServer, assertProblem, assertValidation, loginAs, lookup, R } from './helpers.mjs';

let srv, clerk, ids, kase;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
const PDF = Buffer.from('%PDF-1.4\n% 调解协议书扫描件\n%%EOF\n');

before(async () => {
  srv = await startServer();
  ids = await lookup(await loginAs(srv.url, 'admin'));
  clerk = await loginAs(srv.url, 'fc_clerk');
  const r = await clerk.post('/api/v1/cases', {
    channel: 'walk_in', category: 'damages', complexity: 'simple', facts: '狗咬伤路人',
    region_id: ids.region(R.dongjie).id, parties: [{ role: 'applicant', name: '甲' }],
  });
  assert.equal(r.status, 201, r.text);
  kase = r.data;
});
after(async () => { await srv?.stop(); });

const upload = (who, body, type, query = 'name=伤情照片.png&kind=photo') =>
  who.request('POST', `/api/v1/cases/${kase.id}/attachments?${encodeURI(query)}`, { body, headers: { 'content-type': type } });

test('an upload is stored under its SHA-256 and listed with the case', async () => {
  const r = await upload(clerk, PNG, 'image/png');
  assert.equal(r.status, 201, r.text);
  assert.equal(r.data.sha256, createHash('sha256').update(PNG).digest('hex'));
  assert.equal(r.data.size, PNG.length);
  assert.equal(r.data.name, '伤情照片.png');
  const list = await clerk.get(`/api/v1/cases/${kase.id}/attachments`);
  assert.equal(list.data.items.length, 1);
});

test('the download returns the same bytes with the name in Content-Disposition', async () => {
  const up = await upload(clerk, PDF, 'application/pdf', 'name=协议.pdf&kind=scan');
  const res = await fetch(`${srv.url}/api/v1/cases/${kase.id}/attachments/${up.data.id}`, { headers: { cookie: clerk.cookie } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  assert.match(res.headers.get('content-disposition'), /filename\*=UTF-8''%E5%8D%8F%E8%AE%AE\.pdf/);
  assert.ok(Buffer.from(await res.arrayBuffer()).equals(PDF));
});

test('content must match the declared type; unknown types are refused; a name is required', async () => {
  const lie = assertValidation(await upload(clerk, PDF, 'image/png'));
  assert.equal(lie.body, 'invalid');
  assertProblem(await upload(clerk, Buffer.from('MZ\x90\x00'), 'application/x-msdownload'), 415, 'unsupported-media-type');
  assert.equal(assertValidation(await upload(clerk, PNG, 'image/png', 'kind=photo')).name, 'required');
  assert.equal(assertValidation(await upload(clerk, PNG, 'image/png', 'name=a.png&kind=selfie')).kind, 'invalid');
});

test('attachments are in the case\'s scope: a neighbouring village gets 404', async () => {
  const other = await loginAs(srv.url, 'jfj_mediator');
  assertProblem(await other.get(`/api/v1/cases/${kase.id}/attachments`), 404, 'not-found');
  assertProblem(await other.get(`/api/v1/cases/${kase.id}/attachments/1`), 404, 'not-found');
});
