// 预警信息 (#/alerts): the risk alerts (GET /api/v1/alerts) of the caller's jurisdiction and
// those sent to the caller — a case that reached 较大 (orange) or 重大 (red). Unacknowledged
// ones first (red before orange, the earliest due first), an overdue acknowledgment in red;
// 签收 with a note (POST /api/v1/alerts/{id}/ack). Administrators and leaders also set, per
// region, who is told (预警接收人, GET/PUT /api/v1/regions/{id}/alert-recipients).
// Cards rather than a table, so that the list reads on a phone (390 px). docs/risk.md.

import { onMounted, reactive, ref, watch } from 'vue';
import { ElMessage } from 'element-plus';
import { Refresh, Plus, Delete } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { t, dateTime, validationMessage } from '../format.js';
import { hasRole } from '../session.js';
import { dialogWidth } from '../media.js';
import PageHead from '../components/page-head.js';
import RegionPicker from '../components/region-picker.js';

const PER_PAGE = 50;
const LEVEL_TAG = { red: 'danger', orange: 'warning' };
const STATE_TAG = { open: 'danger', escalated: 'danger', acked: 'success' };
const DUTIES = ['lead_leader', 'zongzhi_centre', 'police_liaison', 'other'];

export default {
  name: 'AlertsScreen',
  components: { PageHead, RegionPicker },
  setup() {
    const tab = ref('alerts');
    const list = reactive({ items: [], total: 0, page: 1, loading: false });
    const filter = reactive({ state: 'open', mine: false });
    const canConfigure = hasRole(['admin', 'leader']);
    // An ApiError's words: its first refused field, else the problem's Chinese message.
    const errText = (e) => (e.errors && e.errors.length
      ? t(M.common.fieldMessage, { field: M.alerts.fields[e.errors[0].field.replace(/^recipients\[\d+\]\./, '')] || e.errors[0].field, message: validationMessage(e.errors[0]) })
      : e.message);
    const fail = (e) => { if (e.status !== 401) ElMessage.error(t(M.common.loadFailed, { msg: errText(e) })); };

    async function load() {
      list.loading = true;
      try {
        const q = { state: filter.state, page: list.page, per_page: PER_PAGE };
        if (filter.mine) q.mine = 'true';
        const r = await api.get('/alerts', q);
        list.items = r.items;
        list.total = r.total;
      } catch (e) {
        fail(e);
      } finally {
        list.loading = false;
      }
    }
    const refilter = () => { list.page = 1; load(); };

    // 签收
    const ack = reactive({ open: false, alert: null, note: '', saving: false });
    const openAck = (a) => Object.assign(ack, { open: true, alert: a, note: '' });
    async function submitAck() {
      ack.saving = true;
      try {
        await api.post(`/alerts/${ack.alert.id}/ack`, { note: ack.note.trim() || undefined });
        ElMessage.success(M.alerts.acked);
        ack.open = false;
        load();
      } catch (e) {
        ElMessage.error(errText(e));
        if (e.status === 409) { ack.open = false; load(); }
      } finally {
        ack.saving = false;
      }
    }

    // 预警接收人 of one region.
    const rec = reactive({ regionId: null, rows: [], users: [], loading: false, saving: false });
    async function loadUsers() {
      try {
        rec.users = (await api.get('/users', { per_page: 500 })).items.filter((u) => u.active);
      } catch (e) {
        fail(e);
      }
    }
    async function loadRecipients() {
      if (!rec.regionId) { rec.rows = []; return; }
      rec.loading = true;
      try {
        const r = await api.get(`/regions/${rec.regionId}/alert-recipients`);
        rec.rows = r.items.map((x) => ({ user_id: x.user_id, duty: x.duty, name: x.name, org_name: x.org_name }));
      } catch (e) {
        fail(e);
      } finally {
        rec.loading = false;
      }
    }
    // A recipient from a region above the caller's is not among the users it can list: keep
    // its name from the recipients' answer so that the select still shows it.
    const userOptions = (row) => {
      const known = rec.users.map((u) => ({ value: u.id, label: `${u.name}（${u.org_name}）` }));
      if (row.user_id && !rec.users.some((u) => u.id === row.user_id)) {
        known.unshift({ value: row.user_id, label: `${row.name}（${row.org_name}）` });
      }
      return known;
    };
    const addRow = () => rec.rows.push({ user_id: null, duty: 'zongzhi_centre' });
    const removeRow = (i) => rec.rows.splice(i, 1);
    async function saveRecipients() {
      rec.saving = true;
      try {
        const recipients = rec.rows.filter((r) => r.user_id).map((r) => ({ user_id: r.user_id, duty: r.duty }));
        await api.put(`/regions/${rec.regionId}/alert-recipients`, { recipients });
        ElMessage.success(M.common.saved);
        loadRecipients();
      } catch (e) {
        ElMessage.error(errText(e));
      } finally {
        rec.saving = false;
      }
    }
    watch(() => rec.regionId, loadRecipients);
    watch(tab, (v) => { if (v === 'recipients' && !rec.users.length) loadUsers(); });

    onMounted(load);

    return {
      M, t, tab, list, filter, load, refilter, ack, openAck, submitAck, canConfigure, rec,
      userOptions, addRow, removeRow, saveRecipients, dateTime, dialogWidth, LEVEL_TAG, STATE_TAG,
      DUTIES, PER_PAGE, Refresh, Plus, Delete,
    };
  },
  template: `
  <div data-test="alerts">
    <page-head :title="M.alerts.title" :subtitle="M.alerts.subtitle">
      <el-button :icon="Refresh" @click="load">{{ M.common.refresh }}</el-button>
    </page-head>
    <el-card shadow="never">
      <el-tabs v-model="tab">
        <el-tab-pane name="alerts" :label="M.alerts.tabs.alerts">
          <div class="jf-alert-filters">
            <el-radio-group v-model="filter.state" @change="refilter" data-test="alert-state">
              <el-radio-button value="open">{{ M.alerts.states.filterOpen }}</el-radio-button>
              <el-radio-button value="acked">{{ M.alerts.states.acked }}</el-radio-button>
              <el-radio-button value="all">{{ M.common.all }}</el-radio-button>
            </el-radio-group>
            <el-checkbox v-model="filter.mine" @change="refilter" data-test="alert-mine">{{ M.alerts.mine }}</el-checkbox>
          </div>
          <div v-loading="list.loading">
            <el-empty v-if="!list.items.length" :description="M.alerts.empty" :image-size="80" />
            <div v-for="a in list.items" :key="a.id" class="jf-alert" :class="{ 'jf-alert-overdue': a.overdue }" data-test="alert">
              <div class="jf-alert-head">
                <el-tag :type="LEVEL_TAG[a.level]" effect="dark" data-test="alert-level">{{ M.alerts.levels[a.level] }}</el-tag>
                <a :href="'#/cases/' + a.case_id" class="jf-case-link" data-test="case-link">{{ a.case_number }}</a>
                <el-tag :type="STATE_TAG[a.state]" size="small" effect="plain" data-test="alert-state-tag">{{ M.alerts.states[a.state] }}</el-tag>
                <el-tag v-if="a.overdue" type="danger" size="small" data-test="alert-overdue">{{ M.alerts.overdue }}</el-tag>
              </div>
              <div class="jf-alert-body">
                <div><span class="jf-muted">{{ M.alerts.region }}</span>{{ a.region_name }}</div>
                <div v-if="a.reasons"><span class="jf-muted">{{ M.alerts.reasons }}</span>{{ a.reasons }}</div>
                <div><span class="jf-muted">{{ M.alerts.raisedAt }}</span>{{ dateTime(a.created_at) }}</div>
                <div v-if="!a.acked_at"><span class="jf-muted">{{ M.alerts.ackDue }}</span><span :class="{ 'jf-overdue': a.overdue }" data-test="alert-due">{{ dateTime(a.ack_due_at) }}</span></div>
                <div v-if="a.escalation_level > 0" data-test="alert-escalated"><span class="jf-muted">{{ M.alerts.escalatedTo }}</span>{{ t(M.alerts.escalatedText, { region: a.target_region_name, n: a.escalation_level }) }}</div>
                <div v-else-if="a.target_region_name"><span class="jf-muted">{{ M.alerts.toldRegion }}</span>{{ a.target_region_name }}</div>
                <div v-if="a.acked_at" data-test="alert-acked"><span class="jf-muted">{{ M.alerts.ackedBy }}</span>{{ t(M.alerts.ackedText, { name: a.acked_by_name || M.common.none, at: dateTime(a.acked_at) }) }}<template v-if="a.ack_note">：{{ a.ack_note }}</template></div>
              </div>
              <div v-if="!a.acked_at" class="jf-alert-actions">
                <el-button type="primary" size="small" @click="openAck(a)" data-test="alert-ack">{{ M.alerts.ack }}</el-button>
              </div>
            </div>
          </div>
          <el-pagination v-if="list.total > PER_PAGE" class="jf-pager" background layout="total, prev, pager, next"
            :total="list.total" v-model:current-page="list.page" :page-size="PER_PAGE" @current-change="load" />
        </el-tab-pane>

        <el-tab-pane v-if="canConfigure" name="recipients" :label="M.alerts.tabs.recipients">
          <p class="jf-hint">{{ M.alerts.recipientsHint }}</p>
          <region-picker v-model="rec.regionId" :placeholder="M.alerts.chooseRegion" class="jf-alert-region" data-test="recipients-region" />
          <div v-if="rec.regionId" v-loading="rec.loading" data-test="recipients">
            <el-empty v-if="!rec.rows.length" :description="M.alerts.noRecipients" :image-size="60" />
            <div v-for="(row, i) in rec.rows" :key="i" class="jf-recipient-row" data-test="recipient-row">
              <el-select v-model="row.user_id" filterable :placeholder="M.alerts.user" class="jf-recipient-user" data-test="recipient-user">
                <el-option v-for="o in userOptions(row)" :key="o.value" :value="o.value" :label="o.label" />
              </el-select>
              <el-select v-model="row.duty" class="jf-recipient-duty" data-test="recipient-duty">
                <el-option v-for="d in DUTIES" :key="d" :value="d" :label="M.alerts.duties[d]" />
              </el-select>
              <el-button :icon="Delete" circle @click="removeRow(i)" :aria-label="M.common.delete" />
            </div>
            <div class="jf-alert-actions">
              <el-button :icon="Plus" @click="addRow" data-test="recipient-add">{{ M.alerts.addRecipient }}</el-button>
              <el-button type="primary" :loading="rec.saving" @click="saveRecipients" data-test="recipients-save">{{ M.common.save }}</el-button>
            </div>
          </div>
        </el-tab-pane>
      </el-tabs>
    </el-card>

    <el-dialog v-model="ack.open" :title="ack.alert ? t(M.alerts.ackTitle, { number: ack.alert.case_number }) : ''"
      :width="dialogWidth('520px')" data-test="ack-dialog">
      <p v-if="ack.alert" class="jf-hint">{{ M.alerts.levels[ack.alert.level] }} · {{ ack.alert.reasons || M.common.none }}</p>
      <el-input v-model="ack.note" type="textarea" :rows="3" maxlength="500" show-word-limit
        :placeholder="M.alerts.notePlaceholder" data-test="ack-note" />
      <template #footer>
        <el-button @click="ack.open = false">{{ M.common.cancel }}</el-button>
        <el-button type="primary" :loading="ack.saving" @click="submitAck" data-test="ack-submit">{{ M.alerts.ack }}</el-button>
      </template>
    </el-dialog>
  </div>`,
};
