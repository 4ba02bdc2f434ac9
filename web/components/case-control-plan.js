// The 稳控方案 card of a case page (docs/risk.md): shown for a red (重大) or orange (较大) case
// or whenever a plan is on file — the plan (owner, measures, review day, who made it when),
// or for a red case without one the notice that it can be neither ended nor lowered until
// it has one. The dialog sets or replaces it (PUT /api/v1/cases/{id}/control-plan): the
// owner is chosen among the lead leaders (GET /api/v1/leaders, passed in), the caller, the
// case's mediators who have an account and its responsible person; the review day is not in
// the past. The parent opens the dialog through a template ref (open()) when an action was
// refused for want of a plan.
//
// Who may write a plan is the server's decision (the case's handlers, dispatchers,
// supervisors, leaders, admins); the button is offered to those roles.

import { computed, reactive, ref, watch } from 'vue';
import { ElMessage } from 'element-plus';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { session, hasRole } from '../session.js';
import { t, dateTime, ymd } from '../format.js';
import { showErrors } from '../forms.js';
import { labelPosition, dialogWidth } from '../media.js';

// Dispatchers, supervisors, leaders and administrators in scope; a mediator only once a unit
// holds the case (an unheld case has no handlers yet: src/case/risk.c may_plan). The server
// decides; this only hides a button that would be refused.
const OVERSEERS = ['dispatcher', 'supervisor', 'leader', 'admin'];
const FIELDS = ['owner_id', 'measures', 'review_on'];

export default {
  name: 'CaseControlPlan',
  props: {
    kase: { type: Object, required: true },
    leaders: { type: Array, default: () => [] },
    mediators: { type: Array, default: () => [] },
    // The case's timeline: who made the plan, by name (the plan itself keeps their login).
    events: { type: Array, default: () => [] },
  },
  emits: ['changed'],
  setup(props, { emit, expose }) {
    const plan = ref(null);
    const loading = ref(false);
    const today = ymd(new Date());
    const canPlan = computed(() => hasRole(OVERSEERS) || (hasRole(['mediator']) && props.kase.resp_org_id != null));

    async function load() {
      loading.value = true;
      try {
        plan.value = await api.get(`/cases/${props.kase.id}/control-plan`);
      } catch (e) {
        plan.value = null;
        if (e.status !== 401 && e.status !== 404) ElMessage.error(t(M.common.loadFailed, { msg: e.message }));
      } finally {
        loading.value = false;
      }
    }
    // Reread whenever the case changes (a regrade may follow a plan, a plan may follow an action).
    watch(() => [props.kase.id, props.kase.updated_at], load, { immediate: true });

    const red = computed(() => props.kase.risk === 'red');
    const shown = computed(() => red.value || props.kase.risk === 'orange' || !!plan.value);
    const late = computed(() => !!plan.value && plan.value.review_on < today);
    const madeBy = computed(() => {
      const ev = props.events.filter((e) => e.action === 'control_plan').pop();
      return (ev && ev.actor_name) || (plan.value && plan.value.updated_by) || M.common.none;
    });

    // ---- the dialog ----
    const dlg = reactive({ open: false, saving: false, general: '' });
    const form = reactive({ owner_id: null, measures: '', review_on: '' });
    const errors = reactive({ owner_id: '', measures: '', review_on: '' });

    // Who can answer for the plan: each person once, with why they are offered.
    const owners = computed(() => {
      const out = new Map();
      const add = (id, name, note) => { if (id && name && !out.has(id)) out.set(id, { id, name, note }); };
      const k = props.kase;
      const caseMediators = props.mediators.filter((m) => m.user_id && (k.mediator_ids || []).includes(m.id));
      if (k.lead_leader_id) add(k.lead_leader_id, k.lead_leader, M.risk.leader);
      for (const m of caseMediators) add(m.user_id, m.name, M.risk.caseMediator);
      const resp = props.mediators.find((m) => m.user_id === k.resp_user_id) || props.leaders.find((l) => l.id === k.resp_user_id);
      if (resp) add(k.resp_user_id, resp.name, M.caseDetail.data.resp_user_id);
      if (plan.value) add(plan.value.owner_id, plan.value.owner_name, '');
      if (session.user) add(session.user.id, session.user.name, M.risk.me);
      for (const l of props.leaders) add(l.id, l.name, l.org_name || M.risk.leader);
      return [...out.values()];
    });

    function open() {
      const p = plan.value;
      Object.assign(form, p ? { owner_id: p.owner_id, measures: p.measures, review_on: p.review_on < today ? '' : p.review_on }
        : { owner_id: props.kase.lead_leader_id || null, measures: '', review_on: '' });
      Object.assign(errors, { owner_id: '', measures: '', review_on: '' });
      Object.assign(dlg, { open: true, saving: false, general: '' });
    }

    async function save() {
      if (dlg.saving) return;
      dlg.saving = true;
      dlg.general = '';
      try {
        // Every field goes, empty or not, so that the server names what is missing.
        // What is left empty is not sent, so that the server says it is required.
        const body = { measures: form.measures.trim() };
        if (form.owner_id) body.owner_id = form.owner_id;
        if (form.review_on) body.review_on = form.review_on;
        plan.value = await api.put(`/cases/${props.kase.id}/control-plan`, body);
        dlg.open = false;
        ElMessage.success(M.risk.saved);
        emit('changed');
      } catch (e) {
        if (e.status !== 401) dlg.general = showErrors(e, errors, FIELDS);
      } finally {
        dlg.saving = false;
      }
    }

    const disabledDate = (d) => ymd(d) < today;
    // A field's error goes once the field is changed.
    for (const k of FIELDS) watch(() => form[k], () => { errors[k] = ''; });

    expose({ open, load });

    return {
      M, t, plan, loading, canPlan, red, shown, late, madeBy, dlg, form, errors, owners, open, save, disabledDate,
      dateTime, labelPosition, dialogWidth,
      title: computed(() => t(M.risk.dialogTitle, { number: props.kase.number })),
    };
  },
  template: `
  <el-card v-if="shown" shadow="never" class="jf-control-plan" :class="{ 'is-missing': red && !plan }" data-test="control-plan" v-loading="loading">
    <template #header>
      <div class="jf-card-head">
        <span>{{ M.risk.plan }}</span>
        <el-button v-if="canPlan && plan" size="small" link type="primary" @click="open" data-test="control-plan-edit">{{ M.risk.editPlan }}</el-button>
      </div>
    </template>
    <template v-if="plan">
      <el-descriptions :column="1" border size="small" data-test="control-plan-body">
        <el-descriptions-item :label="M.risk.owner"><span data-test="control-plan-owner">{{ plan.owner_name }}</span></el-descriptions-item>
        <el-descriptions-item :label="M.risk.measures"><div class="jf-plan-measures" data-test="control-plan-measures">{{ plan.measures }}</div></el-descriptions-item>
        <el-descriptions-item :label="M.risk.reviewDay">
          <span :class="{ 'jf-overdue': late }" data-test="control-plan-review">{{ plan.review_on }}</span>
          <el-tag v-if="late" type="danger" size="small" effect="plain" class="jf-tag-after">{{ M.risk.planOverdue }}</el-tag>
        </el-descriptions-item>
      </el-descriptions>
      <div class="jf-plan-by">{{ t(M.risk.updated, { who: madeBy, at: dateTime(plan.updated_at) }) }}</div>
    </template>
    <template v-else>
      <el-alert v-if="red" :title="M.risk.planRequired" type="error" show-icon :closable="false" class="jf-plan-notice" data-test="control-plan-required" />
      <p v-else class="jf-hint">{{ M.risk.planNone }}</p>
      <el-button v-if="canPlan" :type="red ? 'danger' : 'primary'" :plain="!red" @click="open" data-test="control-plan-make">{{ M.risk.makePlan }}</el-button>
    </template>

    <el-dialog v-model="dlg.open" :title="title" :width="dialogWidth('560px')" :close-on-click-modal="false" append-to-body class="jf-plan-dialog" data-test="control-plan-dialog">
      <el-form label-width="96px" :label-position="labelPosition" @submit.prevent>
        <el-form-item :label="M.risk.owner" required :error="errors.owner_id" data-field="owner_id">
          <el-select v-model="form.owner_id" filterable class="jf-fill" :placeholder="M.risk.ownerHint" data-test="control-plan-owner-select">
            <el-option v-for="o in owners" :key="o.id" :value="o.id" :label="o.name">
              <span>{{ o.name }}</span><span v-if="o.note" class="jf-muted jf-tag-after">{{ o.note }}</span>
            </el-option>
          </el-select>
        </el-form-item>
        <el-form-item :label="M.risk.measures" required :error="errors.measures" data-field="measures">
          <el-input v-model="form.measures" type="textarea" :rows="4" maxlength="4000" :placeholder="M.risk.measuresHint" />
        </el-form-item>
        <el-form-item :label="M.risk.reviewDay" required :error="errors.review_on" data-field="review_on">
          <el-date-picker v-model="form.review_on" type="date" value-format="YYYY-MM-DD" :disabled-date="disabledDate" class="jf-fill" />
        </el-form-item>
        <el-alert v-if="dlg.general" :title="dlg.general" type="error" show-icon :closable="false" />
      </el-form>
      <template #footer>
        <el-button @click="dlg.open = false">{{ M.common.cancel }}</el-button>
        <el-button type="primary" :loading="dlg.saving" @click="save" data-test="control-plan-submit">{{ M.common.save }}</el-button>
      </template>
    </el-dialog>
  </el-card>`,
};
