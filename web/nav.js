// The navigation table: every screen of the app is one entry here plus one file in screens/.
// A feature plugs in by adding its screen file and its entry (path, label, icon, roles, load).
// Every entry has its `load`: a menu entry for a screen not built yet (the old 建设中
// placeholder) went with the last such screen, 统计分析.
//
// `roles` only decides what the menu offers; the server enforces access on every endpoint
// (a screen shown by mistake would get 403 from the API, never data).
// `menu: false` keeps an entry out of the menu (detail pages reached from a list); `activeAs`
// names the menu entry highlighted while it is shown.
// `group` puts an entry into one of the submenus of `groups` (in the order of `groups`).
//
// Pages under #/public/ (名册公示, 服务清单) are not here: they need no login and are shown
// by app.js outside the frame (see screens/public.js).

import { markRaw } from 'vue';
import {
  HomeFilled, EditPen, Tickets, Warning, DataAnalysis, OfficeBuilding, User, Document,
  Location, Avatar, Reading, Grid, Share, List, Calendar, AlarmClock, Upload, Collection, Setting, Bell, Tools, Medal,
} from '@element-plus/icons-vue';
import M from './messages/zh-CN.js';
import { match } from './router.js';

const ALL = '*';

export const groups = [
  { key: 'warnings', label: M.nav.groups.warnings, icon: markRaw(Warning) },
  { key: 'registry', label: M.nav.groups.registry, icon: markRaw(Collection) },
  { key: 'rules', label: M.nav.groups.rules, icon: markRaw(Setting) },
];

export const nav = [
  {
    path: '/home', label: M.nav.home, icon: HomeFilled, roles: ALL,
    load: () => import('./screens/home.js'),
  },
  // 工作台: registering a dispute (intake roles as POST /api/v1/cases allows) and the case
  // register every staff member works from; a case's page is reached from the list.
  {
    path: '/intake', label: M.nav.intake, icon: EditPen, roles: ['clerk', 'dispatcher', 'grid_worker', 'admin'],
    load: () => import('./screens/intake.js'),
  },
  {
    path: '/cases', label: M.nav.cases, icon: Tickets, roles: ALL,
    load: () => import('./screens/cases.js'),
  },
  {
    path: '/cases/:id', label: M.nav.caseDetail, icon: Tickets, roles: ALL, menu: false, activeAs: '/cases',
    load: () => import('./screens/case-detail.js'),
  },
  // 排查预警 (issue 10): one entry per screen; docs/risk.md.
  {
    path: '/risk', label: M.nav.riskBoard, icon: Warning, group: 'warnings',
    roles: ['mediator', 'dispatcher', 'supervisor', 'leader', 'admin'],
    load: () => import('./screens/risk.js'),
  },
  {
    path: '/alerts', label: M.nav.alerts, icon: Bell, group: 'warnings',
    roles: ['mediator', 'dispatcher', 'supervisor', 'leader', 'admin'],
    load: () => import('./screens/alerts.js'),
  },
  {
    path: '/investigation', label: M.nav.investigation, icon: Calendar, group: 'warnings',
    roles: ['grid_worker', 'mediator', 'dispatcher', 'supervisor', 'leader', 'admin'],
    load: () => import('./screens/investigation.js'),
  },
  {
    path: '/trends', label: M.nav.trends, icon: DataAnalysis, group: 'warnings',
    roles: ['dispatcher', 'supervisor', 'leader', 'admin'],
    load: () => import('./screens/trends.js'),
  },
  {
    path: '/key-persons', label: M.nav.keyPersons, icon: User, group: 'warnings',
    roles: ['supervisor', 'leader', 'admin'],
    load: () => import('./screens/key-persons.js'),
  },
  {
    path: '/notifications', label: M.nav.notifications, icon: Bell, roles: ALL, menu: false,
    load: () => import('./screens/notifications.js'),
  },
  {
    path: '/notify-admin', label: M.nav.notifyAdmin, icon: Share, roles: ['admin'], group: 'rules',
    load: () => import('./screens/notify-admin.js'),
  },
  // 督办台: warnings, supervision orders by responsible unit, overdue cases (GET /api/v1/warnings
  // answers supervisors, leaders, dispatchers and admins).
  {
    path: '/supervision', label: M.nav.supervision, icon: Bell, roles: ['supervisor', 'leader', 'dispatcher', 'admin'],
    load: () => import('./screens/supervision.js'),
  },
  // 纠纷台账 (issue 11): the ledger of a region and period; GET /api/v1/ledger answers any
  // staff member, the menu offers it to those who report on a jurisdiction.
  {
    path: '/ledger', label: M.nav.ledger, icon: List, roles: ['dispatcher', 'supervisor', 'leader', 'admin'],
    load: () => import('./screens/ledger.js'),
  },
  // 统计分析 (issue 11): the figures of a region and period, charts with drill-down, 大屏.
  {
    path: '/stats', label: M.nav.stats, icon: DataAnalysis, roles: ['supervisor', 'leader', 'admin'],
    load: () => import('./screens/stats.js'),
  },
  // 研判专报 (issue 11 part 3): the monthly report, generated, edited, issued (api reports).
  {
    path: '/reports', label: M.nav.reports, icon: Document, roles: ['supervisor', 'leader', 'admin'],
    load: () => import('./screens/reports.js'),
  },
  {
    path: '/reports/:id', label: M.nav.report, icon: Document, roles: ['supervisor', 'leader', 'admin'],
    menu: false, activeAs: '/reports',
    load: () => import('./screens/report-detail.js'),
  },
  // 考核排名 (issue 11 part 5): the units below a region ranked by weighted indicators.
  {
    path: '/assessment', label: M.nav.assessment, icon: Medal, roles: ['supervisor', 'leader', 'admin'],
    load: () => import('./screens/assessment.js'),
  },
  {
    path: '/regions', label: M.nav.regions, icon: Location, roles: ALL, group: 'registry',
    load: () => import('./screens/regions.js'),
  },
  {
    path: '/organizations', label: M.nav.organizations, icon: OfficeBuilding, roles: ALL, group: 'registry',
    load: () => import('./screens/organizations.js'),
  },
  {
    path: '/mediators', label: M.nav.mediators, icon: Avatar, roles: ALL, group: 'registry',
    load: () => import('./screens/mediators.js'),
  },
  {
    path: '/experts', label: M.nav.experts, icon: Reading, roles: ALL, group: 'registry',
    load: () => import('./screens/experts.js'),
  },
  {
    path: '/grid-workers', label: M.nav.gridWorkers, icon: Grid, roles: ALL, group: 'registry',
    load: () => import('./screens/grid-workers.js'),
  },
  {
    path: '/imports', label: M.nav.imports, icon: Upload, roles: ['admin'], group: 'registry',
    load: () => import('./screens/imports.js'),
  },
  {
    path: '/routing', label: M.nav.routing, icon: Share, roles: ALL, group: 'rules',
    load: () => import('./screens/routing.js'),
  },
  {
    path: '/catalogue', label: M.nav.catalogue, icon: List, roles: ALL, group: 'rules',
    load: () => import('./screens/catalogue.js'),
  },
  {
    path: '/calendar', label: M.nav.calendar, icon: Calendar, roles: ALL, group: 'rules',
    load: () => import('./screens/calendar.js'),
  },
  {
    path: '/sensitive-periods', label: M.nav.sensitivePeriods, icon: AlarmClock, roles: ALL, group: 'rules',
    load: () => import('./screens/sensitive-periods.js'),
  },
  {
    path: '/settings', label: M.nav.settings, icon: Tools, roles: ['admin'], group: 'rules',
    load: () => import('./screens/settings.js'),
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

/**
 * The menu for entries the user may open: top-level entries and groups, a group placed where
 * its first entry stands. Each item is {entry} or {group, entries}.
 */
export function menuFor(allowed) {
  const items = [];
  const seen = new Map();
  for (const e of nav) {
    if (e.menu === false || !allowed(e)) continue;
    if (!e.group) {
      items.push({ entry: e });
    } else if (seen.has(e.group)) {
      seen.get(e.group).entries.push(e);
    } else {
      const g = { group: groups.find((x) => x.key === e.group), entries: [e] };
      seen.set(e.group, g);
      items.push(g);
    }
  }
  return items;
}

/** The entry whose path matches `path`, with its params: {entry, params}, or null. */
export function findEntry(path) {
  for (const entry of nav) {
    const params = match(entry.path, path);
    if (params) return { entry, params };
  }
  return null;
}
