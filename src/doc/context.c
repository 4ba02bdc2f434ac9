/*
 * context.c - the facts of a case as the documents print them (see doc.h, doc_context).
 *
 * Everything a template would otherwise have to compute is done here once: Chinese names
 * of codes, dates in Chinese in Beijing time, names joined with 、, the issuing body with
 * its fallback, the instalment plan with its total and last day. A template then only
 * chooses between "present" and "absent", which keeps empty fields from leaving broken
 * punctuation behind ("于经", "、：").
 */
#include "doc/doc.h"

#include "core/timefmt.h"
#include "core/vocab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BEIJING_MS (8LL * 3600 * 1000) /* China Standard Time, UTC+8 all year */

/* "2026年11月23日" from "YYYY-MM-DD..." (a day) or "" when it is not a date. */
static void zh_day(const char *iso, char *out, size_t n)
{
    int y = 0, m = 0, d = 0;

    if (iso && sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3)
        snprintf(out, n, "%d年%d月%d日", y, m, d);
    else
        snprintf(out, n, "%s", "");
}

/* A UTC timestamp "...T...Z" as the Beijing day ("2026年11月23日") and, if `with_time`,
 * the minute ("2026年11月23日 09:30"); "" when it is not a timestamp. */
static void zh_time(const char *iso, int with_time, char *out, size_t n)
{
    int64_t ms;
    char local[TIMEFMT_ISO_LEN];
    int y, mo, d, h, mi;

    out[0] = '\0';
    if (!iso || timefmt_parse(iso, &ms) != 0)
        return;
    timefmt_iso(ms + BEIJING_MS, local, sizeof local);
    if (sscanf(local, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) != 5)
        return;
    if (with_time)
        snprintf(out, n, "%d年%d月%d日 %02d:%02d", y, mo, d, h, mi);
    else
        snprintf(out, n, "%d年%d月%d日", y, mo, d);
}

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s && *s ? s : NULL;
}

/* Sets key to a string, or removes it when the string is empty (so that sections skip). */
static void set_text(json_t *o, const char *key, const char *s)
{
    if (s && *s)
        json_object_set_new(o, key, json_string(s));
    else
        json_object_del(o, key);
}

static void set_day(json_t *o, const char *key, const char *iso)
{
    char buf[64];
    zh_day(iso, buf, sizeof buf);
    set_text(o, key, buf);
}

static void set_time(json_t *o, const char *key, const char *iso, int with_time)
{
    char buf[64];
    zh_time(iso, with_time, buf, sizeof buf);
    set_text(o, key, buf);
}

/* o[key_name] = the Chinese name of the code o[key] (the code itself if unknown). */
static void set_name(json_t *o, const char *key, const struct vocab *v)
{
    const char *code = str(o, key);
    char name[64];

    snprintf(name, sizeof name, "%s_name", key);
    set_text(o, name, code && vocab_zh(v, code) ? vocab_zh(v, code) : code);
}

/* Empty strings and nulls are dropped so that {{#x}} and {{^x}} see them as absent. */
static void drop_empty(json_t *o)
{
    const char *key;
    json_t *v;
    void *tmp;

    json_object_foreach_safe(o, tmp, key, v)
    {
        if (json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0))
            json_object_del(o, key);
    }
}

static void case_context(json_t *kase)
{
    static const struct {
        const char *key;
        const struct vocab *v;
    } names[] = {{"category", &vocab_category},
                 {"channel", &vocab_channel},
                 {"complexity", &vocab_complexity},
                 {"method", &vocab_method},
                 {"level", &vocab_mgmt_level}};

    drop_empty(kase);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        set_name(kase, names[i].key, names[i].v);
    {
        /* "婚姻家庭" → "婚姻家庭纠纷"; "邻里纠纷" and "劳动争议" stay as they are. */
        const char *cat = str(kase, "category_name");
        char dispute[128];
        size_t n = cat ? strlen(cat) : 0;
        int named =
            n >= 6 && (strcmp(cat + n - 6, "纠纷") == 0 || strcmp(cat + n - 6, "争议") == 0);
        snprintf(dispute, sizeof dispute, "%s%s", cat ? cat : "", cat && !named ? "纠纷" : "");
        set_text(kase, "dispute_name", dispute);
    }
    set_time(kase, "received_date", str(kase, "received_at"), 0);
    /* The 受理登记表 prints when the case was registered, to the minute (登记时间). */
    set_time(kase, "received_time", str(kase, "received_at"), 1);
    set_day(kase, "occurred_on_zh", str(kase, "occurred_on"));
    set_day(kase, "due_date_zh", str(kase, "due_date"));
    /* A routing decision is complete only with a method, a level and a time limit. */
    if (str(kase, "method") && str(kase, "level") &&
        json_integer_value(json_object_get(kase, "time_limit_days")) > 0)
        json_object_set_new(kase, "routed", json_true());
}

static void parties_context(json_t *root)
{
    json_t *parties = json_object_get(root, "parties"), *p;
    char names[2048];
    size_t i, len = 0;

    names[0] = '\0';
    json_array_foreach(parties, i, p)
    {
        const char *role = str(p, "role"), *name = str(p, "name");
        drop_empty(p);
        set_text(p, "role_name",
                 role && vocab_zh(&vocab_party_role, role) ? vocab_zh(&vocab_party_role, role)
                                                           : role);
        /* An organization is identified by its unified social credit code, not an ID. */
        if (strcmp(str(p, "kind") ? str(p, "kind") : "", "organization") == 0)
            json_object_set_new(p, "organization", json_true());
        if (name && len < sizeof names)
            len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", len ? "、" : "", name);
    }
    set_text(root, "party_names", names);
}

/* The plan of payment: each instalment's day in Chinese, the total and the last day. */
static void instalments_context(json_t *root, json_t *agreement)
{
    json_t *list = json_object_get(root, "instalments"), *it;
    json_int_t total = 0;
    const char *last = NULL;
    size_t i;

    json_array_foreach(list, i, it)
    {
        drop_empty(it);
        json_object_set_new(it, "n", json_integer((json_int_t)i + 1));
        set_day(it, "due_date_zh", str(it, "due_date"));
        set_day(it, "paid_on_zh", str(it, "paid_on"));
        total += json_integer_value(json_object_get(it, "amount"));
        last = str(it, "due_date");
    }
    if (!agreement || !json_array_size(list))
        return;
    json_object_set(agreement, "instalments", list);
    json_object_set_new(agreement, "instalment_count", json_integer((json_int_t)i));
    json_object_set_new(agreement, "instalment_total", json_integer(total));
    set_day(agreement, "last_due_zh", last);
}

/* The latest agree / fail / return-visit event's data, with the day it happened. */
static void event_context(json_t *root, const char *key)
{
    json_t *ev = json_object_get(root, key);

    if (!json_is_object(ev)) {
        json_object_del(root, key);
        return;
    }
    drop_empty(ev);
    set_time(ev, "date", str(ev, "at"), 0);
}

json_t *doc_context(json_t *facts)
{
    json_t *kase = json_object_get(facts, "case");
    const char *resp = str(kase, "resp_org_name"), *reg = str(facts, "registered_by");
    json_t *agreement, *failure;
    char today[16];

    if (!json_is_object(kase)) {
        kase = json_object();
        json_object_set_new(facts, "case", kase);
        resp = NULL;
    }
    drop_empty(facts);
    /* The issuing body beside the seal: the unit that registered the case for the intake
     * papers, the responsible unit (the mediation committee) for the others; each stands
     * in for the other while one is not known yet (an online application not yet
     * accepted has neither). */
    {
        /* Copied first: replacing "registered_by" frees the string reg points into, and
         * responsible_unit falls back to it (a registered case has no responsible unit). Out of
         * memory, a name is left out. */
        char *r = reg ? strdup(reg) : NULL, *u = resp ? strdup(resp) : NULL;

        set_text(facts, "registered_by", r ? r : u);
        set_text(facts, "responsible_unit", u ? u : r);
        free(r);
        free(u);
    }
    case_context(kase);
    parties_context(facts);
    if (!json_is_array(json_object_get(facts, "sessions")))
        json_object_set_new(facts, "sessions", json_array());
    event_context(facts, "agreement");
    event_context(facts, "failure");
    event_context(facts, "visit");
    agreement = json_object_get(facts, "agreement");
    failure = json_object_get(facts, "failure");
    if (agreement)
        set_name(agreement, "form", &vocab_agreement_form);
    if (failure)
        set_name(failure, "guidance", &vocab_guidance);
    /* A visit's fulfilment is yes, no, or not asked (no agreement to fulfil). */
    if (json_is_boolean(json_object_get(json_object_get(facts, "visit"), "fulfilled")))
        json_object_set_new(json_object_get(facts, "visit"), "fulfilled_known", json_true());
    instalments_context(facts, agreement);
    {
        json_t *s;
        size_t i;
        json_array_foreach(json_object_get(facts, "sessions"), i, s)
        {
            drop_empty(s);
            json_object_set_new(s, "n", json_integer((json_int_t)i + 1));
        }
    }
    timefmt_day(
        (int32_t)((json_integer_value(json_object_get(facts, "now_ms")) + BEIJING_MS) / 86400000),
        today, sizeof today);
    set_day(facts, "today", today);
    return facts;
}
