// 消息推送与对接 (admin): the endpoints notifications are delivered to (GET/POST/PATCH
// /api/v1/notify/endpoints; a test event with POST .../{id}/test) and the outbox's dead letters,
// deliveries that failed every attempt (GET /api/v1/outbox?state=dead), each with 重发
// (POST /api/v1/outbox/{id}/replay). The signing secret is write-only: the server says only
// whether there is one. docs/notifications.md explains signatures to the receiving agencies.

import { computed, onMounted, reactive, ref } from 'vue';
import { ElMessage } from 'element-plus';
import { Plus } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { t, dateTime } from '../format.js';
import { emptyErrors, saveDialog } from '../forms.js';
import { usePagedList, loadFailed } from '../list.js';
import PageHead from '../components/page-head.js';
import RegionPicker from '../components/region-picker.js';

const FIELDS = ['name', 'channel', 'url', 'address', 'secret', 'kinds', 'region_id', 'organization_id', 'sms_template', 'enabled'];
const PARTNER_TYPES = ['court', 'police', 'petition_bureau', 'department', 'arbitration', 'procuratorate', 'reconsideration'];

const blank = () => ({ name: '', channel: 'webhook', url: '', address: '', secret: '', kinds: [], region_id: null, organization_id: null, sms_template: '', enabled: true });
// The event kinds an endpoint may take, by their Chinese names (the server keeps a comma list of
// codes, where `alert.*` matches a family): a pattern typed by hand is kept as typed.
const KIND_OPTIONS = Object.entries(M.notifications.kinds).filter(([k]) => k !== 'notify.test').map(([value, label]) => ({ value, label }));
const kindList = (s) => (s || '').split(/[,\s]+/).filter(Boolean);
const kindsText = (s) => (kindList(s).length ? kindList(s).map((k) => M.notifications.kinds[k] || k).join(M.common.listSep) : M.notifyAdmin.allKinds);

export default {
  name: 'NotifyAdminScreen',
  components: { PageHead, RegionPicker },
  setup() {
    const tab = ref('endpoints');
    const endpoints = ref([]);
    const loadingEp = ref(false);
    const orgs = ref([]);
    const dead = usePagedList((p) => api.get('/outbox', { state: 'dead', ...p }));

    async function loadEndpoints() {
      loadingEp.value = true;
      try {
        endpoints.value = (await api.get('/notify/endpoints')).items;
      } catch (e) {
        loadFailed(e);
      } finally {
        loadingEp.value = false;
      }
    }

    const dialog = reactive({ open: false, id: null, saving: false, general: '' });
    const form = reactive(blank());
    const errors = reactive(emptyErrors(FIELDS));
    const regionCache = ref([]);
    let original = {};

    // The body the server takes: only what this channel uses; an empty secret on an edit keeps the old one.
    const bodyOf = (f, creating) => {
      const b = { name: f.name.trim(), kinds: f.kinds.join(','), region_id: f.region_id, organization_id: f.organization_id, enabled: f.enabled };
      if (creating) b.channel = f.channel;
      if (f.channel !== 'email') b.url = f.url.trim();
      if (f.channel !== 'webhook') b.address = f.address.trim();
      if (f.channel === 'sms') b.sms_template = f.sms_template;
      if (f.secret) b.secret = f.secret;
      return b;
    };

    async function loadOrgs() {
      if (orgs.value.length) return;
      try {
        orgs.value = (await api.get('/organizations', { per_page: 500 })).items.filter((o) => PARTNER_TYPES.includes(o.type));
      } catch (e) {
        loadFailed(e);
      }
    }

    function openCreate() {
      Object.assign(form, blank());
      regionCache.value = [];
      Object.assign(errors, emptyErrors(FIELDS));
      Object.assign(dialog, { open: true, id: null, general: '' });
      loadOrgs();
    }

    function openEdit(row) {
      Object.assign(form, {
        name: row.name, channel: row.channel, url: row.url || '', address: row.address || '', secret: '', kinds: kindList(row.kinds),
        region_id: row.region_id, organization_id: row.organization_id, sms_template: row.sms_template || '', enabled: row.enabled,
      });
      regionCache.value = [{ id: row.region_id, name: row.region_name }];
      original = bodyOf(form, false);
      Object.assign(errors, emptyErrors(FIELDS));
      Object.assign(dialog, { open: true, id: row.id, general: '' });
      loadOrgs();
    }

    async function save() {
      const body = bodyOf(form, dialog.id === null);
      if (dialog.id !== null && body.organization_id === null && original.organization_id === null) delete body.organization_id;
      const saved = await saveDialog(dialog, {
        path: '/notify/endpoints', body, original, fields: FIELDS, errors,
        created: (r) => t(M.common.saved, { name: r.name }),
      });
      if (saved) loadEndpoints();
    }

    async function test(row) {
      try {
        await api.post(`/notify/endpoints/${row.id}/test`, {});
        ElMessage.success(M.notifyAdmin.tested);
      } catch (e) {
        loadFailed(e);
      }
    }

    async function replay(row) {
      try {
        await api.post(`/outbox/${row.id}/replay`, {});
        ElMessage.success(M.notifyAdmin.replayed);
        dead.load();
      } catch (e) {
        loadFailed(e);
      }
    }

    const target = (e) => (e.channel === 'webhook' ? e.url : e.channel === 'sms' ? `${e.address} · ${e.url}` : e.address);
    const placeholderAddress = computed(() => (form.channel === 'sms' ? M.notifyAdmin.form.addressPlaceholderSms : M.notifyAdmin.form.addressPlaceholderEmail));

    onMounted(() => { loadEndpoints(); dead.load(); });

    return {
      M, t, dateTime, tab, endpoints, loadingEp, dead, dialog, form, errors, regionCache, orgs,
      openCreate, openEdit, save, test, replay, target, placeholderAddress, Plus, KIND_OPTIONS, kindsText,
    };
  },
  template: `
  <div data-test="notify-admin">
    <page-head :title="M.notifyAdmin.title" :subtitle="M.notifyAdmin.subtitle">
      <el-button v-if="tab === 'endpoints'" type="primary" :icon="Plus" @click="openCreate" data-test="endpoint-create">{{ M.notifyAdmin.create }}</el-button>
    </page-head>
    <el-card shadow="never">
      <el-tabs v-model="tab">
        <el-tab-pane :label="M.notifyAdmin.endpoints" name="endpoints">
          <el-table :data="endpoints" v-loading="loadingEp" stripe :empty-text="M.notifyAdmin.emptyEndpoints" data-test="endpoints-table">
            <el-table-column prop="name" :label="M.notifyAdmin.cols.name" min-width="140" />
            <el-table-column :label="M.notifyAdmin.cols.channel" width="100">
              <template #default="{ row }">{{ M.notifyAdmin.channels[row.channel] }}</template>
            </el-table-column>
            <el-table-column :label="M.notifyAdmin.cols.target" min-width="200" show-overflow-tooltip>
              <template #default="{ row }">{{ target(row) }}</template>
            </el-table-column>
            <el-table-column :label="M.notifyAdmin.cols.kinds" min-width="140" show-overflow-tooltip>
              <template #default="{ row }">{{ kindsText(row.kinds) }}</template>
            </el-table-column>
            <el-table-column prop="region_name" :label="M.notifyAdmin.cols.region" width="110" />
            <el-table-column prop="organization_name" :label="M.notifyAdmin.cols.org" min-width="140" show-overflow-tooltip />
            <el-table-column :label="M.notifyAdmin.cols.status" width="80">
              <template #default="{ row }">
                <el-tag size="small" :type="row.enabled ? 'success' : 'info'" effect="plain">{{ row.enabled ? M.notifyAdmin.enabled : M.notifyAdmin.disabled }}</el-tag>
              </template>
            </el-table-column>
            <el-table-column :label="M.common.actions" width="110" fixed="right">
              <template #default="{ row }">
                <el-button link type="primary" @click="openEdit(row)">{{ M.common.edit }}</el-button>
                <el-button link @click="test(row)" data-test="endpoint-test">{{ M.notifyAdmin.test }}</el-button>
              </template>
            </el-table-column>
          </el-table>
        </el-tab-pane>
        <el-tab-pane :label="M.notifyAdmin.deadLetters" name="dead">
          <el-table :data="dead.rows.value" v-loading="dead.loading.value" stripe :empty-text="M.notifyAdmin.emptyDead" data-test="dead-table">
            <el-table-column :label="M.notifyAdmin.cols.createdAt" width="150">
              <template #default="{ row }">{{ dateTime(row.created_at) }}</template>
            </el-table-column>
            <el-table-column :label="M.notifyAdmin.cols.event" min-width="200" show-overflow-tooltip>
              <template #default="{ row }">{{ row.payload.title || row.kind }}</template>
            </el-table-column>
            <el-table-column :label="M.notifyAdmin.cols.target" min-width="160" show-overflow-tooltip>
              <template #default="{ row }">{{ row.endpoint_name || row.target }}</template>
            </el-table-column>
            <el-table-column prop="attempts" :label="M.notifyAdmin.cols.attempts" width="90" />
            <el-table-column prop="last_error" :label="M.notifyAdmin.cols.lastError" min-width="140" show-overflow-tooltip />
            <el-table-column :label="M.common.actions" width="80" fixed="right">
              <template #default="{ row }">
                <el-button link type="primary" @click="replay(row)" data-test="dead-replay">{{ M.notifyAdmin.replay }}</el-button>
              </template>
            </el-table-column>
          </el-table>
          <el-pagination class="jf-pager" background layout="total, prev, pager, next"
            :total="dead.total.value" v-model:current-page="dead.page.value" :page-size="dead.perPage.value" @current-change="dead.load" />
        </el-tab-pane>
      </el-tabs>
    </el-card>

    <el-dialog v-model="dialog.open" :title="dialog.id === null ? M.notifyAdmin.create : M.notifyAdmin.edit" width="min(560px, 96vw)" data-test="endpoint-dialog">
      <el-form label-width="96px" @submit.prevent="save">
        <el-form-item :label="M.notifyAdmin.form.name" :error="errors.name" data-field="name">
          <el-input v-model="form.name" />
        </el-form-item>
        <el-form-item :label="M.notifyAdmin.form.channel" :error="errors.channel" data-field="channel">
          <el-radio-group v-model="form.channel" :disabled="dialog.id !== null">
            <el-radio-button v-for="(label, k) in M.notifyAdmin.channels" :key="k" :value="k">{{ label }}</el-radio-button>
          </el-radio-group>
        </el-form-item>
        <el-form-item v-if="form.channel !== 'email'" :label="M.notifyAdmin.form.url" :error="errors.url" data-field="url">
          <el-input v-model="form.url" :placeholder="M.notifyAdmin.form.urlPlaceholder" />
        </el-form-item>
        <el-form-item v-if="form.channel !== 'webhook'" :label="M.notifyAdmin.form.address" :error="errors.address" data-field="address">
          <el-input v-model="form.address" :placeholder="placeholderAddress" />
        </el-form-item>
        <el-form-item v-if="form.channel !== 'email'" :label="M.notifyAdmin.form.secret" :error="errors.secret" data-field="secret">
          <el-input v-model="form.secret" type="password" show-password autocomplete="new-password"
            :placeholder="dialog.id === null ? M.notifyAdmin.form.secretPlaceholder : M.notifyAdmin.noSecretChange" />
        </el-form-item>
        <el-form-item v-if="form.channel === 'sms'" :label="M.notifyAdmin.form.smsTemplate" :error="errors.sms_template" data-field="sms_template">
          <el-input v-model="form.sms_template" :placeholder="M.notifyAdmin.form.smsTemplatePlaceholder" />
        </el-form-item>
        <el-form-item :label="M.notifyAdmin.form.kinds" :error="errors.kinds" data-field="kinds">
          <el-select v-model="form.kinds" multiple filterable allow-create default-first-option class="jf-fill" :placeholder="M.notifyAdmin.form.kindsPlaceholder">
            <el-option v-for="o in KIND_OPTIONS" :key="o.value" :value="o.value" :label="o.label" />
          </el-select>
        </el-form-item>
        <el-form-item :label="M.notifyAdmin.form.region" :error="errors.region_id" required data-field="region_id">
          <region-picker v-model="form.region_id" :cache="regionCache" class="jf-fill" />
        </el-form-item>
        <el-form-item :label="M.notifyAdmin.form.org" :error="errors.organization_id" data-field="organization_id">
          <el-select v-model="form.organization_id" filterable clearable :placeholder="M.notifyAdmin.form.orgPlaceholder" class="jf-fill">
            <el-option v-for="o in orgs" :key="o.id" :value="o.id" :label="o.name" />
          </el-select>
        </el-form-item>
        <el-form-item :label="M.notifyAdmin.form.enabled">
          <el-switch v-model="form.enabled" />
        </el-form-item>
        <el-alert v-if="dialog.general" :title="dialog.general" type="error" show-icon :closable="false" />
        <button type="submit" hidden></button>
      </el-form>
      <template #footer>
        <el-button @click="dialog.open = false">{{ M.common.cancel }}</el-button>
        <el-button type="primary" :loading="dialog.saving" @click="save" data-test="endpoint-save">{{ M.common.save }}</el-button>
      </template>
    </el-dialog>
  </div>`,
};
