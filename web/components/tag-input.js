// A list of short texts edited as tags (e.g. the documents a catalogue item requires): each
// tag can be closed, and a small input adds one on Enter. v-model is the array of strings.

import { nextTick, ref } from 'vue';
import { Plus } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';

export default {
  name: 'TagInput',
  props: {
    modelValue: { type: Array, default: () => [] },
    addLabel: { type: String, default: '' },
    disabled: { type: Boolean, default: false },
  },
  emits: ['update:modelValue'],
  setup(props, { emit }) {
    const adding = ref(false);
    const text = ref('');
    const input = ref(null);

    function remove(i) {
      const v = props.modelValue.slice();
      v.splice(i, 1);
      emit('update:modelValue', v);
    }

    async function start() {
      adding.value = true;
      await nextTick();
      if (input.value) input.value.focus();
    }

    function commit() {
      const s = text.value.trim();
      if (s && !props.modelValue.includes(s)) emit('update:modelValue', [...props.modelValue, s]);
      text.value = '';
      adding.value = false;
    }

    return { M, adding, text, input, remove, start, commit, Plus };
  },
  template: `
  <div class="jf-tag-input">
    <el-tag v-for="(d, i) in modelValue" :key="d" :closable="!disabled" class="jf-tag-gap" @close="remove(i)">{{ d }}</el-tag>
    <template v-if="!disabled">
      <el-input v-if="adding" ref="input" v-model="text" size="small" class="jf-tag-new" data-test="tag-new"
        @keyup.enter="commit" @blur="commit" />
      <el-button v-else size="small" :icon="Plus" @click="start" data-test="tag-add">{{ addLabel || M.common.add }}</el-button>
    </template>
  </div>`,
};
