// 组织机构: the region tree of the user's jurisdiction (GET /api/v1/regions, loaded a level at
// a time with ?parent_id=) beside the organizations of the selected region's subtree
// (GET /api/v1/organizations?region_id=&type=&category=&status=&q=, paged). Administrators
// create and edit organizations in a dialog (POST/PATCH /api/v1/organizations) and suspend or
// reactivate them (PATCH {status}).
//
// Which extra fields the dialog shows follows the organization type (industry for committees
// and studios, host for studios, field for departments); the server decides what is valid.

import { computed, onMounted, reactive, ref } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { Search, Refresh, Plus } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { isAdmin } from '../session.js';
import { t, levelName, orgTypeName, orgStatusName, categoryName, industryName, options } from '../format.js';
import { emptyErrors, nullIfEmpty, saveDialog } from '../forms.js';
import { usePagedList, loadFailed } from '../list.js';
import PageHead from '../components/page-head.js';
import RegionPicker from '../components/region-picker.js';

// A node is a leaf when the server says it has no children (`has_children`, when sent) or it
// is at the lowest level; every other node asks the server when it is expanded.
const LOWEST_LEVEL = 'grid';
const isLeaf = (r) => r.has_children === false || r.level === LOWEST_LEVEL;

const FIELDS = ['name', 'type', 'region_id', 'industry', 'host', 'field', 'categories', 'address', 'phone',
  'contact_person', 'description', 'status'];
const WITH_INDUSTRY = ['mediation_committee', 'studio'];

function emptyForm() {
  return {
    name: '', type: 'mediation_committee', region_id: null, industry: null, host: '', field: '', categories: [],
    address: '', phone: '', contact_person: '', description: '', status: 'active',
  };
}

export default {
  name: 'OrganizationsScreen',
  components: { PageHead, RegionPicker },
  setup() {
    const filters = reactive({ q: '', type: '', category: '', status: '' });
    const region = ref(null); // the selected tree node's region, null for the whole jurisdiction
    const expanded = ref([]);

    const fail = loadFailed;

    const { rows, total, page, perPage, loading, load, search } = usePagedList((p) => api.get('/organizations', {
      q: filters.q.trim(), type: filters.type, category: filters.category, status: filters.status,
      region_id: region.value && region.value.id, ...p,
    }));

    function reset() {
      Object.assign(filters, { q: '', type: '', category: '', status: '' });
      region.value = null;
      search();
    }

    async function loadRegions(node, resolve) {
      try {
        const query = node.level === 0 ? { per_page: 500 } : { parent_id: node.data.id, per_page: 500 };
        const r = await api.get('/regions', query);
        const items = r.items.map((x) => ({ ...x, leaf: isLeaf(x) }));
        if (node.level === 0) expanded.value = items.map((x) => x.id);
        resolve(items);
      } catch (e) {
        fail(e);
        resolve([]);
      }
    }

    function selectRegion(data) {
      region.value = data;
      search();
    }

    // ---- create / edit (admin) ----
    const dialog = reactive({ open: false, id: null, saving: false, general: '' });
    const form = reactive(emptyForm());
    const errors = reactive(emptyErrors(FIELDS));
    const regionCache = ref([]);
    let original = {};

    const shows = computed(() => ({
      industry: WITH_INDUSTRY.includes(form.type),
      host: form.type === 'studio',
      field: form.type === 'department',
    }));

    function openCreate() {
      Object.assign(form, emptyForm());
      if (region.value) form.region_id = region.value.id;
      regionCache.value = region.value ? [region.value] : [];
      Object.assign(errors, emptyErrors(FIELDS));
      Object.assign(dialog, { open: true, id: null, general: '' });
    }

    function openEdit(row) {
      const f = emptyForm();
      for (const k of FIELDS) if (row[k] !== undefined && row[k] !== null) f[k] = Array.isArray(row[k]) ? row[k].slice() : row[k];
      Object.assign(form, f);
      original = JSON.parse(JSON.stringify(bodyOf(f)));
      regionCache.value = [{ id: row.region_id, name: row.region_name }];
      Object.assign(errors, emptyErrors(FIELDS));
      Object.assign(dialog, { open: true, id: row.id, general: '' });
    }

    // The request body from the form: text fields trimmed (empty → null), and the
    // type-dependent fields only when the type has them.
    function bodyOf(f) {
      const b = {
        name: f.name.trim(), type: f.type, region_id: f.region_id, categories: f.categories,
        address: nullIfEmpty(f.address), phone: nullIfEmpty(f.phone), contact_person: nullIfEmpty(f.contact_person),
        description: nullIfEmpty(f.description), status: f.status,
      };
      if (WITH_INDUSTRY.includes(f.type)) b.industry = f.industry || null;
      if (f.type === 'studio') b.host = nullIfEmpty(f.host);
      if (f.type === 'department') b.field = nullIfEmpty(f.field);
      return b;
    }

    async function save() {
      const saved = await saveDialog(dialog, {
        path: '/organizations', body: bodyOf(form), original, fields: FIELDS, errors,
        created: (r) => t(M.organizations.created, { name: r.name }),
        conflict: () => { errors.name = M.organizations.duplicate; },
      });
      if (saved) load();
    }

    async function toggleStatus(row) {
      const suspend = row.status === 'active';
      try {
        await ElMessageBox.confirm(t(suspend ? M.organizations.suspendAsk : M.organizations.activateAsk, { name: row.name }),
          suspend ? M.organizations.suspend : M.organizations.activate, { type: 'warning' });
      } catch {
        return;
      }
      try {
        await api.patch(`/organizations/${row.id}`, { status: suspend ? 'suspended' : 'active' });
        ElMessage.success(suspend ? M.organizations.suspended : M.organizations.activated);
        load();
      } catch (e) {
        if (e.status !== 401) ElMessage.error(e.message);
      }
    }

    onMounted(load);

    return {
      M, filters, region, rows, total, page, perPage, loading, expanded,
      load, search, reset, loadRegions, selectRegion,
      levelName, orgTypeName, orgStatusName, categoryName, industryName, t,
      typeOptions: options(M.orgTypes), categoryOptions: options(M.categories),
      industryOptions: options(M.industries), statusOptions: options(M.orgStatus),
      admin: computed(isAdmin), dialog, form, errors, regionCache, shows, openCreate, openEdit, save, toggleStatus,
      treeProps: { label: 'name', isLeaf: 'leaf' }, Search, Refresh, Plus,
    };
  },
  template: `
  <div data-test="organizations">
    <page-head :title="M.organizations.title" :subtitle="M.organizations.subtitle">
      <el-button v-if="admin" type="primary" :icon="Plus" @click="openCreate" data-test="org-create">{{ M.organizations.create }}</el-button>
    </page-head>
    <div class="jf-split">
      <el-card shadow="never" class="jf-split-side">
        <template #header>
          <div class="jf-card-head">
            <span>{{ M.organizations.regions }}</span>
            <el-button v-if="region" link type="primary" @click="reset">{{ M.organizations.allRegions }}</el-button>
          </div>
        </template>
        <p class="jf-hint">{{ M.organizations.regionHint }}</p>
        <el-tree lazy :load="loadRegions" :props="treeProps" node-key="id" highlight-current
          :default-expanded-keys="expanded" :expand-on-click-node="false" @node-click="selectRegion"
          data-test="region-tree">
          <template #default="{ data }">
            <span class="jf-tree-node">
              <span>{{ data.name }}</span>
              <el-tag size="small" type="info" effect="plain">{{ levelName(data.level) }}</el-tag>
            </span>
          </template>
        </el-tree>
      </el-card>

      <el-card shadow="never" class="jf-split-main">
        <el-form inline @submit.prevent="search" class="jf-filters">
          <el-form-item :label="M.organizations.q">
            <el-input v-model="filters.q" :placeholder="M.organizations.qPlaceholder" clearable
              data-test="org-q" @clear="search" />
          </el-form-item>
          <el-form-item :label="M.organizations.type">
            <el-select v-model="filters.type" :placeholder="M.common.all" clearable class="jf-select-md"
              data-test="org-type-filter" @change="search">
              <el-option v-for="o in typeOptions" :key="o.value" :value="o.value" :label="o.label" />
            </el-select>
          </el-form-item>
          <el-form-item :label="M.organizations.category">
            <el-select v-model="filters.category" :placeholder="M.common.all" clearable filterable class="jf-select-md"
              data-test="org-category-filter" @change="search">
              <el-option v-for="o in categoryOptions" :key="o.value" :value="o.value" :label="o.label" />
            </el-select>
          </el-form-item>
          <el-form-item :label="M.organizations.status">
            <el-select v-model="filters.status" :placeholder="M.common.all" clearable class="jf-select-sm"
              data-test="org-status-filter" @change="search">
              <el-option v-for="o in statusOptions" :key="o.value" :value="o.value" :label="o.label" />
            </el-select>
          </el-form-item>
          <el-form-item>
            <el-button type="primary" native-type="submit" :icon="Search">{{ M.common.search }}</el-button>
            <el-button :icon="Refresh" @click="reset">{{ M.common.reset }}</el-button>
          </el-form-item>
        </el-form>
        <div v-if="region" class="jf-filter-note">
          <el-tag closable @close="reset">{{ region.name }}</el-tag>
        </div>
        <el-table :data="rows" v-loading="loading" stripe :empty-text="M.organizations.empty" data-test="org-table">
          <el-table-column prop="name" :label="M.organizations.cols.name" min-width="160" show-overflow-tooltip />
          <el-table-column :label="M.organizations.cols.type" width="140">
            <template #default="{ row }">
              {{ orgTypeName(row.type) }}
              <div v-if="row.industry" class="jf-muted">{{ t(M.organizations.industryOf, { name: industryName(row.industry) }) }}</div>
            </template>
          </el-table-column>
          <el-table-column prop="region_name" :label="M.organizations.cols.region" width="100" />
          <el-table-column :label="M.organizations.cols.categories" min-width="150">
            <template #default="{ row }">
              <el-tag v-for="c in (row.categories || []).slice(0, 3)" :key="c" size="small" effect="plain" class="jf-tag-gap">{{ categoryName(c) }}</el-tag>
              <el-tag v-if="(row.categories || []).length > 3" size="small" type="info" effect="plain">+{{ row.categories.length - 3 }}</el-tag>
            </template>
          </el-table-column>
          <el-table-column prop="phone" :label="M.organizations.cols.phone" width="120" />
          <el-table-column :label="M.organizations.cols.status" width="80">
            <template #default="{ row }">
              <el-tag :type="row.status === 'active' ? 'success' : 'info'" size="small">{{ orgStatusName(row.status) }}</el-tag>
            </template>
          </el-table-column>
          <el-table-column v-if="admin" :label="M.common.actions" width="104" fixed="right">
            <template #default="{ row }">
              <el-button link type="primary" @click="openEdit(row)" data-test="org-edit">{{ M.common.edit }}</el-button>
              <el-button link :type="row.status === 'active' ? 'warning' : 'success'" @click="toggleStatus(row)"
                data-test="org-toggle">{{ row.status === 'active' ? M.organizations.suspend : M.organizations.activate }}</el-button>
            </template>
          </el-table-column>
        </el-table>
        <el-pagination class="jf-pager" background layout="total, sizes, prev, pager, next, jumper"
          :total="total" v-model:current-page="page" v-model:page-size="perPage" :page-sizes="[20, 50, 100]"
          @current-change="load" @size-change="search" />
      </el-card>
    </div>

    <el-dialog v-model="dialog.open" :title="dialog.id === null ? M.organizations.create : M.organizations.editTitle"
      width="640px" :close-on-click-modal="false" data-test="org-dialog">
      <el-form label-width="96px" @submit.prevent="save">
        <el-form-item :label="M.organizations.cols.name" :error="errors.name" data-field="name">
          <el-input v-model="form.name" />
        </el-form-item>
        <el-row :gutter="12">
          <el-col :span="12">
            <el-form-item :label="M.organizations.cols.type" :error="errors.type" data-field="type">
              <el-select v-model="form.type" class="jf-fill">
                <el-option v-for="o in typeOptions" :key="o.value" :value="o.value" :label="o.label" />
              </el-select>
            </el-form-item>
          </el-col>
          <el-col :span="12">
            <el-form-item :label="M.organizations.cols.region" :error="errors.region_id" data-field="region_id">
              <region-picker v-model="form.region_id" :cache="regionCache" :clearable="false" class="jf-fill" />
            </el-form-item>
          </el-col>
        </el-row>
        <el-form-item v-if="shows.industry" :label="M.organizations.industry" :error="errors.industry" data-field="industry">
          <el-select v-model="form.industry" clearable :placeholder="M.organizations.industryPlaceholder" class="jf-fill">
            <el-option v-for="o in industryOptions" :key="o.value" :value="o.value" :label="o.label" />
          </el-select>
        </el-form-item>
        <el-form-item v-if="shows.host" :label="M.organizations.host" :error="errors.host" data-field="host">
          <el-input v-model="form.host" :placeholder="M.organizations.hostPlaceholder" />
        </el-form-item>
        <el-form-item v-if="shows.field" :label="M.organizations.field" :error="errors.field" data-field="field">
          <el-input v-model="form.field" :placeholder="M.organizations.fieldPlaceholder" />
        </el-form-item>
        <el-form-item :label="M.organizations.cols.categories" :error="errors.categories" data-field="categories">
          <el-select v-model="form.categories" multiple filterable :placeholder="M.organizations.categoriesPlaceholder"
            class="jf-fill" popper-class="jf-org-categories-popper">
            <el-option v-for="o in categoryOptions" :key="o.value" :value="o.value" :label="o.label" />
          </el-select>
        </el-form-item>
        <el-form-item :label="M.organizations.cols.address" :error="errors.address" data-field="address">
          <el-input v-model="form.address" />
        </el-form-item>
        <el-row :gutter="12">
          <el-col :span="12">
            <el-form-item :label="M.organizations.cols.phone" :error="errors.phone" data-field="phone">
              <el-input v-model="form.phone" />
            </el-form-item>
          </el-col>
          <el-col :span="12">
            <el-form-item :label="M.organizations.contact" :error="errors.contact_person" data-field="contact_person">
              <el-input v-model="form.contact_person" />
            </el-form-item>
          </el-col>
        </el-row>
        <el-form-item :label="M.organizations.description" :error="errors.description" data-field="description">
          <el-input v-model="form.description" type="textarea" :rows="2" />
        </el-form-item>
        <el-form-item :label="M.organizations.cols.status" :error="errors.status" data-field="status">
          <el-radio-group v-model="form.status">
            <el-radio v-for="o in statusOptions" :key="o.value" :value="o.value">{{ o.label }}</el-radio>
          </el-radio-group>
        </el-form-item>
        <el-alert v-if="dialog.general" :title="dialog.general" type="error" show-icon :closable="false" data-test="org-form-error" />
        <button type="submit" hidden></button>
      </el-form>
      <template #footer>
        <el-button @click="dialog.open = false">{{ M.common.cancel }}</el-button>
        <el-button type="primary" :loading="dialog.saving" @click="save" data-test="org-save">{{ M.common.save }}</el-button>
      </template>
    </el-dialog>
  </div>`,
};
