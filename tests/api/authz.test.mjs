// The authorization matrix (issue 13 part 6): docs/authz-matrix.json states, for every route the
// server registers, what each role may do to a target in each relation to its own region; this
// test walks every cell against a live server and asserts its class, and fails when a route has
// no row or the table in docs/security.md differs from the file.
//
// The actors: one user per staff role in 城厢街道 (a township, org 城厢街道社会矛盾纠纷调处化解中心
// or its committee), a partner agency's token, and no login at all (anonymous; for the public
// routes the citizen). Targets in each relation to 城厢街道:
//   own     城厢街道 510703001000     child    警钟街社区 510703001003 (a village below it)
//   parent  涪城区   510703000000     sibling  工区街道   510703003000 (the township beside it)
//   missing an id that names nothing: its class must be that of parent/sibling, or the answer
//           tells an outsider which ids exist.
// Partner referrals: own = referred to the partner's organization, other = to another agency.
// Public case routes: own = the case's number with its own access code, other = with another
// case's code.
//
// Classes: A allowed (2xx; for a write also 400/409/422: the request got past authorization and
// was judged on its content or the case's state), F 403, N 404 (existence must not leak), U 401,
// R a region or object named in the body refused as not found (400 with code not_found, or 404),
// '-' no such cell (e.g. no grid is a township).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, ROOT } from '../lib/server.mjs';
import { startServer, Client, loginAs, bearerClient, lookup, listAll, uniq, mobile, residentId, R, O, NO_SUCH_ID, DEMO_PASSWORD } from './helpers.mjs';
import { renderTable, TABLE_BEGIN, TABLE_END } from '../../scripts/authz-table.mjs';

const MATRIX = JSON.parse(readFileSync(join(ROOT, 'docs', 'authz-matrix.json'), 'utf8'));
const RELATIONS = MATRIX.relations;
const ROLES = MATRIX.roles;
const PASS = 'authz-pass-123';
const REL_REGION = { own: R.chengxiang, child: R.dongjie, parent: R.fucheng, sibling: R.gongqu };
const REL_ORG = { own: O.cxCenter, child: O.djCommittee, parent: O.fuchengCenter, sibling: O.gqCommittee };
// Relations whose target depends on the actor: `self` (the actor's own account or token) and
// `responsible` (a key person the actor answers for); T[kind][rel] is then keyed by role.
const PER_ROLE = new Set(['self', 'responsible']);
/** The address a citizen actor's requests come from (X-Forwarded-For). */
const citizenAddress = (role) => `198.51.100.${ROLES.indexOf(role) + 10}`;

let srv, admin, ids;
const as = {}; // role -> client
const T = {}; // kind -> relation -> { id, ... }
const facts = {}; // misc ids

/** Relation names of a target kind, in cell order. */
const relsOf = (kind) => RELATIONS[kind] || RELATIONS.scoped;

async function ok(res, what) {
  const r = await res;
  assert.ok(r.status >= 200 && r.status < 300, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.data;
}

async function newCase(regionCode, note) {
  return ok(admin.post('/api/v1/cases', {
    channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: `授权矩阵${note}`, region_id: ids.region(regionCode).id,
    parties: [{ role: 'applicant', name: '矩阵申请人', id_number: '110101199003074573', phone: mobile() }, { role: 'respondent', name: '矩阵被申请人' }],
  }), `case in ${regionCode}`);
}

/** One grid below a region (grids hang below villages). */
async function gridBelow(code) {
  let queue = [ids.region(code)];
  while (queue.length) {
    const r = queue.shift();
    const kids = await listAll(admin, `/api/v1/regions?parent_id=${r.id}`);
    const g = kids.find((k) => k.level === 'grid');
    if (g) return g;
    queue = queue.concat(kids);
  }
  return null;
}

before(async () => {
  // Citizens come from many addresses (behind the test's "proxy", 127.0.0.1): each actor's walk
  // of the public case routes has its own, so the wrong-code back-off of one address (guard
  // against guessing, citizens.c find_public) does not answer for the cells of the next.
  srv = await startServer({ env: { JIEFEN_TRUSTED_PROXIES: '127.0.0.1' } });
  admin = await loginAs(srv.url, 'admin');
  ids = await lookup(admin);
  const cxCenter = ids.org(O.cxCenter).id;
  // Staff actors in 城厢街道.
  as.top_admin = admin;
  as.admin = await loginAs(srv.url, 'cx_admin');
  as.mediator = await loginAs(srv.url, 'cx_mediator');
  // Each actor's own account (the `self` cells), with the password it logs in with.
  const self = {
    top_admin: { id: ids.user('admin').id, password: DEMO_PASSWORD },
    admin: { id: ids.user('cx_admin').id, password: DEMO_PASSWORD },
    mediator: { id: ids.user('cx_mediator').id, password: DEMO_PASSWORD },
  };
  for (const role of ['clerk', 'dispatcher', 'supervisor', 'grid_worker', 'leader']) {
    const login = uniq(`mx_${role}`);
    const u = await ok(admin.post('/api/v1/users', { login, name: `矩阵${role}`, password: PASS, roles: [role], org_id: cxCenter }), `user ${role}`);
    self[role] = { id: u.id, password: PASS };
    as[role] = await loginAs(srv.url, login, PASS);
  }
  as.anonymous = new Client(srv.url);

  // Partner agencies: the actor's court and another agency (police).
  const court = await ok(admin.post('/api/v1/organizations', { name: uniq('矩阵法院'), type: 'court', region_id: ids.region(R.fucheng).id }), 'court');
  const police = await ok(admin.post('/api/v1/organizations', { name: uniq('矩阵派出所'), type: 'police', region_id: ids.region(R.fucheng).id }), 'police');
  const pu = await ok(admin.post('/api/v1/users', { login: uniq('mx_partner'), name: court.name, password: PASS, roles: ['partner'], org_id: court.id }), 'partner');
  const tok = await ok(admin.post('/api/v1/tokens', { user_id: pu.id, name: '矩阵对接' }), 'partner token');
  as.partner = bearerClient(srv.url, tok.token);
  self.partner = { id: pu.id };
  T.referral = {};
  for (const [rel, org] of [['own', court], ['other', police]]) {
    const k = await newCase(R.dongjie, `转交${rel}`);
    await ok(admin.post(`/api/v1/cases/${k.id}/transitions`, { action: 'accept' }), 'accept');
    await ok(admin.post(`/api/v1/cases/${k.id}/transitions`, { action: 'refer', to_body: org.name, to_org_id: org.id, sent: '登记表' }), `refer ${rel}`);
    T.referral[rel] = { id: k.id };
  }

  // Region-scoped targets, one per relation.
  T.region = {}; T.org = {}; T.user = {}; T.mediator = {}; T.expert = {}; T.rule = {}; T.period = {};
  T.body_region = { own: {}, child: {}, parent: {}, sibling: {} }; // the region comes from T.region
  T.case = {}; T.key_person = {}; T.report = {}; T.supervision = {}; T.grid_worker = {};
  T.token = {}; T.instalment = {}; T.alert = {}; T.outbox = {}; T.endpoint = {};
  // A mediator account over the whole county, which agrees the instalment fixtures' cases.
  const hu = await ok(admin.post('/api/v1/users', { login: uniq('mx_holder'), name: '矩阵承办', password: PASS, roles: ['mediator'], org_id: ids.org(O.fuchengCenter).id }), 'holder');
  const holder = await loginAs(srv.url, hu.login, PASS);
  const mediators = await listAll(admin, '/api/v1/mediators');
  const sup = await loginAs(srv.url, 'fc_supervisor');
  for (const rel of Object.keys(REL_REGION)) {
    const code = REL_REGION[rel];
    const region = ids.region(code);
    const org = ids.org(REL_ORG[rel]);
    T.region[rel] = { id: region.id };
    T.org[rel] = { id: org.id };
    const u = await ok(admin.post('/api/v1/users', { login: uniq(`mx_t_${rel}`), name: '矩阵目标', password: PASS, roles: ['clerk'], org_id: org.id }), 'target user');
    T.user[rel] = { id: u.id };
    const med = mediators.find((m) => (m.org_ids || m.organizations?.map((o) => o.id) || []).includes(org.id))
      || await ok(admin.post('/api/v1/mediators', { name: `矩阵调解员${rel}`, mediator_type: 'part_time', grade: 'junior', specialties: ['neighbour'], org_ids: [org.id] }), 'mediator');
    T.mediator[rel] = { id: med.id };
    T.expert[rel] = { id: (await ok(admin.post('/api/v1/experts', { name: `矩阵专家${rel}`, specialty: 'law', region_id: region.id }), 'expert')).id };
    T.rule[rel] = { id: (await ok(admin.post('/api/v1/routing/rules', ruleBody(region.id)), 'rule')).id };
    T.period[rel] = { id: (await ok(admin.post('/api/v1/sensitive-periods', periodBody(region.id)), 'period')).id };
    const k = await newCase(code, rel);
    const party = k.parties?.[0]?.id;
    const att = await ok(admin.request('POST', `/api/v1/cases/${k.id}/attachments?${encodeURI('name=矩阵.png&kind=photo')}`,
      { body: PNG, headers: { 'content-type': 'image/png' } }), 'attachment');
    T.case[rel] = { id: k.id, pid: party, aid: att.id };
    T.key_person[rel] = { id: (await ok(admin.post('/api/v1/key-persons', { name: `矩阵重点${rel}`, reason: 'repeat_disputant', region_id: region.id, review_every_days: 14 }), 'key person')).id };
    T.report[rel] = { id: (await ok(admin.post('/api/v1/reports', { kind: 'monthly', region_id: region.id, period: '2026-10' }), `report ${rel}`)).id };
    T.supervision[rel] = { id: (await ok(sup.post(`/api/v1/cases/${k.id}/supervision`, { content: '请加快办理', deadline: '2027-01-31' }), 'supervision')).id };
    T.token[rel] = { user: u.id };
    T.instalment[rel] = await agreedCase(code, org.id, med.id, hu.id, holder, rel);
    T.alert[rel] = { id: await redAlert(code, rel) };
    T.endpoint[rel] = (await ok(admin.post('/api/v1/notify/endpoints', { ...endpointBody(), url: `http://127.0.0.1:9/${rel}`, region_id: region.id }), 'endpoint')).id;
  }
  // An own-region case with another region's instalment: the instalment must be the case's.
  T.instalment.foreign = { id: T.instalment.own.id, iid: T.instalment.sibling.iid };
  // Handled cases in 城厢街道: one assigned to the mediator actor, one to another mediator of
  // the same committee.
  const cxMed = mediators.find((m) => m.user_id === self.mediator.id);
  assert.ok(cxMed, 'cx_mediator has a mediator profile');
  const peer = await ok(admin.post('/api/v1/mediators', { name: '矩阵同事', mediator_type: 'part_time', grade: 'junior', specialties: ['neighbour'], org_ids: [ids.org(O.cxCommittee).id] }), 'peer mediator');
  for (const [rel, m] of [['held', cxMed], ['unit', peer]]) {
    const k = await newCase(R.chengxiang, rel);
    await ok(admin.post(`/api/v1/cases/${k.id}/transitions`, { action: 'accept' }), 'accept');
    await ok(admin.post(`/api/v1/cases/${k.id}/transitions`, { action: 'assign', resp_org_id: ids.org(O.cxCommittee).id, mediator_ids: [m.id] }), `assign ${rel}`);
    T.case[rel] = { id: k.id, pid: k.parties?.[0]?.id };
  }
  T.held_case = T.case;
  // Per actor: its own account and a token of it, and a key person in 城厢街道 it answers for.
  T.user.self = {}; T.token.self = {}; T.key_person.responsible = {};
  for (const [role, me] of Object.entries(self)) {
    T.user.self[role] = me;
    T.token.self[role] = { user: me.id };
    if (role === 'partner') continue;
    T.key_person.responsible[role] = { id: (await ok(admin.post('/api/v1/key-persons', { name: `矩阵责任${role}`, reason: 'repeat_disputant', region_id: ids.region(R.chengxiang).id, review_every_days: 14, responsible_user_id: me.id }), `responsible ${role}`)).id };
  }
  for (const [rel, code] of [['child', R.dongjie], ['sibling', R.gongqu]]) {
    const g = await gridBelow(code);
    assert.ok(g, `a grid below ${code}`);
    T.grid_worker[rel] = { id: (await ok(admin.post('/api/v1/grid-workers', { name: `矩阵网格员${rel}`, grid_id: g.id }), 'grid worker')).id, grid: g.id };
  }
  facts.grid = T.grid_worker.child.grid;
  // Referred cases fill the outbox (endpoints take the events of their region's subtree): one
  // in 警钟街社区 and one in 工区街道, so that the endpoint of each region has a delivery.
  for (const code of [R.dongjie, R.gongqu]) {
    const k = await newCase(code, '转交投递');
    await ok(admin.post(`/api/v1/cases/${k.id}/transitions`, { action: 'accept' }), 'accept');
    await ok(admin.post(`/api/v1/cases/${k.id}/transitions`, { action: 'refer', to_body: police.name, to_org_id: police.id, sent: '登记表' }), `refer ${code}`);
  }
  const box = await listAll(admin, '/api/v1/outbox');
  for (const rel of Object.keys(REL_REGION)) {
    const o = box.find((x) => x.endpoint_id === T.endpoint[rel]);
    assert.ok(o, `an outbox row for the endpoint of ${rel}`);
    T.outbox[rel] = { id: o.id };
  }

  // Citizens: per actor two online applications, each with its own access code; own = the
  // first case with its code (phone and ID), other = the first case's number with the second's.
  T.public_case = { own: {}, other: {} };
  for (const role of ROLES) {
    const apps = [];
    for (let i = 0; i < 2; i++) {
      const phone = mobile();
      const idNumber = residentId('510703', `1980010${i + 1}`);
      const a = await ok(new Client(srv.url).request('POST', '/api/v1/public/applications', {
        headers: { 'x-forwarded-for': citizenAddress(role) },
        json: {
          category: 'neighbour', region_id: ids.region(R.dongjie).id, facts: '楼上住户漏水', claims: '修缮',
          applicant: { name: '王小明', phone, id_number: idNumber, address: '警钟街12号' }, respondent: { name: '刘大海' },
        },
      }), 'application');
      apps.push({ ...a, phone, idNumber });
    }
    T.public_case.own[role] = { number: apps[0].number, code: apps[0].access_code, phone: apps[0].phone, idNumber: apps[0].idNumber };
    T.public_case.other[role] = { number: apps[0].number, code: apps[1].access_code, phone: apps[1].phone, idNumber: apps[1].idNumber };
  }

  // Objects of the unscoped rows.
  const settings = (await ok(admin.get('/api/v1/settings'), 'settings')).items;
  facts.setting = settings[0];
  facts.catalogue = (await ok(admin.post('/api/v1/catalogue', { name: uniq('矩阵事项'), documents: [] }), 'item')).id;
  facts.investigation = (await ok(as.grid_worker.post('/api/v1/investigation/reports', { org_id: cxCenter, zero_report: true }), 'investigation')).id;
  facts.endpoint = (await ok(admin.post('/api/v1/notify/endpoints', endpointBody()), 'endpoint')).id;
});
after(async () => { await srv?.stop(); });

/** A case in a region agreed with one instalment; returns the case and instalment ids. */
async function agreedCase(code, orgId, mediatorId, holderId, holder, rel) {
  const k = await newCase(code, `分期${rel}`);
  await ok(admin.post(`/api/v1/cases/${k.id}/transitions`, { action: 'accept' }), 'accept');
  await ok(admin.post(`/api/v1/cases/${k.id}/transitions`, { action: 'assign', resp_org_id: orgId, mediator_ids: [mediatorId], resp_user_id: holderId }), `assign ${rel}`);
  await ok(holder.post(`/api/v1/cases/${k.id}/transitions`, { action: 'record_session', held_at: '2026-11-20', record: '协商还款' }), 'session');
  await ok(holder.post(`/api/v1/cases/${k.id}/transitions`, { action: 'agree', terms: '分期还款', instalments: [{ due_date: '2027-03-01', amount: 100 }] }), 'agree');
  const f = await ok(admin.get(`/api/v1/cases/${k.id}/fulfilment`), 'fulfilment');
  return { id: k.id, iid: f.instalments[0].id };
}

/** The alert of a case in a region that grades red (群体性, 重点人员, 敏感领域; docs/risk.md). */
async function redAlert(code, rel) {
  const k = await ok(admin.post('/api/v1/cases', {
    channel: 'walk_in', category: 'land_requisition', complexity: 'simple', facts: `矩阵红色${rel}`, region_id: ids.region(code).id, people: 30, key_persons: true,
    parties: [{ role: 'applicant', name: '矩阵群体' }],
  }), `red case ${rel}`);
  const a = (await ok(admin.get(`/api/v1/alerts?state=all&per_page=500`), 'alerts')).items.find((x) => x.case_id === k.id);
  assert.ok(a, `the red case in ${code} raised an alert`);
  return a.id;
}

function ruleBody(regionId, category = 'campus') {
  return {
    name: uniq('矩阵规则'), region_id: regionId, category, complexity: 'difficult', region_level: 'township',
    management_level: 'county', department: 'center', method: 'people_mediation', time_limit_days: 15, time_limit_kind: 'business',
  };
}
function periodBody(regionId) { return { name: uniq('矩阵敏感期'), start: '2027-03-01', end: '2027-03-15', region_ids: [regionId] }; }

let daySeq = 0;
const freshCache = new Map();
let spent = null;
const FRESH = {
  '/api/v1/routing/rules/{id}': (t) => admin.post('/api/v1/routing/rules', ruleBody(t.region, 'labour')),
  '/api/v1/sensitive-periods/{id}': (t) => admin.post('/api/v1/sensitive-periods', periodBody(t.region)),
  '/api/v1/catalogue/{id}': () => admin.post('/api/v1/catalogue', { name: uniq('矩阵事项'), documents: [] }),
  '/api/v1/tokens/{id}': (t) => admin.post('/api/v1/tokens', { user_id: t.user, name: uniq('t') }),
  '/api/v1/notify/endpoints/{id}': () => admin.post('/api/v1/notify/endpoints', endpointBody()),
};
function endpointBody() {
  return { name: uniq('e'), channel: 'webhook', url: 'http://127.0.0.1:9/x', kinds: 'case.referred', secret: 'matrix-secret-123456', region_id: ids.region(R.chengxiang).id };
}
/**
 * The concrete request of a route for one target: path, body, and an optional fresh-object
 * step (a DELETE each allowed role must find something to delete).
 */
async function requestFor(method, pattern, kind, t) {
  const id = t?.id ?? NO_SUCH_ID;
  // Rows whose target is the region named in the body: the relation picks that region.
  const own = kind === 'body_region' ? t.region : ids.region(R.chengxiang).id;
  let path = pattern;
  let json;
  let body;
  let headers;
  // Fresh objects for deletes, so that one allowed role's delete does not leave the next a 404:
  // made on first use and again after a delete succeeded (spent()).
  if (method === 'DELETE' && FRESH[pattern] && t?.id !== NO_SUCH_ID) {
    const ck = `${pattern} ${t?.user ?? t?.region ?? ''}`;
    if (!freshCache.has(ck)) freshCache.set(ck, (await ok(FRESH[pattern](t), `fresh ${pattern}`)).id);
    t = { id: freshCache.get(ck) };
    spent = () => freshCache.delete(ck);
  }
  const subs = {
    id: t?.id ?? pickId(pattern), pid: t?.pid ?? NO_SUCH_ID, aid: t?.aid ?? NO_SUCH_ID, iid: t?.iid ?? NO_SUCH_ID, kind: 'registration',
    month: '2026-09', date: '2027-06-0' + ((daySeq++ % 9) + 1), key: facts.setting?.key, file: 'organizations.xlsx',
    number: t?.number,
  };
  if (pattern.startsWith('/api/v1/imports/')) subs.kind = 'organizations';
  if (pattern === '/api/v1/settings/{key}') json = { value: facts.setting?.value };
  path = pattern.replace(/\{(\w+)\}/g, (_, k) => encodeURIComponent(String(subs[k] ?? (k === 'id' ? pickId(pattern) : NO_SUCH_ID))));
  const key = `${method} ${pattern}`;
  const B = {
    'POST /api/v1/session': { login: 'fc_clerk', password: DEMO_PASSWORD },
    'POST /api/v1/users': { login: uniq('mx_n'), name: '矩阵新用户', password: PASS, roles: ['clerk'], org_id: ids.org(O.cxCenter).id },
    'PATCH /api/v1/users/{id}': { name: '矩阵改名' },
    'POST /api/v1/users/{id}/password': { password: PASS },
    'POST /api/v1/regions': { code: '510703001' + String(900 + (daySeq++ % 99)), name: uniq('矩阵社区'), level: 'village', parent_id: own },
    'PATCH /api/v1/regions/{id}': { population: 4321 },
    'PUT /api/v1/regions/{id}/alert-recipients': { recipients: [] },
    'PUT /api/v1/regions/{id}/court-filings/{month}': { filings: 3 },
    'POST /api/v1/organizations': { name: uniq('矩阵工作室'), type: 'studio', region_id: own },
    'PATCH /api/v1/organizations/{id}': { address: '临园路1号' },
    'POST /api/v1/mediators': { name: '矩阵调解员', mediator_type: 'part_time', grade: 'junior', specialties: ['neighbour'], org_ids: [ids.org(O.cxCommittee).id] },
    'PATCH /api/v1/mediators/{id}': { phone: mobile() },
    'POST /api/v1/experts': { name: '矩阵专家', specialty: 'law', region_id: own },
    'PATCH /api/v1/experts/{id}': { availability: 'busy' },
    'POST /api/v1/grid-workers': { name: '矩阵网格员', grid_id: facts.grid },
    'PATCH /api/v1/grid-workers/{id}': { name: '矩阵网格员二' },
    'POST /api/v1/routing/rules': ruleBody(own),
    'PATCH /api/v1/routing/rules/{id}': { time_limit_days: 20 },
    'POST /api/v1/routing/preview': { category: 'neighbour', region_id: ids.region(R.dongjie).id, complexity: 'simple' },
    'POST /api/v1/catalogue': { name: uniq('矩阵事项'), documents: [] },
    'PATCH /api/v1/catalogue/{id}': { time_limit: '15个工作日' },
    'PUT /api/v1/calendar/{date}': { kind: 'holiday', name: '矩阵' },
    'POST /api/v1/sensitive-periods': periodBody(own),
    'PATCH /api/v1/sensitive-periods/{id}': { note: '矩阵' },
    'POST /api/v1/cases': { channel: 'walk_in', category: 'neighbour', complexity: 'simple', facts: '矩阵登记', region_id: own, parties: [{ role: 'applicant', name: '矩阵' }] },
    'POST /api/v1/parties/lookup': { phone: '13912345678' },
    'POST /api/v1/cases/{id}/parties/{pid}/reveal': { reason: '调解需核实身份' },
    'POST /api/v1/cases/{id}/transitions': { action: 'accept', note: '矩阵' },
    'PATCH /api/v1/cases/{id}/instalments/{iid}': { status: 'paid', paid_on: '2026-11-01' },
    'PUT /api/v1/cases/{id}/confirmation': { applied_on: '2026-11-01', court: '绵阳市涪城区人民法院' },
    'POST /api/v1/cases/{id}/supervision': { content: '矩阵督办', deadline: '2027-01-31' },
    'POST /api/v1/supervision/{id}/reply': { reply: '正在办理' },
    'PUT /api/v1/cases/{id}/control-plan': { owner_id: ids.user('cx_mediator').id, measures: '矩阵', review_on: '2027-01-01' },
    'POST /api/v1/investigation/reports': { org_id: ids.org(O.cxCommittee).id, zero_report: true },
    'PUT /api/v1/investigation/schedules': { level: 'village', period: 'monthly' },
    'POST /api/v1/reports': { kind: 'monthly', region_id: own, period: '2026-09' },
    'PATCH /api/v1/reports/{id}': { analysis: '矩阵研判' },
    'POST /api/v1/key-persons': { name: '矩阵重点', reason: 'repeat_disputant', region_id: own, review_every_days: 14 },
    'PATCH /api/v1/key-persons/{id}': { review_every_days: 21 },
    'POST /api/v1/key-persons/{id}/reviews': { note: '矩阵回访' },
    'POST /api/v1/key-persons/{id}/reveal': { reason: '核实身份' },
    'POST /api/v1/key-persons/{id}/cases': { case_id: T.case.own.id },
    'POST /api/v1/public/applications': { category: 'neighbour', region_id: ids.region(R.dongjie).id, facts: '矩阵', claims: '矩阵', applicant: { name: '王小明', phone: mobile() }, respondent: { name: '刘大海' } },
    'POST /api/v1/public/cases/{number}/rating': { code: t?.code, satisfaction: 5 },
    'POST /api/v1/public/cases/{number}/access-code': { phone: t?.phone, id_number: t?.idNumber },
    'POST /api/v1/alerts/{id}/ack': {},
    'POST /api/v1/notifications/{id}/read': {},
    'POST /api/v1/notifications/read-all': {},
    'POST /api/v1/outbox/{id}/replay': {},
    'POST /api/v1/notify/endpoints/{id}/test': {},
    'POST /api/v1/reports/{id}/issue': {},
    'POST /api/v1/reports/{id}/revise': {},
    'POST /api/v1/tokens': { user_id: ids.user('cx_mediator').id, name: uniq('t') },
    'POST /api/v1/notify/endpoints': { name: uniq('e'), channel: 'webhook', url: 'http://127.0.0.1:9/x', kinds: 'case.referred', secret: 'matrix-secret-123456', region_id: ids.region(R.chengxiang).id },
    'PATCH /api/v1/notify/endpoints/{id}': { enabled: true },
    'POST /api/v1/partner/referrals/{id}/feedback': { feedback: '已收到材料' },
  };
  if (key in B) json = B[key];
  // Changing one's own password is walked without the old one: 400 (old_password required)
  // shows the request got past authorization, without two slow password hashes per actor.
  if (pattern.startsWith('/api/v1/imports/')) {
    body = '名称,类型,区划代码\r\n' + uniq('矩阵导入') + ',studio,510703001000\r\n';
    headers = { 'content-type': 'text/csv' };
  }
  if (pattern === '/api/v1/cases/{id}/attachments' && method === 'POST') {
    path += `?${encodeURI('name=矩阵.txt&kind=other')}`;
    path = path.replace('.txt', '.png');
    body = PNG;
    headers = { 'content-type': 'image/png' };
  }
  if (kind === 'public_case' && method === 'GET') path += `?code=${encodeURIComponent(t.code)}`;
  const q = {
    'GET /api/v1/calendar': '?year=2026', 'GET /api/v1/calendar/add': '?from=2026-09-30&days=3&kind=business',
    'GET /api/v1/ledger': '?from=2026-01-01&to=2026-12-31',
    'GET /api/v1/people/export': `?id_number=110101199003074573&reason=${encodeURIComponent('本人申请查阅')}`,
    'GET /api/v1/reports/quarterly': '?region_id=' + own + '&period=2026-Q3',
    'GET /api/v1/trends/counts': '', 'GET /api/v1/regions/{id}/court-filings': '',
  };
  if (q[key]) path += q[key];
  return { path, json, body, headers, prep: method === 'DELETE' && pattern.includes('court-filings') };
}

/** Ids of the unscoped rows' objects. */
function pickId(pattern) {
  if (pattern.startsWith('/api/v1/catalogue/')) return facts.catalogue;
  if (pattern.startsWith('/api/v1/investigation/reports/')) return facts.investigation;
  if (pattern.startsWith('/api/v1/notify/endpoints/')) return facts.endpoint;
  return NO_SUCH_ID;
}

const WRITE_OK = new Set([400, 409, 422]);
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d605b00000000049454e44ae426082', 'hex');
function classOf(method, res) {
  const status = res.status;
  if (status >= 200 && status < 300) return 'A';
  // A region or object named in the body that the caller may not see: refused as not found.
  if (status === 400 && (res.data?.errors || []).some((e) => e.code === 'not_found')) return 'R';
  if (status === 404 && method === 'POST' && !/\{/.test(res.pattern || '')) return 'R';
  if (method !== 'GET' && WRITE_OK.has(status)) return 'A';
  // A GET refused for the case's state (a dossier before the case ends) got past authorization.
  if (method === 'GET' && status === 409) return 'A';
  return { 401: 'U', 403: 'F', 404: 'N' }[status] || String(status);
}

test('every route the server registers has a row in docs/authz-matrix.json, and only those', () => {
  const r = runCli(['routes']);
  assert.equal(r.status, 0, r.stderr);
  const server = r.stdout.split('\n').map((l) => l.trim().replace(/\s+/, ' ')).filter(Boolean);
  const rows = Object.keys(MATRIX.routes);
  assert.deepEqual(server.filter((k) => !rows.includes(k)), [], 'routes without a matrix row');
  assert.deepEqual(rows.filter((k) => !server.includes(k)), [], 'matrix rows of no route');
  for (const [k, row] of Object.entries(MATRIX.routes)) {
    assert.ok(['none', 'referral', 'public_case'].includes(row.target) || T[row.target] || row.target === 'body_region', `${k}: no fixture for target ${row.target}`);
    assert.deepEqual(Object.keys(row.cells).sort(), [...ROLES].sort(), `${k}: a cell per role`);
    for (const [role, v] of Object.entries(row.cells)) {
      assert.equal(v.length, relsOf(row.target).length, `${k} ${role}: one class per relation`);
      assert.match(v, /^[AFNRU-]+$/, `${k} ${role}`);
    }
  }
});

test('docs/security.md carries the table of docs/authz-matrix.json (node scripts/authz-table.mjs)', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'security.md'), 'utf8');
  const a = doc.indexOf(TABLE_BEGIN);
  const b = doc.indexOf(TABLE_END);
  assert.ok(a >= 0 && b > a, 'markers in docs/security.md');
  assert.equal(doc.slice(a, b + TABLE_END.length), renderTable(MATRIX), 'run node scripts/authz-table.mjs');
});

test('every cell of the matrix is what the server answers', async () => {
  const wrong = [];
  const dump = [];
  // Logging out and the session routes last, so that the actors keep their sessions.
  const keys = Object.keys(MATRIX.routes).sort((x, y) => (x.includes(' /api/v1/session') ? 1 : 0) - (y.includes(' /api/v1/session') ? 1 : 0));
  for (const key of keys) {
    const row = MATRIX.routes[key];
    const [method, pattern] = key.split(' ');
    const rels = relsOf(row.target);
    for (const role of ROLES) {
      for (let i = 0; i < rels.length; i++) {
        const want = row.cells[role][i];
        if (want === '-') continue;
        const t = row.target === 'none' ? null
          : rels[i] === 'missing' ? { id: NO_SUCH_ID, region: NO_SUCH_ID }
            : PER_ROLE.has(rels[i]) || row.target === 'public_case' ? T[row.target][rels[i]][role]
              : { ...T[row.target][rels[i]], region: T.region[rels[i]]?.id };
        assert.ok(t !== undefined, `${key} ${role}/${rels[i]}: no fixture`);
        const req = await requestFor(method, pattern, row.target, t);
        if (req.prep) await admin.put(req.path, { filings: 3 });
        let who = as[role];
        // Logging in: a fresh client each time, so that the anonymous actor stays anonymous.
        if (key === 'POST /api/v1/session' && role === 'anonymous') who = new Client(srv.url);
        if (key === 'DELETE /api/v1/session' && role !== 'anonymous' && role !== 'partner') {
          who = new Client(srv.url);
          await who.login(role === 'admin' ? 'cx_admin' : role === 'mediator' ? 'cx_mediator' : 'fc_clerk');
        }
        const headers = row.target === 'public_case' ? { ...req.headers, 'x-forwarded-for': citizenAddress(role) } : req.headers;
        const res = await who.request(method, req.path, { json: req.json, body: req.body, headers });
        res.pattern = pattern;
        if (spent && res.status >= 200 && res.status < 300) spent();
        spent = null;
        const got = classOf(method, res);
        dump.push(`${key} ${role}/${rels[i]} ${res.status} ${res.text.slice(0, 120)}`);
        if (got !== want) wrong.push(`${key} ${role}/${rels[i]}: want ${want}, got ${res.status} ${res.text.slice(0, 160)}`);
      }
    }
  }
  // JIEFEN_AUTHZ_DUMP=file writes every cell's answer, to review the writes that an A passed as 400/409.
  if (process.env.JIEFEN_AUTHZ_DUMP) writeFileSync(process.env.JIEFEN_AUTHZ_DUMP, dump.join('\n') + '\n');
  assert.deepEqual(wrong, [], `${wrong.length} cells differ:\n${wrong.join('\n')}`);
});

test("a citizen's access code opens no staff route, however it is sent", async () => {
  // A fresh application (the walk's recovery cells changed the fixtures' codes).
  const app = await ok(new Client(srv.url).post('/api/v1/public/applications', {
    category: 'neighbour', region_id: ids.region(R.dongjie).id, facts: '楼上住户漏水', claims: '修缮',
    applicant: { name: '王小明', phone: mobile() }, respondent: { name: '刘大海' },
  }), 'application');
  const { number, access_code: code } = app;
  // The code does open the citizen's own case on the public side (so the check below is not vacuous).
  assert.equal((await new Client(srv.url).get(`/api/v1/public/cases/${encodeURIComponent(number)}?code=${encodeURIComponent(code)}`)).status, 200);
  const kase = (await ok(admin.get(`/api/v1/cases?q=${encodeURIComponent(number)}`), 'the case')).items.find((k) => k.number === number);
  assert.ok(kase, 'the application is in the register');
  const wrong = [];
  for (const path of ['/api/v1/session', '/api/v1/cases', `/api/v1/cases/${kase.id}`, `/api/v1/cases/${kase.id}/timeline`, '/api/v1/partner/referrals']) {
    for (const [how, headers, q] of [
      ['bearer', { authorization: `Bearer ${code}` }, ''],
      ['cookie', { cookie: `jiefen_session=${code}` }, ''],
      ['query', {}, `?code=${encodeURIComponent(code)}`],
    ]) {
      const r = await new Client(srv.url).request('GET', path + q, { headers });
      if (r.status !== 401) wrong.push(`${path} by ${how}: ${r.status} ${r.text.slice(0, 120)}`);
    }
  }
  assert.deepEqual(wrong, []);
});
