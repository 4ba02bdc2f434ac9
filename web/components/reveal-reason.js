// Asks why the full ID numbers and phones are needed (个人信息保护法 art. 28, 29: handling
// sensitive personal information needs a specific purpose; the server stores the reason in
// the audit row of every reveal). 2 to 200 characters, not blank — the server's rule
// (src/api/reveal.c), checked here first so the user is told before anything is sent.

import { ElMessageBox } from 'element-plus';
import M from '../messages/zh-CN.js';
import { t } from '../format.js';

export const REASON_MIN = 2;
export const REASON_MAX = 200;

/** The reason's fault in Chinese, or true when it is acceptable (ElMessageBox inputValidator). */
export function checkReason(v) {
  const s = (v || '').trim();
  if (!s) return M.reveal.reasonRequired;
  if ([...s].length < REASON_MIN || [...s].length > REASON_MAX) return t(M.reveal.reasonLength, { min: REASON_MIN, max: REASON_MAX });
  return true;
}

/** Resolves with the trimmed reason, or null when the user cancels. */
export async function askReason(title, confirm = M.reveal.confirm) {
  try {
    const { value } = await ElMessageBox.prompt(M.reveal.reasonHint, title, {
      inputType: 'textarea',
      inputPlaceholder: M.reveal.reasonPlaceholder,
      inputValidator: checkReason,
      confirmButtonText: confirm,
      cancelButtonText: M.common.cancel,
      customClass: 'jf-reveal-box',
      closeOnClickModal: false,
    });
    return value.trim();
  } catch {
    return null;
  }
}
