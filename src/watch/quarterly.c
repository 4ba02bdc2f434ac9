#include "watch/quarterly.h"
#include "core/role.h"
#include "core/period.h"
#include "core/timefmt.h"
#include "notify/notify.h"
#include "store/settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The supervisors and leaders of the unit itself (organisations of exactly that region):
 * the people who sign its summary. A unit without any is still recorded as reminded; its
 * gap shows on the reports screen of the level above. */
static store_err unit_people(struct store_conn *c, int64_t region_id, int64_t **ids, size_t *n)
{
    struct store_rows *r = NULL;
    store_err e =
        store_exec(c,
                   "SELECT u.id FROM users u JOIN organizations o ON o.id = u.org_id"
                   " WHERE o.region_id = $1 AND u.active = 1 AND (u.roles & $2) <> 0"
                   " ORDER BY u.id",
                   STORE_PARAMS(SP_INT(region_id), SP_INT(ROLE_SUPERVISOR | ROLE_LEADER)), &r);

    *ids = NULL;
    *n = 0;
    if (e == STORE_OK && r->nrows > 0) {
        *ids = calloc((size_t)r->nrows, sizeof **ids);
        if (!*ids) {
            store_conn_seterr(c, "out of memory");
            e = STORE_ERROR;
        }
    }
    for (int i = 0; e == STORE_OK && i < r->nrows; i++)
        (*ids)[(*n)++] = store_rows_int(r, i, 0);
    store_rows_free(r);
    return e;
}

/* Reminds unit row i of `u` once for (quarter, kind), in one transaction. */
static store_err remind_unit(struct store_conn *c, const struct store_rows *u, int i,
                             const char *quarter, const char *kind, const char *due, int *sent)
{
    int64_t region_id = store_rows_int(u, i, 0), *ids = NULL;
    struct store_rows *r = NULL;
    char title[256], link[96];
    size_t n = 0;
    store_err e = store_begin(c, 1);

    if (e == STORE_OK)
        e = unit_people(c, region_id, &ids, &n);
    if (e == STORE_OK)
        e = store_exec(c,
                       "INSERT INTO report_reminders (region_id, period, kind, recipients,"
                       " created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING"
                       " RETURNING region_id",
                       STORE_PARAMS(SP_INT(region_id), SP_TEXT(quarter), SP_TEXT(kind),
                                    SP_INT((int64_t)n), SP_INT(store_now_ms())),
                       &r);
    if (e == STORE_OK && r->nrows == 1 && n > 0) {
        json_t *data =
            json_pack("{s:s, s:s, s:s}", "period", quarter, "due_on", due, "reminder", kind);
        snprintf(title, sizeof title, "%s：%s %s季度总结%s（应于%s前签发）",
                 strcmp(kind, "due") == 0 ? "季度总结到期" : "季度总结即将到期",
                 store_rows_get(u, i, 1), quarter,
                 strcmp(kind, "due") == 0 ? "尚未签发" : "尚未签发，请及时研判", due);
        snprintf(link, sizeof link, "/reports?kind=quarterly&period=%s&region_id=%lld", quarter,
                 (long long)region_id);
        struct notify_event ev = {.kind = "report.quarterly_due",
                                  .region_id = region_id,
                                  .title = title,
                                  .link = link,
                                  .data = data,
                                  .user_ids = ids,
                                  .nusers = n};
        e = data ? notify_emit(c, &ev) : STORE_ERROR;
        json_decref(data);
        *sent += e == STORE_OK;
    }
    free(ids);
    store_rows_free(r);
    return store_end(c, e);
}

store_err quarterly_remind(struct store_conn *c, int32_t today, int lead_days, int *sent)
{
    char cur[16], quarter[16], due[16];
    struct store_rows *u = NULL;
    const char *kind;
    int32_t due_day = 0;
    store_err e;

    *sent = 0;
    if (lead_days < 0)
        lead_days = (int)store_setting_int(c, "quarterly_reminder_days");
    period_quarter_of(today + lead_days, cur, sizeof cur);
    period_shift(PERIOD_QUARTER, cur, -1, quarter, sizeof quarter);
    period_quarter_due(quarter, due, sizeof due);
    if (timefmt_day_parse(due, &due_day) != 0 || today < due_day - lead_days)
        return STORE_OK;
    kind = today < due_day ? "advance" : "due";
    e = store_exec(c,
                   "SELECT g.id, g.name FROM regions g WHERE g.level IN " QUARTERLY_LEVELS
                   " AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.kind = 'quarterly'"
                   " AND r.region_id = g.id AND r.period = $1 AND r.state = 'issued')"
                   " AND NOT EXISTS (SELECT 1 FROM report_reminders x WHERE x.region_id = g.id"
                   " AND x.period = $1 AND x.kind = $2) ORDER BY g.id",
                   STORE_PARAMS(SP_TEXT(quarter), SP_TEXT(kind)), &u);
    for (int i = 0; e == STORE_OK && i < u->nrows; i++)
        e = remind_unit(c, u, i, quarter, kind, due, sent);
    store_rows_free(u);
    return e;
}
