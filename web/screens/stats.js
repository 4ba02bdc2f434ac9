// 统计分析 (#/stats; supervisors, leaders, admins): the figures of a region subtree for a
// period, from the statistics service (GET /api/v1/stats/summary and /stats/breakdown;
// docs/metrics.md defines every figure). The region starts at the root of the user's
// jurisdiction; the period is this month, last month, this quarter, this year or a custom
// range. Six headline cards, each compared with the period before (环比) and the same period
// last year (同比) as the server gives them; then four charts drawn by ECharts in the browser:
// the monthly trend of the twelve months up to the period's end, the categories, the child
// regions (bars: the machine is offline, so no map tiles) and the lifecycle funnel. A click
// on a chart opens the register (#/cases) filtered to the cases behind what was clicked.
//
// 大屏: the centre's wall display. The screen fills the window (and the monitor, where the
// browser allows full screen), dark, without the pickers, and reloads itself every 60 s.
// Region and period live in the location, so coming back from the register shows the same.

import { computed, onBeforeUnmount, onMounted, reactive, ref } from 'vue';
import { ElMessage } from 'element-plus';
import { Refresh, FullScreen, Close } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { t, dateTime } from '../format.js';
import { go, hashQuery, replaceQuery } from '../router.js';
import PageHead from '../components/page-head.js';
import RegionPicker from '../components/region-picker.js';
import JfChart from '../components/chart.js';
import { periodRange, headlineCards, moreCards, monthStart, monthEnd, startRegion } from '../components/stats-figures.js';

const PERIODS = ['month', 'lastMonth', 'quarter', 'year', 'custom'];
const WALL_REFRESH_MS = 60 * 1000;
const pct = (v) => (v === null || v === undefined ? null : Math.round(v * 1000) / 10);

/** The register's hash for the cases of a region and period, plus `extra` filters. */
export function registerLink(regionId, from, to, extra = {}) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ region_id: regionId, from, to, ...extra })) if (v) p.append(k, String(v));
  return '/cases?' + p.toString();
}

// A horizontal bar chart of items [{key, name, value}], largest at the top; empty says so.
// Each bar carries its item's key, which a click drills down by.
function barsOption(items, color) {
  const rows = [...items].reverse();
  return {
    grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { width: 96, overflow: 'truncate' } },
    series: [{
      type: 'bar', name: M.stats.received, data: rows.map((r) => ({ value: r.value, key: r.key })), itemStyle: { color },
      label: { show: true, position: 'right' }, cursor: 'pointer', barMaxWidth: 22,
    }],
    title: items.length ? undefined : { text: M.stats.noData, left: 'center', top: 'middle', textStyle: { fontSize: 14, fontWeight: 'normal' } },
  };
}

export default {
  name: 'StatsScreen',
  components: { PageHead, RegionPicker, JfChart },
  setup() {
    const root = ref(null);
    const q = hashQuery();
    const state = reactive({
      regionId: Number(q.region_id) || null,
      period: PERIODS.includes(q.period) ? q.period : 'month',
      custom: q.period === 'custom' && q.from && q.to ? [q.from, q.to] : null,
      loading: false,
      loadedAt: null,
    });
    const regionCache = ref([]);
    const summary = ref(null);
    const byCategory = ref([]);
    const byRegion = ref([]);
    const byMonth = ref([]);
    const wall = ref(false);
    let timer = null;

    const range = computed(() => periodRange(state.period, new Date(), state.custom));
    const cards = computed(() => (summary.value ? headlineCards(summary.value) : []));
    const more = computed(() => (summary.value ? moreCards(summary.value) : []));
    const theme = computed(() => (wall.value ? 'dark' : ''));
    const regionName = computed(() => (summary.value && summary.value.region_name) || (root.value && root.value.name) || '');
    const wallTitle = computed(() => t(M.stats.wallTitle, { region: regionName.value }));
    const periodText = computed(() => (range.value ? t(M.stats.periodText, range.value) : ''));
    const fail = (e) => { if (e.status !== 401) ElMessage.error(t(M.common.loadFailed, { msg: e.message })); };

    async function load() {
      const r = range.value;
      if (!r || !state.regionId) return;
      replaceQuery({
        region_id: root.value && state.regionId !== root.value.id ? state.regionId : null,
        period: state.period !== 'month' ? state.period : null,
        from: state.period === 'custom' ? r.from : null,
        to: state.period === 'custom' ? r.to : null,
      });
      state.loading = true;
      const base = { region_id: state.regionId, from: r.from, to: r.to };
      // The trend: the twelve calendar months up to the period's end, whatever the period.
      const trend = { region_id: state.regionId, from: monthStart(r.to, 11), to: r.to, by: 'month' };
      try {
        const [s, cat, reg, mon] = await Promise.all([
          api.get('/stats/summary', base),
          api.get('/stats/breakdown', { ...base, by: 'category' }),
          api.get('/stats/breakdown', { ...base, by: 'region' }),
          api.get('/stats/breakdown', trend),
        ]);
        summary.value = s;
        byCategory.value = cat.items || [];
        byRegion.value = reg.items || [];
        byMonth.value = mon.items || [];
        state.loadedAt = new Date();
      } catch (e) {
        fail(e);
      } finally {
        state.loading = false;
      }
    }

    const trendOption = computed(() => ({
      grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      xAxis: { type: 'category', data: byMonth.value.map((i) => i.name), boundaryGap: false },
      yAxis: [
        { type: 'value', name: M.stats.unitCases, minInterval: 1 },
        { type: 'value', name: '%', min: 0, max: 100, splitLine: { show: false } },
      ],
      series: [
        { type: 'line', name: M.stats.received, data: byMonth.value.map((i) => i.total), areaStyle: { opacity: 0.15 }, symbolSize: 8, cursor: 'pointer' },
        { type: 'line', name: M.stats.headlines.resolution, yAxisIndex: 1, data: byMonth.value.map((i) => pct(i.rates && i.rates.resolution_rate)), symbolSize: 6, cursor: 'pointer' },
      ],
    }));
    const categoryOption = computed(() => barsOption(
      [...byCategory.value].sort((a, b) => b.total - a.total).map((i) => ({ key: i.key, name: i.name, value: i.total })), '#409eff'));
    const regionOption = computed(() => barsOption(
      [...byRegion.value].sort((a, b) => b.total - a.total).map((i) => ({ key: i.key, name: i.name, value: i.total })), '#67c23a'));
    const regionHeight = computed(() => `${Math.max(320, byRegion.value.length * 26 + 40)}px`);
    const categoryHeight = computed(() => `${Math.max(320, byCategory.value.length * 26 + 40)}px`);

    // The lifecycle: received → accepted → mediated → agreed → fulfilled (summary.figures,
    // docs/metrics.md); a click opens the register of the whole period (it has no such filters).
    const FUNNEL = ['received', 'accepted', 'mediated', 'agreed', 'fulfilled'];
    const funnelOption = computed(() => {
      const f = (summary.value && summary.value.figures) || {};
      const value = (k) => (k === 'received' ? (summary.value ? summary.value.total : 0) : f[k] || 0);
      return {
        tooltip: { trigger: 'item', formatter: '{b}：{c}' },
        series: [{
          type: 'funnel', left: '10%', width: '80%', top: 8, bottom: 8, sort: 'none', minSize: '36%', cursor: 'pointer',
          label: { show: true, position: 'inside', formatter: '{b} {c}' },
          data: FUNNEL.map((k) => ({ name: M.stats.funnel[k], value: value(k) })),
        }],
      };
    });

    // Drill-downs: each chart opens the register filtered to the cases behind what was clicked.
    const r = () => range.value || {};
    function pickCategory(e) {
      if (e.data && e.data.key) go(registerLink(state.regionId, r().from, r().to, { category: e.data.key }));
    }
    function pickRegion(e) {
      if (e.data && e.data.key) go(registerLink(Number(e.data.key), r().from, r().to));
    }
    function pickMonth(e) {
      const item = byMonth.value[e.dataIndex];
      if (!item) return;
      const from = item.key + '-01';
      const end = monthEnd(item.key);
      go(registerLink(state.regionId, from, end < r().to ? end : r().to));
    }
    const pickFunnel = () => go(registerLink(state.regionId, r().from, r().to));

    function changePeriod() {
      if (state.period !== 'custom') state.custom = null;
      if (range.value) load();
    }

    async function start() {
      ({ root: root.value, cache: regionCache.value } = await startRegion(state, fail));
      load();
    }

    // 大屏: full window (full screen where allowed), dark charts, reloading every 60 s.
    function enterWall() {
      wall.value = true;
      const el = document.documentElement;
      if (el.requestFullscreen) el.requestFullscreen().catch(() => {});
      timer = setInterval(load, WALL_REFRESH_MS);
    }
    function exitWall() {
      wall.value = false;
      if (timer) clearInterval(timer);
      timer = null;
      if (document.fullscreenElement && document.exitFullscreen) document.exitFullscreen().catch(() => {});
    }
    const onFullscreen = () => { if (!document.fullscreenElement && wall.value) exitWall(); };
    const onKey = (e) => { if (e.key === 'Escape' && wall.value) exitWall(); };

    onMounted(() => {
      document.addEventListener('fullscreenchange', onFullscreen);
      document.addEventListener('keydown', onKey);
      start();
    });
    onBeforeUnmount(() => {
      document.removeEventListener('fullscreenchange', onFullscreen);
      document.removeEventListener('keydown', onKey);
      exitWall();
    });

    return {
      M, PERIODS, state, regionCache, cards, more, range, regionName, periodText, wall, theme,
      trendOption, categoryOption, regionOption, funnelOption, regionHeight, categoryHeight,
      pickCategory, pickRegion, pickMonth, pickFunnel, load, changePeriod, enterWall, exitWall,
      wallTitle, Refresh, FullScreen, Close, dateTime,
    };
  },
  template: `
  <div class="jf-stats" :class="{ 'jf-stats-wall': wall }" data-test="stats">
    <div v-if="wall" class="jf-wall-head" data-test="wall-head">
      <div>
        <h1 class="jf-wall-title">{{ wallTitle }}</h1>
        <div class="jf-wall-sub">{{ periodText }} · {{ M.stats.wallRefresh }}{{ state.loadedAt ? ' · ' + M.stats.updatedAt + ' ' + dateTime(state.loadedAt.toISOString()) : '' }}</div>
      </div>
      <el-button :icon="Close" @click="exitWall" data-test="wall-exit">{{ M.stats.exitWall }}</el-button>
    </div>
    <template v-else>
      <page-head :title="M.stats.title" :subtitle="M.stats.subtitle">
        <el-button :icon="Refresh" @click="load" data-test="stats-refresh">{{ M.common.refresh }}</el-button>
        <el-button type="primary" :icon="FullScreen" @click="enterWall" data-test="stats-wall">{{ M.stats.wall }}</el-button>
      </page-head>
      <el-card shadow="never" class="jf-stats-filters">
        <div class="jf-stats-filter-row">
          <region-picker v-model="state.regionId" :cache="regionCache" :clearable="false" class="jf-select-md" @change="load" data-test="stats-region" />
          <el-radio-group v-model="state.period" @change="changePeriod" data-test="stats-period">
            <el-radio-button v-for="p in PERIODS" :key="p" :value="p">{{ M.stats.periods[p] }}</el-radio-button>
          </el-radio-group>
          <el-date-picker v-if="state.period === 'custom'" v-model="state.custom" type="daterange" value-format="YYYY-MM-DD"
            unlink-panels :start-placeholder="M.stats.from" :end-placeholder="M.stats.to" @change="changePeriod"
            class="jf-stats-dates" data-test="stats-dates" />
          <span class="jf-muted" data-test="stats-period-text">{{ periodText }}</span>
        </div>
      </el-card>
    </template>

    <div class="jf-stats-cards" v-loading="state.loading && !cards.length" data-test="stats-cards">
      <a v-for="c in cards" :key="c.key" class="jf-stat-card" :title="c.hint" :data-test="'stat-' + c.key">
        <div class="jf-stat-label">{{ c.label }}</div>
        <div class="jf-stat-value" data-test="stat-value">{{ c.value }}</div>
        <div v-if="c.asOf" class="jf-stat-cmp jf-muted">{{ c.asOf }}</div>
        <template v-else>
          <div class="jf-stat-cmp" :class="'is-' + c.prev.tone" data-test="stat-prev">{{ M.stats.vsPrevious }} {{ c.prev.arrow }}{{ c.prev.text }}</div>
          <div class="jf-stat-cmp" :class="'is-' + c.lastYear.tone" data-test="stat-last-year">{{ M.stats.vsLastYear }} {{ c.lastYear.arrow }}{{ c.lastYear.text }}</div>
        </template>
      </a>
      <a v-for="c in more" :key="c.key" class="jf-stat-card" :title="c.hint" :data-test="'stat-' + c.key">
        <div class="jf-stat-label">{{ c.label }}</div>
        <div class="jf-stat-value" data-test="stat-value">{{ c.value }}</div>
        <div class="jf-stat-cmp jf-muted">{{ c.note }}</div>
      </a>
    </div>

    <div class="jf-stats-charts">
      <el-card shadow="never" class="jf-stats-wide">
        <template #header>{{ M.stats.charts.trend }} <span class="jf-muted jf-stats-hint">{{ M.stats.clickHint }}</span></template>
        <jf-chart :option="trendOption" :theme="theme" height="300px" @pick="pickMonth" data-test="chart-trend" />
      </el-card>
      <el-card shadow="never">
        <template #header>{{ M.stats.charts.category }}</template>
        <jf-chart :option="categoryOption" :theme="theme" :height="categoryHeight" @pick="pickCategory" data-test="chart-category" />
      </el-card>
      <el-card shadow="never">
        <template #header>{{ M.stats.charts.region }}</template>
        <jf-chart :option="regionOption" :theme="theme" :height="regionHeight" @pick="pickRegion" data-test="chart-region" />
      </el-card>
      <el-card shadow="never" class="jf-stats-wide">
        <template #header>{{ M.stats.charts.funnel }}</template>
        <jf-chart :option="funnelOption" :theme="theme" height="300px" @pick="pickFunnel" data-test="chart-funnel" />
      </el-card>
    </div>
  </div>`,
};
