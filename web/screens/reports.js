// 研判专报: the monthly reports of a region. A leader picks a region (default: their whole
// jurisdiction) and a month and generates a draft (POST /api/v1/reports); the list shows every
// version, newest month first; a row opens the report (screens/report-detail.js).

import { onMounted, reactive, ref, watch } from 'vue';
import { ElMessage } from 'element-plus';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { t, dateTime, fieldErrors } from '../format.js';
import { go } from '../router.js';
import { loadScope } from '../session.js';
import PageHead from '../components/page-head.js';
import RegionPicker from '../components/region-picker.js';

/** Last month as YYYY-MM: a monthly report is written after its month ends. */
function lastMonth(now) {
  const d = new Date(now.getFullYear(), now.getMonth() - 1, 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/** The last quarter as YYYY-Qn (the one whose summary is now owed) and the seven before it. */
function quarters(now) {
  const out = [];
  let y = now.getFullYear(), q = Math.floor(now.getMonth() / 3); // q: the last quarter, 0 = Q4 of y-1
  for (let i = 0; i < 8; i++) {
    if (q === 0) { y -= 1; q = 4; }
    out.push(`${y}-Q${q}`);
    q -= 1;
  }
  return out;
}

const Q = M.reportsQuarterly;

export default {
  name: 'ReportsScreen',
  components: { PageHead, RegionPicker },
  setup() {
    const quarterList = quarters(new Date());
    const form = reactive({ kind: 'monthly', region_id: null, period: lastMonth(new Date()), quarter: quarterList[0] });
    const status = ref(null);
    const items = ref([]);
    const errors = ref({});
    const busy = ref(false);
    const loading = ref(false);

    function fail(e) {
      if (e.status === 400) errors.value = fieldErrors(e, ['region_id', 'period', 'kind']).fields;
      else if (e.status !== 401) ElMessage.error(t(M.reports.failed, { msg: e.message }));
    }

    async function load() {
      loading.value = true;
      try {
        items.value = (await api.get('/reports', { region_id: form.region_id, per_page: 100 })).items;
        // Which counties and townships have issued the quarter's summary (季度总结).
        status.value = await api.get('/reports/quarterly', { region_id: form.region_id, period: form.quarter });
      } catch (e) {
        fail(e);
      } finally {
        loading.value = false;
      }
    }

    async function generate() {
      errors.value = {};
      busy.value = true;
      try {
        const period = form.kind === 'quarterly' ? form.quarter : form.period;
        const r = await api.post('/reports', { kind: form.kind, region_id: form.region_id, period });
        ElMessage.success(t(M.reports.generated, { v: r.version }));
        go('/reports/' + r.id);
      } catch (e) {
        fail(e);
      } finally {
        busy.value = false;
      }
    }

    onMounted(async () => {
      try {
        const root = await loadScope();
        if (!form.region_id && root) form.region_id = root.id;
      } catch (e) {
        fail(e);
      }
      load();
    });
    watch(() => [form.region_id, form.quarter], load);

    return { M, Q, quarterList, status, t, form, items, errors, busy, loading, generate, dateTime, open: (r) => go('/reports/' + r.id) };
  },
  template: `
  <div data-test="reports">
    <page-head :title="M.reports.title" :subtitle="M.reports.subtitle" />
    <el-card shadow="never" class="jf-reports-form">
      <el-form inline label-position="left" @submit.prevent="generate">
        <el-form-item :label="M.reports.region" :error="errors.region_id">
          <region-picker v-model="form.region_id" :clearable="false" class="jf-reports-region" data-test="reports-region" />
        </el-form-item>
        <el-form-item :label="Q.kind">
          <el-radio-group v-model="form.kind" data-test="reports-kind">
            <el-radio-button value="monthly">{{ Q.kinds.monthly }}</el-radio-button>
            <el-radio-button value="quarterly">{{ Q.kinds.quarterly }}</el-radio-button>
          </el-radio-group>
        </el-form-item>
        <el-form-item v-if="form.kind === 'monthly'" :label="M.reports.period" :error="errors.period">
          <span data-test="reports-period"><el-date-picker v-model="form.period" type="month" value-format="YYYY-MM" :clearable="false" /></span>
        </el-form-item>
        <el-form-item v-else :label="Q.quarter" :error="errors.period">
          <el-select v-model="form.quarter" style="width: 120px" data-test="reports-quarter">
            <el-option v-for="q in quarterList" :key="q" :label="q" :value="q" />
          </el-select>
        </el-form-item>
        <el-form-item>
          <el-button type="primary" native-type="submit" :loading="busy" :disabled="!form.region_id" data-test="reports-generate">{{ M.reports.generate }}</el-button>
        </el-form-item>
      </el-form>
    </el-card>
    <el-table :data="items" v-loading="loading" :empty-text="M.reports.empty" @row-click="open" class="jf-reports-list" data-test="reports-list">
      <el-table-column :label="Q.periodCol" prop="period" width="90" />
      <el-table-column :label="Q.kind" width="110">
        <template #default="{ row }">{{ Q.kinds[row.kind] || row.kind }}</template>
      </el-table-column>
      <el-table-column :label="M.reports.version" width="72">
        <template #default="{ row }">{{ M.reports.versionN.replace('{v}', row.version) }}</template>
      </el-table-column>
      <el-table-column :label="M.reports.state" width="84">
        <template #default="{ row }">
          <el-tag :type="row.state === 'issued' ? 'success' : 'info'" size="small">{{ M.reports.states[row.state] }}</el-tag>
        </template>
      </el-table-column>
      <el-table-column :label="M.reports.region" prop="region_name" min-width="140" />
      <el-table-column :label="M.reports.issuedBy" prop="issued_by_name" width="110" />
      <el-table-column :label="M.reports.issuedAt" min-width="150">
        <template #default="{ row }">{{ row.issued_at ? dateTime(row.issued_at) : '' }}</template>
      </el-table-column>
      <el-table-column width="80">
        <template #default="{ row }"><el-button link type="primary" @click.stop="open(row)">{{ M.reports.open }}</el-button></template>
      </el-table-column>
    </el-table>
    <el-card v-if="status && form.kind === 'quarterly'" shadow="never" class="jf-reports-quarterly" data-test="reports-quarterly">
      <template #header>
        <strong>{{ t(Q.statusTitle, { period: status.period, due: status.due_on }) }}</strong>
        <span class="jf-muted"> {{ t(Q.statusSummary, { issued: status.issued, owing: status.owing }) }}</span>
      </template>
      <el-table :data="status.items" size="small" :empty-text="M.reports.empty" max-height="360">
        <el-table-column :label="Q.unit" prop="region_name" min-width="110" />
        <el-table-column :label="Q.level" width="104">
          <template #default="{ row }">{{ Q.levels[row.level] || row.level }}</template>
        </el-table-column>
        <el-table-column :label="M.reports.state" width="110">
          <template #default="{ row }">
            <el-tag v-if="row.issued_version" type="success" size="small">{{ Q.issued }} {{ t(Q.issuedVersion, { v: row.issued_version }) }}</el-tag>
            <el-tag v-else type="danger" size="small">{{ Q.owing }}</el-tag>
          </template>
        </el-table-column>
        <el-table-column :label="M.reports.issuedAt" min-width="140">
          <template #default="{ row }">{{ row.issued_at ? dateTime(row.issued_at) : '' }}</template>
        </el-table-column>
        <el-table-column :label="Q.reminders" prop="reminders" width="110" />
      </el-table>
    </el-card>
  </div>`,
};
