/*
 * attachments.c - evidence, photos, recordings and signed scans of a case (附件).
 *
 * Files arrive as raw request bodies, are checked against their declared type by their
 * first bytes, and are stored once by content: the SHA-256 of the bytes names the file
 * (DIR/ab/abcdef...), so the same scan uploaded twice is kept once and a stored file can
 * be verified against its name. Writes go to a temporary file that is synced and then
 * renamed, so a crash never leaves half a file under a real name.
 */
#include "api/api.h"
#include "core/filename.h"
#include "case/case.h"
#include "store/cases.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
    const char *type;
    size_t offset;
    const char *magic;
    size_t len;
} accepted[] = {
    {"image/jpeg", 0, "\xff\xd8\xff", 3}, {"image/png", 0, "\x89PNG", 4},
    {"application/pdf", 0, "%PDF", 4},    {"audio/mpeg", 0, "ID3", 3},
    {"audio/mpeg", 0, "\xff\xfb", 2},     {"audio/mp4", 4, "ftyp", 4},
    {"video/mp4", 4, "ftyp", 4},          {"audio/wav", 8, "WAVE", 4},
    {"audio/amr", 0, "#!AMR", 5},
};

static const char *const kinds[] = {"evidence", "photo", "audio", "video", "scan", "other", NULL};

/* Does the body start like the declared type? */
static int looks_like(const char *type, const char *body, size_t len)
{
    int known = 0;

    for (size_t i = 0; i < sizeof accepted / sizeof accepted[0]; i++) {
        if (strcmp(accepted[i].type, type) != 0)
            continue;
        known = 1;
        if (len >= accepted[i].offset + accepted[i].len &&
            memcmp(body + accepted[i].offset, accepted[i].magic, accepted[i].len) == 0)
            return 1;
    }
    return known ? 0 : -1;
}

/* Stores the bytes under their digest. Returns 0, or -1 with errno set. */
static int store_file(const char *dir, const char *hex, const char *body, size_t len)
{
    char sub[4096], path[4200], tmp[4200];
    int fd;
    size_t done = 0;

    if (strlen(dir) > 4000)
        return errno = ENAMETOOLONG, -1;
    snprintf(sub, sizeof sub, "%s/%.2s", dir, hex);
    snprintf(path, sizeof path, "%s/%s", sub, hex);
    if (access(path, F_OK) == 0)
        return 0; /* the same content is stored already */
    if ((mkdir(dir, 0700) != 0 && errno != EEXIST) || (mkdir(sub, 0700) != 0 && errno != EEXIST))
        return -1;
    snprintf(tmp, sizeof tmp, "%s/.tmp-%s-%u", sub, hex, randombytes_random());
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    while (done < len) {
        ssize_t w = write(fd, body + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            close(fd);
            unlink(tmp);
            return -1;
        }
        done += (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* The case must be in scope; archived cases are frozen (一案一卷). */
static int case_in_scope(struct http_req *req, struct http_res *res, int64_t id, int writing)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *row = NULL;
    store_err e = store_case_get(ctx->conn, &ctx->actor, id, &row);
    int ok = e == STORE_OK;

    if (!ok)
        api_store_error(res, ctx->conn, e);
    else if (writing &&
             strcmp(store_rows_get(row, 0, store_rows_col(row, "state")), "archived") == 0) {
        http_problem(res, 409, "conflict", "Conflict", "the case is archived: its file is frozen",
                     NULL);
        ok = 0;
    }
    store_rows_free(row);
    return ok;
}

/* The name of a file whose given name had nothing safe left in it ("../..", "\u202e"). */
static const char *fallback_name(const char *type)
{
    static const char *const names[][2] = {
        {"image/jpeg", "attachment.jpg"},      {"image/png", "attachment.png"},
        {"application/pdf", "attachment.pdf"}, {"audio/mpeg", "attachment.mp3"},
        {"video/mp4", "attachment.mp4"},       {"audio/mp4", "attachment.m4a"},
        {"audio/wav", "attachment.wav"},       {"audio/amr", "attachment.amr"},
    };

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(type, names[i][0]) == 0)
            return names[i][1];
    return "attachment";
}

void api_attachments_upload(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_attachment_in in = {0};
    const char *ct = http_header(req, "Content-Type"), *name = http_query(req, "name");
    const char *kind = http_query(req, "kind");
    unsigned char digest[crypto_hash_sha256_BYTES];
    char hex[2 * crypto_hash_sha256_BYTES + 1], type[64], safe[FILENAME_BUF];
    int64_t id = 0, aid = api_path_id(req, res, 0);
    store_err e;
    int match;

    if (!aid)
        return;
    snprintf(type, sizeof type, "%.*s", (int)(ct ? strcspn(ct, "; ") : 0), ct ? ct : "");
    match = looks_like(type, req->body ? req->body : "", req->body_len);
    if (match < 0) {
        http_problem(res, 415, "unsupported-media-type", "Unsupported Media Type",
                     "send JPEG, PNG, PDF, MP3, MP4, M4A, WAV or AMR", NULL);
        return;
    }
    if (!name || !*name)
        verr_add(&errs, "name", "required", "give the file's name (?name=)");
    kind = kind && *kind ? kind : "evidence";
    {
        int known = 0;
        for (const char *const *k = kinds; *k; k++)
            known |= strcmp(*k, kind) == 0;
        if (!known)
            verr_add(&errs, "kind", "invalid",
                     "must be evidence, photo, audio, video, scan or other");
    }
    if (req->body_len == 0)
        verr_add(&errs, "body", "required", "the file is empty");
    else if (!match)
        verr_add(&errs, "body", "invalid", "the file's content is not %s", type);
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    if (!case_in_scope(req, res, aid, 1))
        return;
    crypto_hash_sha256(digest, (const unsigned char *)req->body, req->body_len);
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    if (store_file(ctx->app->files_dir, hex, req->body, req->body_len) != 0) {
        fprintf(stderr, "{\"msg\":\"cannot store attachment\",\"dir\":\"%s\",\"error\":\"%s\"}\n",
                ctx->app->files_dir, strerror(errno));
        http_problem(res, 503, "unavailable", "Service Unavailable",
                     "the file store cannot be written", NULL);
        return;
    }
    /* The name as the uploader gave it may climb out of the dossier zip or disguise itself
     * (issue 13, defect 3): only its safe form is kept. */
    filename_safe(name, fallback_name(type), safe);
    in.sha256 = hex;
    in.name = safe;
    in.kind = kind;
    in.content_type = type;
    in.size = (int64_t)req->body_len;
    {
        struct case_env env;
        struct case_out out = {0};
        int ok;
        api_case_env(req, &env);
        ok = api_case_done(req, res, case_attach(&env, aid, &in, &id, &out), &out);
        case_out_free(&out);
        if (!ok)
            return;
    }
    {
        struct store_rows *row = NULL;
        e = store_attachment_get(ctx->conn, aid, id, &row);
        api_reply_row(res, ctx->conn, e, row, 201);
    }
}

void api_attachments_list(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *rows = NULL;
    int64_t id = api_path_id(req, res, 0);
    store_err e;

    if (!id || !case_in_scope(req, res, id, 0))
        return;
    e = store_attachment_list(ctx->conn, id, &rows);
    api_reply_items(res, ctx->conn, e, rows);
}

void api_attachments_download(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *row = NULL;
    int64_t id = api_path_id(req, res, 0), aid = id ? api_path_id(req, res, 1) : 0;
    char path[4096], disposition[512], enc[400];
    const char *name, *sha;
    struct stat st;
    store_err e;
    size_t k = 0;
    int fd;

    if (!aid || !case_in_scope(req, res, id, 0))
        return;
    e = store_attachment_get(ctx->conn, id, aid, &row);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        return;
    }
    if (store_rows_get(row, 0, 9)) {
        /* 个人信息保护法 art. 47: the file was deleted when the retention period ended. */
        http_problem(res, 404, "not-found", "Not Found",
                     "the file was deleted when the retention period ended", NULL);
        goto out;
    }
    sha = store_rows_get(row, 0, 2);
    snprintf(path, sizeof path, "%s/%.2s/%s", ctx->app->files_dir, sha, sha);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0)
            close(fd);
        http_problem(res, 500, "internal", "Internal Server Error", "the stored file is missing",
                     NULL);
        goto out;
    }
    /* RFC 6266: the name in UTF-8, percent-encoded. */
    name = store_rows_get(row, 0, 3);
    for (const unsigned char *p = (const unsigned char *)name; *p && k + 4 < sizeof enc; p++)
        k += (size_t)snprintf(enc + k, sizeof enc - k,
                              (*p < 0x80 && (isalnum(*p) || strchr(".-_", *p))) ? "%c" : "%%%02X",
                              *p);
    snprintf(disposition, sizeof disposition, "attachment; filename*=UTF-8''%s", enc);
    res->status = 200;
    res->fd = fd;
    res->fd_size = (uint64_t)st.st_size;
    res->content_type = store_rows_get(row, 0, 5);
    /* The type string lives in the row; keep a copy the response can point to. */
    {
        static const char *const types[] = {"image/jpeg", "image/png", "application/pdf",
                                            "audio/mpeg", "audio/mp4", "video/mp4",
                                            "audio/wav",  "audio/amr", NULL};
        res->content_type = "application/octet-stream";
        for (const char *const *t = types; *t; t++)
            if (strcmp(*t, store_rows_get(row, 0, 5)) == 0)
                res->content_type = *t;
    }
    http_res_header(res, "Content-Disposition", disposition);
    http_res_header(res, "Cache-Control", "private, no-store");
out:
    store_rows_free(row);
}
