// 敏感时期: periods (major events, holidays) during which investigation runs daily
// (GET /api/v1/sensitive-periods?active_on=, paged). Administrators create, edit and delete
// them (POST, PATCH/DELETE /api/v1/sensitive-periods/{id}) with a name, a date range and the
// regions they apply to (none = the whole tree, which the server allows top administrators only).

import { computed, onMounted, reactive, ref } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { Plus } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { isAdmin } from '../session.js';
import { t } from '../format.js';
import { emptyErrors, nullIfEmpty, saveDialog } from '../forms.js';
import { usePagedList, loadFailed } from '../list.js';
import PageHead from '../components/page-head.js';
import RegionPicker from '../components/region-picker.js';

const FIELDS = ['name', 'start', 'end', 'region_ids', 'note'];

export default {
  name: 'SensitivePeriodsScreen',
  components: { PageHead, RegionPicker },
  setup() {
    const activeOn = ref(null);
    const admin = computed(isAdmin);

    const fail = loadFailed;

    const { rows, total, page, perPage, loading, load, search } = usePagedList((p) => api.get('/sensitive-periods', { active_on: activeOn.value, ...p }));

    const dialog = reactive({ open: false, id: null, saving: false, general: '' });
    const form = reactive({ name: '', range: null, region_ids: [], note: '' });
    const errors = reactive(emptyErrors(FIELDS));
    const regionCache = ref([]);
    let original = {};

    const bodyOf = (f) => ({
      name: f.name.trim(), start: f.range ? f.range[0] : null, end: f.range ? f.range[1] : null,
      region_ids: f.region_ids.slice(), note: nullIfEmpty(f.note),
    });

    function openCreate() {
      Object.assign(form, { name: '', range: null, region_ids: [], note: '' });
      regionCache.value = [];
      Object.assign(errors, emptyErrors(FIELDS));
      Object.assign(dialog, { open: true, id: null, general: '' });
    }

    function openEdit(row) {
      Object.assign(form, { name: row.name, range: [row.start, row.end], region_ids: (row.region_ids || []).slice(), note: row.note || '' });
      regionCache.value = (row.region_ids || []).map((id, i) => ({ id, name: (row.region_names || [])[i] || String(id) }));
      original = bodyOf(form);
      Object.assign(errors, emptyErrors(FIELDS));
      Object.assign(dialog, { open: true, id: row.id, general: '' });
    }

    async function save() {
      const saved = await saveDialog(dialog, {
        path: '/sensitive-periods', body: bodyOf(form), original, fields: FIELDS, errors,
        created: (r) => t(M.sensitive.created, { name: r.name }),
      });
      if (saved) load();
    }

    async function remove(row) {
      try {
        await ElMessageBox.confirm(t(M.sensitive.deleteAsk, { name: row.name }), M.common.delete, { type: 'warning' });
      } catch {
        return;
      }
      try {
        await api.del(`/sensitive-periods/${row.id}`);
        ElMessage.success(M.common.deleted);
        load();
      } catch (e) {
        if (e.status !== 401) ElMessage.error(e.message);
      }
    }

    onMounted(load);

    return {
      M, t, activeOn, rows, total, page, perPage, loading, admin, load, search,
      dialog, form, errors, regionCache, openCreate, openEdit, save, remove, Plus,
    };
  },
  template: `
  <div data-test="sensitive-periods">
    <page-head :title="M.sensitive.title" :subtitle="M.sensitive.subtitle">
      <el-button v-if="admin" type="primary" :icon="Plus" @click="openCreate" data-test="sensitive-create">{{ M.sensitive.create }}</el-button>
    </page-head>
    <el-card shadow="never">
      <el-form inline class="jf-filters" @submit.prevent="search">
        <el-form-item :label="M.sensitive.activeOn">
          <el-date-picker v-model="activeOn" type="date" value-format="YYYY-MM-DD" :placeholder="M.sensitive.activeOnPlaceholder"
            clearable @change="search" />
        </el-form-item>
      </el-form>
      <el-table :data="rows" v-loading="loading" stripe :empty-text="M.sensitive.empty" data-test="sensitive-table">
        <el-table-column prop="name" :label="M.sensitive.cols.name" min-width="180" />
        <el-table-column :label="M.sensitive.cols.range" width="220">
          <template #default="{ row }">{{ row.start }} {{ M.sensitive.to }} {{ row.end }}</template>
        </el-table-column>
        <el-table-column :label="M.sensitive.cols.regions" min-width="220">
          <template #default="{ row }">
            <el-tag v-for="n in (row.region_names || [])" :key="n" size="small" effect="plain" class="jf-tag-gap">{{ n }}</el-tag>
            <el-tag v-if="!(row.region_ids || []).length" size="small" type="warning" effect="plain">{{ M.sensitive.wholeTree }}</el-tag>
          </template>
        </el-table-column>
        <el-table-column prop="note" :label="M.sensitive.cols.note" min-width="200" show-overflow-tooltip />
        <el-table-column v-if="admin" :label="M.common.actions" width="110" fixed="right">
          <template #default="{ row }">
            <el-button link type="primary" @click="openEdit(row)">{{ M.common.edit }}</el-button>
            <el-button link type="danger" @click="remove(row)">{{ M.common.delete }}</el-button>
          </template>
        </el-table-column>
      </el-table>
      <el-pagination class="jf-pager" background layout="total, prev, pager, next"
        :total="total" v-model:current-page="page" :page-size="perPage" @current-change="load" />
    </el-card>

    <el-dialog v-model="dialog.open" :title="dialog.id === null ? M.sensitive.create : M.sensitive.editTitle" width="560px"
      :close-on-click-modal="false" data-test="sensitive-dialog">
      <el-form label-width="88px" @submit.prevent="save">
        <el-form-item :label="M.sensitive.cols.name" :error="errors.name" data-field="name">
          <el-input v-model="form.name" :placeholder="M.sensitive.namePlaceholder" />
        </el-form-item>
        <el-form-item :label="M.sensitive.cols.range" :error="errors.start || errors.end" data-field="range">
          <el-date-picker v-model="form.range" type="daterange" value-format="YYYY-MM-DD" :range-separator="M.sensitive.to"
            :start-placeholder="M.sensitive.start" :end-placeholder="M.sensitive.end" class="jf-fill" />
        </el-form-item>
        <el-form-item :label="M.sensitive.cols.regions" :error="errors.region_ids" data-field="region_ids">
          <region-picker v-model="form.region_ids" multiple :cache="regionCache" class="jf-fill"
            :placeholder="M.sensitive.regionsPlaceholder" />
        </el-form-item>
        <el-form-item :label="M.sensitive.cols.note" :error="errors.note" data-field="note">
          <el-input v-model="form.note" type="textarea" :rows="2" />
        </el-form-item>
        <el-alert v-if="dialog.general" :title="dialog.general" type="error" show-icon :closable="false" />
      </el-form>
      <template #footer>
        <el-button @click="dialog.open = false">{{ M.common.cancel }}</el-button>
        <el-button type="primary" :loading="dialog.saving" @click="save" data-test="sensitive-save">{{ M.common.save }}</el-button>
      </template>
    </el-dialog>
  </div>`,
};
