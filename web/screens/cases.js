// 案件 (workbench): the cases in the caller's jurisdiction, as GET /api/v1/cases lists them
// (the server's queue: by due date, higher risk first on a day), with filters by state,
// category, channel, risk, overdue and free text, the state and the risk level as coloured
// tags and a due date in red once it has passed. A row opens the case (#/cases/{id}).

import { computed, onMounted, reactive, ref } from 'vue';
import { ElMessage } from 'element-plus';
import { Plus, Refresh, Search } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { hasRole } from '../session.js';
import { go } from '../router.js';
import {
  t, options, caseStateName, categoryName, channelName, levelName, dateTime, ymd, riskName,
} from '../format.js';
import PageHead from '../components/page-head.js';
import { stateTagType, isPastDue, riskTagType } from '../components/case-state.js';

export default {
  name: 'CasesScreen',
  components: { PageHead },
  setup() {
    // A mediator's workbench starts with their own cases (我的案件); those who triage and
    // supervise start with the whole register of their jurisdiction.
    const mineFirst = hasRole(['mediator']) && !hasRole(['clerk', 'dispatcher', 'supervisor', 'leader', 'admin']);
    const filters = reactive({ state: '', category: '', channel: '', risk: '', overdue: false, mine: mineFirst, q: '' });
    const rows = ref([]);
    const total = ref(0);
    const page = ref(1);
    const perPage = ref(20);
    const loading = ref(false);
    const today = ymd(new Date());
    const canRegister = computed(() => hasRole(['clerk', 'dispatcher', 'grid_worker', 'admin']));

    async function load() {
      loading.value = true;
      try {
        const r = await api.get('/cases', {
          state: filters.state, category: filters.category, channel: filters.channel, risk: filters.risk,
          overdue: filters.overdue ? 'true' : '', mine: filters.mine ? 'true' : '', q: filters.q.trim(), page: page.value, per_page: perPage.value,
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
      Object.assign(filters, { state: '', category: '', channel: '', risk: '', overdue: false, mine: mineFirst, q: '' });
      search();
    }

    const open = (row) => go('/cases/' + row.id);

    onMounted(load);

    return {
      M, filters, rows, total, page, perPage, loading, canRegister, load, search, reset, open, go, today,
      caseStateName, categoryName, channelName, levelName, dateTime, stateTagType, isPastDue,
      stateOptions: options(M.caseStates), categoryOptions: options(M.categories), channelOptions: options(M.channels),
      riskOptions: options(M.risks), riskName, riskTagType,
      Plus, Refresh, Search,
    };
  },
  template: `
  <div data-test="cases">
    <page-head :title="M.cases.title" :subtitle="M.cases.subtitle">
      <el-button :icon="Refresh" @click="load">{{ M.common.refresh }}</el-button>
      <el-button v-if="canRegister" type="primary" :icon="Plus" @click="go('/intake')" data-test="cases-register">{{ M.cases.register }}</el-button>
    </page-head>
    <el-card shadow="never">
      <el-form inline class="jf-filters" @submit.prevent="search">
        <el-form-item :label="M.cases.q">
          <el-input v-model="filters.q" :placeholder="M.cases.qPlaceholder" clearable @keyup.enter="search" data-test="cases-q" />
        </el-form-item>
        <el-form-item :label="M.cases.state">
          <el-select v-model="filters.state" clearable :placeholder="M.common.all" class="jf-select-sm" @change="search" data-test="cases-state">
            <el-option v-for="o in stateOptions" :key="o.value" :value="o.value" :label="o.label" />
          </el-select>
        </el-form-item>
        <el-form-item :label="M.cases.category">
          <el-select v-model="filters.category" clearable filterable :placeholder="M.common.all" class="jf-select-sm" @change="search" data-test="cases-category">
            <el-option v-for="o in categoryOptions" :key="o.value" :value="o.value" :label="o.label" />
          </el-select>
        </el-form-item>
        <el-form-item :label="M.cases.channel">
          <el-select v-model="filters.channel" clearable :placeholder="M.common.all" class="jf-select-sm" @change="search" data-test="cases-channel">
            <el-option v-for="o in channelOptions" :key="o.value" :value="o.value" :label="o.label" />
          </el-select>
        </el-form-item>
        <el-form-item :label="M.cases.risk">
          <el-select v-model="filters.risk" clearable :placeholder="M.common.all" class="jf-select-xs" @change="search" data-test="cases-risk">
            <el-option v-for="o in riskOptions" :key="o.value" :value="o.value" :label="o.label" />
          </el-select>
        </el-form-item>
        <el-form-item>
          <el-checkbox v-model="filters.mine" @change="search" data-test="cases-mine">{{ M.cases.mine }}</el-checkbox>
          <el-checkbox v-model="filters.overdue" @change="search" data-test="cases-overdue">{{ M.cases.overdue }}</el-checkbox>
        </el-form-item>
        <el-form-item>
          <el-button type="primary" :icon="Search" @click="search">{{ M.common.search }}</el-button>
          <el-button @click="reset">{{ M.common.reset }}</el-button>
        </el-form-item>
      </el-form>
      <el-table :data="rows" v-loading="loading" stripe :empty-text="M.cases.empty" row-class-name="jf-clickable"
        @row-click="open" data-test="cases-table">
        <el-table-column :label="M.cases.cols.number" min-width="230">
          <template #default="{ row }">
            <a :href="'#/cases/' + row.id" class="jf-case-link" data-test="case-link" @click.stop>{{ row.number }}</a>
            <el-tag v-if="row.urgent" type="danger" size="small" effect="dark" class="jf-tag-after">{{ M.cases.urgentTag }}</el-tag>
          </template>
        </el-table-column>
        <el-table-column :label="M.cases.cols.state" width="110">
          <template #default="{ row }">
            <el-tag :type="stateTagType(row.state)" size="small" data-test="case-state">{{ caseStateName(row.state) }}</el-tag>
          </template>
        </el-table-column>
        <el-table-column :label="M.cases.cols.risk" width="80">
          <template #default="{ row }">
            <el-tag :type="riskTagType(row.risk)" size="small" effect="plain" :title="row.risk_reasons || ''" data-test="case-risk">{{ riskName(row.risk) }}</el-tag>
          </template>
        </el-table-column>
        <el-table-column :label="M.cases.cols.category" width="110">
          <template #default="{ row }">{{ categoryName(row.category) }}</template>
        </el-table-column>
        <el-table-column :label="M.cases.cols.channel" width="130">
          <template #default="{ row }">{{ channelName(row.channel) }}</template>
        </el-table-column>
        <el-table-column :label="M.cases.cols.region" prop="region_name" min-width="120" show-overflow-tooltip />
        <el-table-column :label="M.cases.cols.respOrg" min-width="170" show-overflow-tooltip>
          <template #default="{ row }">{{ row.resp_org_name || M.common.none }}</template>
        </el-table-column>
        <el-table-column :label="M.cases.cols.received" width="170">
          <template #default="{ row }">{{ dateTime(row.received_at) }}</template>
        </el-table-column>
        <el-table-column :label="M.cases.cols.due" width="130">
          <template #default="{ row }">
            <span v-if="row.due_date" :class="{ 'jf-overdue': isPastDue(row, today) }" data-test="case-due">{{ row.due_date }}</span>
            <span v-else class="jf-muted">{{ M.common.none }}</span>
            <el-tag v-if="isPastDue(row, today)" type="danger" size="small" effect="plain" class="jf-tag-after">{{ M.cases.overdueTag }}</el-tag>
          </template>
        </el-table-column>
      </el-table>
      <el-pagination class="jf-pager" background layout="total, sizes, prev, pager, next" :page-sizes="[20, 50, 100]"
        :total="total" v-model:current-page="page" v-model:page-size="perPage" @current-change="load" @size-change="search" />
    </el-card>
  </div>`,
};
