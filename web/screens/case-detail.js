// 案件详情 (#/cases/{id}): one case — its header (number, state, level, method, due date,
// responsible unit), the facts and claims, the parties (ID number, phone and address masked as
// the server gives them), the routing explanation kept at acceptance, the timeline of
// everything done to it, and exactly the actions the caller may take now as buttons
// (GET /api/v1/cases/{id}/transitions; docs/api-contract-cases.md).
//
// Below the facts and parties: the case's supervision orders (督办, with the 督办 button in the
// action bar for supervisors and leaders) and its file — attachments and printable documents
// (components/case-supervision.js, components/case-files.js). Once the case has an agreement,
// the 协议履行 panel follows its payment plan and 司法确认 (components/case-fulfilment.js): the
// 达成协议 dialog takes the plan (instalments: due date and amount in 元, rows added and
// removed), and the 回访 dialog shows how the plan was kept instead of a bare yes/no.
//
// The 稳控方案 card (components/case-control-plan.js) heads the case for red and orange cases;
// an action refused because a red case has no plan yet says so in its dialog, with a button
// to make one. The timeline shows a change of risk level with its score and reasons.
//
// Each action opens a small dialog for its details (ACTIONS below lists them per the
// contract). Whether an action is possible is the server's decision alone: a 409 names the
// reason, which is shown in Chinese, and the buttons are asked for again.

import { computed, onMounted, reactive, ref } from 'vue';
import { ElMessage } from 'element-plus';
import { ArrowLeft, Refresh, Plus, Delete, VideoCamera } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { goBackTo } from '../router.js';
import {
  t, options, num, dateTime, ymd, caseStateName, caseActionName, caseEventName, categoryName, channelName,
  complexityName, levelName, methodName, partyRoleName, partyKindName, guidanceName, agreementFormName,
  fieldErrors, timeLimitKindName, riskName,
} from '../format.js';
import PageHead from '../components/page-head.js';
import RoutingExplanation from '../components/routing-explanation.js';
import { stateTagType, isPastDue, riskTagType, riskTagClass } from '../components/case-state.js';
import CaseControlPlan from '../components/case-control-plan.js';
import CaseSupervision, { ISSUERS } from '../components/case-supervision.js';
import CaseFiles from '../components/case-files.js';
import CaseFulfilment, { ratePercent } from '../components/case-fulfilment.js';
import { narrow, labelPosition, dialogWidth, columns } from '../media.js';
import { askReason } from '../components/reveal-reason.js';

const ENDED = ['rejected', 'withdrawn', 'closed', 'archived'];
import { hasRole } from '../session.js';

// The details of each action (docs/api-contract-cases.md, "Action details"). `req` marks what
// the contract requires (shown with an asterisk; the server checks it). Kinds: text, textarea,
// date, datetime, org, mediators, method, guidance, form, amount, rate, switch, plan (the
// payment plan: rows of due date and amount), fulfilment (a return visit's account of it).
const ACTIONS = {
  accept: [{ key: 'note', kind: 'textarea' }],
  reject: [{ key: 'reason', kind: 'textarea', req: true }, { key: 'notice', kind: 'textarea' }],
  // `sent` is what went with the referral (移交材料), in words; not a date.
  refer: [{ key: 'to_kind', kind: 'tokind' }, { key: 'to_body', kind: 'text', req: true },
    { key: 'sent', kind: 'textarea', req: true }, { key: 'feedback_due', kind: 'date' }],
  feedback: [{ key: 'feedback', kind: 'textarea', req: true }],
  assign: [{ key: 'lead_leader_id', kind: 'leader' }, { key: 'resp_org_id', kind: 'org', req: true },
    { key: 'mediator_ids', kind: 'mediators', req: true }],
  record_session: [{ key: 'held_at', kind: 'datetime', req: true }, { key: 'place', kind: 'text' },
    { key: 'participants', kind: 'text' }, { key: 'record', kind: 'textarea', req: true }, { key: 'next_step', kind: 'text' },
    { key: 'online', kind: 'switch' }],
  change_method: [{ key: 'method', kind: 'method', req: true }, { key: 'reason', kind: 'textarea', req: true }],
  escalate: [{ key: 'reason', kind: 'textarea', req: true }],
  suspend: [{ key: 'reason', kind: 'textarea', req: true }],
  resume: [],
  agree: [{ key: 'terms', kind: 'textarea', req: true }, { key: 'performance', kind: 'textarea' }, { key: 'form', kind: 'form' },
    { key: 'amount', kind: 'amount' }, { key: 'instalments', kind: 'plan', label: 'plan' }],
  fail: [{ key: 'guidance', kind: 'guidance', req: true }, { key: 'reason', kind: 'textarea', req: true }],
  review_failure: [{ key: 'opinion', kind: 'textarea', req: true }],
  withdraw: [{ key: 'by', kind: 'text', req: true }, { key: 'reason', kind: 'textarea', req: true }],
  close: [{ key: 'summary', kind: 'textarea' }, { key: 'court_report', kind: 'textarea' }],
  return_visit: [{ key: 'visitor', kind: 'text', req: true }, { key: 'method', kind: 'text', req: true, label: 'visitMethod' },
    { key: 'satisfaction', kind: 'rate', req: true }, { key: 'fulfilled', kind: 'fulfilment', label: 'visitState' },
    { key: 'note', kind: 'textarea' },
    { key: 'recurrence_risk', kind: 'text' }, { key: 'recurrence', kind: 'switch' }],
  reopen: [{ key: 'reason', kind: 'textarea', req: true }],
  archive: [],
  extend: [{ key: 'reason', kind: 'textarea', req: true }, { key: 'consent', kind: 'text' },
    { key: 'days', kind: 'amount' }],
  merge: [{ key: 'into', kind: 'amount', req: true }, { key: 'reason', kind: 'textarea' }],
  reroute: [{ key: 'reason', kind: 'textarea', req: true }, { key: 'resp_org_id', kind: 'org' }],
  invite_experts: [{ key: 'expert_ids', kind: 'experts', req: true }, { key: 'note', kind: 'textarea' }],
};

// Buttons that end or undo something get a warning colour; the usual next step is primary.
const DANGER = ['reject', 'fail', 'withdraw', 'escalate', 'suspend'];

// A fulfilment account in the return-visit dialog, as the server's `fulfilled` (true/false, or
// not sent when the visitor could not tell and there is no plan to go by).
const FULFILLED = { yes: true, no: false, unknown: null };

let planKey = 0;
const pad = (n) => String(n).padStart(2, '0');
/** The same day `months` later (the last day of a shorter month), as YYYY-MM-DD. */
function addMonths(day, months) {
  const [y, m, d] = day.split('-').map(Number);
  const last = new Date(y, m - 1 + months + 1, 0).getDate();
  return ymd(new Date(y, m - 1 + months, Math.min(d, last)));
}
const nowText = () => {
  const d = new Date();
  return `${ymd(d)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

export default {
  name: 'CaseDetailScreen',
  components: { PageHead, RoutingExplanation, CaseSupervision, CaseFiles, CaseFulfilment, CaseControlPlan },
  props: { params: { type: Object, required: true } },
  setup(props) {
    const id = computed(() => props.params.id);
    const kase = ref(null);
    const missing = ref(false);
    const actions = ref([]);
    const events = ref([]);
    const rules = ref([]);
    const orgs = ref([]);
    const mediators = ref([]);
    const leaders = ref([]);
    const experts = ref([]);
    const refusal = ref('');
    const loading = ref(false);
    const supervision = ref(null);
    const fulfilment = ref(null);
    const controlPlan = ref(null);
    // The fulfilment of the plan, read when a return-visit dialog opens.
    const visit = ref(null);
    // 督办 is offered while the case is open (the server answers 409 for a closed one).
    const canSupervise = computed(() => hasRole(ISSUERS) && !!kase.value && !['closed', 'archived'].includes(kase.value.state));
    const today = ymd(new Date());

    const fail = (e) => { if (e.status !== 401) ElMessage.error(t(M.common.loadFailed, { msg: e.message })); };

    async function loadCase() {
      try {
        kase.value = await api.get(`/cases/${id.value}`);
        missing.value = false;
      } catch (e) {
        if (e.status === 404) missing.value = true;
        else fail(e);
      }
    }
    async function loadActions() {
      try {
        actions.value = (await api.get(`/cases/${id.value}/transitions`)).actions || [];
      } catch (e) {
        if (e.status !== 404) fail(e);
        actions.value = [];
      }
    }
    async function loadTimeline() {
      try {
        events.value = (await api.get(`/cases/${id.value}/timeline`)).items || [];
      } catch (e) {
        if (e.status !== 404) fail(e);
      }
    }
    // 查看完整信息: one party's full ID number, phone and address, with a reason, audited
    // (POST .../parties/{pid}/reveal; 个人信息保护法 art. 28, 29). Offered only when the server
    // says the reader may (`may_reveal`); the values are kept on this page only, never stored.
    const revealed = reactive({});
    const shown = (row, k) => (revealed[row.id] ? revealed[row.id][k] : row[k]);
    async function reveal(row) {
      const reason = await askReason(t(M.reveal.title, { name: row.name }));
      if (!reason) return;
      try {
        revealed[row.id] = await api.post(`/cases/${id.value}/parties/${row.id}/reveal`, { reason });
        ElMessage.success(M.reveal.shown);
      } catch (e) {
        if (e.status === 403) ElMessage.error(M.reveal.forbidden);
        else if (e.status !== 401) ElMessage.error(e.message);
      }
    }

    async function loadAll() {
      loading.value = true;
      try {
        await Promise.all([loadCase(), loadActions(), loadTimeline(), fulfilment.value && fulfilment.value.load()]);
      } finally {
        loading.value = false;
      }
    }

    // Names for ids in the case and its timeline (responsible unit, mediators), and the rules
    // the routing explanation names: what the caller may see of them; unknown ids stay ids.
    async function loadNames() {
      const [o, m, r, l, x] = await Promise.allSettled([
        api.get('/organizations', { per_page: 500 }),
        api.get('/mediators', { per_page: 500 }),
        api.get('/routing/rules', { per_page: 500 }),
        api.get('/leaders'),
        api.get('/experts', { per_page: 500 }),
      ]);
      if (l.status === 'fulfilled') leaders.value = l.value.items;
      if (x.status === 'fulfilled') experts.value = x.value.items;
      if (o.status === 'fulfilled') orgs.value = o.value.items;
      if (m.status === 'fulfilled') mediators.value = m.value.items;
      if (r.status === 'fulfilled') rules.value = r.value.items;
    }

    const orgName = (oid) => (orgs.value.find((o) => o.id === oid) || {}).name || `#${oid}`;
    const mediatorName = (mid) => (mediators.value.find((x) => x.id === mid) || {}).name || `#${mid}`;
    const mediatorNames = (ids) => (Array.isArray(ids) && ids.length ? ids.map(mediatorName).join(M.common.listSep) : M.common.none);

    // A return visit's `method` is how the visit was made; elsewhere it is the handling method.
    // A supervision order's `level` is 督办 or 挂牌督办, not a management level.
    const dataLabel = (k, action) => (k === 'method' && action === 'return_visit' ? M.caseDetail.visitMethod
      : action === 'alert' && M.alerts.data[k] ? M.alerts.data[k]
      : action === 'risk' && M.risk.event[k] ? M.risk.event[k]
      : k === 'level' && action === 'supervise' ? M.supervision.level
        : M.caseDetail.data[k] || M.fields[k] || k);
    function dataValue(k, v, action) {
      if (v === null || v === undefined || v === '') return M.common.none;
      if (k === 'level' && action === 'supervise') return M.supervision.levels[v] || String(v);
      if (action === 'alert' && k === 'event') return M.alerts.events[v] || String(v);
      if (action === 'alert' && (k === 'level' || k === 'from_level')) return riskName(v);
      if (action === 'alert' && k === 'ack_due_at') return dateTime(v);
      if (k === 'kind' && action === 'deadline_warning') return M.supervision.warningKinds[v] || String(v);
      if (k === 'kind' && action === 'attach') return M.caseFiles.kinds[v] || String(v);
      if (k === 'status' && action === 'fulfilment') return M.instalmentStatus[v] || String(v);
      if (k === 'result' && action === 'judicial_confirmation') return M.confirmationResults[v] || String(v);
      if (action === 'risk') return riskValue(k, v);
      if (k === 'instalments' && Array.isArray(v)) {
        return v.map((x, i) => t(M.fulfilment.planItem, { seq: i + 1, date: x.due_date, amount: num(x.amount) })).join('\n');
      }
      switch (k) {
        case 'method': return M.methods[v] ? methodName(v) : String(v);
        case 'level': return levelName(v);
        case 'guidance': return guidanceName(v);
        case 'form': return agreementFormName(v);
        case 'resp_org_id': return typeof v === 'string' ? v : orgName(v);
        case 'mediator_ids': return typeof v === 'string' ? v : mediatorNames(v);
        case 'released_mediators': return mediatorNames(v);
        case 'expert_ids': return (Array.isArray(v) ? v : []).map((x) => ((experts.value.find((e) => e.id === x) || {}).name || `#${x}`)).join(M.common.listSep);
        case 'to_kind': return M.caseDetail.toKinds[v] || String(v);
        case 'category': return categoryName(v);
        case 'channel': return channelName(v);
        case 'complexity': return complexityName(v);
        case 'satisfaction': return `${v} · ${M.caseDetail.satisfaction[v - 1] || ''}`;
        case 'amount': return t(M.caseDetail.yuan, { n: num(v) });
        default:
          if (typeof v === 'boolean') return v ? M.common.yes : M.common.no;
          if (Array.isArray(v)) return v.join(M.common.listSep);
          if (typeof v === 'object') return JSON.stringify(v);
          return String(v);
      }
    }
    // A change of risk level: the levels, the score, and each reason on its own line.
    function riskValue(k, v) {
      if (k === 'change') return t(M.risk.change, { from: riskName(v.from), to: riskName(v.to) });
      if (k === 'score') return t(M.risk.score, { n: v });
      if (k === 'reasons' && Array.isArray(v)) {
        return v.map((x) => t(x.points ? M.risk.reason : M.risk.reasonHold, x)).join('\n') || M.common.none;
      }
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
    const riskEntries = (d) => [['change', { from: d.from, to: d.to }], ['score', d.score], ['reasons', d.reasons], ['respond_by', d.respond_by]]
      .filter(([k, v]) => k === 'change' || (v !== undefined && v !== null));
    // A control plan's owner by name; when and by whom it was made is the event's own.
    const PLAN_HIDDEN = ['owner_id', 'updated_at', 'updated_by'];
    // A unit's name sent with the event (one above the reader's area) stands in for its id;
    // the lead leader is shown by name only.
    function dataEntries(d, action) {
      if (!d || typeof d !== 'object') return [];
      if (action === 'risk') return riskEntries(d);
      return Object.entries(d)
        .filter(([k]) => action !== 'control_plan' || !PLAN_HIDDEN.includes(k))
        .filter(([k]) => k !== 'resp_org_name' && k !== 'mediator_names' && !(k === 'lead_leader_id' && d.lead_leader))
        .map(([k, v]) => (k === 'resp_org_id' && d.resp_org_name ? [k, d.resp_org_name]
          : k === 'mediator_ids' && Array.isArray(d.mediator_names) && d.mediator_names.length ? [k, d.mediator_names.join(M.common.listSep)]
            : [k, v]));
    }

    const header = computed(() => {
      const c = kase.value;
      if (!c) return null;
      return {
        limit: c.time_limit_days ? t(M.routing.limit, { n: c.time_limit_days, kind: timeLimitKindName(c.time_limit_kind) }) : M.common.none,
        pastDue: isPastDue(c, today),
      };
    });

    // ---- actions ----
    const dialog = reactive({ open: false, action: '', saving: false, general: '', needPlan: false });
    const form = reactive({});
    const errors = reactive({});
    const fieldsOf = (a) => ACTIONS[a] || [];
    const buttonType = (a, i) => (DANGER.includes(a) ? 'warning' : i === 0 ? 'primary' : 'default');
    const LABELS = { visitMethod: () => M.caseDetail.visitMethod, plan: () => M.fulfilment.plan, visitState: () => M.fulfilment.visitState };
    const fieldLabel = (f) => (LABELS[f.label] ? LABELS[f.label]() : dataLabel(f.key));

    // ---- the payment plan of an agreement ----
    const planRows = computed(() => (Array.isArray(form.instalments) ? form.instalments : []));
    const planTotal = computed(() => planRows.value.reduce((n, r) => n + (Number(r.amount) || 0), 0));
    // The next row is due a month after the last one and asks for what is left of the amount.
    function addPlanRow() {
      const rows = planRows.value;
      const last = rows.length ? rows[rows.length - 1].due_date : '';
      const left = (form.amount || 0) - planTotal.value;
      delete errors.instalments;
      rows.push({ key: ++planKey, due_date: last ? addMonths(last, 1) : addMonths(today, 1), amount: left > 0 ? left : null });
    }
    const removePlanRow = (i) => {
      delete errors.instalments;
      planRows.value.splice(i, 1);
    };

    // ---- a return visit's account of the fulfilment ----
    async function loadVisit() {
      visit.value = null;
      try {
        const f = await api.get(`/cases/${id.value}/fulfilment`);
        visit.value = f;
        // The records say whether the plan was kept; the visitor confirms or corrects it.
        if (f.count && dialog.action === 'return_visit') form.fulfilled = f.paid === f.count ? 'yes' : 'no';
      } catch (e) {
        if (e.status !== 401 && e.status !== 404) fail(e);
      }
    }

    const mediatorOptions = computed(() => {
      const org = form.resp_org_id;
      const inOrg = org ? mediators.value.filter((m) => (m.org_ids || []).includes(org)) : mediators.value;
      return (inOrg.length ? inOrg : mediators.value).filter((m) => m.status !== 'inactive');
    });

    function openAction(a) {
      refusal.value = '';
      for (const k of Object.keys(form)) delete form[k];
      for (const k of Object.keys(errors)) delete errors[k];
      const c = kase.value || {};
      for (const f of fieldsOf(a)) {
        form[f.key] = f.kind === 'mediators' || f.kind === 'experts' || f.kind === 'plan' ? [] : f.kind === 'switch' ? null : f.kind === 'rate' ? 0
          : f.kind === 'fulfilment' ? 'unknown'
          : f.kind === 'amount' || f.kind === 'org' || f.kind === 'leader' ? null : '';
      }
      if (a === 'assign') {
        form.lead_leader_id = c.lead_leader_id || null;
        form.resp_org_id = c.resp_org_id || null;
        form.mediator_ids = Array.isArray(c.mediator_ids) ? c.mediator_ids.slice() : [];
      }
      if (a === 'record_session') form.held_at = nowText();
      if (a === 'agree') form.form = 'written';
      if (a === 'change_method') form.method = c.method || '';
      Object.assign(dialog, { open: true, action: a, saving: false, general: '', needPlan: false });
      if (a === 'return_visit') loadVisit();
    }

    // Required fields always go (so the server can name a missing one); optional ones only
    // when filled.
    function bodyOf(a) {
      const b = { action: a };
      for (const f of fieldsOf(a)) {
        let v = form[f.key];
        // Rows left wholly empty are dropped; a half-filled one goes, for the server to name.
        if (f.kind === 'plan') {
          v = v.filter((r) => r.due_date || r.amount).map((r) => ({ due_date: r.due_date || '', amount: r.amount ?? 0 }));
        }
        if (f.kind === 'fulfilment') v = FULFILLED[v];
        if (typeof v === 'string') v = v.trim();
        if (f.kind === 'rate' && !v) v = null;
        const empty = v === null || v === undefined || v === '' || (Array.isArray(v) && !v.length);
        if (empty && !f.req) continue;
        if (empty && f.kind !== 'text' && f.kind !== 'textarea') continue; // the server says "required"
        b[f.key] = v;
      }
      return b;
    }

    async function takeAction() {
      if (dialog.saving) return;
      const a = dialog.action;
      dialog.saving = true;
      dialog.general = '';
      dialog.needPlan = false;
      for (const k of Object.keys(errors)) delete errors[k];
      try {
        kase.value = await api.post(`/cases/${id.value}/transitions`, bodyOf(a));
        dialog.open = false;
        ElMessage.success(t(M.caseDetail.done, { action: caseActionName(a) }));
        await Promise.all([loadActions(), loadTimeline(), fulfilment.value && fulfilment.value.load()]);
      } catch (e) {
        if (e.status === 409 && e.problem && e.problem.reason) {
          // Not possible now: say why, and show the buttons the server allows now.
          dialog.open = false;
          refusal.value = t(M.caseDetail.refused, {
            action: caseActionName(a), reason: M.transitionReasons[e.problem.reason] || e.problem.reason,
          });
          ElMessage.error(refusal.value);
          if (Array.isArray(e.problem.allowed)) actions.value = e.problem.allowed;
          await loadAll();
        } else if (e.status === 409) {
          dialog.open = false;
          ElMessage.warning(M.caseDetail.changed);
          await loadAll();
        } else if (e.status !== 401) {
          const keys = fieldsOf(a).map((f) => f.key);
          // A red case without a control plan (稳控方案) cannot be ended: said in full, not
          // as a bare "field: required", with the way to make one.
          dialog.needPlan = e.errors.some((x) => x.field === 'control_plan');
          const { fields, other } = fieldErrors({ errors: e.errors.filter((x) => x.field !== 'control_plan') }, keys);
          Object.assign(errors, fields);
          if (errors.instalments) errors.instalments = M.fulfilment.planInvalid;
          dialog.general = other.length ? other.join(M.common.sentenceSep) : (e.errors.length ? '' : e.message);
        }
      } finally {
        dialog.saving = false;
      }
    }

    // From a refused action to the control plan's dialog.
    function makePlan() {
      dialog.open = false;
      if (controlPlan.value) controlPlan.value.open();
    }
    // A new plan may lower the level: the case, its buttons and its timeline are read again.
    const planChanged = () => Promise.all([loadCase(), loadActions(), loadTimeline()]);

    function onDialogKey(ev) {
      if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        takeAction();
      }
    }

    onMounted(() => {
      loadAll();
      loadNames();
    });

    // 视频调解: the case's room on the centre's video service, while the case is open.
    const meetingUrl = computed(() => (kase.value && kase.value.meeting_url && !ENDED.includes(kase.value.state)
      ? kase.value.meeting_url : ''));
    // Who acted, by name (the user's name); the system's own actors by what they are.
    const actorLabel = (ev) => ev.actor_name || M.caseDetail.actors[ev.actor_login] || ev.actor_login || M.common.none;

    return {
      M, t, id, kase, missing, actions, events, rules, refusal, loading, header, loadAll, loadTimeline, goBackTo, supervision, canSupervise,
      dialog, form, errors, fieldsOf, fieldLabel, buttonType, openAction, takeAction, onDialogKey,
      orgs, leaders, experts, mediatorOptions, mediatorNames, dataLabel, dataValue, dataEntries,
      caseStateName, caseActionName, caseEventName, categoryName, channelName, complexityName, levelName,
      methodName, partyRoleName, partyKindName, stateTagType, dateTime, num, riskName, riskTagType,
      methodOptions: options(M.methods), guidanceOptions: options(M.guidance), formOptions: options(M.agreementForms),
      ArrowLeft, Refresh, Plus, Delete,
      fulfilment, visit, planRows, planTotal, addPlanRow, removePlanRow, ratePercent,
      narrow, labelPosition, dialogWidth, columns,
      meetingUrl, actorLabel, VideoCamera,
      controlPlan, makePlan, planChanged, riskTagClass, mediators,
      revealed, shown, reveal,
    };
  },
  template: `
  <div data-test="case-detail" v-loading="loading && !kase">
    <el-result v-if="missing" icon="warning" :title="M.caseDetail.notFound">
      <template #extra><el-button @click="goBackTo('/cases')">{{ M.caseDetail.back }}</el-button></template>
    </el-result>
    <template v-else-if="kase">
      <page-head :title="kase.number" :subtitle="categoryName(kase.category) + ' · ' + kase.region_name">
        <el-button :icon="ArrowLeft" @click="goBackTo('/cases')" data-test="case-back">{{ M.caseDetail.back }}</el-button>
        <el-button :icon="Refresh" @click="loadAll">{{ M.common.refresh }}</el-button>
        <el-button v-if="meetingUrl" type="success" plain :icon="VideoCamera" tag="a" :href="meetingUrl" target="_blank"
          rel="noopener noreferrer" :title="M.caseDetail.meetingHint" data-test="case-meeting">{{ M.caseDetail.meeting }}</el-button>
      </page-head>

      <el-card shadow="never" class="jf-case-head" data-test="case-head">
        <div class="jf-case-head-row">
          <el-tag :type="stateTagType(kase.state)" size="large" effect="dark" data-test="case-state">{{ caseStateName(kase.state) }}</el-tag>
          <el-tag v-if="kase.urgent" type="danger" effect="plain" class="jf-tag-after">{{ M.cases.urgentTag }}</el-tag>
          <el-tag :type="riskTagType(kase.risk)" effect="plain" :class="['jf-tag-after', riskTagClass(kase.risk)]" data-test="case-risk">{{ t(M.caseDetail.risk, { level: riskName(kase.risk) }) }}</el-tag>
          <span v-if="kase.risk_reasons" class="jf-muted jf-case-risk-reasons" data-test="case-risk-reasons">{{ kase.risk_reasons }}</span>
          <span class="jf-case-number-sm" data-test="case-number">{{ kase.number }}</span>
        </div>
        <el-descriptions :column="columns(4, 2)" size="small" class="jf-block">
          <el-descriptions-item :label="M.caseDetail.level"><span data-test="case-level">{{ kase.level ? levelName(kase.level) : M.common.none }}</span></el-descriptions-item>
          <el-descriptions-item :label="M.caseDetail.method"><span data-test="case-method">{{ kase.method ? methodName(kase.method) : M.common.none }}</span></el-descriptions-item>
          <el-descriptions-item :label="M.caseDetail.due">
            <span :class="{ 'jf-overdue': header.pastDue }" data-test="case-due">{{ kase.due_date || M.common.none }}</span>
            <el-tag v-if="header.pastDue" type="danger" size="small" effect="plain" class="jf-tag-after">{{ M.cases.overdueTag }}</el-tag>
          </el-descriptions-item>
          <el-descriptions-item :label="M.caseDetail.limit">{{ header.limit }}</el-descriptions-item>
          <el-descriptions-item :label="M.caseDetail.respOrg"><span data-test="case-resp-org">{{ kase.resp_org_name || M.common.none }}</span></el-descriptions-item>
          <el-descriptions-item :label="M.caseDetail.leadLeader">{{ kase.lead_leader || M.common.none }}</el-descriptions-item>
          <el-descriptions-item :label="M.caseDetail.mediators"><span data-test="case-mediators">{{ (kase.mediators || []).length ? kase.mediators.map((x) => x.name).join(M.common.listSep) : mediatorNames(kase.mediator_ids) }}</span></el-descriptions-item>
          <el-descriptions-item v-if="(kase.experts || []).length" :label="M.caseDetail.experts"><span data-test="case-experts">{{ kase.experts.map((x) => x.name).join(M.common.listSep) }}</span></el-descriptions-item>
          <el-descriptions-item :label="M.caseDetail.sessions">{{ kase.sessions_at_level ?? 0 }}</el-descriptions-item>
        </el-descriptions>
        <div class="jf-case-actions" data-test="case-actions">
          <span class="jf-muted">{{ M.caseDetail.actions }}</span>
          <el-button v-for="(a, i) in actions" :key="a" :type="buttonType(a, i)" @click="openAction(a)" :data-test="'action-' + a">{{ caseActionName(a) }}</el-button>
          <span v-if="!actions.length" class="jf-muted" data-test="no-actions">{{ M.caseDetail.noActions }}</span>
          <el-button v-if="canSupervise" type="danger" plain class="jf-push-right" @click="supervision && supervision.issue()" data-test="supervise">{{ M.supervision.issue }}</el-button>
        </div>
        <el-alert v-if="refusal" :title="refusal" type="error" show-icon class="jf-block" @close="refusal = ''" data-test="action-refused" />
      </el-card>

      <div class="jf-split jf-block">
        <div class="jf-split-main jf-stack">
          <case-control-plan ref="controlPlan" :kase="kase" :leaders="leaders" :mediators="mediators" :events="events" @changed="planChanged" />
          <el-card shadow="never" data-test="case-basics">
            <template #header>{{ M.caseDetail.basics }}</template>
            <el-descriptions :column="columns(3)" border size="small">
              <el-descriptions-item :label="M.caseDetail.channel">{{ channelName(kase.channel) }}</el-descriptions-item>
              <el-descriptions-item :label="M.caseDetail.category">{{ categoryName(kase.category) }}</el-descriptions-item>
              <el-descriptions-item :label="M.caseDetail.complexity">{{ complexityName(kase.complexity) }}</el-descriptions-item>
              <el-descriptions-item :label="M.caseDetail.place">{{ kase.region_name }}</el-descriptions-item>
              <el-descriptions-item :label="M.caseDetail.occurredOn">{{ kase.occurred_on || M.common.none }}</el-descriptions-item>
              <el-descriptions-item :label="M.caseDetail.received">{{ dateTime(kase.received_at) }}</el-descriptions-item>
              <el-descriptions-item :label="M.caseDetail.people">{{ kase.people != null ? t(M.caseDetail.persons, { n: num(kase.people) }) : M.common.none }}</el-descriptions-item>
              <el-descriptions-item :label="M.caseDetail.amount">{{ kase.amount != null ? t(M.caseDetail.yuan, { n: num(kase.amount) }) : M.common.none }}</el-descriptions-item>
              <el-descriptions-item :label="M.caseDetail.keyPersons">{{ kase.key_persons ? M.common.yes : M.common.no }}</el-descriptions-item>
              <el-descriptions-item :label="M.caseDetail.facts" :span="columns(3)"><div class="jf-pre" data-test="case-facts">{{ kase.facts }}</div></el-descriptions-item>
              <el-descriptions-item :label="M.caseDetail.claims" :span="columns(3)"><div class="jf-pre">{{ kase.claims || M.common.none }}</div></el-descriptions-item>
              <el-descriptions-item :label="M.caseDetail.cause" :span="columns(3)">{{ kase.cause || M.common.none }}</el-descriptions-item>
              <el-descriptions-item v-if="(kase.links || []).length" :label="M.caseDetail.links" :span="columns(3)">
                <div v-for="l in kase.links" :key="l.id" data-test="case-link-item">
                  <span class="jf-muted">{{ l.direction === 'to' ? M.caseDetail.linkTo : M.caseDetail.linkFrom }}</span>
                  <a :href="'#/cases/' + l.id" class="jf-tag-after" data-test="case-link-number">{{ l.number }}</a>
                  <el-tag size="small" effect="plain" class="jf-tag-after">{{ caseStateName(l.state) }}</el-tag>
                </div>
              </el-descriptions-item>
              <el-descriptions-item :label="M.caseDetail.forecast" :span="columns(3)">{{ kase.forecast || M.common.none }}</el-descriptions-item>
            </el-descriptions>
          </el-card>

          <el-card shadow="never" data-test="case-parties">
            <template #header>
              <div class="jf-card-head"><span>{{ M.caseDetail.parties }}</span><span class="jf-muted">{{ M.caseDetail.masked }}</span></div>
            </template>
            <!-- On a phone one small card per party, so a revealed number is seen without scrolling sideways. -->
            <div v-if="narrow" class="jf-stack">
              <el-descriptions v-for="row in kase.parties || []" :key="row.id" :column="1" border size="small" data-test="party-card">
                <el-descriptions-item :label="M.intake.partyCols.name">
                  <span>{{ row.name }}</span><span class="jf-muted jf-tag-after">{{ partyRoleName(row.role) }} · {{ partyKindName(row.kind) }}</span>
                  <el-tag v-if="revealed[row.id]" size="small" type="warning" effect="plain" class="jf-tag-after" data-test="party-revealed">{{ M.reveal.full }}</el-tag>
                  <div v-else-if="kase.may_reveal && (row.id_number || row.phone || row.address)"><el-button link type="primary" size="small" @click="reveal(row)" data-test="party-reveal">{{ M.reveal.button }}</el-button></div>
                </el-descriptions-item>
                <el-descriptions-item :label="M.intake.partyCols.id_number"><span data-test="party-id">{{ shown(row, 'id_number') || M.common.none }}</span></el-descriptions-item>
                <el-descriptions-item :label="M.intake.partyCols.phone"><span data-test="party-phone">{{ shown(row, 'phone') || M.common.none }}</span></el-descriptions-item>
                <el-descriptions-item :label="M.intake.partyCols.address"><span data-test="party-address">{{ shown(row, 'address') || M.common.none }}</span></el-descriptions-item>
                <el-descriptions-item v-if="row.agent" :label="M.intake.partyCols.agent">{{ row.agent }}</el-descriptions-item>
              </el-descriptions>
            </div>
            <el-table v-else :data="kase.parties || []" size="small">
              <el-table-column :label="M.intake.partyCols.role" width="90"><template #default="{ row }">{{ partyRoleName(row.role) }}</template></el-table-column>
              <el-table-column :label="M.intake.partyCols.kind" width="80"><template #default="{ row }">{{ partyKindName(row.kind) }}</template></el-table-column>
              <el-table-column :label="M.intake.partyCols.name" min-width="110">
                <template #default="{ row }">
                  <span>{{ row.name }}</span>
                  <el-tag v-if="revealed[row.id]" size="small" type="warning" effect="plain" class="jf-tag-after" data-test="party-revealed">{{ M.reveal.full }}</el-tag>
                  <div v-else-if="kase.may_reveal && (row.id_number || row.phone || row.address)"><el-button link type="primary" size="small" @click="reveal(row)" data-test="party-reveal">{{ M.reveal.button }}</el-button></div>
                </template>
              </el-table-column>
              <el-table-column :label="M.intake.partyCols.id_number" min-width="160"><template #default="{ row }"><span data-test="party-id">{{ shown(row, 'id_number') || M.common.none }}</span></template></el-table-column>
              <el-table-column :label="M.intake.partyCols.phone" min-width="120"><template #default="{ row }"><span data-test="party-phone">{{ shown(row, 'phone') || M.common.none }}</span></template></el-table-column>
              <el-table-column :label="M.intake.partyCols.address" min-width="100"><template #default="{ row }"><span data-test="party-address">{{ shown(row, 'address') || M.common.none }}</span></template></el-table-column>
              <el-table-column :label="M.intake.partyCols.agent" min-width="80"><template #default="{ row }">{{ row.agent || M.common.none }}</template></el-table-column>
            </el-table>
          </el-card>

          <case-fulfilment ref="fulfilment" :case-id="id" :number="kase.number" @changed="loadTimeline" />
          <case-supervision ref="supervision" :case-id="id" :number="kase.number" @changed="loadTimeline" />
          <case-files :case-id="id" :version="kase.updated_at" :may-reveal="!!kase.may_reveal" @changed="loadTimeline" />

          <el-card shadow="never" data-test="case-routing">
            <template #header>{{ M.caseDetail.routing }}</template>
            <routing-explanation v-if="kase.routing" :result="kase.routing" :rules="rules" :unmatched-open="false" />
            <p v-else class="jf-hint">{{ M.caseDetail.notRouted }}</p>
            <div v-if="(kase.routings || []).length > 1" class="jf-block" data-test="case-routings">
              <div class="jf-muted">{{ M.caseDetail.routingHistory }}</div>
              <el-table :data="kase.routings" size="small">
                <el-table-column :label="M.caseDetail.routingAt" min-width="130"><template #default="{ row }">{{ dateTime(row.at) }}</template></el-table-column>
                <el-table-column :label="M.caseDetail.routingAction" width="90"><template #default="{ row }">{{ caseEventName(row.action) }}</template></el-table-column>
                <el-table-column :label="M.caseDetail.level" width="80"><template #default="{ row }">{{ row.level ? levelName(row.level) : M.common.none }}</template></el-table-column>
                <el-table-column :label="M.caseDetail.respOrg" min-width="140"><template #default="{ row }">{{ row.resp_org_name || M.common.none }}</template></el-table-column>
                <el-table-column :label="M.caseDetail.routingReason" min-width="140"><template #default="{ row }">{{ row.reason || M.common.none }}</template></el-table-column>
              </el-table>
            </div>
          </el-card>
        </div>

        <el-card shadow="never" class="jf-case-timeline" data-test="case-timeline">
          <template #header>{{ M.caseDetail.timeline }}</template>
          <el-timeline v-if="events.length">
            <el-timeline-item v-for="ev in events" :key="ev.id" :timestamp="dateTime(ev.at)" placement="top"
              :type="ev.to_state ? stateTagType(ev.to_state) : 'info'" data-test="timeline-item">
              <div class="jf-event-head">
                <strong data-test="timeline-action">{{ caseEventName(ev.action) }}</strong>
                <span class="jf-muted" data-test="timeline-actor">{{ actorLabel(ev) }}</span>
                <el-tag v-if="ev.to_state && ev.from_state !== ev.to_state" size="small" effect="plain" :type="stateTagType(ev.to_state)">
                  {{ ev.from_state ? t(M.caseDetail.stateChange, { from: caseStateName(ev.from_state), to: caseStateName(ev.to_state) }) : caseStateName(ev.to_state) }}
                </el-tag>
              </div>
              <div v-for="[k, v] in dataEntries(ev.data, ev.action)" :key="k" class="jf-event-data">
                <span class="jf-event-key">{{ dataLabel(k, ev.action) }}</span><span class="jf-pre">{{ dataValue(k, v, ev.action) }}</span>
              </div>
            </el-timeline-item>
          </el-timeline>
          <p v-else class="jf-hint">{{ M.caseDetail.noEvents }}</p>
        </el-card>
      </div>
    </template>

    <el-dialog v-model="dialog.open" :title="kase ? t(M.caseDetail.dialogTitle, { action: caseActionName(dialog.action), number: kase.number }) : ''"
      :width="dialogWidth(dialog.action === 'agree' ? '640px' : '560px')" :close-on-click-modal="false" data-test="action-dialog">
      <el-form label-width="112px" :label-position="labelPosition" @submit.prevent @keydown="onDialogKey">
        <p v-if="!fieldsOf(dialog.action).length" data-test="action-confirm">{{ t(M.caseDetail.noFields, { action: caseActionName(dialog.action) }) }}</p>
        <el-form-item v-for="f in fieldsOf(dialog.action)" :key="f.key" :label="fieldLabel(f)" :required="!!f.req"
          :error="errors[f.key]" :data-field="f.key">
          <el-input v-if="f.kind === 'text'" v-model="form[f.key]" :placeholder="M.caseDetail.placeholders[f.label === 'visitMethod' ? 'method' : f.key] || ''" />
          <el-input v-else-if="f.kind === 'textarea'" v-model="form[f.key]" type="textarea" :rows="3" :placeholder="M.caseDetail.placeholders[f.key] || ''" />
          <el-date-picker v-else-if="f.kind === 'date'" v-model="form[f.key]" type="date" value-format="YYYY-MM-DD" class="jf-fill" />
          <el-date-picker v-else-if="f.kind === 'datetime'" v-model="form[f.key]" type="datetime" format="YYYY-MM-DD HH:mm" value-format="YYYY-MM-DD HH:mm" class="jf-fill" />
          <el-select v-else-if="f.kind === 'org'" v-model="form[f.key]" filterable class="jf-fill" :placeholder="M.caseDetail.placeholders.resp_org_id">
            <el-option v-for="o in orgs" :key="o.id" :value="o.id" :label="o.name" />
          </el-select>
 <el-select v-else-if="f.kind === 'leader'" v-model="form[f.key]" filterable clearable class="jf-fill" :placeholder="M.caseDetail.placeholders.lead_leader_id">
            <el-option v-for="u in leaders" :key="u.id" :value="u.id" :label="u.name" :title="u.org_name || ''" />
          </el-select>
          <el-select v-else-if="f.kind === 'experts'" v-model="form[f.key]" multiple filterable class="jf-fill" :placeholder="M.caseDetail.placeholders.expert_ids">
            <el-option v-for="x in experts" :key="x.id" :value="x.id" :label="x.name" />
          </el-select>
          <el-select v-else-if="f.kind === 'tokind'" v-model="form[f.key]" clearable class="jf-fill">
            <el-option v-for="(label, v) in M.caseDetail.toKinds" :key="v" :value="v" :label="label" />
          </el-select>
          <el-select v-else-if="f.kind === 'mediators'" v-model="form[f.key]" multiple filterable class="jf-fill" :placeholder="M.caseDetail.placeholders.mediator_ids">
            <el-option v-for="m in mediatorOptions" :key="m.id" :value="m.id" :label="m.name" />
          </el-select>
          <el-select v-else-if="f.kind === 'method'" v-model="form[f.key]" class="jf-fill">
            <el-option v-for="o in methodOptions" :key="o.value" :value="o.value" :label="o.label" />
          </el-select>
          <el-select v-else-if="f.kind === 'guidance'" v-model="form[f.key]" class="jf-fill">
            <el-option v-for="o in guidanceOptions" :key="o.value" :value="o.value" :label="o.label" />
          </el-select>
          <el-radio-group v-else-if="f.kind === 'form'" v-model="form[f.key]">
            <el-radio-button v-for="o in formOptions" :key="o.value" :value="o.value">{{ o.label }}</el-radio-button>
          </el-radio-group>
          <el-input-number v-else-if="f.kind === 'amount'" v-model="form[f.key]" :min="0" :step="1000" controls-position="right" class="jf-fill" />
          <el-rate v-else-if="f.kind === 'rate'" v-model="form[f.key]" show-text :texts="M.caseDetail.satisfaction" />
          <el-switch v-else-if="f.kind === 'switch'" v-model="form[f.key]" />
          <div v-else-if="f.kind === 'plan'" class="jf-plan" data-test="plan">
            <p class="jf-hint">{{ M.fulfilment.planHint }}</p>
            <div v-for="(r, i) in planRows" :key="r.key" class="jf-plan-row" :data-test="'plan-row-' + i">
              <span class="jf-plan-seq">{{ t(M.fulfilment.seq, { n: i + 1 }) }}</span>
              <span class="jf-plan-date" data-col="due_date"><el-date-picker v-model="r.due_date" type="date" value-format="YYYY-MM-DD"
                :placeholder="M.fulfilment.planDue" :clearable="false" class="jf-fill" /></span>
              <span class="jf-plan-amount" data-col="amount"><el-input-number v-model="r.amount" :min="1" :precision="0" :step="100"
                controls-position="right" :placeholder="M.fulfilment.planAmount" class="jf-fill" /></span>
              <el-button :icon="Delete" link type="danger" :title="M.fulfilment.planRemove" :aria-label="M.fulfilment.planRemove"
                @click="removePlanRow(i)" data-test="plan-remove" />
            </div>
            <div class="jf-plan-foot">
              <el-button :icon="Plus" size="small" @click="addPlanRow" data-test="plan-add">{{ M.fulfilment.planAdd }}</el-button>
              <span v-if="planRows.length" class="jf-muted" data-test="plan-sum">{{ t(M.fulfilment.planSum, { n: planRows.length, amount: num(planTotal) }) }}</span>
              <span v-if="planRows.length && form.amount && planTotal !== form.amount" class="jf-plan-warn" data-test="plan-differs">
                {{ t(M.fulfilment.planDiffers, { amount: num(form.amount) }) }}</span>
            </div>
          </div>
          <div v-else-if="f.kind === 'fulfilment'" class="jf-visit-fulfil" data-test="visit-fulfilment">
            <template v-if="visit && visit.count">
              <div data-test="visit-fulfilment-summary">{{ t(M.fulfilment.visitSummary, { count: visit.count, amount: num(visit.amount),
                paid: visit.paid, paidAmount: num(visit.paid_amount), rate: ratePercent(visit.fulfilment_rate) }) }}</div>
              <div :class="visit.paid === visit.count ? 'jf-ok' : 'jf-overdue'">{{ visit.paid === visit.count ? M.fulfilment.visitAll : M.fulfilment.visitNotAll }}</div>
            </template>
            <div v-else class="jf-hint">{{ M.fulfilment.visitNoPlan }}</div>
            <el-radio-group v-model="form[f.key]" data-test="visit-fulfilled">
              <el-radio-button value="yes">{{ M.fulfilment.visitFulfilled }}</el-radio-button>
              <el-radio-button value="no">{{ M.fulfilment.visitNotFulfilled }}</el-radio-button>
              <el-radio-button value="unknown">{{ M.fulfilment.visitUnknown }}</el-radio-button>
            </el-radio-group>
          </div>
        </el-form-item>
        <el-alert v-if="dialog.needPlan" :title="M.risk.planRequired" type="error" show-icon :closable="false" class="jf-block-b" data-test="action-needs-plan">
          <el-button type="danger" size="small" class="jf-block" @click="makePlan" data-test="action-make-plan">{{ M.risk.makePlan }}</el-button>
        </el-alert>
        <el-alert v-if="dialog.general" :title="dialog.general" type="error" show-icon :closable="false" />
      </el-form>
      <template #footer>
        <el-button @click="dialog.open = false">{{ M.common.cancel }}</el-button>
        <el-button type="primary" :loading="dialog.saving" @click="takeAction" data-test="action-submit">{{ caseActionName(dialog.action) }}</el-button>
      </template>
    </el-dialog>
  </div>`,
};
