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

/**
 * Writes `query` ({key: value}; empty, null and false values left out) as the query of the
 * current location without a new history entry: a list keeps its filters and page in the
 * URL, so that going back to it from a record, or reloading it, shows the same page.
 */
export function replaceQuery(query) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    p.append(k, String(v));
  }
  const s = p.toString();
  const hash = '#' + currentPath() + (s ? '?' + s : '');
  history.replaceState(history.state, '', hash);
  // A screen's filtered view is where "back to the list" returns (e.g. from a case).
  try { sessionStorage.setItem('jf.view:' + currentPath(), hash); } catch { /* private mode */ }
}

/** Goes back to the list at `path` as it was last shown (filters and page), or to it plain. */
export function goBackTo(path) {
  let hash = null;
  try { hash = sessionStorage.getItem('jf.view:' + path); } catch { /* private mode */ }
  location.hash = hash || '#' + path;
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
