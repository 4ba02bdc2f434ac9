// Boots the single-page app: Element Plus in Chinese, the session restored from the server,
// then either the login screen or the layout with the screen the hash route names.

import { createApp, computed, defineAsyncComponent } from 'vue';
import ElementPlus, { ElMessage } from 'element-plus';
import zhCn from 'element-plus/zh-cn';
import M from './messages/zh-CN.js';
import * as api from './api.js';
import { session } from './session.js';
import { route } from './router.js';
import LoginScreen from './screens/login.js';
import LayoutScreen from './screens/layout.js';

// Pages anyone may open without logging in (名册公示, 服务清单): never the login page.
const PublicScreen = defineAsyncComponent(() => import('./screens/public.js'));
const isPublic = (path) => path === '/public' || path.startsWith('/public/');

const Root = {
  components: { LoginScreen, LayoutScreen, PublicScreen },
  setup() {
    const publicPage = computed(() => isPublic(route.path));
    return { session, M, publicPage };
  },
  template: `
    <public-screen v-if="publicPage" />
    <div v-else-if="!session.ready" class="jf-boot" v-loading="true" :element-loading-text="M.app.loading"></div>
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
