// The 督办 panel of a case page: the case's supervision orders (GET /api/v1/supervision?case_id=),
// each with its level (督办 / 挂牌督办), content, deadline, who issued it and the reply; a 答复
// button on an open order for those handling the case (POST /api/v1/supervision/{id}/reply,
// once); and the 督办 dialog a supervisor or leader opens from the case's action bar
// (POST /api/v1/cases/{id}/supervision: level, content, deadline). The parent calls issue()
// through a template ref.
//
// Who may issue or answer is the server's decision (403/409 are said in Chinese); the buttons
// are only offered to the roles the server lets through.

import { computed, onMounted, reactive, ref } from 'vue';
import { ElMessage } from 'element-plus';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { hasRole } from '../session.js';
import { t, dateTime, ymd, fieldErrors } from '../format.js';

// Those who issue orders (POST /cases/{id}/supervision) and those who answer them: the roles
// that handle cases, not the issuer's (the server's HANDLING roles without the supervisor).
export const ISSUERS = ['supervisor', 'leader'];
const REPLIERS = ['clerk', 'dispatcher', 'mediator', 'grid_worker', 'admin'];

export default {
  name: 'CaseSupervision',
  props: {
    caseId: { type: [Number, String], required: true },
    number: { type: String, default: '' },
  },
  emits: ['changed'],
  setup(props, { emit, expose }) {
    const orders = ref([]);
    const loading = ref(false);
    const today = ymd(new Date());
    const canReply = hasRole(REPLIERS);

    async function load() {
      loading.value = true;
      try {
        orders.value = (await api.get('/supervision', { case_id: props.caseId, status: 'all', per_page: 100 })).items || [];
      } catch (e) {
        if (e.status !== 401 && e.status !== 404) ElMessage.error(t(M.common.loadFailed, { msg: e.message }));
      } finally {
        loading.value = false;
      }
    }

    // ---- issuing ----
    const issueDlg = reactive({ open: false, saving: false, general: '' });
    const issueForm = reactive({ level: 'supervise', content: '', deadline: '' });
    const issueErrors = reactive({ level: '', content: '', deadline: '' });

    function issue() {
      Object.assign(issueForm, { level: 'supervise', content: '', deadline: '' });
      Object.assign(issueErrors, { level: '', content: '', deadline: '' });
      Object.assign(issueDlg, { open: true, saving: false, general: '' });
    }

    async function submitIssue() {
      if (issueDlg.saving) return;
      issueDlg.saving = true;
      issueDlg.general = '';
      Object.assign(issueErrors, { level: '', content: '', deadline: '' });
      try {
        await api.post(`/cases/${props.caseId}/supervision`, {
          level: issueForm.level, content: issueForm.content.trim(), deadline: issueForm.deadline || '',
        });
        issueDlg.open = false;
        ElMessage.success(M.supervision.issued);
        await load();
        emit('changed');
      } catch (e) {
        if (e.status === 409) issueDlg.general = M.supervision.closedCase;
        else if (e.status !== 401) {
          const { fields, other } = fieldErrors(e, ['level', 'content', 'deadline']);
          Object.assign(issueErrors, fields);
          issueDlg.general = other.length ? other.join(M.common.sentenceSep) : (e.errors.length ? '' : e.message);
        }
      } finally {
        issueDlg.saving = false;
      }
    }

    // ---- answering ----
    const replyDlg = reactive({ open: false, saving: false, general: '', order: null, text: '', error: '' });

    function reply(o) {
      Object.assign(replyDlg, { open: true, saving: false, general: '', order: o, text: '', error: '' });
    }

    async function submitReply() {
      if (replyDlg.saving) return;
      replyDlg.saving = true;
      replyDlg.general = '';
      replyDlg.error = '';
      try {
        await api.post(`/supervision/${replyDlg.order.id}/reply`, { reply: replyDlg.text.trim() });
        replyDlg.open = false;
        ElMessage.success(M.supervision.replied);
        await load();
        emit('changed');
      } catch (e) {
        if (e.status === 409) {
          replyDlg.open = false;
          ElMessage.warning(M.supervision.alreadyReplied);
          await load();
        } else if (e.status !== 401) {
          const { fields, other } = fieldErrors(e, ['reply']);
          replyDlg.error = fields.reply || '';
          replyDlg.general = other.length ? other.join(M.common.sentenceSep) : (e.errors.length ? '' : e.message);
        }
      } finally {
        replyDlg.saving = false;
      }
    }

    const late = (o) => o.status === 'open' && o.deadline < today;
    const disabledDate = (d) => ymd(d) < today;

    expose({ issue, load });
    onMounted(load);

    return {
      M, t, orders, loading, canReply, issueDlg, issueForm, issueErrors, submitIssue, replyDlg, reply, submitReply,
      late, disabledDate, dateTime, issue,
      title: computed(() => t(M.supervision.issueTitle, { number: props.number })),
      replyTitle: computed(() => t(M.supervision.replyTitle, { number: props.number })),
    };
  },
  template: `
  <el-card shadow="never" data-test="case-supervision" v-loading="loading">
    <template #header>
      <div class="jf-card-head"><span>{{ M.supervision.panel }}</span><span class="jf-muted">{{ orders.length }}</span></div>
    </template>
    <p v-if="!orders.length" class="jf-hint" data-test="no-orders">{{ M.supervision.none }}</p>
    <div v-for="o in orders" :key="o.id" class="jf-order" data-test="case-order">
      <div class="jf-order-head">
        <el-tag :type="o.level === 'listed' ? 'danger' : 'warning'" size="small" effect="dark" data-test="order-level">{{ M.supervision.levels[o.level] || o.level }}</el-tag>
        <el-tag :type="o.status === 'open' ? 'warning' : 'success'" size="small" effect="plain" data-test="order-status">{{ M.supervision.statuses[o.status] || o.status }}</el-tag>
        <span class="jf-muted">{{ M.supervision.deadline }}：<span :class="{ 'jf-overdue': late(o) }">{{ o.deadline }}</span></span>
        <el-tag v-if="late(o)" type="danger" size="small" effect="plain">{{ M.supervision.overdueTag }}</el-tag>
        <el-button v-if="canReply && o.status === 'open'" size="small" type="primary" plain class="jf-push-right"
          @click="reply(o)" data-test="order-reply">{{ M.supervision.replyButton }}</el-button>
      </div>
      <div class="jf-order-content jf-pre" data-test="order-content">{{ o.content }}</div>
      <div class="jf-muted">{{ t(M.supervision.issuedBy, { name: o.issued_by_name || M.common.none, at: dateTime(o.issued_at) }) }}</div>
      <div v-if="o.reply" class="jf-order-reply" data-test="order-reply-text">
        <div class="jf-pre">{{ o.reply }}</div>
        <div class="jf-muted">{{ t(M.supervision.repliedAt, { at: dateTime(o.replied_at) }) }}</div>
      </div>
    </div>

    <el-dialog v-model="issueDlg.open" :title="title" width="520px" :close-on-click-modal="false" append-to-body data-test="issue-dialog">
      <el-form label-width="84px" @submit.prevent>
        <el-form-item :label="M.supervision.level" :error="issueErrors.level" data-field="level">
          <el-radio-group v-model="issueForm.level">
            <el-radio-button value="supervise">{{ M.supervision.levels.supervise }}</el-radio-button>
            <el-radio-button value="listed">{{ M.supervision.levels.listed }}</el-radio-button>
          </el-radio-group>
        </el-form-item>
        <el-form-item :label="M.supervision.content" required :error="issueErrors.content" data-field="content">
          <el-input v-model="issueForm.content" type="textarea" :rows="3" maxlength="2000" :placeholder="M.supervision.contentPlaceholder" />
        </el-form-item>
        <el-form-item :label="M.supervision.deadline" required :error="issueErrors.deadline" data-field="deadline">
          <el-date-picker v-model="issueForm.deadline" type="date" value-format="YYYY-MM-DD" :disabled-date="disabledDate" class="jf-fill" />
        </el-form-item>
        <el-alert v-if="issueDlg.general" :title="issueDlg.general" type="error" show-icon :closable="false" data-test="issue-error" />
      </el-form>
      <template #footer>
        <el-button @click="issueDlg.open = false">{{ M.common.cancel }}</el-button>
        <el-button type="primary" :loading="issueDlg.saving" @click="submitIssue" data-test="issue-submit">{{ M.supervision.issue }}</el-button>
      </template>
    </el-dialog>

    <el-dialog v-model="replyDlg.open" :title="replyTitle" width="520px" :close-on-click-modal="false" append-to-body data-test="reply-dialog">
      <el-form label-width="84px" @submit.prevent>
        <el-form-item v-if="replyDlg.order" :label="M.supervision.content">
          <div class="jf-pre">{{ replyDlg.order.content }}</div>
        </el-form-item>
        <el-form-item :label="M.supervision.replyText" required :error="replyDlg.error" data-field="reply">
          <el-input v-model="replyDlg.text" type="textarea" :rows="4" maxlength="2000" :placeholder="M.supervision.replyPlaceholder" />
        </el-form-item>
        <el-alert v-if="replyDlg.general" :title="replyDlg.general" type="error" show-icon :closable="false" />
      </el-form>
      <template #footer>
        <el-button @click="replyDlg.open = false">{{ M.common.cancel }}</el-button>
        <el-button type="primary" :loading="replyDlg.saving" @click="submitReply" data-test="reply-submit">{{ M.supervision.replyButton }}</el-button>
      </template>
    </el-dialog>
  </el-card>`,
};
