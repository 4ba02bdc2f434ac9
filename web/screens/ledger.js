// 纠纷台账: a leader picks a region (default: their whole jurisdiction) and a period, sees how
// many cases were received in it (the register's total for the same filter) and downloads
// the ledger as Excel or CSV (GET /api/v1/ledger; one row per case received in the period;
// phones masked; every download audited). Two single-date pickers rather than a range
// picker: the range picker's two calendars do not fit a phone.

import { onMounted, reactive, ref, watch } from 'vue';
import { ElMessage } from 'element-plus';
import { Download } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { t, ymd, num, fieldErrors } from '../format.js';
import PageHead from '../components/page-head.js';
import RegionPicker from '../components/region-picker.js';

/** The quick periods: [key, first day, last day] from today. */
function periods(now) {
  const y = now.getFullYear(), m = now.getMonth();
  const q = Math.floor(m / 3) * 3;
  const d = (yy, mm, dd) => ymd(new Date(yy, mm, dd));
  return {
    thisMonth: [d(y, m, 1), ymd(now)],
    lastMonth: [d(y, m - 1, 1), d(y, m, 0)],
    thisQuarter: [d(y, q, 1), ymd(now)],
    lastQuarter: [d(y, q - 3, 1), d(y, q, 0)],
    thisYear: [d(y, 0, 1), ymd(now)],
  };
}

export default {
  name: 'LedgerScreen',
  components: { PageHead, RegionPicker },
  setup() {
    const quick = periods(new Date());
    const form = reactive({ region_id: null, from: quick.thisMonth[0], to: quick.thisMonth[1], format: 'xlsx' });
    const count = ref(null); // cases received in the period, as the register counts them
    const errors = ref({});
    const problem = ref('');
    const busy = ref(false);
    let seq = 0;

    const filter = () => ({ region_id: form.region_id, from: form.from, to: form.to });

    function show(e) {
      const { fields, other } = fieldErrors(e, ['region_id', 'from', 'to', 'format']);
      errors.value = fields;
      problem.value = other.join(M.common.sentenceSep);
    }

    async function countCases() {
      const mine = ++seq;
      errors.value = {};
      problem.value = '';
      if (!form.from || !form.to) {
        count.value = null;
        return;
      }
      try {
        const r = await api.get('/cases', { ...filter(), per_page: 1 });
        if (mine === seq) count.value = r.total;
      } catch (e) {
        if (mine !== seq) return;
        count.value = null;
        if (e.status === 400) show(e);
        else if (e.status !== 401) ElMessage.error(t(M.common.loadFailed, { msg: e.message }));
      }
    }

    function pick(key) {
      [form.from, form.to] = quick[key];
    }

    async function download() {
      busy.value = true;
      try {
        const name = await api.download('/ledger', { ...filter(), format: form.format }, `ledger.${form.format}`);
        ElMessage.success(t(M.ledger.saved, { name }));
      } catch (e) {
        if (e.status === 400) show(e);
        else if (e.status !== 401) ElMessage.error(t(M.ledger.failed, { msg: e.message }));
      } finally {
        busy.value = false;
      }
    }

    watch(() => [form.region_id, form.from, form.to], countCases);
    onMounted(countCases);

    return {
      M, form, count, errors, problem, busy, pick, download, num, Download,
      quickKeys: Object.keys(quick),
    };
  },
  template: `
  <div data-test="ledger">
    <page-head :title="M.ledger.title" :subtitle="M.ledger.subtitle" />
    <el-card shadow="never" class="jf-ledger">
      <el-form label-position="top" @submit.prevent="download">
        <el-form-item :label="M.ledger.region" :error="errors.region_id">
          <region-picker v-model="form.region_id" :placeholder="M.ledger.regionAll" class="jf-ledger-field" data-test="ledger-region" />
        </el-form-item>
        <el-form-item :label="M.ledger.period" :error="errors.from || errors.to" required>
          <div class="jf-ledger-quick">
            <el-button v-for="k in quickKeys" :key="k" size="small" @click="pick(k)" :data-test="'ledger-' + k">{{ M.ledger.quick[k] }}</el-button>
          </div>
          <div class="jf-ledger-dates" data-test="ledger-dates">
            <el-date-picker v-model="form.from" type="date" value-format="YYYY-MM-DD" :clearable="false"
              :placeholder="M.ledger.from" class="jf-ledger-date" />
            <span class="jf-muted">{{ M.ledger.until }}</span>
            <el-date-picker v-model="form.to" type="date" value-format="YYYY-MM-DD" :clearable="false"
              :placeholder="M.ledger.to" class="jf-ledger-date" />
          </div>
        </el-form-item>
        <el-form-item :label="M.ledger.format" :error="errors.format">
          <el-radio-group v-model="form.format" data-test="ledger-format">
            <el-radio value="xlsx">{{ M.ledger.xlsx }}</el-radio>
            <el-radio value="csv">{{ M.ledger.csv }}</el-radio>
          </el-radio-group>
        </el-form-item>
        <el-alert v-if="problem" :title="problem" type="warning" show-icon :closable="false" class="jf-list-problem" data-test="ledger-problem" />
        <p class="jf-ledger-count" data-test="ledger-count">
          <template v-if="count !== null">{{ M.ledger.countPrefix }}<strong>{{ num(count) }}</strong>{{ M.ledger.countSuffix }}</template>
        </p>
        <el-button type="primary" :icon="Download" :loading="busy" :disabled="!form.from || !form.to" native-type="submit" data-test="ledger-download">{{ M.ledger.download }}</el-button>
        <p class="jf-muted jf-ledger-note">{{ M.ledger.note }}</p>
      </el-form>
    </el-card>
  </div>`,
};
