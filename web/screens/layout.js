// The frame around every screen after login: header (product, the user's organization and
// region, user menu with 修改密码 / 退出登录), the navigation menu filtered by role, and the
// content area showing the screen the route names (see nav.js).
//
// On a narrow screen (a phone, under 768 px: media.js) the menu is not beside the content but
// in a drawer opened by the button at the left of the header, and closed again by choosing a
// screen; the header keeps only the product name, the bell and the user menu.
//
// The bell shows how many of my notifications are unread (GET /api/v1/notifications,
// polled every 60 s and whenever the route changes, e.g. after reading them) and opens
// /notifications.

import { computed, defineAsyncComponent, onBeforeUnmount, ref, watch, watchEffect } from 'vue';
import { ElMessage } from 'element-plus';
import { OfficeBuilding, Location, ArrowDown, Lock, SwitchButton, Expand, Bell } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { session, hasRole, loadScope } from '../session.js';
import { route, go } from '../router.js';
import { findEntry, menuFor, groups, HOME } from '../nav.js';
import { roleName, t } from '../format.js';
import { narrow } from '../media.js';
import PasswordDialog from '../components/password-dialog.js';
import NotFound from './not-found.js';

// One async component per entry, created once so revisiting a screen does not reload it.
const loaded = new Map();
function screenFor(entry) {
  if (!loaded.has(entry.path)) loaded.set(entry.path, defineAsyncComponent(entry.load));
  return loaded.get(entry.path);
}

// The navigation menu: beside the content on a wide screen, in the drawer on a narrow one.
const NavMenu = {
  name: 'NavMenu',
  props: { menu: { type: Array, required: true }, active: { type: String, default: '' }, openGroups: { type: Array, required: true } },
  emits: ['select'],
  setup() {
    return { M };
  },
  template: `
  <el-menu :default-active="active" :default-openeds="openGroups" class="jf-menu" data-test="nav" @select="(p) => $emit('select', p)">
    <template v-for="item in menu" :key="item.entry ? item.entry.path : item.group.key">
      <el-sub-menu v-if="item.group" :index="item.group.key" :data-test="'nav-group-' + item.group.key">
        <template #title>
          <el-icon><component :is="item.group.icon" /></el-icon>
          <span class="jf-menu-group">{{ item.group.label }}</span>
        </template>
        <el-menu-item v-for="e in item.entries" :key="e.path" :index="e.path">
          <el-icon><component :is="e.icon" /></el-icon>
          <span class="jf-menu-label">{{ e.label }}</span>
        </el-menu-item>
      </el-sub-menu>
      <el-menu-item v-else :index="item.entry.path">
        <el-icon><component :is="item.entry.icon" /></el-icon>
        <span class="jf-menu-label">{{ item.entry.label }}</span>
      </el-menu-item>
    </template>
  </el-menu>`,
};

export default {
  name: 'LayoutScreen',
  components: { PasswordDialog, OfficeBuilding, Location, ArrowDown, NavMenu, Bell },
  setup() {
    const user = computed(() => session.user);
    const menu = computed(() => menuFor((e) => hasRole(e.roles)));
    // Submenus start open: the registry screens are one click away, as before they were grouped.
    const openGroups = groups.map((g) => g.key);
    // Screens ask whether the user is the top administrator (session.root); load it once.
    loadScope().catch(() => {});
    const roleNames = computed(() => (user.value.roles || []).map(roleName));
    const passwordOpen = ref(false);
    // The menu drawer of a narrow screen: closed whenever the route changes or the window widens.
    const drawer = ref(false);
    watch(() => route.path, () => { drawer.value = false; });
    watch(narrow, (n) => { if (!n) drawer.value = false; });
    const choose = (path) => {
      drawer.value = false;
      go(path);
    };

    // The bell: my unread count. A failed poll keeps the last count (the next one retries).
    const unread = ref(0);
    const POLL_MS = 60000;
    async function pollUnread() {
      try {
        unread.value = (await api.get('/notifications', { unread: 'true', per_page: 1 })).unread;
      } catch {
        // 401 is handled by the app (back to login); anything else waits for the next poll.
      }
    }
    pollUnread();
    const timer = setInterval(pollUnread, POLL_MS);
    onBeforeUnmount(() => clearInterval(timer));
    watch(() => route.path, pollUnread);
    window.addEventListener('jf-notifications-changed', pollUnread);
    onBeforeUnmount(() => window.removeEventListener('jf-notifications-changed', pollUnread));

    // "/" and "/login" are not screens once logged in: land on the home screen.
    watchEffect(() => {
      if (route.path === '/' || route.path === '/login') location.replace('#' + HOME);
    });

    const current = computed(() => {
      const found = findEntry(route.path);
      if (!found) return { component: NotFound, props: { kind: 'not-found' }, active: '' };
      const { entry, params } = found;
      if (!hasRole(entry.roles)) return { component: NotFound, props: { kind: 'forbidden' }, active: '' };
      return { component: screenFor(entry), props: { params }, active: entry.activeAs || entry.path };
    });

    async function onCommand(cmd) {
      if (cmd === 'password') {
        passwordOpen.value = true;
      } else if (cmd === 'logout') {
        try {
          await api.logout();
        } catch {
          // The session is forgotten locally either way; the server drops it on expiry.
        }
        session.user = null;
        location.hash = '#/login';
        ElMessage.success(M.layout.loggedOut);
      }
    }

    return {
      M, user, menu, openGroups, roleNames, current, route, go, onCommand, passwordOpen, Lock, SwitchButton, HOME,
      narrow, drawer, choose, Expand, Bell, unread, t,
    };
  },
  template: `
  <el-container class="jf-shell">
    <el-header class="jf-header" height="56px">
      <el-button v-if="narrow" :icon="Expand" text class="jf-nav-toggle" :aria-label="M.layout.menu" :title="M.layout.menu"
        @click="drawer = true" data-test="nav-toggle" />
      <a class="jf-brand" :href="'#' + HOME">
        <img src="/favicon.svg" alt="" class="jf-brand-logo">
        <span class="jf-brand-name">{{ M.app.name }}</span>
        <span class="jf-brand-title">{{ M.app.title }}</span>
      </a>
      <div class="jf-header-right">
        <div v-if="!narrow" class="jf-header-org" data-test="header-org">
          <el-icon><office-building /></el-icon>
          <span :title="M.layout.org">{{ user.org_name }}</span>
          <el-icon class="jf-header-gap"><location /></el-icon>
          <span :title="M.layout.region">{{ user.region_name }}</span>
        </div>
        <a class="jf-bell" href="#/notifications" data-test="bell"
          :title="unread ? t(M.layout.bellUnread, { n: unread }) : M.layout.bell"
          :aria-label="unread ? t(M.layout.bellUnread, { n: unread }) : M.layout.bell">
          <el-badge :value="unread" :hidden="!unread" :max="99" data-test="bell-count">
            <el-icon :size="20"><bell /></el-icon>
          </el-badge>
        </a>
        <el-dropdown trigger="click" @command="onCommand">
          <span class="jf-user" data-test="user-menu" tabindex="0">
            <el-avatar :size="30" class="jf-user-avatar">{{ (user.name || user.login).slice(0, 1) }}</el-avatar>
            <span class="jf-user-name">{{ user.name }}</span>
            <template v-if="!narrow"><span v-for="r in roleNames" :key="r" class="jf-user-role">{{ r }}</span></template>
            <el-icon><arrow-down /></el-icon>
          </span>
          <template #dropdown>
            <el-dropdown-menu>
              <el-dropdown-item command="password" :icon="Lock">{{ M.layout.changePassword }}</el-dropdown-item>
              <el-dropdown-item command="logout" :icon="SwitchButton" divided>{{ M.layout.logout }}</el-dropdown-item>
            </el-dropdown-menu>
          </template>
        </el-dropdown>
      </div>
    </el-header>
    <el-container class="jf-body">
      <el-aside v-if="!narrow" width="212px" class="jf-aside">
        <nav-menu :menu="menu" :active="current.active" :open-groups="openGroups" @select="choose" />
      </el-aside>
      <el-main class="jf-main">
        <component :is="current.component" v-bind="current.props" :key="route.path" />
      </el-main>
    </el-container>
    <el-drawer v-if="narrow" v-model="drawer" direction="ltr" size="260px" :with-header="false" class="jf-nav-drawer"
      data-test="nav-drawer">
      <div class="jf-drawer-user">
        <div class="jf-drawer-name">{{ user.name }}</div>
        <div class="jf-muted">{{ user.org_name }} · {{ user.region_name }}</div>
        <div class="jf-drawer-roles"><span v-for="r in roleNames" :key="r" class="jf-drawer-role">{{ r }}</span></div>
      </div>
      <nav-menu :menu="menu" :active="current.active" :open-groups="openGroups" @select="choose" />
    </el-drawer>
    <password-dialog v-model="passwordOpen" />
  </el-container>`,
};
