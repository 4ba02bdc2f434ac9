// The navigation table: every screen of the app is one entry here plus one file in screens/.
// A feature plugs in by adding its screen file and its entry (path, label, icon, roles, load).
//
// `roles` only decides what the menu offers; the server enforces access on every endpoint
// (a screen shown by mistake would get 403 from the API, never data).
// `load` missing means the screen is not built yet: the app shows the "建设中" placeholder.
// `menu: false` keeps an entry out of the menu (detail pages reached from a list).

import { markRaw } from 'vue';
import {
  HomeFilled, EditPen, Tickets, Warning, DataAnalysis, OfficeBuilding, User, Document,
} from '@element-plus/icons-vue';
import M from './messages/zh-CN.js';
import { match } from './router.js';

const ALL = '*';

export const nav = [
  {
    path: '/home', label: M.nav.home, icon: HomeFilled, roles: ALL,
    load: () => import('./screens/home.js'),
  },
  {
    path: '/intake', label: M.nav.intake, icon: EditPen, roles: ['clerk', 'grid_worker', 'dispatcher'],
  },
  {
    path: '/cases', label: M.nav.cases, icon: Tickets,
    roles: ['clerk', 'dispatcher', 'mediator', 'supervisor', 'leader', 'grid_worker'],
  },
  {
    path: '/warnings', label: M.nav.warnings, icon: Warning,
    roles: ['grid_worker', 'mediator', 'dispatcher', 'supervisor', 'leader'],
  },
  {
    path: '/stats', label: M.nav.stats, icon: DataAnalysis, roles: ['supervisor', 'leader', 'admin'],
  },
  {
    path: '/organizations', label: M.nav.organizations, icon: OfficeBuilding, roles: ALL,
    load: () => import('./screens/organizations.js'),
  },
  {
    path: '/users', label: M.nav.users, icon: User, roles: ['admin'],
    load: () => import('./screens/users.js'),
  },
  {
    path: '/audit', label: M.nav.audit, icon: Document, roles: ['admin'],
    load: () => import('./screens/audit.js'),
  },
].map((e) => ({ ...e, icon: markRaw(e.icon) }));

/** The landing path after login. */
export const HOME = '/home';

/** The entry whose path matches `path`, with its params: {entry, params}, or null. */
export function findEntry(path) {
  for (const entry of nav) {
    const params = match(entry.path, path);
    if (params) return { entry, params };
  }
  return null;
}
