/*
 * investigate.h - scheduled investigation (定期排查) with zero-reports (零报告), issue 10
 * part 6; docs/risk.md "Scheduled investigation".
 *
 * Every unit (a 矛调中心 or a 人民调解委员会) of a region level that has a schedule files one
 * report a period: the disputes it found (each registered as a case with channel
 * "investigation" through the case module, or linked to an existing case), the hazards it
 * saw, or an explicit zero-report. Periods by level (investigation_schedules): village
 * weekly, township half-monthly, county monthly by default; daily while a sensitive period
 * (敏感时期) is in force for the unit's region (日排查日报告).
 *
 * The scheduler opens each period's expected reports and, once a report's due day has
 * passed unfiled, raises one miss warning to the level above (unique per report, so
 * repeated or concurrent passes raise it once), with its notification.
 */
#ifndef JIEFEN_WATCH_INVESTIGATE_H
#define JIEFEN_WATCH_INVESTIGATE_H

#include "case/case.h"
#include "store/store.h"

#include <jansson.h>
#include <stdint.h>

/* One pass as of `today`: opens reports, raises misses; *raised counts new misses. */
store_err investigate_scan(struct store_conn *c, int32_t today, int *raised);

/*
 * Files a report (docs/openapi.yaml POST /api/v1/investigation/reports) as env's actor, who
 * must belong to the unit or be an admin over it. *id gets the report. A second filing for
 * the period is CASE_STORE with STORE_CONFLICT.
 */
case_err investigate_file(const struct case_env *env, json_t *req, int64_t *id,
                          struct case_out *out);

/* One report with its findings (case ids) as JSON (caller owns *out). */
store_err investigate_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                          int32_t today, json_t **out);

/* Reports in scope: under region_id (0: all), periods overlapping [from, to] (NULL: open),
 * state "due", "filed", "missed" or NULL, as of `today`. */
struct store_page;
store_err investigate_list(struct store_conn *c, const struct store_actor *a, int64_t region_id,
                           const char *from, const char *to, const char *state, int32_t today,
                           const struct store_page *pg, struct store_rows **out);

/* 排查率 and 上报率 per unit over periods ending within [from, to] (docs/risk.md), as a JSON
 * array (caller owns *out). */
store_err investigate_completion(struct store_conn *c, const struct store_actor *a,
                                 int64_t region_id, const char *from, const char *to, int32_t today,
                                 json_t **out);

/* The schedules, one row per region level. */
store_err investigate_schedules(struct store_conn *c, struct store_rows **out);

/* Sets the schedule of a level (period: day, week, half_month, month). Audited. */
store_err investigate_schedule_set(struct store_conn *c, const struct store_actor *a,
                                   const char *level, const char *period, int64_t grace_days,
                                   int enabled);

#endif
