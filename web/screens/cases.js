// 案件 (workbench): the cases in the caller's jurisdiction, as GET /api/v1/cases lists them
// (the server's queue: by due date, higher risk first on a day), with filters by state,
// category, channel, risk, received dates, responsible unit, mediator, place, overdue, one of
// the workbench's to-dos and free text (a case number or part of one, a party's phone or ID
// number, names and facts). The filters and the page live in the URL (#/cases?state=…&page=2),
// so going back from a case, or a link from the workbench, opens the same list. The state and
// the risk level show as coloured tags, a due date in red once it has passed. A row opens the
// case (#/cases/{id}). 导出 saves the list's current filter, every page of it, as CSV or Excel
// (GET /api/v1/cases/export takes the same query; the export is audited).

import { computed, onBeforeUnmount, onMounted, reactive, ref } from 'vue';
import { ElMessage } from 'element-plus';
import { Download, Plus, Refresh, Search } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { hasRole } from '../session.js';
import { go, hashQuery, replaceQuery } from '../router.js';
import {
  t, options, caseStateName, categoryName, channelName, levelName, dateTime, ymd, riskName, fieldErrors,
} from '../format.js';
import PageHead from '../components/page-head.js';
import RegionPicker from '../components/region-picker.js';
import { stateTagType, isPastDue, riskTagType, riskTagClass } from '../components/case-state.js';

const TEXT_KEYS = ['q', 'state', 'category', 'channel', 'risk', 'from', 'to', 'todo'];
const ID_KEYS = ['region_id', 'resp_org_id', 'mediator_id'];
const BOOL_KEYS = ['overdue', 'mine'];

export default {
  name: 'CasesScreen',
  components: { PageHead, RegionPicker },
  setup() {
    // A mediator's workbench starts with their own cases (我的案件); those who triage and
    // supervise start with the whole register of their jurisdiction.
    const mineFirst = hasRole(['mediator']) && !hasRole(['clerk', 'dispatcher', 'supervisor', 'leader', 'admin']);
    const blank = () => ({
      q: '', state: '', category: '', channel: '', risk: '', from: '', to: '', todo: '',
      region_id: null, resp_org_id: null, mediator_id: null, overdue: false, mine: mineFirst,
    });
    const filters = reactive(blank());
    const rows = ref([]);
    const total = ref(0);
    // More than 10,000 matches: the server stops counting there (total_capped, issue 12).
    const capped = ref(false);
    const totalText = computed(() => t(capped.value ? M.casesTotal.capped : M.casesTotal.exact, { n: total.value }));
    const page = ref(1);
    const perPage = ref(20);
    const loading = ref(false);
    const problem = ref(''); // why the server refused the filters (a one-character search, ...)
    const today = ymd(new Date());
    const canRegister = computed(() => hasRole(['clerk', 'dispatcher', 'grid_worker', 'admin']));
    const orgs = ref([]);
    const mediators = ref([]);
    const regionCache = ref([]);

    /** The URL's filters and page, over the defaults. */
    function fromUrl() {
      const h = hashQuery();
      Object.assign(filters, blank());
      for (const k of TEXT_KEYS) if (h[k]) filters[k] = h[k];
      for (const k of ID_KEYS) if (Number(h[k]) > 0) filters[k] = Number(h[k]);
      for (const k of BOOL_KEYS) if (k in h) filters[k] = h[k] === 'true';
      page.value = Number(h.page) > 0 ? Number(h.page) : 1;
      perPage.value = [20, 50, 100].includes(Number(h.per_page)) ? Number(h.per_page) : 20;
    }

    /** The list's query: the filters set, mine said only where it differs from the default. */
    function query() {
      const q = {};
      for (const k of [...TEXT_KEYS, ...ID_KEYS]) q[k] = typeof filters[k] === 'string' ? filters[k].trim() : filters[k];
      q.overdue = filters.overdue ? 'true' : '';
      q.mine = filters.mine === mineFirst ? (mineFirst ? 'true' : '') : String(filters.mine);
      return q;
    }

    // Keyset paging (issue 12): the cursor each page returned opens the page after it, so
    // paging on reads from the index where the last page ended instead of skipping rows;
    // page= serves only jumps (a link, the pager's far numbers), bounded by the server.
    const cursors = new Map(); // page number -> the `after` that opens it, for cursorKey
    let cursorKey = '';

    async function load() {
      const q = query();
      replaceQuery({ ...q, page: page.value > 1 ? page.value : '', per_page: perPage.value !== 20 ? perPage.value : '' });
      const key = JSON.stringify([q, perPage.value]);
      if (key !== cursorKey) { cursors.clear(); cursorKey = key; }
      const after = page.value > 1 ? cursors.get(page.value) : undefined;
      const at = page.value;
      loading.value = true;
      try {
        const r = await api.get('/cases', after ? { ...q, after, per_page: perPage.value }
          : { ...q, page: page.value, per_page: perPage.value });
        if (r.next_cursor) cursors.set(at + 1, r.next_cursor);
        rows.value = r.items;
        total.value = r.total;
        capped.value = !!r.total_capped;
        problem.value = '';
      } catch (e) {
        // Rows of an earlier search would pass for this one's: the list is emptied.
        rows.value = [];
        total.value = 0;
        capped.value = false;
        if (e.status === 400) problem.value = badFilters(e);
        else if (e.status !== 401) ElMessage.error(t(M.common.loadFailed, { msg: e.message }));
      } finally {
        loading.value = false;
      }
    }

    function badFilters(e) {
      if ((e.errors || []).some((x) => x.field === 'q' && x.code === 'too_short')) return M.cases.qTooShort;
      const { other } = fieldErrors(e, []);
      return other.length ? other.join(M.common.sentenceSep) : e.message;
    }

    function search() {
      page.value = 1;
      load();
    }

    function reset() {
      Object.assign(filters, blank());
      search();
    }

    const dates = computed({
      get: () => (filters.from && filters.to ? [filters.from, filters.to] : null),
      set: (v) => { filters.from = v ? v[0] : ''; filters.to = v ? v[1] : ''; },
    });

    function clearTodo() {
      filters.todo = '';
      search();
    }

    // The pickers' choices: the units and mediators in scope; the name of a region the URL
    // names before its branch of the tree is opened.
    async function loadChoices() {
      try {
        const [o, m] = await Promise.all([
          api.get('/organizations', { per_page: 500 }), api.get('/mediators', { per_page: 500 })]);
        orgs.value = o.items;
        mediators.value = m.items;
        if (filters.region_id) regionCache.value = [await api.get('/regions/' + filters.region_id)];
      } catch (e) {
        if (e.status !== 401) ElMessage.error(t(M.common.loadFailed, { msg: e.message }));
      }
    }

    // The filter the list shows, as a file: the same query, every page.
    const exporting = ref(false);
    async function exportAs(format) {
      exporting.value = true;
      try {
        await api.download('/cases/export', { ...query(), format }, `cases.${format}`);
      } catch (e) {
        if (e.status === 400) ElMessage.error(badFilters(e));
        else if (e.status !== 401) ElMessage.error(t(M.cases.exportFailed, { msg: e.message }));
      } finally {
        exporting.value = false;
      }
    }

    const open = (row) => go('/cases/' + row.id);
    const todoLabel = (k) => (M.todos[k] ? M.todos[k].label : k);

    // The screen writes its URL without a hashchange (replaceQuery): one that happens while
    // it is open is a link to another list of the register (a workbench count, say).
    function followUrl() {
      if (location.hash.split('?')[0] !== '#/cases') return;
      fromUrl();
      load();
    }

    onMounted(() => {
      fromUrl();
      load();
      loadChoices();
      window.addEventListener('hashchange', followUrl);
    });
    onBeforeUnmount(() => window.removeEventListener('hashchange', followUrl));

    return {
      M, filters, rows, total, totalText, page, perPage, loading, problem, canRegister, load, search, reset, open, go, today,
      exporting, exportAs, Download,
      dates, clearTodo, todoLabel, orgs, mediators, regionCache,
      caseStateName, categoryName, channelName, levelName, dateTime, stateTagType, isPastDue,
      stateOptions: options(M.caseStates), categoryOptions: options(M.categories), channelOptions: options(M.channels),
      riskOptions: options(M.risks), riskName, riskTagType, riskTagClass,
      Plus, Refresh, Search,
    };
  },
  template: `
  <div data-test="cases">
    <page-head :title="M.cases.title" :subtitle="M.cases.subtitle">
      <el-button :icon="Refresh" @click="load">{{ M.common.refresh }}</el-button>
      <el-dropdown trigger="click" @command="exportAs" :disabled="!!problem" data-test="cases-export">
        <el-button :icon="Download" :loading="exporting" :disabled="!!problem" :title="M.cases.exportHint">{{ M.cases.export }}</el-button>
        <template #dropdown>
          <el-dropdown-menu>
            <el-dropdown-item command="xlsx" data-test="cases-export-xlsx">{{ M.cases.exportXlsx }}</el-dropdown-item>
            <el-dropdown-item command="csv" data-test="cases-export-csv">{{ M.cases.exportCsv }}</el-dropdown-item>
          </el-dropdown-menu>
        </template>
      </el-dropdown>
      <el-button v-if="canRegister" type="primary" :icon="Plus" @click="go('/intake')" data-test="cases-register">{{ M.cases.register }}</el-button>
    </page-head>
    <el-card shadow="never">
      <el-form inline class="jf-filters" @submit.prevent="search">
        <el-form-item :label="M.cases.q">
          <el-input v-model="filters.q" :placeholder="M.cases.qPlaceholder" clearable @keyup.enter="search" @clear="search" class="jf-q" data-test="cases-q" />
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
        <el-form-item :label="M.cases.received">
          <el-date-picker v-model="dates" type="daterange" value-format="YYYY-MM-DD" unlink-panels
            :start-placeholder="M.cases.dateFrom" :end-placeholder="M.cases.dateTo" class="jf-daterange" @change="search" data-test="cases-dates" />
        </el-form-item>
        <el-form-item :label="M.cases.region">
          <region-picker v-model="filters.region_id" :cache="regionCache" class="jf-select-md" @change="search" data-test="cases-region" />
        </el-form-item>
        <el-form-item :label="M.cases.respOrg">
          <el-select v-model="filters.resp_org_id" clearable filterable :placeholder="M.common.all" class="jf-select-md" @change="search" data-test="cases-org">
            <el-option v-for="o in orgs" :key="o.id" :value="o.id" :label="o.name" />
          </el-select>
        </el-form-item>
        <el-form-item :label="M.cases.mediator">
          <el-select v-model="filters.mediator_id" clearable filterable :placeholder="M.common.all" class="jf-select-sm" @change="search" data-test="cases-mediator">
            <el-option v-for="m in mediators" :key="m.id" :value="m.id" :label="m.name" />
          </el-select>
        </el-form-item>
        <el-form-item>
          <el-checkbox v-model="filters.mine" @change="search" data-test="cases-mine">{{ M.cases.mine }}</el-checkbox>
          <el-checkbox v-model="filters.overdue" @change="search" data-test="cases-overdue">{{ M.cases.overdue }}</el-checkbox>
        </el-form-item>
        <el-form-item v-if="filters.todo">
          <el-tag closable type="warning" @close="clearTodo" data-test="cases-todo">{{ M.cases.todo }}：{{ todoLabel(filters.todo) }}</el-tag>
        </el-form-item>
        <el-form-item>
          <el-button type="primary" :icon="Search" @click="search">{{ M.common.search }}</el-button>
          <el-button @click="reset">{{ M.common.reset }}</el-button>
        </el-form-item>
      </el-form>
      <el-alert v-if="problem" :title="problem" type="warning" show-icon :closable="false" class="jf-list-problem" data-test="cases-problem" />
      <el-table :data="rows" v-loading="loading" stripe :empty-text="M.cases.empty" row-class-name="jf-clickable"
        @row-click="open" data-test="cases-table">
        <el-table-column :label="M.cases.cols.number" min-width="244" class-name="jf-nowrap">
          <template #default="{ row }">
            <a :href="'#/cases/' + row.id" class="jf-case-link" data-test="case-link" @click.stop>{{ row.number }}</a>
            <el-tag v-if="row.urgent" type="danger" size="small" effect="dark" class="jf-tag-after">{{ M.cases.urgentTag }}</el-tag>
          </template>
        </el-table-column>
        <el-table-column :label="M.cases.cols.state" width="90">
          <template #default="{ row }">
            <el-tag :type="stateTagType(row.state)" size="small" data-test="case-state">{{ caseStateName(row.state) }}</el-tag>
          </template>
        </el-table-column>
        <el-table-column :label="M.cases.cols.risk" width="64">
          <template #default="{ row }">
            <el-tag :type="riskTagType(row.risk)" :class="riskTagClass(row.risk)" size="small" effect="plain" :title="row.risk_reasons || ''" data-test="case-risk">{{ riskName(row.risk) }}</el-tag>
          </template>
        </el-table-column>
        <el-table-column :label="M.cases.cols.category" min-width="76" show-overflow-tooltip>
          <template #default="{ row }">{{ categoryName(row.category) }}</template>
        </el-table-column>
        <el-table-column :label="M.cases.cols.channel" min-width="76" show-overflow-tooltip>
          <template #default="{ row }">{{ channelName(row.channel) }}</template>
        </el-table-column>
        <el-table-column :label="M.cases.cols.region" prop="region_name" min-width="76" show-overflow-tooltip />
        <el-table-column :label="M.cases.cols.respOrg" min-width="104" show-overflow-tooltip>
          <template #default="{ row }">{{ row.resp_org_name || M.common.none }}</template>
        </el-table-column>
        <el-table-column :label="M.cases.cols.received" width="138" class-name="jf-nowrap">
          <template #default="{ row }">{{ dateTime(row.received_at).slice(0, 16) }}</template>
        </el-table-column>
        <el-table-column :label="M.cases.cols.due" width="150">
          <template #default="{ row }"><span class="jf-nowrap">
            <span v-if="row.due_date" :class="{ 'jf-overdue': isPastDue(row, today) }" data-test="case-due">{{ row.due_date }}</span>
            <span v-else class="jf-muted">{{ M.common.none }}</span>
            <el-tag v-if="isPastDue(row, today)" type="danger" size="small" effect="plain" class="jf-tag-after">{{ M.cases.overdueTag }}</el-tag>
          </span></template>
        </el-table-column>
      </el-table>
      <el-pagination class="jf-pager" background layout="slot, sizes, prev, pager, next" :page-sizes="[20, 50, 100]"
        :total="total" v-model:current-page="page" v-model:page-size="perPage" @current-change="load" @size-change="search">
        <span class="el-pagination__total" data-test="cases-total">{{ totalText }}</span>
      </el-pagination>
    </el-card>
  </div>`,
};
