// 建设中: stands in for a navigation entry whose screen is not built yet (nav.js entry
// without `load`), so the menu already shows where the feature will live.

import { computed } from 'vue';
import { Tools } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import { t } from '../format.js';
import PageHead from '../components/page-head.js';

export default {
  name: 'PlaceholderScreen',
  components: { PageHead, Tools },
  props: { title: { type: String, required: true } },
  setup(props) {
    const text = computed(() => t(M.screens.placeholder.text, { name: props.title }));
    return { M, text };
  },
  template: `
  <div data-test="placeholder">
    <page-head :title="title">
      <el-tag type="warning" effect="light" size="large">{{ M.screens.placeholder.badge }}</el-tag>
    </page-head>
    <el-card shadow="never">
      <el-empty :description="text">
        <template #image><el-icon :size="96" class="jf-wip-icon"><tools /></el-icon></template>
      </el-empty>
    </el-card>
  </div>`,
};
