/*
 * alert.c - risk alerts (预警) that cannot be missed: raised in the transaction that moved
 * a case's risk up to orange or red, sent to the case's lead leader (包案领导) and to the
 * recipients configured for its region (or the nearest region above that has any),
 * acknowledged (签收) by one of them, and escalated level by level while nobody does.
 * docs/risk.md, "Alerts (预警)".
 *
 * The notification titles are composed here, in Chinese, because they leave the system as
 * they are (inbox line, SMS, mail subject): no screen renders them from codes.
 */
#include "watch/alert.h"

#include "core/timefmt.h"
#include "notify/notify.h"
#include "store/alerts.h"
#include "store/cases.h"
#include "store/settings.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALERT_MAX_TOLD   64  /* people told at one level: a region configures a handful */
#define ALERT_SCAN_BATCH 200 /* alerts escalated per query of a pass */

/* Who was told at one level, for the notification. */
struct told {
    int64_t ids[ALERT_MAX_TOLD];
    size_t n;
};

static const char *level_name(const char *level)
{
    return strcmp(level, "red") == 0 ? "重大（红色）" : "较大（橙色）";
}

/* The acknowledgment window of a level, in ms (settings alert_ack_minutes_*). */
static int64_t ack_window_ms(struct store_conn *c, const char *level)
{
    const char *key =
        strcmp(level, "red") == 0 ? "alert_ack_minutes_red" : "alert_ack_minutes_orange";
    return (int64_t)store_setting_int(c, key) * 60000;
}

/* Records that user_id is told of the alert at `level` (once per alert). */
static store_err tell(struct store_conn *c, int64_t alert_id, int level, int64_t user_id,
                      const char *duty, struct told *t)
{
    int added = 0;
    store_err e = store_alert_notified_add(c, alert_id, user_id, level, duty, &added);

    if (e == STORE_OK && added && t->n < ALERT_MAX_TOLD)
        t->ids[t->n++] = user_id;
    return e;
}

/* Tells the recipients configured for region_id (0: none). */
static store_err tell_region(struct store_conn *c, int64_t alert_id, int level, int64_t region_id,
                             struct told *t)
{
    struct store_rows *r = NULL;
    store_err e = STORE_OK;

    if (!region_id)
        return STORE_OK;
    e = store_alert_recipients_of(c, region_id, &r);
    for (int i = 0; e == STORE_OK && i < r->nrows; i++)
        e = tell(c, alert_id, level, store_rows_int(r, i, 0), store_rows_get(r, i, 1), t);
    store_rows_free(r);
    return e;
}

/* The outbox event for an alert raised or escalated. */
static store_err emit(struct store_conn *c, const char *kind, int64_t alert_id, int64_t case_id,
                      int64_t region_id, const char *title, const char *body, const struct told *t)
{
    char link[48];
    json_t *data = json_pack("{s:I}", "alert_id", (json_int_t)alert_id);
    struct notify_event ev = {.kind = kind,
                              .case_id = case_id,
                              .region_id = region_id,
                              .title = title,
                              .body = body,
                              .link = link,
                              .data = data,
                              .user_ids = t->ids,
                              .nusers = t->n};
    store_err e;

    snprintf(link, sizeof link, "/cases/%lld", (long long)case_id);
    e = data ? notify_emit(c, &ev) : STORE_ERROR;
    json_decref(data);
    return e;
}

/* A timeline entry of the case (action "alert"); `data` is consumed. */
static store_err timeline(struct store_conn *c, const struct store_actor *a, int64_t case_id,
                          json_t *data)
{
    char *text = data ? json_dumps(data, JSON_COMPACT) : NULL;
    store_err e = text ? store_case_note(c, a, case_id, "alert", text, 0) : STORE_ERROR;

    if (!text)
        store_conn_seterr(c, "out of memory");
    free(text);
    json_decref(data);
    return e;
}

/* Raising: insert, tell the lead leader and the region's recipients, notify, timeline. */
static store_err raise_alert(struct store_conn *c, const struct store_actor *a, int64_t case_id,
                             const char *from, const char *to, const char *reasons)
{
    struct store_rows *k = NULL;
    struct told t = {0};
    struct store_alert_in in = {.case_id = case_id, .level = to, .from_level = from};
    int64_t id = 0;
    char title[256], due[40];
    store_err e = store_alert_case(c, case_id, &k);

    if (e != STORE_OK)
        return e;
    in.region_id = store_rows_int(k, 0, 0);
    in.region_path = store_rows_get(k, 0, 1);
    in.reasons = reasons && *reasons ? reasons : NULL;
    in.created_at = store_now_ms();
    in.ack_due_at = in.created_at + ack_window_ms(c, to);
    e = store_alert_recipient_region(c, in.region_path, REGION_PATH_MAX, &in.target_region_id);
    if (e == STORE_OK)
        e = store_alert_insert(c, &in, &id);
    if (e == STORE_OK && store_rows_get(k, 0, 2))
        e = tell(c, id, 0, store_rows_int(k, 0, 2), "lead_leader", &t);
    if (e == STORE_OK)
        e = tell_region(c, id, 0, in.target_region_id, &t);
    snprintf(title, sizeof title, "%s风险预警：案件 %s，请及时签收", level_name(to),
             store_rows_get(k, 0, 3));
    if (e == STORE_OK)
        e = emit(c, "alert.raised", id, case_id, in.region_id, title, in.reasons, &t);
    timefmt_iso(in.ack_due_at, due, sizeof due);
    if (e == STORE_OK)
        e = timeline(c, a, case_id,
                     json_pack("{s:s, s:I, s:s, s:s, s:I, s:s}", "event", "raised", "alert_id",
                               (json_int_t)id, "level", to, "from_level", from, "recipients",
                               (json_int_t)t.n, "ack_due_at", due));
    store_rows_free(k);
    return e;
}

store_err alert_on_risk(struct store_conn *c, const struct store_actor *actor, int64_t case_id,
                        enum risk_level from, enum risk_level to, const char *reasons)
{
    struct store_actor sys;
    store_err e;

    /* Reaching orange or red, or rising from orange to red; never on the way down. */
    if (to < RISK_ORANGE || to <= from)
        return STORE_OK;
    if (!actor) {
        store_actor_system(&sys);
        actor = &sys;
    }
    e = store_begin(c, 1);
    if (e != STORE_OK)
        return e;
    e = raise_alert(c, actor, case_id, risk_level_code(from), risk_level_code(to), reasons);
    return store_end(c, e);
}

store_err alert_ack(struct store_conn *c, const struct store_actor *actor, int overseer, int64_t id,
                    const char *note)
{
    struct store_rows *r = NULL;
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = store_alert_ack(c, actor, overseer, id, note, store_now_ms());
    if (e == STORE_OK)
        e = store_alert_row(c, id, &r);
    if (e == STORE_OK)
        e = timeline(c, actor, store_rows_int(r, 0, 1),
                     json_pack("{s:s, s:I, s:s?}", "event", "acknowledged", "alert_id",
                               (json_int_t)id, "note", note));
    /* One acknowledgment answers the alert for everyone told: their bells stop counting it. */
    if (e == STORE_OK)
        e = store_exec(c,
                       "UPDATE notifications SET read_at = $2 WHERE case_id = $1"
                       " AND kind IN ('alert.raised', 'alert.escalated') AND read_at IS NULL",
                       STORE_PARAMS(SP_INT(store_rows_int(r, 0, 1)), SP_INT(store_now_ms())), NULL);
    store_rows_free(r);
    return store_end(c, e);
}

/* Sends alert row `r` (store_alert_row) one level up, or marks it at the top. */
static store_err go_up(struct store_conn *c, const struct store_actor *sys,
                       const struct store_rows *r, int64_t now, int *escalated)
{
    int64_t id = store_rows_int(r, 0, 0), case_id = store_rows_int(r, 0, 1), next = 0;
    const char *level = store_rows_get(r, 0, 4), *from_path = store_rows_get(r, 0, 9);
    int from = (int)store_rows_int(r, 0, 7), moved = 0;
    struct told t = {0};
    char title[256], due[40], region[256];
    int64_t ack_due = now + ack_window_ms(c, level);
    store_err e;

    /* Above the region whose recipients were told last (the case's own when none was). */
    if (!from_path)
        from_path = store_rows_get(r, 0, 3);
    e = store_alert_recipient_region(c, from_path, strlen(from_path), &next);
    if (e != STORE_OK || !next)
        return e == STORE_OK ? store_alert_top(c, id) : e;
    e = store_alert_escalate(c, id, from, next, now, ack_due, &moved);
    if (e != STORE_OK || !moved)
        return e;
    *escalated += 1;
    e = tell_region(c, id, from + 1, next, &t);
    snprintf(title, sizeof title, "%s风险预警逾期未签收，已上报：案件 %s", level_name(level),
             store_rows_get(r, 0, 10));
    if (e == STORE_OK)
        e = emit(c, "alert.escalated", id, case_id, store_rows_int(r, 0, 2), title, NULL, &t);
    timefmt_iso(ack_due, due, sizeof due);
    if (e == STORE_OK)
        e = store_alert_region_name(c, next, region, sizeof region);
    if (e == STORE_OK)
        e = timeline(c, sys, case_id,
                     json_pack("{s:s, s:I, s:I, s:s, s:I, s:s}", "event", "escalated", "alert_id",
                               (json_int_t)id, "escalation_level", (json_int_t)from + 1,
                               "region_name", region, "recipients", (json_int_t)t.n, "ack_due_at",
                               due));
    return e;
}

/* One alert in its own transaction: re-read under the write lock, then escalate. */
static store_err escalate_one(struct store_conn *c, const struct store_actor *sys, int64_t id,
                              int64_t now, int *escalated)
{
    struct store_rows *r = NULL;
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = store_alert_row(c, id, &r);
    /* Acknowledged or escalated by another pass since the list was read: nothing to do. */
    if (e == STORE_OK && !store_rows_get(r, 0, 11) && store_rows_int(r, 0, 6) <= now)
        e = go_up(c, sys, r, now, escalated);
    store_rows_free(r);
    return store_end(c, e);
}

store_err alert_scan(struct store_conn *c, int64_t now, int *escalated)
{
    struct store_actor sys;
    struct store_rows *due = NULL;
    store_err e;
    int before;

    *escalated = 0;
    store_actor_system(&sys);
    snprintf(sys.login, sizeof sys.login, "scheduler");
    /* Each batch escalates or tops every alert it lists, so the next one lists new ones. */
    do {
        before = *escalated;
        e = store_alerts_due(c, now, ALERT_SCAN_BATCH, &due);
        for (int i = 0; e == STORE_OK && i < due->nrows; i++)
            e = escalate_one(c, &sys, store_rows_int(due, i, 0), now, escalated);
        if (e == STORE_OK && due->nrows < ALERT_SCAN_BATCH) {
            store_rows_free(due);
            break;
        }
        store_rows_free(due);
        due = NULL;
    } while (e == STORE_OK && *escalated > before);
    return e;
}
