// The logged-in user, shared by every screen. `ready` turns true once the page has asked the
// server whether a session exists (GET /api/v1/session), so nothing flashes the login page
// on a reload. `root` is the top region of the user's jurisdiction (GET /api/v1/regions
// without parent_id), loaded once per user by loadScope().

import { reactive } from 'vue';
import * as api from './api.js';

export const session = reactive({
  ready: false,
  user: null,
  root: null,
});

/** True when the user holds any of `roles` ('*' allows every logged-in user). */
export function hasRole(roles) {
  if (roles === '*') return !!session.user;
  const mine = (session.user && session.user.roles) || [];
  return roles.some((r) => mine.includes(r));
}

/** True for administrators; the server still checks every write. */
export const isAdmin = () => hasRole(['admin']);

/**
 * True for an administrator whose jurisdiction is the whole tree (the root region has no
 * parent): the one who may edit default routing rules, the calendar and the catalogue. This
 * only decides which buttons are offered; the server answers 403 to anyone else.
 */
export const isTopAdmin = () => isAdmin() && !!session.root && session.root.parent_id === null;

let scopeFor = null;
let scopePromise = null;

/** Loads (once per user) the root region of the user's jurisdiction into session.root. */
export function loadScope() {
  const id = session.user && session.user.id;
  if (scopePromise && scopeFor === id) return scopePromise;
  if (scopeFor !== id) session.root = null; // another user logged in: forget the last one's scope
  scopeFor = id;
  scopePromise = api.get('/regions', { per_page: 1 }).then((r) => {
    session.root = (r.items && r.items[0]) || null;
    return session.root;
  }).catch((e) => {
    scopePromise = null;
    throw e;
  });
  return scopePromise;
}
