// 消息: my notifications (GET /api/v1/notifications, paged, newest first): what happened,
// when, a link to the case; marking one read (POST /api/v1/notifications/{id}/read) or all
// of them (POST /api/v1/notifications/read-all). A list rather than a table, so that a long
// title wraps on a phone. The header's bell is told to count again after each change.

import { onMounted, ref } from 'vue';
import { ElMessage } from 'element-plus';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { dateTime } from '../format.js';
import { go } from '../router.js';
import { usePagedList, loadFailed } from '../list.js';
import PageHead from '../components/page-head.js';

const changed = () => window.dispatchEvent(new Event('jf-notifications-changed'));

export default {
  name: 'NotificationsScreen',
  components: { PageHead },
  setup() {
    const unreadOnly = ref(false);
    const unread = ref(0);
    const { rows, total, page, perPage, loading, load, search } = usePagedList(async (p) => {
      const r = await api.get('/notifications', { unread: unreadOnly.value ? 'true' : undefined, ...p });
      unread.value = r.unread;
      return r;
    });

    async function markRead(n) {
      if (n.read_at) return;
      try {
        await api.post(`/notifications/${n.id}/read`, {});
        n.read_at = new Date().toISOString();
        unread.value = Math.max(0, unread.value - 1);
        changed();
      } catch (e) {
        loadFailed(e);
      }
    }

    async function readAll() {
      try {
        await api.post('/notifications/read-all', {});
        ElMessage.success(M.notifications.allRead);
        changed();
        load();
      } catch (e) {
        loadFailed(e);
      }
    }

    async function open(n) {
      await markRead(n);
      if (n.link) go(n.link);
    }

    const kindName = (k) => M.notifications.kinds[k] || k;

    onMounted(load);
    return { M, rows, total, page, perPage, loading, load, search, unreadOnly, unread, markRead, readAll, open, kindName, dateTime };
  },
  template: `
  <div data-test="notifications">
    <page-head :title="M.notifications.title" :subtitle="M.notifications.subtitle">
      <el-button :disabled="!unread" @click="readAll" data-test="notifications-read-all">{{ M.notifications.readAll }}</el-button>
    </page-head>
    <el-card shadow="never">
      <el-form inline class="jf-filters">
        <el-form-item>
          <el-switch v-model="unreadOnly" :active-text="M.notifications.unreadOnly" @change="search" data-test="notifications-unread-only" />
        </el-form-item>
      </el-form>
      <div v-loading="loading">
        <el-empty v-if="!rows.length" :description="M.notifications.empty" />
        <div v-for="n in rows" :key="n.id" class="jf-inbox-item" :data-test="'notice-' + n.id" :data-read="n.read_at ? 'yes' : 'no'">
          <div class="jf-notice-main">
            <div>
              <el-tag size="small" :type="n.read_at ? 'info' : 'danger'" effect="plain" class="jf-tag-gap">{{ n.read_at ? M.notifications.read : M.notifications.unread }}</el-tag>
              <el-tag size="small" effect="plain">{{ kindName(n.kind) }}</el-tag>
              <span class="jf-muted jf-notice-time">{{ dateTime(n.created_at) }}</span>
            </div>
            <div :class="{ 'jf-notice-unread': !n.read_at }" class="jf-notice-title">{{ n.title }}</div>
            <div v-if="n.body" class="jf-notice-body">{{ n.body }}</div>
          </div>
          <div class="jf-notice-actions">
            <el-button v-if="n.link" link type="primary" @click="open(n)">{{ M.notifications.open }}</el-button>
            <el-button v-if="!n.read_at" link @click="markRead(n)" data-test="notice-read">{{ M.notifications.markRead }}</el-button>
          </div>
        </div>
      </div>
      <el-pagination class="jf-pager" background layout="total, prev, pager, next"
        :total="total" v-model:current-page="page" :page-size="perPage" @current-change="load" />
    </el-card>
  </div>`,
};
