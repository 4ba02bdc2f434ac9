// Turning API values into the Chinese the screens show. Unknown values are shown as they
// are, so a value added on the server is visible (if untranslated) rather than blank.

import M from './messages/zh-CN.js';

/** Replaces {name} placeholders in a message with params.name. */
export function t(template, params = {}) {
  return String(template).replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
}

const lookup = (table) => (v) => (v === null || v === undefined || v === '' ? M.common.none : table[v] ?? String(v));

export const roleName = lookup(M.roles);
export const levelName = lookup(M.regionLevels);
export const orgTypeName = lookup(M.orgTypes);
export const orgStatusName = lookup(M.orgStatus);
// Audit log actions: its own, and the case actions it records under their names.
export const actionName = (a) => M.auditActions[a] || M.caseActions[a] || M.caseEvents[a] || a;
export const categoryName = lookup(M.categories);
export const complexityName = lookup(M.complexities);
export const industryName = lookup(M.industries);
export const methodName = lookup(M.methods);
export const managementLevelName = lookup(M.managementLevels);
export const mediatorTypeName = lookup(M.mediatorTypes);
export const gradeName = lookup(M.grades);
export const genderName = lookup(M.genders);
export const personStatusName = lookup(M.personStatus);
export const specialtyName = lookup(M.specialties);
export const availabilityName = lookup(M.availability);
export const timeLimitKindName = lookup(M.timeLimitKinds);
export const objectTypeName = lookup(M.objectTypes);
export const channelName = lookup(M.channels);
export const caseStateName = lookup(M.caseStates);
export const caseActionName = lookup(M.caseActions);
export const caseEventName = lookup(M.caseEvents);
export const partyRoleName = lookup(M.partyRoles);
export const partyKindName = lookup(M.partyKinds);
export const guidanceName = lookup(M.guidance);
export const agreementFormName = lookup(M.agreementForms);
export const riskName = lookup(M.risks);
export const fieldName = (f) => M.fields[f] || f;

/** Options for an ElSelect from a message table: [{value, label}]. */
export function options(table) {
  return Object.entries(table).map(([value, label]) => ({ value, label }));
}

const pad = (n) => String(n).padStart(2, '0');

/** ISO-8601 timestamp → local "YYYY-MM-DD HH:mm:ss". */
export function dateTime(iso) {
  if (!iso) return M.common.none;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A local date → "YYYY-MM-DD". */
export function ymd(d) {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A number with thousands separators, or — for null. */
export function num(n) {
  return n === null || n === undefined || n === '' ? M.common.none : Number(n).toLocaleString('zh-CN');
}

/** "YYYY-MM-DD" (local) → ISO timestamp of that day's local midnight, plus `days`. */
export function dayStartIso(ymd, days = 0) {
  const [y, m, d] = ymd.split('-').map(Number);
  return new Date(y, m - 1, d + days).toISOString();
}

/** The Chinese message for one entry of a problem's errors[]. */
export function validationMessage(e) {
  if (e.code === 'too_long' && e.max !== undefined) return t(M.validation.too_long_n, e);
  if (e.code === 'too_short' && e.min !== undefined) return t(M.validation.too_short_n, e);
  return M.validation[e.code] || e.message || M.validation.invalid;
}

/**
 * Splits an ApiError's errors[] into messages for the fields a form shows and a list of
 * "field: message" lines (M.common.fieldMessage) for the rest. Returns {fields: {name: message}, other: [string]}.
 */
export function fieldErrors(err, shownFields) {
  const fields = {};
  const other = [];
  for (const e of (err && err.errors) || []) {
    const msg = validationMessage(e);
    if (shownFields.includes(e.field)) {
      if (!fields[e.field]) fields[e.field] = msg;
    } else {
      other.push(t(M.common.fieldMessage, { field: M.fields[e.field] || e.field, message: msg }));
    }
  }
  return { fields, other };
}
