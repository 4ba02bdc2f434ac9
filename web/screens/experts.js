// 专家库: the experts of the jurisdiction (GET /api/v1/experts?q=&specialty=&availability=
// &region_id=, paged; phones masked), a detail drawer (GET /api/v1/experts/{id}: full phone,
// an audited read) and, for administrators, a create/edit dialog (POST/PATCH).

import { computed, onMounted, reactive, ref } from 'vue';
import { ElMessage } from 'element-plus';
import { Search, Refresh, Plus } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { isAdmin } from '../session.js';
import { t, options, specialtyName, industryName, availabilityName, dateTime } from '../format.js';
import { emptyErrors, nullIfEmpty, saveDialog } from '../forms.js';
import { usePagedList, loadFailed } from '../list.js';
import PageHead from '../components/page-head.js';
import RegionPicker from '../components/region-picker.js';

const FIELDS = ['name', 'specialty', 'industry', 'title', 'phone', 'availability', 'region_id', 'note'];
const AVAIL_TAG = { available: 'success', busy: 'warning', unavailable: 'info' };

function emptyForm() {
  return { name: '', specialty: 'law', industry: null, title: '', phone: '', availability: 'available', region_id: null, note: '' };
}

export default {
  name: 'ExpertsScreen',
  components: { PageHead, RegionPicker },
  setup() {
    const filters = reactive({ q: '', specialty: '', availability: '', region_id: null });

    const fail = loadFailed;

    const { rows, total, page, perPage, loading, load, search } = usePagedList((p) => api.get('/experts', {
      q: filters.q.trim(), specialty: filters.specialty, availability: filters.availability,
      region_id: filters.region_id, ...p,
    }));

    function reset() {
      Object.assign(filters, { q: '', specialty: '', availability: '', region_id: null });
      search();
    }

    const drawer = reactive({ open: false, loading: false, item: null });
    async function openDetail(row) {
      Object.assign(drawer, { open: true, loading: true, item: null });
      try {
        drawer.item = await api.get(`/experts/${row.id}`);
      } catch (e) {
        fail(e);
        drawer.open = false;
      } finally {
        drawer.loading = false;
      }
    }

    const dialog = reactive({ open: false, id: null, saving: false, general: '', loading: false });
    const form = reactive(emptyForm());
    const errors = reactive(emptyErrors(FIELDS));
    const regionCache = ref([]);
    let original = {};

    function bodyOf(f) {
      return {
        name: f.name.trim(), specialty: f.specialty, industry: f.industry || null, title: nullIfEmpty(f.title),
        phone: nullIfEmpty(f.phone), availability: f.availability, region_id: f.region_id, note: nullIfEmpty(f.note),
      };
    }

    function openCreate() {
      Object.assign(form, emptyForm());
      regionCache.value = [];
      Object.assign(errors, emptyErrors(FIELDS));
      Object.assign(dialog, { open: true, id: null, general: '', loading: false });
    }

    async function openEdit(row) {
      Object.assign(errors, emptyErrors(FIELDS));
      Object.assign(dialog, { open: true, id: row.id, general: '', loading: true });
      try {
        const x = await api.get(`/experts/${row.id}`);
        const f = emptyForm();
        for (const k of FIELDS) if (x[k] !== undefined && x[k] !== null) f[k] = x[k];
        Object.assign(form, f);
        regionCache.value = [{ id: x.region_id, name: x.region_name }];
        original = JSON.parse(JSON.stringify(bodyOf(f)));
      } catch (e) {
        fail(e);
        dialog.open = false;
      } finally {
        dialog.loading = false;
      }
    }

    async function save() {
      const saved = await saveDialog(dialog, {
        path: '/experts', body: bodyOf(form), original, fields: FIELDS, errors,
        created: (r) => t(M.experts.created, { name: r.name }),
      });
      if (saved) load();
    }

    onMounted(load);

    return {
      M, filters, rows, total, page, perPage, loading, load, search, reset,
      drawer, openDetail, dialog, form, errors, regionCache, openCreate, openEdit, save, admin: computed(isAdmin),
      t, specialtyName, industryName, availabilityName, dateTime, AVAIL_TAG,
      specialtyOptions: options(M.specialties), industryOptions: options(M.industries),
      availabilityOptions: options(M.availability), Search, Refresh, Plus,
    };
  },
  template: `
  <div data-test="experts">
    <page-head :title="M.experts.title" :subtitle="M.experts.subtitle">
      <el-button v-if="admin" type="primary" :icon="Plus" @click="openCreate" data-test="expert-create">{{ M.experts.create }}</el-button>
    </page-head>
    <el-card shadow="never">
      <el-form inline @submit.prevent="search" class="jf-filters">
        <el-form-item :label="M.experts.q">
          <el-input v-model="filters.q" :placeholder="M.experts.qPlaceholder" clearable @clear="search" />
        </el-form-item>
        <el-form-item :label="M.experts.specialty">
          <el-select v-model="filters.specialty" :placeholder="M.common.all" clearable class="jf-select-sm" @change="search">
            <el-option v-for="o in specialtyOptions" :key="o.value" :value="o.value" :label="o.label" />
          </el-select>
        </el-form-item>
        <el-form-item :label="M.experts.availability">
          <el-select v-model="filters.availability" :placeholder="M.common.all" clearable class="jf-select-sm" @change="search">
            <el-option v-for="o in availabilityOptions" :key="o.value" :value="o.value" :label="o.label" />
          </el-select>
        </el-form-item>
        <el-form-item :label="M.experts.region">
          <region-picker v-model="filters.region_id" class="jf-select-md" @change="search" />
        </el-form-item>
        <el-form-item>
          <el-button type="primary" native-type="submit" :icon="Search">{{ M.common.search }}</el-button>
          <el-button :icon="Refresh" @click="reset">{{ M.common.reset }}</el-button>
        </el-form-item>
      </el-form>
      <el-table :data="rows" v-loading="loading" stripe :empty-text="M.experts.empty" data-test="expert-table">
        <el-table-column prop="name" :label="M.experts.cols.name" width="100" />
        <el-table-column :label="M.experts.cols.specialty" width="120">
          <template #default="{ row }">
            {{ specialtyName(row.specialty) }}<span v-if="row.industry" class="jf-muted">（{{ industryName(row.industry) }}）</span>
          </template>
        </el-table-column>
        <el-table-column prop="title" :label="M.experts.cols.title" min-width="200" show-overflow-tooltip />
        <el-table-column prop="phone" :label="M.experts.cols.phone" width="130" />
        <el-table-column prop="region_name" :label="M.experts.cols.region" width="110" />
        <el-table-column :label="M.experts.cols.availability" width="100">
          <template #default="{ row }">
            <el-tag :type="AVAIL_TAG[row.availability] || 'info'" size="small">{{ availabilityName(row.availability) }}</el-tag>
          </template>
        </el-table-column>
        <el-table-column :label="M.common.actions" :width="admin ? 110 : 70" fixed="right">
          <template #default="{ row }">
            <el-button link type="primary" @click="openDetail(row)" data-test="expert-detail">{{ M.common.detail }}</el-button>
            <el-button v-if="admin" link type="primary" @click="openEdit(row)" data-test="expert-edit">{{ M.common.edit }}</el-button>
          </template>
        </el-table-column>
      </el-table>
      <el-pagination class="jf-pager" background layout="total, sizes, prev, pager, next, jumper"
        :total="total" v-model:current-page="page" v-model:page-size="perPage" :page-sizes="[20, 50, 100]"
        @current-change="load" @size-change="search" />
    </el-card>

    <el-drawer v-model="drawer.open" :title="M.experts.detailTitle" size="440px" data-test="expert-drawer">
      <div v-loading="drawer.loading">
        <el-descriptions v-if="drawer.item" :column="1" border>
          <el-descriptions-item :label="M.experts.cols.name">{{ drawer.item.name }}</el-descriptions-item>
          <el-descriptions-item :label="M.experts.cols.specialty">{{ specialtyName(drawer.item.specialty) }}</el-descriptions-item>
          <el-descriptions-item v-if="drawer.item.industry" :label="M.experts.industry">{{ industryName(drawer.item.industry) }}</el-descriptions-item>
          <el-descriptions-item :label="M.experts.cols.title">{{ drawer.item.title || M.common.none }}</el-descriptions-item>
          <el-descriptions-item :label="M.experts.cols.phone"><span data-test="expert-phone">{{ drawer.item.phone || M.common.none }}</span></el-descriptions-item>
          <el-descriptions-item :label="M.experts.cols.region">{{ drawer.item.region_name }}</el-descriptions-item>
          <el-descriptions-item :label="M.experts.cols.availability">{{ availabilityName(drawer.item.availability) }}</el-descriptions-item>
          <el-descriptions-item :label="M.experts.note">{{ drawer.item.note || M.common.none }}</el-descriptions-item>
          <el-descriptions-item :label="M.common.createdAt">{{ dateTime(drawer.item.created_at) }}</el-descriptions-item>
        </el-descriptions>
        <p class="jf-hint jf-block">{{ M.common.auditedRead }}</p>
      </div>
    </el-drawer>

    <el-dialog v-model="dialog.open" :title="dialog.id === null ? M.experts.create : M.experts.editTitle" width="580px"
      :close-on-click-modal="false" data-test="expert-dialog">
      <el-form label-width="88px" @submit.prevent="save" v-loading="dialog.loading">
        <el-form-item :label="M.experts.cols.name" :error="errors.name" data-field="name">
          <el-input v-model="form.name" />
        </el-form-item>
        <el-row :gutter="12">
          <el-col :span="12">
            <el-form-item :label="M.experts.cols.specialty" :error="errors.specialty" data-field="specialty">
              <el-select v-model="form.specialty" class="jf-fill">
                <el-option v-for="o in specialtyOptions" :key="o.value" :value="o.value" :label="o.label" />
              </el-select>
            </el-form-item>
          </el-col>
          <el-col :span="12">
            <el-form-item :label="M.experts.industry" :error="errors.industry" data-field="industry">
              <el-select v-model="form.industry" clearable class="jf-fill" :placeholder="M.common.optional">
                <el-option v-for="o in industryOptions" :key="o.value" :value="o.value" :label="o.label" />
              </el-select>
            </el-form-item>
          </el-col>
        </el-row>
        <el-form-item :label="M.experts.cols.title" :error="errors.title" data-field="title">
          <el-input v-model="form.title" :placeholder="M.experts.titlePlaceholder" />
        </el-form-item>
        <el-row :gutter="12">
          <el-col :span="12">
            <el-form-item :label="M.experts.cols.phone" :error="errors.phone" data-field="phone">
              <el-input v-model="form.phone" />
            </el-form-item>
          </el-col>
          <el-col :span="12">
            <el-form-item :label="M.experts.cols.availability" :error="errors.availability" data-field="availability">
              <el-select v-model="form.availability" class="jf-fill">
                <el-option v-for="o in availabilityOptions" :key="o.value" :value="o.value" :label="o.label" />
              </el-select>
            </el-form-item>
          </el-col>
        </el-row>
        <el-form-item :label="M.experts.cols.region" :error="errors.region_id" data-field="region_id">
          <region-picker v-model="form.region_id" :cache="regionCache" :clearable="false" class="jf-fill" />
        </el-form-item>
        <el-form-item :label="M.experts.note" :error="errors.note" data-field="note">
          <el-input v-model="form.note" type="textarea" :rows="2" />
        </el-form-item>
        <el-alert v-if="dialog.general" :title="dialog.general" type="error" show-icon :closable="false" />
        <button type="submit" hidden></button>
      </el-form>
      <template #footer>
        <el-button @click="dialog.open = false">{{ M.common.cancel }}</el-button>
        <el-button type="primary" :loading="dialog.saving" @click="save" data-test="expert-save">{{ M.common.save }}</el-button>
      </template>
    </el-dialog>
  </div>`,
};
