/*
 * agreement.c - following an agreement up (协议履行): its instalments paid, late or
 * defaulted, the fulfilment rate, and judicial confirmation (司法确认) within the 30 days
 * of 人民调解法 art. 33.
 */
#include "case/case_impl.h"
#include "core/jfield.h"
#include "core/timefmt.h"
#include "store/regions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The day (Beijing) the agreement was reached, or 0 if there is none. */
static store_err agreement_day(const struct case_env *env, int64_t id, int32_t *day)
{
    struct store_rows *ev = NULL;
    store_err e = store_case_events(env->conn, id, 0, &ev);

    *day = 0;
    for (int r = 0; e == STORE_OK && r < ev->nrows; r++)
        if (strcmp(store_rows_get(ev, r, 4), "agree") == 0)
            *day = (int32_t)((store_rows_int(ev, r, 1) + 8LL * 3600 * 1000) / 86400000);
    store_rows_free(ev);
    return e;
}

/* An instalment row as JSON; `late` when unpaid past the end of its period (民法典 203). */
static json_t *instalment_json(const struct store_rows *inst, int r, int32_t end)
{
    char ends[16];

    timefmt_day(end, ends, sizeof ends);
    return json_pack("{s:I, s:I, s:s, s:s, s:I, s:s, s:s?, s:s?}", "id",
                     (json_int_t)store_rows_int(inst, r, 0), "seq",
                     (json_int_t)store_rows_int(inst, r, 1), "due_date", store_rows_get(inst, r, 2),
                     "ends_on", ends, "amount", (json_int_t)store_rows_int(inst, r, 3), "status",
                     store_rows_get(inst, r, 4), "paid_on", store_rows_get(inst, r, 5), "note",
                     store_rows_get(inst, r, 6));
}

case_err case_fulfilment(const struct case_env *env, int64_t id, json_t **result,
                         struct case_out *out)
{
    struct store_rows *row = NULL, *inst = NULL, *conf = NULL;
    int64_t paid = 0, total = 0, amount = 0, paid_amount = 0, late = 0;
    int32_t agreed = 0;
    char deadline[16];
    struct calendar_day *days = NULL;
    size_t ndays = 0;
    json_t *items;
    store_err e = store_case_get(env->conn, env->actor, id, &row);

    if (e == STORE_OK)
        e = store_instalments(env->conn, id, &inst);
    if (e == STORE_OK)
        e = store_confirmation_get(env->conn, id, &conf);
    if (e == STORE_OK)
        e = agreement_day(env, id, &agreed);
    if (e == STORE_OK)
        e = case_calendar(env, &days, &ndays); /* once for the whole plan */
    items = json_array();
    for (int r = 0; e == STORE_OK && inst && r < inst->nrows; r++) {
        const char *status = store_rows_get(inst, r, 4);
        struct calendar cal = {days, ndays};
        int32_t due = 0, end;
        timefmt_day_parse(store_rows_get(inst, r, 2), &due);
        end = calendar_period_end(&cal, due); /* 民法典 art. 203 */
        json_array_append_new(items, instalment_json(inst, r, end));
        total++;
        amount += store_rows_int(inst, r, 3);
        if (strcmp(status, "paid") == 0) {
            paid++;
            paid_amount += store_rows_int(inst, r, 3);
        } else if (strcmp(status, "defaulted") == 0 || strcmp(status, "late") == 0 ||
                   end < env->today) {
            late++;
        }
    }
    out->store = e;
    if (e != STORE_OK) {
        json_decref(items);
        goto out;
    }
    *result = json_pack("{s:o, s:I, s:I, s:I, s:I, s:I}", "instalments", items, "count",
                        (json_int_t)total, "paid", (json_int_t)paid, "late", (json_int_t)late,
                        "amount", (json_int_t)amount, "paid_amount", (json_int_t)paid_amount);
    /* 履行率: the share of instalments paid (null while there is no payment plan). */
    json_object_set_new(*result, "fulfilment_rate",
                        total ? json_real((double)paid / (double)total) : json_null());
    json_object_set_new(
        *result, "confirmation",
        conf->nrows
            ? json_pack("{s:s, s:s, s:s, s:s?}", "applied_on", store_rows_get(conf, 0, 0), "court",
                        store_rows_get(conf, 0, 1), "result", store_rows_get(conf, 0, 2),
                        "decided_on", store_rows_get(conf, 0, 3))
            : json_null());
    /* 人民调解法 art. 33: the parties may apply jointly within 30 days of the agreement
     * taking effect. */
    if (agreed)
        timefmt_day(agreed + 30, deadline, sizeof deadline);
    json_object_set_new(*result, "confirmation_deadline",
                        agreed ? json_string(deadline) : json_null());
    /* The court a 司法确认 goes to: the basic-level court of the place the dispute arose
     * (人民调解法 art. 33), as the registry records it. */
    {
        char court[256] = "";
        e = store_region_court(env->conn, store_rows_int(row, 0, store_rows_col(row, "region_id")),
                               court, sizeof court);
        json_object_set_new(*result, "court", *court ? json_string(court) : json_null());
        if (e == STORE_NOT_FOUND)
            e = STORE_OK;
        if (e != STORE_OK) {
            json_decref(*result);
            *result = NULL;
        }
        out->store = e;
    }
out:
    free(days);
    store_rows_free(row);
    store_rows_free(inst);
    store_rows_free(conf);
    return e == STORE_OK ? CASE_OK : CASE_STORE;
}

case_err case_instalment(const struct case_env *env, int64_t id, int64_t instalment_id, json_t *req,
                         struct case_out *out)
{
    struct store_rows *row = NULL;
    const char *status = NULL, *paid_on = NULL, *note = NULL;
    int32_t d;
    store_err e;

    jfield_read(req,
                (struct jfield[]){{"status", 's', 1, &status},
                                  {"paid_on", 's', 0, &paid_on},
                                  {"note", 's', 0, &note}},
                3, &out->errs, NULL, 0);
    if (status && strcmp(status, "pending") != 0 && strcmp(status, "paid") != 0 &&
        strcmp(status, "late") != 0 && strcmp(status, "defaulted") != 0)
        verr_add(&out->errs, "status", "invalid", "must be pending, paid, late or defaulted");
    if (status && strcmp(status, "paid") == 0 && !paid_on)
        verr_add(&out->errs, "paid_on", "required", "give the day it was paid");
    if (paid_on && timefmt_day_parse(paid_on, &d) != 0)
        verr_add(&out->errs, "paid_on", "invalid", "must be a date (YYYY-MM-DD)");
    if (note)
        verr_check_text(&out->errs, "note", note, 0, 500);
    if (out->errs.n)
        return CASE_INVALID;
    e = store_begin(env->conn, 1);
    if (e == STORE_OK)
        e = store_case_get(env->conn, env->actor, id, &row);
    if (e == STORE_OK)
        e = store_instalment_set(env->conn, env->actor, id, instalment_id, status, paid_on, note);
    if (e == STORE_OK)
        e = case_risk_regrade(env, id);
    out->store = store_end(env->conn, e);
    store_rows_free(row);
    return out->store == STORE_OK ? CASE_OK : CASE_STORE;
}

case_err case_confirmation(const struct case_env *env, int64_t id, json_t *req,
                           struct case_out *out)
{
    struct store_rows *row = NULL;
    const char *applied = NULL, *court = NULL, *result = NULL, *decided = NULL;
    int32_t a = 0, d = 0, agreed = 0;
    store_err e;

    jfield_read(req,
                (struct jfield[]){{"applied_on", 's', 1, &applied},
                                  {"court", 's', 1, &court},
                                  {"result", 's', 0, &result},
                                  {"decided_on", 's', 0, &decided}},
                4, &out->errs, NULL, 0);
    result = result ? result : "pending";
    if (strcmp(result, "pending") != 0 && strcmp(result, "confirmed") != 0 &&
        strcmp(result, "rejected") != 0)
        verr_add(&out->errs, "result", "invalid", "must be pending, confirmed or rejected");
    if (court)
        verr_check_text(&out->errs, "court", court, 1, 100);
    if (applied && timefmt_day_parse(applied, &a) != 0)
        verr_add(&out->errs, "applied_on", "invalid", "must be a date (YYYY-MM-DD)");
    if (decided && timefmt_day_parse(decided, &d) != 0)
        verr_add(&out->errs, "decided_on", "invalid", "must be a date (YYYY-MM-DD)");
    else if (decided && a && d < a)
        verr_add(&out->errs, "decided_on", "invalid", "must not be before applied_on");
    if (!decided && strcmp(result, "pending") != 0 && !verr_has(&out->errs, "result"))
        verr_add(&out->errs, "decided_on", "required", "give the day the court decided");
    e = store_begin(env->conn, 1);
    if (e == STORE_OK)
        e = store_case_get(env->conn, env->actor, id, &row);
    if (e == STORE_OK)
        e = agreement_day(env, id, &agreed);
    if (e == STORE_OK && !agreed) {
        store_conn_seterr(env->conn,
                          "judicial confirmation needs an agreement reached by mediation");
        e = STORE_CONFLICT;
    }
    /* 人民调解法 art. 33: within 30 days of the agreement taking effect. */
    if (e == STORE_OK && a && !verr_has(&out->errs, "applied_on") &&
        (a < agreed || a > agreed + 30))
        verr_add(&out->errs, "applied_on", "invalid",
                 "must be within 30 days after the agreement (人民调解法 art. 33)");
    if (e == STORE_OK && !out->errs.n)
        e = store_confirmation_set(env->conn, env->actor, id, applied, court, result, decided);
    if (e == STORE_OK && !out->errs.n)
        e = case_risk_regrade(env, id);
    out->store = store_end(env->conn, e == STORE_OK && out->errs.n ? STORE_INVALID : e);
    store_rows_free(row);
    if (out->errs.n && e == STORE_OK)
        return CASE_INVALID;
    return out->store == STORE_OK ? CASE_OK : CASE_STORE;
}

case_err case_warn(const struct case_env *env, int64_t id, const char *kind, const char *due_date,
                   int *created, struct case_out *out)
{
    out->store = store_warning_raise(env->conn, id, kind, due_date, created);
    return out->store == STORE_OK ? CASE_OK : CASE_STORE;
}

/* One unpaid instalment whose period has ended: marked late and warned, together. */
static store_err instalment_late(const struct case_env *env, const struct store_rows *r, int i,
                                 int *created)
{
    int64_t case_id = store_rows_int(r, i, 1);
    store_err e = store_begin(env->conn, 1);

    if (e == STORE_OK)
        e = store_warning_raise(env->conn, case_id, "instalment_late", store_rows_get(r, i, 2),
                                created);
    if (e == STORE_OK && strcmp(store_rows_get(r, i, 3), "pending") == 0)
        e = store_instalment_set(env->conn, env->actor, case_id, store_rows_int(r, i, 0), "late",
                                 NULL, NULL);
    if (e == STORE_OK)
        e = case_risk_regrade(env, case_id);
    return store_end(env->conn, e);
}

case_err case_scan_instalments(const struct case_env *env, int *raised, struct case_out *out)
{
    struct calendar_day *days = NULL;
    struct store_rows *r = NULL;
    size_t ndays = 0;
    char today[16];
    store_err e;

    timefmt_day(env->today, today, sizeof today);
    e = case_calendar(env, &days, &ndays);
    if (e == STORE_OK)
        e = store_instalments_unpaid(env->conn, today, &r);
    for (int i = 0; e == STORE_OK && i < r->nrows; i++) {
        struct calendar cal = {days, ndays};
        int32_t due = 0, end;
        int created = 0;
        if (timefmt_day_parse(store_rows_get(r, i, 2), &due) != 0)
            continue;
        end = calendar_period_end(&cal, due); /* 民法典 art. 203 */
        if (end == env->today)
            e = store_warning_raise(env->conn, store_rows_int(r, i, 1), "instalment_due",
                                    store_rows_get(r, i, 2), &created);
        else if (end < env->today)
            e = instalment_late(env, r, i, &created);
        *raised += created;
    }
    store_rows_free(r);
    free(days);
    out->store = e;
    return e == STORE_OK ? CASE_OK : CASE_STORE;
}
