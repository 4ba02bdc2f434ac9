// 督办台 (#/supervision; supervisors, leaders, dispatchers, admins): what is running late in
// the caller's jurisdiction, in three tabs —
//   预警: the deadline warnings the scheduler raised (GET /api/v1/warnings): each case once,
//     with its most severe warning (已到期 before 临近到期 before 回访到期), as the server lists them;
//   督办令: the supervision orders (GET /api/v1/supervision), unanswered (?status=open), past
//     their deadline (?overdue=true) or all, grouped by responsible unit (resp_org_name) so
//     each unit's open orders are read together (属地管理, 谁主管谁负责);
//   逾期案件: open cases past their due date (GET /api/v1/cases?overdue=true).
// Every row links to the case page, where orders are issued and answered.

import { computed, onMounted, reactive, ref } from 'vue';
import { ElMessage } from 'element-plus';
import { Refresh } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { t, caseStateName, categoryName, levelName, dateTime, ymd } from '../format.js';
import PageHead from '../components/page-head.js';
import { stateTagType, isPastDue } from '../components/case-state.js';

const PER_PAGE = 100;

// A warning's tag by severity: due (red), approaching (amber), a return visit (blue).
const KIND_TAG = { due: 'danger', approaching: 'warning', visit: 'primary', instalment_due: 'warning', instalment_late: 'danger' };

// Order filters → the list's query.
const ORDER_QUERY = { open: { status: 'open' }, overdue: { overdue: 'true' }, all: { status: 'all' } };

const list = () => reactive({ items: [], total: 0, page: 1, loading: false });

export default {
  name: 'SupervisionScreen',
  components: { PageHead },
  setup() {
    const tab = ref('warnings');
    const today = ymd(new Date());
    const warnings = list();
    const orders = list();
    const overdue = list();
    const warningKind = ref('');
    const orderFilter = ref('open');

    const fail = (e) => { if (e.status !== 401) ElMessage.error(t(M.common.loadFailed, { msg: e.message })); };

    async function fill(target, path, query) {
      target.loading = true;
      try {
        const r = await api.get(path, { ...query, page: target.page, per_page: PER_PAGE });
        target.items = r.items;
        target.total = r.total;
      } catch (e) {
        fail(e);
      } finally {
        target.loading = false;
      }
    }

    const loadWarnings = () => fill(warnings, '/warnings', { kind: warningKind.value });
    const loadOrders = () => fill(orders, '/supervision', ORDER_QUERY[orderFilter.value]);
    const loadOverdue = () => fill(overdue, '/cases', { overdue: 'true' });
    const loadAll = () => Promise.all([loadWarnings(), loadOrders(), loadOverdue()]);

    function refilter(target, loader) {
      target.page = 1;
      loader();
    }

    // The orders of this page by responsible unit: units by name (the unassigned last), and
    // within a unit by deadline as the server sent them.
    const units = computed(() => {
      const byUnit = new Map();
      for (const o of orders.items) {
        const k = o.resp_org_name || '';
        if (!byUnit.has(k)) byUnit.set(k, []);
        byUnit.get(k).push(o);
      }
      return [...byUnit.entries()]
        .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b, 'zh-CN')))
        .map(([name, items]) => ({ name: name || M.supervision.noUnit, items }));
    });

    const orderLate = (o) => o.status === 'open' && o.deadline < today;

    onMounted(loadAll);

    return {
      M, t, tab, today, warnings, orders, overdue, warningKind, orderFilter, units, orderLate,
      loadAll, loadWarnings, loadOrders, loadOverdue, refilter, PER_PAGE, KIND_TAG,
      caseStateName, categoryName, levelName, dateTime, stateTagType, isPastDue, Refresh,
    };
  },
  template: `
  <div data-test="supervision">
    <page-head :title="M.supervision.title" :subtitle="M.supervision.subtitle">
      <el-button :icon="Refresh" @click="loadAll">{{ M.common.refresh }}</el-button>
    </page-head>
    <el-card shadow="never">
      <el-tabs v-model="tab">
        <el-tab-pane name="warnings">
          <template #label>{{ M.supervision.tabs.warnings }} <el-badge :value="warnings.total" :hidden="!warnings.total" type="warning" class="jf-tab-badge" /></template>
          <el-radio-group v-model="warningKind" class="jf-block-b" @change="refilter(warnings, loadWarnings)" data-test="warning-kind">
            <el-radio-button value="">{{ M.supervision.allKinds }}</el-radio-button>
            <el-radio-button value="approaching">{{ M.supervision.warningKinds.approaching }}</el-radio-button>
            <el-radio-button value="due">{{ M.supervision.warningKinds.due }}</el-radio-button>
            <el-radio-button value="visit">{{ M.supervision.warningKinds.visit }}</el-radio-button>
            <el-radio-button value="instalment_late">{{ M.supervision.warningKinds.instalment_late }}</el-radio-button>
          </el-radio-group>
          <el-table :data="warnings.items" v-loading="warnings.loading" stripe :empty-text="M.supervision.emptyWarnings" data-test="warnings-table">
            <el-table-column :label="M.supervision.cols.number" min-width="230">
              <template #default="{ row }"><a :href="'#/cases/' + row.case_id" class="jf-case-link" data-test="case-link">{{ row.number }}</a></template>
            </el-table-column>
            <el-table-column :label="M.supervision.cols.kind" width="110">
              <template #default="{ row }">
                <el-tag :type="KIND_TAG[row.kind] || 'info'" size="small" effect="dark" data-test="warning-kind-tag">{{ M.supervision.warningKinds[row.kind] || row.kind }}</el-tag>
              </template>
            </el-table-column>
            <el-table-column :label="M.supervision.cols.due" width="120">
              <template #default="{ row }"><span :class="{ 'jf-overdue': isPastDue(row, today) }">{{ row.due_date }}</span></template>
            </el-table-column>
            <el-table-column :label="M.supervision.cols.state" width="110">
              <template #default="{ row }"><el-tag :type="stateTagType(row.state)" size="small">{{ caseStateName(row.state) }}</el-tag></template>
            </el-table-column>
            <el-table-column :label="M.supervision.cols.level" width="110">
              <template #default="{ row }">{{ levelName(row.level) }}</template>
            </el-table-column>
            <el-table-column :label="M.supervision.cols.respOrg" min-width="180" show-overflow-tooltip>
              <template #default="{ row }">{{ row.resp_org_name || M.supervision.noUnit }}</template>
            </el-table-column>
            <el-table-column :label="M.supervision.cols.raised" width="170">
              <template #default="{ row }">{{ dateTime(row.created_at) }}</template>
            </el-table-column>
          </el-table>
          <el-pagination v-if="warnings.total > PER_PAGE" class="jf-pager" background layout="total, prev, pager, next"
            :total="warnings.total" v-model:current-page="warnings.page" :page-size="PER_PAGE" @current-change="loadWarnings" />
        </el-tab-pane>

        <el-tab-pane name="orders">
          <template #label>{{ M.supervision.tabs.orders }} <el-badge :value="orders.total" :hidden="!orders.total" type="primary" class="jf-tab-badge" /></template>
          <el-radio-group v-model="orderFilter" class="jf-block-b" @change="refilter(orders, loadOrders)" data-test="order-filter">
            <el-radio-button value="open">{{ M.supervision.filters.open }}</el-radio-button>
            <el-radio-button value="overdue" data-test="order-filter-overdue">{{ M.supervision.filters.overdue }}</el-radio-button>
            <el-radio-button value="all">{{ M.supervision.filters.all }}</el-radio-button>
          </el-radio-group>
          <div v-loading="orders.loading" data-test="orders">
            <el-empty v-if="!orders.items.length" :description="M.supervision.emptyOrders" :image-size="80" />
            <section v-for="u in units" :key="u.name" data-test="order-unit">
              <div class="jf-unit-head">
                <span data-test="order-unit-name">{{ u.name }}</span>
                <el-tag size="small" type="info" effect="plain">{{ t(M.supervision.unitCount, { n: u.items.length }) }}</el-tag>
              </div>
              <el-table :data="u.items" stripe size="small" data-test="orders-table">
                <el-table-column :label="M.supervision.cols.number" min-width="220">
                  <template #default="{ row }"><a :href="'#/cases/' + row.case_id" class="jf-case-link" data-test="case-link">{{ row.number }}</a></template>
                </el-table-column>
                <el-table-column :label="M.supervision.cols.orderLevel" width="100">
                  <template #default="{ row }">
                    <el-tag :type="row.level === 'listed' ? 'danger' : 'warning'" size="small" data-test="order-level">{{ M.supervision.levels[row.level] || row.level }}</el-tag>
                  </template>
                </el-table-column>
                <el-table-column :label="M.supervision.cols.content" min-width="220" show-overflow-tooltip>
                  <template #default="{ row }"><span data-test="order-content">{{ row.content }}</span></template>
                </el-table-column>
                <el-table-column :label="M.supervision.cols.deadline" width="140">
                  <template #default="{ row }">
                    <span :class="{ 'jf-overdue': orderLate(row) }">{{ row.deadline }}</span>
                    <el-tag v-if="orderLate(row)" type="danger" size="small" effect="plain" class="jf-tag-after">{{ M.supervision.overdueTag }}</el-tag>
                  </template>
                </el-table-column>
                <el-table-column :label="M.supervision.cols.state" width="100">
                  <template #default="{ row }"><el-tag :type="stateTagType(row.state)" size="small">{{ caseStateName(row.state) }}</el-tag></template>
                </el-table-column>
                <el-table-column :label="M.supervision.cols.issuedBy" width="170">
                  <template #default="{ row }">{{ row.issued_by_name || M.common.none }}<div class="jf-muted">{{ dateTime(row.issued_at) }}</div></template>
                </el-table-column>
                <el-table-column :label="M.supervision.cols.status" min-width="160">
                  <template #default="{ row }">
                    <el-tag :type="row.status === 'open' ? 'warning' : 'success'" size="small" effect="plain">{{ M.supervision.statuses[row.status] || row.status }}</el-tag>
                    <div v-if="row.reply" class="jf-muted">{{ row.reply }}</div>
                  </template>
                </el-table-column>
              </el-table>
            </section>
          </div>
          <el-pagination v-if="orders.total > PER_PAGE" class="jf-pager" background layout="total, prev, pager, next"
            :total="orders.total" v-model:current-page="orders.page" :page-size="PER_PAGE" @current-change="loadOrders" />
        </el-tab-pane>

        <el-tab-pane name="overdue">
          <template #label>{{ M.supervision.tabs.overdue }} <el-badge :value="overdue.total" :hidden="!overdue.total" type="danger" class="jf-tab-badge" /></template>
          <el-table :data="overdue.items" v-loading="overdue.loading" stripe :empty-text="M.supervision.emptyOverdue" data-test="overdue-table">
            <el-table-column :label="M.supervision.cols.number" min-width="230">
              <template #default="{ row }"><a :href="'#/cases/' + row.id" class="jf-case-link" data-test="case-link">{{ row.number }}</a></template>
            </el-table-column>
            <el-table-column :label="M.supervision.cols.state" width="110">
              <template #default="{ row }"><el-tag :type="stateTagType(row.state)" size="small">{{ caseStateName(row.state) }}</el-tag></template>
            </el-table-column>
            <el-table-column :label="M.supervision.cols.category" width="110">
              <template #default="{ row }">{{ categoryName(row.category) }}</template>
            </el-table-column>
            <el-table-column :label="M.supervision.cols.region" prop="region_name" min-width="120" show-overflow-tooltip />
            <el-table-column :label="M.supervision.cols.respOrg" min-width="180" show-overflow-tooltip>
              <template #default="{ row }">{{ row.resp_org_name || M.supervision.noUnit }}</template>
            </el-table-column>
            <el-table-column :label="M.supervision.cols.due" width="150">
              <template #default="{ row }">
                <span class="jf-overdue">{{ row.due_date }}</span>
                <el-tag type="danger" size="small" effect="plain" class="jf-tag-after">{{ M.supervision.overdueTag }}</el-tag>
              </template>
            </el-table-column>
          </el-table>
          <el-pagination v-if="overdue.total > PER_PAGE" class="jf-pager" background layout="total, prev, pager, next"
            :total="overdue.total" v-model:current-page="overdue.page" :page-size="PER_PAGE" @current-change="loadOverdue" />
        </el-tab-pane>
      </el-tabs>
    </el-card>
  </div>`,
};
