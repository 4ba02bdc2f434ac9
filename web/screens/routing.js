// 分流规则 (研判分流): the routing rules that apply in the jurisdiction (GET /api/v1/routing/rules:
// the default rules plus those of regions in scope), an editor (POST/PATCH/DELETE), and beside
// the table a live preview: every change of its inputs (debounced) asks the server
// (POST /api/v1/routing/preview) which rule decides such a case and why, and shows the
// decision, the winning rule, the rules it beat, why the others did not match, and the
// one-time-notice (一次性告知) items from the service catalogue.
//
// Which rule wins is decided by the server alone; this screen only renders its explanation.
// Default rules (region_id null) are offered for editing to top administrators only, as the
// server allows; a tie with another rule (409) is shown with that rule's name.

import { computed, onBeforeUnmount, onMounted, reactive, ref, watch } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { Plus, Refresh } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { session, isAdmin, isTopAdmin, loadScope } from '../session.js';
import {
  t, options, categoryName, complexityName, levelName, orgTypeName, methodName, managementLevelName,
  num, validationMessage,
} from '../format.js';
import { changes, emptyErrors, showErrors, nullIfEmpty } from '../forms.js';
import PageHead from '../components/page-head.js';
import RegionPicker from '../components/region-picker.js';
import RoutingExplanation, { conditionParts, limitText } from '../components/routing-explanation.js';

const FIELDS = ['name', 'region_id', 'category', 'region_level', 'complexity', 'amount_min', 'amount_max',
  'people_min', 'people_max', 'management_level', 'department', 'department_field', 'method',
  'time_limit_days', 'time_limit_kind', 'lead_leader', 'notice_ids', 'enabled'];
const PREVIEW_DELAY_MS = 300;

function emptyRule() {
  return {
    name: '', region_id: null, category: null, region_level: null, complexity: null,
    amount_min: null, amount_max: null, people_min: null, people_max: null,
    management_level: 'local', department: 'mediation_committee', department_field: '', method: 'people_mediation',
    time_limit_days: 30, time_limit_kind: 'calendar', lead_leader: false, notice_ids: [], enabled: true,
  };
}

export default {
  name: 'RoutingScreen',
  components: { PageHead, RegionPicker, RoutingExplanation },
  setup() {
    const rules = ref([]);
    const total = ref(0);
    const page = ref(1);
    const perPage = ref(50);
    const loading = ref(false);
    const catalogue = ref([]);
    const admin = computed(isAdmin);
    const topAdmin = computed(isTopAdmin);

    const fail = (e) => { if (e.status !== 401) ElMessage.error(t(M.common.loadFailed, { msg: e.message })); };

    async function load() {
      loading.value = true;
      try {
        const r = await api.get('/routing/rules', { page: page.value, per_page: perPage.value });
        rules.value = r.items;
        total.value = r.total;
      } catch (e) {
        fail(e);
      } finally {
        loading.value = false;
      }
    }

    async function loadCatalogue() {
      try {
        const r = await api.get('/catalogue', { per_page: 500 });
        catalogue.value = r.items;
      } catch (e) {
        fail(e);
      }
    }

    const canEdit = (r) => admin.value && (r.region_id !== null || topAdmin.value);
    const ruleName = (id) => (rules.value.find((r) => r.id === id) || {}).name;

    function outcomeText(r) {
      const dept = orgTypeName(r.department) + (r.department_field ? `（${r.department_field}）` : '');
      return [managementLevelName(r.management_level), dept, methodName(r.method)].join(' · ');
    }

    // ---- editor ----
    const dialog = reactive({ open: false, id: null, readonly: false, saving: false, general: '', tie: '' });
    const form = reactive(emptyRule());
    const errors = reactive(emptyErrors(FIELDS));
    const isDefault = ref(false);
    const regionCache = ref([]);
    let original = {};

    function bodyOf(f) {
      const b = {};
      for (const k of FIELDS) b[k] = Array.isArray(f[k]) ? f[k].slice() : f[k];
      b.name = f.name.trim();
      b.department_field = nullIfEmpty(f.department_field);
      b.region_id = isDefault.value ? null : f.region_id;
      for (const k of ['category', 'region_level', 'complexity']) b[k] = b[k] || null;
      for (const k of ['amount_min', 'amount_max', 'people_min', 'people_max']) if (b[k] === undefined || b[k] === '') b[k] = null;
      return b;
    }

    async function openCreate() {
      await loadScope().catch(() => {});
      Object.assign(form, emptyRule());
      isDefault.value = false;
      form.region_id = session.root ? session.root.id : null;
      regionCache.value = session.root ? [session.root] : [];
      Object.assign(errors, emptyErrors(FIELDS));
      Object.assign(dialog, { open: true, id: null, readonly: false, general: '', tie: '' });
    }

    function openEdit(r) {
      const f = emptyRule();
      for (const k of FIELDS) if (r[k] !== undefined) f[k] = Array.isArray(r[k]) ? r[k].slice() : r[k];
      if (f.department_field === null) f.department_field = '';
      Object.assign(form, f);
      isDefault.value = r.region_id === null;
      regionCache.value = r.region_id ? [{ id: r.region_id, name: r.region_name }] : [];
      original = JSON.parse(JSON.stringify(bodyOf(f)));
      Object.assign(errors, emptyErrors(FIELDS));
      Object.assign(dialog, { open: true, id: r.id, readonly: !canEdit(r), general: '', tie: '' });
    }

    // A 409 tie names the other rule in `detail` (and maybe in errors[]): find which of the
    // rules we know it is, to show its name in Chinese wording.
    function tieMessage(e) {
      const tie = e.errors.find((x) => x.code === 'tie') || {};
      const otherId = tie.rule_id ?? tie.other_id ?? (e.problem && (e.problem.rule_id ?? e.problem.other_rule_id));
      let name = otherId != null ? ruleName(otherId) : null;
      if (!name) {
        const text = `${e.detail} ${tie.message || ''}`;
        const known = rules.value.filter((r) => r.id !== dialog.id && r.name && text.includes(r.name))
          .sort((a, b) => b.name.length - a.name.length);
        if (known.length) name = known[0].name;
      }
      return name ? t(M.routing.tie, { name }) : t(M.routing.tieUnknown, { detail: e.detail || tie.message || '' });
    }

    async function save() {
      if (dialog.saving || dialog.readonly) return;
      dialog.saving = true;
      dialog.general = '';
      dialog.tie = '';
      try {
        const body = bodyOf(form);
        if (dialog.id === null) {
          await api.post('/routing/rules', body);
          ElMessage.success(t(M.routing.created, { name: body.name }));
        } else {
          const diff = changes(original, body, FIELDS);
          if (Object.keys(diff).length) await api.patch(`/routing/rules/${dialog.id}`, diff);
          ElMessage.success(M.common.saved);
        }
        dialog.open = false;
        await load();
        runPreview();
      } catch (e) {
        if (e.status === 409) dialog.tie = tieMessage(e);
        else dialog.general = showErrors(e, errors, FIELDS);
      } finally {
        dialog.saving = false;
      }
    }

    async function remove(r) {
      try {
        await ElMessageBox.confirm(t(M.routing.deleteAsk, { name: r.name }), M.common.delete, { type: 'warning' });
      } catch {
        return;
      }
      try {
        await api.del(`/routing/rules/${r.id}`);
        ElMessage.success(M.common.deleted);
        await load();
        runPreview();
      } catch (e) {
        if (e.status !== 401) ElMessage.error(e.message);
      }
    }

    // ---- live preview ----
    const pv = reactive({ category: 'neighbour', region_id: null, complexity: 'simple', amount: null, people: null });
    const pvRegionCache = ref([]);
    const preview = ref(null);
    const pvLoading = ref(false);
    const pvError = ref('');
    const pvReady = computed(() => !!(pv.category && pv.region_id && pv.complexity));
    let timer = null;
    let seq = 0;

    async function runPreview() {
      clearTimeout(timer);
      if (!pvReady.value) {
        preview.value = null;
        return;
      }
      const mine = ++seq;
      pvLoading.value = true;
      const body = { category: pv.category, region_id: pv.region_id, complexity: pv.complexity };
      if (pv.amount !== null && pv.amount !== undefined) body.amount = pv.amount;
      if (pv.people !== null && pv.people !== undefined) body.people = pv.people;
      try {
        const r = await api.post('/routing/preview', body);
        if (mine !== seq) return; // a newer request is on its way
        preview.value = r;
        pvError.value = '';
      } catch (e) {
        if (mine !== seq) return;
        preview.value = null;
        const lines = e.errors.map((x) => t(M.common.fieldMessage, { field: M.routing.pv[x.field] || x.field, message: validationMessage(x) }));
        pvError.value = lines.length ? lines.join(M.common.sentenceSep) : e.message;
      } finally {
        if (mine === seq) pvLoading.value = false;
      }
    }

    watch(pv, () => {
      clearTimeout(timer);
      timer = setTimeout(runPreview, PREVIEW_DELAY_MS);
    }, { deep: true });
    onBeforeUnmount(() => clearTimeout(timer));

    onMounted(async () => {
      load();
      loadCatalogue();
      try {
        const root = await loadScope();
        if (root && pv.region_id === null) {
          pvRegionCache.value = [root];
          pv.region_id = root.id;
        }
      } catch (e) {
        fail(e);
      }
    });

    return {
      M, rules, total, page, perPage, loading, catalogue, admin, topAdmin, load, canEdit,
      conditionParts, outcomeText, limitText, t, num, levelName, orgTypeName, methodName, managementLevelName,
      categoryName, complexityName,
      dialog, form, errors, isDefault, regionCache, openCreate, openEdit, save, remove,
      pv, pvRegionCache, preview, pvLoading, pvError, pvReady, runPreview,
      categoryOptions: options(M.categories), complexityOptions: options(M.complexities),
      levelOptions: options(M.regionLevels), managementOptions: options(M.managementLevels),
      departmentOptions: options(M.orgTypes), methodOptions: options(M.methods), kindOptions: options(M.timeLimitKinds),
      Plus, Refresh,
    };
  },
  template: `
  <div data-test="routing">
    <page-head :title="M.routing.title" :subtitle="M.routing.subtitle">
      <el-button :icon="Refresh" @click="load">{{ M.common.refresh }}</el-button>
      <el-button v-if="admin" type="primary" :icon="Plus" @click="openCreate" data-test="rule-create">{{ M.routing.create }}</el-button>
    </page-head>
    <div class="jf-split">
      <el-card shadow="never" class="jf-split-main">
        <el-table :data="rules" v-loading="loading" stripe :empty-text="M.routing.empty" data-test="rule-table">
          <el-table-column :label="M.routing.cols.name" min-width="190">
            <template #default="{ row }">
              <div class="jf-rule-name">
                <span>{{ row.name }}</span>
                <el-tag v-if="row.region_id === null" size="small" effect="plain" data-test="rule-default">{{ M.routing.default }}</el-tag>
                <el-tag v-if="!row.enabled" size="small" type="info">{{ M.routing.disabled }}</el-tag>
              </div>
              <div class="jf-muted">{{ row.region_id === null ? M.routing.allRegions : row.region_name }} · {{ t(M.routing.specificityOf, { n: row.specificity }) }}</div>
            </template>
          </el-table-column>
          <el-table-column :label="M.routing.cols.conditions" min-width="170">
            <template #default="{ row }">
              <el-tag v-for="c in conditionParts(row)" :key="c" size="small" type="info" effect="plain" class="jf-tag-gap">{{ c }}</el-tag>
              <span v-if="!conditionParts(row).length" class="jf-muted">{{ M.routing.anyCase }}</span>
            </template>
          </el-table-column>
          <el-table-column :label="M.routing.cols.outcome" min-width="190">
            <template #default="{ row }">
              <div>{{ outcomeText(row) }}</div>
              <div class="jf-muted">{{ limitText(row.time_limit_days, row.time_limit_kind) }}<span v-if="row.lead_leader"> · {{ M.routing.leadLeader }}</span></div>
            </template>
          </el-table-column>
          <el-table-column :label="M.common.actions" width="110" fixed="right">
            <template #default="{ row }">
              <el-button link type="primary" @click="openEdit(row)" data-test="rule-edit">{{ canEdit(row) ? M.common.edit : M.common.view }}</el-button>
              <el-button v-if="canEdit(row)" link type="danger" @click="remove(row)" data-test="rule-delete">{{ M.common.delete }}</el-button>
            </template>
          </el-table-column>
        </el-table>
        <el-pagination v-if="total > perPage" class="jf-pager" background layout="total, prev, pager, next"
          :total="total" v-model:current-page="page" :page-size="perPage" @current-change="load" />
      </el-card>

      <el-card shadow="never" class="jf-preview" data-test="routing-preview">
        <template #header>
          <div class="jf-card-head"><span>{{ M.routing.preview.title }}</span>
            <span class="jf-muted">{{ M.routing.preview.hint }}</span></div>
        </template>
        <el-form label-width="72px" size="default" class="jf-preview-form">
          <el-form-item :label="M.routing.pv.category">
            <el-select v-model="pv.category" filterable class="jf-fill" data-test="preview-category">
              <el-option v-for="o in categoryOptions" :key="o.value" :value="o.value" :label="o.label" />
            </el-select>
          </el-form-item>
          <el-form-item :label="M.routing.pv.region_id">
            <region-picker v-model="pv.region_id" :cache="pvRegionCache" :clearable="false" class="jf-fill" data-test="preview-region" />
          </el-form-item>
          <el-form-item :label="M.routing.pv.complexity">
            <el-radio-group v-model="pv.complexity" size="small" data-test="preview-complexity">
              <el-radio-button v-for="o in complexityOptions" :key="o.value" :value="o.value">{{ o.label }}</el-radio-button>
            </el-radio-group>
          </el-form-item>
          <el-row :gutter="8">
            <el-col :span="12">
              <el-form-item :label="M.routing.pv.amount">
                <el-input-number v-model="pv.amount" :min="0" :step="1000" controls-position="right" class="jf-fill"
                  :placeholder="M.routing.yuan" data-test="preview-amount" />
              </el-form-item>
            </el-col>
            <el-col :span="12">
              <el-form-item :label="M.routing.pv.people" label-width="64px">
                <el-input-number v-model="pv.people" :min="1" controls-position="right" class="jf-fill"
                  :placeholder="M.routing.persons" data-test="preview-people" />
              </el-form-item>
            </el-col>
          </el-row>
        </el-form>

        <div v-loading="pvLoading" class="jf-preview-body">
          <el-alert v-if="pvError" :title="pvError" type="error" show-icon :closable="false" />
          <p v-else-if="!pvReady" class="jf-hint">{{ M.routing.preview.needInputs }}</p>
          <template v-else-if="preview">
            <routing-explanation :result="preview" :rules="rules" />
          </template>
        </div>
      </el-card>
    </div>

    <el-dialog v-model="dialog.open" :title="dialog.id === null ? M.routing.create : (dialog.readonly ? M.routing.viewTitle : M.routing.editTitle)"
      width="760px" :close-on-click-modal="false" data-test="rule-dialog">
      <el-alert v-if="dialog.readonly" :title="M.routing.readonly" type="info" show-icon :closable="false" class="jf-block-b" />
      <el-form label-width="100px" :disabled="dialog.readonly" @submit.prevent="save">
        <el-row :gutter="12">
          <el-col :span="12">
            <el-form-item :label="M.routing.f.name" :error="errors.name" data-field="name">
              <el-input v-model="form.name" />
            </el-form-item>
          </el-col>
          <el-col :span="12">
            <el-form-item :label="M.routing.f.enabled" data-field="enabled">
              <el-switch v-model="form.enabled" />
            </el-form-item>
          </el-col>
        </el-row>
        <el-form-item :label="M.routing.f.region" :error="errors.region_id" data-field="region_id">
          <el-checkbox v-if="topAdmin || isDefault" v-model="isDefault" :disabled="dialog.id !== null" class="jf-inline-gap" data-test="rule-is-default">{{ M.routing.f.isDefault }}</el-checkbox>
          <region-picker v-if="!isDefault" v-model="form.region_id" :cache="regionCache" :clearable="false"
            :disabled="dialog.id !== null" class="jf-select-lg" />
        </el-form-item>
        <el-divider content-position="left">{{ M.routing.f.conditions }}</el-divider>
        <el-row :gutter="12">
          <el-col :span="8">
            <el-form-item :label="M.routing.f.category" :error="errors.category" data-field="category">
              <el-select v-model="form.category" clearable filterable :placeholder="M.routing.any" class="jf-fill">
                <el-option v-for="o in categoryOptions" :key="o.value" :value="o.value" :label="o.label" />
              </el-select>
            </el-form-item>
          </el-col>
          <el-col :span="8">
            <el-form-item :label="M.routing.f.regionLevel" :error="errors.region_level" data-field="region_level">
              <el-select v-model="form.region_level" clearable :placeholder="M.routing.any" class="jf-fill">
                <el-option v-for="o in levelOptions" :key="o.value" :value="o.value" :label="o.label" />
              </el-select>
            </el-form-item>
          </el-col>
          <el-col :span="8">
            <el-form-item :label="M.routing.f.complexity" :error="errors.complexity" data-field="complexity">
              <el-select v-model="form.complexity" clearable :placeholder="M.routing.any" class="jf-fill">
                <el-option v-for="o in complexityOptions" :key="o.value" :value="o.value" :label="o.label" />
              </el-select>
            </el-form-item>
          </el-col>
        </el-row>
        <el-row :gutter="12">
          <el-col :span="12">
            <el-form-item :label="M.routing.f.amount" :error="errors.amount_min || errors.amount_max" data-field="amount">
              <div class="jf-range">
                <el-input-number v-model="form.amount_min" :min="0" :controls="false" :placeholder="M.routing.f.min" />
                <span>–</span>
                <el-input-number v-model="form.amount_max" :min="0" :controls="false" :placeholder="M.routing.f.max" />
                <span class="jf-muted">{{ M.routing.yuan }}</span>
              </div>
            </el-form-item>
          </el-col>
          <el-col :span="12">
            <el-form-item :label="M.routing.f.people" :error="errors.people_min || errors.people_max" data-field="people">
              <div class="jf-range">
                <el-input-number v-model="form.people_min" :min="0" :controls="false" :placeholder="M.routing.f.min" data-test="rule-people-min" />
                <span>–</span>
                <el-input-number v-model="form.people_max" :min="0" :controls="false" :placeholder="M.routing.f.max" data-test="rule-people-max" />
                <span class="jf-muted">{{ M.routing.persons }}</span>
              </div>
            </el-form-item>
          </el-col>
        </el-row>
        <el-divider content-position="left">{{ M.routing.f.outcome }}</el-divider>
        <el-row :gutter="12">
          <el-col :span="12">
            <el-form-item :label="M.routing.f.managementLevel" :error="errors.management_level" data-field="management_level">
              <el-select v-model="form.management_level" class="jf-fill">
                <el-option v-for="o in managementOptions" :key="o.value" :value="o.value" :label="o.label" />
              </el-select>
            </el-form-item>
          </el-col>
          <el-col :span="12">
            <el-form-item :label="M.routing.f.method" :error="errors.method" data-field="method">
              <el-select v-model="form.method" class="jf-fill" popper-class="jf-rule-method-popper">
                <el-option v-for="o in methodOptions" :key="o.value" :value="o.value" :label="o.label" />
              </el-select>
            </el-form-item>
          </el-col>
        </el-row>
        <el-row :gutter="12">
          <el-col :span="12">
            <el-form-item :label="M.routing.f.department" :error="errors.department" data-field="department">
              <el-select v-model="form.department" class="jf-fill">
                <el-option v-for="o in departmentOptions" :key="o.value" :value="o.value" :label="o.label" />
              </el-select>
            </el-form-item>
          </el-col>
          <el-col :span="12">
            <el-form-item :label="M.routing.f.departmentField" :error="errors.department_field" data-field="department_field">
              <el-input v-model="form.department_field" :placeholder="M.routing.f.departmentFieldPlaceholder" />
            </el-form-item>
          </el-col>
        </el-row>
        <el-row :gutter="12">
          <el-col :span="12">
            <el-form-item :label="M.routing.f.timeLimit" :error="errors.time_limit_days || errors.time_limit_kind" data-field="time_limit">
              <div class="jf-range">
                <el-input-number v-model="form.time_limit_days" :min="1" :max="365" controls-position="right" class="jf-num-sm" data-test="rule-days" />
                <el-radio-group v-model="form.time_limit_kind" size="small">
                  <el-radio-button v-for="o in kindOptions" :key="o.value" :value="o.value">{{ o.label }}</el-radio-button>
                </el-radio-group>
              </div>
            </el-form-item>
          </el-col>
          <el-col :span="12">
            <el-form-item :label="M.routing.f.leadLeader" data-field="lead_leader">
              <el-switch v-model="form.lead_leader" :active-text="M.routing.f.leadLeaderOn" />
            </el-form-item>
          </el-col>
        </el-row>
        <el-form-item :label="M.routing.f.notices" :error="errors.notice_ids" data-field="notice_ids">
          <el-select v-model="form.notice_ids" multiple filterable class="jf-fill" :placeholder="M.routing.f.noticesPlaceholder">
            <el-option v-for="c in catalogue" :key="c.id" :value="c.id" :label="c.name" />
          </el-select>
        </el-form-item>
        <el-alert v-if="dialog.tie" :title="M.routing.tieTitle" :description="dialog.tie" type="error" show-icon :closable="false" data-test="rule-tie" />
        <el-alert v-if="dialog.general" :title="dialog.general" type="error" show-icon :closable="false" />
        <button type="submit" hidden></button>
      </el-form>
      <template #footer>
        <el-button @click="dialog.open = false">{{ dialog.readonly ? M.common.close : M.common.cancel }}</el-button>
        <el-button v-if="!dialog.readonly" type="primary" :loading="dialog.saving" @click="save" data-test="rule-save">{{ M.common.save }}</el-button>
      </template>
    </el-dialog>
  </div>`,
};
