// 登录: account and password, POST /api/v1/session. 401 → "账号或密码错误",
// 429 → "尝试次数过多，请 N 秒后再试" from its Retry-After, counted down, the button disabled
// meanwhile (web/countdown.js); anything else shows the problem's Chinese message.

import { reactive, ref, watch } from 'vue';
import { User, Lock } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { session, hasRole } from '../session.js';
import { route, go } from '../router.js';
import { findEntry, HOME } from '../nav.js';
import { fieldErrors, t } from '../format.js';
import { useCountdown, waitText } from '../countdown.js';

export default {
  name: 'LoginScreen',
  setup() {
    const form = reactive({ login: '', password: '' });
    const error = ref('');
    const fields = reactive({ login: '', password: '' });
    const busy = ref(false);
    const wait = useCountdown(() => { error.value = ''; });
    watch(wait.left, (n) => { if (n > 0) error.value = t(M.login.retryIn, { wait: waitText(n) }); });

    async function submit() {
      if (busy.value || wait.left.value > 0) return;
      busy.value = true;
      error.value = '';
      fields.login = fields.password = '';
      try {
        const user = await api.login(form.login, form.password);
        session.user = user;
        // Stay on the route the user was on (a reload after the session expired), unless it
        // is not one of theirs.
        const found = findEntry(route.path);
        if (!found || !hasRole(found.entry.roles)) go(HOME);
      } catch (e) {
        if (e.status === 401) {
          error.value = M.login.wrong;
          form.password = '';
        } else if (e.status === 429 && e.retryAfter) {
          wait.start(e.retryAfter);
        } else if (e.errors.length) {
          // An empty field is a validation error of the server, shown at the field.
          const { fields: f, other } = fieldErrors(e, ['login', 'password']);
          Object.assign(fields, f);
          error.value = other.join(M.common.sentenceSep);
        } else {
          error.value = e.message;
        }
      } finally {
        busy.value = false;
      }
    }

    return { M, form, error, fields, busy, submit, User, Lock, waitLeft: wait.left };
  },
  template: `
  <div class="jf-login">
    <div class="jf-login-panel">
      <section class="jf-login-hero">
        <div class="jf-login-brand">
          <img src="/favicon.svg" alt="" class="jf-login-logo">
          <span>{{ M.app.name }}</span>
        </div>
        <h1 class="jf-login-title">{{ M.app.title }}</h1>
        <ul class="jf-login-features">
          <li v-for="f in M.login.features" :key="f.title"><strong>{{ f.title }}</strong><span>{{ f.text }}</span></li>
        </ul>
        <p class="jf-login-slogan">{{ M.app.slogan }}</p>
      </section>
      <section class="jf-login-form">
        <h2>{{ M.login.heading }}</h2>
        <el-form label-position="top" size="large" @submit.prevent="submit" data-test="login-form">
          <el-form-item :label="M.login.login" :error="fields.login" data-field="login">
            <el-input v-model="form.login" name="login" autocomplete="username" :prefix-icon="User"
              :placeholder="M.login.loginPlaceholder" />
          </el-form-item>
          <el-form-item :label="M.login.password" :error="fields.password" data-field="password">
            <el-input v-model="form.password" name="password" type="password" show-password
              autocomplete="current-password" :prefix-icon="Lock" :placeholder="M.login.passwordPlaceholder" />
          </el-form-item>
          <el-alert v-if="error" :title="error" type="error" show-icon :closable="false"
            class="jf-login-error" data-test="login-error" />
          <el-button type="primary" native-type="submit" :loading="busy" :disabled="waitLeft > 0" class="jf-login-submit">
            {{ M.login.submit }}
          </el-button>
        </el-form>
        <p class="jf-login-public jf-login-citizen" data-test="citizen-links">
          <a href="#/public/apply" data-test="link-apply">{{ M.login.apply }}</a>
          <span class="jf-login-sep">|</span>
          <a href="#/public/track" data-test="link-track">{{ M.login.track }}</a>
        </p>
        <p class="jf-login-public" data-test="public-links">
          <a href="#/public/roster">{{ M.login.roster }}</a>
          <span class="jf-login-sep">|</span>
          <a href="#/public/catalogue">{{ M.login.catalogue }}</a>
        </p>
        <p class="jf-login-foot">{{ M.login.footer }}</p>
      </section>
    </div>
  </div>`,
};
