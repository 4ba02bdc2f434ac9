// A paged list as the registry screens show it: rows and total from a GET that answers
// {items, total}, the page and page size, a loading flag, and the failure said in a toast
// (a 401 is the login page's to handle).

import { ref } from 'vue';
import { ElMessage } from 'element-plus';
import M from './messages/zh-CN.js';
import { t } from './format.js';

/** Toasts a failed load (not a 401: the app returns to the login page for that). */
export const loadFailed = (e) => { if (e.status !== 401) ElMessage.error(t(M.common.loadFailed, { msg: e.message })); };

/**
 * `fetch({page, per_page})` returns a page; `load()` runs it for the current page,
 * `search()` goes back to the first page (after a filter changed).
 */
export function usePagedList(fetch, { perPage = 20 } = {}) {
  const rows = ref([]);
  const total = ref(0);
  const page = ref(1);
  const size = ref(perPage);
  const loading = ref(false);

  async function load() {
    loading.value = true;
    try {
      const r = await fetch({ page: page.value, per_page: size.value });
      rows.value = r.items;
      total.value = r.total;
    } catch (e) {
      loadFailed(e);
    } finally {
      loading.value = false;
    }
  }

  function search() {
    page.value = 1;
    load();
  }

  return { rows, total, page, perPage: size, loading, load, search };
}
