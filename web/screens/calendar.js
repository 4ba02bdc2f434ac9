// 工作日历: a year at a glance, twelve months, with the exceptions to the Monday–Friday week
// the server keeps (GET /api/v1/calendar?year=): statutory holidays (休) and make-up workdays
// (班). A top administrator clicks a day to make it a holiday, a workday or normal again
// (PUT / DELETE /api/v1/calendar/{date}). Beside it a deadline calculator asks the server
// (GET /api/v1/calendar/add) when N business or calendar days from a date run out: deadlines
// are the server's arithmetic, never computed here.

import { computed, onMounted, reactive, ref, watch } from 'vue';
import { ElMessage } from 'element-plus';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { isTopAdmin, loadScope } from '../session.js';
import { t, ymd, options } from '../format.js';
import PageHead from '../components/page-head.js';

const WEEK = () => M.calendar.weekdays; // 一 … 日, Monday first

function monthCells(year, month) {
  const first = new Date(year, month, 1);
  const lead = (first.getDay() + 6) % 7;
  const days = new Date(year, month + 1, 0).getDate();
  const cells = [];
  for (let i = 0; i < lead; i++) cells.push(null);
  for (let d = 1; d <= days; d++) {
    const date = new Date(year, month, d);
    cells.push({ d, date: ymd(date), weekend: date.getDay() === 0 || date.getDay() === 6 });
  }
  return cells;
}

export default {
  name: 'CalendarScreen',
  components: { PageHead },
  setup() {
    const thisYear = new Date().getFullYear();
    const year = ref(thisYear);
    const years = [thisYear - 1, thisYear, thisYear + 1];
    const days = ref([]); // [{date, kind, name}]
    const loading = ref(false);
    const editor = computed(isTopAdmin);
    const today = ymd(new Date());

    const fail = (e) => { if (e.status !== 401) ElMessage.error(t(M.common.loadFailed, { msg: e.message })); };

    async function load() {
      loading.value = true;
      try {
        const r = await api.get('/calendar', { year: year.value });
        days.value = r.days || [];
      } catch (e) {
        fail(e);
        days.value = [];
      } finally {
        loading.value = false;
      }
    }
    watch(year, load);

    const byDate = computed(() => new Map(days.value.map((d) => [d.date, d])));
    const months = computed(() => Array.from({ length: 12 }, (_, m) => ({
      m, title: t(M.calendar.month, { m: m + 1 }),
      cells: monthCells(year.value, m).map((c) => (c ? { ...c, x: byDate.value.get(c.date) || null } : null)),
    })));
    const sorted = computed(() => days.value.slice().sort((a, b) => a.date.localeCompare(b.date)));

    // ---- setting a day (top admin) ----
    const dialog = reactive({ open: false, date: '', kind: 'normal', name: '', saving: false, error: '' });
    function pick(c) {
      if (!c || !editor.value) return;
      Object.assign(dialog, { open: true, date: c.date, kind: c.x ? c.x.kind : 'normal', name: c.x ? (c.x.name || '') : '', error: '' });
    }

    async function saveDay() {
      if (dialog.saving) return;
      dialog.saving = true;
      dialog.error = '';
      try {
        if (dialog.kind === 'normal') {
          if (byDate.value.has(dialog.date)) await api.del(`/calendar/${dialog.date}`);
        } else {
          await api.put(`/calendar/${dialog.date}`, { kind: dialog.kind, name: dialog.name.trim() });
        }
        ElMessage.success(t(M.calendar.saved, { date: dialog.date }));
        dialog.open = false;
        load();
      } catch (e) {
        dialog.error = e.errors.length ? e.errors.map((x) => M.validation[x.code] || x.message).join(M.common.sentenceSep) : e.message;
      } finally {
        dialog.saving = false;
      }
    }

    // ---- deadline calculator ----
    const calc = reactive({ from: today, days: 30, kind: 'business', result: null, busy: false, error: '' });
    async function compute() {
      if (!calc.from || !calc.days) return;
      calc.busy = true;
      calc.error = '';
      try {
        calc.result = await api.get('/calendar/add', { from: calc.from, days: calc.days, kind: calc.kind });
      } catch (e) {
        calc.result = null;
        calc.error = e.message;
      } finally {
        calc.busy = false;
      }
    }
    const weekdayOf = (s) => {
      if (!s) return '';
      const [y, m, d] = s.split('-').map(Number);
      return M.calendar.weekdayNames[(new Date(y, m - 1, d).getDay() + 6) % 7];
    };

    onMounted(() => {
      load();
      loadScope().catch(() => {});
    });

    return {
      M, year, years, loading, months, sorted, editor, today, week: WEEK(), t,
      dialog, pick, saveDay, calc, compute, weekdayOf,
      kindOptions: options(M.calendarKinds), limitKinds: options(M.timeLimitKinds),
    };
  },
  template: `
  <div data-test="calendar">
    <page-head :title="M.calendar.title" :subtitle="M.calendar.subtitle">
      <el-select v-model="year" class="jf-select-sm" data-test="calendar-year">
        <el-option v-for="y in years" :key="y" :value="y" :label="t(M.calendar.year, { y })" />
      </el-select>
    </page-head>
    <div class="jf-split">
      <el-card shadow="never" class="jf-split-main" v-loading="loading">
        <div class="jf-cal-legend">
          <span><i class="jf-cal-dot is-holiday"></i>{{ M.calendar.legend.holiday }}</span>
          <span><i class="jf-cal-dot is-workday"></i>{{ M.calendar.legend.workday }}</span>
          <span><i class="jf-cal-dot is-weekend"></i>{{ M.calendar.legend.weekend }}</span>
          <span v-if="editor" class="jf-muted">{{ M.calendar.clickHint }}</span>
        </div>
        <div class="jf-cal-year" data-test="calendar-year-grid">
          <div v-for="mo in months" :key="mo.m" class="jf-cal-month">
            <div class="jf-cal-title">{{ mo.title }}</div>
            <div class="jf-cal-grid">
              <div v-for="w in week" :key="w" class="jf-cal-wd">{{ w }}</div>
              <template v-for="(c, i) in mo.cells" :key="i">
                <div v-if="!c" class="jf-cal-day is-blank"></div>
                <div v-else class="jf-cal-day" :data-date="c.date"
                  :class="{ 'is-weekend': c.weekend, 'is-holiday': c.x && c.x.kind === 'holiday', 'is-workday': c.x && c.x.kind === 'workday', 'is-today': c.date === today, 'is-editable': editor }"
                  :title="c.x ? c.x.name : ''" @click="pick(c)">
                  <span>{{ c.d }}</span>
                  <em v-if="c.x && c.x.kind === 'holiday'">{{ M.calendar.rest }}</em>
                  <em v-else-if="c.x && c.x.kind === 'workday'">{{ M.calendar.work }}</em>
                </div>
              </template>
            </div>
          </div>
        </div>
      </el-card>

      <div class="jf-split-side jf-split-side-wide jf-stack">
        <el-card shadow="never" data-test="deadline-calculator">
          <template #header>{{ M.calendar.calc.title }}</template>
          <el-form label-width="72px" @submit.prevent="compute">
            <el-form-item :label="M.calendar.calc.from">
              <el-date-picker v-model="calc.from" type="date" value-format="YYYY-MM-DD" :clearable="false" class="jf-fill" />
            </el-form-item>
            <el-form-item :label="M.calendar.calc.days">
              <el-input-number v-model="calc.days" :min="1" :max="999" controls-position="right" class="jf-fill" data-test="calc-days" />
            </el-form-item>
            <el-form-item :label="M.calendar.calc.kind">
              <el-radio-group v-model="calc.kind">
                <el-radio-button v-for="o in limitKinds" :key="o.value" :value="o.value">{{ o.label }}</el-radio-button>
              </el-radio-group>
            </el-form-item>
            <el-form-item>
              <el-button type="primary" :loading="calc.busy" @click="compute" data-test="calc-run">{{ M.calendar.calc.run }}</el-button>
            </el-form-item>
          </el-form>
          <el-alert v-if="calc.error" :title="calc.error" type="error" show-icon :closable="false" />
          <div v-else-if="calc.result" class="jf-calc-result" data-test="calc-result">
            {{ M.calendar.calc.due }} <strong>{{ calc.result.due }}</strong>（{{ weekdayOf(calc.result.due) }}）
          </div>
        </el-card>
        <el-card shadow="never">
          <template #header>{{ t(M.calendar.exceptions, { y: year }) }}</template>
          <el-table :data="sorted" size="small" max-height="420" :empty-text="M.calendar.noExceptions" data-test="calendar-exceptions">
            <el-table-column prop="date" :label="M.calendar.cols.date" width="104" />
            <el-table-column :label="M.calendar.cols.kind" width="64">
              <template #default="{ row }">
                <el-tag :type="row.kind === 'holiday' ? 'danger' : 'warning'" size="small">{{ row.kind === 'holiday' ? M.calendar.rest : M.calendar.work }}</el-tag>
              </template>
            </el-table-column>
            <el-table-column prop="name" :label="M.calendar.cols.name" show-overflow-tooltip />
          </el-table>
        </el-card>
      </div>
    </div>

    <el-dialog v-model="dialog.open" :title="t(M.calendar.setTitle, { date: dialog.date })" width="440px" data-test="calendar-dialog">
      <el-form label-width="72px" @submit.prevent="saveDay">
        <el-form-item :label="M.calendar.cols.kind">
          <el-radio-group v-model="dialog.kind" class="jf-radio-col">
            <el-radio v-for="o in kindOptions" :key="o.value" :value="o.value">{{ o.label }}</el-radio>
          </el-radio-group>
        </el-form-item>
        <el-form-item v-if="dialog.kind !== 'normal'" :label="M.calendar.cols.name">
          <el-input v-model="dialog.name" :placeholder="M.calendar.namePlaceholder" />
        </el-form-item>
        <el-alert v-if="dialog.error" :title="dialog.error" type="error" show-icon :closable="false" />
      </el-form>
      <template #footer>
        <el-button @click="dialog.open = false">{{ M.common.cancel }}</el-button>
        <el-button type="primary" :loading="dialog.saving" @click="saveDay" data-test="calendar-save">{{ M.common.save }}</el-button>
      </template>
    </el-dialog>
  </div>`,
};
