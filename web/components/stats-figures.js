// The headline figures of a region and period (GET /api/v1/stats/summary), shared by the
// 统计分析 dashboard and a leader's home: the periods a leader picks (this month, last month,
// this quarter, this year, custom), the six headline figures read from a summary, and their
// cards, each compared with the period before and the same period last year (the server
// says which periods those are: docs/metrics.md).
//
// Periods are local calendar dates "YYYY-MM-DD", both ends included, as the API takes them.

import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { t, ymd, num } from '../format.js';
import { loadScope } from '../session.js';

const parse = (s) => { const [y, m, d] = s.split('-').map(Number); return new Date(y, m - 1, d); };
/** The first day of the month `back` months before that of `s` ("YYYY-MM-DD"). */
export function monthStart(s, back = 0) {
  const d = parse(s);
  return ymd(new Date(d.getFullYear(), d.getMonth() - back, 1));
}

/** The last day of the month "YYYY-MM". */
export function monthEnd(ym) {
  const [y, m] = ym.split('-').map(Number);
  return ymd(new Date(y, m, 0));
}

/** {from, to} of a named period on `today` (a Date); `custom` is [from, to] for 'custom'. */
export function periodRange(key, today = new Date(), custom = null) {
  const y = today.getFullYear();
  const m = today.getMonth();
  const end = ymd(today);
  switch (key) {
    case 'lastMonth': return { from: ymd(new Date(y, m - 1, 1)), to: ymd(new Date(y, m, 0)) };
    case 'quarter': return { from: ymd(new Date(y, m - (m % 3), 1)), to: end };
    case 'year': return { from: ymd(new Date(y, 0, 1)), to: end };
    case 'custom': return custom && custom[0] && custom[1] ? { from: custom[0], to: custom[1] } : null;
    default: return { from: ymd(new Date(y, m, 1)), to: end };
  }
}

// The six headline figures, read from the summary as GET /api/v1/stats/summary gives it:
// `total` and the rates (fractions 0–1, null without a denominator) also for the period
// before (`previous`) and last year's (`last_year`), which the server computes; 逾期 is the
// subtree's backlog as of today, whatever the period, so it has nothing to compare with.
export const HEADLINES = [
  { key: 'total', get: (s) => s.total, rate: false, upGood: true },
  { key: 'success', get: (s) => s.rates && s.rates.success_rate, rate: true, upGood: true },
  { key: 'resolution', get: (s) => s.rates && s.rates.resolution_rate, rate: true, upGood: true },
  { key: 'fulfilment', get: (s) => s.rates && s.rates.fulfilment_rate, rate: true, upGood: true },
  { key: 'satisfaction', get: (s) => s.rates && s.rates.satisfaction_rate, rate: true, upGood: true },
  { key: 'overdue', get: (s) => s.overdue && s.overdue.count, rate: false, upGood: false, asOf: true },
];

/** One headline value from a summary (or its previous / last_year part): a number or null. */
export function headlineValue(part, h) {
  if (!part) return null;
  const v = h.get(part);
  return v === undefined || v === null ? null : Number(v);
}

/** A headline value as shown: a rate in percent with one decimal, a count with separators. */
export function showValue(v, h) {
  if (v === null) return M.common.none;
  return h.rate ? `${(v * 100).toFixed(1)}%` : num(v);
}

/**
 * The comparison of `now` with `then`: {arrow: '↑'|'↓'|'', text, tone: 'good'|'bad'|''};
 * a rate moves in percentage points, a count in per cent of the earlier count.
 */
export function compare(now, then, h) {
  if (now === null || then === null) return { arrow: '', text: M.common.none, tone: '' };
  const diff = now - then;
  if (Math.abs(diff) < 1e-9) return { arrow: '', text: M.stats.same, tone: '' };
  const arrow = diff > 0 ? '↑' : '↓';
  const tone = (diff > 0) === h.upGood ? 'good' : 'bad';
  let text;
  if (h.rate) text = t(M.stats.points, { n: Math.abs(diff * 100).toFixed(1) });
  else if (then === 0) text = t(M.stats.fromZero, { n: num(Math.abs(diff)) });
  else text = `${Math.abs((diff / then) * 100).toFixed(1)}%`;
  return { arrow, text, tone };
}

/** The six cards of a summary, each compared with the period before and last year's. */
export function headlineCards(summary) {
  return HEADLINES.map((h) => {
    const v = headlineValue(summary, h);
    return {
      key: h.key,
      label: M.stats.headlines[h.key],
      hint: M.stats.hints[h.key],
      value: showValue(v, h),
      asOf: h.asOf ? t(M.stats.asOf, { date: (summary && summary.overdue && summary.overdue.as_of) || '' }) : '',
      prev: h.asOf ? null : compare(v, headlineValue(summary && summary.previous, h), h),
      lastYear: h.asOf ? null : compare(v, headlineValue(summary && summary.last_year, h), h),
    };
  });
}

/**
 * The figures the summary gives without comparisons (docs/metrics.md): days to resolve
 * (median, p90), 排查率 (with 上报率) and 万人成讼率. Each card: {key, label, hint, value, note}.
 */
export function moreCards(s) {
  const d = (s && s.days_to_resolve) || {};
  const inv = (s && s.investigation) || {};
  const lit = (s && s.litigation) || {};
  const pct = (v) => (v === null || v === undefined ? M.common.none : `${(v * 100).toFixed(1)}%`);
  const days = (v) => (v === null || v === undefined ? M.common.none
    : t(v >= d.cap ? M.stats.daysCap : M.stats.days, { n: v }));
  const months = lit.from_month === lit.to_month ? lit.from_month : `${lit.from_month}～${lit.to_month}`;
  return [
    { key: 'days', label: M.stats.headlines.days, hint: M.stats.hints.days, value: days(d.median),
      note: d.n ? t(M.stats.daysNote, { p90: days(d.p90), n: num(d.n) }) : M.stats.noResolved },
    { key: 'investigation', label: M.stats.headlines.investigation, hint: M.stats.hints.investigation,
      value: pct(inv.investigation_rate),
      note: inv.due ? t(M.stats.investigationNote, { rate: pct(inv.reporting_rate), due: num(inv.due) }) : M.stats.noReports },
    { key: 'litigation', label: M.stats.headlines.litigation, hint: M.stats.hints.litigation,
      value: lit.per_10k === null || lit.per_10k === undefined ? M.common.none : lit.per_10k.toFixed(2),
      note: lit.filings === null || lit.filings === undefined ? M.stats.noFilings
        : t(M.stats.litigationNote, { n: num(lit.filings), months }) },
  ];
}

/**
 * The region a figures screen starts on: state.regionId from the location when it is still
 * readable, else the root of the user's scope (written back to state.regionId). Returns
 * {root, cache}: the scope's root and the region options to show before the picker loads.
 */
export async function startRegion(state, fail) {
  let root = null;
  let cache = [];
  try {
    root = await loadScope();
  } catch (e) {
    fail(e);
  }
  if (!state.regionId && root) state.regionId = root.id;
  if (state.regionId && (!root || state.regionId !== root.id)) {
    try {
      cache = [await api.get('/regions/' + state.regionId)];
    } catch (e) {
      if (e.status === 404 || e.status === 400) state.regionId = root && root.id;
      else fail(e);
    }
  } else if (root) {
    cache = [root];
  }
  return { root, cache };
}
