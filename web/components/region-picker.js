// A region chooser: an ElTreeSelect over the caller's region tree, loaded a level at a time
// (GET /api/v1/regions?parent_id=, or GET /api/v1/public/regions for the public pages).
//
// v-model is a region id (or an array of ids with `multiple`). `selectable` limits which
// levels can be chosen (e.g. ['grid'] for a grid worker's grid); the others stay expandable
// but disabled. `cache` gives [{id, name}] of already chosen regions, so an edit dialog shows
// their names before their branch of the tree is loaded.

import { computed } from 'vue';
import { ElMessage } from 'element-plus';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { t, levelName } from '../format.js';

const LOWEST_LEVEL = 'grid';

export default {
  name: 'RegionPicker',
  props: {
    modelValue: { type: [Number, String, Array], default: null },
    selectable: { type: Array, default: null },
    multiple: { type: Boolean, default: false },
    public: { type: Boolean, default: false },
    cache: { type: Array, default: () => [] },
    placeholder: { type: String, default: '' },
    clearable: { type: Boolean, default: true },
    disabled: { type: Boolean, default: false },
  },
  emits: ['update:modelValue', 'change'],
  setup(props, { emit }) {
    const base = props.public ? '/public/regions' : '/regions';

    async function load(node, resolve) {
      try {
        const query = node.level === 0 ? { per_page: 500 } : { parent_id: node.data.id, per_page: 500 };
        const r = await api.get(base, query);
        resolve(r.items.map((x) => ({
          ...x,
          leaf: x.has_children === false || x.level === LOWEST_LEVEL,
          disabled: !!props.selectable && !props.selectable.includes(x.level),
        })));
      } catch (e) {
        if (e.status !== 401) ElMessage.error(t(M.common.loadFailed, { msg: e.message }));
        resolve([]);
      }
    }

    const cacheData = computed(() => props.cache.filter((c) => c && c.id != null)
      .map((c) => ({ id: c.id, name: c.name, leaf: true })));

    function update(v) {
      emit('update:modelValue', v === '' || v === undefined ? null : v);
      emit('change', v);
    }

    return {
      M, load, cacheData, update, levelName,
      treeProps: { label: 'name', isLeaf: 'leaf', disabled: 'disabled' },
      ph: computed(() => props.placeholder || M.regionPicker.placeholder),
    };
  },
  template: `
  <el-tree-select :model-value="modelValue" @update:model-value="update" lazy :load="load" :props="treeProps"
    node-key="id" check-strictly :multiple="multiple" :cache-data="cacheData" :placeholder="ph"
    :clearable="clearable" :disabled="disabled" :render-after-expand="false" collapse-tags
    collapse-tags-tooltip :max-collapse-tags="3" class="jf-region-picker" popper-class="jf-region-popper">
    <template #default="{ data }">
      <span class="jf-tree-node">
        <span>{{ data.name }}</span>
        <el-tag v-if="data.level" size="small" type="info" effect="plain">{{ levelName(data.level) }}</el-tag>
      </span>
    </template>
  </el-tree-select>`,
};
