// 审计日志 (admin): GET /api/v1/audit, newest first, filtered by action, object type and a
// date range (local days, sent as since = first day's midnight, until = the midnight after
// the last day), paged.

import { computed, onMounted, reactive, ref } from 'vue';
import { ElMessage } from 'element-plus';
import { Search, Refresh } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { t, dateTime, dayStartIso, actionName, objectTypeName, fieldName, options } from '../format.js';
import PageHead from '../components/page-head.js';

// The filter offers every action the log records: its own and the case actions.
const ACTIONS = { ...M.auditActions, ...M.caseActions };

const ACTION_TAG = {
  create: 'success', update: 'primary', delete: 'danger', read: 'info',
  login: 'success', login_failed: 'danger', logout: 'info', revoke: 'warning', password: 'warning',
};

export default {
  name: 'AuditScreen',
  components: { PageHead },
  setup() {
    const filters = reactive({ action: '', object_type: '', range: null });
    const rows = ref([]);
    const total = ref(0);
    // A log of more than 10,000 entries is counted no further (total_capped, issue 12).
    const capped = ref(false);
    const totalText = computed(() => t(capped.value ? M.casesTotal.capped : M.casesTotal.exact, { n: total.value }));
    const page = ref(1);
    const perPage = ref(50);
    const loading = ref(false);

    async function load() {
      loading.value = true;
      const [from, to] = filters.range || [];
      try {
        const r = await api.get('/audit', {
          action: filters.action, object_type: filters.object_type,
          since: from ? dayStartIso(from) : '', until: to ? dayStartIso(to, 1) : '',
          page: page.value, per_page: perPage.value,
        });
        rows.value = r.items;
        total.value = r.total;
        capped.value = !!r.total_capped;
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
      filters.action = '';
      filters.object_type = '';
      filters.range = null;
      search();
    }

    onMounted(load);

    return {
      M, filters, rows, total, totalText, page, perPage, loading, load, search, reset,
      dateTime, actionName, objectTypeName,
      fieldList: (row) => (row.fields || []).map(fieldName).join(M.common.listSep),
      // A case's new state (detail of its actions) in Chinese too.
      detailText: (row) => (row.object_type === 'case' && M.caseStates[row.detail]) || M.audit.details[row.detail]
        || row.detail || M.common.none,
      // A failed login names the login tried, whatever it is: only other entries by no account
      // are named by what acted.
      actorText: (row) => {
        if (row.actor_id != null) return row.actor_login;
        return (row.action !== 'login_failed' && M.audit.actors[row.actor_login]) || M.audit.anonymous;
      },
      actionTag: (a) => ACTION_TAG[a] || 'info',
      actionOptions: options(ACTIONS), typeOptions: options(M.objectTypes),
      Search, Refresh,
    };
  },
  template: `
  <div data-test="audit">
    <page-head :title="M.audit.title" :subtitle="M.audit.subtitle" />
    <el-card shadow="never">
      <el-form inline @submit.prevent="search" class="jf-filters">
        <el-form-item :label="M.audit.action">
          <el-select v-model="filters.action" :placeholder="M.common.all" clearable class="jf-select-sm"
            @change="search" data-test="audit-action">
            <el-option v-for="o in actionOptions" :key="o.value" :value="o.value" :label="o.label" />
          </el-select>
        </el-form-item>
        <el-form-item :label="M.audit.objectType">
          <el-select v-model="filters.object_type" :placeholder="M.common.all" clearable class="jf-select-sm"
            @change="search">
            <el-option v-for="o in typeOptions" :key="o.value" :value="o.value" :label="o.label" />
          </el-select>
        </el-form-item>
        <el-form-item :label="M.audit.range">
          <el-date-picker v-model="filters.range" type="daterange" value-format="YYYY-MM-DD"
            :range-separator="M.audit.rangeTo" :start-placeholder="M.audit.rangeStart"
            :end-placeholder="M.audit.rangeEnd" @change="search" />
        </el-form-item>
        <el-form-item>
          <el-button type="primary" native-type="submit" :icon="Search">{{ M.common.search }}</el-button>
          <el-button :icon="Refresh" @click="reset">{{ M.common.reset }}</el-button>
        </el-form-item>
      </el-form>
      <el-table :data="rows" v-loading="loading" stripe :empty-text="M.audit.empty" data-test="audit-table">
        <el-table-column :label="M.audit.cols.at" width="170">
          <template #default="{ row }">{{ dateTime(row.at) }}</template>
        </el-table-column>
        <el-table-column :label="M.audit.cols.actor" min-width="120">
          <template #default="{ row }">{{ actorText(row) }}</template>
        </el-table-column>
        <el-table-column prop="ip" :label="M.audit.cols.ip" width="130" />
        <el-table-column :label="M.audit.cols.action" width="140">
          <template #default="{ row }">
            <el-tag :type="actionTag(row.action)" size="small" effect="light">{{ actionName(row.action) }}</el-tag>
          </template>
        </el-table-column>
        <el-table-column :label="M.audit.cols.objectType" width="110">
          <template #default="{ row }">{{ objectTypeName(row.object_type) }}</template>
        </el-table-column>
        <el-table-column :label="M.audit.cols.objectId" width="100">
          <template #default="{ row }">{{ row.object_id ?? M.common.none }}</template>
        </el-table-column>
        <el-table-column :label="M.audit.cols.fields" min-width="160" show-overflow-tooltip>
          <template #default="{ row }">{{ fieldList(row) || M.common.none }}</template>
        </el-table-column>
        <el-table-column :label="M.audit.cols.detail" min-width="180" show-overflow-tooltip>
          <template #default="{ row }">{{ detailText(row) }}</template>
        </el-table-column>
      </el-table>
      <el-pagination class="jf-pager" background layout="slot, sizes, prev, pager, next, jumper"
        :total="total" v-model:current-page="page" v-model:page-size="perPage" :page-sizes="[20, 50, 100, 200]"
        @current-change="load" @size-change="search">
        <span class="el-pagination__total" data-test="audit-total">{{ totalText }}</span>
      </el-pagination>
    </el-card>
  </div>`,
};
