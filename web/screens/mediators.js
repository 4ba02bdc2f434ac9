// 调解员: the mediators of the jurisdiction (GET /api/v1/mediators?q=&org_id=&specialty=
// &mediator_type=&status=, paged; phones masked by the server), a detail drawer
// (GET /api/v1/mediators/{id}: the full phone, an audited read) and, for administrators, a
// create/edit dialog (POST/PATCH) whose organizations come from GET /api/v1/organizations.

import { computed, onMounted, reactive, ref } from 'vue';
import { ElMessage } from 'element-plus';
import { Search, Refresh, Plus } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { isAdmin } from '../session.js';
import {
  t, options, categoryName, mediatorTypeName, gradeName, genderName, personStatusName, dateTime,
} from '../format.js';
import { emptyErrors, nullIfEmpty, saveDialog } from '../forms.js';
import { usePagedList, loadFailed } from '../list.js';
import PageHead from '../components/page-head.js';

const FIELDS = ['name', 'gender', 'phone', 'mediator_type', 'grade', 'specialties', 'org_ids', 'status'];

function emptyForm() {
  return { name: '', gender: null, phone: '', mediator_type: 'part_time', grade: 'junior', specialties: [], org_ids: [], status: 'active' };
}

export default {
  name: 'MediatorsScreen',
  components: { PageHead },
  setup() {
    const filters = reactive({ q: '', org_id: null, specialty: '', mediator_type: '', status: '' });
    const orgs = ref([]);

    const fail = loadFailed;

    const { rows, total, page, perPage, loading, load, search } = usePagedList((p) => api.get('/mediators', {
      q: filters.q.trim(), org_id: filters.org_id, specialty: filters.specialty,
      mediator_type: filters.mediator_type, status: filters.status, ...p,
    }));

    async function loadOrgs() {
      try {
        const r = await api.get('/organizations', { per_page: 500 });
        orgs.value = r.items;
      } catch (e) {
        fail(e);
      }
    }

    function reset() {
      Object.assign(filters, { q: '', org_id: null, specialty: '', mediator_type: '', status: '' });
      search();
    }

    // ---- detail drawer ----
    const drawer = reactive({ open: false, loading: false, item: null });
    async function openDetail(row) {
      Object.assign(drawer, { open: true, loading: true, item: null });
      try {
        drawer.item = await api.get(`/mediators/${row.id}`);
      } catch (e) {
        fail(e);
        drawer.open = false;
      } finally {
        drawer.loading = false;
      }
    }

    // ---- create / edit (admin) ----
    const dialog = reactive({ open: false, id: null, saving: false, general: '', loading: false });
    const form = reactive(emptyForm());
    const errors = reactive(emptyErrors(FIELDS));
    let original = {};

    function bodyOf(f) {
      return {
        name: f.name.trim(), gender: f.gender || null, phone: nullIfEmpty(f.phone), mediator_type: f.mediator_type,
        grade: f.grade, specialties: f.specialties, org_ids: f.org_ids, status: f.status,
      };
    }

    function openCreate() {
      Object.assign(form, emptyForm());
      Object.assign(errors, emptyErrors(FIELDS));
      Object.assign(dialog, { open: true, id: null, general: '', loading: false });
    }

    async function openEdit(row) {
      Object.assign(errors, emptyErrors(FIELDS));
      Object.assign(dialog, { open: true, id: row.id, general: '', loading: true });
      try {
        const m = await api.get(`/mediators/${row.id}`); // the full phone, for editing
        const f = emptyForm();
        for (const k of FIELDS) if (m[k] !== undefined && m[k] !== null) f[k] = Array.isArray(m[k]) ? m[k].slice() : m[k];
        Object.assign(form, f);
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
        path: '/mediators', body: bodyOf(form), original, fields: FIELDS, errors,
        created: (r) => t(M.mediators.created, { name: r.name }),
      });
      if (saved) load();
    }

    onMounted(() => {
      load();
      loadOrgs();
    });

    return {
      M, filters, rows, total, page, perPage, loading, orgs, load, search, reset,
      drawer, openDetail, dialog, form, errors, openCreate, openEdit, save, admin: computed(isAdmin),
      t, categoryName, mediatorTypeName, gradeName, genderName, personStatusName, dateTime,
      categoryOptions: options(M.categories), typeOptions: options(M.mediatorTypes), gradeOptions: options(M.grades),
      genderOptions: options(M.genders), statusOptions: options(M.personStatus),
      Search, Refresh, Plus,
    };
  },
  template: `
  <div data-test="mediators">
    <page-head :title="M.mediators.title" :subtitle="M.mediators.subtitle">
      <el-button v-if="admin" type="primary" :icon="Plus" @click="openCreate" data-test="mediator-create">{{ M.mediators.create }}</el-button>
    </page-head>
    <el-card shadow="never">
      <el-form inline @submit.prevent="search" class="jf-filters">
        <el-form-item :label="M.mediators.q">
          <el-input v-model="filters.q" :placeholder="M.mediators.qPlaceholder" clearable data-test="mediator-q" @clear="search" />
        </el-form-item>
        <el-form-item :label="M.mediators.org">
          <el-select v-model="filters.org_id" :placeholder="M.common.all" clearable filterable class="jf-select-lg" @change="search">
            <el-option v-for="o in orgs" :key="o.id" :value="o.id" :label="o.name" />
          </el-select>
        </el-form-item>
        <el-form-item :label="M.mediators.specialty">
          <el-select v-model="filters.specialty" :placeholder="M.common.all" clearable filterable class="jf-select-sm" @change="search">
            <el-option v-for="o in categoryOptions" :key="o.value" :value="o.value" :label="o.label" />
          </el-select>
        </el-form-item>
        <el-form-item :label="M.mediators.type">
          <el-select v-model="filters.mediator_type" :placeholder="M.common.all" clearable class="jf-select-xs" @change="search">
            <el-option v-for="o in typeOptions" :key="o.value" :value="o.value" :label="o.label" />
          </el-select>
        </el-form-item>
        <el-form-item :label="M.mediators.status">
          <el-select v-model="filters.status" :placeholder="M.common.all" clearable class="jf-select-xs" @change="search">
            <el-option v-for="o in statusOptions" :key="o.value" :value="o.value" :label="o.label" />
          </el-select>
        </el-form-item>
        <el-form-item>
          <el-button type="primary" native-type="submit" :icon="Search">{{ M.common.search }}</el-button>
          <el-button :icon="Refresh" @click="reset">{{ M.common.reset }}</el-button>
        </el-form-item>
      </el-form>
      <el-table :data="rows" v-loading="loading" stripe :empty-text="M.mediators.empty" data-test="mediator-table">
        <el-table-column prop="name" :label="M.mediators.cols.name" width="100" />
        <el-table-column :label="M.mediators.cols.gender" width="60">
          <template #default="{ row }">{{ genderName(row.gender) }}</template>
        </el-table-column>
        <el-table-column prop="phone" :label="M.mediators.cols.phone" width="130" />
        <el-table-column :label="M.mediators.cols.typeGrade" width="110">
          <template #default="{ row }">{{ mediatorTypeName(row.mediator_type) }} · {{ gradeName(row.grade) }}</template>
        </el-table-column>
        <el-table-column :label="M.mediators.cols.specialties" min-width="170">
          <template #default="{ row }">
            <el-tag v-for="c in row.specialties" :key="c" size="small" effect="plain" class="jf-tag-gap">{{ categoryName(c) }}</el-tag>
          </template>
        </el-table-column>
        <el-table-column :label="M.mediators.cols.orgs" min-width="220" show-overflow-tooltip>
          <template #default="{ row }">{{ (row.orgs || []).map((o) => o.name).join(M.common.listSep) }}</template>
        </el-table-column>
        <el-table-column prop="caseload" :label="M.mediators.cols.caseload" width="80" align="right" />
        <el-table-column :label="M.mediators.cols.status" width="70">
          <template #default="{ row }">
            <el-tag :type="row.status === 'active' ? 'success' : 'info'" size="small">{{ personStatusName(row.status) }}</el-tag>
          </template>
        </el-table-column>
        <el-table-column :label="M.common.actions" :width="admin ? 110 : 70" fixed="right">
          <template #default="{ row }">
            <el-button link type="primary" @click="openDetail(row)" data-test="mediator-detail">{{ M.common.detail }}</el-button>
            <el-button v-if="admin" link type="primary" @click="openEdit(row)" data-test="mediator-edit">{{ M.common.edit }}</el-button>
          </template>
        </el-table-column>
      </el-table>
      <el-pagination class="jf-pager" background layout="total, sizes, prev, pager, next, jumper"
        :total="total" v-model:current-page="page" v-model:page-size="perPage" :page-sizes="[20, 50, 100]"
        @current-change="load" @size-change="search" />
    </el-card>

    <el-drawer v-model="drawer.open" :title="M.mediators.detailTitle" size="440px" data-test="mediator-drawer">
      <div v-loading="drawer.loading">
        <el-descriptions v-if="drawer.item" :column="1" border>
          <el-descriptions-item :label="M.mediators.cols.name">{{ drawer.item.name }}</el-descriptions-item>
          <el-descriptions-item :label="M.mediators.cols.gender">{{ genderName(drawer.item.gender) }}</el-descriptions-item>
          <el-descriptions-item :label="M.mediators.cols.phone"><span data-test="mediator-phone">{{ drawer.item.phone || M.common.none }}</span></el-descriptions-item>
          <el-descriptions-item :label="M.mediators.type">{{ mediatorTypeName(drawer.item.mediator_type) }}</el-descriptions-item>
          <el-descriptions-item :label="M.mediators.grade">{{ gradeName(drawer.item.grade) }}</el-descriptions-item>
          <el-descriptions-item :label="M.mediators.cols.specialties">
            <el-tag v-for="c in drawer.item.specialties" :key="c" size="small" effect="plain" class="jf-tag-gap">{{ categoryName(c) }}</el-tag>
          </el-descriptions-item>
          <el-descriptions-item :label="M.mediators.cols.orgs">
            <div v-for="o in drawer.item.orgs" :key="o.id">{{ o.name }}</div>
          </el-descriptions-item>
          <el-descriptions-item :label="M.mediators.region">{{ drawer.item.region_name || M.common.none }}</el-descriptions-item>
          <el-descriptions-item :label="M.mediators.cols.caseload">{{ drawer.item.caseload }}</el-descriptions-item>
          <el-descriptions-item :label="M.mediators.cols.status">{{ personStatusName(drawer.item.status) }}</el-descriptions-item>
          <el-descriptions-item :label="M.common.createdAt">{{ dateTime(drawer.item.created_at) }}</el-descriptions-item>
        </el-descriptions>
        <p class="jf-hint jf-block">{{ M.common.auditedRead }}</p>
      </div>
    </el-drawer>

    <el-dialog v-model="dialog.open" :title="dialog.id === null ? M.mediators.create : M.mediators.editTitle" width="600px"
      :close-on-click-modal="false" data-test="mediator-dialog">
      <el-form label-width="88px" @submit.prevent="save" v-loading="dialog.loading">
        <el-row :gutter="12">
          <el-col :span="12">
            <el-form-item :label="M.mediators.cols.name" :error="errors.name" data-field="name">
              <el-input v-model="form.name" />
            </el-form-item>
          </el-col>
          <el-col :span="12">
            <el-form-item :label="M.mediators.cols.gender" :error="errors.gender" data-field="gender">
              <el-radio-group v-model="form.gender">
                <el-radio v-for="o in genderOptions" :key="o.value" :value="o.value">{{ o.label }}</el-radio>
              </el-radio-group>
            </el-form-item>
          </el-col>
        </el-row>
        <el-form-item :label="M.mediators.cols.phone" :error="errors.phone" data-field="phone">
          <el-input v-model="form.phone" />
        </el-form-item>
        <el-row :gutter="12">
          <el-col :span="12">
            <el-form-item :label="M.mediators.type" :error="errors.mediator_type" data-field="mediator_type">
              <el-select v-model="form.mediator_type" class="jf-fill">
                <el-option v-for="o in typeOptions" :key="o.value" :value="o.value" :label="o.label" />
              </el-select>
            </el-form-item>
          </el-col>
          <el-col :span="12">
            <el-form-item :label="M.mediators.grade" :error="errors.grade" data-field="grade">
              <el-select v-model="form.grade" class="jf-fill">
                <el-option v-for="o in gradeOptions" :key="o.value" :value="o.value" :label="o.label" />
              </el-select>
            </el-form-item>
          </el-col>
        </el-row>
        <el-form-item :label="M.mediators.cols.specialties" :error="errors.specialties" data-field="specialties">
          <el-select v-model="form.specialties" multiple filterable class="jf-fill" :placeholder="M.mediators.specialtiesPlaceholder">
            <el-option v-for="o in categoryOptions" :key="o.value" :value="o.value" :label="o.label" />
          </el-select>
        </el-form-item>
        <el-form-item :label="M.mediators.cols.orgs" :error="errors.org_ids" data-field="org_ids">
          <el-select v-model="form.org_ids" multiple filterable class="jf-fill" :placeholder="M.mediators.orgsPlaceholder">
            <el-option v-for="o in orgs" :key="o.id" :value="o.id" :label="o.name" />
          </el-select>
        </el-form-item>
        <el-form-item :label="M.mediators.cols.status" :error="errors.status" data-field="status">
          <el-radio-group v-model="form.status">
            <el-radio v-for="o in statusOptions" :key="o.value" :value="o.value">{{ o.label }}</el-radio>
          </el-radio-group>
        </el-form-item>
        <el-alert v-if="dialog.general" :title="dialog.general" type="error" show-icon :closable="false" />
        <button type="submit" hidden></button>
      </el-form>
      <template #footer>
        <el-button @click="dialog.open = false">{{ M.common.cancel }}</el-button>
        <el-button type="primary" :loading="dialog.saving" @click="save" data-test="mediator-save">{{ M.common.save }}</el-button>
      </template>
    </el-dialog>
  </div>`,
};
