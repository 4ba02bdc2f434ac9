/*
 * intake.c - registering a case (统一接案) from any channel: staff intake, a citizen's
 * online application, a grid worker's report. The parties' personal data is sealed here
 * (src/seal/) before it reaches the store; the case is numbered within its county and year
 * and written with its parties, search terms, first timeline event and audit row in one
 * transaction. Repeated reports of one matter are offered as links, never duplicated.
 */
#include "case/case_impl.h"
#include "core/jfield.h"
#include "core/timefmt.h"
#include "seal/seal.h"
#include "store/settings.h"
#include "text/text.h"
#include "watch/keyperson.h"
#include "watch/stats.h"
#include "watch/trend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sealed strings of one intake, freed together. */
struct sealed {
    char *owned[STORE_MAX_PARTIES * 3];
    int n;
    char idx[STORE_MAX_PARTIES][2][SEAL_INDEX_LEN];
    /* The same numbers under the other key of a rotation (seal_index_other), so that
     * look-ups find rows `jiefen key rotate` has not re-indexed yet; "" when none. */
    char alt[STORE_MAX_PARTIES][2][SEAL_INDEX_LEN];
};

/* Seals an ID number or phone already normalised into p's columns. */
static void seal_key(const struct case_env *env, struct sealed *s, int i, int k, const char *what,
                     const char *norm, const char **index, const char **sealed)
{
    seal_index(env->seal, what, norm, s->idx[i][k]);
    seal_index_other(env->seal, what, norm, s->alt[i][k]);
    *index = s->idx[i][k];
    *sealed = s->owned[s->n++] = seal_encrypt(env->seal, norm);
}

/* Reads parties[i]; seals its personal data into p. Errors name "parties[i].field". */
static void party_input(const struct case_env *env, json_t *o, int i, struct store_party_in *p,
                        struct sealed *s, struct verr_list *errs)
{
    const char *id_number = NULL, *phone = NULL, *address = NULL;
    char field[48], norm[32];
    struct verr_list one = {0};

    jfield_read(o,
                (struct jfield[]){{"role", 's', 1, &p->role},
                                  {"kind", 's', 0, &p->kind},
                                  {"name", 's', 1, &p->name},
                                  {"id_number", 's', 0, &id_number},
                                  {"phone", 's', 0, &phone},
                                  {"address", 's', 0, &address},
                                  {"agent", 's', 0, &p->agent}},
                7, &one, NULL, 0);
    p->role = jfield_vocab(&one, "role", &vocab_party_role, p->role);
    p->kind = p->kind ? jfield_vocab(&one, "kind", &vocab_party_kind, p->kind) : "person";
    if (p->name)
        verr_check_text(&one, "name", p->name, 1, 100);
    if (p->agent)
        verr_check_text(&one, "agent", p->agent, 0, 100);
    if (address)
        verr_check_text(&one, "address", address, 0, 200);
    if (id_number && *id_number) {
        if (seal_norm_id_number(id_number, norm, sizeof norm) != 0)
            verr_add(&one, "id_number", "invalid", "is not a valid resident ID number");
        else if (!one.n)
            seal_key(env, s, i, 0, "id", norm, &p->id_index, &p->id_sealed);
    }
    if (phone && *phone) {
        if (seal_norm_phone(phone, norm, sizeof norm) != 0)
            verr_add(&one, "phone", "invalid", "is not a valid phone number");
        else if (!one.n)
            seal_key(env, s, i, 1, "phone", norm, &p->phone_index, &p->phone_sealed);
    }
    if (address && *address && !one.n)
        p->address_sealed = s->owned[s->n++] = seal_encrypt(env->seal, address);
    for (int k = 0; k < one.n; k++) {
        snprintf(field, sizeof field, "parties[%d].%s", i, one.items[k].field);
        verr_add(errs, field, one.items[k].code, "%s", one.items[k].message);
    }
}

/* What search finds a case by: the names of the parties, the facts, the claims and the
 * cause, as bigram tokens (src/text). Returns malloc'd tokens or NULL. */
static char *case_terms(const struct case_env *env, const struct store_case_in *in)
{
    const char *parts[3 + STORE_MAX_PARTIES] = {in->facts, in->claims, in->cause};
    size_t len = 1;
    char *joined, *norm, *terms = NULL;
    int n = 3;

    if (!env->text)
        return NULL;
    for (int p = 0; p < in->nparties; p++)
        parts[n++] = in->parties[p].name;
    for (int i = 0; i < n; i++)
        len += (parts[i] ? strlen(parts[i]) : 0) + 1;
    joined = calloc(len, 1);
    if (!joined)
        return NULL;
    for (int i = 0; i < n; i++) {
        if (parts[i]) {
            strcat(joined, parts[i]);
            strcat(joined, " ");
        }
    }
    norm = text_normalise(env->text, joined);
    if (norm)
        terms = text_bigrams(norm);
    free(norm);
    free(joined);
    return terms;
}

/* Non-negative optional integers and positive references. */
static void check_numbers(json_t *req, struct verr_list *errs, json_int_t people, json_int_t amount,
                          json_int_t region_id, json_int_t related)
{
    if (json_object_get(req, "people") && people < 0 && !verr_has(errs, "people"))
        verr_add(errs, "people", "invalid", "must not be negative");
    if (json_object_get(req, "amount") && amount < 0 && !verr_has(errs, "amount"))
        verr_add(errs, "amount", "invalid", "must not be negative");
    if (json_object_get(req, "region_id") && region_id <= 0 && !verr_has(errs, "region_id"))
        verr_add(errs, "region_id", "invalid", "must be a positive integer");
    if (json_object_get(req, "related_to") && related <= 0 && !verr_has(errs, "related_to"))
        verr_add(errs, "related_to", "invalid", "must be a positive integer");
}

static void check_texts(const struct store_case_in *in, struct verr_list *errs)
{
    int32_t d;

    if (in->facts)
        verr_check_text(errs, "facts", in->facts, 1, 5000);
    if (in->claims)
        verr_check_text(errs, "claims", in->claims, 0, 2000);
    if (in->cause)
        verr_check_text(errs, "cause", in->cause, 0, 500);
    if (in->forecast)
        verr_check_text(errs, "forecast", in->forecast, 0, 500);
    if (in->occurred_on && timefmt_day_parse(in->occurred_on, &d) != 0)
        verr_add(errs, "occurred_on", "invalid", "must be a date (YYYY-MM-DD)");
}

/* Reads the parties; at least one applicant (申请人). */
static void read_parties(const struct case_env *env, json_t *parties, struct store_case_in *in,
                         struct sealed *s, struct verr_list *errs)
{
    int applicants = 0;
    json_t *item;
    size_t i;

    if (!parties)
        return;
    if (json_array_size(parties) > STORE_MAX_PARTIES) {
        verr_add(errs, "parties", "invalid", "at most %d parties", STORE_MAX_PARTIES);
        return;
    }
    json_array_foreach(parties, i, item)
    {
        if (!json_is_object(item)) {
            verr_add(errs, "parties", "type", "item %zu must be an object", i + 1);
            continue;
        }
        party_input(env, item, (int)i, &in->parties[i], s, errs);
        applicants += in->parties[i].role && strcmp(in->parties[i].role, "applicant") == 0;
    }
    in->nparties = (int)json_array_size(parties);
    if (applicants == 0 && !verr_has(errs, "parties"))
        verr_add(errs, "parties", "required", "name at least one applicant (申请人)");
}

/* Open cases of the same parties (by blind index) and category within the window. */
static json_t *related_hints(const struct case_env *env, const struct store_case_in *in,
                             const struct sealed *s, int64_t id)
{
    long window_days = store_setting_int(env->conn, "related_window_days");
    json_t *list = json_array();

    for (int p = 0; p < in->nparties; p++) {
        struct store_rows *rel = NULL;
        if (!in->parties[p].id_index && !in->parties[p].phone_index)
            continue;
        if (store_case_related(env->conn, env->actor, in->parties[p].id_index,
                               in->parties[p].phone_index,
                               in->parties[p].id_index ? s->alt[p][0] : NULL,
                               in->parties[p].phone_index ? s->alt[p][1] : NULL, in->category,
                               store_now_ms() - window_days * 86400000LL, &rel) == STORE_OK) {
            for (int r = 0; r < rel->nrows; r++) {
                char at[TIMEFMT_ISO_LEN];
                if (store_rows_int(rel, r, 0) == id)
                    continue;
                timefmt_iso(store_rows_int(rel, r, 4), at, sizeof at);
                json_array_append_new(
                    list, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id",
                                    (json_int_t)store_rows_int(rel, r, 0), "number",
                                    store_rows_get(rel, r, 1), "state", store_rows_get(rel, r, 2),
                                    "category", store_rows_get(rel, r, 3), "received_at", at));
            }
        }
        store_rows_free(rel);
    }
    return list;
}

/* The parties' indexes under the other key of a rotation (none outside one), for the
 * key-person match: a key person not yet re-indexed still matches. */
static int alt_list(const struct store_case_in *in, const struct sealed *s, const char **alt)
{
    int n = 0;

    for (int p = 0; p < in->nparties; p++) {
        if (in->parties[p].id_index && strcmp(s->alt[p][0], in->parties[p].id_index) != 0)
            alt[n++] = s->alt[p][0];
        if (in->parties[p].phone_index && strcmp(s->alt[p][1], in->parties[p].phone_index) != 0)
            alt[n++] = s->alt[p][1];
    }
    return n;
}

/* A request read, checked and sealed, waiting to be written (case.h). */
struct case_intake {
    struct store_case_in in; /* points into the request and into s, search */
    struct sealed s;
    char *search;
    const char *alt[STORE_MAX_PARTIES * 2];
    int nalt;
    char format[256];
    int year;
    struct case_text_read text;
};

void case_intake_free(struct case_intake *ci)
{
    if (!ci)
        return;
    for (int k = 0; k < ci->s.n; k++)
        free(ci->s.owned[k]);
    free(ci->search);
    case_text_read_free(&ci->text);
    free(ci);
}

/* Reads the request's fields into ci->in; errors into out->errs. */
static void intake_fields(const struct case_env *env, json_t *req, struct case_intake *ci,
                          struct case_out *out)
{
    struct store_case_in *in = &ci->in;
    json_int_t region_id = 0, people = -1, amount = -1, related = 0;
    int key_persons = 0, urgent = 0;
    json_t *parties = NULL;

    jfield_read(req,
                (struct jfield[]){{"channel", 's', 1, &in->channel},
                                  {"category", 's', 1, &in->category},
                                  {"complexity", 's', 1, &in->complexity},
                                  {"facts", 's', 1, &in->facts},
                                  {"claims", 's', 0, &in->claims},
                                  {"cause", 's', 0, &in->cause},
                                  {"region_id", 'I', 1, &region_id},
                                  {"occurred_on", 's', 0, &in->occurred_on},
                                  {"people", 'I', 0, &people},
                                  {"amount", 'I', 0, &amount},
                                  {"key_persons", 'b', 0, &key_persons},
                                  {"forecast", 's', 0, &in->forecast},
                                  {"urgent", 'b', 0, &urgent},
                                  {"related_to", 'I', 0, &related},
                                  {"parties", 'a', 1, &parties}},
                15, &out->errs, NULL, 0);
    in->channel = jfield_vocab(&out->errs, "channel", &vocab_channel, in->channel);
    in->category = jfield_vocab(&out->errs, "category", &vocab_category, in->category);
    in->complexity = jfield_vocab(&out->errs, "complexity", &vocab_complexity, in->complexity);
    check_texts(in, &out->errs);
    check_numbers(req, &out->errs, people, amount, region_id, related);
    case_check_ref(env, &out->errs, "region_id", "region", region_id);
    case_check_ref(env, &out->errs, "related_to", "case", related);
    read_parties(env, parties, in, &ci->s, &out->errs);
    in->region_id = region_id;
    in->has_people = people >= 0;
    in->people = people;
    in->has_amount = amount >= 0;
    in->amount = amount;
    in->key_persons = key_persons;
    in->urgent = urgent;
    in->related_to = related;
}

case_err case_intake_read(const struct case_env *env, json_t *req, const char *access_digest,
                          struct case_intake **out_in, struct case_out *out)
{
    struct case_intake *ci;
    char year[16];

    *out_in = NULL;
    if (!env->seal)
        return CASE_UNAVAILABLE;
    ci = calloc(1, sizeof *ci);
    if (!ci) {
        store_conn_seterr(env->conn, "out of memory");
        out->store = STORE_ERROR;
        return CASE_STORE;
    }
    intake_fields(env, req, ci, out);
    if (out->errs.n) {
        case_intake_free(ci);
        return CASE_INVALID;
    }
    ci->in.search_terms = ci->search = case_terms(env, &ci->in);
    ci->in.access_digest = access_digest;
    ci->nalt = alt_list(&ci->in, &ci->s, ci->alt);
    store_setting(env->conn, "case_number_format", ci->format, sizeof ci->format);
    timefmt_day(env->today, year, sizeof year); /* "YYYY-..." read as the year */
    ci->year = atoi(year);
    if (case_text_read_make(env, ci->in.facts, ci->in.claims, &ci->text) != 0) {
        case_intake_free(ci);
        store_conn_seterr(env->conn, "out of memory");
        out->store = STORE_ERROR;
        return CASE_STORE;
    }
    *out_in = ci;
    return CASE_OK;
}

case_err case_intake_write(const struct case_env *env, struct case_intake *ci, struct case_out *out)
{
    struct case_env read_env = *env;
    store_err e;

    read_env.text_read = &ci->text; /* the regrade need not read the text again */
    e = store_begin(env->conn, 1);
    if (e == STORE_OK)
        e = store_case_create(env->conn, env->actor, &ci->in, ci->format, ci->year, &out->id,
                              out->number, sizeof out->number);
    /* The key persons among the parties first: the grade counts them. */
    e = e == STORE_OK ? keyperson_match_case(env->conn, out->id, ci->alt, ci->nalt, NULL)
                      : e; /* 重点人员 */
    if (e == STORE_OK)
        e = case_risk_regrade(&read_env, out->id);
    e = e == STORE_OK ? trend_count_case(env->conn, out->id) : e; /* 趋势预警 counters */
    e = e == STORE_OK ? stats_sync(env->conn, out->id) : e;       /* 统计 counters */
    e = store_end(env->conn, e);
    out->store = e;
    return e == STORE_OK ? CASE_OK : CASE_STORE;
}

json_t *case_intake_hints(const struct case_env *env, const struct case_intake *ci, int64_t id)
{
    return related_hints(env, &ci->in, &ci->s, id);
}

case_err case_register(const struct case_env *env, json_t *req, const char *access_digest,
                       struct case_out *out)
{
    struct case_intake *ci = NULL;
    case_err rc = case_intake_read(env, req, access_digest, &ci, out);

    if (rc == CASE_OK)
        rc = case_intake_write(env, ci, out);
    if (rc == CASE_OK)
        out->related = case_intake_hints(env, ci, out->id);
    case_intake_free(ci);
    return rc;
}
