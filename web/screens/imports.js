// 数据导入导出 (administrators): choose what to import (区划 / 组织机构 / 调解员) and a CSV or
// XLSX file; its bytes go to the server as they are (POST /api/v1/imports/{kind}/preview with
// the file's Content-Type), which parses and checks every row and writes nothing. The
// preview shows the counts and every bad row (行号, 列, 原因); 确认导入 (POST
// /api/v1/imports/{kind}, all or nothing) is offered only when no row is bad. Exports are
// plain downloads of GET /api/v1/exports/{kind}.xlsx|.csv (the session cookie goes along).

import { computed, ref, watch } from 'vue';
import { ElMessage } from 'element-plus';
import { UploadFilled, Download, Check } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import {
  t, validationMessage, genderName, mediatorTypeName, gradeName, categoryName, levelName, industryName, orgTypeName,
  orgStatusName, personStatusName,
} from '../format.js';
import PageHead from '../components/page-head.js';

const KINDS = ['regions', 'organizations', 'mediators'];
const TYPES = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

function typeOf(name) {
  const m = /\.([a-z0-9]+)$/i.exec(name || '');
  return m ? TYPES[m[1].toLowerCase()] || null : null;
}

/**
 * The reason of one bad row in Chinese, from the server's code; the server's own wording
 * (which names the offending value) is kept for the cell's tooltip.
 */
function reason(e) {
  return M.imports.codes[e.code] || (M.validation[e.code] ? validationMessage(e) : '') || e.message || M.validation.invalid;
}

// How a parsed value of the preview reads in Chinese (the server sends wire codes).
const FORMAT = {
  gender: genderName, mediator_type: mediatorTypeName, grade: gradeName, specialties: categoryName,
  categories: categoryName, level: levelName, industry: industryName, type: orgTypeName,
};
const STATUS = { mediators: personStatusName, organizations: orgStatusName };

export default {
  name: 'ImportsScreen',
  components: { PageHead, UploadFilled },
  setup() {
    const kind = ref('mediators');
    const file = ref(null);
    const result = ref(null); // the preview answer
    const rowErrors = ref([]); // [{row, column, message, code}]
    const busy = ref(false);
    const committing = ref(false);
    const problem = ref('');
    const done = ref(null); // {created}

    function clear() {
      result.value = null;
      rowErrors.value = [];
      problem.value = '';
      done.value = null;
    }

    watch(kind, () => {
      clear();
      file.value = null;
    });

    async function choose(uploadFile) {
      clear();
      const raw = uploadFile && uploadFile.raw;
      if (!raw) return;
      if (!typeOf(raw.name)) {
        file.value = null;
        problem.value = M.imports.badType;
        return;
      }
      file.value = raw;
      await preview();
    }

    async function preview() {
      if (!file.value) return;
      busy.value = true;
      try {
        const r = await api.upload(`/imports/${kind.value}/preview`, file.value, typeOf(file.value.name));
        result.value = r;
        rowErrors.value = r.errors || [];
      } catch (e) {
        problem.value = e.message;
      } finally {
        busy.value = false;
      }
    }

    const canCommit = computed(() => !!file.value && !!result.value && !rowErrors.value.length && result.value.rows > 0 && !done.value);

    async function commit() {
      if (!canCommit.value || committing.value) return;
      committing.value = true;
      try {
        const r = await api.upload(`/imports/${kind.value}`, file.value, typeOf(file.value.name));
        done.value = r;
        ElMessage.success(t(M.imports.committed, { n: r.created, kind: M.imports.kinds[kind.value] }));
      } catch (e) {
        // All or nothing: the server wrote nothing and says which rows failed.
        const rows = e.problem && Array.isArray(e.problem.rows) ? e.problem.rows : [];
        if (rows.length) rowErrors.value = rows;
        else problem.value = e.message;
      } finally {
        committing.value = false;
      }
    }

    const previewCols = computed(() => {
      const p = result.value && result.value.preview;
      if (!p || !p.length) return [];
      const labels = { ...M.imports.fieldLabels, ...(M.imports.fieldLabelsOf[kind.value] || {}) };
      return Object.keys(p[0]).map((k) => ({ key: k, label: labels[k] || k }));
    });
    function cell(key, v) {
      const f = key === 'status' ? STATUS[kind.value] : FORMAT[key];
      const one = (x) => (x === null || x === undefined ? '' : f ? f(x) : String(x));
      return Array.isArray(v) ? v.map(one).join(M.common.listSep) : one(v);
    }
    const badRows = computed(() => new Set(rowErrors.value.map((e) => e.row)));
    const rowClass = ({ row }) => (badRows.value.has(row.row) ? 'jf-row-bad' : '');

    return {
      M, t, kind, kinds: KINDS, file, result, rowErrors, busy, committing, problem, done, canCommit,
      choose, commit, reason, previewCols, cell, rowClass, url: (k, ext) => api.fileUrl(`/exports/${k}.${ext}`),
      Download, Check,
    };
  },
  template: `
  <div data-test="imports">
    <page-head :title="M.imports.title" :subtitle="M.imports.subtitle" />
    <el-row :gutter="16">
      <el-col :span="17">
        <el-card shadow="never">
          <template #header>{{ M.imports.importTitle }}</template>
          <el-form label-width="88px">
            <el-form-item :label="M.imports.kind">
              <el-radio-group v-model="kind" data-test="import-kind">
                <el-radio-button v-for="k in kinds" :key="k" :value="k">{{ M.imports.kinds[k] }}</el-radio-button>
              </el-radio-group>
            </el-form-item>
            <el-form-item :label="M.imports.columnsLabel">
              <span class="jf-muted">{{ M.imports.columns[kind] }}</span>
            </el-form-item>
            <el-form-item :label="M.imports.file">
              <el-upload drag :auto-upload="false" :show-file-list="false" accept=".csv,.xlsx" :on-change="choose"
                class="jf-upload" data-test="import-file">
                <el-icon class="el-icon--upload"><upload-filled /></el-icon>
                <div class="el-upload__text">{{ M.imports.drop }}</div>
                <template #tip><div class="el-upload__tip">{{ M.imports.tip }}</div></template>
              </el-upload>
            </el-form-item>
          </el-form>

          <div v-loading="busy">
            <el-alert v-if="problem" :title="problem" type="error" show-icon :closable="false" data-test="import-problem" />
            <template v-if="result">
              <div class="jf-import-summary" data-test="import-summary">
                <span class="jf-muted">{{ file && file.name }}</span>
                <el-statistic :title="M.imports.rows" :value="result.rows" />
                <el-statistic :title="M.imports.valid" :value="result.valid" />
                <el-statistic :title="M.imports.errors" :value="rowErrors.length" :value-style="rowErrors.length ? { color: 'var(--el-color-danger)' } : {}" />
                <el-button type="primary" :icon="Check" :disabled="!canCommit" :loading="committing" @click="commit"
                  data-test="import-commit">{{ M.imports.commit }}</el-button>
              </div>
              <el-alert v-if="done" :title="t(M.imports.committed, { n: done.created, kind: M.imports.kinds[kind] })" type="success"
                show-icon :closable="false" data-test="import-done" />
              <el-alert v-else-if="rowErrors.length" :title="M.imports.fixFirst" type="warning" show-icon :closable="false" />
              <template v-if="rowErrors.length">
                <h4 class="jf-subhead">{{ M.imports.errorTable }}</h4>
                <el-table :data="rowErrors" border size="small" max-height="360" data-test="import-errors">
                  <el-table-column prop="row" :label="M.imports.cols.row" width="80" align="center" />
                  <el-table-column prop="column" :label="M.imports.cols.column" width="140" />
                  <el-table-column :label="M.imports.cols.reason">
                    <template #default="{ row }"><span :title="row.message">{{ reason(row) }}</span></template>
                  </el-table-column>
                </el-table>
              </template>
              <template v-if="previewCols.length">
                <h4 class="jf-subhead">{{ M.imports.previewTable }}</h4>
                <el-table :data="result.preview" border size="small" max-height="360" :row-class-name="rowClass" data-test="import-preview">
                  <el-table-column v-for="c in previewCols" :key="c.key" :label="c.label" :min-width="c.key === 'row' ? 60 : 110" show-overflow-tooltip>
                    <template #default="{ row }">{{ cell(c.key, row[c.key]) }}</template>
                  </el-table-column>
                </el-table>
              </template>
            </template>
          </div>
        </el-card>
      </el-col>
      <el-col :span="7">
        <el-card shadow="never" data-test="exports">
          <template #header>{{ M.imports.exportTitle }}</template>
          <p class="jf-hint">{{ M.imports.exportHint }}</p>
          <div v-for="k in kinds" :key="k" class="jf-export-row">
            <span>{{ M.imports.kinds[k] }}</span>
            <span>
              <el-button tag="a" :href="url(k, 'xlsx')" download size="small" :icon="Download" :data-test="'export-' + k + '-xlsx'">XLSX</el-button>
              <el-button tag="a" :href="url(k, 'csv')" download size="small" :icon="Download" :data-test="'export-' + k + '-csv'">CSV</el-button>
            </span>
          </div>
        </el-card>
      </el-col>
    </el-row>
  </div>`,
};
