// 专报详情: one version of a monthly 研判预警专报. The generated sections (figures kept with the
// version when it was generated, docs/reports.md) are shown as tables and a chart; the analyst's
// section is a textarea while the report is a draft; 签发 freezes it; an issued report shows who
// issued it and when, and 修订 makes the next version as a new draft. 打印 opens an A4 print view
// (web/print.css, the stylesheet of the printed documents) built from the same tables.

import { computed, onMounted, ref } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { t, dateTime, num, categoryName, caseStateName, riskName, fieldErrors } from '../format.js';
import { go, goBackTo } from '../router.js';
import PageHead from '../components/page-head.js';
import JfChart from '../components/chart.js';
import { columns } from '../media.js';

const R = M.reports;
const Q = M.reportsQuarterly;
const pct = (v) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);
const count = (v) => (v === null || v === undefined ? '—' : num(v));

/** The generated sections as tables: {key, title, head, rows, note}; shared by screen and print. */
export function sections(g) {
  if (!g) return [];
  const o = g.overview || {};
  const rates = Object.keys(R.rates).filter((k) => o.rates && k in o.rates);
  // A quarterly summary (季度总结) compares quarters and has no high-risk list.
  const q = !!g.comparison.previous_quarter;
  const prev = q ? g.comparison.previous_quarter : g.comparison.previous_month;
  const ly = q ? g.comparison.same_quarter_last_year : g.comparison.same_month_last_year;
  const total = o.total || 0;
  const share = (n) => (total ? `${((n / total) * 100).toFixed(1)}%` : '—');
  const spots = [...(g.hot_spots || [])].sort((a, b) => b.total - a.total);
  const hr = g.high_risk || { cases: [] };
  return numbered([
    {
      key: 'overview', title: R.sections.overview, head: [R.item, R.value],
      rows: [[R.total, count(o.total)], ...rates.map((k) => [R.rates[k], pct(o.rates[k])]),
        [R.incidence, o.incidence_per_10k === null || o.incidence_per_10k === undefined ? '—' : o.incidence_per_10k.toFixed(2)]],
    },
    {
      key: 'comparison', title: R.sections.comparison,
      // A quarter's labels are in the quarterly block (本季度, 上季度, 去年同季度).
      head: q
        ? [R.item, Q.thisQuarter, t(Q.previousQuarter, { p: prev.period }), t(Q.lastYear, { p: ly.period })]
        : [R.item, R.thisMonth, t(R.previousMonth, { p: prev.period }), t(R.lastYear, { p: ly.period })],
      rows: [[R.total, count(o.total), count(prev.total), count(ly.total)],
        ...rates.map((k) => [R.rates[k], pct(o.rates[k]), pct(prev.rates[k]), pct(ly.rates[k])])],
    },
    {
      key: 'categories', title: R.sections.categories, head: [R.category, R.total, R.share, R.rates.success_rate],
      rows: (g.categories || []).map((c) => [c.name || categoryName(c.key), count(c.total), share(c.total), pct(c.rates.success_rate)]),
    },
    {
      key: 'hotSpots', title: R.sections.hotSpots, head: [R.regionName, R.total, R.share, R.incidence],
      rows: spots.map((c) => [c.name, count(c.total), share(c.total),
        c.incidence_per_10k === null || c.incidence_per_10k === undefined ? '—' : c.incidence_per_10k.toFixed(2)]),
    },
    ...(q ? [] : [{
      key: 'highRisk', title: R.sections.highRisk, head: [R.caseNumber, R.category, R.risk, R.reasons, R.caseState, R.due],
      widths: [180, 100, 80, 360, 90, 110],
      note: `${R.red} ${hr.red} · ${R.orange} ${hr.orange}`,
      rows: hr.cases.map((c) => [c.number, categoryName(c.category), riskName(c.risk), c.risk_reasons || '',
        caseStateName(c.state), c.due_date || '']),
      empty: R.noRisk,
    }]),
    {
      key: 'backlog', title: R.sections.backlog, head: [R.item, R.value],
      note: t(R.asOf, { date: g.overdue && g.overdue.as_of }),
      rows: [[R.overdue, count(g.overdue && g.overdue.count)], [R.overdueRate, pct(g.overdue && g.overdue.rate)],
        [R.awaiting, count(g.awaiting_feedback)]],
    },
  ]);
}

const NUMERALS = '一二三四五六七八九十';
/** Numbers the sections in order (一、二、…): the quarterly summary has no high-risk section. */
function numbered(list) {
  return list.map((s, i) => ({ ...s, title: `${NUMERALS[i]}、${s.title.replace(/^[一二三四五六七八九十]+、/, '')}` }));
}
/** The analysis comes after the generated sections, numbered after them. */
export function analysisTitle(g) {
  return `${NUMERALS[sections(g).length]}、${R.sections.analysis.replace(/^[一二三四五六七八九十]+、/, '')}`;
}

const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));

/** The A4 print view of a report: the tables and the analysis, in the documents' stylesheet. */
function printHtml(rep, chartImg) {
  const table = (s) => (s.rows.length
    ? `<table class="list"><tr>${s.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${
      s.rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</table>`
    : `<p class="plain">${esc(s.empty || R.none)}</p>`);
  const body = sections(rep.generated).map((s) => `<h2>${esc(s.title)}</h2>${s.note ? `<p class="plain">${esc(s.note)}</p>` : ''}${
    table(s)}${s.key === 'categories' && chartImg ? `<img src="${chartImg}" style="width:100%">` : ''}`).join('');
  const analysis = (rep.analysis || '').split('\n').filter(Boolean).map((p) => `<p>${esc(p)}</p>`).join('') || `<p class="plain">${R.none}</p>`;
  const signed = rep.state === 'issued'
    ? `<p class="date">${esc(R.issuedBy)}：${esc(rep.issued_by_name)}　${esc(R.issuedAt)}：${esc(dateTime(rep.issued_at))}</p>` : '';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(rep.kind === 'quarterly' ? Q.docTitle : R.docTitle)}</title>
<link rel="stylesheet" href="${new URL('print.css', location.href).href}">
<style>h2{font-family:"Noto Sans CJK SC","SimHei",sans-serif;font-size:15pt;margin:6mm 0 2mm}table,tr,img{page-break-inside:avoid}</style></head>
<body><div class="page"><h1>${esc(rep.kind === 'quarterly' ? Q.docTitle : R.docTitle)}</h1>
<div class="number">${esc(t(R.docSub, { region: rep.region_name, period: rep.period }))} · ${esc(t(R.versionN, { v: rep.version }))}${rep.state === 'draft' ? `（${esc(R.states.draft)}）` : ''}</div>
${body}<h2>${esc(analysisTitle(rep.generated))}</h2>${analysis}${signed}</div></body></html>`;
}

export default {
  name: 'ReportDetailScreen',
  components: { PageHead, JfChart },
  props: { params: { type: Object, required: true } },
  setup(props) {
    const rep = ref(null);
    const analysis = ref('');
    const error = ref('');
    const busy = ref(false);
    const chart = ref(null);

    const tables = computed(() => sections(rep.value && rep.value.generated));
    const draft = computed(() => rep.value && rep.value.state === 'draft');
    const catOption = computed(() => {
      const c = (rep.value && rep.value.generated.categories) || [];
      return {
        animation: false,
        tooltip: { trigger: 'item' },
        series: [{ type: 'pie', radius: ['35%', '65%'], data: c.map((x) => ({ name: x.name, value: x.total })), label: { formatter: '{b} {c}' } }],
      };
    });

    function fail(e) {
      if (e.status === 400) error.value = Object.values(fieldErrors(e, ['analysis']).fields).join('；');
      else if (e.status !== 401) ElMessage.error(t(R.failed, { msg: e.message }));
    }
    function show(r) {
      rep.value = r;
      analysis.value = r.analysis || '';
    }
    async function load() {
      try {
        show(await api.get('/reports/' + props.params.id));
      } catch (e) {
        fail(e);
      }
    }
    async function save(quiet) {
      error.value = '';
      show(await api.patch('/reports/' + rep.value.id, { analysis: analysis.value }));
      if (!quiet) ElMessage.success(R.saved);
    }
    async function run(fn) {
      busy.value = true;
      try {
        await fn();
      } catch (e) {
        fail(e);
      } finally {
        busy.value = false;
      }
    }
    const saveNow = () => run(() => save(false));
    async function issue() {
      try {
        await ElMessageBox.confirm(R.issueConfirm, R.issue, { type: 'warning' });
      } catch {
        return; // cancelled
      }
      await run(async () => {
        if (analysis.value !== rep.value.analysis) await save(true);
        show(await api.post(`/reports/${rep.value.id}/issue`, {}));
        ElMessage.success(R.issuedOk);
      });
    }
    const revise = () => run(async () => {
      const r = await api.post(`/reports/${rep.value.id}/revise`, {});
      ElMessage.success(t(R.revisedOk, { v: r.version }));
      go('/reports/' + r.id);
    });
    function print() {
      const w = window.open('', '_blank');
      if (!w) {
        ElMessage.warning(R.printBlocked);
        return;
      }
      const img = chart.value && chart.value.$el && chart.value.$el.querySelector('canvas');
      w.document.write(printHtml({ ...rep.value, analysis: analysis.value }, img ? img.toDataURL('image/png') : ''));
      w.document.close();
      w.addEventListener('load', () => w.print());
    }

    // XLSX of this version (GET /reports/{id}/export, audited by the server).
    const exporting = ref(false);
    async function exportXlsx() {
      exporting.value = true;
      try {
        const name = await api.download(`/reports/${rep.value.id}/export`, { format: 'xlsx' },
          `report-${rep.value.period}-v${rep.value.version}.xlsx`);
        ElMessage.success(t(Q.exported, { name }));
      } catch (e) {
        if (e.status !== 401) ElMessage.error(t(R.failed, { msg: e.message }));
      } finally {
        exporting.value = false;
      }
    }

    onMounted(load);
    return {
      M, R, Q, rep, analysis, error, busy, tables, draft, catOption, chart, saveNow, issue, revise, print, dateTime, t,
      exporting, exportXlsx, analysisTitle, columns,
      back: () => goBackTo('/reports'),
    };
  },
  template: `
  <div data-test="report" v-if="rep">
    <page-head :title="rep.kind === 'quarterly' ? Q.docTitle : R.docTitle" :subtitle="t(R.docSub, { region: rep.region_name, period: rep.period }) + ' · ' + t(R.versionN, { v: rep.version })">
      <el-button @click="back">{{ R.back }}</el-button>
      <el-button @click="print" data-test="report-print">{{ R.print }}</el-button>
      <el-button @click="exportXlsx" :loading="exporting" data-test="report-export">{{ Q.exportXlsx }}</el-button>
      <el-button v-if="draft" type="primary" :loading="busy" @click="issue" data-test="report-issue">{{ R.issue }}</el-button>
      <el-button v-else type="warning" :loading="busy" @click="revise" data-test="report-revise">{{ R.revise }}</el-button>
    </page-head>
    <el-descriptions :column="columns(4, 1)" border size="small" class="jf-report-meta" data-test="report-meta">
      <el-descriptions-item :label="R.state">
        <el-tag :type="draft ? 'info' : 'success'" size="small" data-test="report-state">{{ R.states[rep.state] }}</el-tag>
      </el-descriptions-item>
      <el-descriptions-item :label="R.createdBy">{{ rep.created_by_name }} {{ dateTime(rep.created_at) }}</el-descriptions-item>
      <el-descriptions-item :label="R.issuedBy"><span data-test="report-issued-by">{{ rep.issued_by_name || R.none }}</span></el-descriptions-item>
      <el-descriptions-item :label="R.issuedAt">{{ rep.issued_at ? dateTime(rep.issued_at) : R.none }}</el-descriptions-item>
    </el-descriptions>
    <div class="jf-report-grid">
      <el-card v-for="s in tables" :key="s.key" shadow="never" class="jf-report-section" :class="{ 'jf-report-wide': s.key === 'highRisk' }" :data-test="'report-' + s.key">
        <template #header><strong>{{ s.title }}</strong> <span v-if="s.note" class="jf-muted">{{ s.note }}</span></template>
        <el-table :data="s.rows" size="small" :empty-text="s.empty || R.none" border>
          <el-table-column v-for="(h, i) in s.head" :key="i" :label="h" :min-width="s.widths ? s.widths[i] : 90">
            <template #default="{ row }">{{ row[i] }}</template>
          </el-table-column>
        </el-table>
        <jf-chart v-if="s.key === 'categories' && s.rows.length" ref="chart" :option="catOption" height="240px" />
      </el-card>
    </div>
    <el-card shadow="never" class="jf-report-section" data-test="report-analysis">
      <template #header><strong>{{ analysisTitle(rep.generated) }}</strong></template>
      <template v-if="draft">
        <el-input v-model="analysis" type="textarea" :rows="8" :placeholder="R.analysisPlaceholder" data-test="report-analysis-input" />
        <el-alert v-if="error" :title="error" type="warning" show-icon :closable="false" />
        <div class="jf-report-actions"><el-button :loading="busy" @click="saveNow" data-test="report-save">{{ R.save }}</el-button></div>
      </template>
      <div v-else class="jf-report-analysis" data-test="report-analysis-text">{{ rep.analysis || R.none }}</div>
    </el-card>
  </div>`,
};
