// 修改密码: the logged-in user changes their own password with
// POST /api/v1/users/{id}/password {old_password, password}. Password rules are the server's;
// its errors[] are shown at the fields. Only "the two new entries differ" is checked here,
// because the server never sees the repeated entry.

import { reactive, ref, watch } from 'vue';
import { ElMessage } from 'element-plus';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { session } from '../session.js';
import { fieldErrors } from '../format.js';

const FIELDS = ['old_password', 'password'];

export default {
  name: 'PasswordDialog',
  props: { modelValue: { type: Boolean, default: false } },
  emits: ['update:modelValue'],
  setup(props, { emit }) {
    const form = reactive({ old_password: '', password: '', repeat: '' });
    const errors = reactive({ old_password: '', password: '', repeat: '' });
    const general = ref('');
    const busy = ref(false);

    function clearErrors() {
      errors.old_password = errors.password = errors.repeat = '';
      general.value = '';
    }

    watch(() => props.modelValue, (open) => {
      if (open) {
        form.old_password = form.password = form.repeat = '';
        clearErrors();
      }
    });

    const close = () => emit('update:modelValue', false);

    async function submit() {
      clearErrors();
      if (form.password !== form.repeat) {
        errors.repeat = M.password.mismatch;
        return;
      }
      busy.value = true;
      try {
        await api.post(`/users/${session.user.id}/password`, {
          old_password: form.old_password,
          password: form.password,
        });
        ElMessage.success(M.password.done);
        close();
      } catch (e) {
        const { fields, other } = fieldErrors(e, FIELDS);
        Object.assign(errors, fields);
        // The server reports a wrong old password as `invalid` on old_password.
        if (e.errors.some((x) => x.field === 'old_password' && x.code === 'invalid')) errors.old_password = M.password.wrongOld;
        general.value = other.length ? other.join(M.common.sentenceSep) : (e.errors.length ? '' : e.message);
      } finally {
        busy.value = false;
      }
    }

    return { M, form, errors, general, busy, submit, close };
  },
  template: `
  <el-dialog :model-value="modelValue" @update:model-value="$emit('update:modelValue', $event)"
    :title="M.password.title" width="440px" :close-on-click-modal="false" append-to-body>
    <el-form label-width="96px" @submit.prevent="submit" data-test="password-form">
      <el-form-item :label="M.password.old" :error="errors.old_password" data-field="old_password">
        <el-input v-model="form.old_password" type="password" show-password autocomplete="current-password" />
      </el-form-item>
      <el-form-item :label="M.password.new" :error="errors.password" data-field="password">
        <el-input v-model="form.password" type="password" show-password autocomplete="new-password" />
      </el-form-item>
      <el-form-item :label="M.password.repeat" :error="errors.repeat" data-field="repeat">
        <el-input v-model="form.repeat" type="password" show-password autocomplete="new-password" />
      </el-form-item>
      <el-alert v-if="general" :title="general" type="error" show-icon :closable="false" />
      <button type="submit" hidden></button>
    </el-form>
    <template #footer>
      <el-button @click="close">{{ M.common.cancel }}</el-button>
      <el-button type="primary" :loading="busy" @click="submit">{{ M.common.confirm }}</el-button>
    </template>
  </el-dialog>`,
};
