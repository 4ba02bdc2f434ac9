// 区划管理: the caller's region tree down to grids (GET /api/v1/regions?parent_id=, a level at
// a time), a name search (GET /api/v1/regions?q=), and the chosen region's details
// (GET /api/v1/regions/{id} with path_names) with its children. Administrators add a child
// region or grid (POST /api/v1/regions) and edit name, population and the basic-level court
// (基层人民法院) to which the region's 司法确认申请书 are addressed (PATCH).

import { computed, reactive, ref } from 'vue';
import { ElMessage } from 'element-plus';
import { Search, Plus, Edit } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { isAdmin } from '../session.js';
import { t, levelName, num } from '../format.js';
import { changes, emptyErrors, showErrors } from '../forms.js';
import PageHead from '../components/page-head.js';

const LEVELS = ['province', 'city', 'county', 'township', 'village', 'grid'];
const LOWEST_LEVEL = 'grid';
const isLeaf = (r) => r.has_children === false || r.level === LOWEST_LEVEL;
const ADD_FIELDS = ['code', 'name', 'level', 'population', 'court'];
const EDIT_FIELDS = ['name', 'population', 'court'];

export default {
  name: 'RegionsScreen',
  components: { PageHead },
  setup() {
    const tree = ref(null);
    const expanded = ref([]);
    const q = ref('');
    const hits = ref(null); // search results, null when not searching
    const searching = ref(false);
    const current = ref(null); // GET /regions/{id}
    const children = ref([]);
    const detailLoading = ref(false);

    const fail = (e) => { if (e.status !== 401) ElMessage.error(t(M.common.loadFailed, { msg: e.message })); };

    async function loadNode(node, resolve) {
      try {
        const query = node.level === 0 ? { per_page: 500 } : { parent_id: node.data.id, per_page: 500 };
        const r = await api.get('/regions', query);
        const items = r.items.map((x) => ({ ...x, leaf: isLeaf(x) }));
        if (node.level === 0) {
          expanded.value = items.map((x) => x.id);
          if (items.length && !current.value) select(items[0]);
        }
        resolve(items);
      } catch (e) {
        fail(e);
        resolve([]);
      }
    }

    async function search() {
      const s = q.value.trim();
      if (!s) { hits.value = null; return; }
      searching.value = true;
      try {
        const r = await api.get('/regions', { q: s, per_page: 50 });
        hits.value = r.items;
      } catch (e) {
        fail(e);
      } finally {
        searching.value = false;
      }
    }

    function clearSearch() {
      q.value = '';
      hits.value = null;
    }

    async function select(r) {
      detailLoading.value = true;
      try {
        const [d, c] = await Promise.all([
          api.get(`/regions/${r.id}`),
          r.level === LOWEST_LEVEL ? Promise.resolve({ items: [] }) : api.get('/regions', { parent_id: r.id, per_page: 500 }),
        ]);
        current.value = d;
        children.value = c.items;
      } catch (e) {
        fail(e);
      } finally {
        detailLoading.value = false;
      }
    }

    // The node of the tree, if that branch is loaded: reload its children after a change.
    function refreshNode(id, { becameParent = false } = {}) {
      const node = tree.value && tree.value.getNode(id);
      if (!node) return;
      if (becameParent) {
        node.data.leaf = false;
        node.isLeafByUser = false;
        node.isLeaf = false;
      }
      if (node.loaded || becameParent) {
        node.loaded = false;
        node.expand();
      }
    }

    // ---- dialogs (admin) ----
    const dialog = reactive({ open: false, mode: 'add', saving: false, general: '' });
    const form = reactive({ code: '', name: '', level: '', population: null, court: '' });
    const errors = reactive(emptyErrors(ADD_FIELDS));
    let original = {};

    const childLevels = computed(() => {
      if (!current.value) return [];
      const i = LEVELS.indexOf(current.value.level);
      return i < 0 ? LEVELS : LEVELS.slice(i + 1);
    });

    function openAdd() {
      Object.assign(form, { code: '', name: '', level: childLevels.value[0] || '', population: null, court: '' });
      Object.assign(errors, emptyErrors(ADD_FIELDS));
      Object.assign(dialog, { open: true, mode: 'add', general: '' });
    }

    function openEdit() {
      original = { name: current.value.name, population: current.value.population, court: current.value.court || '' };
      Object.assign(form, { code: current.value.code, name: current.value.name, level: current.value.level,
        population: current.value.population, court: current.value.court || '' });
      Object.assign(errors, emptyErrors(ADD_FIELDS));
      Object.assign(dialog, { open: true, mode: 'edit', general: '' });
    }

    async function save() {
      if (dialog.saving) return;
      dialog.saving = true;
      dialog.general = '';
      const parent = current.value;
      try {
        if (dialog.mode === 'add') {
          const body = { code: form.code.trim(), name: form.name.trim(), level: form.level, parent_id: parent.id };
          if (form.population !== null && form.population !== undefined) body.population = form.population;
          if (form.court.trim()) body.court = form.court.trim();
          const r = await api.post('/regions', body);
          ElMessage.success(t(M.regions.added, { name: r.name }));
          dialog.open = false;
          await select(parent);
          refreshNode(parent.id, { becameParent: true });
        } else {
          const body = changes(original, { name: form.name.trim(), population: form.population, court: form.court.trim() }, EDIT_FIELDS);
          if (Object.keys(body).length) await api.patch(`/regions/${parent.id}`, body);
          ElMessage.success(M.common.saved);
          dialog.open = false;
          await select(parent);
          if (parent.parent_id) refreshNode(parent.parent_id);
        }
      } catch (e) {
        if (e.status === 409) errors.code = M.regions.duplicate;
        else dialog.general = showErrors(e, errors, ADD_FIELDS);
      } finally {
        dialog.saving = false;
      }
    }

    return {
      M, tree, expanded, q, hits, searching, current, children, detailLoading,
      loadNode, search, clearSearch, select, levelName, num, t,
      admin: computed(isAdmin), dialog, form, errors, childLevels, openAdd, openEdit, save,
      treeProps: { label: 'name', isLeaf: 'leaf' }, Search, Plus, Edit, LOWEST_LEVEL,
    };
  },
  template: `
  <div data-test="regions">
    <page-head :title="M.regions.title" :subtitle="M.regions.subtitle" />
    <div class="jf-split">
      <el-card shadow="never" class="jf-split-side jf-split-side-wide">
        <el-input v-model="q" :placeholder="M.regions.qPlaceholder" clearable :prefix-icon="Search"
          data-test="region-q" @keyup.enter="search" @clear="clearSearch" class="jf-side-search" />
        <div v-if="hits" v-loading="searching" data-test="region-hits">
          <p class="jf-hint">{{ t(M.regions.hits, { n: hits.length }) }}
            <el-button link type="primary" @click="clearSearch">{{ M.regions.backToTree }}</el-button></p>
          <el-empty v-if="!hits.length" :description="M.regions.noHits" :image-size="60" />
          <ul class="jf-hit-list">
            <li v-for="h in hits" :key="h.id" @click="select(h)" :class="{ 'is-current': current && current.id === h.id }">
              <span>{{ h.name }}</span>
              <el-tag size="small" type="info" effect="plain">{{ levelName(h.level) }}</el-tag>
            </li>
          </ul>
        </div>
        <el-tree v-show="!hits" ref="tree" lazy :load="loadNode" :props="treeProps" node-key="id" highlight-current
          :default-expanded-keys="expanded" :expand-on-click-node="false" @node-click="select" data-test="regions-tree">
          <template #default="{ data }">
            <span class="jf-tree-node">
              <span>{{ data.name }}</span>
              <el-tag size="small" type="info" effect="plain">{{ levelName(data.level) }}</el-tag>
            </span>
          </template>
        </el-tree>
      </el-card>

      <el-card shadow="never" class="jf-split-main" v-loading="detailLoading" data-test="region-detail">
        <el-empty v-if="!current" :description="M.regions.pick" />
        <template v-else>
          <div class="jf-card-head jf-detail-head">
            <el-breadcrumb separator="/" data-test="region-path">
              <el-breadcrumb-item v-for="(n, i) in (current.path_names || [current.name])" :key="i">{{ n }}</el-breadcrumb-item>
            </el-breadcrumb>
            <div v-if="admin" class="jf-page-actions">
              <el-button :icon="Edit" @click="openEdit" data-test="region-edit">{{ M.common.edit }}</el-button>
              <el-button type="primary" :icon="Plus" :disabled="current.level === LOWEST_LEVEL" @click="openAdd"
                data-test="region-add">{{ M.regions.addChild }}</el-button>
            </div>
          </div>
          <el-descriptions :column="2" border class="jf-block">
            <el-descriptions-item :label="M.regions.cols.name">{{ current.name }}</el-descriptions-item>
            <el-descriptions-item :label="M.regions.cols.code">{{ current.code }}</el-descriptions-item>
            <el-descriptions-item :label="M.regions.cols.level">{{ levelName(current.level) }}</el-descriptions-item>
            <el-descriptions-item :label="M.regions.cols.population">
              <span data-test="region-population">{{ num(current.population) }}</span>
              <el-tag v-if="current.population_synthetic" size="small" type="warning" effect="plain"
                class="jf-tag-after">{{ M.regions.synthetic }}</el-tag>
            </el-descriptions-item>
            <el-descriptions-item :label="M.regions.cols.court">
              <span data-test="region-court">{{ current.court || M.regions.courtInherited }}</span>
            </el-descriptions-item>
          </el-descriptions>
          <template v-if="current.level !== LOWEST_LEVEL">
            <h4 class="jf-subhead">{{ M.regions.children }}（{{ children.length }}）</h4>
            <el-table :data="children" stripe :empty-text="M.regions.noChildren" data-test="region-children"
              @row-click="select" row-class-name="jf-clickable" max-height="520">
              <el-table-column prop="name" :label="M.regions.cols.name" min-width="160" />
              <el-table-column prop="code" :label="M.regions.cols.code" width="170" />
              <el-table-column :label="M.regions.cols.level" width="120">
                <template #default="{ row }">{{ levelName(row.level) }}</template>
              </el-table-column>
              <el-table-column :label="M.regions.cols.population" width="150" align="right">
                <template #default="{ row }">
                  {{ num(row.population) }}
                  <el-tag v-if="row.population_synthetic" size="small" type="warning" effect="plain">{{ M.regions.syntheticShort }}</el-tag>
                </template>
              </el-table-column>
            </el-table>
          </template>
        </template>
      </el-card>
    </div>

    <el-dialog v-model="dialog.open" :title="dialog.mode === 'add' ? t(M.regions.addTitle, { parent: current && current.name }) : M.regions.editTitle"
      width="480px" :close-on-click-modal="false" data-test="region-dialog">
      <el-form label-width="104px" @submit.prevent="save">
        <el-form-item :label="M.regions.cols.code" :error="errors.code" data-field="code">
          <el-input v-model="form.code" :disabled="dialog.mode === 'edit'" :placeholder="M.regions.codePlaceholder" />
        </el-form-item>
        <el-form-item :label="M.regions.cols.name" :error="errors.name" data-field="name">
          <el-input v-model="form.name" />
        </el-form-item>
        <el-form-item :label="M.regions.cols.level" :error="errors.level" data-field="level">
          <el-select v-model="form.level" :disabled="dialog.mode === 'edit'" class="jf-fill">
            <el-option v-for="l in (dialog.mode === 'edit' ? [form.level] : childLevels)" :key="l" :value="l" :label="levelName(l)" />
          </el-select>
        </el-form-item>
        <el-form-item :label="M.regions.cols.population" :error="errors.population" data-field="population">
          <el-input-number v-model="form.population" :min="0" :step="100" controls-position="right" class="jf-fill" />
        </el-form-item>
        <el-form-item :label="M.regions.cols.court" :error="errors.court" data-field="court">
          <el-input v-model="form.court" maxlength="64" :placeholder="M.regions.courtPlaceholder" clearable data-test="region-court-input" />
          <div class="jf-hint">{{ M.regions.courtHint }}</div>
        </el-form-item>
        <el-alert v-if="dialog.general" :title="dialog.general" type="error" show-icon :closable="false" />
        <button type="submit" hidden></button>
      </el-form>
      <template #footer>
        <el-button @click="dialog.open = false">{{ M.common.cancel }}</el-button>
        <el-button type="primary" :loading="dialog.saving" @click="save" data-test="region-save">{{ M.common.save }}</el-button>
      </template>
    </el-dialog>
  </div>`,
};
