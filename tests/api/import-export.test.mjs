// Import (CSV and XLSX, preview then all-or-nothing commit) and export of regions,
// organizations and mediators, within the caller's scope.
// Row numbers are the file's rows as a spreadsheet shows them: the header is row 1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  startServer, assertProblem, assertStatus, assertPage, assertValidation, loginAs, lookup, listAll, uniq, socketRequest,
  upload, getBinary, csv, parseCsv, xlsx, readXlsx, XLSX_TYPE, R, O,
} from './helpers.mjs';

let srv, admin, ids;
const as = {};
before(async () => {
  srv = await startServer();
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
  for (const l of ['fc_admin', 'fc_clerk', 'cx_admin']) as[l] = await loginAs(srv.url, l);
});
after(async () => {
  // a server that died mid-file (e.g. a sanitizer abort) is reported with its log
  const died = srv && (srv.child.exitCode !== null || srv.child.signalCode !== null);
  const log = died ? srv.log().split('\n').filter((l) => !l.startsWith('{"msg":"request"')).join('\n').slice(-4000) : '';
  await srv?.stop();
  if (died) throw new Error(`the server died during this file:\n${log}`);
});

const REGION_HEAD = ['区划代码', '名称', '层级', '上级代码', '人口', '基层人民法院'];
const ORG_HEAD = ['名称', '类型', '区划代码', '行业', '地址', '电话', '受理类别', '状态'];
const MED_HEAD = ['姓名', '性别', '手机号', '类型', '等级', '专长', '所属组织', '状态'];
const ENGLISH = {
  区划代码: 'code', 名称: 'name', 层级: 'level', 上级代码: 'parent_code', 人口: 'population', 基层人民法院: 'court', 类型: 'type',
  行业: 'industry', 地址: 'address', 电话: 'phone', 受理类别: 'categories', 状态: 'status', 姓名: 'name', 性别: 'gender',
  手机号: 'phone', 等级: 'grade', 专长: 'specialties', 所属组织: 'org_names',
};
let seq = 0;
const mobile = () => `137${String(process.pid % 10000).padStart(4, '0')}${String(++seq).padStart(4, '0')}`;

const counts = async () => ({
  regions: (await listAll(admin, `/api/v1/regions?parent_id=${ids.region(R.gongqu).id}`)).length,
  organizations: assertPage(await admin.get('/api/v1/organizations?per_page=1')).total,
  mediators: assertPage(await admin.get('/api/v1/mediators?per_page=1')).total,
});

/** Preview: 200 with exactly the expected bad rows (row number and column). */
async function previewBad(client, kind, body, type, bad, rows) {
  const r = await upload(client, `/api/v1/imports/${kind}/preview`, body, type);
  assertStatus(r, 200, `preview ${kind}`);
  for (const k of ['rows', 'valid', 'errors', 'preview']) assert.ok(k in r.data, `${k} missing: ${r.text.slice(0, 400)}`);
  assert.equal(r.data.rows, rows, r.text.slice(0, 400));
  assert.ok(Array.isArray(r.data.preview) && r.data.preview.length <= 20, 'preview holds at most 20 rows');
  assert.ok(r.data.preview.length > 0, 'preview is empty');
  const got = r.data.errors.map((e) => [e.row, e.column]);
  assert.equal(r.data.errors.length, bad.length, `errors: ${JSON.stringify(r.data.errors)}`);
  for (const [row, column] of bad) {
    const e = r.data.errors.find((x) => x.row === row);
    assert.ok(e, `row ${row} not reported: ${JSON.stringify(got)}`);
    assert.ok([column, ENGLISH[column]].includes(e.column), `row ${row}: column ${e.column}, expected ${column}`);
    assert.ok(e.message && e.code, JSON.stringify(e));
  }
  assert.equal(r.data.valid, rows - new Set(bad.map(([row]) => row)).size);
  return r.data;
}

/** Commit with bad rows: 400 validation naming "row N: column", rows[] listed. */
async function commitRejected(client, kind, body, type, bad) {
  const r = await upload(client, `/api/v1/imports/${kind}`, body, type);
  const p = assertProblem(r, 400, 'validation', `import ${kind} with bad rows`);
  assert.ok(Array.isArray(p.errors) && Array.isArray(p.rows), r.text.slice(0, 400));
  for (const [row, column] of bad) {
    assert.ok(p.errors.some((e) => e.field === `row ${row}: ${column}` || e.field === `row ${row}: ${ENGLISH[column]}`), `no error "row ${row}: ${column}": ${JSON.stringify(p.errors)}`);
    assert.ok(p.rows.some((x) => x.row === row), `rows[] lacks row ${row}`);
  }
  return p;
}

async function commitOk(client, kind, body, type, n) {
  const r = await upload(client, `/api/v1/imports/${kind}`, body, type);
  assertStatus(r, 201, `import ${kind}`);
  assert.equal(r.data.created, n);
}

// ---- regions

const regionRows = (tag, badLevel) => [REGION_HEAD,
  ['510703003961', `${tag}一社区`, 'village', '510703003000', 3200, '绵阳市涪城区人民法院'],
  ['510703003962', `${tag}二社区`, badLevel ? 'hamlet' : 'village', '510703003000', 4100],
  ['510703003963', `${tag}三社区`, 'village', '510703003000', ''],
];

test('regions: preview of a CSV with one bad row → that row, column and reason; nothing written', async () => {
  const before = await counts();
  await previewBad(as.fc_admin, 'regions', csv(regionRows('导入', true)), 'text/csv', [[3, '层级']], 3);
  assert.deepEqual(await counts(), before);
});

test('regions: commit with a bad row → 400, nothing written; corrected → 201 and the rows exist', async () => {
  const before = await counts();
  await commitRejected(as.fc_admin, 'regions', csv(regionRows('导入', true)), 'text/csv', [[3, '层级']]);
  assert.deepEqual(await counts(), before, 'a rejected import wrote rows');
  await commitOk(as.fc_admin, 'regions', csv(regionRows('导入', false)), 'text/csv', 3);
  const kids = await listAll(admin, `/api/v1/regions?parent_id=${ids.region(R.gongqu).id}`);
  const byCode = Object.fromEntries(kids.map((k) => [k.code, k]));
  assert.equal(byCode['510703003961']?.name, '导入一社区');
  assert.equal(byCode['510703003961'].level, 'village');
  assert.equal(byCode['510703003961'].population, 3200);
  assert.equal(byCode['510703003963']?.population, null);
  assert.equal(byCode['510703003961'].court, '绵阳市涪城区人民法院', 'the court column is imported');
  assert.equal(byCode['510703003963'].court, null);
  assert.equal((await counts()).regions, before.regions + 3);
  // the same file again: every code is taken now
  await commitRejected(as.fc_admin, 'regions', csv(regionRows('导入', false)), 'text/csv', [[2, '区划代码'], [3, '区划代码'], [4, '区划代码']]);
});

test('regions: a parent outside the caller\'s scope is a bad row', async () => {
  const file = csv([REGION_HEAD, ['510703003971', '越界社区', 'village', '510703003000', '']]);
  await previewBad(as.cx_admin, 'regions', file, 'text/csv', [[2, '上级代码']], 1);
});

// ---- organizations

const orgRows = (tag, bad) => [ORG_HEAD,
  [`${tag}劳动争议调解室`, '调解工作室', '510703003000', '劳动', '工区街道临园路1号', '0816-2345001', '拖欠工资、劳动争议', 'active'],
  [`${tag}城厢物业调解委员会`, '人民调解委员会', '510703001000', '物业', '', '', '物业纠纷', ''],
  [`${tag}涪城区法院调解室`, bad ? '城堡' : 'studio', '510703000000', '', '', '', 'contract,finance', 'active'],
];

test('organizations: Chinese headers and Chinese enum names; preview, reject, commit', async () => {
  const tag = uniq('导');
  const before = await counts();
  await previewBad(as.fc_admin, 'organizations', csv(orgRows(tag, true)), 'text/csv', [[4, '类型']], 3);
  await commitRejected(as.fc_admin, 'organizations', csv(orgRows(tag, true)), 'text/csv', [[4, '类型']]);
  assert.deepEqual(await counts(), before, 'a rejected import wrote rows');
  await commitOk(as.fc_admin, 'organizations', csv(orgRows(tag, false)), 'text/csv', 3);
  const got = Object.fromEntries((await listAll(admin, `/api/v1/organizations?q=${encodeURIComponent(tag)}`)).map((o) => [o.name, o]));
  const a = got[`${tag}劳动争议调解室`];
  assert.ok(a, `imported organizations: ${Object.keys(got)}`);
  assert.equal(a.type, 'studio');
  assert.equal(a.industry, 'labour');
  assert.equal(a.region_name, '工区街道');
  assert.equal(a.phone, '0816-2345001');
  assert.deepEqual([...a.categories].sort(), ['labour', 'wage_arrears']);
  const b = got[`${tag}城厢物业调解委员会`];
  assert.equal(b.type, 'mediation_committee');
  assert.equal(b.industry, 'property');
  assert.deepEqual(b.categories, ['property_mgmt']);
  assert.equal(b.status, 'active', 'an empty status is the default');
  assert.deepEqual([...got[`${tag}涪城区法院调解室`].categories].sort(), ['contract', 'finance']);
  assert.equal((await counts()).organizations, before.organizations + 3);
});

test('organizations: English headers, columns in another order', async () => {
  const tag = uniq('英');
  const file = csv([
    ['region_code', 'name', 'type', 'categories', 'status'],
    ['510703003000', `${tag}一`, 'mediation_committee', 'neighbour,marriage_family', 'active'],
    ['510703003000', `${tag}二`, 'law_firm', '', 'suspended'],
  ]);
  await commitOk(as.fc_admin, 'organizations', file, 'text/csv', 2);
  const got = Object.fromEntries((await listAll(admin, `/api/v1/organizations?q=${encodeURIComponent(tag)}`)).map((o) => [o.name, o]));
  assert.deepEqual([...got[`${tag}一`].categories].sort(), ['marriage_family', 'neighbour']);
  assert.equal(got[`${tag}二`].status, 'suspended');
  assert.equal(got[`${tag}二`].type, 'law_firm');
});

test('organizations: a region outside the scope and bad categories are bad rows', async () => {
  const tag = uniq('越');
  const file = csv([ORG_HEAD,
    [`${tag}一`, 'center', '510700000000', '', '', '', '', ''],
    [`${tag}二`, 'studio', '510703003000', '', '', '', '拖欠工资、屠龙', ''],
    [`${tag}三`, 'studio', '510703003000', '采矿', '', '', '', ''],
  ]);
  await previewBad(as.fc_admin, 'organizations', file, 'text/csv', [[2, '区划代码'], [3, '受理类别'], [4, '行业']], 3);
});

test('a UTF-8 byte-order mark (as Excel writes "CSV UTF-8") is accepted', async () => {
  const tag = uniq('BOM');
  await commitOk(as.fc_admin, 'organizations', csv([ORG_HEAD, [`${tag}调解室`, 'studio', '510703003000', '', '', '', '', '']], { bom: true }), 'text/csv', 1);
  assert.equal((await listAll(admin, `/api/v1/organizations?q=${encodeURIComponent(tag)}`)).length, 1);
});

// ---- mediators

const medRows = (tag, badPhone) => [MED_HEAD,
  [`${tag}甲`, 'female', mobile(), '专职', '高级', '邻里纠纷、婚姻家庭', O.djCommittee, 'active'],
  [`${tag}乙`, 'male', badPhone ? '12345' : mobile(), '兼职', '初级', '拖欠工资', `${O.xjCommittee}、${O.cxCommittee}`, ''],
  [`${tag}丙`, '', '', 'part_time', 'junior', '', O.cxCommittee, 'inactive'],
];

test('mediators: preview names the bad phone; commit is all or nothing', async () => {
  const tag = uniq('调');
  const before = await counts();
  await previewBad(as.cx_admin, 'mediators', csv(medRows(tag, true)), 'text/csv', [[3, '手机号']], 3);
  await commitRejected(as.cx_admin, 'mediators', csv(medRows(tag, true)), 'text/csv', [[3, '手机号']]);
  assert.deepEqual(await counts(), before, 'a rejected import wrote rows');
  await commitOk(as.cx_admin, 'mediators', csv(medRows(tag, false)), 'text/csv', 3);
  const got = Object.fromEntries((await listAll(admin, `/api/v1/mediators?q=${encodeURIComponent(tag)}`)).map((m) => [m.name, m]));
  const a = got[`${tag}甲`];
  assert.ok(a, `imported: ${Object.keys(got)}`);
  assert.equal(a.mediator_type, 'full_time');
  assert.equal(a.grade, 'senior');
  assert.deepEqual([...a.specialties].sort(), ['marriage_family', 'neighbour']);
  assert.deepEqual(a.orgs.map((o) => o.name), [O.djCommittee]);
  assert.deepEqual(got[`${tag}乙`].orgs.map((o) => o.name), [O.xjCommittee, O.cxCommittee]);
  assert.equal(got[`${tag}丙`].status, 'inactive');
  assert.equal(got[`${tag}丙`].gender, null);
  assert.equal((await counts()).mediators, before.mediators + 3);
});

test('mediators: an organization outside the scope or unknown is a bad row', async () => {
  const tag = uniq('越调');
  const file = csv([MED_HEAD,
    [`${tag}一`, '', '', '专职', '高级', '', O.gqCommittee, ''],
    [`${tag}二`, '', '', '专职', '高级', '', '不存在的调解委员会', ''],
    [`${tag}三`, '', '', '雇佣', '高级', '', O.djCommittee, ''],
  ]);
  await previewBad(as.cx_admin, 'mediators', file, 'text/csv', [[2, '所属组织'], [3, '所属组织'], [4, '类型']], 3);
});

// ---- XLSX

test('XLSX import works the same: preview, reject, commit (numbers as Excel stores them)', async () => {
  const tag = uniq('表');
  const rows = (bad) => [MED_HEAD,
    [`${tag}甲`, 'female', Number(mobile()), '专职', '中级', '邻里纠纷', O.djCommittee, 'active'],
    [`${tag}乙`, 'male', bad ? 12345 : Number(mobile()), '兼职', '初级', '婚姻家庭', O.xjCommittee, 'active'],
  ];
  const before = await counts();
  await previewBad(as.cx_admin, 'mediators', xlsx(rows(true)), XLSX_TYPE, [[3, '手机号']], 2);
  await commitRejected(as.cx_admin, 'mediators', xlsx(rows(true)), XLSX_TYPE, [[3, '手机号']]);
  assert.deepEqual(await counts(), before);
  await commitOk(as.cx_admin, 'mediators', xlsx(rows(false)), XLSX_TYPE, 2);
  const got = await listAll(admin, `/api/v1/mediators?q=${encodeURIComponent(tag)}`);
  assert.equal(got.length, 2);
  const full = await admin.get(`/api/v1/mediators/${got.find((m) => m.name === `${tag}甲`).id}`);
  assert.match(full.data.phone, /^1\d{10}$/, `a numeric phone cell became ${full.data.phone}`);

  const rtag = uniq('表区');
  const regions = [REGION_HEAD, ['510703003981', `${rtag}社区`, 'village', '510703003000', 2600]];
  await commitOk(as.fc_admin, 'regions', xlsx(regions), XLSX_TYPE, 1);
  const made = (await listAll(admin, `/api/v1/regions?parent_id=${ids.region(R.gongqu).id}`)).find((r) => r.code === '510703003981');
  assert.equal(made?.population, 2600);

  const otag = uniq('表组');
  await commitOk(as.fc_admin, 'organizations', xlsx([ORG_HEAD, [`${otag}调解室`, '调解工作室', '510703003000', '', '', '0816-2345678', '物业纠纷', '']]), XLSX_TYPE, 1);
  assert.equal((await listAll(admin, `/api/v1/organizations?q=${encodeURIComponent(otag)}`))[0]?.type, 'studio');
});

// ---- exports

test('exports: CSV and XLSX with the import\'s Chinese columns, only the caller\'s scope', async () => {
  for (const [kind, head] of [['regions', REGION_HEAD], ['organizations', ORG_HEAD], ['mediators', MED_HEAD]]) {
    const c = await getBinary(as.fc_admin, `/api/v1/exports/${kind}.csv`);
    assert.equal(c.status, 200, `${kind}.csv: ${c.text.slice(0, 200)}`);
    assert.ok((c.headers.get('content-type') || '').startsWith('text/csv'), c.headers.get('content-type'));
    const rows = parseCsv(c.text).filter((r) => r.some((x) => x !== ''));
    assert.deepEqual(rows[0], head, `${kind}.csv header`);
    const x = await getBinary(as.fc_admin, `/api/v1/exports/${kind}.xlsx`);
    assert.equal(x.status, 200, `${kind}.xlsx`);
    assert.ok((x.headers.get('content-type') || '').startsWith(XLSX_TYPE), x.headers.get('content-type'));
    assert.equal(x.body.subarray(0, 2).toString('latin1'), 'PK', 'an XLSX file is a zip');
    const sheet = readXlsx(x.body).filter((r) => r.some((v) => v !== ''));
    assert.deepEqual(sheet[0], head, `${kind}.xlsx header`);
    assert.equal(sheet.length, rows.length, `${kind}: the CSV and XLSX exports have different row counts`);
  }
  const orgCsv = (await getBinary(as.fc_admin, '/api/v1/exports/organizations.csv')).text;
  assert.ok(orgCsv.includes(O.fuchengCenter) && orgCsv.includes(O.djCommittee));
  assert.ok(!orgCsv.includes(O.mianyangCenter) && !orgCsv.includes('绵阳市社会矛盾'), 'fc_admin\'s export has a 绵阳市 organization');
  const orgX = readXlsx((await getBinary(as.fc_admin, '/api/v1/exports/organizations.xlsx')).body).map((r) => r[0]);
  assert.ok(orgX.includes(O.fuchengCenter) && !orgX.includes(O.mianyangCenter));
  const regionCodes = parseCsv((await getBinary(as.fc_admin, '/api/v1/exports/regions.csv')).text).slice(1).map((r) => r[0]);
  assert.ok(regionCodes.includes(R.fucheng) && regionCodes.includes(R.dongjie));
  assert.ok(!regionCodes.includes(R.mianyang), '绵阳市 in fc_admin\'s region export');
  const cxOrgs = parseCsv((await getBinary(as.cx_admin, '/api/v1/exports/organizations.csv')).text).slice(1).map((r) => r[0]);
  assert.ok(cxOrgs.includes(O.djCommittee) && !cxOrgs.includes(O.gqCommittee) && !cxOrgs.includes(O.fuchengCenter));
  const all = (await getBinary(admin, '/api/v1/exports/organizations.csv')).text;
  assert.ok(all.includes(O.mianyangCenter), 'the top administrator exports everything');
});

test('an exported file re-imports: modify the mediators CSV and import it', async () => {
  const exp = parseCsv((await getBinary(as.cx_admin, '/api/v1/exports/mediators.csv')).text).filter((r) => r.some((x) => x !== ''));
  assert.ok(exp.length >= 2, 'no mediators in 城厢街道\'s export');
  const tag = uniq('回导');
  const row = [...exp[1]];
  row[0] = `${tag}调解员`;
  row[2] = mobile();
  await commitOk(as.cx_admin, 'mediators', csv([exp[0], row]), 'text/csv', 1);
  const got = await listAll(admin, `/api/v1/mediators?q=${encodeURIComponent(tag)}`);
  assert.equal(got.length, 1);
  const xl = await getBinary(as.cx_admin, '/api/v1/exports/mediators.xlsx');
  const pre = await upload(as.cx_admin, '/api/v1/imports/mediators/preview', xl.body, XLSX_TYPE);
  assertStatus(pre, 200, 'preview of an exported workbook');
  assert.equal(pre.data.rows, readXlsx(xl.body).filter((r) => r.some((v) => v !== '')).length - 1);
});

// ---- permissions and bad files

test('imports and exports are for admins; unknown kinds → 404', async () => {
  const file = csv([ORG_HEAD, ['无权', 'studio', '510703003000', '', '', '', '', '']]);
  assertProblem(await upload(as.fc_clerk, '/api/v1/imports/organizations', file), 403, 'forbidden');
  assertProblem(await upload(as.fc_clerk, '/api/v1/imports/organizations/preview', file), 403, 'forbidden');
  const e = await getBinary(as.fc_clerk, '/api/v1/exports/organizations.csv');
  assert.equal(e.status, 403);
  assertProblem(await upload(as.fc_admin, '/api/v1/imports/cases', file), 404, 'not-found');
  assert.equal((await getBinary(as.fc_admin, '/api/v1/exports/cases.csv')).status, 404);
});

test('a file over 10 MiB → 413; a 2 MiB file is accepted for checking', async () => {
  const big = Buffer.alloc(10 * 1024 * 1024 + 1, 'a');
  const r = await socketRequest(srv.url, {
    path: '/api/v1/imports/organizations/preview', body: big,
    headers: { 'content-type': 'text/csv', cookie: as.fc_admin.cookie, 'x-csrf-token': as.fc_admin.csrf },
  });
  assertProblem(r, 413, 'payload-too-large');
  const rows = [ORG_HEAD];
  const line = csv([['某调解室', 'studio', '510703003000', '', '很长的地址'.repeat(40), '', '', '']]).length;
  for (let i = 0; rows.length * line < 2 * 1024 * 1024; i++) rows.push([`大文件调解室${i}`, 'studio', '510703003000', '', '很长的地址'.repeat(40), '', '', '']);
  const mid = await upload(as.fc_admin, '/api/v1/imports/organizations/preview', csv(rows));
  assertStatus(mid, 200, 'a 2 MiB file is within the 10 MiB import limit');
  assert.equal(mid.data.rows, rows.length - 1);
});

test('garbage uploads → 400 naming the problem; wrong media type → 415', async () => {
  const before = await counts();
  const junk = await upload(as.fc_admin, '/api/v1/imports/organizations', randomBytes(4096), XLSX_TYPE);
  const p = assertProblem(junk, 400, 'invalid-file', 'random bytes as XLSX');
  assert.match(p.detail || '', /xlsx|zip|workbook|spreadsheet|excel|工作簿/i, `an upload declared as XLSX should be named as a bad workbook: ${junk.text}`);
  const notXlsx = await upload(as.fc_admin, '/api/v1/imports/organizations/preview', xlsx([['x']]).subarray(0, 200), XLSX_TYPE);
  assert.ok(assertProblem(notXlsx, 400, 'invalid-file', 'truncated XLSX').detail, notXlsx.text);
  const binCsv = await upload(as.fc_admin, '/api/v1/imports/organizations/preview', Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x0a, 0x80, 0x81]));
  assert.match(assertProblem(binCsv, 400, 'invalid-file', 'binary as CSV').detail || '', /UTF-8|utf8|编码/i, binCsv.text);
  assert.ok(assertProblem(await upload(as.fc_admin, '/api/v1/imports/organizations/preview', ''), 400, 'invalid-file', 'empty file').detail);
  assertProblem(await upload(as.fc_admin, '/api/v1/imports/organizations', '{"name":"x"}', 'application/json'), 415, 'unsupported-media-type');
  assert.deepEqual(await counts(), before, 'a rejected upload wrote rows');
});

test('a file without the required columns: the preview names them, the import is refused', async () => {
  const file = csv([['foo', 'bar'], ['1', '2']]);
  const pre = await upload(as.fc_admin, '/api/v1/imports/organizations/preview', file);
  assertStatus(pre, 200);
  const missing = pre.data.errors.map((e) => e.column);
  for (const c of ['名称', '类型', '区划代码']) assert.ok(missing.includes(c) || missing.includes(ENGLISH[c]), `column ${c} not named: ${pre.text}`);
  const before = await counts();
  const r = await upload(as.fc_admin, '/api/v1/imports/organizations', file);
  const p = assertProblem(r, 400, 'validation');
  assert.ok(JSON.stringify(p.errors).includes('名称') || JSON.stringify(p.errors).includes('name'), r.text);
  assert.deepEqual(await counts(), before);
});
