// The 协议履行 panel of a case page, shown once the case has an agreement (GET
// /api/v1/cases/{id}/fulfilment answers a confirmation_deadline, or a payment plan):
// - the payment plan entered with the agreement, each instalment with its due date, amount and
//   status (待履行 / 已履行 / 逾期 / 违约), a pending one past its due date marked 已到期;
//   the responsible staff record an instalment as paid (with the day paid), late or defaulted
//   (PATCH /api/v1/cases/{id}/instalments/{iid});
// - the fulfilment rate (履行率: instalments paid / instalments) and the amounts;
// - 司法确认: the court, the day applied, the result (待定 / 确认有效 / 驳回申请) and the day
//   decided (PUT /api/v1/cases/{id}/confirmation), with the deadline of 人民调解法 art. 33 —
//   thirty days from the agreement taking effect — as the server counts it.
//
// Who may write is the server's decision (403 is said in Chinese); the buttons are offered to
// the roles the route lets through. The parent calls load() through a template ref after an
// action that may have created the agreement.

import { computed, onMounted, reactive, ref } from 'vue';
import { ElMessage } from 'element-plus';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { hasRole } from '../session.js';
import { t, num, ymd, fieldErrors, options } from '../format.js';
import { labelPosition, dialogWidth } from '../media.js';

// The roles of the instalment and confirmation routes (HANDLING in src/api/routes.c).
const WRITERS = ['clerk', 'dispatcher', 'mediator', 'supervisor', 'grid_worker', 'admin'];
const STATUS_TAG = { pending: 'info', paid: 'success', late: 'warning', defaulted: 'danger' };
const RESULT_TAG = { pending: 'info', confirmed: 'success', rejected: 'danger' };
const DAY_MS = 86400000;

/** "1/3 → 33%" as shown: a whole percentage, or — without a plan. */
export const ratePercent = (rate) => (rate === null || rate === undefined ? M.common.none : `${Math.round(rate * 100)}%`);

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
const daysBetween = (from, to) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

export default {
  name: 'CaseFulfilment',
  props: {
    caseId: { type: [Number, String], required: true },
    number: { type: String, default: '' },
  },
  emits: ['changed'],
  setup(props, { emit, expose }) {
    const f = ref(null);
    const today = ymd(new Date());
    const canWrite = hasRole(WRITERS);

    async function load() {
      try {
        f.value = await api.get(`/cases/${props.caseId}/fulfilment`);
      } catch (e) {
        if (e.status !== 401 && e.status !== 404) ElMessage.error(t(M.common.loadFailed, { msg: e.message }));
      }
    }
    expose({ load });
    onMounted(load);

    // Shown once an agreement exists: the server dates the confirmation deadline from it.
    const shown = computed(() => !!f.value && (!!f.value.confirmation_deadline || f.value.count > 0));
    const items = computed(() => (f.value && f.value.instalments) || []);
    const percent = computed(() => Math.round(((f.value && f.value.fulfilment_rate) || 0) * 100));
    const tally = computed(() => {
      const n = { late: 0, defaulted: 0 };
      for (const i of items.value) if (n[i.status] !== undefined) n[i.status] += 1;
      return n;
    });
    // "逾期 1 期 · 违约 2 期", naming only what happened.
    const troubled = computed(() => ['late', 'defaulted'].filter((k) => tally.value[k])
      .map((k) => t(M.fulfilment.troubledOne, { status: M.instalmentStatus[k], n: tally.value[k] })).join(' · '));
    const fallenDue = (i) => i.status === 'pending' && i.due_date < today;

    const deadline = computed(() => {
      const d = f.value && f.value.confirmation_deadline;
      if (!d) return null;
      const left = daysBetween(today, d);
      const applied = !!(f.value.confirmation);
      if (left < 0) return { date: d, text: M.fulfilment.expired, tag: applied ? 'info' : 'danger' };
      if (left === 0) return { date: d, text: M.fulfilment.lastDay, tag: applied ? 'info' : 'warning' };
      return { date: d, text: t(M.fulfilment.daysLeft, { n: left }), tag: applied ? 'info' : left <= 7 ? 'warning' : 'success' };
    });

    // ---- one instalment ----
    const markDlg = reactive({ open: false, saving: false, general: '', item: null });
    const markForm = reactive({ status: 'paid', paid_on: '', note: '' });
    const markErrors = reactive({ status: '', paid_on: '', note: '' });

    function mark(item, status) {
      Object.assign(markForm, { status, paid_on: status === 'paid' ? (item.paid_on || today) : '', note: item.note || '' });
      Object.assign(markErrors, { status: '', paid_on: '', note: '' });
      Object.assign(markDlg, { open: true, saving: false, general: '', item });
    }

    async function submitMark() {
      if (markDlg.saving) return;
      const item = markDlg.item;
      markDlg.saving = true;
      markDlg.general = '';
      Object.assign(markErrors, { status: '', paid_on: '', note: '' });
      const body = { status: markForm.status };
      if (markForm.status === 'paid') body.paid_on = markForm.paid_on || '';
      if (markForm.note.trim() && markForm.note.trim() !== (item.note || '')) body.note = markForm.note.trim();
      try {
        f.value = await api.patch(`/cases/${props.caseId}/instalments/${item.id}`, body);
        markDlg.open = false;
        ElMessage.success(t(M.fulfilment.saved, { n: item.seq, status: M.instalmentStatus[body.status] }));
        emit('changed');
      } catch (e) {
        if (e.status === 401) return;
        const { fields, other } = fieldErrors(e, ['status', 'paid_on', 'note']);
        Object.assign(markErrors, fields);
        markDlg.general = other.length ? other.join(M.common.sentenceSep) : ((e.errors || []).length ? '' : e.message);
      } finally {
        markDlg.saving = false;
      }
    }

    // ---- 司法确认 ----
    const confDlg = reactive({ open: false, saving: false, general: '' });
    const confForm = reactive({ court: '', applied_on: '', result: 'pending', decided_on: '' });
    const confKeys = ['court', 'applied_on', 'result', 'decided_on'];
    const confErrors = reactive({ court: '', applied_on: '', result: '', decided_on: '' });

    function editConfirmation() {
      const c = (f.value && f.value.confirmation) || {};
      Object.assign(confForm, {
        court: c.court || (f.value && f.value.court) || '', applied_on: c.applied_on || today, result: c.result || 'pending', decided_on: c.decided_on || '',
      });
      for (const k of confKeys) confErrors[k] = '';
      Object.assign(confDlg, { open: true, saving: false, general: '' });
    }

    // The application is only accepted within the 30 days (the server checks; the picker helps).
    const outsideWindow = (d) => {
      const last = f.value && f.value.confirmation_deadline;
      return !!last && ymd(d) > last;
    };

    async function submitConfirmation() {
      if (confDlg.saving) return;
      confDlg.saving = true;
      confDlg.general = '';
      for (const k of confKeys) confErrors[k] = '';
      const body = { court: confForm.court.trim(), applied_on: confForm.applied_on || '', result: confForm.result };
      if (confForm.result !== 'pending' && confForm.decided_on) body.decided_on = confForm.decided_on;
      try {
        f.value = await api.put(`/cases/${props.caseId}/confirmation`, body);
        confDlg.open = false;
        ElMessage.success(t(M.fulfilment.confirmSaved, { result: M.confirmationResults[body.result] }));
        emit('changed');
      } catch (e) {
        if (e.status === 401) return;
        const { fields, other } = fieldErrors(e, confKeys);
        Object.assign(confErrors, fields);
        confDlg.general = other.length ? other.join(M.common.sentenceSep) : ((e.errors || []).length ? '' : e.message);
      } finally {
        confDlg.saving = false;
      }
    }

    return {
      M, t, num, f, shown, items, percent, tally, troubled, fallenDue, deadline, canWrite, ratePercent,
      markDlg, markForm, markErrors, mark, submitMark,
      confDlg, confForm, confErrors, editConfirmation, submitConfirmation, outsideWindow,
      statusName: (s) => M.instalmentStatus[s] || s, statusTag: (s) => STATUS_TAG[s] || 'info',
      resultName: (r) => M.confirmationResults[r] || r, resultTag: (r) => RESULT_TAG[r] || 'info',
      statusOptions: options(M.instalmentStatus), resultOptions: options(M.confirmationResults),
      labelPosition, dialogWidth,
    };
  },
  template: `
  <el-card v-if="shown" shadow="never" data-test="case-fulfilment">
    <template #header>{{ M.fulfilment.title }}</template>

    <div v-if="f.count" class="jf-fulfil-summary" data-test="fulfilment-summary">
      <el-progress type="circle" :percentage="percent" :width="76" :stroke-width="8"
        :status="percent === 100 ? 'success' : (tally.defaulted ? 'exception' : '')">
        <template #default><span class="jf-fulfil-rate" data-test="fulfilment-rate">{{ ratePercent(f.fulfilment_rate) }}</span></template>
      </el-progress>
      <div class="jf-fulfil-figures">
        <div class="jf-muted">{{ M.fulfilment.rate }}</div>
        <div data-test="fulfilment-count">{{ t(M.fulfilment.count, { paid: f.paid, count: f.count }) }}</div>
        <div data-test="fulfilment-amounts">{{ t(M.fulfilment.amounts, { paid: num(f.paid_amount), amount: num(f.amount) }) }}</div>
        <div v-if="troubled" class="jf-overdue" data-test="fulfilment-troubled">{{ troubled }}</div>
      </div>
    </div>
    <p v-else class="jf-hint" data-test="fulfilment-no-plan">{{ M.fulfilment.noPlan }}</p>

    <el-table v-if="f.count" :data="items" size="small" class="jf-block" data-test="instalments">
      <el-table-column :label="M.fulfilment.cols.seq" width="64"><template #default="{ row }">{{ t(M.fulfilment.seq, { n: row.seq }) }}</template></el-table-column>
      <el-table-column :label="M.fulfilment.cols.due_date" width="100" prop="due_date" />
      <el-table-column :label="M.fulfilment.cols.amount" width="90" align="right"><template #default="{ row }">{{ num(row.amount) }}</template></el-table-column>
      <el-table-column :label="M.fulfilment.cols.status" width="130">
        <template #default="{ row }">
          <el-tag :type="statusTag(row.status)" size="small" data-test="instalment-status">{{ statusName(row.status) }}</el-tag>
          <el-tag v-if="fallenDue(row)" type="warning" size="small" effect="plain" class="jf-tag-after">{{ M.fulfilment.fallenDue }}</el-tag>
          <div v-if="row.paid_on" class="jf-muted" data-test="instalment-paid-on">{{ t(M.fulfilment.paidOnShort, { date: row.paid_on }) }}</div>
        </template>
      </el-table-column>
      <el-table-column :label="M.fulfilment.cols.note" min-width="100"><template #default="{ row }">{{ row.note || M.common.none }}</template></el-table-column>
      <el-table-column v-if="canWrite" :label="M.common.actions" width="156" fixed="right" class-name="jf-nowrap">
        <template #default="{ row }">
          <el-button link type="success" @click="mark(row, 'paid')" data-test="instalment-paid">{{ M.fulfilment.markPaid }}</el-button>
          <el-button link type="warning" @click="mark(row, 'late')" data-test="instalment-late">{{ M.fulfilment.markLate }}</el-button>
          <el-button link type="danger" @click="mark(row, 'defaulted')" data-test="instalment-defaulted">{{ M.fulfilment.markDefaulted }}</el-button>
        </template>
      </el-table-column>
    </el-table>

    <div class="jf-subhead jf-card-head">
      <span>{{ M.fulfilment.confirmation }}</span>
      <el-button v-if="canWrite" size="small" @click="editConfirmation" data-test="confirmation-edit">
        {{ f.confirmation ? M.fulfilment.update : M.fulfilment.record }}</el-button>
    </div>
    <div v-if="deadline" class="jf-fulfil-deadline" data-test="confirmation-deadline">
      <span class="jf-muted">{{ M.fulfilment.deadline }}</span>
      <strong data-test="confirmation-deadline-date">{{ deadline.date }}</strong>
      <el-tag v-if="!f.confirmation" :type="deadline.tag" size="small" effect="plain">{{ deadline.text }}</el-tag>
      <p class="jf-hint jf-fulfil-law">{{ M.fulfilment.deadlineLaw }}</p>
    </div>
    <el-descriptions v-if="f.confirmation" :column="2" size="small" border data-test="confirmation">
      <el-descriptions-item :label="M.fulfilment.court"><span data-test="confirmation-court">{{ f.confirmation.court }}</span></el-descriptions-item>
      <el-descriptions-item :label="M.fulfilment.appliedOn">{{ f.confirmation.applied_on }}</el-descriptions-item>
      <el-descriptions-item :label="M.fulfilment.result">
        <el-tag :type="resultTag(f.confirmation.result)" size="small" data-test="confirmation-result">{{ resultName(f.confirmation.result) }}</el-tag>
      </el-descriptions-item>
      <el-descriptions-item :label="M.fulfilment.decidedOn">{{ f.confirmation.decided_on || M.common.none }}</el-descriptions-item>
    </el-descriptions>
    <p v-else class="jf-hint">{{ M.fulfilment.notApplied }}</p>

    <el-dialog v-model="markDlg.open" :width="dialogWidth('480px')" :close-on-click-modal="false" append-to-body
      :title="markDlg.item ? t(M.fulfilment.markTitle, { n: markDlg.item.seq, date: markDlg.item.due_date, amount: num(markDlg.item.amount) }) : ''"
      data-test="instalment-dialog">
      <el-form label-width="88px" :label-position="labelPosition" @submit.prevent>
        <el-form-item :label="M.fulfilment.status" :error="markErrors.status" data-field="status" required>
          <el-radio-group v-model="markForm.status">
            <el-radio-button v-for="o in statusOptions" :key="o.value" :value="o.value">{{ o.label }}</el-radio-button>
          </el-radio-group>
        </el-form-item>
        <el-form-item v-if="markForm.status === 'paid'" :label="M.fulfilment.paidOn" :error="markErrors.paid_on" data-field="paid_on" required>
          <el-date-picker v-model="markForm.paid_on" type="date" value-format="YYYY-MM-DD" class="jf-fill" />
        </el-form-item>
        <el-form-item :label="M.fulfilment.note" :error="markErrors.note" data-field="note">
          <el-input v-model="markForm.note" type="textarea" :rows="2" maxlength="500" :placeholder="M.fulfilment.notePlaceholder" />
        </el-form-item>
        <el-alert v-if="markDlg.general" :title="markDlg.general" type="error" show-icon :closable="false" />
      </el-form>
      <template #footer>
        <el-button @click="markDlg.open = false">{{ M.common.cancel }}</el-button>
        <el-button type="primary" :loading="markDlg.saving" @click="submitMark" data-test="instalment-submit">{{ M.common.save }}</el-button>
      </template>
    </el-dialog>

    <el-dialog v-model="confDlg.open" :width="dialogWidth('520px')" :close-on-click-modal="false" append-to-body
      :title="t(M.fulfilment.confirmTitle, { number })" data-test="confirmation-dialog">
      <el-form label-width="88px" :label-position="labelPosition" @submit.prevent>
        <el-form-item :label="M.fulfilment.court" :error="confErrors.court" data-field="court" required>
          <el-input v-model="confForm.court" maxlength="100" :placeholder="M.fulfilment.courtPlaceholder" />
        </el-form-item>
        <el-form-item :label="M.fulfilment.appliedOn" :error="confErrors.applied_on" data-field="applied_on" required>
          <el-date-picker v-model="confForm.applied_on" type="date" value-format="YYYY-MM-DD" :disabled-date="outsideWindow" class="jf-fill" />
          <div v-if="f && f.confirmation_deadline" class="jf-muted">{{ M.fulfilment.deadline }} {{ f.confirmation_deadline }}</div>
        </el-form-item>
        <el-form-item :label="M.fulfilment.result" :error="confErrors.result" data-field="result">
          <el-radio-group v-model="confForm.result">
            <el-radio-button v-for="o in resultOptions" :key="o.value" :value="o.value">{{ o.label }}</el-radio-button>
          </el-radio-group>
        </el-form-item>
        <el-form-item v-if="confForm.result !== 'pending'" :label="M.fulfilment.decidedOn" :error="confErrors.decided_on" data-field="decided_on" required>
          <el-date-picker v-model="confForm.decided_on" type="date" value-format="YYYY-MM-DD" class="jf-fill" />
        </el-form-item>
        <el-alert v-if="confDlg.general" :title="confDlg.general" type="error" show-icon :closable="false" />
      </el-form>
      <template #footer>
        <el-button @click="confDlg.open = false">{{ M.common.cancel }}</el-button>
        <el-button type="primary" :loading="confDlg.saving" @click="submitConfirmation" data-test="confirmation-submit">{{ M.common.save }}</el-button>
      </template>
    </el-dialog>
  </el-card>`,
};
