/*
 * retention.c - anonymising the parties of cases kept past the retention period.
 *
 * 个人信息保护法 art. 19: personal information is kept no longer than the purpose needs;
 * art. 47 item 2: when the retention period has ended the handler deletes it (anonymised
 * information, art. 73 item 4, is no longer personal information). The period is the setting
 * `retention_years` (default 30, local archives practice — docs/security-data.md). A case
 * under a legal hold (cases.legal_hold: a lawsuit, a review, an authority's request to keep
 * it) is skipped. What stays is the case as a record of the centre's work (the 卷宗: 人民调解法
 * art. 27 调解工作档案, 档案法 art. 14 materials archived by the unit): its number, category,
 * region, dates, state, outcome, amounts and counts, and the timeline; the parties become
 * 当事人甲, 当事人乙, …. The free text that may name them — facts, claims, session records,
 * event notes and agreement terms, the control plan, supervision orders — is kept with the
 * parties' names replaced by their labels and every ID-number and phone-number pattern by
 * [已删除]; attachment files are deleted (the row stays: kind, size, hash, deleted_at).
 * Statistics counters are not touched: the figures of past years do not change.
 */
#include "case/case.h"

#include "core/timefmt.h"
#include "store/retention.h"
#include "text/text.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What replaces an ID number or a phone number found in free text (stored data). */
#define MASKED "[已删除]"

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

/* The names to replace in one case's free text: the parties' names by their labels, their
 * agents' text by 代理人. Longest first, so a name inside a longer one is not cut. */
struct mask_ctx {
    int n;
    const char *from[2 * 64];
    char to[2 * 64][32];
};

static void mask_add(struct mask_ctx *m, const char *from, const char *to)
{
    /* A one-character name would mask ordinary words; such a name is left (documented). */
    if (!from || strlen(from) < 4 || m->n >= (int)(sizeof m->from / sizeof m->from[0]))
        return;
    int i = m->n++;
    while (i > 0 && strlen(m->from[i - 1]) < strlen(from)) {
        m->from[i] = m->from[i - 1];
        memcpy(m->to[i], m->to[i - 1], sizeof m->to[i]);
        i--;
    }
    m->from[i] = from;
    snprintf(m->to[i], sizeof m->to[i], "%s", to);
}

/* A run of ASCII digits starting at p, and a trailing X of an ID number: its end, and its
 * digits (up to 24) in d. A single space or hyphen may follow a group of 3 or 4 digits, as
 * phone numbers are written (138 0000 0000, 0816-2210001), at most twice; a date's 2-digit
 * groups (2026-12-06) end the run. */
static const char *number_run(const char *p, char d[25], size_t *nd)
{
    const char *end = p;
    int group = 0, seps = 0;

    *nd = 0;
    while (*end >= '0' && *end <= '9') {
        if (*nd < 24)
            d[(*nd)++] = *end;
        end++;
        group++;
        if ((*end == ' ' || *end == '-') && end[1] >= '0' && end[1] <= '9' &&
            (group == 3 || group == 4) && seps < 2) {
            end++;
            seps++;
            group = 0;
        }
    }
    if (*nd == 17 && (*end == 'X' || *end == 'x'))
        d[(*nd)++] = 'X', end++;
    d[*nd] = '\0';
    return end;
}

/* An 18- or 15-character resident ID number, a mobile (1[3-9] and 9 digits) or a landline
 * with its area code (0 then 9 to 11 digits): the shapes seal_norm_* accept. */
static int personal_number(const char *d, size_t nd)
{
    if (nd == 18 || nd == 15)
        return 1;
    if (nd == 11 && d[0] == '1' && d[1] >= '3')
        return 1;
    return nd >= 10 && nd <= 12 && d[0] == '0';
}

/* Appends n bytes to the growing buffer; -1 out of memory. */
static int put(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t want = (*len + n + 1) * 2;
        char *p = realloc(*buf, want);
        if (!p)
            return -1;
        *buf = p;
        *cap = want;
    }
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = '\0';
    return 0;
}

/* One text: names replaced by labels, personal numbers by MASKED. malloc'd, or NULL. */
static char *mask_text(const struct mask_ctx *m, const char *in)
{
    size_t len = 0, cap = strlen(in) + 1;
    char *out = malloc(cap), d[25];
    const char *p = in;
    int bad = !out;

    if (out)
        out[0] = '\0';
    while (!bad && *p) {
        int k = 0;
        for (; k < m->n; k++)
            if (strncmp(p, m->from[k], strlen(m->from[k])) == 0)
                break;
        if (k < m->n) {
            bad = put(&out, &len, &cap, m->to[k], strlen(m->to[k]));
            p += strlen(m->from[k]);
        } else if (*p >= '0' && *p <= '9' && (p == in || !(p[-1] >= '0' && p[-1] <= '9'))) {
            size_t nd;
            const char *end = number_run(p, d, &nd);
            int whole = !(*end >= '0' && *end <= '9');
            if (whole && personal_number(d, nd))
                bad = put(&out, &len, &cap, MASKED, strlen(MASKED));
            else
                bad = put(&out, &len, &cap, p, (size_t)(end - p));
            p = end;
        } else {
            bad = put(&out, &len, &cap, p, 1);
            p++;
        }
    }
    if (bad) {
        free(out);
        return NULL;
    }
    return out;
}

/* Every string inside a JSON value masked in place; *changed set when one changes. */
static int mask_json(const struct mask_ctx *m, json_t *v, int *changed)
{
    const char *key;
    json_t *x;
    size_t i;

    if (json_is_string(v)) {
        char *t = mask_text(m, json_string_value(v));
        if (!t)
            return -1;
        if (strcmp(t, json_string_value(v)) != 0) {
            *changed = 1;
            json_string_set(v, t);
        }
        free(t);
    } else if (json_is_object(v)) {
        json_object_foreach(v, key, x) if (mask_json(m, x, changed) != 0) return -1;
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, x) if (mask_json(m, x, changed) != 0) return -1;
    }
    return 0;
}

/* store_retention_mask_fn: a text, or an event's JSON data (re-encoded only if it changed). */
static char *mask_cb(void *ctx, const char *in, int json)
{
    const struct mask_ctx *m = ctx;
    json_t *doc;
    char *out;
    int changed = 0;

    if (!json)
        return mask_text(m, in);
    doc = json_loads(in, 0, NULL);
    if (!doc)
        return mask_text(m, in); /* not JSON after all: masked as text */
    if (mask_json(m, doc, &changed) != 0)
        out = NULL;
    else
        out = changed ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER) : strdup(in);
    json_decref(doc);
    return out;
}

/* Removes attachment files no longer referenced (content-addressed: <dir>/<2 hex>/<sha256>).
 * A file already gone is fine (a rerun after a crash between unlink and commit). */
static store_err remove_files(const struct case_env *env, const char *dir, char **files)
{
    char path[4096];

    for (int i = 0; files && files[i]; i++) {
        snprintf(path, sizeof path, "%s/%.2s/%s", dir, files[i], files[i]);
        if (unlink(path) != 0 && errno != ENOENT) {
            store_conn_seterr(env->conn, "cannot delete an attachment file");
            return STORE_ERROR;
        }
    }
    return STORE_OK;
}

static void files_free(char **files)
{
    for (int i = 0; files && files[i]; i++)
        free(files[i]);
    free(files);
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
static char *terms_after(const struct case_env *env, const struct mask_ctx *m,
                         const struct store_rows *r, int i, int n)
{
    size_t len = 1;
    char *joined, *norm, *terms = NULL, *col[3] = {NULL, NULL, NULL};

    if (!env->text)
        return NULL;
    /* From the masked texts, so the old names and numbers find nothing. */
    for (int k = 2; k <= 4; k++) {
        col[k - 2] = store_rows_get(r, i, k) ? mask_text(m, store_rows_get(r, i, k)) : NULL;
        len += (col[k - 2] ? strlen(col[k - 2]) : 0) + 1;
    }
    len += (size_t)n * 32;
    joined = calloc(len, 1);
    for (int k = 0; joined && k < 3; k++)
        if (col[k]) {
            strcat(joined, col[k]);
            strcat(joined, " ");
        }
    for (int k = 0; k < 3; k++)
        free(col[k]);
    if (!joined)
        return NULL;
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

/* The names to mask in case `id`'s text, from its parties before they are renamed. */
static store_err mask_names(const struct case_env *env, int64_t id, struct mask_ctx *m,
                            struct store_rows **parties)
{
    store_err e = store_retention_parties(env->conn, id, parties);

    m->n = 0;
    for (int p = 0; e == STORE_OK && p < (*parties)->nrows; p++) {
        mask_add(m, store_rows_get(*parties, p, 0), party_label(p));
        mask_add(m, store_rows_get(*parties, p, 1), "代理人");
    }
    return e;
}

/*
 * One case, in its own transaction: free text masked, attachments marked deleted and their
 * files removed, parties renamed, search terms, timeline event and audit row. The files go
 * last, just before the commit: a failed commit leaves a case whose files are gone but that
 * a rerun anonymises (it is due anyway). A dry run does the same writes and rolls them back
 * (no file is touched), so it reports exactly what would change.
 */
static store_err anonymise_one(const struct case_env *env, const struct store_rows *r, int i,
                               int years, const char *files_dir, int dry_run,
                               struct case_retention *res, FILE *list)
{
    int64_t id = store_rows_int(r, i, 0);
    struct store_rows *parties = NULL;
    struct store_retention_scrub sc = {0};
    struct mask_ctx *m = calloc(1, sizeof *m);
    char data[256], *terms = NULL, **files = NULL;
    int n = 0;
    store_err e = m ? store_begin(env->conn, 1) : STORE_ERROR;

    if (e == STORE_OK)
        e = mask_names(env, id, m, &parties);
    if (e == STORE_OK)
        e = store_retention_scrub(env->conn, id, mask_cb, m, &sc, &files);
    if (e == STORE_OK)
        terms = terms_after(env, m, r, i, parties->nrows);
    if (e == STORE_OK)
        e = store_retention_anonymise(env->conn, id, store_rows_get(r, i, 1), terms, party_label,
                                      &n);
    snprintf(data, sizeof data,
             "{\"retention_years\":%d,\"parties\":%d,\"texts\":%lld,\"attachments\":%lld}", years,
             n, (long long)sc.texts, (long long)sc.attachments);
    /* The timeline says what happened to the case; the audit row (same action) who did it. */
    if (e == STORE_OK)
        e = store_case_note(env->conn, env->actor, id, "anonymise", data, 0);
    if (e == STORE_OK && list)
        fprintf(list, "%s parties=%d texts=%lld attachments=%lld bytes=%lld\n",
                store_rows_get(r, i, 1), n, (long long)sc.texts, (long long)sc.attachments,
                (long long)sc.bytes);
    if (e == STORE_OK && dry_run)
        store_rollback(env->conn);
    else {
        if (e == STORE_OK)
            e = remove_files(env, files_dir, files);
        e = store_end(env->conn, e);
    }
    if (e == STORE_OK) {
        res->parties += n;
        res->texts += sc.texts;
        res->attachments += sc.attachments;
        res->bytes += sc.bytes;
    }
    files_free(files);
    free(terms);
    free(m);
    store_rows_free(parties);
    return e;
}

case_err case_retention_run(const struct case_env *env, int years, const char *files_dir,
                            int dry_run, FILE *list, struct case_retention *res,
                            struct case_out *out)
{
    int64_t cut = cutoff_ms(env, years, res->cutoff), after = 0;
    store_err e = store_retention_held(env->conn, cut, &res->held);

    res->due = res->parties = res->texts = res->attachments = res->bytes = 0;
    while (e == STORE_OK) {
        struct store_rows *r = NULL;
        e = store_retention_due(env->conn, cut, after, &r);
        if (e != STORE_OK || r->nrows == 0) {
            store_rows_free(r);
            break;
        }
        for (int i = 0; e == STORE_OK && i < r->nrows; i++) {
            after = store_rows_int(r, i, 0);
            e = anonymise_one(env, r, i, years, files_dir, dry_run, res, list);
            res->due += e == STORE_OK;
        }
        store_rows_free(r);
    }
    out->store = e;
    return e == STORE_OK ? CASE_OK : CASE_STORE;
}
