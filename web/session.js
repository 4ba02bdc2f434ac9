// The logged-in user, shared by every screen. `ready` turns true once the page has asked the
// server whether a session exists (GET /api/v1/session), so nothing flashes the login page
// on a reload.

import { reactive } from 'vue';

export const session = reactive({
  ready: false,
  user: null,
});

/** True when the user holds any of `roles` ('*' allows every logged-in user). */
export function hasRole(roles) {
  if (roles === '*') return !!session.user;
  const mine = (session.user && session.user.roles) || [];
  return roles.some((r) => mine.includes(r));
}
