// 重点人员: the key-person register (GET/POST /api/v1/key-persons, GET/PATCH /{id}, POST
// /{id}/reviews, /{id}/reveal, /{id}/cases). Supervisors, leaders and administrators of the
// region. Names and numbers are masked everywhere; 查看完整信息 asks for a reason, which the
// server writes to the audit log before it answers the full values (个人信息保护法 art. 28,
// 51; docs/key-persons.md). Every list page and detail shown is itself an audited read.

import { computed, onMounted, reactive, ref } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { Plus } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { t, dateTime, options, genderName, categoryName, caseStateName, riskName } from '../format.js';
import { emptyErrors, nullIfEmpty, saveDialog, showErrors } from '../forms.js';
import { usePagedList, loadFailed } from '../list.js';
import { hashQuery } from '../router.js';
import { narrow, labelPosition, dialogWidth, columns } from '../media.js';
import PageHead from '../components/page-head.js';
import RegionPicker from '../components/region-picker.js';

const K = M.keyPersons;
const FIELDS = ['name', 'id_number', 'phone', 'gender', 'age', 'reason', 'reason_note', 'region_id',
  'responsible_user_id', 'review_every_days', 'next_review_day', 'status'];
const reasonName = (r) => K.reasons[r] || r;

export default {
  name: 'KeyPersonsScreen',
  components: { PageHead, RegionPicker },
  setup() {
    const filters = reactive({ region_id: null, reason: null, status: 'active', due: false });
    const { rows, total, page, perPage, loading, load, search } = usePagedList((p) => api.get('/key-persons', {
      region_id: filters.region_id, reason: filters.reason, status: filters.status, due: filters.due ? 'true' : null, ...p,
    }));
    const reasonOptions = options(K.reasons);
    const genderOptions = options(M.genders);
    const statusOptions = options(K.statuses);

    // ---- detail drawer ----
    const drawer = reactive({ open: false, loading: false, item: null, full: null, review: '', reviewing: false, caseId: null, linking: false });
    async function openDetail(id) {
      Object.assign(drawer, { open: true, loading: true, item: null, full: null, review: '', caseId: null });
      try {
        drawer.item = await api.get(`/key-persons/${id}`);
      } catch (e) {
        loadFailed(e);
        drawer.open = false;
      } finally {
        drawer.loading = false;
      }
    }
    async function reveal() {
      let reason;
      try {
        ({ value: reason } = await ElMessageBox.prompt(K.revealAsk, K.reveal, {
          inputPlaceholder: K.revealPlaceholder, inputType: 'textarea',
          inputValidator: (v) => ((v || '').trim().length >= 2 ? true : K.revealNeedReason),
          confirmButtonText: K.revealConfirm, cancelButtonText: M.common.cancel,
        }));
      } catch {
        return;
      }
      try {
        drawer.full = await api.post(`/key-persons/${drawer.item.id}/reveal`, { reason: reason.trim() });
      } catch (e) {
        if (e.status !== 401) ElMessage.error(e.message);
      }
    }
    async function addReview() {
      if (!drawer.review.trim() || drawer.reviewing) return;
      drawer.reviewing = true;
      try {
        drawer.item = await api.post(`/key-persons/${drawer.item.id}/reviews`, { note: drawer.review.trim() });
        drawer.review = '';
        ElMessage.success(t(K.reviewed, { day: drawer.item.next_review_day }));
        load();
      } catch (e) {
        if (e.status !== 401) ElMessage.error(e.message);
      } finally {
        drawer.reviewing = false;
      }
    }
    // Staff know a case by its number (（2026）涪城人调字第1894号, or just 1894), never by its
    // internal id: the number is looked up in the register (GET /cases?q=) and must name one case.
    async function findCase(q) {
      const digits = /^\d+$/.test(q) ? q : null;
      const norm = (x) => x.replace(/[（(〔[]/g, '(').replace(/[）)〕\]]/g, ')');
      const items = (await api.get('/cases', { q, per_page: 20 })).items || [];
      const hits = items.filter((c) => (digits ? new RegExp(`第0*${digits.replace(/^0+/, '')}号$`).test(c.number) : norm(c.number).endsWith(norm(q))));
      if (hits.length === 1) return hits[0].id;
      throw new Error(t(hits.length ? K.caseAmbiguous : K.caseNotFound, { q }));
    }
    async function linkCase() {
      const q = (drawer.caseId || '').trim();
      if (!q || drawer.linking) return;
      drawer.linking = true;
      try {
        const caseId = await findCase(q);
        drawer.item = await api.post(`/key-persons/${drawer.item.id}/cases`, { case_id: caseId });
        drawer.caseId = null;
        ElMessage.success(K.linked);
      } catch (e) {
        if (e.status !== 401) ElMessage.error(showErrors(e, {}, []) || e.message);
      } finally {
        drawer.linking = false;
      }
    }

    // ---- create / edit ----
    const dialog = reactive({ open: false, id: null, saving: false, general: '' });
    const form = reactive({});
    const errors = reactive(emptyErrors(FIELDS));
    const regionCache = ref([]);
    const users = ref([]);
    let original = {};
    const blank = () => ({
      name: '', id_number: '', phone: '', gender: null, age: null, reason: null, reason_note: '', region_id: null,
      responsible_user_id: null, review_every_days: 30, next_review_day: null, status: 'active',
    });
    // A number is sent only when typed: the masked value shown is never sent back.
    const bodyOf = (f) => {
      const b = {
        name: nullIfEmpty(f.name), id_number: nullIfEmpty(f.id_number), phone: nullIfEmpty(f.phone), gender: f.gender,
        age: f.age === '' ? null : f.age, reason: f.reason, reason_note: nullIfEmpty(f.reason_note), region_id: f.region_id,
        responsible_user_id: f.responsible_user_id, review_every_days: f.review_every_days, next_review_day: f.next_review_day,
      };
      if (dialog.id !== null) b.status = f.status;
      return b;
    };
    async function loadUsers() {
      if (users.value.length) return;
      try {
        users.value = (await api.get('/users', { per_page: 500 })).items;
      } catch (e) {
        loadFailed(e);
      }
    }
    function openCreate() {
      Object.assign(form, blank());
      regionCache.value = [];
      Object.assign(errors, emptyErrors(FIELDS));
      Object.assign(dialog, { open: true, id: null, general: '' });
      loadUsers();
    }
    function openEdit(p) {
      Object.assign(form, blank(), {
        name: '', gender: p.gender, age: p.age, reason: p.reason, reason_note: p.reason_note || '', region_id: p.region_id,
        responsible_user_id: p.responsible_user_id, review_every_days: p.review_every_days, next_review_day: p.next_review_day, status: p.status,
      });
      regionCache.value = [{ id: p.region_id, name: p.region_name }];
      original = bodyOf(form);
      Object.assign(errors, emptyErrors(FIELDS));
      Object.assign(dialog, { open: true, id: p.id, general: '', masked: p });
      loadUsers();
    }
    async function save() {
      const saved = await saveDialog(dialog, {
        path: '/key-persons', body: bodyOf(form), original, fields: FIELDS, errors,
        created: () => K.created,
      });
      if (saved) {
        load();
        if (drawer.open && drawer.item) openDetail(drawer.item.id);
      }
    }

    onMounted(() => {
      load();
      const q = hashQuery();
      if (q.id) openDetail(q.id);
    });

    const drawerSize = computed(() => (narrow.value ? '100%' : '560px'));
    return {
      M, K, t, dateTime, genderName, categoryName, caseStateName, riskName, reasonName, narrow, labelPosition, dialogWidth, columns,
      filters, rows, total, page, perPage, loading, load, search, reasonOptions, genderOptions, statusOptions,
      drawer, drawerSize, openDetail, reveal, addReview, linkCase,
      dialog, form, errors, regionCache, users, openCreate, openEdit, save, Plus,
    };
  },
  template: `
  <div data-test="key-persons">
    <page-head :title="K.title" :subtitle="K.subtitle">
      <el-button type="primary" :icon="Plus" @click="openCreate" data-test="kp-create">{{ K.create }}</el-button>
    </page-head>
    <el-alert :title="K.privacy" type="warning" :closable="false" show-icon class="jf-block" />
    <el-card shadow="never">
      <el-form inline class="jf-filters" @submit.prevent="search">
        <el-form-item :label="K.region">
          <region-picker v-model="filters.region_id" :placeholder="K.regionAll" clearable @update:model-value="search" />
        </el-form-item>
        <el-form-item :label="K.cols.reason">
          <el-select v-model="filters.reason" clearable :placeholder="M.common.all" style="width: 150px" @change="search" data-test="kp-filter-reason">
            <el-option v-for="o in reasonOptions" :key="o.value" :value="o.value" :label="o.label" />
          </el-select>
        </el-form-item>
        <el-form-item :label="K.cols.status">
          <el-select v-model="filters.status" clearable :placeholder="M.common.all" style="width: 110px" @change="search">
            <el-option v-for="o in statusOptions" :key="o.value" :value="o.value" :label="o.label" />
          </el-select>
        </el-form-item>
        <el-form-item>
          <el-checkbox v-model="filters.due" @change="search" data-test="kp-filter-due">{{ K.dueOnly }}</el-checkbox>
        </el-form-item>
      </el-form>
      <el-table :data="rows" v-loading="loading" stripe :empty-text="K.empty" data-test="kp-table" @row-click="(r) => openDetail(r.id)">
        <el-table-column :label="K.cols.name" min-width="80">
          <template #default="{ row }"><span data-test="kp-name">{{ row.name }}</span></template>
        </el-table-column>
        <el-table-column v-if="!narrow" :label="K.cols.idNumber" min-width="180">
          <template #default="{ row }"><span data-test="kp-id">{{ row.id_number || M.common.none }}</span></template>
        </el-table-column>
        <el-table-column v-if="!narrow" :label="K.cols.phone" min-width="120">
          <template #default="{ row }"><span data-test="kp-phone">{{ row.phone || M.common.none }}</span></template>
        </el-table-column>
        <el-table-column :label="K.cols.reason" min-width="100">
          <template #default="{ row }"><el-tag size="small" effect="plain">{{ reasonName(row.reason) }}</el-tag></template>
        </el-table-column>
        <el-table-column v-if="!narrow" prop="region_name" :label="K.region" min-width="120" show-overflow-tooltip />
        <el-table-column v-if="!narrow" :label="K.cols.responsible" min-width="90">
          <template #default="{ row }">{{ row.responsible_name || M.common.none }}</template>
        </el-table-column>
        <el-table-column :label="K.cols.nextReview" min-width="110">
          <template #default="{ row }">
            <span>{{ row.next_review_day }}</span>
            <el-tag v-if="row.due" size="small" type="danger" effect="dark" class="jf-tag-gap">{{ K.due }}</el-tag>
          </template>
        </el-table-column>
      </el-table>
      <el-pagination class="jf-pager" background :layout="narrow ? 'prev, pager, next' : 'total, prev, pager, next'"
        :total="total" v-model:current-page="page" :page-size="perPage" @current-change="load" />
    </el-card>

    <el-drawer v-model="drawer.open" :title="K.detailTitle" :size="drawerSize" data-test="kp-drawer">
      <div v-loading="drawer.loading">
        <template v-if="drawer.item">
          <el-descriptions :column="1" border>
            <el-descriptions-item :label="K.cols.name"><span data-test="kp-d-name">{{ drawer.full ? drawer.full.name : drawer.item.name }}</span></el-descriptions-item>
            <el-descriptions-item :label="K.cols.idNumber"><span data-test="kp-d-id">{{ (drawer.full ? drawer.full.id_number : drawer.item.id_number) || M.common.none }}</span></el-descriptions-item>
            <el-descriptions-item :label="K.cols.phone"><span data-test="kp-d-phone">{{ (drawer.full ? drawer.full.phone : drawer.item.phone) || M.common.none }}</span></el-descriptions-item>
            <el-descriptions-item :label="K.gender">{{ drawer.item.gender ? genderName(drawer.item.gender) : M.common.none }}{{ drawer.item.age !== null ? ' · ' + t(K.ageYears, { n: drawer.item.age }) : '' }}</el-descriptions-item>
            <el-descriptions-item :label="K.cols.reason">{{ reasonName(drawer.item.reason) }}<div v-if="drawer.item.reason_note" class="jf-hint">{{ drawer.item.reason_note }}</div></el-descriptions-item>
            <el-descriptions-item :label="K.region">{{ drawer.item.region_name }}</el-descriptions-item>
            <el-descriptions-item :label="K.cols.responsible">{{ drawer.item.responsible_name || M.common.none }}</el-descriptions-item>
            <el-descriptions-item :label="K.cols.nextReview">{{ drawer.item.next_review_day }} <span class="jf-hint">{{ t(K.everyDays, { n: drawer.item.review_every_days }) }}</span></el-descriptions-item>
            <el-descriptions-item :label="K.cols.status">{{ K.statuses[drawer.item.status] }}</el-descriptions-item>
          </el-descriptions>
          <div class="jf-block">
            <el-button v-if="!drawer.full" type="warning" plain @click="reveal" data-test="kp-reveal">{{ K.reveal }}</el-button>
            <el-button @click="openEdit(drawer.item)" data-test="kp-edit">{{ M.common.edit }}</el-button>
          </div>
          <p class="jf-hint">{{ K.auditedView }}</p>

          <h4>{{ K.linkedCases }}</h4>
          <el-empty v-if="!drawer.item.linked_cases.length" :description="K.noCases" :image-size="48" />
          <div v-for="c in drawer.item.linked_cases" :key="c.id" class="jf-block" data-test="kp-case">
            <a :href="'#/cases/' + c.id">{{ c.number }}</a>
            <span class="jf-hint"> {{ categoryName(c.category) }} · {{ caseStateName(c.state) }} · {{ riskName(c.risk) }} · {{ K.how[c.how] }}</span>
          </div>
          <div class="jf-block">
            <el-input v-model="drawer.caseId" :placeholder="K.caseIdPlaceholder" style="max-width: 200px" @keyup.enter="linkCase" data-test="kp-link-case" />
            <el-button :loading="drawer.linking" @click="linkCase">{{ K.link }}</el-button>
          </div>

          <h4>{{ K.reviews }}</h4>
          <el-timeline v-if="drawer.item.reviews.length">
            <el-timeline-item v-for="r in drawer.item.reviews" :key="r.id" :timestamp="r.day + ' ' + (r.by_name || '')">{{ r.note }}</el-timeline-item>
          </el-timeline>
          <el-empty v-else :description="K.noReviews" :image-size="48" />
          <el-input v-model="drawer.review" type="textarea" :rows="2" :placeholder="K.reviewPlaceholder" data-test="kp-review-note" />
          <el-button type="primary" class="jf-block" :loading="drawer.reviewing" @click="addReview" data-test="kp-review">{{ K.addReview }}</el-button>
        </template>
      </div>
    </el-drawer>

    <el-dialog v-model="dialog.open" :title="dialog.id === null ? K.create : K.editTitle" :width="dialogWidth('600px')"
      :close-on-click-modal="false" data-test="kp-dialog">
      <el-form :label-position="labelPosition" label-width="96px" @submit.prevent="save">
        <el-form-item :label="K.cols.name" :error="errors.name" data-field="name">
          <el-input v-model="form.name" :placeholder="dialog.id === null ? '' : K.keepBlank" />
        </el-form-item>
        <el-form-item :label="K.cols.idNumber" :error="errors.id_number" data-field="id_number">
          <el-input v-model="form.id_number" maxlength="18" :placeholder="dialog.id === null ? K.idPlaceholder : K.keepBlank" />
        </el-form-item>
        <el-form-item :label="K.cols.phone" :error="errors.phone" data-field="phone">
          <el-input v-model="form.phone" :placeholder="dialog.id === null ? '' : K.keepBlank" />
        </el-form-item>
        <el-form-item :label="K.gender" :error="errors.gender || errors.age" data-field="gender">
          <el-radio-group v-model="form.gender">
            <el-radio v-for="o in genderOptions" :key="o.value" :value="o.value">{{ o.label }}</el-radio>
          </el-radio-group>
          <el-input-number v-model="form.age" :min="0" :max="150" :placeholder="K.age" controls-position="right" style="width: 110px; margin-left: 12px" />
        </el-form-item>
        <el-form-item :label="K.cols.reason" :error="errors.reason" data-field="reason">
          <el-select v-model="form.reason" class="jf-fill" data-test="kp-reason">
            <el-option v-for="o in reasonOptions" :key="o.value" :value="o.value" :label="o.label" />
          </el-select>
        </el-form-item>
        <el-form-item :label="K.reasonNote" :error="errors.reason_note" data-field="reason_note">
          <el-input v-model="form.reason_note" type="textarea" :rows="2" />
        </el-form-item>
        <el-form-item :label="K.region" :error="errors.region_id" data-field="region_id">
          <region-picker v-model="form.region_id" :cache="regionCache" class="jf-fill" data-test="kp-region" />
        </el-form-item>
        <el-form-item :label="K.cols.responsible" :error="errors.responsible_user_id" data-field="responsible_user_id">
          <el-select v-model="form.responsible_user_id" filterable clearable class="jf-fill" data-test="kp-responsible">
            <el-option v-for="u in users" :key="u.id" :value="u.id" :label="u.name + '（' + u.login + '）'" />
          </el-select>
        </el-form-item>
        <el-form-item :label="K.every" :error="errors.review_every_days" data-field="review_every_days">
          <el-input-number v-model="form.review_every_days" :min="1" :max="366" controls-position="right" />
        </el-form-item>
        <el-form-item v-if="dialog.id !== null" :label="K.cols.nextReview" :error="errors.next_review_day" data-field="next_review_day">
          <el-date-picker v-model="form.next_review_day" type="date" value-format="YYYY-MM-DD" />
        </el-form-item>
        <el-form-item v-if="dialog.id !== null" :label="K.cols.status" :error="errors.status" data-field="status">
          <el-radio-group v-model="form.status">
            <el-radio v-for="o in statusOptions" :key="o.value" :value="o.value">{{ o.label }}</el-radio>
          </el-radio-group>
        </el-form-item>
        <el-alert v-if="dialog.general" :title="dialog.general" type="error" show-icon :closable="false" />
      </el-form>
      <template #footer>
        <el-button @click="dialog.open = false">{{ M.common.cancel }}</el-button>
        <el-button type="primary" :loading="dialog.saving" @click="save" data-test="kp-save">{{ M.common.save }}</el-button>
      </template>
    </el-dialog>
  </div>`,
};
