// 工作台: first the caller's to-do counts (GET /api/v1/workbench: what waits for their roles
// in their region, a mediator's among their own cases), each a link into the register
// filtered to exactly those cases; then the greeting, the user's organization, region and
// roles, what each role is for, and the screens the user can open.
// A leader's home opens on the headline figures of their region for this month
// (GET /api/v1/stats/summary), small cards each leading to 统计分析.

import { computed, onMounted, ref } from 'vue';
import { OfficeBuilding, Location, UserFilled } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import { session, hasRole } from '../session.js';
import { go } from '../router.js';
import { nav, HOME } from '../nav.js';
import { t, roleName } from '../format.js';
import { columns } from '../media.js';
import * as api from '../api.js';
import { periodRange, headlineCards } from '../components/stats-figures.js';

// To-dos that mean something is late: their count shows in red.
const ALARMS = ['overdue', 'orders_open', 'instalments_late'];

function greetingWord(hour) {
  if (hour < 11) return M.home.morning;
  if (hour < 13) return M.home.noon;
  if (hour < 18) return M.home.afternoon;
  return M.home.evening;
}

export default {
  name: 'HomeScreen',
  components: { OfficeBuilding, Location, UserFilled },
  setup() {
    const user = computed(() => session.user);
    const greeting = computed(() =>
      t(M.home.greeting, { greet: greetingWord(new Date().getHours()), name: user.value.name || user.value.login }));
    const roles = computed(() => (user.value.roles || []).map((r) => ({
      key: r, name: roleName(r), duty: M.roleDuties[r] || '',
    })));
    const shortcuts = computed(() => nav.filter((e) => e.path !== HOME && e.menu !== false && hasRole(e.roles)));
    const todos = ref(null);
    const todosError = ref('');
    const isLeader = computed(() => hasRole(['leader']));
    const headlines = ref(null);
    const headlinesError = ref('');
    async function loadHeadlines() {
      try {
        // No region_id: the summary is of the caller's own region.
        headlines.value = headlineCards(await api.get('/stats/summary', periodRange('month')));
      } catch (e) {
        if (e.status !== 401) headlinesError.value = t(M.common.loadFailed, { msg: e.message });
      }
    }
    onMounted(async () => {
      if (isLeader.value) loadHeadlines();
      try {
        todos.value = await api.get('/workbench');
      } catch (e) {
        if (e.status !== 401) todosError.value = t(M.home.todosFailed, { msg: e.message });
      }
    });
    const todoItems = computed(() => (todos.value ? todos.value.items : []).map((i) => ({
      ...i, label: M.todos[i.key]?.label || i.key, hint: M.todos[i.key]?.hint || '',
      href: '#/cases?' + i.query, alarm: ALARMS.includes(i.key),
    })));
    return {
      M, user, greeting, roles, shortcuts, go, columns, todos, todosError, todoItems, isLeader, headlines, headlinesError,
    };
  },
  template: `
  <div class="jf-home" data-test="home">
    <el-card v-if="isLeader" shadow="never" class="jf-home-stats" data-test="home-stats">
      <template #header>
        {{ M.stats.homeTitle }} <span class="jf-todos-scope">{{ user.region_name }}</span>
        <a href="#/stats" class="jf-home-stats-more" data-test="home-stats-more">{{ M.stats.homeMore }}</a>
      </template>
      <el-alert v-if="headlinesError" :title="headlinesError" type="error" show-icon :closable="false" />
      <div v-else class="jf-stats-cards" v-loading="!headlines">
        <a v-for="c in headlines || []" :key="c.key" href="#/stats" class="jf-stat-card" :title="c.hint" :data-test="'home-stat-' + c.key">
          <div class="jf-stat-label">{{ c.label }}</div>
          <div class="jf-stat-value" data-test="stat-value">{{ c.value }}</div>
          <div v-if="c.asOf" class="jf-stat-cmp">{{ c.asOf }}</div>
          <div v-else class="jf-stat-cmp" :class="'is-' + c.prev.tone">{{ M.stats.vsPrevious }} {{ c.prev.arrow }}{{ c.prev.text }}</div>
        </a>
      </div>
    </el-card>
    <el-card shadow="never" data-test="todos">
      <template #header>
        {{ M.home.todosTitle }}
        <span v-if="todos" class="jf-todos-scope">{{ todos.mine ? M.home.todosMine : M.home.todosScope }}</span>
      </template>
      <el-alert v-if="todosError" :title="todosError" type="error" show-icon :closable="false" />
      <div v-else-if="todos && !todoItems.length" class="jf-muted">{{ M.home.todosEmpty }}</div>
      <div v-else class="jf-todos" v-loading="!todos">
        <a v-for="i in todoItems" :key="i.key" :href="i.href" :title="i.hint" class="jf-todo"
          :class="{ 'is-pending': i.count > 0, 'is-alarm': i.alarm }" :data-test="'todo-' + i.key">
          <div class="jf-todo-count" data-test="todo-count">{{ i.count }}</div>
          <div class="jf-todo-label">{{ i.label }}</div>
          <div class="jf-todo-hint">{{ i.hint }}</div>
        </a>
      </div>
    </el-card>
    <el-card shadow="never" class="jf-welcome">
      <div class="jf-welcome-row">
        <div>
          <h2 class="jf-welcome-title" data-test="greeting">{{ greeting }}</h2>
          <p class="jf-welcome-sub">{{ M.home.intro }}</p>
        </div>
        <p class="jf-welcome-slogan">{{ M.app.slogan }}</p>
      </div>
      <el-descriptions :column="columns(3)" border class="jf-welcome-desc">
        <el-descriptions-item>
          <template #label><el-icon><office-building /></el-icon> {{ M.home.org }}</template>
          <span data-test="home-org">{{ user.org_name }}</span>
        </el-descriptions-item>
        <el-descriptions-item>
          <template #label><el-icon><location /></el-icon> {{ M.home.region }}</template>
          <span data-test="home-region">{{ user.region_name }}</span>
        </el-descriptions-item>
        <el-descriptions-item>
          <template #label><el-icon><user-filled /></el-icon> {{ M.home.login }}</template>
          {{ user.login }}
        </el-descriptions-item>
        <el-descriptions-item :span="columns(3)" :label="M.home.roles">
          <el-tag v-for="r in roles" :key="r.key" class="jf-tag-gap" data-test="home-role">{{ r.name }}</el-tag>
        </el-descriptions-item>
      </el-descriptions>
    </el-card>

    <el-row :gutter="16">
      <el-col :xs="24" :sm="12">
        <el-card shadow="never" class="jf-home-card">
          <template #header>{{ M.home.duties }}</template>
          <ul class="jf-duties">
            <li v-for="r in roles" :key="r.key"><strong>{{ r.name }}</strong><span>{{ r.duty }}</span></li>
          </ul>
        </el-card>
      </el-col>
      <el-col :xs="24" :sm="12">
        <el-card shadow="never" class="jf-home-card">
          <template #header>{{ M.home.shortcuts }}</template>
          <div class="jf-shortcuts">
            <el-button v-for="e in shortcuts" :key="e.path" :icon="e.icon" size="large" class="jf-shortcut"
              @click="go(e.path)">
              {{ e.label }}
            </el-button>
          </div>
        </el-card>
      </el-col>
    </el-row>
  </div>`,
};
