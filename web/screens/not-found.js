// 页面不存在 / 无权访问: shown for a route that matches no navigation entry, or one the
// user's roles do not include.

import { computed } from 'vue';
import M from '../messages/zh-CN.js';
import { go } from '../router.js';
import { HOME } from '../nav.js';

export default {
  name: 'NotFoundScreen',
  props: { kind: { type: String, default: 'not-found' } },
  setup(props) {
    const text = computed(() => (props.kind === 'forbidden' ? M.screens.forbidden : M.screens.notFound));
    return { M, text, home: () => go(HOME) };
  },
  template: `
  <el-card shadow="never">
    <el-result :icon="kind === 'forbidden' ? 'warning' : 'info'" :title="text.title" :sub-title="text.text">
      <template #extra><el-button type="primary" @click="home">{{ M.screens.notFound.back }}</el-button></template>
    </el-result>
  </el-card>`,
};
