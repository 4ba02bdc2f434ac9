// Helpers the create/edit dialogs share: what changed since the dialog opened (an edit sends
// only that, so a masked phone shown in a list is never sent back), and where the server's
// validation errors go.

import M from './messages/zh-CN.js';
import { fieldErrors } from './format.js';

const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The members of `current` (among `keys`) that differ from `original`. */
export function changes(original, current, keys) {
  const out = {};
  for (const k of keys) if (!same(original[k], current[k])) out[k] = current[k];
  return out;
}

/** A fresh {field: ''} object for a form's error messages. */
export function emptyErrors(keys) {
  return Object.fromEntries(keys.map((k) => [k, '']));
}

/**
 * Puts an ApiError's validation messages at the fields of `errors` (a reactive object) and
 * returns the text for the dialog's general alert (other fields, or the problem's message).
 */
export function showErrors(e, errors, keys) {
  for (const k of keys) errors[k] = '';
  const { fields, other } = fieldErrors(e, keys);
  Object.assign(errors, fields);
  if (other.length) return other.join(M.common.sentenceSep);
  return e.errors && e.errors.length ? '' : e.message;
}

/** Empty strings → null (optional text fields the user cleared). */
export function nullIfEmpty(v) {
  if (typeof v !== 'string') return v;
  const s = v.trim();
  return s === '' ? null : s;
}
