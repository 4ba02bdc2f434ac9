// 服务清单: the service catalogue whose items the one-time notice (一次性告知) draws on
// (GET /api/v1/catalogue?q=, paged). Top administrators create, edit and delete items
// (POST /api/v1/catalogue, PATCH/DELETE /api/v1/catalogue/{id}); the documents an applicant
// must bring are edited as a list of tags.

import { computed, onMounted, reactive, ref } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { Search, Plus } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { isTopAdmin, loadScope } from '../session.js';
import { t, dateTime } from '../format.js';
import { emptyErrors, nullIfEmpty, saveDialog } from '../forms.js';
import { usePagedList, loadFailed } from '../list.js';
import PageHead from '../components/page-head.js';
import TagInput from '../components/tag-input.js';

const FIELDS = ['name', 'legal_basis', 'level', 'handling_body', 'conditions', 'procedure', 'documents', 'time_limit'];
const TEXT_FIELDS = FIELDS.filter((f) => f !== 'documents');

function emptyForm() {
  return { name: '', legal_basis: '', level: '', handling_body: '', conditions: '', procedure: '', documents: [], time_limit: '' };
}

export default {
  name: 'CatalogueScreen',
  components: { PageHead, TagInput },
  setup() {
    const q = ref('');
    const editor = computed(isTopAdmin);

    const fail = loadFailed;

    const { rows, total, page, perPage, loading, load, search } = usePagedList((p) => api.get('/catalogue', { q: q.value.trim(), ...p }));

    const dialog = reactive({ open: false, id: null, saving: false, general: '' });
    const form = reactive(emptyForm());
    const errors = reactive(emptyErrors(FIELDS));
    let original = {};

    function bodyOf(f) {
      const b = { documents: f.documents.slice() };
      for (const k of TEXT_FIELDS) b[k] = nullIfEmpty(f[k]);
      return b;
    }

    function openCreate() {
      Object.assign(form, emptyForm());
      Object.assign(errors, emptyErrors(FIELDS));
      Object.assign(dialog, { open: true, id: null, general: '' });
    }

    function openEdit(row) {
      const f = emptyForm();
      for (const k of TEXT_FIELDS) f[k] = row[k] ?? '';
      f.documents = (row.documents || []).slice();
      Object.assign(form, f);
      original = bodyOf(f);
      Object.assign(errors, emptyErrors(FIELDS));
      Object.assign(dialog, { open: true, id: row.id, general: '' });
    }

    async function save() {
      const saved = await saveDialog(dialog, {
        path: '/catalogue', body: bodyOf(form), original, fields: FIELDS, errors,
        created: (r) => t(M.catalogue.created, { name: r.name }),
      });
      if (saved) load();
    }

    async function remove(row) {
      try {
        await ElMessageBox.confirm(t(M.catalogue.deleteAsk, { name: row.name }), M.common.delete, { type: 'warning' });
      } catch {
        return;
      }
      try {
        await api.del(`/catalogue/${row.id}`);
        ElMessage.success(M.common.deleted);
        load();
      } catch (e) {
        if (e.status !== 401) ElMessage.error(e.message);
      }
    }

    onMounted(() => {
      load();
      loadScope().catch(() => {});
    });

    return {
      M, q, rows, total, page, perPage, loading, editor, load, search, dateTime,
      dialog, form, errors, openCreate, openEdit, save, remove, Search, Plus,
    };
  },
  template: `
  <div data-test="catalogue">
    <page-head :title="M.catalogue.title" :subtitle="M.catalogue.subtitle">
      <el-button v-if="editor" type="primary" :icon="Plus" @click="openCreate" data-test="catalogue-create">{{ M.catalogue.create }}</el-button>
    </page-head>
    <el-card shadow="never">
      <el-form inline @submit.prevent="search" class="jf-filters">
        <el-form-item :label="M.catalogue.q">
          <el-input v-model="q" :placeholder="M.catalogue.qPlaceholder" clearable @clear="search" />
        </el-form-item>
        <el-form-item>
          <el-button type="primary" native-type="submit" :icon="Search">{{ M.common.search }}</el-button>
        </el-form-item>
      </el-form>
      <el-table :data="rows" v-loading="loading" stripe :empty-text="M.catalogue.empty" data-test="catalogue-table" row-key="id">
        <el-table-column type="expand">
          <template #default="{ row }">
            <el-descriptions :column="1" border size="small" class="jf-expand">
              <el-descriptions-item :label="M.catalogue.cols.legal_basis">{{ row.legal_basis || M.common.none }}</el-descriptions-item>
              <el-descriptions-item :label="M.catalogue.cols.conditions">{{ row.conditions || M.common.none }}</el-descriptions-item>
              <el-descriptions-item :label="M.catalogue.cols.procedure"><div class="jf-pre">{{ row.procedure || M.common.none }}</div></el-descriptions-item>
              <el-descriptions-item :label="M.catalogue.cols.documents">
                <el-tag v-for="d in row.documents" :key="d" size="small" effect="plain" class="jf-tag-gap">{{ d }}</el-tag>
              </el-descriptions-item>
            </el-descriptions>
          </template>
        </el-table-column>
        <el-table-column prop="name" :label="M.catalogue.cols.name" min-width="200" />
        <el-table-column prop="level" :label="M.catalogue.cols.level" width="180" show-overflow-tooltip />
        <el-table-column prop="handling_body" :label="M.catalogue.cols.handling_body" min-width="180" show-overflow-tooltip />
        <el-table-column prop="time_limit" :label="M.catalogue.cols.time_limit" width="150" show-overflow-tooltip />
        <el-table-column :label="M.catalogue.cols.documents" width="100" align="center">
          <template #default="{ row }">{{ (row.documents || []).length }}</template>
        </el-table-column>
        <el-table-column v-if="editor" :label="M.common.actions" width="110" fixed="right">
          <template #default="{ row }">
            <el-button link type="primary" @click="openEdit(row)" data-test="catalogue-edit">{{ M.common.edit }}</el-button>
            <el-button link type="danger" @click="remove(row)">{{ M.common.delete }}</el-button>
          </template>
        </el-table-column>
      </el-table>
      <el-pagination class="jf-pager" background layout="total, sizes, prev, pager, next"
        :total="total" v-model:current-page="page" v-model:page-size="perPage" :page-sizes="[20, 50, 100]"
        @current-change="load" @size-change="search" />
    </el-card>

    <el-dialog v-model="dialog.open" :title="dialog.id === null ? M.catalogue.create : M.catalogue.editTitle" width="680px"
      :close-on-click-modal="false" data-test="catalogue-dialog">
      <el-form label-width="96px" @submit.prevent="save">
        <el-form-item :label="M.catalogue.cols.name" :error="errors.name" data-field="name">
          <el-input v-model="form.name" />
        </el-form-item>
        <el-row :gutter="12">
          <el-col :span="12">
            <el-form-item :label="M.catalogue.cols.level" :error="errors.level" data-field="level">
              <el-input v-model="form.level" :placeholder="M.catalogue.levelPlaceholder" />
            </el-form-item>
          </el-col>
          <el-col :span="12">
            <el-form-item :label="M.catalogue.cols.time_limit" :error="errors.time_limit" data-field="time_limit">
              <el-input v-model="form.time_limit" :placeholder="M.catalogue.timeLimitPlaceholder" />
            </el-form-item>
          </el-col>
        </el-row>
        <el-form-item :label="M.catalogue.cols.handling_body" :error="errors.handling_body" data-field="handling_body">
          <el-input v-model="form.handling_body" />
        </el-form-item>
        <el-form-item :label="M.catalogue.cols.legal_basis" :error="errors.legal_basis" data-field="legal_basis">
          <el-input v-model="form.legal_basis" type="textarea" :rows="2" />
        </el-form-item>
        <el-form-item :label="M.catalogue.cols.conditions" :error="errors.conditions" data-field="conditions">
          <el-input v-model="form.conditions" type="textarea" :rows="2" />
        </el-form-item>
        <el-form-item :label="M.catalogue.cols.procedure" :error="errors.procedure" data-field="procedure">
          <el-input v-model="form.procedure" type="textarea" :rows="3" />
        </el-form-item>
        <el-form-item :label="M.catalogue.cols.documents" :error="errors.documents" data-field="documents">
          <tag-input v-model="form.documents" :add-label="M.catalogue.addDocument" />
        </el-form-item>
        <el-alert v-if="dialog.general" :title="dialog.general" type="error" show-icon :closable="false" />
      </el-form>
      <template #footer>
        <el-button @click="dialog.open = false">{{ M.common.cancel }}</el-button>
        <el-button type="primary" :loading="dialog.saving" @click="save" data-test="catalogue-save">{{ M.common.save }}</el-button>
      </template>
    </el-dialog>
  </div>`,
};
