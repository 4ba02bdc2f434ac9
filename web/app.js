// Boots the single-page app: Element Plus in Chinese, the session restored from the server,
// then either the login screen or the layout with the screen the hash route names.

import { createApp } from 'vue';
import ElementPlus, { ElMessage } from 'element-plus';
import zhCn from 'element-plus/zh-cn';
import M from './messages/zh-CN.js';
import * as api from './api.js';
import { session } from './session.js';
import LoginScreen from './screens/login.js';
import LayoutScreen from './screens/layout.js';

const Root = {
  components: { LoginScreen, LayoutScreen },
  setup() {
    return { session, M };
  },
  template: `
    <div v-if="!session.ready" class="jf-boot" v-loading="true" :element-loading-text="M.app.loading"></div>
    <login-screen v-else-if="!session.user" />
    <layout-screen v-else />`,
};

// Any 401 outside the session calls means the session ended (expired, or logged out in
// another tab): drop the user, which shows the login screen over the current route.
api.onUnauthorized(() => {
  if (!session.user) return;
  session.user = null;
  api.forgetSession();
  ElMessage.warning(M.layout.sessionExpired);
});

document.title = M.app.documentTitle;
const app = createApp(Root);
app.use(ElementPlus, { locale: zhCn });
app.mount('#app');

try {
  session.user = await api.currentSession();
} catch (e) {
  ElMessage.error(e.message);
} finally {
  session.ready = true;
}
