// 系统设置: the installation's settings as GET /api/v1/settings lists them (Chinese name,
// explanation, bounds, default, value in effect, who changed it last). A top-level
// administrator changes one in a dialog (PUT /api/v1/settings/{key}); the server checks the
// value and names what is wrong. Other administrators see the values read-only.

import { computed, onMounted, reactive, ref } from 'vue';
import { ElMessage } from 'element-plus';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { isTopAdmin } from '../session.js';
import { t, dateTime } from '../format.js';
import { emptyErrors, showErrors } from '../forms.js';
import PageHead from '../components/page-head.js';

export default {
  name: 'SettingsScreen',
  components: { PageHead },
  setup() {
    const rows = ref([]);
    const loading = ref(false);
    const top = computed(isTopAdmin);

    async function load() {
      loading.value = true;
      try {
        rows.value = (await api.get('/settings')).items;
      } catch (e) {
        if (e.status !== 401) ElMessage.error(t(M.common.loadFailed, { msg: e.message }));
      } finally {
        loading.value = false;
      }
    }

    const dialog = reactive({ open: false, row: null, value: '', saving: false, general: '' });
    const errors = reactive(emptyErrors(['value']));

    function openEdit(row) {
      Object.assign(errors, emptyErrors(['value']));
      Object.assign(dialog, { open: true, row, value: row.value, general: '' });
    }

    async function save() {
      if (dialog.saving) return;
      dialog.saving = true;
      dialog.general = '';
      try {
        const r = await api.put(`/settings/${dialog.row.key}`, { value: String(dialog.value) });
        ElMessage.success(t(M.settings.saved, { name: r.name }));
        dialog.open = false;
        load();
      } catch (e) {
        dialog.general = showErrors(e, errors, ['value']);
      } finally {
        dialog.saving = false;
      }
    }

    const bounds = (row) => (row.kind === 'integer'
      ? t(M.settings.range, { min: row.min, max: row.max }) : t(M.settings.length, { max: row.max }));

    onMounted(load);

    return { M, rows, loading, top, dialog, errors, openEdit, save, bounds, dateTime };
  },
  template: `
  <div data-test="settings">
    <page-head :title="M.settings.title" :subtitle="top ? M.settings.subtitle : M.settings.readOnly" />
    <el-card shadow="never">
      <el-table :data="rows" v-loading="loading" stripe data-test="settings-table" row-key="key">
        <el-table-column :label="M.settings.cols.name" min-width="220">
          <template #default="{ row }">
            <div class="jf-strong">{{ row.name }}</div>
            <div class="jf-muted jf-small">{{ row.help }}</div>
          </template>
        </el-table-column>
        <el-table-column :label="M.settings.cols.value" min-width="200">
          <template #default="{ row }">
            <span :data-test="'setting-value-' + row.key">{{ row.value === '' ? M.common.none : row.value }}</span>
            <el-tag v-if="row.value !== row.default" size="small" type="warning" effect="plain" class="jf-tag-after">{{ M.settings.changed }}</el-tag>
          </template>
        </el-table-column>
        <el-table-column :label="M.settings.cols.default" min-width="160">
          <template #default="{ row }">{{ row.default }}<div class="jf-muted jf-small">{{ bounds(row) }}</div></template>
        </el-table-column>
        <el-table-column :label="M.settings.cols.updated" width="180">
          <template #default="{ row }">
            <template v-if="row.updated_at">{{ dateTime(row.updated_at) }}<div class="jf-muted jf-small">{{ row.updated_by }}</div></template>
            <span v-else class="jf-muted">{{ M.common.none }}</span>
          </template>
        </el-table-column>
        <el-table-column v-if="top" :label="M.common.actions" width="90" fixed="right">
          <template #default="{ row }">
            <el-button link type="primary" @click="openEdit(row)" :data-test="'setting-edit-' + row.key">{{ M.common.edit }}</el-button>
          </template>
        </el-table-column>
      </el-table>
    </el-card>

    <el-dialog v-model="dialog.open" :title="dialog.row ? dialog.row.name : ''" width="560px" :close-on-click-modal="false" data-test="setting-dialog">
      <el-form v-if="dialog.row" label-width="88px" @submit.prevent="save">
        <p class="jf-muted">{{ dialog.row.help }}</p>
        <el-form-item :label="M.settings.cols.value" :error="errors.value" data-field="value">
          <el-input-number v-if="dialog.row.kind === 'integer'" v-model="dialog.value" :min="dialog.row.min" :max="dialog.row.max"
            :step="1" step-strictly controls-position="right" />
          <el-input v-else v-model="dialog.value" :maxlength="dialog.row.max" />
        </el-form-item>
        <el-form-item :label="M.settings.cols.default">
          <span>{{ dialog.row.default }}</span>
          <el-button link type="primary" class="jf-tag-after" @click="dialog.value = dialog.row.kind === 'integer' ? Number(dialog.row.default) : dialog.row.default">{{ M.settings.useDefault }}</el-button>
        </el-form-item>
        <el-alert v-if="dialog.general" :title="dialog.general" type="error" show-icon :closable="false" />
      </el-form>
      <template #footer>
        <el-button @click="dialog.open = false">{{ M.common.cancel }}</el-button>
        <el-button type="primary" :loading="dialog.saving" @click="save" data-test="setting-save">{{ M.common.save }}</el-button>
      </template>
    </el-dialog>
  </div>`,
};
