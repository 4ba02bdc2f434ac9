// The case file on a case page: 附件 (GET /api/v1/cases/{id}/attachments; upload a file as the
// raw body with its own Content-Type to POST .../attachments?name=&kind=; download links) and
// 文书 (GET .../documents; each opens .../documents/{kind} in a new tab, the session cookie
// going along, to be printed on A4). Documents print parties' numbers masked; a reader who
// may see them (`mayReveal`, the case's `may_reveal`) can choose 打印完整信息, which asks for a
// reason once and then links each document with `?reason=` (audited by the server as
// `reveal`; 个人信息保护法 art. 28, 29) until 恢复脱敏打印.
//
// The server checks the file's first bytes against its type (415 for a type it does not keep,
// 400 when content and type disagree) and freezes an archived case (409); each answer is
// said in Chinese here. Who may upload is the server's decision too; the upload row is only
// offered to the roles that handle cases.

import { onMounted, reactive, ref, watch } from 'vue';
import { ElMessage } from 'element-plus';
import { Upload, Printer, FolderOpened } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { hasRole } from '../session.js';
import { t, dateTime, validationMessage } from '../format.js';
import { askReason } from './reveal-reason.js';

// Who adds evidence and records to a case file (the server's HANDLING roles).
const UPLOADERS = ['clerk', 'dispatcher', 'mediator', 'supervisor', 'grid_worker', 'admin'];
const NAME_MAX = 100;

/** A byte count as people read it. */
function size(n) {
  if (n == null) return M.common.none;
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export default {
  name: 'CaseFiles',
  // `version`: the case's updated_at; a new one (an action taken) re-reads which documents
  // are ready.
  props: {
    caseId: { type: [Number, String], required: true },
    version: { type: String, default: '' },
    mayReveal: { type: Boolean, default: false },
  },
  emits: ['changed'],
  setup(props, { emit }) {
    const items = ref([]);
    const docs = ref([]);
    const loading = ref(false);
    const canUpload = hasRole(UPLOADERS);
    const up = reactive({ kind: 'evidence', file: null, busy: false, error: '' });
    const input = ref(null);

    const fail = (e) => { if (e.status !== 401 && e.status !== 404) ElMessage.error(t(M.common.loadFailed, { msg: e.message })); };

    async function loadAttachments() {
      loading.value = true;
      try {
        items.value = (await api.get(`/cases/${props.caseId}/attachments`)).items || [];
      } catch (e) {
        fail(e);
      } finally {
        loading.value = false;
      }
    }
    async function loadDocuments() {
      try {
        docs.value = (await api.get(`/cases/${props.caseId}/documents`)).items || [];
      } catch (e) {
        fail(e);
      }
    }

    function picked(ev) {
      up.file = (ev.target.files && ev.target.files[0]) || null;
      up.error = '';
    }

    // The Chinese for a refused upload.
    function uploadError(e) {
      switch (e.status) {
        case 415: return M.caseFiles.unsupported;
        case 413: return M.caseFiles.tooLarge;
        case 409: return M.caseFiles.frozen;
        case 400:
          if (e.errors.some((x) => x.field === 'body')) return M.caseFiles.mismatch;
          if (e.errors.length) {
            return e.errors.map((x) => t(M.common.fieldMessage, {
              field: x.field === 'name' ? M.caseFiles.cols.name : x.field === 'kind' ? M.caseFiles.kind : (M.fields[x.field] || x.field),
              message: validationMessage(x),
            })).join(M.common.sentenceSep);
          }
          return e.message;
        default: return e.message;
      }
    }

    async function send() {
      if (up.busy) return;
      up.error = '';
      if (!up.file) {
        up.error = M.caseFiles.chooseFirst;
        return;
      }
      up.busy = true;
      const f = up.file;
      // A file the browser cannot type goes as octet-stream, which the server answers with 415.
      const type = f.type || 'application/octet-stream';
      try {
        const a = await api.upload(`/cases/${props.caseId}/attachments`, f, type, { name: f.name.slice(0, NAME_MAX), kind: up.kind });
        ElMessage.success(t(M.caseFiles.uploaded, { name: a.name }));
        up.file = null;
        if (input.value) input.value.value = '';
        await loadAttachments();
        emit('changed');
      } catch (e) {
        if (e.status !== 401) up.error = uploadError(e);
      } finally {
        up.busy = false;
      }
    }

    const href = (a) => api.fileUrl(`/cases/${props.caseId}/attachments/${a.id}`);
    // The reason for printing in full, or '' for the default masked print.
    const fullReason = ref('');
    const docHref = (d) => api.fileUrl(`/cases/${props.caseId}/documents/${encodeURIComponent(d.kind)}`
      + (fullReason.value ? `?reason=${encodeURIComponent(fullReason.value)}` : ''));
    async function printFull() {
      const reason = await askReason(M.reveal.printTitle, M.reveal.printConfirm);
      if (reason) fullReason.value = reason;
    }
    const kindName = (k) => M.caseFiles.kinds[k] || k;

    watch(() => props.version, (v, old) => { if (old) loadDocuments(); });
    onMounted(() => {
      loadAttachments();
      loadDocuments();
    });

    return {
      M, items, docs, loading, canUpload, up, input, picked, send, href, docHref, kindName, size, dateTime, t, fullReason, printFull,
      kindOptions: Object.entries(M.caseFiles.kinds).map(([value, label]) => ({ value, label })),
      Upload, Printer, FolderOpened, reload: loadAttachments,
    };
  },
  template: `
  <div class="jf-stack" data-test="case-files">
    <el-card shadow="never" data-test="case-attachments">
      <template #header>
        <div class="jf-card-head"><span>{{ M.caseFiles.attachments }}</span><span class="jf-muted">{{ items.length }}</span></div>
      </template>
      <p class="jf-hint">{{ M.caseFiles.attachmentsHint }}</p>
      <div v-if="canUpload" class="jf-files-upload" data-test="attachment-upload">
        <el-select v-model="up.kind" class="jf-select-sm" data-test="attachment-kind">
          <el-option v-for="o in kindOptions" :key="o.value" :value="o.value" :label="o.label" />
        </el-select>
        <input ref="input" type="file" class="jf-hidden-file" @change="picked" data-test="attachment-file"
          accept="image/jpeg,image/png,application/pdf,audio/mpeg,audio/mp4,video/mp4,audio/wav,audio/amr,.amr,.m4a">
        <el-button :icon="FolderOpened" @click="input && input.click()" data-test="attachment-choose">{{ M.caseFiles.choose }}</el-button>
        <span class="jf-files-name" data-test="attachment-name">{{ up.file ? up.file.name : M.caseFiles.noFile }}</span>
        <el-button type="primary" :icon="Upload" :loading="up.busy" @click="send" data-test="attachment-send">{{ M.caseFiles.upload }}</el-button>
      </div>
      <el-alert v-if="up.error" :title="up.error" type="error" show-icon :closable="false" class="jf-block-b" data-test="attachment-error" />
      <el-table :data="items" v-loading="loading" size="small" :empty-text="M.caseFiles.empty" data-test="attachments-table">
        <el-table-column :label="M.caseFiles.cols.name" min-width="200">
          <template #default="{ row }">
            <template v-if="row.deleted_at">
              <span data-test="attachment-deleted">{{ row.name }}</span>
              <el-tag size="small" type="info" effect="plain" class="jf-tag-gap">{{ M.retention.fileDeleted }}</el-tag>
            </template>
            <a v-else :href="href(row)" :download="row.name" class="jf-case-link" data-test="attachment-link">{{ row.name }}</a>
          </template>
        </el-table-column>
        <el-table-column :label="M.caseFiles.cols.kind" width="90">
          <template #default="{ row }"><el-tag size="small" effect="plain" data-test="attachment-kind-tag">{{ kindName(row.kind) }}</el-tag></template>
        </el-table-column>
        <el-table-column :label="M.caseFiles.cols.size" width="100">
          <template #default="{ row }">{{ size(row.size) }}</template>
        </el-table-column>
        <el-table-column :label="M.caseFiles.cols.at" width="170">
          <template #default="{ row }">{{ dateTime(row.created_at) }}</template>
        </el-table-column>
      </el-table>
    </el-card>

    <el-card shadow="never" data-test="case-documents">
      <template #header>
        <div class="jf-card-head"><span>{{ M.caseFiles.documents }}</span>
          <el-button v-if="mayReveal && !fullReason" size="small" @click="printFull" data-test="print-full">{{ M.reveal.print }}</el-button>
          <el-button v-else-if="mayReveal" size="small" type="warning" plain @click="fullReason = ''" data-test="print-masked">{{ M.reveal.printOff }}</el-button>
        </div>
      </template>
      <p class="jf-hint">{{ M.caseFiles.documentsHint }}</p>
      <el-alert v-if="fullReason" :title="t(M.reveal.printOn, { reason: fullReason })" type="warning" show-icon :closable="false" class="jf-block-b" data-test="print-full-on" />
      <div v-if="docs.length" class="jf-doc-links">
        <a v-for="d in docs.filter((x) => x.ready !== false)" :key="d.kind" :href="docHref(d)" target="_blank" rel="noopener" :data-test="'document-' + d.kind">
          <el-icon><component :is="Printer" /></el-icon> {{ d.title }}
        </a>
      </div>
      <div v-if="docs.some((x) => x.ready === false)" class="jf-doc-links jf-doc-blank" data-test="documents-blank">
        <span class="jf-muted">{{ M.caseFiles.blankDocuments }}</span>
        <a v-for="d in docs.filter((x) => x.ready === false)" :key="d.kind" :href="docHref(d)" target="_blank" rel="noopener" class="jf-muted" :data-test="'document-' + d.kind">
          {{ d.title }}
        </a>
      </div>
      <p v-else class="jf-hint">{{ M.caseFiles.noDocuments }}</p>
    </el-card>
  </div>`,
};
