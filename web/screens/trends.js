// 趋势预警 (#/trends): the warnings of the daily trend scan (GET /api/v1/trends), each as one
// Chinese sentence built here from the numbers the API gives (region, category, observed,
// baseline, ratio). No chart here yet: the charts (ECharts) are on 统计分析 (screens/stats.js).

import { onMounted, ref } from 'vue';
import { ElMessage } from 'element-plus';
import { Refresh } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { t, categoryName, levelName } from '../format.js';
import PageHead from '../components/page-head.js';

const one = (x) => (Math.round(x * 10) / 10).toString();

export default {
  name: 'TrendsScreen',
  components: { PageHead },
  setup() {
    const items = ref([]);
    const loading = ref(false);
    async function load() {
      loading.value = true;
      try {
        items.value = (await api.get('/trends', { per_page: 200 })).items;
      } catch (e) {
        if (e.status !== 401) ElMessage.error(t(M.common.loadFailed, { msg: e.message }));
      } finally {
        loading.value = false;
      }
    }
    const sentence = (w) => t(M.trends.sentence, { region: w.region_name, category: categoryName(w.category), observed: w.observed, ratio: one(w.ratio) });
    const detail = (w) => t(M.trends.detail, { baseline: one(w.baseline), end: w.window_end });
    onMounted(load);
    return { M, items, loading, load, sentence, detail, levelName, Refresh };
  },
  template: `
  <div data-test="trends">
    <page-head :title="M.trends.title" :subtitle="M.trends.subtitle">
      <el-button :icon="Refresh" @click="load">{{ M.common.refresh }}</el-button>
    </page-head>
    <el-card shadow="never" v-loading="loading">
      <el-empty v-if="!items.length" :description="M.trends.empty" :image-size="80" />
      <div v-for="w in items" :key="w.id" class="jf-trend" data-test="trend">
        <el-tag type="danger" effect="dark" size="small">{{ w.ratio >= 10 ? '≥10' : (Math.round(w.ratio * 10) / 10) }}×</el-tag>
        <span class="jf-tag-after" data-test="trend-sentence">{{ sentence(w) }}</span>
        <div class="jf-muted">{{ levelName(w.region_level) }} · {{ detail(w) }}</div>
      </div>
    </el-card>
  </div>`,
};
