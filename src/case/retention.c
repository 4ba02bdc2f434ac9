/*
 * retention.c - anonymising the parties of cases kept past the retention period.
 *
 * 个人信息保护法 art. 19: personal information is kept no longer than the purpose needs;
 * art. 47 item 2: when the retention period has ended the handler deletes it (anonymised
 * information, art. 73 item 4, is no longer personal information). The period is the setting
 * `retention_years` (default 30, local archives practice — docs/security-data.md). A case
 * under a legal hold (cases.legal_hold: a lawsuit, a review, an authority's request to keep
 * it) is skipped. What stays is the case as a record of the centre's work: its number,
 * category, facts, agreement and timeline; the parties become 当事人甲, 当事人乙, ….
 * The facts are free text and may name people: they are not rewritten (see the docs).
 */
#include "case/case.h"

#include "core/timefmt.h"
#include "store/retention.h"
#include "text/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The parties' new names, by order of registration: the customary 甲乙丙丁… of Chinese legal
 * writing (stored data, as a name would be; not interface text). */
static const char *party_label(int i)
{
    static const char *const labels[] = {"当事人甲", "当事人乙", "当事人丙", "当事人丁",
                                         "当事人戊", "当事人己", "当事人庚", "当事人辛",
                                         "当事人壬", "当事人癸"};
    static char more[32];

    if (i < 10)
        return labels[i];
    snprintf(more, sizeof more, "当事人%d", i + 1);
    return more;
}

/* The Beijing midnight that starts the day `years` years before env->today, in ms; its
 * date in `day`. 29 February falls back to the 28th. */
static int64_t cutoff_ms(const struct case_env *env, int years, char day[16])
{
    int y, m, d;
    int32_t n;

    timefmt_day(env->today, day, 16);
    if (sscanf(day, "%d-%d-%d", &y, &m, &d) != 3)
        return 0;
    if (m == 2 && d == 29)
        d = 28;
    snprintf(day, 16, "%04d-%02d-%02d", y - years, m, d);
    if (timefmt_day_parse(day, &n) != 0)
        return 0;
    return (int64_t)n * 86400000 - 8LL * 3600 * 1000;
}

/* The search terms of the case once its parties are renamed: facts, claims, cause, labels. */
static char *terms_after(const struct case_env *env, const struct store_rows *r, int i, int n)
{
    size_t len = 1;
    char *joined, *norm, *terms = NULL;

    if (!env->text)
        return NULL;
    for (int k = 2; k <= 4; k++)
        len += (store_rows_get(r, i, k) ? strlen(store_rows_get(r, i, k)) : 0) + 1;
    len += (size_t)n * 32;
    joined = calloc(len, 1);
    if (!joined)
        return NULL;
    for (int k = 2; k <= 4; k++)
        if (store_rows_get(r, i, k)) {
            strcat(joined, store_rows_get(r, i, k));
            strcat(joined, " ");
        }
    for (int p = 0; p < n; p++) {
        strcat(joined, party_label(p));
        strcat(joined, " ");
    }
    norm = text_normalise(env->text, joined);
    if (norm)
        terms = text_bigrams(norm);
    free(norm);
    free(joined);
    return terms;
}

/* One case, in its own transaction: parties, search terms, timeline event and audit row. */
static store_err anonymise_one(const struct case_env *env, const struct store_rows *r, int i,
                               int years, int64_t *parties)
{
    int64_t id = store_rows_int(r, i, 0);
    struct store_rows *cnt = NULL;
    char data[96], *terms = NULL;
    int n = 0;
    store_err e = store_begin(env->conn, 1);

    if (e == STORE_OK)
        e = store_exec(env->conn, "SELECT COUNT(*) FROM case_parties WHERE case_id = $1",
                       STORE_PARAMS(SP_INT(id)), &cnt);
    if (e == STORE_OK)
        terms = terms_after(env, r, i, (int)store_rows_int(cnt, 0, 0));
    if (e == STORE_OK)
        e = store_retention_anonymise(env->conn, id, store_rows_get(r, i, 1), terms, party_label,
                                      &n);
    snprintf(data, sizeof data, "{\"retention_years\":%d,\"parties\":%d}", years, n);
    /* The timeline says what happened to the case; the audit row (same action) who did it. */
    if (e == STORE_OK)
        e = store_case_note(env->conn, env->actor, id, "anonymise", data, 0);
    e = store_end(env->conn, e);
    if (e == STORE_OK)
        *parties += n;
    free(terms);
    store_rows_free(cnt);
    return e;
}

case_err case_retention_run(const struct case_env *env, int years, int dry_run, FILE *list,
                            struct case_retention *res, struct case_out *out)
{
    int64_t cut = cutoff_ms(env, years, res->cutoff), after = 0;
    store_err e = store_retention_held(env->conn, cut, &res->held);

    res->due = res->parties = 0;
    while (e == STORE_OK) {
        struct store_rows *r = NULL;
        e = store_retention_due(env->conn, cut, after, &r);
        if (e != STORE_OK || r->nrows == 0) {
            store_rows_free(r);
            break;
        }
        for (int i = 0; e == STORE_OK && i < r->nrows; i++) {
            after = store_rows_int(r, i, 0);
            if (list)
                fprintf(list, "%s\n", store_rows_get(r, i, 1));
            if (!dry_run)
                e = anonymise_one(env, r, i, years, &res->parties);
            res->due += e == STORE_OK;
        }
        store_rows_free(r);
    }
    out->store = e;
    return e == STORE_OK ? CASE_OK : CASE_STORE;
}
