// 考核排名 (#/assessment; supervisors, leaders, admins): the units one level below the chosen
// region (a county's townships, a township's villages) ranked by the weighted score of
// GET /api/v1/assessment (docs/metrics.md "考核 (assessment)": success, on-time, satisfaction
// and on-the-spot rates; weights from 系统设置). Region and period pickers as on 统计分析;
// a bar chart of the scores; a table with each indicator, its numerator/denominator and the
// score. Every figure links to the register (#/cases) filtered to the unit and the period —
// the overdue figure to the unit's overdue cases as of today. On a phone the table scrolls
// sideways with the unit's name fixed at the left. Tab 调解员 (by=mediator): the mediators of
// the subtree's units by the same indicators; their figures link to the register filtered by
// the mediator (mediator_id) and the period.

import { computed, onMounted, reactive, ref } from 'vue';
import { ElMessage } from 'element-plus';
import { Refresh } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { t } from '../format.js';
import { go, hashQuery, replaceQuery } from '../router.js';
import PageHead from '../components/page-head.js';
import RegionPicker from '../components/region-picker.js';
import JfChart from '../components/chart.js';
import { periodRange, startRegion } from '../components/stats-figures.js';
import { registerLink } from './stats.js';

const PERIODS = ['month', 'lastMonth', 'quarter', 'year', 'custom'];
const INDICATORS = [
  { key: 'success', rate: (u) => u.success.rate, num: (u) => u.success.agreed, den: (u) => u.success.agreed + u.success.failed },
  { key: 'overdue', rate: (u) => u.overdue.rate, num: (u) => u.overdue.count, den: (u) => u.overdue.open_with_due, overdue: true },
  { key: 'satisfaction', rate: (u) => u.satisfaction.rate, num: (u) => u.satisfaction.satisfied, den: (u) => u.satisfaction.rated },
  { key: 'local', rate: (u) => u.local.rate, num: (u) => u.local.resolved_local, den: (u) => u.local.resolved },
];
const pct = (v) => (v === null || v === undefined ? '—' : `${(Math.round(v * 1000) / 10).toFixed(1)}%`);

export default {
  name: 'AssessmentScreen',
  components: { PageHead, RegionPicker, JfChart },
  setup() {
    const root = ref(null);
    const q = hashQuery();
    const state = reactive({
      regionId: Number(q.region_id) || null,
      period: PERIODS.includes(q.period) ? q.period : 'month',
      custom: q.period === 'custom' && q.from && q.to ? [q.from, q.to] : null,
      by: q.by === 'mediator' ? 'mediator' : 'region',
      loading: false,
    });
    const regionCache = ref([]);
    const data = ref(null);
    const range = computed(() => periodRange(state.period, new Date(), state.custom));
    const items = computed(() => (data.value ? data.value.items : []));
    const weightsText = computed(() => (data.value ? t(M.assessment.weightsText, data.value.weights) : ''));
    const fail = (e) => { if (e.status !== 401) ElMessage.error(t(M.common.loadFailed, { msg: e.message })); };

    async function load() {
      const r = range.value;
      if (!r || !state.regionId) return;
      replaceQuery({
        region_id: root.value && state.regionId !== root.value.id ? state.regionId : null,
        period: state.period !== 'month' ? state.period : null,
        from: state.period === 'custom' ? r.from : null,
        to: state.period === 'custom' ? r.to : null,
        by: state.by === 'mediator' ? 'mediator' : null,
      });
      state.loading = true;
      try {
        data.value = await api.get('/assessment', { region_id: state.regionId, from: r.from, to: r.to, by: state.by });
      } catch (e) {
        fail(e);
      } finally {
        state.loading = false;
      }
    }

    // A ranked item is a unit (region) or a mediator: its id, name and register filter.
    const idOf = (u) => (u.mediator_id !== undefined ? u.mediator_id : u.region_id);
    const nameOf = (u) => (u.mediator_name !== undefined ? u.mediator_name : u.region_name);
    const linkTo = (id, from, to, extra = {}) => (data.value && data.value.by === 'mediator'
      ? registerLink('', from, to, { mediator_id: id, ...extra }) : registerLink(id, from, to, extra));

    // The scores as bars, the first-ranked at the top; units without a score are left out.
    const scored = computed(() => items.value.filter((u) => u.score !== null));
    const chartOption = computed(() => {
      const rows = [...scored.value].reverse();
      return {
        grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        xAxis: { type: 'value', min: 0, max: 100 },
        yAxis: { type: 'category', data: rows.map(nameOf), axisLabel: { width: 96, overflow: 'truncate' } },
        series: [{
          type: 'bar', name: M.assessment.score, barMaxWidth: 22, cursor: 'pointer', itemStyle: { color: '#e6a23c' },
          data: rows.map((u) => ({ value: Math.round(u.score * 10) / 10, id: idOf(u) })),
          label: { show: true, position: 'right' },
        }],
        title: rows.length ? undefined : { text: M.assessment.noData, left: 'center', top: 'middle', textStyle: { fontSize: 14, fontWeight: 'normal' } },
      };
    });
    const chartHeight = computed(() => `${Math.max(240, scored.value.length * 30 + 40)}px`);

    /** The register's cases behind an indicator of unit u (overdue: as of today). */
    function link(u, ind) {
      const r = range.value || {};
      return '#' + (ind && ind.overdue ? linkTo(idOf(u), '', '', { overdue: 'true' }) : linkTo(idOf(u), r.from, r.to));
    }
    function pick(e) {
      if (e.data && e.data.id) go(linkTo(e.data.id, range.value.from, range.value.to));
    }
    function changeBy() {
      data.value = null;
      load();
    }
    function changePeriod() {
      if (state.period !== 'custom') state.custom = null;
      if (range.value) load();
    }

    async function start() {
      ({ root: root.value, cache: regionCache.value } = await startRegion(state, fail));
      load();
    }
    onMounted(start);

    return {
      M, PERIODS, INDICATORS, state, regionCache, range, items, weightsText, chartOption, chartHeight,
      link, pick, pct, load, changePeriod, changeBy, nameOf, t, Refresh,
    };
  },
  template: `
  <div class="jf-assessment" data-test="assessment">
    <page-head :title="M.assessment.title" :subtitle="M.assessment.subtitle">
      <el-button :icon="Refresh" @click="load" data-test="assessment-refresh">{{ M.common.refresh }}</el-button>
    </page-head>
    <el-card shadow="never" class="jf-stats-filters">
      <div class="jf-stats-filter-row">
        <region-picker v-model="state.regionId" :cache="regionCache" :clearable="false" class="jf-select-md" @change="load" data-test="assessment-region" />
        <el-radio-group v-model="state.period" @change="changePeriod" data-test="assessment-period">
          <el-radio-button v-for="p in PERIODS" :key="p" :value="p">{{ M.stats.periods[p] }}</el-radio-button>
        </el-radio-group>
        <el-date-picker v-if="state.period === 'custom'" v-model="state.custom" type="daterange" value-format="YYYY-MM-DD"
          unlink-panels :start-placeholder="M.stats.from" :end-placeholder="M.stats.to" @change="changePeriod" class="jf-stats-dates" />
        <span class="jf-muted">{{ range ? t(M.stats.periodText, range) : '' }}</span>
      </div>
      <div class="jf-muted jf-assessment-weights" data-test="assessment-weights">{{ weightsText }}</div>
    </el-card>

    <el-card shadow="never" class="jf-assessment-table">
      <el-tabs v-model="state.by" @tab-change="changeBy" data-test="assessment-by">
        <el-tab-pane :label="M.assessment.tabs.region" name="region" />
        <el-tab-pane :label="M.assessment.tabs.mediator" name="mediator" />
      </el-tabs>
      <el-table :data="items" v-loading="state.loading" :empty-text="state.by === 'mediator' ? M.assessment.noMediators : M.assessment.noUnits" data-test="assessment-table">
        <el-table-column :label="M.assessment.rank" width="56" align="center" fixed>
          <template #default="{ row }"><span data-test="assessment-rank">{{ row.rank === null ? '—' : row.rank }}</span></template>
        </el-table-column>
        <el-table-column :label="state.by === 'mediator' ? M.assessment.mediator : M.assessment.unit" min-width="120" fixed>
          <template #default="{ row }"><span data-test="assessment-unit">{{ nameOf(row) }}</span></template>
        </el-table-column>
        <el-table-column :label="M.assessment.score" width="84" align="right">
          <template #default="{ row }"><b data-test="assessment-score">{{ row.score === null ? '—' : row.score.toFixed(1) }}</b></template>
        </el-table-column>
        <el-table-column :label="M.assessment.total" width="80" align="right">
          <template #default="{ row }"><a :href="link(row)" data-test="assessment-total">{{ row.total }}</a></template>
        </el-table-column>
        <el-table-column v-for="ind in INDICATORS" :key="ind.key" :label="M.assessment.indicators[ind.key]" min-width="116" align="right">
          <template #default="{ row }">
            <a :href="link(row, ind)" :title="M.assessment.hints[ind.key]" :data-test="'assessment-' + ind.key">
              {{ pct(ind.rate(row)) }} <span class="jf-muted">({{ ind.num(row) }}/{{ ind.den(row) }})</span>
            </a>
          </template>
        </el-table-column>
      </el-table>
      <p class="jf-muted jf-assessment-note">{{ M.assessment.note }}</p>
    </el-card>

    <el-card shadow="never">
      <template #header>{{ M.assessment.chart }}</template>
      <jf-chart :option="chartOption" :height="chartHeight" @pick="pick" data-test="chart-assessment" />
    </el-card>
  </div>`,
};
