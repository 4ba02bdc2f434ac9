// 定期排查 (#/investigation): scheduled investigation with zero-reports (docs/risk.md).
//   本单位本期排查: for the staff of a unit (grid workers, village mediators) the report of the
//     current period — one tap files a 零报告 (POST /api/v1/investigation/reports
//     {org_id, zero_report: true}); "添加发现的纠纷" adds disputes found, each registered as a
//     case with channel 排查发现, with the hazards seen. Phones first: one column at 390 px.
//   排查日历: periods × units of the caller's jurisdiction (GET /api/v1/investigation/reports),
//     each cell 已报 / 零报告 / 待报 / 逾期未报, with 排查率 and 上报率 per unit
//     (GET /api/v1/investigation/completion).
//   逾期未报的单位: the reports missed (?state=missed); the scheduler warned the level above.

import { computed, onMounted, reactive, ref } from 'vue';
import { ElMessage } from 'element-plus';
import { Refresh, Plus, Check } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { session, hasRole } from '../session.js';
import { t, options, categoryName, dateTime, ymd, fieldErrors } from '../format.js';
import PageHead from '../components/page-head.js';

const WEEKS = 8;
const STATE_TAG = { filed: 'success', zero: 'info', due: 'warning', missed: 'danger' };
const cellState = (r) => (r.state === 'filed' && r.zero_report ? 'zero' : r.state);
const pct = (x) => (x === null || x === undefined ? '—' : `${Math.round(x * 1000) / 10}%`);

export default {
  name: 'InvestigationScreen',
  components: { PageHead },
  setup() {
    const today = ymd(new Date());
    const from = ymd(new Date(Date.now() - WEEKS * 7 * 86400000));
    const reports = ref([]);
    const missed = ref([]);
    const completion = ref([]);
    const loading = ref(false);
    const sending = ref(false);
    const mine = ref(null); // this period's report of the caller's unit, once known
    const filedCases = ref([]); // the cases the report just filed registered or linked
    const errors = ref({});
    const form = reactive({ findings: [], hazards: '' });
    const canFile = computed(() => hasRole(['grid_worker', 'mediator', 'admin']) && !!session.user?.org_id);
    const fail = (e) => { if (e.status !== 401) ElMessage.error(t(M.common.loadFailed, { msg: e.message })); };

    async function load() {
      loading.value = true;
      try {
        const [all, miss, comp] = await Promise.all([
          api.get('/investigation/reports', { from, to: today, per_page: 500 }),
          api.get('/investigation/reports', { state: 'missed', per_page: 100 }),
          api.get('/investigation/completion', { from, to: today }),
        ]);
        reports.value = all.items;
        missed.value = miss.items;
        completion.value = comp.items;
        mine.value = all.items.find((r) => r.org_id === session.user?.org_id && r.period_start <= today && r.period_end >= today) || null;
      } catch (e) {
        fail(e);
      } finally {
        loading.value = false;
      }
    }

    // The calendar: one row per unit, one column per period start (newest first).
    const periods = computed(() => [...new Set(reports.value.map((r) => r.period_start))].sort().reverse());
    const units = computed(() => {
      const byUnit = new Map();
      for (const r of reports.value) {
        if (!byUnit.has(r.org_id)) byUnit.set(r.org_id, { org_id: r.org_id, org_name: r.org_name, region_name: r.region_name, cells: {} });
        byUnit.get(r.org_id).cells[r.period_start] = r;
      }
      const rates = new Map(completion.value.map((c) => [c.org_id, c]));
      return [...byUnit.values()].map((u) => ({ ...u, rates: rates.get(u.org_id) }));
    });

    async function file(body, done) {
      sending.value = true;
      errors.value = {};
      try {
        mine.value = await api.post('/investigation/reports', { org_id: session.user.org_id, ...body });
        filedCases.value = mine.value.cases || []; // the list (load) does not name them
        ElMessage.success(done);
        form.findings = [];
        form.hazards = '';
        load();
      } catch (e) {
        errors.value = fieldErrors(e, []);
        ElMessage.error(e.message);
      } finally {
        sending.value = false;
      }
    }
    const zeroReport = () => file({ zero_report: true }, M.investigation.zeroDone);
    const addFinding = () => form.findings.push({ category: null, facts: '', name: '' });
    const submit = () => file({
      hazards: form.hazards || undefined,
      findings: form.findings.map((f) => ({
        category: f.category, complexity: 'simple', facts: f.facts, parties: [{ role: 'applicant', name: f.name }],
      })),
    }, M.investigation.filed);

    onMounted(load);
    return {
      M, t, today, reports, missed, loading, sending, mine, filedCases, form, errors, canFile, periods, units, session,
      load, zeroReport, addFinding, submit, cellState, pct, STATE_TAG, options, categoryName, dateTime,
      Refresh, Plus, Check,
    };
  },
  template: `
  <div data-test="investigation">
    <page-head :title="M.investigation.title" :subtitle="M.investigation.subtitle">
      <el-button :icon="Refresh" @click="load">{{ M.common.refresh }}</el-button>
    </page-head>

    <el-card v-if="canFile" shadow="never" class="jf-block-b" data-test="my-report">
      <template #header>{{ M.investigation.mine }} · {{ session.user.org_name }}</template>
      <div v-if="mine && mine.state === 'filed'" data-test="my-report-filed">
        <el-tag :type="STATE_TAG[cellState(mine)]" effect="dark" size="large">{{ M.investigation.states[cellState(mine)] }}</el-tag>
        <span class="jf-muted jf-tag-after">{{ M.investigation.periods[mine.period] }} {{ t(M.investigation.period, { start: mine.period_start, end: mine.period_end }) }}</span>
        <div class="jf-muted">{{ t(M.investigation.filedAt, { date: dateTime(mine.filed_at) }) }}</div>
        <div v-if="mine.findings" class="jf-block" data-test="my-report-findings">{{ t(M.investigation.found, { n: mine.findings }) }}<a
          v-for="c in filedCases" :key="c.id" :href="'#/cases/' + c.id" class="jf-case-link jf-tag-after" data-test="my-report-case">{{ c.number }}</a></div>
        <div v-if="mine.hazards" class="jf-block"><span class="jf-muted">{{ M.investigation.hazards }}：</span>{{ mine.hazards }}</div>
      </div>
      <div v-else>
        <div v-if="mine" class="jf-muted jf-block-b">{{ M.investigation.periods[mine.period] }} {{ t(M.investigation.period, { start: mine.period_start, end: mine.period_end }) }} · {{ t(M.investigation.dueOn, { date: mine.due_on }) }}</div>
        <el-button type="primary" size="large" class="jf-zero-button" :icon="Check" :loading="sending" @click="zeroReport" data-test="zero-report">{{ M.investigation.zeroReport }}</el-button>
        <div class="jf-muted jf-block-b">{{ M.investigation.zeroHint }}</div>
        <el-form label-position="top" @submit.prevent>
          <div v-for="(f, i) in form.findings" :key="i" class="jf-finding" data-test="finding">
            <div class="jf-unit-head">{{ t(M.investigation.finding, { n: i + 1 }) }}
              <el-button link type="danger" @click="form.findings.splice(i, 1)">{{ M.investigation.removeFinding }}</el-button></div>
            <el-form-item :label="M.investigation.category" :error="errors['findings[' + i + '].category']">
              <el-select v-model="f.category" filterable style="width: 100%" data-test="finding-category">
                <el-option v-for="o in options(M.categories)" :key="o.value" :label="o.label" :value="o.value" />
              </el-select>
            </el-form-item>
            <el-form-item :label="M.investigation.facts" :error="errors['findings[' + i + '].facts']">
              <el-input v-model="f.facts" type="textarea" :rows="2" data-test="finding-facts" />
            </el-form-item>
            <el-form-item :label="M.investigation.applicant" :error="errors['findings[' + i + '].parties[0].name']">
              <el-input v-model="f.name" data-test="finding-name" />
            </el-form-item>
          </div>
          <el-button :icon="Plus" @click="addFinding" class="jf-block-b" data-test="add-finding">{{ M.investigation.addFinding }}</el-button>
          <el-form-item :label="M.investigation.hazards" :error="errors.hazards || errors.findings">
            <el-input v-model="form.hazards" type="textarea" :rows="2" data-test="hazards" />
          </el-form-item>
          <el-button type="primary" :loading="sending" :disabled="!form.findings.length && !form.hazards" @click="submit" data-test="submit-report">{{ M.investigation.submit }}</el-button>
        </el-form>
      </div>
    </el-card>

    <el-card shadow="never" class="jf-block-b" data-test="missed">
      <template #header>{{ M.investigation.missedTitle }} <el-badge :value="missed.length" :hidden="!missed.length" type="danger" /></template>
      <el-empty v-if="!missed.length" :description="M.investigation.noMissed" :image-size="60" />
      <el-table v-else :data="missed" size="small" stripe data-test="missed-table">
        <el-table-column :label="M.investigation.unit" min-width="180" prop="org_name" show-overflow-tooltip />
        <el-table-column :label="M.investigation.calendar" min-width="190">
          <template #default="{ row }">{{ M.investigation.periods[row.period] }} {{ t(M.investigation.period, { start: row.period_start, end: row.period_end }) }}</template>
        </el-table-column>
        <el-table-column width="150">
          <template #default="{ row }"><el-tag type="danger" size="small">{{ M.investigation.states.missed }}</el-tag>
            <div v-if="row.miss_raised_at" class="jf-muted">{{ M.investigation.raised }}</div></template>
        </el-table-column>
      </el-table>
    </el-card>

    <el-card shadow="never" data-test="calendar">
      <template #header>{{ M.investigation.calendar }}</template>
      <el-empty v-if="!units.length && !loading" :description="M.investigation.empty" :image-size="60" />
      <el-table v-else :data="units" v-loading="loading" size="small" border data-test="calendar-table">
        <el-table-column :label="M.investigation.unit" min-width="170" fixed>
          <template #default="{ row }">{{ row.org_name }}<div class="jf-muted">{{ row.region_name }}</div></template>
        </el-table-column>
        <el-table-column :label="M.investigation.completion" width="120">
          <template #default="{ row }"><span data-test="rates">{{ pct(row.rates?.investigation_rate) }} / {{ pct(row.rates?.reporting_rate) }}</span></template>
        </el-table-column>
        <el-table-column v-for="p in periods" :key="p" :label="p.slice(5)" width="92" align="center">
          <template #default="{ row }">
            <el-tag v-if="row.cells[p]" :type="STATE_TAG[cellState(row.cells[p])]" size="small" data-test="cell">{{ M.investigation.states[cellState(row.cells[p])] }}</el-tag>
          </template>
        </el-table-column>
      </el-table>
    </el-card>
  </div>`,
};
