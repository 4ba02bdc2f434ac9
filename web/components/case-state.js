// How a case's state looks: the colour of its tag, and whether its due date is shown as past.
// Presentation only: which states exist and what may happen in them is the server's
// (docs/case-states.md).

const TAG = {
  registered: 'primary',
  accepted: 'primary',
  referred: 'warning',
  assigned: 'warning',
  mediating: 'warning',
  suspended: 'info',
  agreed: 'success',
  failed: 'danger',
  rejected: 'info',
  withdrawn: 'info',
  closed: 'success',
  archived: 'info',
};

/** The ElTag type for a state. */
export const stateTagType = (state) => TAG[state] || 'info';

// A closed or archived case keeps its due date for the record; it is no longer running late.
const DONE = ['closed', 'archived'];

/** True when the case's due date (YYYY-MM-DD) lies before `today` (YYYY-MM-DD) and it is not done. */
export function isPastDue(c, today) {
  return !!c.due_date && c.due_date < today && !DONE.includes(c.state);
}

// 重大 red, 较大 orange, 一般 yellow, 低 blue: the four colours of the local risk-grading
// practice (docs/risk.md). Element Plus has no yellow, so 一般 is a warning tag recoloured by
// the class .jf-risk-yellow (style.css), which keeps it apart from the orange of 较大.
const RISK_TAG = { red: 'danger', orange: 'warning', yellow: 'warning', blue: 'info' };

/** The ElTag type for a risk level (风险等级). */
export const riskTagType = (risk) => RISK_TAG[risk] || 'info';

/** The extra class of a risk level's ElTag (use together with riskTagType). */
export const riskTagClass = (risk) => (RISK_TAG[risk] ? `jf-risk-${risk}` : '');
