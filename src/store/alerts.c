#include "store/alerts.h"
#include "store/audit.h"
#include "store/regions.h"

#include <stdio.h>
#include <string.h>

store_err store_alert_recipient_region(struct store_conn *c, const char *path, size_t below,
                                       int64_t *region_id)
{
    struct store_rows *r = NULL;
    /* From the recipients (a few per region that configured any), not from the regions:
     * an ancestor is a region whose path starts `path`. */
    store_err e = store_exec(c,
                             "SELECT x.region_id FROM alert_recipients x"
                             " JOIN regions r ON r.id = x.region_id"
                             " WHERE substr($1, 1, length(r.path)) = r.path"
                             " AND length(r.path) < $2"
                             " ORDER BY length(r.path) DESC LIMIT 1",
                             STORE_PARAMS(SP_TEXT(path), SP_INT((int64_t)below)), &r);

    *region_id = e == STORE_OK && r->nrows ? store_rows_int(r, 0, 0) : 0;
    store_rows_free(r);
    return e;
}

store_err store_alert_recipients_of(struct store_conn *c, int64_t region_id,
                                    struct store_rows **out)
{
    return store_exec(c,
                      "SELECT x.user_id, x.duty FROM alert_recipients x"
                      " JOIN users u ON u.id = x.user_id"
                      " WHERE x.region_id = $1 AND u.active = 1 ORDER BY x.user_id",
                      STORE_PARAMS(SP_INT(region_id)), out);
}

store_err store_alert_case(struct store_conn *c, int64_t case_id, struct store_rows **out)
{
    return store_one(c,
                     "SELECT region_id, region_path, lead_leader_id, number FROM cases"
                     " WHERE id = $1",
                     STORE_PARAMS(SP_INT(case_id)), "itit", "case", out);
}

store_err store_alert_insert(struct store_conn *c, const struct store_alert_in *in, int64_t *id)
{
    struct store_rows *r = NULL;
    /* Nobody configured anywhere up the tree: there is no level to escalate to. */
    store_err e = store_exec(
        c,
        "INSERT INTO alerts (case_id, region_id, region_path, level, from_level, reasons,"
        " created_at, ack_due_at, escalation_level, target_region_id, top_reached, state)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $10, 'open') RETURNING id",
        STORE_PARAMS(SP_INT(in->case_id), SP_INT(in->region_id), SP_TEXT(in->region_path),
                     SP_TEXT(in->level), SP_TEXT(in->from_level), SP_TEXT(in->reasons),
                     SP_INT(in->created_at), SP_INT(in->ack_due_at),
                     in->target_region_id ? SP_INT(in->target_region_id) : SP_NULL,
                     SP_INT(in->target_region_id ? 0 : 1)),
        &r);

    if (e == STORE_OK)
        *id = store_rows_int(r, 0, 0);
    store_rows_free(r);
    return e;
}

store_err store_alert_notified_add(struct store_conn *c, int64_t alert_id, int64_t user_id,
                                   int level, const char *duty, int *added)
{
    struct store_rows *r = NULL;
    store_err e = store_exec(
        c,
        "INSERT INTO alert_notified (alert_id, user_id, escalation_level, duty)"
        " VALUES ($1, $2, $3, $4) ON CONFLICT (alert_id, user_id) DO NOTHING"
        " RETURNING user_id",
        STORE_PARAMS(SP_INT(alert_id), SP_INT(user_id), SP_INT(level), SP_TEXT(duty)), &r);

    *added = e == STORE_OK && r->nrows > 0;
    store_rows_free(r);
    return e;
}

store_err store_alerts_due(struct store_conn *c, int64_t now, int limit, struct store_rows **out)
{
    return store_exec(c,
                      "SELECT id FROM alerts WHERE state IN ('open', 'escalated')"
                      " AND ack_due_at <= $1 AND top_reached = 0 ORDER BY ack_due_at, id LIMIT $2",
                      STORE_PARAMS(SP_INT(now), SP_INT(limit)), out);
}

store_err store_alert_row(struct store_conn *c, int64_t id, struct store_rows **out)
{
    return store_one(c,
                     "SELECT a.id, a.case_id, a.region_id, a.region_path, a.level, a.state,"
                     " a.ack_due_at, a.escalation_level, a.target_region_id, t.path AS target_path,"
                     " k.number AS case_number, a.acked_at"
                     " FROM alerts a JOIN cases k ON k.id = a.case_id"
                     " LEFT JOIN regions t ON t.id = a.target_region_id WHERE a.id = $1",
                     STORE_PARAMS(SP_INT(id)), "iiitttsiitts", "alert", out);
}

store_err store_alert_escalate(struct store_conn *c, int64_t id, int from, int64_t target_region_id,
                               int64_t now, int64_t ack_due_at, int *moved)
{
    struct store_rows *r = NULL;
    store_err e;

    *moved = 0;
    /* The unique key (alert_id, level) first: a second pass conflicts here and stops. */
    e = store_exec(
        c,
        "INSERT INTO alert_escalations (alert_id, level, at, target_region_id)"
        " VALUES ($1, $2, $3, $4) ON CONFLICT (alert_id, level) DO NOTHING"
        " RETURNING alert_id",
        STORE_PARAMS(SP_INT(id), SP_INT(from + 1), SP_INT(now), SP_INT(target_region_id)), &r);
    if (e != STORE_OK || r->nrows == 0)
        goto out;
    store_rows_free(r);
    r = NULL;
    e = store_exec(c,
                   "UPDATE alerts SET escalation_level = $2 + 1, escalated_at = $3,"
                   " ack_due_at = $4, state = 'escalated', target_region_id = $5"
                   " WHERE id = $1 AND escalation_level = $2 AND acked_at IS NULL RETURNING id",
                   STORE_PARAMS(SP_INT(id), SP_INT(from), SP_INT(now), SP_INT(ack_due_at),
                                SP_INT(target_region_id)),
                   &r);
    if (e == STORE_OK)
        *moved = r->nrows > 0;
out:
    store_rows_free(r);
    return e;
}

store_err store_alert_top(struct store_conn *c, int64_t id)
{
    return store_exec(c, "UPDATE alerts SET top_reached = 1 WHERE id = $1",
                      STORE_PARAMS(SP_INT(id)), NULL);
}

store_err store_alert_ack(struct store_conn *c, const struct store_actor *a, int overseer,
                          int64_t id, const char *note, int64_t now)
{
    struct store_rows *r = NULL;
    store_err e = store_begin(c, 1);
    int told, in_scope;

    if (e != STORE_OK)
        return e;
    e = store_exec(c,
                   "SELECT a.region_path, a.acked_at, n.user_id FROM alerts a"
                   " LEFT JOIN alert_notified n ON n.alert_id = a.id AND n.user_id = $2"
                   " WHERE a.id = $1",
                   STORE_PARAMS(SP_INT(id), SP_INT(a->user_id)), &r);
    if (e != STORE_OK)
        goto out;
    told = r->nrows && store_rows_get(r, 0, 2) != NULL;
    in_scope = r->nrows && region_scope_contains(&a->scope, store_rows_get(r, 0, 0));
    if (!told && !in_scope) {
        store_conn_seterr(c, "alert %lld not found", (long long)id);
        e = STORE_NOT_FOUND;
    } else if (!told && !overseer) {
        store_conn_seterr(c, "only a recipient of the alert, or a supervisor, leader or"
                             " administrator of its region, may acknowledge it");
        e = STORE_FORBIDDEN;
    } else if (store_rows_get(r, 0, 1)) {
        store_conn_seterr(c, "the alert has already been acknowledged");
        e = STORE_CONFLICT;
    }
    if (e != STORE_OK)
        goto out;
    store_rows_free(r);
    r = NULL;
    /* Conditional: of two acknowledging at once, the second finds it taken. */
    e = store_exec(c,
                   "UPDATE alerts SET state = 'acked', acked_at = $2, acked_by = $3, ack_note = $4"
                   " WHERE id = $1 AND acked_at IS NULL RETURNING id",
                   STORE_PARAMS(SP_INT(id), SP_INT(now), a->user_id ? SP_INT(a->user_id) : SP_NULL,
                                SP_TEXT(note)),
                   &r);
    if (e == STORE_OK && r->nrows == 0) {
        store_conn_seterr(c, "the alert has already been acknowledged");
        e = STORE_CONFLICT;
    }
    if (e == STORE_OK)
        e = store_audit_append(c, a, "acknowledge", "alert", id, note ? "ack_note" : NULL, NULL);
out:
    store_rows_free(r);
    return store_end(c, e);
}

#define ALERT_COLS                                                                                 \
    "SELECT a.id, a.case_id, k.number AS case_number, a.region_id, r.name AS region_name,"         \
    " a.level, a.from_level, a.reasons, a.state, a.created_at, a.ack_due_at,"                      \
    " CASE WHEN a.acked_at IS NULL AND a.ack_due_at <= $4 THEN 1 ELSE 0 END AS overdue,"           \
    " a.acked_at, a.acked_by, u.name AS acked_by_name, a.ack_note, a.escalation_level,"            \
    " a.escalated_at, a.target_region_id, t.name AS target_region_name,"                           \
    " CASE WHEN n.user_id IS NULL THEN 0 ELSE 1 END AS mine"
#define ALERT_TYPES "iititttttssbsittisitb"
/* $1 $2 the range of regions, $3 the actor, $7 = 0: alerts the actor was told of count
 * as well (outside its scope: a county recipient of a village it does not administer).
 * The two are a union of index-bound id lists (alerts_region_path of migration 25 and
 * alert_notified_user): an OR across the join read every alert (issue 12). */
#define ALERT_JOINS                                                                                \
    " FROM alerts a JOIN cases k ON k.id = a.case_id JOIN regions r ON r.id = a.region_id"         \
    " LEFT JOIN regions t ON t.id = a.target_region_id"                                            \
    " LEFT JOIN users u ON u.id = a.acked_by"                                                      \
    " LEFT JOIN alert_notified n ON n.alert_id = a.id AND n.user_id = $3"
#define ALERT_FROM                                                                                 \
    ALERT_JOINS " WHERE a.id IN (SELECT s.id FROM alerts s WHERE s.region_path >= $1 AND "         \
                "s.region_path < $2"                                                               \
                " UNION SELECT w.alert_id FROM alert_notified w WHERE w.user_id = $3 AND $7 = 0)"
/*
 * The board (预警信息) counts and orders the same alerts by what alerts_board (migration 41)
 * holds beside the region path: the state, level and times it sorts by, and the id. Issue
 * 12: joined to their cases, regions and users before the count and the sort, a county's
 * 39,561 open alerts at 1 M cases took 110 ms for a page and 276 ms for its count; now the
 * count and the page's ids read the index alone, and only the page's rows are joined. The
 * second part lists the alerts the actor was told of outside the range, so the union needs
 * no de-duplication.
 */
#define ALERT_BOARD_ROWS                                                                           \
    " FROM (SELECT s.id, s.acked_at, s.level, s.ack_due_at FROM alerts s"                          \
    " WHERE s.region_path >= $1 AND s.region_path < $2"                                            \
    " UNION ALL SELECT s.id, s.acked_at, s.level, s.ack_due_at FROM alert_notified w"              \
    " JOIN alerts s ON s.id = w.alert_id WHERE w.user_id = $3 AND $7 = 0"                          \
    " AND NOT (s.region_path >= $1 AND s.region_path < $2)) b"                                     \
    " WHERE (CAST($5 AS TEXT) IS NULL OR ($5 = 'open' AND b.acked_at IS NULL)"                     \
    " OR ($5 = 'acked' AND b.acked_at IS NOT NULL))"                                               \
    " AND ($6 = 0 OR EXISTS (SELECT 1 FROM alert_notified m WHERE m.alert_id = b.id"               \
    " AND m.user_id = $3))"
/* Open first, red first among them, then the time left to acknowledge; acknowledged ones
 * latest first. */
#define ALERT_ORDER(x)                                                                             \
    " ORDER BY CASE WHEN " x ".acked_at IS NULL THEN 0 ELSE 1 END,"                                \
    " CASE WHEN " x ".acked_at IS NULL AND " x ".level = 'red' THEN 0 ELSE 1 END,"                 \
    " CASE WHEN " x ".acked_at IS NULL THEN " x ".ack_due_at ELSE -" x ".acked_at END, " x         \
    ".id DESC"

store_err store_alert_list(struct store_conn *c, const struct store_actor *a,
                           const struct store_alert_filter *f, const struct store_page *pg,
                           struct store_rows **out)
{
    struct region_scope sc;
    store_err e = store_region_narrow(c, a, f->region_id, &sc);

    if (e != STORE_OK)
        return e;
    /* Both statements take the same parameters; the count does not need the time ($4). */
    return store_paged(
        c, "SELECT COUNT(*)" ALERT_BOARD_ROWS " AND CAST($4 AS BIGINT) IS NOT NULL",
        ALERT_COLS ALERT_JOINS " WHERE a.id IN (SELECT b.id" ALERT_BOARD_ROWS ALERT_ORDER(
            "b") " LIMIT $8 OFFSET $9)" ALERT_ORDER("a"),
        STORE_PARAMS(SP_TEXT(sc.lo), SP_TEXT(sc.hi), SP_INT(a->user_id), SP_INT(f->now),
                     SP_TEXT(f->state), SP_INT(f->mine ? 1 : 0), SP_INT(f->region_id ? 1 : 0)),
        pg, ALERT_TYPES, out);
}

store_err store_alert_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                          int64_t now, struct store_rows **out)
{
    return store_one(c, ALERT_COLS ALERT_FROM " AND a.id = $5 AND $6 = 0",
                     STORE_PARAMS(SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi), SP_INT(a->user_id),
                                  SP_INT(now), SP_INT(id), SP_INT(0), SP_INT(0)),
                     ALERT_TYPES, "alert", out);
}

store_err store_alert_recipients_list(struct store_conn *c, const struct store_actor *a,
                                      int64_t region_id, struct store_rows **out)
{
    struct region_scope sc;
    store_err e = store_region_subtree(c, a, region_id, &sc);

    if (e != STORE_OK)
        return e;
    e = store_exec(c,
                   "SELECT x.user_id, u.name, u.login, o.name AS org_name, x.duty"
                   " FROM alert_recipients x JOIN users u ON u.id = x.user_id"
                   " JOIN organizations o ON o.id = u.org_id"
                   " WHERE x.region_id = $1 ORDER BY x.duty, x.user_id",
                   STORE_PARAMS(SP_INT(region_id)), out);
    if (e == STORE_OK)
        (*out)->types = "itttt";
    return e;
}

/* A recipient must be an active user of the actor's subtree or of a region above it (the
 * county's 综治 centre told of a village's alert), as store_user_leaders allows. */
static store_err recipient_ok(struct store_conn *c, const struct store_actor *a, int64_t user_id,
                              int i)
{
    struct store_rows *r = NULL;
    char field[48];
    store_err e = store_exec(
        c,
        "SELECT u.id FROM users u JOIN organizations o ON o.id = u.org_id"
        " JOIN regions r ON r.id = o.region_id WHERE u.id = $3 AND u.active = 1"
        " AND ((r.path >= $1 AND r.path < $2) OR substr($1, 1, length(r.path)) = r.path)",
        STORE_PARAMS(SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi), SP_INT(user_id)), &r);

    if (e == STORE_OK && r->nrows == 0) {
        snprintf(field, sizeof field, "recipients[%d].user_id", i);
        e = store_conn_invalid(c, field, "not_found",
                               "user does not exist, is inactive or is outside your scope");
    }
    store_rows_free(r);
    return e;
}

store_err store_alert_recipients_set(struct store_conn *c, const struct store_actor *a,
                                     int64_t region_id, const struct store_alert_recipient_in *in,
                                     int n)
{
    struct region_scope sc;
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = store_region_subtree(c, a, region_id, &sc);
    for (int i = 0; e == STORE_OK && i < n; i++)
        e = recipient_ok(c, a, in[i].user_id, i);
    if (e == STORE_OK)
        e = store_exec(c, "DELETE FROM alert_recipients WHERE region_id = $1",
                       STORE_PARAMS(SP_INT(region_id)), NULL);
    for (int i = 0; e == STORE_OK && i < n; i++)
        e = store_exec(c,
                       "INSERT INTO alert_recipients (region_id, user_id, duty, created_at)"
                       " VALUES ($1, $2, $3, $4)",
                       STORE_PARAMS(SP_INT(region_id), SP_INT(in[i].user_id), SP_TEXT(in[i].duty),
                                    SP_INT(store_now_ms())),
                       NULL);
    if (e == STORE_OK)
        e = store_audit_append(c, a, "update", "region", region_id, "alert_recipients", NULL);
    return store_end(c, e);
}

store_err store_alert_region_name(struct store_conn *c, int64_t id, char *name, size_t len)
{
    struct store_rows *r = NULL;
    store_err e = store_one(c, "SELECT name FROM regions WHERE id = $1", STORE_PARAMS(SP_INT(id)),
                            "t", "region", &r);

    if (e == STORE_OK)
        snprintf(name, len, "%s", store_rows_get(r, 0, 0));
    store_rows_free(r);
    return e;
}
