/*
 * dossier.c - one file per case (一案一卷): a closed or archived case exported as a zip
 * bundle in the order of the standard mediation dossier: index, registration form, notice
 * of rights and duties, one-time notice, evidence, mediation records, agreement (or the
 * notice that mediation ended), performance receipts, return-visit record,
 * judicial-confirmation papers, and the case as JSON (facts, parties, timeline) for other systems.
 * Exporting it is an audited read.
 */
#include "api/api.h"
#include "core/filename.h"
#include "store/cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

/* Adds a malloc'd buffer to the zip (the zip frees it). */
static int add_buffer(zip_t *z, const char *name, char *buf, size_t len)
{
    zip_source_t *src = zip_source_buffer(z, buf, len, 1);

    if (!src) {
        free(buf);
        return -1;
    }
    if (zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8) < 0) {
        zip_source_free(src);
        return -1;
    }
    return 0;
}

static int add_document(struct http_req *req, struct http_res *res, zip_t *z, int64_t id,
                        const char *kind, const char *prefix, json_t *index)
{
    char name[256], *html = api_document_render(req, res, id, kind);

    if (!html)
        return -1;
    snprintf(name, sizeof name, "%s-%s.html", prefix, api_document_title(kind));
    json_array_append_new(index, json_string(name));
    return add_buffer(z, name, html, strlen(html));
}

/* The outcome paper of the file: the agreement, or, when mediation last ended in failure,
 * the notice that it ended (调解终结告知书). */
static const char *outcome_document(const struct store_rows *ev)
{
    for (int r = ev->nrows - 1; r >= 0; r--) {
        const char *action = store_rows_get(ev, r, 4);
        if (strcmp(action, "agree") == 0)
            break;
        if (strcmp(action, "fail") == 0)
            return "mediation_ended";
    }
    return "agreement";
}

void api_cases_dossier(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *row = NULL, *att = NULL, *ev = NULL;
    int64_t id = api_path_id(req, res, 0);
    char tmp[] = "/tmp/jiefen-dossier-XXXXXX", disposition[256], *data = NULL;
    const char *state;
    json_t *index = json_array(), *kase = NULL;
    zip_t *z = NULL;
    int fd = -1, n = 0;
    long size;
    FILE *f = NULL;
    store_err e;

    if (!id)
        goto out;
    e = store_case_get(ctx->conn, &ctx->actor, id, &row);
    if (e == STORE_OK)
        e = store_attachment_list(ctx->conn, id, &att);
    if (e == STORE_OK)
        e = store_case_events(ctx->conn, id, 0, &ev);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    state = store_rows_get(row, 0, store_rows_col(row, "state"));
    if (strcmp(state, "closed") != 0 && strcmp(state, "archived") != 0) {
        http_problem(res, 409, "conflict", "Conflict",
                     "a dossier is exported once the case is closed", NULL);
        goto out;
    }
    fd = mkstemp(tmp);
    if (fd < 0)
        goto fail;
    close(fd);
    z = zip_open(tmp, ZIP_TRUNCATE, NULL);
    if (!z)
        goto fail;
    if (add_document(req, res, z, id, "registration", "01", index) ||
        add_document(req, res, z, id, "rights_notice", "02", index) ||
        add_document(req, res, z, id, "one_time_notice", "03", index))
        goto out;
    /* Evidence and recordings, then scans (receipts, signed papers), by upload order. */
    for (int pass = 0; pass < 2; pass++) {
        for (int r = 0; r < att->nrows; r++) {
            const char *kind = store_rows_get(att, r, 4), *sha = store_rows_get(att, r, 2);
            char name[512], path[4096], safe[FILENAME_BUF];
            if ((strcmp(kind, "scan") == 0) != (pass == 1) || store_rows_get(att, r, 9))
                continue; /* not this pass, or deleted by retention (its file is gone) */
            /* Names stored before uploads were sanitised may still hold "../": made safe
             * again here, so no entry of the zip points outside it. */
            filename_safe(store_rows_get(att, r, 3), "attachment", safe);
            snprintf(name, sizeof name, "%s/%02d-%s",
                     pass ? "07-履行凭证及签字材料" : "04-证据材料", ++n, safe);
            snprintf(path, sizeof path, "%s/%.2s/%s", ctx->app->files_dir, sha, sha);
            zip_source_t *src = zip_source_file(z, path, 0, -1);
            if (!src || zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8) < 0) {
                zip_source_free(src);
                goto fail;
            }
            json_array_append_new(index, json_string(name));
        }
        if (pass == 0 && (add_document(req, res, z, id, "session_record", "05", index) ||
                          add_document(req, res, z, id, outcome_document(ev), "06", index)))
            goto out;
    }
    if (add_document(req, res, z, id, "return_visit", "08", index) ||
        add_document(req, res, z, id, "confirmation_application", "09", index))
        goto out;
    /* The case itself, for other systems: facts, state, routing and the whole timeline. */
    kase = api_row(row, 0);
    {
        json_object_set_new(kase, "timeline", api_rows(ev));
        char *json = json_dumps(kase, JSON_INDENT(2));
        /* add_buffer owns json from here, freed even when it fails: never `data`, which
         * the out: path frees (a double free when the zip refused the buffer). */
        if (!json || add_buffer(z, "10-案件数据.json", json, strlen(json)))
            goto fail;
        json_array_append_new(index, json_string("10-案件数据.json"));
    }
    {
        /* 卷宗目录: what the bundle holds, in order. */
        size_t len = 0, cap = 4096;
        char *text = malloc(cap);
        size_t i;
        json_t *item;
        if (!text)
            goto fail;
        len += (size_t)snprintf(text, cap, "卷宗目录 %s\r\n\r\n",
                                store_rows_get(row, 0, store_rows_col(row, "number")));
        json_array_foreach(index, i, item)
        {
            const char *s = json_string_value(item);
            if (len + strlen(s) + 16 > cap) {
                char *bigger = realloc(text, cap * 2 + strlen(s));
                if (!bigger) {
                    free(text);
                    goto fail;
                }
                text = bigger;
                cap = cap * 2 + strlen(s);
            }
            len += (size_t)snprintf(text + len, cap - len, "%zu. %s\r\n", i + 1, s);
        }
        if (add_buffer(z, "00-卷宗目录.txt", text, len))
            goto fail;
    }
    /* The analyzer reports text as leaked here: add_buffer gave it to the zip source. */
    // NOLINTNEXTLINE(clang-analyzer-unix.Malloc)
    if (zip_close(z) != 0) {
        zip_discard(z);
        z = NULL;
        goto fail;
    }
    z = NULL;
    f = fopen(tmp, "rb");
    if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
        !(data = malloc((size_t)size + 1)) || fread(data, 1, (size_t)size, f) != (size_t)size)
        goto fail;
    snprintf(disposition, sizeof disposition, "attachment; filename=\"dossier-%lld.zip\"",
             (long long)id);
    http_res_bytes(res, 200, "application/zip", data, (size_t)size);
    data = NULL;
    http_res_header(res, "Content-Disposition", disposition);
    goto out;
fail:
    http_problem(res, 500, "internal", "Internal Server Error", "the dossier cannot be built",
                 NULL);
out:
    if (z)
        zip_discard(z);
    if (f)
        fclose(f);
    if (tmp[strlen(tmp) - 1] != 'X')
        unlink(tmp);
    free(data);
    json_decref(kase);
    json_decref(index);
    store_rows_free(row);
    store_rows_free(att);
    store_rows_free(ev);
}
