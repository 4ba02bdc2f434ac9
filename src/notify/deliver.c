/*
 * deliver.c - the outbox's delivery: claim due rows under a lease, deliver each (webhook,
 * SMS gateway, e-mail) with libcurl, record the outcome (docs/notifications.md).
 *
 * At least once, never lost: a row stays pending until a receiver accepted it. Two servers
 * on one database never hold the same row: PostgreSQL claims with FOR UPDATE SKIP LOCKED,
 * SQLite in a write transaction (one writer at a time). A claim moves next_at to the
 * lease's end, so a row whose holder died (SIGKILL, power) is due again when the lease
 * expires, found by the same index as any due row.
 */
#include "notify/notify.h"
#include "seal/seal.h"
#include "store/settings.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CLAIM_BATCH 20
#define BACKOFF_MAX (86400LL * 1000)

/* ---- one delivery ---- */

struct buf {
    const char *p;
    size_t left;
};

static size_t read_buf(char *dst, size_t size, size_t n, void *arg)
{
    struct buf *b = arg;
    size_t k = size * n < b->left ? size * n : b->left;

    memcpy(dst, b->p, k);
    b->p += k;
    b->left -= k;
    return k;
}

static size_t discard(char *p, size_t size, size_t n, void *arg)
{
    (void)p;
    (void)arg;
    return size * n;
}

/* X-Jiefen-Signature: sha256=hex(HMAC-SHA256(secret, timestamp "." body)). */
static void sign(const char *secret, const char *ts, const char *body, char *out, size_t outlen)
{
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char hex[2 * sizeof mac + 1];

    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, strlen(ts));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    snprintf(out, outlen, "X-Jiefen-Signature: sha256=%s", hex);
}

/* POSTs body as JSON, signed when there is a secret. 0 on a 2xx answer, else -1 and why. */
static int post_json(const char *url, const char *secret, const char *event_id, const char *body,
                     long timeout_s, char *why, size_t whylen)
{
    CURL *h = curl_easy_init();
    struct curl_slist *hdrs = NULL;
    char line[256], ts[24];
    long status = 0;
    CURLcode rc;
    int ok = -1;

    if (!h) {
        snprintf(why, whylen, "cannot start libcurl");
        return -1;
    }
    snprintf(ts, sizeof ts, "%lld", (long long)time(NULL));
    hdrs = curl_slist_append(hdrs, "Content-Type: application/json; charset=utf-8");
    snprintf(line, sizeof line, "X-Jiefen-Event: %s", event_id);
    hdrs = curl_slist_append(hdrs, line);
    snprintf(line, sizeof line, "X-Jiefen-Timestamp: %s", ts);
    hdrs = curl_slist_append(hdrs, line);
    if (secret && *secret) {
        sign(secret, ts, body, line, sizeof line);
        hdrs = curl_slist_append(hdrs, line);
    }
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout_s);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    rc = curl_easy_perform(h);
    if (rc != CURLE_OK)
        snprintf(why, whylen, "%s", curl_easy_strerror(rc));
    else if (curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK && status >= 200 &&
             status < 300)
        ok = 0;
    else
        snprintf(why, whylen, "HTTP %ld", status);
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(h);
    return ok;
}

/* RFC 2047 encoded-word: a UTF-8 subject in 7-bit mail headers. */
static char *b64(const char *s)
{
    size_t n = strlen(s), cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    char *out = malloc(cap);

    if (out)
        sodium_bin2base64(out, cap, (const unsigned char *)s, n, sodium_base64_VARIANT_ORIGINAL);
    return out;
}

/* The message: headers, then the body in base64 (UTF-8 Chinese survives any relay). */
static char *mail_text(const char *from, const char *to, const char *event_id, const char *title,
                       const char *body)
{
    char date[64], *subject = b64(title), *text = b64(body), *msg = NULL;
    time_t now = time(NULL);
    struct tm tm;
    size_t cap;

    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    if (subject && text) {
        cap = strlen(subject) + strlen(text) + strlen(from) + strlen(to) + 512;
        msg = malloc(cap);
        if (msg)
            snprintf(msg, cap,
                     "Date: %s\r\nFrom: <%s>\r\nTo: <%s>\r\nMessage-ID: <%s@jiefen>\r\n"
                     "Subject: =?UTF-8?B?%s?=\r\nX-Jiefen-Event: %s\r\nMIME-Version: 1.0\r\n"
                     "Content-Type: text/plain; charset=UTF-8\r\n"
                     "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n",
                     date, from, to, event_id, subject, event_id, text);
    }
    free(subject);
    free(text);
    return msg;
}

static int send_mail(struct store_conn *c, const char *to, const char *event_id, json_t *ev,
                     long timeout_s, char *why, size_t whylen)
{
    char url[512], from[256];
    const char *title = json_string_value(json_object_get(ev, "title"));
    const char *body = json_string_value(json_object_get(ev, "body"));
    struct curl_slist *rcpt = NULL;
    struct buf b;
    char *msg;
    CURL *h;
    CURLcode rc;

    store_setting(c, "smtp_url", url, sizeof url);
    store_setting(c, "smtp_from", from, sizeof from);
    if (!*url) {
        snprintf(why, whylen, "no mail server: set smtp_url");
        return -1;
    }
    msg = mail_text(from, to, event_id, title ? title : "", body ? body : (title ? title : ""));
    h = curl_easy_init();
    if (!msg || !h) {
        free(msg);
        curl_easy_cleanup(h);
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    b.p = msg;
    b.left = strlen(msg);
    rcpt = curl_slist_append(rcpt, to);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_buf);
    curl_easy_setopt(h, CURLOPT_READDATA, &b);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout_s);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    rc = curl_easy_perform(h);
    if (rc != CURLE_OK)
        snprintf(why, whylen, "%s", curl_easy_strerror(rc));
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(h);
    free(msg);
    return rc == CURLE_OK ? 0 : -1;
}

/* An SMS gateway's body {phone, text}: the endpoint's template with {title}, {body},
 * {kind}, {case_id} replaced. */
static char *sms_body(const char *tpl, const char *phone, json_t *ev)
{
    static const char *const keys[] = {"title", "body", "kind", "case_id"};
    char text[1024], val[512];
    size_t n = 0;
    json_t *o;
    char *out;

    tpl = tpl && *tpl ? tpl : "{title}";
    while (*tpl && n + 1 < sizeof text) {
        size_t k = 0, i;
        for (i = 0; i < 4 && *tpl == '{'; i++) {
            k = strlen(keys[i]);
            if (strncmp(tpl + 1, keys[i], k) == 0 && tpl[k + 1] == '}')
                break;
        }
        if (*tpl != '{' || i == 4) {
            text[n++] = *tpl++;
            continue;
        }
        json_t *v = json_object_get(ev, keys[i]);
        if (json_is_integer(v))
            snprintf(val, sizeof val, "%lld", (long long)json_integer_value(v));
        else
            snprintf(val, sizeof val, "%s", json_is_string(v) ? json_string_value(v) : "");
        n += (size_t)snprintf(text + n, sizeof text - n, "%s", val);
        if (n >= sizeof text)
            n = sizeof text - 1;
        tpl += k + 2;
    }
    text[n] = '\0';
    o = json_pack("{s:s, s:s}", "phone", phone, "text", text);
    out = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return out;
}

/* The endpoint's gateway/hook, secret (opened) and template. */
struct endpoint {
    char url[1024];
    char *secret;
    char tpl[512];
};

static store_err endpoint_load(struct store_conn *c, const struct seal *seal, int64_t id,
                               struct endpoint *ep)
{
    struct store_rows *r = NULL;
    const char *sealed;
    store_err e =
        store_one(c, "SELECT url, secret, sms_template FROM notify_endpoints WHERE id = $1",
                  STORE_PARAMS(SP_INT(id)), "ttt", "endpoint", &r);

    if (e != STORE_OK)
        return e;
    snprintf(ep->url, sizeof ep->url, "%s", store_rows_get(r, 0, 0) ? store_rows_get(r, 0, 0) : "");
    snprintf(ep->tpl, sizeof ep->tpl, "%s", store_rows_get(r, 0, 2) ? store_rows_get(r, 0, 2) : "");
    sealed = store_rows_get(r, 0, 1);
    if (sealed && *sealed && (!seal || seal_decrypt(seal, sealed, &ep->secret) != 0)) {
        store_conn_seterr(c, "the endpoint's secret cannot be opened with this key");
        e = STORE_ERROR;
    }
    store_rows_free(r);
    return e;
}

/* One claimed row: 0 delivered, -1 not (why says what). */
static int deliver_one(struct store_conn *c, const struct seal *seal, const struct store_rows *r,
                       int i, long timeout_s, char *why, size_t whylen)
{
    const char *event_id = store_rows_get(r, i, 1), *channel = store_rows_get(r, i, 3);
    const char *target = store_rows_get(r, i, 5), *payload = store_rows_get(r, i, 6);
    struct endpoint ep = {{0}, NULL, {0}};
    json_t *ev = json_loads(payload, 0, NULL);
    char *body = NULL;
    int rc = -1;

    if (!ev) {
        snprintf(why, whylen, "payload is not JSON");
        return -1;
    }
    if (strcmp(channel, "email") == 0) {
        rc = send_mail(c, target, event_id, ev, timeout_s, why, whylen);
    } else if (endpoint_load(c, seal, store_rows_int(r, i, 4), &ep) != STORE_OK) {
        snprintf(why, whylen, "%s", store_conn_error(c));
    } else if (strcmp(channel, "sms") == 0) {
        body = sms_body(ep.tpl, target, ev);
        rc = body ? post_json(ep.url, ep.secret, event_id, body, timeout_s, why, whylen) : -1;
    } else {
        rc = post_json(target, ep.secret, event_id, payload, timeout_s, why, whylen);
    }
    if (ep.secret) {
        sodium_memzero(ep.secret, strlen(ep.secret));
        free(ep.secret);
    }
    free(body);
    json_decref(ev);
    return rc;
}

/* ---- the outbox ---- */

/* Claims up to CLAIM_BATCH due rows: id, event_id, kind, channel, endpoint_id, target,
 * payload, attempts. */
static store_err claim(struct store_conn *c, const char *owner, int64_t now, int64_t lease_ms,
                       struct store_rows **out)
{
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = store_exec(
        c,
        store_dialect(c,
                      "UPDATE outbox SET lease_owner = $1, lease_until = $2,"
                      " next_at = $2 WHERE id IN (SELECT id FROM outbox"
                      " WHERE state = 'pending' AND next_at <= $3"
                      " ORDER BY next_at LIMIT $4)"
                      " RETURNING id, event_id, kind, channel, endpoint_id, target,"
                      " payload, attempts",
                      "UPDATE outbox SET lease_owner = $1, lease_until = $2,"
                      " next_at = $2 WHERE id IN (SELECT id FROM outbox"
                      " WHERE state = 'pending' AND next_at <= $3"
                      " ORDER BY next_at LIMIT $4 FOR UPDATE SKIP LOCKED)"
                      " RETURNING id, event_id, kind, channel, endpoint_id, target,"
                      " payload, attempts"),
        STORE_PARAMS(SP_TEXT(owner), SP_INT(now + lease_ms), SP_INT(now), SP_INT(CLAIM_BATCH)),
        out);
    return store_end(c, e);
}

/* Records the outcome, only while the lease is still ours. */
static store_err settle(struct store_conn *c, const char *owner, int64_t id, int attempts, int ok,
                        const char *why, int *dead)
{
    long base = store_setting_int(c, "notify_retry_base_seconds");
    long max = store_setting_int(c, "notify_max_attempts");
    int64_t now = store_now_ms(), wait = base * 1000;

    *dead = 0;
    if (ok)
        return store_exec(c,
                          "UPDATE outbox SET state = 'delivered', delivered_at = $3,"
                          " attempts = attempts + 1, lease_owner = NULL, lease_until = NULL,"
                          " last_error = NULL WHERE id = $1 AND lease_owner = $2",
                          STORE_PARAMS(SP_INT(id), SP_TEXT(owner), SP_INT(now)), NULL);
    for (int k = 1; k < attempts && wait < BACKOFF_MAX; k++)
        wait *= 2;
    if (wait > BACKOFF_MAX)
        wait = BACKOFF_MAX;
    *dead = attempts >= max;
    return store_exec(c,
                      "UPDATE outbox SET state = $3, attempts = $4, next_at = $5,"
                      " lease_owner = NULL, lease_until = NULL, last_error = $6"
                      " WHERE id = $1 AND lease_owner = $2",
                      STORE_PARAMS(SP_INT(id), SP_TEXT(owner), SP_TEXT(*dead ? "dead" : "pending"),
                                   SP_INT(attempts), SP_INT(now + wait), SP_TEXT(why)),
                      NULL);
}

store_err notify_deliver_pass(struct store_conn *c, const struct seal *seal, const char *owner,
                              struct notify_pass *pass)
{
    long lease_s = store_setting_int(c, "notify_lease_seconds");
    struct store_rows *r = NULL;
    store_err e;

    memset(pass, 0, sizeof *pass);
    if (lease_s < 4)
        lease_s = 4;
    e = claim(c, owner, store_now_ms(), lease_s * 1000, &r);
    if (e != STORE_OK)
        return e;
    pass->claimed = r->nrows;
    for (int i = 0; e == STORE_OK && i < r->nrows; i++) {
        char why[256] = "";
        /* The attempt ends well inside the lease, so no one else claims it meanwhile. */
        int ok = deliver_one(c, seal, r, i, lease_s / 2, why, sizeof why) == 0, dead = 0;
        e = settle(c, owner, store_rows_int(r, i, 0), (int)store_rows_int(r, i, 7) + 1, ok, why,
                   &dead);
        pass->delivered += ok;
        pass->failed += !ok;
        pass->dead += dead;
    }
    store_rows_free(r);
    return e;
}

void notify_owner(char *out, size_t outlen)
{
    char host[64] = "host";
    unsigned char raw[4];
    char tag[9];

    gethostname(host, sizeof host - 1);
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(tag, sizeof tag, raw, sizeof raw);
    snprintf(out, outlen, "%s:%ld:%s", host, (long)getpid(), tag);
}

/* ---- the thread of `jiefen serve` ---- */

struct notify_worker {
    struct store *st;
    const struct seal *seal;
    int interval_s;
    int stopping;
    char owner[128];
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
};

static void pass_log(struct notify_worker *w)
{
    struct notify_pass p;
    char err[256];
    struct store_conn *c = store_conn_get(w->st, err, sizeof err);

    if (!c) {
        fprintf(stderr, "{\"msg\":\"notify: no database\",\"error\":\"%s\"}\n", err);
        return;
    }
    /* A full batch may mean more are due: go on at once. */
    do {
        if (notify_deliver_pass(c, w->seal, w->owner, &p) != STORE_OK) {
            fprintf(stderr, "{\"msg\":\"notify pass failed\",\"error\":\"%s\"}\n",
                    store_conn_error(c));
            return;
        }
        if (p.claimed)
            fprintf(stderr,
                    "{\"msg\":\"notify pass\",\"delivered\":%d,\"failed\":%d,\"dead\":%d}\n",
                    p.delivered, p.failed, p.dead);
    } while (p.claimed == CLAIM_BATCH && !w->stopping);
}

static void *run(void *arg)
{
    struct notify_worker *w = arg;

    pthread_mutex_lock(&w->lock);
    while (!w->stopping) {
        struct timespec until;
        pthread_mutex_unlock(&w->lock);
        pass_log(w);
        pthread_mutex_lock(&w->lock);
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += w->interval_s;
        while (!w->stopping && pthread_cond_timedwait(&w->wake, &w->lock, &until) != ETIMEDOUT)
            ;
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

struct notify_worker *notify_start(struct store *st, const struct seal *seal, int interval_s,
                                   char *err, size_t errlen)
{
    struct notify_worker *w = calloc(1, sizeof *w);

    if (!w || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(err, errlen, "cannot start the notification worker");
        free(w);
        return NULL;
    }
    w->st = st;
    w->seal = seal;
    w->interval_s = interval_s > 0 ? interval_s : 1;
    notify_owner(w->owner, sizeof w->owner);
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    if (pthread_create(&w->thread, NULL, run, w) != 0) {
        snprintf(err, errlen, "cannot start the notification thread");
        pthread_mutex_destroy(&w->lock);
        pthread_cond_destroy(&w->wake);
        free(w);
        return NULL;
    }
    return w;
}

void notify_stop(struct notify_worker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stopping = 1;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->wake);
    curl_global_cleanup();
    free(w);
}
