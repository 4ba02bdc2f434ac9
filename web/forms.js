// Helpers the create/edit dialogs share: what changed since the dialog opened (an edit sends
// only that, so a masked phone shown in a list is never sent back), and where the server's
// validation errors go.

import { ElMessage } from 'element-plus';
import M from './messages/zh-CN.js';
import * as api from './api.js';
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

/**
 * Saves a create/edit dialog (`dialog` is reactive: {open, id, saving, general}): POST to
 * `path` when dialog.id is null, with empty (null) fields left out; else PATCH
 * `path/{id}` with only what changed since `original`. Says so in a toast and closes the
 * dialog; on failure puts the server's errors at the fields (`conflict(e)`, if given,
 * handles a 409 instead). Returns true when saved, so the caller reloads its list.
 */
export async function saveDialog(dialog, { path, body, original, fields, errors, created, conflict }) {
  if (dialog.saving) return false;
  dialog.saving = true;
  dialog.general = '';
  try {
    if (dialog.id === null) {
      for (const k of Object.keys(body)) if (body[k] === null) delete body[k];
      const r = await api.post(path, body);
      ElMessage.success(created(r));
    } else {
      const diff = changes(original, body, Object.keys(body));
      if (Object.keys(diff).length) await api.patch(`${path}/${dialog.id}`, diff);
      ElMessage.success(M.common.saved);
    }
    dialog.open = false;
    return true;
  } catch (e) {
    if (e.status === 409 && conflict) conflict(e);
    else dialog.general = showErrors(e, errors, fields);
    return false;
  } finally {
    dialog.saving = false;
  }
}
