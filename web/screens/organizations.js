// 组织机构: the region tree of the user's jurisdiction (GET /api/v1/regions, loaded a level at
// a time with ?parent_id=) beside the organizations of the selected region's subtree
// (GET /api/v1/organizations?region_id=&type=&q=, paged).

import { onMounted, reactive, ref } from 'vue';
import { ElMessage } from 'element-plus';
import { Search, Refresh } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { t, levelName, orgTypeName, orgStatusName, options } from '../format.js';
import PageHead from '../components/page-head.js';

// A node is a leaf when the server says it has no children (`has_children`, when sent) or it
// is at the lowest level; every other node asks the server when it is expanded.
const LOWEST_LEVEL = 'grid';
const isLeaf = (r) => r.has_children === false || r.level === LOWEST_LEVEL;

export default {
  name: 'OrganizationsScreen',
  components: { PageHead },
  setup() {
    const filters = reactive({ q: '', type: '' });
    const region = ref(null); // the selected tree node's region, null for the whole jurisdiction
    const rows = ref([]);
    const total = ref(0);
    const page = ref(1);
    const perPage = ref(20);
    const loading = ref(false);
    const expanded = ref([]);

    async function load() {
      loading.value = true;
      try {
        const r = await api.get('/organizations', {
          q: filters.q.trim(), type: filters.type, region_id: region.value && region.value.id,
          page: page.value, per_page: perPage.value,
        });
        rows.value = r.items;
        total.value = r.total;
      } catch (e) {
        if (e.status !== 401) ElMessage.error(t(M.common.loadFailed, { msg: e.message }));
      } finally {
        loading.value = false;
      }
    }

    function search() {
      page.value = 1;
      load();
    }

    function reset() {
      filters.q = '';
      filters.type = '';
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
        if (e.status !== 401) ElMessage.error(t(M.common.loadFailed, { msg: e.message }));
        resolve([]);
      }
    }

    function selectRegion(data) {
      region.value = data;
      search();
    }

    onMounted(load);

    return {
      M, filters, region, rows, total, page, perPage, loading, expanded,
      load, search, reset, loadRegions, selectRegion,
      levelName, orgTypeName, orgStatusName, typeOptions: options(M.orgTypes),
      treeProps: { label: 'name', isLeaf: 'leaf' }, Search, Refresh,
    };
  },
  template: `
  <div data-test="organizations">
    <page-head :title="M.organizations.title" :subtitle="M.organizations.subtitle" />
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
              @change="search">
              <el-option v-for="o in typeOptions" :key="o.value" :value="o.value" :label="o.label" />
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
          <el-table-column prop="name" :label="M.organizations.cols.name" min-width="220" show-overflow-tooltip />
          <el-table-column :label="M.organizations.cols.type" width="130">
            <template #default="{ row }">{{ orgTypeName(row.type) }}</template>
          </el-table-column>
          <el-table-column prop="region_name" :label="M.organizations.cols.region" width="100" />
          <el-table-column prop="address" :label="M.organizations.cols.address" min-width="150" show-overflow-tooltip />
          <el-table-column prop="phone" :label="M.organizations.cols.phone" width="130" />
          <el-table-column :label="M.organizations.cols.status" width="80">
            <template #default="{ row }">
              <el-tag :type="row.status === 'active' ? 'success' : 'info'" size="small">{{ orgStatusName(row.status) }}</el-tag>
            </template>
          </el-table-column>
        </el-table>
        <el-pagination class="jf-pager" background layout="total, sizes, prev, pager, next, jumper"
          :total="total" v-model:current-page="page" v-model:page-size="perPage" :page-sizes="[20, 50, 100]"
          @current-change="load" @size-change="search" />
      </el-card>
    </div>
  </div>`,
};
