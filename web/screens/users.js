// 用户管理 (admin): the staff accounts of the jurisdiction (GET /api/v1/users, paged, with
// keyword and role filters) and a dialog creating one (POST /api/v1/users). The server
// validates; its errors[] are shown at the matching fields, a 409 at the login field.

import { onMounted, reactive, ref } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { Search, Refresh, Plus } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { t, roleName, dateTime, options, fieldErrors } from '../format.js';
import PageHead from '../components/page-head.js';

const FORM_FIELDS = ['login', 'name', 'password', 'phone', 'email', 'roles', 'org_id'];

// Roles an account can hold (the API's role list; 群众 are not accounts here). `partner` is a
// partner agency's integration account (its API token reads only its referrals), held alone.
const STAFF_ROLES = ['admin', 'clerk', 'dispatcher', 'mediator', 'supervisor', 'grid_worker', 'leader', 'partner'];

function emptyForm() {
  return { login: '', name: '', password: '', phone: '', email: '', roles: [], org_id: null };
}

export default {
  name: 'UsersScreen',
  components: { PageHead },
  setup() {
    const filters = reactive({ q: '', role: '' });
    const rows = ref([]);
    const total = ref(0);
    const page = ref(1);
    const perPage = ref(20);
    const loading = ref(false);

    const dialog = ref(false);
    const form = reactive(emptyForm());
    const errors = reactive(Object.fromEntries(FORM_FIELDS.map((f) => [f, ''])));
    const general = ref('');
    const saving = ref(false);
    const orgs = ref([]);
    const orgsLoading = ref(false);

    async function load() {
      loading.value = true;
      try {
        const r = await api.get('/users', {
          q: filters.q.trim(), role: filters.role, page: page.value, per_page: perPage.value,
        });
        rows.value = r.items;
        total.value = r.total;
      } catch (e) {
        if (e.status !== 401) ElMessage.error(t(M.common.loadFailed, { msg: e.message }));
      } finally {
        loading.value = false;
      }
    }

    function search() {
      page.value = 1;
      load();
    }

    function reset() {
      filters.q = '';
      filters.role = '';
      search();
    }

    function clearErrors() {
      for (const f of FORM_FIELDS) errors[f] = '';
      general.value = '';
    }

    async function openCreate() {
      Object.assign(form, emptyForm());
      clearErrors();
      dialog.value = true;
      orgsLoading.value = true;
      try {
        const r = await api.get('/organizations', { per_page: 500 });
        orgs.value = r.items;
      } catch (e) {
        if (e.status !== 401) general.value = t(M.common.loadFailed, { msg: e.message });
      } finally {
        orgsLoading.value = false;
      }
    }

    async function create() {
      if (saving.value) return;
      clearErrors();
      saving.value = true;
      const body = {
        login: form.login.trim(), name: form.name.trim(), password: form.password,
        roles: form.roles, org_id: form.org_id,
      };
      if (form.phone.trim()) body.phone = form.phone.trim();
      if (form.email.trim()) body.email = form.email.trim();
      try {
        const user = await api.post('/users', body);
        dialog.value = false;
        ElMessage.success(t(M.users.created, { name: user.name }));
        load();
      } catch (e) {
        if (e.status === 409) {
          errors.login = M.users.form.duplicate;
        } else {
          const { fields, other } = fieldErrors(e, FORM_FIELDS);
          Object.assign(errors, fields);
          for (const x of e.errors) {
            if (x.code === 'invalid' && M.users.form.invalid[x.field]) errors[x.field] = M.users.form.invalid[x.field];
          }
          if (other.length) general.value = other.join(M.common.sentenceSep);
          else if (!e.errors.length) general.value = e.message;
        }
      } finally {
        saving.value = false;
      }
    }

    // The address notifications are mailed to (PATCH /api/v1/users/{id} {email}; empty clears it).
    async function setEmail(row) {
      let value;
      try {
        ({ value } = await ElMessageBox.prompt(M.users.setEmailHint, t(M.users.setEmailTitle, { name: row.name }), {
          inputValue: row.email || '', inputPlaceholder: M.users.form.emailPlaceholder,
        }));
      } catch {
        return;
      }
      try {
        await api.patch(`/users/${row.id}`, { email: (value || '').trim() });
        ElMessage.success(M.users.emailSaved);
        load();
      } catch (e) {
        if (e.status === 400) ElMessage.error(M.users.form.invalid.email);
        else if (e.status !== 401) ElMessage.error(e.message);
      }
    }

    onMounted(load);

    return {
      M, filters, rows, total, page, perPage, loading, load, search, reset,
      dialog, form, errors, general, saving, orgs, orgsLoading, openCreate, create, setEmail,
      roleName, dateTime,
      roleOptions: options(M.roles).filter((o) => STAFF_ROLES.includes(o.value)),
      Search, Refresh, Plus,
    };
  },
  template: `
  <div data-test="users">
    <page-head :title="M.users.title" :subtitle="M.users.subtitle">
      <el-button type="primary" :icon="Plus" @click="openCreate" data-test="user-create">{{ M.users.create }}</el-button>
    </page-head>
    <el-card shadow="never">
      <el-form inline @submit.prevent="search" class="jf-filters">
        <el-form-item :label="M.users.q">
          <el-input v-model="filters.q" :placeholder="M.users.qPlaceholder" clearable data-test="user-q"
            @clear="search" />
        </el-form-item>
        <el-form-item :label="M.users.role">
          <el-select v-model="filters.role" :placeholder="M.common.all" clearable class="jf-select-md" @change="search">
            <el-option v-for="o in roleOptions" :key="o.value" :value="o.value" :label="o.label" />
          </el-select>
        </el-form-item>
        <el-form-item>
          <el-button type="primary" native-type="submit" :icon="Search">{{ M.common.search }}</el-button>
          <el-button :icon="Refresh" @click="reset">{{ M.common.reset }}</el-button>
        </el-form-item>
      </el-form>
      <el-table :data="rows" v-loading="loading" stripe :empty-text="M.users.empty" data-test="user-table">
        <el-table-column prop="login" :label="M.users.cols.login" min-width="120" />
        <el-table-column prop="name" :label="M.users.cols.name" width="100" />
        <el-table-column prop="phone" :label="M.users.cols.phone" width="130" />
        <el-table-column :label="M.users.cols.roles" min-width="150">
          <template #default="{ row }">
            <el-tag v-for="r in row.roles" :key="r" size="small" class="jf-tag-gap">{{ roleName(r) }}</el-tag>
          </template>
        </el-table-column>
        <el-table-column prop="org_name" :label="M.users.cols.org" min-width="260" show-overflow-tooltip />
        <el-table-column prop="region_name" :label="M.users.cols.region" width="110" />
        <el-table-column :label="M.users.cols.active" width="80">
          <template #default="{ row }">
            <el-tag :type="row.active ? 'success' : 'info'" size="small">{{ M.userActive[row.active] }}</el-tag>
          </template>
        </el-table-column>
        <el-table-column :label="M.users.cols.created" width="170">
          <template #default="{ row }">{{ dateTime(row.created_at) }}</template>
        </el-table-column>
        <el-table-column :label="M.users.form.email" min-width="170" show-overflow-tooltip>
          <template #default="{ row }">
            {{ row.email || '—' }}
            <el-button link type="primary" @click="setEmail(row)" data-test="user-email">{{ M.users.setEmail }}</el-button>
          </template>
        </el-table-column>
      </el-table>
      <el-pagination class="jf-pager" background layout="total, sizes, prev, pager, next, jumper"
        :total="total" v-model:current-page="page" v-model:page-size="perPage" :page-sizes="[20, 50, 100]"
        @current-change="load" @size-change="search" />
    </el-card>

    <el-dialog v-model="dialog" :title="M.users.form.title" width="520px" :close-on-click-modal="false"
      data-test="user-dialog">
      <el-form label-width="88px" @submit.prevent="create" v-loading="orgsLoading">
        <el-form-item :label="M.users.form.login" :error="errors.login" data-field="login">
          <el-input v-model="form.login" :placeholder="M.users.form.loginPlaceholder" autocomplete="off" />
        </el-form-item>
        <el-form-item :label="M.users.form.name" :error="errors.name" data-field="name">
          <el-input v-model="form.name" autocomplete="off" />
        </el-form-item>
        <el-form-item :label="M.users.form.password" :error="errors.password" data-field="password">
          <el-input v-model="form.password" type="password" show-password autocomplete="new-password"
            :placeholder="M.users.form.passwordPlaceholder" />
        </el-form-item>
        <el-form-item :label="M.users.form.phone" :error="errors.phone" data-field="phone">
          <el-input v-model="form.phone" autocomplete="off" />
        </el-form-item>
        <el-form-item :label="M.users.form.email" :error="errors.email" data-field="email">
          <el-input v-model="form.email" autocomplete="off" :placeholder="M.users.form.emailPlaceholder" />
        </el-form-item>
        <el-form-item :label="M.users.form.roles" :error="errors.roles" data-field="roles">
          <el-select v-model="form.roles" multiple :placeholder="M.users.form.rolesPlaceholder" class="jf-fill"
            popper-class="jf-roles-popper">
            <el-option v-for="o in roleOptions" :key="o.value" :value="o.value" :label="o.label" />
          </el-select>
        </el-form-item>
        <el-form-item :label="M.users.form.org" :error="errors.org_id" data-field="org_id">
          <el-select v-model="form.org_id" filterable :placeholder="M.users.form.orgPlaceholder" class="jf-fill"
            popper-class="jf-org-popper">
            <el-option v-for="o in orgs" :key="o.id" :value="o.id" :label="o.name" />
          </el-select>
        </el-form-item>
        <el-alert v-if="general" :title="general" type="error" show-icon :closable="false" data-test="user-form-error" />
        <button type="submit" hidden></button>
      </el-form>
      <template #footer>
        <el-button @click="dialog = false">{{ M.common.cancel }}</el-button>
        <el-button type="primary" :loading="saving" @click="create" data-test="user-save">{{ M.common.save }}</el-button>
      </template>
    </el-dialog>
  </div>`,
};
