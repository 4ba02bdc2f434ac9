// 名册公示 (public, no login): the mediation organizations and mediators of a region, as the
// 名册制度 publishes them (GET /api/v1/public/roster?region_id=&category=). The server sends
// no person's phone or address; organizations show their office's public contact.

import { onMounted, reactive, ref } from 'vue';
import { ElMessage } from 'element-plus';
import { Search } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { t, options, orgTypeName, industryName, categoryName, mediatorTypeName, gradeName } from '../format.js';
import RegionPicker from '../components/region-picker.js';

export default {
  name: 'PublicRosterScreen',
  components: { RegionPicker },
  setup() {
    const filters = reactive({ region_id: null, category: '' });
    const orgs = reactive({ items: [], total: 0 });
    const mediators = reactive({ items: [], total: 0 });
    const page = ref(1);
    const perPage = 50;
    const loading = ref(false);
    const tab = ref('orgs');

    async function load() {
      loading.value = true;
      try {
        const r = await api.get('/public/roster', {
          region_id: filters.region_id, category: filters.category, page: page.value, per_page: perPage,
        });
        Object.assign(orgs, r.organizations);
        Object.assign(mediators, r.mediators);
      } catch (e) {
        ElMessage.error(t(M.common.loadFailed, { msg: e.message }));
      } finally {
        loading.value = false;
      }
    }

    function search() {
      page.value = 1;
      load();
    }

    onMounted(load);

    return {
      M, t, filters, orgs, mediators, page, perPage, loading, tab, load, search,
      orgTypeName, industryName, categoryName, mediatorTypeName, gradeName,
      categoryOptions: options(M.categories), Search,
    };
  },
  template: `
  <div class="jf-public-page" data-test="public-roster">
    <div class="jf-public-intro">
      <h2 class="jf-page-title">{{ M.publicPages.rosterTitle }}</h2>
      <p class="jf-page-subtitle">{{ M.publicPages.rosterIntro }}</p>
    </div>
    <el-card shadow="never">
      <el-form inline class="jf-filters" @submit.prevent="search">
        <el-form-item :label="M.publicPages.region">
          <region-picker v-model="filters.region_id" public class="jf-select-lg" :placeholder="M.publicPages.allRegions"
            data-test="roster-region" @change="search" />
        </el-form-item>
        <el-form-item :label="M.publicPages.category">
          <el-select v-model="filters.category" clearable filterable :placeholder="M.common.all" class="jf-select-md"
            data-test="roster-category" @change="search">
            <el-option v-for="o in categoryOptions" :key="o.value" :value="o.value" :label="o.label" />
          </el-select>
        </el-form-item>
      </el-form>
      <el-tabs v-model="tab" v-loading="loading">
        <el-tab-pane :label="t(M.publicPages.orgsTab, { n: orgs.total })" name="orgs">
          <el-table :data="orgs.items" stripe :empty-text="M.publicPages.empty" data-test="roster-orgs">
            <el-table-column prop="name" :label="M.organizations.cols.name" min-width="220" />
            <el-table-column :label="M.organizations.cols.type" width="150">
              <template #default="{ row }">{{ orgTypeName(row.type) }}<div v-if="row.industry" class="jf-muted">{{ t(M.organizations.industryOf, { name: industryName(row.industry) }) }}</div></template>
            </el-table-column>
            <el-table-column prop="region_name" :label="M.organizations.cols.region" width="120" />
            <el-table-column :label="M.organizations.cols.categories" min-width="200">
              <template #default="{ row }">
                <el-tag v-for="c in (row.categories || [])" :key="c" size="small" effect="plain" class="jf-tag-gap">{{ categoryName(c) }}</el-tag>
              </template>
            </el-table-column>
            <el-table-column prop="address" :label="M.organizations.cols.address" min-width="180" show-overflow-tooltip />
            <el-table-column prop="phone" :label="M.publicPages.officePhone" width="140" />
          </el-table>
        </el-tab-pane>
        <el-tab-pane :label="t(M.publicPages.mediatorsTab, { n: mediators.total })" name="mediators">
          <el-table :data="mediators.items" stripe :empty-text="M.publicPages.empty" data-test="roster-mediators">
            <el-table-column prop="name" :label="M.mediators.cols.name" width="120" />
            <el-table-column :label="M.mediators.cols.typeGrade" width="130">
              <template #default="{ row }">{{ mediatorTypeName(row.mediator_type) }} · {{ gradeName(row.grade) }}</template>
            </el-table-column>
            <el-table-column :label="M.mediators.cols.specialties" min-width="200">
              <template #default="{ row }">
                <el-tag v-for="c in (row.specialties || [])" :key="c" size="small" effect="plain" class="jf-tag-gap">{{ categoryName(c) }}</el-tag>
              </template>
            </el-table-column>
            <el-table-column :label="M.mediators.cols.orgs" min-width="240">
              <template #default="{ row }">{{ (row.orgs || []).map((o) => (typeof o === 'string' ? o : o.name)).join(M.common.listSep) }}</template>
            </el-table-column>
          </el-table>
        </el-tab-pane>
      </el-tabs>
      <el-pagination v-if="Math.max(orgs.total, mediators.total) > perPage" class="jf-pager" background layout="prev, pager, next"
        :total="Math.max(orgs.total, mediators.total)" v-model:current-page="page" :page-size="perPage" @current-change="load" />
    </el-card>
  </div>`,
};
