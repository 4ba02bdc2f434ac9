// A small hash router: the location is "#/path", optionally with ":param" segments matched
// against the navigation table. Hash routing keeps every URL served by index.html.

import { reactive } from 'vue';

function currentPath() {
  const h = location.hash.replace(/^#/, '');
  return h.startsWith('/') ? h.split('?')[0] : '/';
}

export const route = reactive({ path: currentPath() });

window.addEventListener('hashchange', () => {
  route.path = currentPath();
});

/** The query of the location's hash ("#/public/track?number=…&code=…") as an object. */
export function hashQuery() {
  const h = location.hash.replace(/^#/, '');
  const i = h.indexOf('?');
  return i < 0 ? {} : Object.fromEntries(new URLSearchParams(h.slice(i + 1)));
}

/** Goes to `path` (e.g. "/users"). */
export function go(path) {
  if (currentPath() === path) return;
  location.hash = '#' + path;
}

/** Matches `path` against a pattern like "/cases/:id"; returns the params or null. */
export function match(pattern, path) {
  const a = pattern.split('/');
  const b = path.split('/');
  if (a.length !== b.length) return null;
  const params = {};
  for (let i = 0; i < a.length; i++) {
    if (a[i].startsWith(':')) params[a[i].slice(1)] = decodeURIComponent(b[i]);
    else if (a[i] !== b[i]) return null;
  }
  return params;
}
