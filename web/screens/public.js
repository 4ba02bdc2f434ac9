// The frame of the pages anyone may open without logging in: 网上申请 (#/public/apply), 进度查询
// (#/public/track), 名册公示 (#/public/roster) and 服务清单 (#/public/catalogue), with a link to
// the staff login. app.js shows it for every #/public/ route whether or not someone is logged
// in, so these never turn into the login page. Citizens come here on their phones: below
// 640px the header wraps the menu onto its own scrollable row (style.css).

import { computed } from 'vue';
import M from '../messages/zh-CN.js';
import { route, go } from '../router.js';
import PublicRoster from './public-roster.js';
import PublicCatalogue from './public-catalogue.js';
import PublicApply from './public-apply.js';
import PublicTrack from './public-track.js';

// #/public alone (a link printed on a notice, say) opens the application form, the page a
// citizen most often comes for.
const PAGES = {
  '/public': PublicApply,
  '/public/apply': PublicApply,
  '/public/track': PublicTrack,
  '/public/roster': PublicRoster,
  '/public/catalogue': PublicCatalogue,
};

export default {
  name: 'PublicScreen',
  setup() {
    const page = computed(() => PAGES[route.path] || null);
    return { M, route, go, page };
  },
  template: `
  <el-container class="jf-public" data-test="public">
    <el-header class="jf-header" height="56px">
      <a class="jf-brand" href="#/public/roster">
        <img src="/favicon.svg" alt="" class="jf-brand-logo">
        <span class="jf-brand-name">{{ M.app.name }}</span>
        <span class="jf-brand-title">{{ M.publicPages.title }}</span>
      </a>
      <el-menu mode="horizontal" :default-active="route.path" :ellipsis="false" class="jf-public-menu" @select="go">
        <el-menu-item index="/public/apply" data-test="public-nav-apply">{{ M.publicPages.apply }}</el-menu-item>
        <el-menu-item index="/public/track" data-test="public-nav-track">{{ M.publicPages.track }}</el-menu-item>
        <el-menu-item index="/public/roster">{{ M.publicPages.roster }}</el-menu-item>
        <el-menu-item index="/public/catalogue">{{ M.publicPages.catalogue }}</el-menu-item>
      </el-menu>
      <a class="jf-public-login" href="#/login" data-test="public-login">{{ M.publicPages.staffLogin }}</a>
    </el-header>
    <el-main class="jf-public-main">
      <component v-if="page" :is="page" :key="route.path" />
      <el-result v-else icon="warning" :title="M.screens.notFound.title" :sub-title="M.screens.notFound.text">
        <template #extra><el-button type="primary" @click="go('/public/roster')">{{ M.publicPages.roster }}</el-button></template>
      </el-result>
    </el-main>
  </el-container>`,
};
