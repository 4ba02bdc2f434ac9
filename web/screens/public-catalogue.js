// 服务清单 (public, no login): what can be applied for where, on what legal basis, with which
// documents and in what time (GET /api/v1/public/catalogue), so a citizen comes prepared.

import { onMounted, ref } from 'vue';
import { ElMessage } from 'element-plus';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { t } from '../format.js';

export default {
  name: 'PublicCatalogueScreen',
  setup() {
    const items = ref([]);
    const total = ref(0);
    const page = ref(1);
    const perPage = 50;
    const loading = ref(false);

    async function load() {
      loading.value = true;
      try {
        const r = await api.get('/public/catalogue', { page: page.value, per_page: perPage });
        items.value = r.items;
        total.value = r.total;
      } catch (e) {
        ElMessage.error(t(M.common.loadFailed, { msg: e.message }));
      } finally {
        loading.value = false;
      }
    }

    onMounted(load);
    return { M, items, total, page, perPage, loading, load };
  },
  template: `
  <div class="jf-public-page" data-test="public-catalogue">
    <div class="jf-public-intro">
      <h2 class="jf-page-title">{{ M.publicPages.catalogueTitle }}</h2>
      <p class="jf-page-subtitle">{{ M.publicPages.catalogueIntro }}</p>
    </div>
    <el-card shadow="never" v-loading="loading">
      <el-empty v-if="!loading && !items.length" :description="M.catalogue.empty" />
      <el-collapse>
        <el-collapse-item v-for="c in items" :key="c.id" :name="c.id">
          <template #title>
            <span class="jf-cat-title">{{ c.name }}</span>
            <el-tag v-if="c.level" size="small" effect="plain" class="jf-tag-after">{{ c.level }}</el-tag>
            <span class="jf-muted jf-tag-after">{{ c.handling_body }}</span>
          </template>
          <el-descriptions :column="1" border size="small">
            <el-descriptions-item :label="M.catalogue.cols.legal_basis">{{ c.legal_basis || M.common.none }}</el-descriptions-item>
            <el-descriptions-item :label="M.catalogue.cols.handling_body">{{ c.handling_body || M.common.none }}</el-descriptions-item>
            <el-descriptions-item :label="M.catalogue.cols.conditions">{{ c.conditions || M.common.none }}</el-descriptions-item>
            <el-descriptions-item :label="M.catalogue.cols.procedure"><div class="jf-pre">{{ c.procedure || M.common.none }}</div></el-descriptions-item>
            <el-descriptions-item :label="M.catalogue.cols.documents">
              <el-tag v-for="d in (c.documents || [])" :key="d" size="small" effect="plain" class="jf-tag-gap">{{ d }}</el-tag>
            </el-descriptions-item>
            <el-descriptions-item :label="M.catalogue.cols.time_limit">{{ c.time_limit || M.common.none }}</el-descriptions-item>
          </el-descriptions>
        </el-collapse-item>
      </el-collapse>
      <el-pagination v-if="total > perPage" class="jf-pager" background layout="prev, pager, next"
        :total="total" v-model:current-page="page" :page-size="perPage" @current-change="load" />
    </el-card>
  </div>`,
};
