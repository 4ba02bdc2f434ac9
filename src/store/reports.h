/*
 * reports.h - the reports (研判预警专报) as versions: a draft is generated, its analyst's
 * section edited, then issued; an issued version is never written again, a change is a
 * new draft version (issue 11 part 3; docs/reports.md).
 */
#ifndef JIEFEN_STORE_REPORTS_H
#define JIEFEN_STORE_REPORTS_H

#include "store/store.h"

/* Adds a draft of the next version of (kind, region, period) with the generated figures
 * (JSON text) and analysis; audited. *id gets the new report's id. */
store_err store_report_create(struct store_conn *c, const struct store_actor *a, const char *kind,
                              int64_t region_id, const char *period, const char *generated,
                              const char *analysis, int64_t *id);

/* One report in the actor's scope: every column, generated as JSON. */
store_err store_report_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                           struct store_rows **out);

/* A page of the reports of region_id (0: the whole scope), newest period and version first;
 * without the generated figures. */
store_err store_report_list(struct store_conn *c, const struct store_actor *a, int64_t region_id,
                            const struct store_page *pg, struct store_rows **out);

/* Replaces the analyst's section of a draft; STORE_CONFLICT once issued. Audited. */
store_err store_report_analysis(struct store_conn *c, const struct store_actor *a, int64_t id,
                                const char *analysis);

/* Issues a draft (who, when); STORE_CONFLICT when already issued. Audited. */
store_err store_report_issue(struct store_conn *c, const struct store_actor *a, int64_t id);

/*
 * The quarterly summary's state for `quarter` (YYYY-Qn) in region_id's subtree (0: the
 * actor's scope): one row per county and township (the units that owe one; at most 1,000):
 * region_id, region_name, level, issued_version (NULL: none issued), report_id (the newest
 * version of any state, NULL: none), issued_at, reminders (how many reminders were sent).
 */
store_err store_report_quarterly(struct store_conn *c, const struct store_actor *a,
                                 int64_t region_id, const char *quarter, struct store_rows **out);

#endif
