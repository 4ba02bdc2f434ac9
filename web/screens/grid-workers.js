// 网格员: the grid workers of the jurisdiction (GET /api/v1/grid-workers?region_id=&q=, paged;
// phones masked) and, for administrators, a create/edit dialog (POST/PATCH) whose grid is
// chosen from the region tree with only grids selectable. The contract has no single-worker
// read, so there is no detail drawer with the full phone here; an edit sends the phone only
// when it was retyped, never the masked one back.

import { computed, onMounted, reactive, ref } from 'vue';
import { ElMessage } from 'element-plus';
import { Search, Refresh, Plus } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { isAdmin } from '../session.js';
import { t, options, personStatusName, dateTime } from '../format.js';
import { emptyErrors, nullIfEmpty, saveDialog } from '../forms.js';
import { usePagedList, loadFailed } from '../list.js';
import PageHead from '../components/page-head.js';
import RegionPicker from '../components/region-picker.js';

const FIELDS = ['name', 'phone', 'grid_id', 'status'];

function emptyForm() {
  return { name: '', phone: '', grid_id: null, status: 'active' };
}

export default {
  name: 'GridWorkersScreen',
  components: { PageHead, RegionPicker },
  setup() {
    const filters = reactive({ q: '', region_id: null });

    const fail = loadFailed;

    const { rows, total, page, perPage, loading, load, search } = usePagedList((p) => api.get('/grid-workers', {
      q: filters.q.trim(), region_id: filters.region_id, ...p,
    }));

    function reset() {
      Object.assign(filters, { q: '', region_id: null });
      search();
    }

    const dialog = reactive({ open: false, id: null, saving: false, general: '' });
    const form = reactive(emptyForm());
    const errors = reactive(emptyErrors(FIELDS));
    const gridCache = ref([]);
    let original = {};

    const bodyOf = (f) => ({ name: f.name.trim(), phone: nullIfEmpty(f.phone), grid_id: f.grid_id, status: f.status });

    function openCreate() {
      Object.assign(form, emptyForm());
      gridCache.value = [];
      Object.assign(errors, emptyErrors(FIELDS));
      Object.assign(dialog, { open: true, id: null, general: '' });
    }

    function openEdit(row) {
      Object.assign(form, { name: row.name, phone: row.phone || '', grid_id: row.grid_id, status: row.status || 'active' });
      original = bodyOf(form);
      gridCache.value = [{ id: row.grid_id, name: row.grid_name }];
      Object.assign(errors, emptyErrors(FIELDS));
      Object.assign(dialog, { open: true, id: row.id, general: '' });
    }

    async function save() {
      const saved = await saveDialog(dialog, {
        path: '/grid-workers', body: bodyOf(form), original, fields: FIELDS, errors,
        created: (r) => t(M.gridWorkers.created, { name: r.name }),
      });
      if (saved) load();
    }

    onMounted(load);

    return {
      M, filters, rows, total, page, perPage, loading, load, search, reset,
      dialog, form, errors, gridCache, openCreate, openEdit, save, admin: computed(isAdmin),
      t, personStatusName, dateTime, statusOptions: options(M.personStatus), GRID_ONLY: ['grid'],
      Search, Refresh, Plus,
    };
  },
  template: `
  <div data-test="grid-workers">
    <page-head :title="M.gridWorkers.title" :subtitle="M.gridWorkers.subtitle">
      <el-button v-if="admin" type="primary" :icon="Plus" @click="openCreate" data-test="grid-worker-create">{{ M.gridWorkers.create }}</el-button>
    </page-head>
    <el-card shadow="never">
      <el-form inline @submit.prevent="search" class="jf-filters">
        <el-form-item :label="M.gridWorkers.q">
          <el-input v-model="filters.q" :placeholder="M.gridWorkers.qPlaceholder" clearable @clear="search" />
        </el-form-item>
        <el-form-item :label="M.gridWorkers.region">
          <region-picker v-model="filters.region_id" class="jf-select-lg" @change="search" />
        </el-form-item>
        <el-form-item>
          <el-button type="primary" native-type="submit" :icon="Search">{{ M.common.search }}</el-button>
          <el-button :icon="Refresh" @click="reset">{{ M.common.reset }}</el-button>
        </el-form-item>
      </el-form>
      <el-table :data="rows" v-loading="loading" stripe :empty-text="M.gridWorkers.empty" data-test="grid-worker-table">
        <el-table-column prop="name" :label="M.gridWorkers.cols.name" width="110" />
        <el-table-column prop="phone" :label="M.gridWorkers.cols.phone" width="140" />
        <el-table-column prop="grid_name" :label="M.gridWorkers.cols.grid" min-width="140" />
        <el-table-column prop="village_name" :label="M.gridWorkers.cols.village" min-width="160" />
        <el-table-column :label="M.gridWorkers.cols.status" width="80">
          <template #default="{ row }">
            <el-tag :type="row.status === 'active' ? 'success' : 'info'" size="small">{{ personStatusName(row.status) }}</el-tag>
          </template>
        </el-table-column>
        <el-table-column :label="M.common.createdAt" width="170">
          <template #default="{ row }">{{ dateTime(row.created_at) }}</template>
        </el-table-column>
        <el-table-column v-if="admin" :label="M.common.actions" width="80" fixed="right">
          <template #default="{ row }">
            <el-button link type="primary" @click="openEdit(row)" data-test="grid-worker-edit">{{ M.common.edit }}</el-button>
          </template>
        </el-table-column>
      </el-table>
      <el-pagination class="jf-pager" background layout="total, sizes, prev, pager, next, jumper"
        :total="total" v-model:current-page="page" v-model:page-size="perPage" :page-sizes="[20, 50, 100]"
        @current-change="load" @size-change="search" />
    </el-card>

    <el-dialog v-model="dialog.open" :title="dialog.id === null ? M.gridWorkers.create : M.gridWorkers.editTitle" width="520px"
      :close-on-click-modal="false" data-test="grid-worker-dialog">
      <el-form label-width="88px" @submit.prevent="save">
        <el-form-item :label="M.gridWorkers.cols.name" :error="errors.name" data-field="name">
          <el-input v-model="form.name" />
        </el-form-item>
        <el-form-item :label="M.gridWorkers.cols.phone" :error="errors.phone" data-field="phone">
          <el-input v-model="form.phone" :placeholder="dialog.id !== null ? M.gridWorkers.phoneKeep : ''" />
        </el-form-item>
        <el-form-item :label="M.gridWorkers.cols.grid" :error="errors.grid_id" data-field="grid_id">
          <region-picker v-model="form.grid_id" :selectable="GRID_ONLY" :cache="gridCache" :clearable="false"
            :placeholder="M.gridWorkers.gridPlaceholder" class="jf-fill" />
        </el-form-item>
        <el-form-item :label="M.gridWorkers.cols.status" :error="errors.status" data-field="status">
          <el-radio-group v-model="form.status">
            <el-radio v-for="o in statusOptions" :key="o.value" :value="o.value">{{ o.label }}</el-radio>
          </el-radio-group>
        </el-form-item>
        <el-alert v-if="dialog.general" :title="dialog.general" type="error" show-icon :closable="false" />
        <button type="submit" hidden></button>
      </el-form>
      <template #footer>
        <el-button @click="dialog.open = false">{{ M.common.cancel }}</el-button>
        <el-button type="primary" :loading="dialog.saving" @click="save" data-test="grid-worker-save">{{ M.common.save }}</el-button>
      </template>
    </el-dialog>
  </div>`,
};
