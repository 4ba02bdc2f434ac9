// 风险研判 (#/risk; mediators, dispatchers, supervisors, leaders, admins): the open red (重大)
// and orange (较大) cases of a region's subtree, red first (GET /api/v1/risk/board), with
// the counts of each per child region. The region starts at the root of the user's
// jurisdiction; a child region drills down, the breadcrumb goes back up. The region shown is
// kept in the location (?region_id=) so that coming back from a case shows the same one.
//
// A red case without a control plan (稳控方案) is marked: it can be neither ended nor
// lowered until it has one (docs/risk.md); the plan is made on the case page.

import { computed, onMounted, reactive, ref } from 'vue';
import { ElMessage } from 'element-plus';
import { Refresh, ArrowRight } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { t, caseStateName, categoryName, riskName, ymd } from '../format.js';
import { hashQuery, replaceQuery } from '../router.js';
import { session, loadScope } from '../session.js';
import PageHead from '../components/page-head.js';
import { stateTagType, isPastDue, riskTagType, riskTagClass } from '../components/case-state.js';
import { narrow } from '../media.js';

// One page of the red and orange list; the cards count the whole subtree.
const PER_PAGE = 50;

export default {
  name: 'RiskBoardScreen',
  components: { PageHead },
  setup() {
    const today = ymd(new Date());
    // Root first, the region shown last: [{id, name}].
    const trail = ref([]);
    const board = reactive({ regions: [], cases: [], red: 0, orange: 0, total: 0, page: 1, loading: false, loaded: false });

    const fail = (e) => { if (e.status !== 401) ElMessage.error(t(M.common.loadFailed, { msg: e.message })); };
    const current = computed(() => trail.value[trail.value.length - 1] || null);
    // The counts of the region shown are those of its whole subtree, as the server counts them
    // (the list is one page of it; a case registered at the region itself is in no child's row).
    const counts = computed(() => ({ red: board.red, orange: board.orange }));

    async function load() {
      const here = current.value;
      board.loading = true;
      try {
        const r = await api.get('/risk/board', { ...(here ? { region_id: here.id } : {}), page: board.page, per_page: PER_PAGE });
        board.regions = r.regions || [];
        board.cases = r.cases || [];
        board.red = r.red || 0;
        board.orange = r.orange || 0;
        board.total = r.total || 0;
        board.loaded = true;
        const root = trail.value[0];
        replaceQuery({ region_id: here && root && here.id !== root.id ? here.id : null });
      } catch (e) {
        fail(e);
      } finally {
        board.loading = false;
      }
    }

    // The trail to a region named in the location: its ancestors in scope, then itself; the
    // scope's root alone when it is not (or no longer) readable.
    async function trailTo(id) {
      try {
        const [self, up] = await Promise.all([api.get(`/regions/${id}`), api.get(`/regions/${id}/ancestors`)]);
        return [...(up.items || []), self].map((r) => ({ id: r.id, name: r.name }));
      } catch (e) {
        if (e.status !== 404 && e.status !== 400) fail(e);
        return null;
      }
    }

    async function start() {
      let root = session.root;
      try {
        root = await loadScope();
      } catch (e) {
        fail(e);
      }
      const base = root ? [{ id: root.id, name: root.name }] : [];
      const asked = Number(hashQuery().region_id) || 0;
      const deep = asked && (!root || asked !== root.id) ? await trailTo(asked) : null;
      trail.value = deep && deep.length ? deep : base;
      await load();
    }

    function drill(r) {
      if (board.loading) return;
      trail.value = [...trail.value, { id: r.region_id, name: r.name }];
      board.page = 1;
      load();
    }
    function up(i) {
      if (i >= trail.value.length - 1) return;
      trail.value = trail.value.slice(0, i + 1);
      board.page = 1;
      load();
    }

    const reasons = (c) => (c.risk_reasons ? c.risk_reasons.split('；').filter(Boolean) : []);
    const planLate = (c) => !!c.control_review_on && c.control_review_on < today;

    onMounted(start);

    return {
      PER_PAGE,
      M, t, today, trail, board, current, counts, load, drill, up, reasons, planLate, narrow,
      caseStateName, categoryName, riskName, stateTagType, isPastDue, riskTagType, riskTagClass, Refresh, ArrowRight,
    };
  },
  template: `
  <div data-test="risk-board" class="jf-risk">
    <page-head :title="M.risk.title" :subtitle="M.risk.subtitle">
      <el-button :icon="Refresh" @click="load" :loading="board.loading">{{ M.common.refresh }}</el-button>
    </page-head>

    <el-breadcrumb :separator-icon="ArrowRight" class="jf-risk-trail" data-test="risk-trail">
      <el-breadcrumb-item v-for="(r, i) in trail" :key="r.id">
        <a v-if="i < trail.length - 1" :href="i ? '#/risk?region_id=' + r.id : '#/risk'" @click.prevent="up(i)" data-test="risk-trail-item">{{ r.name }}</a>
        <strong v-else data-test="risk-trail-current">{{ r.name }}</strong>
      </el-breadcrumb-item>
    </el-breadcrumb>

    <div class="jf-risk-counts" data-test="risk-counts">
      <div class="jf-risk-count is-red" data-test="risk-count-red">
        <div class="jf-risk-count-n">{{ counts.red }}<small>{{ M.risk.casesUnit }}</small></div>
        <div class="jf-risk-count-label">{{ M.risk.red }}<span class="jf-muted">{{ M.risk.redHint }}</span></div>
      </div>
      <div class="jf-risk-count is-orange" data-test="risk-count-orange">
        <div class="jf-risk-count-n">{{ counts.orange }}<small>{{ M.risk.casesUnit }}</small></div>
        <div class="jf-risk-count-label">{{ M.risk.orange }}<span class="jf-muted">{{ M.risk.orangeHint }}</span></div>
      </div>
    </div>

    <div class="jf-split jf-block">
      <el-card v-if="board.regions.length" shadow="never" class="jf-split-side jf-risk-regions" data-test="risk-regions">
        <template #header>
          <div class="jf-card-head">
            <span>{{ M.risk.regions }}</span>
            <span v-if="narrow" class="jf-risk-legend"><i class="is-red"></i>{{ M.risk.regionCols.red }}<i class="is-orange"></i>{{ M.risk.regionCols.orange }}</span>
          </div>
        </template>
        <div v-if="narrow" class="jf-risk-region-list">
          <button v-for="r in board.regions" :key="r.region_id" type="button" class="jf-risk-region" @click="drill(r)" data-test="risk-region">
            <span class="jf-risk-region-name" data-test="risk-region-name">{{ r.name }}</span>
            <span class="jf-risk-region-n is-red" :class="{ 'is-zero': !r.red }">{{ r.red }}</span>
            <span class="jf-risk-region-n is-orange" :class="{ 'is-zero': !r.orange }">{{ r.orange }}</span>
          </button>
        </div>
        <el-table v-else :data="board.regions" size="small" row-class-name="jf-clickable" @row-click="drill" data-test="risk-regions-table">
          <el-table-column :label="M.risk.regionCols.name" min-width="90">
            <template #default="{ row }"><a :href="'#/risk?region_id=' + row.region_id" class="jf-case-link" @click.prevent data-test="risk-region-name">{{ row.name }}</a></template>
          </el-table-column>
          <el-table-column :label="M.risk.regionCols.red" width="52" align="right">
            <template #default="{ row }"><span class="jf-risk-region-n is-red" :class="{ 'is-zero': !row.red }" data-test="risk-region-red">{{ row.red }}</span></template>
          </el-table-column>
          <el-table-column :label="M.risk.regionCols.orange" width="52" align="right">
            <template #default="{ row }"><span class="jf-risk-region-n is-orange" :class="{ 'is-zero': !row.orange }" data-test="risk-region-orange">{{ row.orange }}</span></template>
          </el-table-column>
        </el-table>
      </el-card>

      <el-card shadow="never" class="jf-split-main" v-loading="board.loading" data-test="risk-cases">
        <template #header>{{ M.risk.list }}</template>
        <el-empty v-if="board.loaded && !board.cases.length" :description="M.risk.empty" :image-size="80" />
        <div v-else-if="narrow" class="jf-risk-case-list">
          <div v-for="c in board.cases" :key="c.id" class="jf-risk-case" :class="'is-' + c.risk" data-test="risk-case">
            <div class="jf-risk-case-head">
              <el-tag :type="riskTagType(c.risk)" :class="riskTagClass(c.risk)" size="small" effect="dark" data-test="risk-case-level">{{ riskName(c.risk) }}</el-tag>
              <a :href="'#/cases/' + c.id" class="jf-case-link" data-test="case-link">{{ c.number }}</a>
            </div>
            <div class="jf-risk-case-meta">
              <span>{{ categoryName(c.category) }}</span>
              <el-tag :type="stateTagType(c.state)" size="small">{{ caseStateName(c.state) }}</el-tag>
              <span v-if="c.due_date" :class="{ 'jf-overdue': isPastDue(c, today) }">{{ M.risk.cols.due }} {{ c.due_date }}</span>
            </div>
            <div v-if="reasons(c).length" class="jf-risk-reasons" data-test="risk-case-reasons">{{ reasons(c).join('；') }}</div>
            <div class="jf-risk-case-plan">
              <el-tag v-if="c.risk === 'red' && !c.control_review_on" type="danger" size="small" effect="dark" data-test="risk-no-plan">{{ M.risk.noPlan }}</el-tag>
              <span v-else-if="c.control_review_on" :class="{ 'jf-overdue': planLate(c) }" data-test="risk-plan-review">{{ M.risk.plan }}：{{ t(M.risk.reviewOn, { day: c.control_review_on }) }}</span>
            </div>
          </div>
        </div>
        <el-table v-else :data="board.cases" size="small" :row-class-name="({ row }) => 'jf-risk-row-' + row.risk" data-test="risk-cases-table">
          <el-table-column :label="M.risk.cols.number" width="178">
            <template #default="{ row }"><a :href="'#/cases/' + row.id" class="jf-case-link" data-test="case-link">{{ row.number }}</a></template>
          </el-table-column>
          <el-table-column :label="M.risk.cols.risk" width="66">
            <template #default="{ row }"><el-tag :type="riskTagType(row.risk)" :class="riskTagClass(row.risk)" size="small" effect="dark" data-test="risk-case-level">{{ riskName(row.risk) }}</el-tag></template>
          </el-table-column>
          <el-table-column :label="M.risk.cols.category" width="90">
            <template #default="{ row }">{{ categoryName(row.category) }}</template>
          </el-table-column>
          <el-table-column :label="M.risk.cols.reasons" min-width="170">
            <template #default="{ row }"><div class="jf-risk-reasons" data-test="risk-case-reasons"><div v-for="x in reasons(row)" :key="x">{{ x }}</div></div></template>
          </el-table-column>
          <el-table-column :label="M.risk.cols.state" width="80">
            <template #default="{ row }"><el-tag :type="stateTagType(row.state)" size="small">{{ caseStateName(row.state) }}</el-tag></template>
          </el-table-column>
          <el-table-column :label="M.risk.cols.due" width="96">
            <template #default="{ row }"><span :class="{ 'jf-overdue': isPastDue(row, today) }">{{ row.due_date || M.common.none }}</span></template>
          </el-table-column>
          <el-table-column :label="M.risk.cols.plan" width="120">
            <template #default="{ row }">
              <el-tag v-if="row.risk === 'red' && !row.control_review_on" type="danger" size="small" effect="dark" data-test="risk-no-plan">{{ M.risk.noPlan }}</el-tag>
              <span v-else-if="row.control_review_on" :class="{ 'jf-overdue': planLate(row) }" :title="planLate(row) ? M.risk.planOverdue : ''" data-test="risk-plan-review">{{ t(M.risk.reviewOn, { day: row.control_review_on }) }}</span>
              <span v-else class="jf-muted">{{ M.common.none }}</span>
            </template>
          </el-table-column>
        </el-table>
        <el-pagination v-if="board.total > PER_PAGE" class="jf-pager" background :layout="narrow ? 'prev, pager, next' : 'total, prev, pager, next'"
          :total="board.total" v-model:current-page="board.page" :page-size="PER_PAGE" :pager-count="5" @current-change="load" data-test="risk-pager" />
      </el-card>
    </div>
  </div>`,
};
